"""The shipped rule packs: each loads, and each state's rules pass and fail worked officers.

Every test's docstring gives the rule's citation and the numbers; an officer who passes and
one who fails sit on either side of the boundary (an hour, a day, a date the rule names).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import count
from pathlib import Path

import pytest

from deesc_desktop.core.compliance import RequirementResult, Status, evaluate, evaluate_officer
from deesc_desktop.core.models import Agency, Certification, Exemption, Officer, TrainingRecord
from deesc_desktop.core.rules import RulePack
from deesc_desktop.core.topics import TOPICS
from deesc_desktop.services.rule_files import builtin_pack_paths, load_pack

RULES_DIR = Path(__file__).resolve().parents[2] / "resources" / "rules"
STATES = [
    "IL",
    "MN",
    "OH",
    "WI",
    "IN",
    "TX",
    "CA",
    "FL",
    "GA",
    "CO",
    "WA",
    "UT",
    "NJ",
    "MI",
    "PA",
    "NC",
    "VA",
    "AZ",
]
PACKS: dict[str, RulePack] = {
    code: load_pack(path) for code, path in builtin_pack_paths(RULES_DIR).items()
}
AGENCY = Agency("Test PD", "IL")
_ids = count(1)


def officer(
    hire: str = "2010-01-04", license: str | None = None, rank: str = "", unit: str = ""
) -> Officer:
    return Officer(
        1,
        "1",
        "Doe",
        "Jan",
        date.fromisoformat(hire),
        rank=rank,
        unit=unit,
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
    agency: Agency = AGENCY,
) -> RequirementResult:
    requirement = PACKS[state].requirement(requirement_id)
    return evaluate(
        who or officer(),
        requirement,
        records,
        exemptions,
        certifications,
        date.fromisoformat(as_of),
        agency,
    )


def status(
    state: str, requirement_id: str, records: Sequence[TrainingRecord], as_of: str, **kw: object
) -> Status:
    return result(state, requirement_id, records, as_of, **kw).status  # type: ignore[arg-type]


def short(found: RequirementResult) -> list[tuple[str, int]]:
    """(label, shortfall in hundredths) of each sub-minimum not met."""
    return [(s.label, s.shortfall) for s in found.sub_minimums if s.shortfall]


# --- every pack ----------------------------------------------------------------------------------


def test_every_state_in_the_brief_ships_a_pack() -> None:
    assert sorted(PACKS) == sorted(STATES)


@pytest.mark.parametrize("state", STATES)
def test_pack_is_complete_and_consistent(state: str) -> None:
    pack = PACKS[state]
    assert pack.jurisdiction == state
    assert pack.name and pack.version and pack.notes
    assert pack.checks and pack.does_not_check and pack.verified_on is not None
    assert pack.requirements
    for requirement in pack.requirements:
        assert requirement.id.startswith(f"{state}-")
        assert requirement.source, requirement.id
        assert "Confidence" in requirement.notes, requirement.id
        for code in requirement.topics:
            assert code in TOPICS, (requirement.id, code)


@pytest.mark.parametrize("state", STATES)
def test_a_partial_pack_says_what_it_does_not_check_and_when_it_was_verified(state: str) -> None:
    line = PACKS[state].coverage_line()
    assert line.startswith("Partial: does not check ")
    assert line.endswith(f"Rules verified {PACKS[state].verified_on}.")


def test_low_confidence_and_unknowns_are_stated_in_notes() -> None:
    assert "Cycle anchoring: unknown" in PACKS["IL"].requirement("IL-inservice-30h").notes
    assert "2024 topics" in PACKS["OH"].does_not_check
    assert "Confidence: medium" in PACKS["NJ"].requirement("NJ-icat-able").notes
    assert "voluntary" in PACKS["MI"].notes


def test_removed_requirements_stay_removed() -> None:
    """Michigan CIT certification is voluntary (MCOLES), never a requirement; Wisconsin's
    "4 h scenario de-escalation" was a bill that failed (2021 AB332): it ships only as an
    opt-in agency example that loads on its own."""
    assert all("cit" not in r.id.lower() for r in PACKS["MI"].requirements)
    assert all(r.certification is None for r in PACKS["MI"].requirements)
    assert all("scenario" not in r.id for r in PACKS["WI"].requirements)
    example = load_pack(RULES_DIR / "examples" / "WI-scenario-deescalation-opt-in.toml")
    assert [r.id for r in example.requirements] == ["AGENCY-scenario-deescalation-4h"]
    assert "examples" not in {p.parent.name for p in builtin_pack_paths(RULES_DIR).values()}


# --- Illinois ------------------------------------------------------------------------------------


def test_illinois_30_hours_pass_and_fail() -> None:
    """50 ILCS 705/10.6: 30 h per cycle (2022-07-01 to 2025-06-30 assumed), at least 12 h
    scenario-based within the use-of-force subjects, 6 h use of force / de-escalation, 6 h
    high-risk traffic stops. Pass: 6 h scenario use of force + 6 h scenario traffic stops +
    18 h firearms = 30 h, scenario 12. Fail one: 17.75 h firearms = 29.75 h, short 0.25 h.
    Fail two: a scenario-based firearms class does not count toward the scenario 12 h:
    6 h scenario use of force + 5 h scenario traffic stops (+1 h classroom) + 18 h scenario
    firearms = 30 h, scenario 11 of 12."""
    good = [
        rec("2022-09-01", 6, "use_of_force", "scenario"),
        rec("2023-09-01", 6, "high_risk_traffic_stops", "scenario"),
        rec("2024-09-01", 18),
    ]
    assert status("IL", "IL-inservice-30h", good, "2025-06-30") is Status.COMPLIANT
    under = [*good[:2], rec("2024-09-01", 17.75)]
    failed = result("IL", "IL-inservice-30h", under, "2025-06-30")
    assert (failed.status, failed.shortfall) == (Status.DUE_SOON, 25)
    firearms_scenario = [
        good[0],
        rec("2023-09-01", 5, "high_risk_traffic_stops", "scenario"),
        rec("2023-09-02", 1, "high_risk_traffic_stops"),
        rec("2024-09-01", 18, "firearms", "scenario"),
    ]
    failed = result("IL", "IL-inservice-30h", firearms_scenario, "2025-06-30")
    assert (failed.shortfall, short(failed)) == (0, [("Scenario-based training", 100)])
    # The next cycle starts on 2025-07-01 and the unmet one makes the officer non-compliant.
    assert status("IL", "IL-inservice-30h", under, "2025-07-01") is Status.NON_COMPLIANT


IL_ANNUAL = [
    ("IL-crisis-intervention-annual", "crisis_intervention"),
    ("IL-emergency-medical-annual", "first_aid"),
    ("IL-law-updates-annual", "legal_updates"),
    ("IL-officer-wellness-annual", "officer_wellness"),
    ("IL-firearms-restraining-order-annual", "firearms_restraining_order"),
    ("IL-firearms-qualification-annual", "firearms"),
]


@pytest.mark.parametrize(("requirement_id", "topic"), IL_ANNUAL)
def test_illinois_annual_topics_pass_and_fail(requirement_id: str, topic: str) -> None:
    """ILETSB mandate list (MTU 9), 50 ILCS 705/10.6: annual topics with no hour minimum
    (calendar year assumed). A 1-hour class on 2024-12-31 meets 2024; a class on 2025-01-01
    does not: as of 2024-12-31 it is due today, and from 2025-01-01 the unmet 2024 makes the
    officer non-compliant."""
    assert status("IL", requirement_id, [rec("2024-12-31", 1, topic)], "2024-12-31") is (
        Status.COMPLIANT
    )
    late = [rec("2023-06-01", 1, topic), rec("2025-01-01", 1, topic)]
    assert status("IL", requirement_id, late, "2024-12-31") is Status.DUE_SOON
    assert status("IL", requirement_id, late[:1], "2025-01-02") is Status.NON_COMPLIANT


IL_THREE_YEAR = [
    ("IL-sexual-assault-3yr", "sexual_assault"),
    ("IL-constitutional-authority-3yr", "constitutional_law"),
    ("IL-civil-human-rights-3yr", "civil_rights"),
    ("IL-procedural-justice-3yr", "procedural_justice"),
    ("IL-child-abuse-reporting-3yr", "child_abuse_reporting"),
    ("IL-officer-safety-3yr", "officer_safety"),
]


@pytest.mark.parametrize(("requirement_id", "topic"), IL_THREE_YEAR)
def test_illinois_three_year_topics_pass_and_fail(requirement_id: str, topic: str) -> None:
    """ILETSB mandate list (MTU 9): three-year topics with no hour minimum, in the cycle
    2022-07-01 to 2025-06-30. A class on the cycle's last day counts; one the day before the
    cycle began does not, and after 2025-06-30 the officer is non-compliant."""
    assert status("IL", requirement_id, [rec("2025-06-30", 1, topic)], "2025-06-30") is (
        Status.COMPLIANT
    )
    before = [rec("2022-06-30", 1, topic)]
    assert status("IL", requirement_id, before, "2025-06-30") is Status.DUE_SOON
    assert status("IL", requirement_id, before, "2025-07-01") is Status.NON_COMPLIANT


@pytest.mark.parametrize(("requirement_id", "topic"), IL_ANNUAL + IL_THREE_YEAR)
def test_illinois_topics_excuse_the_academy_not_a_lateral_hire(
    requirement_id: str, topic: str
) -> None:
    """The pack excuses a mandated topic in the year or cycle of the basic academy (assumed:
    the academy covers it). An officer certified years before who joins this agency owes the
    topic like everyone else; a recruit certified in the period does not."""
    lateral = officer(hire="2024-03-10", license="2010-05-01")
    recruit = officer(hire="2024-03-10", license="2024-02-20")
    owed = status("IL", requirement_id, [], "2024-12-31", who=lateral)
    assert owed in (Status.DUE_SOON, Status.IN_PROGRESS)  # the year ends today, the cycle in June
    excused = result("IL", requirement_id, [], "2024-12-31", who=recruit)
    assert excused.status is Status.EXEMPT
    assert "Certified 2024-02-20" in excused.explanation


# --- Minnesota -----------------------------------------------------------------------------------


def test_minnesota_licence_period_ends_30_june() -> None:
    """Minn. R. 6700.1000: 3-year licence periods end 30 June. Licensed 2020-07-01: the
    first period ends 2023-06-30, the next runs 2023-07-01 to 2026-06-30."""
    cop = officer(hire="2020-07-01")
    assert (result("MN", "MN-licence-48h", [], "2023-06-30", cop).window_end) == date(2023, 6, 30)
    current = result("MN", "MN-licence-48h", [], "2024-01-01", cop)
    assert (current.window_start, current.window_end) == (date(2023, 7, 1), date(2026, 6, 30))


def test_minnesota_48_credits_and_mandated_categories_pass_and_fail() -> None:
    """Minn. R. 6700.1000, Minn. Stat. 626.8469: 48 credits, 16 in the mandated categories
    (crisis / mental illness >= 6, autism >= 4, conflict management >= 1, implicit bias >= 1,
    crimes motivated by bias >= 1). Period 2023-07-01 to 2026-06-30. Pass: crisis 6, autism
    4, conflict 1, implicit bias 1, bias crimes 1, cultural competency 3 (= 16 mandated) +
    32 firearms = 48. Fail: cultural competency 2 and firearms 33: 48 credits but 15
    mandated, short 1 of the mandated categories."""
    cop = officer(hire="2020-07-01")
    mandated = [
        rec("2023-08-01", 6, "crisis_intervention"),
        rec("2023-09-01", 4, "autism_awareness"),
        rec("2023-10-01", 1, "conflict_management"),
        rec("2023-11-01", 1, "implicit_bias"),
        rec("2023-12-01", 1, "bias_crimes"),
    ]
    good = [*mandated, rec("2024-01-01", 3, "cultural_competency"), rec("2025-01-01", 32)]
    assert status("MN", "MN-licence-48h", good, "2026-06-30", who=cop) is Status.COMPLIANT
    bad = [*mandated, rec("2024-01-01", 2, "cultural_competency"), rec("2025-01-01", 33)]
    failed = result("MN", "MN-licence-48h", bad, "2026-06-30", cop)
    assert (failed.shortfall, short(failed)) == (0, [("Mandated categories", 100)])
    no_bias_crimes = [*mandated[:4], rec("2024-01-01", 4, "cultural_competency")]
    failed = result(
        "MN", "MN-licence-48h", [*no_bias_crimes, rec("2025-01-01", 32)], "2026-06-30", cop
    )
    assert short(failed) == [("Crimes motivated by bias", 100)]


def test_minnesota_autism_from_the_2021_07_01_licence_periods() -> None:
    """Minn. Stat. 626.8474: autism training (4 credits) is required in licence periods that
    begin on or after 2021-07-01. Licensed 2018-07-01: the period 2018-07-01 to 2021-06-30
    needs no autism; the same training in 2021-07-01 to 2024-06-30 is short 4 of autism."""
    cop = officer(hire="2018-07-01")

    def without_autism(year: int) -> list[TrainingRecord]:
        return [
            rec(f"{year}-08-01", 8, "crisis_intervention"),
            rec(f"{year}-09-01", 5, "conflict_management"),
            rec(f"{year}-10-01", 2, "implicit_bias"),
            rec(f"{year}-11-01", 1, "bias_crimes"),
            rec(f"{year + 1}-01-01", 32),
        ]

    early = result("MN", "MN-licence-48h", without_autism(2018), "2021-06-30", cop)
    assert early.status is Status.COMPLIANT
    assert "Autism awareness" not in [s.label for s in early.sub_minimums]
    later = result("MN", "MN-licence-48h", without_autism(2021), "2024-06-30", cop)
    assert short(later) == [("Autism awareness", 400)]


def test_minnesota_use_of_force_every_year_pass_and_fail() -> None:
    """Minn. R. 6700.1000: at least 1 credit of use-of-force training every year (calendar
    year assumed). Pass: 1 credit on 2024-12-31. Fail: 0.75 credit in 2024 (2023 was met),
    short 0.25 and due at the year end."""
    assert status(
        "MN", "MN-use-of-force-annual", [rec("2024-12-31", 1, "use_of_force")], "2024-12-31"
    ) is (Status.COMPLIANT)
    failed = result(
        "MN",
        "MN-use-of-force-annual",
        [rec("2023-03-01", 1, "use_of_force"), rec("2024-03-01", 0.75, "use_of_force")],
        "2024-12-31",
    )
    assert (failed.status, failed.shortfall) == (Status.DUE_SOON, 25)


def test_minnesota_emergency_vehicle_operation_every_5_years() -> None:
    """Minn. R. 6700.1000: emergency vehicle operation 8 hours every 5 years. Licensed 2010;
    nobody is due before 2023-07-01 (5 years after the pack starts). Pass: 8 h on 2020-05-01,
    due again 2025-05-01, overdue the day after. Fail: 7.75 h never completes: overdue from
    2023-07-02."""
    done = [rec("2020-05-01", 8, "emergency_vehicle_operations")]
    passed = result("MN", "MN-evoc-8h-5yr", done, "2024-01-01")
    assert (passed.status, passed.due_date) == (Status.COMPLIANT, date(2025, 5, 1))
    assert status("MN", "MN-evoc-8h-5yr", done, "2025-05-02") is Status.NON_COMPLIANT
    under = [rec("2020-05-01", 7.75, "emergency_vehicle_operations")]
    assert status("MN", "MN-evoc-8h-5yr", under, "2023-07-01") is Status.DUE_SOON
    assert status("MN", "MN-evoc-8h-5yr", under, "2023-07-02") is Status.NON_COMPLIANT


# --- Ohio ----------------------------------------------------------------------------------------


def test_ohio_uses_the_rule_in_force_each_year() -> None:
    """Ohio Attorney General, OPOTC CPT: each year's hours and topics are their own rule. A
    report as of a date in 2022 evaluates only the 2022 rule, and so on to 2024; a report in
    2025 finds no Ohio rule in force (the service says so on the report)."""
    pack = PACKS["OH"]

    def ids(as_of: date) -> list[str]:
        found = evaluate_officer(officer(), pack.requirements, [], [], [], as_of, AGENCY)
        return [r.requirement_id for r in found]

    assert ids(date(2022, 12, 31)) == ["OH-cpt-2022"]
    assert ids(date(2023, 1, 1)) == ["OH-cpt-2023"]
    assert ids(date(2024, 6, 1)) == ["OH-cpt-2024"]
    assert ids(date(2025, 1, 1)) == []


def test_ohio_2022_pass_and_fail() -> None:
    """OPOTC CPT 2022: 24 h including 4 h diversity / equity. Pass: 4 h cultural competency +
    20 h firearms. Fail: 3.75 h implicit bias + 20.25 h firearms = 24 h, short 0.25 h of
    diversity / equity."""
    good = [rec("2022-03-01", 4, "cultural_competency"), rec("2022-04-01", 20)]
    assert status("OH", "OH-cpt-2022", good, "2022-11-01") is Status.COMPLIANT
    bad = [rec("2022-03-01", 3.75, "implicit_bias"), rec("2022-04-01", 20.25)]
    failed = result("OH", "OH-cpt-2022", bad, "2022-11-01")
    assert (failed.status, short(failed)) == (Status.DUE_SOON, [("Diversity / equity", 25)])


def test_ohio_2023_pass_and_fail() -> None:
    """OPOTC CPT 2023: 24 h including school threat assessment 3, legal updates 3, arrest /
    search and seizure 2 (the new constitutional_law topic counts). Pass: 3 + 3 + 2 + 16.
    Fail: legal updates missing (firearms 19 instead): short 3 h of legal updates."""
    good = [
        rec("2023-02-01", 3, "school_threat_assessment"),
        rec("2023-03-01", 3, "legal_updates"),
        rec("2023-04-01", 2, "constitutional_law"),
        rec("2023-05-01", 16),
    ]
    assert status("OH", "OH-cpt-2023", good, "2023-12-31") is Status.COMPLIANT
    old_code = [*good[:2], rec("2023-04-01", 2, "arrest_search_seizure"), good[3]]
    assert status("OH", "OH-cpt-2023", old_code, "2023-12-31") is Status.COMPLIANT
    bad = [good[0], good[2], rec("2023-05-01", 19)]
    assert short(result("OH", "OH-cpt-2023", bad, "2023-12-31")) == [("Legal updates", 300)]


def test_ohio_2024_pass_and_fail() -> None:
    """OPOTC CPT 2024: 24 h (topics not encoded). Pass: 24 h by 2024-12-31. Fail: 23.75 h,
    short 0.25 h, due 2024-12-31."""
    assert status("OH", "OH-cpt-2024", [rec("2024-12-31", 24)], "2024-12-31") is Status.COMPLIANT
    failed = result("OH", "OH-cpt-2024", [rec("2024-05-01", 23.75)], "2024-12-31")
    assert (failed.shortfall, failed.due_date) == (25, date(2024, 12, 31))


# --- Wisconsin -----------------------------------------------------------------------------------


def test_wisconsin_24_hours_per_fiscal_year_pass_and_fail() -> None:
    """Wis. Stat. 165.85: 24 h per fiscal year (July-June). FY 2023-07-01 to 2024-06-30.
    Pass: 24 h, the last class on 2024-06-30. Fail: that class on 2024-07-01 falls in the next
    fiscal year: 20 of 24."""
    good = [rec("2023-08-01", 20), rec("2024-06-30", 4)]
    passed = result("WI", "WI-recert-24h", good, "2024-06-30")
    assert (passed.status, passed.window_start) == (Status.COMPLIANT, date(2023, 7, 1))
    late = [rec("2023-08-01", 20), rec("2024-07-01", 4)]
    assert result("WI", "WI-recert-24h", late, "2024-06-30").shortfall == 400


def test_wisconsin_pursuit_every_2_years_pass_and_fail() -> None:
    """Wis. Stat. 165.85 (LESB): pursuit training 4 h every 2 years (periods of two fiscal
    years from 2022-07-01 assumed: 2022-07-01 to 2024-06-30). Pass: 4 h emergency vehicle /
    pursuit. Fail: 3.5 h, short 0.5 h; non-compliant from 2024-07-01."""
    good = [rec("2023-05-01", 4, "emergency_vehicle_operations")]
    assert status("WI", "WI-pursuit-4h-2yr", good, "2024-06-30") is Status.COMPLIANT
    bad = [rec("2023-05-01", 3.5, "emergency_vehicle_operations")]
    assert result("WI", "WI-pursuit-4h-2yr", bad, "2024-06-30").shortfall == 50
    assert status("WI", "WI-pursuit-4h-2yr", bad, "2024-07-01") is Status.NON_COMPLIANT


def test_wisconsin_handgun_qualification_every_fiscal_year() -> None:
    """Wis. Stat. 165.85 (LESB): annual handgun qualification. Pass: a firearms class on
    2024-07-01 meets FY 2024-25. Fail: the last one on 2024-06-30 was in FY 2023-24."""
    assert status("WI", "WI-handgun-qualification", [rec("2024-07-01", 2)], "2025-01-01") is (
        Status.COMPLIANT
    )
    assert status("WI", "WI-handgun-qualification", [rec("2024-06-30", 2)], "2025-01-01") is (
        Status.IN_PROGRESS
    )


# --- Indiana -------------------------------------------------------------------------------------


def _indiana(year: int, defensive: float) -> list[TrainingRecord]:
    return [
        rec(f"{year}-02-01", 2),
        rec(f"{year}-03-01", 2, "emergency_vehicle_operations"),
        rec(f"{year}-04-01", defensive, "defensive_tactics"),
        rec(f"{year}-05-01", 20 - defensive, "de_escalation"),
    ]


def test_indiana_defensive_tactics_2_hours_until_2023_4_from_2024() -> None:
    """250 IAC 2-7-1 with LSA #23-732: 24 h a year with firearms 2, emergency vehicle
    operation 2, defensive tactics 2 until the 2024 rule and 4 after. 2023: 2 h defensive
    tactics meets it. 2024: the same 2 h is short 2 h; 4 h meets it."""
    assert status("IN", "IN-inservice-24h", _indiana(2023, 2), "2023-12-31") is Status.COMPLIANT
    failed = result("IN", "IN-inservice-24h", _indiana(2024, 2), "2024-12-31")
    assert short(failed) == [("Defensive tactics", 200)]
    assert status("IN", "IN-inservice-24h", _indiana(2024, 4), "2024-12-31") is Status.COMPLIANT


@pytest.mark.parametrize(
    ("requirement_id", "topic", "since"),
    [
        ("IN-de-escalation-annual", "de_escalation", 2023),
        ("IN-mental-illness-annual", "disabilities", 2024),
        ("IN-autism-dementia-annual", "dementia_missing_persons", 2024),
        ("IN-human-trafficking-annual", "human_trafficking", 2024),
        ("IN-hazmat-annual", "hazmat", 2024),
    ],
)
def test_indiana_mandated_topics_every_year(requirement_id: str, topic: str, since: int) -> None:
    """250 IAC 2-7-1, LSA #23-732: topics mandated with no hour minimum (each calendar year
    assumed): de-escalation from 2023, the others from 2024. A class in the year passes;
    without one the officer is due at year end and non-compliant the next year; before the
    rule took effect it does not apply."""
    assert status("IN", requirement_id, [rec(f"{since}-06-01", 1, topic)], f"{since}-12-31") is (
        Status.COMPLIANT
    )
    assert status("IN", requirement_id, [], f"{since}-12-31") is Status.DUE_SOON
    assert status("IN", requirement_id, [], f"{since + 1}-01-02") is Status.NON_COMPLIANT
    assert status("IN", requirement_id, [], f"{since - 1}-12-31") is Status.NOT_APPLICABLE


# --- Texas ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "requirement_id",
    [
        "TX-deescalation-1849",
        "TX-crisis-intervention-3843",
        "TX-cultural-diversity-3939",
        "TX-special-investigative-3232",
    ],
)
def test_texas_four_year_courses_in_the_2021_2025_cycle(requirement_id: str) -> None:
    """37 TAC 218.3: below the Intermediate certificate, courses 1849, 3843, 3939 and 3232
    once in each 4-year cycle, 2021-09-01 to 2025-08-31 then 2025-09-01 to 2029-08-31. An
    officer who took the course in May 2022 met the 2021-2025 cycle (and starts the next one
    in progress); one who did not is due on 2025-08-31 and non-compliant after it. Holding the
    Intermediate certificate: not applicable."""
    number = requirement_id.rsplit("-", 1)[1]
    took = [rec("2022-05-10", 8, "de_escalation", number=number)]
    assert status("TX", requirement_id, took, "2025-08-31") is Status.COMPLIANT
    after = result("TX", requirement_id, took, "2025-09-01")
    assert (after.status, after.window_start, after.previous_window) == (
        Status.IN_PROGRESS,
        date(2025, 9, 1),
        "met",
    )
    assert status("TX", requirement_id, [], "2025-08-31") is Status.DUE_SOON
    assert status("TX", requirement_id, [], "2025-09-01") is Status.NON_COMPLIANT
    intermediate = Certification(1, 1, "Intermediate", date(2015, 1, 1))
    assert status("TX", requirement_id, [], "2025-09-01", certifications=[intermediate]) is (
        Status.NOT_APPLICABLE
    )


def test_texas_training_unit_and_active_shooter_hours() -> None:
    """37 TAC 218.3: 40 h per 2-year unit from 1 September of odd years; 16 h of
    active-shooter response from the 2023-2025 unit. Unit 2021-09-01 to 2023-08-31: 40 h
    with no active-shooter hours meets it. Unit 2023-09-01 to 2025-08-31: 15.75 h active
    shooter + 24.25 h other = 40 h is short 0.25 h of active-shooter response; 16 + 24
    meets it."""
    assert status("TX", "TX-ce-40h", [rec("2022-01-01", 40)], "2023-08-31") is Status.COMPLIANT
    bad = [rec("2024-01-01", 15.75, "active_shooter"), rec("2024-06-01", 24.25)]
    failed = result("TX", "TX-ce-40h", bad, "2025-01-01")
    assert (short(failed), failed.due_date) == (
        [("Active-shooter response", 25)],
        date(2025, 8, 31),
    )
    good = [rec("2024-01-01", 16, "active_shooter"), rec("2024-06-01", 24)]
    assert status("TX", "TX-ce-40h", good, "2025-01-01") is Status.COMPLIANT


def test_texas_legislative_update_each_unit() -> None:
    """37 TAC 218.3: a legislative update each 2-year unit. A class on 2023-09-01 counts for
    the 2023-2025 unit; one on 2023-08-31 was in the unit before."""
    assert status(
        "TX", "TX-legislative-update", [rec("2023-09-01", 4, "legislative_update")], "2025-01-01"
    ) is (Status.COMPLIANT)
    assert status(
        "TX", "TX-legislative-update", [rec("2023-08-31", 4, "legislative_update")], "2025-01-01"
    ) is (Status.IN_PROGRESS)


def test_texas_alerrt_level_1_by_2027_08_31() -> None:
    """37 TAC 218.3: ALERRT Level 1 by 2027-08-31. Completed on the deadline: compliant.
    Not completed: due soon before it, non-compliant from 2027-09-01; completed on
    2027-09-15: compliant, with the lateness said. Hired after the deadline: not covered."""
    on_time = [rec("2027-08-31", 16, "active_shooter", title="ALERRT Level 1")]
    assert status("TX", "TX-alerrt-level1", on_time, "2027-09-01") is Status.COMPLIANT
    assert status("TX", "TX-alerrt-level1", [], "2027-08-01") is Status.DUE_SOON
    assert status("TX", "TX-alerrt-level1", [], "2027-09-01") is Status.NON_COMPLIANT
    late = [rec("2027-09-15", 16, "active_shooter", title="ALERRT Level 1")]
    found = result("TX", "TX-alerrt-level1", late, "2027-10-01")
    assert found.status is Status.COMPLIANT
    assert "after the deadline 2027-08-31" in found.explanation
    new = officer(hire="2027-09-01")
    assert status("TX", "TX-alerrt-level1", [], "2028-01-01", who=new) is Status.NOT_APPLICABLE


def test_texas_cit_course_1850_within_two_years_in_person() -> None:
    """Tex. Occ. Code 1701.253(j): the 40-hour CIT course 1850 by the 2nd anniversary of the
    licence; online training does not satisfy it. Licensed 2023-01-10: due 2025-01-10. A
    classroom completion on 2025-01-10 is on time; the same course online does not count,
    so the officer is non-compliant on 2025-01-11. Licensed before 2018-04-01: not covered."""
    rookie = officer(hire="2023-01-10")
    classroom = [rec("2025-01-10", 40, "crisis_intervention", number="1850")]
    assert status("TX", "TX-cit-40h-1850", classroom, "2025-01-11", who=rookie) is Status.COMPLIANT
    online = [rec("2025-01-10", 40, "crisis_intervention", "online", number="1850")]
    assert status("TX", "TX-cit-40h-1850", online, "2025-01-11", who=rookie) is Status.NON_COMPLIANT
    assert status("TX", "TX-cit-40h-1850", [], "2024-12-01", who=rookie) is Status.DUE_SOON
    veteran = officer(hire="2017-05-01")
    assert status("TX", "TX-cit-40h-1850", [], "2024-12-01", who=veteran) is Status.NOT_APPLICABLE


# --- California ----------------------------------------------------------------------------------


def test_california_cycles_begin_1_january_of_odd_years() -> None:
    """California POST CPT: 24 h per 2-year cycle, 2025-01-01 to 2026-12-31 then 2027-2028.
    Pass: 24 h between 2025-01-01 and 2026-12-31. Fail: 12 h on 2024-12-31 belongs to the
    2023-2024 cycle, so only 12 of 24 count."""
    good = [rec("2025-01-01", 12), rec("2026-12-31", 12)]
    passed = result("CA", "CA-cpt-24h", good, "2026-12-31")
    assert (passed.status, passed.window_start, passed.window_end) == (
        Status.COMPLIANT,
        date(2025, 1, 1),
        date(2026, 12, 31),
    )
    bad = [rec("2024-12-31", 12), rec("2026-12-31", 12)]
    assert result("CA", "CA-cpt-24h", bad, "2026-12-31").shortfall == 1200
    assert result("CA", "CA-cpt-24h", [], "2027-01-01").window_end == date(2028, 12, 31)


def _perishable(communications: float) -> list[TrainingRecord]:
    return [
        rec("2025-01-10", 4),
        rec("2025-02-10", 4, "emergency_vehicle_operations"),
        rec("2025-03-10", 4, "defensive_tactics"),
        rec("2025-04-10", communications, "tactical_communications"),
        rec("2025-05-10", 4, "use_of_force"),
        rec("2025-06-10", 2 - communications, "legal_updates"),
    ]


def test_california_perishable_skills_pass_and_fail() -> None:
    """California POST perishable skills: firearms 4, driving 4, arrest and control 4,
    strategic communications 2, use of force 4 in the cycle. Pass: exactly those. Fail:
    1.75 h of communications (0.25 h legal instead), short 0.25 h."""
    assert status("CA", "CA-perishable-skills", _perishable(2), "2026-06-01") is Status.COMPLIANT
    failed = result("CA", "CA-perishable-skills", _perishable(1.75), "2026-06-01")
    assert short(failed) == [("Strategic communications", 25)]


# --- Florida -------------------------------------------------------------------------------------


def test_florida_cycle_ends_first_30_june_after_the_4th_anniversary() -> None:
    """Fla. Admin. Code 11B-27.00212: the cycle ends the first 30 June on or after the 4th
    anniversary of certification; the rule's example: certified 1997-11-21, due 2002-06-30.
    The next cycle runs 2002-07-01 to 2006-06-30. Certified 1998-06-30 (anniversary on a
    30 June): due 2002-06-30; certified 1998-07-01: due 2003-06-30."""
    example = officer(hire="1997-11-21")
    first = result("FL", "FL-retraining-40h", [], "2001-07-01", example)
    assert (first.window_start, first.window_end) == (date(1997, 11, 21), date(2002, 6, 30))
    second = result("FL", "FL-retraining-40h", [], "2002-07-01", example)
    assert (second.window_start, second.window_end) == (date(2002, 7, 1), date(2006, 6, 30))
    on_the_day = officer(hire="1998-06-30")
    assert result("FL", "FL-retraining-40h", [], "2001-01-01", on_the_day).window_end == date(
        2002, 6, 30
    )
    day_after = officer(hire="1998-07-01")
    assert result("FL", "FL-retraining-40h", [], "2001-01-01", day_after).window_end == date(
        2003, 6, 30
    )


def test_florida_40_hours_pass_and_fail() -> None:
    """Fla. Admin. Code 11B-27.00212: 40 h per cycle. Certified 1997-11-21, cycle to
    2002-06-30. Pass: 40 h, the last on 2002-06-30. Fail: 39.75 h: short 0.25 h, and
    non-compliant from 2002-07-01."""
    cop = officer(hire="1997-11-21")
    good = [rec("1999-01-01", 30), rec("2002-06-30", 10)]
    assert status("FL", "FL-retraining-40h", good, "2002-06-30", who=cop) is Status.COMPLIANT
    bad = [rec("1999-01-01", 30), rec("2002-06-30", 9.75)]
    assert result("FL", "FL-retraining-40h", bad, "2002-06-30", cop).shortfall == 25
    assert status("FL", "FL-retraining-40h", bad, "2002-07-01", who=cop) is Status.NON_COMPLIANT


def test_florida_use_of_force_from_2002_11_05() -> None:
    """Fla. Admin. Code 11B-27.00212: use-of-force training each cycle, in force from
    2002-11-05. On 2002-11-04 it does not apply; from 2002-11-05 the cycle 2002-07-01 to
    2006-06-30 needs a use-of-force class: one on 2002-07-01 counts, one on 2002-06-30 (the
    cycle before) does not."""
    cop = officer(hire="1997-11-21")
    assert status("FL", "FL-use-of-force", [], "2002-11-04", who=cop) is Status.NOT_APPLICABLE
    inside = [rec("2002-07-01", 2, "use_of_force")]
    assert status("FL", "FL-use-of-force", inside, "2002-11-05", who=cop) is Status.COMPLIANT
    before = [rec("2002-06-30", 2, "use_of_force")]
    assert status("FL", "FL-use-of-force", before, "2002-11-05", who=cop) is Status.IN_PROGRESS


def test_florida_human_diversity_and_wellness_each_cycle() -> None:
    """Fla. Admin. Code 11B-27.00212: human diversity each cycle; officer wellness from
    2023-07-01 (start to confirm). Certified 2019-09-15: cycle 2019-09-15 to 2024-06-30 (first
    30 June after 2023-09-15), then 2024-07-01 to 2028-06-30. A cultural-competency class in
    the cycle meets human diversity; none leaves it due."""
    cop = officer(hire="2019-09-15")
    diversity = [rec("2024-08-01", 2, "cultural_competency")]
    assert status("FL", "FL-human-diversity", diversity, "2025-01-01", who=cop) is Status.COMPLIANT
    assert status("FL", "FL-human-diversity", [], "2024-06-01", who=cop) is Status.DUE_SOON
    wellness = result("FL", "FL-officer-wellness", [], "2024-01-01", cop)
    assert (wellness.status, wellness.window_start, wellness.window_end) == (
        Status.IN_PROGRESS,
        date(2019, 9, 15),
        date(2024, 6, 30),
    )


# --- Georgia, Colorado ---------------------------------------------------------------------------


def test_georgia_annual_20_hours_pass_and_fail() -> None:
    """O.C.G.A. 35-8-21, GA POST Rule 464-5-.03.1: 20 h a year with de-escalation 1, deadly
    force 1, community policing 2. Pass: 1 + 1 + 2 + 16. Fail: community policing 1.75 h
    (16.25 other): short 0.25 h of community policing."""
    base = [rec("2024-02-01", 1, "de_escalation"), rec("2024-02-02", 1, "use_of_force")]
    good = [*base, rec("2024-02-03", 2, "community_policing"), rec("2024-02-04", 16)]
    assert status("GA", "GA-annual-20h", good, "2024-06-01") is Status.COMPLIANT
    bad = [*base, rec("2024-02-03", 1.75, "community_policing"), rec("2024-02-04", 16.25)]
    assert short(result("GA", "GA-annual-20h", bad, "2024-06-01")) == [("Community policing", 25)]


def test_georgia_firearms_requalification_every_year() -> None:
    """GA POST Rule 464-5-.03.1: firearms requalification (pass/fail) each year. A firearms
    class in 2024 meets 2024; one on 2023-12-31 does not."""
    assert status("GA", "GA-firearms-requalification", [rec("2024-01-01", 4)], "2024-06-01") is (
        Status.COMPLIANT
    )
    assert status("GA", "GA-firearms-requalification", [rec("2023-12-31", 4)], "2024-06-01") is (
        Status.IN_PROGRESS
    )


def test_colorado_annual_24_hours_with_one_hour_each_perishable_skill() -> None:
    """Colorado POST Rule 28 (from 2015-01-14): 24 h a year, 12 in perishable skills with at
    least 1 h each of arrest control, driving and firearms. Pass: firearms 10, driving 1,
    arrest control 1, other 12. Fail: firearms 11, driving 1, no arrest control: perishable
    12 met but short 1 h of arrest control."""
    good = [
        rec("2024-01-05", 10),
        rec("2024-02-05", 1, "emergency_vehicle_operations"),
        rec("2024-02-06", 1, "defensive_tactics"),
        rec("2024-03-05", 12, "legal_updates"),
    ]
    assert status("CO", "CO-annual-24h", good, "2024-06-01") is Status.COMPLIANT
    bad = [rec("2024-01-05", 11), good[1], good[3]]
    assert short(result("CO", "CO-annual-24h", bad, "2024-06-01")) == [("Arrest control", 100)]
    assert status("CO", "CO-annual-24h", [], "2015-01-13") is Status.NOT_APPLICABLE


def _colorado_set(day: str, community: float = 2) -> list[TrainingRecord]:
    return [
        rec(day, 2, "de_escalation"),
        rec(day, 4, "holds_and_restraints"),
        rec(day, 4, "implicit_bias"),
        rec(day, community, "community_policing"),
    ]


def test_colorado_five_year_set_is_one_clock_first_due_2017_07_01() -> None:
    """Colorado POST Rule 28, C.R.S. 24-31-315: de-escalation 2, holds and restraints 4,
    anti-bias 4, community policing 2, as one set; first due 2017-07-01. Licensed 2010: the
    whole set on 2016-06-01 meets it, due again 2021-06-01. Community policing 1.75 h: the set
    is never complete, due soon on 2017-07-01 and non-compliant the day after."""
    done = result("CO", "CO-5yr-set", _colorado_set("2016-06-01"), "2017-07-02")
    assert (done.status, done.due_date) == (Status.COMPLIANT, date(2021, 6, 1))
    short_set = _colorado_set("2016-06-01", community=1.75)
    assert status("CO", "CO-5yr-set", short_set, "2017-07-01") is Status.DUE_SOON
    overdue = result("CO", "CO-5yr-set", short_set, "2017-07-02")
    assert overdue.status is Status.NON_COMPLIANT
    assert short(overdue) == [("Community policing", 25)]


def test_colorado_five_year_clock_resets_only_when_the_whole_set_is_complete() -> None:
    """Colorado POST Rule 28: "the five year deadline will be re-set from the date the last
    mandated training was completed". De-escalation in 2016 and the rest on 2019-03-01: the
    set is complete on 2019-03-01, so the next due date is 2024-03-01, not 5 years after the
    2016 class."""
    records = [rec("2016-02-01", 2, "de_escalation"), *_colorado_set("2019-03-01")[1:]]
    found = result("CO", "CO-5yr-set", records, "2020-01-01")
    assert (found.status, found.due_date) == (Status.COMPLIANT, date(2024, 3, 1))


def test_colorado_disabilities_and_mmir_join_the_set_from_2022_07_01() -> None:
    """C.R.S. 24-31-315: disabilities 1 h (from 2022-07-01) and missing and murdered
    Indigenous relatives 1 h join the set in cycles starting 2022-07-01 or later. Set
    completed 2022-06-30: the next cycle starts 2022-07-01 and needs them; the four original
    topics alone on 2026-05-01 leave it short 1 h of each, non-compliant after 2027-06-30."""
    records = [*_colorado_set("2022-06-30"), *_colorado_set("2026-05-01")]
    found = result("CO", "CO-5yr-set", records, "2027-07-01")
    assert found.status is Status.NON_COMPLIANT
    assert short(found) == [
        ("Disabilities", 100),
        ("Missing and murdered Indigenous relatives", 100),
    ]
    extra = [*records, rec("2026-05-02", 1, "disabilities"), rec("2026-05-03", 1, "mmir")]
    assert result("CO", "CO-5yr-set", extra, "2027-07-01").due_date == date(2031, 5, 3)


def test_california_perishable_skills_only_below_middle_management() -> None:
    """California POST perishable skills program: officers below middle management. A
    lieutenant is not covered; a sergeant is."""
    lieutenant = officer(rank="Lieutenant")
    assert status("CA", "CA-perishable-skills", [], "2026-06-01", who=lieutenant) is (
        Status.NOT_APPLICABLE
    )
    sergeant = officer(rank="Sergeant")
    assert status("CA", "CA-perishable-skills", [], "2026-06-01", who=sergeant) is (
        Status.NON_COMPLIANT
    )
    assert status("CA", "CA-cpt-24h", [], "2026-06-01", who=lieutenant) is Status.NON_COMPLIANT


def test_utah_part_year_owes_3_5_hours_per_month_employed() -> None:
    """Utah Admin. Code R728-410-4: part year, 3.5 h per month employed. Hired 2024-11-10
    (21 days of November, so November counts): November to June, 8 months = 28 h. Pass:
    28 h. Fail: 27.75 h, short 0.25 h. Hired 2024-11-20 (11 days): 7 months = 24.5 h."""
    rookie = officer(hire="2024-11-10")
    passed = result("UT", "UT-inservice-40h", [rec("2025-05-01", 28)], "2025-06-30", rookie)
    assert (passed.status, passed.adjusted_required) == (Status.COMPLIANT, 2800)
    failed = result("UT", "UT-inservice-40h", [rec("2025-05-01", 27.75)], "2025-06-30", rookie)
    assert (failed.status, failed.shortfall) == (Status.DUE_SOON, 25)
    later = officer(hire="2024-11-20")
    assert result("UT", "UT-inservice-40h", [], "2025-01-01", later).adjusted_required == 2450


def test_utah_make_up_hours_go_to_the_deficient_year_first() -> None:
    """Utah Admin. Code R728-410-8: hours earned after a year ended short are credited to
    that year first. FY 2022-23 was met; FY 2023-24 ended with 30 of 40 h (10 h short). In
    FY 2024-25: 6 h by
    2024-09-01 leaves 4 h to make up (non-compliant); 45 h by 2025-03-01 make up the 10 h on
    the day the 10th hour is earned and leave 35 h for this year (short 5 h, not
    non-compliant); 50 h meet it."""
    earlier = [rec("2023-01-10", 40), rec("2024-01-10", 30)]
    partway = result("UT", "UT-inservice-40h", [*earlier, rec("2024-08-15", 6)], "2024-09-01")
    assert (partway.status, partway.earned, partway.previous_window) == (
        Status.NON_COMPLIANT,
        0,
        "unmet",
    )
    assert "4 h still to make up" in partway.explanation
    made_up = [*earlier, rec("2024-08-15", 6), rec("2024-10-01", 39)]
    found = result("UT", "UT-inservice-40h", made_up, "2025-03-01")
    assert (found.status, found.earned, found.shortfall) == (Status.IN_PROGRESS, 3500, 500)
    assert "made up on 2024-10-01" in found.explanation
    enough = [*made_up, rec("2025-02-01", 5)]
    assert status("UT", "UT-inservice-40h", enough, "2025-03-01") is Status.COMPLIANT


@pytest.mark.parametrize(
    ("state", "requirement_id", "certified", "excused", "next_due", "hours"),
    [
        # O.C.G.A. 35-8-21(c): the basic-course year is excused.
        ("GA", "GA-annual-20h", "2024-06-20", "2024-10-01", "2025-10-01", 2000),
        # OPOTC CPT: officers completing the academy that year are exempt.
        ("OH", "OH-cpt-2023", "2023-03-01", "2023-10-01", None, None),
        # WAC 139-05-300: from 1 January after certification.
        ("WA", "WA-annual-24h", "2024-09-01", "2024-10-01", "2025-10-01", 2400),
        # Wis. Stat. 165.85: from the (fiscal) year after certification.
        ("WI", "WI-recert-24h", "2024-02-01", "2024-05-01", "2025-05-01", 2400),
    ],
)
def test_the_certification_year_is_excused_where_the_law_says(
    state: str,
    requirement_id: str,
    certified: str,
    excused: str,
    next_due: str | None,
    hours: int | None,
) -> None:
    """GA, OH, WA and WI excuse the year of the basic academy instead of prorating it: an
    officer certified (licence date) during the year owes nothing that year and the full
    hours the next; a lateral hire certified years earlier owes the full hours at once."""
    rookie = officer(hire=certified)
    first = result(state, requirement_id, [], excused, rookie)
    assert first.status is Status.EXEMPT
    assert f"Certified {certified}" in first.explanation
    if next_due is not None:
        assert result(state, requirement_id, [], next_due, rookie).adjusted_required == hours
    lateral = officer(hire=certified, license="2012-05-01")
    assert status(state, requirement_id, [], excused, who=lateral) is not Status.EXEMPT


# --- Washington, Michigan, New Jersey, Utah ------------------------------------------------------


def test_washington_24_hours_with_the_online_crisis_course() -> None:
    """WAC 139-05-300, RCW 43.101.427: 24 h a calendar year including the 2-h online crisis
    intervention course. Pass: 2 h online crisis + 22 h. Fail: the 2 h taken in a classroom:
    24 h met, short 2 h of the online crisis course."""
    good = [rec("2024-03-01", 2, "crisis_intervention", "online"), rec("2024-04-01", 22)]
    assert status("WA", "WA-annual-24h", good, "2024-12-31") is Status.COMPLIANT
    bad = [rec("2024-03-01", 2, "crisis_intervention"), rec("2024-04-01", 22)]
    assert short(result("WA", "WA-annual-24h", bad, "2024-12-31")) == [
        ("Online crisis intervention course", 200)
    ]


def test_washington_40_hours_every_3_years_before_2019_12_07() -> None:
    """WAC 139-09-020, RCW 43.101.455: 40 h de-escalation and mental health every 3 years
    for officers certified before 2019-12-07. Certified 2015-03-10: cycle 2024-03-10 to
    2027-03-09. Pass: 20 + 20. Fail: 19.75 de-escalation: short 0.25. Certified 2019-12-07:
    not covered."""
    cop = officer(hire="2015-03-10")
    good = [rec("2024-05-01", 20, "de_escalation"), rec("2025-05-01", 20, "mental_health")]
    passed = result("WA", "WA-deescalation-mh-40h", good, "2025-06-01", cop)
    assert (passed.status, passed.window_start) == (Status.COMPLIANT, date(2024, 3, 10))
    bad = [rec("2024-05-01", 19.75, "de_escalation"), good[1]]
    assert result("WA", "WA-deescalation-mh-40h", bad, "2025-06-01", cop).shortfall == 25
    later = officer(hire="2019-12-07")
    assert status("WA", "WA-deescalation-mh-40h", good, "2025-06-01", who=later) is (
        Status.NOT_APPLICABLE
    )


def test_michigan_12_hours_in_2024_and_24_from_2025() -> None:
    """MCOLES CPE letter 2024-06-10: 12 h in 2024, 24 h each calendar year from 2025. 2024:
    12 h pass, 11.75 h short 0.25. 2025: 24 h pass, 23.75 h short 0.25. A report dated 2023
    has no Michigan requirement."""
    assert status("MI", "MI-cpe-2024", [rec("2024-06-01", 12)], "2024-12-31") is Status.COMPLIANT
    assert result("MI", "MI-cpe-2024", [rec("2024-06-01", 11.75)], "2024-12-31").shortfall == 25
    assert status("MI", "MI-cpe-24h", [rec("2025-06-01", 24)], "2025-12-31") is Status.COMPLIANT
    assert result("MI", "MI-cpe-24h", [rec("2025-06-01", 23.75)], "2025-12-31").shortfall == 25
    found = evaluate_officer(
        officer(), PACKS["MI"].requirements, [], [], [], date(2023, 6, 1), AGENCY
    )
    assert found == []


def test_new_jersey_icat_able_due_2021_12_31() -> None:
    """NJ Attorney General use-of-force policy (2020-12-21): the ICAT/ABLE course before the
    policy took effect, 2021-12-31. Completed on 2021-12-31: compliant. Only plain ICAT:
    non-compliant from 2022-01-01. Hired 2022-01-03: not covered (basic course)."""
    done = [rec("2021-12-31", 16, "de_escalation", title="ICAT/ABLE")]
    passed = result("NJ", "NJ-icat-able", done, "2024-01-01")
    assert (passed.status, passed.due_date) == (Status.COMPLIANT, date(2021, 12, 31))
    plain = [rec("2021-06-01", 8, "de_escalation", title="ICAT")]
    assert status("NJ", "NJ-icat-able", plain, "2021-12-31") is Status.DUE_SOON
    assert status("NJ", "NJ-icat-able", plain, "2022-01-01") is Status.NON_COMPLIANT
    assert status("NJ", "NJ-icat-able", [], "2023-01-01", who=officer(hire="2022-01-03")) is (
        Status.NOT_APPLICABLE
    )


def test_utah_40_hours_per_fiscal_year() -> None:
    """Utah Admin. Code R728-410-3: 40 h per fiscal year (July-June). Pass: 40 h in FY
    2024-25 (and the years before met). Fail: FY 2023-24 ended with 30 of 40 h; as of
    2024-07-15, with nothing yet in FY 2024-25, the officer is non-compliant (Utah suspends
    such officers on 1 August)."""
    met = [rec("2023-01-10", 40), rec("2024-01-10", 40), rec("2024-09-01", 40)]
    assert status("UT", "UT-inservice-40h", met, "2025-03-01") is Status.COMPLIANT
    short_year = [rec("2023-01-10", 40), rec("2024-01-10", 30)]
    failed = result("UT", "UT-inservice-40h", short_year, "2024-07-15")
    assert (failed.status, failed.previous_window) == (Status.NON_COMPLIANT, "unmet")


def evaluated(state: str, records: Sequence[TrainingRecord], as_of: str) -> RequirementResult:
    """The officer against the whole pack on `as_of`: the one requirement then in force."""
    (found,) = evaluate_officer(
        officer(), PACKS[state].requirements, records, [], [], date.fromisoformat(as_of), AGENCY
    )
    return found


@pytest.mark.parametrize(
    ("state", "short_year", "met_year", "as_of", "earlier"),
    [
        ("MI", [rec("2024-06-01", 11.75)], [rec("2024-06-01", 12)], "2025-02-01", "MI-cpe-2024"),
        (
            "OH",
            [rec("2022-03-01", 3.75, "cultural_competency"), rec("2022-04-01", 20.25)],
            [rec("2022-03-01", 4, "cultural_competency"), rec("2022-04-01", 20)],
            "2023-02-01",
            "OH-cpt-2022",
        ),
    ],
)
def test_a_year_that_ended_short_under_last_years_rule_makes_the_officer_non_compliant(
    state: str,
    short_year: list[TrainingRecord],
    met_year: list[TrainingRecord],
    as_of: str,
    earlier: str,
) -> None:
    """Michigan's 12 hours of 2024 and 24 from 2025, Ohio's rule of each year: the year
    before is judged by the rule in force then, so an officer who ended it short is
    non-compliant from 1 January, as under a rule that did not change."""
    failed = evaluated(state, short_year, as_of)
    assert (failed.status, failed.previous_window) == (Status.NON_COMPLIANT, "unmet")
    assert f"under the rule then in force ({earlier}: " in failed.explanation
    passed = evaluated(state, met_year, as_of)
    assert (passed.status, passed.previous_window) == (Status.IN_PROGRESS, "met")


# --- Pennsylvania, North Carolina, Virginia, Arizona ---------------------------------------------


def test_pennsylvania_12_hours_firearms_and_first_aid() -> None:
    """37 Pa. Code 203.52: 12 h academic in-service each calendar year, annual firearms
    qualification, first aid / CPR. Pass: 12 h in 2025 (2024 met too). Fail: 11.75 h, short
    0.25. A firearms class in 2025 meets the qualification; a current first aid / CPR card
    (certification kind first_aid_cpr) meets the third, a lapsed one does not."""
    met = [rec("2024-03-01", 12, "legal_updates"), rec("2025-03-01", 12, "legal_updates")]
    assert status("PA", "PA-mist-12h", met, "2025-12-31") is Status.COMPLIANT
    short_year = [met[0], rec("2025-03-01", 11.75, "legal_updates")]
    assert result("PA", "PA-mist-12h", short_year, "2025-12-31").shortfall == 25
    assert status("PA", "PA-firearms-annual", [rec("2025-05-01", 4)], "2025-06-01") is (
        Status.COMPLIANT
    )
    card = Certification(1, 1, "first_aid_cpr", date(2024, 5, 1), date(2026, 5, 1))
    assert status("PA", "PA-first-aid-cpr", [], "2025-06-01", certifications=[card]) is (
        Status.COMPLIANT
    )
    assert status("PA", "PA-first-aid-cpr", [], "2026-05-02", certifications=[card]) is (
        Status.NON_COMPLIANT
    )


def test_pennsylvania_firearms_and_first_aid_hours_are_not_academic_hours() -> None:
    """The 12 academic hours, the firearms qualification and first aid / CPR are three
    separate items: a 12-hour firearms class meets the qualification, not the 12 hours."""
    last_year = rec("2024-03-01", 12, "legal_updates")
    range_day = [last_year, rec("2025-03-01", 12, "firearms"), rec("2025-04-01", 4, "first_aid")]
    academic = result("PA", "PA-mist-12h", range_day, "2025-06-01")
    assert (academic.status, academic.earned) == (Status.IN_PROGRESS, 0)
    assert status("PA", "PA-firearms-annual", range_day, "2025-06-01") is Status.COMPLIANT
    legal = [*range_day, rec("2025-05-01", 12, "legal_updates")]
    assert result("PA", "PA-mist-12h", legal, "2025-06-01").earned == 1200


def test_north_carolina_24_credits_every_year() -> None:
    """12 NCAC 09E .0105: 24 credits (hours) each calendar year. Pass: 24 h by 2025-12-31
    (2024 met). Fail: 23.75 h, short 0.25, non-compliant from 2026-01-01."""
    met = [rec("2024-06-01", 24), rec("2025-06-01", 24)]
    assert status("NC", "NC-inservice-24h", met, "2025-12-31") is Status.COMPLIANT
    short_year = [met[0], rec("2025-06-01", 23.75)]
    assert result("NC", "NC-inservice-24h", short_year, "2025-12-31").shortfall == 25
    assert status("NC", "NC-inservice-24h", short_year, "2026-01-02") is Status.NON_COMPLIANT


def test_virginia_clock_restarts_at_early_completion() -> None:
    """6VAC20-30-40: in-service due 31 December of every other year, and the 2-year clock
    restarts at completion. Licensed 2023-05-10: first due 2025-12-31. Completed early on
    2025-03-01 (40 h with 4 h legal): the next due date is 2027-12-31, 31 December of the
    second year after the completion. 39.75 h never completes it: due soon on 2025-12-31 and
    non-compliant on 2026-01-01."""
    cop = officer(hire="2023-05-10")
    first = result("VA", "VA-inservice-40h", [], "2024-01-01", cop)
    assert (first.status, first.due_date) == (Status.IN_PROGRESS, date(2025, 12, 31))
    early = [rec("2024-09-01", 36), rec("2025-03-01", 4, "legal_updates")]
    done = result("VA", "VA-inservice-40h", early, "2025-06-01", cop)
    assert (done.status, done.due_date) == (Status.COMPLIANT, date(2027, 12, 31))
    under = [rec("2024-09-01", 35.75), rec("2025-03-01", 4, "legal_updates")]
    assert status("VA", "VA-inservice-40h", under, "2025-12-31", who=cop) is Status.DUE_SOON
    assert status("VA", "VA-inservice-40h", under, "2026-01-01", who=cop) is (Status.NON_COMPLIANT)


def test_arizona_12_hours_from_1_january_after_certification() -> None:
    """Ariz. Admin. Code R13-4-111: 12 h each year from 1 January after certification, and
    firearms qualification. Certified 2024-08-01: 2024 is excused; 2025 needs 12 h: 12 pass,
    11.75 short 0.25; a firearms class on 2025-12-31 meets the 2025 qualification, none
    leaves it due that day."""
    rookie = officer(hire="2024-08-01")
    assert status("AZ", "AZ-continuing-12h", [], "2024-12-01", who=rookie) is Status.EXEMPT
    assert status("AZ", "AZ-firearms-qualification", [], "2024-12-01", who=rookie) is (
        Status.EXEMPT
    )
    assert status("AZ", "AZ-continuing-12h", [rec("2025-04-01", 12)], "2025-12-31", who=rookie) is (
        Status.COMPLIANT
    )
    failed = result("AZ", "AZ-continuing-12h", [rec("2025-04-01", 11.75)], "2025-12-31", rookie)
    assert failed.shortfall == 25
    qualified = [rec("2025-12-31", 2)]
    assert status("AZ", "AZ-firearms-qualification", qualified, "2025-12-31", who=rookie) is (
        Status.COMPLIANT
    )
    assert status("AZ", "AZ-firearms-qualification", [], "2025-12-31", who=rookie) is (
        Status.DUE_SOON
    )
