"""`deesc incidents`: log, list, import (all or nothing), review, and the LEDTA figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.services.officers import add_officer
from deesc_desktop.services.training import record_class
from tests.cli.test_cli import run
from tests.conftest import table_counts


@pytest.fixture
def agency(db: Database, db_path: Path, admin: Actor) -> Path:
    """Officer 101 trained in de-escalation in 2025, officer 102 never."""
    ids = [
        add_officer(
            db, admin, {"badge": b, "last_name": n, "first_name": "A", "hire_date": "2015-01-01"}
        )
        for b, n in (("101", "Alvarez"), ("102", "Brown"))
    ]
    record_class(
        db,
        admin,
        {"course": "ICAT", "completed": "2025-05-01", "hours": 8, "topics": "de_escalation"},
        ids[:1],
    )
    return db_path


def test_log_list_and_figures_from_the_command_line(
    agency: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(agency)]
    code, out, err = run(
        capsys,
        *db,
        "incidents",
        "add",
        "--reference",
        "26-0007",
        "--date",
        "2026-01-10",
        "--type",
        "mental_health_crisis",
        "--deescalation",
        "yes",
        "--tactics",
        "verbal;cit_officer",
        "--force",
        "none",
        "--age",
        "52",
        "--badges",
        "101",
    )
    assert (code, err) == (0, "") and "Logged incident 1" in out
    code, out, _ = run(
        capsys,
        *db,
        "incidents",
        "add",
        "--reference",
        "26-0008",
        "--date",
        "2026-02-10",
        "--type",
        "disturbance",
        "--deescalation",
        "no",
        "--force",
        "takedown",
        "--officers-injured",
        "1",
        "--badges",
        "101,102",
    )
    assert code == 0
    code, out, _ = run(capsys, *db, "incidents", "list", "--format", "json")
    logged = json.loads(out)
    assert [(i["reference"], i["officers_trained"]) for i in logged] == [
        ("26-0008", "not_trained"),
        ("26-0007", "trained"),
    ]
    assert logged[1]["subject_age_group"] == "45_54" and "name" not in json.dumps(logged)

    code, out, _ = run(
        capsys, *db, "incidents", "figures", "--fiscal-year", "2026", "--format", "json"
    )
    figures = json.loads(out)
    q2 = figures["quarters"][1]
    assert q2["label"] == "FY2026 Q2"
    assert q2["all"]["incidents"] == 2 and q2["all"]["force_rate"] == "50.0"
    assert (
        q2["trained"]["force_rate"] == "0.0" and q2["not_trained"]["officer_injury_rate"] == "100.0"
    )


def test_an_import_with_a_bad_row_exits_1_and_writes_nothing(
    agency: Path, db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "uof.csv"
    path.write_text(
        "reference,occurred_on,incident_type,deescalation_used,force_type,officer_badges\n"
        "26-1,2026-01-02,welfare_check,yes,none,101\n"
        "26-2,2026-01-03,welfare_check,sometimes,none,0101\n",
        encoding="utf-8",
    )
    before = table_counts(db)
    code, out, err = run(capsys, "--db", str(agency), "incidents", "import", str(path))
    assert code == 1 and out == ""
    assert 'uof.csv, row 3, column deescalation_used: "sometimes" is not yes or no' in err
    assert 'uof.csv, row 3, column officer_badges: unknown badge "0101"' in err
    assert "2 problem(s); nothing was imported." in err
    assert table_counts(db) == before
