"""The demo agency, built once per test module, with CIT courses, bonus claims and follow-ups."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.demo import DEMO_ACTOR, DEMO_PASSWORD, load_demo
from deesc_desktop.services.bonus import add_program, create_claims, find_eligible
from deesc_desktop.services.claim_workflow import (
    add_adjustment,
    approve_claims,
    deny_claim,
    pay_claim,
    submit_claims,
    void_claim,
)
from deesc_desktop.services.followups import add_followup
from deesc_desktop.services.funding import add_funding_source
from deesc_desktop.store import open_database

DEMO_TODAY = date(2026, 11, 22)
FIXED_NOW = datetime(2026, 11, 22, 9, 30, 0)
"""The generation time of deterministic renders."""

ADMIN = Actor("demo-admin", Role.ADMIN)
CHIEF = Actor("chief.pena", Role.CHIEF)
FINANCE = Actor("fin.lee", Role.FINANCE)
SERGEANT = Actor("sgt.delgado", Role.TRAINING_OFFICER)


def at(year: int, month: int, day: int) -> datetime:
    """A moment of the fixture's history, in the middle of a working day (UTC)."""
    return datetime(year, month, day, 15, 0, tzinfo=UTC)


def enrich_demo(db: Database) -> None:
    """Add to the demo what its generator leaves out: a LEDTA grant and a COPS award for this
    year, two bonus programs with claims in every state (paid inside and outside the fiscal
    year, one adjusted), and LEDTA follow-up assessments."""
    add_funding_source(
        db,
        FINANCE,
        {
            "name": "COPS CPD FY26",
            "kind": "cops_deescalation",
            "award_number": "15JCOPS-26-GG-04417",
            "amount": "$250,000.00",
            "start": "2025-10-01",
            "end": "2027-09-30",
        },
    )
    add_funding_source(
        db,
        FINANCE,
        {
            "name": "LEDTA FY26",
            "kind": "ledta",
            "award_number": "15PBJA-26-GK-01120",
            "amount": "$60,000.00",
            "start": "2025-10-01",
            "end": "2026-09-30",
        },
    )
    cops = add_program(
        db,
        CHIEF,
        {
            "name": "De-escalation bonus 2026",
            "topics": ["de_escalation"],
            "min_hours": "4",
            "passing_score": 70,
            "start": "2026-01-01",
            "end": "2026-12-31",
            "funding_source": "COPS CPD FY26",
        },
    )
    ledta = add_program(
        db,
        CHIEF,
        {
            "name": "CIT completion bonus",
            "amount": "$1,250.00",
            "courses": ["CIT-40"],
            "min_hours": "40",
            "start": "2026-01-01",
            "end": "2026-12-31",
            "funding_source": "LEDTA FY26",
        },
    )
    # Each step is dated before the payments that follow it, as the money rules require.
    eligible = [row.officer.id for row in find_eligible(db, cops) if row.claimable]
    claims = create_claims(db, SERGEANT, cops, eligible, now=at(2026, 2, 16))
    submit_claims(db, SERGEANT, claims, now=at(2026, 2, 17))
    reason = "post-test taken after the program closed"
    deny_claim(db, CHIEF, claims[0], reason=reason, now=at(2026, 2, 20))
    approve_claims(db, CHIEF, claims[1:], now=at(2026, 2, 20))
    void_claim(db, CHIEF, claims[1], reason="entered for the wrong officer", now=at(2026, 2, 23))
    paid_dates = ["2026-03-13", "2026-05-29", "2026-07-31", "2026-09-25", "2026-11-13"]
    paid = claims[2:-3]
    for index, claim_id in enumerate(paid):
        day = paid_dates[index % len(paid_dates)]
        pay_claim(db, FINANCE, claim_id, paid_on=day, reference=f"PAYROLL-{day}")
    add_adjustment(
        db,
        FINANCE,
        paid[-1],
        {
            "amount": "-250.00",
            "reason": "paid at the draft rate; recovered",
            "adjusted_on": "2026-11-16",
            "reference": "PAYROLL-2026-11-27",
        },
    )
    cit = [row.officer.id for row in find_eligible(db, ledta) if row.claimable]
    if cit:
        cit_claims = create_claims(db, SERGEANT, ledta, cit, now=at(2026, 9, 14))
        submit_claims(db, SERGEANT, cit_claims, now=at(2026, 9, 14))
        approve_claims(db, CHIEF, cit_claims, now=at(2026, 9, 18))
        pay_claim(db, FINANCE, cit_claims[0], paid_on="2026-09-25", reference="CHK-20411")
    followed = db.execute(
        "SELECT r.id, r.officer_id, r.completed FROM training_records r"
        " JOIN courses c ON c.id = r.course_id WHERE c.course_number = 'ICAT-8'"
        " AND r.completed BETWEEN '2025-10-01' AND '2026-09-30' ORDER BY r.id LIMIT 9"
    ).fetchall()
    for index, (record_id, officer_id, completed) in enumerate(followed):
        day = date.fromisoformat(completed).replace(day=28)
        add_followup(
            db,
            SERGEANT,
            officer_id,
            {
                "assessed_on": min(day, DEMO_TODAY),
                "assessor": "Lt. M. Harmon" if index % 2 else "Sgt. R. Delgado",
                "score": 70 + (index * 7) % 28,
                "notes": "Body-worn camera review of a crisis call",
                "record_id": record_id,
            },
        )


def build_demo(path: Path) -> Database:
    """A fresh demo database at `path`, enriched."""
    db = open_database(path)
    load_demo(db, today=DEMO_TODAY)
    enrich_demo(db)
    return db


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The enriched demo agency, built once for the test module (read-only in tests)."""
    db = build_demo(tmp_path_factory.mktemp("demo") / "demo.db")
    yield db
    db.close()


@pytest.fixture(scope="module")
def demo_path(demo: Database) -> Path:
    """The demo database file, for the command line."""
    return Path(demo.conn.execute("PRAGMA database_list").fetchone()[2])


def pdf_text(path: Path) -> list[str]:
    """The text of each page of a PDF, as a reader extracts it."""
    return [page.extract_text() for page in PdfReader(str(path)).pages]


def flat(text: str) -> str:
    """Whitespace folded to single spaces, so a wrapped cell still matches its words."""
    return " ".join(text.split())


@pytest.fixture(autouse=True)
def _demo_sign_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo database has users: commands sign in as its administrator."""
    monkeypatch.setenv("DEESC_USER", DEMO_ACTOR.username)
    monkeypatch.setenv("DEESC_PASSWORD", DEMO_PASSWORD)
