"""The dashboard's compliance overview: the department's counts and due list, kept in the file."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlite_utils import Database

from deesc_desktop.core.compliance import Status
from deesc_desktop.demo import load_demo
from deesc_desktop.gui.cards import DUE_DAYS as CARD_DUE_DAYS
from deesc_desktop.services.compliance import department_compliance, summarise
from deesc_desktop.services.dashboard import DUE_DAYS, compliance_overview
from deesc_desktop.store import open_database

TODAY = date(2026, 11, 22)


@pytest.fixture
def demo(tmp_path_factory: pytest.TempPathFactory) -> Database:
    db = open_database(tmp_path_factory.mktemp("demo") / "demo.db")
    load_demo(db, today=TODAY)
    return db


def test_the_overview_counts_the_department_and_lists_what_falls_due(demo: Database) -> None:
    overview = compliance_overview(demo, TODAY)
    people = department_compliance(demo, TODAY)
    assert overview.as_of == TODAY
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
    assert CARD_DUE_DAYS == DUE_DAYS, "the card's title names the service's window"
