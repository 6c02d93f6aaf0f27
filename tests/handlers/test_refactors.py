"""Refactors never remove a transfer: CloudFormation's real event order over real synthesized templates.

A renamed or moved association construct (or the queue reference `add_to_queue` hangs it under) is a new
logical id: CloudFormation creates the new resource (nothing to do: already associated), then, in the cleanup
phase, sends the old one a Delete carrying the old properties. A rollback of that deploy deletes the new one
while the old one lives on. Either Delete asks the stack (ListStackResources, DescribeStackResource) which
other association of it lists which ids on the queue now, and keeps those.

Each scenario deploys an app offering 60 quick connects on BasicQueue, deploys the refactored app, and checks
the queue after each deploy; then the same refactor with a failure later in the deploy, rolled back; then the
stack is deleted. The world's invariant (each queue holds exactly what was there out of band plus what live
resources list) is checked after every stack operation.
"""

from __future__ import annotations

import functools
from typing import Any

import aws_cdk as cdk
import pytest
from constructs import Construct

from cdk_connect_quickconnect import ConnectInstance, Queue, QueueQuickConnectAssociation, QuickConnect
from cdk_connect_quickconnect._handlers import _connect, _response
from tests.handlers.conftest import no_sleep_backoff
from tests.handlers.fake_connect import ACCOUNT, REGION
from tests.handlers.test_lifecycle import BASIC_ARN, IMPORTED_ARNS, INSTANCE_ARN, STACK, World, ids_of, new_world

LISTED = tuple(range(60))
OTHER_STACK = "MovedHere"


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> World:
    made = new_world()
    monkeypatch.setattr(_connect, "BACKOFF", no_sleep_backoff(made.clock))
    monkeypatch.setattr(_response, "TIMER", made.clock.call_later)
    return made


@functools.cache
def app(
    *,
    association_id: str = "OnBasic",
    parent: str | None = None,
    queue_id: str = "Basic",
    by_name: bool = False,
    via_add_to_queue: bool = False,
    listed: tuple[int, ...] = LISTED,
    removal_policy: cdk.RemovalPolicy | None = None,
    fail_later: bool = False,
    stack_name: str = STACK,
) -> dict[str, Any]:
    """A stack offering imported quick connects `listed` on BasicQueue, shaped by the refactor knobs."""
    cdk_app = cdk.App()
    stack = cdk.Stack(cdk_app, stack_name, env=cdk.Environment(account=ACCOUNT, region=REGION))
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    if by_name:
        queue = Queue.from_queue_name(stack, queue_id, instance, "BasicQueue")
    else:
        queue = Queue.from_queue_arn(stack, queue_id, BASIC_ARN)
    quick_connects = [QuickConnect.from_quick_connect_arn(stack, f"Imported{n}", IMPORTED_ARNS[n]) for n in listed]
    if via_add_to_queue:
        QueueQuickConnectAssociation.add_to_queue(queue, *quick_connects)
    else:
        scope: Construct = stack if parent is None else Construct(stack, parent)
        extra = {} if removal_policy is None else {"removal_policy": removal_policy}
        QueueQuickConnectAssociation(scope, association_id, queue=queue, quick_connects=quick_connects, **extra)
    if fail_later:
        # Created after the association (ids sort after it); fails: no queue has that name.
        Queue.from_queue_name(stack, "ZzNoSuchQueue", instance, "No such queue")
    template: dict[str, Any] = cdk_app.synth().get_stack_by_name(stack_name).template
    return template


REFACTORS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "association renamed": ({}, {"association_id": "Renamed"}),
    "association moved under a new parent": ({}, {"parent": "Transfers"}),
    "association moved out of its parent": ({"parent": "Transfers"}, {}),
    "queue reference renamed, association beside it": ({}, {"queue_id": "Basic2"}),
    "looked-up queue renamed, association beside it": ({"by_name": True}, {"by_name": True, "queue_id": "Basic2"}),
    "queue reference renamed, association under it (add_to_queue)": (
        {"via_add_to_queue": True},
        {"via_add_to_queue": True, "queue_id": "Basic2"},
    ),
    "looked-up queue renamed, association under it (add_to_queue)": (
        {"via_add_to_queue": True, "by_name": True},
        {"via_add_to_queue": True, "by_name": True, "queue_id": "Basic2"},
    ),
    "explicit association replaced by add_to_queue": ({}, {"via_add_to_queue": True}),
    "add_to_queue replaced by an explicit association": ({"via_add_to_queue": True}, {}),
    "queue imported by ARN, then looked up by name": ({}, {"by_name": True}),
    "queue looked up by name, then imported by ARN": ({"by_name": True}, {}),
}


@pytest.mark.parametrize("refactor", list(REFACTORS))
def test_a_refactor_removes_no_association_forward_rolled_back_or_on_delete(world: World, refactor: str) -> None:
    before, after = REFACTORS[refactor]
    basic = world.queue("BasicQueue")
    assert world.deploy(app(**before)).ok
    assert ids_of(LISTED) <= world.fake.associations(basic)

    rolled_back = world.deploy(app(**after, fail_later=True))
    assert rolled_back.status == "UPDATE_ROLLBACK_COMPLETE", rolled_back.reason
    assert ids_of(LISTED) <= world.fake.associations(basic), "the rollback removed what the old resource lists"

    outcome = world.deploy(app(**after))
    assert outcome.ok, outcome.reason
    assert ids_of(LISTED) <= world.fake.associations(basic), "the cleanup Delete removed what the new one lists"
    assert world.cfn.cleanup_failures == []

    assert world.delete().ok
    assert world.fake.associations(basic) == world.out_of_band[basic.id]


def test_a_rename_that_also_drops_quick_connects_removes_only_those(world: World) -> None:
    basic = world.queue("BasicQueue")
    world.deploy(app())
    assert world.deploy(app(association_id="Renamed", listed=LISTED[:40])).ok
    assert world.fake.associations(basic) == ids_of(LISTED[:40]) | world.out_of_band[basic.id]


def test_a_rename_that_also_adds_quick_connects_rolled_back_removes_only_the_added_ones(world: World) -> None:
    basic = world.queue("BasicQueue")
    world.deploy(app(listed=LISTED[:40]))
    outcome = world.deploy(app(association_id="Renamed", listed=LISTED, fail_later=True))
    assert outcome.status == "UPDATE_ROLLBACK_COMPLETE"
    assert world.fake.associations(basic) == ids_of(LISTED[:40]) | world.out_of_band[basic.id]


def test_moving_an_association_to_another_stack_keeps_everything_when_retained_first(world: World) -> None:
    """README's safe path: deploy RETAIN, remove it from the old stack, add it to the new one (either order)."""
    basic = world.queue("BasicQueue")
    assert world.deploy(app()).ok
    assert world.deploy(app(removal_policy=cdk.RemovalPolicy.RETAIN)).ok
    calls = len(world.fake.mutating_calls())

    moved = app(stack_name=OTHER_STACK)
    assert world.cfn.deploy(OTHER_STACK, moved).ok
    world.check_invariant()
    assert world.deploy(_without_association()).ok  # the retained resource leaves the stack without a Delete

    assert ids_of(LISTED) <= world.fake.associations(basic)
    assert len(world.fake.mutating_calls()) == calls, "the move changed nothing on the queue"
    assert world.cfn.delete(OTHER_STACK).ok  # the new owner removes them when it goes
    assert world.fake.associations(basic) == world.out_of_band[basic.id]


def test_moving_an_association_to_another_stack_without_retain_loses_it_which_the_readme_warns_of(world: World) -> None:
    """Why the README asks for RETAIN first: a stack cannot see another stack's resources (its role may read only
    its own), so the old stack's Delete removes what it listed, whichever deploy comes first."""
    basic = world.queue("BasicQueue")
    world.deploy(app())
    world.cfn.deploy(OTHER_STACK, app(stack_name=OTHER_STACK))
    world.cfn.deploy(STACK, _without_association())
    assert not ids_of(LISTED) & world.fake.associations(basic)


@functools.cache
def _without_association() -> dict[str, Any]:
    cdk_app = cdk.App()
    stack = cdk.Stack(cdk_app, STACK, env=cdk.Environment(account=ACCOUNT, region=REGION))
    cdk.CfnWaitConditionHandle(stack, "Nothing")
    template: dict[str, Any] = cdk_app.synth().get_stack_by_name(STACK).template
    return template
