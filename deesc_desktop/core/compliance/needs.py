"""What the bulk path reads of the training: hour totals in place of records where they do."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from deesc_desktop.core.compliance.plan import Compiled, compile_requirements
from deesc_desktop.core.hours import Centihours
from deesc_desktop.core.models import Agency, TrainingRecord
from deesc_desktop.core.periods import ONE_DAY, Window
from deesc_desktop.core.rules import Requirement, RequirementKind


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


@dataclass(frozen=True, slots=True)
class LatestClass:
    """The last record (by date, then id) with hours in one or more of `topic_hours`' topics
    completed between two consecutive `TrainingNeeds.class_cuts`: all a class in a topic
    (a course requirement by topic, in windows shared by the whole roster) reads of the
    records, since the latest in each span gives the latest in any window made of spans.

    `topic_hours` marks those topics (each with 1): only the topics it is the latest class
    of in its span, so it is no full record and is measured apart from the hour totals.
    """

    id: int
    completed: date
    course_title: str
    course_number: str
    topic_hours: tuple[tuple[str, Centihours], ...]
    hours: Centihours = 0
    delivery: str = ""


Training = TrainingRecord | HoursTotal | LatestClass


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
    class_cuts: tuple[date, ...] = ()
    """With `cuts`: ascending dates on which every window of a class in a topic starts or
    after which it ends, between which each officer's `LatestClass`es are what those
    requirements read; () when no such requirement is measured."""
    class_topics: frozenset[str] = frozenset()
    """The topics of those classes."""


def training_needs(
    requirements: Sequence[Requirement], agency: Agency, as_of: date
) -> TrainingNeeds:
    """What `evaluate_department` reads of each officer's training for these requirements.

    Records before `since` are never counted. When `cuts` is set, the requirements are
    hours requirements whose windows are the same for every officer (calendar and fiscal
    years, fixed cycles, rolling months) or certifications, and the officers' `HoursTotal`s
    give exactly the results their records give; a class in a topic in such windows is
    measured from each officer's `LatestClass`es between `class_cuts`. Requirements with no
    period, officer cycles, one-time deadlines and restart clocks read the whole history;
    named courses, deliveries, completion dates and make-up hours need the records.
    """
    since = date.max
    cuts: set[date] | None = set()
    class_cuts: set[date] = set()
    class_topics: set[str] = set()
    topics: set[str] = set()
    deliveries: set[str] = set()
    by_course = False
    certifications = False
    for item in compile_requirements(requirements, agency, as_of):
        requirement = item.requirement
        if item.unless_certified or requirement.kind is RequirementKind.CERTIFICATION:
            certifications = True
        if requirement.kind is RequirementKind.CERTIFICATION:
            continue
        window, before = item.default_window, item.default_previous
        if window is None:
            since, cuts = date.min, None
            continue
        # The window is measured up to the as-of date and the one before it in full, after
        # the earlier windows whose shortfall it makes up.
        since = min(since, window.start, before.start if before else window.start)
        for earlier in item.chain:
            since = min(since, earlier.start)
        if cuts is None or as_of == date.max:
            cuts = None
            continue
        replaced = item.predecessor
        if _class_in_topic(item):
            assert item.course_filter is not None
            if replaced is not None and not _class_in_topic(replaced):
                cuts = None
                continue
            class_cuts.update(_window_cuts(window, before, as_of))
            class_topics.update(item.course_filter.topics)
            if replaced is not None and replaced.course_filter is not None:
                class_topics.update(replaced.course_filter.topics)
            continue
        if (
            requirement.kind is not RequirementKind.HOURS
            or item.chain
            or (replaced is not None and replaced.requirement.kind is not RequirementKind.HOURS)
        ):
            # A shortfall made up says on which day: the date of the record that made it up.
            cuts = None
            continue
        cuts.update(_window_cuts(window, before, as_of))
        for f in item.filters + (replaced.filters if replaced is not None else ()):
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
        class_cuts=tuple(sorted(class_cuts)),
        class_topics=frozenset(class_topics),
    )


def _window_cuts(window: Window, before: Window | None, as_of: date) -> tuple[date, ...]:
    """Where the windows measured start and end: the current one up to the as-of date, the
    one before it in full."""
    if before is None:
        return window.start, as_of + ONE_DAY
    return window.start, as_of + ONE_DAY, before.start, before.end + ONE_DAY


def _class_in_topic(item: Compiled) -> bool:
    """A class in one of some topics, whatever its course or delivery, in each window (no
    hours carried over): the latest such class per window is all its result needs."""
    found = item.course_filter
    return (
        found is not None
        and bool(found.topics)
        and not found.delivery
        and not found.courses
        and not item.chain
    )
