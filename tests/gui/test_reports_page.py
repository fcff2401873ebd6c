"""The reports page: generate on a worker, preview with QtPdf, save, open, print."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.gui import prompts
from deesc_desktop.gui.features.reports.page import ReportsPage
from deesc_desktop.gui.mainwindow import MainWindow
from deesc_desktop.gui.pages import PageId
from deesc_desktop.services.signers import Signer, signer_for
from tests.gui.helpers import Prompts, settle
from tests.reports.conftest import flat, pdf_text


def reports(window: MainWindow) -> ReportsPage:
    page = window.show_page(PageId.REPORTS)
    settle()
    assert isinstance(page, ReportsPage)
    return page


def test_generate_preview_save_open_and_print_a_report(
    officers: dict[str, int],
    window: MainWindow,
    say: Prompts,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = reports(window)
    assert not page.print_button.isEnabled()
    page.choose("compliance")
    editors = set(page.form.editors)  # type: ignore[union-attr]
    assert editors == {"as_of", "confidential", "signer", "signer_title"}
    path = page.generate()
    assert path is not None and path.read_bytes().startswith(b"%PDF")
    assert page.document.pageCount() >= 1
    assert page.status.text().startswith("Department compliance: ")
    assert page.print_button.isEnabled()

    say.save_path = tmp_path / "out" / "compliance"
    (tmp_path / "out").mkdir()
    saved = page.save_as()
    assert saved == tmp_path / "out" / "compliance.pdf"
    assert saved.read_bytes() == path.read_bytes()

    assert page.open_external()
    assert say.urls == [path.as_uri()]

    printed = tmp_path / "printed.pdf"

    def pdf_printer(_parent: Any, _pages: int) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return printer

    monkeypatch.setattr(prompts, "choose_printer", pdf_printer)
    assert page.print_report()
    assert printed.read_bytes().startswith(b"%PDF")


def test_a_missing_required_parameter_is_shown_at_its_field(
    officers: dict[str, int], window: MainWindow
) -> None:
    page = reports(window)
    page.choose("transcript")
    assert page.generate() is None
    assert page.form is not None
    assert page.form.form.error_text("badge") == "Choose an officer from the list"
    page.form.editors["badge"].select(officers["101"])  # type: ignore[attr-defined]
    settle()
    assert page.generate() is not None, page.form.form.banner.text()


def test_a_report_is_never_saved_over_a_backup(
    officers: dict[str, int], window: MainWindow, say: Prompts, db_path: Path
) -> None:
    page = reports(window)
    page.choose("compliance")
    assert page.generate() is not None
    kept = db_path.parent / "backups" / "before-restore.pdf"
    kept.parent.mkdir()
    kept.write_bytes(b"kept")
    say.save_path = kept

    assert page.save_as() is None

    assert kept.read_bytes() == b"kept"
    (title, text) = next((t, x) for kind, t, x in say.messages if kind == "error")
    assert title == "Save report" and "backups folder" in text


def test_the_signer_is_remembered_per_report_and_the_preparer_is_printed(
    officers: dict[str, int], window: MainWindow, db: Database
) -> None:
    page = reports(window)
    page.choose("cit")
    form = page.form
    assert form is not None and form.remember is not None and form.remember.isEnabled()
    captions = [label.text() for label in form.findChildren(QLabel) if label.buddy()]
    assert "Signed by (name):" in captions
    assert ":" not in captions, "the check box's row has no caption, not a lone colon"
    name, title = form.editors["signer"], form.editors["signer_title"]
    assert isinstance(name, QLineEdit) and isinstance(title, QComboBox)
    assert name.text() == "" and title.currentText() == ""  # nothing saved: written by hand
    name.setText("Dale Cooper")
    title.setCurrentText("Sheriff")
    form.remember.setChecked(True)
    path = page.generate()
    assert path is not None
    text = flat(" ".join(pdf_text(path)))
    assert "Dale Cooper, Sheriff" in text
    assert "Prepared by sgt.admin" in text
    assert signer_for(db, "cit") == Signer("Dale Cooper", "Sheriff")
    assert signer_for(db, "compliance") == Signer()  # saved for the CIT report only
    page.choose("compliance")
    page.choose("cit")
    assert page.form is not None
    assert page.form.editors["signer"].text() == "Dale Cooper"  # type: ignore[attr-defined]


def test_a_user_who_cannot_save_signers_sees_why(
    users: dict[str, Actor], window_as: Callable[[Actor], MainWindow]
) -> None:
    window = window_as(users["sgt.delgado"])
    page = reports(window)
    assert page.form is not None and page.form.remember is not None
    assert not page.form.remember.isEnabled()
    assert "administrator" in page.form.remember.toolTip()


def test_every_report_title_shows_whole_in_the_list(window: MainWindow) -> None:
    page = reports(window)
    window.resize(1280, 800)
    settle()
    assert window.width() == 1280, "the page fits a 1280-pixel screen"
    listed = page.list
    metrics = listed.fontMetrics()
    room = listed.viewport().width()
    assert listed.horizontalScrollBar().maximum() == 0
    wrapped = 0
    for row in range(listed.count()):
        item = listed.item(row)
        shown = listed.visualItemRect(item)
        assert shown.left() >= 0 and shown.right() < room, item.text()
        if metrics.horizontalAdvance(item.text()) > shown.width():
            # Too long for one line: on two, not cut off.
            assert shown.height() >= 2 * metrics.lineSpacing(), item.text()
            wrapped += 1
    assert wrapped <= 1
