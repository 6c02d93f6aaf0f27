"""Real synthesized templates deployed, updated, rolled back and deleted by the CloudFormation driver.

Invariant after every stack operation, successful or not: each queue holds exactly what was there out of
band plus what live association resources list (plus what a retained resource listed); no id any
association never listed is touched; no handler invocation outlives its Lambda.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import aws_cdk as cdk
import pytest

from cdk_connect_quickconnect import (
    ConnectInstance,
    Queue,
    QueueQuickConnectAssociation,
    QuickConnect,
    QuickConnectDestination,
)
from cdk_connect_quickconnect._handlers import _connect, _response
from cdk_connect_quickconnect._provider import HANDLER_TIMEOUT_MINUTES
from tests.handlers.conftest import left_changed, no_sleep_backoff
from tests.handlers.fake_connect import ACCOUNT, REGION, FakeClock, FakeConnect
from tests.handlers.lifecycle import ASSOCIATION_TYPE, CloudFormation, Outcome, association_state

LAMBDA_TIMEOUT = 60.0 * HANDLER_TIMEOUT_MINUTES
"""The handler function's timeout, as the template gives it."""
IMPORTED = 600
OUT_OF_BAND = 5
STACK = "QuickConnects"
ASSOCIATE = "AssociateQueueQuickConnects"
DISASSOCIATE = "DisassociateQueueQuickConnects"


@dataclass
class World:
    """A fake Connect instance with BasicQueue, a Support queue, quick connects made elsewhere, a stack driver."""

    clock: FakeClock
    fake: FakeConnect
    cfn: CloudFormation
    out_of_band: dict[str, set[str]] = field(default_factory=dict)

    @property
    def instance(self) -> Any:
        return next(iter(self.fake.instances.values()))

    def queue(self, name: str) -> Any:
        return next(queue for queue in self.fake.queues.values() if queue.name == name)

    def deploy(self, template: dict[str, Any]) -> Outcome:
        outcome = self.cfn.deploy(STACK, template)
        self.check_invariant()
        return outcome

    def delete(self) -> Outcome:
        outcome = self.cfn.delete(STACK)
        self.check_invariant()
        return outcome

    def check_invariant(self) -> None:
        assert self.cfn.killed == [], "a handler invocation outlived its Lambda"
        listed = association_state(self.cfn)
        retained: dict[str, set[str]] = {}
        for resource in self.cfn.retained:
            if resource.type == ASSOCIATION_TYPE:
                queue_id = resource.properties["QueueArn"].rsplit("/", 1)[-1]
                retained.setdefault(queue_id, set()).update(
                    arn.rsplit("/", 1)[-1] for arn in resource.properties["QuickConnectArns"]
                )
        for queue in self.fake.queues.values():
            expected = self.out_of_band.get(queue.id, set()) | listed.get(queue.id, set())
            expected |= retained.get(queue.id, set())
            assert self.fake.associations(queue) == expected, f"queue {queue.name} holds what no one asked for"
        touched = {
            quick_connect_id
            for recorded in self.fake.mutating_calls()
            for quick_connect_id in recorded.params["QuickConnectIds"]
        }
        assert touched <= self.cfn.ever_listed, "a request touched a quick connect no association listed"

    def longest_invocation(self) -> float:
        return max(invocation.ended - invocation.started for invocation in self.cfn.invocations)


def new_world() -> World:
    """Always the same ids: the templates synthesized against it can be cached."""
    clock = FakeClock()
    fake = FakeConnect(clock=clock, latency=0.05)
    instance = fake.add_instance("contact-center")
    basic = fake.add_queue(instance, "BasicQueue")
    fake.add_queue(instance, "Support")
    fake.add_quick_connects(instance, IMPORTED)
    console = fake.add_quick_connects(instance, OUT_OF_BAND)
    fake.console_associate(basic, [quick_connect.id for quick_connect in console])
    world = World(clock, fake, CloudFormation(fake, clock))
    world.out_of_band[basic.id] = {quick_connect.id for quick_connect in console}
    return world


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> World:
    made = new_world()
    monkeypatch.setattr(_connect, "BACKOFF", no_sleep_backoff(made.clock))
    monkeypatch.setattr(_response, "TIMER", made.clock.call_later)
    return made


_REFERENCE = new_world()
INSTANCE_ARN = _REFERENCE.instance.arn
BASIC_ARN = _REFERENCE.queue("BasicQueue").arn
IMPORTED_ARNS = [quick_connect.arn for quick_connect in list(_REFERENCE.fake.quick_connects.values())[:IMPORTED]]


@functools.cache
def template(
    basic: tuple[int, ...] = (),
    owned: int = 0,
    support: tuple[int, ...] = (),
    removal_policy: cdk.RemovalPolicy | None = None,
    basic_id: str = "OnBasic",
    retain_by: str | None = None,
) -> dict[str, Any]:
    """A stack offering imported quick connects `basic` and `owned` new ones on BasicQueue (imported by ARN)
    and imported `support` on the Support queue (looked up by name).

    `retain_by` retains the BasicQueue association after construction: ``apply_removal_policy`` on it, or
    ``RemovalPolicies`` on the stack for every association."""
    app = cdk.App()
    stack = cdk.Stack(app, STACK, env=cdk.Environment(account=ACCOUNT, region=REGION))
    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    imported = {
        number: QuickConnect.from_quick_connect_arn(stack, f"Imported{number}", IMPORTED_ARNS[number])
        for number in sorted(set(basic) | set(support))
    }
    new = [
        QuickConnect(
            stack,
            f"Owned{number}",
            instance=instance,
            name=f"Owned {number}",
            destination=QuickConnectDestination.phone_number("+18005550100"),
        )
        for number in range(owned)
    ]
    on_basic = [imported[number] for number in basic] + new
    if on_basic:
        extra = {} if removal_policy is None else {"removal_policy": removal_policy}
        on_basic_association = QueueQuickConnectAssociation(
            stack, basic_id, queue=Queue.from_queue_arn(stack, "Basic", BASIC_ARN), quick_connects=on_basic, **extra
        )
        if retain_by == "apply_removal_policy":
            on_basic_association.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
        elif retain_by == "RemovalPolicies":
            cdk.RemovalPolicies.of(stack).retain(apply_to_resource_types=[ASSOCIATION_TYPE])
    if support:
        queue = Queue.from_queue_name(stack, "Support", instance, "Support")
        QueueQuickConnectAssociation(stack, "OnSupport", queue=queue, quick_connects=[imported[n] for n in support])
    result: dict[str, Any] = app.synth().get_stack_by_name(STACK).template
    return result


def ids_of(numbers: Sequence[int]) -> set[str]:
    return {IMPORTED_ARNS[number].rsplit("/", 1)[-1] for number in numbers}


V1 = {"basic": (0, 1, 2, 3), "owned": 2, "support": (10, 11)}
V2 = {"basic": (2, 3, 4, 5, 6), "owned": 3, "support": (11, 12)}
BIG_UPDATE = {"basic": tuple(range(0, 120)), "owned": 3, "support": (11, 12)}


# ---- the whole lifecycle --------------------------------------------------------------------------------


def test_create_update_failed_update_rollback_and_delete_keep_the_invariant(world):
    assert world.deploy(template(**V1)).status == "CREATE_COMPLETE"
    basic, support = world.queue("BasicQueue"), world.queue("Support")
    assert ids_of(V1["basic"]) <= world.fake.associations(basic)
    assert world.fake.associations(support) == ids_of(V1["support"])

    assert world.deploy(template(**V2)).status == "UPDATE_COMPLETE"
    assert world.fake.associations(support) == ids_of(V2["support"])
    assert not ids_of((0, 1)) & world.fake.associations(basic)

    state_v2 = world.fake.associations(basic)
    world.fake.queue_quota = len(state_v2) + 60  # the second batch of the big update hits the quota
    outcome = world.deploy(template(**BIG_UPDATE))
    assert outcome.status == "UPDATE_ROLLBACK_COMPLETE"
    assert "LimitExceededException" in outcome.reason and "Service Quotas" in outcome.reason
    assert world.fake.associations(basic) == state_v2
    world.fake.queue_quota = None

    assert world.delete().status == "DELETE_COMPLETE"
    assert world.fake.associations(basic) == world.out_of_band[basic.id]
    assert world.fake.associations(support) == set()


def test_a_failed_create_rolls_back_the_association_that_succeeded_and_the_one_that_failed_undid_itself(world):
    # OnBasic is created first (alphabetical among ready resources), then OnSupport fails mid-way.
    associate_calls_of_on_basic = 1
    world.fake.fail_next(ASSOCIATE, "InvalidParameterException", after=associate_calls_of_on_basic)
    outcome = world.deploy(template(**V1))
    assert outcome.status == "ROLLBACK_COMPLETE"
    assert "InvalidParameterException" in outcome.reason
    rollback_deletes = {
        invocation.logical_id: invocation.physical_id
        for invocation in world.cfn.invocations
        if invocation.request_type == "Delete"
    }
    assert any(logical_id.startswith("OnBasic") for logical_id in rollback_deletes)
    # The failed one undid itself and answered with a physical id that owns nothing: its Delete changes nothing.
    failed = next(physical for logical_id, physical in rollback_deletes.items() if logical_id.startswith("OnSupport"))
    assert failed == "cdk-connect-quickconnect:create-failed"
    assert world.deploy(template(**V1)).status == "CREATE_COMPLETE"  # and the next deploy starts clean


def test_properties_reach_the_handler_as_strings_and_lookups_resolve(world):
    world.deploy(template(**V1))
    resources = world.cfn.stacks[STACK]
    support = next(resource for key, resource in resources.items() if key.startswith("OnSupport"))
    assert support.properties["QueueArn"] == world.queue("Support").arn
    assert all(isinstance(arn, str) for arn in support.properties["QuickConnectArns"])


# ---- the issue's done-when figures ------------------------------------------------------------------------


def hostile(world: World, *, throttled: float) -> None:
    """Connect's documented default rate (2 requests/s, burst 5 per operation) plus random throttling."""
    world.fake.rate_limit = (2.0, 5)
    world.fake.throttle_probability = throttled
    world.fake.latency = 0.1


def test_500_quick_connects_under_30_percent_throttling_complete_inside_the_lambda_timeout(world, capsys):
    hostile(world, throttled=0.3)
    assert world.deploy(template(basic=tuple(range(500)))).status == "CREATE_COMPLETE"
    basic = world.queue("BasicQueue")
    assert ids_of(range(500)) <= world.fake.associations(basic)
    create_seconds = world.longest_invocation()
    # drop 250, keep 250, add 100
    assert world.deploy(template(basic=tuple(range(250, 600)))).status == "UPDATE_COMPLETE"
    assert world.fake.associations(basic) == ids_of(range(250, 600)) | world.out_of_band[basic.id]
    assert world.delete().status == "DELETE_COMPLETE"
    longest = world.longest_invocation()
    throttled = sum(recorded.outcome == "ThrottlingException" for recorded in world.fake.calls)
    with capsys.disabled():
        print(
            f"\n500 quick connects, 30% throttling + 2 req/s burst 5: Create {create_seconds:.1f} s, longest request "
            f"{longest:.1f} s of the {LAMBDA_TIMEOUT:.0f} s timeout; {throttled} of "
            f"{len(world.fake.calls)} calls throttled"
        )
    assert longest < LAMBDA_TIMEOUT - _connect.RETURN_MARGIN_SECONDS


def test_under_sustained_throttling_the_request_fails_before_its_deadline_and_the_rollback_leaves_the_queue_as_it_was(
    world,
):
    """90% of calls throttled on top of 2 requests/s for the whole deploy: the Create stops before its deadline
    and undoes what it can; what its undo could not remove in time (its answer names what was on the queue
    before it) the rollback's Delete removes, with a whole invocation of its own."""
    basic = world.queue("BasicQueue")
    before = world.fake.associations(basic)
    hostile(world, throttled=0.9)
    outcome = world.deploy(template(basic=tuple(range(500))))
    assert outcome.status == "ROLLBACK_COMPLETE"
    assert "Stopped retrying to finish before the Lambda timeout" in outcome.reason
    assert world.fake.associations(basic) == before
    assert world.longest_invocation() <= LAMBDA_TIMEOUT - _connect.RETURN_MARGIN_SECONDS
    assert world.cfn.cleanup_failures == []


def test_the_storm_of_issue_17_rolls_back_with_the_queue_untouched_and_the_next_deploy_completes(world, capsys):
    """500 quick connects, every call throttled from the third until 245 s into the deploy, 300 s timeout."""
    basic = world.queue("BasicQueue")
    before = world.fake.associations(basic)
    started = world.clock.now
    world.fake.storm(after=2, until=started + 245.0)
    outcome = world.deploy(template(basic=tuple(range(500))))
    assert outcome.status == "ROLLBACK_COMPLETE"
    assert "the queue is as it was before the request" in outcome.reason
    assert world.fake.associations(basic) == before
    longest = world.longest_invocation()
    assert longest <= LAMBDA_TIMEOUT - _connect.RETURN_MARGIN_SECONDS
    with capsys.disabled():
        print(
            f"\nIssue 17's storm through CloudFormation: {outcome.status}, BasicQueue untouched "
            f"({len(before)} quick connects, as before), the Create ended {longest:.1f} s into its "
            f"{LAMBDA_TIMEOUT:.0f} s timeout"
        )
    assert world.deploy(template(basic=tuple(range(500)))).status == "CREATE_COMPLETE"  # the storm is over


def test_a_storm_over_early_in_a_deploy_does_not_stop_it(world):
    world.fake.storm(after=2, until=world.clock.now + 60.0)
    assert world.deploy(template(basic=tuple(range(500)))).status == "CREATE_COMPLETE"
    assert ids_of(range(500)) <= world.fake.associations(world.queue("BasicQueue"))
    assert world.longest_invocation() < 70.0


def test_a_short_lambda_timeout_is_honoured_too(world):
    world.cfn.lambda_timeout = 30.0
    hostile(world, throttled=0.5)
    outcome = world.deploy(template(basic=tuple(range(500))))
    assert outcome.status == "ROLLBACK_COMPLETE"
    assert world.longest_invocation() <= 30.0 - _connect.RETURN_MARGIN_SECONDS


def test_a_first_deploy_with_iam_not_yet_propagated_succeeds(world):
    world.fake.deny_until = 40.0
    assert world.deploy(template(**V1)).status == "CREATE_COMPLETE"
    assert any(recorded.outcome == "AccessDeniedException" for recorded in world.fake.calls)
    assert world.clock.now >= 40.0


def test_access_still_denied_after_the_iam_window_is_reported_naming_action_and_resource(world):
    world.fake.deny_until = 10_000.0
    outcome = world.deploy(template(**V1))
    assert outcome.status == "ROLLBACK_COMPLETE"
    assert "not allowed connect:" in outcome.reason and "ConnectAccess policy" in outcome.reason
    assert world.longest_invocation() < _connect.IAM_WINDOW_SECONDS + 15


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("LimitExceededException", "Raise the Amazon Connect quota named above in the Service Quotas console"),
        ("ServiceQuotaExceededException", "Raise the Amazon Connect quota named above in the Service Quotas console"),
        ("InvalidParameterException", "not valid for Connect; correct it"),
    ],
)
def test_quota_and_parameter_errors_surface_in_seconds_with_an_actionable_message(world, code, words):
    world.fake.fail_next(ASSOCIATE, code, after=1, message="Quick connects per queue: 100")
    outcome = world.deploy(template(basic=tuple(range(120))))
    assert outcome.status == "ROLLBACK_COMPLETE"
    assert words in outcome.reason and "Quick connects per queue: 100" in outcome.reason
    assert world.longest_invocation() < 5.0


def test_a_batch_applied_in_part_is_undone(world):
    world.deploy(template(**V1))
    basic = world.queue("BasicQueue")
    before = world.fake.associations(basic)
    world.fake.fail_next(ASSOCIATE, "InternalServiceException", apply_part=17, times=1)
    world.fake.fail_next(ASSOCIATE, "InvalidParameterException", apply_part=23)
    outcome = world.deploy(template(**BIG_UPDATE))
    assert outcome.status == "UPDATE_ROLLBACK_COMPLETE"
    assert world.fake.associations(basic) == before


def test_a_delete_whose_undo_is_refused_too_fails_naming_what_it_left_and_a_retried_delete_finishes(world):
    """Disassociating fails for good after one batch and so does re-associating: the Delete cannot be undone.
    The stack goes DELETE_FAILED, the reason names the ids left removed; once Connect answers again, deleting
    the stack again finishes the job."""
    assert world.deploy(template(basic=tuple(range(120)))).status == "CREATE_COMPLETE"
    basic = world.queue("BasicQueue")
    before = world.fake.associations(basic)
    world.fake.fail_next(DISASSOCIATE, "InternalServiceException", times=100_000, after=1)
    world.fake.fail_next(ASSOCIATE, "InternalServiceException", times=100_000)
    outcome = world.cfn.delete(STACK)
    assert outcome.status == "DELETE_FAILED"
    assert "Undoing this request's partial changes also failed" in outcome.reason
    first_batch = set(sorted(ids_of(range(120)))[:50])
    # The answer to CloudFormation holds 4,096 bytes: the first 40 ids, and how many more the log lists.
    assert left_changed(outcome.reason) == (frozenset(), set(sorted(first_batch)[:40]))
    assert "and 10 more (the log's undo_failed line lists them all)" in outcome.reason
    assert world.fake.associations(basic) == before - first_batch
    assert world.cfn.killed == []
    world.fake.clear_faults()
    assert world.delete().status == "DELETE_COMPLETE"
    assert world.fake.associations(basic) == world.out_of_band[basic.id]


def test_a_throttling_storm_during_the_update_is_ridden_out(world):
    world.deploy(template(**V1))
    world.fake.fail_next(ASSOCIATE, "ThrottlingException", times=12)
    world.fake.fail_next(DISASSOCIATE, "ThrottlingException", times=12)
    assert world.deploy(template(**V2)).status == "UPDATE_COMPLETE"


# ---- removal policy ---------------------------------------------------------------------------------------


def test_removal_policy_retain_keeps_the_associations_when_the_stack_is_deleted(world):
    world.deploy(template(basic=(0, 1, 2), removal_policy=cdk.RemovalPolicy.RETAIN))
    basic = world.queue("BasicQueue")
    calls_before = len(world.fake.mutating_calls())
    assert world.delete().status == "DELETE_COMPLETE"
    assert ids_of((0, 1, 2)) <= world.fake.associations(basic)
    assert len(world.fake.mutating_calls()) == calls_before  # CloudFormation made no Delete call


@pytest.mark.parametrize("retain_by", ["apply_removal_policy", "RemovalPolicies"])
def test_retain_set_after_construction_keeps_the_associations_when_the_stack_is_deleted(world, retain_by):
    """apply_removal_policy used to raise; RemovalPolicies gave a Retain template with a handler told to remove."""
    retained = template(basic=(0, 1, 2), retain_by=retain_by)
    assert retained == template(basic=(0, 1, 2), removal_policy=cdk.RemovalPolicy.RETAIN)
    world.deploy(retained)
    basic = world.queue("BasicQueue")
    calls_before = len(world.fake.mutating_calls())
    assert world.delete().status == "DELETE_COMPLETE"
    assert ids_of((0, 1, 2)) <= world.fake.associations(basic)
    assert len(world.fake.mutating_calls()) == calls_before


def test_destroy_set_from_outside_over_retain_removes_them_as_the_template_says(world):
    """RemovalPolicies.destroy() over a RETAIN prop: the template deletes and the handler is told to remove."""
    app = cdk.App()
    stack = cdk.Stack(app, STACK, env=cdk.Environment(account=ACCOUNT, region=REGION))
    QueueQuickConnectAssociation(
        stack,
        "OnBasic",
        queue=Queue.from_queue_arn(stack, "Basic", BASIC_ARN),
        quick_connects=[QuickConnect.from_quick_connect_arn(stack, f"Imported{n}", IMPORTED_ARNS[n]) for n in (0, 1)],
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )
    cdk.RemovalPolicies.of(stack).destroy()
    world.deploy(app.synth().get_stack_by_name(STACK).template)
    basic = world.queue("BasicQueue")
    assert ids_of((0, 1)) <= world.fake.associations(basic)
    assert world.delete().status == "DELETE_COMPLETE"
    assert not ids_of((0, 1)) & world.fake.associations(basic)


def test_removal_policy_retain_holds_even_when_a_delete_reaches_the_handler(world):
    """An escape hatch (or an aspect) that resets DeletionPolicy cannot make the handler remove them."""
    edited = copy.deepcopy(template(basic=(0, 1, 2), removal_policy=cdk.RemovalPolicy.RETAIN))
    for resource in edited["Resources"].values():
        if resource["Type"] == ASSOCIATION_TYPE:
            resource["DeletionPolicy"] = resource["UpdateReplacePolicy"] = "Delete"
    world.deploy(edited)
    world.out_of_band[world.queue("BasicQueue").id] |= ids_of((0, 1, 2))  # what the handler will keep
    assert world.delete().status == "DELETE_COMPLETE"
    assert any(invocation.request_type == "Delete" for invocation in world.cfn.invocations)
    assert ids_of((0, 1, 2)) <= world.fake.associations(world.queue("BasicQueue"))


def test_renaming_the_association_keeps_what_the_new_one_lists(world):
    """The new resource is created before the old one is deleted; the old one's Delete asks the stack."""
    basic = world.queue("BasicQueue")
    world.deploy(template(basic=(0, 1, 2, 3)))
    assert world.deploy(template(basic=(0, 1, 2), basic_id="Renamed")).ok
    assert ids_of((0, 1, 2)) <= world.fake.associations(basic)
    assert not ids_of((3,)) & world.fake.associations(basic)  # listed by the old one only: removed


# ---- answering CloudFormation: one function, its own answers ---------------------------------------------


def test_one_invocation_per_event_and_every_event_answered_by_an_upload(world):
    """The function answers CloudFormation itself: no framework function runs before the handler."""
    world.deploy(template(**V1))
    world.deploy(template(**V2))
    world.delete()
    assert {invocation.code for invocation in world.cfn.invocations} == {"current"}
    assert all(invocation.delivery == 1 for invocation in world.cfn.invocations)
    events = sum(1 for invocation in world.cfn.invocations)
    assert events == len([i for i in world.cfn.invocations if not i.killed]) > 0


def test_an_answer_whose_upload_fails_on_the_way_is_uploaded_again(world):
    world.cfn.responses.fail_next(500, 0, 503)
    try:
        assert world.deploy(template(**V1)).status == "CREATE_COMPLETE"
    finally:
        world.cfn.responses.clear_failures()


def test_a_run_killed_at_its_deadline_is_answered_by_its_watchdog_and_lambdas_late_copy_changes_nothing(world):
    """One call hangs past the Lambda timeout (a stuck connection the client did not time out): the watchdog
    answers FAILED before the kill, with an id naming what was on the queue before; CloudFormation's rollback
    Delete removes what the killed run added. Lambda delivers the event again later; the copy finds the resource
    no longer waiting for it, changes nothing and ends normally (so Lambda stops there)."""
    basic = world.queue("BasicQueue")
    world.fake.run_before_next(ASSOCIATE, lambda: world.clock.advance(400))
    outcome = world.cfn.deploy(STACK, template(**V1))  # the world's invariant refuses killed runs
    assert outcome.status == "ROLLBACK_COMPLETE"
    assert "before its Lambda timeout (300 s)" in outcome.reason
    assert [invocation.delivery for invocation in world.cfn.killed] == [1]
    copies = [invocation for invocation in world.cfn.invocations if invocation.delivery > 1]
    assert [invocation.delivery for invocation in copies] == [2]
    assert copies[0].ended == copies[0].started  # it made no Connect call
    assert world.fake.associations(basic) == world.out_of_band[basic.id]


def test_an_answer_that_never_arrives_fails_the_resource_after_its_service_timeout_not_an_hour(world):
    """Every upload refused (S3 down) and no watchdog answer either: CloudFormation waits ServiceTimeout (600 s)."""
    world.cfn.responses.fail_next(*([403] * 20))
    try:
        outcome = world.cfn.deploy(STACK, template(**V1))
    finally:
        world.cfn.responses.clear_failures()
    assert outcome.status == "ROLLBACK_COMPLETE"
    assert "did not receive a response from your Custom Resource within 600 seconds" in outcome.reason
    assert world.clock.now < 3600
