"""No output (report, export, table, payroll batch, backup) is ever written over the database,
its -wal or -shm, or a backup; an existing file only with --force; a report only as .pdf."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from deesc_desktop.cli import main
from deesc_desktop.demo import DEMO_ACTOR, DEMO_PASSWORD
from deesc_desktop.services.maintenance import backup_database
from deesc_desktop.store.database import open_database


@pytest.fixture
def demo_file(pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "office" / "deesc.db"
    path.parent.mkdir()
    shutil.copyfile(pristine, path)
    monkeypatch.setenv("DEESC_USER", DEMO_ACTOR.username)
    monkeypatch.setenv("DEESC_PASSWORD", DEMO_PASSWORD)
    monkeypatch.chdir(path.parent)
    return path


def deesc(path: Path, *args: str) -> int:
    return main(["--db", str(path), *args])


def still_sound(path: Path) -> bool:
    return deesc(path, "check") == 0


OUTPUTS = {
    "report": ["report", "compliance", "-o"],
    "table": ["report", "payments", "--table-out"],
    "export": ["export", "training", "-o"],
    "batch": ["bonus", "batch", "export", "1", "-o"],
    "backup": ["backup"],
}


@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("name", ["deesc.db", "deesc.db-wal", "deesc.db-shm", "./deesc.db"])
def test_no_output_replaces_the_database_or_its_companions(
    demo_file: Path, capsys: pytest.CaptureFixture[str], output: str, name: str
) -> None:
    before = demo_file.read_bytes()
    assert deesc(demo_file, *OUTPUTS[output], name, "--force") == 1
    said = capsys.readouterr().err
    assert "is the database" in said or "written as" in said
    assert demo_file.read_bytes() == before
    assert still_sound(demo_file)


@pytest.mark.parametrize("output", OUTPUTS)
def test_no_output_replaces_a_backup(
    demo_file: Path, capsys: pytest.CaptureFixture[str], output: str
) -> None:
    db = open_database(demo_file)
    backup = backup_database(db, DEMO_ACTOR, demo_file)
    db.close()
    for target in (backup, backup.with_name(backup.name + ".manifest.json")):
        kept = target.read_bytes()
        assert deesc(demo_file, *OUTPUTS[output], str(target), "--force") == 1
        assert "backups folder" in capsys.readouterr().err or target.suffix == ".json"
        assert target.read_bytes() == kept


@pytest.mark.parametrize("output", OUTPUTS)
def test_an_existing_file_is_replaced_only_with_force(
    demo_file: Path, capsys: pytest.CaptureFixture[str], output: str
) -> None:
    suffix = {"report": ".pdf", "table": ".csv", "export": ".csv", "batch": ".csv"}
    existing = demo_file.parent / f"mine{suffix.get(output, '.db')}"
    existing.write_text("my own notes")
    assert deesc(demo_file, *OUTPUTS[output], str(existing)) == 1
    assert "already exists" in capsys.readouterr().err
    assert existing.read_text() == "my own notes"
    assert deesc(demo_file, *OUTPUTS[output], str(existing), "--force") == 0
    assert existing.read_bytes() != b"my own notes"


def test_a_report_is_written_only_as_pdf(
    demo_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert deesc(demo_file, "report", "compliance", "-o", "compliance.txt") == 1
    assert "written as .pdf" in capsys.readouterr().err
    assert not (demo_file.parent / "compliance.txt").exists()
