"""CIT rules: status boundaries, refreshers and grace, hand-entered certificates, coverage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pytest

from deesc_desktop.core.cit import (
    CERTIFYING,
    REFRESHER,
    CertificationEvent,
    CitSettings,
    CitStatus,
    add_years,
    certification_periods,
    certification_source,
    cit_status,
    course_events,
    coverage,
)
from deesc_desktop.core.models import Officer, TrainingRecord

SETTINGS = CitSettings(validity_years=3)
"""An agency whose policy is a 3-year validity (the rule's mechanics are tested with it)."""
D = date.fromisoformat


def course(day: str, record_id: int = 1, officer_id: int = 7) -> CertificationEvent:
    return CertificationEvent(officer_id, D(day), "course", record_id)


def periods(
    events: list[CertificationEvent], refreshers: Sequence[str] = ()
) -> list[tuple[str, str]]:
    found = certification_periods(events, [D(d) for d in refreshers], SETTINGS)
    return [(p.earned.isoformat(), p.expires.isoformat() if p.expires else "") for p in found]


def test_a_certifying_course_certifies_for_three_years() -> None:
    assert periods([course("2022-04-14")]) == [("2022-04-14", "2025-04-14")]


@pytest.mark.parametrize(
    ("as_of", "warning_days", "status", "days_left"),
    [
        ("2025-04-14", 90, CitStatus.EXPIRING, 0),  # expires today: still held
        ("2025-04-15", 90, CitStatus.EXPIRED, None),  # the day after: lapsed
        ("2025-01-14", 90, CitStatus.EXPIRING, 90),  # exactly the warning days: expiring
        ("2025-01-13", 90, CitStatus.CURRENT, 91),  # one day before the warning window
        ("2025-04-13", 0, CitStatus.CURRENT, 1),  # no warning window at all
        ("2022-04-13", 90, CitStatus.NONE, None),  # the day before the course
        ("2022-04-14", 90, CitStatus.CURRENT, 1096),  # the day of the course (2024 is leap)
    ],
)
def test_status_boundaries(
    as_of: str, warning_days: int, status: CitStatus, days_left: int | None
) -> None:
    held = certification_periods([course("2022-04-14")], [], SETTINGS)
    standing = cit_status(held, D(as_of), warning_days)
    assert (standing.status, standing.days_left) == (status, days_left)
    assert standing.status.held == (status in (CitStatus.CURRENT, CitStatus.EXPIRING))


def test_expires_today_counts_as_certified_and_is_never_expired() -> None:
    held = certification_periods([course("2022-04-14")], [], SETTINGS)
    standing = cit_status(held, D("2025-04-14"), 0)
    assert standing.status.held and standing.status is not CitStatus.EXPIRED
    assert standing.expires == D("2025-04-14")


def test_no_certification_at_all_is_none() -> None:
    assert cit_status([], D("2025-01-01"), 90).status is CitStatus.NONE


def test_refresher_while_current_renews_three_years_from_the_refresher() -> None:
    assert periods([course("2022-04-14")], ["2024-10-06"]) == [("2022-04-14", "2027-10-06")]


def test_refresher_on_the_expiry_day_renews_without_a_gap() -> None:
    assert periods([course("2022-04-14")], ["2025-04-14"]) == [("2022-04-14", "2028-04-14")]


def test_refresher_within_grace_renews_but_leaves_the_gap_uncertified() -> None:
    found = periods([course("2022-04-14")], ["2025-07-13"])  # 90 days after expiry
    assert found == [("2022-04-14", "2025-04-14"), ("2025-07-13", "2028-07-13")]
    held = certification_periods([course("2022-04-14")], [D("2025-07-13")], SETTINGS)
    assert cit_status(held, D("2025-06-01"), 90).status is CitStatus.EXPIRED
    assert cit_status(held, D("2025-07-13"), 90).status is CitStatus.CURRENT


def test_refresher_after_grace_renews_nothing() -> None:
    assert periods([course("2022-04-14")], ["2025-07-14"]) == [("2022-04-14", "2025-04-14")]


def test_refresher_before_any_certification_renews_nothing() -> None:
    assert periods([course("2022-04-14")], ["2021-01-05"]) == [("2022-04-14", "2025-04-14")]
    assert periods([], ["2021-01-05"]) == []


def test_a_shorter_earlier_expiry_never_shortens_a_longer_one() -> None:
    certificate = CertificationEvent(7, D("2022-06-01"), "certificate", 3, expires=D("2023-01-01"))
    assert periods([course("2022-04-14"), certificate]) == [("2022-04-14", "2025-04-14")]


def test_hand_entered_certificate_keeps_its_printed_expiry_and_can_be_refreshed() -> None:
    certificate = CertificationEvent(
        7, D("2021-05-01"), "certificate", 3, expires=D("2023-05-01"), number="MI-88"
    )
    (period,) = certification_periods([certificate], [], SETTINGS)
    assert (period.expires, period.number, period.id) == (D("2023-05-01"), "MI-88", 3)
    (renewed,) = certification_periods([certificate], [D("2023-04-01")], SETTINGS)
    assert renewed.expires == D("2026-04-01")


def test_derived_ids_point_back_to_their_source() -> None:
    (from_course,) = certification_periods([course("2022-04-14", record_id=55)], [], SETTINGS)
    certificate = CertificationEvent(7, D("2021-05-01"), "certificate", 3)
    (from_certificate,) = certification_periods([certificate], [], SETTINGS)
    assert certification_source(from_course) == ("training_records", 55)
    assert certification_source(from_certificate) == ("certifications", 3)
    assert from_course.kind == "cit"


def test_leap_day_certifications_expire_on_28_february() -> None:
    assert add_years(D("2024-02-29"), 3) == D("2027-02-28")
    assert periods([course("2024-02-29")]) == [("2024-02-29", "2027-02-28")]


def _record(record_id: int, course_id: int, hours: int, day: str) -> TrainingRecord:
    return TrainingRecord(record_id, 7, course_id, f"course {course_id}", D(day), hours, ())


def test_course_completions_count_only_with_the_minimum_hours() -> None:
    roles = {1: CERTIFYING, 2: REFRESHER}
    records = [
        _record(10, 1, 3200, "2022-01-10"),  # left the 40-hour course after 32 hours
        _record(11, 1, 4000, "2022-04-14"),
        _record(12, 2, 400, "2023-03-01"),  # a 4-hour refresher is not enough
        _record(13, 2, 800, "2024-10-06"),
        _record(14, 3, 4000, "2024-11-01"),  # a course not marked for CIT
    ]
    events, refreshers = course_events(records, roles, SETTINGS)
    assert [e.source_id for e in events] == [11]
    assert [r.id for r in refreshers] == [13]
    custom = CitSettings(certifying_min_hours=3200, refresher_min_hours=400)
    events, refreshers = course_events(records, roles, custom)
    assert [e.source_id for e in events] == [10, 11]
    assert [r.id for r in refreshers] == [12, 13]


def _officer(officer_id: int, shift: str, unit: str = "Patrol", status: str = "active") -> Officer:
    return Officer(
        officer_id,
        str(officer_id),
        f"Last{officer_id}",
        "F",
        D("2015-01-01"),
        unit=unit,
        shift=shift,
        status=status,
    )


def test_coverage_counts_active_patrol_by_shift_and_flags_a_shift_with_none() -> None:
    officers = [
        _officer(1, "Days"),
        _officer(2, "Days"),
        _officer(3, "Nights"),
        _officer(4, "Nights"),
        _officer(5, "Evenings"),
        _officer(6, "Evenings"),
        _officer(7, "Days", unit="Investigations"),  # not patrol
        _officer(8, "Nights", status="leave"),  # not on the street
        _officer(9, "", unit="patrol "),  # unit compared loosely; blank shift named
    ]
    result = coverage(officers, {1, 3, 7, 8}, CitSettings(target_percent=25))
    assert (result.officers, result.certified) == (7, 2)
    assert str(result.percent) == "28.6"
    assert result.meets_target and result.needed == 0
    by_shift = {s.shift: (s.officers, s.certified) for s in result.shifts}
    assert by_shift == {"(no shift)": (1, 0), "Days": (2, 1), "Evenings": (2, 0), "Nights": (2, 1)}
    assert result.uncovered_shifts == ("(no shift)", "Evenings")


def test_target_is_compared_exactly_and_says_how_many_more_are_needed() -> None:
    officers = [_officer(i, "Days") for i in range(1, 25)]
    assert coverage(officers, set(range(1, 7)), CitSettings(target_percent=25)).meets_target
    short = coverage(officers, set(range(1, 6)), CitSettings(target_percent=25))
    assert (short.meets_target, short.needed, str(short.percent)) == (False, 1, "20.8")
    odd = coverage(officers[:7], set(), CitSettings(target_percent=30))
    assert odd.needed == 3  # 30% of 7 is 2.1: three officers, never two
    empty = coverage([], set(), SETTINGS)
    assert (empty.officers, str(empty.percent), empty.meets_target) == (0, "0.0", True)


def test_periods_follow_the_agency_validity_setting() -> None:
    two_years = CitSettings(validity_years=2, grace_days=0)
    found = certification_periods([course("2022-04-14")], [D("2024-04-15")], two_years)
    assert [(p.earned, p.expires) for p in found] == [(D("2022-04-14"), D("2024-04-14"))]
    assert found[0].valid_on(D("2024-04-14")) and not found[0].valid_on(
        D("2024-04-14") + timedelta(days=1)
    )


def test_by_default_a_certification_never_expires() -> None:
    """No state rule sets a validity (Illinois CIT certificates do not expire): by default a
    course certifies for good, refreshers change nothing, and a hand-entered certificate
    lasts to its printed expiry if it has one. The setting is labelled as agency policy."""
    default = CitSettings()
    (held,) = certification_periods([course("2015-04-14")], [D("2019-01-01")], default)
    assert (held.earned, held.expires) == (D("2015-04-14"), None)
    assert cit_status([held], D("2030-01-01"), 90).status is CitStatus.CURRENT
    printed = CertificationEvent(1, D("2020-01-01"), "certificate", 7, expires=D("2023-01-01"))
    (card,) = certification_periods([printed], [], default)
    assert card.expires == D("2023-01-01")
    assert default.validity_text().endswith(
        "(agency policy; no state rule sets a validity period)."
    )
    assert "(agency policy, not a state rule)" in SETTINGS.validity_text()


def test_coverage_counts_cit_team_members_not_everyone_trained() -> None:
    """CIT-trained (took the course) is not CIT team member (selected): once a team is
    recorded, a trained officer who was not selected is not the CIT officer on a shift.
    Days: officers 1 (team, certified) and 2 (certified, not on the team); Nights: officer
    3 (certified, not on the team): Nights is uncovered, 1 of 4 counted."""
    officers = [
        Officer(1, "1", "A", "A", D("2015-01-01"), unit="Patrol", shift="Days"),
        Officer(2, "2", "B", "B", D("2015-01-01"), unit="Patrol", shift="Days"),
        Officer(3, "3", "C", "C", D("2015-01-01"), unit="Patrol", shift="Nights"),
        Officer(4, "4", "D", "D", D("2015-01-01"), unit="Patrol", shift="Nights"),
    ]
    trained = coverage(officers, {1, 2, 3}, CitSettings())
    assert (trained.certified, trained.by_team, trained.uncovered_shifts) == (3, False, ())
    assert trained.counted.startswith("CIT-trained officers (no CIT team recorded by this day")
    team = coverage(officers, {1, 2, 3}, CitSettings(), team_ids={1, 4})
    assert (team.certified, team.by_team, team.uncovered_shifts) == (1, True, ("Nights",))
    assert team.counted == "CIT team members holding CIT"
