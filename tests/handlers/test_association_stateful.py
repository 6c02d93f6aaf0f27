"""A CloudFormation lifecycle against one queue, in random order, with console changes and injected faults.

Invariant: the queue's associations are exactly the console-managed ones plus those the live resource
lists. A request that fails must leave the queue as it found it (and CloudFormation's rollback of a failed
Update must then succeed).
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

from cdk_connect_quickconnect._handlers import _connect, index
from tests.handlers.fake_connect import FakeConnect, QuickConnect

MANAGED_POOL = 60  # more than one batch of 50
CONSOLE_POOL = 8
ASSOCIATE = "AssociateQueueQuickConnects"
DISASSOCIATE = "DisassociateQueueQuickConnects"
LIST = "ListQueueQuickConnects"
CREATE_FAILED_MARKER = "AWSCDK::CustomResourceProviderFramework::CREATE_FAILED"


@dataclass(frozen=True)
class Fault:
    kind: str  # "throttle" and "consistency" are absorbed by retries; the others fail the request
    operation: str
    after: int

    @property
    def absorbed(self) -> bool:
        return self.kind in {"throttle", "consistency"}

    def inject(self, fake: FakeConnect) -> int:
        """Script the fault; return how many scripted answers it queued."""
        attempts = _connect.BACKOFF.max_attempts
        code, times, apply_first = {
            "throttle": ("ThrottlingException", 3, False),
            "consistency": ("ResourceNotFoundException", 2, False),
            "internal": ("InternalServiceException", attempts, False),
            "internal_after_apply": ("InternalServiceException", attempts, True),
            "access_denied": ("AccessDeniedException", 1, False),
        }[self.kind]
        fake.fail_next(self.operation, code, times, after=self.after, apply_first=apply_first)
        return times


indexes = st.frozensets(st.integers(0, MANAGED_POOL - 1), max_size=6)
subsets = st.one_of(indexes, indexes.map(lambda small: frozenset(range(MANAGED_POOL)) - small))
FAULTS = [
    *(Fault("consistency", ASSOCIATE, after) for after in (0, 1)),
    *(
        Fault(kind, operation, after)
        for kind in ("throttle", "internal", "internal_after_apply", "access_denied")
        for operation in (ASSOCIATE, DISASSOCIATE, LIST)
        for after in (0, 1)
    ),
]
faults = st.one_of(st.none(), st.sampled_from(FAULTS))


class QueueAssociationLifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.fake = FakeConnect()
        self.client = self.fake.client()
        instance = self.fake.add_instance()
        self.queue = self.fake.add_queue(instance, name="BasicQueue")
        self.managed = self.fake.add_quick_connects(instance, MANAGED_POOL)
        self.console_pool = self.fake.add_quick_connects(instance, CONSOLE_POOL)
        self.console: set[str] = set()
        self.live: tuple[QuickConnect, ...] | None = None
        self.physical_id = f"{self.queue.arn}/quick-connects"

    @initialize(console=st.sets(st.integers(0, CONSOLE_POOL - 1)))
    def some_console_associations(self, console: set[int]) -> None:
        self.console_change(console, associate=True)

    # ---- CloudFormation requests --------------------------------------------------------------------

    @precondition(lambda self: self.live is None)
    @rule(chosen=subsets, fault=faults)
    def create(self, chosen: frozenset[int], fault: Fault | None) -> None:
        listed = self.pick(chosen)
        if self.request("Create", listed, None, fault):
            self.live = listed
        else:  # the framework answers FAILED with a placeholder id; CloudFormation's Delete of it is a no-op
            calls_before = len(self.fake.calls)
            self.send("Delete", listed, None, CREATE_FAILED_MARKER)
            assert len(self.fake.calls) == calls_before

    @precondition(lambda self: self.live is not None)
    @rule(chosen=st.one_of(st.none(), subsets), fault=faults)
    def update(self, chosen: frozenset[int] | None, fault: Fault | None) -> None:
        assert self.live is not None
        old = self.live
        new = old if chosen is None else self.pick(chosen)
        if self.request("Update", new, old, fault):
            self.live = new
            return
        before = self.fake.associations(self.queue)
        self.send("Update", old, new, self.physical_id)  # CloudFormation's rollback: old and new swapped
        assert self.fake.associations(self.queue) == before

    @precondition(lambda self: self.live is not None)
    @rule(fault=faults)
    def delete(self, fault: Fault | None) -> None:
        assert self.live is not None
        if self.request("Delete", self.live, None, fault):
            self.live = None

    # ---- out-of-band changes ------------------------------------------------------------------------

    @rule(chosen=st.sets(st.integers(0, CONSOLE_POOL - 1), min_size=1), associate=st.booleans())
    def console_change(self, chosen: set[int], associate: bool) -> None:
        ids = {self.console_pool[number].id for number in chosen}
        if associate:
            self.fake.console_associate(self.queue, ids)
            self.console |= ids
        else:
            self.fake.console_disassociate(self.queue, ids)
            self.console -= ids

    # ---- checks ---------------------------------------------------------------------------------------

    @invariant()
    def queue_holds_console_and_listed_ids(self) -> None:
        listed = {quick_connect.id for quick_connect in self.live or ()}
        assert self.fake.associations(self.queue) == self.console | listed

    # ---- helpers --------------------------------------------------------------------------------------

    def pick(self, chosen: frozenset[int]) -> tuple[QuickConnect, ...]:
        return tuple(self.managed[number] for number in sorted(chosen))

    def request(
        self,
        request_type: str,
        listed: tuple[QuickConnect, ...],
        old: tuple[QuickConnect, ...] | None,
        fault: Fault | None,
    ) -> bool:
        """Send a request with `fault` injected; return whether it succeeded, checking that it should have."""
        before = self.fake.associations(self.queue)
        scripted = fault.inject(self.fake) if fault else 0
        try:
            self.send(request_type, listed, old, None if request_type == "Create" else self.physical_id)
            succeeded = True
        except Exception:
            succeeded = False
        fault_fired = fault is not None and self.fake.pending_faults(fault.operation) < scripted
        self.fake.clear_faults()
        assert succeeded == (fault is None or fault.absorbed or not fault_fired)
        if not succeeded:
            assert self.fake.associations(self.queue) == before, "a failed request left a partial change"
        return succeeded

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
        response = index.on_event(event, object(), client=self.client)
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
            max_examples=40,
            stateful_step_count=20,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
