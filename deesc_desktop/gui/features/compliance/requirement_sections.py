"""The sections of the requirement form: what the requirement is, what it requires, its
period, which training counts and whom it applies to."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from deesc_desktop.core.periods import AnchorDate
from deesc_desktop.core.rules import (
    PERIOD_FIELDS,
    Requirement,
)
from deesc_desktop.core.topics import DELIVERIES, OFFICER_STATUSES
from deesc_desktop.gui.features.compliance.requirement_fields import (
    ANCHOR_LABELS,
    APPLIES_DATES,
    APPLIES_LISTS,
    KIND_LABELS,
    MAKE_UP_LABELS,
    NEW_HIRE_LABELS,
    PERIOD_FIELD_HINTS,
    PERIOD_FIELD_LABELS,
    PERIOD_LABELS,
    ROUNDING_DEFAULT,
    CheckList,
    Choices,
    CountField,
)
from deesc_desktop.gui.forms import DateField, Form, HoursField


class RequirementSections(QDialog):
    """The requirement form's sections, one per part of a rule-pack requirement, each field
    registered by its rule-pack path so a refusal can be shown under it."""

    labels: dict[str, str]
    column: QVBoxLayout
    forms: dict[str, Form]
    rows: dict[str, QWidget]
    _changed: Callable[[], None]
    add_sub_minimum: Callable[[], bool]
    edit_sub_minimum: Callable[[], bool]
    remove_sub_minimum: Callable[[], None]

    # --- building ---------------------------------------------------------------------------

    def _section(self, title: str) -> Form:
        box = QGroupBox(title)
        layout = QVBoxLayout(box)
        form = Form()
        layout.addLayout(form.layout)
        self.column.addWidget(box)
        return form

    def _row(
        self,
        form: Form,
        path: str,
        label: str,
        editor: QWidget,
        *,
        required: bool = False,
        hint: str = "",
    ) -> QWidget:
        self.rows[path] = form.add_row(path, label, editor, required=required, hint=hint)
        self.forms[path] = form
        self._watch(editor)
        return editor

    def _watch(self, editor: QWidget) -> None:
        """Redraw which fields show, and the rule-file text, whenever a field changes."""
        changed = self._changed
        for signal_name in ("textChanged", "currentIndexChanged", "valueChanged", "toggled"):
            signal = getattr(editor, signal_name, None)
            if signal is not None and hasattr(signal, "connect"):
                signal.connect(lambda *_: changed())
                return
        if isinstance(editor, DateField):
            editor.changed.connect(changed)
        elif isinstance(editor, QListWidget):
            editor.itemChanged.connect(lambda *_: changed())
        elif isinstance(editor, Choices):
            for box in editor.boxes.values():
                box.toggled.connect(lambda *_: changed())

    def _what_section(self, requirement: Requirement | None) -> None:
        form = self._section("The requirement")
        self.id = QLineEdit()
        self.id.setPlaceholderText("e.g. AGENCY-firearms-annual")
        self._row(
            form,
            "id",
            "Id",
            self.id,
            required=True,
            hint="Letters, digits, '.', '_' and '-'; leave or exemption records name it.",
        )
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. Firearms qualification every year")
        self._row(form, "title", "Title", self.title, required=True)
        self.effective_from = DateField(optional=True)
        self._row(
            form,
            "effective_from",
            "In force from",
            self.effective_from,
            required=True,
            hint="Reports dated earlier do not use it.",
        )
        self.effective_to = DateField(optional=True)
        self._row(form, "effective_to", "In force until", self.effective_to, hint="Optional.")

    def _required_section(self) -> None:
        form = self._section("What is required")
        self.kind = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind.value)
        self._row(form, "kind", "Required", self.kind, required=True)
        self.hours = HoursField()
        self._row(form, "hours", "Hours", self.hours, required=True, hint="Per window.")
        self.courses = QLineEdit()
        self.courses.setPlaceholderText("any course (separate several with ;)")
        self._row(form, "courses", "Only hours from courses", self.courses)
        self.course = QLineEdit()
        self.course.setPlaceholderText("course numbers or exact titles, separated by ;")
        self._row(
            form,
            "course",
            "Course",
            self.course,
            hint="Any of them, completed once per window. Empty with topics: any class in "
            "those topics.",
        )
        self.certification = QComboBox()
        self.certification.setEditable(True)
        self.certification.addItem("cit")
        self._row(
            form,
            "certification",
            "Certification",
            self.certification,
            hint="Held on the report's date.",
        )
        self.new_hire = QComboBox()
        for value, label in NEW_HIRE_LABELS.items():
            self.new_hire.addItem(label, value.value)
        self._row(form, "new_hire", "New hires", self.new_hire)
        self.hours_per_month = HoursField()
        self._row(form, "hours_per_month", "Hours per month employed", self.hours_per_month)
        self.round_required_to = HoursField()
        self.round_required_to.setSpecialValueText(ROUNDING_DEFAULT)
        self.round_required_to.setMinimumWidth(240)
        self._row(
            form,
            "round_required_to",
            "Round prorated hours up to",
            self.round_required_to,
            hint="As the state rounds them, e.g. 0.5 or 1 hour.",
        )
        self.make_up = QComboBox()
        for make_up, label in MAKE_UP_LABELS.items():
            self.make_up.addItem(label, make_up.value)
        self._row(form, "make_up", "Make-up", self.make_up)

    def _period_section(self) -> None:
        form = self._section("Over which period")
        self.period_kind = QComboBox()
        for value, label in PERIOD_LABELS.items():
            self.period_kind.addItem(label, str(value))
        self._row(form, "period.kind", "Period", self.period_kind, required=True)
        self.period_fields: dict[str, tuple[Callable[[], Any], Callable[[Any], None]]] = {}
        """Period field -> (read, write) of its editor; which show depends on the kind."""
        every = {name for names in PERIOD_FIELDS.values() for name in names}
        for name in sorted(every, key=list(PERIOD_FIELD_LABELS).index):
            self.period_fields[name] = self._period_editor(form, name)

    def _period_editor(
        self, form: Form, name: str
    ) -> tuple[Callable[[], Any], Callable[[Any], None]]:
        label, hint, path = (
            PERIOD_FIELD_LABELS[name],
            PERIOD_FIELD_HINTS.get(name, ""),
            f"period.{name}",
        )
        if name == "start_month":
            month = QComboBox()
            month.addItem("The agency's fiscal year start", None)
            for number in range(1, 13):
                month.addItem(calendar.month_name[number], number)
            self._row(form, path, label, month, hint=hint)
            return month.currentData, lambda v: month.setCurrentIndex(max(month.findData(v), 0))
        if name in ("anchor", "first_due", "due", "counts_from"):
            day = DateField(optional=True)
            self._row(form, path, label, day, hint=hint)
            return (
                lambda: day.text() or None,
                lambda v: day.set_value(date.fromisoformat(v) if v else None),
            )
        if name in ("years", "months"):
            count = CountField(100 if name == "years" else 1200, f" {name}")
            self._row(form, path, label, count, hint=hint)
            return lambda: count.value() or None, lambda v: count.setValue(int(v or 0))
        if name == "from":
            anchor = QComboBox()
            for value, text in ANCHOR_LABELS.items():
                anchor.addItem(text, value.value)
            self._row(form, path, label, anchor, hint=hint)
            return anchor.currentData, lambda v: anchor.setCurrentIndex(
                max(anchor.findData(v or AnchorDate.LICENSE.value), 0)
            )
        if name == "end_month_day":
            month_day = QLineEdit()
            month_day.setPlaceholderText("MM-DD, e.g. 06-30")
            month_day.setMaximumWidth(160)
            self._row(form, path, label, month_day, hint=hint)
            return lambda: month_day.text().strip() or None, lambda v: month_day.setText(v or "")
        if name == "end_after_anniversary":
            box = QCheckBox("Ends on that day on or after the Nth anniversary (Florida)")
            self._row(form, path, label, box, hint=hint)
            return lambda: True if box.isChecked() else None, lambda v: box.setChecked(bool(v))
        raise KeyError(f"the form has no editor for period field {name!r}")

    def _counts_section(self) -> None:
        form = self._section("Which training counts")
        self.topics = CheckList(self.labels)
        self.topics.setMinimumHeight(170)
        self._row(form, "topics", "Topics", self.topics, hint="None ticked: every topic.")
        self.delivery = Choices(DELIVERIES)
        self._row(form, "delivery", "Delivered as", self.delivery, hint="None ticked: any.")
        subs = QWidget()
        subs.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        column = QVBoxLayout(subs)
        column.setContentsMargins(0, 0, 0, 0)
        self.sub_list = QListWidget()
        self.sub_list.setMaximumHeight(96)
        column.addWidget(self.sub_list)
        buttons = QHBoxLayout()
        self.add_sub_button = QPushButton("Add…")
        self.add_sub_button.clicked.connect(self.add_sub_minimum)
        self.edit_sub_button = QPushButton("Edit…")
        self.edit_sub_button.clicked.connect(self.edit_sub_minimum)
        self.remove_sub_button = QPushButton("Remove")
        self.remove_sub_button.clicked.connect(self.remove_sub_minimum)
        for button in (self.add_sub_button, self.edit_sub_button, self.remove_sub_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.sub_list.itemDoubleClicked.connect(lambda _item: self.edit_sub_minimum())
        self._row(
            form,
            "sub_minimums",
            "Sub-minimums",
            subs,
            hint="Hours of some topics or delivery that must be part of the total.",
        )

    def _who_section(self) -> None:
        form = self._section("Who it applies to")
        self.statuses = Choices(OFFICER_STATUSES)
        self._row(form, "applies_to.statuses", "Officers who are", self.statuses)
        self.applies_lists: dict[str, QLineEdit] = {}
        for name, (label, placeholder) in APPLIES_LISTS.items():
            edit = QLineEdit()
            edit.setPlaceholderText(f"{placeholder} (separate several with ;)")
            self.applies_lists[name] = edit
            self._row(form, f"applies_to.{name}", label, edit)
        self.applies_dates: dict[str, DateField] = {}
        for name, label in APPLIES_DATES.items():
            day = DateField(optional=True)
            self.applies_dates[name] = day
            self._row(
                form,
                f"applies_to.{name}",
                label,
                day,
                hint="The license date is the hire date when none is recorded."
                if name == "licensed_before"
                else "",
            )

    def _text_section(self) -> None:
        form = self._section("Where it comes from")
        self.source = QLineEdit()
        self.source.setPlaceholderText("statute, rule or board page, e.g. 50 ILCS 705/10.6")
        self._row(form, "source", "Source", self.source)
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(80)
        self._row(form, "notes", "Notes", self.notes)
