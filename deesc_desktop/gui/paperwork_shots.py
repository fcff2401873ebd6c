"""Screenshots of the class-file, instructor, incident and reminder dialogs, for the docs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QWidget

from deesc_desktop.gui import workers
from deesc_desktop.gui.mainwindow import MainWindow


def _settle() -> None:
    for _ in range(3):
        workers.wait_idle()
        QCoreApplication.processEvents()


def paperwork_shots(window: MainWindow, out: Path) -> list[Path]:
    """dialog-*.png of the schedule, attendance, attach, instructors, incident and reminder
    dialogs, each filled in as a user would have it."""
    from deesc_desktop.gui.documents import AttachDocumentDialog
    from deesc_desktop.gui.features.course_files.dialogs import (
        AttendanceDialog,
        InstructorsDialog,
        ScheduleClassDialog,
    )
    from deesc_desktop.gui.features.incidents.dialogs import IncidentDialog
    from deesc_desktop.gui.features.training_due.reminders import RemindersDialog
    from deesc_desktop.services.course_files import ClassRef, Owner, class_file, class_files
    from deesc_desktop.services.incidents import list_incidents
    from deesc_desktop.services.reminders import due_soon

    ctx = window.ctx
    written: list[Path] = []

    def shot(
        name: str, make: Callable[[], QWidget], prepare: Callable[[Any], None] | None = None
    ) -> None:
        dialog = make()
        dialog.show()
        _settle()
        if prepare is not None:
            prepare(dialog)
            _settle()
        path = out / f"dialog-{name}.png"
        if not dialog.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        written.append(path)
        dialog.close()
        dialog.deleteLater()
        QCoreApplication.processEvents()

    def schedule(dialog: Any) -> None:
        dialog.fields.choose_course("ICAT De-escalation")
        dialog.fields.instructor.setText("Lt. M. Harmon")
        dialog.location.setText("Training room B")
        actions = dialog.shift_menu.actions()
        if actions:
            actions[-1].trigger()

    shot("schedule-class", lambda: ScheduleClassDialog(ctx, window), schedule)
    today = date.today()
    scheduled = [
        f
        for f in class_files(ctx.db, today, today + timedelta(days=120))
        if f.row.class_id is not None and f.row.expected and not f.row.attendees
    ]
    if scheduled:
        detail = class_file(ctx.db, ClassRef(scheduled[0].row.class_id))

        def untick(dialog: Any) -> None:
            if dialog.people.count() > 1:
                dialog.people.item(1).setCheckState(Qt.CheckState.Unchecked)
            dialog.sheet.setText(str(Path.home() / "Scans" / "ICAT sign-in signed.pdf"))

        shot("record-attendance", lambda: AttendanceDialog(ctx, detail, window), untick)
        shot(
            "attach-document",
            lambda: AttachDocumentDialog(
                ctx, Owner(ClassRef(scheduled[0].row.class_id)), scheduled[0].label, "lesson_plan"
            ),
        )

    def select_first(dialog: Any) -> None:
        if dialog.model.rowCount():
            dialog.view.selectRow(0)

    shot("instructors", lambda: InstructorsDialog(ctx, window), select_first)
    entries = list_incidents(ctx.db)
    shot("log-incident", lambda: IncidentDialog(ctx, entries[0] if entries else None, window))
    shot("reminders", lambda: RemindersDialog(ctx, due_soon(ctx.db), window))
    return written
