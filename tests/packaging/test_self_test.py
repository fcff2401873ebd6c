"""`deesc-desktop --self-test`: every step passes on a good install, and a failure says why."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from deesc_desktop import selftest

ROOT = Path(__file__).resolve().parent.parent.parent


def test_self_test_passes_and_prints_every_step(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "deesc_desktop.gui.app", "--self-test"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("deesc-desktop ")
    for step in selftest.STEPS:
        assert any(line.startswith(f"ok  {step} (") for line in lines), (step, done.stdout)
    assert lines[-1].startswith(f"self-test passed: {len(selftest.STEPS)} steps")
    assert "FAILED" not in done.stdout
    assert list(tmp_path.iterdir()) == []  # everything happened in its own temporary folder


def test_a_missing_resource_fails_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("deesc_desktop.paths.resources_dir", lambda: tmp_path)
    out: list[str] = []
    assert selftest.run_self_test(out.append) == 1
    assert out[-1].startswith(f"FAILED find resources: missing from {tmp_path}: fonts/")
    assert not any(line.startswith("ok  create database") for line in out)


def test_an_unexpected_error_names_its_step_and_type(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> str:
        raise RuntimeError("the demo could not be written")

    monkeypatch.setattr("deesc_desktop.demo.load_demo", broken)
    out: list[str] = []
    assert selftest.run_self_test(out.append) == 1
    assert [line.split(" (")[0] for line in out[1:-1]] == [
        "ok  find resources",
        "ok  create database",
        "ok  run migrations",
    ]
    assert out[-1] == "FAILED load demo agency: RuntimeError: the demo could not be written"


def test_self_test_is_an_option_of_the_app() -> None:
    from deesc_desktop.gui.app import build_parser

    assert build_parser().parse_args(["--self-test"]).self_test is True
