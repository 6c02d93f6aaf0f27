"""Figure 6: a lighter deploy. The seed app (``examples/app.py``'s ``SeedWalkthroughStack``) as release 0.1.0
synthesized it (its fixture templates, never re-synthesized), as this tree synthesizes it and as a user writes it
by hand (L1 ``CfnQuickConnect`` + ``AwsCustomResource``): resources per stack with deploy-time lookups and with
pinned ones, the fixed plumbing by type, Lambda runs per custom-resource event (each template deployed, updated
and deleted through the lifecycle driver against the stateful fake Connect), template and asset bytes; and the
synth CPU ratio at N = 10 against hand-written, from figure 3's paired runs.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import re
import zipfile
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

from benchmarks.common import (
    ASSOCIATION_TYPE,
    LOOKUP_TYPE,
    OVERHEAD_TARGET,
    QUICK_CONNECT_TYPE,
    ROOT,
    SEED_FLAG_SETS,
    SEED_STACK,
    AppSpec,
)
from benchmarks.cpu_cost import CpuRuns, cpu, wall
from benchmarks.report import Report
from benchmarks.worker import synthesized

RELEASE_VERSION = "0.1.0"
RELEASE, CURRENT, HAND_WRITTEN = f"release {RELEASE_VERSION}", "this tree", "hand-written"
RELEASE_DIR = ROOT / "tests" / "upgrade" / "release_0_1_0"
RELEASE_MARKER = f"release-{RELEASE_VERSION}"
"""What ``tests/upgrade/make_release_fixtures.py`` wrote in place of every 64-character asset hash."""
ASSET_HASH_LENGTH = 64
PLUMBING_TYPES = ("AWS::IAM::Role", "AWS::IAM::Policy", "AWS::Lambda::Function", "AWS::Logs::LogGroup")
FUNCTION_TYPE = "AWS::Lambda::Function"
AWS_CUSTOM_RESOURCE_TYPE = "Custom::AWS"
FRAMEWORK_HANDLER = "framework.onEvent"
FRAMEWORK_TARGET = "USER_ON_EVENT_FUNCTION_ARN"
"""The environment variable through which the Provider framework's function names the function it relays to."""
INVOCATIONS_TARGET = 1
CPU_RATIO_N = 10
PREVIOUS_CPU_RATIO = {False: 1.19, True: 1.06}
"""Figure 3's CPU ratio at N = 10 (validation off, on) in the last README run before the one-function provider
(2026-11-28): the target is "no worse than today"."""
#: A deterministic zip, as CDK zips a directory asset: sorted entries, one fixed date, deflate at level 9.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


# ---- reading templates ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssetSize:
    """One Lambda asset: its files, their bytes, and the bytes of a deterministic zip of them."""

    files: int
    raw_bytes: int
    zip_bytes: int

    @classmethod
    def of(cls, files: Mapping[str, bytes]) -> AssetSize:
        return cls(len(files), sum(len(content) for content in files.values()), zipped_bytes(files))


def zipped_bytes(files: Mapping[str, bytes]) -> int:
    """Bytes of a zip of ``files`` (path -> content) that depends on nothing but them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name], compresslevel=9)
    return len(buffer.getvalue())


def directory_files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by its path relative to ``root``, ``/``-separated."""
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


@dataclass(frozen=True)
class ResourceCounts:
    """A seed template's resources by role."""

    quick_connects: int
    associations: int
    lookups: int
    plumbing: dict[str, int]
    """Roles, policies, functions and log groups, by type."""
    other: int

    @property
    def plumbing_total(self) -> int:
        return sum(self.plumbing.values())

    @property
    def total(self) -> int:
        return self.quick_connects + self.associations + self.lookups + self.plumbing_total + self.other


def custom_resource_role(resource: Mapping[str, Any]) -> str | None:
    """``association`` or ``lookup`` for this library's custom resources and for an ``AwsCustomResource`` (a
    ``Search*`` call looks up, anything else associates); None for anything else."""
    resource_type = resource["Type"]
    if resource_type == ASSOCIATION_TYPE:
        return "association"
    if resource_type == LOOKUP_TYPE:
        return "lookup"
    if resource_type == AWS_CUSTOM_RESOURCE_TYPE:
        action = _ACTION.search(literal_text(resource["Properties"]["Create"]))
        assert action, "an AwsCustomResource names the action it calls"
        return "lookup" if action["action"].startswith("Search") else "association"
    return None


_ACTION = re.compile(r'"action":"(?P<action>\w+)"')


def literal_text(value: Any) -> str:
    """A string property's literal parts (``Fn::Join``'s strings, tokens left out)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and set(value) == {"Fn::Join"}:
        separator, parts = value["Fn::Join"]
        return str(separator).join(part for part in parts if isinstance(part, str))
    return ""


def count_resources(template: Mapping[str, Any]) -> ResourceCounts:
    resources = template["Resources"].values()
    roles = Counter(custom_resource_role(resource) for resource in resources)
    types = Counter(resource["Type"] for resource in resources)
    plumbing = {kind: types[kind] for kind in PLUMBING_TYPES if types[kind]}
    quick_connects = types[QUICK_CONNECT_TYPE]
    custom = roles["association"] + roles["lookup"]
    return ResourceCounts(
        quick_connects=quick_connects,
        associations=roles["association"],
        lookups=roles["lookup"],
        plumbing=plumbing,
        other=types.total() - quick_connects - custom - sum(plumbing.values()),
    )


def template_bytes(template: Mapping[str, Any], marker: str | None = None) -> int:
    """Bytes of the template as CDK writes it (JSON, one-space indent); every ``marker`` (the release's fixtures
    write one in place of each asset hash) counted as the 64-character hash it replaced."""
    text = json.dumps(template, indent=1)
    markers = text.count(marker) if marker else 0
    return len(text.encode()) + markers * (ASSET_HASH_LENGTH - len(marker or ""))


def function_chain(template: Mapping[str, Any], resource: Mapping[str, Any]) -> list[str]:
    """The functions an event of the custom resource ``resource`` runs, read from the template: the one its
    ``ServiceToken`` names and, for the Provider framework, the one that relays to."""
    resources = template["Resources"]
    chain: list[str] = []
    reference = resource["Properties"]["ServiceToken"]
    while isinstance(reference, dict) and "Fn::GetAtt" in reference:
        logical_id = reference["Fn::GetAtt"][0]
        function = resources[logical_id]
        assert function["Type"] == FUNCTION_TYPE, f"{logical_id} is not a function"
        chain.append(logical_id)
        variables = function["Properties"].get("Environment", {}).get("Variables", {})
        reference = variables.get(FRAMEWORK_TARGET)
    return chain


def functions_per_event(template: Mapping[str, Any]) -> set[int]:
    """How many functions an event runs, by the template, over every custom resource of it."""
    return {
        len(function_chain(template, resource))
        for resource in template["Resources"].values()
        if custom_resource_role(resource) is not None
    }


@dataclass(frozen=True)
class SeedTemplate:
    """One variant of the seed app, synthesized (or kept, for the release) with one feature-flag set."""

    variant: str
    flag_set: str
    pinned: bool
    template: dict[str, Any]
    assets: dict[str, AssetSize]
    """By the logical id of the function whose code it is."""
    marker: str | None = None

    @property
    def counts(self) -> ResourceCounts:
        return count_resources(self.template)

    @property
    def bytes(self) -> int:
        return template_bytes(self.template, self.marker)


def read_assembly(template_path: Path) -> tuple[dict[str, Any], dict[str, AssetSize]]:
    """A synthesized template, and the assets its functions run, as staged in its cloud assembly."""
    template: dict[str, Any] = json.loads(template_path.read_text())
    manifest = json.loads(template_path.with_name(template_path.name.replace(".template.", ".assets.")).read_text())
    assets = {}
    for logical_id, resource in template["Resources"].items():
        key = resource["Properties"].get("Code", {}).get("S3Key") if resource["Type"] == FUNCTION_TYPE else None
        if isinstance(key, str):
            source = manifest["files"][key.removesuffix(".zip")]["source"]
            assets[logical_id] = AssetSize.of(directory_files(template_path.parent / source["path"]))
    return template, assets


def release_seed(flag_set: str, framework_asset: AssetSize) -> SeedTemplate:
    """The release's fixture of the seed app; its handler asset is the release's ``_handlers`` package kept beside
    it, its framework asset aws-cdk-lib's (measured apart: the fixture names no asset)."""
    template = json.loads((RELEASE_DIR / "templates" / f"example-{SEED_STACK}-{flag_set}.json").read_text())
    # What the release's asset kept (its excludes: everything but ``_handlers/*.py``), never bytecode.
    kept = sorted((RELEASE_DIR / "handlers").glob("*.py"))
    handler_asset = AssetSize.of({f"_handlers/{path.name}": path.read_bytes() for path in kept})
    assets = {}
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] == FUNCTION_TYPE:
            framework = resource["Properties"]["Handler"] == FRAMEWORK_HANDLER
            assets[logical_id] = framework_asset if framework else handler_asset
    return SeedTemplate(RELEASE, flag_set, False, template, assets, marker=RELEASE_MARKER)


def synthesized_seed(variant: str, flag_set: str, *, pinned: bool) -> SeedTemplate:
    spec = AppSpec("seed" if variant == CURRENT else "seed-hand-written", 0, flag_set=flag_set, pinned=pinned)
    template, assets = synthesized(spec, read_assembly)
    return SeedTemplate(variant, flag_set, pinned, template, assets)


def framework_asset() -> AssetSize:
    """aws-cdk-lib's Provider framework asset (the function release 0.1.0 put in front of its handler), from a
    stack holding only a Provider, with aws-cdk-lib as pinned here: 2.275.0, as when the fixtures were made."""
    template, assets = synthesized(AppSpec("provider-framework", 0, flag_set="bare"), read_assembly)
    (framework,) = (
        logical_id
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == FUNCTION_TYPE and resource["Properties"].get("Handler") == FRAMEWORK_HANDLER
    )
    return assets[framework]


# ---- deploying through the lifecycle driver --------------------------------------------------------------------


@dataclass(frozen=True)
class DeployRun:
    """One template deployed, updated (its association lists one quick connect fewer) and deleted."""

    events: Counter[str]
    """Custom-resource events CloudFormation sent, by request type."""
    chains: Counter[tuple[str, ...]]
    """The functions the driver ran for each event, as logical ids."""
    codes: Counter[str]
    """Which handler code answered, as the driver records it (``current``, ``framework+release-0.1.0``)."""
    outcomes: tuple[str, ...]
    queue_right: bool
    """After each step BasicQueue held exactly what was there out of band plus what the live association lists
    (3 quick connects, then 2, then none)."""

    @property
    def lambda_runs(self) -> int:
        return sum(len(chain) * count for chain, count in self.chains.items())

    @property
    def per_event(self) -> float:
        return self.lambda_runs / self.events.total() if self.events else 0.0

    @property
    def completed(self) -> bool:
        return self.outcomes == ("CREATE_COMPLETE", "UPDATE_COMPLETE", "DELETE_COMPLETE")


def one_quick_connect_fewer(template: Mapping[str, Any]) -> dict[str, Any]:
    """The template with the last quick connect dropped from its association (properties and metadata alike)."""
    changed: dict[str, Any] = json.loads(json.dumps(template))

    def drop_last(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "QuickConnectArns" and isinstance(item, list):
                    item.pop()
                else:
                    drop_last(item)
        elif isinstance(value, list):
            for item in value:
                drop_last(item)

    for resource in changed["Resources"].values():
        if resource["Type"] == ASSOCIATION_TYPE:
            drop_last(resource)
    return changed


def example_instance_arn() -> str:
    """The instance the examples' context (``cdk.json``) names: the one every seed template uses."""
    return str(json.loads((ROOT / "cdk.json").read_text())["context"]["instanceArn"])


def deploy_run(template: Mapping[str, Any]) -> DeployRun:
    """Deploy, update and delete the seed stack against a fake instance holding what the seed app looks up and
    three quick connects associated with BasicQueue out of band, with the code each event's ServiceToken leads to."""
    from tests.handlers.fake_connect import FakeClock, FakeConnect
    from tests.handlers.lifecycle import association_state

    instance_arn = example_instance_arn()
    clock = FakeClock()
    fake = FakeConnect(clock=clock, latency=0.05, account=instance_arn.split(":")[4])
    instance = fake.add_instance("contact-center", instance_id=instance_arn.rsplit("/", 1)[-1])
    basic = fake.add_queue(instance, "BasicQueue")
    fake.add_user(instance, "mav2")
    fake.add_contact_flow(instance, "Default agent transfer", "AGENT_TRANSFER")
    fake.add_contact_flow(instance, "Default queue transfer", "QUEUE_TRANSFER")
    console = frozenset(quick_connect.id for quick_connect in fake.add_quick_connects(instance, 3))
    fake.console_associate(basic, sorted(console))
    driver = counting_driver(fake, clock)
    outcomes = []
    queue_right = True
    with virtual_time(clock):
        for step, listed in ((template, 3), (one_quick_connect_fewer(template), 2)):
            outcomes.append(driver.deploy(SEED_STACK, step).status)
            wanted = association_state(driver).get(basic.id, set())
            queue_right = queue_right and len(wanted) == listed and fake.associations(basic) == console | wanted
        outcomes.append(driver.delete(SEED_STACK).status)
        queue_right = queue_right and fake.associations(basic) == console
    return DeployRun(
        events=Counter(driver.request_types),
        chains=Counter(tuple(chain) for chain in driver.chains),
        codes=Counter(invocation.code for invocation in driver.invocations),
        outcomes=tuple(outcomes),
        queue_right=queue_right,
    )


def counting_driver(fake: Any, clock: Any) -> Any:
    """The lifecycle driver, counting each event CloudFormation sends and each function the driver runs for it."""
    from tests.handlers.lifecycle import CloudFormation

    @dataclass
    class Counting(CloudFormation):
        request_types: list[str] = field(default_factory=list)
        chains: list[list[str]] = field(default_factory=list)

        def _invoke(self, stack: str, request_type: str, *args: Any) -> dict[str, Any]:
            self.request_types.append(request_type)
            self.chains.append([])
            return super()._invoke(stack, request_type, *args)

        def _function(self, stack: str, arn: str) -> Any:
            function = super()._function(stack, arn)
            self.chains[-1].append(function.logical_id)
            return function

    return Counting(fake, clock)


@contextlib.contextmanager
def virtual_time(clock: Any) -> Iterator[None]:
    """Every handler's retry policy and watchdog on the driver's virtual clock (this tree's and the release's), as
    the lifecycle tests set them; put back afterwards."""
    from cdk_connect_quickconnect._handlers import _connect, _response
    from tests.handlers.conftest import no_sleep_backoff
    from tests.handlers.lifecycle import release_handlers

    package = release_handlers(RELEASE_VERSION).__name__.rsplit(".", 1)[0]
    released: Any = importlib.import_module(f"{package}._connect")
    released_policy = released.Backoff(sleep=clock.sleep, random=lambda: 0.5, clock=clock.monotonic)
    with (
        mock.patch.object(_connect, "BACKOFF", no_sleep_backoff(clock)),
        mock.patch.object(_response, "TIMER", clock.call_later),
        mock.patch.object(released, "BACKOFF", released_policy),
        contextlib.redirect_stdout(io.StringIO()),  # the handlers log one JSON line per call
    ):
        yield


# ---- the figure ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeployFigure:
    seeds: list[SeedTemplate]
    runs: dict[str, DeployRun]
    """By variant: the release's and this tree's seed app (recommended flags, deploy-time lookups)."""


def measure_deploy() -> DeployFigure:
    framework = framework_asset()
    seeds = [release_seed(flag_set, framework) for flag_set in SEED_FLAG_SETS]
    for variant in (CURRENT, HAND_WRITTEN):
        for pinned in (False, True):
            seeds += [synthesized_seed(variant, flag_set, pinned=pinned) for flag_set in SEED_FLAG_SETS]
    runs = {
        variant: deploy_run(seed(seeds, variant, SEED_FLAG_SETS[0], pinned=False).template)
        for variant in (RELEASE, CURRENT)
    }
    return DeployFigure(seeds, runs)


def seed(seeds: Sequence[SeedTemplate], variant: str, flag_set: str, *, pinned: bool) -> SeedTemplate:
    return next(s for s in seeds if (s.variant, s.flag_set, s.pinned) == (variant, flag_set, pinned))


def deploy_section(report: Report, figure: DeployFigure, cpu_runs: CpuRuns) -> None:
    report.add(
        "## 6. A lighter deploy: release 0.1.0, this tree and hand-written, the seed app (deterministic counts)",
        "",
        "The seed app is `examples/app.py`'s `SeedWalkthroughStack`: 3 quick connects offered on BasicQueue (one "
        "association), BasicQueue, the user mav2 and both default transfer flows looked up by name. Release 0.1.0: "
        "its fixture templates (`tests/upgrade/release_0_1_0`, never re-synthesized). This tree: synthesized with "
        "the examples' context, as the fixtures were (no CLI metadata); *pinned*: every lookup's ARN in CDK context "
        "`connectLookups`, keyed by the library's own `context_key`. Hand-written: `CfnQuickConnect`, one "
        "`AwsCustomResource` for the association and one per lookup (`SearchQueues`, `SearchUsers`, "
        "`SearchContactFlows`), or the ARNs written in when pinned.",
        "",
    )
    resources_table(report, figure.seeds)
    plumbing_table(report, figure.seeds)
    invocations_table(report, figure)
    bytes_table(report, figure.seeds)
    cpu_ratio_table(report, cpu_runs)


def resources_table(report: Report, seeds: Sequence[SeedTemplate]) -> None:
    rows: list[list[object]] = []
    for variant in (RELEASE, CURRENT, HAND_WRITTEN):
        for pinned in (False, True):
            for flag_set in SEED_FLAG_SETS:
                found = [s for s in seeds if (s.variant, s.flag_set, s.pinned) == (variant, flag_set, pinned)]
                lookups = "pinned" if pinned else "deploy-time"
                if not found:
                    if flag_set == SEED_FLAG_SETS[0]:
                        rows.append([variant, lookups, "-", *["-"] * 6, "not in the release's fixtures", "-"])
                    continue
                rows.append(resource_row(report, found[0]))
    report.add("**Resources per stack, the seed app** (plumbing: roles, policies, functions, log groups):", "")
    headers = ["variant", "lookups", "feature flags", "quick connects", "associations", "lookups", "plumbing"]
    report.table([*headers, "all resources", "template bytes", "target", "result"], rows)
    same = []
    for flag_set in SEED_FLAG_SETS:
        library, hand_written = (seed(seeds, variant, flag_set, pinned=True) for variant in (CURRENT, HAND_WRITTEN))
        ok = connect_resources(library.template) == connect_resources(hand_written.template)
        what = f"pinned seed app ({flag_set}): the same quick connects as hand-written"
        same.append(f"{flag_set}: {report.verdict(ok, what, counts=True)}")
    report.add(
        "Pinned, this tree and hand-written synthesize the same quick connects (properties, logical ids aside): "
        f"{'; '.join(same)}.",
        "",
    )


def resource_row(report: Report, found: SeedTemplate) -> list[object]:
    counts = found.counts
    row: list[object] = [
        found.variant,
        "pinned" if found.pinned else "deploy-time",
        found.flag_set,
        counts.quick_connects,
        counts.associations,
        counts.lookups,
        counts.plumbing_total,
        counts.total,
        f"{found.bytes:,}",
    ]
    if found.variant != CURRENT:
        return [*row, "-", "-"]
    if found.pinned:
        ok = counts.lookups == 0 and counts.plumbing_total <= OVERHEAD_TARGET
        what = f"pinned seed app ({found.flag_set}): no lookup custom resource, plumbing <= {OVERHEAD_TARGET}"
        return [*row, f"0 lookups, plumbing <= {OVERHEAD_TARGET}", report.verdict(ok, what, counts=True)]
    ok = counts.plumbing_total <= OVERHEAD_TARGET
    what = f"seed app plumbing ({found.flag_set}) <= {OVERHEAD_TARGET}"
    return [*row, f"plumbing <= {OVERHEAD_TARGET}", report.verdict(ok, what, counts=True)]


def connect_resources(template: Mapping[str, Any]) -> list[str]:
    """The quick connects of a template, by their properties (logical ids differ between variants)."""
    return sorted(
        json.dumps(resource["Properties"], sort_keys=True)
        for resource in template["Resources"].values()
        if resource["Type"] == QUICK_CONNECT_TYPE
    )


def plumbing_table(report: Report, seeds: Sequence[SeedTemplate]) -> None:
    rows = []
    for found in seeds:
        counts = found.counts
        by_type = [counts.plumbing.get(kind, 0) for kind in PLUMBING_TYPES]
        fixed = "yes" if found.variant != HAND_WRITTEN else "no: one policy per custom resource"
        rows.append(
            [
                found.variant,
                "pinned" if found.pinned else "deploy-time",
                found.flag_set,
                *by_type,
                counts.plumbing_total,
                fixed,
            ]
        )
    report.add(
        f"**Plumbing per stack by type** (release 0.1.0: 9; target for this tree: <= {OVERHEAD_TARGET}, checked "
        "above):",
        "",
    )
    headers = ["variant", "lookups", "feature flags", *(kind.split("::")[-1] for kind in PLUMBING_TYPES)]
    report.table([*headers, "plumbing", "the same for any number of custom resources"], rows)


def invocations_table(report: Report, figure: DeployFigure) -> None:
    rows: list[list[object]] = []
    for found in figure.seeds:
        if found.pinned or found.flag_set != SEED_FLAG_SETS[0]:
            continue
        by_template = ", ".join(str(n) for n in sorted(functions_per_event(found.template)))
        run = figure.runs.get(found.variant)
        if run is None:
            rows.append(
                [found.variant, by_template, *["-"] * 4, "not run: the driver runs this library's code only", "-", "-"]
            )
            continue
        events = ", ".join(f"{kind} {run.events[kind]}" for kind in ("Create", "Update", "Delete"))
        chains = "; ".join(" -> ".join(chain) for chain in run.chains)
        codes = ", ".join(f"{code} x{count}" for code, count in run.codes.items())
        steps = "all complete" if run.completed else "FAILED: " + ", ".join(run.outcomes)
        steps += ", queue right" if run.queue_right else ", queue WRONG"
        ok = run.completed and run.queue_right
        if found.variant == CURRENT:
            target = f"== {INVOCATIONS_TARGET}, run completes"
            result = report.verdict(
                ok and run.per_event == INVOCATIONS_TARGET, "Lambda runs per custom-resource event", counts=True
            )
        else:
            target = "run completes"
            result = report.verdict(ok, f"{found.variant} seed app deployed through the driver", counts=True)
        rows.append(
            [
                found.variant,
                by_template,
                f"{events} ({run.events.total()})",
                run.lambda_runs,
                f"{run.per_event:g}",
                f"{chains} ({codes})",
                steps,
                target,
                result,
            ]
        )
    report.add(
        "**Lambda runs per custom-resource event**: each seed template (recommended flags, deploy-time lookups) "
        "deployed, updated (the association lists one quick connect fewer) and deleted by the lifecycle driver "
        "(`tests/handlers/lifecycle.py`) against the stateful fake Connect, with the code each event's "
        "ServiceToken leads to: the release's Provider framework function relaying to its handler function, or "
        "this tree's one function (which keeps the logical id release 0.1.0 gave the framework's function: "
        "CloudFormation refuses a changed ServiceToken). Counted per event: the functions the driver runs for it; "
        "*template*: the functions a custom resource's ServiceToken leads to, read from the template.",
        "",
    )
    headers = ["variant", "functions per event (template)", "events (driver)", "Lambda runs", "per event"]
    report.table([*headers, "functions run per event (handler code)", "stack operations", "target", "result"], rows)


def bytes_table(report: Report, seeds: Sequence[SeedTemplate]) -> None:
    rows: list[list[object]] = []
    for found in seeds:
        if found.flag_set != SEED_FLAG_SETS[0] or found.pinned:
            continue
        rows.extend(
            [found.variant, f"`{logical_id}`", asset.files, f"{asset.raw_bytes:,}", f"{asset.zip_bytes:,}"]
            for logical_id, asset in found.assets.items()
        )
        total = sum(asset.zip_bytes for asset in found.assets.values())
        rows.append([found.variant, "**all assets**", "", "", f"**{total:,}**"])
    report.add(
        "**Asset bytes** (the template bytes are in the first table: JSON as CDK writes it, one-space indent; the "
        f"release's `{RELEASE_MARKER}` markers counted as the 64-character asset hashes they replaced). An asset: "
        "the files CDK stages for a function, and a zip of them (sorted, fixed date, deflate level 9; CDK's own zip "
        "differs by a few bytes). The release's handler asset is its `_handlers` package kept in "
        "`tests/upgrade/release_0_1_0/handlers`; its Provider framework bundle is not in the fixtures and is "
        "measured from aws-cdk-lib 2.275.0's Provider (the version pinned here and when the fixtures were made; "
        "a user on another aws-cdk-lib deploys that version's bundle).",
        "",
    )
    report.table(["variant", "function", "files", "bytes", "zip bytes"], rows)


def cpu_ratio_table(report: Report, cpu_runs: CpuRuns) -> None:
    rows = []
    for validation in (False, True):
        ratio = cpu_runs.ratio(cpu, validation, CPU_RATIO_N)
        previous = PREVIOUS_CPU_RATIO[validation]
        rows.append(
            [
                "on" if validation else "off",
                f"{ratio:.2f}",
                f"{cpu_runs.ratio(wall, validation, CPU_RATIO_N):.2f}",
                f"{previous:.2f}",
                f"<= {previous:.2f}",
                report.verdict(
                    ratio <= previous, f"CPU ratio at N={CPU_RATIO_N}, validation {validation}", counts=False
                ),
            ]
        )
    report.add(
        f"**Synth CPU at N = {CPU_RATIO_N}, library / hand-written** (figure 3's paired, interleaved runs; wall-clock "
        "as a ratio only), against the last README run before the one-function provider:",
        "",
    )
    headers = ["template validation", "CPU ratio now", "wall ratio now", "CPU ratio before (README, 2026-11-28)"]
    report.table([*headers, "target: no worse", "result (timing: not failing)"], rows)
