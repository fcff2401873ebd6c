"""Validation remembers the values it has checked; a row's verdict never depends on that memory."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from deesc_desktop.core.topics import TOPICS
from deesc_desktop.importers import Table, validate_leave, validate_roster, validate_training
from deesc_desktop.importers import validate as validate_module

HEADERS = ["badge", "course", "completed", "hours", "topics", "delivery", "pre_test", "post_test"]
KNOWN_BADGES = ["0101", "0102", "77"]
TODAY = date(2025, 6, 30)

cells = {
    "badge": ["0101", "77", "101", "9999", ""],
    "completed": ["2024-05-02", "05/20/2024", "1939-12-31", "2024-02-30", "2026-01-01", "", "x"],
    "hours": ["8", "4", "0", "4x", "2001", "", "1.005"],
    "topics": [
        "firearms",
        "Use of Force",
        "de_escalation:6;use_of_force:2",
        "de_escalation:2, use_of_force:2",
        "de_escalation:8;de_escalation:0",
        "fire arms",
        "de_escalation:x;use_of_force:2",
        ";",
    ],
    "delivery": ["", "classroom", "Online", "scenario-based", "SCENARIO", "webinar"],
    "pre_test": ["", "60", "95%", "100.5", "-0", "abc", "0.5"],
    "post_test": ["", "85", "100", "101", "7 %"],
}


def table_of(name: str, headers: list[str], rows: list[tuple[int, dict[str, str]]]) -> Table:
    """A table as read_table gives it, from rows written as cells by header."""
    return Table(
        name, headers, [(number, tuple(cells[h] for h in headers)) for number, cells in rows]
    )


def _clear_caches() -> None:
    for name in ("_check_date", "_check_hours", "_check_score", "normalise_code", "_choice_lookup"):
        getattr(validate_module, name).cache_clear()


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.lists(
        st.fixed_dictionaries({name: st.sampled_from(values) for name, values in cells.items()}),
        min_size=1,
        max_size=16,
    )
)
def test_a_file_validates_as_its_rows_do_one_at_a_time(drawn: list[dict[str, str]]) -> None:
    rows = [
        (number, {**values, "course": f"Course {number}"})
        for number, values in enumerate(drawn, start=2)
    ]
    whole = validate_training(table_of("t.csv", HEADERS, rows), KNOWN_BADGES, TOPICS, today=TODAY)
    errors, kept = [], []
    for row in rows:
        _clear_caches()
        alone = validate_training(
            table_of("t.csv", HEADERS, [row]), KNOWN_BADGES, TOPICS, today=TODAY
        )
        errors.extend(alone.errors)
        kept.extend(alone.rows)
    assert whole.errors == errors
    assert whole.rows == kept


def test_the_same_bad_value_on_many_rows_is_reported_on_each() -> None:
    headers = ["badge", "course", "completed", "hours", "topics"]
    values = ["0101", "C", "2024-13-01", "4x", "firarms"]
    rows = [(number, dict(zip(headers, values, strict=True))) for number in (2, 3, 4)]
    result = validate_training(table_of("t.csv", headers, rows), KNOWN_BADGES, TOPICS, today=TODAY)
    assert [(e.row, e.column) for e in result.errors] == [
        (row, column) for row in (2, 3, 4) for column in ("completed", "hours", "topics")
    ]
    assert len({e.reason for e in result.errors if e.column == "hours"}) == 1


def test_roster_and_leave_dates_and_choices_are_read_as_before() -> None:
    roster = table_of(
        "r.csv",
        ["badge", "last_name", "first_name", "hire_date", "status"],
        [
            (2, {"badge": "1", "last_name": "A", "first_name": "B", "hire_date": "1930-01-01",
                 "status": "Active"}),
            (3, {"badge": "2", "last_name": "A", "first_name": "B", "hire_date": "1930-01-01",
                 "status": "retired?"}),
        ],
    )  # fmt: skip
    result = validate_roster(roster)
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "hire_date"),
        (3, "hire_date"),
        (3, "status"),
    ]
    leave = table_of(
        "l.csv",
        ["badge", "start", "end"],
        [(2, {"badge": "77", "start": "2024-01-05", "end": "01/04/2024"})],
    )
    assert [e.column for e in validate_leave(leave, KNOWN_BADGES, None).errors] == ["end"]


def test_a_topic_split_accepted_for_one_row_is_checked_again_for_other_hours() -> None:
    headers = ["badge", "course", "completed", "hours", "topics"]
    rows = [
        (number, {"badge": "77", "course": f"C{number}", "completed": "2024-01-02",
                  "hours": hours, "topics": "de_escalation:6;use_of_force:2"})
        for number, hours in ((2, "8"), (3, "4"), (4, "8"))
    ]  # fmt: skip
    result = validate_training(table_of("t.csv", headers, rows), KNOWN_BADGES, TOPICS, today=TODAY)
    assert [row.row_number for row in result.rows] == [2, 4]
    assert [(e.row, e.reason) for e in result.errors] == [
        (3, "topic hours add up to 8.0 but hours is 4.0")
    ]
