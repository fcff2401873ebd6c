"""The course files page: each class's file, what it still lacks, its documents and people."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from deesc_desktop.core.hours import format_hours
from deesc_desktop.core.wording import plural
from deesc_desktop.gui import prompts, style, workers
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.actions import ActionRegistry
from deesc_desktop.gui.context import (
    AGENCY,
    CLASS_FILES,
    COURSES,
    INSTRUCTORS,
    OFFICERS,
    TRAINING,
    AppContext,
)
from deesc_desktop.gui.documents import DocumentsPanel, attach_document
from deesc_desktop.gui.features.course_files.models import (
    ChecklistModel,
    ChecklistRow,
    ClassFileColumn,
    ClassFileModel,
    PeopleColumn,
    PeopleModel,
    class_file_haystack,
)
from deesc_desktop.gui.forms import DateField
from deesc_desktop.gui.models import RowFilterProxy, all_of, words_predicate
from deesc_desktop.gui.pages.base import Page
from deesc_desktop.gui.widgets import SearchBox, filtered_table, muted, table_view
from deesc_desktop.services.course_files import (
    ClassFile,
    ClassFileDetail,
    ClassRef,
    Owner,
    class_file,
    class_files,
)

SCHEDULED_AHEAD_DAYS = 120
"""The list runs this far past today by default, so classes already scheduled show."""


def class_ref(found: ClassFile) -> ClassRef:
    """How the services name a listed class: its number when kept, else course and date."""
    if found.row.class_id is not None:
        return ClassRef(found.row.class_id)
    return ClassRef(course=found.row.course, held_on=found.row.held_on)


class ClassDetailPanel(QFrame):
    """The selected class's file: checklist, documents, and the officers expected or present."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPanel")
        self.ctx = ctx
        self.detail: ClassFileDetail | None = None
        self._generation = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        self.heading = QLabel()
        self.heading.setObjectName("detailHeading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.flag = QLabel()
        self.flag.setObjectName("warningBanner")
        self.flag.setWordWrap(True)
        self.flag.hide()
        layout.addWidget(self.flag)
        columns = QHBoxLayout()
        checklist_box = QVBoxLayout()
        self.checklist_caption = muted("Checklist")
        checklist_box.addWidget(self.checklist_caption)
        self.checklist = ChecklistModel(self)
        self.checklist_view = table_view(self.checklist, sortable=False, stretch=1)
        checklist_box.addWidget(self.checklist_view)
        columns.addLayout(checklist_box, 3)
        self.documents = DocumentsPanel(ctx, caption="Documents in the file")
        columns.addWidget(self.documents, 5)
        people_box = QVBoxLayout()
        people_box.addWidget(muted("Officers expected and attending"))
        self.people = PeopleModel(self)
        self.people.sort(PeopleColumn.NAME)
        # Expected and Attended in view beside the names; the state ID takes what is left.
        self.people_view = table_view(
            self.people, sort=(PeopleColumn.NAME, Qt.SortOrder.AscendingOrder)
        )
        people_box.addWidget(self.people_view)
        columns.addLayout(people_box, 5)
        layout.addLayout(columns, 1)
        self.show_none()

    def load(self, ref: ClassRef) -> None:
        """Read the class file on a worker; only the latest one asked for is shown."""
        self._generation += 1
        generation = self._generation

        def deliver(detail: ClassFileDetail) -> None:
            if generation == self._generation:
                self.show_detail(detail)

        workers.run_query(
            self.ctx.db_path,
            lambda db: class_file(db, ref),
            owner=self,
            on_result=deliver,
            on_error=lambda exc: prompts.error(self, "Could not read the class file", str(exc)),
        )

    def show_none(self, text: str = "Select a class to see its file.") -> None:
        self._generation += 1
        self.detail = None
        self.heading.setText(escape(text))
        self.flag.hide()
        self.checklist.set_rows([])
        self.documents.set_owner(None)
        self.documents.set_documents([])
        self.people.set_rows([])

    def show_detail(self, detail: ClassFileDetail) -> None:
        self.detail = detail
        found, row = detail.file, detail.file.row
        number = f"class {row.class_id}" if row.class_id else "class file not opened yet"
        instructor = escape(row.instructor) if row.instructor else "no instructor named"
        state = (
            style.coloured("complete", style.Colour.OK, bold=True)
            if found.complete
            else style.coloured(f"{len(found.missing)} missing", style.Colour.WARNING, bold=True)
        )
        self.heading.setText(
            f"<b>{escape(row.course)}</b> on {row.held_on} · {format_hours(row.hours)} h · "
            f"{instructor} · {number} · {state}"
        )
        if found.lapsed:
            self.flag.setText(f"Instructor's certification lapsed: {found.lapsed}.")
            self.flag.show()
        else:
            self.flag.hide()
        self.checklist.set_rows(
            [ChecklistRow(kind, kind not in found.missing) for kind in detail.checklist]
        )
        self.documents.set_owner(Owner(class_ref(found)), found.label)
        self.documents.set_documents(detail.documents)
        self.people.set_rows(detail.people)


class CourseFilesPage(Page):
    """Classes in a date range (the last 12 months and what is scheduled), with their files."""

    watches = frozenset({AGENCY, TRAINING, COURSES, OFFICERS, CLASS_FILES, INSTRUCTORS})

    def __init__(
        self, ctx: AppContext, actions: ActionRegistry, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actions, parent)
        self.totals = self.add_heading("Course files")

        filters = QHBoxLayout()
        self.search = SearchBox("Search course, instructor or date")
        filters.addWidget(self.search, 2)
        filters.addSpacing(8)
        filters.addWidget(QLabel("From:"))
        today = date.today()
        self.start = DateField(today - timedelta(days=365))
        filters.addWidget(self.start)
        filters.addWidget(QLabel("to:"))
        self.end = DateField(today + timedelta(days=SCHEDULED_AHEAD_DAYS))
        filters.addWidget(self.end)
        self.incomplete = QCheckBox("Incomplete files only")
        self.incomplete.setToolTip("Show only the classes whose file lacks a document")
        filters.addWidget(self.incomplete)
        self.layout_.addLayout(filters)

        self.buttons = actions.bar(
            ActionId.SCHEDULE_CLASS,
            ActionId.PRINT_SIGN_IN_SHEET,
            ActionId.RECORD_ATTENDANCE,
            ActionId.ATTACH_DOCUMENT,
            ActionId.MANAGE_INSTRUCTORS,
        )
        self.layout_.addWidget(self.buttons)

        self.model = ClassFileModel(self)
        self.proxy = RowFilterProxy(self)
        self.view = filtered_table(
            self.model, self.proxy, sort=(ClassFileColumn.DATE, Qt.SortOrder.DescendingOrder)
        )
        self.detail = ClassDetailPanel(ctx)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.layout_.addWidget(splitter, 1)
        self.empty_hint = muted("")
        self.layout_.addWidget(self.empty_hint)

        self.search.search.connect(lambda _text: self.apply_filter())
        self.incomplete.toggled.connect(lambda _on: self.apply_filter())
        self.start.changed.connect(self.refresh)
        self.end.changed.connect(self.refresh)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.proxy.modelReset.connect(self._selection_changed)
        actions.connect(ActionId.ATTACH_DOCUMENT, self.attach_to_selected)
        actions.connect(ActionId.SCHEDULE_CLASS, self.schedule_class)
        actions.connect(ActionId.PRINT_SIGN_IN_SHEET, self.print_sheet)
        actions.connect(ActionId.RECORD_ATTENDANCE, self.record_attendance)
        actions.connect(ActionId.MANAGE_INSTRUCTORS, self.manage_instructors)
        self._update_actions()

    # --- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        super().refresh()
        start, end = self.start.day(), self.end.day()
        self.load(lambda db: class_files(db, start, end), self._loaded, "the class files")

    def _loaded(self, files: list[ClassFile]) -> None:
        selected = self.selected_file()
        self.model.set_rows(files)
        self.apply_filter()
        if selected is not None:
            self.select_class(selected.row.course_id, selected.row.held_on)
        self.loaded.emit()

    def apply_filter(self) -> None:
        tests: list[Callable[[ClassFile], bool]] = []
        words = words_predicate(self.search.text(), class_file_haystack)
        if words is not None:
            tests.append(words)
        if self.incomplete.isChecked():
            tests.append(lambda f: not f.complete)
        self.proxy.set_predicate(all_of(tests))
        rows: list[ClassFile] = self.model.all_rows()
        missing = sum(1 for f in rows if not f.complete)
        flagged = sum(1 for f in rows if f.lapsed)
        text = f"{plural(len(rows), 'class', 'classes')} · {plural(missing, 'file')} incomplete"
        if flagged:
            text += f" · {flagged} taught on a lapsed instructor certification"
        self.totals.setText(text)
        self.empty_hint.setText(
            ""
            if rows
            else "No class was recorded or scheduled in these dates. Record a class on the "
            "Training page; its file appears here."
        )
        self._update_actions()

    def focus_search(self) -> bool:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
        return True

    # --- selection --------------------------------------------------------------------------

    def selected_file(self) -> ClassFile | None:
        rows = self.view.selectionModel().selectedRows()
        return self.proxy.row(rows[0].row()) if rows else None

    def select_class(self, course_id: int, held_on: str) -> bool:
        for proxy_row in range(self.proxy.rowCount()):
            found = self.proxy.row(proxy_row)
            if (found.row.course_id, found.row.held_on) == (course_id, held_on):
                self.view.selectRow(proxy_row)
                return True
        return False

    def _selection_changed(self) -> None:
        found = self.selected_file()
        if found is None:
            self.detail.show_none()
        else:
            self.detail.load(class_ref(found))
        self._update_actions()

    def _update_actions(self) -> None:
        found = self.selected_file()
        self.registry.set_enabled(
            found is not None, ActionId.ATTACH_DOCUMENT, ActionId.PRINT_SIGN_IN_SHEET
        )
        # Attendance is taken from a scheduled class's list; others are recorded as classes.
        self.registry.set_enabled(
            found is not None and found.row.expected > found.row.attendees,
            ActionId.RECORD_ATTENDANCE,
        )

    # --- actions ----------------------------------------------------------------------------

    def attach_to_selected(self) -> None:
        found = self.selected_file()
        if found is None:
            return
        held = {a.kind for a in self.detail.detail.documents} if self.detail.detail else set()
        kind = next((k for k in found.missing if k not in held), "other")
        attach_document(self, self.ctx, Owner(class_ref(found)), found.label, kind)

    def schedule_class(self) -> None:
        from deesc_desktop.gui.features.course_files.dialogs import ScheduleClassDialog

        dialog = ScheduleClassDialog(self.ctx, self)
        if prompts.run_dialog(dialog) and dialog.class_id is not None:
            day = dialog.fields.completed.value()
            if day is not None and not self.start.day() <= day <= self.end.day():
                self.end.set_value(day)

    def print_sheet(self) -> None:
        from deesc_desktop.gui.features.course_files.dialogs import print_sign_in_sheet

        found = self.selected_file()
        if found is not None:
            print_sign_in_sheet(self, self.ctx, class_ref(found), found.label)

    def record_attendance(self) -> None:
        from deesc_desktop.gui.features.course_files.dialogs import AttendanceDialog

        found = self.selected_file()
        if found is None:
            return
        dialog = AttendanceDialog(self.ctx, class_file(self.ctx.db, class_ref(found)), self)
        if prompts.run_dialog(dialog):
            count = len(dialog.record_ids)
            window = self.window()
            if hasattr(window, "show_message"):
                window.show_message(f"Attendance recorded for {plural(count, 'officer')}.")

    def manage_instructors(self) -> None:
        from deesc_desktop.gui.features.course_files.dialogs import InstructorsDialog

        prompts.run_dialog(InstructorsDialog(self.ctx, self))


def create_page(ctx: AppContext, actions: ActionRegistry) -> Page:
    return CourseFilesPage(ctx, actions)
