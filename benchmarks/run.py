"""Benchmark cdk-connect-quickconnect: synth cost against raw L1, template cost and handler cost.

Prints a markdown report to stdout and exits 1 when a count target is missed (timing targets are only
reported: timing is noisy). ``--quick`` is a smoke run (N = 10 and 100, 3 runs).

Synthesis runs in fresh subprocesses of this same file (``--worker SPEC RESULT``), so that jsii and Node
start-up is comparable between measurements and stays out of them. The parent process never loads jsii.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib
import importlib.metadata
import io
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import aws_cdk as cdk

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = ROOT / "src" / "cdk_connect_quickconnect"

FULL_NS = (10, 100, 250, 450)
QUICK_NS = (10, 100)
FULL_RUNS = 5
QUICK_RUNS = 3
TIMED_WARM_REPS = 2
"""Warm builds timed per item-1 subprocess, after the cold one and ``JIT_WARM_UP_REPS`` untimed ones."""
JIT_WARM_UP_REPS = 1

ACCOUNT = "111122223333"
REGION = "us-east-1"
INSTANCE_ARN = f"arn:aws:connect:{REGION}:{ACCOUNT}:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
STACK_NAME = "QuickConnectBench"
AGENT_FLOW = ("AgentFlow", "Transfer to agent", "AGENT_TRANSFER")
QUEUE_FLOW = ("QueueFlow", "Transfer to queue", "QUEUE_TRANSFER")

RATIO_TARGET = 1.15
OVERHEAD_TARGET = 8
IMPORT_TARGET_MS = 150.0
IMPORT_RUNS = 5
MAX_RESOURCES = 500
MAX_TEMPLATE_BYTES = 1_048_576

CONNECT_PREFIX = "AWS::Connect::"
QUICK_CONNECT_TYPE = "AWS::Connect::QuickConnect"
ASSOCIATION_TYPE = "Custom::ConnectQueueQuickConnects"
LOOKUP_TYPE = "Custom::ConnectLookup"
NOT_OVERHEAD = ("AWS::CDK::Metadata", ASSOCIATION_TYPE, LOOKUP_TYPE)

EXISTING_ASSOCIATIONS = 30
HANDLER_KS = (1, 50, 51, 120, 500)
CONNECT_BATCH_LIMIT = 50
"""Most quick connect ids one Associate/DisassociateQueueQuickConnects call takes (Connect's limit)."""
LIST_PAGE_MAX = 100
"""Largest MaxResults ListQueueQuickConnects accepts: the fewest pages a reader can need."""
LIST = "ListQueueQuickConnects"
ASSOCIATE = "AssociateQueueQuickConnects"
DISASSOCIATE = "DisassociateQueueQuickConnects"
SERVICE_TOKEN = "arn:aws:lambda:us-east-1:123456789012:function:QuickConnectBench-ProviderframeworkonEvent-AbC123"
STACK_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/QuickConnectBench/5b8a1e90-8c11-11ef-9b39-0e8e6b1f5d9d"

#: What ``cdk synth`` (the CLI) puts in the app's context by default: path metadata and CDKMetadata.
CLI_CONTEXT = {
    "aws:cdk:enable-path-metadata": True,
    "aws:cdk:enable-asset-metadata": True,
    "aws:cdk:version-reporting": True,
}
#: CDK's own check of the 500-resource limit at synth; 0 switches it off.
RESOURCE_LIMIT_CONTEXT = "@aws-cdk/core:stackResourceLimit"

METHOD = (
    "Method: each measurement is a fresh subprocess that imports aws_cdk and this library (excluded, reported "
    "below), then builds + synthesizes a new App with the CLI's default context "
    f"{1 + JIT_WARM_UP_REPS + TIMED_WARM_REPS} times: *cold* is the first (what one `cdk synth` pays), *warm* "
    f"the median of the last {TIMED_WARM_REPS} (steady state, after Node's JIT has warmed up); medians over the "
    "runs, library and raw interleaved."
)


# ---- app specs and template statistics (shared by parent and worker) -------------------------------------


@dataclass(frozen=True)
class AppSpec:
    """One app to synthesize: ``library`` (this library) or ``raw`` (CfnQuickConnect/CfnContactFlow by hand)."""

    variant: str
    n: int
    associations: str = "none"
    """``none``, ``one`` (every quick connect on one queue) or ``per-queue`` (``queue.add_quick_connects``)."""
    lookups: bool = False
    """Also look up a queue, a user and the default agent transfer flow by name."""
    flow_contents: dict[str, str] = field(default_factory=dict)
    """For ``raw``: the flow content JSON by flow type, taken from the library's template."""
    count_past_limit: bool = False
    """Switch off CDK's own 500-resource check, which refuses to synthesize a stack over the limit."""


@dataclass(frozen=True)
class TemplateStats:
    """What the benchmark needs from one synthesized template."""

    resource_types: dict[str, int]
    template_bytes: int
    connect_digest: str
    """A hash of the Connect resources' types and properties, logical ids replaced by type and name."""
    flow_contents: dict[str, str]

    @property
    def resources(self) -> int:
        return sum(self.resource_types.values())

    def count(self, resource_type: str) -> int:
        return self.resource_types.get(resource_type, 0)

    @property
    def overhead(self) -> dict[str, int]:
        """Resources that are neither Connect resources, custom resources nor CDK metadata."""
        return {
            kind: count
            for kind, count in self.resource_types.items()
            if not kind.startswith(CONNECT_PREFIX) and kind not in NOT_OVERHEAD
        }


@dataclass(frozen=True)
class SynthResult:
    """A worker's answer: its import time, its synth times (the first one cold) and the last template's stats."""

    imports_s: float
    worker_s: float
    """Time spent in the worker's own code: imports, every synth and reading the templates."""
    times_s: list[float]
    template: TemplateStats
    wall_s: float = 0.0
    """Wall time of the whole subprocess, measured by the parent."""

    @property
    def cold_s(self) -> float:
        """The first build + synth of the process: what one ``cdk synth`` pays once imports are done."""
        return self.times_s[0]

    @property
    def warm_s(self) -> float:
        """The steady state: the median of the builds after the cold one and ``JIT_WARM_UP_REPS`` more."""
        return statistics.median(self.times_s[1 + JIT_WARM_UP_REPS :])


def queue_count(n: int) -> int:
    return max(1, n // 10)


def queue_arn(index: int) -> str:
    return f"{INSTANCE_ARN}/queue/{index:08d}-1111-4111-8111-111111111111"


def user_arn(index: int) -> str:
    return f"{INSTANCE_ARN}/agent/{index:08d}-2222-4222-8222-222222222222"


def phone_number(index: int) -> str:
    return f"+1800555{index:04d}"


def quick_connect_name(index: int) -> str:
    return f"Quick connect {index}"


def kind_of(index: int) -> str:
    """The mix: a third each of USER, QUEUE and PHONE_NUMBER quick connects."""
    return ("USER", "QUEUE", "PHONE_NUMBER")[index % 3]


# ---- worker: build and synthesize apps (runs in a subprocess; the only code that loads jsii) ----------------


def build_library(stack: cdk.Stack, spec: AppSpec) -> None:
    """Quick connects and flows with this library; associations and lookups as the spec says."""
    from cdk_connect_quickconnect import (
        AgentTransferFlow,
        ConnectInstance,
        Queue,
        QueueQuickConnectAssociation,
        QueueTransferFlow,
        QuickConnect,
        QuickConnectDestination,
        User,
    )

    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    agent_flow = AgentTransferFlow(stack, AGENT_FLOW[0], instance=instance, name=AGENT_FLOW[1])
    queue_flow = QueueTransferFlow(stack, QUEUE_FLOW[0], instance=instance, name=QUEUE_FLOW[1])
    queues = [Queue.from_queue_arn(stack, f"Queue{q}", queue_arn(q)) for q in range(queue_count(spec.n))]
    quick_connects = []
    for i in range(spec.n):
        kind = kind_of(i)
        if kind == "USER":
            user = User.from_user_arn(stack, f"User{i}", user_arn(i))
            destination = QuickConnectDestination.user(user, agent_flow)
        elif kind == "QUEUE":
            destination = QuickConnectDestination.queue(queues[i % len(queues)], queue_flow)
        else:
            destination = QuickConnectDestination.phone_number(phone_number(i))
        quick_connect = QuickConnect(
            stack, f"QuickConnect{i}", instance=instance, name=quick_connect_name(i), destination=destination
        )
        quick_connects.append(quick_connect)
        if spec.associations == "per-queue":
            QueueQuickConnectAssociation.add_to_queue(queues[i % len(queues)], quick_connect)
    if spec.associations == "one":
        QueueQuickConnectAssociation(stack, "OnQueue0", queue=queues[0], quick_connects=quick_connects)
    if spec.lookups:
        Queue.from_queue_name(stack, "BasicQueue", instance, "BasicQueue")
        User.from_username(stack, "Mav2", instance, "mav2")
        AgentTransferFlow.from_default(stack, "DefaultAgentTransfer", instance)


def build_raw(stack: cdk.Stack, spec: AppSpec) -> None:
    """The same quick connects and flows written with the L1 classes of aws_cdk.aws_connect."""
    from aws_cdk import aws_connect as connect

    flow_arns = {
        flow_type: connect.CfnContactFlow(
            stack,
            construct_id,
            instance_arn=INSTANCE_ARN,
            name=name,
            type=flow_type,
            content=spec.flow_contents[flow_type],
        ).attr_contact_flow_arn
        for construct_id, name, flow_type in (AGENT_FLOW, QUEUE_FLOW)
    }
    queues = [queue_arn(q) for q in range(queue_count(spec.n))]
    config = connect.CfnQuickConnect.QuickConnectConfigProperty
    for i in range(spec.n):
        kind = kind_of(i)
        if kind == "USER":
            quick_connect_config = config(
                quick_connect_type=kind,
                user_config=connect.CfnQuickConnect.UserQuickConnectConfigProperty(
                    contact_flow_arn=flow_arns[AGENT_FLOW[2]], user_arn=user_arn(i)
                ),
            )
        elif kind == "QUEUE":
            quick_connect_config = config(
                quick_connect_type=kind,
                queue_config=connect.CfnQuickConnect.QueueQuickConnectConfigProperty(
                    contact_flow_arn=flow_arns[QUEUE_FLOW[2]], queue_arn=queues[i % len(queues)]
                ),
            )
        else:
            quick_connect_config = config(
                quick_connect_type=kind,
                phone_config=connect.CfnQuickConnect.PhoneNumberQuickConnectConfigProperty(
                    phone_number=phone_number(i)
                ),
            )
        connect.CfnQuickConnect(
            stack,
            f"QuickConnect{i}",
            instance_arn=INSTANCE_ARN,
            name=quick_connect_name(i),
            quick_connect_config=quick_connect_config,
        )


def synth_once(spec: AppSpec) -> tuple[float, TemplateStats]:
    """Build and synthesize the app of ``spec`` into a scratch directory: (seconds taken, template stats)."""
    import aws_cdk as cdk

    build = build_library if spec.variant == "library" else build_raw
    with tempfile.TemporaryDirectory(prefix="qc-bench-") as outdir:
        started = time.perf_counter()
        context = {**CLI_CONTEXT, RESOURCE_LIMIT_CONTEXT: 0} if spec.count_past_limit else CLI_CONTEXT
        app = cdk.App(outdir=outdir, context=context)
        stack = cdk.Stack(app, STACK_NAME, env=cdk.Environment(account=ACCOUNT, region=REGION))
        build(stack, spec)
        assembly = app.synth()
        elapsed = time.perf_counter() - started
        template_path = Path(assembly.get_stack_artifact(stack.artifact_id).template_full_path)
        return elapsed, template_stats(template_path)


def template_stats(template_path: Path) -> TemplateStats:
    template: dict[str, Any] = json.loads(template_path.read_text())
    resources: dict[str, dict[str, Any]] = template["Resources"]
    flows = (
        resource["Properties"] for resource in resources.values() if resource["Type"] == "AWS::Connect::ContactFlow"
    )
    return TemplateStats(
        resource_types=dict(Counter(resource["Type"] for resource in resources.values())),
        template_bytes=template_path.stat().st_size,
        connect_digest=connect_digest(resources),
        flow_contents={flow["Type"]: flow["Content"] for flow in flows},
    )


def connect_digest(resources: dict[str, dict[str, Any]]) -> str:
    """Hash the Connect resources, so that two templates with the same resources under other logical ids match."""
    names = {
        logical_id: f"{resource['Type']}:{resource.get('Properties', {}).get('Name', logical_id)}"
        for logical_id, resource in resources.items()
    }

    def canonical(value: Any) -> Any:
        if isinstance(value, dict):
            if set(value) == {"Fn::GetAtt"}:
                logical_id, attribute = value["Fn::GetAtt"]
                return {"Fn::GetAtt": [names.get(logical_id, logical_id), attribute]}
            if set(value) == {"Ref"}:
                return {"Ref": names.get(value["Ref"], value["Ref"])}
            return {key: canonical(item) for key, item in value.items()}
        if isinstance(value, list):
            return [canonical(item) for item in value]
        return value

    connect = sorted(
        json.dumps(canonical({"Type": resource["Type"], "Properties": resource.get("Properties")}), sort_keys=True)
        for resource in resources.values()
        if resource["Type"].startswith(CONNECT_PREFIX)
    )
    return hashlib.sha256("\n".join(connect).encode()).hexdigest()


def worker_main(spec_path: Path, result_path: Path) -> None:
    """Synthesize the spec in ``spec_path`` ``1 + extra_reps`` times; write a ``SynthResult`` as JSON."""
    started = time.perf_counter()
    request = json.loads(spec_path.read_text())
    spec = AppSpec(**request["spec"])
    import aws_cdk  # noqa: F401  (starts the jsii kernel and loads aws-cdk-lib)

    import cdk_connect_quickconnect  # noqa: F401  (both variants pay the same imports)

    imports_s = time.perf_counter() - started
    runs = [synth_once(spec) for _ in range(1 + request["extra_reps"])]
    times = [elapsed for elapsed, _ in runs]
    result = SynthResult(imports_s, time.perf_counter() - started, times, runs[-1][1])
    result_path.write_text(json.dumps(asdict(result)))


# ---- parent: run workers ---------------------------------------------------------------------------------


def child_environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    environment.setdefault("JSII_RUNTIME_PACKAGE_CACHE_ROOT", str(ROOT / ".cache" / "jsii"))
    environment.setdefault("CDK_DISABLE_VERSION_CHECK", "1")
    return environment


def run_worker(spec: AppSpec, *, extra_reps: int = 0) -> SynthResult:
    """Synthesize ``spec`` ``1 + extra_reps`` times in a fresh subprocess and return what it measured."""
    with tempfile.TemporaryDirectory(prefix="qc-bench-worker-") as scratch:
        spec_path, result_path = Path(scratch, "spec.json"), Path(scratch, "result.json")
        spec_path.write_text(json.dumps({"spec": asdict(spec), "extra_reps": extra_reps}))
        started = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--worker", str(spec_path), str(result_path)],
            cwd=ROOT,
            env=child_environment(),
            capture_output=True,
            text=True,
            check=False,
        )
        wall_s = time.perf_counter() - started
        if completed.returncode != 0:
            raise RuntimeError(f"worker for {spec.variant} N={spec.n} failed:\n{completed.stderr}")
        answer = json.loads(result_path.read_text())
    answer.update(template=TemplateStats(**answer["template"]), wall_s=wall_s)
    return SynthResult(**answer)


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


def header(report: Report, ns: Sequence[int], runs: int) -> None:
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
        f"- N = {', '.join(map(str, ns))}; {runs} runs per N and variant. {METHOD}",
        "",
    )


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


def measure_synth(ns: Sequence[int], runs: int) -> SynthRuns:
    """Run library and raw at every N, ``runs`` times, interleaved; raw reuses the library's flow contents."""
    measured = SynthRuns()
    flow_contents: dict[str, str] = {}
    extra_reps = JIT_WARM_UP_REPS + TIMED_WARM_REPS
    for _ in range(runs):
        for n in ns:
            library = run_worker(AppSpec("library", n), extra_reps=extra_reps)
            flow_contents = flow_contents or library.template.flow_contents
            measured.add("library", n, library)
            measured.add("raw", n, run_worker(AppSpec("raw", n, flow_contents=flow_contents), extra_reps=extra_reps))
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


def ratio_table(report: Report, measured: SynthRuns, ns: Sequence[int], measure: str) -> None:
    rows = []
    for n in ns:
        ratio = measured.median(measure, "library", n) / measured.median(measure, "raw", n)
        rows.append(
            [
                n,
                seconds(measured.median(measure, "library", n)),
                measured.spread(measure, "library", n),
                seconds(measured.median(measure, "raw", n)),
                measured.spread(measure, "raw", n),
                f"{ratio:.2f}",
                f"<= {RATIO_TARGET}",
                report.verdict(ratio <= RATIO_TARGET, f"{measure} synth ratio at N={n}", counts=False),
            ]
        )
    headers = ["N", "(a) median (s)", "(a) min-max", "(b) median (s)", "(b) min-max", "ratio (a)/(b)", "target"]
    report.add(f"**{measure.capitalize()}** build + synth:", "")
    report.table([*headers, "result (timing: not failing)"], rows)


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
        for variant in ("library", "raw")
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


# ---- 2. template cost --------------------------------------------------------------------------------------


def template_section(report: Report, measured: SynthRuns, ns: Sequence[int]) -> None:
    report.add("## 2. Template cost (library)", "")
    per_quick_connect_table(report, measured, ns)
    overhead_table(report, ns[-1])
    limits_table(report, measured, ns)


def per_quick_connect_table(report: Report, measured: SynthRuns, ns: Sequence[int]) -> None:
    """Quick connect resources per quick connect, and what each added quick connect adds to the template."""
    rows = []
    previous: tuple[int, TemplateStats] | None = None
    for n in ns:
        stats = measured.template("library", n)
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
            ]
        )
        previous = (n, stats)
    headers = ["N", "QuickConnect resources", "per quick connect", "all resources", "added per added quick connect"]
    report.table([*headers, "template bytes", "bytes per added quick connect", "target", "result"], rows)


def overhead_table(report: Report, n: int) -> None:
    """Fixed overhead and association resources with one association, then one per queue plus three lookups.

    CDK's own 500-resource check is off: with one association per ten quick connects, N = 450 is over the limit.
    """
    scenarios = (
        ("1 association, no lookups", "one", False, 1),
        ("1 association per queue + 3 lookups", "per-queue", True, queue_count(n)),
    )
    rows = []
    for label, associations, lookups, expected_associations in scenarios:
        spec = AppSpec("library", n, associations=associations, lookups=lookups, count_past_limit=True)
        stats = run_worker(spec).template
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


def limits_table(report: Report, measured: SynthRuns, ns: Sequence[int]) -> None:
    """The largest N within CloudFormation's limits, extrapolated from the measured N, then verified."""
    templates = [measured.template("library", n) for n in ns]
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
        stats = run_worker(AppSpec("library", n, count_past_limit=True)).template
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


# ---- 3. handler cost ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Handlers:
    """The handler modules as the Lambda imports them, and the fake Connect API."""

    index: ModuleType
    fake: ModuleType


@contextlib.contextmanager
def lambda_asset() -> Iterator[Path]:
    """A directory laid out like the Lambda asset: ``_handlers/*.py`` at the top level, nothing else."""
    with tempfile.TemporaryDirectory(prefix="qc-bench-asset-") as root:
        handlers = Path(root, "_handlers")
        handlers.mkdir()
        for source in sorted((PACKAGE_DIR / "_handlers").glob("*.py")):
            shutil.copy2(source, handlers / source.name)
        yield Path(root)


def load_handlers(asset_root: Path) -> Handlers:
    """Import the handlers from the asset copy (not through the package, whose ``__init__`` loads aws_cdk)."""
    sys.path.insert(0, str(asset_root))
    sys.path.insert(0, str(ROOT))
    index = importlib.import_module("_handlers.index")
    connect: Any = importlib.import_module("_handlers._connect")
    fake = importlib.import_module("tests.handlers.fake_connect")
    # As the handler tests do: the retry policy never sleeps (no fault is injected, so none is expected).
    clock = fake.FakeClock()
    connect.BACKOFF = connect.Backoff(sleep=clock.sleep, random=lambda: 0.5, clock=clock.monotonic)
    return Handlers(index, fake)


def cfn_event(request_type: str, properties: dict[str, Any], old: dict[str, Any] | None = None) -> dict[str, Any]:
    """An onEvent payload as CloudFormation, relayed by the Provider framework, sends it."""
    event: dict[str, Any] = {
        "RequestType": request_type,
        "ServiceToken": SERVICE_TOKEN,
        "ResponseURL": "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x?sig=1",
        "StackId": STACK_ID,
        "RequestId": str(uuid.uuid4()),
        "LogicalResourceId": "QueueQuickConnects",
        "ResourceType": ASSOCIATION_TYPE,
        "ResourceProperties": {"ServiceToken": SERVICE_TOKEN, **properties},
    }
    if old is not None:
        event["OldResourceProperties"] = {"ServiceToken": SERVICE_TOKEN, **old}
        event["PhysicalResourceId"] = f"{properties['QueueArn']}/quick-connects"
    return event


@dataclass(frozen=True)
class CallCount:
    """Connect calls one request made, and what the target allows."""

    request: str
    k: int
    counted: Counter[str]
    expected: Counter[str]
    state_ok: bool
    failed_calls: int


def pages(associated: int) -> int:
    return max(1, math.ceil(associated / LIST_PAGE_MAX))


def batches(ids: int) -> int:
    return math.ceil(ids / CONNECT_BATCH_LIMIT)


def handler_calls(handlers: Handlers, k: int) -> list[CallCount]:
    """Create an association of ``k`` quick connects on a queue with 30 others, then swap half of them."""
    fake = handlers.fake.FakeConnect()
    client = fake.client()
    instance = fake.add_instance("bench")
    queue = fake.add_queue(instance, "BasicQueue")
    existing = fake.add_quick_connects(instance, EXISTING_ASSOCIATIONS)
    fake.console_associate(queue, [quick_connect.id for quick_connect in existing])
    listed = fake.add_quick_connects(instance, k)
    half = k // 2
    swapped = listed[half:] + fake.add_quick_connects(instance, half)

    def send(request_type: str, wanted: list[Any], old: list[Any] | None) -> tuple[Counter[str], int]:
        fake.calls.clear()
        event = cfn_event(request_type, properties(queue, wanted), None if old is None else properties(queue, old))
        with contextlib.redirect_stdout(io.StringIO()):  # the handler logs one JSON line per call
            handlers.index.on_event(event, object(), client=client)
        return Counter(call.operation for call in fake.calls), sum(call.outcome != "ok" for call in fake.calls)

    created, create_failures = send("Create", listed, None)
    create_ok = fake.associations(queue) == ids(existing + listed)
    updated, update_failures = send("Update", swapped, listed)
    update_ok = fake.associations(queue) == ids(existing + swapped)
    return [
        CallCount(
            "Create",
            k,
            created,
            Counter({LIST: pages(EXISTING_ASSOCIATIONS), ASSOCIATE: batches(k)}),
            create_ok,
            create_failures,
        ),
        CallCount(
            "Update (swap k//2)",
            k,
            updated,
            Counter({LIST: pages(EXISTING_ASSOCIATIONS + k), ASSOCIATE: batches(half), DISASSOCIATE: batches(half)}),
            update_ok,
            update_failures,
        ),
    ]


def properties(queue: Any, quick_connects: list[Any]) -> dict[str, Any]:
    return {"QueueArn": queue.arn, "QuickConnectArns": [quick_connect.arn for quick_connect in quick_connects]}


def ids(quick_connects: list[Any]) -> frozenset[str]:
    return frozenset(quick_connect.id for quick_connect in quick_connects)


def cold_import_ms(root: Path) -> list[float]:
    """``import _handlers.index`` in fresh interpreters with ``root`` first on sys.path, in milliseconds."""
    code = (
        "import sys, time\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "started = time.perf_counter()\n"
        "import _handlers.index\n"
        "print((time.perf_counter() - started) * 1000)\n"
    )
    return [
        float(
            subprocess.run(
                [sys.executable, "-I", "-B", "-c", code, str(root)], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(IMPORT_RUNS)
    ]


def handler_section(report: Report) -> None:
    report.add(
        "## 3. Handler cost (real `index.on_event`, real boto3 client, stateful fake Connect API)",
        "",
        f"Queue with {EXISTING_ASSOCIATIONS} quick connects already associated (out of band). Create associates k "
        "new ones; Update then drops k//2 of them and adds k//2 new ones. Target: ListQueueQuickConnects pages "
        f"(MaxResults {LIST_PAGE_MAX}) + ceil(ids/{CONNECT_BATCH_LIMIT}) per mutating operation, nothing more; "
        "the queue must end with exactly the expected quick connects and no call may fail.",
        "",
    )
    with lambda_asset() as asset_root:
        handlers = load_handlers(asset_root)
        counts = [count for k in HANDLER_KS for count in handler_calls(handlers, k)]
        call_count_table(report, counts)
        import_table(report, asset_root)


def call_count_table(report: Report, counts: Sequence[CallCount]) -> None:
    rows = []
    for count in counts:
        ok = count.counted == count.expected and count.state_ok and count.failed_calls == 0
        rows.append(
            [
                count.k,
                count.request,
                *(
                    f"{count.counted[operation]} ({count.expected[operation]})"
                    for operation in (LIST, ASSOCIATE, DISASSOCIATE)
                ),
                f"{count.counted.total()} ({count.expected.total()})",
                "yes" if count.state_ok else "NO",
                report.verdict(ok, f"handler calls: {count.request} k={count.k}", counts=True),
            ]
        )
    report.table(
        [
            "k",
            "request",
            "List pages (expected)",
            "Associate (expected)",
            "Disassociate (expected)",
            "total (expected)",
            "queue state right",
            "result",
        ],
        rows,
    )


def import_table(report: Report, asset_root: Path) -> None:
    roots = (
        ("package directory `src/cdk_connect_quickconnect`", PACKAGE_DIR),
        ("copy of the Lambda asset (`_handlers/*.py` only, no bytecode)", asset_root),
    )
    rows = []
    for label, root in roots:
        times = cold_import_ms(root)
        median = statistics.median(times)
        rows.append(
            [
                label,
                f"{median:.1f}",
                f"{min(times):.1f}-{max(times):.1f}",
                f"< {IMPORT_TARGET_MS:.0f}",
                report.verdict(median < IMPORT_TARGET_MS, f"cold import ({label})", counts=False),
            ]
        )
    report.add(f"Cold `import _handlers.index` (fresh interpreter each, median of {IMPORT_RUNS}):", "")
    report.table(["sys.path root", "median (ms)", "min-max (ms)", "target", "result"], rows)


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
