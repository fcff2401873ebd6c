"""Page furniture: headers, the footer with the audit log head, "Page X of Y"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from deesc_desktop import __version__
from deesc_desktop.reports.base.fonts import FONT, FONT_BOLD
from deesc_desktop.reports.base.styles import ALERT, INK, MUTED, RULE

CONFIDENTIAL = "CONFIDENTIAL - personnel records"


AUDIT_HEAD_DIGITS = 16
"""Hex digits of the audit log's head a footer prints: enough to anchor, short enough to copy."""


PAGES = "{pages}"
"""Where a PageCountText puts "page 1" or "pages 1 to N"."""


def pages_words(total: int | str) -> str:
    return "page 1" if total == 1 else f"pages 1 to {total}"


class PageCountText(Flowable):
    """Plain words that name the report's page count, which is known only once the last page
    is laid out: wrapped now (the count measured as four digits), drawn by the numbering
    canvas at the end. On any other canvas the count prints as "?"."""

    def __init__(self, template: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.template = template
        self.style = style
        self.lines: list[str] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        font, size = self.style.fontName, self.style.fontSize
        space = pdfmetrics.stringWidth(" ", font, size)
        self.lines, line, used = [], "", 0.0
        for word in self.template.split():
            # Kept on one line, as wide as it can be with up to four digits.
            shown = word.replace(PAGES, "pages 1 to 8888")
            width = pdfmetrics.stringWidth(shown, font, size)
            if line and used + space + width > availWidth:
                self.lines.append(line)
                line, used = word, width
            else:
                line, used = (
                    (f"{line} {word}" if line else word),
                    used + (space if line else 0) + width,
                )
        if line:
            self.lines.append(line)
        self.width = availWidth
        self.height = self.style.leading * len(self.lines) + self.style.spaceAfter
        return availWidth, self.height

    def draw(self) -> None:
        canvas = self.canv
        style = self.style
        top = self.height - style.spaceAfter - style.fontSize
        lines = list(self.lines)

        def draw(target: Canvas, pages: int | str, x: float, y: float) -> None:
            target.saveState()
            target.setFillColor(style.textColor)
            target.setFont(style.fontName, style.fontSize)
            for number, line in enumerate(lines):
                words = line.replace(PAGES, pages_words(pages))
                target.drawString(x, y - number * style.leading, words)
            target.restoreState()

        later = getattr(canvas, "when_counted", None)
        if later is None:
            draw(canvas, "?", 0, top)
        else:
            # The page is drawn again at the end, untranslated: remember where this was.
            x, y = canvas.absolutePosition(0, top)
            later(lambda target, pages: draw(target, pages, x, y))


@dataclass(frozen=True, slots=True)
class PageText:
    """The words on every page: header lines and footer lines."""

    agency: str
    title: str
    period: str
    generated: str
    confidential: bool
    ori: str = ""
    audit: str = ""
    """The audit log's head, e.g. "Audit log: 1,424 entries, head 3f9a51c0…07c2"."""
    footer: bool = True


class _FixedTimeStamp:
    """Stands in for reportlab's TimeStamp so CreationDate is the generation time we chose."""

    def __init__(self, when: datetime) -> None:
        self.t = 946684800.0  # what invariant mode uses for the document ID seed
        self.YMDhms = (when.year, when.month, when.day, when.hour, when.minute, when.second)
        self.dhh = 0
        self.dmm = 0
        self.tzname = "UTC"


def numbered_canvas(
    text: PageText, fixed: datetime | None, done: Callable[[int], None] = lambda _: None
) -> type[Canvas]:
    """A canvas class that holds pages back until the end, to print "Page X of Y" on each.

    `fixed` stamps the PDF's creation date; `done` is told the page count when it is known.
    """

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self._when_counted: dict[int, list[Callable[[Canvas, int], None]]] = {}
            if fixed is not None and hasattr(self._doc, "_timeStamp"):
                self._doc._timeStamp = _FixedTimeStamp(fixed)

        def when_counted(self, draw: Callable[[Canvas, int], None]) -> None:
            """Have `draw(canvas, pages)` run on this page once the page count is known."""
            self._when_counted.setdefault(len(self._pages), []).append(draw)

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                for draw in self._when_counted.get(number - 1, ()):
                    draw(self, total)
                if text.footer:
                    draw_footer(self, text, number, total)
                Canvas.showPage(self)
            Canvas.save(self)
            done(total)

    return NumberedCanvas


def _fit(canvas: Canvas, words: str, font: str, size: float, width: float) -> float:
    """The largest size up to `size` at which `words` fit in `width` (at least 7 points)."""
    actual = pdfmetrics.stringWidth(words, font, size)
    if actual <= width:
        return size
    return max(7.0, size * width / actual)


def draw_footer(canvas: Canvas, text: PageText, number: int, total: int) -> None:
    """Rule, generation time and version, the confidential marking, "Page X of Y"."""
    width, _ = canvas._pagesize
    left, right, y = MARGIN, width - MARGIN, 0.45 * inch
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(left, y + 11, right, y + 11)
    canvas.setFillColor(MUTED)
    canvas.setFont(FONT, 7.5)
    generated = f"Generated {text.generated} by deesc-desktop {__version__}"
    canvas.drawString(left, y, generated)
    if text.audit:
        # Small type: it is there to be checked against the log, not read.
        canvas.setFont(FONT, 6.5)
        room_left = left + pdfmetrics.stringWidth(generated, FONT, 7.5) + 12
        room_right = right - 70
        middle = (room_left + room_right) / 2
        size = _fit(canvas, text.audit, FONT, 6.5, room_right - room_left)
        canvas.setFont(FONT, size)
        canvas.drawCentredString(middle, y, text.audit)
    if text.confidential:
        # A line of its own: on a portrait page it would run into the generation time.
        canvas.setFillColor(ALERT)
        canvas.setFont(FONT_BOLD, 7.5)
        canvas.drawCentredString(width / 2, y - 11, CONFIDENTIAL)
    canvas.setFillColor(INK)
    canvas.setFont(FONT_BOLD, 8)
    canvas.drawRightString(right, y, f"Page {number} of {total}")
    canvas.restoreState()


MARGIN = 0.6 * inch
HEADER_TOP = 0.5 * inch
"""Distance from the top edge of the page to the baseline of the first header line."""
FIRST_HEADER = HEADER_TOP + 44 + 16
"""Top of the body on page 1: below the title block and its rule."""
LATER_HEADER = 0.45 * inch + 6 + 16
"""Top of the body on later pages: below the one-line header and its rule."""
FOOTER = 0.45 * inch + 18


def draw_first_header(canvas: Canvas, text: PageText) -> None:
    """Agency, report title and period large at the top of page 1."""
    width, height = canvas._pagesize
    left, right = MARGIN, width - MARGIN
    top = height - HEADER_TOP
    canvas.saveState()
    canvas.setFillColor(INK)
    confidential = text.confidential
    room = right - left - (2.4 * inch if confidential else 0)
    if confidential and pdfmetrics.stringWidth(text.agency, FONT_BOLD, 7) > room:
        # A long name takes the whole line; every footer still says confidential.
        confidential, room = False, right - left
    if pdfmetrics.stringWidth(text.agency, FONT_BOLD, 8) <= room:
        agency, size = fitted(text.agency, FONT_BOLD, 10.5, room)
        canvas.setFont(FONT_BOLD, size)
        canvas.drawString(left, top, agency)
    else:
        # Two lines, the first in the top margin: every word of the name stays on paper.
        for offset, line in zip(
            (8.5, 0.0), two_lines(text.agency, FONT_BOLD, 8, room), strict=True
        ):
            words, size = fitted(line, FONT_BOLD, 8, room)
            canvas.setFont(FONT_BOLD, size)
            canvas.drawString(left, top + offset, words)
    title, size = fitted(text.title, FONT_BOLD, 17, right - left, smallest=9)
    canvas.setFont(FONT_BOLD, size)
    canvas.drawString(left, top - 21, title)
    canvas.setFont(FONT, 9.5)
    canvas.setFillColor(MUTED)
    canvas.drawString(left, top - 36, text.period)
    if text.ori:
        canvas.drawRightString(right, top - 36, f"ORI {text.ori}")
    if confidential:
        canvas.setFillColor(ALERT)
        canvas.setFont(FONT_BOLD, 9)
        canvas.drawRightString(right, top, CONFIDENTIAL)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.8)
    canvas.line(left, top - 44, right, top - 44)
    canvas.restoreState()


LATER_SECOND_LINE = 9
"""How much lower the body of later pages starts when their header takes two lines."""


def later_header_lines(text: PageText, page_width: float) -> int:
    """1 when agency, title and period share one line at 7 points or more, else 2."""
    room = page_width - 2 * MARGIN - pdfmetrics.stringWidth(text.period, FONT, 8) - 12
    words = f"{text.agency}  ·  {text.title}"
    return 1 if pdfmetrics.stringWidth(words, FONT_BOLD, 7) <= room else 2


def fitted(
    words: str, font: str, size: float, width: float, smallest: float = 6.0
) -> tuple[str, float]:
    """`words` at the largest size up to `size` that fits `width`, down to `smallest`; below
    that, cut short with an ellipsis (a name of hundreds of letters)."""
    actual = pdfmetrics.stringWidth(words, font, size)
    if actual <= width:
        return words, size
    size = max(smallest, size * width / actual)
    while words and pdfmetrics.stringWidth(words, font, size) > width:
        words = words[:-2].rstrip() + "…"
    return words, size


def two_lines(words: str, font: str, size: float, width: float) -> tuple[str, str]:
    """`words` cut at the last space that leaves the first line within `width`."""
    parts = words.split()
    first: list[str] = []
    while parts and pdfmetrics.stringWidth(" ".join([*first, parts[0]]), font, size) <= width:
        first.append(parts.pop(0))
    if not first:
        first.append(parts.pop(0))
    return " ".join(first), " ".join(parts)


def draw_later_header(canvas: Canvas, text: PageText) -> None:
    """Every later page names the agency and the report (a transcript: the officer) at left
    and the date or period at right: on one line, or two when they do not fit on one."""
    width, height = canvas._pagesize
    left, right = MARGIN, width - MARGIN
    top = height - 0.45 * inch
    canvas.saveState()
    canvas.setFillColor(MUTED)
    # The confidential marking is on every page's footer; here it would crowd the period.
    period_width = pdfmetrics.stringWidth(text.period, FONT, 8)
    room = right - left - period_width - 12
    rule = top - 6
    if later_header_lines(text, width) == 1:
        words = f"{text.agency}  ·  {text.title}"
        canvas.setFont(FONT_BOLD, _fit(canvas, words, FONT_BOLD, 8, room))
        canvas.drawString(left, top, words)
        canvas.setFont(FONT, 8)
        canvas.drawRightString(right, top, text.period)
    else:
        agency, size = fitted(text.agency, FONT_BOLD, 8, right - left)
        canvas.setFont(FONT_BOLD, size)
        canvas.drawString(left, top, agency)
        second = top - LATER_SECOND_LINE
        title, size = fitted(text.title, FONT_BOLD, 8, room)
        canvas.setFont(FONT_BOLD, size)
        canvas.drawString(left, second, title)
        canvas.setFont(FONT, 8)
        canvas.drawRightString(right, second, text.period)
        rule = second - 6
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(left, rule, right, rule)
    canvas.restoreState()
