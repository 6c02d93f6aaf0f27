"""App-wide ownership of a quick connect on a queue, and the association's removal policy."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

from cdk_connect_quickconnect import (
    ConnectInstance,
    ConnectValidationError,
    Queue,
    QueueQuickConnectAssociation,
    QuickConnect,
    QuickConnectDestination,
)
from tests.support import ACCOUNT, INSTANCE_ARN, QUEUE_ARN, REGION, owned_cfn_queue

QUICK_CONNECT_ARN = f"{INSTANCE_ARN}/transfer-destination/abcdefab-1111-4222-8333-444444444444"
OTHER_QUICK_CONNECT_ARN = f"{INSTANCE_ARN}/transfer-destination/abcdefab-1111-4222-8333-555555555555"
SECOND_QUEUE_ARN = f"{INSTANCE_ARN}/queue/22222222-2222-4333-8444-555555555555"


def two_stacks() -> tuple[cdk.App, cdk.Stack, cdk.Stack]:
    app = cdk.App()
    env = cdk.Environment(account=ACCOUNT, region=REGION)
    return app, cdk.Stack(app, "A", env=env), cdk.Stack(app, "B", env=env)


def imported(stack: cdk.Stack, arn: str = QUICK_CONNECT_ARN, name: str = "Qc") -> QuickConnect:
    return QuickConnect.from_quick_connect_arn(stack, name, arn)  # type: ignore[return-value]


def test_fails_when_two_stacks_list_the_same_quick_connect_on_the_same_queue() -> None:
    _, stack_a, stack_b = two_stacks()
    QueueQuickConnectAssociation(
        stack_a, "OnBasic", queue=Queue.from_queue_arn(stack_a, "Basic", QUEUE_ARN), quick_connects=[imported(stack_a)]
    )
    with pytest.raises(ConnectValidationError) as excinfo:
        QueueQuickConnectAssociation(
            stack_b,
            "AlsoOnBasic",
            queue=Queue.from_queue_arn(stack_b, "Basic", QUEUE_ARN),
            quick_connects=[imported(stack_b)],
        )
    message = str(excinfo.value)
    assert "another association already lists on the same queue (A/OnBasic" in message
    assert "(at B/AlsoOnBasic)" in message
    assert "B/Qc on B/Basic" in message


def test_fails_for_an_association_in_one_stack_and_add_quick_connects_in_another() -> None:
    """The issue's case: stack A associates with a queue of stack B, which also adds the same quick connect."""
    _, stack_a, stack_b = two_stacks()
    cfn_queue = owned_cfn_queue(stack_b)
    queue = Queue.from_cfn_queue(cfn_queue)
    quick_connect = QuickConnect(
        stack_b,
        "Hotline",
        instance=ConnectInstance.from_instance_arn(stack_b, "Instance", INSTANCE_ARN),
        name="Hotline",
        destination=QuickConnectDestination.phone_number("+18005550100"),
    )
    QueueQuickConnectAssociation(stack_a, "FromA", queue=queue, quick_connects=[quick_connect])
    with pytest.raises(ConnectValidationError, match=r"A/FromA.*\(at B/Owned/QuickConnects\)"):
        QueueQuickConnectAssociation.add_to_queue(queue, quick_connect)


def test_different_quick_connects_on_one_queue_or_one_quick_connect_on_two_queues_are_fine() -> None:
    app, stack_a, stack_b = two_stacks()
    basic_a = Queue.from_queue_arn(stack_a, "Basic", QUEUE_ARN)
    basic_b = Queue.from_queue_arn(stack_b, "Basic", QUEUE_ARN)
    QueueQuickConnectAssociation(stack_a, "One", queue=basic_a, quick_connects=[imported(stack_a)])
    QueueQuickConnectAssociation(
        stack_b, "Other", queue=basic_b, quick_connects=[imported(stack_b, OTHER_QUICK_CONNECT_ARN)]
    )
    second = Queue.from_queue_arn(stack_b, "Second", SECOND_QUEUE_ARN)
    QueueQuickConnectAssociation(stack_b, "OnSecond", queue=second, quick_connects=[imported(stack_b, name="Again")])
    app.synth()


def test_fails_at_synth_when_the_cfn_queue_lists_the_same_quick_connect_itself() -> None:
    app, stack, _ = two_stacks()
    cfn_queue = owned_cfn_queue(stack)
    cfn_queue.quick_connect_arns = [QUICK_CONNECT_ARN]  # set after the association, as a later edit would
    QueueQuickConnectAssociation(
        stack, "OnOwned", queue=Queue.from_cfn_queue(cfn_queue), quick_connects=[imported(stack)]
    )
    with pytest.raises(Exception, match=r"CfnQueue A/Owned already lists in its own QuickConnectArns") as excinfo:
        app.synth()
    assert "A/OnOwned" in str(excinfo.value)


def test_a_cfn_queue_listing_other_quick_connects_is_fine() -> None:
    app, stack, _ = two_stacks()
    cfn_queue = owned_cfn_queue(stack)
    cfn_queue.quick_connect_arns = [OTHER_QUICK_CONNECT_ARN]
    QueueQuickConnectAssociation(
        stack, "OnOwned", queue=Queue.from_cfn_queue(cfn_queue), quick_connects=[imported(stack)]
    )
    app.synth()


# ---- removal policy ----------------------------------------------------------------------------------------


def association_resource(stack: cdk.Stack) -> dict[str, object]:
    [resource] = Template.from_stack(stack).find_resources("Custom::ConnectQueueQuickConnects").values()
    return resource


def test_removal_policy_retain_keeps_the_associations_in_the_template_and_tells_the_handler() -> None:
    _, stack, _ = two_stacks()
    QueueQuickConnectAssociation(
        stack,
        "Kept",
        queue=Queue.from_queue_arn(stack, "Basic", QUEUE_ARN),
        quick_connects=[imported(stack)],
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )
    resource = association_resource(stack)
    assert resource["DeletionPolicy"] == resource["UpdateReplacePolicy"] == "Retain"
    assert resource["Properties"]["RemovalPolicy"] == "retain"  # type: ignore[index]


def test_the_default_removal_policy_destroys_and_adds_no_property() -> None:
    _, stack, _ = two_stacks()
    QueueQuickConnectAssociation(
        stack, "Default", queue=Queue.from_queue_arn(stack, "Basic", QUEUE_ARN), quick_connects=[imported(stack)]
    )
    resource = association_resource(stack)
    assert resource["DeletionPolicy"] == "Delete"
    assert "RemovalPolicy" not in resource["Properties"]  # type: ignore[operator]


@pytest.mark.parametrize("policy", [cdk.RemovalPolicy.SNAPSHOT, cdk.RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE])
def test_fails_when_the_removal_policy_has_no_meaning_for_an_association(policy: cdk.RemovalPolicy) -> None:
    _, stack, _ = two_stacks()
    with pytest.raises(ConnectValidationError, match=r"'removal_policy' must be RemovalPolicy.DESTROY or"):
        QueueQuickConnectAssociation(
            stack,
            "Odd",
            queue=Queue.from_queue_arn(stack, "Basic", QUEUE_ARN),
            quick_connects=[imported(stack)],
            removal_policy=policy,
        )


def test_fails_when_two_stacks_look_up_the_same_queue_by_name_and_list_the_same_quick_connect() -> None:
    _, stack_a, stack_b = two_stacks()
    for stack, name in ((stack_a, "First"), (stack_b, "Second")):
        instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
        basic = Queue.from_queue_name(stack, "Basic", instance, "BasicQueue")
        if stack is stack_a:
            QueueQuickConnectAssociation(stack, name, queue=basic, quick_connects=[imported(stack)])
        else:
            with pytest.raises(ConnectValidationError, match=r"already lists on the same queue \(A/First"):
                QueueQuickConnectAssociation(stack, name, queue=basic, quick_connects=[imported(stack)])


def test_lookups_of_different_queues_do_not_collide() -> None:
    app, stack_a, stack_b = two_stacks()
    for stack, queue_name in ((stack_a, "BasicQueue"), (stack_b, "Support")):
        instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
        queue = Queue.from_queue_name(stack, "Queue", instance, queue_name)
        QueueQuickConnectAssociation(stack, "On", queue=queue, quick_connects=[imported(stack)])
    app.synth()


# ---- the same value as two different tokens: compared at synth, once per app -------------------------------


def test_fails_at_synth_when_one_association_lists_two_tokens_of_the_same_value() -> None:
    """Two imports of one exported ARN are two token strings: construction cannot tell, synth resolves them."""
    app, stack, _ = two_stacks()
    first = imported(stack, cdk.Fn.import_value("HotlineArn"), "First")
    second = imported(stack, cdk.Fn.import_value("HotlineArn"), "Second")
    QueueQuickConnectAssociation(
        stack, "OnBasic", queue=Queue.from_queue_arn(stack, "Basic", QUEUE_ARN), quick_connects=[first, second]
    )
    with pytest.raises(Exception, match=r"must list each quick connect once, got 'A/Second twice' \(at A/OnBasic\)"):
        app.synth()


def test_fails_at_synth_when_another_stack_lists_a_second_token_of_the_same_quick_connect() -> None:
    app, stack_a, stack_b = two_stacks()
    QueueQuickConnectAssociation(
        stack_a,
        "First",
        queue=Queue.from_queue_arn(stack_a, "Basic", QUEUE_ARN),
        quick_connects=[imported(stack_a, cdk.Fn.import_value("HotlineArn"), "Hotline")],
    )
    QueueQuickConnectAssociation(
        stack_b,
        "Second",
        queue=Queue.from_queue_arn(stack_b, "Basic", QUEUE_ARN),
        quick_connects=[imported(stack_a, cdk.Fn.import_value("HotlineArn"), "HotlineAgain")],
    )
    with pytest.raises(Exception, match=r"already lists on the same queue \(A/First.*A/HotlineAgain on B/Basic"):
        app.synth()


def test_two_tokens_of_different_values_pass_synth() -> None:
    app, stack, _ = two_stacks()
    quick_connects = [imported(stack, cdk.Fn.import_value(name), name) for name in ("HotlineArn", "SupportArn")]
    QueueQuickConnectAssociation(
        stack, "OnBasic", queue=Queue.from_queue_arn(stack, "Basic", QUEUE_ARN), quick_connects=quick_connects
    )
    app.synth()
