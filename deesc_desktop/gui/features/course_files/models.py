"""Table models of the class files: classes, their checklist, documents and people."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtGui import QColor

from deesc_desktop.core.course_files import DOCUMENT_KINDS
from deesc_desktop.gui import style
from deesc_desktop.gui.documents import short_kind
from deesc_desktop.gui.models import RIGHT, Column, RowsModel, natural_key
from deesc_desktop.services.course_files import ClassFile
from deesc_desktop.store.classes import Attendee


def missing_text(missing: tuple[str, ...]) -> str:
    """'Lesson plan · Instructor biography', or 'Complete'."""
    if not missing:
        return "Complete"
    return " · ".join(short_kind(kind) for kind in missing)


class ClassFileColumn:
    DATE, COURSE, ATTENDED, DOCUMENTS, MISSING, INSTRUCTOR = range(6)


def _attended(row: ClassFile) -> str:
    if row.row.expected:
        return f"{row.row.attendees} of {row.row.expected}"
    return str(row.row.attendees)


class ClassFileModel(RowsModel):
    """Classes held or scheduled, with what each file still lacks."""

    COLUMNS = (
        Column("Date", lambda r: r.row.held_on, width=11),
        Column("Course", lambda r: r.row.course, width=30),
        Column(
            "Attended",
            _attended,
            key=lambda r: r.row.attendees,
            align=RIGHT,
            tip="Officers recorded as attending (of those expected, for a scheduled class)",
            width=9,
        ),
        Column(
            "Documents",
            lambda r: str(r.documents),
            key=lambda r: r.documents,
            align=RIGHT,
            width=10,
        ),
        Column(
            "Still missing",
            lambda r: missing_text(r.missing),
            key=lambda r: (len(r.missing), missing_text(r.missing)),
            width=40,
        ),
        Column("Instructor", lambda r: f"⚠ {r.row.instructor}" if r.lapsed else r.row.instructor),
    )

    def foreground(self, row: ClassFile, column: int) -> QColor | None:
        if column == ClassFileColumn.MISSING:
            return QColor(style.Colour.OK if row.complete else style.Colour.WARNING)
        if column == ClassFileColumn.INSTRUCTOR and row.lapsed:
            return QColor(style.Colour.ERROR)
        return None

    def tooltip(self, row: ClassFile, column: int) -> str | None:
        if column == ClassFileColumn.INSTRUCTOR and row.lapsed:
            return f"Instructor's certification lapsed: {row.lapsed}"
        if column == ClassFileColumn.MISSING and row.missing:
            return "The class file lacks: " + "; ".join(DOCUMENT_KINDS[k] for k in row.missing)
        return None


def class_file_haystack(row: ClassFile) -> str:
    found = row.row
    return f"{found.course} {found.course_number} {found.instructor} {found.held_on}".casefold()


class ChecklistRow(NamedTuple):
    kind: str
    held: bool


class ChecklistModel(RowsModel):
    """The state's checklist for one class file: each document held or missing."""

    COLUMNS = (
        Column("", lambda r: "✓" if r.held else "✗", width=2),
        Column("Required document", lambda r: DOCUMENT_KINDS[r.kind]),
    )

    def foreground(self, row: ChecklistRow, column: int) -> QColor | None:
        return QColor(style.Colour.OK if row.held else style.Colour.ERROR)


class PeopleColumn:
    BADGE, NAME, EXPECTED, ATTENDED, STATE_ID = range(5)


class PeopleModel(RowsModel):
    """Officers expected at a class and those recorded as attending."""

    COLUMNS = (
        Column("Badge", lambda r: r.badge, key=lambda r: natural_key(r.badge), width=6),
        Column("Officer", lambda r: r.display_name, width=16),
        # What the sergeant checks first, before the state ID a sign-in sheet needs.
        Column("Expected", lambda r: "yes" if r.expected else "", width=8),
        Column("Attended", lambda r: "yes" if r.record_id is not None else "no", width=8),
        Column("State ID", lambda r: r.state_id, width=10),
    )

    def foreground(self, row: Attendee, column: int) -> QColor | None:
        if column == PeopleColumn.ATTENDED and row.record_id is None:
            return QColor(style.Colour.WARNING)
        return None
