"""The grant, compliance and public summary reports read the incident log and class files."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.reports import ReportParams, render
from deesc_desktop.services.bonus import add_program, create_claims
from deesc_desktop.services.claim_workflow import approve_claims, pay_claim, submit_claims
from deesc_desktop.services.course_files import ClassRef, Owner, attach_bytes
from deesc_desktop.services.funding import add_funding_source
from deesc_desktop.services.incidents import add_incident
from deesc_desktop.services.officers import add_officer
from deesc_desktop.services.training import record_class
from tests.documents import pdf_bytes
from tests.reports.conftest import CHIEF, FINANCE, SERGEANT, flat, pdf_text

NOW = datetime(2026, 9, 30, 9, 0)
PERIOD = ReportParams(start=date(2025, 10, 1), end=date(2026, 9, 30), grant="ledta")
NAMES = ("Alvarez", "Brown", "Chen")


@pytest.fixture
def agency(db: Database, admin: Actor) -> Database:
    """Three officers; Alvarez and Brown took ICAT in November 2025 (its file complete but for
    the instructor's biography), Chen only firearms in August 2026 (an empty file). Three
    interactions: two with trained officers (one with force), one with Chen (force, an officer
    hurt). Alvarez's bonus was paid in December 2025."""
    ids = [
        add_officer(
            db,
            admin,
            {
                "badge": str(100 + n),
                "last_name": last,
                "first_name": "A",
                "hire_date": "2015-01-01",
            },
        )
        for n, last in enumerate(NAMES, start=1)
    ]
    icat = {"course": "ICAT", "completed": "2025-11-03", "hours": 8, "topics": "de_escalation"}
    record_class(db, admin, icat, ids[:2])
    record_class(
        db,
        admin,
        {"course": "Firearms", "completed": "2026-08-03", "hours": 4, "topics": "firearms"},
        ids[2:],
    )
    ref = Owner(ClassRef(course="ICAT", held_on="2025-11-03"))
    for kind in ("sign_in_sheet", "lesson_plan", "learning_objectives"):
        # Filed the day after the class: the reports describe the file as of their own day.
        filed = datetime(2025, 11, 4, 15, 0, tzinfo=UTC)
        attach_bytes(db, admin, f"{kind}.pdf", pdf_bytes(kind), kind, ref, now=filed)
    base = {"incident_type": "disturbance", "deescalation_used": False}
    add_incident(
        db,
        SERGEANT,
        {
            **base,
            "reference": "1",
            "occurred_on": "2026-01-10",
            "force_type": "none",
            "deescalation_used": True,
            "officers": ids[:1],
        },
    )
    add_incident(
        db,
        SERGEANT,
        {
            **base,
            "reference": "2",
            "occurred_on": "2026-02-10",
            "force_type": "takedown",
            "officers": ids[:2],
        },
    )
    add_incident(
        db,
        SERGEANT,
        {
            **base,
            "reference": "3",
            "occurred_on": "2026-05-10",
            "force_type": "cew",
            "officers_injured": 1,
            "officers": ids[2:],
        },
    )
    add_funding_source(
        db,
        FINANCE,
        {
            "name": "City",
            "kind": "local_budget",
            "amount": "10000",
            "start": "2025-07-01",
            "end": "2026-06-30",
        },
    )
    program = add_program(
        db,
        CHIEF,
        {
            "name": "De-escalation bonus",
            "amount": "$1,000",
            "topics": "de_escalation",
            "min_hours": 8,
            "start": "2025-07-01",
            "end": "2026-06-30",
            "funding_source": "City",
        },
    )
    claims = create_claims(db, SERGEANT, program, ids[:1])
    submit_claims(db, SERGEANT, claims)
    approve_claims(db, CHIEF, claims, now=datetime(2025, 12, 10, 15, 0))
    pay_claim(db, FINANCE, claims[0], paid_on="2025-12-12", reference="PAY-1")
    return db


def text_of(db: Database, kind: str, params: ReportParams, tmp_path: Path) -> str:
    out = render(kind, db, params, tmp_path / f"{kind}.pdf", now=NOW)
    return flat(" ".join(pdf_text(out)))


def test_the_grant_report_compares_interactions_by_training_and_lists_incomplete_files(
    agency: Database, tmp_path: Path
) -> None:
    text = text_of(agency, "grant", PERIOD, tmp_path)
    assert "3 interactions were logged; de-escalation was used in 1 (33.3%)." in text
    assert (
        "Force was used in 50.0% of those where every officer had completed de-escalation "
        "training before the day, against 100.0% of the others; an officer was injured in "
        "0.0% against 100.0%" in text
    )
    assert "FY2026 Q2 2 1 (50.0%) 50.0% 0.0% 0.0%" in text
    assert "officers all trained 2 1 (50.0%) 50.0% 0.0% 0.0%" in text
    assert "Disturbance or fight 3" in text and "Takedown 1" in text
    assert "Class files still incomplete (2)" in text
    assert "2025-11-03 ICAT 2 Instructor biography" in text
    assert (
        "2026-08-03 Firearms 1 Sign-in sheet; Lesson plan; Learning objectives; "
        "Instructor biography" in text
    )


def test_the_compliance_report_lists_incomplete_class_files_of_the_last_year(
    agency: Database, tmp_path: Path
) -> None:
    text = text_of(agency, "compliance", ReportParams(as_of=date(2026, 9, 30)), tmp_path)
    assert "Class files still incomplete (2)" in text
    assert "Classes held from 2025-10-01 to 2026-09-30" in text


def test_the_public_summary_gives_counts_and_totals_and_names_nobody(
    agency: Database, tmp_path: Path
) -> None:
    text = text_of(agency, "public-summary", PERIOD, tmp_path)
    assert "Officers employed at the end of the period 3" in text
    assert "Classes held 2" in text and "Training completions (one officer at one class) 3" in text
    assert "Hours of de-escalation and crisis training 16.0" in text
    assert "3 interactions were logged" in text
    assert "De-escalation bonus 1 $1,000.00" in text and "All programs 1 $1,000.00" in text
    for name in NAMES:
        assert name not in text
    for badge in ("101", "102", "103"):
        assert f" {badge} " not in text
