"""CIT services and queries: courses that certify, certificates by hand, settings, the report."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.core.cit import CitStatus
from deesc_desktop.services.cit import (
    add_certification,
    certifications_by_officer,
    cit_report,
    course_id_by_title,
    edit_certification,
    join_cit_team,
    leave_cit_team,
    revoke_certification,
    set_course_cit_role,
    update_cit_settings,
)
from deesc_desktop.services.errors import ConflictError, NotFoundError, ValidationError
from deesc_desktop.services.followups import add_followup, delete_followup, edit_followup
from deesc_desktop.services.leave import add_exemption
from deesc_desktop.services.officers import add_officer, separate_officer, set_officer_status
from deesc_desktop.services.training import record_class
from deesc_desktop.store.cit import certificates, cit_settings
from deesc_desktop.store.followups import followups
from tests.conftest import logged, table_counts

CIT_BASIC = {
    "course": "CIT Basic",
    "course_number": "CIT-40",
    "completed": "2022-04-14",
    "hours": "40",
    "topics": "crisis_intervention:24;mental_health:12;de_escalation:4",
}
REFRESHER = {
    "course": "CIT Refresher",
    "completed": "2024-10-06",
    "hours": "8",
    "topics": "crisis_intervention",
}


def officer(db: Database, admin: Actor, badge: str, last: str, shift: str, **extra: str) -> int:
    return add_officer(
        db,
        admin,
        {
            "badge": badge,
            "last_name": last,
            "first_name": "X",
            "hire_date": "2015-01-01",
            "unit": "Patrol",
            "shift": shift,
            **extra,
        },
    )


@pytest.fixture
def squad(db: Database, admin: Actor) -> dict[str, int]:
    """Six patrol officers on three shifts, one detective; CIT courses recorded and marked;
    the agency's policy: certificates last 3 years, renewed by a refresher (90 days' grace)."""
    update_cit_settings(db, admin, {"validity_years": 3})
    ids = {
        "okafor": officer(db, admin, "1", "Okafor", "Days"),
        "kim": officer(db, admin, "2", "Kim", "Days"),
        "walsh": officer(db, admin, "3", "Walsh", "Nights"),
        "reyes": officer(db, admin, "4", "Reyes", "Nights"),
        "lopez": officer(db, admin, "5", "Lopez", "Evenings"),
        "chen": officer(db, admin, "6", "Chen", "Evenings"),
        "novak": officer(db, admin, "7", "Novak", "Days", unit="Investigations"),
    }
    record_class(db, admin, CIT_BASIC, [ids["okafor"], ids["walsh"], ids["lopez"], ids["novak"]])
    record_class(db, admin, REFRESHER, [ids["okafor"]])
    set_course_cit_role(db, admin, course_id_by_title(db, "CIT-40"), "certifying")
    set_course_cit_role(db, admin, course_id_by_title(db, "cit refresher"), "refresher")
    return ids


def test_course_completions_certify_and_refreshers_renew(
    db: Database, squad: dict[str, int]
) -> None:
    certs = certifications_by_officer(db)
    (okafor,) = certs[squad["okafor"]]
    (walsh,) = certs[squad["walsh"]]
    assert (okafor.kind, okafor.earned, okafor.expires) == (
        "cit",
        date(2022, 4, 14),
        date(2027, 10, 6),
    )
    assert walsh.expires == date(2025, 4, 14)
    assert squad["kim"] not in certs


def test_report_statuses_and_a_shift_with_no_cit_officer(
    db: Database, admin: Actor, squad: dict[str, int]
) -> None:
    report = cit_report(db, date(2025, 2, 1))
    status = {row.officer.last_name: row.standing.status for row in report.roster}
    assert status == {
        "Lopez": CitStatus.EXPIRING,
        "Novak": CitStatus.EXPIRING,
        "Okafor": CitStatus.CURRENT,
        "Walsh": CitStatus.EXPIRING,
    }
    okafor = next(r for r in report.roster if r.officer.last_name == "Okafor")
    assert okafor.last_refresher == date(2024, 10, 6)
    assert okafor.source == "CIT Basic 2022-04-14"
    cover = report.coverage
    assert (cover.officers, cover.certified, cover.meets_target) == (6, 3, True)

    later = cit_report(db, date(2025, 5, 1)).coverage  # Walsh and Lopez lapsed on 14 April
    assert (later.certified, later.uncovered_shifts) == (1, ("Evenings", "Nights"))
    assert not later.meets_target and later.needed == 1

    set_officer_status(db, admin, squad["okafor"], "leave")
    on_leave = cit_report(db, date(2025, 5, 1), today=date(2025, 5, 1)).coverage
    assert (on_leave.officers, on_leave.certified) == (5, 0)
    assert on_leave.uncovered_shifts == ("Days", "Evenings", "Nights")


def test_coverage_on_an_earlier_day_counts_leave_periods_not_todays_status(
    db: Database, admin: Actor, squad: dict[str, int]
) -> None:
    """The roster's "on leave" is today's; a leave period says who was away on a past day."""
    day = date(2025, 2, 1)
    set_officer_status(db, admin, squad["okafor"], "leave")
    assert cit_report(db, day, today=date(2026, 1, 1)).coverage.certified == 3
    add_exemption(
        db,
        admin,
        squad["okafor"],
        {"start": "2025-01-15", "end": "2025-03-01", "reason": "Surgery"},
    )
    cover = cit_report(db, day, today=date(2026, 1, 1)).coverage
    assert (cover.officers, cover.certified) == (5, 2)
    # An exemption from one requirement only does not take an officer off the street.
    walsh = {"start": "2025-01-01", "end": "2025-12-31", "reason": "Light duty"}
    walsh["requirements"] = "IL-inservice-30h"
    add_exemption(db, admin, squad["walsh"], walsh)
    assert cit_report(db, day, today=date(2026, 1, 1)).coverage.certified == 2


def test_the_roster_on_a_day_before_a_refresher_or_a_hire(
    db: Database, admin: Actor, squad: dict[str, int]
) -> None:
    okafor = certifications_by_officer(db, through=date(2024, 10, 5))[squad["okafor"]]
    assert [p.expires for p in okafor] == [date(2025, 4, 14)]  # the refresher came later
    officer(db, admin, "8", "Late", "Evenings", hire_date="2025-03-01")
    separated = officer(db, admin, "9", "Gone", "Days", hire_date="2010-01-01")
    separate_officer(db, admin, separated, date(2025, 1, 31), reason="Retired")
    before = cit_report(db, date(2025, 1, 31), today=date(2026, 1, 1))
    names = {row.officer.last_name for row in before.roster}
    assert before.coverage.officers == 7 and "Late" not in names
    after = cit_report(db, date(2025, 3, 1), today=date(2026, 1, 1)).coverage
    assert after.officers == 7  # Gone left the day after 31 January; Late arrived


def test_a_short_certifying_course_is_refused_and_nothing_is_written(
    db: Database, admin: Actor, squad: dict[str, int]
) -> None:
    refresher = course_id_by_title(db, "CIT Refresher")
    before = table_counts(db)
    with pytest.raises(ValidationError, match=r"CIT Refresher is 8\.0 h; a CIT certifying course"):
        set_course_cit_role(db, admin, refresher, "certifying")
    with pytest.raises(ValidationError, match='"basic" is not one of certifying, refresher'):
        set_course_cit_role(db, admin, refresher, "basic")
    with pytest.raises(NotFoundError, match="no course with id 999"):
        set_course_cit_role(db, admin, 999, "refresher")
    assert table_counts(db) == before


def test_unmarking_a_course_removes_the_certifications_it_gave(
    db: Database, admin: Actor, squad: dict[str, int]
) -> None:
    assert set_course_cit_role(db, admin, course_id_by_title(db, "CIT-40"), None)
    assert certifications_by_officer(db) == {}
    entry = logged(db, "table_name = 'courses'")[0]
    assert json.loads(entry["before"])["cit_role"] == "certifying"
    assert json.loads(entry["after"])["cit_role"] is None


def test_hand_entered_certificate_lasts_three_years_unless_an_expiry_is_printed(
    db: Database, admin: Actor, squad: dict[str, int]
) -> None:
    kim = squad["kim"]
    cert_id = add_certification(
        db, admin, kim, {"earned": "05/01/2023", "number": "MI-2231", "issuer": "CIT Michigan"}
    )
    (held,) = certifications_by_officer(db)[kim]
    assert (held.id, held.expires, held.number) == (cert_id, date(2026, 5, 1), "MI-2231")
    assert edit_certification(
        db, admin, cert_id, {"expires": "2025-05-01"}, reason="certificate says 2 years"
    )
    (held,) = certifications_by_officer(db)[kim]
    assert held.expires == date(2025, 5, 1)
    report = cit_report(db, date(2025, 5, 1))
    row = next(r for r in report.roster if r.officer.id == kim)
    assert row.source == "Certificate MI-2231 (CIT Michigan) 2023-05-01"


def test_revoked_certificate_no_longer_counts_and_keeps_who_and_why(
    db: Database, admin: Actor, squad: dict[str, int]
) -> None:
    cert_id = add_certification(
        db, admin, squad["kim"], {"earned": "2023-05-01", "issuer": "CIT Michigan"}
    )
    assert revoke_certification(db, admin, cert_id, reason="entered for the wrong officer")
    assert squad["kim"] not in certifications_by_officer(db)
    (row,) = certificates(db, include_revoked=True)
    assert (row.revoked_by, row.revoked_reason) == ("sgt.admin", "entered for the wrong officer")
    assert revoke_certification(db, admin, cert_id, reason="again") is False
    before = table_counts(db)
    with pytest.raises(ConflictError, match=f"Certificate #{cert_id} was revoked"):
        edit_certification(db, admin, cert_id, {"number": "X"}, reason="fix")
    with pytest.raises(ValidationError, match="say why"):
        revoke_certification(db, admin, cert_id, reason=" ")
    assert table_counts(db) == before


def test_certificate_refusals_name_the_field_and_write_nothing(
    db: Database, admin: Actor, squad: dict[str, int]
) -> None:
    add_certification(db, admin, squad["kim"], {"earned": "2023-05-01", "issuer": "CIT MI"})
    before = table_counts(db)
    with pytest.raises(ValidationError) as caught:
        add_certification(
            db,
            admin,
            squad["kim"],
            {"earned": "2999-01-01", "expires": "2998-01-01", "issuer": "", "kind": "C I T"},
        )
    errors = caught.value.field_errors
    assert errors["earned"] == "2999-01-01 is in the future"
    assert errors["expires"] == "2998-01-01 is before the earned date 2999-01-01"
    assert errors["issuer"] == "is required"
    assert "not a certification code" in errors["kind"]
    with pytest.raises(ConflictError, match="already has that CIT certificate"):
        add_certification(db, admin, squad["kim"], {"earned": "2023-05-01", "issuer": "Other"})
    with pytest.raises(NotFoundError, match="no officer with id 999"):
        add_certification(db, admin, 999, {"earned": "2023-05-01", "issuer": "CIT MI"})
    assert table_counts(db) == before


def test_other_certification_kinds_pass_through_for_the_compliance_engine(
    db: Database, admin: Actor, squad: dict[str, int]
) -> None:
    add_certification(
        db, admin, squad["kim"], {"kind": "intermediate", "earned": "2020-01-01", "issuer": "TCOLE"}
    )
    (held,) = certifications_by_officer(db)[squad["kim"]]
    assert (held.kind, held.expires) == ("intermediate", None)  # no validity rule but CIT's


def test_settings_change_the_rules_and_are_audited(
    db: Database, admin: Actor, squad: dict[str, int]
) -> None:
    audit_before = table_counts(db)["audit_log"]
    settings = update_cit_settings(
        db, admin, {"target_percent": "50%", "validity_years": 2, "patrol_unit": "Patrol"}
    )
    assert (settings.target_percent, settings.validity_years) == (50, 2)
    assert table_counts(db)["audit_log"] == audit_before + 2  # patrol_unit was unchanged
    (walsh,) = certifications_by_officer(db)[squad["walsh"]]
    assert walsh.expires == date(2024, 4, 14)
    assert cit_report(db, date(2024, 1, 2)).coverage.meets_target  # 3 of 6 is exactly 50%
    # Two years from 2022-04-14, and the 2024-10-06 refresher came after the 90 days' grace.
    lapsed = cit_report(db, date(2024, 10, 7)).coverage
    assert (lapsed.certified, lapsed.needed) == (0, 3)
    before = table_counts(db)
    with pytest.raises(ValidationError) as caught:
        update_cit_settings(
            db, admin, {"target_percent": 120, "certifying_min_hours": "forty", "colour": "red"}
        )
    assert caught.value.field_errors["target_percent"] == "must be between 0 and 100"
    assert "not a number of hours" in caught.value.field_errors["certifying_min_hours"]
    assert "not a CIT setting" in caught.value.field_errors["colour"]
    assert table_counts(db) == before
    assert cit_settings(db).target_percent == 50


def test_unreadable_stored_settings_fall_back_to_the_defaults(db: Database) -> None:
    db.execute("UPDATE settings SET value = 'lots' WHERE key = 'cit.target_percent'")
    db.execute("INSERT INTO settings (key, value) VALUES ('cit.validity_years', 'three')")
    settings = cit_settings(db)
    assert (settings.target_percent, settings.validity_years) == (25, None)


def test_certificates_do_not_expire_unless_the_agency_sets_a_validity(
    db: Database, admin: Actor
) -> None:
    """The default (and what m005_rules_cit_policy leaves an agency that never chose one):
    no expiry. Setting "none" again after a validity goes back to it, audited."""
    assert cit_settings(db).validity_years is None
    assert update_cit_settings(db, admin, {"validity_years": 4}).validity_years == 4
    assert update_cit_settings(db, admin, {"validity_years": "none"}).validity_years is None
    changes = db.execute(
        "SELECT count(*) FROM audit_log WHERE row_id = 'cit.validity_years'"
    ).fetchone()[0]
    assert changes == 2


def test_followups_link_to_the_officers_own_training(
    db: Database, admin: Actor, squad: dict[str, int]
) -> None:
    record_id = db.execute(
        "SELECT id FROM training_records WHERE officer_id = ? ORDER BY completed", [squad["okafor"]]
    ).fetchone()[0]
    followup_id = add_followup(
        db,
        admin,
        squad["okafor"],
        {
            "assessed_on": "2022-10-01",
            "assessor": "Sgt. Delgado",
            "score": "88",
            "record_id": record_id,
        },
    )
    (row,) = followups(db)
    assert (row.course, row.completed, row.score) == ("CIT Basic", "2022-04-14", 88.0)
    before = table_counts(db)
    with pytest.raises(ValidationError) as caught:
        add_followup(
            db,
            admin,
            squad["kim"],
            {"assessed_on": "2022-10-01", "assessor": "", "score": 101, "record_id": record_id},
        )
    errors = caught.value.field_errors
    assert errors["record_id"] == f"training record #{record_id} is not this officer's"
    assert (errors["assessor"], errors["score"]) == ("is required", "must be between 0 and 100")
    with pytest.raises(ValidationError, match=r"before the class it follows up \(2022-04-14\)"):
        add_followup(
            db,
            admin,
            squad["okafor"],
            {"assessed_on": "2022-01-01", "assessor": "Lt. H", "score": 70, "record_id": record_id},
        )
    assert table_counts(db) == before
    assert edit_followup(db, admin, followup_id, {"score": 90}, reason="typo")
    delete_followup(db, admin, followup_id, reason="duplicate")
    assert followups(db) == []
    reasons = [r for (r,) in db.execute("SELECT reason FROM audit_log ORDER BY id DESC LIMIT 2")]
    assert reasons == ["duplicate", "typo"]


def test_a_class_under_another_title_but_the_cit_course_number_counts(
    db: Database, admin: Actor, squad: dict[str, int]
) -> None:
    """The sergeant types the class as the flyer names it; its number says which course."""
    kim = squad["kim"]
    assert kim not in certifications_by_officer(db)
    other = {**CIT_BASIC, "course": "CIT 40-hour academy (county)", "course_number": "cit-40"}
    other["completed"] = "2024-03-01"
    (record_id,) = record_class(db, admin, other, [kim])
    (held,) = certifications_by_officer(db)[kim]
    assert held.earned == date(2024, 3, 1) and held.id == -record_id


def test_cit_team_membership_is_dated_and_coverage_counts_members(
    db: Database, admin: Actor, squad: dict[str, int]
) -> None:
    """Okafor (Days) and Walsh (Nights) are trained; only Okafor joins the team on
    2023-01-01: from then coverage counts 1, and Walsh's Nights shift has no CIT officer.
    Before any team is recorded every trained officer counted. Leaving on 2024-06-30 ends
    the membership after that day; joining twice is refused."""
    before = cit_report(db, date(2024, 1, 2)).coverage
    assert (before.certified, before.by_team) == (3, False)
    join_cit_team(db, admin, squad["okafor"], "2023-01-01")
    with pytest.raises(ConflictError):
        join_cit_team(db, admin, squad["okafor"], "2023-02-01")
    report = cit_report(db, date(2024, 1, 2))
    assert (report.coverage.certified, report.coverage.by_team) == (1, True)
    assert "Nights" in report.coverage.uncovered_shifts
    members = {row.officer.id: row.team_member for row in report.roster}
    assert members[squad["okafor"]] and not members[squad["walsh"]]
    assert leave_cit_team(db, admin, squad["okafor"], "2024-06-30")
    assert cit_report(db, date(2024, 6, 30)).coverage.certified == 1
    assert cit_report(db, date(2024, 7, 1)).coverage.certified == 0
    actions = [
        row[0] for row in db.execute("SELECT action FROM audit_log WHERE table_name = 'cit_team'")
    ]
    assert actions == ["insert", "update"]


def test_a_day_before_the_first_member_joined_counts_every_trained_officer(
    db: Database, admin: Actor, squad: dict[str, int]
) -> None:
    """A team recorded from 2023-01-01 says nothing of 2022: a report for that year counts
    the trained officers, as it did before the team was recorded."""
    before = cit_report(db, date(2022, 12, 31)).coverage
    join_cit_team(db, admin, squad["okafor"], "2023-01-01")
    after = cit_report(db, date(2022, 12, 31)).coverage
    assert (after.certified, after.by_team) == (before.certified, before.by_team) == (3, False)
    assert cit_report(db, date(2023, 1, 1)).coverage.by_team
