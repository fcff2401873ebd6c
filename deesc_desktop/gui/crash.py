"""An error the app did not expect: said in words in a message box, its traceback kept in a log.

Without this, an error in a click's handler went to a console that an office PC's installed
app does not have: the click did nothing and nobody knew why.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QWidget

from deesc_desktop import paths
from deesc_desktop.gui import prompts

LOG_LIMIT = 512 * 1024
"""The log's size in bytes at which it starts again (the previous one kept as errors.log.1)."""

TITLE = "Something went wrong"

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def write_log(details: str, path: Path | None = None) -> Path | None:
    """Append an error's traceback to the errors log; the log's path, or None when it cannot
    be written (a full disk must not turn one error into two)."""
    path = path or paths.errors_log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > LOG_LIMIT:
            path.replace(path.with_name(path.name + ".1"))
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {datetime.now().astimezone().isoformat(timespec='seconds')}\n")
            log.write(details)
    except OSError:
        return None
    return path


def message(error: BaseException, log: Path | None) -> str:
    """What the user reads: what happened, that nothing was half-saved, and what to do."""
    what = str(error).strip().splitlines()[0] if str(error).strip() else ""
    said = f"{type(error).__name__}: {what}" if what else type(error).__name__
    kept = f"The details are kept in {log}." if log else "The details are below."
    return (
        "deesc-desktop met an error it did not expect and stopped what it was doing:\n\n"
        f"{said}\n\n"
        "No change was half-saved: each change is written whole or not at all. If this "
        "happens again, check the file (Audit log → Verify chain, or the command "
        f"deesc check) and send the details to whoever looks after this PC. {kept}"
    )


class CrashHandler:
    """sys.excepthook for the GUI: logs every unexpected error and shows it, one at a time
    (an error that repeats while its message is open, in painting say, is only logged)."""

    def __init__(self, parent: Callable[[], QWidget | None], log: Path | None = None) -> None:
        self.parent = parent
        self.log = log
        self.showing = False
        self.previous: ExceptHook = sys.excepthook

    def __call__(
        self, kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self.previous(kind, error, trace)
            return
        details = "".join(traceback.format_exception(kind, error, trace))
        sys.stderr.write(details)  # a developer's console still shows it
        log = write_log(details, self.log)
        if self.showing or threading.current_thread() is not threading.main_thread():
            return  # a message box only on the window's thread
        self.showing = True
        try:
            prompts.error(self.parent(), TITLE, message(error, log), details)
        finally:
            self.showing = False


def install(parent: Callable[[], QWidget | None]) -> CrashHandler:
    """Make the crash handler sys.excepthook; returns it (its `previous` is the old hook)."""
    handler = CrashHandler(parent)
    sys.excepthook = handler
    return handler
