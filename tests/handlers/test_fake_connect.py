from __future__ import annotations

import contextlib
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError

from tests.handlers.fake_connect import ERROR_STATUS, FakeClock, FakeConnect, Instance, Queue


@pytest.fixture
def instance(fake_connect: FakeConnect) -> Instance:
    return fake_connect.add_instance(alias="main")


@pytest.fixture
def queue(fake_connect: FakeConnect, instance: Instance) -> Queue:
    return fake_connect.add_queue(instance, name="Support")


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int]:
    response = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def list_all(client: Any, method: str, items_key: str, **params: Any) -> tuple[list[dict[str, Any]], int]:
    """Follow NextToken by hand; return the items and the number of pages."""
    items, pages = [], 0
    while True:
        response = getattr(client, method)(**params)
        items.extend(response[items_key])
        pages += 1
        if "NextToken" not in response:
            return items, pages
        params["NextToken"] = response["NextToken"]


# ---- the model's constraints ---------------------------------------------------------------------


def test_more_than_50_ids_is_invalid_parameter_from_the_models_max(fake_connect, connect_client, instance, queue):
    ids = [quick_connect.id for quick_connect in fake_connect.add_quick_connects(instance, 51)]
    with pytest.raises(ClientError) as excinfo:
        connect_client.associate_queue_quick_connects(InstanceId=instance.id, QueueId=queue.id, QuickConnectIds=ids)
    assert error_of(excinfo) == ("InvalidParameterException", 400)
    assert "maximum 50" in str(excinfo.value)
    assert fake_connect.associations(queue) == frozenset()
    assert fake_connect.calls[-1].outcome == "InvalidParameterException"


def test_50_ids_is_accepted(fake_connect, connect_client, instance, queue):
    ids = [quick_connect.id for quick_connect in fake_connect.add_quick_connects(instance, 50)]
    connect_client.associate_queue_quick_connects(InstanceId=instance.id, QueueId=queue.id, QuickConnectIds=ids)
    assert fake_connect.associations(queue) == frozenset(ids)


def test_integer_above_the_models_max_is_invalid_parameter(connect_client, instance, queue):
    with pytest.raises(ClientError) as excinfo:
        connect_client.list_queue_quick_connects(InstanceId=instance.id, QueueId=queue.id, MaxResults=101)
    assert error_of(excinfo) == ("InvalidParameterException", 400)


def test_string_longer_than_the_models_max_is_invalid_parameter(connect_client):
    with pytest.raises(ClientError) as excinfo:
        connect_client.list_queues(InstanceId="i" * 101)
    assert error_of(excinfo) == ("InvalidParameterException", 400)


def test_value_not_matching_the_models_pattern_is_invalid_parameter(connect_client):
    # ListViews is not implemented: the model's pattern is checked before any operation runs.
    with pytest.raises(ClientError) as excinfo:
        connect_client.list_views(InstanceId="not an id!")
    assert error_of(excinfo) == ("InvalidParameterException", 400)
    assert "pattern" in str(excinfo.value)
    with pytest.raises(NotImplementedError):
        connect_client.list_views(InstanceId="valid-id")


def test_value_outside_the_models_enum_is_invalid_parameter(connect_client, instance):
    condition = {"FieldName": "name", "Value": "Support", "ComparisonType": "FUZZY"}
    with pytest.raises(ClientError) as excinfo:
        connect_client.search_queues(InstanceId=instance.id, SearchCriteria={"StringCondition": condition})
    assert error_of(excinfo) == ("InvalidParameterException", 400)


@pytest.mark.parametrize(
    "params",
    [
        {"QueueId": "q"},  # missing required QuickConnectIds
        {"QueueId": "q", "QuickConnectIds": []},  # below the model's min of 1
        {"QueueId": "q", "QuickConnectIds": "qc-1"},  # wrong type
        {"QueueId": "q", "QuickConnectIds": ["qc-1"], "Unknown": 1},  # unknown member
    ],
)
def test_botocore_still_validates_the_request(fake_connect, connect_client, instance, params):
    with pytest.raises(ParamValidationError):
        connect_client.associate_queue_quick_connects(InstanceId=instance.id, **params)
    assert fake_connect.calls == []


# ---- errors as Connect answers them ---------------------------------------------------------------


def test_unknown_queue_is_a_404_resource_not_found(connect_client, instance):
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException) as excinfo:
        connect_client.list_queue_quick_connects(InstanceId=instance.id, QueueId="missing")
    assert error_of(excinfo) == ("ResourceNotFoundException", 404)


def test_unknown_instance_is_a_404(connect_client):
    with pytest.raises(ClientError) as excinfo:
        connect_client.list_queues(InstanceId="missing")
    assert error_of(excinfo) == ("ResourceNotFoundException", 404)


def test_unknown_quick_connect_fails_the_whole_associate_call(fake_connect, connect_client, instance, queue):
    known = fake_connect.add_quick_connect(instance)
    with pytest.raises(ClientError) as excinfo:
        connect_client.associate_queue_quick_connects(
            InstanceId=instance.id, QueueId=queue.id, QuickConnectIds=[known.id, "missing"]
        )
    assert error_of(excinfo) == ("ResourceNotFoundException", 404)
    assert fake_connect.associations(queue) == frozenset()


def test_quick_connect_of_another_instance_is_not_found(fake_connect, connect_client, instance, queue):
    foreign = fake_connect.add_quick_connect(fake_connect.add_instance())
    with pytest.raises(ClientError) as excinfo:
        connect_client.associate_queue_quick_connects(
            InstanceId=instance.id, QueueId=queue.id, QuickConnectIds=[foreign.id]
        )
    assert error_of(excinfo) == ("ResourceNotFoundException", 404)


@pytest.mark.parametrize(("code", "status"), sorted(ERROR_STATUS.items()))
def test_injected_faults_raise_real_client_errors_with_code_and_status(fake_connect, connect_client, code, status):
    fake_connect.fail_next("ListInstances", code, message="scripted")
    with pytest.raises(ClientError) as excinfo:
        connect_client.list_instances()
    assert error_of(excinfo) == (code, status)
    assert type(excinfo.value).__name__ == code  # the modelled exception class when there is one
    assert excinfo.value.response["Error"]["Message"] == "scripted"
    connect_client.list_instances()  # the fault was used up


# ---- association semantics -------------------------------------------------------------------------


def test_associate_is_idempotent_and_disassociate_of_unassociated_is_a_no_op(
    fake_connect, connect_client, instance, queue
):
    first, second = fake_connect.add_quick_connects(instance, 2)
    ids = {"InstanceId": instance.id, "QueueId": queue.id}
    connect_client.associate_queue_quick_connects(**ids, QuickConnectIds=[first.id])
    connect_client.associate_queue_quick_connects(**ids, QuickConnectIds=[first.id])
    connect_client.disassociate_queue_quick_connects(**ids, QuickConnectIds=[second.id])
    assert fake_connect.associations(queue) == {first.id}
    with pytest.raises(ClientError) as excinfo:
        connect_client.disassociate_queue_quick_connects(**ids, QuickConnectIds=["missing"])
    assert error_of(excinfo) == ("ResourceNotFoundException", 404)


def test_deleting_a_quick_connect_removes_it_from_every_queue(fake_connect, instance, queue):
    other_queue = fake_connect.add_queue(instance)
    kept, deleted = fake_connect.add_quick_connects(instance, 2)
    fake_connect.console_associate(queue, [kept.id, deleted.id])
    fake_connect.console_associate(other_queue, [deleted.id])
    fake_connect.delete_quick_connect(deleted)
    assert fake_connect.associations(queue) == {kept.id}
    assert fake_connect.associations(other_queue) == frozenset()


@pytest.mark.parametrize("kind", ["USER", "QUEUE", "PHONE_NUMBER", "FLOW"])
def test_quick_connects_of_every_kind_of_the_model_are_associated_and_listed(
    fake_connect, connect_client, instance, queue, kind
):
    quick_connect = fake_connect.add_quick_connect(instance, name=kind.lower(), quick_connect_type=kind)
    connect_client.associate_queue_quick_connects(
        InstanceId=instance.id, QueueId=queue.id, QuickConnectIds=[quick_connect.id]
    )
    listed = connect_client.list_queue_quick_connects(InstanceId=instance.id, QueueId=queue.id)
    assert [(q["Id"], q["QuickConnectType"]) for q in listed["QuickConnectSummaryList"]] == [(quick_connect.id, kind)]


def test_a_quick_connect_type_the_model_lacks_is_refused(fake_connect, instance):
    with pytest.raises(ValueError, match="no quick connect type 'AGENT'"):
        fake_connect.add_quick_connect(instance, quick_connect_type="AGENT")


def test_list_queue_quick_connects_pages_through_everything(fake_connect, connect_client, instance, queue):
    quick_connects = fake_connect.add_quick_connects(instance, 25)
    fake_connect.console_associate(queue, [quick_connect.id for quick_connect in quick_connects])
    params = {"InstanceId": instance.id, "QueueId": queue.id}
    items, pages = list_all(connect_client, "list_queue_quick_connects", "QuickConnectSummaryList", **params)
    assert pages == 3  # default page size 10
    assert sorted(item["Id"] for item in items) == sorted(quick_connect.id for quick_connect in quick_connects)
    assert set(items[0]) == {"Id", "Arn", "Name", "QuickConnectType"}
    _, pages = list_all(
        connect_client, "list_queue_quick_connects", "QuickConnectSummaryList", MaxResults=100, **params
    )
    assert pages == 1


def test_a_token_from_another_listing_is_rejected(fake_connect, connect_client, instance, queue):
    fake_connect.add_quick_connects(instance, 15)
    fake_connect.console_associate(queue, list(fake_connect.quick_connects))
    token = connect_client.list_queue_quick_connects(InstanceId=instance.id, QueueId=queue.id)["NextToken"]
    with pytest.raises(ClientError) as excinfo:
        connect_client.list_queues(InstanceId=instance.id, NextToken=token)
    assert error_of(excinfo) == ("InvalidParameterException", 400)


# ---- operations for the lookup handler -------------------------------------------------------------


@pytest.mark.parametrize(
    ("comparison", "value", "expected"),
    [
        ("EXACT", "Sales", ["Sales"]),
        ("STARTS_WITH", "Sales", ["Sales", "Sales EMEA"]),
        ("CONTAINS", "EMEA", ["Sales EMEA", "Support EMEA"]),
        ("EXACT", "sales", []),
    ],
)
def test_search_queues_by_name(fake_connect, connect_client, instance, comparison, value, expected):
    for name in ["Sales", "Sales EMEA", "Support EMEA", "Billing"]:
        fake_connect.add_queue(instance, name=name)
    condition = {"FieldName": "name", "Value": value, "ComparisonType": comparison}
    response = connect_client.search_queues(InstanceId=instance.id, SearchCriteria={"StringCondition": condition})
    assert [found["Name"] for found in response["Queues"]] == expected
    assert response["ApproximateTotalCount"] == len(expected)


def test_search_queues_paginates_and_honours_max_results(fake_connect, connect_client, instance):
    for number in range(23):
        fake_connect.add_queue(instance, name=f"Team {number:02d}")
    criteria = {"StringCondition": {"FieldName": "name", "Value": "Team", "ComparisonType": "STARTS_WITH"}}
    items, pages = list_all(connect_client, "search_queues", "Queues", InstanceId=instance.id, SearchCriteria=criteria)
    assert (len(items), pages) == (23, 3)
    _, pages = list_all(connect_client, "search_queues", "Queues", InstanceId=instance.id, MaxResults=5)
    assert pages == 5
    with pytest.raises(ClientError) as excinfo:
        connect_client.search_queues(InstanceId=instance.id, MaxResults=501)
    assert error_of(excinfo) == ("InvalidParameterException", 400)


def test_search_queues_rejects_an_unsearchable_field(connect_client, instance):
    condition = {"FieldName": "colour", "Value": "x", "ComparisonType": "EXACT"}
    with pytest.raises(ClientError) as excinfo:
        connect_client.search_queues(InstanceId=instance.id, SearchCriteria={"StringCondition": condition})
    assert error_of(excinfo) == ("InvalidParameterException", 400)


@pytest.mark.parametrize(
    ("comparison", "value", "expected"),
    [("EXACT", "jdoe", ["jdoe"]), ("STARTS_WITH", "jdoe", ["jdoe", "jdoe2"]), ("CONTAINS", "smith", ["asmith"])],
)
def test_search_users_by_username(fake_connect, connect_client, instance, comparison, value, expected):
    for username in ["jdoe", "jdoe2", "asmith"]:
        fake_connect.add_user(instance, username)
    condition = {"FieldName": "Username", "Value": value, "ComparisonType": comparison}
    response = connect_client.search_users(InstanceId=instance.id, SearchCriteria={"StringCondition": condition})
    assert sorted(user["Username"] for user in response["Users"]) == sorted(expected)
    assert all(set(user) == {"Id", "Arn", "Username"} for user in response["Users"])


def test_search_users_paginates(fake_connect, connect_client, instance):
    for number in range(12):
        fake_connect.add_user(instance, f"agent{number}")
    items, pages = list_all(connect_client, "search_users", "Users", InstanceId=instance.id)
    assert (len(items), pages) == (12, 2)


def test_list_contact_flows_filters_by_type_and_paginates(fake_connect, connect_client, instance):
    fake_connect.add_contact_flow(instance, "Default agent transfer", "AGENT_TRANSFER")
    fake_connect.add_contact_flow(instance, "Default queue transfer", "QUEUE_TRANSFER")
    for number in range(15):
        fake_connect.add_contact_flow(instance, f"Flow {number}")
    response = connect_client.list_contact_flows(InstanceId=instance.id, ContactFlowTypes=["AGENT_TRANSFER"])
    assert [(flow["Name"], flow["ContactFlowType"]) for flow in response["ContactFlowSummaryList"]] == [
        ("Default agent transfer", "AGENT_TRANSFER")
    ]
    items, pages = list_all(connect_client, "list_contact_flows", "ContactFlowSummaryList", InstanceId=instance.id)
    assert (len(items), pages) == (17, 2)
    with pytest.raises(ClientError) as excinfo:
        connect_client.list_contact_flows(InstanceId=instance.id, MaxResults=1001)
    assert error_of(excinfo) == ("InvalidParameterException", 400)


def test_list_instances_paginates_with_its_max_of_10(fake_connect, connect_client):
    for number in range(12):
        fake_connect.add_instance(alias=f"site{number:02d}")
    items, pages = list_all(connect_client, "list_instances", "InstanceSummaryList", MaxResults=10)
    assert (len(items), pages) == (12, 2)
    assert {"Id", "Arn", "InstanceAlias"} <= set(items[0])
    with pytest.raises(ClientError):
        connect_client.list_instances(MaxResults=11)


def test_list_queues_filters_by_type_and_list_users_paginates(fake_connect, connect_client, instance):
    fake_connect.add_queue(instance, name="BasicQueue")
    fake_connect.add_queue(instance, name="agent-queue", queue_type="AGENT")
    standard = connect_client.list_queues(InstanceId=instance.id, QueueTypes=["STANDARD"])["QueueSummaryList"]
    assert [queue["Name"] for queue in standard] == ["BasicQueue"]
    for number in range(11):
        fake_connect.add_user(instance, f"user{number}")
    items, pages = list_all(connect_client, "list_users", "UserSummaryList", InstanceId=instance.id)
    assert (len(items), pages) == (11, 2)


# ---- fault injection and the call log --------------------------------------------------------------


def test_fail_next_fails_the_given_number_of_calls_then_recovers(fake_connect, connect_client, instance, queue):
    fake_connect.fail_next("ListQueueQuickConnects", "ThrottlingException", times=2)
    for _ in range(2):
        with pytest.raises(connect_client.exceptions.ThrottlingException):
            connect_client.list_queue_quick_connects(InstanceId=instance.id, QueueId=queue.id)
    connect_client.list_queue_quick_connects(InstanceId=instance.id, QueueId=queue.id)
    assert [recorded.outcome for recorded in fake_connect.calls] == ["ThrottlingException"] * 2 + ["ok"]
    assert fake_connect.calls[0].params == {"InstanceId": instance.id, "QueueId": queue.id}


def test_fail_next_after_lets_calls_through_first(fake_connect, connect_client, instance):
    fake_connect.fail_next("ListQueues", "InternalServiceException", after=2)
    connect_client.list_queues(InstanceId=instance.id)
    connect_client.list_queues(InstanceId=instance.id)
    with pytest.raises(ClientError) as excinfo:
        connect_client.list_queues(InstanceId=instance.id)
    assert error_of(excinfo) == ("InternalServiceException", 500)


def test_apply_first_fault_changes_state_and_still_fails(fake_connect, connect_client, instance, queue):
    quick_connect = fake_connect.add_quick_connect(instance)
    fake_connect.fail_next("AssociateQueueQuickConnects", "InternalServiceException", apply_first=True)
    with pytest.raises(ClientError):
        connect_client.associate_queue_quick_connects(
            InstanceId=instance.id, QueueId=queue.id, QuickConnectIds=[quick_connect.id]
        )
    assert fake_connect.associations(queue) == {quick_connect.id}


def test_new_quick_connects_are_not_found_for_their_first_associate_calls(
    fake_connect, connect_client, instance, queue
):
    fake_connect.new_quick_connects_not_found_for = 2
    quick_connect = fake_connect.add_quick_connect(instance)
    params = {"InstanceId": instance.id, "QueueId": queue.id, "QuickConnectIds": [quick_connect.id]}
    for _ in range(2):
        with pytest.raises(connect_client.exceptions.ResourceNotFoundException):
            connect_client.associate_queue_quick_connects(**params)
    connect_client.associate_queue_quick_connects(**params)
    assert fake_connect.associations(queue) == {quick_connect.id}


def test_run_before_next_simulates_a_race(fake_connect, connect_client, instance, queue):
    quick_connect = fake_connect.add_quick_connect(instance)
    fake_connect.run_before_next(
        "AssociateQueueQuickConnects", lambda: fake_connect.delete_quick_connect(quick_connect)
    )
    with pytest.raises(connect_client.exceptions.ResourceNotFoundException):
        connect_client.associate_queue_quick_connects(
            InstanceId=instance.id, QueueId=queue.id, QuickConnectIds=[quick_connect.id]
        )


def test_mutating_calls_are_counted(fake_connect, connect_client, instance, queue):
    quick_connect = fake_connect.add_quick_connect(instance)
    params = {"InstanceId": instance.id, "QueueId": queue.id}
    connect_client.list_queue_quick_connects(**params)
    connect_client.associate_queue_quick_connects(**params, QuickConnectIds=[quick_connect.id])
    connect_client.disassociate_queue_quick_connects(**params, QuickConnectIds=[quick_connect.id])
    assert [recorded.operation for recorded in fake_connect.mutating_calls()] == [
        "AssociateQueueQuickConnects",
        "DisassociateQueueQuickConnects",
    ]
    assert len(fake_connect.calls_to("ListQueueQuickConnects")) == 1


def test_a_storm_throttles_every_operation_from_the_given_call_until_the_given_time(instance, queue):
    clock = FakeClock()
    fake = FakeConnect(clock=clock, latency=1.0)  # each call ends one virtual second later
    fake.instances[instance.id] = instance
    fake.queues[queue.id] = queue
    client = fake.client()
    fake.storm(after=2, until=5.0)
    calls = [
        lambda: client.list_queue_quick_connects(InstanceId=instance.id, QueueId=queue.id),
        lambda: client.list_queues(InstanceId=instance.id),
    ]
    for number in range(7):
        with contextlib.suppress(ClientError):
            calls[number % 2]()
    # served at t = 1, 2, ... 7: the third and fourth (t < 5), one of each operation, are throttled
    assert [recorded.outcome for recorded in fake.calls] == [
        "ok",
        "ok",
        "ThrottlingException",
        "ThrottlingException",
        "ok",
        "ok",
        "ok",
    ]
    assert {recorded.operation for recorded in fake.calls[2:4]} == {"ListQueueQuickConnects", "ListQueues"}


def test_a_stuck_paginator_answers_the_token_it_was_given(fake_connect, connect_client, instance, queue):
    fake_connect.console_associate(queue, [qc.id for qc in fake_connect.add_quick_connects(instance, 25)])
    fake_connect.stuck_paging = "ListQueueQuickConnects"
    params = {"InstanceId": instance.id, "QueueId": queue.id, "MaxResults": 10}
    first = connect_client.list_queue_quick_connects(**params)
    second = connect_client.list_queue_quick_connects(**params, NextToken=first["NextToken"])
    assert second["NextToken"] == first["NextToken"]
    fake_connect.add_queue(instance)
    queues = connect_client.list_queues(InstanceId=instance.id, MaxResults=1)
    last = connect_client.list_queues(InstanceId=instance.id, MaxResults=1, NextToken=queues["NextToken"])
    assert "NextToken" not in last  # other operations page as before
