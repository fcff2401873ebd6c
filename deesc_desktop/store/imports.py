"""Import batches: one `imports` row per file imported, with what it added and changed."""

from __future__ import annotations

from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.rows import insert_row, update_row


def start_batch(audit: AuditWriter, kind: str, name: str, digest: str, rows: int) -> int:
    """Record an import as it starts, with nothing counted yet; returns its batch number."""
    return insert_row(
        audit,
        "imports",
        {
            "kind": kind,
            "file_name": name,
            "sha256": digest,
            "rows_in_file": rows,
            "rows_added": 0,
            "rows_updated": 0,
            "rows_unchanged": 0,
            "imported_at": audit.at,
            "imported_by": audit.username,
        },
    )


def finish_batch(
    audit: AuditWriter, import_id: int, added: int, updated: int, unchanged: int
) -> None:
    """Record what an import added, updated and found already there."""
    update_row(
        audit,
        "imports",
        import_id,
        {"rows_added": added, "rows_updated": updated, "rows_unchanged": unchanged},
        versioned=False,
    )
