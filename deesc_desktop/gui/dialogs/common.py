"""Pieces several dialogs share: an officer picker fed from the roster on a worker thread, the
roster's search text, the layout of a form dialog with its Save and Cancel buttons."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from deesc_desktop.gui import prompts, workers
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.forms import Form
from deesc_desktop.gui.models import (
    ID_ROLE,
    OfficerChoiceModel,
)
from deesc_desktop.store.officers import RosterRow, roster


def load_roster(
    ctx: AppContext,
    owner: QWidget,
    on_rows: Callable[[list[RosterRow]], None],
    *,
    include_separated: bool = False,
) -> None:
    """Read the roster on a worker and hand the rows to `on_rows` on the GUI thread."""

    def query(db: Database) -> list[RosterRow]:
        rows = roster(db)
        return rows if include_separated else [r for r in rows if r.status != "separated"]

    workers.run_query(
        ctx.db_path,
        query,
        owner=owner,
        on_result=on_rows,
        on_error=lambda exc: prompts.error(owner, "Could not read the roster", str(exc)),
    )


class OfficerPicker(QComboBox):
    """Choose one officer by typing part of a name or badge."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(34)
        self.model_ = OfficerChoiceModel(self)
        self.setModel(self.model_)
        completer = QCompleter(self.model_, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        line = self.lineEdit()
        if line is not None:
            line.setPlaceholderText("Loading the roster…")
        self._wanted: int | None = None

    def set_officers(self, rows: list[RosterRow]) -> None:
        self.model_.sort(0)
        self.model_.set_rows(rows)
        line = self.lineEdit()
        if line is not None:
            line.setPlaceholderText("Type a name or badge")
        self.setCurrentIndex(-1)
        if self._wanted is not None:
            self.select(self._wanted)

    def select(self, officer_id: int | None) -> None:
        """Choose an officer by id (now, or once the roster has loaded)."""
        self._wanted = officer_id
        if officer_id is None:
            return
        row = self.model_.find_row(lambda r: r.id == officer_id)
        if row >= 0:
            self.setCurrentIndex(row)

    def required_officer(self, form: Form, field: str = "officer") -> int | None:
        """The chosen officer; None, with the reason under the form's `field`, when none is."""
        officer_id = self.officer_id()
        if officer_id is None:
            form.show_errors({field: "choose an officer from the list"})
        return officer_id

    def officer_id(self) -> int | None:
        """The chosen officer, or None when the text names nobody on the list."""
        index = self.currentIndex()
        if index < 0 or self.itemText(index) != self.currentText():
            return None
        value = self.model_.index(index, 0).data(ID_ROLE)
        return int(value) if value is not None else None


def lay_out_form(
    dialog: QDialog,
    form: Form,
    above: Sequence[QWidget] = (),
    below: Sequence[QWidget] = (),
    ok_text: str | None = None,
) -> QPushButton:
    """Lay a form dialog out: what it is about (`above`), the form's banner and rows, any
    notes `below`, then Cancel and Save (or a button named `ok_text` for what it does), wired
    to the dialog's reject and accept. Returns the Save button."""
    layout = QVBoxLayout(dialog)
    for widget in above:
        layout.addWidget(widget)
    layout.addWidget(form.banner)
    layout.addLayout(form.layout)
    for widget in below:
        layout.addWidget(widget)
    if ok_text is None:
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Save)
    else:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    return ok


def roster_haystack(row: RosterRow) -> str:
    return f"{row.badge} {row.last_name} {row.first_name}".casefold()
