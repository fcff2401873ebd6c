"""Class files: what each state wants kept for a class, and what a file still lacks."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

DOCUMENT_KINDS: dict[str, str] = {
    "sign_in_sheet": "Sign-in sheet (signed, with state IDs)",
    "state_roster": "State-approved roster",
    "learning_objectives": "Learning objectives",
    "lesson_plan": "Lesson plan",
    "instructor_bio": "Instructor biography",
    "assessment": "Tests and assessment instruments",
    "certificate": "Certificate of completion",
    "other": "Other document",
}
"""What an attached document is; the checklists name these codes."""

CHECKLISTS: dict[str, tuple[str, ...]] = {
    # 37 TAC 218 course files: the original sign-in roster with each student's TCOLE PID, the
    # roster reported to TCOLE, learning objectives, lesson plan, instructor biographies and
    # the assessment instruments.
    "TX": (
        "sign_in_sheet",
        "state_roster",
        "learning_objectives",
        "lesson_plan",
        "instructor_bio",
        "assessment",
    ),
}
"""Per state: the documents every class file must hold."""

GENERIC_CHECKLIST: tuple[str, ...] = (
    "sign_in_sheet",
    "lesson_plan",
    "learning_objectives",
    "instructor_bio",
)
"""What any auditor asks for where the state publishes no list: who came, what was taught,
and who taught it."""


def checklist(state: str) -> tuple[str, ...]:
    """The documents a class file must hold in this state (the generic list elsewhere)."""
    return CHECKLISTS.get(state.strip().upper(), GENERIC_CHECKLIST)


def checklist_source(state: str) -> str:
    """Where the state's list comes from, to print beside it."""
    if state.strip().upper() == "TX":
        return "Texas course file requirements (37 TAC 218)"
    return "the generic list (this state publishes none; agency policy)"


def missing_documents(
    state: str, kinds_held: Collection[str], *, instructor_has_bio: bool = False
) -> tuple[str, ...]:
    """The checklist's documents a class file lacks, in checklist order.

    The biography of the instructor picked for the class counts for "instructor_bio": it is
    kept once, on the instructor, rather than copied into every class they teach.
    """
    held = set(kinds_held)
    if instructor_has_bio:
        held.add("instructor_bio")
    return tuple(kind for kind in checklist(state) if kind not in held)


@dataclass(frozen=True, slots=True)
class InstructorCertification:
    """A certification an instructor holds (e.g. "TCOLE instructor"), valid through `expires`."""

    name: str
    earned: date
    expires: date | None = None


def lapsed_before(
    certifications: Iterable[InstructorCertification], class_day: date
) -> list[InstructorCertification]:
    """The certifications that had lapsed by the class date and were not renewed by then.

    Certifications are grouped by name (case aside); for each, the latest one earned on or
    before the class date decides. One expiring on the class date itself still covers it.
    """
    latest: dict[str, InstructorCertification] = {}
    for held in certifications:
        if held.earned > class_day:
            continue
        key = held.name.strip().casefold()
        known = latest.get(key)
        if known is None or (held.expires or date.max) > (known.expires or date.max):
            latest[key] = held
    return sorted(
        (held for held in latest.values() if held.expires is not None and held.expires < class_day),
        key=lambda held: (held.expires or date.max, held.name.casefold()),
    )


def lapse_text(
    lapsed: Iterable[InstructorCertification], day: date, *, before: str = "the class on"
) -> str:
    """'ICAT trainer expired 2025-03-01, before the class on 2025-06-10', or ""."""
    parts = [f"{held.name} expired {held.expires}" for held in lapsed if held.expires]
    if not parts:
        return ""
    event = f"{before} " if before else ""
    return f"{'; '.join(parts)}, before {event}{day.isoformat()}"
