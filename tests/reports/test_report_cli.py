"""`deesc report`: exit codes, the PDF it writes, and its --table-out CSV and XLSX files."""

from __future__ import annotations

import csv
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlite_utils import Database

from deesc_desktop.cli import main
from tests.reports.conftest import flat, pdf_text


def deesc(db: Path, *args: str) -> int:
    return main(["--db", str(db), "report", *args])


def test_compliance_pdf_and_csv(
    demo_path: Path, demo: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf, table = tmp_path / "c.pdf", tmp_path / "c.csv"
    code = deesc(
        demo_path,
        "compliance",
        "--as-of",
        "2026-11-22",
        "-o",
        str(pdf),
        "--table-out",
        str(table),
        "--confidential",
    )
    assert code == 0
    pages = pdf_text(pdf)
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert "As of November 22, 2026" in pages[0]
    assert "CONFIDENTIAL - personnel records" in pages[0]
    printed = capsys.readouterr().out
    assert f"({len(pages)} pages)" in printed
    with table.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    officers = demo.execute("SELECT count(*) FROM officers WHERE status != 'separated'")
    in_force = {row["requirement_id"] for row in rows}
    assert len(rows) == officers.fetchone()[0] * len(in_force)
    assert {"IL-inservice-30h", "MPD-deescalation-annual", "MPD-firearms-annual"} <= in_force
    assert len(in_force) == 15  # 13 Illinois requirements and the agency's 2
    assert any(row["officer"] == "Nguyễn, Minh" for row in rows)
    assert {row["status"] for row in rows} >= {"compliant", "non_compliant", "due_soon"}


def test_payments_table_amounts_add_up_to_the_grand_total(
    demo_path: Path, demo: Database, tmp_path: Path
) -> None:
    pdf, table = tmp_path / "p.pdf", tmp_path / "p.xlsx"
    code = deesc(
        demo_path,
        "payments",
        "--from",
        "2025-01-01",
        "--to",
        "2026-11-22",
        "-o",
        str(pdf),
        "--table-out",
        str(table),
    )
    assert code == 0
    sheet = load_workbook(table).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    header, rows = values[0], values[1:]
    amount = header.index("amount")
    total = sum(Decimal(str(row[amount])) for row in rows)
    cents = demo.execute(
        "SELECT (SELECT coalesce(sum(amount_cents), 0) FROM claims WHERE status = 'paid'"
        " AND paid_on BETWEEN '2025-01-01' AND '2026-11-22')"
        " + (SELECT coalesce(sum(amount_cents), 0) FROM claim_adjustments"
        " WHERE adjusted_on BETWEEN '2025-01-01' AND '2026-11-22' AND status = 'counted')"
    ).fetchone()[0]
    assert total == Decimal(cents) / 100
    grand = f"${cents // 100:,}.{cents % 100:02d}"
    assert f"Grand total paid 2025-01-01 to 2026-11-22: {grand}" in flat(" ".join(pdf_text(pdf)))


def test_transcript_table_only(demo_path: Path, demo: Database, tmp_path: Path) -> None:
    badge = demo.execute("SELECT badge FROM officers WHERE last_name = 'Peña'").fetchone()[0]
    table = tmp_path / "t.csv"
    assert deesc(demo_path, "transcript", "--badge", badge, "--table-out", str(table)) == 0
    with table.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    count = demo.execute(
        "SELECT count(*) FROM training_records r JOIN officers o ON o.id = r.officer_id"
        " WHERE o.badge = ? AND r.completed <= date('now')",
        [badge],
    ).fetchone()[0]
    assert len(rows) == count > 0
    assert {row["officer"] for row in rows} == {"Peña, Ana"}


def test_grant_without_names_and_certificate(
    demo_path: Path, demo: Database, tmp_path: Path
) -> None:
    grant = tmp_path / "g.pdf"
    code = deesc(
        demo_path,
        "grant",
        "--grant",
        "ledta",
        "--from",
        "2025-10-01",
        "--to",
        "2026-09-30",
        "--no-names",
        "--signer",
        "Chief of Police",
        "-o",
        str(grant),
    )
    assert code == 0
    text = flat(" ".join(pdf_text(grant)))
    assert "Officer 001" in text
    assert "Peña" not in text
    record = demo.execute("SELECT min(id) FROM training_records").fetchone()[0]
    cert = tmp_path / "cert.pdf"
    assert deesc(demo_path, "certificate", "--record", str(record), "-o", str(cert)) == 0
    assert len(pdf_text(cert)) == 1


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["transcript", "-o", "x.pdf"], 1, "officer badge is required"),
        (["transcript", "--badge", "00000", "-o", "x.pdf"], 1, 'no officer with badge "00000"'),
        (["certificate", "--record", "999999", "-o", "x.pdf"], 1, "no training record #999999"),
        (["payments", "--from", "2026-02-01", "--to", "2026-01-01", "-o", "x.pdf"], 1, "ends"),
        (["compliance", "--badge", "1001", "-o", "x.pdf"], 2, "--badge does not apply"),
        (["cit"], 2, "say where to write it"),
        (["payments", "-o", "x.pdf", "--table-out", "x.txt"], 1, "written as .csv or .xlsx"),
    ],
)
def test_refusals_and_their_exit_codes(
    demo_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    code: int,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert deesc(demo_path, *args) == code
    assert message in capsys.readouterr().err
    if code == 2:
        assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(
    "args", [["roster", "-o", "x.pdf"], ["compliance", "--as-of", "31/31/2026"]]
)
def test_usage_errors_exit_2(demo_path: Path, args: list[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        deesc(demo_path, *args)
    assert stopped.value.code == 2


def test_no_database_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert deesc(tmp_path / "none.db", "compliance", "-o", str(tmp_path / "c.pdf")) == 1
    assert "There is no database" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["compliance", "cit", "transcript", "payments", "grant"])
def test_generated_at_gives_the_same_bytes_from_a_copy_of_the_same_data(
    demo_path: Path, tmp_path: Path, kind: str
) -> None:
    copy = tmp_path / "copy.db"
    with sqlite3.connect(demo_path) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    extra = ["--badge", "1036"] if kind == "transcript" else []
    pinned = ["--generated-at", "2026-11-22T09:30:00", *extra]
    first, second, later = tmp_path / "a.pdf", tmp_path / "b.pdf", tmp_path / "c.pdf"
    assert deesc(demo_path, kind, *pinned, "-o", str(first)) == 0
    assert deesc(copy, kind, *pinned, "-o", str(second)) == 0
    assert first.read_bytes() == second.read_bytes()
    reader = PdfReader(str(first))
    assert reader.metadata is not None
    assert str(reader.metadata["/CreationDate"]).startswith("D:20261122093000")
    assert "Generated 2026-11-22 09:30" in pdf_text(first)[0]
    assert (
        deesc(demo_path, kind, *extra, "--generated-at", "2026-11-22T09:31", "-o", str(later)) == 0
    )
    assert later.read_bytes() != first.read_bytes()


def test_source_date_epoch_pins_the_time_and_the_document_id(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chicago: None
) -> None:
    epoch = 1795339800  # 2026-11-22 09:30:00 UTC, 03:30 in Illinois
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert deesc(demo_path, "cit", "-o", str(first)) == 0
    assert deesc(demo_path, "cit", "-o", str(second)) == 0
    assert first.read_bytes() == second.read_bytes()
    ids = [PdfReader(str(p)).trailer["/ID"] for p in (first, second)]
    assert ids[0] == ids[1]
    assert "Generated 2026-11-22 03:30 CST" in pdf_text(first)[0]
    pinned = tmp_path / "pinned.pdf"
    assert (
        deesc(demo_path, "cit", "--generated-at", "2026-11-22T10:30+01:00", "-o", str(pinned)) == 0
    )
    assert pinned.read_bytes() == first.read_bytes()  # the same moment, printed in local time


def test_a_bad_generation_time_is_refused(
    demo_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "x.pdf"
    with pytest.raises(SystemExit) as usage:
        deesc(demo_path, "cit", "--generated-at", "yesterday", "-o", str(out))
    assert usage.value.code == 2
    assert '"yesterday" is not a date and time' in capsys.readouterr().err
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    assert deesc(demo_path, "cit", "-o", str(out)) == 1
    assert 'SOURCE_DATE_EPOCH="soon"' in capsys.readouterr().err
    assert not out.exists()


def test_the_signer_can_be_given_remembered_and_the_preparer_is_the_signed_in_user(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    signer = ["--signer", "Dale Cooper", "--signer-title", "Sheriff"]
    assert deesc(demo_path, "cit", *signer, "--remember-signer", "-o", str(first)) == 0
    try:
        assert deesc(demo_path, "cit", "-o", str(second)) == 0
        text = flat(pdf_text(second)[-1])
        assert "Dale Cooper, Sheriff" in text
        assert "Prepared by Demo Administrator (demo-admin)" in text
        compliance = tmp_path / "c.pdf"
        assert deesc(demo_path, "compliance", "-o", str(compliance)) == 0
        assert "Ana Peña, Chief of Police" in flat(pdf_text(compliance)[-1])
    finally:
        clear = ["--signer", "", "--signer-title", "", "--remember-signer"]
        assert deesc(demo_path, "cit", *clear, "-o", str(first), "--force") == 0
    assert "Ana Peña, Chief of Police" in flat(pdf_text(first)[-1])
    capsys.readouterr()
    assert deesc(demo_path, "cit", "--remember-signer", "-o", str(first)) == 2
    assert "--remember-signer saves the --signer" in capsys.readouterr().err


def test_bonus_claims_total_each_status_apart_in_labelled_local_time(
    demo_path: Path, demo: Database, capsys: pytest.CaptureFixture[str], chicago: None
) -> None:
    assert main(["--db", str(demo_path), "bonus", "claims"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "approved 2026-02-20 09:00 CST by chief.pena" in out
    counts = dict(demo.execute("SELECT status, count(*) FROM claims GROUP BY status").fetchall())
    paid_net = demo.execute(
        "SELECT sum(c.amount_cents) + coalesce((SELECT sum(a.amount_cents) FROM"
        " claim_adjustments a JOIN claims p ON p.id = a.claim_id WHERE p.status = 'paid'"
        " AND a.status = 'counted'), 0) FROM claims c WHERE c.status = 'paid'"
    ).fetchone()[0]
    denied = demo.execute(
        "SELECT sum(amount_cents) FROM claims WHERE status = 'denied'"
    ).fetchone()[0]
    total = lines[-2]
    assert total.startswith(f"{sum(counts.values())} claim(s): ")
    assert f"{counts['paid']} paid ${paid_net // 100:,}.{paid_net % 100:02d}" in total
    assert f"{counts['denied']} denied ${denied // 100:,}.{denied % 100:02d}" in total
    assert lines[-1] == "Only paid claims are money paid out; the others are not added to them."
