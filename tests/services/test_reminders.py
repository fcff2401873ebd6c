"""Reminders: what falls due in the next 30 days, for each role, and the list per shift."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.reports import ReportParams, render_due_list
from deesc_desktop.services.cit import add_certification
from deesc_desktop.services.classes import record_attendance, schedule_class
from deesc_desktop.services.course_files import ClassRef
from deesc_desktop.services.incidents import add_incident
from deesc_desktop.services.instructors import add_instructor, add_instructor_certification
from deesc_desktop.services.officers import add_officer
from deesc_desktop.services.reminders import due_soon, reminders_for
from deesc_desktop.services.requirements import (
    active_requirements,
    load_requirements_file,
    set_requirement_active,
)

TODAY = date(2026, 12, 10)
PACK = """
jurisdiction = "TPD"
name = "Test PD policy"
version = "1"
[[requirements]]
id = "TPD-deesc"
title = "De-escalation: 4 hours every calendar year"
effective_from = 2020-01-01
hours = 4
topics = ["de_escalation"]
period = { kind = "calendar_year" }
source = "Policy 4.1"
"""


@pytest.fixture
def agency(db: Database, admin: Actor, tmp_path: Path) -> Database:
    """Two officers on two shifts, both short of this year's de-escalation hours; Kim's CIT
    certificate expires on 20 December; an instructor's certification on 25 December; a
    class scheduled for 15 December; an incident waiting for review."""
    pack = tmp_path / "policy.toml"
    pack.write_text(PACK, encoding="utf-8")
    load_requirements_file(db, admin, pack)
    # Only the agency's own policy: the state pack's many requirements have their own tests.
    for requirement in active_requirements(db):
        if requirement.id != "TPD-deesc":
            set_requirement_active(db, admin, requirement.id, False)
    ids = {
        badge: add_officer(
            db,
            admin,
            {
                "badge": badge,
                "last_name": last,
                "first_name": "A",
                "hire_date": "2015-01-01",
                "shift": shift,
                "unit": "Patrol",
            },
        )
        for badge, last, shift in (("101", "Alvarez", "Days"), ("102", "Kim", "Nights"))
    }
    add_certification(
        db, admin, ids["102"], {"earned": "2023-12-20", "expires": "2026-12-20", "issuer": "CIT IL"}
    )
    instructor = add_instructor(db, admin, {"name": "Lt. M. Harmon"})
    add_instructor_certification(
        db,
        admin,
        instructor,
        {"name": "ICAT trainer", "earned": "2023-12-25", "expires": "2026-12-25"},
    )
    schedule_class(
        db,
        admin,
        {"course": "ICAT", "held_on": "2026-12-15", "hours": 8, "topics": "de_escalation"},
        list(ids.values()),
    )
    add_incident(
        db,
        Actor("sgt.delgado", Role.TRAINING_OFFICER),
        {
            "reference": "26-1",
            "occurred_on": "2026-12-01",
            "incident_type": "welfare_check",
            "deescalation_used": True,
            "force_type": "none",
        },
    )
    return db


def test_everything_due_in_30_days_soonest_first(agency: Database) -> None:
    found = [(r.due.isoformat(), r.kind, r.who, r.shift) for r in due_soon(agency, TODAY)]
    assert found == [
        ("2026-12-15", "class", "ICAT", ""),
        ("2026-12-20", "cit", "Kim, A", "Nights"),
        ("2026-12-25", "instructor", "Lt. M. Harmon", ""),
        ("2026-12-31", "requirement", "Alvarez, A", "Days"),
        ("2026-12-31", "requirement", "Kim, A", "Nights"),
    ]
    assert due_soon(agency, TODAY, days=3) == []


def test_a_list_for_an_earlier_day_ignores_what_was_done_after_it(
    agency: Database, admin: Actor
) -> None:
    """Printed later for TODAY, the list still says what was due on TODAY: a renewal of the
    instructor's certification earned after it, and attendance recorded at the class after
    it, were not there yet."""
    (instructor,) = [row[0] for row in agency.execute("SELECT id FROM instructors")]
    add_instructor_certification(
        agency,
        admin,
        instructor,
        {"name": "ICAT trainer", "earned": "2026-12-20", "expires": "2029-12-20"},
    )
    officers = [row[0] for row in agency.execute("SELECT id FROM officers ORDER BY id")]
    record_attendance(agency, admin, ClassRef(course="ICAT", held_on="2026-12-15"), officers)
    found = [(r.due.isoformat(), r.kind) for r in due_soon(agency, TODAY)]
    assert ("2026-12-25", "instructor") in found
    assert ("2026-12-15", "class") in found
    # On the day after the class and the renewal, neither is due any more.
    later = [(r.due.isoformat(), r.kind) for r in due_soon(agency, date(2026, 12, 21))]
    assert ("2026-12-25", "instructor") not in later and ("2026-12-15", "class") not in later


def test_a_class_scheduled_after_the_lists_day_is_not_on_it(agency: Database, admin: Actor) -> None:
    """A list for three days ago did not have a class scheduled today."""
    today = date.today()
    officers = [row[0] for row in agency.execute("SELECT id FROM officers ORDER BY id")]
    held_on = today + timedelta(days=10)
    schedule_class(
        agency,
        admin,
        {"course": "Traffic stops", "held_on": held_on, "hours": 4, "topics": "firearms"},
        officers,
    )

    def listed(day: date) -> bool:
        return any(r.kind == "class" and r.who == "Traffic stops" for r in due_soon(agency, day))

    assert listed(today)
    assert not listed(today - timedelta(days=3))


def test_a_requirement_reminder_says_what_it_still_needs_once(agency: Database) -> None:
    whats = [r.what for r in due_soon(agency, TODAY) if r.kind == "requirement"]
    # The requirement's short title, then the hours still owed; the rule is not repeated.
    assert whats == ["De-escalation: 4.0 h", "De-escalation: 4.0 h"]


def test_each_role_sees_what_it_acts_on(agency: Database) -> None:
    def kinds(role: Role) -> list[str]:
        return [r.kind for r in reminders_for(agency, Actor("x", role), TODAY)]

    assert kinds(Role.TRAINING_OFFICER) == [
        "class",
        "cit",
        "instructor",
        "requirement",
        "requirement",
    ]
    assert kinds(Role.CHIEF) == ["review", *kinds(Role.TRAINING_OFFICER)]
    assert kinds(Role.FINANCE) == [] and kinds(Role.VIEWER) == []


def test_the_printed_list_gives_each_shift_its_own_page(agency: Database, tmp_path: Path) -> None:
    out = render_due_list(
        agency, ReportParams(as_of=TODAY), tmp_path / "due.pdf", now=datetime(2026, 12, 10, 8)
    )
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(out).pages]
    assert len(pages) == 3
    assert "Shift: Days (1)" in pages[0] and "Alvarez, A 101" in pages[0] and "Kim" not in pages[0]
    assert "Shift: Nights (2)" in pages[1]
    assert "2026-12-20 Kim, A 102 CIT certification expires" in pages[1]
    assert "Instructors and classes (2)" in pages[2]
    assert (
        "2026-12-15 ICAT Scheduled class 2 officers expected: print the sign-in sheet" in pages[2]
    )
