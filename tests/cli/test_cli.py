"""The `deesc` command as admins and scripts use it: exit codes, messages, round trips."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from deesc_desktop.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse usage errors and --version
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "demo.db"
    code, out, _ = run(capsys, "--db", str(path), "demo")
    assert code == 0 and "40 officers" in out
    return path


def test_demo_then_check_pass(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", str(demo_db), "check")
    assert (code, err) == (0, "")
    assert "OK" in out
    conn = sqlite3.connect(demo_db)
    ranks = dict(conn.execute("SELECT status, count(*) FROM officers GROUP BY status").fetchall())
    shifts = {row[0] for row in conn.execute("SELECT DISTINCT shift FROM officers")}
    years = conn.execute(
        "SELECT julianday(max(completed)) - julianday(min(completed)) FROM training_records"
    ).fetchone()[0]
    conn.close()
    assert ranks["separated"] == 1 and ranks["leave"] >= 1 and ranks["active"] >= 35
    assert {"Days", "Evenings", "Nights"} <= shifts
    assert years > 3 * 365


def test_init_refuses_a_second_agency_and_bad_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "x.db")
    assert run(capsys, "--db", db, "init", "--name", "Millbrook PD", "--state", "IL")[0] == 0
    code, _, err = run(capsys, "--db", db, "init", "--name", "Other", "--state", "IL")
    assert code == 1 and "already belongs to an agency" in err
    code, _, err = run(
        capsys, "--db", str(tmp_path / "y.db"), "init", "--name", "Y", "--state", "ZZ"
    )
    assert code == 1 and '"ZZ" is not a US state code' in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys)[0] == 2
    code, _, err = run(capsys, "import", "payroll", "x.csv")
    assert code == 2 and "invalid choice" in err


def test_command_on_a_missing_database_says_how_to_create_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--db", str(tmp_path / "none.db"), "export", "roster")
    assert code == 1 and "deesc init" in err and "deesc demo" in err
    assert not (tmp_path / "none.db").exists()


def test_database_from_env_var(
    demo_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DEESC_DB", str(demo_db))
    out = tmp_path / "roster.csv"
    code, text, _ = run(capsys, "export", "roster", "-o", str(out))
    assert code == 0 and "Wrote 40 roster rows" in text


def test_import_of_a_bad_file_exits_1_lists_rows_and_changes_nothing(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "signin.csv"
    bad.write_text(
        "badge,course,completed,hours,topics\n"
        "9999,Firearms,2024-01-01,4,firearms\n"
        "1001,Firearms,2024-13-01,4,firearms\n"
    )
    before = hashlib.sha256(demo_db.read_bytes()).hexdigest()
    code, out, err = run(capsys, "--db", str(demo_db), "import", "training", str(bad))
    assert code == 1 and out == ""
    assert 'signin.csv, row 2, column badge: unknown badge "9999"' in err
    assert "signin.csv, row 3, column completed:" in err
    assert "nothing was imported" in err
    assert hashlib.sha256(demo_db.read_bytes()).hexdigest() == before


def test_export_then_import_into_a_new_agency_round_trips(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster, training = tmp_path / "roster.xlsx", tmp_path / "training.csv"
    assert run(capsys, "--db", str(demo_db), "export", "roster", "-o", str(roster))[0] == 0
    assert run(capsys, "--db", str(demo_db), "export", "training", "-o", str(training))[0] == 0
    fresh = str(tmp_path / "fresh.db")
    run(capsys, "--db", fresh, "init", "--name", "Copy PD", "--state", "IL")
    code, out, err = run(capsys, "--db", fresh, "import", "roster", str(roster))
    assert code == 0, err
    code, out, err = run(capsys, "--db", fresh, "import", "training", str(training), "--dry-run")
    assert code == 0 and "dry run" in out
    code, out, _ = run(capsys, "--db", fresh, "import", "training", str(training))
    assert code == 0
    original = (
        sqlite3.connect(demo_db)
        .execute("SELECT count(*), sum(hours) FROM training_records")
        .fetchone()
    )
    copied = (
        sqlite3.connect(fresh)
        .execute("SELECT count(*), sum(hours) FROM training_records")
        .fetchone()
    )
    assert copied == original
    code, out, _ = run(capsys, "--db", fresh, "import", "training", str(training))
    assert f"added 0, updated 0, {original[0]} already recorded" in out


def test_backup_and_restore(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    code, _, _ = run(capsys, "--db", str(demo_db), "backup", str(usb))
    assert code == 0
    (backup,) = usb.glob("deesc-backup-*.db")
    conn = sqlite3.connect(demo_db)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("DELETE FROM training_topics")
    conn.execute("DELETE FROM training_records")
    conn.commit()
    conn.close()
    code, _, err = run(capsys, "--db", str(demo_db), "restore", str(backup))
    assert code == 0, err
    conn = sqlite3.connect(demo_db)
    assert conn.execute("SELECT count(*) FROM training_records").fetchone()[0] > 1000
    reason = conn.execute("SELECT reason FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]
    conn.close()
    assert reason == "restore from backup"
    assert run(capsys, "--db", str(demo_db), "check")[0] == 0
    assert list((demo_db.parent / "backups").glob("before-restore-*.db"))


def test_restore_refuses_a_file_that_is_not_a_backup(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "photo.db"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    code, _, err = run(capsys, "--db", str(demo_db), "restore", str(fake))
    assert code == 1 and "cannot be restored" in err


def test_check_reports_a_tampered_audit_log(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(demo_db)
    conn.execute("DROP TRIGGER audit_entries_no_update")
    conn.execute("INSERT INTO audit_names (name) VALUES ('nothing to see')")
    conn.execute(
        "UPDATE audit_entries SET reason = (SELECT id FROM audit_names"
        " WHERE name = 'nothing to see') WHERE id = 10"
    )
    conn.commit()
    conn.close()
    code, _, err = run(capsys, "--db", str(demo_db), "check")
    assert code == 1 and "audit log: entry 10 was changed" in err


def test_console_script_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "deesc_desktop.cli", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.startswith("deesc ")


def test_output_piped_into_a_reader_that_stops_early_ends_without_a_traceback() -> None:
    """`deesc rules packs | head -2`: the reader closes the pipe before the list is written."""
    child = subprocess.Popen(
        [sys.executable, "-m", "deesc_desktop.cli", "rules", "packs"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()
    err = child.stderr.read().decode()
    assert child.wait(timeout=60) == 1
    assert err == ""


def test_a_database_with_users_requires_sign_in(
    demo_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DEESC_USER")
    code, _, err = run(capsys, "--db", str(demo_db), "export", "roster")
    assert code == 1 and "requires sign-in: pass --user NAME" in err
    monkeypatch.setenv("DEESC_PASSWORD", "wrong")
    code, _, err = run(capsys, "--db", str(demo_db), "--user", "chief.harmon", "rules", "list")
    assert code == 1 and "Wrong user name or password, or the account is locked" in err
    monkeypatch.setenv("DEESC_PASSWORD", "millbrook")
    code, _, err = run(
        capsys, "--db", str(demo_db), "--user", "fin.ruiz", "import", "roster", "x.csv"
    )
    assert code == 1 and "fin.ruiz (Finance) may not import files" in err


def test_users_commands_add_and_disable(
    demo_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEESC_NEW_PASSWORD", "a long password")
    code, out, err = run(
        capsys, "--db", str(demo_db), "users", "add", "ofc.new", "--role", "viewer"
    )
    assert (code, out) == (0, "Added ofc.new (Viewer (read-only)).\n"), err
    code, out, _ = run(capsys, "--db", str(demo_db), "users", "list", "--format", "json")
    assert {u["username"]: u["role"] for u in json.loads(out)}["ofc.new"] == "viewer"
    assert run(capsys, "--db", str(demo_db), "users", "disable", "ofc.new")[0] == 0
    monkeypatch.setenv("DEESC_PASSWORD", "a long password")
    code, _, err = run(capsys, "--db", str(demo_db), "--user", "ofc.new", "rules", "list")
    assert code == 1 and "or the account is locked or disabled" in err


def test_check_and_audit_verify_need_no_sign_in(
    demo_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DEESC_USER")
    monkeypatch.delenv("DEESC_PASSWORD")
    assert run(capsys, "--db", str(demo_db), "check")[0] == 0
    code, out, _ = run(capsys, "--db", str(demo_db), "audit", "verify")
    assert code == 0 and "The audit log is intact" in out
    code, _, err = run(capsys, "--db", str(demo_db), "audit", "history")
    assert code == 1 and "requires sign-in" in err


def test_any_user_changes_their_own_password_with_the_current_one(
    demo_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chief is no administrator: the command passes the password they signed in with."""
    monkeypatch.setenv("DEESC_USER", "chief.harmon")
    monkeypatch.setenv("DEESC_NEW_PASSWORD", "a brand new password")
    code, out, err = run(capsys, "--db", str(demo_db), "users", "passwd")
    assert (code, out, err) == (0, "Changed the password of chief.harmon.\n", "")
    monkeypatch.setenv("DEESC_PASSWORD", "a brand new password")
    assert run(capsys, "--db", str(demo_db), "bonus", "programs")[0] == 0
    code, _, err = run(capsys, "--db", str(demo_db), "users", "passwd", "fin.ruiz")
    assert code == 1 and "chief.harmon (Chief) may not manage users" in err


def test_users_role_keeps_the_last_administrator(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = hashlib.sha256(demo_db.read_bytes()).hexdigest()
    code, _, err = run(capsys, "--db", str(demo_db), "users", "role", "demo-admin", "viewer")
    assert code == 1 and "This is the last active administrator; add another first." in err
    assert hashlib.sha256(demo_db.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("variable", ["DEESC_PASSWORD", "DEESC_NEW_PASSWORD", "DEESC_USER"])
def test_bad_bytes_in_a_password_variable_give_a_message(
    demo_db: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
) -> None:
    # What the environment holds when a variable was set to bytes that are not UTF-8.
    monkeypatch.setenv(variable, b"mill\xffbrook".decode("utf-8", "surrogateescape"))
    if variable != "DEESC_NEW_PASSWORD":
        monkeypatch.setenv("DEESC_NEW_PASSWORD", "another long one")
    code, out, err = run(capsys, "--db", str(demo_db), "users", "passwd", "fin.ruiz")
    assert code == 1 and out == ""
    assert err == (
        f"deesc: {variable} holds bytes that are not text (UTF-8); set it again, typed as "
        "plain text\n"
    )


def test_a_file_from_an_earlier_version_says_it_is_being_upgraded(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "old.db"
    shutil.copyfile(Path(__file__).parent.parent / "data" / "schema-v1.db", path)
    code, _out, err = run(capsys, "--db", str(path), "check")
    assert code == 0, err
    assert f"Upgrading {path} for this version" in err
    code, _out, err = run(capsys, "--db", str(path), "check")
    assert code == 0 and "Upgrading" not in err
