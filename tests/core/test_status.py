"""One status vocabulary: the words, the order of urgency and what needs attention."""

from __future__ import annotations

from deesc_desktop.core.compliance import BY_SEVERITY, NEEDS_ATTENTION, Status, worst_status


def test_each_status_has_one_label_in_plain_words() -> None:
    assert [status.label for status in BY_SEVERITY] == [
        "Non-compliant",
        "Due soon",
        "In progress",
        "Compliant",
        "Exempt",
        "Not applicable",
    ]


def test_sorting_by_severity_puts_the_most_urgent_first() -> None:
    assert sorted(Status, key=lambda status: status.severity) == list(BY_SEVERITY)
    assert worst_status([Status.COMPLIANT, Status.EXEMPT, Status.IN_PROGRESS]) is Status.IN_PROGRESS
    assert worst_status(s for s in (Status.DUE_SOON, Status.NON_COMPLIANT)) is Status.NON_COMPLIANT
    assert worst_status([]) is Status.NOT_APPLICABLE


def test_needs_attention_is_behind_or_due_within_the_warning_days() -> None:
    """In progress is outstanding (not met yet) but due later than the warning days the
    agency chose as the time to act, so it does not need attention yet."""
    assert {Status.NON_COMPLIANT, Status.DUE_SOON} == NEEDS_ATTENTION
    assert {status for status in Status if status.needs_attention} == NEEDS_ATTENTION
    assert {status for status in Status if status.outstanding} == {
        Status.NON_COMPLIANT,
        Status.DUE_SOON,
        Status.IN_PROGRESS,
    }
