"""`map cdk.out --instance-arn ARN --diff`: drift in both directions against the fake Connect API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cdk_connect_quickconnect.cli import _live, main
from tests.cli.test_assembly import example_assembly  # noqa: F401 - the shared module fixture
from tests.handlers.fake_connect import FakeConnect, QuickConnect
from tests.support import ACCOUNT, INSTANCE_ARN, INSTANCE_ID


@pytest.fixture
def deployed(
    fake: FakeConnect, client: Any, retry: _live.RetryPolicy, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    """Every stack of examples/app.py as deployed on the fake instance."""
    monkeypatch.setattr(_live, "make_client", lambda **_: client)
    monkeypatch.setattr(_live, "DEFAULT_RETRY", retry)
    fake.account = ACCOUNT
    instance = fake.add_instance("walkthrough", instance_id=INSTANCE_ID)
    assert instance.arn == INSTANCE_ARN
    basic = fake.add_queue(instance, "BasicQueue")
    support = fake.add_queue(instance, "Support")
    billing = fake.add_queue(instance, "Billing")
    profile = fake.add_routing_profile(instance, "Support agents", [support])
    mav2 = fake.add_user(instance, "mav2")
    fake.add_user(instance, "mav3")
    agent = fake.add_user(instance, "support.agent", routing_profile=profile)
    flows = {
        name: fake.add_contact_flow(instance, name, kind)
        for name, kind in [
            ("Default agent transfer", "AGENT_TRANSFER"),
            ("Default queue transfer", "QUEUE_TRANSFER"),
            ("Transfer to agent", "AGENT_TRANSFER"),
            ("Transfer to queue", "QUEUE_TRANSFER"),
            ("Transfer to support agent", "AGENT_TRANSFER"),
            ("Collect payment details", "CONTACT_FLOW"),
            ("Transfer to Billing (after hours: on-call)", "QUEUE_TRANSFER"),
            ("Transfer to agent (busy: Billing)", "AGENT_TRANSFER"),
        ]
    }
    made: dict[str, QuickConnect] = {}
    for suffix, agent_flow, queue_flow in [
        ("", "Default agent transfer", "Default queue transfer"),
        (" (custom prompts)", "Transfer to agent", "Transfer to queue"),
    ]:
        made[f"mav2{suffix}"] = fake.add_quick_connect(
            instance, f"mav2{suffix}", "USER", user=mav2, contact_flow=flows[agent_flow]
        )
        made[f"BasicQueue{suffix}"] = fake.add_quick_connect(
            instance, f"BasicQueue{suffix}", "QUEUE", queue=basic, contact_flow=flows[queue_flow]
        )
        made[f"Support hotline{suffix}"] = fake.add_quick_connect(
            instance, f"Support hotline{suffix}", "PHONE_NUMBER", phone_number="+18005550100"
        )
    made["Support agent"] = fake.add_quick_connect(
        instance, "Support agent", "USER", user=agent, contact_flow=flows["Transfer to support agent"]
    )
    made["Send payment form"] = fake.add_quick_connect(
        instance, "Send payment form", "FLOW", contact_flow=flows["Collect payment details"]
    )
    made["Billing"] = fake.add_quick_connect(
        instance, "Billing", "QUEUE", queue=billing, contact_flow=flows["Transfer to Billing (after hours: on-call)"]
    )
    made["mav2 (or Billing)"] = fake.add_quick_connect(
        instance, "mav2 (or Billing)", "USER", user=mav2, contact_flow=flows["Transfer to agent (busy: Billing)"]
    )
    fake.console_associate(basic, [qc.id for name, qc in made.items() if name != "Support agent"])
    fake.console_associate(support, [made["Support agent"].id])
    return {"instance": instance, "basic": basic, "support": support, "quick_connects": made, "users": [mav2]}


def run_diff(assembly: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    status = main(["map", str(assembly), "--instance-arn", INSTANCE_ARN, "--diff", *extra])
    return status, capsys.readouterr().out


def test_in_sync_exits_0(example_assembly: Path, deployed: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    status, out = run_diff(example_assembly, capsys)

    assert (status, out) == (
        0,
        f"In sync: instance {INSTANCE_ID} has every association and quick connect the app declares.\n",
    )


def test_drift_in_both_directions_exits_1(
    example_assembly: Path,  # noqa: F811
    deployed: dict[str, Any],
    fake: FakeConnect,
    capsys: pytest.CaptureFixture[str],
) -> None:
    made = deployed["quick_connects"]
    fake.console_disassociate(deployed["basic"], [made["Support hotline"].id])  # removed by hand
    stray = fake.add_quick_connect(deployed["instance"], "Stray", "PHONE_NUMBER", phone_number="+18005550199")
    fake.console_associate(deployed["support"], [stray.id])  # added by hand

    status, out = run_diff(example_assembly, capsys, "--format", "json")

    report = json.loads(out)
    assert status == 1
    assert report["in_sync"] is False
    assert {(f["kind"], f["queue"], f["quick_connect"]) for f in report["findings"]} == {
        ("missing_association", "BasicQueue", "Support hotline"),
        ("extra_association", "Support", "Stray"),
    }


def test_quick_connects_whose_name_destination_or_flow_differ(
    example_assembly: Path,  # noqa: F811
    deployed: dict[str, Any],
    fake: FakeConnect,
    capsys: pytest.CaptureFixture[str],
) -> None:
    made = deployed["quick_connects"]
    made["Support hotline"].phone_number = "+18005550111"
    made["mav2"].user_id = next(user.id for user in fake.users.values() if user.username == "mav3")
    made["BasicQueue (custom prompts)"].contact_flow_id = next(
        flow.id for flow in fake.contact_flows.values() if flow.name == "Default queue transfer"
    )
    made["Support agent"].name = "Support agent (renamed)"

    status, out = run_diff(example_assembly, capsys)

    assert status == 1
    assert "Drift on instance" in out and "4 finding(s)" in out
    lines = out.splitlines()
    assert any("different destination" in line and "+18005550100" in line and "+18005550111" in line for line in lines)
    assert any("different destination" in line and "agent mav2" in line and "agent mav3" in line for line in lines)
    assert any(
        "different flow" in line and "flow Transfer to queue" in line and "flow Default queue transfer" in line
        for line in lines
    )
    assert any("different name" in line and "'Support agent (renamed)'" in line for line in lines)


def test_a_quick_connect_missing_on_the_instance(
    example_assembly: Path,  # noqa: F811
    deployed: dict[str, Any],
    fake: FakeConnect,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake.delete_quick_connect(deployed["quick_connects"]["mav2 (custom prompts)"])

    status, out = run_diff(example_assembly, capsys, "--format", "json")

    findings = json.loads(out)["findings"]
    assert status == 1
    assert [(f["kind"], f["quick_connect"]) for f in findings] == [("missing_quick_connect", "mav2 (custom prompts)")]


def test_fails_when_the_app_targets_another_instance(
    example_assembly: Path,  # noqa: F811
    deployed: dict[str, Any],
    fake: FakeConnect,
    capsys: pytest.CaptureFixture[str],
) -> None:
    other = fake.add_instance("other")

    status = main(["map", str(example_assembly), "--instance-arn", other.arn, "--diff"])

    err = capsys.readouterr().err
    assert status == 2
    assert f"the app declares nothing on instance {other.arn}" in err


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--diff", "--instance-arn", INSTANCE_ARN], "needs both a cloud assembly and"),
        (["ASSEMBLY", "--instance-arn", INSTANCE_ARN], "add --diff"),
        (["ASSEMBLY", "--instance-arn", INSTANCE_ARN, "--diff", "--format", "dot"], "the drift is a table or json"),
        (["ASSEMBLY", "--format", "table"], "a map is mermaid, dot or json"),
    ],
)
def test_modes_that_do_not_go_together(
    example_assembly: Path,  # noqa: F811
    arguments: list[str],
    expected: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["map", *[str(example_assembly) if arg == "ASSEMBLY" else arg for arg in arguments]])

    assert status == 2
    assert expected in capsys.readouterr().err
