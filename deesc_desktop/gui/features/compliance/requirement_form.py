"""The agency requirement form: every rule-pack field (docs/rule-packs.md) as a form field,
checked by the rule-pack checks with each reason under its field; the rule-file text shown
beside it, read-only, for those who know the format."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from deesc_desktop.core.periods import PeriodKind
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
from deesc_desktop.gui import prompts
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.features.compliance.requirement_fields import (
    NO_PERIOD,
    SUB_MINIMUM_PATH,
    Definition,
    SubMinimumDialog,
    definition_toml,
    hours_value,
    join_list,
    split_list,
    sub_minimum_text,
)
from deesc_desktop.gui.features.compliance.requirement_sections import RequirementSections
from deesc_desktop.gui.forms import Form
from deesc_desktop.gui.widgets import muted
from deesc_desktop.services.errors import ServiceError, ValidationError
from deesc_desktop.services.requirements import save_requirement
from deesc_desktop.store.courses import topic_labels


class RequirementForm(RequirementSections):
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
            out["hours"] = hours_value(self.hours.value())
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
                out["hours_per_month"] = hours_value(self.hours_per_month.value())
            if self.make_up.currentData() != MakeUp.NONE.value:
                out["make_up"] = self.make_up.currentData()
            if self.round_required_to.value():
                out["round_required_to"] = hours_value(self.round_required_to.value())
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
        if match := SUB_MINIMUM_PATH.fullmatch(path):
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
        self.accept()
        return self.saved
