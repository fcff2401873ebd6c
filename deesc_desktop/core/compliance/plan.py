"""Requirements compiled once per evaluation: their filters, shared windows and reach.

How far back each filter's training can count is worked out once, so a whole roster is
measured without repeating that work.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from deesc_desktop.core.compliance.explain import period_noun
from deesc_desktop.core.compliance.windows import (
    MAKE_UP_WINDOWS,
    SHARED_KINDS,
    Adjustment,
    make_up_chain,
)
from deesc_desktop.core.models import Agency, Officer
from deesc_desktop.core.periods import (
    ONE_DAY,
    AnchorDate,
    PeriodKind,
    Window,
    add_months,
    current_window,
    officer_anchor,
    previous_window,
)
from deesc_desktop.core.rules import MakeUp, Requirement, RequirementKind, SubMinimum


class Filter:
    """Which hours of a record count: topics, delivery, courses; `count` counts completions."""

    __slots__ = ("count", "courses", "delivery", "slot", "topic_set", "topics")

    def __init__(
        self,
        slot: int,
        topics: tuple[str, ...],
        delivery: frozenset[str],
        courses: frozenset[str],
        count: bool,
    ) -> None:
        self.slot = slot
        self.topics = topics
        self.topic_set = frozenset(topics)
        self.delivery = delivery
        self.courses = courses
        self.count = count


class FilterSlots:
    """Hands out one slot per distinct filter so ledgers can cache prefix sums by slot."""

    def __init__(self) -> None:
        self._slots: dict[tuple[object, ...], Filter] = {}

    def get(
        self,
        topics: tuple[str, ...],
        delivery: tuple[str, ...],
        courses: tuple[str, ...],
        count: bool,
    ) -> Filter:
        codes = tuple(sorted(set(topics)))
        ways = frozenset(delivery)
        names = _course_keys(courses)
        key = (codes, ways, names, count)
        found = self._slots.get(key)
        if found is None:
            found = self._slots[key] = Filter(len(self._slots), codes, ways, names, count)
        return found


def _course_keys(courses: Iterable[str]) -> frozenset[str]:
    return frozenset(course.strip().casefold() for course in courses)


def _intersect(outer: tuple[str, ...], inner: tuple[str, ...]) -> tuple[str, ...]:
    if not outer:
        return inner
    if not inner:
        return outer
    return tuple(code for code in inner if code in outer)


class Compiled:
    """A requirement prepared for fast repeated evaluation on one as-of date."""

    __slots__ = (
        "_bases",
        "applies_default",
        "certification",
        "chain",
        "course_filter",
        "dated_subs",
        "default_previous",
        "default_window",
        "except_ranks",
        "except_units",
        "filters",
        "in_force",
        "noun",
        "predecessor",
        "ranks",
        "requirement",
        "shifts",
        "subs",
        "total_filter",
        "unadjusted",
        "units",
        "unless_certified",
        "wanted",
        "zero_subs",
    )

    def __init__(self, requirement: Requirement, slots: FilterSlots, agency: Agency, as_of: date):
        self.requirement = requirement
        self.in_force = requirement.in_force(as_of)
        applies = requirement.applies_to
        self.applies_default = applies.is_default
        self.ranks = frozenset(x.casefold() for x in applies.ranks)
        self.units = frozenset(x.casefold() for x in applies.units)
        self.shifts = frozenset(x.casefold() for x in applies.shifts)
        self.unless_certified = frozenset(x.casefold() for x in applies.unless_certified)
        self.except_ranks = frozenset(x.casefold() for x in applies.except_ranks)
        self.except_units = frozenset(x.casefold() for x in applies.except_units)
        self.certification = (requirement.certification or "").casefold()
        kind = requirement.kind
        self.total_filter: Filter | None = None
        self.course_filter: Filter | None = None
        self.subs: tuple[tuple[SubMinimum, Filter], ...] = ()
        if kind is RequirementKind.HOURS:
            self.total_filter = slots.get(
                requirement.topics, requirement.delivery, requirement.courses, False
            )
            self.subs = tuple(
                (
                    sub,
                    slots.get(
                        _intersect(requirement.topics, sub.topics),
                        _intersect(requirement.delivery, sub.delivery),
                        requirement.courses,
                        False,
                    ),
                )
                for sub in requirement.sub_minimums
            )
        elif kind is RequirementKind.COURSE:
            self.course_filter = slots.get(
                requirement.topics, requirement.delivery, requirement.courses, True
            )
        self.filters: tuple[Filter, ...] = tuple(
            f
            for f in (self.total_filter, self.course_filter, *(f for _, f in self.subs))
            if f is not None
        )
        base_subs = tuple(sub.hours for sub in requirement.sub_minimums)
        self.unadjusted = Adjustment(requirement.hours or 0, base_subs)
        self.zero_subs = tuple(0 for _ in base_subs)
        self.dated_subs = any(sub.dated for sub in requirement.sub_minimums)
        self._bases: dict[date, Adjustment] = {}
        self.noun = period_noun(requirement.period.kind) if requirement.period else ""
        self.wanted = requirement.wanted()
        # Windows that do not depend on the officer are laid out once for the whole roster.
        self.default_window: Window | None = None
        self.default_previous: Window | None = None
        self.chain: list[Window] = []
        self.predecessor: Compiled | None = None
        """The rule in force at the end of the previous window, when it ended before this
        one took effect (see `compile_requirements`): that window is judged by it."""
        period = requirement.period
        if period is not None and period.kind in SHARED_KINDS:
            window = current_window(
                period, as_of, fiscal_start_month=agency.fiscal_year_start_month
            )
            self.default_window = window
            if window is not None:
                self.default_previous = previous_window(period, window)
                if requirement.make_up is MakeUp.PREVIOUS_FIRST:
                    self.chain = make_up_chain(period, window)

    def base(self, window: Window) -> Adjustment:
        """Required hours before any adjustment, in a window starting on `window.start`:
        sub-minimums that do not apply to windows starting then require 0."""
        if not self.dated_subs:
            return self.unadjusted
        found = self._bases.get(window.start)
        if found is None:
            subs = tuple(
                sub.hours if sub.applies(window.start) else 0
                for sub in self.requirement.sub_minimums
            )
            found = self._bases[window.start] = Adjustment(self.unadjusted.total, subs)
        return found


class Plan:
    """The requirements of one evaluation, and how far back in time each filter's windows
    reach, so an officer's running totals start there instead of at the first record."""

    __slots__ = (
        "_anchored_topics",
        "_topic_reach",
        "anchored",
        "compiled",
        "folded",
        "reach",
        "topic_filters",
    )

    def __init__(self, compiled: list[Compiled], as_of: date) -> None:
        self.compiled = compiled
        self.reach: dict[int, date] = {}
        self.anchored: dict[int, set[AnchorDate]] = {}
        self.folded = Folded()
        topic_filters: dict[int, Filter] = {}
        for item in compiled:
            requirement = item.requirement
            period = requirement.period
            reach = date.max
            anchored: AnchorDate | None = None
            if period is None:
                reach = date.min
            elif item.default_window is not None:
                earliest = item.chain[0] if item.chain else item.default_previous
                reach = (earliest or item.default_window).start
            elif period.kind is PeriodKind.DEADLINE:
                reach = period.counts_from or date.min
            elif period.kind is PeriodKind.OFFICER_CYCLE:
                # Two cycles back (three to make up), plus the longer first cycle of an
                # end_month_day.
                back = MAKE_UP_WINDOWS if requirement.make_up is MakeUp.PREVIOUS_FIRST else 2
                try:
                    reach = add_months(as_of, -(back * period.length_months + 12))
                except ValueError:
                    reach = date.min
            else:
                anchored = period.start_from
            filters = item.filters
            if item.predecessor is not None:
                filters += item.predecessor.filters
            for f in filters:
                self.reach[f.slot] = min(self.reach.get(f.slot, date.max), reach)
                if anchored is not None:
                    self.anchored.setdefault(f.slot, set()).add(anchored)
                if f.topics:
                    topic_filters[f.slot] = f
        self.topic_filters = tuple(topic_filters.values())
        # How far back the topic filters reach that no officer's own date moves, once.
        self._topic_reach: date | None = min(
            (self.reach[f.slot] for f in self.topic_filters if f.slot not in self.anchored),
            default=None,
        )
        self._anchored_topics = tuple(f for f in self.topic_filters if f.slot in self.anchored)

    def topic_reach(self, officer: Officer) -> date | None:
        """The earliest training date any topic filter can count for this officer (None
        when no filter counts topics)."""
        found = self._topic_reach
        for f in self._anchored_topics:
            earliest = self.earliest(f, officer)
            found = earliest if found is None else min(found, earliest)
        return found

    def earliest(self, f: Filter, officer: Officer) -> date:
        """The earliest training date the filter's requirements can count for this officer."""
        found = self.reach.get(f.slot, date.min)
        for start_from in self.anchored.get(f.slot, ()):
            found = min(found, officer_anchor(officer, start_from)[0])
        return found


class Folded(dict[str, str]):
    """Course numbers and titles as compared (stripped, casefolded), remembered across the
    roster because the same few courses recur on every officer's record."""

    def __missing__(self, key: str) -> str:
        value = self[key] = key.strip().casefold()
        return value


def compile_requirements(
    requirements: Sequence[Requirement], agency: Agency, as_of: date
) -> list[Compiled]:
    """The requirements in force on `as_of`, compiled, each with its predecessor when it has
    one (`predecessor_of`)."""
    slots = FilterSlots()
    compiled = [Compiled(r, slots, agency, as_of) for r in requirements]
    in_force = [item for item in compiled if item.in_force]
    for item in in_force:
        before = item.default_previous
        if before is None or before.end >= item.requirement.effective_from:
            continue
        earlier = predecessor_of(item.requirement, requirements, before.end)
        if earlier is not None:
            item.predecessor = Compiled(earlier, slots, agency, before.end)
    return in_force


def predecessor_of(
    requirement: Requirement, requirements: Sequence[Requirement], day: date
) -> Requirement | None:
    """The rule `requirement` took over from, in force on `day`: the one of the same kind and
    period, counting the same training (topics, delivery, courses), that ended the day
    before it took effect (Michigan's 12 hours of 2024 before its 24 from 2025; Ohio's rule
    of each year). None when there is none, or more than one."""
    found = [
        other
        for other in requirements
        if other is not requirement
        and other.kind is requirement.kind
        and other.period == requirement.period
        and other.topics == requirement.topics
        and other.delivery == requirement.delivery
        and other.courses == requirement.courses
        and other.effective_to is not None
        and other.effective_to + ONE_DAY == requirement.effective_from
        and other.in_force(day)
    ]
    return found[0] if len(found) == 1 else None
