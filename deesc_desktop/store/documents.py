"""Documents (their bytes, once per content) and the attachments that name them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from deesc_desktop.store.rows import add_row


@dataclass(frozen=True, slots=True)
class AttachmentRow:
    """One attached document: what it is and where it belongs (never its bytes)."""

    id: int
    sha256: str
    file_name: str
    media_type: str
    size: int
    kind: str
    class_id: int | None
    record_id: int | None
    instructor_id: int | None
    description: str
    created_at: str
    created_by: str


_ATTACHMENT_COLUMNS = (
    "id, sha256, file_name, media_type, size, kind, class_id, record_id, instructor_id,"
    " description, created_at, created_by"
)


def attachment_row(db: Database, attachment_id: int) -> AttachmentRow | None:
    row = db.execute(
        f"SELECT {_ATTACHMENT_COLUMNS} FROM attachments WHERE id = ?", [attachment_id]
    ).fetchone()
    return AttachmentRow(*row) if row else None


def attachments(
    db: Database,
    *,
    class_ids: Sequence[int] = (),
    record_ids: Sequence[int] = (),
    instructor_ids: Sequence[int] = (),
) -> list[AttachmentRow]:
    """The documents attached to any of these classes, training records or instructors."""
    where: list[str] = []
    params: list[int] = []
    for column, ids in (
        ("class_id", class_ids),
        ("record_id", record_ids),
        ("instructor_id", instructor_ids),
    ):
        if ids:
            where.append(f"{column} IN ({', '.join('?' for _ in ids)})")
            params.extend(ids)
    if not where:
        return []
    cursor = db.execute(
        f"SELECT {_ATTACHMENT_COLUMNS} FROM attachments WHERE {' OR '.join(where)}"
        " ORDER BY kind, created_at, id",
        params,
    )
    return [AttachmentRow(*row) for row in cursor]


def store_document(db: Database, sha256: str, media_type: str, content: bytes, at: str) -> bool:
    """Keep the bytes under their digest; False when the same content is already stored."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO documents (sha256, media_type, size, content, stored_at)"
        " VALUES (?, ?, ?, ?, ?)",
        [sha256, media_type, len(content), content, at],
    )
    return cursor.rowcount == 1


def insert_attachment(db: Database, values: dict[str, Any]) -> int:
    return add_row(db, "attachments", values)


def delete_attachment(db: Database, attachment_id: int) -> None:
    db.execute("DELETE FROM attachments WHERE id = ?", [attachment_id])


def attachment_twin(
    db: Database, sha256: str, column: str, owner_id: int
) -> tuple[int, str] | None:
    """(id, kind) of an attachment of the same content to the same owner, if there is one."""
    assert column in ("class_id", "record_id", "instructor_id")
    row = db.execute(
        f"SELECT id, kind FROM attachments WHERE sha256 = ? AND {column} = ?", [sha256, owner_id]
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def document_content(db: Database, sha256: str) -> bytes | None:
    row = db.execute("SELECT content FROM documents WHERE sha256 = ?", [sha256]).fetchone()
    return bytes(row[0]) if row else None


def drop_unattached_document(db: Database, sha256: str) -> bool:
    """Delete the stored bytes once no attachment names them; True when they went."""
    cursor = db.execute(
        "DELETE FROM documents WHERE sha256 = ?"
        " AND NOT EXISTS (SELECT 1 FROM attachments WHERE sha256 = ?)",
        [sha256, sha256],
    )
    return cursor.rowcount == 1


def stored_documents(db: Database) -> Iterator[tuple[str, int, bytes]]:
    """(digest, size, content) of every stored document, one at a time (for the check)."""
    for sha256, size, content in db.execute("SELECT sha256, size, content FROM documents"):
        yield sha256, size, bytes(content)


def attachments_without_document(db: Database) -> list[tuple[int, str]]:
    """(attachment id, digest) of attachments whose bytes are missing."""
    return db.execute(
        "SELECT a.id, a.sha256 FROM attachments a LEFT JOIN documents d ON d.sha256 = a.sha256"
        " WHERE d.sha256 IS NULL ORDER BY a.id"
    ).fetchall()


def record_attachment_ids(db: Database, record_id: int) -> list[int]:
    return [
        row[0]
        for row in db.execute(
            "SELECT id FROM attachments WHERE record_id = ? ORDER BY id", [record_id]
        )
    ]
