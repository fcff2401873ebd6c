"""The import wizard: preview, column mapping, the dry run's row errors, the real import."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from sqlite_utils import Database

from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.features.imports import wizard as import_wizard
from deesc_desktop.gui.features.imports.wizard import ImportWizard, problem_from_text
from deesc_desktop.gui.mainwindow import MainWindow
from deesc_desktop.gui.pages import PageId
from deesc_desktop.gui.workers import TaskControl
from deesc_desktop.services.imports import import_file
from tests.conftest import table_counts
from tests.gui.helpers import Prompts, settle

DAY = (date.today() - timedelta(days=20)).isoformat()
HEADER = "badge,course,completed,hours,topics,delivery,instructor\n"
GOOD = [
    f"101,Crisis Communication,{DAY},4,de_escalation,scenario,Sgt. Ruiz\n",
    f"102,Crisis Communication,{DAY},4,de_escalation:2;mental_health:2,scenario,Sgt. Ruiz\n",
]
BAD = f"999,Crisis Communication,{DAY},four,de_escalation,scenario,Sgt. Ruiz\n"


def next_button(wizard: QWizard) -> Any:
    return wizard.button(QWizard.WizardButton.NextButton)


def commit_button(wizard: QWizard) -> Any:
    return wizard.button(QWizard.WizardButton.CommitButton)


def test_a_bad_row_is_listed_and_nothing_is_imported_until_the_file_is_fixed(
    qtbot: Any,
    officers: dict[str, int],
    window: MainWindow,
    say: Prompts,
    db: Database,
    tmp_path: Path,
) -> None:
    sheet = tmp_path / "sign-in.csv"
    sheet.write_text(HEADER + GOOD[0] + BAD + GOOD[1], encoding="utf-8")
    before = table_counts(db)
    say.open_path = sheet
    seen: dict[str, Any] = {}

    def play(wizard: ImportWizard) -> None:
        assert wizard.currentId() == ImportWizard.CHOOSE
        qtbot.mouseClick(wizard.choose.browse, Qt.MouseButton.LeftButton)
        assert wizard.choose.file.text() == str(sheet)
        qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
        settle()
        assert wizard.currentId() == ImportWizard.PREVIEW
        seen["preview_rows"] = wizard.preview.model.rowCount()
        seen["preview_row_label"] = wizard.preview.model.headerData(1, Qt.Orientation.Vertical)
        qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
        settle()
        assert wizard.currentId() == ImportWizard.CHECK, "exact headers need no mapping"
        seen["problems"] = [
            (p.file, p.row, p.column, p.reason) for p in wizard.check.model.all_rows()
        ]
        seen["import_enabled"] = commit_button(wizard).isEnabled()
        seen["counts_after_check"] = table_counts(db)

        sheet.write_text(HEADER + GOOD[0] + GOOD[1], encoding="utf-8")
        qtbot.mouseClick(wizard.check.again, Qt.MouseButton.LeftButton)
        settle()
        seen["status"] = wizard.check.status.text()
        assert commit_button(wizard).isEnabled()
        qtbot.mouseClick(commit_button(wizard), Qt.MouseButton.LeftButton)
        settle()
        assert wizard.currentId() == ImportWizard.DONE
        seen["summary"] = wizard.done_page.summary.text()
        wizard.accept()

    say.dialogs.expect(play)
    window.registry[ActionId.IMPORT_TRAINING].trigger()
    settle()

    assert seen["preview_rows"] == 3
    assert seen["preview_row_label"] == "3", "rows are numbered as the spreadsheet shows them"
    assert seen["problems"] == [
        ("sign-in.csv", 3, "badge", 'unknown badge "999" (not on the roster)'),
        ("sign-in.csv", 3, "hours", 'hours "four" is not a number'),
    ]
    assert seen["import_enabled"] is False
    assert seen["counts_after_check"] == before
    assert seen["status"].startswith("All 2 rows are good. Importing will add 2")
    assert seen["summary"].startswith("sign-in.csv: 2 rows; added 2")
    assert db.execute("SELECT count(*) FROM training_records").fetchone() == (2,)
    training = window.show_page(PageId.TRAINING)
    settle()
    assert training.proxy.rowCount() == 2  # type: ignore[attr-defined]
    dashboard = window.show_page(PageId.DASHBOARD)
    settle()
    assert dashboard.last_import.caption.text() == "sign-in.csv"  # type: ignore[attr-defined]


def test_headers_that_differ_are_mapped_column_by_column(
    qtbot: Any, officers: dict[str, int], ctx: AppContext, db: Database, tmp_path: Path
) -> None:
    sheet = tmp_path / "class.csv"
    sheet.write_text(
        f"Badge #,Class Name,When,Credit Hours,Subject\n101,Report Writing,{DAY},2,legal_updates\n",
        encoding="utf-8",
    )
    wizard = ImportWizard(ctx, "training")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.set_file(sheet, "training")
    wizard.next()
    wizard.next()
    settle()
    assert wizard.currentId() == ImportWizard.MAPPING
    combos = wizard.mapping.combos
    assert combos["badge"].currentData() == "Badge #"
    assert combos["course"].currentData() == "Class Name"
    assert combos["completed"].currentData() == ""  # "When" is no known synonym
    # Each piece of information in words, with the template's column name beside it.
    labels = [wizard.mapping.grid.itemAtPosition(row, 0).widget().text() for row in (3, 10)]
    assert labels[0].startswith("Completed on *") and "completed" in labels[0]
    assert labels[1].startswith("Pre-test score") and "pre_test" in labels[1]
    combos["completed"].setCurrentIndex(combos["completed"].findData("When"))
    combos["topics"].setCurrentIndex(combos["topics"].findData("Subject"))
    assert wizard.mapping.samples["completed"].text() == DAY
    wizard.next()
    settle()
    assert wizard.currentId() == ImportWizard.CHECK
    assert wizard.check.model.rowCount() == 0, wizard.check.status.text()
    assert commit_button(wizard).isEnabled()
    commit_button(wizard).click()
    settle()
    assert wizard.currentId() == ImportWizard.DONE
    assert db.execute("SELECT hours FROM training_records").fetchall() == [(2.0,)]


def test_a_cancelled_import_writes_nothing(
    qtbot: Any,
    officers: dict[str, int],
    ctx: AppContext,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sheet = tmp_path / "sign-in.csv"
    sheet.write_text(HEADER + GOOD[0], encoding="utf-8")

    def cancelling(db: Database, actor: Any, kind: str, path: Path, **options: Any) -> Any:
        if not options.get("dry_run"):
            options["progress"] = lambda done, total: False  # the user pressed Cancel
        return import_file(db, actor, kind, path, **options)

    monkeypatch.setattr(import_wizard, "import_file", cancelling)
    wizard = ImportWizard(ctx, "training")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.set_file(sheet)
    wizard.next()
    wizard.next()
    settle()
    commit_button(wizard).click()
    settle()
    assert wizard.currentId() == ImportWizard.CHECK
    assert wizard.check.status.text() == "The import was cancelled; nothing was written."
    assert db.execute("SELECT count(*) FROM training_records").fetchone() == (0,)


def test_cancelling_through_the_task_control_rolls_the_import_back(
    officers: dict[str, int], db: Database, admin: Any, tmp_path: Path
) -> None:
    sheet = tmp_path / "sign-in.csv"
    sheet.write_text(HEADER + GOOD[0] + GOOD[1], encoding="utf-8")
    control = TaskControl()
    control.cancel()
    report = import_file(db, admin, "training", sheet, progress=control.progress)
    assert report.cancelled
    assert db.execute("SELECT count(*) FROM training_records").fetchone() == (0,)


def test_an_unreadable_file_is_refused_on_the_first_page(
    qtbot: Any, ctx: AppContext, tmp_path: Path
) -> None:
    bad = tmp_path / "roster.pdf"
    bad.write_bytes(b"%PDF-1.4")
    wizard = ImportWizard(ctx, "roster")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.set_file(bad)
    wizard.next()
    assert wizard.currentId() == ImportWizard.CHOOSE
    assert "only CSV files (.csv) and Excel workbooks (.xlsx) can be imported" in (
        wizard.choose.error.text()
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a.csv, row 4, column hours: not a number", ("a.csv", 4, "hours", "not a number")),
        (
            "a.csv, column badge: required column missing",
            ("a.csv", None, "badge", "required column missing"),
        ),
        ("a.csv: is empty", ("a.csv", None, None, "is empty")),
        ("something else", ("a.csv", None, None, "something else")),
    ],
)
def test_problems_are_split_into_row_column_and_reason(text: str, expected: tuple) -> None:
    problem = problem_from_text(text, "a.csv")
    assert (problem.file, problem.row, problem.column, problem.reason) == expected
