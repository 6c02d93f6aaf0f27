"""Figure 2: import time of the library against the aws-cdk-lib modules a hand-written app imports."""

from __future__ import annotations

import statistics
import subprocess
import sys

from benchmarks.common import LIBRARY_IMPORT_TARGET_MS, ROOT
from benchmarks.report import Report
from benchmarks.worker import child_environment

#: What is imported, by label; ``aws_connect`` is the baseline the library's overhead is taken against. The package
#: imports its names on first use, so ``library`` takes them all, as an app using every construct does; the command
#: line needs none of them.
IMPORTS = {
    "library": "from cdk_connect_quickconnect import *",
    "aws_connect": "import aws_cdk.aws_connect",
    "hand-written": "import aws_cdk.aws_connect, aws_cdk.custom_resources",
    "command line": "import cdk_connect_quickconnect.cli",
}
BASELINE = "aws_connect"


def import_ms(statement: str) -> float:
    """Milliseconds ``statement`` takes in a fresh, isolated interpreter (``-I``: the installed packages only)."""
    code = f"import time\nstarted = time.perf_counter()\n{statement}\nprint((time.perf_counter() - started) * 1000)"
    completed = subprocess.run(
        [sys.executable, "-I", "-c", code],
        cwd=ROOT,
        env=child_environment(validation=True),
        capture_output=True,
        text=True,
        check=True,
    )
    return float(completed.stdout.split()[-1])


def measure_imports(runs: int) -> dict[str, list[float]]:
    """Every import ``runs`` times, interleaved (A B C A B C ...)."""
    times: dict[str, list[float]] = {label: [] for label in IMPORTS}
    for _ in range(runs):
        for label, statement in IMPORTS.items():
            times[label].append(import_ms(statement))
    return times


def import_section(report: Report, times: dict[str, list[float]]) -> None:
    runs = len(times[BASELINE])
    baseline = statistics.median(times[BASELINE])
    report.add(
        "## 2. Import time",
        "",
        f"Each import in a fresh interpreter, {runs} times, interleaved; `import aws_cdk` starts the jsii kernel "
        "(Node) and loads aws-cdk-lib into it, which every variant pays.",
        "",
    )
    rows = [
        [
            f"`{IMPORTS[label]}`",
            f"{statistics.median(values):.0f}",
            f"{min(values):.0f}-{max(values):.0f}",
            f"{statistics.median(values) - baseline:+.0f}",
        ]
        for label, values in times.items()
    ]
    report.table(["import", "median (ms)", "min-max (ms)", f"over `{IMPORTS[BASELINE]}` (ms)"], rows)
    overhead = statistics.median(times["library"]) - baseline
    verdict = report.verdict(overhead <= LIBRARY_IMPORT_TARGET_MS, "library import overhead", counts=False)
    report.add(
        f"Library import overhead over `{IMPORTS[BASELINE]}` alone (difference of medians): {overhead:.0f} ms; "
        f"target <= {LIBRARY_IMPORT_TARGET_MS:.0f} ms: {verdict} (timing: reported, not failing).",
        "",
    )
