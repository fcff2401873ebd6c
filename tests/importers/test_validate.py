"""Column mapping and the roster, training and leave validators: typed rows and located refusals."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from deesc_desktop.core.dates import format_date, parse_date
from deesc_desktop.core.topics import TOPICS
from deesc_desktop.importers import (
    LeaveRow,
    RosterRow,
    RowError,
    Table,
    TrainingRow,
    ValidationResult,
    map_columns,
    read_table,
    suggest_mapping,
    validate_leave,
    validate_roster,
    validate_training,
)
from deesc_desktop.importers.validate import CONTRACT_COLUMNS
from deesc_desktop.paths import resource

TODAY = date(2025, 6, 30)
BADGES = {"1042", "0417", "77"}


def make_table(name: str, headers: list[str], *rows: list[str]) -> Table:
    """A table as read_table would give it, data rows numbered from 2."""
    return Table(
        file_name=name,
        headers=headers,
        rows=[(number, tuple(row)) for number, row in enumerate(rows, start=2)],
    )


def messages(errors: list[RowError]) -> list[str]:
    return [str(error) for error in errors]


ROSTER = ["badge", "last_name", "first_name", "hire_date", "license_date", "status", "email"]


def roster(*rows: list[str]) -> Table:
    return make_table("roster.csv", ROSTER, *rows)


TRAINING = ["badge", "course", "completed", "hours", "topics", "delivery", "pre_test", "post_test"]


def training(*rows: list[str]) -> Table:
    return make_table("training.csv", TRAINING, *rows)


def check_training(table: Table) -> list[str]:
    result = validate_training(table, BADGES, TOPICS, today=TODAY)
    return messages(result.errors)


LEAVE = ["badge", "start", "end", "reason", "requirements"]


def leave(*rows: list[str]) -> Table:
    return make_table("leave.csv", LEAVE, *rows)


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05", date(2024, 3, 5)),
        ("03/05/2024", date(2024, 3, 5)),
        ("3/5/2024", date(2024, 3, 5)),
        (" 2024-3-5 ", date(2024, 3, 5)),
        ("02/29/2024", date(2024, 2, 29)),
    ],
)
def test_parse_date_accepts_iso_and_us_dates(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["13/45/2020", "02/29/2023", "2024-13-01", "5.3.2024", "3/5/24", "0000-01-01", "٢٠٢٤-٠١-٠١"],
)
def test_parse_date_refuses_with_a_user_message(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(text)
    assert str(caught.value) == f'"{text}" is not a date (use YYYY-MM-DD or MM/DD/YYYY)'


@pytest.mark.parametrize("text", ["9999-12-31", "0001-01-01", "1900-12-31", "12/31/9000"])
def test_parse_date_refuses_a_date_the_rules_cannot_count_from(text: str) -> None:
    """A rule counts years on from a date and the calendar stops at 9999: an as-of date of
    9999-12-31 stopped the compliance engine."""
    with pytest.raises(ValueError) as caught:
        parse_date(text)
    assert str(caught.value).endswith(
        "is outside the dates this app works with (1901-01-01 to 8999-12-31)"
    )
    assert parse_date("8999-12-31") == date(8999, 12, 31)
    assert parse_date("1901-01-01") == date(1901, 1, 1)


def test_parse_date_refuses_blank() -> None:
    with pytest.raises(ValueError, match="the date is missing"):
        parse_date("  ")


def test_format_date_is_iso_and_blank_for_none() -> None:
    assert format_date(date(2024, 3, 5)) == "2024-03-05"
    assert format_date(None) == ""


# --- RowError ---------------------------------------------------------------------------


def test_row_error_text_names_file_row_and_column() -> None:
    assert str(RowError("training.csv", 7, "hours", '"-2" is negative')) == (
        'training.csv, row 7, column hours: "-2" is negative'
    )
    assert str(RowError("roster.csv", None, "badge", "required column")) == (
        "roster.csv, column badge: required column"
    )
    assert str(RowError("roster.csv", None, None, "empty")) == "roster.csv: empty"


# --- column mapping -----------------------------------------------------------------------


def test_suggest_mapping_exact_names_and_synonyms() -> None:
    headers = ["Badge #", "Course Title", "Completion Date", "HOURS", "Topics", "Notes"]
    assert suggest_mapping(headers, "training") == {
        "Badge #": "badge",
        "Course Title": "course",
        "Completion Date": "completed",
        "HOURS": "hours",
        "Topics": "topics",
    }
    assert suggest_mapping(["Badge No", "Surname", "First", "Hire Date"], "roster") == {
        "Badge No": "badge",
        "Surname": "last_name",
        "First": "first_name",
        "Hire Date": "hire_date",
    }
    assert suggest_mapping(["badge number", "Last", "class", "date"], "training") == {
        "badge number": "badge",
        "class": "course",
        "date": "completed",
    }


def test_suggest_mapping_gives_each_column_once_exact_name_first() -> None:
    headers = ["Date", "Completed", "Completion Date"]
    assert suggest_mapping(headers, "training") == {"Completed": "completed"}
    # Among synonyms the more specific one wins, not the leftmost.
    assert suggest_mapping(["Date", "Completion Date"], "training") == {
        "Completion Date": "completed"
    }


def test_suggest_mapping_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown import kind 'officers'"):
        suggest_mapping(["badge"], "officers")


def test_missing_required_columns_are_each_named_with_the_file() -> None:
    table = make_table("roster.xlsx", ["Badge", "Name", "Notes"], ["1", "Smith", ""])
    mapping = map_columns(table, "roster")
    assert not mapping.ok
    assert messages(mapping.errors) == [
        'roster.xlsx, column last_name: required column "last_name" is missing '
        "(the file has: Badge, Name, Notes)",
        'roster.xlsx, column first_name: required column "first_name" is missing '
        "(the file has: Badge, Name, Notes)",
        'roster.xlsx, column hire_date: required column "hire_date" is missing '
        "(the file has: Badge, Name, Notes)",
    ]
    assert mapping.warnings == [
        'column "Name" is not a roster column and was ignored',
        'column "Notes" is not a roster column and was ignored',
    ]
    # A validator reports the same and keeps no rows.
    result = validate_roster(table)
    assert messages(result.errors) == messages(mapping.errors)
    assert result.rows == []


def test_user_mapping_overrides_guesses_and_can_ignore_a_column() -> None:
    table = make_table(
        "sheet.csv",
        ["Officer", "Badge", "Class", "Date", "Hrs", "Area", "Trainer"],
        ["0417", "junk", "CIT", "2024-01-02", "8", "crisis_intervention", "Lt. Ellis"],
    )
    mapping = map_columns(table, "training", {"Officer": "badge", "Area": "topics", "Trainer": ""})
    assert mapping.ok
    assert mapping.columns == {
        "badge": "Officer",
        "course": "Class",
        "completed": "Date",
        "hours": "Hrs",
        "topics": "Area",
    }
    assert mapping.ignored == ["Badge", "Trainer"]
    # The replaced guess is reported; the column the user chose to drop is not.
    assert mapping.warnings == ['column "Badge" was ignored: column "Officer" already gives badge']


def test_user_mapping_feeds_the_validator_and_errors_name_the_file_header() -> None:
    table = make_table(
        "sheet.csv",
        ["Officer", "Class", "On", "Hrs", "Area"],
        ["0417", "CIT", "2024-01-02", "8", "crisis_intervention"],
        ["0417", "CIT", "2024-01-03", "abc", "crisis_intervention"],
    )
    result = validate_training(
        table,
        BADGES,
        TOPICS,
        {"Officer": "badge", "On": "completed", "Area": "topics"},
        today=TODAY,
    )
    assert [row.completed for row in result.rows] == [date(2024, 1, 2)]
    assert messages(result.errors) == ['sheet.csv, row 3, column Hrs: hours "abc" is not a number']


def test_bad_user_mappings_are_errors() -> None:
    table = make_table(
        "t.csv",
        ["badge", "start", "end", "Why", "Other"],
        ["1", "2024-01-01", "2024-02-01", "x", "y"],
    )
    mapping = map_columns(
        table, "leave", {"Why": "excuse", "Missing": "reason", "Other": "Reason", "reason ": "x"}
    )
    assert messages(mapping.errors) == [
        't.csv, column Why: "excuse" is not a leave column (use one of: badge, start, end, '
        "reason, requirements, granted_by, reference, granted_on)",
        't.csv, column Missing: the column mapping names column "Missing", which is not in the '
        "file",
        't.csv, column reason : the column mapping names column "reason ", which is not in the '
        "file",
    ]
    assert mapping.columns["reason"] == "Other"


def test_two_file_columns_for_one_contract_column() -> None:
    table = make_table(
        "t.csv", ["badge", "start", "end", "A", "B"], ["1", "2024-01-01", "2024-02-01", "x", "y"]
    )
    mapping = map_columns(table, "leave", {"A": "reason", "B": "reason"})
    assert messages(mapping.errors) == [
        't.csv, column B: columns "A" and "B" are both set to reason; keep only one'
    ]


def test_headers_match_case_and_spaces_insensitively() -> None:
    table = make_table(
        "roster.csv",
        [" BADGE ", "Last Name", "first name", "Hire_Date"],
        ["0417", "Peña", "José", "2019-03-05"],
    )
    result = validate_roster(table)
    assert result.ok
    assert result.rows[0].last_name == "Peña"


# --- roster -----------------------------------------------------------------------------


def test_roster_valid_rows_are_typed_and_trimmed() -> None:
    table = make_table(
        "roster.csv",
        list(CONTRACT_COLUMNS["roster"]),
        [
            " 0417 ",
            " Peña ",
            " José ",
            "Sgt",
            "Patrol",
            "Days",
            "03/05/2019",
            "",
            "On leave",
            "PS-1",
            "jp@example.org",
        ],
        ["1042", "Ramirez", "Daniel", "", "", "", "2031-01-01", "2015-01-15", "", "", ""],
    )
    result = validate_roster(table)
    assert result.ok
    assert result.warnings == []
    assert result.rows == [
        RosterRow(
            2,
            "0417",
            "Peña",
            "José",
            "Sgt",
            "Patrol",
            "Days",
            date(2019, 3, 5),
            None,
            "leave",
            "PS-1",
            "jp@example.org",
        ),
        # A hire date in the future is accepted, and status defaults to active.
        RosterRow(
            3,
            "1042",
            "Ramirez",
            "Daniel",
            "",
            "",
            "",
            date(2031, 1, 1),
            date(2015, 1, 15),
            "active",
            "",
            "",
        ),
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [("ACTIVE", "active"), ("on leave", "leave"), ("Leave", "leave")],
)
def test_roster_status_any_case_code_or_label(text: str, code: str) -> None:
    result = validate_roster(roster(["1", "A", "B", "2020-01-01", "", text, ""]))
    assert [row.status for row in result.rows] == [code]


def test_roster_separated_needs_a_separation_date_after_hire() -> None:
    headers = ["badge", "last_name", "first_name", "hire_date", "status", "separation_date"]
    table = make_table(
        "roster.csv",
        headers,
        ["1", "A", "B", "2020-01-01", "Separated", "2024-06-30"],
        ["2", "C", "D", "2020-01-01", "separated", ""],
        ["3", "E", "F", "2020-01-01", "active", "2024-06-30"],
        ["4", "G", "H", "2020-01-01", "separated", "2019-12-31"],
    )
    result = validate_roster(table)
    assert [(r.badge, r.status, str(r.separation_date)) for r in result.rows] == [
        ("1", "separated", "2024-06-30")
    ]
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "status"),
        (4, "separation_date"),
        (5, "separation_date"),
    ]
    assert "is before the hire date 2020-01-01" in result.errors[2].reason


def test_roster_every_bad_cell_is_reported() -> None:
    table = roster(
        ["1042", "Ramirez", "Daniel", "2015-06-01", "", "", ""],
        ["1042", "", " ", "13/45/2020", "1939-12-31", "retired", "not an email"],
        ["", "Old", "Timer", "1939-12-31", "", "", ""],
    )
    result = validate_roster(table)
    assert [row.row_number for row in result.rows] == [2]
    assert messages(result.errors) == [
        'roster.csv, row 3, column badge: duplicate badge "1042" (also on row 2)',
        "roster.csv, row 3, column last_name: required value missing",
        "roster.csv, row 3, column first_name: required value missing",
        'roster.csv, row 3, column hire_date: "13/45/2020" is not a date (use YYYY-MM-DD or '
        "MM/DD/YYYY)",
        'roster.csv, row 3, column license_date: license date "1939-12-31" is before 1940, which '
        "cannot be right; check the year",
        'roster.csv, row 3, column status: status "retired" is not one of: active, leave (On '
        "leave), separated",
        'roster.csv, row 3, column email: "not an email" does not look like an email address',
        "roster.csv, row 4, column badge: required value missing",
        'roster.csv, row 4, column hire_date: hire date "1939-12-31" is before 1940, which '
        "cannot be right; check the year",
    ]


def test_roster_badges_keep_leading_zeros_and_differ_from_unpadded() -> None:
    result = validate_roster(
        roster(
            ["0417", "A", "B", "2020-01-01", "", "", ""],
            ["417", "C", "D", "2020-01-01", "", "", ""],
        )
    )
    assert result.ok
    assert [row.badge for row in result.rows] == ["0417", "417"]


def test_roster_carries_reader_warnings(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(
        "badge,last_name,first_name,hire_date,,Notes\n1,A,B,2020-01-01,stray,n\n", encoding="utf-8"
    )
    result = validate_roster(read_table(path))
    assert result.ok
    assert result.warnings == [
        "column E has values but no name in the header row; it was ignored",
        'column "Notes" is not a roster column and was ignored',
    ]


# --- training ---------------------------------------------------------------------------


def test_training_single_topic_gets_all_hours_and_defaults_apply() -> None:
    result = validate_training(
        training(["1042", "CIT refresher", "2024-03-14", "1.5", "de_escalation", "", "", ""]),
        BADGES,
        TOPICS,
        today=TODAY,
    )
    assert result.ok
    assert result.rows == [
        TrainingRow(
            2,
            "1042",
            "CIT refresher",
            date(2024, 3, 14),
            150,
            (("de_escalation", 150),),
            "classroom",
            "",
            "",
            "",
            None,
            None,
        )
    ]


def test_training_split_topics_labels_and_scores() -> None:
    table = training(
        [
            "0417",
            "Use of force update",
            "03/01/2024",
            "4",
            "Use of Force:2.5; De-escalation:1.5",
            "Scenario-based",
            "62",
            "95%",
        ],
        [
            "77",
            "Online module",
            "2024-02-01",
            "2.25",
            "legal_updates:2, first_aid:0.25",
            "ONLINE",
            "0",
            "100",
        ],
    )
    result = validate_training(table, BADGES, TOPICS, today=TODAY)
    assert messages(result.errors) == []
    assert [(r.topic_hours, r.delivery, r.pre_test, r.post_test) for r in result.rows] == [
        ((("use_of_force", 250), ("de_escalation", 150)), "scenario", 62.0, 95.0),
        ((("legal_updates", 200), ("first_aid", 25)), "online", 0.0, 100.0),
    ]


def test_training_unknown_badge_and_leading_zero_hint() -> None:
    assert check_training(
        training(
            ["9999", "CIT", "2024-01-01", "8", "crisis_intervention", "", "", ""],
            ["417", "CIT", "2024-01-01", "8", "crisis_intervention", "", "", ""],
        )
    ) == [
        'training.csv, row 2, column badge: unknown badge "9999" (not on the roster)',
        'training.csv, row 3, column badge: unknown badge "417" (not on the roster; did you mean '
        '"0417"? Excel may have dropped a leading zero)',
    ]


def test_training_known_badges_are_compared_after_trimming() -> None:
    result = validate_training(
        training([" 12 ", "CIT", "2024-01-01", "8", "crisis_intervention", "", "", ""]),
        [" 12\t"],
        TOPICS,
        today=TODAY,
    )
    assert [row.badge for row in result.rows] == ["12"]


@pytest.mark.parametrize(
    ("hours", "reason"),
    [
        ("abc", 'hours "abc" is not a number'),
        ("1,5", 'hours "1,5" is not a number'),
        ("NaN", 'hours "NaN" is not a number'),
        ("-2", '"-2" is negative (hours cannot be negative)'),
        ("0", 'hours "0" must be more than zero'),
        ("0.001", 'hours "0.001" must be more than zero'),
        ("2000.01", 'hours "2000.01" is more than 2000 for one class; check the value'),
        ("", "required value missing"),
    ],
)
def test_training_bad_hours(hours: str, reason: str) -> None:
    assert check_training(
        training(["1042", "CIT", "2024-01-01", hours, "firearms", "", "", ""])
    ) == [f"training.csv, row 2, column hours: {reason}"]


@pytest.mark.parametrize(
    ("topics", "reasons"),
    [
        ("deescalation", ['unknown topic "deescalation" (did you mean de_escalation?)']),
        ("basket weaving", ['unknown topic "basket weaving" (not in the topic list)']),
        ("legal", ['unknown topic "legal" (did you mean legal_updates?)']),
        # Typed as a name: the name suggested, which the file may use as well as the code.
        ("Legal Update", ['unknown topic "Legal Update" (did you mean "Legal updates"?)']),
        ("wellness", ['unknown topic "wellness" (did you mean officer_wellness?)']),
        ("de_escalation:1;use_of_force:2", ["topic hours add up to 3.0 but hours is 4.0"]),
        ("de_escalation:4", []),
        (
            "de_escalation;use_of_force",
            [
                '"de_escalation" needs a topic and its hours when a class has several topics '
                "(e.g. de_escalation:2;use_of_force:2)",
                '"use_of_force" needs a topic and its hours when a class has several topics '
                "(e.g. de_escalation:2;use_of_force:2)",
            ],
        ),
        ("de_escalation:2;de_escalation:2", ["topic de_escalation is listed twice"]),
        (
            "firearm:2;use_of_force:x",
            [
                'unknown topic "firearm" (did you mean firearms?)',
                'use_of_force hours "x" is not a number',
            ],
        ),
        ("firearms:-1;use_of_force:5", ['"-1" is negative (firearms hours cannot be negative)']),
        (" ; ", ['";" names no topic (e.g. de_escalation:2;use_of_force:2)']),
    ],
)
def test_training_bad_topics(topics: str, reasons: list[str]) -> None:
    assert check_training(training(["1042", "CIT", "2024-01-01", "4", topics, "", "", ""])) == [
        f"training.csv, row 2, column topics: {reason}" for reason in reasons
    ]


def test_training_topic_sum_is_exact_in_centihours() -> None:
    # 0.1 + 0.2 must equal 0.3 exactly, which floats would get wrong.
    result = validate_training(
        training(
            ["1042", "Brief", "2024-01-01", "0.3", "legal_updates:0.1;first_aid:0.2", "", "", ""]
        ),
        BADGES,
        TOPICS,
        today=TODAY,
    )
    assert result.ok
    assert result.rows[0].hours == 30


def test_training_agency_topics_are_known_and_builtins_can_be_absent() -> None:
    table = training(
        ["1042", "Drone ops", "2024-01-01", "2", "drone_operations", "", "", ""],
        ["1042", "Range", "2024-01-02", "2", "firearms", "", "", ""],
    )
    result = validate_training(table, BADGES, ["drone_operations"], today=TODAY)
    assert [row.topic_hours for row in result.rows] == [(("drone_operations", 200),)]
    assert messages(result.errors) == [
        'training.csv, row 3, column topics: unknown topic "firearms" (not in the topic list)'
    ]


def test_training_other_bad_cells_each_reported() -> None:
    errors = check_training(
        training(
            ["1042", "", "13/45/2020", "-2", "de_escalation", "lecture", "abc", "120"],
            ["1042", "CIT", "2025-07-01", "8", "crisis_intervention", "", "", "101%"],
            ["1042", "CIT", "1939-01-01", "8", "crisis_intervention", "", "-1", ""],
        )
    )
    assert errors == [
        "training.csv, row 2, column course: required value missing",
        'training.csv, row 2, column completed: "13/45/2020" is not a date (use YYYY-MM-DD or '
        "MM/DD/YYYY)",
        'training.csv, row 2, column hours: "-2" is negative (hours cannot be negative)',
        'training.csv, row 2, column delivery: delivery "lecture" is not one of: classroom, '
        "online, scenario (Scenario-based)",
        'training.csv, row 2, column pre_test: test score "abc" is not a number',
        'training.csv, row 2, column post_test: test score "120" must be 0-100',
        "training.csv, row 3, column completed: completed date 2025-07-01 is in the future",
        'training.csv, row 3, column post_test: test score "101%" must be 0-100',
        'training.csv, row 4, column completed: completed date "1939-01-01" is before 1940, '
        "which cannot be right; check the year",
        'training.csv, row 4, column pre_test: test score "-1" must be 0-100',
    ]


def test_training_duplicate_rows_name_both_rows() -> None:
    table = training(
        ["1042", "CIT Refresher", "2024-01-01", "8", "crisis_intervention", "", "", ""],
        ["0417", "CIT Refresher", "2024-01-01", "8", "crisis_intervention", "", "", ""],
        ["1042", "CIT  refresher ", "01/01/2024", "4", "crisis_intervention", "", "", ""],
        ["1042", "CIT Refresher", "2024-01-02", "8", "crisis_intervention", "", "", ""],
    )
    result = validate_training(table, BADGES, TOPICS, today=TODAY)
    assert [row.row_number for row in result.rows] == [2, 3, 5]
    assert messages(result.errors) == [
        'training.csv, row 4, column course: rows 2 and 4 are the same class for badge "1042" '
        "(same course and completed date)"
    ]


def test_training_future_check_uses_the_real_today_by_default() -> None:
    result = validate_training(
        training(["1042", "CIT", "2999-01-01", "8", "crisis_intervention", "", "", ""]),
        BADGES,
        TOPICS,
    )
    assert messages(result.errors) == [
        "training.csv, row 2, column completed: completed date 2999-01-01 is in the future"
    ]


# --- leave ------------------------------------------------------------------------------


def test_leave_blanket_and_targeted() -> None:
    table = leave(
        ["1042", "2024-01-08", "04/30/2024", "Military leave", ""],
        ["0417", "2024-02-01", "2024-02-01", "", "IL-annual; il-ufo, "],
    )
    result = validate_leave(table, BADGES, ["IL-annual", "IL-UFO"])
    assert result.ok
    assert result.rows == [
        LeaveRow(2, "1042", date(2024, 1, 8), date(2024, 4, 30), "Military leave", frozenset()),
        LeaveRow(
            3, "0417", date(2024, 2, 1), date(2024, 2, 1), "", frozenset({"IL-annual", "IL-UFO"})
        ),
    ]


def test_leave_requirement_ids_unchecked_when_unknown_list_not_given() -> None:
    result = validate_leave(leave(["77", "2024-01-01", "2024-01-31", "", "anything,else"]), BADGES)
    assert result.rows[0].requirement_ids == frozenset({"anything", "else"})


def test_leave_every_bad_cell_is_reported() -> None:
    table = leave(
        ["9999", "2024-03-01", "2024-02-01", "", "IL-anual;XX"],
        ["1042", "", "2024/02/01", "", ""],
    )
    result = validate_leave(table, BADGES, ["IL-annual"])
    assert result.rows == []
    assert messages(result.errors) == [
        'leave.csv, row 2, column badge: unknown badge "9999" (not on the roster)',
        "leave.csv, row 2, column end: end date 2024-02-01 is before start date 2024-03-01",
        'leave.csv, row 2, column requirements: unknown requirement "IL-anual" (did you mean '
        "IL-annual?)",
        'leave.csv, row 2, column requirements: unknown requirement "XX" (no requirement has '
        "this id)",
        "leave.csv, row 3, column start: required value missing",
        'leave.csv, row 3, column end: "2024/02/01" is not a date (use YYYY-MM-DD or MM/DD/YYYY)',
    ]


# --- through real files -------------------------------------------------------------------


def test_cp1252_csv_end_to_end_with_a_row_number_after_a_blank_line(tmp_path: Path) -> None:
    path = tmp_path / "training.csv"
    path.write_bytes(
        "Badge #,Course Title,Completion Date,Hours,Topics,Instructor\r\n"
        "0417,Crisis Intervention,03/14/2024,8,crisis_intervention,Peña\r\n"
        "\r\n"
        "0417,Firearms,2024-03-15,-2,firearms,Peña\r\n".encode("cp1252")
    )
    result = validate_training(read_table(path), BADGES, TOPICS, today=TODAY)
    assert [(row.row_number, row.instructor) for row in result.rows] == [(2, "Peña")]
    assert messages(result.errors) == [
        'training.csv, row 4, column Hours: "-2" is negative (hours cannot be negative)'
    ]


def test_xlsx_numeric_badges_date_cells_and_float_hours_validate(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Badge", "Course", "Completed", "Hours", "Topics"])
    sheet.append([1042, "Range day", date(2024, 5, 1), 2.75, "firearms"])
    sheet.append(
        [77, "Range day", date(2024, 5, 1), 1.1 + 2.2, "firearms:1.1;defensive_tactics:2.2"]
    )
    workbook.save(tmp_path / "training.xlsx")
    result = validate_training(read_table(tmp_path / "training.xlsx"), BADGES, TOPICS, today=TODAY)
    assert messages(result.errors) == []
    assert [(row.badge, row.completed, row.hours) for row in result.rows] == [
        ("1042", date(2024, 5, 1), 275),
        ("77", date(2024, 5, 1), 330),
    ]


def validate_kind(kind: str, table: Table) -> ValidationResult[Any]:
    if kind == "roster":
        return validate_roster(table)
    if kind == "training":
        return validate_training(table, {"1042"}, TOPICS)
    return validate_leave(table, {"1042"}, [])


@pytest.mark.parametrize("kind", ["roster", "training", "leave"])
def test_shipped_templates_validate_and_agree_between_csv_and_xlsx(kind: str) -> None:
    results = []
    for suffix in ("csv", "xlsx"):
        table = read_table(resource("templates", f"{kind}.{suffix}"))
        assert table.headers == list(CONTRACT_COLUMNS[kind])
        result = validate_kind(kind, table)
        assert result.ok, messages(result.errors)
        assert result.warnings == []
        results.append(result.rows)
    assert len(results[0]) == 1
    assert results[0] == results[1]


def test_course_titles_with_hidden_characters_or_too_long_are_refused_by_row() -> None:
    table = training(
        ["1042", "ICAT\u200b De-escalation", "2025-03-04", "8", "de_escalation", "", "", ""],
        ["0417", "C" * 201, "2025-03-04", "8", "de_escalation", "", "", ""],
    )
    assert check_training(table) == [
        "training.csv, row 2, column course: the course title contains an invisible or "
        "direction-changing character (U+200B zero width space); type it again without it",
        "training.csv, row 3, column course: the course title is 201 characters long; at most "
        "200 are allowed",
    ]


CONTROL = "contains a control character ({}); type it again without it"


def test_a_control_character_in_a_name_or_a_free_text_column_is_refused() -> None:
    """The services refuse them in a form; a file passed them through, to print as boxes."""
    result = validate_roster(
        roster(
            ["1", "Smi\x07th", "Ann", "2020-01-01", "", "", ""],
            ["2", "Lee", "Kim", "2020-01-01", "", "", ""],
        )
    )
    assert messages(result.errors) == [
        f"roster.csv, row 2, column last_name: {CONTROL.format('U+0007')}"
    ]
    assert [row.badge for row in result.rows] == ["2"]
    table = make_table(
        "training.csv",
        ["badge", "course", "completed", "hours", "topics", "instructor"],
        ["1042", "CIT", "2024-01-01", "8", "crisis_intervention", "Sgt.\x00 Ruiz"],
        ["77", "CIT", "2024-01-01", "8", "crisis_intervention", "Sgt.\x00 Ruiz"],
        ["0417", "CIT", "2024-01-01", "8", "crisis_intervention", "Sgt.\tRuiz"],
    )
    assert check_training(table) == [
        f"training.csv, row {n}, column instructor: {CONTROL.format('U+0000')}" for n in (2, 3)
    ]
