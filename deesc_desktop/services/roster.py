"""Who was serving on a date, in the status of that day: the one roster every as-of read uses.

The rule is core.roster's; this module reads the officers and their leave from the file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from deesc_desktop.core import roster as rule
from deesc_desktop.core.models import Exemption, Officer
from deesc_desktop.store.leave import load_exemptions
from deesc_desktop.store.officers import load_officers


@dataclass(frozen=True, slots=True)
class RosterOn:
    """The officers of a day and the leave that had begun by then (whole, as recorded)."""

    day: date
    officers: list[Officer]
    exemptions: dict[int, list[Exemption]]


def begun_leave(
    exemptions: Mapping[int, Sequence[Exemption]], day: date
) -> dict[int, list[Exemption]]:
    """Each officer's leave and exemptions that had begun by `day`."""
    return {
        officer_id: begun
        for officer_id, rows in exemptions.items()
        if (begun := rule.begun_by(rows, day))
    }


def roster_on(
    db: Database, day: date, *, today: date | None = None, everyone: bool = False
) -> RosterOn:
    """The officers serving on `day` (with `everyone`, every officer on file, those serving
    then in that day's status), and the leave that had begun by `day`."""
    today = today or date.today()
    exemptions = begun_leave(load_exemptions(db), day)
    if everyone:
        officers = [
            rule.as_it_stood(o, day, exemptions.get(o.id, ()), today) for o in load_officers(db)
        ]
    else:
        officers = rule.roster_on(load_officers(db, serving_on=day), day, exemptions, today)
    return RosterOn(day, officers, exemptions)


def officer_on(db: Database, officer: Officer, day: date, *, today: date | None = None) -> Officer:
    """One officer in the status of `day` (unchanged when they were not serving then)."""
    exemptions = rule.begun_by(load_exemptions(db, [officer.id]).get(officer.id, ()), day)
    return rule.as_it_stood(officer, day, exemptions, today or date.today())
