"""Table models of the import wizard: the file preview and the problems a dry run found."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    Qt,
)

from deesc_desktop.gui.models import RIGHT, Column, Index, RowsModel


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One refusal of an import, located as the spreadsheet shows it."""

    file: str
    row: int | None
    column: str | None
    reason: str


class ImportProblemColumn(IntEnum):
    FILE = 0
    ROW = 1
    COLUMN = 2
    REASON = 3


class ImportProblemModel(RowsModel):
    """Every problem a dry run found, by row."""

    COLUMNS = (
        Column("File", lambda r: r.file, width=16),
        Column(
            "Row",
            lambda r: "" if r.row is None else str(r.row),
            lambda r: r.row or 0,
            RIGHT,
            width=5,
        ),
        Column("Column", lambda r: r.column or "", width=14),
        Column("Problem", lambda r: r.reason),
    )

    def tooltip(self, row: ImportProblem, column: int) -> str | None:
        return row.reason if column == ImportProblemColumn.REASON else None


class PreviewModel(QAbstractTableModel):
    """The first rows of an import file, as read, under the file's own headers."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._headers: list[str] = []
        self._rows: list[tuple[int, list[str]]] = []

    def set_table(self, headers: list[str], rows: list[tuple[int, list[str]]]) -> None:
        self.beginResetModel()
        self._headers = list(headers)
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[index.row()][1][index.column()]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        # The spreadsheet's own row number, so "row 7" in an error means this line.
        return str(self._rows[section][0]) if 0 <= section < len(self._rows) else None
