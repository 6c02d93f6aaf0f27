"""An in-process, stateful fake of the Amazon Connect API behind a REAL boto3 client.

`FakeConnect.attach(client)` hooks botocore's event system:

- ``before-parameter-build.connect`` keeps a copy of the parameters as the caller passed them;
- botocore then validates and serialises the request with the real service model (types, required
  members, minimums), so a request the real API would refuse at the client is refused here too;
- ``before-call.connect`` short-circuits the HTTP send: the fake checks what botocore does not (maximum
  lengths and sizes, patterns, enums; all read from the model), applies scripted faults, runs the
  operation against its state and answers with a parsed response or an HTTP-shaped error, which botocore
  turns into a real ``ClientError`` subclass.

Assumptions where the Connect documentation says nothing: Associate/Disassociate apply all ids or none
(a fault can make one apply only part of a batch, as a request cut off half-way may); list orders are
stable (by name, then id); search string comparisons are case-sensitive.

Time and hostility (used by the lifecycle driver): with a `FakeClock`, each call takes `latency` seconds
of virtual time; `rate_limit` throttles each operation with a token bucket (Connect's documented default
is 2 requests/s, burst 5); `throttle_probability` throttles that share of calls at random on top;
`deny_until` answers AccessDeniedException until the clock reaches it (IAM not yet propagated);
`queue_quota` answers LimitExceededException to an associate that would take a queue past it; `storm`
throttles every call of every operation, from a given call on, until the clock reaches a given time;
`stuck_paging` names an operation whose every page answers the NextToken it was given (a stuck paginator).
"""

from __future__ import annotations

import base64
import copy
import itertools
import json
import random
import re
import uuid
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.session
from botocore.awsrequest import AWSResponse

ACCOUNT = "123456789012"
REGION = "us-east-1"


def _model_error_statuses() -> dict[str, int]:
    """Every error shape of botocore's ``connect`` model and the HTTP status the model gives it."""
    model = botocore.session.get_session().get_service_model("connect")
    statuses = {}
    for name in model.shape_names:
        shape = model.shape_for(name)
        if shape.metadata.get("exception"):
            statuses[name] = int(shape.metadata["error"]["httpStatusCode"])
    return statuses


ERROR_STATUS = _model_error_statuses()
"""Error code -> HTTP status, read from the model: the fake answers every error with its model status."""

MUTATING_OPERATIONS = frozenset({"AssociateQueueQuickConnects", "DisassociateQueueQuickConnects"})


class ConnectError(Exception):
    """Raised by an operation of the fake; answered as an HTTP error response."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass
class Instance:
    id: str
    arn: str
    alias: str


@dataclass
class Queue:
    id: str
    arn: str
    name: str
    instance_id: str
    queue_type: str = "STANDARD"


@dataclass
class QuickConnect:
    id: str
    arn: str
    name: str
    instance_id: str
    quick_connect_type: str = "QUEUE"
    not_found_for: int = 0
    """Associate calls naming it still to answer ResourceNotFoundException (eventual consistency)."""
    description: str | None = None
    user_id: str | None = None
    queue_id: str | None = None
    phone_number: str | None = None
    contact_flow_id: str | None = None
    """The flow of a USER, QUEUE or FLOW quick connect."""


@dataclass
class User:
    id: str
    arn: str
    username: str
    instance_id: str
    routing_profile_id: str | None = None


@dataclass
class RoutingProfile:
    id: str
    arn: str
    name: str
    instance_id: str
    queue_ids: list[str] = field(default_factory=list)


@dataclass
class ContactFlow:
    id: str
    arn: str
    name: str
    contact_flow_type: str
    instance_id: str


@dataclass
class Call:
    operation: str
    params: dict[str, Any]
    outcome: str = "ok"
    """``ok`` or the error code the fake answered."""


@dataclass
class _Fault:
    code: str
    message: str
    skip: int = 0
    apply_first: bool = False
    apply_part: int | None = None


@dataclass
class FakeConnect:
    """State of one account and Region's Connect service, plus fault injection and a call log."""

    region: str = REGION
    account: str = ACCOUNT
    page_size: int = 10
    """Page size when a request gives no MaxResults: small, so tests page naturally."""
    max_page_size: int | None = None
    """Largest page answered whatever MaxResults asks (Connect may answer fewer items than asked)."""
    new_quick_connects_not_found_for: int = 0
    """Eventual consistency: associate calls a quick connect added from now on answers 404 to."""
    clock: FakeClock | None = None
    """Virtual time: each call advances it by `latency`; the time-based faults below read it."""
    latency: float = 0.0
    rate_limit: tuple[float, int] | None = None
    """(requests per second, burst) per operation, as a token bucket; None: no rate limit."""
    throttle_probability: float = 0.0
    deny_until: float | None = None
    queue_quota: int | None = None
    storm_calls_before: int | None = None
    """Calls still answered normally before `storm_until` throttles every call (see `storm`)."""
    storm_until: float | None = None
    stuck_paging: str | None = None
    """An operation whose pages after the first answer the NextToken they were given, forever."""
    rng: random.Random = field(default_factory=lambda: random.Random(0))

    instances: dict[str, Instance] = field(default_factory=dict)
    queues: dict[str, Queue] = field(default_factory=dict)
    quick_connects: dict[str, QuickConnect] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    contact_flows: dict[str, ContactFlow] = field(default_factory=dict)
    routing_profiles: dict[str, RoutingProfile] = field(default_factory=dict)
    associations_by_queue: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    calls: list[Call] = field(default_factory=list)

    _faults: dict[str, deque[_Fault]] = field(default_factory=lambda: defaultdict(deque))
    _before_next: dict[str, list[Callable[[], None]]] = field(default_factory=lambda: defaultdict(list))
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _serving: str = ""

    # ---- wiring -----------------------------------------------------------------------------------

    def attach(self, client: Any) -> Any:
        """Route every call of a boto3 ``connect`` client to this fake; return the client."""
        client.meta.events.register("before-parameter-build.connect", _keep_caller_params)
        client.meta.events.register("before-call.connect", self._answer)
        return client

    def client(self) -> Any:
        """A new real boto3 ``connect`` client (dummy credentials) wired to this fake."""
        return self.attach(
            boto3.client(
                "connect",
                region_name=self.region,
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
        )

    # ---- seeding and out-of-band ("console") changes ---------------------------------------------

    def add_instance(self, alias: str | None = None, instance_id: str | None = None) -> Instance:
        instance_id = instance_id or self._new_id()
        arn = f"arn:aws:connect:{self.region}:{self.account}:instance/{instance_id}"
        instance = Instance(instance_id, arn, alias or f"instance-{len(self.instances) + 1}")
        self.instances[instance_id] = instance
        return instance

    def add_queue(
        self, instance: Instance, name: str | None = None, queue_type: str = "STANDARD", queue_id: str | None = None
    ) -> Queue:
        queue_id = queue_id or self._new_id()
        name = name or f"queue-{len(self.queues) + 1}"
        queue = Queue(queue_id, f"{instance.arn}/queue/{queue_id}", name, instance.id, queue_type)
        self.queues[queue_id] = queue
        return queue

    def add_quick_connect(
        self,
        instance: Instance,
        name: str | None = None,
        quick_connect_type: str = "QUEUE",
        quick_connect_id: str | None = None,
        not_found_for: int | None = None,
        *,
        description: str | None = None,
        user: User | None = None,
        queue: Queue | None = None,
        phone_number: str | None = None,
        contact_flow: ContactFlow | None = None,
    ) -> QuickConnect:
        """Add a quick connect; the destination (user, queue, number, flow) is optional where tests need none."""
        if quick_connect_type not in _model_enum("QuickConnectType"):
            raise ValueError(f"Connect has no quick connect type {quick_connect_type!r}")
        quick_connect_id = quick_connect_id or self._new_id()
        quick_connect = QuickConnect(
            quick_connect_id,
            f"{instance.arn}/transfer-destination/{quick_connect_id}",
            name or f"quick-connect-{len(self.quick_connects) + 1}",
            instance.id,
            quick_connect_type,
            self.new_quick_connects_not_found_for if not_found_for is None else not_found_for,
            description=description,
            user_id=user.id if user else None,
            queue_id=queue.id if queue else None,
            phone_number=phone_number,
            contact_flow_id=contact_flow.id if contact_flow else None,
        )
        self.quick_connects[quick_connect_id] = quick_connect
        return quick_connect

    def add_quick_connects(self, instance: Instance, count: int) -> list[QuickConnect]:
        return [self.add_quick_connect(instance) for _ in range(count)]

    def add_user(
        self,
        instance: Instance,
        username: str,
        user_id: str | None = None,
        routing_profile: RoutingProfile | None = None,
    ) -> User:
        user_id = user_id or self._new_id()
        profile_id = routing_profile.id if routing_profile else None
        user = User(user_id, f"{instance.arn}/agent/{user_id}", username, instance.id, profile_id)
        self.users[user_id] = user
        return user

    def add_routing_profile(
        self, instance: Instance, name: str, queues: Iterable[Queue] = (), profile_id: str | None = None
    ) -> RoutingProfile:
        profile_id = profile_id or self._new_id()
        arn = f"{instance.arn}/routing-profile/{profile_id}"
        profile = RoutingProfile(profile_id, arn, name, instance.id, [queue.id for queue in queues])
        self.routing_profiles[profile_id] = profile
        return profile

    def add_contact_flow(
        self, instance: Instance, name: str, contact_flow_type: str = "CONTACT_FLOW", flow_id: str | None = None
    ) -> ContactFlow:
        flow_id = flow_id or self._new_id()
        flow = ContactFlow(flow_id, f"{instance.arn}/contact-flow/{flow_id}", name, contact_flow_type, instance.id)
        self.contact_flows[flow_id] = flow
        return flow

    def associations(self, queue: Queue) -> frozenset[str]:
        """Ids of the quick connects associated with `queue` right now."""
        return frozenset(self.associations_by_queue.get(queue.id, set()))

    def console_associate(self, queue: Queue, quick_connect_ids: Iterable[str]) -> None:
        """An out-of-band association, as the console makes it (no limit of 50, no call logged)."""
        ids = set(quick_connect_ids)
        unknown = ids - set(self.quick_connects)
        assert not unknown, f"console_associate: no such quick connects {sorted(unknown)}"
        self.associations_by_queue[queue.id].update(ids)

    def console_disassociate(self, queue: Queue, quick_connect_ids: Iterable[str]) -> None:
        self.associations_by_queue[queue.id].difference_update(quick_connect_ids)

    def delete_queue(self, queue: Queue) -> None:
        del self.queues[queue.id]
        self.associations_by_queue.pop(queue.id, None)

    def delete_quick_connect(self, quick_connect: QuickConnect) -> None:
        """Delete a quick connect; as in Connect, it disappears from every queue."""
        del self.quick_connects[quick_connect.id]
        for associated in self.associations_by_queue.values():
            associated.discard(quick_connect.id)

    def delete_instance(self, instance: Instance) -> None:
        del self.instances[instance.id]

    # ---- fault injection --------------------------------------------------------------------------

    def fail_next(
        self,
        operation: str,
        code: str,
        times: int = 1,
        *,
        message: str | None = None,
        after: int = 0,
        apply_first: bool = False,
        apply_part: int | None = None,
    ) -> None:
        """Answer `code` to the next `times` calls of `operation`, once `after` more calls have succeeded.

        `apply_first` applies the request and answers the error anyway, as a timed-out request can;
        `apply_part` applies only the first that many ids of the batch, then answers the error.
        """
        queue = self._faults[operation]
        text = message or f"Injected {code}"
        queue.append(_Fault(code, text, skip=after, apply_first=apply_first, apply_part=apply_part))
        queue.extend(_Fault(code, text, apply_first=apply_first, apply_part=apply_part) for _ in range(times - 1))

    def storm(self, *, after: int, until: float) -> None:
        """Throttle every call of every operation once `after` more calls were answered, until the clock reads
        `until` (virtual seconds): a storm that ends, whoever is calling."""
        assert self.clock is not None, "a storm needs the virtual clock"
        self.storm_calls_before, self.storm_until = after, until

    def clear_faults(self) -> None:
        self._faults.clear()

    def run_before_next(self, operation: str, action: Callable[[], None]) -> None:
        """Run `action` (e.g. a console change) just before the next call of `operation` is served: a race."""
        self._before_next[operation].append(action)

    def pending_faults(self, operation: str) -> int:
        return len(self._faults.get(operation, ()))

    # ---- call log ---------------------------------------------------------------------------------

    def calls_to(self, operation: str) -> list[Call]:
        return [recorded for recorded in self.calls if recorded.operation == operation]

    def mutating_calls(self) -> list[Call]:
        return [recorded for recorded in self.calls if recorded.operation in MUTATING_OPERATIONS]

    # ---- request handling -------------------------------------------------------------------------

    def _answer(self, model: Any, context: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        operation = model.name
        params = context["fake_connect_params"]
        self._serving = operation
        recorded = Call(operation, params)
        self.calls.append(recorded)
        for action in self._before_next.pop(operation, []):
            action()
        if self.clock is not None:
            self.clock.advance(self.latency)
        try:
            _check_constraints(model.input_shape, params, operation)
            self._hostile_environment(operation)
            fault = self._take_fault(operation)
            if fault is not None and fault.apply_part is not None:
                self._dispatch(operation, {**params, "QuickConnectIds": params["QuickConnectIds"][: fault.apply_part]})
            if fault is not None and not fault.apply_first:
                raise ConnectError(fault.code, fault.message)
            response = self._dispatch(operation, params)
            if fault is not None:
                raise ConnectError(fault.code, fault.message)
        except ConnectError as error:
            recorded.outcome = error.code
            return _error_response(error)
        _check_output(model.output_shape, response, operation)
        return AWSResponse(None, 200, {}, None), {**response, "ResponseMetadata": _metadata(200)}

    def _hostile_environment(self, operation: str) -> None:
        """IAM not yet propagated, Connect's rate limit, and random throttling, in the order Connect checks."""
        now = self.clock.now if self.clock is not None else 0.0
        if self.storm_until is not None and self.storm_calls_before is not None:
            if self.storm_calls_before > 0:
                self.storm_calls_before -= 1
            elif now < self.storm_until:
                raise ConnectError("ThrottlingException", "Rate exceeded")
        if self.deny_until is not None and now < self.deny_until:
            raise ConnectError(
                "AccessDeniedException",
                f"User: arn:aws:sts::{self.account}:assumed-role/HandlerRole/fn is not authorized to perform: "
                f"connect:{operation}",
            )
        if self.rate_limit is not None:
            rate, burst = self.rate_limit
            tokens, last = self._buckets.get(operation, (float(burst), now))
            tokens = min(float(burst), tokens + (now - last) * rate)
            if tokens < 1.0:
                self._buckets[operation] = (tokens, now)
                raise ConnectError("ThrottlingException", "Rate exceeded")
            self._buckets[operation] = (tokens - 1.0, now)
        if self.throttle_probability and self.rng.random() < self.throttle_probability:
            raise ConnectError("ThrottlingException", "Rate exceeded")

    def _take_fault(self, operation: str) -> _Fault | None:
        queue = self._faults.get(operation)
        if not queue:
            return None
        if queue[0].skip > 0:
            queue[0].skip -= 1
            return None
        return queue.popleft()

    def _dispatch(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        handler: Callable[[dict[str, Any]], dict[str, Any]] | None = getattr(self, f"_op_{operation}", None)
        if handler is None:
            raise NotImplementedError(f"FakeConnect does not implement {operation}")
        return handler(params)

    # ---- operations -------------------------------------------------------------------------------

    def _op_AssociateQueueQuickConnects(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        queue = self._queue(params)
        quick_connects = self._quick_connects(params)
        hidden = [quick_connect for quick_connect in quick_connects if quick_connect.not_found_for > 0]
        for quick_connect in hidden:
            quick_connect.not_found_for -= 1
        if hidden:
            raise ConnectError("ResourceNotFoundException", f"Quick connect {hidden[0].id} not found")
        after = self.associations_by_queue[queue.id] | {quick_connect.id for quick_connect in quick_connects}
        if self.queue_quota is not None and len(after) > self.queue_quota:
            raise ConnectError(
                "LimitExceededException",
                f"The quota for quick connects per queue ({self.queue_quota}) would be exceeded",
            )
        self.associations_by_queue[queue.id].update(quick_connect.id for quick_connect in quick_connects)
        return {}

    def _op_DisassociateQueueQuickConnects(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        queue = self._queue(params)
        quick_connects = self._quick_connects(params)
        self.associations_by_queue[queue.id].difference_update(quick_connect.id for quick_connect in quick_connects)
        return {}

    def _op_ListQueueQuickConnects(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        queue = self._queue(params)
        associated = [self.quick_connects[quick_connect_id] for quick_connect_id in self.associations(queue)]
        summaries = [
            {"Id": qc.id, "Arn": qc.arn, "Name": qc.name, "QuickConnectType": qc.quick_connect_type}
            for qc in sorted(associated, key=lambda qc: (qc.name, qc.id))
        ]
        return self._page(params, "QuickConnectSummaryList", summaries)

    def _op_SearchQueues(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        instance = self._instance(params)
        _check_criteria(params.get("SearchCriteria"), QUEUE_SEARCH_FIELDS)
        queues = [queue for queue in self._in_instance(self.queues, instance) if _matches(params, _queue_fields(queue))]
        found = [{"Name": q.name, "QueueArn": q.arn, "QueueId": q.id} for q in queues]
        return {**self._page(params, "Queues", found), "ApproximateTotalCount": len(found)}

    def _op_SearchUsers(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        instance = self._instance(params)
        _check_criteria(params.get("SearchCriteria"), USER_SEARCH_FIELDS)
        users = [user for user in self._in_instance(self.users, instance) if _matches(params, _user_fields(user))]
        found = [_user_search_summary(user) for user in users]
        return {**self._page(params, "Users", found), "ApproximateTotalCount": len(found)}

    def _op_ListContactFlows(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        instance = self._instance(params)
        types = set(params.get("ContactFlowTypes") or [])
        flows = [
            {
                "Id": flow.id,
                "Arn": flow.arn,
                "Name": flow.name,
                "ContactFlowType": flow.contact_flow_type,
                "ContactFlowState": "ACTIVE",
                "ContactFlowStatus": "PUBLISHED",
            }
            for flow in self._in_instance(self.contact_flows, instance)
            if not types or flow.contact_flow_type in types
        ]
        return self._page(params, "ContactFlowSummaryList", flows)

    def _op_ListInstances(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        summaries = [
            {
                "Id": instance.id,
                "Arn": instance.arn,
                "InstanceAlias": instance.alias,
                "IdentityManagementType": "CONNECT_MANAGED",
                "InstanceStatus": "ACTIVE",
            }
            for instance in sorted(self.instances.values(), key=lambda instance: (instance.alias, instance.id))
        ]
        return self._page(params, "InstanceSummaryList", summaries)

    def _op_ListQueues(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        instance = self._instance(params)
        types = set(params.get("QueueTypes") or [])
        summaries = [
            {"Id": queue.id, "Arn": queue.arn, "Name": queue.name, "QueueType": queue.queue_type}
            for queue in self._in_instance(self.queues, instance)
            if not types or queue.queue_type in types
        ]
        return self._page(params, "QueueSummaryList", summaries)

    def _op_ListUsers(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        instance = self._instance(params)
        summaries = [
            {"Id": user.id, "Arn": user.arn, "Username": user.username}
            for user in self._in_instance(self.users, instance)
        ]
        return self._page(params, "UserSummaryList", summaries)

    def _op_DescribeInstance(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        instance = self._instance(params)
        return {
            "Instance": {
                "Id": instance.id,
                "Arn": instance.arn,
                "InstanceAlias": instance.alias,
                "IdentityManagementType": "CONNECT_MANAGED",
                "InstanceStatus": "ACTIVE",
            }
        }

    def _op_ListQuickConnects(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        instance = self._instance(params)
        types = set(params.get("QuickConnectTypes") or [])
        summaries = [
            {"Id": qc.id, "Arn": qc.arn, "Name": qc.name, "QuickConnectType": qc.quick_connect_type}
            for qc in self._in_instance(self.quick_connects, instance)
            if not types or qc.quick_connect_type in types
        ]
        return self._page(params, "QuickConnectSummaryList", summaries)

    def _op_DescribeQuickConnect(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        instance = self._instance(params)
        qc = self.quick_connects.get(params["QuickConnectId"])
        if qc is None or qc.instance_id != instance.id:
            raise ConnectError("ResourceNotFoundException", f"Quick connect {params['QuickConnectId']} not found")
        described: dict[str, Any] = {
            "QuickConnectARN": qc.arn,
            "QuickConnectId": qc.id,
            "Name": qc.name,
            "QuickConnectConfig": _quick_connect_config(qc),
        }
        if qc.description is not None:
            described["Description"] = qc.description
        return {"QuickConnect": described}

    def _op_ListRoutingProfiles(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        instance = self._instance(params)
        summaries = [
            {"Id": profile.id, "Arn": profile.arn, "Name": profile.name}
            for profile in self._in_instance(self.routing_profiles, instance)
        ]
        return self._page(params, "RoutingProfileSummaryList", summaries)

    def _op_ListRoutingProfileQueues(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        instance = self._instance(params)
        profile = self.routing_profiles.get(params["RoutingProfileId"])
        if profile is None or profile.instance_id != instance.id:
            raise ConnectError("ResourceNotFoundException", f"Routing profile {params['RoutingProfileId']} not found")
        configs = [
            {
                "QueueId": queue.id,
                "QueueArn": queue.arn,
                "QueueName": queue.name,
                "Priority": 1,
                "Delay": 0,
                "Channel": "VOICE",
            }
            for queue in (self.queues[queue_id] for queue_id in profile.queue_ids if queue_id in self.queues)
        ]
        return self._page(params, "RoutingProfileQueueConfigSummaryList", configs)

    def _op_DescribeUser(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        instance = self._instance(params)
        user = self.users.get(params["UserId"])
        if user is None or user.instance_id != instance.id:
            raise ConnectError("ResourceNotFoundException", f"User {params['UserId']} not found")
        described: dict[str, Any] = {"Id": user.id, "Arn": user.arn, "Username": user.username}
        if user.routing_profile_id is not None:
            described["RoutingProfileId"] = user.routing_profile_id
        return {"User": described}

    # ---- helpers ----------------------------------------------------------------------------------

    def _new_id(self) -> str:
        return str(uuid.UUID(int=next(self._ids)))

    def _instance(self, params: dict[str, Any]) -> Instance:
        instance_id = params["InstanceId"]
        if instance_id not in self.instances:
            raise ConnectError("ResourceNotFoundException", f"Instance {instance_id} not found")
        return self.instances[instance_id]

    def _queue(self, params: dict[str, Any]) -> Queue:
        instance = self._instance(params)
        queue = self.queues.get(params["QueueId"])
        if queue is None or queue.instance_id != instance.id:
            raise ConnectError("ResourceNotFoundException", f"Queue {params['QueueId']} not found")
        return queue

    def _quick_connects(self, params: dict[str, Any]) -> list[QuickConnect]:
        found = []
        for quick_connect_id in params["QuickConnectIds"]:
            quick_connect = self.quick_connects.get(quick_connect_id)
            if quick_connect is None or quick_connect.instance_id != params["InstanceId"]:
                raise ConnectError("ResourceNotFoundException", f"Quick connect {quick_connect_id} not found")
            found.append(quick_connect)
        return found

    @staticmethod
    def _in_instance(records: dict[str, Any], instance: Instance) -> list[Any]:
        mine = [record for record in records.values() if record.instance_id == instance.id]
        return sorted(mine, key=lambda record: (getattr(record, "name", None) or record.username, record.id))

    def _page(self, params: dict[str, Any], items_key: str, items: list[dict[str, Any]]) -> dict[str, Any]:
        start = _token_offset(params.get("NextToken"), items_key)
        size = params.get("MaxResults") or self.page_size
        if self.max_page_size is not None:
            size = min(size, self.max_page_size)
        page: dict[str, Any] = {items_key: items[start : start + size]}
        if start + size < len(items):
            page["NextToken"] = _token(items_key, start + size)
        if self.stuck_paging == self._serving and params.get("NextToken"):
            page["NextToken"] = params["NextToken"]
        return page


# ---- request checks that botocore leaves to the service -------------------------------------------


_ENUMS: dict[str, tuple[str, ...]] = {}


def _model_enum(shape_name: str) -> tuple[str, ...]:
    """The values of an enum shape of botocore's ``connect`` model (e.g. ``QuickConnectType``)."""
    if shape_name not in _ENUMS:
        model = botocore.session.get_session().get_service_model("connect")
        _ENUMS[shape_name] = tuple(model.shape_for(shape_name).enum)
    return _ENUMS[shape_name]


def _keep_caller_params(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
    context["fake_connect_params"] = copy.deepcopy(params)


def _check_constraints(shape: Any, value: Any, path: str) -> None:
    """Enforce the model's max, pattern and enum constraints (botocore only checks types and minimums)."""
    if shape is None:
        return
    metadata = shape.metadata
    if shape.type_name in {"string", "list", "map", "blob"}:
        if "max" in metadata and len(value) > metadata["max"]:
            _invalid(f"{path} has length {len(value)}, more than the maximum {metadata['max']}")
        if "min" in metadata and len(value) < metadata["min"]:
            _invalid(f"{path} has length {len(value)}, less than the minimum {metadata['min']}")
    if shape.type_name in {"integer", "long"}:
        if "max" in metadata and value > metadata["max"]:
            _invalid(f"{path} is {value}, more than the maximum {metadata['max']}")
        if "min" in metadata and value < metadata["min"]:
            _invalid(f"{path} is {value}, less than the minimum {metadata['min']}")
    if shape.type_name == "string":
        pattern = _compiled(metadata.get("pattern"))
        if pattern is not None and pattern.search(value) is None:
            _invalid(f"{path} {value!r} does not match the pattern {metadata['pattern']}")
        if shape.enum and value not in shape.enum:
            _invalid(f"{path} {value!r} is not one of {', '.join(shape.enum)}")
    if shape.type_name == "structure":
        for name, member_value in value.items():
            _check_constraints(shape.members[name], member_value, f"{path}.{name}")
    elif shape.type_name == "list":
        for index, item in enumerate(value):
            _check_constraints(shape.member, item, f"{path}[{index}]")
    elif shape.type_name == "map":
        for key, item in value.items():
            _check_constraints(shape.key, key, f"{path}.<key>")
            _check_constraints(shape.value, item, f"{path}.{key}")


_PATTERNS: dict[str, re.Pattern[str] | None] = {}


def _compiled(pattern: str | None) -> re.Pattern[str] | None:
    """Compile a model pattern; None for the few in a regex dialect Python's `re` cannot read (e.g. \\p{L})."""
    if pattern is None:
        return None
    if pattern not in _PATTERNS:
        try:
            _PATTERNS[pattern] = re.compile(pattern)
        except re.error:
            _PATTERNS[pattern] = None
    return _PATTERNS[pattern]


def _invalid(message: str) -> None:
    raise ConnectError("InvalidParameterException", message)


def _check_output(shape: Any, value: Any, path: str) -> None:
    """Keep the fake honest: every member it answers must exist in the model's output shape."""
    if shape is None or value is None:
        return
    if shape.type_name == "structure":
        unknown = set(value) - set(shape.members)
        assert not unknown, f"FakeConnect answered {path} members the model does not have: {sorted(unknown)}"
        for name, member_value in value.items():
            _check_output(shape.members[name], member_value, f"{path}.{name}")
    elif shape.type_name == "list":
        for item in value:
            _check_output(shape.member, item, f"{path}[]")


def _quick_connect_config(qc: QuickConnect) -> dict[str, Any]:
    """The QuickConnectConfig Connect answers for `qc`: its type and the sub-block of that type."""
    config: dict[str, Any] = {"QuickConnectType": qc.quick_connect_type}
    if qc.quick_connect_type == "USER" and qc.user_id is not None and qc.contact_flow_id is not None:
        config["UserConfig"] = {"UserId": qc.user_id, "ContactFlowId": qc.contact_flow_id}
    elif qc.quick_connect_type == "QUEUE" and qc.queue_id is not None and qc.contact_flow_id is not None:
        config["QueueConfig"] = {"QueueId": qc.queue_id, "ContactFlowId": qc.contact_flow_id}
    elif qc.quick_connect_type == "PHONE_NUMBER" and qc.phone_number is not None:
        config["PhoneConfig"] = {"PhoneNumber": qc.phone_number}
    elif qc.quick_connect_type == "FLOW" and qc.contact_flow_id is not None:
        config["FlowConfig"] = {"ContactFlowId": qc.contact_flow_id}
    return config


def _user_search_summary(user: User) -> dict[str, Any]:
    summary: dict[str, Any] = {"Id": user.id, "Arn": user.arn, "Username": user.username}
    if user.routing_profile_id is not None:
        summary["RoutingProfileId"] = user.routing_profile_id
    return summary


# ---- search criteria --------------------------------------------------------------------------------


QUEUE_SEARCH_FIELDS = frozenset({"name", "resourceID"})
USER_SEARCH_FIELDS = frozenset({"Username", "resourceId"})
_CRITERIA_KEYS = frozenset({"StringCondition", "QueueTypeCondition", "AndConditions", "OrConditions"})


def _check_criteria(criteria: dict[str, Any] | None, searchable: frozenset[str]) -> None:
    """Reject what Connect would (unsearchable fields) and what the fake does not implement."""
    if criteria is None:
        return
    unsupported = set(criteria) - _CRITERIA_KEYS
    if unsupported:
        raise NotImplementedError(f"FakeConnect does not implement search criteria {sorted(unsupported)}")
    field_name = criteria.get("StringCondition", {}).get("FieldName")
    if "StringCondition" in criteria and field_name not in searchable:
        _invalid(f"FieldName {field_name!r} is not searchable; use one of {', '.join(sorted(searchable))}")
    for inner in [*criteria.get("AndConditions", []), *criteria.get("OrConditions", [])]:
        _check_criteria(inner, searchable)


def _queue_fields(queue: Queue) -> dict[str, str]:
    return {"name": queue.name, "resourceID": queue.id, "QueueType": queue.queue_type}


def _user_fields(user: User) -> dict[str, str]:
    return {"Username": user.username, "resourceId": user.id}


def _matches(params: dict[str, Any], fields: dict[str, str]) -> bool:
    criteria = params.get("SearchCriteria")
    return criteria is None or _criteria_match(criteria, fields)


def _criteria_match(criteria: dict[str, Any], fields: dict[str, str]) -> bool:
    results = []
    if "StringCondition" in criteria:
        results.append(_string_condition_match(criteria["StringCondition"], fields))
    if "QueueTypeCondition" in criteria:
        results.append(fields.get("QueueType") == criteria["QueueTypeCondition"])
    if "AndConditions" in criteria:
        results.append(all(_criteria_match(inner, fields) for inner in criteria["AndConditions"]))
    if "OrConditions" in criteria:
        results.append(any(_criteria_match(inner, fields) for inner in criteria["OrConditions"]))
    return all(results)


def _string_condition_match(condition: dict[str, Any], fields: dict[str, str]) -> bool:
    value = str(condition.get("Value", ""))
    actual = fields[condition["FieldName"]]
    comparison = condition.get("ComparisonType", "EXACT")
    if comparison == "EXACT":
        return actual == value
    if comparison == "STARTS_WITH":
        return actual.startswith(value)
    return value in actual


# ---- responses and tokens --------------------------------------------------------------------------


def _token(items_key: str, offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"k": items_key, "o": offset}).encode()).decode()


def _token_offset(token: str | None, items_key: str) -> int:
    if token is None:
        return 0
    try:
        decoded = json.loads(base64.urlsafe_b64decode(token.encode()))
        if decoded["k"] == items_key:
            return int(decoded["o"])
    except (ValueError, KeyError, TypeError):
        pass
    raise ConnectError("InvalidParameterException", "Invalid NextToken")


_request_ids = itertools.count(1)


def _metadata(status: int) -> dict[str, Any]:
    return {
        "RequestId": f"fake-{next(_request_ids):08d}",
        "HTTPStatusCode": status,
        "HTTPHeaders": {},
        "RetryAttempts": 0,
    }


def _error_response(error: ConnectError) -> tuple[AWSResponse, dict[str, Any]]:
    status = ERROR_STATUS.get(error.code, 400)
    parsed = {
        "Error": {"Code": error.code, "Message": error.message},
        "Message": error.message,
        "ResponseMetadata": _metadata(status),
    }
    return AWSResponse(None, status, {}, None), parsed


# ---- a clock for the retry policy, so tests never sleep ----------------------------------------------


class LambdaKilled(BaseException):
    """The invocation reached its Lambda timeout: raised where the clock got there, caught by no handler code."""


@dataclass
class FakeClock:
    """Stands in for time.monotonic, time.sleep and a timer thread: time only moves when a call takes it.

    Sleeping advances the clock and is recorded; so does a fake service's latency (`advance`). An action
    scheduled with `call_later` (the handler's watchdog) runs as soon as the clock reaches its time, in the
    middle of whatever moved the clock there, as a timer thread would interrupt it.
    """

    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)
    kill_at: float | None = None
    """When the running Lambda invocation is killed (its timeout): moving the clock there raises `LambdaKilled`."""
    _timers: list[tuple[float, int, Callable[[], None]]] = field(default_factory=list)
    _timer_ids: itertools.count[int] = field(default_factory=itertools.count)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)

    def monotonic(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock on by `seconds`, running every action due on the way, in time order.

        Reaching `kill_at` stops the invocation there, as Lambda does at its timeout: nothing after it runs.
        """
        target = self.now + seconds
        while True:
            due = [timer for timer in self._timers if timer[0] <= target]
            if not due:
                break
            first = min(due)
            if self.kill_at is not None and first[0] >= self.kill_at:
                break
            self._timers.remove(first)
            self.now = max(self.now, first[0])
            first[2]()
        if self.kill_at is not None and target >= self.kill_at:
            self.now = max(self.now, self.kill_at)
            raise LambdaKilled(f"Task timed out at {self.kill_at:.0f} s")
        self.now = max(self.now, target)

    def call_later(self, seconds: float, action: Callable[[], None]) -> Callable[[], None]:
        """Run `action` once the clock has moved on by `seconds`; return a function that cancels it."""
        timer = (self.now + max(0.0, seconds), next(self._timer_ids), action)
        self._timers.append(timer)

        def cancel() -> None:
            if timer in self._timers:
                self._timers.remove(timer)

        return cancel


@dataclass
class FakeLambdaContext:
    """What the handler reads of a Lambda context, on a `FakeClock`: the invocation ends `timeout` s after it began."""

    clock: FakeClock
    timeout: float = 300.0
    started_at: float = field(init=False)

    def __post_init__(self) -> None:
        self.started_at = self.clock.now

    @property
    def deadline(self) -> float:
        return self.started_at + self.timeout

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - self.clock.now) * 1000))
