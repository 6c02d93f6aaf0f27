"""``Custom::ConnectQueueQuickConnects``: associate a list of quick connects with a queue the stack may not own.

Properties (as CloudFormation sends them): ``QueueArn`` (a queue ARN), ``QuickConnectArns`` (a list of
quick connect ARNs of the same instance, no duplicates) and ``RemovalPolicy`` (``destroy``, the default,
or ``retain``).

Ownership semantics:

- A quick connect id the resource never listed is never touched, whoever associated it (console, another
  stack, the queue's own ``QuickConnectArns``).
- A quick connect id the resource lists is managed by it. That includes an id that was already
  associated before the Create: the Create leaves it as it is, but a later Update that drops it, or the
  Delete, disassociates it.
- An Update associates every listed id that is not associated (so it also repairs out-of-band removals)
  and disassociates the ids the old properties listed and the new ones do not.
- With ``RemovalPolicy`` ``retain`` a Delete changes nothing: the associations stay on the queue.

Failure semantics: a request that fails undoes its own partial changes before raising, so the queue is
left as it was: the queue is re-read and only the differences are reverted, which also covers a batch
Connect applied in part before failing. Every request works against one deadline (`_connect.Budget`, from
the Lambda context) and keeps back the time its undo needs, so it is never killed half-way. This matters
most for a failed Create: CloudFormation does send a Delete when it rolls the Create back, but the
Provider framework answers that Delete itself (the physical id is a placeholder) and never calls this
handler, so whatever a failed Create left on the queue would stay there unowned. A failed Update is rolled
back with old and new properties swapped, which the same diff handles. The one exception: a fault that
persists on the very operation the undo needs (re-associating what was removed, or disassociating what
was added) leaves the queue half-changed whatever the order of the calls; the error then names exactly
the ids left changed (re-read after the failed undo), and the rollback or a retried Delete puts them
right once Connect answers again. A Delete of something already gone
(queue, instance, or a quick connect deleted meanwhile) succeeds.

The PhysicalResourceId is ``<QueueArn>/quick-connects``: stable across Updates of the same queue; a new
queue gives a new id, so CloudFormation then Deletes the association with the old queue.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import _response, _stack
from ._connect import (
    RESOURCE_NOT_FOUND,
    Budget,
    ConnectCallError,
    ConnectClient,
    call,
    log_note,
    pages_for,
    paginate,
)
from ._stack import StackClient

RESOURCE_TYPE = "Custom::ConnectQueueQuickConnects"
BATCH_SIZE = 50
"""Most quick connect ids Associate/DisassociateQueueQuickConnects accept per call."""
PAGE_SIZE = 100
"""Largest MaxResults ListQueueQuickConnects accepts."""
REMOVAL_POLICIES = ("destroy", "retain")
"""Values of the ``RemovalPolicy`` property (aws-cdk's ``RemovalPolicy`` values); absent means ``destroy``."""

_PHYSICAL_ID_SUFFIX = "/quick-connects"
LISTING_METADATA_KEY = "cdk-connect-quickconnect:association"
"""The resource ``Metadata`` key under which the template keeps a copy of what the resource lists
(``{"QuickConnectArns": [...]}``), so that a neighbour's Delete can ask CloudFormation for it."""
_FAILED_CREATE = "/create-failed/"
_PHYSICAL_ID = re.compile(
    r"(?P<queue_arn>.+?)/quick-connects(?:/(?P<logical_id>[A-Za-z0-9]+)(?:/create-failed/(?P<there_before>[A-Za-z0-9+-]*))?)?"
)
_MAX_PHYSICAL_ID = 1024
"""CloudFormation's limit on a physical id (1 KB)."""
_WAITING_STATUS = {"Create": "CREATE_IN_PROGRESS", "Update": "UPDATE_IN_PROGRESS"}
_INSTANCE_ARN = r"arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance/(?P<instance_id>[A-Za-z0-9-]+)"
_QUEUE_ARN = re.compile(rf"(?P<instance_arn>{_INSTANCE_ARN})/queue/(?P<queue_id>[A-Za-z0-9-]+)")
_QUICK_CONNECT_ARN = re.compile(rf"(?P<instance_arn>{_INSTANCE_ARN})/transfer-destination/(?P<id>[A-Za-z0-9-]+)")
_ASSOCIATE = "AssociateQueueQuickConnects"
_DISASSOCIATE = "DisassociateQueueQuickConnects"


class AssociationError(Exception):
    """A request failed; the message says what Connect answered, how far it got and whether it was undone.

    `physical_id`, when set, is the one the failure answers CloudFormation with (see `_create`).
    """

    def __init__(self, message: str, *, undone: bool = True, physical_id: str | None = None) -> None:
        super().__init__(message)
        self.undone = undone
        self.physical_id = physical_id


class StaleRequestError(Exception):
    """CloudFormation no longer waits for this request (a late copy Lambda delivered again): change nothing."""


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

    def physical_id(self, logical_id: str) -> str:
        """PhysicalResourceId of the association resource `logical_id` on this queue.

        Releases up to 0.1.0 gave ``<QueueArn>/quick-connects`` to every association of the queue; this one adds
        the logical id, so that the previous release's code, should a rolled-back upgrade bring it back to
        answer this resource's Delete, leaves it alone rather than remove what another resource lists.
        """
        return f"{self.arn}{_PHYSICAL_ID_SUFFIX}/{logical_id}"

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
        policy = properties.get("RemovalPolicy", "destroy")
        if policy not in REMOVAL_POLICIES:
            raise ValueError(f"RemovalPolicy must be one of {', '.join(REMOVAL_POLICIES)}, got {policy!r}")
        return cls(queue, ids)

    @property
    def ids(self) -> frozenset[str]:
        """The quick connect ids as a set."""
        return frozenset(self.quick_connect_ids)


StackOf = Callable[[], StackClient]
"""Gives the CloudFormation client of the request's own stack, created on first use."""


def handle(event: Mapping[str, Any], client: ConnectClient, budget: Budget, stack: StackOf) -> dict[str, Any]:
    """Handle one request for ``Custom::ConnectQueueQuickConnects`` within `budget`."""
    request_type = event["RequestType"]
    if request_type == "Create":
        wanted = QueueQuickConnects.from_properties(event["ResourceProperties"])
        _check_still_waited_for(event, stack(), budget)
        return _create(wanted, str(event["LogicalResourceId"]), client, budget)
    if request_type == "Update":
        return _update(event, client, budget, stack)
    if request_type == "Delete":
        return _delete(event, client, budget, stack)
    raise ValueError(f"Unsupported RequestType {request_type!r}")


def _check_still_waited_for(event: Mapping[str, Any], stack: StackClient, budget: Budget) -> None:
    """Raise StaleRequestError if CloudFormation no longer waits for this Create or Update.

    A copy Lambda delivers again after a killed run finds the resource failed, rolled back or gone. A status
    that cannot be read does not stop the request: this check guards against a rare late copy, and must not
    make every deploy depend on one more API.
    """
    try:
        status = _stack.status_of(stack, str(event["StackId"]), str(event["LogicalResourceId"]), budget)
    except ConnectCallError as error:
        log_note("stack_status_unknown", {"error": str(error)})
        return
    expected = _WAITING_STATUS[str(event["RequestType"])]
    if status != expected:
        raise StaleRequestError(
            f"{event['RequestType']} of {event['LogicalResourceId']} is no longer awaited: the resource is "
            f"{status or 'no longer in the stack'}, not {expected}"
        )


def _create(
    wanted: QueueQuickConnects, logical_id: str, client: ConnectClient, budget: Budget, *, in_update: bool = False
) -> dict[str, Any]:
    """Associate the listed ids that are not associated yet; touch nothing else.

    A failed Create whose undo failed too answers with a physical id naming the listed ids that were on the
    queue before it (`_failed_create_id`): CloudFormation's rollback sends that id a Delete, which removes the
    rest, with a whole new invocation's time. Otherwise a failed Create owns nothing. An Update moving to a new
    queue (`in_update`) keeps its own physical id when it fails: CloudFormation rolls an Update back with an
    Update, not a Delete.
    """
    current = _read_before_change(client, wanted.queue, budget, retry_not_found=True)
    failed_id = None if in_update else _failed_create_id(wanted.queue, logical_id, wanted.ids & current)
    _response.FailureId.learn(failed_id)  # should the run be killed, the watchdog answers with it
    try:
        _Change(client, wanted.queue, budget, current, to_add=wanted.ids - current, to_remove=frozenset()).run()
    except AssociationError as error:
        if error.undone:
            raise
        raise AssociationError(str(error), undone=False, physical_id=failed_id) from error
    finally:
        _response.FailureId.forget()
    return _answer(wanted.queue.physical_id(logical_id), wanted.queue, len(wanted.quick_connect_ids))


def _failed_create_id(queue: Queue, logical_id: str, there_before: frozenset[str]) -> str | None:
    """``<queue>/quick-connects/<logical id>/create-failed/<ids there before, '+'-joined>``, if it fits 1 KB."""
    physical_id = f"{queue.physical_id(logical_id)}{_FAILED_CREATE}{'+'.join(sorted(there_before))}"
    return physical_id if len(physical_id) <= _MAX_PHYSICAL_ID else None


def _update(event: Mapping[str, Any], client: ConnectClient, budget: Budget, stack: StackOf) -> dict[str, Any]:
    """Apply the diff between old and new properties; a new queue is a Create there (new physical id)."""
    wanted = QueueQuickConnects.from_properties(event["ResourceProperties"])
    _check_still_waited_for(event, stack(), budget)
    physical_id = str(event.get("PhysicalResourceId", ""))
    on_queue = _queue_from_physical_id(physical_id)
    if on_queue is None or on_queue.arn != wanted.queue.arn:
        return _create(wanted, str(event["LogicalResourceId"]), client, budget, in_update=True)
    previous = _listed_ids(event.get("OldResourceProperties", {}), wanted.queue)
    current = _read_before_change(client, wanted.queue, budget, retry_not_found=True)
    _Change(
        client,
        wanted.queue,
        budget,
        current,
        to_add=wanted.ids - current,
        to_remove=(previous - wanted.ids) & current,
    ).run()
    return _answer(physical_id, wanted.queue, len(wanted.quick_connect_ids))


def _delete(event: Mapping[str, Any], client: ConnectClient, budget: Budget, stack: StackOf) -> dict[str, Any]:
    """Disassociate the listed ids still associated that no other resource of the stack lists on the queue now.

    Anything already gone counts as done.
    """
    physical_id = str(event.get("PhysicalResourceId", ""))
    queue = _queue_from_physical_id(physical_id)
    if queue is None:
        # Not an id this handler returned (e.g. the placeholder of a failed Create): nothing was made.
        log_note("delete_skipped", {"physical_id": physical_id, "reason": "not created by this handler"})
        return {"PhysicalResourceId": physical_id, "Data": {}}
    properties = event.get("ResourceProperties", {})
    if str(properties.get("RemovalPolicy", "")).lower() == "retain":
        log_note("delete_skipped", {**queue.log, "reason": "RemovalPolicy retain: associations kept"})
        return _answer(physical_id, queue, 0)
    try:
        current = _read_associations_if_queue_exists(client, queue, budget)
        if current is None:
            log_note("delete_skipped", {**queue.log, "reason": "queue or instance no longer exists"})
            return _answer(physical_id, queue, 0)
        kept = _listed_by_neighbours(event, queue, physical_id, stack(), budget)
    except ConnectCallError as error:
        raise AssociationError(
            f"Reading the quick connects of queue {queue.arn} and who lists them failed: {error}. Nothing was changed"
        ) from error
    listed = _listed_ids(properties, queue) - _there_before_a_failed_create(physical_id)
    if listed & kept:
        log_note("delete_keeps", {**queue.log, "listed_by_another_resource": sorted(listed & kept)})
    _Change(client, queue, budget, current, to_add=frozenset(), to_remove=(listed - kept) & current).run()
    return _answer(physical_id, queue, 0)


def _there_before_a_failed_create(physical_id: str) -> frozenset[str]:
    """The listed ids a failed Create found on the queue (its physical id names them); none for other ids."""
    match = _PHYSICAL_ID.fullmatch(physical_id)
    there_before = match["there_before"] if match else None
    return frozenset(there_before.split("+")) - {""} if there_before is not None else frozenset()


def _listed_by_neighbours(
    event: Mapping[str, Any], queue: Queue, physical_id: str, stack: StackClient, budget: Budget
) -> frozenset[str]:
    """Ids the stack's other live association resources on `queue` list now (this logical id's replacement too).

    A renamed or moved construct is a new logical id, created before the old one is deleted; a rollback deletes
    the new one while the old one lives on. Each lists its quick connects in its ``Metadata``, as CloudFormation
    resolved it. A neighbour whose Metadata has no such list (a resource of release 0.1.0, which did not write
    one) may list any of them: every id the deleted resource lists is kept.
    """
    stack_id = str(event["StackId"])
    own = (str(event["LogicalResourceId"]), physical_id)
    kept: set[str] = set()
    for resource in _stack.resources_of_type(stack, stack_id, RESOURCE_TYPE, budget):
        neighbour_queue = _queue_from_physical_id(resource.physical_id)
        if (resource.logical_id, resource.physical_id) == own or resource.status in _stack.GONE_STATUSES:
            continue
        if neighbour_queue is None or neighbour_queue.arn != queue.arn:
            continue
        listing = _stack.metadata_of(stack, stack_id, resource.logical_id, budget).get(LISTING_METADATA_KEY)
        arns = listing.get("QuickConnectArns") if isinstance(listing, Mapping) else None
        if not isinstance(arns, list):
            log_note("delete_keeps_all", {**queue.log, "neighbour": resource.logical_id, "reason": "no listing"})
            return _listed_ids(event.get("ResourceProperties", {}), queue)
        kept |= _listed_ids({"QueueArn": queue.arn, "QuickConnectArns": arns}, queue)
    return frozenset(kept)


def _read_before_change(
    client: ConnectClient, queue: Queue, budget: Budget, *, retry_not_found: bool
) -> frozenset[str]:
    """Read the queue before changing it; a failure here has changed nothing."""
    try:
        return _read_associations(client, queue, budget, retry_not_found=retry_not_found)
    except ConnectCallError as error:
        raise AssociationError(
            f"Reading the quick connects of queue {queue.arn} failed: {error}. Nothing was changed"
        ) from error


class _Change:
    """Disassociate `to_remove`, then associate `to_add`, in batches; on failure undo, then raise.

    Every id in `to_add` was absent and every id in `to_remove` present when the request read the queue.
    While it runs, the budget keeps back the time the undo needs: a re-read of the queue and one call per
    batch started so far, at what a call costs now. The undo then has all the time left.
    """

    def __init__(
        self,
        client: ConnectClient,
        queue: Queue,
        budget: Budget,
        current: frozenset[str],
        *,
        to_add: frozenset[str],
        to_remove: frozenset[str],
    ) -> None:
        self.client = client
        self.queue = queue
        self.budget = budget
        self.to_add = to_add
        self.to_remove = to_remove
        self.removed = 0
        self.added = 0
        self.batches_started = 0
        self.undo_pages = pages_for(len(current) + len(to_add), PAGE_SIZE)
        self.undone = False
        """Whether a failed request left the queue as it was before it."""

    def run(self) -> None:
        try:
            with self.budget.changing():
                self._change()
        except ConnectCallError as error:
            outcome = self._undo()
            raise AssociationError(
                f"Changing the quick connects of queue {self.queue.arn} failed: {error}. {self._progress()} {outcome}",
                undone=self.undone,
            ) from error

    def _change(self) -> None:
        _disassociate_present(
            self.client,
            self.queue,
            self.budget,
            self.to_remove,
            self.to_remove,
            on_batch=self._starting_batch,
            on_done=self._removed_batch,
        )
        for batch in _batches(self.to_add):
            self._starting_batch()
            _apply(self.client, _ASSOCIATE, self.queue, self.budget, batch, self._batch_log(batch))
            self.added += len(batch)

    def _starting_batch(self) -> None:
        self.batches_started += 1
        self.budget.keep_for_undo(self.undo_pages + self.batches_started)

    def _removed_batch(self, count: int) -> None:
        self.removed += count

    def _batch_log(self, batch: list[str]) -> dict[str, object]:
        return {**self.queue.log, "batch": self.batches_started, "quick_connect_count": len(batch)}

    def _progress(self) -> str:
        return (
            f"It had disassociated {self.removed} of {len(self.to_remove)} and associated {self.added} of "
            f"{len(self.to_add)} quick connects when it stopped."
        )

    def _undo(self) -> str:
        """Put back the state from before the request; return a sentence saying how it went.

        The queue is re-read and only the differences are reverted: that also covers a batch Connect
        applied in part, or applied and then answered an error. The undo is attempted, and retried, with
        all the time left: nothing is kept back from it.
        """
        try:
            current = _read_associations_if_queue_exists(self.client, self.queue, self.budget)
            if current is None:
                self.undone = True
                return "The queue no longer exists: nothing to undo."
            added_here = self.to_add & current
            _disassociate_present(self.client, self.queue, self.budget, added_here, added_here)
            for batch in _batches(self.to_remove - current):
                _apply(self.client, _ASSOCIATE, self.queue, self.budget, batch, {**self.queue.log, "undo": True})
        except ConnectCallError as undo_error:
            return self._undo_failed(undo_error)
        self.undone = True
        return "Its partial changes were undone: the queue is as it was before the request."

    def _undo_failed(self, undo_error: ConnectCallError) -> str:
        """Re-read the queue after a failed undo; return a sentence naming every id it left changed.

        Best effort, with whatever time is left: when that read fails too, or finds no time, the sentence
        names every id that may differ.
        """
        try:
            now = _read_associations_if_queue_exists(self.client, self.queue, self.budget)
        except ConnectCallError as read_error:
            log_note("undo_failed", {**self.queue.log, "error": str(undo_error), "reread_error": str(read_error)})
            return (
                f"Undoing this request's partial changes also failed ({undo_error}), and so did re-reading the "
                f"queue ({read_error}): the queue may be half-changed. Only these quick connects may differ from "
                f"before the request, no other: {_id_list(self.to_add | self.to_remove)}. {_HALF_CHANGED_ADVICE}"
            )
        if now is None:
            return f"Undoing this request's partial changes failed ({undo_error}), and the queue no longer exists."
        still_added, not_restored = self.to_add & now, self.to_remove - now
        log_note(
            "undo_failed",
            {
                **self.queue.log,
                "error": str(undo_error),
                "added_not_removed_again": sorted(still_added),
                "removed_not_put_back": sorted(not_restored),
            },
        )
        if not still_added and not not_restored:
            self.undone = True
            return (
                f"A call of the undo failed ({undo_error}), but Connect had applied it: re-read, the queue is "
                "as it was before the request."
            )
        return (
            f"Undoing this request's partial changes also failed ({undo_error}), so the queue is half-changed. "
            f"Quick connects added and not removed again: {_id_list(still_added)}; removed and not put back: "
            f"{_id_list(not_restored)}; no other association was changed. {_HALF_CHANGED_ADVICE}"
        )


_HALF_CHANGED_ADVICE = (
    "CloudFormation's rollback (the Update or Delete it sends back), or a retried Delete, puts them right once "
    "Connect accepts the calls again."
)
_LISTED_IDS = 40
"""Most ids a message lists; the log line of a failed undo lists them all."""


def _id_list(ids: frozenset[str]) -> str:
    """`ids` sorted in brackets (``[]`` when empty), the first `_LISTED_IDS` of them."""
    ordered = sorted(ids)
    more = f", and {len(ordered) - _LISTED_IDS} more (the log's undo_failed line lists them all)"
    return f"[{', '.join(ordered[:_LISTED_IDS])}{more if len(ordered) > _LISTED_IDS else ''}]"


def _disassociate_present(
    client: ConnectClient,
    queue: Queue,
    budget: Budget,
    ids: frozenset[str],
    present: frozenset[str],
    *,
    on_batch: Callable[[], None] | None = None,
    on_done: Callable[[int], None] | None = None,
) -> None:
    """Disassociate the ids of `ids` that are in `present`; `on_batch` runs before and `on_done` after each call.

    An id or queue deleted meanwhile counts as done: a batch naming one deleted quick connect fails whole
    with ResourceNotFoundException; Connect drops a deleted quick connect from its queues, so re-reading the
    queue and carrying on with what is still there is enough.
    """
    remaining = ids & present
    reread = False
    while remaining:
        batch = _batches(remaining)[0]
        if on_batch is not None:
            on_batch()
        try:
            _apply(client, _DISASSOCIATE, queue, budget, batch, {**queue.log, "quick_connect_count": len(batch)})
        except ConnectCallError as error:
            if error.code != RESOURCE_NOT_FOUND or reread:
                raise
            reread = True
            now = _read_associations_if_queue_exists(client, queue, budget)
            remaining = frozenset() if now is None else remaining & now
            continue
        if on_done is not None:
            on_done(len(batch))
        remaining = remaining - frozenset(batch)


def _batches(ids: frozenset[str]) -> list[list[str]]:
    """`ids` sorted, in batches of at most BATCH_SIZE."""
    ordered = sorted(ids)
    return [ordered[start : start + BATCH_SIZE] for start in range(0, len(ordered), BATCH_SIZE)]


def _apply(
    client: ConnectClient, operation: str, queue: Queue, budget: Budget, batch: list[str], log: Mapping[str, object]
) -> None:
    """One Associate or Disassociate call for `batch`."""
    call(
        client,
        operation,
        log,
        budget,
        # A quick connect created in the same deployment may be unknown to Connect for a few seconds.
        retry_not_found=operation == _ASSOCIATE,
        resource=queue.arn,
        InstanceId=queue.instance_id,
        QueueId=queue.queue_id,
        QuickConnectIds=batch,
    )


def _read_associations(
    client: ConnectClient, queue: Queue, budget: Budget, *, retry_not_found: bool = False
) -> frozenset[str]:
    """Return the ids of every quick connect associated with the queue, through every page."""
    summaries = paginate(
        client,
        "ListQueueQuickConnects",
        "QuickConnectSummaryList",
        queue.log,
        budget,
        retry_not_found=retry_not_found,
        resource=queue.arn,
        InstanceId=queue.instance_id,
        QueueId=queue.queue_id,
        MaxResults=PAGE_SIZE,
    )
    return frozenset(summary["Id"] for summary in summaries)


def _read_associations_if_queue_exists(client: ConnectClient, queue: Queue, budget: Budget) -> frozenset[str] | None:
    """Like `_read_associations`, but None when the queue (or its instance) no longer exists."""
    try:
        return _read_associations(client, queue, budget)
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
    """The queue of a PhysicalResourceId this handler produced (either format), or None if it did not produce it."""
    match = _PHYSICAL_ID.fullmatch(physical_id)
    if match is None:
        return None
    try:
        return Queue.from_arn(match["queue_arn"])
    except ValueError:
        return None


def _answer(physical_id: str, queue: Queue, associated_count: int) -> dict[str, Any]:
    """The request's answer; Data values are strings, as Fn::GetAtt returns them."""
    return {
        "PhysicalResourceId": physical_id,
        "Data": {"QueueId": queue.queue_id, "AssociatedCount": str(associated_count)},
    }
