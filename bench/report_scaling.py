"""Timing of the compliance report at 1,000 and 10,000 officers (a script, not a test).

Run from the repository root: `python -m bench.report_scaling [SIZES...]`.
Each size clones the demo agency's officers, with all their training, until the roster has
that many officers, then times the evaluation alone and the whole PDF.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from pypdf import PdfReader
from sqlite_utils import Database

from deesc_desktop.demo import load_demo
from deesc_desktop.reports import ReportParams, render
from deesc_desktop.services.compliance import department_compliance
from deesc_desktop.store import open_database

AS_OF = date(2026, 11, 22)


def grow(db: Database, officers: int) -> None:
    """Clone the demo roster and its training until there are `officers` officers."""
    base = db.execute("SELECT count(*) FROM officers").fetchone()[0]
    copies = -(-officers // base) - 1
    with db.conn:
        for copy in range(1, copies + 1):
            db.conn.execute(
                "INSERT INTO officers (badge, last_name, first_name, rank, unit, shift,"
                " hire_date, license_date, state_id, email, status, separation_date, version,"
                " created_at, updated_at, updated_by)"
                " SELECT badge || '-' || ?, last_name, first_name || ' ' || ?, rank, unit,"
                " shift, hire_date, license_date, state_id, email, status, separation_date,"
                " 1, created_at, updated_at, updated_by FROM officers WHERE badge NOT LIKE '%-%'",
                [copy, copy],
            )
            db.conn.execute(
                "INSERT INTO training_records (officer_id, course_id, completed, hours,"
                " delivery, provider, instructor, pre_test, post_test, version, created_at,"
                " updated_at, updated_by)"
                " SELECT n.id, r.course_id, r.completed, r.hours, r.delivery, r.provider,"
                " r.instructor, r.pre_test, r.post_test, 1, r.created_at, r.updated_at,"
                " r.updated_by FROM training_records r JOIN officers o ON o.id = r.officer_id"
                " JOIN officers n ON n.badge = o.badge || '-' || ?",
                [copy],
            )
            db.conn.execute(
                "INSERT INTO training_topics (record_id, topic, hours)"
                " SELECT nr.id, t.topic, t.hours FROM training_topics t"
                " JOIN training_records r ON r.id = t.record_id"
                " JOIN officers o ON o.id = r.officer_id"
                " JOIN officers n ON n.badge = o.badge || '-' || ?"
                " JOIN training_records nr ON nr.officer_id = n.id AND nr.course_id = r.course_id"
                " AND nr.completed = r.completed",
                [copy],
            )
        extra = db.execute("SELECT count(*) FROM officers").fetchone()[0] - officers
        if extra > 0:
            db.conn.execute(
                "DELETE FROM training_topics WHERE record_id IN (SELECT id FROM training_records"
                " WHERE officer_id IN (SELECT id FROM officers ORDER BY id DESC LIMIT ?))",
                [extra],
            )
            db.conn.execute(
                "DELETE FROM training_records WHERE officer_id IN"
                " (SELECT id FROM officers ORDER BY id DESC LIMIT ?)",
                [extra],
            )
            db.conn.execute(
                "DELETE FROM officers WHERE id IN (SELECT id FROM officers ORDER BY id DESC"
                " LIMIT ?)",
                [extra],
            )


def measure(officers: int, folder: Path) -> dict[str, float]:
    """Seconds (wall and CPU) for the evaluation alone and the whole report, pages, MB."""
    db = open_database(folder / f"bench-{officers}.db")
    load_demo(db, today=AS_OF)
    grow(db, officers)
    wall, cpu = time.perf_counter(), time.process_time()
    department_compliance(db, AS_OF)
    evaluation = time.perf_counter() - wall, time.process_time() - cpu
    out = folder / f"compliance-{officers}.pdf"
    wall, cpu = time.perf_counter(), time.process_time()
    render("compliance", db, ReportParams(as_of=AS_OF), out, now=datetime(2026, 11, 22, 9, 30))
    whole = time.perf_counter() - wall, time.process_time() - cpu
    db.close()
    return {
        "eval_wall": evaluation[0],
        "eval_cpu": evaluation[1],
        "wall": whole[0],
        "cpu": whole[1],
        "pages": len(PdfReader(str(out)).pages),
        "mb": out.stat().st_size / 1e6,
    }


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for size in sizes:
            m = results[size] = measure(size, Path(tmp))
            print(
                f"{size:>6} officers: whole report {m['wall']:6.2f} s wall, {m['cpu']:6.2f} s CPU"
                f" (evaluation {m['eval_cpu']:5.2f} s CPU, layout"
                f" {m['cpu'] - m['eval_cpu']:6.2f} s CPU); {m['pages']:.0f} pages,"
                f" {m['mb']:.1f} MB",
                flush=True,
            )
        if len(sizes) == 2:
            small, large = (results[size] for size in sizes)
            wall, cpu = large["wall"] / small["wall"], large["cpu"] / small["cpu"]
            times = sizes[1] / sizes[0]
            print(f"ratio for {times:.0f}x the officers: {wall:.1f}x wall, {cpu:.1f}x CPU")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 10000])
