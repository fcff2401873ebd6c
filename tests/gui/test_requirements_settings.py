"""Settings > Requirements: switch one off, load rule files, add or edit one in the form."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from deesc_desktop.gui.features.compliance.page import CompliancePage
from deesc_desktop.gui.features.compliance.requirement_fields import SubMinimumDialog, toml_value
from deesc_desktop.gui.features.compliance.requirement_form import RequirementForm
from deesc_desktop.gui.features.compliance.requirements_tab import RequirementColumn
from deesc_desktop.gui.features.settings.page import SettingsPage
from deesc_desktop.gui.mainwindow import MainWindow
from deesc_desktop.gui.pages import PageId
from tests.gui.helpers import Prompts, settle

IL = "IL-inservice-30h"
EXAMPLE = """\
[[requirements]]
id = "AGENCY-firearms-annual"
title = "Firearms qualification every year"
effective_from = 2025-01-01
hours = 4
topics = ["firearms"]
period = { kind = "calendar_year" }
source = "Agency policy"
"""


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


def test_the_form_refuses_a_bad_hours_value_under_the_field_and_saves_nothing(
    window: MainWindow, db: Database, say: Prompts
) -> None:
    page = settings_page(window)
    seen: dict[str, str] = {}

    def fill(dialog: RequirementForm) -> None:
        dialog.id.setText("AGENCY-firearms-annual")
        dialog.title.setText("Firearms qualification every year")
        dialog.hours.setValue(0)
        dialog.period_kind.setCurrentIndex(dialog.period_kind.findData("fixed_cycle"))
        assert dialog.rows["period.anchor"].isVisible()
        assert not dialog.rows["period.start_month"].isVisible()
        dialog.save_button.click()
        assert dialog.isVisible()
        seen["hours"] = dialog.forms["hours"].error_text("hours")
        seen["anchor"] = dialog.forms["period.anchor"].error_text("period.anchor")

    say.dialogs.expect(fill)
    page.requirements.add_button.click()
    settle()
    assert seen == {
        "hours": "Hours must be more than 0 hours.",
        "anchor": "First cycle starts is required for a fixed_cycle (the date a cycle starts).",
    }
    assert db.execute("select count(*) from requirements").fetchone()[0] == 0


def test_a_requirement_made_in_the_form_shows_in_the_list_and_in_compliance(
    window: MainWindow, db: Database, officers: dict[str, int], say: Prompts
) -> None:
    page = settings_page(window)

    def minimum(dialog: SubMinimumDialog) -> None:
        dialog.label.setText("Low-light shooting")
        dialog.hours.setValue(1)
        dialog.delivery.boxes["scenario"].setChecked(True)
        dialog.accept()

    def fill(dialog: RequirementForm) -> None:
        dialog.id.setText("AGENCY-firearms-annual")
        dialog.title.setText("Firearms qualification every year")
        dialog.hours.setValue(4)
        dialog.topics.set_checked(["firearms"])
        dialog.add_sub_button.click()
        dialog.source.setText("Agency policy 4.2")
        dialog.toml_button.click()
        assert 'delivery = ["scenario"]' in dialog.toml.toPlainText()
        dialog.save_button.click()

    say.dialogs.expect(fill)
    say.dialogs.expect(minimum)
    page.requirements.add_button.click()
    settle()
    assert shown(page)["AGENCY-firearms-annual"] == ("agency", "On")
    definition = db.execute(
        "select definition from requirements where id = 'AGENCY-firearms-annual'"
    ).fetchone()[0]
    assert '"sub_minimums": [{"delivery": ["scenario"], "hours": 1.0, "label": "Low-light' in (
        definition
    )
    compliance = compliance_columns(window)
    assert compliance.model.requirement_column("AGENCY-firearms-annual") >= 0


def test_the_selected_requirement_opens_in_the_form_and_saves_as_the_agencys_copy(
    window: MainWindow, db: Database, say: Prompts
) -> None:
    page = settings_page(window)
    page.requirements.select(IL)
    seen: dict[str, object] = {}

    def save_as_is(dialog: RequirementForm) -> None:
        seen["id"] = (dialog.id.text(), dialog.id.isReadOnly())
        seen["subs"] = dialog.sub_list.count()
        seen["anchor"] = dialog.period_fields["anchor"][0]()
        dialog.save_button.click()
        assert not dialog.banner.isVisible(), dialog.banner.text()

    say.dialogs.expect(save_as_is)
    page.requirements.edit_button.click()
    settle()
    assert seen == {"id": (IL, True), "subs": 3, "anchor": "2022-07-01"}
    assert shown(page)[IL] == ("agency", "On")


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
    assert not page.requirements.add_button.isEnabled()
    assert not page.requirements.load_button.isEnabled()


def test_toml_values() -> None:
    assert toml_value("2022-07-01") == "2022-07-01"
    assert toml_value(30.0) == "30"
    assert toml_value(["a", "b"]) == '["a", "b"]'
    assert toml_value({"kind": "rolling", "months": 12}) == '{ kind = "rolling", months = 12 }'
