"""Officer transcript: every class in a date range, hours by topic, CIT status, leave."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from reportlab.platypus import Flowable, Spacer

from deesc_desktop.core.cit import CitStatus
from deesc_desktop.core.compliance import hours_text
from deesc_desktop.core.hours import format_hours
from deesc_desktop.core.roster import serving_on
from deesc_desktop.core.topics import OFFICER_STATUSES
from deesc_desktop.reports.base.cells import Cell, Line, TextCell
from deesc_desktop.reports.base.formats import iso, long_date, sentence_case
from deesc_desktop.reports.base.renderer import Renderer
from deesc_desktop.reports.base.styles import markup, para
from deesc_desktop.reports.base.tables import ExportTable, PagedTable, detail_table, small_table
from deesc_desktop.services.export import DATE, NUMBER
from deesc_desktop.services.reporting.transcript import (
    TranscriptData,
    gather_transcript,
)

DELIVERY_SHORT = {"classroom": "Classroom", "online": "Online", "scenario": "Scenario"}
"""Delivery words short enough for the transcript's column."""

CIT_WORDS = {
    CitStatus.CURRENT: "Current",
    CitStatus.EXPIRING: "Expiring",
    CitStatus.EXPIRED: "Expired",
    CitStatus.NONE: "Not certified",
}


class TranscriptReport(Renderer[TranscriptData]):
    """An officer's training transcript."""

    kind: ClassVar[str] = "transcript"
    attestation: ClassVar[str] = (
        "I attest that this transcript is a true copy of the training records this agency "
        "holds for the officer named above."
    )

    @property
    def end(self) -> date:
        return self.params.end or self.params.as_of or self.now.date()

    def gather(self) -> TranscriptData:
        badge = self.params.badge
        assert badge is not None
        return gather_transcript(
            self.db,
            badge,
            self.params.start,
            self.end,
            warning_days=self.agency.warning_days,
            today=self.now.date(),
        )

    def report_title(self, data: TranscriptData) -> str:
        """The officer is named in every page's header, so a loose page is still theirs."""
        o = data.officer
        return f"{self.title}: {o.display_name} (badge {o.badge})"

    def attestation_scope(self, data: TranscriptData) -> str:
        o = data.officer
        period = sentence_case(self.period_text(data))
        return (
            f"{len(data.records)} training records, {format_hours(data.total_hours)} h, of "
            f"{o.first_name} {o.last_name} (badge {o.badge}), {period}"
        )

    def period_text(self, data: TranscriptData) -> str:
        if data.start is None:
            return f"All training through {long_date(data.end)}"
        return f"Training from {long_date(data.start)} to {long_date(data.end)}"

    def officer_block(self, data: TranscriptData) -> Flowable:
        s = self.styles
        o = data.officer
        status = OFFICER_STATUSES.get(o.status, o.status)
        if o.separation_date:
            status = f"{status} {iso(o.separation_date)}"
        then = data.compliance.officer
        if data.end < self.now.date() and serving_on(o, data.end):
            # The roster's status is today's; the transcript stops at its last day.
            stood = OFFICER_STATUSES.get(then.status, then.status)
            status = f"{stood} on {iso(data.end)}; now {sentence_case(status)}"
        pairs = [
            ("Officer", o.display_name),
            ("Badge", o.badge),
            ("Rank", o.rank),
            ("Unit / shift", " / ".join(x for x in (o.unit, o.shift) if x)),
            ("Hired", iso(o.hire_date)),
            ("Licensed", iso(o.license_date)),
            ("State ID", o.state_id),
            ("Status", status),
        ]
        rows: list[list[Cell]] = [
            [
                para(pairs[i][0], s.cell_bold),
                para(pairs[i][1], s.cell),
                para(pairs[i + 1][0], s.cell_bold),
                para(pairs[i + 1][1], s.cell),
            ]
            for i in range(0, len(pairs), 2)
        ]
        return detail_table(rows, [0.14, 0.36, 0.14, 0.36], self.frame_width)

    def records_table(self, data: TranscriptData) -> Flowable:
        s = self.styles
        rows: list[list[Cell]] = []
        for r in data.records:
            topics = "; ".join(
                f"{data.labels.get(code, code)} {format_hours(h)}" for code, h in r.topic_hours
            )
            scores = ""
            if r.pre_test is not None or r.post_test is not None:
                scores = f"{_score(r.pre_test)} / {_score(r.post_test)}"
            course = r.course_title + (f" ({r.course_number})" if r.course_number else "")
            # Provider and instructor under the course: long names get the width they need.
            who = " · ".join(
                x for x in (r.provider, f"Instructor: {r.instructor}" if r.instructor else "") if x
            )
            rows.append(
                [
                    iso(r.completed),
                    markup(
                        "{course}"
                        + ("<br/><font size=7 color='#555555'>{who}</font>" if who else ""),
                        s.cell,
                        course=course,
                        who=who,
                    ),
                    format_hours(r.hours),
                    TextCell(topics),
                    DELIVERY_SHORT.get(r.delivery, r.delivery),
                    scores,
                ]
            )
        span = "in the period" if data.start else "on record"
        return PagedTable(
            [
                "Date",
                "Course, provider and instructor",
                "Hours",
                "Hours by topic",
                "Delivery",
                "Pre / post",
            ],
            rows,
            [0.1, 0.41, 0.065, 0.255, 0.09, 0.08],
            align=["left", "left", "right", "left", "left", "center"],
            title=[self.heading(f"Training records ({len(rows)})")],
            empty=self.empty(
                f"No training records for {data.officer.display_name} {span} "
                f"({sentence_case(self.period_text(data))})."
            ),
            total=["Total", f"{len(rows)} records", format_hours(data.total_hours), "", "", ""],
        )

    def topics_table(self, data: TranscriptData) -> Flowable:
        rows: list[list[Cell]] = [
            [TextCell(t.label), format_hours(t.hours), str(t.records)] for t in data.topics
        ]
        return PagedTable(
            ["Topic", "Hours", "Records"],
            rows,
            [0.6, 0.2, 0.2],
            align=["left", "right", "right"],
            title=[self.heading("Hours by topic")],
            empty=self.empty("No hours in any topic in the period."),
            total=["All topics", format_hours(sum(t.hours for t in data.topics)), ""],
        )

    def cit_section(self, data: TranscriptData) -> list[Flowable]:
        s = self.styles
        standing = data.cit
        words = CIT_WORDS[standing.status]
        if standing.status is CitStatus.NONE:
            line = para(
                f"Not CIT-certified on {iso(data.end)}: no CIT certification on record.", s.body
            )
            return [self.keep(self.heading("Crisis Intervention Team (CIT)"), line)]
        detail = ""
        if standing.expires and standing.status.held:
            detail = f", expires {iso(standing.expires)} ({standing.days_left} days)"
        elif standing.expires:
            detail = f", lapsed after {iso(standing.expires)}"
        elif standing.status.held:
            detail = ", no expiry (agency policy)"
        line = markup(
            "<b>{words}</b> on {day}{detail}. First certified {first}.",
            s.body,
            words=words,
            day=iso(data.end),
            detail=detail,
            first=iso(standing.first_certified),
        )
        rows: list[list[Cell]] = [
            [
                iso(p.earned),
                iso(p.expires),
                para(data.cit_sources.get(p.id, p.issuer), s.cell),
            ]
            for p in data.cit_periods
        ]
        table = small_table(
            ["Certified from", "To", "Earned by"],
            rows,
            [0.18, 0.18, 0.64],
            self.frame_width,
        )
        return [
            self.keep(self.heading("Crisis Intervention Team (CIT)"), line, Spacer(1, 4), table)
        ]

    def exemptions_table(self, data: TranscriptData) -> Flowable:
        rows: list[list[Cell]] = [
            [
                iso(e.start),
                iso(e.end),
                TextCell(e.reason),
                TextCell(", ".join(sorted(e.requirement_ids)) or "All requirements"),
            ]
            for e in data.exemptions
        ]
        return PagedTable(
            ["From", "To", "Reason", "Applies to"],
            rows,
            [0.13, 0.13, 0.38, 0.36],
            title=[self.heading("Leave and exemptions")],
            empty=self.empty("No leave or exemptions in the period."),
        )

    def compliance_table(self, data: TranscriptData) -> Flowable:
        s = self.styles
        rows: list[list[Cell]] = [
            [
                TextCell(r.requirement_id),
                TextCell(Line(r.status.label, bold=True)),
                hours_text(r),
                para(r.explanation, s.cell),
            ]
            for r in data.compliance.results
        ]
        return PagedTable(
            ["Requirement", "Status", "Hours", "Explanation"],
            rows,
            [0.22, 0.14, 0.12, 0.52],
            title=[self.heading(f"Compliance on {iso(data.end)}")],
            empty=self.empty(f"No requirements were in force on {iso(data.end)}."),
            keep_whole=6,
        )

    def story(self, data: TranscriptData) -> list[Flowable]:
        note = self.current_values_note(data.end)
        return [
            self.officer_block(data),
            *([note] if note is not None else []),
            self.records_table(data),
            self.topics_table(data),
            *self.cit_section(data),
            self.exemptions_table(data),
            self.compliance_table(data),
        ]

    def table(self, data: TranscriptData) -> ExportTable:
        return ExportTable(
            (
                "badge",
                "officer",
                "completed",
                "course",
                "course_number",
                "hours",
                "topics",
                "delivery",
                "provider",
                "instructor",
                "pre_test",
                "post_test",
            ),
            [
                [
                    data.officer.badge,
                    data.officer.display_name,
                    iso(r.completed),
                    r.course_title,
                    r.course_number,
                    f"{r.hours / 100:.2f}",
                    ";".join(f"{code}:{h / 100:g}" for code, h in r.topic_hours),
                    r.delivery,
                    r.provider,
                    r.instructor,
                    _score(r.pre_test),
                    _score(r.post_test),
                ]
                for r in data.records
            ],
            kinds={"completed": DATE, "hours": NUMBER, "pre_test": NUMBER, "post_test": NUMBER},
        )


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:g}"
