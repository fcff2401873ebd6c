"""Layouts that hold on real data: generated worst cases, read back from the PDF (issue 16).

Long agency, course and instructor names, seven requirements, a two-page transcript, names
from many alphabets.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.reports import ReportParams, render
from deesc_desktop.services.agency import update_agency
from deesc_desktop.services.imports import import_file
from deesc_desktop.services.officers import add_officer
from deesc_desktop.services.requirements import load_requirements_file
from deesc_desktop.services.training import Attendee, record_class
from tests.reports.conftest import flat, pdf_text

NOW = datetime(2026, 11, 22, 9, 30)
AGENCY = (
    "Metropolitan Nashville and Davidson County Police Department, Training Academy and "
    "Professional Standards Division"
)
COURSE = (
    "Crisis Intervention and De-escalation for Officers Responding to Behavioral Health "
    "Emergencies in Rural Jurisdictions"
)
INSTRUCTORS = (
    "Sgt. Maximilian Oppenheimer-Schwarzenberg; Lt. Bartholomew Featherstonehaugh; "
    "Dr. Anastasia Konstantinopoulou"
)
PROVIDER = "Illinois Law Enforcement Training and Standards Board Mobile Training Unit 9"
NAMES = [
    ("Zimmer", "Anna"),
    ("Żak", "Piotr"),
    ("Łukasz", "Nowak"),
    ("Lutz", "Karl"),
    ("Lopez", "Ana"),
    ("Müller", "Jonas"),
    ("Muller", "Amy"),
    ("Nuñez", "Rosa"),
    ("Ñandú", "Tito"),
    ("Øberg", "Lise"),
    ("Oberg", "Carl"),
    ("Çelik", "Emre"),
    ("Chen", "Wei"),
    ("Cruz", "Mia"),
]
EXPECTED_ORDER = [
    "Çelik",
    "Chen",
    "Cruz",
    "Lopez",
    "Łukasz",
    "Lutz",
    "Muller",
    "Müller",
    "Ñandú",
    "Nuñez",
    "Oberg",
    "Øberg",
    "Żak",
    "Zimmer",
]
EXTRA_RULES = "\n".join(
    f"""
[[requirements]]
id = "AGENCY-topic-{n}"
title = "Agency topic {n}: 1 hour every calendar year"
effective_from = 2020-01-01
hours = 1
topics = ["{topic}"]
period = {{ kind = "calendar_year" }}
new_hire = "prorate"
source = "General Order {n}"
"""
    for n, topic in enumerate(
        [
            "first_aid",
            "officer_wellness",
            "legal_updates",
            "firearms",
            "implicit_bias",
            "autism_awareness",
        ],
        start=1,
    )
)


@pytest.fixture
def worst(db: Database, admin: Actor, tmp_path: Path) -> dict[str, int]:
    """The long-named agency, fourteen officers, seven requirements, one long class."""
    update_agency(db, admin, {"name": AGENCY, "state": "IL"})
    ids = {}
    for number, (last, first) in enumerate(NAMES, start=1):
        ids[last] = add_officer(
            db,
            admin,
            {
                "badge": str(100 + number),
                "last_name": last,
                "first_name": first,
                "hire_date": "2015-01-01",
                "unit": "Patrol",
                "shift": ["Days", "Nights"][number % 2],
            },
        )
    rules = tmp_path / "agency.toml"
    rules.write_text(f'jurisdiction = "AGY"\nname = "Agency policy"\nversion = "1"\n{EXTRA_RULES}')
    load_requirements_file(db, admin, rules)
    values = {
        "course": COURSE,
        "course_number": "CIT-BH-40",
        "completed": "2026-03-02",
        "hours": "8",
        "topics": "de_escalation:4;crisis_intervention:4",
        "provider": PROVIDER,
        "instructor": INSTRUCTORS,
    }
    record_class(db, admin, values, [Attendee(i) for i in ids.values()])
    return ids


def words_of(*texts: str) -> list[str]:
    return [w for text in texts for w in text.split()]


def assert_whole_words(text: str, *phrases: str) -> None:
    """Every word of the phrases is printed whole somewhere: no "Oppenheimer-S / chwarzenberg"."""
    tokens = set(text.split())
    for word in words_of(*phrases):
        assert word in tokens, word


def test_long_course_and_instructor_names_wrap_between_words(
    db: Database, worst: dict[str, int], tmp_path: Path
) -> None:
    badge = "101"
    path = render("transcript", db, ReportParams(badge=badge), tmp_path / "t.pdf", now=NOW)
    text = " ".join(pdf_text(path))
    assert_whole_words(text, COURSE, INSTRUCTORS, PROVIDER)
    certificate = render("certificate", db, ReportParams(record_id=1), tmp_path / "c.pdf", now=NOW)
    assert_whole_words(" ".join(pdf_text(certificate)), COURSE, INSTRUCTORS, AGENCY)


def text_positions(path: Path) -> list[tuple[str, float]]:
    """(text, y) of every piece of text on the first page, y from the bottom edge."""
    found: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_args: object) -> None:
        if text.strip():  # the text matrix is inside the page's current matrix
            found.append((text.strip(), tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    PdfReader(str(path)).pages[0].extract_text(visitor_text=visit)
    return found


def test_a_certificate_with_long_names_stays_on_one_page_inside_its_border(
    db: Database, worst: dict[str, int], tmp_path: Path
) -> None:
    path = render("certificate", db, ReportParams(record_id=1), tmp_path / "c.pdf", now=NOW)
    pages = pdf_text(path)
    assert len(pages) == 1
    assert "Page 1 of 1" not in pages[0] and "Generated" not in pages[0]
    inner_border_bottom = 0.85 * 72
    for words, y in text_positions(path):
        assert y > inner_border_bottom, (words, y)
    captions = [y for words, y in text_positions(path) if words == "Date"]
    assert captions and captions[0] > inner_border_bottom + 6


def test_every_transcript_page_names_the_officer_and_the_agency(
    db: Database, admin: Actor, worst: dict[str, int], tmp_path: Path
) -> None:
    officer = worst["Żak"]
    for month in range(1, 13):
        for day in (3, 17):
            record_class(
                db,
                admin,
                {
                    "course": f"Roll-call training {month}-{day}",
                    "completed": date(2025, month, day).isoformat(),
                    "hours": "1",
                    "topics": "legal_updates",
                    "instructor": INSTRUCTORS,
                },
                [Attendee(officer)],
            )
    path = render(
        "transcript", db, ReportParams(badge="102", confidential=True), tmp_path / "t.pdf", now=NOW
    )
    pages = pdf_text(path)
    assert len(pages) >= 3
    for page in pages:
        assert "Żak, Piotr (badge 102)" in page
        assert "Metropolitan Nashville and Davidson County" in page
    assert flat(pages[0]).startswith(AGENCY)


def test_more_than_five_requirements_keep_unit_shift_and_overall_status(
    db: Database, worst: dict[str, int], tmp_path: Path
) -> None:
    path = render(
        "compliance", db, ReportParams(as_of=date(2026, 11, 22)), tmp_path / "c.pdf", now=NOW
    )
    text = flat(" ".join(pdf_text(path)))
    table = text.split("Officers and requirements", 1)[1].split("Requirements not met", 1)[0]
    assert "Unit / shift" in table and "Overall" in table
    for last, first in NAMES:
        # One row per officer that keeps the unit, shift and overall status, then how many
        # requirements are met and what is outstanding.
        rows = re.findall(
            rf"\d+ {re.escape(last)}, {re.escape(first)} Patrol / (?:Days|Nights) "
            r"(Non-compliant|Due soon|In progress|Compliant|Exempt) \d+ of \d+",
            table,
        )
        assert len(rows) == 1, last


def test_names_sort_where_a_reader_expects_them(
    db: Database, worst: dict[str, int], tmp_path: Path
) -> None:
    path = render("compliance", db, ReportParams(), tmp_path / "c.pdf", now=NOW)
    text = flat(" ".join(pdf_text(path)))
    table = text.split("Officers and requirements", 1)[1]
    firsts = [table.index(f"{last}, ") for last in EXPECTED_ORDER]
    assert firsts == sorted(firsts)


def test_month_names_keep_their_capital_and_no_command_is_printed(
    db: Database, worst: dict[str, int], tmp_path: Path
) -> None:
    params = ReportParams(badge="101", start=date(2001, 1, 1), end=date(2001, 12, 31))
    text = flat(" ".join(pdf_text(render("transcript", db, params, tmp_path / "e.pdf", now=NOW))))
    assert "(training from January 1, 2001 to December 31, 2001)" in text
    cit = flat(" ".join(pdf_text(render("cit", db, ReportParams(), tmp_path / "cit.pdf", now=NOW))))
    assert "deesc " not in cit and "cit." not in cit
    for month in ("january", "february", "march", "november", "december"):
        assert f" {month} " not in text


def test_a_roster_with_names_the_font_lacks_warns_at_import(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "badge,last_name,first_name,hire_date\n7,王,Wei,2020-01-01\n8,Nguyễn,Minh,2020-01-01\n",
        encoding="utf-8",
    )
    report = import_file(db, admin, "roster", roster)
    (warning,) = [w for w in report.warnings if "font" in w]
    assert warning.startswith("row 2: 王, Wei has letters")
    assert "(王)" in warning
