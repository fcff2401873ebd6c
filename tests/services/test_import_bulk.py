"""The bulk training import writes exactly what writing its rows one by one wrote."""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.importers import TrainingRow
from deesc_desktop.services import imports
from deesc_desktop.services.imports import ImportReport, Progress, import_file
from deesc_desktop.services.maintenance import verify_audit
from deesc_desktop.services.training import (
    Attendee,
    ClassDetails,
    course_id_for,
    insert_record,
    record_snapshot,
)
from deesc_desktop.store import audit as audit_module
from deesc_desktop.store import open_database
from deesc_desktop.store import training as training_store
from deesc_desktop.store.audit import AuditWriter, canonical_json
from deesc_desktop.store.audit_scan import verify_chain
from deesc_desktop.store.database import writing
from deesc_desktop.store.training_bulk import NewRecord, insert_records
from tests.conftest import logged

ROSTER = (
    "badge,last_name,first_name,hire_date\n"
    "0101,Peña,Ana,2019-03-15\n"
    "0102,Nguyễn,Minh,2012-06-01\n"
    "0103,O'Brien,Sean,2021-09-07\n"
    "77,Kim,Daniel,2010-01-01\n"
)
HEADER = "badge,course,completed,hours,topics,delivery,provider,instructor,pre_test,post_test\n"
FIRST = HEADER + (
    "0101,ICAT De-escalation,2024-05-02,8,de_escalation:6;use_of_force:2,scenario,,Sgt. D,60,90\n"
    "0102,Firearms Qualification,2024-05-20,4,firearms,classroom,Range,Lt. H,,\n"
)
# Rows already recorded by FIRST (one with its title in another case), new courses appearing
# mid-file, quotes, backslashes and accents in the text, whole and fractional scores.
SECOND = HEADER + (
    "0101,ICAT De-escalation,2024-05-02,8,de_escalation:6;use_of_force:2,scenario,,Sgt. D,60,90\n"
    "0103,Legal Update,2024-06-01,2,legal_updates,online,,,,\n"
    "0102,FIREARMS QUALIFICATION,2024-05-20,4,firearms,classroom,Range,Lt. H,,\n"
    '0103,"Crisis ""CIT"" Refresher",2024-06-02,8,'
    'crisis_intervention:4;mental_health:2;de_escalation:2,classroom,"A\\B ""Academy""",'
    "Dr. Łukasz Dąbrowski,55.5,100%\n"
    "77,Legal update,2024-06-03,1.25,legal_updates,online,,,0,99.75\n"
    "0101,Firearms Qualification,2024-05-21,4,firearms,classroom,Range,Lt. H,,\n"
    "0102,ICAT De-escalation,2024-05-02,8,de_escalation:6;use_of_force:2,scenario,,Sgt. D,,\n"
    "0103,Officer Wellness,2024-07-01,1.5,officer_wellness:1;implicit_bias:0.5,online,,,,\n"
    "77,ICAT De-escalation,2024-05-02,8,use_of_force:2;de_escalation:6,scenario,,Sgt. D,70,\n"
)

FIXED_AT = "2026-11-22T08:00:00Z"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def one_by_one(
    audit: AuditWriter,
    rows: list[TrainingRow],
    import_id: int,
    report: ImportReport,
    progress: Progress | None,
) -> None:
    """The training writer as it was before the bulk one: lookups and writes per row."""
    db = audit.db
    for row in rows:
        officer = db.execute("SELECT id FROM officers WHERE badge = ?", [row.badge]).fetchone()
        details = ClassDetails(
            course=row.course,
            completed=row.completed.isoformat(),
            hours=row.hours,
            topic_hours=row.topic_hours,
            delivery=row.delivery,
            course_number=row.course_number,
            provider=row.provider,
            instructor=row.instructor,
        )
        course_id = course_id_for(audit, details)
        duplicate = db.execute(
            "SELECT 1 FROM training_records WHERE officer_id = ? AND course_id = ?"
            " AND completed = ?",
            [officer[0], course_id, details.completed],
        ).fetchone()
        if duplicate:
            report.unchanged += 1
            continue
        attendee = Attendee(officer[0], row.pre_test, row.post_test)
        insert_record(audit, officer[0], course_id, details, attendee, import_id=import_id)
        report.added += 1


def contents(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    return {
        table: db.execute(f"SELECT * FROM [{table}] ORDER BY 1, 2").fetchall()
        for table in ("audit_log", "training_records", "training_topics", "courses", "imports")
    }


@pytest.fixture
def roster_db(db: Database, admin: Actor, tmp_path: Path) -> Database:
    assert import_file(db, admin, "roster", write(tmp_path / "roster.csv", ROSTER)).ok
    return db


def imported(
    source: Path, target: Path, admin: Actor, files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> tuple[Database, list[ImportReport]]:
    shutil.copy(source, target)
    database = open_database(target)
    monkeypatch.setattr(audit_module, "utc_now", lambda: FIXED_AT)
    return database, [import_file(database, admin, "training", path) for path in files]


@pytest.mark.parametrize(("chunk", "listed_courses"), [(1, 500), (3, 0), (2000, 500)])
def test_bulk_import_writes_what_the_row_by_row_import_wrote(
    roster_db: Database,
    db_path: Path,
    admin: Actor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    chunk: int,
    listed_courses: int,
) -> None:
    roster_db.close()
    files = [write(tmp_path / "first.csv", FIRST), write(tmp_path / "second.csv", SECOND)]
    files.append(files[1])  # the same file again adds nothing
    monkeypatch.setattr(imports, "_WRITE_CHUNK", chunk)
    monkeypatch.setattr(training_store, "_MAX_LISTED_COURSES", listed_courses)
    bulk, bulk_reports = imported(db_path, tmp_path / "bulk.db", admin, files, monkeypatch)
    monkeypatch.setattr(imports, "_write_trainings", one_by_one)
    old, old_reports = imported(db_path, tmp_path / "old.db", admin, files, monkeypatch)
    counts = [(r.added, r.updated, r.unchanged) for r in bulk_reports]
    assert counts == [(r.added, r.updated, r.unchanged) for r in old_reports]
    assert counts == [(2, 0, 0), (7, 0, 2), (0, 0, 9)]
    assert contents(bulk) == contents(old)
    assert verify_chain(bulk).ok
    assert verify_audit(bulk).ok, verify_audit(bulk).lines()  # every row as the log says
    bulk.close()
    old.close()


def test_bulk_audit_entries_equal_the_records_read_back(
    roster_db: Database, admin: Actor, tmp_path: Path
) -> None:
    for name, text in (("first.csv", FIRST), ("second.csv", SECOND)):
        assert import_file(roster_db, admin, "training", write(tmp_path / name, text)).ok
    entries = [
        (e["row_id"], e["after"]) for e in logged(roster_db, "table_name = 'training_records'")
    ]
    assert len(entries) == 9
    for row_id, after in entries:
        snapshot = record_snapshot(roster_db, int(row_id))
        assert after == canonical_json(snapshot)
        assert json.loads(after) == snapshot
    report = verify_chain(roster_db)
    assert (
        report.ok
        and report.entries == roster_db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    )


def test_a_large_bulk_import_matches_read_back_snapshots(
    roster_db: Database, admin: Actor, tmp_path: Path
) -> None:
    kinds = [
        ("2", "legal_updates", "online", ""),
        ("4", "de_escalation:2;use_of_force:2", "scenario", "60"),
        ("8", "de_escalation:4;crisis_intervention:2;mental_health:2", "classroom", "72.5"),
        ("1.5", "officer_wellness:1;implicit_bias:0.5", "online", ""),
    ]
    lines = [HEADER]
    for number in range(3000):
        hours, topics, delivery, score = kinds[number % len(kinds)]
        lines.append(
            f"{['0101', '0102', '0103', '77'][number % 4]},Course {number // 4 % 30},"
            f"2024-{number // 120 % 12 + 1:02d}-{number // 4 % 28 + 1:02d},{hours},{topics},"
            f"{delivery},Academy,Sgt. {number % 7},{score},{score}\n"
        )
    path = write(tmp_path / "training.csv", "".join(lines))
    report = import_file(roster_db, admin, "training", path)
    assert report.ok, report.errors[:3]
    assert (report.added, report.unchanged) == (3000, 0)
    entries = [
        (e["row_id"], e["after"])
        for e in reversed(logged(roster_db, "table_name = 'training_records'"))
    ]
    assert [int(row_id) for row_id, _ in entries] == list(range(1, 3001))
    for row_id, after in entries:
        assert after == canonical_json(record_snapshot(roster_db, int(row_id)))
    assert verify_chain(roster_db).ok
    again = import_file(roster_db, admin, "training", path)
    assert (again.added, again.unchanged) == (0, 3000)


def test_bulk_records_fall_back_to_read_back_snapshots_for_unknown_columns(
    roster_db: Database, admin: Actor, tmp_path: Path
) -> None:
    roster_db.execute("ALTER TABLE training_records ADD COLUMN room TEXT DEFAULT 'B-12'")
    assert import_file(roster_db, admin, "training", write(tmp_path / "t.csv", SECOND)).ok
    entries = [
        (e["row_id"], e["after"]) for e in logged(roster_db, "table_name = 'training_records'")
    ]
    assert entries and all(json.loads(after)["room"] == "B-12" for _, after in entries)
    for row_id, after in entries:
        assert after == canonical_json(record_snapshot(roster_db, int(row_id)))
    assert verify_chain(roster_db).ok


texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
scores = st.one_of(
    st.none(),
    st.integers(0, 100),
    st.floats(0, 100, allow_nan=False),
)


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["0101", "0102", "0103", "77"]),
            st.integers(1, 3),
            st.integers(1, 400_00),
            texts,
            texts,
            scores,
            scores,
            st.sampled_from(
                [
                    (("firearms", 1),),
                    (("use_of_force", 2), ("de_escalation", 1)),
                    (("mental_health", 1), ("crisis_intervention", 2), ("first_aid", 3)),
                ]
            ),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_insert_records_snapshots_equal_insert_record_snapshots(
    roster_db: Database, records: list[tuple[Any, ...]]
) -> None:
    officers = dict(roster_db.execute("SELECT badge, id FROM officers").fetchall())
    with contextlib.suppress(_Undo), writing(roster_db):
        audit = AuditWriter(roster_db, "sgt.admin")
        course_id = course_id_for(
            audit, ClassDetails("Bulk Course", "2024-01-01", 100, (("firearms", 100),), "online")
        )
        ids = insert_records(
            audit,
            [
                NewRecord(
                    officers[badge],
                    course_id,
                    f"2024-{index + 1:02d}-{day:02d}",
                    sum(hours for _, hours in split) * scale,
                    tuple((topic, hours * scale) for topic, hours in split),
                    "classroom",
                    provider,
                    instructor,
                    pre,
                    post,
                )
                for index, (badge, day, scale, provider, instructor, pre, post, split) in enumerate(
                    records
                )
            ],
            import_id=None,
        )
        entries = [(e["row_id"], e["after"]) for e in logged(roster_db)][: len(ids)]
        assert [int(row_id) for row_id, _ in reversed(entries)] == ids
        for row_id, after in entries:
            assert after == canonical_json(record_snapshot(roster_db, int(row_id)))
        assert verify_chain(roster_db).ok
        raise _Undo


class _Undo(Exception):
    """Rolls an example's records back, so the next example starts from the same database."""


def test_the_page_cache_is_raised_only_while_an_import_writes(
    roster_db: Database, admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []

    def progress(done: int, total: int) -> bool:
        seen.append(roster_db.execute("PRAGMA cache_size").fetchone()[0])
        return False

    (before,) = roster_db.execute("PRAGMA cache_size").fetchone()
    path = write(tmp_path / "t.csv", SECOND)
    monkeypatch.setattr(imports, "_WRITE_CHUNK", 1)
    assert import_file(roster_db, admin, "training", path, dry_run=True).ok
    assert roster_db.execute("PRAGMA cache_size").fetchone()[0] == before
    report = import_file(roster_db, admin, "training", path, progress=progress)
    assert report.cancelled and seen == [-imports.IMPORT_PAGE_CACHE_KIB]
    assert roster_db.execute("PRAGMA cache_size").fetchone()[0] == before
    roster_db.execute(f"PRAGMA cache_size = {-2 * imports.IMPORT_PAGE_CACHE_KIB}")
    assert import_file(roster_db, admin, "training", path).ok
    assert (
        roster_db.execute("PRAGMA cache_size").fetchone()[0] == -2 * imports.IMPORT_PAGE_CACHE_KIB
    )
