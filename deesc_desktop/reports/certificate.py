"""Certificate of completion for one training record, signed by the chief and the instructor."""

from __future__ import annotations

import re
from typing import ClassVar

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepInFrame, Spacer, Table

from deesc_desktop.core.hours import format_hours
from deesc_desktop.core.topics import DELIVERIES
from deesc_desktop.reports.base.cells import whole_words
from deesc_desktop.reports.base.fonts import FONT, FONT_BOLD, FONT_ITALIC
from deesc_desktop.reports.base.formats import iso, long_date
from deesc_desktop.reports.base.pages import PageText
from deesc_desktop.reports.base.renderer import Renderer
from deesc_desktop.reports.base.styles import INK, MUTED, RULE, layout_style, para
from deesc_desktop.reports.base.tables import ExportTable
from deesc_desktop.services.export import DATE, INTEGER, NUMBER
from deesc_desktop.services.reporting.certificate import CertificateData, gather_certificate

MAX_INSTRUCTOR_LINES = 3
"""Signature lines for instructors; with more, the first signs as lead instructor."""


class CertificateReport(Renderer[CertificateData]):
    """A certificate of completion."""

    kind: ClassVar[str] = "certificate"
    page_footer: ClassVar[bool] = False
    """A certificate is framed for the wall: no "Generated ... Page 1 of 1" line."""

    def gather(self) -> CertificateData:
        record_id = self.params.record_id
        assert record_id is not None
        return gather_certificate(self.db, record_id)

    def period_text(self, data: CertificateData) -> str:
        return f"Completed {long_date(data.record.completed)}"

    signature_block: ClassVar[bool] = False
    """The signature lines are part of the framed page (story), not a block after it."""

    def first_top_margin(self) -> float:
        return 0.95 * inch

    def body_bottom(self) -> float:
        return 1.05 * inch  # above the inner border (0.85 inch), with room to breathe

    def first_page(self, canvas: Canvas, text: PageText) -> None:
        """A double border instead of the report header."""
        width, height = canvas._pagesize
        canvas.saveState()
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(2)
        canvas.rect(0.4 * inch, 0.75 * inch, width - 0.8 * inch, height - 1.15 * inch)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.rect(0.5 * inch, 0.85 * inch, width - 1.0 * inch, height - 1.35 * inch)
        canvas.restoreState()

    def story(self, data: CertificateData) -> list[Flowable]:
        def style(name: str, font: str, size: float, *, after: float = 6) -> ParagraphStyle:
            return ParagraphStyle(
                name,
                fontName=font,
                fontSize=size,
                leading=size * 1.25,
                alignment=TA_CENTER,
                textColor=INK,
                spaceAfter=after,
            )

        agency = style("agency", FONT_BOLD, 15, after=10)
        banner = style("banner", FONT_BOLD, 30, after=14)
        words = style("words", FONT_ITALIC, 12, after=6)
        name = style("name", FONT_BOLD, 26, after=4)
        course = style("course", FONT_BOLD, 19, after=6)
        detail = style("detail", FONT, 10.5, after=3)
        muted = ParagraphStyle("muted", detail, textColor=MUTED, fontSize=9)
        r, o = data.record, data.officer
        facts = [f"{format_hours(r.hours)} hours", DELIVERIES.get(r.delivery, r.delivery)]
        if r.course_number:
            facts.insert(0, f"Course {r.course_number}")
        people = [
            x
            for x in (
                f"Provider: {r.provider}" if r.provider else "",
                f"Instructor: {r.instructor}" if r.instructor else "",
            )
            if x
        ]
        topics = ", ".join(f"{label} {hours} h" for label, hours in data.topics)
        badge = f"Badge {o.badge}" + (f" · {o.rank}" if o.rank else "")
        content = [
            Spacer(1, 0.3 * inch),
            para(self.agency.name, agency),
            para("Certificate of Completion", banner),
            para("This certifies that", words),
            para(f"{o.first_name} {o.last_name}", name),
            para(badge, muted),
            Spacer(1, 8),
            para("has successfully completed", words),
            para(r.course_title, course),
            para(" · ".join(facts), detail),
            para(f"completed on {long_date(r.completed)}", detail),
            para(f"Topics: {topics}" if topics else "", detail),
            para(" · ".join(people), muted),
            para(f"Training record #{r.id}", muted),
            Spacer(1, 22),
            self.signature_lines_inside(data),
        ]
        # Long names, many instructors: the whole certificate shrinks to its one page, so
        # the signature lines always sit inside the border.
        height = self.pagesize[1] - self.first_top_margin() - self.body_bottom()
        return [KeepInFrame(self.frame_width, height, content, mode="shrink", hAlign="CENTER")]

    def signature_lines_inside(self, data: CertificateData) -> Flowable:
        """A line for the chief, one for the date, and one for each instructor (up to three;
        with more, the first signs as lead instructor): each name under its own line."""
        s = self.styles
        chief = self.signer(self.kind).printed or "Chief of Police"
        names = [n.strip() for n in re.split(r"[;\n]", data.record.instructor) if n.strip()]
        if len(names) > MAX_INSTRUCTOR_LINES:
            captions = [f"{names[0]}, Lead instructor"]
        else:
            captions = [f"{name}, Instructor" for name in names] or ["Instructor"]
        signers = [chief, "Date", *captions]
        # Narrower than the frame so the lines stay well inside the certificate's border.
        width = self.frame_width * 0.86
        gap = width * 0.04
        shares = [0.3, 0.14, *[0.56 / len(captions)] * len(captions)]
        line_widths = [width * share - gap for share in shares]
        columns: list[float] = []
        for line_width in line_widths:
            columns += [line_width, gap]
        cells: list[list[object]] = [[""] * len(columns), []]
        for caption, line_width in zip(signers, line_widths, strict=True):
            cells[1] += [whole_words(para(caption, s.small), line_width), ""]
        lines = [("LINEBELOW", (2 * i, 0), (2 * i, 0), 0.8, INK) for i in range(len(signers))]
        return Table(
            cells,
            colWidths=[*columns[:-1], 0],
            rowHeights=[40, None],
            style=layout_style(
                [
                    *lines,
                    ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
                    ("VALIGN", (0, 1), (-1, 1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            ),
            hAlign="CENTER",
        )

    def table(self, data: CertificateData) -> ExportTable:
        r, o = data.record, data.officer
        return ExportTable(
            (
                "record",
                "badge",
                "officer",
                "course",
                "course_number",
                "completed",
                "hours",
                "topics",
                "delivery",
                "provider",
                "instructor",
            ),
            [
                [
                    str(r.id),
                    o.badge,
                    o.display_name,
                    r.course_title,
                    r.course_number,
                    iso(r.completed),
                    f"{r.hours / 100:.2f}",
                    "; ".join(f"{label} {hours}" for label, hours in data.topics),
                    r.delivery,
                    r.provider,
                    r.instructor,
                ]
            ],
            kinds={"record": INTEGER, "completed": DATE, "hours": NUMBER},
        )
