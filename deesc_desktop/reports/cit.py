"""CIT roster and coverage: who holds CIT, until when, and whether every shift is covered."""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from reportlab.platypus import Flowable, Spacer, Table

from deesc_desktop.core.cit import CitStatus
from deesc_desktop.core.hours import format_hours
from deesc_desktop.reports.base.cells import Cell, Line, TextCell
from deesc_desktop.reports.base.formats import iso, long_date
from deesc_desktop.reports.base.renderer import Renderer
from deesc_desktop.reports.base.styles import ALERT, WARN, hex_colour, layout_style, markup, para
from deesc_desktop.reports.base.tables import ExportTable, PagedTable, small_table
from deesc_desktop.reports.charts import NAVY, TEAL, Series, grouped_bars
from deesc_desktop.reports.transcript import CIT_WORDS
from deesc_desktop.services.cit import CitReport as CitData
from deesc_desktop.services.cit import CitRosterRow, cit_report
from deesc_desktop.services.export import DATE, INTEGER


class CitReport(Renderer[CitData]):
    """The CIT roster and coverage per shift."""

    kind: ClassVar[str] = "cit"
    attestation: ClassVar[str] = (
        "I attest that this CIT roster and coverage report accurately reflects this agency's "
        "records on the date shown."
    )

    def gather(self) -> CitData:
        return cit_report(self.db, self.as_of, today=self.now.date())

    def attestation_scope(self, data: CitData) -> str:
        cover = data.coverage
        return (
            f"{len(data.roster)} officers on the CIT roster, {cover.certified} of "
            f"{cover.officers} patrol officers certified, as of {long_date(data.as_of)}"
        )

    def status_cell(self, row: CitRosterRow) -> TextCell:
        status = row.standing.status
        colour = {CitStatus.EXPIRED: ALERT, CitStatus.EXPIRING: WARN}.get(status)
        return TextCell(Line(CIT_WORDS[status], bold=colour is not None, colour=colour))

    def coverage(self, data: CitData) -> list[Flowable]:
        s = self.styles
        cover = data.coverage
        verdict = (
            "The target is met."
            if cover.meets_target
            else f"The target is not met: {cover.needed} more certified officer(s) needed."
        )
        uncovered = cover.uncovered_shifts
        gap = (
            f" No CIT-certified officer on: {', '.join(uncovered)}."
            if uncovered
            else " Every shift has at least one CIT-certified officer."
        )
        lines: list[Flowable] = [
            markup(
                "<b>{certified}</b> of <b>{officers}</b> active officers in the {unit} unit are "
                "counted on {day} ({counted}): <b>{percent}%</b> against a target of "
                "{target}%. {verdict}{gap}",
                s.body,
                certified=cover.certified,
                officers=cover.officers,
                unit=cover.patrol_unit,
                day=iso(data.as_of),
                percent=cover.percent,
                target=cover.target_percent,
                verdict=verdict,
                gap=gap,
                counted=cover.counted,
            ),
            para(
                "Officers on leave or separated are not on the street and count in neither "
                "figure. A certification expiring within "
                f"{data.warning_days} days shows as expiring.",
                s.note,
            ),
        ]
        note = self.current_values_note(data.as_of)
        if note is not None:
            lines.append(note)
        lines.append(Spacer(1, 6))
        if not cover.shifts:
            lines.append(
                self.empty(
                    f"No officers match: there are no active officers in the "
                    f"{cover.patrol_unit} unit, so coverage cannot be measured."
                )
            )
            return [self.heading("Coverage"), *lines]
        rows: list[list[Cell]] = [
            [
                para(shift.shift, s.cell),
                str(shift.officers),
                str(shift.certified),
                f"{shift.percent}%",
                markup(
                    f'<font color="{hex_colour(ALERT)}"><b>NO CIT OFFICER</b></font>',
                    s.cell,
                )
                if shift.uncovered
                else "",
            ]
            for shift in cover.shifts
        ]
        table = small_table(
            ["Shift", "Patrol officers", "CIT-certified", "Coverage", "Note"],
            rows,
            [0.2, 0.18, 0.2, 0.17, 0.25],
            self.frame_width * 0.48,
            align=["left", "right", "right", "right", "left"],
            total=[
                "All shifts",
                str(cover.officers),
                str(cover.certified),
                f"{cover.percent}%",
                "",
            ],
        )
        chart = grouped_bars(
            [shift.shift for shift in cover.shifts],
            [
                Series("Patrol officers", [shift.officers for shift in cover.shifts], NAVY),
                Series("CIT-certified", [shift.certified for shift in cover.shifts], TEAL),
            ],
            width=min(self.frame_width * 0.48, 120 + 80 * len(cover.shifts)),
            height=170,
            caption=f"{cover.patrol_unit} officers and CIT coverage by shift",
            value_title="Officers",
        )
        # Table and chart side by side: together they fit the top of page 1.
        side = Table(
            [[table, chart]],
            colWidths=[self.frame_width * 0.5, self.frame_width * 0.5],
            style=layout_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            ),
            hAlign="LEFT",
        )
        return [self.keep(self.heading("Coverage by shift"), *lines, side)]

    def roster(self, data: CitData) -> Flowable:
        s = self.styles
        counts = Counter(row.standing.status for row in data.roster)
        rows: list[list[Cell]] = []
        for row in data.roster:
            standing, officer = row.standing, row.officer
            rows.append(
                [
                    officer.badge,
                    TextCell(officer.display_name),
                    TextCell(officer.rank),
                    TextCell(" / ".join(x for x in (officer.unit, officer.shift) if x)),
                    self.status_cell(row),
                    iso(standing.certification.earned if standing.certification else None),
                    iso(standing.expires),
                    "" if standing.days_left is None else str(standing.days_left),
                    para(row.source, s.cell_small),
                    iso(row.last_refresher),
                    "yes" if row.team_member else "",
                ]
            )
        summary = ", ".join(
            f"{counts[status]} {CIT_WORDS[status].lower()}"
            for status in (CitStatus.CURRENT, CitStatus.EXPIRING, CitStatus.EXPIRED)
        )
        return PagedTable(
            [
                "Badge",
                "Officer",
                "Rank",
                "Unit / shift",
                "Status",
                "Certified from",
                "Expires",
                "Days left",
                "Earned by",
                "Last refresher",
                "CIT team",
            ],
            rows,
            [0.05, 0.14, 0.07, 0.12, 0.07, 0.08, 0.08, 0.05, 0.21, 0.08, 0.05],
            align=["left"] * 7 + ["right", "left", "left", "left"],
            title=[
                self.heading(f"CIT roster ({len(rows)})"),
                para(
                    f"{summary}. Certified from is the start of the current (or last) "
                    f"unbroken certification. {data.settings.validity_text()}",
                    s.note,
                ),
            ],
            empty=self.empty(
                f"No officers match: nobody serving on {iso(data.as_of)} holds or has held CIT "
                "certification. A CIT course counts once it is marked as the certifying "
                "course on the CIT page."
            ),
        )

    def settings_note(self, data: CitData) -> Flowable:
        st = data.settings
        return para(
            f"Rule: the certifying course needs at least {format_hours(st.certifying_min_hours)} "
            f"h and a refresher at least {format_hours(st.refresher_min_hours)} h (agency "
            f"settings). {st.validity_text()} Coverage counts {data.coverage.counted}.",
            self.styles.note,
        )

    def story(self, data: CitData) -> list[Flowable]:
        return [*self.coverage(data), self.roster(data), Spacer(1, 4), self.settings_note(data)]

    def table(self, data: CitData) -> ExportTable:
        return ExportTable(
            (
                "badge",
                "officer",
                "rank",
                "unit",
                "shift",
                "status",
                "certified_from",
                "expires",
                "days_left",
                "earned_by",
                "last_refresher",
                "cit_team",
            ),
            [
                [
                    row.officer.badge,
                    row.officer.display_name,
                    row.officer.rank,
                    row.officer.unit,
                    row.officer.shift,
                    row.standing.status.value,
                    iso(row.standing.certification.earned if row.standing.certification else None),
                    iso(row.standing.expires),
                    "" if row.standing.days_left is None else str(row.standing.days_left),
                    row.source,
                    iso(row.last_refresher),
                    "yes" if row.team_member else "",
                ]
                for row in data.roster
            ],
            kinds={
                "certified_from": DATE,
                "expires": DATE,
                "days_left": INTEGER,
                "last_refresher": DATE,
            },
        )
