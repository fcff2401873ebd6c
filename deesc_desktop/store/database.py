"""open_database(): the only way in to a deesc SQLite file; it checks, backs up and migrates."""

from __future__ import annotations

import contextlib
import inspect
import sqlite3
import sys
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from deesc_desktop.paths import backups_dir
from deesc_desktop.store.migrations import known_names, migrations
from deesc_desktop.store.migrations.common import APPLICATION_ID

BUSY_TIMEOUT_MS = 5000
"""How long a writer waits for another copy of the app to finish before giving up."""

_SQLITE_MAGIC = b"SQLite format 3\x00"
_NETWORK_FILESYSTEMS = {"nfs", "nfs4", "cifs", "smb", "smbfs", "smb3", "afs", "9p", "sshfs"}


class DatabaseError(Exception):
    """A database file that cannot be opened, with a message meant for the user."""


class NotADeescDatabaseError(DatabaseError):
    """The file is not SQLite, or is SQLite written by another program."""


class NewerDatabaseError(DatabaseError):
    """The file was written by a newer version of deesc-desktop."""


class DatabaseUnavailableError(DatabaseError):
    """The file is fine but cannot be written now: locked, read-only, disk full."""


class DatabaseBusyError(DatabaseUnavailableError):
    """Another copy of the app, or another program, held the file past the busy timeout."""


def describe_database_error(exc: BaseException, path: Path | str | None = None) -> str | None:
    """A message for the user for SQLite's own errors, or None when it is a bug of ours.

    Called where the app meets the user (the GUI's workers, the `deesc` command), so a
    locked, read-only, full or damaged file is explained instead of shown as a traceback.
    """
    if not isinstance(exc, sqlite3.Error):
        return None
    text = str(exc).lower()
    where = f" ({path})" if path else ""
    if "locked" in text or "busy" in text:
        return (
            f"The database{where} is busy: another copy of deesc-desktop, or a backup, is "
            f"writing to it and did not finish within {BUSY_TIMEOUT_MS // 1000} seconds, or "
            "another program (sqlite3, a sync or backup tool) holds it locked. Nothing was "
            "saved; close that program or try again in a moment."
        )
    if "disk is full" in text or "database or disk is full" in text:
        return (
            f"The disk holding the database{where} is full. Nothing was saved: the change "
            "was undone. Free some space (or move old backups elsewhere) and try again."
        )
    if "readonly" in text or "read-only" in text or "unable to open database file" in text:
        return (
            f"The database{where} cannot be written: the file or its folder is read-only "
            "(SQLite writes its -wal and -shm files beside the database, so the folder must be "
            "writable too). Ask your administrator for write access to both, or copy the file "
            "to a folder you can write to and open the copy. Nothing was changed."
        )
    if "malformed" in text or "not a database" in text or "disk i/o" in text:
        return (
            f"The database{where} is damaged or unreadable ({exc}). Nothing more was written. "
            "Restore it from a backup: File > Restore, or `deesc restore BACKUP.db`."
        )
    return None


@contextlib.contextmanager
def database_errors(path: Path | str | None = None) -> Iterator[None]:
    """SQLite's errors of the file or the moment (locked, read-only, full, damaged) raised as
    a DatabaseUnavailableError in words for the user (DatabaseBusyError for a lock); any
    other error propagates as it is, a bug of ours with its traceback."""
    try:
        yield
    except sqlite3.Error as exc:
        message = describe_database_error(exc, path)
        if message is None:
            raise
        text = str(exc).lower()
        busy = "locked" in text or "busy" in text
        raise (DatabaseBusyError if busy else DatabaseUnavailableError)(message) from exc


_NOT_NOW = ("locked", "busy", "readonly", "read-only", "unable to open database file")


def _not_now(exc: sqlite3.Error) -> bool:
    """True for an error of the moment or the place (a lock, a read-only file or folder)."""
    text = str(exc).lower()
    return any(words in text for words in _NOT_NOW)


def is_open(db: Database) -> bool:
    """False once the connection has been closed."""
    try:
        db.conn.total_changes  # noqa: B018 - any use of a closed connection raises
    except sqlite3.ProgrammingError:
        return False
    return True


_COMMIT_LISTENERS = "_deesc_commit_listeners"


def after_commit(db: Database, listener: Callable[[], None]) -> None:
    """Call `listener` each time `writing` commits a transaction on this connection.

    Held weakly (a bound method through `WeakMethod`), so a screen that goes away stops
    listening without saying so. A listener must not raise: the change is committed by then.
    """
    ref: Callable[[], Callable[[], None] | None] = (
        weakref.WeakMethod(listener) if inspect.ismethod(listener) else weakref.ref(listener)
    )
    listeners: list[Callable[[], Callable[[], None] | None]] = db.__dict__.setdefault(
        _COMMIT_LISTENERS, []
    )
    listeners.append(ref)


def _committed(db: Database) -> None:
    listeners = db.__dict__.get(_COMMIT_LISTENERS)
    if not listeners:
        return
    for ref in list(listeners):
        listener = ref()
        if listener is None:
            listeners.remove(ref)
        else:
            listener()


@contextlib.contextmanager
def writing(db: Database) -> Iterator[Database]:
    """One write transaction, taken with BEGIN IMMEDIATE; nested use becomes a savepoint.

    IMMEDIATE takes the write lock up front, so when another copy of the app is writing,
    SQLite's busy timeout waits for it to finish. A deferred BEGIN that has already read
    cannot wait in WAL mode and fails at once.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    try:
        db.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise
    _committed(db)


def is_network_path(path: Path) -> bool:
    """Best effort: True when the file lives on a network share, where WAL is unsafe."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":
        import ctypes

        drive = path.resolve().drive + "\\"
        DRIVE_REMOTE = 4
        return bool(ctypes.windll.kernel32.GetDriveTypeW(drive) == DRIVE_REMOTE)  # type: ignore[attr-defined]
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return False
    resolved = str(path.resolve())
    best, fstype = "", ""
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3 and resolved.startswith(parts[1]) and len(parts[1]) > len(best):
            best, fstype = parts[1], parts[2]
    return fstype.split(".")[0] in _NETWORK_FILESYSTEMS


def _check_header(path: Path) -> None:
    with path.open("rb") as handle:
        header = handle.read(len(_SQLITE_MAGIC))
    if header != _SQLITE_MAGIC:
        raise NotADeescDatabaseError(
            f"{path} is not a deesc-desktop database (it is not an SQLite file). "
            "Nothing in it was changed. Choose the .db file the app created, or a backup of it."
        )


def _connect(path: Path) -> Database:
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise DatabaseError(f"Cannot open {path}: {exc}") from exc
    # No sqlite-utils plugin from the machine's other packages may register functions on
    # the connection the records are kept through (and none is looked for on every start).
    db = Database(conn, execute_plugins=False)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return db


def backup_to(db: Database, target: Path) -> Path:
    """Copy a live database with SQLite's backup API (never a plain file copy); a copy SQLite
    cannot write raises DatabaseError with its reason."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        destination = sqlite3.connect(str(target))
        try:
            db.conn.backup(destination)
        finally:
            destination.close()
    except sqlite3.Error as exc:
        raise DatabaseError(str(exc)) from exc
    return target


def replace_contents(db: Database, source: Database) -> None:
    """Make `db` hold exactly what `source` holds, in one step of SQLite's backup API: a
    reader sees the old contents or the new ones, never a mix."""
    source.conn.backup(db.conn)


def application_id(db: Database) -> int:
    """The file's application id (APPLICATION_ID marks a deesc database)."""
    return int(db.execute("PRAGMA application_id").fetchone()[0])


def integrity_problems(db: Database, limit: int) -> list[str]:
    """SQLite's integrity check (up to `limit` lines), or [] for a sound file."""
    found = [str(row[0]) for row in db.execute("PRAGMA integrity_check")]
    return [] if found == ["ok"] else found[:limit]


@dataclass(frozen=True, slots=True)
class ForeignKeyProblem:
    """A row that points at a parent row that is not there."""

    table: str
    row: int | None
    """The row's number, or None in a table without row numbers (training_topics)."""
    parent: str
    columns: str
    """The row's columns that point at the parent: "record_id"."""

    def describe(self) -> str:
        if self.row is None:
            return f"{self.table}: a row's {self.columns} points to a missing {self.parent} row"
        return f"{self.table} row {self.row} points to a missing {self.parent} row"


def foreign_key_problems(db: Database, limit: int) -> list[ForeignKeyProblem]:
    """Up to `limit` rows pointing at a missing parent (SQLite's foreign_key_check)."""
    found: list[ForeignKeyProblem] = []
    for table, rowid, parent, key in db.execute("PRAGMA foreign_key_check").fetchall()[:limit]:
        columns = ", ".join(
            str(row[3])
            for row in db.execute("SELECT * FROM pragma_foreign_key_list(?)", [table])
            if row[0] == key
        )
        problem = ForeignKeyProblem(
            str(table), None if rowid is None else int(rowid), str(parent), columns
        )
        if problem not in found:  # rows without numbers read alike: named once
            found.append(problem)
    return found


def user_version(db: Database) -> int:
    """The schema step count the file records (PRAGMA user_version)."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


@contextlib.contextmanager
def page_cache_of_at_least(db: Database, kib: int) -> Iterator[None]:
    """Raise the connection's page cache to `kib` for the block, and set it back after it."""
    (previous,) = db.execute("PRAGMA cache_size").fetchone()
    (page_size,) = db.execute("PRAGMA page_size").fetchone()
    previous_kib = -previous if previous < 0 else previous * page_size // 1024
    if previous_kib >= kib:
        yield
        return
    db.execute(f"PRAGMA cache_size = {-int(kib)}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {int(previous)}")


def remove_database_files(path: Path) -> None:
    """Delete a database file and its -wal, -shm and -journal, where they exist."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _timestamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S")


def open_database(path: Path | str, *, create: bool = True) -> Database:
    """Open (or create) the deesc database at `path`, migrated to this version's schema.

    Refuses, touching nothing: a file that is not SQLite, an SQLite file of another program,
    a file written by a newer version. Before migrating an existing file it saves a copy in
    `backups/` beside it.
    """
    path = Path(path).expanduser()
    exists = path.exists() and path.stat().st_size > 0
    if exists:
        _check_header(path)
    elif not create:
        raise DatabaseError(f"There is no database at {path}.")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)

    db = _connect(path)
    try:
        try:
            _open_checked(db, path, exists)
        except sqlite3.Error as exc:
            message = describe_database_error(exc, path)
            if message is None:
                raise
            raise DatabaseUnavailableError(message) from exc
    except BaseException:
        db.close()
        raise
    return db


def _open_checked(db: Database, path: Path, exists: bool) -> None:
    """Check, migrate and set the journal mode of a freshly connected file."""
    _check_ownership(db, path)
    _migrate(db, path, is_new=not exists)
    if not is_network_path(path):
        # WAL lets the GUI read while a writer works; it is unsafe on network shares.
        db.execute("PRAGMA journal_mode = WAL")
    # FULL: a committed day of entries survives a power cut, not just a crash.
    db.execute("PRAGMA synchronous = FULL")


def _check_ownership(db: Database, path: Path) -> None:
    try:
        found_id = application_id(db)
        tables = db.table_names()
    except sqlite3.DatabaseError as exc:
        if _not_now(exc):
            # Locked by another program, or a read-only folder where SQLite cannot make its
            # -shm file: the file is fine, and restoring it would be the wrong advice.
            raise DatabaseUnavailableError(describe_database_error(exc, path) or str(exc)) from exc
        raise NotADeescDatabaseError(
            f"{path} cannot be read as a database ({exc}). Nothing in it was changed; "
            "restore it from a backup."
        ) from exc
    if found_id == APPLICATION_ID:
        applied = {m.name for m in migrations.applied(db)}
        unknown = sorted(applied - set(known_names()))
        if unknown:
            raise NewerDatabaseError(
                f"{path} was written by a newer version of deesc-desktop (it has schema steps "
                f"this version does not know: {', '.join(unknown)}). Nothing in it was changed. "
                "Install the newer version to open it."
            )
        return
    if found_id == 0 and not tables:
        return  # an empty SQLite file: ours to set up
    raise NotADeescDatabaseError(
        f"{path} is an SQLite database of another program, not a deesc-desktop database. "
        "Nothing in it was changed."
    )


def needs_upgrade(path: Path) -> bool:
    """True when `path` is a deesc file written by an earlier version, so that opening it
    will first save a copy and then upgrade it (minutes, for a statewide file). Read only;
    False for anything else, which `open_database` explains or creates."""
    if not path.is_file() or path.stat().st_size == 0:
        return False
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        db = Database(conn, execute_plugins=False)
        return application_id(db) == APPLICATION_ID and bool(migrations.pending(db))
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def _migrate(db: Database, path: Path, *, is_new: bool) -> None:
    pending = migrations.pending(db)
    if not pending:
        return
    if not is_new and db.table_names():
        # A copy first, so a failed or regretted upgrade can always be undone.
        name = f"pre-migration-{_timestamp()}-{pending[0].name}.db"
        backup_to(db, backups_dir(path) / name)
    migrations.apply(db)
    db.execute(f"PRAGMA user_version = {len(known_names())}")
    if not is_new:
        _give_back_free_pages(db)


FREE_PAGES_TO_COMPACT = 0.1
"""The share of a file's pages left free by an upgrade above which it is compacted."""


def _give_back_free_pages(db: Database) -> None:
    """Compact the file when an upgrade left much of it free (m013 rewrote the audit log in a
    quarter of the space: without this the upgraded file is larger than before)."""
    (pages,) = db.execute("PRAGMA page_count").fetchone()
    (free,) = db.execute("PRAGMA freelist_count").fetchone()
    if free <= pages * FREE_PAGES_TO_COMPACT:
        return
    try:
        db.execute("VACUUM")
    except sqlite3.OperationalError:
        # Not enough room for the compacted copy: the file is whole and works as it is.
        return
