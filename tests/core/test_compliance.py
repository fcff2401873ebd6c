"""Compliance evaluation: counting, adjustments, new hires, applicability and statuses."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from itertools import count
from pathlib import Path

import pytest

from deesc_desktop.core.compliance import (
    RequirementResult,
    Status,
    evaluate,
    evaluate_department,
    evaluate_officer,
    result_to_dict,
    scale_hours,
)
from deesc_desktop.core.compliance.plan import predecessor_of
from deesc_desktop.core.models import Agency, Certification, Exemption, Officer, TrainingRecord
from deesc_desktop.core.rules import Requirement, parse_pack

AGENCY = Agency("Test PD", "IL")
_ids = count(1)

PACK = """
jurisdiction = "T"
name = "Test"
version = "1"

[[requirements]]
id = "IL-inservice-30h"
title = "In-service training: 30 hours every 3 years"
effective_from = 2022-07-01
hours = 30
period = { kind = "fixed_cycle", anchor = 2022-07-01, years = 3 }

[[requirements.sub_minimums]]
label = "Scenario-based training"
hours = 12
delivery = ["scenario"]

[[requirements.sub_minimums]]
label = "Use of force / de-escalation"
hours = 6
topics = ["use_of_force", "de_escalation"]

[[requirements.sub_minimums]]
label = "High-risk traffic stops"
hours = 6
topics = ["high_risk_traffic_stops"]

[[requirements]]
id = "YEAR-12h"
title = "12 hours a year"
effective_from = 2000-01-01
hours = 12
period = { kind = "calendar_year" }

[[requirements]]
id = "YEAR-12h-exempt-first"
title = "12 hours a year, first year free"
effective_from = 2000-01-01
hours = 12
new_hire = "exempt_first_period"
period = { kind = "calendar_year" }

[[requirements]]
id = "YEAR-12h-full"
title = "12 hours a year, no proration"
effective_from = 2000-01-01
hours = 12
new_hire = "full"
period = { kind = "calendar_year" }

[[requirements]]
id = "ROLL-8h"
title = "8 hours in any 12 months"
effective_from = 2000-01-01
hours = 8
period = { kind = "rolling", months = 12 }

[[requirements]]
id = "UOF-course"
title = "A use-of-force class every year"
effective_from = 2000-01-01
course = []
topics = ["use_of_force"]
period = { kind = "calendar_year" }

[[requirements]]
id = "CIT-40h-once"
title = "40-hour CIT within 24 months of licence"
effective_from = 2018-04-01
course = ["1850"]
new_hire = "full"
period = { kind = "one_time", months = 24, from = "license" }
applies_to = { licensed_on_or_after = 2018-04-01 }

[[requirements]]
id = "DEESC-5yr"
title = "2 hours of de-escalation every 5 years"
effective_from = 2010-01-01
hours = 2
topics = ["de_escalation"]
new_hire = "full"
period = { kind = "since_last_completion", years = 5, from = "license" }

[[requirements]]
id = "CIT-cert"
title = "CIT certification"
effective_from = 2000-01-01
certification = "cit"

[[requirements]]
id = "ICAT-ever"
title = "ICAT course"
effective_from = 2021-01-01
course = ["ICAT/ABLE"]

[[requirements]]
id = "SGT-only"
title = "Sergeants' annual supervision class"
effective_from = 2000-01-01
hours = 4
period = { kind = "calendar_year" }
applies_to = { ranks = ["Sergeant"], units = ["Patrol", "K9"], shifts = ["Days"] }
"""
REQ = {r.id: r for r in parse_pack(PACK, "test.toml").requirements}


def officer(
    hire: str = "2010-01-04",
    license: str | None = "2010-01-04",
    oid: int = 1,
    **fields: object,
) -> Officer:
    return Officer(
        id=oid,
        badge=str(oid),
        last_name="Doe",
        first_name="Jan",
        hire_date=date.fromisoformat(hire),
        license_date=date.fromisoformat(license) if license else None,
        **fields,  # type: ignore[arg-type]
    )


def rec(
    day: str,
    hours: float,
    *topics: str,
    delivery: str = "classroom",
    number: str = "",
    title: str = "Class",
    oid: int = 1,
) -> TrainingRecord:
    """A record whose hours are split evenly over `topics` (default: firearms)."""
    cents = round(hours * 100)
    codes = topics or ("firearms",)
    share, rest = divmod(cents, len(codes))
    split = tuple((code, share + (rest if i == 0 else 0)) for i, code in enumerate(codes))
    return TrainingRecord(
        id=next(_ids),
        officer_id=oid,
        course_id=1,
        course_title=title,
        completed=date.fromisoformat(day),
        hours=cents,
        topic_hours=split,
        delivery=delivery,
        course_number=number,
    )


def leave(
    start: str,
    end: str,
    *requirements: str,
    reason: str = "Medical leave",
    granted_by: str = "ILETSB",
    granted_on: str | None = None,
) -> Exemption:
    """Leave with a recorded waiver (granted on its first day unless said): the month rule
    applies to it whatever the agency's proration policy; granted_by="" is plain leave."""
    return Exemption(
        id=next(_ids),
        officer_id=1,
        start=date.fromisoformat(start),
        end=date.fromisoformat(end),
        reason=reason,
        requirement_ids=frozenset(requirements),
        granted_by=granted_by,
        reference="W-1" if granted_by else "",
        granted_on=date.fromisoformat(granted_on or start) if granted_by else None,
    )


def check(
    requirement_id: str,
    records: Sequence[TrainingRecord] = (),
    as_of: str = "2024-06-15",
    who: Officer | None = None,
    exemptions: Sequence[Exemption] = (),
    certifications: Sequence[Certification] = (),
    agency: Agency = AGENCY,
) -> RequirementResult:
    return evaluate(
        who or officer(),
        REQ[requirement_id],
        records,
        exemptions,
        certifications,
        date.fromisoformat(as_of),
        agency,
    )


# --- counting ------------------------------------------------------------------------------------


def test_illinois_overlapping_sub_minimums() -> None:
    """6 h of scenario-based use of force count once toward the 30 h total and toward both
    the 12 h scenario minimum and the 6 h use-of-force minimum.

    Records: 6 h scenario use of force + 6 h scenario traffic stops + 18 h classroom
    firearms = 30 h total; scenario 6 + 6 = 12; use of force 6; traffic stops 6: all met.
    """
    records = [
        rec("2023-03-01", 6, "use_of_force", delivery="scenario"),
        rec("2023-04-01", 6, "high_risk_traffic_stops", delivery="scenario"),
        rec("2024-01-10", 18),
    ]
    result = check("IL-inservice-30h", records, as_of="2025-05-01")
    assert result.status is Status.COMPLIANT
    assert (result.earned, result.adjusted_required, result.shortfall) == (3000, 3000, 0)
    assert [(s.label, s.earned, s.shortfall) for s in result.sub_minimums] == [
        ("Scenario-based training", 1200, 0),
        ("Use of force / de-escalation", 600, 0),
        ("High-risk traffic stops", 600, 0),
    ]


def test_illinois_short_on_one_sub_minimum_reads_like_the_design() -> None:
    """4 h scenario use of force + 8 h scenario traffic stops + 18 h other = 30 h, scenario
    12 h met, traffic 8 h met, use of force 4 of 6: short 2.0 h."""
    records = [
        rec("2023-03-01", 4, "use_of_force", delivery="scenario"),
        rec("2023-04-01", 8, "high_risk_traffic_stops", delivery="scenario"),
        rec("2024-01-10", 18),
    ]
    result = check("IL-inservice-30h", records, as_of="2024-06-15")
    assert result.status is Status.IN_PROGRESS
    assert result.shortfall == 0
    assert result.sub_minimums[1].shortfall == 200
    assert result.explanation == (
        "30 of 30 hours, but not every topic minimum is met. Still needed: 2 h of use of force "
        "/ de-escalation (4 of 6). This cycle: 2022-07-01 to 2025-06-30."
    )
    assert result.explanation_lines == (
        "30 of 30 hours, but not every topic minimum is met.",
        "Still needed:",
        "• 2 h of use of force / de-escalation (4 of 6)",
        "This cycle: 2022-07-01 to 2025-06-30.",
    )
    assert result.reason == "short 2 h of use of force / de-escalation, due 2025-06-30"


def test_a_record_counts_inside_the_window_and_on_or_before_as_of() -> None:
    """Calendar 2024, as of 2024-06-15: 2023-12-31 is before the window, 2024-06-16 after the
    as-of date; 2024-01-01 and 2024-06-15 (both boundaries) count: 3 + 4 = 7 h."""
    records = [
        rec("2023-12-31", 5),
        rec("2024-01-01", 3),
        rec("2024-06-15", 4),
        rec("2024-06-16", 6),
    ]
    result = check("YEAR-12h", records)
    assert result.earned == 700
    assert (result.window_start, result.window_end) == (date(2024, 1, 1), date(2024, 12, 31))


def test_records_in_any_order_are_counted_the_same() -> None:
    records = [rec("2024-05-01", 2), rec("2024-02-01", 3), rec("2023-07-01", 9)]
    assert (
        check("YEAR-12h", records).earned
        == check("YEAR-12h", sorted(records, key=lambda r: r.completed)).earned
        == 500
    )


def test_topic_filter_counts_only_the_hours_of_those_topics() -> None:
    """A 4 h class split 2 h de-escalation / 2 h firearms gives 2 h toward the 5-year
    de-escalation requirement, which needs 2 h: completed."""
    result = check(
        "DEESC-5yr", [rec("2020-06-01", 4, "de_escalation", "firearms")], as_of="2021-01-01"
    )
    assert result.earned == 200
    assert result.met


# --- exemptions ----------------------------------------------------------------------------------


def test_illinois_30_hours_with_4_months_waived_is_26_67() -> None:
    """Window 2022-07-01 to 2025-06-30 = 36 months; leave 2023-01-01 to 2023-04-30 waives
    4 months: 30 h x 32 / 36 = 26.666... -> 26.67 h; scenario 12 x 32/36 = 10.67; the
    6-hour minimums 6 x 32/36 = 5.33."""
    result = check("IL-inservice-30h", [], exemptions=[leave("2023-01-01", "2023-04-30")])
    assert (result.required, result.adjusted_required) == (3000, 2667)
    assert [s.adjusted_required for s in result.sub_minimums] == [1067, 533, 533]
    assert result.adjustments == (
        "Leave or exemption: 4 of 36 months waived (Jan 2023 to Apr 2023: Medical leave, "
        "waiver granted by ILETSB (ref W-1) on 2023-01-01).",
        "Required 26.67 h = 30 h x 32 active months / 36 months (topic minimums scaled the "
        "same way).",
    )
    assert "Required 26.67 h" in result.explanation


def test_a_month_is_waived_from_15_exempt_days() -> None:
    """Calendar 2024 (12 months, 12 h): leave 2024-03-17 to 2024-03-31 is 15 days of March:
    waived, 11 h. One day less (from the 18th, 14 days) waives nothing."""
    assert (
        check("YEAR-12h", exemptions=[leave("2024-03-17", "2024-03-31")]).adjusted_required == 1100
    )
    assert (
        check("YEAR-12h", exemptions=[leave("2024-03-18", "2024-03-31")]).adjusted_required == 1200
    )


def test_leave_split_across_two_months_waives_neither_unless_15_days_in_one() -> None:
    """2024-03-20 to 2024-04-10: 12 days of March, 10 of April: nothing waived."""
    assert check("YEAR-12h", exemptions=[leave("2024-03-20", "2024-04-10")]).adjustments == ()


def test_overlapping_exemptions_count_each_day_once() -> None:
    """Jan 1-10 and Jan 3-9 cover 10 distinct days of January (not 10 + 7 = 17): not waived.
    Jan 1-10 and Jan 6-20 cover 20 days: waived once, 11 h (not two months)."""
    assert (
        check(
            "YEAR-12h",
            exemptions=[leave("2024-01-01", "2024-01-10"), leave("2024-01-03", "2024-01-09")],
        ).adjusted_required
        == 1200
    )
    assert (
        check(
            "YEAR-12h",
            exemptions=[leave("2024-01-01", "2024-01-10"), leave("2024-01-06", "2024-01-20")],
        ).adjusted_required
        == 1100
    )


def test_targeted_exemption_applies_only_to_its_requirements() -> None:
    """Leave for all of 2024 H1 (6 months) targeted at YEAR-12h halves it to 6 h; the same
    leave targeted at another requirement changes nothing; a blanket one applies to all."""
    h1 = ("2024-01-01", "2024-06-30")
    assert check("YEAR-12h", exemptions=[leave(*h1, "YEAR-12h")]).adjusted_required == 600
    assert check("YEAR-12h", exemptions=[leave(*h1, "IL-inservice-30h")]).adjusted_required == 1200
    assert check("YEAR-12h", exemptions=[leave(*h1)]).adjusted_required == 600
    assert check("ROLL-8h", exemptions=[leave(*h1, "YEAR-12h")]).adjustments == ()


def test_a_fully_waived_window_is_exempt_with_the_reason() -> None:
    """A waiver from 2023-12-01 to 2025-01-31 covers the whole of 2024 once 2024 is over
    (days still to come never count)."""
    result = check(
        "YEAR-12h",
        [rec("2024-02-01", 3)],
        as_of="2024-12-31",
        exemptions=[leave("2023-12-01", "2025-01-31", reason="Military deployment")],
    )
    assert result.status is Status.EXEMPT
    assert (result.required, result.adjusted_required, result.earned) == (1200, 0, 300)
    assert not result.met
    assert (
        "12 of 12 months waived (Jan 2024 to Dec 2024: Military deployment, waiver granted"
        in result.explanation
    )
    assert result.explanation.startswith("Exempt.")


def test_leave_without_a_waiver_reduces_nothing_unless_the_agency_prorates() -> None:
    """Only a recorded waiver (who granted it, when) reduces the hours; plain leave does
    only under the agency's own proration policy, and the result says which applied."""
    plain = leave("2024-01-01", "2024-03-31", granted_by="")
    off = check("YEAR-12h", exemptions=[plain])
    assert off.adjusted_required == 1200
    assert off.adjustments == (
        "Leave recorded (Medical leave 2024-01-01 to 2024-03-31) does not reduce the hours: no "
        "waiver is recorded for it and the agency does not prorate leave.",
    )
    policy = Agency("Test PD", "IL", leave_proration=True)
    on = check("YEAR-12h", exemptions=[plain], agency=policy)
    assert on.adjusted_required == 900
    assert on.adjustments[0] == (
        "Leave or exemption: 3 of 12 months waived (Jan 2024 to Mar 2024: Medical leave, under "
        "the agency's leave proration policy)."
    )


def test_leave_and_waivers_count_only_once_they_have_happened() -> None:
    """As of 2024-02-10 a waiver for 2024-01-01 to 2024-06-30 covers January only (15+ days
    of February are still to come); as of 2024-07-01 it covers six months. A waiver granted
    on 2024-08-01 does not count on a report dated before that."""
    waiver = leave("2024-01-01", "2024-06-30")
    assert check("YEAR-12h", as_of="2024-02-10", exemptions=[waiver]).adjusted_required == 1100
    assert check("YEAR-12h", as_of="2024-07-01", exemptions=[waiver]).adjusted_required == 600
    late = leave("2024-01-01", "2024-06-30", granted_on="2024-08-01")
    assert check("YEAR-12h", as_of="2024-07-15", exemptions=[late]).adjusted_required == 1200
    assert check("YEAR-12h", as_of="2024-08-01", exemptions=[late]).adjusted_required == 600


def test_the_certification_year_is_excused_with_exempt_license_period() -> None:
    """new_hire = "exempt_license_period" (GA, OH, WA, WI, AZ): the year holding the licence
    date requires nothing; the next one the full hours, even for a lateral hire."""
    pack = parse_pack(
        'jurisdiction = "GA"\nname = "G"\nversion = "1"\n[[requirements]]\nid = "GA"\n'
        'title = "T"\neffective_from = 2015-01-01\nhours = 20\n'
        'new_hire = "exempt_license_period"\nperiod = { kind = "calendar_year" }\n',
        "GA.toml",
    )
    requirement = pack.requirements[0]
    rookie = officer(hire="2024-03-01", license="2024-06-20")

    def run(who: Officer, as_of: str) -> RequirementResult:
        return evaluate(who, requirement, [], [], [], date.fromisoformat(as_of), AGENCY)

    first = run(rookie, "2024-10-01")
    assert first.status is Status.EXEMPT
    assert "Certified 2024-06-20, in this year" in first.explanation
    assert run(rookie, "2025-10-01").adjusted_required == 2000
    lateral = officer(hire="2024-03-01", license="2012-05-01")
    assert run(lateral, "2024-10-01").adjusted_required == 2000
    # With no licence date the hire date stands in, and the result says so rather than
    # calling the hire date a certification date.
    unknown = run(officer(hire="2024-03-01", license=None), "2024-10-01")
    assert unknown.status is Status.EXEMPT
    assert "Certified 2024-03-01" not in unknown.explanation
    assert (
        "No licence date recorded: the hire date 2024-03-01 is taken as the certification date"
        in unknown.explanation
    )


def test_exemption_outside_the_window_is_ignored() -> None:
    assert (
        check("YEAR-12h", exemptions=[leave("2023-01-01", "2023-12-31")]).adjusted_required == 1200
    )


def test_a_course_is_not_reduced_by_a_partial_exemption() -> None:
    hired = officer(hire="2024-01-01")
    result = check("UOF-course", who=hired, exemptions=[leave("2024-01-01", "2024-03-31")])
    assert result.status is Status.IN_PROGRESS
    assert "A class is still required when only part of the year is waived." in result.adjustments


def test_scale_hours_rounds_half_up_in_integers() -> None:
    assert scale_hours(3000, 32, 36) == 2667
    assert scale_hours(1, 1, 2) == 1  # 0.005 h rounds up to 0.01
    assert scale_hours(1200, 11, 12) == 1100
    assert scale_hours(2400, 7, 36) == 467  # 466.67


# --- new hires -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hire", "required", "why"),
    [
        ("2024-04-14", 900, "30-day April, 17 days employed: April counts, 9 of 12 months"),
        ("2024-04-15", 900, "16 days employed: April counts"),
        ("2024-04-17", 800, "14 days employed: April does not count, 8 of 12 months"),
        ("2024-03-17", 1000, "31-day March, 15 days employed: March counts, 10 of 12"),
        ("2024-03-18", 900, "14 days employed in March: 9 of 12"),
        ("2024-02-15", 1100, "leap February 2024: 15 days employed counts, 11 of 12"),
        ("2024-01-01", 1200, "hired on the first day of the window: nothing to prorate"),
    ],
)
def test_prorating_a_new_hire(hire: str, required: int, why: str) -> None:
    """12 h for calendar 2024: months before the hire month are inactive, and the hire month
    too when fewer than 15 days (hire date through month end) were employed."""
    result = check("YEAR-12h", who=officer(hire=hire, license=hire), as_of="2024-12-01")
    assert result.adjusted_required == required, why


def test_prorating_in_a_common_year_february() -> None:
    """Hired 2023-02-15: 14 days employed of a 28-day February: 10 of 12 months, 10 h."""
    result = check("YEAR-12h", who=officer(hire="2023-02-15"), as_of="2023-12-01")
    assert result.adjusted_required == 1000
    assert result.adjustments[0] == (
        "New hire (2023-02-15): 2 of 12 months not counted (Jan 2023 to Feb 2023), including "
        "the hire month: 14 days employed, fewer than 15."
    )


def test_exempt_first_period_requires_nothing_in_the_hire_window() -> None:
    hired = officer(hire="2024-03-04")
    result = check("YEAR-12h-exempt-first", who=hired)
    assert result.status is Status.EXEMPT
    assert "Hired 2024-03-04, during this year: a new hire's first year requires nothing." in (
        result.explanation
    )
    assert "new_hire" not in result.explanation and "window" not in result.explanation
    next_year = check("YEAR-12h-exempt-first", who=hired, as_of="2025-03-01")
    assert (next_year.status, next_year.adjusted_required) == (Status.IN_PROGRESS, 1200)
    # The first window was exempt, so it is not an unmet previous window.
    assert next_year.previous_window is None


def test_full_new_hire_rule_changes_nothing() -> None:
    result = check("YEAR-12h-full", who=officer(hire="2024-11-20"), as_of="2024-12-01")
    assert (result.adjusted_required, result.adjustments) == (1200, ())
    assert result.status is Status.DUE_SOON


def test_hire_proration_and_leave_count_a_month_once() -> None:
    """Hired 2024-04-01 (Jan-Mar inactive) with leave covering March-May: March is already
    inactive, so only April and May are waived: 12 - 3 - 2 = 7 active months, 7 h."""
    result = check(
        "YEAR-12h", who=officer(hire="2024-04-01"), exemptions=[leave("2024-03-01", "2024-05-31")]
    )
    assert result.adjusted_required == 700


# --- statuses ------------------------------------------------------------------------------------


def test_due_soon_uses_the_agency_warning_days() -> None:
    """IL window ends 2025-06-30. As of 2025-04-01 that is 90 days away: due_soon with the
    default 90 warning days, in_progress with 30."""
    assert check("IL-inservice-30h", as_of="2025-04-01").status is Status.DUE_SOON
    assert check("IL-inservice-30h", as_of="2025-03-31").status is Status.IN_PROGRESS
    short_warning = Agency("Test PD", "IL", warning_days=30)
    assert (
        check("IL-inservice-30h", as_of="2025-04-01", agency=short_warning).status
        is Status.IN_PROGRESS
    )
    assert "Due in 90 days." in check("IL-inservice-30h", as_of="2025-04-01").explanation


def test_non_compliant_after_an_unmet_window_until_the_new_one_is_met() -> None:
    """2023 ended with 10 of 12 h: as of 2024-02-01 the officer is non_compliant; 12 h in
    January 2024 make them compliant again."""
    records = [rec("2023-05-01", 10)]
    late = check("YEAR-12h", records, as_of="2024-02-01")
    assert (late.status, late.previous_window) == (Status.NON_COMPLIANT, "unmet")
    assert (
        "The previous year (2023-01-01 to 2023-12-31) ended short of 2 h. The officer stays "
        "non-compliant until this year's requirement is met, due 2024-12-31."
    ) in late.explanation
    assert late.reason == "previous year short 2 h; now short 12 h, due 2024-12-31"
    caught_up = check("YEAR-12h", [*records, rec("2024-01-20", 12)], as_of="2024-02-01")
    assert (caught_up.status, caught_up.previous_window) == (Status.COMPLIANT, "unmet")


def test_previous_window_met_leaves_the_officer_in_progress() -> None:
    result = check("YEAR-12h", [rec("2023-05-01", 12)], as_of="2024-02-01")
    assert (result.status, result.previous_window) == (Status.IN_PROGRESS, "met")


def test_no_previous_window_before_the_rule_or_the_hire() -> None:
    """IL took effect 2022-07-01: the cycle before does not count. An officer hired in 2024
    has no 2023 window."""
    assert check("IL-inservice-30h", as_of="2023-01-01").previous_window is None
    assert (
        check("YEAR-12h", who=officer(hire="2024-01-02"), as_of="2024-06-01").previous_window
        is None
    )


def test_rolling_requirement_is_non_compliant_as_soon_as_short() -> None:
    """8 h in the 12 months ending 2024-06-15 (2023-06-16 to 2024-06-15): a class on
    2023-06-15 fell out of the window yesterday."""
    records = [rec("2023-06-15", 8)]
    assert check("ROLL-8h", records, as_of="2024-06-14").status is Status.COMPLIANT
    result = check("ROLL-8h", records, as_of="2024-06-15")
    assert result.status is Status.NON_COMPLIANT
    assert (result.window_start, result.window_end) == (date(2023, 6, 16), date(2024, 6, 15))


def test_course_requirement_reports_the_qualifying_record() -> None:
    older = rec("2024-02-01", 2, "use_of_force", title="Use of force update")
    newer = rec("2024-05-01", 1, "use_of_force", title="Taser recert")
    result = check("UOF-course", [older, newer, rec("2024-05-02", 3, "firearms")])
    assert result.status is Status.COMPLIANT
    assert result.qualifying_record_id == newer.id
    assert result.required is None and result.earned is None
    assert "Completed Taser recert on 2024-05-01." in result.explanation


# --- one-time, restarting clocks, certifications, no period --------------------------------------


def test_one_time_deadline() -> None:
    """Licensed 2023-01-10: the 40-hour CIT (1850) is due 2025-01-10."""
    rookie = officer(hire="2023-01-10", license="2023-01-10")
    due = check("CIT-40h-once", who=rookie, as_of="2024-12-01")
    assert (due.status, due.due_date) == (Status.DUE_SOON, date(2025, 1, 10))
    assert check("CIT-40h-once", who=rookie, as_of="2025-01-10").status is Status.DUE_SOON
    late = check("CIT-40h-once", who=rookie, as_of="2025-01-11")
    assert late.status is Status.NON_COMPLIANT
    assert "The deadline 2025-01-10 has passed." in late.explanation
    done = [rec("2024-03-04", 40, "crisis_intervention", number="1850", title="CIT")]
    assert check("CIT-40h-once", done, who=rookie, as_of="2030-01-01").status is Status.COMPLIANT


def test_one_time_completed_late_is_compliant_and_says_so() -> None:
    rookie = officer(hire="2019-01-10", license="2019-01-10")
    done = [rec("2021-06-01", 40, "crisis_intervention", number="1850")]
    result = check("CIT-40h-once", done, who=rookie, as_of="2022-01-01")
    assert result.status is Status.COMPLIANT
    assert "Completed on 2021-06-01, after the deadline 2021-01-10." in result.explanation


def test_one_time_applies_only_to_officers_licensed_on_or_after_the_date() -> None:
    veteran = officer(hire="2017-05-01", license="2017-05-01")
    result = check("CIT-40h-once", who=veteran)
    assert result.status is Status.NOT_APPLICABLE
    assert (
        "licensed on or after 2018-04-01; this officer was licensed 2017-05-01"
        in result.explanation
    )


DEADLINE_FROM_LATER = parse_pack(
    """
jurisdiction = "T"
name = "Test"
version = "1"

[[requirements]]
id = "NJ-by-2022"
title = "5 hours of de-escalation by 2022, counted from 2019"
effective_from = 2016-01-01
hours = 5
topics = ["de_escalation"]
period = { kind = "deadline", due = 2022-12-31, counts_from = 2019-01-01 }
""",
    "t.toml",
).requirements[0]


def test_before_a_deadline_starts_counting_nothing_counts_in_bulk_or_alone() -> None:
    """As of 2018 the 2019-2022 window has not begun: the 2018 class is outside it, and a
    department run (whose other requirements read further back) says 0 hours too."""
    records = [rec(day, 1, "de_escalation") for day in ("2017-06-01", "2018-06-01", "2020-01-01")]
    as_of = date(2018, 1, 1)
    alone = evaluate(officer(), DEADLINE_FROM_LATER, records, [], [], as_of, AGENCY)
    [bulk, _] = evaluate_department(
        [officer()],
        [DEADLINE_FROM_LATER, REQ["UOF-course"]],
        {1: records},
        {},
        {},
        as_of,
        AGENCY,
    )
    assert alone == bulk
    assert (bulk.earned, bulk.shortfall, bulk.status) == (0, 500, Status.IN_PROGRESS)


def test_licence_falls_back_to_hire_date_and_says_so() -> None:
    no_licence = officer(hire="2023-01-10", license=None)
    result = check("CIT-40h-once", who=no_licence, as_of="2024-01-01")
    assert result.due_date == date(2025, 1, 10)
    assert "No licence date recorded: counted from the hire date 2023-01-10." in result.explanation


def test_restarting_clock() -> None:
    """Licensed 2010-01-04; 2 h de-escalation every 5 years. Completed 2016-05-01 and
    2020-03-02: the clock restarts at each completion, next due 2025-03-02."""
    records = [rec("2016-05-01", 2, "de_escalation"), rec("2020-03-02", 2, "de_escalation")]
    result = check("DEESC-5yr", records, as_of="2024-06-15")
    assert (result.status, result.due_date, result.previous_window) == (
        Status.COMPLIANT,
        date(2025, 3, 2),
        "met",
    )
    assert result.met
    assert "Last completed 2020-03-02; due again by 2025-03-02" in result.explanation
    soon = check("DEESC-5yr", records, as_of="2025-01-01")
    assert soon.status is Status.DUE_SOON
    overdue = check("DEESC-5yr", records, as_of="2025-03-03")
    assert overdue.status is Status.NON_COMPLIANT
    assert "Overdue since 2025-03-02." in overdue.explanation


def test_restarting_clock_partial_hours_wait_for_the_next_completion() -> None:
    """2 h in 2016 complete a cycle; 1 h in 2019 is progress toward the next one and does not
    restart the clock: still due 2021-05-01."""
    records = [rec("2016-05-01", 2, "de_escalation"), rec("2019-01-01", 1, "de_escalation")]
    result = check("DEESC-5yr", records, as_of="2021-03-01")
    assert (result.status, result.due_date) == (Status.DUE_SOON, date(2021, 5, 1))


def test_restarting_clock_never_completed_runs_from_licence_or_effective_date() -> None:
    """Licensed 2012-06-01, the rule took effect 2010: due 2017-06-01. An officer licensed
    in 2005 falls due 5 years after the 2010 effective date, not in 2010."""
    first = check(
        "DEESC-5yr", who=officer(hire="2012-06-01", license="2012-06-01"), as_of="2015-01-01"
    )
    assert (first.status, first.due_date) == (Status.IN_PROGRESS, date(2017, 6, 1))
    veteran = check(
        "DEESC-5yr", who=officer(hire="2005-02-01", license="2005-02-01"), as_of="2014-01-01"
    )
    assert (veteran.status, veteran.due_date) == (Status.IN_PROGRESS, date(2015, 1, 1))


def test_restarting_clock_late_completion_restarts_from_the_completion() -> None:
    """Due 2015-01-04 (licensed 2010-01-04), completed late on 2016-02-01: non_compliant in
    between, then compliant until 2021-02-01, the previous cycle recorded as unmet."""
    records = [rec("2016-02-01", 2, "de_escalation")]
    assert check("DEESC-5yr", records, as_of="2015-06-01").status is Status.NON_COMPLIANT
    result = check("DEESC-5yr", records, as_of="2016-03-01")
    assert (result.status, result.due_date, result.previous_window) == (
        Status.COMPLIANT,
        date(2021, 2, 1),
        "unmet",
    )


def test_restarting_clock_with_leave_scales_the_cycle() -> None:
    """First cycle 2010-01-04 to 2015-01-04: 60 months (January 2015 has only 4 days in it).
    Leave 2012-01-01 to 2013-12-31 waives 24: 2 h x 36 / 60 = 1.2 h, so 1.5 h of
    de-escalation in 2014 completes it, and the clock restarts: due 2019-06-01."""
    records = [rec("2014-06-01", 1.5, "de_escalation")]
    on_leave = [leave("2012-01-01", "2013-12-31", "DEESC-5yr")]
    without = check("DEESC-5yr", records, as_of="2014-12-01")
    assert (without.status, without.shortfall) == (Status.DUE_SOON, 50)
    result = check("DEESC-5yr", records, as_of="2014-12-01", exemptions=on_leave)
    assert (result.status, result.adjusted_required, result.due_date) == (
        Status.COMPLIANT,
        120,
        date(2019, 6, 1),
    )
    assert "Leave or exemption: 24 of 60 months waived" in result.explanation


def test_restarting_clock_whose_whole_cycle_is_waived_is_exempt() -> None:
    on_leave = [leave("2009-06-01", "2015-06-01", reason="Military deployment")]
    result = check("DEESC-5yr", as_of="2015-01-04", exemptions=on_leave)
    assert result.status is Status.EXEMPT
    # Once that cycle has passed, the next one runs on from its end.
    later = check("DEESC-5yr", as_of="2016-01-01", exemptions=on_leave)
    assert (later.status, later.window_start, later.due_date) == (
        Status.IN_PROGRESS,
        date(2015, 1, 5),
        date(2020, 1, 4),
    )


def test_certification_statuses() -> None:
    def cit(earned: str, expires: str | None) -> Certification:
        return Certification(
            next(_ids),
            1,
            "CIT",
            date.fromisoformat(earned),
            date.fromisoformat(expires) if expires else None,
        )

    assert check("CIT-cert", certifications=[cit("2020-01-01", None)]).status is Status.COMPLIANT
    expiring = check("CIT-cert", certifications=[cit("2020-01-01", "2024-08-01")])
    assert (expiring.status, expiring.due_date, expiring.met) == (
        Status.DUE_SOON,
        date(2024, 8, 1),
        True,
    )
    lapsed = check("CIT-cert", certifications=[cit("2018-01-01", "2023-01-01")])
    assert lapsed.status is Status.NON_COMPLIANT
    assert "lapsed on 2023-01-01" in lapsed.explanation
    never = check("CIT-cert")
    assert never.status is Status.IN_PROGRESS
    assert never.window_start is None and never.due_date is None
    renewed = check(
        "CIT-cert",
        certifications=[cit("2018-01-01", "2023-01-01"), cit("2023-01-02", "2026-01-01")],
    )
    assert renewed.status is Status.COMPLIANT


def test_course_without_a_period_is_done_once_and_has_no_deadline() -> None:
    assert check("ICAT-ever").status is Status.IN_PROGRESS
    done = check("ICAT-ever", [rec("2021-06-01", 16, "de_escalation", title="icat/able ")])
    assert done.status is Status.COMPLIANT
    assert (done.window_start, done.window_end, done.due_date) == (None, None, None)


# --- applicability and effective dates -----------------------------------------------------------


def test_separated_officers_are_not_applicable_after_the_separation_date() -> None:
    gone = officer(status="separated", separation_date=date(2024, 3, 1))
    result = check("YEAR-12h", who=gone, as_of="2024-06-15")
    assert result.status is Status.NOT_APPLICABLE
    assert "Separated on 2024-03-01" in result.explanation
    before = check("YEAR-12h", [rec("2024-01-05", 12)], who=gone, as_of="2024-02-01")
    assert before.status is Status.COMPLIANT


def test_officers_on_leave_are_covered_by_default() -> None:
    on_leave = check("YEAR-12h", who=officer(status="leave"))
    assert (on_leave.status, on_leave.previous_window) == (Status.NON_COMPLIANT, "unmet")


def test_hired_after_the_as_of_date_is_not_applicable() -> None:
    assert check("YEAR-12h", who=officer(hire="2024-07-01")).status is Status.NOT_APPLICABLE


def test_rank_unit_and_shift_filters_ignore_case() -> None:
    sergeant = officer(hire="2024-01-01", rank="sergeant", unit="PATROL", shift="days")
    assert check("SGT-only", who=sergeant).status is Status.IN_PROGRESS
    corporal = officer(rank="Corporal", unit="Patrol", shift="Days")
    result = check("SGT-only", who=corporal)
    assert result.status is Status.NOT_APPLICABLE
    assert "Covers rank Sergeant only; this officer's rank is Corporal." in result.explanation
    nights = check("SGT-only", who=officer(rank="Sergeant", unit="K9", shift="Nights"))
    assert "shift" in nights.explanation


def test_a_requirement_not_in_force_is_left_out_of_an_evaluation() -> None:
    requirements = list(REQ.values())
    results = evaluate_officer(officer(), requirements, [], [], [], date(2022, 6, 30), AGENCY)
    ids = [r.requirement_id for r in results]
    assert "IL-inservice-30h" not in ids
    assert ids[0] == "YEAR-12h"
    single = check("IL-inservice-30h", as_of="2022-06-30")
    assert single.status is Status.NOT_APPLICABLE
    assert "Not in force on 2022-06-30 (in force from 2022-07-01)." in single.explanation


def test_department_results_follow_officer_then_requirement_order() -> None:
    officers = [officer(hire="2024-01-01", oid=7), officer(hire="2024-01-01", oid=3)]
    requirements = [REQ["YEAR-12h"], REQ["UOF-course"]]
    results = evaluate_department(
        officers,
        requirements,
        {7: [rec("2024-01-01", 12, oid=7)]},
        {},
        {},
        date(2024, 6, 15),
        AGENCY,
    )
    assert [(r.officer_id, r.requirement_id, r.status) for r in results] == [
        (7, "YEAR-12h", Status.COMPLIANT),
        (7, "UOF-course", Status.IN_PROGRESS),
        (3, "YEAR-12h", Status.IN_PROGRESS),
        (3, "UOF-course", Status.IN_PROGRESS),
    ]


# --- the JSON shape ------------------------------------------------------------------------------


def test_result_to_dict_has_the_documented_shape() -> None:
    records = [
        rec("2023-03-01", 4, "use_of_force", delivery="scenario"),
        rec("2023-04-01", 8, "high_risk_traffic_stops", delivery="scenario"),
        rec("2024-01-10", 18),
    ]
    result = check("IL-inservice-30h", records, exemptions=[leave("2023-01-01", "2023-04-30")])
    data = json.loads(json.dumps(result_to_dict(result)))
    assert list(data) == [
        "requirement_id",
        "requirement_title",
        "kind",
        "officer_id",
        "as_of",
        "window_start",
        "window_end",
        "due_date",
        "required_hours",
        "adjusted_required_hours",
        "adjustments",
        "earned_hours",
        "shortfall_hours",
        "sub_minimums",
        "met",
        "qualifying_record_id",
        "qualifying_certification_id",
        "previous_window",
        "status",
        "reason",
        "explanation",
    ]
    assert data["window_start"] == "2022-07-01"
    assert data["due_date"] == "2025-06-30"
    assert (data["required_hours"], data["adjusted_required_hours"], data["earned_hours"]) == (
        30.0,
        26.67,
        30.0,
    )
    assert data["sub_minimums"][1] == {
        "label": "Use of force / de-escalation",
        "required_hours": 6.0,
        "adjusted_required_hours": 5.33,
        "earned_hours": 4.0,
        "shortfall_hours": 1.33,
    }
    assert data["status"] == "in_progress"
    assert data["previous_window"] is None
    assert data["explanation"] == result.explanation


def test_result_to_dict_for_a_certification_has_nulls_for_hours() -> None:
    data = result_to_dict(check("CIT-cert"))
    assert data["required_hours"] is None and data["earned_hours"] is None
    assert data["window_start"] is None and data["sub_minimums"] == []
    assert data["kind"] == "certification"


def test_requirement_model_is_used_as_loaded() -> None:
    requirement: Requirement = REQ["IL-inservice-30h"]
    assert requirement.summary() == "30.0 h every 3 years from 2022-07-01"


def test_a_course_requirement_reads_in_the_words_of_its_explanations() -> None:
    """The requirement list says what the compliance pages say, not topic codes."""
    by_topic = REQ["UOF-course"]
    assert by_topic.summary().startswith("a class in use of force ")
    assert by_topic.wanted() == check("UOF-course").wanted == "a class in use of force"
    assert REQ["CIT-40h-once"].summary().startswith("course 1850 once")
    assert REQ["ICAT-ever"].summary().startswith("ICAT/ABLE ")


def test_the_documented_json_example_is_what_the_engine_produces() -> None:
    """docs/compliance-json.md shows a real result; keep it true."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "compliance-json.md").read_text(
        encoding="utf-8"
    )
    documented = json.loads(text.split("```json\n", 1)[1].split("```", 1)[0])
    cop = officer(oid=12)
    records = [
        rec("2023-03-01", 4, "use_of_force", delivery="scenario", oid=12),
        rec("2023-05-01", 8, "high_risk_traffic_stops", delivery="scenario", oid=12),
        rec("2024-05-01", 18, oid=12),
    ]
    result = check(
        "IL-inservice-30h",
        records,
        as_of="2025-05-01",
        who=cop,
        exemptions=[leave("2023-01-01", "2023-04-30")],
    )
    assert result_to_dict(result) == documented


def test_prorated_hours_round_up_as_the_state_rounds_them() -> None:
    """With round_required_to = 1, 30 h x 32 active months / 36 months = 26.67 h is required
    as 27 h (rounded up to a whole hour); without it, 26.67 h."""
    pack = parse_pack(
        'jurisdiction = "R"\nname = "R"\nversion = "1"\n[[requirements]]\nid = "R-30"\n'
        'title = "T"\neffective_from = 2022-07-01\nhours = 30\nround_required_to = 1\n'
        'period = { kind = "fixed_cycle", anchor = 2022-07-01, years = 3 }\n',
        "R.toml",
    )
    waiver = [leave("2023-01-01", "2023-04-30")]
    found = evaluate(officer(), pack.requirements[0], [], waiver, [], date(2025, 5, 1), AGENCY)
    assert found.adjusted_required == 2700
    assert "rounded up to a multiple of 1 h" in found.explanation
    assert check("IL-inservice-30h", [], exemptions=waiver).adjusted_required == 2667


def test_only_the_same_rule_restated_judges_the_year_before_it() -> None:
    """A rule that ended the day before another took effect judges that one's previous year
    only when it counts the same training in the same periods: an agency's own de-escalation
    hours ending in 2024 do not judge the state's firearms hours of 2025, and two candidates
    are one too many."""
    pack = parse_pack(
        'jurisdiction = "XX"\nname = "X"\nversion = "1"\n'
        '[[requirements]]\nid = "OLD"\ntitle = "T"\neffective_from = 2020-01-01\n'
        'effective_to = 2024-12-31\nhours = 12\nperiod = { kind = "calendar_year" }\n'
        '[[requirements]]\nid = "OTHER"\ntitle = "T"\neffective_from = 2020-01-01\n'
        'effective_to = 2024-12-31\nhours = 4\ntopics = ["de_escalation"]\n'
        'period = { kind = "calendar_year" }\n'
        '[[requirements]]\nid = "NEW"\ntitle = "T"\neffective_from = 2025-01-01\n'
        'hours = 24\nperiod = { kind = "calendar_year" }\n'
        '[[requirements]]\nid = "FIREARMS"\ntitle = "T"\neffective_from = 2025-01-01\n'
        'hours = 2\ntopics = ["firearms"]\nperiod = { kind = "calendar_year" }\n',
        "XX.toml",
    )
    old, other, new, firearms = pack.requirements
    assert predecessor_of(new, pack.requirements, date(2024, 12, 31)) is old
    assert predecessor_of(firearms, [old, firearms], date(2024, 12, 31)) is None
    twice = [old, replace(old, id="OLD-TOO"), new]
    assert predecessor_of(new, twice, date(2024, 12, 31)) is None
    assert predecessor_of(other, pack.requirements, date(2019, 12, 31)) is None
