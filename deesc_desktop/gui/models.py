"""The generic table models: RowsModel over query results, its columns, filters and proxies.

Each list's own model (roster_models, training_models, claim_models, ...) is a RowsModel: it
holds plain rows (named tuples from the store's list queries, or core records) and answers
`data()` from them: no widget per cell, so 50,000 officers cost one list in memory.

Sorting is done by the model, with one Python key per row, and the RowFilterProxy asks it
to: a QSortFilterProxyModel left to sort on its own calls back into Python for every
comparison (3.7 s for 50,000 rows, against about 0.1 s this way).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from deesc_desktop.core.hours import format_hours
from deesc_desktop.core.names import name_key
from deesc_desktop.core.topics import TOPICS

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
"""data() with this role gives the whole row object behind any cell."""
ID_ROLE = Qt.ItemDataRole.UserRole + 2
"""data() with this role gives the row's database id."""

Index = QModelIndex | QPersistentModelIndex
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its header, the text of a cell, and how it sorts."""

    title: str
    text: Callable[[Any], str]
    key: Callable[[Any], Any] | None = None
    align: Qt.AlignmentFlag = LEFT
    tip: str = ""
    width: int | None = None
    """Starting width in characters (table_view); None leaves Qt's default."""


def natural_key(text: str) -> tuple[int, int, str]:
    """Badge 99 before badge 100; letters after numbers."""
    stripped = text.strip()
    if stripped.isdecimal():
        return (0, int(stripped), stripped)
    return (1, 0, stripped.casefold())


def topic_text(split: Sequence[tuple[str, int]], labels: dict[str, str] | None = None) -> str:
    """ "De-escalation 4.0 · Use of force 2.0"; a single topic shows without hours."""
    names = labels or TOPICS
    if len(split) == 1:
        return names.get(split[0][0], split[0][0])
    return " · ".join(f"{names.get(code, code)} {format_hours(hours)}" for code, hours in split)


def score_text(pre: float | None, post: float | None) -> str:
    if pre is None and post is None:
        return ""
    return f"{'–' if pre is None else f'{pre:g}'} → {'–' if post is None else f'{post:g}'}"


class RowsModel(QAbstractTableModel):
    """A read-only table over a list of rows, described by COLUMNS; sorts itself."""

    COLUMNS: tuple[Column, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._order: list[int] = []
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._keys: dict[int, list[Any]] = {}
        self.stamp = 0
        """Changes whenever rows or their order change (RowFilterProxy rebuilds on it)."""

    # --- content ----------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace every row, keeping the current sort."""
        self.beginResetModel()
        self._rows = list(rows)
        self._keys = {}
        self._order = list(range(len(self._rows)))
        self._apply_sort()
        self.endResetModel()

    def column_widths(self) -> dict[int, int]:
        """Each column's starting width in characters, where its Column gives one."""
        return {number: c.width for number, c in enumerate(self.COLUMNS) if c.width is not None}

    def all_rows(self) -> list[Any]:
        """The rows in the order they were given (not the sorted order)."""
        return self._rows

    def row(self, row: int) -> Any:
        return self._rows[self._order[row]]

    def find_row(self, predicate: Callable[[Any], bool]) -> int:
        """The model row of the first row matching `predicate`, or -1."""
        for position, number in enumerate(self._order):
            if predicate(self._rows[number]):
                return position
        return -1

    # --- Qt model API -----------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[self._order[index.row()]]
        column = self.COLUMNS[index.column()]
        # Editable combo boxes and completers read EditRole: give them the same text.
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return getattr(row, "id", None)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, index.column())
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(row, index.column())
        if role == Qt.ItemDataRole.DecorationRole:
            return self.decoration(row, index.column())
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        column = self.COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole and column.tip:
            return column.tip
        # Headers keep the view's left alignment even over right-aligned numbers: the sort
        # arrow is drawn at a section's right edge, on top of right-aligned header text.
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not -1 <= column < len(self.COLUMNS):
            return
        if (column, order) == (self._sort_column, self._sort_order):
            return  # already so: QTableView.sortByColumn asks twice
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        remembered = [(self._order[index.row()], index.column()) for index in old]
        self._apply_sort()
        if old:
            position = {number: row for row, number in enumerate(self._order)}
            self.changePersistentIndexList(
                old, [self.index(position[number], col) for number, col in remembered]
            )
        self.layoutChanged.emit()

    def _apply_sort(self) -> None:
        self.stamp += 1
        if self._sort_column < 0:
            self._order = list(range(len(self._rows)))
            return
        keys = self._keys.get(self._sort_column)
        if keys is None:
            # Keys once per column and load: sorting the other way, or back, costs no keys.
            column = self.COLUMNS[self._sort_column]
            key = column.key or (lambda row: column.text(row).casefold())
            keys = self._keys[self._sort_column] = [key(row) for row in self._rows]
        self._order.sort(
            key=keys.__getitem__,
            reverse=self._sort_order == Qt.SortOrder.DescendingOrder,
        )

    # --- hooks ------------------------------------------------------------------------------------

    def tooltip(self, row: Any, column: int) -> str | None:
        return None

    def foreground(self, row: Any, column: int) -> QColor | None:
        return None

    def decoration(self, row: Any, column: int) -> Any:
        return None


class RowFilterProxy(QSortFilterProxyModel):
    """Filters a RowsModel with a Python predicate over its rows; sorting goes to the model.

    The predicate runs once per row when the filter or the rows change, into an array by
    model row; Qt's per-row callback then only reads that array, which keeps
    search-as-you-type quick on 50,000 rows.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._model: RowsModel | None = None
        self._predicate: Callable[[Any], bool] | None = None
        self._accepted = bytearray()
        self._stamp = -1

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        assert isinstance(model, RowsModel)
        self._model = model
        self._stamp = -1
        super().setSourceModel(model)

    def source(self) -> RowsModel:
        assert self._model is not None
        return self._model

    def set_predicate(self, predicate: Callable[[Any], bool] | None) -> None:
        self._predicate = predicate
        self._stamp = -1
        # invalidate() re-maps in one layout change; a filter change per row range would
        # send the view thousands of row-removal signals for a scattered result.
        self.invalidate()

    def _rebuild(self) -> None:
        model = self.source()
        predicate = self._predicate
        if predicate is not None:
            rows = model._rows
            self._accepted = bytearray(1 if predicate(rows[i]) else 0 for i in model._order)
        self._stamp = model.stamp

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self._predicate is None:
            return True
        if self._stamp != self.source().stamp:
            self._rebuild()
        return bool(self._accepted[source_row])

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.source().sort(column, order)

    def row(self, proxy_row: int) -> Any:
        return self.index(proxy_row, 0).data(ROW_ROLE)


class ListFilterProxy(QAbstractProxyModel):
    """Filters a RowsModel like RowFilterProxy, without a Python call per row from Qt.

    The rows shown are a list of model rows worked out in one list comprehension; Qt asks
    Python only about the cells it draws. `set_predicate(..., narrows=True)` filters the
    rows already shown instead of every row, for a search whose text only grew.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._model: RowsModel | None = None
        self._predicate: Callable[[Any], bool] | None = None
        self._shown: list[int] = []
        """Model rows shown, in model order; proxy row n shows model row _shown[n]."""
        self._position: dict[int, int] | None = None
        """Model row -> proxy row, made when first asked for."""
        self._saved: list[tuple[QPersistentModelIndex, int, int]] = []

    # --- source ----------------------------------------------------------------------------------

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        assert isinstance(model, RowsModel)
        self.beginResetModel()
        self._model = model
        super().setSourceModel(model)
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._source_reset)
        model.layoutAboutToBeChanged.connect(self._source_layout_about_to_change)
        model.layoutChanged.connect(self._source_layout_changed)
        model.dataChanged.connect(self._source_data_changed)
        model.headerDataChanged.connect(self.headerDataChanged)
        self._shown = self._filter(None)
        self.endResetModel()

    def source(self) -> RowsModel:
        assert self._model is not None
        return self._model

    def _filter(self, among: list[int] | None) -> list[int]:
        model = self.source()
        rows, order = model._rows, model._order
        predicate = self._predicate
        if predicate is None:
            return list(range(len(order)))
        if among is None:
            return [n for n, number in enumerate(order) if predicate(rows[number])]
        return [n for n in among if predicate(rows[order[n]])]

    def _source_reset(self) -> None:
        self._shown = self._filter(None)
        self._position = None
        self.endResetModel()

    def _source_layout_about_to_change(self) -> None:
        # The model re-sorts: remember which model row (by its row object) each persistent
        # index showed, to find it again in the new order.
        self.layoutAboutToBeChanged.emit()
        model = self.source()
        self._saved = [
            (QPersistentModelIndex(index), model._order[self._shown[index.row()]], index.column())
            for index in self.persistentIndexList()
        ]

    def _source_layout_changed(self) -> None:
        self._shown = self._filter(None)
        self._remap_persistent()
        self.layoutChanged.emit()

    def _remap_persistent(self) -> None:
        saved, self._saved = self._saved, []
        if not saved:
            return
        order = self.source()._order
        at = {number: n for n, number in enumerate(order)}
        position = self._positions()
        # PySide6 converts a persistent index as C++ does; its type stubs do not say so.
        old = [QModelIndex(persistent) for persistent, _number, _column in saved]  # type: ignore[call-overload]
        new = []
        for _persistent, number, column in saved:
            row = position.get(at.get(number, -1), -1)
            new.append(self.createIndex(row, column) if row >= 0 else QModelIndex())
        self.changePersistentIndexList(old, new)

    def _source_data_changed(
        self, top_left: QModelIndex, bottom_right: QModelIndex, roles: list[int]
    ) -> None:
        position = self._positions()
        rows = [position[n] for n in range(top_left.row(), bottom_right.row() + 1) if n in position]
        if rows:
            self.dataChanged.emit(
                self.index(min(rows), top_left.column()),
                self.index(max(rows), bottom_right.column()),
                roles,
            )

    def _positions(self) -> dict[int, int]:
        if self._position is None:
            self._position = {number: n for n, number in enumerate(self._shown)}
        return self._position

    # --- filter ----------------------------------------------------------------------------------

    def set_predicate(self, predicate: Callable[[Any], bool] | None, narrows: bool = False) -> None:
        """Show the rows `predicate` accepts (all for None); `narrows`: it accepts no row the
        previous predicate refused, so only the rows shown need testing."""
        among = self._shown if narrows and self._predicate is not None else None
        self._predicate = predicate
        self.layoutAboutToBeChanged.emit()
        model = self.source()
        self._saved = [
            (QPersistentModelIndex(index), model._order[self._shown[index.row()]], index.column())
            for index in self.persistentIndexList()
        ]
        self._shown = self._filter(among)
        self._position = None
        self._remap_persistent()
        self.layoutChanged.emit()

    # --- Qt proxy API ----------------------------------------------------------------------------

    def mapToSource(self, proxy_index: Index) -> QModelIndex:
        if not proxy_index.isValid() or self._model is None:
            return QModelIndex()
        row = proxy_index.row()
        if not 0 <= row < len(self._shown):
            return QModelIndex()
        return self._model.index(self._shown[row], proxy_index.column())

    def mapFromSource(self, source_index: Index) -> QModelIndex:
        if not source_index.isValid():
            return QModelIndex()
        row = self._positions().get(source_index.row())
        return QModelIndex() if row is None else self.createIndex(row, source_index.column())

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._shown)):
            return QModelIndex()
        if not 0 <= column < self.columnCount():
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._model is None:
            return 0
        return self._model.columnCount()

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and bool(self._shown)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if self._model is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._model.headerData(section, orientation, role)
        if 0 <= section < len(self._shown):
            return self._model.headerData(self._shown[section], orientation, role)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.source().sort(column, order)

    def row(self, proxy_row: int) -> Any:
        return self.source().row(self._shown[proxy_row])


def all_of(tests: list[Callable[[Any], bool]]) -> Callable[[Any], bool] | None:
    """One predicate that needs every test; None (show all) for no tests."""
    if not tests:
        return None
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        # The usual case (search and one filter), run per row per keystroke: no generator.
        first, second = tests
        return lambda row: first(row) and second(row)

    def every(row: Any) -> bool:
        return all(test(row) for test in tests)

    return every


def words_predicate(text: str, haystack: Callable[[Any], str]) -> Callable[[Any], bool] | None:
    """Rows whose haystack contains every word typed, in any order and case; None for blank."""
    words = text.casefold().split()
    if not words:
        return None
    return lambda row: all(word in haystack(row) for word in words)


# --- the roster ----------------------------------------------------------------------------------


# --- training records ----------------------------------------------------------------------------


# --- an officer's transcript and exemptions ------------------------------------------------------


# --- imports -------------------------------------------------------------------------------------


# --- choosing attendees --------------------------------------------------------------------------


class OfficerChoiceModel(RowsModel):
    """Officers to pick one from, shown as "Last, First — badge 123"."""

    COLUMNS = (
        Column(
            "Officer",
            lambda r: f"{r.display_name} — badge {r.badge}",
            lambda r: name_key(r.last_name, r.first_name, r.badge),
        ),
    )


# --- users ---------------------------------------------------------------------------------------
