"""Compliance evaluation: each officer against each requirement as of a date, with reasons."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import accumulate, chain, compress, islice
from operator import and_, attrgetter, ge, itemgetter, mul, or_
from typing import Any

from deesc_desktop.core.hours import Centihours, format_hours, to_float
from deesc_desktop.core.models import Agency, Certification, Exemption, Officer, TrainingRecord
from deesc_desktop.core.periods import (
    MIN_DAYS_IN_MONTH,
    ONE_DAY,
    AnchorDate,
    Period,
    PeriodKind,
    Window,
    add_months,
    clock_due,
    current_window,
    days_in_month,
    month_key,
    month_label,
    month_of_key,
    officer_anchor,
    one_time_window,
    previous_window,
    window_month_keys,
)
from deesc_desktop.core.rules import (
    DEFAULT_STATUSES,
    MakeUp,
    NewHire,
    Requirement,
    RequirementKind,
    SubMinimum,
)
from deesc_desktop.core.topics import TOPICS


class Status(StrEnum):
    """Where an officer stands on one requirement; see docs/compliance.md for the precedence."""

    COMPLIANT = "compliant"
    DUE_SOON = "due_soon"
    IN_PROGRESS = "in_progress"
    NON_COMPLIANT = "non_compliant"
    EXEMPT = "exempt"
    NOT_APPLICABLE = "not_applicable"


MET = "met"
UNMET = "unmet"


@dataclass(frozen=True, slots=True)
class SubMinimumResult:
    """One topic sub-minimum: hours required (before and after adjustments) and earned."""

    label: str
    required: Centihours
    adjusted_required: Centihours
    earned: Centihours
    shortfall: Centihours

    @property
    def met(self) -> bool:
        """True when the earned hours reach the adjusted requirement."""
        return self.shortfall == 0


@dataclass(frozen=True, slots=True)
class RequirementResult:
    """One officer measured against one requirement as of a date.

    Hours fields are None for course and certification requirements; window fields are None
    when a requirement has no window (a certification, a course with no period) or the
    officer is not covered. `details` holds the sentences particular to this case (why not
    applicable, the last completion, a licence date that fell back to hire); `explanation`
    puts them together with the numbers into one paragraph.
    """

    requirement_id: str
    requirement_title: str
    kind: RequirementKind
    officer_id: int
    as_of: date
    status: Status
    window_start: date | None = None
    window_end: date | None = None
    due_date: date | None = None
    required: Centihours | None = None
    adjusted_required: Centihours | None = None
    earned: Centihours | None = None
    shortfall: Centihours | None = None
    sub_minimums: tuple[SubMinimumResult, ...] = ()
    met: bool = False
    qualifying_record_id: int | None = None
    qualifying_certification_id: int | None = None
    previous_window: str | None = None
    adjustments: tuple[str, ...] = ()
    details: tuple[str, ...] = ()
    previous_shortfalls: tuple[tuple[str, Centihours], ...] = ()
    """What the previous period ended short of when it ended unmet: ("", hours) for the
    total, (label, hours) for each sub-minimum; empty when it was met or not measured."""
    period_noun: str = ""
    """What the period is called for people: "year", "cycle", ... ("" when there is none)."""
    wanted: str = ""
    """For a course or certification: what is needed, e.g. "course 1849", "a class in sexual
    assault / trauma-informed response", "cit certification"."""
    make_up_remaining: Centihours = 0
    """With make-up to the window short first: the hours still owed to earlier windows."""

    @property
    def reason(self) -> str:
        """The result in a few words for a grid or report cell, e.g. "short 6 h high-risk
        traffic stops, due 2025-06-30" or "previous cycle short 4 h; 30 h due 2028-06-30"."""
        return _reason(self)

    @property
    def explanation_lines(self) -> tuple[str, ...]:
        """The explanation as lines for a screen: what is still needed as a list."""
        return _explain_lines(self)

    @property
    def explanation(self) -> str:
        """A plain-English paragraph a chief can read, with the numbers.

        Written on demand from the fields, so evaluating a whole state roster does not pay
        for text nobody reads.
        """
        return _explain(self)


@dataclass(frozen=True, slots=True)
class HoursTotal:
    """An officer's hours of one delivery (and one course) completed from `completed` up to
    the next of `TrainingNeeds.cuts`: what an hours requirement measured in windows shared
    by the whole roster reads, in place of the records it adds up.

    `topic_hours` holds only the topics the requirements count, so unlike a record's it
    need not add up to `hours`; `delivery` is "" for the deliveries no requirement names,
    summed together.
    """

    completed: date
    delivery: str
    hours: Centihours
    topic_hours: tuple[tuple[str, Centihours], ...]
    course_title: str = ""
    course_number: str = ""


Training = TrainingRecord | HoursTotal


@dataclass(frozen=True, slots=True)
class TrainingNeeds:
    """What evaluating a set of requirements on one date reads of the officers' training,
    so a caller loads no more than that (see `training_needs`)."""

    since: date | None
    """The earliest completion date any requirement can count; None: the whole history."""
    cuts: tuple[date, ...] | None
    """Ascending dates on which every window measured starts or after which it ends, when
    each officer's `HoursTotal`s between consecutive cuts are all the requirements need
    (training completed before the first cut or on or after the last one counts for none);
    None when they need the records themselves."""
    topics: frozenset[str]
    """The topics whose hours the requirements count."""
    deliveries: frozenset[str]
    """The deliveries the requirements name (hours of the others are counted alike)."""
    by_course: bool
    """Whether some hours requirement counts only certain courses (totals per course)."""
    certifications: bool
    """Whether any requirement looks at certifications held."""


def training_needs(
    requirements: Sequence[Requirement], agency: Agency, as_of: date
) -> TrainingNeeds:
    """What `evaluate_department` reads of each officer's training for these requirements.

    Records before `since` are never counted. When `cuts` is set, the requirements are
    hours requirements whose windows are the same for every officer (calendar and fiscal
    years, fixed cycles, rolling months) or certifications, and the officers' `HoursTotal`s
    give exactly the results their records give. Requirements with no period, officer
    cycles, one-time deadlines and restart clocks read the whole history; courses and
    completion dates need the records.
    """
    since = date.max
    cuts: set[date] | None = set()
    topics: set[str] = set()
    deliveries: set[str] = set()
    by_course = False
    certifications = False
    for item in _compile(requirements, agency, as_of):
        requirement = item.requirement
        if item.unless_certified or requirement.kind is RequirementKind.CERTIFICATION:
            certifications = True
        if requirement.kind is RequirementKind.CERTIFICATION:
            continue
        window, before = item.default_window, item.default_previous
        if window is None:
            since, cuts = date.min, None
            continue
        # The window is measured up to the as-of date and the one before it in full.
        since = min(since, window.start, before.start if before else window.start)
        if cuts is None or requirement.kind is not RequirementKind.HOURS or as_of == date.max:
            cuts = None
            continue
        cuts.update((window.start, as_of + ONE_DAY))
        if before is not None:
            cuts.update((before.start, before.end + ONE_DAY))
        for earlier in item.chain:
            since = min(since, earlier.start)
            cuts.update((earlier.start, earlier.end + ONE_DAY))
        for f in item.filters:
            topics.update(f.topics)
            deliveries.update(f.delivery)
            by_course = by_course or bool(f.courses)
    if cuts is None:
        return TrainingNeeds(
            since if since != date.min else None,
            None,
            frozenset(),
            frozenset(),
            False,
            certifications,
        )
    return TrainingNeeds(
        since=min(since, as_of),
        cuts=tuple(sorted(cuts)),
        topics=frozenset(topics),
        deliveries=frozenset(deliveries),
        by_course=by_course,
        certifications=certifications,
    )


# --- public entry points -----------------------------------------------------------------


def evaluate(
    officer: Officer,
    requirement: Requirement,
    records: Sequence[TrainingRecord],
    exemptions: Sequence[Exemption],
    certifications: Sequence[Certification],
    as_of: date,
    agency: Agency,
) -> RequirementResult:
    """One officer against one requirement; a requirement not in force is `not_applicable`."""
    compiled = _Compiled(requirement, _FilterSlots(), agency, as_of)
    plan = _Plan([compiled], as_of)
    context = _Context(plan, officer, records, exemptions, certifications, as_of, agency)
    return _evaluate(context, compiled)


def evaluate_officer(
    officer: Officer,
    requirements: Sequence[Requirement],
    records: Sequence[TrainingRecord],
    exemptions: Sequence[Exemption],
    certifications: Sequence[Certification],
    as_of: date,
    agency: Agency,
) -> list[RequirementResult]:
    """One officer against every requirement in force on `as_of`, in the given order.

    Requirements not in force that day are left out (a report as of an old date uses the
    rules then in force).
    """
    plan = _Plan(_compile(requirements, agency, as_of), as_of)
    context = _Context(plan, officer, records, exemptions, certifications, as_of, agency)
    return [_evaluate(context, item) for item in plan.compiled]


def evaluate_department(
    officers: Iterable[Officer],
    requirements: Sequence[Requirement],
    records_by_officer: Mapping[int, Sequence[Training]],
    exemptions_by_officer: Mapping[int, Sequence[Exemption]],
    certifications_by_officer: Mapping[int, Sequence[Certification]],
    as_of: date,
    agency: Agency,
) -> list[RequirementResult]:
    """Every officer against every requirement in force, officer by officer in the given
    order; gives exactly what `evaluate_officer` gives for each officer.

    Each officer's training is their records, or only those `training_needs` says can count,
    or, when it gives cuts, their `HoursTotal`s between those cuts.
    """
    plan = _Plan(_compile(requirements, agency, as_of), as_of)
    compiled = plan.compiled
    results: list[RequirementResult] = []
    append = results.append
    for officer in officers:
        context = _Context(
            plan,
            officer,
            records_by_officer.get(officer.id, ()),
            exemptions_by_officer.get(officer.id, ()),
            certifications_by_officer.get(officer.id, ()),
            as_of,
            agency,
        )
        for item in compiled:
            append(_evaluate(context, item))
    return results


def result_to_dict(result: RequirementResult) -> dict[str, Any]:
    """The stable JSON shape of one result (CONTRACT: see docs/compliance-json.md)."""

    def hours(value: Centihours | None) -> float | None:
        return None if value is None else to_float(value)

    def day(value: date | None) -> str | None:
        return None if value is None else value.isoformat()

    return {
        "requirement_id": result.requirement_id,
        "requirement_title": result.requirement_title,
        "kind": result.kind.value,
        "officer_id": result.officer_id,
        "as_of": result.as_of.isoformat(),
        "window_start": day(result.window_start),
        "window_end": day(result.window_end),
        "due_date": day(result.due_date),
        "required_hours": hours(result.required),
        "adjusted_required_hours": hours(result.adjusted_required),
        "adjustments": list(result.adjustments),
        "earned_hours": hours(result.earned),
        "shortfall_hours": hours(result.shortfall),
        "sub_minimums": [
            {
                "label": sub.label,
                "required_hours": to_float(sub.required),
                "adjusted_required_hours": to_float(sub.adjusted_required),
                "earned_hours": to_float(sub.earned),
                "shortfall_hours": to_float(sub.shortfall),
            }
            for sub in result.sub_minimums
        ],
        "met": result.met,
        "qualifying_record_id": result.qualifying_record_id,
        "qualifying_certification_id": result.qualifying_certification_id,
        "previous_window": result.previous_window,
        "status": result.status.value,
        "reason": result.reason,
        "explanation": result.explanation,
    }


LEAVE_PRORATION_NOTE = (
    "Leave proration is this agency's own policy, not a state rule: leave covering 15 or more "
    "days of a month lowers the hours required that month even with no state waiver recorded."
)
"""Printed wherever results that may use the agency's leave proration policy are shown."""


def policy_notes(agency: Agency) -> tuple[str, ...]:
    """What an agency's own policies change in the results, to print beside them."""
    return (LEAVE_PRORATION_NOTE,) if agency.leave_proration else ()


def scale_hours(
    base: Centihours, active_months: int, months: int, step: Centihours | None = None
) -> Centihours:
    """base x active / months, rounded half up to a hundredth of an hour, in int arithmetic;
    with `step` (the state's rounding), rounded up to a multiple of it instead."""
    if step:
        return -(-base * active_months // (months * step)) * step
    return (2 * base * active_months + months) // (2 * months)


# --- compiled requirements -----------------------------------------------------------------

_COMPLETED = attrgetter("completed")
_HOURS = attrgetter("hours")
_DELIVERY = attrgetter("delivery")
_TOPIC_HOURS = attrgetter("topic_hours")
_NUMBER = attrgetter("course_number")
_TITLE = attrgetter("course_title")
_FIRST = itemgetter(0)
_SECOND = itemgetter(1)


class _Filter:
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


class _FilterSlots:
    """Hands out one slot per distinct filter so ledgers can cache prefix sums by slot."""

    def __init__(self) -> None:
        self._slots: dict[tuple[object, ...], _Filter] = {}

    def get(
        self,
        topics: tuple[str, ...],
        delivery: tuple[str, ...],
        courses: tuple[str, ...],
        count: bool,
    ) -> _Filter:
        codes = tuple(sorted(set(topics)))
        ways = frozenset(delivery)
        names = _course_keys(courses)
        key = (codes, ways, names, count)
        found = self._slots.get(key)
        if found is None:
            found = self._slots[key] = _Filter(len(self._slots), codes, ways, names, count)
        return found


def _course_keys(courses: Iterable[str]) -> frozenset[str]:
    return frozenset(course.strip().casefold() for course in courses)


def _intersect(outer: tuple[str, ...], inner: tuple[str, ...]) -> tuple[str, ...]:
    if not outer:
        return inner
    if not inner:
        return outer
    return tuple(code for code in inner if code in outer)


class _Compiled:
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

    def __init__(self, requirement: Requirement, slots: _FilterSlots, agency: Agency, as_of: date):
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
        self.total_filter: _Filter | None = None
        self.course_filter: _Filter | None = None
        self.subs: tuple[tuple[SubMinimum, _Filter], ...] = ()
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
        self.filters: tuple[_Filter, ...] = tuple(
            f
            for f in (self.total_filter, self.course_filter, *(f for _, f in self.subs))
            if f is not None
        )
        base_subs = tuple(sub.hours for sub in requirement.sub_minimums)
        self.unadjusted = _Adjustment(requirement.hours or 0, base_subs)
        self.zero_subs = tuple(0 for _ in base_subs)
        self.dated_subs = any(sub.dated for sub in requirement.sub_minimums)
        self._bases: dict[date, _Adjustment] = {}
        self.noun = period_noun(requirement.period.kind) if requirement.period else ""
        self.wanted = _wanted(requirement)
        # Windows that do not depend on the officer are laid out once for the whole roster.
        self.default_window: Window | None = None
        self.default_previous: Window | None = None
        self.chain: list[Window] = []
        period = requirement.period
        if period is not None and period.kind in _SHARED_KINDS:
            window = current_window(
                period, as_of, fiscal_start_month=agency.fiscal_year_start_month
            )
            self.default_window = window
            if window is not None:
                self.default_previous = previous_window(period, window)
                if requirement.make_up is MakeUp.PREVIOUS_FIRST:
                    self.chain = make_up_chain(period, window)

    def base(self, window: Window) -> _Adjustment:
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
            found = self._bases[window.start] = _Adjustment(self.unadjusted.total, subs)
        return found


_SHARED_KINDS = frozenset(
    {PeriodKind.CALENDAR_YEAR, PeriodKind.FISCAL_YEAR, PeriodKind.FIXED_CYCLE, PeriodKind.ROLLING}
)


class _Plan:
    """The requirements of one evaluation, and how far back in time each filter's windows
    reach, so an officer's running totals start there instead of at the first record."""

    __slots__ = ("anchored", "compiled", "folded", "reach", "topic_filters")

    def __init__(self, compiled: list[_Compiled], as_of: date) -> None:
        self.compiled = compiled
        self.reach: dict[int, date] = {}
        self.anchored: dict[int, set[AnchorDate]] = {}
        self.folded = _Folded()
        topic_filters: dict[int, _Filter] = {}
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
            for f in item.filters:
                self.reach[f.slot] = min(self.reach.get(f.slot, date.max), reach)
                if anchored is not None:
                    self.anchored.setdefault(f.slot, set()).add(anchored)
                if f.topics:
                    topic_filters[f.slot] = f
        self.topic_filters = tuple(topic_filters.values())

    def earliest(self, f: _Filter, officer: Officer) -> date:
        """The earliest training date the filter's requirements can count for this officer."""
        found = self.reach.get(f.slot, date.min)
        for start_from in self.anchored.get(f.slot, ()):
            found = min(found, officer_anchor(officer, start_from)[0])
        return found


class _Folded(dict[str, str]):
    """Course numbers and titles as compared (stripped, casefolded), remembered across the
    roster because the same few courses recur on every officer's record."""

    def __missing__(self, key: str) -> str:
        value = self[key] = key.strip().casefold()
        return value


def _compile(requirements: Sequence[Requirement], agency: Agency, as_of: date) -> list[_Compiled]:
    slots = _FilterSlots()
    compiled = [_Compiled(r, slots, agency, as_of) for r in requirements]
    return [item for item in compiled if item.in_force]


# --- one officer's training, indexed ---------------------------------------------------------


class _Series:
    """Running totals of one filter's qualifying hours (or completions) over an officer's
    records, so any window's sum is two binary searches and a subtraction.

    Dense when every record from `offset` on has an entry (`positions` None: entry k is
    record k + offset); sparse, holding only the records that qualify, for topic filters.
    A record can appear twice in a sparse series (two matching topics): sums still add up.
    The sum over records lo..hi-1 is `running[b] - running[a]` for the entries a, b of lo
    and hi (`_measure` does this in place).
    """

    __slots__ = ("offset", "positions", "running", "start")

    def __init__(self, running: list[int], positions: list[int] | None, start: int):
        self.running = running
        self.positions = positions
        # Records before `start` are not covered; a dense series' entry k is record k + start.
        self.start = start
        self.offset = start if positions is None else 0

    def _entries(self, lo: int, hi: int) -> tuple[int, int]:
        positions = self.positions
        if positions is None:
            return lo - self.offset, hi - self.offset
        return bisect_left(positions, lo), bisect_left(positions, hi)

    def _record(self, entry: int) -> int:
        return entry + self.offset if self.positions is None else self.positions[entry]

    def reach(self, lo: int, hi: int, amount: int) -> int:
        """The record (from lo, before hi) at which the sum from lo first reaches `amount`,
        or -1 when it never does."""
        a, b = self._entries(lo, hi)
        running = self.running
        entry = bisect_left(running, running[a] + amount, a + 1, b + 1)
        return self._record(entry - 1) if entry <= b else -1

    def last(self, lo: int, hi: int) -> int:
        """The last record lo..hi-1 with a non-zero entry, or -1."""
        a, b = self._entries(lo, hi)
        running = self.running
        if running[b] == running[a]:
            return -1
        return self._record(bisect_left(running, running[b], a + 1, b + 1) - 1)


class _TopicEntries:
    """Per topic code, the (record position, hours) entries of the records from `start` on,
    in date order: one pass over the records serves every topic filter."""

    __slots__ = ("_series", "by_code", "start")

    def __init__(self, records: list[Training], start: int) -> None:
        self.start = start
        by_code: defaultdict[str, list[tuple[int, Centihours]]] = defaultdict(list)
        for position, pairs in enumerate(map(_TOPIC_HOURS, islice(records, start, None)), start):
            for code, hours in pairs:
                by_code[code].append((position, hours))
        self.by_code = by_code
        self._series: dict[tuple[tuple[str, ...], bool], _Series] = {}

    def entries(self, topics: tuple[str, ...], count: bool) -> list[tuple[int, Centihours]]:
        """Entries in any of `topics`, in record order; a record with hours in two of the
        topics appears twice. Counting completions leaves out zero-hour entries."""
        by_code = self.by_code
        if len(topics) == 1:
            found = by_code.get(topics[0], [])
        else:
            found = sorted(chain.from_iterable(by_code.get(code, ()) for code in topics))
        if count:
            # A completion needs hours in the topic, not a zero-hour mention of it.
            found = [entry for entry in found if entry[1] > 0]
        return found

    def series(self, topics: tuple[str, ...], count: bool) -> _Series:
        """Running totals of `topics` (shared by every filter on the same topics)."""
        key = (topics, count)
        found = self._series.get(key)
        if found is None:
            entries = self.entries(topics, count)
            positions = list(map(_FIRST, entries))
            weights = [1] * len(entries) if count else map(_SECOND, entries)
            found = _Series(list(accumulate(weights, initial=0)), positions, self.start)
            self._series[key] = found
        return found


class _Ledger:
    """An officer's records sorted by date once, with a `_Series` built lazily per filter.

    A series covers the records from the earliest date its requirements can count (the
    plan's hint); a search that starts before that rebuilds it from the first record, so
    the hint can make evaluation faster but never change a result.
    """

    __slots__ = (
        "_courses",
        "_deliveries",
        "_flat",
        "_series",
        "dates",
        "officer",
        "plan",
        "records",
    )

    def __init__(self, records: Sequence[Training], plan: _Plan, officer: Officer) -> None:
        # Sorting an already sorted list costs one pass; the second pass hits the cache.
        self.records: list[Training] = sorted(records, key=_COMPLETED)
        self.dates: list[date] = list(map(_COMPLETED, self.records))
        self.plan = plan
        self.officer = officer
        self._series: dict[int, _Series] = {}
        self._flat: _TopicEntries | None = None
        self._deliveries: dict[frozenset[str], _Flags] = {}
        self._courses: dict[frozenset[str], _Flags] = {}

    def span(self, start: date, end: date) -> tuple[int, int]:
        """Record positions [lo, hi) completed from `start` through `end` inclusive."""
        return bisect_left(self.dates, start), bisect_right(self.dates, end)

    def series(self, f: _Filter, lo: int) -> _Series:
        """The running totals for a filter covering record `lo` onwards, built on first use."""
        found = self._series.get(f.slot)
        if found is None or lo < found.start:
            if f.topics:
                found = self._sparse(f, lo)
            else:
                start = 0
                if found is None:
                    hint = bisect_left(self.dates, self.plan.earliest(f, self.officer))
                    start = min(lo, hint)
                found = self._dense(f, start)
            self._series[f.slot] = found
        return found

    def _dense(self, f: _Filter, start: int) -> _Series:
        records = self.records[start:] if start else self.records
        weights: list[int] = [1] * len(records) if f.count else list(map(_HOURS, records))
        if f.delivery:
            flags = self._delivery_flags(f.delivery, start).since(start)
            weights = list(map(mul, weights, flags))
        if f.courses:
            flags = self._course_flags(f.courses, start).since(start)
            weights = list(map(mul, weights, flags))
        return _Series(list(accumulate(weights, initial=0)), None, start)

    def _sparse(self, f: _Filter, lo: int) -> _Series:
        flat = self._flat
        if flat is None:
            # One set of entries for every topic filter: start at the earliest of them.
            dates, officer, plan = self.dates, self.officer, self.plan
            first = min(
                (bisect_left(dates, plan.earliest(g, officer)) for g in plan.topic_filters),
                default=lo,
            )
            flat = self._flat = _TopicEntries(self.records, min(first, lo))
        elif lo < flat.start:
            flat = self._flat = _TopicEntries(self.records, 0)
        if not f.delivery and not f.courses:
            return flat.series(f.topics, f.count)
        start = flat.start
        entries = flat.entries(f.topics, f.count)
        positions = list(map(_FIRST, entries))
        keep: list[bool] | None = None
        if f.delivery:
            keep = self._delivery_flags(f.delivery, start).at(positions)
        if f.courses:
            more = self._course_flags(f.courses, start).at(positions)
            keep = more if keep is None else list(map(and_, keep, more))
        assert keep is not None
        positions = list(compress(positions, keep))
        weights = [1] * len(positions) if f.count else compress(map(_SECOND, entries), keep)
        return _Series(list(accumulate(weights, initial=0)), positions, start)

    def _delivery_flags(self, delivery: frozenset[str], start: int) -> _Flags:
        """Per record from `start`, whether its delivery is one of `delivery`."""
        found = self._deliveries.get(delivery)
        if found is None or start < found.start:
            records = islice(self.records, start, None)
            found = _Flags(start, list(map(delivery.__contains__, map(_DELIVERY, records))))
            self._deliveries[delivery] = found
        return found

    def _course_flags(self, courses: frozenset[str], start: int) -> _Flags:
        """Per record from `start`, whether its course number or title is one of `courses`."""
        found = self._courses.get(courses)
        if found is None or start < found.start:
            fold = self.plan.folded.__getitem__
            numbers = map(fold, map(_NUMBER, islice(self.records, start, None)))
            titles = map(fold, map(_TITLE, islice(self.records, start, None)))
            found = _Flags(
                start,
                list(
                    map(or_, map(courses.__contains__, numbers), map(courses.__contains__, titles))
                ),
            )
            self._courses[courses] = found
        return found


class _Flags:
    """A yes/no per record from record `start` on."""

    __slots__ = ("start", "values")

    def __init__(self, start: int, values: list[bool]) -> None:
        self.start = start
        self.values = values

    def since(self, start: int) -> Iterable[bool]:
        """The flags of records `start` onwards (start >= self.start)."""
        return islice(self.values, start - self.start, None)

    def at(self, positions: list[int]) -> list[bool]:
        """The flags of the records at these positions (each >= self.start)."""
        values, offset = self.values, self.start
        if not offset:
            return list(map(values.__getitem__, positions))
        return [values[position - offset] for position in positions]


class _Context:
    """Everything about one officer that several requirements share."""

    __slots__ = (
        "_intervals",
        "_ledger",
        "agency",
        "as_of",
        "certifications",
        "exemptions",
        "officer",
        "plan",
        "records",
        "warning_days",
    )

    def __init__(
        self,
        plan: _Plan,
        officer: Officer,
        records: Sequence[Training],
        exemptions: Sequence[Exemption],
        certifications: Sequence[Certification],
        as_of: date,
        agency: Agency,
    ) -> None:
        self.plan = plan
        self.officer = officer
        self.records = records
        self.exemptions = exemptions
        self.certifications = certifications
        self.as_of = as_of
        self.agency = agency
        self.warning_days = agency.warning_days
        self._ledger: _Ledger | None = None
        self._intervals: dict[str, list[tuple[int, int]]] = {}

    @property
    def ledger(self) -> _Ledger:
        if self._ledger is None:
            self._ledger = _Ledger(self.records, self.plan, self.officer)
        return self._ledger

    def counts(self, exemption: Exemption) -> bool:
        """Whether an exemption reduces required hours on the as-of date: a waiver granted
        by then, or any leave under the agency's own proration policy; leave that has not
        begun yet never does."""
        return exemption.start <= self.as_of and (
            self.agency.leave_proration or exemption.granted_by_day(self.as_of)
        )

    def intervals(self, requirement_id: str) -> list[tuple[int, int]]:
        """The officer's exemptions that count for this requirement as merged day-ordinal
        ranges up to the as-of date, so a day covered by two overlapping exemptions counts
        once and a day still to come counts not at all."""
        found = self._intervals.get(requirement_id)
        if found is None:
            last_day = self.as_of.toordinal()
            spans = sorted(
                (e.start.toordinal(), min(e.end.toordinal(), last_day))
                for e in self.exemptions
                if e.applies_to(requirement_id) and e.end >= e.start and self.counts(e)
            )
            found = []
            for first, last in spans:
                if found and first <= found[-1][1] + 1:
                    if last > found[-1][1]:
                        found[-1] = (found[-1][0], last)
                else:
                    found.append((first, last))
            self._intervals[requirement_id] = found
        return found

    def holds(self, kinds: frozenset[str], day: date) -> Certification | None:
        """A certification of one of `kinds` valid on `day`, the longest-lasting if several."""
        best: Certification | None = None
        for cert in self.certifications:
            if (
                cert.kind.casefold() in kinds
                and cert.valid_on(day)
                and (best is None or _lasts_longer(cert, best))
            ):
                best = cert
        return best


def _lasts_longer(cert: Certification, other: Certification) -> bool:
    if cert.expires is None:
        return other.expires is not None
    return other.expires is not None and cert.expires > other.expires


# --- adjustments -------------------------------------------------------------------------------


class _Adjustment:
    """Required hours for one window after leave, exemptions and new-hire rules."""

    __slots__ = ("active", "exempt", "months", "reasons", "subs", "total")

    def __init__(
        self,
        total: Centihours,
        subs: tuple[Centihours, ...],
        reasons: tuple[str, ...] = (),
        exempt: bool = False,
        active: int = 0,
        months: int = 0,
    ) -> None:
        self.total = total
        self.subs = subs
        self.reasons = reasons
        self.exempt = exempt
        self.active = active
        self.months = months


def _adjust(context: _Context, compiled: _Compiled, window: Window) -> _Adjustment:
    requirement = compiled.requirement
    unadjusted = compiled.base(window)
    hire = context.officer.hire_date
    new_hire = requirement.new_hire
    if new_hire is NewHire.EXEMPT_FIRST_PERIOD and window.start <= hire <= window.end:
        return _Adjustment(
            0,
            compiled.zero_subs,
            (
                f"Hired {hire.isoformat()}, during this {compiled.noun or 'period'}: a new "
                f"hire's first {compiled.noun or 'period'} requires nothing.",
            ),
            exempt=True,
        )
    if new_hire is NewHire.EXEMPT_LICENSE_PERIOD:
        licensed = context.officer.license_date or hire
        if licensed >= window.start:
            noun = compiled.noun or "period"
            when = "in this" if licensed <= window.end else "after this"
            return _Adjustment(
                0,
                compiled.zero_subs,
                (
                    f"Certified {licensed.isoformat()}, {when} {noun}: training is due from "
                    f"the {noun} after certification (the basic-academy {noun} is excused).",
                ),
                exempt=True,
            )
    per_month = new_hire is NewHire.PER_MONTH
    prorate = (new_hire is NewHire.PRORATE or per_month) and hire > window.start
    if not prorate and not context.exemptions:
        return unadjusted
    intervals: list[tuple[int, int]] = []
    noted: tuple[str, ...] = ()
    if context.exemptions:
        start, end = window.start.toordinal(), window.end.toordinal()
        intervals = [
            (max(first, start), min(last, end))
            for first, last in context.intervals(requirement.id)
            if last >= start and first <= end
        ]
        note = _leave_not_counted(context, requirement.id, window)
        noted = (note,) if note else ()
        if not prorate and not intervals:
            return _Adjustment(unadjusted.total, unadjusted.subs, noted) if noted else unadjusted

    low, high = window_month_keys(window)
    count = high - low + 1
    before = 0
    hire_month_days: int | None = None
    if prorate:
        hire_key = month_key(hire)
        before = max(0, min(hire_key, high + 1) - low)
        if low <= hire_key <= high:
            employed = days_in_month(hire.year, hire.month) - hire.day + 1
            if employed < MIN_DAYS_IN_MONTH:
                hire_month_days = employed
                before += 1
    waived = _waived_months(intervals, low + before, high)
    active = count - before - len(waived)
    if not before and not waived:
        return _Adjustment(unadjusted.total, unadjusted.subs, noted) if noted else unadjusted

    reasons: list[str] = list(noted)
    if before:
        text = (
            f"New hire ({hire.isoformat()}): {before} of {count} months not counted "
            f"({_month_ranges(range(low, low + before))})"
        )
        if hire_month_days is not None:
            text += (
                f", including the hire month: {hire_month_days} days employed, "
                f"fewer than {MIN_DAYS_IN_MONTH}"
            )
        reasons.append(text + ".")
    if waived:
        why = _exemption_reasons(context, requirement.id, waived[0], waived[-1])
        reasons.append(
            f"Leave or exemption: {len(waived)} of {count} months waived "
            f"({_month_ranges(waived)}{': ' + why if why else ''})."
        )
    if active <= 0:
        reasons.append(
            f"Every month of the {compiled.noun or 'period'} is waived, so nothing is required."
        )
        return _Adjustment(0, compiled.zero_subs, tuple(reasons), True, 0, count)
    total = requirement.hours or 0
    if per_month and requirement.hours_per_month is not None:
        # Utah: a part year owes so many hours per month, never more than a full year.
        adjusted = min(total, requirement.hours_per_month * active)
        reasons.append(
            f"Required {plain_hours(adjusted)} h = {plain_hours(requirement.hours_per_month)}"
            f" h x {active} months employed (at most {plain_hours(total)} h)."
        )
        return _Adjustment(
            adjusted,
            tuple(scale_hours(hours, active, count) for hours in unadjusted.subs),
            tuple(reasons),
            False,
            active,
            count,
        )
    step = requirement.round_required_to
    if requirement.kind is RequirementKind.HOURS:
        adjusted = scale_hours(total, active, count, step)
        if adjusted <= 0:
            reasons.append("The prorated requirement rounds to 0 hours, so nothing is required.")
            return _Adjustment(0, compiled.zero_subs, tuple(reasons), True, active, count)
        scaled = " (topic minimums scaled the same way)" if requirement.sub_minimums else ""
        rounded = f", rounded up to a multiple of {plain_hours(step)} h" if step else ""
        reasons.append(
            f"Required {plain_hours(adjusted)} h = {plain_hours(total)} h x {active} active "
            f"months / {count} months{rounded}{scaled}."
        )
        return _Adjustment(
            adjusted,
            tuple(scale_hours(hours, active, count, step) for hours in unadjusted.subs),
            tuple(reasons),
            False,
            active,
            count,
        )
    reasons.append(
        f"A class is still required when only part of the {compiled.noun or 'period'} is waived."
    )
    return _Adjustment(total, unadjusted.subs, tuple(reasons), False, active, count)


def _waived_months(intervals: list[tuple[int, int]], low: int, high: int) -> list[int]:
    """Month keys from `low` to `high` with 15 or more days covered by the (merged, clipped)
    exemption day ranges."""
    if not intervals or low > high:
        return []
    covered: dict[int, int] = {}
    for first, last in intervals:
        day = date.fromordinal(first)
        key = month_key(day)
        while first <= last:
            year, month = month_of_key(key)
            month_end = date(year, month, 1).toordinal() + days_in_month(year, month) - 1
            upto = min(last, month_end)
            if low <= key <= high:
                covered[key] = covered.get(key, 0) + upto - first + 1
            first, key = upto + 1, key + 1
    return sorted(key for key, days in covered.items() if days >= MIN_DAYS_IN_MONTH)


def _month_ranges(keys: Iterable[int]) -> str:
    runs: list[list[int]] = []
    for key in keys:
        if runs and runs[-1][-1] + 1 == key:
            runs[-1].append(key)
        else:
            runs.append([key])
    return ", ".join(
        month_label(run[0]) if len(run) == 1 else f"{month_label(run[0])} to {month_label(run[-1])}"
        for run in runs
    )


def _exemption_reasons(context: _Context, requirement_id: str, low: int, high: int) -> str:
    """The distinct reasons of the exemptions that touch months `low` to `high`."""
    first_year, first_month = month_of_key(low)
    last_year, last_month = month_of_key(high)
    first = date(first_year, first_month, 1)
    last = date(last_year, last_month, days_in_month(last_year, last_month))
    reasons: list[str] = []
    for exemption in context.exemptions:
        if (
            exemption.applies_to(requirement_id)
            and exemption.start <= last
            and exemption.end >= first
            and context.counts(exemption)
        ):
            reason = _exemption_words(exemption, context.as_of)
            if reason and reason not in reasons:
                reasons.append(reason)
    return "; ".join(reasons)


def _exemption_words(exemption: Exemption, as_of: date) -> str:
    """'Military deployment, waiver granted by ILETSB (ref W-17) on 2024-03-02' or
    'Medical leave, under the agency's leave proration policy'."""
    reason = exemption.reason.strip() or "Leave"
    if exemption.granted_by_day(as_of) and exemption.granted_on is not None:
        reference = f" (ref {exemption.reference.strip()})" if exemption.reference.strip() else ""
        return (
            f"{reason}, waiver granted by {exemption.granted_by.strip()}{reference} "
            f"on {exemption.granted_on.isoformat()}"
        )
    return f"{reason}, under the agency's leave proration policy"


def _leave_not_counted(context: _Context, requirement_id: str, window: Window) -> str | None:
    """A sentence on leave recorded in the window that does not reduce the hours, or None."""
    ignored = [
        e
        for e in context.exemptions
        if e.applies_to(requirement_id)
        and e.start <= min(window.end, context.as_of)
        and e.end >= window.start
        and not context.counts(e)
    ]
    if not ignored:
        return None
    listed = "; ".join(
        f"{e.reason.strip() or 'leave'} {e.start.isoformat()} to {e.end.isoformat()}"
        for e in ignored
    )
    return (
        f"Leave recorded ({listed}) does not reduce the hours: no waiver is recorded for it "
        "and the agency does not prorate leave."
    )


# --- measuring a window --------------------------------------------------------------------


class _Measure:
    """Required and earned figures for one window, and whether they meet."""

    __slots__ = ("adjustment", "earned", "hit", "met", "sub_earned")

    def __init__(
        self,
        adjustment: _Adjustment,
        earned: Centihours,
        sub_earned: tuple[Centihours, ...],
        met: bool,
        hit: int,
    ) -> None:
        self.adjustment = adjustment
        self.earned = earned
        self.sub_earned = sub_earned
        self.met = met
        self.hit = hit


def _measure(
    context: _Context,
    compiled: _Compiled,
    adjustment: _Adjustment,
    start: date,
    end: date,
) -> _Measure:
    """Hours (or completions) counted from `start` through `end`; `hit` is the position of
    the latest qualifying record for a course requirement (-1 when none)."""
    ledger = context.ledger
    dates = ledger.dates
    lo, hi = bisect_left(dates, start), bisect_right(dates, end)
    if compiled.course_filter is not None:
        hit = ledger.series(compiled.course_filter, lo).last(lo, hi)
        return _Measure(adjustment, 0, (), hit >= 0, hit)
    # The hot loop of a roster evaluation: Series.total written out in place.
    totals = []
    for f in compiled.filters:
        series = ledger.series(f, lo)
        positions = series.positions
        if positions is None:
            a, b = lo - series.offset, hi - series.offset
        else:
            a, b = bisect_left(positions, lo), bisect_left(positions, hi)
        running = series.running
        totals.append(running[b] - running[a])
    earned = totals[0]
    sub_earned = tuple(totals[1:])
    met = earned >= adjustment.total and all(map(ge, sub_earned, adjustment.subs))
    return _Measure(adjustment, earned, sub_earned, met, -1)


def _completion(
    context: _Context, compiled: _Compiled, adjustment: _Adjustment, lo: int, hi: int
) -> int:
    """Position of the record that first completes the requirement counting from record
    `lo` (the hours and every sub-minimum reached), or -1 when none before record `hi`."""
    ledger = context.ledger
    if compiled.course_filter is not None:
        return ledger.series(compiled.course_filter, lo).reach(lo, hi, 1)
    assert compiled.total_filter is not None
    found = ledger.series(compiled.total_filter, lo).reach(lo, hi, adjustment.total)
    if found < 0:
        return -1
    for (_, sub_filter), required in zip(compiled.subs, adjustment.subs, strict=True):
        if required > 0:
            position = ledger.series(sub_filter, lo).reach(lo, hi, required)
            if position < 0:
                return -1
            found = max(found, position)
    return found


# --- evaluation -----------------------------------------------------------------------------


def _evaluate(context: _Context, compiled: _Compiled) -> RequirementResult:
    requirement = compiled.requirement
    reason = _not_applicable(context, compiled)
    if reason is not None:
        return _result(context, compiled, Status.NOT_APPLICABLE, details=(reason,))
    if requirement.kind is RequirementKind.CERTIFICATION:
        return _evaluate_certification(context, compiled)
    period = requirement.period
    if period is None:
        return _evaluate_ever(context, compiled)
    kind = period.kind
    details: tuple[str, ...] = ()
    anchor: date | None = None
    if period.officer_anchored:
        anchor, fell_back = officer_anchor(context.officer, period.start_from)
        if fell_back:
            details = (
                f"No licence date recorded: counted from the hire date {anchor.isoformat()}.",
            )
        if anchor > context.as_of:
            what = (
                "licence" if period.start_from is AnchorDate.LICENSE and not fell_back else "hire"
            )
            return _result(
                context,
                compiled,
                Status.NOT_APPLICABLE,
                details=(f"Not applicable until the {what} date {anchor.isoformat()}.",),
            )
    if kind is PeriodKind.SINCE_LAST_COMPLETION:
        assert anchor is not None
        return _evaluate_clock(context, compiled, anchor, details)
    if kind is PeriodKind.ONE_TIME:
        assert anchor is not None
        return _evaluate_one_time(context, compiled, anchor, details)
    if kind is PeriodKind.DEADLINE:
        return _evaluate_deadline(context, compiled)
    return _evaluate_window(context, compiled, anchor, details)


def _not_applicable(context: _Context, compiled: _Compiled) -> str | None:
    """Why the requirement does not cover this officer on the as-of date, or None."""
    requirement = compiled.requirement
    officer = context.officer
    as_of = context.as_of
    if not compiled.in_force:
        until = f" to {requirement.effective_to.isoformat()}" if requirement.effective_to else ""
        return (
            f"Not in force on {as_of.isoformat()} "
            f"(in force from {requirement.effective_from.isoformat()}{until})."
        )
    if officer.hire_date > as_of:
        return f"Hired {officer.hire_date.isoformat()}, after {as_of.isoformat()}."
    status = officer.status
    if status == "separated":
        if officer.separation_date is None or as_of > officer.separation_date:
            when = f" on {officer.separation_date.isoformat()}" if officer.separation_date else ""
            return f"Separated{when}: no longer on the roster."
        # Before the separation date the officer was still serving.
        status = "active"
    if compiled.applies_default and status in DEFAULT_STATUSES:
        return None
    applies = requirement.applies_to
    if status not in applies.statuses:
        return f"Covers officers who are {', '.join(applies.statuses)}; this officer is {status}."
    licensed = officer.license_date or officer.hire_date
    licence_word = "licensed" if officer.license_date else "hired (no licence date recorded)"
    if applies.licensed_before is not None and not licensed < applies.licensed_before:
        return (
            f"Covers officers licensed before {applies.licensed_before.isoformat()}; "
            f"this officer was {licence_word} {licensed.isoformat()}."
        )
    if applies.licensed_on_or_after is not None and licensed < applies.licensed_on_or_after:
        return (
            f"Covers officers licensed on or after {applies.licensed_on_or_after.isoformat()}; "
            f"this officer was {licence_word} {licensed.isoformat()}."
        )
    if applies.hired_before is not None and not officer.hire_date < applies.hired_before:
        return (
            f"Covers officers hired before {applies.hired_before.isoformat()}; "
            f"this officer was hired {officer.hire_date.isoformat()}."
        )
    if applies.hired_on_or_after is not None and officer.hire_date < applies.hired_on_or_after:
        return (
            f"Covers officers hired on or after {applies.hired_on_or_after.isoformat()}; "
            f"this officer was hired {officer.hire_date.isoformat()}."
        )
    for values, have, what in (
        (compiled.ranks, officer.rank, "rank"),
        (compiled.units, officer.unit, "unit"),
        (compiled.shifts, officer.shift, "shift"),
    ):
        if values and have.strip().casefold() not in values:
            listed = ", ".join(getattr(applies, what + "s"))
            return f"Covers {what} {listed} only; this officer's {what} is {have or 'not set'}."
    for values, have, what in (
        (compiled.except_ranks, officer.rank, "rank"),
        (compiled.except_units, officer.unit, "unit"),
    ):
        if values and have.strip().casefold() in values:
            listed = ", ".join(getattr(applies, f"except_{what}s"))
            return f"Does not cover the {what}s {listed}; this officer's {what} is {have}."
    if compiled.unless_certified:
        cert = context.holds(compiled.unless_certified, as_of)
        if cert is not None:
            return f"Not required of officers holding the {cert.kind} certification."
    return None


def _result(
    context: _Context,
    compiled: _Compiled,
    status: Status,
    *,
    window: Window | None = None,
    due: date | None = None,
    measure: _Measure | None = None,
    previous: str | None = None,
    details: tuple[str, ...] = (),
    met: bool | None = None,
    qualifying_certification_id: int | None = None,
    previous_shortfalls: tuple[tuple[str, Centihours], ...] = (),
    make_up_remaining: Centihours = 0,
) -> RequirementResult:
    requirement = compiled.requirement
    hours_kind = requirement.kind is RequirementKind.HOURS
    if status is Status.EXEMPT or status is Status.NOT_APPLICABLE:
        # Nothing was measured against training, so nothing was "met".
        met = False
    required = adjusted = earned = shortfall = None
    subs: tuple[SubMinimumResult, ...] = ()
    adjustments: tuple[str, ...] = ()
    record_id: int | None = None
    if measure is not None:
        adjustment = measure.adjustment
        adjustments = adjustment.reasons
        if hours_kind:
            required = requirement.hours or 0
            adjusted = adjustment.total
            earned = measure.earned
            shortfall = max(0, adjusted - earned)
            if requirement.sub_minimums:
                subs = tuple(
                    SubMinimumResult(sub.label, sub.hours, need, got, max(0, need - got))
                    for sub, need, got in zip(
                        requirement.sub_minimums, adjustment.subs, measure.sub_earned, strict=True
                    )
                    if window is None or not sub.dated or sub.applies(window.start)
                )
        elif measure.hit >= 0:
            record_id = _record(context, measure.hit).id
    elif hours_kind and status is Status.EXEMPT:
        required = requirement.hours
    # Positional, in field order: this runs once per officer and requirement.
    return RequirementResult(
        requirement.id,
        requirement.title,
        requirement.kind,
        context.officer.id,
        context.as_of,
        status,
        window.start if window else None,
        window.end if window else None,
        due,
        required,
        adjusted,
        earned,
        shortfall,
        subs,
        (measure.met if measure is not None else False) if met is None else met,
        record_id,
        qualifying_certification_id,
        previous,
        adjustments,
        details,
        previous_shortfalls,
        compiled.noun,
        compiled.wanted,
        make_up_remaining,
    )


def _unmet_status(context: _Context, due: date) -> Status:
    if (due - context.as_of).days <= context.warning_days:
        return Status.DUE_SOON
    return Status.IN_PROGRESS


def _evaluate_window(
    context: _Context, compiled: _Compiled, anchor: date | None, details: tuple[str, ...]
) -> RequirementResult:
    """Calendar and fiscal years, fixed and officer cycles, rolling months."""
    requirement = compiled.requirement
    period = requirement.period
    assert period is not None
    as_of = context.as_of
    if compiled.default_window is not None:
        window = compiled.default_window
        before = compiled.default_previous
    else:
        found = current_window(
            period, as_of, anchor=anchor, fiscal_start_month=context.agency.fiscal_year_start_month
        )
        assert found is not None
        window = found
        before = previous_window(period, window, anchor=anchor)
    adjustment = _adjust(context, compiled, window)
    if adjustment.exempt:
        return _result(
            context,
            compiled,
            Status.EXEMPT,
            window=window,
            due=window.end,
            details=details,
            measure=_measure(context, compiled, adjustment, window.start, as_of),
        )
    if compiled.requirement.make_up is MakeUp.PREVIOUS_FIRST:
        return _evaluate_make_up(context, compiled, window, before, adjustment, anchor, details)
    measure = _measure(context, compiled, adjustment, window.start, as_of)
    previous, previous_short = _previous_outcome(context, compiled, before)
    if measure.met:
        status = Status.COMPLIANT
    elif period.kind is PeriodKind.ROLLING:
        # A rolling window always ends today: hours short now are already overdue.
        status = Status.NON_COMPLIANT
        details += (
            f"A rolling requirement must be met on every date: the {period.length_months} "
            f"months ending {as_of.isoformat()} fall short.",
        )
    elif previous == UNMET:
        status = Status.NON_COMPLIANT
        assert before is not None
        noun = compiled.noun
        short = _short_text(previous_short) if previous_short else f"without {compiled.wanted}"
        details += (
            f"The previous {noun} ({before.start.isoformat()} to {before.end.isoformat()}) "
            f"ended {short.replace('short ', 'short of ', 1) if previous_short else short}. "
            f"The officer stays non-compliant until this {noun}'s requirement is met, due "
            f"{window.end.isoformat()}.",
        )
    else:
        status = _unmet_status(context, window.end)
    return _result(
        context,
        compiled,
        status,
        window=window,
        due=window.end,
        measure=measure,
        previous=previous,
        details=details + _course_details(context, compiled, measure),
        previous_shortfalls=previous_short,
    )


MAKE_UP_WINDOWS = 3
"""With make-up hours credited to the window that ended short first, how many windows are
worked out: the current one and the two before it (a deficit older than that is not carried)."""


def make_up_chain(period: Period, window: Window, anchor: date | None = None) -> list[Window]:
    """The windows before `window` whose deficits can be made up in it, oldest first."""
    chain: list[Window] = []
    found: Window | None = window
    while len(chain) < MAKE_UP_WINDOWS - 1:
        found = previous_window(period, found, anchor=anchor) if found else None
        if found is None:
            break
        chain.append(found)
    return chain[::-1]


def _evaluate_make_up(
    context: _Context,
    compiled: _Compiled,
    window: Window,
    before: Window | None,
    adjustment: _Adjustment,
    anchor: date | None,
    details: tuple[str, ...],
) -> RequirementResult:
    """Hours earned after a window ended short go to that window first (Utah, R728-410):
    the current window counts only what is left once the earlier deficits are made up. Only
    the total is carried; sub-minimums are measured in their own window."""
    requirement = compiled.requirement
    period = requirement.period
    assert period is not None
    as_of = context.as_of
    if compiled.default_window is not None:
        chain = compiled.chain
    else:
        chain = make_up_chain(period, window, anchor)
    debt = 0
    last_short = 0
    last_measured = False
    for earlier in chain:
        last_short = 0
        last_measured = False
        if earlier.end < requirement.effective_from or earlier.end < context.officer.hire_date:
            continue
        owed = _adjust(context, compiled, earlier)
        own = _measure(context, compiled, owed, earlier.start, earlier.end).earned
        credit = own - min(debt, own)
        debt -= own - credit
        if owed.exempt:
            continue
        last_measured = True
        if credit < owed.total:
            last_short = owed.total - credit
            debt += last_short
    measure = _measure(context, compiled, adjustment, window.start, as_of)
    paid = min(debt, measure.earned)
    remaining = debt - paid
    measure.earned -= paid
    measure.met = measure.met and measure.earned >= adjustment.total
    noun = compiled.noun
    previous = None
    previous_short: tuple[tuple[str, Centihours], ...] = ()
    if before is not None and chain and chain[-1] == before and last_measured:
        previous = UNMET if last_short else MET
        previous_short = (("", last_short),) if last_short else ()
    if debt:
        ledger = context.ledger
        lo, hi = ledger.span(window.start, as_of)
        assert compiled.total_filter is not None
        if remaining:
            details += (
                f"Earlier {noun}s ended {plain_hours(debt)} h short. Hours earned since "
                f"{window.start.isoformat()} make that up first: {plain_hours(paid)} h so "
                f"far, {plain_hours(remaining)} h still to make up before any counts toward "
                f"this {noun}.",
            )
        else:
            position = ledger.series(compiled.total_filter, lo).reach(lo, hi, debt)
            details += (
                f"Earlier {noun}s ended {plain_hours(debt)} h short, made up on "
                f"{ledger.dates[position].isoformat()} with the first hours of this {noun}; "
                f"the {plain_hours(measure.earned)} h after that count toward this {noun}.",
            )
    if measure.met:
        status = Status.COMPLIANT
    elif remaining:
        status = Status.NON_COMPLIANT
    else:
        status = _unmet_status(context, window.end)
    return _result(
        context,
        compiled,
        status,
        window=window,
        due=window.end,
        measure=measure,
        previous=previous,
        details=details,
        previous_shortfalls=previous_short,
        make_up_remaining=remaining,
    )


_NOT_MEASURED: tuple[str | None, tuple[tuple[str, Centihours], ...]] = (None, ())


def _previous_outcome(
    context: _Context, compiled: _Compiled, window: Window | None
) -> tuple[str | None, tuple[tuple[str, Centihours], ...]]:
    """'met' or 'unmet' for the window before, with what it ended short of; None when it did
    not count: no such window, the rule was not in force at its end, the officer was not yet
    hired, or it was exempt."""
    if window is None:
        return _NOT_MEASURED
    requirement = compiled.requirement
    if window.end < requirement.effective_from or window.end < context.officer.hire_date:
        return _NOT_MEASURED
    adjustment = _adjust(context, compiled, window)
    if adjustment.exempt:
        return _NOT_MEASURED
    measure = _measure(context, compiled, adjustment, window.start, window.end)
    if measure.met:
        return MET, ()
    return UNMET, _shortfalls(requirement, adjustment, measure, window)


def _shortfalls(
    requirement: Requirement, adjustment: _Adjustment, measure: _Measure, window: Window
) -> tuple[tuple[str, Centihours], ...]:
    """("", total short) and (label, short) of each sub-minimum short, for hours."""
    if requirement.kind is not RequirementKind.HOURS:
        return ()
    found: list[tuple[str, Centihours]] = []
    if measure.earned < adjustment.total:
        found.append(("", adjustment.total - measure.earned))
    for sub, need, got in zip(
        requirement.sub_minimums, adjustment.subs, measure.sub_earned, strict=True
    ):
        if got < need and (not sub.dated or sub.applies(window.start)):
            found.append((sub.label, need - got))
    return tuple(found)


def _course_details(context: _Context, compiled: _Compiled, measure: _Measure) -> tuple[str, ...]:
    if compiled.course_filter is None:
        return ()
    if measure.hit >= 0:
        record = _record(context, measure.hit)
        return (f"Completed {_course_name(record)} on {record.completed.isoformat()}.",)
    return (f"No {_without_article(compiled.wanted)} this {compiled.noun} yet.",)


def _record(context: _Context, position: int) -> TrainingRecord:
    record = context.ledger.records[position]
    # Only hours requirements are ever fed totals (see training_needs).
    assert isinstance(record, TrainingRecord)
    return record


def _course_name(record: TrainingRecord) -> str:
    if record.course_number and record.course_number.strip() != record.course_title.strip():
        return f"{record.course_number} {record.course_title}"
    return record.course_title


def _without_article(text: str) -> str:
    """'a class in first aid' -> 'class in first aid', to follow "No"."""
    return text[2:] if text.startswith("a ") else text


def _evaluate_one_time(
    context: _Context, compiled: _Compiled, anchor: date, details: tuple[str, ...]
) -> RequirementResult:
    """Once, by a deadline N months after the licence or hire date.

    Training completed after the deadline still completes the requirement (the explanation
    says it was late), so an officer who catches up is not flagged for ever.
    """
    requirement = compiled.requirement
    period = requirement.period
    assert period is not None
    as_of = context.as_of
    window = one_time_window(anchor, period.length_months)
    adjustment = _adjust(context, compiled, window)
    if adjustment.exempt:
        return _result(
            context,
            compiled,
            Status.EXEMPT,
            window=window,
            due=window.end,
            details=details,
            measure=_measure(context, compiled, adjustment, window.start, as_of),
        )
    return _by_deadline(context, compiled, adjustment, window, window, details)


def _evaluate_deadline(context: _Context, compiled: _Compiled) -> RequirementResult:
    """One fixed date for everyone (NJ's ICAT/ABLE by 2021-12-31): training from
    `counts_from` (or any date) counts, late completions too. Officers hired after the date
    are not covered; leave and new-hire rules do not move a date set by law."""
    period = compiled.requirement.period
    assert period is not None and period.due is not None
    hire = context.officer.hire_date
    if hire > period.due:
        return _result(
            context,
            compiled,
            Status.NOT_APPLICABLE,
            details=(
                f"Hired {hire.isoformat()}, after the deadline {period.due.isoformat()}: "
                "it covers officers serving by then.",
            ),
        )
    window = Window(period.counts_from or date.min, period.due)
    shown = window if period.counts_from is not None else None
    return _by_deadline(context, compiled, compiled.base(window), window, shown, ())


def _by_deadline(
    context: _Context,
    compiled: _Compiled,
    adjustment: _Adjustment,
    window: Window,
    shown: Window | None,
    details: tuple[str, ...],
) -> RequirementResult:
    """Met by training from the window's start up to the as-of date; due on its last day."""
    as_of = context.as_of
    deadline = window.end
    measure = _measure(context, compiled, adjustment, window.start, as_of)
    if measure.met:
        position = _completion(
            context, compiled, adjustment, *context.ledger.span(window.start, as_of)
        )
        if position >= 0:
            done = context.ledger.dates[position]
            if done > deadline:
                details += (
                    f"Completed on {done.isoformat()}, after the deadline {deadline.isoformat()}.",
                )
            elif compiled.course_filter is None:
                details += (f"Completed on {done.isoformat()}.",)
        status = Status.COMPLIANT
    elif as_of > deadline:
        status = Status.NON_COMPLIANT
        details += (f"The deadline {deadline.isoformat()} has passed.",)
    else:
        status = _unmet_status(context, deadline)
    return _result(
        context,
        compiled,
        status,
        window=shown,
        due=deadline,
        measure=measure,
        details=details + _course_details(context, compiled, measure),
    )


def _evaluate_clock(
    context: _Context, compiled: _Compiled, anchor: date, details: tuple[str, ...]
) -> RequirementResult:
    """A clock of N years that restarts at each completion (CO's 5-year set, VA's 2 years).

    The first cycle counts training from the licence or hire date and falls due N years
    after that date, or N years after the rule took effect if later (no officer falls due
    before a rule has been in force N years); with `first_due`, never before that date
    instead. A completion is the day the hours (and every sub-minimum) counted since the
    cycle began are reached; the next cycle counts from the day after and falls due N years
    after the completion (with `end_month_day`, on that day of the Nth year after it).
    """
    requirement = compiled.requirement
    period = requirement.period
    assert period is not None
    years = period.years or 1
    as_of = context.as_of
    dates = context.ledger.dates
    hi = bisect_right(dates, as_of)
    if period.first_due is not None:
        floor = max(clock_due(period, anchor), period.first_due)
    else:
        floor = clock_due(period, max(anchor, requirement.effective_from))
    start, due = anchor, floor
    # (the completed cycle, its completion date, its requirement, the completing record)
    last: tuple[Window, date, _Adjustment, int] | None = None
    # Minimums dated by the cycle's start make each cycle's requirement its own.
    plain = (
        not compiled.dated_subs
        and (not context.exemptions or not context.intervals(requirement.id))
        and (requirement.new_hire is not NewHire.PRORATE or context.officer.hire_date <= anchor)
    )
    if plain:
        # Nothing scales the hours, so the cycles' due dates cannot change where the
        # completions fall: find them all first, then date only the last two.
        adjustment = compiled.unadjusted
        lo = bisect_left(dates, anchor)
        before: date | None = None
        position = -1
        while True:
            found = _completion(context, compiled, adjustment, lo, hi)
            if found < 0:
                break
            if position >= 0:
                before = dates[position]
            position = found
            lo = bisect_right(dates, dates[found], found)
        if position >= 0:
            done = dates[position]
            cycle = (
                Window(anchor, floor)
                if before is None
                else Window(before + ONE_DAY, max(clock_due(period, before), floor))
            )
            last = (cycle, done, adjustment, position)
            start, due = done + ONE_DAY, max(clock_due(period, done), floor)
    else:
        while start <= as_of:
            adjustment = _adjust(context, compiled, Window(start, due))
            if adjustment.exempt:
                if as_of <= due:
                    return _result(
                        context,
                        compiled,
                        Status.EXEMPT,
                        window=Window(start, due),
                        due=due,
                        details=details,
                        measure=_measure(context, compiled, adjustment, start, as_of),
                    )
                start, due = due + ONE_DAY, clock_due(period, due)
                continue
            found = _completion(context, compiled, adjustment, bisect_left(dates, start), hi)
            if found < 0:
                break
            done = dates[found]
            last = (Window(start, due), done, adjustment, found)
            start, due = done + ONE_DAY, max(clock_due(period, done), floor)

    if last is not None and as_of <= due:
        cycle, done, adjustment, position = last
        on_time = MET if done <= cycle.end else UNMET
        measure = _measure(context, compiled, adjustment, cycle.start, as_of)
        if compiled.course_filter is not None:
            measure.hit = position
        details += (
            f"Last completed {done.isoformat()}; due again by {due.isoformat()} "
            f"(the {years}-year clock restarts at each completion).",
        )
        # Met for now; due_soon says the completion runs out within the warning days.
        soon = (due - as_of).days <= context.warning_days
        status = Status.DUE_SOON if soon else Status.COMPLIANT
        return _result(
            context,
            compiled,
            status,
            window=Window(cycle.start, due),
            due=due,
            measure=measure,
            previous=on_time,
            details=details,
            met=True,
        )

    window = Window(start, due)
    adjustment = _adjust(context, compiled, window)
    measure = _measure(context, compiled, adjustment, start, as_of)
    previous = None
    if last is not None:
        previous = MET if last[1] <= last[0].end else UNMET
        details += (f"Last completed {last[1].isoformat()}.",)
    else:
        details += (f"Not completed since {start.isoformat()}.",)
    if as_of > due:
        status = Status.NON_COMPLIANT
        details += (f"Overdue since {due.isoformat()}.",)
    else:
        status = _unmet_status(context, due)
    return _result(
        context,
        compiled,
        status,
        window=window,
        due=due,
        measure=measure,
        previous=previous,
        details=details,
    )


def _evaluate_ever(context: _Context, compiled: _Compiled) -> RequirementResult:
    """A course with no period: completed at any time on or before the as-of date."""
    adjustment = _Adjustment(0, ())
    measure = _measure(context, compiled, adjustment, date.min, context.as_of)
    status = Status.COMPLIANT if measure.met else Status.IN_PROGRESS
    details = _course_details(context, compiled, measure)
    if not measure.met:
        details = (
            f"No {_without_article(compiled.wanted)} recorded; this requirement has no deadline.",
        )
    return _result(context, compiled, status, measure=measure, details=details)


def _evaluate_certification(context: _Context, compiled: _Compiled) -> RequirementResult:
    """Held on the as-of date; expiring within the warning days is `due_soon`."""
    as_of = context.as_of
    kind = compiled.certification
    label = compiled.requirement.certification or kind
    held = context.holds(frozenset({kind}), as_of)
    if held is not None:
        if held.expires is None:
            return _result(
                context,
                compiled,
                Status.COMPLIANT,
                met=True,
                qualifying_certification_id=held.id,
                details=(f"Holds {label} certification since {held.earned.isoformat()}.",),
            )
        status = _unmet_status(context, held.expires)
        return _result(
            context,
            compiled,
            Status.COMPLIANT if status is Status.IN_PROGRESS else Status.DUE_SOON,
            due=held.expires,
            met=True,
            qualifying_certification_id=held.id,
            details=(
                f"Holds {label} certification since {held.earned.isoformat()}, "
                f"valid until {held.expires.isoformat()}.",
            ),
        )
    lapsed = [
        cert
        for cert in context.certifications
        if cert.kind.casefold() == kind and cert.expires is not None and cert.expires < as_of
    ]
    if lapsed:
        latest = max(lapsed, key=attrgetter("expires"))
        assert latest.expires is not None
        return _result(
            context,
            compiled,
            Status.NON_COMPLIANT,
            due=latest.expires,
            qualifying_certification_id=latest.id,
            details=(f"The {label} certification lapsed on {latest.expires.isoformat()}.",),
        )
    return _result(
        context,
        compiled,
        Status.IN_PROGRESS,
        details=(f"No {label} certification held; this requirement has no deadline.",),
    )


# --- explanation -------------------------------------------------------------------------------

_NOUNS = {
    PeriodKind.CALENDAR_YEAR: "year",
    PeriodKind.FISCAL_YEAR: "fiscal year",
    PeriodKind.FIXED_CYCLE: "cycle",
    PeriodKind.OFFICER_CYCLE: "cycle",
    PeriodKind.ROLLING: "period",
    PeriodKind.SINCE_LAST_COMPLETION: "cycle",
    PeriodKind.ONE_TIME: "deadline",
    PeriodKind.DEADLINE: "deadline",
}


def period_noun(kind: PeriodKind) -> str:
    """What people call one period of this kind: "year", "fiscal year", "cycle"."""
    return _NOUNS[kind]


def _wanted(requirement: Requirement) -> str:
    """What a course or certification requirement needs, in words."""
    if requirement.kind is RequirementKind.CERTIFICATION:
        return f"{requirement.certification} certification"
    if requirement.kind is not RequirementKind.COURSE:
        return ""
    if requirement.courses:
        names = " or ".join(requirement.courses)
        return f"course {names}" if all(c.strip().isdigit() for c in requirement.courses) else names
    labels = [_label(TOPICS.get(code, code.replace("_", " "))) for code in requirement.topics]
    if not labels:
        return "a " + " or ".join(requirement.delivery) + " class"
    return "a class in " + " or ".join(labels)


def plain_hours(centihours: Centihours) -> str:
    """Hours as a sergeant writes them: "6", "2.5", "0.25"."""
    if centihours % 100 == 0:
        return str(centihours // 100)
    return format_hours(centihours)


def _short_text(shortfalls: Iterable[tuple[str, Centihours]]) -> str:
    """'short 2 h in total and 6 h of high-risk traffic stops'."""
    parts = [
        f"{plain_hours(hours)} h" + (f" of {_label(label)}" if label else " in total")
        for label, hours in shortfalls
    ]
    if len(parts) == 1 and parts[0].endswith(" in total"):
        parts[0] = parts[0].removesuffix(" in total")
    if len(parts) > 1:
        return "short " + ", ".join(parts[:-1]) + " and " + parts[-1]
    return "short " + parts[0]


def _brief(shortfalls: Sequence[tuple[str, Centihours]]) -> str:
    """A few words for a cell: 'short 6 h of high-risk traffic stops', 'short 22 h and 2
    topic minimums', 'short 2 h of use of force and 1 more topic minimum'."""
    total = [hours for label, hours in shortfalls if not label]
    topics = [(label, hours) for label, hours in shortfalls if label]
    if total:
        text = f"short {plain_hours(total[0])} h"
        rest = len(topics)
    else:
        label, hours = topics[0]
        text = f"short {plain_hours(hours)} h of {_label(label)}"
        rest = len(topics) - 1
    if rest:
        more = "more " if not total else ""
        text += f" and {rest} {more}topic minimum{'s' if rest != 1 else ''}"
    return text


def _missing(result: RequirementResult) -> str:
    """What is still missing in the current period, in a few words."""
    if result.kind is RequirementKind.HOURS:
        found: list[tuple[str, Centihours]] = []
        if result.shortfall:
            found.append(("", result.shortfall))
        found.extend((sub.label, sub.shortfall) for sub in result.sub_minimums if sub.shortfall)
        return _brief(found) if found else "not met"
    if result.kind is RequirementKind.CERTIFICATION and result.due_date and not result.met:
        return f"{result.wanted} lapsed {result.due_date.isoformat()}"
    if result.kind is RequirementKind.COURSE and result.wanted.startswith("a class in "):
        # The title already names the topic: say only that no class was taken.
        noun = result.period_noun
        return (
            f"no class this {noun} yet"
            if noun in ("year", "fiscal year", "cycle")
            else ("no class yet")
        )
    return f"needs {result.wanted}" if result.wanted else "not met"


def _reason(result: RequirementResult) -> str:
    status = result.status
    if status is Status.NOT_APPLICABLE:
        return "not applicable"
    if status is Status.EXEMPT:
        return "exempt"
    due = result.due_date
    if status is Status.COMPLIANT:
        if result.kind is RequirementKind.CERTIFICATION:
            return f"held to {due.isoformat()}" if due else "held"
        return "met"
    if result.met and due is not None:
        # A completion or certificate that runs out within the warning days.
        return f"met; due again {due.isoformat()}"
    missing = _missing(result)
    if status is Status.NON_COMPLIANT:
        noun = result.period_noun or "period"
        if result.make_up_remaining:
            return (
                f"previous {noun} unmet: make up {plain_hours(result.make_up_remaining)} h "
                "(hours now count toward it first)"
            )
        if result.previous_window == UNMET and due is not None and due >= result.as_of:
            before = _brief(result.previous_shortfalls) if result.previous_shortfalls else "missed"
            return f"previous {noun} {before}; now {missing}, due {due.isoformat()}"
        if (
            due is not None
            and due < result.as_of
            and result.kind is not RequirementKind.CERTIFICATION
        ):
            return f"{missing}; overdue since {due.isoformat()}"
        return missing
    return f"{missing}, due {due.isoformat()}" if due is not None else missing


def _label(text: str) -> str:
    """A sub-minimum label as it reads mid-sentence: 'Use of force' -> 'use of force', but
    'CIT refresher' stays as it is."""
    # Only a plain phrase is lowered: "Firearms Restraining Order Act" keeps its capitals.
    words = text.split()
    if (
        len(text) > 1
        and text[0].isupper()
        and not text[1].isupper()
        and not any(word[0].isupper() for word in words[1:])
    ):
        return text[0].lower() + text[1:]
    return text


def _explain(result: RequirementResult) -> str:
    before, needed, after = _explanation(result)
    parts = list(before)
    if needed:
        parts.append("Still needed: " + "; ".join(needed) + ".")
    parts.extend(after)
    return " ".join(parts)


def _explain_lines(result: RequirementResult) -> tuple[str, ...]:
    before, needed, after = _explanation(result)
    listed = ("Still needed:", *(f"• {item}" for item in needed)) if needed else ()
    return (*before, *listed, *after)


def _explanation(
    result: RequirementResult,
) -> tuple[list[str], list[str], list[str]]:
    """The sentences before the list of what is still needed, the list, the sentences after."""
    status = result.status
    if status is Status.NOT_APPLICABLE:
        return ["Not applicable.", *result.details], [], []
    before: list[str] = []
    needed: list[str] = []
    after: list[str] = []
    if status is Status.EXEMPT:
        before.append("Exempt.")
        after.extend(result.adjustments)
        after.extend(result.details)
        after.extend(_period_sentence(result))
        return before, needed, after
    if result.kind is RequirementKind.HOURS:
        before.append(_hours_headline(result))
        needed = _needed(result)
    after.extend(result.details)
    after.extend(_period_sentence(result))
    if status is Status.DUE_SOON and result.due_date is not None:
        days = (result.due_date - result.as_of).days
        if days >= 0:
            after.append(f"Due in {days} day{'s' if days != 1 else ''}." if days else "Due today.")
    after.extend(result.adjustments)
    return before, needed, after


def _period_sentence(result: RequirementResult) -> list[str]:
    """'This cycle: 2022-07-01 to 2025-06-30, due 2025-06-30.' in the period's own word."""
    if result.window_start is None or result.window_end is None:
        return []
    noun = result.period_noun or "period"
    if noun == "deadline":
        return [f"Counts training from {result.window_start.isoformat()}."]
    due = result.due_date
    due_text = f", due {due.isoformat()}" if due and due != result.window_end else ""
    return [
        f"This {noun}: {result.window_start.isoformat()} to {result.window_end.isoformat()}"
        f"{due_text}."
    ]


def _hours_headline(result: RequirementResult) -> str:
    earned = plain_hours(result.earned or 0)
    required = plain_hours(result.adjusted_required or 0)
    if result.met:
        text = f"Met: {earned} of {required} hours"
        if result.sub_minimums:
            text += "; " + ", ".join(
                f"{_label(sub.label)} {plain_hours(sub.earned)} of "
                f"{plain_hours(sub.adjusted_required)}"
                for sub in result.sub_minimums
            )
        return text + "."
    if (result.earned or 0) >= (result.adjusted_required or 0):
        return f"{earned} of {required} hours, but not every topic minimum is met."
    return f"Not met yet: {earned} of {required} hours."


def _needed(result: RequirementResult) -> list[str]:
    """One item per shortfall: the total, then each topic minimum."""
    items = []
    if result.shortfall:
        items.append(
            f"{plain_hours(result.shortfall)} h more in total "
            f"({plain_hours(result.earned or 0)} of {plain_hours(result.adjusted_required or 0)})"
        )
    items.extend(
        f"{plain_hours(sub.shortfall)} h of {_label(sub.label)} "
        f"({plain_hours(sub.earned)} of {plain_hours(sub.adjusted_required)})"
        for sub in result.sub_minimums
        if sub.shortfall
    )
    return items
