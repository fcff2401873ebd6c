"""Print what a page shows: its table as the user sees it (filtered, sorted, visible columns),
under the agency, the page's title and the date, on any printer or to PDF."""

from __future__ import annotations

from datetime import datetime
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QTableView, QWidget

from deesc_desktop.gui import prompts

ROWS_PER_PAGE = 40
"""A rough count for the print dialog's page range; the document lays out the real pages."""


def table_html(view: QTableView, title: str, lines: list[str]) -> str:
    """The view's visible columns and rows, in the view's order, as an HTML table."""
    model = view.model()
    columns = [c for c in range(model.columnCount()) if not view.isColumnHidden(c)]
    header = "".join(
        f"<th align='left'>{escape(str(model.headerData(c, Qt.Orientation.Horizontal) or ''))}</th>"
        for c in columns
    )
    rows = []
    for r in range(model.rowCount()):
        cells = "".join(f"<td>{escape(str(model.index(r, c).data() or ''))}</td>" for c in columns)
        rows.append(f"<tr>{cells}</tr>")
    intro = "".join(f"<p style='color:#555555'>{escape(line)}</p>" for line in lines if line)
    return (
        "<html><body style='font-family: DejaVu Sans, sans-serif; font-size: 8pt'>"
        f"<h2>{escape(title)}</h2>{intro}"
        "<table border='1' cellspacing='0' cellpadding='3' width='100%'"
        " style='border-collapse: collapse; border-color: #b8b8b8'>"
        f"<thead><tr style='background:#e4e8ee'>{header}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"<p style='color:#555555'>{model.rowCount()} rows. Printed "
        f"{datetime.now().strftime('%Y-%m-%d %H:%M')} by deesc-desktop.</p></body></html>"
    )


def print_table(parent: QWidget, view: QTableView, title: str, lines: list[str]) -> bool:
    """Ask for a printer and print the table; False when cancelled or nothing to print."""
    rows = view.model().rowCount()
    printer = prompts.choose_printer(parent, rows // ROWS_PER_PAGE + 1)
    if printer is None:
        return False
    document = QTextDocument()
    document.setHtml(table_html(view, title, lines))
    document.print_(printer)
    return True
