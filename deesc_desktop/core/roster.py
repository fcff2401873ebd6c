"""The roster as it stood on a date: who was serving, in what status, and what was dated by then.

One definition for every page, report and command that shows a date other than today:
- an officer served on a day when hired on or before it and not separated before it (the
  separation day itself is still a day served);
- on a day before today, an officer's status is "leave" when a leave period for every
  requirement (a blanket exemption) had begun and covers the day, else "active": the
  roster's status column says where an officer stands now, not where they stood then.
  From today on, the roster's own "on leave" counts too;
- nothing dated after the day counts: training completed later, certificates earned later,
  refreshers taken later, leave that had not begun.

Rank, unit and shift have no history in the file (only the audit log's record of when
someone typed a change, which is not when the officer moved), so the current values stand
for every date and the reports say so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date

from deesc_desktop.core.models import Exemption, Officer

ACTIVE, LEAVE = "active", "leave"


def serving_on(officer: Officer, day: date) -> bool:
    """True when the officer was hired on or before `day` and not separated before it."""
    separated = officer.separation_date
    return officer.hire_date <= day and (separated is None or day <= separated)


def begun_by(exemptions: Iterable[Exemption], day: date) -> list[Exemption]:
    """The leave and exemptions that had begun by `day` (each whole, as recorded)."""
    return [e for e in exemptions if e.start <= day]


def on_leave(officer: Officer, day: date, exemptions: Iterable[Exemption], today: date) -> bool:
    """True when the officer was on leave on `day` (see the module's rule)."""
    if day >= today and officer.status == LEAVE:
        return True
    return any(e.start <= day <= e.end and not e.requirement_ids for e in exemptions)


def as_it_stood(
    officer: Officer, day: date, exemptions: Iterable[Exemption], today: date
) -> Officer:
    """The officer with the status they had on `day` when they served then; else unchanged,
    so that the compliance engine says why nothing applies (hired later, separated)."""
    if not serving_on(officer, day):
        return officer
    status = LEAVE if on_leave(officer, day, exemptions, today) else ACTIVE
    return officer if officer.status == status else replace(officer, status=status)


def roster_on(
    officers: Sequence[Officer],
    day: date,
    exemptions: Mapping[int, Sequence[Exemption]],
    today: date,
) -> list[Officer]:
    """The officers serving on `day`, in the given order, each in the status of that day."""
    return [
        as_it_stood(officer, day, exemptions.get(officer.id, ()), today)
        for officer in officers
        if serving_on(officer, day)
    ]


def current_values_note(day: date, today: date | None = None) -> str:
    """What a report or page for an earlier day says of what it shows as it is today (names,
    postings, the agency's settings and its own requirements); "" for today on."""
    today = today or date.today()
    if day >= today:
        return ""
    return (
        f"Names, rank, unit and shift, the agency's settings (CIT policy, warning days, leave "
        f"proration) and its own requirements are as recorded on {today.isoformat()}: deesc "
        "keeps no history of them."
    )
