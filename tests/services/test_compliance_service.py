"""Compliance from the database: bulk equals per-officer, rules in force by date, agency rules."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.core.compliance import RequirementResult, Status
from deesc_desktop.demo import load_demo
from deesc_desktop.services import requirements as requirements_service
from deesc_desktop.services.agency import update_agency
from deesc_desktop.services.compliance import (
    OfficerCompliance,
    department_compliance,
    officer_compliance,
    summarise,
)
from deesc_desktop.services.errors import ServiceError, ValidationError
from deesc_desktop.services.leave import add_exemption
from deesc_desktop.services.officers import add_officer
from deesc_desktop.services.requirements import (
    active_requirements,
    builtin_pack,
    builtin_packs,
    list_requirements,
    load_requirements_file,
    pack_coverage,
    set_requirement_active,
)
from deesc_desktop.services.training import record_class
from deesc_desktop.store import open_database
from tests.conftest import table_counts

TODAY = date(2026, 11, 22)


def builtin_requirements(state: str) -> list[str]:
    pack = builtin_pack(state)
    assert pack is not None
    return [r.id for r in pack.requirements]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Database:
    db = open_database(tmp_path_factory.mktemp("demo") / "demo.db")
    load_demo(db, today=TODAY)
    return db


def test_department_results_equal_each_officers_own(demo: Database) -> None:
    bulk = department_compliance(demo, TODAY)
    assert len(bulk) == 39  # the separated officer is left out by default
    for person in bulk:
        single = officer_compliance(demo, person.officer.id, TODAY)
        assert single.results == person.results


def test_the_summary_counts_every_officer_once_so_the_rows_add_up(demo: Database) -> None:
    """An officer no requirement applies to counts as not applicable, as on the dashboard;
    needing attention is non-compliant or due soon, in progress being not yet due."""
    people = department_compliance(demo, TODAY)
    nobody_applies = OfficerCompliance(people[0].officer, ())
    summary = summarise([*people, nobody_applies])
    assert summary.officers == len(people) + 1 == sum(summary.overall.values())
    assert summary.overall[Status.NOT_APPLICABLE] == 1 + sum(
        p.worst is Status.NOT_APPLICABLE for p in people
    )
    assert summary.needing_attention == sum(
        p.worst in (Status.NON_COMPLIANT, Status.DUE_SOON) for p in people
    )
    [inservice] = [r for r in summary.requirements if r.id == "IL-inservice-30h"]
    assert sum(inservice.counts.values()) == len(people)


@pytest.mark.parametrize("as_of", [date(2025, 6, 30), date(2026, 7, 1)])
def test_on_a_past_date_the_roster_is_who_served_then_and_bulk_equals_single(
    demo: Database, as_of: date
) -> None:
    bulk = department_compliance(demo, as_of, today=TODAY)
    serving = demo.execute(
        "SELECT count(*) FROM officers WHERE hire_date <= ?"
        " AND (separation_date IS NULL OR separation_date >= ?)",
        [as_of.isoformat(), as_of.isoformat()],
    ).fetchone()[0]
    assert len(bulk) == serving
    assert all(r.status is not Status.NOT_APPLICABLE for p in bulk for r in p.results)
    for person in bulk:
        single = officer_compliance(demo, person.officer.id, as_of, today=TODAY)
        assert single.results == person.results
        assert single.officer == person.officer


def test_the_separated_officer_counts_up_to_the_separation_day(demo: Database) -> None:
    gone = demo.execute(
        "SELECT id, separation_date FROM officers WHERE status = 'separated'"
    ).fetchone()
    last_day = date.fromisoformat(gone[1])
    on_the_day = {p.officer.id: p.officer for p in department_compliance(demo, last_day)}
    assert on_the_day[gone[0]].status == "active"  # as they stood, not as they stand
    after = department_compliance(demo, last_day + timedelta(days=1))
    assert gone[0] not in {p.officer.id for p in after}


def test_leave_that_had_not_begun_does_not_reduce_the_hours(demo: Database) -> None:
    start, end, officer_id = demo.execute(
        "SELECT start, \"end\", officer_id FROM exemptions WHERE reason LIKE 'Military%'"
    ).fetchone()
    before = date.fromisoformat(start).replace(day=1)
    during = date.fromisoformat(end)
    required = {
        day: {
            r.requirement_id: r.adjusted_required
            for r in officer_compliance(demo, officer_id, day, today=TODAY).results
        }
        for day in (before, during)
    }
    annual = "MPD-deescalation-annual"
    assert required[before][annual] == 400  # the deployment had not begun
    assert required[during][annual] < 400


def test_demo_has_a_mix_of_statuses_a_sergeant_must_act_on(demo: Database) -> None:
    statuses = {r.status for p in department_compliance(demo, TODAY) for r in p.results}
    assert {Status.COMPLIANT, Status.DUE_SOON, Status.IN_PROGRESS, Status.NON_COMPLIANT} <= statuses


def test_separated_officer_is_included_on_request(demo: Database) -> None:
    everyone = department_compliance(demo, TODAY, include_separated=True)
    assert len(everyone) == 40
    (gone,) = [p for p in everyone if p.officer.status == "separated"]
    assert all(r.status is Status.NOT_APPLICABLE for r in gone.results)


def test_an_old_as_of_date_uses_the_rules_then_in_force(demo: Database) -> None:
    # The Illinois 30-hour rule took effect 2022-07-01; the agency's de-escalation rule
    # on 2022-01-01; firearms in 2020.
    ids = {
        r.requirement_id for p in department_compliance(demo, date(2021, 6, 1)) for r in p.results
    }
    assert ids == {"MPD-firearms-annual"}


def test_class_recorded_changes_an_officers_status(db: Database, admin: Actor) -> None:
    officer_id = add_officer(
        db,
        admin,
        {"badge": "5", "last_name": "Walsh", "first_name": "B", "hire_date": "2010-01-01"},
    )
    as_of = date(2024, 12, 1)

    def in_service() -> RequirementResult:
        results = officer_compliance(db, officer_id, as_of).results
        return next(r for r in results if r.requirement_id == "IL-inservice-30h")

    before = in_service()
    assert before.status is Status.IN_PROGRESS and before.earned == 0
    # 12 h scenario use of force/de-escalation + 6 h scenario traffic stops + 12 h first aid
    # = 30 h in the 2022-07-01..2025-06-30 cycle: every Illinois minimum met.
    for when, hours, topics, delivery in (
        ("2023-03-01", 12, "use_of_force:6;de_escalation:6", "scenario"),
        ("2023-09-01", 6, "high_risk_traffic_stops", "scenario"),
        ("2024-02-01", 12, "first_aid", "classroom"),
    ):
        values = {"course": f"Class {when}", "completed": when, "hours": hours}
        record_class(db, admin, {**values, "topics": topics, "delivery": delivery}, [officer_id])
    after = in_service()
    assert after.status is Status.COMPLIANT, after.explanation
    assert after.earned == 3000 and after.shortfall == 0


def test_loading_a_pack_file_adds_requirements_and_a_bad_one_writes_nothing(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    good = tmp_path / "agency.toml"
    good.write_text(
        'jurisdiction = "TPD"\nname = "Test PD"\nversion = "1"\n\n[[requirements]]\n'
        'id = "TPD-wellness"\ntitle = "Wellness, 2 hours a year"\neffective_from = 2024-01-01\n'
        'hours = 2\ntopics = ["officer_wellness"]\nperiod = { kind = "calendar_year" }\n'
        'source = "Policy 7"\n'
    )
    assert load_requirements_file(db, admin, good) == ["TPD-wellness"]
    ids = [r.id for r in active_requirements(db)]
    assert ids[0] == "IL-inservice-30h" and ids[-1] == "TPD-wellness"
    assert len(ids) == len(builtin_requirements("IL")) + 1
    bad = tmp_path / "typo.toml"
    bad.write_text(good.read_text().replace('kind = "calendar_year"', 'kind = "yearly"'))
    before = table_counts(db)
    with pytest.raises(ServiceError) as caught:
        load_requirements_file(db, admin, bad)
    assert "typo.toml, requirement TPD-wellness, field period.kind" in str(caught.value)
    assert table_counts(db) == before


def test_switching_a_builtin_requirement_off_is_audited(db: Database, admin: Actor) -> None:
    assert set_requirement_active(db, admin, "IL-inservice-30h", False)
    listed = {item.requirement.id: item for item in list_requirements(db)}
    assert (listed["IL-inservice-30h"].origin, listed["IL-inservice-30h"].active) == (
        "agency",
        False,
    )
    assert "IL-inservice-30h" not in [r.id for r in active_requirements(db)]
    assert len(active_requirements(db)) == len(builtin_requirements("IL")) - 1
    actions = [
        row[0]
        for row in db.execute("SELECT action FROM audit_log WHERE table_name = 'requirements'")
    ]
    assert actions == ["insert", "update"]


def test_leave_lowers_hours_only_with_a_waiver_or_the_agency_policy(
    db: Database, admin: Actor
) -> None:
    """Medical leave January to April 2023 lowers nothing by itself; turned on, the agency's
    own proration policy waives the 4 months (30 h x 32/36 = 26.67 h) and the coverage line
    says so; a waiver needs who granted it, its reference and the date."""
    officer_id = add_officer(
        db,
        admin,
        {"badge": "9", "last_name": "Reyes", "first_name": "C", "hire_date": "2010-01-01"},
    )
    add_exemption(
        db,
        admin,
        officer_id,
        {"start": "2023-01-01", "end": "2023-04-30", "reason": "Medical leave"},
    )
    as_of = date(2024, 12, 1)

    def required() -> int | None:
        results = officer_compliance(db, officer_id, as_of).results
        return next(r for r in results if r.requirement_id == "IL-inservice-30h").adjusted_required

    assert required() == 3000
    coverage = pack_coverage(db, as_of)
    assert coverage is not None and coverage.policies == ()
    update_agency(db, admin, {"leave_proration": True})
    assert required() == 2667
    coverage = pack_coverage(db, as_of)
    assert coverage is not None
    assert coverage.policies[0].startswith("Leave proration is this agency's own policy")
    with pytest.raises(ValidationError) as caught:
        add_exemption(
            db,
            admin,
            officer_id,
            {"start": "2023-06-01", "end": "2023-06-30", "reason": "Military", "granted_by": "X"},
        )
    assert set(caught.value.field_errors) == {"reference", "granted_on"}


def test_a_date_with_no_state_rule_in_force_says_so(db: Database, admin: Actor) -> None:
    """Ohio publishes its hours year by year and the pack holds 2022-2024: a report dated
    2025-06-30 measures no Ohio rule, and the coverage says so instead of showing nothing."""
    update_agency(db, admin, {"state": "OH"})
    coverage = pack_coverage(db, date(2025, 6, 30))
    assert coverage is not None
    assert coverage.line.startswith("Ohio rules 2026.1: Partial: does not check the 2024 topics")
    assert coverage.gap == (
        "No Ohio rule in this version of the app is in force on 2025-06-30 (its rules cover "
        "2022-01-01 to 2024-12-31), so no state requirement is measured: check Ohio's rules "
        "for that date and add them as agency requirements."
    )
    in_2024 = pack_coverage(db, date(2024, 6, 30))
    assert in_2024 is not None and in_2024.gap == ""
    update_agency(db, admin, {"state": "NY"})
    none = pack_coverage(db, date(2025, 6, 30))
    assert none is not None and none.pack is None
    assert none.line == (
        "No state rule pack ships for NY: only the agency's own requirements are measured."
    )


def test_a_state_pack_is_read_once_and_again_when_its_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = builtin_packs()["IL"]
    copy = tmp_path / "IL.toml"
    copy.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(requirements_service, "builtin_packs", lambda: {"IL": copy})
    first = builtin_pack("IL")
    assert first is not None and builtin_pack("il") is first  # not parsed again
    text = copy.read_text(encoding="utf-8")
    copy.write_text(text.replace(f'version = "{first.version}"', 'version = "9.9"', 1), "utf-8")
    again = builtin_pack("IL")
    assert again is not None and again.version == "9.9"
    assert [r.id for r in again.requirements] == [r.id for r in first.requirements]
