"""What an officer's transcript prints: a period's records, topic totals, CIT, leave, standing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from deesc_desktop.core.cit import OfficerCit, cit_status
from deesc_desktop.core.hours import Centihours
from deesc_desktop.core.models import Certification, Exemption, Officer, TrainingRecord
from deesc_desktop.services.cit import cit_histories
from deesc_desktop.services.compliance import OfficerCompliance, compliance_of
from deesc_desktop.services.errors import NotFoundError
from deesc_desktop.services.reporting import check_period
from deesc_desktop.store.courses import topic_labels
from deesc_desktop.store.leave import load_exemptions
from deesc_desktop.store.officers import officer_by_badge
from deesc_desktop.store.training import load_records


@dataclass(frozen=True, slots=True)
class TopicTotal:
    code: str
    label: str
    hours: Centihours
    records: int


@dataclass(frozen=True, slots=True)
class TranscriptData:
    """One officer's training in a period, with the standing on its last day."""

    officer: Officer
    start: date | None
    end: date
    records: list[TrainingRecord]
    topics: list[TopicTotal]
    labels: dict[str, str]
    cit: OfficerCit
    cit_periods: list[Certification]
    cit_sources: dict[int, str]
    exemptions: list[Exemption]
    compliance: OfficerCompliance

    @property
    def total_hours(self) -> Centihours:
        return sum(r.hours for r in self.records)


def gather_transcript(
    db: Database,
    badge: str,
    start: date | None,
    end: date,
    *,
    warning_days: int,
    today: date,
) -> TranscriptData:
    """The officer named by badge: records in the period, topic totals, CIT, leave, standing."""
    officer = officer_by_badge(db, badge)
    if officer is None:
        raise NotFoundError(f'There is no officer with badge "{badge.strip()}".')
    check_period(start, end)
    # Read once for both: the period's records are the last of those the standing counts.
    counted = load_records(db, [officer.id], until=end).get(officer.id, [])
    records = [r for r in counted if start is None or r.completed >= start]
    leave = load_exemptions(db, [officer.id]).get(officer.id, [])
    labels = topic_labels(db)
    hours: dict[str, Centihours] = defaultdict(int)
    count: dict[str, int] = defaultdict(int)
    for record in records:
        for code, centihours in record.topic_hours:
            hours[code] += centihours
            count[code] += 1
    topics = sorted(
        (TopicTotal(code, labels.get(code, code), hours[code], count[code]) for code in hours),
        key=lambda t: (-t.hours, t.label.casefold()),
    )
    history = cit_histories(db, officer_id=officer.id, through=end).get(officer.id)
    periods = list(history.periods) if history else []
    standing = cit_status(periods, end, warning_days)
    exemptions = [
        e
        for e in leave
        if e.start <= end and (start is None or e.end >= start)  # begun by the end
    ]
    return TranscriptData(
        officer=officer,
        start=start,
        end=end,
        records=records,
        topics=topics,
        labels=labels,
        cit=standing,
        cit_periods=[p for p in periods if p.earned <= end],
        cit_sources=dict(history.titles) if history else {},
        exemptions=exemptions,
        compliance=compliance_of(db, officer, counted, leave, end, today=today),
    )
