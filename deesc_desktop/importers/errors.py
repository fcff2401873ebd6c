"""Why an import file was refused: the whole file (ImportFileError) or one cell (RowError)."""

from __future__ import annotations

from dataclasses import dataclass


class ImportFileError(Exception):
    """The file as a whole cannot be imported (missing, empty, wrong type, damaged...)."""

    def __init__(self, file_name: str, reason: str) -> None:
        super().__init__(f"{file_name}: {reason}")
        self.file_name = file_name
        self.reason = reason


@dataclass(frozen=True, slots=True)
class RowError:
    """One refusal, located as the spreadsheet shows it (the header is row 1).

    `row` is None for problems with the file's columns (e.g. a required column is missing);
    `column` is the header as written in the file, or the template name when the column
    is missing altogether.
    """

    file_name: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = [self.file_name]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.reason}"
