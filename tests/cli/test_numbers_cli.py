"""Numbers and dates typed on the command line: a record number too large for SQLite, digits
that are not 0-9, a fiscal year or an as-of date the calendar cannot count from, a report
period of millennia. Each is refused in words, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from deesc_desktop.gui.models import natural_key
from deesc_desktop.services.errors import ValidationError
from deesc_desktop.services.incidents import clean_incident
from deesc_desktop.store.rows import row_number
from tests.cli.test_cli import run

TOO_LARGE = str(2**63)  # one past SQLite's largest row number


@pytest.mark.parametrize(
    "args",
    [
        ("bonus", "pay", TOO_LARGE, "--date", "2026-01-05", "--reference", "R1"),
        ("bonus", "deny", "²", "--reason", "duplicate"),
        ("files", "get", "١٢"),
        ("cit", "revoke", TOO_LARGE, "--reason", "entered twice"),
        ("incidents", "show", "99999999999999999999999"),
    ],
)
def test_a_record_number_that_names_no_row_is_a_usage_error(
    pristine: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    code, _out, err = run(capsys, "--db", str(pristine), *args)
    assert code == 2
    assert "is not a record number" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("audit", "history", "--limit", "-5"), '"-5" is not a whole number from 1 to 10,000,000'),
        (("due", "--days", "99999999999999"), "is not a whole number from 1 to 3,650"),
        (("report", "certificate", "--record", TOO_LARGE, "-o", "c.pdf"), "not a record number"),
    ],
)
def test_a_count_out_of_its_range_is_a_usage_error(
    pristine: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], said: str
) -> None:
    """Before, --limit -5 listed every entry (SQLite's LIMIT -1) and --days past a date's
    range stopped the command with an OverflowError."""
    code, _out, err = run(capsys, "--db", str(pristine), *args)
    assert code == 2 and said in err


@pytest.mark.parametrize("program", [TOO_LARGE, "²", "1²"])
def test_a_program_named_by_a_number_that_names_none_is_refused(
    pristine: Path, capsys: pytest.CaptureFixture[str], program: str
) -> None:
    code, _out, err = run(capsys, "--db", str(pristine), "bonus", "eligible", program)
    assert code == 1
    assert f'There is no bonus program "{program}"' in err


def test_a_fiscal_year_is_one_a_date_can_hold_and_has_begun(
    pristine: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--db", str(pristine))
    code, _out, err = run(capsys, *db, "incidents", "figures", "--fiscal-year", "99999999999")
    assert code == 2 and '"99999999999" is not a fiscal year (1901 to 9999)' in err
    code, _out, err = run(capsys, *db, "incidents", "figures", "--fiscal-year", "9999")
    assert code == 1 and "FY9999 has not begun: it runs from 9998-10-01 to 9999-09-30" in err


def test_row_numbers_are_plain_digits_that_sqlite_can_store() -> None:
    assert row_number(" 12 ") == 12
    assert row_number(str(2**63 - 1)) == 2**63 - 1
    for text in (TOO_LARGE, "²", "١٢", "-1", "1.0", ""):
        assert row_number(text) is None


def test_digits_other_than_0_to_9_are_words_not_numbers() -> None:
    """str.isdigit() holds for "²", which int() refuses: badges and ages like it once
    stopped the roster's sort and the incident form."""
    assert sorted(["12²", "100", "99"], key=natural_key) == ["99", "100", "12²"]
    with pytest.raises(ValidationError) as refused:
        clean_incident(
            {"reference": "26-1", "occurred_on": "2026-01-10", "subject_age": "4²"},
        )
    assert refused.value.field_errors["subject_age"] == '"4²" is not an age in years'


def test_an_incident_file_with_superscript_digits_is_refused_row_by_row(
    pristine: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "uof.csv"
    path.write_text(
        "reference,occurred_on,incident_type,deescalation_used,force_type,officer_badges,"
        "officers_injured,subject_age\n"
        "26-1,2026-01-02,welfare_check,yes,none,1001,²,4²\n",
        encoding="utf-8",
    )
    code, _out, err = run(
        capsys, "--db", str(pristine), "incidents", "import", "--dry-run", str(path)
    )
    assert code == 1 and "Traceback" not in err
    assert 'row 2, column officers_injured: "²" is not a whole number of people' in err
    assert "row 2, column subject_age:" in err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("compliance", "--as-of", "9999-12-31"), "9999-12-31 is outside the dates this app"),
        (
            ("report", "grant", "--from", "1901-01-01", "--to", "8999-12-31", "-o", "g.pdf"),
            "the period runs from 1901-01-01 to 8999-12-31; a report covers at most 100 years",
        ),
    ],
)
def test_a_date_or_period_the_app_cannot_work_with_is_refused(
    pristine: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    said: str,
) -> None:
    """Before, the first stopped with "year 10002 is out of range" and the second built a
    report of 28,000 quarters for minutes."""
    monkeypatch.chdir(tmp_path)
    code, _out, err = run(capsys, "--db", str(pristine), *args)
    assert code == 1 and said in err and "Traceback" not in err
