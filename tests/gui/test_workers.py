"""Worker tasks: outcomes arrive on the GUI thread, late ones for closed windows are dropped."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject

from deesc_desktop.gui import workers
from tests.gui.helpers import settle


def test_results_and_errors_arrive_on_the_gui_thread() -> None:
    gui_thread = threading.get_ident()
    seen: list[object] = []

    def work(_control: workers.TaskControl) -> int:
        assert threading.get_ident() != gui_thread
        return 42

    workers.run_task(work, on_result=lambda v: seen.append((v, threading.get_ident())))
    workers.run_task(lambda _c: 1 / 0, on_error=lambda exc: seen.append(type(exc)))
    settle()
    assert (42, gui_thread) in seen and ZeroDivisionError in seen
    assert workers.pending() == 0


def test_workers_are_plain_python_threads() -> None:
    # A worker never creates or owns a Qt object; it is a Python thread of the pool.
    names: list[str] = []
    workers.run_task(lambda _c: threading.current_thread().name, on_result=names.append)
    settle()
    assert names and names[0].startswith("deesc-worker")


def test_a_result_for_a_deleted_owner_is_dropped() -> None:
    owner = QObject()
    delivered: list[object] = []
    started, release = threading.Event(), threading.Event()

    def slow(_control: workers.TaskControl) -> int:
        started.set()
        release.wait(30)
        return 1

    workers.run_task(slow, owner=owner, on_result=delivered.append)
    assert started.wait(30)
    owner.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    release.set()
    settle()
    assert delivered == [], "a result for a closed window is dropped"
    assert workers.pending() == 0


def test_progress_arrives_with_the_newest_figure_and_cancel_stops_the_task() -> None:
    seen: list[tuple[int, int]] = []
    reached_ten = threading.Event()
    stopped_at: list[int] = []

    def counting(control: workers.TaskControl) -> int:
        step = 0
        while control.progress(step, 1000):
            if step == 10:
                reached_ten.set()
            if step < 10:
                step += 1
            elif control.cancelled:
                break
        stopped_at.append(step)
        return step

    task = workers.run_task(counting, on_progress=lambda d, t: seen.append((d, t)))
    assert reached_ten.wait(30)
    task.cancel()
    settle()
    assert stopped_at == [10]
    assert seen, "progress reached the GUI thread"
    assert all(total == 1000 for _done, total in seen)
    assert [done for done, _t in seen] == sorted(done for done, _t in seen)


def test_wait_idle_gives_up_at_its_timeout_and_succeeds_once_the_task_ends() -> None:
    release = threading.Event()
    workers.run_task(lambda _c: release.wait(30))
    assert not workers.wait_idle(0.05)
    assert workers.pending() == 1
    release.set()
    assert workers.wait_idle(30)
    assert workers.pending() == 0


def test_a_failing_callback_is_reported_and_the_other_outcomes_still_arrive(qtbot: Any) -> None:
    seen: list[int] = []

    def broken(_value: int) -> None:
        raise ValueError("a bug in a page's callback")

    with qtbot.capture_exceptions() as caught:
        workers.run_task(lambda _c: 1, on_result=broken)
        workers.run_task(lambda _c: 2, on_result=seen.append)
        settle()
    assert seen == [2]
    assert [type(exc) for _t, exc, _tb in caught] == [ValueError]


def test_an_error_nobody_handles_is_reported(qtbot: Any) -> None:
    with qtbot.capture_exceptions() as caught:
        workers.run_task(lambda _c: 1 / 0)
        settle()
    assert [type(exc) for _t, exc, _tb in caught] == [ZeroDivisionError]
