"""Every report's spreadsheet, read back with openpyxl: numbers, money and dates are typed cells
that a SUM or a date filter can use, and only identifiers stay text."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlite_utils import Database

from deesc_desktop.reports import REPORTS, ReportParams, export_table, renderer
from deesc_desktop.services.export import DATE, DATETIME, INTEGER, MONEY

IDENTIFIERS = frozenset({"badge", "state_id", "course_number", "batch", "requirement_id"})
"""Columns that look like numbers but are names for things: "0101" keeps its leading zero."""

LOOKS_NUMERIC = re.compile(r"[+-]?\$?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")
LOOKS_DATED = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}.*)?")
FORMATS = {INTEGER: "0", MONEY: "#,##0.00", DATE: "yyyy-mm-dd"}


def params_for(kind: str, demo: Database) -> ReportParams:
    """What each report needs to print something from the demo: an officer with training,
    a training record, the payment batch, a grant period with training in it."""
    record_id, badge = demo.execute(
        "SELECT r.id, o.badge FROM training_records r JOIN officers o ON o.id = r.officer_id"
        " WHERE r.pre_test IS NOT NULL ORDER BY r.id LIMIT 1"
    ).fetchone()
    (batch,) = demo.execute("SELECT reference FROM payment_batches ORDER BY id LIMIT 1").fetchone()
    return {
        "transcript": ReportParams(badge=badge),
        "certificate": ReportParams(record_id=record_id),
        "voucher": ReportParams(batch=batch),
        "grant": ReportParams(start=date(2025, 1, 1), end=date(2026, 11, 22)),
    }.get(kind, ReportParams())


def _sheet(path: Path) -> Worksheet:
    sheet = load_workbook(path).active
    assert isinstance(sheet, Worksheet)
    return sheet


@pytest.mark.parametrize("kind", list(REPORTS))
def test_every_report_spreadsheet_holds_numbers_money_and_dates_as_typed_cells(
    kind: str, demo: Database, tmp_path: Path
) -> None:
    params = params_for(kind, demo)
    path = tmp_path / f"{kind}.xlsx"
    assert export_table(kind, demo, params, path) > 0
    report = renderer(kind, demo, params)
    kinds = report.table(report.data).kinds
    sheet = _sheet(path)
    headers = [cell.value for cell in sheet[1]]
    assert kinds, f"{kind} declares no typed column"
    assert set(kinds) <= set(headers)
    typed = 0
    for row in sheet.iter_rows(min_row=2):
        for header, cell in zip(headers, row, strict=False):
            value = cell.value
            if value is None:
                continue
            column_kind = kinds.get(str(header))
            if column_kind is None:
                # Text columns hold words; a figure or a date written as text is a bug.
                assert isinstance(value, str), (kind, header, value)
                if header not in IDENTIFIERS:
                    assert not LOOKS_NUMERIC.fullmatch(value), (kind, header, value)
                    assert not LOOKS_DATED.fullmatch(value), (kind, header, value)
                continue
            typed += 1
            if column_kind in (DATE, DATETIME):
                assert isinstance(value, datetime), (kind, header, value)
            else:
                assert isinstance(value, int | float | Decimal), (kind, header, value)
            if column_kind in FORMATS:
                assert cell.number_format == FORMATS[column_kind], (kind, header)
    assert typed > 0, f"{kind}: no typed cell was written"


def test_the_public_summary_adds_up_in_a_spreadsheet(demo: Database, tmp_path: Path) -> None:
    path = tmp_path / "summary.xlsx"
    export_table("public-summary", demo, ReportParams(), path)
    sheet = _sheet(path)
    figures = {row[0]: row[1:] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert [cell.value for cell in sheet[1]] == ["measure", "count", "hours", "amount"]
    count, hours, amount = figures["officers_employed"]
    assert isinstance(count, int) and count > 0 and hours is None and amount is None
    assert isinstance(figures["training_hours"][1], int | float)
    assert figures["bonus_paid"][:2] == (None, None)
    assert isinstance(figures["bonus_paid"][2], int | float)
