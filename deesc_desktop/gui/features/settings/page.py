"""The settings page: agency details, the database and its backups, users, requirements."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from deesc_desktop.core.auth import Permission
from deesc_desktop.gui import operations, prompts, style
from deesc_desktop.gui.actions import ActionRegistry
from deesc_desktop.gui.context import AGENCY, REQUIREMENTS, USERS, AppContext
from deesc_desktop.gui.features.compliance.requirements_tab import RequirementsBox
from deesc_desktop.gui.features.settings.models import UsersModel
from deesc_desktop.gui.forms import MONTHS, Form, page_title
from deesc_desktop.gui.pages.base import Page
from deesc_desktop.gui.widgets import button_row, muted, push_button, table_view
from deesc_desktop.paths import backups_dir
from deesc_desktop.services.agency import US_STATES, update_agency
from deesc_desktop.services.errors import ServiceError
from deesc_desktop.services.requirements import ListedRequirement, list_requirements
from deesc_desktop.services.users import (
    list_users,
    login_required,
    set_login_required,
    set_user_active,
)


def _size_text(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    amount = float(size)
    for unit in ("KB", "MB", "GB"):
        amount /= 1024
        if amount < 1024 or unit == "GB":
            break
    return f"{amount:.1f} {unit}"


class SettingsPage(Page):
    """Agency details saved through services.agency; the database file and its backups."""

    watches = frozenset({AGENCY, USERS, REQUIREMENTS})

    def __init__(
        self, ctx: AppContext, actions: ActionRegistry, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actions, parent)
        self.layout_.addWidget(page_title("Settings"))
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(style.MARGIN)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        self.layout_.addWidget(scroll, 1)

        agency = QGroupBox("Agency")
        agency_layout = QVBoxLayout(agency)
        self.form = Form()
        self.name = QLineEdit()
        self.state = QComboBox()
        self.state.addItems(US_STATES)
        self.ori = QLineEdit()
        self.ori.setPlaceholderText("9 letters and digits, e.g. IL0160000")
        self.fiscal_month = QComboBox()
        for number, month in enumerate(MONTHS, start=1):
            self.fiscal_month.addItem(month, number)
        self.warning_days = QSpinBox()
        self.warning_days.setRange(0, 9999)
        self.warning_days.setSuffix(" days")
        self.form.add_row("name", "Agency name", self.name, required=True)
        self.form.add_row("state", "State", self.state, required=True)
        self.form.add_row("ori", "ORI", self.ori)
        self.form.add_row(
            "fiscal_year_start_month",
            "Fiscal year starts in",
            self.fiscal_month,
            hint="Used by requirements counted per fiscal year.",
        )
        self.form.add_row(
            "warning_days",
            "Warn ahead by",
            self.warning_days,
            hint="An officer whose training is due within this many days is shown as due soon.",
        )
        self.leave_proration = QCheckBox("Prorate required hours for leave (agency policy)")
        self.form.add_row(
            "leave_proration",
            "Leave",
            self.leave_proration,
            hint="Off: leave lowers the hours only when a state waiver is recorded for it. On: "
            "any leave covering 15 or more days of a month waives that month, as the agency's "
            "own policy; every compliance report then says so.",
        )
        agency_layout.addWidget(self.form.banner)
        agency_layout.addLayout(self.form.layout)
        save_row = QHBoxLayout()
        self.save_button = QPushButton("Save agency details")
        self.save_button.clicked.connect(self.save)
        self.saved = QLabel()
        self.saved.setObjectName("okBanner")
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.saved, 1)
        agency_layout.addLayout(save_row)
        agency.setMaximumWidth(760)
        column.addWidget(agency)

        database = QGroupBox("Database")
        database_layout = QVBoxLayout(database)
        self.path = QLabel(str(ctx.db_path))
        self.path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path.setWordWrap(True)
        database_layout.addWidget(QLabel("This database file:"))
        database_layout.addWidget(self.path)
        self.size_label = muted("")
        database_layout.addWidget(self.size_label)
        database_layout.addWidget(muted(f"Backups are saved in {backups_dir(ctx.db_path)}"))
        buttons = QHBoxLayout()
        open_folder = QPushButton("Open folder")
        open_folder.setToolTip("Show the database's folder in the file manager")
        open_folder.clicked.connect(lambda: operations.open_folder(self.ctx.db_path.parent))
        backup = QPushButton("Back up now")
        backup.clicked.connect(self.backup)
        check = QPushButton("Check database")
        check.setToolTip("Integrity, links between records, and the audit log's chain")
        check.clicked.connect(self.check)
        for button in (open_folder, backup, check):
            buttons.addWidget(button)
        buttons.addStretch(1)
        database_layout.addLayout(buttons)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.hide()
        database_layout.addWidget(self.result)
        database.setMaximumWidth(760)
        column.addWidget(database)

        user = QGroupBox("You")
        user_layout = QVBoxLayout(user)
        user_layout.addWidget(QLabel(f"Working as {ctx.actor.username} ({ctx.actor.role.label})."))
        user_layout.addWidget(muted("Changes are recorded in the audit log under this name."))
        user.setMaximumWidth(760)
        column.addWidget(user)

        self.users_box = self._users_box()
        column.addWidget(self.users_box)
        self.users_box.setVisible(ctx.can(Permission.MANAGE_USERS))
        self.requirements = RequirementsBox(ctx)
        column.addWidget(self.requirements)
        column.addStretch(1)
        self.save_button.setEnabled(ctx.can(Permission.MANAGE_AGENCY))
        backup.setEnabled(ctx.can(Permission.BACKUP))
        self.scroll_area = scroll

    def _users_box(self) -> QGroupBox:
        box = QGroupBox("Users and sign-in")
        layout = QVBoxLayout(box)
        self.users_note = muted("")
        layout.addWidget(self.users_note)
        self.users = UsersModel(self)
        self.users_view = table_view(self.users)
        self.users_view.setMinimumHeight(180)
        self.users_view.doubleClicked.connect(lambda _index: self.change_role())
        layout.addWidget(self.users_view)
        self.add_user_button = push_button("Add user…", self.add_user)
        self.active_button = push_button("Disable…", self.toggle_active)
        self.role_button = push_button("Change role…", self.change_role)
        self.password_button = push_button("Reset password…", self.reset_password)
        layout.addLayout(
            button_row(
                self.add_user_button, self.active_button, self.role_button, self.password_button
            )
        )
        self.sign_in_switch = QCheckBox("Everyone signs in with their own name and password")
        self.sign_in_switch.toggled.connect(self.switch_sign_in)
        layout.addWidget(self.sign_in_switch)
        self.sign_in_hint = muted("")
        layout.addWidget(self.sign_in_hint)
        self.users_view.selectionModel().selectionChanged.connect(
            lambda *_: self._update_user_buttons()
        )
        box.setMaximumWidth(760)
        return box

    def refresh(self) -> None:
        super().refresh()
        agency = self.ctx.agency()
        if agency is not None:
            self.name.setText(agency.name)
            self.state.setCurrentText(agency.state)
            self.ori.setText(agency.ori)
            self.fiscal_month.setCurrentIndex(agency.fiscal_year_start_month - 1)
            self.warning_days.setValue(agency.warning_days)
            self.leave_proration.setChecked(agency.leave_proration)
        self.form.clear_errors()
        try:
            self.size_label.setText(f"Size: {_size_text(self.ctx.db_path.stat().st_size)}")
        except OSError:
            self.size_label.setText("")
        with_users = self.ctx.can(Permission.MANAGE_USERS)
        self.load(
            lambda db: (
                (list_users(db), login_required(db)) if with_users else None,
                list_requirements(db),
            ),
            self._loaded,
            "users and requirements",
        )

    def _loaded(
        self, data: tuple[tuple[list[dict[str, Any]], bool] | None, list[ListedRequirement]]
    ) -> None:
        users, requirements = data
        self.requirements.set_rows(requirements)
        if users is not None:
            self._users_loaded(users)
        else:
            self.loaded.emit()

    # --- users ------------------------------------------------------------------------------------

    def _users_loaded(self, data: tuple[list[dict[str, Any]], bool]) -> None:
        users, required = data
        selected = self.selected_user()
        self.users.set_rows(users)
        if selected is not None:
            self.select_user(selected["username"])
        self.sign_in_switch.blockSignals(True)
        self.sign_in_switch.setChecked(bool(users) and required)
        self.sign_in_switch.setEnabled(bool(users))
        self.sign_in_switch.blockSignals(False)
        if not users:
            self.users_note.setText(
                "No users yet: anyone who opens this file works as its administrator. Add the "
                "first administrator to have everyone sign in with their own name."
            )
            self.add_user_button.setText("Add the first administrator…")
            self.sign_in_hint.setText("Sign-in starts once the first administrator is added.")
        else:
            active = sum(1 for u in users if u["active"])
            self.users_note.setText(
                f"{active} active user{'s' if active != 1 else ''}. A disabled user can no "
                "longer sign in; their name stays on everything they did. Last signed in is "
                "the last sign-in to this app, in local time (the deesc command's sign-ins "
                "are not recorded)."
            )
            self.add_user_button.setText("Add user…")
            self.sign_in_hint.setText(
                "Sign-in is on: the app asks for a name and password at start."
                if required
                else "Sign-in is OFF: whoever opens the app works as an administrator "
                "(shown in the title bar; the switch is in the audit log)."
            )
        self._update_user_buttons()
        self.loaded.emit()

    def selected_user(self) -> dict[str, Any] | None:
        rows = self.users_view.selectionModel().selectedRows()
        return self.users.row(rows[0].row()) if rows else None

    def select_user(self, username: str) -> bool:
        row = self.users.find_row(lambda u: u["username"].casefold() == username.casefold())
        if row >= 0:
            self.users_view.selectRow(row)
        return row >= 0

    def _update_user_buttons(self) -> None:
        user = self.selected_user()
        for button in (self.active_button, self.role_button, self.password_button):
            button.setEnabled(user is not None)
        self.active_button.setText("Enable…" if user and not user["active"] else "Disable…")

    def add_user(self) -> None:
        from deesc_desktop.gui.features.settings.dialogs import UserDialog

        dialog = UserDialog(self.ctx, self)
        if prompts.run_dialog(dialog):
            name = dialog.username.text().strip()
            self.loaded.connect(
                lambda: self.select_user(name), Qt.ConnectionType.SingleShotConnection
            )

    def change_role(self) -> None:
        from deesc_desktop.gui.features.settings.dialogs import RoleDialog

        user = self.selected_user()
        if user is not None:
            prompts.run_dialog(RoleDialog(self.ctx, user["username"], user["role"], self))

    def reset_password(self) -> None:
        from deesc_desktop.gui.features.settings.dialogs import PasswordDialog

        user = self.selected_user()
        if user is not None:
            prompts.run_dialog(PasswordDialog(self.ctx, user["username"], self))

    def toggle_active(self) -> bool:
        user = self.selected_user()
        if user is None:
            return False
        enable = not user["active"]
        verb = "Enable" if enable else "Disable"
        text = (
            f"Let {user['username']} sign in again?"
            if enable
            else f"Disable {user['username']}? They can no longer sign in; everything they did "
            "stays recorded under their name."
        )
        reason = prompts.ask_reason(self, f"{verb} user", text, ok_text=verb, required=False)
        if reason is None:
            return False
        try:
            set_user_active(self.ctx.db, self.ctx.actor, user["username"], enable, reason=reason)
        except ServiceError as exc:
            prompts.error(self, f"Could not {verb.lower()} {user['username']}", str(exc))
            return False
        return True

    def switch_sign_in(self, on: bool) -> None:
        if not on and not prompts.confirm(
            self,
            "Switch sign-in off",
            "Switch sign-in off for this agency?\n\nWhoever opens the app will then work as "
            "an administrator without a password, and changes are recorded under the "
            "computer's user name. The title bar says so, and the audit log records who "
            "switched it off. Only do this if one trusted person uses this computer.",
            ok_text="Switch sign-in off",
        ):
            self.sign_in_switch.blockSignals(True)
            self.sign_in_switch.setChecked(True)
            self.sign_in_switch.blockSignals(False)
            return
        try:
            set_login_required(self.ctx.db, self.ctx.actor, on)
        except ServiceError as exc:
            prompts.error(self, "Could not change sign-in", str(exc))

    def values(self) -> dict[str, object]:
        return {
            "name": self.name.text(),
            "state": self.state.currentText(),
            "ori": self.ori.text(),
            "fiscal_year_start_month": self.fiscal_month.currentData(),
            "warning_days": self.warning_days.value(),
            "leave_proration": self.leave_proration.isChecked(),
        }

    def save(self) -> None:
        self.saved.clear()
        try:
            update_agency(self.ctx.db, self.ctx.actor, self.values())
        except ServiceError as exc:
            self.form.show_refusal(exc)
            return
        self.form.clear_errors()
        self.saved.setText("Saved.")

    def backup(self) -> None:
        target = operations.backup_now(self, self.ctx, announce=False)
        if target is not None:
            self._result(f"Backed up to {target}", ok=True)

    def check(self) -> None:
        report = operations.check_now(self, self.ctx)
        if report is None:
            return
        if report.ok:
            day = report.summary_day
            summary = (
                "" if day is None else f" The dashboard's figures for {day} match the records."
            )
            self._result(
                f"No problems found: integrity, links between records and "
                f"{report.audit_entries} audit log entries all check out.{summary}",
                ok=True,
            )
        else:
            self._result("Problems found:\n" + "\n".join(report.problems), ok=False)

    def _result(self, text: str, *, ok: bool) -> None:
        colour = style.Colour.OK if ok else style.Colour.ERROR
        self.result.setStyleSheet(f"color: {colour};")
        self.result.setText(text)
        self.result.show()


def create_page(ctx: AppContext, actions: ActionRegistry) -> Page:
    return SettingsPage(ctx, actions)
