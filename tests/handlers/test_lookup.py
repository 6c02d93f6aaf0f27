from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import botocore.session
import pytest

from cdk_connect_quickconnect._handlers import _connect, index, lookup
from tests.handlers import fake_connect as fake_module
from tests.handlers.conftest import MakeEvent
from tests.handlers.fake_connect import FakeConnect, FakeLambdaContext, Instance

LOOKUP_TYPE = "Custom::ConnectLookup"
SEARCH_OPERATION = {
    "queue": "SearchQueues",
    "user": "SearchUsers",
    "contact-flow": "ListContactFlows",
    "instance": "ListInstances",
}
NAMES_OPERATION = {
    "queue": "ListQueues",
    "user": "ListUsers",
    "contact-flow": "ListContactFlows",
    "instance": "ListInstances",
}


@dataclass
class World:
    """One instance in the fake, and a way to send CloudFormation lookup requests to the handler."""

    fake: FakeConnect
    client: Any
    instance: Instance
    make_event: MakeEvent

    def properties(self, kind: str, name: str, flow_type: str | None = None, **extra: Any) -> dict[str, Any]:
        props: dict[str, Any] = {"Kind": kind, "Name": name, **extra}
        if kind != "instance":
            props["InstanceArn"] = self.instance.arn
        if kind == "contact-flow":
            props["ContactFlowType"] = flow_type or "AGENT_TRANSFER"
        return props

    def event(
        self,
        request_type: str,
        props: dict[str, Any],
        *,
        old: dict[str, Any] | None = None,
        physical_id: str | None = None,
    ) -> dict[str, Any]:
        return self.make_event(
            request_type,
            props,
            old_properties=old,
            physical_id=physical_id,
            resource_type=LOOKUP_TYPE,
            logical_id="Lookup",
        )

    def look_up(self, kind: str, name: str, flow_type: str | None = None, **extra: Any) -> dict[str, Any]:
        return lookup.handle(
            self.event("Create", self.properties(kind, name, flow_type, **extra)),
            self.client,
            _connect.Budget.lasting(300),
        )

    def seed(self, kind: str, name: str, flow_type: str = "AGENT_TRANSFER") -> tuple[str, str]:
        """Create one resource of `kind` named `name`; return its (ARN, id)."""
        if kind == "queue":
            made: Any = self.fake.add_queue(self.instance, name=name)
        elif kind == "user":
            made = self.fake.add_user(self.instance, name)
        elif kind == "contact-flow":
            made = self.fake.add_contact_flow(self.instance, name, flow_type)
        else:
            made = self.fake.add_instance(alias=name)
        return made.arn, made.id


@pytest.fixture
def world(fake_connect: FakeConnect, connect_client: Any, make_event: MakeEvent) -> World:
    return World(fake_connect, connect_client, fake_connect.add_instance(alias="contact-centre"), make_event)


@pytest.fixture
def loose_exact_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loosest service the handler must cope with: an EXACT search that ignores case and matches prefixes.

    The fake's searches are case-sensitive; this patches its string comparison (in this test only).
    """
    strict = fake_module._string_condition_match

    def loose(condition: dict[str, Any], fields: dict[str, str]) -> bool:
        if condition.get("ComparisonType") == "EXACT":
            actual = fields[condition["FieldName"]].casefold()
            return actual.startswith(condition.get("Value", "").casefold())
        return strict(condition, fields)

    monkeypatch.setattr(fake_module, "_string_condition_match", loose)


def suggestions_in(message: str) -> list[str]:
    """The names quoted after 'closest existing names:' in a not-found message."""
    _, found, listed = message.partition("closest existing names: ")
    assert found, f"no suggestions in: {message}"
    return re.findall(r"'([^']*)'", listed)


def largest_max_results(operation: str) -> int:
    model = botocore.session.get_session().get_service_model("connect")
    return int(model.operation_model(operation).input_shape.members["MaxResults"].metadata["max"])


KIND_NAMES = [
    ("queue", "BasicQueue"),
    ("user", "agent.smith"),
    ("contact-flow", "Default agent transfer"),
    ("instance", "sales-centre"),
]


# ---- found -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "name"), KIND_NAMES)
def test_found_returns_arn_as_physical_id_and_arn_and_id_as_data(world, kind, name):
    world.seed(kind, "Something else")
    arn, resource_id = world.seed(kind, name)
    response = world.look_up(kind, name)
    assert response == {"PhysicalResourceId": arn, "Data": {"Arn": arn, "Id": resource_id}}
    assert resource_id == arn.rsplit("/", 1)[-1]


@pytest.mark.parametrize(("kind", "name"), KIND_NAMES)
def test_the_search_asks_connect_for_the_exact_name_with_the_largest_page(world, kind, name):
    world.seed(kind, name)
    world.look_up(kind, name)
    [search] = world.fake.calls
    assert search.operation == SEARCH_OPERATION[kind]
    assert search.params["MaxResults"] == largest_max_results(search.operation)
    if kind in {"queue", "user"}:
        field_name = "name" if kind == "queue" else "Username"
        condition = {"FieldName": field_name, "Value": name, "ComparisonType": "EXACT"}
        assert search.params["SearchCriteria"] == {"StringCondition": condition}
    if kind == "contact-flow":
        assert search.params["ContactFlowTypes"] == ["AGENT_TRANSFER"]
    if kind == "instance":
        assert "InstanceId" not in search.params


def test_page_sizes_are_the_largest_the_model_allows():
    assert {operation: largest_max_results(operation) for operation in lookup.PAGE_SIZES} == lookup.PAGE_SIZES


def test_the_id_falls_back_to_the_last_arn_segment():
    arn = "arn:aws:connect:us-east-1:123456789012:instance/i-1/queue/q-9"
    assert lookup.Found.from_item({"QueueArn": arn}, "QueueArn", "QueueId") == lookup.Found(arn, "q-9")
    assert lookup.Found.from_item({"QueueArn": arn, "QueueId": "own"}, "QueueArn", "QueueId").id == "own"


def test_update_looks_up_again_and_returns_the_new_resource(world):
    basic_arn, _ = world.seed("queue", "BasicQueue")
    billing_arn, billing_id = world.seed("queue", "BillingQueue")
    event = world.event(
        "Update",
        world.properties("queue", "BillingQueue"),
        old=world.properties("queue", "BasicQueue"),
        physical_id=basic_arn,
    )
    response = lookup.handle(event, world.client, _connect.Budget.lasting(300))
    assert response == {"PhysicalResourceId": billing_arn, "Data": {"Arn": billing_arn, "Id": billing_id}}


def test_refresh_is_accepted_ignored_and_not_sent_to_connect(world):
    arn, _ = world.seed("queue", "BasicQueue")
    assert world.look_up("queue", "BasicQueue", Refresh="2024-06-01")["PhysicalResourceId"] == arn
    assert world.look_up("queue", "BasicQueue", Refresh="")["PhysicalResourceId"] == arn
    assert all("Refresh" not in json.dumps(recorded.params) for recorded in world.fake.calls)


def test_an_instance_lookup_ignores_instance_arn(world):
    arn, _ = world.seed("instance", "sales-centre")
    response = world.look_up("instance", "sales-centre", InstanceArn=world.instance.arn)
    assert response["PhysicalResourceId"] == arn != world.instance.arn


# ---- exact, case-sensitive matching -----------------------------------------------------------------


@pytest.mark.parametrize("service", ["strict", "loose"])
@pytest.mark.parametrize(
    ("kind", "name", "others"),
    [
        ("queue", "BasicQueue", ["basicqueue", "BASICQUEUE", "BasicQueue2", "BasicQueue "]),
        ("user", "agent.smith", ["Agent.Smith", "agent.smith2", "agent.smith.old"]),
        ("contact-flow", "Default agent transfer", ["default agent transfer", "Default agent transfer 2"]),
        ("instance", "sales", ["Sales", "sales-2", "SALES"]),
    ],
)
def test_only_the_exact_case_sensitive_name_matches(world, request, service, kind, name, others):
    if service == "loose":
        request.getfixturevalue("loose_exact_search")
    for other in others:
        world.seed(kind, other)
    arn, _ = world.seed(kind, name)
    for other in others:
        world.seed(kind, other + "x")
    assert world.look_up(kind, name)["PhysicalResourceId"] == arn


@pytest.mark.usefixtures("loose_exact_search")
def test_a_loose_search_answering_only_near_names_is_not_found(world):
    world.seed("queue", "basicqueue")
    world.seed("queue", "BasicQueue2")
    with pytest.raises(lookup.ConnectLookupError, match="No queue named 'BasicQueue'"):
        world.look_up("queue", "BasicQueue")
    [search] = world.fake.calls_to("SearchQueues")
    assert search.outcome == "ok"


# ---- every page -------------------------------------------------------------------------------------


@pytest.mark.usefixtures("loose_exact_search")
@pytest.mark.parametrize(
    ("kind", "name", "filler", "count"),
    [
        # Upper-case names sort before lower-case ones, and the loose search returns every one of them.
        ("queue", "basicqueue", "BasicQueue-{:04d}", 1100),
        ("user", "agent.smith", "Agent.Smith-{:04d}", 1100),
        ("contact-flow", "Zeta transfer", "Flow {:04d}", 2100),
        ("instance", "zeta-centre", "centre-{:02d}", 25),
    ],
)
def test_the_match_on_the_last_of_three_pages_is_found(world, kind, name, filler, count):
    for number in range(count):
        world.seed(kind, filler.format(number))
    world.seed("contact-flow", name, "QUEUE_TRANSFER")  # another type: never in an AGENT_TRANSFER page
    arn, _ = world.seed(kind, name)
    assert world.look_up(kind, name)["PhysicalResourceId"] == arn
    pages = world.fake.calls_to(SEARCH_OPERATION[kind])
    assert len(pages) == len(world.fake.calls) == 3
    assert "NextToken" not in pages[0].params
    assert pages[1].params["NextToken"] != pages[2].params["NextToken"]
    assert {page.params["MaxResults"] for page in pages} == {largest_max_results(SEARCH_OPERATION[kind])}


@pytest.mark.parametrize(
    ("kind", "filler", "count"),
    [("queue", "Q-{:04d}", 2100), ("user", "U-{:04d}", 2100), ("instance", "c-{:02d}", 25)],
)
def test_suggestions_come_from_every_page(world, kind, filler, count):
    for number in range(count):
        world.seed(kind, filler.format(number))
    world.seed(kind, "zz-lastname")
    with pytest.raises(lookup.ConnectLookupError) as excinfo:
        world.look_up(kind, "zz-lastnam")
    assert suggestions_in(str(excinfo.value)) == ["zz-lastname"]
    assert len(world.fake.calls_to(NAMES_OPERATION[kind])) == 3


# ---- not found --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "wanted", "existing", "expected", "words"),
    [
        ("queue", "BasicQueu", ["BasicQueue", "BasketQueue", "Sales"], ["BasicQueue", "BasketQueue"], "queue named"),
        (
            "user",
            "agent.smth",
            ["agent.smith", "agent.smyth", "bob"],
            ["agent.smith", "agent.smyth"],
            "user with username",
        ),
        (
            "contact-flow",
            "Default agent transfr",
            ["Default agent transfer", "Sales"],
            ["Default agent transfer"],
            "AGENT_TRANSFER contact flow named",
        ),
        ("instance", "sales-centr", ["sales-centre", "support"], ["sales-centre"], "instance with alias"),
    ],
)
def test_not_found_names_instance_kind_name_and_closest_names(world, clock, kind, wanted, existing, expected, words):
    for name in existing:
        world.seed(kind, name)
    with pytest.raises(lookup.ConnectLookupError) as excinfo:
        world.look_up(kind, wanted)
    message = str(excinfo.value)
    assert f"No {words} {wanted!r}" in message
    assert sorted(suggestions_in(message)) == sorted(expected)
    if kind != "instance":
        assert f"in instance {world.instance.id}" in message
    assert len(world.fake.calls_to(SEARCH_OPERATION[kind])) == 1  # not found is final: no retry
    assert clock.sleeps == []


def test_queue_suggestions_are_standard_queues_only(world):
    world.seed("queue", "BasicQueue")
    world.fake.add_queue(world.instance, name="BasicQueue1", queue_type="AGENT")
    with pytest.raises(lookup.ConnectLookupError) as excinfo:
        world.look_up("queue", "BasicQueu")
    assert suggestions_in(str(excinfo.value)) == ["BasicQueue"]
    [names] = world.fake.calls_to("ListQueues")
    assert names.params["QueueTypes"] == ["STANDARD"]
    assert names.params["MaxResults"] == largest_max_results("ListQueues")


def test_user_suggestions_read_list_users_with_the_largest_page(world):
    world.seed("user", "agent.smith")
    with pytest.raises(lookup.ConnectLookupError):
        world.look_up("user", "agent.smth")
    [names] = world.fake.calls_to("ListUsers")
    assert names.params["MaxResults"] == largest_max_results("ListUsers")


def test_at_most_five_suggestions(world):
    for number in range(1, 10):
        world.seed("queue", f"Queue {number}")
    with pytest.raises(lookup.ConnectLookupError) as excinfo:
        world.look_up("queue", "Queue")
    suggested = suggestions_in(str(excinfo.value))
    assert len(suggested) == lookup.MAX_SUGGESTIONS == 5
    assert set(suggested) < {f"Queue {number}" for number in range(1, 10)}


def test_a_name_differing_only_in_case_is_suggested_first(world):
    for name in ["Basic", "BasicQueues", "BasicQueue"]:
        world.seed("queue", name)
    with pytest.raises(lookup.ConnectLookupError) as excinfo:
        world.look_up("queue", "basicqueue")
    message = str(excinfo.value)
    assert suggestions_in(message)[0] == "BasicQueue"
    assert "case-sensitively" in message


@pytest.mark.parametrize("existing", [[], ["Sales", "Support"]])
def test_not_found_without_similar_names(world, existing):
    for name in existing:
        world.seed("queue", name)
    with pytest.raises(lookup.ConnectLookupError) as excinfo:
        world.look_up("queue", "BasicQueue")
    assert str(excinfo.value) == (
        f"No queue named 'BasicQueue' in instance {world.instance.id}; "
        f"no existing name is close to it ({len(existing)} checked)"
    )


def test_a_name_listed_but_not_yet_searchable_says_so(world, monkeypatch):
    world.seed("queue", "BasicQueue")
    monkeypatch.setattr(fake_module, "_string_condition_match", lambda condition, fields: False)
    with pytest.raises(lookup.ConnectLookupError) as excinfo:
        world.look_up("queue", "BasicQueue")
    message = str(excinfo.value)
    assert "although ListQueues lists it" in message
    assert "closest existing names" not in message


def test_an_unknown_instance_fails_clearly_without_retrying(world, clock):
    world.fake.delete_instance(world.instance)
    with pytest.raises(lookup.ConnectLookupError) as excinfo:
        world.look_up("queue", "BasicQueue")
    message = str(excinfo.value)
    assert message.startswith(f"Looking up the queue named 'BasicQueue' in instance {world.instance.id} failed")
    assert "Connect answered ResourceNotFoundException" in message
    assert len(world.fake.calls) == 1
    assert clock.sleeps == []


# ---- ambiguous --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "name"), [("contact-flow", "Escalation"), ("queue", "BasicQueue")])
def test_more_than_one_exact_match_fails_listing_their_arns(world, kind, name):
    first, _ = world.seed(kind, name)
    second, _ = world.seed(kind, name)
    world.seed(kind, name.lower())
    with pytest.raises(lookup.ConnectLookupError) as excinfo:
        world.look_up(kind, name)
    message = str(excinfo.value)
    assert message.startswith("2 resources match the ")
    assert first in message
    assert second in message
    assert world.instance.id in message


# ---- contact flow types -----------------------------------------------------------------------------


def test_a_flow_of_another_type_with_the_same_name_is_ignored(world):
    world.seed("contact-flow", "Default agent transfer", "QUEUE_TRANSFER")
    agent_arn, _ = world.seed("contact-flow", "Default agent transfer", "AGENT_TRANSFER")
    assert world.look_up("contact-flow", "Default agent transfer", "AGENT_TRANSFER")["PhysicalResourceId"] == agent_arn


def test_only_a_flow_of_another_type_is_not_found_nor_suggested(world):
    world.seed("contact-flow", "Default agent transfer", "QUEUE_TRANSFER")
    world.seed("contact-flow", "Default agent transfers", "AGENT_TRANSFER")
    with pytest.raises(lookup.ConnectLookupError) as excinfo:
        world.look_up("contact-flow", "Default agent transfer", "AGENT_TRANSFER")
    assert suggestions_in(str(excinfo.value)) == ["Default agent transfers"]
    assert len(world.fake.calls) == 1  # the flows listed are the names: no second call


def test_a_summary_of_another_type_is_dropped_even_if_the_service_returns_it(world, monkeypatch):
    world.seed("contact-flow", "Default agent transfer", "QUEUE_TRANSFER")
    original = FakeConnect._op_ListContactFlows

    def ignoring_the_type_filter(self: FakeConnect, params: dict[str, Any]) -> dict[str, Any]:
        return original(self, {key: value for key, value in params.items() if key != "ContactFlowTypes"})

    monkeypatch.setattr(FakeConnect, "_op_ListContactFlows", ignoring_the_type_filter)
    with pytest.raises(lookup.ConnectLookupError, match="No AGENT_TRANSFER contact flow named"):
        world.look_up("contact-flow", "Default agent transfer", "AGENT_TRANSFER")


# ---- transient errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "name"), KIND_NAMES)
@pytest.mark.parametrize("code", ["ThrottlingException", "TooManyRequestsException", "InternalServiceException"])
def test_transient_errors_are_retried_then_succeed(world, clock, kind, name, code):
    arn, _ = world.seed(kind, name)
    operation = SEARCH_OPERATION[kind]
    world.fake.fail_next(operation, code, times=2)
    assert world.look_up(kind, name)["PhysicalResourceId"] == arn
    assert [recorded.outcome for recorded in world.fake.calls_to(operation)] == [code, code, "ok"]
    assert clock.sleeps == [0.25, 0.5]


def test_throttling_while_reading_suggestions_is_retried(world):
    world.seed("queue", "BasicQueue")
    world.fake.fail_next("ListQueues", "ThrottlingException")
    with pytest.raises(lookup.ConnectLookupError) as excinfo:
        world.look_up("queue", "BasicQueu")
    assert suggestions_in(str(excinfo.value)) == ["BasicQueue"]
    assert [recorded.outcome for recorded in world.fake.calls_to("ListQueues")] == ["ThrottlingException", "ok"]


def test_persistent_throttling_fails_before_the_deadline(world, clock):
    world.seed("queue", "BasicQueue")
    world.fake.fail_next("SearchQueues", "ThrottlingException", times=100_000)
    context = FakeLambdaContext(clock, timeout=300)
    event = world.event("Create", world.properties("queue", "BasicQueue"))
    with pytest.raises(lookup.ConnectLookupError) as excinfo:
        index.on_event(event, context, client=world.client)
    message = str(excinfo.value)
    assert message.startswith(f"Looking up the queue named 'BasicQueue' in instance {world.instance.id} failed: ")
    assert "not enough time left (last answer ThrottlingException" in message
    assert isinstance(excinfo.value.__cause__, _connect.ConnectCallError)
    assert clock.now + _connect.MAX_ATTEMPT_SECONDS <= context.deadline - _connect.RETURN_MARGIN_SECONDS


def test_access_denied_is_retried_while_iam_propagates_then_named(world, clock):
    world.seed("queue", "BasicQueue")
    world.fake.fail_next("SearchQueues", "AccessDeniedException", times=100_000)
    with pytest.raises(lookup.ConnectLookupError) as excinfo:
        world.look_up("queue", "BasicQueue")
    assert f"not allowed connect:SearchQueues on {world.instance.arn}" in str(excinfo.value)
    assert _connect.IAM_WINDOW_SECONDS <= clock.now < _connect.IAM_WINDOW_SECONDS + 10


# ---- Delete -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("props", "physical_id"),
    [
        ({"Kind": "queue", "Name": "BasicQueue"}, "arn:aws:connect:us-east-1:123456789012:instance/i/queue/q"),
        ({"Kind": "nonsense"}, "AWSCDK::CustomResourceProviderFramework::CREATE_FAILED"),
    ],
)
def test_delete_makes_no_connect_call_and_returns_the_physical_id(world, props, physical_id):
    world.seed("queue", "BasicQueue")
    response = lookup.handle(
        world.event("Delete", props, physical_id=physical_id), world.client, _connect.Budget.lasting(300)
    )
    assert response["PhysicalResourceId"] == physical_id
    assert world.fake.calls == []


def test_delete_of_a_found_resource_leaves_it_in_place(world):
    arn, _ = world.seed("queue", "BasicQueue")
    world.look_up("queue", "BasicQueue")
    world.fake.calls.clear()
    lookup.handle(
        world.event("Delete", world.properties("queue", "BasicQueue"), physical_id=arn),
        world.client,
        _connect.Budget.lasting(300),
    )
    assert world.fake.calls == []
    assert world.look_up("queue", "BasicQueue")["PhysicalResourceId"] == arn


# ---- validation -------------------------------------------------------------------------------------


QUEUE_ARN = "arn:aws:connect:us-east-1:123456789012:instance/i-1/queue/q-1"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"Kind": None}, "Kind None is not one of queue, user, contact-flow, instance"),
        ({"Kind": "Queue"}, "Kind 'Queue' is not one of"),
        ({"Kind": "quick-connect"}, "Kind 'quick-connect' is not one of"),
        ({"Name": None}, "Name must be the non-empty, exact name to look up, got None"),
        ({"Name": ""}, "Name must be the non-empty"),
        ({"Name": ["BasicQueue"]}, "Name must be the non-empty"),
        ({"InstanceArn": None}, "InstanceArn None is not an Amazon Connect instance ARN"),
        ({"InstanceArn": QUEUE_ARN}, "is not an Amazon Connect instance ARN"),
        ({"InstanceArn": "i-1"}, "is not an Amazon Connect instance ARN"),
        ({"Kind": "contact-flow", "ContactFlowType": None}, "ContactFlowType None is not a contact flow type"),
        ({"Kind": "contact-flow", "ContactFlowType": "agent transfer"}, "is not a contact flow type"),
    ],
)
@pytest.mark.parametrize("request_type", ["Create", "Update"])
def test_invalid_properties_are_rejected_before_any_call(world, change, message, request_type):
    props = {**world.properties("queue", "BasicQueue"), **change}
    props = {key: value for key, value in props.items() if value is not None}
    valid = world.properties("queue", "BasicQueue")
    event = world.event(
        request_type,
        props,
        old=valid if request_type == "Update" else None,
        physical_id=QUEUE_ARN if request_type == "Update" else None,
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        lookup.handle(event, world.client, _connect.Budget.lasting(300))
    assert world.fake.calls == []


def test_an_unknown_request_type_is_rejected(world):
    event = world.event("Create", world.properties("queue", "BasicQueue"))
    event["RequestType"] = "Replace"
    with pytest.raises(ValueError, match="Unsupported RequestType 'Replace'"):
        lookup.handle(event, world.client, _connect.Budget.lasting(300))


# ---- logging ----------------------------------------------------------------------------------------


def test_one_json_log_line_per_connect_call(world, capsys):
    world.seed("queue", "BasicQueue")
    world.fake.fail_next("SearchQueues", "ThrottlingException")
    world.look_up("queue", "BasicQueue")
    with pytest.raises(lookup.ConnectLookupError):
        world.look_up("queue", "BasicQueu")
    output = capsys.readouterr().out
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    calls = [line for line in lines if line.get("event") == "connect_call"]
    assert [(line["operation"], line["outcome"]) for line in calls] == [
        (recorded.operation, recorded.outcome) for recorded in world.fake.calls
    ]
    assert len(calls) == 4
    assert all(line["lookup_kind"] == "queue" and line["instance_id"] == world.instance.id for line in calls)
    assert all({"attempt", "duration_ms", "page", "lookup_name"} <= set(line) for line in calls)


# ---- through the Lambda entry point ---------------------------------------------------------------


def test_on_event_dispatches_lookups(world):
    arn, resource_id = world.seed("contact-flow", "Default agent transfer")
    props = world.properties("contact-flow", "Default agent transfer")
    response = index.on_event(world.event("Create", props), object(), client=world.client)
    assert response == {"PhysicalResourceId": arn, "Data": {"Arn": arn, "Id": resource_id}}
    world.fake.calls.clear()
    index.on_event(world.event("Delete", props, physical_id=arn), object(), client=world.client)
    assert world.fake.calls == []


def test_resource_type_constant_matches_the_construct_library():
    from cdk_connect_quickconnect import lookups

    assert lookup.RESOURCE_TYPE == lookups.RESOURCE_TYPE == LOOKUP_TYPE
