"""The de-escalation and use-of-force incident log: entry, review, import, and the LEDTA
figures worked out from it and the training records."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission
from deesc_desktop.core.incidents import (
    DEESCALATION_TOPICS,
    DEMOGRAPHICS,
    FORCE_TYPES,
    INCIDENT_TYPES,
    TACTICS,
    IncidentFacts,
    LedtaFigures,
    TrainingGroup,
    age_group,
    ledta_figures,
    training_group,
)
from deesc_desktop.importers import ImportFileError, RowError, read_table
from deesc_desktop.importers.incidents import IncidentRow as ImportedIncident
from deesc_desktop.importers.incidents import validate_incidents
from deesc_desktop.importers.validate import map_columns
from deesc_desktop.services.common import FieldErrors, clean_reason, collector_paused, stamp
from deesc_desktop.services.errors import (
    ConflictError,
    NotFoundError,
    ValidationError,
    require,
)
from deesc_desktop.services.imports import ImportReport, Progress
from deesc_desktop.store import incidents as store
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.database import writing
from deesc_desktop.store.incidents import IncidentRow
from deesc_desktop.store.officers import badge_ids
from deesc_desktop.store.rows import row_number

_TRUE = {"1", "yes", "y", "true", "on"}
_FALSE = {"0", "no", "n", "false", "off", ""}


def _choice(
    errors: FieldErrors,
    values: Mapping[str, object],
    field: str,
    codes: Mapping[str, str],
    default: str | None,
) -> str:
    text = errors.text(values, field) or (default or "")
    if not text:
        errors[field] = "is required"
    elif text not in codes:
        errors[field] = f'"{text}" is not one of {", ".join(codes)}'
    return text


def _whole(errors: FieldErrors, values: Mapping[str, object], field: str) -> int:
    raw = values.get(field)
    text = "" if raw is None else str(raw).strip()
    if not text:
        return 0
    if not text.isdecimal():
        errors[field] = f'"{text}" is not a whole number of people'
        return 0
    return int(text)


def _flag(errors: FieldErrors, values: Mapping[str, object], field: str) -> bool:
    raw = values.get(field)
    if isinstance(raw, bool):
        return raw
    text = "" if raw is None else str(raw).strip().casefold()
    if text in _TRUE:
        return True
    if text not in _FALSE:
        errors[field] = f'"{raw}" is not yes or no'
    return False


def clean_incident(values: Mapping[str, object], *, today: date | None = None) -> dict[str, Any]:
    """Check an incident form; the facts to store, or ValidationError naming each bad field.

    `tactics` is a list of codes or text "a;b"; `subject_age` (years) may stand for
    `subject_age_group`.
    """
    today = today or date.today()
    errors = FieldErrors()
    reference = errors.text(values, "reference", required=True)
    occurred = errors.date(values, "occurred_on", required=True)
    if occurred is not None and occurred > today:
        errors["occurred_on"] = f"is in the future ({occurred.isoformat()})"
    incident_type = _choice(errors, values, "incident_type", INCIDENT_TYPES, None)
    used = _flag(errors, values, "deescalation_used")
    tactics = [t.strip() for t in _listed(values.get("tactics")) if t.strip()]
    unknown = [t for t in tactics if t not in TACTICS]
    if unknown:
        errors["tactics"] = f'"{unknown[0]}" is not one of {", ".join(TACTICS)}'
    elif tactics and not used:
        errors["tactics"] = "tactics are given but de-escalation was not used"
    force = _choice(errors, values, "force_type", FORCE_TYPES, None)
    facts: dict[str, Any] = {
        "reference": reference,
        "occurred_on": occurred.isoformat() if occurred else None,
        "incident_type": incident_type,
        "deescalation_used": int(used),
        "tactics": json.dumps(list(dict.fromkeys(tactics))),
        "force_type": force,
        "officers_injured": _whole(errors, values, "officers_injured"),
        "public_injured": _whole(errors, values, "public_injured"),
    }
    age = str(values.get("subject_age") or "").strip()
    if age and "subject_age_group" not in values:
        if age.isdecimal() and int(age) <= 120:
            facts["subject_age_group"] = age_group(int(age))
        else:
            errors["subject_age"] = f'"{age}" is not an age in years'
    for field, (_label, codes) in DEMOGRAPHICS.items():
        if field not in facts:
            facts[field] = _choice(errors, values, field, codes, "unknown")
    if errors:
        raise ValidationError(errors)
    return facts


def _listed(raw: object) -> list[str]:
    """A list given as text ("a;b") or as a list."""
    if isinstance(raw, str):
        return raw.replace(",", ";").split(";")
    if isinstance(raw, (list, tuple, set)):
        return [str(item) for item in raw]
    return []


def _officer_ids(db: Database, values: Mapping[str, object]) -> list[int]:
    given = [officer.strip() for officer in _listed(values.get("officers")) if officer.strip()]
    known = set(badge_ids(db).values())
    missing = [text for text in given if row_number(text) not in known]
    if missing:
        raise ValidationError({"officers": f"there is no officer with id {missing[0]}"})
    return [int(text) for text in given]


def add_incident(db: Database, actor: Actor, values: Mapping[str, object]) -> int:
    """Enter an incident with the officers involved (`officers`: ids); returns its number."""
    require(actor, Permission.RECORD_INCIDENTS)
    facts = clean_incident(values)
    officers = _officer_ids(db, values)
    with writing(db):
        _refuse_duplicate(db, facts["reference"])
        audit = AuditWriter(db, actor.username)
        return _insert(audit, facts, officers)


def _refuse_duplicate(db: Database, reference: str, own_id: int | None = None) -> None:
    found = store.incident_id_by_reference(db, reference)
    if found is not None and found != own_id:
        raise ConflictError(
            f'Report number "{reference}" is already in the log (incident {found}).'
        )


def _insert(
    audit: AuditWriter, facts: Mapping[str, Any], officers: Sequence[int], reason: str = ""
) -> int:
    db = audit.db
    incident_id = store.insert_incident(db, {**facts, "created_by": audit.username, **stamp(audit)})
    store.set_incident_officers(db, incident_id, officers)
    audit.record(
        "insert",
        "incidents",
        incident_id,
        after=store.incident_snapshot(db, incident_id),
        reason=reason,
    )
    return incident_id


def edit_incident(
    db: Database,
    actor: Actor,
    incident_id: int,
    values: Mapping[str, object],
    *,
    reason: str,
    expected_version: int | None = None,
) -> bool:
    """Correct an incident; a reviewed one goes back to awaiting review. False when nothing
    changed."""
    require(actor, Permission.RECORD_INCIDENTS)
    reason = clean_reason(reason, "say why the incident is being corrected")
    with writing(db):
        before = store.incident_snapshot(db, incident_id)
        if before is None:
            raise NotFoundError(f"There is no incident number {incident_id}.")
        if expected_version is not None and before["version"] != expected_version:
            raise ConflictError(
                f"This incident was changed by {before['updated_by']} at {before['updated_at']} "
                "after you opened it. Reload it, then make your change again."
            )
        current = {**before, "tactics": json.loads(before["tactics"])}
        facts = clean_incident({**current, **values})
        officers = (
            _officer_ids(db, values)
            if "officers" in values
            else [int(o) for o in before["officers"].split(",") if o]
        )
        _refuse_duplicate(db, facts["reference"], incident_id)
        changed = {k: v for k, v in facts.items() if before.get(k) != v}
        same_people = sorted(set(officers)) == [int(o) for o in before["officers"].split(",") if o]
        if not changed and same_people:
            return False
        audit = AuditWriter(db, actor.username)
        if before["status"] == "reviewed":
            changed.update({"status": "entered", "reviewed_at": None, "reviewed_by": None})
        store.update_incident(
            db, incident_id, {**changed, "updated_at": audit.at, "updated_by": audit.username}
        )
        store.set_incident_officers(db, incident_id, officers)
        audit.record(
            "update",
            "incidents",
            incident_id,
            before=before,
            after=store.incident_snapshot(db, incident_id),
            reason=reason.strip(),
        )
        return True


def review_incident(
    db: Database,
    actor: Actor,
    incident_id: int,
    *,
    notes: str = "",
    expected_version: int | None = None,
) -> None:
    """The chief's review of an entered incident; never by whoever entered or last changed it."""
    require(actor, Permission.REVIEW_INCIDENTS)
    with writing(db):
        before = store.incident_snapshot(db, incident_id)
        if before is None:
            raise NotFoundError(f"There is no incident number {incident_id}.")
        if before["status"] == "reviewed":
            raise ConflictError(
                f"Incident {incident_id} was already reviewed by {before['reviewed_by']}."
            )
        if expected_version is not None and before["version"] != expected_version:
            raise ConflictError("This incident changed since you opened it; reload it first.")
        if actor.username.casefold() in (
            before["created_by"].casefold(),
            before["updated_by"].casefold(),
        ):
            raise ConflictError(
                f"{actor.username} entered or last changed incident {incident_id}, so may not "
                "review it: someone else reviews it."
            )
        audit = AuditWriter(db, actor.username)
        store.update_incident(
            db,
            incident_id,
            {
                "status": "reviewed",
                "reviewed_at": audit.at,
                "reviewed_by": audit.username,
                "review_notes": notes.strip(),
                "updated_at": audit.at,
                "updated_by": audit.username,
            },
        )
        audit.record(
            "update",
            "incidents",
            incident_id,
            before=before,
            after=store.incident_snapshot(db, incident_id),
            reason="reviewed",
        )


def delete_incident(db: Database, actor: Actor, incident_id: int, *, reason: str) -> None:
    """Delete an incident entered in error (not once reviewed); the audit log keeps it."""
    require(actor, Permission.RECORD_INCIDENTS)
    reason = clean_reason(reason, "say why the incident is being deleted")
    with writing(db):
        before = store.incident_snapshot(db, incident_id)
        if before is None:
            raise NotFoundError(f"There is no incident number {incident_id}.")
        if before["status"] == "reviewed":
            raise ConflictError(
                f"Incident {incident_id} was reviewed by {before['reviewed_by']}; correct it "
                "instead of deleting it."
            )
        audit = AuditWriter(db, actor.username)
        store.delete_incident(db, incident_id)
        audit.record("delete", "incidents", incident_id, before=before, reason=reason.strip())


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IncidentEntry:
    """An incident and whether its officers had been trained in de-escalation before it."""

    row: IncidentRow
    group: TrainingGroup

    def facts(self) -> IncidentFacts:
        row = self.row
        return IncidentFacts(
            date.fromisoformat(row.occurred_on),
            row.deescalation_used,
            row.force_type,
            row.officers_injured,
            row.public_injured,
            self.group,
        )


def _entry(row: IncidentRow) -> IncidentEntry:
    day = date.fromisoformat(row.occurred_on)
    return IncidentEntry(row, training_group([o.first_trained for o in row.officers], day))


def list_incidents(
    db: Database, start: date | None = None, end: date | None = None
) -> list[IncidentEntry]:
    """The log between the dates (inclusive; all of it without them), newest first."""
    return [
        _entry(row) for row in store.incident_rows(db, DEESCALATION_TOPICS, start=start, end=end)
    ]


def get_incident(db: Database, incident_id: int) -> IncidentEntry:
    rows = store.incident_rows(db, DEESCALATION_TOPICS, incident_id=incident_id)
    if not rows:
        raise NotFoundError(f"There is no incident number {incident_id}.")
    return _entry(rows[0])


def incident_figures(db: Database, start: date, end: date) -> LedtaFigures:
    """The LEDTA incident figures of a period, by federal quarter and fiscal year."""
    if end < start:
        raise ValidationError({"end": "the period ends before it starts"})
    return ledta_figures((e.facts() for e in list_incidents(db, start, end)), start, end)


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Incidents counted by one category (type, force, a demographic), in code order."""

    title: str
    counts: list[tuple[str, int]]
    """(label, incidents) of every category with at least one incident."""


def incident_breakdowns(entries: Sequence[IncidentEntry]) -> list[Breakdown]:
    """Counts by incident type, force and each demographic: what DOJ asks, no identities."""
    tables = [
        ("Incident type", "incident_type", INCIDENT_TYPES),
        ("Force used", "force_type", FORCE_TYPES),
        *((label, field, codes) for field, (label, codes) in DEMOGRAPHICS.items()),
    ]
    breakdowns = []
    for title, field, codes in tables:
        counted = {code: 0 for code in codes}
        for entry in entries:
            counted[getattr(entry.row, field)] += 1
        breakdowns.append(Breakdown(title, [(codes[code], n) for code, n in counted.items() if n]))
    tactics = {code: 0 for code in TACTICS}
    for entry in entries:
        for code in entry.row.tactics:
            tactics[code] += 1
    breakdowns.insert(
        2,
        Breakdown("De-escalation tactics used", [(TACTICS[c], n) for c, n in tactics.items() if n]),
    )
    return breakdowns


# --- import ----------------------------------------------------------------------------------


def import_incidents(
    db: Database,
    actor: Actor,
    path: Path,
    *,
    dry_run: bool = False,
    mapping: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import an incident file all or nothing: every bad row reported with its row and
    column and nothing written; a report number already in the log with the same facts is
    counted unchanged, with other facts refused (correct it in the app)."""
    require(actor, Permission.IMPORT)
    require(actor, Permission.RECORD_INCIDENTS)
    path = Path(path)
    report = ImportReport("incidents", path.name, dry_run)
    try:
        table = read_table(path)
    except ImportFileError as exc:
        report.errors.append(str(exc))
        report.problems.append(RowError(exc.file_name, None, None, exc.reason))
        return report
    report.rows_in_file = len(table.rows)
    with collector_paused():
        officers = badge_ids(db)
        result = validate_incidents(table, officers, mapping)
        columns = map_columns(table, "incidents", mapping)
        report.warnings = list(result.warnings)
        problems = list(result.errors)
        writes: list[tuple[ImportedIncident, dict[str, Any], list[int]]] = []
        for row in result.rows:
            facts = _facts_of(row)
            people = [officers[badge] for badge in row.officer_badges]
            found = store.incident_id_by_reference(db, row.reference)
            if found is not None:
                same = store.incident_snapshot(db, found)
                assert same is not None
                if {k: same[k] for k in facts} != facts or same["officers"] != ",".join(
                    str(o) for o in sorted(set(people))
                ):
                    problems.append(
                        RowError(
                            path.name,
                            row.row_number,
                            columns.columns.get("reference", "reference"),
                            f'report number "{row.reference}" is already in the log '
                            f"(incident {found}) with other details; correct it in the app",
                        )
                    )
                    continue
                report.unchanged += 1
                continue
            writes.append((row, facts, people))
        if problems:
            report.problems = sorted(problems, key=lambda p: p.row or 0)
            report.errors = [str(problem) for problem in report.problems]
            return report
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        reason = f"import {path.name} (sha256 {digest[:12]})"
        try:
            with writing(db):
                audit = AuditWriter(db, actor.username)
                for done, (_row, facts, people) in enumerate(writes, start=1):
                    _insert(audit, facts, people, reason)
                    report.added += 1
                    tell = progress and (done % 200 == 0 or done == len(writes))
                    if tell and progress and not progress(done, len(writes)):
                        report.cancelled = True
                        raise _Rollback
                if dry_run:
                    raise _Rollback
        except _Rollback:
            pass
    return report


class _Rollback(Exception):
    """Ends a dry run or a cancelled import by rolling its transaction back."""


def _facts_of(row: ImportedIncident) -> dict[str, Any]:
    return {
        "reference": row.reference,
        "occurred_on": row.occurred_on.isoformat(),
        "incident_type": row.incident_type,
        "deescalation_used": int(row.deescalation_used),
        "tactics": json.dumps(list(row.tactics)),
        "force_type": row.force_type,
        "officers_injured": row.officers_injured,
        "public_injured": row.public_injured,
        "subject_age_group": row.subject_age_group,
        "subject_sex": row.subject_sex,
        "subject_race": row.subject_race,
        "subject_ethnicity": row.subject_ethnicity,
        "subject_impairment": row.subject_impairment,
    }
