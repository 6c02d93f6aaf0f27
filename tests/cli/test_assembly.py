"""`map cdk.out`: what the examples' cloud assembly declares, cross-stack references, and bad input."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_connect as connect

from cdk_connect_quickconnect import (
    ConnectInstance,
    Queue,
    QueueQuickConnectAssociation,
    QuickConnect,
    QuickConnectDestination,
)
from cdk_connect_quickconnect.cli import main
from cdk_connect_quickconnect.cli._assembly import read_assembly, to_transfer_map
from tests.cli.checkers import parse_mermaid, render_dot
from tests.support import INSTANCE_ARN, ROOT

EXAMPLE_CONTEXT = json.loads((ROOT / "cdk.json").read_text())["context"]


@pytest.fixture(scope="module")
def example_assembly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/app.py synthesized, as `make example` does, into a temporary cdk.out."""
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import app as example_app
    finally:
        sys.path.remove(str(ROOT / "examples"))
    outdir = tmp_path_factory.mktemp("cdk.out")

    class AppWritingToOutdir(cdk.App):
        def __init__(self, **options: Any) -> None:
            super().__init__(**options, outdir=str(outdir))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(example_app.cdk, "App", AppWritingToOutdir)
        example_app.create_app(EXAMPLE_CONTEXT).synth()
    return outdir


def test_reads_every_stack_and_merges_a_queue_looked_up_twice(example_assembly: Path) -> None:
    declared = read_assembly(example_assembly)

    assert {"SeedWalkthrough", "CustomPrompts", "OwnedQueue", "AfterHours"} <= set(declared.stacks)
    queues = {queue.label(): queue for queue in declared.queues.values()}
    assert set(queues) == {"BasicQueue", "Support", "Billing"}
    assert (queues["BasicQueue"].origin, queues["Support"].origin) == ("looked up", "owned")
    on_basic = {ref.label() for ref in declared.associations[queues["BasicQueue"].key]}
    assert on_basic >= {
        "mav2",
        "BasicQueue",
        "Support hotline",
        "mav2 (custom prompts)",
        "BasicQueue (custom prompts)",
        "Support hotline (custom prompts)",
    }
    assert declared.instances == {INSTANCE_ARN}


def test_quick_connects_carry_kind_destination_and_flow_by_name(example_assembly: Path) -> None:
    declared = read_assembly(example_assembly)
    by_name = {qc.ref.label(): qc for qc in declared.quick_connects.values()}

    mav2 = by_name["mav2"]
    assert (mav2.quick_connect_type, mav2.destination.label(), mav2.flow.label()) == (  # type: ignore[union-attr]
        "USER",
        "mav2",
        "Default agent transfer",
    )
    custom = by_name["BasicQueue (custom prompts)"]
    assert (custom.destination.label(), custom.flow.label()) == ("BasicQueue", "Transfer to queue")  # type: ignore[union-attr]
    assert by_name["Support hotline"].destination == "+18005550100"
    assert by_name["Support hotline"].description == "External support line"
    assert by_name["Support agent"].destination.label() == "support.agent"  # type: ignore[union-attr]


def test_routing_profiles_and_agents_the_app_declares(example_assembly: Path) -> None:
    transfer_map = to_transfer_map(read_assembly(example_assembly), "examples")

    (profile,) = transfer_map.routing_profiles
    support = next(queue for queue in transfer_map.queues if queue.name == "Support")
    assert (profile.name, profile.queues, profile.agents) == ("Support agents", (support.key,), ("support.agent",))


def test_the_command_prints_every_quick_connect_and_queue_of_the_examples(
    example_assembly: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["map", str(example_assembly)])

    out = capsys.readouterr().out
    assert status == 0
    declared = read_assembly(example_assembly)
    for qc in declared.quick_connects.values():
        assert f'["{qc.ref.label()}<br/>' in out
    for queue in declared.queues.values():
        assert f"subgraph g{'q'}" in out and f"Queue {queue.label()}" in out
    assert parse_mermaid(out) == [{"ok": True, "type": "flowchart-v2"}]


def test_the_examples_map_renders_with_graphviz(example_assembly: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["map", str(example_assembly), "--format", "dot"]) == 0

    svg = render_dot(capsys.readouterr().out)

    assert "Transfer to support agent" in svg


def test_follows_a_reference_exported_by_another_stack(tmp_path: Path) -> None:
    app = cdk.App(outdir=str(tmp_path))
    env = cdk.Environment(account="111122223333", region="us-east-1")
    queues = cdk.Stack(app, "Queues", env=env)
    cfn_queue = connect.CfnQueue(
        queues,
        "Sales",
        instance_arn=INSTANCE_ARN,
        name="Sales",
        hours_of_operation_arn=f"{INSTANCE_ARN}/operating-hours/h",
    )
    transfers = cdk.Stack(app, "Transfers", env=env)
    hotline = QuickConnect(
        transfers,
        "Hotline",
        instance=ConnectInstance.from_instance_arn(transfers, "Instance", INSTANCE_ARN),
        name="Hotline",
        destination=QuickConnectDestination.phone_number("+18005550100"),
    )
    QueueQuickConnectAssociation(transfers, "OnSales", queue=Queue.from_cfn_queue(cfn_queue), quick_connects=[hotline])
    app.synth()
    assert "Fn::ImportValue" in (tmp_path / "Transfers.template.json").read_text()

    declared = read_assembly(tmp_path)

    ((queue_key, listed),) = declared.associations.items()
    assert declared.queues[queue_key].label() == "Sales"
    assert declared.queues[queue_key].origin == "owned"
    assert [ref.label() for ref in listed] == ["Hotline"]


def test_reads_stacks_of_nested_stages(tmp_path: Path) -> None:
    app = cdk.App(outdir=str(tmp_path))
    stage = cdk.Stage(app, "Prod")
    stack = cdk.Stack(stage, "Transfers", env=cdk.Environment(account="111122223333", region="us-east-1"))
    cfn_queue = connect.CfnQueue(
        stack,
        "Sales",
        instance_arn=INSTANCE_ARN,
        name="Sales",
        hours_of_operation_arn=f"{INSTANCE_ARN}/operating-hours/h",
    )
    QueueQuickConnectAssociation(
        stack,
        "OnSales",
        queue=Queue.from_cfn_queue(cfn_queue),
        quick_connects=[
            QuickConnect(
                stack,
                "Hotline",
                instance=ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN),
                name="Hotline",
                destination=QuickConnectDestination.phone_number("+18005550100"),
            )
        ],
    )
    app.synth()

    declared = read_assembly(tmp_path)

    assert declared.stacks == ["Prod/Transfers"]
    assert [qc.ref.label() for qc in declared.quick_connects.values()] == ["Hotline"]


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (lambda path: None, "is not a directory"),
        (lambda path: path.mkdir(), "is not a cloud assembly: it has no manifest.json"),
        (lambda path: (path.mkdir(), (path / "manifest.json").write_text("{not json")), "is not readable JSON"),
        (lambda path: (path.mkdir(), (path / "manifest.json").write_text("[]")), "is not a cloud assembly manifest"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, setup: object, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "cdk.out"
    setup(target)  # type: ignore[operator]

    status = main(["map", str(target)])

    err = capsys.readouterr().err
    assert status == 2
    assert expected in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_the_readme_shows_the_seed_walkthrough_map_the_command_draws(
    example_assembly: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = json.loads((example_assembly / "manifest.json").read_text())
    only_seed = {"SeedWalkthrough": manifest["artifacts"]["SeedWalkthrough"]}
    seed = tmp_path / "cdk.out"
    seed.mkdir()
    (seed / "manifest.json").write_text(json.dumps({**manifest, "artifacts": only_seed}))
    template = "SeedWalkthrough.template.json"
    (seed / template).write_text((example_assembly / template).read_text())

    assert main(["map", str(seed)]) == 0

    drawn = capsys.readouterr().out.replace(str(seed), "cdk.out")
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Transfer map (command line)") :]
    block = section[section.index("```mermaid\n") + len("```mermaid\n") :]
    assert block[: block.index("```")] == drawn


def test_the_readme_shows_the_after_hours_map_the_command_draws(
    example_assembly: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = json.loads((example_assembly / "manifest.json").read_text())
    only = tmp_path / "cdk.out"
    only.mkdir()
    (only / "manifest.json").write_text(
        json.dumps({**manifest, "artifacts": {"AfterHours": manifest["artifacts"]["AfterHours"]}})
    )
    (only / "AfterHours.template.json").write_text((example_assembly / "AfterHours.template.json").read_text())

    assert main(["map", str(only)]) == 0

    drawn = capsys.readouterr().out.replace(str(only), "cdk.out")
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("**The map follows the flows.**") :]
    block = section[section.index("```mermaid\n") + len("```mermaid\n") :]
    assert block[: block.index("```")] == drawn
    assert '-.->|"closed"| d1' in drawn and 'd1{{"+18005550142"}}' in drawn
