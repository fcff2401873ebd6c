"""The dashboard: the department at a glance, as cards; the page registry names more cards."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtWidgets import QFrame, QGridLayout, QScrollArea, QWidget

from deesc_desktop.core.hours import format_hours
from deesc_desktop.core.models import Agency
from deesc_desktop.gui import style
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.actions import ActionRegistry
from deesc_desktop.gui.context import EVERYTHING, AppContext
from deesc_desktop.gui.forms import MONTHS, local_time, page_title
from deesc_desktop.gui.pages import dashboard_cards, load
from deesc_desktop.gui.pages.base import Page
from deesc_desktop.gui.widgets import Card, muted
from deesc_desktop.store.counts import DashboardSummary, dashboard_summary

CARD_COLUMNS = 3


BUILT_IN_ORDER = 500
"""The dashboard's own cards come at this order and after: a lower order puts a card first."""


def flow(spans: list[int], columns: int = CARD_COLUMNS) -> list[tuple[int, int]]:
    """(row, column) of each card laid left to right, a card that does not fit starting a row."""
    places = []
    row = column = 0
    for span in spans:
        if column + span > columns:
            row, column = row + 1, 0
        places.append((row, column))
        column += span
    return places


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _bar_lines(counts: list[tuple[str, int]], blank: str) -> list[str]:
    return [
        f"{escape(name or blank)} <span style='color:{style.Colour.MUTED}'>·</span> <b>{count}</b>"
        for name, count in counts
    ]


class DashboardPage(Page):
    """Counts of the roster and recent training, and the last import."""

    watches = EVERYTHING

    def print_page(self) -> bool:
        """The dashboard's figures come from department compliance: print that report."""
        return self.show_report("compliance", as_of=date.today())

    def __init__(
        self, ctx: AppContext, actions: ActionRegistry, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actions, parent)
        self.title = page_title("Dashboard")
        self.layout_.addWidget(self.title)
        self.subtitle = muted("")
        self.layout_.addWidget(self.subtitle)

        self.layout_.addWidget(
            actions.bar(
                ActionId.RECORD_CLASS,
                ActionId.IMPORT_TRAINING,
                ActionId.ADD_OFFICER,
                ActionId.ADD_LEAVE,
            )
        )

        holder = QWidget()
        self.grid = QGridLayout(holder)
        self.grid.setContentsMargins(0, style.SPACING, 0, 0)
        self.grid.setSpacing(style.MARGIN)
        for column in range(CARD_COLUMNS):
            self.grid.setColumnStretch(column, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(holder)
        self.layout_.addWidget(scroll, 1)

        self.officers = Card("Officers")
        self.shifts = Card("By shift")
        self.units = Card("By unit")
        self.training = Card("Training, last 12 months")
        self.last_import = Card("Last import")
        cards = dashboard_cards()
        self.extra_cards = [load(card.factory)(ctx) for card in cards]
        built_in: list[QWidget] = [
            self.training,
            self.officers,
            self.last_import,
            self.shifts,
            self.units,
        ]
        laid: list[tuple[int, QWidget, int]] = [
            (BUILT_IN_ORDER + number, card, 1) for number, card in enumerate(built_in)
        ]
        laid += [
            (spec.order, widget, spec.columns)
            for spec, widget in zip(cards, self.extra_cards, strict=True)
        ]
        laid.sort(key=lambda item: item[0])
        places = flow([span for _order, _card, span in laid])
        for (row, column), (_order, card, span) in zip(places, laid, strict=True):
            self.grid.addWidget(card, row, column, 1, span)
        self.grid.setRowStretch((places[-1][0] if places else 0) + 1, 1)

    def refresh(self) -> None:
        super().refresh()
        self._show_agency(self.ctx.agency())
        self.load(dashboard_summary, self._show, "the dashboard")
        for card in self.extra_cards:
            refresh = getattr(card, "refresh", None)
            if callable(refresh):
                refresh()

    def _show_agency(self, agency: Agency | None) -> None:
        if agency is None:
            return
        self.title.setText(agency.name)
        parts = [f"State: {agency.state}"]
        if agency.ori:
            parts.append(f"ORI {agency.ori}")
        parts.append(f"fiscal year starts in {MONTHS[agency.fiscal_year_start_month - 1]}")
        parts.append(f"database {self.ctx.db_path.name}")
        self.subtitle.setText(" · ".join(parts))

    def _show(self, summary: DashboardSummary) -> None:
        status = summary.by_status
        active, leave = status.get("active", 0), status.get("leave", 0)
        separated = status.get("separated", 0)
        current = active + leave
        self.officers.set_content(
            str(active),
            "active officers",
            [
                f"On leave: <b>{leave}</b>",
                f"Separated (kept on file): <b>{separated}</b>",
                f"Total on file: <b>{sum(status.values())}</b>",
            ],
        )
        self.shifts.set_content(
            str(current),
            f"current officers on {_plural(len(summary.by_shift), 'shift')}",
            _bar_lines(summary.by_shift, "(no shift)"),
        )
        self.units.set_content(
            str(current),
            f"current officers in {_plural(len(summary.by_unit), 'unit')}",
            _bar_lines(summary.by_unit, "(no unit)"),
        )
        self.training.set_content(
            f"{format_hours(summary.hours)} h",
            f"recorded since {summary.since.isoformat()}",
            [
                f"Class records: <b>{summary.records}</b>",
                f"Current officers trained: <b>{summary.officers_trained}</b> of {current}",
                f"Courses on file: <b>{summary.courses}</b>",
            ],
        )
        last = summary.last_import
        if last is None:
            self.last_import.set_content(
                "None yet",
                "Import a roster or a sign-in sheet from File › Import.",
            )
        else:
            self.last_import.set_content(
                last.kind.capitalize(),
                last.file_name,
                [
                    f"{escape(local_time(last.imported_at))} by {escape(last.imported_by)}",
                    f"Added <b>{last.rows_added}</b>, updated <b>{last.rows_updated}</b>, "
                    f"already there <b>{last.rows_unchanged}</b>",
                ],
            )
        self.loaded.emit()


def create_page(ctx: AppContext, actions: ActionRegistry) -> Page:
    return DashboardPage(ctx, actions)
