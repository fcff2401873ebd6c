"""The public summary: training, incidents and bonus payments in counts and totals, no names."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from reportlab.platypus import Flowable

from deesc_desktop.core.hours import format_hours
from deesc_desktop.core.incidents import TrainingGroup
from deesc_desktop.core.money import format_money
from deesc_desktop.reports.base.cells import Cell
from deesc_desktop.reports.base.formats import fiscal_year_start, long_date, percent_text
from deesc_desktop.reports.base.renderer import Renderer
from deesc_desktop.reports.base.styles import para
from deesc_desktop.reports.base.tables import ExportTable, small_table
from deesc_desktop.reports.ledta import comparison, figures_table
from deesc_desktop.services.export import INTEGER, MONEY, NUMBER
from deesc_desktop.services.public_summary import PublicSummary, public_summary
from deesc_desktop.services.reporting import check_period


class PublicSummaryReport(Renderer[PublicSummary]):
    """What a department publishes about its de-escalation work: counts and totals only."""

    kind: ClassVar[str] = "public-summary"
    attestation: ClassVar[str] = (
        "I certify that these figures are drawn from this agency's training, incident and "
        "payment records for the period shown."
    )

    def period(self) -> tuple[date, date]:
        end = self.params.end or self.as_of
        start = self.params.start or fiscal_year_start(end, self.agency.fiscal_year_start_month)
        return start, end

    def gather(self) -> PublicSummary:
        start, end = self.period()
        check_period(start, end)
        return public_summary(self.db, start, end)

    def period_text(self, data: PublicSummary) -> str:
        return f"{long_date(data.start)} to {long_date(data.end)}"

    def training(self, data: PublicSummary) -> list[Flowable]:
        rows: list[list[Cell]] = [
            ["Officers employed at the end of the period", str(data.officers_employed)],
            ["Classes held", str(data.classes_held)],
            ["Training completions (one officer at one class)", str(data.completions)],
            ["Officers who completed any training", str(data.officers_trained)],
            ["Training hours, all topics", format_hours(data.training_hours)],
            ["Hours of de-escalation and crisis training", format_hours(data.deescalation_hours)],
            [
                "Officers employed at the end who had de-escalation training in the period",
                f"{data.officers_deescalation_trained} "
                f"({percent_text(data.officers_deescalation_trained, data.officers_employed)})",
            ],
        ]
        return [
            self.keep(
                self.heading("Training"),
                small_table(
                    ["Measure", "Figure"],
                    rows,
                    [0.75, 0.25],
                    self.frame_width,
                    align=["left", "right"],
                ),
            )
        ]

    def incidents(self, data: PublicSummary) -> list[Flowable]:
        s = self.styles
        figures = data.incidents
        heading = self.heading("Interactions in which de-escalation was used")
        if figures.total.total.incidents == 0:
            return [heading, self.empty("No interactions were logged in the period.")]
        return [
            self.keep(
                heading,
                para(
                    comparison(
                        figures.total.total,
                        figures.total.group(TrainingGroup.TRAINED),
                        figures.total.group(TrainingGroup.NOT_TRAINED),
                    ),
                    s.body,
                ),
                figures_table(self, [*figures.quarters, *figures.fiscal_years]),
            )
        ]

    def payments(self, data: PublicSummary) -> list[Flowable]:
        heading = self.heading("De-escalation completion bonus payments")
        if not data.payments:
            return [heading, self.empty("No bonus was paid in the period.")]
        rows: list[list[Cell]] = [
            [para(p.program, self.styles.cell), str(p.payments), format_money(p.total)]
            for p in data.payments
        ]
        return [
            self.keep(
                heading,
                para(
                    "Payments made in the period, net of any adjustment made to them since.",
                    self.styles.note,
                ),
                small_table(
                    ["Program", "Payments", "Total paid"],
                    rows,
                    [0.6, 0.15, 0.25],
                    self.frame_width,
                    align=["left", "right", "right"],
                    total=[
                        "All programs",
                        str(data.payment_count),
                        format_money(data.payments_total),
                    ],
                ),
            )
        ]

    def story(self, data: PublicSummary) -> list[Flowable]:
        return [
            para(
                "This summary gives counts and totals only: it names no officer and no member "
                "of the public, and gives no demographics, so that nobody can be singled out.",
                self.styles.note,
            ),
            *self.training(data),
            *self.incidents(data),
            *self.payments(data),
        ]

    def table(self, data: PublicSummary) -> ExportTable:
        """One row per figure, the figure in the column of its kind (count, hours or amount),
        so a spreadsheet holds each as a number of its own."""
        whole = data.incidents.total.total

        def hours(value: int) -> str:
            return f"{value / 100:.2f}"

        figures = [
            ("officers_employed", str(data.officers_employed), "", ""),
            ("classes_held", str(data.classes_held), "", ""),
            ("training_completions", str(data.completions), "", ""),
            ("officers_trained", str(data.officers_trained), "", ""),
            ("training_hours", "", hours(data.training_hours), ""),
            ("deescalation_hours", "", hours(data.deescalation_hours), ""),
            ("interactions", str(whole.incidents), "", ""),
            ("interactions_with_deescalation", str(whole.with_deescalation), "", ""),
            ("interactions_with_force", str(whole.with_force), "", ""),
            ("officers_injured", str(whole.officers_injured), "", ""),
            ("public_injured", str(whole.public_injured), "", ""),
            ("bonus_payments", str(data.payment_count), "", ""),
            ("bonus_paid", "", "", f"{data.payments_total / 100:.2f}"),
        ]
        return ExportTable(
            ("measure", "count", "hours", "amount"),
            [list(row) for row in figures],
            kinds={"count": INTEGER, "hours": NUMBER, "amount": MONEY},
        )
