"""The markdown report and its header."""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import platform
import subprocess
from collections.abc import Sequence
from datetime import datetime, timezone

from benchmarks.common import ROOT, Settings

# ---- report ------------------------------------------------------------------------------------------------


class Report:
    """The markdown report, and the count targets it missed."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.count_misses: list[str] = []

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        self.add("| " + " | ".join(headers) + " |", "|" + "---|" * len(headers))
        self.add(*("| " + " | ".join(str(cell) for cell in row) + " |" for row in rows))
        self.add("")

    def verdict(self, ok: bool, what: str, *, counts: bool) -> str:
        """PASS or MISS; a missed count target is remembered and fails the run."""
        if not ok and counts:
            self.count_misses.append(what)
        return "PASS" if ok else "MISS"


def seconds(value: float) -> str:
    return f"{value:.3f}"


def command_output(command: Sequence[str]) -> str:
    try:
        completed = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return "not available"
    return completed.stdout.strip()


def header(report: Report, settings: Settings) -> None:
    cdk_cli = ROOT / "node_modules" / ".bin" / "cdk"
    report.add(
        "# cdk-connect-quickconnect benchmarks",
        "",
        f"- Date (UTC): {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M:%S')}",
        f"- Machine: {os.cpu_count()} cores, {platform.machine()}, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}; Node {command_output(['node', '--version'])}",
        f"- aws-cdk-lib {importlib.metadata.version('aws-cdk-lib')}; "
        f"constructs {importlib.metadata.version('constructs')}; "
        f"CDK CLI {command_output([str(cdk_cli), '--version']) if cdk_cli.exists() else 'not installed'}",
        f"- Round trips at N = {' and '.join(map(str, settings.round_trip_ns))}; whole-process CPU at "
        f"N = {', '.join(map(str, settings.cpu_ns))}, {settings.cpu_runs} pairs per N and validation setting; "
        f"imports {settings.import_runs} times each.",
        "",
    )
