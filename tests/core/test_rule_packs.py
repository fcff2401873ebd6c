"""The shipped rule packs: each loads, and each state's rules pass and fail worked officers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import count
from pathlib import Path

import pytest

from deesc_desktop.core.compliance import RequirementResult, Status, evaluate, evaluate_officer
from deesc_desktop.core.models import Agency, Certification, Exemption, Officer, TrainingRecord
from deesc_desktop.core.rules import RulePack, builtin_pack_paths, load_pack

RULES_DIR = Path(__file__).resolve().parents[2] / "resources" / "rules"
STATES = ["IL", "MN", "OH", "WI", "IN", "TX", "CA", "FL", "GA", "CO", "WA", "UT", "NJ", "MI"]
PACKS: dict[str, RulePack] = {
    code: load_pack(path) for code, path in builtin_pack_paths(RULES_DIR).items()
}
AGENCY = Agency("Test PD", "IL")
_ids = count(1)


def officer(hire: str = "2010-01-04", license: str | None = None) -> Officer:
    return Officer(
        1,
        "1",
        "Doe",
        "Jan",
        date.fromisoformat(hire),
        license_date=date.fromisoformat(license or hire),
    )


def rec(
    day: str,
    hours: float,
    topic: str = "firearms",
    delivery: str = "classroom",
    number: str = "",
    title: str = "Class",
) -> TrainingRecord:
    cents = round(hours * 100)
    return TrainingRecord(
        next(_ids), 1, 1, title, date.fromisoformat(day), cents, ((topic, cents),), delivery, number
    )


def result(
    state: str,
    requirement_id: str,
    records: Sequence[TrainingRecord],
    as_of: str,
    who: Officer | None = None,
    certifications: Sequence[Certification] = (),
    exemptions: Sequence[Exemption] = (),
) -> RequirementResult:
    requirement = PACKS[state].requirement(requirement_id)
    return evaluate(
        who or officer(),
        requirement,
        records,
        exemptions,
        certifications,
        date.fromisoformat(as_of),
        AGENCY,
    )


# --- every pack ----------------------------------------------------------------------------------


def test_every_state_in_the_brief_ships_a_pack() -> None:
    assert sorted(PACKS) == sorted(STATES)


@pytest.mark.parametrize("state", STATES)
def test_pack_is_complete_and_consistent(state: str) -> None:
    pack = PACKS[state]
    assert pack.jurisdiction == state
    assert pack.name and pack.version and pack.notes
    assert pack.requirements
    for requirement in pack.requirements:
        assert requirement.id.startswith(f"{state}-")
        assert requirement.source, requirement.id
        assert "Confidence" in requirement.notes, requirement.id


def test_low_confidence_and_unknowns_are_stated_in_notes() -> None:
    assert "Cycle anchoring: unknown" in PACKS["IL"].requirement("IL-inservice-30h").notes
    assert "LOW - unverified" in PACKS["WI"].requirement("WI-scenario-deescalation-4h").notes
    assert "2024" in PACKS["OH"].notes and "unverified" in PACKS["OH"].notes
    assert not any("2024" in r.id for r in PACKS["OH"].requirements)
    assert "Hours unknown" in PACKS["NJ"].requirement("NJ-icat-able").notes
    assert "Voluntary" in PACKS["MI"].requirement("MI-cit-certification").notes


# --- Illinois ------------------------------------------------------------------------------------


def test_illinois_pass_and_fail() -> None:
    """Cycle 2022-07-01 to 2025-06-30. Pass: 6 h scenario use of force, 6 h scenario traffic
    stops, 18 h firearms = 30 h; scenario 12, use of force 6, traffic 6.
    Fail: the same with only 5 h use of force = 29 h: short 1.0 h in total, 1.0 h of
    scenario-based training (11 of 12) and 1.0 h of use of force (5 of 6)."""
    good = [
        rec("2022-09-01", 6, "use_of_force", "scenario"),
        rec("2023-09-01", 6, "high_risk_traffic_stops", "scenario"),
        rec("2024-09-01", 18),
    ]
    assert result("IL", "IL-inservice-30h", good, "2025-06-30").status is Status.COMPLIANT
    bad = [rec("2022-09-01", 5, "use_of_force", "scenario"), *good[1:]]
    failed = result("IL", "IL-inservice-30h", bad, "2025-06-30")
    assert failed.status is Status.DUE_SOON
    assert (failed.earned, failed.shortfall) == (2900, 100)
    assert [s.shortfall for s in failed.sub_minimums] == [100, 100, 0]
    assert failed.explanation.startswith(
        "Short 1.0 h in total (29.0 of 30.0 total hours) and 1.0 h of scenario-based training "
        "(11.0 of 12.0) and 1.0 h of use of force / de-escalation (5.0 of 6.0)."
    )
    # The next cycle starts on 2025-07-01 and the unmet one makes the officer non-compliant.
    assert result("IL", "IL-inservice-30h", bad, "2025-07-01").status is Status.NON_COMPLIANT


# --- Minnesota -----------------------------------------------------------------------------------


def test_minnesota_pass_and_fail() -> None:
    """Licensed 2021-07-01: licence period 2021-07-01 to 2024-06-30. Pass: crisis 6, autism
    4, conflict 1, implicit bias 1, firearms 36 = 48 h. Fail: autism 3 = 47 h, short 1.0 h in
    total and 1.0 h of autism awareness."""
    cop = officer(hire="2021-07-01")
    good = [
        rec("2022-01-10", 6, "crisis_intervention"),
        rec("2022-02-10", 4, "autism_awareness"),
        rec("2022-03-10", 1, "conflict_management"),
        rec("2022-04-10", 1, "implicit_bias"),
        rec("2023-05-10", 36),
    ]
    passed = result("MN", "MN-licence-48h", good, "2024-03-01", cop)
    assert (passed.status, passed.window_end) == (Status.COMPLIANT, date(2024, 6, 30))
    bad = [*good[:1], rec("2022-02-10", 3, "autism_awareness"), *good[2:]]
    failed = result("MN", "MN-licence-48h", bad, "2024-03-01", cop)
    assert (failed.status, failed.shortfall) == (Status.IN_PROGRESS, 100)
    assert [s.label for s in failed.sub_minimums if s.shortfall] == ["Autism awareness"]
    assert (
        result(
            "MN",
            "MN-use-of-force-annual",
            [rec("2024-02-01", 2, "use_of_force")],
            "2024-03-01",
            cop,
        ).status
        is Status.COMPLIANT
    )


# --- Ohio ----------------------------------------------------------------------------------------


def test_ohio_uses_the_rule_in_force_each_year() -> None:
    """2022: 24 h with 4 h diversity / equity. 2023: 24 h with school threat 3, legal 3,
    arrest / search 2. A report as of 2022 evaluates only the 2022 rule, as of 2023 only the
    2023 rule, as of 2024 neither (no verified 2024 rule is shipped)."""
    pack = PACKS["OH"]

    def ids(as_of: date) -> list[str]:
        found = evaluate_officer(officer(), pack.requirements, [], [], [], as_of, AGENCY)
        return [r.requirement_id for r in found]

    assert ids(date(2022, 12, 31)) == ["OH-cpt-2022"]
    assert ids(date(2023, 1, 1)) == ["OH-cpt-2023"]
    assert ids(date(2024, 6, 1)) == []


def test_ohio_2022_pass_and_fail() -> None:
    """Pass: 4 h cultural competency + 20 h firearms = 24 h in 2022. Fail: 2 h implicit bias
    + 22 h firearms = 24 h, short 2.0 h of diversity / equity, due 2022-12-31 in 60 days."""
    good = [rec("2022-03-01", 4, "cultural_competency"), rec("2022-04-01", 20)]
    assert result("OH", "OH-cpt-2022", good, "2022-11-01").status is Status.COMPLIANT
    bad = [rec("2022-03-01", 2, "implicit_bias"), rec("2022-04-01", 22)]
    failed = result("OH", "OH-cpt-2022", bad, "2022-11-01")
    assert failed.status is Status.DUE_SOON
    assert failed.explanation.startswith(
        "Short 2.0 h of diversity / equity (2.0 of 4.0); 24.0 of 24.0 total hours met."
    )


def test_ohio_2023_pass_and_fail() -> None:
    """Pass: school threat 3 + legal updates 3 + arrest / search 2 + firearms 16 = 24 h.
    Fail: legal updates missing (firearms 19 instead): short 3.0 h of legal updates."""
    good = [
        rec("2023-02-01", 3, "school_threat_assessment"),
        rec("2023-03-01", 3, "legal_updates"),
        rec("2023-04-01", 2, "arrest_search_seizure"),
        rec("2023-05-01", 16),
    ]
    assert result("OH", "OH-cpt-2023", good, "2023-12-31").status is Status.COMPLIANT
    bad = [good[0], good[2], rec("2023-05-01", 19)]
    failed = result("OH", "OH-cpt-2023", bad, "2023-12-31")
    assert [(s.label, s.shortfall) for s in failed.sub_minimums if s.shortfall] == [
        ("Legal updates", 300)
    ]


# --- Wisconsin, Utah: fiscal years ---------------------------------------------------------------


def test_wisconsin_pass_and_fail() -> None:
    """Fiscal year 2023-07-01 to 2024-06-30. Pass: 24 h, of them 4 h scenario-based
    de-escalation. Fail: the 4 h de-escalation in a classroom: the 24 h are met but the
    scenario requirement is short 4.0 h."""
    good = [rec("2023-08-01", 4, "de_escalation", "scenario"), rec("2024-01-15", 20)]
    assert result("WI", "WI-recert-24h", good, "2024-03-01").status is Status.COMPLIANT
    assert (
        result("WI", "WI-scenario-deescalation-4h", good, "2024-03-01").status is Status.COMPLIANT
    )
    bad = [rec("2023-08-01", 4, "de_escalation", "classroom"), rec("2024-01-15", 20)]
    assert result("WI", "WI-recert-24h", bad, "2024-03-01").status is Status.COMPLIANT
    failed = result("WI", "WI-scenario-deescalation-4h", bad, "2024-03-01")
    assert (failed.earned, failed.shortfall, failed.window_start) == (0, 400, date(2023, 7, 1))


def test_utah_pass_and_fail() -> None:
    """Fiscal year 2024-07-01 to 2025-06-30. Pass: 40 h by 2025-03-01. Fail: FY 2024
    (2023-07-01 to 2024-06-30) ended with 30 of 40 h; as of 2024-07-15, with nothing yet in
    FY 2025, the officer is non_compliant (Utah suspends such officers on 1 August)."""
    assert (
        result("UT", "UT-inservice-40h", [rec("2024-09-01", 40)], "2025-03-01").status
        is Status.COMPLIANT
    )
    failed = result("UT", "UT-inservice-40h", [rec("2024-01-10", 30)], "2024-07-15")
    assert (failed.status, failed.previous_window) == (Status.NON_COMPLIANT, "unmet")


# --- Indiana, Georgia, Colorado annual -----------------------------------------------------------


def test_indiana_pass_and_fail() -> None:
    """2024: firearms 2, emergency vehicle operation 2, defensive tactics 4, de-escalation
    16 = 24 h, and a de-escalation class. Fail: no defensive tactics (firearms 6 instead):
    24 h met, short 4.0 h of defensive tactics; and with no de-escalation class in 2024 nor
    in 2023 (the rule was in force) the officer is non-compliant on that requirement."""
    good = [
        rec("2024-02-01", 2),
        rec("2024-03-01", 2, "emergency_vehicle_operations"),
        rec("2024-04-01", 4, "defensive_tactics"),
        rec("2024-05-01", 16, "de_escalation"),
    ]
    assert result("IN", "IN-inservice-24h", good, "2024-12-31").status is Status.COMPLIANT
    assert result("IN", "IN-de-escalation-annual", good, "2024-12-31").status is Status.COMPLIANT
    bad = [rec("2024-02-01", 6), good[1], rec("2024-05-01", 16)]
    failed = result("IN", "IN-inservice-24h", bad, "2024-12-31")
    assert (failed.shortfall, [s.shortfall for s in failed.sub_minimums]) == (0, [0, 0, 400])
    missing = result("IN", "IN-de-escalation-annual", bad, "2024-12-31")
    assert (missing.status, missing.previous_window) == (Status.NON_COMPLIANT, "unmet")


def test_georgia_pass_and_fail() -> None:
    """2024: de-escalation 1, deadly force 1, firearms 1, community policing 2, + 15 = 20 h.
    Fail: no community policing, 17 h other: short 2.0 h of community policing."""
    good = [
        rec("2024-02-01", 1, "de_escalation"),
        rec("2024-02-02", 1, "use_of_force"),
        rec("2024-02-03", 16),
        rec("2024-02-04", 2, "community_policing"),
    ]
    assert result("GA", "GA-annual-20h", good, "2024-06-01").status is Status.COMPLIANT
    bad = [*good[:2], rec("2024-02-03", 18)]
    failed = result("GA", "GA-annual-20h", bad, "2024-06-01")
    assert failed.explanation.startswith(
        "Short 2.0 h of community policing (0.0 of 2.0); 20.0 of 20.0"
    )


def test_colorado_annual_pass_and_fail() -> None:
    """2024: 12 h perishable skills (firearms 6, driving 6) + 12 h other = 24 h. Fail: only
    firearms 10 h perishable + 14 h other: short 2.0 h of perishable skills."""
    good = [
        rec("2024-01-05", 6),
        rec("2024-02-05", 6, "emergency_vehicle_operations"),
        rec("2024-03-05", 12, "legal_updates"),
    ]
    assert result("CO", "CO-annual-24h", good, "2024-06-01").status is Status.COMPLIANT
    bad = [rec("2024-01-05", 10), rec("2024-03-05", 14, "legal_updates")]
    assert result("CO", "CO-annual-24h", bad, "2024-06-01").sub_minimums[0].shortfall == 200


def test_colorado_five_year_clock_pass_and_fail() -> None:
    """Licensed 2015-01-01; rule in force from 2022-01-01 so nobody is due before 2027-01-01.
    Pass: 2 h de-escalation on 2022-03-01: compliant, due again 2027-03-01. Never completed:
    in progress until 2027-01-01, due soon from 90 days before, non-compliant after."""
    cop = officer(hire="2015-01-01")
    done = result(
        "CO", "CO-5yr-de-escalation", [rec("2022-03-01", 2, "de_escalation")], "2024-06-01", cop
    )
    assert (done.status, done.due_date) == (Status.COMPLIANT, date(2027, 3, 1))
    never = result("CO", "CO-5yr-de-escalation", [], "2024-06-01", cop)
    assert (never.status, never.due_date) == (Status.IN_PROGRESS, date(2027, 1, 1))
    assert result("CO", "CO-5yr-de-escalation", [], "2026-11-01", cop).status is Status.DUE_SOON
    assert (
        result("CO", "CO-5yr-de-escalation", [], "2027-01-02", cop).status is Status.NON_COMPLIANT
    )
    mmir = result("CO", "CO-5yr-mmir", [rec("2023-01-01", 1, "mmir")], "2024-06-01", cop)
    assert mmir.status is Status.COMPLIANT


# --- Texas ---------------------------------------------------------------------------------------


def test_texas_unit_pass_and_fail() -> None:
    """Unit 2023-09-01 to 2025-08-31. Pass: 16 h active shooter + 24 h other = 40 h.
    Fail: 8 h active shooter + 32 h other = 40 h: short 8.0 h of active-shooter response."""
    good = [rec("2024-01-01", 16, "active_shooter"), rec("2024-06-01", 24)]
    assert result("TX", "TX-ce-40h", good, "2025-01-01").status is Status.COMPLIANT
    bad = [rec("2024-01-01", 8, "active_shooter"), rec("2024-06-01", 32)]
    failed = result("TX", "TX-ce-40h", bad, "2025-01-01")
    assert failed.sub_minimums[0].shortfall == 800
    assert failed.due_date == date(2025, 8, 31)


def test_texas_courses_for_officers_below_intermediate() -> None:
    """Course 1849 in the 4-year cycle 2023-09-01 to 2027-08-31: completed 2024-02-01 ->
    compliant; not completed -> in progress; holding the Intermediate certificate -> not
    applicable."""
    done = [rec("2024-02-01", 8, "de_escalation", number="1849", title="De-escalation")]
    assert result("TX", "TX-deescalation-1849", done, "2025-01-01").status is Status.COMPLIANT
    assert (
        result("TX", "TX-crisis-intervention-3843", done, "2025-01-01").status is Status.IN_PROGRESS
    )
    intermediate = Certification(1, 1, "Intermediate", date(2015, 1, 1))
    skipped = result("TX", "TX-deescalation-1849", [], "2025-01-01", certifications=[intermediate])
    assert skipped.status is Status.NOT_APPLICABLE


def test_texas_cit_within_two_years_of_licence() -> None:
    """Licensed 2023-01-10: 1850 due 2025-01-10. Licensed before 2018-04-01: not applicable."""
    rookie = officer(hire="2023-01-10")
    assert result("TX", "TX-cit-40h-1850", [], "2024-12-01", rookie).status is Status.DUE_SOON
    assert result("TX", "TX-cit-40h-1850", [], "2025-02-01", rookie).status is Status.NON_COMPLIANT
    cit = [rec("2024-05-01", 40, "crisis_intervention", number="1850")]
    assert result("TX", "TX-cit-40h-1850", cit, "2025-02-01", rookie).status is Status.COMPLIANT
    assert (
        result("TX", "TX-cit-40h-1850", [], "2024-12-01", officer(hire="2017-05-01")).status
        is Status.NOT_APPLICABLE
    )


# --- California, Florida, Washington -------------------------------------------------------------


def test_california_pass_and_fail() -> None:
    """Cycle 2024-01-01 to 2025-12-31. Pass: firearms 4, driving 4, arrest and control 4,
    communications 2 (de-escalation), use of force 4, legal 6 = 24 h. Fail: no
    communications (legal 8): short 2.0 h of strategic communications."""
    good = [
        rec("2024-01-10", 4),
        rec("2024-02-10", 4, "emergency_vehicle_operations"),
        rec("2024-03-10", 4, "defensive_tactics"),
        rec("2024-04-10", 2, "de_escalation"),
        rec("2024-05-10", 4, "use_of_force"),
        rec("2025-01-10", 6, "legal_updates"),
    ]
    assert result("CA", "CA-cpt-24h", good, "2025-06-01").status is Status.COMPLIANT
    bad = [*good[:3], good[4], rec("2025-01-10", 8, "legal_updates")]
    failed = result("CA", "CA-cpt-24h", bad, "2025-06-01")
    assert [(s.label, s.shortfall) for s in failed.sub_minimums if s.shortfall] == [
        ("Strategic communications", 200)
    ]


def test_florida_pass_and_fail() -> None:
    """Certified 2019-09-15: first cycle to 2023-06-30. Pass: 40 h including use of force.
    Fail: 30 h, due 2023-06-30 in 60 days: short 10.0 h, due soon."""
    cop = officer(hire="2019-09-15")
    good = [rec("2020-01-01", 10, "use_of_force"), rec("2022-01-01", 30)]
    passed = result("FL", "FL-retraining-40h", good, "2023-05-01", cop)
    assert (passed.status, passed.window_start, passed.due_date) == (
        Status.COMPLIANT,
        date(2019, 9, 15),
        date(2023, 6, 30),
    )
    assert result("FL", "FL-use-of-force", good, "2023-05-01", cop).status is Status.COMPLIANT
    failed = result("FL", "FL-retraining-40h", [rec("2022-01-01", 30)], "2023-05-01", cop)
    assert (failed.status, failed.shortfall) == (Status.DUE_SOON, 1000)
    # Officer wellness took effect 2023-07-01, inside the second cycle.
    wellness = result("FL", "FL-officer-wellness", [], "2024-01-01", cop)
    assert (wellness.status, wellness.window_start) == (Status.IN_PROGRESS, date(2023, 7, 1))


def test_washington_pass_and_fail() -> None:
    """Certified 2015-03-10: cycles of 3 years, the current 2024-03-10 to 2027-03-09. Pass:
    20 h de-escalation + 20 h mental health. Fail: 20 h de-escalation + 20 h firearms: short
    20.0 h. Certified 2020-01-05 (after 2019-12-07): not applicable."""
    cop = officer(hire="2015-03-10")
    good = [rec("2024-05-01", 20, "de_escalation"), rec("2025-05-01", 20, "mental_health")]
    passed = result("WA", "WA-deescalation-mh-40h", good, "2025-06-01", cop)
    assert (passed.status, passed.window_start) == (Status.COMPLIANT, date(2024, 3, 10))
    bad = [good[0], rec("2025-05-01", 20)]
    assert result("WA", "WA-deescalation-mh-40h", bad, "2025-06-01", cop).shortfall == 2000
    assert (
        result(
            "WA", "WA-deescalation-mh-40h", good, "2025-06-01", officer(hire="2020-01-05")
        ).status
        is Status.NOT_APPLICABLE
    )


# --- New Jersey, Michigan ------------------------------------------------------------------------


def test_new_jersey_pass_and_fail() -> None:
    done = [rec("2021-06-01", 16, "de_escalation", title="ICAT/ABLE")]
    assert result("NJ", "NJ-icat-able", done, "2024-01-01").status is Status.COMPLIANT
    plain_icat = [rec("2021-06-01", 8, "de_escalation", title="ICAT")]
    failed = result("NJ", "NJ-icat-able", plain_icat, "2024-01-01")
    assert failed.status is Status.IN_PROGRESS
    assert "no deadline" in failed.explanation


def test_michigan_pass_and_fail() -> None:
    held = Certification(1, 1, "cit", date(2022, 5, 1), date(2026, 5, 1))
    assert (
        result("MI", "MI-cit-certification", [], "2024-01-01", certifications=[held]).status
        is Status.COMPLIANT
    )
    assert result("MI", "MI-cit-certification", [], "2024-01-01").status is Status.IN_PROGRESS
    lapsed = Certification(2, 1, "cit", date(2018, 5, 1), date(2022, 5, 1))
    assert (
        result("MI", "MI-cit-certification", [], "2024-01-01", certifications=[lapsed]).status
        is Status.NON_COMPLIANT
    )
