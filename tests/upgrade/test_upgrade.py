"""Upgrading from the last release removes no association, is not refused, and rolls back cleanly.

For every template release 0.1.0 synthesized (``release_0_1_0/templates``: the examples under both flag sets and
the lifecycle tests' apps), the lifecycle driver deploys it with the code that answered it then (the Provider
framework relaying to the release's handler, ``release_0_1_0/handlers``), then the same app as this tree
synthesizes it, in CloudFormation's order, with the code that answers each event at that moment: this tree's
function once CloudFormation has updated it, the release's again after a rollback has restored it.
"""

from __future__ import annotations

import copy
import functools
import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from cdk_connect_quickconnect._handlers import _connect, _response
from cdk_connect_quickconnect._provider import (
    ACCESS_POLICY_LOGICAL_ID,
    FUNCTION_LOGICAL_ID,
    LOG_GROUP_LOGICAL_ID,
    ROLE_LOGICAL_ID,
)
from tests.handlers.conftest import no_sleep_backoff
from tests.handlers.fake_connect import FakeClock, FakeConnect
from tests.handlers.lifecycle import ASSOCIATION_TYPE, FRAMEWORK_HANDLER, CloudFormation, release_handlers
from tests.handlers.test_lifecycle import World, ids_of, new_world, template
from tests.support import ROOT, context_with_flags
from tests.upgrade.make_release_fixtures import LIFECYCLE_APPS

RELEASE_DIR = Path(__file__).parent / "release_0_1_0"
RELEASE = json.loads((RELEASE_DIR / "release.json").read_text())
EXAMPLE_ACCOUNT = "111122223333"
EXAMPLE_INSTANCE_ID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
PLUMBING = {"AWS::IAM::Role", "AWS::IAM::Policy", "AWS::Lambda::Function", "AWS::Logs::LogGroup"}


def release_template(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((RELEASE_DIR / "templates" / f"{name}.json").read_text())
    return loaded


@functools.cache
def _example_templates(flag_set: str) -> dict[str, dict[str, Any]]:
    if str(ROOT / "examples") not in sys.path:
        sys.path.insert(0, str(ROOT / "examples"))
    spec = importlib.util.spec_from_file_location("upgrade_example_app", ROOT / "examples" / "app.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assembly = module.create_app(context=context_with_flags(flag_set)).synth()
    return {stack.stack_name: stack.template for stack in assembly.stacks}


def current_template(name: str) -> dict[str, Any]:
    """What this tree synthesizes for the app release 0.1.0 synthesized `name` from."""
    if name.startswith("lifecycle-"):
        arguments = dict(LIFECYCLE_APPS[name])
        if "removal_policy" in arguments:
            arguments["removal_policy"] = getattr(cdk.RemovalPolicy, arguments["removal_policy"])
        return copy.deepcopy(template(**arguments))
    stack, flag_set = name.removeprefix("example-").split("-", 1)
    return copy.deepcopy(_example_templates(flag_set)[stack])


def stack_name(name: str) -> str:
    return "QuickConnects" if name.startswith("lifecycle-") else name.removeprefix("example-").split("-", 1)[0]


def example_world() -> World:
    """The instance the examples' context names, with what they look up."""
    clock = FakeClock()
    fake = FakeConnect(clock=clock, latency=0.05, account=EXAMPLE_ACCOUNT)
    instance = fake.add_instance("contact-center", instance_id=EXAMPLE_INSTANCE_ID)
    basic = fake.add_queue(instance, "BasicQueue")
    fake.add_user(instance, "mav2")
    fake.add_contact_flow(instance, "Default agent transfer", "AGENT_TRANSFER")
    fake.add_contact_flow(instance, "Default queue transfer", "QUEUE_TRANSFER")
    fake.add_contact_flow(instance, "Collect payment details", "CONTACT_FLOW")
    console = fake.add_quick_connects(instance, 3)
    fake.console_associate(basic, [quick_connect.id for quick_connect in console])
    world = World(clock, fake, CloudFormation(fake, clock))
    world.out_of_band[basic.id] = {quick_connect.id for quick_connect in console}
    return world


@pytest.fixture
def patch_clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Every handler's retry policy on the world's virtual clock: this tree's and the release's."""

    def patch(world: World) -> World:
        monkeypatch.setattr(_connect, "BACKOFF", no_sleep_backoff(world.clock))
        monkeypatch.setattr(_response, "TIMER", world.clock.call_later)
        package = release_handlers(RELEASE["version"]).__name__.rsplit(".", 1)[0]
        released = importlib.import_module(f"{package}._connect")
        policy = released.Backoff(sleep=world.clock.sleep, random=lambda: 0.5, clock=world.clock.monotonic)
        monkeypatch.setattr(released, "BACKOFF", policy)
        return world

    return patch


def with_a_failure_after_everything(new: dict[str, Any]) -> dict[str, Any]:
    """`new` plus a lookup that fails (no queue has that name), created after the rest: the update rolls back."""
    failing = copy.deepcopy(new)
    lookup = next(r for r in failing["Resources"].values() if r["Type"] in {ASSOCIATION_TYPE, "Custom::ConnectLookup"})
    found = re.search(r"arn:aws:connect:[a-z0-9-]+:\d{12}:instance/[A-Za-z0-9-]+", json.dumps(new))
    assert found, "the template names an instance"
    instance_arn = found[0]
    failing["Resources"]["ZzFailsLast"] = {
        "Type": "Custom::ConnectLookup",
        "DependsOn": sorted(name for name in new["Resources"] if name != "ZzFailsLast"),
        "Properties": {
            "ServiceToken": lookup["Properties"]["ServiceToken"],
            "Kind": "queue",
            "Name": "No such queue",
            "InstanceArn": instance_arn,
        },
    }
    return failing


def queues_of(world: World) -> dict[str, frozenset[str]]:
    return {queue.id: world.fake.associations(queue) for queue in world.fake.queues.values()}


def world_for(name: str) -> World:
    return new_world() if name.startswith("lifecycle-") else example_world()


@pytest.mark.parametrize("name", RELEASE["templates"])
def test_upgrading_removes_no_association_is_not_refused_and_rolls_back_cleanly(name: str, patch_clock: Any) -> None:
    world = patch_clock(world_for(name))
    stack = stack_name(name)
    old, new = release_template(name), current_template(name)

    assert world.cfn.deploy(stack, old).ok
    world.check_invariant()
    before = queues_of(world)
    assert any(world.fake.associations(queue) for queue in world.fake.queues.values())
    assert {i.code for i in world.cfn.invocations} == {f"framework+release-{RELEASE['version']}"}

    failed = world.cfn.deploy(stack, with_a_failure_after_everything(new))
    assert failed.status == "UPDATE_ROLLBACK_COMPLETE", failed.reason
    world.check_invariant()
    assert queues_of(world) == before, "the rolled-back upgrade changed a queue"
    live = world.cfn.stacks[stack]
    assert live[FUNCTION_LOGICAL_ID].properties["Handler"] == FRAMEWORK_HANDLER  # the release's code is back

    mutations = len(world.fake.mutating_calls())
    upgraded = world.cfn.deploy(stack, new)
    assert upgraded.ok, upgraded.reason
    world.check_invariant()
    assert queues_of(world) == before, "the upgrade changed a queue"
    assert len(world.fake.mutating_calls()) == mutations, "the upgrade made a Connect call that changes something"
    assert world.cfn.cleanup_failures == []
    plumbing = {key for key, resource in world.cfn.stacks[stack].items() if resource.type in PLUMBING}
    assert plumbing == {FUNCTION_LOGICAL_ID, ROLE_LOGICAL_ID, ACCESS_POLICY_LOGICAL_ID, LOG_GROUP_LOGICAL_ID}

    assert world.cfn.delete(stack).ok
    world.check_invariant()


def test_upgrading_and_renaming_in_one_deploy_keeps_every_association_forward_and_rolled_back(
    patch_clock: Any,
) -> None:
    """The riskiest upgrade: the old resource's Delete is answered by the new code (forward), or the new
    resource's Delete by the release's code once the rollback restored it (the new physical id is one the
    release's code leaves alone)."""
    world = patch_clock(new_world())
    basic = world.queue("BasicQueue")
    listed = LIFECYCLE_APPS["lifecycle-basic-3"]["basic"]
    renamed = copy.deepcopy(template(basic=listed, basic_id="Renamed"))
    assert world.cfn.deploy("QuickConnects", release_template("lifecycle-basic-3")).ok

    failed = world.cfn.deploy("QuickConnects", with_a_failure_after_everything(renamed))
    assert failed.status == "UPDATE_ROLLBACK_COMPLETE"
    world.check_invariant()
    assert ids_of(listed) <= world.fake.associations(basic)

    assert world.cfn.deploy("QuickConnects", renamed).ok
    world.check_invariant()
    assert ids_of(listed) <= world.fake.associations(basic)
