"""CI runs the benchmark at the small size, so it keeps working; its numbers are not asserted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bench.figures import FIGURES

REPO = Path(__file__).resolve().parents[2]


def test_the_small_benchmark_runs_and_prints_every_figure(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--size", "small", "--keep", str(tmp_path / "data")],
        cwd=REPO,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    lines = done.stdout.splitlines()
    for figure in FIGURES:
        for label in figure.labels:
            row = next((line for line in lines if line.startswith(label)), None)
            assert row is not None, f"no row for {label!r} in:\n{done.stdout}"
            assert "crashed" not in row, row
