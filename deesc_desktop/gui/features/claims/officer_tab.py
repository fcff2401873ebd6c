"""The officer dialog's Bonus claims tab: the officer's claims, loaded when shown."""

from __future__ import annotations

from PySide6.QtCore import Qt

from deesc_desktop.core.money import format_money
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.features.claims.models import ClaimColumn, ClaimsModel
from deesc_desktop.gui.widgets import LoadingTab, table_view
from deesc_desktop.store.claims import ClaimRow, list_claims


class ClaimsTab(LoadingTab):
    """The officer's bonus claims in every state."""

    def __init__(self, ctx: AppContext, officer_id: int) -> None:
        super().__init__(ctx, officer_id)
        self.model = ClaimsModel(self)
        self.view = table_view(
            self.model,
            widths={ClaimColumn.ID: 7, ClaimColumn.PROGRAM: 30, ClaimColumn.AMOUNT: 14},
            sort=(ClaimColumn.ID, Qt.SortOrder.DescendingOrder),
        )
        self.view.hideColumn(ClaimColumn.OFFICER)
        self.view.hideColumn(ClaimColumn.BADGE)
        self.layout_.addWidget(self.view, 1)
        self.start(lambda db: list_claims(db, officer_id=officer_id), self.show_claims)

    def show_claims(self, claims: list[ClaimRow]) -> None:
        self.model.set_rows(claims)
        paid = sum(c.net for c in claims if c.status == "paid")
        open_ = [c for c in claims if c.status in ("draft", "submitted", "approved")]
        if not claims:
            self.summary.setText("No bonus claims.")
            return
        self.summary.setText(
            f"{len(claims)} claim{'s' if len(claims) != 1 else ''}: "
            f"<b>{format_money(paid)}</b> paid, {len(open_)} still open."
        )
