"""Table models of the CIT page: the certified roster, coverage per shift, certificates."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from deesc_desktop.core.cit import ShiftCoverage
from deesc_desktop.core.names import name_key
from deesc_desktop.gui import style
from deesc_desktop.gui.models import RIGHT, Column, Index, RowsModel, natural_key
from deesc_desktop.services.cit import CitRosterRow
from deesc_desktop.store.cit import CertificateListRow

CIT_ORDER = {"expired": 0, "expiring": 1, "current": 2, "none": 3}


def cit_text(status: str) -> str:
    return style.CIT_LABEL.get(status, status)


def _day(value: Any) -> str:
    return value.isoformat() if value is not None else ""


class CitColumn:
    BADGE = 0
    OFFICER = 1
    UNIT = 2
    SHIFT = 3
    STATUS = 4
    EARNED = 5
    EXPIRES = 6
    DAYS_LEFT = 7
    REFRESHER = 8
    SOURCE = 9


def _days_left(row: CitRosterRow) -> str:
    left = row.standing.days_left
    return "" if left is None else str(left)


class CitRosterModel(RowsModel):
    """Everyone who holds or held CIT: standing on the day, dates, where it came from."""

    COLUMNS = (
        Column("Badge", lambda r: r.officer.badge, lambda r: natural_key(r.officer.badge), width=6),
        Column(
            "Officer",
            lambda r: r.officer.display_name,
            lambda r: name_key(r.officer.last_name, r.officer.first_name),
            width=18,
        ),
        Column("Unit", lambda r: r.officer.unit, width=10),
        Column("Shift", lambda r: r.officer.shift, width=8),
        Column(
            "Status",
            lambda r: cit_text(r.standing.status.value),
            lambda r: (CIT_ORDER.get(r.standing.status.value, 9), r.officer.last_name),
            width=9,
        ),
        Column(
            "Certified since",
            lambda r: _day(r.standing.certification.earned if r.standing.certification else None),
            tip="Start of the current (or last) period of certification",
            width=14,
        ),
        Column(
            "Expires",
            lambda r: _day(r.standing.expires),
            lambda r: _day(r.standing.expires),
            width=10,
        ),
        Column(
            "Days left",
            _days_left,
            lambda r: r.standing.days_left if r.standing.days_left is not None else -1,
            RIGHT,
            width=9,
        ),
        Column("Last refresher", lambda r: _day(r.last_refresher), width=14),
        Column(
            "Source",
            lambda r: r.source,
            tip="The course or certificate that certified them",
            width=21,
        ),
        Column(
            "CIT team",
            lambda r: "✓ Team member" if r.team_member else "Trained only",
            lambda r: not r.team_member,
            tip="Selected for the CIT team on the day (coverage counts team members); "
            "trained only: took the course but was not selected",
            width=14,
        ),
    )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            index.isValid()
            and role == Qt.ItemDataRole.BackgroundRole
            and index.column() == CitColumn.STATUS
        ):
            tone = style.CIT_TONE[self.row(index.row()).standing.status.value]
            return style.tone_background(tone)
        return super().data(index, role)

    def foreground(self, row: CitRosterRow, column: int) -> QColor | None:
        if column == CitColumn.STATUS:
            return style.tone_text(style.CIT_TONE[row.standing.status.value])
        return None

    def tooltip(self, row: CitRosterRow, column: int) -> str | None:
        # The column is narrower than most course titles and certificate numbers.
        return row.source if column == CitColumn.SOURCE else None


class CoverageColumn:
    SHIFT = 0
    OFFICERS = 1
    CERTIFIED = 2
    PERCENT = 3
    NOTE = 4


class CoverageModel(RowsModel):
    """Active patrol officers per shift and how many hold CIT; an empty shift is flagged."""

    COLUMNS = (
        Column("Shift", lambda r: r.shift, width=16),
        Column("Patrol officers", lambda r: str(r.officers), lambda r: r.officers, RIGHT, width=14),
        Column(
            "CIT officers",
            lambda r: str(r.certified),
            lambda r: r.certified,
            RIGHT,
            tip="CIT team members holding CIT (every CIT-trained officer when no team is recorded)",
            width=13,
        ),
        Column("Coverage", lambda r: f"{r.percent}%", lambda r: r.percent, RIGHT, width=10),
        Column(
            "CIT officer on the shift?",
            lambda r: "✗ No CIT officer on this shift" if r.uncovered else "✓ Yes",
            lambda r: r.uncovered,
        ),
    )

    def foreground(self, row: ShiftCoverage, column: int) -> QColor | None:
        if column == CoverageColumn.NOTE:
            return QColor(style.Colour.ERROR if row.uncovered else style.Colour.OK)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            index.isValid()
            and role == Qt.ItemDataRole.BackgroundRole
            and self.row(index.row()).uncovered
        ):
            return QColor(style.BAD.background)
        return super().data(index, role)


def certificate_state(row: CertificateListRow) -> str:
    if row.revoked_at:
        return f"Revoked {row.revoked_at[:10]} by {row.revoked_by}: {row.revoked_reason}"
    return "Counts"


class CertificateColumn:
    EARNED = 0
    OFFICER = 1
    BADGE = 2
    NUMBER = 3
    ISSUER = 4
    EXPIRES = 5
    STATE = 6


class CertificateModel(RowsModel):
    """Certificates entered by hand, revoked ones kept and marked."""

    COLUMNS = (
        Column("Earned", lambda r: r.earned, lambda r: r.earned, width=11),
        Column(
            "Officer",
            lambda r: r.officer_name,
            lambda r: name_key(r.last_name, r.first_name),
            width=20,
        ),
        Column("Badge", lambda r: r.badge, lambda r: natural_key(r.badge), width=7),
        Column("Number", lambda r: r.number, width=12),
        Column("Issuer", lambda r: r.issuer, width=28),
        Column(
            "Expires",
            lambda r: r.expires or "not printed",
            lambda r: r.expires or "",
            tip="A certificate with no printed expiry lasts the agency's validity period (with "
            "none set, it does not expire)",
            width=12,
        ),
        Column("State", certificate_state),
    )

    def foreground(self, row: CertificateListRow, column: int) -> QColor | None:
        if column == CertificateColumn.STATE:
            return QColor(style.Colour.NEUTRAL if row.revoked_at else style.Colour.OK)
        if row.revoked_at:
            return QColor("#8a939d")
        return None

    def tooltip(self, row: CertificateListRow, column: int) -> str | None:
        return row.notes or None
