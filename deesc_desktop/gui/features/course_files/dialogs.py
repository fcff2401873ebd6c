"""Dialogs of the class files: schedule a class, record attendance from its sign-in list,
print its sign-in sheet, and keep the instructors with their certifications and biography."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from deesc_desktop.core.auth import Permission
from deesc_desktop.gui import prompts, style, workers
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.dialogs.common import OfficerPicker, lay_out_form, load_roster
from deesc_desktop.gui.documents import DOCUMENT_FILTER, DocumentsPanel
from deesc_desktop.gui.features.training.dialogs import RecordClassDialog
from deesc_desktop.gui.forms import DateField, Form
from deesc_desktop.gui.models import Column, RowsModel
from deesc_desktop.gui.operations import USER_ERRORS
from deesc_desktop.gui.settings import LAST_EXPORT_FOLDER, LAST_IMPORT_FOLDER
from deesc_desktop.gui.widgets import muted, table_view
from deesc_desktop.services.classes import record_attendance, schedule_class, sign_in_sheet
from deesc_desktop.services.course_files import ClassFileDetail, ClassRef, Owner
from deesc_desktop.services.errors import ServiceError, ValidationError
from deesc_desktop.services.instructors import (
    InstructorSummary,
    add_instructor,
    add_instructor_certification,
    edit_instructor,
    instructor_documents,
    instructor_summaries,
)
from deesc_desktop.services.training import Attendee


class ScheduleClassDialog(RecordClassDialog):
    """Put a class on the calendar and choose who is expected at it (no scores yet)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.class_id: int | None = None
        self.setWindowTitle("Schedule class")
        self.fields.completed.set_value(date.today() + timedelta(days=14))
        self.location = QLineEdit()
        self.location.setPlaceholderText("e.g. Training room B")
        self.form.add_row("location", "Location", self.location)
        # The class is ahead: its date is when it is held, its people are those expected,
        # and there are no scores to enter yet.
        for label in self.findChildren(QLabel):
            if label.buddy() is self.fields.completed:
                label.setText("Held on *:")
            elif label.text().startswith("Test scores"):
                label.hide()
        for box in self.findChildren(QGroupBox):
            if box.title() == "Who attended":
                box.setTitle("Who is expected")
        self.scores_view.hide()
        self.save_button.setText("Schedule class")

    def accept(self) -> None:
        values = {
            **self.fields.values(),
            "held_on": self.fields.completed.text(),
            "location": self.location.text(),
        }
        officers = [person.id for person in self.scores.people()]
        try:
            self.class_id = schedule_class(self.ctx.db, self.ctx.actor, values, officers)
        except ValidationError as exc:
            errors = dict(exc.field_errors)
            if "held_on" in errors:
                errors["completed"] = errors.pop("held_on")
            self._show_errors(errors)
            return
        except ServiceError as exc:
            self._show_errors({}, str(exc))
            return
        QDialog.accept(self)


class AttendanceDialog(QDialog):
    """Tick who signed the sheet (everyone expected starts ticked), add walk-ins, attach the
    scanned sheet, and record the class for them in one go."""

    def __init__(
        self, ctx: AppContext, detail: ClassFileDetail, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail = detail
        self.record_ids: list[int] = []
        row = detail.file.row
        self.setWindowTitle("Record attendance")
        self.resize(620, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{row.course}</b> on {row.held_on}"))
        self.banner = QLabel()
        self.banner.setObjectName("formBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout.addWidget(self.banner)
        layout.addWidget(muted("Untick anyone who did not sign the sheet."))
        self.people = QListWidget()
        for person in detail.people:
            item = QListWidgetItem(f"{person.badge}  {person.display_name}")
            item.setData(Qt.ItemDataRole.UserRole, person.officer_id)
            if person.record_id is not None:
                item.setText(f"{item.text()}  (already recorded)")
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setCheckState(Qt.CheckState.Checked)
            else:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
            self.people.addItem(item)
        layout.addWidget(self.people, 1)
        walk_in = QHBoxLayout()
        self.picker = OfficerPicker()
        add = QPushButton("Add walk-in")
        add.setToolTip("An officer who signed a blank line")
        add.clicked.connect(self.add_walk_in)
        walk_in.addWidget(self.picker, 1)
        walk_in.addWidget(add)
        layout.addLayout(walk_in)
        sheet_row = QHBoxLayout()
        self.sheet = QLineEdit()
        self.sheet.setPlaceholderText("The scanned, signed sheet (PDF or image)")
        choose = QPushButton("Choose scan…")
        choose.clicked.connect(self.choose_sheet)
        sheet_row.addWidget(self.sheet, 1)
        sheet_row.addWidget(choose)
        layout.addLayout(sheet_row)
        self.count = muted("")
        layout.addWidget(self.count)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.addButton(
            "Record attendance", QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.people.itemChanged.connect(lambda _item: self._count())
        self._count()
        load_roster(ctx, self, self.picker.set_officers)

    def present(self) -> list[int]:
        """The officers ticked and not recorded yet."""
        chosen = []
        for number in range(self.people.count()):
            item = self.people.item(number)
            if (
                item.flags() & Qt.ItemFlag.ItemIsEnabled
                and item.checkState() == Qt.CheckState.Checked
            ):
                chosen.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return chosen

    def _count(self) -> None:
        count = len(self.present())
        self.count.setText(f"{count} officer{'s' if count != 1 else ''} to record")

    def add_walk_in(self) -> None:
        officer_id = self.picker.officer_id()
        if officer_id is None:
            return
        for number in range(self.people.count()):
            if self.people.item(number).data(Qt.ItemDataRole.UserRole) == officer_id:
                self.people.item(number).setCheckState(Qt.CheckState.Checked)
                return
        item = QListWidgetItem(f"{self.picker.currentText()}  (walk-in)")
        item.setData(Qt.ItemDataRole.UserRole, officer_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked)
        self.people.addItem(item)

    def choose_sheet(self) -> None:
        folder = self.ctx.settings.get(LAST_IMPORT_FOLDER) or str(Path.home())
        path = prompts.open_file(self, "The signed sign-in sheet", folder, DOCUMENT_FILTER)
        if path is not None:
            self.ctx.settings.set(LAST_IMPORT_FOLDER, str(path.parent))
            self.sheet.setText(str(path))

    def accept(self) -> None:
        sheet = self.sheet.text().strip()
        row = self.detail.file.row
        ref = ClassRef(row.class_id) if row.class_id else ClassRef(None, row.course, row.held_on)
        try:
            self.record_ids = record_attendance(
                self.ctx.db,
                self.ctx.actor,
                ref,
                [Attendee(officer_id) for officer_id in self.present()],
                sheet=Path(sheet) if sheet else None,
            )
        except ServiceError as exc:
            self.banner.setText(str(exc))
            self.banner.show()
            return
        super().accept()


def print_sign_in_sheet(parent: QWidget, ctx: AppContext, ref: ClassRef, label: str) -> Path | None:
    """Save the class's sign-in sheet as a PDF where the user chooses, then open it to print."""
    folder = ctx.settings.get(LAST_EXPORT_FOLDER) or str(Path.home())
    safe = "".join(c if c.isalnum() or c in " -_" else "_" for c in label).strip()
    target = prompts.save_file(
        parent, "Save the sign-in sheet", Path(folder) / f"sign-in {safe}.pdf", prompts.PDF_FILTER
    )
    if target is None:
        return None
    if target.suffix.lower() != ".pdf":
        target = target.with_suffix(".pdf")
    ctx.settings.set(LAST_EXPORT_FOLDER, str(target.parent))

    def render(db: Any, _control: Any) -> Path:
        from deesc_desktop.reports.sign_in_sheet import render_sign_in_sheet

        return render_sign_in_sheet(db, sign_in_sheet(db, ref), target)

    try:
        path = workers.run_with_progress(
            parent, "Writing the sign-in sheet…", workers.with_database(ctx.db_path, render)
        )
    except USER_ERRORS as exc:
        prompts.error(parent, "Could not write the sign-in sheet", str(exc))
        return None
    prompts.open_url(QUrl.fromLocalFile(str(path)))
    return path


# --- instructors ---------------------------------------------------------------------------------


def _certifications_text(summary: InstructorSummary) -> str:
    names = sorted({c.name for c in summary.certifications}, key=str.casefold)
    return ", ".join(names)


def _standing(summary: InstructorSummary) -> str:
    if summary.lapsed:
        return f"Lapsed: {summary.lapsed}"
    if summary.expiring:
        return "Expiring: " + ", ".join(f"{c.name} on {c.expires}" for c in summary.expiring)
    return "" if summary.instructor.active else "Inactive"


class InstructorModel(RowsModel):
    """Instructors with their certifications, biography on file and standing today."""

    COLUMNS = (
        Column("Instructor", lambda s: s.instructor.name, width=20),
        Column("Affiliation", lambda s: s.instructor.affiliation, width=18),
        Column("Certifications", _certifications_text, width=30),
        Column("Biography", lambda s: "on file" if s.has_biography else "missing", width=9),
        Column("Standing", _standing),
    )

    def foreground(self, row: InstructorSummary, column: int) -> QColor | None:
        if column == 4 and row.lapsed:
            return QColor(style.Colour.ERROR)
        if column == 4 and row.expiring:
            return QColor(style.Colour.WARNING)
        if column == 3 and not row.has_biography:
            return QColor(style.Colour.WARNING)
        return None


class InstructorDialog(QDialog):
    """Add an instructor, or change one's details."""

    def __init__(
        self, ctx: AppContext, summary: InstructorSummary | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.summary = summary
        self.instructor_id: int | None = summary.instructor.id if summary else None
        self.setWindowTitle("Edit instructor" if summary else "Add instructor")
        self.setMinimumWidth(480)
        self.form = Form()
        self.name = QLineEdit()
        self.affiliation = QLineEdit()
        self.affiliation.setPlaceholderText("e.g. Millbrook PD, ILETSB Mobile Team 9")
        self.email = QLineEdit()
        self.phone = QLineEdit()
        self.notes = QLineEdit()
        self.active = QCheckBox("Teaches for us (offered when a class is recorded)")
        self.active.setChecked(True)
        self.form.add_row("name", "Name", self.name, required=True)
        self.form.add_row("affiliation", "Affiliation", self.affiliation)
        self.form.add_row("email", "Email", self.email)
        self.form.add_row("phone", "Phone", self.phone)
        self.form.add_row("notes", "Notes", self.notes)
        self.form.add_row("active", "Active", self.active)
        if summary is not None:
            row = summary.instructor
            self.name.setText(row.name)
            self.affiliation.setText(row.affiliation)
            self.email.setText(row.email)
            self.phone.setText(row.phone)
            self.notes.setText(row.notes)
            self.active.setChecked(row.active)
        lay_out_form(self, self.form)

    def values(self) -> dict[str, object]:
        return {
            "name": self.name.text(),
            "affiliation": self.affiliation.text(),
            "email": self.email.text(),
            "phone": self.phone.text(),
            "notes": self.notes.text(),
            "active": self.active.isChecked(),
        }

    def accept(self) -> None:
        try:
            if self.summary is None:
                self.instructor_id = add_instructor(self.ctx.db, self.ctx.actor, self.values())
            else:
                edit_instructor(
                    self.ctx.db,
                    self.ctx.actor,
                    self.summary.instructor.id,
                    self.values(),
                    expected_version=self.summary.instructor.version,
                )
        except ServiceError as exc:
            self.form.show_refusal(exc)
            return
        super().accept()


class CertificationDialog(QDialog):
    """Record a certification an instructor holds, or its renewal (a new expiry)."""

    def __init__(
        self, ctx: AppContext, instructor_id: int, who: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.instructor_id = instructor_id
        self.certification_id: int | None = None
        self.setWindowTitle("Add instructor certification")
        self.setMinimumWidth(480)
        self.form = Form()
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. TCOLE instructor, ICAT train-the-trainer")
        self.number = QLineEdit()
        self.issuer = QLineEdit()
        self.earned = DateField(date.today())
        self.expires = DateField(None, optional=True)
        self.form.add_row("name", "Certification", self.name, required=True)
        self.form.add_row("number", "Number", self.number)
        self.form.add_row("issuer", "Issued by", self.issuer)
        self.form.add_row("earned", "Earned on", self.earned, required=True)
        self.form.add_row(
            "expires",
            "Expires on",
            self.expires,
            hint="Leave empty when it does not expire. A renewal is a new certification of "
            "the same name with its new dates.",
        )
        lay_out_form(self, self.form, above=[QLabel(f"Instructor: <b>{who}</b>")])

    def accept(self) -> None:
        try:
            self.certification_id = add_instructor_certification(
                self.ctx.db,
                self.ctx.actor,
                self.instructor_id,
                {
                    "name": self.name.text(),
                    "number": self.number.text(),
                    "issuer": self.issuer.text(),
                    "earned": self.earned.text(),
                    "expires": self.expires.text(),
                },
            )
        except ServiceError as exc:
            self.form.show_refusal(exc)
            return
        super().accept()


class InstructorsDialog(QDialog):
    """Every instructor: certifications and their standing, and the biography on file."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Instructors")
        self.resize(980, 600)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.add_button = QPushButton("Add instructor…")
        self.edit_button = QPushButton("Edit…")
        self.certify_button = QPushButton("Add certification…")
        for button in (self.add_button, self.edit_button, self.certify_button):
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.model = InstructorModel(self)
        self.model.sort(0)
        self.view = table_view(self.model, stretch=4)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.documents = DocumentsPanel(ctx, caption="Biography and certificates on file")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.documents)
        layout.addWidget(splitter, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        may = ctx.can(Permission.MANAGE_COURSE_FILES)
        self.add_button.setEnabled(may)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.certify_button.clicked.connect(self.certify)
        self.view.doubleClicked.connect(lambda _index: self.edit())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.documents.changed.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        chosen = self.selected()
        self.model.set_rows(instructor_summaries(self.ctx.db))
        if chosen is not None:
            row = self.model.find_row(lambda s: s.instructor.id == chosen.instructor.id)
            if row >= 0:
                self.view.selectRow(row)
        self._selected()

    def selected(self) -> InstructorSummary | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def select(self, instructor_id: int) -> None:
        row = self.model.find_row(lambda s: s.instructor.id == instructor_id)
        if row >= 0:
            self.view.selectRow(row)

    def _selected(self) -> None:
        chosen = self.selected()
        may = self.ctx.can(Permission.MANAGE_COURSE_FILES)
        self.edit_button.setEnabled(chosen is not None and may)
        self.certify_button.setEnabled(chosen is not None and may)
        if chosen is None:
            self.documents.set_owner(None)
            self.documents.set_documents([])
            return
        who = chosen.instructor.name
        self.documents.set_owner(Owner(instructor_id=chosen.instructor.id), who, "instructor_bio")
        self.documents.set_documents(instructor_documents(self.ctx.db, chosen.instructor.id))

    def add(self) -> None:
        dialog = InstructorDialog(self.ctx, None, self)
        if prompts.run_dialog(dialog) and dialog.instructor_id is not None:
            self.reload()
            self.select(dialog.instructor_id)

    def edit(self) -> None:
        chosen = self.selected()
        if chosen is not None and prompts.run_dialog(InstructorDialog(self.ctx, chosen, self)):
            self.reload()

    def certify(self) -> None:
        chosen = self.selected()
        if chosen is not None and prompts.run_dialog(
            CertificationDialog(self.ctx, chosen.instructor.id, chosen.instructor.name, self)
        ):
            self.reload()
