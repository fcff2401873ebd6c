"""Training requirements and rule packs as the domain uses them.

The TOML format is read by `rules.parse`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from deesc_desktop.core.hours import Centihours, format_hours
from deesc_desktop.core.periods import Period
from deesc_desktop.core.topics import topic_words


class RulePackError(ValueError):
    """A rule pack (or stored requirement) that cannot be used, with every problem found.

    `errors` lists one message per problem, each naming the file, the requirement id and the
    field, e.g. "IL.toml, requirement IL-inservice-30h, field period.kind: 'yearly' is not
    one of calendar_year, fiscal_year, ...". `str(error)` joins them one per line.
    """

    def __init__(self, errors: Sequence[str], fields: Sequence[tuple[str, str]] = ()) -> None:
        self.errors: tuple[str, ...] = tuple(errors)
        self.fields: tuple[tuple[str, str], ...] = tuple(fields)
        """(field, reason) of each problem that belongs to a field ("period.years", "must be
        between 1 and 100, not 0"), for a form that shows each reason under its field."""
        super().__init__("\n".join(self.errors))


class RequirementKind(StrEnum):
    """What a requirement asks for."""

    HOURS = "hours"
    COURSE = "course"
    CERTIFICATION = "certification"


class NewHire(StrEnum):
    """How a requirement treats an officer hired during a window."""

    PRORATE = "prorate"
    EXEMPT_FIRST_PERIOD = "exempt_first_period"
    FULL = "full"
    EXEMPT_LICENSE_PERIOD = "exempt_license_period"
    """The window holding the licence (certification) date requires nothing, nor any before
    it: GA, OH, WA, WI and AZ excuse the year of the basic academy."""
    PER_MONTH = "per_month"
    """A new hire owes `hours_per_month` for each month employed in the window, at most the
    full hours (Utah: 3.5 h a month)."""


class MakeUp(StrEnum):
    """Where hours earned after a window ended short are credited."""

    NONE = "none"
    PREVIOUS_FIRST = "previous_first"
    """To the window that ended short first, until it is made up (Utah, R728-410)."""


DEFAULT_STATUSES: tuple[str, ...] = ("active", "leave")
"""Officer statuses a requirement covers unless its pack says otherwise."""


@dataclass(frozen=True, slots=True)
class Applicability:
    """Which officers a requirement covers; empty lists mean everyone.

    Licence dates fall back to the hire date when an officer has none recorded.
    `unless_certified` leaves out officers who hold one of those certification kinds on the
    as-of date (TX: officers with the Intermediate certificate).
    """

    statuses: tuple[str, ...] = DEFAULT_STATUSES
    licensed_before: date | None = None
    licensed_on_or_after: date | None = None
    hired_before: date | None = None
    hired_on_or_after: date | None = None
    ranks: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    shifts: tuple[str, ...] = ()
    unless_certified: tuple[str, ...] = ()
    except_ranks: tuple[str, ...] = ()
    except_units: tuple[str, ...] = ()

    @property
    def is_default(self) -> bool:
        """True when the requirement covers every active officer and officer on leave."""
        return self == _DEFAULT_APPLICABILITY


_DEFAULT_APPLICABILITY = Applicability()


@dataclass(frozen=True, slots=True)
class SubMinimum:
    """Hours of particular topics and/or delivery that must be part of the total.

    An hour counts toward every sub-minimum it matches, so one scenario-based use-of-force
    hour helps both a scenario minimum and a use-of-force minimum.
    """

    label: str
    hours: Centihours
    topics: tuple[str, ...] = ()
    delivery: tuple[str, ...] = ()
    window_from: date | None = None
    """Required only in windows that start on or after this date (MN autism: 2021-07-01)."""
    window_to: date | None = None
    """Required only in windows that start on or before this date (IN: 2 h until 2023)."""

    def applies(self, window_start: date) -> bool:
        """True when the sub-minimum is required in a window that starts on `window_start`."""
        return (self.window_from is None or window_start >= self.window_from) and (
            self.window_to is None or window_start <= self.window_to
        )

    @property
    def dated(self) -> bool:
        """True when the sub-minimum is required only in some windows."""
        return self.window_from is not None or self.window_to is not None


@dataclass(frozen=True, slots=True)
class Requirement:
    """One training requirement from a rule pack or defined by the agency.

    - hours: `hours` of training in the period, counting only `topics`, `delivery` and
      `courses` when given, with `sub_minimums`;
    - course: one of `courses` (course numbers or titles; empty = any course in `topics`)
      completed at least once per period, or ever when `period` is None;
    - certification: a `certification` kind held on the as-of date (no period).
    """

    id: str
    title: str
    kind: RequirementKind
    effective_from: date
    period: Period | None
    effective_to: date | None = None
    hours: Centihours | None = None
    courses: tuple[str, ...] = ()
    certification: str | None = None
    topics: tuple[str, ...] = ()
    delivery: tuple[str, ...] = ()
    sub_minimums: tuple[SubMinimum, ...] = ()
    applies_to: Applicability = field(default_factory=Applicability)
    new_hire: NewHire = NewHire.PRORATE
    source: str = ""
    notes: str = ""
    jurisdiction: str = ""
    hours_per_month: Centihours | None = None
    """With new_hire = "per_month": the hours owed per month employed."""
    make_up: MakeUp = MakeUp.NONE
    round_required_to: Centihours | None = None
    """Prorated hours are rounded up to a multiple of this, as the state rounds them (e.g.
    0.5 or 1 hour); None: to the hundredth of an hour."""

    def in_force(self, day: date) -> bool:
        """True when the requirement is in force on `day` (both ends inclusive)."""
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    def summary(self) -> str:
        """One line for people: what is required, and how often."""
        when = self.period.describe() if self.period else "once"
        if self.kind is RequirementKind.HOURS:
            return f"{format_hours(self.hours or 0)} h {when}"
        if self.kind is RequirementKind.COURSE:
            return f"{self.wanted()} {when}"
        return f"{self.certification} certification held"

    def wanted(self) -> str:
        """What a course or certification requirement needs, in the words the compliance
        explanations use: "a class in crisis intervention", "course 1849"; "" for hours."""
        if self.kind is RequirementKind.CERTIFICATION:
            return f"{self.certification} certification"
        if self.kind is not RequirementKind.COURSE:
            return ""
        if self.courses:
            names = " or ".join(self.courses)
            return f"course {names}" if all(c.strip().isdigit() for c in self.courses) else names
        if not self.topics:
            return "a " + " or ".join(self.delivery) + " class"
        return "a class in " + " or ".join(topic_words(code) for code in self.topics)


@dataclass(frozen=True, slots=True)
class RulePack:
    """A jurisdiction's requirements as loaded from one TOML file.

    `topics` holds topic codes the pack defines for itself (code, label) beyond the built-in
    ones; the store registers them as agency topics when the pack is loaded.
    """

    jurisdiction: str
    name: str
    version: str
    requirements: tuple[Requirement, ...]
    source_name: str = ""
    notes: str = ""
    topics: tuple[tuple[str, str], ...] = ()
    checks: str = ""
    """What the pack checks, in a sentence or two for the chief who signs the report."""
    does_not_check: str = ""
    """What the state requires that the pack does not check; empty when it checks it all."""
    verified_on: date | None = None
    """When the pack was last checked against its sources."""

    @property
    def partial(self) -> bool:
        """True when the pack says some of the state's mandate is not checked."""
        return bool(self.does_not_check)

    def coverage_line(self) -> str:
        """'Partial: does not check ...' or what it checks, with the date it was verified."""
        verified = (
            f"Rules verified {self.verified_on.isoformat()}."
            if self.verified_on
            else "Rules not verified against their sources."
        )
        what = (
            f"Partial: does not check {_sentence(self.does_not_check)}"
            if self.partial
            else f"Checks {_sentence(self.checks)}"
            if self.checks
            else ""
        )
        return f"{what} {verified}".strip()

    def requirement(self, requirement_id: str) -> Requirement:
        """The requirement with that id; KeyError when the pack has none."""
        for requirement in self.requirements:
            if requirement.id == requirement_id:
                return requirement
        raise KeyError(requirement_id)


def short_title(title: str) -> str:
    """A requirement's title up to its colon, for a crowded cell: "Officer safety: a class
    every 3 years" -> "Officer safety"; a title with no colon is kept whole."""
    head, colon, _rest = title.partition(":")
    return head.strip() if colon and head.strip() else title


def _sentence(text: str) -> str:
    """Pack text as one line ending with a full stop; a leading capital is lowered so it
    reads after 'does not check'."""
    line = " ".join(text.split()).rstrip(".")
    if len(line) > 1 and line[0].isupper() and not line[1].isupper():
        line = line[0].lower() + line[1:]
    return line + "."
