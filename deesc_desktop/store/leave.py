"""Leave and exemptions: the periods during which an officer's requirements are waived."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlite_utils import Database

from deesc_desktop.core.models import Exemption
from deesc_desktop.store.rows import in_clause, stored_date


def load_exemptions(
    db: Database, officer_ids: Iterable[int] | None = None
) -> dict[int, list[Exemption]]:
    """Exemptions and leave grouped by officer id, ordered by start date."""
    params: list[object] = []
    where = ""
    if officer_ids is not None:
        ids = list(officer_ids)
        if not ids:
            return {}
        where = f"WHERE {in_clause('officer_id', ids)}"
        params = list(ids)
    result: dict[int, list[Exemption]] = defaultdict(list)
    for rid, officer_id, start, end, reason, requirements, by, reference, on in db.execute(
        f'SELECT id, officer_id, start, "end", reason, requirements, granted_by, reference,'
        f" granted_on FROM exemptions {where} ORDER BY officer_id, start, id",
        params,
    ):
        result[officer_id].append(
            Exemption(
                id=rid,
                officer_id=officer_id,
                start=date.fromisoformat(start),
                end=date.fromisoformat(end),
                reason=reason,
                requirement_ids=frozenset(r for r in requirements.split(",") if r),
                granted_by=by,
                reference=reference,
                granted_on=stored_date(on),
            )
        )
    return dict(result)


def exemption_exists(
    db: Database, officer_id: int, start: str, end: str, requirements: str
) -> bool:
    """Whether the officer already has an exemption with these dates and requirements."""
    found = db.execute(
        'SELECT 1 FROM exemptions WHERE officer_id = ? AND start = ? AND "end" = ?'
        " AND requirements = ?",
        [officer_id, start, end, requirements],
    ).fetchone()
    return found is not None
