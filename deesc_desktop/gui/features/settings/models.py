"""The table model of the agency's users."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    Qt,
)
from PySide6.QtGui import QColor

from deesc_desktop.core.auth import Role
from deesc_desktop.core.times import utc_stamp
from deesc_desktop.gui import style
from deesc_desktop.gui.forms import local_time
from deesc_desktop.gui.models import ID_ROLE, Column, Index, RowsModel


class UserColumn(IntEnum):
    USERNAME = 0
    FULL_NAME = 1
    ROLE = 2
    STATE = 3
    LAST_SIGN_IN = 4


def _role_label(code: str) -> str:
    try:
        return Role(code).label
    except ValueError:
        return code


def _user_state(row: dict[str, Any]) -> str:
    if not row["active"]:
        return "Disabled"
    locked = row.get("locked_until")
    # The lock lapses by itself; the column keeps its last time until the next sign-in.
    if locked and locked > utc_stamp(datetime.now(UTC)):
        return f"Active (locked until {local_time(locked)} after wrong passwords)"
    return "Active"


LAST_SIGN_IN_TIP = (
    "The user's last sign-in to this app, in this computer's local time. The deesc command "
    "does not record its sign-ins, so a user who only runs it shows as never."
)


class UsersModel(RowsModel):
    """The agency's users (rows as services.users.list_users gives them, without hashes)."""

    COLUMNS = (
        Column("User name", lambda r: r["username"], width=16),
        Column("Full name", lambda r: r["full_name"], width=22),
        Column("Role", lambda r: _role_label(r["role"]), width=16),
        Column(
            "State", _user_state, lambda r: (not r["active"], r["username"].casefold()), width=10
        ),
        Column(
            "Last signed in",
            lambda r: local_time(r["last_sign_in"]) if r.get("last_sign_in") else "never",
            lambda r: r.get("last_sign_in") or "",
            tip=LAST_SIGN_IN_TIP,
        ),
    )

    def foreground(self, row: dict[str, Any], column: int) -> QColor | None:
        if column == UserColumn.STATE:
            return QColor(style.Colour.OK if row["active"] else style.Colour.NEUTRAL)
        if not row["active"]:
            return QColor("#8a939d")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == ID_ROLE and index.isValid():
            return self.row(index.row())["id"]
        return super().data(index, role)
