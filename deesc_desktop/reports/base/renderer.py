"""The Renderer every report subclasses: gather, lay out, write the PDF and the table."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
)
from sqlite_utils import Database

from deesc_desktop import __version__
from deesc_desktop.core.models import Agency
from deesc_desktop.core.roster import current_values_note
from deesc_desktop.core.times import moment_text
from deesc_desktop.reports.base.fonts import FONT, register_fonts
from deesc_desktop.reports.base.formats import long_date
from deesc_desktop.reports.base.pages import (
    AUDIT_HEAD_DIGITS,
    FIRST_HEADER,
    FOOTER,
    LATER_HEADER,
    LATER_SECOND_LINE,
    MARGIN,
    PageText,
    draw_first_header,
    draw_later_header,
    later_header_lines,
    numbered_canvas,
)
from deesc_desktop.reports.base.params import PARAM_LABELS, ReportParams
from deesc_desktop.reports.base.signature import OWN_SLOT, attestation_block
from deesc_desktop.reports.base.styles import Styles, para
from deesc_desktop.reports.base.tables import ExportTable
from deesc_desktop.reports.catalogue import CATALOGUE
from deesc_desktop.services.errors import ServiceError, ValidationError
from deesc_desktop.services.reporting import ReportContext, report_agency, report_context
from deesc_desktop.services.signers import Signer

TABLE_START = 130
"""Points a table needs left on a page to start there: its heading, header row and three
rows of two lines."""

D = TypeVar("D")


class Renderer(ABC, Generic[D]):
    """One report: gathers its data, lays it out, writes the PDF and its table export.

    Subclasses set `kind` and the other class attributes and write gather(), story() and
    table(); the title, description, parameters and orientation come from the report's entry
    in reports/catalogue.py, and the page size, fonts, styles, header, footer, signature
    block and metadata from here. A renderer touches no Qt and no shared state beyond the
    font registry, so a GUI may run it on a worker thread with that thread's own database
    connection.
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

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        info = CATALOGUE[cls.kind]
        cls.title = info.title
        cls.description = info.description
        cls.params_used = info.params
        cls.params_required = info.required
        cls.landscape = info.landscape

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
        self.agency: Agency = report_agency(db)
        self.styles = Styles()
        self.pagesize = landscape(LETTER) if self.landscape else LETTER
        self.frame_width = self.pagesize[0] - 2 * MARGIN
        self._data: D | None = None
        self._context: ReportContext | None = None
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
        """Everything the report prints, from one call to its service (services/reporting):
        with __init__ and gather_context, the only methods that hand on the database."""

    def gather_context(self) -> ReportContext:
        """Who signs each line (the report's own and its other slots) and the audit head."""
        slots = {self.kind} | {self.kind if slot == OWN_SLOT else slot for slot, _ in self.signers}
        return report_context(self.db, sorted(slots))

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
        return self.context.signers[slot]

    def attestation_scope(self, data: D) -> str:
        """What the attestation covers, restated beside it: counts and the date or period."""
        return self.period_text(data)

    # --- building blocks -------------------------------------------------------------------

    @property
    def data(self) -> D:
        if self._data is None:
            self._data = self.gather()
        return self._data

    @property
    def context(self) -> ReportContext:
        if self._context is None:
            self._context = self.gather_context()
        return self._context

    def heading(self, words: str) -> Paragraph:
        return para(words, self.styles.h1)

    def empty(self, words: str) -> Paragraph:
        return para(words, self.styles.empty)

    def keep(self, *flowables: Flowable) -> KeepTogether:
        """A heading and a short table or chart kept on one page."""
        return KeepTogether(list(flowables))

    def heading_over_table(self, text: str) -> list[Flowable]:
        """The heading of a table that may run onto the next page (its header row repeats
        there): the table starts under what comes before it when the heading, the header
        and its first rows fit, else on a new page; never the heading alone."""
        return [CondPageBreak(TABLE_START), para(text, self.styles.h2_over_table)]

    def signature(self, data: D) -> Flowable:
        """The attestation block (signature.attestation_block) with this report's signers and
        who prepared it."""
        slots = [(self.kind if slot == OWN_SLOT else slot, c) for slot, c in self.signers]
        signers = [(caption, self.signer(slot)) for slot, caption in slots]
        prepared = ""
        if self.params.prepared_by:
            prepared = (
                f"Prepared by {self.params.prepared_by}, {self.now.strftime('%Y-%m-%d %H:%M')}."
            )
        scope = self.attestation_scope(data)
        return attestation_block(
            self.styles, self.attestation, scope, signers, self.frame_width, prepared
        )

    # --- output ----------------------------------------------------------------------------

    def page_text(self, data: D) -> PageText:
        entries, digest = self.context.audit_entries, self.context.audit_digest
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
