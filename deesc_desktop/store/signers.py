"""Who signs printed reports: the signers saved per report kind, in the agency settings."""

from __future__ import annotations

from sqlite_utils import Database

from deesc_desktop.store.settings import read_settings, settings_starting

SIGNER_PREFIX = "reports.signer."
"""Settings keys `reports.signer.<slot>.name` and `.title`; a slot is a report kind,
"default" (every report without its own) or "finance" (the payment lines)."""


def signer_key(slot: str, field: str) -> str:
    return f"{SIGNER_PREFIX}{slot}.{field}"


def saved_signers(db: Database) -> dict[str, tuple[str, str]]:
    """slot -> (name, title) for every slot with a saved name or title."""
    found: dict[str, list[str]] = {}
    for key, value in settings_starting(db, SIGNER_PREFIX).items():
        slot, _, field = key[len(SIGNER_PREFIX) :].rpartition(".")
        if slot and field in ("name", "title"):
            found.setdefault(slot, ["", ""])[0 if field == "name" else 1] = value
    return {slot: (name, title) for slot, (name, title) in found.items()}


def saved_signer(db: Database, slot: str) -> tuple[str, str] | None:
    """(name, title) saved for one slot, or None."""
    stored = read_settings(db, [signer_key(slot, "name"), signer_key(slot, "title")])
    if not stored:
        return None
    return stored.get(signer_key(slot, "name"), ""), stored.get(signer_key(slot, "title"), "")
