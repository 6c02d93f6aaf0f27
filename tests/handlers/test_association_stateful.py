"""A CloudFormation lifecycle against one queue, in random order, with console changes and injected faults.

The console and the resource draw from one pool of quick connects, so the console may associate an id the
resource lists (before or after it does) and remove one it manages. The model: the queue holds what the
console last put there plus what successful requests added, minus what they removed; a request that fails
must leave the queue exactly as it found it (and CloudFormation's rollback of a failed Update must then
succeed); no request touches an id its properties never listed; no request outlives its Lambda. Only an
`AssociationError` is an expected failure, and only when a fault that must fail the request fired.

One exception is unavoidable: a persistent fault on the very operation the undo needs (re-associating
what an Update or Delete removed, or disassociating what a request added) leaves the queue half-changed,
whichever order the handler works in. It is accepted only then, only when the error names the ids left
changed, and only when the queue is exactly as before adjusted by them; CloudFormation's rollback of the
Update, or the retried Delete, sent once the fault has cleared, must then bring the queue back to the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from cdk_connect_quickconnect._handlers import _connect, association, index
from tests.handlers.conftest import left_changed, no_sleep_backoff, record_in_progress
from tests.handlers.fake_cloudformation import FakeCloudFormation
from tests.handlers.fake_connect import FakeClock, FakeConnect, FakeLambdaContext, QuickConnect

POOL = 64  # more than one batch of 50
ASSOCIATE = "AssociateQueueQuickConnects"
DISASSOCIATE = "DisassociateQueueQuickConnects"
LIST = "ListQueueQuickConnects"
CREATE_FAILED_MARKER = "AWSCDK::CustomResourceProviderFramework::CREATE_FAILED"
FOREVER = 100_000
SCRIPTS = {  # kind: (error code, times, apply_first, apply_part)
    "throttle": ("ThrottlingException", 3, False, None),
    "consistency": ("ResourceNotFoundException", 2, False, None),
    "iam_propagation": ("AccessDeniedException", 4, False, None),
    "internal_storm": ("InternalServiceException", FOREVER, False, None),
    "internal_after_apply": ("InternalServiceException", FOREVER, True, None),
    "access_denied": ("AccessDeniedException", FOREVER, False, None),
    "quota": ("LimitExceededException", 1, False, None),
    "invalid_after_part": ("InvalidParameterException", 1, False, 7),
}


@dataclass(frozen=True)
class Fault:
    kind: str
    operation: str
    after: int

    @property
    def absorbed(self) -> bool:
        """Whether the handler must succeed despite the fault (it is retried away)."""
        return self.kind in {"throttle", "consistency", "iam_propagation"}

    def refuses_undo(self, still_added: frozenset[str], not_restored: frozenset[str]) -> bool:
        """Whether this fault explains an undo that left exactly these ids changed: it persists, and it hits
        the one operation putting them right needs (the other operation still works)."""
        if SCRIPTS[self.kind][1] != FOREVER:
            return False
        if self.operation == ASSOCIATE:
            return bool(not_restored) and not still_added
        if self.operation == DISASSOCIATE:
            return bool(still_added) and not not_restored
        return False

    def inject(self, fake: FakeConnect) -> int:
        """Script the fault; return how many scripted answers it queued."""
        code, times, apply_first, apply_part = SCRIPTS[self.kind]
        fake.fail_next(self.operation, code, times, after=self.after, apply_first=apply_first, apply_part=apply_part)
        return times


SUCCEEDED, FAILED, HALF_CHANGED = "succeeded", "failed", "half-changed"
indexes = st.frozensets(st.integers(0, POOL - 1), max_size=6)
subsets = st.one_of(indexes, indexes.map(lambda small: frozenset(range(POOL)) - small))
FAULTS = [
    *(Fault("consistency", ASSOCIATE, after) for after in (0, 1)),
    *(Fault(kind, ASSOCIATE, after) for kind in ("quota", "invalid_after_part") for after in (0, 1)),
    *(Fault("invalid_after_part", DISASSOCIATE, after) for after in (0, 1)),
    *(
        Fault(kind, operation, after)
        for kind in ("throttle", "iam_propagation", "internal_storm", "internal_after_apply", "access_denied")
        for operation in (ASSOCIATE, DISASSOCIATE, LIST)
        for after in (0, 1)
        if not (kind == "internal_after_apply" and operation == LIST)
    ),
]
faults = st.one_of(st.none(), st.sampled_from(FAULTS))
PERSISTENT_FAULTS = [
    fault for fault in FAULTS if SCRIPTS[fault.kind][1] == FOREVER and fault.operation in {ASSOCIATE, DISASSOCIATE}
]


class QueueAssociationLifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.clock = FakeClock()
        _connect.BACKOFF = no_sleep_backoff(self.clock)  # the test's monkeypatch restores the original
        self.fake = FakeConnect(clock=self.clock, latency=0.05)
        self.client = self.fake.client()
        instance = self.fake.add_instance()
        self.queue = self.fake.add_queue(instance, name="BasicQueue")
        self.pool = self.fake.add_quick_connects(instance, POOL)
        self.expected: set[str] = set()
        self.live: tuple[QuickConnect, ...] | None = None
        self.physical_id = f"{self.queue.arn}/quick-connects/QueueQuickConnects"
        self.cloudformation = FakeCloudFormation(clock=self.clock)

    @initialize(console=st.sets(st.integers(0, POOL - 1), max_size=8))
    def some_console_associations(self, console: set[int]) -> None:
        if console:
            self.console_change(console, associate=True)

    # ---- CloudFormation requests --------------------------------------------------------------------

    @precondition(lambda self: self.live is None)
    @rule(chosen=subsets, fault=faults)
    def create(self, chosen: frozenset[int], fault: Fault | None) -> None:
        listed = self.pick(chosen)
        outcome = self.request("Create", listed, None, fault)
        if outcome == SUCCEEDED:
            self.live = listed
            self.expected |= ids(listed)
        else:  # the framework answers FAILED with a placeholder id; CloudFormation's Delete of it is a no-op
            if outcome == HALF_CHANGED:  # what the failed undo left stays: the error told the user to clean up
                self.expected = set(self.fake.associations(self.queue))
            calls_before = len(self.fake.calls)
            self.send("Delete", listed, None, CREATE_FAILED_MARKER)
            assert len(self.fake.calls) == calls_before

    @precondition(lambda self: self.live is not None)
    @rule(chosen=st.one_of(st.none(), subsets), fault=faults)
    def update(self, chosen: frozenset[int] | None, fault: Fault | None) -> None:
        assert self.live is not None
        old = self.live
        new = old if chosen is None else self.pick(chosen)
        if self.request("Update", new, old, fault) == SUCCEEDED:
            self.live = new
            self.expected = (self.expected - (ids(old) - ids(new))) | ids(new)
            return
        # CloudFormation's rollback (the fault has cleared): old and new swapped; it re-associates what the
        # old list had, and takes back whatever a half-changed queue still holds of the new one
        self.send("Update", old, new, self.physical_id)
        self.expected = (self.expected - (ids(new) - ids(old))) | ids(old)

    @precondition(lambda self: self.live is not None)
    @rule(chosen=subsets, fault=st.sampled_from(PERSISTENT_FAULTS))
    def update_under_a_persistent_fault(self, chosen: frozenset[int], fault: Fault) -> None:
        """Rarely drawn by `update` (a change that removes and adds, under a fault the undo runs into)."""
        self.update(chosen, fault)

    @precondition(lambda self: self.live is not None)
    @rule(fault=faults)
    def delete(self, fault: Fault | None) -> None:
        assert self.live is not None
        outcome = self.request("Delete", self.live, None, fault)
        if outcome == HALF_CHANGED:  # DELETE_FAILED; the retried Delete (the fault has cleared) finishes
            self.send("Delete", self.live, None, self.physical_id)
        if outcome != FAILED:
            self.expected -= ids(self.live)
            self.live = None

    # ---- out-of-band changes ------------------------------------------------------------------------

    @rule(chosen=st.sets(st.integers(0, POOL - 1), min_size=1, max_size=8), associate=st.booleans())
    def console_change(self, chosen: set[int], associate: bool) -> None:
        changed = {self.pool[number].id for number in chosen}
        if associate:
            self.fake.console_associate(self.queue, changed)
            self.expected |= changed
        else:
            self.fake.console_disassociate(self.queue, changed)
            self.expected -= changed

    # ---- checks ---------------------------------------------------------------------------------------

    @invariant()
    def queue_holds_what_the_console_and_successful_requests_left(self) -> None:
        assert self.fake.associations(self.queue) == self.expected

    # ---- helpers --------------------------------------------------------------------------------------

    def pick(self, chosen: frozenset[int]) -> tuple[QuickConnect, ...]:
        return tuple(self.pool[number] for number in sorted(chosen))

    def request(
        self,
        request_type: str,
        listed: tuple[QuickConnect, ...],
        old: tuple[QuickConnect, ...] | None,
        fault: Fault | None,
    ) -> str:
        """Send a request with `fault` injected; return SUCCEEDED, FAILED (the queue as it was) or
        HALF_CHANGED, checking that it should have."""
        before = self.fake.associations(self.queue)
        scripted = fault.inject(self.fake) if fault else 0
        calls_before = len(self.fake.calls)
        try:
            self.send(request_type, listed, old, None if request_type == "Create" else self.physical_id)
            error: association.AssociationError | None = None
        except association.AssociationError as failure:  # anything else is a bug and fails the test
            error = failure
        fault_fired = fault is not None and self.fake.pending_faults(fault.operation) < scripted
        self.fake.clear_faults()
        touched = {
            quick_connect_id
            for recorded in self.fake.calls[calls_before:]
            if recorded.operation in {ASSOCIATE, DISASSOCIATE}
            for quick_connect_id in recorded.params["QuickConnectIds"]
        }
        assert touched <= ids(listed) | ids(old or ()), "a request touched an id it never listed"
        must_fail = fault is not None and fault_fired and not fault.absorbed
        assert (error is not None) == must_fail, f"fault {fault} fired={fault_fired}, error: {error}"
        if error is None:
            return SUCCEEDED
        assert fault is not None
        message, now = str(error), self.fake.associations(self.queue)
        left = left_changed(message)
        if left is None:
            assert now == before, f"a failed request left a partial change: {message}"
            assert "the queue is as it was before the request" in message or "Nothing was changed" in message
            return FAILED
        still_added, not_restored = left
        assert fault.refuses_undo(still_added, not_restored), f"an avoidable half-change ({fault}): {message}"
        assert not still_added & before and not_restored <= before
        assert now == (before - not_restored) | still_added, "the error does not name what the undo left"
        return HALF_CHANGED

    def send(
        self,
        request_type: str,
        listed: tuple[QuickConnect, ...],
        old: tuple[QuickConnect, ...] | None,
        physical_id: str | None,
    ) -> dict[str, Any]:
        event: dict[str, Any] = {
            "RequestType": request_type,
            "ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:onEvent",
            "ResponseURL": "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x",
            "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/S/1",
            "RequestId": "request",
            "LogicalResourceId": "QueueQuickConnects",
            "ResourceType": "Custom::ConnectQueueQuickConnects",
            "ResourceProperties": self.properties(listed),
        }
        if old is not None:
            event["OldResourceProperties"] = self.properties(old)
        if physical_id is not None:
            event["PhysicalResourceId"] = physical_id
        context = FakeLambdaContext(self.clock, timeout=300)
        record_in_progress(self.cloudformation, event)
        response = index.on_event(event, context, client=self.client, stack_client=self.cloudformation.client())
        assert self.clock.now <= context.deadline, "the request outlived its Lambda"
        assert response["PhysicalResourceId"] == (physical_id if request_type == "Delete" else self.physical_id)
        return response

    def properties(self, listed: tuple[QuickConnect, ...]) -> dict[str, Any]:
        return {
            "ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:onEvent",
            "QueueArn": self.queue.arn,
            "QuickConnectArns": [quick_connect.arn for quick_connect in listed],
        }


def test_queue_association_lifecycle(capsys):  # capsys: keeps the handlers' log lines out of the report
    run_state_machine_as_test(
        QueueAssociationLifecycle,
        settings=settings(
            max_examples=30,
            stateful_step_count=20,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


def ids(quick_connects: tuple[QuickConnect, ...]) -> set[str]:
    return {quick_connect.id for quick_connect in quick_connects}
