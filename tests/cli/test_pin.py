"""``pin`` and ``pin --check`` end to end: a real cloud assembly, argparse, the live reader on the stateful fake.

The assembly is the seed walk-through of ``examples/app.py`` (an instance looked up by alias, BasicQueue, mav2
and both default transfer flows: five lookups), synthesized by aws-cdk-lib; the fake stands behind a real boto3
client, so every request is checked against botocore's model.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from cdk_connect_quickconnect._pin_keys import PinKey, context_key, parse_key
from cdk_connect_quickconnect.cli import _live, main
from tests.handlers.fake_connect import ACCOUNT, REGION, FakeClock, FakeConnect, Instance
from tests.support import ROOT

ALIAS = "walkthrough"
PINNED_KEYS = {
    "instance:walkthrough",
    "walkthrough/queue:BasicQueue",
    "walkthrough/user:mav2",
    "walkthrough/contact-flow:AGENT_TRANSFER:Default agent transfer",
    "walkthrough/contact-flow:QUEUE_TRANSFER:Default queue transfer",
}
PLUMBING = ("AWS::Lambda::Function", "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::Logs::LogGroup")


@pytest.fixture(autouse=True)
def wired(monkeypatch: pytest.MonkeyPatch, client: Any, retry: _live.RetryPolicy) -> list[dict[str, Any]]:
    """The command line gets the fake's client whatever Region or profile it asks for, and never sleeps."""
    made: list[dict[str, Any]] = []

    def make_client(**options: Any) -> Any:
        made.append(options)
        return client

    monkeypatch.setattr(_live, "make_client", make_client)
    monkeypatch.setattr(_live, "DEFAULT_RETRY", retry)
    return made


def seed(fake: FakeConnect) -> Instance:
    """The walk-through's instance: BasicQueue, agents mav1 and mav2, the two default transfer flows."""
    instance = fake.add_instance(ALIAS)
    fake.add_instance("another-center")
    fake.add_queue(instance, "BasicQueue")
    fake.add_queue(instance, "Sales")
    fake.add_user(instance, "mav1")
    fake.add_user(instance, "mav2")
    fake.add_contact_flow(instance, "Default agent transfer", "AGENT_TRANSFER")
    fake.add_contact_flow(instance, "Default queue transfer", "QUEUE_TRANSFER")
    fake.add_contact_flow(instance, "Default agent transfer", "CONTACT_FLOW")  # same name, another type
    return instance


def _seed_walkthrough_stack() -> Any:
    if str(ROOT / "examples") not in sys.path:
        sys.path.insert(0, str(ROOT / "examples"))  # as `python3 examples/app.py` has it
    spec = importlib.util.spec_from_file_location("example_app_for_pins", ROOT / "examples" / "app.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SeedWalkthroughStack


def synthesize(context: dict[str, Any]) -> cdk.cx_api.CloudAssembly:
    """The seed walk-through alone, its instance looked up by alias, in the fake's account and Region."""
    app = cdk.App(context={"instanceAlias": ALIAS, **context})
    _seed_walkthrough_stack()(app, "SeedWalkthrough", env=cdk.Environment(account=ACCOUNT, region=REGION))
    return app.synth()


@pytest.fixture(scope="module")
def assembly() -> Path:
    """cdk.out of the seed walk-through with nothing pinned: five Custom::ConnectLookup resources."""
    return Path(synthesize({}).directory)


def types_of(template: dict[str, Any]) -> list[str]:
    return [resource["Type"] for resource in template["Resources"].values()]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


def pin(capsys: pytest.CaptureFixture[str], assembly: Path, context_file: Path, *extra: str) -> tuple[int, str, str]:
    return run(capsys, "pin", str(assembly), "--context-file", str(context_file), *extra)


def pinned(context_file: Path) -> dict[str, str]:
    lookups: dict[str, str] = json.loads(context_file.read_text())["connectLookups"]
    return lookups


# ---- pin ------------------------------------------------------------------------------------------


def test_pins_the_seed_walkthrough_and_the_next_synth_has_no_lookup_and_four_plumbing_resources(
    fake: FakeConnect, assembly: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    instance = seed(fake)
    assert types_of(synthesize({}).get_stack_by_name("SeedWalkthrough").template).count("Custom::ConnectLookup") == 5
    context_file = tmp_path / "cdk.context.json"

    status, out, err = pin(capsys, assembly, context_file)

    assert (status, err) == (0, "")
    assert "Pinned 5 lookups" in out
    assert pinned(context_file) == {
        "instance:walkthrough": instance.arn,
        "walkthrough/queue:BasicQueue": next(q.arn for q in fake.queues.values() if q.name == "BasicQueue"),
        "walkthrough/user:mav2": next(u.arn for u in fake.users.values() if u.username == "mav2"),
        "walkthrough/contact-flow:AGENT_TRANSFER:Default agent transfer": next(
            f.arn
            for f in fake.contact_flows.values()
            if (f.name, f.contact_flow_type) == ("Default agent transfer", "AGENT_TRANSFER")
        ),
        "walkthrough/contact-flow:QUEUE_TRANSFER:Default queue transfer": next(
            f.arn for f in fake.contact_flows.values() if f.contact_flow_type == "QUEUE_TRANSFER"
        ),
    }

    template = synthesize(json.loads(context_file.read_text())).get_stack_by_name("SeedWalkthrough").template
    types = types_of(template)
    assert "Custom::ConnectLookup" not in types
    assert sorted(t for t in types if t in PLUMBING) == sorted(PLUMBING)  # one each: the provider stays for
    assert types.count("Custom::ConnectQueueQuickConnects") == 1  # ... the association
    assert types.count("AWS::Connect::QuickConnect") == 3
    assert len(types) == 3 + 1 + len(PLUMBING)
    [association] = [r for r in template["Resources"].values() if r["Type"] == "Custom::ConnectQueueQuickConnects"]
    assert association["Properties"]["QueueArn"] == pinned(context_file)["walkthrough/queue:BasicQueue"]


def test_pin_merges_into_the_context_file_keeping_every_other_key(
    fake: FakeConnect, assembly: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(fake)
    context_file = tmp_path / "cdk.context.json"
    other = {
        "availability-zones:account=123456789012:region=us-east-1": ["us-east-1a"],
        "connectLookups": {"other-center/queue:Sales": "arn:aws:connect:us-east-1:123456789012:instance/x/queue/y"},
    }
    context_file.write_text(json.dumps(other))

    status, _, _ = pin(capsys, assembly, context_file)

    written = json.loads(context_file.read_text())
    assert status == 0
    assert written["availability-zones:account=123456789012:region=us-east-1"] == ["us-east-1a"]
    assert set(written["connectLookups"]) == PINNED_KEYS | {"other-center/queue:Sales"}
    assert [path.name for path in tmp_path.iterdir()] == ["cdk.context.json"]  # no temporary file left


def test_pin_reads_every_page_and_waits_out_throttling(
    fake: FakeConnect, clock: FakeClock, assembly: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    instance = seed(fake)
    for number in range(25):  # 3 pages of instances, 3 of flows at the fake's max page size below
        fake.add_instance(f"center-{number:02d}")
        fake.add_contact_flow(instance, f"Flow {number:02d}", "AGENT_TRANSFER")
    fake.max_page_size = 10
    fake.fail_next("SearchQueues", "ThrottlingException", times=3)
    fake.fail_next("ListContactFlows", "TooManyRequestsException", times=2)

    status, _, err = pin(capsys, assembly, tmp_path / "cdk.context.json")

    assert (status, err) == (0, "")
    assert set(pinned(tmp_path / "cdk.context.json")) == PINNED_KEYS
    assert [call.outcome for call in fake.calls_to("SearchQueues")] == ["ThrottlingException"] * 3 + ["ok"]
    assert len([call for call in fake.calls_to("ListInstances") if call.outcome == "ok"]) == 3  # once, every page
    assert clock.now > 0  # the retries waited (on the fake clock)


def test_pin_writes_nothing_when_a_lookup_finds_nothing(
    fake: FakeConnect, assembly: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(fake)
    fake.delete_queue(next(q for q in fake.queues.values() if q.name == "BasicQueue"))
    context_file = tmp_path / "cdk.context.json"

    status, out, err = pin(capsys, assembly, context_file)

    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith("cdk-connect-quickconnect: error: nothing written: no queue 'BasicQueue' (for ")
    assert "walkthrough/queue:BasicQueue, SeedWalkthrough/BasicQueue" in err
    assert not context_file.exists()


def test_pin_writes_nothing_when_a_name_is_ambiguous(
    fake: FakeConnect, assembly: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    instance = seed(fake)
    copy = fake.add_contact_flow(instance, "Default agent transfer", "AGENT_TRANSFER")

    status, _, err = pin(capsys, assembly, tmp_path / "cdk.context.json")

    assert status == 2
    assert "nothing written: 2 of contact flow 'Default agent transfer'" in err
    assert copy.arn in err
    assert not (tmp_path / "cdk.context.json").exists()


def test_pin_names_a_denied_call_in_one_line(
    fake: FakeConnect, assembly: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(fake)
    fake.fail_next("ListInstances", "AccessDeniedException")
    status, _, err = pin(capsys, assembly, tmp_path / "cdk.context.json")
    assert status == 2
    assert err.startswith("cdk-connect-quickconnect: error: missing permission connect:ListInstances")
    assert err.count("\n") == 1


def test_pin_uses_the_stack_region_and_the_profile(
    fake: FakeConnect, assembly: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], wired: list[dict[str, Any]]
) -> None:
    seed(fake)
    pin(capsys, assembly, tmp_path / "cdk.context.json", "--profile", "ops")
    assert wired == [{"region": REGION, "profile": "ops"}]


def test_pin_skips_a_lookup_in_an_instance_given_as_a_parameter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cdk_connect_quickconnect import ConnectInstance, Queue

    app = cdk.App()
    stack = cdk.Stack(app, "Stack", env=cdk.Environment(account=ACCOUNT, region=REGION))
    instance = ConnectInstance.from_instance_arn(stack, "I", cdk.CfnParameter(stack, "InstanceArn").value_as_string)
    Queue.from_queue_name(stack, "Basic", instance, "BasicQueue")

    status, out, err = pin(capsys, Path(app.synth().directory), tmp_path / "cdk.context.json")

    assert status == 0
    assert "No lookup to pin" in out
    assert "(queue 'BasicQueue') is not pinned: the instance it searches is a deploy-time value" in err
    assert not (tmp_path / "cdk.context.json").exists()


def test_pin_fails_in_one_line_without_a_cloud_assembly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = pin(capsys, tmp_path / "missing", tmp_path / "cdk.context.json")
    assert status == 2
    assert "is not a directory" in err


# ---- pin --check ----------------------------------------------------------------------------------


@pytest.fixture
def pinned_world(
    fake: FakeConnect, assembly: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[Instance, Path]:
    instance = seed(fake)
    context_file = tmp_path / "cdk.context.json"
    assert pin(capsys, assembly, context_file)[0] == 0
    return instance, context_file


def check(capsys: pytest.CaptureFixture[str], context_file: Path, *extra: str) -> tuple[int, str, str]:
    return run(capsys, "pin", "--check", "--context-file", str(context_file), *extra)


def test_check_is_in_sync_right_after_pin(pinned_world: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _, context_file = pinned_world
    assert check(capsys, context_file) == (0, "5 pins checked: all in sync\n", "")


def test_check_finds_a_renamed_queue(fake: FakeConnect, pinned_world: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _, context_file = pinned_world
    basic = next(q for q in fake.queues.values() if q.name == "BasicQueue")
    basic.name = "Basic queue"

    status, out, err = check(capsys, context_file)

    assert (status, err) == (1, ""), err
    assert out.splitlines() == [
        f"renamed: walkthrough/queue:BasicQueue: the pinned queue ({basic.arn}) is called 'Basic queue' now; "
        "no queue is called 'BasicQueue'",
        "5 pins checked: 1 drifted (run 'cdk synth' and 'cdk-connect-quickconnect pin' again)",
    ]


def test_check_finds_a_deleted_user(fake: FakeConnect, pinned_world: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _, context_file = pinned_world
    mav2 = next(u for u in fake.users.values() if u.username == "mav2")
    del fake.users[mav2.id]

    status, out, _ = check(capsys, context_file)

    assert status == 1
    assert (
        f"deleted: walkthrough/user:mav2: the pinned user ({mav2.arn}) no longer exists, and no user is called 'mav2'"
        in out
    )


def test_check_finds_a_name_now_ambiguous(
    fake: FakeConnect, pinned_world: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    instance, context_file = pinned_world
    copy = fake.add_contact_flow(instance, "Default queue transfer", "QUEUE_TRANSFER")

    status, out, _ = check(capsys, context_file)

    assert status == 1
    assert "ambiguous: walkthrough/contact-flow:QUEUE_TRANSFER:Default queue transfer: 2 of contact flow" in out
    assert copy.arn in out


def test_check_finds_a_resource_deleted_and_made_again(
    fake: FakeConnect, pinned_world: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    instance, context_file = pinned_world
    mav2 = next(u for u in fake.users.values() if u.username == "mav2")
    del fake.users[mav2.id]
    again = fake.add_user(instance, "mav2")

    status, out, _ = check(capsys, context_file)

    assert status == 1
    assert f"changed: walkthrough/user:mav2: user 'mav2' is {again.arn} now, not the pinned {mav2.arn}" in out


def test_check_finds_an_alias_given_to_another_instance(
    fake: FakeConnect, pinned_world: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    instance, context_file = pinned_world
    instance.alias = "walkthrough-old"
    newer = fake.add_instance(ALIAS)

    status, out, _ = check(capsys, context_file)

    assert status == 1
    assert f"the alias 'walkthrough' now names {newer.arn}" in out
    assert out.count("instance changed:") == 4  # the queue, the user and the two flows
    assert (
        f"renamed: instance:walkthrough: the pinned instance ({instance.arn}) is called 'walkthrough-old' now; "
        f"{newer.arn} has the name now"
    ) in out


def test_check_waits_out_throttling(fake: FakeConnect, pinned_world: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _, context_file = pinned_world
    fake.fail_next("SearchUsers", "ThrottlingException", times=4)
    fake.fail_next("ListInstances", "ThrottlingException", times=2)
    assert check(capsys, context_file)[0] == 0
    assert [call.outcome for call in fake.calls_to("SearchUsers")][-5:] == ["ThrottlingException"] * 4 + ["ok"]


def test_check_as_json_is_versioned_snake_case_and_lists_every_pin(
    fake: FakeConnect, pinned_world: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    _, context_file = pinned_world
    basic = next(q for q in fake.queues.values() if q.name == "BasicQueue")
    fake.delete_queue(basic)

    status, out, _ = check(capsys, context_file, "--format", "json")

    document = json.loads(out)
    assert status == 1
    assert (document["version"], document["in_sync"], document["context_file"]) == (1, False, str(context_file))
    by_key = {pin["key"]: pin for pin in document["pins"]}
    assert set(by_key) == PINNED_KEYS
    assert by_key["walkthrough/queue:BasicQueue"] == {
        "key": "walkthrough/queue:BasicQueue",
        "pinned_arn": basic.arn,
        "status": "deleted",
        "detail": f"the pinned queue ({basic.arn}) no longer exists, and no queue is called 'BasicQueue'",
        "found_arns": [],
        "current_name": None,
    }
    assert {pin["status"] for key, pin in by_key.items() if key != "walkthrough/queue:BasicQueue"} == {"in_sync"}


def test_check_reads_the_pins_of_cdk_json_too(
    fake: FakeConnect, pinned_world: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    instance, context_file = pinned_world
    sales = next(q for q in fake.queues.values() if q.name == "Sales")
    key = context_key("queue", "Sales", instance=instance.id)
    (context_file.parent / "cdk.json").write_text(json.dumps({"context": {"connectLookups": {key: sales.arn}}}))
    assert check(capsys, context_file)[1] == "6 pins checked: all in sync\n"


def test_check_fails_in_one_line_without_pins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = check(capsys, tmp_path / "cdk.context.json")
    assert (status, out) == (2, "")
    assert err == (
        f"cdk-connect-quickconnect: error: {tmp_path / 'cdk.context.json'} does not exist: run "
        "'cdk-connect-quickconnect pin' first (or give --context-file)\n"
    )


# ---- keys -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "parsed"),
    [
        ("walkthrough/queue:BasicQueue", PinKey("queue", "BasicQueue", "walkthrough")),
        ("aaaa-bbbb/user:mav2", PinKey("user", "mav2", "aaaa-bbbb")),
        (
            "walkthrough/contact-flow:AGENT_TRANSFER:Default: agent/transfer",
            PinKey("contact-flow", "Default: agent/transfer", "walkthrough", "AGENT_TRANSFER"),
        ),
        ("instance:walkthrough", PinKey("instance", "walkthrough")),
        ("queue:Sales/EMEA", PinKey("queue", "Sales/EMEA")),  # a key of earlier releases
    ],
)
def test_keys_read_back_as_written(key: str, parsed: PinKey) -> None:
    assert parse_key(key) == parsed
    assert context_key(parsed.kind, parsed.name, parsed.flow_type, instance=parsed.instance) == key


@pytest.mark.parametrize("key", ["BasicQueue", "walkthrough/instance:x", "a:b/queue:x", "w/contact-flow:Default"])
def test_keys_that_no_pin_writes_are_refused(key: str) -> None:
    assert parse_key(key) is None
