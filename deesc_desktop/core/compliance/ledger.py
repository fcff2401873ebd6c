"""One officer's training indexed once, so any window's hours are two binary searches away.

Records are sorted once and running totals per filter built on first use. This is the
machinery that makes a whole roster fast; the rules reach it only through `Context.ledger`
and `measure`, and no result depends on how it indexes.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import accumulate, chain, compress, islice
from operator import and_, attrgetter, itemgetter, mul, or_

from deesc_desktop.core.compliance.needs import Training
from deesc_desktop.core.compliance.plan import Filter, Plan
from deesc_desktop.core.hours import Centihours
from deesc_desktop.core.models import Officer

_COMPLETED = attrgetter("completed")
_HOURS = attrgetter("hours")
_DELIVERY = attrgetter("delivery")
_TOPIC_HOURS = attrgetter("topic_hours")
_NUMBER = attrgetter("course_number")
_TITLE = attrgetter("course_title")
_FIRST = itemgetter(0)
_SECOND = itemgetter(1)


class Series:
    """Running totals of one filter's qualifying hours (or completions) over an officer's
    records, so any window's sum is two binary searches and a subtraction.

    Dense when every record from `offset` on has an entry (`positions` None: entry k is
    record k + offset); sparse, holding only the records that qualify, for topic filters.
    A record can appear twice in a sparse series (two matching topics): sums still add up.
    The sum over records lo..hi-1 is `running[b] - running[a]` for the entries a, b of lo
    and hi (`measure.measure_window` does this in place).
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
        self._series: dict[tuple[tuple[str, ...], bool], Series] = {}

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

    def series(self, topics: tuple[str, ...], count: bool) -> Series:
        """Running totals of `topics` (shared by every filter on the same topics)."""
        key = (topics, count)
        found = self._series.get(key)
        if found is None:
            entries = self.entries(topics, count)
            positions = list(map(_FIRST, entries))
            weights = [1] * len(entries) if count else map(_SECOND, entries)
            found = Series(list(accumulate(weights, initial=0)), positions, self.start)
            self._series[key] = found
        return found


class Ledger:
    """An officer's records sorted by date once, with a `Series` built lazily per filter.

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

    def __init__(self, records: Sequence[Training], plan: Plan, officer: Officer) -> None:
        # Sorting an already sorted list costs one pass; the second pass hits the cache.
        self.records: list[Training] = sorted(records, key=_COMPLETED)
        self.dates: list[date] = list(map(_COMPLETED, self.records))
        self.plan = plan
        self.officer = officer
        self._series: dict[int, Series] = {}
        self._flat: _TopicEntries | None = None
        self._deliveries: dict[frozenset[str], _Flags] = {}
        self._courses: dict[frozenset[str], _Flags] = {}

    def span(self, start: date, end: date) -> tuple[int, int]:
        """Record positions [lo, hi) completed from `start` through `end` inclusive (none
        when `end` comes before `start`)."""
        lo = bisect_left(self.dates, start)
        return lo, max(lo, bisect_right(self.dates, end))

    def series(self, f: Filter, lo: int) -> Series:
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

    def _dense(self, f: Filter, start: int) -> Series:
        records = self.records[start:] if start else self.records
        weights: list[int] = [1] * len(records) if f.count else list(map(_HOURS, records))
        if f.delivery:
            flags = self._delivery_flags(f.delivery, start).since(start)
            weights = list(map(mul, weights, flags))
        if f.courses:
            flags = self._course_flags(f.courses, start).since(start)
            weights = list(map(mul, weights, flags))
        return Series(list(accumulate(weights, initial=0)), None, start)

    def _sparse(self, f: Filter, lo: int) -> Series:
        flat = self._flat
        if flat is None:
            # One set of entries for every topic filter: start at the earliest of them.
            reach = self.plan.topic_reach(self.officer)
            first = lo if reach is None else bisect_left(self.dates, reach)
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
        return Series(list(accumulate(weights, initial=0)), positions, start)

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
