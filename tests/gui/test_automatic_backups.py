"""Automatic backups: when the window closes, once a day while it stays open, failures shown."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.mainwindow import BACKUP_CHECK_MS, MainWindow
from deesc_desktop.services import maintenance
from deesc_desktop.services.errors import ServiceError
from tests.gui.helpers import Prompts, settle


def auto_backups(db_path: Path) -> list[str]:
    return sorted(p.name for p in (db_path.parent / "backups" / "auto").glob("*.db"))


def test_closing_the_window_writes_todays_automatic_backup(
    qtbot: Any, ctx: AppContext, say: Prompts, db_path: Path
) -> None:
    window = MainWindow(ctx, persist_settings=False)
    qtbot.addWidget(window)
    window.show()
    settle()
    assert auto_backups(db_path) == []
    window.close()
    settle()
    assert auto_backups(db_path) == [f"auto-{date.today().isoformat()}.db"]


def test_the_open_window_backs_up_once_a_day_and_shows_a_failure_in_the_status_bar(
    qtbot: Any,
    ctx: AppContext,
    say: Prompts,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = MainWindow(ctx, persist_settings=False, auto_backup=False)
    qtbot.addWidget(window)
    assert window.backup_timer.interval() == BACKUP_CHECK_MS
    window.daily_backup(date(2026, 3, 2))
    settle()
    assert auto_backups(db_path) == ["auto-2026-03-02.db"]
    assert window.statusBar().currentMessage().startswith("Automatic backup saved: ")
    window.daily_backup(date(2026, 3, 2))  # the same day again: nothing more
    settle()
    assert auto_backups(db_path) == ["auto-2026-03-02.db"]

    def broken(*_args: object, **_kwargs: object) -> Path:
        raise ServiceError("Could not write the automatic backup to /media/usb: disk full")

    # The window imports the backup service when it backs up (not before it shows).
    monkeypatch.setattr(maintenance, "automatic_backup", broken)
    window.daily_backup(date(2026, 3, 3))
    settle()
    assert window.statusBar().currentMessage() == (
        "Automatic backup failed: Could not write the automatic backup to /media/usb: disk full"
    )
    assert say.messages == [], "a failure is a status line, not a dialog or a crash"
    monkeypatch.undo()
    window.daily_backup(date(2026, 3, 3))  # a failed day is tried again at the next check
    settle()
    assert auto_backups(db_path) == ["auto-2026-03-02.db", "auto-2026-03-03.db"]
    window.close()
