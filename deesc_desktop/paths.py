"""Where things live: the shipped resources, and the default database and backup folders."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "deesc-desktop"
APP_AUTHOR = "deesc"
DB_FILENAME = "deesc.db"
DB_ENV_VAR = "DEESC_DB"


def resources_dir() -> Path:
    """The `resources/` folder, found the same way from a source tree and a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    """A file inside `resources/`, e.g. resource("rules", "IL.toml")."""
    return resources_dir().joinpath(*parts)


def default_data_dir() -> Path:
    """The per-machine data folder shared by everyone who uses this PC.

    Windows: ProgramData (so several sergeants on one office PC share one database);
    Linux and macOS: the platform's user data folder.
    """
    if sys.platform == "win32":
        return Path(platformdirs.site_data_dir(APP_NAME, APP_AUTHOR))
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def default_db_path() -> Path:
    """The database to open when neither --db nor DEESC_DB says otherwise."""
    override = os.environ.get(DB_ENV_VAR)
    if override:
        return Path(override).expanduser()
    return default_data_dir() / DB_FILENAME


def demo_db_path() -> Path:
    """Where the demo agency's database lives, apart from the real one."""
    return default_data_dir() / "demo" / DB_FILENAME


def documents_cache_dir() -> Path:
    """This user's own folder for the copies of attached documents opened for viewing."""
    return Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)) / "documents"


def errors_log_path() -> Path:
    """This user's log of errors the app did not expect, with their tracebacks."""
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR)) / "errors.log"


def backups_dir(db_path: Path) -> Path:
    """Backups live beside the database, in `backups/`."""
    return db_path.resolve().parent / "backups"
