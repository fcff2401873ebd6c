"""Each report rendered from the demo agency and read back: the figures match the database."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlite_utils import Database

from deesc_desktop.core.compliance import Status
from deesc_desktop.core.money import format_money
from deesc_desktop.core.rules import short_title
from deesc_desktop.reports import REPORTS, ReportParams, render
from deesc_desktop.services.cit import cit_report
from deesc_desktop.services.compliance import department_compliance
from tests.reports.conftest import DEMO_TODAY, FIXED_NOW, flat, pdf_text

FY_START = date(2026, 7, 1)
"""The demo agency's fiscal year starts in July: the payment register's default period."""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdfs")


def make(kind: str, db: Database, params: ReportParams, folder: Path, name: str = "") -> Path:
    return render(kind, db, params, folder / f"{name or kind}.pdf", now=FIXED_NOW)


def badge_of(db: Database, last_name: str) -> str:
    return str(
        db.execute("SELECT badge FROM officers WHERE last_name = ?", [last_name]).fetchone()[0]
    )


def assert_numbered(pages: list[str]) -> None:
    """Every page says "Page X of Y" with the right X and Y."""
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text


# --- department compliance ------------------------------------------------------------------


@pytest.fixture(scope="module")
def compliance_pdf(demo: Database, out: Path) -> list[str]:
    path = make("compliance", demo, ReportParams(as_of=DEMO_TODAY, confidential=True), out)
    return pdf_text(path)


def test_compliance_lists_every_serving_officer_once_in_the_table(
    demo: Database, compliance_pdf: list[str]
) -> None:
    text = flat(" ".join(compliance_pdf))
    people = department_compliance(demo, DEMO_TODAY)
    assert len(people) == 39  # the demo's 40 officers less the one who retired
    for person in people:
        assert f"{person.officer.badge} {person.officer.display_name}" in text
    separated = demo.execute(
        "SELECT last_name || ', ' || first_name FROM officers WHERE status = 'separated'"
    ).fetchone()[0]
    assert separated not in text


def test_compliance_summary_counts_match_the_engine(
    demo: Database, compliance_pdf: list[str]
) -> None:
    first = flat(compliance_pdf[0])
    summary = flat(" ".join(compliance_pdf[:3]))
    people = department_compliance(demo, DEMO_TODAY)
    overall = Counter(person.worst for person in people)
    assert f"{len(people)} serving officers" in first
    for status in (Status.NON_COMPLIANT, Status.DUE_SOON, Status.IN_PROGRESS, Status.COMPLIANT):
        share = f"{100 * overall[status] / len(people):.1f}%"
        assert f"{status.label} {overall[status]} {share}" in first
    # Officers by requirement: each requirement's non-compliant count is in its row.
    for requirement in ("IL-inservice-30h", "MPD-deescalation-annual"):
        counts = Counter(
            r.status for p in people for r in p.results if r.requirement_id == requirement
        )
        assert counts[Status.NON_COMPLIANT] > 0
        assert f"{requirement} " in summary
    assert "MPD-firearms-annual " in summary
    assert "Compliance by requirement" in summary  # the chart's caption, drawn as text
    # What the Illinois pack does not check is printed for the chief who signs.
    assert "Illinois rules 2026.2: Partial: does not check how long each mandated" in first
    assert "Rules verified 2026-12-04." in first


def test_the_compliance_chart_names_each_requirement(compliance_pdf: list[str]) -> None:
    (chart,) = [
        flat(page).partition("Compliance by requirement ")[2]
        for page in compliance_pdf
        if "Compliance by requirement " in flat(page)
        and "Officers (not applicable left out)" in flat(page)
    ]
    for name in ("In-service training", "Crisis intervention", "Annual firearms qualification"):
        assert name in chart
    assert "IL-" not in chart and "MPD-" not in chart


def test_the_compliance_chart_shares_the_page_where_the_requirements_table_ends(
    compliance_pdf: list[str],
) -> None:
    # The demo's 15 requirements run the table onto page 2. Kept whole, the chart went to a
    # page of its own and left the table's last 4 rows alone on page 2.
    ends = [i for i, page in enumerate(compliance_pdf) if "MPD-firearms-annual" in page]
    chart = [i for i, page in enumerate(compliance_pdf) if "Compliance by requirement" in page]
    assert ends[0] == 1
    assert chart == [1]
    page = flat(compliance_pdf[1])
    assert page.index("MPD-firearms-annual") < page.index("Compliance by requirement")
    assert "Officers (not applicable left out)" in page


def test_compliance_explains_every_requirement_not_met(
    demo: Database, compliance_pdf: list[str]
) -> None:
    text = flat(" ".join(compliance_pdf))
    shown = 0
    for person in department_compliance(demo, DEMO_TODAY):
        for result in person.results:
            if result.status in (Status.NON_COMPLIANT, Status.DUE_SOON):
                assert flat(" ".join(result.explanation_lines)) in text
                shown += 1
            if result.status in (Status.NON_COMPLIANT, Status.DUE_SOON, Status.IN_PROGRESS):
                # The officer table says what is outstanding and why, in a few words.
                assert flat(f"{short_title(result.requirement_title)}: {result.reason}") in text
    assert shown > 20


def test_the_reasons_name_each_requirement_by_its_title_not_its_code(
    compliance_pdf: list[str],
) -> None:
    """A chief reads "Emergency medical response", not "IL-emergency-medical-annual"."""
    text = flat(" ".join(compliance_pdf))
    reasons = text.split("Requirements not met: the reasons", 1)[1]
    assert "Emergency medical response" in reasons
    assert "IL-emergency-medical-annual" not in reasons


def test_compliance_pages_are_numbered_marked_and_unicode_names_survive(
    compliance_pdf: list[str],
) -> None:
    assert 3 <= len(compliance_pdf) <= 20
    assert_numbered(compliance_pdf)
    assert all("CONFIDENTIAL - personnel records" in page for page in compliance_pdf)
    text = flat(" ".join(compliance_pdf))
    for name in ("Peña, Ana", "Nguyễn, Minh", "Kowalski, Łukasz", "Dąbrowski, Zofia"):
        assert name in text
    assert "Millbrook Police Department" in compliance_pdf[0]
    assert "Ana Peña, Chief of Police" in compliance_pdf[-1]  # the signature block


def test_text_comes_out_in_reading_order(compliance_pdf: list[str]) -> None:
    page = compliance_pdf[0]
    words = [
        "Millbrook Police Department",
        "Department compliance",
        "As of November 22, 2026",
        "Summary",
        "Illinois rules",
        "Officers by overall status",
        "Officers by requirement",  # starts under the summary: page 1 is not left half empty
        "IL-inservice-30h",
        "Page 1 of",
    ]
    positions = [page.index(word) for word in words]
    assert positions == sorted(positions)
    # The rows that do not fit go on under the header row, repeated.
    rest = flat(compliance_pdf[1])
    assert "Officers by requirement" not in rest
    assert rest.index("Requirement Title Non-compliant") < rest.index("MPD-firearms-annual")
    assert "MPD-firearms-annual" not in compliance_pdf[0]
    table = flat(next(page for page in compliance_pdf if "Unit / shift" in page))
    assert table.index("Badge Officer Unit / shift Overall Met") < table.index("Adeyemi, Tunde")


def test_compliance_header_row_repeats_on_each_page_of_the_table(
    compliance_pdf: list[str],
) -> None:
    table_pages = [flat(p) for p in compliance_pdf if "Unit / shift" in p]
    assert len(table_pages) >= 2
    for page in table_pages:
        assert page.count("Badge Officer Unit / shift") == 1
    assert "Officers and requirements (continued)" in table_pages[1]


def test_pdf_metadata_names_the_report_and_the_agency(demo: Database, out: Path) -> None:
    path = make("cit", demo, ReportParams(as_of=DEMO_TODAY), out, "meta")
    info = PdfReader(str(path)).metadata
    assert info is not None
    assert info.title == "CIT roster and coverage - Millbrook Police Department"
    assert info.author == "Millbrook Police Department"
    assert info.subject == "CIT roster and coverage, As of November 22, 2026"
    assert info.creation_date is not None
    assert info.creation_date.replace(tzinfo=None) == FIXED_NOW


def test_the_font_is_embedded_dejavu(demo: Database, out: Path) -> None:
    path = make("cit", demo, ReportParams(as_of=DEMO_TODAY), out, "fonts")
    fonts = set()
    for page in PdfReader(str(path)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts
    assert all("DejaVuSans" in name for name in fonts)


# --- transcript -----------------------------------------------------------------------------


def test_transcript_lists_every_record_of_the_period_with_its_total(
    demo: Database, out: Path
) -> None:
    badge = badge_of(demo, "Nguyễn")
    params = ReportParams(badge=badge, start=date(2024, 1, 1), end=DEMO_TODAY)
    pages = pdf_text(make("transcript", demo, params, out))
    text = flat(" ".join(pages))
    rows = demo.execute(
        "SELECT r.completed, r.hours FROM training_records r JOIN officers o"
        " ON o.id = r.officer_id WHERE o.badge = ? AND r.completed BETWEEN ? AND ?"
        " ORDER BY r.completed",
        [badge, "2024-01-01", DEMO_TODAY.isoformat()],
    ).fetchall()
    assert len(rows) > 10
    for completed, _ in rows:
        assert completed in text
    total = sum(hours for _, hours in rows)
    assert f"Total {len(rows)} records {total:.1f}" in text
    assert f"Training records ({len(rows)})" in text
    assert "Nguyễn, Minh" in text
    assert "Training from January 1, 2024 to November 22, 2026" in pages[0]
    # Older records fall outside the period.
    before = demo.execute(
        "SELECT count(*) FROM training_records r JOIN officers o ON o.id = r.officer_id"
        " WHERE o.badge = ? AND r.completed < '2024-01-01'",
        [badge],
    ).fetchone()[0]
    assert before > 0
    assert "2023-" not in " ".join(p for p in pages)
    assert_numbered(pages)


def test_transcript_shows_cit_status_and_leave(demo: Database, out: Path) -> None:
    report = cit_report(demo, DEMO_TODAY)
    certified = next(row for row in report.roster if row.standing.status.held)
    badge = certified.officer.badge
    pages = pdf_text(make("transcript", demo, ReportParams(badge=badge), out, "cit-officer"))
    text = flat(" ".join(pages))
    assert "Crisis Intervention Team (CIT)" in text
    assert f"Current on {DEMO_TODAY.isoformat()}" in text
    # The demo agency sets no validity (the default): certificates do not expire.
    assert certified.standing.expires is None
    assert "no expiry (agency policy)" in text
    on_leave = demo.execute(
        "SELECT o.badge, e.reason FROM exemptions e JOIN officers o ON o.id = e.officer_id"
        " ORDER BY e.id LIMIT 1"
    ).fetchone()
    leave_text = flat(
        " ".join(pdf_text(make("transcript", demo, ReportParams(badge=on_leave[0]), out, "lv")))
    )
    assert on_leave[1] in leave_text


def test_transcript_with_no_records_in_the_period_says_so(demo: Database, out: Path) -> None:
    params = ReportParams(
        badge=badge_of(demo, "Peña"), start=date(2001, 1, 1), end=date(2001, 12, 31)
    )
    text = flat(" ".join(pdf_text(make("transcript", demo, params, out, "empty-transcript"))))
    assert "No training records for Peña, Ana in the period" in text
    assert "Total" not in text.split("Hours by topic")[0]


# --- CIT --------------------------------------------------------------------------------------


def test_cit_report_has_every_certified_officer_and_the_coverage_figures(
    demo: Database, out: Path
) -> None:
    pages = pdf_text(make("cit", demo, ReportParams(as_of=DEMO_TODAY), out))
    text = flat(" ".join(pages))
    report = cit_report(demo, DEMO_TODAY)
    assert report.roster
    for row in report.roster:
        assert f"{row.officer.badge} {row.officer.display_name}" in text
    cover = report.coverage
    assert f"{cover.certified} of {cover.officers} active officers" in text
    assert f"{cover.percent}% against a target of {cover.target_percent}%" in text
    for shift in cover.shifts:
        assert f"{shift.shift} {shift.officers} {shift.certified} {shift.percent}%" in text
    assert f"CIT roster ({len(report.roster)})" in text
    assert "Patrol officers and CIT coverage by shift" in text  # chart caption
    assert_numbered(pages)


# --- payment register -----------------------------------------------------------------------


def paid_between(db: Database, start: str, end: str) -> tuple[int, int, int]:
    """(paid claims, their cents, adjustment cents) in the period, straight from the tables."""
    claims, cents = db.execute(
        "SELECT count(*), coalesce(sum(amount_cents), 0) FROM claims"
        " WHERE status = 'paid' AND paid_on BETWEEN ? AND ?",
        [start, end],
    ).fetchone()
    adjusted = db.execute(
        "SELECT coalesce(sum(amount_cents), 0) FROM claim_adjustments"
        " WHERE adjusted_on BETWEEN ? AND ? AND status = 'counted'",
        [start, end],
    ).fetchone()[0]
    return claims, cents, adjusted


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2026, 1, 1), DEMO_TODAY), (None, None), (date(2025, 7, 1), date(2026, 6, 30))],
)
def test_payment_register_total_is_the_sum_of_paid_claims_to_the_cent(
    demo: Database, out: Path, start: date | None, end: date | None
) -> None:
    params = ReportParams(start=start, end=end)
    pages = pdf_text(make("payments", demo, params, out, f"pay-{start}"))
    text = flat(" ".join(pages))
    first, last = (start or FY_START).isoformat(), (end or FIXED_NOW.date()).isoformat()
    claims, cents, adjusted = paid_between(demo, first, last)
    assert claims > 0
    assert f"Total paid claims {format_money(cents)}" in text
    assert f"Grand total paid {first} to {last}: {format_money(cents + adjusted)}" in text
    assert f"Payments ({claims})" in text
    for name, paid_on in demo.execute(
        "SELECT o.last_name || ', ' || o.first_name, c.paid_on FROM claims c"
        " JOIN officers o ON o.id = c.officer_id WHERE c.status = 'paid'"
        " AND c.paid_on BETWEEN ? AND ?",
        [first, last],
    ):
        assert name in text
        assert paid_on in text
    assert_numbered(pages)


def test_payment_register_shows_who_approved_each_claim(demo: Database, out: Path) -> None:
    # The fixture's approvals carry the clock's time, not the demo's date: end the period today.
    params = ReportParams(start=date(2025, 1, 1), end=max(DEMO_TODAY, date.today()))
    text = flat(" ".join(pdf_text(make("payments", demo, params, out, "approvals"))))
    approvals = demo.execute(
        "SELECT id, approved_by, approved_at FROM claims WHERE approved_at IS NOT NULL"
    ).fetchall()
    assert approvals
    assert f"Approvals in the period ({len(approvals)})" in text
    for _, approved_by, approved_at in approvals:
        assert f"{approved_by} {approved_at[:10]} {approved_at[11:16]}" in text
    denied = demo.execute("SELECT denied_reason FROM claims WHERE status = 'denied'").fetchall()
    for (reason,) in denied:
        assert flat(reason) in text


def test_payment_register_with_nothing_paid_says_so(demo: Database, out: Path) -> None:
    params = ReportParams(start=date(2010, 1, 1), end=date(2010, 12, 31))
    text = flat(" ".join(pdf_text(make("payments", demo, params, out, "pay-empty"))))
    assert "No claims were paid between 2010-01-01 and 2010-12-31." in text
    assert "Grand total paid 2010-01-01 to 2010-12-31: $0.00" in text


# --- grant report ---------------------------------------------------------------------------

FY26 = ReportParams(start=date(2025, 10, 1), end=date(2026, 9, 30), grant="ledta")


def test_grant_report_counts_officers_and_topics_from_the_records(
    demo: Database, out: Path
) -> None:
    pages = pdf_text(make("grant", demo, FY26, out))
    text = flat(" ".join(pages))
    end = "2026-09-30"
    employed = demo.execute(
        "SELECT count(*) FROM officers WHERE hire_date <= ?"
        " AND (separation_date IS NULL OR separation_date >= ?)",
        [end, end],
    ).fetchone()[0]
    assert f"Officers employed at the end of the period {employed}" in text
    for topic, label in (("de_escalation", "De-escalation"), ("firearms", "Firearms")):
        officers, completions, hours = demo.execute(
            "SELECT count(DISTINCT r.officer_id), count(*), sum(t.hours) FROM training_topics t"
            " JOIN training_records r ON r.id = t.record_id WHERE t.topic = ?"
            " AND r.completed BETWEEN '2025-10-01' AND ?",
            [topic, end],
        ).fetchone()
        marker = "yes " if topic == "de_escalation" else ""
        assert f"{label} {marker}{officers} {completions} {hours:.1f}" in text
    pre, post, count = demo.execute(
        "SELECT avg(pre_test), avg(post_test), count(*) FROM training_records"
        " WHERE pre_test IS NOT NULL AND post_test IS NOT NULL"
        " AND completed BETWEEN '2025-10-01' AND ?",
        [end],
    ).fetchone()
    assert f"Pre/post-tests taken (both scores recorded) {count}" in text
    assert f"{pre:.1f} / {post:.1f} / {post - pre:+.1f}" in text
    followups = demo.execute(
        "SELECT count(*) FROM followup_assessments WHERE assessed_on BETWEEN '2025-10-01' AND ?",
        [end],
    ).fetchone()[0]
    assert followups > 0
    assert f"Follow-up assessments ({followups})" in text
    assert "LEDTA FY26" in text and "$60,000.00" in text
    assert "COPS CPD FY26" not in text  # a COPS award is not LEDTA money
    assert "LEDTA de-escalation training report" in pages[0]
    assert "Reporting period October 1, 2025 to September 30, 2026" in pages[0]
    assert_numbered(pages)


def test_grant_report_without_names_prints_no_officer_name(demo: Database, out: Path) -> None:
    params = ReportParams(
        start=FY26.start, end=FY26.end, grant="cops", include_names=False, signer="Chief of Police"
    )
    text = flat(" ".join(pdf_text(make("grant", demo, params, out, "anonymous"))))
    names = demo.execute("SELECT last_name, first_name FROM officers").fetchall()
    leaked = [last for last, first in names if last in text or f"{first} {last}" in text]
    assert leaked == []
    assert "Officer 001" in text
    assert "COPS de-escalation grant report" in text
    assert "COPS CPD FY26" in text
    # The same report with names does print them.
    named = flat(" ".join(pdf_text(make("grant", demo, FY26, out, "named"))))
    assert "Peña, Ana" in named


def test_grant_report_for_a_period_without_training_says_so(demo: Database, out: Path) -> None:
    params = ReportParams(start=date(2005, 10, 1), end=date(2006, 9, 30))
    text = flat(" ".join(pdf_text(make("grant", demo, params, out, "grant-empty"))))
    assert "No officers match: no training was completed between 2005-10-01 and 2006-09-30." in text
    assert "No officers match: nobody completed training in the period." in text


# --- certificate ----------------------------------------------------------------------------


def test_certificate_names_the_officer_course_and_hours(demo: Database, out: Path) -> None:
    record_id, completed = demo.execute(
        "SELECT r.id, r.completed FROM training_records r JOIN officers o ON o.id = r.officer_id"
        " JOIN courses c ON c.id = r.course_id WHERE o.last_name = 'Kowalski'"
        " AND c.course_number = 'ICAT-8' ORDER BY r.completed DESC LIMIT 1"
    ).fetchone()
    pages = pdf_text(make("certificate", demo, ReportParams(record_id=record_id), out))
    assert len(pages) == 1
    text = flat(pages[0])
    assert "Certificate of Completion" in text
    assert "Łukasz Kowalski" in text
    assert "ICAT De-escalation" in text
    assert "Course ICAT-8 · 8.0 hours" in text
    day = date.fromisoformat(completed)
    assert f"completed on {day:%B} {day.day}, {day.year}" in text
    assert f"Training record #{record_id}" in text
    assert "Page 1 of 1" not in text and "Generated" not in text  # framed, not a report page


# --- every report ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(REPORTS))
def test_deterministic_mode_gives_byte_identical_pdfs(demo: Database, out: Path, kind: str) -> None:
    params = {
        "transcript": ReportParams(badge=badge_of(demo, "Peña")),
        "certificate": ReportParams(record_id=1),
    }.get(kind, ReportParams(as_of=DEMO_TODAY))
    if kind in ("payments", "grant"):
        params = ReportParams(start=date(2025, 10, 1), end=DEMO_TODAY)
    if kind == "voucher":
        params = ReportParams(batch="1")
    first = make(kind, demo, params, out, f"{kind}-a").read_bytes()
    second = make(kind, demo, params, out, f"{kind}-b").read_bytes()
    assert first == second
    later = render(kind, demo, params, out / f"{kind}-c.pdf", now=datetime(2027, 1, 2, 3, 4))
    assert later.read_bytes() != first
    if REPORTS[kind].renderer().page_footer:
        assert "Generated 2027-01-02 03:04" in pdf_text(later)[0]


def test_payment_register_gives_every_time_in_one_labelled_local_zone(
    demo: Database, out: Path, chicago: None
) -> None:
    """The fixture's chief approved at 15:00 UTC on 2026-02-20: 09:00 Central Standard Time."""
    params = ReportParams(start=date(2026, 1, 1), end=DEMO_TODAY)
    pages = pdf_text(make("payments", demo, params, out, "chicago"))
    text = flat(" ".join(pages))
    assert "Times are local time, CST (UTC−06:00) / CDT (UTC−05:00)." in text
    assert "chief.pena 2026-02-20 09:00 CST" in text  # approved in winter
    assert "sgt.delgado 2026-02-16 09:00 CST" in text  # drafted
    assert "UTC 2026" not in text and " Z " not in text
    assert "Generated 2026-11-22 09:30 CST" in text
    # Drafted, submitted, approved and paid: each payment says who did every step.
    assert "Drafted by Submitted by Approved by Paid by" in text


def test_payment_register_explains_a_negative_total(demo: Database, out: Path) -> None:
    """A period holding only a recovery for a claim paid before it totals below zero."""
    params = ReportParams(start=date(2026, 11, 16), end=date(2026, 11, 16))
    text = flat(" ".join(pdf_text(make("payments", demo, params, out, "negative"))))
    assert "grand total paid -$250.00" in text
    assert "Negative amounts are money recovered from officers: $250.00 on 2026-11-16" in text
    assert "before this period" in text
    assert "The grand total is below zero because more was recovered in this period" in text


def test_payment_register_defaults_to_the_fiscal_year_to_date(demo: Database, out: Path) -> None:
    text = flat(" ".join(pdf_text(make("payments", demo, ReportParams(), out, "default"))))
    assert "Fiscal year to date: July 1, 2026 to November 22, 2026" in text
    assert "the agency's fiscal year (which starts on July 1) up to November 22, 2026" in text
