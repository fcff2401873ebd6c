"""User operations shared by menus, pages and buttons: each opens its dialog or runs its job.

Each one wraps service calls, runs slow work on a worker behind a progress dialog, reports
refusals through prompts, and tells the pages what changed through the context's bus.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QWidget
from sqlite_utils import Database

from deesc_desktop.gui import prompts, workers
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.settings import LAST_EXPORT_FOLDER
from deesc_desktop.paths import backups_dir
from deesc_desktop.services.errors import ServiceError
from deesc_desktop.services.export import export_roster, export_training
from deesc_desktop.services.maintenance import (
    CheckReport,
    ConfirmationNeeded,
    backup_database,
    check_database,
    restore_database,
)
from deesc_desktop.services.officers import set_officer_status
from deesc_desktop.services.outputs import check_output_path
from deesc_desktop.store.database import DatabaseError
from deesc_desktop.store.officers import RosterRow
from deesc_desktop.store.training import TrainingListRow

USER_ERRORS = (ServiceError, DatabaseError, OSError)
"""Refusals with a message meant for the user; anything else is a bug and propagates."""


def add_officer(parent: QWidget, ctx: AppContext) -> int | None:
    from deesc_desktop.gui.features.roster.officer_dialog import OfficerDialog

    dialog = OfficerDialog(ctx, None, parent)
    return dialog.officer_id if prompts.run_dialog(dialog) else None


def edit_officer(parent: QWidget, ctx: AppContext, officer_id: int) -> bool:
    from deesc_desktop.gui.features.roster.officer_dialog import OfficerDialog

    return prompts.run_dialog(OfficerDialog(ctx, officer_id, parent))


def officer_details(parent: QWidget, ctx: AppContext, officer_id: int) -> None:
    from deesc_desktop.gui.features.roster.officer_detail import OfficerDetailDialog

    prompts.run_dialog(OfficerDetailDialog(ctx, officer_id, parent))


def separate_officer(parent: QWidget, ctx: AppContext, officer: RosterRow) -> bool:
    from deesc_desktop.gui.features.roster.officer_dialog import SeparateDialog

    return prompts.run_dialog(SeparateDialog(ctx, officer, parent))


def change_status(parent: QWidget, ctx: AppContext, officer: RosterRow, status: str) -> bool:
    """Put an officer on leave or back to active, after asking why."""
    if status == "leave":
        title = "Put on leave"
        text = (
            f"Put {officer.display_name} (badge {officer.badge}) on leave?\n\n"
            "The status alone does not change the hours they owe: to waive training for the "
            "time away, also use Add leave or exemption."
        )
    else:
        title = "Return to active"
        text = f"Mark {officer.display_name} (badge {officer.badge}) as active again?"
    separated = officer.status == "separated" and officer.separation_date
    if separated:
        text = (
            f"{officer.display_name} (badge {officer.badge}) was separated on "
            f"{officer.separation_date}. Returning them to active removes that date: every "
            "report, for any day, will count them as serving, as if they had never left.\n\n"
            "Do this to correct a separation entered in error, and say why."
        )
    reason = prompts.ask_reason(parent, title, text, ok_text=title, required=bool(separated))
    if reason is None:
        return False
    try:
        set_officer_status(
            ctx.db, ctx.actor, officer.id, status, reason=reason, expected_version=officer.version
        )
    except USER_ERRORS as exc:
        prompts.error(parent, f"Could not {title.lower()}", str(exc))
        ctx.bus.check()  # the list may be out of date: show what is there now
        return False
    return True


def record_class(parent: QWidget, ctx: AppContext) -> list[int]:
    from deesc_desktop.gui.features.training.dialogs import RecordClassDialog

    dialog = RecordClassDialog(ctx, parent)
    return dialog.record_ids if prompts.run_dialog(dialog) else []


def edit_record(parent: QWidget, ctx: AppContext, row: TrainingListRow) -> bool:
    from deesc_desktop.gui.features.training.dialogs import TrainingRecordDialog

    return prompts.run_dialog(TrainingRecordDialog(ctx, row, parent))


def delete_record(parent: QWidget, ctx: AppContext, row: TrainingListRow) -> bool:
    """Delete a record entered in error, after a confirmation and a reason."""
    from deesc_desktop.services.training import delete_training_record

    summary = f"{row.course} on {row.completed} for {row.officer_name} (badge {row.badge})"
    if not prompts.confirm(
        parent,
        "Delete training record",
        f"Delete {summary}?\n\nThe audit log keeps a copy of the record and your reason.",
        ok_text="Delete record",
    ):
        return False
    reason = prompts.ask_reason(
        parent, "Why delete this record?", summary, ok_text="Delete record", required=True
    )
    if reason is None:
        return False
    try:
        delete_training_record(ctx.db, ctx.actor, row.id, reason=reason)
    except USER_ERRORS as exc:
        prompts.error(parent, "Could not delete the record", str(exc))
        return False
    return True


def add_leave(parent: QWidget, ctx: AppContext, officer_id: int | None = None) -> bool:
    from deesc_desktop.gui.features.roster.leave_dialog import ExemptionDialog

    return prompts.run_dialog(ExemptionDialog(ctx, officer_id, parent))


def start_import(parent: QWidget, ctx: AppContext, kind: str) -> None:
    from deesc_desktop.gui.features.imports.wizard import ImportWizard

    prompts.run_dialog(ImportWizard(ctx, kind, parent))


def backup_now(parent: QWidget, ctx: AppContext, *, announce: bool = True) -> Path | None:
    """Back up to backups/ beside the database; tells the user where the copy went."""
    try:
        target = workers.run_with_progress(
            parent,
            "Backing up the database…",
            workers.with_database(
                ctx.db_path, lambda db, _c: backup_database(db, ctx.actor, ctx.db_path)
            ),
        )
    except USER_ERRORS as exc:
        prompts.error(parent, "Backup failed", str(exc))
        return None
    if announce:
        prompts.inform(parent, "Backup done", f"The database was copied to\n{target}")
    return target


def restore_backup(parent: QWidget, ctx: AppContext) -> Path | None:
    """Pick a backup, confirm, restore it on a worker, then reload every page.

    Returns the safety copy of the contents it replaced, or None when nothing was restored.
    """
    folder = backups_dir(ctx.db_path)
    backup = prompts.open_file(
        parent,
        "Restore from backup",
        str(folder if folder.is_dir() else ctx.db_path.parent),
        prompts.DATABASE_FILTER,
    )
    if backup is None:
        return None
    if not prompts.confirm(
        parent,
        "Restore from backup",
        f"Replace everything in {ctx.db_path} with the backup from {backup}? "
        "The current contents are saved to backups/ first.",
        ok_text="Restore",
    ):
        return None
    confirmed: str | None = None
    while True:

        def restore(
            db: Database, _control: workers.TaskControl, agency: str | None = confirmed
        ) -> Path:
            return restore_database(db, ctx.actor, ctx.db_path, backup, confirm_agency=agency)

        try:
            safety = workers.run_with_progress(
                parent,
                "Checking the backup and restoring it…",
                workers.with_database(ctx.db_path, restore),
            )
        except ConfirmationNeeded as exc:
            # Another agency's backup, or one without users: the user must say so, by name.
            if confirmed is None and prompts.confirm(
                parent,
                "Restore another agency's records?",
                str(exc),
                ok_text=f"Restore {exc.agency or 'it'}",
            ):
                confirmed = exc.agency
                continue
            return None
        except USER_ERRORS as exc:
            prompts.error(parent, "Restore failed", str(exc))
            return None
        break
    prompts.inform(
        parent,
        "Restore done",
        f"The database now holds the backup from\n{backup}\n\n"
        f"What it held before was saved to\n{safety}",
    )
    return safety


def check_now(parent: QWidget, ctx: AppContext) -> CheckReport | None:
    """Integrity, foreign keys and the audit chain; the caller shows the report."""
    try:
        return workers.run_with_progress(
            parent,
            "Checking the database…",
            workers.with_database(ctx.db_path, lambda db, _c: check_database(db, ctx.db_path)),
        )
    except USER_ERRORS as exc:
        prompts.error(parent, "Check failed", str(exc))
        return None


def ask_export_path(parent: QWidget, ctx: AppContext, kind: str) -> Path | None:
    """Ask where to save an export (CSV unless the name says .xlsx); remembers the folder."""
    folder = ctx.settings.get(LAST_EXPORT_FOLDER) or str(Path.home())
    suggested = Path(folder) / f"{kind}-{date.today().isoformat()}.csv"
    target = prompts.save_file(parent, f"Export {kind}", suggested, prompts.EXPORT_FILTER)
    if target is None:
        return None
    if target.suffix.lower() not in (".csv", ".xlsx"):
        target = target.with_suffix(".csv")
    if not safe_output(parent, ctx, target, f"Export {kind}"):
        return None
    ctx.settings.set(LAST_EXPORT_FOLDER, str(target.parent))
    return target


def safe_output(parent: QWidget, ctx: AppContext, target: Path, title: str) -> bool:
    """False, having said why, when `target` is the database, one of its companions or a
    backup (the save dialog has already asked before replacing any other file)."""
    try:
        check_output_path(target, ctx.db_path, force=True, kind="file")
    except ServiceError as exc:
        prompts.error(parent, title, str(exc))
        return False
    return True


def export(parent: QWidget, ctx: AppContext, kind: str) -> Path | None:
    """Save the roster or the training records as CSV or XLSX, where the user chooses."""
    target = ask_export_path(parent, ctx, kind)
    if target is None:
        return None
    writer = export_roster if kind == "roster" else export_training
    try:
        count = workers.run_with_progress(
            parent,
            f"Exporting {kind}…",
            workers.with_database(ctx.db_path, lambda db, _c: writer(db, target)),
        )
    except USER_ERRORS as exc:
        prompts.error(parent, "Export failed", str(exc))
        return None
    noun = "officers" if kind == "roster" else "training records"
    prompts.inform(parent, "Export done", f"Wrote {count} {noun} to\n{target}")
    return target


def open_folder(path: Path) -> None:
    prompts.open_url(QUrl.fromLocalFile(str(path)))
