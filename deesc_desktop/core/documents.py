"""Documents kept in class files: which types are accepted, recognised by their content."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

MAX_DOCUMENT_BYTES = 25 * 1024 * 1024
"""25 MB: a 20-page sign-in sheet scanned at 300 dpi in colour is about 15 MB."""


@dataclass(frozen=True, slots=True)
class DocumentType:
    """A file type the class files accept: how it is named, labelled and opened."""

    media_type: str
    label: str
    extensions: tuple[str, ...]
    """Lower-case suffixes with the dot; the first is the one a saved copy gets."""


PDF = DocumentType("application/pdf", "PDF document", (".pdf",))
PNG = DocumentType("image/png", "PNG image", (".png",))
JPEG = DocumentType("image/jpeg", "JPEG image", (".jpg", ".jpeg"))
TIFF = DocumentType("image/tiff", "TIFF image", (".tif", ".tiff"))
DOCX = DocumentType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word document",
    (".docx",),
)
XLSX = DocumentType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Excel workbook",
    (".xlsx",),
)
PPTX = DocumentType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "PowerPoint presentation",
    (".pptx",),
)
OLD_OFFICE = DocumentType(
    "application/x-ole-storage", "Office 97-2003 document", (".doc", ".xls", ".ppt")
)

DOCUMENT_TYPES: tuple[DocumentType, ...] = (PDF, PNG, JPEG, TIFF, DOCX, XLSX, PPTX, OLD_OFFICE)
"""Every accepted type; anything else (programs, archives, web pages) is refused."""

ACCEPTED_TEXT = "PDF, images (PNG, JPEG, TIFF) and Office files (Word, Excel, PowerPoint)"

_BY_MEDIA_TYPE = {kind.media_type: kind for kind in DOCUMENT_TYPES}
_OOXML_PARTS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class DocumentRefused(ValueError):
    """A file that cannot go in a class file; the message says why, for the user."""


def document_type(media_type: str) -> DocumentType:
    """The accepted type with this media type (as stored with every document)."""
    return _BY_MEDIA_TYPE[media_type]


def format_size(size: int) -> str:
    """'812 KB', '3.4 MB': sizes as people read them (1 MB = 1024 x 1024 bytes)."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def sniff(data: bytes) -> tuple[DocumentType | None, str]:
    """What the bytes are, whatever the file is called: (type, "") or (None, what is wrong).

    A file that starts like an accepted type but is cut short or damaged is refused with
    that said, so a half-copied scan is noticed while the paper is still at hand.
    """
    head = data[:1024]
    if b"%PDF-" in head:
        # A PDF ends with %%EOF (a scanner's or a save's last write); without it, it is cut.
        if b"%%EOF" not in data[-2048:]:
            return None, "is a PDF that ends too early (damaged, or still being copied)"
        return PDF, ""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        if b"IEND" not in data[-32:]:
            return None, "is a PNG image that ends too early (damaged)"
        return PNG, ""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG, ""
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF, ""
    if data.startswith(_OLE_MAGIC):
        return OLD_OFFICE, ""
    if data.startswith(b"PK\x03\x04"):
        return _office_zip(data)
    return None, "is not a PDF, an image or an Office file"


def _office_zip(data: bytes) -> tuple[DocumentType | None, str]:
    # Only the archive's list of names is read: nothing is unpacked, so a zip bomb is harmless.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None, "is a damaged zip or Office file"
    if "[Content_Types].xml" in names:
        for prefix, kind in _OOXML_PARTS.items():
            if any(name.startswith(prefix) for name in names):
                return kind, ""
    return None, "is a zip archive, not an Office document"


def check_document(file_name: str, data: bytes) -> DocumentType:
    """The type of a file offered for a class file, or DocumentRefused saying why not.

    The content decides (the magic bytes), and the name must agree with it: a program
    renamed "roster.pdf" is refused, and so is a JPEG scan saved as "sheet.pdf", which the
    computer would try to open with the wrong program.
    """
    name = PurePath(file_name).name or file_name
    if not data:
        raise DocumentRefused(f"{name} is empty (0 bytes): nothing to attach")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentRefused(too_big(name, len(data)))
    found, problem = sniff(data)
    if found is None:
        raise DocumentRefused(f"{name} {problem}; only {ACCEPTED_TEXT} can be attached")
    suffix = PurePath(name).suffix.lower()
    if suffix not in found.extensions:
        named = f"is named {suffix or 'without a file type'}" if suffix else "has no file type"
        raise DocumentRefused(
            f"{name} {named} but its content is a {found.label}; rename it to "
            f"{PurePath(name).stem}{found.extensions[0]} and attach it again"
        )
    return found


def too_big(name: str, size: int) -> str:
    """The refusal of a file over the limit, with what to do about it."""
    return (
        f"{name} is {format_size(size)}; a document may be at most "
        f"{format_size(MAX_DOCUMENT_BYTES)}. Scan at 200-300 dpi in black and white, "
        "or split it into parts"
    )


def saved_name(file_name: str, kind: DocumentType) -> str:
    """A safe file name to save or open a copy under: no folders, the type's own suffix."""
    stem = PurePath(file_name.replace("\\", "/")).name
    cleaned = "".join(c if c.isalnum() or c in " ._-()" else "_" for c in stem).strip(" .")
    path = PurePath(cleaned or "document")
    if path.suffix.lower() not in kind.extensions:
        path = PurePath(f"{path.name}{kind.extensions[0]}")
    return path.name
