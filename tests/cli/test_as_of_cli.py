"""`deesc compliance --as-of` and `deesc cit --as-of` describe the day asked for (issue 16).

The demo is built on the real today, so every date here comes from its own rows.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from tests.cli.test_cli import run


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("as-of-cli") / "demo.db"
    from deesc_desktop.demo import DEMO_ACTOR, load_demo
    from deesc_desktop.services.cit import update_cit_settings
    from deesc_desktop.store import open_database

    db = open_database(path)
    load_demo(db)
    # An agency policy that CIT certificates last three years (the default is no expiry),
    # so that a refresher's effect on the expiry date shows.
    update_cit_settings(db, DEMO_ACTOR, {"validity_years": 3})
    db.close()
    return path


def one(path: Path, sql: str, *params: object) -> tuple[object, ...]:
    with sqlite3.connect(path) as conn:
        row = conn.execute(sql, params).fetchone()
    assert row is not None
    return tuple(row)


def test_compliance_json_as_of_a_past_date_has_the_officers_serving_then(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (separated,) = one(demo_db, "SELECT separation_date FROM officers WHERE last_name = 'Díaz'")
    day = date.fromisoformat(str(separated)).replace(month=1, day=2)
    args = ("--db", str(demo_db), "compliance", "--format", "json", "--as-of", day.isoformat())
    code, out, _ = run(capsys, *args)
    assert code == 0
    badges = {r["badge"] for r in json.loads(out)["results"]}
    serving = one(
        demo_db,
        "SELECT count(*) FROM officers WHERE hire_date <= ?"
        " AND (separation_date IS NULL OR separation_date >= ?)",
        day.isoformat(),
        day.isoformat(),
    )[0]
    assert len(badges) == serving
    (diaz,) = one(demo_db, "SELECT badge FROM officers WHERE last_name = 'Díaz'")
    (coleman,) = one(demo_db, "SELECT badge FROM officers WHERE last_name = 'Coleman'")
    assert diaz in badges and coleman not in badges
    statuses = {r["status"] for r in json.loads(out)["results"]}
    assert "not_applicable" not in statuses


def test_cit_as_of_before_the_refresher_gives_the_first_expiry(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first_of_role = (
        "SELECT min(r.completed) FROM training_records r JOIN courses c ON c.id = r.course_id"
        " WHERE c.cit_role = ?"
    )
    basic, refresher = (
        date.fromisoformat(str(one(demo_db, first_of_role, role)[0]))
        for role in ("certifying", "refresher")
    )
    day = date(basic.year, 12, 31)
    assert day < refresher
    code, out, _ = run(
        capsys, "--db", str(demo_db), "cit", "--format", "json", "--as-of", day.isoformat()
    )
    assert code == 0
    data = json.loads(out)
    expiries = {row["expires"] for row in data["roster"]}
    assert expiries == {basic.replace(year=basic.year + 3).isoformat()}
    assert all(row["last_refresher"] in (None, "") for row in data["roster"])
