"""The first-run wizard: name the agency of a new database, or open the demo agency instead."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.gui import style
from deesc_desktop.gui.forms import MONTHS, Form
from deesc_desktop.gui.widgets import muted
from deesc_desktop.services.agency import US_STATES, init_agency
from deesc_desktop.services.errors import ServiceError, ValidationError
from deesc_desktop.services.users import unattended_actor
from deesc_desktop.store.database import DatabaseError, open_database

DEMO_CHOSEN = 2
"""The wizard's result code when the user chose the demo agency."""


class _WelcomePage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard, db_path: Path, offer_demo: bool) -> None:
        super().__init__()
        self.setTitle("Welcome to deesc-desktop")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "deesc-desktop keeps your department's roster and training records, and shows who "
            "meets the state's in-service requirements. Everything stays on this computer."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addSpacing(style.SPACING)
        layout.addWidget(QLabel("Your agency's database will be created at:"))
        path = QLabel(str(db_path))
        path.setWordWrap(True)
        layout.addWidget(path)
        layout.addSpacing(style.MARGIN)
        layout.addWidget(QLabel("Press <b>Next</b> to enter your agency's details."))
        if offer_demo:
            layout.addSpacing(style.MARGIN)
            layout.addWidget(
                muted(
                    "Just looking? The demo agency is a made-up department with officers and "
                    "four years of training, kept apart from your real database."
                )
            )
            self.demo_button = QPushButton("Open the demo agency")
            self.demo_button.clicked.connect(lambda: wizard.done(DEMO_CHOSEN))
            layout.addWidget(self.demo_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)


class _AgencyPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Your agency")
        self.setSubTitle("You can change these later in Settings.")
        self.form = Form()
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Millbrook Police Department")
        self.state = QComboBox()
        self.state.addItems(US_STATES)
        self.state.setCurrentIndex(-1)
        self.state.setPlaceholderText("Choose")
        self.ori = QLineEdit()
        self.ori.setPlaceholderText("optional, e.g. IL0160000")
        self.fiscal_month = QComboBox()
        for number, month in enumerate(MONTHS, start=1):
            self.fiscal_month.addItem(month, number)
        self.fiscal_month.setCurrentIndex(6)
        self.form.add_row("name", "Agency name", self.name, required=True)
        self.form.add_row(
            "state",
            "State",
            self.state,
            required=True,
            hint="Decides which state's training requirements apply.",
        )
        self.form.add_row("ori", "ORI", self.ori)
        self.form.add_row("fiscal_year_start_month", "Fiscal year starts in", self.fiscal_month)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form.banner)
        layout.addLayout(self.form.layout)
        layout.addStretch(1)

    def values(self) -> dict[str, object]:
        return {
            "name": self.name.text(),
            "state": self.state.currentText(),
            "ori": self.ori.text(),
            "fiscal_year_start_month": self.fiscal_month.currentData(),
        }

    def validatePage(self) -> bool:
        wizard = self._wizard
        target = wizard.db_path
        if target.exists() and target.stat().st_size > 0:
            # A database whose setup never finished: give it its agency where it is.
            return self._create(target, target)
        # A new file is built under a temporary name and renamed when complete, so a refused
        # or abandoned setup leaves nothing behind.
        return self._create(target.with_name(f".{target.name}.creating"), target)

    def _create(self, build: Path, target: Path) -> bool:
        wizard = self._wizard
        scratch = build != target
        if scratch:
            _remove_database(build)
        try:
            db = open_database(build)
        except (DatabaseError, OSError) as exc:
            self.form.show_errors({}, str(exc))
            return False
        # A new file has no users yet: whoever sets it up acts as its administrator until
        # they add users in Settings (services.users decides, and names them so).
        actor = wizard.actor or unattended_actor(db)
        try:
            if actor is None:
                raise ServiceError(
                    "This database already has users: open it and sign in as an administrator "
                    "to set up its agency."
                )
            init_agency(db, actor, self.values())
        except ServiceError as exc:
            db.close()
            if scratch:
                _remove_database(build)
            if isinstance(exc, ValidationError):
                self.form.show_errors(exc.field_errors)
            else:
                self.form.show_errors({}, str(exc))
            return False
        if not scratch:
            wizard.db = db
            return True
        db.close()
        try:
            os.replace(build, target)
            wizard.db = open_database(target, create=False)
        except (DatabaseError, OSError) as exc:
            _remove_database(build)
            self.form.show_errors({}, str(exc))
            return False
        return True


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


class FirstRunWizard(QWizard):
    """Creates the agency of a new database; `db` is the open database once it is done.

    With no `actor`, the agency is set up by services.users' unattended actor of the new file.
    """

    def __init__(
        self,
        db_path: Path,
        actor: Actor | None,
        parent: QWidget | None = None,
        *,
        offer_demo: bool = True,
    ) -> None:
        super().__init__(parent)
        self.db_path = db_path
        self.actor = actor
        self.db: Database | None = None
        self.setWindowTitle("Set up deesc-desktop")
        self.setWindowIcon(style.app_icon())
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Create agency")
        self.resize(640, 480)
        self.welcome = _WelcomePage(self, db_path, offer_demo)
        self.agency = _AgencyPage(self)
        self.addPage(self.welcome)
        self.addPage(self.agency)
