"""Table models of the roster and of one officer's transcript and leave."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtGui import QColor

from deesc_desktop.core.hours import format_hours
from deesc_desktop.core.models import Exemption, TrainingRecord
from deesc_desktop.core.names import name_key
from deesc_desktop.core.topics import DELIVERIES, TOPICS
from deesc_desktop.gui import style
from deesc_desktop.gui.models import RIGHT, Column, RowsModel, natural_key, score_text, topic_text
from deesc_desktop.services.training_due import NEEDS_SEPARATOR
from deesc_desktop.store.officers import RosterRow


class RosterColumn(IntEnum):
    BADGE = 0
    NAME = 1
    RANK = 2
    UNIT = 3
    SHIFT = 4
    STATUS = 5
    HIRE_DATE = 6
    LICENSE_DATE = 7
    NEEDS = 8


class RosterModel(RowsModel):
    """The roster: one RosterRow per officer, and what each needs once that is worked out."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.needs: dict[int, str] | None = None
        """Officer id -> what they need in the next 90 days; None until worked out."""
        self.COLUMNS = (
            *self.BASE_COLUMNS,
            Column(
                "Needs",
                lambda r: self._needs_text(r),
                lambda r: (not self._needs_text(r), self._needs_text(r).casefold()),
                tip="Requirements overdue or due in the next 90 days, and what they take",
                width=28,
            ),
        )

    def _needs_text(self, row: RosterRow) -> str:
        if self.needs is None:
            return "…"
        return self.needs.get(row.id, "")

    def set_needs(self, needs: dict[int, str] | None) -> None:
        """Show what each officer needs (None: not known yet), keeping the sort."""
        self.needs = needs
        self._keys.pop(RosterColumn.NEEDS, None)
        if self._sort_column == RosterColumn.NEEDS:
            order, self._sort_column = self._sort_order, -2  # sort() skips a sort it has
            self.sort(RosterColumn.NEEDS, order)
        if self._rows:
            last = self.index(len(self._rows) - 1, RosterColumn.NEEDS)
            self.dataChanged.emit(self.index(0, RosterColumn.NEEDS), last)

    BASE_COLUMNS = (
        Column("Badge", lambda r: r.badge, lambda r: natural_key(r.badge), width=6),
        Column(
            "Name",
            lambda r: r.display_name,
            lambda r: name_key(r.last_name, r.first_name),
            width=17,
        ),
        Column("Rank", lambda r: r.rank, width=10),
        Column("Unit", lambda r: r.unit, width=12),
        Column("Shift", lambda r: r.shift, width=8),
        Column(
            "Status",
            lambda r: style.status_text(r.status),
            lambda r: style.STATUS_ORDER.get(r.status, 9),
            width=10,
        ),
        Column("Hire date", lambda r: r.hire_date, lambda r: r.hire_date, width=10),
        Column(
            "License date",
            lambda r: r.license_date or "",
            lambda r: r.license_date or "",
            tip="Date of the officer's state license or certification",
            width=12,
        ),
    )

    def foreground(self, row: RosterRow, column: int) -> QColor | None:
        if column == RosterColumn.STATUS:
            return style.status_colour(row.status)
        return None

    def decoration(self, row: RosterRow, column: int) -> Any:
        if column == RosterColumn.STATUS:
            return style.status_icon(row.status)
        return None

    def tooltip(self, row: RosterRow, column: int) -> str | None:
        if column == RosterColumn.NEEDS and self.needs:
            return self.needs.get(row.id, "").replace(NEEDS_SEPARATOR, "\n") or None
        if column == RosterColumn.STATUS and row.separation_date:
            return f"Separated on {row.separation_date}"
        return None


class TranscriptColumn(IntEnum):
    COMPLETED = 0
    COURSE = 1
    HOURS = 2
    TOPICS = 3
    DELIVERY = 4
    INSTRUCTOR = 5
    SCORES = 6


class TranscriptModel(RowsModel):
    """One officer's training records (core TrainingRecord)."""

    COLUMNS = (
        Column("Completed", lambda r: r.completed.isoformat(), lambda r: r.completed, width=11),
        Column("Course", lambda r: r.course_title, width=27),
        Column("Hours", lambda r: format_hours(r.hours), lambda r: r.hours, RIGHT, width=6),
        Column("Topics", lambda r: topic_text(r.topic_hours), width=30),
        Column("Delivery", lambda r: DELIVERIES.get(r.delivery, r.delivery), width=12),
        Column("Instructor", lambda r: r.instructor, width=17),
        Column(
            "Pre → post test",
            lambda r: score_text(r.pre_test, r.post_test),
            lambda r: r.post_test or -1,
        ),
    )

    def tooltip(self, row: TrainingRecord, column: int) -> str | None:
        if column == TranscriptColumn.TOPICS:
            return "\n".join(
                f"{TOPICS.get(code, code)}: {format_hours(hours)} h"
                for code, hours in row.topic_hours
            )
        return None


class ExemptionColumn(IntEnum):
    START = 0
    END = 1
    DAYS = 2
    REASON = 3
    APPLIES_TO = 4


def _days(row: Exemption) -> int:
    return (row.end - row.start).days + 1


class ExemptionModel(RowsModel):
    """One officer's leave and exemptions (core Exemption)."""

    COLUMNS = (
        Column("Start", lambda r: r.start.isoformat(), lambda r: r.start, width=11),
        Column("End", lambda r: r.end.isoformat(), lambda r: r.end, width=11),
        Column("Days", lambda r: str(_days(r)), _days, RIGHT, width=6),
        Column("Reason", lambda r: r.reason, width=30),
        Column(
            "Applies to",
            lambda r: ", ".join(sorted(r.requirement_ids)) or "All requirements",
        ),
    )
