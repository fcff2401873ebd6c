"""Bonus eligibility edge cases and the claim workflow's state table."""

from __future__ import annotations

from datetime import date

import pytest

from deesc_desktop.core.bonus import (
    CLAIM_STATUSES,
    TRANSITIONS,
    ProgramRule,
    TransitionError,
    evaluate,
    next_status,
)
from deesc_desktop.core.models import Officer, TrainingRecord

D = date.fromisoformat
ANA = Officer(1, "0101", "Peña", "Ana", D("2019-03-15"))
LABELS = {"de_escalation": "De-escalation", "use_of_force": "Use of force"}
SEPARATED = Officer(
    1, "0101", "Peña", "Ana", D("2019-03-15"), status="separated", separation_date=D("2025-03-01")
)
RULE = ProgramRule(
    start=D("2025-01-01"),
    end=D("2025-12-31"),
    min_hours=800,
    topics=frozenset({"de_escalation"}),
    passing_score=70,
)


def record(
    record_id: int,
    day: str,
    split: dict[str, int],
    *,
    post: float | None = 85,
    title: str = "ICAT De-escalation",
    number: str = "ICAT-8",
) -> TrainingRecord:
    return TrainingRecord(
        id=record_id,
        officer_id=1,
        course_id=1,
        course_title=title,
        course_number=number,
        completed=D(day),
        hours=sum(split.values()),
        topic_hours=tuple(split.items()),
        post_test=post,
    )


def test_exactly_the_minimum_hours_qualifies_and_says_why() -> None:
    found = evaluate(ANA, [record(5, "2025-03-04", {"de_escalation": 800})], RULE)
    assert found.eligible
    assert found.record_ids == (5,)
    assert found.reasons == (
        "active",
        "8.0 of 8.0 h of de escalation between 2025-01-01 and 2025-12-31 "
        "(ICAT De-escalation 2025-03-04 8.0 h)",
        "post-test 85 meets the passing 70",
    )


def test_short_hours_are_reported_with_the_topic_label_and_dates() -> None:
    records = [record(5, "2025-03-04", {"de_escalation": 600, "use_of_force": 200})]
    found = evaluate(ANA, records, RULE, topic_labels=LABELS)
    assert not found.eligible
    assert found.lacking == ("6.0 of 8.0 h of de-escalation between 2025-01-01 and 2025-12-31",)
    assert found.hours == 600


@pytest.mark.parametrize("day", ["2024-12-31", "2026-01-01"])
def test_training_one_day_outside_the_program_does_not_count(day: str) -> None:
    found = evaluate(ANA, [record(5, day, {"de_escalation": 800})], RULE, topic_labels=LABELS)
    assert not found.eligible and found.record_ids == ()
    assert found.lacking == ("0.0 of 8.0 h of de-escalation between 2025-01-01 and 2025-12-31",)


@pytest.mark.parametrize("day", ["2025-01-01", "2025-12-31"])
def test_training_on_the_first_and_last_program_days_counts(day: str) -> None:
    assert evaluate(ANA, [record(5, day, {"de_escalation": 800})], RULE).eligible


def test_a_failed_post_test_is_lacking_with_the_scores() -> None:
    found = evaluate(ANA, [record(5, "2025-03-04", {"de_escalation": 800}, post=68)], RULE)
    assert found.lacking == ("post-test 68 below the passing 70",)


def test_a_retake_that_passes_qualifies_on_the_best_score() -> None:
    records = [
        record(5, "2025-03-04", {"de_escalation": 400}, post=68),
        record(6, "2025-09-04", {"de_escalation": 400}, post=74.5),
    ]
    found = evaluate(ANA, records, RULE)
    assert found.eligible and found.best_post_test == 74.5 and found.record_ids == (5, 6)


def test_a_missing_post_test_is_lacking_when_one_is_required() -> None:
    found = evaluate(ANA, [record(5, "2025-03-04", {"de_escalation": 800}, post=None)], RULE)
    assert found.lacking == ("no post-test score recorded (passing is 70)",)
    no_test = ProgramRule(D("2025-01-01"), D("2025-12-31"), 800, frozenset({"de_escalation"}))
    assert evaluate(
        ANA, [record(5, "2025-03-04", {"de_escalation": 800}, post=None)], no_test
    ).eligible


def test_a_separated_officer_is_not_eligible_even_with_the_training() -> None:
    gone = SEPARATED
    found = evaluate(gone, [record(5, "2025-02-04", {"de_escalation": 800})], RULE)
    assert found.lacking == ("separated 2025-03-01",)


def test_an_officer_on_leave_is_still_employed_and_eligible() -> None:
    away = Officer(1, "0101", "Peña", "Ana", D("2019-03-15"), status="leave")
    found = evaluate(away, [record(5, "2025-02-04", {"de_escalation": 800})], RULE)
    assert found.eligible and found.reasons[0] == "on leave, still employed"


def test_everything_lacking_is_listed_together() -> None:
    gone = SEPARATED
    found = evaluate(gone, [record(5, "2025-02-04", {"de_escalation": 600}, post=50)], RULE)
    assert len(found.lacking) == 3
    assert found.lacking[0] == "separated 2025-03-01"
    assert found.lacking[2] == "post-test 50 below the passing 70"


def test_courses_match_by_title_or_number_ignoring_case() -> None:
    by_course = ProgramRule(D("2025-01-01"), D("2025-12-31"), 800, courses=("icat-8",))
    other = record(6, "2025-05-01", {"de_escalation": 800}, title="Verbal Judo", number="VJ-1")
    found = evaluate(ANA, [record(5, "2025-03-04", {"use_of_force": 800}), other], by_course)
    assert found.eligible and found.record_ids == (5,)  # whole hours of the course count
    by_title = ProgramRule(D("2025-01-01"), D("2025-12-31"), 800, courses=("ICAT DE-ESCALATION",))
    assert evaluate(ANA, [record(5, "2025-03-04", {"use_of_force": 800})], by_title).eligible


def test_courses_and_topics_together_count_only_topic_hours_of_those_courses() -> None:
    both = ProgramRule(
        D("2025-01-01"),
        D("2025-12-31"),
        800,
        topics=frozenset({"de_escalation"}),
        courses=("ICAT De-escalation",),
    )
    records = [
        record(5, "2025-03-04", {"de_escalation": 400, "use_of_force": 400}),
        record(6, "2025-05-01", {"de_escalation": 800}, title="Verbal Judo", number="VJ-1"),
    ]
    found = evaluate(ANA, records, both, topic_labels=LABELS)
    assert found.lacking[0] == (
        "4.0 of 8.0 h of de-escalation in ICAT De-escalation between 2025-01-01 and 2025-12-31"
    )


# --- the workflow --------------------------------------------------------------------------------

EXPECTED = {
    ("draft", "submit"): "submitted",
    ("draft", "void"): "voided",
    ("submitted", "approve"): "approved",
    ("submitted", "deny"): "denied",
    ("submitted", "void"): "voided",
    ("approved", "pay"): "paid",
    ("approved", "void"): "voided",
}


@pytest.mark.parametrize("status", list(CLAIM_STATUSES))
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_every_transition_is_allowed_or_refused(status: str, action: str) -> None:
    expected = EXPECTED.get((status, action))
    if expected:
        assert next_status(action, 12, status) == expected
    else:
        with pytest.raises(TransitionError, match=f"Claim #12 is {status}; only a"):
            next_status(action, 12, status)


def test_refusals_name_the_states_that_would_do() -> None:
    with pytest.raises(TransitionError, match=r"only a draft, submitted or approved claim can"):
        next_status("void", 3, "paid")
    with pytest.raises(TransitionError, match=r"^Claim #3 is paid; only a submitted claim can"):
        next_status("approve", 3, "paid")
    with pytest.raises(TransitionError, match=r"^Claim #3 is draft; only an approved claim can"):
        next_status("pay", 3, "draft")
