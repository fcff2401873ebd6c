"""Requirements as plain JSON values in the TOML shape, as the store keeps them."""

from __future__ import annotations

from typing import Any

from deesc_desktop.core.hours import to_float
from deesc_desktop.core.periods import Period
from deesc_desktop.core.rules.model import (
    DEFAULT_STATUSES,
    Applicability,
    MakeUp,
    Requirement,
    RequirementKind,
    SubMinimum,
)
from deesc_desktop.core.rules.schema import PERIOD_FIELDS


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
