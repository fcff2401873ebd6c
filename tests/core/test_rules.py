"""The rule-pack loader: what a good pack becomes, and how a bad one is refused."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from deesc_desktop.core.periods import AnchorDate, PeriodKind
from deesc_desktop.core.rules import (
    MakeUp,
    NewHire,
    RequirementKind,
    RulePackError,
    parse_pack,
    requirement_from_dict,
    requirement_to_dict,
)
from deesc_desktop.services.rule_files import builtin_pack_paths, load_pack

RULES_DIR = Path(__file__).resolve().parents[2] / "resources" / "rules"

HEADER = """
jurisdiction = "IL"
name = "Illinois"
version = "1"
"""

GOOD = (
    HEADER
    + """
[[requirements]]
id = "IL-inservice-30h"
title = "In-service"
effective_from = 2022-07-01
hours = 30
period = { kind = "fixed_cycle", anchor = 2022-07-01, years = 3 }

[[requirements.sub_minimums]]
label = "Scenario-based training"
hours = 12
delivery = ["scenario"]

[[requirements.sub_minimums]]
label = "Use of force"
hours = 6.5
topics = ["use_of_force", "de_escalation"]
"""
)


def requirement_toml(body: str, rid: str = "IL-inservice-30h") -> str:
    """A pack with one requirement: an id, a title, then `body`."""
    return HEADER + f'\n[[requirements]]\nid = "{rid}"\ntitle = "T"\n' + body


def errors_of(text: str, name: str = "IL.toml") -> list[str]:
    with pytest.raises(RulePackError) as caught:
        parse_pack(text, name)
    assert str(caught.value) == "\n".join(caught.value.errors)
    return list(caught.value.errors)


def test_a_good_pack_becomes_requirements() -> None:
    pack = parse_pack(GOOD, "IL.toml")
    assert (pack.jurisdiction, pack.name, pack.version, pack.source_name) == (
        "IL",
        "Illinois",
        "1",
        "IL.toml",
    )
    [requirement] = pack.requirements
    assert requirement.kind is RequirementKind.HOURS
    assert requirement.hours == 3000
    assert requirement.jurisdiction == "IL"
    assert requirement.effective_from == date(2022, 7, 1)
    assert requirement.effective_to is None
    assert requirement.period is not None
    assert requirement.period.kind is PeriodKind.FIXED_CYCLE
    assert requirement.period.anchor == date(2022, 7, 1)
    assert requirement.period.length_months == 36
    assert requirement.new_hire is NewHire.PRORATE
    assert requirement.applies_to.statuses == ("active", "leave")
    assert [(s.label, s.hours, s.topics, s.delivery) for s in requirement.sub_minimums] == [
        ("Scenario-based training", 1200, (), ("scenario",)),
        ("Use of force", 650, ("use_of_force", "de_escalation"), ()),
    ]
    assert pack.requirement("IL-inservice-30h") is requirement
    with pytest.raises(KeyError):
        pack.requirement("nope")


def test_unknown_period_kind_names_file_requirement_field_and_choices() -> None:
    errors = errors_of(
        requirement_toml('effective_from = 2022-07-01\nhours = 30\nperiod = { kind = "yearly" }\n')
    )
    assert errors == [
        "IL.toml, requirement IL-inservice-30h, field period.kind: 'yearly' is not one of "
        "calendar_year, fiscal_year, fixed_cycle, officer_cycle, rolling, "
        "since_last_completion, one_time, deadline"
    ]


def test_a_misspelt_field_is_refused_with_a_suggestion() -> None:
    errors = errors_of(
        requirement_toml(
            'effective_form = 2022-07-01\nhours = 30\nperiod = { kind = "calendar_year" }\n'
        )
    )
    assert any(
        e.startswith("IL.toml, requirement IL-inservice-30h, field effective_form: unknown field")
        and "did you mean 'effective_from'" in e
        for e in errors
    )
    # The misspelling also leaves the real field missing.
    assert any("field effective_from: is required" in e for e in errors)


def test_unknown_keys_are_refused_at_every_level() -> None:
    text = (
        HEADER.replace('version = "1"', 'version = "1"\nautor = "me"')
        + """
[[requirements]]
id = "X-1"
title = "T"
effective_from = 2022-01-01
hours = 10
period = { kind = "calendar_year", years = 1 }
applies_to = { rank = ["Sergeant"] }

[[requirements.sub_minimums]]
label = "A"
hours = 1
topics = ["firearms"]
hour = 2
"""
    )
    errors = errors_of(text, "X.toml")
    assert (
        "X.toml, field autor: unknown field; expected one of "
        + "jurisdiction, name, version, notes, checks, does_not_check, verified_on, topics, "
        "requirements" in errors
    )
    assert (
        "X.toml, requirement X-1, field period.years: is not used by period kind 'calendar_year'"
        in errors
    )
    assert any(
        e.startswith(
            "X.toml, requirement X-1, field applies_to.rank: unknown field (did you mean 'ranks'?)"
        )
        for e in errors
    )
    assert any(
        e.startswith("X.toml, requirement X-1, field sub_minimums[1].hour: unknown field")
        for e in errors
    )


def test_every_problem_is_reported_not_just_the_first() -> None:
    text = (
        HEADER
        + """
[[requirements]]
id = "A-1"
title = "T"
effective_from = "not a date"
hours = -3
period = { kind = "rolling" }
topics = ["de_escalaton"]

[[requirements]]
id = "A-2"
title = ""
effective_from = 2022-01-01
course = "1849"
new_hire = "sometimes"
"""
    )
    errors = errors_of(text, "A.toml")
    assert errors == [
        "A.toml, requirement A-1, field effective_from: 'not a date' is not a date; write "
        "YYYY-MM-DD, e.g. 2022-07-01",
        "A.toml, requirement A-1, field hours: hours cannot be negative (-3)",
        "A.toml, requirement A-1, field topics: 'de_escalaton' is not a known topic code "
        "(did you mean 'de_escalation'?)",
        "A.toml, requirement A-1, field period.months: is required for period kind 'rolling'",
        "A.toml, requirement A-2, field title: must not be empty",
        "A.toml, requirement A-2, field new_hire: 'sometimes' is not one of prorate, "
        "exempt_first_period, full, exempt_license_period, per_month",
    ]


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ('hours = 30\nperiod = { kind = "calendar_year" }\n', "effective_from", "is required"),
        (
            'effective_from = 2022-01-01\nperiod = { kind = "calendar_year" }\n',
            "hours",
            "a requirement needs one of hours, course or certification",
        ),
        (
            'effective_from = 2022-01-01\nhours = 30\ncourse = "1849"\n'
            'period = { kind = "calendar_year" }\n',
            "course",
            "give only one of hours, course or certification, not hours too",
        ),
        ("effective_from = 2022-01-01\nhours = 30\n", "period", "is required for an hours"),
        (
            'effective_from = 2022-01-01\nhours = "thirty"\nperiod = { kind = "calendar_year" }\n',
            "hours",
            "must be a number of hours, not the text 'thirty'",
        ),
        (
            'effective_from = 2022-01-01\nhours = 0\nperiod = { kind = "calendar_year" }\n',
            "hours",
            "must be more than 0 hours",
        ),
        (
            "effective_from = 2022-01-01T08:00:00\nhours = 3\n"
            'period = { kind = "calendar_year" }\n',
            "effective_from",
            "must be a date without a time",
        ),
        (
            "effective_from = 2023-01-01\neffective_to = 2022-12-31\nhours = 3\n"
            'period = { kind = "calendar_year" }\n',
            "effective_to",
            "2022-12-31 is before effective_from 2023-01-01",
        ),
        (
            "effective_from = 2022-01-01\nhours = 3\n"
            'period = { kind = "fixed_cycle", years = 3 }\n',
            "period.anchor",
            "is required for a fixed_cycle",
        ),
        (
            'effective_from = 2022-01-01\nhours = 3\nperiod = { kind = "fixed_cycle", '
            "anchor = 2022-07-01, years = 3, months = 36 }\n",
            "period.years",
            "a fixed_cycle needs exactly one of years or months",
        ),
        (
            "effective_from = 2022-01-01\nhours = 3\n"
            'period = { kind = "fiscal_year", start_month = 13 }\n',
            "period.start_month",
            "must be between 1 and 12, not 13",
        ),
        (
            'effective_from = 2022-01-01\nhours = 3\nperiod = { kind = "officer_cycle", years = 4, '
            'end_month_day = "02-29" }\n',
            "period.end_month_day",
            "'02-29' is not a day that exists every year",
        ),
        (
            'effective_from = 2022-01-01\nhours = 3\nperiod = { kind = "officer_cycle", years = 4, '
            'from = "birthday" }\n',
            "period.from",
            "'birthday' is not one of license, hire",
        ),
        (
            'effective_from = 2022-01-01\nhours = 3\nperiod = { kind = "officer_cycle" }\n',
            "period.years",
            "is required for period kind 'officer_cycle'",
        ),
        (
            'effective_from = 2022-01-01\nhours = 3\ndelivery = ["zoom"]\n'
            'period = { kind = "calendar_year" }\n',
            "delivery",
            "'zoom' is not a known delivery",
        ),
        (
            'effective_from = 2022-01-01\ncertification = "cit"\n'
            'period = { kind = "calendar_year" }\n',
            "period",
            "a certification requirement has no period",
        ),
        (
            "effective_from = 2022-01-01\ncourse = []\n",
            "course",
            "an empty course list needs topics or delivery",
        ),
        (
            'effective_from = 2022-01-01\nhours = 3\nnew_hire = "exempt_first_period"\n'
            'period = { kind = "one_time", months = 24 }\n',
            "new_hire",
            "exempt_first_period cannot be used with period kind 'one_time'",
        ),
        (
            'effective_from = 2022-01-01\nhours = 3\nperiod = { kind = "calendar_year" }\n'
            "applies_to = { licensed_before = 2019-01-01, licensed_on_or_after = 2019-06-01 }\n",
            "applies_to.licensed_before",
            "is not after licensed_on_or_after",
        ),
        (
            'effective_from = 2022-01-01\nhours = 3\nperiod = { kind = "calendar_year" }\n'
            'applies_to = { statuses = ["retired"] }\n',
            "applies_to.statuses",
            "'retired' is not a known officer status",
        ),
    ],
)
def test_each_kind_of_mistake_names_file_requirement_and_field(
    body: str, field: str, reason: str
) -> None:
    errors = errors_of(requirement_toml(body, rid="Z-9"), "Z.toml")
    prefix = f"Z.toml, requirement Z-9, field {field}: "
    assert any(e.startswith(prefix) and reason in e for e in errors), errors


def test_sub_minimum_checks() -> None:
    body = """effective_from = 2022-01-01
hours = 10
topics = ["use_of_force", "de_escalation"]
period = { kind = "calendar_year" }

[[requirements.sub_minimums]]
label = "Too much"
hours = 12
topics = ["use_of_force"]

[[requirements.sub_minimums]]
label = "Outside"
hours = 1
topics = ["firearms"]

[[requirements.sub_minimums]]
label = "Nothing to match"
hours = 1

[[requirements.sub_minimums]]
label = "too much"
hours = 1
topics = ["de_escalation"]
"""
    errors = errors_of(requirement_toml(body, rid="S-1"), "S.toml")
    assert errors == [
        "S.toml, requirement S-1, field sub_minimums[1].hours: 12.0 h is more than the "
        "requirement's total 10.0 h",
        "S.toml, requirement S-1, field sub_minimums[2].topics: firearms not among the "
        "requirement's topics (use_of_force, de_escalation), so those hours could never count",
        "S.toml, requirement S-1, field sub_minimums[3]: needs topics and/or delivery to say "
        "which hours count toward it",
        "S.toml, requirement S-1, field sub_minimums[4].label: 'too much' is used by another "
        "sub-minimum",
    ]


def test_duplicate_ids_are_refused() -> None:
    one = (
        '\n[[requirements]]\nid = "D-1"\ntitle = "T"\n'
        'effective_from = 2022-01-01\ncertification = "cit"\n'
    )
    errors = errors_of(HEADER + one + one, "D.toml")
    assert errors == [
        "D.toml, requirement D-1, field id: 'D-1' is used by another requirement in this pack"
    ]


def test_a_requirement_without_an_id_is_named_by_its_position() -> None:
    errors = errors_of(
        HEADER
        + '\n[[requirements]]\ntitle = "T"\neffective_from = 2022-01-01\ncertification = "cit"\n'
    )
    assert errors == ["IL.toml, requirement #1 (no id), field id: is required"]


def test_ids_may_not_hold_spaces() -> None:
    errors = errors_of(
        requirement_toml('effective_from = 2022-01-01\ncertification = "cit"\n', rid="IL 30h")
    )
    assert errors[0].startswith("IL.toml, requirement IL 30h, field id: 'IL 30h' may hold only")


def test_pack_level_fields_are_required() -> None:
    errors = errors_of('version = 2\n[[requirements]]\nid = "A"\n', "P.toml")
    assert "P.toml, field jurisdiction: is required" in errors
    assert "P.toml, field name: is required" in errors
    assert "P.toml, field version: must be text, not the number 2" in errors


def test_not_toml_at_all() -> None:
    errors = errors_of('jurisdiction = "IL"\nname = ', "Bad.toml")
    assert len(errors) == 1
    assert errors[0].startswith("Bad.toml: not valid TOML: ")


def test_agency_topic_codes_are_accepted_when_given() -> None:
    text = requirement_toml(
        'effective_from = 2022-01-01\nhours = 2\ntopics = ["k9_handling"]\n'
        'period = { kind = "calendar_year" }\n'
    )
    assert "'k9_handling' is not a known topic code" in errors_of(text)[0]
    pack = parse_pack(text, "IL.toml", extra_topics={"k9_handling"})
    assert pack.requirements[0].topics == ("k9_handling",)


def test_a_pack_may_define_its_own_topic_codes() -> None:
    text = (
        HEADER
        + '\n[topics]\nschool_threat_assessment = "School threat assessment"\n'
        + '\n[[requirements]]\nid = "OH-1"\ntitle = "T"\neffective_from = 2023-01-01\nhours = 24\n'
        + 'period = { kind = "calendar_year" }\n'
        + '[[requirements.sub_minimums]]\nlabel = "School threats"\nhours = 3\n'
        + 'topics = ["school_threat_assessment"]\n'
    )
    pack = parse_pack(text, "OH.toml")
    # Built in since m005: an older pack file that defines it still loads, adding nothing.
    assert pack.topics == ()
    assert pack.requirements[0].sub_minimums[0].topics == ("school_threat_assessment",)
    own = HEADER + '\n[topics]\nk9_handling = "K9 handling"\nfirearms = "Guns"\n'
    assert parse_pack(own, "IL.toml").topics == (("k9_handling", "K9 handling"),)
    bad = HEADER + '\n[topics]\n"Bad Code" = "x"\n'
    errors = errors_of(bad)
    assert any(e.startswith("IL.toml, field topics.Bad Code: a topic code holds") for e in errors)


def test_load_pack_names_the_file_and_refuses_unreadable_files(tmp_path: Path) -> None:
    path = tmp_path / "ZZ.toml"
    path.write_text(
        requirement_toml('hours = 1\nperiod = { kind = "calendar_year" }\n'), encoding="utf-8"
    )
    with pytest.raises(RulePackError) as caught:
        load_pack(path)
    assert caught.value.errors[0].startswith("ZZ.toml, requirement IL-inservice-30h, field ")
    latin = tmp_path / "L.toml"
    latin.write_bytes('name = "Québec"'.encode("latin-1"))
    with pytest.raises(RulePackError, match=r"L\.toml: not UTF-8 text"):
        load_pack(latin)
    with pytest.raises(RulePackError, match=r"missing\.toml: cannot be read"):
        load_pack(tmp_path / "missing.toml")


def test_builtin_pack_paths_are_keyed_by_jurisdiction(tmp_path: Path) -> None:
    (tmp_path / "il.toml").write_text("")
    (tmp_path / "TX.toml").write_text("")
    (tmp_path / "notes.txt").write_text("")
    assert builtin_pack_paths(tmp_path) == {"IL": tmp_path / "il.toml", "TX": tmp_path / "TX.toml"}


# --- the JSON form the store keeps -------------------------------------------------------------


def shipped_requirements() -> list[tuple[str, object]]:
    found = []
    for code, path in builtin_pack_paths(RULES_DIR).items():
        pack = load_pack(path)
        found.extend((f"{code}:{r.id}", (r, dict(pack.topics))) for r in pack.requirements)
    return found


@pytest.mark.parametrize(("label", "item"), shipped_requirements())
def test_every_shipped_requirement_round_trips_through_json(label: str, item: object) -> None:
    requirement, topics = item  # type: ignore[misc]
    stored = json.dumps(requirement_to_dict(requirement))
    back = requirement_from_dict(json.loads(stored), extra_topics=topics)
    assert back == requirement


def test_requirement_to_dict_uses_the_toml_shape_with_iso_dates() -> None:
    requirement = parse_pack(GOOD, "IL.toml").requirements[0]
    assert requirement_to_dict(requirement) == {
        "id": "IL-inservice-30h",
        "title": "In-service",
        "jurisdiction": "IL",
        "effective_from": "2022-07-01",
        "hours": 30.0,
        "period": {"kind": "fixed_cycle", "anchor": "2022-07-01", "years": 3},
        "sub_minimums": [
            {"label": "Scenario-based training", "hours": 12.0, "delivery": ["scenario"]},
            {"label": "Use of force", "hours": 6.5, "topics": ["use_of_force", "de_escalation"]},
        ],
        "new_hire": "prorate",
    }


def test_requirement_from_dict_checks_like_the_loader() -> None:
    data = {
        "id": "AG-1",
        "title": "Agency K9",
        "effective_from": "2024-02-30",
        "hours": 8,
        "period": {"kind": "officer_cycle", "years": 2, "from": "hire"},
    }
    with pytest.raises(RulePackError) as caught:
        requirement_from_dict(data)
    assert caught.value.errors == (
        "stored requirement, requirement AG-1, field effective_from: '2024-02-30' is not a "
        "date; write YYYY-MM-DD, e.g. 2022-07-01",
    )
    data["effective_from"] = "2024-02-29"
    requirement = requirement_from_dict(data)
    assert requirement.period is not None
    assert requirement.period.start_from is AnchorDate.HIRE
    assert requirement.jurisdiction == ""


def test_pack_coverage_fields_are_read_and_checked() -> None:
    text = HEADER + (
        'checks = "30 hours"\ndoes_not_check = """\nThe annual topics\n"""\n'
        "verified_on = 2026-12-04\n"
    )
    pack = parse_pack(text, "IL.toml")
    assert (pack.checks, pack.does_not_check, pack.verified_on) == (
        "30 hours",
        "The annual topics",
        date(2026, 12, 4),
    )
    assert pack.partial
    assert pack.coverage_line() == (
        "Partial: does not check the annual topics. Rules verified 2026-12-04."
    )
    assert parse_pack(HEADER, "IL.toml").coverage_line() == (
        "Rules not verified against their sources."
    )
    assert errors_of(HEADER + 'verified_on = "soon"\n') == [
        "IL.toml, field verified_on: 'soon' is not a date; write YYYY-MM-DD, e.g. 2022-07-01"
    ]


def test_a_deadline_period_needs_a_due_date_and_counts_from_no_later() -> None:
    pack = parse_pack(
        requirement_toml(
            'effective_from = 2021-01-01\ncourse = ["ICAT"]\n'
            'period = { kind = "deadline", due = 2021-12-31, counts_from = 2020-06-01 }\n'
        ),
        "NJ.toml",
    )
    period = pack.requirements[0].period
    assert period is not None
    assert (period.kind, period.due, period.counts_from) == (
        PeriodKind.DEADLINE,
        date(2021, 12, 31),
        date(2020, 6, 1),
    )
    assert period.describe() == "by 2021-12-31"
    assert errors_of(
        requirement_toml(
            'effective_from = 2021-01-01\ncourse = ["ICAT"]\nperiod = { kind = "deadline" }\n'
        )
    ) == [
        "IL.toml, requirement IL-inservice-30h, field period.due: is required for a deadline "
        "(the date it is due by)"
    ]
    late = errors_of(
        requirement_toml(
            'effective_from = 2021-01-01\ncourse = ["ICAT"]\n'
            'period = { kind = "deadline", due = 2021-12-31, counts_from = 2022-01-01 }\n'
        )
    )
    assert late == [
        "IL.toml, requirement IL-inservice-30h, field period.counts_from: 2022-01-01 is after "
        "the due date 2021-12-31"
    ]


def test_end_after_anniversary_needs_an_end_day_and_a_boolean() -> None:
    body = 'effective_from = 2000-01-01\nhours = 40\nperiod = { kind = "officer_cycle", years = 4, '
    assert errors_of(requirement_toml(body + "end_after_anniversary = true }\n")) == [
        "IL.toml, requirement IL-inservice-30h, field period.end_after_anniversary: needs "
        "end_month_day: it says which month-day after the anniversary ends a cycle"
    ]
    assert errors_of(
        requirement_toml(body + 'end_month_day = "06-30", end_after_anniversary = "yes" }\n')
    ) == [
        "IL.toml, requirement IL-inservice-30h, field period.end_after_anniversary: must be "
        "true or false, not the text 'yes'"
    ]


def test_dated_sub_minimums_may_share_a_label_only_when_their_windows_do_not_meet() -> None:
    body = (
        'effective_from = 2023-01-01\nhours = 24\nperiod = { kind = "calendar_year" }\n'
        '[[requirements.sub_minimums]]\nlabel = "DT"\nhours = 2\ntopics = ["defensive_tactics"]\n'
        "window_to = 2023-12-31\n"
        '[[requirements.sub_minimums]]\nlabel = "DT"\nhours = 4\ntopics = ["defensive_tactics"]\n'
    )
    pack = parse_pack(requirement_toml(body + "window_from = 2024-01-01\n"), "IN.toml")
    first, second = pack.requirements[0].sub_minimums
    assert (first.applies(date(2023, 1, 1)), first.applies(date(2024, 1, 1))) == (True, False)
    assert (second.applies(date(2023, 1, 1)), second.applies(date(2024, 1, 1))) == (False, True)
    assert errors_of(requirement_toml(body + "window_from = 2023-12-31\n")) == [
        "IL.toml, requirement IL-inservice-30h, field sub_minimums[2].label: 'DT' is used by "
        "another sub-minimum"
    ]
    backwards = requirement_toml(
        'effective_from = 2023-01-01\nhours = 24\nperiod = { kind = "calendar_year" }\n'
        '[[requirements.sub_minimums]]\nlabel = "DT"\nhours = 2\ntopics = ["defensive_tactics"]\n'
        "window_from = 2024-01-01\nwindow_to = 2023-12-31\n"
    )
    assert errors_of(backwards) == [
        "IL.toml, requirement IL-inservice-30h, field sub_minimums[1].window_to: 2023-12-31 is "
        "before window_from 2024-01-01"
    ]


def test_per_month_new_hires_need_their_hours_per_month() -> None:
    body = 'effective_from = 2000-07-01\nhours = 40\nperiod = { kind = "fiscal_year" }\n'
    pack = parse_pack(
        requirement_toml(body + 'new_hire = "per_month"\nhours_per_month = 3.5\n'), "UT.toml"
    )
    requirement = pack.requirements[0]
    assert (requirement.new_hire, requirement.hours_per_month) == (NewHire.PER_MONTH, 350)
    assert errors_of(requirement_toml(body + 'new_hire = "per_month"\n')) == [
        "IL.toml, requirement IL-inservice-30h, field hours_per_month: is required with "
        'new_hire = "per_month" (e.g. 3.5)'
    ]
    assert errors_of(requirement_toml(body + "hours_per_month = 3.5\n")) == [
        "IL.toml, requirement IL-inservice-30h, field hours_per_month: is used only with "
        'new_hire = "per_month"'
    ]


def test_make_up_is_for_hours_in_consecutive_windows() -> None:
    body = 'effective_from = 2000-07-01\nhours = 40\nmake_up = "previous_first"\n'
    pack = parse_pack(requirement_toml(body + 'period = { kind = "fiscal_year" }\n'), "UT.toml")
    assert pack.requirements[0].make_up is MakeUp.PREVIOUS_FIRST
    assert errors_of(requirement_toml(body + 'period = { kind = "rolling", months = 12 }\n')) == [
        'IL.toml, requirement IL-inservice-30h, field make_up: "previous_first" is for an '
        "hours requirement measured in consecutive windows (calendar_year, fiscal_year, "
        "fixed_cycle, officer_cycle)"
    ]


def test_a_restarting_clock_may_have_a_first_due_date_and_a_fixed_end_day() -> None:
    pack = parse_pack(
        requirement_toml(
            'effective_from = 2015-01-14\nhours = 12\nperiod = { kind = "since_last_completion", '
            'years = 2, first_due = 2017-07-01, end_month_day = "12-31" }\n'
        ),
        "VA.toml",
    )
    period = pack.requirements[0].period
    assert period is not None
    assert (period.first_due, period.end_month_day) == (date(2017, 7, 1), (12, 31))
    assert period.describe() == "by December 31 of the 2nd year after the last completion"


def test_applies_to_can_leave_out_ranks_and_units() -> None:
    pack = parse_pack(
        requirement_toml(
            'effective_from = 2021-01-01\nhours = 18\nperiod = { kind = "calendar_year" }\n'
            'applies_to = { except_ranks = ["Lieutenant"], except_units = ["Records"] }\n'
        ),
        "CA.toml",
    )
    applies = pack.requirements[0].applies_to
    assert (applies.except_ranks, applies.except_units) == (("Lieutenant",), ("Records",))
    assert requirement_to_dict(pack.requirements[0])["applies_to"] == {
        "except_ranks": ["Lieutenant"],
        "except_units": ["Records"],
    }
