"""`python -m bench`: generate or reuse a synthetic agency, measure every figure, print a table."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from bench.figures import FIGURES, PLANS, REPO, Context, Row, run_figure, scratch_folder
from bench.generate import SIZES

DEFAULT_SEED = 1988
DEFAULT_FOLDER = REPO / "bench" / ".data"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure deesc-desktop's performance figures (issue 8) next to baselines "
        "of the bare libraries doing the same work. Targets are reported, never asserted: "
        "the exit status is 0 unless a figure crashed.",
    )
    parser.add_argument("--size", choices=list(SIZES), default="small")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="FIGURE",
        choices=[f.name for f in FIGURES],
        help=f"measure only these figures ({', '.join(f.name for f in FIGURES)})",
    )
    parser.add_argument(
        "--keep",
        metavar="DIR",
        type=Path,
        default=DEFAULT_FOLDER,
        help="folder where generated databases are cached, by size and seed (default: bench/.data)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--repeat", type=int, help="repetitions of each figure (default: by size, 3 to 5)"
    )
    parser.add_argument("--json", metavar="FILE", type=Path, help="also write the results here")
    return parser


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _version(module: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(module)
    except PackageNotFoundError:
        return "?"


def _git() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "deesc_desktop"],
            cwd=REPO,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "?"
    return f"{head}{' with uncommitted changes to deesc_desktop' if dirty else ''}"


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}",
        "software": f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"PySide6 {_version('PySide6_Essentials')}, ReportLab {_version('reportlab')}, "
        f"sqlite-utils {_version('sqlite-utils')}",
        "code": _git(),
    }


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    digits = 0 if value >= 100 else 1 if value >= 10 else 2 if value >= 1 else 3
    return f"{value:,.{digits}f} {unit}"


def format_table(rows: Sequence[Row]) -> str:
    headers = ("figure", "deesc", "baseline", "ratio", "target", "met?")
    lines = []
    for row in rows:
        if row.status != "measured":
            lines.append((row.label, row.status, "", "", row.target.text, "-"))
            continue
        met = {True: "yes", False: "NO", None: "-"}[row.met]
        ratio = "-" if row.ratio is None else f"{row.ratio:.2f}"
        lines.append(
            (
                row.label,
                _value(row.deesc, row.unit),
                _value(row.baseline, row.unit),
                ratio,
                row.target.text,
                met,
            )
        )
    widths = [max(len(str(x[i])) for x in (headers, *lines)) for i in range(len(headers))]

    def fmt(cells: Sequence[str]) -> str:
        parts = [
            str(c).ljust(w) if i in (0, 4, 5) else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    out = [fmt(headers), fmt(["-" * w for w in widths])]
    out += [fmt(line) for line in lines]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    size = SIZES[args.size]
    plan = PLANS[size.name]
    if args.repeat:
        plan = replace(plan, repeat=args.repeat, gui_runs=args.repeat)
    figures = [f for f in FIGURES if not args.only or f.name in args.only]
    info = machine()
    started = time.monotonic()
    load_start = os.getloadavg()
    rows: list[Row] = []
    args.keep.mkdir(parents=True, exist_ok=True)
    with scratch_folder(args.keep) as scratch:
        ctx = Context(size, args.seed, args.keep, plan, _log, scratch)
        ctx.main_db  # noqa: B018 - generate before anything is timed
        for figure in figures:
            _log(f"== {figure.name}")
            for row in run_figure(figure, ctx):
                rows.append(row)
                _log(f"   {row.label}: {row.status} {_value(row.deesc, row.unit)}"
                     f" / {_value(row.baseline, row.unit)}  {row.note}")  # fmt: skip
    load_end = os.getloadavg()
    print(f"deesc-desktop benchmark, size {size.name} ({size.officers:,} officers), "
          f"seed {args.seed}")  # fmt: skip
    for key, value in info.items():
        print(f"  {key}: {value}")
    for generated in ctx.generated.values():
        how = "cached" if generated.cached else f"generated in {generated.seconds:.1f} s"
        print(f"  data: {generated.path.name}: {generated.officers:,} officers, "
              f"{generated.records:,} training records ({how})")  # fmt: skip
    print(f"  load average (1 min): {load_start[0]:.2f} at start, {load_end[0]:.2f} at end; "
          f"run took {time.monotonic() - started:.0f} s")  # fmt: skip
    print()
    print(format_table(rows))
    print()
    for row in rows:
        load = f" [{row.load.text()}]" if row.load else ""
        print(f"- {row.label}: {row.note}{load}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "size": size.name,
                    "seed": args.seed,
                    **info,
                    "generated": {
                        name: {
                            "officers": g.officers,
                            "records": g.records,
                            "seconds": g.seconds,
                            "cached": g.cached,
                        }
                        for name, g in ctx.generated.items()
                    },
                    "figures": [row.as_dict() for row in rows],
                },
                indent=2,
            )
        )
    return 1 if any(row.status == "crashed" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
