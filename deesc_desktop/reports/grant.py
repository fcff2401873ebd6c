"""Grant report (LEDTA, COPS, Byrne JAG): officers trained, tests, follow-ups and funds."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from statistics import fmean
from typing import ClassVar

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Spacer, Table

from deesc_desktop.core.hours import Centihours, format_hours
from deesc_desktop.core.incidents import DEESCALATION_TOPICS
from deesc_desktop.core.models import Officer, TrainingRecord
from deesc_desktop.core.money import Cents, format_money
from deesc_desktop.core.names import name_key
from deesc_desktop.core.roster import serving_on
from deesc_desktop.reports.base.cells import Cell, Line, TextCell
from deesc_desktop.reports.base.formats import iso, long_date, percent_text
from deesc_desktop.reports.base.params import GRANT_KINDS, check_period
from deesc_desktop.reports.base.renderer import Renderer
from deesc_desktop.reports.base.styles import GRID, layout_style, markup, para
from deesc_desktop.reports.base.tables import ExportTable, PagedTable, small_table
from deesc_desktop.reports.charts import NAVY, TEAL, Series, grouped_bars
from deesc_desktop.reports.ledta import incident_section, incomplete_files_section
from deesc_desktop.reports.payments import adjustments_between
from deesc_desktop.services.errors import ValidationError
from deesc_desktop.services.export import INTEGER, NUMBER
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

    @property
    def test_pairs(self) -> list[tuple[float, float]]:
        return [pair for row in self.tests for pair in row.pairs]

    @property
    def not_trained(self) -> int:
        """Officers employed at the end of the period with no de-escalation training in it."""
        return self.employed - self.ledta_trained_employed


def gather_grant(renderer: GrantReport) -> GrantData:
    """Officers, training, tests, follow-ups and money of the period, from the tables."""
    db, params = renderer.db, renderer.params
    if params.grant not in GRANT_KINDS:
        raise ValidationError({"grant": f'"{params.grant}" is not one of {", ".join(GRANT_KINDS)}'})
    start, end = renderer.period()
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
    if params.include_names:
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
    kinds = GRANT_KINDS[params.grant][1]
    sources = [s for s in funding_summaries(db) if s.kind in kinds]
    spent: dict[int, Cents] = defaultdict(int)
    spent_by_end: dict[int, Cents] = defaultdict(int)
    for claim in list_claims(db, status="paid"):
        if claim.paid_on and claim.paid_on <= end.isoformat():
            spent_by_end[claim.funding_source_id] += claim.amount
            if start.isoformat() <= claim.paid_on:
                spent[claim.funding_source_id] += claim.amount
    for adjustment in adjustments_between(db, date.min, end):
        spent_by_end[adjustment.funding_source_id] += adjustment.amount
        if start.isoformat() <= adjustment.adjusted_on:
            spent[adjustment.funding_source_id] += adjustment.amount
    employed_ids = {o.id for o in employed}
    return GrantData(
        grant=params.grant,
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
    )


def _avg(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


class GrantReport(Renderer[GrantData]):
    """The yearly LEDTA / COPS / JAG de-escalation training report."""

    kind: ClassVar[str] = "grant"
    title: ClassVar[str] = "Grant report (LEDTA / COPS / JAG)"
    description: ClassVar[str] = (
        "What a LEDTA, COPS or Byrne JAG de-escalation grant report asks for, for a period "
        "(the federal fiscal year by default): officers employed and trained by topic, hours, "
        "pre/post-test averages, follow-up assessments, funds received and spent, interactions "
        "with de-escalation and force and injury rates by training, class files still "
        "incomplete; officers' names can be left out."
    )
    params_used: ClassVar[tuple[str, ...]] = (
        "grant",
        "start",
        "end",
        "include_names",
        "confidential",
        "signer",
        "signer_title",
    )
    attestation: ClassVar[str] = (
        "I certify that the figures in this report are true and complete and are drawn from "
        "this agency's training and payment records for the period shown."
    )

    def period(self) -> tuple[date, date]:
        """As asked; by default the federal fiscal year (October-September) to the as-of date."""
        end = self.params.end or self.as_of
        if self.params.start:
            return self.params.start, end
        year = end.year if end.month >= FEDERAL_FY_START else end.year - 1
        return date(year, FEDERAL_FY_START, 1), end

    def gather(self) -> GrantData:
        return gather_grant(self)

    def report_title(self, data: GrantData) -> str:
        return GRANT_KINDS[data.grant][0]

    def period_text(self, data: GrantData) -> str:
        return f"Reporting period {long_date(data.start)} to {long_date(data.end)}"

    def attestation_scope(self, data: GrantData) -> str:
        return (
            f"{data.employed} officers employed at the end of the period, {data.trained} "
            f"trained, {format_hours(data.total_hours)} h, {long_date(data.start)} to "
            f"{long_date(data.end)}"
        )

    def officer_name(self, data: GrantData, officer_id: int, name: str, badge: str) -> str:
        if self.params.include_names:
            return f"{name} ({badge})"
        return data.labels.get(officer_id, "Officer")

    def figures(self, data: GrantData) -> list[Flowable]:
        s = self.styles
        pairs = data.test_pairs
        rows: list[list[Cell]] = [
            [para("Officers employed at the end of the period", s.cell), str(data.employed)],
            [
                para("Officers employed at any time in the period", s.cell),
                str(data.employed_during),
            ],
            [para("Officers who separated in the period", s.cell), str(data.separated_during)],
            [para("Officers with any training in the period", s.cell), str(data.trained)],
            [
                para("Officers trained in de-escalation topics (see below)", s.cell),
                str(data.ledta_trained),
            ],
            [
                para(
                    "… of them still employed at the end, and their share of those employed", s.cell
                ),
                f"{data.ledta_trained_employed} "
                f"({percent_text(data.ledta_trained_employed, data.employed)})",
            ],
            [
                para("Training hours in the period (all topics)", s.cell),
                format_hours(data.total_hours),
            ],
            [
                para("Pre/post-tests taken (both scores recorded)", s.cell),
                str(len(pairs)),
            ],
            [
                para("Average pre-test / post-test / change (points)", s.cell),
                f"{fmean(p for p, _ in pairs):.1f} / {fmean(q for _, q in pairs):.1f} / "
                f"{fmean(q - p for p, q in pairs):+.1f}"
                if pairs
                else "no tests recorded",
            ],
            [para("Follow-up assessments", s.cell), str(len(data.followups))],
            [
                para("Average follow-up score", s.cell),
                f"{fmean(f.score for f in data.followups):.1f}" if data.followups else "none",
            ],
        ]
        return [
            self.keep(
                self.heading("Key figures"),
                small_table(
                    ["Measure", "Figure"],
                    rows,
                    [0.6, 0.4],
                    self.frame_width * 0.85,
                    align=["left", "right"],
                ),
            )
        ]

    def topics_table(self, data: GrantData) -> Flowable:
        s = self.styles
        rows: list[list[Cell]] = [
            [
                TextCell(Line(t.label, bold=bool(t.ledta))),
                "yes" if t.ledta else "",
                str(t.officers),
                str(t.records),
                format_hours(t.hours),
            ]
            for t in data.topics
        ]
        return PagedTable(
            ["Topic", "De-escalation", "Officers", "Completions", "Hours"],
            rows,
            [0.4, 0.16, 0.14, 0.16, 0.14],
            share=0.85,
            align=["left", "center", "right", "right", "right"],
            title=[
                self.heading("Officers trained by topic"),
                para(
                    "An officer is counted once per topic however many classes they took. "
                    "De-escalation topics: "
                    + ", ".join(t.label for t in data.topics if t.ledta or False)
                    + ".",
                    s.note,
                ),
            ],
            empty=self.empty(
                f"No officers match: no training was completed between {iso(data.start)} "
                f"and {iso(data.end)}."
            ),
            total=["All topics", "", str(data.trained), "", format_hours(data.total_hours)],
        )

    def tests_section(self, data: GrantData) -> list[Flowable]:
        s = self.styles
        if not data.tests:
            return [
                self.heading("Pre- and post-test results"),
                self.empty("No class in the period has both pre- and post-test scores."),
            ]
        rows: list[list[Cell]] = [
            [
                para(t.course, s.cell),
                str(len(t.pairs)),
                f"{t.pre:.1f}",
                f"{t.post:.1f}",
                f"{t.change:+.1f}",
            ]
            for t in data.tests
        ]
        pairs = data.test_pairs
        total: list[Cell] = [
            "All courses",
            str(len(pairs)),
            f"{fmean(p for p, _ in pairs):.1f}",
            f"{fmean(q for _, q in pairs):.1f}",
            f"{fmean(q - p for p, q in pairs):+.1f}",
        ]
        table = small_table(
            ["Course", "Tests", "Average pre-test", "Average post-test", "Change"],
            rows,
            [0.44, 0.1, 0.16, 0.16, 0.14],
            self.frame_width,
            align=["left", "right", "right", "right", "right"],
            total=total,
        )
        chart = grouped_bars(
            [t.short for t in data.tests],
            [
                Series("Average pre-test", [round(t.pre, 1) for t in data.tests], NAVY),
                Series("Average post-test", [round(t.post, 1) for t in data.tests], TEAL),
            ],
            width=min(self.frame_width, 140 + 90 * len(data.tests)),
            height=170,
            caption="Average test scores by course (0-100)",
            value_title="Score",
            value_max=100,
            value_format="%.1f",
        )
        return [
            self.keep(
                self.heading("Pre- and post-test results"),
                para("Scores out of 100; change is post-test minus pre-test.", s.note),
                table,
            ),
            Spacer(1, 8),
            self.keep(chart),
        ]

    def followups_table(self, data: GrantData) -> Flowable:
        s = self.styles
        names = self.params.include_names
        rows: list[list[Cell]] = []
        for f in data.followups:
            who = self.officer_name(data, f.officer_id, f.officer_name, f.badge)
            linked = f"{f.course} ({f.completed})" if f.course else ""
            row: list[Cell] = [
                f.assessed_on,
                TextCell(who),
                TextCell(linked),
                "" if f.post_test is None else f"{f.post_test:g}",
                f"{f.score:g}",
            ]
            if names:
                row.insert(2, TextCell(f.assessor))
            rows.append(row)
        headers: list[Cell] = ["Assessed", "Officer", "Class followed up", "Post-test", "Score"]
        widths = [0.12, 0.3, 0.38, 0.1, 0.1]
        if names:
            headers.insert(2, "Assessor")
            widths = [0.11, 0.24, 0.17, 0.3, 0.09, 0.09]
        return PagedTable(
            headers,
            rows,
            widths,
            align=["left"] * (len(headers) - 2) + ["right", "right"],
            title=[
                self.heading(f"Follow-up assessments ({len(rows)})"),
                para(
                    "Whether officers use the skills on the job, assessed after training "
                    "(score out of 100).",
                    s.note,
                ),
            ],
            empty=self.empty("No follow-up assessments were recorded in the period."),
        )

    def funds_table(self, data: GrantData) -> Flowable:
        s = self.styles
        rows: list[list[Cell]] = [
            [
                markup(
                    "{name}<br/><font size=7 color='#555555'>{start} to {end}</font>",
                    s.cell,
                    name=f.source.name,
                    start=f.source.start,
                    end=f.source.end,
                ),
                para(f.source.award_number, s.cell_small),
                format_money(f.source.amount),
                format_money(f.paid_in_period),
                format_money(f.paid_through_end),
                format_money(f.source.committed),
                format_money(f.source.balance),
            ]
            for f in data.funds
        ]
        kinds = ", ".join(GRANT_KINDS[data.grant][1])
        return PagedTable(
            [
                "Funding source and award period",
                "Award",
                "Received (awarded)",
                "Spent in period",
                "Spent by period end",
                "Committed now",
                "Balance now",
            ],
            rows,
            [0.22, 0.18, 0.12, 0.12, 0.12, 0.12, 0.12],
            align=["left"] * 2 + ["right"] * 5,
            title=[
                self.heading("Funds received and spent"),
                para(
                    "Received is the amount awarded (deesc does not record drawdowns). Spent "
                    "is de-escalation bonus claims paid plus adjustments, by their payment "
                    f"date; committed is approved claims not yet paid on "
                    f"{iso(self.now.date())}, and the balance is the award less what was "
                    "committed and paid by then.",
                    s.note,
                ),
            ],
            empty=self.empty(
                f"No funding sources of this kind ({kinds}) are recorded, so no funds are reported."
            ),
            total=[
                "All sources",
                "",
                format_money(sum(f.source.amount for f in data.funds)),
                format_money(sum(f.paid_in_period for f in data.funds)),
                format_money(sum(f.paid_through_end for f in data.funds)),
                format_money(sum(f.source.committed for f in data.funds)),
                format_money(sum(f.source.balance for f in data.funds)),
            ],
        )

    def officers_table(self, data: GrantData) -> Flowable:
        s = self.styles
        names = self.params.include_names
        rows: list[list[Cell]] = []
        for r in data.officers:
            first: list[Cell] = (
                [r.officer.badge, TextCell(r.officer.display_name)] if names else [r.label]
            )
            rows.append(
                [
                    *first,
                    str(r.records),
                    format_hours(r.hours),
                    format_hours(r.ledta_hours),
                    _avg(r.pre),
                    _avg(r.post),
                    _avg(r.followup),
                ]
            )
        headers: list[Cell] = ["Badge", "Officer"] if names else ["Officer"]
        widths = [0.09, 0.27] if names else [0.36]
        return PagedTable(
            [
                *headers,
                "Classes",
                "Hours",
                "De-escalation hours",
                "Avg pre-test",
                "Avg post-test",
                "Follow-up",
            ],
            rows,
            [*widths, 0.1, 0.1, 0.14, 0.1, 0.1, 0.1],
            align=["left"] * len(headers) + ["right"] * 6,
            title=[
                self.heading(f"Officers trained in the period ({len(rows)})"),
                para(
                    "Names are left out of this report: officers are numbered instead."
                    if not names
                    else "Every officer with training completed in the period.",
                    s.note,
                ),
            ],
            empty=self.empty("No officers match: nobody completed training in the period."),
        )

    def narrative(self, data: GrantData) -> list[Flowable]:
        s = self.styles
        box = Table(
            [[""]],
            colWidths=[self.frame_width],
            rowHeights=[1.1 * inch],
            style=layout_style([("BOX", (0, 0), (-1, -1), 0.6, GRID)]),
        )
        plan = markup(
            "{n} of the {employed} officers employed at the end of the period had no "
            "de-escalation training in it. Plan to train all officers:",
            s.body,
            n=max(0, data.not_trained),
            employed=data.employed,
        )
        return [
            self.keep(
                self.heading("Barriers to training and plan to train all officers"),
                para("Barriers to training (to be completed by the agency):", s.body),
                Spacer(1, 3),
                box,
            ),
            Spacer(1, 6),
            self.keep(plan, Spacer(1, 3), box),
        ]

    def story(self, data: GrantData) -> list[Flowable]:
        return [
            *self.figures(data),
            self.topics_table(data),
            *self.tests_section(data),
            self.followups_table(data),
            self.funds_table(data),
            self.officers_table(data),
            *incident_section(self, data.start, data.end),
            *incomplete_files_section(self, data.start, data.end, state=self.agency.state),
            *self.narrative(data),
        ]

    def table(self, data: GrantData) -> ExportTable:
        return ExportTable(
            ("topic_code", "topic", "deescalation_topic", "officers", "completions", "hours"),
            [
                [
                    t.code,
                    t.label,
                    "yes" if t.ledta else "no",
                    str(t.officers),
                    str(t.records),
                    f"{t.hours / 100:.2f}",
                ]
                for t in data.topics
            ],
            kinds={"officers": INTEGER, "completions": INTEGER, "hours": NUMBER},
        )
