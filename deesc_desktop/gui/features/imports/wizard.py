"""The import wizard: choose a file, preview it, map its columns, check every row, import.

Nothing is written until the check finds no problem: the Import button stays disabled while
any row is refused. The real import runs on a worker with its own database connection, with
a progress dialog whose Cancel rolls everything back.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from deesc_desktop.gui import prompts, style, workers
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.features.imports.models import (
    ImportProblem,
    ImportProblemColumn,
    ImportProblemModel,
    PreviewModel,
)
from deesc_desktop.gui.operations import safe_output
from deesc_desktop.gui.settings import LAST_IMPORT_FOLDER
from deesc_desktop.gui.widgets import muted, table_view
from deesc_desktop.importers import (
    COLUMNS,
    REQUIRED,
    ImportFileError,
    Table,
    read_table,
    suggest_mapping,
)
from deesc_desktop.importers.reader import normalise_header
from deesc_desktop.paths import resource
from deesc_desktop.services.errors import ServiceError
from deesc_desktop.services.imports import ImportReport, import_file
from deesc_desktop.store.database import DatabaseError

KINDS = {
    "roster": ("Roster", "Officers: adds new badges and updates the ones already on file."),
    "training": ("Training", "Completed classes, e.g. a sign-in sheet: one row per officer."),
    "leave": ("Leave", "Leave and exemptions: one row per officer and period."),
    "incidents": (
        "Incidents",
        "De-escalation and use-of-force incidents: one row per interaction, no names.",
    ),
}
PREVIEW_ROWS = 20
NOT_IN_FILE = "(not in the file)"


_INFORMATION_LABELS = {
    "completed": "Completed on",
    "pre_test": "Pre-test score",
    "post_test": "Post-test score",
    "state_id": "State ID",
}
"""Template columns whose name does not read as words once its underscores are spaces."""


def information_label(column: str) -> str:
    """A template column in words ("course_number" -> "Course number")."""
    words = _INFORMATION_LABELS.get(column) or column.replace("_", " ")
    return words[:1].upper() + words[1:]


@dataclass
class ImportState:
    """What the wizard has gathered so far."""

    kind: str
    path: Path | None = None
    table: Table | None = None
    mapping: dict[str, str] | None = None
    dry_run: ImportReport | None = None
    report: ImportReport | None = None
    problems: list[ImportProblem] = field(default_factory=list)


def problem_from_text(text: str, file_name: str) -> ImportProblem:
    """Split "file, row 3, column hours: reason" back into its parts.

    ImportReport carries each refusal as the text RowError gives; the wizard shows them in
    columns, so it reads the row and column back out of that text.
    """
    if text.startswith(file_name):
        match = re.match(
            r"(?:, row (\d+))?(?:, column (.+?))?: (.*)\Z", text[len(file_name) :], re.S
        )
        if match:
            row, column, reason = match.groups()
            return ImportProblem(file_name, int(row) if row else None, column, reason)
    return ImportProblem(file_name, None, None, text)


def needs_mapping(table: Table, kind: str) -> bool:
    """True when the file's headers are not exactly the template's (so the user should map)."""
    names = {normalise_header(name) for name in COLUMNS[kind]}
    headers = {normalise_header(header) for header in table.headers}
    missing_required = any(normalise_header(name) not in headers for name in REQUIRED[kind])
    return missing_required or not headers <= names


class _ChoosePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Choose what to import")
        self.setSubTitle("CSV files and Excel workbooks, with column names in the first row.")
        layout = QVBoxLayout(self)
        self.kinds = QButtonGroup(self)
        for kind, (label, text) in KINDS.items():
            button = QRadioButton(label)
            button.setProperty("kind", kind)
            self.kinds.addButton(button)
            layout.addWidget(button)
            note = muted(f"{text}\nColumns: {self._columns_text(kind)}")
            note.setContentsMargins(24, 0, 0, 6)
            layout.addWidget(note)
            if kind == wizard.state.kind:
                button.setChecked(True)
        layout.addWidget(muted("* required column"))
        layout.addSpacing(style.SPACING)
        layout.addWidget(QLabel("File:"))
        row = QHBoxLayout()
        self.file = QLineEdit()
        self.file.setPlaceholderText("Choose a .csv or .xlsx file")
        self.browse = browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        template = QPushButton("Save a blank template…")
        template.setToolTip("A spreadsheet with the right column names, to fill in")
        template.clicked.connect(self._save_template)
        row.addWidget(self.file, 1)
        row.addWidget(browse)
        row.addWidget(template)
        layout.addLayout(row)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.file.textChanged.connect(lambda _t: self.completeChanged.emit())
        self.kinds.buttonToggled.connect(lambda *_: self.completeChanged.emit())

    @staticmethod
    def _columns_text(kind: str) -> str:
        return ", ".join(f"{c}{' *' if c in REQUIRED[kind] else ''}" for c in COLUMNS[kind])

    def kind(self) -> str:
        button = self.kinds.checkedButton()
        return str(button.property("kind")) if button else ""

    def _browse(self) -> None:
        settings = self._wizard.ctx.settings
        folder = settings.get(LAST_IMPORT_FOLDER) or str(Path.home())
        path = prompts.open_file(self, "Choose the file to import", folder, prompts.IMPORT_FILTER)
        if path is not None:
            self.file.setText(str(path))

    def _save_template(self) -> None:
        kind = self.kind() or "training"
        source = resource("templates", f"{kind}.xlsx")
        folder = self._wizard.ctx.settings.get(LAST_IMPORT_FOLDER) or str(Path.home())
        target = prompts.save_file(
            self, "Save template", Path(folder) / source.name, "Excel workbook (*.xlsx)"
        )
        if target is None or not safe_output(self, self._wizard.ctx, target, "Save template"):
            return
        try:
            shutil.copyfile(source, target)
        except OSError as exc:
            prompts.error(self, "Could not save the template", str(exc))
            return
        self.file.setText(str(target))

    def isComplete(self) -> bool:
        return bool(self.kind() and self.file.text().strip())

    def validatePage(self) -> bool:
        state = self._wizard.state
        path = Path(self.file.text().strip()).expanduser()
        try:
            table = workers.run_with_progress(
                self, f"Reading {path.name}…", lambda _control: read_table(path)
            )
        except ImportFileError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return False
        self.error.hide()
        state.kind, state.path, state.table = self.kind(), path, table
        state.mapping = None
        self._wizard.ctx.settings.set(LAST_IMPORT_FOLDER, str(path.parent))
        return True


class _PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Preview")
        layout = QVBoxLayout(self)
        self.model = PreviewModel(self)
        self.view = table_view(self.model, sortable=False)
        self.view.verticalHeader().show()
        self.view.horizontalHeader().setStretchLastSection(False)
        layout.addWidget(self.view, 1)
        self.warnings = muted("")
        layout.addWidget(self.warnings)

    def initializePage(self) -> None:
        table = self._wizard.state.table
        assert table is not None
        rows = [(number, list(cells)) for number, cells in table.rows]
        self.model.set_table(table.headers, rows[:PREVIEW_ROWS])
        self.view.resizeColumnsToContents()
        shown = min(len(rows), PREVIEW_ROWS)
        self.setSubTitle(
            f"{table.file_name}: {len(rows)} data rows. The first {shown} are shown as read; "
            "row numbers are the spreadsheet's."
        )
        self.warnings.setText("\n".join(table.warnings))
        self.warnings.setVisible(bool(table.warnings))


class _MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Match the columns")
        self.setSubTitle(
            "The file's column names differ from the template's. Say which column of the file "
            "holds each piece of information. Required ones are marked *."
        )
        self.grid = QGridLayout()
        self.grid.setColumnStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(self.grid)
        layout.addStretch(1)
        self.combos: dict[str, QComboBox] = {}
        self.samples: dict[str, QLabel] = {}

    def initializePage(self) -> None:
        state = self._wizard.state
        table = state.table
        assert table is not None
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        self.combos.clear()
        self.samples.clear()
        guessed = {
            column: header for header, column in suggest_mapping(table.headers, state.kind).items()
        }
        chosen = (
            {column: header for header, column in state.mapping.items() if column}
            if state.mapping
            else guessed
        )
        self.grid.addWidget(QLabel("<b>Information</b>"), 0, 0)
        self.grid.addWidget(QLabel("<b>Column in the file</b>"), 0, 1)
        self.grid.addWidget(QLabel("<b>First value</b>"), 0, 2)
        first = table.by_header(table.rows[0][1]) if table.rows else {}
        for position, column in enumerate(COLUMNS[state.kind], start=1):
            required = column in REQUIRED[state.kind]
            label = QLabel(
                f"{escape(information_label(column))}{' *' if required else ''} "
                f"<span style='color:{style.Colour.MUTED}'>({escape(column)})</span>"
            )
            if required:
                style.set_point_size(label, style.FONT_POINT_SIZE, bold=True)
            combo = QComboBox()
            combo.addItem(NOT_IN_FILE, "")
            for header in table.headers:
                combo.addItem(header, header)
            index = combo.findData(chosen.get(column, ""))
            combo.setCurrentIndex(max(index, 0))
            sample = muted("")
            combo.currentIndexChanged.connect(lambda _i, c=column: self._show_sample(c, first))
            self.grid.addWidget(label, position, 0)
            self.grid.addWidget(combo, position, 1)
            self.grid.addWidget(sample, position, 2)
            self.combos[column] = combo
            self.samples[column] = sample
            self._show_sample(column, first)

    def _show_sample(self, column: str, first: dict[str, str]) -> None:
        header = self.combos[column].currentData()
        self.samples[column].setText(first.get(header, "") if header else "")

    def mapping(self) -> dict[str, str]:
        """File header -> contract column, "" for every file column left out."""
        table = self._wizard.state.table
        assert table is not None
        mapping = {header: "" for header in table.headers}
        for column, combo in self.combos.items():
            header = combo.currentData()
            if header:
                mapping[header] = column
        return mapping

    def validatePage(self) -> bool:
        self._wizard.state.mapping = self.mapping()
        return True


class _CheckPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Check every row")
        self.setSubTitle("Every row is checked before anything is written to the database.")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Import")
        layout = QVBoxLayout(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        layout.addWidget(self.progress)
        self.model = ImportProblemModel(self)
        self.view = table_view(
            self.model,
            sort=(ImportProblemColumn.ROW, Qt.SortOrder.AscendingOrder),
        )
        layout.addWidget(self.view, 1)
        self.warnings = muted("")
        layout.addWidget(self.warnings)
        again = QHBoxLayout()
        self.again = QPushButton("Check again")
        self.again.setToolTip("Read the file again, after fixing it and saving it")
        self.again.clicked.connect(self.check)
        again.addStretch(1)
        again.addWidget(self.again)
        layout.addLayout(again)
        self._running = False
        self._importing = False

    def initializePage(self) -> None:
        self.check()

    def check(self) -> None:
        """Run a dry run on a worker; nothing is written."""
        state = self._wizard.state
        ctx = self._wizard.ctx
        assert state.path is not None
        state.dry_run = None
        state.report = None
        self._running = True
        self.completeChanged.emit()
        self.again.setEnabled(False)
        self.progress.show()
        self.model.set_rows([])
        self.view.hide()
        self.warnings.hide()
        self._set_status(f"Checking every row of {state.path.name}…", None)
        path, kind, mapping = state.path, state.kind, state.mapping
        workers.run_task(
            workers.with_database(
                ctx.db_path,
                lambda db, control: import_file(
                    db,
                    ctx.actor,
                    kind,
                    path,
                    dry_run=True,
                    mapping=mapping,
                    progress=control.progress,
                ),
            ),
            owner=self,
            on_result=self._checked,
            on_error=self._failed,
        )

    def _set_status(self, text: str, ok: bool | None) -> None:
        colour = {True: style.Colour.OK, False: style.Colour.ERROR, None: style.Colour.TEXT}[ok]
        self.status.setStyleSheet(f"color: {colour};")
        self.status.setText(text)

    def _checked(self, report: ImportReport) -> None:
        state = self._wizard.state
        self._running = False
        self.again.setEnabled(True)
        self.progress.hide()
        state.dry_run = report
        self._show_report(report)
        self.completeChanged.emit()

    def _show_report(self, report: ImportReport) -> None:
        state = self._wizard.state
        state.problems = [problem_from_text(text, report.file_name) for text in report.errors]
        self.model.set_rows(state.problems)
        self.view.setVisible(bool(state.problems))
        if state.problems:
            count = len(state.problems)
            self._set_status(
                f"{count} problem{'s' if count != 1 else ''} found. Nothing will be imported "
                "until every row is right: fix the file, save it, then press Check again.",
                False,
            )
        else:
            self._set_status(
                f"All {report.rows_in_file} rows are good. Importing will add {report.added}, "
                f"update {report.updated}; {report.unchanged} are already recorded. "
                "Press Import to write them.",
                True,
            )
        self.warnings.setText("\n".join(f"Note: {w}" for w in report.warnings))
        self.warnings.setVisible(bool(report.warnings))

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        self._importing = False
        self.again.setEnabled(True)
        self.progress.hide()
        self._set_status(str(exc), False)
        self.completeChanged.emit()
        if not isinstance(exc, (ServiceError, DatabaseError, OSError)):
            raise exc  # a bug, not a refusal: let it be reported

    def isComplete(self) -> bool:
        report = self._wizard.state.dry_run
        return not self._running and not self._importing and report is not None and report.ok

    def validatePage(self) -> bool:
        state = self._wizard.state
        if state.report is not None and state.report.ok:
            return True
        if not self._importing:
            self._start_import()
        return False

    def _start_import(self) -> None:
        state = self._wizard.state
        ctx = self._wizard.ctx
        assert state.path is not None
        self._importing = True
        self.completeChanged.emit()
        dialog = QProgressDialog(f"Importing {state.path.name}…", "Cancel", 0, 0, self)
        dialog.setWindowTitle("Importing")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        self.progress_dialog = dialog
        path, kind, mapping = state.path, state.kind, state.mapping

        def progressed(done: int, total: int) -> None:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(min(done, total))

        def finished(report: ImportReport) -> None:
            dialog.reset()
            dialog.close()
            dialog.deleteLater()
            self._importing = False
            state.report = report
            if report.ok:
                self._wizard.next()
                return
            if report.cancelled:
                self._set_status("The import was cancelled; nothing was written.", False)
            else:
                self._show_report(report)
            self.completeChanged.emit()

        def failed(exc: BaseException) -> None:
            dialog.reset()
            dialog.close()
            dialog.deleteLater()
            self._failed(exc)

        task = workers.run_task(
            workers.with_database(
                ctx.db_path,
                lambda db, control: import_file(
                    db, ctx.actor, kind, path, mapping=mapping, progress=control.progress
                ),
            ),
            owner=self,
            on_result=finished,
            on_error=failed,
            on_progress=progressed,
        )
        dialog.canceled.connect(task.cancel)


class _DonePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Imported")
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        style.set_point_size(self.summary, style.FONT_POINT_SIZE + 1)
        layout.addWidget(self.summary)
        self.warnings = muted("")
        layout.addWidget(self.warnings)
        layout.addStretch(1)

    def initializePage(self) -> None:
        report = self._wizard.state.report
        assert report is not None
        self.summary.setText(report.summary() + ".")
        self.warnings.setText("\n".join(f"Note: {w}" for w in report.warnings))
        self.warnings.setVisible(bool(report.warnings))


class ImportWizard(QWizard):
    """Import a roster, training or leave file, every row checked before anything is written."""

    CHOOSE, PREVIEW, MAPPING, CHECK, DONE = range(5)

    def __init__(
        self, ctx: AppContext, kind: str = "training", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.state = ImportState(kind)
        self.setWindowTitle("Import")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.resize(980, 680)
        self.choose = _ChoosePage(self)
        self.preview = _PreviewPage(self)
        self.mapping = _MappingPage(self)
        self.check = _CheckPage(self)
        self.done_page = _DonePage(self)
        self.setPage(self.CHOOSE, self.choose)
        self.setPage(self.PREVIEW, self.preview)
        self.setPage(self.MAPPING, self.mapping)
        self.setPage(self.CHECK, self.check)
        self.setPage(self.DONE, self.done_page)

    def nextId(self) -> int:
        current = self.currentId()
        if current == self.PREVIEW:
            table = self.state.table
            if table is not None and needs_mapping(table, self.state.kind):
                return self.MAPPING
            return self.CHECK
        return super().nextId()

    def set_file(self, path: Path, kind: str | None = None) -> None:
        """Choose the file (and kind) as the first page would; for tests and screenshots."""
        if kind is not None:
            for button in self.choose.kinds.buttons():
                if button.property("kind") == kind:
                    button.setChecked(True)
        self.choose.file.setText(str(path))
