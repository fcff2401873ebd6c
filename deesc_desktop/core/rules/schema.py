"""The rule-pack format as data: the fields of each table and period kind, and their rules.

Each field says how it is read; the rules between fields are listed in the order their
problems are reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from deesc_desktop.core.hours import format_hours
from deesc_desktop.core.periods import AnchorDate, Period, PeriodKind
from deesc_desktop.core.rules.fields import (
    Invalid,
    Problems,
    Report,
    boolean,
    choice,
    codes,
    day,
    hours,
    known_codes,
    month_day,
    one_of,
    optional_text,
    strings,
    table,
    text,
    type_name,
    unknown_field,
    whole_number,
)
from deesc_desktop.core.rules.model import (
    DEFAULT_STATUSES,
    Applicability,
    MakeUp,
    NewHire,
    RequirementKind,
    SubMinimum,
)
from deesc_desktop.core.rules.walker import Derived, Entry, Field, Gate, Rule, Values, walk
from deesc_desktop.core.topics import DELIVERIES, OFFICER_STATUSES, TOPICS

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

_EVERY_PERIOD_FIELD = (
    "kind",
    *sorted({name for names in PERIOD_FIELDS.values() for name in names}),
)
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
_MAX_LENGTH = 1200
"""Longest period length accepted in months (100 years): catches a typo like years = 30000."""


def _topic_codes(value: object, name: str, values: Values) -> tuple[str, ...]:
    return codes(value, name, values, values.scope["topics"], "topic code")


def _before(low: str, high: str) -> Callable[[Values], bool]:
    """The date in `high` comes before the one in `low` (both given and read)."""
    return lambda v: isinstance(v[low], date) and isinstance(v[high], date) and v[high] < v[low]


def _period_kind(*kinds: PeriodKind) -> Callable[[Values], bool]:
    """The period being read is of one of these kinds."""
    return lambda v: v.scope["kind"] in kinds


def _requirement_kind(kind: RequirementKind) -> Callable[[Values], bool]:
    """The requirement being read is of this kind (not when its kind could not be told)."""
    return lambda v: v["kind"] is kind


def _not_hours(v: Values) -> bool:
    return v["kind"] is not RequirementKind.HOURS


# --- period ----------------------------------------------------------------------------------

_PERIOD_KIND = (
    Field(
        "kind",
        choice(PeriodKind),
        missing=f"is required; one of {one_of(kind.value for kind in PeriodKind)}",
    ),
)

_PERIOD: tuple[Entry, ...] = (
    Field("start_month", whole_number(12)),
    Field(
        "anchor",
        day,
        missing="is required for a fixed_cycle (the date a cycle starts)",
        when=_period_kind(PeriodKind.FIXED_CYCLE),
    ),
    Field("years", whole_number(_MAX_LENGTH // 12)),
    Field("months", whole_number(_MAX_LENGTH)),
    Rule(
        "years",
        lambda v: _period_kind(PeriodKind.FIXED_CYCLE)(v) and v.given("years") == v.given("months"),
        "a fixed_cycle needs exactly one of years or months",
    ),
    Rule(
        "years",
        lambda v: (
            _period_kind(PeriodKind.OFFICER_CYCLE, PeriodKind.SINCE_LAST_COMPLETION)(v)
            and not v.given("years")
        ),
        lambda v: f"is required for period kind '{v.scope['kind'].value}'",
    ),
    Rule(
        "months",
        lambda v: (
            _period_kind(PeriodKind.ROLLING, PeriodKind.ONE_TIME)(v) and not v.given("months")
        ),
        lambda v: f"is required for period kind '{v.scope['kind'].value}'",
    ),
    Field("from", choice(AnchorDate), default=AnchorDate.LICENSE),
    Field("end_month_day", month_day),
    Field("end_after_anniversary", boolean, default=False),
    Rule(
        "end_after_anniversary",
        lambda v: v["end_after_anniversary"] is True and not v.given("end_month_day"),
        "needs end_month_day: it says which month-day after the anniversary ends a cycle",
    ),
    Field("first_due", day),
    Field(
        "due",
        day,
        missing="is required for a deadline (the date it is due by)",
        when=_period_kind(PeriodKind.DEADLINE),
    ),
    Field("counts_from", day, when=_period_kind(PeriodKind.DEADLINE)),
    Rule(
        "counts_from",
        _before("counts_from", "due"),
        lambda v: f"{v['counts_from']} is after the due date {v['due']}",
    ),
)


def _period(value: object, name: str, report: Report) -> Period:
    assert isinstance(report, Values)
    problems = report.problems
    found = table(value, name, report)
    kind = walk(found, _PERIOD_KIND, problems, name=name)
    if not kind.ok:
        raise Invalid
    period_kind: PeriodKind = kind["kind"]
    accepted = PERIOD_FIELDS[period_kind]
    fits = True
    for key in found:
        if key == "kind" or key in accepted:
            continue
        fits = False
        if key in _EVERY_PERIOD_FIELD:
            report.add(f"{name}.{key}", f"is not used by period kind '{period_kind.value}'")
        else:
            report.add(f"{name}.{key}", unknown_field(key, _EVERY_PERIOD_FIELD))
    v = walk(found, _PERIOD, problems, name=name, scope={"kind": period_kind})
    if not fits or not v.ok:
        raise Invalid
    return Period(
        kind=period_kind,
        start_month=v["start_month"],
        anchor=v["anchor"],
        years=v["years"],
        months=v["months"],
        start_from=v["from"],
        end_month_day=v["end_month_day"],
        end_after_anniversary=v["end_after_anniversary"],
        due=v["due"],
        counts_from=v["counts_from"],
        first_due=v["first_due"],
    )


# --- who a requirement covers ------------------------------------------------------------------


def _not_after(low: str, high: str, what: str) -> Rule:
    """An upper bound (before) that is not after the lower one (on or after)."""
    return Rule(
        high,
        lambda v: v[low] is not None and v[high] is not None and v[high] <= v[low],
        lambda v: f"{v[high]} is not after {low} {v[low]}: no officer's {what} date could match",
    )


_APPLIES_TO: tuple[Entry, ...] = (
    Field(
        "statuses",
        known_codes(OFFICER_STATUSES, "officer status"),
        default=DEFAULT_STATUSES,
    ),
    Rule("statuses", lambda v: v["statuses"] == (), "must list at least one status"),
    *(
        Field(key, day)
        for key in ("licensed_before", "licensed_on_or_after", "hired_before", "hired_on_or_after")
    ),
    *(
        Field(key, strings, default=())
        for key in ("ranks", "units", "shifts", "unless_certified", "except_ranks", "except_units")
    ),
    Gate(strict=True),
    _not_after("licensed_on_or_after", "licensed_before", "licence"),
    Gate(strict=True),
    _not_after("hired_on_or_after", "hired_before", "hire"),
)


def _applies_to(value: object, name: str, report: Report) -> Applicability:
    assert isinstance(report, Values)
    found = table(value, name, report)
    v = walk(found, _APPLIES_TO, report.problems, name=name, allowed=APPLIES_TO_FIELDS)
    if not v.ok:
        raise Invalid
    return Applicability(**{key: v[key] for key in APPLIES_TO_FIELDS})


# --- sub-minimums ------------------------------------------------------------------------------


def _outside(key: str, what: str) -> Rule:
    """The sub-minimum names a topic (or delivery) its requirement does not count."""

    def outside(v: Values) -> list[str]:
        enclosing = v.scope["requirement"][key]
        if not isinstance(enclosing, tuple) or not enclosing:
            return []
        return [code for code in v[key] if code not in enclosing]

    return Rule(
        key,
        lambda v: bool(outside(v)),
        lambda v: (
            f"{', '.join(outside(v))} not among the requirement's {what} "
            f"({', '.join(v.scope['requirement'][key])}), so those hours could never count"
        ),
    )


def _above_total(v: Values) -> bool:
    total = v.scope["requirement"]["hours"]
    return isinstance(total, int) and v["hours"] > total


_SUB_MINIMUM: tuple[Entry, ...] = (
    Field("label", text, missing="is required"),
    Field("hours", hours, missing="is required"),
    Field("topics", _topic_codes, default=()),
    Field("delivery", known_codes(DELIVERIES, "delivery"), default=()),
    Field("window_from", day),
    Field("window_to", day),
    Rule(
        "window_to",
        _before("window_from", "window_to"),
        lambda v: f"{v['window_to']} is before window_from {v['window_from']}",
    ),
    Gate(),
    Rule(
        None,
        lambda v: not v["topics"] and not v["delivery"],
        "needs topics and/or delivery to say which hours count toward it",
    ),
    _outside("topics", "topics"),
    _outside("delivery", "delivery"),
    Rule(
        "hours",
        _above_total,
        lambda v: (
            f"{format_hours(v['hours'])} h is more than the requirement's total "
            f"{format_hours(v.scope['requirement']['hours'])} h"
        ),
    ),
)


def _sub_minimums(value: object, name: str, report: Report) -> tuple[SubMinimum, ...]:
    assert isinstance(report, Values)
    if not isinstance(value, list):
        report.add(name, f"must be a list of tables, not {type_name(value)}")
        raise Invalid
    scope = {"topics": report.scope["topics"], "requirement": report}
    subs: list[SubMinimum] = []
    ok = True
    # One label may name the same minimum in different eras (IN defensive tactics 2 h until
    # 2023, 4 h from 2024), as long as no window needs both.
    eras: dict[str, list[tuple[date, date]]] = {}
    for index, item in enumerate(value, start=1):
        where = f"{name}[{index}]"
        if not isinstance(item, dict):
            report.add(where, f"must be a table, not {type_name(item)}")
            ok = False
            continue
        v = walk(
            item, _SUB_MINIMUM, report.problems, name=where, allowed=SUB_MINIMUM_FIELDS, scope=scope
        )
        ok = ok and v.ok
        if v.unreadable:
            continue
        span = (v["window_from"] or date.min, v["window_to"] or date.max)
        taken = eras.setdefault(v["label"].casefold(), [])
        if any(span[0] <= other[1] and other[0] <= span[1] for other in taken):
            report.add(f"{where}.label", f"'{v['label']}' is used by another sub-minimum")
            ok = False
        taken.append(span)
        subs.append(SubMinimum(*(v[key] for key in SUB_MINIMUM_FIELDS)))
    if not ok:
        raise Invalid
    return tuple(subs)


# --- requirement -------------------------------------------------------------------------------

_KINDS = ("hours", "course", "certification")


def _kind(v: Values) -> RequirementKind:
    """Which of hours, course or certification the requirement gives (exactly one)."""
    given = [key for key in _KINDS if v.given(key)]
    if not given:
        v.add("hours", "a requirement needs one of hours, course or certification")
        raise Invalid
    if len(given) > 1:
        v.add(given[1], f"give only one of hours, course or certification, not {given[0]} too")
        raise Invalid
    return RequirementKind(given[0])


_HOURS_KIND = _requirement_kind(RequirementKind.HOURS)
_CERTIFICATION = _requirement_kind(RequirementKind.CERTIFICATION)
_COURSE = _requirement_kind(RequirementKind.COURSE)


def _unused_by_certification(key: str) -> Rule:
    return Rule(
        key,
        lambda v: _CERTIFICATION(v) and v.given(key),
        "is not used by a certification requirement",
    )


def _new_hire_needs_periods(v: Values) -> bool:
    period = v["period"]
    return (
        v["new_hire"]
        in (NewHire.EXEMPT_FIRST_PERIOD, NewHire.EXEMPT_LICENSE_PERIOD, NewHire.PER_MONTH)
        and isinstance(period, Period)
        and period.kind
        in (PeriodKind.ONE_TIME, PeriodKind.SINCE_LAST_COMPLETION, PeriodKind.DEADLINE)
    )


def _make_up_needs_windows(v: Values) -> bool:
    period = v["period"]
    return (
        v.given("make_up")
        and v["make_up"] is MakeUp.PREVIOUS_FIRST
        and (_not_hours(v) or not isinstance(period, Period) or period.kind not in _MAKE_UP_KINDS)
    )


REQUIREMENT: tuple[Entry, ...] = (
    Field("id", text, missing="is required"),
    Rule(
        "id",
        lambda v: v.valid("id") and not _ID.fullmatch(v["id"]),
        lambda v: (
            f"{v['id']!r} may hold only letters, digits, '.', '_' and '-' (e.g. IL-inservice-30h)"
        ),
    ),
    Field("title", text, missing="is required"),
    Field("effective_from", day, missing="is required (the date the rule took effect)"),
    Field("effective_to", day),
    Rule(
        "effective_to",
        _before("effective_from", "effective_to"),
        lambda v: f"{v['effective_to']} is before effective_from {v['effective_from']}",
    ),
    Derived("kind", _kind),
    Field("hours", hours, when=_HOURS_KIND),
    Field("courses", strings, default=(), when=_HOURS_KIND),
    Field("course", strings, default=(), when=_COURSE),
    Field("certification", text, when=_CERTIFICATION),
    Rule(
        "courses",
        lambda v: v.given("courses") and _not_hours(v),
        "filters an hours requirement; a course requirement lists its courses in 'course'",
    ),
    Field("topics", _topic_codes, default=()),
    Field("delivery", known_codes(DELIVERIES, "delivery"), default=()),
    *(_unused_by_certification(key) for key in ("topics", "delivery", "sub_minimums")),
    Rule(
        "course",
        lambda v: _COURSE(v) and v["course"] == () and v["topics"] == () and v["delivery"] == (),
        "an empty course list needs topics or delivery to say which courses count",
    ),
    Field("period", _period),
    Rule(
        "period",
        lambda v: v.given("period") and _CERTIFICATION(v),
        "a certification requirement has no period: it must be held on the report date",
    ),
    Rule(
        "period",
        lambda v: not v.given("period") and _HOURS_KIND(v),
        "is required for an hours requirement",
    ),
    Rule(
        "sub_minimums",
        lambda v: v.given("sub_minimums") and _COURSE(v),
        "only an hours requirement has sub-minimums",
    ),
    Field(
        "sub_minimums",
        _sub_minimums,
        default=(),
        when=lambda v: v["kind"] not in (RequirementKind.CERTIFICATION, RequirementKind.COURSE),
    ),
    Field("applies_to", _applies_to, default=Applicability()),
    Field("new_hire", choice(NewHire), default=NewHire.PRORATE),
    Rule(
        "new_hire",
        _new_hire_needs_periods,
        lambda v: (
            f"{v['new_hire'].value} cannot be used with period kind "
            f"'{v['period'].kind.value}', whose first window always starts at hire or licence"
        ),
    ),
    Field("hours_per_month", hours),
    Rule(
        "hours_per_month",
        lambda v: v.given("hours_per_month") and v["new_hire"] is not NewHire.PER_MONTH,
        'is used only with new_hire = "per_month"',
    ),
    Rule(
        "hours_per_month",
        lambda v: not v.given("hours_per_month") and v["new_hire"] is NewHire.PER_MONTH,
        'is required with new_hire = "per_month" (e.g. 3.5)',
    ),
    Rule(
        "new_hire",
        lambda v: v["new_hire"] is NewHire.PER_MONTH and _not_hours(v),
        '"per_month" is for an hours requirement',
    ),
    Field("make_up", choice(MakeUp), default=MakeUp.NONE),
    Rule(
        "make_up",
        _make_up_needs_windows,
        '"previous_first" is for an hours requirement measured in consecutive windows '
        "(calendar_year, fiscal_year, fixed_cycle, officer_cycle)",
    ),
    Field("round_required_to", hours),
    Rule(
        "round_required_to",
        lambda v: v.given("round_required_to") and _not_hours(v),
        "is for an hours requirement",
    ),
    Field("source", optional_text, default=""),
    Field("notes", optional_text, default=""),
    Field("jurisdiction", optional_text, default="", when=lambda v: v.scope["jurisdiction_field"]),
)
"""A requirement's fields and rules, in the order their problems are reported."""


# --- the pack ----------------------------------------------------------------------------------


def _pack_topics(value: object, name: str, report: Report) -> tuple[tuple[str, str], ...]:
    """The pack's own topic codes and labels, leaving out codes built in since."""
    found = table(value, name, report)
    pairs: list[tuple[str, str]] = []
    ok = True
    for code, label in found.items():
        if not _TOPIC_CODE.fullmatch(code):
            report.add(f"{name}.{code}", "a topic code holds lowercase letters, digits and '_'")
            ok = False
        elif not isinstance(label, str) or not label.strip():
            report.add(f"{name}.{code}", 'needs a label as text, e.g. "School threat assessment"')
            ok = False
        elif code not in TOPICS:
            # A code built in since the pack was written is simply known already.
            pairs.append((code, label.strip()))
    if not ok:
        raise Invalid
    return tuple(pairs)


PACK: tuple[Entry, ...] = (
    Field("jurisdiction", text, missing="is required", default=""),
    Field("name", text, missing="is required", default=""),
    Field("version", text, missing="is required", default=""),
    Field("notes", optional_text, default=""),
    Field("checks", optional_text, default=""),
    Field("does_not_check", optional_text, default=""),
    Field("verified_on", day),
    Field("topics", _pack_topics, default=()),
)
"""A pack's own fields (its requirements are read one by one after them)."""


def read_requirement(
    table: Mapping[str, Any],
    problems: Problems,
    topics: Mapping[str, str],
    *,
    jurisdiction_field: bool,
) -> Values:
    """Walk one requirement table against the topic codes known; with `jurisdiction_field`
    the table may name its own jurisdiction (a stored requirement does)."""
    allowed = (*REQUIREMENT_FIELDS, "jurisdiction") if jurisdiction_field else REQUIREMENT_FIELDS
    scope = {"topics": topics, "jurisdiction_field": jurisdiction_field}
    return walk(table, REQUIREMENT, problems, allowed=allowed, scope=scope)
