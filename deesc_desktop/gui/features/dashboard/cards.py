"""Dashboard cards of compliance, CIT and bonus money, named by their pages in the page registry.

The three compliance cards share one evaluation: a SharedQuery, parented to the open
database's bus, runs department_compliance once however many cards ask in the same turn.
The cards are built with the dashboard, before the main window shows: the services their
queries call and QtCharts are imported when the queries run and the chart is first drawn.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMargins, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget
from sqlite_utils import Database

from deesc_desktop.core.money import format_money
from deesc_desktop.gui import style, workers
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.widgets import Card

if TYPE_CHECKING:
    from PySide6.QtCharts import QBarSet, QChart, QChartView, QHorizontalStackedBarSeries

    from deesc_desktop.core.compliance import Status
    from deesc_desktop.services.cit import CitReport
    from deesc_desktop.services.dashboard import ComplianceOverview, DueSoon
    from deesc_desktop.store.funding import FundingSummary

DUE_DAYS = 90
"""services.dashboard.DUE_DAYS, named here so that building the card at start-up does not
import the compliance engine."""
DUE_GROUPS = 4
DUE_NAMES = 4


def chart_statuses() -> tuple[Status, ...]:
    """The statuses the compliance chart stacks, in order."""
    from deesc_desktop.core.compliance import Status

    return (Status.COMPLIANT, Status.DUE_SOON, Status.IN_PROGRESS, Status.NON_COMPLIANT)


# --- one query for several cards ------------------------------------------------------------------


class SharedQuery(QObject):
    """Runs one read query on a worker for every card that asks in the same turn.

    With `then`, the query is a quick one (what the file keeps) whose answer is shown at
    once; when `later(answer)` says it is not the whole story, `then` runs next on a worker
    and its answer follows.
    """

    ready = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        query: Callable[[Database], Any],
        name: str,
        *,
        then: Callable[[Database], Any] | None = None,
        later: Callable[[Any], bool] | None = None,
    ) -> None:
        super().__init__(ctx.bus)
        self.setObjectName(name)
        self._ctx = ctx
        self._query = query
        self._then = then
        self._later = later
        self._generation = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._run)

    def request(self) -> None:
        self._timer.start()

    def _run(self) -> None:
        self._generation += 1
        self._start(self._query, self._generation, self._then)

    def _start(
        self, query: Callable[[Database], Any], generation: int, then: Callable[..., Any] | None
    ) -> None:
        def deliver(value: Any) -> None:
            if generation != self._generation:
                return  # asked again meanwhile: the newer answer is on its way
            if then is not None and (self._later is None or self._later(value)):
                if value is not None:
                    self.ready.emit(value)
                self._start(then, generation, None)
            else:
                self.ready.emit(value)

        workers.run_query(
            self._ctx.db_path,
            query,
            owner=self,
            on_result=deliver,
            on_error=lambda exc: self.failed.emit(str(exc)),
        )


def shared(
    ctx: AppContext,
    name: str,
    query: Callable[[Database], Any],
    **options: Any,
) -> SharedQuery:
    """The open database's SharedQuery called `name`, made on first use (with `options`)."""
    found = ctx.bus.findChild(SharedQuery, name)
    return found if isinstance(found, SharedQuery) else SharedQuery(ctx, query, name, **options)


# --- compliance -----------------------------------------------------------------------------------


def _kept(db: Database) -> ComplianceOverview | None:
    from deesc_desktop.services.dashboard import kept_overview

    return kept_overview(db, date.today())


def _overview(db: Database) -> ComplianceOverview:
    from deesc_desktop.services.dashboard import compliance_overview

    return compliance_overview(db, date.today())


def _out_of_date(kept: ComplianceOverview | None) -> bool:
    return kept is None or not kept.current


def _compliance(ctx: AppContext) -> SharedQuery:
    """The compliance cards' one query: the summary the file keeps, shown at once, then, when
    it is out of date (or there is none), brought up to date on a worker."""
    return shared(ctx, "compliance-summary", _kept, then=_overview, later=_out_of_date)


def _as_of(summary: ComplianceOverview) -> str:
    """The day the figures stand on, and whether newer ones are being worked out."""
    day = summary.as_of.isoformat()
    return f"as of {day}" if summary.current else f"as of {day}, updating…"


def _updating(summary: ComplianceOverview) -> str:
    """For a card that names no date: a note while its figures are out of date."""
    return "" if summary.current else f" ({_as_of(summary)})"


def _link(target: str, text: str) -> str:
    return f"<a href='{escape(target)}' style='color:{style.Colour.ACCENT}'>{text}</a>"


class LinkCard(Card):
    """A card whose detail lines may hold links, handled by `link_activated(target)`."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.body.setOpenExternalLinks(False)
        self.body.linkActivated.connect(self.link_activated)

    def link_activated(self, target: str) -> None:
        """Override: a link of the detail lines was clicked."""

    def show_error(self, text: str) -> None:
        self.set_content("—", f"Could not work this out: {text}")


class _ComplianceCard(LinkCard):
    """A card showing the department's compliance overview, shared by the cards that do."""

    def __init__(self, ctx: AppContext, title: str) -> None:
        super().__init__(title)
        self.ctx = ctx
        self.query = _compliance(ctx)
        self.query.ready.connect(self.show_summary)
        self.query.failed.connect(self.show_error)
        self.set_content("…", "Working out compliance…")

    def refresh(self) -> None:
        self.query.request()

    def show_summary(self, summary: ComplianceOverview) -> None:
        raise NotImplementedError


class ComplianceStatusCard(_ComplianceCard):
    """Officers by overall status; each status opens the compliance page filtered to it."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, "Officers needing attention")

    def show_summary(self, summary: ComplianceOverview) -> None:
        from deesc_desktop.core.compliance import Status

        counts = summary.counts
        lines = []
        for status in (
            Status.NON_COMPLIANT,
            Status.DUE_SOON,
            Status.IN_PROGRESS,
            Status.COMPLIANT,
            Status.EXEMPT,
        ):
            count = counts.overall[status]
            if not count and status == Status.EXEMPT:
                continue
            tone = style.COMPLIANCE_TONE[status.value]
            lines.append(
                style.coloured("●", tone.bar)
                + " "
                + _link(f"status:{status.value}", escape(status.label))
                + f" <span style='color:{style.Colour.MUTED}'>·</span> <b>{count}</b>"
            )
        lines.append(_link("status:attention", "Show everyone who needs attention ›"))
        self.set_content(
            str(counts.needing_attention),
            f"of {counts.officers} serving officers need attention: non-compliant or due soon "
            f"on a requirement ({_as_of(summary)})",
            lines,
        )

    def link_activated(self, target: str) -> None:
        kind, _, value = target.partition(":")
        if kind == "status":
            self.ctx.nav.show("compliance", status=value)


class DueSoonCard(_ComplianceCard):
    """What falls due in the next 90 days and is not done yet, soonest first."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, f"Due in the next {DUE_DAYS} days")

    def show_summary(self, summary: ComplianceOverview) -> None:
        items = summary.due
        officers = len({item.officer for item in items})
        if not items:
            self.set_content(
                "0", f"Nothing falls due unmet in the next {DUE_DAYS} days{_updating(summary)}."
            )
            return
        # One line per requirement and due date: a whole shift due on 31 December reads as
        # one line with its names, not as forty.
        groups: dict[tuple[date, str], list[DueSoon]] = {}
        for item in items:
            groups.setdefault((item.due, item.requirement), []).append(item)
        lines = []
        for (due, requirement), members in list(groups.items())[:DUE_GROUPS]:
            names = [escape(m.officer) for m in members[:DUE_NAMES]]
            more = f" and {len(members) - DUE_NAMES} more" if len(members) > DUE_NAMES else ""
            lines.append(
                f"<b>{due.isoformat()}</b> · {escape(requirement)}: "
                f"<b>{len(members)}</b><br><span style='color:{style.Colour.MUTED}'>"
                f"{'; '.join(names)}{more}</span>"
            )
        if len(groups) > DUE_GROUPS:
            lines.append(f"…and {len(groups) - DUE_GROUPS} more due dates")
        lines.append(_link("due", f"Show who needs what in the next {DUE_DAYS} days ›"))
        self.set_content(
            str(len(items)),
            f"requirements not yet met, for {officers} officer{'s' if officers != 1 else ''}"
            f"{_updating(summary)}",
            lines,
        )

    def link_activated(self, target: str) -> None:
        # What the card counts is the Training due list over the same days, not a status.
        self.ctx.nav.show("training_due", days=DUE_DAYS)


class ComplianceChartCard(QFrame):
    """Compliance by requirement as horizontal stacked bars, with a legend naming each colour."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 10)
        title = QLabel("COMPLIANCE BY REQUIREMENT")
        title.setObjectName("cardTitle")
        style.set_point_size(title, style.SMALL_POINT_SIZE, bold=True)
        layout.addWidget(title)
        self.caption = QLabel("Working out compliance…")
        self.caption.setObjectName("muted")
        layout.addWidget(self.caption)
        # Holds the chart's place until the first figures arrive and the chart is made.
        self.placeholder = QWidget()
        self.placeholder.setMinimumHeight(CHART_MIN_HEIGHT)
        self.placeholder.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout.addWidget(self.placeholder, 1)
        self.chart: QChart | None = None
        self.view: QChartView | None = None
        self.series: QHorizontalStackedBarSeries | None = None
        self.categories: list[str] = []
        self.query = _compliance(ctx)
        self.query.ready.connect(self.show_summary)
        self.query.failed.connect(
            lambda text: self.caption.setText(f"Could not work this out: {text}")
        )

    def refresh(self) -> None:
        self.query.request()

    def _make_chart(self) -> tuple[QChart, QChartView]:
        from PySide6.QtCharts import QChart, QChartView

        chart = QChart()
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setBackgroundVisible(False)
        chart.setMargins(QMargins(0, 0, 0, 0))
        chart.layout().setContentsMargins(0, 0, 0, 0)
        view = QChartView(chart)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(CHART_MIN_HEIGHT)
        view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        view.setStyleSheet("background: transparent;")
        layout = self.layout()
        assert layout is not None  # the card's own, made in __init__
        layout.replaceWidget(self.placeholder, view)
        self.placeholder.deleteLater()
        self.chart, self.view = chart, view
        return chart, view

    def show_summary(self, summary: ComplianceOverview) -> None:
        # QtCharts is loaded here, on the window's thread, when the first figures come (a
        # few milliseconds): loading it on a worker made its Qt classes there, which
        # gui/preload.py explains is not safe.
        self._draw(summary)

    def _draw(self, summary: ComplianceOverview) -> None:
        from PySide6.QtCharts import (
            QBarCategoryAxis,
            QBarSet,
            QHorizontalStackedBarSeries,
            QValueAxis,
        )

        if self.chart is None or self.view is None:
            chart, view = self._make_chart()
        else:
            chart, view = self.chart, self.view
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        stands = f"Officers per requirement, {_as_of(summary)}"
        end = "" if stands.endswith("…") else "."
        self.caption.setText(f"{stands}{end} Click a bar to see those officers.")
        requirements = list(reversed(summary.counts.requirements))  # the first one on top
        series = QHorizontalStackedBarSeries()
        series.setBarWidth(0.6)
        for status in chart_statuses():
            tone = style.COMPLIANCE_TONE[status.value]
            bar = QBarSet(status.label)
            bar.setColor(QColor(tone.bar))
            bar.setBorderColor(QColor(tone.bar))
            bar.append([float(r.counts[status]) for r in requirements])
            bar.setLabelColor(QColor("#ffffff"))
            series.append(bar)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        series.clicked.connect(self._clicked)
        chart.addSeries(series)
        self.categories = [axis_label(r.title) for r in requirements]
        # Each requirement gets the height of its label, so every name reads in full however
        # many requirements the state has (Illinois has 13): the dashboard scrolls instead.
        view.setMinimumHeight(
            max(CHART_MIN_HEIGHT, ROW_HEIGHT * len(requirements) + CHART_FURNITURE)
        )
        self._ids = [r.id for r in requirements]
        names = QBarCategoryAxis()
        names.append(self.categories)
        names.setTruncateLabels(False)  # whole names, on two lines, rather than "…"
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(names)
        counts = QValueAxis()
        statuses = chart_statuses()
        widest = max((sum(r.counts[s] for s in statuses) for r in requirements), default=1)
        counts.setRange(0, max(1, widest))
        counts.setLabelFormat("%d")
        counts.applyNiceNumbers()  # ticks on round numbers: 0, 10, 20, 30, 40
        counts.setTitleText("officers")
        chart.addAxis(counts, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(counts)
        self.series = series

    def _clicked(self, index: int, bar: QBarSet) -> None:
        status = next((s for s in chart_statuses() if s.label == bar.label()), None)
        if status is not None and 0 <= index < len(self._ids):
            self.ctx.nav.show("compliance", status=status.value, requirement=self._ids[index])


CHART_MIN_HEIGHT = 230
ROW_HEIGHT = 46
"""Pixels per requirement in the chart: room for a three-line name and its bar."""
CHART_FURNITURE = 100
"""Pixels of the chart's count axis, its title and the legend."""


def axis_label(title: str, width: int = 28) -> str:
    """A requirement's name for the chart's axis, broken between words into lines of about
    `width` letters: the whole title when it fits in two lines, else its part before the
    colon ("Officer safety: a class every 3 years" -> "Officer safety"), in up to three."""
    from deesc_desktop.core.rules import short_title

    for text, most in ((title, 2), (short_title(title), 3)):
        lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
        if len(lines) <= most:
            # Axis labels are rich text: <br> breaks the line, and the words are escaped.
            return "<br>".join(escape(line) for line in lines)
    lines = textwrap.wrap(short_title(title), width, break_long_words=False, break_on_hyphens=False)
    return "<br>".join(escape(line) for line in [*lines[:2], lines[2] + "…"])


# --- CIT ------------------------------------------------------------------------------------------


def _cit_report(db: Database) -> CitReport:
    from deesc_desktop.services.cit import cit_report

    return cit_report(db, date.today())


class CitCoverageCard(LinkCard):
    """Share of patrol officers CIT-certified against the target, per shift, gaps in words."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__("CIT coverage")
        self.ctx = ctx
        self.query = shared(ctx, "cit-report", _cit_report)
        self.query.ready.connect(self.show_report)
        self.query.failed.connect(self.show_error)
        self.set_content("…", "Counting CIT officers…")

    def refresh(self) -> None:
        self.query.request()

    def show_report(self, report: CitReport) -> None:
        cover = report.coverage
        target_colour = style.Colour.OK if cover.meets_target else style.Colour.ERROR
        lines = [
            style.coloured(
                escape(
                    f"✓ Meets the {cover.target_percent}% target"
                    if cover.meets_target
                    else f"✗ Below the {cover.target_percent}% target: "
                    f"{cover.needed} more to certify"
                ),
                target_colour,
                bold=True,
            )
        ]
        for shift in cover.shifts:
            text = (
                f"{escape(shift.shift)} · <b>{shift.certified}</b> of {shift.officers}"
                f" ({shift.percent}%)"
            )
            if shift.uncovered:
                text += " " + style.coloured("— NO CIT OFFICER", style.Colour.ERROR, bold=True)
            lines.append(text)
        lines.append(_link("cit", "Open the CIT roster ›"))
        self.set_content(
            f"{cover.percent}%",
            # Who the figure counts, as the CIT page says: team members holding CIT, or every
            # trained officer while no team is recorded.
            f"of {cover.officers} active {cover.patrol_unit.lower()} officers are "
            f"{'CIT team members holding CIT' if cover.by_team else 'CIT-trained'} "
            f"({cover.certified})",
            lines,
        )

    def link_activated(self, target: str) -> None:
        self.ctx.nav.show(target)


# --- bonus money ----------------------------------------------------------------------------------


def _funding(db: Database) -> list[FundingSummary]:
    from deesc_desktop.store.funding import funding_summaries

    return funding_summaries(db)


class BudgetCard(LinkCard):
    """Bonus money per funding source: used (committed and paid) of the award, what is left."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__("Bonus budget")
        self.ctx = ctx
        self.query = shared(ctx, "funding", _funding)
        self.query.ready.connect(self.show_sources)
        self.query.failed.connect(self.show_error)
        self.set_content("…", "Adding up the funding sources…")

    def refresh(self) -> None:
        self.query.request()

    def show_sources(self, sources: list[FundingSummary]) -> None:
        if not sources:
            self.set_content(
                "None yet", "No funding source is recorded. Finance adds one on Bonus claims."
            )
            return
        lines = []
        for source in sources:
            share = f" ({source.used * 100 // source.amount}%)" if source.amount else ""
            line = (
                f"<b>{escape(source.name)}</b><br>{format_money(source.used)} used of "
                f"{format_money(source.amount)}{share} · <b>{format_money(source.balance)}</b> left"
            )
            if source.pending:
                waiting = f"{format_money(source.pending)} awaiting approval"
                line += "<br>" + style.coloured(waiting, style.Colour.MUTED)
            lines.append(line)
        lines.append(_link("bonus_claims", "Open bonus claims ›"))
        left = sum(source.balance for source in sources)
        self.set_content(
            format_money(left),
            f"left in {len(sources)} funding source{'s' if len(sources) != 1 else ''}",
            lines,
        )

    def link_activated(self, target: str) -> None:
        self.ctx.nav.show(target)
