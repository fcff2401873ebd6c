"""De-escalation bonus: programs, who qualifies for them, and drafting their claims."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from difflib import get_close_matches
from typing import Any

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission
from deesc_desktop.core.bonus import Eligibility, Program, bonus_funding_warning, evaluate
from deesc_desktop.core.hours import HoursError, parse_hours, to_float
from deesc_desktop.core.models import Officer, TrainingRecord
from deesc_desktop.core.money import Cents, MoneyError, parse_money
from deesc_desktop.services.common import (
    FieldErrors,
    audit_writer,
    fetch_for_update,
    stamp,
    update_checked,
)
from deesc_desktop.services.errors import ConflictError, NotFoundError, ValidationError, require
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.claims import (
    BONUS_DEFAULT_AMOUNT_KEY,
    ClaimedRecord,
    ClaimRow,
    claim_count,
    claimed_records,
    default_bonus_amount,
    insert_claim,
    list_claims,
    load_program,
    open_claims,
    programs,
)
from deesc_desktop.store.courses import course_names, topic_codes, topic_labels
from deesc_desktop.store.database import writing
from deesc_desktop.store.funding import funding_summaries
from deesc_desktop.store.officers import load_officers
from deesc_desktop.store.rows import id_by_name, insert_row, name_taken
from deesc_desktop.store.settings import put_setting
from deesc_desktop.store.training import load_records

PROGRAM_FIELDS = (
    "name",
    "amount",
    "one_time",
    "topics",
    "courses",
    "min_hours",
    "passing_score",
    "start",
    "end",
    "funding_source",
    "notes",
)
"""Fields of the program form. `amount` is money text or an int of dollars ("amount_cents"
takes exact cents); `topics` and `courses` are lists, or text split on ";" (topics also ",");
`funding_source` is a source's id or name."""


# --- programs -------------------------------------------------------------------------------


def _items(value: object, separators: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        text = value
        for sep in separators[1:]:
            text = text.replace(sep, separators[0])
        parts: Iterable[object] = text.split(separators[0])
    elif isinstance(value, Iterable):
        parts = value
    else:
        parts = [value]
    seen: dict[str, str] = {}
    for part in parts:
        item = str(part).strip()
        if item:
            seen.setdefault(item.casefold(), item)
    return list(seen.values())


def _flag(value: object, default: bool) -> bool | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "y", "on"):
        return True
    if text in ("0", "false", "no", "n", "off"):
        return False
    return None


def _amount(db: Database, values: Mapping[str, object], errors: FieldErrors) -> Cents:
    if "amount_cents" in values and values.get("amount") in (None, ""):
        raw = values["amount_cents"]
        if not isinstance(raw, int) or isinstance(raw, bool):
            errors["amount"] = "must be a whole number of cents"
            return 0
        amount = raw
    elif values.get("amount") in (None, ""):
        return default_bonus_amount(db)
    else:
        try:
            amount = parse_money(values["amount"])
        except MoneyError as exc:
            errors["amount"] = str(exc)
            return 0
    if amount <= 0:
        errors["amount"] = "must be more than $0.00"
    return amount


def _course_names(db: Database) -> dict[str, str]:
    names: dict[str, str] = {}
    for title, number in course_names(db):
        names[title.casefold()] = title
        if number.strip():
            names[number.strip().casefold()] = number.strip()
    return names


def clean_program(db: Database, values: Mapping[str, object]) -> dict[str, Any]:
    """Check a program form; returns column values (amount in cents, lists as JSON)."""
    errors = FieldErrors()
    name = errors.text(values, "name", required=True)
    amount = _amount(db, values, errors)
    one_time = _flag(values.get("one_time"), True)
    if one_time is None:
        errors["one_time"] = f'"{values.get("one_time")}" is not yes or no'
    known_topics = topic_codes(db)
    topics = [t.lower() for t in _items(values.get("topics"), ",;")]
    for topic in topics:
        if topic not in known_topics:
            close = get_close_matches(topic, list(known_topics), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            errors["topics"] = f'unknown topic "{topic}"{hint}'
    courses = _items(values.get("courses"), ";\n")
    known_courses = _course_names(db)
    for course in courses:
        if course.casefold() not in known_courses:
            close = get_close_matches(course.casefold(), list(known_courses), n=1)
            hint = f' (did you mean "{known_courses[close[0]]}"?)' if close else ""
            errors["courses"] = f'no course is titled or numbered "{course}"{hint}'
    if not topics and not courses and "topics" not in errors and "courses" not in errors:
        errors["topics"] = "name the topics or the courses whose training qualifies"
    min_hours = 0
    try:
        min_hours = parse_hours(values.get("min_hours"))
        if min_hours == 0:
            errors["min_hours"] = "must be more than 0"
    except HoursError as exc:
        errors["min_hours"] = str(exc)
    passing: float | None = None
    raw_score = values.get("passing_score")
    if raw_score is not None and str(raw_score).strip():
        try:
            passing = float(str(raw_score).strip())
            if not 0 <= passing <= 100:
                errors["passing_score"] = "must be between 0 and 100"
        except ValueError:
            errors["passing_score"] = f'"{raw_score}" is not a score'
    start = errors.date(values, "start", required=True)
    end = errors.date(values, "end", required=True)
    if start and end and end < start:
        errors["end"] = f"{end.isoformat()} is before the start {start.isoformat()}"
    source = values.get("funding_source", values.get("funding_source_id"))
    source_id: int | None = None
    if source is None or not str(source).strip():
        errors["funding_source"] = "is required: choose the grant or budget that pays"
    else:
        source_id = id_by_name(db, "funding_sources", str(source))
        if source_id is None:
            errors["funding_source"] = f'there is no funding source "{source}"'
    notes = errors.text(values, "notes")
    if errors:
        raise ValidationError(errors)
    assert start and end
    return {
        "name": name,
        "amount_cents": amount,
        "one_time": int(bool(one_time)),
        "topics": json.dumps(sorted(topics)),
        "courses": json.dumps(courses, ensure_ascii=False),
        "min_hours": to_float(min_hours),
        "passing_score": passing,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "funding_source_id": source_id,
        "notes": notes,
    }


def _check_program_name_free(db: Database, name: str, program_id: int = 0) -> None:
    if name_taken(db, "bonus_programs", name, other_than=program_id):
        raise ValidationError({"name": f'there is already a program named "{name}"'})


def program_funding_warnings(db: Database) -> dict[int, str]:
    """Program id -> the warning for each program paid from a federal grant (COPS, LEDTA,
    Byrne JAG), whose allowable costs do not include bonuses."""
    kinds = {source.name: source.kind for source in funding_summaries(db)}
    found: dict[int, str] = {}
    for row in programs(db):
        warning = bonus_funding_warning(kinds.get(row.funding_source, ""), row.funding_source)
        if warning:
            found[row.program.id] = warning
    return found


def add_program(db: Database, actor: Actor, values: Mapping[str, object]) -> int:
    """Set up a bonus program: amount (the agency default when not given), rule, funding."""
    require(actor, Permission.MANAGE_PROGRAMS)
    with writing(db):
        cleaned = clean_program(db, values)
        _check_program_name_free(db, cleaned["name"])
        audit = AuditWriter(db, actor.username)
        return insert_row(audit, "bonus_programs", {**cleaned, **stamp(audit)})


def edit_program(
    db: Database,
    actor: Actor,
    program_id: int,
    values: Mapping[str, object],
    *,
    expected_version: int | None = None,
) -> bool:
    """Change a program. Claims already made keep their amount and evidence; whether the
    program is one-time cannot change once it has claims."""
    require(actor, Permission.MANAGE_PROGRAMS)
    with writing(db):
        current = fetch_for_update(db, "bonus_programs", program_id, "program", expected_version)
        merged: dict[str, object] = {
            "name": current["name"],
            "amount_cents": current["amount_cents"],
            "one_time": current["one_time"],
            "topics": json.loads(current["topics"]),
            "courses": json.loads(current["courses"]),
            "min_hours": current["min_hours"],
            "passing_score": current["passing_score"],
            "start": current["start"],
            "end": current["end"],
            "funding_source": str(current["funding_source_id"]),
            "notes": current["notes"],
        }
        merged.update(values)
        cleaned = clean_program(db, merged)
        _check_program_name_free(db, cleaned["name"], program_id)
        claims = claim_count(db, program_id)
        if claims and cleaned["one_time"] != current["one_time"]:
            raise ValidationError(
                {"one_time": f"cannot change: the program already has {claims} claim(s)"}
            )
        audit = AuditWriter(db, actor.username)
        return update_checked(audit, "bonus_programs", program_id, cleaned, noun="program")


def set_default_amount(db: Database, actor: Actor, amount: object) -> Cents:
    """Change the amount new programs start from (the agency's default bonus)."""
    require(actor, Permission.MANAGE_PROGRAMS)
    try:
        cents = parse_money(amount)
    except MoneyError as exc:
        raise ValidationError({"amount": str(exc)}) from None
    if cents <= 0:
        raise ValidationError({"amount": "must be more than $0.00"})
    with writing(db):
        put_setting(AuditWriter(db, actor.username), BONUS_DEFAULT_AMOUNT_KEY, str(cents))
    return cents


def _program(db: Database, program_id: int) -> Program:
    program = load_program(db, program_id)
    if program is None:
        raise NotFoundError(f"There is no bonus program with id {program_id}.")
    return program


# --- eligibility ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EligibilityRow:
    """One officer checked against a program, with the claim they already have, if any."""

    officer: Officer
    eligibility: Eligibility
    existing_claim: tuple[int, str] | None = None
    """(claim id, status) of an open or paid claim in a one-time program."""
    denied: tuple[ClaimRow, ...] = ()
    """The officer's claims denied before, in any program, oldest first: a denial does not
    stop a new claim, but whoever drafts one should know why the last was turned down."""

    @property
    def claimable(self) -> bool:
        return self.eligibility.eligible and self.existing_claim is None

    @property
    def explanation(self) -> str:
        """Why, in one line: what is lacking, the existing claim, or the reasons."""
        if self.existing_claim:
            claim_id, status = self.existing_claim
            return f"already has claim #{claim_id} ({status})"
        if self.eligibility.lacking:
            return "; ".join(self.eligibility.lacking)
        return "; ".join(self.eligibility.reasons)


def _check_officers(
    db: Database,
    program: Program,
    officers: Sequence[Officer],
    records: Mapping[int, Sequence[TrainingRecord]],
) -> list[EligibilityRow]:
    labels = topic_labels(db)
    used = {} if program.one_time else claimed_records(db, program.id)
    existing = open_claims(db, program.id) if program.one_time else {}
    rows = []
    for officer in officers:
        # In a repeatable program, training already claimed cannot earn a second payment.
        taken = used.get(officer.id, set())
        own = [r for r in records.get(officer.id, ()) if r.id not in taken]
        rows.append(
            EligibilityRow(
                officer,
                evaluate(officer, own, program.rule, topic_labels=labels),
                existing.get(officer.id),
            )
        )
    return rows


def find_eligible(db: Database, program_id: int) -> list[EligibilityRow]:
    """Every officer on the roster checked against the program, by name: who qualifies and
    why, for the others what they lack, and each one's claims denied before."""
    program = _program(db, program_id)
    officers = load_officers(db)
    denied: dict[int, list[ClaimRow]] = defaultdict(list)
    for claim in list_claims(db, status="denied"):
        denied[claim.officer_id].append(claim)
    return [
        replace(row, denied=tuple(denied.get(row.officer.id, ())))
        for row in _check_officers(db, program, officers, load_records(db))
    ]


# --- claims ---------------------------------------------------------------------------------


def create_claims(
    db: Database,
    actor: Actor,
    program_id: int,
    officer_ids: Sequence[int],
    *,
    now: datetime | None = None,
) -> list[int]:
    """Draft a claim for each officer: all of them or, on any refusal, none.

    Each claim freezes the program's amount and funding source and keeps the training
    records that qualify, as they read today.
    """
    require(actor, Permission.SUBMIT_CLAIMS)
    ids = list(officer_ids)
    if not ids:
        raise ValidationError({"officers": "choose at least one officer"})
    if len(set(ids)) != len(ids):
        raise ValidationError({"officers": "an officer is listed twice"})
    with writing(db):
        program = _program(db, program_id)
        roster = {o.id: o for o in load_officers(db)}
        missing = [i for i in ids if i not in roster]
        if missing:
            raise NotFoundError(f"There is no officer with id {missing[0]}.")
        records = load_records(db, ids)
        checked = _check_officers(db, program, [roster[i] for i in ids], records)
        for row in checked:
            name = row.officer.display_name
            if row.existing_claim:
                claim_id, status = row.existing_claim
                raise ConflictError(
                    f"{name} already has claim #{claim_id} ({status}) in this program."
                )
            if not row.eligibility.eligible:
                message = (
                    f"{name} does not qualify for {program.name}: "
                    f"{'; '.join(row.eligibility.lacking)}."
                )
                raise ValidationError({"officer": message}, summary=message)
        audit = audit_writer(db, actor.username, now)
        created = []
        for row in checked:
            by_id = {r.id: r for r in records.get(row.officer.id, ())}
            evidence = [
                ClaimedRecord(
                    record_id,
                    by_id[record_id].course_title,
                    by_id[record_id].completed.isoformat(),
                    to_float(by_id[record_id].hours),
                    to_float(program.rule.counted_hours(by_id[record_id])),
                    by_id[record_id].post_test,
                )
                for record_id in row.eligibility.record_ids
            ]
            created.append(insert_claim(audit, _claim_values(audit, program, row), evidence))
        return created


def _claim_values(audit: AuditWriter, program: Program, row: EligibilityRow) -> dict[str, Any]:
    """A new draft claim: the program's amount and funding frozen, and why it qualifies."""
    return {
        "program_id": program.id,
        "officer_id": row.officer.id,
        "one_time": int(program.one_time),
        "amount_cents": program.amount,
        "funding_source_id": program.funding_source_id,
        "status": "draft",
        "qualifying_hours": to_float(row.eligibility.hours),
        "eligibility": "; ".join(row.eligibility.reasons),
        "created_by": audit.username,
        **stamp(audit),
    }


def create_claim(
    db: Database, actor: Actor, program_id: int, officer_id: int, *, now: datetime | None = None
) -> int:
    """Draft one officer's claim (see create_claims)."""
    return create_claims(db, actor, program_id, [officer_id], now=now)[0]
