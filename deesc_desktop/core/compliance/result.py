"""The result of one officer against one requirement, and its stable JSON shape."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from deesc_desktop.core.compliance.explain import explanation_lines_of, explanation_of, reason_of
from deesc_desktop.core.compliance.status import Status
from deesc_desktop.core.hours import Centihours, to_float
from deesc_desktop.core.rules import RequirementKind


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
        return reason_of(self)

    @property
    def explanation_lines(self) -> tuple[str, ...]:
        """The explanation as lines for a screen: what is still needed as a list."""
        return explanation_lines_of(self)

    @property
    def explanation(self) -> str:
        """A plain-English paragraph a chief can read, with the numbers.

        Written on demand from the fields, so evaluating a whole state roster does not pay
        for text nobody reads.
        """
        return explanation_of(self)


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
