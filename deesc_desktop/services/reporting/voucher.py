"""What a payment batch voucher prints: one payroll batch and its claims."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlite_utils import Database

from deesc_desktop.core.money import Cents
from deesc_desktop.services.errors import NotFoundError
from deesc_desktop.store.claims import ClaimRow, list_claims
from deesc_desktop.store.funding import BatchRow, payment_batches
from deesc_desktop.store.rows import id_by_name


@dataclass(frozen=True, slots=True)
class VoucherData:
    """One payment batch and its claims."""

    batch: BatchRow
    claims: list[ClaimRow]

    @property
    def total(self) -> Cents:
        return sum(c.amount for c in self.claims)

    def by_source(self) -> list[tuple[str, int, Cents]]:
        """(funding source, claims, amount), by source name."""
        count: dict[str, int] = defaultdict(int)
        amount: dict[str, Cents] = defaultdict(int)
        for claim in self.claims:
            count[claim.funding_source] += 1
            amount[claim.funding_source] += claim.amount
        return [(name, count[name], amount[name]) for name in sorted(count, key=str.casefold)]


def gather_voucher(db: Database, reference: str) -> VoucherData:
    """The payment batch named `reference` with its claims."""
    wanted = reference.strip()
    batch_id = id_by_name(db, "payment_batches", wanted)
    found = payment_batches(db, batch_id) if batch_id is not None else []
    if not found:
        raise NotFoundError(f'There is no payment batch "{wanted}".')
    return VoucherData(found[0], list_claims(db, batch_id=found[0].id))
