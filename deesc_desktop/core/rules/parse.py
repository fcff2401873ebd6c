"""Reading rule packs: TOML text or a stored requirement's JSON into the model, checked.

Every problem found is reported at once.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from typing import Any

from deesc_desktop.core.rules.fields import Problems
from deesc_desktop.core.rules.model import Requirement, RequirementKind, RulePack, RulePackError
from deesc_desktop.core.rules.schema import PACK, PACK_FIELDS, read_requirement
from deesc_desktop.core.rules.walker import Values, walk
from deesc_desktop.core.topics import TOPICS


def parse_pack(
    text: str,
    source_name: str,
    *,
    extra_topics: Iterable[str] | Mapping[str, str] | None = None,
) -> RulePack:
    """Read a rule pack from TOML text; `source_name` (usually the file name) goes in messages.

    `extra_topics` are the agency's own topic codes, accepted alongside the built-in ones and
    the pack's own `[topics]`. Raises RulePackError listing every problem found.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulePackError([f"{source_name}: not valid TOML: {exc}"]) from None
    problems = Problems(source_name)
    pack = walk(data, PACK, problems, allowed=PACK_FIELDS)
    own_topics = pack["topics"] if pack.valid("topics") else ()
    jurisdiction = pack["jurisdiction"] if pack.valid("jurisdiction") else ""
    known = _known_topics(extra_topics)
    known.update(own_topics)

    raw = data.get("requirements", [])
    requirements: list[Requirement] = []
    if not isinstance(raw, list):
        problems.add("requirements", "must be an array of tables: write each as [[requirements]]")
        raw = []
    seen: set[str] = set()
    for index, table in enumerate(raw, start=1):
        label = table.get("id") if isinstance(table, dict) else None
        named = label.strip() if isinstance(label, str) and label.strip() else ""
        problems.requirement = named or f"#{index} (no id)"
        if not isinstance(table, dict):
            problems.add("requirements", f"entry {index} must be a table")
            continue
        found = _requirement(
            read_requirement(table, problems, known, jurisdiction_field=False), jurisdiction
        )
        if named:
            if named in seen:
                problems.add("id", f"'{named}' is used by another requirement in this pack")
                found = None
            seen.add(named)
        if found is not None:
            requirements.append(found)
    problems.requirement = ""
    if problems.messages:
        raise RulePackError(problems.messages)
    return RulePack(
        jurisdiction=jurisdiction,
        name=pack["name"],
        version=pack["version"],
        requirements=tuple(requirements),
        source_name=source_name,
        notes=pack["notes"],
        topics=own_topics,
        checks=pack["checks"],
        does_not_check=pack["does_not_check"],
        verified_on=pack["verified_on"],
    )


def requirement_from_dict(
    data: Mapping[str, Any],
    *,
    extra_topics: Iterable[str] | Mapping[str, str] | None = None,
    source_name: str = "stored requirement",
) -> Requirement:
    """Read a requirement saved by `requirement_to_dict` (or written by hand in that shape),
    with the same checks as a rule-pack file. Raises RulePackError."""
    if not isinstance(data, Mapping):
        raise RulePackError([f"{source_name}: a requirement must be a JSON object"])
    problems = Problems(source_name)
    label = data.get("id")
    problems.requirement = label.strip() if isinstance(label, str) and label.strip() else "(no id)"
    values = read_requirement(
        dict(data), problems, _known_topics(extra_topics), jurisdiction_field=True
    )
    requirement = _requirement(values, "")
    if requirement is None or problems.messages:
        raise RulePackError(
            problems.messages or [f"{source_name}: invalid requirement"], problems.fields
        )
    return requirement


def _known_topics(extra_topics: Iterable[str] | Mapping[str, str] | None) -> dict[str, str]:
    known = dict(TOPICS)
    if isinstance(extra_topics, Mapping):
        known.update(extra_topics)
    elif extra_topics is not None:
        known.update({code: code for code in extra_topics})
    return known


def _requirement(v: Values, jurisdiction: str) -> Requirement | None:
    """The requirement a walk read, or None when anything was wrong (already reported)."""
    if not v.ok:
        return None
    kind: RequirementKind = v["kind"]
    if v.scope["jurisdiction_field"] and v.given("jurisdiction"):
        jurisdiction = v["jurisdiction"]
    return Requirement(
        id=v["id"],
        title=v["title"],
        kind=kind,
        effective_from=v["effective_from"],
        effective_to=v["effective_to"],
        period=v["period"],
        hours=v["hours"],
        courses=v["course"] if kind is RequirementKind.COURSE else v["courses"],
        certification=v["certification"],
        topics=v["topics"],
        delivery=v["delivery"],
        sub_minimums=v["sub_minimums"],
        applies_to=v["applies_to"],
        new_hire=v["new_hire"],
        source=v["source"],
        notes=v["notes"],
        jurisdiction=jurisdiction,
        hours_per_month=v["hours_per_month"],
        make_up=v["make_up"],
        round_required_to=v["round_required_to"],
    )
