"""Properties of the compliance engine that must hold for any roster (hypothesis)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import event, given, settings
from hypothesis import strategies as st

from deesc_desktop.core.compliance import (
    RequirementResult,
    Status,
    evaluate,
    evaluate_department,
    evaluate_officer,
    result_to_dict,
)
from deesc_desktop.core.models import Agency, Certification, Exemption, Officer, TrainingRecord
from deesc_desktop.core.periods import PeriodKind
from deesc_desktop.core.rules import MakeUp, Requirement, RequirementKind, parse_pack

PACK = """
jurisdiction = "P"
name = "Properties"
version = "1"

[[requirements]]
id = "P-cycle"
title = "Fixed cycle with overlapping sub-minimums"
effective_from = 2016-07-01
hours = 12
period = { kind = "fixed_cycle", anchor = 2016-07-01, years = 3 }
[[requirements.sub_minimums]]
label = "Scenario"
hours = 4
delivery = ["scenario"]
[[requirements.sub_minimums]]
label = "Force"
hours = 3
topics = ["use_of_force", "de_escalation"]

[[requirements]]
id = "P-year"
title = "Calendar year, topics"
effective_from = 2015-01-01
hours = 6
topics = ["de_escalation", "firearms", "use_of_force"]
period = { kind = "calendar_year" }

[[requirements]]
id = "P-fiscal-first"
title = "Fiscal year, first one free"
effective_from = 2015-01-01
hours = 5
new_hire = "exempt_first_period"
period = { kind = "fiscal_year", start_month = 7 }

[[requirements]]
id = "P-licence"
title = "Licence cycle ending June 30"
effective_from = 2015-01-01
hours = 10
period = { kind = "officer_cycle", years = 2, end_month_day = "06-30" }

[[requirements]]
id = "P-officer-hire"
title = "Cycle from hire, full"
effective_from = 2015-01-01
hours = 8
new_hire = "full"
delivery = ["scenario", "online"]
period = { kind = "officer_cycle", years = 3, from = "hire" }

[[requirements]]
id = "P-rolling"
title = "Rolling 18 months"
effective_from = 2015-01-01
hours = 7
period = { kind = "rolling", months = 18 }

[[requirements]]
id = "P-once"
title = "Once within 18 months of licence"
effective_from = 2015-01-01
hours = 4
topics = ["de_escalation"]
period = { kind = "one_time", months = 18 }

[[requirements]]
id = "P-clock"
title = "Restarting clock"
effective_from = 2015-01-01
hours = 2
topics = ["de_escalation"]
period = { kind = "since_last_completion", years = 2 }

[[requirements]]
id = "P-course"
title = "Course every year"
effective_from = 2015-01-01
course = ["1849", "Force Options"]
period = { kind = "calendar_year" }

[[requirements]]
id = "P-course-topic"
title = "Any use-of-force class every 2 years"
effective_from = 2015-01-01
course = []
topics = ["use_of_force"]
period = { kind = "fixed_cycle", anchor = 2015-01-01, months = 24 }

[[requirements]]
id = "P-hours-from-courses"
title = "Hours from named courses"
effective_from = 2015-01-01
hours = 3
courses = ["1849"]
period = { kind = "calendar_year" }

[[requirements]]
id = "P-cert"
title = "CIT held"
effective_from = 2015-01-01
certification = "cit"

[[requirements]]
id = "P-ever"
title = "Course once"
effective_from = 2015-01-01
course = ["Force Options"]

[[requirements]]
id = "P-deadline"
title = "A course by a fixed date"
effective_from = 2016-01-01
course = ["Force Options"]
period = { kind = "deadline", due = 2021-06-30 }

[[requirements]]
id = "P-deadline-hours"
title = "Hours by a fixed date, counted from a date"
effective_from = 2016-01-01
hours = 5
topics = ["de_escalation"]
period = { kind = "deadline", due = 2022-12-31, counts_from = 2019-01-01 }

[[requirements]]
id = "P-anniversary"
title = "Cycle ending the first June 30 after the anniversary, dated minimums"
effective_from = 2015-01-01
hours = 9
[requirements.period]
kind = "officer_cycle"
years = 2
end_month_day = "06-30"
end_after_anniversary = true
[[requirements.sub_minimums]]
label = "Force"
hours = 1
topics = ["use_of_force"]
window_to = 2019-12-31
[[requirements.sub_minimums]]
label = "Force"
hours = 3
topics = ["use_of_force"]
window_from = 2020-01-01
[[requirements.sub_minimums]]
label = "Online"
hours = 2
delivery = ["online"]
window_from = 2021-07-01

[[requirements]]
id = "P-year-dated"
title = "Calendar year with a minimum from 2021"
effective_from = 2015-01-01
hours = 4
period = { kind = "calendar_year" }
[[requirements.sub_minimums]]
label = "Legal"
hours = 2
topics = ["legal_updates"]
window_from = 2021-01-01

[[requirements]]
id = "P-make-up"
title = "Fiscal year, part year by the month, make-up to the year short first"
effective_from = 2015-07-01
hours = 8
new_hire = "per_month"
hours_per_month = 0.75
make_up = "previous_first"
period = { kind = "fiscal_year", start_month = 7 }

[[requirements]]
id = "P-make-up-cycle"
title = "Officer cycle with make-up"
effective_from = 2015-01-01
hours = 6
make_up = "previous_first"
topics = ["de_escalation", "use_of_force"]
period = { kind = "officer_cycle", years = 1, from = "hire" }

[[requirements]]
id = "P-set-clock"
title = "A set on one clock, first due 2018-07-01, dated minimum"
effective_from = 2015-01-01
hours = 3
topics = ["de_escalation", "use_of_force", "legal_updates"]
new_hire = "full"
period = { kind = "since_last_completion", years = 2, first_due = 2018-07-01 }
[[requirements.sub_minimums]]
label = "De-escalation"
hours = 1
topics = ["de_escalation"]
[[requirements.sub_minimums]]
label = "Legal"
hours = 1
topics = ["legal_updates"]
window_from = 2020-01-01

[[requirements]]
id = "P-december-clock"
title = "Due 31 December of the 2nd year after the last completion"
effective_from = 2015-01-01
hours = 2
period = { kind = "since_last_completion", years = 2, end_month_day = "12-31" }

[[requirements]]
id = "P-not-chiefs"
title = "Everyone but lieutenants and chiefs"
effective_from = 2015-01-01
hours = 2
applies_to = { except_ranks = ["Lieutenant", "chief"], except_units = ["Admin"] }
period = { kind = "calendar_year" }

[[requirements]]
id = "P-late-rule"
title = "Took effect 2021, ended 2023"
effective_from = 2021-03-01
effective_to = 2023-06-30
hours = 3
period = { kind = "calendar_year" }
"""
REQUIREMENTS = parse_pack(PACK, "properties.toml").requirements
TOPICS = ["de_escalation", "use_of_force", "firearms", "legal_updates"]
AGENCY = Agency("Prop PD", "IL", warning_days=60)
FIRST, LAST = date(2014, 1, 1), date(2026, 12, 31)

days = st.dates(min_value=FIRST, max_value=LAST)


@st.composite
def records(draw: st.DrawFn, officer_id: int = 1, near: date = date(2020, 1, 1)) -> TrainingRecord:
    topics = draw(st.lists(st.sampled_from(TOPICS), min_size=1, max_size=2, unique=True))
    split = tuple((code, draw(st.integers(0, 24)) * 25) for code in topics)
    course = draw(st.sampled_from(["Class", "Force Options", "force options "]))
    return TrainingRecord(
        id=draw(st.integers(1, 10**9)),
        officer_id=officer_id,
        course_id=1,
        course_title=course,
        completed=near + timedelta(days=draw(st.integers(-1500, 400))),
        hours=sum(hours for _, hours in split),
        topic_hours=split,
        delivery=draw(st.sampled_from(["classroom", "online", "scenario"])),
        course_number=draw(st.sampled_from(["", "1849", "3843"])),
    )


@st.composite
def officers(draw: st.DrawFn, officer_id: int = 1) -> Officer:
    hire = draw(st.dates(min_value=date(2014, 6, 1), max_value=date(2024, 6, 1)))
    licence = draw(st.none() | st.dates(min_value=date(2012, 1, 1), max_value=hire))
    status = draw(st.sampled_from(["active", "active", "active", "leave", "separated"]))
    separation = (
        hire + timedelta(days=draw(st.integers(0, 4000))) if status == "separated" else None
    )
    return Officer(
        officer_id,
        str(officer_id),
        "Doe",
        "Jan",
        hire,
        rank=draw(st.sampled_from(["Officer", "Lieutenant", "Chief"])),
        unit=draw(st.sampled_from(["Patrol", "Admin"])),
        license_date=licence,
        status=status,
        separation_date=separation,
    )


@st.composite
def exemptions(draw: st.DrawFn, officer_id: int = 1, near: date = date(2020, 1, 1)) -> Exemption:
    start = near + timedelta(days=draw(st.integers(-1200, 100)))
    targets = draw(st.sets(st.sampled_from([r.id for r in REQUIREMENTS]), max_size=2))
    # Half are waivers (granted some days after they start), half plain leave.
    waiver = draw(st.booleans())
    return Exemption(
        draw(st.integers(1, 10**9)),
        officer_id,
        start,
        start + timedelta(days=draw(st.integers(0, 400))),
        "Leave",
        frozenset(targets),
        granted_by="POST" if waiver else "",
        granted_on=start + timedelta(days=draw(st.integers(0, 90))) if waiver else None,
    )


@st.composite
def cases(
    draw: st.DrawFn, max_records: int = 25
) -> tuple[Officer, date, list[TrainingRecord], list[Exemption]]:
    """An officer, an as-of date after the hire date, and training and leave around it."""
    officer = draw(officers())
    as_of = officer.hire_date + timedelta(days=draw(st.integers(0, 3000)))
    recs = draw(st.lists(records(near=as_of), max_size=max_records))
    exempts = draw(st.lists(exemptions(near=as_of), max_size=2))
    return officer, as_of, recs, exempts


certifications = st.builds(
    lambda earned, length: Certification(
        1, 1, "CIT", earned, None if length is None else earned + timedelta(days=length)
    ),
    days,
    st.none() | st.integers(0, 1500),
)

requirements = st.sampled_from(REQUIREMENTS)


def run(
    officer: Officer,
    requirement: Requirement,
    recs: list[TrainingRecord],
    exempts: list[Exemption],
    certs: list[Certification],
    as_of: date,
) -> RequirementResult:
    return evaluate(officer, requirement, recs, exempts, certs, as_of, AGENCY)


def qualifying(record: TrainingRecord, requirement: Requirement) -> int:
    """The naive reading of a requirement's filters, to check the indexed sums against."""
    if requirement.delivery and record.delivery not in requirement.delivery:
        return 0
    names = {c.casefold() for c in requirement.courses}
    if requirement.courses and not (
        record.course_number.strip().casefold() in names
        or record.course_title.strip().casefold() in names
    ):
        return 0
    if requirement.topics:
        return sum(hours for code, hours in record.topic_hours if code in requirement.topics)
    return record.hours


@settings(max_examples=300, deadline=None)
@given(
    officers(),
    requirements,
    st.lists(records(), max_size=25),
    st.lists(exemptions(), max_size=3),
    days,
)
def test_earned_hours_match_a_naive_count(
    officer: Officer,
    requirement: Requirement,
    recs: list[TrainingRecord],
    exempts: list[Exemption],
    as_of: date,
) -> None:
    result = run(officer, requirement, recs, exempts, [], as_of)
    event(result.status.value)
    if result.adjustments:
        event("adjusted")
    json.dumps(result_to_dict(result))
    assert result.explanation
    if requirement.kind is not RequirementKind.HOURS or result.window_start is None:
        return
    assert requirement.period is not None
    if requirement.period.kind is PeriodKind.SINCE_LAST_COMPLETION:
        return
    end = (
        as_of
        if requirement.period.kind in (PeriodKind.ONE_TIME, PeriodKind.DEADLINE)
        else min(as_of, result.window_end or as_of)
    )
    expected = sum(
        qualifying(r, requirement) for r in recs if result.window_start <= r.completed <= end
    )
    if requirement.make_up is MakeUp.PREVIOUS_FIRST:
        # Hours that make up an earlier window's deficit do not count toward this one.
        assert result.earned is not None and result.earned <= expected
        return
    assert result.earned == expected
    assert result.shortfall == max(0, (result.adjusted_required or 0) - expected)


# The restarting clock is left out of the two monotonicity properties on purpose: one more
# completion can restart the clock earlier, so a later cycle is due sooner (the rule as
# Colorado states it), and waiving months of one cycle moves where the next one falls.
MONOTONE = [
    r
    for r in REQUIREMENTS
    if r.period is None or r.period.kind is not PeriodKind.SINCE_LAST_COMPLETION
]


@settings(max_examples=300, deadline=None)
@given(cases(max_records=20), st.sampled_from(MONOTONE), st.data())
def test_adding_a_record_never_lowers_earned_hours_nor_breaks_compliance(
    case: tuple[Officer, date, list[TrainingRecord], list[Exemption]],
    requirement: Requirement,
    data: st.DataObject,
) -> None:
    officer, as_of, recs, exempts = case
    extra = data.draw(records(near=as_of))
    before = run(officer, requirement, recs, exempts, [], as_of)
    after = run(officer, requirement, [*recs, extra], exempts, [], as_of)
    event(f"{before.status.value} -> {after.status.value}")
    if before.earned is not None:
        assert after.earned is not None and after.earned >= before.earned
    for old, new in zip(before.sub_minimums, after.sub_minimums, strict=True):
        assert new.earned >= old.earned
    if before.met:
        assert after.met
    if before.status is Status.COMPLIANT:
        assert after.status is Status.COMPLIANT


@settings(max_examples=300, deadline=None)
@given(cases(max_records=15), st.sampled_from(MONOTONE), st.data())
def test_adding_an_exemption_never_raises_required_hours(
    case: tuple[Officer, date, list[TrainingRecord], list[Exemption]],
    requirement: Requirement,
    data: st.DataObject,
) -> None:
    officer, as_of, recs, exempts = case
    extra = data.draw(exemptions(near=as_of))
    before = run(officer, requirement, recs, exempts, [], as_of)
    after = run(officer, requirement, recs, [*exempts, extra], [], as_of)
    if after.adjusted_required != before.adjusted_required:
        event("the exemption lowered the requirement")
    if before.adjusted_required is not None and after.adjusted_required is not None:
        assert after.adjusted_required <= before.adjusted_required
    for old, new in zip(before.sub_minimums, after.sub_minimums, strict=True):
        assert new.adjusted_required <= old.adjusted_required
    if before.status is Status.EXEMPT:
        assert after.status is Status.EXEMPT


@st.composite
def rosters(
    draw: st.DrawFn,
) -> tuple[
    list[Officer],
    dict[int, list[TrainingRecord]],
    dict[int, list[Exemption]],
    dict[int, list[Certification]],
]:
    count = draw(st.integers(1, 4))
    people = [draw(officers(officer_id=i)) for i in range(1, count + 1)]
    near = date(2022, 1, 1)
    recs = {o.id: draw(st.lists(records(o.id, near), max_size=12)) for o in people}
    exempts = {o.id: draw(st.lists(exemptions(o.id, near), max_size=2)) for o in people}
    certs = {o.id: draw(st.lists(certifications, max_size=2)) for o in people}
    return people, recs, exempts, certs


@settings(max_examples=150, deadline=None)
@given(
    rosters(),
    st.lists(st.sampled_from(REQUIREMENTS), min_size=1, max_size=6, unique_by=lambda r: r.id),
    st.dates(min_value=date(2018, 1, 1), max_value=date(2025, 12, 31)),
    st.booleans(),
)
def test_bulk_evaluation_equals_per_officer_and_single_evaluation(
    roster: tuple[
        list[Officer],
        dict[int, list[TrainingRecord]],
        dict[int, list[Exemption]],
        dict[int, list[Certification]],
    ],
    chosen: list[Requirement],
    as_of: date,
    prorate_leave: bool,
) -> None:
    people, recs, exempts, certs = roster
    agency = replace(AGENCY, leave_proration=prorate_leave)
    bulk = evaluate_department(people, chosen, recs, exempts, certs, as_of, agency)
    each = [
        result
        for o in people
        for result in evaluate_officer(
            o, chosen, recs[o.id], exempts[o.id], certs[o.id], as_of, agency
        )
    ]
    assert bulk == each
    assert [r.explanation for r in bulk] == [r.explanation for r in each]
    single = [
        evaluate(o, r, recs[o.id], exempts[o.id], certs[o.id], as_of, agency)
        for o in people
        for r in chosen
        if r.in_force(as_of)
    ]
    assert bulk == single
