"""Certification requirements: a certificate of the kind held on the as-of date."""

from __future__ import annotations

from operator import attrgetter

from deesc_desktop.core.compliance.context import Context
from deesc_desktop.core.compliance.outcome import build_result, unmet_status
from deesc_desktop.core.compliance.plan import Compiled
from deesc_desktop.core.compliance.result import RequirementResult
from deesc_desktop.core.compliance.status import Status


def evaluate_certification(context: Context, compiled: Compiled) -> RequirementResult:
    """Held on the as-of date; expiring within the warning days is `due_soon`."""
    as_of = context.as_of
    kind = compiled.certification
    label = compiled.requirement.certification or kind
    held = context.holds(frozenset({kind}), as_of)
    if held is not None:
        if held.expires is None:
            return build_result(
                context,
                compiled,
                Status.COMPLIANT,
                met=True,
                qualifying_certification_id=held.id,
                details=(f"Holds {label} certification since {held.earned.isoformat()}.",),
            )
        status = unmet_status(context, held.expires)
        return build_result(
            context,
            compiled,
            Status.COMPLIANT if status is Status.IN_PROGRESS else Status.DUE_SOON,
            due=held.expires,
            met=True,
            qualifying_certification_id=held.id,
            details=(
                f"Holds {label} certification since {held.earned.isoformat()}, "
                f"valid until {held.expires.isoformat()}.",
            ),
        )
    lapsed = [
        cert
        for cert in context.certifications
        if cert.kind.casefold() == kind and cert.expires is not None and cert.expires < as_of
    ]
    if lapsed:
        latest = max(lapsed, key=attrgetter("expires"))
        assert latest.expires is not None
        return build_result(
            context,
            compiled,
            Status.NON_COMPLIANT,
            due=latest.expires,
            qualifying_certification_id=latest.id,
            details=(f"The {label} certification lapsed on {latest.expires.isoformat()}.",),
        )
    return build_result(
        context,
        compiled,
        Status.IN_PROGRESS,
        details=(f"No {label} certification held; this requirement has no deadline.",),
    )
