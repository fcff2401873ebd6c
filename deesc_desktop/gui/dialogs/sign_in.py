"""The sign-in dialog shown at start and on File > Sign out / switch user."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.gui import style
from deesc_desktop.services.users import SignInError, sign_in


class SignInDialog(QDialog):
    """User name and password; a refusal is shown in the dialog, which stays open.

    `actor` is the signed-in user once the dialog is accepted. Cancel means nobody signed in
    (at start the app then quits).
    """

    def __init__(
        self,
        db: Database,
        agency_name: str,
        parent: QWidget | None = None,
        *,
        username: str = "",
        cancel_text: str = "Quit",
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.actor: Actor | None = None
        self.setWindowTitle("Sign in — deesc-desktop")
        self.setWindowIcon(style.app_icon())
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.setSpacing(style.SPACING)
        heading = QLabel(agency_name or "deesc-desktop")
        heading.setFont(style.heading_font(heading.font()))
        layout.addWidget(heading)
        intro = QLabel("Sign in with the user name and password your administrator gave you.")
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.message = QLabel()
        self.message.setObjectName("formBanner")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.username = QLineEdit(username)
        self.username.setPlaceholderText("e.g. sgt.delgado")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("&User name:", self.username)
        form.addRow("&Password:", self.password)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox()
        self.sign_in_button = self.buttons.addButton(
            "Sign in", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_in_button.setDefault(True)  # Enter signs in from either field
        self.buttons.addButton(cancel_text, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        (self.password if username else self.username).setFocus()

    def accept(self) -> None:
        try:
            self.actor = sign_in(self.db, self.username.text(), self.password.text())
        except SignInError as exc:
            self.show_message(str(exc))
            self.password.clear()
            self.password.setFocus()
            # A mouse click on the button made it the default only while it had focus; Enter
            # in the password field must sign in again on the next try.
            self.sign_in_button.setDefault(True)
            return
        super().accept()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def message_text(self) -> str:
        """The refusal shown ("" when none); tests read this."""
        return self.message.text() if not self.message.isHidden() else ""
