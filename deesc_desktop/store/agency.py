"""The agency a database belongs to: its one `agency` row."""

from __future__ import annotations

from sqlite_utils import Database

from deesc_desktop.core.models import Agency
from deesc_desktop.store.rows import row_dict

AGENCY_ID = 1
"""The one agency row's id: a database belongs to one agency."""


def get_agency(db: Database) -> Agency | None:
    """The agency this database belongs to, or None before `deesc init`."""
    row = row_dict(db, "agency", AGENCY_ID)
    if row is None:
        return None
    return Agency(
        name=row["name"],
        state=row["state"],
        ori=row["ori"],
        fiscal_year_start_month=row["fiscal_year_start_month"],
        warning_days=row["warning_days"],
        leave_proration=bool(row.get("leave_proration", 0)),
    )
