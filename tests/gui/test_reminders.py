"""The reminders of what falls due: from the View menu, at start once a day, and printed."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.features.training_due.reminders import (
    ReminderModel,
    RemindersDialog,
    show_reminders,
)
from deesc_desktop.gui.mainwindow import MainWindow
from deesc_desktop.services.cit import add_certification
from deesc_desktop.services.reminders import due_soon
from deesc_desktop.services.requirements import active_requirements, set_requirement_active
from tests.gui.helpers import Prompts, settle


def expiring(db: Database, admin: Actor, officer: int) -> None:
    """A CIT certificate that lapses in ten days."""
    soon = date.today() + timedelta(days=10)
    add_certification(
        db,
        admin,
        officer,
        {"earned": soon - timedelta(days=1000), "expires": soon, "issuer": "CIT"},
    )


@pytest.fixture
def cit_only(db: Database, admin: Actor) -> None:
    """No requirement in force, so that what falls due does not hang on today's date (the
    state pack's annual classes fall due on 31 December); these tests are about CIT."""
    for requirement in active_requirements(db):
        set_requirement_active(db, admin, requirement.id, False)


def dialogs(window: MainWindow) -> list[RemindersDialog]:
    return [d for d in window.findChildren(RemindersDialog) if d.isVisible()]


def test_the_view_menu_shows_what_falls_due_and_prints_it_by_shift(
    qtbot: Any,
    officers: dict[str, int],
    window: MainWindow,
    say: Prompts,
    db: Database,
    admin: Actor,
    tmp_path: Path,
    cit_only: None,
) -> None:
    expiring(db, admin, officers["102"])
    window.registry[ActionId.SHOW_REMINDERS].trigger()
    settle()
    qtbot.waitUntil(lambda: len(dialogs(window)) == 1)
    (dialog,) = dialogs(window)
    rows = dialog.model.all_rows()
    assert [(r.kind, r.who, r.shift) for r in rows] == [("cit", "Brown, James", "Nights")]
    assert dialog.summary.text().startswith("<b>1 item</b> for your role fall due by")
    say.save_path = tmp_path / "due.pdf"
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    text = " ".join(p.extract_text() for p in PdfReader(say.save_path).pages)
    assert "Shift: Nights (1)" in text and say.urls[-1].endswith("due.pdf")
    dialog.close()


def test_at_start_the_reminders_show_once_a_day_and_only_when_something_is_due(
    qtbot: Any,
    officers: dict[str, int],
    window: MainWindow,
    db: Database,
    admin: Actor,
    cit_only: None,
) -> None:
    show_reminders(window, window.ctx, at_start=True)
    settle()
    assert dialogs(window) == []  # nothing due: no window at start
    expiring(db, admin, officers["101"])
    show_reminders(window, window.ctx, at_start=True)
    settle()
    qtbot.waitUntil(lambda: len(dialogs(window)) == 1)
    dialogs(window)[0].close()
    show_reminders(window, window.ctx, at_start=True)
    settle()
    assert dialogs(window) == []  # already shown today


def test_the_reminder_model_passes_the_model_tester(
    qtmodeltester: Any, officers: dict[str, int], db: Database, admin: Actor
) -> None:
    expiring(db, admin, officers["101"])
    model = ReminderModel()
    model.set_rows(due_soon(db))
    qtmodeltester.check(model)
