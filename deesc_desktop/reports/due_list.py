"""What falls due in the next 30 days, one page per shift to hand each shift's supervisor."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import ClassVar

from reportlab.platypus import Flowable, PageBreak

from deesc_desktop.reports.base.cells import Cell, TextCell
from deesc_desktop.reports.base.formats import long_date
from deesc_desktop.reports.base.renderer import Renderer
from deesc_desktop.reports.base.styles import para
from deesc_desktop.reports.base.tables import ExportTable, PagedTable
from deesc_desktop.services.export import DATE
from deesc_desktop.services.reminders import AGENCY_WIDE, KINDS, REMINDER_DAYS, Reminder, due_soon


class DueListReport(Renderer[list[Reminder]]):
    """Requirements, CIT certificates, instructor certifications and classes coming due."""

    kind: ClassVar[str] = "due-list"
    signature_block: ClassVar[bool] = False

    def gather(self) -> list[Reminder]:
        return due_soon(self.db, self.as_of, REMINDER_DAYS)

    def period_text(self, data: list[Reminder]) -> str:
        end = self.as_of + timedelta(days=REMINDER_DAYS)
        return f"{long_date(self.as_of)} to {long_date(end)}"

    def group_table(self, group: str, items: list[Reminder]) -> Flowable:
        officers = group != AGENCY_WIDE
        rows: list[list[Cell]] = [
            [
                item.due.isoformat(),
                TextCell(item.who),
                item.badge if officers else KINDS[item.kind],
                para(item.what, self.styles.cell),
            ]
            for item in items
        ]
        title = f"Shift: {group}" if officers else "Instructors and classes"
        return PagedTable(
            [
                "Due",
                "Officer" if officers else "Who or what",
                "Badge" if officers else "Kind",
                "What",
            ],
            rows,
            [0.12, 0.26, 0.14 if officers else 0.2, 0.48 if officers else 0.42],
            title=[self.heading(f"{title} ({len(rows)})")],
        )

    def story(self, data: list[Reminder]) -> list[Flowable]:
        if not data:
            return [
                self.heading("Nothing falls due"),
                self.empty("No requirement, certificate or class falls due in the next 30 days."),
            ]
        groups: dict[str, list[Reminder]] = defaultdict(list)
        for item in data:
            groups[item.group].append(item)
        order = sorted((g for g in groups if g != AGENCY_WIDE), key=str.casefold)
        if AGENCY_WIDE in groups:
            order.append(AGENCY_WIDE)
        note = self.current_values_note(self.as_of)
        flowables: list[Flowable] = [note] if note is not None else []
        for number, group in enumerate(order):
            if number:
                flowables.append(PageBreak())
            flowables.append(self.group_table(group, groups[group]))
        return flowables

    def table(self, data: list[Reminder]) -> ExportTable:
        return ExportTable(
            ("due", "kind", "who", "badge", "shift", "unit", "what"),
            [[r.due.isoformat(), r.kind, r.who, r.badge, r.shift, r.unit, r.what] for r in data],
            kinds={"due": DATE},
        )
