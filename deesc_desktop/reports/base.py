"""What every printed report shares: page, fonts, styles, header and footer, paged tables."""

from __future__ import annotations

import functools
import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeAlias, TypeVar
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from sqlite_utils import Database

from deesc_desktop import __version__
from deesc_desktop.core.models import Agency
from deesc_desktop.core.roster import current_values_note
from deesc_desktop.core.times import moment_text
from deesc_desktop.paths import resource
from deesc_desktop.services.errors import ServiceError, ValidationError
from deesc_desktop.services.signers import Signer, signer_for
from deesc_desktop.store.agency import get_agency
from deesc_desktop.store.audit import chain_head

if TYPE_CHECKING:
    from deesc_desktop.services.export import ColumnKind

# --- fonts ----------------------------------------------------------------------------------

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"

_font_lock = threading.Lock()
_fonts_registered = False


def register_fonts() -> None:
    """Register the shipped DejaVu Sans faces as one family (safe to call from any thread).

    The PDF base fonts only cover Latin-1, so names such as Nguyễn or Łukasz need an embedded
    TrueType font.
    """
    global _fonts_registered
    with _font_lock:
        if _fonts_registered:
            return
        for name in (FONT, FONT_BOLD, FONT_ITALIC):
            pdfmetrics.registerFont(TTFont(name, str(resource("fonts", f"{name}.ttf"))))
        # No bold-oblique face is shipped; bold reads better than a synthetic slant.
        pdfmetrics.registerFontFamily(
            FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD
        )
        _fonts_registered = True


@functools.cache
def _printable() -> frozenset[int]:
    """The characters the report font has a glyph for."""
    face = TTFont("coverage", str(resource("fonts", f"{FONT}.ttf"))).face
    return frozenset(face.charToGlyph)


def unprintable(text: str) -> str:
    """The characters of `text` the reports' font cannot draw (they would print as boxes).

    DejaVu Sans covers Latin, Greek, Cyrillic, Arabic, Hebrew and more, not Chinese, Japanese
    or Korean. A font that does (Noto Sans CJK) would add about 16 MB to every installer, and
    a system font differs from PC to PC, so the import warns instead (services.imports).
    """
    glyphs = _printable()
    missing = dict.fromkeys(c for c in text if not c.isspace() and ord(c) not in glyphs)
    return "".join(missing)


# --- parameters -----------------------------------------------------------------------------

GRANT_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ledta": ("LEDTA de-escalation training report", ("ledta",)),
    "cops": ("COPS de-escalation grant report", ("cops_deescalation",)),
    "jag": ("Byrne JAG de-escalation training report", ("byrne_jag",)),
}
"""Grant program -> (report title, funding source kinds whose money the report shows)."""


@dataclass(frozen=True, slots=True)
class ReportParams:
    """Everything a report may be asked for; each report reads only the fields it lists.

    Dates left out default sensibly per report (the as-of date to the generation date, a
    period to the fiscal year to date); see REPORTS for which report reads which field.
    """

    as_of: date | None = None
    start: date | None = None
    end: date | None = None
    badge: str | None = None
    record_id: int | None = None
    include_names: bool = True
    confidential: bool = False
    grant: str = "ledta"
    signer: str | None = None
    signer_title: str | None = None
    prepared_by: str | None = None
    """Who is printing the report (the signed-in user), for the "Prepared by" line."""
    batch: str | None = None
    days: int = 90
    """How far ahead the training-due list and notices look: 30, 60 or 90 days."""


PARAM_LABELS: dict[str, str] = {
    "as_of": "As of date",
    "start": "From date",
    "end": "To date",
    "badge": "Officer badge",
    "record_id": "Training record number",
    "include_names": "Print officers' names",
    "confidential": 'Mark "CONFIDENTIAL - personnel records"',
    "grant": "Grant program (ledta, cops, jag)",
    "signer": "Signed by (name)",
    "signer_title": "Signer's title",
    "batch": "Payment batch",
    "days": "Look ahead",
}
"""Labels for the report form a GUI builds from a report's parameter names."""


def check_period(start: date | None, end: date | None) -> None:
    """Refuse a period that ends before it starts."""
    if start and end and end < start:
        raise ValidationError(
            {"end": f"the period ends ({end.isoformat()}) before it starts ({start.isoformat()})"}
        )


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: date) -> str:
    """'November 22, 2026', as headings and sentences print dates for US readers."""
    # Not strftime("%B"): that follows the process locale, and the reports are in English.
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def sentence_case(words: str) -> str:
    """'All training through November 22, 2026' as the middle of a sentence: the first letter
    lowered, month names and names left as written (not str.lower())."""
    return words[:1].lower() + words[1:]


def iso(day: date | None) -> str:
    """ISO date for table cells, "" for none."""
    return day.isoformat() if day else ""


def fiscal_year_start(day: date, first_month: int) -> date:
    """The first day of the fiscal year (starting in `first_month`) that contains `day`."""
    year = day.year if day.month >= first_month else day.year - 1
    return date(year, first_month, 1)


# --- styles ---------------------------------------------------------------------------------

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9a9a9a")
GRID = colors.HexColor("#b8b8b8")
HEAD_FILL = colors.HexColor("#e4e8ee")
ZEBRA = colors.HexColor("#f5f6f8")
ALERT = colors.HexColor("#a01818")
WARN = colors.HexColor("#8a5a00")
CONFIDENTIAL = "CONFIDENTIAL - personnel records"

AUDIT_HEAD_DIGITS = 16
"""Hex digits of the audit log's head a footer prints: enough to anchor, short enough to copy."""


def hex_colour(colour: colors.Color) -> str:
    """'#a01818', as Paragraph markup writes a colour."""
    return "#" + colour.hexval()[2:]


class Styles:
    """The named paragraph styles of every report (one set per renderer: they are mutable)."""

    def __init__(self) -> None:
        base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, textColor=INK)
        self.body = base
        self.small = ParagraphStyle("small", base, fontSize=8, leading=10)
        self.note = ParagraphStyle(
            "note",
            base,
            fontName=FONT_ITALIC,
            fontSize=8,
            leading=10,
            textColor=MUTED,
            spaceAfter=3,
        )
        self.h1 = ParagraphStyle(
            "h1",
            base,
            fontName=FONT_BOLD,
            fontSize=12,
            leading=15,
            spaceBefore=12,
            spaceAfter=5,
            keepWithNext=1,
        )
        self.h2 = ParagraphStyle(
            "h2",
            base,
            fontName=FONT_BOLD,
            fontSize=10,
            leading=13,
            spaceBefore=8,
            spaceAfter=3,
            keepWithNext=1,
        )
        self.cell = ParagraphStyle("cell", base, fontSize=8, leading=9.8)
        # An id such as IL-crisis-intervention-annual breaks after a hyphen, not mid-word.
        self.cell_id = ParagraphStyle("cell_id", self.cell, embeddedHyphenation=1)
        self.cell_bold = ParagraphStyle("cell_bold", self.cell, fontName=FONT_BOLD)
        self.cell_small = ParagraphStyle("cell_small", self.cell, fontSize=7.2, leading=8.8)
        self.cell_head = ParagraphStyle("cell_head", self.cell, fontName=FONT_BOLD)
        self.empty = ParagraphStyle(
            "empty", base, fontName=FONT_ITALIC, textColor=MUTED, spaceBefore=2, spaceAfter=6
        )


def para(text: object, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of plain text: anything from the database is escaped, never markup."""
    return Paragraph(escape("" if text is None else str(text)), style)


def markup(template: str, style: ParagraphStyle, **values: object) -> Paragraph:
    """A Paragraph from our own markup, with each `{name}` filled by an escaped value."""
    safe = {key: escape("" if value is None else str(value)) for key, value in values.items()}
    return Paragraph(template.format(**safe), style)


# --- tables ---------------------------------------------------------------------------------

CELL_PADDING = 3
CELL_SIZE = 8
CELL_LEADING = 9.8
CELL_TOP = 2
CELL_BOTTOM = 2.5
"""Every table cell's font size, leading and vertical padding (table_style sets them): a
PagedTable works its rows' heights out from them instead of asking reportlab."""


HEAD_STYLES = {
    how: ParagraphStyle(
        f"head_{how}",
        fontName=FONT_BOLD,
        fontSize=8,
        leading=9.8,
        textColor=INK,
        alignment={"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER}[how],
    )
    for how in ("left", "right", "center")
}
CONTINUED_STYLE = ParagraphStyle(
    "continued", fontName=FONT_ITALIC, fontSize=8, leading=10, textColor=MUTED, spaceAfter=3
)
TEXT_CELL_STYLE = ParagraphStyle(
    "text_cell", fontName=FONT, fontSize=CELL_SIZE, leading=CELL_LEADING, textColor=INK
)
"""The Paragraph style of a TextCell that wraps: the same as Styles().cell."""


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


Cell: TypeAlias = str | Flowable | TextCell
"""A table cell: short text that never wraps (dates, numbers), a Paragraph, or a TextCell
(short text that a PagedTable draws as plain strings when it fits, else as a Paragraph;
other tables always print it as the Paragraph)."""


class _Lines(Flowable):
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


PAGES = "{pages}"
"""Where a PageCountText puts "page 1" or "pages 1 to N"."""


def pages_words(total: int | str) -> str:
    return "page 1" if total == 1 else f"pages 1 to {total}"


OWN_SLOT = "*"
"""In Renderer.signers: the report's own kind."""


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


def header_cells(headers: Sequence[Cell], align: Sequence[str]) -> list[Cell]:
    """Column titles as Paragraphs, so a long title wraps instead of running into the next."""
    return [
        Paragraph(escape(h), HEAD_STYLES[how]) if isinstance(h, str) else h
        for h, how in zip(headers, align, strict=True)
    ]


def _check_widths(widths: Sequence[float]) -> None:
    if abs(sum(widths) - 1.0) > 0.001:
        raise ValueError(f"column fractions add up to {sum(widths)}, not 1")


def layout_style(commands: Sequence[tuple[Any, ...]]) -> TableStyle:
    """A TableStyle in our font: even an empty cell sets a font, and the default Helvetica
    would otherwise be declared on the page."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands])


def table_style(align: Sequence[str], *, total_row: bool = False) -> TableStyle:
    """Grid, a shaded header row that repeats on each page, light zebra rows."""
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
        ("LEADING", (0, 0), (-1, -1), CELL_LEADING),
        ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_TOP),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_BOTTOM),
    ]
    for column, how in enumerate(align):
        if how == "right":
            commands.append(("ALIGN", (column, 0), (column, -1), "RIGHT"))
        elif how == "center":
            commands.append(("ALIGN", (column, 0), (column, -1), "CENTER"))
    if total_row:
        commands += [
            ("FONTNAME", (0, -1), (-1, -1), FONT_BOLD),
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, RULE),
            ("BACKGROUND", (0, -1), (-1, -1), HEAD_FILL),
        ]
    return TableStyle(commands)


class _Wrapped(Flowable):
    """A Paragraph cell that a PagedTable has measured: the Table, drawing it, asks for its
    size again at the same width, and breaking its lines a second time is most of the cost
    of a long one (an explanation), for the same lines."""

    def __init__(self, paragraph: Paragraph, width: float, size: tuple[float, float]) -> None:
        super().__init__()
        self.paragraph = paragraph
        self.wrapped_at = width
        self.size = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if availWidth != self.wrapped_at:
            self.size = self.paragraph.wrap(availWidth, availHeight)
            self.wrapped_at = availWidth
        return self.size

    def getSpaceBefore(self) -> float:
        return float(self.paragraph.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.paragraph.getSpaceAfter())

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        self.paragraph.drawOn(canvas, x, y, _sW)


SMALLEST_TYPE = 5.5
"""A cell's text may shrink to this size so that its longest word fits its column."""


def whole_words(paragraph: Paragraph, width: float) -> Paragraph:
    """`paragraph`, or the same words smaller when one of them is wider than `width`:
    ReportLab would otherwise cut the word in two ("Oppenheimer-S / chwarzenberg"), and a
    cell must break between words only. Below SMALLEST_TYPE it is cut after all."""
    style = paragraph.style
    font = FONT_BOLD if "<b>" in paragraph.text else style.fontName
    widest = max(
        (pdfmetrics.stringWidth(w, font, style.fontSize) for w in paragraph.getPlainText().split()),
        default=0.0,
    )
    if widest <= width:
        return paragraph
    size = max(SMALLEST_TYPE, style.fontSize * width / widest)
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


@dataclass(slots=True)
class _Row:
    """A row ready for a Table: its cells, its per-cell style commands, its height."""

    cells: list[Any]
    styles: list[tuple[str, int, Any]]
    """(command, column, value) for this row's cells, e.g. ("TEXTCOLOR", 3, ALERT)."""
    height: float


class _Laid:
    """What a PagedTable and its continuations share: rows made and measured once, kept
    until their page takes them, at the width they were measured for."""

    __slots__ = ("header", "rows", "total", "width")

    def __init__(self) -> None:
        self.width = -1.0
        self.header: _Row | None = None
        self.total: _Row | None = None
        self.rows: dict[int, _Row] = {}


class PagedTable(Flowable):
    """A long table laid out a page at a time, so time grows linearly with its rows.

    One platypus Table of thousands of rows is re-measured every time it is split, which
    makes a long report quadratic. This flowable instead measures each row once, in order,
    takes as many as fit the space, and hands platypus a Table of exactly those rows with
    their heights given (so it measures nothing again), keeping the rest for the next page:
    every page gets the header row once, at its top. It also keeps its heading (`title`)
    with the first rows, keeps a short table (up to `keep_whole` rows) on one page, and
    prints `empty` in words instead of an empty table.

    With `make`, `rows` are plain items and make(item) gives a row's cells when its page is
    laid out: a long report then never holds every row's Paragraphs at once, which keeps
    Python's garbage collector from slowing the whole run down.
    """

    def __init__(
        self,
        headers: Sequence[Cell],
        rows: Sequence[Any],
        widths: Sequence[float],
        *,
        align: Sequence[str] = (),
        title: Sequence[Flowable] = (),
        empty: Flowable | None = None,
        total: Sequence[Cell] | None = None,
        caption: str = "",
        share: float = 1.0,
        keep_whole: int = 10,
        first_rows: int = 3,
        continued: bool = False,
        make: Callable[[Any], Sequence[Cell]] | None = None,
    ) -> None:
        super().__init__()
        _check_widths(widths)
        self.widths = list(widths)
        self.align = list(align) or ["left"] * len(self.widths)
        self.headers = header_cells(headers, self.align)
        self.rows = rows
        self.make = make
        first = title[0] if title else None
        self.caption = caption or (first.getPlainText() if isinstance(first, Paragraph) else "")
        self.title = list(title)
        self.empty = empty
        self.total = list(total) if total is not None else None
        self.share = share
        self.keep_whole = keep_whole
        self.first_rows = first_rows
        self.continued = continued
        self.start = 0
        """Rows before this index went on earlier pages (the list is shared, never copied)."""
        self._laid = _Laid()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # Always too tall: platypus then calls split(), which hands back ordinary flowables.
        return availWidth, 0xFFFFFF

    def _column_widths(self, width: float) -> list[float]:
        return [fraction * width * self.share for fraction in self.widths]

    def _prepare(self, cells: Sequence[Cell], widths: Sequence[float]) -> _Row:
        """Cells as a Table takes them (each TextCell as strings or a Paragraph), with the
        row's height as the Table would measure it."""
        out: list[Any] = []
        styles: list[tuple[str, int, Any]] = []
        tallest = 0.0
        for column, (value, width) in enumerate(zip(cells, widths, strict=True)):
            inner = width - CELL_PADDING - CELL_PADDING  # as Table subtracts them
            if isinstance(value, TextCell):
                lines = value.lines
                # A Paragraph sits left in its box whatever the column's alignment; a
                # string would follow the alignment, so only left columns take strings.
                if self.align[column] != "left" or not value.fits(inner):
                    value = value.paragraph()
                elif all(
                    line.bold == lines[0].bold and line.colour == lines[0].colour for line in lines
                ):
                    value = "\n".join(line.text for line in lines)
                    if lines[0].bold:
                        styles.append(("FONTNAME", column, FONT_BOLD))
                    if lines[0].colour is not None:
                        styles.append(("TEXTCOLOR", column, lines[0].colour))
                else:
                    value = _Lines(lines)
            if type(value) is Paragraph:
                value = whole_words(value, inner)
            height = cell_height(value, inner) + (CELL_BOTTOM + CELL_TOP)
            if type(value) is Paragraph:
                measured: Paragraph = value
                value = _Wrapped(measured, inner, (measured.width, measured.height))
            if height > tallest:
                tallest = height
            out.append(value)
        return _Row(out, styles, tallest)

    def _laid_out(self, width: float) -> _Laid:
        """The shared rows, emptied first if they were measured for another width."""
        laid = self._laid
        if laid.width != width:
            widths = self._column_widths(width)
            laid.width = width
            laid.rows.clear()
            laid.header = self._prepare(self.headers, widths)
            laid.total = self._prepare(self.total, widths) if self.total is not None else None
        return laid

    def _row(self, laid: _Laid, index: int) -> _Row:
        row = laid.rows.get(index)
        if row is None:
            item = self.rows[index]
            cells = self.make(item) if self.make else item
            row = laid.rows[index] = self._prepare(cells, self._column_widths(laid.width))
        return row

    def _table(self, laid: _Laid, start: int, stop: int, *, with_total: bool) -> Table:
        """A Table of rows[start:stop] under the header (and the total row, if asked), with
        every row's height given."""
        assert laid.header is not None
        rows = [laid.header, *(self._row(laid, i) for i in range(start, stop))]
        if with_total:
            assert laid.total is not None
            rows.append(laid.total)
        style = table_style(self.align, total_row=with_total)
        for number, row in enumerate(rows):
            for command, column, value in row.styles:
                style.add(command, (column, number), (column, number), value)
        return Table(
            [row.cells for row in rows],
            colWidths=self._column_widths(laid.width),
            rowHeights=[row.height for row in rows],
            repeatRows=1,
            style=style,
            hAlign="LEFT",
        )

    @staticmethod
    def _title_height(title: Sequence[Flowable], width: float, at_top: bool) -> float:
        height = 0.0
        for index, item in enumerate(title):
            height += item.wrap(width, 0xFFFFFF)[1] + item.getSpaceAfter()
            if index or not at_top:
                height += item.getSpaceBefore()
        return height

    def _fitting(self, laid: _Laid, room: float) -> int:
        """How many of the rows left (the total row counting as one more) fit in `room`
        under the header: the rows reportlab's Table.split would keep, by the same sum."""
        assert laid.header is not None
        height = laid.header.height
        if height > room:
            return 0
        fitted = 0
        for index in range(self.start, len(self.rows)):
            row_height = self._row(laid, index).height
            if height + row_height > room:
                return fitted
            height += row_height
            fitted += 1
        if laid.total is not None and height + laid.total.height <= room:
            fitted += 1
        return fitted

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)
        at_top = bool(getattr(frame, "_atTop", True))
        head: list[Flowable] = list(self.title)
        if self.continued:
            # Only at the top of a new page does a continuation say what it continues.
            head = [Paragraph(escape(f"{self.caption} (continued)"), CONTINUED_STYLE)]
            if not (at_top and self.caption):
                head = []
        room = availHeight - self._title_height(head, availWidth, at_top)
        left = len(self.rows) - self.start
        if left <= 0:
            message = [self.empty] if self.empty is not None else []
            needed = self._title_height(message, availWidth, False)
            if room < needed and not at_top:
                return []  # the heading and its "nothing to list" line go on together
            return [*head, *message]
        laid = self._laid_out(availWidth)
        with_total = self.total is not None
        if left <= self.keep_whole and not self.continued and not at_top:
            whole = self._table(laid, self.start, len(self.rows), with_total=with_total)
            if whole.wrap(availWidth, room)[1] > room:
                return []  # a short table moves whole to the next page
        fitted = self._fitting(laid, room)
        if fitted >= left + with_total:
            table = self._table(laid, self.start, len(self.rows), with_total=with_total)
            laid.rows.clear()
            return [*head, table]
        if fitted >= left:
            # Only the total row spilled over: take the last row with it, never print a
            # page holding nothing but a total.
            fitted = left - 1
        needed = 1 if self.continued or at_top else min(self.first_rows, left)
        if fitted < needed:
            return []
        stop = self.start + fitted
        first = self._table(laid, self.start, stop, with_total=False)
        for index in range(self.start, stop):
            del laid.rows[index]
        return [*head, first, self._rest(stop)]

    def _rest(self, start: int) -> PagedTable:
        rest = PagedTable(
            self.headers,
            self.rows,
            self.widths,
            align=self.align,
            total=self.total,
            caption=self.caption,
            share=self.share,
            continued=True,
            make=self.make,
        )
        rest.start = start
        rest._laid = self._laid
        return rest

    def draw(self) -> None:  # never drawn itself: split() always replaces it
        pass


def _as_paragraphs(row: Sequence[Cell]) -> list[Cell]:
    """A row for a plain Table, which knows nothing of TextCells: each as its Paragraph."""
    return [cell.paragraph() if isinstance(cell, TextCell) else cell for cell in row]


def small_table(
    headers: Sequence[Cell],
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    frame_width: float,
    *,
    align: Sequence[str] = (),
    total: Sequence[Cell] | None = None,
) -> Table:
    """A short table sized as fractions of the frame (summaries, totals)."""
    _check_widths(widths)
    how = list(align) or ["left"] * len(widths)
    data: list[Sequence[Cell]] = [header_cells(headers, how), *map(_as_paragraphs, rows)]
    if total is not None:
        data.append(_as_paragraphs(total))
    return Table(
        data,
        colWidths=[fraction * frame_width for fraction in widths],
        repeatRows=1,
        style=table_style(how, total_row=total is not None),
        hAlign="LEFT",
    )


def detail_table(
    rows: Sequence[Sequence[Cell]], widths: Sequence[float], frame_width: float
) -> Table:
    """Label and value pairs in a light grid, with no header row (an officer's details)."""
    return Table(
        [_as_paragraphs(row) for row in rows],
        colWidths=[fraction * frame_width for fraction in widths],
        style=layout_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                *[("BACKGROUND", (c, 0), (c, -1), ZEBRA) for c in range(0, len(widths), 2)],
            ]
        ),
        hAlign="LEFT",
    )


@dataclass(frozen=True, slots=True)
class ExportTable:
    """A report's main table as plain text, for --table-out (CSV or XLSX).

    `kinds` names the columns a spreadsheet should hold as integers, numbers, money, dates or
    times (services.export.ColumnKind); the others are text.
    """

    headers: tuple[str, ...]
    rows: list[list[str]] = field(default_factory=list)
    kinds: Mapping[str, ColumnKind] = field(default_factory=dict)


# --- page furniture -------------------------------------------------------------------------


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


# --- the renderer ---------------------------------------------------------------------------

D = TypeVar("D")


class Renderer(ABC, Generic[D]):
    """One report: gathers its data, lays it out, writes the PDF and its table export.

    Subclasses set the class attributes and write gather(), story() and table(); the page
    size, fonts, styles, header, footer, signature block and metadata come from here.
    A renderer touches no Qt and no shared state beyond the font registry, so a GUI may run
    it on a worker thread with that thread's own database connection.
    """

    kind: ClassVar[str]
    title: ClassVar[str]
    description: ClassVar[str]
    params_used: ClassVar[tuple[str, ...]]
    params_required: ClassVar[tuple[str, ...]] = ()
    landscape: ClassVar[bool] = False
    attestation: ClassVar[str] = (
        "I have reviewed this report and attest that it is accurate and complete to the best "
        "of my knowledge."
    )
    signature_block: ClassVar[bool] = True
    page_footer: ClassVar[bool] = True
    """The footer line (generation time, audit log head, "Page X of Y")."""
    signers: ClassVar[tuple[tuple[str, str], ...]] = (
        (OWN_SLOT, "Signature of attesting official"),
    )
    """(signer slot, caption) of each signature line: the report's own kind, or another saved
    signer such as "finance"."""

    def __init__(self, db: Database, params: ReportParams, *, now: datetime | None = None):
        register_fonts()
        for name in self.params_required:
            if getattr(params, name) in (None, ""):
                label = PARAM_LABELS[name].lower()
                raise ValidationError(
                    {name: "is required"}, summary=f"{self.title}: {label} is required."
                )
        self.db = db
        self.params = params
        self.deterministic = now is not None
        self.now = (now or datetime.now()).replace(microsecond=0)
        agency = get_agency(db)
        if agency is None:
            raise ServiceError("This database has no agency yet; run `deesc init` first.")
        self.agency: Agency = agency
        self.styles = Styles()
        self.pagesize = landscape(LETTER) if self.landscape else LETTER
        self.frame_width = self.pagesize[0] - 2 * MARGIN
        self._data: D | None = None
        self.page_count = 0
        """Pages in the PDF, once render() has written it."""

    # --- hooks for each report -------------------------------------------------------------

    @property
    def as_of(self) -> date:
        """The as-of date asked for, else the generation date."""
        return self.params.as_of or self.now.date()

    def current_values_note(self, day: date) -> Paragraph | None:
        """For a report on an earlier day, a note that rank, unit and shift are today's."""
        words = current_values_note(day, self.now.date())
        return para(words, self.styles.note) if words else None

    @abstractmethod
    def gather(self) -> D:
        """Read everything the report prints, in a few queries."""

    @abstractmethod
    def story(self, data: D) -> list[Flowable]:
        """The report's body, between the header and the signature block."""

    @abstractmethod
    def table(self, data: D) -> ExportTable:
        """The report's main table as text, for CSV or XLSX."""

    def period_text(self, data: D) -> str:
        """The line under the title: the as-of date or the period."""
        return f"As of {long_date(self.as_of)}"

    def report_title(self, data: D) -> str:
        return self.title

    def signer(self, slot: str) -> Signer:
        """Who signs on a line: for the report's own line, the name and title given, else the
        signer saved for this kind of report or the agency's default (services.signers)."""
        given = self.params.signer, self.params.signer_title
        if slot == self.kind and any(given):
            return Signer(*(" ".join((value or "").split()) for value in given))
        return signer_for(self.db, slot)

    def attestation_scope(self, data: D) -> str:
        """What the attestation covers, restated beside it: counts and the date or period."""
        return self.period_text(data)

    # --- building blocks -------------------------------------------------------------------

    @property
    def data(self) -> D:
        if self._data is None:
            self._data = self.gather()
        return self._data

    def heading(self, words: str) -> Paragraph:
        return para(words, self.styles.h1)

    def empty(self, words: str) -> Paragraph:
        return para(words, self.styles.empty)

    def keep(self, *flowables: Flowable) -> KeepTogether:
        """A heading and a short table or chart kept on one page."""
        return KeepTogether(list(flowables))

    def signature_lines(self, caption: str, signer: Signer, width: float) -> Table:
        """One signer's lines: signature and date, then the printed name and title."""
        s = self.styles
        name_cell: Cell = para(signer.printed, s.small) if signer.printed else ""
        rows: list[list[Cell]] = [
            ["", "", ""],
            [para(caption, s.small), "", para("Date", s.small)],
            [name_cell, "", ""],
            [para("Printed name and title", s.small), "", ""],
        ]
        date_width = min(1.6 * inch, width * 0.3)
        return Table(
            rows,
            colWidths=[width - date_width - 0.3 * inch, 0.3 * inch, date_width],
            rowHeights=[30, 14, 20, 14],
            style=layout_style(
                [
                    ("LINEBELOW", (0, 0), (0, 0), 0.8, INK),
                    ("LINEBELOW", (2, 0), (2, 0), 0.8, INK),
                    ("LINEBELOW", (0, 2), (0, 2), 0.8, INK),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            ),
            hAlign="LEFT",
        )

    def signature(self, data: D) -> Flowable:
        """The attestation, what it covers (pages, counts, date: so that a signature page
        that comes apart from the report still says what was signed), the lines each signer
        signs and dates, and who prepared the report."""
        s = self.styles
        slots = [(self.kind if slot == OWN_SLOT else slot, c) for slot, c in self.signers]
        column = min(4.4 * inch, self.frame_width / len(slots) - 0.3 * inch)
        blocks = [self.signature_lines(c, self.signer(slot), column) for slot, c in slots]
        lines: Flowable = blocks[0]
        if len(blocks) > 1:
            lines = Table(
                [blocks],
                colWidths=[column + 0.3 * inch] * len(blocks),
                style=layout_style(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ]
                ),
                hAlign="LEFT",
            )
        scope = self.attestation_scope(data)
        flowables: list[Flowable] = [
            Spacer(1, 14),
            para("Attestation", s.h1),
            para(self.attestation, s.body),
            PageCountText(f"This attestation covers {PAGES} of this report: {scope}.", s.body),
            lines,
        ]
        if self.params.prepared_by:
            flowables += [
                Spacer(1, 6),
                para(
                    f"Prepared by {self.params.prepared_by}, "
                    f"{self.now.strftime('%Y-%m-%d %H:%M')}.",
                    s.small,
                ),
            ]
        return KeepTogether(flowables)

    # --- output ----------------------------------------------------------------------------

    def page_text(self, data: D) -> PageText:
        entries, digest = chain_head(self.db)
        return PageText(
            agency=self.agency.name,
            title=self.report_title(data),
            period=self.period_text(data),
            generated=moment_text(self.now),
            confidential=self.params.confidential,
            ori=self.agency.ori,
            audit=f"Audit log: {entries:,} entries, head {entries}:{digest[:AUDIT_HEAD_DIGITS]}",
            footer=self.page_footer,
        )

    def first_page(self, canvas: Canvas, text: PageText) -> None:
        draw_first_header(canvas, text)

    def later_page(self, canvas: Canvas, text: PageText) -> None:
        draw_later_header(canvas, text)

    def first_top_margin(self) -> float:
        return FIRST_HEADER

    def body_bottom(self) -> float:
        """Distance from the bottom edge of the page to the bottom of the body."""
        return FOOTER + 6

    def body_height(self) -> float:
        """The height of the smallest page body (a later page with a two-line header): a
        drawing taller than this cannot be placed anywhere."""
        return self.pagesize[1] - LATER_HEADER - LATER_SECOND_LINE - self.body_bottom()

    def later_top_margin(self, text: PageText) -> float:
        extra = LATER_SECOND_LINE if later_header_lines(text, self.pagesize[0]) == 2 else 0
        return LATER_HEADER + extra

    def render(self, out_path: Path) -> Path:
        """Write the PDF to `out_path` (replaced whole: never left half-written)."""
        data = self.data
        text = self.page_text(data)
        width, height = self.pagesize
        body_bottom = self.body_bottom()

        def frame(top: float, frame_id: str) -> Frame:
            return Frame(
                MARGIN,
                body_bottom,
                width - 2 * MARGIN,
                height - top - body_bottom,
                id=frame_id,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
            )

        def on_first(canvas: Canvas, _doc: BaseDocTemplate) -> None:
            self.first_page(canvas, text)

        def on_later(canvas: Canvas, _doc: BaseDocTemplate) -> None:
            self.later_page(canvas, text)

        out_path = Path(out_path)
        tmp = out_path.with_name(f".{out_path.name}.partial")
        doc = BaseDocTemplate(
            str(tmp),
            pagesize=self.pagesize,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=LATER_HEADER,
            bottomMargin=body_bottom,
            title=f"{text.title} - {self.agency.name}",
            author=self.agency.name,
            subject=f"{text.title}, {text.period}",
            creator=f"deesc-desktop {__version__}",
            producer=f"deesc-desktop {__version__} (ReportLab)",
            keywords="training records, de-escalation",
            invariant=1 if self.deterministic else 0,
            lang="en-US",
            # Else every page declares Helvetica, which cannot print most of these names.
            initialFontName=FONT,
            pageTemplates=[
                PageTemplate(
                    id="first",
                    frames=[frame(self.first_top_margin(), "first")],
                    onPage=on_first,
                    autoNextPageTemplate="later",
                ),
                PageTemplate(
                    id="later",
                    frames=[frame(self.later_top_margin(text), "later")],
                    onPage=on_later,
                ),
            ],
        )
        story = self.story(data)
        if self.signature_block:
            story.append(self.signature(data))

        def counted(total: int) -> None:
            self.page_count = total

        canvasmaker = numbered_canvas(text, self.now if self.deterministic else None, counted)
        try:
            doc.build(story, canvasmaker=canvasmaker)
            os.replace(tmp, out_path)
        except OSError as exc:
            raise ServiceError(f"Could not write {out_path}: {exc}") from exc
        finally:
            tmp.unlink(missing_ok=True)
        return out_path

    def export(self, out_path: Path) -> int:
        """Write the main table to .csv or .xlsx; returns the number of rows."""
        from deesc_desktop.services.export import write_table

        table = self.table(self.data)
        return write_table(Path(out_path), table.headers, table.rows, table.kinds)


def percent_text(part: int, whole: int) -> str:
    """'42.5%' (one decimal), or an en dash when there is nothing to divide by."""
    if whole == 0:
        return "–"
    return f"{100 * part / whole:.1f}%"
