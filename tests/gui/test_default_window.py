"""At the default window size (1280 x 800) nothing is cut off: the window never grows past it,
every search field shows its whole hint, and the dashboard names every requirement."""

from __future__ import annotations

from typing import Any

from deesc_desktop.core.rules import short_title
from deesc_desktop.gui.features.dashboard.cards import (
    CHART_FURNITURE,
    ROW_HEIGHT,
    ComplianceChartCard,
    axis_label,
)
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
