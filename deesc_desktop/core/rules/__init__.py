"""Training requirements and the rule-pack format.

`model` holds what the domain uses (requirements, packs); `parse` reads TOML text or a
stored requirement's JSON into it, checked by one walker (`walker`) against the format
written as data (`schema`, with the field readers in `fields`); `json_form` writes a
requirement back in that shape for the store. Files are read outside core
(`services.rule_files`).
"""

from deesc_desktop.core.rules.json_form import requirement_to_dict
from deesc_desktop.core.rules.model import (
    DEFAULT_STATUSES,
    Applicability,
    MakeUp,
    NewHire,
    Requirement,
    RequirementKind,
    RulePack,
    RulePackError,
    SubMinimum,
    short_title,
)
from deesc_desktop.core.rules.parse import parse_pack, requirement_from_dict
from deesc_desktop.core.rules.schema import (
    APPLIES_TO_FIELDS,
    PACK_FIELDS,
    PERIOD_FIELDS,
    REQUIREMENT_FIELDS,
    SUB_MINIMUM_FIELDS,
)

__all__ = [
    "APPLIES_TO_FIELDS",
    "DEFAULT_STATUSES",
    "PACK_FIELDS",
    "PERIOD_FIELDS",
    "REQUIREMENT_FIELDS",
    "SUB_MINIMUM_FIELDS",
    "Applicability",
    "MakeUp",
    "NewHire",
    "Requirement",
    "RequirementKind",
    "RulePack",
    "RulePackError",
    "SubMinimum",
    "parse_pack",
    "requirement_from_dict",
    "requirement_to_dict",
    "short_title",
]
