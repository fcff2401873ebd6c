"""Signature blocks an auditor accepts: who signs, what the signature covers, who prepared the
report, the payment lines, the batch voucher and the audit log head in the footer (issue 16)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.core.compliance import Status
from deesc_desktop.reports import ReportParams, render
from deesc_desktop.services.compliance import department_compliance
from deesc_desktop.services.errors import NotFoundError, PermissionDeniedError, ValidationError
from deesc_desktop.services.signers import Signer, save_signer, signer_for
from deesc_desktop.store.audit import GENESIS_HASH, chain_head
from deesc_desktop.store.audit_scan import verify_chain
from tests.reports.conftest import ADMIN, DEMO_TODAY, FIXED_NOW, flat, pdf_text


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("signatures")


def make(db: Database, kind: str, params: ReportParams, folder: Path, name: str) -> list[str]:
    return pdf_text(render(kind, db, params, folder / f"{name}.pdf", now=FIXED_NOW))


def test_chain_head_is_the_count_and_the_last_hash(demo: Database, db: Database) -> None:
    entries, head = chain_head(demo)
    assert entries == verify_chain(demo).entries
    last = demo.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert head == last
    fresh = Database(memory=True)
    fresh.execute("CREATE TABLE audit_log (id INTEGER PRIMARY KEY, hash TEXT)")
    assert chain_head(fresh) == (0, GENESIS_HASH)
    assert chain_head(db)[0] >= 1  # the fixture's agency was audited


def test_every_page_prints_the_audit_log_head(demo: Database, out: Path) -> None:
    entries, head = chain_head(demo)
    pages = make(demo, "cit", ReportParams(as_of=DEMO_TODAY), out, "cit")
    for page in pages:
        assert f"Audit log: {entries:,} entries, head {entries}:{head[:16]}" in page


def test_the_attestation_restates_pages_officers_and_date(demo: Database, out: Path) -> None:
    people = department_compliance(demo, DEMO_TODAY, today=DEMO_TODAY)
    bad = Counter(p.worst for p in people)[Status.NON_COMPLIANT]
    params = ReportParams(as_of=DEMO_TODAY, prepared_by="Sgt. Rosa Delgado (sgt.delgado)")
    pages = make(demo, "compliance", params, out, "compliance")
    last = flat(pages[-1])
    assert (
        f"This attestation covers pages 1 to {len(pages)} of this report: {len(people)} "
        f"officers, {bad} non-compliant, as of November 22, 2026." in last
    )
    assert "Ana Peña, Chief of Police" in last  # the demo's saved default signer
    assert "Prepared by Sgt. Rosa Delgado (sgt.delgado), 2026-11-22 09:30." in last


def test_a_signer_saved_for_one_report_kind_wins_over_the_default(
    demo: Database, out: Path
) -> None:
    assert signer_for(demo, "grant") == Signer("Ana Peña", "Chief of Police")
    save_signer(demo, ADMIN, "grant", "R. Okafor", "Director of Public Safety")
    try:
        text = flat(make(demo, "grant", ReportParams(grant="cops"), out, "grant")[-1])
        assert "R. Okafor, Director of Public Safety" in text
        assert "Ana Peña" not in text
        given = ReportParams(grant="cops", signer="Dale Cooper", signer_title="Marshal")
        assert "Dale Cooper, Marshal" in flat(make(demo, "grant", given, out, "given")[-1])
    finally:
        save_signer(demo, ADMIN, "grant", "", "")
    assert signer_for(demo, "grant") == Signer("Ana Peña", "Chief of Police")


def test_saving_a_signer_is_audited_and_refused_without_permission(db: Database) -> None:
    before = chain_head(db)[0]
    assert save_signer(db, Actor("a", Role.ADMIN), "default", "  Ana   Peña ", "Sheriff")
    assert signer_for(db, "compliance") == Signer("Ana Peña", "Sheriff")
    assert chain_head(db)[0] == before + 2  # name and title, each an audited setting
    assert not save_signer(db, Actor("a", Role.ADMIN), "default", "Ana Peña", "Sheriff")
    with pytest.raises(PermissionDeniedError):
        save_signer(db, Actor("c", Role.CHIEF), "default", "Me", "Chief")
    with pytest.raises(ValidationError, match="longer than 80"):
        save_signer(db, Actor("a", Role.ADMIN), "default", "x" * 81, "")


def test_the_payment_register_has_chief_and_finance_lines(demo: Database, out: Path) -> None:
    last = flat(make(demo, "payments", ReportParams(end=DEMO_TODAY), out, "payments")[-1])
    assert "Approved for payment (chief)" in last and "Ana Peña, Chief of Police" in last
    assert "Verified and paid (finance)" in last and "Teresa Ruiz, Finance Director" in last


def test_a_batch_voucher_lists_the_batch_and_both_signers(demo: Database, out: Path) -> None:
    reference, total = demo.execute(
        "SELECT b.reference, sum(c.amount_cents) FROM payment_batches b"
        " JOIN claims c ON c.batch_id = b.id GROUP BY b.id"
    ).fetchone()
    pages = make(demo, "voucher", ReportParams(batch=reference), out, "voucher")
    text = flat(" ".join(pages))
    assert f"Batch {reference}" in text
    assert f"${total / 100:,.2f}" in text
    assert "This attestation covers page 1 of this report: payment batch" in text
    assert "Verified and paid (finance)" in text
    with pytest.raises(NotFoundError, match='no payment batch "NOPE"'):
        render("voucher", demo, ReportParams(batch="NOPE"), out / "x.pdf")
