"""Compliance: each officer against each requirement as of a date, with reasons.

The rules, by module: `status` and `result` (what a result says), `windows` (windows and
what adjusts them: leave, waivers, proration, new hires), one module per kind of
requirement (`periodic`, `deadlines`, `clocks`, `certifications`, with `applicability` and
`outcome` shared by all), `explain` (reasons and explanations in words) and `engine` (one
officer or the whole department). Apart from them, the machinery that makes a whole roster
fast: `needs` (what the bulk path loads), `plan` (requirements compiled once), `ledger`
(each officer's training indexed), `context` and `measure` (sums over a window).
"""

from deesc_desktop.core.compliance.engine import (
    evaluate,
    evaluate_department,
    evaluate_each,
    evaluate_officer,
)
from deesc_desktop.core.compliance.explain import hours_text, period_noun, plain_hours
from deesc_desktop.core.compliance.needs import (
    HoursTotal,
    LatestClass,
    Training,
    TrainingNeeds,
    training_needs,
)
from deesc_desktop.core.compliance.result import (
    RequirementResult,
    SubMinimumResult,
    result_to_dict,
)
from deesc_desktop.core.compliance.status import (
    BY_SEVERITY,
    MET,
    NEEDS_ATTENTION,
    UNMET,
    Status,
    worst_status,
)
from deesc_desktop.core.compliance.windows import (
    LEAVE_PRORATION_NOTE,
    MAKE_UP_WINDOWS,
    make_up_chain,
    policy_notes,
    scale_hours,
)
from deesc_desktop.core.rules import RequirementKind

EVALUATION_REVISION = 1
"""Raised by one with any change to the engine that can change a result (not its speed):
figures an earlier revision kept in a file are then worked out again, not shown as today's
or taken by `deesc check` for figures changed by hand. 1: a previous window judged by the
rule it replaced (2026-12-05)."""

__all__ = [
    "BY_SEVERITY",
    "EVALUATION_REVISION",
    "LEAVE_PRORATION_NOTE",
    "MAKE_UP_WINDOWS",
    "MET",
    "NEEDS_ATTENTION",
    "UNMET",
    "HoursTotal",
    "LatestClass",
    "RequirementKind",
    "RequirementResult",
    "Status",
    "SubMinimumResult",
    "Training",
    "TrainingNeeds",
    "evaluate",
    "evaluate_department",
    "evaluate_each",
    "evaluate_officer",
    "hours_text",
    "make_up_chain",
    "period_noun",
    "plain_hours",
    "policy_notes",
    "result_to_dict",
    "scale_hours",
    "training_needs",
    "worst_status",
]
