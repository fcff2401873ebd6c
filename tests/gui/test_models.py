"""The table models on their own: Qt's model contract, sorting, filtering, and 50,000 rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt

from deesc_desktop.core.models import Exemption, TrainingRecord
from deesc_desktop.gui.dialogs.common import roster_haystack
from deesc_desktop.gui.features.imports.models import (
    ImportProblem,
    ImportProblemModel,
    PreviewModel,
)
from deesc_desktop.gui.features.roster.models import (
    ExemptionModel,
    RosterColumn,
    RosterModel,
    TranscriptModel,
)
from deesc_desktop.gui.features.settings.models import UserColumn, UsersModel
from deesc_desktop.gui.features.training.models import AttendeeModel, ScoresModel, TrainingModel
from deesc_desktop.gui.models import (
    ID_ROLE,
    ROW_ROLE,
    OfficerChoiceModel,
    RowFilterProxy,
    natural_key,
    topic_text,
    words_predicate,
)
from deesc_desktop.store.officers import RosterRow
from deesc_desktop.store.training import TrainingListRow


def officer(number: int, **changes: Any) -> RosterRow:
    values = dict(
        id=number,
        badge=str(number),
        last_name=f"Last{number:05d}",
        first_name=f"First{number}",
        rank="Officer",
        unit="Patrol" if number % 2 else "Investigations",
        shift=("Days", "Evenings", "Nights")[number % 3],
        hire_date="2015-01-01",
        license_date=None,
        status="active",
        separation_date=None,
        version=1,
    )
    values.update(changes)
    return RosterRow(**values)


def record(number: int) -> TrainingListRow:
    return TrainingListRow(
        id=number,
        officer_id=number,
        badge=str(number),
        last_name="Last",
        first_name="First",
        course_id=1,
        course="ICAT",
        course_number="",
        completed=f"2025-01-{number:02d}",
        hours=800,
        topic_hours=(("de_escalation", 400), ("use_of_force", 400)),
        delivery="scenario",
        provider="",
        instructor="Sgt. R",
        pre_test=60.0,
        post_test=None,
        version=1,
    )


def test_roster_model_and_proxy_pass_the_model_tester(qtmodeltester: Any) -> None:
    model = RosterModel()
    model.set_rows([officer(n) for n in range(1, 30)] + [officer(30, status="separated")])
    qtmodeltester.check(model)
    proxy = RowFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_predicate(lambda r: r.shift == "Days")
    qtmodeltester.check(proxy)


def test_every_other_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    training = TrainingModel()
    training.set_rows([record(n) for n in range(1, 10)])
    qtmodeltester.check(training)

    transcript = TranscriptModel()
    transcript.set_rows(
        [
            TrainingRecord(
                id=1,
                officer_id=1,
                course_id=1,
                course_title="ICAT",
                completed=date(2025, 1, 2),
                hours=800,
                topic_hours=(("de_escalation", 800),),
                pre_test=55.0,
                post_test=90.0,
            )
        ]
    )
    qtmodeltester.check(transcript)

    exemptions = ExemptionModel()
    exemptions.set_rows(
        [Exemption(1, 1, date(2025, 1, 1), date(2025, 2, 1), "Medical leave", frozenset({"x"}))]
    )
    qtmodeltester.check(exemptions)

    problems = ImportProblemModel()
    problems.set_rows(
        [
            ImportProblem("a.csv", 3, "hours", "not a number"),
            ImportProblem("a.csv", None, None, "x"),
        ]
    )
    qtmodeltester.check(problems)

    preview = PreviewModel()
    preview.set_table(["badge", "course"], [(2, ["1", "ICAT"]), (3, ["2", "ICAT"])])
    qtmodeltester.check(preview)

    attendees = AttendeeModel()
    attendees.set_rows([officer(n) for n in range(1, 6)])
    attendees.set_checked([officer(2)], True)
    qtmodeltester.check(attendees)

    scores = ScoresModel()
    scores.set_people([officer(1), officer(2)])
    qtmodeltester.check(scores)

    choices = OfficerChoiceModel()
    choices.set_rows([officer(n) for n in range(1, 4)])
    qtmodeltester.check(choices)


def test_roster_cells_show_text_and_status_colour_with_its_label() -> None:
    model = RosterModel()
    model.set_rows([officer(7, status="leave", license_date="2014-05-01")])
    status = model.index(0, RosterColumn.STATUS)
    assert status.data() == "On leave"
    assert status.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert status.data(Qt.ItemDataRole.DecorationRole) is not None
    assert model.index(0, RosterColumn.NAME).data() == "Last00007, First7"
    assert model.index(0, RosterColumn.LICENSE_DATE).data() == "2014-05-01"
    assert model.index(0, 0).data(ID_ROLE) == 7
    assert model.index(0, 0).data(ROW_ROLE).badge == "7"


def test_sorting_is_natural_for_badges_and_keeps_the_selection() -> None:
    model = RosterModel()
    model.set_rows([officer(n) for n in (100, 9, 25, 1000)])
    model.sort(RosterColumn.BADGE)
    assert [model.row(r).badge for r in range(4)] == ["9", "25", "100", "1000"]
    kept = model.index(2, 0)  # badge 100
    from PySide6.QtCore import QPersistentModelIndex

    persistent = QPersistentModelIndex(kept)
    model.sort(RosterColumn.BADGE, Qt.SortOrder.DescendingOrder)
    assert [model.row(r).badge for r in range(4)] == ["1000", "100", "25", "9"]
    assert model.row(persistent.row()).badge == "100"
    assert natural_key("A7") > natural_key("99999")


def test_the_proxy_sorts_through_the_model_and_filters_by_words() -> None:
    model = RosterModel()
    model.set_rows([officer(n) for n in range(1, 11)])
    proxy = RowFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(RosterColumn.NAME, Qt.SortOrder.DescendingOrder)
    assert proxy.row(0).last_name == "Last00010"
    proxy.set_predicate(words_predicate("FIRST1 last000", roster_haystack))
    assert sorted(proxy.row(r).id for r in range(proxy.rowCount())) == [1, 10]
    model.set_rows([officer(n) for n in range(1, 4)])  # a reload re-applies the filter
    assert [proxy.row(r).id for r in range(proxy.rowCount())] == [1]
    proxy.set_predicate(None)
    assert proxy.rowCount() == 3


def test_topics_read_as_labels() -> None:
    assert topic_text((("de_escalation", 800),)) == "De-escalation"
    assert topic_text((("de_escalation", 400), ("use_of_force", 400))) == (
        "De-escalation 4.0 · Use of force 4.0"
    )


def test_score_cells_take_numbers_only() -> None:
    scores = ScoresModel()
    scores.set_people([officer(1)])
    assert scores.setData(scores.index(0, 1), "75")
    assert not scores.setData(scores.index(0, 2), "great")
    assert scores.scores(1) == (75.0, None)
    assert scores.index(0, 1).data() == "75"


def test_fifty_thousand_officers_load_sort_and_filter() -> None:
    rows = [officer(n) for n in range(1, 50_001)]
    model = RosterModel()
    proxy = RowFilterProxy()
    proxy.setSourceModel(model)
    model.set_rows(rows)
    proxy.sort(RosterColumn.NAME, Qt.SortOrder.DescendingOrder)
    proxy.set_predicate(words_predicate("last04", roster_haystack))
    shown = proxy.rowCount()
    proxy.set_predicate(lambda r: r.shift == "Nights")
    assert shown == 1000
    assert proxy.rowCount() == 16_667


def test_a_users_lock_shows_only_while_it_lasts(qtmodeltester: Any) -> None:
    base = {"full_name": "", "role": "viewer", "active": 1, "last_sign_in": None}
    model = UsersModel()
    model.set_rows(
        [
            {**base, "id": 1, "username": "locked", "locked_until": "2999-01-01T00:00:00Z"},
            {**base, "id": 2, "username": "lapsed", "locked_until": "2020-01-01T00:00:00Z"},
        ]
    )
    qtmodeltester.check(model)
    states = {
        model.index(r, UserColumn.USERNAME).data(): model.index(r, UserColumn.STATE).data()
        for r in range(2)
    }
    assert states["lapsed"] == "Active"
    assert states["locked"].startswith("Active (locked until 2999-01-01 ")
    assert model.index(0, UserColumn.LAST_SIGN_IN).data() == "never"
