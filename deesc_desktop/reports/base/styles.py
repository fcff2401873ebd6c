"""Colours, paragraph styles and table styles every report prints with."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, TableStyle

from deesc_desktop.reports.base.fonts import FONT, FONT_BOLD, FONT_ITALIC

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9a9a9a")
GRID = colors.HexColor("#b8b8b8")
HEAD_FILL = colors.HexColor("#e4e8ee")
ZEBRA = colors.HexColor("#f5f6f8")
ALERT = colors.HexColor("#a01818")
WARN = colors.HexColor("#8a5a00")


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
        # Over a table that may split across pages: keepWithNext would move the whole table
        # to the next page whenever it fits there (Renderer.heading_over_table instead).
        self.h2_over_table = ParagraphStyle("h2_over_table", self.h2, keepWithNext=0)
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
    words = "" if text is None else str(text)
    if _one_fragment(words):
        # What the markup parser would make of these words, made without it: a parser per
        # Paragraph was a sixth of a long report's time.
        return Paragraph(escape(words), style, frags=[_plain_fragment(style).clone(text=words)])
    return Paragraph(escape(words), style)


def _one_fragment(words: str) -> bool:
    """Whether the markup parser makes one fragment of `words`, escaped, as they are: no
    white space to fold or trim, and no character escaped (each entity is a fragment)."""
    return (
        bool(words)
        and " ".join(words.split()) == words
        and "&" not in words
        and "<" not in words
        and ">" not in words
    )


_FRAGMENTS: dict[int, tuple[ParagraphStyle, Any]] = {}


def _plain_fragment(style: ParagraphStyle) -> Any:
    """The fragment ReportLab's parser makes of plain words in `style`, to copy."""
    found = _FRAGMENTS.get(id(style))
    if found is None or found[0] is not style:
        (fragment,) = Paragraph("x", style).frags
        found = _FRAGMENTS[id(style)] = (style, fragment)
    return found[1]


def markup(template: str, style: ParagraphStyle, **values: object) -> Paragraph:
    """A Paragraph from our own markup, with each `{name}` filled by an escaped value."""
    safe = {key: escape("" if value is None else str(value)) for key, value in values.items()}
    return Paragraph(template.format(**safe), style)


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
