"""Every menu and toolbar action, declared once: text, tip, shortcut, icon, keyed by ActionId.

Shortcuts use QKeySequence.StandardKey where one exists, so they match the platform
(Ctrl+O on Windows and Linux, Cmd+O on macOS). Windows, pages and dialogs never build a
QAction by hand: they take the one the registry made, so a shortcut is defined in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, auto

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenuBar, QWidget

from deesc_desktop.gui import style

StandardKey = QKeySequence.StandardKey


class ActionId(Enum):
    """Every action of the application."""

    NEW_DATABASE = auto()
    OPEN_DATABASE = auto()
    BACKUP_NOW = auto()
    IMPORT_ROSTER = auto()
    IMPORT_TRAINING = auto()
    IMPORT_LEAVE = auto()
    EXPORT_ROSTER = auto()
    EXPORT_TRAINING = auto()
    QUIT = auto()

    ADD_OFFICER = auto()
    EDIT_OFFICER = auto()
    OFFICER_DETAILS = auto()
    SEPARATE_OFFICER = auto()
    PUT_ON_LEAVE = auto()
    RETURN_TO_ACTIVE = auto()
    RECORD_CLASS = auto()
    EDIT_RECORD = auto()
    DELETE_RECORD = auto()
    ADD_LEAVE = auto()
    FIND = auto()
    REFRESH = auto()

    VIEW_DASHBOARD = auto()
    VIEW_ROSTER = auto()
    VIEW_TRAINING = auto()
    VIEW_COMPLIANCE = auto()
    VIEW_CIT = auto()
    VIEW_BONUS_CLAIMS = auto()
    VIEW_REPORTS = auto()
    VIEW_SETTINGS = auto()

    USER_GUIDE = auto()
    ABOUT = auto()


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """How one action looks and is reached."""

    text: str
    tip: str
    shortcut: StandardKey | str | None = None
    icon: str | None = None
    menu_role: QAction.MenuRole = QAction.MenuRole.NoRole
    button: str = ""
    """Text on a page button, when the menu text needs its menu to make sense."""


ACTIONS: dict[ActionId, ActionSpec] = {
    ActionId.NEW_DATABASE: ActionSpec(
        "&New database…", "Create a new, empty database for an agency", "Ctrl+Shift+N", "new"
    ),
    ActionId.OPEN_DATABASE: ActionSpec(
        "&Open database…", "Open another deesc database file", StandardKey.Open, "open"
    ),
    ActionId.BACKUP_NOW: ActionSpec(
        "&Back up now", "Copy the database to the backups folder beside it", None, "backup"
    ),
    ActionId.IMPORT_ROSTER: ActionSpec(
        "&Roster…", "Import officers from a CSV or Excel file", None, "import"
    ),
    ActionId.IMPORT_TRAINING: ActionSpec(
        "&Training (sign-in sheet)…",
        "Import completed training from a CSV or Excel file",
        "Ctrl+I",
        "import",
        button="Import sign-in sheet",
    ),
    ActionId.IMPORT_LEAVE: ActionSpec(
        "&Leave…", "Import leave and exemptions from a CSV or Excel file", None, "import"
    ),
    ActionId.EXPORT_ROSTER: ActionSpec(
        "&Roster…", "Save the roster as a CSV or Excel file", None, "export"
    ),
    ActionId.EXPORT_TRAINING: ActionSpec(
        "&Training records…", "Save every training record as a CSV or Excel file", None, "export"
    ),
    ActionId.QUIT: ActionSpec(
        "&Quit", "Close deesc-desktop", StandardKey.Quit, "quit", QAction.MenuRole.QuitRole
    ),
    ActionId.ADD_OFFICER: ActionSpec(
        "&Add officer…", "Add an officer to the roster", None, "add-officer"
    ),
    ActionId.EDIT_OFFICER: ActionSpec(
        "&Edit officer…", "Change the selected officer's details (or double-click)", None, "edit"
    ),
    ActionId.OFFICER_DETAILS: ActionSpec(
        "&Details…",
        "Profile, training transcript and leave of the selected officer",
        None,
        "details",
    ),
    ActionId.SEPARATE_OFFICER: ActionSpec(
        "&Separate…", "Record that the selected officer left the agency", None, "separate"
    ),
    ActionId.PUT_ON_LEAVE: ActionSpec(
        "Put on &leave…", "Mark the selected officer as on leave", None, "leave"
    ),
    ActionId.RETURN_TO_ACTIVE: ActionSpec(
        "Return to a&ctive…", "Mark the selected officer as active again", None, "active"
    ),
    ActionId.RECORD_CLASS: ActionSpec(
        "&Record class…", "Record one class for everyone who attended", StandardKey.New, "class"
    ),
    ActionId.EDIT_RECORD: ActionSpec(
        "&Edit record…", "Correct the selected training record", None, "edit"
    ),
    ActionId.DELETE_RECORD: ActionSpec(
        "&Delete record…",
        "Delete the selected training record (entered in error)",
        None,
        "delete",
    ),
    ActionId.ADD_LEAVE: ActionSpec(
        "Add &leave or exemption…",
        "Record leave or an exemption that waives training for a period",
        None,
        "calendar",
    ),
    ActionId.FIND: ActionSpec("&Find", "Search this list", StandardKey.Find, "search"),
    ActionId.REFRESH: ActionSpec(
        "Re&load", "Read the lists again from the database", StandardKey.Refresh, "refresh"
    ),
    ActionId.VIEW_DASHBOARD: ActionSpec("&Dashboard", "Show the dashboard", "Ctrl+1"),
    ActionId.VIEW_ROSTER: ActionSpec("&Roster", "Show the roster", "Ctrl+2"),
    ActionId.VIEW_TRAINING: ActionSpec("&Training", "Show training records", "Ctrl+3"),
    ActionId.VIEW_COMPLIANCE: ActionSpec("&Compliance", "Show compliance", "Ctrl+4"),
    ActionId.VIEW_CIT: ActionSpec("C&IT", "Show CIT certification", "Ctrl+5"),
    ActionId.VIEW_BONUS_CLAIMS: ActionSpec("&Bonus claims", "Show bonus claims", "Ctrl+6"),
    ActionId.VIEW_REPORTS: ActionSpec("R&eports", "Show reports", "Ctrl+7"),
    ActionId.VIEW_SETTINGS: ActionSpec("&Settings", "Show settings", "Ctrl+8"),
    ActionId.USER_GUIDE: ActionSpec(
        "&User guide", "Open the user guide", StandardKey.HelpContents, "help"
    ),
    ActionId.ABOUT: ActionSpec(
        "&About deesc-desktop", "Version and database", None, "about", QAction.MenuRole.AboutRole
    ),
}

SEPARATOR = None

MENUS: tuple[tuple[str, tuple[ActionId | str | None, ...]], ...] = (
    (
        "&File",
        (
            ActionId.NEW_DATABASE,
            ActionId.OPEN_DATABASE,
            ActionId.BACKUP_NOW,
            SEPARATOR,
            "&Import",
            SEPARATOR,
            "&Export",
            SEPARATOR,
            ActionId.QUIT,
        ),
    ),
    (
        "&Edit",
        (
            ActionId.ADD_OFFICER,
            ActionId.RECORD_CLASS,
            ActionId.ADD_LEAVE,
            SEPARATOR,
            ActionId.FIND,
            ActionId.REFRESH,
        ),
    ),
    (
        "&View",
        (
            ActionId.VIEW_DASHBOARD,
            ActionId.VIEW_ROSTER,
            ActionId.VIEW_TRAINING,
            ActionId.VIEW_COMPLIANCE,
            ActionId.VIEW_CIT,
            ActionId.VIEW_BONUS_CLAIMS,
            ActionId.VIEW_REPORTS,
            ActionId.VIEW_SETTINGS,
        ),
    ),
    ("&Help", (ActionId.USER_GUIDE, ActionId.ABOUT)),
)
"""The menu bar: a string entry is a submenu, laid out from SUBMENUS."""

SUBMENUS: dict[str, tuple[ActionId, ...]] = {
    "&Import": (ActionId.IMPORT_ROSTER, ActionId.IMPORT_TRAINING, ActionId.IMPORT_LEAVE),
    "&Export": (ActionId.EXPORT_ROSTER, ActionId.EXPORT_TRAINING),
}


def make_action(action_id: ActionId, parent: QWidget) -> QAction:
    """A QAction built from its spec; use ActionRegistry rather than calling this directly."""
    spec = ACTIONS[action_id]
    action = QAction(spec.text, parent)
    action.setObjectName(action_id.name.lower())
    action.setToolTip(spec.tip)
    action.setStatusTip(spec.tip)
    if isinstance(spec.shortcut, StandardKey):
        action.setShortcuts(spec.shortcut)  # every binding the platform has for it
    elif spec.shortcut is not None:
        action.setShortcut(QKeySequence(spec.shortcut))
    if spec.icon:
        action.setIcon(style.icon(spec.icon))
    action.setMenuRole(spec.menu_role)
    if spec.button:
        action.setIconText(spec.button)
    return action


class ActionRegistry:
    """The window's actions, one QAction per ActionId, all added to the window.

    Adding them to the window makes every shortcut work wherever the focus is in it, including
    actions shown only as page buttons.
    """

    def __init__(self, window: QWidget) -> None:
        self._window = window
        self._actions = {action_id: make_action(action_id, window) for action_id in ActionId}
        window.addActions(list(self._actions.values()))

    def __getitem__(self, action_id: ActionId) -> QAction:
        return self._actions[action_id]

    def connect(self, action_id: ActionId, slot: Callable[[], object]) -> None:
        """Run `slot` (with no arguments) when the action is triggered."""
        self._actions[action_id].triggered.connect(lambda _checked=False: slot())

    def set_enabled(self, enabled: bool, *action_ids: ActionId) -> None:
        for action_id in action_ids:
            self._actions[action_id].setEnabled(enabled)

    def hide(self, action_id: ActionId) -> None:
        """Hide and disable an action whose feature is not installed, shortcut included."""
        self._actions[action_id].setVisible(False)
        self._actions[action_id].setEnabled(False)

    def build_menus(self, menubar: QMenuBar) -> None:
        """Fill the menu bar from MENUS and SUBMENUS."""
        for title, entries in MENUS:
            menu = menubar.addMenu(title)
            for entry in entries:
                if entry is None:
                    menu.addSeparator()
                elif isinstance(entry, str):
                    submenu = menu.addMenu(entry)
                    for action_id in SUBMENUS[entry]:
                        submenu.addAction(self._actions[action_id])
                else:
                    menu.addAction(self._actions[entry])
