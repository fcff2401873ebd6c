"""Table models of compliance: the officers x requirements matrix, one officer's results, and
the topic sub-minimums of one result."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from deesc_desktop.core.compliance import (
    RequirementResult,
    Status,
    SubMinimumResult,
    hours_text,
)
from deesc_desktop.core.hours import format_hours
from deesc_desktop.core.names import name_key
from deesc_desktop.gui import style
from deesc_desktop.gui.models import RIGHT, Column, Index, RowsModel, natural_key
from deesc_desktop.services.compliance import OfficerCompliance
from deesc_desktop.services.training_due import needs_text

STATUS_MARK = {Status.COMPLIANT: "✓ ", Status.DUE_SOON: "! ", Status.NON_COMPLIANT: "✗ "}
"""A mark before a status's words in a cell, to catch the eye."""


def status_text(status: Status) -> str:
    """How a status reads in a cell: words first, a mark to catch the eye ("n/a" is short)."""
    if status is Status.NOT_APPLICABLE:
        return "n/a"
    return STATUS_MARK.get(status, "") + status.label


def status_tone(status: Status) -> style.Tone:
    return style.COMPLIANCE_TONE[status.value]


def window_text(result: RequirementResult) -> str:
    if result.window_start is None or result.window_end is None:
        return ""
    return f"{result.window_start.isoformat()} to {result.window_end.isoformat()}"


CELL_MARK = {status: STATUS_MARK.get(status, "") for status in Status if status.outstanding}
"""Before the reason in a cell of a requirement not met yet; the tone says the rest."""


def cell_text(result: RequirementResult) -> str:
    """A requirement's cell: the reason in a few words when it is not met yet ("✗ short 6 h
    of high-risk traffic stops, due 2025-06-30"), else the status."""
    mark = CELL_MARK.get(result.status)
    if mark is None:
        return status_text(result.status)
    return mark + result.reason


def short_summary(result: RequirementResult) -> str:
    """One line for a tooltip or a list: status, hours, due date."""
    parts = [result.status.label]
    hours = hours_text(result)
    if hours:
        parts.append(hours)
    if result.shortfall:
        parts.append(f"short {format_hours(result.shortfall)} h")
    if result.due_date is not None:
        parts.append(f"due {result.due_date.isoformat()}")
    return " · ".join(parts)


# --- the matrix ------------------------------------------------------------------------------

BADGE, OFFICER, UNIT, SHIFT, OVERALL = range(5)
FIRST_REQUIREMENT = 5
"""Columns from here on are the requirements in force, in the order the engine gives them."""
HEADER_CHARS = 22
"""A requirement column's title wraps at this many characters, on two lines at most."""


def _fixed_columns() -> tuple[Column, ...]:
    return (
        Column("Badge", lambda r: r.officer.badge, lambda r: natural_key(r.officer.badge)),
        Column(
            "Officer",
            lambda r: r.officer.display_name,
            lambda r: name_key(r.officer.last_name, r.officer.first_name),
        ),
        Column("Unit", lambda r: r.officer.unit),
        Column("Shift", lambda r: r.officer.shift),
        Column(
            "Overall",
            lambda r: status_text(r.worst),
            lambda r: (r.worst.severity, name_key(r.officer.last_name, r.officer.first_name)),
            tip="The status that most needs attention across every requirement",
        ),
    )


class ComplianceMatrixModel(RowsModel):
    """Officers (rows) against the requirements in force (columns), plus an Overall column.

    Each status cell shows words with a mark, coloured text on a pale background of the same
    tone: colour is never the only sign.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.COLUMNS = _fixed_columns()
        self.requirements: list[tuple[str, str]] = []
        """(requirement id, title) of each requirement column, in column order."""

    def set_matrix(self, rows: Sequence[OfficerCompliance]) -> None:
        """Replace every row; the requirement columns follow the results."""
        requirements: dict[str, str] = {}
        for row in rows:
            for result in row.results:
                requirements.setdefault(result.requirement_id, result.requirement_title)
        self.beginResetModel()
        self.requirements = list(requirements.items())
        self.COLUMNS = _fixed_columns() + tuple(
            self._requirement_column(number, requirement_id, title)
            for number, (requirement_id, title) in enumerate(self.requirements)
        )
        if self._sort_column >= len(self.COLUMNS):
            self._sort_column = OFFICER
        self._rows = list(rows)
        self._keys = {}
        self._order = list(range(len(self._rows)))
        self._apply_sort()
        self.endResetModel()

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.set_matrix(rows)

    @staticmethod
    def _requirement_column(number: int, requirement_id: str, title: str) -> Column:
        def result(row: OfficerCompliance) -> RequirementResult | None:
            found = row.results[number] if number < len(row.results) else None
            if found is None or found.requirement_id != requirement_id:
                found = next((r for r in row.results if r.requirement_id == requirement_id), None)
            return found

        def text(row: OfficerCompliance) -> str:
            found = result(row)
            return cell_text(found) if found else ""

        def key(row: OfficerCompliance) -> tuple[int, tuple[object, ...]]:
            found = result(row)
            order = found.status.severity if found else 9
            return (order, name_key(row.officer.last_name, row.officer.first_name))

        return Column(title, text, key, tip=f"{title} ({requirement_id})")

    def result(self, row: OfficerCompliance, column: int) -> RequirementResult | None:
        """The result behind a requirement cell; None for the other columns."""
        if column < FIRST_REQUIREMENT or column - FIRST_REQUIREMENT >= len(self.requirements):
            return None
        requirement_id = self.requirements[column - FIRST_REQUIREMENT][0]
        return next((r for r in row.results if r.requirement_id == requirement_id), None)

    def status(self, row: OfficerCompliance, column: int) -> Status | None:
        if column == OVERALL:
            return row.worst
        found = self.result(row, column)
        return found.status if found else None

    def requirement_column(self, requirement_id: str) -> int:
        """The column of a requirement, or -1."""
        for number, (rid, _title) in enumerate(self.requirements):
            if rid == requirement_id:
                return FIRST_REQUIREMENT + number
        return -1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role == Qt.ItemDataRole.BackgroundRole:
            status = self.status(self.row(index.row()), index.column())
            return style.tone_background(status_tone(status)) if status else None
        return super().data(index, role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and FIRST_REQUIREMENT <= section < len(self.COLUMNS)
        ):
            # Requirement titles are long: two lines keep the status columns narrow.
            lines = textwrap.wrap(self.COLUMNS[section].title, HEADER_CHARS)
            if len(lines) > 2:
                lines = [
                    lines[0],
                    textwrap.shorten(" ".join(lines[1:]), HEADER_CHARS, placeholder="…"),
                ]
            return "\n".join(lines)
        return super().headerData(section, orientation, role)

    def foreground(self, row: OfficerCompliance, column: int) -> QColor | None:
        status = self.status(row, column)
        return style.tone_text(status_tone(status)) if status else None

    def tooltip(self, row: OfficerCompliance, column: int) -> str | None:
        if column == OVERALL:
            return "\n".join(f"{r.requirement_title}: {r.status.label}" for r in row.results)
        found = self.result(row, column)
        if found is None:
            return None
        return (
            f"{found.requirement_title}: {found.status.label}\n{found.reason}\n"
            f"{short_summary(found)}\nClick for the explanation."
        )


def compliance_haystack(row: OfficerCompliance) -> str:
    return f"{row.officer.badge} {row.officer.last_name} {row.officer.first_name}".casefold()


# --- one officer ----------------------------------------------------------------------------


class ResultColumn:
    REQUIREMENT = 0
    STATUS = 1
    NEEDS = 2
    HOURS = 3
    DUE = 4
    WINDOW = 5


def outstanding_needs(result: RequirementResult) -> str:
    """What it takes to meet a requirement not met yet, as the training-due list says it;
    "" once it is met, exempt or does not apply."""
    return needs_text(result) if result.status.outstanding else ""


class OfficerResultsModel(RowsModel):
    """One officer's result on each requirement in force."""

    COLUMNS = (
        Column("Requirement", lambda r: r.requirement_title, width=36),
        Column(
            "Status",
            lambda r: status_text(r.status),
            lambda r: (r.status.severity, r.requirement_title),
            width=15,
        ),
        Column(
            "Needs",
            outstanding_needs,
            tip="What it takes to meet the requirement, when it is not met yet",
            width=26,
        ),
        Column(
            "Hours",
            hours_text,
            lambda r: (r.earned or 0, r.adjusted_required or 0),
            tip="Hours earned in the window, of the hours required after leave and hire date",
            width=11,
        ),
        Column(
            "Due",
            lambda r: r.due_date.isoformat() if r.due_date else "",
            lambda r: r.due_date.isoformat() if r.due_date else "9999",
            width=11,
        ),
        Column("Window", window_text, lambda r: window_text(r)),
    )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            index.isValid()
            and role == Qt.ItemDataRole.BackgroundRole
            and index.column() == ResultColumn.STATUS
        ):
            return style.tone_background(status_tone(self.row(index.row()).status))
        return super().data(index, role)

    def foreground(self, row: RequirementResult, column: int) -> QColor | None:
        if column == ResultColumn.STATUS:
            return style.tone_text(status_tone(row.status))
        return None

    def tooltip(self, row: RequirementResult, column: int) -> str | None:
        return row.explanation


class SubMinimumModel(RowsModel):
    """The topic sub-minimums of one hours requirement: required, earned, short."""

    COLUMNS = (
        Column("Topic minimum", lambda r: r.label),
        Column(
            "Required",
            lambda r: _required_text(r),
            lambda r: r.adjusted_required,
            RIGHT,
        ),
        Column("Earned", lambda r: f"{format_hours(r.earned)} h", lambda r: r.earned, RIGHT),
        Column(
            "Short",
            lambda r: f"{format_hours(r.shortfall)} h" if r.shortfall else "✓ met",
            lambda r: r.shortfall,
            RIGHT,
        ),
    )

    def foreground(self, row: SubMinimumResult, column: int) -> QColor | None:
        if column == 3:
            return QColor(style.Colour.OK if row.met else style.Colour.ERROR)
        return None


def _required_text(row: SubMinimumResult) -> str:
    if row.adjusted_required != row.required:
        return f"{format_hours(row.adjusted_required)} h (of {format_hours(row.required)})"
    return f"{format_hours(row.required)} h"
