"""Roles and what each may do: the one authorisation matrix that every service checks."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """A user's job in the department, which decides what they may change."""

    ADMIN = "admin"
    TRAINING_OFFICER = "training_officer"
    CHIEF = "chief"
    FINANCE = "finance"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.ADMIN: "Administrator",
    Role.TRAINING_OFFICER: "Training officer",
    Role.CHIEF: "Chief",
    Role.FINANCE: "Finance",
    Role.VIEWER: "Viewer (read-only)",
}


class Permission(StrEnum):
    """One kind of operation; services name the permission they need."""

    VIEW = "view records"
    MANAGE_AGENCY = "change agency settings"
    MANAGE_OFFICERS = "add or change officers"
    RECORD_TRAINING = "record training"
    CORRECT_TRAINING = "edit or delete training records"
    MANAGE_LEAVE = "record leave and exemptions"
    IMPORT = "import files"
    MANAGE_REQUIREMENTS = "change requirements"
    BACKUP = "back up the database"
    RESTORE = "restore a backup"
    RESTORE_VERSIONS = "put a record back as it was before a change in the audit log"
    MANAGE_USERS = "manage users and sign-in"
    MANAGE_CIT = "manage CIT courses, certificates and settings"
    MANAGE_PROGRAMS = "set up bonus programs"
    MANAGE_FUNDING = "manage funding sources"
    SUBMIT_CLAIMS = "prepare and submit bonus claims"
    APPROVE_CLAIMS = "approve, deny or void approved bonus claims"
    PAY_CLAIMS = "pay bonus claims and payment batches"
    MANAGE_COURSE_FILES = "keep class files, their documents and instructors"
    RECORD_INCIDENTS = "enter de-escalation and use-of-force incidents"
    REVIEW_INCIDENTS = "review de-escalation and use-of-force incidents"


_EVERYONE = {Permission.VIEW}
_TRAINING = {
    Permission.MANAGE_OFFICERS,
    Permission.RECORD_TRAINING,
    Permission.CORRECT_TRAINING,
    Permission.MANAGE_LEAVE,
    Permission.IMPORT,
    Permission.BACKUP,
    Permission.MANAGE_CIT,
    Permission.SUBMIT_CLAIMS,
    Permission.MANAGE_COURSE_FILES,
    Permission.RECORD_INCIDENTS,
}
# Money is split three ways: the chief sets programs up and decides claims, the training
# officer claims, finance pays. Nobody but an administrator holds two of those.
_CHIEF = {
    Permission.BACKUP,
    Permission.MANAGE_PROGRAMS,
    Permission.APPROVE_CLAIMS,
    # The training officer enters incidents; the chief reviews them, as with claims.
    Permission.REVIEW_INCIDENTS,
}
_FINANCE = {Permission.MANAGE_FUNDING, Permission.PAY_CLAIMS}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.TRAINING_OFFICER: frozenset(_EVERYONE | _TRAINING | {Permission.MANAGE_REQUIREMENTS}),
    Role.CHIEF: frozenset(_EVERYONE | _CHIEF),
    Role.FINANCE: frozenset(_EVERYONE | _FINANCE),
    Role.VIEWER: frozenset(_EVERYONE),
}
"""Who may do what. A test walks every role x every permission against this table."""


@dataclass(frozen=True, slots=True)
class Actor:
    """The signed-in user on whose behalf a service runs; their name goes in the audit log."""

    username: str
    role: Role

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]


SYSTEM = Actor("system", Role.ADMIN)
"""The actor for work the app does by itself (demo data, migrations, scheduled backups)."""
