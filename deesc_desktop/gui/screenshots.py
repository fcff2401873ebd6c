"""Render every page and the main dialogs of a database to PNG files, without a screen."""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QWidget
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.demo import DEMO_ACTOR
from deesc_desktop.gui import workers
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.mainwindow import MainWindow
from deesc_desktop.gui.pages import PAGES, PageId
from deesc_desktop.services.users import list_users, unattended_actor
from deesc_desktop.store.agency import get_agency
from deesc_desktop.store.courses import courses as load_courses
from deesc_desktop.store.database import DatabaseError, open_database
from deesc_desktop.store.officers import roster as load_roster
from deesc_desktop.store.training import training_records

WINDOW_SIZE = (1280, 800)
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints()"
"""Qt's offscreen platform says this for every window it shows; it means nothing here."""


@contextmanager
def _quiet_offscreen_noise() -> Iterator[None]:
    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if message == OFFSCREEN_NOISE:
            return
        if previous is not None:
            previous(kind, context, message)
        else:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)


def _settle() -> None:
    for _ in range(3):
        workers.wait_idle()
        QCoreApplication.processEvents()


def _wait(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.02)


def _save(widget: QWidget, path: Path) -> Path:
    _settle()
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return path


@contextmanager
def _shown(widget: QWidget) -> Iterator[QWidget]:
    widget.show()
    _settle()
    try:
        yield widget
    finally:
        widget.close()
        widget.deleteLater()
        QCoreApplication.processEvents()


def _sample_import(folder: Path, ctx: AppContext) -> Path:
    """A small sign-in sheet with one bad row, to show the import check."""
    officers = [r for r in load_roster(ctx.db) if r.status == "active"][:3]
    path = folder / "sign-in-sheet.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Badge #", "Class", "Date", "Hours", "Topics", "Instructor"])
        for officer in officers:
            writer.writerow(
                [
                    officer.badge,
                    "Report Writing Refresher",
                    "03/14/2025",
                    "2",
                    "legal_updates",
                    "Sgt. R. Delgado",
                ]
            )
        writer.writerow(["99999", "Report Writing Refresher", "03/14/2025", "two", "legal", ""])
    return path


def _dialog_shots(window: MainWindow, out: Path, temp: Path) -> list[Path]:
    from deesc_desktop.gui.features.imports.wizard import ImportWizard
    from deesc_desktop.gui.features.roster.leave_dialog import ExemptionDialog
    from deesc_desktop.gui.features.roster.officer_detail import OfficerDetailDialog
    from deesc_desktop.gui.features.roster.officer_dialog import OfficerDialog, SeparateDialog
    from deesc_desktop.gui.features.training.dialogs import RecordClassDialog, TrainingRecordDialog
    from deesc_desktop.gui.first_run import FirstRunWizard

    ctx = window.ctx
    written: list[Path] = []
    roster = load_roster(ctx.db)
    current = [r for r in roster if r.status == "active"]
    officer = current[0] if current else None

    def shot(
        name: str, make: Callable[[], QWidget], prepare: Callable[[Any], None] | None = None
    ) -> None:
        with _shown(make()) as dialog:
            if prepare is not None:
                prepare(dialog)
            written.append(_save(dialog, out / f"dialog-{name}.png"))

    shot("add-officer", lambda: OfficerDialog(ctx, None, window))
    if officer is not None:
        shot("edit-officer", lambda: OfficerDialog(ctx, officer.id, window))
        shot("officer-details", lambda: OfficerDetailDialog(ctx, officer.id, window))
        shot(
            "officer-transcript",
            lambda: OfficerDetailDialog(ctx, officer.id, window),
            lambda d: d.tabs.setCurrentIndex(1),
        )
        shot("separate-officer", lambda: SeparateDialog(ctx, officer, window))
        shot("add-leave", lambda: ExemptionDialog(ctx, officer.id, window))

    def fill_class(dialog: Any) -> None:
        courses = load_courses(ctx.db)
        if courses:
            multi = next((c for c in courses if ";" in c.default_topics), courses[0])
            dialog.fields.choose_course(multi.title)
        dialog.check_officers([r.id for r in current[:3]])

    shot("record-class", lambda: RecordClassDialog(ctx, window), fill_class)
    records = training_records(ctx.db)
    if records:
        shot("edit-training-record", lambda: TrainingRecordDialog(ctx, records[0], window))

    sample = _sample_import(temp, ctx)
    wizard = ImportWizard(ctx, "training", window)
    wizard.set_file(sample)
    with _shown(wizard):
        written.append(_save(wizard, out / "wizard-import-1-choose.png"))
        for number, name in ((2, "preview"), (3, "columns"), (4, "check")):
            wizard.next()
            _settle()
            written.append(_save(wizard, out / f"wizard-import-{number}-{name}.png"))
    shot(
        "first-run",
        lambda: FirstRunWizard(temp / "new-agency.db", ctx.actor, window),
    )
    written.extend(_feature_shots(window, out, officer.id if officer else None))
    from deesc_desktop.gui.paperwork_shots import paperwork_shots

    written.extend(paperwork_shots(window, out))
    return written


def _feature_shots(window: MainWindow, out: Path, officer_id: int | None) -> list[Path]:
    """Sign-in, compliance, CIT, bonus and user dialogs."""
    from deesc_desktop.gui.dialogs.sign_in import SignInDialog
    from deesc_desktop.gui.features.cit.dialogs import CertificateDialog, CitCourseDialog
    from deesc_desktop.gui.features.claims.dialogs import (
        AdjustmentDialog,
        BatchDialog,
        EligibleDialog,
    )
    from deesc_desktop.gui.features.claims.funding_dialogs import (
        AwardChangeDialog,
        FundingDialog,
        ProgramDialog,
    )
    from deesc_desktop.gui.features.compliance.requirement_form import RequirementForm
    from deesc_desktop.gui.features.roster.officer_detail import OfficerDetailDialog
    from deesc_desktop.gui.features.settings.dialogs import UserDialog
    from deesc_desktop.services.cit import cit_report
    from deesc_desktop.services.requirements import list_requirements
    from deesc_desktop.store.claims import list_claims
    from deesc_desktop.store.funding import funding_summaries

    ctx = window.ctx
    written: list[Path] = []

    def shot(
        name: str, make: Callable[[], QWidget], prepare: Callable[[Any], None] | None = None
    ) -> None:
        with _shown(make()) as dialog:
            if prepare is not None:
                prepare(dialog)
                _settle()
            written.append(_save(dialog, out / f"dialog-{name}.png"))

    agency = get_agency(ctx.db)
    shot(
        "sign-in",
        lambda: SignInDialog(ctx.db, agency.name if agency else "", window, username="sgt.delgado"),
    )
    certified = [r.officer.id for r in cit_report(ctx.db, date.today()).roster]
    if officer_id is not None:
        for tab, name, who in (
            ("Compliance", "officer-compliance", officer_id),
            ("CIT", "officer-cit", certified[0] if certified else officer_id),
            ("History", "officer-history", officer_id),
        ):

            def choose(dialog: Any, title: str = tab) -> None:
                for index in range(dialog.tabs.count()):
                    if dialog.tabs.tabText(index).startswith(title):
                        dialog.tabs.setCurrentIndex(index)

            shot(name, partial(OfficerDetailDialog, ctx, who, window), choose)

    def denied_selected(dialog: Any) -> None:
        row = dialog.model.find_row(lambda r: bool(r.denied))
        if row >= 0:
            dialog.view.setCurrentIndex(dialog.proxy.mapFromSource(dialog.model.index(row, 1)))

    shot("eligible-officers", lambda: EligibleDialog(ctx, None, window), denied_selected)
    shot("add-program", lambda: ProgramDialog(ctx, window))
    shot("add-funding-source", lambda: FundingDialog(ctx, window))
    sources = funding_summaries(ctx.db)
    if sources:
        shot("edit-funding-source", lambda: FundingDialog(ctx, window, sources[0]))
        shot("request-award-change", lambda: AwardChangeDialog(ctx, sources[0], window))
    paid = list_claims(ctx.db, status="paid")
    if paid:
        shot("adjust-paid-claim", lambda: AdjustmentDialog(ctx, paid[0], window))
    approved = [c for c in list_claims(ctx.db, status="approved") if c.batch_id is None]
    if approved:
        shot("create-payment-batch", lambda: BatchDialog(ctx, approved, window))
    shot("mark-cit-course", lambda: CitCourseDialog(ctx, window))
    shot("add-certificate", lambda: CertificateDialog(ctx, officer_id, window))
    shot("add-user", lambda: UserDialog(ctx, window))
    listed = list_requirements(ctx.db)
    with_subs = next((r.requirement for r in listed if r.requirement.sub_minimums), None)
    if with_subs is not None:
        shot("requirement-form", lambda: RequirementForm(ctx, with_subs, window))

    def mistake(dialog: Any) -> None:
        dialog.id.setText("AGENCY-firearms-annual")
        dialog.title.setText("Firearms qualification every year")
        dialog.hours.setValue(0)
        dialog.save()  # refused: nothing is saved

    shot("requirement-form-refused", lambda: RequirementForm(ctx, None, window), mistake)
    return written


def _prepare_page(window: MainWindow, page_id: PageId) -> None:
    """Put a page in the state its picture should show: a cell or a row selected."""
    page: Any = window.pages[page_id]
    if page_id == PageId.COMPLIANCE:
        from deesc_desktop.core.compliance import Status
        from deesc_desktop.gui.features.compliance.models import FIRST_REQUIREMENT

        model = page.model
        # The leftmost requirement first, so the picture keeps the badge and name columns.
        for column in range(FIRST_REQUIREMENT, model.columnCount()):
            for number in range(model.rowCount()):
                row = model.row(number)
                if model.status(row, column) == Status.NON_COMPLIANT:
                    page.select_cell(row.officer.id, column)
                    page.view.horizontalScrollBar().setValue(0)
                    return
    elif page_id == PageId.REPORTS:
        page.choose("compliance")
        page.generate()
        _wait(1.5)  # QPdfView draws its pages on a thread of its own
    elif page_id == PageId.AUDIT:
        # A change to an officer or a training record: one an administrator may put back.
        for tables in (("officers", "training_records"), None):
            for number in range(page.model.rowCount()):
                row = page.model.row(number)
                if row.action == "update" and (tables is None or row.table_name in tables):
                    page.view.selectRow(number)
                    return
    elif page_id == PageId.COURSE_FILES:
        # A complete file shows the checklist met and its documents; else the fullest one.
        rows = range(page.proxy.rowCount())
        if rows:
            files = [page.proxy.row(number) for number in rows]
            best = max(rows, key=lambda n: (files[n].complete, files[n].documents, -n))
            page.view.selectRow(best)
    elif page_id == PageId.INCIDENTS and page.proxy.rowCount():
        page.view.selectRow(0)
    elif page_id == PageId.BONUS_CLAIMS:
        for number in range(page.proxy.rowCount()):
            if page.proxy.row(number).status == "submitted":
                page.view.selectRow(number)
                return
        if page.proxy.rowCount():
            page.view.selectRow(0)


def screenshot_actor(db: Database) -> Actor:
    """Whom the pictures show working: nobody signs in for screenshots, and nothing is saved.

    The unattended actor when the file has one; else the first administrator's name, so the
    pages show what an administrator sees.
    """
    unattended = unattended_actor(db)
    if unattended is not None:
        return unattended
    admins = [u for u in list_users(db) if u["role"] == Role.ADMIN.value and u["active"]]
    return Actor(admins[0]["username"] if admins else "screenshots", Role.ADMIN)


def render_all(db_path: Path, out: Path, *, demo: bool = False) -> int:
    """Write one PNG per page (NN-page.png) and per main dialog; print where they went."""
    try:
        db = open_database(db_path, create=False)
    except DatabaseError as exc:
        print(f"deesc-desktop: {exc}", file=sys.stderr)
        return 1
    try:
        if get_agency(db) is None:
            print(
                f"deesc-desktop: {db_path} has no agency yet; open it once to set it up.",
                file=sys.stderr,
            )
            return 1
        out.mkdir(parents=True, exist_ok=True)
        ctx = AppContext(db, db_path, DEMO_ACTOR if demo else screenshot_actor(db), demo=demo)
        window = MainWindow(ctx, persist_settings=False, auto_backup=False)
        window.resize(*WINDOW_SIZE)
        written: list[Path] = []
        with _quiet_offscreen_noise(), _shown(window):
            for number, spec in enumerate(PAGES, start=1):
                if spec.id not in window.pages:
                    continue
                window.show_page(spec.id)
                _settle()
                _prepare_page(window, spec.id)
                written.append(_save(window, out / f"{number:02d}-{spec.id.value}.png"))
                if spec.id == PageId.SETTINGS:
                    settings: Any = window.pages[spec.id]
                    settings.scroll_area.ensureWidgetVisible(settings.users_box)
                    written.append(_save(window, out / f"{number:02d}-{spec.id.value}-users.png"))
                    settings.scroll_area.ensureWidgetVisible(settings.requirements)
                    written.append(
                        _save(window, out / f"{number:02d}-{spec.id.value}-requirements.png")
                    )
                if spec.id == PageId.BONUS_CLAIMS:
                    claims: Any = window.pages[spec.id]
                    claims.tabs.setCurrentIndex(claims.tabs.count() - 1)
                    if claims.adjustments.rowCount():
                        claims.adjustment_view.selectRow(0)
                    _settle()
                    written.append(
                        _save(window, out / f"{number:02d}-{spec.id.value}-approvals.png")
                    )
                    claims.tabs.setCurrentIndex(0)
                if spec.id == PageId.ROSTER:
                    roster: Any = window.pages[spec.id]
                    roster.compliance.setCurrentText("Needs attention")
                    _settle()
                    written.append(
                        _save(window, out / f"{number:02d}-{spec.id.value}-compliance-filter.png")
                    )
                    roster.compliance.setCurrentIndex(0)
            with tempfile.TemporaryDirectory() as temp:
                written.extend(_dialog_shots(window, out, Path(temp)))
        for path in written:
            print(path)
        return 0
    finally:
        workers.wait_for_threads(60)
        db.close()
