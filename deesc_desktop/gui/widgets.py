"""Small widgets the pages share: configured table views, search boxes, action buttons, cards."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from deesc_desktop.gui import style, workers
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.models import RowsModel


def table_view(
    model: QAbstractItemModel,
    *,
    sortable: bool = True,
    widths: dict[int, int] | None = None,
    stretch: int | None = None,
    sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder),
) -> QTableView:
    """A read-only, row-selecting table with fixed row heights (fast on long lists).

    `widths` are starting widths in characters per column (by default those the model's
    columns declare, seen through a filter proxy); `stretch` takes the spare room; `sort` is
    the column and order shown first.
    """
    source = model.sourceModel() if isinstance(model, QAbstractProxyModel) else model
    if widths is None and isinstance(source, RowsModel):
        widths = source.column_widths()
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    vertical = view.verticalHeader()
    vertical.hide()
    # Fixed heights let Qt lay out 50,000 rows without measuring each one.
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(view.fontMetrics().height() + style.TABLE_ROW_PADDING)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    char = view.fontMetrics().averageCharWidth()
    bold = QFont(view.font())
    bold.setBold(True)
    label = QFontMetrics(bold)
    for column, chars in (widths or {}).items():
        # Never narrower than the column's own name: a clipped "Officers hu…" tells nobody
        # what the numbers under it are.
        name = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        named = max(label.horizontalAdvance(line) for line in name.split("\n"))
        header.resizeSection(column, max(chars * char + 24, named + style.TABLE_HEADER_PADDING))
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)
    if sortable:
        # The indicator first: enabling sorting sorts at once by whatever it shows.
        header.setSortIndicator(*sort)
        view.setSortingEnabled(True)
    return view


def filtered_table(
    model: RowsModel,
    proxy: QAbstractProxyModel,
    *,
    sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder),
    stretch: int | None = None,
) -> QTableView:
    """A table of `model` seen through the filter `proxy`, sorted by `sort` from the start
    (the model sorts itself, one key per row, before its rows arrive)."""
    model.sort(*sort)
    proxy.setSourceModel(model)
    return table_view(proxy, sort=sort, stretch=stretch)


class SearchBox(QLineEdit):
    """A search field that reports its text shortly after typing stops."""

    search = Signal(str)

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        # Wide enough for the whole hint, with the clear button and the frame beside it.
        self.setMinimumWidth(max(160, self.fontMetrics().horizontalAdvance(placeholder) + 48))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(lambda: self.search.emit(self.text()))
        self.textChanged.connect(lambda _text: self._timer.start())

    def flush(self) -> None:
        """Report the text now (tests, and Enter)."""
        self._timer.stop()
        self.search.emit(self.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.flush()


def push_button(text: str, on_click: Callable[[], object]) -> QPushButton:
    button = QPushButton(text)
    button.clicked.connect(lambda _checked=False: on_click())
    return button


def button_row(*buttons: QWidget) -> QHBoxLayout:
    """Buttons side by side from the left, under the list they act on."""
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


def two_line_rows(view: QTableView) -> None:
    """Rows two lines high, the text wrapped between words: for a list whose names are long
    (programs, funding sources) but few, so no column has to cut its words off."""
    view.setWordWrap(True)
    view.setTextElideMode(Qt.TextElideMode.ElideNone)
    lines = 2 * view.fontMetrics().lineSpacing()
    view.verticalHeader().setDefaultSectionSize(lines + style.TABLE_ROW_PADDING)


def action_bar(actions: list[QAction]) -> QToolBar:
    """A row of page buttons that folds into a » menu when the window is narrow."""
    bar = QToolBar()
    bar.setObjectName("pageActions")
    bar.setMovable(False)
    bar.setFloatable(False)
    bar.setIconSize(QSize(18, 18))
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for action in actions:
        bar.addAction(action)
    return bar


def filter_combo(tip: str, min_chars: int = 12) -> QComboBox:
    """A filter list that may shrink below its longest entry, so narrow windows still fit."""
    combo = QComboBox()
    combo.setToolTip(tip)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(min_chars)
    return combo


def fill_value_combo(combo: QComboBox, all_text: str, blank_text: str, values: list[str]) -> None:
    """Refill a filter list with each value and how many rows hold it (blank last, as
    `blank_text`), keeping the choice made when it is still there."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(all_text, None)
    counts = Counter(values)
    for value in sorted(counts, key=lambda v: (v == "", v.casefold())):
        combo.addItem(f"{value or blank_text} ({counts[value]})", value)
    index = combo.findData(current) if current is not None else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


class Card(QFrame):
    """A dashboard card: a title, a big figure, and lines of detail."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setMinimumWidth(260)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(4)
        self.title = QLabel(title.upper())
        self.title.setObjectName("cardTitle")
        style.set_point_size(self.title, style.SMALL_POINT_SIZE, bold=True)
        layout.addWidget(self.title)
        self.figure = QLabel()
        self.figure.setObjectName("cardNumber")
        style.set_point_size(self.figure, style.CARD_NUMBER_POINT_SIZE, bold=True)
        layout.addWidget(self.figure)
        self.caption = QLabel()
        self.caption.setObjectName("muted")
        self.caption.setWordWrap(True)
        layout.addWidget(self.caption)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.body)
        layout.addStretch(1)

    def set_content(self, figure: str, caption: str = "", lines: list[str] | None = None) -> None:
        """Set the big figure, its caption, and detail lines (rich text, escaped by the caller)."""
        self.figure.setText(figure)
        self.caption.setText(caption)
        self.caption.setVisible(bool(caption))
        self.body.setText("<br>".join(lines or []))
        self.body.setVisible(bool(lines))


def muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label


class LoadingTab(QWidget):
    """A tab that reads its data on a worker once built, showing "Loading…" meanwhile."""

    def __init__(self, ctx: AppContext, officer_id: int) -> None:
        super().__init__()
        self.ctx = ctx
        self.officer_id = officer_id
        self.layout_ = QVBoxLayout(self)
        self.summary = QLabel("Loading…")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.layout_.addWidget(self.summary)

    def start(self, query: Callable[[Database], Any], show: Callable[[Any], None]) -> None:
        workers.run_query(
            self.ctx.db_path,
            query,
            owner=self,
            on_result=show,
            on_error=lambda exc: self.summary.setText(escape(f"Could not read this: {exc}")),
        )
