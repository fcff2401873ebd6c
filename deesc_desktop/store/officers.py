"""Officers: the roster as core records, as the roster table lists it, and its lookups."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlite_utils import Database

from deesc_desktop.core.models import Officer
from deesc_desktop.core.names import name_key
from deesc_desktop.store.rows import row_dict, stored_date


def officer_from_row(row: dict[str, Any]) -> Officer:
    """An Officer from an `officers` row."""
    hire = stored_date(row["hire_date"])
    assert hire is not None  # NOT NULL in the schema
    return Officer(
        id=row["id"],
        badge=row["badge"],
        last_name=row["last_name"],
        first_name=row["first_name"],
        hire_date=hire,
        rank=row["rank"],
        unit=row["unit"],
        shift=row["shift"],
        license_date=stored_date(row["license_date"]),
        state_id=row["state_id"],
        email=row["email"],
        status=row["status"],
        separation_date=stored_date(row["separation_date"]),
    )


_OFFICER_FIELDS = (
    "id, badge, last_name, first_name, hire_date, rank, unit, shift, license_date, state_id, "
    "email, status, separation_date"
)
"""The `officers` columns an Officer holds, in the order of its fields."""


def load_officers(
    db: Database, *, include_separated: bool = True, serving_on: date | None = None
) -> list[Officer]:
    """Every officer, in the order a reader expects names (core.names); with `serving_on`,
    only those serving that day (hired on or before it, not separated before it:
    core.roster.serving_on in SQL)."""
    params: list[str] = []
    if serving_on is not None:
        where = "WHERE hire_date <= ? AND (separation_date IS NULL OR separation_date >= ?)"
        params = [serving_on.isoformat()] * 2
    else:
        where = "" if include_separated else "WHERE status != 'separated'"
    # Built positionally: a statewide roster is 50,000 officers on every compliance run.
    officers = [
        Officer(
            officer_id,
            badge,
            last_name,
            first_name,
            date.fromisoformat(hire),
            rank,
            unit,
            shift,
            stored_date(licence),
            state_id,
            email,
            status,
            stored_date(separated),
        )
        for (
            officer_id,
            badge,
            last_name,
            first_name,
            hire,
            rank,
            unit,
            shift,
            licence,
            state_id,
            email,
            status,
            separated,
        ) in db.execute(f"SELECT {_OFFICER_FIELDS} FROM officers {where}", params)
    ]
    officers.sort(key=lambda o: name_key(o.last_name, o.first_name, o.badge))
    return officers


def officer_values(db: Database, columns: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """These `officers` columns of every officer, by last name, first name and badge."""
    unknown = set(columns) - set(_OFFICER_FIELDS.split(", "))
    assert not unknown, f"not an officer column: {unknown}"
    yield from db.execute(
        f"SELECT {', '.join(columns)} FROM officers ORDER BY last_name, first_name, badge"
    )


def get_officer(db: Database, officer_id: int) -> Officer | None:
    row = row_dict(db, "officers", officer_id)
    return officer_from_row(row) if row else None


def officer_by_badge(db: Database, badge: str) -> Officer | None:
    cursor = db.execute("SELECT * FROM officers WHERE badge = ?", [badge.strip()])
    row = cursor.fetchone()
    if row is None:
        return None
    return officer_from_row(dict(zip([c[0] for c in cursor.description], row, strict=True)))


def officer_id_by_badge(db: Database, badge: str) -> int | None:
    """The id of the officer with this badge, or None."""
    row = db.execute("SELECT id FROM officers WHERE badge = ?", [badge]).fetchone()
    return int(row[0]) if row else None


def badge_ids(db: Database) -> dict[str, int]:
    """Badge -> officer id for the whole roster."""
    return {badge: officer_id for officer_id, badge in db.execute("SELECT id, badge FROM officers")}


def separations_by_badge(db: Database) -> dict[str, str]:
    """Badge -> separation date (ISO) of every separated officer."""
    return dict(
        db.execute(
            "SELECT badge, separation_date FROM officers WHERE separation_date IS NOT NULL"
        ).fetchall()
    )


class RosterRow(NamedTuple):
    """One officer as the roster table shows it; dates are ISO text."""

    id: int
    badge: str
    last_name: str
    first_name: str
    rank: str
    unit: str
    shift: str
    hire_date: str
    license_date: str | None
    status: str
    separation_date: str | None
    version: int

    @property
    def display_name(self) -> str:
        return f"{self.last_name}, {self.first_name}"


_ROSTER_SQL = """
SELECT id, badge, last_name, first_name, rank, unit, shift, hire_date, license_date, status,
       separation_date, version
FROM officers
"""


def roster(db: Database) -> list[RosterRow]:
    """Every officer, separated ones included, in the order a reader expects names."""
    rows = list(map(RosterRow._make, db.execute(_ROSTER_SQL)))
    rows.sort(key=lambda r: name_key(r.last_name, r.first_name, r.badge))
    return rows


def roster_row(db: Database, officer_id: int) -> RosterRow | None:
    """One officer as the roster shows them, or None."""
    row = db.execute(_ROSTER_SQL + " WHERE id = ?", [officer_id]).fetchone()
    return RosterRow._make(row) if row else None


def officer_form(db: Database, officer_id: int) -> dict[str, Any] | None:
    """Every column of one officer, version included, to fill the edit form."""
    cursor = db.execute("SELECT * FROM officers WHERE id = ?", [officer_id])
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([c[0] for c in cursor.description], row, strict=True))


@dataclass(frozen=True, slots=True)
class OfficerChoices:
    """Values already in use, offered in the officer form's editable combo boxes."""

    ranks: list[str]
    units: list[str]
    shifts: list[str]


def officer_choices(db: Database) -> OfficerChoices:
    """Distinct non-empty ranks, units and shifts on the roster, sorted."""
    values: dict[str, set[str]] = {"rank": set(), "unit": set(), "shift": set()}
    for rank, unit, shift in db.execute("SELECT DISTINCT rank, unit, shift FROM officers"):
        for name, value in (("rank", rank), ("unit", unit), ("shift", shift)):
            if value:
                values[name].add(value)
    return OfficerChoices(
        ranks=sorted(values["rank"], key=str.casefold),
        units=sorted(values["unit"], key=str.casefold),
        shifts=sorted(values["shift"], key=str.casefold),
    )


def all_officer_ids(db: Database) -> list[int]:
    return [row[0] for row in db.execute("SELECT id FROM officers")]
