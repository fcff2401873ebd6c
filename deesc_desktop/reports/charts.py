"""Bar charts drawn with ReportLab's own graphics (vector, searchable text, no images)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from deesc_desktop.reports.base.fonts import FONT, FONT_BOLD
from deesc_desktop.reports.base.styles import INK, MUTED

GREEN = colors.HexColor("#3b8a4f")
AMBER = colors.HexColor("#e0a526")
BLUE = colors.HexColor("#6f93c2")
RED = colors.HexColor("#c0392b")
GREY = colors.HexColor("#c4c4c4")
NAVY = colors.HexColor("#2f4a6d")
TEAL = colors.HexColor("#5aa5a0")

# The thinnest bar row that still reads well: a 10-point bar, its count in 7-point type.
LEGIBLE_ROW = 15.0


@dataclass(frozen=True, slots=True)
class Series:
    """One coloured series of a bar chart."""

    name: str
    values: Sequence[float]
    color: colors.Color


def _clip(text: str, size: float, width: float) -> str:
    """Shorten a label with an ellipsis so it fits `width` (labels must never overlap)."""
    if stringWidth(text, FONT, size) <= width:
        return text
    while text and stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text + "…"


def _nice_step(top: float) -> float:
    """A round axis step giving about five gridlines up to `top`."""
    if top <= 5:
        return 1
    raw = top / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _legend(series: Sequence[Series], x: float, y: float, columns: int) -> Legend:
    legend = Legend()
    legend.colorNamePairs = [(s.color, s.name) for s in series]
    legend.fontName = FONT
    legend.fontSize = 8
    legend.fillColor = INK
    legend.x, legend.y = x, y
    legend.alignment = "right"
    legend.boxAnchor = "nw"
    # Fill across first: one row holds `columns` entries.
    legend.columnMaximum = max(1, math.ceil(len(series) / columns))
    if len(series) <= columns:
        legend.columnMaximum = 1
    legend.deltax = 110
    legend.dx = legend.dy = 7
    legend.dxTextSpace = 4
    legend.strokeWidth = 0
    legend.strokeColor = None
    legend.subCols.minWidth = 90
    return legend


def _caption(drawing: Drawing, text: str, x: float, y: float) -> None:
    # The renderer starts from Helvetica unless told otherwise, and would declare it.
    drawing.initialFontName = FONT
    drawing.add(String(x, y, text, fontName=FONT_BOLD, fontSize=9, fillColor=INK))


def stacked_bars(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    width: float,
    caption: str,
    value_title: str,
    max_height: float | None = None,
) -> Drawing:
    """Horizontal stacked bars, one per category (top to bottom in the given order).

    Each segment carries its count when it is wide enough to hold it. With `max_height`, bars
    get thinner (down to 6 points) so that many categories still fit on one page.
    """
    label_size = 8
    label_room = min(width * 0.32, max(stringWidth(c, FONT, label_size) for c in categories) + 8)
    bottom = _stacked_bottom(series)
    bar_height, gap = 16.0, 8.0
    rows = max(1, len(categories))
    if max_height is not None and rows * (bar_height + gap) + bottom + 26 > max_height:
        room = max(max_height - bottom - 26, rows * 9.0)
        bar_height = max(6.0, room / rows * 2 / 3)
        gap = max(3.0, room / rows - bar_height)
    plot_height = rows * (bar_height + gap)
    height = plot_height + bottom + 26
    drawing = Drawing(width, height)
    _caption(drawing, caption, 0, height - 11)
    chart = HorizontalBarChart()
    chart.x = label_room
    chart.y = bottom
    chart.width = width - label_room - 12
    chart.height = plot_height
    chart.data = [list(s.values) for s in series]
    chart.categoryAxis.categoryNames = [_clip(c, label_size, label_room - 8) for c in categories]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = label_size
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = MUTED
    chart.barWidth = bar_height
    chart.groupSpacing = gap
    top = max([sum(values) for values in zip(*chart.data, strict=True)] or [1]) or 1
    step = _nice_step(top)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = math.ceil(top / step) * step
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.labelTextFormat = lambda v: f"{v:g}"
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    chart.valueAxis.strokeColor = MUTED
    scale = chart.width / chart.valueAxis.valueMax
    minimum = stringWidth("000", FONT, 7) + 2

    def label(value: float) -> str:
        return f"{value:g}" if value and value * scale >= minimum else ""

    chart.barLabelFormat = label
    chart.barLabels.fontName = FONT_BOLD
    chart.barLabels.fontSize = min(7.0, bar_height - 1)
    chart.barLabels.fillColor = colors.white
    chart.barLabels.boxAnchor = "c"
    chart.barLabels.boxTarget = "mid"
    for index, item in enumerate(series):
        chart.bars[index].fillColor = item.color
        chart.bars[index].strokeColor = colors.white
        chart.bars[index].strokeWidth = 0.5
    drawing.add(chart)
    drawing.add(
        String(
            label_room + chart.width / 2,
            bottom - 22,
            value_title,
            fontName=FONT,
            fontSize=7.5,
            fillColor=MUTED,
            textAnchor="middle",
        )
    )
    drawing.add(_legend(series, label_room, bottom - 30, 5))
    return drawing


def _stacked_bottom(series: Sequence[Series]) -> float:
    """The room under a stacked bar chart's plot: the value axis, its title and the legend."""
    return 28 + math.ceil(len(series) / 5) * 13


class FittedChart(Flowable):
    """A stacked bar chart drawn in the room left on its page when its bars still read well
    there (thinner, down to LEGIBLE_ROW a row), else at full height on the next page.

    Kept whole, a tall chart after a long table went to a page of its own and left the
    table's last few rows alone on the page before it.
    """

    def __init__(self, make: Callable[[float], Drawing], least: float, most: float):
        super().__init__()
        self.make = make
        self.least = least
        self.most = most
        self.drawing: Drawing | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        room = min(avail_height, self.most) if avail_height >= self.least else self.most
        self.drawing = self.make(room)
        self.width, self.height = self.drawing.width, self.drawing.height
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []  # never in two parts: on the next page, whole

    def draw(self) -> None:
        assert self.drawing is not None, "wrap() comes before draw()"
        self.drawing.drawOn(self.canv, 0, 0)


def fitted_stacked_bars(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    width: float,
    caption: str,
    value_title: str,
    max_height: float,
) -> FittedChart:
    """stacked_bars() fitted to the room left on the page (FittedChart)."""

    def make(room: float) -> Drawing:
        return stacked_bars(
            categories,
            series,
            width=width,
            caption=caption,
            value_title=value_title,
            max_height=room,
        )

    least = len(categories) * LEGIBLE_ROW + _stacked_bottom(series) + 26
    return FittedChart(make, least, max_height)


def grouped_bars(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    width: float,
    height: float,
    caption: str,
    value_title: str,
    value_max: float | None = None,
    value_format: str = "%g",
) -> Drawing:
    """Vertical bars side by side for each category, each bar with its value on top."""
    drawing = Drawing(width, height)
    _caption(drawing, caption, 0, height - 11)
    legend_rows = math.ceil(len(series) / 4)
    bottom = 30 + legend_rows * 13
    chart = VerticalBarChart()
    chart.x = 40
    chart.y = bottom
    chart.width = width - 52
    chart.height = height - bottom - 34
    chart.data = [list(s.values) for s in series]
    slot = chart.width / max(1, len(categories))
    chart.categoryAxis.categoryNames = [_clip(c, 8, slot - 4) for c in categories]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.categoryAxis.labels.dy = -3
    chart.categoryAxis.strokeColor = MUTED
    top = value_max or max([max(s.values, default=0) for s in series] or [1]) or 1
    step = _nice_step(top)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = value_max or math.ceil(top * 1.1 / step) * step
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.labelTextFormat = lambda v: f"{v:g}"
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    chart.valueAxis.strokeColor = MUTED
    chart.barWidth = 14
    chart.groupSpacing = 14
    chart.barSpacing = 2
    chart.barLabelFormat = value_format
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    chart.barLabels.fillColor = INK
    for index, item in enumerate(series):
        chart.bars[index].fillColor = item.color
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    drawing.add(
        String(
            10,
            bottom + chart.height / 2,
            value_title,
            fontName=FONT,
            fontSize=7.5,
            fillColor=MUTED,
            textAnchor="middle",
        )
    )
    # The axis title reads upwards beside the value axis.
    title = drawing.contents[-1]
    drawing.contents[-1] = _rotated(title, 10, bottom + chart.height / 2)
    drawing.add(_legend(series, 40, bottom - 22, 4))
    return drawing


def _rotated(shape: String, x: float, y: float) -> object:
    from reportlab.graphics.shapes import Group

    shape.x, shape.y = 0, 0
    group = Group(shape)
    group.transform = (0, 1, -1, 0, x, y)
    return group
