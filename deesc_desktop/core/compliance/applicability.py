"""Whether a requirement covers an officer on the as-of date, and if not, why not."""

from __future__ import annotations

from deesc_desktop.core.compliance.context import Context
from deesc_desktop.core.compliance.plan import Compiled
from deesc_desktop.core.rules import DEFAULT_STATUSES


def not_applicable(context: Context, compiled: Compiled) -> str | None:
    """Why the requirement does not cover this officer on the as-of date, or None."""
    requirement = compiled.requirement
    officer = context.officer
    as_of = context.as_of
    if not compiled.in_force:
        until = f" to {requirement.effective_to.isoformat()}" if requirement.effective_to else ""
        return (
            f"Not in force on {as_of.isoformat()} "
            f"(in force from {requirement.effective_from.isoformat()}{until})."
        )
    if officer.hire_date > as_of:
        return f"Hired {officer.hire_date.isoformat()}, after {as_of.isoformat()}."
    status = officer.status
    if status == "separated":
        if officer.separation_date is None or as_of > officer.separation_date:
            when = f" on {officer.separation_date.isoformat()}" if officer.separation_date else ""
            return f"Separated{when}: no longer on the roster."
        # Before the separation date the officer was still serving.
        status = "active"
    if compiled.applies_default and status in DEFAULT_STATUSES:
        return None
    applies = requirement.applies_to
    if status not in applies.statuses:
        return f"Covers officers who are {', '.join(applies.statuses)}; this officer is {status}."
    licensed = officer.license_date or officer.hire_date
    licence_word = "licensed" if officer.license_date else "hired (no licence date recorded)"
    if applies.licensed_before is not None and not licensed < applies.licensed_before:
        return (
            f"Covers officers licensed before {applies.licensed_before.isoformat()}; "
            f"this officer was {licence_word} {licensed.isoformat()}."
        )
    if applies.licensed_on_or_after is not None and licensed < applies.licensed_on_or_after:
        return (
            f"Covers officers licensed on or after {applies.licensed_on_or_after.isoformat()}; "
            f"this officer was {licence_word} {licensed.isoformat()}."
        )
    if applies.hired_before is not None and not officer.hire_date < applies.hired_before:
        return (
            f"Covers officers hired before {applies.hired_before.isoformat()}; "
            f"this officer was hired {officer.hire_date.isoformat()}."
        )
    if applies.hired_on_or_after is not None and officer.hire_date < applies.hired_on_or_after:
        return (
            f"Covers officers hired on or after {applies.hired_on_or_after.isoformat()}; "
            f"this officer was hired {officer.hire_date.isoformat()}."
        )
    for values, have, what in (
        (compiled.ranks, officer.rank, "rank"),
        (compiled.units, officer.unit, "unit"),
        (compiled.shifts, officer.shift, "shift"),
    ):
        if values and have.strip().casefold() not in values:
            listed = ", ".join(getattr(applies, what + "s"))
            return f"Covers {what} {listed} only; this officer's {what} is {have or 'not set'}."
    for values, have, what in (
        (compiled.except_ranks, officer.rank, "rank"),
        (compiled.except_units, officer.unit, "unit"),
    ):
        if values and have.strip().casefold() in values:
            listed = ", ".join(getattr(applies, f"except_{what}s"))
            return f"Does not cover the {what}s {listed}; this officer's {what} is {have}."
    if compiled.unless_certified:
        cert = context.holds(compiled.unless_certified, as_of)
        if cert is not None:
            return f"Not required of officers holding the {cert.kind} certification."
    return None
