"""The dashboard's compliance figures: officers by status, counts per requirement, what is due.

The figures are kept in the file (store/summary.py) with the audit log mark they reflect, so
that a statewide roster's dashboard need not evaluate 50,000 officers each time it opens:
- a read for the day they were kept for, with the log where it was, counts them in SQL;
- after changes, only the officers the new entries name are worked out again (a class
  recorded, leave, a certificate, the CIT team, the officer's own row);
- a change to what every officer is measured against (requirements, the agency and its
  settings, courses, topics, or a table this module does not know), another day, a new
  version of the app, of its evaluation or of the shipped rule packs, or nothing kept: the
  whole department is evaluated and kept.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from sqlite_utils import Database

import deesc_desktop
from deesc_desktop.core.compliance import EVALUATION_REVISION, Status, hours_text
from deesc_desktop.core.roster import serving_on
from deesc_desktop.services.common import collector_paused
from deesc_desktop.services.compliance import (
    DepartmentSummary,
    OfficerCompliance,
    RequirementCounts,
    Tally,
    department_compliance,
    department_compliance_each,
    officer_compliance,
)
from deesc_desktop.services.requirements import shipped_rules_digest
from deesc_desktop.services.training_due import due_items, needs_summary
from deesc_desktop.store.audit_scan import entry_images
from deesc_desktop.store.changes import LogMark, entries_between, extends, log_mark
from deesc_desktop.store.officers import all_officer_ids, get_officer
from deesc_desktop.store.summary import (
    KeptOfficer,
    KeptResult,
    KeptState,
    forget_summary,
    keep_all,
    keep_changes,
    kept_counts,
    kept_officers,
    kept_rows,
    kept_state,
)

DUE_DAYS = 90
"""The due list covers what falls due from the day to this many days after it."""

DUE_STATUSES = (Status.DUE_SOON, Status.IN_PROGRESS)
"""Results that are not met yet and have a due date ahead: the due list's."""

OFFICER_TABLES = frozenset({"training_records", "exemptions", "certifications", "cit_team"})
"""Tables whose rows belong to one officer, named by the row's `officer_id`: a change to one
changes that officer's compliance alone. (An `officers` row is the officer itself.)"""

UNRELATED_TABLES = frozenset(
    {
        "attachments",
        "award_changes",
        "bonus_programs",
        "claim_adjustments",
        "claims",
        "classes",
        "followup_assessments",
        "funding_sources",
        "imports",
        "incidents",
        "instructor_certifications",
        "instructors",
        "payment_batches",
        "users",
    }
)
"""Tables compliance never reads (a class counts through the training records it wrote)."""

UNUSED_WHEN_NEW = frozenset({"courses"})
"""Tables whose new rows change no one's compliance by themselves: a new course counts only
through the training records that name it, and those name their officer."""

ONE_BY_ONE_LEAST = 25
ONE_BY_ONE_SHARE = 20
"""Officers changed since the summary was kept are worked out one by one up to the larger of
ONE_BY_ONE_LEAST and a ONE_BY_ONE_SHARE-th of the department; beyond that, the department
at once is quicker (worked out alone, an officer takes about 15 times their share of the bulk
evaluation: 3.6 ms against 0.25 ms at 5,000 officers)."""

ENTRIES_PER_OFFICER = 4
"""When the officers' tables have more entries since the mark than this many for each officer
that may be worked out one by one (an import), the department is evaluated at once without
reading them."""


@dataclass(frozen=True, slots=True)
class DueSoon:
    """One requirement an officer has yet to meet, due within DUE_DAYS."""

    due: date
    officer: str
    requirement: str
    detail: str
    status: Status


@dataclass(frozen=True, slots=True)
class ComplianceOverview:
    """What the dashboard shows of the department's compliance on `as_of`."""

    as_of: date
    counts: DepartmentSummary
    due: list[DueSoon] = field(default_factory=list)
    current: bool = True
    """False for a summary kept earlier that the records have moved on from (another day, or
    entries written since): shown while the current one is worked out."""
    evaluated: frozenset[int] = frozenset()
    """The officers whose compliance was worked out for this answer: none when it was counted
    from the kept summary, the officers changes named, or the whole department."""


def compliance_overview(db: Database, as_of: date | None = None) -> ComplianceOverview:
    """Overall statuses, statuses per requirement, and what falls due in the next 90 days,
    as of `as_of` (default: today, the day the roster's own "on leave" counts from), from
    the kept summary brought up to date, or from one department evaluation."""
    as_of = as_of or date.today()
    # The dashboard and the roster ask at once when a window opens: the second waits for the
    # first to keep the summary, then counts it, rather than evaluate everyone a second time.
    with _KEEPING:
        head = log_mark(db)
        state = kept_state(db)
        if state is not None and state.as_of == as_of and state.app_version == _app_version():
            if state.mark == head:
                overview = _counted(db, state, current=True)
            else:
                overview = _brought_up_to_date(db, state, head)
            if overview is not None:
                return overview
        return _whole_department(db, as_of, head)


_KEEPING = threading.Lock()


def kept_overview(db: Database, as_of: date | None = None) -> ComplianceOverview | None:
    """The kept summary as it is, counted in SQL with nothing evaluated, for a screen to show
    at once: None when nothing is kept; `current` False when it no longer is (then
    `compliance_overview` brings it up to date)."""
    as_of = as_of or date.today()
    state = kept_state(db)
    if state is None:
        return None
    current = (
        state.as_of == as_of and state.app_version == _app_version() and state.mark == log_mark(db)
    )
    return _counted(db, state, current=current)


def standing(
    db: Database, as_of: date, *, today: date | None = None
) -> dict[int, tuple[Status, str]]:
    """Every officer on file by id: their overall status on `as_of` and what they need
    within DUE_DAYS, as the roster's Needs column says it; an officer not serving then is
    not applicable and needs nothing. For today, from the kept summary brought up to date
    (a statewide roster is not evaluated again each time it opens); for another day, or a
    file that cannot keep it, from one evaluation of everyone."""
    today = today or date.today()
    if as_of == today:
        kept = _kept_standing(db, as_of)
        if kept is not None:
            return kept
    people = department_compliance(db, as_of, include_separated=True, today=today)
    return {person.officer.id: (person.worst, _needs(person, as_of)) for person in people}


def _kept_standing(db: Database, as_of: date) -> dict[int, tuple[Status, str]] | None:
    compliance_overview(db, as_of)  # keeps the summary, brought up to date
    head = log_mark(db)
    state = kept_state(db)
    if (
        state is None
        or state.as_of != as_of
        or state.app_version != _app_version()
        or state.mark != head
    ):
        return None  # not kept (a read-only file), or changed again since
    kept = kept_officers(db)
    if kept is None:
        return None
    try:
        serving = {oid: (Status(overall), needs) for oid, (overall, needs) in kept.items()}
    except ValueError:
        return None  # rows this module did not write as they are
    idle = (Status.NOT_APPLICABLE, "")
    return {officer_id: serving.get(officer_id, idle) for officer_id in all_officer_ids(db)}


def _needs(person: OfficerCompliance, as_of: date) -> str:
    return needs_summary(due_items(person.results, person.officer, as_of, DUE_DAYS))


def due_soon(people: Iterable[OfficerCompliance], as_of: date) -> list[DueSoon]:
    """The results not met yet that fall due within DUE_DAYS of `as_of`, soonest first."""
    return _soonest_first([item for person in people for item in _due_of(person, as_of)])


_Due = tuple[int, int, DueSoon]
"""A due-list item with what orders two items of one date and name: officer, position."""


def _due_of(person: OfficerCompliance, as_of: date) -> list[_Due]:
    horizon = as_of + timedelta(days=DUE_DAYS)
    return [
        (
            person.officer.id,
            position,
            DueSoon(
                result.due_date,
                person.officer.display_name,
                result.requirement_title,
                hours_text(result),
                result.status,
            ),
        )
        for position, result in enumerate(person.results)
        if result.status in DUE_STATUSES
        and result.due_date is not None
        and as_of <= result.due_date <= horizon
    ]


def _soonest_first(due: list[_Due]) -> list[DueSoon]:
    due.sort(key=lambda found: (found[2].due, found[2].officer.casefold(), found[0], found[1]))
    return [item for _officer, _position, item in due]


def _app_version() -> str:
    """What kept figures were worked out with: the app's version, its evaluation's revision
    and the shipped rule packs. A change to any of them (an update that corrects a state
    pack keeps the version) works the figures out again."""
    return (
        f"{deesc_desktop.__version__} evaluation {EVALUATION_REVISION} "
        f"rules {shipped_rules_digest()}"
    )


@dataclass(frozen=True, slots=True)
class SummaryCheck:
    """The kept summary of one day compared with the records: what did not match."""

    as_of: date
    officers: int
    """Officers whose kept row differs from their evaluation (or is kept for no one)."""
    counts: bool
    """Whether the kept figures per requirement differ from the kept rows they count."""

    @property
    def ok(self) -> bool:
        return not (self.officers or self.counts)

    def describe(self) -> str:
        parts = []
        if self.officers:
            parts.append(f"the rows of {self.officers} officer(s)")
        if self.counts:
            parts.append("the figures per requirement")
        return (
            f"compliance summary: {' and '.join(parts)} kept for {self.as_of.isoformat()} "
            "(the dashboard's figures and the roster's Needs) do not match the records: "
            "changed outside the app. They were set aside; the app works them out again."
        )


def check_kept_summary(db: Database) -> SummaryCheck | None:
    """The kept summary, brought up to date as a screen would, against one evaluation of the
    records for its day; a mismatch sets it aside. None when nothing is kept to compare.

    The summary is derived and written without audit entries, so `audit verify` cannot see
    an edit of it: `deesc check` compares it here instead."""
    state = kept_state(db)
    if state is None or state.app_version != _app_version():
        return None  # nothing kept, or kept by another version: worked out again anyway
    compliance_overview(db, state.as_of)
    state = kept_state(db)
    if state is None or state.mark != log_mark(db):
        return None  # not brought up to date (a read-only file): no screen counts it as current
    found = kept_rows(db)
    if found is None:
        return None
    kept, counts = found
    with collector_paused():
        fresh = {
            person.officer.id: _in_kept_order(_kept(person, state.as_of))
            for person in department_compliance_each(db, state.as_of, today=state.as_of)
        }
    differing = {officer.officer_id for officer in kept if fresh.get(officer.officer_id) != officer}
    differing.update(fresh.keys() - {officer.officer_id for officer in kept})
    counted = Counter((r.requirement_id, r.status) for officer in kept for r in officer.results)
    check = SummaryCheck(state.as_of, len(differing), counted != counts)
    if not check.ok:
        forget_summary(db)
    return check


def _in_kept_order(officer: KeptOfficer) -> KeptOfficer:
    """An officer's summary row with its results in requirement id order, as read back."""
    return replace(officer, results=tuple(sorted(officer.results, key=lambda r: r.requirement_id)))


def _whole_department(db: Database, as_of: date, head: LogMark) -> ComplianceOverview:
    # The collector stays off until the rows are written too: with it back on, writing a
    # statewide roster's 600,000 kept results set off full passes over every object alive,
    # each holding Python's lock (and so the window) for up to half a second.
    with collector_paused():
        return _evaluated_and_kept(db, as_of, head)


def _evaluated_and_kept(db: Database, as_of: date, head: LogMark) -> ComplianceOverview:
    # One officer at a time, keeping only what the summary keeps: a statewide roster's
    # results and training are never all held at once.
    tally = Tally()
    kept: list[KeptOfficer] = []
    due: list[_Due] = []
    for person in department_compliance_each(db, as_of, today=as_of):
        tally.add(person)
        kept.append(_kept(person, as_of))
        due.extend(_due_of(person, as_of))
    summary = tally.summary()
    state = KeptState(
        as_of,
        head,
        _app_version(),
        tuple((counts.id, counts.title) for counts in summary.requirements),
    )
    # Kept when the file can be written; a read-only file is simply evaluated each time.
    keep_all(db, state, kept)
    return ComplianceOverview(
        as_of,
        summary,
        _soonest_first(due),
        evaluated=frozenset(officer.officer_id for officer in kept),
    )


def _brought_up_to_date(db: Database, state: KeptState, head: LogMark) -> ComplianceOverview | None:
    """The kept summary with the officers changed since its mark worked out again; None
    when the whole department must be (too many changes, or changes that touch everyone)."""
    if not extends(db, state.mark):
        return None  # the file was restored or replaced: its log is not the one kept
    kept = _counted(db, state, current=True)
    if kept is None:
        return None
    most = max(ONE_BY_ONE_LEAST, kept.counts.officers // ONE_BY_ONE_SHARE)
    touched = _officers_named(db, state.mark, head, most)
    if touched is None or len(touched) > most:
        return None
    people: list[OfficerCompliance] = []
    removed: list[int] = []
    for officer_id in sorted(touched):
        officer = get_officer(db, officer_id)
        if officer is None or not serving_on(officer, state.as_of):
            removed.append(officer_id)
        else:
            people.append(officer_compliance(db, officer_id, state.as_of, today=state.as_of))
    titles = dict(state.requirements)
    for person in people:
        for result in person.results:
            titles.setdefault(result.requirement_id, result.requirement_title)
    rows = [_kept(person, state.as_of) for person in people]
    updated = replace(state, mark=head, requirements=tuple(titles.items()))
    if not keep_changes(db, state.mark, updated, rows, removed):
        return None
    overview = _counted(db, updated, current=True)
    return None if overview is None else replace(overview, evaluated=frozenset(touched))


def _officers_named(db: Database, after: LogMark, head: LogMark, most: int) -> set[int] | None:
    """The officers whose compliance the entries after `after` may have changed; None when
    they may have changed everyone's, or name too many to read one by one."""
    named: set[int] = set()
    owned: list[int] = []
    for entry, action, table, row in entries_between(db, after, head):
        if table in UNRELATED_TABLES or (action == "insert" and table in UNUSED_WHEN_NEW):
            continue
        if table == "officers" and row.isdecimal():
            named.add(int(row))
        elif table in OFFICER_TABLES:
            owned.append(entry)
        else:
            return None
    if len(owned) > most * ENTRIES_PER_OFFICER:
        return None
    for before, after_image in entry_images(db, owned).values():
        images = [json.loads(image) for image in (before, after_image) if image is not None]
        officers = {image.get("officer_id") for image in images}
        if not images or not all(isinstance(officer, int) for officer in officers):
            return None
        named.update(officer for officer in officers if isinstance(officer, int))
    return named


def _kept(person: OfficerCompliance, as_of: date) -> KeptOfficer:
    """An officer's evaluation as the summary keeps it: a status per requirement, with the
    due date and hours still to do of what falls due within DUE_DAYS."""
    horizon = as_of + timedelta(days=DUE_DAYS)
    results = []
    for result in person.results:
        due = result.due_date
        if result.status in DUE_STATUSES and due is not None and as_of <= due <= horizon:
            results.append(
                KeptResult(result.requirement_id, result.status.value, due, hours_text(result))
            )
        else:
            results.append(KeptResult(result.requirement_id, result.status.value))
    return KeptOfficer(
        person.officer.id,
        person.officer.display_name,
        person.worst.value,
        tuple(results),
        _needs(person, as_of),
    )


def _counted(db: Database, state: KeptState, *, current: bool) -> ComplianceOverview | None:
    """The overview counted from the kept rows; None when they cannot be read."""
    horizon = state.as_of + timedelta(days=DUE_DAYS)
    counts = kept_counts(db, state.as_of, horizon)
    if counts is None:
        return None
    titles = dict(state.requirements)
    order = {rid: position for position, rid in enumerate(titles)}
    try:
        overall = Counter({Status(s): n for s, n in counts.overall.items()})
        by_requirement: dict[str, Counter[Status]] = {}
        for (requirement_id, status), n in counts.by_requirement.items():
            by_requirement.setdefault(requirement_id, Counter())[Status(status)] = n
        # As due_soon orders the department's: by date, name, officer, then requirement.
        due = sorted(
            counts.due,
            key=lambda d: (d.due, d.officer.casefold(), d.officer_id, order[d.requirement_id]),
        )
        items = [
            DueSoon(d.due, d.officer, titles[d.requirement_id], d.detail, Status(d.status))
            for d in due
        ]
    except (KeyError, ValueError):
        return None  # rows this module did not write as they are: worked out again
    if not set(by_requirement) <= set(titles):
        return None
    requirements = tuple(
        RequirementCounts(rid, title, by_requirement[rid])
        for rid, title in state.requirements
        if rid in by_requirement
    )
    return ComplianceOverview(
        state.as_of,
        DepartmentSummary(counts.officers, overall, requirements),
        items,
        current=current,
    )
