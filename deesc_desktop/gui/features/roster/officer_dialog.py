"""Add or edit an officer, and separate one: forms over services.officers."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from deesc_desktop.core.topics import OFFICER_STATUSES
from deesc_desktop.gui import prompts
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.dialogs.common import lay_out_form
from deesc_desktop.gui.forms import DateField, Form, fill_combo
from deesc_desktop.gui.widgets import muted
from deesc_desktop.services.errors import ConflictError, ServiceError, ValidationError
from deesc_desktop.services.officers import add_officer, edit_officer, set_officer_status
from deesc_desktop.store.officers import RosterRow, officer_choices, officer_form


def _editable_combo(values: list[str], placeholder: str) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.addItem("")
    combo.addItems(values)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.setMinimumWidth(260)
    line = combo.lineEdit()
    if line is not None:
        line.setPlaceholderText(placeholder)
    return combo


class OfficerDialog(QDialog):
    """The add/edit officer form; errors from the service appear under their fields."""

    def __init__(
        self, ctx: AppContext, officer_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.officer_id = officer_id
        self._version: int | None = None
        self.setWindowTitle("Edit officer" if officer_id else "Add officer")
        self.setMinimumWidth(520)
        choices = officer_choices(ctx.db)

        self.form = Form()
        self.badge = QLineEdit()
        self.last_name = QLineEdit()
        self.first_name = QLineEdit()
        self.rank = _editable_combo(choices.ranks, "e.g. Officer, Sergeant")
        self.unit = _editable_combo(choices.units, "e.g. Patrol")
        self.shift = _editable_combo(choices.shifts, "e.g. Days")
        self.hire_date = DateField(date.today())
        self.license_date = DateField(optional=True)
        self.state_id = QLineEdit()
        self.email = QLineEdit()
        self.email.setPlaceholderText("name@agency.example")
        form = self.form
        form.add_row("badge", "Badge", self.badge, required=True)
        form.add_row("last_name", "Last name", self.last_name, required=True)
        form.add_row("first_name", "First name", self.first_name, required=True)
        form.add_row("rank", "Rank", self.rank)
        form.add_row("unit", "Unit", self.unit)
        form.add_row("shift", "Shift", self.shift)
        form.add_row("hire_date", "Hire date", self.hire_date, required=True)
        form.add_row(
            "license_date",
            "License date",
            self.license_date,
            hint="State license or certification date; some requirements count from it.",
        )
        form.add_row("state_id", "State ID", self.state_id)
        form.add_row("email", "Email", self.email)
        self.status = QComboBox()
        if officer_id is None:
            fill_combo(self.status, {k: v for k, v in OFFICER_STATUSES.items() if k != "separated"})
            form.add_row("status", "Status", self.status)

        self.save_button = lay_out_form(self, form, below=[muted("* required")])
        if officer_id is not None:
            self.load()

    def load(self) -> None:
        """Fill the form from the database (again, after someone else's change)."""
        assert self.officer_id is not None
        row = officer_form(self.ctx.db, self.officer_id)
        if row is None:
            self.form.show_banner("This officer no longer exists.")
            self.save_button.setEnabled(False)
            return
        self._version = row["version"]
        self.badge.setText(row["badge"])
        self.last_name.setText(row["last_name"])
        self.first_name.setText(row["first_name"])
        self.rank.setCurrentText(row["rank"])
        self.unit.setCurrentText(row["unit"])
        self.shift.setCurrentText(row["shift"])
        self.hire_date.set_value(date.fromisoformat(row["hire_date"]))
        license_date = row["license_date"]
        self.license_date.set_value(date.fromisoformat(license_date) if license_date else None)
        self.state_id.setText(row["state_id"])
        self.email.setText(row["email"])
        self.form.clear_errors()

    def values(self) -> dict[str, Any]:
        """The form as the officer services take it."""
        values: dict[str, Any] = {
            "badge": self.badge.text(),
            "last_name": self.last_name.text(),
            "first_name": self.first_name.text(),
            "rank": self.rank.currentText(),
            "unit": self.unit.currentText(),
            "shift": self.shift.currentText(),
            "hire_date": self.hire_date.text(),
            "license_date": self.license_date.text(),
            "state_id": self.state_id.text(),
            "email": self.email.text(),
        }
        if self.officer_id is None:
            values["status"] = self.status.currentData()
        return values

    def accept(self) -> None:
        try:
            if self.officer_id is None:
                self.officer_id = add_officer(self.ctx.db, self.ctx.actor, self.values())
            else:
                edit_officer(
                    self.ctx.db,
                    self.ctx.actor,
                    self.officer_id,
                    self.values(),
                    expected_version=self._version,
                )
        except ValidationError as exc:
            self.form.show_errors(exc.field_errors)
            return
        except ConflictError as exc:
            if prompts.offer_reload(self, str(exc)):
                self.load()
            return
        except ServiceError as exc:
            self.form.show_errors({}, str(exc))
            return
        super().accept()


SEPARATION_REASONS = ("Retired", "Resigned", "Terminated", "Transferred to another agency")


class SeparateDialog(QDialog):
    """Confirms a separation, with its date and reason; the officer's history is kept."""

    def __init__(self, ctx: AppContext, officer: RosterRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.officer = officer
        self.setWindowTitle("Separate officer")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        self.message = message = QLabel(
            f"<b>Separate {officer.display_name} (badge {officer.badge})?</b><br>"
            "They leave the current roster, but their training records stay for transcripts "
            "and audits. Nothing is deleted."
        )
        message.setWordWrap(True)
        layout.addWidget(message)
        self.form = Form()
        self.separation_date = DateField(date.today())
        self.reason = _editable_combo(list(SEPARATION_REASONS), "e.g. Retired")
        self.form.add_row("separation_date", "Last day", self.separation_date, required=True)
        self.form.add_row("reason", "Reason", self.reason)
        layout.addWidget(self.form.banner)
        layout.addLayout(self.form.layout)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton("Separate officer", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            set_officer_status(
                self.ctx.db,
                self.ctx.actor,
                self.officer.id,
                "separated",
                separation_date=self.separation_date.value(),
                reason=self.reason.currentText().strip(),
                expected_version=self.officer.version,
            )
        except ServiceError as exc:
            self.form.show_refusal(exc)
            return
        super().accept()
