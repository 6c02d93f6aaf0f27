"""The library's synth cost in jsii round trips: no more per quick connect than hand-written L1 code.

Counted, not timed (``benchmarks.round_trips``): every request Python sends to the jsii kernel while the benchmark's
apps are built and synthesized. The per-quick-connect cost is the difference between two sizes, both multiples of
50 so that the hand-written variant's one ``AwsCustomResource`` per 50 ids falls evenly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.apps import synthesize, template_stats
from benchmarks.common import AppSpec
from benchmarks.round_trips import RoundTrips, count_app

LOW_N, HIGH_N = 50, 150


@pytest.fixture(scope="module")
def flow_contents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The library's flow contents, which the hand-written variant deploys as they are."""
    outdir = tmp_path_factory.mktemp("library")
    return template_stats(synthesize(AppSpec("library", 1), str(outdir))).flow_contents


def round_trips(tmp_path: Path, variant: str, **spec: object) -> RoundTrips:
    counts = [
        count_app(AppSpec(variant, n, **spec), str(tmp_path / f"{variant}-{n}"))  # type: ignore[arg-type]
        for n in (LOW_N, HIGH_N)
    ]
    return RoundTrips(LOW_N, HIGH_N, *counts)


def test_a_user_quick_connect_and_its_association_cost_no_more_than_hand_written_l1(
    tmp_path: Path, flow_contents: dict[str, str]
) -> None:
    """The issue's app: N agents' quick connects on one agent-transfer flow, all offered on one imported queue."""
    library = round_trips(tmp_path, "library", kinds="user", associations="one")
    hand_written = round_trips(tmp_path, "hand-written", kinds="user", flow_contents=flow_contents)
    assert library.per_quick_connect <= hand_written.per_quick_connect, library.per_quick_connect_by_kind()
    # What the three are: the QuickConnect and its CfnQuickConnect, one read of the ARN. The agent's import adds
    # nothing: its construct is only created when something reads its node.
    assert library.per_quick_connect_by_kind() == {
        ("CreateRequest", "aws-cdk-lib.Resource"): 1.0,
        ("CreateRequest", "aws-cdk-lib.aws_connect.CfnQuickConnect"): 1.0,
        ("GetRequest", "attrQuickConnectArn"): 1.0,
    }


def test_quick_connects_of_every_kind_only_create_constructs(tmp_path: Path) -> None:
    """Without an association nothing is read back per quick connect: no checks calling into the kernel."""
    library = round_trips(tmp_path, "library")
    assert {kind for kind, _ in library.per_quick_connect_by_kind()} == {"CreateRequest"}
