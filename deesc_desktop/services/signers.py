"""Who signs a printed report and who prepared it: saved per report kind, never guessed.

A report's signature lines name the signer saved for its kind, else the agency's default
signer, else nobody (the name is written by hand). The roster's ranks are not consulted:
the person who attests is the agency's choice (a chief, sheriff, director or marshal), and
a roster may hold several or none.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission
from deesc_desktop.services.errors import ValidationError, require
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.database import writing
from deesc_desktop.store.settings import put_setting
from deesc_desktop.store.signers import saved_signer, saved_signers, signer_key
from deesc_desktop.store.users import user_full_name

DEFAULT_SLOT = "default"
FINANCE_SLOT = "finance"
"""The finance officer who verifies and pays: the second line of the payment register and
the batch voucher."""

SIGNER_TITLES = (
    "Chief of Police",
    "Sheriff",
    "Director of Public Safety",
    "Marshal",
    "Finance Director",
)
"""Titles a form offers; any other may be typed."""

NAME_LIMIT = 80


@dataclass(frozen=True, slots=True)
class Signer:
    """A name and title for a signature line; both "" leave the line to be written by hand."""

    name: str = ""
    title: str = ""

    @property
    def printed(self) -> str:
        """'Ana Peña, Chief of Police', or whichever part is known."""
        return ", ".join(part for part in (self.name, self.title) if part)


def signer_for(db: Database, slot: str) -> Signer:
    """The signer saved for `slot` (a report kind, or "finance"), else the default signer
    (for report kinds), else a blank signer."""
    found = saved_signer(db, slot)
    if (found is None or not any(found)) and slot != FINANCE_SLOT:
        found = saved_signer(db, DEFAULT_SLOT)
    return Signer(*found) if found else Signer()


def all_signers(db: Database) -> dict[str, Signer]:
    """Every saved signer by slot."""
    return {slot: Signer(name, title) for slot, (name, title) in saved_signers(db).items()}


def save_signer(db: Database, actor: Actor, slot: str, name: str, title: str) -> bool:
    """Save the signer of a report kind (or the default, or finance); audited. Returns whether
    anything changed. An empty name and title clear the slot's own signer."""
    require(actor, Permission.MANAGE_AGENCY)
    slot = slot.strip().lower()
    if not slot or not all(c.isalnum() or c in "_-" for c in slot):
        raise ValidationError({"slot": f'"{slot}" is not a report kind'})
    name, title = " ".join(name.split()), " ".join(title.split())
    for field, value in (("name", name), ("title", title)):
        if len(value) > NAME_LIMIT:
            raise ValidationError({field: f"is longer than {NAME_LIMIT} characters"})
    with writing(db):
        audit = AuditWriter(db, actor.username)
        changed = put_setting(audit, signer_key(slot, "name"), name)
        return put_setting(audit, signer_key(slot, "title"), title) or changed


def prepared_by(db: Database, actor: Actor) -> str:
    """'Sgt. Rosa Delgado (sgt.delgado)', or the user name alone when no full name is known."""
    full = user_full_name(db, actor.username)
    return f"{full} ({actor.username})" if full and full != actor.username else actor.username
