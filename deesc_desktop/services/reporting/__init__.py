"""What the reports print, gathered from the store into models the renderers are handed."""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from deesc_desktop.services.course_files import ClassFile, class_files
from deesc_desktop.services.errors import ValidationError


def check_period(start: date | None, end: date | None) -> None:
    """Refuse a period that ends before it starts."""
    if start and end and end < start:
        raise ValidationError(
            {"end": f"the period ends ({end.isoformat()}) before it starts ({start.isoformat()})"}
        )


def incomplete_class_files(db: Database, start: date, end: date) -> list[ClassFile]:
    """The classes held in the period (not those still to come) whose file lacks a document."""
    files = class_files(db, start, end, incomplete_only=True)
    return [f for f in files if f.row.attendees]
