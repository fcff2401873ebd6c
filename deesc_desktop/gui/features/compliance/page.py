"""The compliance page: every officer against every requirement in force, with the reasons."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from deesc_desktop.core.compliance import NEEDS_ATTENTION, RequirementResult, Status, hours_text
from deesc_desktop.core.hours import format_hours
from deesc_desktop.core.roster import current_values_note
from deesc_desktop.gui import prompts, style, workers
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.actions import ActionRegistry
from deesc_desktop.gui.context import COMPLIANCE_INPUTS, AppContext
from deesc_desktop.gui.features.compliance.models import (
    FIRST_REQUIREMENT,
    OFFICER,
    OVERALL,
    ComplianceMatrixModel,
    SubMinimumModel,
    compliance_haystack,
    status_text,
    status_tone,
    window_text,
)
from deesc_desktop.gui.forms import DateField
from deesc_desktop.gui.models import RowFilterProxy, all_of, words_predicate
from deesc_desktop.gui.operations import USER_ERRORS, ask_export_path
from deesc_desktop.gui.pages.base import Page
from deesc_desktop.gui.widgets import (
    SearchBox,
    fill_value_combo,
    filter_combo,
    muted,
    table_view,
)
from deesc_desktop.services.compliance import OfficerCompliance, department_compliance, summarise
from deesc_desktop.services.export import write_table
from deesc_desktop.services.requirements import PackCoverage, pack_coverage

ATTENTION = "attention"
"""Status filter value: non-compliant or due soon."""

Predicate = Callable[[OfficerCompliance], bool]


def status_test(status: str | None, column: int, model: ComplianceMatrixModel) -> Predicate | None:
    """Rows whose status in `column` (Overall or a requirement) matches the filter value."""
    if status is None:
        return None
    wanted = NEEDS_ATTENTION if status == ATTENTION else frozenset({Status(status)})
    if column == OVERALL:
        return lambda row: row.worst in wanted
    requirements = model.requirements
    number = column - FIRST_REQUIREMENT
    requirement_id = requirements[number][0] if 0 <= number < len(requirements) else ""

    def matches(row: OfficerCompliance) -> bool:
        found = next((r for r in row.results if r.requirement_id == requirement_id), None)
        return found is not None and found.status in wanted

    return matches


def export_rows(
    rows: list[OfficerCompliance], requirements: list[tuple[str, str]]
) -> tuple[list[str], list[list[str]]]:
    """The matrix as a spreadsheet: words only, a status and its numbers per requirement."""
    headers = ["badge", "officer", "unit", "shift", "overall"]
    for _rid, title in requirements:
        headers += [title, f"{title} (detail)"]
    table = []
    for row in rows:
        line = [
            row.officer.badge,
            row.officer.display_name,
            row.officer.unit,
            row.officer.shift,
            row.worst.label,
        ]
        by_id = {r.requirement_id: r for r in row.results}
        for requirement_id, _title in requirements:
            result = by_id.get(requirement_id)
            if result is None:
                line += ["", ""]
                continue
            detail = [hours_text(result), result.reason]
            line += [result.status.label, "; ".join(d for d in detail if d)]
        table.append(line)
    return headers, table


class DetailPanel(QFrame):
    """The clicked cell, explained: the engine's paragraph, the window, the sub-minimums."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)
        self.heading = QLabel()
        self.heading.setObjectName("detailHeading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.explanation)
        columns = QHBoxLayout()
        self.facts = QFormLayout()
        self.facts.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.facts.setHorizontalSpacing(12)
        self.facts.setVerticalSpacing(2)
        facts_box = QWidget()
        facts_box.setLayout(self.facts)
        columns.addWidget(facts_box, 2)
        self.sub_minimums = SubMinimumModel(self)
        self.sub_view = table_view(self.sub_minimums, sortable=False, stretch=0)
        columns.addWidget(self.sub_view, 3)
        layout.addLayout(columns, 1)
        self.clear()

    def clear(
        self, text: str = "Click a cell of the table to see how its status was worked out."
    ) -> None:
        self.heading.setText(escape(text))
        self.explanation.clear()
        self.explanation.hide()
        self._facts([])
        self.sub_minimums.set_rows([])
        self.sub_view.hide()

    def _facts(self, rows: list[tuple[str, str]]) -> None:
        while self.facts.rowCount():
            self.facts.removeRow(0)
        for label, value in rows:
            text = QLabel(value)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts.addRow(f"{label}:", text)

    def show_result(self, row: OfficerCompliance, result: RequirementResult) -> None:
        tone = status_tone(result.status)
        self.heading.setText(
            f"{escape(row.officer.display_name)} (badge {escape(row.officer.badge)}) — "
            f"{escape(result.requirement_title)}: "
            + style.coloured(escape(status_text(result.status)), tone.text, bold=True)
        )
        # What is still needed reads as a list, one shortfall per line.
        self.explanation.setText("\n".join(result.explanation_lines))
        self.explanation.show()
        facts = []
        if window_text(result):
            facts.append(((result.period_noun or "period").capitalize(), window_text(result)))
        if result.due_date:
            facts.append(("Due", result.due_date.isoformat()))
        if hours_text(result):
            facts.append(("Hours", hours_text(result)))
        if result.shortfall:
            facts.append(("Short", f"{format_hours(result.shortfall)} h"))
        if result.previous_window:
            noun = result.period_noun or "period"
            facts.append(
                (f"Previous {noun}", "met" if result.previous_window == "met" else "unmet")
            )
        facts.append(("As of", result.as_of.isoformat()))
        self._facts(facts)
        self.sub_minimums.set_rows(list(result.sub_minimums))
        self.sub_view.setVisible(bool(result.sub_minimums))
        if result.sub_minimums:
            # Every sub-minimum in view: the panel grows rather than hiding one behind a scroll.
            rows = min(len(result.sub_minimums), 6)
            self.sub_view.setFixedHeight(
                self.sub_view.horizontalHeader().sizeHint().height()
                + rows * self.sub_view.verticalHeader().defaultSectionSize()
                + 4
            )

    def show_overall(self, row: OfficerCompliance) -> None:
        tone = status_tone(row.worst)
        self.heading.setText(
            f"{escape(row.officer.display_name)} (badge {escape(row.officer.badge)}) — overall: "
            + style.coloured(escape(status_text(row.worst)), tone.text, bold=True)
        )
        self.explanation.setText(
            "Overall is the status that most needs attention among the requirements below. "
            "Click a requirement's cell for its explanation."
        )
        self.explanation.show()
        self._facts([(r.requirement_title, _summary(r)) for r in row.results])
        self.sub_minimums.set_rows([])
        self.sub_view.hide()


def _summary(result: RequirementResult) -> str:
    return f"{result.status.label} · {result.reason}"


class CompliancePage(Page):
    """The matrix, its filters and the explanation of the clicked cell."""

    watches = COMPLIANCE_INPUTS

    def __init__(
        self, ctx: AppContext, actions: ActionRegistry, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actions, parent)
        self.count = self.add_heading("Compliance")
        self.coverage = muted("")
        self.coverage.setWordWrap(True)
        self.coverage.hide()
        self.layout_.addWidget(self.coverage)

        top = QHBoxLayout()
        self.search = SearchBox("Search badge or name (Ctrl+F)")
        top.addWidget(self.search, 3)
        top.addSpacing(8)
        top.addWidget(QLabel("As of:"))
        self.as_of = DateField(date.today())
        self.as_of.setToolTip("Work out compliance as it stood (or will stand) on this date")
        top.addWidget(self.as_of)
        today = QPushButton("Today")
        today.clicked.connect(lambda: self.as_of.set_value(date.today()))
        top.addWidget(today)
        top.addStretch(1)
        top.addWidget(actions.bar(ActionId.EXPORT_COMPLIANCE))
        self.layout_.addLayout(top)

        filters = QHBoxLayout()
        self.status = filter_combo("Show officers with this status", 18)
        self.status.addItem("Everyone", None)
        self.status.addItem("Needs attention (non-compliant or due soon)", ATTENTION)
        for value in (
            Status.NON_COMPLIANT,
            Status.DUE_SOON,
            Status.IN_PROGRESS,
            Status.COMPLIANT,
            Status.EXEMPT,
            Status.NOT_APPLICABLE,
        ):
            self.status.addItem(style.dot_icon(status_tone(value).bar), value.label, value)
        self.requirement = filter_combo("Which status the filter looks at", 14)
        self.shift = filter_combo("Show one shift", 10)
        self.unit = filter_combo("Show one unit", 10)
        for label, combo, stretch in (
            ("Show:", self.status, 3),
            ("in:", self.requirement, 3),
            ("Shift:", self.shift, 1),
            ("Unit:", self.unit, 1),
        ):
            filters.addSpacing(6)
            filters.addWidget(QLabel(label))
            filters.addWidget(combo, stretch)
        self.layout_.addLayout(filters)

        self.working = QLabel()
        self.working.setObjectName("working")
        self.working.hide()
        self.layout_.addWidget(self.working)

        self.model = ComplianceMatrixModel(self)
        self.model.sort(OFFICER)
        self.proxy = RowFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = table_view(
            self.proxy,
            widths={0: 5, 1: 18, 2: 11, 3: 8, 4: 14},
            sort=(OFFICER, Qt.SortOrder.AscendingOrder),
        )
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.horizontalHeader().setStretchLastSection(False)
        self.view.horizontalHeader().setDefaultSectionSize(150)
        self.detail = DetailPanel()
        # A long explanation scrolls instead of squeezing the facts under it.
        detail_scroll = QScrollArea()
        detail_scroll.setWidgetResizable(True)
        detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        detail_scroll.setWidget(self.detail)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(detail_scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        self.layout_.addWidget(splitter, 1)

        self.search.search.connect(lambda _text: self.apply_filter())
        for combo in (self.status, self.requirement, self.shift, self.unit):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.as_of.changed.connect(self.refresh)
        self.view.selectionModel().currentChanged.connect(
            lambda current, _previous: self.show_cell(current)
        )
        actions.connect(ActionId.EXPORT_COMPLIANCE, self.export)
        self._fill_requirements()

    # --- loading ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        super().refresh()
        as_of = self.as_of.value() or date.today()
        self.working.setText(f"Working out compliance as of {as_of.isoformat()}…")
        self.working.show()
        self.load(
            lambda db: (department_compliance(db, as_of), pack_coverage(db, as_of), as_of),
            self._loaded,
            "compliance",
        )

    def _loaded(self, loaded: tuple[list[OfficerCompliance], PackCoverage | None, date]) -> None:
        rows, coverage, as_of = loaded
        kept = self.selected_cell()
        self.working.hide()
        self._show_coverage(coverage, as_of)
        self.model.set_matrix(rows)
        self._fill_requirements()
        fill_value_combo(self.shift, "All shifts", "(no shift)", [r.officer.shift for r in rows])
        fill_value_combo(self.unit, "All units", "(no unit)", [r.officer.unit for r in rows])
        self.apply_filter()
        self._size_requirement_columns()
        if kept is not None:
            self.select_cell(*kept)
        else:
            self.detail.clear()
        self.loaded.emit()

    def _show_coverage(self, coverage: PackCoverage | None, as_of: date) -> None:
        """What the state's rules check (and, on a date none applies, why nothing is shown);
        for an earlier day, what is shown as it is today, as the printed report says."""
        lines = [coverage.line, coverage.gap, *coverage.policies] if coverage else []
        lines.append(current_values_note(as_of))
        text = "\n".join(filter(None, lines))
        self.coverage.setText(text)
        pack = coverage.pack if coverage else None
        self.coverage.setToolTip(
            f"Checks {' '.join(pack.checks.split())}" if pack and pack.checks else text
        )
        self.coverage.setVisible(bool(text))

    def _size_requirement_columns(self) -> None:
        header = self.view.horizontalHeader()
        bold = style.heading_font(self.view.font(), self.view.font().pointSize())
        metrics = QFontMetrics(bold)
        for column in range(FIRST_REQUIREMENT, self.model.columnCount()):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            # Wide enough for the wrapped title and most of a reason ("short 6 h of ...");
            # the tooltip has the whole of both.
            wanted = max(metrics.horizontalAdvance(line) for line in title.splitlines()) + 24
            header.resizeSection(column, max(230, min(wanted, 300)))

    def _fill_requirements(self) -> None:
        current = self.requirement.currentData() if self.requirement.count() else OVERALL
        current_id = (
            self.model.requirements[current - FIRST_REQUIREMENT][0]
            if isinstance(current, int)
            and current >= FIRST_REQUIREMENT
            and current - FIRST_REQUIREMENT < len(self.model.requirements)
            else None
        )
        self.requirement.blockSignals(True)
        self.requirement.clear()
        self.requirement.addItem("Overall", OVERALL)
        for number, (requirement_id, title) in enumerate(self.model.requirements):
            self.requirement.addItem(title, FIRST_REQUIREMENT + number)
            self.requirement.setItemData(
                self.requirement.count() - 1, requirement_id, Qt.ItemDataRole.ToolTipRole
            )
        index = 0
        if current_id is not None:
            column = self.model.requirement_column(current_id)
            index = max(self.requirement.findData(column), 0)
        self.requirement.setCurrentIndex(index)
        self.requirement.blockSignals(False)

    # --- filtering --------------------------------------------------------------------------------

    def predicate(self) -> Predicate | None:
        tests: list[Predicate] = []
        words = words_predicate(self.search.text(), compliance_haystack)
        if words is not None:
            tests.append(words)
        status = status_test(
            self.status.currentData(), self.requirement.currentData() or OVERALL, self.model
        )
        if status is not None:
            tests.append(status)
        shift = self.shift.currentData()
        if shift is not None:
            tests.append(lambda r: r.officer.shift == shift)
        unit = self.unit.currentData()
        if unit is not None:
            tests.append(lambda r: r.officer.unit == unit)
        return all_of(tests)

    def apply_filter(self) -> None:
        self.proxy.set_predicate(self.predicate())
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        counts = summarise([self.proxy.row(r) for r in range(shown)])
        worst = counts.overall
        self.count.setText(
            f"Showing {shown} of {total} officers · {worst[Status.NON_COMPLIANT]} non-compliant"
            f" · {worst[Status.DUE_SOON]} due soon · {counts.needing_attention} need attention"
        )

    def navigate(self, **options: Any) -> None:
        """Show one status (a Status value or "attention"), optionally on one requirement."""
        requirement = options.get("requirement")
        if requirement is not None:
            self.requirement.setCurrentIndex(
                max(self.requirement.findData(self.model.requirement_column(requirement)), 0)
            )
        elif "status" in options:
            self.requirement.setCurrentIndex(0)
        if "status" in options:
            value = options["status"]
            self.status.setCurrentIndex(max(self.status.findData(value), 0))

    def print_page(self) -> bool:
        """The department compliance report for the date shown."""
        return self.show_report("compliance", as_of=self.as_of.value() or date.today())

    def focus_search(self) -> bool:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
        return True

    # --- the clicked cell -------------------------------------------------------------------------

    def selected_cell(self) -> tuple[int, int] | None:
        """(officer id, column) of the current cell."""
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return self.proxy.row(index.row()).officer.id, index.column()

    def select_cell(self, officer_id: int, column: int) -> bool:
        for proxy_row in range(self.proxy.rowCount()):
            if self.proxy.row(proxy_row).officer.id == officer_id:
                index = self.proxy.index(proxy_row, min(column, self.proxy.columnCount() - 1))
                self.view.setCurrentIndex(index)
                self.view.scrollTo(index)
                return True
        return False

    def selected_officer_id(self) -> int | None:
        cell = self.selected_cell()
        return cell[0] if cell else None

    def show_cell(self, index: QModelIndex) -> None:
        if not index.isValid():
            self.detail.clear()
            return
        row = self.proxy.row(index.row())
        column = index.column()
        result = self.model.result(row, column)
        if result is not None:
            self.detail.show_result(row, result)
        else:
            self.detail.show_overall(row)

    # --- export -----------------------------------------------------------------------------------

    def export(self) -> Path | None:
        """Save the matrix with the page's filters, worked out afresh as of the page's date."""
        target = ask_export_path(self, self.ctx, "compliance")
        if target is None:
            return None
        as_of = self.as_of.value() or date.today()
        predicate = self.predicate()
        model = self.model

        def write(db: Database, _control: workers.TaskControl) -> int:
            rows = department_compliance(db, as_of)
            shown = [r for r in rows if predicate is None or predicate(r)]
            requirements = list(
                dict.fromkeys(
                    (r.requirement_id, r.requirement_title) for o in rows for r in o.results
                )
            )
            headers, table = export_rows(shown, requirements or model.requirements)
            return write_table(target, headers, table)

        try:
            count = workers.run_with_progress(
                self, "Exporting compliance…", workers.with_database(self.ctx.db_path, write)
            )
        except USER_ERRORS as exc:
            prompts.error(self, "Export failed", str(exc))
            return None
        prompts.inform(self, "Export done", f"Wrote {count} officers to\n{target}")
        return target


def create_page(ctx: AppContext, actions: ActionRegistry) -> Page:
    return CompliancePage(ctx, actions)
