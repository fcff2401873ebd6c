"""Validate a training import file (classes completed) into typed training rows."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date
from typing import NamedTuple

from deesc_desktop.core.hours import Centihours, format_hours
from deesc_desktop.core.names import COURSE_TITLE_LENGTH, name_problem
from deesc_desktop.core.topics import DELIVERIES, TOPICS
from deesc_desktop.importers.reader import Table
from deesc_desktop.importers.validate import (
    BadgeIndex,
    RowReader,
    ValidationResult,
    closest,
    map_columns,
    new_result,
    normalise_code,
)

MAX_HOURS_PER_CLASS: Centihours = 2000_00
"""About a working year; one record claiming more is a typo, not a class."""

TOPICS_FORMAT_HINT = "e.g. de_escalation:2;use_of_force:2"


class TrainingRow(NamedTuple):
    """One valid class completion; `topic_hours` sums exactly to `hours`.

    A named tuple rather than a frozen dataclass: a file makes one per row, and a frozen
    dataclass sets each of twelve fields through object.__setattr__."""

    row_number: int
    badge: str
    course: str
    completed: date
    hours: Centihours
    topic_hours: tuple[tuple[str, Centihours], ...]
    delivery: str
    provider: str
    instructor: str
    course_number: str
    pre_test: float | None
    post_test: float | None


class _TopicIndex:
    """The agency's topic codes, matched loosely ("Use of Force" -> use_of_force)."""

    def __init__(self, codes: Collection[str]) -> None:
        self.codes = sorted({code.strip() for code in codes if code.strip()})
        self.lookup: dict[str, str] = {}
        for code in self.codes:
            if code in TOPICS:
                self.lookup.setdefault(normalise_code(TOPICS[code]), code)
        # Codes win over labels when a label happens to equal another code.
        self.lookup.update({normalise_code(code): code for code in self.codes})
        # Splits already read without a refusal, by (topics text, hours).
        self.accepted: dict[tuple[str, Centihours | None], tuple[tuple[str, Centihours], ...]] = {}

    def find(self, text: str) -> str | None:
        return self.lookup.get(normalise_code(text))

    def unknown(self, text: str) -> str:
        wanted = normalise_code(text)
        suggestion = closest(wanted, self.codes)
        if suggestion is None and len(wanted) >= 3:
            # A word of a topic ("legal", "wellness"): the one code that starts with it or
            # whose label has it.
            found = {
                code
                for key, code in self.lookup.items()
                if key.startswith(wanted) or f"_{wanted}" in key
            }
            suggestion = found.pop() if len(found) == 1 else None
        if suggestion is None:
            return f'unknown topic "{text}" (not in the topic list)'
        if " " in text.strip() and suggestion in TOPICS:
            # Typed as a name ("Legal Update"): suggest the name, which the file may also use.
            return f'unknown topic "{text}" (did you mean "{TOPICS[suggestion]}"?)'
        return f'unknown topic "{text}" (did you mean {suggestion}?)'


def validate_training(
    table: Table,
    known_badges: Collection[str],
    known_topics: Collection[str],
    mapping: Mapping[str, str] | None = None,
    *,
    today: date | None = None,
) -> ValidationResult[TrainingRow]:
    """Check every row of a training file; report each bad cell, keep the good rows.

    Badges must be on the roster (`known_badges`, compared exactly after trimming), topics
    among `known_topics`; a class completed after `today` (default: the real today) is
    refused, and the same badge, course and completed date twice in the file is refused.
    """
    columns = map_columns(table, "training", mapping)
    result: ValidationResult[TrainingRow] = new_result(table, columns)
    if not columns.ok:
        return result
    today = today or date.today()
    badges = BadgeIndex(known_badges)
    topics = _TopicIndex(known_topics)
    first_row_of_class: dict[tuple[str, str, date], int] = {}
    # A file names a few courses on many rows: each title is checked once.
    title_problems: dict[str, str | None] = {}
    # So are the providers, instructors and course numbers, for control characters.
    checked: dict[str, str | None] = {}
    for row_number, cells in table.rows:
        row = RowReader(table.file_name, columns, row_number, cells, result.errors)
        badge = row.badge(badges)
        provider = row.plain("provider", checked)
        instructor = row.plain("instructor", checked)
        course_number = row.plain("course_number", checked)
        course = row.required("course")
        if course is not None:
            if course not in title_problems:
                title_problems[course] = name_problem(course, COURSE_TITLE_LENGTH)
            if problem := title_problems[course]:
                row.error("course", f"the course title {problem}")
        completed = row.date("completed", "completed date", required=True)
        if completed is not None and completed > today:
            row.error("completed", f"completed date {completed.isoformat()} is in the future")
        hours_text = row.required("hours")
        hours = (
            row.hours("hours", hours_text, "hours", MAX_HOURS_PER_CLASS)
            if hours_text is not None
            else None
        )
        topic_hours = _topic_hours(row, topics, hours)
        delivery = row.choice("delivery", "delivery", DELIVERIES, default="classroom")
        pre_test = row.score("pre_test")
        post_test = row.score("post_test")
        if badge is not None and course is not None and completed is not None:
            key = (badge, " ".join(course.casefold().split()), completed)
            first = first_row_of_class.setdefault(key, row_number)
            if first != row_number:
                row.error(
                    "course",
                    f'rows {first} and {row_number} are the same class for badge "{badge}" '
                    "(same course and completed date)",
                )
        if (
            row.failed
            or badge is None
            or course is None
            or completed is None
            or hours is None
            or topic_hours is None
            or delivery is None
        ):
            continue
        result.rows.append(
            TrainingRow(
                row_number=row_number,
                badge=badge,
                course=course,
                completed=completed,
                hours=hours,
                topic_hours=topic_hours,
                delivery=delivery,
                provider=provider,
                instructor=instructor,
                course_number=course_number,
                pre_test=pre_test,
                post_test=post_test,
            )
        )
    return result


def _topic_hours(
    row: RowReader, topics: _TopicIndex, hours: Centihours | None
) -> tuple[tuple[str, Centihours], ...] | None:
    """Read `code` or `code:hours;code:hours` (',' also separates); None after an error.

    Reports every bad part; the sum is compared only when every part and `hours` are good.
    """
    text = row.required("topics")
    if text is None:
        return None
    # A split that was read without a refusal reads the same on every row that repeats it.
    accepted = topics.accepted.get((text, hours))
    if accepted is None:
        accepted = _read_topic_hours(row, topics, hours, text)
        if accepted is not None:
            topics.accepted[(text, hours)] = accepted
    return accepted


def _read_topic_hours(
    row: RowReader, topics: _TopicIndex, hours: Centihours | None, text: str
) -> tuple[tuple[str, Centihours], ...] | None:
    parts = [part.strip() for part in re.split(r"[;,]", text) if part.strip()]
    if not parts:
        row.error("topics", f'"{text}" names no topic ({TOPICS_FORMAT_HINT})')
        return None
    if len(parts) == 1 and ":" not in parts[0]:
        code = topics.find(parts[0])
        if code is None:
            row.error("topics", topics.unknown(parts[0]))
            return None
        return ((code, hours),) if hours is not None else None

    split: list[tuple[str, Centihours]] = []
    good = True
    for part in parts:
        name, colon, amount = part.partition(":")
        name, amount = name.strip(), amount.strip()
        if not colon or not name or not amount:
            row.error(
                "topics",
                f'"{part}" needs a topic and its hours when a class has several topics '
                f"({TOPICS_FORMAT_HINT})",
            )
            good = False
            continue
        code = topics.find(name)
        if code is None:
            row.error("topics", topics.unknown(name))
            good = False
        part_hours = row.hours("topics", amount, f"{name} hours", MAX_HOURS_PER_CLASS)
        if part_hours is None:
            good = False
        if code is None or part_hours is None:
            continue
        if any(existing == code for existing, _ in split):
            row.error("topics", f"topic {code} is listed twice")
            good = False
            continue
        split.append((code, part_hours))
    if not good or hours is None:
        return None
    total = sum(amount for _, amount in split)
    if total != hours:
        row.error(
            "topics",
            f"topic hours add up to {format_hours(total)} but hours is {format_hours(hours)}",
        )
        return None
    return tuple(split)
