"""Crisis Intervention Team rules: when a certification is held, how refreshers renew it, coverage.

Pure functions over core records; the store gathers the inputs and the settings.

The rule, as documented for users in docs/cit.md:
- completing a course marked as the CIT certifying course, with at least the certifying
  minimum hours (40 by default), certifies an officer from that day;
- how long it lasts is agency policy, not state law (Illinois CIT certificates do not
  expire): by default it never expires; with `validity_years` set it lasts that long, and a
  hand-entered certificate lasts to its printed expiry date when one was entered;
- with a validity set, completing a refresher course (8 hours or more by default) while
  certified, or no more than `grace_days` after the certification lapsed, renews it to
  `validity_years` from the refresher date; in the grace case the officer was not certified
  between the lapse and the refresher. A refresher taken later than that, or before any
  certification, renews nothing: the officer must take the certifying course again;
- a certification is held on its expiry date and lapses the day after.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from deesc_desktop.core.hours import Centihours
from deesc_desktop.core.models import Certification, Officer, TrainingRecord
from deesc_desktop.core.wording import plural

CIT_KIND = "cit"
"""The certification kind of CIT, as rule packs name it (`certification = "cit"`)."""

CERTIFYING, REFRESHER = "certifying", "refresher"
COURSE_ROLES = {CERTIFYING: "CIT certifying course", REFRESHER: "CIT refresher"}
"""What a course can count as for CIT (the `courses.cit_role` column)."""

NO_SHIFT = "(no shift)"
"""How coverage names officers whose shift is blank."""


@dataclass(frozen=True, slots=True)
class CitSettings:
    """The agency's CIT settings; every one is editable, these are the defaults."""

    target_percent: int = 25
    patrol_unit: str = "Patrol"
    certifying_min_hours: Centihours = 4000
    refresher_min_hours: Centihours = 800
    validity_years: int | None = None
    """Agency policy: None (the default) means a certification never expires."""
    grace_days: int = 90
    """Agency policy, used only with a validity: a refresher this late still renews."""

    def validity_text(self) -> str:
        """How long a certification lasts, labelled as the agency's policy."""
        if self.validity_years is None:
            return (
                "Certificates do not expire (agency policy; no state rule sets a validity period)."
            )
        years = plural(self.validity_years, "year")
        return (
            f"Certificates last {years}; a refresher up to {self.grace_days} days after one "
            "lapsed still renews it (agency policy, not a state rule)."
        )


class CitStatus(StrEnum):
    """Where an officer stands with CIT on a given day."""

    CURRENT = "current"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    NONE = "none"

    @property
    def held(self) -> bool:
        """True when the officer counts as CIT-certified (current or expiring)."""
        return self in (CitStatus.CURRENT, CitStatus.EXPIRING)


@dataclass(frozen=True, slots=True)
class CertificationEvent:
    """Something that certifies: a certifying course completed, or a hand-entered certificate.

    `source_id` is the training record id for a course, the certifications row id for a
    certificate; `expires` is a certificate's printed expiry, None to apply the validity rule.
    """

    officer_id: int
    day: date
    source: str  # "course" or "certificate"
    source_id: int
    expires: date | None = None
    number: str = ""
    issuer: str = ""

    @property
    def certification_id(self) -> int:
        """The id the resulting Certification carries: see `certification_source`."""
        return self.source_id if self.source == "certificate" else -self.source_id


def certification_source(certification: Certification) -> tuple[str, int]:
    """Where a derived CIT Certification comes from: ("certifications", id) for a hand-entered
    certificate, ("training_records", id) for a course completion (stored as a negative id)."""
    if certification.id < 0:
        return ("training_records", -certification.id)
    return ("certifications", certification.id)


def _never_expiring(events: Iterable[CertificationEvent]) -> list[Certification]:
    """With no validity policy a certification lasts from the first event on, unless a
    hand-entered certificate printed an expiry: then the periods follow those dates."""
    periods: list[Certification] = []
    for event in sorted(events, key=lambda e: (e.day, e.source_id)):
        current = periods[-1] if periods else None
        if current is not None and (current.expires is None or event.day <= current.expires):
            if current.expires is not None:
                later = None if event.expires is None else max(current.expires, event.expires)
                periods[-1] = _with_expiry(current, later)
            continue
        periods.append(
            Certification(
                id=event.certification_id,
                officer_id=event.officer_id,
                kind=CIT_KIND,
                earned=event.day,
                expires=event.expires,
                number=event.number,
                issuer=event.issuer,
            )
        )
    return periods


def _with_expiry(cert: Certification, expires: date | None) -> Certification:
    return Certification(
        cert.id, cert.officer_id, cert.kind, cert.earned, expires, cert.number, cert.issuer
    )


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def course_events(
    records: Iterable[TrainingRecord], course_roles: Mapping[int, str], settings: CitSettings
) -> tuple[list[CertificationEvent], list[TrainingRecord]]:
    """Certifying completions (as events) and refreshers among `records`.

    A completion counts only with at least the role's minimum hours: a 32-hour partial
    attendance of the 40-hour course certifies nothing.
    """
    events: list[CertificationEvent] = []
    refreshers: list[TrainingRecord] = []
    for record in records:
        role = course_roles.get(record.course_id)
        if role == CERTIFYING and record.hours >= settings.certifying_min_hours:
            events.append(
                CertificationEvent(
                    officer_id=record.officer_id,
                    day=record.completed,
                    source="course",
                    source_id=record.id,
                    issuer=record.provider or record.course_title,
                )
            )
        elif role == REFRESHER and record.hours >= settings.refresher_min_hours:
            refreshers.append(record)
    return events, refreshers


@dataclass(slots=True)
class _Span:
    event: CertificationEvent
    start: date
    expires: date


def certification_periods(
    events: Iterable[CertificationEvent], refresher_days: Iterable[date], settings: CitSettings
) -> list[Certification]:
    """One officer's CIT certification as continuous periods of validity, oldest first.

    Each period is a Certification (kind "cit") from its first day to its expiry after every
    renewal; a gap between periods is time the officer was not certified.
    """
    validity = settings.validity_years
    grace = timedelta(days=settings.grace_days)
    if validity is None:
        return _never_expiring(events)
    # On one day a certification is processed before a refresher, so the refresher renews it.
    timeline = sorted(
        [(e.day, 0, e) for e in events] + [(d, 1, None) for d in refresher_days],
        key=lambda item: (item[0], item[1]),
    )
    spans: list[_Span] = []
    for day, _, event in timeline:
        current = spans[-1] if spans else None
        if event is not None:
            expires = event.expires or add_years(day, validity)
            if current and day <= current.expires:
                current.expires = max(current.expires, expires)
            else:
                spans.append(_Span(event, day, expires))
            continue
        if current is None:
            continue  # a refresher before any certification renews nothing
        renewed = add_years(day, validity)
        if day <= current.expires:
            current.expires = max(current.expires, renewed)
        elif day <= current.expires + grace:
            spans.append(_Span(current.event, day, renewed))
    return [
        Certification(
            id=span.event.certification_id,
            officer_id=span.event.officer_id,
            kind=CIT_KIND,
            earned=span.start,
            expires=span.expires,
            number=span.event.number,
            issuer=span.event.issuer,
        )
        for span in spans
    ]


@dataclass(frozen=True, slots=True)
class OfficerCit:
    """One officer's CIT standing on a day."""

    status: CitStatus
    certification: Certification | None = None
    """The period held on the day, else the latest lapsed one, else None."""
    days_left: int | None = None
    """Days from the as-of date to the expiry date (0 on the expiry date); None when not held."""
    first_certified: date | None = None

    @property
    def expires(self) -> date | None:
        return self.certification.expires if self.certification else None


def cit_status(periods: Sequence[Certification], as_of: date, warning_days: int) -> OfficerCit:
    """current / expiring (held, expiring within `warning_days`, inclusive) / expired / none.

    The inclusive warning matches the compliance engine's "due soon": with 90 warning days, a
    certification expiring exactly 90 days after the as-of date is already "expiring".
    """
    started = [p for p in periods if p.earned <= as_of]
    if not started:
        return OfficerCit(CitStatus.NONE)
    first = min(p.earned for p in started)
    held = [p for p in started if p.valid_on(as_of)]
    if held:
        best = max(held, key=lambda p: p.expires or date.max)
        if best.expires is None:
            return OfficerCit(CitStatus.CURRENT, best, None, first)
        left = (best.expires - as_of).days
        status = CitStatus.EXPIRING if left <= warning_days else CitStatus.CURRENT
        return OfficerCit(status, best, left, first)
    latest = max(started, key=lambda p: p.expires or date.max)
    return OfficerCit(CitStatus.EXPIRED, latest, None, first)


def percent(part: int, whole: int) -> Decimal:
    """part / whole as a percentage rounded half up to 1 decimal; 0 when whole is 0."""
    if whole == 0:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class ShiftCoverage:
    """Certified officers on one shift of the patrol unit."""

    shift: str
    officers: int
    certified: int

    @property
    def percent(self) -> Decimal:
        return percent(self.certified, self.officers)

    @property
    def uncovered(self) -> bool:
        """True when no officer on the shift is CIT-certified: the gap the CIT model warns of."""
        return self.certified == 0


@dataclass(frozen=True, slots=True)
class Coverage:
    """Share of active patrol officers certified, against the agency's target.

    `certified` counts CIT team members who hold CIT; when the agency has recorded no team
    (`by_team` False) it counts every CIT-trained officer holding it, and says so.
    """

    patrol_unit: str
    target_percent: int
    officers: int
    certified: int
    shifts: tuple[ShiftCoverage, ...] = field(default_factory=tuple)
    by_team: bool = False

    @property
    def counted(self) -> str:
        """Who `certified` counts, in words."""
        if self.by_team:
            return "CIT team members holding CIT"
        return (
            "CIT-trained officers (no CIT team recorded by this day, so every trained officer "
            "counts)"
        )

    @property
    def percent(self) -> Decimal:
        return percent(self.certified, self.officers)

    @property
    def meets_target(self) -> bool:
        # Compared in integers: 6 of 24 is exactly 25%, never 24.999...%.
        return self.certified * 100 >= self.target_percent * self.officers

    @property
    def needed(self) -> int:
        """More officers to certify to reach the target (0 when it is met)."""
        required = -(-self.target_percent * self.officers // 100)  # ceiling division
        return max(0, required - self.certified)

    @property
    def uncovered_shifts(self) -> tuple[str, ...]:
        return tuple(s.shift for s in self.shifts if s.uncovered)


def is_patrol(officer: Officer, patrol_unit: str) -> bool:
    """An active officer of the patrol unit (compared ignoring case and spaces).

    Officers on leave or separated are not on the street, so they count in neither the
    certified nor the total figure.
    """
    return (
        officer.status == "active"
        and officer.unit.strip().casefold() == patrol_unit.strip().casefold()
    )


def coverage(
    officers: Iterable[Officer],
    certified_ids: Iterable[int],
    settings: CitSettings,
    team_ids: Iterable[int] | None = None,
) -> Coverage:
    """Coverage of the patrol unit overall and per shift; shifts are ordered by name.

    With `team_ids` (the CIT team on the day), only team members holding CIT count: a
    CIT-trained officer who was not selected for the team is not a CIT officer on a shift.
    """
    held = set(certified_ids)
    if team_ids is not None:
        held &= set(team_ids)
    per_shift: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    total = certified = 0
    for officer in officers:
        if not is_patrol(officer, settings.patrol_unit):
            continue
        counts = per_shift[officer.shift.strip() or NO_SHIFT]
        counts[0] += 1
        total += 1
        if officer.id in held:
            counts[1] += 1
            certified += 1
    shifts = tuple(
        ShiftCoverage(name, counts[0], counts[1])
        for name, counts in sorted(per_shift.items(), key=lambda item: item[0].casefold())
    )
    return Coverage(
        settings.patrol_unit,
        settings.target_percent,
        total,
        certified,
        shifts,
        team_ids is not None,
    )
