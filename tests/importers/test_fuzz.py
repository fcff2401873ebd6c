"""Fuzz the import path: any file gives a Table or an ImportFileError; validators never crash."""

from __future__ import annotations

import csv
import io
import os
import tempfile
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from deesc_desktop.core.topics import TOPICS
from deesc_desktop.importers import (
    COLUMNS,
    ImportFileError,
    RowError,
    Table,
    ValidationResult,
    read_table,
    validate_leave,
    validate_roster,
    validate_training,
)
from deesc_desktop.importers.incidents import validate_incidents

EXAMPLES = int(os.environ.get("DEESC_FUZZ_EXAMPLES", "300"))

fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    # Examples are replayed from the printed failure, not from a database in the repository.
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

pytestmark = pytest.mark.slow

KNOWN_BADGES = ["1", "0417", "1042", "77"]
KNOWN_REQUIREMENTS = ["IL-annual", "IL-ufo"]
TODAY = date(2025, 6, 30)

Validator = Callable[[Table], ValidationResult[Any]]
VALIDATORS: dict[str, Validator] = {
    "roster": validate_roster,
    "training": lambda table: validate_training(table, KNOWN_BADGES, TOPICS, today=TODAY),
    "leave": lambda table: validate_leave(table, KNOWN_BADGES, KNOWN_REQUIREMENTS),
    "incidents": lambda table: validate_incidents(table, KNOWN_BADGES, today=TODAY),
}


def read_bytes_as(data: bytes, name: str) -> Table | None:
    """read_table on a file holding `data`; None when refused (the only exception allowed)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            table = read_table(path)
        except ImportFileError as exc:
            assert str(exc).startswith(f"{name}: ")
            assert exc.reason
            event("file refused")
            return None
    event("file read")
    check_table(table)
    return table


def check_table(table: Table) -> None:
    numbers = [number for number, _ in table.rows]
    assert numbers == sorted(set(numbers))
    assert numbers and numbers[0] >= 2
    assert all(header.strip() for header in table.headers)
    for _, cells in table.rows:
        assert len(cells) == len(table.headers)
        assert any(value.strip() for value in cells)


def check_result(table: Table, result: ValidationResult[Any]) -> None:
    """Every refusal is located; every data row is either accepted or refused, never both."""
    data_rows = {number for number, _ in table.rows}
    assert result.ok == (not result.errors)
    for error in result.errors:
        assert isinstance(error, RowError)
        assert error.file_name == table.file_name
        assert error.reason
        assert str(error).startswith(table.file_name)
        assert error.column is not None
        if error.row is not None:
            assert error.row in data_rows
            assert error.column in table.headers
    if any(error.row is None for error in result.errors):
        assert result.rows == []
        event("columns refused")
        return
    event("some rows accepted" if result.rows else "every row refused")
    accepted = {row.row_number for row in result.rows}
    refused = {error.row for error in result.errors}
    assert accepted | refused == data_rows
    assert not accepted & refused


def validate_all(table: Table) -> None:
    for validate in VALIDATORS.values():
        check_result(table, validate(table))


# --- arbitrary files --------------------------------------------------------------------

PREFIXES = [b"", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"%PDF", b"badge,course\n"]


@fuzz
@given(
    prefix=st.sampled_from(PREFIXES),
    body=st.binary(max_size=2000),
    name=st.sampled_from(["f.csv", "f.xlsx", "f.CSV", "f.xls", "f.txt", "f"]),
)
def test_arbitrary_bytes_are_read_or_refused(prefix: bytes, body: bytes, name: str) -> None:
    table = read_bytes_as(prefix + body, name)
    if table is not None:
        validate_all(table)


def _workbook_bytes() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["badge", "course", "completed", "hours", "topics"])
    sheet.append([1042, "CIT", date(2024, 3, 14), 8.5, "crisis_intervention"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


VALID_XLSX = _workbook_bytes()


@fuzz
@given(
    member=st.sampled_from(
        ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml"]
    ),
    edits=st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=8)), max_size=6),
)
def test_damaged_workbook_xml_is_read_or_refused(
    member: str, edits: list[tuple[float, bytes]]
) -> None:
    # Rebuilding the zip keeps it a valid archive so the damage reaches openpyxl's XML
    # parsing and cell conversion, not only the zip checksum.
    source = zipfile.ZipFile(io.BytesIO(VALID_XLSX))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == member:
                mutable = bytearray(content)
                for where, replacement in edits:
                    position = int(where * len(mutable))
                    mutable[position : position + len(replacement)] = replacement
                content = bytes(mutable)
            target.writestr(info.filename, content)
    table = read_bytes_as(buffer.getvalue(), "training.xlsx")
    if table is not None:
        validate_all(table)


# --- arbitrary cells under the right headers ----------------------------------------------

cell_text = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=30
)
likely_text = st.one_of(
    cell_text,
    st.sampled_from(
        [
            "",
            " ",
            "1042",
            "0417",
            "417",
            "2024-03-14",
            "03/14/2024",
            "13/45/2020",
            "1939-12-31",
            "2999-01-01",
            "8",
            "-2",
            "0",
            "1.5",
            "abc",
            "de_escalation",
            "deescalation",
            "de_escalation:4;use_of_force:4",
            "de_escalation:1;use_of_force:x",
            "On leave",
            "scenario",
            "95%",
            "120",
            "IL-annual;il-ufo",
            "a@b.org",
        ]
    ),
)


@fuzz
@given(
    kind=st.sampled_from(list(COLUMNS)),
    rows=st.lists(st.lists(likely_text, min_size=0, max_size=12), min_size=1, max_size=6),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_arbitrary_csv_cells_validate_without_crashing(
    kind: str, rows: list[list[str]], encoding: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS[kind])
    writer.writerows(rows)
    try:
        data = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:
        data = buffer.getvalue().encode("utf-8")
    table = read_bytes_as(data, f"{kind}.csv")
    if table is not None:
        check_result(table, VALIDATORS[kind](table))


xlsx_value = st.one_of(
    st.none(),
    likely_text.map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text)),
    st.integers(-(10**15), 10**15),
    st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False),
    st.dates(date(1900, 3, 1), date(9999, 12, 31)),
    st.datetimes(datetime(1900, 3, 1), datetime(9999, 12, 31)),
    st.booleans(),
    st.timedeltas(timedelta(0), timedelta(days=3)),
)


@fuzz
@given(
    kind=st.sampled_from(list(COLUMNS)),
    rows=st.lists(st.lists(xlsx_value, min_size=0, max_size=12), min_size=1, max_size=5),
    percent=st.booleans(),
)
def test_arbitrary_xlsx_cells_validate_without_crashing(
    kind: str, rows: list[list[object]], percent: bool
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(COLUMNS[kind]))
    for row in rows:
        sheet.append(row)
    if percent:
        for column in sheet.iter_cols(min_row=2):
            for cell in column:
                cell.number_format = "0.0%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_bytes_as(buffer.getvalue(), f"{kind}.xlsx")
    if table is not None:
        check_result(table, VALIDATORS[kind](table))


# --- valid rows survive the round trip -------------------------------------------------------


@st.composite
def training_rows(draw: st.DrawFn) -> dict[str, Any]:
    hours = draw(st.integers(1, 2000_00))
    codes = draw(st.lists(st.sampled_from(sorted(TOPICS)), min_size=1, max_size=4, unique=True))
    cuts = (
        sorted(draw(st.lists(st.integers(1, hours - 1), max_size=len(codes) - 1, unique=True)))
        if hours > 1
        else []
    )
    codes = codes[: len(cuts) + 1]
    bounds = [0, *cuts, hours]
    split = [(code, bounds[i + 1] - bounds[i]) for i, code in enumerate(codes)]
    return {
        "badge": draw(st.sampled_from(KNOWN_BADGES)),
        "course": draw(
            st.text(alphabet="ABCdefñé -:#0123456789", min_size=1, max_size=20).filter(str.strip)
        ),
        "completed": draw(st.dates(date(1940, 1, 1), TODAY)),
        "hours": hours,
        "topic_hours": tuple(split),
    }


def _hours_text(centihours: int) -> str:
    return f"{centihours // 100}.{centihours % 100:02d}"


@fuzz
@given(
    rows=st.lists(
        training_rows(),
        min_size=1,
        max_size=5,
        # The same badge, course and date twice is a refused duplicate, not a valid file.
        unique_by=lambda r: (r["badge"], " ".join(r["course"].casefold().split()), r["completed"]),
    ),
    as_xlsx=st.booleans(),
)
def test_valid_training_rows_round_trip_exactly(rows: list[dict[str, Any]], as_xlsx: bool) -> None:
    header = ["Badge #", "Course Title", "Completion Date", "Hours", "Topics"]

    def topics_text(row: dict[str, Any]) -> str:
        split = row["topic_hours"]
        if len(split) == 1:
            return str(split[0][0])
        return ";".join(f"{code}:{_hours_text(amount)}" for code, amount in split)

    if as_xlsx:
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.append(header)
        for row in rows:
            badge: object = int(row["badge"]) if not row["badge"].startswith("0") else row["badge"]
            sheet.append(
                [badge, row["course"], row["completed"], row["hours"] / 100, topics_text(row)]
            )
        buffer = io.BytesIO()
        workbook.save(buffer)
        data, name = buffer.getvalue(), "training.xlsx"
    else:
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(header)
        for row in rows:
            writer.writerow(
                [
                    row["badge"],
                    row["course"],
                    row["completed"].strftime("%m/%d/%Y"),
                    _hours_text(row["hours"]),
                    topics_text(row),
                ]
            )
        data, name = text.getvalue().encode("cp1252"), "training.csv"
    table = read_bytes_as(data, name)
    assert table is not None
    result = VALIDATORS["training"](table)
    check_result(table, result)
    assert [str(error) for error in result.errors] == []
    assert [
        (r.badge, r.course, r.completed, r.hours, r.topic_hours, r.delivery) for r in result.rows
    ] == [
        (
            row["badge"],
            row["course"].strip(),
            row["completed"],
            row["hours"],
            row["topic_hours"],
            "classroom",
        )
        for row in rows
    ]
