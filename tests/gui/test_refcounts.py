"""Waiting for workers costs no references to None, and None cannot run out of them anyway."""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QObject

from deesc_desktop.gui import workers
from deesc_desktop.gui.refcounts import HEADROOM, protect_singletons


def test_waiting_for_a_slow_task_does_not_poll() -> None:
    # PySide6 6.12 on Python 3.11 drops a reference to None in each void call; the old wait
    # called processEvents every 2 ms, so a task of minutes aborted the process.
    before = sys.getrefcount(None)
    workers.run_task(lambda _control: time.sleep(1.0))
    assert workers.wait_idle(30)
    assert before - sys.getrefcount(None) < 50


def test_wait_idle_gives_up_at_its_timeout() -> None:
    workers.run_task(lambda _control: time.sleep(1.0))
    started = time.monotonic()
    assert not workers.wait_idle(0.2)
    assert time.monotonic() - started < 0.9
    assert workers.wait_idle(30)


def test_none_true_and_false_have_room_for_lost_references() -> None:
    protect_singletons()  # done on importing deesc_desktop.gui; a second call adds nothing
    if sys.version_info < (3, 12):
        for singleton in (None, True, False):
            assert HEADROOM <= sys.getrefcount(singleton) < 2 * HEADROOM
    owner = QObject()
    for _ in range(10_000):
        owner.setObjectName("x")  # a void call: what used to wear None's count down
    assert sys.getrefcount(None) > 1000
