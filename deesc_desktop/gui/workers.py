"""Run a function on a worker thread and get its result or exception back on the GUI thread.

SQLite connections must not cross threads, so database work on a worker opens its own
connection (`with_database`). Callbacks always run on the GUI thread, where touching widgets
is safe; a result whose owner (a page, a dialog) was deleted before it came is dropped.

Worker threads never touch Qt beyond waking the GUI thread (docs/design.md, "Worker
threads", says why): they are plain Python threads that put the outcome on a queue and emit
one argument-less signal of a dispatcher the GUI thread owns. No QObject is created,
connected or deleted on a worker, no Python object travels through Qt's event queue, and no
lambda is connected to a signal a worker emits: the binding paths that crashed the old
QRunnable design (bench/qt_defects/worker_crash.py) are not used.
"""

from __future__ import annotations

import queue
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for_futures
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    Qt,
    QTimer,
    Signal,
    SignalInstance,
    Slot,
)
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid
from sqlite_utils import Database

from deesc_desktop.gui.preload import defines_qt_classes, import_qt_free_dependencies
from deesc_desktop.store.database import open_database

T = TypeVar("T")

WORKER_THREADS = 2
"""Two: a long import must not hold up the page loads that follow it."""

_RESULT, _ERROR, _PROGRESS = "result", "error", "progress"


class TaskControl:
    """Handed to the function on the worker: report progress, and see whether to stop."""

    def __init__(self) -> None:
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._latest: tuple[int, int] | None = None
        self._report: Callable[[], None] | None = None

    def progress(self, done: int, total: int) -> bool:
        """Report progress; returns False once the user asked to cancel (import_file's contract)."""
        with self._lock:
            # Only the newest figure matters: a burst of reports costs the GUI one update.
            already_queued = self._latest is not None
            self._latest = (done, total)
            report = self._report
        if report is not None and not already_queued:
            report()
        return not self._cancel.is_set()

    def take_progress(self) -> tuple[int, int] | None:
        """The newest (done, total) reported since the last call, or None."""
        with self._lock:
            latest, self._latest = self._latest, None
        return latest

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


@dataclass(slots=True)
class _Task:
    """A started task as the GUI thread keeps it until its outcome is handled."""

    control: TaskControl
    owner: QObject | None
    on_result: Callable[[Any], None] | None
    on_error: Callable[[BaseException], object] | None
    on_progress: Callable[[int, int], None] | None


class _Dispatcher(QObject):
    """Lives on the GUI thread; a worker's only contact with Qt is emitting `wake`."""

    wake = Signal()
    idle = Signal()
    """Emitted on the GUI thread when the last started task's outcome has been handled."""
    task_done = Signal()
    """Emitted on the GUI thread when a task has finished, before its outcome is handed on:
    the task may have written to the database on its own connection."""

    def __init__(self) -> None:
        super().__init__()
        self.wake.connect(self.drain, Qt.ConnectionType.QueuedConnection)

    @Slot()
    def drain(self) -> None:
        _WAKE.clear()
        while True:
            try:
                task_id, kind, payload = _OUTBOX.get_nowait()
            except queue.Empty:
                break
            try:
                _deliver(task_id, kind, payload)
            except BaseException:  # a callback's bug: report it, deliver the rest
                sys.excepthook(*sys.exc_info())
        if not _TASKS:
            self.idle.emit()


class _Wake:
    """Emits the dispatcher's `wake` once per batch, however many outcomes a batch holds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._raised = False
        self.closed = False

    def raise_(self, dispatcher: _Dispatcher) -> None:
        with self._lock:
            if self._raised or self.closed:
                return
            self._raised = True
        dispatcher.wake.emit()

    def clear(self) -> None:
        with self._lock:
            self._raised = False


_OUTBOX: queue.SimpleQueue[tuple[int, str, Any]] = queue.SimpleQueue()
_WAKE = _Wake()
_TASKS: dict[int, _Task] = {}
"""Tasks started whose outcome the GUI thread has not handled yet; GUI thread only."""
_RUNNING: set[Future[None]] = set()
_RUNNING_LOCK = threading.Lock()
_next_id = 0
_dispatcher: _Dispatcher | None = None
_executor: ThreadPoolExecutor | None = None


def _gui_dispatcher() -> _Dispatcher:
    global _dispatcher, _executor
    if _dispatcher is None:
        if QCoreApplication.instance() is None or threading.current_thread() is not (
            threading.main_thread()
        ):
            raise RuntimeError("workers.run_task needs the application, on the GUI thread")
        _dispatcher = _Dispatcher()
        _executor = ThreadPoolExecutor(WORKER_THREADS, thread_name_prefix="deesc-worker")
    return _dispatcher


def task_done() -> SignalInstance:
    """The signal emitted on the GUI thread as each task finishes (see `_Dispatcher`)."""
    return _gui_dispatcher().task_done


def _deliver(task_id: int, kind: str, payload: Any) -> None:
    if kind == _PROGRESS:
        task = _TASKS.get(task_id)
        latest = task.control.take_progress() if task is not None else None
        if task is None or latest is None or task.on_progress is None:
            return
        if task.owner is None or isValid(task.owner):
            task.on_progress(*latest)
        return
    task = _TASKS.pop(task_id, None)
    if _dispatcher is not None:
        _dispatcher.task_done.emit()
    if task is None or (task.owner is not None and not isValid(task.owner)):
        return  # its window closed while it ran: nobody is waiting for it
    if kind == _RESULT:
        if task.on_result is not None:
            task.on_result(payload)
    elif task.on_error is not None:
        task.on_error(payload)
    else:
        sys.excepthook(type(payload), payload, payload.__traceback__)


def _run_on_worker(
    task_id: int, fn: Callable[[TaskControl], Any], control: TaskControl, dispatcher: _Dispatcher
) -> None:
    """The whole of a task's life on the worker thread: pure Python until the wake."""
    try:
        outcome: tuple[int, str, Any] = (task_id, _RESULT, fn(control))
    except BaseException as exc:
        outcome = (task_id, _ERROR, exc)
    finally:
        control._report = None
    _OUTBOX.put(outcome)
    _WAKE.raise_(dispatcher)


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
    on_error: Callable[[BaseException], object] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Task:
    """Run `fn(control)` on a worker thread; the callbacks run later on the GUI thread.

    With an `owner`, callbacks are dropped if the owner is deleted before the result comes.
    Without `on_error`, an exception is reported like any uncaught one.
    """
    global _next_id
    dispatcher = _gui_dispatcher()
    assert _executor is not None
    _next_id += 1
    task_id = _next_id
    control = TaskControl()
    _TASKS[task_id] = _Task(control, owner, on_result, on_error, on_progress)

    def report_progress() -> None:
        _OUTBOX.put((task_id, _PROGRESS, None))
        _WAKE.raise_(dispatcher)

    control._report = report_progress
    future = _executor.submit(_run_on_worker, task_id, fn, control, dispatcher)
    with _RUNNING_LOCK:
        _RUNNING.add(future)
    future.add_done_callback(_forget)
    return Task(control)


def _forget(future: Future[None]) -> None:
    with _RUNNING_LOCK:
        _RUNNING.discard(future)


def pending() -> int:
    """Tasks started whose outcome has not yet been delivered (or dropped)."""
    return len(_TASKS)


def pending_ids() -> frozenset[int]:
    """The tasks `pending` counts, to ask later whether any of these is still pending."""
    return frozenset(_TASKS)


def any_pending(task_ids: frozenset[int]) -> bool:
    """Whether any of `task_ids` (from `pending_ids`) has not had its outcome delivered."""
    return any(task_id in _TASKS for task_id in task_ids)


def wait_idle(timeout: float = 60.0) -> bool:
    """Run the event loop until every task's outcome is handled; False on timeout.

    Events already posted run first, since one may start a task (a page reloading after a
    change it was told of on the next turn of the event loop).
    """
    QCoreApplication.processEvents()
    if _TASKS:
        dispatcher = _gui_dispatcher()
        deadline = time.monotonic() + timeout
        # A real event loop sleeps until an event comes (a result, the alarm, input): no polling.
        loop = QEventLoop()
        alarm = QTimer()
        alarm.setSingleShot(True)
        alarm.timeout.connect(loop.quit)
        dispatcher.idle.connect(loop.quit)
        try:
            while _TASKS:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                alarm.start(max(1, min(int(left * 1000), _MAX_TIMER_MS)))
                loop.exec()
        finally:
            alarm.stop()
            dispatcher.idle.disconnect(loop.quit)
    QCoreApplication.processEvents()
    return True


_MAX_TIMER_MS = 2**31 - 1


def wait_for_threads(timeout: float) -> bool:
    """Wait until no task is running on a worker (outcomes may still be undelivered)."""
    with _RUNNING_LOCK:
        running = set(_RUNNING)
    if not running:
        return True
    _done, not_done = wait_for_futures(running, timeout=timeout)
    return not not_done


def cancel_all() -> None:
    """Ask every task still running to stop (the ones that check `control.cancelled` do)."""
    for task in _TASKS.values():
        task.control.cancel()


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


def prepare_then(
    module: str,
    *,
    owner: QObject,
    then: Callable[[], None],
    on_error: Callable[[BaseException], object] | None = None,
) -> Task:
    """Import on a worker what `module` (one of gui/'s) needs from outside gui/, then call
    `then` on the GUI thread, which imports `module` itself: reading and running a page's
    services and store takes up to a tenth of a second, which the window need not stand
    still for, while the Qt classes the page defines are made on the GUI thread only
    (gui/preload.py says why)."""
    if not defines_qt_classes(module):
        raise ValueError(f"{module} is imported where it is used: only gui/ modules are prepared")
    return run_task(
        lambda _control: import_qt_free_dependencies(module),
        owner=owner,
        on_result=lambda _none: then(),
        on_error=on_error,
    )


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
