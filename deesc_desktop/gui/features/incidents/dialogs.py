"""Log or correct an incident (no names), and the chief's review of one."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from deesc_desktop.core.incidents import (
    DEMOGRAPHICS,
    FORCE_TYPES,
    INCIDENT_TYPES,
    TACTICS,
)
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.dialogs.common import OfficerPicker, load_roster
from deesc_desktop.gui.features.incidents.models import TRAINED_TEXT
from deesc_desktop.gui.forms import DateField, Form, fill_combo
from deesc_desktop.gui.widgets import muted
from deesc_desktop.services.errors import ServiceError
from deesc_desktop.services.incidents import (
    IncidentEntry,
    add_incident,
    edit_incident,
    review_incident,
)


class IncidentDialog(QDialog):
    """The facts of one interaction: what it was, what was tried, what force, who was hurt,
    the subject's demographics as DOJ asks, and the officers involved by badge."""

    def __init__(
        self, ctx: AppContext, entry: IncidentEntry | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.entry = entry
        self.incident_id: int | None = entry.row.id if entry else None
        self.setWindowTitle("Correct incident" if entry else "Log incident")
        self.resize(860, 640)
        self.form = Form()
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("the report or CAD number, e.g. 26-000412")
        self.occurred_on = DateField(date.today())
        self.incident_type = QComboBox()
        fill_combo(self.incident_type, INCIDENT_TYPES)
        self.incident_type.setCurrentIndex(-1)
        self.deescalation = QCheckBox("De-escalation was used")
        self.tactics = QListWidget()
        for code, label in TACTICS.items():
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.tactics.addItem(item)
        self.tactics.setFixedHeight(self.tactics.sizeHintForRow(0) * len(TACTICS) + 6)
        self.tactics.setMinimumWidth(self.tactics.sizeHintForColumn(0) + 12)
        self.force = QComboBox()
        fill_combo(self.force, FORCE_TYPES, "none")
        self.officers_injured = QSpinBox()
        self.officers_injured.setRange(0, 500)
        self.public_injured = QSpinBox()
        self.public_injured.setRange(0, 500)
        self.form.add_row("reference", "Report number", self.reference, required=True)
        self.form.add_row("occurred_on", "Date", self.occurred_on, required=True)
        self.form.add_row("incident_type", "Type of call", self.incident_type, required=True)
        self.form.add_row("deescalation_used", "De-escalation", self.deescalation)
        self.form.add_row("tactics", "Tactics used", self.tactics)
        self.form.add_row("force_type", "Highest force used", self.force, required=True)
        self.form.add_row("officers_injured", "Officers injured", self.officers_injured)
        self.form.add_row(
            "public_injured",
            "Members of the public injured",
            self.public_injured,
            hint="The subject and anyone else hurt, counted as people.",
        )

        subject = QGroupBox("Subject (no name, no identity: the categories DOJ asks for)")
        grid = QGridLayout(subject)
        self.demographics: dict[str, QComboBox] = {}
        for number, (field, (label, codes)) in enumerate(DEMOGRAPHICS.items()):
            combo = QComboBox()
            fill_combo(combo, codes, "unknown")
            self.demographics[field] = combo
            grid.addWidget(QLabel(f"{label}:"), number, 0)
            grid.addWidget(combo, number, 1)

        people = QGroupBox("Officers involved (for the agency's own review)")
        people_layout = QVBoxLayout(people)
        self.officers = QListWidget()
        people_layout.addWidget(self.officers)
        pick = QHBoxLayout()
        self.picker = OfficerPicker()
        add = QPushButton("Add officer")
        add.clicked.connect(self.add_officer)
        remove = QPushButton("Remove")
        remove.clicked.connect(self.remove_officer)
        pick.addWidget(self.picker, 1)
        pick.addWidget(add)
        pick.addWidget(remove)
        people_layout.addLayout(pick)
        if entry is not None:
            people_layout.addWidget(muted(f"Training: {TRAINED_TEXT[entry.group].lower()}."))

        self.reason = QLineEdit()
        self.reason.setPlaceholderText("e.g. the hospital report came in")
        if entry is not None:
            self.form.add_row(
                "reason",
                "Reason for the correction",
                self.reason,
                required=True,
                hint="Kept in the audit log. A reviewed incident goes back for review.",
            )

        right = QVBoxLayout()
        right.addWidget(subject)
        right.addWidget(people, 1)
        left = QVBoxLayout()
        left.addLayout(self.form.layout)
        left.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 5)
        columns.addLayout(right, 4)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form.banner)
        layout.addLayout(columns, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.addButton(
            "Save correction" if entry else "Log incident", QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.deescalation.toggled.connect(self.tactics.setEnabled)
        self.tactics.setEnabled(False)
        if entry is not None:
            self._load(entry)
        load_roster(ctx, self, self.picker.set_officers, include_separated=True)

    def _load(self, entry: IncidentEntry) -> None:
        row = entry.row
        self.reference.setText(row.reference)
        self.occurred_on.set_value(date.fromisoformat(row.occurred_on))
        self.incident_type.setCurrentIndex(self.incident_type.findData(row.incident_type))
        self.deescalation.setChecked(row.deescalation_used)
        for number in range(self.tactics.count()):
            item = self.tactics.item(number)
            code = item.data(Qt.ItemDataRole.UserRole)
            item.setCheckState(
                Qt.CheckState.Checked if code in row.tactics else Qt.CheckState.Unchecked
            )
        self.force.setCurrentIndex(self.force.findData(row.force_type))
        self.officers_injured.setValue(row.officers_injured)
        self.public_injured.setValue(row.public_injured)
        for field, combo in self.demographics.items():
            combo.setCurrentIndex(combo.findData(getattr(row, field)))
        for officer in row.officers:
            self._add(officer.officer_id, f"{officer.badge}  {officer.name}")

    def _add(self, officer_id: int, text: str) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, officer_id)
        self.officers.addItem(item)

    def officer_ids(self) -> list[int]:
        return [
            int(self.officers.item(n).data(Qt.ItemDataRole.UserRole))
            for n in range(self.officers.count())
        ]

    def add_officer(self) -> None:
        officer_id = self.picker.officer_id()
        if officer_id is not None and officer_id not in self.officer_ids():
            self._add(officer_id, self.picker.currentText())
            self.picker.setCurrentIndex(-1)

    def remove_officer(self) -> None:
        for item in self.officers.selectedItems():
            self.officers.takeItem(self.officers.row(item))

    def values(self) -> dict[str, Any]:
        tactics = [
            str(self.tactics.item(n).data(Qt.ItemDataRole.UserRole))
            for n in range(self.tactics.count())
            if self.tactics.item(n).checkState() == Qt.CheckState.Checked
        ]
        used = self.deescalation.isChecked()
        return {
            "reference": self.reference.text(),
            "occurred_on": self.occurred_on.text(),
            "incident_type": self.incident_type.currentData() or "",
            "deescalation_used": used,
            "tactics": tactics if used else [],
            "force_type": self.force.currentData(),
            "officers_injured": self.officers_injured.value(),
            "public_injured": self.public_injured.value(),
            **{field: combo.currentData() for field, combo in self.demographics.items()},
            "officers": self.officer_ids(),
        }

    def accept(self) -> None:
        try:
            if self.entry is None:
                self.incident_id = add_incident(self.ctx.db, self.ctx.actor, self.values())
            else:
                edit_incident(
                    self.ctx.db,
                    self.ctx.actor,
                    self.entry.row.id,
                    self.values(),
                    reason=self.reason.text(),
                    expected_version=self.entry.row.version,
                )
        except ServiceError as exc:
            self.form.show_refusal(exc)
            return
        super().accept()


class ReviewIncidentDialog(QDialog):
    """The chief marks an incident reviewed, with notes (no names)."""

    def __init__(self, ctx: AppContext, entry: IncidentEntry, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.entry = entry
        row = entry.row
        self.setWindowTitle("Review incident")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        summary = QLabel(
            f"<b>{row.reference}</b> on {row.occurred_on}: {INCIDENT_TYPES[row.incident_type]}; "
            f"de-escalation {'used' if row.deescalation_used else 'not used'}; "
            f"{FORCE_TYPES[row.force_type].lower()}; officers hurt {row.officers_injured}, "
            f"public hurt {row.public_injured}. Entered by {row.created_by}."
        )
        summary.setWordWrap(True)
        layout.addWidget(summary)
        self.banner = QLabel()
        self.banner.setObjectName("formBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout.addWidget(self.banner)
        layout.addWidget(QLabel("Review notes (no names):"))
        self.notes = QLineEdit()
        self.notes.setPlaceholderText("e.g. body camera reviewed; tactics within policy")
        layout.addWidget(self.notes)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.review_button = buttons.addButton(
            "Mark reviewed", QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            review_incident(
                self.ctx.db,
                self.ctx.actor,
                self.entry.row.id,
                notes=self.notes.text(),
                expected_version=self.entry.row.version,
            )
        except ServiceError as exc:
            self.banner.setText(str(exc))
            self.banner.show()
            return
        super().accept()
