"""The Settings page's requirements section: the list, switching off/on, rule files, the form."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QGroupBox,
    QVBoxLayout,
    QWidget,
)

from deesc_desktop.core.auth import Permission
from deesc_desktop.gui import prompts, style
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.features.compliance.requirement_form import RequirementForm
from deesc_desktop.gui.models import Column, RowsModel
from deesc_desktop.gui.widgets import button_row, muted, push_button, table_view
from deesc_desktop.services.errors import ServiceError
from deesc_desktop.services.requirements import ListedRequirement, load_requirements_file

RULE_FILE_FILTER = "Rule packs (*.toml);;All files (*)"


def origin_text(origin: str) -> str:
    """'pack:IL' -> 'IL pack', 'file:x.toml' -> 'x.toml', 'agency' -> 'agency'."""
    if origin.startswith("pack:"):
        return f"{origin.removeprefix('pack:')} pack"
    if origin.startswith("file:"):
        return origin.removeprefix("file:")
    return origin


class RequirementColumn(IntEnum):
    ID = 0
    TITLE = 1
    SUMMARY = 2
    ORIGIN = 3
    STATE = 4


class RequirementsModel(RowsModel):
    """The agency's requirements (services.requirements.list_requirements rows)."""

    COLUMNS = (
        Column("Id", lambda r: r.requirement.id, width=22),
        Column("Title", lambda r: r.requirement.title, width=36),
        Column("Required", lambda r: r.requirement.summary(), width=26),
        Column("From", lambda r: origin_text(r.origin), width=18),
        Column("State", lambda r: "On" if r.active else "Off", lambda r: not r.active, width=4),
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
            stretch=RequirementColumn.TITLE,
        )
        self.view.setMinimumHeight(200)
        self.view.doubleClicked.connect(lambda _index: self.edit())
        layout.addWidget(self.view)
        self.switch_button = push_button("Switch off", self.toggle_active)
        self.load_button = push_button("Load rule file…", self.load_file)
        self.add_button = push_button("Add requirement…", self.add)
        self.edit_button = push_button("Edit requirement…", self.edit)
        layout.addLayout(
            button_row(self.add_button, self.edit_button, self.switch_button, self.load_button)
        )
        self.allowed = ctx.can(Permission.MANAGE_REQUIREMENTS)
        if not self.allowed:
            tip = f"Not allowed for the role {ctx.actor.role.label}"
            for button in (
                self.switch_button,
                self.load_button,
                self.add_button,
                self.edit_button,
            ):
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
        self.add_button.setEnabled(self.allowed)
        self.edit_button.setEnabled(self.allowed and item is not None)
        if self.allowed:
            self.edit_button.setToolTip("" if item else "Select a requirement in the list first")

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
        prompts.inform(
            self,
            "Rule file loaded",
            f"{len(ids)} requirement{'s' if len(ids) != 1 else ''} loaded from {path.name}: "
            + ", ".join(ids),
        )
        return ids

    def edit(self) -> list[str]:
        """Open the selected requirement in the form (a new one when none is selected)."""
        if not self.allowed:
            return []
        item = self.selected()
        dialog = RequirementForm(self.ctx, item.requirement if item is not None else None, self)
        if not prompts.run_dialog(dialog) or dialog.saved is None:
            return []
        return [dialog.saved.id]

    def add(self) -> list[str]:
        """Open an empty form for a new agency requirement."""
        if not self.allowed:
            return []
        dialog = RequirementForm(self.ctx, None, self)
        if not prompts.run_dialog(dialog) or dialog.saved is None:
            return []
        return [dialog.saved.id]
