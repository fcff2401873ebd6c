"""The audit log page (filters, an entry's before and after, putting a record back as it was,
the chain check); officer History."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from deesc_desktop.gui import operations, prompts, style, workers
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.actions import ActionRegistry
from deesc_desktop.gui.context import EVERYTHING, AppContext
from deesc_desktop.gui.features.audit.models import (
    COURSES,
    OFFICERS,
    AuditColumn,
    AuditModel,
    ChangesModel,
    HistoryColumn,
    HistoryModel,
    field_changes,
    restore_question,
    row_name,
    set_money_names,
    table_label,
    what_text,
)
from deesc_desktop.gui.forms import DateField, local_time
from deesc_desktop.gui.pages.base import Page
from deesc_desktop.gui.widgets import LoadingTab, SearchBox, filter_combo, table_view
from deesc_desktop.services.maintenance import AuditReport, verify_audit
from deesc_desktop.services.versions import plan_restore, restore_version
from deesc_desktop.store.audit import chain_head
from deesc_desktop.store.courses import CourseRow, courses
from deesc_desktop.store.officers import roster
from deesc_desktop.store.views import (
    AuditPage,
    AuditRow,
    audit_choices,
    audit_entries,
    money_names,
    officer_history,
)

LIMIT = 2000
"""The most entries the page lists at once (newest first)."""


class AuditLogPage(Page):
    """The audit log, newest first, filtered in the database; one entry's before and after."""

    watches = EVERYTHING

    def __init__(
        self, ctx: AppContext, actions: ActionRegistry, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actions, parent)
        self.count = self.add_heading("Audit log")

        filters = QHBoxLayout()
        self.search = SearchBox("Search record id or reason")
        filters.addWidget(self.search, 2)
        self.table = filter_combo("Show changes to one kind of record", 14)
        self.user = filter_combo("Show changes made by one user", 12)
        self.use_dates = QCheckBox("From")
        self.use_dates.setToolTip("Only entries made from one day to another (UTC days)")
        today = date.today()
        self.since = DateField(today.replace(day=1))
        self.until = DateField(today)
        for label, widget in (("Record:", self.table), ("User:", self.user)):
            filters.addSpacing(8)
            filters.addWidget(QLabel(label))
            filters.addWidget(widget, 1)
        filters.addSpacing(8)
        filters.addWidget(self.use_dates)
        filters.addWidget(self.since)
        filters.addWidget(QLabel("to"))
        filters.addWidget(self.until)
        self.layout_.addLayout(filters)
        self.table.addItem("All records", None)
        self.user.addItem("All users", None)

        chain = QHBoxLayout()
        chain.addWidget(actions.bar(ActionId.RESTORE_VERSION))
        self.verify_button = QPushButton("Verify chain")
        self.verify_button.setToolTip(
            "Recompute every entry's hash: shows whether any entry was altered or removed"
        )
        self.verify_button.clicked.connect(self.verify)
        self.chain_result = QLabel()
        self.chain_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        chain.addWidget(self.verify_button)
        chain.addWidget(self.chain_result, 1)
        self.layout_.addLayout(chain)

        self.model = AuditModel(self)
        self.model.sort(AuditColumn.NUMBER, Qt.SortOrder.DescendingOrder)
        self.view = table_view(
            self.model,
            stretch=AuditColumn.CHANGES,
            sort=(AuditColumn.NUMBER, Qt.SortOrder.DescendingOrder),
        )
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        self.detail_heading = QLabel("Select an entry to see the record before and after it.")
        self.detail_heading.setWordWrap(True)
        self.detail_heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        detail_layout.addWidget(self.detail_heading)
        self.changes = ChangesModel(self)
        self.changes_view = table_view(
            self.changes,
            sortable=False,
        )
        detail_layout.addWidget(self.changes_view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.layout_.addWidget(splitter, 1)

        self.search.search.connect(lambda _text: self.refresh())
        for combo in (self.table, self.user):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.use_dates.toggled.connect(lambda _on: self._dates_changed())
        self.since.changed.connect(self._dates_changed)
        self.until.changed.connect(self._dates_changed)
        self.since.setEnabled(False)
        self.until.setEnabled(False)
        self.view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_entry(current)
        )
        actions.connect(ActionId.RESTORE_VERSION, self.restore_selected)
        self.registry.set_enabled(False, ActionId.RESTORE_VERSION)

    # --- loading -----------------------------------------------------------------------------

    def _dates_changed(self) -> None:
        on = self.use_dates.isChecked()
        self.since.setEnabled(on)
        self.until.setEnabled(on)
        self.refresh()

    def filters(self) -> dict[str, Any]:
        """The filters as store.views.audit_entries takes them."""
        on = self.use_dates.isChecked()
        return {
            "table": self.table.currentData(),
            "username": self.user.currentData(),
            "since": self.since.value() if on else None,
            "until": self.until.value() if on else None,
            "text": self.search.text(),
            "limit": LIMIT,
        }

    def refresh(self) -> None:
        super().refresh()
        filters = self.filters()
        self.load(
            lambda db: (
                audit_entries(db, **filters),
                audit_choices(db),
                roster(db),
                courses(db),
                money_names(db),
            ),
            self._loaded,
            "the audit log",
        )

    def _loaded(
        self,
        data: tuple[
            AuditPage,
            tuple[list[str], list[str]],
            list[Any],
            list[CourseRow],
            dict[str, dict[int, str]],
        ],
    ) -> None:
        found, (tables, users), officers, known_courses, money = data
        OFFICERS.update(officers)
        COURSES.update(known_courses)
        set_money_names(money)
        selected = self.selected_entry()
        self._fill(self.table, [(table_label(t), t) for t in tables])
        self._fill(self.user, [(u, u) for u in users])
        self.model.set_rows(found.rows)
        shown = len(found.rows)
        entries = f"entr{'ies' if found.total != 1 else 'y'}"
        if found.total > shown:
            self.count.setText(f"Showing the newest {shown:,} of {found.total:,} {entries}")
        else:
            self.count.setText(f"{found.total:,} {entries}")
        if selected is None or not self.select_entry(selected.id):
            self._show_entry(QModelIndex())
        self.loaded.emit()

    def _fill(self, combo: Any, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for text, value in sorted(items, key=lambda item: item[0].casefold()):
            combo.addItem(text, value)
        index = combo.findData(current) if current is not None else 0
        if index < 0:
            combo.addItem(str(current), current)  # keep a filter the log no longer lists
            index = combo.count() - 1
        combo.setCurrentIndex(index)
        combo.blockSignals(False)

    # --- selection ---------------------------------------------------------------------------

    def selected_entry(self) -> AuditRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def select_entry(self, entry_id: int) -> bool:
        row = self.model.find_row(lambda r: r.id == entry_id)
        if row >= 0:
            self.view.selectRow(row)
        return row >= 0

    def _show_entry(self, index: QModelIndex) -> None:
        self.registry.set_enabled(index.isValid(), ActionId.RESTORE_VERSION)
        if not index.isValid():
            self.changes.set_rows([])
            self.detail_heading.setText("Select an entry to see the record before and after it.")
            return
        entry: AuditRow = self.model.row(index.row())
        reason = f" — reason: {entry.reason}" if entry.reason else ""
        name = row_name(entry)
        self.detail_heading.setText(
            f"#{entry.id} · {local_time(entry.at)} · {entry.username} · "
            f"{what_text(entry)}{entry.row_id}{f': {name}' if name else ''}{reason}"
        )
        self.changes.set_rows(field_changes(entry))

    def focus_search(self) -> bool:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
        return True

    # --- putting a record back ----------------------------------------------------------------

    def restore_selected(self) -> bool:
        """Put the selected entry's record back as it was before that change, as a new audited
        change; say why not when a rule forbids it."""
        entry = self.selected_entry()
        if entry is None:
            return False
        try:
            plan = plan_restore(self.ctx.db, entry.id)
        except operations.USER_ERRORS as exc:
            prompts.error(self, "Could not restore", str(exc))
            return False
        if not plan.allowed:
            prompts.inform(self, "Not restored", plan.refusal)
            return False
        if not prompts.confirm(
            self, "Restore version", restore_question(plan), ok_text="Restore this version"
        ):
            return False
        try:
            restore_version(self.ctx.db, self.ctx.actor, plan)
        except operations.USER_ERRORS as exc:
            prompts.error(self, "Could not restore", str(exc))
            return False
        newest = chain_head(self.ctx.db)[0]
        self.loaded.connect(
            lambda: self.select_entry(newest), Qt.ConnectionType.SingleShotConnection
        )
        return True

    # --- the chain ---------------------------------------------------------------------------

    def verify(self) -> AuditReport | None:
        """The chain, its anchors, the schema and every row against the log, on a worker."""
        path = self.ctx.db_path
        try:
            report = workers.run_with_progress(
                self,
                "Checking the audit log against the records…",
                workers.with_database(path, lambda db, _c: verify_audit(db, path)),
            )
        except operations.USER_ERRORS as exc:
            prompts.error(self, "Could not check the audit log", str(exc))
            return None
        if report.ok:
            self.chain_result.setStyleSheet(f"color: {style.Colour.OK};")
            self.chain_result.setText(
                f"Chain intact: {report.entries:,} entries; every record is as the log last "
                f"recorded it; {report.anchors_checked:,} anchor(s) extended."
            )
            self.chain_result.setToolTip("")
        else:
            lines = report.lines()
            self.chain_result.setStyleSheet(f"color: {style.Colour.ERROR};")
            self.chain_result.setText(
                f"Changed outside the app ({len(lines):,} finding(s)): {lines[0]}."
            )
            self.chain_result.setToolTip("\n".join(lines))
        return report


class HistoryTab(LoadingTab):
    """Who changed this officer, their training records and leave, when, and what changed."""

    def __init__(self, ctx: AppContext, officer_id: int) -> None:
        super().__init__(ctx, officer_id)
        self.model = HistoryModel(self)
        self.model.sort(HistoryColumn.WHEN, Qt.SortOrder.DescendingOrder)
        self.view = table_view(
            self.model,
            sort=(HistoryColumn.WHEN, Qt.SortOrder.DescendingOrder),
        )
        self.layout_.addWidget(self.view, 1)
        self.start(
            lambda db: (officer_history(db, officer_id), roster(db), courses(db)),
            self.show_history,
        )

    def show_history(self, data: tuple[list[AuditRow], list[Any], list[CourseRow]]) -> None:
        entries, officers, known_courses = data
        # The summaries name officers and courses, as the audit log page does.
        OFFICERS.update(officers)
        COURSES.update(known_courses)
        self.model.set_rows(entries)
        count = len(entries)
        self.summary.setText(
            f"{count} change{'s' if count != 1 else ''} to this officer, their training "
            "records, leave and certificates (newest first)."
            if count
            else "No changes recorded."
        )


def create_page(ctx: AppContext, actions: ActionRegistry) -> Page:
    return AuditLogPage(ctx, actions)
