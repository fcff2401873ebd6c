"""Table models of the training list and of a class's attendees and test scores."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    Qt,
)

from deesc_desktop.core.hours import format_hours
from deesc_desktop.core.names import name_key
from deesc_desktop.core.topics import DELIVERIES, TOPICS
from deesc_desktop.gui.models import (
    RIGHT,
    Column,
    Index,
    RowsModel,
    natural_key,
    score_text,
    topic_text,
)
from deesc_desktop.store.officers import RosterRow
from deesc_desktop.store.training import TrainingListRow


class TrainingColumn(IntEnum):
    COMPLETED = 0
    BADGE = 1
    OFFICER = 2
    COURSE = 3
    HOURS = 4
    TOPICS = 5
    DELIVERY = 6
    INSTRUCTOR = 7


class TrainingModel(RowsModel):
    """Training records, newest first: one TrainingListRow per officer per class."""

    COLUMNS = (
        Column("Completed", lambda r: r.completed, lambda r: (r.completed, r.id), width=11),
        Column("Badge", lambda r: r.badge, lambda r: natural_key(r.badge), width=7),
        Column(
            "Officer",
            lambda r: r.officer_name,
            lambda r: name_key(r.last_name, r.first_name),
            width=20,
        ),
        Column("Course", lambda r: r.course, width=26),
        Column("Hours", lambda r: format_hours(r.hours), lambda r: r.hours, RIGHT, width=6),
        Column("Topics", lambda r: topic_text(r.topic_hours), width=25),
        Column("Delivery", lambda r: DELIVERIES.get(r.delivery, r.delivery), width=12),
        Column("Instructor", lambda r: r.instructor),
    )

    def tooltip(self, row: TrainingListRow, column: int) -> str | None:
        if column == TrainingColumn.TOPICS:
            return "\n".join(
                f"{TOPICS.get(code, code)}: {format_hours(hours)} h"
                for code, hours in row.topic_hours
            )
        if column == TrainingColumn.COURSE:
            parts = [row.course]
            if row.course_number:
                parts.append(f"Course number {row.course_number}")
            if row.provider:
                parts.append(f"Provider: {row.provider}")
            scores = score_text(row.pre_test, row.post_test)
            if scores:
                parts.append(f"Test scores: {scores}")
            return "\n".join(parts)
        return None


def training_haystack(row: TrainingListRow) -> str:
    return f"{row.badge} {row.last_name} {row.first_name} {row.course}".casefold()


class AttendeeColumn(IntEnum):
    NAME = 0
    BADGE = 1
    SHIFT = 2
    UNIT = 3


class AttendeeModel(RowsModel):
    """Officers who can attend a class, each with a check box in the name column."""

    COLUMNS = (
        Column(
            "Officer",
            lambda r: r.display_name,
            lambda r: name_key(r.last_name, r.first_name),
            width=26,
        ),
        Column("Badge", lambda r: r.badge, lambda r: natural_key(r.badge), width=7),
        Column("Shift", lambda r: r.shift),
        Column("Unit", lambda r: r.unit),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.checked: dict[int, RosterRow] = {}

    def set_rows(self, rows: Sequence[Any]) -> None:
        known = {row.id for row in rows}
        self.checked = {key: row for key, row in self.checked.items() if key in known}
        super().set_rows(rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == AttendeeColumn.NAME:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.CheckStateRole
            and index.isValid()
            and index.column() == AttendeeColumn.NAME
        ):
            row = self.row(index.row())
            return Qt.CheckState.Checked if row.id in self.checked else Qt.CheckState.Unchecked
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.CheckStateRole
            or not index.isValid()
            or index.column() != AttendeeColumn.NAME
        ):
            return False
        row = self.row(index.row())
        self.set_checked([row], Qt.CheckState(value) == Qt.CheckState.Checked)
        return True

    def set_checked(self, rows: Sequence[RosterRow], checked: bool) -> None:
        """Tick or untick officers, e.g. a whole shift."""
        for row in rows:
            if checked:
                self.checked[row.id] = row
            else:
                self.checked.pop(row.id, None)
        if self._order:
            self.dataChanged.emit(
                self.index(0, AttendeeColumn.NAME),
                self.index(len(self._order) - 1, AttendeeColumn.NAME),
                [Qt.ItemDataRole.CheckStateRole],
            )

    def clear_checks(self) -> None:
        self.set_checked(list(self.checked.values()), False)


class ScoreColumn(IntEnum):
    OFFICER = 0
    PRE_TEST = 1
    POST_TEST = 2


class ScoresModel(QAbstractTableModel):
    """Optional pre- and post-test scores of the chosen attendees (edited in place)."""

    HEADERS = ("Officer", "Pre-test", "Post-test")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._people: list[RosterRow] = []
        self._scores: dict[int, list[float | None]] = {}

    def set_people(self, people: Sequence[RosterRow]) -> None:
        self.beginResetModel()
        self._people = sorted(people, key=lambda r: name_key(r.last_name, r.first_name))
        self._scores = {p.id: self._scores.get(p.id, [None, None]) for p in self._people}
        self.endResetModel()

    def people(self) -> list[RosterRow]:
        return list(self._people)

    def scores(self, officer_id: int) -> tuple[float | None, float | None]:
        pre, post = self._scores.get(officer_id, [None, None])
        return pre, post

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._people)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() != ScoreColumn.OFFICER:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        person = self._people[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if index.column() == ScoreColumn.OFFICER:
                return f"{person.display_name} ({person.badge})"
            value = self._scores[person.id][index.column() - 1]
            return "" if value is None else f"{value:g}"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() != ScoreColumn.OFFICER:
            return RIGHT
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() == 0:
            return False
        text = str(value).strip().rstrip("%").strip()
        try:
            score = float(text) if text else None
        except ValueError:
            return False  # not a number: the cell keeps its value
        self._scores[self._people[index.row()].id][index.column() - 1] = score
        self.dataChanged.emit(index, index)
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None
