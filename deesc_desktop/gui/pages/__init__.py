"""The page registry: every page of the main window, in navigation order.

A page lives in its own module under deesc_desktop/gui/pages/ that defines
`create_page(ctx: AppContext, actions: ActionRegistry) -> Page`. A page whose module does not
exist yet (compliance, CIT, bonus claims, reports) stays registered but is left out of the
navigation and the View menu, so nothing pretends to be a feature; adding the module is all
it takes to make the page appear.

Page modules are imported when their page is first built (the Reports page alone brings
ReportLab). What a page adds to others, dashboard cards and officer-dialog tabs, is
registered by gui/features.py, which does not import the pages.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from deesc_desktop.gui.action_table import ActionId

if TYPE_CHECKING:
    from deesc_desktop.gui.actions import ActionRegistry
    from deesc_desktop.gui.context import AppContext
    from deesc_desktop.gui.pages.base import Page


class PageId(StrEnum):
    """Every page; the value names the page in settings and screenshot files."""

    DASHBOARD = "dashboard"
    ROSTER = "roster"
    TRAINING = "training"
    COMPLIANCE = "compliance"
    TRAINING_DUE = "training_due"
    CIT = "cit"
    BONUS_CLAIMS = "bonus_claims"
    REPORTS = "reports"
    AUDIT = "audit"
    COURSE_FILES = "course_files"
    INCIDENTS = "incidents"
    SETTINGS = "settings"


@dataclass(frozen=True, slots=True)
class PageSpec:
    """A page: its title and icon in the navigation, its module, its View menu action."""

    id: PageId
    title: str
    icon: str
    module: str
    view_action: ActionId
    description: str
    requires: str = ""
    """A package the page needs besides its own module (e.g. the report renderers)."""


def _module(name: str) -> str:
    return f"{__name__}.{name}"


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        PageId.DASHBOARD,
        "Dashboard",
        "dashboard",
        _module("dashboard"),
        ActionId.VIEW_DASHBOARD,
        "The department at a glance",
    ),
    PageSpec(
        PageId.ROSTER,
        "Roster",
        "roster",
        _module("roster"),
        ActionId.VIEW_ROSTER,
        "Officers, their status and details",
    ),
    PageSpec(
        PageId.TRAINING,
        "Training",
        "training",
        _module("training"),
        ActionId.VIEW_TRAINING,
        "Classes recorded for each officer",
    ),
    PageSpec(
        PageId.COMPLIANCE,
        "Compliance",
        "compliance",
        _module("compliance"),
        ActionId.VIEW_COMPLIANCE,
        "Who meets the state's in-service requirements",
    ),
    PageSpec(
        PageId.TRAINING_DUE,
        "Training due",
        "calendar",
        _module("training_due"),
        ActionId.VIEW_TRAINING_DUE,
        "Who needs what in the next 30, 60 or 90 days",
    ),
    PageSpec(
        PageId.CIT,
        "CIT",
        "cit",
        _module("cit"),
        ActionId.VIEW_CIT,
        "Crisis Intervention Team certification and coverage",
    ),
    PageSpec(
        PageId.BONUS_CLAIMS,
        "Bonus claims",
        "claims",
        _module("claims"),
        ActionId.VIEW_BONUS_CLAIMS,
        "De-escalation completion bonus claims",
    ),
    PageSpec(
        PageId.REPORTS,
        "Reports",
        "reports",
        _module("reports"),
        ActionId.VIEW_REPORTS,
        "Printable compliance and payment reports",
        requires="deesc_desktop.reports",
    ),
    PageSpec(
        PageId.AUDIT,
        "Audit log",
        "details",
        _module("audit"),
        ActionId.VIEW_AUDIT,
        "Who changed what, and when; the audit chain's check",
    ),
    PageSpec(
        PageId.COURSE_FILES,
        "Course files",
        "class",
        _module("course_files"),
        ActionId.VIEW_COURSE_FILES,
        "Each class's file: sign-in sheet, lesson plan, instructor; what it still lacks",
    ),
    PageSpec(
        PageId.INCIDENTS,
        "Incidents",
        "incident",
        _module("incidents"),
        ActionId.VIEW_INCIDENTS,
        "De-escalation and use-of-force interactions, for LEDTA reporting (no names)",
    ),
    PageSpec(
        PageId.SETTINGS,
        "Settings",
        "settings",
        _module("settings_page"),
        ActionId.VIEW_SETTINGS,
        "Agency details, database and backups",
    ),
)


def spec(page_id: PageId) -> PageSpec:
    return next(page for page in PAGES if page.id == page_id)


def is_available(page: PageSpec) -> bool:
    """True when the page's module, and what it requires, are installed."""
    if page.requires and importlib.util.find_spec(page.requires) is None:
        return False
    return importlib.util.find_spec(page.module) is not None


def available_pages() -> list[PageSpec]:
    return [page for page in PAGES if is_available(page)]


def register_features() -> None:
    """Register the dashboard cards and officer tabs of every installed page, once.

    Done before the dashboard is built, so that it sees those cards.
    """
    importlib.import_module("deesc_desktop.gui.features")


def create_page(page: PageSpec, ctx: AppContext, actions: ActionRegistry) -> Page:
    module = importlib.import_module(page.module)
    return module.create_page(ctx, actions)
