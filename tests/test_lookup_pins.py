"""Pinned lookups (``connectLookups`` context) whose keys name the instance searched, and the keys before them."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Annotations, Match, Template

from cdk_connect_quickconnect import (
    AgentTransferFlow,
    ConnectInstance,
    ConnectValidationError,
    Queue,
    User,
)
from cdk_connect_quickconnect.lookups import LEGACY_KEY_WARNING, context_key
from tests.support import ACCOUNT, INSTANCE_ARN, QUEUE_ARN, REGION

INSTANCE_ID = INSTANCE_ARN.rsplit("/", 1)[-1]
OTHER_INSTANCE_ID = "bbbbbbbb-2222-4333-8444-555555555555"
OTHER_INSTANCE_ARN = f"arn:aws:connect:{REGION}:{ACCOUNT}:instance/{OTHER_INSTANCE_ID}"
OTHER_QUEUE_ARN = f"{OTHER_INSTANCE_ARN}/queue/22222222-2222-4333-8444-555555555555"
FLOW_ARN = f"{INSTANCE_ARN}/contact-flow/f-1"


def _stack(context: dict[str, Any]) -> cdk.Stack:
    return cdk.Stack(cdk.App(context=context), "Stack", env=cdk.Environment(account=ACCOUNT, region=REGION))


def _pins(**pins: str) -> dict[str, Any]:
    return {"connectLookups": pins}


def _legacy_warnings(stack: cdk.Stack) -> list[str]:
    found = Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp("names no instance"))
    return [str(message.entry.data) for message in found]


def _synth(stack: cdk.Stack) -> None:
    app = cdk.App.of(stack)
    assert app is not None
    app.synth()


def test_context_key_names_the_instance_then_the_kind_and_name() -> None:
    assert context_key("queue", "BasicQueue", instance="my-contact-center") == "my-contact-center/queue:BasicQueue"
    assert (
        context_key("contact-flow", "Default agent transfer", "AGENT_TRANSFER", instance=INSTANCE_ID)
        == f"{INSTANCE_ID}/contact-flow:AGENT_TRANSFER:Default agent transfer"
    )
    assert context_key("instance", "my-contact-center") == "instance:my-contact-center"
    assert context_key("queue", "BasicQueue") == "queue:BasicQueue"  # the key of releases before 0.2.0


def test_pins_keyed_by_alias_replace_every_lookup_without_a_warning() -> None:
    stack = _stack(
        {
            "connectLookups": {
                "instance:my-contact-center": INSTANCE_ARN,
                "my-contact-center/queue:BasicQueue": QUEUE_ARN,
                "my-contact-center/user:mav2": f"{INSTANCE_ARN}/agent/u-1",
                "my-contact-center/contact-flow:AGENT_TRANSFER:Default agent transfer": FLOW_ARN,
            }
        }
    )
    instance = ConnectInstance.from_instance_alias(stack, "Instance", "my-contact-center")
    queue = Queue.from_queue_name(stack, "BasicQueue", instance, "BasicQueue")
    user = User.from_username(stack, "Mav2", instance, "mav2")
    flow = AgentTransferFlow.from_default(stack, "Agent", instance)

    assert (queue.queue_arn, user.user_arn, flow.contact_flow_arn) == (QUEUE_ARN, f"{INSTANCE_ARN}/agent/u-1", FLOW_ARN)
    Template.from_stack(stack).resource_count_is("Custom::ConnectLookup", 0)
    assert _legacy_warnings(stack) == []


def test_an_alias_key_pins_a_lookup_in_an_instance_still_looked_up_at_deploy_time() -> None:
    stack = _stack(_pins(**{"my-contact-center/queue:BasicQueue": QUEUE_ARN}))
    instance = ConnectInstance.from_instance_alias(stack, "Instance", "my-contact-center")
    queue = Queue.from_queue_name(stack, "BasicQueue", instance, "BasicQueue")

    assert queue.queue_arn == QUEUE_ARN
    lookups = Template.from_stack(stack).find_resources("Custom::ConnectLookup")
    assert [resource["Properties"]["Kind"] for resource in lookups.values()] == ["instance"]


def test_an_instance_given_by_arn_is_named_by_its_id() -> None:
    stack = _stack(_pins(**{f"{INSTANCE_ID}/queue:BasicQueue": QUEUE_ARN}))
    queue = Queue.from_queue_name(
        stack, "BasicQueue", ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN), "BasicQueue"
    )
    assert queue.queue_arn == QUEUE_ARN
    assert _legacy_warnings(stack) == []


def test_a_pinned_alias_instance_also_takes_keys_naming_its_id() -> None:
    """What ``pin`` writes when it sees the instance's ARN in the template because the alias was pinned already."""
    stack = _stack(_pins(**{"instance:my-contact-center": INSTANCE_ARN, f"{INSTANCE_ID}/queue:BasicQueue": QUEUE_ARN}))
    instance = ConnectInstance.from_instance_alias(stack, "Instance", "my-contact-center")
    assert Queue.from_queue_name(stack, "BasicQueue", instance, "BasicQueue").queue_arn == QUEUE_ARN


def test_two_instances_each_take_their_own_pin() -> None:
    pins = {f"{INSTANCE_ID}/queue:BasicQueue": QUEUE_ARN, f"{OTHER_INSTANCE_ID}/queue:BasicQueue": OTHER_QUEUE_ARN}
    stack = _stack(_pins(**pins))
    first = ConnectInstance.from_instance_arn(stack, "First", INSTANCE_ARN)
    second = ConnectInstance.from_instance_arn(stack, "Second", OTHER_INSTANCE_ARN)
    assert Queue.from_queue_name(stack, "FirstBasic", first, "BasicQueue").queue_arn == QUEUE_ARN
    assert Queue.from_queue_name(stack, "SecondBasic", second, "BasicQueue").queue_arn == OTHER_QUEUE_ARN
    _synth(stack)


def test_a_key_naming_no_instance_still_works_in_a_one_instance_app_with_a_warning_saying_how_to_migrate() -> None:
    stack = _stack(_pins(**{"instance:my-contact-center": INSTANCE_ARN, "queue:BasicQueue": QUEUE_ARN}))
    instance = ConnectInstance.from_instance_alias(stack, "Instance", "my-contact-center")
    assert Queue.from_queue_name(stack, "BasicQueue", instance, "BasicQueue").queue_arn == QUEUE_ARN

    [warning] = _legacy_warnings(stack)
    assert "connectLookups key 'queue:BasicQueue' names no instance" in warning
    assert "rename it to 'my-contact-center/queue:BasicQueue'" in warning
    assert "cdk-connect-quickconnect pin" in warning
    assert f"[ack: {LEGACY_KEY_WARNING}]" in warning


def test_the_warning_can_be_acknowledged_as_any_aws_cdk_warning() -> None:
    stack = _stack(_pins(**{"queue:BasicQueue": QUEUE_ARN}))
    cdk.Annotations.of(stack).acknowledge_warning(LEGACY_KEY_WARNING, "migrating next sprint")
    instance = ConnectInstance.from_instance_arn(stack, "I", INSTANCE_ARN)
    Queue.from_queue_name(stack, "BasicQueue", instance, "BasicQueue")
    assert _legacy_warnings(stack) == []


def test_an_instance_given_as_a_deploy_time_value_cannot_be_named_and_keeps_the_old_key() -> None:
    stack = _stack(_pins(**{"queue:BasicQueue": QUEUE_ARN}))
    instance_arn = cdk.CfnParameter(stack, "InstanceArn").value_as_string
    instance = ConnectInstance.from_instance_arn(stack, "Instance", instance_arn)
    assert Queue.from_queue_name(stack, "BasicQueue", instance, "BasicQueue").queue_arn == QUEUE_ARN

    [warning] = _legacy_warnings(stack)
    assert "the instance searched is a deploy-time value (a CfnParameter, say), which no key can name" in warning


def test_an_instance_given_as_a_deploy_time_value_is_looked_up_when_only_instance_named_keys_exist() -> None:
    stack = _stack(_pins(**{f"{INSTANCE_ID}/queue:BasicQueue": QUEUE_ARN}))
    instance_arn = cdk.CfnParameter(stack, "InstanceArn").value_as_string
    instance = ConnectInstance.from_instance_arn(stack, "I", instance_arn)
    Queue.from_queue_name(stack, "BasicQueue", instance, "BasicQueue")
    Template.from_stack(stack).resource_count_is("Custom::ConnectLookup", 1)


def test_fails_at_synth_when_a_key_naming_no_instance_is_used_in_an_app_with_two_instances() -> None:
    """The issue's case: the second instance's lookup silently took the first one's ARN."""
    stack = _stack(_pins(**{"queue:BasicQueue": QUEUE_ARN}))
    first = ConnectInstance.from_instance_alias(stack, "First", "my-contact-center")
    second = ConnectInstance.from_instance_alias(stack, "Second", "other-center")
    Queue.from_queue_name(stack, "FirstBasic", first, "BasicQueue")
    Queue.from_queue_name(stack, "SecondBasic", second, "BasicQueue")

    with pytest.raises(Exception, match="Validation failed") as raised:
        _synth(stack)
    assert (
        "'context connectLookups' must name the instance in a key when the app looks 'queue:BasicQueue' up in two "
        "instances (my-contact-center at Stack/FirstBasic and other-center at Stack/SecondBasic); rename it "
        "'my-contact-center/queue:BasicQueue' or 'other-center/queue:BasicQueue', or run "
        "'cdk-connect-quickconnect pin', got 'queue:BasicQueue' (at Stack/FirstBasic)"
    ) in str(raised.value)


def test_fails_at_synth_when_one_instance_migrated_and_the_other_would_take_the_old_key() -> None:
    stack = _stack(_pins(**{"my-contact-center/queue:BasicQueue": QUEUE_ARN, "queue:BasicQueue": QUEUE_ARN}))
    first = ConnectInstance.from_instance_alias(stack, "First", "my-contact-center")
    second = ConnectInstance.from_instance_alias(stack, "Second", "other-center")
    Queue.from_queue_name(stack, "FirstBasic", first, "BasicQueue")
    Queue.from_queue_name(stack, "SecondBasic", second, "BasicQueue")

    with pytest.raises(Exception, match=r"looks 'queue:BasicQueue' up in two instances \(my-contact-center"):
        _synth(stack)


def test_fails_at_once_when_a_pinned_arn_is_of_another_instance_than_the_one_searched() -> None:
    stack = _stack(_pins(**{"queue:BasicQueue": QUEUE_ARN}))
    second = ConnectInstance.from_instance_arn(stack, "Second", OTHER_INSTANCE_ARN)
    with pytest.raises(ConnectValidationError) as raised:
        Queue.from_queue_name(stack, "SecondBasic", second, "BasicQueue")
    assert str(raised.value) == (
        f"'context connectLookups' must pin an ARN of the instance searched ({OTHER_INSTANCE_ID}) under "
        f"'queue:BasicQueue', got '{QUEUE_ARN}' (at Stack/SecondBasic)"
    )
