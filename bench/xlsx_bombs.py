"""Small hostile XLSX files, and the peak memory of reading each one in a fresh process.

`python -m bench.xlsx_bombs` builds each file, has a child process read it with the import
reader (under an address-space cap, so a reader without limits fails instead of taking the
machine down), and prints the file's size, the reader's answer and the child's peak RSS.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

_OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<Types xmlns="{_PACKAGE}/content-types">'
    '<Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OOXML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OOXML}.worksheet+xml"/>'
    "{extra}</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_RELATIONSHIP}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    f' xmlns:r="{_RELATIONSHIP}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_RELATIONSHIP}/worksheet" Target="worksheets/sheet1.xml"/>'
    "{extra}</Relationships>"
)
_SHARED_STRINGS_REL = (
    f'<Relationship Id="rId9" Type="{_RELATIONSHIP}/sharedStrings" Target="sharedStrings.xml"/>'
)
_SHARED_STRINGS_TYPE = (
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_OOXML}.sharedStrings+xml"/>'
)
_HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>badge</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>last_name</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>first_name</t></is></c>'
    '<c r="D1" t="inlineStr"><is><t>hire_date</t></is></c></row>'
)


def _sheet(rows: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{_HEADER_ROW}{rows}</sheetData></worksheet>"
    )


def _workbook(path: Path, sheet: str, *, shared_strings: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        extra = _SHARED_STRINGS_TYPE if shared_strings is not None else ""
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(extra=extra))
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        rel = _SHARED_STRINGS_REL if shared_strings is not None else ""
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.format(extra=rel))
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if shared_strings is not None:
            archive.writestr("xl/sharedStrings.xml", shared_strings)
    return path


def far_columns(path: Path, rows: int = 3_000) -> Path:
    """Each data row has a badge in column A and one more cell in column XFD (16,384)."""
    body = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{n}</t></is></c>'
        f'<c r="XFD{n}" t="inlineStr"><is><t>x</t></is></c></row>'
        for n in range(2, rows + 2)
    )
    return _workbook(path, _sheet(body))


def far_empty_columns(path: Path, rows: int = 3_000) -> Path:
    """As far_columns, but the far cells are empty (styled cells, as some programs write)."""
    body = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{n}</t></is></c><c r="XFD{n}" s="0"/></row>'
        for n in range(2, rows + 2)
    )
    return _workbook(path, _sheet(body))


def far_row(path: Path) -> Path:
    """One data row, in the last row Excel has, far to the right."""
    body = (
        '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>1</t></is></c>'
        '<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    return _workbook(path, _sheet(body))


def many_cells(path: Path, rows: int = 40_000, columns: int = 100) -> Path:
    """Four million small number cells: a large table squeezed into a small file."""
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(c) for c in range(1, columns + 1)]
    body = "".join(
        f'<row r="{n}">' + "".join(f'<c r="{x}{n}"><v>1</v></c>' for x in letters) + "</row>"
        for n in range(2, rows + 2)
    )
    return _workbook(path, _sheet(body))


def shared_strings(path: Path, count: int = 4_000_000) -> Path:
    """A shared-strings table of millions of tiny strings, read whole before the first row."""
    strings = "<si><t>a</t></si>" * count
    table = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        f' count="{count}" uniqueCount="{count}">{strings}</sst>'
    )
    return _workbook(path, _sheet(""), shared_strings=table)


def huge_sheet(path: Path, megabytes: int = 600) -> Path:
    """A worksheet padded with megabytes of spaces (a classic zip bomb), written in chunks."""
    head, tail = _sheet("").split("<sheetData>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(extra=""))
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.format(extra=""))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f"{head}<sheetData>".encode())
            chunk = b" " * (1024 * 1024)
            for _ in range(megabytes):
                sheet.write(chunk)
            sheet.write(tail.encode())
    return path


def wide_rows(path: Path, rows: int = 15_001, column: int = 200) -> Path:
    """One value per row, in column 200: few cells in the file, 3 million for the reader."""
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(column)
    body = "".join(
        f'<row r="{n}"><c r="{letter}{n}"><v>1</v></c></row>' for n in range(2, rows + 2)
    )
    return _workbook(path, _sheet(body))


def long_text(path: Path, characters: int = 1_000_000) -> Path:
    """One inline-string cell of a million characters."""
    body = f'<row r="2"><c r="A2" t="inlineStr"><is><t>{"x" * characters}</t></is></c></row>'
    return _workbook(path, _sheet(body))


BOMBS: dict[str, Callable[[Path], Path]] = {
    "cells in column XFD": far_columns,
    "empty cells in column XFD": far_empty_columns,
    "a cell in row 1,048,576, column XFD": far_row,
    "4 million cells": many_cells,
    "3 million cells from one value a row": wide_rows,
    "a million characters in one cell": long_text,
    "4 million shared strings": shared_strings,
    "200 MB of spaces": lambda path: huge_sheet(path, 200),
    "600 MB of spaces": huge_sheet,
}
"""Name -> builder of each hostile file."""

_CHILD = """
import json, resource, sys
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from deesc_desktop.importers import ImportFileError, read_table
try:
    table = read_table(sys.argv[1])
    answer = f"read {len(table.rows)} row(s)"
except ImportFileError as exc:
    answer = str(exc)
except MemoryError:
    answer = "MemoryError"
# VmHWM, not getrusage: ru_maxrss keeps the parent's peak across fork and exec.
with open("/proc/self/status") as status:
    peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(json.dumps({"answer": answer, "peak_mb": peak_kb / 1024}))
"""

ADDRESS_SPACE_CAP = 3 * 1024**3
"""The child may map at most this much: enough to show a problem, not enough to hurt the host."""


def peak_memory(path: Path, cap: int = ADDRESS_SPACE_CAP) -> tuple[str, float]:
    """(the reader's answer, peak RSS in MB) of reading `path` in a fresh Python process."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(cap)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0 or not done.stdout.strip():
        return f"child failed ({done.returncode}): {done.stderr.strip()[-300:]}", float("nan")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return str(result["answer"]), float(result["peak_mb"])


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        for name, build in BOMBS.items():
            path = build(Path(folder) / "bomb.xlsx")
            answer, peak = peak_memory(path)
            size = path.stat().st_size / 1024
            print(f"{name:<38} {size:8.0f} KB  peak {peak:7.0f} MB  {answer[:110]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
