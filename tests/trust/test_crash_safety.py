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


CLAIMS = 300

PAYER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from deesc_desktop.core.auth import Actor, Role
    from deesc_desktop.services import bonus, claim_workflow, funding
    from deesc_desktop.store import open_database

    db = open_database(sys.argv[1])
    submitted = [r[0] for r in db.execute("SELECT id FROM claims WHERE status = 'submitted'")]
    print("ready", flush=True)
    chief = Actor("chief.crash", Role.CHIEF)
    claim_workflow.approve_claims(db, chief, submitted, now=datetime(2025, 12, 15, 9, tzinfo=UTC))
    print("approved", flush=True)
    finance = Actor("fin.crash", Role.FINANCE)
    batch = funding.create_payment_batch(
        db, finance, {"reference": "PR-CRASH", "pay_date": "2025-12-19"}, submitted
    )
    funding.pay_batch(db, finance, batch)
    print("paid", flush=True)
    """
)


@pytest.fixture(scope="module")
def submitted_claims(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 officers, each with a qualifying class and a submitted $3,800.00 claim."""
    from deesc_desktop.services import bonus, claim_workflow, funding

    folder = tmp_path_factory.mktemp("claims")
    roster, training = folder / "roster.csv", folder / "training.csv"
    roster.write_text(
        "badge,last_name,first_name,hire_date\n"
        + "".join(f"{n},Officer{n},Test,2015-01-01\n" for n in range(CLAIMS))
    )
    training.write_text(
        "badge,course,completed,hours,topics,delivery\n"
        + "".join(f"{n},ICAT,2025-03-04,8,de_escalation,scenario\n" for n in range(CLAIMS))
    )
    path = folder / "claims.db"
    db = open_database(path)
    admin = Actor("setup", Role.ADMIN)
    init_agency(db, admin, {"name": "Crash PD", "state": "IL"})
    assert import_file(db, admin, "roster", roster).ok
    assert import_file(db, admin, "training", training).ok
    funding.add_funding_source(
        db,
        admin,
        {
            "name": "Grant",
            "kind": "ledta",
            "amount": "2000000",
            "start": "2025-01-01",
            "end": "2026-12-31",
        },
    )
    program = bonus.add_program(
        db,
        admin,
        {
            "name": "Bonus",
            "topics": "de_escalation",
            "min_hours": 8,
            "start": "2025-01-01",
            "end": "2025-12-31",
            "funding_source": "Grant",
        },
    )
    officers = [row.officer.id for row in bonus.find_eligible(db, program) if row.claimable]
    assert len(officers) == CLAIMS
    claim_workflow.submit_claims(db, admin, bonus.create_claims(db, admin, program, officers))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.mark.slow
def test_sigkill_during_approvals_and_payments_leaves_all_or_nothing(
    submitted_claims: Path, tmp_path: Path
) -> None:
    rng = random.Random(int(os.environ.get("DEESC_CRASH_SEED", "11")))
    seen = set()
    for run in range(RUNS):
        path = tmp_path / f"run{run}.db"
        _copy_database(submitted_claims, path)
        process = subprocess.Popen(
            [sys.executable, "-c", PAYER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.6))
        process.send_signal(signal.SIGKILL)
        process.wait()
        db = open_database(path)
        try:
            assert check_database(db).ok
            counts = dict(db.execute("SELECT status, count(*) FROM claims GROUP BY status"))
            paid_total = db.execute(
                "SELECT coalesce(sum(amount_cents), 0) FROM claims WHERE status = 'paid'"
            ).fetchone()[0]
            batches = db.execute("SELECT count(*) FROM payment_batches").fetchone()[0]
        finally:
            db.close()
        # Each step is one transaction: all 300 claims move together or not at all.
        assert list(counts.values()) == [CLAIMS]
        state = next(iter(counts))
        assert state in {"submitted", "approved", "paid"}
        assert paid_total == (CLAIMS * 380_000 if state == "paid" else 0)
        # The batch is its own step: approved claims may or may not be in one yet.
        assert batches in {"submitted": {0}, "approved": {0, 1}, "paid": {1}}[state]
        seen.add(state)
    print(f"SIGKILL during approval/payment left claims: {sorted(seen)}")
