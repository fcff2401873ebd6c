"""Read an import file (CSV or XLSX) into raw cell text with spreadsheet row numbers."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from deesc_desktop.importers.errors import ImportFileError

ACCEPTED_TYPES = "CSV files (.csv) and Excel workbooks (.xlsx)"
"""How the accepted file types are named to users."""

CSV_SUFFIXES = frozenset({".csv"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})

MAX_FILE_BYTES = 100 * 1024 * 1024
"""Far above any real roster or sign-in sheet; a bigger file is almost surely the wrong one."""

MAX_ROWS = 1_048_576
"""Excel's own row limit; a workbook claiming more rows is damaged."""

_SAVE_AS_HINT = (
    "in Excel use File > Save As and choose 'Excel Workbook (*.xlsx)' or 'CSV UTF-8 (*.csv)'"
)


@dataclass(frozen=True, slots=True)
class Table:
    """The first sheet of an import file as text, before any validation.

    `headers` are the column names as written in the file (columns with an empty name are
    left out). `rows` pairs the spreadsheet row number (the header is row 1, so the first
    data row is 2) with that row's cells keyed by header; every header is present in every
    row, "" for an empty cell. Empty rows are skipped but still counted, so row numbers match
    what the user sees in Excel. `warnings` lists what was read but ignored.
    """

    file_name: str
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]
    warnings: list[str] = field(default_factory=list)


def normalise_header(name: str) -> str:
    """Header identity: case-insensitive, surrounding spaces ignored, '_' the same as a space."""
    return " ".join(re.split(r"[\s_]+", name.strip().casefold())).strip()


def read_table(path: Path | str) -> Table:
    """Read the first sheet of a .csv or .xlsx file.

    Raises ImportFileError, naming the file and what is wrong, when the file is missing,
    unreadable, of another type, damaged, empty, has no data rows or repeats a column name.
    """
    path = Path(path)
    name = path.name or str(path)
    data = _read_bytes(path, name)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        table = _build_table(name, _csv_records(name, data))
    elif suffix in XLSX_SUFFIXES:
        table = _build_table(name, _xlsx_records(name, data))
    elif suffix == ".xls":
        raise ImportFileError(
            name,
            "is an old-style Excel 97-2003 workbook (.xls), which cannot be imported; "
            f"{_SAVE_AS_HINT}",
        )
    elif suffix:
        raise ImportFileError(name, f"is a {suffix} file; only {ACCEPTED_TYPES} can be imported")
    else:
        raise ImportFileError(
            name, f"has no file type in its name; only {ACCEPTED_TYPES} can be imported"
        )
    return table


def _read_bytes(path: Path, name: str) -> bytes:
    try:
        if path.is_dir():
            raise ImportFileError(name, f"is a folder, not a file ({path})")
        if not path.exists():
            raise ImportFileError(name, f"was not found ({path})")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportFileError(
                name,
                f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; "
                "is it really a roster, training or leave list?",
            )
        return path.read_bytes()
    except PermissionError:
        raise ImportFileError(
            name,
            "could not be opened because access was refused; "
            "if it is open in Excel, close it and try again",
        ) from None
    except OSError as exc:
        raise ImportFileError(name, f"could not be read ({exc.strerror or exc})") from None


# --- CSV ---------------------------------------------------------------------------------


def _looks_like(data: bytes) -> str | None:
    """What a binary file probably is, judged by its first bytes; None for plain text."""
    if data.startswith(b"PK\x03\x04"):
        if b"xl/" in data:
            return "an Excel workbook; rename it to end in .xlsx"
        if b"word/" in data:
            return "a Word document"
        return "a zip archive"
    if data.startswith(b"%PDF"):
        return "a PDF document"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old-style Excel (.xls) or Word (.doc) file"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "a picture"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "Unicode (UTF-16) text; in Excel save it as 'CSV UTF-8 (*.csv)' instead"
    if b"\x00" in data:
        return "a binary (non-text) file"
    return None


def _decode(name: str, data: bytes) -> str:
    # Excel writes "CSV UTF-8" with a BOM and plain "CSV" in the Windows code page (cp1252
    # for US English). Valid UTF-8 is almost never valid-looking cp1252 by accident, so
    # trying UTF-8 first cannot misread a cp1252 file that has any accented letter.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            name,
            f"contains characters that cannot be read (on line {line}); "
            "in Excel save it as 'CSV UTF-8 (*.csv)' and import it again",
        ) from None


def _delimiter(text: str) -> str:
    # Excel in some regional settings separates with ';', and "Text (Tab delimited)" files
    # are sometimes renamed .csv; the header row tells which one the file uses.
    first_line = text.split("\n", 1)[0].split("\r", 1)[0]
    if "," in first_line:
        return ","
    return max((";", "\t"), key=first_line.count) if re.search("[;\t]", first_line) else ","


def _csv_records(name: str, data: bytes) -> Iterator[tuple[int, list[str]]]:
    what = _looks_like(data)
    if what is not None:
        raise ImportFileError(
            name, f"is not a CSV text file: it looks like {what}. Accepted: {ACCEPTED_TYPES}"
        )
    text = _decode(name, data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    records: list[tuple[int, list[str]]] = []
    try:
        # Numbered by record, not by line: a quoted cell with line breaks is still one row
        # in Excel.
        for number, record in enumerate(reader, start=1):
            records.append((number, record))
    except csv.Error as exc:
        detail = (
            "a cell is far too long"
            if "field larger than field limit" in str(exc)
            else "the quotes do not match up"
        )
        raise ImportFileError(
            name, f"is not a well-formed CSV file near line {reader.line_num} ({detail})"
        ) from None
    return iter(records)


# --- XLSX --------------------------------------------------------------------------------


def _xlsx_records(name: str, data: bytes) -> Iterator[tuple[int, list[str]]]:
    if not data.startswith(b"PK\x03\x04"):
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            reason = (
                "is password-protected or is an old-style Excel (.xls) file saved as .xlsx; "
                f"remove the password, or {_SAVE_AS_HINT}"
            )
        elif not data.strip():
            reason = "is empty: the first row should hold the column names"
        else:
            reason = (
                "is not really an Excel workbook (if it is a CSV file, rename it to end "
                f"in .csv). Accepted: {ACCEPTED_TYPES}"
            )
        raise ImportFileError(name, reason)
    what = _looks_like(data)
    if what is not None and not what.startswith("an Excel workbook"):
        raise ImportFileError(
            name, f"is not an Excel workbook: it looks like {what}. Accepted: {ACCEPTED_TYPES}"
        )
    damaged = ImportFileError(
        name,
        "could not be read as an Excel workbook: the file is damaged or is not really "
        f"an .xlsx file. Accepted: {ACCEPTED_TYPES}",
    )
    # Imported here: openpyxl costs a tenth of a second, and only .xlsx files need it.
    from openpyxl import load_workbook

    # openpyxl fails on a damaged workbook in many ways (zip, XML, value conversions) and at
    # any point while rows are streamed, so any error from it means "damaged file".
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise damaged from None
    raw_rows: list[tuple[int, list[tuple[object, str]]]] = []
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise ImportFileError(name, "has no worksheet")
        sheet = sheets[0]
        # Many programs write a wrong size into the sheet; read the cells that are there.
        sheet.reset_dimensions()
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            if number > MAX_ROWS:
                raise damaged
            raw_rows.append(
                (number, [(cell.value, str(getattr(cell, "number_format", ""))) for cell in cells])
            )
    except ImportFileError:
        raise
    except Exception:
        raise damaged from None
    finally:
        workbook.close()
    # Converted outside the try so that a bug here is not mistaken for a damaged file.
    return ((number, [_cell_text(*cell) for cell in cells]) for number, cells in raw_rows)


def _cell_text(value: object, number_format: str) -> str:
    """A cell's value as the text a user would have typed for it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        # A completion or hire date typed with a time still means that day.
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, int | float):
        if "%" in number_format:
            # A score shown as 95% is stored as 0.95; give back what the user sees.
            return _number_text(Decimal(f"{value:.15g}") * 100) + "%"
        return _number_text(value)
    return str(value)


def _number_text(value: int | float | Decimal) -> str:
    """1234.0 -> "1234", 1.5 -> "1.5", never exponent notation or float noise."""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return repr(value)
        # Excel keeps 15 significant digits; more would show binary noise (0.1+0.2).
        value = Decimal(f"{value:.15g}")
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


# --- shared --------------------------------------------------------------------------------


def column_letter(position: int) -> str:
    """Excel's name for a 1-based column number: 1 -> "A", 27 -> "AA"."""
    letters = ""
    while position > 0:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _build_table(name: str, records: Iterable[tuple[int, list[str]]]) -> Table:
    columns: list[tuple[int, str]] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    named: set[int] = set()
    unnamed_with_data: set[int] = set()
    for number, cells in records:
        if columns is None:
            if any(cell.strip() for cell in cells):
                columns = _header_columns(name, cells)
                named = {position for position, _ in columns}
            continue
        width = len(cells)
        for position, cell in enumerate(cells):
            if position not in named and cell.strip():
                unnamed_with_data.add(position)
        values = {
            header: (cells[position] if position < width else "") for position, header in columns
        }
        if any(value.strip() for value in values.values()):
            rows.append((number, values))
    if columns is None:
        raise ImportFileError(
            name, "is empty: the first row should hold the column names (see the templates)"
        )
    if not rows:
        raise ImportFileError(name, "has column names but no data rows below them")
    warnings = [
        f"column {column_letter(position + 1)} has values but no name in the header row; "
        "it was ignored"
        for position in sorted(unnamed_with_data)
    ]
    return Table(
        file_name=name, headers=[header for _, header in columns], rows=rows, warnings=warnings
    )


def _header_columns(name: str, cells: list[str]) -> list[tuple[int, str]]:
    columns: list[tuple[int, str]] = []
    seen: dict[str, tuple[int, str]] = {}
    for position, header in enumerate(cells):
        if not header.strip():
            continue
        key = normalise_header(header)
        if key in seen:
            first_position, first_header = seen[key]
            raise ImportFileError(
                name,
                f'has two columns with the same name: "{first_header.strip()}" '
                f'(column {column_letter(first_position + 1)}) and "{header.strip()}" '
                f"(column {column_letter(position + 1)}); rename or delete one of them",
            )
        seen[key] = (position, header)
        columns.append((position, header))
    return columns
