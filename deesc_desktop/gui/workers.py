"""Run a function on a worker thread and get its result or exception back on the GUI thread.

SQLite connections must not cross threads, so database work on a worker opens its own
connection (`with_database`). Results come back through a queued signal to a small relay
object that lives on the GUI thread: callbacks therefore always run on the GUI thread, where
touching widgets is safe. A relay parented to a widget dies with it, so a result that arrives
after its page or dialog closed is dropped instead of touching a deleted widget.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QProgressDialog, QWidget
from sqlite_utils import Database

from deesc_desktop.store.database import open_database

T = TypeVar("T")

_POOL = QThreadPool()
# Two threads: a long import must not hold up the page loads that follow it.
_POOL.setMaxThreadCount(2)
_pending = 0


def pool() -> QThreadPool:
    return _POOL


def pending() -> int:
    """Tasks started whose result has not yet been delivered (or dropped)."""
    return _pending


def wait_idle(timeout: float = 60.0) -> bool:
    """Process events until every task has delivered its result; False on timeout."""
    deadline = time.monotonic() + timeout
    # Wakes the wait below at the deadline when no result comes.
    alarm = QTimer()
    alarm.setSingleShot(True)
    alarm.setTimerType(Qt.TimerType.PreciseTimer)
    rang: list[bool] = []
    alarm.timeout.connect(lambda: rang.append(True))
    alarm.start(max(1, min(int(timeout * 1000), _MAX_TIMER_MS)))
    try:
        while _pending:
            if rang or time.monotonic() > deadline:
                return False
            # Sleeps until an event comes (a result, a timer, input) instead of polling: a
            # poll every few milliseconds for minutes costs a core's wake-ups and, with
            # PySide6 6.12 on Python 3.11, a lost reference to None per call (refcounts.py).
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    finally:
        alarm.stop()
    QCoreApplication.processEvents()
    return True


_MAX_TIMER_MS = 2**31 - 1


class TaskControl:
    """Handed to the function on the worker: report progress, and see whether to stop."""

    def __init__(self) -> None:
        self._cancel = threading.Event()
        self._emitter: _Emitter | None = None

    def progress(self, done: int, total: int) -> bool:
        """Report progress; returns False once the user asked to cancel (import_file's contract)."""
        if self._emitter is not None:
            self._emitter.progress.emit(done, total)
        return not self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Emitter(QObject):
    """Created on the worker thread, so it is also destroyed there."""

    result = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)


class _Relay(QObject):
    """Lives on the GUI thread and calls the callbacks there."""

    def __init__(
        self,
        owner: QObject | None,
        on_result: Callable[[Any], None] | None,
        on_error: Callable[[BaseException], None] | None,
        on_progress: Callable[[int, int], None] | None,
    ) -> None:
        super().__init__(owner)
        self._on_result = on_result
        self._on_error = on_error
        self._on_progress = on_progress
        self._state = {"delivered": False}
        state = self._state
        # If the owner is destroyed first, the task still has to stop counting as pending.
        self.destroyed.connect(lambda *_: _settle(state))

    @Slot(object)
    def deliver_result(self, value: object) -> None:
        _settle(self._state)
        if self._on_result is not None:
            self._on_result(value)
        self._finish()

    @Slot(object)
    def deliver_error(self, exc: BaseException) -> None:
        _settle(self._state)
        if self._on_error is not None:
            self._on_error(exc)
        else:
            traceback.print_exception(exc)
        self._finish()

    @Slot(int, int)
    def deliver_progress(self, done: int, total: int) -> None:
        if self._on_progress is not None and not self._state["delivered"]:
            self._on_progress(done, total)

    def _finish(self) -> None:
        _LIVE_RELAYS.discard(self)
        self.deleteLater()


_LIVE_RELAYS: set[_Relay] = set()
"""Relays without an owner, kept alive here until their task reports."""


def _settle(state: dict[str, bool]) -> None:
    global _pending
    if not state["delivered"]:
        state["delivered"] = True
        _pending -= 1


class _Runnable(QRunnable):
    def __init__(
        self, fn: Callable[[TaskControl], Any], control: TaskControl, relay: _Relay
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._control = control
        self._relay: _Relay | None = relay

    def run(self) -> None:
        relay, self._relay = self._relay, None
        if relay is None:
            return
        emitter = _Emitter()
        queued = Qt.ConnectionType.QueuedConnection
        try:
            emitter.result.connect(relay.deliver_result, queued)
            emitter.failed.connect(relay.deliver_error, queued)
            emitter.progress.connect(relay.deliver_progress, queued)
        except RuntimeError:
            return  # its window closed before the task started: no one is waiting
        # The GUI thread keeps the relay alive; this thread must never drop its last reference.
        del relay
        self._control._emitter = emitter
        try:
            value = self._fn(self._control)
        except BaseException as exc:
            emitter.failed.emit(exc)
        else:
            emitter.result.emit(value)
        finally:
            self._control._emitter = None


class Task:
    """A started task, as the GUI holds it: it can be asked to cancel."""

    def __init__(self, control: TaskControl) -> None:
        self.control = control

    def cancel(self) -> None:
        self.control.cancel()


def run_task(
    fn: Callable[[TaskControl], T],
    *,
    owner: QObject | None = None,
    on_result: Callable[[T], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Task:
    """Run `fn(control)` on a worker thread; the callbacks run later on the GUI thread.

    With an `owner`, callbacks are dropped if the owner is destroyed before the result comes.
    """
    global _pending
    relay = _Relay(owner, on_result, on_error, on_progress)
    if owner is None:
        _LIVE_RELAYS.add(relay)
    control = TaskControl()
    _pending += 1
    _POOL.start(_Runnable(fn, control, relay))
    return Task(control)


def with_database(
    db_path: Path, fn: Callable[[Database, TaskControl], T]
) -> Callable[[TaskControl], T]:
    """Wrap `fn(db, control)` to run with its own connection to the database at `db_path`."""

    def run(control: TaskControl) -> T:
        db = open_database(db_path, create=False)
        try:
            return fn(db, control)
        finally:
            db.close()

    return run


def run_query(
    db_path: Path,
    query: Callable[[Database], T],
    *,
    owner: QObject,
    on_result: Callable[[T], None],
    on_error: Callable[[BaseException], None] | None = None,
) -> Task:
    """Run a read query on a worker with its own connection; deliver the rows to `on_result`."""
    return run_task(
        with_database(db_path, lambda db, _control: query(db)),
        owner=owner,
        on_result=on_result,
        on_error=on_error,
    )


class _Outcome:
    def __init__(self) -> None:
        self.done = False
        self.value: Any = None
        self.error: BaseException | None = None


def run_with_progress(
    parent: QWidget | None,
    label: str,
    fn: Callable[[TaskControl], T],
    *,
    cancellable: bool = False,
) -> T:
    """Run `fn` on a worker behind a progress dialog, keeping the window responsive.

    Returns the result or re-raises the worker's exception. A local event loop runs until
    the worker finishes, so the caller can be written as straight-line code.
    """
    dialog = QProgressDialog(label, "Cancel" if cancellable else "", 0, 0, parent)
    dialog.setWindowTitle("Please wait")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    if not cancellable:
        dialog.setCancelButton(None)
    outcome = _Outcome()
    loop = QEventLoop()

    def finished_with(value: object) -> None:
        outcome.done, outcome.value = True, value
        loop.quit()

    def failed_with(exc: BaseException) -> None:
        outcome.done, outcome.error = True, exc
        loop.quit()

    def progressed(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))

    task = run_task(fn, on_result=finished_with, on_error=failed_with, on_progress=progressed)
    dialog.canceled.connect(task.cancel)
    if not outcome.done:
        loop.exec()
    dialog.reset()
    dialog.close()
    dialog.deleteLater()
    if outcome.error is not None:
        raise outcome.error
    return outcome.value
