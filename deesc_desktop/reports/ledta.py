"""Report sections the incident log and the class files add to the grant and compliance
reports: LEDTA interaction figures, demographics without identities, incomplete class files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Spacer

from deesc_desktop.core.course_files import DOCUMENT_KINDS, checklist_source
from deesc_desktop.core.incidents import LedtaFigures, PeriodFigures, Tally, TrainingGroup
from deesc_desktop.reports.base.cells import Cell, TextCell
from deesc_desktop.reports.base.formats import iso
from deesc_desktop.reports.base.renderer import Renderer
from deesc_desktop.reports.base.styles import para
from deesc_desktop.reports.base.tables import PagedTable, small_table
from deesc_desktop.services.course_files import ClassFile
from deesc_desktop.services.incidents import Breakdown


def _indented(style: ParagraphStyle) -> ParagraphStyle:
    """A line under a bold heading row of the same table."""
    return ParagraphStyle(f"{style.name}_indented", style, leftIndent=10)


def percent(value: Decimal | None) -> str:
    return "–" if value is None else f"{value}%"


def _rates(tally: Tally) -> list[Cell]:
    used = f"{tally.with_deescalation} ({percent(tally.deescalation_rate)})"
    return [
        str(tally.incidents),
        used if tally.incidents else "0",
        percent(tally.force_rate),
        percent(tally.officer_injury_rate),
        percent(tally.public_injury_rate),
    ]


def figures_table(renderer: Renderer[Any], periods: list[PeriodFigures]) -> Flowable:
    """Each period on three lines: every incident, officers all trained before, the others."""
    s = renderer.styles
    rows: list[list[Cell]] = []
    for period in periods:
        rows.append([para(period.label, s.cell_bold), *_rates(period.total)])
        for label, group in (
            ("officers all trained", TrainingGroup.TRAINED),
            ("not all trained", TrainingGroup.NOT_TRAINED),
        ):
            rows.append([para(label, _indented(s.cell)), *_rates(period.group(group))])
    return small_table(
        [
            "Period and officers",
            "Interactions",
            "De-escalation used",
            "Force used",
            "An officer injured",
            "Public injured",
        ],
        rows,
        [0.26, 0.13, 0.17, 0.14, 0.15, 0.15],
        renderer.frame_width,
        align=["left", "right", "right", "right", "right", "right"],
    )


def comparison(whole: Tally, trained: Tally, others: Tally) -> str:
    """The interactions in words: how often de-escalation was used, and force and injuries
    with every officer trained against the others."""
    text = (
        f"{whole.incidents} interactions were logged; de-escalation was used in "
        f"{whole.with_deescalation} ({percent(whole.deescalation_rate)}). "
    )
    if trained.incidents and others.incidents:
        text += (
            f"Force was used in {percent(trained.force_rate)} of those where every officer "
            "had completed de-escalation training before the day, against "
            f"{percent(others.force_rate)} of the others; an officer was injured in "
            f"{percent(trained.officer_injury_rate)} against "
            f"{percent(others.officer_injury_rate)}, a member of the public in "
            f"{percent(trained.public_injury_rate)} against {percent(others.public_injury_rate)}. "
        )
    elif trained.incidents or others.incidents:
        which = "had" if trained.incidents else "had not all"
        tally = trained if trained.incidents else others
        text += (
            f"In every interaction with officers recorded, they {which} completed de-escalation "
            f"training before the day, so there is nothing to compare: force was used in "
            f"{percent(tally.force_rate)} of them. "
        )
    return text + (
        f"{whole.officers_injured} officers and {whole.public_injured} members of the public "
        "were injured in all."
    )


def incident_section(
    renderer: Renderer[Any],
    figures: LedtaFigures,
    breakdowns: list[Breakdown],
    start: date,
    end: date,
) -> list[Flowable]:
    """The LEDTA interaction figures of a period, by federal quarter and fiscal year, and the
    counts DOJ asks for (type, force, tactics, demographics), with no identities."""
    s = renderer.styles
    heading = renderer.heading("Interactions in which de-escalation was used")
    if figures.total.total.incidents == 0:
        return [
            heading,
            renderer.empty(
                f"No incidents are logged between {iso(start)} and {iso(end)}: enter them on "
                "the Incidents page or import the records system's export."
            ),
        ]
    summary = comparison(
        figures.total.total,
        figures.total.group(TrainingGroup.TRAINED),
        figures.total.group(TrainingGroup.NOT_TRAINED),
    )
    flowables: list[Flowable] = [
        renderer.keep(
            heading,
            para(summary, s.body),
            Spacer(1, 4),
            para(
                "Rates are shares of the interactions in each line. Training counts when "
                "completed on a day before the incident; interactions with no officer recorded "
                "are in the first line only.",
                s.note,
            ),
            figures_table(renderer, [*figures.quarters, *figures.fiscal_years]),
        )
    ]
    flowables += breakdown_tables(renderer, breakdowns)
    return flowables


def breakdown_tables(renderer: Renderer[Any], breakdowns: list[Breakdown]) -> list[Flowable]:
    """Counts by type, force, tactics and each demographic, in one table."""
    s = renderer.styles
    rows: list[list[Cell]] = []
    for breakdown in breakdowns:
        rows.append([para(breakdown.title, s.cell_bold), ""])
        for label, count in breakdown.counts or [("none", 0)]:
            rows.append([para(label, _indented(s.cell)), str(count)])
    return [
        PagedTable(
            ["Category", "Interactions"],
            rows,
            [0.75, 0.25],
            share=0.6,
            align=["left", "right"],
            title=[
                renderer.heading("Interactions by type, force and subject demographics"),
                para(
                    "The subject's age band, sex, race, ethnicity and apparent impairment as DOJ "
                    "asks; the log holds no names, dates of birth or addresses.",
                    s.note,
                ),
            ],
        )
    ]


def incomplete_files_section(
    renderer: Renderer[Any], files: list[ClassFile], start: date, end: date, *, state: str
) -> list[Flowable]:
    """The classes of a period whose file lacks a document of the state's checklist."""
    s = renderer.styles
    rows: list[list[Cell]] = [
        [
            f.row.held_on,
            TextCell(f.row.course),
            str(f.row.attendees),
            para("; ".join(DOCUMENT_KINDS[k].split(" (")[0] for k in f.missing), s.cell),
            para(f"Lapsed: {f.lapsed}" if f.lapsed else f.row.instructor, s.cell_small),
        ]
        for f in sorted(files, key=lambda f: (f.row.held_on, f.row.course))
    ]
    return [
        PagedTable(
            ["Date", "Course", "Attended", "Still missing", "Instructor"],
            rows,
            [0.11, 0.26, 0.1, 0.33, 0.2],
            align=["left", "left", "right", "left", "left"],
            title=[
                renderer.heading(f"Class files still incomplete ({len(rows)})"),
                para(
                    f"Classes held from {iso(start)} to {iso(end)} whose file lacks a document "
                    f"of {checklist_source(state)}.",
                    s.note,
                ),
            ],
            empty=renderer.empty(
                f"Every class held from {iso(start)} to {iso(end)} has a complete file."
            ),
        )
    ]
