"""Training requirements and the rule-pack TOML format: the model, the loader and its validator."""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from deesc_desktop.core.hours import Centihours, HoursError, format_hours, parse_hours, to_float
from deesc_desktop.core.periods import AnchorDate, Period, PeriodKind
from deesc_desktop.core.topics import DELIVERIES, OFFICER_STATUSES, TOPICS


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
            what = (
                " or ".join(self.courses)
                if self.courses
                else "a course in " + ", ".join(self.topics)
            )
            return f"{what} {when}"
        return f"{self.certification} certification held"


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


# --- the TOML format ---------------------------------------------------------------------

PACK_FIELDS = (
    "jurisdiction",
    "name",
    "version",
    "notes",
    "checks",
    "does_not_check",
    "verified_on",
    "topics",
    "requirements",
)
REQUIREMENT_FIELDS = (
    "id",
    "title",
    "effective_from",
    "effective_to",
    "applies_to",
    "period",
    "hours",
    "courses",
    "course",
    "certification",
    "topics",
    "delivery",
    "sub_minimums",
    "new_hire",
    "hours_per_month",
    "make_up",
    "round_required_to",
    "source",
    "notes",
)
APPLIES_TO_FIELDS = (
    "statuses",
    "licensed_before",
    "licensed_on_or_after",
    "hired_before",
    "hired_on_or_after",
    "ranks",
    "units",
    "shifts",
    "unless_certified",
    "except_ranks",
    "except_units",
)
SUB_MINIMUM_FIELDS = ("label", "hours", "topics", "delivery", "window_from", "window_to")
PERIOD_FIELDS: dict[PeriodKind, tuple[str, ...]] = {
    PeriodKind.CALENDAR_YEAR: (),
    PeriodKind.FISCAL_YEAR: ("start_month",),
    PeriodKind.FIXED_CYCLE: ("anchor", "years", "months"),
    PeriodKind.OFFICER_CYCLE: ("years", "from", "end_month_day", "end_after_anniversary"),
    PeriodKind.ROLLING: ("months",),
    PeriodKind.SINCE_LAST_COMPLETION: ("years", "from", "first_due", "end_month_day"),
    PeriodKind.ONE_TIME: ("months", "from"),
    PeriodKind.DEADLINE: ("due", "counts_from"),
}
"""Fields each period kind accepts besides `kind`."""

_MAKE_UP_KINDS = frozenset(
    {
        PeriodKind.CALENDAR_YEAR,
        PeriodKind.FISCAL_YEAR,
        PeriodKind.FIXED_CYCLE,
        PeriodKind.OFFICER_CYCLE,
    }
)

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_TOPIC_CODE = re.compile(r"[a-z][a-z0-9_]*")
_MONTH_DAY = re.compile(r"(\d{2})-(\d{2})")
_MAX_LENGTH = 1200
"""Longest period length accepted in months (100 years): catches a typo like years = 30000."""


def _one_of(values: Iterable[str]) -> str:
    return ", ".join(values)


def _unknown_field(name: str, allowed: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, allowed, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown field{hint}; expected one of {_one_of(allowed)}"


class _Problems:
    """Collects messages naming the file, requirement and field, so all are reported at once."""

    def __init__(self, source_name: str) -> None:
        self.source_name = source_name
        self.requirement = ""
        self.messages: list[str] = []
        self.fields: list[tuple[str, str]] = []

    def add(self, field_name: str, reason: str) -> None:
        where = [self.source_name] if self.source_name else []
        if self.requirement:
            where.append(f"requirement {self.requirement}")
        where.append(f"field {field_name}")
        self.messages.append(f"{', '.join(where)}: {reason}")
        self.fields.append((field_name, reason))

    def check_keys(
        self, table: Mapping[str, Any], allowed: Sequence[str], prefix: str = ""
    ) -> None:
        for key in table:
            if key not in allowed:
                self.add(prefix + key, _unknown_field(key, allowed))


class _Invalid(Exception):
    """One field could not be read; the reason has already been recorded."""


def _text(value: object, name: str, problems: _Problems, *, required: bool = True) -> str:
    if value is None:
        if required:
            problems.add(name, "is required")
            raise _Invalid
        return ""
    if not isinstance(value, str):
        problems.add(name, f"must be text, not {_type_name(value)}")
        raise _Invalid
    text = value.strip()
    if required and not text:
        problems.add(name, "must not be empty")
        raise _Invalid
    return text


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime):
        return "a date with a time"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, str):
        return f"the text {value!r}"
    return type(value).__name__


def _date(value: object, name: str, problems: _Problems) -> date:
    if isinstance(value, datetime):
        problems.add(name, f"must be a date without a time, e.g. 2022-07-01, not {value}")
        raise _Invalid
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            problems.add(name, f"{value!r} is not a date; write YYYY-MM-DD, e.g. 2022-07-01")
            raise _Invalid from None
    problems.add(name, f"must be a date (YYYY-MM-DD), not {_type_name(value)}")
    raise _Invalid


def _optional_date(
    table: Mapping[str, Any], key: str, name: str, problems: _Problems
) -> date | None:
    if key not in table:
        return None
    return _date(table[key], name, problems)


def _hours(value: object, name: str, problems: _Problems) -> Centihours:
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.add(name, f"must be a number of hours, not {_type_name(value)}")
        raise _Invalid
    try:
        hours = parse_hours(value)
    except HoursError as exc:
        problems.add(name, str(exc))
        raise _Invalid from None
    if hours <= 0:
        problems.add(name, "must be more than 0 hours")
        raise _Invalid
    return hours


def _positive_int(value: object, name: str, problems: _Problems, *, upper: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(name, f"must be a whole number, not {_type_name(value)}")
        raise _Invalid
    if not 1 <= value <= upper:
        problems.add(name, f"must be between 1 and {upper}, not {value}")
        raise _Invalid
    return value


def _strings(value: object, name: str, problems: _Problems) -> tuple[str, ...]:
    """A list of non-empty strings; a single string is taken as a list of one."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        problems.add(name, f"must be a list of text, not {_type_name(value)}")
        raise _Invalid
    items: list[str] = []
    for index, item in enumerate(value, start=1):
        if not isinstance(item, str) or not item.strip():
            problems.add(f"{name}[{index}]", f"must be non-empty text, not {_type_name(item)}")
            raise _Invalid
        if item.strip() not in items:
            items.append(item.strip())
    return tuple(items)


def _codes(
    value: object,
    name: str,
    problems: _Problems,
    known: Mapping[str, str] | frozenset[str],
    what: str,
) -> tuple[str, ...]:
    codes = _strings(value, name, problems)
    bad = [code for code in codes if code not in known]
    for code in bad:
        close = difflib.get_close_matches(code, list(known), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        problems.add(name, f"'{code}' is not a known {what}{hint}")
    if bad:
        raise _Invalid
    return codes


def _choice(value: object, name: str, problems: _Problems, choices: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in choices:
        shown = repr(value) if isinstance(value, str) else _type_name(value)
        problems.add(name, f"{shown} is not one of {_one_of(choices)}")
        raise _Invalid
    return value


def _table(value: object, name: str, problems: _Problems) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        problems.add(name, f"must be a table, not {_type_name(value)}")
        raise _Invalid
    return value


def _field(read: Callable[[], Any], default: Any = None) -> Any:
    """Run one field's reader; a bad field yields `default` so checking can go on."""
    try:
        return read()
    except _Invalid:
        return default


def _try(read: Callable[..., Any], *args: Any, default: Any = None) -> Any:
    """Like `_field`, for a reader called with arguments (safe inside loops)."""
    try:
        return read(*args)
    except _Invalid:
        return default


_INVALID = object()
"""Stands for a field that was present but could not be read."""


def _parse_period(value: object, problems: _Problems) -> Period:
    table = _table(value, "period", problems)
    kinds = [kind.value for kind in PeriodKind]
    if "kind" not in table:
        problems.add("period.kind", f"is required; one of {_one_of(kinds)}")
        raise _Invalid
    kind = PeriodKind(_choice(table["kind"], "period.kind", problems, kinds))
    allowed = PERIOD_FIELDS[kind]
    ok = True
    for key in table:
        if key == "kind" or key in allowed:
            continue
        ok = False
        every = {name for names in PERIOD_FIELDS.values() for name in names}
        if key in every:
            problems.add(f"period.{key}", f"is not used by period kind '{kind.value}'")
        else:
            problems.add(f"period.{key}", _unknown_field(key, ("kind", *sorted(every))))

    start_month = None
    if "start_month" in table:
        start_month = _field(
            lambda: _positive_int(table["start_month"], "period.start_month", problems, upper=12),
            _INVALID,
        )
    anchor = None
    if kind is PeriodKind.FIXED_CYCLE:
        if "anchor" not in table:
            problems.add("period.anchor", "is required for a fixed_cycle (the date a cycle starts)")
            ok = False
        else:
            anchor = _field(lambda: _date(table["anchor"], "period.anchor", problems), _INVALID)
    years = months = None
    if "years" in table:
        years = _field(
            lambda: _positive_int(
                table["years"], "period.years", problems, upper=_MAX_LENGTH // 12
            ),
            _INVALID,
        )
    if "months" in table:
        months = _field(
            lambda: _positive_int(table["months"], "period.months", problems, upper=_MAX_LENGTH),
            _INVALID,
        )
    if kind is PeriodKind.FIXED_CYCLE and ("years" in table) == ("months" in table):
        problems.add("period.years", "a fixed_cycle needs exactly one of years or months")
        ok = False
    if (
        kind in (PeriodKind.OFFICER_CYCLE, PeriodKind.SINCE_LAST_COMPLETION)
        and "years" not in table
    ):
        problems.add("period.years", f"is required for period kind '{kind.value}'")
        ok = False
    if kind in (PeriodKind.ROLLING, PeriodKind.ONE_TIME) and "months" not in table:
        problems.add("period.months", f"is required for period kind '{kind.value}'")
        ok = False
    start_from = AnchorDate.LICENSE
    if "from" in table:
        start_from = _field(
            lambda: AnchorDate(
                _choice(table["from"], "period.from", problems, [a.value for a in AnchorDate])
            ),
            _INVALID,
        )
    end_month_day = None
    if "end_month_day" in table:
        end_month_day = _field(lambda: _month_day(table["end_month_day"], problems), _INVALID)
    after_anniversary: Any = False
    if "end_after_anniversary" in table:
        after_anniversary = _field(
            lambda: _bool(table["end_after_anniversary"], "period.end_after_anniversary", problems),
            _INVALID,
        )
        if after_anniversary is True and "end_month_day" not in table:
            problems.add(
                "period.end_after_anniversary",
                "needs end_month_day: it says which month-day after the anniversary ends a cycle",
            )
            ok = False
    first_due = None
    if "first_due" in table:
        first_due = _field(
            lambda: _date(table["first_due"], "period.first_due", problems), _INVALID
        )
    due = counts_from = None
    if kind is PeriodKind.DEADLINE:
        if "due" not in table:
            problems.add("period.due", "is required for a deadline (the date it is due by)")
            ok = False
        else:
            due = _field(lambda: _date(table["due"], "period.due", problems), _INVALID)
        if "counts_from" in table:
            counts_from = _field(
                lambda: _date(table["counts_from"], "period.counts_from", problems), _INVALID
            )
        if isinstance(due, date) and isinstance(counts_from, date) and counts_from > due:
            problems.add("period.counts_from", f"{counts_from} is after the due date {due}")
            ok = False
    values = (
        start_month,
        anchor,
        years,
        months,
        start_from,
        end_month_day,
        after_anniversary,
        due,
        counts_from,
        first_due,
    )
    if not ok or any(v is _INVALID for v in values):
        raise _Invalid
    return Period(
        kind=kind,
        start_month=start_month,
        anchor=anchor,
        years=years,
        months=months,
        start_from=start_from,
        end_month_day=end_month_day,
        end_after_anniversary=after_anniversary,
        due=due,
        counts_from=counts_from,
        first_due=first_due,
    )


def _bool(value: object, name: str, problems: _Problems) -> bool:
    if not isinstance(value, bool):
        problems.add(name, f"must be true or false, not {_type_name(value)}")
        raise _Invalid
    return value


def _month_day(value: object, problems: _Problems) -> tuple[int, int]:
    name = "period.end_month_day"
    match = _MONTH_DAY.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        problems.add(name, f'must be text MM-DD such as "06-30", not {value!r}')
        raise _Invalid
    month, day = int(match.group(1)), int(match.group(2))
    try:
        # 2023 is a common year: a month-day that exists every year (no 02-29).
        date(2023, month, day)
    except ValueError:
        problems.add(name, f"{value!r} is not a day that exists every year")
        raise _Invalid from None
    return month, day


def _parse_applies_to(value: object, problems: _Problems) -> Applicability:
    table = _table(value, "applies_to", problems)
    problems.check_keys(table, APPLIES_TO_FIELDS, "applies_to.")
    ok = all(key in APPLIES_TO_FIELDS for key in table)
    fields: dict[str, Any] = {}
    if "statuses" in table:
        statuses = _field(
            lambda: _codes(
                table["statuses"],
                "applies_to.statuses",
                problems,
                OFFICER_STATUSES,
                "officer status",
            ),
            _INVALID,
        )
        if statuses == ():
            problems.add("applies_to.statuses", "must list at least one status")
            ok = False
        fields["statuses"] = statuses
    for key in ("licensed_before", "licensed_on_or_after", "hired_before", "hired_on_or_after"):
        if key in table:
            fields[key] = _try(_date, table[key], f"applies_to.{key}", problems, default=_INVALID)
    for key in ("ranks", "units", "shifts", "unless_certified", "except_ranks", "except_units"):
        if key in table:
            fields[key] = _try(
                _strings, table[key], f"applies_to.{key}", problems, default=_INVALID
            )
    if not ok or any(v is _INVALID for v in fields.values()):
        raise _Invalid
    applies = Applicability(**fields)
    for low, high, what in (
        ("licensed_on_or_after", "licensed_before", "licence"),
        ("hired_on_or_after", "hired_before", "hire"),
    ):
        lower, upper = getattr(applies, low), getattr(applies, high)
        if lower is not None and upper is not None and upper <= lower:
            problems.add(
                f"applies_to.{high}",
                f"{upper} is not after {low} {lower}: no officer's {what} date could match",
            )
            raise _Invalid
    return applies


def _parse_sub_minimums(
    value: object,
    problems: _Problems,
    topics: Mapping[str, str],
    total: Centihours | None,
    requirement_topics: tuple[str, ...],
    requirement_delivery: tuple[str, ...],
) -> tuple[SubMinimum, ...]:
    if not isinstance(value, list):
        problems.add("sub_minimums", f"must be a list of tables, not {_type_name(value)}")
        raise _Invalid
    subs: list[SubMinimum] = []
    ok = True
    labels: dict[str, list[tuple[date, date]]] = {}
    for index, item in enumerate(value, start=1):
        name = f"sub_minimums[{index}]"
        if not isinstance(item, dict):
            problems.add(name, f"must be a table, not {_type_name(item)}")
            ok = False
            continue
        problems.check_keys(item, SUB_MINIMUM_FIELDS, f"{name}.")
        label = _try(_text, item.get("label"), f"{name}.label", problems)
        hours = None
        if "hours" not in item:
            problems.add(f"{name}.hours", "is required")
        else:
            hours = _try(_hours, item["hours"], f"{name}.hours", problems)
        sub_topics: tuple[str, ...] | None = ()
        if "topics" in item:
            sub_topics = _try(
                _codes, item["topics"], f"{name}.topics", problems, topics, "topic code"
            )
        sub_delivery: tuple[str, ...] | None = ()
        if "delivery" in item:
            sub_delivery = _try(
                _codes, item["delivery"], f"{name}.delivery", problems, DELIVERIES, "delivery"
            )
        window_from = _try(_optional_date, item, "window_from", f"{name}.window_from", problems)
        window_to = _try(_optional_date, item, "window_to", f"{name}.window_to", problems)
        if (
            isinstance(window_from, date)
            and isinstance(window_to, date)
            and window_to < window_from
        ):
            problems.add(f"{name}.window_to", f"{window_to} is before window_from {window_from}")
            ok = False
        if (
            label is None
            or hours is None
            or sub_topics is None
            or sub_delivery is None
            or ("window_from" in item and window_from is None)
            or ("window_to" in item and window_to is None)
        ):
            ok = False
            continue
        if any(key not in SUB_MINIMUM_FIELDS for key in item):
            ok = False
        if not sub_topics and not sub_delivery:
            problems.add(name, "needs topics and/or delivery to say which hours count toward it")
            ok = False
        if requirement_topics and (
            outside := [t for t in sub_topics if t not in requirement_topics]
        ):
            problems.add(
                f"{name}.topics",
                f"{', '.join(outside)} not among the requirement's topics "
                f"({', '.join(requirement_topics)}), so those hours could never count",
            )
            ok = False
        if requirement_delivery and (
            outside := [d for d in sub_delivery if d not in requirement_delivery]
        ):
            problems.add(
                f"{name}.delivery",
                f"{', '.join(outside)} not among the requirement's delivery "
                f"({', '.join(requirement_delivery)}), so those hours could never count",
            )
            ok = False
        if total is not None and hours > total:
            problems.add(
                f"{name}.hours",
                f"{format_hours(hours)} h is more than the requirement's total "
                f"{format_hours(total)} h",
            )
            ok = False
        # One label may name the same minimum in different eras (IN defensive tactics 2 h
        # until 2023, 4 h from 2024), as long as no window needs both.
        span = (window_from or date.min, window_to or date.max)
        taken = labels.setdefault(label.casefold(), [])
        if any(span[0] <= other[1] and other[0] <= span[1] for other in taken):
            problems.add(f"{name}.label", f"'{label}' is used by another sub-minimum")
            ok = False
        taken.append(span)
        subs.append(SubMinimum(label, hours, sub_topics, sub_delivery, window_from, window_to))
    if not ok:
        raise _Invalid
    return tuple(subs)


def _parse_requirement(
    table: Mapping[str, Any],
    problems: _Problems,
    topics: Mapping[str, str],
    jurisdiction: str,
    *,
    allow_jurisdiction: bool = False,
) -> Requirement:
    allowed = (*REQUIREMENT_FIELDS, "jurisdiction") if allow_jurisdiction else REQUIREMENT_FIELDS
    problems.check_keys(table, allowed)
    ok = all(key in allowed for key in table)

    def read(reader: Callable[[], Any], default: Any = _INVALID) -> Any:
        return _field(reader, default)

    requirement_id = read(lambda: _text(table.get("id"), "id", problems))
    if requirement_id is not _INVALID and not _ID.fullmatch(requirement_id):
        problems.add(
            "id",
            f"{requirement_id!r} may hold only letters, digits, '.', '_' and '-' "
            "(e.g. IL-inservice-30h)",
        )
        requirement_id = _INVALID
    title = read(lambda: _text(table.get("title"), "title", problems))
    effective_from: Any = _INVALID
    if "effective_from" not in table:
        problems.add("effective_from", "is required (the date the rule took effect)")
    else:
        effective_from = read(lambda: _date(table["effective_from"], "effective_from", problems))
    effective_to = read(lambda: _optional_date(table, "effective_to", "effective_to", problems))
    if (
        isinstance(effective_from, date)
        and isinstance(effective_to, date)
        and effective_to < effective_from
    ):
        problems.add("effective_to", f"{effective_to} is before effective_from {effective_from}")
        ok = False

    given = [key for key in ("hours", "course", "certification") if key in table]
    kind: RequirementKind | None = None
    if not given:
        problems.add("hours", "a requirement needs one of hours, course or certification")
    elif len(given) > 1:
        problems.add(
            given[1], f"give only one of hours, course or certification, not {given[0]} too"
        )
    else:
        kind = RequirementKind(given[0])

    hours = None
    courses: tuple[str, ...] = ()
    certification = None
    if kind is RequirementKind.HOURS:
        hours = read(lambda: _hours(table["hours"], "hours", problems))
        if "courses" in table:
            courses = read(lambda: _strings(table["courses"], "courses", problems))
    elif kind is RequirementKind.COURSE:
        courses = read(lambda: _strings(table["course"], "course", problems))
    elif kind is RequirementKind.CERTIFICATION:
        certification = read(lambda: _text(table["certification"], "certification", problems))
    if "courses" in table and kind is not RequirementKind.HOURS:
        problems.add(
            "courses",
            "filters an hours requirement; a course requirement lists its courses in 'course'",
        )
        ok = False

    req_topics: Any = ()
    if "topics" in table:
        req_topics = read(lambda: _codes(table["topics"], "topics", problems, topics, "topic code"))
    req_delivery: Any = ()
    if "delivery" in table:
        req_delivery = read(
            lambda: _codes(table["delivery"], "delivery", problems, DELIVERIES, "delivery")
        )
    if kind is RequirementKind.CERTIFICATION:
        for key in ("topics", "delivery", "sub_minimums"):
            if key in table:
                problems.add(key, "is not used by a certification requirement")
                ok = False
    if kind is RequirementKind.COURSE and courses == () and req_topics == () and req_delivery == ():
        problems.add(
            "course", "an empty course list needs topics or delivery to say which courses count"
        )
        ok = False

    period: Any = None
    if "period" in table:
        period = read(lambda: _parse_period(table["period"], problems))
        if kind is RequirementKind.CERTIFICATION:
            problems.add(
                "period",
                "a certification requirement has no period: it must be held on the report date",
            )
            ok = False
    elif kind is RequirementKind.HOURS:
        problems.add("period", "is required for an hours requirement")
        ok = False

    subs: Any = ()
    if "sub_minimums" in table and kind is not RequirementKind.CERTIFICATION:
        if kind is RequirementKind.COURSE:
            problems.add("sub_minimums", "only an hours requirement has sub-minimums")
            ok = False
        else:
            subs = read(
                lambda: _parse_sub_minimums(
                    table["sub_minimums"],
                    problems,
                    topics,
                    hours if isinstance(hours, int) else None,
                    req_topics if isinstance(req_topics, tuple) else (),
                    req_delivery if isinstance(req_delivery, tuple) else (),
                )
            )

    applies: Any = Applicability()
    if "applies_to" in table:
        applies = read(lambda: _parse_applies_to(table["applies_to"], problems))

    new_hire: Any = NewHire.PRORATE
    if "new_hire" in table:
        new_hire = read(
            lambda: NewHire(
                _choice(table["new_hire"], "new_hire", problems, [n.value for n in NewHire])
            )
        )
    if (
        new_hire in (NewHire.EXEMPT_FIRST_PERIOD, NewHire.EXEMPT_LICENSE_PERIOD, NewHire.PER_MONTH)
        and isinstance(period, Period)
        and period.kind
        in (PeriodKind.ONE_TIME, PeriodKind.SINCE_LAST_COMPLETION, PeriodKind.DEADLINE)
    ):
        problems.add(
            "new_hire",
            f"{new_hire.value} cannot be used with period kind '{period.kind.value}', "
            "whose first window always starts at hire or licence",
        )
        ok = False

    hours_per_month: Any = None
    if "hours_per_month" in table:
        hours_per_month = read(
            lambda: _hours(table["hours_per_month"], "hours_per_month", problems)
        )
        if new_hire is not NewHire.PER_MONTH:
            problems.add("hours_per_month", 'is used only with new_hire = "per_month"')
            ok = False
    elif new_hire is NewHire.PER_MONTH:
        problems.add("hours_per_month", 'is required with new_hire = "per_month" (e.g. 3.5)')
        ok = False
    if new_hire is NewHire.PER_MONTH and kind is not RequirementKind.HOURS:
        problems.add("new_hire", '"per_month" is for an hours requirement')
        ok = False
    make_up: Any = MakeUp.NONE
    if "make_up" in table:
        make_up = read(
            lambda: MakeUp(
                _choice(table["make_up"], "make_up", problems, [m.value for m in MakeUp])
            )
        )
        if make_up is MakeUp.PREVIOUS_FIRST and (
            kind is not RequirementKind.HOURS
            or not isinstance(period, Period)
            or period.kind not in _MAKE_UP_KINDS
        ):
            problems.add(
                "make_up",
                '"previous_first" is for an hours requirement measured in consecutive '
                "windows (calendar_year, fiscal_year, fixed_cycle, officer_cycle)",
            )
            ok = False
    round_to: Any = None
    if "round_required_to" in table:
        round_to = read(lambda: _hours(table["round_required_to"], "round_required_to", problems))
        if kind is not RequirementKind.HOURS:
            problems.add("round_required_to", "is for an hours requirement")
            ok = False
    source = read(lambda: _text(table.get("source"), "source", problems, required=False))
    notes = read(lambda: _text(table.get("notes"), "notes", problems, required=False))
    if allow_jurisdiction and "jurisdiction" in table:
        jurisdiction = read(
            lambda: _text(table["jurisdiction"], "jurisdiction", problems, required=False)
        )

    values = (
        requirement_id,
        title,
        effective_from,
        effective_to,
        hours,
        courses,
        certification,
        req_topics,
        req_delivery,
        period,
        subs,
        applies,
        new_hire,
        source,
        notes,
        jurisdiction,
        hours_per_month,
        make_up,
        round_to,
    )
    if not ok or kind is None or any(v is _INVALID for v in values):
        raise _Invalid
    return Requirement(
        id=requirement_id,
        title=title,
        kind=kind,
        effective_from=effective_from,
        effective_to=effective_to,
        period=period,
        hours=hours,
        courses=courses,
        certification=certification,
        topics=req_topics,
        delivery=req_delivery,
        sub_minimums=subs,
        applies_to=applies,
        new_hire=new_hire,
        source=source,
        notes=notes,
        jurisdiction=jurisdiction,
        hours_per_month=hours_per_month,
        make_up=make_up,
        round_required_to=round_to,
    )


def _known_topics(extra_topics: Iterable[str] | Mapping[str, str] | None) -> dict[str, str]:
    known = dict(TOPICS)
    if isinstance(extra_topics, Mapping):
        known.update(extra_topics)
    elif extra_topics is not None:
        known.update({code: code for code in extra_topics})
    return known


def _parse_pack_topics(value: object, problems: _Problems) -> tuple[tuple[str, str], ...]:
    table = _table(value, "topics", problems)
    pairs: list[tuple[str, str]] = []
    ok = True
    for code, label in table.items():
        if not _TOPIC_CODE.fullmatch(code):
            problems.add(f"topics.{code}", "a topic code holds lowercase letters, digits and '_'")
            ok = False
        elif not isinstance(label, str) or not label.strip():
            problems.add(f"topics.{code}", 'needs a label as text, e.g. "School threat assessment"')
            ok = False
        elif code not in TOPICS:
            # A code built in since the pack was written is simply known already.
            pairs.append((code, label.strip()))
    if not ok:
        raise _Invalid
    return tuple(pairs)


def parse_pack(
    text: str,
    source_name: str,
    *,
    extra_topics: Iterable[str] | Mapping[str, str] | None = None,
) -> RulePack:
    """Read a rule pack from TOML text; `source_name` (usually the file name) goes in messages.

    `extra_topics` are the agency's own topic codes, accepted alongside the built-in ones and
    the pack's own `[topics]`. Raises RulePackError listing every problem found.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulePackError([f"{source_name}: not valid TOML: {exc}"]) from None
    problems = _Problems(source_name)
    problems.check_keys(data, PACK_FIELDS)
    jurisdiction = _field(lambda: _text(data.get("jurisdiction"), "jurisdiction", problems), "")
    name = _field(lambda: _text(data.get("name"), "name", problems), "")
    version = _field(lambda: _text(data.get("version"), "version", problems), "")
    notes = _field(lambda: _text(data.get("notes"), "notes", problems, required=False), "")
    checks = _field(lambda: _text(data.get("checks"), "checks", problems, required=False), "")
    does_not_check = _field(
        lambda: _text(data.get("does_not_check"), "does_not_check", problems, required=False), ""
    )
    verified_on = _field(lambda: _optional_date(data, "verified_on", "verified_on", problems))
    pack_topics: tuple[tuple[str, str], ...] = ()
    if "topics" in data:
        pack_topics = _field(lambda: _parse_pack_topics(data["topics"], problems), ())
    known = _known_topics(extra_topics)
    known.update(pack_topics)

    raw = data.get("requirements", [])
    requirements: list[Requirement] = []
    if not isinstance(raw, list):
        problems.add("requirements", "must be an array of tables: write each as [[requirements]]")
        raw = []
    seen: set[str] = set()
    for index, table in enumerate(raw, start=1):
        label = table.get("id") if isinstance(table, dict) else None
        problems.requirement = (
            label.strip() if isinstance(label, str) and label.strip() else f"#{index} (no id)"
        )
        if not isinstance(table, dict):
            problems.add("requirements", f"entry {index} must be a table")
            continue
        requirement = _try(_parse_requirement, table, problems, known, jurisdiction)
        if isinstance(label, str) and label.strip():
            if label.strip() in seen:
                problems.add("id", f"'{label.strip()}' is used by another requirement in this pack")
                requirement = None
            seen.add(label.strip())
        if requirement is not None:
            requirements.append(requirement)
    problems.requirement = ""
    if problems.messages:
        raise RulePackError(problems.messages)
    return RulePack(
        jurisdiction=jurisdiction,
        name=name,
        version=version,
        requirements=tuple(requirements),
        source_name=source_name,
        notes=notes,
        topics=pack_topics,
        checks=checks,
        does_not_check=does_not_check,
        verified_on=verified_on,
    )


def load_pack(
    path: Path | str,
    *,
    extra_topics: Iterable[str] | Mapping[str, str] | None = None,
) -> RulePack:
    """Read a rule-pack file (UTF-8 TOML); messages name the file by its file name."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RulePackError([f"{path.name}: not UTF-8 text; save the file as UTF-8"]) from None
    except OSError as exc:
        raise RulePackError([f"{path.name}: cannot be read ({exc.strerror or exc})"]) from None
    return parse_pack(text, path.name, extra_topics=extra_topics)


def builtin_pack_paths(rules_dir: Path) -> dict[str, Path]:
    """The rule packs shipped in `rules_dir`, by jurisdiction code (the file stem, upper case)."""
    return {path.stem.upper(): path for path in sorted(Path(rules_dir).glob("*.toml"))}


# --- JSON-friendly form for the store ----------------------------------------------------


def requirement_to_dict(requirement: Requirement) -> dict[str, Any]:
    """The requirement as plain JSON values in the TOML shape (dates as ISO text, hours as
    numbers), leaving out fields at their defaults; `requirement_from_dict` reads it back."""
    out: dict[str, Any] = {"id": requirement.id, "title": requirement.title}
    if requirement.jurisdiction:
        out["jurisdiction"] = requirement.jurisdiction
    out["effective_from"] = requirement.effective_from.isoformat()
    if requirement.effective_to is not None:
        out["effective_to"] = requirement.effective_to.isoformat()
    if requirement.kind is RequirementKind.HOURS:
        out["hours"] = to_float(requirement.hours or 0)
        if requirement.courses:
            out["courses"] = list(requirement.courses)
    elif requirement.kind is RequirementKind.COURSE:
        out["course"] = list(requirement.courses)
    else:
        out["certification"] = requirement.certification
    if requirement.topics:
        out["topics"] = list(requirement.topics)
    if requirement.delivery:
        out["delivery"] = list(requirement.delivery)
    if requirement.period is not None:
        out["period"] = _period_to_dict(requirement.period)
    if requirement.sub_minimums:
        out["sub_minimums"] = [_sub_minimum_to_dict(sub) for sub in requirement.sub_minimums]
    applies = _applies_to_dict(requirement.applies_to)
    if applies:
        out["applies_to"] = applies
    out["new_hire"] = requirement.new_hire.value
    if requirement.hours_per_month is not None:
        out["hours_per_month"] = to_float(requirement.hours_per_month)
    if requirement.make_up is not MakeUp.NONE:
        out["make_up"] = requirement.make_up.value
    if requirement.round_required_to is not None:
        out["round_required_to"] = to_float(requirement.round_required_to)
    if requirement.source:
        out["source"] = requirement.source
    if requirement.notes:
        out["notes"] = requirement.notes
    return out


def _period_to_dict(period: Period) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": period.kind.value}
    if period.start_month is not None:
        out["start_month"] = period.start_month
    if period.anchor is not None:
        out["anchor"] = period.anchor.isoformat()
    if period.years is not None:
        out["years"] = period.years
    if period.months is not None:
        out["months"] = period.months
    if "from" in PERIOD_FIELDS[period.kind]:
        out["from"] = period.start_from.value
    if period.end_month_day is not None:
        out["end_month_day"] = "{:02d}-{:02d}".format(*period.end_month_day)
    if period.end_after_anniversary:
        out["end_after_anniversary"] = True
    if period.due is not None:
        out["due"] = period.due.isoformat()
    if period.counts_from is not None:
        out["counts_from"] = period.counts_from.isoformat()
    if period.first_due is not None:
        out["first_due"] = period.first_due.isoformat()
    return out


def _sub_minimum_to_dict(sub: SubMinimum) -> dict[str, Any]:
    out: dict[str, Any] = {"label": sub.label, "hours": to_float(sub.hours)}
    if sub.topics:
        out["topics"] = list(sub.topics)
    if sub.delivery:
        out["delivery"] = list(sub.delivery)
    if sub.window_from is not None:
        out["window_from"] = sub.window_from.isoformat()
    if sub.window_to is not None:
        out["window_to"] = sub.window_to.isoformat()
    return out


def _applies_to_dict(applies: Applicability) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if applies.statuses != DEFAULT_STATUSES:
        out["statuses"] = list(applies.statuses)
    for key in ("licensed_before", "licensed_on_or_after", "hired_before", "hired_on_or_after"):
        value = getattr(applies, key)
        if value is not None:
            out[key] = value.isoformat()
    for key in ("ranks", "units", "shifts", "unless_certified", "except_ranks", "except_units"):
        value = getattr(applies, key)
        if value:
            out[key] = list(value)
    return out


def requirement_from_dict(
    data: Mapping[str, Any],
    *,
    extra_topics: Iterable[str] | Mapping[str, str] | None = None,
    source_name: str = "stored requirement",
) -> Requirement:
    """Read a requirement saved by `requirement_to_dict` (or written by hand in that shape),
    with the same checks as a rule-pack file. Raises RulePackError."""
    problems = _Problems(source_name)
    label = data.get("id")
    problems.requirement = label.strip() if isinstance(label, str) and label.strip() else "(no id)"
    if not isinstance(data, Mapping):
        raise RulePackError([f"{source_name}: a requirement must be a JSON object"])
    requirement = _field(
        lambda: _parse_requirement(
            dict(data), problems, _known_topics(extra_topics), "", allow_jurisdiction=True
        )
    )
    if requirement is None or problems.messages:
        raise RulePackError(
            problems.messages or [f"{source_name}: invalid requirement"], problems.fields
        )
    return requirement
