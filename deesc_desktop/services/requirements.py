"""Which requirements apply to the agency: its state's built-in pack plus its own additions."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission
from deesc_desktop.core.compliance import policy_notes
from deesc_desktop.core.rules import (
    Requirement,
    RulePack,
    RulePackError,
    requirement_from_dict,
    requirement_to_dict,
)
from deesc_desktop.paths import resource
from deesc_desktop.services.common import stamp
from deesc_desktop.services.errors import NotFoundError, ServiceError, ValidationError, require
from deesc_desktop.services.rule_files import builtin_pack_paths, load_pack
from deesc_desktop.store.agency import get_agency
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.courses import add_topic, topic_codes
from deesc_desktop.store.database import writing
from deesc_desktop.store.requirements import agency_requirements
from deesc_desktop.store.rows import insert_row, row_dict, update_row


@dataclass(frozen=True, slots=True)
class ListedRequirement:
    """A requirement as the agency sees it: where it comes from and whether it is used."""

    requirement: Requirement
    origin: str  # "pack:IL" for built-in, "agency" or "file:NAME.toml" for the agency's own
    active: bool

    @property
    def builtin(self) -> bool:
        return self.origin.startswith("pack:")


def builtin_packs() -> dict[str, Path]:
    """The rule packs shipped with the app, by state code."""
    return builtin_pack_paths(resource("rules"))


def shipped_rules_digest() -> str:
    """A short digest of the shipped rule packs as they are on disk (names and bytes): what
    was worked out under other packs is worked out again."""
    digest = hashlib.sha256()
    for state, path in builtin_packs().items():
        digest.update(state.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def builtin_pack(state: str) -> RulePack | None:
    """The shipped pack for a state, or None when the app has none for it."""
    path = builtin_packs().get(state.upper())
    return _shipped_pack(path) if path else None


def all_builtin_packs() -> list[RulePack]:
    """Every shipped pack, by state code."""
    return [_shipped_pack(path) for path in builtin_packs().values()]


def _shipped_pack(path: Path) -> RulePack:
    # Every compliance answer starts from the state's pack: parsing its TOML again each time
    # was a tenth of a small department's evaluation. A pack is immutable, and a file that
    # changes on disk (a test's, an update's) is read again.
    found = path.stat()
    return _parsed_pack(str(path), found.st_mtime_ns, found.st_size)


@functools.lru_cache(maxsize=64)
def _parsed_pack(path: str, _mtime_ns: int, _size: int) -> RulePack:
    return load_pack(path)


@dataclass(frozen=True, slots=True)
class PackCoverage:
    """What the agency's state pack checks, printed wherever compliance is shown, so a chief
    never certifies more than the software verified."""

    pack: RulePack | None
    """The state's pack; None when the app ships none for the agency's state."""
    gap: str
    """Why no state rule is measured on the report date, or "" when some are."""
    policies: tuple[str, ...] = ()
    """The agency's own policies that change results (leave proration), in words."""
    state: str = ""

    @property
    def line(self) -> str:
        """'Illinois rules 2026.2: Partial: does not check ... Rules verified 2026-12-04.'"""
        if self.pack is None:
            return (
                f"No state rule pack ships for {self.state}: only the agency's own "
                "requirements are measured."
            )
        return f"{self.pack.name} rules {self.pack.version}: {self.pack.coverage_line()}"


def pack_coverage(db: Database, as_of: date) -> PackCoverage | None:
    """The coverage of the agency's state pack on `as_of`, with the agency's own policies
    that change results; None before the agency is set up."""
    agency = get_agency(db)
    if agency is None:
        return None
    pack = builtin_pack(agency.state)
    if pack is None or not pack.requirements:
        return PackCoverage(None, "", policy_notes(agency), agency.state)
    gap = ""
    if not any(requirement.in_force(as_of) for requirement in pack.requirements):
        first = min(r.effective_from for r in pack.requirements)
        ends = [r.effective_to for r in pack.requirements]
        until = "" if None in ends else f" to {max(e for e in ends if e).isoformat()}"
        gap = (
            f"No {pack.name} rule in this version of the app is in force on "
            f"{as_of.isoformat()} (its rules cover {first.isoformat()}{until}), so no state "
            f"requirement is measured: check {pack.name}'s rules for that date and add them "
            "as agency requirements."
        )
    return PackCoverage(pack, gap, policy_notes(agency), agency.state)


def list_requirements(db: Database) -> list[ListedRequirement]:
    """The state pack's requirements then the agency's own, each with origin and active flag.

    An agency requirement with the id of a built-in one replaces it (a deactivated one
    switches it off).
    """
    agency = get_agency(db)
    pack = builtin_pack(agency.state) if agency else None
    own = {row.id: row for row in agency_requirements(db)}
    topics = topic_codes(db)
    listed: list[ListedRequirement] = []
    if pack is not None:
        listed = [
            ListedRequirement(requirement, f"pack:{pack.jurisdiction}", True)
            for requirement in pack.requirements
            if requirement.id not in own
        ]
    for row in own.values():
        requirement = requirement_from_dict(row.definition, extra_topics=topics)
        listed.append(ListedRequirement(requirement, row.origin, row.active))
    return listed


def active_requirements(db: Database) -> list[Requirement]:
    """The requirements compliance is measured against."""
    return [item.requirement for item in list_requirements(db) if item.active]


def load_requirements_file(db: Database, actor: Actor, path: Path) -> list[str]:
    """Add or replace the agency's requirements from a rule-pack TOML file; returns their ids.

    The whole file is refused, naming file, requirement and field, if any part is wrong.
    """
    require(actor, Permission.MANAGE_REQUIREMENTS)
    try:
        pack = load_pack(path, extra_topics=topic_codes(db))
    except RulePackError as exc:
        raise ServiceError(str(exc)) from None
    if not pack.requirements:
        raise ServiceError(f"{path.name} holds no requirements.")
    with writing(db):
        audit = AuditWriter(db, actor.username)
        for code, label in pack.topics:
            if code not in topic_codes(db):
                add_topic(audit, code, label)
        for requirement in pack.requirements:
            _save(audit, requirement, f"file:{path.name}")
    return [requirement.id for requirement in pack.requirements]


def save_requirement(
    db: Database, actor: Actor, definition: Mapping[str, Any], *, reason: str = ""
) -> Requirement:
    """Add or change one agency requirement from its fields, in the rule-pack shape
    (docs/rule-packs.md), checked exactly as a rule file is.

    Refused with a ValidationError naming each field ("hours", "period.years",
    "sub_minimums[1].hours"); a requirement with a built-in id replaces it for the agency.
    A switched-off requirement stays off.
    """
    require(actor, Permission.MANAGE_REQUIREMENTS)
    try:
        requirement = requirement_from_dict(
            definition, extra_topics=topic_codes(db), source_name="agency requirement"
        )
    except RulePackError as exc:
        raise ValidationError(dict(reversed(exc.fields)), summary=str(exc)) from None
    with writing(db):
        audit = AuditWriter(db, actor.username)
        row = row_dict(db, "requirements", requirement.id)
        active = bool(row["active"]) if row else True
        _save(audit, requirement, "agency", active=active, reason=reason)
    return requirement


def _save(
    audit: AuditWriter,
    requirement: Requirement,
    origin: str,
    *,
    active: bool = True,
    reason: str = "",
) -> None:
    db = audit.db
    values = {
        "title": requirement.title,
        "origin": origin,
        "definition": json.dumps(requirement_to_dict(requirement), sort_keys=True),
        "active": int(active),
    }
    if row_dict(db, "requirements", requirement.id) is None:
        insert_row(audit, "requirements", {"id": requirement.id, **values, **stamp(audit)})
    else:
        _update(audit, requirement.id, values, reason=reason)


def _update(
    audit: AuditWriter, requirement_id: str, values: dict[str, object], *, reason: str = ""
) -> bool:
    before = row_dict(audit.db, "requirements", requirement_id)
    if before is None:
        raise NotFoundError(f"There is no agency requirement {requirement_id}.")
    if all(before[k] == v for k, v in values.items()):
        return False
    return update_row(audit, "requirements", requirement_id, values, before=before, reason=reason)


def set_requirement_active(
    db: Database, actor: Actor, requirement_id: str, active: bool, *, reason: str = ""
) -> bool:
    """Switch a requirement on or off for this agency (a built-in one gets an agency copy)."""
    require(actor, Permission.MANAGE_REQUIREMENTS)
    with writing(db):
        audit = AuditWriter(db, actor.username)
        if row_dict(db, "requirements", requirement_id) is not None:
            return _update(audit, requirement_id, {"active": int(active)}, reason=reason)
        for item in list_requirements(db):
            if item.requirement.id == requirement_id:
                _save(audit, item.requirement, "agency")
                return _update(audit, requirement_id, {"active": int(active)}, reason=reason)
    raise NotFoundError(f"There is no requirement {requirement_id}.")
