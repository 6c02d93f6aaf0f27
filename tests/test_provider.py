"""The shared function logs to a group of the template, bounded and removed with the stack, in both worlds."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

from cdk_connect_quickconnect import ConnectInstance, ConnectValidationError, Queue
from cdk_connect_quickconnect._provider import LOG_REMOVAL_CONTEXT_KEY, LOG_RETENTION_CONTEXT_KEY
from tests.support import FLAG_SETS, INSTANCE_ARN, function_log_groups, new_app_stack


def _synth(stack: cdk.Stack) -> dict[str, Any]:
    template = dict(Template.from_stack(stack).to_json())
    return template


@pytest.mark.parametrize("flag_set", FLAG_SETS)
def test_every_function_logs_to_a_bounded_group_removed_with_the_stack(flag_set: str) -> None:
    log_groups = function_log_groups(_synth_default(flag_set))

    assert len(log_groups) == 1  # one function per stack: it answers CloudFormation itself
    for function, group in log_groups.items():
        assert group is not None, f"{function} logs to a group outside the template"
        assert group["Properties"]["RetentionInDays"] == 30, function
        assert group["DeletionPolicy"] == "Delete", function


def _synth_default(flag_set: str) -> dict[str, Any]:
    stack = new_app_stack(flag_set)
    Queue.from_queue_name(stack, "BasicQueue", ConnectInstance.from_instance_arn(stack, "I", INSTANCE_ARN), "Basic")
    return _synth(stack)


def test_retention_and_removal_are_set_per_stack_in_context() -> None:
    stack = new_app_stack("bare")
    stack.node.set_context(LOG_RETENTION_CONTEXT_KEY, "90")
    stack.node.set_context(LOG_REMOVAL_CONTEXT_KEY, "retain")
    Queue.from_queue_name(stack, "BasicQueue", ConnectInstance.from_instance_arn(stack, "I", INSTANCE_ARN), "Basic")

    groups = [group for group in function_log_groups(_synth(stack)).values() if group is not None]
    assert [(g["Properties"]["RetentionInDays"], g["DeletionPolicy"]) for g in groups] == [(90, "Retain")]


@pytest.mark.parametrize(
    ("key", "value", "rule"),
    [
        (LOG_RETENTION_CONTEXT_KEY, 31, "be a number of days CloudWatch Logs keeps (1, 3, 5, 7, 14, 30, "),
        (LOG_RETENTION_CONTEXT_KEY, "forever", "be a number of days CloudWatch Logs keeps (1, 3, 5, 7, 14, 30, "),
        (LOG_REMOVAL_CONTEXT_KEY, "snapshot", "be 'destroy' or 'retain'"),
    ],
)
def test_fails_when_a_log_setting_is_not_one_cloudwatch_takes(key: str, value: object, rule: str) -> None:
    stack = new_app_stack("bare")
    stack.node.set_context(key, value)
    instance = ConnectInstance.from_instance_arn(stack, "I", INSTANCE_ARN)

    with pytest.raises(ConnectValidationError) as raised:
        Queue.from_queue_name(stack, "BasicQueue", instance, "Basic")
    message = str(raised.value)
    assert message.startswith(f"'context {key}' must {rule}")
    assert message.endswith(f"got {value!r} (at Stack/ConnectQuickConnectProvider)")
