"""The bonus claims page: the claim queue by status with its workflow, payment batches,
programs, funding sources, and the additions and award changes a chief approves."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QWidget,
)

from deesc_desktop.core.money import format_money
from deesc_desktop.core.wording import plural
from deesc_desktop.gui import prompts, workers
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.actions import ActionRegistry
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.features.claims.dialogs import (
    AdjustmentDialog,
    BatchDialog,
    EligibleDialog,
    ask_claim_reason,
)
from deesc_desktop.gui.features.claims.funding_dialogs import FundingDialog, ProgramDialog
from deesc_desktop.gui.features.claims.view import ClaimsView
from deesc_desktop.gui.operations import USER_ERRORS, ask_export_path
from deesc_desktop.gui.pages.base import Page
from deesc_desktop.services.claim_workflow import (
    approve_adjustment,
    approve_claims,
    deny_claim,
    reject_adjustment,
    submit_claims,
    void_claim,
)
from deesc_desktop.services.funding import (
    approve_award_change,
    batch_summary,
    export_payment_batch,
    pay_batch,
    reject_award_change,
)
from deesc_desktop.store.claims import ClaimRow


class ClaimsPage(ClaimsView):
    """The claims workflow, run on what the view has selected."""

    def __init__(
        self, ctx: AppContext, actions: ActionRegistry, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actions, parent)
        actions.connect(ActionId.FIND_ELIGIBLE, self.find_eligible)
        actions.connect(ActionId.SUBMIT_CLAIMS, self.submit_selected)
        actions.connect(ActionId.APPROVE_CLAIMS, self.approve_selected)
        actions.connect(ActionId.DENY_CLAIM, self.deny_selected)
        actions.connect(ActionId.VOID_CLAIM, self.void_selected)
        actions.connect(ActionId.CREATE_BATCH, self.create_batch)
        actions.connect(ActionId.EXPORT_BATCH, self.export_batch)
        actions.connect(ActionId.PAY_BATCH, self.pay_selected_batch)
        actions.connect(ActionId.ADD_PROGRAM, self.add_program)
        actions.connect(ActionId.ADD_FUNDING, self.add_funding)
        actions.connect(ActionId.EDIT_FUNDING, self.edit_funding)
        actions.connect(ActionId.ADJUST_CLAIM, self.adjust_selected)
        actions.connect(ActionId.APPROVE_ADJUSTMENT, self.approve_adjustment)
        actions.connect(ActionId.REJECT_ADJUSTMENT, self.reject_adjustment)
        actions.connect(ActionId.APPROVE_AWARD_CHANGE, self.approve_award_change)
        actions.connect(ActionId.REJECT_AWARD_CHANGE, self.reject_award_change)

    # --- the workflow -----------------------------------------------------------------------------

    def _run(self, title: str, step: Callable[[], object]) -> bool:
        """Run one service step; a refusal is shown in the service's own words."""
        try:
            step()
        except USER_ERRORS as exc:
            prompts.error(self, title, str(exc))
            self.ctx.bus.check()  # refused as out of date: show what another PC wrote
            return False
        return True

    def _done(self, text: str) -> None:
        window = self.window()
        show = getattr(window, "show_message", None)
        if callable(show):
            show(text)

    def find_eligible(self) -> None:
        program = self.program.currentData()
        dialog = EligibleDialog(self.ctx, program, self)
        if prompts.run_dialog(dialog) and dialog.created:
            created = list(dialog.created)
            self.show_status("draft")
            # The list reloads on a worker: select the new drafts once they are in it.
            self.loaded.connect(
                lambda: self.select_claims(created), Qt.ConnectionType.SingleShotConnection
            )
            self._done(f"{plural(len(dialog.created), 'draft claim')} created.")

    def submit_selected(self) -> bool:
        claims = self._in("draft")
        if not claims:
            return False
        ids = [c.id for c in claims]
        done = self._run(
            "Could not submit", lambda: submit_claims(self.ctx.db, self.ctx.actor, ids)
        )
        if done:
            self._done(f"{plural(len(ids), 'claim')} submitted for approval.")
        return done

    def approve_selected(self) -> bool:
        claims = self._in("submitted")
        if not claims:
            return False
        total = sum(c.amount for c in claims)
        sources = sorted({c.funding_source for c in claims})
        if not prompts.confirm(
            self,
            "Approve claims",
            f"Approve {plural(len(claims), 'claim')} for {format_money(total)}, committing the "
            f"money from {', '.join(sources)}?",
            ok_text="Approve",
        ):
            return False
        ids = [c.id for c in claims]
        done = self._run(
            "Could not approve", lambda: approve_claims(self.ctx.db, self.ctx.actor, ids)
        )
        if done:
            self._done(f"{plural(len(ids), 'claim')} approved: {format_money(total)} committed.")
        return done

    def _each(self, verb: str, claims: list[ClaimRow], step: Callable[[int, str], None]) -> bool:
        if not claims:
            return False
        reason = ask_claim_reason(self, verb, claims)
        if reason is None:
            return False
        done = 0
        try:
            for claim in claims:
                step(claim.id, reason)
                done += 1
        except USER_ERRORS as exc:
            prompts.error(self, f"Could not {verb} every claim", f"{exc}\n\n{done} done before it.")
        if done:
            self._done(f"{plural(done, 'claim')} {verb}{'d' if verb.endswith('e') else 'ed'}.")
        return done == len(claims)

    def deny_selected(self) -> bool:
        return self._each(
            "deny",
            self._in("submitted"),
            lambda claim_id, why: deny_claim(self.ctx.db, self.ctx.actor, claim_id, reason=why),
        )

    def void_selected(self) -> bool:
        claims = [
            c for c in self.selected_claims() if c.status in ("draft", "submitted", "approved")
        ]
        return self._each(
            "void",
            claims,
            lambda claim_id, why: void_claim(self.ctx.db, self.ctx.actor, claim_id, reason=why),
        )

    def create_batch(self) -> int | None:
        waiting = [
            c for c in self.selected_claims() if c.status == "approved" and c.batch_id is None
        ]
        if not waiting and self.data is not None:
            waiting = [c for c in self.data.claims if c.status == "approved" and c.batch_id is None]
        if not waiting:
            prompts.inform(
                self, "Create payment batch", "No approved claim is waiting for payment."
            )
            return None
        dialog = BatchDialog(self.ctx, waiting, self)
        if not prompts.run_dialog(dialog) or dialog.batch_id is None:
            return None
        self.tabs.setCurrentIndex(1)
        batch_id = dialog.batch_id
        self.loaded.connect(
            lambda: self.select_batch(batch_id), Qt.ConnectionType.SingleShotConnection
        )
        self._done("Payment batch created: export it for payroll, then mark it paid.")
        return batch_id

    def export_batch(self) -> Path | None:
        batch = self.selected_batch()
        if batch is None:
            return None
        target = ask_export_path(self, self.ctx, f"payment-batch-{batch.reference}")
        if target is None:
            return None
        try:
            count = workers.run_with_progress(
                self,
                f"Exporting batch {batch.reference}…",
                workers.with_database(
                    self.ctx.db_path, lambda db, _c: export_payment_batch(db, batch.id, target)
                ),
            )
        except USER_ERRORS as exc:
            prompts.error(self, "Export failed", str(exc))
            return None
        prompts.inform(
            self,
            "Export done",
            f"Wrote {plural(count, 'claim')} ({format_money(batch.total)}) to\n{target}",
        )
        return target

    def pay_selected_batch(self) -> bool:
        batch = self.selected_batch()
        if batch is None or batch.status == "paid":
            return False
        if not prompts.confirm(
            self,
            "Mark batch paid",
            f"Mark payment batch {batch.reference} paid on {batch.pay_date}: "
            f"{plural(batch.claims, 'claim')}, total {format_money(batch.total)}?\n\n"
            "Do this once payroll has run. Paid claims can no longer be changed, only adjusted.",
            ok_text="Mark paid",
        ):
            return False
        paid: list[int] = []

        def pay() -> None:
            paid.append(pay_batch(self.ctx.db, self.ctx.actor, batch.id))

        if not self._run("Could not mark the batch paid", pay):
            return False
        _count, total = batch_summary(self.ctx.db, batch.id)
        prompts.inform(
            self,
            "Batch paid",
            f"Payment batch {batch.reference}: {plural(paid[0], 'claim')} paid on "
            f"{batch.pay_date}, total {format_money(total)}.",
        )
        return True

    def add_program(self) -> None:
        if prompts.run_dialog(ProgramDialog(self.ctx, self)):
            self.tabs.setCurrentIndex(2)
            self._done("Bonus program added.")

    def add_funding(self) -> None:
        if prompts.run_dialog(FundingDialog(self.ctx, self)):
            self.tabs.setCurrentIndex(3)
            self._done("Funding source added.")

    def edit_funding(self) -> None:
        source = self.selected_funding()
        if source is None:
            return
        dialog = FundingDialog(self.ctx, self, source)
        saved = prompts.run_dialog(dialog)
        if dialog.requested_change is not None:
            self._done(f"Award change #{dialog.requested_change} waits for a chief's approval.")
        elif saved:
            self._done("Funding source saved.")

    def adjust_selected(self) -> int | None:
        claims = self.selected_claims()
        if len(claims) != 1 or claims[0].status != "paid":
            return None
        dialog = AdjustmentDialog(self.ctx, claims[0], self)
        if not prompts.run_dialog(dialog) or dialog.adjustment_id is None:
            return None
        self._done(f"Correction #{dialog.adjustment_id} recorded for claim #{claims[0].id}.")
        return dialog.adjustment_id

    # --- decisions on corrections and award changes ----------------------------------------------

    def _approve(self, title: str, question: str, step: Callable[[], object], done: str) -> bool:
        """Ask the chief to confirm a decision, run it, and say what it did."""
        if not prompts.confirm(self, title, question, ok_text="Approve"):
            return False
        approved = self._run("Could not approve", step)
        if approved:
            self._done(done)
        return approved

    def _reject(self, title: str, question: str, step: Callable[[str], object], done: str) -> bool:
        """Ask the chief why a request is rejected, reject it with that reason, and say so."""
        reason = prompts.ask_reason(self, title, question, ok_text="Reject")
        if reason is None:
            return False
        rejected = self._run("Could not reject", lambda: step(reason))
        if rejected:
            self._done(done)
        return rejected

    def approve_adjustment(self) -> bool:
        adjustment = self.selected_adjustment()
        if adjustment is None or adjustment.status != "pending":
            return False
        return self._approve(
            "Approve addition",
            f"Approve the addition of {format_money(adjustment.amount)} to claim "
            f"#{adjustment.claim_id} ({adjustment.officer}), entered by "
            f"{adjustment.created_by}: {adjustment.reason}?\n\nIt then counts as paid from "
            "the claim's funding source.",
            lambda: approve_adjustment(self.ctx.db, self.ctx.actor, adjustment.id),
            f"Addition #{adjustment.id} approved: it counts from now on.",
        )

    def reject_adjustment(self) -> bool:
        adjustment = self.selected_adjustment()
        if adjustment is None or adjustment.status != "pending":
            return False
        return self._reject(
            "Reject addition",
            f"Reject the addition of {format_money(adjustment.amount)} to claim "
            f"#{adjustment.claim_id} ({adjustment.officer})? It will never count.",
            lambda why: reject_adjustment(self.ctx.db, self.ctx.actor, adjustment.id, reason=why),
            f"Addition #{adjustment.id} rejected.",
        )

    def approve_award_change(self) -> bool:
        change = self.selected_award_change()
        if change is None or change.status != "pending":
            return False
        return self._approve(
            "Approve award change",
            f"Change {change.funding_source} from {format_money(change.previous_amount)}, "
            f"{change.previous_start} to {change.previous_end}, to "
            f"{format_money(change.amount)}, {change.start} to {change.end}, as "
            f"{change.requested_by} asked: {change.reason}?",
            lambda: approve_award_change(self.ctx.db, self.ctx.actor, change.id),
            f"{change.funding_source} now reads {format_money(change.amount)}.",
        )

    def reject_award_change(self) -> bool:
        change = self.selected_award_change()
        if change is None or change.status != "pending":
            return False
        return self._reject(
            "Reject award change",
            f"Reject the change of {change.funding_source} to {format_money(change.amount)}, "
            f"{change.start} to {change.end}? The award stays as it is.",
            lambda why: reject_award_change(self.ctx.db, self.ctx.actor, change.id, reason=why),
            f"Award change #{change.id} rejected.",
        )


def create_page(ctx: AppContext, actions: ActionRegistry) -> Page:
    return ClaimsPage(ctx, actions)
