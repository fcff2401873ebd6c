"""Settings > Requirements: switch a requirement off, load rule files, edit one as TOML."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from deesc_desktop.gui.mainwindow import MainWindow
from deesc_desktop.gui.pages import PageId
from deesc_desktop.gui.pages.compliance import CompliancePage
from deesc_desktop.gui.pages.settings_page import SettingsPage
from deesc_desktop.gui.requirements_ui import (
    EXAMPLE,
    RequirementColumn,
    RequirementEditor,
    toml_value,
)
from tests.gui.helpers import Prompts, settle

IL = "IL-inservice-30h"


def settings_page(window: MainWindow) -> SettingsPage:
    page = window.show_page(PageId.SETTINGS)
    assert isinstance(page, SettingsPage)
    settle()
    return page


def compliance_columns(window: MainWindow) -> CompliancePage:
    page = window.show_page(PageId.COMPLIANCE)
    assert isinstance(page, CompliancePage)
    settle()
    return page


def shown(page: SettingsPage) -> dict[str, tuple[str, str]]:
    model = page.requirements.model
    return {
        model.index(r, RequirementColumn.ID).data(): (
            model.index(r, RequirementColumn.ORIGIN).data(),
            model.index(r, RequirementColumn.STATE).data(),
        )
        for r in range(model.rowCount())
    }


def test_switch_il_requirement_off_and_it_leaves_the_compliance_page(
    qtmodeltester: object, window: MainWindow, officers: dict[str, int], say: Prompts
) -> None:
    assert compliance_columns(window).model.requirement_column(IL) >= 0
    page = settings_page(window)
    qtmodeltester.check(page.requirements.model)  # type: ignore[attr-defined]
    assert shown(page)[IL] == ("IL pack", "On")
    assert page.requirements.select(IL)
    assert page.requirements.switch_button.text() == "Switch off"
    page.requirements.switch_button.click()
    settle()
    assert shown(page)[IL][1] == "Off"
    assert page.requirements.switch_button.text() == "Switch on"

    assert compliance_columns(window).model.requirement_column(IL) == -1

    page = settings_page(window)
    page.requirements.select(IL)
    page.requirements.switch_button.click()
    settle()
    assert compliance_columns(window).model.requirement_column(IL) >= 0


def test_a_malformed_requirement_shows_the_field_and_saves_nothing(
    window: MainWindow, db: Database, say: Prompts
) -> None:
    page = settings_page(window)
    seen: list[str] = []

    def type_bad(dialog: RequirementEditor) -> None:
        dialog.editor.setPlainText(EXAMPLE.replace("effective_from", "efective_from"))
        dialog.save_button.click()
        assert dialog.isVisible()
        seen.append(dialog.message.text())

    say.dialogs.expect(type_bad)
    page.requirements.edit_button.click()
    settle()
    assert seen and "efective_from" in seen[0]
    assert "AGENCY-firearms-annual" in seen[0] and "agency.toml" in seen[0]
    assert db.execute("select count(*) from requirements").fetchone()[0] == 0


def test_a_toml_syntax_error_names_the_line_of_the_editor(window: MainWindow, say: Prompts) -> None:
    page = settings_page(window)
    seen: list[str] = []

    def type_bad(dialog: RequirementEditor) -> None:
        dialog.editor.setPlainText("[[requirements]]\nid = \n")
        dialog.save_button.click()
        seen.append(dialog.message.text())

    say.dialogs.expect(type_bad)
    page.requirements.edit_button.click()
    assert "line 2" in seen[0]


def test_a_valid_requirement_appears_in_the_table(
    window: MainWindow, db: Database, say: Prompts
) -> None:
    page = settings_page(window)

    def save_example(dialog: RequirementEditor) -> None:
        assert dialog.editor.toPlainText() == EXAMPLE
        dialog.save_button.click()

    say.dialogs.expect(save_example)
    page.requirements.edit_button.click()
    settle()
    assert shown(page)["AGENCY-firearms-annual"] == ("agency.toml", "On")


def test_the_selected_requirement_opens_as_toml_and_saves_unchanged(
    window: MainWindow, db: Database, say: Prompts
) -> None:
    page = settings_page(window)
    page.requirements.select(IL)
    texts: list[str] = []

    def save_as_is(dialog: RequirementEditor) -> None:
        texts.append(dialog.editor.toPlainText())
        dialog.save_button.click()
        assert not dialog.message.isVisible(), dialog.message.text()

    say.dialogs.expect(save_as_is)
    page.requirements.edit_button.click()
    settle()
    assert 'id = "IL-inservice-30h"' in texts[0]
    assert "effective_from = 2022-07-01" in texts[0]
    assert "[[requirements.sub_minimums]]" in texts[0]
    assert shown(page)[IL] == ("agency.toml", "On")


def test_a_rule_file_with_a_mistake_is_refused_in_full(
    window: MainWindow, db: Database, tmp_path: Path, say: Prompts
) -> None:
    page = settings_page(window)
    bad = tmp_path / "ours.toml"
    bad.write_text(
        'jurisdiction = "IL"\nname = "Ours"\nversion = "1"\n\n'
        + EXAMPLE.replace("hours = 4", 'hours = "four"'),
        encoding="utf-8",
    )
    say.open_path = bad
    page.requirements.load_button.click()
    errors = say.texts("error")
    assert errors and "ours.toml" in errors[0]
    assert "AGENCY-firearms-annual" in errors[0] and "hours" in errors[0]
    assert db.execute("select count(*) from requirements").fetchone()[0] == 0

    bad.write_text(bad.read_text().replace('"four"', "4"), encoding="utf-8")
    page.requirements.load_button.click()
    settle()
    assert shown(page)["AGENCY-firearms-annual"] == ("ours.toml", "On")


def test_requirements_are_read_only_without_the_permission(
    window_as: object, users: dict[str, object]
) -> None:
    win = window_as(users["chief.harmon"])  # type: ignore[operator]
    page = settings_page(win)
    assert page.requirements.model.rowCount() > 0
    assert not page.requirements.edit_button.isEnabled()
    assert not page.requirements.load_button.isEnabled()


def test_toml_values() -> None:
    assert toml_value("2022-07-01") == "2022-07-01"
    assert toml_value(30.0) == "30"
    assert toml_value(["a", "b"]) == '["a", "b"]'
    assert toml_value({"kind": "rolling", "months": 12}) == '{ kind = "rolling", months = 12 }'
