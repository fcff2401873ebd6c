"""Fixtures of the trust tests: the demo agency as the app writes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from deesc_desktop.demo import load_demo
from deesc_desktop.store.database import open_database


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo agency, written through the app once per test module (copy it to change it)."""
    path = tmp_path_factory.mktemp("pristine") / "deesc.db"
    db = open_database(path)
    load_demo(db)
    db.close()
    return path
