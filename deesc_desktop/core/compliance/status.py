"""Where an officer stands: status words, order of urgency, what needs attention.

Defined once here for every screen, report and command.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Status(StrEnum):
    """Where an officer stands on one requirement; see docs/compliance.md for the precedence."""

    COMPLIANT = "compliant"
    DUE_SOON = "due_soon"
    IN_PROGRESS = "in_progress"
    NON_COMPLIANT = "non_compliant"
    EXEMPT = "exempt"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        """The status in plain words: "Non-compliant", "Due soon", "Not applicable"."""
        return _LABELS[self]

    @property
    def severity(self) -> int:
        """0 for the most urgent (non-compliant) to 5 (not applicable): sorting by it puts
        what needs attention first."""
        return BY_SEVERITY.index(self)

    @property
    def needs_attention(self) -> bool:
        """Behind already, or due within the agency's warning days: something to act on now.

        In progress is not: the requirement is not met yet, but its due date is further off
        than the warning days the agency chose as the time to act (see `outstanding`).
        """
        return self is Status.NON_COMPLIANT or self is Status.DUE_SOON

    @property
    def outstanding(self) -> bool:
        """Not met yet: needing attention, or in progress (what an officer still has to do)."""
        return self.needs_attention or self is Status.IN_PROGRESS


_LABELS = {
    Status.COMPLIANT: "Compliant",
    Status.DUE_SOON: "Due soon",
    Status.IN_PROGRESS: "In progress",
    Status.NON_COMPLIANT: "Non-compliant",
    Status.EXEMPT: "Exempt",
    Status.NOT_APPLICABLE: "Not applicable",
}

BY_SEVERITY: tuple[Status, ...] = (
    Status.NON_COMPLIANT,
    Status.DUE_SOON,
    Status.IN_PROGRESS,
    Status.COMPLIANT,
    Status.EXEMPT,
    Status.NOT_APPLICABLE,
)
"""Every status, most urgent first."""

NEEDS_ATTENTION = frozenset(status for status in Status if status.needs_attention)
"""The statuses of the "Needs attention" filters and counts."""


def worst_status(statuses: Iterable[Status]) -> Status:
    """The most urgent of `statuses` (not applicable when there are none): an officer's
    overall status across their requirements."""
    return min(statuses, key=BY_SEVERITY.index, default=Status.NOT_APPLICABLE)


MET = "met"
UNMET = "unmet"
"""How a previous window ended (`RequirementResult.previous_window`)."""
