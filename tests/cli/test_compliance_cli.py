"""`deesc compliance` and `deesc rules` as scripts use them."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from deesc_desktop.reports import ReportParams, export_table
from deesc_desktop.store.database import open_database
from tests.cli.test_cli import run


@pytest.fixture
def demo_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "demo.db"
    assert run(capsys, "--db", str(path), "demo")[0] == 0
    return path


def test_compliance_json_has_the_documented_fields(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "--db", str(demo_db), "compliance", "--format", "json", "--as-of", "2026-11-22"
    )
    assert code == 0
    data = json.loads(out)
    assert data["as_of"] == "2026-11-22"
    first = data["results"][0]
    for field in (
        "badge",
        "officer",
        "requirement_id",
        "window_start",
        "window_end",
        "required_hours",
        "adjusted_required_hours",
        "earned_hours",
        "shortfall_hours",
        "sub_minimums",
        "due_date",
        "status",
        "explanation",
    ):
        assert field in first
    assert len({r["badge"] for r in data["results"]}) == 39
    statuses = {r["status"] for r in data["results"]}
    assert {"compliant", "non_compliant", "in_progress", "due_soon"} <= statuses


def test_compliance_for_one_badge_prints_explanations(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "--db", str(demo_db), "compliance", "--badge", "1036", "--as-of", "2026-11-22"
    )
    assert code == 0
    assert "In-service training: 30 hours every 3 years:" in out
    assert "of 30 hours" in out and "Still needed: " in out


def test_compliance_refuses_bad_dates_and_unknown_badges(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--db", str(demo_db), "compliance", "--as-of", "2026-02-30")
    assert code == 1 and '--as-of: "2026-02-30" is not a date' in err
    code, _, err = run(capsys, "--db", str(demo_db), "compliance", "--badge", "nobody")
    assert code == 1 and 'no officer with badge "nobody"' in err


def test_compliance_csv_has_one_row_per_officer_and_requirement(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "--db",
        str(demo_db),
        "compliance",
        "--format",
        "csv",
        "--requirement",
        "IL-inservice-30h",
    )
    lines = out.strip().splitlines()
    assert code == 0 and lines[0].startswith("badge,officer,requirement_id,requirement,status")
    assert len(lines) == 1 + 39


def test_compliance_csv_is_the_reports_table_export(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One long table: the command's CSV and the compliance report's table export hold the
    same columns and the same rows, so a spreadsheet made from either reads the same."""
    code, out, _ = run(
        capsys, "--db", str(demo_db), "compliance", "--format", "csv", "--as-of", "2026-11-22"
    )
    db = open_database(demo_db, create=False)
    try:
        export_table("compliance", db, ReportParams(as_of=date(2026, 11, 22)), tmp_path / "t.csv")
    finally:
        db.close()
    exported = (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert code == 0
    assert list(csv.reader(out.splitlines())) == list(csv.reader(exported.splitlines()))


def test_rules_list_show_and_packs(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", str(demo_db), "rules", "list", "--format", "json")
    ids = {r["id"]: r["origin"] for r in json.loads(out)}
    assert ids["IL-inservice-30h"] == "pack:IL"
    assert ids["IL-officer-safety-3yr"] == "pack:IL"
    assert {rid: origin for rid, origin in ids.items() if not origin.startswith("pack:")} == {
        "MPD-firearms-annual": "file:millbrook-requirements.toml",
        "MPD-deescalation-annual": "file:millbrook-requirements.toml",
    }
    code, out, _ = run(capsys, "--db", str(demo_db), "rules", "list")
    lines = out.splitlines()
    # Each requirement's summary starts at the same place, however long its id, and says
    # what it needs in words rather than topic codes.
    starts = {line.index("30.0 h every 3 years") for line in lines if "30.0 h every" in line}
    starts |= {line.index("a class in ") for line in lines if "a class in " in line}
    assert code == 0 and len(starts) == 1
    assert any(line.endswith("a class in crisis intervention each calendar year") for line in lines)
    code, out, _ = run(capsys, "--db", str(demo_db), "rules", "show", "IL-inservice-30h")
    assert code == 0 and "50 ILCS 705/10.6" in out
    code, _, err = run(capsys, "--db", str(demo_db), "rules", "show", "XX-1")
    assert code == 1 and "no requirement" in err
    code, out, _ = run(capsys, "rules", "packs")
    assert code == 0 and {"IL", "TX", "OH", "NJ"} <= {line.split()[0] for line in out.splitlines()}


def test_rules_packs_lists_every_state_with_its_verified_date_and_coverage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`deesc rules packs` needs no database: what each shipped pack checks, what it does
    not ("Partial: does not check ..."), and when it was verified."""
    code, out, _ = run(capsys, "rules", "packs")
    assert code == 0
    assert "IL  Illinois        2026.2   verified 2026-12-04" in out
    assert "    Partial: does not check how long each mandated topic class lasts" in out
    code, out, _ = run(capsys, "rules", "packs", "--format", "json")
    packs = {pack["jurisdiction"]: pack for pack in json.loads(out)}
    assert len(packs) >= 18
    assert all(pack["verified_on"] for pack in packs.values())
    ohio = packs["OH"]
    assert ohio["verified_on"] == "2026-12-04" and ohio["partial"] is True
    assert ohio["coverage"].startswith("Partial: does not check the 2024 topics")
    assert "OH-cpt-2024" in ohio["requirements"]
    assert set(ohio) == {
        "jurisdiction",
        "name",
        "version",
        "file",
        "verified_on",
        "requirements",
        "checks",
        "does_not_check",
        "partial",
        "coverage",
    }


def test_rules_load_refuses_a_bad_file(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('jurisdiction = "X"\nname = "X"\nversion = "1"\n[[requirements]]\nid = "X-1"\n')
    code, _, err = run(capsys, "--db", str(demo_db), "rules", "load", str(bad))
    assert code == 1 and "bad.toml, requirement X-1" in err
