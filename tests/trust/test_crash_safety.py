"""SIGKILL at random moments of a large import: the file stays sound and holds all or nothing.

CI kills a few imports; `DEESC_CRASH_RUNS=200 pytest tests/trust` runs the full count.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.services.agency import init_agency
from deesc_desktop.services.imports import import_file
from deesc_desktop.services.maintenance import check_database
from deesc_desktop.store import open_database

RUNS = int(os.environ.get("DEESC_CRASH_RUNS", "6"))
ROWS = 4000

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX SIGKILL")

IMPORTER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from deesc_desktop.core.auth import Actor, Role
    from deesc_desktop.services.imports import import_file
    from deesc_desktop.store import open_database

    db = open_database(sys.argv[1])
    print("ready", flush=True)
    report = import_file(db, Actor("crash-test", Role.ADMIN), "training", Path(sys.argv[2]))
    print("done" if report.ok else report.errors, flush=True)
    """
)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("crash")
    roster = folder / "roster.csv"
    roster.write_text(
        "badge,last_name,first_name,hire_date\n"
        + "".join(f"{n},Officer{n},Test,2015-01-01\n" for n in range(200))
    )
    training = folder / "training.csv"
    lines = ["badge,course,completed,hours,topics,delivery"]
    for n in range(ROWS):
        day = f"2024-{n % 12 + 1:02d}-{n // 200 % 28 + 1:02d}"
        lines.append(f"{n % 200},Course {n % 7},{day},2,de_escalation:1;use_of_force:1,scenario")
    training.write_text("\n".join(lines) + "\n")
    base = folder / "base.db"
    db = open_database(base)
    admin = Actor("setup", Role.ADMIN)
    init_agency(db, admin, {"name": "Crash PD", "state": "IL"})
    assert import_file(db, admin, "roster", roster).ok
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return base, training


def _copy_database(base: Path, target: Path) -> None:
    import sqlite3

    source, dest = sqlite3.connect(base), sqlite3.connect(target)
    source.backup(dest)
    source.close()
    dest.close()


@pytest.mark.slow
def test_sigkill_during_a_large_import_leaves_all_or_nothing(
    prepared: tuple[Path, Path], tmp_path: Path
) -> None:
    base, training = prepared
    rng = random.Random(int(os.environ.get("DEESC_CRASH_SEED", "7")))
    outcomes = {"none": 0, "all": 0}
    for run in range(RUNS):
        path = tmp_path / f"run{run}.db"
        _copy_database(base, path)
        process = subprocess.Popen(
            [sys.executable, "-c", IMPORTER, str(path), str(training)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        db = open_database(path)
        try:
            report = check_database(db)
            assert report.ok, report.problems
            records = db.execute("SELECT count(*) FROM training_records").fetchone()[0]
            topics = db.execute("SELECT count(*) FROM training_topics").fetchone()[0]
            batches = db.execute("SELECT count(*) FROM imports WHERE kind = 'training'").fetchone()[
                0
            ]
            assert (records, topics, batches) in {(0, 0, 0), (ROWS, 2 * ROWS, 1)}
            outcomes["all" if records else "none"] += 1
        finally:
            db.close()
    assert sum(outcomes.values()) == RUNS
    print(f"SIGKILL runs: {outcomes['none']} left nothing, {outcomes['all']} left everything")
