"""The incident log: entry with the officers involved, their training worked out from the
records, review by someone else, corrections, and imports refused whole on any bad row."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.core.incidents import TrainingGroup
from deesc_desktop.services.errors import ConflictError, PermissionDeniedError, ValidationError
from deesc_desktop.services.imports import import_file
from deesc_desktop.services.incidents import (
    add_incident,
    delete_incident,
    edit_incident,
    get_incident,
    incident_figures,
    list_incidents,
    review_incident,
)
from deesc_desktop.services.officers import add_officer
from deesc_desktop.services.training import record_class
from tests.conftest import table_counts

SERGEANT = Actor("sgt.delgado", Role.TRAINING_OFFICER)
CHIEF = Actor("chief.harmon", Role.CHIEF)

CRISIS = {
    "reference": "26-000412",
    "occurred_on": "2026-03-02",
    "incident_type": "mental_health_crisis",
    "deescalation_used": True,
    "tactics": ["verbal", "time_distance_cover"],
    "force_type": "none",
    "subject_age": "31",
    "subject_sex": "male",
    "subject_race": "white",
    "subject_ethnicity": "not_hispanic",
    "subject_impairment": "mental_health",
}


@pytest.fixture
def squad(db: Database, admin: Actor) -> dict[str, int]:
    """Three officers: 101 took ICAT in 2025, 102 on 2 March 2026, 103 never."""
    ids = {
        badge: add_officer(
            db,
            admin,
            {"badge": badge, "last_name": last, "first_name": "A", "hire_date": "2015-01-01"},
        )
        for badge, last in (("101", "Alvarez"), ("102", "Brown"), ("103", "Chen"))
    }
    icat = {"course": "ICAT", "hours": 8, "topics": "de_escalation:6;use_of_force:2"}
    record_class(db, admin, {**icat, "completed": "2025-06-10"}, [ids["101"]])
    record_class(db, admin, {**icat, "completed": "2026-03-02"}, [ids["102"]])
    record_class(
        db,
        admin,
        {"course": "Firearms", "completed": "2025-01-05", "hours": 4, "topics": "firearms"},
        [ids["103"]],
    )
    return ids


def test_an_incident_is_entered_and_its_officers_training_is_worked_out(
    db: Database, squad: dict[str, int]
) -> None:
    trained = add_incident(db, SERGEANT, {**CRISIS, "officers": [squad["101"]]})
    mixed = add_incident(
        db, SERGEANT, {**CRISIS, "reference": "26-000413", "officers": [squad["101"], squad["102"]]}
    )
    nobody = add_incident(db, SERGEANT, {**CRISIS, "reference": "26-000414"})
    assert get_incident(db, trained).group is TrainingGroup.TRAINED
    # Brown was trained on the day of the call: not before it.
    assert get_incident(db, mixed).group is TrainingGroup.NOT_TRAINED
    assert get_incident(db, nobody).group is TrainingGroup.UNKNOWN
    entry = get_incident(db, trained)
    assert entry.row.subject_age_group == "25_34"
    assert entry.row.tactics == ("verbal", "time_distance_cover")
    assert [o.badge for o in entry.row.officers] == ["101"]
    assert entry.row.status == "entered" and entry.row.created_by == "sgt.delgado"


def test_the_log_has_no_column_for_a_name_or_identity(db: Database) -> None:
    columns = {row[1] for row in db.execute("PRAGMA table_info(incidents)")}
    assert not {c for c in columns if "name" in c or "birth" in c or "address" in c}


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"reference": " "}, "reference", "is required"),
        ({"occurred_on": "2099-01-01"}, "occurred_on", "is in the future"),
        ({"incident_type": "robbery"}, "incident_type", '"robbery" is not one of'),
        ({"deescalation_used": "maybe"}, "deescalation_used", "is not yes or no"),
        ({"deescalation_used": False}, "tactics", "de-escalation was not used"),
        ({"force_type": "shove"}, "force_type", '"shove" is not one of'),
        ({"public_injured": "-1"}, "public_injured", "not a whole number"),
        ({"subject_age": "old"}, "subject_age", "is not an age"),
        ({"subject_race": "martian"}, "subject_race", "is not one of"),
    ],
)
def test_a_bad_incident_is_refused_field_by_field(
    db: Database, change: dict[str, object], field: str, reason: str
) -> None:
    before = table_counts(db)
    with pytest.raises(ValidationError) as refused:
        add_incident(db, SERGEANT, {**CRISIS, **change})
    assert reason in refused.value.field_errors[field]
    assert table_counts(db) == before


def test_a_report_number_is_logged_once(db: Database) -> None:
    add_incident(db, SERGEANT, CRISIS)
    with pytest.raises(ConflictError, match='"26-000412" is already in the log'):
        add_incident(db, SERGEANT, {**CRISIS, "reference": "26-000412 "})


def test_the_chief_reviews_what_a_training_officer_entered_and_nobody_reviews_their_own(
    db: Database, admin: Actor
) -> None:
    mine = add_incident(db, admin, CRISIS)
    with pytest.raises(ConflictError, match="may not review it"):
        review_incident(db, admin, mine)
    with pytest.raises(PermissionDeniedError):
        review_incident(db, SERGEANT, mine)
    review_incident(db, CHIEF, mine, notes="Body camera reviewed; tactics appropriate")
    entry = get_incident(db, mine)
    assert (entry.row.status, entry.row.reviewed_by) == ("reviewed", "chief.harmon")
    with pytest.raises(ConflictError, match="correct it instead of deleting it"):
        delete_incident(db, SERGEANT, mine, reason="duplicate")
    # A correction sends it back for review, with the reason in the audit log.
    assert edit_incident(db, SERGEANT, mine, {"public_injured": 1}, reason="ER report came in")
    entry = get_incident(db, mine)
    assert (entry.row.status, entry.row.reviewed_by, entry.row.public_injured) == (
        "entered",
        None,
        1,
    )
    assert not edit_incident(db, SERGEANT, mine, {"public_injured": 1}, reason="no change")
    with pytest.raises(PermissionDeniedError):
        add_incident(db, CHIEF, {**CRISIS, "reference": "x"})


def test_figures_by_quarter_come_from_the_log_and_the_training_records(
    db: Database, squad: dict[str, int]
) -> None:
    add_incident(db, SERGEANT, {**CRISIS, "officers": [squad["101"]]})
    add_incident(
        db,
        SERGEANT,
        {
            **CRISIS,
            "reference": "26-000500",
            "occurred_on": "2026-03-20",
            "deescalation_used": False,
            "tactics": [],
            "force_type": "cew",
            "officers_injured": 1,
            "officers": [squad["103"]],
        },
    )
    figures = incident_figures(db, date(2025, 10, 1), date(2026, 9, 30))
    q2 = figures.quarters[1]
    assert q2.label == "FY2026 Q2" and q2.total.incidents == 2
    assert q2.group(TrainingGroup.TRAINED).force_rate == 0
    assert q2.group(TrainingGroup.NOT_TRAINED).officer_injury_rate == 100


HEADER = (
    "Report Number,Date,Type,De-escalation used,Tactics,Force used,Officers injured,"
    "Public injured,Age,Sex,Race,Ethnicity,Impairment,Officers\n"
)


def test_an_incident_file_is_imported_and_importing_it_again_adds_nothing(
    db: Database, admin: Actor, squad: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "uof-2026.csv"
    path.write_text(
        HEADER + "26-1,03/01/2026,Person in mental health crisis,yes,verbal;CIT officer on scene,"
        "none,0,0,34,Male,White,Not Hispanic or Latino,mental_health,101;102\n"
        + "26-2,2026-03-05,traffic_stop,no,,Takedown,1,1,19,female,black,hispanic,alcohol,103\n",
        encoding="utf-8",
    )
    report = import_file(db, admin, "incidents", path)
    assert (report.ok, report.added, report.unchanged) == (True, 2, 0)
    first, second = sorted(list_incidents(db), key=lambda e: e.row.reference)
    assert first.row.tactics == ("verbal", "cit_officer")
    assert first.row.subject_age_group == "25_34" and second.row.force_type == "takedown"
    assert [o.badge for o in first.row.officers] == ["101", "102"]
    again = import_file(db, admin, "incidents", path)
    assert (again.ok, again.added, again.unchanged) == (True, 0, 2)


def test_an_incident_file_with_bad_rows_is_refused_whole_with_each_row_named(
    db: Database, admin: Actor, squad: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "uof.csv"
    path.write_text(
        HEADER
        + "26-1,2026-03-01,welfare_check,yes,verbal,none,0,0,,,,,,101\n"
        + "26-2,2026-13-01,welfare_check,yes,,none,0,0,,,,,,\n"
        + "26-3,2026-03-02,robbery,perhaps,,shove,two,0,,,,,,999\n"
        + "26-1,2026-03-03,welfare_check,no,verbal,none,0,0,,,,,,\n",
        encoding="utf-8",
    )
    before = table_counts(db)
    report = import_file(db, admin, "incidents", path)
    assert not report.ok and report.added == 0
    where = {(p.row, p.column) for p in report.problems}
    assert where == {
        (3, "Date"),
        (4, "Type"),
        (4, "De-escalation used"),
        (4, "Force used"),
        (4, "Officers injured"),
        (4, "Officers"),
        (5, "Report Number"),
        (5, "Tactics"),
    }
    assert 'uof.csv, row 5, column Report Number: "26-1" is also on row 2' in report.errors
    assert table_counts(db) == before


def test_an_incident_workbook_is_imported(
    db: Database, admin: Actor, squad: dict[str, int], tmp_path: Path
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["reference", "occurred_on", "incident_type", "deescalation_used", "force_type"])
    sheet.append(["26-77", date(2026, 2, 1), "disturbance", "Yes", "none"])
    path = tmp_path / "uof.xlsx"
    workbook.save(path)
    dry = import_file(db, admin, "incidents", path, dry_run=True)
    assert (dry.ok, dry.added) == (True, 1) and list_incidents(db) == []
    assert import_file(db, admin, "incidents", path).added == 1


def test_a_changed_row_for_a_logged_report_number_is_refused(
    db: Database, admin: Actor, squad: dict[str, int], tmp_path: Path
) -> None:
    add_incident(db, SERGEANT, {**CRISIS, "reference": "26-1"})
    path = tmp_path / "uof.csv"
    path.write_text(HEADER + "26-1,2026-03-01,welfare_check,no,,none,0,0,,,,,,\n", encoding="utf-8")
    report = import_file(db, admin, "incidents", path)
    assert not report.ok
    assert "already in the log (incident 1) with other details" in report.errors[0]
