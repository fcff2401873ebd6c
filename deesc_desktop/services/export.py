"""Exports of the roster and training records in the import files' own layout (CSV or XLSX)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlite_utils import Database

from deesc_desktop.importers.validate import COLUMNS
from deesc_desktop.services.errors import ServiceError

ROSTER_COLUMNS = COLUMNS["roster"]
"""The roster import columns, plus separation_date so separated officers re-import intact."""

TRAINING_COLUMNS = COLUMNS["training"]
"""The training import columns: an export re-imports as it is."""


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def roster_rows(db: Database) -> Iterable[list[str]]:
    """The roster as the roster import file lays it out."""
    sql = f"SELECT {', '.join(ROSTER_COLUMNS)} FROM officers ORDER BY last_name, first_name, badge"
    for row in db.execute(sql):
        yield ["" if value is None else str(value) for value in row]


def training_rows(db: Database) -> Iterable[list[str]]:
    """Training records as the training import file lays them out (re-importable as is)."""
    sql = """
        SELECT o.badge, c.title, r.completed, r.hours,
               (SELECT group_concat(topic || ':' || hours, ';')
                  FROM (SELECT topic, hours FROM training_topics t
                        WHERE t.record_id = r.id ORDER BY topic)),
               r.delivery, r.provider, r.instructor, c.course_number, r.pre_test, r.post_test
        FROM training_records r
        JOIN officers o ON o.id = r.officer_id
        JOIN courses c ON c.id = r.course_id
        ORDER BY r.completed, o.badge, c.title
    """
    for badge, title, completed, hours, topics, *rest in db.execute(sql):
        delivery, provider, instructor, number, pre_test, post_test = rest
        yield [
            badge,
            title,
            completed,
            _number(hours),
            topics or "",
            delivery,
            provider,
            instructor,
            number,
            _number(pre_test),
            _number(post_test),
        ]


def write_table(path: Path, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """Write rows to .csv (UTF-8 with BOM, so Excel reads accents) or .xlsx; returns the count."""
    suffix = path.suffix.lower()
    count = 0
    tmp = path.with_name(f".{path.name}.partial")
    try:
        if suffix == ".csv":
            with tmp.open("w", newline="", encoding="utf-8-sig") as handle:
                writer = csv.writer(handle)
                writer.writerow(headers)
                for row in rows:
                    writer.writerow(row)
                    count += 1
        elif suffix == ".xlsx":
            from openpyxl import Workbook

            book = Workbook(write_only=True)
            sheet = book.create_sheet()
            sheet.append(list(headers))
            for row in rows:
                sheet.append(list(row))
                count += 1
            book.save(tmp)
        else:
            raise ServiceError(f"{path.name}: exports are written as .csv or .xlsx")
        tmp.replace(path)  # never leave a half-written export under the real name
    except OSError as exc:
        raise ServiceError(f"Could not write {path}: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return count


def export_roster(db: Database, path: Path) -> int:
    """Write the roster to a CSV or XLSX file; returns the number of officers."""
    return write_table(path, ROSTER_COLUMNS, roster_rows(db))


def export_training(db: Database, path: Path) -> int:
    """Write every training record to a CSV or XLSX file; returns the number of records."""
    return write_table(path, TRAINING_COLUMNS, training_rows(db))
