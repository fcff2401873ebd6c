"""The compliance, CIT, bonus and user table models on their own, against Qt's model tester."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from sqlite_utils import Database

from deesc_desktop.core import times
from deesc_desktop.core.auth import Actor
from deesc_desktop.gui.features.cit.models import (
    CertificateModel,
    CitColumn,
    CitRosterModel,
    CoverageModel,
)
from deesc_desktop.gui.features.claims.models import (
    BatchesModel,
    ClaimsModel,
    EligibilityModel,
    EvidenceModel,
    FundingModel,
    ProgramsModel,
)
from deesc_desktop.gui.features.compliance.models import (
    FIRST_REQUIREMENT,
    OVERALL,
    ComplianceMatrixModel,
    OfficerResultsModel,
    SubMinimumModel,
)
from deesc_desktop.gui.features.settings.models import UsersModel
from deesc_desktop.gui.models import RowFilterProxy
from deesc_desktop.services import bonus, claim_workflow, funding
from deesc_desktop.services.cit import add_certification, cit_report
from deesc_desktop.services.compliance import department_compliance
from deesc_desktop.services.training import record_class
from deesc_desktop.services.users import list_users
from deesc_desktop.store.cit import certificate_list
from deesc_desktop.store.claims import claim_evidence, list_claims, programs
from deesc_desktop.store.courses import topic_labels
from deesc_desktop.store.funding import funding_summaries, payment_batches

TODAY = date.today()


def test_compliance_models_pass_the_model_tester(
    qtmodeltester: Any, db: Database, officers: dict[str, int], admin: Actor
) -> None:
    record_class(
        db,
        admin,
        {"course": "ICAT", "completed": "2025-09-01", "hours": "8", "topics": "use_of_force"},
        [officers["101"]],
    )
    rows = department_compliance(db, date(2026, 3, 1))
    matrix = ComplianceMatrixModel()
    matrix.set_matrix(rows)
    qtmodeltester.check(matrix)
    assert matrix.columnCount() == FIRST_REQUIREMENT + len(rows[0].results)
    assert matrix.headerData(OVERALL, Qt.Orientation.Horizontal) == "Overall"
    matrix.sort(FIRST_REQUIREMENT)
    proxy = RowFilterProxy()
    proxy.setSourceModel(matrix)
    proxy.set_predicate(lambda r: r.officer.shift == "Days")
    qtmodeltester.check(proxy)
    matrix.set_matrix([])  # no officers: no requirement columns, and still a sound model
    qtmodeltester.check(matrix)
    assert matrix.columnCount() == FIRST_REQUIREMENT

    results = OfficerResultsModel()
    results.set_rows(list(rows[0].results))
    qtmodeltester.check(results)
    subs = SubMinimumModel()
    subs.set_rows(list(rows[0].results[0].sub_minimums))
    qtmodeltester.check(subs)
    assert subs.rowCount() == 3


def test_cit_models_pass_the_model_tester(
    qtmodeltester: Any, db: Database, officers: dict[str, int], admin: Actor
) -> None:
    add_certification(
        db,
        admin,
        officers["101"],
        {"earned": (TODAY - timedelta(days=30)).isoformat(), "issuer": "State CIT"},
    )
    report = cit_report(db, TODAY)
    roster = CitRosterModel()
    roster.set_rows(list(report.roster))
    qtmodeltester.check(roster)
    # The source column is narrow: its tooltip gives the whole of it.
    source = roster.index(0, CitColumn.SOURCE)
    assert source.data(Qt.ItemDataRole.ToolTipRole) == source.data() != ""
    coverage = CoverageModel()
    coverage.set_rows(list(report.coverage.shifts))
    qtmodeltester.check(coverage)
    certificates = CertificateModel()
    certificates.set_rows(certificate_list(db))
    qtmodeltester.check(certificates)


def test_bonus_and_user_models_pass_the_model_tester(
    qtmodeltester: Any,
    db: Database,
    officers: dict[str, int],
    users: dict[str, Actor],
) -> None:
    funding.add_funding_source(
        db,
        users["fin.ruiz"],
        {
            "name": "Local",
            "kind": "local_budget",
            "amount": "10000",
            "start": "2020-01-01",
            "end": "2030-12-31",
        },
    )
    record_class(
        db,
        users["sgt.delgado"],
        {
            "course": "ICAT",
            "completed": (TODAY - timedelta(days=5)).isoformat(),
            "hours": "8",
            "topics": "de_escalation",
            "post_test": "",
        },
        [officers["101"], officers["102"]],
    )
    program = bonus.add_program(
        db,
        users["chief.harmon"],
        {
            "name": "Bonus",
            "topics": "de_escalation",
            "min_hours": 8,
            "start": "2020-01-01",
            "end": TODAY.isoformat(),
            "funding_source": "Local",
        },
    )
    eligible = EligibilityModel()
    eligible.set_rows(bonus.find_eligible(db, program))
    qtmodeltester.check(eligible)
    assert len(eligible.checked) == 2
    ids = bonus.create_claims(db, users["sgt.delgado"], program, [officers["101"]])
    claim_workflow.submit_claims(db, users["sgt.delgado"], ids)
    claim_workflow.approve_claims(db, users["chief.harmon"], ids)
    funding.create_payment_batch(
        db, users["fin.ruiz"], {"reference": "B1", "pay_date": times.today().isoformat()}
    )
    for model, rows in (
        (ClaimsModel(), list_claims(db)),
        (EvidenceModel(), claim_evidence(db, ids[0])),
        (FundingModel(), funding_summaries(db)),
        (BatchesModel(), payment_batches(db)),
        (UsersModel(), list_users(db)),
    ):
        model.set_rows(rows)
        qtmodeltester.check(model)
    plans = ProgramsModel()
    plans.set_programs(programs(db), topic_labels(db))
    qtmodeltester.check(plans)
    assert plans.index(0, ProgramsModel.RULE).data() == "8.0 h of de-escalation"
