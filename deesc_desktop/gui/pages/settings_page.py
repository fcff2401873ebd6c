"""The settings page: agency details, where the database lives, backups and checks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from deesc_desktop.gui import operations, style
from deesc_desktop.gui.actions import ActionRegistry
from deesc_desktop.gui.context import AGENCY, AppContext
from deesc_desktop.gui.forms import Form, page_title
from deesc_desktop.gui.pages.base import Page
from deesc_desktop.gui.pages.dashboard import MONTHS
from deesc_desktop.gui.widgets import muted
from deesc_desktop.paths import backups_dir
from deesc_desktop.services.agency import US_STATES, update_agency
from deesc_desktop.services.errors import ServiceError, ValidationError


def _size_text(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    amount = float(size)
    for unit in ("KB", "MB", "GB"):
        amount /= 1024
        if amount < 1024 or unit == "GB":
            break
    return f"{amount:.1f} {unit}"


class SettingsPage(Page):
    """Agency details saved through services.agency; the database file and its backups."""

    watches = frozenset({AGENCY})

    def __init__(
        self, ctx: AppContext, actions: ActionRegistry, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actions, parent)
        self.layout_.addWidget(page_title("Settings"))
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(style.MARGIN)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        self.layout_.addWidget(scroll, 1)

        agency = QGroupBox("Agency")
        agency_layout = QVBoxLayout(agency)
        self.form = Form()
        self.name = QLineEdit()
        self.state = QComboBox()
        self.state.addItems(US_STATES)
        self.ori = QLineEdit()
        self.ori.setPlaceholderText("9 letters and digits, e.g. IL0160000")
        self.fiscal_month = QComboBox()
        for number, month in enumerate(MONTHS, start=1):
            self.fiscal_month.addItem(month, number)
        self.warning_days = QSpinBox()
        self.warning_days.setRange(0, 9999)
        self.warning_days.setSuffix(" days")
        self.form.add_row("name", "Agency name", self.name, required=True)
        self.form.add_row("state", "State", self.state, required=True)
        self.form.add_row("ori", "ORI", self.ori)
        self.form.add_row(
            "fiscal_year_start_month",
            "Fiscal year starts in",
            self.fiscal_month,
            hint="Used by requirements counted per fiscal year.",
        )
        self.form.add_row(
            "warning_days",
            "Warn ahead by",
            self.warning_days,
            hint="An officer whose training is due within this many days is shown as due soon.",
        )
        agency_layout.addWidget(self.form.banner)
        agency_layout.addLayout(self.form.layout)
        save_row = QHBoxLayout()
        self.save_button = QPushButton("Save agency details")
        self.save_button.clicked.connect(self.save)
        self.saved = QLabel()
        self.saved.setObjectName("okBanner")
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.saved, 1)
        agency_layout.addLayout(save_row)
        agency.setMaximumWidth(760)
        column.addWidget(agency)

        database = QGroupBox("Database")
        database_layout = QVBoxLayout(database)
        self.path = QLabel(str(ctx.db_path))
        self.path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path.setWordWrap(True)
        database_layout.addWidget(QLabel("This database file:"))
        database_layout.addWidget(self.path)
        self.size_label = muted("")
        database_layout.addWidget(self.size_label)
        database_layout.addWidget(muted(f"Backups are saved in {backups_dir(ctx.db_path)}"))
        buttons = QHBoxLayout()
        open_folder = QPushButton("Open folder")
        open_folder.setToolTip("Show the database's folder in the file manager")
        open_folder.clicked.connect(lambda: operations.open_folder(self.ctx.db_path.parent))
        backup = QPushButton("Back up now")
        backup.clicked.connect(self.backup)
        check = QPushButton("Check database")
        check.setToolTip("Integrity, links between records, and the audit log's chain")
        check.clicked.connect(self.check)
        for button in (open_folder, backup, check):
            buttons.addWidget(button)
        buttons.addStretch(1)
        database_layout.addLayout(buttons)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.hide()
        database_layout.addWidget(self.result)
        database.setMaximumWidth(760)
        column.addWidget(database)

        user = QGroupBox("You")
        user_layout = QVBoxLayout(user)
        user_layout.addWidget(QLabel(f"Working as {ctx.actor.username} ({ctx.actor.role.label})."))
        user_layout.addWidget(muted("Changes are recorded in the audit log under this name."))
        user.setMaximumWidth(760)
        column.addWidget(user)
        column.addStretch(1)

    def refresh(self) -> None:
        super().refresh()
        agency = self.ctx.agency()
        if agency is not None:
            self.name.setText(agency.name)
            self.state.setCurrentText(agency.state)
            self.ori.setText(agency.ori)
            self.fiscal_month.setCurrentIndex(agency.fiscal_year_start_month - 1)
            self.warning_days.setValue(agency.warning_days)
        self.form.clear_errors()
        try:
            self.size_label.setText(f"Size: {_size_text(self.ctx.db_path.stat().st_size)}")
        except OSError:
            self.size_label.setText("")
        self.loaded.emit()

    def values(self) -> dict[str, object]:
        return {
            "name": self.name.text(),
            "state": self.state.currentText(),
            "ori": self.ori.text(),
            "fiscal_year_start_month": self.fiscal_month.currentData(),
            "warning_days": self.warning_days.value(),
        }

    def save(self) -> None:
        self.saved.clear()
        try:
            update_agency(self.ctx.db, self.ctx.actor, self.values())
        except ValidationError as exc:
            self.form.show_errors(exc.field_errors)
            return
        except ServiceError as exc:
            self.form.show_errors({}, str(exc))
            return
        self.form.clear_errors()
        self.ctx.bus.notify(AGENCY)
        self.saved.setText("Saved.")

    def backup(self) -> None:
        target = operations.backup_now(self, self.ctx, announce=False)
        if target is not None:
            self._result(f"Backed up to {target}", ok=True)

    def check(self) -> None:
        report = operations.check_now(self, self.ctx)
        if report is None:
            return
        if report.ok:
            self._result(
                f"No problems found: integrity, links between records and "
                f"{report.audit_entries} audit log entries all check out.",
                ok=True,
            )
        else:
            self._result("Problems found:\n" + "\n".join(report.problems), ok=False)

    def _result(self, text: str, *, ok: bool) -> None:
        colour = style.Colour.OK if ok else style.Colour.ERROR
        self.result.setStyleSheet(f"color: {colour};")
        self.result.setText(text)
        self.result.show()


def create_page(ctx: AppContext, actions: ActionRegistry) -> Page:
    return SettingsPage(ctx, actions)
