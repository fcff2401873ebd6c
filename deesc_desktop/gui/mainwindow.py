"""The main window: navigation on the left, the pages in a stack, menus from the registry."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from functools import partial
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from deesc_desktop.gui import prompts, style, workers
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.actions import ActionRegistry
from deesc_desktop.gui.context import AGENCY, USERS, AppContext
from deesc_desktop.gui.pages import (
    PAGES,
    PageId,
    PageSpec,
    create_page,
)
from deesc_desktop.gui.pages.base import Page
from deesc_desktop.gui.settings import LAST_DATABASE_FOLDER, LAST_PAGE, WINDOW_GEOMETRY
from deesc_desktop.paths import resources_dir
from deesc_desktop.services.users import login_required, users_exist

DEFAULT_SIZE = (1280, 800)
STATUS_MESSAGE_MS = 8000
BACKUP_CHECK_MS = 60 * 60 * 1000
"""How often an open window checks whether today's automatic backup is still to be made."""
FIRST_PAGE_HEAD_START_S = 2.0
"""How long, at most, the other pages wait after the first paint for the first page's first
loads (the dashboard's kept figures) to arrive before they are built: both compete for the
same interpreter, and the figures are what the user opened the window for."""
HEAD_START_POLL_MS = 50
"""How often the waiting pages look again whether those loads have come."""
NO_USERS_NOTE = "no users yet: add an administrator in Settings"
SIGN_IN_OFF_NOTE = "sign-in off"


def session_note(ctx: AppContext) -> str:
    """What the title bar says about sign-in: nothing when everyone signs in."""
    if not users_exist(ctx.db):
        return NO_USERS_NOTE
    if not login_required(ctx.db):
        return SIGN_IN_OFF_NOTE
    return ""


def user_guide_path() -> Path | None:
    """The installed user guide, if this copy has one."""
    root = resources_dir().parent
    for candidate in (
        root / "docs" / "user-guide.md",
        root / "docs" / "index.md",
        root / "docs" / "README.md",
        root / "README.md",
    ):
        if candidate.is_file():
            return candidate
    return None


class PageMap(Mapping[PageId, Page]):
    """The window's pages by id; a page is built the first time it is asked for."""

    def __init__(
        self,
        specs: Sequence[PageSpec],
        ctx: AppContext,
        registry: ActionRegistry,
        stack: QStackedWidget,
    ) -> None:
        # No reference to the window: a cycle through it would keep its wrapper alive after
        # Qt deleted it.
        self._specs = {spec.id: spec for spec in specs}
        self._ids = list(self._specs)
        self._ctx = ctx
        self._registry = registry
        self._stack = stack
        self._built: dict[PageId, Page] = {}

    def __getitem__(self, page_id: PageId) -> Page:
        page = self._built.get(page_id)
        if page is None:
            if page_id not in self._ids:
                raise KeyError(page_id)
            page = create_page(self._specs[page_id], self._ctx, self._registry)
            self._stack.addWidget(page)
            self._built[page_id] = page
        return page

    def __contains__(self, page_id: object) -> bool:
        return page_id in self._ids

    def __iter__(self) -> Iterator[PageId]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def is_built(self, page_id: PageId) -> bool:
        return page_id in self._built

    def module(self, page_id: PageId) -> str:
        """The module that makes the page."""
        return self._specs[page_id].module

    def built(self) -> list[Page]:
        """The pages built so far; the others will read everything afresh when built."""
        return list(self._built.values())


class MainWindow(QMainWindow):
    """One open database: its pages, menus and status bar."""

    open_requested = Signal(object, bool)
    """(path, create_new): the user chose another database; the application switches."""
    sign_out_requested = Signal()
    """The user chose File > Sign out; the application asks who signs in next."""
    first_painted = Signal()
    """The window has been drawn for the first time: work that can wait, waits for this."""

    def __init__(
        self,
        ctx: AppContext,
        *,
        persist_settings: bool = True,
        auto_backup: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.persist_settings = persist_settings
        self.auto_backup = auto_backup
        self.registry = ActionRegistry(self, ctx.actor)
        self.registry.build_menus(self.menuBar())

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(style.NAV_WIDTH)
        self.nav.setIconSize(style.NAV_ICON_SIZE)
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.stack = QStackedWidget()
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        for spec in PAGES:
            item = QListWidgetItem(style.icon(spec.icon), spec.title)
            item.setToolTip(spec.description)
            item.setData(Qt.ItemDataRole.UserRole, spec.id.value)
            self.nav.addItem(item)
            self.registry.connect(spec.view_action, partial(self.show_page, spec.id))
        self._order: list[PageId] = [spec.id for spec in PAGES]
        self.pages = PageMap(PAGES, ctx, self.registry, self.stack)
        # The page shown first is built before the window shows; the others once the window
        # has been drawn (build_pending), or as soon as something asks for one.
        self._build_timer = QTimer(self)
        self._build_timer.setSingleShot(True)
        self._build_timer.setInterval(0)
        self._build_timer.timeout.connect(self._build_next)
        self._painted = False
        self._head_start_until: float | None = None
        """Until when the other pages wait for the first page's loads; None once they don't."""
        self._first_loads: frozenset[int] | None = None
        """The tasks running when the other pages were first due to be built."""
        self._closed = False
        """Set when the window closes: no page is built after that."""
        self._prepared: set[PageId] = set()
        """Pages whose imports from outside gui/ a worker has been asked to make."""
        self.nav.currentRowChanged.connect(self._nav_changed)

        self.user_label = QLabel()
        self.user_label.setObjectName("userBadge")
        self.path_label = QLabel()
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.path_label)
        self._connect_actions()
        # A menu action whose page is not built yet builds the pages, then runs.
        self.registry.connect_on_demand(self.build_all)
        ctx.bus.changed.connect(self._data_changed)
        ctx.nav.requested.connect(self._navigate)
        self.update_title()
        self._restore()

        self.last_backup: Path | None = None
        self._backup_day: date | None = None
        self._closing_backup_started = False
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self.daily_backup)
        if auto_backup:
            self.backup_timer.start()

    # --- pages ------------------------------------------------------------------------------------

    def build_pending(self) -> None:
        """Build the pages not built yet, one per turn of the event loop (none once closed)."""
        if not self._closed:
            self._build_timer.start()

    def build_all(self) -> None:
        for page_id in self._order:
            self.pages.get(page_id)

    def _build_next(self) -> None:
        if self._closed:
            return
        self._build_timer.setInterval(0)
        if self._first_page_loading():
            self._build_timer.setInterval(HEAD_START_POLL_MS)
            self._build_timer.start()
            return
        for page_id in self._order:
            if not self.pages.is_built(page_id):
                module = self.pages.module(page_id)
                if module not in sys.modules and page_id not in self._prepared:
                    self._prepare_then_build(page_id)
                    return
                self.pages.get(page_id)  # builds it, importing its own modules here
                self._build_timer.start()
                return

    def _first_page_loading(self) -> bool:
        """Whether the first page's first loads still run, within its head start (a page
        asked for meanwhile is built at once all the same).

        Only the tasks running when the other pages were first due count: what those start in
        turn, such as a whole department worked out for a file that kept no figures, is long
        work the pages would only wait longer for, and then compete with anyway.
        """
        if self._head_start_until is None:
            return False
        if self._first_loads is None:
            self._first_loads = workers.pending_ids()
        if workers.any_pending(self._first_loads) and time.monotonic() < self._head_start_until:
            return True
        self._head_start_until = None
        return False

    def _prepare_then_build(self, page_id: PageId) -> None:
        # Reading and running what a page imports from outside gui/ (a tenth of a second for
        # some) is done on a worker, so that the window answers meanwhile; the page's own
        # modules, which make Qt classes, are imported and its widgets made here, on the
        # window's thread, on the next turn. The worker may finish after the window closed:
        # then nothing more is built.
        self._prepared.add(page_id)
        workers.prepare_then(
            self.pages.module(page_id),
            owner=self,
            then=self.build_pending,
            on_error=lambda _exc: self._build_after_failed_import(page_id),
        )

    def _build_after_failed_import(self, page_id: PageId) -> None:
        # Built here instead, where the import fails again and says why.
        if not self._closed:
            self.pages.get(page_id)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # A page connects its menu actions and sets their state when built: build them
            # all soon after the window appears, so that menus behave as if they had always
            # been; but after it has been drawn, which a page's build would hold up, and
            # after the first page's figures have come, for at most a head start.
            self._head_start_until = time.monotonic() + FIRST_PAGE_HEAD_START_S
            self.build_pending()
            self.first_painted.emit()

    def show_page(self, page_id: PageId) -> Page:
        if page_id not in self.pages:
            page_id = self._order[0]
        self.nav.setCurrentRow(self._order.index(page_id))
        return self.pages[page_id]

    def current_page(self) -> Page:
        page = self.stack.currentWidget()
        assert isinstance(page, Page)
        return page

    def current_page_id(self) -> PageId:
        return self._order[self.nav.currentRow()]

    def _nav_changed(self, row: int) -> None:
        if row < 0:
            return
        page_id = self._order[row]
        page = self.pages[page_id]
        self.stack.setCurrentWidget(page)
        page.activated()
        if self.persist_settings:
            self.ctx.settings.set(LAST_PAGE, page_id.value)

    def _navigate(self, page: str, options: dict[str, Any]) -> None:
        try:
            page_id = PageId(page)
        except ValueError:
            return
        if page_id in self.pages:
            self.show_page(page_id).navigate(**options)

    def _data_changed(self, names: frozenset[str]) -> None:
        current = self.stack.currentWidget()
        for page in self.pages.built():
            if page.watches & names:
                page.stale = True
                if page is current:
                    page.refresh()
        if names & {AGENCY, USERS}:
            self.update_title()

    def refresh_all(self) -> None:
        """Read everything again (View > Reload)."""
        for page in self.pages.built():
            page.stale = True
        self.current_page().refresh()

    # --- window -----------------------------------------------------------------------------------

    def update_title(self) -> None:
        agency = self.ctx.agency()
        name = agency.name if agency else "No agency"
        demo = " (demo)" if self.ctx.demo else ""
        note = session_note(self.ctx)
        suffix = f" — {note}" if note else ""
        self.setWindowTitle(f"{name} — {self.ctx.db_path.name}{demo}{suffix} — deesc-desktop")
        self.path_label.setText(f"Database: {self.ctx.db_path}{demo}")
        actor = self.ctx.actor
        verb = "Working as" if note else "Signed in as"
        self.user_label.setText(f"{verb} {actor.username} · {actor.role.label}")
        self.user_label.setToolTip(
            "Changes are recorded in the audit log under this name. "
            "File › Sign out / switch user to work as someone else."
        )
        self.registry.set_enabled(users_exist(self.ctx.db), ActionId.SIGN_OUT)

    def _restore(self) -> None:
        settings = self.ctx.settings
        geometry = settings.get(WINDOW_GEOMETRY) if self.persist_settings else b""
        if not geometry or not self.restoreGeometry(QByteArray(geometry)):
            self.resize(*DEFAULT_SIZE)
        last = settings.get(LAST_PAGE) if self.persist_settings else PageId.DASHBOARD.value
        try:
            page_id = PageId(last)
        except ValueError:
            page_id = PageId.DASHBOARD
        self.show_page(page_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        from deesc_desktop.services.maintenance import automatic_backup

        if self.persist_settings:
            self.ctx.settings.set(WINDOW_GEOMETRY, bytes(self.saveGeometry().data()))
            self.ctx.settings.sync()
        self.backup_timer.stop()
        # A page built after its window closed would read a database that may be closed too.
        self._closed = True
        self._build_timer.stop()
        if self.auto_backup and not self._closing_backup_started:
            self._closing_backup_started = True
            # No owner: the copy finishes after the window is gone. The application waits
            # for it (briefly) before the process ends; a failure can only be printed now.
            workers.run_task(
                workers.with_database(
                    self.ctx.db_path, lambda db, _c: automatic_backup(db, self.ctx.db_path)
                ),
                on_error=lambda exc: print(
                    f"deesc-desktop: automatic backup failed: {exc}", file=sys.stderr
                ),
            )
        super().closeEvent(event)

    def daily_backup(self, today: date | None = None) -> None:
        """Make today's automatic backup on a worker, unless this window already has."""
        from deesc_desktop.services.maintenance import automatic_backup

        today = today or date.today()
        if self._backup_day == today:
            return
        self._backup_day = today
        path = self.ctx.db_path

        def done(target: Path) -> None:
            self.last_backup = target
            self.show_message(f"Automatic backup saved: {target}")

        def failed(exc: BaseException) -> None:
            self._backup_day = None  # try again at the next check
            # Stays until the next message: a failed backup should not go unnoticed.
            self.statusBar().showMessage(f"Automatic backup failed: {exc}")

        workers.run_task(
            workers.with_database(path, lambda db, _c: automatic_backup(db, path, today=today)),
            owner=self,
            on_result=done,
            on_error=failed,
        )

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_MESSAGE_MS)

    # --- actions ----------------------------------------------------------------------------------

    def _connect_actions(self) -> None:
        connect = self.registry.connect
        connect(ActionId.NEW_DATABASE, self.new_database)
        connect(ActionId.OPEN_DATABASE, self.open_database)
        connect(ActionId.BACKUP_NOW, self.backup_now)
        connect(ActionId.RESTORE_BACKUP, self.restore_backup)
        connect(ActionId.IMPORT_ROSTER, lambda: self.start_import("roster"))
        connect(ActionId.IMPORT_TRAINING, lambda: self.start_import("training"))
        connect(ActionId.IMPORT_LEAVE, lambda: self.start_import("leave"))
        connect(ActionId.EXPORT_ROSTER, lambda: self.export("roster"))
        connect(ActionId.EXPORT_TRAINING, lambda: self.export("training"))
        connect(ActionId.QUIT, self.close)
        connect(ActionId.SIGN_OUT, self.sign_out_requested.emit)
        connect(ActionId.ADD_OFFICER, self.add_officer)
        connect(ActionId.RECORD_CLASS, self.record_class)
        connect(ActionId.ADD_LEAVE, self.add_leave)
        connect(ActionId.FIND, self.find_in_page)
        connect(ActionId.PRINT, lambda: self.current_page().print_page())
        connect(ActionId.REFRESH, self.refresh_all)
        connect(ActionId.SHOW_REMINDERS, self.show_reminders)
        connect(ActionId.USER_GUIDE, self.user_guide)
        connect(ActionId.ABOUT, self.about)

    # The operations, reminders and maintenance modules bring most services with them: they
    # are imported when first used, so that the window shows without waiting for them.

    def backup_now(self) -> None:
        from deesc_desktop.gui import operations

        operations.backup_now(self, self.ctx)

    def restore_backup(self) -> None:
        from deesc_desktop.gui import operations

        operations.restore_backup(self, self.ctx)

    def start_import(self, kind: str) -> None:
        from deesc_desktop.gui import operations

        operations.start_import(self, self.ctx, kind)

    def export(self, kind: str) -> None:
        from deesc_desktop.gui import operations

        operations.export(self, self.ctx, kind)

    def show_reminders(self) -> None:
        from deesc_desktop.gui.features.training_due import reminders

        reminders.show_reminders(self, self.ctx)

    def add_officer(self) -> None:
        from deesc_desktop.gui import operations

        officer_id = operations.add_officer(self, self.ctx)
        if officer_id is not None:
            self.show_message("Officer added to the roster.")
            if PageId.ROSTER in self.pages:
                roster = self.show_page(PageId.ROSTER)
                roster.loaded.connect(
                    lambda: roster.select_officer(officer_id),  # type: ignore[attr-defined]
                    Qt.ConnectionType.SingleShotConnection,
                )

    def record_class(self) -> None:
        from deesc_desktop.gui import operations

        ids = operations.record_class(self, self.ctx)
        if ids:
            self.show_message(
                f"Class recorded for {len(ids)} officer{'s' if len(ids) != 1 else ''}."
            )

    def add_leave(self) -> None:
        from deesc_desktop.gui import operations

        officer_id = self.current_page().selected_officer_id()
        if operations.add_leave(self, self.ctx, officer_id):
            self.show_message("Leave recorded.")

    def find_in_page(self) -> None:
        if self.current_page().focus_search():
            return
        if PageId.ROSTER in self.pages:
            self.show_page(PageId.ROSTER).focus_search()

    def new_database(self) -> None:
        folder = self.ctx.settings.get(LAST_DATABASE_FOLDER) or str(self.ctx.db_path.parent)
        path = prompts.save_file(
            self, "New database", Path(folder) / "agency.db", prompts.DATABASE_FILTER
        )
        if path is None:
            return
        if path.exists():
            prompts.error(
                self,
                "New database",
                f"{path} already exists. Choose another name, or use Open database.",
            )
            return
        self.ctx.settings.set(LAST_DATABASE_FOLDER, str(path.parent))
        self.open_requested.emit(path, True)

    def open_database(self) -> None:
        folder = self.ctx.settings.get(LAST_DATABASE_FOLDER) or str(self.ctx.db_path.parent)
        path = prompts.open_file(self, "Open database", folder, prompts.DATABASE_FILTER)
        if path is None:
            return
        self.ctx.settings.set(LAST_DATABASE_FOLDER, str(path.parent))
        self.open_requested.emit(path, False)

    def user_guide(self) -> None:
        guide = user_guide_path()
        if guide is None:
            prompts.inform(
                self,
                "User guide",
                "The user guide is not installed with this copy of deesc-desktop.",
            )
            return
        prompts.open_url(QUrl.fromLocalFile(str(guide)))

    def about(self) -> None:
        from deesc_desktop import __version__

        agency = self.ctx.agency()
        prompts.about(
            self,
            "About deesc-desktop",
            f"<h3>deesc-desktop {escape(__version__)}</h3>"
            "<p>Offline training records, compliance, CIT and de-escalation bonus claims "
            "for police agencies. Nothing leaves this computer.</p>"
            f"<p><b>Agency:</b> {escape(agency.name if agency else '(none)')}<br>"
            f"<b>Database:</b> {escape(str(self.ctx.db_path))}<br>"
            f"<b>Signed in as:</b> {escape(self.ctx.actor.username)} "
            f"({escape(self.ctx.actor.role.label)})</p>",
        )
