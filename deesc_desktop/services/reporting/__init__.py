"""What the reports print, gathered from the store into models the renderers are handed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from deesc_desktop.core.models import Agency
from deesc_desktop.core.times import local_day
from deesc_desktop.services.course_files import ClassFile, class_files
from deesc_desktop.services.errors import ServiceError, ValidationError
from deesc_desktop.services.signers import Signer, signer_for
from deesc_desktop.store.agency import get_agency
from deesc_desktop.store.audit import chain_head
from deesc_desktop.store.claims import AdjustmentRow, list_adjustments


@dataclass(frozen=True, slots=True)
class ReportContext:
    """What every report prints besides its own data: who signs and the audit log's head."""

    signers: dict[str, Signer]
    """signer slot -> the signer saved for it (or the agency's default)."""
    audit_entries: int
    audit_digest: str


def report_agency(db: Database) -> Agency:
    """The agency a report is printed for; refused before `deesc init`."""
    agency = get_agency(db)
    if agency is None:
        raise ServiceError("This database has no agency yet; run `deesc init` first.")
    return agency


def report_context(db: Database, slots: Iterable[str]) -> ReportContext:
    """The signers of `slots` and the audit log's head, as a report's footer and lines show."""
    entries, digest = chain_head(db)
    return ReportContext({slot: signer_for(db, slot) for slot in slots}, entries, digest)


LONGEST_PERIOD_YEARS = 100
"""A report's period is at most this long: reports list quarters and months, and a period
of thousands of years (1901 to 8999) kept the grant report building for minutes."""


def check_period(start: date | None, end: date | None) -> None:
    """Refuse a period that ends before it starts, or that runs past LONGEST_PERIOD_YEARS."""
    if start and end and end < start:
        raise ValidationError(
            {"end": f"the period ends ({end.isoformat()}) before it starts ({start.isoformat()})"}
        )
    if start and end and end.year - start.year > LONGEST_PERIOD_YEARS:
        raise ValidationError(
            {
                "end": f"the period runs from {start.isoformat()} to {end.isoformat()}; a "
                f"report covers at most {LONGEST_PERIOD_YEARS} years"
            }
        )


def incomplete_class_files(db: Database, start: date, end: date) -> list[ClassFile]:
    """The classes held in the period (not those still to come) whose file lacked a document
    at its end: a report for an earlier day says what was missing then."""
    files = class_files(db, start, end, incomplete_only=True, documents_by=end)
    return [f for f in files if f.row.attendees]


def adjustments_on_last_day(
    db: Database, start: date, end: date
) -> tuple[list[AdjustmentRow], list[AdjustmentRow]]:
    """The adjustments dated in the period as they stood on its last day: (those that
    counted, the additions still waiting for a chief), in date order.

    Money recovered counts from its date. An addition counts from the day a chief approved
    it: one approved or rejected after the period ended was waiting on its last day, so a
    report for a closed period prints the same totals whenever it is printed.
    """
    counted: list[AdjustmentRow] = []
    waiting: list[AdjustmentRow] = []
    for adjustment in list_adjustments(db, start=start, end=end):
        decided = local_day(adjustment.decided_at) if adjustment.decided_at else None
        if decided is not None and decided > end:
            waiting.append(adjustment)
        elif adjustment.status == "counted":
            counted.append(adjustment)
        elif adjustment.status == "pending":
            waiting.append(adjustment)
    return counted, waiting
