"""Every message box, question and file chooser the GUI shows; tests monkeypatch this module.

Dialogs that block (QMessageBox.exec, QFileDialog) cannot be driven from a test, so the rest
of the GUI reaches them only through these functions.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

IMPORT_FILTER = "Spreadsheets (*.csv *.xlsx *.xlsm);;CSV files (*.csv);;Excel workbooks (*.xlsx)"
EXPORT_FILTER = "CSV file (*.csv);;Excel workbook (*.xlsx)"
DATABASE_FILTER = "deesc database (*.db);;All files (*)"
PDF_FILTER = "PDF document (*.pdf)"


def run_dialog(dialog: QDialog) -> bool:
    """Show a modal dialog and wait; True when the user accepted it."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def _box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    details: str = "",
) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    return box


def inform(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    _box(parent, QMessageBox.Icon.Information, title, text, details).exec()


def warn(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    _box(parent, QMessageBox.Icon.Warning, title, text, details).exec()


def error(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    _box(parent, QMessageBox.Icon.Critical, title, text, details).exec()


def confirm(parent: QWidget | None, title: str, text: str, *, ok_text: str = "OK") -> bool:
    """Ask a yes/no question; `ok_text` names what the yes button does ("Delete record")."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton)
    box.setParent(parent, box.windowFlags())
    yes = box.addButton(ok_text, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is yes


def offer_reload(parent: QWidget | None, text: str) -> bool:
    """Someone else changed the record: offer to reload it; True to reload."""
    return confirm(parent, "Changed by someone else", text, ok_text="Reload")


class ReasonDialog(QDialog):
    """Asks why a record is being changed or deleted; the reason goes in the audit log."""

    def __init__(
        self, parent: QWidget | None, title: str, text: str, ok_text: str, required: bool
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        message = QLabel(text)
        message.setWordWrap(True)
        layout.addWidget(message)
        layout.addWidget(QLabel("Reason (kept in the audit log):"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("e.g. entered for the wrong officer")
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if required:
            self.ok.setEnabled(False)
            self.reason.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))


def ask_reason(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    ok_text: str = "OK",
    required: bool = True,
) -> str | None:
    """Ask for the reason of a change; None when the user cancelled."""
    dialog = ReasonDialog(parent, title, text, ok_text, required)
    if not run_dialog(dialog):
        return None
    return dialog.reason.text().strip()


def open_file(parent: QWidget | None, title: str, folder: str, filters: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, folder, filters)
    return Path(name) if name else None


def save_file(parent: QWidget | None, title: str, suggested: Path, filters: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), filters)
    return Path(name) if name else None


def open_url(url: QUrl) -> bool:
    """Open a folder or document with the desktop's own program."""
    return QDesktopServices.openUrl(url)


def about(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.about(parent, title, text)


def choose_printer(parent: QWidget | None, pages: int) -> QPrinter | None:
    """The print dialog; the printer set up as the user chose, or None when cancelled."""
    # Qt's print support is loaded when something is first printed, not at start-up.
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setMinMax(1, max(1, pages))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer
