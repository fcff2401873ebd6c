"""Grant report (LEDTA, COPS, Byrne JAG): officers trained, tests, follow-ups and funds."""

from __future__ import annotations

from datetime import date
from statistics import fmean
from typing import ClassVar

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Spacer, Table

from deesc_desktop.core.hours import format_hours
from deesc_desktop.core.money import format_money
from deesc_desktop.reports.base.cells import Cell, Line, TextCell
from deesc_desktop.reports.base.formats import iso, long_date, percent_text
from deesc_desktop.reports.base.renderer import Renderer
from deesc_desktop.reports.base.styles import GRID, layout_style, markup, para
from deesc_desktop.reports.base.tables import ExportTable, PagedTable, small_table
from deesc_desktop.reports.charts import NAVY, TEAL, Series, grouped_bars
from deesc_desktop.reports.ledta import incident_section, incomplete_files_section
from deesc_desktop.services.export import INTEGER, NUMBER
from deesc_desktop.services.reporting.grant import (
    FEDERAL_FY_START,
    GRANT_KINDS,
    GrantData,
    gather_grant,
)


def _avg(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


class GrantReport(Renderer[GrantData]):
    """The yearly LEDTA / COPS / JAG de-escalation training report."""

    kind: ClassVar[str] = "grant"
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
        start, end = self.period()
        return gather_grant(
            self.db, self.params.grant, start, end, include_names=self.params.include_names
        )

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
                    "Received is the amount awarded, with every change a chief approved up to "
                    f"{iso(self.now.date())} (deesc does not record drawdowns). Spent "
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
            *incident_section(self, data.incidents, data.breakdowns, data.start, data.end),
            *incomplete_files_section(
                self, data.incomplete_files, data.start, data.end, state=self.agency.state
            ),
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
