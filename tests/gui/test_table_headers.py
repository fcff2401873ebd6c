"""Every table on every page starts with each column wide enough to read its name."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractProxyModel, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QTableView

from deesc_desktop.gui.mainwindow import MainWindow
from deesc_desktop.gui.models import RowsModel
from deesc_desktop.gui.pages import PageId
from tests.gui.helpers import settle


def clipped_headers(view: QTableView) -> list[str]:
    """The names of the columns, sized by their model, too narrow for their own header."""
    model = view.model()
    source = model.sourceModel() if isinstance(model, QAbstractProxyModel) else model
    if not isinstance(source, RowsModel):
        return []
    bold = QFont(view.font())
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    header = view.horizontalHeader()
    clipped = []
    for column in source.column_widths():
        if header.isSectionHidden(column):
            continue  # shown only when it has something to say (CIT expiry)
        name = str(source.headerData(column, Qt.Orientation.Horizontal))
        needed = max(metrics.horizontalAdvance(line) for line in name.split("\n"))
        if header.sectionSize(column) < needed + 12:  # the section's own padding
            clipped.append(name)
    return clipped


def test_no_column_header_is_clipped_on_any_page(qtbot: Any, window: MainWindow) -> None:
    """The incidents table read "Officers hu…" and "Trained befo…" at its starting widths."""
    clipped = {}
    for page_id in PageId:
        page = window.show_page(page_id)
        settle()
        for view in page.findChildren(QTableView):
            if names := clipped_headers(view):
                clipped[f"{page_id.value}: {type(view.model()).__name__}"] = names
    assert clipped == {}
