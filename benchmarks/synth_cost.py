"""Figure 1: synth cost of the library against raw L1 and against what a user would write without it."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from benchmarks.apps import run_worker
from benchmarks.common import JIT_WARM_UP_REPS, RATIO_TARGET, TIMED_WARM_REPS, AppSpec, SynthResult, TemplateStats
from benchmarks.report import Report, seconds

if TYPE_CHECKING:
    pass


# ---- 1. synth cost -----------------------------------------------------------------------------------------


MEASURES: dict[str, Callable[[SynthResult], float]] = {
    "cold": lambda result: result.cold_s,
    "warm": lambda result: result.warm_s,
}


@dataclass
class SynthRuns:
    """Every synth measurement of item 1, by variant and N."""

    results: dict[tuple[str, int], list[SynthResult]] = field(default_factory=dict)

    def add(self, variant: str, n: int, result: SynthResult) -> None:
        self.results.setdefault((variant, n), []).append(result)

    def times(self, measure: str, variant: str, n: int) -> list[float]:
        return [MEASURES[measure](result) for result in self.results[variant, n]]

    def median(self, measure: str, variant: str, n: int) -> float:
        return statistics.median(self.times(measure, variant, n))

    def spread(self, measure: str, variant: str, n: int) -> str:
        times = self.times(measure, variant, n)
        return f"{seconds(min(times))}-{seconds(max(times))}"

    def slope(self, measure: str, variant: str, low: int, high: int) -> float:
        """Seconds per added quick connect between the medians at ``low`` and ``high``."""
        return (self.median(measure, variant, high) - self.median(measure, variant, low)) / (high - low)

    def template(self, variant: str, n: int) -> TemplateStats:
        return self.results[variant, n][0].template

    def all_results(self) -> list[SynthResult]:
        return [result for results in self.results.values() for result in results]


#: The variants measured, by key: the spec's variant and its associations. ``library+association`` and
#: ``hand-written`` offer every quick connect on one queue the stack does not own; the other two offer none.
VARIANTS = {
    "library": ("library", "none"),
    "raw": ("raw", "none"),
    "library+association": ("library", "one"),
    "hand-written": ("hand-written", "none"),
}


def measure_synth(ns: Sequence[int], runs: int) -> SynthRuns:
    """Run every variant at every N, ``runs`` times, interleaved; the L1 ones reuse the library's flow contents."""
    measured = SynthRuns()
    flow_contents: dict[str, str] = {}
    extra_reps = JIT_WARM_UP_REPS + TIMED_WARM_REPS
    for _ in range(runs):
        for n in ns:
            for key, (variant, associations) in VARIANTS.items():
                spec = AppSpec(variant, n, associations=associations, flow_contents=flow_contents)
                result = run_worker(spec, extra_reps=extra_reps)
                flow_contents = flow_contents or result.template.flow_contents
                measured.add(key, n, result)
    return measured


def slope_points(ns: Sequence[int]) -> tuple[int, int]:
    """The N pair the per-quick-connect slope is taken between: 100 and 450 in the full run."""
    return (ns[1] if len(ns) > 2 else ns[0]), ns[-1]


def synth_section(report: Report, measured: SynthRuns, ns: Sequence[int]) -> None:
    report.add("## 1. Synth cost: library (a) vs raw L1 (b), quick connects + 2 transfer flows", "")
    for measure in MEASURES:
        ratio_table(report, measured, ns, measure)
    slope_table(report, measured, ns)
    same = all(measured.template("library", n).connect_digest == measured.template("raw", n).connect_digest for n in ns)
    verdict = report.verdict(same, "library and raw templates hold the same Connect resources", counts=True)
    report.add(
        "(a) and (b) synthesize the same Connect resources (types and properties, logical ids aside) at every N: "
        f"{verdict}",
        "",
    )
    startup_line(report, measured, ns)
    without_library_section(report, measured, ns)


def ratio_table(
    report: Report,
    measured: SynthRuns,
    ns: Sequence[int],
    measure: str,
    variants: tuple[str, str] = ("library", "raw"),
    target: float | None = RATIO_TARGET,
    labels: tuple[str, str] = ("(a)", "(b)"),
) -> None:
    ours, theirs = variants
    a, b = labels
    rows = []
    for n in ns:
        ratio = measured.median(measure, ours, n) / measured.median(measure, theirs, n)
        row: list[object] = [
            n,
            seconds(measured.median(measure, ours, n)),
            measured.spread(measure, ours, n),
            seconds(measured.median(measure, theirs, n)),
            measured.spread(measure, theirs, n),
            f"{ratio:.2f}",
        ]
        if target is not None:
            row += [f"<= {target}", report.verdict(ratio <= target, f"{measure} synth ratio at N={n}", counts=False)]
        rows.append(row)
    headers = ["N", f"{a} median (s)", f"{a} min-max", f"{b} median (s)", f"{b} min-max", f"ratio {a}/{b}"]
    if target is not None:
        headers += ["target", "result (timing: not failing)"]
    report.add(f"**{measure.capitalize()}** build + synth:", "")
    report.table(headers, rows)


def without_library_section(report: Report, measured: SynthRuns, ns: Sequence[int]) -> None:
    """The library with an association (a) against what a user writes without it (c): L1s + AwsCustomResource."""
    report.add(
        "### Without the library: (a) with one association vs (c) L1 + an `AwsCustomResource` per 50 ids",
        "",
        "Both offer every quick connect on one queue the stack does not own: (a) with one "
        "`QueueQuickConnectAssociation`, (c) with the L1s of (b) and one `AwsCustomResource` "
        "(`AssociateQueueQuickConnects` on create and update, `Disassociate...` on delete) per 50 quick connects. "
        "(c) removes nothing it added on update and neither pages, retries nor checks anything.",
        "",
    )
    for measure in MEASURES:
        ratio_table(
            report, measured, ns, measure, ("library+association", "hand-written"), target=None, labels=("(a)", "(c)")
        )
    rows = []
    for n in ns:
        ours, theirs = measured.template("library+association", n), measured.template("hand-written", n)
        rows.append(
            [
                n,
                ours.resources,
                sum(ours.overhead.values()),
                f"{ours.template_bytes:,}",
                theirs.resources,
                sum(theirs.overhead.values()),
                theirs.count("Custom::AWS"),
                f"{theirs.template_bytes:,}",
            ]
        )
    headers = ["N", "(a) resources", "(a) fixed overhead", "(a) bytes", "(c) resources", "(c) overhead"]
    report.table([*headers, "(c) AwsCustomResources", "(c) bytes"], rows)


def slope_table(report: Report, measured: SynthRuns, ns: Sequence[int]) -> None:
    low, high = slope_points(ns)
    rows = [
        [
            measure,
            variant,
            f"{measured.slope(measure, variant, low, high) * 1000:.2f}",
            linearity(measured, measure, variant, ns),
        ]
        for measure in MEASURES
        for variant in VARIANTS
    ]
    report.table(["measure", "variant", f"ms per quick connect, N={low}->{high}", "linearity check"], rows)


def linearity(measured: SynthRuns, measure: str, variant: str, ns: Sequence[int]) -> str:
    """How far the median at the middle N is from the straight line through the slope's end points."""
    low, high = slope_points(ns)
    middle = [n for n in ns if low < n < high]
    if not middle:
        return "n/a (no N in between)"
    n = middle[0]
    predicted = measured.median(measure, variant, low) + measured.slope(measure, variant, low, high) * (n - low)
    actual = measured.median(measure, variant, n)
    deviation = (actual - predicted) / predicted * 100
    return f"N={n}: {seconds(actual)} s measured, {seconds(predicted)} s on the line ({deviation:+.1f}%)"


def startup_line(report: Report, measured: SynthRuns, ns: Sequence[int]) -> None:
    results = measured.all_results()
    imports = statistics.median(result.imports_s for result in results)
    process = statistics.median(result.wall_s - result.worker_s for result in results)
    first_use = measured.median("cold", "raw", ns[0]) - measured.median("warm", "raw", ns[0])
    report.add(
        f"Start-up per subprocess, excluded from the timings (medians of {len(results)}): "
        f"`import aws_cdk, cdk_connect_quickconnect` {seconds(imports)} s (starts the jsii kernel); "
        f"interpreter start and exit {seconds(process)} s. Cold times also hold Node's one-time loading of "
        f"aws-cdk-lib code on first use, common to both variants: {seconds(first_use)} s "
        f"(raw at N={ns[0]}, cold - warm).",
        "",
    )
