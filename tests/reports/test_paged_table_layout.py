"""PagedTable's own layout (rows measured once, TextCells as plain strings) prints what
reportlab's Table and a Paragraph per cell would have printed, at the same places."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import LETTER
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table
from sqlite_utils import Database

from deesc_desktop.reports import ReportParams, render
from deesc_desktop.reports import compliance as compliance_report
from deesc_desktop.reports.base import styles as styles_module
from deesc_desktop.reports.base.cells import Line, StackedLines, TextCell, whole_words
from deesc_desktop.reports.base.fonts import register_fonts
from deesc_desktop.reports.base.styles import ALERT, WARN, Styles, para, table_style
from deesc_desktop.reports.base.tables import PagedTable, small_table
from tests.reports.conftest import DEMO_TODAY, FIXED_NOW, flat, pdf_text

Chunk = tuple[int, float, float, str, str, float]


def text_chunks(path: Path) -> list[Chunk]:
    """Every piece of text on every page: page, position, words, font and size."""
    found: list[Chunk] = []
    for number, page in enumerate(PdfReader(str(path)).pages):

        def visit(text: str, cm: Any, tm: Any, font: Any, size: float, page: int = number) -> None:
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                face = str(font.get("/BaseFont", "")).split("+")[-1] if font else ""
                found.append((page, round(x, 2), round(y, 2), text, face, size))

        page.extract_text(visitor_text=visit)
    return sorted(found)


@pytest.mark.parametrize("matrix", [True, False], ids=["matrix", "one-row-per-requirement"])
def test_text_cells_print_exactly_as_paragraphs_would(
    demo: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, matrix: bool
) -> None:
    if not matrix:
        monkeypatch.setattr(compliance_report, "MATRIX_MAX_REQUIREMENTS", 0)
    params = ReportParams(as_of=DEMO_TODAY)
    fast = render("compliance", demo, params, tmp_path / "fast.pdf", now=FIXED_NOW)
    # Every TextCell as the Paragraph it stands for: what the report printed before.
    monkeypatch.setattr(TextCell, "fits", lambda self, width: False)
    slow = render("compliance", demo, params, tmp_path / "slow.pdf", now=FIXED_NOW)
    assert len(PdfReader(str(fast)).pages) == len(PdfReader(str(slow)).pages)
    assert text_chunks(fast) == text_chunks(slow)


@pytest.mark.parametrize("matrix", [True, False], ids=["matrix", "one-row-per-requirement"])
def test_lines_stacked_print_exactly_as_one_paragraph_with_line_breaks(
    demo: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, matrix: bool
) -> None:
    if not matrix:
        monkeypatch.setattr(compliance_report, "MATRIX_MAX_REQUIREMENTS", 0)
    params = ReportParams(as_of=DEMO_TODAY)
    stacked = render("compliance", demo, params, tmp_path / "stacked.pdf", now=FIXED_NOW)
    # Reasons and wrapping cells as one Paragraph with <br/>: what the report printed before.
    monkeypatch.setattr(TextCell, "stacked", lambda self: None)
    whole = render("compliance", demo, params, tmp_path / "whole.pdf", now=FIXED_NOW)
    assert len(PdfReader(str(stacked)).pages) == len(PdfReader(str(whole)).pages)
    assert text_chunks(stacked) == text_chunks(whole)


@pytest.mark.parametrize("kind", ["compliance", "cit", "due"])
def test_plain_text_made_without_the_markup_parser_prints_the_same_bytes(
    demo: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    params = ReportParams(as_of=DEMO_TODAY)
    direct = render(kind, demo, params, tmp_path / "direct.pdf", now=FIXED_NOW)
    # Every Paragraph through ReportLab's parser: what the report printed before.
    monkeypatch.setattr(styles_module, "_one_fragment", lambda words: False)
    parsed = render(kind, demo, params, tmp_path / "parsed.pdf", now=FIXED_NOW)
    assert direct.read_bytes() == parsed.read_bytes()


@pytest.mark.parametrize(
    "words",
    ["Crisis intervention", "Ünïcödé “quoted” — dash", 'O\'Brien said "hold"', "x", "9.5 h"],
)
def test_plain_paragraphs_are_the_fragments_the_parser_makes(words: str) -> None:
    register_fonts()
    style = Styles().cell_bold
    direct = para(words, style)
    parsed = Paragraph(escape(words), style)
    assert [vars(f) for f in direct.frags] == [vars(f) for f in parsed.frags]
    assert direct.text == parsed.text
    assert direct.wrap(40, 100) == parsed.wrap(40, 100)
    assert direct.blPara.lines == parsed.blPara.lines


@pytest.mark.parametrize("words", ["Smith & Wesson", "a < b", "a > b", "two  spaces", " lead", ""])
def test_text_the_parser_would_split_or_fold_still_goes_through_it(words: str) -> None:
    register_fonts()
    style = Styles().cell
    direct = para(words, style)
    parsed = Paragraph(escape(words), style)
    assert [vars(f) for f in direct.frags] == [vars(f) for f in parsed.frags]
    assert direct.getPlainText() == parsed.getPlainText()


def test_a_word_too_wide_for_its_column_shrinks_the_lines_as_before() -> None:
    register_fonts()
    name = "Oppenheimer-Schwarzenberg-Lee"
    cells = [
        TextCell(Line("Short words", bold=True), Line(f"{name} and the others")),
        TextCell(Line(f"the others and {name}"), Line("Short words", colour=ALERT)),
        TextCell("Robinson,", "Keisha"),
    ]
    for cell in cells:
        stacked = cell.stacked()
        assert stacked is not None
        for width in range(40, 260, 5):
            whole = cell.paragraph()
            # The one Paragraph's words as whole_words measures them decide, as before.
            assert stacked.words_fit(width) is (whole_words(whole, width) is whole), width
    cell = cells[0]
    # 190 points inside the padding: the long line wraps, and no word is too wide.
    wide = PagedTable(["Name"], [[cell]], [1.0])._prepare([cell], [196])
    narrow = PagedTable(["Name"], [[cell]], [1.0])._prepare([cell], [106])
    assert type(wide.cells[0]) is StackedLines
    # Too narrow: the one Paragraph, in smaller type, as a PagedTable printed it before.
    assert type(narrow.cells[0].paragraph) is Paragraph
    assert narrow.cells[0].paragraph.style.fontSize < 8


def _cells(styles: Styles) -> list[list[Any]]:
    long_words = "a reason that goes on " * 12
    return [
        ["1", TextCell("Peña, Ana"), "2026-01-01"],
        ["2\nsecond line", TextCell(Line("Non-compliant", bold=True, colour=ALERT)), ""],
        ["3", TextCell(Line("Due soon", bold=True, colour=WARN), "0.0/4.0 h"), "x"],
        ["4", TextCell(long_words), Paragraph(long_words, styles.cell)],
        ["5", TextCell("  spaced   out "), Paragraph("", styles.cell)],
        ["6", TextCell(""), Paragraph("<b>bold</b> words", styles.cell_bold)],
        [None, TextCell("Investigations / Days"), 7],
    ]


def test_row_heights_are_the_ones_reportlab_measures() -> None:
    register_fonts()
    styles = Styles()
    table = PagedTable(["Badge", "Officer", "Note"], [], [0.2, 0.2, 0.6])
    widths = table._column_widths(500.0)
    ours = [table._prepare(row, widths) for row in _cells(styles)]
    # The same cells, resolved the same way, measured by reportlab itself.
    plain = [[getattr(c, "paragraph", c) for c in row.cells] for row in ours]
    theirs = Table(plain, colWidths=widths, style=table_style(["left"] * 3))
    theirs.wrap(500.0, 10_000.0)
    assert [row.height for row in ours] == theirs._rowHeights
    assert isinstance(ours[0].cells[1], str)  # a name that fits: a plain string
    assert isinstance(plain[3][1], Paragraph)  # too long for its column: it wraps
    assert isinstance(plain[4][1], Paragraph)  # white space a Paragraph would fold
    assert ours[3].height > ours[0].height


def test_every_row_is_made_once_and_printed_once_in_order(tmp_path: Path) -> None:
    register_fonts()
    styles = Styles()
    made: Counter[int] = Counter()

    def make(n: int) -> list[Any]:
        made[n] += 1
        words = f"row {n} " + "word " * (n % 9) * 5
        return [f"{n:04d}", TextCell(f"name {n}"), Paragraph(words, styles.cell)]

    table = PagedTable(
        ["Number", "Name", "Text"],
        list(range(600)),
        [0.15, 0.2, 0.65],
        title=[Paragraph("Long table", styles.h1)],
        total=["Total", TextCell(Line("600 rows", bold=True)), ""],
        make=make,
    )
    path = tmp_path / "made.pdf"
    SimpleDocTemplate(str(path), pagesize=LETTER).build([table])
    assert made == Counter(range(600))
    pages = pdf_text(path)
    text = flat(" ".join(pages))
    positions = [text.index(f"{n:04d} name {n} row {n} ") for n in range(600)]
    assert positions == sorted(positions)
    assert all(flat(page).count("Number Name Text") == 1 for page in pages)
    assert "Total 600 rows" in flat(pages[-1])


def test_text_cells_print_user_text_as_written(tmp_path: Path) -> None:
    register_fonts()
    rows = [
        ["1", TextCell("<b>O'Neil & Sons</b>")],
        ["2", TextCell("Zoë <br/> " + "<i>long</i> " * 30)],
    ]
    table = PagedTable(["Badge", "Officer"], rows, [0.2, 0.8])
    path = tmp_path / "markup.pdf"
    SimpleDocTemplate(str(path), pagesize=LETTER).build([table])
    text = flat(" ".join(pdf_text(path)))
    assert "<b>O'Neil & Sons</b>" in text
    assert "Zoë <br/> <i>long</i>" in text
    assert text.count("<i>long</i>") == 30


def test_other_tables_print_a_text_cell_as_its_paragraph(tmp_path: Path) -> None:
    register_fonts()
    table = small_table(
        ["Status", "Officers"],
        [[TextCell(Line("Non-compliant", bold=True, colour=ALERT)), "3"]],
        [0.5, 0.5],
        300,
        total=[TextCell("All <officers>"), "3"],
    )
    path = tmp_path / "small.pdf"
    SimpleDocTemplate(str(path), pagesize=LETTER).build([table])
    text = flat(" ".join(pdf_text(path)))
    assert "Non-compliant 3 All <officers> 3" in text
    assert "TextCell" not in text
