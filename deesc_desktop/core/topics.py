"""Training topic codes and delivery methods known to the product (agencies may add topics)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from difflib import get_close_matches

from deesc_desktop.core.hours import HoursError, format_hours, parse_hours

TOPICS: dict[str, str] = {
    "de_escalation": "De-escalation",
    "use_of_force": "Use of force",
    "crisis_intervention": "Crisis intervention",
    "mental_health": "Mental health",
    "implicit_bias": "Implicit bias",
    "procedural_justice": "Procedural justice",
    "cultural_competency": "Cultural competency",
    "duty_to_intervene": "Duty to intervene",
    "high_risk_traffic_stops": "High-risk traffic stops",
    "firearms": "Firearms",
    "defensive_tactics": "Defensive tactics",
    "emergency_vehicle_operations": "Emergency vehicle operations",
    "legal_updates": "Legal updates",
    "first_aid": "First aid",
    "active_shooter": "Active shooter response",
    "officer_wellness": "Officer wellness",
    "community_policing": "Community policing",
    "autism_awareness": "Autism awareness",
    "conflict_management": "Conflict management",
    # Added in 2026 for the topics state mandates name (docs/rule-packs.md); codes are stable.
    "domestic_violence": "Domestic violence",
    "sexual_assault": "Sexual assault / trauma-informed response",
    "child_abuse_reporting": "Child-abuse reporting",
    "human_trafficking": "Human trafficking",
    "civil_rights": "Civil and human rights",
    "constitutional_law": "Constitutional law / Fourth Amendment / search and seizure",
    "bias_free_policing": "Racial and identity profiling / bias-free policing",
    "bias_crimes": "Crimes motivated by bias",
    "ethics": "Ethics",
    "tactical_communications": "Strategic / tactical communications",
    "officer_safety": "Officer safety",
    "disabilities": "People with disabilities (incl. intellectual and developmental)",
    "dementia_missing_persons": "Dementia and missing persons",
    "hazmat": "Hazardous materials",
    "legislative_update": "Legislative update",
    "firearms_restraining_order": "Firearms Restraining Order Act",
    "holds_and_restraints": "Holds and restraints",
    "mmir": "Missing and murdered Indigenous relatives",
    "school_threat_assessment": "School threat assessment",
    "arrest_search_seizure": "Arrest, search and seizure",
}
"""Built-in topic codes and their labels; the agency's own codes live in the `topics` table.

Codes are never renamed or removed, so records and agency files keep their meaning. The last
five were first defined by the Colorado and Ohio packs' own `[topics]`; they are built in now
so an agency of any state can tag classes with them.
"""

TOPICS_BEFORE_M005: tuple[str, ...] = (
    "de_escalation",
    "use_of_force",
    "crisis_intervention",
    "mental_health",
    "implicit_bias",
    "procedural_justice",
    "cultural_competency",
    "duty_to_intervene",
    "high_risk_traffic_stops",
    "firearms",
    "defensive_tactics",
    "emergency_vehicle_operations",
    "legal_updates",
    "first_aid",
    "active_shooter",
    "officer_wellness",
    "community_policing",
    "autism_awareness",
    "conflict_management",
)
"""The built-in codes as the first schema (m001) wrote them; m005 adds the rest."""

DELIVERIES: dict[str, str] = {
    "classroom": "Classroom",
    "online": "Online",
    "scenario": "Scenario-based",
}
"""How a class was delivered; "scenario" counts toward scenario-based minimums (e.g. Illinois)."""

OFFICER_STATUSES: dict[str, str] = {
    "active": "Active",
    "leave": "On leave",
    "separated": "Separated",
}
"""Roster status of an officer; separated officers keep their history and are never deleted."""


def parse_topic_hours(text: str, total: int, known: Collection[str]) -> tuple[tuple[str, int], ...]:
    """Read a topic split as the import files write it, checked against the total (centihours).

    `text` is one code (every hour to it) or `code:hours;code:hours` summing to the total.
    Raises ValueError with a message for the user.
    """
    text = (text or "").strip()
    if not text:
        raise ValueError("at least one topic is required")
    parts = [part.strip() for part in text.split(";") if part.strip()]
    if len(parts) == 1 and ":" not in parts[0]:
        code = parts[0].lower()
        _check_code(code, known)
        return ((code, total),)
    split: dict[str, int] = {}
    for part in parts:
        code, sep, hours_text = part.partition(":")
        code = code.strip().lower()
        if not sep:
            raise ValueError(f'"{part}" needs hours, as in {code}:2.0')
        _check_code(code, known)
        if code in split:
            raise ValueError(f'topic "{code}" is listed twice')
        try:
            split[code] = parse_hours(hours_text)
        except HoursError as exc:
            raise ValueError(f"{code}: {exc}") from None
    added = sum(split.values())
    if added != total:
        raise ValueError(
            f"topic hours add up to {format_hours(added)} but the class is {format_hours(total)} h"
        )
    return tuple(split.items())


def _check_code(code: str, known: Collection[str]) -> None:
    if code not in known:
        close = get_close_matches(code, list(known), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise ValueError(f'unknown topic "{code}"{hint}')


def format_topic_hours(split: Iterable[tuple[str, int]]) -> str:
    """The inverse of parse_topic_hours: "de_escalation:2.0;use_of_force:2.0"."""
    return ";".join(f"{code}:{format_hours(hours)}" for code, hours in split)


def mid_sentence(text: str) -> str:
    """A label as it reads mid-sentence: 'Use of force' -> 'use of force', but
    'CIT refresher' stays as it is."""
    # Only a plain phrase is lowered: "Firearms Restraining Order Act" keeps its capitals.
    words = text.split()
    if (
        len(text) > 1
        and text[0].isupper()
        and not text[1].isupper()
        and not any(word[0].isupper() for word in words[1:])
    ):
        return text[0].lower() + text[1:]
    return text


def topic_words(code: str) -> str:
    """A topic as it reads mid-sentence: "use_of_force" -> "use of force"."""
    return mid_sentence(TOPICS.get(code, code.replace("_", " ")))
