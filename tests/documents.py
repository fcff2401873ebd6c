"""Small real documents for the class-file tests: a PDF, a PNG, a Word file, and impostors."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from reportlab.pdfgen.canvas import Canvas


def pdf_bytes(text: str = "Lesson plan: ICAT de-escalation, module 1") -> bytes:
    """A one-page PDF saying `text`, as a word processor would save it."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.drawString(72, 720, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def png_bytes(width: int = 4, height: int = 3) -> bytes:
    """A tiny grey PNG image, as a scanner's PNG mode writes one."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
"""The start of a JPEG photo: enough for its type to be recognised."""


def docx_bytes() -> bytes:
    """A minimal Word document (its parts named as Word names them)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def plain_zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("setup.exe", "MZ")
    return buffer.getvalue()


EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120
"""A Windows program's first bytes."""
