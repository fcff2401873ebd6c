"""The requirement form holds every rule-pack field: each shipped requirement goes through it
unchanged, and every field name, period kind and choice of the format has its place."""

from __future__ import annotations

from typing import Any

import pytest

from deesc_desktop.core.periods import PeriodKind
from deesc_desktop.core.rules import (
    APPLIES_TO_FIELDS,
    PERIOD_FIELDS,
    REQUIREMENT_FIELDS,
    SUB_MINIMUM_FIELDS,
    MakeUp,
    NewHire,
    RequirementKind,
    requirement_to_dict,
)
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.features.compliance.requirement_fields import (
    APPLIES_DATES,
    APPLIES_LISTS,
    KIND_LABELS,
    MAKE_UP_LABELS,
    NEW_HIRE_LABELS,
    PERIOD_FIELD_LABELS,
    PERIOD_LABELS,
    SubMinimumDialog,
)
from deesc_desktop.gui.features.compliance.requirement_form import RequirementForm
from deesc_desktop.services.requirements import builtin_packs
from deesc_desktop.services.rule_files import load_pack

SHIPPED = [
    requirement
    for path in builtin_packs().values()
    for requirement in load_pack(path, extra_topics=None).requirements
]


def test_every_field_kind_and_choice_of_the_format_has_its_place() -> None:
    assert set(KIND_LABELS) == set(RequirementKind)
    assert set(PERIOD_LABELS) - {""} == set(PeriodKind)
    every_period_field = {name for names in PERIOD_FIELDS.values() for name in names}
    assert set(PERIOD_FIELD_LABELS) == every_period_field
    assert set(NEW_HIRE_LABELS) == set(NewHire)
    assert set(MAKE_UP_LABELS) == set(MakeUp)
    assert {"statuses", *APPLIES_LISTS, *APPLIES_DATES} == set(APPLIES_TO_FIELDS)
    assert set(REQUIREMENT_FIELDS) == {
        "id",
        "title",
        "effective_from",
        "effective_to",
        "applies_to",
        "period",
        "hours",
        "courses",
        "course",
        "certification",
        "topics",
        "delivery",
        "sub_minimums",
        "new_hire",
        "hours_per_month",
        "make_up",
        "round_required_to",
        "source",
        "notes",
    }, "a new requirement field: give it a place in the form, then add it here"


@pytest.mark.parametrize("requirement", SHIPPED, ids=lambda r: r.id)
def test_a_shipped_requirement_goes_through_the_form_unchanged(
    qtbot: Any, ctx: AppContext, requirement: Any
) -> None:
    form = RequirementForm(ctx, requirement)
    qtbot.addWidget(form)
    expected = requirement_to_dict(requirement)
    expected.pop("jurisdiction", None)
    assert form.definition() == expected


def test_a_sub_minimum_keeps_each_of_its_fields(qtbot: Any, ctx: AppContext) -> None:
    value = {
        "label": "Defensive tactics",
        "hours": 4.0,
        "topics": ["defensive_tactics"],
        "delivery": ["scenario"],
        "window_from": "2024-01-01",
        "window_to": "2030-12-31",
    }
    assert set(value) == set(SUB_MINIMUM_FIELDS)
    dialog = SubMinimumDialog({"defensive_tactics": "Defensive tactics"}, value)
    qtbot.addWidget(dialog)
    assert dialog.value() == value
