"""What falls due soon, worked out on this computer (nothing is sent anywhere): requirements,
CIT certificates, instructor certifications, scheduled classes, incidents to review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission
from deesc_desktop.core.rules import short_title
from deesc_desktop.core.times import local_day
from deesc_desktop.services.cit import cit_report
from deesc_desktop.services.course_files import class_files
from deesc_desktop.services.incidents import list_incidents
from deesc_desktop.services.instructors import instructor_summaries
from deesc_desktop.services.training_due import HORIZONS, DueItem, training_due

REMINDER_DAYS = 30
"""How far ahead the reminders look."""

KINDS: dict[str, str] = {
    "requirement": "Training requirement",
    "cit": "CIT certification",
    "instructor": "Instructor certification",
    "class": "Scheduled class",
    "review": "Incident to review",
}

AGENCY_WIDE = "Agency"
"""The group of reminders that belong to no officer's shift (instructors, classes, reviews)."""


@dataclass(frozen=True, slots=True)
class Reminder:
    """One thing to act on by a date."""

    due: date
    kind: str
    who: str
    """The officer ('Last, First'), the instructor, or the class."""
    what: str
    badge: str = ""
    shift: str = ""
    unit: str = ""

    @property
    def group(self) -> str:
        """The shift a printed list hands it to ('Agency' for the rest)."""
        return self.shift or (AGENCY_WIDE if not self.badge else "No shift")


def _what_it_needs(item: DueItem) -> str:
    """What a reminder says a requirement needs: "Emergency medical response: A class in first
    aid", "De-escalation: 3.0 h", or the title alone when that is what it needs ("CIT
    certification")."""
    if item.needs == item.requirement_title:
        return item.requirement_title
    return f"{short_title(item.requirement_title)}: {item.needs}"


def due_soon(db: Database, today: date | None = None, days: int = REMINDER_DAYS) -> list[Reminder]:
    """Everything that falls due from today to `days` ahead, soonest first."""
    today = today or date.today()
    horizon = today + timedelta(days=days)
    found: list[Reminder] = []
    # Training due (the sergeant's 30/60/90-day list) decides what a requirement still needs;
    # a reminder is the part of it that falls due from today on.
    horizon_days = next((h for h in HORIZONS if h >= days), HORIZONS[-1])
    for item in training_due(db, today, horizon_days).items:
        due = item.due_date
        if due is None or not today <= due <= horizon:
            continue
        officer = item.officer
        found.append(
            Reminder(
                due,
                "requirement",
                officer.display_name,
                _what_it_needs(item),
                officer.badge,
                officer.shift,
                officer.unit,
            )
        )
    for row in cit_report(db, today).roster:
        expires = row.standing.expires
        if row.standing.status.held and expires is not None and today <= expires <= horizon:
            found.append(
                Reminder(
                    expires,
                    "cit",
                    row.officer.display_name,
                    "CIT certification expires; a refresher renews it",
                    row.officer.badge,
                    row.officer.shift,
                    row.officer.unit,
                )
            )
    for summary in instructor_summaries(db, today, warning_days=days):
        if not summary.instructor.active:
            continue
        for certification in summary.expiring:
            assert certification.expires is not None
            found.append(
                Reminder(
                    date.fromisoformat(certification.expires),
                    "instructor",
                    summary.instructor.name,
                    f"{certification.name} expires",
                )
            )
    for class_file in class_files(db, today, horizon):
        held = class_file.row
        scheduled = local_day(held.scheduled_at) if held.scheduled_at else None
        if scheduled is not None and scheduled > today:
            continue  # put on the calendar after `today`: not on that day's list
        # Attendance is recorded on or after the class day: a class after `today` had none
        # yet on `today`, whatever has been recorded since.
        unrecorded = not held.attendees or held.held_on > today.isoformat()
        if held.class_id is not None and held.expected and unrecorded:
            found.append(
                Reminder(
                    date.fromisoformat(held.held_on),
                    "class",
                    held.course,
                    f"{held.expected} officer{'s' if held.expected != 1 else ''} expected: "
                    "print the sign-in sheet",
                )
            )
    return sorted(found, key=lambda r: (r.due, r.kind, r.who.casefold()))


def reviews_waiting(db: Database, today: date | None = None) -> list[Reminder]:
    """Incidents logged and not yet reviewed, each due today."""
    today = today or date.today()
    return [
        Reminder(today, "review", f"Report {e.row.reference}", f"logged {e.row.occurred_on}")
        for e in list_incidents(db)
        if e.row.status == "entered"
    ]


def reminders_for(
    db: Database, actor: Actor, today: date | None = None, days: int = REMINDER_DAYS
) -> list[Reminder]:
    """What this user's role acts on: the training side for those who record training or
    approve (training officer, chief, administrator), incident reviews for whoever reviews
    them; nothing for finance or a viewer."""
    found: list[Reminder] = []
    if actor.can(Permission.RECORD_TRAINING) or actor.can(Permission.APPROVE_CLAIMS):
        found += due_soon(db, today, days)
    if actor.can(Permission.REVIEW_INCIDENTS):
        found = reviews_waiting(db, today) + found
    return found
