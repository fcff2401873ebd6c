"""The demo agency's paperwork: instructors, class files complete and not, a class scheduled
with its sign-in sheet, and a year of de-escalation and use-of-force incidents."""

from __future__ import annotations

import io
import random
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.core.incidents import (
    DEESCALATION_TOPICS,
    ETHNICITIES,
    IMPAIRMENTS,
    RACES,
    TACTICS,
)
from deesc_desktop.services.classes import schedule_class, sign_in_sheet, update_class
from deesc_desktop.services.course_files import ClassRef, Owner, attach_bytes, class_files
from deesc_desktop.services.incidents import add_incident, review_incident
from deesc_desktop.services.instructors import add_instructor, add_instructor_certification
from deesc_desktop.store.incidents import first_trained
from deesc_desktop.store.officers import roster


def pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF document: a title and lines of text."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(72, 730, title)
    canvas.setFont("Helvetica", 10)
    for number, line in enumerate(lines):
        canvas.drawString(72, 700 - 16 * number, line)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def add_paperwork(
    db: Database, rng: random.Random, today: date, sergeant: Actor, chief: Actor
) -> tuple[int, int]:
    """Instructors, class files, a scheduled class and a year of incidents; returns
    (class files with documents, incidents)."""
    _add_instructors(db, today, sergeant)
    files = _add_class_files(db, today, sergeant)
    _schedule_next_class(db, today, sergeant)
    return files, _add_incidents(db, rng, today, sergeant, chief)


def _add_instructors(db: Database, today: date, sergeant: Actor) -> None:
    years = timedelta(days=365)
    people: list[tuple[str, str, list[tuple[str, date, date | None]], bool]] = [
        (
            "Sgt. R. Delgado",
            "Millbrook PD Training Unit",
            [
                ("ILETSB certified instructor", today - 6 * years, today + 2 * years),
                # Lapses within the month: the reminders show it.
                ("ICAT train-the-trainer", today - 3 * years, today + timedelta(days=20)),
            ],
            True,
        ),
        (
            "Lt. M. Harmon",
            "Millbrook PD",
            # Lapsed half a year ago and not renewed: his later classes are flagged.
            [("ILETSB certified instructor", today - 5 * years, today - timedelta(days=180))],
            True,
        ),
        (
            "Ofc. T. Ruiz (FTO)",
            "Millbrook PD",
            [("Field training officer", today - 4 * years, None)],
            False,
        ),
        ("ILETSB Mobile Team 9", "Illinois Law Enforcement Training and Standards Board", [], True),
    ]
    for name, affiliation, certifications, with_bio in people:
        instructor = add_instructor(db, sergeant, {"name": name, "affiliation": affiliation})
        for title, earned, expires in certifications:
            add_instructor_certification(
                db, sergeant, instructor, {"name": title, "earned": earned, "expires": expires}
            )
        if with_bio:
            attach_bytes(
                db,
                sergeant,
                f"{name.split('(')[0].strip()} - biography.pdf",
                pdf(
                    f"Instructor biography: {name}",
                    [affiliation, "Certifications and courses taught are on file with the agency."],
                ),
                "instructor_bio",
                Owner(instructor_id=instructor),
            )


def _sheet_pdf(db: Database, ref: ClassRef) -> bytes:
    """The class's own printed sign-in sheet, as the scanned signed copy stands in for it."""
    from deesc_desktop.reports.sign_in_sheet import render_sign_in_sheet

    with tempfile.TemporaryDirectory() as folder:
        path = render_sign_in_sheet(
            db, sign_in_sheet(db, ref, blank_lines=2), Path(folder) / "s.pdf"
        )
        return path.read_bytes()


def _add_class_files(db: Database, today: date, sergeant: Actor) -> int:
    """The last ICAT class complete; the one before with its sheet only; the CIT Basic class
    with sheet and lesson plan; the others of the last year empty, as most agencies start."""
    held = [f for f in class_files(db, today - timedelta(days=800), today) if f.row.attendees]
    icat = [f for f in held if f.row.course == "ICAT De-escalation"]
    cit = [f for f in held if f.row.course.startswith("Crisis Intervention Team")]
    plans = {
        "lesson_plan": "Lesson plan",
        "learning_objectives": "Learning objectives",
    }
    documented = 0
    for number, found in enumerate([*icat[:2], *cit[:1]]):
        ref = ClassRef(course=found.row.course, held_on=found.row.held_on)
        label = f"{found.row.course} {found.row.held_on}"
        # Filed the afternoon after the class, so a report for an earlier day finds the file
        # as it stood then.
        day_after = min(date.fromisoformat(found.row.held_on) + timedelta(days=1), today)
        filed = datetime.combine(day_after, time(15))
        attach_bytes(
            db,
            sergeant,
            f"Signed sign-in sheet {label}.pdf",
            _sheet_pdf(db, ref),
            "sign_in_sheet",
            Owner(ref),
            now=filed,
        )
        kinds = list(plans) if number == 0 else (["lesson_plan"] if found in cit else [])
        for kind in kinds:
            attach_bytes(
                db,
                sergeant,
                f"{plans[kind]} - {found.row.course}.pdf",
                pdf(
                    f"{plans[kind]}: {found.row.course}",
                    [f"Course number {found.row.course_number}"],
                ),
                kind,
                Owner(ref),
                now=filed,
            )
        documented += 1
    return documented


def _schedule_next_class(db: Database, today: date, sergeant: Actor) -> None:
    nights = [r.id for r in roster(db) if r.shift == "Nights" and r.status == "active"]
    class_id = schedule_class(
        db,
        sergeant,
        {
            "course": "ICAT De-escalation",
            "held_on": today + timedelta(days=12),
            "hours": "8",
            "topics": "de_escalation:4;use_of_force:2;crisis_intervention:2",
            "delivery": "scenario",
            "provider": "Millbrook PD Training Unit",
            "instructor": "Sgt. R. Delgado",
            "location": "Training room B",
        },
        nights,
    )
    update_class(db, sergeant, ClassRef(class_id), {"notes": "Night shift, before roll call"})


_TYPES = (
    ("mental_health_crisis", 18),
    ("disturbance", 16),
    ("domestic", 14),
    ("traffic_stop", 12),
    ("suspicious_person", 10),
    ("welfare_check", 10),
    ("arrest_warrant", 8),
    ("suicide_threat", 6),
    ("crime_in_progress", 6),
)
_FORCE = ("physical_control", "takedown", "cew", "oc_spray", "impact_weapon")


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([code for code, _ in weighted], [w for _, w in weighted])[0]


def _add_incidents(
    db: Database, rng: random.Random, today: date, sergeant: Actor, chief: Actor
) -> int:
    """About 90 interactions over the last year, each with one to three patrol officers.

    Force and injuries are drawn less often when every officer had de-escalation training,
    so the report has a difference to show; the rates are made up, not a finding.
    """
    patrol = [r for r in roster(db) if r.unit == "Patrol" and r.status != "separated"]
    trained = first_trained(db, DEESCALATION_TOPICS)
    # The recent hires, not trained yet, ride along on a share of calls: the report then has
    # incidents without every officer trained to set against the others.
    untrained = [r for r in patrol if r.id not in trained]
    count = 0
    day = today - timedelta(days=365)
    while True:
        day += timedelta(days=rng.randint(2, 6))
        if day > today - timedelta(days=1):
            break
        officers = rng.sample(patrol, rng.randint(1, 3))
        if untrained and rng.random() < 0.3:
            officers = [*officers[1:], rng.choice(untrained)]
        all_trained = all(trained.get(o.id, date.max) < day for o in officers)
        used = rng.random() < (0.85 if all_trained else 0.55)
        force = "none"
        if rng.random() < (0.12 if all_trained else 0.3):
            force = rng.choice(_FORCE)
        hurt = int(force != "none" and rng.random() < 0.3)
        public = int(force != "none" and rng.random() < 0.45)
        kind = _pick(rng, _TYPES)
        tactics = rng.sample(list(TACTICS)[:8], rng.randint(1, 3)) if used else []
        incident = add_incident(
            db,
            sergeant,
            {
                "reference": f"{day.year % 100:02d}-{4000 + count * 7:06d}",
                "occurred_on": day,
                "incident_type": kind,
                "deescalation_used": used,
                "tactics": tactics,
                "force_type": force,
                "officers_injured": hurt,
                "public_injured": public,
                "subject_age": rng.randint(16, 78),
                "subject_sex": rng.choice(["male", "male", "female", "unknown"]),
                "subject_race": rng.choice([*RACES, "white", "black", "white"]),
                "subject_ethnicity": rng.choice(list(ETHNICITIES)),
                "subject_impairment": "mental_health"
                if kind in ("mental_health_crisis", "suicide_threat")
                else rng.choice(list(IMPAIRMENTS)),
                "officers": [o.id for o in officers],
            },
        )
        if day < today - timedelta(days=21):
            review_incident(db, chief, incident, notes="Reviewed with body-worn camera footage")
        count += 1
    return count
