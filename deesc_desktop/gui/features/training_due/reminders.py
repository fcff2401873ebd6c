"""What falls due in the next 30 days, shown at start (once a day per user) and from the
View menu, with the printable list per shift; all worked out here, nothing needs email."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from deesc_desktop.gui import prompts, style, workers
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.models import Column, RowsModel, natural_key
from deesc_desktop.gui.operations import USER_ERRORS
from deesc_desktop.gui.settings import LAST_EXPORT_FOLDER, Setting
from deesc_desktop.gui.widgets import muted, table_view
from deesc_desktop.services.reminders import KINDS, REMINDER_DAYS, Reminder, reminders_for


def shown_on(username: str) -> Setting[str]:
    """The day the start-up reminders were last shown to this user (ISO; "" never)."""
    return Setting(f"reminders/shown/{username}", "", "Day the reminders were last shown")


class ReminderModel(RowsModel):
    """Reminders, soonest first."""

    COLUMNS = (
        Column("Due", lambda r: r.due.isoformat(), width=11),
        Column("Kind", lambda r: KINDS[r.kind], width=20),
        Column("Who or what", lambda r: r.who, width=22),
        Column("Badge", lambda r: r.badge, key=lambda r: natural_key(r.badge), width=7),
        Column("Shift", lambda r: r.shift, width=10),
        Column("What", lambda r: r.what),
    )

    def foreground(self, row: Reminder, column: int) -> QColor | None:
        if column == 0 and (row.due - date.today()).days <= 7:
            return QColor(style.Colour.ERROR)
        return None


class RemindersDialog(QDialog):
    """The list of what falls due, and the button that prints it a page per shift."""

    def __init__(self, ctx: AppContext, rows: list[Reminder], parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(f"Due in the next {REMINDER_DAYS} days")
        self.resize(1040, 540)
        layout = QVBoxLayout(self)
        count = len(rows)
        horizon = date.fromordinal(date.today().toordinal() + REMINDER_DAYS).isoformat()
        self.summary = QLabel(
            f"<b>{count} item{'s' if count != 1 else ''}</b> for your role fall due by {horizon}."
            if count
            else f"Nothing falls due in the next {REMINDER_DAYS} days for your role."
        )
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.summary)
        layout.addWidget(
            muted(
                "Worked out on this computer from the records; nothing is sent anywhere. "
                "Print the list to hand each shift's supervisor their page."
            )
        )
        self.model = ReminderModel(self)
        self.model.set_rows(rows)
        self.view = table_view(self.model, sortable=False, stretch=5)
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = QPushButton("Print list by shift…")
        self.print_button.setIcon(style.icon("print"))
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_list)
        layout.addWidget(buttons)

    def print_list(self) -> Path | None:
        """Save the due list (a page per shift) as a PDF and open it to print."""
        folder = self.ctx.settings.get(LAST_EXPORT_FOLDER) or str(Path.home())
        suggested = Path(folder) / f"due-{date.today().isoformat()}.pdf"
        target = prompts.save_file(self, "Save the list", suggested, prompts.PDF_FILTER)
        if target is None:
            return None
        self.ctx.settings.set(LAST_EXPORT_FOLDER, str(target.parent))

        def render(db: Any, _control: Any) -> Path:
            from deesc_desktop.reports import ReportParams, render_due_list

            return render_due_list(db, ReportParams(as_of=date.today()), target)

        try:
            path = workers.run_with_progress(
                self, "Writing the list…", workers.with_database(self.ctx.db_path, render)
            )
        except USER_ERRORS as exc:
            prompts.error(self, "Could not write the list", str(exc))
            return None
        prompts.open_url(QUrl.fromLocalFile(str(path)))
        return path


def show_reminders(parent: QWidget, ctx: AppContext, *, at_start: bool = False) -> None:
    """Work out the user's reminders on a worker and show them beside the window.

    At start, only once a day per user and only when something falls due.
    """
    today = date.today().isoformat()
    setting = shown_on(ctx.actor.username)
    if at_start and ctx.settings.get(setting) == today:
        return
    actor = ctx.actor

    def show(rows: list[Reminder]) -> None:
        if at_start:
            if not rows:
                return
            ctx.settings.set(setting, today)
        dialog = RemindersDialog(ctx, rows, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    workers.run_query(
        ctx.db_path,
        lambda db: reminders_for(db, actor),
        owner=parent,
        on_result=show,
        on_error=lambda exc: prompts.error(parent, "Could not work out the reminders", str(exc)),
    )
