"""Heads of the audit log kept outside the file catch a log rebuilt with the app's own hash
function, and a log deleted outright."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlite_utils import Database

from deesc_desktop.cli import main
from deesc_desktop.demo import DEMO_ACTOR, DEMO_PASSWORD
from deesc_desktop.services.maintenance import anchor_file, backup_database, manifest_path
from deesc_desktop.services.officers import add_officer
from deesc_desktop.store.audit import chain_head
from deesc_desktop.store.audit_format import Image, Images, Names, changes, entry_hash, values_json
from deesc_desktop.store.database import open_database


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
    hash with the project's own functions, and put the triggers back as they were."""
    conn = sqlite3.connect(path)
    triggers = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_entries'"
    ).fetchall()
    conn.execute("DROP TRIGGER audit_entries_no_update")
    conn.execute("DROP TRIGGER audit_entries_no_delete")
    conn.execute("UPDATE training_records SET hours = 8 WHERE id = 1")
    db = Database(conn)
    (entry_id,) = conn.execute(
        "SELECT id FROM audit_log WHERE table_name = 'training_records' AND row_id = '1'"
        " ORDER BY id DESC LIMIT 1"
    ).fetchone()
    layout, after = conn.execute(
        "SELECT layout, after FROM audit_entries WHERE id = ?", [entry_id]
    ).fetchone()
    images = Images(db, Names(db))
    image = images.read(after, layout, entry_id, 1, None)
    assert image is not None
    edited = Image(image.fields, [8.0 if f == "hours" else v for f, v in zip(*image, strict=True)])
    if after.startswith("["):
        # A whole row that the rows after it in the same class are stored as changes to:
        # those are rewritten as changes to the edited row, so they still read the same.
        followers = [
            (follower, row_id, images.read(text, None, follower, row_id, None))
            for follower, row_id, text in conn.execute(
                "SELECT id, row_id, after FROM audit_entries WHERE after LIKE '~%'"
            ).fetchall()
            if follower - int(text[1:].split(",")[0]) == entry_id
        ]
        conn.execute(
            "UPDATE audit_entries SET after = ? WHERE id = ?",
            [values_json(edited.values), entry_id],
        )
        for follower, row_id, follower_image in followers:
            assert follower_image is not None
            items = changes(edited, follower_image, row_id, len(edited.fields))
            conn.execute(
                "UPDATE audit_entries SET after = ? WHERE id = ?",
                [f"~{follower - entry_id},{items}", follower],
            )
    else:  # changes to an earlier whole row: the same changes, and the new hours
        reference = int(after[1:].split(",")[0])
        base = images.referred_to(entry_id - reference)
        items = changes(base, edited, 1, len(edited.fields))
        conn.execute(
            "UPDATE audit_entries SET after = ? WHERE id = ?", [f"~{reference},{items}", entry_id]
        )
    (legacy,) = conn.execute("SELECT last_id FROM audit_legacy").fetchone()
    (previous,) = conn.execute("SELECT hash FROM audit_entries WHERE id = ?", [legacy]).fetchone()
    rows = conn.execute(
        "SELECT e.id, e.at, v.username, v.action, v.table_name, e.row_id, v.reason, l.name,"
        " e.before, e.after FROM audit_entries e JOIN audit_log v ON v.id = e.id"
        " LEFT JOIN audit_names l ON l.id = e.layout WHERE e.id > ? ORDER BY e.id",
        [legacy],
    ).fetchall()
    for row in rows:
        previous = entry_hash(previous, list(row))
        conn.execute("UPDATE audit_entries SET hash = ? WHERE id = ?", [previous, row[0]])
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
    (trigger,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'audit_entries_no_delete'"
    ).fetchone()
    conn.execute("DROP TRIGGER audit_entries_no_delete")
    conn.execute("DELETE FROM audit_entries")
    conn.execute(trigger)
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
