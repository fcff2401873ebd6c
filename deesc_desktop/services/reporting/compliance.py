"""What the department compliance report prints: every officer's standing, the summary, the
state pack's coverage and the class files still incomplete."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from deesc_desktop.core.compliance import Status
from deesc_desktop.core.dates import year_before
from deesc_desktop.services.compliance import (
    DepartmentSummary,
    OfficerCompliance,
    RequirementCounts,
    department_compliance,
    summarise,
)
from deesc_desktop.services.course_files import ClassFile
from deesc_desktop.services.reporting import incomplete_class_files
from deesc_desktop.services.requirements import PackCoverage, pack_coverage


@dataclass(frozen=True, slots=True)
class ComplianceData:
    """Everything the compliance report prints."""

    people: list[OfficerCompliance]
    summary: DepartmentSummary
    coverage: PackCoverage | None
    """What the state pack checks, and why no state rule applies on the date, if none does."""
    incomplete_files: list[ClassFile]
    """Classes held in the year up to the as-of date whose file lacks a document."""

    @property
    def requirements(self) -> tuple[RequirementCounts, ...]:
        return self.summary.requirements

    @property
    def overall(self) -> Counter[Status]:
        """Officers by their most urgent status."""
        return self.summary.overall


def gather_compliance(db: Database, as_of: date, *, today: date) -> ComplianceData:
    """Every serving officer against every requirement in force on the as-of date."""
    people = department_compliance(db, as_of, today=today)
    return ComplianceData(
        people,
        summarise(people),
        pack_coverage(db, as_of),
        incomplete_class_files(db, year_before(as_of), as_of),
    )
