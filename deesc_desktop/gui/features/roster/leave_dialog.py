"""Record leave or an exemption for one officer, over services.leave.add_exemption."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit, QListWidget, QListWidgetItem, QWidget

from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.dialogs.common import OfficerPicker, lay_out_form, load_roster
from deesc_desktop.gui.forms import DateField, Form
from deesc_desktop.gui.widgets import muted
from deesc_desktop.services.errors import ServiceError
from deesc_desktop.services.leave import add_exemption
from deesc_desktop.services.requirements import active_requirements

COMMON_REASONS = (
    "Medical leave",
    "Military deployment",
    "Parental leave",
    "Administrative leave",
    "Light duty",
)


class ExemptionDialog(QDialog):
    """Leave or an exemption: who, from when to when (inclusive), why, and for what."""

    def __init__(
        self, ctx: AppContext, officer_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.exemption_id: int | None = None
        self.setWindowTitle("Add leave or exemption")
        self.setMinimumWidth(560)
        self.form = Form()
        self.officer = OfficerPicker()
        self.officer.select(officer_id)
        self.start = DateField(date.today())
        self.end = DateField(date.today())
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.addItems(COMMON_REASONS)
        self.reason.setCurrentIndex(-1)
        self.reason.setMinimumWidth(260)
        # The requirements by title, each carrying its id: nobody types "IL-inservice-30h".
        self.requirements = QListWidget()
        for requirement in sorted(active_requirements(ctx.db), key=lambda r: r.title.casefold()):
            item = QListWidgetItem(requirement.title)
            item.setData(Qt.ItemDataRole.UserRole, requirement.id)
            item.setToolTip(requirement.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.requirements.addItem(item)
        # Long titles end in "…" (the id is in the tooltip) rather than scrolling sideways.
        self.requirements.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.requirements.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = min(max(self.requirements.count(), 1), 6)
        frame = 2 * self.requirements.frameWidth()
        self.requirements.setFixedHeight(self.requirements.sizeHintForRow(0) * rows + frame)
        self.granted_by = QLineEdit()
        self.granted_by.setPlaceholderText("e.g. the state POST board; empty for plain leave")
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("letter or form number")
        self.granted_on = DateField(None, optional=True)
        form = self.form
        form.add_row("officer", "Officer", self.officer, required=True)
        form.add_row("start", "First day", self.start, required=True)
        form.add_row("end", "Last day", self.end, required=True)
        form.add_row("reason", "Reason", self.reason, required=True)
        form.add_row(
            "requirements",
            "Only for",
            self.requirements,
            hint="Tick the requirements the leave or waiver covers; tick none to cover every "
            "training requirement for the period.",
        )
        form.add_row(
            "granted_by",
            "Waiver granted by",
            self.granted_by,
            hint="Fill these three only when the state granted a waiver or extension.",
        )
        form.add_row("reference", "Waiver reference", self.reference)
        form.add_row("granted_on", "Waiver date", self.granted_on)
        lay_out_form(
            self,
            form,
            above=[
                muted(
                    "Leave lowers the hours an officer must complete only when the state granted "
                    "a waiver (record who, its reference and the date), or when the agency has "
                    "turned on its own leave proration policy in Settings."
                )
            ],
        )
        load_roster(ctx, self, self.officer.set_officers)

    def values(self) -> dict[str, object]:
        return {
            "start": self.start.text(),
            "end": self.end.text(),
            "reason": self.reason.currentText(),
            "requirements": ",".join(self.chosen_requirements()),
            "granted_by": self.granted_by.text(),
            "reference": self.reference.text(),
            "granted_on": self.granted_on.text(),
        }

    def chosen_requirements(self) -> list[str]:
        """The ids of the requirements ticked, in the list's order."""
        items = (self.requirements.item(row) for row in range(self.requirements.count()))
        return [
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        ]

    def accept(self) -> None:
        officer_id = self.officer.required_officer(self.form)
        if officer_id is None:
            return
        try:
            self.exemption_id = add_exemption(
                self.ctx.db, self.ctx.actor, officer_id, self.values()
            )
        except ServiceError as exc:
            self.form.show_refusal(exc)
            return
        super().accept()
