"""Import files (CSV, XLSX) -> validated, typed rows; every refusal located by row and column."""

from deesc_desktop.importers.errors import ImportFileError, RowError
from deesc_desktop.importers.leave import LeaveRow, validate_leave
from deesc_desktop.importers.reader import ACCEPTED_TYPES, Table, read_table
from deesc_desktop.importers.roster import RosterRow, validate_roster
from deesc_desktop.importers.training import TrainingRow, validate_training
from deesc_desktop.importers.validate import (
    COLUMNS,
    REQUIRED,
    ColumnMapping,
    Kind,
    ValidationResult,
    map_columns,
    suggest_mapping,
)

__all__ = [
    "ACCEPTED_TYPES",
    "COLUMNS",
    "REQUIRED",
    "ColumnMapping",
    "ImportFileError",
    "Kind",
    "LeaveRow",
    "RosterRow",
    "RowError",
    "Table",
    "TrainingRow",
    "ValidationResult",
    "map_columns",
    "read_table",
    "suggest_mapping",
    "validate_leave",
    "validate_roster",
    "validate_training",
]
