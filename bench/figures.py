"""The figures of issue 8, each measured next to a baseline of the bare library's same work."""

from __future__ import annotations

import csv
import gc
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import generate
from bench.generate import ADMIN, TODAY, Generated, Size
from bench.timing import Load, Samples, interleave, timed

REPO = Path(__file__).resolve().parents[1]


# --- rows of the table -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Target:
    """What a figure should reach: its ratio at most `limit`, or its value at most `limit`."""

    kind: str  # "ratio", "max" or "none"
    limit: float = 0.0
    text: str = "-"

    def met(self, value: float | None, ratio: float | None) -> bool | None:
        if self.kind == "ratio" and ratio is not None:
            return ratio <= self.limit
        if self.kind == "max" and value is not None:
            return value <= self.limit
        return None


NO_TARGET = Target("none")


@dataclass
class Row:
    """One line of the table."""

    label: str
    unit: str
    target: Target
    deesc: float | None = None
    baseline: float | None = None
    ratio: float | None = None
    status: str = "measured"
    """measured, "not yet measurable", or "crashed"."""
    note: str = ""
    samples: dict[str, list[float]] = field(default_factory=dict)
    load: Load | None = None

    @property
    def met(self) -> bool | None:
        return self.target.met(self.deesc, self.ratio) if self.status == "measured" else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "figure": self.label,
            "unit": self.unit,
            "deesc": self.deesc,
            "baseline": self.baseline,
            "ratio": self.ratio,
            "target": self.target.text,
            "met": self.met,
            "status": self.status,
            "note": self.note,
            "samples": self.samples,
            "load": None if self.load is None else self.load.text(),
        }


def measured(
    label: str, unit: str, target: Target, samples: Samples, scale: float = 1.0, note: str = ""
) -> Row:
    """A row from interleaved samples (scaled into the row's unit)."""
    baseline = samples.baseline_median
    return Row(
        label,
        unit,
        target,
        deesc=samples.deesc_median * scale,
        baseline=None if baseline is None else baseline * scale,
        ratio=samples.ratio,
        note=note,
        samples={
            "deesc": [x * scale for x in samples.deesc],
            "baseline": [x * scale for x in samples.baseline],
        },
    )


def pair_ratio(deesc: list[float], baseline: list[float]) -> float | None:
    pairs = [d / b for d, b in zip(deesc, baseline, strict=False) if b > 0]
    return statistics.median(pairs) if pairs else None


# --- what a run needs ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Plan:
    """How much of each figure a size does (the small size is scaled down to keep CI quick)."""

    repeat: int
    detail_officers: int
    import_rows: int
    pdf_officers: tuple[int, int]
    gui_runs: int
    compliance_ratio: float
    """The issue's target for department compliance: fixed costs weigh more at small."""
    verify_rows: int
    """Training rows imported through the app for verify and check: at state size about as
    many as the state file holds, so every one of them has its audit entries."""


PLANS = {
    "small": Plan(repeat=3, detail_officers=15, import_rows=10_000, pdf_officers=(100, 1_000),
                  gui_runs=2, compliance_ratio=2.0, verify_rows=10_000),
    "large": Plan(repeat=3, detail_officers=25, import_rows=100_000,
                  pdf_officers=(1_000, 10_000), gui_runs=3, compliance_ratio=1.5,
                  verify_rows=100_000),
    "state": Plan(repeat=3, detail_officers=10, import_rows=100_000,
                  pdf_officers=(1_000, 10_000), gui_runs=3, compliance_ratio=1.5,
                  verify_rows=4_900_000),
}  # fmt: skip


@dataclass
class Context:
    """The size being measured, where its databases live, and what was generated."""

    size: Size
    seed: int
    folder: Path
    plan: Plan
    log: Callable[[str], None]
    scratch: Path
    generated: dict[str, Generated] = field(default_factory=dict)

    def database(self, size: Size) -> Path:
        """The cached database of `size`, generated first if needed."""
        if size.name not in self.generated:
            self.generated[size.name] = generate.ensure(self.folder, size, self.seed, self.log)
        return self.generated[size.name].path

    @property
    def main_db(self) -> Path:
        return self.database(self.size)

    @property
    def small_db(self) -> Path:
        return self.database(generate.SIZES["small"])


def _open(path: Path) -> Any:
    from deesc_desktop.store.database import open_database

    return open_database(path, create=False)


def _copy(source: Path, target: Path) -> Path:
    """A fresh copy of a database, through SQLite's backup API (so a WAL file is included)."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    with (
        closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(str(target))) as dst,
    ):
        src.backup(dst)
    return target


def _child_env(ctx: Context, name: str) -> dict[str, str]:
    home = ctx.scratch / name
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    env = dict(os.environ)
    # A fresh settings folder each run: the app opens on its first page, as on a new PC.
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        PYTHONPATH=str(REPO) + os.pathsep + env.get("PYTHONPATH", ""),
    )
    return env


def _run_child(ctx: Context, args: list[str], name: str, timeout: float = 1800) -> dict[str, Any]:
    """Run bench.gui_child with `args`; its RESULT line as a dict (started_at added)."""
    env = _child_env(ctx, name)
    started_at = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "bench.gui_child", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
            result["started_at"] = started_at
            return result
    lines = done.stderr.strip().splitlines()
    # A fatal error's first line says what happened; the last lines say where.
    fatal = [line for line in lines if line.startswith("Fatal Python error")][:1]
    tail = "\n".join([*fatal, *lines[-12:]])
    raise RuntimeError(f"{' '.join(args[:3])} gave no result (exit {done.returncode}):\n{tail}")


def _timed_result(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def _statements_of(db: Any, fn: Callable[[], object]) -> list[str]:
    """The reads `fn` asks of `db`'s connection, as SQLite ran them (bound values written in):
    replayed on a bare connection, they are the part of a figure no Python can make faster."""
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        fn()
    finally:
        db.conn.set_trace_callback(None)
    return [s for s in seen if s.lstrip().upper().startswith(("SELECT", "WITH", "PRAGMA"))]


def _replay(path: Path, statements: list[str]) -> float:
    """Seconds to run `statements` on a bare read-only connection, every row fetched."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        started = time.perf_counter()
        for statement in statements:
            conn.execute(statement).fetchall()
        return time.perf_counter() - started
    finally:
        conn.close()


FLOOR_NOTE = "the floor under the figure above: what the libraries alone take of it"


# --- 1. start-up -------------------------------------------------------------------------------

STARTUP = "start-up (small db)"
STARTUP_FLOOR = "start-up floor: bare window + sqlite-utils"


def startup(ctx: Context) -> list[Row]:
    """Process start to the main window's first show event, against a bare QMainWindow."""
    db = _copy(ctx.small_db, ctx.scratch / "startup.db")
    _byte_compile_package()

    def run(app: str) -> Callable[[], float]:
        def once() -> float:
            result = _run_child(ctx, ["startup", "--app", app, "--db", str(db)], f"start-{app}")
            return float(result["shown_at"]) - float(result["started_at"])

        return once

    samples = interleave(run("deesc"), run("bare"), ctx.plan.repeat)
    floor = interleave(run("bare-store"), run("bare"), ctx.plan.repeat)
    note = "python start, imports, database opened, window built, first show event"
    return [
        measured(STARTUP, "s", Target("ratio", 1.5, "ratio <= 1.5"), samples, note=note),
        measured(
            STARTUP_FLOOR,
            "s",
            NO_TARGET,
            floor,
            note=f"{FLOOR_NOTE}: the bare window after `import sqlite_utils` and the file "
            "opened (the store layer the product must use), against the bare window",
        ),
    ]


def _byte_compile_package() -> None:
    """Write the package's bytecode, as `pip install` and the bundle ship it.

    An editable install compiles a module when first imported and keeps the bytecode, unless
    PYTHONDONTWRITEBYTECODE is set (as on some CI machines): then every start would compile
    the whole package again, about 0.2 s that no installed copy ever pays.
    """
    import compileall

    import deesc_desktop

    compileall.compile_dir(Path(deesc_desktop.__file__).parent, quiet=1)


# --- 2. compliance of the whole department -----------------------------------------------------

COMPLIANCE = "compliance, every officer x IL pack"
COMPLIANCE_FLOOR = "compliance floor: its queries alone"

_HOURS_BY_TOPIC = """
SELECT r.officer_id, t.topic, sum(t.hours)
FROM training_records r JOIN training_topics t ON t.record_id = r.id
WHERE r.completed BETWEEN ? AND ?
GROUP BY r.officer_id, t.topic
"""


def _serving_ids(db: Any) -> list[int]:
    return [i for (i,) in db.execute("SELECT id FROM officers WHERE status != 'separated'")]


def _window(db: Any, officer_id: int) -> tuple[date, date]:
    """The in-service window in force on TODAY, as the product computes it."""
    from deesc_desktop.services.compliance import officer_compliance

    for result in officer_compliance(db, officer_id, TODAY).results:
        if result.window_start is not None and result.window_end is not None:
            return result.window_start, min(result.window_end, TODAY)
    raise RuntimeError("no requirement with a window is in force")


def compliance(ctx: Context) -> list[Row]:
    """department_compliance() against one SQL aggregate of hours per officer and topic."""
    from deesc_desktop.services.compliance import department_compliance

    db = _open(ctx.main_db)
    try:
        serving = _serving_ids(db)
        start, end = _window(db, serving[0])
        params = [start.isoformat(), end.isoformat()]
        counts: dict[str, int] = {}

        def deesc() -> float:
            seconds, people = _timed_result(lambda: department_compliance(db, TODAY))
            counts["officers"] = len(people)  # type: ignore[arg-type]
            counts["results"] = sum(len(p.results) for p in people)  # type: ignore[attr-defined]
            del people
            gc.collect()
            return seconds

        def baseline() -> float:
            return timed(lambda: db.conn.execute(_HOURS_BY_TOPIC, params).fetchall())

        samples = interleave(deesc, baseline, ctx.plan.repeat)
        queries = _statements_of(db, lambda: department_compliance(db, TODAY))
        floor = interleave(lambda: _replay(ctx.main_db, queries), baseline, ctx.plan.repeat)
    finally:
        db.close()
    note = (
        f"{counts['officers']:,} serving officers, {counts['results']:,} results; "
        f"baseline: SUM(hours) GROUP BY officer, topic for {start} to {end}"
    )
    limit = ctx.plan.compliance_ratio
    target = Target("ratio", limit, f"ratio <= {limit}")
    floor_note = (
        f"{FLOOR_NOTE}: the {len(queries)} queries department_compliance runs, replayed with "
        "bare sqlite3 and every row fetched (no Python object made), against the same baseline"
    )
    return [
        measured(COMPLIANCE, "s", target, samples, note=note),
        measured(COMPLIANCE_FLOOR, "s", NO_TARGET, floor, note=floor_note),
    ]


# --- 3. one officer's detail -------------------------------------------------------------------

DETAIL = "officer detail (all requirements, explanations)"

_OFFICER_RECORDS = """
SELECT r.id, r.completed, r.hours, r.delivery, c.title, t.topic, t.hours
FROM training_records r JOIN courses c ON c.id = r.course_id
LEFT JOIN training_topics t ON t.record_id = r.id
WHERE r.officer_id = ? ORDER BY r.completed, r.id
"""


def detail(ctx: Context) -> list[Row]:
    """officer_compliance() with every explanation written, against the officer's raw rows."""
    from deesc_desktop.services.compliance import officer_compliance

    db = _open(ctx.main_db)
    try:
        serving = _serving_ids(db)
        count = ctx.plan.detail_officers
        chosen = [serving[i * len(serving) // count] for i in range(count)]

        def deesc_for(officer_id: int) -> float:
            def show() -> object:
                results = officer_compliance(db, officer_id, TODAY).results
                return [result.explanation for result in results]

            return timed(show)

        def baseline_for(officer_id: int) -> float:
            return timed(lambda: db.conn.execute(_OFFICER_RECORDS, [officer_id]).fetchall())

        deesc_for(chosen[0])  # imports and first-use caches are not what a click costs
        baseline_for(chosen[0])

        def each_officer(measure_for: Callable[[int], float]) -> Callable[[], float]:
            # Both sides run once per repetition, so both walk the list in step.
            officers = iter(chosen)
            return lambda: measure_for(next(officers))

        samples = interleave(each_officer(deesc_for), each_officer(baseline_for), count)
    finally:
        db.close()
    note = f"median over {count} officers; baseline: the officer's records and topics in one query"
    return [measured(DETAIL, "ms", Target("max", 20.0, "< 20 ms"), samples, scale=1000, note=note)]


# --- 4. importing a training file --------------------------------------------------------------

IMPORT = "import training CSV"
_IMPORT_COLUMNS = (
    "badge",
    "course",
    "completed",
    "hours",
    "topics",
    "delivery",
    "provider",
    "instructor",
    "course_number",
    "pre_test",
    "post_test",
)
_IMPORT_KINDS = (
    ("2", "legal_updates", "online"),
    ("4", "de_escalation:2;use_of_force:2", "scenario"),
    ("8", "de_escalation:4;crisis_intervention:2;mental_health:2", "classroom"),
    ("3", "firearms", "scenario"),
    ("1.5", "officer_wellness:1;implicit_bias:0.5", "online"),
)


def write_import_file(
    path: Path, badges: list[str], rows: int, *, first: int = 0, courses: int = 40
) -> Path:
    """`rows` class completions of new courses, each (badge, course, date) once; rows from
    `first` on, so that files written in turn add up to one long file (each date takes
    `courses` rows per badge: more courses keep a long file's dates in the past)."""
    first_day = date(2025, 1, 2)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(_IMPORT_COLUMNS)
        for number in range(first, first + rows):
            badge = badges[number % len(badges)]
            turn = number // len(badges)
            course = turn % courses
            hours, topics, delivery = _IMPORT_KINDS[course % len(_IMPORT_KINDS)]
            scored = "de_escalation" in topics
            writer.writerow(
                (
                    badge,
                    f"Imported Course {course + 1:02d}",
                    (first_day + timedelta(days=turn // courses)).isoformat(),
                    hours,
                    topics,
                    delivery,
                    "Regional Academy",
                    "Sgt. Import",
                    f"IMP-{course + 1:02d}",
                    "60" if scored else "",
                    "85" if scored else "",
                )
            )
    return path


def raw_import(conn: sqlite3.Connection, path: Path) -> int:
    """The same rows with csv and executemany alone: no validation, no audit log."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        rows = list(reader)
    officers = dict(conn.execute("SELECT badge, id FROM officers"))
    stamp = datetime.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT OR IGNORE INTO courses (title, course_number, default_hours, default_topics,"
        " delivery, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        {(r[1], r[8], float(r[3]), r[4], r[5], stamp) for r in rows},
    )
    courses = dict(conn.execute("SELECT title, id FROM courses"))
    next_id = conn.execute("SELECT coalesce(max(id), 0) FROM training_records").fetchone()[0]
    records, topics = [], []
    for row in rows:
        next_id += 1
        records.append(
            (
                next_id,
                officers[row[0]],
                courses[row[1]],
                row[2],
                float(row[3]),
                row[5],
                row[6],
                row[7],
                float(row[9]) if row[9] else None,
                float(row[10]) if row[10] else None,
                stamp,
                stamp,
                "raw",
            )
        )
        for part in row[4].split(";"):
            code, _, hours = part.partition(":")
            topics.append((next_id, code, float(hours or row[3])))
    conn.executemany(
        "INSERT INTO training_records (id, officer_id, course_id, completed, hours, delivery,"
        " provider, instructor, pre_test, post_test, created_at, updated_at, updated_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        records,
    )
    conn.executemany(
        "INSERT INTO training_topics (record_id, topic, hours) VALUES (?, ?, ?)", topics
    )
    conn.execute("COMMIT")
    return len(records)


def import_rows(ctx: Context) -> list[Row]:
    """import_file() with full validation and audit, against raw executemany of the rows."""
    from deesc_desktop.services.imports import import_file

    rows = ctx.plan.import_rows
    db = _open(ctx.small_db)
    try:
        badges = [b for (b,) in db.execute("SELECT badge FROM officers WHERE status = 'active'")]
    finally:
        db.close()
    source = write_import_file(ctx.scratch / f"training-{rows}.csv", badges, rows)
    target = ctx.scratch / "import.db"

    def deesc() -> float:
        database = _open(_copy(ctx.small_db, target))
        try:
            seconds, report = _timed_result(
                lambda: import_file(database, ADMIN, "training", source)
            )
        finally:
            database.close()
        if not report.ok or report.added != rows:  # type: ignore[attr-defined]
            raise RuntimeError(f"the import did not add every row: {report}")
        return seconds

    def baseline() -> float:
        _copy(ctx.small_db, target)
        conn = sqlite3.connect(str(target), isolation_level=None)
        try:
            # The pragmas open_database sets, so only the product's own work differs.
            for pragma in ("foreign_keys = ON", "journal_mode = WAL", "synchronous = NORMAL"):
                conn.execute(f"PRAGMA {pragma}")
            seconds, added = _timed_result(lambda: raw_import(conn, source))
        finally:
            conn.close()
        if added != rows:
            raise RuntimeError(f"the raw import added {added} rows, not {rows}")
        return seconds

    samples = interleave(deesc, baseline, ctx.plan.repeat)
    note = (
        f"{rows:,} rows into a copy of the small database"
        + ("; scaled down from 100,000 at this size" if rows < 100_000 else "")
        + "; baseline: csv.reader + executemany, same pragmas"
    )
    label = f"{IMPORT} ({rows:,} rows)"
    return [measured(label, "s", Target("ratio", 2.0, "ratio <= 2.0"), samples, note=note)]


# --- 5. the compliance PDF ---------------------------------------------------------------------

PDF = "compliance PDF"
PDF_SCALING = "compliance PDF scaling"


def _reports_api() -> tuple[Any, Any] | str:
    """(render_compliance, ReportParams), or why the reports package cannot be used yet."""
    try:
        from deesc_desktop.reports import ReportParams, render_compliance
    except Exception as exc:
        return f"deesc_desktop.reports does not import yet ({type(exc).__name__}: {exc})"
    return render_compliance, ReportParams


def _bare_pdf_rows(db: Any) -> tuple[list[list[str]], list[list[str]]]:
    """The officer table and the explanations, as the text the report prints."""
    from deesc_desktop.core.hours import format_hours
    from deesc_desktop.services.compliance import department_compliance

    people = department_compliance(db, TODAY)
    table, reasons = [], []
    for person in people:
        officer = person.officer
        cells = [officer.badge, officer.display_name, f"{officer.unit} / {officer.shift}"]
        for result in person.results:
            hours = ""
            if result.earned is not None and result.adjusted_required is not None:
                hours = (
                    f" {format_hours(result.earned)} of {format_hours(result.adjusted_required)}"
                )
            cells.append(f"{result.status.value}{hours}")
            if result.status.outstanding:
                reasons.append(
                    [officer.badge, officer.display_name, result.requirement_id, result.explanation]
                )
        cells.append(person.worst.value)
        table.append(cells)
    return table, reasons


def bare_pdf(path: Path, table: list[list[str]], reasons: list[list[str]]) -> None:
    """ReportLab alone: one long table of the officers, one of the reasons (which wrap)."""
    from reportlab.lib.pagesizes import LETTER, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate

    font = REPO / "resources" / "fonts" / "DejaVuSans.ttf"
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(font)))
    style = ParagraphStyle("cell", fontName="DejaVuSans", fontSize=8, leading=10)
    grid = [("FONTNAME", (0, 0), (-1, -1), "DejaVuSans"), ("FONTSIZE", (0, 0), (-1, -1), 8)]
    width = len(table[0]) if table else 1
    story = [
        LongTable([["Badge", "Officer", "Unit / shift", *["Status"] * (width - 4), "Overall"],
                   *table], repeatRows=1, style=grid),
        LongTable(
            [["Badge", "Officer", "Requirement", "Explanation"],
             *[[*r[:3], Paragraph(r[3], style)] for r in reasons]],
            colWidths=[50, 120, 110, 430],
            repeatRows=1,
            style=grid,
        ),
    ]  # fmt: skip
    SimpleDocTemplate(str(path), pagesize=landscape(LETTER)).build(story)


def pdf(ctx: Context) -> list[Row]:
    """render_compliance() for N officers against bare ReportLab, then 10N against N."""
    small, big = ctx.plan.pdf_officers
    labels = (f"{PDF} ({small:,} officers)", f"{PDF_SCALING} ({big:,} vs {small:,} officers)")
    api = _reports_api()
    if isinstance(api, str):
        return [
            Row(labels[0], "s", Target("ratio", 1.5, "ratio <= 1.5"), status="not yet measurable",
                note=api),
            Row(labels[1], "s", Target("ratio", 10.0, "ratio <= 10"), status="not yet measurable",
                note=api),
        ]  # fmt: skip
    render_compliance, report_params = api
    paths = {n: ctx.database(generate.agency_size(n)) for n in (small, big)}
    now = datetime(2026, 11, 22, 9, 0)
    out = ctx.scratch / "compliance.pdf"

    def deesc_for(officers: int) -> Callable[[], float]:
        def once() -> float:
            db = _open(paths[officers])
            try:
                return timed(
                    lambda: render_compliance(db, report_params(as_of=TODAY), out, now=now)
                )
            finally:
                db.close()

        return once

    db = _open(paths[small])
    try:
        table, reasons = _bare_pdf_rows(db)
    finally:
        db.close()

    def baseline() -> float:
        return timed(lambda: bare_pdf(ctx.scratch / "bare.pdf", table, reasons))

    first = interleave(deesc_for(small), baseline, ctx.plan.repeat)
    note = (
        "deesc: the whole report from the database (compliance, summary, chart, table, "
        "reasons); baseline: the same table and reason rows, computed beforehand, as "
        "two ReportLab LongTables"
    )
    scaling = interleave(deesc_for(big), deesc_for(small), max(1, ctx.plan.repeat - 1))
    return [
        measured(labels[0], "s", Target("ratio", 1.5, "ratio <= 1.5"), first, note=note),
        measured(
            labels[1],
            "s",
            Target("ratio", 10.0, "ratio <= 10"),
            scaling,
            note=f"baseline column: the {small:,}-officer report",
        ),
    ]


# --- 6. the roster page --------------------------------------------------------------------------

ROSTER_OPEN = "roster page open"
ROSTER_KEY = "roster filter keystroke"
ROSTER_MEMORY = "roster peak memory"
WINDOW_MEMORY = "main window + roster: peak memory"


def roster(ctx: Context) -> list[Row]:
    """Open the roster page, type into its search box: each run in a process of its own."""
    from deesc_desktop.store.summary import forget_summary

    runs: dict[str, list[dict[str, Any]]] = {"deesc": [], "bare": []}
    # A copy: the roster keeps the compliance summary in the file it opens, and the cached
    # database must stay as generated for the figures after this one (its size among them).
    db = _copy(ctx.main_db, ctx.scratch / "roster.db")

    def run(app: str) -> Callable[[], float]:
        def once() -> float:
            result = _run_child(ctx, ["roster", "--app", app, "--db", str(db)], f"roster-{app}")
            runs[app].append(result)
            return float(result["open_s"])

        return once

    samples = interleave(run("deesc"), run("bare"), ctx.plan.gui_runs)
    key_deesc = [statistics.median(r["keystrokes_ms"]) for r in runs["deesc"]]
    key_bare = [statistics.median(r["keystrokes_ms"]) for r in runs["bare"]]
    worst = max(max(r["keystrokes_ms"]) for r in runs["deesc"])
    mem_deesc = [float(r["peak_mb"]) for r in runs["deesc"]]
    mem_bare = [float(r["peak_mb"]) for r in runs["bare"]]
    officers = runs["deesc"][0]["rows"]
    rows = [
        measured(
            ROSTER_OPEN,
            "s",
            Target("max", 1.0, "< 1 s"),
            samples,
            note=f"{officers:,} officers, {runs['deesc'][0]['how']}; baseline: bare QTableView "
            "+ QSortFilterProxyModel over the same SELECT",
        ),
        Row(
            ROSTER_KEY,
            "ms",
            Target("max", 100.0, "< 100 ms"),
            deesc=statistics.median(key_deesc),
            baseline=statistics.median(key_bare),
            ratio=pair_ratio(key_deesc, key_bare),
            note=f"median of 8 keystrokes per run (typing then erasing), worst {worst:.0f} ms; "
            "the search box's 150 ms typing pause is not counted",
            samples={"deesc": key_deesc, "baseline": key_bare},
        ),
        Row(
            ROSTER_MEMORY,
            "MB",
            Target("max", 500.0, "< 500 MB"),
            deesc=statistics.median(mem_deesc),
            baseline=statistics.median(mem_bare),
            ratio=pair_ratio(mem_deesc, mem_bare),
            note="peak resident memory (VmHWM) of the process that opened the page and filtered it",
            samples={"deesc": mem_deesc, "baseline": mem_bare},
        ),
    ]
    # Once, not interleaved: what a user's process holds when the app opens on this database,
    # on the first open of a day (nothing kept, so the department is evaluated once).
    database = _open(db)
    try:
        forget_summary(database)
    finally:
        database.close()
    try:
        whole = _run_child(
            ctx, ["roster", "--app", "deesc", "--window", "main", "--db", str(db)], "roster-main"
        )
    except RuntimeError as exc:
        rows.append(Row(WINDOW_MEMORY, "MB", Target("max", 500.0, "< 500 MB"), status="crashed",
                        note=str(exc)))  # fmt: skip
        return rows
    rows.append(
        Row(
            WINDOW_MEMORY,
            "MB",
            Target("max", 500.0, "< 500 MB"),
            deesc=float(whole["peak_mb"]),
            baseline=statistics.median(mem_bare),
            ratio=float(whole["peak_mb"]) / statistics.median(mem_bare),
            note=f"one run: the main window opened on this database, its first page's loads "
            f"finished after {whole['settled_s']:.1f} s, then the roster opened in "
            f"{whole['open_s']:.2f} s with keystrokes of median "
            f"{statistics.median(whole['keystrokes_ms']):.0f} ms",
            samples={"deesc": [float(whole["peak_mb"])]},
        )
    )
    return rows


# --- 6b. the first page on a large file ---------------------------------------------------------

FIRST_PAGE = "first page: compliance figures shown"
DRAWN = "first page: window drawn"
PAUSE = "first page: longest pause while loading"


def first_page(ctx: Context) -> list[Row]:
    """The main window opened on the database, from the process's start until the dashboard
    shows its compliance figures: with the summary the file keeps (warm), against nothing
    kept (cold: one department evaluation, then kept). Each run in a process of its own."""
    from deesc_desktop.store.summary import forget_summary

    db = _copy(ctx.main_db, ctx.scratch / "first-page.db")
    _byte_compile_package()  # the pages' modules are imported after the first paint
    runs: dict[str, list[dict[str, Any]]] = {"warm": [], "cold": []}

    def run(kind: str) -> Callable[[], float]:
        def once() -> float:
            if kind == "cold":
                database = _open(db)
                try:
                    forget_summary(database)
                finally:
                    database.close()
            result = _run_child(ctx, ["firstpage", "--app", "deesc", "--db", str(db)], kind)
            kept = result["first_current"] and result["evaluated"] == 0
            if kept != (kind == "warm"):
                raise RuntimeError(f"a {kind} run showed figures it should not have: {result}")
            runs[kind].append(result)
            return float(result["figures_at"]) - float(result["started_at"])

        return once

    # The cold run comes first (interleave starts with the baseline), so the warm one finds
    # the summary it kept.
    samples = interleave(run("warm"), run("cold"), ctx.plan.gui_runs)
    officers = runs["warm"][0]["officers"]
    in_process = statistics.median(r["figures_s"] for r in runs["warm"])
    cold_idle = statistics.median(r["idle_s"] for r in runs["cold"])
    note = (
        f"{officers:,} serving officers; process start to the dashboard's compliance figures "
        f"({in_process:.2f} s of it from opening the file, the rest Python and Qt starting); "
        f"baseline: nothing kept, so one department evaluation (all loads done "
        f"{cold_idle:.1f} s after opening the file)"
    )
    both = runs["warm"] + runs["cold"]
    painted = [float(r["painted_at"]) - float(r["started_at"]) for r in both]
    pauses = [float(r["longest_freeze_s"]) for r in both]
    over = sum(int(r["freezes_over_100ms"]) for r in both)
    return [
        measured(FIRST_PAGE, "s", Target("max", 3.0, "< 3 s"), samples, note=note),
        Row(
            DRAWN,
            "s",
            Target("max", 1.0, "< 1 s"),
            deesc=statistics.median(painted),
            note=f"process start to the main window's first paint, median of {len(both)} runs"
            f" (warm and cold; worst {max(painted):.2f} s)",
            samples={"deesc": painted},
        ),
        Row(
            PAUSE,
            "s",
            Target("max", 0.1, "< 0.1 s"),
            deesc=max(pauses),
            note="after the first paint, until every page was built and every load done: the "
            "longest the event loop did not turn (a click would have waited that long), worst "
            f"of {len(both)} runs; {over} pauses over 0.1 s in all",
            samples={"deesc": pauses},
        ),
    ]


# --- 7. size on disk ---------------------------------------------------------------------------

SIZE = "database size per 1M training records"


def size_on_disk(ctx: Context) -> list[Row]:
    """The file per million records, against the two tables' rows alone (dbstat)."""
    path = ctx.main_db
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        records = conn.execute("SELECT count(*) FROM training_records").fetchone()[0]
        try:
            rows_only = conn.execute(
                "SELECT sum(pgsize) FROM dbstat"
                " WHERE name IN ('training_records', 'training_topics')"
            ).fetchone()[0]
        except sqlite3.OperationalError:  # SQLite built without dbstat
            rows_only = None
    finally:
        conn.close()
    per_million = 1_000_000 / max(records, 1) / (1024 * 1024)
    file_bytes = path.stat().st_size
    note = (
        f"{file_bytes / 2**20:,.0f} MB file, {records:,} records; baseline: the pages of the "
        "training_records and training_topics tables, without their indexes"
    )
    if ctx.size.audited:
        note += "; this size has a full audit log, which dominates the file"
    return [
        Row(
            SIZE,
            "MB",
            Target("ratio", 2.5, "ratio <= 2.5") if ctx.size.audited else NO_TARGET,
            deesc=file_bytes * per_million,
            baseline=None if rows_only is None else rows_only * per_million,
            ratio=None if not rows_only else file_bytes / rows_only,
            note=note,
        )
    ]


# --- 8. checking the whole file -----------------------------------------------------------------

VERIFY = "deesc audit verify"
VERIFY_FLOOR = "verify floor: its queries alone"
CHECK = "deesc check"


def _bare_scan(conn: sqlite3.Connection, tables: list[str]) -> int:
    """Every row of `tables` read into Python: what any check of them must at least do."""
    count = 0
    for table in tables:
        for _ in conn.execute(f"SELECT * FROM [{table}]"):
            count += 1
    return count


_VERIFY_FILE_ROWS = 100_000


def verify(ctx: Context) -> list[Row]:
    """verify_audit() and check_database() on a fully audited file, against a bare read of the
    same tables (check's baseline adds SQLite's own integrity and foreign key checks)."""
    from deesc_desktop.services.imports import import_file
    from deesc_desktop.services.maintenance import check_database, verify_audit
    from deesc_desktop.store.reconcile import reconciled_tables

    rows = ctx.plan.verify_rows
    target = ctx.scratch / "verify.db"
    db = _open(_copy(ctx.small_db, target))
    try:
        badges = [b for (b,) in db.execute("SELECT badge FROM officers WHERE status = 'active'")]
        # In files of at most 100,000 rows, as an agency would send them, so that a
        # statewide count never holds millions of parsed rows at once.
        courses = 40 if rows <= _VERIFY_FILE_ROWS else 100
        for first in range(0, rows, _VERIFY_FILE_ROWS):
            count = min(_VERIFY_FILE_ROWS, rows - first)
            source = write_import_file(
                ctx.scratch / "verify.csv", badges, count, first=first, courses=courses
            )
            if not import_file(db, ADMIN, "training", source).ok:
                raise RuntimeError(f"the import of verify rows {first:,} on failed")
            if rows > _VERIFY_FILE_ROWS:
                ctx.log(f"   verify file: {first + count:,} of {rows:,} rows imported")
        tables = [*reconciled_tables(db), "training_topics", "claim_records", "audit_entries"]
        tables += ["audit_names"]
        records = db.execute("SELECT count(*) FROM training_records").fetchone()[0]
        entries = db.execute("SELECT count(*) FROM audit_entries").fetchone()[0]
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()

    def product(check: Callable[[Any], Any]) -> Callable[[], float]:
        def run() -> float:
            database = _open(target)
            try:
                seconds, report = _timed_result(lambda: check(database))
            finally:
                database.close()
            if not report.ok:  # type: ignore[attr-defined]
                raise RuntimeError(f"the audited file does not verify: {report}")
            return seconds

        return run

    def bare(with_sqlite_checks: bool) -> Callable[[], float]:
        def run() -> float:
            # Not read-only for check's: a read-only connection's integrity_check skips every
            # CHECK constraint (the money controls among them), which the app's does check.
            uri = f"file:{target}" if with_sqlite_checks else f"file:{target}?mode=ro"
            conn = sqlite3.connect(uri, uri=True)
            try:
                started = time.perf_counter()
                _bare_scan(conn, tables)
                if with_sqlite_checks:
                    conn.execute("PRAGMA integrity_check").fetchall()
                    conn.execute("PRAGMA foreign_key_check").fetchall()
                return time.perf_counter() - started
            finally:
                conn.close()

        return run

    note = (
        f"{records:,} training records ({rows:,} imported through the app), {entries:,} audit "
        f"entries; baseline: every row of the {len(tables)} tables read with sqlite3"
    )
    verify_samples = interleave(product(verify_audit), bare(False), ctx.plan.repeat)
    check_samples = interleave(product(check_database), bare(True), ctx.plan.repeat)
    database = _open(target)
    try:
        queries = _statements_of(database, lambda: verify_audit(database))
    finally:
        database.close()
    floor = interleave(lambda: _replay(target, queries), bare(False), ctx.plan.repeat)
    target_text = Target("ratio", 2.0, "ratio <= 2")
    return [
        measured(VERIFY, "s", target_text, verify_samples, note=note),
        measured(
            VERIFY_FLOOR,
            "s",
            NO_TARGET,
            floor,
            note=f"{FLOOR_NOTE}: the {len(queries):,} queries verify runs (the log with each "
            "entry's hashed text built by SQLite, the live rows), replayed with bare sqlite3, "
            "against verify's baseline",
        ),
        measured(
            CHECK,
            "s",
            target_text,
            check_samples,
            note=note + ", then PRAGMA integrity_check and foreign_key_check (read-write"
            " connection: read-only skips CHECK constraints)",
        ),
    ]


# --- the registry --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure of the issue: its name for --only, its measurement, the rows it prints."""

    name: str
    measure: Callable[[Context], list[Row]]
    labels: tuple[str, ...]
    units: tuple[str, ...]


FIGURES: tuple[Figure, ...] = (
    Figure("startup", startup, (STARTUP, STARTUP_FLOOR), ("s", "s")),
    Figure("compliance", compliance, (COMPLIANCE, COMPLIANCE_FLOOR), ("s", "s")),
    Figure("detail", detail, (DETAIL,), ("ms",)),
    Figure("import", import_rows, (IMPORT,), ("s",)),
    Figure("pdf", pdf, (PDF, PDF_SCALING), ("s", "s")),
    Figure(
        "roster",
        roster,
        (ROSTER_OPEN, ROSTER_KEY, ROSTER_MEMORY, WINDOW_MEMORY),
        ("s", "ms", "MB", "MB"),
    ),
    Figure("firstpage", first_page, (FIRST_PAGE, DRAWN, PAUSE), ("s", "s", "s")),
    Figure("size", size_on_disk, (SIZE,), ("MB",)),
    Figure("verify", verify, (VERIFY, VERIFY_FLOOR, CHECK), ("s", "s", "s")),
)


def run_figure(figure: Figure, ctx: Context) -> Iterator[Row]:
    """The figure's rows; a crash becomes rows saying so, with the traceback logged."""
    from bench.timing import LoadMeter

    try:
        with LoadMeter() as meter:
            rows = figure.measure(ctx)
    except Exception as exc:
        ctx.log(traceback.format_exc())
        for label, unit in zip(figure.labels, figure.units, strict=True):
            yield Row(label, unit, NO_TARGET, status="crashed", note=f"{type(exc).__name__}: {exc}")
        return
    for row in rows:
        row.load = meter.result
        yield row


@contextmanager
def scratch_folder(folder: Path) -> Iterator[Path]:
    """A temporary folder beside the cached databases (same disk), removed afterwards."""
    path = folder / f"run-{os.getpid()}"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
