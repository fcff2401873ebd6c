"""The attestation at the end of a report: what it covers, each signer's lines, who prepared it."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from deesc_desktop.reports.base.cells import Cell
from deesc_desktop.reports.base.pages import PAGES, PageCountText
from deesc_desktop.reports.base.styles import INK, Styles, layout_style, para
from deesc_desktop.services.signers import Signer

OWN_SLOT = "*"
"""In Renderer.signers: the report's own kind."""


def signature_lines(styles: Styles, caption: str, signer: Signer, width: float) -> Table:
    """One signer's lines: signature and date, then the printed name and title."""
    s = styles
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


def attestation_block(
    styles: Styles,
    attestation: str,
    scope: str,
    signers: Sequence[tuple[str, Signer]],
    frame_width: float,
    prepared: str,
) -> KeepTogether:
    """The attestation, what it covers (pages, then `scope`: counts, date; so that a
    signature page that comes apart from the report still says what was signed), the lines
    each (caption, signer) signs and dates, and `prepared` (who prepared it), if any."""
    s = styles
    column = min(4.4 * inch, frame_width / len(signers) - 0.3 * inch)
    blocks = [signature_lines(s, caption, signer, column) for caption, signer in signers]
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
    flowables: list[Flowable] = [
        Spacer(1, 14),
        para("Attestation", s.h1),
        para(attestation, s.body),
        PageCountText(f"This attestation covers {PAGES} of this report: {scope}.", s.body),
        lines,
    ]
    if prepared:
        flowables += [Spacer(1, 6), para(prepared, s.small)]
    return KeepTogether(flowables)
