"""The training page: recent training records, searchable, by course and date range."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QWidget

from deesc_desktop.core.dates import year_before
from deesc_desktop.core.hours import format_hours
from deesc_desktop.core.wording import plural
from deesc_desktop.gui import operations, prompts
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.actions import ActionRegistry
from deesc_desktop.gui.context import COURSES, OFFICERS, TRAINING, AppContext
from deesc_desktop.gui.features.training.models import (
    TrainingColumn,
    TrainingModel,
    training_haystack,
)
from deesc_desktop.gui.forms import DateField
from deesc_desktop.gui.models import RowFilterProxy, all_of, words_predicate
from deesc_desktop.gui.pages.base import Page
from deesc_desktop.gui.widgets import (
    SearchBox,
    filter_combo,
    filtered_table,
)
from deesc_desktop.store.training import TrainingListRow, training_records


class TrainingPage(Page):
    """Training records completed in a date range (the last 12 months to start with)."""

    watches = frozenset({TRAINING, OFFICERS, COURSES})

    def __init__(
        self, ctx: AppContext, actions: ActionRegistry, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actions, parent)
        self.totals = self.add_heading("Training")

        filters = QHBoxLayout()
        self.search = SearchBox("Search officer, badge, course")
        self.search.setToolTip("Type part of a name, badge or course title (Ctrl+F)")
        filters.addWidget(self.search, 2)
        filters.addSpacing(8)
        filters.addWidget(QLabel("Course:"))
        self.course = filter_combo("Show one course", 12)
        filters.addWidget(self.course, 1)
        filters.addSpacing(8)
        filters.addWidget(QLabel("From:"))
        self.start = DateField(year_before(date.today()))
        filters.addWidget(self.start)
        filters.addWidget(QLabel("to:"))
        self.end = DateField(date.today())
        filters.addWidget(self.end)
        last_year = QPushButton("Last 12 months")
        last_year.setToolTip("Show the last 12 months again")
        last_year.clicked.connect(self.show_last_year)
        filters.addWidget(last_year)
        self.layout_.addLayout(filters)

        self.buttons = actions.bar(
            ActionId.RECORD_CLASS,
            ActionId.EDIT_RECORD,
            ActionId.DELETE_RECORD,
            ActionId.RECORD_DOCUMENTS,
            ActionId.ADD_LEAVE,
            ActionId.IMPORT_TRAINING,
        )
        self.layout_.addWidget(self.buttons)

        self.model = TrainingModel(self)
        self.proxy = RowFilterProxy(self)
        self.view = filtered_table(
            self.model, self.proxy, sort=(TrainingColumn.COMPLETED, Qt.SortOrder.DescendingOrder)
        )
        self.view.doubleClicked.connect(lambda _index: self.edit_selected())
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.layout_.addWidget(self.view, 1)

        self.search.search.connect(lambda _text: self.apply_filter())
        self.course.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.start.changed.connect(self.refresh)
        self.end.changed.connect(self.refresh)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.proxy.modelReset.connect(self._update_actions)
        self.proxy.layoutChanged.connect(self._update_actions)
        actions.connect(ActionId.EDIT_RECORD, self.edit_selected)
        actions.connect(ActionId.DELETE_RECORD, self.delete_selected)
        actions.connect(ActionId.RECORD_DOCUMENTS, self.documents_of_selected)
        self._update_actions()

    def show_last_year(self) -> None:
        self.start.set_value(year_before(date.today()))
        self.end.set_value(date.today())

    def refresh(self) -> None:
        super().refresh()
        start, end = self.start.value(), self.end.value()
        self.load(
            lambda db: training_records(db, start=start, end=end),
            self._loaded,
            "training records",
        )

    def _loaded(self, rows: list[TrainingListRow]) -> None:
        selected = self.selected_row()
        self.model.set_rows(rows)
        current = self.course.currentData()
        self.course.blockSignals(True)
        self.course.clear()
        self.course.addItem("All courses", None)
        counts = Counter(row.course for row in rows)
        for title in sorted(counts, key=str.casefold):
            self.course.addItem(f"{title} ({counts[title]})", title)
        index = self.course.findData(current) if current is not None else 0
        self.course.setCurrentIndex(max(index, 0))
        self.course.blockSignals(False)
        self.apply_filter()
        if selected is not None:
            self.select_record(selected.id)
        self.loaded.emit()

    def apply_filter(self) -> None:
        tests: list[Callable[[TrainingListRow], bool]] = []
        words = words_predicate(self.search.text(), training_haystack)
        if words is not None:
            tests.append(words)
        course = self.course.currentData()
        if course is not None:
            tests.append(lambda r: r.course == course)
        self.proxy.set_predicate(all_of(tests))
        shown = (
            [self.proxy.row(i) for i in range(self.proxy.rowCount())]
            if tests
            else (self.model.all_rows())
        )
        hours = sum(row.hours for row in shown)
        officers = len({row.officer_id for row in shown})
        self.totals.setText(
            f"{plural(len(shown), 'record')} · {format_hours(hours)} h · "
            f"{plural(officers, 'officer')}"
        )
        self._update_actions()

    def focus_search(self) -> bool:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
        return True

    def selected_row(self) -> TrainingListRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.proxy.row(rows[0].row()) if rows else None

    def selected_officer_id(self) -> int | None:
        row = self.selected_row()
        return row.officer_id if row else None

    def select_record(self, record_id: int) -> bool:
        for proxy_row in range(self.proxy.rowCount()):
            if self.proxy.row(proxy_row).id == record_id:
                self.view.selectRow(proxy_row)
                return True
        return False

    def _update_actions(self) -> None:
        selected = self.selected_row() is not None
        self.registry.set_enabled(
            selected, ActionId.EDIT_RECORD, ActionId.DELETE_RECORD, ActionId.RECORD_DOCUMENTS
        )

    def _context_menu(self, position: QPoint) -> None:
        index = self.view.indexAt(position)
        if index.isValid():
            self.view.selectRow(index.row())
        menu = QMenu(self)
        menu.addAction(self.registry[ActionId.EDIT_RECORD])
        menu.addAction(self.registry[ActionId.DELETE_RECORD])
        menu.addAction(self.registry[ActionId.RECORD_DOCUMENTS])
        menu.addSeparator()
        menu.addAction(self.registry[ActionId.ADD_LEAVE])
        menu.popup(self.view.viewport().mapToGlobal(position))

    def edit_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            operations.edit_record(self, self.ctx, row)

    def documents_of_selected(self) -> None:
        from deesc_desktop.gui.documents import RecordDocumentsDialog

        row = self.selected_row()
        if row is not None:
            what = f"{row.course} on {row.completed}: {row.officer_name} (badge {row.badge})"
            prompts.run_dialog(RecordDocumentsDialog(self.ctx, row.id, what, self))

    def delete_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            operations.delete_record(self, self.ctx, row)


def create_page(ctx: AppContext, actions: ActionRegistry) -> Page:
    return TrainingPage(ctx, actions)
