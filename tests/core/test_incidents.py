"""The LEDTA incident figures, on an example worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from deesc_desktop.core.incidents import (
    IncidentFacts,
    Tally,
    TrainingGroup,
    age_group,
    federal_fiscal_year,
    federal_quarter,
    ledta_figures,
    quarter_span,
    training_group,
)

T, N, U = TrainingGroup.TRAINED, TrainingGroup.NOT_TRAINED, TrainingGroup.UNKNOWN


def incident(day: str, group: TrainingGroup, used: bool, force: str, hurt: int, public: int):  # type: ignore[no-untyped-def]
    return IncidentFacts(date.fromisoformat(day), used, force, hurt, public, group)


EXAMPLE = [
    incident("2025-10-05", T, True, "none", 0, 0),
    incident("2025-11-12", T, True, "physical_control", 0, 1),
    incident("2025-12-01", N, False, "cew", 1, 1),
    incident("2025-12-20", N, True, "none", 0, 0),
    incident("2026-01-08", T, True, "none", 0, 0),
    incident("2026-02-14", N, False, "takedown", 2, 0),
    incident("2026-03-03", T, False, "oc_spray", 0, 1),
    incident("2026-03-30", U, True, "none", 0, 0),
    incident("2026-04-02", T, True, "none", 0, 0),  # after the period: not counted
]


def pct(text: str) -> Decimal:
    return Decimal(text)


def test_ledta_figures_match_the_worked_example() -> None:
    """Eight incidents from 1 October 2025 to 31 March 2026 (the first half of federal
    FY2026), a ninth on 2 April 2026 outside the period. T: every officer trained before the
    incident; N: some or none; U: no officer recorded.

        #  date        group  de-esc  force             officers hurt  public hurt
        1  2025-10-05  T      yes     none              0              0
        2  2025-11-12  T      yes     physical control  0              1
        3  2025-12-01  N      no      CEW               1              1
        4  2025-12-20  N      yes     none              0              0
        5  2026-01-08  T      yes     none              0              0
        6  2026-02-14  N      no      takedown          2              0
        7  2026-03-03  T      no      OC spray          0              1
        8  2026-03-30  U      yes     none              0              0

    FY2026 Q1 (Oct-Dec): incidents 1-4. De-escalation 3 of 4 = 75.0%; force 2 of 4
    (#2, #3) = 50.0%; an officer hurt in 1 (#3) = 25.0%, 1 officer; the public hurt in 2
    (#2, #3) = 50.0%, 2 people. Trained (#1, #2): de-escalation 2/2 = 100.0%, force 1/2 =
    50.0%, officer injury 0/2 = 0.0%, public injury 1/2 = 50.0%. Not trained (#3, #4):
    de-escalation 1/2 = 50.0%, force 1/2 = 50.0%, officer injury 1/2 = 50.0%, public 1/2 = 50.0%.

    FY2026 Q2 (Jan-Mar): incidents 5-8. De-escalation 2 of 4 (#5, #8) = 50.0%; force 2
    (#6, #7) = 50.0%; officers hurt in 1 (#6) = 25.0%, 2 officers; public hurt in 1 (#7) =
    25.0%. Trained (#5, #7): force 1/2 = 50.0%, public injury 1/2 = 50.0%, officer injury 0.
    Not trained (#6): force 1/1 = 100.0%, officer injury 1/1 = 100.0%. Unknown: #8 alone.

    FY2026 to date (the period): 8 incidents; de-escalation 5 = 62.5%; force 4 = 50.0%;
    officer injury in 2 = 25.0% (3 officers); public injury in 3 = 37.5% (3 people).
    Trained (#1 #2 #5 #7), 4: de-escalation 3 = 75.0%, force 2 = 50.0%, officer injury
    0 = 0.0%, public injury 2 = 50.0%. Not trained (#3 #4 #6), 3: de-escalation 1 = 33.3%,
    force 2 = 66.7%, officer injury 2 = 66.7%, public injury 1 = 33.3%.
    """
    figures = ledta_figures(EXAMPLE, date(2025, 10, 1), date(2026, 3, 31))

    q1, q2 = figures.quarters
    assert (q1.label, q1.start, q1.end) == ("FY2026 Q1", date(2025, 10, 1), date(2025, 12, 31))
    assert q1.total == Tally(4, 3, 2, 1, 2, 1, 2)
    assert (q1.total.deescalation_rate, q1.total.force_rate) == (pct("75.0"), pct("50.0"))
    assert (q1.total.officer_injury_rate, q1.total.public_injury_rate) == (
        pct("25.0"),
        pct("50.0"),
    )
    trained, untrained = q1.group(T), q1.group(N)
    assert (trained.deescalation_rate, trained.force_rate) == (pct("100.0"), pct("50.0"))
    assert (trained.officer_injury_rate, trained.public_injury_rate) == (pct("0.0"), pct("50.0"))
    assert (untrained.deescalation_rate, untrained.force_rate) == (pct("50.0"), pct("50.0"))
    assert untrained.officer_injury_rate == pct("50.0")

    assert (q2.label, q2.start, q2.end) == ("FY2026 Q2", date(2026, 1, 1), date(2026, 3, 31))
    assert q2.total == Tally(4, 2, 2, 1, 1, 2, 1)
    assert q2.group(T) == Tally(2, 1, 1, 0, 1, 0, 1)
    assert (q2.group(N).force_rate, q2.group(N).officer_injury_rate) == (pct("100.0"), pct("100.0"))
    assert q2.group(U) == Tally(1, 1, 0, 0, 0, 0, 0)

    (year,) = figures.fiscal_years
    assert (year.label, year.start, year.end) == ("FY2026", date(2025, 10, 1), date(2026, 3, 31))
    assert year.total == Tally(8, 5, 4, 2, 3, 3, 3)
    assert (year.total.deescalation_rate, year.total.public_injury_rate) == (
        pct("62.5"),
        pct("37.5"),
    )
    assert year.group(T) == Tally(4, 3, 2, 0, 2, 0, 2)
    untrained = year.group(N)
    assert untrained == Tally(3, 1, 2, 2, 1, 3, 1)
    assert (untrained.deescalation_rate, untrained.force_rate) == (pct("33.3"), pct("66.7"))
    assert (untrained.officer_injury_rate, untrained.public_injury_rate) == (
        pct("66.7"),
        pct("33.3"),
    )
    assert figures.total.total == year.total


def test_a_group_with_no_incidents_has_no_rate_rather_than_zero() -> None:
    assert Tally().force_rate is None


def test_officers_trained_on_the_day_of_the_incident_do_not_count_as_trained() -> None:
    day = date(2026, 5, 1)
    assert training_group([date(2026, 4, 30), date(2024, 1, 1)], day) is T
    assert training_group([date(2026, 4, 30), day], day) is N
    assert training_group([date(2026, 4, 30), None], day) is N
    assert training_group([], day) is U


def test_federal_quarters_and_years() -> None:
    assert (federal_fiscal_year(date(2025, 10, 1)), federal_quarter(date(2025, 10, 1))) == (2026, 1)
    assert (federal_fiscal_year(date(2026, 9, 30)), federal_quarter(date(2026, 9, 30))) == (2026, 4)
    assert quarter_span(2026, 2) == (date(2026, 1, 1), date(2026, 3, 31))
    assert quarter_span(2026, 4) == (date(2026, 7, 1), date(2026, 9, 30))
    assert [age_group(a) for a in (17, 18, 24, 25, 64, 65)] == [
        "under_18",
        "18_24",
        "18_24",
        "25_34",
        "55_64",
        "65_plus",
    ]
