"""Attached documents in the GUI: a list with Open, Save a copy, Attach and Remove, and the
Attach dialog; every class file, training record, instructor and claim shows them this way."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from deesc_desktop.core.auth import Permission
from deesc_desktop.core.course_files import DOCUMENT_KINDS
from deesc_desktop.core.documents import (
    ACCEPTED_TEXT,
    MAX_DOCUMENT_BYTES,
    document_type,
    format_size,
)
from deesc_desktop.gui import prompts
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.forms import Form, fill_combo, local_time
from deesc_desktop.gui.models import RIGHT, Column, RowsModel
from deesc_desktop.gui.operations import USER_ERRORS
from deesc_desktop.gui.settings import LAST_IMPORT_FOLDER
from deesc_desktop.gui.widgets import muted, table_view
from deesc_desktop.services.course_files import (
    Owner,
    SupportingDocument,
    attach_file,
    open_copy,
    record_documents,
    remove_attachment,
    save_attachment,
)
from deesc_desktop.services.errors import ServiceError
from deesc_desktop.store.documents import AttachmentRow

DOCUMENT_FILTER = (
    "Documents (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.docx *.xlsx *.pptx *.doc *.xls *.ppt);;"
    "All files (*)"
)


class AttachDocumentDialog(QDialog):
    """Choose a file and say what it is; the service checks its content before keeping it."""

    def __init__(
        self,
        ctx: AppContext,
        owner: Owner,
        what: str,
        kind: str = "sign_in_sheet",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.owner = owner
        self.attachment_id: int | None = None
        self.setWindowTitle("Attach document")
        self.setMinimumWidth(560)
        self.form = Form()
        self.path = QLineEdit()
        self.path.setPlaceholderText("Choose the scanned or saved file")
        choose = QPushButton("Choose file…")
        choose.clicked.connect(self.choose_file)
        row = QWidget()
        # The form's full width: a chosen file's whole path should be readable.
        row.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.path, 1)
        line.addWidget(choose)
        self.kind = QComboBox()
        fill_combo(self.kind, DOCUMENT_KINDS, kind)
        self.description = QLineEdit()
        self.description.setPlaceholderText("e.g. page 2 of 2, morning session")
        self.form.add_row(
            "file",
            "File",
            row,
            required=True,
            hint=f"{ACCEPTED_TEXT}, up to {format_size(MAX_DOCUMENT_BYTES)}. "
            "The content is checked, not only the name.",
        )
        self.form.add_row("kind", "Document type", self.kind, required=True)
        self.form.add_row("description", "Note", self.description)
        layout = QVBoxLayout(self)
        heading = QLabel(f"Attach to: <b>{what}</b>")
        layout.addWidget(heading)
        layout.addWidget(self.form.banner)
        layout.addLayout(self.form.layout)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.attach_button = buttons.addButton("Attach", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def choose_file(self) -> None:
        folder = self.ctx.settings.get(LAST_IMPORT_FOLDER) or str(Path.home())
        path = prompts.open_file(self, "Attach document", folder, DOCUMENT_FILTER)
        if path is not None:
            self.ctx.settings.set(LAST_IMPORT_FOLDER, str(path.parent))
            self.path.setText(str(path))

    def accept(self) -> None:
        text = self.path.text().strip()
        if not text:
            self.form.show_errors({"file": "is required"})
            return
        try:
            self.attachment_id = attach_file(
                self.ctx.db,
                self.ctx.actor,
                Path(text),
                str(self.kind.currentData()),
                self.owner,
                description=self.description.text(),
            )
        except ServiceError as exc:
            # Above the form, not under the field: the reason starts with the file's own name.
            self.form.show_errors({}, str(exc))
            return
        super().accept()


def attach_document(
    parent: QWidget, ctx: AppContext, owner: Owner, what: str, kind: str = "sign_in_sheet"
) -> int | None:
    """Ask for a file and attach it; the attachment's number, or None when nothing was."""
    dialog = AttachDocumentDialog(ctx, owner, what, kind, parent)
    return dialog.attachment_id if prompts.run_dialog(dialog) else None


def open_document(parent: QWidget, ctx: AppContext, attachment_id: int) -> bool:
    """Open a copy of the document with the program the desktop uses for its type."""
    try:
        path = open_copy(ctx.db, ctx.actor, attachment_id)
    except USER_ERRORS as exc:
        prompts.error(parent, "Could not open the document", str(exc))
        return False
    return prompts.open_url(QUrl.fromLocalFile(str(path)))


def save_document_copy(parent: QWidget, ctx: AppContext, row: AttachmentRow) -> Path | None:
    """Save a copy of the document where the user chooses."""
    target = prompts.save_file(parent, "Save a copy", Path.home() / row.file_name, DOCUMENT_FILTER)
    if target is None:
        return None
    try:
        return save_attachment(ctx.db, ctx.actor, row.id, target)
    except USER_ERRORS as exc:
        prompts.error(parent, "Could not save the copy", str(exc))
        return None


def remove_document(parent: QWidget, ctx: AppContext, row: AttachmentRow) -> bool:
    """Take a document out of its file, after a confirmation and a reason."""
    what = f"{DOCUMENT_KINDS[row.kind]}: {row.file_name}"
    if not prompts.confirm(
        parent,
        "Remove document",
        f"Remove {what}?\n\nThe audit log keeps its name, size and SHA-256 digest, and your "
        "reason; the file itself is deleted unless it is attached elsewhere too.",
        ok_text="Remove document",
    ):
        return False
    reason = prompts.ask_reason(parent, "Why remove this document?", what, ok_text="Remove")
    if reason is None:
        return False
    try:
        remove_attachment(ctx.db, ctx.actor, row.id, reason=reason)
    except USER_ERRORS as exc:
        prompts.error(parent, "Could not remove the document", str(exc))
        return False
    return True


class DocumentsPanel(QWidget):
    """A list of documents with Open, Save a copy and, where the user may, Attach and Remove.

    `owner` says what Attach attaches to (None: nothing can be attached here, e.g. a claim,
    whose documents belong to its training records and classes).
    """

    changed = Signal()

    def __init__(
        self,
        ctx: AppContext,
        *,
        caption: str = "Documents",
        show_for: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.owner: Owner | None = None
        self.owner_label = ""
        self.default_kind = "sign_in_sheet"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = muted(caption)
        layout.addWidget(self.caption)
        self.model = DocumentModel(self)
        self.view = table_view(
            self.model,
            stretch=DocumentColumn.FOR if show_for else DocumentColumn.NAME,
        )
        if not show_for:
            self.view.hideColumn(DocumentColumn.FOR)
        self.view.hideColumn(DocumentColumn.TYPE)
        self.view.doubleClicked.connect(lambda _index: self.open_selected())
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.attach_button = QPushButton("Attach…")
        self.attach_button.setToolTip("Attach a PDF, scan or Office file here")
        self.open_button = QPushButton("Open")
        self.open_button.setToolTip("Open the document with this computer's viewer")
        self.save_button = QPushButton("Save a copy…")
        self.remove_button = QPushButton("Remove…")
        for button in (self.attach_button, self.open_button, self.save_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.attach_button.clicked.connect(self.attach)
        self.open_button.clicked.connect(self.open_selected)
        self.save_button.clicked.connect(self.save_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.model.modelReset.connect(self._update)
        self._update()

    def set_owner(self, owner: Owner | None, label: str = "", kind: str = "sign_in_sheet") -> None:
        self.owner, self.owner_label, self.default_kind = owner, label, kind
        self._update()

    def set_documents(self, rows: list[AttachmentRow] | list[SupportingDocument]) -> None:
        self.model.set_rows(rows)

    def selected(self) -> AttachmentRow | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        row = self.model.row(rows[0].row())
        return row.attachment if isinstance(row, SupportingDocument) else row

    def _update(self) -> None:
        may_edit = self.ctx.can(Permission.MANAGE_COURSE_FILES)
        chosen = self.selected()
        self.attach_button.setVisible(self.owner is not None)
        self.attach_button.setEnabled(may_edit)
        self.open_button.setEnabled(chosen is not None)
        self.save_button.setEnabled(chosen is not None)
        # A document shown here on behalf of another file (a claim's) is removed from there.
        self.remove_button.setEnabled(chosen is not None and may_edit and self.owner is not None)

    def attach(self) -> None:
        if self.owner is not None and attach_document(
            self, self.ctx, self.owner, self.owner_label, self.default_kind
        ):
            self.changed.emit()

    def open_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            open_document(self, self.ctx, chosen.id)

    def save_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            save_document_copy(self, self.ctx, chosen)

    def remove_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None and remove_document(self, self.ctx, chosen):
            self.changed.emit()


class RecordDocumentsDialog(QDialog):
    """The documents behind one training record: its own (an outside certificate) and those
    of its class's file; new ones attach to the record."""

    def __init__(
        self, ctx: AppContext, record_id: int, what: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.record_id = record_id
        self.setWindowTitle("Documents of a training record")
        self.resize(760, 380)
        layout = QVBoxLayout(self)
        heading = QLabel(f"<b>{escape(what)}</b>")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(
            muted(
                "An outside certificate attaches to the record it proves; the class's sign-in "
                "sheet and lesson plan are kept in its class file (Course files page)."
            )
        )
        self.panel = DocumentsPanel(ctx, caption="Documents", show_for=True)
        self.panel.set_owner(Owner(record_id=record_id), what, "certificate")
        self.panel.changed.connect(self.reload)
        layout.addWidget(self.panel, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        try:
            self.panel.set_documents(record_documents(self.ctx.db, self.record_id))
        except USER_ERRORS as exc:
            prompts.error(self, "Could not read the documents", str(exc))


class DocumentColumn:
    KIND, NAME, TYPE, SIZE, ADDED, FOR = range(6)


class DocumentModel(RowsModel):
    """Attached documents: what each is, its file, type and size, who attached it when."""

    COLUMNS = (
        Column("Document", lambda r: short_kind(_attachment(r).kind), width=17),
        Column("File", lambda r: _attachment(r).file_name, width=22),
        Column("Type", lambda r: document_type(_attachment(r).media_type).label),
        Column(
            "Size",
            lambda r: format_size(_attachment(r).size),
            key=lambda r: _attachment(r).size,
            align=RIGHT,
            width=7,
        ),
        Column("Attached", lambda r: local_time(_attachment(r).created_at)),
        Column("For", lambda r: r.documents if isinstance(r, SupportingDocument) else ""),
    )

    def tooltip(self, row: AttachmentRow | SupportingDocument, column: int) -> str | None:
        found = _attachment(row)
        lines = [
            DOCUMENT_KINDS[found.kind],
            found.file_name,
            f"Attached by {found.created_by}",
            f"SHA-256 {found.sha256}",
        ]
        if found.description:
            lines.insert(0, found.description)
        return "\n".join(lines)


def short_kind(kind: str) -> str:
    """'Sign-in sheet' for 'Sign-in sheet (signed, with state IDs)': a kind in a narrow cell."""
    return DOCUMENT_KINDS[kind].split(" (")[0]


def _attachment(row: AttachmentRow | SupportingDocument) -> AttachmentRow:
    return row.attachment if isinstance(row, SupportingDocument) else row
