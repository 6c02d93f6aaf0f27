"""What every part of the benchmark shares: its constants, the app specs and the template statistics."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = ROOT / "src" / "cdk_connect_quickconnect"


@dataclass(frozen=True)
class Settings:
    """How much each figure measures: the full run or the ``--quick`` smoke run."""

    round_trip_ns: tuple[int, int]
    """The two N the per-quick-connect slope of round trips is taken between: multiples of 50, so that the
    hand-written app's ``AwsCustomResource`` batches of 50 ids fall evenly."""
    cpu_ns: tuple[int, ...]
    cpu_runs: int
    """Paired runs per N and validation setting of the whole-process CPU figure."""
    import_runs: int


FULL = Settings(round_trip_ns=(50, 450), cpu_ns=(10, 100, 250, 450), cpu_runs=5, import_runs=7)
QUICK = Settings(round_trip_ns=(50, 150), cpu_ns=(10, 100), cpu_runs=3, import_runs=3)

ACCOUNT = "111122223333"
REGION = "us-east-1"
INSTANCE_ARN = f"arn:aws:connect:{REGION}:{ACCOUNT}:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
#: The inbound flow (made in the console) that the FLOW quick connects run.
INBOUND_FLOW_ARN = f"{INSTANCE_ARN}/contact-flow/33333333-3333-4333-8333-333333333333"
STACK_NAME = "QuickConnectBench"
AGENT_FLOW = ("AgentFlow", "Transfer to agent", "AGENT_TRANSFER")
QUEUE_FLOW = ("QueueFlow", "Transfer to queue", "QUEUE_TRANSFER")

RATIO_TARGET = 1.15
"""Whole-process CPU, library / hand-written, with aws-cdk-lib's validation off, at N >= ``RATIO_TARGET_FROM_N``."""
RATIO_TARGET_FROM_N = 100
LIBRARY_IMPORT_TARGET_MS = 150.0
"""``import cdk_connect_quickconnect`` over ``import aws_cdk.aws_connect`` alone (difference of medians)."""
OVERHEAD_TARGET = 4  # one role, one policy, one function, one log group (README: fixed cost)
IMPORT_TARGET_MS = 150.0
IMPORT_RUNS = 5
MAX_RESOURCES = 500
MAX_TEMPLATE_BYTES = 1_048_576

CONNECT_PREFIX = "AWS::Connect::"
QUICK_CONNECT_TYPE = "AWS::Connect::QuickConnect"
ASSOCIATION_TYPE = "Custom::ConnectQueueQuickConnects"
LOOKUP_TYPE = "Custom::ConnectLookup"
NOT_OVERHEAD = ("AWS::CDK::Metadata", ASSOCIATION_TYPE, LOOKUP_TYPE, "Custom::AWS")

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

# ---- app specs and template statistics (shared by parent and worker) -------------------------------------


@dataclass(frozen=True)
class AppSpec:
    """One app to synthesize: ``library`` (this library), ``raw`` (CfnQuickConnect/CfnContactFlow by hand) or
    ``hand-written`` (raw plus an ``AwsCustomResource`` per 50 ids to offer them on a queue, see ``benchmarks.apps``);
    or the seed app of figure 6: ``seed`` (``examples/app.py``'s ``SeedWalkthroughStack``), ``seed-hand-written``
    (the same with L1s and ``AwsCustomResource``), or ``provider-framework`` (aws-cdk-lib's Provider framework
    alone, for its asset). ``n`` is 0 for those.
    """

    variant: str
    n: int
    associations: str = "none"
    """``none``, ``one`` (every quick connect on one queue) or ``per-queue`` (``add_to_queue`` per queue)."""
    lookups: bool = False
    """Also look up a queue, a user and the default agent transfer flow by name."""
    flow_contents: dict[str, str] = field(default_factory=dict)
    """For ``raw``: the flow content JSON by flow type, taken from the library's template."""
    count_past_limit: bool = False
    """Switch off CDK's own 500-resource check, which refuses to synthesize a stack over the limit."""
    kinds: str = "mix"
    """``mix`` (a quarter of each kind, see :func:`kind_of`) or ``user`` (every quick connect transfers to its
    own imported agent through the one agent-transfer flow)."""
    flag_set: str = ""
    """For the seed app: ``bare`` or ``recommended-flags`` (``cdk init``'s feature flags), with the examples'
    context from ``cdk.json``, as release 0.1.0's fixture templates were made."""
    pinned: bool = False
    """For the seed app: every lookup pinned in CDK context (``connectLookups``) instead of run at deploy time."""


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


def scenario(variant: str, n: int, flow_contents: dict[str, str] | None = None) -> AppSpec:
    """The issue's app: ``n`` USER quick connects on one shared agent-transfer flow, all offered on one imported
    queue, by ``library`` (one ``QueueQuickConnectAssociation``) or ``hand-written`` (L1s and an
    ``AwsCustomResource`` per 50 ids, with the flow contents of the library's template)."""
    if variant == "library":
        return AppSpec("library", n, associations="one", kinds="user")
    return AppSpec("hand-written", n, kinds="user", flow_contents=flow_contents or {})


def queue_count(n: int, kinds: str = "mix") -> int:
    """How many queues the app imports: one per 10 quick connects in the mix (QUEUE ones transfer to them), else one."""
    return max(1, n // 10) if kinds == "mix" else 1


def queue_arn(index: int) -> str:
    return f"{INSTANCE_ARN}/queue/{index:08d}-1111-4111-8111-111111111111"


def user_arn(index: int) -> str:
    return f"{INSTANCE_ARN}/agent/{index:08d}-2222-4222-8222-222222222222"


def phone_number(index: int) -> str:
    return f"+1800555{index:04d}"


def quick_connect_name(index: int) -> str:
    return f"Quick connect {index}"


def kind_of(index: int, kinds: str = "mix") -> str:
    """The kind of quick connect ``index``: ``mix``, a quarter each of USER, QUEUE, PHONE_NUMBER and FLOW; ``user``,
    USER only."""
    if kinds == "user":
        return "USER"
    return ("USER", "QUEUE", "PHONE_NUMBER", "FLOW")[index % 4]


# ---- the seed app of figure 6 ----------------------------------------------------------------------------------

SEED_STACK = "SeedWalkthrough"
SEED_FLAG_SETS = ("recommended-flags", "bare")


class SeedLookup(NamedTuple):
    """One lookup by name of the seed app, and the ARN a pin gives it."""

    construct_id: str
    kind: str
    name: str
    flow_type: str | None
    path: str
    """The pinned ARN's resource path below the instance's ARN."""


SEED_LOOKUPS = (
    SeedLookup("BasicQueue", "queue", "BasicQueue", None, "queue/44444444-1111-4111-8111-111111111111"),
    SeedLookup("Mav2", "user", "mav2", None, "agent/44444444-2222-4222-8222-222222222222"),
    SeedLookup(
        "DefaultAgentTransfer",
        "contact-flow",
        "Default agent transfer",
        "AGENT_TRANSFER",
        "contact-flow/44444444-3333-4333-8333-333333333333",
    ),
    SeedLookup(
        "DefaultQueueTransfer",
        "contact-flow",
        "Default queue transfer",
        "QUEUE_TRANSFER",
        "contact-flow/44444444-4444-4444-8444-444444444444",
    ),
)


def pinned_arn(instance_arn: str, kind: str, name: str) -> str:
    """The ARN a pin gives the seed app's lookup of ``kind`` ``name``."""
    return next(
        f"{instance_arn}/{lookup.path}" for lookup in SEED_LOOKUPS if (lookup.kind, lookup.name) == (kind, name)
    )
