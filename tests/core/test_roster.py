"""The roster as it stood on a date: serving, status of the day, leave begun (core.roster)."""

from __future__ import annotations

from datetime import date

from deesc_desktop.core.models import Exemption, Officer
from deesc_desktop.core.roster import (
    as_it_stood,
    begun_by,
    current_values_note,
    on_leave,
    roster_on,
    serving_on,
)

TODAY = date(2026, 12, 1)


def officer(officer_id: int = 1, **fields: object) -> Officer:
    values: dict[str, object] = {"badge": str(officer_id), "last_name": "X", "first_name": "Y"}
    values.setdefault("hire_date", date(2020, 3, 1))
    values.update(fields)
    return Officer(id=officer_id, **values)  # type: ignore[arg-type]


def leave(start: date, end: date, *requirements: str) -> Exemption:
    return Exemption(1, 1, start, end, "Leave", frozenset(requirements))


def test_serving_from_the_hire_day_through_the_separation_day() -> None:
    gone = officer(status="separated", separation_date=date(2025, 8, 6))
    assert not serving_on(gone, date(2020, 2, 29))
    assert serving_on(gone, date(2020, 3, 1))
    assert serving_on(gone, date(2025, 8, 6))
    assert not serving_on(gone, date(2025, 8, 7))


def test_status_of_a_past_day_comes_from_leave_periods_not_todays_status() -> None:
    away = officer(status="leave")
    assert as_it_stood(away, date(2024, 5, 1), [], TODAY).status == "active"
    assert as_it_stood(away, TODAY, [], TODAY).status == "leave"
    spell = [leave(date(2024, 4, 1), date(2024, 6, 30))]
    assert on_leave(officer(), date(2024, 5, 1), spell, TODAY)
    assert not on_leave(officer(), date(2024, 7, 1), spell, TODAY)
    # An exemption from named requirements is not leave.
    targeted = [leave(date(2024, 4, 1), date(2024, 6, 30), "IL-inservice-30h")]
    assert not on_leave(officer(), date(2024, 5, 1), targeted, TODAY)


def test_a_separated_officer_stood_as_active_while_serving() -> None:
    gone = officer(status="separated", separation_date=date(2025, 8, 6))
    then = as_it_stood(gone, date(2025, 1, 1), [], TODAY)
    assert then.status == "active" and then.separation_date == date(2025, 8, 6)
    assert as_it_stood(gone, date(2025, 9, 1), [], TODAY) is gone


def test_the_roster_of_a_day_keeps_order_and_drops_who_was_not_there() -> None:
    people = [
        officer(1),
        officer(2, hire_date=date(2026, 9, 21)),
        officer(3, status="separated", separation_date=date(2025, 8, 6)),
    ]
    assert [o.id for o in roster_on(people, date(2025, 6, 30), {}, TODAY)] == [1, 3]
    assert [o.id for o in roster_on(people, TODAY, {}, TODAY)] == [1, 2]


def test_leave_counts_once_begun() -> None:
    spells = [
        leave(date(2025, 10, 30), date(2026, 6, 27)),
        leave(date(2024, 1, 1), date(2024, 2, 1)),
    ]
    assert begun_by(spells, date(2025, 6, 30)) == [spells[1]]
    assert begun_by(spells, date(2025, 10, 30)) == spells


def test_reports_for_an_earlier_day_say_rank_unit_and_shift_are_todays() -> None:
    assert "as recorded on 2026-12-01" in current_values_note(date(2025, 6, 30), TODAY)
    assert current_values_note(TODAY, TODAY) == ""
