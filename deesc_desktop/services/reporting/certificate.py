"""What a certificate of completion prints: one training record, its officer and topics."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from deesc_desktop.core.hours import format_hours
from deesc_desktop.core.models import Officer, TrainingRecord
from deesc_desktop.services.errors import NotFoundError
from deesc_desktop.store.courses import topic_labels
from deesc_desktop.store.officers import get_officer
from deesc_desktop.store.training import get_record


@dataclass(frozen=True, slots=True)
class CertificateData:
    record: TrainingRecord
    officer: Officer
    topics: list[tuple[str, str]]
    """(label, hours) of each topic the class covered."""


def gather_certificate(db: Database, record_id: int) -> CertificateData:
    """Training record `record_id` with its officer and the hours of each topic."""
    record = get_record(db, record_id)
    if record is None:
        raise NotFoundError(f"There is no training record #{record_id}.")
    officer = get_officer(db, record.officer_id)
    assert officer is not None  # a record always belongs to an officer (foreign key)
    labels = topic_labels(db)
    topics = [(labels.get(code, code), format_hours(h)) for code, h in record.topic_hours]
    return CertificateData(record, officer, topics)
