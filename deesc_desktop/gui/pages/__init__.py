"""The page registry: every page of the main window, in navigation order, and what each page
adds to others (dashboard cards, officer-dialog tabs). One place says what a feature adds.

A page lives in a module that defines
`create_page(ctx: AppContext, actions: ActionRegistry) -> Page`. Page modules, and the cards
and tabs, are named here by dotted path and imported when first needed: the first page (the
dashboard) appears without the other pages' modules or ReportLab, and builds its cards without
importing the pages that registered them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from deesc_desktop.gui.action_table import ActionId

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

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
class CardSpec:
    """A dashboard card a page adds: `factory` ("module:name") builds it from the context.

    If the widget has a `refresh()` method, the dashboard calls it whenever it reloads. Cards
    are laid out by `order`, lowest first; `columns` is how many grid columns it spans.
    """

    factory: str
    order: int
    columns: int = 1


@dataclass(frozen=True, slots=True)
class TabSpec:
    """A tab a page adds to every officer dialog: `factory` ("module:name") builds it from the
    context and the officer's id. Tabs follow the built-in ones by `order`."""

    title: str
    factory: str
    order: int


@dataclass(frozen=True, slots=True)
class PageSpec:
    """A page: its title and icon in the navigation, its module, its View menu action, and
    the dashboard cards and officer tabs it adds."""

    id: PageId
    title: str
    icon: str
    module: str
    view_action: ActionId
    description: str
    cards: tuple[CardSpec, ...] = ()
    officer_tabs: tuple[TabSpec, ...] = ()


FEATURES = "deesc_desktop.gui.features"


def _page(feature: str) -> str:
    return f"{FEATURES}.{feature}.page"


CARDS = f"{FEATURES}.dashboard.cards"


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        PageId.DASHBOARD,
        "Dashboard",
        "dashboard",
        _page("dashboard"),
        ActionId.VIEW_DASHBOARD,
        "The department at a glance",
    ),
    PageSpec(
        PageId.ROSTER,
        "Roster",
        "roster",
        _page("roster"),
        ActionId.VIEW_ROSTER,
        "Officers, their status and details",
    ),
    PageSpec(
        PageId.TRAINING,
        "Training",
        "training",
        _page("training"),
        ActionId.VIEW_TRAINING,
        "Classes recorded for each officer",
    ),
    PageSpec(
        PageId.COMPLIANCE,
        "Compliance",
        "compliance",
        _page("compliance"),
        ActionId.VIEW_COMPLIANCE,
        "Who meets the state's in-service requirements",
        cards=(
            CardSpec(f"{CARDS}:ComplianceStatusCard", order=10),
            CardSpec(f"{CARDS}:DueSoonCard", order=20),
            CardSpec(f"{CARDS}:ComplianceChartCard", order=40, columns=2),
        ),
        officer_tabs=(
            TabSpec("Compliance", f"{FEATURES}.compliance.officer_tab:ComplianceTab", order=10),
        ),
    ),
    PageSpec(
        PageId.TRAINING_DUE,
        "Training due",
        "calendar",
        _page("training_due"),
        ActionId.VIEW_TRAINING_DUE,
        "Who needs what in the next 30, 60 or 90 days",
    ),
    PageSpec(
        PageId.CIT,
        "CIT",
        "cit",
        _page("cit"),
        ActionId.VIEW_CIT,
        "Crisis Intervention Team certification and coverage",
        cards=(CardSpec(f"{CARDS}:CitCoverageCard", order=30),),
        officer_tabs=(TabSpec("CIT", f"{FEATURES}.cit.officer_tab:CitTab", order=20),),
    ),
    PageSpec(
        PageId.BONUS_CLAIMS,
        "Bonus claims",
        "claims",
        _page("claims"),
        ActionId.VIEW_BONUS_CLAIMS,
        "De-escalation completion bonus claims",
        cards=(CardSpec(f"{CARDS}:BudgetCard", order=50),),
        officer_tabs=(
            TabSpec("Bonus claims", f"{FEATURES}.claims.officer_tab:ClaimsTab", order=30),
        ),
    ),
    PageSpec(
        PageId.REPORTS,
        "Reports",
        "reports",
        _page("reports"),
        ActionId.VIEW_REPORTS,
        "Printable compliance and payment reports",
    ),
    PageSpec(
        PageId.AUDIT,
        "Audit log",
        "details",
        _page("audit"),
        ActionId.VIEW_AUDIT,
        "Who changed what, and when; the audit chain's check",
        officer_tabs=(TabSpec("History", f"{_page('audit')}:HistoryTab", order=90),),
    ),
    PageSpec(
        PageId.COURSE_FILES,
        "Course files",
        "class",
        _page("course_files"),
        ActionId.VIEW_COURSE_FILES,
        "Each class's file: sign-in sheet, lesson plan, instructor; what it still lacks",
    ),
    PageSpec(
        PageId.INCIDENTS,
        "Incidents",
        "incident",
        _page("incidents"),
        ActionId.VIEW_INCIDENTS,
        "De-escalation and use-of-force interactions, for LEDTA reporting (no names)",
    ),
    PageSpec(
        PageId.SETTINGS,
        "Settings",
        "settings",
        _page("settings"),
        ActionId.VIEW_SETTINGS,
        "Agency details, database and backups",
    ),
)


def spec(page_id: PageId) -> PageSpec:
    return next(page for page in PAGES if page.id == page_id)


def load(factory: str) -> Callable[..., QWidget]:
    """The callable a "module:name" path names, its module imported now."""
    module, _, name = factory.partition(":")
    built: Callable[..., QWidget] = getattr(importlib.import_module(module), name)
    return built


def dashboard_cards() -> list[CardSpec]:
    """Every page's dashboard cards, lowest order first."""
    return sorted((card for page in PAGES for card in page.cards), key=lambda card: card.order)


def officer_tabs() -> list[TabSpec]:
    """Every page's officer-dialog tabs, lowest order first."""
    return sorted((tab for page in PAGES for tab in page.officer_tabs), key=lambda tab: tab.order)


def create_page(page: PageSpec, ctx: AppContext, actions: ActionRegistry) -> Page:
    module = importlib.import_module(page.module)
    return module.create_page(ctx, actions)
