"""Start the desktop app: `deesc-desktop [--db PATH] [--demo] [--screenshots DIR] [--version]`."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.gui import crash, prompts, style, workers
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.settings import APPLICATION, ORGANISATION, Settings
from deesc_desktop.paths import DB_ENV_VAR, default_db_path, demo_db_path
from deesc_desktop.services.errors import ServiceError
from deesc_desktop.services.users import list_users, sign_in_refusal, unattended_actor
from deesc_desktop.store.agency import get_agency
from deesc_desktop.store.database import DatabaseError, needs_upgrade, open_database

if TYPE_CHECKING:
    from deesc_desktop.gui.mainwindow import MainWindow

EXIT_OK, EXIT_FAILED = 0, 1
CLOSE_WAIT_SECONDS = 20.0
"""How long the process waits, after the last window closed, for its automatic backup."""


class VersionAction(argparse.Action):
    """--version: prints the version, looked up only when asked for (see deesc_desktop)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        from deesc_desktop import __version__

        print(f"deesc-desktop {__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="deesc-desktop",
        description="Training records, compliance, CIT and bonus claims for a police agency.",
        epilog=f"The database is chosen by --db, else ${DB_ENV_VAR}, else {default_db_path()}.",
    )
    parser.add_argument(
        "--version", action=VersionAction, help="show the program's version number and exit"
    )
    parser.add_argument("--db", metavar="PATH", help="the database file to open")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the demo agency (created on first use, apart from the real database)",
    )
    parser.add_argument(
        "--screenshots",
        metavar="DIR",
        help="save a PNG of every page and the main dialogs to DIR, then exit",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation in a temporary folder, print each step, then exit",
    )
    return parser


def setup_application(app: QApplication) -> None:
    """Names (which locate the settings file), style and icon."""
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    style.apply(app)


def is_demo_path(path: Path) -> bool:
    try:
        return path.resolve() == demo_db_path().resolve()
    except OSError:
        return False


def open_with_agency(path: Path) -> Database | None:
    """`path` opened, when it is a database whose agency is set up; else None (the first-run
    wizard sets it up). It may raise DatabaseError."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    db = open_database(path, create=False)
    try:
        ready = get_agency(db) is not None
    except BaseException:
        db.close()
        raise
    if not ready:
        db.close()
        return None
    return db


def has_agency(path: Path) -> bool:
    """True when `path` is a database whose agency is set up (it may raise DatabaseError)."""
    db = open_with_agency(path)
    if db is None:
        return False
    db.close()
    return True


def demo_admin(db: Database) -> Actor | None:
    """The demo's administrator, when its account is still there and enabled."""
    # Imported here, as in ensure_demo: the demo brings most services and the importers,
    # which a start-up on a real database does not need.
    from deesc_desktop.demo import DEMO_ACTOR

    for user in list_users(db):
        if user["username"] == DEMO_ACTOR.username and user["active"]:
            return Actor(user["username"], DEMO_ACTOR.role)
    return None


def ask_sign_in(db: Database, parent: QWidget | None = None, *, username: str = "") -> Actor | None:
    """Show the sign-in dialog; the signed-in user, or None when the user gave up."""
    from deesc_desktop.gui.dialogs.sign_in import SignInDialog

    agency = get_agency(db)
    dialog = SignInDialog(db, agency.name if agency else "", parent, username=username)
    return dialog.actor if prompts.run_dialog(dialog) else None


def choose_actor(db: Database, *, demo: bool) -> Actor | None:
    """Who works on `db`: the demo's admin, the unattended actor, or whoever signs in.

    Nobody, with the reason shown, when its users or settings were changed outside the app.
    """
    refusal = sign_in_refusal(db)
    if refusal:
        prompts.error(None, "Cannot sign in", refusal)
        return None
    if demo:
        actor = demo_admin(db)
        if actor is not None:
            return actor
    unattended = unattended_actor(db)
    if unattended is not None:
        return unattended
    return ask_sign_in(db)


def ensure_demo(path: Path) -> None:
    """Create the demo agency at `path` unless it is already there."""
    from deesc_desktop.demo import load_demo

    db = open_database(path)
    try:
        if get_agency(db) is None:
            load_demo(db)
    finally:
        db.close()


REMINDERS_MODULE = "deesc_desktop.gui.features.training_due.reminders"


def show_start_reminders(window: QWidget, ctx: AppContext) -> None:
    """The day's reminders beside a window just drawn, once a worker has imported what they
    need from outside gui/ (the services and the compliance engine: a tenth of a second the
    window need not stand still for, as for the pages)."""

    def show() -> None:
        if not window.isVisible():
            return  # closed, or another database opened, while the worker imported
        from deesc_desktop.gui.features.training_due import reminders

        reminders.show_reminders(window, ctx, at_start=True)

    workers.prepare_then(REMINDERS_MODULE, owner=window, then=show, on_error=lambda _exc: show())


class Application(QObject):
    """Opens databases and keeps one main window on the open one."""

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.window: MainWindow | None = None

    def start(self, path: Path, *, demo: bool = False) -> bool:
        """Open the first window; False when there is nothing to show (error or cancelled)."""
        return self.open_demo() if demo else self.open(path)

    def open(self, path: Path, *, new: bool = False) -> bool:
        """Open `path`, setting up its agency first when it has none."""
        try:
            # One connection checks the agency and serves the window: opening checks the
            # file and its schema, which need not be done twice.
            if not new and needs_upgrade(path):
                self._upgrade(path)
            db = None if new else open_with_agency(path)
        except DatabaseError as exc:
            prompts.error(self.window, "Cannot open the database", str(exc))
            return False
        if db is None:
            return self._first_run(path)
        return self._show(db, path)

    def _upgrade(self, path: Path) -> None:
        """Upgrade a file an earlier version wrote, behind a progress dialog: the window would
        otherwise not appear for minutes on a large file."""
        workers.run_with_progress(
            self.window,
            f"Upgrading {path.name} for this version of deesc-desktop…\n\n"
            "A copy of the file as it was is saved in the backups folder first. "
            "On a large file this takes a few minutes.",
            lambda _control: open_database(path, create=False).close(),
        )

    def _first_run(self, path: Path) -> bool:
        from deesc_desktop.gui.first_run import DEMO_CHOSEN, FirstRunWizard

        wizard = FirstRunWizard(path, None, self.window, offer_demo=not is_demo_path(path))
        accepted = prompts.run_dialog(wizard)
        if wizard.result() == DEMO_CHOSEN:
            return self.open_demo()
        if not accepted or wizard.db is None:
            return False
        return self._show(wizard.db, path)

    def open_demo(self) -> bool:
        path = demo_db_path()
        try:
            if not has_agency(path):
                workers.run_with_progress(
                    self.window,
                    "Setting up the demo agency (officers and four years of training)…",
                    lambda _control: ensure_demo(path),
                )
            db = open_database(path, create=False)
        except (DatabaseError, ServiceError) as exc:
            prompts.error(self.window, "Cannot open the demo agency", str(exc))
            return False
        return self._show(db, path)

    def _show(self, db: Database, path: Path) -> bool:
        """Sign in to `db` and show its window; False (and `db` closed) when nobody did."""
        demo = is_demo_path(path)
        actor = choose_actor(db, demo=demo)
        if actor is None:
            db.close()
            return False
        self._open_window(AppContext(db, path, actor, settings=self.settings, demo=demo))
        return True

    def _open_window(self, ctx: AppContext) -> None:
        from deesc_desktop.gui.mainwindow import MainWindow

        window = MainWindow(ctx)
        window.open_requested.connect(self._switch)
        window.sign_out_requested.connect(self.sign_out)
        old, self.window = self.window, window
        window.show()
        # Once the window has been drawn, as the pages are built.
        window.first_painted.connect(
            lambda: show_start_reminders(window, ctx), Qt.ConnectionType.SingleShotConnection
        )
        if old is not None:
            old.close()
            if old.ctx.db is not ctx.db:
                # The closing window's automatic backup reads the file on its own connection:
                # let it finish before the last connection goes and SQLite tidies the WAL away.
                workers.wait_for_threads(CLOSE_WAIT_SECONDS)
                old.ctx.db.close()
            old.deleteLater()

    def sign_out(self) -> None:
        """Sign the current user out and ask who signs in; giving up closes the app."""
        old = self.window
        if old is None:
            return
        old.hide()
        actor = ask_sign_in(old.ctx.db, old)
        if actor is None:
            old.close()
            return
        ctx = old.ctx
        self._open_window(
            AppContext(ctx.db, ctx.db_path, actor, settings=self.settings, demo=ctx.demo)
        )

    def _switch(self, path: Path, new: bool) -> None:
        self.open(path, new=new)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `deesc-desktop` GUI script; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already printed
        return int(exc.code or 0)
    if args.self_test:
        from deesc_desktop.selftest import prepare_environment, run_self_test

        prepare_environment()
        return run_self_test()
    if args.screenshots and QApplication.instance() is None:
        # Screenshots never need a screen, and never flash windows on one.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else "deesc-desktop"])
    setup_application(app)
    path = Path(args.db).expanduser() if args.db else default_db_path()

    if args.screenshots:
        from deesc_desktop.gui.screenshots import render_all

        if args.demo:
            path = demo_db_path()
            try:
                ensure_demo(path)
            except (DatabaseError, ServiceError) as exc:
                print(f"deesc-desktop: {exc}", file=sys.stderr)
                return EXIT_FAILED
        return render_all(path, Path(args.screenshots), demo=args.demo)

    application = Application()
    crash.install(lambda: application.window)
    app.setQuitOnLastWindowClosed(True)
    if not application.start(path, demo=args.demo):
        return EXIT_FAILED
    from deesc_desktop import __version__

    # Set once the window shows: nothing before it reads the version, and looking it up costs.
    QCoreApplication.setApplicationVersion(__version__)
    code = app.exec()
    # Lets the closing window's automatic backup finish, but never holds the exit for long.
    workers.wait_for_threads(CLOSE_WAIT_SECONDS)
    return code


if __name__ == "__main__":
    sys.exit(main())
