"""The dashboard's compliance overview: the department's counts and due list, kept in the file
and brought up to date from what the audit log says changed."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.core.compliance import Status
from deesc_desktop.demo import load_demo
from deesc_desktop.paths import resource
from deesc_desktop.services import requirements as requirements_service
from deesc_desktop.services.compliance import department_compliance, summarise
from deesc_desktop.services.dashboard import (
    DUE_DAYS,
    ComplianceOverview,
    compliance_overview,
    due_soon,
    kept_overview,
    standing,
)
from deesc_desktop.services.funding import add_funding_source
from deesc_desktop.services.leave import add_exemption
from deesc_desktop.services.maintenance import check_database, verify_audit
from deesc_desktop.services.officers import separate_officer
from deesc_desktop.services.requirements import set_requirement_active
from deesc_desktop.services.training import record_class
from deesc_desktop.services.training_due import due_items, needs_summary
from deesc_desktop.store import open_database
from deesc_desktop.store.summary import kept_state

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = open_database(path)
    load_demo(db, today=TODAY)
    db.close()
    return path


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Database:
    """A copy of the demo department (40 officers, one separated), nothing kept yet."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    return open_database(path)


def scenario_day(db: Database, admin: Actor, officer_id: int) -> None:
    """A 30-hour class in use of force and de-escalation for one officer, on 2026-11-02."""
    record_class(
        db,
        admin,
        {"course": "Scenario day", "completed": "2026-11-02", "hours": 30,
         "topics": "use_of_force:15;de_escalation:15", "delivery": "scenario"},
        [officer_id],
    )  # fmt: skip


def evaluated_afresh(db: Database, as_of: date = TODAY) -> ComplianceOverview:
    """The overview from a department evaluation, as the dashboard worked it out before."""
    people = department_compliance(db, as_of, today=as_of)
    return ComplianceOverview(as_of, summarise(people), due_soon(people, as_of))


def assert_same_figures(found: ComplianceOverview, expected: ComplianceOverview) -> None:
    assert found.as_of == expected.as_of
    assert found.counts == expected.counts
    assert found.due == expected.due


def first_officer(db: Database) -> int:
    return department_compliance(db, TODAY, today=TODAY)[0].officer.id


def test_the_overview_counts_the_department_and_lists_what_falls_due(demo: Database) -> None:
    overview = compliance_overview(demo, TODAY)
    people = department_compliance(demo, TODAY)
    assert overview.as_of == TODAY and overview.current
    assert overview.counts == summarise(people)
    horizon = TODAY + timedelta(days=DUE_DAYS)
    expected = sorted(
        (result.due_date, person.officer.display_name, result.requirement_title)
        for person in people
        for result in person.results
        if result.status in (Status.DUE_SOON, Status.IN_PROGRESS)
        and result.due_date is not None
        and TODAY <= result.due_date <= horizon
    )
    assert expected, "the demo has training falling due"
    assert sorted((i.due, i.officer, i.requirement) for i in overview.due) == expected
    assert [i.due for i in overview.due] == sorted(i.due for i in overview.due)


def test_a_second_read_is_counted_from_the_kept_summary(demo: Database) -> None:
    assert kept_overview(demo, TODAY) is None, "nothing is kept before the first evaluation"
    first = compliance_overview(demo, TODAY)
    assert first.evaluated == {p.officer.id for p in department_compliance(demo, TODAY)}
    again = compliance_overview(demo, TODAY)
    assert again.evaluated == frozenset(), "nothing was evaluated"
    assert_same_figures(again, first)
    kept = kept_overview(demo, TODAY)
    assert kept is not None and kept.current
    assert_same_figures(kept, first)


def test_a_mix_of_changes_updates_the_kept_summary_to_what_a_full_evaluation_says(
    demo: Database, admin: Actor
) -> None:
    compliance_overview(demo, TODAY)
    people = department_compliance(demo, TODAY, today=TODAY)
    trainee, on_leave, leaving = (p.officer.id for p in people[1:4])

    scenario_day(demo, admin, trainee)
    stale = kept_overview(demo, TODAY)
    assert stale is not None and not stale.current, "the log moved since it was kept"
    updated = compliance_overview(demo, TODAY)
    assert updated.evaluated == {trainee}, "one class for one officer re-evaluates one officer"
    assert_same_figures(updated, evaluated_afresh(demo))

    add_exemption(
        demo, admin, on_leave, {"start": "2026-06-01", "end": "2026-12-31", "reason": "Medical"}
    )
    updated = compliance_overview(demo, TODAY)
    assert updated.evaluated == {on_leave}
    assert_same_figures(updated, evaluated_afresh(demo))

    separate_officer(demo, admin, leaving, date(2026, 11, 1), reason="retired")
    updated = compliance_overview(demo, TODAY)
    assert updated.evaluated == {leaving}
    assert updated.counts.officers == len(people) - 1
    assert_same_figures(updated, evaluated_afresh(demo))

    grant = {"name": "State grant", "kind": "state_grant", "amount": "1000.00"}
    add_funding_source(demo, admin, {**grant, "start": "2026-01-01", "end": "2026-12-31"})
    assert compliance_overview(demo, TODAY).evaluated == frozenset(), "money is not compliance"

    set_requirement_active(demo, admin, "IL-inservice-30h", False, reason="test")
    updated = compliance_overview(demo, TODAY)
    assert len(updated.evaluated) == len(people) - 1, "a requirement changes everyone's"
    assert "IL-inservice-30h" not in {r.id for r in updated.counts.requirements}
    assert_same_figures(updated, evaluated_afresh(demo))
    assert_same_figures(compliance_overview(demo, TODAY), updated)


def test_a_class_for_most_of_the_department_evaluates_the_department_at_once(
    demo: Database, admin: Actor
) -> None:
    compliance_overview(demo, TODAY)
    people = [p.officer.id for p in department_compliance(demo, TODAY, today=TODAY)]
    class_day = {
        "course": "Roll call",
        "completed": "2026-11-02",
        "hours": 1,
        "topics": "first_aid",
    }
    record_class(demo, admin, class_day, people[:30])
    updated = compliance_overview(demo, TODAY)
    assert updated.evaluated == set(people), "30 officers of 39: quicker all at once"
    assert_same_figures(updated, evaluated_afresh(demo))


def test_figures_kept_under_other_rules_are_worked_out_again(
    demo: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An update that ships a corrected state pack (same app version) must not leave the
    dashboard showing, for the rest of the day, figures the old pack gave, nor `deesc check`
    take them for figures changed by hand."""
    compliance_overview(demo, TODAY)
    assert compliance_overview(demo, TODAY).evaluated == frozenset()
    rules = tmp_path / "rules"
    shutil.copytree(resource("rules"), rules)
    pack = rules / "IL.toml"
    pack.write_text(pack.read_text(encoding="utf-8").replace("hours = 30", "hours = 31", 1))
    monkeypatch.setattr(
        requirements_service, "resource", lambda name: rules if name == "rules" else resource(name)
    )
    again = compliance_overview(demo, TODAY)
    assert again.evaluated, "worked out again under the new pack"
    assert_same_figures(again, evaluated_afresh(demo))
    assert check_database(demo).ok


def test_another_day_is_evaluated_again_and_kept_for_that_day(demo: Database) -> None:
    compliance_overview(demo, TODAY)
    tomorrow = TODAY + timedelta(days=1)
    kept = kept_overview(demo, tomorrow)
    assert kept is not None and not kept.current and kept.as_of == TODAY
    overview = compliance_overview(demo, tomorrow)
    assert overview.as_of == tomorrow and len(overview.evaluated) > 1
    assert_same_figures(overview, evaluated_afresh(demo, tomorrow))
    assert compliance_overview(demo, tomorrow).evaluated == frozenset()


def test_the_kept_summary_is_not_a_record_but_a_check_finds_it_changed_by_hand(
    demo: Database,
) -> None:
    """Derived rows: written without audit entries, so `deesc audit verify` never names them;
    `deesc check` compares them with the records and sets a summary changed by hand aside,
    which the dashboard and the roster then work out again."""
    entries = demo.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    compliance_overview(demo, TODAY)
    assert demo.execute("SELECT count(*) FROM summary_officers").fetchone()[0] == 39
    assert demo.execute("SELECT count(*) FROM audit_log").fetchone()[0] == entries
    assert verify_audit(demo).ok
    report = check_database(demo)
    assert report.ok and report.summary_day == TODAY, "compared, and it matches"
    truth = evaluated_afresh(demo)

    # Everyone non-compliant shown as compliant, needing nothing.
    shown = demo.execute(
        "UPDATE summary_officers SET overall = ?, needs = '' WHERE overall = ?",
        [Status.COMPLIANT.value, Status.NON_COMPLIANT.value],
    ).rowcount
    demo.conn.commit()
    assert shown > 0
    assert verify_audit(demo).ok
    report = check_database(demo)
    assert report.problems == [
        f"compliance summary: the rows of {shown} officer(s) kept for 2026-11-22 (the "
        "dashboard's figures and the roster's Needs) do not match the records: changed "
        "outside the app. They were set aside; the app works them out again."
    ]
    assert kept_state(demo) is None
    assert_same_figures(compliance_overview(demo, TODAY), truth)
    assert check_database(demo).ok, "worked out again, it matches"

    # Only the figures per requirement, which the dashboard counts from.
    demo.execute(
        "UPDATE summary_counts SET officers = officers + 5 WHERE (requirement_id, status) ="
        " (SELECT requirement_id, status FROM summary_counts ORDER BY 1, 2 LIMIT 1)"
    )
    demo.conn.commit()
    problems = check_database(demo).problems
    assert len(problems) == 1 and "the figures per requirement kept for" in problems[0]
    assert_same_figures(compliance_overview(demo, TODAY), truth)

    for table in ("summary_results", "summary_officers", "summary_counts", "summary_state"):
        demo.execute(f"DROP TABLE {table}")
    assert verify_audit(demo).ok
    report = check_database(demo)
    assert report.ok and report.summary_day is None, "nothing kept, nothing compared"


@pytest.mark.parametrize(
    "damage",
    [
        "DROP TABLE summary_results",
        "DROP TABLE summary_counts",
        "UPDATE summary_results SET status = 'excellent'",
        "UPDATE summary_state SET requirements = 'not json'",
        "DELETE FROM summary_state",
    ],
)
def test_a_missing_or_damaged_summary_is_worked_out_again(demo: Database, damage: str) -> None:
    expected = compliance_overview(demo, TODAY)
    demo.execute(damage)
    demo.conn.commit()
    again = compliance_overview(demo, TODAY)
    assert len(again.evaluated) == expected.counts.officers
    assert_same_figures(again, expected)
    assert compliance_overview(demo, TODAY).evaluated == frozenset(), "and kept again"


def test_a_read_only_file_is_evaluated_without_keeping_anything(
    demo: Database, tmp_path: Path
) -> None:
    expected = evaluated_afresh(demo)
    demo.close()
    connection = sqlite3.connect(f"file:{tmp_path / 'demo.db'}?mode=ro", uri=True)
    read_only = Database(connection)
    for _ in range(2):
        overview = compliance_overview(read_only, TODAY)
        assert len(overview.evaluated) == expected.counts.officers
        assert_same_figures(overview, expected)
    assert kept_overview(read_only, TODAY) is None
    connection.close()


def standing_afresh(db: Database, as_of: date = TODAY) -> dict[int, tuple[Status, str]]:
    """Every officer's overall status and Needs, as the roster worked them out before: one
    evaluation of everyone on file, separated officers included."""
    people = department_compliance(db, as_of, include_separated=True, today=as_of)
    return {
        p.officer.id: (p.worst, needs_summary(due_items(p.results, p.officer, as_of, DUE_DAYS)))
        for p in people
    }


def test_the_rosters_standing_comes_from_the_kept_summary_and_matches_an_evaluation(
    demo: Database, admin: Actor
) -> None:
    expected = standing_afresh(demo)
    assert any(needs for _status, needs in expected.values()), "the demo has officers in need"
    leaver = next(i for i, (status, _n) in expected.items() if status is Status.NOT_APPLICABLE)
    assert standing(demo, TODAY, today=TODAY) == expected
    state = kept_state(demo)
    assert state is not None and state.as_of == TODAY, "worked out once, and kept"

    trainee = next(i for i, (_status, needs) in expected.items() if "De-escalation" in needs)
    scenario_day(demo, admin, trainee)
    updated = standing_afresh(demo)
    assert updated[trainee] != expected[trainee], "the class changed what the trainee needs"
    assert standing(demo, TODAY, today=TODAY) == updated
    assert compliance_overview(demo, TODAY).evaluated == frozenset(), "kept up to date"
    assert standing(demo, TODAY, today=TODAY)[leaver] == (Status.NOT_APPLICABLE, "")


def test_the_rosters_standing_on_another_day_or_from_a_read_only_file_is_evaluated(
    demo: Database, tmp_path: Path
) -> None:
    earlier = TODAY - timedelta(days=200)
    assert standing(demo, earlier, today=TODAY) == standing_afresh(demo, earlier)
    assert kept_state(demo) is None, "another day's standing is not kept"
    expected = standing_afresh(demo)
    demo.close()
    connection = sqlite3.connect(f"file:{tmp_path / 'demo.db'}?mode=ro", uri=True)
    assert standing(Database(connection), TODAY, today=TODAY) == expected
    connection.close()
