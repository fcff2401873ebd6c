"""Hostile workbooks of a few kilobytes: refused before they are read, naming the file, and
read in a fresh process that stays far under 300 MB (the reader once built gigabytes)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from bench.xlsx_bombs import (
    far_columns,
    far_empty_columns,
    far_row,
    huge_sheet,
    long_text,
    peak_memory,
    shared_strings,
    wide_rows,
)
from deesc_desktop.importers.reader import MAX_SHEET_BYTES

MEMORY_LIMIT_MB = 300

REFUSED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "values in column XFD": (
        far_columns,
        "has a value in cell XFD2, column 16,384: an import reads at most 256 columns",
    ),
    "one value in row 1,048,576, column XFD": (far_row, "has a value in cell XFD1048576"),
    "3 million cells from one value a row": (wide_rows, "has more than 3,000,000 cells"),
    "a million characters in one cell": (long_text, "characters in one place near row 2"),
    "4 million shared strings": (shared_strings, "unpacks to 64 MB or more"),
    "a sheet unpacking past the limit": (
        partial(huge_sheet, megabytes=MAX_SHEET_BYTES // 2**20 + 1),
        "(xl/worksheets/sheet1.xml), far more than a roster",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_hostile_workbook_is_refused_in_little_memory(tmp_path: Path, case: str) -> None:
    build, words = REFUSED[case]
    path = build(tmp_path / "roster.xlsx")
    assert path.stat().st_size < 1024 * 1024
    answer, peak_mb = peak_memory(path)
    assert answer.startswith("roster.xlsx: "), answer
    assert words in answer
    assert peak_mb < MEMORY_LIMIT_MB, f"{case}: {peak_mb:.0f} MB"


def test_empty_styled_cells_far_right_are_ignored_not_built(tmp_path: Path) -> None:
    path = far_empty_columns(tmp_path / "roster.xlsx", rows=3_000)
    answer, peak_mb = peak_memory(path)
    assert answer == "read 3000 row(s)"
    assert peak_mb < MEMORY_LIMIT_MB
