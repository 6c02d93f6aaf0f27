"""``Custom::ConnectLookup``: find an existing Connect resource by its exact name; return its ARN and id.

Properties (strings, as CloudFormation sends them): ``Kind`` (``queue``, ``user``, ``contact-flow`` or
``instance``); ``Name`` (the queue name, username, flow name or instance alias); ``InstanceArn`` (the
instance searched; every kind but ``instance``); ``ContactFlowType`` (``contact-flow`` only, e.g.
``AGENT_TRANSFER``); ``Refresh`` (optional, any string, ignored here).

Semantics:

- Create and Update look the resource up and return ``PhysicalResourceId`` = its ARN and ``Data`` =
  ``{"Arn": ..., "Id": ...}``. Delete makes no Connect call: a lookup owns nothing.
- Names match exactly and case-sensitively. Queues are found with ``SearchQueues`` and users with
  ``SearchUsers`` (``EXACT`` string conditions), flows with ``ListContactFlows`` filtered on the requested
  type, instances with ``ListInstances``; every page is read, and the results are filtered again here,
  since the service's ``EXACT`` may ignore case.
- No match fails, naming the instance, the kind, the name and up to five close existing names. More than
  one match fails, listing their ARNs. A not-found is final (no retry for eventual consistency);
  throttling and other transient errors are retried by ``_connect.call`` within the request's deadline, an
  access denial for a minute (IAM propagation), quota and parameter errors not at all.

A lookup re-runs only when its properties change: change ``Refresh`` (the constructs expose it) to force one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ._connect import Budget, ConnectCallError, ConnectClient, id_from_arn, paginate

RESOURCE_TYPE = "Custom::ConnectLookup"
KINDS = ("queue", "user", "contact-flow", "instance")
MAX_SUGGESTIONS = 5
"""Most close existing names a not-found error lists."""
PAGE_SIZES = {
    "SearchQueues": 500,
    "SearchUsers": 500,
    "ListContactFlows": 1000,
    "ListInstances": 10,
    "ListQueues": 1000,
    "ListUsers": 1000,
}
"""Largest MaxResults each operation accepts (botocore's Connect model)."""

_INSTANCE_ARN = re.compile(r"arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance/(?P<instance_id>[A-Za-z0-9-]+)")
_CONTACT_FLOW_TYPE = re.compile(r"[A-Z][A-Z_]*")


class ConnectLookupError(Exception):
    """A lookup found nothing, found more than one match, or could not ask Connect."""


@dataclass(frozen=True)
class Lookup:
    """The resource's properties, validated: what to look for, and where."""

    kind: str
    name: str
    instance_id: str | None = None
    """The instance searched; None for ``instance``, which is searched in the account and Region."""
    contact_flow_type: str | None = None
    """The flow type searched; only for ``contact-flow``."""
    instance_arn: str | None = None
    """The ARN of the instance searched, named in an access-denied message."""

    @classmethod
    def from_properties(cls, properties: Mapping[str, Any]) -> Lookup:
        """Validate ResourceProperties; raise ValueError naming the offending property and value."""
        kind = properties.get("Kind")
        if kind not in KINDS:
            raise ValueError(f"Kind {kind!r} is not one of {', '.join(KINDS)}")
        name = properties.get("Name")
        if not isinstance(name, str) or not name:
            raise ValueError(f"Name must be the non-empty, exact name to look up, got {name!r}")
        if kind == "instance":
            return cls(kind, name)
        arn = properties.get("InstanceArn")
        if not isinstance(arn, str) or (match := _INSTANCE_ARN.fullmatch(arn)) is None:
            raise ValueError(
                f"InstanceArn {arn!r} is not an Amazon Connect instance ARN "
                f"(arn:aws:connect:<region>:<account>:instance/<instanceId>), required for a {kind} lookup"
            )
        if kind != "contact-flow":
            return cls(kind, name, match["instance_id"], instance_arn=arn)
        flow_type = properties.get("ContactFlowType")
        if not isinstance(flow_type, str) or _CONTACT_FLOW_TYPE.fullmatch(flow_type) is None:
            raise ValueError(
                f"ContactFlowType {flow_type!r} is not a contact flow type such as AGENT_TRANSFER or "
                "QUEUE_TRANSFER, required for a contact-flow lookup"
            )
        return cls(kind, name, match["instance_id"], flow_type, arn)

    @property
    def what(self) -> str:
        """The lookup in words: ``queue named 'BasicQueue' in instance <id>``."""
        if self.kind == "instance":
            return f"instance with alias {self.name!r} in this account and Region"
        noun = {
            "queue": "queue named",
            "user": "user with username",
            "contact-flow": f"{self.contact_flow_type} contact flow named",
        }[self.kind]
        return f"{noun} {self.name!r} in instance {self.instance_id}"

    @property
    def log(self) -> dict[str, object]:
        """Context added to every log line about this lookup."""
        context: dict[str, object] = {"lookup_kind": self.kind, "lookup_name": self.name}
        if self.instance_id is not None:
            context["instance_id"] = self.instance_id
        if self.contact_flow_type is not None:
            context["contact_flow_type"] = self.contact_flow_type
        return context


@dataclass(frozen=True)
class Found:
    """One resource whose name matched exactly."""

    arn: str
    id: str

    @classmethod
    def from_item(cls, item: Mapping[str, Any], arn_key: str, id_key: str) -> Found:
        """Read a list or search result; the id is the item's own if present, else the ARN's last segment."""
        arn = str(item[arn_key])
        return cls(arn, str(item.get(id_key) or id_from_arn(arn)))


@dataclass(frozen=True)
class Candidates:
    """What a search returned: the exact matches, and how to read every existing name if there is none."""

    matches: list[Found]
    existing_names: Callable[[], list[str]]


def handle(event: Mapping[str, Any], client: ConnectClient, budget: Budget) -> dict[str, Any]:
    """Handle one Provider onEvent request for ``Custom::ConnectLookup`` within `budget`."""
    request_type = event["RequestType"]
    if request_type in {"Create", "Update"}:
        found = resolve(Lookup.from_properties(event["ResourceProperties"]), client, budget)
        return {"PhysicalResourceId": found.arn, "Data": {"Arn": found.arn, "Id": found.id}}
    if request_type == "Delete":
        # A lookup creates nothing, so there is nothing to delete (and its properties need not be valid).
        return {"PhysicalResourceId": str(event.get("PhysicalResourceId", "")), "Data": {}}
    raise ValueError(f"Unsupported RequestType {request_type!r}")


def resolve(lookup: Lookup, client: ConnectClient, budget: Budget) -> Found:
    """Return the one resource the lookup names; raise ConnectLookupError for none, several or a failed call."""
    try:
        candidates = _SEARCHES[lookup.kind](lookup, client, budget)
        if len(candidates.matches) == 1:
            return candidates.matches[0]
        if candidates.matches:
            arns = ", ".join(sorted(found.arn for found in candidates.matches))
            raise ConnectLookupError(
                f"{len(candidates.matches)} resources match the {lookup.what}: {arns}. "
                "Rename all but one, or import the one you mean by ARN"
            )
        raise ConnectLookupError(_not_found_message(lookup, candidates.existing_names()))
    except ConnectCallError as error:
        raise ConnectLookupError(f"Looking up the {lookup.what} failed: {error}") from error


@dataclass(frozen=True)
class _Search:
    """How one kind is searched by exact name (a Search API) and listed for suggestions (a List API)."""

    search_operation: str
    search_items: str
    search_field: str
    name_key: str
    arn_key: str
    id_key: str
    list_operation: str
    list_items: str
    list_filters: Mapping[str, Any]

    def __call__(self, lookup: Lookup, client: ConnectClient, budget: Budget) -> Candidates:
        """Search on the exact name; existing names come from the List API, read only if needed."""
        condition = {"FieldName": self.search_field, "Value": lookup.name, "ComparisonType": "EXACT"}
        items = paginate(
            client,
            self.search_operation,
            self.search_items,
            lookup.log,
            budget,
            resource=lookup.instance_arn,
            InstanceId=lookup.instance_id,
            SearchCriteria={"StringCondition": condition},
            MaxResults=PAGE_SIZES[self.search_operation],
        )
        matches = [
            Found.from_item(item, self.arn_key, self.id_key) for item in items if item.get(self.name_key) == lookup.name
        ]

        def existing_names() -> list[str]:
            summaries = paginate(
                client,
                self.list_operation,
                self.list_items,
                lookup.log,
                budget,
                resource=lookup.instance_arn,
                InstanceId=lookup.instance_id,
                MaxResults=PAGE_SIZES[self.list_operation],
                **self.list_filters,
            )
            return _names(summaries, self.name_key)

        return Candidates(matches, existing_names)


_search_queues = _Search(
    search_operation="SearchQueues",
    search_items="Queues",
    search_field="name",
    name_key="Name",
    arn_key="QueueArn",
    id_key="QueueId",
    list_operation="ListQueues",
    list_items="QueueSummaryList",
    list_filters={"QueueTypes": ["STANDARD"]},
)
_search_users = _Search(
    search_operation="SearchUsers",
    search_items="Users",
    search_field="Username",
    name_key="Username",
    arn_key="Arn",
    id_key="Id",
    list_operation="ListUsers",
    list_items="UserSummaryList",
    list_filters={},
)


def _list_contact_flows(lookup: Lookup, client: ConnectClient, budget: Budget) -> Candidates:
    """ListContactFlows of the requested type; those flows' names are the existing names."""
    flows = paginate(
        client,
        "ListContactFlows",
        "ContactFlowSummaryList",
        lookup.log,
        budget,
        resource=lookup.instance_arn,
        InstanceId=lookup.instance_id,
        ContactFlowTypes=[lookup.contact_flow_type],
        MaxResults=PAGE_SIZES["ListContactFlows"],
    )
    # The type filter is the service's; a summary naming another type is dropped all the same.
    wanted_type = lookup.contact_flow_type
    of_type = [flow for flow in flows if flow.get("ContactFlowType", wanted_type) == wanted_type]
    matches = [Found.from_item(flow, "Arn", "Id") for flow in of_type if flow.get("Name") == lookup.name]
    return Candidates(matches, lambda: _names(of_type, "Name"))


def _list_instances(lookup: Lookup, client: ConnectClient, budget: Budget) -> Candidates:
    """ListInstances of the account and Region; their aliases are the existing names."""
    instances = paginate(
        client,
        "ListInstances",
        "InstanceSummaryList",
        lookup.log,
        budget,
        resource="*",
        MaxResults=PAGE_SIZES["ListInstances"],
    )
    matches = [Found.from_item(item, "Arn", "Id") for item in instances if item.get("InstanceAlias") == lookup.name]
    return Candidates(matches, lambda: _names(instances, "InstanceAlias"))


_SEARCHES: dict[str, Callable[[Lookup, ConnectClient, Budget], Candidates]] = {
    "queue": _search_queues,
    "user": _search_users,
    "contact-flow": _list_contact_flows,
    "instance": _list_instances,
}


def _names(items: Iterable[Mapping[str, Any]], key: str) -> list[str]:
    """The distinct, non-empty `key` values of `items`, sorted."""
    return sorted({str(item[key]) for item in items if item.get(key)})


def _not_found_message(lookup: Lookup, existing: list[str]) -> str:
    """Say what was not found and which existing names come closest."""
    message = f"No {lookup.what}"
    if lookup.name in existing:
        # Only possible for queues and users: the list knows the name but the search did not find it.
        search, listing = ("SearchQueues", "ListQueues") if lookup.kind == "queue" else ("SearchUsers", "ListUsers")
        return (
            f"{message} was found by {search}, although {listing} lists it: Connect's search may not include "
            "a recent change yet. Retry the deployment in a few minutes"
        )
    suggestions = closest_names(lookup.name, existing)
    if not suggestions:
        return f"{message}; no existing name is close to it ({len(existing)} checked)"
    quoted = ", ".join(repr(suggestion) for suggestion in suggestions)
    if any(suggestion.casefold() == lookup.name.casefold() for suggestion in suggestions):
        quoted += " (names match case-sensitively)"
    return f"{message}; closest existing names: {quoted}"


def closest_names(name: str, existing: list[str]) -> list[str]:
    """Up to MAX_SUGGESTIONS existing names closest to `name`: those equal but for case first, then difflib's."""
    same_but_case = [candidate for candidate in existing if candidate.casefold() == name.casefold()]
    close = difflib.get_close_matches(name, existing, n=MAX_SUGGESTIONS)
    return list(dict.fromkeys([*same_but_case, *close]))[:MAX_SUGGESTIONS]
