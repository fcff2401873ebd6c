"""Interleaved measurement and machine-load sampling, so ratios hold up on a shared machine."""

from __future__ import annotations

import os
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

Measure = Callable[[], float]
"""One run of one side of a figure; returns what it measured (seconds, bytes, ...)."""


@dataclass
class Samples:
    """What each side measured, in the order the runs alternated."""

    deesc: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)

    @property
    def deesc_median(self) -> float:
        return statistics.median(self.deesc)

    @property
    def baseline_median(self) -> float | None:
        return statistics.median(self.baseline) if self.baseline else None

    @property
    def ratio(self) -> float | None:
        """Median of the per-repetition ratios.

        Each repetition's two runs are next to each other in time, so a burst of load from
        someone else's test suite inflates both; the ratio of a pair cancels most of it.
        """
        if not self.baseline:
            return None
        pairs = [d / b for d, b in zip(self.deesc, self.baseline, strict=False) if b > 0]
        return statistics.median(pairs) if pairs else None


def interleave(deesc: Measure, baseline: Measure | None, repeat: int) -> Samples:
    """Run the two sides alternately, `repeat` times each, in ABBA order.

    ABBA (baseline first, then product first, and so on) keeps a steady drift in load, or
    a cache warming up, from always favouring the side that runs second.
    """
    samples = Samples()
    for rep in range(repeat):
        order: list[tuple[Measure, list[float]]] = [(deesc, samples.deesc)]
        if baseline is not None:
            pair = (baseline, samples.baseline)
            order = [pair, *order] if rep % 2 == 0 else [*order, pair]
        for measure, into in order:
            into.append(measure())
    return samples


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of `fn` takes."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _cpu_busy_seconds() -> float | None:
    """Seconds of CPU every core of the machine has spent busy since boot (Linux only)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    ticks = [int(x) for x in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _own_cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass(frozen=True, slots=True)
class Load:
    """The machine while one figure ran: load average, and how many cores others kept busy."""

    loadavg_start: float
    loadavg_end: float
    others_cores: float | None
    """CPU used by other processes, in cores (of os.cpu_count()), averaged over the figure."""
    seconds: float

    def text(self) -> str:
        others = "" if self.others_cores is None else f", others used {self.others_cores:.2f} cores"
        return f"load {self.loadavg_start:.2f}->{self.loadavg_end:.2f}{others}"


class LoadMeter:
    """Measures the machine's load across one figure (a context manager)."""

    def __enter__(self) -> LoadMeter:
        self._load = os.getloadavg()[0]
        self._busy = _cpu_busy_seconds()
        self._own = _own_cpu_seconds()
        self._wall = time.monotonic()
        return self

    def __exit__(self, *_exc: object) -> None:
        wall = max(time.monotonic() - self._wall, 1e-6)
        busy = _cpu_busy_seconds()
        others = None
        if busy is not None and self._busy is not None:
            # Children are only counted once they have been waited for; ours always are.
            others = max(0.0, (busy - self._busy) - (_own_cpu_seconds() - self._own)) / wall
        self.result = Load(self._load, os.getloadavg()[0], others, wall)
