"""The store's list queries behind the GUI's tables and dashboard."""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.core.dates import year_before
from deesc_desktop.services.leave import add_exemption
from deesc_desktop.services.officers import separate_officer, set_officer_status
from deesc_desktop.services.training import record_class
from deesc_desktop.store.counts import dashboard_summary
from deesc_desktop.store.courses import courses, topic_labels
from deesc_desktop.store.officers import officer_choices, officer_form, roster, roster_row
from deesc_desktop.store.training import training_record, training_records


def test_roster_lists_every_officer_by_name_with_status_and_version(
    db: Database, officers: dict[str, int], admin: Actor
) -> None:
    separate_officer(db, admin, officers["105"], "2025-01-31")
    rows = roster(db)
    assert [r.last_name for r in rows] == ["Alvarez", "Brown", "Chen", "Dubois", "Evans"]
    evans = rows[-1]
    assert (evans.status, evans.separation_date, evans.version) == ("separated", "2025-01-31", 2)
    assert roster_row(db, officers["101"]) == rows[0]
    assert roster_row(db, 9999) is None
    assert officer_form(db, officers["101"])["version"] == 1  # type: ignore[index]
    choices = officer_choices(db)
    assert choices.shifts == ["Days", "Nights"]
    assert choices.units == ["Investigations", "Patrol"]
    assert choices.ranks == ["Detective", "Officer", "Sergeant"]


def test_training_records_carry_officer_course_and_topic_split(
    db: Database, officers: dict[str, int], admin: Actor
) -> None:
    record_class(
        db,
        admin,
        {
            "course": "ICAT",
            "course_number": "ICAT-8",
            "completed": "2025-03-01",
            "hours": "8",
            "topics": "use_of_force:2.5;de_escalation:5.5",
            "delivery": "scenario",
            "instructor": "Sgt. R",
        },
        [officers["101"], officers["102"]],
    )
    record_class(
        db,
        admin,
        {"course": "Firearms", "completed": "2024-01-05", "hours": "4", "topics": "firearms"},
        [officers["101"]],
    )
    rows = training_records(db)
    assert [(r.completed, r.badge) for r in rows] == [
        ("2025-03-01", "101"),
        ("2025-03-01", "102"),
        ("2024-01-05", "101"),
    ]
    first = rows[0]
    assert first.topic_hours == (("de_escalation", 550), ("use_of_force", 250))
    assert (first.course, first.course_number, first.hours, first.officer_name) == (
        "ICAT",
        "ICAT-8",
        800,
        "Alvarez, Maria",
    )
    assert len(training_records(db, start=date(2025, 1, 1))) == 2
    assert len(training_records(db, end=date(2024, 12, 31))) == 1
    assert training_record(db, first.id) == first
    listed = courses(db)
    assert [c.title for c in listed] == ["Firearms", "ICAT"]
    assert listed[1].default_topics == "use_of_force:2.5;de_escalation:5.5"
    assert topic_labels(db)["de_escalation"] == "De-escalation"


def test_dashboard_summary_counts(db: Database, officers: dict[str, int], admin: Actor) -> None:
    today = date(2025, 6, 30)
    set_officer_status(db, admin, officers["103"], "leave")
    separate_officer(db, admin, officers["105"], "2025-01-31")
    add_exemption(
        db, admin, officers["103"], {"start": "2025-05-01", "end": "2025-07-01", "reason": "x"}
    )
    for day, who in (("2024-06-30", "101"), ("2024-07-01", "102"), ("2025-06-30", "105")):
        record_class(
            db,
            admin,
            {"course": "ICAT", "completed": day, "hours": "2.5", "topics": "de_escalation"},
            [officers[who]],
        )
    summary = dashboard_summary(db, today)
    assert summary.by_status == {"active": 3, "leave": 1, "separated": 1}
    assert summary.by_shift == [("Days", 3), ("Nights", 1)]
    assert summary.by_unit == [("Investigations", 1), ("Patrol", 3)]
    assert summary.since == date(2024, 7, 1)
    assert (summary.records, summary.hours) == (2, 500)
    assert summary.officers_trained == 1, "separated officers are not counted as current"
    assert summary.last_import is None
    assert summary.courses == 1
    assert year_before(date(2024, 2, 29)) == date(2023, 3, 1)
