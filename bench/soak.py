"""`python -m bench.soak`: run the worker paths and the GUI tests over and over, count crashes.

Not part of CI (issue 20): it takes minutes to hours. Two checks, each reporting the number
of child processes that died of a signal (a crash) or printed "Fatal Python error":

- `workers`: child processes each run ROUNDS rounds of what the GUI does with
  `gui/workers.py`: many short tasks, errors, cancelled tasks with progress, results for
  pages deleted while the task ran, page switches of a real main window on the demo while its
  pages' queries come back, and closing the window with tasks in flight.
- `suite`: `pytest tests/gui` (or any --path) RUNS times in a row, each in a fresh process.
- `pages`: the main window on the demo, every page built and the roster searched
  (`bench.gui_child roster --window main`), RUNS times, each in a fresh process.

A crash prints its faulthandler output (every thread's Python stack). For a native stack,
run the same child under `gdb -batch -ex run -ex "thread apply all bt" --args python ...`,
or enable core files (`ulimit -c unlimited`) and open the core with gdb.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHILD_FLAG = "--child-rounds"


def _workers_child(rounds: int, folder: Path) -> int:
    import faulthandler
    import threading

    faulthandler.enable(all_threads=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings
    from PySide6.QtWidgets import QApplication

    from deesc_desktop.demo import DEMO_ACTOR
    from deesc_desktop.gui import workers
    from deesc_desktop.gui.app import ensure_demo
    from deesc_desktop.gui.context import AppContext
    from deesc_desktop.gui.mainwindow import MainWindow
    from deesc_desktop.gui.pages import PAGES
    from deesc_desktop.gui.settings import Settings
    from deesc_desktop.store.database import open_database

    app = QApplication.instance() or QApplication([])
    path = folder / "demo.db"
    ensure_demo(path)
    settings = Settings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    delivered = dropped_wrongly = 0

    def flush_deletes() -> None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    for number in range(rounds):
        seen: list[object] = []
        for value in range(8):
            workers.run_task(lambda _c, v=value: v, on_result=seen.append)
        workers.run_task(lambda _c: 1 / 0, on_error=seen.append)

        def counting(control: workers.TaskControl) -> int:
            step = 0
            while control.progress(step, 100) and step < 10_000:
                step += 1
            return step

        task = workers.run_task(counting, on_progress=lambda d, t: None, on_result=seen.append)
        task.cancel()
        # A result for an owner deleted while the task ran is dropped.
        owner = QObject()
        release = threading.Event()
        late: list[object] = []
        workers.run_task(lambda _c, gate=release: gate.wait(5), owner=owner, on_result=late.append)
        owner.deleteLater()
        flush_deletes()
        release.set()
        if not workers.wait_idle(60):
            print("a task did not finish", file=sys.stderr)
            return 2
        delivered += len(seen)
        dropped_wrongly += len(late)
        if number % 25 == 0:
            # Page switches while each page's query is on a worker, then closing the window
            # with tasks still in flight.
            db = open_database(path, create=False)
            window = MainWindow(
                AppContext(db, path, DEMO_ACTOR, settings=settings),
                persist_settings=False,
                auto_backup=False,
            )
            window.show()
            for page in PAGES:
                window.show_page(page.id)
                QCoreApplication.processEvents()
            window.close()
            window.deleteLater()
            flush_deletes()
            workers.wait_idle(60)
            workers.wait_for_threads(60)
            db.close()
    print(f"rounds={rounds} delivered={delivered} late_results_shown={dropped_wrongly}")
    del app
    return 0


def _crashed(done: subprocess.CompletedProcess[str]) -> bool:
    return done.returncode < 0 or "Fatal Python error" in done.stderr + done.stdout


def soak_workers(processes: int, rounds: int) -> int:
    crashes = completed = 0
    first = ""
    started = time.monotonic()
    for _ in range(processes):
        with tempfile.TemporaryDirectory(prefix="deesc-soak-") as folder:
            done = subprocess.run(
                [sys.executable, "-m", "bench.soak", CHILD_FLAG, str(rounds), folder],
                cwd=REPO,
                capture_output=True,
                text=True,
                check=False,
                env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            )
        if _crashed(done):
            crashes += 1
            first = first or done.stderr[-4000:]
            reason = signal.Signals(-done.returncode).name if done.returncode < 0 else "fatal"
            print(f"worker child crashed ({reason})", flush=True)
        elif done.returncode == 0:
            completed += rounds
        else:
            print(f"worker child failed: {done.stderr[-1000:]}", flush=True)
    elapsed = time.monotonic() - started
    print(
        f"workers: {crashes} crashes in {processes} processes; {completed} rounds completed "
        f"({completed * 11} tasks) in {elapsed:.0f} s"
    )
    if first:
        print("The first crash:\n" + first)
    return 1 if crashes else 0


def soak_suite(runs: int, path: str) -> int:
    crashes = failures = 0
    first = ""
    started = time.monotonic()
    for number in range(1, runs + 1):
        done = subprocess.run(
            [
                sys.executable,
                "-X",
                "faulthandler",
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "-x",
                path,
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        if _crashed(done):
            crashes += 1
            first = first or (done.stdout + done.stderr)[-4000:]
        elif done.returncode != 0:
            failures += 1
        summary = done.stdout.strip().splitlines()[-1:] or ["(no output)"]
        print(f"run {number}/{runs}: exit {done.returncode}: {summary[0]}", flush=True)
    elapsed = time.monotonic() - started
    print(
        f"suite {path}: {crashes} crashes, {failures} failed runs in {runs} runs, {elapsed:.0f} s"
    )
    if first:
        print("The first crash:\n" + first)
    return 1 if crashes or failures else 0


def soak_pages(runs: int) -> int:
    """The main window started on the demo and every page built, `runs` times: what crashed
    about one start in twenty while the page modules were imported on a worker."""
    from deesc_desktop.gui.app import ensure_demo

    crashes = failures = 0
    first = ""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="deesc-soak-") as folder:
        demo = Path(folder) / "demo.db"
        ensure_demo(demo)
        for number in range(1, runs + 1):
            copy = Path(folder) / f"run-{number}.db"
            copy.write_bytes(demo.read_bytes())
            done = subprocess.run(
                [
                    *(sys.executable, "-X", "faulthandler", "-m", "bench.gui_child", "roster"),
                    *("--app", "deesc", "--window", "main", "--db", str(copy)),
                ],
                cwd=REPO,
                capture_output=True,
                text=True,
                check=False,
                env={
                    **os.environ,
                    "QT_QPA_PLATFORM": "offscreen",
                    "XDG_CONFIG_HOME": folder,
                    "XDG_DATA_HOME": folder,
                },
            )
            copy.unlink()
            if _crashed(done):
                crashes += 1
                first = first or done.stderr[-4000:]
                print(f"run {number}/{runs}: crashed (exit {done.returncode})", flush=True)
            elif done.returncode != 0:
                failures += 1
                print(f"run {number}/{runs}: failed: {done.stderr[-500:]}", flush=True)
    elapsed = time.monotonic() - started
    print(f"pages: {crashes} crashes, {failures} failed runs in {runs} runs, {elapsed:.0f} s")
    if first:
        print("The first crash:\n" + first)
    return 1 if crashes or failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak", description=__doc__.splitlines()[0]
    )
    parser.add_argument(CHILD_FLAG, nargs=2, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="check")
    w = sub.add_parser("workers", help="the worker paths, in child processes")
    w.add_argument("--processes", type=int, default=10)
    w.add_argument("--rounds", type=int, default=500, help="rounds per process (11 tasks each)")
    s = sub.add_parser("suite", help="a test folder, many times in a row")
    s.add_argument("--runs", type=int, default=200)
    s.add_argument("--path", default="tests/gui")
    g = sub.add_parser("pages", help="the main window and every page, in fresh processes")
    g.add_argument("--runs", type=int, default=100)
    args = parser.parse_args(argv)
    if args.child_rounds:
        rounds, folder = args.child_rounds
        return _workers_child(int(rounds), Path(folder))
    if args.check == "workers":
        return soak_workers(args.processes, args.rounds)
    if args.check == "suite":
        return soak_suite(args.runs, args.path)
    if args.check == "pages":
        return soak_pages(args.runs)
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
