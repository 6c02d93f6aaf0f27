"""Benchmark cdk-connect-quickconnect: synth cost, template cost and handler cost, one module per figure.

Prints a markdown report to stdout and exits 1 when a count target is missed (timing targets are only
reported: timing is noisy). ``--quick`` is a smoke run (N = 10 and 100, 3 runs). Run it from the repository
root as ``python -m benchmarks.run`` (``make bench``).

Synthesis runs in fresh subprocesses of this module (``--worker SPEC RESULT``, see ``benchmarks.apps``), so that
jsii and Node start-up is comparable between measurements and stays out of them. The parent never loads jsii.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.apps import worker_main
from benchmarks.common import FULL_NS, FULL_RUNS, QUICK_NS, QUICK_RUNS
from benchmarks.handler_cost import handler_section
from benchmarks.report import Report, header
from benchmarks.synth_cost import measure_synth, synth_section
from benchmarks.template_cost import template_section

# ---- main ----------------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: N = 10 and 100, 3 runs")
    parser.add_argument("--worker", nargs=2, type=Path, metavar=("SPEC", "RESULT"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        worker_main(*args.worker)
        return 0
    ns, runs = (QUICK_NS, QUICK_RUNS) if args.quick else (FULL_NS, FULL_RUNS)
    started = time.perf_counter()
    report = Report()
    header(report, ns, runs)
    measured = measure_synth(ns, runs)
    synth_section(report, measured, ns)
    template_section(report, measured, ns)
    handler_section(report)
    report.add(f"Total benchmark time: {time.perf_counter() - started:.0f} s.", "")
    missed = "; ".join(report.count_misses) or "none"
    report.add(f"**Count targets missed: {missed}**")
    print("\n".join(report.lines))
    return 1 if report.count_misses else 0


if __name__ == "__main__":
    sys.exit(main())
