"""What deficiency notices print: the training-due list, for one officer or everyone on it."""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from deesc_desktop.services.errors import NotFoundError
from deesc_desktop.services.training_due import TrainingDue, training_due
from deesc_desktop.store.officers import officer_by_badge


def gather_notices(
    db: Database, as_of: date, horizon: int, *, badge: str, today: date
) -> TrainingDue:
    """What falls due by `horizon` days after `as_of`; only officer `badge`'s when one is given."""
    due = training_due(db, as_of, horizon, today=today)
    badge = badge.strip()
    if not badge:
        return due
    if officer_by_badge(db, badge) is None:
        raise NotFoundError(f'There is no officer with badge "{badge}".')
    items = [i for i in due.items if i.officer.badge == badge]
    return TrainingDue(due.as_of, due.horizon, due.officers, items)
