"""`deesc cit`, `deesc followups` and `deesc bonus`: exit codes, messages and JSON shapes."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import date
from pathlib import Path

import pytest

from deesc_desktop.cli import main

ROSTER = """badge,last_name,first_name,unit,shift,hire_date
0101,Peña,Ana,Patrol,Days,2015-03-01
0102,Kim,Daniel,Patrol,Days,2016-04-01
0103,Walsh,Brendan,Patrol,Nights,2017-05-01
0104,Okafor,Chidi,Patrol,Nights,2018-06-01
0105,Novak,Petra,Investigations,Days,2012-01-01
"""
TRAINING = """badge,course,completed,hours,topics,course_number,pre_test,post_test
0101,CIT Basic,2023-04-14,40,crisis_intervention:36;de_escalation:4,CIT-40,,
0102,CIT Basic,2023-04-14,40,crisis_intervention:36;de_escalation:4,CIT-40,,
0101,ICAT De-escalation,2025-03-04,8,de_escalation,ICAT-8,60,85
0103,ICAT De-escalation,2025-03-04,8,de_escalation,ICAT-8,55,68
0104,ICAT De-escalation,2025-03-04,8,de_escalation:6;use_of_force:2,ICAT-8,60,90
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


PASSWORD = "correct horse"
USERS = {"chief.ortiz": "chief", "fin.lee": "finance", "viewer.v": "viewer"}


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    """An agency of five officers with CIT and de-escalation training, built with the command.

    Its users all have one password; commands sign in as admin.one unless told otherwise.
    """
    path = str(tmp_path / "agency.db")
    monkeypatch.setenv("DEESC_NEW_PASSWORD", PASSWORD)
    monkeypatch.setenv("DEESC_PASSWORD", PASSWORD)
    monkeypatch.setenv("DEESC_USER", "admin.one")
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    (tmp_path / "training.csv").write_text(TRAINING, encoding="utf-8")
    init = ("init", "--name", "Millbrook PD", "--state", "IL", "--admin", "admin.one")
    assert run(capsys, "--db", path, *init)[0] == 0
    for name, role in USERS.items():
        assert run(capsys, "--db", path, "users", "add", name, "--role", role)[0] == 0
    for kind in ("roster", "training"):
        code, _, err = run(capsys, "--db", path, "import", kind, str(tmp_path / f"{kind}.csv"))
        assert code == 0, err
    # The agency's policy: certificates last 3 years (the default is no expiry).
    assert run(capsys, "--db", path, "cit", "settings", "--validity-years", "3")[0] == 0
    return path


def test_cit_roster_and_coverage_as_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", db, "cit", "course", "CIT-40", "--role", "certifying")
    assert (code, err) == (0, "")
    assert out == "CIT-40 is the CIT certifying course.\n"
    code, out, _ = run(capsys, "--db", db, "cit", "--as-of", "2026-02-01", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["as_of"] == "2026-02-01" and report["settings"]["target_percent"] == 25
    assert [(r["badge"], r["status"], r["expires"], r["days_left"]) for r in report["roster"]] == [
        ("0102", "expiring", "2026-04-14", 72),
        ("0101", "expiring", "2026-04-14", 72),
    ]
    coverage = report["coverage"]
    assert {k: coverage[k] for k in ("officers", "certified", "percent", "meets_target")} == {
        "officers": 4,
        "certified": 2,
        "percent": 50.0,
        "meets_target": True,
    }
    assert coverage["uncovered_shifts"] == ["Nights"]
    assert coverage["shifts"] == [
        {"shift": "Days", "officers": 2, "certified": 2, "percent": 100.0, "uncovered": False},
        {"shift": "Nights", "officers": 2, "certified": 0, "percent": 0.0, "uncovered": True},
    ]


def test_cit_table_and_csv(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "--db", db, "cit", "course", "CIT Basic", "--role", "certifying")
    code, out, _ = run(capsys, "--db", db, "cit", "--as-of", "2026-05-01")
    assert code == 0
    assert "Coverage of Patrol (active officers): 0 of 4 counted, 0.0%" in out
    assert "Certificates last 3 years" in out and "(agency policy, not a state rule)" in out
    assert "Peña, Ana" in out and "expired" in out and "1 more to reach target" in out
    code, out, _ = run(capsys, "--db", db, "cit", "--as-of", "2025-05-01", "--format", "csv")
    roster, shifts = out.split("\n\n")
    rows = list(csv.DictReader(io.StringIO(roster)))
    assert [(r["badge"], r["status"]) for r in rows] == [("0102", "current"), ("0101", "current")]
    flags = {r["shift"]: r["flag"] for r in csv.DictReader(io.StringIO(shifts))}
    assert flags == {"Days": "", "Nights": "NO CIT OFFICER", "ALL": "target met"}


def test_cit_refusals_and_usage_errors(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(Path(db))
    code, _, err = run(capsys, "--db", db, "cit", "course", "ICAT-8", "--role", "certifying")
    assert code == 1
    assert "ICAT De-escalation is 8.0 h; a CIT certifying course needs at least 40.0 h" in err
    code, _, err = run(capsys, "--db", db, "cit", "course", "Basket weaving", "--role", "refresher")
    assert code == 1 and 'There is no course titled or numbered "Basket weaving"' in err
    code, _, err = run(capsys, "--db", db, "cit", "settings", "--target-percent", "150")
    assert code == 1 and "target_percent: must be between 0 and 100" in err
    assert digest(Path(db)) == before
    assert run(capsys, "--db", db, "cit", "--as-of", "2025-13-01")[0] == 2
    assert run(capsys, "--db", db, "cit", "course", "CIT-40", "--role", "basic")[0] == 2


def test_certificates_settings_and_followups(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "--db",
        db,
        "cit",
        "add",
        "0103",
        "--earned",
        "2024-06-01",
        "--issuer",
        "CIT Michigan",
        "--number",
        "MI-88",
    )
    assert (code, out) == (0, "Recorded certificate #1 for badge 0103.\n")
    code, out, _ = run(capsys, "--db", db, "cit", "--as-of", "2025-01-01", "--format", "json")
    (walsh,) = json.loads(out)["roster"]
    assert walsh["source"] == "Certificate MI-88 (CIT Michigan) 2024-06-01"
    assert walsh["expires"] == "2027-06-01"
    code, out, _ = run(capsys, "--db", db, "cit", "revoke", "1", "--reason", "wrong officer")
    assert (code, out) == (0, "Certificate #1 revoked.\n")
    code, out, _ = run(
        capsys, "--db", db, "cit", "settings", "--validity-years", "2", "--format", "json"
    )
    assert code == 0 and json.loads(out)["validity_years"] == 2
    code, _, err = run(
        capsys, "--db", db, "cit", "add", "9999", "--earned", "2024-06-01", "--issuer", "X"
    )
    assert code == 1 and 'There is no officer with badge "9999"' in err

    code, out, err = run(
        capsys,
        "--db",
        db,
        "followups",
        "add",
        "0101",
        "--date",
        "2025-09-01",
        "--assessor",
        "Sgt. Delgado",
        "--score",
        "88",
        "--course",
        "ICAT-8",
    )
    assert (code, err) == (0, "")
    code, out, _ = run(capsys, "--db", db, "followups", "list", "--format", "json")
    (followup,) = json.loads(out)
    assert {k: followup[k] for k in ("badge", "score", "course", "completed", "post_test")} == {
        "badge": "0101",
        "score": 88.0,
        "course": "ICAT De-escalation",
        "completed": "2025-03-04",
        "post_test": 85.0,
    }
    code, _, err = run(
        capsys,
        "--db",
        db,
        "followups",
        "add",
        "0102",
        "--date",
        "2025-09-01",
        "--assessor",
        "Sgt. Delgado",
        "--score",
        "88",
        "--course",
        "ICAT-8",
    )
    assert code == 1 and 'Badge 0102 has no completion of "ICAT-8"' in err


def _bonus(
    db: str, capsys: pytest.CaptureFixture[str], *args: str, user: str = "admin.one"
) -> tuple[int, str, str]:
    return run(capsys, "--db", db, "--user", user, "bonus", *args)


FINANCE = "fin.lee"
CHIEF = "chief.ortiz"


def test_bonus_from_program_to_payment(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _bonus(
        db,
        capsys,
        "add-funding",
        "--name",
        "COPS FY25",
        "--kind",
        "cops_deescalation",
        "--amount",
        "$250,000",
        "--start",
        "2024-10-01",
        "--end",
        "2099-09-30",
        user=FINANCE,
    )
    assert (code, err) == (0, "")
    code, out, err = _bonus(
        db,
        capsys,
        "add-program",
        "--name",
        "Bonus 2025",
        "--topics",
        "de_escalation",
        "--min-hours",
        "8",
        "--passing-score",
        "70",
        "--start",
        "2025-01-01",
        "--end",
        "2025-12-31",
        "--funding",
        "COPS FY25",
        user=CHIEF,
    )
    assert code == 0, err
    assert "$3,800.00 for 8.0 h of de_escalation, post-test 70+" in out
    code, out, _ = _bonus(db, capsys, "programs", "--format", "json")
    (program,) = json.loads(out)
    assert (program["amount_cents"], program["amount"], program["one_time"]) == (
        380_000,
        "$3,800.00",
        True,
    )

    code, out, _ = _bonus(db, capsys, "eligible", "Bonus 2025", "--all", "--format", "json")
    officers = {o["badge"]: o for o in json.loads(out)["officers"]}
    assert [b for b, o in officers.items() if o["eligible"]] == ["0101"]
    assert officers["0103"]["lacking"] == ["post-test 68 below the passing 70"]
    assert officers["0104"]["lacking"] == [
        "6.0 of 8.0 h of de-escalation between 2025-01-01 and 2025-12-31"
    ]
    code, _, err = _bonus(db, capsys, "claim", "Bonus 2025", "0103")
    assert code == 1 and "Walsh, Brendan does not qualify for Bonus 2025" in err

    assert _bonus(db, capsys, "claim", "1", "--all-eligible") == (
        0,
        "Drafted 1 claim(s): #1.\n",
        "",
    )
    assert _bonus(db, capsys, "submit", "--all")[0] == 0
    before = digest(Path(db))
    code, _, err = _bonus(db, capsys, "approve", "1")  # the same command-line user
    assert code == 1 and "submitted claim #1 and may not approve it" in err
    code, _, err = _bonus(db, capsys, "approve", "1", user="viewer.v")
    assert code == 1 and "viewer.v (Viewer (read-only)) may not approve" in err
    assert digest(Path(db)) == before
    assert _bonus(db, capsys, "approve", "1", user=CHIEF) == (0, "Approved 1 claim(s).\n", "")

    code, out, _ = _bonus(db, capsys, "funding", "--format", "json")
    (source,) = json.loads(out)
    assert (source["committed_cents"], source["balance"]) == (380_000, "$246,200.00")

    # Approved today, the claim cannot have been paid at an earlier payroll run.
    early = ("batch", "create", "--reference", "PR-2025-12-19", "--date", "2025-12-19")
    code, _, err = _bonus(db, capsys, *early, user=FINANCE)
    assert code == 1 and "Claim #1 cannot be paid on 2025-12-19: it was approved on" in err
    today = date.today().isoformat()
    batch_args = ("batch", "create", "--reference", "PR-1", "--date", today)
    code, out, err = _bonus(db, capsys, *batch_args, user=FINANCE)
    assert out == f"Payment batch #1 PR-1: 1 claim(s), $3,800.00, to be paid {today}.\n"
    export = tmp_path / "payroll.csv"
    assert _bonus(db, capsys, "batch", "export", "PR-1", "-o", str(export))[0] == 0
    rows = list(csv.DictReader(export.open(encoding="utf-8-sig")))
    assert [(r["badge"], r["name"], r["amount"]) for r in rows] == [
        ("0101", "Peña, Ana", "3800.00")
    ]
    assert _bonus(db, capsys, "batch", "pay", "PR-1", user=FINANCE)[1] == (
        "Paid 1 claim(s), $3,800.00.\n"
    )
    code, _, err = _bonus(
        db, capsys, "pay", "1", "--date", "2025-12-20", "--reference", "X", user=FINANCE
    )
    assert code == 1 and "Claim #1 is paid; only an approved claim can be paid." in err
    code, _, _ = _bonus(
        db, capsys, "adjust", "1", "--amount", "-200", "--reason", "overpaid", user=FINANCE
    )
    assert code == 0
    code, out, _ = _bonus(db, capsys, "claims", "--status", "paid", "--format", "json")
    (claim,) = json.loads(out)
    assert {
        k: claim[k]
        for k in ("id", "status", "amount_cents", "adjustments_cents", "net_cents", "paid_on")
    } == {
        "id": 1,
        "status": "paid",
        "amount_cents": 380_000,
        "adjustments_cents": -20_000,
        "net_cents": 360_000,
        "paid_on": today,
    }
    assert (claim["approved_by"], claim["paid_by"], claim["payment_reference"]) == (
        "chief.ortiz",
        "fin.lee",
        "PR-1",
    )
    code, out, _ = _bonus(db, capsys, "claims")
    assert "1 claim(s): 1 paid $3,600.00 (net of adjustments).\n" in out

    # An addition and a bigger award wait for the chief; whoever entered them cannot approve.
    code, out, err = _bonus(
        db, capsys, "adjust", "1", "--amount", "150", "--reason", "retro rate", user=FINANCE
    )
    assert code == 0, err
    assert "it counts only once a chief approves it" in out
    code, out, _ = _bonus(db, capsys, "adjustments", "--status", "pending", "--format", "json")
    (pending,) = json.loads(out)
    assert (pending["amount_cents"], pending["created_by"]) == (15_000, FINANCE)
    code, _, err = _bonus(db, capsys, "approve-adjustment", str(pending["id"]), user=FINANCE)
    assert code == 1 and "fin.lee (Finance) may not approve" in err
    assert _bonus(db, capsys, "approve-adjustment", str(pending["id"]), user=CHIEF)[0] == 0
    code, out, _ = _bonus(db, capsys, "claims", "--format", "json")
    assert json.loads(out)[0]["net_cents"] == 375_000
    award = ("award-change", "COPS FY25", "--amount", "300000", "--reason", "supplement")
    code, out, err = _bonus(db, capsys, *award, user=FINANCE)
    assert code == 0, err
    assert "the award stays as it is until a chief approves the change" in out
    code, _, err = _bonus(db, capsys, "approve-award", "1", user="admin.one")
    assert code == 0, err
    code, out, _ = _bonus(db, capsys, "funding", "--format", "json")
    assert json.loads(out)[0]["awarded_cents"] == 30_000_000

    # A chief may reject instead, with a reason; the rejected change never counts.
    code, out, err = _bonus(
        db, capsys, "adjust", "1", "--amount", "90", "--reason", "typo", user=FINANCE
    )
    assert code == 0, err
    code, out, _ = _bonus(db, capsys, "adjustments", "--status", "pending", "--format", "json")
    (second,) = json.loads(out)
    code, out, err = _bonus(
        db, capsys, "reject-adjustment", str(second["id"]), "--reason", "no basis", user=CHIEF
    )
    assert code == 0, err
    assert f"Adjustment #{second['id']} rejected: it never counts." in out
    code, out, _ = _bonus(db, capsys, "adjustments", "--format", "table")
    assert "(rejected: no basis)" in out and "by chief.ortiz" in out
    code, out, _ = _bonus(db, capsys, "claims", "--format", "json")
    assert json.loads(out)[0]["net_cents"] == 375_000
    award = ("award-change", "COPS FY25", "--amount", "400000", "--reason", "more")
    code, _, err = _bonus(db, capsys, *award, user=FINANCE)
    assert code == 0, err
    code, out, err = _bonus(
        db, capsys, "reject-award", "2", "--reason", "not granted", user="admin.one"
    )
    assert code == 0, err
    assert "Award change #2 rejected: the award stays as it was." in out
    code, out, _ = _bonus(db, capsys, "funding", "--format", "json")
    assert json.loads(out)[0]["awarded_cents"] == 30_000_000


def test_bonus_usage_errors_exit_2(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _bonus(db, capsys)[0] == 2
    assert _bonus(db, capsys, "refund", "1")[0] == 2
    assert _bonus(db, capsys, "submit")[0] == 2
    assert _bonus(db, capsys, "claim", "1")[0] == 2
    code, _, err = _bonus(db, capsys, "eligible", "No such program")
    assert code == 1 and 'There is no bonus program "No such program"' in err
