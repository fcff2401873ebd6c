"""Plain records the domain works on, built by the store from database rows (no I/O here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from deesc_desktop.core.hours import Centihours


@dataclass(frozen=True, slots=True)
class Agency:
    """The department this database belongs to."""

    name: str
    state: str
    ori: str = ""
    fiscal_year_start_month: int = 7
    warning_days: int = 90
    leave_proration: bool = False
    """The agency's own policy: leave with no recorded waiver reduces required hours by the
    15-day month rule. Off unless the agency turns it on; reports that use it say so."""


@dataclass(frozen=True, slots=True)
class Officer:
    """One person on the roster."""

    id: int
    badge: str
    last_name: str
    first_name: str
    hire_date: date
    rank: str = ""
    unit: str = ""
    shift: str = ""
    license_date: date | None = None
    state_id: str = ""
    email: str = ""
    status: str = "active"
    separation_date: date | None = None

    @property
    def display_name(self) -> str:
        """'Last, First' as rosters print it."""
        return f"{self.last_name}, {self.first_name}"


@dataclass(frozen=True, slots=True)
class TrainingRecord:
    """One completed class for one officer.

    `topic_hours` splits `hours` across topic codes and always sums to `hours`.
    """

    id: int
    officer_id: int
    course_id: int
    course_title: str
    completed: date
    hours: Centihours
    topic_hours: tuple[tuple[str, Centihours], ...]
    delivery: str = "classroom"
    course_number: str = ""
    provider: str = ""
    instructor: str = ""
    pre_test: float | None = None
    post_test: float | None = None

    @property
    def topics(self) -> frozenset[str]:
        """The topic codes this record has hours in."""
        return frozenset(code for code, _ in self.topic_hours)


@dataclass(frozen=True, slots=True)
class Exemption:
    """Leave or an exemption for one officer over an inclusive date range.

    An empty `requirement_ids` means blanket: it applies to every requirement.
    """

    id: int
    officer_id: int
    start: date
    end: date
    reason: str = ""
    requirement_ids: frozenset[str] = field(default_factory=frozenset)
    granted_by: str = ""
    """Who granted it as a waiver or extension (e.g. the state POST board); "" for leave."""
    reference: str = ""
    """The grant's reference (letter or form number)."""
    granted_on: date | None = None

    def applies_to(self, requirement_id: str) -> bool:
        """True when this exemption covers the given requirement."""
        return not self.requirement_ids or requirement_id in self.requirement_ids

    @property
    def is_waiver(self) -> bool:
        """True when it records who granted it and when: only then does it reduce required
        hours without the agency's proration policy."""
        return bool(self.granted_by.strip()) and self.granted_on is not None

    def granted_by_day(self, day: date) -> bool:
        """True when it is a waiver granted on or before `day`."""
        return self.is_waiver and self.granted_on is not None and self.granted_on <= day


@dataclass(frozen=True, slots=True)
class Certification:
    """A certification an officer holds, such as CIT; valid from `earned` through `expires`.

    `expires` None means it does not lapse.
    """

    id: int
    officer_id: int
    kind: str
    earned: date
    expires: date | None = None
    number: str = ""
    issuer: str = ""

    def valid_on(self, day: date) -> bool:
        """True when the certification is held on that day (both ends inclusive)."""
        return self.earned <= day and (self.expires is None or day <= self.expires)
