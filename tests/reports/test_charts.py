"""A chart after a long table: drawn in the room left on the page, or whole on the next."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from deesc_desktop.reports.base.fonts import register_fonts
from deesc_desktop.reports.charts import GREEN, LEGIBLE_ROW, RED, Series, fitted_stacked_bars
from tests.reports.conftest import pdf_text

NAMES = [f"Requirement {n}" for n in range(1, 16)]


def chart_after(room_used: float, path: Path) -> tuple[list[str], float]:
    """A PDF with `room_used` points of the first page taken, then the chart; its pages'
    text and the height the chart was drawn at."""
    register_fonts()
    series = [
        Series("Compliant", [30] * len(NAMES), GREEN),
        Series("Non-compliant", [5] * len(NAMES), RED),
    ]
    doc = SimpleDocTemplate(str(path), pagesize=landscape(letter))
    chart = fitted_stacked_bars(
        NAMES,
        series,
        width=doc.width,
        caption="Compliance by requirement",
        value_title="Officers",
        max_height=doc.height,
    )
    top = Paragraph("The table above the chart", getSampleStyleSheet()["Normal"])
    doc.build([top, Spacer(1, room_used), chart])
    return pdf_text(path), chart.height


def test_the_chart_takes_the_room_left_when_its_bars_still_read(tmp_path: Path) -> None:
    pages, height = chart_after(150, tmp_path / "room.pdf")
    assert len(pages) == 1
    assert "Compliance by requirement" in pages[0] and "Requirement 15" in pages[0]
    full_pages, full_height = chart_after(0, tmp_path / "full.pdf")
    assert len(full_pages) == 1
    assert height < full_height  # thinner bars, to fit under the table


def test_a_chart_that_would_be_cramped_goes_whole_to_the_next_page(tmp_path: Path) -> None:
    # 15 bars need at least 15 legible rows: with 100 points left they go to page 2.
    pages, height = chart_after(400, tmp_path / "cramped.pdf")
    assert len(pages) == 2
    assert "Compliance by requirement" not in pages[0]
    assert "Compliance by requirement" in pages[1] and "Requirement 15" in pages[1]
    assert height > len(NAMES) * LEGIBLE_ROW
