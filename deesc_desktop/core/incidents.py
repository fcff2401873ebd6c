"""The de-escalation and use-of-force incident log: its codes, and the LEDTA figures
(interactions with de-escalation, force and injury rates, trained officers or not)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

INCIDENT_TYPES: dict[str, str] = {
    "mental_health_crisis": "Person in mental health crisis",
    "suicide_threat": "Suicide threat or attempt",
    "domestic": "Domestic disturbance",
    "disturbance": "Disturbance or fight",
    "traffic_stop": "Traffic stop",
    "suspicious_person": "Suspicious person",
    "welfare_check": "Welfare check",
    "arrest_warrant": "Arrest or warrant service",
    "crime_in_progress": "Crime in progress",
    "other": "Other call",
}
"""What the officers were dealing with."""

TACTICS: dict[str, str] = {
    "verbal": "Verbal de-escalation and persuasion",
    "time_distance_cover": "Time, distance and cover",
    "slowing_down": "Slowing the encounter down",
    "repositioning": "Tactical repositioning",
    "cit_officer": "CIT officer on scene",
    "coresponder": "Mental health co-responder",
    "waited_for_backup": "Waited for backup",
    "warnings": "Warnings before force",
    "other": "Other tactic",
}
"""De-escalation tactics used (several may be)."""

FORCE_TYPES: dict[str, str] = {
    "none": "No force",
    "physical_control": "Physical control or restraint",
    "takedown": "Takedown",
    "oc_spray": "OC (pepper) spray",
    "cew": "Conducted energy weapon (Taser)",
    "impact_weapon": "Impact weapon (baton)",
    "less_lethal_projectile": "Less-lethal projectile",
    "k9": "K-9 bite",
    "firearm_discharged": "Firearm discharged",
    "other": "Other force",
}
"""The highest level of force used; "none" when the encounter ended without force."""

AGE_GROUPS: dict[str, str] = {
    "under_18": "Under 18",
    "18_24": "18-24",
    "25_34": "25-34",
    "35_44": "35-44",
    "45_54": "45-54",
    "55_64": "55-64",
    "65_plus": "65 and over",
    "unknown": "Unknown",
}
SEXES: dict[str, str] = {
    "male": "Male",
    "female": "Female",
    "x": "X / non-binary",
    "unknown": "Unknown",
}
RACES: dict[str, str] = {
    "american_indian_alaska_native": "American Indian or Alaska Native",
    "asian": "Asian",
    "black": "Black or African American",
    "native_hawaiian_pacific_islander": "Native Hawaiian or Other Pacific Islander",
    "white": "White",
    "unknown": "Unknown",
}
ETHNICITIES: dict[str, str] = {
    "hispanic": "Hispanic or Latino",
    "not_hispanic": "Not Hispanic or Latino",
    "unknown": "Unknown",
}
IMPAIRMENTS: dict[str, str] = {
    "none": "None apparent",
    "mental_health": "Mental health condition",
    "alcohol": "Alcohol",
    "drugs": "Drugs",
    "unknown": "Unknown",
}
"""Subject demographics in the categories the DOJ / FBI use-of-force data collection uses;
never a name, a date of birth or anything else that identifies the person."""

DEMOGRAPHICS: dict[str, tuple[str, dict[str, str]]] = {
    "subject_age_group": ("Age", AGE_GROUPS),
    "subject_sex": ("Sex", SEXES),
    "subject_race": ("Race", RACES),
    "subject_ethnicity": ("Ethnicity", ETHNICITIES),
    "subject_impairment": ("Apparent impairment", IMPAIRMENTS),
}

INCIDENT_STATUSES: dict[str, str] = {"entered": "Awaiting review", "reviewed": "Reviewed"}

DEESCALATION_TOPICS: tuple[str, ...] = (
    "de_escalation",
    "crisis_intervention",
    "mental_health",
    "duty_to_intervene",
    "conflict_management",
    "autism_awareness",
)
"""Topics counted as de-escalation training for LEDTA (34 USC 10381(n) names
de-escalation, crisis intervention, mental and behavioural health and responding to people
with disabilities): the grant report's officers trained, and an incident's trained officers."""


def age_group(age: int) -> str:
    """The DOJ age band of an age in years."""
    if age < 18:
        return "under_18"
    for upper, code in ((24, "18_24"), (34, "25_34"), (44, "35_44"), (54, "45_54"), (64, "55_64")):
        if age <= upper:
            return code
    return "65_plus"


class TrainingGroup(StrEnum):
    """Whether the officers at an incident had completed de-escalation training before it."""

    TRAINED = "trained"
    NOT_TRAINED = "not_trained"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {
            TrainingGroup.TRAINED: "Every officer trained before the incident",
            TrainingGroup.NOT_TRAINED: "Some or no officers trained before it",
            TrainingGroup.UNKNOWN: "Officers not recorded",
        }[self]


def training_group(officers_trained: Sequence[date | None], occurred_on: date) -> TrainingGroup:
    """TRAINED when every officer involved had completed de-escalation training on a day
    before the incident's date; training on the day itself may have come after the call, so it
    does not count. UNKNOWN when no officer is recorded for the incident."""
    if not officers_trained:
        return TrainingGroup.UNKNOWN
    if all(day is not None and day < occurred_on for day in officers_trained):
        return TrainingGroup.TRAINED
    return TrainingGroup.NOT_TRAINED


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    """What the LEDTA figures count of one incident."""

    occurred_on: date
    deescalation_used: bool
    force_type: str
    officers_injured: int
    public_injured: int
    group: TrainingGroup

    @property
    def force_used(self) -> bool:
        return self.force_type != "none"


def rate(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage to one decimal (half up); None with nothing to divide."""
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Tally:
    """Counts over a set of incidents, and the rates a LEDTA report gives."""

    incidents: int = 0
    with_deescalation: int = 0
    with_force: int = 0
    with_officer_injury: int = 0
    with_public_injury: int = 0
    officers_injured: int = 0
    public_injured: int = 0

    def add(self, facts: IncidentFacts) -> Tally:
        return Tally(
            self.incidents + 1,
            self.with_deescalation + facts.deescalation_used,
            self.with_force + facts.force_used,
            self.with_officer_injury + (facts.officers_injured > 0),
            self.with_public_injury + (facts.public_injured > 0),
            self.officers_injured + facts.officers_injured,
            self.public_injured + facts.public_injured,
        )

    @property
    def deescalation_rate(self) -> Decimal | None:
        return rate(self.with_deescalation, self.incidents)

    @property
    def force_rate(self) -> Decimal | None:
        """Share of incidents in which force was used."""
        return rate(self.with_force, self.incidents)

    @property
    def officer_injury_rate(self) -> Decimal | None:
        """Share of incidents in which at least one officer was injured."""
        return rate(self.with_officer_injury, self.incidents)

    @property
    def public_injury_rate(self) -> Decimal | None:
        """Share of incidents in which at least one member of the public was injured."""
        return rate(self.with_public_injury, self.incidents)


@dataclass(frozen=True, slots=True)
class PeriodFigures:
    """One quarter's or one fiscal year's figures: all incidents, and by training group."""

    label: str
    start: date
    end: date
    total: Tally
    by_group: dict[TrainingGroup, Tally] = field(default_factory=dict)

    def group(self, group: TrainingGroup) -> Tally:
        return self.by_group.get(group, Tally())


FEDERAL_FY_START = 10
"""LEDTA grantees report on federal fiscal years, October to September."""


def federal_fiscal_year(day: date) -> int:
    """FY2026 runs 2025-10-01 to 2026-09-30."""
    return day.year + 1 if day.month >= FEDERAL_FY_START else day.year


def federal_quarter(day: date) -> int:
    """1 for October-December, ... 4 for July-September."""
    return ((day.month - FEDERAL_FY_START) % 12) // 3 + 1


def quarter_span(fiscal_year: int, quarter: int) -> tuple[date, date]:
    start_month = (FEDERAL_FY_START - 1 + 3 * (quarter - 1)) % 12 + 1
    year = fiscal_year - 1 if start_month >= FEDERAL_FY_START else fiscal_year
    end_month = start_month + 2
    following = date(year + 1, 1, 1) if end_month == 12 else date(year, end_month + 1, 1)
    return date(year, start_month, 1), date.fromordinal(following.toordinal() - 1)


def _tally(incidents: Iterable[IncidentFacts], label: str, start: date, end: date) -> PeriodFigures:
    total = Tally()
    groups: dict[TrainingGroup, Tally] = {}
    for facts in incidents:
        total = total.add(facts)
        groups[facts.group] = groups.get(facts.group, Tally()).add(facts)
    return PeriodFigures(label, start, end, total, groups)


@dataclass(frozen=True, slots=True)
class LedtaFigures:
    """The incident figures of a LEDTA report for a period, by quarter and fiscal year."""

    start: date
    end: date
    quarters: list[PeriodFigures]
    fiscal_years: list[PeriodFigures]
    total: PeriodFigures


def ledta_figures(incidents: Iterable[IncidentFacts], start: date, end: date) -> LedtaFigures:
    """Counts and rates of the incidents from `start` to `end` (inclusive): every federal
    quarter and fiscal year the period touches (each cut to the period), and the whole."""
    kept = sorted(
        (i for i in incidents if start <= i.occurred_on <= end), key=lambda i: i.occurred_on
    )
    quarters: list[PeriodFigures] = []
    years: list[PeriodFigures] = []
    fiscal_year, quarter = federal_fiscal_year(start), federal_quarter(start)
    while True:
        first, last = quarter_span(fiscal_year, quarter)
        if first > end:
            break
        first, last = max(first, start), min(last, end)
        inside = [i for i in kept if first <= i.occurred_on <= last]
        quarters.append(_tally(inside, f"FY{fiscal_year} Q{quarter}", first, last))
        fiscal_year, quarter = (fiscal_year + 1, 1) if quarter == 4 else (fiscal_year, quarter + 1)
    for year in sorted({federal_fiscal_year(q.start) for q in quarters}):
        first = max(date(year - 1, FEDERAL_FY_START, 1), start)
        last = min(date(year, FEDERAL_FY_START - 1, 30), end)
        inside = [i for i in kept if first <= i.occurred_on <= last]
        years.append(_tally(inside, f"FY{year}", first, last))
    return LedtaFigures(start, end, quarters, years, _tally(kept, "Whole period", start, end))
