"""How the audit log reads: labels of tables and fields, an entry's changes in words, and the
table models of the log, an officer's history and one entry's changes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from deesc_desktop.core.bonus import CLAIM_STATUSES, FUNDING_KINDS
from deesc_desktop.core.cit import CERTIFYING, REFRESHER
from deesc_desktop.core.course_files import DOCUMENT_KINDS
from deesc_desktop.core.incidents import (
    DEMOGRAPHICS,
    FORCE_TYPES,
    INCIDENT_STATUSES,
    INCIDENT_TYPES,
    TACTICS,
)
from deesc_desktop.core.money import format_money
from deesc_desktop.core.topics import DELIVERIES, OFFICER_STATUSES, TOPICS
from deesc_desktop.gui.forms import local_time
from deesc_desktop.gui.models import RIGHT, Column, Index, RowsModel
from deesc_desktop.services.versions import RestorePlan
from deesc_desktop.store.views import (
    AuditRow,
)

TABLE_LABELS = {
    "officers": "Officer",
    "training_records": "Training record",
    "exemptions": "Leave or exemption",
    "certifications": "Certificate",
    "claims": "Bonus claim",
    "bonus_programs": "Bonus program",
    "funding_sources": "Funding source",
    "payment_batches": "Payment batch",
    "users": "User",
    "agency": "Agency",
    "courses": "Course",
    "requirements": "Requirement",
    "topics": "Topic",
    "imports": "Import",
    "database": "Database",
    "settings": "Setting",
    "cit_team": "CIT team",
    "claim_adjustments": "Claim adjustment",
    "award_changes": "Award change",
    "followup_assessments": "Follow-up assessment",
}


ACTION_LABELS = {"insert": "Added", "update": "Changed", "delete": "Deleted"}


HIDDEN_FIELDS = frozenset({"version", "updated_at", "updated_by"})
"""Bookkeeping columns left out of "what changed" summaries (still shown in the detail)."""


CHANGED_BACKGROUND = "#fff4c2"


def table_label(table: str) -> str:
    return TABLE_LABELS.get(table, table.replace("_", " ").capitalize())


def _load(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"(value)": text}
    return _spread(value) if isinstance(value, dict) else {"(value)": value}


STRUCTURED_FIELDS = frozenset({"definition"})
"""Columns holding a JSON object (a requirement's rule, in the rule-pack shape): shown one
setting per line, so a change of its hours reads "4.0 → 6.0" instead of two long texts."""

PATH_MARK = " › "
"""Between a structured column and the path of one of its settings: "definition › hours"."""


def _spread(row: dict[str, Any]) -> dict[str, Any]:
    """`row` with each structured column's object laid out as one entry per setting."""
    if STRUCTURED_FIELDS.isdisjoint(row):
        return row
    spread: dict[str, Any] = {}
    for name, value in row.items():
        settings = _settings(value) if name in STRUCTURED_FIELDS else None
        if settings is None:
            spread[name] = value
        else:
            spread.update((f"{name}{PATH_MARK}{path}", item) for path, item in settings)
    return spread


def _settings(text: Any) -> list[tuple[str, Any]] | None:
    """The settings of a JSON object's text by path, as rule-pack messages name them
    ("period.months", "sub_minimums[1].hours"); None when the text is not an object."""
    try:
        value = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    found: list[tuple[str, Any]] = []

    def walk(path: str, item: Any) -> None:
        if isinstance(item, dict) and item:
            for key, inner in item.items():
                walk(f"{path}.{key}" if path else key, inner)
        elif isinstance(item, list) and item and all(isinstance(x, dict) for x in item):
            for number, inner in enumerate(item, start=1):
                walk(f"{path}[{number}]", inner)
        else:
            found.append((path, item))

    walk("", value)
    return found


FIELD_LABELS = {
    "id": "Record number",
    "officer_id": "Officer",
    "course_id": "Course",
    "program_id": "Bonus program",
    "funding_source_id": "Funding source",
    "batch_id": "Payment batch",
    "record_id": "Training record",
    "import_id": "Import",
    "ori": "ORI",
    "cit_role": "CIT role",
    "license_date": "License date",
    "state_id": "State ID",
}
"""Column names a reader would not guess; the others read as words ("paid_at": "Paid at")."""

TABLE_FIELD_LABELS = {("requirements", "id"): "Requirement id"}
"""Where one table's column means something else: a requirement's id is a code it is known
by (IL-inservice-30h), not a number."""


def field_label(name: str, table: str = "") -> str:
    """A column name as a label: "amount_cents" -> "Amount", "officer_id" -> "Officer";
    a setting of a structured column keeps its path: "Definition › period.months"."""
    column, mark, path = name.partition(PATH_MARK)
    if mark:
        return f"{field_label(column, table)}{mark}{path}"
    if (table, name) in TABLE_FIELD_LABELS:
        return TABLE_FIELD_LABELS[table, name]
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    words = name.removesuffix("_cents").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


class KnownNames:
    """Row id -> how a reader knows the row, as last read from the open database, so the log
    names officers and courses instead of showing their internal numbers."""

    def __init__(self, describe: Callable[[Any], str]) -> None:
        self.describe = describe
        self.names: dict[int, str] = {}

    def update(self, rows: Iterable[Any]) -> None:
        self.names = {r.id: self.describe(r) for r in rows}

    def set_names(self, names: Mapping[int, str]) -> None:
        self.names = dict(names)

    def name(self, value: Any) -> str | None:
        return self.names.get(value) if isinstance(value, int) else None


OFFICERS = KnownNames(lambda r: f"{r.last_name}, {r.first_name} ({r.badge})")
COURSES = KnownNames(lambda r: r.title)
MONEY = {field: KnownNames(str) for field in ("funding_source_id", "program_id", "batch_id")}
"""The funding source, program and batch a claim or program row points at, by name."""
_NAMED = {"officer_id": OFFICERS, "course_id": COURSES, **MONEY}


def set_money_names(names: Mapping[str, Mapping[int, str]]) -> None:
    """Name funding sources, programs and batches as store.views.money_names read them."""
    for field, known in MONEY.items():
        known.set_names(names.get(field, {}))


_NAMED_ROWS = {"officers": OFFICERS, "courses": COURSES}


_TITLED_ROWS = frozenset({"requirements"})
"""Tables whose rows are known by the title each entry records (a requirement's id is a code)."""


def row_name(entry: AuditRow) -> str | None:
    """The officer or course an entry is about, by name ("Peña, Ana (1001)"), or the
    requirement by its title, when known."""
    if entry.table_name in _TITLED_ROWS:
        title = _load(entry.after or entry.before).get("title")
        return title if isinstance(title, str) and title else None
    known = _NAMED_ROWS.get(entry.table_name)
    if known is None or not entry.row_id.isdecimal():
        return None
    return known.name(int(entry.row_id))


YES_NO_FIELDS = frozenset({"active", "builtin", "deescalation_used", "leave_proration", "one_time"})
"""Columns that store yes or no as 1 or 0."""

CODE_LABELS: dict[str, Mapping[str, str]] = {
    "incident_type": INCIDENT_TYPES,
    "force_type": FORCE_TYPES,
    "tactics": TACTICS,
    "delivery": DELIVERIES,
    "topics": TOPICS,
    "cit_role": {CERTIFYING: "Certifying course", REFRESHER: "Refresher"},
    **{field: labels for field, (_label, labels) in DEMOGRAPHICS.items()},
}
"""Columns that store a code, with the labels the forms offer for it."""

TABLE_CODE_LABELS: dict[tuple[str, str], Mapping[str, str]] = {
    ("officers", "status"): OFFICER_STATUSES,
    ("claims", "status"): CLAIM_STATUSES,
    ("incidents", "status"): INCIDENT_STATUSES,
    ("attachments", "kind"): DOCUMENT_KINDS,
    ("funding_sources", "kind"): FUNDING_KINDS,
}
"""Codes whose labels depend on the table ("status" of an officer, a claim, an incident)."""


def _labelled(value: Any, labels: Mapping[str, str], field: str) -> str | None:
    """A code, a list of codes, or a record's "topic:hours;..." as their labels; None when
    the value is none of these (it is then shown as stored)."""
    if isinstance(value, str) and value.startswith("["):
        try:
            value = json.loads(value)  # a list kept as JSON text (an incident's tactics)
        except ValueError:
            return None
    if isinstance(value, str):
        if field == "topics" and ":" in value:
            parts = [part.partition(":") for part in value.split(";") if part]
            return "; ".join(
                f"{labels.get(code, code)} {hours} h" if hours else labels.get(code, code)
                for code, _mark, hours in parts
            )
        return labels.get(value, value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ", ".join(labels.get(item, item) for item in value) or "—"
    return None


def value_text(value: Any, field: str = "", table: str = "") -> str:
    """A stored value as a reader wants it: times in local time, money in dollars, an
    officer by name, a course by title, a code by the label its form shows."""
    if value is None:
        return "—"
    if (known := _NAMED.get(field)) and (name := known.name(value)):
        return name
    if field in YES_NO_FIELDS and value in (0, 1) and type(value) is int:
        return "yes" if value else "no"
    labels = TABLE_CODE_LABELS.get((table, field)) or CODE_LABELS.get(field)
    if labels is not None and (text := _labelled(value, labels, field)) is not None:
        return text
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ", ".join(value) or "—"  # a rule's course names
    if field.endswith("_cents") and isinstance(value, int):
        return format_money(value)
    if isinstance(value, str):
        if field.endswith("_at") and len(value) == 20 and value[10] == "T" and value[-1] == "Z":
            return local_time(value)
        return value
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of an entry: its value before and after, and whether it changed."""

    field: str
    before: str
    after: str
    changed: bool


def field_changes(entry: AuditRow) -> list[FieldChange]:
    """Every field of the row before and after, in the row's order (after's, then before's),
    the changed ones first: a row has a dozen fields, and a change touches one or two."""
    before, after = _load(entry.before), _load(entry.after)
    names = list(after) + [name for name in before if name not in after]
    if entry.action == "update":
        names.sort(key=lambda name: before.get(name) == after.get(name))
    return [
        FieldChange(
            field_label(name, entry.table_name),
            value_text(before.get(name), name, entry.table_name) if name in before else "",
            value_text(after.get(name), name, entry.table_name) if name in after else "",
            entry.action != "update" or before.get(name) != after.get(name),
        )
        for name in names
    ]


KEY_FIELDS = {
    "training_records": ("course_id", "completed", "hours", "topics", "delivery", "instructor"),
    "officers": ("badge", "last_name", "first_name", "rank", "unit", "shift"),
    "exemptions": ("start", "end", "reason", "requirements"),
    "certifications": ("kind", "earned", "number", "issuer"),
    "courses": ("title", "course_number", "default_hours"),
    "claims": ("officer_id", "status", "eligibility"),
    "requirements": ("title", "origin", "active"),
}
"""The fields that say which row an added or deleted entry was, per table, most telling first."""


BOOKKEEPING_FIELDS = HIDDEN_FIELDS | {"id", "created_at", "created_by", "import_id"}


def row_summary(entry: AuditRow, limit: int = 6) -> str:
    """An added or deleted row in a line: "completed: 2022-01-07; hours: 4.0; ..."."""
    row = _load(entry.after if entry.action == "insert" else entry.before)
    names = KEY_FIELDS.get(entry.table_name) or [n for n in row if n not in BOOKKEEPING_FIELDS]
    parts = [
        f"{field_label(n)}: {value_text(row[n], n, entry.table_name)}"
        for n in names
        if row.get(n) not in (None, "")
    ]
    return "; ".join(parts[:limit])


def change_summary(entry: AuditRow, limit: int = 6) -> str:
    """What changed in a line: "Rank: Officer → Sergeant; Unit: Patrol → Traffic", or for
    a row added or deleted, its key fields."""
    if entry.action != "update":
        return row_summary(entry, limit)
    hidden = {field_label(name) for name in HIDDEN_FIELDS}
    changes = [c for c in field_changes(entry) if c.changed and c.field not in hidden]
    parts = [f"{c.field}: {c.before} → {c.after}" for c in changes[:limit]]
    if len(changes) > limit:
        parts.append(f"and {len(changes) - limit} more")
    return "; ".join(parts)


def what_text(entry: AuditRow) -> str:
    return f"{ACTION_LABELS.get(entry.action, entry.action)} {table_label(entry.table_name)} "


def _change_lines(field: str, now: Any, restored: Any) -> list[str]:
    """One field put back, as "Label: now → restored"; a structured one (a rule) setting by
    setting, only those that differ."""
    current, earlier = {field: now}, {field: restored}
    if field in STRUCTURED_FIELDS:
        current, earlier = _spread(current), _spread(earlier)
    names = list(current) + [name for name in earlier if name not in current]
    return [
        f"{field_label(name)}: {value_text(current.get(name), name)} → "
        f"{value_text(earlier.get(name), name)}"
        for name in names
        if name == field or current.get(name) != earlier.get(name)
    ]


def restore_question(plan: RestorePlan) -> str:
    """The confirmation of a restore: what changes, what stays and why, what it undoes."""
    entry = plan.entry
    lines = [
        f"Put {plan.noun} back as it was before change #{entry.id} ({entry.username}, "
        f"{local_time(entry.at)})?",
        "",
        *(line for c in plan.changes for line in _change_lines(c.field, c.now, c.restored)),
    ]
    if plan.later:
        undone = ", ".join(f"#{e.id} ({e.username}, {local_time(e.at)})" for e in plan.later[:5])
        more = f" and {len(plan.later) - 5} more" if len(plan.later) > 5 else ""
        lines += [
            "",
            f"It was changed again since: {undone}{more}. Those changes are undone "
            "too where they touch the fields above.",
        ]
    if plan.kept:
        lines += ["", "Left as it is now:"]
        lines += [f"{field_label(name, entry.table_name)}: {why}" for name, why in plan.kept]
    lines += [
        "",
        "This is a new change, recorded in the audit log under your name; the log itself is "
        "not edited.",
    ]
    return "\n".join(lines)


class AuditColumn(IntEnum):
    NUMBER = 0
    WHEN = 1
    USER = 2
    ACTION = 3
    TABLE = 4
    ROW = 5
    CHANGES = 6
    REASON = 7


class AuditModel(RowsModel):
    """Audit entries (store.views.AuditRow)."""

    COLUMNS = (
        Column("#", lambda r: str(r.id), lambda r: r.id, RIGHT, width=8),
        Column("When", lambda r: local_time(r.at), lambda r: r.at, width=19),
        Column("User", lambda r: r.username, width=13),
        Column("Action", lambda r: ACTION_LABELS.get(r.action, r.action), width=8),
        Column("Record", lambda r: table_label(r.table_name), width=15),
        Column("Id", lambda r: r.row_id, width=12),
        Column("What changed", change_summary),
        Column("Reason", lambda r: r.reason, width=16),
    )

    def tooltip(self, row: AuditRow, column: int) -> str | None:
        if column == AuditColumn.CHANGES:
            return change_summary(row, limit=100).replace("; ", "\n") or None
        if column == AuditColumn.ROW:
            return row_name(row)
        return None


class HistoryColumn(IntEnum):
    WHEN = 0
    USER = 1
    WHAT = 2
    CHANGES = 3
    REASON = 4


class HistoryModel(RowsModel):
    """One officer's audit entries and those of their records, for the officer's History tab."""

    COLUMNS = (
        Column("When", lambda r: local_time(r.at), lambda r: (r.at, r.id), width=19),
        Column("Who", lambda r: r.username, width=13),
        Column("What", lambda r: f"{what_text(r)}{r.row_id}", width=24),
        # Most entries give no reason: what changed has the room.
        Column("What changed", change_summary, width=54),
        Column("Reason", lambda r: r.reason),
    )

    def tooltip(self, row: AuditRow, column: int) -> str | None:
        if column == HistoryColumn.CHANGES:
            return change_summary(row, limit=100).replace("; ", "\n") or None
        return None


class ChangeColumn(IntEnum):
    FIELD = 0
    BEFORE = 1
    AFTER = 2


class ChangesModel(RowsModel):
    """The fields of one entry side by side; the changed ones highlighted."""

    COLUMNS = (
        Column("Field", lambda c: c.field, width=28),
        Column("Before", lambda c: c.before, width=36),
        Column("After", lambda c: c.after),
    )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole):
            change: FieldChange = self.row(index.row())
            if not change.changed:
                return None
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(CHANGED_BACKGROUND))
            font = QFont()
            font.setBold(True)
            return font
        return super().data(index, role)

    def tooltip(self, row: FieldChange, column: int) -> str | None:
        text = row.before if column == ChangeColumn.BEFORE else row.after
        return text if column != ChangeColumn.FIELD and len(text) > 40 else None
