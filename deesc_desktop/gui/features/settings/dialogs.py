"""User dialogs for administrators: add a user, reset a password, change a role."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QWidget,
)

from deesc_desktop.core.auth import Role
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.dialogs.common import lay_out_form
from deesc_desktop.gui.forms import Form
from deesc_desktop.gui.widgets import muted
from deesc_desktop.services.errors import ServiceError
from deesc_desktop.services.users import (
    MIN_PASSWORD_LENGTH,
    add_user,
    create_first_admin,
    set_password,
    set_user_role,
    users_exist,
)

ROLE_HINTS = {
    Role.ADMIN: "everything, including users and sign-in",
    Role.TRAINING_OFFICER: "roster, training, leave, imports, CIT; prepares bonus claims",
    Role.CHIEF: "sets up bonus programs, approves or denies claims",
    Role.FINANCE: "funding sources, payment batches, pays claims",
    Role.VIEWER: "reads everything, changes nothing",
}


def role_combo(current: str | None = None, *, only: Role | None = None) -> QComboBox:
    combo = QComboBox()
    for role in Role:
        if only is None or role == only:
            combo.addItem(f"{role.label} — {ROLE_HINTS[role]}", role.value)
    if current is not None:
        combo.setCurrentIndex(max(combo.findData(current), 0))
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


def _password_field(placeholder: str = "") -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    return field


class UserDialog(QDialog):
    """A new user with a role and a first password; the first user is always an administrator."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.first = not users_exist(ctx.db)
        self.setWindowTitle("Add the first administrator" if self.first else "Add user")
        self.setMinimumWidth(700)
        self.form = Form()
        self.username = QLineEdit()
        self.username.setPlaceholderText("one word, e.g. sgt.delgado")
        self.full_name = QLineEdit()
        self.role = role_combo(Role.TRAINING_OFFICER.value, only=Role.ADMIN if self.first else None)
        self.password = _password_field(f"at least {MIN_PASSWORD_LENGTH} characters")
        self.confirm = _password_field("the same again")
        form = self.form
        form.add_row("username", "User name", self.username, required=True)
        form.add_row("full_name", "Full name", self.full_name)
        form.add_row("role", "Role", self.role, required=True)
        form.add_row("password", "Password", self.password, required=True)
        form.add_row("confirm", "Password again", self.confirm, required=True)
        why = muted(
            "Once the agency has an administrator, everyone signs in with their own "
            "name and password, and the audit log records who did what."
        )
        lay_out_form(self, form, above=[why] if self.first else [], ok_text="Add user")

    def accept(self) -> None:
        if self.password.text() != self.confirm.text():
            self.form.show_errors({"confirm": "the two passwords are not the same"})
            return
        values = {
            "username": self.username.text(),
            "full_name": self.full_name.text(),
            "role": self.role.currentData(),
        }
        try:
            if self.first:
                create_first_admin(
                    self.ctx.db, self.username.text(), self.password.text(), self.full_name.text()
                )
            else:
                add_user(self.ctx.db, self.ctx.actor, values, self.password.text())
        except ServiceError as exc:
            self.form.show_refusal(exc)
            return
        super().accept()


class PasswordDialog(QDialog):
    """Set a new password for a user (an administrator resetting it)."""

    def __init__(self, ctx: AppContext, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.username = username
        self.setWindowTitle("Reset password")
        self.setMinimumWidth(480)
        self.form = Form()
        self.password = _password_field(f"at least {MIN_PASSWORD_LENGTH} characters")
        self.confirm = _password_field("the same again")
        self.form.add_row("password", "New password", self.password, required=True)
        self.form.add_row("confirm", "Password again", self.confirm, required=True)
        lay_out_form(
            self,
            self.form,
            above=[QLabel(f"New password for <b>{username}</b>:")],
            below=[muted("Tell them in person; the old password stops working at once.")],
            ok_text="Set password",
        )

    def accept(self) -> None:
        if self.password.text() != self.confirm.text():
            self.form.show_errors({"confirm": "the two passwords are not the same"})
            return
        try:
            set_password(self.ctx.db, self.ctx.actor, self.username, self.password.text())
        except ServiceError as exc:
            self.form.show_refusal(exc)
            return
        super().accept()


class RoleDialog(QDialog):
    """Give a user another role (it takes effect when they next sign in)."""

    def __init__(
        self, ctx: AppContext, username: str, role: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.username = username
        self.setWindowTitle("Change role")
        self.setMinimumWidth(700)
        self.form = Form()
        self.role = role_combo(role)
        self.form.add_row("role", "Role", self.role, required=True)
        lay_out_form(
            self,
            self.form,
            above=[QLabel(f"Role of <b>{username}</b>:")],
            below=[muted("The new role applies from their next sign-in.")],
            ok_text="Change role",
        )

    def accept(self) -> None:
        try:
            set_user_role(self.ctx.db, self.ctx.actor, self.username, self.role.currentData())
        except ServiceError as exc:
            self.form.show_refusal(exc)
            return
        super().accept()
