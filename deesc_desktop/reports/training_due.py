"""Training due (who needs what in the next 30/60/90 days, by shift and unit) and the one-page
deficiency notice a sergeant hands to each officer."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, KeepInFrame, PageBreak, Spacer, Table

from deesc_desktop.reports.base.cells import Cell, Line, TextCell
from deesc_desktop.reports.base.formats import iso, long_date
from deesc_desktop.reports.base.renderer import Renderer
from deesc_desktop.reports.base.styles import ALERT, INK, WARN, layout_style, markup, para
from deesc_desktop.reports.base.tables import ExportTable, PagedTable, detail_table, small_table
from deesc_desktop.services.export import DATE
from deesc_desktop.services.reporting.notice import gather_notices
from deesc_desktop.services.training_due import (
    BUCKET_LABELS,
    OVERDUE,
    DueItem,
    TrainingDue,
    check_horizon,
    training_due,
)


def due_table(data: TrainingDue) -> ExportTable:
    """One row per officer and requirement due, for a spreadsheet."""
    return ExportTable(
        (
            "badge",
            "officer",
            "unit",
            "shift",
            "requirement_id",
            "requirement",
            "needs",
            "due_date",
            "when",
        ),
        [
            [
                i.officer.badge,
                i.officer.display_name,
                i.officer.unit,
                i.officer.shift,
                i.requirement_id,
                i.requirement_title,
                i.needs,
                iso(i.due_date),
                BUCKET_LABELS[i.bucket],
            ]
            for i in data.items
        ],
        kinds={"due_date": DATE},
    )


def respond_by(items: list[DueItem], as_of: date) -> str:
    """When the officer should act: at once when something is overdue or not met (its
    window's due date may be years off while the last window stands unmet), else by the
    earliest due date."""
    if any(i.bucket == OVERDUE for i in items):
        return "As soon as possible"
    due = min((i.due_date for i in items if i.due_date), default=as_of)
    return long_date(due)


def _bucket_cell(item: DueItem) -> TextCell:
    colour = ALERT if item.bucket == OVERDUE else WARN if item.bucket == "30" else None
    return TextCell(Line(BUCKET_LABELS[item.bucket], bold=colour is not None, colour=colour))


class TrainingDueReport(Renderer[TrainingDue]):
    """Who needs what, by shift and unit."""

    kind: ClassVar[str] = "due"
    signature_block: ClassVar[bool] = False

    def gather(self) -> TrainingDue:
        return training_due(
            self.db, self.as_of, check_horizon(self.params.days), today=self.now.date()
        )

    def period_text(self, data: TrainingDue) -> str:
        return f"As of {long_date(data.as_of)}, due by {long_date(data.until)}"

    def summary(self, data: TrainingDue) -> list[Flowable]:
        s = self.styles
        needing = len(data.by_officer())
        flowables: list[Flowable] = [
            self.heading("Summary"),
            markup(
                "<b>{needing}</b> of {officers} serving officers have a requirement overdue or "
                "due by {until}: <b>{items}</b> requirements in all.",
                s.body,
                needing=needing,
                officers=data.officers,
                until=iso(data.until),
                items=len(data.items),
            ),
        ]
        note = self.current_values_note(data.as_of)
        if note is not None:
            flowables.append(note)
        buckets = list(BUCKET_LABELS)
        for key, title in (("shift", "By shift"), ("unit", "By unit")):
            rows: list[list[Cell]] = []
            for name, items in data.groups(key):
                counts = data.counts(items)
                rows.append(
                    [
                        TextCell(name),
                        *[str(counts[b]) for b in buckets],
                        str(len({i.officer.id for i in items})),
                    ]
                )
            if rows:
                flowables.append(
                    self.keep(
                        para(title, s.h2),
                        small_table(
                            [key.capitalize(), *BUCKET_LABELS.values(), "Officers"],
                            rows,
                            [0.24, 0.19, 0.16, 0.14, 0.14, 0.13],
                            self.frame_width * 0.75,
                            align=["left", *["right"] * 5],
                        ),
                        para("Officers in each column; an officer may be in several.", s.note),
                    )
                )
        return flowables

    def lists(self, data: TrainingDue) -> list[Flowable]:
        flowables: list[Flowable] = []
        for shift, items in data.groups("shift"):
            rows: list[list[Cell]] = [
                [
                    item.officer.badge,
                    TextCell(item.officer.display_name),
                    TextCell(item.unit),
                    TextCell(item.requirement_id),
                    para(item.needs, self.styles.cell),
                    iso(item.due_date),
                    _bucket_cell(item),
                ]
                for item in items
            ]
            flowables.append(
                PagedTable(
                    ["Badge", "Officer", "Unit", "Requirement", "Needs", "Due", "When"],
                    rows,
                    [0.06, 0.16, 0.1, 0.17, 0.27, 0.09, 0.15],
                    title=[
                        self.heading(f"{shift} ({len({i.officer.id for i in items})} officers)")
                    ],
                    empty=self.empty("Nothing due."),
                )
            )
        if not flowables:
            flowables.append(
                self.empty(
                    f"Nothing is overdue or due by {iso(data.until)}: every serving officer "
                    "is on track."
                )
            )
        return flowables

    def story(self, data: TrainingDue) -> list[Flowable]:
        return [*self.summary(data), *self.lists(data)]

    def table(self, data: TrainingDue) -> ExportTable:
        return due_table(data)


class DeficiencyNotice(Renderer[TrainingDue]):
    """One page per officer: what they need, by when, and lines to acknowledge it."""

    kind: ClassVar[str] = "notice"
    signature_block: ClassVar[bool] = False

    def gather(self) -> TrainingDue:
        return gather_notices(
            self.db,
            self.as_of,
            check_horizon(self.params.days),
            badge=self.params.badge or "",
            today=self.now.date(),
        )

    def period_text(self, data: TrainingDue) -> str:
        return f"As of {long_date(data.as_of)}"

    def notice(self, items: list[DueItem], data: TrainingDue) -> list[Flowable]:
        s = self.styles
        o = items[0].officer
        facts: list[list[Cell]] = [
            [
                para("To", s.cell_bold),
                para(f"{o.first_name} {o.last_name}, {o.rank}".rstrip(", "), s.cell),
                para("Badge", s.cell_bold),
                para(o.badge, s.cell),
            ],
            [
                para("Unit / shift", s.cell_bold),
                para(" / ".join(x for x in (o.unit, o.shift) if x), s.cell),
                para("Date", s.cell_bold),
                para(long_date(data.as_of), s.cell),
            ],
            [
                para("From", s.cell_bold),
                para(self.params.prepared_by or "Training office", s.cell),
                para("Respond by", s.cell_bold),
                para(respond_by(items, data.as_of), s.cell),
            ],
        ]
        rows: list[list[Cell]] = [
            [
                para(f"{i.requirement_title} ({i.requirement_id})", s.cell),
                para(i.needs, s.cell),
                iso(i.due_date),
                para(BUCKET_LABELS[i.bucket], s.cell_bold if i.bucket == OVERDUE else s.cell),
            ]
            for i in items
        ]
        sign = Table(
            [
                ["", "", "", "", ""],
                [
                    para("Officer's signature", s.small),
                    "",
                    para("Date", s.small),
                    "",
                    para("Supervisor's signature", s.small),
                ],
            ],
            colWidths=[self.frame_width * w for w in (0.36, 0.05, 0.18, 0.05, 0.36)],
            rowHeights=[34, 14],
            style=layout_style(
                [
                    ("LINEBELOW", (0, 0), (0, 0), 0.8, INK),
                    ("LINEBELOW", (2, 0), (2, 0), 0.8, INK),
                    ("LINEBELOW", (4, 0), (4, 0), 0.8, INK),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            ),
            hAlign="LEFT",
        )
        note = self.current_values_note(data.as_of)
        content: list[Flowable] = [
            detail_table(facts, [0.14, 0.36, 0.14, 0.36], self.frame_width),
            *([Spacer(1, 4), note] if note is not None else []),
            Spacer(1, 10),
            para(
                "The training records of this agency show that the requirements below are not "
                "met, or fall due soon. Please complete the training named and give proof of "
                "completion (a sign-in sheet or certificate) to the training office by the "
                "date shown.",
                s.body,
            ),
            Spacer(1, 6),
            small_table(
                ["Requirement", "What you need", "Due", "When"],
                rows,
                [0.38, 0.34, 0.12, 0.16],
                self.frame_width,
            ),
            Spacer(1, 10),
            para("Why, in the words of the compliance check:", s.h2),
            *[para(f"{i.requirement_id}: {i.explanation}", s.small) for i in items],
            Spacer(1, 18),
            para("I have received this notice.", s.body),
            sign,
        ]
        height = self.pagesize[1] - self.first_top_margin() - self.body_bottom()
        return [KeepInFrame(self.frame_width, height - 0.1 * inch, content, mode="shrink")]

    def story(self, data: TrainingDue) -> list[Flowable]:
        by_officer = data.by_officer()
        if not by_officer:
            return [
                self.empty(
                    f"No officer has a requirement overdue or due by {iso(data.until)}: no notices."
                )
            ]
        flowables: list[Flowable] = []
        for index, items in enumerate(by_officer.values()):
            if index:
                flowables.append(PageBreak())
            flowables += self.notice(items, data)
        return flowables

    def table(self, data: TrainingDue) -> ExportTable:
        return due_table(data)
