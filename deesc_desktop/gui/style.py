"""The look of the app in one place: colours, spacing, fonts, the style sheet and icons."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QStyle, QStyleFactory, QWidget

from deesc_desktop.core.topics import OFFICER_STATUSES
from deesc_desktop.paths import resource

# --- sizes -----------------------------------------------------------------------------------

FONT_POINT_SIZE = 10
"""Body text; Qt's default 9 pt is too small on the office monitors this runs on."""
SMALL_POINT_SIZE = 9
HEADING_POINT_SIZE = 15
CARD_NUMBER_POINT_SIZE = 24

SPACING = 8
MARGIN = 14
NAV_WIDTH = 200
NAV_ICON_SIZE = QSize(22, 22)
TABLE_ROW_PADDING = 10
"""Extra pixels above the font height in every table row, so rows are easy to click."""
TABLE_HEADER_PADDING = 20
"""Pixels a column header needs besides its bold label: the section's padding and border
(the style sheet below) and the sort arrow."""


class Colour:
    """Named colours; status colours are always shown next to their text, never alone."""

    NAV_BACKGROUND = "#1f3a5f"
    NAV_TEXT = "#e9eff7"
    NAV_SELECTED = "#3b6ea5"
    NAV_HOVER = "#2a4b75"
    WINDOW = "#f3f5f8"
    CARD = "#ffffff"
    BORDER = "#d3dae3"
    TEXT = "#1d232b"
    MUTED = "#56616e"
    ACCENT = "#24569b"
    ERROR = "#b3261e"
    ERROR_BACKGROUND = "#fdecea"
    OK = "#2e7d32"
    WARNING = "#8a5300"
    NEUTRAL = "#5f6368"
    SELECTION = "#cfe0f5"


STATUS_COLOURS = {"active": Colour.OK, "leave": Colour.WARNING, "separated": Colour.NEUTRAL}
STATUS_ORDER = {code: position for position, code in enumerate(OFFICER_STATUSES)}


def status_text(code: str) -> str:
    """The label of an officer status ("On leave"), or the code itself when unknown."""
    return OFFICER_STATUSES.get(code, code)


def status_colour(code: str) -> QColor:
    return QColor(STATUS_COLOURS.get(code, Colour.TEXT))


@cache
def dot_icon(colour: str) -> QIcon:
    """A small filled dot in `colour`, shown beside a status's text (never instead of it)."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


def status_icon(code: str) -> QIcon:
    """The dot of an officer status."""
    return dot_icon(STATUS_COLOURS.get(code, Colour.TEXT))


class Tone:
    """A status's look: text colour, a pale cell background and the colour of its chart bar."""

    def __init__(self, text: str, background: str, bar: str) -> None:
        self.text = text
        self.background = background
        self.bar = bar


GOOD = Tone(Colour.OK, "#e7f4e8", "#4c9a52")
WARN = Tone(Colour.WARNING, "#fdf1dc", "#e0a030")
BAD = Tone(Colour.ERROR, "#fbe4e2", "#c9473d")
PENDING = Tone(Colour.ACCENT, "#e6eef8", "#6f9bd1")
QUIET = Tone(Colour.NEUTRAL, "#eef0f2", "#a7aeb6")
FAINT = Tone("#7b8591", "", "#d0d5db")

COMPLIANCE_TONE = {
    "compliant": GOOD,
    "due_soon": WARN,
    "in_progress": PENDING,
    "non_compliant": BAD,
    "exempt": QUIET,
    "not_applicable": FAINT,
}
CIT_LABEL = {"current": "Current", "expiring": "Expiring", "expired": "Expired", "none": "None"}
CIT_TONE = {"current": GOOD, "expiring": WARN, "expired": BAD, "none": FAINT}
CLAIM_TONE = {
    "draft": QUIET,
    "submitted": PENDING,
    "approved": WARN,
    "paid": GOOD,
    "denied": BAD,
    "voided": FAINT,
}


def tone_text(tone: Tone) -> QColor:
    return QColor(tone.text)


def tone_background(tone: Tone) -> QColor | None:
    return QColor(tone.background) if tone.background else None


def coloured(text: str, colour: str, *, bold: bool = False) -> str:
    """Rich text for a label: `text` (already escaped) in `colour`."""
    weight = "font-weight:bold;" if bold else ""
    return f"<span style='color:{colour};{weight}'>{text}</span>"


# --- icons -----------------------------------------------------------------------------------

_STANDARD_FALLBACK = {
    "open": QStyle.StandardPixmap.SP_DialogOpenButton,
    "new": QStyle.StandardPixmap.SP_FileIcon,
    "save": QStyle.StandardPixmap.SP_DialogSaveButton,
    "quit": QStyle.StandardPixmap.SP_DialogCloseButton,
    "help": QStyle.StandardPixmap.SP_DialogHelpButton,
    "about": QStyle.StandardPixmap.SP_MessageBoxInformation,
    "refresh": QStyle.StandardPixmap.SP_BrowserReload,
    "folder": QStyle.StandardPixmap.SP_DirOpenIcon,
    "delete": QStyle.StandardPixmap.SP_TrashIcon,
}


@cache
def icon(name: str) -> QIcon:
    """An icon from resources/icons/NAME.svg, else a standard Qt icon, else an empty icon."""
    path = resource("icons", f"{name}.svg")
    if path.is_file():
        return QIcon(str(path))
    standard = _STANDARD_FALLBACK.get(name)
    app = QApplication.instance()
    if standard is not None and isinstance(app, QApplication):
        return app.style().standardIcon(standard)
    return QIcon()


def app_icon() -> QIcon:
    return icon("app")


# --- fonts and the style sheet -----------------------------------------------------------------


def heading_font(base: QFont | None = None, size: int = HEADING_POINT_SIZE) -> QFont:
    font = QFont(base) if base is not None else QFont()
    font.setPointSize(size)
    font.setBold(True)
    return font


def set_point_size(widget: QWidget, size: int, *, bold: bool = False) -> None:
    font = widget.font()
    font.setPointSize(size)
    font.setBold(bold)
    widget.setFont(font)


STYLESHEET = f"""
QMainWindow, QDialog, QWizard {{ background: {Colour.WINDOW}; }}
QListWidget#navigation {{
    background: {Colour.NAV_BACKGROUND}; color: {Colour.NAV_TEXT}; border: none;
    padding-top: {SPACING}px; outline: 0;
}}
QListWidget#navigation::item {{ padding: 9px 10px; margin: 1px 6px; border-radius: 5px; }}
QListWidget#navigation::item:hover {{ background: {Colour.NAV_HOVER}; }}
QListWidget#navigation::item:selected {{ background: {Colour.NAV_SELECTED}; color: white; }}
QLabel#pageTitle {{ color: {Colour.TEXT}; }}
QLabel#muted, QLabel#hint {{ color: {Colour.MUTED}; }}
QFrame#card {{
    background: {Colour.CARD}; border: 1px solid {Colour.BORDER}; border-radius: 8px;
}}
QLabel#cardTitle {{ color: {Colour.MUTED}; font-weight: bold; }}
QLabel#cardNumber {{ color: {Colour.ACCENT}; }}
QLabel#fieldError {{ color: {Colour.ERROR}; }}
QLabel#formBanner {{
    color: {Colour.ERROR}; background: {Colour.ERROR_BACKGROUND};
    border: 1px solid {Colour.ERROR}; border-radius: 4px; padding: 6px;
}}
QLabel#okBanner {{ color: {Colour.OK}; }}
*[invalid="true"] {{ border: 1px solid {Colour.ERROR}; border-radius: 3px; }}
QTableView {{
    background: {Colour.CARD}; alternate-background-color: #f7f9fc;
    gridline-color: {Colour.BORDER}; selection-background-color: {Colour.SELECTION};
    selection-color: {Colour.TEXT};
}}
QHeaderView::section {{
    background: #e8edf3; color: {Colour.TEXT}; padding: 5px 6px; border: none;
    border-right: 1px solid {Colour.BORDER}; border-bottom: 1px solid {Colour.BORDER};
    font-weight: bold;
}}
QToolBar#pageActions {{ border: none; spacing: 6px; padding: 0; }}
QToolBar#pageActions QToolButton {{
    border: 1px solid {Colour.BORDER}; border-radius: 4px; background: #fbfcfd;
    padding: 4px 9px; color: {Colour.TEXT};
}}
QToolBar#pageActions QToolButton:hover {{ background: #eaf1fa; border-color: {Colour.ACCENT}; }}
QToolBar#pageActions QToolButton:disabled {{ color: #9aa3ad; background: transparent; }}
QStatusBar QLabel {{ color: {Colour.MUTED}; }}
QLabel#userBadge {{ color: {Colour.TEXT}; padding: 0 8px; }}
QLabel#working {{
    color: {Colour.ACCENT}; background: #e6eef8; border: 1px solid #b9cde8;
    border-radius: 4px; padding: 6px 10px;
}}
QFrame#detailPanel {{
    background: {Colour.CARD}; border: 1px solid {Colour.BORDER}; border-radius: 6px;
}}
QLabel#detailHeading {{ color: {Colour.TEXT}; font-weight: bold; }}
QLabel#warningBanner {{
    color: {Colour.ERROR}; background: {Colour.ERROR_BACKGROUND};
    border: 1px solid #e8b4b0; border-radius: 4px; padding: 6px 10px; font-weight: bold;
}}
QLabel#noticeBanner {{
    color: {Colour.WARNING}; background: #fdf1dc; border: 1px solid #ecd29e;
    border-radius: 4px; padding: 6px 10px;
}}
QTabBar#statusTabs::tab {{ padding: 5px 9px; }}
"""


def light_palette() -> QPalette:
    """A fixed light palette, so the cards and colours above read well on a dark desktop too."""
    palette = QPalette()
    role = QPalette.ColorRole
    palette.setColor(role.Window, QColor(Colour.WINDOW))
    palette.setColor(role.WindowText, QColor(Colour.TEXT))
    palette.setColor(role.Base, QColor(Colour.CARD))
    palette.setColor(role.AlternateBase, QColor("#f7f9fc"))
    palette.setColor(role.Text, QColor(Colour.TEXT))
    palette.setColor(role.Button, QColor("#e9edf2"))
    palette.setColor(role.ButtonText, QColor(Colour.TEXT))
    palette.setColor(role.Highlight, QColor(Colour.ACCENT))
    palette.setColor(role.HighlightedText, QColor("#ffffff"))
    palette.setColor(role.ToolTipBase, QColor("#ffffe8"))
    palette.setColor(role.ToolTipText, QColor(Colour.TEXT))
    palette.setColor(role.PlaceholderText, QColor("#7b8591"))
    palette.setColor(role.Link, QColor(Colour.ACCENT))
    disabled = QPalette.ColorGroup.Disabled
    for item in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(disabled, item, QColor("#9aa3ad"))
    return palette


def apply(app: QApplication) -> None:
    """Give the application its style, palette, base font, style sheet and icon (once)."""
    if app.property("deesc_styled"):
        return  # restyling re-polishes every live widget; once is enough
    app.setProperty("deesc_styled", True)
    fusion = QStyleFactory.create("Fusion")
    if fusion is not None:
        app.setStyle(fusion)
    app.setPalette(light_palette())
    font = app.font()
    font.setPointSize(FONT_POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)
    app.setWindowIcon(app_icon())
