"""What the feature pages add to others (dashboard cards, officer tabs), without the pages.

The dashboard is built first, before any other page module is imported; so the cards and
tabs of the compliance, CIT, bonus-claims and audit pages are registered here, once per
process, and only for the pages that are installed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from deesc_desktop.gui import cards
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.dialogs.officer_detail import register_officer_tab
from deesc_desktop.gui.pages import PageId, is_available, spec

# The tabs' modules (and the models and services they bring) are imported when an officer
# dialog first shows them, not before the main window.


def _compliance_tab(ctx: AppContext, officer_id: int) -> QWidget:
    from deesc_desktop.gui.dialogs.officer_tabs import ComplianceTab

    return ComplianceTab(ctx, officer_id)


def _cit_tab(ctx: AppContext, officer_id: int) -> QWidget:
    from deesc_desktop.gui.dialogs.officer_tabs import CitTab

    return CitTab(ctx, officer_id)


def _claims_tab(ctx: AppContext, officer_id: int) -> QWidget:
    from deesc_desktop.gui.dialogs.officer_tabs import ClaimsTab

    return ClaimsTab(ctx, officer_id)


def _history_tab(ctx: AppContext, officer_id: int) -> QWidget:
    from deesc_desktop.gui.pages.audit import HistoryTab

    return HistoryTab(ctx, officer_id)


def _register() -> None:
    if is_available(spec(PageId.COMPLIANCE)):
        cards.register_compliance_cards()
        register_officer_tab("Compliance", _compliance_tab, order=10)
    if is_available(spec(PageId.CIT)):
        cards.register_cit_card()
        register_officer_tab("CIT", _cit_tab, order=20)
    if is_available(spec(PageId.BONUS_CLAIMS)):
        cards.register_budget_card()
        register_officer_tab("Bonus claims", _claims_tab, order=30)
    if is_available(spec(PageId.AUDIT)):
        register_officer_tab("History", _history_tab, order=90)


_register()
