"""The Settings page's requirements section: the list, switching off/on, rule files, the editor."""

from __future__ import annotations

import json
import re
import tempfile
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from deesc_desktop.core.auth import Permission
from deesc_desktop.core.rules import Requirement, requirement_to_dict
from deesc_desktop.gui import prompts, style
from deesc_desktop.gui.context import REQUIREMENTS, AppContext
from deesc_desktop.gui.models import Column, RowsModel
from deesc_desktop.gui.widgets import muted, table_view
from deesc_desktop.services.errors import ServiceError
from deesc_desktop.services.requirements import ListedRequirement, load_requirements_file

RULE_FILE_FILTER = "Rule packs (*.toml);;All files (*)"
EDITOR_FILE = "agency.toml"
"""The name the editor's requirement is checked and saved under (its origin: file:agency.toml)."""

EXAMPLE = """\
# One agency requirement, in the rule-pack format (docs/rule-packs.md).
# Lines starting with # are comments. Nothing is saved until the whole text is valid.
# A requirement with the id of an existing one replaces it.
[[requirements]]
id = "AGENCY-firearms-annual"
title = "Firearms qualification every year"
effective_from = 2025-01-01
hours = 4
topics = ["firearms"]
# period kinds: calendar_year, fiscal_year, fixed_cycle, officer_cycle, rolling,
# since_last_completion, one_time
period = { kind = "calendar_year" }
new_hire = "prorate"
source = "Agency policy"
"""

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def origin_text(origin: str) -> str:
    """'pack:IL' -> 'IL pack', 'file:x.toml' -> 'x.toml', 'agency' -> 'agency'."""
    if origin.startswith("pack:"):
        return f"{origin.removeprefix('pack:')} pack"
    if origin.startswith("file:"):
        return origin.removeprefix("file:")
    return origin


def toml_value(value: Any) -> str:
    """A value as TOML: ISO dates bare, strings quoted, lists and tables inline."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if isinstance(value, str):
        if _DATE.fullmatch(value):
            return value
        if "\n" in value and '"""' not in value and "\\" not in value:
            return f'"""\n{value.strip(chr(10))}\n"""'
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def requirement_toml(requirement: Requirement) -> str:
    """The requirement as one [[requirements]] table, sub-minimums after its own keys."""
    data = requirement_to_dict(requirement)
    data.pop("jurisdiction", None)  # a pack's requirements take the pack's jurisdiction
    subs = data.pop("sub_minimums", [])
    lines = ["[[requirements]]"]
    lines += [f"{key} = {toml_value(value)}" for key, value in data.items()]
    for sub in subs:
        lines += ["", "[[requirements.sub_minimums]]"]
        lines += [f"{key} = {toml_value(value)}" for key, value in sub.items()]
    return "\n".join(lines) + "\n"


class RequirementColumn(IntEnum):
    ID = 0
    TITLE = 1
    SUMMARY = 2
    ORIGIN = 3
    STATE = 4


class RequirementsModel(RowsModel):
    """The agency's requirements (services.requirements.list_requirements rows)."""

    COLUMNS = (
        Column("Id", lambda r: r.requirement.id),
        Column("Title", lambda r: r.requirement.title),
        Column("Required", lambda r: r.requirement.summary()),
        Column("From", lambda r: origin_text(r.origin)),
        Column("State", lambda r: "On" if r.active else "Off", lambda r: not r.active),
    )

    def foreground(self, row: ListedRequirement, column: int) -> QColor | None:
        if column == RequirementColumn.STATE:
            return QColor(style.Colour.OK if row.active else style.Colour.NEUTRAL)
        if not row.active:
            return QColor("#8a939d")
        return None

    def tooltip(self, row: ListedRequirement, column: int) -> str | None:
        requirement = row.requirement
        lines = [f"{requirement.id}: {requirement.title}", requirement.summary()]
        if requirement.notes:
            lines.append(requirement.notes.strip())
        return "\n".join(lines)


class RequirementEditor(QDialog):
    """Add or edit one agency requirement as TOML; checked by the service before saving."""

    def __init__(self, ctx: AppContext, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.saved_ids: list[str] = []
        self.setWindowTitle("Agency requirement")
        self.setMinimumSize(720, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(
            muted(
                "Write the requirement in the rule-pack format. Save checks it the way a rule "
                "file is checked; a mistake is shown below and nothing is saved."
            )
        )
        self.editor = QPlainTextEdit()
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.editor.setPlainText(text)
        layout.addWidget(self.editor, 1)
        self.message = QLabel()
        self.message.setObjectName("errorBanner")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {style.Colour.ERROR};")
        self.message.hide()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton("Save", QDialogButtonBox.ButtonRole.AcceptRole)
        example = self.buttons.addButton(
            "Start from example", QDialogButtonBox.ButtonRole.ResetRole
        )
        example.clicked.connect(lambda: self.editor.setPlainText(EXAMPLE))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def show_problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def save(self) -> None:
        text = self.editor.toPlainText()
        tables = [line for line in text.splitlines() if line.strip() == "[[requirements]]"]
        if len(tables) != 1:
            self.show_problem("Write exactly one requirement: one [[requirements]] line.")
            return
        agency = self.ctx.agency()
        header = (
            f'jurisdiction = "{agency.state if agency else "AGENCY"}"\n'
            'name = "Agency requirement"\nversion = "1"\n'
        )
        offset = header.count("\n")
        with tempfile.TemporaryDirectory(prefix="deesc-requirement-") as folder:
            path = Path(folder) / EDITOR_FILE
            path.write_text(header + text, encoding="utf-8")
            try:
                self.saved_ids = load_requirements_file(self.ctx.db, self.ctx.actor, path)
            except ServiceError as exc:
                # TOML syntax errors count lines of the file written, header included.
                self.show_problem(
                    re.sub(
                        r"at line (\d+)",
                        lambda m: f"at line {int(m.group(1)) - offset}",
                        str(exc),
                    )
                )
                return
        self.ctx.bus.notify(REQUIREMENTS)
        self.accept()


class RequirementsBox(QGroupBox):
    """The requirements section: the table and its buttons; the page feeds it rows."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Requirements", parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.addWidget(
            muted(
                "What compliance is measured against: the state's pack and the agency's own "
                "requirements. A switched-off requirement is left out of compliance."
            )
        )
        self.model = RequirementsModel(self)
        self.view = table_view(
            self.model,
            widths={
                RequirementColumn.ID: 22,
                RequirementColumn.TITLE: 36,
                RequirementColumn.SUMMARY: 26,
                RequirementColumn.ORIGIN: 18,
                RequirementColumn.STATE: 4,
            },
            stretch=RequirementColumn.TITLE,
        )
        self.view.setMinimumHeight(200)
        self.view.doubleClicked.connect(lambda _index: self.edit())
        layout.addWidget(self.view)
        buttons = QHBoxLayout()
        self.switch_button = QPushButton("Switch off")
        self.switch_button.clicked.connect(self.toggle_active)
        self.load_button = QPushButton("Load rule file…")
        self.load_button.clicked.connect(self.load_file)
        self.edit_button = QPushButton("Add or edit agency requirement…")
        self.edit_button.clicked.connect(self.edit)
        for button in (self.switch_button, self.load_button, self.edit_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.allowed = ctx.can(Permission.MANAGE_REQUIREMENTS)
        if not self.allowed:
            tip = f"Not allowed for the role {ctx.actor.role.label}"
            for button in (self.switch_button, self.load_button, self.edit_button):
                button.setToolTip(tip)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.update_buttons())
        self.update_buttons()

    def set_rows(self, rows: list[ListedRequirement]) -> None:
        selected = self.selected()
        self.model.set_rows(rows)
        if selected is not None:
            self.select(selected.requirement.id)
        self.update_buttons()

    def selected(self) -> ListedRequirement | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def select(self, requirement_id: str) -> bool:
        row = self.model.find_row(lambda r: r.requirement.id == requirement_id)
        if row >= 0:
            self.view.selectRow(row)
        return row >= 0

    def update_buttons(self) -> None:
        item = self.selected()
        self.switch_button.setText("Switch on" if item and not item.active else "Switch off")
        self.switch_button.setEnabled(self.allowed and item is not None)
        self.load_button.setEnabled(self.allowed)
        self.edit_button.setEnabled(self.allowed)

    def toggle_active(self) -> bool:
        from deesc_desktop.services.requirements import set_requirement_active

        item = self.selected()
        if item is None:
            return False
        try:
            set_requirement_active(
                self.ctx.db, self.ctx.actor, item.requirement.id, not item.active
            )
        except ServiceError as exc:
            prompts.error(self, f"Could not switch {item.requirement.id}", str(exc))
            return False
        self.ctx.bus.notify(REQUIREMENTS)
        return True

    def load_file(self) -> list[str]:
        path = prompts.open_file(
            self, "Load rule file", str(self.ctx.db_path.parent), RULE_FILE_FILTER
        )
        if path is None:
            return []
        try:
            ids = load_requirements_file(self.ctx.db, self.ctx.actor, path)
        except ServiceError as exc:
            prompts.error(self, "Rule file refused", str(exc))
            return []
        self.ctx.bus.notify(REQUIREMENTS)
        prompts.inform(
            self,
            "Rule file loaded",
            f"{len(ids)} requirement{'s' if len(ids) != 1 else ''} loaded from {path.name}: "
            + ", ".join(ids),
        )
        return ids

    def edit(self) -> list[str]:
        if not self.allowed:
            return []
        item = self.selected()
        text = requirement_toml(item.requirement) if item is not None else EXAMPLE
        dialog = RequirementEditor(self.ctx, text, self)
        if not prompts.run_dialog(dialog):
            return []
        return dialog.saved_ids
