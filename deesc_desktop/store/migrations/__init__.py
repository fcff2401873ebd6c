"""The schema as numbered sqlite-utils migrations; each runs in one transaction with its record."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from deesc_desktop.store.migrations.checks import m017_checks_as_comparisons
from deesc_desktop.store.migrations.cit_and_claims import m003_cit_and_claims
from deesc_desktop.store.migrations.files import m009_files_course_files, m009_files_incidents
from deesc_desktop.store.migrations.foundation import (
    m001_initial,
    m002_requirements,
    m004_users,
    m016_one_officer_index,
)
from deesc_desktop.store.migrations.money import m008_money_controls
from deesc_desktop.store.migrations.rules import (
    m005_rules_cit,
    m005_rules_topics,
    m005_rules_waivers,
)
from deesc_desktop.store.migrations.summary import m014_summary_cache, m015_summary_needs
from deesc_desktop.store.migrations.trust import m007_trust_seal, m013_audit_compact

migrations = Migrations("deesc")
# The one ordered list of steps: a file records each by its function's name, so a step is
# never renamed or moved, and a new one is appended at the end.
for _step in (
    m001_initial,
    m002_requirements,
    m003_cit_and_claims,
    m004_users,
    m005_rules_topics,
    m005_rules_waivers,
    m005_rules_cit,
    m007_trust_seal,
    m008_money_controls,
    m009_files_course_files,
    m009_files_incidents,
    m013_audit_compact,
    m014_summary_cache,
    m015_summary_needs,
    m016_one_officer_index,
    m017_checks_as_comparisons,
):
    migrations()(_step)


def known_names() -> list[str]:
    """Names of every migration this version of the app knows, in order."""
    # pending() against an empty in-memory database lists every step, without private API.
    return [
        migration.name
        for migration in migrations.pending(Database(memory=True, execute_plugins=False))
    ]
