"""The agency's own requirements (added, loaded from a pack file, or built-in ones switched off),
each kept as its rule-pack definition in JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class AgencyRequirementRow:
    """One agency requirement as stored: its origin, whether it is used, its definition."""

    id: str
    origin: str
    active: bool
    definition: dict[str, Any]


def agency_requirements(db: Database) -> list[AgencyRequirementRow]:
    """The agency's own requirements, by id."""
    return [
        AgencyRequirementRow(row_id, origin, bool(active), json.loads(definition))
        for row_id, origin, active, definition in db.execute(
            "SELECT id, origin, active, definition FROM requirements ORDER BY id"
        )
    ]
