"""Setting up the agency a database belongs to, and changing its details."""

from __future__ import annotations

from collections.abc import Mapping

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission
from deesc_desktop.core.models import Agency
from deesc_desktop.services.common import FieldErrors
from deesc_desktop.services.errors import ConflictError, ValidationError, require
from deesc_desktop.store.agency import AGENCY_ID, get_agency
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.database import writing
from deesc_desktop.store.rows import insert_row, row_dict, update_row

US_STATES = tuple(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO"
    " MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split()
)
"""Two-letter codes the agency's state may take (rule packs exist for some of them)."""


def _clean(values: Mapping[str, object]) -> dict[str, object]:
    errors = FieldErrors()
    name = errors.text(values, "name", required=True)
    state = errors.text(values, "state", required=True).upper()
    if state and state not in US_STATES:
        errors["state"] = f'"{state}" is not a US state code (for example IL, TX, MN)'
    ori = errors.text(values, "ori").upper()
    if ori and (len(ori) != 9 or not ori.isalnum()):
        errors["ori"] = "an ORI is 9 letters and digits, for example IL0160000"
    cleaned: dict[str, object] = {"name": name, "state": state, "ori": ori}
    cleaned["leave_proration"] = int(_flag(values.get("leave_proration", 0)))
    for field, low, high, default in (
        ("fiscal_year_start_month", 1, 12, 7),
        ("warning_days", 0, 730, 90),
    ):
        raw = values.get(field, default)
        try:
            number = int(str(raw).strip())
        except ValueError:
            errors[field] = f'"{raw}" is not a whole number'
            continue
        if not low <= number <= high:
            errors[field] = f"must be between {low} and {high}"
        cleaned[field] = number
    if errors:
        raise ValidationError(errors)
    return cleaned


def _flag(value: object) -> bool:
    """A yes/no setting as forms, the CLI and stored rows give it."""
    if isinstance(value, str):
        return value.strip().casefold() in ("1", "true", "yes", "on")
    return bool(value)


def has_agency(db: Database) -> bool:
    """Whether the database belongs to an agency yet (`deesc init` has run)."""
    return get_agency(db) is not None


def init_agency(db: Database, actor: Actor, values: Mapping[str, object]) -> Agency:
    """Create the agency record of a new database (name, state, ORI, fiscal year, warning days,
    and whether the agency's own leave proration policy is on: off unless given)."""
    require(actor, Permission.MANAGE_AGENCY)
    cleaned = _clean(values)
    with writing(db):
        if row_dict(db, "agency", AGENCY_ID) is not None:
            raise ConflictError("This database already belongs to an agency; edit it in Settings.")
        audit = AuditWriter(db, actor.username)
        insert_row(audit, "agency", {"id": AGENCY_ID, **cleaned, "created_at": audit.at})
    agency = get_agency(db)
    assert agency is not None
    return agency


def update_agency(
    db: Database, actor: Actor, values: Mapping[str, object], *, reason: str = ""
) -> Agency:
    """Change the agency's details; fields not given keep their value."""
    require(actor, Permission.MANAGE_AGENCY)
    with writing(db):
        before = row_dict(db, "agency", AGENCY_ID)
        if before is None:
            raise ConflictError("This database has no agency yet; run `deesc init` first.")
        cleaned = _clean({**before, **values})
        update_row(
            AuditWriter(db, actor.username),
            "agency",
            AGENCY_ID,
            cleaned,
            before=before,
            versioned=False,
            reason=reason,
        )
    agency = get_agency(db)
    assert agency is not None
    return agency
