"""Backup retention: 7 daily, 4 weekly, 12 monthly, worked out on real calendars."""

from __future__ import annotations

from datetime import date, timedelta

from deesc_desktop.core.retention import backups_to_keep


def test_a_year_of_daily_backups_keeps_7_days_4_weeks_12_months() -> None:
    today = date(2026, 11, 22)  # a Sunday
    taken = [today - timedelta(days=n) for n in range(400)]
    keep = backups_to_keep(taken, today)
    days = {today - timedelta(days=n) for n in range(7)}  # 16-22 Nov
    # Newest of each ISO week: this week (ends today), then the Sundays 15, 8, 1 Nov.
    weeks = {date(2026, 11, 15), date(2026, 11, 8), date(2026, 11, 1)}
    # Newest of each month: today for November, then the last day of Oct back to Dec 2025.
    months = {
        date(2026, 10, 31),
        date(2026, 9, 30),
        date(2026, 8, 31),
        date(2026, 7, 31),
        date(2026, 6, 30),
        date(2026, 5, 31),
        date(2026, 4, 30),
        date(2026, 3, 31),
        date(2026, 2, 28),
        date(2026, 1, 31),
        date(2025, 12, 31),
    }
    assert keep == days | weeks | months
    assert len(keep) == 7 + 3 + 11


def test_sparse_backups_keep_the_newest_of_each_period() -> None:
    today = date(2026, 3, 10)
    taken = [date(2026, 3, 10), date(2026, 2, 3), date(2026, 2, 27), date(2025, 1, 5)]
    assert backups_to_keep(taken, today) == {
        date(2026, 3, 10),
        date(2026, 2, 27),  # newest of February; 3 Feb is older in the same month
    }


def test_a_backup_dated_in_the_future_is_never_deleted() -> None:
    today = date(2026, 1, 1)
    assert date(2027, 1, 1) in backups_to_keep([date(2027, 1, 1)], today)
