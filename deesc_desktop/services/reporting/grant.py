"""What a grant report prints: a period's officers, training, tests, follow-ups and funds."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from statistics import fmean

from sqlite_utils import Database

from deesc_desktop.core.hours import Centihours
from deesc_desktop.core.incidents import DEESCALATION_TOPICS, LedtaFigures
from deesc_desktop.core.models import Officer, TrainingRecord
from deesc_desktop.core.money import Cents
from deesc_desktop.core.names import name_key
from deesc_desktop.core.roster import serving_on
from deesc_desktop.services.course_files import ClassFile
from deesc_desktop.services.errors import ValidationError
from deesc_desktop.services.incidents import (
    Breakdown,
    incident_breakdowns,
    incident_figures,
    list_incidents,
)
from deesc_desktop.services.reporting import (
    adjustments_on_last_day,
    check_period,
    incomplete_class_files,
)
from deesc_desktop.store.claims import list_claims
from deesc_desktop.store.courses import topic_labels
from deesc_desktop.store.followups import FollowupRow, followups
from deesc_desktop.store.funding import FundingSummary, funding_summaries
from deesc_desktop.store.officers import load_officers
from deesc_desktop.store.training import load_records

LEDTA_TOPICS = DEESCALATION_TOPICS
"""Topics counted as de-escalation training for the grant figures, and for whether the
officers at an incident had been trained (one definition, in core.incidents); every topic
trained is still listed."""

GRANT_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ledta": ("LEDTA de-escalation training report", ("ledta",)),
    "cops": ("COPS de-escalation grant report", ("cops_deescalation",)),
    "jag": ("Byrne JAG de-escalation training report", ("byrne_jag",)),
}
"""Grant program -> (report title, funding source kinds whose money the report shows)."""

FEDERAL_FY_START = 10
"""Federal fiscal years, which LEDTA, COPS and JAG report on, run October to September."""


@dataclass(frozen=True, slots=True)
class TopicRow:
    code: str
    label: str
    officers: int
    records: int
    hours: Centihours

    @property
    def ledta(self) -> bool:
        return self.code in LEDTA_TOPICS


@dataclass(frozen=True, slots=True)
class TestRow:
    """Pre- and post-test results of one course (records with both scores)."""

    course: str
    short: str
    pairs: list[tuple[float, float]]

    @property
    def pre(self) -> float:
        return fmean(p for p, _ in self.pairs)

    @property
    def post(self) -> float:
        return fmean(q for _, q in self.pairs)

    @property
    def change(self) -> float:
        return self.post - self.pre


@dataclass(frozen=True, slots=True)
class OfficerRow:
    officer: Officer
    label: str
    records: int
    hours: Centihours
    ledta_hours: Centihours
    pre: float | None
    post: float | None
    followup: float | None


@dataclass(frozen=True, slots=True)
class FundRow:
    source: FundingSummary
    paid_in_period: Cents
    paid_through_end: Cents
    """Paid on or before the period's last day, with adjustments dated by then: what had been
    spent when the period closed, whatever was paid since."""


@dataclass(frozen=True, slots=True)
class GrantData:
    """The figures a LEDTA, COPS or JAG report gives for one period."""

    grant: str
    start: date
    end: date
    employed: int
    employed_during: int
    separated_during: int
    trained: int
    ledta_trained: int
    """Officers with hours in a de-escalation topic in the period (separated ones included)."""
    ledta_trained_employed: int
    """Of those, the officers still employed at the end of the period."""
    topics: list[TopicRow]
    total_hours: Centihours
    tests: list[TestRow]
    followups: list[FollowupRow]
    funds: list[FundRow]
    officers: list[OfficerRow]
    labels: dict[int, str]
    """officer id -> "Officer 001", the numbering used when names are left out."""
    incidents: LedtaFigures
    """The LEDTA interaction figures of the period, by federal quarter and fiscal year."""
    breakdowns: list[Breakdown]
    """The period's interactions counted by type, force, tactics and demographics."""
    incomplete_files: list[ClassFile]

    @property
    def test_pairs(self) -> list[tuple[float, float]]:
        return [pair for row in self.tests for pair in row.pairs]

    @property
    def not_trained(self) -> int:
        """Officers employed at the end of the period with no de-escalation training in it."""
        return self.employed - self.ledta_trained_employed


def gather_grant(
    db: Database, grant: str, start: date, end: date, *, include_names: bool
) -> GrantData:
    """Officers, training, tests, follow-ups and money of the period, from the tables."""
    if grant not in GRANT_KINDS:
        raise ValidationError({"grant": f'"{grant}" is not one of {", ".join(GRANT_KINDS)}'})
    check_period(start, end)
    officers = load_officers(db)
    employed = [o for o in officers if serving_on(o, end)]
    during = [
        o
        for o in officers
        if o.hire_date <= end and (o.separation_date is None or o.separation_date >= start)
    ]
    separated = [o for o in officers if o.separation_date and start <= o.separation_date <= end]
    records: dict[int, list[TrainingRecord]] = {
        officer_id: kept
        for officer_id, rows in load_records(db).items()
        if (kept := [r for r in rows if start <= r.completed <= end])
    }
    names = topic_labels(db)
    topic_officers: dict[str, set[int]] = defaultdict(set)
    topic_records: dict[str, int] = defaultdict(int)
    topic_hours: dict[str, Centihours] = defaultdict(int)
    tests: dict[str, list[tuple[float, float]]] = defaultdict(list)
    shorts: dict[str, str] = {}
    for officer_id, rows in records.items():
        for record in rows:
            for code, hours in record.topic_hours:
                topic_officers[code].add(officer_id)
                topic_records[code] += 1
                topic_hours[code] += hours
            if record.pre_test is not None and record.post_test is not None:
                tests[record.course_title].append((record.pre_test, record.post_test))
                shorts[record.course_title] = record.course_number or record.course_title
    topics = sorted(
        (
            TopicRow(code, names.get(code, code), len(ids), topic_records[code], topic_hours[code])
            for code, ids in topic_officers.items()
        ),
        key=lambda t: (not t.ledta, -t.officers, t.label.casefold()),
    )
    ledta_ids = {i for code in LEDTA_TOPICS for i in topic_officers.get(code, set())}
    follow = [f for f in followups(db) if start.isoformat() <= f.assessed_on <= end.isoformat()]
    follow.sort(key=lambda f: (f.assessed_on, f.id))
    follow_scores: dict[int, list[float]] = defaultdict(list)
    for f in follow:
        follow_scores[f.officer_id].append(f.score)
    by_id = {o.id: o for o in officers}
    officer_rows = []
    for officer_id, rows in records.items():
        pre = [r.pre_test for r in rows if r.pre_test is not None]
        post = [r.post_test for r in rows if r.post_test is not None]
        ledta = sum(h for r in rows for code, h in r.topic_hours if code in LEDTA_TOPICS)
        scores = follow_scores.get(officer_id)
        officer_rows.append(
            OfficerRow(
                by_id[officer_id],
                "",
                len(rows),
                sum(r.hours for r in rows),
                ledta,
                fmean(pre) if pre else None,
                fmean(post) if post else None,
                fmean(scores) if scores else None,
            )
        )
    if include_names:
        officer_rows.sort(key=lambda r: name_key(r.officer.last_name, r.officer.first_name))
    else:
        # Numbered by training hours, not by name, so the order gives no one away.
        officer_rows.sort(key=lambda r: (-r.hours, r.officer.id))
    labels = {}
    for number, row in enumerate(officer_rows, start=1):
        labels[row.officer.id] = f"Officer {number:03d}"
    for f in follow:
        labels.setdefault(f.officer_id, f"Officer {len(labels) + 1:03d}")
    officer_rows = [replace(r, label=labels[r.officer.id]) for r in officer_rows]
    kinds = GRANT_KINDS[grant][1]
    sources = [s for s in funding_summaries(db) if s.kind in kinds]
    spent: dict[int, Cents] = defaultdict(int)
    spent_by_end: dict[int, Cents] = defaultdict(int)
    for claim in list_claims(db, status="paid"):
        if claim.paid_on and claim.paid_on <= end.isoformat():
            spent_by_end[claim.funding_source_id] += claim.amount
            if start.isoformat() <= claim.paid_on:
                spent[claim.funding_source_id] += claim.amount
    for adjustment in adjustments_on_last_day(db, date.min, end)[0]:
        spent_by_end[adjustment.funding_source_id] += adjustment.amount
        if start.isoformat() <= adjustment.adjusted_on:
            spent[adjustment.funding_source_id] += adjustment.amount
    employed_ids = {o.id for o in employed}
    return GrantData(
        grant=grant,
        start=start,
        end=end,
        employed=len(employed),
        employed_during=len(during),
        separated_during=len(separated),
        trained=len(records),
        ledta_trained=len(ledta_ids),
        topics=topics,
        total_hours=sum(r.hours for rows in records.values() for r in rows),
        tests=sorted(
            (TestRow(course, shorts[course], pairs) for course, pairs in tests.items()),
            key=lambda t: t.course.casefold(),
        ),
        followups=follow,
        funds=[FundRow(s, spent[s.id], spent_by_end[s.id]) for s in sources],
        officers=officer_rows,
        labels=labels,
        ledta_trained_employed=len(ledta_ids & employed_ids),
        incidents=incident_figures(db, start, end),
        breakdowns=incident_breakdowns(list_incidents(db, start, end)),
        incomplete_files=incomplete_class_files(db, start, end),
    )
