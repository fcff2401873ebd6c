"""Department compliance report: counts, a chart by requirement, the officer table, reasons."""

from __future__ import annotations

from typing import ClassVar

from reportlab.platypus import Flowable, Spacer

from deesc_desktop.core.compliance import BY_SEVERITY, RequirementResult, Status
from deesc_desktop.core.dates import year_before
from deesc_desktop.core.rules import short_title
from deesc_desktop.reports.base.cells import Cell, Line, TextCell
from deesc_desktop.reports.base.formats import iso, long_date, percent_text
from deesc_desktop.reports.base.renderer import Renderer
from deesc_desktop.reports.base.styles import ALERT, WARN, markup, para
from deesc_desktop.reports.base.tables import ExportTable, PagedTable, small_table
from deesc_desktop.reports.charts import AMBER, BLUE, GREEN, GREY, RED, Series, fitted_stacked_bars
from deesc_desktop.reports.ledta import incomplete_files_section
from deesc_desktop.services.compliance import (
    COMPLIANCE_COLUMNS,
    COMPLIANCE_KINDS,
    OfficerCompliance,
    compliance_rows,
)
from deesc_desktop.services.reporting.compliance import ComplianceData, gather_compliance

EXPLAINED = tuple(status for status in BY_SEVERITY if status.needs_attention)
"""Statuses whose every result gets its full explanation; in-progress ones are summed up."""

MATRIX_MAX_REQUIREMENTS = 5
"""Up to this many requirements, one column each; more, and the table lists one row per
officer and requirement so nothing is squeezed unreadable."""


class ComplianceReport(Renderer[ComplianceData]):
    """The department compliance report."""

    kind: ClassVar[str] = "compliance"
    attestation: ClassVar[str] = (
        "I have reviewed this compliance report and attest that, to the best of my knowledge, "
        "it accurately reflects the training records of this agency on the date shown."
    )

    def gather(self) -> ComplianceData:
        return gather_compliance(self.db, self.as_of, today=self.now.date())

    def attestation_scope(self, data: ComplianceData) -> str:
        return (
            f"{len(data.people)} officers, {data.overall[Status.NON_COMPLIANT]} non-compliant, "
            f"as of {long_date(self.as_of)}"
        )

    # --- layout ----------------------------------------------------------------------------

    def status_cell(self, result: RequirementResult) -> TextCell:
        """Status on the first line; below it the reason in a few words ("short 6 h of
        high-risk traffic stops, due 2025-06-30") when the requirement is not met."""
        colour = {Status.NON_COMPLIANT: ALERT, Status.DUE_SOON: WARN}.get(result.status)
        label = Line(result.status.label, bold=True, colour=colour)
        if result.status.outstanding:
            return TextCell(label, Line(result.reason))
        return TextCell(label)

    def needs_cell(self, person: OfficerCompliance) -> TextCell:
        """Each requirement not met, one line each: "Officer safety: needs a class ...";
        or that every requirement is met (or exempt, or not applicable)."""
        lines = [
            Line(
                f"{short_title(result.requirement_title)}: {result.reason}",
                colour={Status.NON_COMPLIANT: ALERT, Status.DUE_SOON: WARN}.get(result.status),
            )
            for result in sorted(person.results, key=lambda r: r.status.severity)
            if result.status.outstanding
        ]
        return TextCell(*lines) if lines else TextCell("Nothing outstanding")

    def met_text(self, person: OfficerCompliance) -> str:
        """'12 of 15' requirements met, of those that apply and are not exempt."""
        counted = [
            r for r in person.results if r.status not in (Status.EXEMPT, Status.NOT_APPLICABLE)
        ]
        met = sum(r.status is Status.COMPLIANT for r in counted)
        return f"{met} of {len(counted)}"

    def overall_cell(self, status: Status) -> TextCell:
        colour = {Status.NON_COMPLIANT: ALERT, Status.DUE_SOON: WARN}.get(status)
        return TextCell(Line(status.label, bold=True, colour=colour))

    def summary(self, data: ComplianceData) -> list[Flowable]:
        s = self.styles
        officers = len(data.people)
        flowables: list[Flowable] = [
            markup(
                "<b>{officers}</b> serving officers measured against <b>{reqs}</b> "
                "requirement(s) in force on {day}: those hired by then and not separated "
                "before it. An officer's overall status is the most urgent of their "
                "requirements.",
                s.body,
                officers=officers,
                reqs=len(data.requirements),
                day=iso(self.as_of),
            ),
            *self.coverage(data),
        ]
        note = self.current_values_note(self.as_of)
        if note is not None:
            flowables.append(note)
        flowables.append(Spacer(1, 6))
        # Not applicable to anything is rare: a row only when someone is, so the rows add up.
        statuses = [st for st in BY_SEVERITY if st is not Status.NOT_APPLICABLE or data.overall[st]]
        overall_rows: list[list[Cell]] = [
            [st.label, str(data.overall[st]), percent_text(data.overall[st], officers)]
            for st in statuses
        ]
        flowables.append(
            self.keep(
                para("Officers by overall status", s.h2),
                small_table(
                    ["Overall status", "Officers", "Share"],
                    overall_rows,
                    [0.55, 0.2, 0.25],
                    self.frame_width * 0.36,
                    align=["left", "right", "right"],
                    total=["All officers", str(officers), percent_text(officers, officers)],
                ),
            )
        )
        by_requirement: list[list[Cell]] = []
        for req in data.requirements:
            by_requirement.append(
                [
                    para(req.id, s.cell_id),
                    para(req.title, s.cell),
                    *[str(req.counts[st]) for st in BY_SEVERITY],
                    percent_text(req.counts[Status.COMPLIANT], req.counted),
                ]
            )
        # Not kept whole: a pack of 15 requirements does not fit under the summary, and kept
        # whole it left most of the first page blank. It starts there when its heading, header
        # and first rows fit, and its header repeats on the next page.
        flowables += [
            *self.heading_over_table("Officers by requirement"),
            small_table(
                [
                    "Requirement",
                    "Title",
                    *[st.label for st in BY_SEVERITY],
                    "Compliant %",
                ],
                by_requirement,
                # Each count as wide as its header's longest word; ids and titles the rest.
                [0.2, 0.283, 0.103, 0.06, 0.067, 0.075, 0.06, 0.077, 0.075],
                self.frame_width,
                align=["left", "left", *["right"] * 7],
            ),
            para(
                "Compliant % is of the officers the requirement applies to who are not "
                "exempt from it.",
                s.note,
            ),
        ]
        return flowables

    def coverage(self, data: ComplianceData) -> list[Flowable]:
        """What the state's rules check, so nobody certifies more than was verified."""
        if data.coverage is None:
            return []
        s = self.styles
        flowables: list[Flowable] = [Spacer(1, 4), para(data.coverage.line, s.body)]
        if data.coverage.gap:
            flowables.append(para(data.coverage.gap, s.body))
        flowables.extend(para(note, s.body) for note in data.coverage.policies)
        return flowables

    def chart(self, data: ComplianceData) -> Flowable:
        shown = [
            (Status.COMPLIANT, GREEN),
            (Status.DUE_SOON, AMBER),
            (Status.IN_PROGRESS, BLUE),
            (Status.NON_COMPLIANT, RED),
            (Status.EXEMPT, GREY),
        ]
        series = [
            Series(st.label, [r.counts[st] for r in data.requirements], colour)
            for st, colour in shown
        ]
        # The requirements' names, as the dashboard's chart gives them; their ids only if two
        # names would read alike (the table above the chart gives both).
        labels = [short_title(r.title) for r in data.requirements]
        if len(set(labels)) < len(labels):
            labels = [r.id for r in data.requirements]
        return fitted_stacked_bars(
            labels,
            series,
            width=self.frame_width,
            caption="Compliance by requirement",
            value_title="Officers (not applicable left out)",
            max_height=self.body_height() - 12,
        )

    def officer_table(self, data: ComplianceData) -> Flowable:
        s = self.styles
        title = [self.heading("Officers and requirements")]
        empty = self.empty(
            f"No officers match: nobody was serving on {iso(self.as_of)}, "
            "so there is nothing to report."
        )
        if not data.requirements and data.people:
            empty = self.empty(
                f"No requirements are in force on {iso(self.as_of)}: nothing to measure."
            )
            return PagedTable(["Officer"], [], [1.0], title=title, empty=empty)
        ids = [r.id for r in data.requirements]
        if len(ids) <= MATRIX_MAX_REQUIREMENTS:
            share = 0.555 / max(1, len(ids))

            def matrix_row(person: OfficerCompliance) -> list[Cell]:
                officer = person.officer
                by_id = {r.requirement_id: r for r in person.results}
                return [
                    officer.badge,
                    TextCell(officer.display_name),
                    TextCell(" / ".join(x for x in (officer.unit, officer.shift) if x)),
                    *[self.status_cell(by_id[rid]) if rid in by_id else "" for rid in ids],
                    self.overall_cell(person.worst),
                ]

            return PagedTable(
                [
                    "Badge",
                    "Officer",
                    "Unit / shift",
                    *[para(rid, s.cell_head) for rid in ids],
                    "Overall",
                ],
                data.people,
                [0.055, 0.155, 0.12, *[share] * len(ids), 0.115],
                title=title,
                empty=empty,
                make=matrix_row,
            )

        # More requirements than columns fit: one row per officer that keeps unit, shift and
        # the overall status, and lists only what is outstanding, with its reason.
        def officer_row(person: OfficerCompliance) -> list[Cell]:
            officer = person.officer
            return [
                officer.badge,
                TextCell(officer.display_name),
                TextCell(" / ".join(x for x in (officer.unit, officer.shift) if x)),
                self.overall_cell(person.worst),
                self.met_text(person),
                self.needs_cell(person),
            ]

        return PagedTable(
            ["Badge", "Officer", "Unit / shift", "Overall", "Met", "Outstanding, and why"],
            data.people,
            [0.055, 0.14, 0.1, 0.105, 0.06, 0.54],
            title=title,
            empty=empty,
            make=officer_row,
            align=["left", "left", "left", "left", "right", "left"],
        )

    def explanations(self, data: ComplianceData) -> list[Flowable]:
        s = self.styles

        flowables: list[Flowable] = [
            self.heading("Requirements not met: the reasons"),
            para(
                "Every requirement an officer is behind on or that falls due within the "
                "warning period, with the full explanation, most urgent first.",
                s.body,
            ),
        ]

        def reason_row(item: tuple[OfficerCompliance, RequirementResult]) -> list[Cell]:
            person, result = item
            # One line each, so what is still needed reads as a list; always wrapped as
            # Paragraphs (the cell's style), never drawn as strings.
            lines = TextCell(*result.explanation_lines)
            return [
                person.officer.badge,
                TextCell(person.officer.display_name),
                TextCell(short_title(result.requirement_title)),
                lines.stacked() or lines.paragraph(),
            ]

        for status in EXPLAINED:
            items = [
                (person, result)
                for person in data.people
                for result in person.results
                if result.status is status
            ]
            flowables.append(
                PagedTable(
                    ["Badge", "Officer", "Requirement", "Explanation"],
                    items,
                    [0.07, 0.16, 0.16, 0.61],
                    title=[para(f"{status.label} ({len(items)})", s.h2)],
                    empty=self.empty(f"No officers are {status.label.lower()}."),
                    keep_whole=8,
                    make=reason_row,
                )
            )
        waiting = sum(r.status is Status.IN_PROGRESS for p in data.people for r in p.results)
        flowables.append(
            self.keep(
                para(f"{Status.IN_PROGRESS.label} ({waiting})", s.h2),
                para(
                    "Not met yet and due later than the warning period: the officer table "
                    "above lists each with what is outstanding and its due date.",
                    s.body,
                ),
            )
        )
        return flowables

    def story(self, data: ComplianceData) -> list[Flowable]:
        if not data.people:
            return [
                self.heading("Summary"),
                self.empty(
                    f"No officers match: nobody on the roster was serving on {iso(self.as_of)}."
                ),
            ]
        flowables: list[Flowable] = [self.heading("Summary"), *self.summary(data)]
        if data.requirements:
            flowables += [Spacer(1, 8), self.chart(data)]
        flowables.append(self.officer_table(data))
        if data.requirements:
            flowables += self.explanations(data)
        flowables += incomplete_files_section(
            self,
            data.incomplete_files,
            year_before(self.as_of),
            self.as_of,
            state=self.agency.state,
        )
        return flowables

    def table(self, data: ComplianceData) -> ExportTable:
        rows = compliance_rows(
            (person.officer, result) for person in data.people for result in person.results
        )
        return ExportTable(COMPLIANCE_COLUMNS, rows, kinds=COMPLIANCE_KINDS)
