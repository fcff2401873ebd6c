"""Commands in these tests sign in as the demo administrator when a database has users."""

from __future__ import annotations

import pytest

from deesc_desktop.demo import DEMO_ACTOR, DEMO_PASSWORD


@pytest.fixture(autouse=True)
def _demo_sign_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEESC_USER", DEMO_ACTOR.username)
    monkeypatch.setenv("DEESC_PASSWORD", DEMO_PASSWORD)
