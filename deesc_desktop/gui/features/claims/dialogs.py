"""Bonus dialogs: who qualifies for a program, a new program, a funding source and changes to
its award, a payment batch, an adjustment to a paid claim."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from deesc_desktop.core.auth import Permission
from deesc_desktop.core.money import format_money
from deesc_desktop.gui import prompts, style, workers
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.dialogs.common import lay_out_form
from deesc_desktop.gui.features.claims.models import (
    EligibilityModel,
    EligibleColumn,
    denied_lines,
    program_rule_text,
)
from deesc_desktop.gui.forms import DateField, Form
from deesc_desktop.gui.models import RowFilterProxy
from deesc_desktop.gui.widgets import filtered_table, muted
from deesc_desktop.services.bonus import EligibilityRow, create_claims, find_eligible
from deesc_desktop.services.claim_workflow import add_adjustment
from deesc_desktop.services.errors import ServiceError
from deesc_desktop.services.funding import (
    create_payment_batch,
)
from deesc_desktop.store.claims import ClaimRow, ProgramRow, programs
from deesc_desktop.store.courses import topic_labels


class EligibleDialog(QDialog):
    """Every officer checked against a program: who qualifies and why, what the others lack.

    Claims are drafted for the ticked officers (all who can be claimed, to start with).
    """

    def __init__(
        self, ctx: AppContext, program_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.created: list[int] = []
        self.setWindowTitle("Find eligible officers")
        self.resize(1100, 660)
        self.programs: list[ProgramRow] = programs(ctx.db)
        self.labels = topic_labels(ctx.db)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Program:"))
        self.program = QComboBox()
        self.program.setMinimumWidth(360)
        for row in self.programs:
            self.program.addItem(row.program.name, row.program.id)
        top.addWidget(self.program, 1)
        self.only_qualified = QCheckBox("Show only officers who can be claimed")
        top.addWidget(self.only_qualified)
        layout.addLayout(top)
        self.rule = muted("")
        layout.addWidget(self.rule)
        self.banner = QLabel()
        self.banner.setObjectName("formBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout.addWidget(self.banner)
        self.model = EligibilityModel(self)
        self.proxy = RowFilterProxy(self)
        self.view = filtered_table(
            self.model, self.proxy, sort=(EligibleColumn.RESULT, Qt.SortOrder.AscendingOrder)
        )
        self.view.setWordWrap(False)
        self.view.clicked.connect(self._toggle)
        self.view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_denied(current)
        )
        layout.addWidget(self.view, 1)
        self.denied = QLabel()
        self.denied.setWordWrap(True)
        self.denied.setTextFormat(Qt.TextFormat.RichText)
        self.denied.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.denied)
        self.summary = QLabel("Checking…")
        layout.addWidget(self.summary)
        ticks = QHBoxLayout()
        select_all = QPushButton("Tick everyone who qualifies")
        select_all.clicked.connect(
            lambda: self.model.set_checked([r.officer.id for r in self.model.all_rows()], True)
        )
        clear = QPushButton("Untick all")
        clear.clicked.connect(
            lambda: self.model.set_checked([r.officer.id for r in self.model.all_rows()], False)
        )
        ticks.addWidget(select_all)
        ticks.addWidget(clear)
        ticks.addStretch(1)
        layout.addLayout(ticks)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.create_button = self.buttons.addButton(
            "Create claims", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if not ctx.can(Permission.SUBMIT_CLAIMS):
            self.create_button.setToolTip(
                f"Claims are drafted by a training officer (you are {ctx.actor.role.label})"
            )

        self.program.currentIndexChanged.connect(lambda _i: self.check())
        self.only_qualified.toggled.connect(lambda _on: self._filter())
        self.model.dataChanged.connect(lambda *_: self._count())
        self.model.modelReset.connect(self._count)
        if program_id is not None:
            self.program.setCurrentIndex(max(self.program.findData(program_id), 0))
        if not self.programs:
            self.summary.setText("There is no bonus program yet: the chief adds one first.")
            self.create_button.setEnabled(False)
        else:
            self.check()

    def program_row(self) -> ProgramRow | None:
        program_id = self.program.currentData()
        return next((r for r in self.programs if r.program.id == program_id), None)

    def check(self) -> None:
        row = self.program_row()
        if row is None:
            return
        self.rule.setText(
            f"{format_money(row.program.amount)} per officer"
            f" ({'once' if row.program.one_time else 'repeatable'}) for "
            f"{program_rule_text(row, self.labels)}, completed between "
            f"{row.program.rule.start.isoformat()} and {row.program.rule.end.isoformat()}; "
            f"paid from {row.funding_source}."
        )
        self.summary.setText("Checking every officer…")
        self.banner.hide()
        program_id = row.program.id
        workers.run_query(
            self.ctx.db_path,
            lambda db: find_eligible(db, program_id),
            owner=self,
            on_result=self._checked,
            on_error=lambda exc: self._show_banner(str(exc)),
        )

    def _checked(self, rows: list[EligibilityRow]) -> None:
        self.model.set_rows(rows)
        self._filter()
        self._show_denied(self.view.currentIndex())

    def _show_denied(self, index: QModelIndex) -> None:
        """The selected officer's claims denied before: program, when, by whom and why."""
        source = self.proxy.mapToSource(index)
        if not source.isValid():
            count = sum(1 for r in self.model.all_rows() if r.denied)
            self.denied.setText(
                escape(
                    f"{count} of these officers had a claim denied before: select one to see "
                    "why and by whom."
                    if count
                    else "None of these officers had a claim denied before."
                )
            )
            return
        row = self.model.row(source.row())
        program = self.program_row()
        lines = denied_lines(row, program.program.id if program else None)
        if not lines:
            self.denied.setText(escape(f"{row.officer.display_name}: no claim denied before."))
            return
        self.denied.setText(
            f"<b>{escape(row.officer.display_name)}: claims denied before</b><br>"
            + "<br>".join(style.coloured(escape(line), style.Colour.ERROR) for line in lines)
        )

    def _filter(self) -> None:
        only = self.only_qualified.isChecked()
        self.proxy.set_predicate((lambda r: r.claimable) if only else None)

    def _toggle(self, index: object) -> None:
        source = self.proxy.mapToSource(index)  # type: ignore[arg-type]
        if not source.isValid() or source.column() == EligibleColumn.OFFICER:
            return  # the check box itself toggles on its own
        row = self.model.row(source.row())
        if row.claimable:
            self.model.set_checked([row.officer.id], row.officer.id not in self.model.checked)

    def _count(self) -> None:
        rows = self.model.all_rows()
        claimable = sum(1 for r in rows if r.claimable)
        claimed = sum(1 for r in rows if r.existing_claim)
        ticked = len(self.model.checked)
        program = self.program_row()
        amount = program.program.amount if program else 0
        self.summary.setText(
            f"{claimable} of {len(rows)} officers can be claimed"
            + (f", {claimed} already have a claim" if claimed else "")
            + f". Ticked: {ticked} ({format_money(amount * ticked)})."
        )
        self.create_button.setText(f"Create {ticked} claim{'s' if ticked != 1 else ''}")
        self.create_button.setEnabled(ticked > 0 and self.ctx.can(Permission.SUBMIT_CLAIMS))

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    def accept(self) -> None:
        program = self.program_row()
        if program is None or not self.model.checked:
            return
        try:
            self.created = create_claims(
                self.ctx.db, self.ctx.actor, program.program.id, sorted(self.model.checked)
            )
        except ServiceError as exc:
            self._show_banner(str(exc))
            return
        super().accept()


class AdjustmentDialog(QDialog):
    """Finance corrects a paid claim: money recovered (negative) or an addition to approve."""

    def __init__(self, ctx: AppContext, claim: ClaimRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.claim = claim
        self.adjustment_id: int | None = None
        self.setWindowTitle(f"Adjust claim #{claim.id}")
        self.setMinimumWidth(560)
        summary = QLabel(
            f"Claim #{claim.id}, {claim.officer_name}: paid {format_money(claim.amount)} "
            f"on {claim.paid_on}; stands at {format_money(claim.net)}."
        )
        summary.setWordWrap(True)
        how = muted(
            "The claim itself never changes: the correction is kept beside it. Money "
            "recovered (a negative amount) counts at once; an addition counts only once "
            "someone who approves claims, other than you, approves it."
        )
        self.form = Form()
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("e.g. -200.00 to recover, 150.00 to add")
        self.adjusted_on = DateField(date.today())
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("payroll run or check number")
        self.reason = QLineEdit()
        self.form.add_row("amount", "Amount", self.amount, required=True)
        self.form.add_row("adjusted_on", "Dated", self.adjusted_on, required=True)
        self.form.add_row("reference", "Reference", self.reference)
        self.form.add_row("reason", "Reason", self.reason, required=True)
        self.save_button = lay_out_form(
            self, self.form, above=[summary, how], ok_text="Record adjustment"
        )

    def accept(self) -> None:
        values = {
            "amount": self.amount.text(),
            "adjusted_on": self.adjusted_on.text(),
            "reference": self.reference.text(),
            "reason": self.reason.text(),
        }
        try:
            self.adjustment_id = add_adjustment(self.ctx.db, self.ctx.actor, self.claim.id, values)
        except ServiceError as exc:
            self.form.show_refusal(exc)
            return
        super().accept()


class BatchDialog(QDialog):
    """Group approved claims for one payroll run: a reference and the pay date."""

    def __init__(
        self, ctx: AppContext, claims: Sequence[ClaimRow], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.claims = list(claims)
        self.batch_id: int | None = None
        self.setWindowTitle("Create payment batch")
        self.setMinimumWidth(520)
        total = sum(c.amount for c in self.claims)
        count = len(self.claims)
        self.summary = QLabel(
            f"<b>{count} approved claim{'s' if count != 1 else ''}</b>, "
            f"total <b>{format_money(total)}</b>, for one payroll run."
        )
        self.form = Form()
        pay_day = date.today()
        self.reference = QLineEdit(f"PAYROLL-{pay_day.isoformat()}")
        self.pay_date = DateField(pay_day)
        self.notes = QLineEdit()
        self.form.add_row(
            "reference",
            "Payroll reference",
            self.reference,
            required=True,
            hint="The payroll run or check batch; every claim is paid under it.",
        )
        self.form.add_row("pay_date", "Pay date", self.pay_date, required=True)
        self.form.add_row("notes", "Notes", self.notes)
        self.save_button = lay_out_form(
            self, self.form, above=[self.summary], ok_text="Create batch"
        )

    def accept(self) -> None:
        values = {
            "reference": self.reference.text(),
            "pay_date": self.pay_date.text(),
            "notes": self.notes.text(),
        }
        try:
            self.batch_id = create_payment_batch(
                self.ctx.db, self.ctx.actor, values, [c.id for c in self.claims]
            )
        except ServiceError as exc:
            self.form.show_refusal(exc)
            return
        super().accept()


def ask_claim_reason(parent: QWidget, verb: str, claims: Sequence[ClaimRow]) -> str | None:
    """Why the claims are being denied or voided (the reason goes on each claim)."""
    names = ", ".join(f"#{c.id} {c.officer_name}" for c in claims[:5])
    more = f" and {len(claims) - 5} more" if len(claims) > 5 else ""
    noun = "claim" if len(claims) == 1 else f"{len(claims)} claims"
    return prompts.ask_reason(
        parent,
        f"{verb.capitalize()} {noun}",
        f"{verb.capitalize()} {names}{more}?",
        ok_text=f"{verb.capitalize()} {noun}",
    )
