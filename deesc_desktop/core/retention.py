"""Which automatic backups to keep: the newest of each of the last 7 days, 4 weeks, 12 months."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import date, timedelta

DAILY, WEEKLY, MONTHLY = 7, 4, 12
"""How many days, ISO weeks and calendar months keep a backup of their own."""


def _newest_per_period(
    dates: list[date], today: date, key: Callable[[date], Hashable], oldest: date
) -> set[date]:
    newest: dict[Hashable, date] = {}
    for day in dates:  # newest first, so the first of each period is its newest
        if oldest <= day <= today:
            newest.setdefault(key(day), day)
    return set(newest.values())


def backups_to_keep(
    taken: Iterable[date],
    today: date,
    *,
    daily: int = DAILY,
    weekly: int = WEEKLY,
    monthly: int = MONTHLY,
) -> set[date]:
    """The backup dates to keep; every other automatic backup may be deleted.

    Keeps the newest backup of each of the last `daily` days (today included), of each of the
    last `weekly` ISO weeks (this week included) and of each of the last `monthly` calendar
    months (this month included). A backup dated after today (a PC clock set wrong) is kept.
    """
    dates = sorted(set(taken), reverse=True)
    keep = {day for day in dates if day > today}
    keep |= _newest_per_period(dates, today, lambda d: d, today - timedelta(days=daily - 1))
    monday = today - timedelta(days=today.weekday())
    keep |= _newest_per_period(
        dates, today, lambda d: d.isocalendar()[:2], monday - timedelta(weeks=weekly - 1)
    )
    months_back = today.year * 12 + today.month - 1 - (monthly - 1)
    first_month = date(months_back // 12, months_back % 12 + 1, 1)
    keep |= _newest_per_period(dates, today, lambda d: (d.year, d.month), first_month)
    return keep
