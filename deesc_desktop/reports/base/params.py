"""What a report may be asked for: its parameters, their labels, the grant programs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from deesc_desktop.services.reporting.grant import GRANT_KINDS

__all__ = ["GRANT_KINDS", "PARAM_LABELS", "ReportParams"]


@dataclass(frozen=True, slots=True)
class ReportParams:
    """Everything a report may be asked for; each report reads only the fields it lists.

    Dates left out default sensibly per report (the as-of date to the generation date, a
    period to the fiscal year to date); see REPORTS for which report reads which field.
    """

    as_of: date | None = None
    start: date | None = None
    end: date | None = None
    badge: str | None = None
    record_id: int | None = None
    include_names: bool = True
    confidential: bool = False
    grant: str = "ledta"
    signer: str | None = None
    signer_title: str | None = None
    prepared_by: str | None = None
    """Who is printing the report (the signed-in user), for the "Prepared by" line."""
    batch: str | None = None
    days: int = 90
    """How far ahead the training-due list and notices look: 30, 60 or 90 days."""


PARAM_LABELS: dict[str, str] = {
    "as_of": "As of date",
    "start": "From date",
    "end": "To date",
    "badge": "Officer badge",
    "record_id": "Training record number",
    "include_names": "Print officers' names",
    "confidential": 'Mark "CONFIDENTIAL - personnel records"',
    "grant": "Grant program (ledta, cops, jag)",
    "signer": "Signed by (name)",
    "signer_title": "Signer's title",
    "batch": "Payment batch",
    "days": "Look ahead",
}
"""Labels for the report form a GUI builds from a report's parameter names."""
