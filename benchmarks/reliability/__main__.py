"""``python -m benchmarks.reliability``: run every probe at its full size and write docs/reliability.md."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.reliability.figures import Figure
from benchmarks.reliability.probes import PROBES

REPORT = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"
HEADER = """# Reliability report

Written by `python -m benchmarks.reliability` (issue 26): bounded probes that run on this machine only, each
trying many cases of one way things go wrong and counting the cases that *held* (behaved as promised) and the
ones *lost*. The test suite runs the same probes small (`tests/e2e/test_reliability.py`) and expects nothing
lost. Run `python -m benchmarks.reliability --only NAME` for one probe, `--scale 0.1` for a quick look.
"""


def render(figures: list[tuple[Figure, float]], machine: str) -> str:
    """The Markdown report: a summary table, then each probe's description and notes."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [HEADER, f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine} (load average {load} at the end).", ""]
    lines += ["| probe | tried | held | lost | seconds |", "|---|---|---|---|---|"]
    lines += [f"| {f.name} | {f.tried} | {f.held} | {f.lost} | {s:.1f} |" for f, s in figures]
    for figure, _ in figures:
        lines += ["", f"## {figure.name}", "", figure.description]
        if figure.notes:
            lines += ["", figure.notes]
        if figure.examples:
            lines += ["", "Lost, for example:", "", *(f"- {e}" for e in figure.examples)]
    return "\n".join(lines) + "\n"


async def run(only: set[str], scale: float) -> list[tuple[Figure, float]]:
    """Run the chosen probes in order, each at its full size times ``scale``; print each figure as it comes."""
    figures = []
    for probe in PROBES:
        if only and probe.name not in only:
            continue
        began = time.perf_counter()
        figure = await probe.run(max(1, round(probe.full * scale)))
        seconds = time.perf_counter() - began
        print(f"{figure.name}: tried {figure.tried}, held {figure.held}, lost {figure.lost} ({seconds:.1f} s)")
        figures.append((figure, seconds))
    return figures


def main() -> None:
    """Parse the arguments, run the probes and write the report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*", default=[], choices=[p.name for p in PROBES])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--output", type=Path, default=REPORT)
    parser.add_argument("--machine", default=f"{platform.machine()}, {os.cpu_count()} cores")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # the refusals the probes provoke are logged; the figures say enough
    figures = asyncio.run(run(set(args.only), args.scale))
    args.output.write_text(render(figures, args.machine), encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
