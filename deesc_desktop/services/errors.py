"""Refusals a service can give, each with a message fit to show the user as it is."""

from __future__ import annotations

from collections.abc import Mapping

from deesc_desktop.core.auth import Actor, Permission


class ServiceError(Exception):
    """Base of every refusal; str() is the message for the user."""


class ValidationError(ServiceError):
    """Input refused; `field_errors` maps each bad field to its reason, for the form to show."""

    def __init__(self, field_errors: Mapping[str, str], summary: str = "") -> None:
        self.field_errors = dict(field_errors)
        message = summary or "; ".join(
            f"{field}: {reason}" for field, reason in self.field_errors.items()
        )
        super().__init__(message)


class NotFoundError(ServiceError):
    """The record asked for does not exist (any more)."""


class ConflictError(ServiceError):
    """The record changed since it was loaded, or the change would duplicate another record."""


class PermissionDeniedError(ServiceError):
    """The user's role does not allow the operation."""


def require(actor: Actor, permission: Permission) -> None:
    """Refuse unless the actor's role grants `permission`."""
    if not actor.can(permission):
        raise PermissionDeniedError(
            f"{actor.username} ({actor.role.label}) may not {permission.value}."
        )
