"""Table models of the incident log and of its LEDTA figures by quarter."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from PySide6.QtGui import QColor

from deesc_desktop.core.incidents import (
    FORCE_TYPES,
    INCIDENT_STATUSES,
    INCIDENT_TYPES,
    TACTICS,
    PeriodFigures,
    TrainingGroup,
)
from deesc_desktop.gui import style
from deesc_desktop.gui.models import RIGHT, Column, RowsModel
from deesc_desktop.services.incidents import IncidentEntry

TRAINED_TEXT = {
    TrainingGroup.TRAINED: "All trained",
    TrainingGroup.NOT_TRAINED: "Not all",
    TrainingGroup.UNKNOWN: "No officers",
}


class IncidentColumn:
    DATE, REFERENCE, TYPE, DEESCALATION, FORCE, OFFICERS_HURT, PUBLIC_HURT = range(7)
    BADGES, TRAINED, STATUS = range(7, 10)


class IncidentModel(RowsModel):
    """The incident log: one row per interaction, officers by badge, no names of subjects."""

    COLUMNS = (
        Column("Date", lambda e: e.row.occurred_on, width=11),
        Column("Report no.", lambda e: e.row.reference, width=10),
        Column("Type", lambda e: INCIDENT_TYPES[e.row.incident_type], width=17),
        Column(
            "De-escalation", lambda e: "Used" if e.row.deescalation_used else "Not used", width=10
        ),
        Column("Force", lambda e: FORCE_TYPES[e.row.force_type], width=11),
        Column(
            "Officers\nhurt",
            lambda e: str(e.row.officers_injured),
            key=lambda e: e.row.officers_injured,
            align=RIGHT,
            width=8,
        ),
        Column(
            "Public\nhurt",
            lambda e: str(e.row.public_injured),
            key=lambda e: e.row.public_injured,
            align=RIGHT,
            width=7,
        ),
        Column("Officers\n(badges)", lambda e: e.row.badges, width=12),
        Column(
            "Trained\nbefore",
            lambda e: TRAINED_TEXT[e.group],
            tip="Whether every officer involved had de-escalation training before the day",
            width=11,
        ),
        Column("Status", lambda e: INCIDENT_STATUSES[e.row.status]),
    )

    def foreground(self, row: IncidentEntry, column: int) -> QColor | None:
        if column == IncidentColumn.STATUS and row.row.status == "entered":
            return QColor(style.Colour.WARNING)
        if column == IncidentColumn.FORCE and row.row.force_type != "none":
            return QColor(style.Colour.ERROR)
        return None

    def tooltip(self, row: IncidentEntry, column: int) -> str | None:
        entry = row.row
        lines = []
        if entry.tactics:
            lines.append("Tactics: " + ", ".join(TACTICS[t] for t in entry.tactics))
        for officer in entry.officers:
            trained = officer.first_trained.isoformat() if officer.first_trained else "never"
            lines.append(f"{officer.badge} {officer.name}: first de-escalation training {trained}")
        if entry.reviewed_by:
            lines.append(f"Reviewed by {entry.reviewed_by}: {entry.review_notes}".rstrip(": "))
        return "\n".join(lines) or None


def incident_haystack(entry: IncidentEntry) -> str:
    row = entry.row
    return f"{row.reference} {row.badges} {INCIDENT_TYPES[row.incident_type]}".casefold()


class FigureRow(NamedTuple):
    """One line of the figures table: a period and one group of officers."""

    period: str
    group: str
    incidents: int
    deescalation: Decimal | None
    force: Decimal | None
    officer_injury: Decimal | None
    public_injury: Decimal | None


def figure_rows(periods: list[PeriodFigures]) -> list[FigureRow]:
    """Each period as three lines: all incidents, officers trained before, the others."""
    rows = []
    for period in periods:
        for label, tally in (
            ("All incidents", period.total),
            ("Officers trained", period.group(TrainingGroup.TRAINED)),
            ("Not all trained", period.group(TrainingGroup.NOT_TRAINED)),
        ):
            rows.append(
                FigureRow(
                    period.label,
                    label,
                    tally.incidents,
                    tally.deescalation_rate,
                    tally.force_rate,
                    tally.officer_injury_rate,
                    tally.public_injury_rate,
                )
            )
    return rows


def _percent(value: Decimal | None) -> str:
    return "–" if value is None else f"{value}%"


class FigureModel(RowsModel):
    """The LEDTA figures: rates for all incidents and by whether the officers were trained."""

    COLUMNS = (
        Column("Period", lambda r: r.period, width=10),
        Column("Officers", lambda r: r.group, width=16),
        Column(
            "Incidents", lambda r: str(r.incidents), key=lambda r: r.incidents, align=RIGHT, width=9
        ),
        Column("De-escalation used", lambda r: _percent(r.deescalation), align=RIGHT, width=17),
        Column("Force used", lambda r: _percent(r.force), align=RIGHT, width=11),
        Column("An officer hurt", lambda r: _percent(r.officer_injury), align=RIGHT, width=15),
        Column("Public hurt", lambda r: _percent(r.public_injury), align=RIGHT, width=11),
    )
