"""The action registry: one QAction per ActionId, made from the action table, the menus they
sit in, and which of them the signed-in role and the current selection allow."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenuBar, QToolBar, QWidget

from deesc_desktop.core.auth import Actor
from deesc_desktop.gui import style
from deesc_desktop.gui.action_table import ACTIONS, SELECTION_NEEDED, ActionId, StandardKey
from deesc_desktop.gui.widgets import action_bar

SEPARATOR = None

MENUS: tuple[tuple[str, tuple[ActionId | str | None, ...]], ...] = (
    (
        "&File",
        (
            ActionId.NEW_DATABASE,
            ActionId.OPEN_DATABASE,
            ActionId.BACKUP_NOW,
            ActionId.RESTORE_BACKUP,
            SEPARATOR,
            "&Import",
            SEPARATOR,
            "&Export",
            SEPARATOR,
            ActionId.PRINT,
            SEPARATOR,
            ActionId.SIGN_OUT,
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
            ActionId.VIEW_TRAINING_DUE,
            ActionId.VIEW_CIT,
            ActionId.VIEW_BONUS_CLAIMS,
            ActionId.VIEW_REPORTS,
            ActionId.VIEW_AUDIT,
            ActionId.VIEW_COURSE_FILES,
            ActionId.VIEW_INCIDENTS,
            ActionId.VIEW_SETTINGS,
            SEPARATOR,
            ActionId.SHOW_REMINDERS,
        ),
    ),
    ("&Help", (ActionId.USER_GUIDE, ActionId.ABOUT)),
)
"""The menu bar: a string entry is a submenu, laid out from SUBMENUS."""

SUBMENUS: dict[str, tuple[ActionId, ...]] = {
    "&Import": (
        ActionId.IMPORT_ROSTER,
        ActionId.IMPORT_TRAINING,
        ActionId.IMPORT_LEAVE,
        ActionId.IMPORT_INCIDENTS,
    ),
    "&Export": (ActionId.EXPORT_ROSTER, ActionId.EXPORT_TRAINING, ActionId.EXPORT_COMPLIANCE),
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
    actions shown only as page buttons. With an `actor`, an action whose spec names
    permissions stays disabled for a role holding none of them, whatever a page asks: the
    services refuse anyway, so the button should not invite the attempt.
    """

    def __init__(self, window: QWidget, actor: Actor | None = None) -> None:
        self._window = window
        self._actions = {action_id: make_action(action_id, window) for action_id in ActionId}
        self._connected: set[ActionId] = set()
        self.actor = actor
        window.addActions(list(self._actions.values()))
        if actor is not None:
            for action_id, spec in ACTIONS.items():
                if spec.permissions and not self.allowed(action_id):
                    action = self._actions[action_id]
                    action.setEnabled(False)
                    tip = f"{spec.tip} (not allowed for the role {actor.role.label})"
                    action.setToolTip(tip)
                    action.setStatusTip(tip)

    def allowed(self, action_id: ActionId) -> bool:
        """True when the working user's role may use the action."""
        permissions = ACTIONS[action_id].permissions
        if self.actor is None or not permissions:
            return True
        return any(self.actor.can(permission) for permission in permissions)

    def __getitem__(self, action_id: ActionId) -> QAction:
        return self._actions[action_id]

    def bar(self, *action_ids: ActionId) -> QToolBar:
        """These actions, in this order, as a row of page buttons."""
        return action_bar([self[action_id] for action_id in action_ids])

    def connect(self, action_id: ActionId, slot: Callable[[], object]) -> None:
        """Run `slot` (with no arguments) when the action is triggered."""
        self._connected.add(action_id)
        self._actions[action_id].triggered.connect(lambda _checked=False: slot())

    def connect_on_demand(self, provide: Callable[[], object]) -> None:
        """Make every action without a slot yet call `provide()` when first triggered.

        `provide` is expected to connect the action's slot (by building the page that owns
        it); the action is then triggered again, so that slot runs as if it had always been
        there. Once an action has a slot, this does nothing for it.
        """
        for action_id, action in self._actions.items():
            if action_id not in self._connected:
                action.triggered.connect(partial(self._provide, action_id, provide))

    def _provide(
        self, action_id: ActionId, provide: Callable[[], object], _checked: bool = False
    ) -> None:
        if action_id in self._connected:
            return
        provide()
        if action_id in self._connected:
            # Connected during this emission, so the new slot misses it: emit once more.
            self._actions[action_id].trigger()

    def set_enabled(self, enabled: bool, *action_ids: ActionId) -> None:
        """Enable actions as far as the selection allows, and the role too;
        an action disabled for want of a selection says in its tooltip what to select."""
        for action_id in action_ids:
            action = self._actions[action_id]
            allowed = self.allowed(action_id)
            action.setEnabled(enabled and allowed)
            if not allowed:
                continue  # its tooltip already says the role may not
            tip = ACTIONS[action_id].tip
            needed = SELECTION_NEEDED.get(action_id)
            if not enabled and needed:
                tip = f"{tip} ({needed})"
            action.setToolTip(tip)
            action.setStatusTip(tip)

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
