"""read_table: CSV encodings and XLSX cell types to raw text, and every refusal of a bad file."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from deesc_desktop.importers import ImportFileError, read_table
from deesc_desktop.importers.reader import Table, column_letter

ROSTER_HEADER = "badge,last_name,first_name,hire_date\r\n"


def rows_of(table: Table) -> list[tuple[int, dict[str, str]]]:
    """The table's rows as a user reads them: each cell under its column's name."""
    return [(number, table.by_header(cells)) for number, cells in table.rows]


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(
    path: Path, rows: list[list[object]], number_formats: dict[str, str] | None = None
) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    for coordinate, number_format in (number_formats or {}).items():
        sheet[coordinate].number_format = number_format
    workbook.save(path)
    return path


def refusal(path: Path) -> str:
    with pytest.raises(ImportFileError) as caught:
        read_table(path)
    message = str(caught.value)
    assert message.startswith(f"{path.name}: "), message
    assert caught.value.file_name == path.name
    return message


# --- CSV --------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_in_each_excel_encoding_reads_accented_names(tmp_path: Path, encoding: str) -> None:
    path = write_csv(
        tmp_path / "roster.csv",
        ROSTER_HEADER + "0417,Peña,José,2019-03-05\r\n1042,Müller,Zoë,06/01/2015\r\n",
        encoding,
    )
    table = read_table(path)
    # The BOM must not leak into the first header, or "badge" would not be found.
    assert table.headers == ["badge", "last_name", "first_name", "hire_date"]
    assert table.file_name == "roster.csv"
    assert rows_of(table) == [
        (
            2,
            {"badge": "0417", "last_name": "Peña", "first_name": "José", "hire_date": "2019-03-05"},
        ),
        (
            3,
            {
                "badge": "1042",
                "last_name": "Müller",
                "first_name": "Zoë",
                "hire_date": "06/01/2015",
            },
        ),
    ]


def test_csv_row_numbers_count_skipped_blank_rows_and_multiline_cells(tmp_path: Path) -> None:
    text = 'badge,reason\n1,first\n\n,\n2,"two\nlines"\n  ,  \n3,third\n'
    table = read_table(write_csv(tmp_path / "leave.csv", text))
    assert [number for number, _ in table.rows] == [2, 5, 7]
    assert rows_of(table)[1][1]["reason"] == "two\nlines"


def test_csv_only_the_apostrophe_before_a_formula_is_taken_off(tmp_path: Path) -> None:
    text = "last_name,first_name,unit\n'=SUM(A1),O'Brien,'0042\nD'Amato,' ,Patrol\n"
    table = read_table(write_csv(tmp_path / "t.csv", text))
    assert [cells for _, cells in rows_of(table)] == [
        {"last_name": "=SUM(A1)", "first_name": "O'Brien", "unit": "'0042"},
        {"last_name": "D'Amato", "first_name": "' ", "unit": "Patrol"},
    ]


def test_csv_headers_and_cells_are_kept_as_written(tmp_path: Path) -> None:
    table = read_table(write_csv(tmp_path / "t.csv", " Badge , Last Name\n 12 , Smith \n"))
    assert table.headers == [" Badge ", " Last Name"]
    assert rows_of(table) == [(2, {" Badge ": " 12 ", " Last Name": " Smith "})]


def test_csv_short_rows_are_padded_and_unnamed_data_is_reported(tmp_path: Path) -> None:
    text = "badge,,course\n1\n2,stray,CIT,extra\n"
    table = read_table(write_csv(tmp_path / "t.csv", text))
    assert table.headers == ["badge", "course"]
    assert rows_of(table) == [
        (2, {"badge": "1", "course": ""}),
        (3, {"badge": "2", "course": "CIT"}),
    ]
    assert table.warnings == [
        "column B has values but no name in the header row; it was ignored",
        "column D has values but no name in the header row; it was ignored",
    ]


def test_csv_leading_blank_lines_before_the_header_are_skipped(tmp_path: Path) -> None:
    table = read_table(write_csv(tmp_path / "t.csv", "\n,,\nbadge,course\n7,CIT\n"))
    assert table.headers == ["badge", "course"]
    assert rows_of(table) == [(4, {"badge": "7", "course": "CIT"})]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_csv_with_semicolons_or_tabs_as_regional_excel_writes_them(
    tmp_path: Path, delimiter: str
) -> None:
    text = delimiter.join(["badge", "hours"]) + "\n" + delimiter.join(["5", "1,5"]) + "\n"
    table = read_table(write_csv(tmp_path / "t.csv", text))
    assert rows_of(table) == [(2, {"badge": "5", "hours": "1,5"})]


def test_csv_suffix_is_case_insensitive(tmp_path: Path) -> None:
    table = read_table(write_csv(tmp_path / "ROSTER.CSV", "badge\n1\n"))
    assert rows_of(table) == [(2, {"badge": "1"})]


# --- XLSX -------------------------------------------------------------------------------


def test_xlsx_numbers_dates_and_text_come_back_as_typed_text(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "training.xlsx",
        [
            ["badge", "completed", "hours", "score", "noise", "big", "flag", "zero", "when"],
            [
                1234,
                date(2024, 3, 14),
                1.5,
                0.95,
                0.1 + 0.2,
                1e20,
                True,
                -0.0,
                datetime(2024, 1, 2, 13, 30),
            ],
            ["0417", datetime(2023, 12, 1), 8.0, 1, 7, 2.25, False, 0, None],
        ],
        number_formats={"D2": "0%", "D3": "0%"},
    )
    table = read_table(path)
    assert rows_of(table) == [
        (
            2,
            {
                "badge": "1234",
                "completed": "2024-03-14",
                "hours": "1.5",
                "score": "95%",
                "noise": "0.3",
                "big": "100000000000000000000",
                "flag": "TRUE",
                "zero": "0",
                "when": "2024-01-02",
            },
        ),
        (
            3,
            {
                "badge": "0417",
                "completed": "2023-12-01",
                "hours": "8",
                "score": "100%",
                "noise": "7",
                "big": "2.25",
                "flag": "FALSE",
                "zero": "0",
                "when": "",
            },
        ),
    ]


def test_xlsx_blank_rows_are_skipped_but_counted(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"], sheet["B1"] = "badge", "course"
    sheet["A2"], sheet["B2"] = 1, "CIT"
    sheet["A3"] = "   "
    sheet["A6"], sheet["B6"] = 2, "Firearms"
    workbook.save(tmp_path / "t.xlsx")
    table = read_table(tmp_path / "t.xlsx")
    assert rows_of(table) == [
        (2, {"badge": "1", "course": "CIT"}),
        (6, {"badge": "2", "course": "Firearms"}),
    ]


def test_xlsx_reads_only_the_first_worksheet(tmp_path: Path) -> None:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.append(["badge"])
    first.append(["11"])
    second = workbook.create_sheet("Other")
    second.append(["something"])
    second.append(["else"])
    workbook.save(tmp_path / "two.xlsx")
    assert rows_of(read_table(tmp_path / "two.xlsx")) == [(2, {"badge": "11"})]


def test_xlsx_header_only_and_empty_sheet_are_refused(tmp_path: Path) -> None:
    assert "no data rows" in refusal(write_xlsx(tmp_path / "h.xlsx", [["badge", "course"]]))
    assert "is empty" in refusal(write_xlsx(tmp_path / "e.xlsx", []))


# --- refusals ----------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    message = refusal(tmp_path / "nowhere.csv")
    assert "was not found" in message
    assert str(tmp_path) in message


def test_folder_instead_of_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    assert "is a folder, not a file" in refusal(folder)


@pytest.mark.parametrize("content", [b"", b"   \r\n\r\n", b",,,\r\n"])
def test_empty_csv_has_no_header(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(content)
    assert (
        refusal(path)
        == "roster.csv: is empty: the first row should hold the column names (see the templates)"
    )


def test_header_without_data_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "roster.csv", ROSTER_HEADER + "\r\n,,,\r\n")
    assert refusal(path) == "roster.csv: has column names but no data rows below them"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "sheet.pdf",
            "is a .pdf file; only CSV files (.csv) and Excel workbooks (.xlsx) can be imported",
        ),
        ("sheet.docx", "is a .docx file; only CSV files (.csv) and Excel workbooks (.xlsx)"),
        (
            "sheet",
            "has no file type in its name; only CSV files (.csv) and Excel workbooks (.xlsx)",
        ),
        ("old.xls", "is an old-style Excel 97-2003 workbook (.xls), which cannot be imported"),
    ],
)
def test_wrong_file_type_says_which_types_are_accepted(
    tmp_path: Path, name: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(b"badge\n1\n")
    assert expected in refusal(path)


@pytest.mark.parametrize(
    ("content", "looks_like"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a picture"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00",
            "an old-style Excel (.xls) or Word (.doc) file",
        ),
        (b"badge,course\n1,\x00\x00\x00\n", "a binary (non-text) file"),
        ("badge,course\n1,CIT\n".encode("utf-16"), "Unicode (UTF-16) text"),
    ],
)
def test_binary_renamed_csv_is_refused(tmp_path: Path, content: bytes, looks_like: str) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(content)
    message = refusal(path)
    assert f"is not a CSV text file: it looks like {looks_like}" in message
    assert "Accepted: CSV files (.csv) and Excel workbooks (.xlsx)" in message


def test_excel_workbook_renamed_csv_gets_the_rename_hint(tmp_path: Path) -> None:
    real = write_xlsx(tmp_path / "real.xlsx", [["badge"], [1]])
    renamed = tmp_path / "roster.csv"
    renamed.write_bytes(real.read_bytes())
    assert "looks like an Excel workbook; rename it to end in .xlsx" in refusal(renamed)


def test_word_document_renamed_csv(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "looks like a Word document" in refusal(path)


def test_undecodable_text_names_the_line(tmp_path: Path) -> None:
    # 0x81 is neither UTF-8 here nor defined in Windows-1252.
    path = tmp_path / "training.csv"
    path.write_bytes(b"badge,course\n1,CIT\n2,Caf\x81\n")
    message = refusal(path)
    assert "contains characters that cannot be read (on line 3)" in message
    assert "CSV UTF-8" in message


def test_overlong_csv_cell(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", 'badge,notes\n1,"' + "x" * 200_000 + '"\n')
    assert "is not a well-formed CSV file near line 2 (a cell is far too long)" in refusal(path)


def test_corrupt_xlsx(tmp_path: Path) -> None:
    real = write_xlsx(tmp_path / "real.xlsx", [["badge"], [1]]).read_bytes()
    truncated = tmp_path / "roster.xlsx"
    truncated.write_bytes(real[: len(real) // 2])
    message = refusal(truncated)
    assert "could not be read as an Excel workbook: the file is damaged" in message


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "is not an Excel workbook: it looks like a zip archive" in refusal(path)


def test_text_renamed_xlsx(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "roster.xlsx", "badge\n1\n")
    assert (
        "is not really an Excel workbook (if it is a CSV file, rename it to end in .csv)"
        in refusal(path)
    )


def test_password_protected_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert "is password-protected" in refusal(path)


def test_duplicate_header_names_are_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "roster.csv", "badge,last_name,Badge\n1,Smith,2\n")
    assert refusal(path) == (
        'roster.csv: has two columns with the same name: "badge" (column A) and "Badge" '
        "(column C); rename or delete one of them"
    )


def test_headers_equal_but_for_spaces_and_underscores_are_duplicates(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "roster.xlsx", [["Last Name", "badge", " last_name "], ["a", "1", "b"]]
    )
    message = refusal(path)
    assert '"Last Name" (column A) and "last_name" (column C)' in message


@pytest.mark.parametrize(
    ("position", "letter"), [(1, "A"), (26, "Z"), (27, "AA"), (702, "ZZ"), (703, "AAA")]
)
def test_column_letter(position: int, letter: str) -> None:
    assert column_letter(position) == letter


def test_word_document_renamed_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "is not an Excel workbook: it looks like a Word document" in refusal(path)


def test_workbook_with_broken_sheet_xml_is_damaged(tmp_path: Path) -> None:
    real = write_xlsx(tmp_path / "real.xlsx", [["badge"], [1]])
    broken = tmp_path / "roster.xlsx"
    with zipfile.ZipFile(real) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            target.writestr(info.filename, content)
    assert "could not be read as an Excel workbook: the file is damaged" in refusal(broken)
