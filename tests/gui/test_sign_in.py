"""Signing in, what each role may press, signing out, and the users section of Settings."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from shiboken6 import isValid
from sqlite_utils import Database

from deesc_desktop.cli import main as deesc
from deesc_desktop.core.auth import Actor
from deesc_desktop.core.times import stamp_text
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.app import Application
from deesc_desktop.gui.dialogs.sign_in import SignInDialog
from deesc_desktop.gui.features.settings.dialogs import UserDialog
from deesc_desktop.gui.features.settings.models import UserColumn
from deesc_desktop.gui.mainwindow import MainWindow
from deesc_desktop.gui.pages import PageId
from deesc_desktop.gui.settings import Settings
from deesc_desktop.services.users import SIGN_IN_REFUSED, login_required, set_login_required
from tests.gui.conftest import PASSWORD
from tests.gui.helpers import Prompts, settle


def sign_in_as(qtbot: Any, username: str, password: str = PASSWORD) -> Callable[[Any], None]:
    def play(dialog: SignInDialog) -> None:
        dialog.username.clear()
        qtbot.keyClicks(dialog.username, username)
        qtbot.keyClicks(dialog.password, password)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # Enter signs in

    return play


def started(qtbot: Any, settings: Settings, db_path: Path) -> MainWindow:
    application = Application(settings)
    assert application.start(db_path)
    window = application.window
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    settle()
    return window


def test_a_wrong_password_is_refused_in_the_dialog_which_stays_open(
    qtbot: Any,
    say: Prompts,
    db: Database,
    db_path: Path,
    users: dict[str, Actor],
    officers: dict[str, int],
    settings: Settings,
) -> None:
    seen: dict[str, Any] = {}

    def play(dialog: SignInDialog) -> None:
        qtbot.keyClicks(dialog.username, "sgt.delgado")
        qtbot.keyClicks(dialog.password, "not the password")
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        seen["message"] = dialog.message_text()
        seen["open"] = dialog.isVisible()
        seen["password"] = dialog.password.text()
        sign_in_as(qtbot, "sgt.delgado")(dialog)

    say.dialogs.expect(play)
    window = started(qtbot, settings, db_path)
    assert seen == {"message": SIGN_IN_REFUSED, "open": True, "password": ""}
    assert window.ctx.actor == users["sgt.delgado"]
    assert window.user_label.text() == "Signed in as sgt.delgado · Training officer"
    assert "sign-in off" not in window.windowTitle()
    registry = window.registry
    assert registry[ActionId.RECORD_CLASS].isEnabled()
    assert registry[ActionId.ADD_OFFICER].isEnabled()
    assert not registry[ActionId.ADD_PROGRAM].isEnabled(), "the chief sets up programs"
    assert not registry[ActionId.PAY_BATCH].isEnabled()
    window.close()


def test_a_viewer_cannot_press_add_officer_anywhere(
    qtbot: Any,
    say: Prompts,
    db_path: Path,
    users: dict[str, Actor],
    officers: dict[str, int],
    settings: Settings,
) -> None:
    say.dialogs.expect(sign_in_as(qtbot, "viewer.ann"))
    window = started(qtbot, settings, db_path)
    assert window.user_label.text() == "Signed in as viewer.ann · Viewer (read-only)"
    add = window.registry[ActionId.ADD_OFFICER]
    assert not add.isEnabled()
    assert "not allowed for the role Viewer" in add.toolTip()
    roster: Any = window.show_page(PageId.ROSTER)
    settle()
    roster.select_officer(officers["101"])
    assert window.registry[ActionId.OFFICER_DETAILS].isEnabled(), "anyone may look"
    for action_id in (ActionId.EDIT_OFFICER, ActionId.SEPARATE_OFFICER, ActionId.RECORD_CLASS):
        assert not window.registry[action_id].isEnabled(), action_id
    add.trigger()  # a disabled action does nothing, and no dialog opens
    assert say.dialogs.seen[1:] == []
    settings_page: Any = window.show_page(PageId.SETTINGS)
    assert not settings_page.save_button.isEnabled()
    assert settings_page.users_box.isHidden()
    window.close()


def test_cancel_at_sign_in_quits(
    say: Prompts, db_path: Path, users: dict[str, Actor], settings: Settings
) -> None:
    say.dialogs.expect(lambda dialog: dialog.reject())
    application = Application(settings)
    assert not application.start(db_path)
    assert application.window is None


def test_the_demo_opens_signed_in_as_its_administrator(
    qtbot: Any, say: Prompts, settings: Settings
) -> None:
    application = Application(settings)
    assert application.start(Path("unused"), demo=True)
    window = application.window
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    assert window.ctx.actor.username == "demo-admin"
    assert say.dialogs.seen == [], "no sign-in dialog for the demo"
    assert window.user_label.text() == "Signed in as demo-admin · Administrator"
    settle()
    window.close()


def test_with_sign_in_switched_off_nobody_is_asked_and_the_title_says_so(
    qtbot: Any,
    say: Prompts,
    db: Database,
    db_path: Path,
    users: dict[str, Actor],
    settings: Settings,
) -> None:
    set_login_required(db, users["admin.lee"], False)
    window = started(qtbot, settings, db_path)
    assert say.dialogs.seen == []
    assert "— sign-in off — deesc-desktop" in window.windowTitle()
    assert window.ctx.actor.username.endswith("(sign-in off)")
    assert window.user_label.text().startswith("Working as ")
    window.close()


def test_a_database_with_no_users_says_so_in_the_title(
    qtbot: Any, say: Prompts, db: Database, db_path: Path, settings: Settings
) -> None:
    window = started(qtbot, settings, db_path)
    assert "no users yet: add an administrator in Settings" in window.windowTitle()
    assert window.ctx.actor.username.endswith("(no users yet)")
    assert not window.registry[ActionId.SIGN_OUT].isEnabled()
    window.close()


def test_sign_out_and_switch_to_another_user(
    qtbot: Any,
    say: Prompts,
    db_path: Path,
    users: dict[str, Actor],
    settings: Settings,
) -> None:
    say.dialogs.expect(sign_in_as(qtbot, "sgt.delgado"))
    application = Application(settings)
    assert application.start(db_path)
    first = application.window
    assert first is not None
    say.dialogs.expect(sign_in_as(qtbot, "chief.harmon"))
    first.registry[ActionId.SIGN_OUT].trigger()
    second = application.window
    assert second is not None and second is not first
    qtbot.addWidget(second)
    assert second.ctx.actor == users["chief.harmon"]
    assert second.registry[ActionId.ADD_PROGRAM].isEnabled()
    assert not second.registry[ActionId.RECORD_CLASS].isEnabled()
    assert not first.isVisible()
    settle()
    assert not isValid(first), "the first user's window is released, not kept hidden"
    second.close()


def test_an_administrator_adds_and_disables_users_and_switches_sign_in_off(
    qtbot: Any,
    say: Prompts,
    db: Database,
    users: dict[str, Actor],
    window_as: Callable[[Actor], MainWindow],
) -> None:
    window = window_as(users["admin.lee"])
    page: Any = window.show_page(PageId.SETTINGS)
    settle()
    assert page.users.rowCount() == 5
    errors: list[str] = []

    def fill(dialog: UserDialog) -> None:
        qtbot.keyClicks(dialog.username, "ofc.new")
        dialog.role.setCurrentIndex(dialog.role.findData("viewer"))
        qtbot.keyClicks(dialog.password, "short")
        qtbot.keyClicks(dialog.confirm, "short")
        dialog.accept()
        errors.append(dialog.form.error_text("password"))
        for field in (dialog.password, dialog.confirm):
            field.clear()
            qtbot.keyClicks(field, "long enough pass")
        dialog.accept()

    say.dialogs.expect(fill)
    page.add_user_button.click()
    settle()
    assert errors == ["Password must be at least 8 characters."]
    assert page.users.rowCount() == 6
    assert page.selected_user()["username"] == "ofc.new"

    say.reason = "left the agency"
    assert page.toggle_active()
    settle()
    assert db.execute("SELECT active FROM users WHERE username = 'ofc.new'").fetchone() == (0,)
    assert page.active_button.text() == "Enable…"

    say.confirm_answer = False
    page.sign_in_switch.setChecked(False)
    assert page.sign_in_switch.isChecked(), "declining the confirmation keeps sign-in on"
    assert login_required(db)
    say.confirm_answer = True
    page.sign_in_switch.setChecked(False)
    settle()
    assert not login_required(db)
    assert "sign-in off" in window.windowTitle()
    assert "Sign-in is OFF" in page.sign_in_hint.text()
    assert db.execute(
        "SELECT username, reason FROM audit_log WHERE table_name = 'settings'"
        " ORDER BY id DESC LIMIT 1"
    ).fetchone() == ("admin.lee", "sign-in switched off")


def test_the_first_user_added_is_an_administrator(
    qtbot: Any, say: Prompts, db: Database, window: MainWindow
) -> None:
    page: Any = window.show_page(PageId.SETTINGS)
    settle()
    assert page.add_user_button.text() == "Add the first administrator…"
    assert not page.sign_in_switch.isEnabled()

    def fill(dialog: UserDialog) -> None:
        assert [dialog.role.itemData(i) for i in range(dialog.role.count())] == ["admin"]
        qtbot.keyClicks(dialog.username, "chief.boss")
        for field in (dialog.password, dialog.confirm):
            qtbot.keyClicks(field, "first admin pass")
        dialog.accept()

    say.dialogs.expect(fill)
    page.add_user_button.click()
    settle()
    assert db.execute("SELECT username, role FROM users").fetchall() == [("chief.boss", "admin")]
    assert "no users yet" not in window.windowTitle()


def test_a_file_whose_users_were_changed_outside_the_app_lets_nobody_in(
    say: Prompts,
    db: Database,
    db_path: Path,
    users: dict[str, Actor],
    settings: Settings,
) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE users SET role = 'admin' WHERE username = 'viewer.ann'")
    conn.commit()
    conn.close()

    assert not Application(settings).start(db_path)  # no sign-in dialog is shown at all

    (title, text) = next((t, x) for kind, t, x in say.messages if kind == "error")
    assert title == "Cannot sign in"
    assert "role is 'admin' in the file, but the audit log last recorded 'viewer'" in text
    assert "deesc check" in text and "deesc audit verify" in text


def test_settings_show_each_users_last_sign_in_to_the_app_in_local_time(
    qtbot: Any,
    say: Prompts,
    db: Database,
    db_path: Path,
    users: dict[str, Actor],
    settings: Settings,
    chicago: None,
    monkeypatch: Any,
) -> None:
    # sgt.delgado works only from the command line: those sign-ins are not recorded.
    monkeypatch.setenv("DEESC_PASSWORD", PASSWORD)
    assert deesc(["--db", str(db_path), "--user", "sgt.delgado", "users", "list"]) == 0
    say.dialogs.expect(sign_in_as(qtbot, "admin.lee"))
    window = started(qtbot, settings, db_path)
    page: Any = window.show_page(PageId.SETTINGS)
    settle()
    stamp = db.execute("SELECT last_sign_in FROM users WHERE username = 'admin.lee'").fetchone()
    assert stamp[0] is not None

    def shown(name: str) -> str:
        row = page.users.find_row(lambda u: u["username"] == name)
        return page.users.index(row, UserColumn.LAST_SIGN_IN).data()

    assert shown("admin.lee") == stamp_text(stamp[0])
    assert shown("admin.lee").endswith((" CST", " CDT"))
    assert shown("sgt.delgado") == "never"
    assert "the deesc command's sign-ins are not recorded" in page.users_note.text()
    window.close()
