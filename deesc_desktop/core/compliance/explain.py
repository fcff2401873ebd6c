"""Results in words: the short reason for a cell and the explanation a chief reads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from deesc_desktop.core.compliance.status import UNMET, Status
from deesc_desktop.core.hours import Centihours, format_hours
from deesc_desktop.core.models import TrainingRecord
from deesc_desktop.core.periods import PeriodKind
from deesc_desktop.core.rules import RequirementKind
from deesc_desktop.core.topics import mid_sentence

if TYPE_CHECKING:
    from deesc_desktop.core.compliance.needs import LatestClass
    from deesc_desktop.core.compliance.result import RequirementResult

_NOUNS = {
    PeriodKind.CALENDAR_YEAR: "year",
    PeriodKind.FISCAL_YEAR: "fiscal year",
    PeriodKind.FIXED_CYCLE: "cycle",
    PeriodKind.OFFICER_CYCLE: "cycle",
    PeriodKind.ROLLING: "period",
    PeriodKind.SINCE_LAST_COMPLETION: "cycle",
    PeriodKind.ONE_TIME: "deadline",
    PeriodKind.DEADLINE: "deadline",
}


def period_noun(kind: PeriodKind) -> str:
    """What people call one period of this kind: "year", "fiscal year", "cycle"."""
    return _NOUNS[kind]


def hours_text(result: RequirementResult) -> str:
    """'26.0 of 30.0 h' for an hours requirement; "" for a course or a certification."""
    if result.earned is None or result.adjusted_required is None:
        return ""
    return f"{format_hours(result.earned)} of {format_hours(result.adjusted_required)} h"


def plain_hours(centihours: Centihours) -> str:
    """Hours as a sergeant writes them: "6", "2.5", "0.25"."""
    if centihours % 100 == 0:
        return str(centihours // 100)
    return format_hours(centihours)


def short_text(shortfalls: Iterable[tuple[str, Centihours]]) -> str:
    """'short 2 h in total and 6 h of high-risk traffic stops'."""
    parts = [
        f"{plain_hours(hours)} h" + (f" of {mid_sentence(label)}" if label else " in total")
        for label, hours in shortfalls
    ]
    if len(parts) == 1 and parts[0].endswith(" in total"):
        parts[0] = parts[0].removesuffix(" in total")
    if len(parts) > 1:
        return "short " + ", ".join(parts[:-1]) + " and " + parts[-1]
    return "short " + parts[0]


def _brief(shortfalls: Sequence[tuple[str, Centihours]]) -> str:
    """A few words for a cell: 'short 6 h of high-risk traffic stops', 'short 22 h and 2
    topic minimums', 'short 2 h of use of force and 1 more topic minimum'."""
    total = [hours for label, hours in shortfalls if not label]
    topics = [(label, hours) for label, hours in shortfalls if label]
    if total:
        text = f"short {plain_hours(total[0])} h"
        rest = len(topics)
    else:
        label, hours = topics[0]
        text = f"short {plain_hours(hours)} h of {mid_sentence(label)}"
        rest = len(topics) - 1
    if rest:
        more = "more " if not total else ""
        text += f" and {rest} {more}topic minimum{'s' if rest != 1 else ''}"
    return text


def _missing(result: RequirementResult) -> str:
    """What is still missing in the current period, in a few words."""
    if result.kind is RequirementKind.HOURS:
        found: list[tuple[str, Centihours]] = []
        if result.shortfall:
            found.append(("", result.shortfall))
        found.extend((sub.label, sub.shortfall) for sub in result.sub_minimums if sub.shortfall)
        return _brief(found) if found else "not met"
    if result.kind is RequirementKind.CERTIFICATION and result.due_date and not result.met:
        return f"{result.wanted} lapsed {result.due_date.isoformat()}"
    if result.kind is RequirementKind.COURSE and result.wanted.startswith("a class in "):
        # The title already names the topic: say only that no class was taken.
        noun = result.period_noun
        return (
            f"no class this {noun} yet"
            if noun in ("year", "fiscal year", "cycle")
            else ("no class yet")
        )
    return f"needs {result.wanted}" if result.wanted else "not met"


def reason_of(result: RequirementResult) -> str:
    status = result.status
    if status is Status.NOT_APPLICABLE:
        return "not applicable"
    if status is Status.EXEMPT:
        return "exempt"
    due = result.due_date
    if status is Status.COMPLIANT:
        if result.kind is RequirementKind.CERTIFICATION:
            return f"held to {due.isoformat()}" if due else "held"
        return "met"
    if result.met and due is not None:
        # A completion or certificate that runs out within the warning days.
        return f"met; due again {due.isoformat()}"
    missing = _missing(result)
    if status is Status.NON_COMPLIANT:
        noun = result.period_noun or "period"
        if result.make_up_remaining:
            return (
                f"previous {noun} unmet: make up {plain_hours(result.make_up_remaining)} h "
                "(hours now count toward it first)"
            )
        if result.previous_window == UNMET and due is not None and due >= result.as_of:
            before = _brief(result.previous_shortfalls) if result.previous_shortfalls else "missed"
            return f"previous {noun} {before}; now {missing}, due {due.isoformat()}"
        if (
            due is not None
            and due < result.as_of
            and result.kind is not RequirementKind.CERTIFICATION
        ):
            return f"{missing}; overdue since {due.isoformat()}"
        return missing
    return f"{missing}, due {due.isoformat()}" if due is not None else missing


def explanation_of(result: RequirementResult) -> str:
    before, needed, after = _explanation(result)
    parts = list(before)
    if needed:
        parts.append("Still needed: " + "; ".join(needed) + ".")
    parts.extend(after)
    return " ".join(parts)


def explanation_lines_of(result: RequirementResult) -> tuple[str, ...]:
    before, needed, after = _explanation(result)
    listed = ("Still needed:", *(f"• {item}" for item in needed)) if needed else ()
    return (*before, *listed, *after)


def _explanation(
    result: RequirementResult,
) -> tuple[list[str], list[str], list[str]]:
    """The sentences before the list of what is still needed, the list, the sentences after."""
    status = result.status
    if status is Status.NOT_APPLICABLE:
        return ["Not applicable.", *result.details], [], []
    before: list[str] = []
    needed: list[str] = []
    after: list[str] = []
    if status is Status.EXEMPT:
        before.append("Exempt.")
        after.extend(result.adjustments)
        after.extend(result.details)
        after.extend(_period_sentence(result))
        return before, needed, after
    if result.kind is RequirementKind.HOURS:
        before.append(_hours_headline(result))
        needed = _needed(result)
    after.extend(result.details)
    after.extend(_period_sentence(result))
    if status is Status.DUE_SOON and result.due_date is not None:
        days = (result.due_date - result.as_of).days
        if days >= 0:
            after.append(f"Due in {days} day{'s' if days != 1 else ''}." if days else "Due today.")
    after.extend(result.adjustments)
    return before, needed, after


def _period_sentence(result: RequirementResult) -> list[str]:
    """'This cycle: 2022-07-01 to 2025-06-30, due 2025-06-30.' in the period's own word."""
    if result.window_start is None or result.window_end is None:
        return []
    noun = result.period_noun or "period"
    if noun == "deadline":
        return [f"Counts training from {result.window_start.isoformat()}."]
    due = result.due_date
    due_text = f", due {due.isoformat()}" if due and due != result.window_end else ""
    return [
        f"This {noun}: {result.window_start.isoformat()} to {result.window_end.isoformat()}"
        f"{due_text}."
    ]


def _hours_headline(result: RequirementResult) -> str:
    earned = plain_hours(result.earned or 0)
    required = plain_hours(result.adjusted_required or 0)
    if result.met:
        text = f"Met: {earned} of {required} hours"
        if result.sub_minimums:
            text += "; " + ", ".join(
                f"{mid_sentence(sub.label)} {plain_hours(sub.earned)} of "
                f"{plain_hours(sub.adjusted_required)}"
                for sub in result.sub_minimums
            )
        return text + "."
    if (result.earned or 0) >= (result.adjusted_required or 0):
        return f"{earned} of {required} hours, but not every topic minimum is met."
    return f"Not met yet: {earned} of {required} hours."


def _needed(result: RequirementResult) -> list[str]:
    """One item per shortfall: the total, then each topic minimum."""
    items = []
    if result.shortfall:
        items.append(
            f"{plain_hours(result.shortfall)} h more in total "
            f"({plain_hours(result.earned or 0)} of {plain_hours(result.adjusted_required or 0)})"
        )
    items.extend(
        f"{plain_hours(sub.shortfall)} h of {mid_sentence(sub.label)} "
        f"({plain_hours(sub.earned)} of {plain_hours(sub.adjusted_required)})"
        for sub in result.sub_minimums
        if sub.shortfall
    )
    return items


def course_name(record: TrainingRecord | LatestClass) -> str:
    if record.course_number and record.course_number.strip() != record.course_title.strip():
        return f"{record.course_number} {record.course_title}"
    return record.course_title


def without_article(text: str) -> str:
    """'a class in first aid' -> 'class in first aid', to follow "No"."""
    return text[2:] if text.startswith("a ") else text
