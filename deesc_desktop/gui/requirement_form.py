"""The agency requirement form: every rule-pack field (docs/rule-packs.md) as a form field,
checked by the rule-pack checks with each reason under its field; the rule-file text shown
beside it, read-only, for those who know the format."""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from deesc_desktop.core.hours import format_hours, parse_hours
from deesc_desktop.core.periods import AnchorDate, PeriodKind
from deesc_desktop.core.rules import (
    APPLIES_TO_FIELDS,
    DEFAULT_STATUSES,
    PERIOD_FIELDS,
    MakeUp,
    NewHire,
    Requirement,
    RequirementKind,
    requirement_to_dict,
)
from deesc_desktop.core.topics import DELIVERIES, OFFICER_STATUSES
from deesc_desktop.gui import prompts
from deesc_desktop.gui.context import REQUIREMENTS, AppContext
from deesc_desktop.gui.forms import DateField, Form, HoursField
from deesc_desktop.gui.widgets import muted
from deesc_desktop.services.errors import ServiceError, ValidationError
from deesc_desktop.services.requirements import save_requirement
from deesc_desktop.store.courses import topic_labels

Definition = dict[str, Any]
"""A requirement in the rule-pack shape, as requirement_to_dict gives it."""

KIND_LABELS = {
    RequirementKind.HOURS: "Hours of training",
    RequirementKind.COURSE: "A course completed",
    RequirementKind.CERTIFICATION: "A certification held",
}
NO_PERIOD = ""
"""The period choice of a course required once ever, with no deadline."""
PERIOD_LABELS = {
    NO_PERIOD: "No period: once ever (a course only)",
    PeriodKind.CALENDAR_YEAR: "Each calendar year",
    PeriodKind.FISCAL_YEAR: "Each fiscal year",
    PeriodKind.FIXED_CYCLE: "Fixed cycles from a date (every N years or months)",
    PeriodKind.OFFICER_CYCLE: "Cycles from each officer's licence or hire date",
    PeriodKind.ROLLING: "The last N months, rolling",
    PeriodKind.SINCE_LAST_COMPLETION: "Every N years after the last completion",
    PeriodKind.ONE_TIME: "Once, within N months of licence or hire",
    PeriodKind.DEADLINE: "Once, by a set date",
}
PERIOD_FIELD_LABELS = {
    "start_month": "Fiscal year starts in",
    "anchor": "First cycle starts",
    "years": "Length in years",
    "months": "Length in months",
    "from": "Counted from",
    "end_month_day": "Each window ends on",
    "end_after_anniversary": "First window",
    "first_due": "First due",
    "due": "Due by",
    "counts_from": "Training counts from",
}
PERIOD_FIELD_HINTS = {
    "years": "A fixed cycle takes years or months, not both.",
    "end_month_day": 'Month and day, e.g. "06-30"; leave empty to end on the anniversary.',
    "first_due": "Never due before this date.",
    "counts_from": "Leave empty to count training of any date.",
}
NEW_HIRE_LABELS = {
    NewHire.PRORATE: "Prorated: months before the hire month are waived",
    NewHire.EXEMPT_FIRST_PERIOD: "Exempt in the window they were hired in",
    NewHire.FULL: "The full hours from the start",
    NewHire.EXEMPT_LICENSE_PERIOD: "Excused in the window holding the licence date",
    NewHire.PER_MONTH: "A set number of hours per month employed",
}
MAKE_UP_LABELS = {
    MakeUp.NONE: "No: each window stands alone",
    MakeUp.PREVIOUS_FIRST: "Yes: hours after a window ended short make it up first",
}
ANCHOR_LABELS = {AnchorDate.LICENSE: "The officer's licence date", AnchorDate.HIRE: "Hire date"}
APPLIES_LISTS = {
    "ranks": ("Only these ranks", "everyone"),
    "units": ("Only these units", "every unit"),
    "shifts": ("Only these shifts", "every shift"),
    "except_ranks": ("Not these ranks", "none left out"),
    "except_units": ("Not these units", "none left out"),
    "unless_certified": ("Not officers certified in", 'e.g. "cit"; none left out'),
}
APPLIES_DATES = {
    "licensed_before": "Licensed before",
    "licensed_on_or_after": "Licensed on or after",
    "hired_before": "Hired before",
    "hired_on_or_after": "Hired on or after",
}
ROUNDING_DEFAULT = "to the hundredth (default)"

_SUB_FIELD = re.compile(r"sub_minimums\[(\d+)\](?:\.(\w+))?")


def split_list(text: str) -> list[str]:
    """ "Patrol; Traffic" -> ["Patrol", "Traffic"]."""
    return [part.strip() for part in text.split(";") if part.strip()]


def join_list(values: Iterable[str]) -> str:
    return "; ".join(values)


def _hours_value(value: float) -> float:
    return float(f"{value:.2f}")


class CheckList(QListWidget):
    """Codes to tick, each shown by its label; keeps the order codes were given in."""

    def __init__(self, choices: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._given: list[str] = []
        for code, label in choices.items():
            self._add(code, label)

    def _add(self, code: str, label: str) -> QListWidgetItem:
        item = QListWidgetItem(label if label == code else f"{label}  ({code})")
        item.setData(Qt.ItemDataRole.UserRole, code)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        self.addItem(item)
        return item

    def _items(self) -> dict[str, QListWidgetItem]:
        return {
            str(self.item(i).data(Qt.ItemDataRole.UserRole)): self.item(i)
            for i in range(self.count())
        }

    def set_checked(self, codes: Sequence[str]) -> None:
        items = self._items()
        self._given = list(codes)
        for code, item in items.items():
            item.setCheckState(Qt.CheckState.Checked if code in codes else Qt.CheckState.Unchecked)
        for code in codes:
            if code not in items:  # a code the agency does not know: shown so it is kept
                self._add(code, code).setCheckState(Qt.CheckState.Checked)

    def checked(self) -> list[str]:
        ticked = [
            code
            for code, item in self._items().items()
            if item.checkState() == Qt.CheckState.Checked
        ]
        return [c for c in self._given if c in ticked] + [c for c in ticked if c not in self._given]


class Choices(QWidget):
    """A few codes to tick, side by side."""

    def __init__(self, choices: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for code, label in choices.items():
            box = QCheckBox(label)
            self.boxes[code] = box
            layout.addWidget(box)
        layout.addStretch(1)
        self._given: list[str] = []

    def set_checked(self, codes: Sequence[str]) -> None:
        self._given = list(codes)
        for code, box in self.boxes.items():
            box.setChecked(code in codes)

    def checked(self) -> list[str]:
        ticked = [code for code, box in self.boxes.items() if box.isChecked()]
        return [c for c in self._given if c in ticked] + [c for c in ticked if c not in self._given]


class CountField(QSpinBox):
    """A whole number where 0 stands for "not set"."""

    def __init__(self, maximum: int, suffix: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, maximum)
        self.setSpecialValueText("not set")
        self.setSuffix(suffix)
        self.setMinimumWidth(110)


def sub_minimum_text(sub: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    """A sub-minimum in a line: "Use of force / de-escalation: 6.0 h of Use of force, ..."."""
    what = [labels.get(code, code) for code in sub.get("topics", [])]
    what += [DELIVERIES.get(code, code).lower() for code in sub.get("delivery", [])]
    text = f"{sub.get('label', '')}: {format_hours(parse_hours(sub.get('hours', 0)))} h"
    if what:
        text += f" of {', '.join(what)}"
    if sub.get("window_from") or sub.get("window_to"):
        text += (
            f" (windows starting {sub.get('window_from') or 'any time'} to "
            f"{sub.get('window_to') or 'any time'})"
        )
    return text


class SubMinimumDialog(QDialog):
    """One sub-minimum: its label, hours, the topics and/or delivery that count, its windows."""

    def __init__(
        self,
        labels: Mapping[str, str],
        value: Mapping[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sub-minimum")
        self.setMinimumWidth(560)
        self.form = Form()
        self.label = QLineEdit()
        self.label.setPlaceholderText("e.g. Use of force / de-escalation")
        self.hours = HoursField()
        self.topics = CheckList(labels)
        self.topics.setMinimumHeight(160)
        self.delivery = Choices(DELIVERIES)
        self.window_from = DateField(optional=True)
        self.window_to = DateField(optional=True)
        self.form.add_row("label", "Label", self.label, required=True)
        self.form.add_row("hours", "Hours", self.hours, required=True)
        self.form.add_row("topics", "Topics that count", self.topics)
        self.form.add_row(
            "delivery", "Delivered as", self.delivery, hint="Topics and/or delivery: at least one."
        )
        self.form.add_row(
            "window_from",
            "Only in windows starting from",
            self.window_from,
            hint="For a minimum that changed between periods; leave both empty otherwise.",
        )
        self.form.add_row("window_to", "Only in windows starting by", self.window_to)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form.layout)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if value:
            self.label.setText(str(value.get("label", "")))
            self.hours.setValue(float(value.get("hours", 0)))
            self.topics.set_checked(list(value.get("topics", [])))
            self.delivery.set_checked(list(value.get("delivery", [])))
            for name, field in (("window_from", self.window_from), ("window_to", self.window_to)):
                if value.get(name):
                    field.set_value(date.fromisoformat(value[name]))

    def value(self) -> Definition:
        """The sub-minimum as the rule pack writes it (fields left empty are left out)."""
        out: Definition = {
            "label": self.label.text().strip(),
            "hours": _hours_value(self.hours.value()),
        }
        if topics := self.topics.checked():
            out["topics"] = topics
        if delivery := self.delivery.checked():
            out["delivery"] = delivery
        for name, field in (("window_from", self.window_from), ("window_to", self.window_to)):
            if field.text():
                out[name] = field.text()
        return out


class RequirementForm(QDialog):
    """Add or change one agency requirement, field by field; saved only once the whole
    requirement passes the rule-pack checks, each refusal shown under its field."""

    def __init__(
        self,
        ctx: AppContext,
        requirement: Requirement | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.saved: Requirement | None = None
        self.labels = topic_labels(ctx.db)
        self.setWindowTitle(
            f"Requirement {requirement.id}" if requirement else "New agency requirement"
        )
        self.resize(860, 720)
        self.forms: dict[str, Form] = {}
        """Field path -> the form section holding it."""
        self.rows: dict[str, QWidget] = {}
        """Field path -> the row's widget, to show or hide it."""
        self.subs: list[Definition] = []
        self._ready = False
        """False while the fields are built: a change then has nothing to show or hide yet."""

        outer = QVBoxLayout(self)
        outer.addWidget(
            muted(
                "Every field of a rule-pack requirement (docs/rule-packs.md). Save checks the "
                "whole requirement the way a rule file is checked: a mistake is shown under its "
                "field and nothing is saved. A requirement with the id of a built-in one "
                "replaces it for this agency."
            )
        )
        self.banner = QLabel()
        self.banner.setObjectName("formBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        outer.addWidget(self.banner)
        body = QWidget()
        self.column = QVBoxLayout(body)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self._what_section(requirement)
        self._required_section()
        self._period_section()
        self._counts_section()
        self._who_section()
        self._text_section()
        self.column.addStretch(1)

        self.toml = QPlainTextEdit()
        self.toml.setReadOnly(True)
        self.toml.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.toml.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.toml.setMinimumHeight(160)
        self.toml.hide()
        outer.addWidget(self.toml)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton("Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.toml_button = self.buttons.addButton(
            "Show rule-file text", QDialogButtonBox.ButtonRole.ResetRole
        )
        self.toml_button.setCheckable(True)
        self.toml_button.setToolTip("The requirement as a rule file writes it (read-only)")
        self.toml_button.toggled.connect(self._show_toml)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

        self._ready = True
        self.set_definition(
            requirement_to_dict(requirement) if requirement is not None else self.blank()
        )
        if requirement is not None:
            self.id.setReadOnly(True)
            self.id.setToolTip("A requirement keeps its id; add a new one to use another")

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
        for value, label in MAKE_UP_LABELS.items():
            self.make_up.addItem(label, value.value)
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
            text = QLineEdit()
            text.setPlaceholderText("MM-DD, e.g. 06-30")
            text.setMaximumWidth(160)
            self._row(form, path, label, text, hint=hint)
            return lambda: text.text().strip() or None, lambda v: text.setText(v or "")
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
                hint="The licence date is the hire date when none is recorded."
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

    # --- reading and writing the fields -----------------------------------------------------

    def blank(self) -> Definition:
        """A new requirement: hours each calendar year, in force from 1 January."""
        return {
            "id": "",
            "title": "",
            "effective_from": date(date.today().year, 1, 1).isoformat(),
            "hours": 4.0,
            "period": {"kind": PeriodKind.CALENDAR_YEAR.value},
            "new_hire": NewHire.PRORATE.value,
        }

    def set_definition(self, data: Mapping[str, Any]) -> None:
        """Fill every field from a requirement in the rule-pack shape."""
        self.id.setText(str(data.get("id", "")))
        self.title.setText(str(data.get("title", "")))
        for name, field in (
            ("effective_from", self.effective_from),
            ("effective_to", self.effective_to),
        ):
            field.set_value(date.fromisoformat(data[name]) if data.get(name) else None)
        kind = next((k for k in RequirementKind if k.value in data), RequirementKind.HOURS)
        self.kind.setCurrentIndex(self.kind.findData(kind.value))
        self.hours.setValue(float(data.get("hours", 0) or 0))
        self.courses.setText(join_list(data.get("courses", [])))
        course = data.get("course", [])
        self.course.setText(join_list([course] if isinstance(course, str) else course))
        self.certification.setCurrentText(str(data.get("certification") or "cit"))
        self.new_hire.setCurrentIndex(
            max(self.new_hire.findData(data.get("new_hire", "prorate")), 0)
        )
        self.hours_per_month.setValue(float(data.get("hours_per_month", 0) or 0))
        self.round_required_to.setValue(float(data.get("round_required_to", 0) or 0))
        self.make_up.setCurrentIndex(max(self.make_up.findData(data.get("make_up", "none")), 0))
        period = data.get("period") or {}
        self.period_kind.setCurrentIndex(
            max(self.period_kind.findData(period.get("kind", NO_PERIOD)), 0)
        )
        for name, (_read, write) in self.period_fields.items():
            write(period.get(name))
        self.topics.set_checked(list(data.get("topics", [])))
        self.delivery.set_checked(list(data.get("delivery", [])))
        self.subs = [dict(sub) for sub in data.get("sub_minimums", [])]
        self._fill_subs()
        applies = data.get("applies_to") or {}
        self.statuses.set_checked(list(applies.get("statuses", DEFAULT_STATUSES)))
        for name, edit in self.applies_lists.items():
            edit.setText(join_list(applies.get(name, [])))
        for name, day in self.applies_dates.items():
            day.set_value(date.fromisoformat(applies[name]) if applies.get(name) else None)
        self.source.setText(str(data.get("source", "")))
        self.notes.setPlainText(str(data.get("notes", "")))
        self._changed()

    def current_kind(self) -> RequirementKind:
        return RequirementKind(self.kind.currentData())

    def current_period(self) -> str:
        return str(self.period_kind.currentData())

    def definition(self) -> Definition:
        """The form as a requirement in the rule-pack shape; hidden fields are left out."""
        kind = self.current_kind()
        out: Definition = {"id": self.id.text().strip(), "title": self.title.text().strip()}
        if self.effective_from.text():
            out["effective_from"] = self.effective_from.text()
        if self.effective_to.text():
            out["effective_to"] = self.effective_to.text()
        if kind is RequirementKind.HOURS:
            out["hours"] = _hours_value(self.hours.value())
            if courses := split_list(self.courses.text()):
                out["courses"] = courses
        elif kind is RequirementKind.COURSE:
            out["course"] = split_list(self.course.text())
        else:
            out["certification"] = self.certification.currentText().strip()
        if kind is not RequirementKind.CERTIFICATION:
            if topics := self.topics.checked():
                out["topics"] = topics
            if delivery := self.delivery.checked():
                out["delivery"] = delivery
            if self.current_period() != NO_PERIOD:
                period: Definition = {"kind": self.current_period()}
                for name in PERIOD_FIELDS[PeriodKind(self.current_period())]:
                    value = self.period_fields[name][0]()
                    if value is not None:
                        period[name] = value
                out["period"] = period
        if kind is RequirementKind.HOURS and self.subs:
            out["sub_minimums"] = [dict(sub) for sub in self.subs]
        if applies := self._applies():
            out["applies_to"] = applies
        out["new_hire"] = self.new_hire.currentData()
        if kind is RequirementKind.HOURS:
            if self.new_hire.currentData() == NewHire.PER_MONTH.value:
                out["hours_per_month"] = _hours_value(self.hours_per_month.value())
            if self.make_up.currentData() != MakeUp.NONE.value:
                out["make_up"] = self.make_up.currentData()
            if self.round_required_to.value():
                out["round_required_to"] = _hours_value(self.round_required_to.value())
        if source := self.source.text().strip():
            out["source"] = source
        if notes := self.notes.toPlainText().strip():
            out["notes"] = notes
        return out

    def _applies(self) -> Definition:
        out: Definition = {}
        statuses = self.statuses.checked()
        if set(statuses) != set(DEFAULT_STATUSES):
            out["statuses"] = statuses
        for name, day in self.applies_dates.items():
            if day.text():
                out[name] = day.text()
        for name, edit in self.applies_lists.items():
            if values := split_list(edit.text()):
                out[name] = values
        return {name: out[name] for name in APPLIES_TO_FIELDS if name in out}

    def _changed(self) -> None:
        """Show the fields that the kind of requirement, its period and new-hire rule take."""
        if not self._ready:
            return
        kind = self.current_kind()
        hours = kind is RequirementKind.HOURS
        period = self.current_period()
        shown = {
            "hours": hours,
            "courses": hours,
            "course": kind is RequirementKind.COURSE,
            "certification": kind is RequirementKind.CERTIFICATION,
            "hours_per_month": hours and self.new_hire.currentData() == NewHire.PER_MONTH.value,
            "round_required_to": hours,
            "make_up": hours,
            "topics": kind is not RequirementKind.CERTIFICATION,
            "delivery": kind is not RequirementKind.CERTIFICATION,
            "sub_minimums": hours,
            "period.kind": kind is not RequirementKind.CERTIFICATION,
        }
        takes = set(PERIOD_FIELDS[PeriodKind(period)]) if period != NO_PERIOD else set()
        for name in self.period_fields:
            shown[f"period.{name}"] = shown["period.kind"] and name in takes
        for path, visible in shown.items():
            self.forms[path].layout.setRowVisible(self.rows[path], visible)
        if self.toml.isVisible():
            self.toml.setPlainText(definition_toml(self.definition()))

    # --- sub-minimums ------------------------------------------------------------------------

    def _fill_subs(self) -> None:
        self.sub_list.clear()
        for sub in self.subs:
            self.sub_list.addItem(sub_minimum_text(sub, self.labels))
        self._changed_subs()

    def _changed_subs(self) -> None:
        chosen = self.sub_list.currentRow() >= 0
        self.edit_sub_button.setEnabled(chosen)
        self.remove_sub_button.setEnabled(chosen)
        if self.toml.isVisible():
            self.toml.setPlainText(definition_toml(self.definition()))

    def add_sub_minimum(self) -> bool:
        dialog = SubMinimumDialog(self.labels, None, self)
        if not prompts.run_dialog(dialog):
            return False
        self.subs.append(dialog.value())
        self._fill_subs()
        return True

    def edit_sub_minimum(self) -> bool:
        row = self.sub_list.currentRow()
        if row < 0:
            return False
        dialog = SubMinimumDialog(self.labels, self.subs[row], self)
        if not prompts.run_dialog(dialog):
            return False
        self.subs[row] = dialog.value()
        self._fill_subs()
        self.sub_list.setCurrentRow(row)
        return True

    def remove_sub_minimum(self) -> None:
        row = self.sub_list.currentRow()
        if row >= 0:
            del self.subs[row]
            self._fill_subs()

    # --- checking and saving ---------------------------------------------------------------

    def _show_toml(self, on: bool) -> None:
        self.toml.setVisible(on)
        self.toml_button.setText("Hide rule-file text" if on else "Show rule-file text")
        if on:
            self.toml.setPlainText(definition_toml(self.definition()))

    def show_errors(self, field_errors: Mapping[str, str], summary: str = "") -> None:
        """Each reason under its field ("Hours must be more than 0 hours."); the others, and a
        summary when nothing could be placed, above the form."""
        placed: dict[str, dict[str, str]] = {}
        loose: list[str] = []
        for path, reason in field_errors.items():
            row, text = self.place(path, reason)
            if row in self.forms:
                placed.setdefault(row, {})
                placed[row][row] = f"{placed[row][row]}; {text}" if row in placed[row] else text
            else:
                loose.append(f"{path}: {reason}")
        forms = {id(form): form for form in self.forms.values()}
        for form in forms.values():
            form.show_errors({row: e[row] for row, e in placed.items() if self.forms[row] is form})
        if not placed and not loose and summary:
            loose.append(summary)
        self.banner.setText("\n".join(loose))
        self.banner.setVisible(bool(loose))

    def place(self, path: str, reason: str) -> tuple[str, str]:
        """Which row a rule-pack field's reason goes under, and the words to show there."""
        if match := _SUB_FIELD.fullmatch(path):
            number, part = match.groups()
            where = f"sub-minimum {number}" + (f", {part.replace('_', ' ')}" if part else "")
            return "sub_minimums", f"{where[:1].upper()}{where[1:]}: {reason}"
        if path in ("period", "period.kind"):
            return "period.kind", reason
        if path not in self.rows and path.split(".")[0] in ("hours", "course", "certification"):
            return "kind", reason
        return path, reason

    def save(self) -> Requirement | None:
        definition = self.definition()
        try:
            self.saved = save_requirement(self.ctx.db, self.ctx.actor, definition)
        except ValidationError as exc:
            self.show_errors(exc.field_errors, str(exc))
            return None
        except ServiceError as exc:
            self.show_errors({}, str(exc))
            return None
        self.ctx.bus.notify(REQUIREMENTS)
        self.accept()
        return self.saved


def toml_value(value: Any) -> str:
    """A value as TOML: ISO dates bare, strings quoted, lists and tables inline."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if isinstance(value, str):
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return value
        if "\n" in value and '"""' not in value and "\\" not in value:
            return f'"""\n{value.strip(chr(10))}\n"""'
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def definition_toml(data: Mapping[str, Any]) -> str:
    """A requirement as one [[requirements]] table, sub-minimums after its own keys."""
    fields = {k: v for k, v in data.items() if k not in ("jurisdiction", "sub_minimums")}
    lines = ["[[requirements]]"]
    lines += [f"{key} = {toml_value(value)}" for key, value in fields.items()]
    for sub in data.get("sub_minimums", []):
        lines += ["", "[[requirements.sub_minimums]]"]
        lines += [f"{key} = {toml_value(value)}" for key, value in sub.items()]
    return "\n".join(lines) + "\n"
