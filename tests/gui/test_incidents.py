"""The incidents page, the entry and review dialogs, and the import of an incident file,
driven through their widgets."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.features.imports.wizard import ImportWizard
from deesc_desktop.gui.features.incidents.dialogs import IncidentDialog, ReviewIncidentDialog
from deesc_desktop.gui.features.incidents.models import FigureModel, IncidentModel, figure_rows
from deesc_desktop.gui.features.incidents.page import IncidentsPage
from deesc_desktop.gui.mainwindow import MainWindow
from deesc_desktop.gui.pages import PageId
from deesc_desktop.services.incidents import add_incident, incident_figures, list_incidents
from deesc_desktop.services.training import record_class
from tests.conftest import table_counts
from tests.gui.helpers import Prompts, settle

DAY = date.today() - timedelta(days=3)


def incidents_page(window: MainWindow) -> IncidentsPage:
    page = window.show_page(PageId.INCIDENTS)
    settle()
    assert isinstance(page, IncidentsPage)
    return page


def test_log_an_incident_with_its_officers_and_see_whether_they_were_trained(
    qtbot: Any,
    officers: dict[str, int],
    window: MainWindow,
    say: Prompts,
    db: Database,
    admin: Actor,
) -> None:
    record_class(
        db,
        admin,
        {
            "course": "ICAT",
            "completed": DAY - timedelta(days=90),
            "hours": 8,
            "topics": "de_escalation",
        },
        [officers["101"]],
    )
    page = incidents_page(window)
    assert page.proxy.rowCount() == 0

    def fill(dialog: IncidentDialog) -> None:
        qtbot.waitUntil(lambda: dialog.picker.count() == 5)
        qtbot.keyClicks(dialog.reference, "26-000412")
        dialog.occurred_on.set_value(DAY)
        dialog.incident_type.setCurrentIndex(dialog.incident_type.findData("mental_health_crisis"))
        dialog.deescalation.setChecked(True)
        dialog.tactics.item(0).setCheckState(Qt.CheckState.Checked)  # verbal
        dialog.public_injured.setValue(1)
        dialog.demographics["subject_sex"].setCurrentIndex(
            dialog.demographics["subject_sex"].findData("female")
        )
        dialog.picker.select(officers["101"])
        dialog.add_officer()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    say.dialogs.expect(fill)
    window.registry[ActionId.ADD_INCIDENT].trigger()
    settle()
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 1)
    entry = page.proxy.row(0)
    assert (entry.row.reference, entry.row.tactics, entry.row.public_injured) == (
        "26-000412",
        ("verbal",),
        1,
    )
    assert entry.row.badges == "101" and entry.row.subject_sex == "female"
    assert page.model.index(0, 8).data() == "All trained"
    assert page.totals.text() == "1 incident · de-escalation used in 1 · 1 awaiting review"


def test_a_refused_incident_shows_why_at_the_fields_and_logs_nothing(
    qtbot: Any, window: MainWindow, say: Prompts, db: Database
) -> None:
    incidents_page(window)
    before = table_counts(db)
    seen: dict[str, str] = {}

    def fill(dialog: IncidentDialog) -> None:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        seen["reference"] = dialog.form.error_text("reference")
        seen["incident_type"] = dialog.form.error_text("incident_type")

    say.dialogs.expect(fill)
    window.registry[ActionId.ADD_INCIDENT].trigger()
    assert seen == {
        "reference": "Report number is required.",
        "incident_type": "Type of call is required.",
    }
    assert table_counts(db) == before


def test_the_chief_reviews_an_incident_the_sergeant_logged(
    qtbot: Any,
    window_as: Any,
    say: Prompts,
    db: Database,
) -> None:
    sergeant = Actor("sgt.delgado", Role.TRAINING_OFFICER)
    add_incident(
        db,
        sergeant,
        {
            "reference": "26-9",
            "occurred_on": DAY,
            "incident_type": "welfare_check",
            "deescalation_used": True,
            "force_type": "none",
        },
    )
    window = window_as(Actor("chief.harmon", Role.CHIEF))
    page = incidents_page(window)
    assert not window.registry[ActionId.ADD_INCIDENT].isEnabled()
    page.view.selectRow(0)

    def review(dialog: ReviewIncidentDialog) -> None:
        qtbot.keyClicks(dialog.notes, "Body camera reviewed")
        qtbot.mouseClick(dialog.review_button, Qt.MouseButton.LeftButton)

    say.dialogs.expect(review)
    window.registry[ActionId.REVIEW_INCIDENT].trigger()
    settle()
    (entry,) = list_incidents(db)
    assert (entry.row.status, entry.row.reviewed_by, entry.row.review_notes) == (
        "reviewed",
        "chief.harmon",
        "Body camera reviewed",
    )
    qtbot.waitUntil(lambda: page.model.index(0, 9).data() == "Reviewed")


def test_import_incidents_opens_the_wizard_for_incident_files(
    qtbot: Any, window: MainWindow, say: Prompts, db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "uof.csv"
    path.write_text(
        "reference,occurred_on,incident_type,deescalation_used,force_type\n"
        f"26-1,{DAY.isoformat()},traffic_stop,no,none\n",
        encoding="utf-8",
    )
    seen: list[str] = []

    def run(wizard: ImportWizard) -> None:
        seen.append(wizard.state.kind)
        wizard.set_file(path)
        wizard.next()
        wizard.next()
        settle()
        assert wizard.currentId() == ImportWizard.CHECK, wizard.check.status.text()
        wizard.button(QWizard.WizardButton.CommitButton).click()
        settle()
        assert wizard.currentId() == ImportWizard.DONE
        wizard.accept()

    incidents_page(window)
    say.dialogs.expect(run)
    window.registry[ActionId.IMPORT_INCIDENTS].trigger()
    settle()
    assert seen == ["incidents"]
    assert [e.row.reference for e in list_incidents(db)] == ["26-1"]


def test_the_incident_models_pass_the_model_tester(
    qtmodeltester: Any, db: Database, admin: Actor
) -> None:
    add_incident(
        db,
        admin,
        {
            "reference": "26-1",
            "occurred_on": DAY,
            "incident_type": "disturbance",
            "deescalation_used": False,
            "force_type": "cew",
            "officers_injured": 1,
        },
    )
    incidents = IncidentModel()
    incidents.set_rows(list_incidents(db))
    figures = FigureModel()
    found = incident_figures(db, DAY - timedelta(days=200), DAY)
    figures.set_rows(figure_rows([*found.quarters, *found.fiscal_years]))
    for model in (incidents, figures):
        qtmodeltester.check(model)
