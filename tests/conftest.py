"""Shared fixtures: every test gets its own data folders and, where asked, a fresh database."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.demo import load_demo
from deesc_desktop.services.agency import init_agency
from deesc_desktop.store import open_database
from deesc_desktop.store.audit_scan import entry_images


@pytest.fixture(autouse=True)
def _isolated_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes a real user's folders or database."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("DEESC_DB", raising=False)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo agency, written through the app once per test module (copy it to change it)."""
    path = tmp_path_factory.mktemp("pristine") / "deesc.db"
    db = open_database(path)
    load_demo(db)
    db.close()
    return path


@pytest.fixture
def admin() -> Actor:
    return Actor("sgt.admin", Role.ADMIN)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "deesc.db"


@pytest.fixture
def db(db_path: Path, admin: Actor) -> Iterator[Database]:
    """A migrated database holding one Illinois agency and no officers."""
    database = open_database(db_path)
    init_agency(database, admin, {"name": "Test Police Department", "state": "IL"})
    yield database
    database.close()


AGENCY_FIREARMS = {
    "id": "AGENCY-firearms-annual",
    "title": "Firearms qualification every year",
    "effective_from": "2025-01-01",
    "hours": 4.0,
    "topics": ["firearms"],
    "period": {"kind": "calendar_year"},
}
"""An agency's own requirement in the rule-pack shape, as the requirement form saves it."""


def table_counts(db: Database) -> dict[str, int]:
    """Row counts of every table, to show that a refused operation changed nothing."""
    return {
        name: db.execute(f"SELECT count(*) FROM [{name}]").fetchone()[0]
        for name in [*db.table_names(), *db.view_names()]
    }


def logged(db: Database, where: str = "1", params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """The audit entries matching `where` (SQL on the audit_log view), newest first, each with
    the whole rows it recorded before and after (JSON text, as the audit page shows them)."""
    entries = list(db.query(f"SELECT * FROM audit_log WHERE {where} ORDER BY id DESC", params))
    images = entry_images(db, [entry["id"] for entry in entries])
    for entry in entries:
        entry["before"], entry["after"] = images[entry["id"]]
    return entries


@pytest.fixture
def chicago() -> Iterator[None]:
    """This computer's clock set to US Central time, as an Illinois agency's PC would be."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/Chicago"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()
