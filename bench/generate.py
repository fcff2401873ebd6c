"""Seeded synthetic agencies of N officers with years of training history, for the benchmarks."""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.core.hours import parse_hours, to_float
from deesc_desktop.core.topics import TOPICS, format_topic_hours, parse_topic_hours
from deesc_desktop.store.database import open_database
from deesc_desktop.store.migrations import known_names

TODAY = date(2026, 11, 22)
"""The day the synthetic history ends and every figure is measured as of."""

HISTORY_START = date(2014, 1, 1)
"""First day of recorded training: about 13 years of history before TODAY."""

GENERATOR_VERSION = 1
"""Bump when the generated data changes, so cached databases are made again."""

ATTENDANCE_SCALE = 0.95
"""Tunes the history to about 100 training records per officer (5 million for 50,000)."""

ADMIN = Actor("bench.admin", Role.ADMIN)
SERGEANT = Actor("sgt.bench", Role.TRAINING_OFFICER)
CHIEF = Actor("chief.bench", Role.CHIEF)
FINANCE = Actor("fin.bench", Role.FINANCE)
PASSWORD = "benchmark-only-password"
STAMP_BY = SERGEANT.username


@dataclass(frozen=True, slots=True)
class Course:
    """A course the agency runs: per_year sessions slots, attendance = share who attend one."""

    title: str
    number: str
    hours: str
    topics: str
    delivery: str
    per_year: int
    attendance: float


COURSES: tuple[Course, ...] = (
    Course("Annual Firearms Qualification", "FQ-100", "4", "firearms", "scenario", 2, 0.95),
    Course(
        "ICAT De-escalation",
        "ICAT-8",
        "8",
        "de_escalation:4;use_of_force:2;crisis_intervention:2",
        "scenario",
        2,
        0.45,
    ),
    Course("High-Risk Traffic Stops", "HRTS-6", "6", "high_risk_traffic_stops", "scenario", 1, 0.5),
    Course(
        "Use of Force Legal Update",
        "UOF-2",
        "2",
        "use_of_force:1;legal_updates:1",
        "classroom",
        1,
        0.8,
    ),
    Course("Procedural Justice", "PJ-4", "4", "procedural_justice", "classroom", 1, 0.4),
    Course("Implicit Bias Awareness", "IB-2", "2", "implicit_bias", "online", 1, 0.7),
    Course("Officer Wellness and Resilience", "OW-2", "2", "officer_wellness", "online", 1, 0.5),
    Course("Duty to Intervene (ABLE)", "ABLE-4", "4", "duty_to_intervene", "scenario", 1, 0.35),
    Course(
        "Emergency Vehicle Operations",
        "EVO-4",
        "4",
        "emergency_vehicle_operations",
        "scenario",
        1,
        0.35,
    ),
    Course("Defensive Tactics Refresher", "DT-4", "4", "defensive_tactics", "scenario", 1, 0.45),
    Course("First Aid and CPR", "FA-4", "4", "first_aid", "classroom", 1, 0.4),
    Course("Autism Awareness for Patrol", "AA-2", "2", "autism_awareness", "online", 1, 0.3),
    Course("Active Shooter Response", "ASR-8", "8", "active_shooter", "scenario", 1, 0.3),
    Course("Roll-call Legal Update", "LU-1", "1", "legal_updates", "online", 4, 0.6),
    Course("Mental Health First Aid", "MHFA-4", "4", "mental_health", "classroom", 1, 0.3),
    Course("Community Policing Workshop", "CP-4", "4", "community_policing", "classroom", 1, 0.25),
    Course("Cultural Competency", "CC-2", "2", "cultural_competency", "online", 1, 0.35),
    Course(
        "Conflict Management",
        "CM-4",
        "4",
        "conflict_management:2;de_escalation:2",
        "scenario",
        1,
        0.3,
    ),
)

CIT_BASIC = Course(
    "Crisis Intervention Team (CIT) Basic",
    "CIT-40",
    "40",
    "crisis_intervention:24;mental_health:12;de_escalation:4",
    "classroom",
    1,
    0.0,
)
CIT_REFRESHER = Course(
    "CIT Refresher", "CIT-R8", "8", "crisis_intervention:6;de_escalation:2", "classroom", 1, 0.0
)
ALL_COURSES = (*COURSES, CIT_BASIC, CIT_REFRESHER)

_LAST = (
    "Peña Nguyễn Kowalski O'Brien Washington García Johnson Okafor Schmidt Rivera Chen Thompson "
    "Müller Jackson Patel Sullivan Hernández Kim Novak Brooks Martínez Walsh Robinson Dąbrowski "
    "Fitzgerald Lopez Anderson Haddad Bennett Castillo Moore Ivanova Young Díaz Murphy Adeyemi "
    "Larsen Reyes Coleman Foster Smith Williams Brown Jones Miller Davis Wilson Taylor Thomas "
    "Moore White Harris Martin Clark Lewis Walker Hall Allen King Wright Scott Green Baker Adams "
    "Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Torres Parker Collins "
    "Edwards Stewart Flores Morris Nguyen Murphy Rogers Cook Morgan Peterson Cooper Reed Bailey "
    "Bell Gómez Kelly Howard Ward Cox Richardson Wood Watson Zieliński Wójcik Svoboda Horvath"
).split()
_FIRST = (
    "Ana Minh Łukasz Siobhan Marcus José Emily Chidi Katrin Luis Wei Rachel Jörg Tamika Priya "
    "Sean Sofía Daniel Petra Tyrone Elena Brendan Keisha Zofia Connor Gabriel Erik Yasmin Grace "
    "Mateo Derek Olga Kevin Renée Patrick Tunde Ingrid Camila Andre Holly James Mary Robert "
    "Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph "
    "Jessica Thomas Sarah Charles Karen Christopher Lisa Matthew Nancy Anthony Betty Mark Sandra "
    "Donald Ashley Steven Kimberly Paul Donna Andrew Michelle Joshua Dorothy Kenneth Carol"
).split()
_INSTRUCTORS = (
    "Sgt. R. Delgado",
    "Lt. M. Harmon",
    "Ofc. T. Ruiz (FTO)",
    "MTU 9 Mobile Team",
    "Cpl. A. Nowak",
    "Dr. L. Fisher",
    "Sgt. K. Ellis",
)
_UNITS = (
    ("Patrol", 0.64),
    ("Investigations", 0.12),
    ("Traffic", 0.08),
    ("Administration", 0.06),
    ("SWAT", 0.03),
    ("K9", 0.02),
    ("Training", 0.02),
    ("Community Services", 0.03),
)
_SHIFT_UNITS = {"Patrol", "Traffic", "K9"}
_LEAVE_REASONS = (
    "Medical leave (injury)",
    "Military deployment",
    "Parental leave",
    "Administrative leave",
    "Family medical leave",
)


@dataclass(frozen=True, slots=True)
class Size:
    """A named benchmark size."""

    name: str
    officers: int
    audited: bool
    """True: written through the services, audit log and all; False: bulk-loaded rows."""


SIZES: dict[str, Size] = {
    "small": Size("small", 100, audited=True),
    "large": Size("large", 5_000, audited=False),
    "state": Size("state", 50_000, audited=False),
}


def agency_size(officers: int) -> Size:
    """A named size, or an unnamed bulk-loaded one (the PDF figure's 1,000 and 10,000)."""
    for size in SIZES.values():
        if size.officers == officers:
            return size
    return Size(f"n{officers}", officers, audited=False)


# --- the plan: who did what, independent of how it is written ---------------------------------


@dataclass(slots=True)
class PlannedOfficer:
    """One generated officer; `id` is the row id they get (officers are inserted in order)."""

    id: int
    badge: str
    last_name: str
    first_name: str
    rank: str
    unit: str
    shift: str
    hire: date
    license: date
    state_id: str
    email: str
    diligence: float
    separation: date | None = None
    leave: tuple[date, date, str, str] | None = None
    """(start, end, reason, requirement ids) of one leave period, if any."""
    cit_year: int | None = None
    cit_done: date | None = None

    @property
    def status(self) -> str:
        if self.separation is not None:
            return "separated"
        if self.leave is not None and self.leave[0] <= TODAY <= self.leave[1]:
            return "leave"
        return "active"

    def available(self, day: date) -> bool:
        """Employed and not on leave on `day`: only then can they sit a class."""
        if day <= self.hire or (self.separation is not None and day >= self.separation):
            return False
        return self.leave is None or not (self.leave[0] <= day <= self.leave[1])


@dataclass(slots=True)
class Session:
    """One class held on one day, with who attended (officer id, pre-test, post-test)."""

    course: Course
    day: date
    provider: str
    instructor: str
    attendees: list[tuple[int, float | None, float | None]] = field(default_factory=list)


@dataclass(slots=True)
class Certificate:
    """A CIT certificate earned elsewhere (a transfer), entered by hand."""

    officer_id: int
    earned: date
    number: str
    issuer: str


def topic_split(course: Course) -> tuple[tuple[str, int], ...]:
    """The course's topic hours in centihours, checked by the product's own parser."""
    return parse_topic_hours(course.topics, parse_hours(course.hours), set(TOPICS))


def _pick_unit(rng: random.Random) -> str:
    roll = rng.random()
    for unit, share in _UNITS:
        roll -= share
        if roll < 0:
            return unit
    return _UNITS[0][0]


def _day_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def plan_officers(rng: random.Random, count: int) -> list[PlannedOfficer]:
    """The roster: ranks, units, shifts, hire dates over 30 years, separations and leave."""
    people = []
    for index in range(count):
        unit = "Administration" if index == 0 else _pick_unit(rng)
        rank = "Officer"
        roll = rng.random()
        if index == 0:
            rank = "Chief"  # exactly one, so the PDF's signature line names them
        elif unit == "Investigations":
            rank = "Detective" if roll < 0.8 else "Sergeant"
        elif roll < 0.12:
            rank = "Sergeant"
        elif roll < 0.16:
            rank = "Lieutenant"
        elif roll < 0.17:
            rank = "Captain"
        shift = rng.choice(("Days", "Evenings", "Nights")) if unit in _SHIFT_UNITS else "Days"
        # Three quarters were hired before the history starts; the rest join during it.
        if rng.random() < 0.75:
            hire = _day_between(rng, date(1994, 1, 1), HISTORY_START)
        else:
            hire = _day_between(rng, HISTORY_START, TODAY - timedelta(days=30))
        badge = str(1000 + index * 3 + rng.randint(0, 2))
        last, first = rng.choice(_LAST), rng.choice(_FIRST)
        diligence = rng.uniform(0.2, 0.4) if rng.random() < 0.08 else rng.uniform(0.75, 1.0)
        officer = PlannedOfficer(
            id=index + 1,
            badge=badge,
            last_name=last,
            first_name=first,
            rank=rank,
            unit=unit,
            shift=shift,
            hire=hire,
            license=hire - timedelta(days=rng.randint(20, 120)),
            state_id=f"IL-{rng.randint(100000, 999999)}",
            email=f"{first[0].lower()}.{badge}@bench-pd.example",
            diligence=diligence,
        )
        earliest_separation = max(hire + timedelta(days=365), HISTORY_START)
        if index and rng.random() < 0.08 and earliest_separation < TODAY - timedelta(days=30):
            officer.separation = _day_between(rng, earliest_separation, TODAY - timedelta(days=30))
        if rng.random() < 0.05:
            start = _day_between(rng, max(hire, HISTORY_START), TODAY - timedelta(days=10))
            end = start + timedelta(days=rng.randint(30, 400))
            if officer.separation is None or end < officer.separation:
                targeted = "IL-inservice-30h" if rng.random() < 0.1 else ""
                officer.leave = (start, end, rng.choice(_LEAVE_REASONS), targeted)
        first_cit_year = max(hire.year + 1, HISTORY_START.year)
        if unit == "Patrol" and rng.random() < 0.15 and first_cit_year <= TODAY.year:
            officer.cit_year = rng.randint(first_cit_year, TODAY.year)
        people.append(officer)
    return people


def _slot_months(per_year: int, slot: int) -> tuple[int, int]:
    return 1 + 12 * slot // per_year, 12 * (slot + 1) // per_year


def _sessions_for_year(
    rng: random.Random, year: int, per_slot: int
) -> dict[tuple[int, int], list[Session]]:
    """(course index, slot) -> the sessions held that year, all before TODAY."""
    held: dict[tuple[int, int], list[Session]] = {}
    last_day = TODAY - timedelta(days=3)
    for index, course in enumerate(ALL_COURSES):
        slots = course.per_year
        for slot in range(slots):
            first_month, last_month = _slot_months(slots, slot)
            sessions = []
            for _ in range(per_slot):
                day = date(year, rng.randint(first_month, last_month), rng.randint(1, 28))
                if HISTORY_START <= day <= last_day:
                    provider = (
                        "ILETSB Online"
                        if course.delivery == "online"
                        else f"MTU {rng.randint(1, 16)} Regional Academy"
                    )
                    sessions.append(Session(course, day, provider, rng.choice(_INSTRUCTORS)))
            held[(index, slot)] = sessions
    return held


def _scores(rng: random.Random, course: Course) -> tuple[float | None, float | None]:
    if "de_escalation" not in course.topics:
        return (None, None)
    pre = rng.randint(55, 80)
    return (float(pre), float(min(100, pre + rng.randint(5, 25))))


def plan_sessions(
    rng: random.Random, officers: Sequence[PlannedOfficer]
) -> Iterator[list[Session]]:
    """Each year's classes, in date order; an officer attends when available and diligent."""
    # A statewide roster runs many sessions of each class; a small department one or two.
    per_slot = max(1, min(60, len(officers) // 120))
    cit_index = ALL_COURSES.index(CIT_BASIC)
    refresher_index = ALL_COURSES.index(CIT_REFRESHER)
    for year in range(HISTORY_START.year, TODAY.year + 1):
        held = _sessions_for_year(rng, year, per_slot)
        year_start, year_end = date(year, 1, 1), date(year, 12, 31)
        for officer in officers:
            if officer.hire > year_end or (
                officer.separation is not None and officer.separation < year_start
            ):
                continue
            for index, course in enumerate(COURSES):
                chance = course.attendance * officer.diligence * ATTENDANCE_SCALE
                for slot in range(course.per_year):
                    if rng.random() >= chance:
                        continue
                    sessions = held[(index, slot)]
                    if not sessions:
                        continue
                    session = sessions[rng.randrange(len(sessions))]
                    if officer.available(session.day):
                        session.attendees.append((officer.id, *_scores(rng, course)))
            _plan_cit(rng, officer, year, held, cit_index, refresher_index)
        sessions = [s for group in held.values() for s in group if s.attendees]
        sessions.sort(key=lambda s: (s.day, ALL_COURSES.index(s.course)))
        yield sessions


def _plan_cit(
    rng: random.Random,
    officer: PlannedOfficer,
    year: int,
    held: dict[tuple[int, int], list[Session]],
    cit_index: int,
    refresher_index: int,
) -> None:
    if officer.cit_year == year and held[(cit_index, 0)]:
        session = rng.choice(held[(cit_index, 0)])
        if officer.available(session.day):
            session.attendees.append((officer.id, *_scores(rng, CIT_BASIC)))
            officer.cit_done = session.day
    elif (
        officer.cit_done is not None
        and year - officer.cit_done.year in (2, 3)
        and rng.random() < 0.45
        and held[(refresher_index, 0)]
    ):
        session = rng.choice(held[(refresher_index, 0)])
        if officer.available(session.day) and session.day > officer.cit_done:
            session.attendees.append((officer.id, *_scores(rng, CIT_REFRESHER)))
            officer.cit_done = session.day


def plan_certificates(rng: random.Random, officers: Sequence[PlannedOfficer]) -> list[Certificate]:
    """Hand-entered CIT certificates of about 1 % of patrol officers (transfers)."""
    found = []
    for officer in officers:
        if officer.unit != "Patrol" or officer.cit_year is not None or rng.random() >= 0.01:
            continue
        earned = _day_between(rng, max(officer.hire, TODAY - timedelta(days=1000)), TODAY)
        if officer.separation is None and earned < TODAY:
            found.append(
                Certificate(
                    officer.id,
                    earned,
                    f"CIT-{rng.randint(10000, 99999)}",
                    rng.choice(("CIT International", "NAMI Illinois", "Springfield PD")),
                )
            )
    return found


# --- writing ----------------------------------------------------------------------------------


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T16:00:00Z"


def _setup(db: Database, officers: int) -> None:
    """Users and the agency through the services, as a real agency starts."""
    from deesc_desktop.services import users
    from deesc_desktop.services.agency import init_agency
    from deesc_desktop.services.users import add_user, create_first_admin

    create_first_admin(db, ADMIN.username, PASSWORD, "Benchmark Administrator")
    for actor, name in ((SERGEANT, "Sgt. Bench"), (CHIEF, "Chief Bench"), (FINANCE, "Finance")):
        add_user(
            db,
            ADMIN,
            {"username": actor.username, "role": actor.role.value, "full_name": name},
            PASSWORD,
        )
    # The benchmarks time windows and queries, not a person typing a password.
    users.set_login_required(db, ADMIN, False)
    init_agency(
        db,
        ADMIN,
        {
            "name": f"Benchmark Agency ({officers:,} officers)",
            "state": "IL",
            "ori": "IL0990000",
            "fiscal_year_start_month": 7,
            "warning_days": 90,
        },
    )


def _write_audited(
    db: Database,
    officers: list[PlannedOfficer],
    years: Iterator[list[Session]],
    certificates: list[Certificate],
) -> int:
    """Every row through the services: validation, audit log and all (the small size)."""
    from deesc_desktop.services import cit
    from deesc_desktop.services.leave import add_exemption
    from deesc_desktop.services.officers import add_officer, set_officer_status
    from deesc_desktop.services.training import Attendee, record_class

    for officer in officers:
        officer_id = add_officer(
            db,
            ADMIN,
            {
                "badge": officer.badge,
                "last_name": officer.last_name,
                "first_name": officer.first_name,
                "rank": officer.rank,
                "unit": officer.unit,
                "shift": officer.shift,
                "hire_date": officer.hire,
                "license_date": officer.license,
                "state_id": officer.state_id,
                "email": officer.email,
            },
        )
        assert officer_id == officer.id, "officers are numbered in insertion order"
    records = 0
    for sessions in years:
        for session in sessions:
            course = session.course
            record_class(
                db,
                SERGEANT,
                {
                    "course": course.title,
                    "course_number": course.number,
                    "completed": session.day,
                    "hours": course.hours,
                    "topics": course.topics,
                    "delivery": course.delivery,
                    "provider": session.provider,
                    "instructor": session.instructor,
                },
                [Attendee(*attendee) for attendee in session.attendees],
            )
            records += len(session.attendees)
    for officer in officers:
        if officer.leave is not None:
            start, end, reason, targeted = officer.leave
            add_exemption(
                db,
                SERGEANT,
                officer.id,
                {"start": start, "end": end, "reason": reason, "requirements": targeted},
            )
        if officer.status != "active":
            set_officer_status(
                db,
                ADMIN,
                officer.id,
                officer.status,
                separation_date=officer.separation,
                reason="benchmark history",
            )
    for role, course in (("certifying", CIT_BASIC), ("refresher", CIT_REFRESHER)):
        cit.set_course_cit_role(db, SERGEANT, cit.course_id_by_title(db, course.title), role)
    for cert in certificates:
        cit.add_certification(
            db,
            SERGEANT,
            cert.officer_id,
            {"earned": cert.earned, "number": cert.number, "issuer": cert.issuer},
        )
    return records


def _bulk_indexes(db: Database) -> list[tuple[str, str]]:
    """The product's own secondary indexes on the two big tables (name, CREATE statement)."""
    return [
        (name, sql)
        for name, sql in db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            " AND tbl_name IN ('training_records', 'training_topics')"
        )
    ]


def _write_bulk(
    db: Database,
    officers: list[PlannedOfficer],
    years: Iterator[list[Session]],
    certificates: list[Certificate],
) -> int:
    """Rows straight into the migrated schema with executemany: no services, no audit log.

    The schema's CHECK, UNIQUE and foreign-key constraints still check every row.
    """
    conn = db.conn
    created = _stamp(HISTORY_START)
    conn.executemany(
        "INSERT INTO officers (id, badge, last_name, first_name, rank, unit, shift, hire_date,"
        " license_date, state_id, email, status, separation_date, created_at, updated_at,"
        " updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                o.id,
                o.badge,
                o.last_name,
                o.first_name,
                o.rank,
                o.unit,
                o.shift,
                o.hire.isoformat(),
                o.license.isoformat(),
                o.state_id,
                o.email,
                o.status,
                o.separation.isoformat() if o.separation else None,
                created,
                created,
                ADMIN.username,
            )
            for o in officers
        ],
    )
    splits = {course.title: topic_split(course) for course in ALL_COURSES}
    roles = {CIT_BASIC.title: "certifying", CIT_REFRESHER.title: "refresher"}
    course_ids: dict[str, int] = {}
    # Secondary indexes are rebuilt once after the load: far cheaper than 5 million updates.
    indexes = _bulk_indexes(db)
    for name, _sql in indexes:
        conn.execute(f"DROP INDEX [{name}]")
    record_id = 0
    for sessions in years:
        records: list[tuple[Any, ...]] = []
        topics: list[tuple[int, str, float]] = []
        for session in sessions:
            course = session.course
            course_id = course_ids.get(course.title)
            if course_id is None:
                course_id = course_ids[course.title] = len(course_ids) + 1
                conn.execute(
                    "INSERT INTO courses (id, title, course_number, provider, default_hours,"
                    " default_topics, delivery, created_at, cit_role)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        course_id,
                        course.title,
                        course.number,
                        session.provider,
                        to_float(parse_hours(course.hours)),
                        format_topic_hours(splits[course.title]),
                        course.delivery,
                        _stamp(session.day),
                        roles.get(course.title),
                    ),
                )
            hours = to_float(parse_hours(course.hours))
            stamp = _stamp(session.day)
            split = [(topic, to_float(amount)) for topic, amount in splits[course.title]]
            for officer_id, pre, post in session.attendees:
                record_id += 1
                records.append(
                    (
                        record_id,
                        officer_id,
                        course_id,
                        session.day.isoformat(),
                        hours,
                        course.delivery,
                        session.provider,
                        session.instructor,
                        pre,
                        post,
                        stamp,
                        stamp,
                        STAMP_BY,
                    )
                )
                topics.extend((record_id, topic, amount) for topic, amount in split)
        conn.executemany(
            "INSERT INTO training_records (id, officer_id, course_id, completed, hours, delivery,"
            " provider, instructor, pre_test, post_test, created_at, updated_at, updated_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            records,
        )
        conn.executemany(
            "INSERT INTO training_topics (record_id, topic, hours) VALUES (?, ?, ?)", topics
        )
    for _name, sql in indexes:
        conn.execute(sql)
    conn.executemany(
        'INSERT INTO exemptions (officer_id, start, "end", reason, requirements, created_at,'
        " updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                o.id,
                o.leave[0].isoformat(),
                o.leave[1].isoformat(),
                o.leave[2],
                o.leave[3],
                _stamp(o.leave[0]),
                _stamp(o.leave[0]),
                STAMP_BY,
            )
            for o in officers
            if o.leave is not None
        ],
    )
    conn.executemany(
        "INSERT INTO certifications (officer_id, kind, earned, number, issuer, created_at,"
        " updated_at, updated_by) VALUES (?, 'cit', ?, ?, ?, ?, ?, ?)",
        [
            (
                c.officer_id,
                c.earned.isoformat(),
                c.number,
                c.issuer,
                _stamp(c.earned),
                _stamp(c.earned),
                STAMP_BY,
            )
            for c in certificates
        ],
    )
    return record_id


def _add_claims(db: Database, officers: Sequence[PlannedOfficer]) -> int:
    """A COPS-funded bonus program for last year and its claims, through the services.

    Bounded (8 to 200 claims) at every size, so the workflow is cheap even statewide.
    """
    from deesc_desktop.core.bonus import evaluate
    from deesc_desktop.services import bonus, claim_workflow, funding
    from deesc_desktop.store.claims import load_program
    from deesc_desktop.store.courses import topic_labels
    from deesc_desktop.store.officers import get_officer
    from deesc_desktop.store.training import load_records

    year = TODAY.year - 1
    funding.add_funding_source(
        db,
        FINANCE,
        {
            "name": f"COPS CPD de-escalation FY{year % 100:02d}",
            "kind": "cops_deescalation",
            "award_number": f"15JCOPS-{year % 100:02d}-GG-04242-DEES",
            "amount": "1000000",
            "start": date(year - 1, 10, 1),
            "end": date(year + 1, 9, 30),
        },
    )
    program_id = bonus.add_program(
        db,
        CHIEF,
        {
            "name": f"De-escalation completion bonus {year}",
            "topics": "de_escalation",
            "min_hours": 8,
            "passing_score": 70,
            "start": date(year, 1, 1),
            "end": date(year, 12, 31),
            "funding_source": f"COPS CPD de-escalation FY{year % 100:02d}",
        },
    )
    wanted = max(8, min(200, len(officers) // 50))
    program = load_program(db, program_id)
    assert program is not None
    labels = topic_labels(db)
    current = [o.id for o in officers if o.status == "active"]
    eligible: list[int] = []
    for start in range(0, len(current), 500):
        chunk = current[start : start + 500]
        records = load_records(db, chunk)
        for officer_id in chunk:
            officer = get_officer(db, officer_id)
            assert officer is not None
            rule = program.rule
            if evaluate(officer, records.get(officer_id, []), rule, topic_labels=labels).eligible:
                eligible.append(officer_id)
        if len(eligible) >= wanted:
            break

    # Each step dated in December, before the payroll run that pays the claims.
    def at(day: int) -> datetime:
        return datetime(year, 12, day, 15, tzinfo=UTC)

    claim_ids = bonus.create_claims(db, SERGEANT, program_id, eligible[:wanted], now=at(1))
    if len(claim_ids) < 4:
        return len(claim_ids)
    claim_workflow.submit_claims(db, SERGEANT, claim_ids[:-1], now=at(2))
    reason = "Sign-in sheet for the second class missing"
    claim_workflow.deny_claim(db, CHIEF, claim_ids[-2], reason=reason, now=at(5))
    approved = claim_ids[: len(claim_ids) - 3]
    claim_workflow.approve_claims(db, CHIEF, approved, now=at(5))
    paid = approved[: max(1, len(approved) * 2 // 3)]
    batch = funding.create_payment_batch(
        db,
        FINANCE,
        {"reference": f"PAYROLL-{year}-12-19", "pay_date": date(year, 12, 19)},
        paid,
        now=at(10),
    )
    funding.pay_batch(db, FINANCE, batch, now=at(19))
    return len(claim_ids)


@dataclass(frozen=True, slots=True)
class Generated:
    """A generated database and what is in it."""

    path: Path
    officers: int
    records: int
    seconds: float
    cached: bool


def schema_tag() -> str:
    """A short hash of the product's migration names: a new migration invalidates the cache."""
    return hashlib.sha256(",".join(known_names()).encode()).hexdigest()[:8]


def cache_path(folder: Path, size: Size, seed: int) -> Path:
    return folder / (
        f"{size.name}-{size.officers}-seed{seed}-g{GENERATOR_VERSION}-{schema_tag()}.db"
    )


def _check_invariants(db: Database) -> None:
    """What the bulk path must keep that no constraint checks: topic hours add up to hours."""
    bad = db.execute(
        "SELECT count(*) FROM training_records r LEFT JOIN (SELECT record_id, total(hours) AS"
        " split FROM training_topics GROUP BY record_id) t ON t.record_id = r.id"
        " WHERE t.split IS NULL OR abs(t.split - r.hours) > 0.005"
    ).fetchone()[0]
    if bad:
        raise RuntimeError(f"{bad} generated training records have topic hours that do not add up")


def generate(size: Size, seed: int, path: Path) -> tuple[int, int]:
    """Write the agency of `size` into a new database at `path`; returns (officers, records)."""
    rng = random.Random(seed)
    officers = plan_officers(rng, size.officers)
    years = plan_sessions(rng, officers)
    # Its own stream, so both writers see the same certificates whenever they ask for them.
    certificates = plan_certificates(random.Random(seed * 7919 + 1), officers)
    # The schema is the product's: a database made by open_database, migrations and all.
    db = open_database(path)
    try:
        _setup(db, size.officers)
        if size.audited:
            with db.atomic():
                records = _write_audited(db, officers, years, certificates)
        else:
            # A crash leaves a .partial file that is thrown away, so no journal is needed.
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.execute("PRAGMA cache_size = -1000000")
            with db.atomic():
                records = _write_bulk(db, officers, years, certificates)
            db.execute("PRAGMA journal_mode = WAL")
        _add_claims(db, officers)
        _check_invariants(db)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    return len(officers), records


def ensure(folder: Path, size: Size, seed: int, log: Callable[[str], object] = print) -> Generated:
    """The cached database of `size` and `seed`, generated first when it is not there."""
    folder.mkdir(parents=True, exist_ok=True)
    path = cache_path(folder, size, seed)
    if path.exists():
        db = open_database(path, create=False)
        try:
            officers = db.execute("SELECT count(*) FROM officers").fetchone()[0]
            records = db.execute("SELECT max(id) FROM training_records").fetchone()[0] or 0
        finally:
            db.close()
        return Generated(path, officers, records, 0.0, cached=True)
    partial = path.with_name(path.name + ".partial")
    for leftover in folder.glob(partial.name + "*"):
        leftover.unlink()
    log(f"generating {size.name} ({size.officers:,} officers, seed {seed}) into {path}")
    started = time.perf_counter()
    officers, records = generate(size, seed, partial)
    seconds = time.perf_counter() - started
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    # Renamed only once complete, so an interrupted run is never taken for a finished one.
    partial.rename(path)
    log(f"generated {officers:,} officers, {records:,} training records in {seconds:.1f} s")
    return Generated(path, officers, records, seconds, cached=False)
