"""Heads of the audit log kept outside the file catch a log rebuilt with the app's own hash
function, and a log deleted outright."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader

from deesc_desktop.cli import main
from deesc_desktop.demo import DEMO_ACTOR, DEMO_PASSWORD, load_demo
from deesc_desktop.services.maintenance import anchor_file, backup_database, manifest_path
from deesc_desktop.services.officers import add_officer
from deesc_desktop.store.audit import GENESIS_HASH, _entry_hash, chain_head
from deesc_desktop.store.database import open_database

_FIELDS = ("id", "at", "username", "action", "table_name", "row_id", "before", "after", "reason")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pristine") / "deesc.db"
    db = open_database(path)
    load_demo(db)
    db.close()
    return path


@pytest.fixture
def demo_file(pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "deesc.db"
    shutil.copyfile(pristine, path)
    monkeypatch.setenv("DEESC_USER", DEMO_ACTOR.username)
    monkeypatch.setenv("DEESC_PASSWORD", DEMO_PASSWORD)
    return path


def backed_up(path: Path) -> Path:
    db = open_database(path)
    backup = backup_database(db, DEMO_ACTOR, path)
    db.close()
    return backup


def rebuild_chain_after_editing_record_1(path: Path) -> None:
    """What a determined insider does: change a record, make its entry agree, recompute every
    hash with the project's own function, and put the triggers back as they were."""
    conn = sqlite3.connect(path)
    triggers = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"
    ).fetchall()
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("UPDATE training_records SET hours = 8 WHERE id = 1")
    entry_id, after = conn.execute(
        "SELECT id, after FROM audit_log WHERE table_name = 'training_records' AND row_id = '1'"
        " ORDER BY id DESC LIMIT 1"
    ).fetchone()
    image = json.loads(after)
    image["hours"] = 8.0
    text = json.dumps(image, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    conn.execute("UPDATE audit_log SET after = ? WHERE id = ?", [text, entry_id])
    previous = GENESIS_HASH
    rows = conn.execute(f"SELECT {', '.join(_FIELDS)} FROM audit_log ORDER BY id").fetchall()
    for row in rows:
        entry = dict(zip(_FIELDS, row, strict=True))
        digest = _entry_hash(previous, entry)
        conn.execute(
            "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?",
            [previous, digest + "-", entry["id"]],  # a unique placeholder first
        )
        previous = digest
    conn.execute("UPDATE audit_log SET hash = substr(hash, 1, 64)")
    for (sql,) in triggers:
        conn.execute(sql)
    conn.commit()
    conn.close()


def deesc(path: Path, *args: str) -> int:
    return main(["--db", str(path), *args])


def test_a_rebuilt_chain_passes_every_check_inside_the_file(demo_file: Path) -> None:
    rebuild_chain_after_editing_record_1(demo_file)
    assert deesc(demo_file, "audit", "verify") == 0  # no anchor yet: this is the risk


def test_a_rebuilt_chain_is_caught_against_the_anchor_file_beside_the_backups(
    demo_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = backed_up(demo_file)
    assert anchor_file(demo_file).is_file()
    capsys.readouterr()
    rebuild_chain_after_editing_record_1(demo_file)

    assert deesc(demo_file, "audit", "verify") == 1
    said = capsys.readouterr().err
    assert "is not the one recorded in" in said and "audit-anchors.jsonl line 1" in said
    assert "was rewritten" in said
    assert deesc(demo_file, "check") == 1
    assert "audit-anchors.jsonl line 1" in capsys.readouterr().err
    assert backup.is_file()


@pytest.mark.parametrize("form", ["manifest", "backup", "hash", "entries:hash"])
def test_a_rebuilt_chain_is_caught_against_an_anchor_given_on_the_command_line(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    db = open_database(demo_file)
    backup = backup_database(db, DEMO_ACTOR, demo_file, usb)
    entries, digest = chain_head(db)
    db.close()
    anchor_file(demo_file).unlink()  # the insider removes the anchor file on the PC too
    rebuild_chain_after_editing_record_1(demo_file)
    anchor = {
        "manifest": str(manifest_path(backup)),
        "backup": str(backup),
        "hash": digest,
        "entries:hash": f"{entries}:{digest[:16]}",  # as a printed report shows it
    }[form]
    capsys.readouterr()

    assert deesc(demo_file, "audit", "verify", "--anchor", anchor) == 1
    said = capsys.readouterr().err
    assert "was rewritten" in said


def test_deleting_the_whole_log_is_caught(
    demo_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backed_up(demo_file)
    conn = sqlite3.connect(demo_file)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log")
    conn.execute(
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log\n"
        "            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    )
    conn.commit()
    conn.close()
    capsys.readouterr()

    assert deesc(demo_file, "audit", "verify") == 1
    said = capsys.readouterr().err
    assert "but the log now has 0: entries were removed" in said
    assert "officers row 1 was added outside the app" in said


def test_the_log_grows_past_its_anchors_and_still_verifies(
    demo_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backed_up(demo_file)
    db = open_database(demo_file)
    add_officer(
        db,
        DEMO_ACTOR,
        {"badge": "977", "last_name": "Later", "first_name": "Al", "hire_date": "2024-01-02"},
    )
    db.close()
    backed_up(demo_file)
    capsys.readouterr()
    assert deesc(demo_file, "audit", "verify") == 0
    assert "extending 2 anchor(s)" in capsys.readouterr().out


def test_a_printed_report_carries_the_head_and_verify_takes_it_as_an_anchor(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = tmp_path / "compliance.pdf"
    assert deesc(demo_file, "report", "compliance", "-o", str(pdf)) == 0
    footer = PdfReader(str(pdf)).pages[0].extract_text()
    found = re.search(r"head (\d+:[0-9a-f]{16})", footer)
    assert found, footer
    assert deesc(demo_file, "audit", "verify", "--anchor", found.group(1)) == 0
    rebuild_chain_after_editing_record_1(demo_file)
    capsys.readouterr()
    assert deesc(demo_file, "audit", "verify", "--anchor", found.group(1)) == 1
    assert f"the anchor {found.group(1)}" in capsys.readouterr().err
