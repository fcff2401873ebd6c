"""The dialogs of bonus programs and funding sources: add a program, add or edit a funding
source, and request a change to an award."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from deesc_desktop.core.bonus import FUNDING_KINDS, bonus_funding_warning
from deesc_desktop.core.money import format_money
from deesc_desktop.gui import prompts
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.dialogs.common import lay_out_form
from deesc_desktop.gui.forms import DateField, Form, HoursField, fill_combo
from deesc_desktop.gui.widgets import muted
from deesc_desktop.services.bonus import add_program
from deesc_desktop.services.errors import ServiceError
from deesc_desktop.services.funding import (
    add_funding_source,
    edit_funding_source,
    request_award_change,
)
from deesc_desktop.store.claims import default_bonus_amount
from deesc_desktop.store.courses import topic_labels
from deesc_desktop.store.funding import FundingSummary, award_changes, funding_summaries


class ProgramDialog(QDialog):
    """A bonus program: amount, once or repeatable, what qualifies, when, who pays."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.program_id: int | None = None
        self.setWindowTitle("Add bonus program")
        self.setMinimumWidth(620)
        self.form = Form()
        self.name = QLineEdit()
        self.name.setPlaceholderText(f"e.g. De-escalation completion bonus {date.today().year}")
        self.amount = QLineEdit(format_money(default_bonus_amount(ctx.db)))
        self.one_time = QCheckBox("Once per officer")
        self.one_time.setChecked(True)
        self.topics = QListWidget()
        self.topics.setMaximumHeight(120)
        for code, label in topic_labels(ctx.db).items():
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if code == "de_escalation" else Qt.CheckState.Unchecked
            )
            self.topics.addItem(item)
            if code == "de_escalation":
                self.topics.scrollToItem(item, QListWidget.ScrollHint.PositionAtCenter)
        self.courses = QLineEdit()
        self.courses.setPlaceholderText("optional: course titles or numbers, separated by ;")
        self.min_hours = HoursField()
        self.min_hours.setValue(8)
        self.passing = QLineEdit()
        self.passing.setPlaceholderText("optional, e.g. 70")
        year = date.today().year
        self.start = DateField(date(year, 1, 1))
        self.end = DateField(date(year, 12, 31))
        self.funding = QComboBox()
        self.funding_warnings: dict[str, str] = {}
        for source in funding_summaries(ctx.db):
            self.funding.addItem(
                f"{source.name} ({format_money(source.balance)} left)", str(source.id)
            )
            warning = bonus_funding_warning(source.kind, source.name)
            if warning:
                self.funding_warnings[str(source.id)] = warning
        self.funding_warning = QLabel()
        self.funding_warning.setObjectName("formBanner")
        self.funding_warning.setWordWrap(True)
        self.funding.currentIndexChanged.connect(lambda _i: self._show_funding_warning())
        self.notes = QLineEdit()
        form = self.form
        form.add_row("name", "Name", self.name, required=True)
        form.add_row("amount", "Amount per officer", self.amount, required=True)
        form.add_row("one_time", "Paid", self.one_time)
        form.add_row(
            "topics", "Topics that count", self.topics, hint="Hours in these topics count."
        )
        form.add_row("courses", "Courses that count", self.courses)
        form.add_row("min_hours", "Minimum hours", self.min_hours, required=True)
        form.add_row("passing_score", "Passing post-test", self.passing)
        form.add_row("start", "Training from", self.start, required=True)
        form.add_row("end", "Training to", self.end, required=True)
        form.add_row("funding_source", "Paid from", self.funding, required=True)
        form.add_row("notes", "Notes", self.notes)
        self.save_button = lay_out_form(
            self, form, below=[self.funding_warning], ok_text="Add program"
        )
        self._show_funding_warning()

    def _show_funding_warning(self) -> None:
        """Bonuses are not an allowable cost of a federal grant: say so beside the choice."""
        warning = self.funding_warnings.get(self.funding.currentData() or "")
        self.funding_warning.setText(f"⚠ {warning}" if warning else "")
        self.funding_warning.setVisible(bool(warning))

    def values(self) -> dict[str, object]:
        topics = [
            str(self.topics.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.topics.count())
            if self.topics.item(i).checkState() == Qt.CheckState.Checked
        ]
        return {
            "name": self.name.text(),
            "amount": self.amount.text(),
            "one_time": self.one_time.isChecked(),
            "topics": topics,
            "courses": self.courses.text(),
            "min_hours": self.min_hours.text_value(),
            "passing_score": self.passing.text(),
            "start": self.start.text(),
            "end": self.end.text(),
            "funding_source": self.funding.currentData() or "",
            "notes": self.notes.text(),
        }

    def accept(self) -> None:
        try:
            self.program_id = add_program(self.ctx.db, self.ctx.actor, self.values())
        except ServiceError as exc:
            self.form.show_refusal(exc)
            return
        super().accept()


class FundingDialog(QDialog):
    """A grant or budget line: name, kind, award number, amount, period.

    Given an existing `source`, its name, kind, award number and notes are edited here; its
    amount and period are the award's terms, changed only by a request a chief approves
    (AwardChangeDialog, from the button beside them).
    """

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        source: FundingSummary | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.source = source
        self.source_id: int | None = source.id if source else None
        self.requested_change: int | None = None
        self.setWindowTitle(f"Funding source: {source.name}" if source else "Add funding source")
        self.setMinimumWidth(560)
        self.form = Form()
        self.name = QLineEdit(source.name if source else "")
        self.name.setPlaceholderText("e.g. COPS CPD de-escalation FY26")
        self.kind = QComboBox()
        fill_combo(self.kind, FUNDING_KINDS, source.kind if source else "cops_deescalation")
        self.award = QLineEdit(source.award_number if source else "")
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("e.g. $250,000.00")
        today = date.today()
        self.start = DateField(date.fromisoformat(source.start) if source else today)
        self.end = DateField(
            date.fromisoformat(source.end) if source else today + timedelta(days=365)
        )
        self.notes = QLineEdit(source.notes if source else "")
        form = self.form
        form.add_row("name", "Name", self.name, required=True)
        form.add_row("kind", "Kind", self.kind, required=True)
        form.add_row("award_number", "Award number", self.award)
        if source is None:
            form.add_row("amount", "Amount awarded", self.amount, required=True)
            form.add_row("start", "Period from", self.start, required=True)
            form.add_row(
                "end",
                "Period to",
                self.end,
                hint="Shown with the balance; a payment outside it is not refused (check the "
                "award).",
            )
        else:
            form.add_row("award", "Award", self._award_row(source))
        form.add_row("notes", "Notes", self.notes)
        self.save_button = lay_out_form(
            self, form, ok_text="Save changes" if source else "Add funding source"
        )

    def _award_row(self, source: FundingSummary) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        self.award_terms = QLabel(
            f"<b>{format_money(source.amount)}</b>, {source.start} to {source.end}<br>"
            f"{format_money(source.used)} committed or paid"
        )
        column.addWidget(self.award_terms)
        waiting = [
            c
            for c in award_changes(self.ctx.db, status="pending")
            if c.funding_source_id == source.id
        ]
        self.waiting = QLabel(
            f"Waiting for a chief's approval: {format_money(waiting[0].amount)},<br>"
            f"{waiting[0].start} to {waiting[0].end}, asked by {waiting[0].requested_by}."
            if waiting
            else "The amount and period change once a chief approves."
        )
        self.waiting.setObjectName("muted")
        column.addWidget(self.waiting)
        self.change_button = QPushButton("Request a change to the award…")
        self.change_button.setEnabled(not waiting)
        if waiting:
            self.change_button.setToolTip("A change already waits: a chief decides it first")
        self.change_button.clicked.connect(self.request_change)
        column.addWidget(self.change_button, 0, Qt.AlignmentFlag.AlignLeft)
        return box

    def request_change(self) -> int | None:
        """Ask for a new amount or period; the award reads so once a chief approves."""
        assert self.source is not None
        dialog = AwardChangeDialog(self.ctx, self.source, self)
        if not prompts.run_dialog(dialog) or dialog.change_id is None:
            return None
        self.requested_change = dialog.change_id
        self.waiting.setText(f"Requested: change #{dialog.change_id} waits for a chief's approval.")
        self.change_button.setEnabled(False)
        return dialog.change_id

    def values(self) -> dict[str, object]:
        values: dict[str, object] = {
            "name": self.name.text(),
            "kind": self.kind.currentData(),
            "award_number": self.award.text(),
            "notes": self.notes.text(),
        }
        if self.source is None:
            values |= {
                "amount": self.amount.text(),
                "start": self.start.text(),
                "end": self.end.text(),
            }
        return values

    def accept(self) -> None:
        try:
            if self.source is None:
                self.source_id = add_funding_source(self.ctx.db, self.ctx.actor, self.values())
            else:
                edit_funding_source(
                    self.ctx.db,
                    self.ctx.actor,
                    self.source.id,
                    self.values(),
                    expected_version=self.source.version,
                )
        except ServiceError as exc:
            self.form.show_refusal(exc)
            return
        super().accept()


class AwardChangeDialog(QDialog):
    """Finance asks for a new amount or period of an award, with the reason."""

    def __init__(
        self, ctx: AppContext, source: FundingSummary, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.source = source
        self.change_id: int | None = None
        self.setWindowTitle(f"Request a change to {source.name}")
        self.setMinimumWidth(520)
        now = muted(
            f"Now: {format_money(source.amount)}, {source.start} to {source.end}. The "
            "change counts only once someone who approves claims, other than you, approves it."
        )
        self.form = Form()
        self.amount = QLineEdit(format_money(source.amount))
        self.start = DateField(date.fromisoformat(source.start))
        self.end = DateField(date.fromisoformat(source.end))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("e.g. supplemental award letter of 2026-03-02")
        self.form.add_row("amount", "Amount awarded", self.amount, required=True)
        self.form.add_row("start", "Period from", self.start, required=True)
        self.form.add_row("end", "Period to", self.end, required=True)
        self.form.add_row("reason", "Reason", self.reason, required=True)
        self.save_button = lay_out_form(self, self.form, above=[now], ok_text="Request change")

    def accept(self) -> None:
        values = {
            "amount": self.amount.text(),
            "start": self.start.text(),
            "end": self.end.text(),
            "reason": self.reason.text(),
        }
        try:
            self.change_id = request_award_change(
                self.ctx.db, self.ctx.actor, self.source.id, values
            )
        except ServiceError as exc:
            self.form.show_refusal(exc)
            return
        super().accept()
