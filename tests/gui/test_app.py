"""Starting the app: options, first run, screenshots, the main window and its registries."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QLabel
from sqlite_utils import Database

from deesc_desktop import __version__
from deesc_desktop.core.auth import Actor
from deesc_desktop.demo import DEMO_ACTOR
from deesc_desktop.gui import workers
from deesc_desktop.gui.action_table import ACTIONS, ActionId
from deesc_desktop.gui.app import Application, main
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.first_run import FirstRunWizard
from deesc_desktop.gui.mainwindow import MainWindow
from deesc_desktop.gui.pages import PAGES, CardSpec, PageId, TabSpec, load
from deesc_desktop.gui.settings import LAST_PAGE, WINDOW_GEOMETRY, Settings
from deesc_desktop.paths import demo_db_path
from deesc_desktop.store.database import open_database
from tests.gui.helpers import Prompts, settle


def plain(html: str) -> str:
    return re.sub("<[^>]+>", "", html.replace("<br>", "\n"))


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"deesc-desktop {__version__}"


def test_screenshots_write_one_png_per_page_and_the_main_dialogs(
    db: Database, db_path: Path, officers: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "shots"
    assert main(["--db", str(db_path), "--screenshots", str(out)]) == 0
    names = {p.name for p in out.glob("*.png")}
    for number, spec in enumerate(PAGES, start=1):
        expected = f"{number:02d}-{spec.id.value}.png"
        assert expected in names
    for dialog in (
        "add-officer",
        "edit-officer",
        "officer-details",
        "separate-officer",
        "record-class",
        "add-leave",
        "first-run",
        "sign-in",
        "officer-compliance",
        "officer-cit",
        "eligible-officers",
        "add-program",
        "add-funding-source",
        "mark-cit-course",
        "add-certificate",
        "add-user",
    ):
        assert f"dialog-{dialog}.png" in names
    assert "wizard-import-4-check.png" in names
    settings = next(n for n, spec in enumerate(PAGES, start=1) if spec.id == PageId.SETTINGS)
    assert {
        "04-compliance.png",
        "06-cit.png",
        "07-bonus_claims.png",
        f"{settings:02d}-settings-users.png",
    } <= names
    assert all(p.stat().st_size > 5000 for p in out.glob("*.png"))


def test_screenshots_of_a_file_that_is_not_a_database_fail_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("shopping list")
    assert main(["--db", str(bogus), "--screenshots", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "is not a deesc-desktop database" in err
    assert "Traceback" not in err


def test_screenshots_of_the_demo_create_it_first(tmp_path: Path) -> None:
    assert not demo_db_path().exists()
    assert main(["--demo", "--screenshots", str(tmp_path / "out")]) == 0
    assert demo_db_path().exists()
    assert (tmp_path / "out" / "02-roster.png").exists()


def test_first_run_asks_for_the_agency_and_opens_the_new_database(
    qtbot: Any, say: Prompts, tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "office" / "agency.db"
    errors: dict[str, str] = {}

    def play(wizard: FirstRunWizard) -> None:
        wizard.next()
        page = wizard.agency
        qtbot.keyClicks(page.name, "Lakeside Police Department")
        page.state.setCurrentText("MN")
        qtbot.keyClicks(page.ori, "MN12")
        wizard.next()
        errors["ori"] = page.form.error_text("ori")
        page.ori.clear()
        qtbot.keyClicks(page.ori, "MN0270100")
        wizard.accept()

    say.dialogs.expect(play)
    application = Application(settings)
    assert application.start(path)
    window = application.window
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    assert errors["ori"] == "An ORI is 9 letters and digits, for example IL0160000"
    assert not [p for p in path.parent.iterdir() if "creating" in p.name]
    assert window.windowTitle().startswith("Lakeside Police Department — agency.db")
    assert str(path) in window.path_label.text()
    assert window.ctx.actor.role.value == "admin"
    window.close()


def test_first_run_can_open_the_demo_agency_instead(
    qtbot: Any, say: Prompts, tmp_path: Path, settings: Settings
) -> None:
    say.dialogs.expect(lambda wizard: wizard.welcome.demo_button.click())
    application = Application(settings)
    assert application.start(tmp_path / "real.db")
    window = application.window
    qtbot.addWidget(window)
    assert not (tmp_path / "real.db").exists()
    assert window.ctx.demo and window.ctx.actor == DEMO_ACTOR
    assert "Millbrook Police Department" in window.windowTitle()
    assert "(demo)" in window.windowTitle()
    settle()
    roster = window.show_page(PageId.ROSTER)
    settle()
    assert roster.model.rowCount() == 40  # type: ignore[attr-defined]
    window.close()


def test_cancelling_the_first_run_creates_nothing(say: Prompts, tmp_path: Path) -> None:
    say.dialogs.expect(lambda wizard: wizard.reject())
    assert not Application().start(tmp_path / "agency.db")
    assert not (tmp_path / "agency.db").exists()


def test_a_damaged_database_is_refused_with_a_message(say: Prompts, tmp_path: Path) -> None:
    bogus = tmp_path / "deesc.db"
    bogus.write_bytes(b"\x00" * 100)
    assert not Application().start(bogus)
    assert "is not a deesc-desktop database" in say.texts("error")[0]


def test_navigation_shows_every_page_and_view_shortcuts_follow_the_registry(
    window: MainWindow,
) -> None:
    titles = [window.nav.item(row).text() for row in range(window.nav.count())]
    assert titles == [spec.title for spec in PAGES]
    assert titles[:3] == ["Dashboard", "Roster", "Training"]
    assert titles[-1] == "Settings"
    # Ctrl+1 to Ctrl+8 for the first eight pages and Ctrl+9 for Settings, as ever; training
    # due sits beside compliance (Ctrl+Shift+4); course files and incidents are in the View menu.
    later = {PageId.TRAINING_DUE, PageId.COURSE_FILES, PageId.INCIDENTS, PageId.SETTINGS}
    numbered = [spec for spec in PAGES if spec.id not in later]
    keys = {spec.id: f"Ctrl+{number}" for number, spec in enumerate(numbered, start=1)}
    keys[PageId.SETTINGS] = "Ctrl+9"
    keys[PageId.TRAINING_DUE] = "Ctrl+Shift+4"
    for spec in PAGES:
        action = window.registry[spec.view_action]
        assert action.shortcut() == QKeySequence(keys.get(spec.id, ""))
        assert action.isVisible()
    # Training due sits beside Compliance without moving the shortcuts users know.
    due = window.registry[ActionId.VIEW_TRAINING_DUE]
    assert due.shortcut() == QKeySequence("Ctrl+Shift+4")
    window.registry[ActionId.VIEW_TRAINING].trigger()
    assert window.current_page_id() == PageId.TRAINING


def test_actions_use_the_platform_standard_shortcuts(window: MainWindow) -> None:
    keys = QKeySequence.keyBindings
    assert window.registry[ActionId.OPEN_DATABASE].shortcuts() == keys(
        QKeySequence.StandardKey.Open
    )
    assert window.registry[ActionId.QUIT].shortcuts() == keys(QKeySequence.StandardKey.Quit)
    assert window.registry[ActionId.RECORD_CLASS].shortcuts() == keys(QKeySequence.StandardKey.New)
    assert window.registry[ActionId.FIND].shortcuts() == keys(QKeySequence.StandardKey.Find)
    shortcuts = [
        s.toString() for a in ActionId for s in window.registry[a].shortcuts() if not s.isEmpty()
    ]
    assert len(shortcuts) == len(set(shortcuts)), "no two actions share a shortcut"
    assert set(ACTIONS) == set(ActionId)
    menus = [m.title() for m in window.menuBar().findChildren(type(window.menuBar().addMenu("x")))]
    assert {"&File", "&Edit", "&View", "&Help"} <= set(menus)


def test_title_and_status_bar_name_the_agency_and_database(
    window: MainWindow, db_path: Path
) -> None:
    assert window.windowTitle() == (
        "Test Police Department — deesc.db — no users yet: add an administrator in Settings"
        " — deesc-desktop"
    )
    assert window.path_label.text() == f"Database: {db_path}"
    assert window.user_label.text() == "Working as sgt.admin · Administrator"


def test_dashboard_counts_officers_training_and_the_last_import(
    officers: dict[str, int], window: MainWindow, db: Database, admin: Actor
) -> None:
    from deesc_desktop.services.officers import separate_officer

    separate_officer(db, admin, officers["105"], "2025-01-31")
    window.refresh_all()
    settle()
    page = window.pages[PageId.DASHBOARD]
    assert page.officers.figure.text() == "4"  # type: ignore[attr-defined]
    assert "Separated (kept on file): 1" in plain(page.officers.body.text())  # type: ignore[attr-defined]
    assert plain(page.shifts.body.text()) == "Days · 3\nNights · 1"  # type: ignore[attr-defined]
    assert page.training.figure.text() == "0.0 h"  # type: ignore[attr-defined]
    assert page.last_import.figure.text() == "None yet"  # type: ignore[attr-defined]
    assert page.title.text() == "Test Police Department"  # type: ignore[attr-defined]


def test_settings_page_saves_the_agency_and_shows_errors_at_the_fields(
    qtbot: Any, window: MainWindow, db: Database
) -> None:
    page = window.show_page(PageId.SETTINGS)
    settle()
    page.ori.setText("not an ori")  # type: ignore[attr-defined]
    page.save_button.click()  # type: ignore[attr-defined]
    assert "9 letters and digits" in page.form.error_text("ori")  # type: ignore[attr-defined]
    page.ori.setText("IL0160000")  # type: ignore[attr-defined]
    page.name.setText("Riverside Police Department")  # type: ignore[attr-defined]
    page.fiscal_month.setCurrentIndex(0)  # type: ignore[attr-defined]
    page.save_button.click()  # type: ignore[attr-defined]
    assert page.form.error_text("ori") == ""  # type: ignore[attr-defined]
    assert db.execute("SELECT name, ori, fiscal_year_start_month FROM agency").fetchone() == (
        "Riverside Police Department",
        "IL0160000",
        1,
    )
    assert window.windowTitle().startswith("Riverside Police Department")


def test_back_up_and_check_the_database_from_settings(
    window: MainWindow, db_path: Path, say: Prompts
) -> None:
    page = window.show_page(PageId.SETTINGS)
    page.backup()  # type: ignore[attr-defined]
    backups = list((db_path.parent / "backups").glob("deesc-backup-*.db"))
    assert len(backups) == 1
    assert str(backups[0]) in page.result.text()  # type: ignore[attr-defined]
    page.check()  # type: ignore[attr-defined]
    assert page.result.text().startswith("No problems found")  # type: ignore[attr-defined]
    assert open_database(backups[0], create=False).execute("SELECT name FROM agency").fetchone()


def test_export_the_roster_where_the_user_chooses(
    officers: dict[str, int], window: MainWindow, say: Prompts, tmp_path: Path
) -> None:
    say.save_path = tmp_path / "out" / "roster"
    (tmp_path / "out").mkdir()
    window.registry[ActionId.EXPORT_ROSTER].trigger()
    written = tmp_path / "out" / "roster.csv"
    assert written.read_text(encoding="utf-8-sig").splitlines()[0].startswith("badge,last_name")
    assert say.texts("inform") == [f"Wrote 5 officers to\n{written}"]


def test_about_names_the_version_and_the_database(
    window: MainWindow, say: Prompts, db_path: Path
) -> None:
    window.registry[ActionId.ABOUT].trigger()
    text = say.texts("about")[0]
    assert __version__ in text and str(db_path) in text


def test_window_size_and_last_page_are_remembered(
    qtbot: Any, ctx: AppContext, say: Prompts, settings: Settings
) -> None:
    first = MainWindow(ctx)
    qtbot.addWidget(first)
    first.show()
    first.resize(first.minimumSizeHint().width() + 20, 560)
    size = first.size()
    first.show_page(PageId.TRAINING)
    first.close()
    assert settings.get(LAST_PAGE) == "training"
    assert settings.get(WINDOW_GEOMETRY)
    second = MainWindow(ctx)
    qtbot.addWidget(second)
    assert second.current_page_id() == PageId.TRAINING
    # Offscreen, Qt fits a restored window into its 800-pixel-wide screen; the height is kept.
    assert second.height() == size.height()
    settle()


def test_settings_are_typed_and_fall_back_to_their_defaults(tmp_path: Path) -> None:
    store = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings = Settings(store)
    assert settings.get(LAST_PAGE) == "dashboard"
    settings.set(LAST_PAGE, "roster")
    settings.set(WINDOW_GEOMETRY, b"\x01\x02")
    assert settings.get(LAST_PAGE) == "roster"
    assert settings.get(WINDOW_GEOMETRY) == b"\x01\x02"
    default_store = Settings().store
    assert str(tmp_path) in default_store.fileName(), "tests never touch the real settings"


def test_a_dialog_left_open_does_not_block_tests(say: Prompts, window: MainWindow) -> None:
    say.dialogs.expect(lambda dialog: None)  # the user presses Cancel
    window.registry[ActionId.ADD_OFFICER].trigger()
    assert isinstance(say.dialogs.seen[0], QDialog)


def test_file_open_and_new_database_switch_the_window(
    qtbot: Any, say: Prompts, tmp_path: Path, settings: Settings, db_path: Path, db: Database
) -> None:
    application = Application(settings)
    assert application.start(db_path)
    first = application.window
    qtbot.addWidget(first)
    assert first.windowTitle().startswith("Test Police Department")

    say.save_path = tmp_path / "second.db"

    def set_up(wizard: FirstRunWizard) -> None:
        wizard.next()
        wizard.agency.name.setText("Second Agency")
        wizard.agency.state.setCurrentText("TX")
        wizard.accept()

    say.dialogs.expect(set_up)
    first.registry[ActionId.NEW_DATABASE].trigger()
    second = application.window
    qtbot.addWidget(second)
    assert second is not first and not first.isVisible()
    assert second.windowTitle().startswith("Second Agency — second.db")

    say.open_path = db_path
    second.registry[ActionId.OPEN_DATABASE].trigger()
    third = application.window
    qtbot.addWidget(third)
    assert third.windowTitle().startswith("Test Police Department — deesc.db")

    say.save_path = db_path  # an existing file is never overwritten
    third.registry[ActionId.NEW_DATABASE].trigger()
    assert application.window is third
    assert "already exists" in say.texts("error")[-1]
    third.close()


def test_ctrl_n_records_a_class(
    qtbot: Any, officers: dict[str, int], window: MainWindow, say: Prompts
) -> None:
    opened: list[str] = []
    say.dialogs.expect(lambda dialog: opened.append(dialog.windowTitle()))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keySequence(window, QKeySequence.StandardKey.New)
    assert opened == ["Record class"]


def test_a_database_whose_setup_never_finished_gets_its_agency_in_place(
    qtbot: Any, say: Prompts, tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "half.db"
    open_database(path).close()  # created, migrated, but no agency

    def play(wizard: FirstRunWizard) -> None:
        wizard.next()
        wizard.agency.name.setText("Half Agency")
        wizard.agency.state.setCurrentText("OH")
        wizard.accept()

    say.dialogs.expect(play)
    application = Application(settings)
    assert application.start(path)
    qtbot.addWidget(application.window)
    assert application.window.windowTitle().startswith("Half Agency — half.db")
    application.window.close()


def extra_card(_ctx: AppContext) -> QLabel:
    return QLabel("Extra card")


def extra_tab(_ctx: AppContext, officer_id: int) -> QLabel:
    return QLabel(f"officer {officer_id}")


def test_a_page_spec_adds_its_dashboard_card_and_officer_tab(
    qtbot: Any,
    ctx: AppContext,
    say: Prompts,
    officers: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from deesc_desktop.gui import pages
    from deesc_desktop.gui.features.roster.officer_detail import OfficerDetailDialog

    feature = replace(
        pages.spec(PageId.TRAINING),
        cards=(CardSpec(f"{__name__}:extra_card", order=1),),
        officer_tabs=(TabSpec("Extra", f"{__name__}:extra_tab", order=1),),
    )
    monkeypatch.setattr(pages, "PAGES", (feature,))
    window = MainWindow(ctx, persist_settings=False)
    qtbot.addWidget(window)
    page = window.pages[PageId.DASHBOARD]
    assert [c.text() for c in page.extra_cards] == ["Extra card"]  # type: ignore[attr-defined]
    dialog = OfficerDetailDialog(ctx, officers["101"])
    qtbot.addWidget(dialog)
    assert dialog.tabs.tabText(dialog.tabs.count() - 1) == "Extra"
    settle()


def test_every_page_card_and_officer_tab_in_the_registry_can_be_built() -> None:
    for spec in PAGES:
        assert callable(load(f"{spec.module}:create_page")), spec.id
        for factory in [card.factory for card in spec.cards]:
            assert callable(load(factory)), factory
        for factory in [tab.factory for tab in spec.officer_tabs]:
            assert callable(load(factory)), factory


def test_a_file_from_an_earlier_version_is_upgraded_behind_a_progress_message(
    qtbot: Any,
    say: Prompts,
    tmp_path: Path,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "old.db"
    shutil.copyfile(Path(__file__).parent.parent / "data" / "schema-v1.db", path)
    shown: list[str] = []
    real = workers.run_with_progress

    def watched(parent: Any, label: str, fn: Any, **options: Any) -> Any:
        shown.append(label)
        return real(parent, label, fn, **options)

    monkeypatch.setattr(workers, "run_with_progress", watched)
    application = Application(settings)
    assert application.start(path)
    window = application.window
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    assert len(shown) == 1 and shown[0].startswith("Upgrading old.db for this version")
    assert "saved in the backups folder first" in shown[0]
    assert [p.name for p in (tmp_path / "backups").iterdir() if "pre-migration" in p.name]
    assert window.windowTitle().startswith("Version One PD — old.db")
    window.close()
    # Opened again, it is the current version: no upgrade, no message.
    again = Application(settings)
    assert again.start(path)
    qtbot.addWidget(again.window)
    assert len(shown) == 1
    assert again.window is not None
    again.window.close()
