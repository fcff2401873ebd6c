"""The training-due page: who needs what in the next 30, 60 or 90 days, by shift or unit, and
the deficiency notices to hand out."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from deesc_desktop.core.names import name_key
from deesc_desktop.core.rules import short_title
from deesc_desktop.gui import style
from deesc_desktop.gui.actions import ActionRegistry
from deesc_desktop.gui.context import (
    AGENCY,
    CERTIFICATIONS,
    EXEMPTIONS,
    OFFICERS,
    REQUIREMENTS,
    TRAINING,
    AppContext,
)
from deesc_desktop.gui.forms import DateField, page_title
from deesc_desktop.gui.models import Column, RowFilterProxy, RowsModel, natural_key, words_predicate
from deesc_desktop.gui.pages.base import Page
from deesc_desktop.gui.widgets import SearchBox, filtered_table, muted
from deesc_desktop.services.training_due import (
    BUCKET_LABELS,
    HORIZONS,
    OVERDUE,
    DueItem,
    TrainingDue,
    training_due,
)

BUCKET_ORDER = {bucket: index for index, bucket in enumerate(BUCKET_LABELS)}
SHORT_WHEN = {OVERDUE: "Not met", "30": "≤ 30 days", "60": "31-60 days", "90": "61-90 days"}
"""The When column's words, short enough for the default window (the tooltip says why).
"Not met" rather than "Overdue": a requirement whose last period was missed is not met even
while its next due date is ahead."""


class DueColumn:
    SHIFT = 0
    UNIT = 1
    BADGE = 2
    OFFICER = 3
    REQUIREMENT = 4
    NEEDS = 5
    DUE = 6
    WHEN = 7


GROUP_COLUMNS = {"shift": DueColumn.SHIFT, "unit": DueColumn.UNIT}


class DueModel(RowsModel):
    """One row per officer and requirement due."""

    COLUMNS = (
        Column(
            "Shift",
            lambda r: r.shift,
            lambda r: (r.shift.casefold(), BUCKET_ORDER[r.bucket], r.due_date or date.min),
            width=9,
        ),
        Column(
            "Unit",
            lambda r: r.unit,
            lambda r: (r.unit.casefold(), BUCKET_ORDER[r.bucket], r.due_date or date.min),
            width=13,
        ),
        Column("Badge", lambda r: r.officer.badge, lambda r: natural_key(r.officer.badge), width=6),
        Column(
            "Officer",
            lambda r: r.officer.display_name,
            lambda r: name_key(r.officer.last_name, r.officer.first_name),
            width=18,
        ),
        Column(
            "Requirement",
            lambda r: short_title(r.requirement_title),
            tip="The requirement not yet met",
            width=20,
        ),
        Column("Needs", lambda r: r.needs, tip="What it takes to meet it", width=33),
        Column("Due", lambda r: r.due_date.isoformat() if r.due_date else "", width=10),
        Column(
            "When",
            lambda r: SHORT_WHEN[r.bucket],
            lambda r: (BUCKET_ORDER[r.bucket], r.due_date or date.min),
            width=10,
        ),
    )

    def tooltip(self, row: DueItem, column: int) -> str | None:
        if column == DueColumn.REQUIREMENT:
            return f"{row.requirement_title} ({row.requirement_id})"
        if column == DueColumn.WHEN:
            return f"{BUCKET_LABELS[row.bucket]}. {row.explanation}"
        if column == DueColumn.NEEDS:
            return row.needs
        return None

    def foreground(self, row: DueItem, column: int) -> QColor | None:
        if column == DueColumn.WHEN and row.bucket == OVERDUE:
            return QColor(style.Colour.ERROR)
        return None


def due_haystack(row: DueItem) -> str:
    o = row.officer
    words = (
        o.badge,
        o.last_name,
        o.first_name,
        row.requirement_title,
        row.requirement_id,
        row.unit,
        row.shift,
    )
    return " ".join(words).casefold()


class TrainingDuePage(Page):
    """Overdue and upcoming requirements by shift or unit, with notices to print."""

    watches = frozenset({AGENCY, OFFICERS, TRAINING, REQUIREMENTS, EXEMPTIONS, CERTIFICATIONS})

    def __init__(
        self, ctx: AppContext, actions: ActionRegistry, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actions, parent)
        self.data: TrainingDue | None = None
        heading = QHBoxLayout()
        heading.addWidget(page_title("Training due"))
        heading.addStretch(1)
        heading.addWidget(QLabel("Look ahead:"))
        self.horizon = QComboBox()
        for days in HORIZONS:
            self.horizon.addItem(f"{days} days", days)
        self.horizon.setCurrentIndex(len(HORIZONS) - 1)
        heading.addWidget(self.horizon)
        heading.addWidget(QLabel("Group by:"))
        self.group = QComboBox()
        self.group.addItem("Shift", "shift")
        self.group.addItem("Unit", "unit")
        heading.addWidget(self.group)
        heading.addWidget(QLabel("As of:"))
        self.as_of = DateField(date.today())
        heading.addWidget(self.as_of)
        self.layout_.addLayout(heading)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.layout_.addWidget(self.summary)

        bar = QHBoxLayout()
        self.notice_button = QPushButton(style.icon("print"), "Deficiency notice…")
        self.notice_button.setToolTip("A one-page notice for the selected officer, to hand over")
        self.notices_button = QPushButton(style.icon("print"), "Notices for everyone…")
        self.notices_button.setToolTip("One notice per officer on this list")
        self.print_button = QPushButton(style.icon("print"), "Print list…")
        self.print_button.setToolTip("The training-due report for this look-ahead (Ctrl+P)")
        for button in (self.print_button, self.notice_button, self.notices_button):
            bar.addWidget(button)
        bar.addStretch(1)
        self.search = SearchBox("Search badge or name (Ctrl+F)")
        self.search.setToolTip("Badge, name, requirement, unit or shift")
        self.search.setMinimumWidth(240)
        bar.addWidget(self.search)
        self.layout_.addLayout(bar)

        self.model = DueModel(self)
        self.proxy = RowFilterProxy(self)
        self.view = filtered_table(
            self.model, self.proxy, sort=(DueColumn.SHIFT, Qt.SortOrder.AscendingOrder)
        )
        self.layout_.addWidget(self.view, 1)
        self.layout_.addWidget(
            muted(
                "Overdue or not met, then what falls due within the look-ahead, for every "
                "officer serving on the day. Needs is what it takes to meet the requirement."
            )
        )
        self.horizon.currentIndexChanged.connect(lambda _i: self.refresh())
        self.as_of.changed.connect(self.refresh)
        self.group.currentIndexChanged.connect(lambda _i: self._regroup())
        self.search.search.connect(
            lambda text: self.proxy.set_predicate(words_predicate(text, due_haystack))
        )
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.print_button.clicked.connect(self.print_list)
        self.notice_button.clicked.connect(self.print_notice)
        self.notices_button.clicked.connect(lambda: self._to_reports("notice", {}))
        self._update_buttons()

    def navigate(self, **options: Any) -> None:
        """`days`: show what falls due within that many days (one of HORIZONS)."""
        found = self.horizon.findData(options.get("days"))
        if found >= 0:
            self.horizon.setCurrentIndex(found)

    def days(self) -> int:
        return int(self.horizon.currentData())

    def refresh(self) -> None:
        super().refresh()
        as_of, days = self.as_of.value() or date.today(), self.days()
        self.summary.setText("Working out who needs what…")
        self.load(lambda db: training_due(db, as_of, days), self._loaded, "training due")

    def _loaded(self, data: TrainingDue) -> None:
        self.data = data
        self.model.set_rows(data.items)
        officers = len(data.by_officer())
        self.summary.setText(
            f"<b>{officers}</b> of {data.officers} serving officers have "
            f"<b>{len(data.items)}</b> requirements overdue or due by "
            f"{data.until.isoformat()}."
        )
        self._update_buttons()
        self.loaded.emit()

    def _regroup(self) -> None:
        column = GROUP_COLUMNS[str(self.group.currentData())]
        self.view.sortByColumn(column, Qt.SortOrder.AscendingOrder)

    def selected(self) -> DueItem | None:
        rows = self.view.selectionModel().selectedRows()
        return self.proxy.row(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.notice_button.setEnabled(chosen)
        self.notice_button.setToolTip(
            "A one-page notice for the selected officer, to hand over"
            if chosen
            else "Select an officer in the list first"
        )
        self.notices_button.setEnabled(bool(self.data and self.data.items))

    def _to_reports(self, kind: str, values: dict[str, Any]) -> None:
        values = {"as_of": self.as_of.value() or date.today(), "days": self.days(), **values}
        self.ctx.nav.show("reports", report=kind, values=values, generate=True)

    def print_list(self) -> None:
        self._to_reports("due", {})

    def print_page(self) -> bool:
        self.print_list()
        return True

    def print_notice(self) -> None:
        item = self.selected()
        if item is not None:
            self._to_reports("notice", {"badge": item.officer.badge})


def create_page(ctx: AppContext, actions: ActionRegistry) -> Page:
    return TrainingDuePage(ctx, actions)
