"""Tables: the paged table for long lists, small and detail tables, the text export."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table

from deesc_desktop.reports.base.cells import (
    Cell,
    StackedLines,
    TextCell,
    TextLines,
    cell_height,
    whole_words,
)
from deesc_desktop.reports.base.fonts import FONT_BOLD
from deesc_desktop.reports.base.styles import (
    CELL_BOTTOM,
    CELL_PADDING,
    CELL_TOP,
    CONTINUED_STYLE,
    GRID,
    HEAD_STYLES,
    ZEBRA,
    layout_style,
    para,
    table_style,
)

if TYPE_CHECKING:
    from deesc_desktop.services.export import ColumnKind


def header_cells(headers: Sequence[Cell], align: Sequence[str]) -> list[Cell]:
    """Column titles as Paragraphs, so a long title wraps instead of running into the next."""
    return [
        para(h, HEAD_STYLES[how]) if isinstance(h, str) else h
        for h, how in zip(headers, align, strict=True)
    ]


def _check_widths(widths: Sequence[float]) -> None:
    if abs(sum(widths) - 1.0) > 0.001:
        raise ValueError(f"column fractions add up to {sum(widths)}, not 1")


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
                    value = value.stacked() or value.paragraph()
                elif all(
                    line.bold == lines[0].bold and line.colour == lines[0].colour for line in lines
                ):
                    value = "\n".join(line.text for line in lines)
                    if lines[0].bold:
                        styles.append(("FONTNAME", column, FONT_BOLD))
                    if lines[0].colour is not None:
                        styles.append(("TEXTCOLOR", column, lines[0].colour))
                else:
                    value = TextLines(lines)
            if type(value) is StackedLines and not value.words_fit(inner):
                value = value.paragraph()
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
