"""The bonus claims page: finding who qualifies, the approval workflow, payment batches."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QStyle, QTableView
from sqlite_utils import Database

from deesc_desktop.core import times
from deesc_desktop.core.auth import Actor
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.features.claims.dialogs import BatchDialog, EligibleDialog
from deesc_desktop.gui.features.claims.funding_dialogs import FundingDialog, ProgramDialog
from deesc_desktop.gui.features.claims.models import ClaimColumn
from deesc_desktop.gui.features.claims.page import ClaimsPage
from deesc_desktop.gui.features.dashboard.cards import BudgetCard
from deesc_desktop.gui.features.roster.officer_detail import OfficerDetailDialog
from deesc_desktop.gui.mainwindow import MainWindow
from deesc_desktop.gui.pages import PageId
from deesc_desktop.services import bonus, claim_workflow, funding
from deesc_desktop.services.training import record_class
from tests.gui.helpers import Prompts, settle

TODAY = date.today()


@pytest.fixture
def program(db: Database, users: dict[str, Actor], officers: dict[str, int]) -> int:
    """$10,000 of COPS money, a $3,800 program for 8 h of de-escalation; 101-103 qualify."""
    funding.add_funding_source(
        db,
        users["fin.ruiz"],
        {
            "name": "COPS FY26",
            "kind": "cops_deescalation",
            "amount": "$10,000",
            "start": (TODAY - timedelta(days=400)).isoformat(),
            "end": (TODAY + timedelta(days=400)).isoformat(),
        },
    )
    record_class(
        db,
        users["sgt.delgado"],
        {
            "course": "ICAT",
            "completed": (TODAY - timedelta(days=30)).isoformat(),
            "hours": "8",
            "topics": "de_escalation",
        },
        [officers["101"], officers["102"], officers["103"]],
    )
    return bonus.add_program(
        db,
        users["chief.harmon"],
        {
            "name": "Bonus",
            "amount": "3800",
            "topics": "de_escalation",
            "min_hours": 8,
            "start": (TODAY - timedelta(days=300)).isoformat(),
            "end": TODAY.isoformat(),
            "funding_source": "COPS FY26",
        },
    )


@pytest.fixture
def submitted(
    db: Database, users: dict[str, Actor], officers: dict[str, int], program: int
) -> list[int]:
    """Claims for 101, 102 and 103, submitted by the sergeant."""
    ids = bonus.create_claims(
        db, users["sgt.delgado"], program, [officers[b] for b in ("101", "102", "103")]
    )
    claim_workflow.submit_claims(db, users["sgt.delgado"], ids)
    return ids


def claims_page(window: MainWindow) -> ClaimsPage:
    page = window.show_page(PageId.BONUS_CLAIMS)
    settle()
    assert isinstance(page, ClaimsPage)
    return page


def status_of(db: Database, claim_id: int) -> str:
    return db.execute("SELECT status FROM claims WHERE id = ?", [claim_id]).fetchone()[0]


def test_find_eligible_officers_and_create_their_claims(
    qtbot: Any,
    program: int,
    users: dict[str, Actor],
    window_as: Callable[[Actor], MainWindow],
    say: Prompts,
    db: Database,
) -> None:
    window = window_as(users["sgt.delgado"])
    page = claims_page(window)
    seen: dict[str, Any] = {}

    def choose(dialog: EligibleDialog) -> None:
        settle()
        rows = {r.officer.badge: r for r in dialog.model.all_rows()}
        seen["qualify"] = sorted(b for b, r in rows.items() if r.claimable)
        seen["why_not"] = rows["104"].explanation
        seen["result"] = dialog.model.index(
            dialog.model.find_row(lambda r: r.officer.badge == "104"), 2
        ).data()
        dialog.model.set_checked([rows["103"].officer.id], False)
        seen["button"] = dialog.create_button.text()
        dialog.only_qualified.setChecked(True)
        seen["shown"] = dialog.proxy.rowCount()
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)

    say.dialogs.expect(choose)
    window.registry[ActionId.FIND_ELIGIBLE].trigger()
    settle()
    assert seen["qualify"] == ["101", "102", "103"]
    assert seen["why_not"].startswith("0.0 of 8.0 h of de-escalation between")
    assert seen["result"] == "✗ Does not qualify"
    assert seen["button"] == "Create 2 claims"
    assert seen["shown"] == 3
    assert db.execute("SELECT count(*), min(status) FROM claims").fetchone() == (2, "draft")
    assert page.status_filter() == "draft"
    assert len(page.selected_claims()) == 2
    assert window.registry[ActionId.SUBMIT_CLAIMS].isEnabled()
    window.registry[ActionId.SUBMIT_CLAIMS].trigger()
    settle()
    assert db.execute("SELECT DISTINCT status FROM claims").fetchall() == [("submitted",)]
    assert page.status_tabs.tabText(2) == "Submitted (2)"


def test_a_chief_approves_a_submitted_claim_and_a_training_officer_cannot(
    submitted: list[int],
    users: dict[str, Actor],
    window_as: Callable[[Actor], MainWindow],
    say: Prompts,
    db: Database,
) -> None:
    sergeant = window_as(users["sgt.delgado"])
    page = claims_page(sergeant)
    page.show_status("submitted")
    page.select_claims([submitted[0]])
    assert page.detail.heading.text().startswith(f"Claim #{submitted[0]}")
    assert not sergeant.registry[ActionId.APPROVE_CLAIMS].isEnabled()
    assert "not allowed for the role Training officer" in (
        sergeant.registry[ActionId.APPROVE_CLAIMS].toolTip()
    )
    sergeant.registry[ActionId.APPROVE_CLAIMS].trigger()
    assert status_of(db, submitted[0]) == "submitted"
    sergeant.close()

    chief = window_as(users["chief.harmon"])
    page = claims_page(chief)
    page.show_status("submitted")
    page.select_claims([submitted[0]])
    assert chief.registry[ActionId.APPROVE_CLAIMS].isEnabled()
    chief.registry[ActionId.APPROVE_CLAIMS].trigger()
    settle()
    assert say.messages[-1][:2] == ("confirm", "Approve claims")
    assert "Approve 1 claim for $3,800.00" in say.messages[-1][2]
    assert status_of(db, submitted[0]) == "approved"
    assert page.status_tabs.tabText(3) == "Approved (1)"
    assert "$6,200.00</b> left" in page.money.text()

    say.reason = "sign-in sheet missing"
    page.select_claims([submitted[1]])
    chief.registry[ActionId.DENY_CLAIM].trigger()
    settle()
    assert db.execute(
        "SELECT status, denied_reason FROM claims WHERE id = ?", [submitted[1]]
    ).fetchone() == ("denied", "sign-in sheet missing")


def test_approving_ones_own_claim_is_refused_in_words(
    program: int,
    officers: dict[str, int],
    users: dict[str, Actor],
    window_as: Callable[[Actor], MainWindow],
    say: Prompts,
    db: Database,
) -> None:
    admin = users["admin.lee"]
    (claim,) = bonus.create_claims(db, admin, program, [officers["101"]])
    claim_workflow.submit_claims(db, admin, [claim])
    window = window_as(admin)
    page = claims_page(window)
    page.select_claims([claim])
    window.registry[ActionId.APPROVE_CLAIMS].trigger()
    assert say.messages[-1] == (
        "error",
        "Could not approve",
        f"admin.lee submitted claim #{claim} and may not approve it: the person who prepares a "
        "claim and the person who decides it must be different; someone else with the right "
        "to approve claims must.",
    )
    assert status_of(db, claim) == "submitted"


def test_approving_more_than_the_funding_left_is_refused_with_the_figures(
    submitted: list[int],
    users: dict[str, Actor],
    window_as: Callable[[Actor], MainWindow],
    say: Prompts,
    db: Database,
) -> None:
    window = window_as(users["chief.harmon"])
    page = claims_page(window)
    page.select_claims(submitted)
    window.registry[ActionId.APPROVE_CLAIMS].trigger()
    assert say.texts("error") == [
        "Approving $11,400.00 (3 claims) would overdraw COPS FY26 ($10,000.00 awarded, "
        "$0.00 committed or paid, $10,000.00 left)."
    ]
    assert {status_of(db, c) for c in submitted} == {"submitted"}


def test_a_payment_batch_flows_to_paid_with_the_exact_total(
    qtbot: Any,
    submitted: list[int],
    users: dict[str, Actor],
    window_as: Callable[[Actor], MainWindow],
    say: Prompts,
    db: Database,
    tmp_path: Path,
) -> None:
    claim_workflow.approve_claims(db, users["chief.harmon"], submitted[:2])
    window = window_as(users["fin.ruiz"])
    page = claims_page(window)
    assert not window.registry[ActionId.APPROVE_CLAIMS].isEnabled()
    assert window.registry[ActionId.CREATE_BATCH].isEnabled()

    def fill(dialog: BatchDialog) -> None:
        assert "total <b>$7,600.00</b>" in dialog.summary.text()
        dialog.reference.setText("PAYROLL-TEST-1")
        dialog.pay_date.set_value(times.today())
        dialog.accept()

    say.dialogs.expect(fill)
    window.registry[ActionId.CREATE_BATCH].trigger()
    settle()
    assert page.tabs.currentIndex() == 1
    batch = page.selected_batch()
    assert batch is not None and (batch.reference, batch.claims, batch.total) == (
        "PAYROLL-TEST-1",
        2,
        760_000,
    )
    assert page.batches.index(0, 3).data() == "$7,600.00"

    say.save_path = tmp_path / "payroll.csv"
    window.registry[ActionId.EXPORT_BATCH].trigger()
    with say.save_path.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0][:5] == ["claim", "badge", "name", "program", "amount"]
    assert [(row[2], row[4], row[7]) for row in table[1:]] == [
        ("Alvarez, Maria", "3800.00", "PAYROLL-TEST-1"),
        ("Brown, James", "3800.00", "PAYROLL-TEST-1"),
    ]

    window.registry[ActionId.PAY_BATCH].trigger()
    settle()
    assert say.texts("inform")[-1] == (
        f"Payment batch PAYROLL-TEST-1: 2 claims paid on {TODAY.isoformat()}, total $7,600.00."
    )
    assert [status_of(db, c) for c in submitted] == ["paid", "paid", "submitted"]
    assert page.batches.index(0, 4).data() == "Paid"
    assert not window.registry[ActionId.PAY_BATCH].isEnabled()
    dashboard: Any = window.pages[PageId.DASHBOARD]
    window.show_page(PageId.DASHBOARD)
    settle()
    card = next(c for c in dashboard.extra_cards if isinstance(c, BudgetCard))
    assert card.figure.text() == "$2,400.00"
    assert "$7,600.00 used of $10,000.00" in card.body.text()


def test_void_a_draft_with_a_reason_and_the_officer_tab_lists_claims(
    qtbot: Any,
    program: int,
    officers: dict[str, int],
    users: dict[str, Actor],
    window_as: Callable[[Actor], MainWindow],
    say: Prompts,
    db: Database,
    ctx: Any,
) -> None:
    (claim,) = bonus.create_claims(db, users["sgt.delgado"], program, [officers["102"]])
    window = window_as(users["sgt.delgado"])
    page = claims_page(window)
    page.select_claims([claim])
    say.reason = None  # the user cancels the reason: nothing happens
    window.registry[ActionId.VOID_CLAIM].trigger()
    assert status_of(db, claim) == "draft"
    say.reason = "made twice"
    window.registry[ActionId.VOID_CLAIM].trigger()
    settle()
    assert status_of(db, claim) == "voided"
    dialog = OfficerDetailDialog(ctx, officers["102"])
    qtbot.addWidget(dialog)
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    tab: Any = dialog.tabs.widget(titles.index("Bonus claims"))
    settle()
    assert tab.model.rowCount() == 1
    assert tab.model.index(0, 5).data() == "Voided"


def test_finance_adds_a_funding_source_and_the_chief_a_program(
    qtbot: Any,
    officers: dict[str, int],
    users: dict[str, Actor],
    window_as: Callable[[Actor], MainWindow],
    say: Prompts,
    db: Database,
) -> None:
    finance = window_as(users["fin.ruiz"])
    assert not finance.registry[ActionId.ADD_PROGRAM].isEnabled()
    errors: dict[str, str] = {}

    def fund(dialog: FundingDialog) -> None:
        qtbot.keyClicks(dialog.name, "Byrne JAG 2026")
        dialog.kind.setCurrentIndex(dialog.kind.findData("byrne_jag"))
        qtbot.keyClicks(dialog.amount, "12,34")
        dialog.accept()
        errors["separator"] = dialog.form.error_text("amount")
        dialog.amount.setText("$12,345.675")
        dialog.accept()
        errors["amount"] = dialog.form.error_text("amount")
        dialog.amount.setText("$12,345.67")
        dialog.accept()

    say.dialogs.expect(fund)
    finance.registry[ActionId.ADD_FUNDING].trigger()
    assert errors == {
        "separator": '"12,34" is not an amount of money (for example $3,800.00)',
        "amount": '"$12,345.675" has a fraction of a cent',
    }
    assert db.execute("SELECT name, amount_cents FROM funding_sources").fetchall() == [
        ("Byrne JAG 2026", 1_234_567)
    ]
    finance.close()

    chief = window_as(users["chief.harmon"])

    warned: list[str] = []

    def add(dialog: ProgramDialog) -> None:
        # A bonus is not an allowable cost of a Byrne JAG award: the dialog says so.
        warned.append(dialog.funding_warning.text() if dialog.funding_warning.isVisible() else "")
        qtbot.keyClicks(dialog.name, "JAG bonus")
        dialog.accept()
        assert dialog.program_id is not None

    say.dialogs.expect(add)
    chief.registry[ActionId.ADD_PROGRAM].trigger()
    settle()
    assert warned[0].startswith("⚠ Bonuses are not an allowable cost under Byrne JAG 2026")
    page = claims_page(chief)
    assert page.funding_warning.isVisible()
    assert page.funding_warning.text().startswith("⚠ JAG bonus: Bonuses are not an allowable")
    assert page.programs.rowCount() == 1
    assert page.programs.index(0, 1).data() == "$3,800.00"
    assert page.programs.index(0, 3).data() == "8.0 h of de-escalation"
    assert page.funding.index(0, 7).data() == "$12,345.67"


def test_claim_detail_gives_each_step_in_labelled_local_time_and_a_waiting_addition(
    qtbot: Any,
    submitted: list[int],
    users: dict[str, Actor],
    window_as: Callable[[Actor], MainWindow],
    db: Database,
    chicago: None,
) -> None:
    approved_at = datetime(2026, 1, 15, 15, 0, tzinfo=UTC)  # 09:00 in Illinois, in winter
    claim_workflow.approve_claims(db, users["chief.harmon"], submitted[:1], now=approved_at)
    # One clock for the pay date and the payment: TODAY was taken in the runner's zone at
    # import, which near midnight is a different day from Illinois's.
    paid_at = datetime.now(UTC)
    pay_day = times.today(paid_at)
    batch = funding.create_payment_batch(
        db, users["fin.ruiz"], {"reference": "B1", "pay_date": pay_day.isoformat()}, submitted[:1]
    )
    funding.pay_batch(db, users["fin.ruiz"], batch, now=paid_at)
    claim_workflow.add_adjustment(
        db, users["fin.ruiz"], submitted[0], {"amount": "150", "reason": "retro"}
    )
    page = claims_page(window_as(users["chief.harmon"]))
    page.select_claims(submitted[:1])
    settle()
    text = page.detail.body.text()
    assert "Approved 2026-01-15 09:00 CST by chief.harmon" in text
    assert "An addition of $150.00 waits for a chief's approval" in text
    assert "Waiting for a chief's approval: 1 addition to paid claims" in page.money.text()


@pytest.fixture
def paid_claim(submitted: list[int], users: dict[str, Actor], db: Database) -> int:
    """Claim 101, approved by the chief and paid by finance today."""
    claim_workflow.approve_claims(db, users["chief.harmon"], submitted[:1])
    batch = funding.create_payment_batch(
        db,
        users["fin.ruiz"],
        {"reference": "B1", "pay_date": times.today().isoformat()},
        submitted[:1],
    )
    funding.pay_batch(db, users["fin.ruiz"], batch)
    return submitted[0]


def approvals_tab(window: MainWindow) -> ClaimsPage:
    page = claims_page(window)
    page.tabs.setCurrentIndex(page.tabs.count() - 1)
    return page


def test_the_other_tabs_are_built_when_first_shown_with_what_was_loaded(
    paid_claim: int, users: dict[str, Actor], window_as: Callable[[Actor], MainWindow]
) -> None:
    window = window_as(users["fin.ruiz"])
    page = claims_page(window)
    batches = page.tabs.widget(1)
    # Only the claims tab is built with the page: the others are most of its widgets.
    assert batches.findChildren(QTableView) == []
    assert page.selected_batch() is None
    assert not window.registry[ActionId.EXPORT_BATCH].isEnabled()

    page.tabs.setCurrentIndex(1)
    settle()
    (view,) = batches.findChildren(QTableView)
    assert view.model().index(0, 0).data() == "B1"
    view.selectRow(0)
    batch = page.selected_batch()
    assert batch is not None and batch.reference == "B1"
    assert window.registry[ActionId.EXPORT_BATCH].isEnabled()

    # A tab reached for in code before anyone shows it is built then, its words filled in.
    assert page.tabs.widget(4).findChildren(QTableView) == []
    assert page.award_note.text() == "No change to an award has been asked for."
    assert len(page.tabs.widget(4).findChildren(QTableView)) == 2


def adjustment_state(db: Database, adjustment_id: int) -> tuple[str, str | None, str]:
    return db.execute(
        "SELECT status, decided_by, decision_reason FROM claim_adjustments WHERE id = ?",
        [adjustment_id],
    ).fetchone()


def test_finance_adds_to_a_paid_claim_and_a_chief_approves_it(
    qtbot: Any,
    paid_claim: int,
    users: dict[str, Actor],
    window_as: Callable[[Actor], MainWindow],
    say: Prompts,
    db: Database,
) -> None:
    finance = window_as(users["fin.ruiz"])
    page = claims_page(finance)
    page.select_claims([paid_claim])
    assert finance.registry[ActionId.ADJUST_CLAIM].isEnabled()
    assert not finance.registry[ActionId.APPROVE_ADJUSTMENT].isEnabled()

    def adjust(dialog: Any) -> None:
        qtbot.keyClicks(dialog.amount, "150")
        qtbot.keyClicks(dialog.reason, "overtime rate missed")
        dialog.accept()

    say.dialogs.expect(adjust)
    finance.registry[ActionId.ADJUST_CLAIM].trigger()
    settle()
    (adjustment,) = [row[0] for row in db.execute("SELECT id FROM claim_adjustments")]
    assert adjustment_state(db, adjustment) == ("pending", None, "")
    finance.close()

    chief = window_as(users["chief.harmon"])
    page = approvals_tab(chief)
    assert page.tabs.tabText(page.tabs.count() - 1) == "Approvals (1 waiting)"
    assert page.select_adjustment(adjustment)
    assert page.adjustments.index(0, 3).data() == "$150.00"
    assert page.adjustments.index(0, 7).data() == "Waiting for approval"
    chief.registry[ActionId.APPROVE_ADJUSTMENT].trigger()
    settle()
    assert say.messages[-1][:2] == ("confirm", "Approve addition")
    assert "Approve the addition of $150.00 to claim" in say.messages[-1][2]
    assert adjustment_state(db, adjustment) == ("counted", "chief.harmon", "")
    assert page.tabs.tabText(page.tabs.count() - 1) == "Approvals"
    assert page.adjustments.index(0, 7).data().startswith("Approved by chief.harmon, ")
    assert not chief.registry[ActionId.APPROVE_ADJUSTMENT].isEnabled()
    assert "$6,050.00</b> left" in page.money.text()


def test_empty_approval_lists_say_there_is_nothing_to_decide(
    paid_claim: int, users: dict[str, Actor], window_as: Callable[[Actor], MainWindow]
) -> None:
    page = approvals_tab(window_as(users["admin.lee"]))
    assert page.adjustment_note.text() == "No correction to a paid claim has been entered."
    assert page.award_note.text() == "No change to an award has been asked for."


def test_the_author_of_an_addition_is_refused_in_words_and_a_chief_rejects_it(
    paid_claim: int,
    users: dict[str, Actor],
    window_as: Callable[[Actor], MainWindow],
    say: Prompts,
    db: Database,
) -> None:
    admin = users["admin.lee"]
    adjustment = claim_workflow.add_adjustment(
        db, admin, paid_claim, {"amount": "75", "reason": "fuel"}
    )
    window = window_as(admin)
    page = approvals_tab(window)
    page.select_adjustment(adjustment)
    assert "You entered it: someone else who approves claims decides it." in (
        page.adjustment_note.text()
    )
    window.registry[ActionId.APPROVE_ADJUSTMENT].trigger()
    settle()
    assert say.messages[-1] == (
        "error",
        "Could not approve",
        f"admin.lee entered adjustment #{adjustment} and may not decide it: money is paid out "
        "by one person and approved by another.",
    )
    assert adjustment_state(db, adjustment) == ("pending", None, "")
    window.close()

    chief = window_as(users["chief.harmon"])
    page = approvals_tab(chief)
    page.select_adjustment(adjustment)
    say.reason = "fuel is not part of the bonus"
    chief.registry[ActionId.REJECT_ADJUSTMENT].trigger()
    settle()
    assert adjustment_state(db, adjustment) == (
        "rejected",
        "chief.harmon",
        "fuel is not part of the bonus",
    )
    state = page.adjustments.index(0, 7)
    assert state.data().startswith("Rejected by chief.harmon, ")
    tip = state.data(Qt.ItemDataRole.ToolTipRole)
    assert tip.endswith("by chief.harmon: fuel is not part of the bonus")


def test_finance_asks_for_an_award_change_from_the_funding_dialog_and_a_chief_decides(
    qtbot: Any,
    program: int,
    users: dict[str, Actor],
    window_as: Callable[[Actor], MainWindow],
    say: Prompts,
    db: Database,
) -> None:
    finance = window_as(users["fin.ruiz"])
    page = claims_page(finance)
    page.tabs.setCurrentIndex(3)
    assert not finance.registry[ActionId.EDIT_FUNDING].isEnabled()
    page.funding_view.selectRow(0)
    seen: dict[str, str] = {}

    def edit(dialog: FundingDialog) -> None:
        assert "$10,000.00" in dialog.award_terms.text()
        dialog.award.setText("15JCOPS-26-GG-00001")
        dialog.change_button.click()
        seen["waiting"] = dialog.waiting.text()
        assert not dialog.change_button.isEnabled()
        dialog.accept()

    def ask(dialog: Any) -> None:
        dialog.amount.setText("$12,000.00")
        dialog.accept()
        seen["no reason"] = dialog.form.error_text("reason")
        qtbot.keyClicks(dialog.reason, "supplemental award")
        dialog.accept()

    say.dialogs.expect(edit)
    say.dialogs.expect(ask)
    finance.registry[ActionId.EDIT_FUNDING].trigger()
    settle()
    assert seen["no reason"] == "Reason is required."
    assert seen["waiting"].startswith("Requested: change #1 waits for a chief's approval")
    assert db.execute("SELECT amount_cents, award_number FROM funding_sources").fetchone() == (
        1_000_000,
        "15JCOPS-26-GG-00001",
    )
    assert not finance.registry[ActionId.APPROVE_AWARD_CHANGE].isEnabled()
    finance.close()

    chief = window_as(users["chief.harmon"])
    page = approvals_tab(chief)
    assert page.select_award_change(1)
    assert page.award_changes.index(0, 2).data() == "$10,000.00 → $12,000.00"
    chief.registry[ActionId.APPROVE_AWARD_CHANGE].trigger()
    settle()
    assert say.messages[-1][:2] == ("confirm", "Approve award change")
    assert db.execute("SELECT amount_cents FROM funding_sources").fetchone() == (1_200_000,)
    assert page.award_changes.index(0, 6).data().startswith("Approved by chief.harmon, ")
    assert "$12,000.00" in page.money.text()


def test_a_double_click_on_a_funding_source_opens_it_for_finance_only(
    program: int,
    users: dict[str, Actor],
    window_as: Callable[[Actor], MainWindow],
    say: Prompts,
) -> None:
    """As the Edit button: a sergeant, who may not manage funding, gets no editor."""
    sergeant = window_as(users["sgt.delgado"])
    page = claims_page(sergeant)
    page.tabs.setCurrentIndex(3)
    page.funding_view.selectRow(0)
    page.funding_view.doubleClicked.emit(page.funding_view.currentIndex())
    settle()
    assert say.dialogs.seen == []
    sergeant.close()

    finance = window_as(users["fin.ruiz"])
    page = claims_page(finance)
    page.tabs.setCurrentIndex(3)
    page.funding_view.selectRow(0)
    names: list[str] = []
    say.dialogs.expect(lambda dialog: names.append(dialog.name.text()) or dialog.reject())
    page.funding_view.doubleClicked.emit(page.funding_view.currentIndex())
    settle()
    assert names == [page.funding.index(0, 0).data()]


def test_the_eligibility_dialog_shows_earlier_denied_claims_with_reason_and_who(
    submitted: list[int],
    users: dict[str, Actor],
    window_as: Callable[[Actor], MainWindow],
    say: Prompts,
    db: Database,
    chicago: None,
) -> None:
    denied_at = datetime(2026, 2, 20, 15, 0, tzinfo=UTC)  # 09:00 in Illinois, in winter
    claim_workflow.deny_claim(
        db, users["chief.harmon"], submitted[0], reason="sign-in sheet missing", now=denied_at
    )
    window = window_as(users["sgt.delgado"])
    claims_page(window)
    seen: dict[str, Any] = {}

    def look(dialog: EligibleDialog) -> None:
        settle()
        seen["before"] = dialog.denied.text()
        row = dialog.model.find_row(lambda r: r.officer.badge == "101")
        seen["claimable"] = dialog.model.row(row).claimable
        seen["column"] = dialog.model.index(row, 4).data()
        seen["tip"] = dialog.model.index(row, 4).data(Qt.ItemDataRole.ToolTipRole)
        dialog.view.setCurrentIndex(dialog.proxy.mapFromSource(dialog.model.index(row, 1)))
        seen["detail"] = dialog.denied.text()
        other = dialog.model.find_row(lambda r: r.officer.badge == "102")
        seen["other"] = dialog.model.index(other, 4).data()

    say.dialogs.expect(look)
    window.registry[ActionId.FIND_ELIGIBLE].trigger()
    line = (
        f"Claim #{submitted[0]}, Bonus (this program): denied 2026-02-20 09:00 CST by "
        "chief.harmon: sign-in sheet missing"
    )
    assert (
        seen["before"]
        == "1 of these officers had a claim denied before: select one to see why and by whom."
    )
    assert seen["claimable"]  # a denial does not stop a new claim
    assert seen["column"] == f"#{submitted[0]}"
    assert seen["tip"] == line.replace(" (this program)", "")
    assert "Alvarez, Maria: claims denied before" in seen["detail"]
    assert line in seen["detail"]
    assert seen["other"] == ""


def cell_fits(view: Any, index: Any) -> bool:
    """True when the cell's words show whole in its width and height, wrapped between words."""
    rect = view.visualRect(index)
    margin = 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
    text = str(index.data())
    needed = view.fontMetrics().boundingRect(
        QRect(0, 0, rect.width() - margin, 10_000), Qt.TextFlag.TextWordWrap, text
    )
    return needed.width() <= rect.width() - margin and needed.height() <= rect.height()


def test_claim_columns_show_whole_names_at_the_default_window_size(
    qtbot: Any,
    officers: dict[str, int],
    users: dict[str, Actor],
    window_as: Callable[[Actor], MainWindow],
    db: Database,
) -> None:
    funding.add_funding_source(
        db,
        users["fin.ruiz"],
        {
            "name": "City of Millbrook training incentive line FY25",
            "kind": "local_budget",
            "amount": "$40,000",
            "start": (TODAY - timedelta(days=400)).isoformat(),
            "end": (TODAY + timedelta(days=400)).isoformat(),
        },
    )
    record_class(
        db,
        users["sgt.delgado"],
        {
            "course": "ICAT De-escalation",
            "completed": (TODAY - timedelta(days=30)).isoformat(),
            "hours": "8",
            "topics": "de_escalation",
        },
        [officers["101"], officers["102"]],
    )
    program = bonus.add_program(
        db,
        users["chief.harmon"],
        {
            "name": "De-escalation completion bonus 2025",
            "topics": "de_escalation",
            "min_hours": 8,
            "start": (TODAY - timedelta(days=300)).isoformat(),
            "end": TODAY.isoformat(),
            "funding_source": "City of Millbrook training incentive line FY25",
        },
    )
    claims = bonus.create_claims(db, users["sgt.delgado"], program, [officers["101"]])
    claim_workflow.submit_claims(db, users["sgt.delgado"], claims)
    window = window_as(users["chief.harmon"])
    window.resize(1280, 800)
    page = claims_page(window)
    settle()
    assert window.width() == 1280
    assert page.search.width() >= page.search.fontMetrics().horizontalAdvance(
        page.search.placeholderText()
    )
    row = page.proxy.rowCount() - 1
    for column in (ClaimColumn.PROGRAM, ClaimColumn.FUNDING, ClaimColumn.LAST_STEP):
        index = page.proxy.index(row, column)
        assert cell_fits(page.view, index), (column, index.data())
    assert page.proxy.index(row, ClaimColumn.LAST_STEP).data().endswith("\nby sgt.delgado")


def test_each_funding_source_shows_its_balance_at_the_default_window_size(
    qtbot: Any,
    users: dict[str, Actor],
    window_as: Callable[[Actor], MainWindow],
    db: Database,
) -> None:
    for name, kind, award in (
        ("City of Millbrook training incentive line FY25", "local_budget", ""),
        ("COPS CPD de-escalation FY25", "cops_deescalation", "15JCOPS-25-GG-03835-DEES"),
    ):
        funding.add_funding_source(
            db,
            users["fin.ruiz"],
            {
                "name": name,
                "kind": kind,
                "award_number": award,
                "amount": "$250,000",
                "start": (TODAY - timedelta(days=400)).isoformat(),
                "end": (TODAY + timedelta(days=400)).isoformat(),
            },
        )
    window = window_as(users["fin.ruiz"])
    window.resize(1280, 800)
    page = claims_page(window)
    page.tabs.setCurrentIndex(3)
    settle()
    view = page.funding_view
    header = view.horizontalHeader()
    balance = next(
        c
        for c in range(header.count())
        if page.funding.headerData(c, Qt.Orientation.Horizontal) == "Balance"
    )
    # The figure finance opens the tab for, with nothing scrolled.
    assert header.sectionViewportPosition(balance) + header.sectionSize(balance) <= (
        view.viewport().width()
    )
    for row in range(page.funding.rowCount()):
        for column in (0, 1, 3, balance):
            index = page.funding.index(row, column)
            assert cell_fits(view, index), (column, index.data())
