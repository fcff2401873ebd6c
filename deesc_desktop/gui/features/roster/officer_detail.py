"""One officer at a glance: profile, training transcript, leave; other features add tabs.

Compliance, CIT, bonus claims and the audit log add their own tab through the page registry
(PageSpec.officer_tabs), without touching this file; a tab's module is imported when shown.
"""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, QTemporaryDir
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from deesc_desktop.core.auth import Permission
from deesc_desktop.core.dates import year_before
from deesc_desktop.core.hours import format_hours
from deesc_desktop.gui import prompts, style, workers
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.forms import local_time
from deesc_desktop.gui.pages import load, officer_tabs
from deesc_desktop.gui.widgets import muted, table_view
from deesc_desktop.store.leave import load_exemptions
from deesc_desktop.store.officers import officer_form


class OfficerDetailDialog(QDialog):
    """Profile, transcript and leave of one officer, read-only, with an Edit button."""

    def __init__(self, ctx: AppContext, officer_id: int, parent: QWidget | None = None) -> None:
        # The models bring the compliance engine; the main window registers the feature tabs
        # through this module before it shows, and should not wait for them.
        from deesc_desktop.gui.features.roster.models import (
            ExemptionModel,
            TranscriptColumn,
            TranscriptModel,
        )

        super().__init__(parent)
        self.ctx = ctx
        self.officer_id = officer_id
        self.setWindowTitle("Officer")
        self._temp = QTemporaryDir()
        self.resize(1060, 640)
        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setFont(style.heading_font(self.heading.font()))
        self.status = QLabel()
        header.addWidget(self.heading)
        header.addSpacing(12)
        header.addWidget(self.status)
        header.addStretch(1)
        layout.addLayout(header)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)

        self.profile = QWidget()
        self.profile_form = QFormLayout(self.profile)
        self.profile_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.profile_form.setHorizontalSpacing(18)
        self.tabs.addTab(self.profile, "Profile")

        transcript = QWidget()
        transcript_layout = QVBoxLayout(transcript)
        self.transcript_total = muted("")
        transcript_layout.addWidget(self.transcript_total)
        self.transcript = TranscriptModel(self)
        self.transcript_view = table_view(
            self.transcript,
            sort=(TranscriptColumn.COMPLETED, Qt.SortOrder.DescendingOrder),
        )
        transcript_layout.addWidget(self.transcript_view)
        self.tabs.addTab(transcript, "Training")

        leave = QWidget()
        leave_layout = QVBoxLayout(leave)
        self.exemptions = ExemptionModel(self)
        self.exemptions_view = table_view(self.exemptions)
        leave_layout.addWidget(self.exemptions_view)
        self.tabs.addTab(leave, "Leave and exemptions")

        for tab in officer_tabs():
            self.tabs.addTab(load(tab.factory)(ctx, officer_id), tab.title)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        edit = buttons.addButton("Edit officer…", QDialogButtonBox.ButtonRole.ActionRole)
        edit.clicked.connect(self._edit)
        edit.setEnabled(ctx.can(Permission.MANAGE_OFFICERS))
        add_leave = buttons.addButton("Add leave…", QDialogButtonBox.ButtonRole.ActionRole)
        add_leave.clicked.connect(self._add_leave)
        add_leave.setEnabled(ctx.can(Permission.MANAGE_LEAVE))
        self.record_button = buttons.addButton(
            "Record training…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.record_button.setToolTip("Record a class for this officer (others can be added)")
        self.record_button.clicked.connect(self.record_training)
        self.record_button.setEnabled(ctx.can(Permission.RECORD_TRAINING))
        if not self.record_button.isEnabled():
            self.record_button.setToolTip("Your role may not record training")
        self.print_button = buttons.addButton(
            "Print transcript…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.print_button.setToolTip("Print or save this officer's training transcript (Ctrl+P)")
        self.print_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.print_button.clicked.connect(self.print_transcript)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.load()

    def load(self) -> None:
        row = officer_form(self.ctx.db, self.officer_id)
        if row is None:
            self.heading.setText("This officer no longer exists.")
            return
        name = f"{row['last_name']}, {row['first_name']}"
        self.setWindowTitle(f"{name} (badge {row['badge']})")
        self.heading.setText(f"{name}  ·  badge {row['badge']}")
        colour = style.STATUS_COLOURS.get(row["status"], style.Colour.TEXT)
        self.status.setText(
            f"<span style='color:{colour}'>●</span> {escape(style.status_text(row['status']))}"
        )
        while self.profile_form.rowCount():
            self.profile_form.removeRow(0)
        fields = [
            ("Rank", row["rank"]),
            ("Unit", row["unit"]),
            ("Shift", row["shift"]),
            ("Status", style.status_text(row["status"])),
            ("Hire date", row["hire_date"]),
            ("License date", row["license_date"] or "Not recorded"),
        ]
        if row["separation_date"]:
            fields.append(("Separated on", row["separation_date"]))
        fields += [
            ("State ID", row["state_id"]),
            ("Email", row["email"]),
            ("Last changed", f"{local_time(row['updated_at'])} by {row['updated_by']}"),
        ]
        for label, value in fields:
            text = QLabel(value or "—")
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.profile_form.addRow(f"{label}:", text)

        from deesc_desktop.store.training import load_records

        records = load_records(self.ctx.db, [self.officer_id]).get(self.officer_id, [])
        self.transcript.set_rows(records)
        total = sum(record.hours for record in records)
        since = year_before(date.today())
        recent = sum(record.hours for record in records if record.completed >= since)
        self.transcript_total.setText(
            f"{len(records)} training record{'s' if len(records) != 1 else ''}: "
            f"{format_hours(total)} h in all, {format_hours(recent)} h in the last 12 months."
        )
        self.tabs.setTabText(1, f"Training ({len(records)})")
        exemptions = load_exemptions(self.ctx.db, [self.officer_id]).get(self.officer_id, [])
        self.exemptions.set_rows(exemptions)
        self.tabs.setTabText(2, f"Leave and exemptions ({len(exemptions)})")

    def record_training(self) -> list[int]:
        """The Record class dialog with this officer ticked; reloads the transcript after."""
        from deesc_desktop.gui.features.training.dialogs import RecordClassDialog

        dialog = RecordClassDialog(self.ctx, self, officer_ids=[self.officer_id])
        if not prompts.run_dialog(dialog):
            return []
        self.load()
        return dialog.record_ids

    def print_transcript(self) -> Path | None:
        """The officer's transcript as a PDF, to the printer chosen."""
        from deesc_desktop.gui.features.reports.page import print_pdf
        from deesc_desktop.gui.operations import USER_ERRORS
        from deesc_desktop.reports import ReportParams, render
        from deesc_desktop.services.signers import prepared_by

        row = officer_form(self.ctx.db, self.officer_id)
        if row is None:
            return None
        folder = Path(self._temp.path())
        params = ReportParams(
            badge=row["badge"], prepared_by=prepared_by(self.ctx.db, self.ctx.actor)
        )

        def make(db: Database, _control: workers.TaskControl) -> Path:
            return render("transcript", db, params, folder / f"transcript-{row['badge']}.pdf")

        try:
            path = workers.run_with_progress(
                self, "Preparing the transcript…", workers.with_database(self.ctx.db_path, make)
            )
        except USER_ERRORS as exc:
            prompts.error(self, "Could not print the transcript", str(exc))
            return None
        return path if print_pdf(self, path) else None

    def _edit(self) -> None:
        from deesc_desktop.gui.features.roster.officer_dialog import OfficerDialog

        if prompts.run_dialog(OfficerDialog(self.ctx, self.officer_id, self)):
            self.load()

    def _add_leave(self) -> None:
        from deesc_desktop.gui.features.roster.leave_dialog import ExemptionDialog

        if prompts.run_dialog(ExemptionDialog(self.ctx, self.officer_id, self)):
            self.load()
