"""The transcript's data: the period's records and the standing on its last day, read once."""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from deesc_desktop.services.compliance import officer_compliance
from deesc_desktop.services.reporting.transcript import gather_transcript
from tests.reports.conftest import DEMO_TODAY

END = date(DEMO_TODAY.year - 1, 6, 30)
START = date(END.year - 1, 7, 1)


def busiest_badge(db: Database) -> tuple[int, str]:
    officer_id, badge = db.execute(
        "SELECT o.id, o.badge FROM officers o JOIN training_records r ON r.officer_id = o.id"
        " WHERE r.completed BETWEEN ? AND ? GROUP BY o.id ORDER BY count(*) DESC LIMIT 1",
        [START.isoformat(), END.isoformat()],
    ).fetchone()
    return officer_id, badge


def test_the_transcript_lists_the_period_and_stands_as_on_its_last_day(demo: Database) -> None:
    officer_id, badge = busiest_badge(demo)
    data = gather_transcript(demo, badge, START, END, warning_days=60, today=DEMO_TODAY)
    in_period = demo.execute(
        "SELECT count(*) FROM training_records WHERE officer_id = ? AND completed BETWEEN ? AND ?",
        [officer_id, START.isoformat(), END.isoformat()],
    ).fetchone()[0]
    assert len(data.records) == in_period > 0
    assert all(START <= r.completed <= END for r in data.records)
    # The same standing as the compliance page gives for that day.
    assert data.compliance == officer_compliance(demo, officer_id, END, today=DEMO_TODAY)


def test_the_transcript_reads_the_officers_training_once(demo: Database) -> None:
    _officer_id, badge = busiest_badge(demo)
    statements: list[str] = []
    demo.conn.set_trace_callback(statements.append)
    try:
        gather_transcript(demo, badge, START, END, warning_days=60, today=DEMO_TODAY)
    finally:
        demo.conn.set_trace_callback(None)
    # The CIT history reads the CIT courses alone, on a query of its own.
    reads = [
        s
        for s in statements
        if "FROM training_records r JOIN courses c" in s and "cit_role" not in s
    ]
    assert len(reads) == 1, reads
