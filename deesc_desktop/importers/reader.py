"""Read an import file (CSV or XLSX) into raw cell text with spreadsheet row numbers."""

from __future__ import annotations

import csv
import io
import math
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree
from xml.parsers import expat

from deesc_desktop.core.cells import restore
from deesc_desktop.importers.errors import ImportFileError

ACCEPTED_TYPES = "CSV files (.csv) and Excel workbooks (.xlsx)"
"""How the accepted file types are named to users."""

CSV_SUFFIXES = frozenset({".csv"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})

MAX_FILE_BYTES = 100 * 1024 * 1024
"""Far above any real roster or sign-in sheet; a bigger file is almost surely the wrong one."""

MAX_ROWS = 1_048_576
"""Excel's own row limit; a workbook claiming more rows is damaged."""

# A workbook is a zip of XML parts, and a few kilobytes of it can describe gigabytes of
# cells: a value in column XFD makes every row 16,384 cells wide as the reader builds it, a
# shared-strings part can unpack to millions of strings. These limits, far above any roster
# or sign-in sheet, are checked before the workbook is read, from the zip's directory and
# from one streaming pass over the first sheet that keeps nothing.
MAX_COLUMNS = 256
"""Import files use a dozen columns; a value further right than this is refused."""
MAX_CELLS = 3_000_000
"""Cells the reader would build (each row counted up to its last value): 100,000 rows of 30."""
MAX_PARTS = 10_000
"""Parts in the workbook's zip; Excel writes a few dozen."""
MAX_SHEET_BYTES = 256 * 1024 * 1024
"""Unpacked size of one worksheet part."""
MAX_PART_BYTES = 32 * 1024 * 1024
"""Unpacked size of any other part (shared strings, styles, ...), which are read whole."""
MAX_TOTAL_BYTES = 512 * 1024 * 1024
"""Unpacked size of the whole workbook."""
MAX_TEXT_RUN = 100_000
"""Characters of text in one place of a sheet's XML; Excel's longest cell holds 32,767."""

_SAVE_AS_HINT = (
    "in Excel use File > Save As and choose 'Excel Workbook (*.xlsx)' or 'CSV UTF-8 (*.csv)'"
)


@dataclass(frozen=True, slots=True)
class Table:
    """The first sheet of an import file as text, before any validation.

    `headers` are the column names as written in the file (columns with an empty name are
    left out). `rows` pairs the spreadsheet row number (the header is row 1, so the first
    data row is 2) with that row's cells in `headers` order, "" for an empty cell. Empty rows
    are skipped but still counted, so row numbers match what the user sees in Excel.
    `warnings` lists what was read but ignored.
    """

    file_name: str
    headers: list[str]
    rows: list[tuple[int, tuple[str, ...]]]
    """A tuple per row rather than a dict by header: the benchmark's 100,000-row file is held
    in 76 MB instead of 110 MB and read in 0.22 s instead of 0.36 s."""
    warnings: list[str] = field(default_factory=list)

    def by_header(self, cells: Sequence[str]) -> dict[str, str]:
        """One row's cells keyed by header."""
        return dict(zip(self.headers, cells, strict=True))


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
    try:
        # Numbered by record, not by line: a quoted cell with line breaks is still one row
        # in Excel. Read as the table is built, so the rows are not all held twice.
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        detail = (
            "a cell is far too long"
            if "field larger than field limit" in str(exc)
            else "the quotes do not match up"
        )
        raise ImportFileError(
            name, f"is not a well-formed CSV file near line {reader.line_num} ({detail})"
        ) from None


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
    extent = _check_workbook(name, data, damaged)
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
        if extent is None:  # openpyxl found a sheet the workbook's own index does not name
            raise damaged
        # Many programs write a wrong size into the sheet; read the cells that are there, and
        # no further right or down than the last value (empty styled cells beyond it are not
        # built).
        sheet.reset_dimensions()
        rows = sheet.iter_rows(max_col=max(extent.columns, 1), max_row=max(extent.rows, 1))
        for number, cells in enumerate(rows, start=1):
            values = [(cell.value, str(getattr(cell, "number_format", ""))) for cell in cells]
            if any(value is not None for value, _ in values):
                raw_rows.append((number, values))
    except ImportFileError:
        raise
    except Exception:
        raise damaged from None
    finally:
        workbook.close()
    # Converted outside the try so that a bug here is not mistaken for a damaged file.
    return ((number, [_cell_text(*cell) for cell in cells]) for number, cells in raw_rows)


def _check_workbook(name: str, data: bytes, damaged: ImportFileError) -> SheetExtent | None:
    """Refuse a workbook too big to read, before openpyxl reads any of it: too many parts, parts
    that unpack to too much, an endless run of text in a sheet, or a first sheet whose values
    reach too far right or make too many cells. Returns how far the first sheet's values reach
    (None when the workbook names no first sheet).
    """
    # Counted before the directory is parsed: a million entries cost memory to list.
    if data.count(b"PK\x01\x02") > MAX_PARTS:
        raise ImportFileError(
            name, f"is not a workbook an import can use: it holds more than {MAX_PARTS:,} parts"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_sizes(name, archive.infolist())
            first = _first_sheet_part(archive)
            extent = None
            # openpyxl looks through every sheet when it opens a workbook, so all are scanned.
            for part in archive.namelist():
                if part == first or (part.startswith("xl/worksheets/") and part.endswith(".xml")):
                    with archive.open(part) as source:
                        scanned = _scan_sheet(name, source, damaged, limit=part == first)
                    if part == first:
                        extent = scanned
    except ImportFileError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        ElementTree.ParseError,
        NotImplementedError,
        ValueError,
        EOFError,
    ):
        raise damaged from None
    return extent


def _check_sizes(name: str, parts: list[zipfile.ZipInfo]) -> None:
    total = 0
    for part in parts:
        # zipfile never unpacks more than the size the directory declares, so checking the
        # declared sizes bounds what openpyxl can unpack.
        limit = MAX_SHEET_BYTES if part.filename.startswith("xl/worksheets/") else MAX_PART_BYTES
        total += part.file_size
        if part.file_size > limit or total > MAX_TOTAL_BYTES:
            megabytes = max(part.file_size, total) // (1024 * 1024)
            raise ImportFileError(
                name,
                f"unpacks to {megabytes:,} MB or more ({part.filename}), far more than a "
                "roster, training or leave list; it was not read. Save the sheet you want "
                "to import in a new workbook, or as CSV, and import that",
            )


def _xml_elements(archive: zipfile.ZipFile, part: str) -> Iterator[ElementTree.Element]:
    """The elements of a small XML part as they end, forgotten once seen; none if it is absent."""
    if part not in archive.namelist():
        return
    with archive.open(part) as source:
        for _event, element in ElementTree.iterparse(source):
            yield element
            element.clear()


def _first_sheet_part(archive: zipfile.ZipFile) -> str | None:
    """The zip path of the workbook's first worksheet, as Excel and openpyxl order them."""
    workbook = "xl/workbook.xml"
    for element in _xml_elements(archive, "_rels/.rels"):
        if element.get("Type", "").endswith("/officeDocument"):
            workbook = element.get("Target", workbook).lstrip("/")
            break
    sheet_id = None
    for element in _xml_elements(archive, workbook):
        if element.tag.rpartition("}")[2] == "sheet":
            sheet_id = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
            break
    if sheet_id is None:
        return None
    folder, _, file_name = workbook.rpartition("/")
    for element in _xml_elements(archive, f"{folder}/_rels/{file_name}.rels".lstrip("/")):
        if element.get("Id") == sheet_id:
            target = element.get("Target", "")
            if target.startswith("/"):
                return target[1:]
            return posixpath.normpath(posixpath.join(folder, target))
    return None


@dataclass(slots=True)
class SheetExtent:
    """How far a sheet's values reach: the last row and column holding one, and the cells the
    reader would build to read them (each row up to its last value)."""

    rows: int = 0
    columns: int = 0
    cells: int = 0


_CELL_REFERENCE = re.compile(r"([A-Z]{1,3})(\d+)", re.ASCII)


def _scan_sheet(
    name: str, source: IO[bytes], damaged: ImportFileError, *, limit: bool
) -> SheetExtent:
    """One streaming pass over a worksheet's XML that keeps nothing but counts: refuse an
    endless run of text and, with `limit` (the sheet that is imported), values too far right
    or too many cells, before any cell is built."""
    extent = SheetExtent()
    row_number = 0
    row_end = 0  # the last column of this row holding a value
    column = 0
    cell_row = 0
    text_run = 0

    def refuse(reason: str) -> None:
        raise ImportFileError(name, reason)

    def close_row() -> None:
        nonlocal row_end
        if row_end and limit:
            extent.cells += row_end
            extent.rows = max(extent.rows, row_number)
            extent.columns = max(extent.columns, row_end)
            if extent.cells > MAX_CELLS:
                refuse(
                    f"has more than {MAX_CELLS:,} cells up to row {row_number:,}; an import "
                    "file has one row per officer, class or leave period and a dozen columns"
                )
        row_end = 0

    def start(tag: str, attributes: dict[str, str]) -> None:
        nonlocal row_number, row_end, column, cell_row, text_run
        text_run = 0
        local = tag.rpartition(":")[2]
        if local == "row":
            close_row()
            reference = attributes.get("r", "")
            row_number = int(reference) if reference.isdecimal() else row_number + 1
            column = 0
        elif local == "c":
            match = _CELL_REFERENCE.fullmatch(attributes.get("r", ""))
            if match:
                column = _column_number(match[1])
                cell_row = int(match[2])
            else:
                column, cell_row = column + 1, row_number
        elif local in ("v", "is", "f") and limit:  # a value, not only a style
            if column > MAX_COLUMNS:
                refuse(
                    f"has a value in cell {column_letter(column)}{cell_row}, column "
                    f"{column:,}: an import reads at most {MAX_COLUMNS} columns. Delete the "
                    "columns to the right of your data (or copy the data to a new sheet) "
                    "and save again"
                )
            if row_number > MAX_ROWS or cell_row > MAX_ROWS:
                raise damaged
            row_end = max(row_end, column)

    def text(data: str) -> None:
        nonlocal text_run
        text_run += len(data)
        if text_run > MAX_TEXT_RUN:
            refuse(
                f"holds more than {MAX_TEXT_RUN:,} characters in one place"
                f"{f' near row {row_number:,}' if row_number else ''}; no cell of an import "
                "file is that long"
            )

    def end(_tag: str) -> None:
        nonlocal text_run
        text_run = 0

    parser: Any = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 65536
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        while chunk := source.read(1024 * 1024):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise damaged from None
    close_row()
    return extent


def _column_number(letters: str) -> int:
    """Excel's column letters as a 1-based number: "A" -> 1, "XFD" -> 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


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


def _picker(positions: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """The cells at `positions`, in that order, as one C call per row."""
    if len(positions) > 1:
        return itemgetter(*positions)
    return lambda cells: tuple(cells[position] for position in positions)


def _build_table(name: str, records: Iterable[tuple[int, list[str]]]) -> Table:
    columns: list[tuple[int, str]] | None = None
    rows: list[tuple[int, tuple[str, ...]]] = []
    named: set[int] = set()
    unnamed_with_data: set[int] = set()
    # Rows of a file mostly have one width: its unnamed positions are found once per width.
    unnamed_by_width: dict[int, list[int]] = {}
    last_named = 0
    pick: Callable[[list[str]], tuple[str, ...]] = _picker([])
    for number, cells in records:
        if columns is None:
            if any(cell.strip() for cell in cells):
                columns = _header_columns(name, cells)
                named = {position for position, _ in columns}
                last_named = max(named)
                pick = _picker([position for position, _ in columns])
            continue
        width = len(cells)
        unnamed = unnamed_by_width.get(width)
        if unnamed is None:
            unnamed = unnamed_by_width[width] = [p for p in range(width) if p not in named]
        for position in unnamed:
            if cells[position].strip():
                unnamed_with_data.add(position)
        if width > last_named:
            values = pick(cells)
        else:
            values = tuple(cells[position] if position < width else "" for position, _ in columns)
        # One text of the row answers both questions below for most rows at C speed.
        joined = "".join(values)
        if "'" in joined:
            # A leading apostrophe that kept text from running as a formula (as exports
            # write it, and as Excel types text) is not part of the value.
            values = tuple(restore(value) if value.startswith("'") else value for value in values)
        if joined.strip():
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
