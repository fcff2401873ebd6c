"""Every CSV and XLSX file the app writes, and the roster and training exports in the import
files' own layout.

Two promises hold for every file written here:
- no cell is a formula: text a spreadsheet would run as one gets a leading apostrophe (the
  OWASP rule, core/cells.py), an XLSX text cell is always text; a plain number such as
  "-200.00" is a number, not text, and stays as it is;
- an XLSX file is one a clerk can work with in Excel: numbers and money are numbers (a SUM
  adds them up), dates are dates, columns are wide enough, the header row is frozen and
  filters are on.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from sqlite_utils import Database

from deesc_desktop.core.cells import neutralise
from deesc_desktop.core.times import zone_abbreviation
from deesc_desktop.importers.validate import COLUMNS
from deesc_desktop.services.errors import ServiceError
from deesc_desktop.store.officers import officer_values
from deesc_desktop.store.training import training_export_rows

ROSTER_COLUMNS = COLUMNS["roster"]
"""The roster import columns, plus separation_date so separated officers re-import intact."""

TRAINING_COLUMNS = COLUMNS["training"]
"""The training import columns: an export re-imports as it is."""


class ColumnKind(StrEnum):
    """What a column holds, so a spreadsheet gets a number, an amount or a date, not text."""

    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    MONEY = "money"
    """Plain dollars with two decimals ("3800.00"), as format_plain writes them."""
    DATE = "date"
    """ISO YYYY-MM-DD."""
    DATETIME = "datetime"
    """ISO 8601 with the UTC offset ("2026-03-01T08:12:05-06:00"): local time, labelled."""


TEXT, INTEGER, NUMBER, MONEY, DATE, DATETIME = ColumnKind

ColumnKinds = Mapping[str, ColumnKind]
"""Header -> kind, for the columns that are not text."""

ROSTER_KINDS: ColumnKinds = {"hire_date": DATE, "license_date": DATE, "separation_date": DATE}
TRAINING_KINDS: ColumnKinds = {
    "completed": DATE,
    "hours": NUMBER,
    "pre_test": NUMBER,
    "post_test": NUMBER,
}

_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
_INTEGER = re.compile(r"[+-]?\d+", re.ASCII)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)

MAX_COLUMN_WIDTH = 60
"""Characters; a longer cell wraps in Excel rather than making one column a screen wide."""
_WIDTH_SAMPLE = 2000
"""Rows looked at to size the columns; more would cost time and change nothing."""


def csv_cells(values: Iterable[object]) -> list[str]:
    """One CSV row: None as empty, numbers as written, text neutralised."""
    return [
        "" if value is None else neutralise(value) if isinstance(value, str) else str(value)
        for value in values
    ]


def _typed(text: str, kind: ColumnKind) -> object:
    """The value an XLSX cell holds for `text` in a column of `kind`; text when it does not
    read as that kind (a blank stays blank)."""
    if text == "":
        return None
    if kind is INTEGER and _INTEGER.fullmatch(text):
        return int(text)
    if kind in (NUMBER, MONEY):
        plain = text.replace("$", "").replace(",", "") if kind is MONEY else text
        if _DECIMAL.fullmatch(plain):
            return Decimal(plain)
    if kind is DATE and _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    if kind is DATETIME:
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass
    return text


_FORMATS = {
    INTEGER: "0",
    NUMBER: "General",
    MONEY: "#,##0.00",
    DATE: "yyyy-mm-dd",
}


def _column_widths(
    headers: Sequence[str], rows: Sequence[Sequence[str]], kinds: ColumnKinds
) -> list[int]:
    widths = []
    for position, header in enumerate(headers):
        longest = len(header)
        for row in rows[:_WIDTH_SAMPLE]:
            if position < len(row):
                longest = max(longest, len(str(row[position])))
        if kinds.get(header) is DATETIME:
            longest = max(longest, 20)
        widths.append(min(MAX_COLUMN_WIDTH, longest + 2))
    return widths


def _write_xlsx(
    target: Path, headers: Sequence[str], rows: Sequence[Sequence[str]], kinds: ColumnKinds
) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    # Sizes, the frozen header and the filter are written before the rows in the file.
    for position, width in enumerate(_column_widths(headers, rows, kinds), start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.freeze_panes = "A2"
    last = get_column_letter(max(1, len(headers)))
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    bold = Font(bold=True)

    def text_cell(text: str) -> WriteOnlyCell:
        # Characters XML cannot hold (control codes) would make the file unreadable.
        cell = WriteOnlyCell(sheet, value=neutralise(ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)))
        cell.data_type = "s"  # never a formula, whatever the text
        return cell

    header_cells = []
    for header in headers:
        cell = text_cell(header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    kind_of = [kinds.get(header, TEXT) for header in headers]
    for row in rows:
        cells: list[WriteOnlyCell | None] = []
        for position, raw in enumerate(row):
            text = "" if raw is None else str(raw)
            kind = kind_of[position] if position < len(kind_of) else TEXT
            value = _typed(text, kind) if kind is not TEXT else (text or None)
            if value is None:
                cells.append(None)
            elif isinstance(value, str):
                cells.append(text_cell(value))
            elif isinstance(value, datetime):
                cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
                # Excel has no time zones: the zone is written beside each time.
                zone = zone_abbreviation(value) if value.tzinfo else ""
                cell.number_format = f'yyyy-mm-dd hh:mm "{zone}"' if zone else "yyyy-mm-dd hh:mm"
                cells.append(cell)
            else:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = _FORMATS[kind]
                cells.append(cell)
        sheet.append(cells)
    book.save(target)


def write_table(
    path: Path,
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    kinds: ColumnKinds | None = None,
) -> int:
    """Write rows to .csv (UTF-8 with BOM, so Excel reads accents) or .xlsx; returns the count.

    `kinds` names the columns that hold integers, numbers, money, dates or times (the rest is
    text). Nothing is left half-written under the real name.
    """
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ServiceError(f"{path.name}: exports are written as .csv or .xlsx")
    table = [list(row) for row in rows]
    tmp = path.with_name(f".{path.name}.partial")
    try:
        if suffix == ".csv":
            with tmp.open("w", newline="", encoding="utf-8-sig") as handle:
                writer = csv.writer(handle)
                writer.writerow(csv_cells(headers))
                writer.writerows(csv_cells(row) for row in table)
        else:
            _write_xlsx(tmp, headers, table, kinds or {})
        tmp.replace(path)
    except OSError as exc:
        raise ServiceError(f"Could not write {path}: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return len(table)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def roster_rows(db: Database) -> Iterable[list[str]]:
    """The roster as the roster import file lays it out."""
    for row in officer_values(db, ROSTER_COLUMNS):
        yield ["" if value is None else str(value) for value in row]


def training_rows(db: Database) -> Iterable[list[str]]:
    """Training records as the training import file lays them out (re-importable as is)."""
    for badge, title, completed, hours, topics, *rest in training_export_rows(db):
        delivery, provider, instructor, number, pre_test, post_test = rest
        yield [
            badge,
            title,
            completed,
            _number(hours),
            topics or "",
            delivery,
            provider,
            instructor,
            number,
            _number(pre_test),
            _number(post_test),
        ]


def export_roster(db: Database, path: Path) -> int:
    """Write the roster to a CSV or XLSX file; returns the number of officers."""
    return write_table(path, ROSTER_COLUMNS, roster_rows(db), ROSTER_KINDS)


def export_training(db: Database, path: Path) -> int:
    """Write every training record to a CSV or XLSX file; returns the number of records."""
    return write_table(path, TRAINING_COLUMNS, training_rows(db), TRAINING_KINDS)
