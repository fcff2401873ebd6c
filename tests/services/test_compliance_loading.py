"""Department compliance from only the training it needs (windowed records, hour totals)
gives exactly what the engine gives from every record and every certification."""

from __future__ import annotations

import gc
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.core.compliance import (
    RequirementResult,
    evaluate_department,
    result_to_dict,
    training_needs,
)
from deesc_desktop.core.roster import as_it_stood, begun_by
from deesc_desktop.core.rules import RequirementKind
from deesc_desktop.demo import load_demo
from deesc_desktop.services.agency import update_agency
from deesc_desktop.services.cit import certifications_by_officer
from deesc_desktop.services.compliance import department_compliance
from deesc_desktop.services.requirements import (
    active_requirements,
    load_requirements_file,
    set_requirement_active,
)
from deesc_desktop.services.roster import roster_on
from deesc_desktop.store import open_database
from deesc_desktop.store.agency import get_agency
from deesc_desktop.store.leave import load_exemptions
from deesc_desktop.store.officers import load_officers
from deesc_desktop.store.training import (
    get_record,
    load_hour_totals,
    load_latest_classes,
    load_records,
)

TODAY = date(2026, 11, 22)
DATES = [TODAY, date(2026, 1, 1), date(2025, 6, 30), date(2024, 2, 29), date(2023, 7, 15)]
ADMIN = Actor("sgt.admin", Role.ADMIN)

# Hours requirements filtered by course, delivery and topics over rolling, fiscal and
# calendar windows (hour totals), and kinds that need records or the whole history.
AGENCY_RULES = """
jurisdiction = "TPD"
name = "Test PD"
version = "1"

[[requirements]]
id = "TPD-rolling-courses"
title = "De-escalation courses: 8 hours in any 24 months"
effective_from = 2021-01-01
hours = 8
courses = ["ICAT De-escalation", "CIT Refresher", "DT-200"]
period = { kind = "rolling", months = 24 }
new_hire = "prorate"

[[requirements.sub_minimums]]
label = "Scenario"
hours = 2
delivery = ["scenario"]

[[requirements]]
id = "TPD-fiscal-topics"
title = "Use of force and first aid: 6 hours per fiscal year"
effective_from = 2019-07-01
hours = 6
topics = ["use_of_force", "first_aid", "de_escalation"]
period = { kind = "fiscal_year" }
new_hire = "exempt_first_period"

[[requirements.sub_minimums]]
label = "First aid"
hours = 2
topics = ["first_aid"]

[[requirements]]
id = "TPD-online-annual"
title = "Online: 2 hours per calendar year"
effective_from = 2016-01-01
hours = 2
delivery = ["online"]
period = { kind = "calendar_year" }
new_hire = "prorate"
applies_to = { unless_certified = ["cit"] }
"""

WHOLE_HISTORY_RULES = """
jurisdiction = "TPD"
name = "Test PD"
version = "1"

[[requirements]]
id = "TPD-clock"
title = "De-escalation 8 hours every 3 years after the last completion"
effective_from = 2018-01-01
hours = 8
topics = ["de_escalation", "crisis_intervention"]
period = { kind = "since_last_completion", years = 3, from = "license" }
new_hire = "prorate"

[[requirements]]
id = "TPD-cycle"
title = "20 hours every 2 years from the licence date"
effective_from = 2018-01-01
hours = 20
period = { kind = "officer_cycle", years = 2, from = "license" }

[[requirements]]
id = "TPD-cit-once"
title = "CIT Basic, once"
effective_from = 2015-01-01
course = ["CIT Basic", "Crisis Intervention Team (CIT) Basic"]

[[requirements]]
id = "TPD-cit-held"
title = "CIT certification held"
effective_from = 2015-01-01
certification = "cit"
"""


def _demo(folder: Path, seed: int, rules: str | None) -> Database:
    db = open_database(folder / f"demo-{seed}.db")
    load_demo(db, today=TODAY, seed=seed)
    if rules is not None:
        path = folder / "agency.toml"
        path.write_text(rules)
        load_requirements_file(db, ADMIN, path)
    if rules is AGENCY_RULES:
        # Hours requirements only: the whole set is measured from hour totals.
        for requirement in active_requirements(db):
            if requirement.kind is RequirementKind.COURSE:
                set_requirement_active(db, ADMIN, requirement.id, False)
    return db


@pytest.fixture(
    scope="module",
    params=[(1988, None), (7, AGENCY_RULES), (31, WHOLE_HISTORY_RULES)],
    ids=["demo", "agency-rules", "whole-history"],
)
def department(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Database:
    seed, rules = request.param
    return _demo(tmp_path_factory.mktemp("department"), seed, rules)


def _from_everything(db: Database, as_of: date, requirement_id: str | None) -> list[object]:
    """The engine fed every record, as before windowing, with the roster, leave and
    certifications as they stood on `as_of` (core.roster's rule)."""
    agency = get_agency(db)
    assert agency is not None
    requirements = [r for r in active_requirements(db) if requirement_id in (None, r.id)]
    exemptions = {
        officer_id: begun_by(rows, as_of) for officer_id, rows in load_exemptions(db).items()
    }
    officers = [
        as_it_stood(o, as_of, exemptions.get(o.id, ()), date.today())
        for o in load_officers(db, include_separated=True)
    ]
    results = evaluate_department(
        officers,
        requirements,
        load_records(db),
        exemptions,
        certifications_by_officer(db, through=as_of),
        as_of,
        agency,
    )
    return [result_to_dict(result) for result in results]


def _from_service(db: Database, as_of: date, requirement_id: str | None) -> list[object]:
    people = department_compliance(db, as_of, include_separated=True, requirement_id=requirement_id)
    return [result_to_dict(result) for person in people for result in person.results]


def test_every_requirement_every_date_equals_the_full_load(department: Database) -> None:
    ids = [None, *(r.id for r in active_requirements(department))]
    for as_of in DATES:
        for requirement_id in ids:
            expected = _from_everything(department, as_of, requirement_id)
            assert _from_service(department, as_of, requirement_id) == expected, (
                as_of,
                requirement_id,
            )


STATES = ["IL", "TX", "FL", "CO", "VA", "UT", "IN", "WI", "AZ", "PA", "MI", "OH"]
"""Packs with classes in topics in shared windows (IL, IN, WI, AZ, PA), with named courses,
deadlines and one-time classes (TX), officer cycles (FL), make-up years (UT), plain hours, a
rule that changed (MI: 2024's year judged by its own rule on 2025-06-30 and 2025-12-31; OH:
2023's on 2024-02-29)."""
MEASURED_FROM_LATEST_CLASSES = {"IL", "IN", "WI", "AZ", "PA"}


@pytest.fixture(scope="module", params=STATES)
def state_department(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Database:
    """The demo roster and training under one state's pack alone (the demo's own agency
    requirements, which name courses, switched off)."""
    state: str = request.param
    db = _demo(tmp_path_factory.mktemp(f"state-{state}"), 11 + STATES.index(state), None)
    update_agency(db, ADMIN, {"state": state})
    for requirement in active_requirements(db):
        if requirement.id.startswith("MPD-"):
            set_requirement_active(db, ADMIN, requirement.id, False)
    return db


def _results_from_everything(db: Database, as_of: date) -> list[RequirementResult]:
    agency = get_agency(db)
    assert agency is not None
    roster = roster_on(db, as_of)
    return evaluate_department(
        roster.officers,
        active_requirements(db),
        load_records(db),
        roster.exemptions,
        certifications_by_officer(db, through=as_of),
        as_of,
        agency,
    )


def test_each_state_pack_gives_what_every_record_gives(state_department: Database) -> None:
    db = state_department
    agency = get_agency(db)
    assert agency is not None
    for as_of in (TODAY, date(2025, 12, 31), date(2025, 6, 30), date(2024, 2, 29)):
        found = [result for person in department_compliance(db, as_of) for result in person.results]
        expected = _results_from_everything(db, as_of)
        assert found == expected, (agency.state, as_of)
        # Object for object, and every word a screen or report shows.
        assert [(r.explanation, r.reason) for r in found] == [
            (r.explanation, r.reason) for r in expected
        ]
        assert [result_to_dict(r) for r in found] == [result_to_dict(r) for r in expected]
    needs = training_needs(active_requirements(db), agency, TODAY)
    from_classes = needs.cuts is not None and bool(needs.class_topics)
    assert from_classes is (agency.state in MEASURED_FROM_LATEST_CLASSES)


def test_the_illinois_mandated_topics_are_measured_from_latest_classes(tmp_path: Path) -> None:
    db = _demo(tmp_path, 3, None)
    agency = get_agency(db)
    assert agency is not None
    illinois = [r for r in active_requirements(db) if r.id.startswith("IL-")]
    needs = training_needs(illinois, agency, TODAY)
    assert needs.cuts == (date(2022, 7, 1), date(2025, 7, 1), date(2026, 11, 23))
    # The calendar years 2025 and 2026 (to today) and the cycles since 2022-07-01.
    assert needs.class_cuts == (
        date(2022, 7, 1),
        date(2025, 1, 1),
        date(2025, 7, 1),
        date(2026, 1, 1),
        date(2026, 11, 23),
    )
    assert {"crisis_intervention", "legal_updates", "legislative_update"} <= needs.class_topics
    # A named course still needs the records.
    everything = training_needs(active_requirements(db), agency, TODAY)
    assert everything.cuts is None and everything.since == date(2022, 7, 1)


def test_latest_classes_are_the_latest_records_with_hours_in_each_topic(
    department: Database,
) -> None:
    cuts = (date(2023, 1, 1), date(2024, 3, 15), date(2025, 7, 1), date(2026, 11, 23))
    topics = {"crisis_intervention", "first_aid", "firearms"}
    classes = load_latest_classes(department, cuts, topics)
    assert classes is not None
    expected: dict[tuple[int, date, str], tuple[date, int]] = {}
    for officer_id, records in load_records(department).items():
        for record in records:
            if not cuts[0] <= record.completed < cuts[-1]:
                continue
            start = max(cut for cut in cuts if cut <= record.completed)
            for code, hours in record.topic_hours:
                if code in topics and hours > 0:
                    key = (officer_id, start, code)
                    expected[key] = max(
                        expected.get(key, (date.min, 0)), (record.completed, record.id)
                    )
    found: dict[tuple[int, date, str], tuple[date, int]] = {}
    for officer_id, latest in classes.items():
        assert [(c.completed, c.id) for c in latest] == sorted((c.completed, c.id) for c in latest)
        for item in latest:
            start = max(cut for cut in cuts if cut <= item.completed)
            record = get_record(department, item.id)
            assert record is not None and record.officer_id == officer_id
            assert (item.course_title, item.course_number) == (
                record.course_title,
                record.course_number,
            )
            for code, mark in item.topic_hours:
                assert mark == 1 and (officer_id, start, code) not in found
                found[officer_id, start, code] = (item.completed, item.id)
    assert found == expected
    assert load_latest_classes(department, cuts, ()) == {}


def test_hours_requirements_in_shared_windows_are_measured_from_hour_totals(
    tmp_path: Path,
) -> None:
    db = _demo(tmp_path, 7, AGENCY_RULES)
    agency = get_agency(db)
    assert agency is not None
    needs = training_needs(active_requirements(db), agency, TODAY)
    assert needs.cuts is not None and needs.by_course and needs.certifications
    assert needs.since == date(2022, 7, 1) == needs.cuts[0]
    # Each window's first day and the day after each window measured (today's included).
    assert {date(2025, 1, 1), date(2026, 1, 1), date(2025, 7, 1), date(2026, 11, 23)} <= set(
        needs.cuts
    )


def test_the_illinois_pack_is_measured_from_hour_totals(department: Database) -> None:
    agency = get_agency(department)
    assert agency is not None
    illinois = [r for r in active_requirements(department) if r.id == "IL-inservice-30h"]
    needs = training_needs(illinois, agency, TODAY)
    assert needs.since == date(2022, 7, 1)
    assert needs.cuts == (date(2022, 7, 1), date(2025, 7, 1), date(2026, 11, 23))
    assert needs.topics == {"use_of_force", "de_escalation", "high_risk_traffic_stops"}
    assert needs.deliveries == {"scenario"}
    assert not needs.by_course and not needs.certifications


def test_courses_clocks_and_officer_cycles_need_records(tmp_path: Path) -> None:
    db = _demo(tmp_path, 31, WHOLE_HISTORY_RULES)
    agency = get_agency(db)
    assert agency is not None
    by_id = {r.id: r for r in active_requirements(db)}
    for requirement_id in ("TPD-clock", "TPD-cycle", "TPD-cit-once"):
        needs = training_needs([by_id[requirement_id]], agency, TODAY)
        assert (needs.since, needs.cuts) == (None, None), requirement_id
    held = training_needs([by_id["TPD-cit-held"]], agency, TODAY)
    assert held.certifications and held.cuts == ()
    # A course in calendar years needs the records, but only since last year's window.
    firearms = training_needs([by_id["MPD-firearms-annual"]], agency, TODAY)
    assert (firearms.since, firearms.cuts) == (date(2025, 1, 1), None)


def test_hours_that_are_not_plain_hundredths_fall_back_to_the_records(
    tmp_path: Path,
) -> None:
    original = _demo(tmp_path, 5, None)
    original.close()
    copy = tmp_path / "odd.db"
    shutil.copy(tmp_path / "demo-5.db", copy)
    db = open_database(copy)
    # 1.005 h is 101 centihours to from_float (half up) but 100 to a float rounding.
    record_id, topic = db.execute(
        "SELECT t.record_id, t.topic FROM training_topics t JOIN training_records r "
        "ON r.id = t.record_id WHERE r.completed >= '2025-07-01' AND t.topic = 'use_of_force' "
        "LIMIT 1"
    ).fetchone()
    with db.conn:
        db.execute(
            "UPDATE training_topics SET hours = 1.005 WHERE record_id = ? AND topic = ?",
            [record_id, topic],
        )
        db.execute("UPDATE training_records SET hours = 2.675 WHERE id = ?", [record_id])
    cuts = (date(2022, 7, 1), date(2025, 7, 1), date(2026, 11, 23))
    assert load_hour_totals(db, cuts, ["use_of_force"], [], by_course=False) is None
    assert load_hour_totals(db, cuts, [], ["scenario"], by_course=False) is None
    assert load_latest_classes(db, cuts, ["use_of_force"]) is None
    assert _from_service(db, TODAY, None) == _from_everything(db, TODAY, None)


def test_hour_totals_add_up_to_the_records(department: Database) -> None:
    cuts = (date(2023, 1, 1), date(2024, 3, 15), date(2025, 7, 1), date(2026, 11, 23))
    topics = {"use_of_force", "first_aid"}
    deliveries = {"scenario", "online"}
    totals = load_hour_totals(department, cuts, topics, deliveries, by_course=True)
    assert totals is not None
    expected: dict[tuple[object, ...], int] = {}
    for officer_id, records in load_records(department).items():
        for record in records:
            if not cuts[0] <= record.completed < cuts[-1]:
                continue
            start = max(cut for cut in cuts if cut <= record.completed)
            delivery = record.delivery if record.delivery in deliveries else ""
            key = (officer_id, start, delivery, record.course_title, None)
            expected[key] = expected.get(key, 0) + record.hours
            for code, hours in record.topic_hours:
                if code in topics:
                    key = (officer_id, start, delivery, record.course_title, code)
                    expected[key] = expected.get(key, 0) + hours
    found: dict[tuple[object, ...], int] = {}
    for officer_id, spans in totals.items():
        for total in spans:
            key = (officer_id, total.completed, total.delivery, total.course_title, None)
            assert key not in found
            found[key] = total.hours
            for code, hours in total.topic_hours:
                found[(*key[:4], code)] = hours
    assert found == expected


def test_windowed_records_are_the_full_records_since_that_day(department: Database) -> None:
    everything = load_records(department)
    since = date(2024, 5, 17)
    windowed = load_records(department, since=since)
    expected = {
        officer_id: [r for r in records if r.completed >= since]
        for officer_id, records in everything.items()
    }
    assert windowed == {k: v for k, v in expected.items() if v}
    assert list(everything) == sorted(everything)
    for records in everything.values():
        assert [(r.completed, r.id) for r in records] == sorted(
            (r.completed, r.id) for r in records
        )
        for record in records:
            assert list(record.topic_hours) == sorted(record.topic_hours)


def test_one_officers_certifications_are_those_of_the_whole_roster(
    department: Database,
) -> None:
    everyone = certifications_by_officer(department)
    assert everyone  # the demo has CIT officers
    for officer in load_officers(department):
        alone = certifications_by_officer(department, officer_id=officer.id)
        assert alone == ({officer.id: everyone[officer.id]} if officer.id in everyone else {})


def test_the_cycle_collector_is_left_as_it_was(department: Database) -> None:
    assert gc.isenabled()
    department_compliance(department, TODAY)
    assert gc.isenabled()
    gc.disable()
    try:
        department_compliance(department, TODAY)
        assert not gc.isenabled()
    finally:
        gc.enable()
