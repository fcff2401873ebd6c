"""At the default window size (1280 x 800) nothing is cut off: the window never grows past it,
every search field shows its whole hint, the dashboard names every requirement, and the lists
people read across show their last column."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QStyle, QTableView

from deesc_desktop.core.rules import short_title
from deesc_desktop.gui.features.dashboard.cards import (
    CHART_FURNITURE,
    ROW_HEIGHT,
    ComplianceChartCard,
    axis_label,
)
from deesc_desktop.gui.features.training_due.page import SHORT_WHEN
from deesc_desktop.gui.mainwindow import MainWindow
from deesc_desktop.gui.pages import PAGES, PageId
from deesc_desktop.gui.screenshots import WINDOW_SIZE
from deesc_desktop.gui.widgets import SearchBox
from deesc_desktop.services.requirements import active_requirements
from tests.gui.helpers import settle


def test_every_page_fits_the_default_window_and_shows_its_whole_search_hint(
    officers: dict[str, int], window: MainWindow
) -> None:
    window.resize(*WINDOW_SIZE)
    for spec in PAGES:
        if spec.id not in window.pages:
            continue
        page = window.show_page(spec.id)
        settle()
        assert window.width() == WINDOW_SIZE[0], f"{spec.id.value} widens the window"
        for search in page.findChildren(SearchBox):
            hint = search.placeholderText()
            assert search.width() > search.fontMetrics().horizontalAdvance(hint), (
                spec.id.value,
                hint,
            )


def test_the_dashboard_chart_names_every_requirement_in_full(
    officers: dict[str, int], window: MainWindow
) -> None:
    window.resize(*WINDOW_SIZE)
    dashboard: Any = window.pages[PageId.DASHBOARD]
    window.show_page(PageId.DASHBOARD)
    settle()
    chart = next(c for c in dashboard.extra_cards if isinstance(c, ComplianceChartCard))
    titles = [r.title for r in active_requirements(window.ctx.db)]
    assert len(chart.categories) == len(titles) >= 13  # the Illinois pack
    shown = {label.replace("<br>", " ") for label in chart.categories}
    assert all("…" not in label for label in shown)
    assert shown <= {t for title in titles for t in (title, short_title(title))}
    assert chart.view.minimumHeight() == ROW_HEIGHT * len(titles) + CHART_FURNITURE
    # Broken between words, never inside "trauma-informed".
    assert axis_label("Sexual assault and trauma-informed response: a class every 3 years") == (
        "Sexual assault and<br>trauma-informed response"
    )


def last_column_fits(view: QTableView, words: list[str]) -> bool:
    """True when the longest of `words` fits in the view's last column where it starts, with
    room kept for the vertical scroll bar a longer list would show (the last column
    stretches to the edge, so its own width says nothing)."""
    header = view.horizontalHeader()
    last = max(c for c in range(header.count()) if not header.isSectionHidden(c))
    bar = view.verticalScrollBar()
    room = view.viewport().width() - (0 if bar.isVisible() else bar.sizeHint().width())
    margin = 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
    widest = max(view.fontMetrics().horizontalAdvance(word) for word in words)
    return header.sectionViewportPosition(last) + widest + margin <= room


def test_the_due_list_and_the_cit_roster_show_their_last_column_whole(
    officers: dict[str, int], window: MainWindow
) -> None:
    window.resize(*WINDOW_SIZE)
    # "When" says how late a requirement is; "CIT team", who counts toward coverage.
    due: Any = window.show_page(PageId.TRAINING_DUE)
    settle()
    assert last_column_fits(due.view, list(SHORT_WHEN.values()))
    cit: Any = window.show_page(PageId.CIT)
    settle()
    assert last_column_fits(cit.roster_view, ["✓ Team member", "Trained only"])
