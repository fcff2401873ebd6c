"""What every page of the main window is: a widget that loads its data and reloads on change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTableView, QVBoxLayout, QWidget
from sqlite_utils import Database

from deesc_desktop.gui import prompts, style, workers
from deesc_desktop.gui.actions import ActionRegistry
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.forms import page_title
from deesc_desktop.gui.printing import print_table
from deesc_desktop.gui.widgets import muted


class Page(QWidget):
    """A page of the main window.

    Subclasses set `watches` (the names of context.py whose change makes the page reload)
    and implement `refresh()`. The main window refreshes the visible page at once when
    something it watches changes, and a hidden page when it is next shown.
    """

    watches: ClassVar[frozenset[str]] = frozenset()
    loaded = Signal()
    """Emitted when data loaded on a worker has been shown."""

    def __init__(
        self, ctx: AppContext, actions: ActionRegistry, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.registry = actions
        self.stale = True
        self._generation = 0
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(style.MARGIN, style.MARGIN, style.MARGIN, style.MARGIN)
        self.layout_.setSpacing(style.SPACING)

    def add_heading(self, title: str) -> QLabel:
        """Put the page's title at the top with a one-line summary at its right; return the
        summary's label (empty until the page fills it)."""
        heading = QHBoxLayout()
        heading.addWidget(page_title(title))
        heading.addStretch(1)
        summary = muted("")
        summary.setWordWrap(False)
        heading.addWidget(summary)
        self.layout_.addLayout(heading)
        return summary

    def refresh(self) -> None:
        """Load (again) what the page shows."""
        self.stale = False

    def load(
        self, query: Callable[[Database], Any], on_result: Callable[[Any], None], what: str
    ) -> None:
        """Run a read query on a worker; only the latest load's result is shown."""
        self._generation += 1
        generation = self._generation

        def deliver(result: Any) -> None:
            if generation == self._generation:
                on_result(result)

        workers.run_query(
            self.ctx.db_path,
            query,
            owner=self,
            on_result=deliver,
            on_error=lambda exc: prompts.error(self, f"Could not read {what}", str(exc)),
        )

    def activated(self) -> None:
        """The page was just shown."""
        if self.stale:
            self.refresh()

    def navigate(self, **options: Any) -> None:
        """Set the page up as another page or a dashboard card asked (e.g. a status filter)."""

    def print_title(self) -> str:
        """The page's title, as printed above its table."""
        title = self.findChild(QLabel, "pageTitle")
        return title.text() if isinstance(title, QLabel) else self.windowTitle()

    def print_page(self) -> bool:
        """Print what the page shows (File > Print, Ctrl+P): by default the table in view,
        filtered and sorted as it is; pages with a report of their own print that instead."""
        tables = [view for view in self.findChildren(QTableView) if view.isVisible()]
        if not tables:
            prompts.inform(self, "Nothing to print", "This page has no list to print.")
            return False
        agency = self.ctx.agency()
        lines = [agency.name if agency else "", f"As of {date.today().isoformat()}"]
        return print_table(self, tables[0], self.print_title(), lines)

    def show_report(self, kind: str, **values: Any) -> bool:
        """Open the Reports page on report `kind` with these fields, generated to preview,
        print or save: how a page prints its own report."""
        self.ctx.nav.show("reports", report=kind, values=values, generate=True)
        return True

    def focus_search(self) -> bool:
        """Put the cursor in the page's search box; False when it has none."""
        return False

    def selected_officer_id(self) -> int | None:
        """The officer the user has selected on this page, if any (for Add leave)."""
        return None
