"""The demo agency: a realistic small department to try the app on, generated reproducibly."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.demo_paperwork import add_paperwork
from deesc_desktop.paths import resource
from deesc_desktop.services import bonus, cit, claim_workflow, funding, signers
from deesc_desktop.services.agency import has_agency, init_agency
from deesc_desktop.services.errors import ConflictError
from deesc_desktop.services.leave import add_exemption
from deesc_desktop.services.officers import add_officer, separate_officer, set_officer_status
from deesc_desktop.services.requirements import load_requirements_file
from deesc_desktop.services.training import Attendee, record_class
from deesc_desktop.services.users import add_user, create_first_admin
from deesc_desktop.store.database import writing

DEMO_ACTOR = Actor("demo-admin", Role.ADMIN)
"""Who the demo's records are entered by, as the audit log shows."""

DEMO_PASSWORD = "millbrook"
"""Every demo user's password (the README says so; the demo is not for real records)."""

DEMO_USERS = {
    "sgt.delgado": ("training_officer", "Sgt. Rosa Delgado"),
    "chief.harmon": ("chief", "Deputy Chief Michael Harmon"),
    "fin.ruiz": ("finance", "Teresa Ruiz, Finance"),
}
DEMO_ACTORS = {name: Actor(name, Role(role)) for name, (role, _) in DEMO_USERS.items()}

DEMO_REQUIREMENTS = "millbrook-requirements.toml"
"""The demo agency's own policy requirements, in resources/demo/."""

DEMO_AGENCY = {
    "name": "Millbrook Police Department",
    "state": "IL",
    "ori": "IL0990000",
    "fiscal_year_start_month": 7,
    "warning_days": 90,
}


@dataclass(frozen=True)
class _Course:
    title: str
    number: str
    hours: str
    topics: str
    delivery: str
    per_year: int  # sessions a year
    attendance: float  # share of eligible officers who attend a session year


_COURSES = (
    _Course("Annual Firearms Qualification", "FQ-100", "4", "firearms", "scenario", 2, 0.95),
    _Course(
        "ICAT De-escalation",
        "ICAT-8",
        "8",
        "de_escalation:4;use_of_force:2;crisis_intervention:2",
        "scenario",
        2,
        0.45,
    ),
    _Course(
        "High-Risk Traffic Stops", "HRTS-6", "6", "high_risk_traffic_stops", "scenario", 1, 0.5
    ),
    _Course(
        "Use of Force Legal Update",
        "UOF-2",
        "2",
        "use_of_force:1;legal_updates:1",
        "classroom",
        1,
        0.8,
    ),
    _Course("Procedural Justice", "PJ-4", "4", "procedural_justice", "classroom", 1, 0.65),
    _Course("Implicit Bias Awareness", "IB-2", "2", "implicit_bias", "online", 1, 0.7),
    _Course("Officer Wellness and Resilience", "OW-2", "2", "officer_wellness", "online", 1, 0.85),
    _Course("Duty to Intervene (ABLE)", "ABLE-4", "4", "duty_to_intervene", "scenario", 1, 0.35),
    _Course(
        "Emergency Vehicle Operations",
        "EVO-4",
        "4",
        "emergency_vehicle_operations",
        "scenario",
        1,
        0.35,
    ),
    _Course("Defensive Tactics Refresher", "DT-4", "4", "defensive_tactics", "scenario", 1, 0.45),
    _Course("First Aid and CPR", "FA-4", "4", "first_aid", "classroom", 1, 0.4),
    _Course("Autism Awareness for Patrol", "AA-2", "2", "autism_awareness", "online", 1, 0.3),
    _Course("Active Shooter Response", "ASR-8", "8", "active_shooter", "scenario", 1, 0.3),
    # Illinois's annual and three-year mandated topics (the IL pack checks each one).
    _Course(
        "Mental Health Crisis Response",
        "MHCR-2",
        "2",
        "crisis_intervention:1;mental_health:1",
        "online",
        1,
        0.85,
    ),
    _Course("Emergency Medical Response", "EMR-2", "2", "first_aid", "classroom", 1, 0.8),
    _Course(
        "Firearms Restraining Order Act",
        "FRO-1",
        "1",
        "firearms_restraining_order",
        "online",
        1,
        0.85,
    ),
    _Course(
        "Sexual Assault and Trauma-Informed Response",
        "SATI-2",
        "2",
        "sexual_assault",
        "online",
        1,
        0.65,
    ),
    _Course(
        "Constitutional Policing and Civil Rights",
        "CPCR-4",
        "4",
        "constitutional_law:2;civil_rights:2",
        "classroom",
        1,
        0.65,
    ),
    _Course(
        "Mandated Reporter: Child Abuse", "MRCA-1", "1", "child_abuse_reporting", "online", 1, 0.65
    ),
    _Course("Officer Safety and Survival", "OSS-4", "4", "officer_safety", "scenario", 1, 0.65),
)

CIT_COURSE = _Course(
    "Crisis Intervention Team (CIT) Basic",
    "CIT-40",
    "40",
    "crisis_intervention:24;mental_health:12;de_escalation:4",
    "classroom",
    1,
    0.0,
)
CIT_REFRESHER = _Course(
    "CIT Refresher", "CIT-R8", "8", "crisis_intervention:6;de_escalation:2", "classroom", 1, 0.0
)

_LAST = [
    "Peña",
    "Nguyễn",
    "Kowalski",
    "O'Brien",
    "Washington",
    "García",
    "Johnson",
    "Okafor",
    "Schmidt",
    "Rivera",
    "Chen",
    "Thompson",
    "Müller",
    "Jackson",
    "Patel",
    "Sullivan",
    "Hernández",
    "Kim",
    "Novak",
    "Brooks",
    "Martínez",
    "Walsh",
    "Robinson",
    "Dąbrowski",
    "Fitzgerald",
    "Lopez",
    "Anderson",
    "Haddad",
    "Bennett",
    "Castillo",
    "Moore",
    "Ivanova",
    "Young",
    "Díaz",
    "Murphy",
    "Adeyemi",
    "Larsen",
    "Reyes",
    "Coleman",
    "Foster",
]
_FIRST = [
    "Ana",
    "Minh",
    "Łukasz",
    "Siobhan",
    "Marcus",
    "José",
    "Emily",
    "Chidi",
    "Katrin",
    "Luis",
    "Wei",
    "Rachel",
    "Jörg",
    "Tamika",
    "Priya",
    "Sean",
    "Sofía",
    "Daniel",
    "Petra",
    "Tyrone",
    "Elena",
    "Brendan",
    "Keisha",
    "Zofia",
    "Connor",
    "Gabriel",
    "Erik",
    "Yasmin",
    "Grace",
    "Mateo",
    "Derek",
    "Olga",
    "Kevin",
    "Renée",
    "Patrick",
    "Tunde",
    "Ingrid",
    "Camila",
    "Andre",
    "Holly",
]
_INSTRUCTORS = ["Sgt. R. Delgado", "Lt. M. Harmon", "Ofc. T. Ruiz (FTO)", "ILETSB Mobile Team 9"]


def load_demo(db: Database, *, today: date | None = None, seed: int = 1988) -> str:
    """Fill an empty database with the demo agency; returns a one-line summary.

    History runs about four years back from `today`, so the demo always looks current:
    some officers are on track and many are behind on something (what a sergeant must chase),
    a few are new hires or on leave, one has separated.
    """
    today = today or date.today()
    if has_agency(db):
        raise ConflictError("This database already has an agency; the demo needs an empty one.")
    rng = random.Random(seed)
    # One transaction: a crash half-way leaves an empty file, never a half-made demo.
    with writing(db):
        _add_users(db)
        init_agency(db, DEMO_ACTOR, DEMO_AGENCY)
        officers = _add_officers(db, rng, today)
        records = _add_training(db, rng, today, officers)
        leave = _add_leave_and_separation(db, today, officers)
        policies = load_requirements_file(db, DEMO_ACTOR, resource("demo", DEMO_REQUIREMENTS))
        claims = _add_cit_and_bonus(db, rng, today, officers)
        _add_signers(db)
        sergeant, chief = DEMO_ACTORS["sgt.delgado"], DEMO_ACTORS["chief.harmon"]
        files, incidents = add_paperwork(db, rng, today, sergeant, chief)
    return (
        f"{len(officers)} officers, {records} training records, {leave} leave periods, "
        f"{len(policies)} agency requirements, {claims} bonus claims, "
        f"{files} class files with documents, {incidents} incidents, "
        f"{len(DEMO_USERS) + 1} users (password {DEMO_PASSWORD!r}), "
        f"agency {DEMO_AGENCY['name']} ({DEMO_AGENCY['state']})"
    )


def _add_signers(db: Database) -> None:
    """Who signs the demo's reports: the roster's chief by default, finance on money."""
    name = f"{_FIRST[0]} {_LAST[0]}"  # the first officer _add_officers adds is the chief
    signers.save_signer(db, DEMO_ACTOR, signers.DEFAULT_SLOT, name, "Chief of Police")
    signers.save_signer(db, DEMO_ACTOR, signers.FINANCE_SLOT, "Teresa Ruiz", "Finance Director")


def _add_users(db: Database) -> None:
    create_first_admin(db, DEMO_ACTOR.username, DEMO_PASSWORD, "Demo Administrator")
    for username, (role, full_name) in DEMO_USERS.items():
        add_user(
            db,
            DEMO_ACTOR,
            {"username": username, "role": role, "full_name": full_name},
            DEMO_PASSWORD,
        )


def _add_cit_and_bonus(
    db: Database, rng: random.Random, today: date, officers: list[_DemoOfficer]
) -> int:
    """CIT courses marked, a transferred-in certificate, the CIT team, a COPS grant for the
    training, and a year of bonus claims paid from the city's budget."""
    sergeant, chief, finance = (DEMO_ACTORS[name] for name in DEMO_USERS)
    cit.set_course_cit_role(
        db, sergeant, cit.course_id_by_title(db, CIT_COURSE.title), "certifying"
    )
    cit.set_course_cit_role(
        db, sergeant, cit.course_id_by_title(db, CIT_REFRESHER.title), "refresher"
    )
    transfer = next(o for o in officers if o.unit == "Patrol" and not o.cit and o.diligence > 0.5)
    cit.add_certification(
        db,
        sergeant,
        transfer.id,
        {
            "earned": date(today.year - 1, 2, 20),
            "issuer": "CIT International (Springfield PD)",
            "number": f"CIT-{rng.randint(10000, 99999)}",
        },
    )
    # The CIT team: the 40-hour cohort but one (trained, not selected), and the transfer.
    cit_day = date(today.year - 3, 4, 14)
    cohort = [o for o in officers if o.cit and o.hire < cit_day]
    for member in cohort[1:]:
        cit.join_cit_team(db, sergeant, member.id, cit_day + timedelta(days=17))
    cit.join_cit_team(db, sergeant, transfer.id, date(today.year - 1, 3, 20))
    last_year = today.year - 1
    funding.add_funding_source(
        db,
        finance,
        {
            "name": f"COPS CPD de-escalation FY{last_year % 100:02d}",
            "kind": "cops_deescalation",
            "award_number": f"15JCOPS-{last_year % 100:02d}-GG-0{rng.randint(1000, 9999)}-DEES",
            "amount": "250000",
            "start": date(last_year - 1, 10, 1),
            "end": date(today.year + 1, 9, 30),
        },
    )
    # Bonuses are not an allowable cost of the COPS award (it pays for the training and the
    # overtime), so the demo pays them from the city's budget.
    funding.add_funding_source(
        db,
        finance,
        {
            "name": f"City of Millbrook training incentive line FY{last_year % 100:02d}",
            "kind": "local_budget",
            "amount": "40000",
            "start": date(last_year - 1, 7, 1),
            "end": date(today.year + 1, 6, 30),
        },
    )
    program_id = bonus.add_program(
        db,
        chief,
        {
            "name": f"De-escalation completion bonus {last_year}",
            "topics": "de_escalation",
            "min_hours": 8,
            "passing_score": 70,
            "start": date(last_year, 1, 1),
            "end": date(last_year, 12, 31),
            "funding_source": f"City of Millbrook training incentive line FY{last_year % 100:02d}",
        },
    )

    # Each step is dated in the weeks before `today`, by a different person, as the money rules
    # require: the sergeant drafts and submits, the chief decides, finance pays.
    def at(days_before: int, hour: int) -> datetime:
        return datetime.combine(today - timedelta(days=days_before), time(hour)).astimezone()

    eligible = [row.officer.id for row in bonus.find_eligible(db, program_id) if row.claimable]
    claim_ids = bonus.create_claims(db, sergeant, program_id, eligible[:8], now=at(40, 10))
    drafts = claim_ids[-1:]
    submitted = claim_ids[: len(claim_ids) - len(drafts)]
    claim_workflow.submit_claims(db, sergeant, submitted, now=at(40, 11))
    # One denied, one waiting for the chief, the rest approved: needs three submitted.
    if len(submitted) >= 3:
        claim_workflow.deny_claim(
            db,
            chief,
            submitted[-1],
            reason="Sign-in sheet for the second class missing",
            now=at(35, 9),
        )
        to_approve = submitted[:-2]  # the last-but-one stays submitted, waiting for the chief
        claim_workflow.approve_claims(db, chief, to_approve, now=at(35, 9))
        paid = to_approve[:-1]  # one approved claim waits for the next payroll
        if paid:
            pay_day = today - timedelta(days=21)
            batch = funding.create_payment_batch(
                db,
                finance,
                {"reference": f"PAYROLL-{pay_day.isoformat()}", "pay_date": pay_day},
                paid,
                now=at(30, 14),
            )
            funding.pay_batch(db, finance, batch, now=at(21, 16))
            claim_workflow.add_adjustment(
                db,
                finance,
                paid[0],
                {"amount": "-200", "reason": "Overpaid by $200.00 in error; recovered"},
                now=at(7, 15),
            )
            if len(paid) > 1:
                claim_workflow.add_adjustment(  # an addition: it waits for the chief's approval
                    db,
                    finance,
                    paid[1],
                    {"amount": "150", "reason": "Retroactive rate increase voted by the council"},
                    now=at(2, 15),
                )
    return len(claim_ids)


@dataclass
class _DemoOfficer:
    id: int
    hire: date
    unit: str
    diligence: float  # how reliably they show up to training
    cit: bool


def _add_officers(db: Database, rng: random.Random, today: date) -> list[_DemoOfficer]:
    ranks = ["Chief"] + ["Lieutenant"] * 2 + ["Sergeant"] * 6 + ["Detective"] * 5 + ["Officer"] * 26
    shifts = ["Days", "Evenings", "Nights"]
    people: list[_DemoOfficer] = []
    for index, rank in enumerate(ranks):
        unit = "Investigations" if rank == "Detective" else "Patrol"
        if rank in ("Chief", "Lieutenant"):
            unit = "Administration"
        shift = "Days" if unit != "Patrol" else shifts[index % 3]
        # A few recent hires show new-hire proration; most have years of service.
        if index in (37, 38, 39):
            hire = today - timedelta(days=rng.randint(60, 300))
        else:
            hire = date(today.year - rng.randint(4, 24), rng.randint(1, 12), rng.randint(1, 28))
        license_date = hire - timedelta(days=rng.randint(20, 120))
        badge = f"{1000 + index * 7 + rng.randint(0, 5)}"
        officer_id = add_officer(
            db,
            DEMO_ACTOR,
            {
                "badge": badge,
                "last_name": _LAST[index],
                "first_name": _FIRST[index],
                "rank": rank,
                "unit": unit,
                "shift": shift,
                "hire_date": hire,
                "license_date": license_date,
                "state_id": f"IL-{rng.randint(100000, 999999)}",
                "email": f"{_FIRST[index][0].lower()}.{badge}@millbrook-pd.example",
            },
        )
        # Most are diligent; a handful drift behind, which is what the app must catch.
        diligence = 0.25 if index in (5, 12, 21, 30) else rng.uniform(0.75, 1.0)
        cit = unit == "Patrol" and index % 4 == 1
        people.append(_DemoOfficer(officer_id, hire, unit, diligence, cit))
    return people


def _session_dates(rng: random.Random, year: int, count: int, today: date) -> list[date]:
    dates = []
    for session in range(count):
        month = rng.randint(1, 6) if session == 0 else rng.randint(7, 12)
        day = date(year, month, rng.randint(3, 26))
        if day <= today - timedelta(days=3):
            dates.append(day)
    return dates


def _add_training(
    db: Database, rng: random.Random, today: date, officers: list[_DemoOfficer]
) -> int:
    count = 0
    for year in range(today.year - 4, today.year + 1):
        for course in _COURSES:
            for held in _session_dates(rng, year, course.per_year, today):
                attendees = [
                    Attendee(officer.id, *_scores(rng, course))
                    for officer in officers
                    if officer.hire < held
                    and rng.random() < course.attendance * officer.diligence * 1.15
                ]
                if attendees:
                    count += _record(db, rng, course, held, attendees)
    # The CIT cohort: a 40-hour course three years ago, a refresher for some since.
    cohort = [o for o in officers if o.cit]
    cit_day = date(today.year - 3, 4, 14)
    eligible = [Attendee(o.id, *_scores(rng, CIT_COURSE)) for o in cohort if o.hire < cit_day]
    count += _record(db, rng, CIT_COURSE, cit_day, eligible)
    late = [Attendee(o.id, *_scores(rng, CIT_COURSE)) for o in cohort if o.hire >= cit_day]
    if late:
        count += _record(
            db, rng, CIT_COURSE, min(today - timedelta(days=20), date(today.year, 3, 9)), late
        )
    refresher_day = date(today.year - 1, 10, 6)
    refreshed = [
        Attendee(o.id, *_scores(rng, CIT_REFRESHER)) for o in cohort[::2] if o.hire < cit_day
    ]
    count += _record(db, rng, CIT_REFRESHER, refresher_day, refreshed)
    return count


def _scores(rng: random.Random, course: _Course) -> tuple[float | None, float | None]:
    if "de_escalation" not in course.topics:
        return (None, None)
    pre = rng.randint(55, 80)
    return (float(pre), float(min(100, pre + rng.randint(5, 25))))


def _record(
    db: Database, rng: random.Random, course: _Course, held: date, attendees: list[Attendee]
) -> int:
    if not attendees:
        return 0
    record_class(
        db,
        DEMO_ACTOR,
        {
            "course": course.title,
            "course_number": course.number,
            "completed": held,
            "hours": course.hours,
            "topics": course.topics,
            "delivery": course.delivery,
            "provider": "Millbrook PD Training Unit"
            if course.delivery != "online"
            else "ILETSB Online",
            "instructor": rng.choice(_INSTRUCTORS),
        },
        attendees,
    )
    return len(attendees)


def _add_leave_and_separation(db: Database, today: date, officers: list[_DemoOfficer]) -> int:
    leave = [
        (
            officers[8].id,
            today - timedelta(days=200),
            today - timedelta(days=80),
            "Medical leave (injury)",
        ),
        (
            officers[17].id,
            today - timedelta(days=400),
            today - timedelta(days=160),
            "Military deployment",
        ),
        (officers[26].id, today - timedelta(days=45), today + timedelta(days=60), "Parental leave"),
    ]
    for officer_id, start, end, reason in leave:
        values: dict[str, object] = {"start": start, "end": end, "reason": reason}
        if reason == "Military deployment":
            # The demo agency does not prorate leave (the default): only the deployment, for
            # which the state granted a waiver, lowers the officer's required hours.
            values |= {
                "granted_by": "Illinois Law Enforcement Training and Standards Board",
                "reference": f"ILETSB waiver {start.year}-{officer_id:03d}",
                "granted_on": start + timedelta(days=30),
            }
        add_exemption(db, DEMO_ACTOR, officer_id, values)
    set_officer_status(db, DEMO_ACTOR, officers[26].id, "leave", reason="parental leave")
    separate_officer(db, DEMO_ACTOR, officers[33].id, today - timedelta(days=120), reason="Retired")
    return len(leave)
