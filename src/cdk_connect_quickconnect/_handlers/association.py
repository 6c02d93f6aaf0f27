"""``Custom::ConnectQueueQuickConnects``: associate a list of quick connects with a queue the stack may not own.

Properties (as CloudFormation sends them): ``QueueArn`` (a queue ARN) and ``QuickConnectArns`` (a list of
quick connect ARNs of the same instance, no duplicates).

Ownership semantics:

- A quick connect id the resource never listed is never touched, whoever associated it (console, another
  stack, the queue's own ``QuickConnectArns``).
- A quick connect id the resource lists is managed by it. That includes an id that was already
  associated before the Create: the Create leaves it as it is, but a later Update that drops it, or the
  Delete, disassociates it.
- An Update associates every listed id that is not associated (so it also repairs out-of-band removals)
  and disassociates the ids the old properties listed and the new ones do not.

Failure semantics: a request that fails undoes its own partial changes before raising, so the queue is
left as it was. CloudFormation sends no Delete after a failed Create, and rolls a failed Update back with
old and new properties swapped, which the same diff handles. A Delete of something already gone
(queue, instance, or a quick connect deleted meanwhile) succeeds.

The PhysicalResourceId is ``<QueueArn>/quick-connects``: stable across Updates of the same queue; a new
queue gives a new id, so CloudFormation then Deletes the association with the old queue.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ._connect import RESOURCE_NOT_FOUND, ConnectCallError, ConnectClient, call, paginate

RESOURCE_TYPE = "Custom::ConnectQueueQuickConnects"
BATCH_SIZE = 50
"""Most quick connect ids Associate/DisassociateQueueQuickConnects accept per call."""
PAGE_SIZE = 100
"""Largest MaxResults ListQueueQuickConnects accepts."""

_PHYSICAL_ID_SUFFIX = "/quick-connects"
_INSTANCE_ARN = r"arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance/(?P<instance_id>[A-Za-z0-9-]+)"
_QUEUE_ARN = re.compile(rf"(?P<instance_arn>{_INSTANCE_ARN})/queue/(?P<queue_id>[A-Za-z0-9-]+)")
_QUICK_CONNECT_ARN = re.compile(rf"(?P<instance_arn>{_INSTANCE_ARN})/transfer-destination/(?P<id>[A-Za-z0-9-]+)")
_ASSOCIATE = "AssociateQueueQuickConnects"
_DISASSOCIATE = "DisassociateQueueQuickConnects"


class AssociationError(Exception):
    """A request failed; the message says what Connect answered and whether the partial change was undone."""


@dataclass(frozen=True)
class Queue:
    """The queue a resource manages associations on, parsed from its ARN."""

    arn: str
    instance_arn: str
    instance_id: str
    queue_id: str

    @classmethod
    def from_arn(cls, arn: object) -> Queue:
        """Parse a queue ARN; raise ValueError with a clear message if it is not one."""
        if not isinstance(arn, str) or (match := _QUEUE_ARN.fullmatch(arn)) is None:
            raise ValueError(
                f"QueueArn {arn!r} is not an Amazon Connect queue ARN "
                "(arn:aws:connect:<region>:<account>:instance/<instanceId>/queue/<queueId>)"
            )
        return cls(arn, match["instance_arn"], match["instance_id"], match["queue_id"])

    @property
    def physical_id(self) -> str:
        """PhysicalResourceId of the association resource on this queue."""
        return f"{self.arn}{_PHYSICAL_ID_SUFFIX}"

    @property
    def log(self) -> dict[str, object]:
        """Context added to every log line about this queue."""
        return {"queue_id": self.queue_id, "instance_id": self.instance_id}


@dataclass(frozen=True)
class QueueQuickConnects:
    """The resource's properties, validated: a queue and the quick connect ids it should have."""

    queue: Queue
    quick_connect_ids: tuple[str, ...]

    @classmethod
    def from_properties(cls, properties: Mapping[str, Any]) -> QueueQuickConnects:
        """Validate ResourceProperties; raise ValueError naming the offending value."""
        queue = Queue.from_arn(properties.get("QueueArn"))
        arns = properties.get("QuickConnectArns", [])
        if not isinstance(arns, list):
            raise ValueError(f"QuickConnectArns must be a list of quick connect ARNs, got {arns!r}")
        ids = tuple(_quick_connect_id(arn, queue) for arn in arns)
        duplicates = sorted({arn for arn in arns if arns.count(arn) > 1})
        if duplicates:
            raise ValueError(f"QuickConnectArns lists these ARNs more than once: {', '.join(duplicates)}")
        return cls(queue, ids)

    @property
    def ids(self) -> frozenset[str]:
        """The quick connect ids as a set."""
        return frozenset(self.quick_connect_ids)


def handle(event: Mapping[str, Any], client: ConnectClient) -> dict[str, Any]:
    """Handle one Provider onEvent request for ``Custom::ConnectQueueQuickConnects``."""
    request_type = event["RequestType"]
    if request_type == "Create":
        return _create(QueueQuickConnects.from_properties(event["ResourceProperties"]), client)
    if request_type == "Update":
        return _update(event, client)
    if request_type == "Delete":
        return _delete(event, client)
    raise ValueError(f"Unsupported RequestType {request_type!r}")


def _create(wanted: QueueQuickConnects, client: ConnectClient) -> dict[str, Any]:
    """Associate the listed ids that are not associated yet; touch nothing else."""
    current = _read_associations(client, wanted.queue, retry_not_found=True)
    _change(client, wanted.queue, current, to_add=wanted.ids - current, to_remove=frozenset())
    return _response(wanted.queue, len(wanted.quick_connect_ids))


def _update(event: Mapping[str, Any], client: ConnectClient) -> dict[str, Any]:
    """Apply the diff between old and new properties; a new queue is a Create there (new physical id)."""
    wanted = QueueQuickConnects.from_properties(event["ResourceProperties"])
    if event.get("PhysicalResourceId") != wanted.queue.physical_id:
        return _create(wanted, client)
    previous = _listed_ids(event.get("OldResourceProperties", {}), wanted.queue)
    current = _read_associations(client, wanted.queue, retry_not_found=True)
    _change(
        client,
        wanted.queue,
        current,
        to_add=wanted.ids - current,
        to_remove=(previous - wanted.ids) & current,
    )
    return _response(wanted.queue, len(wanted.quick_connect_ids))


def _delete(event: Mapping[str, Any], client: ConnectClient) -> dict[str, Any]:
    """Disassociate the listed ids still associated; anything already gone counts as done."""
    physical_id = str(event.get("PhysicalResourceId", ""))
    queue = _queue_from_physical_id(physical_id)
    if queue is None:
        # Not an id this handler returned (e.g. the placeholder of a failed Create): nothing was made.
        _log_note("delete_skipped", {"physical_id": physical_id, "reason": "not created by this handler"})
        return {"PhysicalResourceId": physical_id, "Data": {}}
    current = _read_associations_if_queue_exists(client, queue)
    if current is None:
        _log_note("delete_skipped", {**queue.log, "reason": "queue or instance no longer exists"})
    else:
        listed = _listed_ids(event.get("ResourceProperties", {}), queue)
        _change(client, queue, current, to_add=frozenset(), to_remove=listed & current)
    return _response(queue, 0)


def _change(
    client: ConnectClient,
    queue: Queue,
    current: frozenset[str],
    *,
    to_add: frozenset[str],
    to_remove: frozenset[str],
) -> None:
    """Disassociate `to_remove`, then associate `to_add`; on failure undo this request's part and raise."""
    try:
        _disassociate_present(client, queue, to_remove, current)
        _in_batches(client, _ASSOCIATE, queue, to_add)
    except ConnectCallError as error:
        outcome = _undo(client, queue, added=to_add, removed=to_remove)
        raise AssociationError(
            f"Changing the quick connects of queue {queue.arn} failed: {error}. {outcome}"
        ) from error


def _undo(client: ConnectClient, queue: Queue, *, added: frozenset[str], removed: frozenset[str]) -> str:
    """Put back the state from before the request, best effort; return a sentence saying how it went.

    Every id in `added` was absent and every id in `removed` present when the request started, so the
    queue is re-read and only the differences are reverted: that also covers a failed call that Connect
    applied anyway.
    """
    try:
        current = _read_associations_if_queue_exists(client, queue)
        if current is None:
            return "The queue no longer exists: nothing to undo."
        _disassociate_present(client, queue, added, current)
        _in_batches(client, _ASSOCIATE, queue, removed - current)
    except ConnectCallError as undo_error:
        _log_note("undo_failed", {**queue.log, "error": str(undo_error)})
        return f"Undoing this request's partial changes also failed, the queue may be half-changed: {undo_error}"
    return "This request's partial changes, if any, were undone."


def _disassociate_present(client: ConnectClient, queue: Queue, ids: frozenset[str], current: frozenset[str]) -> None:
    """Disassociate the ids of `ids` that are associated; an id or queue deleted meanwhile counts as done.

    A batch naming one deleted quick connect fails whole with ResourceNotFoundException; Connect drops a
    deleted quick connect from its queues, so re-reading the queue and retrying the rest once is enough.
    """
    try:
        _in_batches(client, _DISASSOCIATE, queue, ids & current)
    except ConnectCallError as error:
        if error.code != RESOURCE_NOT_FOUND:
            raise
        now = _read_associations_if_queue_exists(client, queue)
        if now is not None:
            _in_batches(client, _DISASSOCIATE, queue, ids & now)


def _in_batches(client: ConnectClient, operation: str, queue: Queue, ids: Iterable[str]) -> None:
    """Call `operation` for `ids` in sorted batches of at most BATCH_SIZE; no call when there is none."""
    ordered = sorted(ids)
    batches = [ordered[start : start + BATCH_SIZE] for start in range(0, len(ordered), BATCH_SIZE)]
    for number, batch in enumerate(batches, start=1):
        log = {**queue.log, "batch": number, "batches": len(batches), "quick_connect_count": len(batch)}
        call(
            client,
            operation,
            log,
            # A quick connect created in the same deployment may be unknown to Connect for a few seconds.
            retry_not_found=operation == _ASSOCIATE,
            InstanceId=queue.instance_id,
            QueueId=queue.queue_id,
            QuickConnectIds=batch,
        )


def _read_associations(client: ConnectClient, queue: Queue, *, retry_not_found: bool = False) -> frozenset[str]:
    """Return the ids of every quick connect associated with the queue, through every page."""
    summaries = paginate(
        client,
        "ListQueueQuickConnects",
        "QuickConnectSummaryList",
        queue.log,
        retry_not_found=retry_not_found,
        InstanceId=queue.instance_id,
        QueueId=queue.queue_id,
        MaxResults=PAGE_SIZE,
    )
    return frozenset(summary["Id"] for summary in summaries)


def _read_associations_if_queue_exists(client: ConnectClient, queue: Queue) -> frozenset[str] | None:
    """Like `_read_associations`, but None when the queue (or its instance) no longer exists."""
    try:
        return _read_associations(client, queue)
    except ConnectCallError as error:
        if error.code == RESOURCE_NOT_FOUND:
            return None
        raise


def _quick_connect_id(arn: object, queue: Queue) -> str:
    """Return the id of a quick connect ARN of the queue's instance; raise ValueError otherwise."""
    if not isinstance(arn, str) or (match := _QUICK_CONNECT_ARN.fullmatch(arn)) is None:
        raise ValueError(
            f"{arn!r} in QuickConnectArns is not an Amazon Connect quick connect ARN "
            "(arn:aws:connect:<region>:<account>:instance/<instanceId>/transfer-destination/<quickConnectId>)"
        )
    if match["instance_arn"] != queue.instance_arn:
        raise ValueError(
            f"Quick connect {arn} belongs to another instance than queue {queue.arn}: "
            "a queue can only use quick connects of its own instance"
        )
    return match["id"]


def _listed_ids(properties: Mapping[str, Any], queue: Queue) -> frozenset[str]:
    """Ids listed by earlier properties for this queue, read leniently.

    Old properties may come from a failed Update (rolled back, so possibly invalid) or from an earlier
    version of this library; rejecting them would block the rollback or the Delete, so ARNs that do not
    parse are skipped, and properties about another queue list nothing on this one.
    """
    if properties.get("QueueArn") != queue.arn:
        return frozenset()
    arns = properties.get("QuickConnectArns", [])
    ids = set()
    for arn in arns if isinstance(arns, list) else []:
        try:
            ids.add(_quick_connect_id(arn, queue))
        except ValueError:
            continue
    return frozenset(ids)


def _queue_from_physical_id(physical_id: str) -> Queue | None:
    """Return the queue of a PhysicalResourceId this handler produced, or None if it did not produce it."""
    if not physical_id.endswith(_PHYSICAL_ID_SUFFIX):
        return None
    try:
        return Queue.from_arn(physical_id.removesuffix(_PHYSICAL_ID_SUFFIX))
    except ValueError:
        return None


def _response(queue: Queue, associated_count: int) -> dict[str, Any]:
    """Build the Provider framework response; Data values are strings, as Fn::GetAtt returns them."""
    return {
        "PhysicalResourceId": queue.physical_id,
        "Data": {"QueueId": queue.queue_id, "AssociatedCount": str(associated_count)},
    }


def _log_note(event: str, details: Mapping[str, object]) -> None:
    """Print one JSON line about a decision that made no Connect call."""
    print(json.dumps({"event": event, **details}, default=str), flush=True)
