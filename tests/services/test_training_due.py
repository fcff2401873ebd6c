"""Training due: who needs what in the next 30/60/90 days, and what it takes (issue 16)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlite_utils import Database

from deesc_desktop.core.compliance import RequirementKind, Status
from deesc_desktop.core.rules import short_title
from deesc_desktop.demo import load_demo
from deesc_desktop.services.compliance import department_compliance
from deesc_desktop.services.errors import ValidationError
from deesc_desktop.services.training_due import (
    NEEDS_SEPARATOR,
    OVERDUE,
    needs_summary,
    officer_due,
    training_due,
)
from deesc_desktop.store import open_database

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Database:
    db = open_database(tmp_path_factory.mktemp("due") / "demo.db")
    load_demo(db, today=TODAY)
    return db


def test_the_list_holds_every_unmet_requirement_overdue_or_due_in_the_horizon(
    demo: Database,
) -> None:
    due = training_due(demo, TODAY, 60, today=TODAY)
    expected = {
        (person.officer.id, result.requirement_id)
        for person in department_compliance(demo, TODAY, today=TODAY)
        for result in person.results
        if result.status is Status.NON_COMPLIANT
        or (
            result.status in (Status.DUE_SOON, Status.IN_PROGRESS)
            and result.due_date is not None
            and (result.due_date - TODAY).days <= 60
        )
    }
    assert {(i.officer.id, i.requirement_id) for i in due.items} == expected
    assert due.items and due.officers == 39
    for item in due.items:
        if item.bucket != OVERDUE:
            assert item.due_date is not None and (item.due_date - TODAY).days <= int(item.bucket)


def test_a_longer_horizon_never_drops_anything(demo: Database) -> None:
    lists = [training_due(demo, TODAY, days, today=TODAY).items for days in (30, 60, 90)]
    keys = [{(i.officer.id, i.requirement_id) for i in items} for items in lists]
    assert keys[0] <= keys[1] <= keys[2]
    with pytest.raises(ValidationError, match="choose 30, 60, 90 days"):
        training_due(demo, TODAY, 45)


def test_groups_by_shift_and_unit_cover_the_same_items(demo: Database) -> None:
    due = training_due(demo, TODAY, 90, today=TODAY)
    for key in ("shift", "unit"):
        groups = due.groups(key)
        assert sum(len(items) for _, items in groups) == len(due.items)
        assert [name for name, _ in groups] == sorted((n for n, _ in groups), key=str.casefold)
        for name, items in groups:
            assert all(getattr(i, key) == name for i in items)


def test_needs_say_what_it_takes(demo: Database) -> None:
    due = training_due(demo, TODAY, 90, today=TODAY)
    hours = next(i for i in due.items if i.requirement_id == "MPD-deescalation-annual")
    assert hours.needs.endswith(" h")
    one = officer_due(demo, hours.officer.id, TODAY, 90, today=TODAY)
    assert [i.requirement_id for i in one] == [
        i.requirement_id for i in due.items if i.officer.id == hours.officer.id
    ]
    summary = needs_summary(one)
    assert f"{short_title(hours.requirement_title)} {hours.needs}" in summary.split(NEEDS_SEPARATOR)
    assert "MPD-" not in summary


def test_a_class_requirement_needs_the_class_it_asks_for_not_its_title_again(
    demo: Database,
) -> None:
    due = training_due(demo, TODAY, 90, today=TODAY)
    classes = {i.requirement_title: i.needs for i in due.items if i.kind is RequirementKind.COURSE}
    assert classes, "the demo has officers short of a class"
    for title, needs in classes.items():
        assert needs[:1].isupper()
        assert title not in needs and not needs.startswith("Complete:")
    assert any(needs.startswith("A class in ") for needs in classes.values())
    # The roster's summary names such a requirement by its short title alone, as before.
    officer = next(i.officer for i in due.items if i.kind is RequirementKind.COURSE)
    summary = needs_summary(officer_due(demo, officer.id, TODAY, 90, today=TODAY))
    assert "A class in" not in summary
