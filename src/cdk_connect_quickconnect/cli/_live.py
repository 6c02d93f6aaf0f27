"""Read one Amazon Connect instance with boto3, read-only, into an `InstanceSnapshot`.

Every list is paged to the end with the largest page the API allows, throttling and server errors are
retried with full-jitter exponential backoff (`RetryPolicy`, whose sleep is injectable), and every failure
that ends the read becomes a `LiveReadError` whose one-line message says what to do: the IAM action that
was denied, the instance that does not exist, the call that stayed throttled.

Calls made for an instance of Q standard queues, C quick connects, F flows, R routing profiles and, with
``agents``, U users (a list of n items costs ``ceil(max(n, 1) / page)`` calls, written ⌈n/page⌉ below):

    ⌈Q/1000⌉ + ⌈C/1000⌉ + ⌈F/1000⌉ + ⌈R/1000⌉       the four instance-wide lists
    + Σ over queues ⌈associated/100⌉                  ListQueueQuickConnects
    + C                                               DescribeQuickConnect (only those on the chosen queues
                                                      when `queue_names` is given)
    + Σ over routing profiles ⌈queues/100⌉            ListRoutingProfileQueues
    + ⌈U/500⌉ with agents or any USER quick connect   SearchUsers (one call returns 500 users with
                                                      their routing profiles; DescribeUser would cost U)

that is ``4 + Q + C + R`` (+ 1 for users) for an instance under a thousand of each (500 users) and under a
hundred quick connects per queue and queues per profile. `expected_api_calls` computes it exactly.
"""

from __future__ import annotations

import math
import random
import re
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TextIO, TypeAlias

from .._handlers._connect import collect_pages, snake_case
from ._errors import CliError

ConnectClient: TypeAlias = Any
"""A boto3 ``connect`` client. boto3 ships no type information, so this is the one place it is ``Any``."""

INSTANCE_ARN_PATTERN = re.compile(r"^arn:aws[a-z-]*:connect:([a-z0-9-]+):(\d{12}):instance/([0-9a-fA-F-]{1,100})$")
"""An instance ARN: partition, ``connect``, Region, account, ``instance/<id>``."""

LIST_PAGE = 1000
"""MaxResults of ListQueues, ListQuickConnects, ListContactFlows, ListRoutingProfiles (the model's maximum)."""
ASSOCIATION_PAGE = 100
"""MaxResults of ListQueueQuickConnects and ListRoutingProfileQueues (the model's maximum)."""
USER_SEARCH_PAGE = 500
"""MaxResults of SearchUsers (the model's maximum)."""
INSTANCE_PAGE = 10
"""MaxResults of ListInstances (the model's maximum)."""

#: Every Connect action the live reader may call, for the README's IAM policy and the tests.
READ_ACTIONS = (
    "connect:ListQueues",
    "connect:ListQuickConnects",
    "connect:ListContactFlows",
    "connect:ListRoutingProfiles",
    "connect:ListQueueQuickConnects",
    "connect:DescribeQuickConnect",
    "connect:ListRoutingProfileQueues",
    "connect:SearchUsers",
    "connect:ListInstances",
)

_RETRIED = frozenset({"ThrottlingException", "TooManyRequestsException", "InternalServiceException"})
_DENIED = frozenset({"AccessDeniedException", "AccessDenied", "UnauthorizedOperation"})
_BAD_CREDENTIALS = frozenset(
    {"UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException", "ExpiredToken"}
)


# ---- what is read ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveQuickConnect:
    """A quick connect as DescribeQuickConnect answers it; the fields of other kinds are None."""

    id: str
    arn: str
    name: str
    description: str | None
    quick_connect_type: str
    """``USER``, ``QUEUE``, ``PHONE_NUMBER`` or ``FLOW``."""
    user_id: str | None = None
    queue_id: str | None = None
    phone_number: str | None = None
    contact_flow_id: str | None = None
    """The transfer flow of a USER or QUEUE quick connect, the flow of a FLOW one."""


@dataclass(frozen=True)
class LiveQueue:
    """A standard queue and the ids of the quick connects associated with it."""

    id: str
    arn: str
    name: str
    queue_type: str
    quick_connect_ids: tuple[str, ...]


@dataclass(frozen=True)
class LiveContactFlow:
    """A flow's identity and type (``AGENT_TRANSFER``, ``QUEUE_TRANSFER``, ...)."""

    id: str
    arn: str
    name: str
    contact_flow_type: str


@dataclass(frozen=True)
class LiveUser:
    """An agent and the routing profile that decides which queues (so which quick connects) they see."""

    id: str
    arn: str
    username: str
    routing_profile_id: str | None


@dataclass(frozen=True)
class LiveRoutingProfile:
    """A routing profile and the ids of its queues."""

    id: str
    arn: str
    name: str
    queue_ids: tuple[str, ...]


@dataclass(frozen=True)
class InstanceSnapshot:
    """What `read_instance` saw on one instance; every collection is keyed by resource id."""

    instance_id: str
    instance_arn: str
    alias: str | None
    queues: dict[str, LiveQueue]
    quick_connects: dict[str, LiveQuickConnect]
    contact_flows: dict[str, LiveContactFlow]
    users: dict[str, LiveUser]
    routing_profiles: dict[str, LiveRoutingProfile]
    agents_read: bool = False
    """Whether every user was read (``agents=True``); when False, `users` holds only USER quick connects' targets."""
    api_calls: int = 0
    """Requests that succeeded (retries of throttled requests not counted)."""

    def queue_named(self, name: str) -> LiveQueue | None:
        """The queue called `name`, or None."""
        return next((queue for queue in self.queues.values() if queue.name == name), None)

    def quick_connect_named(self, name: str) -> LiveQuickConnect | None:
        """The quick connect called `name` (names are unique on an instance), or None."""
        return next((qc for qc in self.quick_connects.values() if qc.name == name), None)


class LiveReadError(CliError):
    """Reading the instance failed; the message is one line a user can act on."""


# ---- retries and progress -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    """Full-jitter exponential backoff for throttling and server errors, bounded by an attempt count.

    The worst case with the defaults sleeps at most 0.5 + 1 + 2 + 4 + 8 + 10 + 10 = 35.5 s for one call.
    """

    base_seconds: float = 0.5
    cap_seconds: float = 10.0
    max_attempts: int = 8
    sleep: Callable[[float], None] = time.sleep
    random: Callable[[], float] = random.random

    def delay_before(self, attempt: int) -> float:
        """Seconds to wait before `attempt` (2, 3, ...): uniform in [0, min(cap, base * 2 ** (attempt - 2))]."""
        return self.random() * min(self.cap_seconds, self.base_seconds * 2.0 ** (attempt - 2))


DEFAULT_RETRY = RetryPolicy()
"""The policy used when a caller gives none; tests replace it so nothing sleeps."""


class Progress(Protocol):
    """Told how many detail reads are coming, then of each one as it is done."""

    def begin(self, total: int) -> None:
        """`total` reads are coming."""

    def advance(self) -> None:
        """One more read is done."""

    def end(self) -> None:
        """All done: clear the display."""


class SilentProgress:
    """Shows nothing: for pipes, files and tests."""

    def begin(self, total: int) -> None:
        """Ignore the total."""

    def advance(self) -> None:
        """Ignore the step."""

    def end(self) -> None:
        """Nothing to clear."""


@dataclass
class BarProgress:
    """A one-line bar redrawn in place on `stream`: ``Reading instance [#####.....] 120/240``."""

    stream: TextIO
    width: int = 30
    total: int = 0
    done: int = 0

    def begin(self, total: int) -> None:
        """Start a bar of `total` steps."""
        self.total, self.done = total, 0
        self._draw()

    def advance(self) -> None:
        """Draw one more step."""
        self.done += 1
        self._draw()

    def end(self) -> None:
        """Erase the bar so the terminal is left clean."""
        self.stream.write("\r" + " " * (self.width + 40) + "\r")
        self.stream.flush()

    def _draw(self) -> None:
        filled = self.width * self.done // max(self.total, 1)
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\rReading instance [{bar}] {self.done}/{self.total}")
        self.stream.flush()


def progress_for(stream: TextIO) -> Progress:
    """A bar on `stream` when it is a terminal, nothing otherwise (so logs and pipes stay clean)."""
    isatty = getattr(stream, "isatty", None)
    return BarProgress(stream) if isatty is not None and isatty() else SilentProgress()


# ---- the reader -----------------------------------------------------------------------------------------------


@dataclass
class _Reader:
    """Calls one instance's read operations, retrying what is transient and translating what is not."""

    client: ConnectClient
    instance_id: str
    retry: RetryPolicy
    target: str = ""
    """What the calls are about, for messages: ``instance <id>`` or ``the account's instances``."""
    calls: int = 0

    def __post_init__(self) -> None:
        self.target = self.target or f"instance {self.instance_id}"

    def call(self, operation: str, *, missing_ok: bool = False, **params: Any) -> dict[str, Any] | None:
        """Call `operation`; None when `missing_ok` and the resource is gone (deleted while reading)."""
        from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
        from botocore.exceptions import ConnectionError as TransportError

        method = getattr(self.client, snake_case(operation))
        attempt = 1
        while True:
            try:
                response: dict[str, Any] = method(**params)
            except ClientError as error:
                code, message, status = _error_details(error)
                if code == "ResourceNotFoundException" and missing_ok:
                    return None
                retryable = code in _RETRIED or status >= 500
                if not retryable or attempt >= self.retry.max_attempts:
                    raise LiveReadError(self._explain(operation, code, message, attempt)) from error
            except (TransportError, HTTPClientError) as error:
                if attempt >= self.retry.max_attempts:
                    raise LiveReadError(f"cannot reach Amazon Connect for {operation}: {_one_line(error)}") from error
            except BotoCoreError as error:
                raise LiveReadError(explain_botocore_error(error)) from error
            else:
                self.calls += 1
                return response
            attempt += 1
            self.retry.sleep(self.retry.delay_before(attempt))

    def pages(self, operation: str, items_key: str, *, missing_ok: bool = False, **params: Any) -> list[Any] | None:
        """Every item of a paginated `operation`, following ``NextToken`` to the end."""
        return collect_pages(
            operation,
            items_key,
            lambda page_params, _page: self.call(operation, missing_ok=missing_ok, **page_params),
            params,
        )

    def _explain(self, operation: str, code: str, message: str, attempts: int) -> str:
        if code in _DENIED:
            return (
                f"missing permission connect:{operation} on {self.target} "
                f"(Connect answered {code}: {_one_line(message)})"
            )
        if code == "ResourceNotFoundException":
            where = "is not in this account and Region"
            return f"instance {self.instance_id} does not exist or {where} ({_one_line(message)})"
        if code in _BAD_CREDENTIALS:
            return f"AWS rejected the credentials ({code}: {_one_line(message)}); check your profile or session"
        if code in _RETRIED or attempts > 1:
            return f"connect:{operation} still failing with {code} after {attempts} attempts; try again later"
        return f"connect:{operation} failed: {code}: {_one_line(message)}"


def read_instance(
    client: ConnectClient,
    instance_arn: str,
    *,
    queue_names: Sequence[str] | None = None,
    agents: bool = False,
    progress: Progress | None = None,
    alias: str | None = None,
    retry: RetryPolicy | None = None,
    routing_profiles: bool = True,
) -> InstanceSnapshot:
    """Read `instance_arn`'s standard queues, quick connects, flows, routing profiles and users.

    `routing_profiles=False` skips routing profiles (``ListRoutingProfiles`` and one
    ``ListRoutingProfileQueues`` a profile), for callers that do not draw who sees what, such as ``adopt``.

    `users` holds every user with `agents`, otherwise only the users USER quick connects transfer to.
    `queue_names` limits the queues (and the quick connects described) to those named; a name the instance
    does not have is an error. `progress` is told of each per-resource read (default: silent). `alias` is
    only carried into the snapshot. Raises `LiveReadError`.
    """
    instance_id = _parse_instance_arn(instance_arn)[2]
    reader = _Reader(client, instance_id, retry or DEFAULT_RETRY)
    progress = progress or SilentProgress()
    queue_summaries = _listed(reader, "ListQueues", "QueueSummaryList", LIST_PAGE, QueueTypes=["STANDARD"])
    queue_summaries = _chosen_queues(queue_summaries, queue_names, instance_id)
    quick_connect_summaries = _listed(reader, "ListQuickConnects", "QuickConnectSummaryList", LIST_PAGE)
    flow_summaries = _listed(reader, "ListContactFlows", "ContactFlowSummaryList", LIST_PAGE)
    profile_summaries = (
        _listed(reader, "ListRoutingProfiles", "RoutingProfileSummaryList", LIST_PAGE) if routing_profiles else []
    )

    progress.begin(len(queue_summaries) + len(quick_connect_summaries) + len(profile_summaries))
    try:
        queues = _read_queues(reader, queue_summaries, progress)
        on_queues = {qc_id for queue in queues.values() for qc_id in queue.quick_connect_ids}
        wanted = None if queue_names is None else on_queues
        quick_connects = _read_quick_connects(reader, quick_connect_summaries, wanted, progress)
        profiles = _read_routing_profiles(reader, profile_summaries, progress)
    finally:
        progress.end()
    targeted = {qc.user_id for qc in quick_connects.values() if qc.user_id is not None}
    users = _read_users(reader) if agents or targeted else {}
    if not agents:
        users = {user_id: user for user_id, user in users.items() if user_id in targeted}
    return InstanceSnapshot(
        instance_id=instance_id,
        instance_arn=instance_arn,
        alias=alias,
        queues=queues,
        quick_connects=quick_connects,
        contact_flows={flow["Id"]: _contact_flow(flow) for flow in flow_summaries},
        users=users,
        routing_profiles=profiles,
        agents_read=agents,
        api_calls=reader.calls,
    )


def resolve_instance_arn(
    client: ConnectClient | None,
    *,
    instance_arn: str | None = None,
    alias: str | None = None,
    retry: RetryPolicy | None = None,
) -> str:
    """The instance ARN: `instance_arn` checked for shape, or the ARN of the instance called `alias`.

    The alias is looked up in the client's Region. Exactly one of `instance_arn` and `alias` must be given;
    `client` is only used for an alias. Raises `LiveReadError`.
    """
    if (instance_arn is None) == (alias is None):
        raise LiveReadError("give exactly one of --instance-arn and --instance-alias")
    if instance_arn is not None:
        _parse_instance_arn(instance_arn)
        return instance_arn
    reader = _Reader(client, "", retry or DEFAULT_RETRY, target="the account's instances")
    instances = reader.pages("ListInstances", "InstanceSummaryList", MaxResults=INSTANCE_PAGE) or []
    for summary in instances:
        if summary.get("InstanceAlias") == alias:
            return str(summary["Arn"])
    region = getattr(getattr(client, "meta", None), "region_name", None) or "this Region"
    known = ", ".join(sorted(str(summary.get("InstanceAlias")) for summary in instances)) or "none"
    raise LiveReadError(f"no Amazon Connect instance with alias {alias!r} in {region} (instances there: {known})")


# ---- finding by name (``pin``) --------------------------------------------------------------------------


@dataclass(frozen=True)
class Named:
    """A resource found by name: its ARN, id and name as Connect answers them."""

    arn: str
    id: str
    name: str


@dataclass(frozen=True)
class _NameSearch:
    """How one kind is found by exact name (the deploy-time lookup's own call) and listed whole."""

    search: str
    search_items: str
    search_page: int
    search_field: str | None
    """The ``StringCondition`` field of a Search API; None when the list is searched (flows, instances)."""
    listing: str
    list_items: str
    list_page: int
    name_key: str
    arn_key: str
    id_key: str


_NAME_SEARCHES = {
    "queue": _NameSearch(
        "SearchQueues", "Queues", 500, "name", "ListQueues", "QueueSummaryList", LIST_PAGE, "Name", "QueueArn",
        "QueueId",
    ),
    "user": _NameSearch(
        "SearchUsers", "Users", USER_SEARCH_PAGE, "Username", "ListUsers", "UserSummaryList", LIST_PAGE, "Username",
        "Arn", "Id",
    ),
    "contact-flow": _NameSearch(
        "ListContactFlows", "ContactFlowSummaryList", LIST_PAGE, None, "ListContactFlows", "ContactFlowSummaryList",
        LIST_PAGE, "Name", "Arn", "Id",
    ),
    "instance": _NameSearch(
        "ListInstances", "InstanceSummaryList", INSTANCE_PAGE, None, "ListInstances", "InstanceSummaryList",
        INSTANCE_PAGE, "InstanceAlias", "Arn", "Id",
    ),
}  # fmt: skip
"""Per kind of lookup: the calls of ``_handlers.lookup`` (exact, case-sensitive), and the list ``--check`` reads."""

#: Every Connect action ``pin`` may call.
PIN_ACTIONS = tuple(
    sorted(
        {f"connect:{operation}" for search in _NAME_SEARCHES.values() for operation in (search.search, search.listing)}
    )
)


def find_by_name(
    client: ConnectClient,
    kind: str,
    name: str,
    *,
    instance_id: str | None = None,
    flow_type: str | None = None,
    retry: RetryPolicy | None = None,
) -> list[Named]:
    """Every ``kind`` (``queue``, ``user``, ``contact-flow``, ``instance``) called exactly `name`, case-sensitively.

    The calls the deploy-time lookup makes (SearchQueues / SearchUsers with an ``EXACT`` condition,
    ListContactFlows of `flow_type`, ListInstances in the client's Region), every page, throttling retried.
    Raises `LiveReadError`.
    """
    search = _NAME_SEARCHES[kind]
    params: dict[str, Any] = {"MaxResults": search.search_page}
    if search.search_field is not None:
        condition = {"FieldName": search.search_field, "Value": name, "ComparisonType": "EXACT"}
        params["SearchCriteria"] = {"StringCondition": condition}
    items = _kind_pages(client, kind, search.search, search.search_items, instance_id, flow_type, retry, params)
    return [found for found in _named(items, search) if found.name == name]


def list_of_kind(
    client: ConnectClient,
    kind: str,
    *,
    instance_id: str | None = None,
    flow_type: str | None = None,
    retry: RetryPolicy | None = None,
) -> list[Named]:
    """Every ``kind`` of the instance (standard queues; flows of `flow_type`; the Region's instances), every page."""
    search = _NAME_SEARCHES[kind]
    params: dict[str, Any] = {"MaxResults": search.list_page}
    if kind == "queue":
        params["QueueTypes"] = ["STANDARD"]
    items = _kind_pages(client, kind, search.listing, search.list_items, instance_id, flow_type, retry, params)
    return _named(items, search)


def _kind_pages(
    client: ConnectClient,
    kind: str,
    operation: str,
    items_key: str,
    instance_id: str | None,
    flow_type: str | None,
    retry: RetryPolicy | None,
    params: dict[str, Any],
) -> list[dict[str, Any]]:
    if kind == "instance":
        reader = _Reader(client, "", retry or DEFAULT_RETRY, target="the account's instances")
    else:
        assert instance_id is not None, f"a {kind} is searched in an instance"
        reader = _Reader(client, instance_id, retry or DEFAULT_RETRY)
        params["InstanceId"] = instance_id
    if kind == "contact-flow":
        params["ContactFlowTypes"] = [flow_type]
    items = reader.pages(operation, items_key, **params) or []
    if kind == "contact-flow":  # the type filter is the service's; a summary of another type is dropped all the same
        items = [item for item in items if item.get("ContactFlowType", flow_type) == flow_type]
    return items


def _named(items: Iterable[Mapping[str, Any]], search: _NameSearch) -> list[Named]:
    """The items as `Named`; a search answers ``QueueArn`` / ``QueueId`` where the lists answer ``Arn`` / ``Id``."""
    named = []
    for item in items:
        arn = str(item.get(search.arn_key) or item["Arn"])
        resource_id = str(item.get(search.id_key) or item.get("Id") or arn.rsplit("/", 1)[-1])
        named.append(Named(arn, resource_id, str(item.get(search.name_key) or "")))
    return named


def region_of(instance_arn: str) -> str:
    """The Region of an instance ARN. Raises `LiveReadError` for anything that is not one."""
    return _parse_instance_arn(instance_arn)[0]


def make_client(*, region: str | None = None, profile: str | None = None) -> ConnectClient:
    """A boto3 ``connect`` client whose own retries are off: `RetryPolicy` retries, with a sleep tests can replace."""
    try:
        import boto3
        from botocore.config import Config
        from botocore.exceptions import BotoCoreError
    except ImportError as error:  # pragma: no cover - boto3 is a dependency; this guards a broken environment
        raise LiveReadError("reading a live instance needs boto3: pip install boto3") from error
    try:
        session = boto3.Session(profile_name=profile, region_name=region)
        config = Config(
            retries={"mode": "standard", "total_max_attempts": 1}, user_agent_extra="cdk-connect-quickconnect"
        )
        return session.client("connect", config=config)
    except BotoCoreError as error:
        raise LiveReadError(explain_botocore_error(error)) from error


#: How to give the command line credentials, for every message about missing ones.
CREDENTIALS_HINT = (
    "give them with --profile NAME or AWS_PROFILE (a profile of ~/.aws/config; run 'aws sso login --profile NAME' "
    "for an SSO profile), or with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN)"
)


def explain_botocore_error(error: Exception) -> str:
    """One line for a failure of botocore itself (no request answered), with what to do when it is the set-up's."""
    from botocore.exceptions import NoCredentialsError, NoRegionError, PartialCredentialsError, ProfileNotFound

    if isinstance(error, NoCredentialsError):
        return f"no AWS credentials found: {CREDENTIALS_HINT}"
    if isinstance(error, PartialCredentialsError):
        return f"incomplete AWS credentials ({_one_line(error)}): {CREDENTIALS_HINT}"
    if isinstance(error, ProfileNotFound):
        return f"{_one_line(error)}: check --profile or AWS_PROFILE ('aws configure list-profiles' lists them)"
    if isinstance(error, NoRegionError):
        return "no AWS Region: give --region or set AWS_REGION (an --instance-arn gives its own Region)"
    return _one_line(error)


def expected_api_calls(
    *,
    associations_per_queue: Iterable[int],
    quick_connects_described: int,
    queues_per_routing_profile: Iterable[int],
    quick_connects: int,
    contact_flows: int,
    users: int | None = None,
) -> int:
    """The number of successful calls `read_instance` makes, by the formula in this module's docstring."""
    per_queue = list(associations_per_queue)
    per_profile = list(queues_per_routing_profile)
    total = (
        _pages(len(per_queue), LIST_PAGE)
        + _pages(quick_connects, LIST_PAGE)
        + _pages(contact_flows, LIST_PAGE)
        + _pages(len(per_profile), LIST_PAGE)
        + sum(_pages(count, ASSOCIATION_PAGE) for count in per_queue)
        + quick_connects_described
        + sum(_pages(count, ASSOCIATION_PAGE) for count in per_profile)
    )
    if users is not None:
        total += _pages(users, USER_SEARCH_PAGE)
    return total


# ---- steps ----------------------------------------------------------------------------------------------------


def _listed(reader: _Reader, operation: str, items_key: str, page: int, **params: Any) -> list[dict[str, Any]]:
    """An instance-wide list; the instance not existing is reported as such."""
    return reader.pages(operation, items_key, InstanceId=reader.instance_id, MaxResults=page, **params) or []


def _chosen_queues(
    summaries: list[dict[str, Any]], queue_names: Sequence[str] | None, instance_id: str
) -> list[dict[str, Any]]:
    if queue_names is None:
        return summaries
    by_name = {summary["Name"]: summary for summary in summaries}
    missing = [name for name in queue_names if name not in by_name]
    if missing:
        raise LiveReadError(f"instance {instance_id} has no standard queue named {', '.join(map(repr, missing))}")
    return [by_name[name] for name in dict.fromkeys(queue_names)]


def _read_queues(reader: _Reader, summaries: list[dict[str, Any]], progress: Progress) -> dict[str, LiveQueue]:
    queues = {}
    for summary in summaries:
        associated = reader.pages(
            "ListQueueQuickConnects",
            "QuickConnectSummaryList",
            missing_ok=True,
            InstanceId=reader.instance_id,
            QueueId=summary["Id"],
            MaxResults=ASSOCIATION_PAGE,
        )
        progress.advance()
        if associated is None:
            continue  # deleted while we read
        ids = tuple(sorted(item["Id"] for item in associated))
        queues[summary["Id"]] = LiveQueue(
            summary["Id"], summary["Arn"], summary["Name"], summary.get("QueueType", "STANDARD"), ids
        )
    return queues


def _read_quick_connects(
    reader: _Reader, summaries: list[dict[str, Any]], wanted: set[str] | None, progress: Progress
) -> dict[str, LiveQuickConnect]:
    quick_connects = {}
    for summary in summaries:
        if wanted is not None and summary["Id"] not in wanted:
            progress.advance()
            continue
        response = reader.call(
            "DescribeQuickConnect", missing_ok=True, InstanceId=reader.instance_id, QuickConnectId=summary["Id"]
        )
        progress.advance()
        if response is not None:
            quick_connect = _quick_connect(response["QuickConnect"])
            quick_connects[quick_connect.id] = quick_connect
    return quick_connects


def _read_routing_profiles(
    reader: _Reader, summaries: list[dict[str, Any]], progress: Progress
) -> dict[str, LiveRoutingProfile]:
    profiles = {}
    for summary in summaries:
        configs = reader.pages(
            "ListRoutingProfileQueues",
            "RoutingProfileQueueConfigSummaryList",
            missing_ok=True,
            InstanceId=reader.instance_id,
            RoutingProfileId=summary["Id"],
            MaxResults=ASSOCIATION_PAGE,
        )
        progress.advance()
        if configs is None:
            continue
        # A queue appears once per channel (voice, chat, task...): keep each once.
        queue_ids = tuple(dict.fromkeys(config["QueueId"] for config in configs))
        profiles[summary["Id"]] = LiveRoutingProfile(summary["Id"], summary["Arn"], summary["Name"], queue_ids)
    return profiles


def _read_users(reader: _Reader) -> dict[str, LiveUser]:
    found = reader.pages("SearchUsers", "Users", InstanceId=reader.instance_id, MaxResults=USER_SEARCH_PAGE) or []
    return {
        user["Id"]: LiveUser(user["Id"], user["Arn"], user["Username"], user.get("RoutingProfileId")) for user in found
    }


def _quick_connect(described: Mapping[str, Any]) -> LiveQuickConnect:
    config = described.get("QuickConnectConfig", {})
    kind = str(config.get("QuickConnectType", ""))
    user = config.get("UserConfig", {})
    queue = config.get("QueueConfig", {})
    flow = config.get("FlowConfig", {})
    return LiveQuickConnect(
        id=described["QuickConnectId"],
        arn=described["QuickConnectARN"],
        name=described["Name"],
        description=described.get("Description"),
        quick_connect_type=kind,
        user_id=user.get("UserId"),
        queue_id=queue.get("QueueId"),
        phone_number=config.get("PhoneConfig", {}).get("PhoneNumber"),
        contact_flow_id=user.get("ContactFlowId") or queue.get("ContactFlowId") or flow.get("ContactFlowId"),
    )


def _contact_flow(summary: Mapping[str, Any]) -> LiveContactFlow:
    return LiveContactFlow(summary["Id"], summary["Arn"], summary["Name"], summary.get("ContactFlowType", ""))


# ---- small helpers --------------------------------------------------------------------------------------------


def _parse_instance_arn(instance_arn: str) -> tuple[str, str, str]:
    """(Region, account, instance id) of an instance ARN; `LiveReadError` for anything else."""
    match = INSTANCE_ARN_PATTERN.match(instance_arn)
    if match is None:
        raise LiveReadError(
            f"{instance_arn!r} is not an Amazon Connect instance ARN "
            "(expected arn:aws:connect:<region>:<account>:instance/<instance-id>)"
        )
    region, account, instance_id = match.groups()
    return region, account, instance_id


def _error_details(error: Any) -> tuple[str, str, int]:
    details = error.response.get("Error", {})
    status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    return str(details.get("Code", "Unknown")), str(details.get("Message", "")), status


def _pages(count: int, page: int) -> int:
    return math.ceil(max(count, 1) / page)


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def default_progress() -> Progress:
    """The CLI's progress: a bar on stderr when it is a terminal."""
    return progress_for(sys.stderr)
