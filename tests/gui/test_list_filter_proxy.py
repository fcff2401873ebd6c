"""ListFilterProxy against RowFilterProxy: same rows, same order, selection kept, Qt's contract."""

from __future__ import annotations

import random
from typing import Any

from PySide6.QtCore import QPersistentModelIndex, Qt

from deesc_desktop.gui.dialogs.common import roster_haystack
from deesc_desktop.gui.features.roster.models import RosterColumn, RosterModel
from deesc_desktop.gui.models import ListFilterProxy, RowFilterProxy, words_predicate
from tests.gui.test_models import officer


def shown(proxy: Any) -> list[int]:
    return [proxy.row(r).id for r in range(proxy.rowCount())]


def test_the_list_proxy_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = RosterModel()
    model.set_rows([officer(n) for n in range(1, 30)] + [officer(30, status="separated")])
    proxy = ListFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.set_predicate(lambda r: r.shift == "Days")
    qtmodeltester.check(proxy)
    proxy.set_predicate(lambda r: False)
    qtmodeltester.check(proxy)


def test_the_list_proxy_shows_what_the_filter_proxy_shows() -> None:
    rng = random.Random(1988)
    rows = [officer(n, status=rng.choice(["active", "leave", "separated"])) for n in range(1, 3001)]
    model = RosterModel()
    model.set_rows(rows)
    old, new = RowFilterProxy(), ListFilterProxy()
    old.setSourceModel(model)
    new.setSourceModel(model)
    assert shown(new) == shown(old)
    typed = ""
    for key in "last01":
        typed += key
        words = words_predicate(typed, roster_haystack)
        old.set_predicate(words)
        new.set_predicate(words, narrows=True)
        assert shown(new) == shown(old)
    for column in RosterColumn:
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            new.sort(column, order)
            assert shown(new) == shown(old)
    new.set_predicate(lambda r: r.status == "leave")
    old.set_predicate(lambda r: r.status == "leave")
    assert shown(new) == shown(old)
    model.set_rows(rows[:500])  # a reload filters again
    assert shown(new) == shown(old)
    new.set_predicate(None)
    assert new.rowCount() == 500


def test_the_list_proxy_keeps_the_selected_row_through_sorting_and_filtering() -> None:
    model = RosterModel()
    model.set_rows([officer(n) for n in range(1, 101)])
    proxy = ListFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(RosterColumn.BADGE, Qt.SortOrder.AscendingOrder)
    kept = QPersistentModelIndex(proxy.index(41, 2))  # badge 42
    assert proxy.row(kept.row()).id == 42
    proxy.sort(RosterColumn.BADGE, Qt.SortOrder.DescendingOrder)
    assert proxy.row(kept.row()).id == 42 and kept.column() == 2
    proxy.set_predicate(lambda r: r.id % 2 == 0)
    assert proxy.row(kept.row()).id == 42
    assert proxy.mapToSource(proxy.index(kept.row(), 0)).row() == model.find_row(
        lambda r: r.id == 42
    )
    proxy.set_predicate(lambda r: r.id % 2 == 1)
    assert not kept.isValid()


def test_fifty_thousand_officers_filter_by_words_and_by_shift() -> None:
    rows = [officer(n) for n in range(1, 50_001)]
    model = RosterModel()
    proxy = ListFilterProxy()
    proxy.setSourceModel(model)
    model.set_rows(rows)
    proxy.sort(RosterColumn.NAME, Qt.SortOrder.DescendingOrder)
    proxy.set_predicate(words_predicate("last04", roster_haystack))
    assert proxy.rowCount() == 1000
    proxy.set_predicate(lambda r: r.shift == "Nights")
    assert proxy.rowCount() == 16_667
