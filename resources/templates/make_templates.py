"""Write the import templates (CSV and XLSX for roster, training, leave, incidents) from one
definition.

Run from the repository root after changing the import columns:
    python resources/templates/make_templates.py
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from deesc_desktop.importers.validate import COLUMNS

HERE = Path(__file__).resolve().parent

Cell = str | int | float | date

EXAMPLES: dict[str, dict[str, Cell]] = {
    "roster": {
        "badge": "1042",
        "last_name": "Ramirez",
        "first_name": "Daniel",
        "rank": "Sergeant",
        "unit": "Patrol",
        "shift": "Days",
        "hire_date": date(2015, 6, 1),
        "license_date": date(2015, 1, 15),
        "status": "active",
        "state_id": "PS-482137",
        "email": "d.ramirez@example.org",
    },
    "training": {
        "badge": "1042",
        "course": "Crisis Intervention: Verbal De-escalation",
        "completed": date(2024, 3, 14),
        "hours": 8,
        "topics": "de_escalation:4;crisis_intervention:4",
        "delivery": "scenario",
        "provider": "Regional Training Academy",
        "instructor": "Lt. Karen Ellis",
        "course_number": "CI-2024-031",
        "pre_test": 62,
        "post_test": 91,
    },
    "leave": {
        "badge": "1042",
        "start": date(2024, 1, 8),
        "end": date(2024, 4, 30),
        "reason": "Military leave",
        "requirements": "",
    },
    "incidents": {
        "reference": "24-001873",
        "occurred_on": date(2024, 3, 2),
        "incident_type": "mental_health_crisis",
        "deescalation_used": "yes",
        "tactics": "verbal;time_distance_cover;cit_officer",
        "force_type": "none",
        "officers_injured": 0,
        "public_injured": 0,
        "subject_age": "25_34",
        "subject_sex": "male",
        "subject_race": "white",
        "subject_ethnicity": "not_hispanic",
        "subject_impairment": "mental_health",
        "officer_badges": "1042;1077",
    },
}
"""One realistic row per template; `requirements` left empty shows blanket leave."""

# Badges, ids and course numbers are text: as numbers Excel would drop leading zeros.
TEXT_COLUMNS = frozenset(
    {"badge", "state_id", "course_number", "topics", "requirements", "reference", "officer_badges"}
)


def _csv_text(value: Cell) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def write_csv(kind: str) -> Path:
    """Write `<kind>.csv`: header row and the example row, UTF-8, Excel-style line ends."""
    path = HERE / f"{kind}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(COLUMNS[kind])
        writer.writerow(_csv_text(EXAMPLES[kind][name]) for name in COLUMNS[kind])
    return path


def write_xlsx(kind: str) -> Path:
    """Write `<kind>.xlsx`: bold frozen header, real date cells, text-formatted id columns."""
    path = HERE / f"{kind}.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = kind.capitalize()
    sheet.freeze_panes = "A2"
    for position, name in enumerate(COLUMNS[kind], start=1):
        header = sheet.cell(row=1, column=position, value=name)
        header.font = Font(bold=True)
        value = EXAMPLES[kind][name]
        cell = sheet.cell(row=2, column=position, value=value if value != "" else None)
        letter = get_column_letter(position)
        if isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
        elif name in TEXT_COLUMNS:
            cell.number_format = "@"
        width = max(len(name), len(_csv_text(value))) + 2
        sheet.column_dimensions[letter].width = min(width, 45)
    workbook.properties.creator = "deesc-desktop"
    workbook.save(path)
    return path


def main() -> None:
    """Write every template (CSV and XLSX of each kind)."""
    for kind in COLUMNS:
        print(write_csv(kind))
        print(write_xlsx(kind))


if __name__ == "__main__":
    main()
