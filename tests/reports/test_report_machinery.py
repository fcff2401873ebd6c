"""Shared machinery: the registry, parameters, paged tables, escaping, empty reports, threads."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import LETTER
from reportlab.platypus import Paragraph, SimpleDocTemplate
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.reports import (
    PARAM_LABELS,
    REPORTS,
    ReportParams,
    export_table,
    render,
    render_certificate,
    render_cit,
    render_compliance,
    render_due,
    render_due_list,
    render_grant,
    render_notice,
    render_payments,
    render_public_summary,
    render_transcript,
)
from deesc_desktop.reports.base.fonts import register_fonts
from deesc_desktop.reports.base.styles import Styles
from deesc_desktop.reports.base.tables import PagedTable
from deesc_desktop.services.errors import NotFoundError, ValidationError
from deesc_desktop.services.officers import add_officer
from deesc_desktop.services.training import Attendee, record_class
from deesc_desktop.store import open_database
from tests.reports.conftest import FIXED_NOW, flat, pdf_text


def test_the_registry_lists_every_report_with_what_it_takes() -> None:
    assert list(REPORTS) == [
        "compliance",
        "due",
        "notice",
        "transcript",
        "cit",
        "payments",
        "voucher",
        "grant",
        "certificate",
        "public-summary",
        "due-list",
    ]
    fields = {f.name for f in dataclasses.fields(ReportParams)}
    for kind, info in REPORTS.items():
        assert info.kind == kind
        assert info.title and len(info.description) > 40
        assert set(info.params) <= fields
        assert set(info.required) <= set(info.params)
        assert all(name in PARAM_LABELS for name in info.params)
    assert REPORTS["transcript"].required == ("badge",)
    assert REPORTS["certificate"].required == ("record_id",)
    assert "include_names" in REPORTS["grant"].params
    assert REPORTS["compliance"].landscape and not REPORTS["transcript"].landscape


def test_each_kind_has_a_render_function_that_writes_that_report(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    officer = add_officer(
        db,
        admin,
        {"badge": "12", "last_name": "Łukasz", "first_name": "Nowak", "hire_date": "2015-01-01"},
    )
    (record,) = record_class(
        db,
        admin,
        {"course": "ICAT", "completed": "2026-03-01", "hours": 8, "topics": "de_escalation"},
        [Attendee(officer)],
    )
    functions = {
        "compliance": (render_compliance, ReportParams()),
        "due": (render_due, ReportParams(days=30)),
        "notice": (render_notice, ReportParams(days=30)),
        "transcript": (render_transcript, ReportParams(badge="12")),
        "cit": (render_cit, ReportParams()),
        "payments": (render_payments, ReportParams()),
        "grant": (render_grant, ReportParams(grant="jag")),
        "certificate": (render_certificate, ReportParams(record_id=record)),
        "public-summary": (render_public_summary, ReportParams()),
        "due-list": (render_due_list, ReportParams()),
    }
    assert set(functions) == set(REPORTS) - {"voucher"}  # no batch here: see test_signatures
    titles = {"grant": "Byrne JAG de-escalation training report"}
    for kind, (function, params) in functions.items():
        path = function(db, params, tmp_path / f"{kind}.pdf", now=FIXED_NOW)
        assert path == tmp_path / f"{kind}.pdf"
        info = PdfReader(str(path)).metadata
        assert info is not None and info.title is not None
        assert info.title.startswith(titles.get(kind, REPORTS[kind].title))


@pytest.mark.parametrize(
    ("kind", "params", "error", "words"),
    [
        ("transcript", ReportParams(), ValidationError, "officer badge is required"),
        ("certificate", ReportParams(), ValidationError, "training record number is required"),
        (
            "transcript",
            ReportParams(badge="nobody"),
            NotFoundError,
            'no officer with badge "nobody"',
        ),
        (
            "certificate",
            ReportParams(record_id=424242),
            NotFoundError,
            "no training record #424242",
        ),
        (
            "payments",
            ReportParams(start=date(2026, 2, 1), end=date(2026, 1, 1)),
            ValidationError,
            "ends (2026-01-01) before it starts (2026-02-01)",
        ),
        ("grant", ReportParams(grant="fema"), ValidationError, '"fema" is not one of'),
        ("roster", ReportParams(), ValidationError, '"roster" is not a report'),
    ],
)
def test_bad_parameters_are_refused_with_a_message(
    db: Database,
    tmp_path: Path,
    kind: str,
    params: ReportParams,
    error: type[Exception],
    words: str,
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(error) as caught:
        render(kind, db, params, folder / "refused.pdf", now=FIXED_NOW)
    assert words in str(caught.value)
    assert list(folder.iterdir()) == []  # no file, not even a half-written one


@pytest.mark.parametrize(
    ("kind", "params", "words"),
    [
        ("compliance", ReportParams(), "No officers match: nobody on the roster was serving on"),
        ("cit", ReportParams(), "No officers match: there are no active officers in the Patrol"),
        ("payments", ReportParams(), "No claims were paid between"),
        ("grant", ReportParams(), "No officers match: no training was completed between"),
    ],
)
def test_a_report_with_no_rows_says_so_in_words(
    db: Database, tmp_path: Path, kind: str, params: ReportParams, words: str
) -> None:
    pages = pdf_text(render(kind, db, params, tmp_path / f"{kind}.pdf", now=FIXED_NOW))
    text = flat(" ".join(pages))
    assert words in text
    assert "Test Police Department" in pages[0]
    assert f"Page 1 of {len(pages)}" in pages[0]


def test_user_text_is_printed_as_written_never_as_markup(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    officer = add_officer(
        db,
        admin,
        {
            "badge": "7<1>",
            "last_name": "<b>O'Neil & Sons</b>",
            "first_name": "Zoë <br/>",
            "hire_date": "2015-01-01",
        },
    )
    record_class(
        db,
        admin,
        {
            "course": "Tactics <i>& Talk</i>",
            "completed": "2026-03-01",
            "hours": 4,
            "topics": "de_escalation",
            "instructor": "Sgt. <font size=40>Big</font>",
        },
        [Attendee(officer)],
    )
    path = render("transcript", db, ReportParams(badge="7<1>"), tmp_path / "t.pdf", now=FIXED_NOW)
    text = flat(" ".join(pdf_text(path)))
    assert "<b>O'Neil & Sons</b>, Zoë <br/>" in text
    assert "Tactics <i>& Talk</i>" in text
    # A narrow column may wrap the words; what matters is that they print as typed.
    assert "Sgt.<fontsize=40>Big</font>" in text.replace(" ", "")


def test_confidential_marking_only_when_asked(db: Database, tmp_path: Path) -> None:
    plain = pdf_text(render("compliance", db, ReportParams(), tmp_path / "a.pdf", now=FIXED_NOW))
    marked = pdf_text(
        render(
            "compliance",
            db,
            ReportParams(confidential=True),
            tmp_path / "b.pdf",
            now=FIXED_NOW,
        )
    )
    assert not any("CONFIDENTIAL" in page for page in plain)
    assert all("CONFIDENTIAL - personnel records" in page for page in marked)


def test_signer_given_is_printed_under_the_signature_line(db: Database, tmp_path: Path) -> None:
    params = ReportParams(signer="Chief Mary O'Hara")
    text = pdf_text(render("compliance", db, params, tmp_path / "s.pdf", now=FIXED_NOW))[-1]
    assert "Chief Mary O'Hara" in text
    assert "Signature of attesting official" in text


def _paged(tmp_path: Path, rows: int, **options: object) -> list[str]:
    register_fonts()
    styles = Styles()
    data = [
        [f"{n:04d}", Paragraph(f"row {n} " + "word " * (n % 7) * 6, styles.cell)]
        for n in range(rows)
    ]
    table = PagedTable(
        ["Number", "Text"],
        data,
        [0.2, 0.8],
        title=[Paragraph("Long table", styles.h1)],
        **options,  # type: ignore[arg-type]
    )
    path = tmp_path / "paged.pdf"
    SimpleDocTemplate(str(path), pagesize=LETTER).build([table])
    return pdf_text(path)


def test_a_paged_table_keeps_every_row_in_order_with_one_header_per_page(
    tmp_path: Path,
) -> None:
    pages = _paged(tmp_path, 400, total=["Total", "400 rows"])
    assert len(pages) > 5
    text = flat(" ".join(pages))
    positions = [text.index(f"{n:04d} row {n} ") for n in range(400)]
    assert positions == sorted(positions)
    for number, page in enumerate(pages):
        assert flat(page).count("Number Text") == 1
        if number:
            assert "Long table (continued)" in page
    assert "Total 400 rows" in flat(pages[-1])
    assert pages[0].index("Long table") < pages[0].index("Number")


def test_a_paged_table_never_leaves_its_total_alone_on_a_page(tmp_path: Path) -> None:
    for rows in range(38, 60):
        pages = _paged(tmp_path, rows, total=["Total", f"{rows} rows"])
        assert "row" in flat(pages[-1]).replace(f"{rows} rows", "")


def test_an_empty_paged_table_prints_its_message(tmp_path: Path) -> None:
    register_fonts()
    styles = Styles()
    table = PagedTable(
        ["Column heading"],
        [],
        [1.0],
        title=[Paragraph("Nothing here", styles.h1)],
        empty=Paragraph("No officers match the filter.", styles.empty),
    )
    path = tmp_path / "empty.pdf"
    SimpleDocTemplate(str(path)).build([table])
    (page,) = pdf_text(path)
    assert "Nothing here" in page
    assert "No officers match the filter." in page
    assert "Column heading" not in page


def test_column_fractions_must_add_up_to_the_whole() -> None:
    with pytest.raises(ValueError, match="add up to"):
        PagedTable(["A", "B"], [], [0.5, 0.4])


def test_a_worker_thread_renders_with_its_own_connection(
    db_path: Path, db: Database, admin: Actor, tmp_path: Path
) -> None:
    add_officer(
        db,
        admin,
        {"badge": "1", "last_name": "Nguyễn", "first_name": "Minh", "hire_date": "2015-01-01"},
    )
    results: dict[str, object] = {}

    def work() -> None:
        own = open_database(db_path)
        try:
            results["path"] = render_compliance(own, ReportParams(), tmp_path / "thread.pdf")
        except Exception as exc:  # reported to the test below
            results["error"] = exc
        finally:
            own.close()

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(60)
    assert "error" not in results
    assert "Nguyễn, Minh" in flat(" ".join(pdf_text(Path(str(results["path"])))))


def test_export_table_writes_the_main_table(db: Database, admin: Actor, tmp_path: Path) -> None:
    add_officer(
        db,
        admin,
        {"badge": "9", "last_name": "Peña", "first_name": "Ana", "hire_date": "2015-01-01"},
    )
    count = export_table(
        "compliance", db, ReportParams(as_of=date(2026, 11, 22)), tmp_path / "c.csv"
    )
    lines = (tmp_path / "c.csv").read_text(encoding="utf-8-sig").splitlines()
    assert count == len(lines) - 1 > 0
    assert lines[0].startswith("badge,officer,requirement_id,requirement,status")
    assert all(line.startswith('9,"Peña, Ana",') for line in lines[1:])


def test_the_reports_package_loads_no_qt() -> None:
    code = (
        "import sys, deesc_desktop.reports, deesc_desktop.cli.reports\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.stdout.strip() == "[]"
