"""The sign-in sheet printed for a class: one line per expected officer, a box to sign."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import ClassVar

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Spacer, Table
from sqlite_utils import Database

from deesc_desktop.core.hours import format_hours
from deesc_desktop.core.topics import DELIVERIES
from deesc_desktop.reports.base.formats import long_date
from deesc_desktop.reports.base.params import ReportParams
from deesc_desktop.reports.base.renderer import Renderer
from deesc_desktop.reports.base.styles import para, table_style
from deesc_desktop.reports.base.tables import ExportTable, detail_table
from deesc_desktop.services.classes import SignInSheet
from deesc_desktop.services.signers import Signer

SIGNATURE_ROW = 0.36 * inch
"""Room to sign in ink on each line."""


class SignInSheetReport(Renderer[SignInSheet]):
    """A class's sign-in roster, to print before the class and scan once it is signed."""

    kind: ClassVar[str] = "sign-in-sheet"
    attestation: ClassVar[str] = (
        "I certify that the officers who signed above attended this class in full, for the "
        "hours shown, and that I taught it."
    )

    def __init__(self, db: Database, sheet: SignInSheet, *, now: datetime | None = None):
        super().__init__(db, ReportParams(), now=now)
        self.sheet = sheet

    def gather(self) -> SignInSheet:
        return self.sheet

    def period_text(self, data: SignInSheet) -> str:
        number = f" · class {data.class_id}" if data.class_id else ""
        return f"{long_date(data.held_on)}{number}"

    def report_title(self, data: SignInSheet) -> str:
        return f"Sign-in sheet: {data.course}"

    def signer(self, slot: str) -> Signer:
        """The instructor signs the sheet, not the agency's report signer."""
        return Signer(self.sheet.instructor, "instructor") if self.sheet.instructor else Signer()

    def details(self, data: SignInSheet) -> Flowable:
        s = self.styles
        course = data.course + (f" ({data.course_number})" if data.course_number else "")
        rows = [
            [para("Course", s.cell_bold), para(course, s.cell)],
            [para("Date", s.cell_bold), para(data.held_on.isoformat(), s.cell)],
            [
                para("Hours", s.cell_bold),
                para(
                    f"{format_hours(data.hours)} ({DELIVERIES.get(data.delivery, data.delivery)})",
                    s.cell,
                ),
            ],
            [para("Topics", s.cell_bold), para(data.topics, s.cell)],
            [para("Instructor", s.cell_bold), para(data.instructor or "", s.cell)],
            [para("Location", s.cell_bold), para(data.location, s.cell)],
        ]
        if data.provider:
            rows.append([para("Provider", s.cell_bold), para(data.provider, s.cell)])
        return detail_table(rows, [0.18, 0.82], self.frame_width)

    def roster(self, data: SignInSheet) -> Table:
        s = self.styles
        headers: list[object] = [
            "No.",
            "Officer (print if not listed)",
            "Badge",
            data.state_id_label,
            "Signature",
        ]
        rows: list[list[object]] = [headers]
        for number, line in enumerate(data.lines, start=1):
            rows.append([str(number), para(line.name, s.cell), line.badge, line.state_id, ""])
        first_blank = len(data.lines) + 1
        for number in range(first_blank, first_blank + data.blank_lines):
            rows.append([str(number), "", "", "", ""])
        widths = [0.06, 0.34, 0.11, 0.17, 0.32]
        return Table(
            rows,
            colWidths=[fraction * self.frame_width for fraction in widths],
            rowHeights=[None, *([SIGNATURE_ROW] * (len(rows) - 1))],
            repeatRows=1,
            style=table_style(["right", "left", "left", "left", "left"]),
            hAlign="LEFT",
        )

    def story(self, data: SignInSheet) -> list[Flowable]:
        s = self.styles
        flowables: list[Flowable] = [self.details(data), Spacer(1, 8)]
        if data.instructor_flag:
            flowables.append(para(f"Instructor flagged: {data.instructor_flag}.", s.note))
        flowables += [
            para(
                "Sign in ink on your own line. If your name is not printed, write it, your badge "
                f"and your {data.state_id_label} on a blank line. Keep the signed original in "
                "the class file.",
                s.note,
            ),
            self.roster(data),
        ]
        return flowables

    def table(self, data: SignInSheet) -> ExportTable:
        return ExportTable(
            ("name", "badge", "state_id"),
            [[line.name, line.badge, line.state_id] for line in data.lines],
        )


def render_sign_in_sheet(
    db: Database, sheet: SignInSheet, out_path: Path, *, now: datetime | None = None
) -> Path:
    """Write a class's sign-in sheet as a PDF; returns the path."""
    return SignInSheetReport(db, sheet, now=now).render(Path(out_path))
