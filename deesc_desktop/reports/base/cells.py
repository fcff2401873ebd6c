"""Table cells: short text drawn as plain strings or a wrapping Paragraph; a cell's height."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeAlias
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph

from deesc_desktop.reports.base.fonts import FONT, FONT_BOLD
from deesc_desktop.reports.base.styles import (
    CELL_BOTTOM,
    CELL_LEADING,
    CELL_SIZE,
    CELL_TOP,
    INK,
    TEXT_CELL_STYLE,
    hex_colour,
    para,
)


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a TextCell: its words, bold or not, and a colour other than the ink."""

    text: str
    bold: bool = False
    colour: colors.Color | None = None


class TextCell:
    """Short text for a PagedTable cell, in the cell font: one or more lines, each bold and
    coloured as asked.

    A Paragraph per cell costs a markup parse and a line-breaking pass each time it is laid
    out. A PagedTable, which knows the column's width, draws a TextCell whose every line fits
    as plain strings (bold and colour set by per-cell style commands) and turns only one that
    would overflow into the Paragraph it stands for, which wraps: the page reads the same.
    """

    __slots__ = ("lines",)

    def __init__(self, *lines: Line | str | None) -> None:
        self.lines = tuple(
            line if isinstance(line, Line) else Line("" if line is None else str(line))
            for line in lines
        )

    def fits(self, width: float) -> bool:
        """True if every line is one Paragraph line of its own in `width` points."""
        for line in self.lines:
            text = line.text
            # A Paragraph folds runs of white space and trims the ends; a plain string would
            # not, and an empty Paragraph is no line high, unlike an empty string.
            if not text or " ".join(text.split()) != text:
                return False
            font = FONT_BOLD if line.bold else FONT
            # A point to spare: when it is that close, the Paragraph decides.
            if pdfmetrics.stringWidth(text, font, CELL_SIZE) > width - 1:
                return False
        return True

    def stacked(self) -> StackedLines | None:
        """The lines as the Paragraph draws them, each wrapped on its own (see StackedLines),
        or None when a line is blank or has white space a Paragraph would fold."""
        if not all(line.text and " ".join(line.text.split()) == line.text for line in self.lines):
            return None
        return StackedLines(
            [para(line.text, _line_style(line)) for line in self.lines],
            self.paragraph,
            FONT_BOLD if any(line.bold for line in self.lines) else FONT,
        )

    def paragraph(self) -> Paragraph:
        """The Paragraph this cell stands for (used when a line does not fit its column)."""
        parts = []
        for line in self.lines:
            words = escape(line.text)
            if line.bold:
                words = f"<b>{words}</b>"
            if line.colour is not None:
                words = f'<font color="{hex_colour(line.colour)}">{words}</font>'
            parts.append(words)
        return Paragraph("<br/>".join(parts), TEXT_CELL_STYLE)

    def __repr__(self) -> str:
        return f"TextCell{self.lines!r}"


_LINE_STYLES: dict[tuple[bool, str], ParagraphStyle] = {}


def _line_style(line: Line) -> ParagraphStyle:
    """The style a line's bold and colour markup gives it in a TextCell's Paragraph."""
    colour = "" if line.colour is None else hex_colour(line.colour)
    found = _LINE_STYLES.get((line.bold, colour))
    if found is None:
        found = _LINE_STYLES[line.bold, colour] = ParagraphStyle(
            f"text_cell_{line.bold:d}_{colour}",
            TEXT_CELL_STYLE,
            fontName=FONT_BOLD if line.bold else FONT,
            textColor=line.colour or INK,
        )
    return found


class StackedLines(Flowable):
    """Lines of a cell, each a Paragraph of its own, one under the other: drawn where one
    Paragraph with a line break between them draws them, the same lines broken the same way.

    A Paragraph of one style without markup breaks its lines on ReportLab's fast path; line
    breaks, bold or colours in the markup send it down the general one, two to three times
    slower for the same words (the reasons of a compliance report are most of its time).
    `paragraph` makes that one Paragraph, which a PagedTable prints instead when a word is
    too wide for the column (whole_words then shrinks its type); `font` is the face
    whole_words measures its words in (bold for every line when one is bold).
    """

    def __init__(
        self, paragraphs: Sequence[Paragraph], paragraph: Callable[[], Paragraph], font: str
    ) -> None:
        super().__init__()
        self.paragraphs = paragraphs
        self.paragraph = paragraph
        self.font = font
        self.wrapped_at = -1.0

    def words_fit(self, width: float) -> bool:
        """Whether whole_words would leave the one Paragraph as it is at `width`: every word
        of its plain text fits, in `font`. (That text runs the lines together, so the last
        word of a line and the first of the next are measured as one word.)"""
        size = self.paragraphs[0].style.fontSize
        text = "".join(paragraph.getPlainText() for paragraph in self.paragraphs)
        return all(_word_width(word, self.font, size) <= width for word in text.split())

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # A Table asks again at the same width when it draws: the lines are already broken.
        if availWidth != self.wrapped_at:
            self.height = sum(p.wrap(availWidth, availHeight)[1] for p in self.paragraphs)
            self.width = self.wrapped_at = availWidth
        return self.width, self.height

    def draw(self) -> None:
        y = self.height
        for paragraph in self.paragraphs:
            y -= paragraph.height
            paragraph.drawOn(self.canv, 0, y)


Cell: TypeAlias = str | Flowable | TextCell
"""A table cell: short text that never wraps (dates, numbers), a Paragraph, or a TextCell
(short text that a PagedTable draws as plain strings when it fits, else as a Paragraph;
other tables always print it as the Paragraph)."""


class TextLines(Flowable):
    """A fitting TextCell whose lines differ in face or colour, drawn where its Paragraph
    would draw them (first baseline one font size below the top, then one leading apart)."""

    def __init__(self, lines: Sequence[Line]) -> None:
        super().__init__()
        self.lines = lines
        self.height = CELL_LEADING * len(lines)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, self.height

    def draw(self) -> None:
        canvas = self.canv
        y = self.height - CELL_SIZE
        for line in self.lines:
            canvas.setFillColor(line.colour or INK)
            canvas.setFont(FONT_BOLD if line.bold else FONT, CELL_SIZE, CELL_LEADING)
            canvas.drawString(0, y, line.text)
            y -= CELL_LEADING


SMALLEST_TYPE = 5.5
"""A cell's text may shrink to this size so that its longest word fits its column."""


@lru_cache(maxsize=16384)
def _word_width(word: str, font: str, size: float) -> float:
    # The same few thousand words recur on every page of a long report, and a TrueType
    # font's width is summed glyph by glyph in Python.
    return float(pdfmetrics.stringWidth(word, font, size))


def whole_words(paragraph: Paragraph, width: float) -> Paragraph:
    """`paragraph`, or the same words smaller when one of them is wider than `width`:
    ReportLab would otherwise cut the word in two ("Oppenheimer-S / chwarzenberg"), and a
    cell must break between words only. Below SMALLEST_TYPE it is cut after all."""
    style = paragraph.style
    font = FONT_BOLD if "<b>" in paragraph.text else style.fontName
    size = style.fontSize
    widest = max(
        (_word_width(w, font, size) for w in paragraph.getPlainText().split()), default=0.0
    )
    if widest <= width:
        return paragraph
    size = max(SMALLEST_TYPE, size * width / widest)
    smaller = ParagraphStyle(
        f"{style.name}_{size:.2f}",
        style,
        fontSize=size,
        leading=style.leading * size / style.fontSize,
    )
    return Paragraph(paragraph.text, smaller)


def cell_height(value: Any, inner_width: float) -> float:
    """A cell's content height as reportlab's Table measures it under table_style (padding
    not included): lines of text times the leading, or the wrapped flowables."""
    if isinstance(value, Flowable):
        value = (value,)
    if isinstance(value, (list, tuple)):
        # Table._listCellGeom's sum, term for term, so the result is the same to the bit.
        aH = 72000 - CELL_TOP - CELL_BOTTOM
        total = 0.0
        first_before = None
        after = 0.0
        for item in value:
            height = item.wrapOn(None, inner_width, aH)[1]
            before = item.getSpaceBefore()
            after = item.getSpaceAfter()
            total += height + after + before
            if first_before is None:
                first_before = before
        return total - first_before - after if first_before is not None else 0.0
    text = "" if value is None else str(value)
    return CELL_LEADING * len(text.split("\n"))
