"""Print (Ctrl+P) on every page with a table, in the officer dialog; tooltips that say what to
select (issue 16)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from sqlite_utils import Database

from deesc_desktop.gui import prompts
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.features.reports.page import ReportsPage
from deesc_desktop.gui.features.roster.officer_detail import OfficerDetailDialog
from deesc_desktop.gui.features.training.dialogs import RecordClassDialog
from deesc_desktop.gui.mainwindow import MainWindow
from deesc_desktop.gui.pages import PageId
from tests.gui.helpers import Prompts, settle
from tests.reports.conftest import flat, pdf_text


@pytest.fixture
def printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every print goes to this PDF instead of a printer."""
    target = tmp_path / "printed.pdf"

    def pdf_printer(_parent: Any, _pages: int) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return printer

    monkeypatch.setattr(prompts, "choose_printer", pdf_printer)
    return target


def test_ctrl_p_prints_the_roster_as_shown(
    qtbot: Any, officers: dict[str, int], window: MainWindow, printed: Path
) -> None:
    page = window.show_page(PageId.ROSTER)
    settle()
    page.search.setText("Brown")  # type: ignore[attr-defined]
    page.apply_filter()  # type: ignore[attr-defined]
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    text = flat(" ".join(pdf_text(printed)))
    assert "Roster" in text and "Test Police Department" in text
    assert "Brown, James" in text and "Alvarez" not in text
    assert "1 rows." in text


@pytest.mark.parametrize(
    ("page_id", "kind"), [(PageId.COMPLIANCE, "compliance"), (PageId.CIT, "cit")]
)
def test_pages_with_a_report_print_it(
    officers: dict[str, int], window: MainWindow, page_id: PageId, kind: str
) -> None:
    window.show_page(page_id)
    settle()
    window.registry[ActionId.PRINT].trigger()
    settle()
    reports = window.current_page()
    assert isinstance(reports, ReportsPage)
    assert reports.info().kind == kind and reports.pdf_path is not None


def test_the_officer_dialog_prints_the_transcript_and_records_training(
    officers: dict[str, int], window: MainWindow, say: Prompts, printed: Path, db: Database
) -> None:
    dialog = OfficerDetailDialog(window.ctx, officers["101"], window)
    made = dialog.print_transcript()
    assert made is not None
    assert "Officer training transcript: Alvarez, Maria (badge 101)" in flat(pdf_text(made)[0])
    assert printed.read_bytes().startswith(b"%PDF")  # the pages went to the printer

    def fill(record: RecordClassDialog) -> None:
        settle()
        assert [p.id for p in record.attendees.checked.values()] == [officers["101"]]
        record.reject()

    say.dialogs.expect(fill)
    assert dialog.record_training() == []


def test_a_disabled_button_says_what_to_select(
    officers: dict[str, int], window: MainWindow
) -> None:
    window.show_page(PageId.ROSTER)
    settle()
    edit = window.registry[ActionId.EDIT_OFFICER]
    assert not edit.isEnabled()
    assert "select an officer in the list first" in edit.toolTip()
    page = window.current_page()
    page.view.selectRow(0)  # type: ignore[attr-defined]
    assert edit.isEnabled() and "first" not in edit.toolTip()
