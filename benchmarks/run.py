"""Benchmark cdk-connect-quickconnect: jsii round trips, import time, whole-process CPU, template cost, handler
cost and deploy cost, one module per figure.

Prints a markdown report to stdout and exits 1 when a count target is missed (timing targets are only
reported: timing is noisy). ``--quick`` is a smoke run (fewer N and runs). Run it from the repository root as
``python -m benchmarks.run`` (``make bench``).

Every app is built and synthesized in a fresh worker subprocess of this module (``--worker SPEC RESULT``, see
``benchmarks.worker``), with its own jsii kernel. The parent never loads jsii.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import FULL, QUICK
from benchmarks.cpu_cost import cpu_section, measure_cpu
from benchmarks.deploy_cost import deploy_section, measure_deploy
from benchmarks.handler_cost import handler_section
from benchmarks.import_cost import import_section, measure_imports
from benchmarks.report import Report, header
from benchmarks.round_trip_cost import measure_round_trips, round_trip_section
from benchmarks.template_cost import template_section
from benchmarks.worker import worker_main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: fewer N and runs")
    parser.add_argument("--worker", nargs=2, type=Path, metavar=("SPEC", "RESULT"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        worker_main(*args.worker)
        return 0
    settings = QUICK if args.quick else FULL
    started = time.perf_counter()
    report = Report()
    header(report, settings)
    round_trip_section(report, measure_round_trips(settings.round_trip_ns))
    import_section(report, measure_imports(settings.import_runs))
    cpu = measure_cpu(settings.cpu_ns, settings.cpu_runs)
    cpu_section(report, cpu, settings.cpu_ns, settings.cpu_runs)
    template_section(report, cpu.templates("library"), cpu.templates("hand-written"), settings.cpu_ns)
    handler_section(report)
    deploy_section(report, measure_deploy(), cpu)
    report.add(f"Total benchmark time: {time.perf_counter() - started:.0f} s.", "")
    missed = "; ".join(report.count_misses) or "none"
    report.add(f"**Count targets missed: {missed}**")
    print("\n".join(report.lines))
    return 1 if report.count_misses else 0


if __name__ == "__main__":
    sys.exit(main())
