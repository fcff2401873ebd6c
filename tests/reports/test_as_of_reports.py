"""Reports for a past date: the roster as it stood and only what was dated by then (issue 16).

Dates come from the demo's own rows (hire, separation, CIT and leave dates), which the
generator sets relative to the day it builds the demo.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from deesc_desktop.demo import DEMO_ACTOR
from deesc_desktop.reports import ReportParams, render
from deesc_desktop.services.cit import update_cit_settings
from deesc_desktop.services.compliance import department_compliance
from tests.reports.conftest import DEMO_TODAY, FIXED_NOW, flat, pdf_text

MID_LAST_YEAR = date(DEMO_TODAY.year - 1, 6, 30)
"""The issue's "as of 2025-06-30", for a demo built on its own today."""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("as-of")


def make(kind: str, db: Database, params: ReportParams, folder: Path, name: str) -> Path:
    return render(kind, db, params, folder / f"{name}.pdf", now=FIXED_NOW)


def officer_row(db: Database, last_name: str) -> tuple[str, str, date, date | None]:
    """(badge, "Last, First", hired, separated) of the demo officer with that last name."""
    badge, name, hired, separated = db.execute(
        "SELECT badge, last_name || ', ' || first_name, hire_date, separation_date"
        " FROM officers WHERE last_name = ?",
        [last_name],
    ).fetchone()
    return badge, name, date.fromisoformat(hired), separated and date.fromisoformat(separated)


def serving_on(db: Database, day: date) -> int:
    return int(
        db.execute(
            "SELECT count(*) FROM officers WHERE hire_date <= ?"
            " AND (separation_date IS NULL OR separation_date >= ?)",
            [day.isoformat(), day.isoformat()],
        ).fetchone()[0]
    )


def cit_days(db: Database) -> tuple[date, date]:
    """The demo's CIT course day and its refresher day."""
    basic, refresher = (
        date.fromisoformat(
            db.execute(
                "SELECT min(r.completed) FROM training_records r JOIN courses c"
                " ON c.id = r.course_id WHERE c.cit_role = ?",
                [role],
            ).fetchone()[0]
        )
        for role in ("certifying", "refresher")
    )
    return basic, refresher


def test_compliance_as_of_a_past_date_lists_the_officers_serving_then(
    demo: Database, out: Path
) -> None:
    coleman, foster, diaz = (officer_row(demo, n) for n in ("Coleman", "Foster", "Díaz"))
    assert coleman[2] > MID_LAST_YEAR and foster[2] > MID_LAST_YEAR  # hired later
    assert diaz[3] is not None and diaz[3] > MID_LAST_YEAR  # served then, separated since
    pages = pdf_text(make("compliance", demo, ReportParams(as_of=MID_LAST_YEAR), out, "past"))
    text = flat(" ".join(pages))
    assert coleman[1] not in text and foster[1] not in text
    assert f"{diaz[0]} {diaz[1]}" in text
    assert f"{serving_on(demo, MID_LAST_YEAR)} serving officers" in text
    assert "as recorded on" in text  # unit and shift are today's, and it says so


def test_compliance_as_of_today_still_leaves_the_separated_officer_out(
    demo: Database, out: Path
) -> None:
    diaz = officer_row(demo, "Díaz")
    text = flat(" ".join(pdf_text(make("compliance", demo, ReportParams(), out, "today"))))
    assert diaz[1] not in text
    assert f"{serving_on(demo, DEMO_TODAY)} serving officers" in text


def test_compliance_on_a_past_date_ignores_leave_that_had_not_begun(demo: Database) -> None:
    """Kim's deployment (with its state waiver) began after mid-year: as of mid-year none of
    his hours were reduced; once the waiver was granted and the leave under way, some were."""
    start, granted = (
        date.fromisoformat(value)
        for value in demo.execute(
            "SELECT e.start, e.granted_on FROM exemptions e JOIN officers o"
            " ON o.id = e.officer_id WHERE o.last_name = 'Kim'"
        ).fetchone()
    )
    assert start > MID_LAST_YEAR

    def reduced_on(day: date) -> list[str]:
        (kim,) = [
            person
            for person in department_compliance(demo, day, today=DEMO_TODAY)
            if person.officer.last_name == "Kim"
        ]
        return [
            result.requirement_id
            for result in kim.results
            if result.adjusted_required is not None
            and result.required is not None
            and result.adjusted_required < result.required
        ]

    assert reduced_on(MID_LAST_YEAR) == []
    assert reduced_on(max(start, granted) + timedelta(days=60)) != []


@pytest.fixture
def three_year_cit(demo: Database) -> Iterator[None]:
    """An agency policy that CIT certificates last three years (the default is no expiry),
    so that a refresher's effect on the expiry date shows."""
    update_cit_settings(demo, DEMO_ACTOR, {"validity_years": 3})
    try:
        yield
    finally:
        update_cit_settings(demo, DEMO_ACTOR, {"validity_years": "none"})


def test_cit_as_of_a_past_date_counts_no_later_refresher_or_hire(
    demo: Database, out: Path, three_year_cit: None
) -> None:
    basic, refresher = cit_days(demo)
    day = date(basic.year, 12, 31)
    assert basic < day < refresher
    expires = basic.replace(year=basic.year + 3).isoformat()
    renewed = refresher.replace(year=refresher.year + 3).isoformat()
    text = flat(" ".join(pdf_text(make("cit", demo, ReportParams(as_of=day), out, "cit-past"))))
    assert renewed not in text
    assert expires in text
    # Díaz held CIT then and served on the Days shift; the newer hires were not there yet.
    diaz = officer_row(demo, "Díaz")
    assert f"{diaz[0]} {diaz[1]}" in text
    patrol = demo.execute(
        "SELECT shift, count(*) FROM officers WHERE unit = 'Patrol' AND hire_date <= ?"
        " AND (separation_date IS NULL OR separation_date >= ?) GROUP BY shift",
        [day.isoformat(), day.isoformat()],
    ).fetchall()
    for shift, officers in patrol:
        assert f"{shift} {officers} " in text
    assert f"of {sum(n for _, n in patrol)} active officers" in text
    assert "as recorded on" in text  # rank, unit and shift are today's, and it says so


def test_transcript_to_a_past_date_shows_cit_as_it_stood(
    demo: Database, out: Path, three_year_cit: None
) -> None:
    basic, refresher = cit_days(demo)
    badge = officer_row(demo, "Castillo")[0]
    end = refresher - timedelta(days=400)
    params = ReportParams(badge=badge, end=end)
    text = flat(" ".join(pdf_text(make("transcript", demo, params, out, "castillo"))))
    assert f"expires {basic.replace(year=basic.year + 3).isoformat()}" in text
    assert refresher.replace(year=refresher.year + 3).isoformat() not in text


def test_grant_report_for_a_closed_period_counts_no_later_payment(
    demo: Database, out: Path
) -> None:
    """The demo pays bonuses through the year; a period that ended earlier spent less."""
    first_paid = demo.execute(
        "SELECT min(paid_on) FROM claims WHERE status = 'paid' AND funding_source_id IS NOT NULL"
    ).fetchone()[0]
    end = date.fromisoformat(first_paid) - timedelta(days=1)
    params = ReportParams(grant="cops", start=date(end.year - 1, 10, 1), end=end)
    text = flat(" ".join(pdf_text(make("grant", demo, params, out, "grant-closed"))))
    funds = text.split("Funds received and spent", 1)[1]
    assert "Spent by period end" in funds
    row = funds.split("COPS CPD FY26", 1)[1]
    assert "$250,000.00 $0.00 $0.00" in row


@pytest.mark.parametrize("kind", ["notice", "due-list", "compliance", "cit"])
def test_a_report_for_an_earlier_day_says_names_and_postings_are_todays(
    demo: Database, out: Path, kind: str
) -> None:
    """deesc keeps no history of names, rank, unit and shift: a deficiency notice and the due
    list (grouped by shift) for an earlier day say so, as the other rosters do."""
    earlier = DEMO_TODAY - timedelta(days=1 if kind == "due-list" else 40)  # something due
    params = ReportParams(
        as_of=earlier, badge=officer_row(demo, "García")[0] if kind == "notice" else None
    )
    text = flat(" ".join(pdf_text(make(kind, demo, params, out, f"todays-{kind}"))))
    assert (
        "Names, rank, unit and shift, the agency's settings (CIT policy, warning days, leave "
        f"proration) and its own requirements are as recorded on {DEMO_TODAY.isoformat()}: "
        "deesc keeps no history of them." in text
    )
    today = flat(" ".join(pdf_text(make(kind, demo, ReportParams(badge=params.badge), out, "now"))))
    assert "deesc keeps no history" not in today
