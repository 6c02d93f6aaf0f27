"""The Lambda entry (`index.handler`) answers CloudFormation itself: a real HTTP PUT to a local server.

Every path answers exactly once: success, an exception, and the watchdog just before the Lambda timeout;
an upload that fails on the way is tried again; a late copy of a request CloudFormation no longer waits
for answers nothing and changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from cdk_connect_quickconnect._handlers import _response, index
from tests.handlers.conftest import MakeEvent, record_in_progress
from tests.handlers.fake_cloudformation import FakeCloudFormation, StackResourceRecord
from tests.handlers.fake_connect import FakeClock, FakeConnect, FakeLambdaContext, LambdaKilled
from tests.handlers.response_server import ResponseServer, response_server

ASSOCIATE = "AssociateQueueQuickConnects"


@pytest.fixture
def server() -> Iterator[ResponseServer]:
    made = response_server()
    yield made
    made.clear_failures()  # nothing scripted is left for the next test


@pytest.fixture
def scene(
    fake_connect: FakeConnect,
    fake_cloudformation: FakeCloudFormation,
    make_event: MakeEvent,
    server: ResponseServer,
    monkeypatch: pytest.MonkeyPatch,
    clock: FakeClock,
) -> Any:
    fake_connect.clock = clock
    instance = fake_connect.add_instance()
    queue = fake_connect.add_queue(instance, name="BasicQueue")
    clients = {"connect": fake_connect.client(), "cloudformation": fake_cloudformation.client()}
    monkeypatch.setattr(index, "aws_client", clients.__getitem__)

    class Scene:
        def event(self, request_type: str, quick_connects: list[Any], **extra: Any) -> dict[str, Any]:
            properties = {"QueueArn": queue.arn, "QuickConnectArns": [qc.arn for qc in quick_connects]}
            event = make_event(request_type, properties, **extra)
            event["ResponseURL"] = server.new_url()
            return event

        def run(self, event: dict[str, Any], *, timeout: float = 300.0, record: bool = True) -> dict[str, Any] | None:
            if record:
                record_in_progress(fake_cloudformation, event)
            context = FakeLambdaContext(clock, timeout=timeout)
            clock.kill_at = context.deadline
            try:
                index.handler(event, context)
            finally:
                clock.kill_at = None
            return server.answer(event["ResponseURL"])

    scene = Scene()
    scene.fake, scene.queue, scene.instance, scene.server = fake_connect, queue, instance, server  # type: ignore[attr-defined]
    scene.cloudformation = fake_cloudformation  # type: ignore[attr-defined]
    return scene


def test_success_is_uploaded_once_with_the_physical_id_data_and_the_log_stream(scene):
    listed = scene.fake.add_quick_connects(scene.instance, 3)
    event = scene.event("Create", listed)
    answer = scene.run(event)
    assert answer == {
        "Status": "SUCCESS",
        "Reason": "See the details in CloudWatch Log Stream: the function's log group",
        "PhysicalResourceId": f"{scene.queue.arn}/quick-connects/QueueQuickConnects",
        "StackId": event["StackId"],
        "RequestId": event["RequestId"],
        "LogicalResourceId": "QueueQuickConnects",
        "NoEcho": False,
        "Data": {"QueueId": scene.queue.id, "AssociatedCount": "3"},
    }
    assert scene.server.uploads(event["ResponseURL"]) == 1
    assert scene.fake.associations(scene.queue) == {qc.id for qc in listed}


def test_a_failure_is_uploaded_with_its_reason_and_the_resources_own_physical_id(scene):
    listed = scene.fake.add_quick_connects(scene.instance, 3)
    physical_id = f"{scene.queue.arn}/quick-connects/QueueQuickConnects"
    scene.fake.fail_next(ASSOCIATE, "InvalidParameterException", message="no such flow")
    answer = scene.run(
        scene.event("Update", listed, old_properties={"QueueArn": scene.queue.arn}, physical_id=physical_id)
    )
    assert answer is not None
    assert answer["Status"] == "FAILED"
    assert answer["PhysicalResourceId"] == physical_id
    assert answer["Reason"].startswith("AssociationError: Changing the quick connects of queue")
    assert "no such flow" in answer["Reason"]


def test_a_failed_create_answers_an_id_that_owns_nothing(scene):
    answer = scene.run(scene.event("Create", [], logical_id="Bad") | {"ResourceProperties": {"QueueArn": "junk"}})
    assert answer is not None
    assert (answer["Status"], answer["PhysicalResourceId"]) == ("FAILED", _response.CREATE_FAILED_ID)
    assert "QueueArn 'junk' is not an Amazon Connect queue ARN" in answer["Reason"]


@pytest.mark.parametrize("refusals", [(500,), (503, 0), (500, 0, 503)])
def test_an_upload_refused_on_the_way_is_tried_again(scene, refusals):
    listed = scene.fake.add_quick_connects(scene.instance, 1)
    scene.server.fail_next(*refusals)
    event = scene.event("Create", listed)
    answer = scene.run(event)
    assert answer is not None and answer["Status"] == "SUCCESS"
    assert scene.server.uploads(event["ResponseURL"]) == len(refusals) + 1


def test_an_upload_the_url_refuses_for_good_is_not_tried_again(scene):
    scene.server.fail_next(403)
    event = scene.event("Create", scene.fake.add_quick_connects(scene.instance, 1))
    assert scene.run(event) is None
    assert scene.server.uploads(event["ResponseURL"]) == 1


def test_a_reason_too_long_for_cloudformation_is_cut_to_4096_bytes_saying_so():
    event = {"StackId": "s" * 200, "RequestId": "r", "LogicalResourceId": "L", "ResponseURL": "u"}
    for reason in ("x" * 10_000, 'é\u2028"\\' * 3_000):
        body = _response.encode_response(event, "FAILED", reason, "p" * 1000, {})
        assert len(body) <= _response.RESPONSE_LIMIT_BYTES
        assert json.loads(body)["Reason"].endswith(
            "(cut to fit CloudFormation's 4,096-byte response; the log has it all)"
        )
    short = _response.encode_response(event, "FAILED", "short", "p", {})
    assert json.loads(short)["Reason"] == "short"


def test_the_watchdog_answers_failed_just_before_the_timeout_when_a_call_never_returns(scene, clock):
    """A run stuck past its deadline (here: its second call takes 400 s) is killed by Lambda; before that, the
    watchdog answers FAILED, so CloudFormation does not wait an hour."""
    listed = scene.fake.add_quick_connects(scene.instance, 60)
    stall_the_second_batch = lambda: scene.fake.run_before_next(ASSOCIATE, lambda: clock.advance(400))  # noqa: E731
    scene.fake.run_before_next(ASSOCIATE, stall_the_second_batch)
    event = scene.event("Create", listed)
    with pytest.raises(LambdaKilled):
        scene.run(event)
    answer = scene.server.answer(event["ResponseURL"])
    assert answer is not None
    assert answer["Status"] == "FAILED"
    assert "did not finish Create of QueueQuickConnects before its Lambda timeout (300 s)" in answer["Reason"]
    # It names what was on the queue before (nothing), so that the rollback Delete removes what the run added.
    assert answer["PhysicalResourceId"] == f"{scene.queue.arn}/quick-connects/QueueQuickConnects/create-failed/"
    assert scene.server.uploads(event["ResponseURL"]) == 1
    assert clock.now == 300.0
    assert scene.fake.associations(scene.queue)  # the first batch, never undone

    rollback = scene.event("Delete", listed, physical_id=answer["PhysicalResourceId"])
    assert scene.run(rollback)["Status"] == "SUCCESS"
    assert scene.fake.associations(scene.queue) == frozenset()


def test_a_late_copy_of_a_request_cloudformation_gave_up_on_answers_nothing_and_changes_nothing(scene):
    """Lambda delivers an event again after a killed run; CloudFormation has failed the resource by then."""
    listed = scene.fake.add_quick_connects(scene.instance, 3)
    event = scene.event("Create", listed)
    scene.cloudformation.put(
        event["StackId"], StackResourceRecord("QueueQuickConnects", event["ResourceType"], None, "CREATE_FAILED")
    )
    assert scene.run(event, record=False) is None
    assert scene.fake.mutating_calls() == []
    assert scene.fake.calls == []


def test_a_request_whose_resource_the_stack_no_longer_has_is_late_too(scene):
    event = scene.event("Create", scene.fake.add_quick_connects(scene.instance, 3))
    scene.cloudformation.stack(event["StackId"])  # the stack exists; the resource does not
    assert scene.run(event, record=False) is None
    assert scene.fake.calls == []


def test_a_stack_that_cannot_be_read_does_not_stop_the_request(scene):
    """The late-copy check guards a rare case: throttling past the deadline's share or a denial must not fail
    every deploy (here: CloudFormation denies DescribeStackResource for good)."""
    listed = scene.fake.add_quick_connects(scene.instance, 3)
    scene.cloudformation.fail_next("DescribeStackResource", "AccessDenied", times=1000)
    answer = scene.run(scene.event("Create", listed))
    assert answer is not None and answer["Status"] == "SUCCESS"
    assert scene.fake.associations(scene.queue) == {qc.id for qc in listed}
