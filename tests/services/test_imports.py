"""Import service: all-or-nothing writes, dry runs, re-imports that add nothing, cancellation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.services.imports import import_file
from deesc_desktop.services.officers import separate_officer
from deesc_desktop.store.leave import load_exemptions
from deesc_desktop.store.officers import badge_ids as officer_ids
from deesc_desktop.store.officers import officer_by_badge
from deesc_desktop.store.training import load_records
from tests.conftest import logged, table_counts

ROSTER = (
    "badge,last_name,first_name,rank,unit,shift,hire_date,license_date,status\n"
    "0101,Peña,Ana,Officer,Patrol,Days,2019-03-15,2019-01-10,active\n"
    "0102,Nguyễn,Minh,Sergeant,Patrol,Nights,06/01/2012,,active\n"
    "0103,Dąbrowski,Łukasz,Officer,Patrol,Evenings,2021-09-07,,leave\n"
)
TRAINING = (
    "Badge,Course,Completed,Hours,Topics,Delivery,Instructor,Pre_Test,Post_Test\n"
    "0101,ICAT De-escalation,2024-05-02,8,de_escalation:6;use_of_force:2,scenario,Sgt. D,60,90\n"
    "0102,ICAT De-escalation,2024-05-02,8,de_escalation:6;use_of_force:2,scenario,Sgt. D,,\n"
    "0103,Firearms Qualification,05/20/2024,4,firearms,classroom,Lt. H,,\n"
)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


@pytest.fixture
def roster_db(db: Database, admin: Actor, tmp_path: Path) -> Database:
    report = import_file(db, admin, "roster", write(tmp_path / "roster.csv", ROSTER))
    assert report.ok, report.errors
    return db


def test_roster_import_adds_officers_and_a_second_import_adds_nothing(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    path = write(tmp_path / "roster.csv", ROSTER)
    first = import_file(db, admin, "roster", path)
    assert (first.added, first.updated, first.unchanged) == (3, 0, 0)
    audit_entries = table_counts(db)["audit_log"]
    second = import_file(db, admin, "roster", path)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 3)
    # Only the record of the second batch itself was audited: its row, then its counts.
    assert table_counts(db)["audit_log"] == audit_entries + 2
    officer = officer_by_badge(db, "0102")
    assert officer is not None and officer.hire_date.isoformat() == "2012-06-01"


def test_roster_reimport_with_a_change_updates_and_audits_it(
    roster_db: Database, admin: Actor, tmp_path: Path
) -> None:
    changed = ROSTER.replace(
        "0101,Peña,Ana,Officer,Patrol,Days", "0101,Peña,Ana,Officer,Patrol,Nights"
    )
    report = import_file(roster_db, admin, "roster", write(tmp_path / "roster2.csv", changed))
    assert (report.added, report.updated, report.unchanged) == (0, 1, 2)
    (entry,) = logged(roster_db, "action = 'update' AND table_name = 'officers'")
    before, after, reason = entry["before"], entry["after"], entry["reason"]
    assert (json.loads(before)["shift"], json.loads(after)["shift"]) == ("Days", "Nights")
    assert reason == "import roster2.csv"


def test_windows_1252_roster_keeps_accented_names(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    text = "badge,last_name,first_name,hire_date\n7,Peña,José,2018-02-01\n"
    report = import_file(db, admin, "roster", write(tmp_path / "excel.csv", text, "cp1252"))
    assert report.ok, report.errors
    officer = officer_by_badge(db, "7")
    assert officer is not None and (officer.last_name, officer.first_name) == ("Peña", "José")


def test_training_import_with_one_bad_row_writes_nothing_and_names_row_and_column(
    roster_db: Database, admin: Actor, tmp_path: Path
) -> None:
    bad = TRAINING.replace(
        "0103,Firearms Qualification,05/20/2024,4", "0103,Firearms Qualification,05/20/2024,4x"
    )
    bad += "9999,First Aid,2024-06-01,2,first_aid,classroom,,,\n"
    before = table_counts(roster_db)
    report = import_file(roster_db, admin, "training", write(tmp_path / "signin.csv", bad))
    assert not report.ok
    assert any(e.startswith("signin.csv, row 4, column Hours:") for e in report.errors)
    assert any(
        e.startswith("signin.csv, row 5, column Badge:") and "9999" in e for e in report.errors
    )
    assert table_counts(roster_db) == before


def test_training_dry_run_counts_but_writes_nothing(
    roster_db: Database, admin: Actor, tmp_path: Path
) -> None:
    before = table_counts(roster_db)
    path = write(tmp_path / "signin.csv", TRAINING)
    report = import_file(roster_db, admin, "training", path, dry_run=True)
    assert report.ok and report.added == 3
    assert "dry run" in report.summary()
    assert table_counts(roster_db) == before


def test_training_import_then_reimport_adds_nothing_twice(
    roster_db: Database, admin: Actor, tmp_path: Path
) -> None:
    path = write(tmp_path / "signin.csv", TRAINING)
    assert import_file(roster_db, admin, "training", path).added == 3
    again = import_file(roster_db, admin, "training", path)
    assert (again.added, again.unchanged) == (0, 3)
    records = load_records(roster_db)
    assert sum(len(r) for r in records.values()) == 3
    ana = officer_by_badge(roster_db, "0101")
    assert ana is not None
    (record,) = records[ana.id]
    assert (record.hours, dict(record.topic_hours)) == (
        800,
        {"de_escalation": 600, "use_of_force": 200},
    )
    assert (record.pre_test, record.post_test, record.instructor) == (60, 90, "Sgt. D")


def test_xlsx_training_file_with_numeric_badges_and_date_cells(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    from datetime import datetime

    import_file(
        db,
        admin,
        "roster",
        write(
            tmp_path / "r.csv", "badge,last_name,first_name,hire_date\n42,Kim,Daniel,2010-01-01\n"
        ),
    )
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["badge", "course", "completed", "hours", "topics"])
    sheet.append([42, "Defensive Tactics", datetime(2024, 3, 9), 3.5, "defensive_tactics"])
    book.save(tmp_path / "t.xlsx")
    report = import_file(db, admin, "training", tmp_path / "t.xlsx")
    assert report.ok, report.errors
    (record,) = next(iter(load_records(db).values()))
    assert (record.completed.isoformat(), record.hours) == ("2024-03-09", 350)


def test_cancelled_import_writes_nothing(roster_db: Database, admin: Actor, tmp_path: Path) -> None:
    before = table_counts(roster_db)
    seen: list[tuple[int, int]] = []

    def cancel(done: int, total: int) -> bool:
        seen.append((done, total))
        return False

    report = import_file(
        roster_db, admin, "training", write(tmp_path / "s.csv", TRAINING), progress=cancel
    )
    assert report.cancelled and not report.ok and seen == [(3, 3)]
    assert table_counts(roster_db) == before


def test_wrong_file_type_is_refused_with_the_file_named(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    path = tmp_path / "minutes.pdf"
    path.write_bytes(b"%PDF-1.7\n%binary\x00\x01")
    report = import_file(db, admin, "roster", path)
    assert not report.ok
    assert report.errors[0].startswith("minutes.pdf:")


def test_leave_import_blanket_and_targeted(
    roster_db: Database, admin: Actor, tmp_path: Path
) -> None:
    text = (
        "badge,start,end,reason,requirements\n"
        "0101,2024-01-08,2024-04-30,Military leave,\n"
        "0102,2024-02-01,2024-02-29,Light duty,IL-firearms;IL-use-of-force\n"
    )
    report = import_file(roster_db, admin, "leave", write(tmp_path / "leave.csv", text))
    assert report.ok, report.errors
    exemptions = load_exemptions(roster_db)
    ana, minh = officer_by_badge(roster_db, "0101"), officer_by_badge(roster_db, "0102")
    assert ana is not None and minh is not None
    assert exemptions[ana.id][0].requirement_ids == frozenset()
    assert exemptions[minh.id][0].requirement_ids == {"IL-firearms", "IL-use-of-force"}
    assert import_file(roster_db, admin, "leave", tmp_path / "leave.csv").added == 0


def test_separated_officer_needs_a_separation_date(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    text = "badge,last_name,first_name,hire_date,status\n5,Moore,Derek,2001-01-01,separated\n"
    report = import_file(db, admin, "roster", write(tmp_path / "r.csv", text))
    assert report.errors == [
        'r.csv, row 2, column status: status "separated" needs the separation date: add a '
        "separation_date column, or separate the officer in the app"
    ]
    assert officer_by_badge(db, "5") is None
    text = text.replace("status\n", "status,separation_date\n").replace(
        "separated\n", "separated,2020-05-31\n"
    )
    assert import_file(db, admin, "roster", write(tmp_path / "r2.csv", text)).ok
    officer = officer_by_badge(db, "5")
    assert officer is not None and str(officer.separation_date) == "2020-05-31"


BAD_FILES = {
    "unknown badge": (
        "training",
        "badge,course,completed,hours,topics\n0101,Firearms,2024-01-01,4,firearms\n4242,Firearms,2024-01-01,4,firearms\n",
        'bad.csv, row 3, column badge: unknown badge "4242"',
    ),
    "bad date": (
        "training",
        "badge,course,completed,hours,topics\n0101,Firearms,13/45/2020,4,firearms\n",
        'bad.csv, row 2, column completed: "13/45/2020" is not a date',
    ),
    "negative hours": (
        "training",
        "badge,course,completed,hours,topics\n0101,Firearms,2024-01-01,-4,firearms\n",
        "bad.csv, row 2, column hours:",
    ),
    "non-numeric hours": (
        "training",
        "badge,course,completed,hours,topics\n0101,Firearms,2024-01-01,four,firearms\n",
        'bad.csv, row 2, column hours: hours "four" is not a number',
    ),
    "topic hours not summing": (
        "training",
        "badge,course,completed,hours,topics\n0101,ICAT,2024-01-01,8,de_escalation:4;use_of_force:2\n",
        "bad.csv, row 2, column topics:",
    ),
    "unknown topic": (
        "training",
        "badge,course,completed,hours,topics\n0101,ICAT,2024-01-01,8,deescalation\n",
        'bad.csv, row 2, column topics: unknown topic "deescalation" (did you mean de_escalation?)',
    ),
    "duplicate badge in a roster": (
        "roster",
        "badge,last_name,first_name,hire_date\n77,Kim,Wei,2020-01-01\n77,Chen,Wei,2021-01-01\n",
        'bad.csv, row 3, column badge: duplicate badge "77" (also on row 2)',
    ),
    "missing required column": (
        "roster",
        "badge,last_name,hire_date\n77,Kim,2020-01-01\n",
        'bad.csv, column first_name: required column "first_name" is missing',
    ),
    "empty file": ("roster", "", "bad.csv:"),
    "header only": ("leave", "badge,start,end\n", "bad.csv:"),
}


def test_a_roster_file_does_not_undo_a_separation(
    roster_db: Database, admin: Actor, tmp_path: Path
) -> None:
    """An HR file that still lists a separated officer as active (or has no status column)
    would count them as serving on every day after they left: the row is refused, and the
    Roster page is where a separation entered in error is undone."""
    separate_officer(roster_db, admin, officer_ids(roster_db)["0102"], "2025-02-28")
    report = import_file(roster_db, admin, "roster", write(tmp_path / "again.csv", ROSTER))
    assert report.errors == [
        "again.csv, row 3, column status: badge 0102 was separated on 2025-02-28, and this "
        'file says "active": a file does not undo a separation (if it was entered in error, '
        "use Return to active on the Roster page)"
    ]
    officer = officer_by_badge(roster_db, "0102")
    assert officer is not None and officer.status == "separated"
    kept = ROSTER.replace(",active\n0103", ",separated\n0103").replace(
        "status\n", "status,separation_date\n"
    )
    kept = kept.replace(",active\n", ",active,\n").replace(
        ",separated\n", ",separated,2025-02-28\n"
    )
    kept = kept.replace(",leave\n", ",leave,\n")
    assert import_file(roster_db, admin, "roster", write(tmp_path / "kept.csv", kept)).ok


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_each_kind_of_bad_file_is_refused_with_its_reason_and_nothing_written(
    roster_db: Database, admin: Actor, tmp_path: Path, case: str
) -> None:
    kind, text, expected = BAD_FILES[case]
    path = write(tmp_path / "bad.csv", text)
    before = table_counts(roster_db)
    report = import_file(roster_db, admin, kind, path)
    assert not report.ok
    assert any(error.startswith(expected) for error in report.errors), report.errors
    assert table_counts(roster_db) == before


def test_refusals_also_come_as_data_for_the_wizards_table(
    roster_db: Database, admin: Actor, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "s.csv", "badge,course,completed,hours,topics\n0101,X,2024-01-01,-1,firearms\n"
    )
    report = import_file(roster_db, admin, "training", path)
    (problem,) = report.problems
    assert (problem.file_name, problem.row, problem.column) == ("s.csv", 2, "hours")
    assert str(problem) == report.errors[0]


def test_leave_import_records_a_waiver_and_refuses_half_a_waiver(
    roster_db: Database, admin: Actor, tmp_path: Path
) -> None:
    """The optional waiver columns (granted_by, reference, granted_on) make the leave a
    waiver; a row with only some of them is refused, naming the row and the column."""
    text = (
        "badge,start,end,reason,granted_by,reference,granted_on\n"
        "0101,2024-01-08,2024-04-30,Military leave,ILETSB,W-2024-17,2024-02-01\n"
        "0102,2024-02-01,2024-02-29,Medical leave,,,\n"
    )
    report = import_file(roster_db, admin, "leave", write(tmp_path / "leave.csv", text))
    assert report.ok, report.errors
    exemptions = load_exemptions(roster_db)
    ana, minh = officer_by_badge(roster_db, "0101"), officer_by_badge(roster_db, "0102")
    assert ana is not None and minh is not None
    (waiver,) = exemptions[ana.id]
    assert (waiver.granted_by, waiver.reference, str(waiver.granted_on)) == (
        "ILETSB",
        "W-2024-17",
        "2024-02-01",
    )
    assert waiver.is_waiver and not exemptions[minh.id][0].is_waiver
    half = "badge,start,end,reason,granted_by\n0101,2024-06-01,2024-06-30,Medical,ILETSB\n"
    refused = import_file(roster_db, admin, "leave", write(tmp_path / "half.csv", half))
    assert refused.errors == [
        "half.csv, row 2, column reference: a waiver needs its reference (granted_by, "
        "reference, granted_on)",
        "half.csv, row 2, column granted_on: a waiver needs the date it was granted "
        "(granted_by, reference, granted_on)",
    ]
