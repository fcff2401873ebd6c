"""The requirement form's vocabulary and field widgets: labels of each rule-pack value, the
topic and choice lists, the sub-minimum dialog, and the rule-file text of a definition."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from deesc_desktop.core.hours import format_hours, parse_hours
from deesc_desktop.core.periods import AnchorDate, PeriodKind
from deesc_desktop.core.rules import (
    MakeUp,
    NewHire,
    RequirementKind,
)
from deesc_desktop.core.topics import DELIVERIES
from deesc_desktop.gui.forms import DateField, Form, HoursField

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
    PeriodKind.OFFICER_CYCLE: "Cycles from each officer's license or hire date",
    PeriodKind.ROLLING: "The last N months, rolling",
    PeriodKind.SINCE_LAST_COMPLETION: "Every N years after the last completion",
    PeriodKind.ONE_TIME: "Once, within N months of license or hire",
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
    NewHire.EXEMPT_LICENSE_PERIOD: "Excused in the window holding the license date",
    NewHire.PER_MONTH: "A set number of hours per month employed",
}
MAKE_UP_LABELS = {
    MakeUp.NONE: "No: each window stands alone",
    MakeUp.PREVIOUS_FIRST: "Yes: hours after a window ended short make it up first",
}
ANCHOR_LABELS = {AnchorDate.LICENSE: "The officer's license date", AnchorDate.HIRE: "Hire date"}
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

SUB_MINIMUM_PATH = re.compile(r"sub_minimums\[(\d+)\](?:\.(\w+))?")


def split_list(text: str) -> list[str]:
    """ "Patrol; Traffic" -> ["Patrol", "Traffic"]."""
    return [part.strip() for part in text.split(";") if part.strip()]


def join_list(values: Iterable[str]) -> str:
    return "; ".join(values)


def hours_value(value: float) -> float:
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
            "hours": hours_value(self.hours.value()),
        }
        if topics := self.topics.checked():
            out["topics"] = topics
        if delivery := self.delivery.checked():
            out["delivery"] = delivery
        for name, field in (("window_from", self.window_from), ("window_to", self.window_to)):
            if field.text():
                out[name] = field.text()
        return out


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
