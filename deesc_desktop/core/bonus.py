"""De-escalation completion bonus: who qualifies for a program, and the claim workflow's states.

Pure functions over core records. The rule a program sets (documented in docs/bonus-claims.md):
- training counts when completed between the program's start and end dates (inclusive) and
  matches the program: one of its courses (by title or course number, ignoring case) when it
  names courses, and hours in its topics when it names topics. With both, only the listed
  courses count, and only their hours in the listed topics;
- the counted hours must reach the program's minimum;
- when the program sets a passing post-test score, at least one counted record must carry a
  post-test at or above it;
- the officer must not be separated when the claim is made (on leave is still employed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from deesc_desktop.core.hours import Centihours, format_hours
from deesc_desktop.core.models import Officer, TrainingRecord
from deesc_desktop.core.money import Cents

CLAIM_STATUSES: dict[str, str] = {
    "draft": "Draft",
    "submitted": "Submitted",
    "approved": "Approved",
    "paid": "Paid",
    "denied": "Denied",
    "voided": "Voided",
}
"""Every state a claim can be in, with its label."""

FUNDING_KINDS: dict[str, str] = {
    "cops_deescalation": "COPS de-escalation grant (CPD)",
    "byrne_jag": "Byrne JAG",
    "ledta": "LEDTA grant",
    "state_grant": "State grant",
    "local_budget": "Local budget",
    "other": "Other",
}
"""Kinds of funding source a bonus is paid from, with their labels."""

FEDERAL_GRANT_KINDS = ("cops_deescalation", "ledta", "byrne_jag")
"""Federal programs whose allowable costs are training, overtime and the like, not bonuses
(COPS CPD de-escalation awards; LEDTA, 34 USC 10159(b); Byrne JAG)."""


def bonus_funding_warning(kind: str, source: str = "") -> str | None:
    """A warning when a bonus is paid from a federal grant, or None."""
    if kind not in FEDERAL_GRANT_KINDS:
        return None
    named = f"{source} ({FUNDING_KINDS[kind]})" if source else FUNDING_KINDS[kind]
    return (
        f"Bonuses are not an allowable cost under {named}: COPS de-escalation, LEDTA and Byrne "
        "JAG awards pay for training, overtime and materials. Pay the bonus from the local "
        "budget or another source that allows it, or confirm with the grant manager."
    )


OPEN_OR_PAID = ("draft", "submitted", "approved", "paid")
"""States that hold an officer's one claim in a one-time program (denied and voided free it)."""

TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": (("draft",), "submitted"),
    "approve": (("submitted",), "approved"),
    "deny": (("submitted",), "denied"),
    "void": (("draft", "submitted", "approved"), "voided"),
    "pay": (("approved",), "paid"),
}
"""action -> (the states it may start from, the state it leads to). Nothing leaves paid,
denied or voided: a paid claim is corrected with an adjustment, never changed."""

_PAST = {
    "submit": "submitted",
    "approve": "approved",
    "deny": "denied",
    "void": "voided",
    "pay": "paid",
}


class TransitionError(ValueError):
    """A workflow step the claim's state does not allow; the message says which would."""


def next_status(action: str, claim_id: int, status: str) -> str:
    """The state `action` leads to from `status`, or TransitionError saying why not."""
    if action not in TRANSITIONS:
        raise ValueError(f"unknown claim action {action!r}")
    sources, target = TRANSITIONS[action]
    if status not in sources:
        allowed = _or_list(sources)
        article = "an" if allowed[0] in "aeiou" else "a"
        raise TransitionError(
            f"Claim #{claim_id} is {status}; only {article} {allowed} claim can be {_PAST[action]}."
        )
    return target


def _or_list(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} or {items[-1]}"


@dataclass(frozen=True, slots=True)
class ProgramRule:
    """What training qualifies for a bonus program."""

    start: date
    end: date
    min_hours: Centihours
    topics: frozenset[str] = frozenset()
    courses: tuple[str, ...] = ()
    """Course titles or numbers, as entered."""
    passing_score: float | None = None

    def matches_course(self, record: TrainingRecord) -> bool:
        if not self.courses:
            return True
        wanted = {c.strip().casefold() for c in self.courses}
        return record.course_title.strip().casefold() in wanted or (
            bool(record.course_number.strip()) and record.course_number.strip().casefold() in wanted
        )

    def counted_hours(self, record: TrainingRecord) -> Centihours:
        """Hours of `record` that count: 0 when it does not match or falls outside the dates."""
        if not (self.start <= record.completed <= self.end) or not self.matches_course(record):
            return 0
        if not self.topics:
            return record.hours
        return sum(hours for code, hours in record.topic_hours if code in self.topics)

    def describe(self, topic_labels: Mapping[str, str] | None = None) -> str:
        """What counts, as a phrase: "de-escalation", "ICAT De-escalation", or both."""
        labels = topic_labels or {}
        topics = _or_list(
            sorted(labels.get(code, code.replace("_", " ")).lower() for code in self.topics)
        )
        courses = _or_list(list(self.courses))
        if self.topics and self.courses:
            return f"{topics} in {courses}"
        return topics or courses


@dataclass(frozen=True, slots=True)
class Program:
    """A bonus program: its rule, its frozen-at-claim amount and where the money comes from."""

    id: int
    name: str
    amount: Cents
    rule: ProgramRule
    one_time: bool = True
    funding_source_id: int | None = None


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Whether one officer qualifies for one program, and why or why not.

    `reasons` explain a yes; `lacking` lists everything missing for a no (empty when eligible).
    `record_ids` are the training records that count, the claim's evidence.
    """

    officer_id: int
    hours: Centihours
    record_ids: tuple[int, ...]
    reasons: tuple[str, ...]
    lacking: tuple[str, ...]
    best_post_test: float | None = None

    @property
    def eligible(self) -> bool:
        return not self.lacking


def _score(value: float) -> str:
    return f"{value:g}"


def evaluate(
    officer: Officer,
    records: Iterable[TrainingRecord],
    rule: ProgramRule,
    *,
    topic_labels: Mapping[str, str] | None = None,
) -> Eligibility:
    """Check one officer against a program's rule, with reasons either way."""
    counted = [(r, rule.counted_hours(r)) for r in records]
    counted = [(r, h) for r, h in counted if h > 0]
    hours = sum(h for _, h in counted)
    what = rule.describe(topic_labels)
    between = f"between {rule.start.isoformat()} and {rule.end.isoformat()}"
    reasons: list[str] = []
    lacking: list[str] = []
    if officer.status == "separated":
        when = officer.separation_date.isoformat() if officer.separation_date else "(no date)"
        lacking.append(f"separated {when}")
    elif officer.status == "leave":
        reasons.append("on leave, still employed")
    else:
        reasons.append("active")
    if hours >= rule.min_hours:
        evidence = ", ".join(
            f"{r.course_title} {r.completed.isoformat()} {format_hours(h)} h" for r, h in counted
        )
        reasons.append(
            f"{format_hours(hours)} of {format_hours(rule.min_hours)} h of {what} {between}"
            f" ({evidence})"
        )
    else:
        lacking.append(
            f"{format_hours(hours)} of {format_hours(rule.min_hours)} h of {what} {between}"
        )
    scores = [r.post_test for r, _ in counted if r.post_test is not None]
    best = max(scores) if scores else None
    # With no counted training the hours shortfall says it all; "no post-test" would be noise.
    if rule.passing_score is not None and counted:
        passing = _score(rule.passing_score)
        if best is None:
            lacking.append(f"no post-test score recorded (passing is {passing})")
        elif best < rule.passing_score:
            lacking.append(f"post-test {_score(best)} below the passing {passing}")
        else:
            reasons.append(f"post-test {_score(best)} meets the passing {passing}")
    return Eligibility(
        officer_id=officer.id,
        hours=hours,
        record_ids=tuple(r.id for r, _ in counted),
        reasons=tuple(reasons),
        lacking=tuple(lacking),
        best_post_test=best,
    )


def total(amounts: Iterable[Cents]) -> Cents:
    """An exact sum of amounts in cents (refusing a float that slipped in)."""
    result = 0
    for amount in amounts:
        if not isinstance(amount, int) or isinstance(amount, bool):
            raise TypeError(f"money must be integer cents, not {amount!r}")
        result += amount
    return result
