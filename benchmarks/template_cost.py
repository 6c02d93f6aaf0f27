"""Figure 2: template cost: resources per quick connect, the fixed overhead, CloudFormation's limits."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import replace

from benchmarks.common import (
    ASSOCIATION_TYPE,
    LOOKUP_TYPE,
    MAX_RESOURCES,
    MAX_TEMPLATE_BYTES,
    OVERHEAD_TARGET,
    QUICK_CONNECT_TYPE,
    AppSpec,
    TemplateStats,
    queue_count,
    scenario,
)
from benchmarks.report import Report
from benchmarks.worker import run_worker

# ---- 4. template cost --------------------------------------------------------------------------------------


def template_section(
    report: Report, library: dict[int, TemplateStats], hand_written: dict[int, TemplateStats], ns: Sequence[int]
) -> None:
    """Templates of the app of figure 1 (a), as figure 3 synthesized them, and a few more."""
    report.add("## 4. Template cost (library; the app of figure 1 (a) unless said)", "")
    per_quick_connect_table(report, library, hand_written, ns)
    overhead_table(report, ns[-1])
    limits_table(report, library, ns)


def per_quick_connect_table(
    report: Report, library: dict[int, TemplateStats], hand_written: dict[int, TemplateStats], ns: Sequence[int]
) -> None:
    """Quick connect resources per quick connect, and what each added quick connect adds to the template."""
    rows = []
    previous: tuple[int, TemplateStats] | None = None
    for n in ns:
        stats = library[n]
        quick_connects = stats.count(QUICK_CONNECT_TYPE)
        added_resources, added_bytes = "-", "-"
        ok = quick_connects == n
        if previous is not None:
            grown = (stats.resources - previous[1].resources) / (n - previous[0])
            added_resources = f"{grown:.3f}"
            added_bytes = f"{(stats.template_bytes - previous[1].template_bytes) / (n - previous[0]):,.0f}"
            ok = ok and grown == 1
        rows.append(
            [
                n,
                quick_connects,
                f"{quick_connects / n:.3f}",
                stats.resources,
                added_resources,
                f"{stats.template_bytes:,}",
                added_bytes,
                "1 and 1",
                report.verdict(ok, f"resources per quick connect at N={n}", counts=True),
                hand_written[n].resources,
                f"{hand_written[n].template_bytes:,}",
            ]
        )
        previous = (n, stats)
    headers = ["N", "QuickConnect resources", "per quick connect", "all resources", "added per added quick connect"]
    headers += ["template bytes", "bytes per added quick connect", "target", "result"]
    report.table([*headers, "hand-written resources", "hand-written bytes"], rows)


def overhead_table(report: Report, n: int) -> None:
    """Fixed overhead and association resources with one association, then one per queue plus three lookups, in
    the 4-kind mix (one queue per 10 quick connects).

    CDK's own 500-resource check is off: with one association per ten quick connects, N = 450 is over the limit.
    """
    scenarios = (
        ("mix, 1 association, no lookups", "one", False, 1),
        ("mix, 1 association per queue + 3 lookups", "per-queue", True, queue_count(n)),
    )
    rows = []
    for label, associations, lookups, expected_associations in scenarios:
        spec = AppSpec("library", n, associations=associations, lookups=lookups, count_past_limit=True)
        stats = run_worker(spec, validation=False).template
        overhead = sum(stats.overhead.values())
        rows.append(
            [
                label,
                n,
                overhead,
                ", ".join(f"{kind.split('::')[-1]} x{count}" for kind, count in sorted(stats.overhead.items())),
                f"<= {OVERHEAD_TARGET}",
                report.verdict(overhead <= OVERHEAD_TARGET, f"overhead ({label})", counts=True),
                f"{stats.count(ASSOCIATION_TYPE)} ({expected_associations})",
                report.verdict(
                    stats.count(ASSOCIATION_TYPE) == expected_associations, f"associations ({label})", counts=True
                ),
                stats.count(LOOKUP_TYPE),
                stats.resources,
                f"{stats.template_bytes:,}",
            ]
        )
    report.table(
        [
            "scenario",
            "N",
            "fixed overhead",
            "overhead resources",
            "target",
            "overhead result",
            f"{ASSOCIATION_TYPE} (target: queues)",
            "association result",
            "lookups",
            "all resources",
            "template bytes",
        ],
        rows,
    )


def limits_table(report: Report, library: dict[int, TemplateStats], ns: Sequence[int]) -> None:
    """The largest N within CloudFormation's limits, extrapolated from the measured N, then verified."""
    templates = [library[n] for n in ns]
    resource_fit = statistics.linear_regression(ns, [stats.resources for stats in templates])
    bytes_fit = statistics.linear_regression(ns, [stats.template_bytes for stats in templates])
    by_resources = math.floor((MAX_RESOURCES - resource_fit.intercept) / resource_fit.slope + 1e-9)
    by_bytes = math.floor((MAX_TEMPLATE_BYTES - bytes_fit.intercept) / bytes_fit.slope + 1e-9)
    largest = min(by_resources, by_bytes)
    report.add(
        f"Limits: linear fit over N = {', '.join(map(str, ns))}: resources = {resource_fit.intercept:.2f} + "
        f"{resource_fit.slope:.4f} N, template bytes = {bytes_fit.intercept:,.0f} + {bytes_fit.slope:,.1f} N; "
        f"largest N within {MAX_RESOURCES} resources: {by_resources}, within {MAX_TEMPLATE_BYTES:,} bytes: "
        f"{by_bytes}. Verified by synthesizing N = {largest} and {largest + 1} (CDK's own 500-resource check "
        "switched off so that the count past it can be read):",
        "",
    )
    rows = []
    for n, should_fit in ((largest, True), (largest + 1, False)):
        stats = run_worker(replace(scenario("library", n), count_past_limit=True), validation=False).template
        fits = stats.resources <= MAX_RESOURCES and stats.template_bytes <= MAX_TEMPLATE_BYTES
        rows.append(
            [
                n,
                stats.resources,
                f"{stats.template_bytes:,}",
                "fits both limits" if should_fit else "exceeds a limit",
                report.verdict(fits == should_fit, f"limits verification at N={n}", counts=True),
            ]
        )
    headers = ["N", f"resources (limit {MAX_RESOURCES})", f"template bytes (limit {MAX_TEMPLATE_BYTES:,})"]
    report.table([*headers, "target", "result"], rows)
