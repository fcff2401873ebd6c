"""Funding sources and payment batches: exact totals, exports read back, paid all together."""

from __future__ import annotations

import csv
import sqlite3
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.core.bonus import bonus_funding_warning
from deesc_desktop.services.bonus import add_program, create_claims, program_funding_warnings
from deesc_desktop.services.claim_workflow import (
    approve_claims,
    pay_claim,
    submit_claims,
    void_claim,
)
from deesc_desktop.services.errors import ConflictError, PermissionDeniedError, ValidationError
from deesc_desktop.services.funding import (
    BATCH_COLUMNS,
    add_funding_source,
    approve_award_change,
    create_payment_batch,
    edit_funding_source,
    export_payment_batch,
    pay_batch,
    reject_award_change,
    request_award_change,
)
from deesc_desktop.services.officers import add_officer
from deesc_desktop.services.training import Attendee, record_class
from deesc_desktop.store.claims import list_claims
from deesc_desktop.store.funding import award_changes, funding_summary, payment_batches
from tests.conftest import table_counts

CHIEF = Actor("chief.ortiz", Role.CHIEF)
FINANCE = Actor("fin.lee", Role.FINANCE)
SERGEANT = Actor("sgt.delgado", Role.TRAINING_OFFICER)
APPROVED = datetime(2025, 7, 1, 9, 0, tzinfo=UTC)
"""When the chief approves the claims: before the July payroll."""
BYRNE = {
    "name": "Byrne JAG 2025",
    "kind": "byrne_jag",
    "award_number": "15PBJA-25-GG-00077",
    "amount": "$12,000.00",
    "start": "2024-10-01",
    "end": "2025-09-30",
}


@pytest.fixture
def approved(db: Database, admin: Actor) -> list[int]:
    """Three approved $3,800.00 claims paid from a $12,000.00 Byrne JAG award."""
    people = [
        add_officer(
            db, admin, {"badge": b, "last_name": n, "first_name": f, "hire_date": "2016-02-01"}
        )
        for b, n, f in (
            ("0101", "Peña", "Ana"),
            ("0042", "Łukasz", "Nowak"),
            ("0207", "Kim", "Wei"),
        )
    ]
    record_class(
        db,
        admin,
        {"course": "ICAT", "completed": "2025-02-03", "hours": 8, "topics": "de_escalation"},
        [Attendee(p, 60, 90) for p in people],
    )
    add_funding_source(db, FINANCE, BYRNE)
    program = add_program(
        db,
        CHIEF,
        {
            "name": "ICAT bonus",
            "courses": "ICAT",
            "min_hours": 8,
            "start": "2025-01-01",
            "end": "2025-12-31",
            "funding_source": "Byrne JAG 2025",
        },
    )
    claims = create_claims(db, SERGEANT, program, people)
    submit_claims(db, SERGEANT, claims)
    approve_claims(db, CHIEF, claims, now=APPROVED)
    return claims


def test_funding_source_refusals_name_each_field_and_write_nothing(db: Database) -> None:
    add_funding_source(db, FINANCE, BYRNE)
    before = table_counts(db)
    with pytest.raises(ValidationError) as caught:
        add_funding_source(
            db,
            FINANCE,
            {
                "name": "",
                "kind": "lottery",
                "amount": "-5",
                "start": "2025-01-01",
                "end": "2024-01-01",
            },
        )
    errors = caught.value.field_errors
    assert errors["name"] == "is required"
    assert errors["kind"].startswith('"lottery" is not one of cops_deescalation, byrne_jag')
    assert errors["amount"] == 'the amount cannot be negative ("-5")'
    assert errors["end"] == "2024-01-01 is before the start 2025-01-01"
    with pytest.raises(ValidationError, match='already a funding source named "byrne jag 2025"'):
        add_funding_source(db, FINANCE, {**BYRNE, "name": "byrne jag 2025"})
    assert table_counts(db) == before


def test_an_award_changes_only_when_a_chief_approves_the_change(
    db: Database, approved: list[int]
) -> None:
    source = funding_summary(db, 1)
    assert source is not None and (source.committed, source.balance) == (1_140_000, 60_000)
    before = table_counts(db)
    with pytest.raises(ValidationError, match="amount: the award's amount and period change only"):
        edit_funding_source(db, FINANCE, 1, {"amount": "20000"})
    with pytest.raises(ValidationError, match="end: the award's amount and period change only"):
        edit_funding_source(db, FINANCE, 1, {"end": "2026-09-30"})
    with pytest.raises(
        ValidationError,
        match=r"\$11,000\.00 is less than the \$11,400\.00 already committed or paid from Byrne",
    ):
        request_award_change(db, FINANCE, 1, {"amount": "11000", "reason": "cut"})
    with pytest.raises(ValidationError, match="reason: is required"):
        request_award_change(db, FINANCE, 1, {"amount": "20000"})
    assert table_counts(db) == before
    assert edit_funding_source(db, FINANCE, 1, {"award_number": "X-1"})  # not a term of the award
    change = request_award_change(
        db, FINANCE, 1, {"amount": "$20,000", "end": "2025-12-31", "reason": "supplement"}
    )
    source = funding_summary(db, 1)
    assert source is not None and (source.amount, source.end) == (1_200_000, "2025-09-30")
    with pytest.raises(ConflictError, match="already waits for a chief's approval"):
        request_award_change(db, FINANCE, 1, {"amount": "30000", "reason": "more"})
    with pytest.raises(PermissionDeniedError, match=r"fin\.lee entered award change #1"):
        approve_award_change(db, Actor("fin.lee", Role.ADMIN), change)
    with pytest.raises(PermissionDeniedError, match=r"fin\.lee \(Finance\) may not approve"):
        approve_award_change(db, FINANCE, change)
    approve_award_change(db, CHIEF, change)
    source = funding_summary(db, 1)
    assert source is not None and (source.amount, source.end, source.balance) == (
        2_000_000,
        "2025-12-31",
        860_000,
    )
    (row,) = award_changes(db)
    assert (row.status, row.requested_by, row.decided_by, row.previous_amount) == (
        "approved",
        "fin.lee",
        "chief.ortiz",
        1_200_000,
    )
    reasons = [
        r[0]
        for r in db.execute("SELECT reason FROM audit_log WHERE table_name = 'funding_sources'")
    ]
    assert "award change #1 approved: supplement" in reasons
    second = request_award_change(db, FINANCE, 1, {"amount": "25000", "reason": "more"})
    reject_award_change(db, CHIEF, second, reason="not in the award letter")
    assert funding_summary(db, 1).amount == 2_000_000  # type: ignore[union-attr]
    with pytest.raises(ConflictError, match="was already rejected"):
        approve_award_change(db, CHIEF, second)
    # The file refuses an award changed without an approved change, and a change edited after.
    with pytest.raises(sqlite3.IntegrityError, match="an award changes only when a chief"):
        db.execute("UPDATE funding_sources SET amount_cents = 99999999 WHERE id = 1")
    with pytest.raises(sqlite3.IntegrityError, match="decided once and never edited"):
        db.execute("UPDATE award_changes SET amount_cents = 1 WHERE id = ?", [second])


def test_batch_export_reads_back_as_csv_and_xlsx(
    db: Database, approved: list[int], tmp_path: Path
) -> None:
    batch = create_payment_batch(
        db, FINANCE, {"reference": "PR-2025-07-15", "pay_date": "07/15/2025"}
    )
    csv_path, xlsx_path = tmp_path / "batch.csv", tmp_path / "batch.xlsx"
    assert export_payment_batch(db, batch, csv_path) == 3
    assert export_payment_batch(db, batch, xlsx_path) == 3
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        from_csv = list(csv.reader(handle))
    sheet = load_workbook(xlsx_path).active
    assert sheet is not None
    from_xlsx = list(sheet.iter_rows(values_only=True))
    assert tuple(from_csv[0]) == from_xlsx[0] == BATCH_COLUMNS
    # The spreadsheet holds numbers, money and dates, as payroll and Excel need them.
    assert from_xlsx[3] == (
        approved[0],
        "0101",
        "Peña, Ana",
        "ICAT bonus",
        3800,
        "Byrne JAG 2025",
        "15PBJA-25-GG-00077",
        "PR-2025-07-15",
        datetime(2025, 7, 15),
    )
    assert sheet["E4"].number_format == "#,##0.00"
    assert sheet["I4"].is_date and sheet["I4"].number_format == "yyyy-mm-dd"
    assert sum(Decimal(str(row[4])) for row in from_xlsx[1:]) == Decimal("11400.00")
    assert [row[2] for row in from_csv[1:]] == [
        "Kim, Wei",
        "Łukasz, Nowak",
        "Peña, Ana",
    ]  # reading order: Ł with the Ls
    assert from_csv[3] == [
        str(approved[0]),
        "0101",
        "Peña, Ana",
        "ICAT bonus",
        "3800.00",
        "Byrne JAG 2025",
        "15PBJA-25-GG-00077",
        "PR-2025-07-15",
        "2025-07-15",
    ]
    assert sum(int(row[4].replace(".", "")) for row in from_csv[1:]) == 1_140_000


def test_a_batch_is_paid_together_with_its_date_and_reference(
    db: Database, approved: list[int]
) -> None:
    batch = create_payment_batch(
        db, FINANCE, {"reference": "PR-2025-07-15", "pay_date": "2025-07-15"}
    )
    before = table_counts(db)
    with pytest.raises(ConflictError, match="is in payment batch PR-2025-07-15; pay the batch"):
        pay_claim(db, FINANCE, approved[0], paid_on="2025-07-15", reference="CHK-1")
    assert table_counts(db) == before
    assert pay_batch(db, FINANCE, batch) == 3
    claims = list_claims(db, batch_id=batch)
    assert {(c.status, c.paid_on, c.payment_reference, c.paid_by) for c in claims} == {
        ("paid", "2025-07-15", "PR-2025-07-15", "fin.lee")
    }
    (row,) = payment_batches(db)
    assert (row.status, row.claims, row.total, row.paid_by) == ("paid", 3, 1_140_000, "fin.lee")
    source = funding_summary(db, 1)
    assert source is not None and (source.committed, source.paid) == (0, 1_140_000)
    before = table_counts(db)
    with pytest.raises(ConflictError, match="PR-2025-07-15 was already paid"):
        pay_batch(db, FINANCE, batch)
    assert table_counts(db) == before


def test_a_batch_with_one_bad_claim_pays_none(db: Database, approved: list[int]) -> None:
    batch = create_payment_batch(db, FINANCE, {"reference": "PR-1", "pay_date": "2025-07-15"})
    # Only a raw edit can get a paid claim into an open batch; the batch must still refuse.
    db.execute(
        "UPDATE claims SET status = 'paid', paid_on = '2025-07-01', paid_at = 't', paid_by = 'x',"
        " payment_reference = 'CHK-9' WHERE id = ?",
        [approved[1]],
    )
    before = table_counts(db)
    with pytest.raises(
        ConflictError, match=r"only an approved claim can be paid\. Nothing in batch"
    ):
        pay_batch(db, FINANCE, batch)
    assert table_counts(db) == before
    assert [c.status for c in list_claims(db, batch_id=batch)] == ["approved", "paid", "approved"]


def test_voiding_an_approved_claim_takes_it_out_of_its_batch(
    db: Database, approved: list[int]
) -> None:
    batch = create_payment_batch(
        db, FINANCE, {"reference": "PR-2", "pay_date": "2025-07-15"}, approved[:2]
    )
    void_claim(db, CHIEF, approved[0], reason="officer asked to defer")
    assert [c.id for c in list_claims(db, batch_id=batch)] == [approved[1]]
    assert pay_batch(db, FINANCE, batch) == 1


def test_batch_refusals_write_nothing(db: Database, approved: list[int]) -> None:
    create_payment_batch(db, FINANCE, {"reference": "PR-3", "pay_date": "2025-07-15"}, approved[:1])
    before = table_counts(db)
    with pytest.raises(ConflictError, match=rf"Claim #{approved[0]} is already in payment batch"):
        create_payment_batch(db, FINANCE, {"reference": "PR-4", "pay_date": "2025-07-15"}, approved)
    with pytest.raises(ValidationError, match='batch "pr-3" already exists'):
        create_payment_batch(db, FINANCE, {"reference": "pr-3", "pay_date": "2025-07-15"})
    with pytest.raises(ValidationError, match="pay_date: is required"):
        create_payment_batch(db, FINANCE, {"reference": "PR-5"})
    assert table_counts(db) == before
    create_payment_batch(db, FINANCE, {"reference": "PR-6", "pay_date": "2025-07-16"})
    before = table_counts(db)
    with pytest.raises(ConflictError, match="no approved claims waiting for payment"):
        create_payment_batch(db, FINANCE, {"reference": "PR-7", "pay_date": "2025-07-16"})
    assert table_counts(db) == before


def test_a_bonus_paid_from_a_federal_grant_is_warned_about(
    db: Database, admin: Actor, approved: list[int]
) -> None:
    """COPS de-escalation awards, LEDTA (34 USC 10159(b)) and Byrne JAG pay for training and
    overtime, not bonuses: a program paid from one carries a warning; one paid from the
    local budget does not."""
    (program_id,) = program_funding_warnings(db)
    warning = program_funding_warnings(db)[program_id]
    assert warning.startswith(
        "Bonuses are not an allowable cost under Byrne JAG 2025 (Byrne JAG): COPS "
        "de-escalation, LEDTA and Byrne JAG awards pay for training, overtime and materials."
    )
    add_funding_source(
        db,
        FINANCE,
        {
            "name": "City budget",
            "kind": "local_budget",
            "amount": "10000",
            "start": "2025-01-01",
            "end": "2025-12-31",
        },
    )
    local = add_program(
        db,
        CHIEF,
        {
            "name": "Local bonus",
            "courses": "ICAT",
            "min_hours": 8,
            "start": "2025-01-01",
            "end": "2025-12-31",
            "funding_source": "City budget",
        },
    )
    assert local not in program_funding_warnings(db)
    assert bonus_funding_warning("ledta") is not None
    assert bonus_funding_warning("state_grant") is None
