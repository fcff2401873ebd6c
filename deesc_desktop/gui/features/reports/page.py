"""The reports page: choose a report and its parameters, generate it, preview, print or save."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import fields
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTemporaryDir, QUrl
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from deesc_desktop.core.auth import Permission
from deesc_desktop.core.dates import year_before
from deesc_desktop.core.wording import plural
from deesc_desktop.gui import prompts, style, workers
from deesc_desktop.gui.actions import ActionRegistry
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.dialogs.common import OfficerPicker, load_roster
from deesc_desktop.gui.forms import DateField, Form, page_title
from deesc_desktop.gui.operations import USER_ERRORS, ask_export_path, safe_output
from deesc_desktop.gui.pages.base import Page
from deesc_desktop.gui.widgets import muted
from deesc_desktop.reports import GRANT_KINDS, PARAM_LABELS, REPORTS, ReportInfo, ReportParams
from deesc_desktop.reports import export_table as export_report_table
from deesc_desktop.reports import render as render_report
from deesc_desktop.services.signers import SIGNER_TITLES, prepared_by, save_signer, signer_for
from deesc_desktop.services.training_due import HORIZONS
from deesc_desktop.store.funding import payment_batches
from deesc_desktop.store.training import training_records

DATE_PARAMS = ("as_of", "start", "end")
CHECK_PARAMS = ("include_names", "confidential")
PRINT_DPI = 300
"""Pages are drawn for the printer at this resolution (sharp text, a modest image size)."""


def _has_id(officer_id: int, row: Any) -> bool:
    """Whether a picker's row is the officer with this id."""
    return bool(row.id == officer_id)


class ReportForm(QWidget):
    """The parameters one report reads, as form fields built from their names."""

    def __init__(self, ctx: AppContext, info: ReportInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.info = info
        self.form = Form()
        self.editors: dict[str, QWidget] = {}
        self.saved = signer_for(ctx.db, info.kind)
        """The signer saved for this kind of report (or the default), as the form opened."""
        self.remember: QCheckBox | None = None
        defaults = ReportParams()
        for name in info.params:
            label = PARAM_LABELS.get(name, name.replace("_", " ").capitalize())
            editor = self._editor(ctx, name, getattr(defaults, name))
            self.editors[name] = editor
            hint = ""
            if name in ("start", "end"):
                hint = "Not set: the fiscal year to date."
            elif name == "as_of":
                hint = "Not set: today."
            self.form.add_row(name, label, editor, required=name in info.required, hint=hint)
        if "signer" in info.params:
            self.remember = QCheckBox(f"Remember this signer for the {info.title.lower()}")
            if not ctx.can(Permission.MANAGE_AGENCY):
                self.remember.setEnabled(False)
                self.remember.setToolTip(
                    "Only an administrator can save who signs a report; the name and title "
                    "above still print on this copy."
                )
            self.form.add_row("remember_signer", "", self.remember)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form.banner)
        layout.addLayout(self.form.layout)

    def _editor(self, ctx: AppContext, name: str, default: Any) -> QWidget:
        if name in DATE_PARAMS:
            return DateField(date.today() if name == "as_of" else None, optional=True)
        if name in CHECK_PARAMS:
            box = QCheckBox()
            box.setChecked(bool(default))
            return box
        if name == "badge":
            picker = OfficerPicker()
            if name not in self.info.required:
                picker.setToolTip("Leave empty for every officer on the list")
            load_roster(ctx, self, picker.set_officers, include_separated=True)
            return picker
        if name == "grant":
            combo = QComboBox()
            for code, (title, _kinds) in GRANT_KINDS.items():
                combo.addItem(title, code)
            combo.setCurrentIndex(max(combo.findData(default), 0))
            return combo
        if name == "batch":
            combo = QComboBox()
            for batch in payment_batches(ctx.db):
                combo.addItem(
                    f"{batch.reference} · {batch.pay_date} · {plural(batch.claims, 'claim')}",
                    batch.reference,
                )
            return combo
        if name == "days":
            days = QComboBox()
            for horizon in HORIZONS:
                days.addItem(f"{horizon} days", horizon)
            days.setCurrentIndex(days.findData(default))
            return days
        if name == "signer_title":
            titles = QComboBox()
            titles.setEditable(True)
            titles.addItems(SIGNER_TITLES)
            titles.setCurrentText(self.saved.title)
            titles.setToolTip("Chief of Police, Sheriff, Director, Marshal, or type another")
            return titles
        if name == "record_id":
            combo = QComboBox()
            combo.setMinimumContentsLength(40)
            for row in training_records(ctx.db, start=year_before(date.today())):
                combo.addItem(
                    f"{row.completed} · {row.course} · {row.officer_name} (#{row.id})", row.id
                )
            return combo
        line = QLineEdit("" if default is None else str(default))
        if name == "signer":
            line.setText(self.saved.name)
            line.setPlaceholderText("Left blank: the name is written by hand")
        return line

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Fill the fields another page asks for (a date, a choice, the officer)."""
        for name, value in values.items():
            editor = self.editors.get(name)
            if isinstance(editor, DateField):
                editor.set_value(value)
            elif isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QComboBox) and not editor.isEditable():
                editor.setCurrentIndex(max(0, editor.findData(value)))
            elif isinstance(editor, QLineEdit):
                editor.setText("" if value is None else str(value))

    def params(self, given: Mapping[str, Any] | None = None) -> ReportParams | None:
        """The parameters as entered (those in `given` as given); None (with the error shown)
        when one is missing."""
        values: dict[str, Any] = dict(given or {})
        for name, editor in self.editors.items():
            if name in values:
                continue
            if isinstance(editor, DateField):
                values[name] = editor.value()
            elif isinstance(editor, QCheckBox):
                values[name] = editor.isChecked()
            elif isinstance(editor, OfficerPicker):
                officer_id = editor.officer_id()
                if officer_id is None and name not in self.info.required:
                    values[name] = None
                    continue
                if officer_id is None:
                    self.form.show_errors({name: "choose an officer from the list"})
                    return None
                row = editor.model_.find_row(partial(_has_id, officer_id))
                values[name] = editor.model_.row(row).badge
            elif isinstance(editor, QComboBox) and editor.isEditable():
                values[name] = editor.currentText().strip() or None
            elif isinstance(editor, QComboBox):
                values[name] = editor.currentData()
                if values[name] is None and name in self.info.required:
                    self.form.show_errors({name: "choose one"})
                    return None
            elif isinstance(editor, QLineEdit):
                values[name] = editor.text().strip() or None
        known = {f.name for f in fields(ReportParams)}
        self.form.clear_errors()
        values["prepared_by"] = prepared_by(self.ctx.db, self.ctx.actor)
        return ReportParams(**{k: v for k, v in values.items() if k in known})

    def save_signer_if_asked(self, params: ReportParams) -> None:
        """Save the name and title for this kind of report when the box is ticked."""
        if self.remember is None or not self.remember.isChecked():
            return
        name, title = params.signer or "", params.signer_title or ""
        save_signer(self.ctx.db, self.ctx.actor, self.info.kind, name, title)
        self.saved = signer_for(self.ctx.db, self.info.kind)


class ReportsPage(Page):
    """Pick a report, generate it on a worker, and preview it here before printing or saving."""

    watches = frozenset()

    def __init__(
        self, ctx: AppContext, actions: ActionRegistry, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actions, parent)
        self.layout_.addWidget(page_title("Reports"))
        self._dir = QTemporaryDir()
        self.pdf_path: Path | None = None
        self._count = 0

        self.list = QListWidget()
        for info in REPORTS.values():
            item = QListWidgetItem(info.title)
            item.setToolTip(info.description)
            item.setData(Qt.ItemDataRole.UserRole, info.kind)
            self.list.addItem(item)
        # A title longer than the list is wide wraps onto a second line rather than hide
        # behind a scroll bar; the list grows to the longest title when there is room.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        titles = self.list.sizeHintForColumn(0) + 2 * self.list.frameWidth() + 12
        self.list.setMinimumWidth(240)
        self.list.setMaximumWidth(max(240, titles))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("Report:"))
        left_layout.addWidget(self.list, 1)

        self.settings_panel = QFrame()
        self.settings_panel.setObjectName("detailPanel")
        self.settings_layout = QVBoxLayout(self.settings_panel)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.settings_layout.addWidget(self.description)
        self.form_holder = QVBoxLayout()
        self.settings_layout.addLayout(self.form_holder)
        buttons = QHBoxLayout()
        self.generate_button = QPushButton(style.icon("generate"), "Generate")
        self.generate_button.setDefault(True)
        self.generate_button.clicked.connect(lambda: self.generate())
        self.print_button = QPushButton(style.icon("print"), "Print…")
        self.print_button.clicked.connect(self.print_report)
        self.save_button = QPushButton(style.icon("save"), "Save as PDF…")
        self.save_button.clicked.connect(self.save_as)
        self.open_button = QPushButton(style.icon("open-external"), "Open in PDF viewer")
        self.open_button.clicked.connect(self.open_external)
        self.table_button = QPushButton(style.icon("export"), "Export table…")
        self.table_button.setToolTip("The report's main table as a CSV or Excel file")
        self.table_button.clicked.connect(self.export_table)
        for button in (
            self.generate_button,
            self.print_button,
            self.save_button,
            self.open_button,
            self.table_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.settings_layout.addLayout(buttons)
        self.status = muted("Choose a report, then Generate.")
        self.settings_layout.addWidget(self.status)

        self.document = QPdfDocument(self)
        self.preview = QPdfView()
        self.preview.setDocument(self.document)
        self.preview.setPageMode(QPdfView.PageMode.MultiPage)
        self.preview.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.preview.setPageSpacing(12)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.settings_panel)
        right_layout.addWidget(self.preview, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.layout_.addWidget(splitter, 1)

        self.form: ReportForm | None = None
        self.list.currentRowChanged.connect(self._chosen)
        self.list.setCurrentRow(0)
        self._update_buttons()

    # --- choosing ------------------------------------------------------------------------

    def info(self) -> ReportInfo:
        item = self.list.currentItem()
        return (
            REPORTS[item.data(Qt.ItemDataRole.UserRole)] if item else next(iter(REPORTS.values()))
        )

    def choose(self, kind: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == kind:
                self.list.setCurrentRow(row)

    def _chosen(self, row: int) -> None:
        if row < 0:
            return  # the list is being emptied, as when the window closes
        info = self.info()
        self.description.setText(f"<b>{info.title}</b><br>{info.description}")
        if self.form is not None:
            self.form_holder.removeWidget(self.form)
            self.form.deleteLater()
        self.form = ReportForm(self.ctx, info, self)
        self.form_holder.addWidget(self.form)

    def navigate(self, **options: Any) -> None:
        """`report`: the kind to choose; `values`: fields to fill (a badge as text); with
        `generate`, make it at once, as Print on another page does."""
        if "report" in options:
            self.choose(str(options["report"]))
        values = dict(options.get("values") or {})
        if self.form is not None:
            self.form.set_values({k: v for k, v in values.items() if k != "badge"})
        if options.get("generate"):
            given = {"badge": values["badge"]} if "badge" in values else None
            self.generate(given)

    # --- generating ----------------------------------------------------------------------

    def generate(self, given: Mapping[str, Any] | None = None) -> Path | None:
        """Render the report on a worker, then show it in the preview."""
        if self.form is None:
            return None
        params = self.form.params(given)
        if params is None:
            return None
        try:
            self.form.save_signer_if_asked(params)
        except USER_ERRORS as exc:
            self.form.form.show_errors({}, str(exc))
            return None
        info = self.info()
        self._count += 1
        target = Path(self._dir.path()) / f"{info.kind}-{self._count}.pdf"

        def render(db: Database, _control: workers.TaskControl) -> Path:
            return render_report(info.kind, db, params, target)

        self.status.setText(f"Generating {info.title}…")
        try:
            path = workers.run_with_progress(
                self, f"Generating {info.title}…", workers.with_database(self.ctx.db_path, render)
            )
        except USER_ERRORS as exc:
            self.form.form.show_errors({}, str(exc))
            self.status.setText("The report was not generated.")
            return None
        self.show_pdf(path, info)
        return path

    def show_pdf(self, path: Path, info: ReportInfo) -> None:
        self.document.close()
        self.document.load(str(path))
        self.pdf_path = path
        pages = self.document.pageCount()
        self.status.setText(
            f"{info.title}: {pages} page{'s' if pages != 1 else ''}, generated "
            f"{date.today().isoformat()}. Print it, save it, or open it in your PDF viewer."
        )
        self._update_buttons()
        self.loaded.emit()

    def _update_buttons(self) -> None:
        ready = self.pdf_path is not None
        for button in (self.print_button, self.save_button, self.open_button):
            button.setEnabled(ready)

    # --- after -------------------------------------------------------------------------------

    def print_page(self) -> bool:
        return self.print_report()

    def print_report(self) -> bool:
        pages = self.document.pageCount()
        if self.pdf_path is None or pages == 0:
            return False
        printer = prompts.choose_printer(self, pages)
        if printer is None:
            return False
        return print_document(self.document, printer)

    def save_as(self) -> Path | None:
        if self.pdf_path is None:
            return None
        suggested = Path.home() / f"{self.info().kind}-{date.today().isoformat()}.pdf"
        target = prompts.save_file(self, "Save report", suggested, prompts.PDF_FILTER)
        if target is None:
            return None
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        if not safe_output(self, self.ctx, target, "Save report"):
            return None
        try:
            shutil.copyfile(self.pdf_path, target)
        except OSError as exc:
            prompts.error(self, "Could not save the report", str(exc))
            return None
        self.status.setText(f"Saved to {target}")
        return target

    def open_external(self) -> bool:
        if self.pdf_path is None:
            return False
        return prompts.open_url(QUrl.fromLocalFile(str(self.pdf_path)))

    def export_table(self) -> Path | None:
        if self.form is None:
            return None
        params = self.form.params()
        if params is None:
            return None
        info = self.info()
        target = ask_export_path(self, self.ctx, info.kind)
        if target is None:
            return None
        try:
            count = workers.run_with_progress(
                self,
                f"Exporting {info.title}…",
                workers.with_database(
                    self.ctx.db_path,
                    lambda db, _c: export_report_table(info.kind, db, params, target),
                ),
            )
        except USER_ERRORS as exc:
            prompts.error(self, "Export failed", str(exc))
            return None
        prompts.inform(self, "Export done", f"Wrote {count} rows to\n{target}")
        return target


def print_pdf(parent: QWidget, path: Path) -> bool:
    """Ask for a printer and print the PDF at `path`; False when cancelled."""
    document = QPdfDocument(parent)
    try:
        document.load(str(path))
        printer = prompts.choose_printer(parent, document.pageCount())
        return printer is not None and print_document(document, printer)
    finally:
        document.close()
        document.deleteLater()


def print_document(document: QPdfDocument, printer: QPrinter) -> bool:
    """Draw every page (or the range chosen) of `document` on `printer`, fitted to the page."""
    first, last = printer.fromPage(), printer.toPage()
    if first == 0 and last == 0:
        first, last = 1, document.pageCount()
    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        area = printer.pageLayout().paintRectPixels(printer.resolution())
        for number in range(first - 1, min(last, document.pageCount())):
            if number > first - 1:
                printer.newPage()
            points = document.pagePointSize(number)
            scale = min(area.width() / points.width(), area.height() / points.height())
            size = QSize(int(points.width() * scale), int(points.height() * scale))
            # Rendering at the printer's size keeps text sharp; capped to spare memory.
            if printer.resolution() > PRINT_DPI:
                factor = PRINT_DPI / printer.resolution()
                image = document.render(
                    number, QSize(int(size.width() * factor), int(size.height() * factor))
                )
            else:
                image = document.render(number, size)
            target = area.translated(-area.topLeft())
            target.setSize(size)
            painter.drawImage(target, image)
    finally:
        painter.end()
    return True


def create_page(ctx: AppContext, actions: ActionRegistry) -> Page:
    return ReportsPage(ctx, actions)
