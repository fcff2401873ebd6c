"""Shows the intermittent segmentation fault of the old worker design (issue 20).

Run: `python -m bench.qt_defects.worker_crash [--seconds N] [--processes K]`. Each child
process repeats what `tests/gui/test_app.py` did when CI crashed, with a faithful copy of the
old `gui/workers.py` mechanics: a Python `QRunnable` that creates an emitter `QObject` on the
worker thread, emits results and exceptions as `Signal(object)` through queued connections to
a relay `QObject` on the GUI thread, a lambda connected to the relay's `destroyed`, relays
that delete themselves from their own slot, owners deleted while a task runs, and the GUI
thread polling `processEvents`. A child that dies of a signal counts as a crash; the faulthandler
output of the first one is printed. The replacement design (plain Python worker threads, one
argument-less wake signal) is exercised the same way by `python -m bench.soak`.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

CHILD_FLAG = "--child"


def child(seconds: float) -> int:
    """One process hammering the old design until `seconds` have passed."""
    import faulthandler
    import threading

    faulthandler.enable(all_threads=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal, Slot

    app = QCoreApplication.instance() or QCoreApplication([])
    pool = QThreadPool()
    pool.setMaxThreadCount(2)
    pending = [0]
    live: set[QObject] = set()

    class Emitter(QObject):
        result = Signal(object)
        failed = Signal(object)

    class Relay(QObject):
        def __init__(self, owner: QObject | None, sink: list[object]) -> None:
            super().__init__(owner)
            self.sink = sink
            state = {"delivered": False}
            self.state = state
            self.destroyed.connect(lambda *_: settle(state))

        @Slot(object)
        def deliver_result(self, value: object) -> None:
            settle(self.state)
            self.sink.append(value)
            live.discard(self)
            self.deleteLater()

        @Slot(object)
        def deliver_error(self, exc: object) -> None:
            self.deliver_result(exc)

    def settle(state: dict[str, bool]) -> None:
        if not state["delivered"]:
            state["delivered"] = True
            pending[0] -= 1

    class Runnable(QRunnable):
        def __init__(self, fn: object, relay: Relay) -> None:
            super().__init__()
            self.setAutoDelete(True)
            self.fn = fn
            self.relay: Relay | None = relay

        def run(self) -> None:
            relay, self.relay = self.relay, None
            emitter = Emitter()
            queued = Qt.ConnectionType.QueuedConnection
            try:
                emitter.result.connect(relay.deliver_result, queued)
                emitter.failed.connect(relay.deliver_error, queued)
            except RuntimeError:
                return
            del relay
            try:
                value = self.fn()  # type: ignore[operator]
            except BaseException as exc:
                emitter.failed.emit(exc)
            else:
                emitter.result.emit(value)

    def start(fn: object, owner: QObject | None, sink: list[object]) -> None:
        relay = Relay(owner, sink)
        if owner is None:
            live.add(relay)
        pending[0] += 1
        pool.start(Runnable(fn, relay))

    def poll_until(condition: object, limit: float) -> None:
        deadline = time.monotonic() + limit
        while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
            QCoreApplication.processEvents()

    end = time.monotonic() + seconds
    rounds = 0
    while time.monotonic() < end:
        seen: list[object] = []
        start(lambda: 42, None, seen)
        start(lambda: 1 / 0, None, seen)
        poll_until(lambda: pending[0] == 0, 5)
        owner = QObject()
        started, release = threading.Event(), threading.Event()

        def slow(started: threading.Event = started, release: threading.Event = release) -> int:
            started.set()
            release.wait(5)
            return 1

        start(slow, owner, seen)
        started.wait(5)
        owner.deleteLater()
        poll_until(lambda: pending[0] == 0, 0.05)
        release.set()
        pool.waitForDone(5000)
        poll_until(lambda: pending[0] == 0, 5)
        rounds += 1
    print(f"rounds={rounds}")
    del app
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.qt_defects.worker_crash")
    parser.add_argument("--seconds", type=float, default=600, help="how long to run in all")
    parser.add_argument("--processes", type=int, default=20, help="child processes, in turn")
    parser.add_argument(CHILD_FLAG, type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        return child(args.child)
    import PySide6

    print(f"PySide6 {PySide6.__version__}, Python {sys.version.split()[0]}", flush=True)
    crashes = rounds = 0
    first_crash = ""
    each = args.seconds / args.processes
    for _ in range(args.processes):
        done = subprocess.run(
            [sys.executable, "-m", "bench.qt_defects.worker_crash", CHILD_FLAG, str(each)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode < 0:
            crashes += 1
            first_crash = first_crash or done.stderr
            print(f"child died of {signal.Signals(-done.returncode).name}", flush=True)
        for line in done.stdout.splitlines():
            if line.startswith("rounds="):
                rounds += int(line.split("=")[1])
    print(f"{crashes} crashes in {args.processes} processes, {rounds} completed rounds")
    if first_crash:
        print("The first crash:\n" + first_crash[-3000:])
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
