"""Times as people read them: the file keeps UTC, screens and paper show this computer's local
time, with its zone written beside it ("2026-03-01 08:12 CST")."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

STAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
"""How the file stores a moment (audit log, who-did-what columns): ISO 8601 UTC to the second."""

ANY_TIME = "9999-12-31T23:59:59Z"
"""A stamp later than every stored one: "before ANY_TIME" leaves nothing out."""


def utc_stamp(moment: datetime) -> str:
    """A moment as the file stores it; a naive moment is taken as local time."""
    return moment.astimezone(UTC).strftime(STAMP_FORMAT)


def parse_stamp(stamp: str) -> datetime | None:
    """A stored timestamp ("2026-03-01T14:12:05Z") as an aware UTC datetime; None if unreadable."""
    try:
        moment = datetime.fromisoformat(stamp.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local(moment: datetime) -> datetime:
    """A moment in this computer's time zone (a naive moment is already local)."""
    return moment.astimezone()


def zone_abbreviation(moment: datetime) -> str:
    """The short name of the local zone at that moment: "CST" in winter, "CDT" in summer.

    Windows names zones in words ("Central Standard Time"); their initials are the short name
    people know.
    """
    name = local(moment).tzname() or "local time"
    if " " in name:
        return "".join(word[0] for word in name.split() if word[:1].isalpha()).upper()
    return name


def _offset_text(moment: datetime) -> str:
    offset = local(moment).utcoffset() or timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def zone_description(on: date | None = None) -> str:
    """The local zone in words for a note on a page: "CST (UTC−06:00) / CDT (UTC−05:00)".

    Both the standard and the summer name are given when the zone has daylight saving time,
    so a register spanning a year is labelled once for all its times.
    """
    year = (on or date.today()).year
    winter = datetime(year, 1, 15, 12).astimezone()
    summer = datetime(year, 7, 15, 12).astimezone()
    labels = []
    for moment in (winter, summer):
        name = zone_abbreviation(moment)
        offset = _offset_text(moment)
        text = name if offset == "UTC+00:00" and name in ("UTC", "GMT") else f"{name} ({offset})"
        if text not in labels:
            labels.append(text)
    return " / ".join(labels)


def stamp_text(stamp: str | None) -> str:
    """A stored timestamp as local time with its zone: "2026-03-01 08:12 CST"; "" for none."""
    if not stamp:
        return ""
    moment = parse_stamp(stamp)
    return stamp if moment is None else moment_text(moment)


def moment_text(moment: datetime) -> str:
    """A datetime (naive means local) as local time with its zone: "2026-11-22 09:30 CST"."""
    shown = local(moment)
    return f"{shown.strftime('%Y-%m-%d %H:%M')} {zone_abbreviation(shown)}"


def local_day(stamp: str) -> date | None:
    """The local calendar day of a stored timestamp (what a clerk calls "the day it happened")."""
    moment = parse_stamp(stamp)
    return local(moment).date() if moment else None


def today(now: datetime | None = None) -> date:
    """Today's local date, or the local date of `now` when a caller fixes the clock."""
    return local(now).date() if now is not None else date.today()


def day_end_stamp(day: date) -> str:
    """The stored stamp of the first moment after `day` ends, local time: a row written
    before it was there by the end of that day."""
    return utc_stamp(datetime.combine(day + timedelta(days=1), time.min))
