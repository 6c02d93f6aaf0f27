"""Figure 3: whole-process CPU of one ``cdk synth``-like process, library against hand-written, paired."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from benchmarks.common import RATIO_TARGET, RATIO_TARGET_FROM_N, TemplateStats, scenario
from benchmarks.report import Report, seconds
from benchmarks.worker import WorkerResult, run_worker

VARIANTS = ("library", "hand-written")
VALIDATION = (True, False)
"""aws-cdk-lib's built-in template validation on (its default), then off (``CDK_VALIDATION=false``)."""

Measure = Callable[[WorkerResult], float]


def cpu(result: WorkerResult) -> float:
    return result.cpu_s


def wall(result: WorkerResult) -> float:
    return result.wall_s


@dataclass
class CpuRuns:
    """Every worker of the figure, by validation setting, N and variant."""

    results: dict[tuple[bool, int, str], list[WorkerResult]] = field(default_factory=dict)

    def add(self, validation: bool, n: int, variant: str, result: WorkerResult) -> None:
        self.results.setdefault((validation, n, variant), []).append(result)

    def values(self, measure: Measure, validation: bool, n: int, variant: str) -> list[float]:
        return [measure(result) for result in self.results[validation, n, variant]]

    def median(self, measure: Measure, validation: bool, n: int, variant: str) -> float:
        return statistics.median(self.values(measure, validation, n, variant))

    def ratio(self, measure: Measure, validation: bool, n: int) -> float:
        """Library over hand-written, ratio of the medians."""
        return self.median(measure, validation, n, VARIANTS[0]) / self.median(measure, validation, n, VARIANTS[1])

    def templates(self, variant: str) -> dict[int, TemplateStats]:
        """The variant's template at every N (validation does not change it)."""
        return {n: results[0].template for (validation, n, name), results in self.results.items() if name == variant}


def measure_cpu(ns: Sequence[int], runs: int) -> CpuRuns:
    """Library then hand-written, each in a fresh worker, at every N and validation setting, ``runs`` times."""
    measured = CpuRuns()
    flow_contents: dict[str, str] = {}
    for _ in range(runs):
        for n in ns:
            for validation in VALIDATION:
                library = run_worker(scenario("library", n), validation=validation)
                flow_contents = flow_contents or library.template.flow_contents
                hand_written = run_worker(scenario("hand-written", n, flow_contents), validation=validation)
                measured.add(validation, n, "library", library)
                measured.add(validation, n, "hand-written", hand_written)
    return measured


def cpu_section(report: Report, measured: CpuRuns, ns: Sequence[int], runs: int) -> None:
    report.add(
        "## 3. Whole-process CPU of one synth: library (a) vs hand-written L1 (c), the app of figure 1 (a)",
        "",
        "Each measurement is a fresh process that imports what its app needs, builds it and synthesizes it once "
        "with the CLI's default context (what one `cdk synth` costs): CPU = user + system time of the process and "
        "of its jsii kernel (Node, a child it stops and reaps before exiting; read with `os.wait4`). Library and "
        f"hand-written run as pairs, interleaved (A B A B ...), {runs} pairs per N and validation setting; medians, "
        "min-max and the ratio of the medians. Wall-clock is shown as the paired ratio only.",
        "",
    )
    for validation in VALIDATION:
        cpu_table(report, measured, ns, validation)
    node_line(report, measured)
    same = all(
        measured.templates("library")[n].connect_digest == measured.templates("hand-written")[n].connect_digest
        for n in ns
    )
    verdict = report.verdict(same, "library and hand-written templates hold the same Connect resources", counts=True)
    report.add(f"(a) and (c) synthesize the same Connect resources at every N: {verdict}", "")


def cpu_table(report: Report, measured: CpuRuns, ns: Sequence[int], validation: bool) -> None:
    rows = []
    for n in ns:
        ratio = measured.ratio(cpu, validation, n)
        row: list[object] = [n]
        for variant in VARIANTS:
            values = measured.values(cpu, validation, n, variant)
            row += [seconds(statistics.median(values)), f"{seconds(min(values))}-{seconds(max(values))}"]
        row += [f"{ratio:.2f}", f"{measured.ratio(wall, validation, n):.2f}"]
        if validation or n < RATIO_TARGET_FROM_N:
            row += ["-", "-"]
        else:
            row += [f"<= {RATIO_TARGET}", report.verdict(ratio <= RATIO_TARGET, f"CPU ratio at N={n}", counts=False)]
        rows.append(row)
    title = "on (aws-cdk-lib's default)" if validation else "off (`CDK_VALIDATION=false`: what the library costs)"
    report.add(f"**Template validation {title}**:", "")
    headers = ["N", "(a) CPU median (s)", "(a) min-max", "(c) CPU median (s)", "(c) min-max", "CPU ratio (a)/(c)"]
    report.table([*headers, "wall ratio (a)/(c)", "target", "result (timing: not failing)"], rows)


def node_line(report: Report, measured: CpuRuns) -> None:
    """How much of the CPU was Node's: proof that the jsii kernel's CPU is in the figure."""
    results = [result for results in measured.results.values() for result in results]
    share = statistics.median(result.node_cpu_s / result.cpu_s for result in results)
    python = statistics.median(result.cpu_s - result.node_cpu_s for result in results)
    report.add(
        f"Node's share of the CPU (the worker's reaped children), median over {len(results)} processes: "
        f"{share:.0%}; the Python side's, median: {seconds(python)} s.",
        "",
    )
