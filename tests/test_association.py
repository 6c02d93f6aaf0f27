from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_lambda as lambda_
from aws_cdk.assertions import Match, Template
from syrupy.assertion import SnapshotAssertion

from cdk_connect_quickconnect import (
    ConnectInstance,
    ConnectValidationError,
    Queue,
    QueueQuickConnectAssociation,
    QuickConnect,
    QuickConnectDestination,
)
from tests.support import (
    INSTANCE_ARN,
    OTHER_INSTANCE_ARN,
    QUEUE_ARN,
    cfn_lint_findings,
    new_stack,
    normalise,
    owned_cfn_queue,
    template_of,
)

SECOND_QUEUE_ARN = f"{INSTANCE_ARN}/queue/22222222-2222-4333-8444-555555555555"


def _phone_quick_connects(
    stack: cdk.Stack, count: int, instance_arn: str = INSTANCE_ARN, prefix: str = "Phone"
) -> list[QuickConnect]:
    instance = ConnectInstance.from_instance_arn(stack, f"{prefix}Instance", instance_arn)
    return [
        QuickConnect(
            stack,
            f"{prefix}{i}",
            instance=instance,
            name=f"{prefix} line {i}",
            destination=QuickConnectDestination.phone_number(f"+1800555{i:04d}"),
        )
        for i in range(count)
    ]


def _get_att(stack: cdk.Stack, construct: Any) -> dict[str, Any]:
    return {"Fn::GetAtt": [stack.get_logical_id(construct.node.default_child), "QuickConnectArn"]}


def _policy_statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        statement
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::IAM::Policy"
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]
    ]


def test_associates_quick_connects_with_an_imported_queue() -> None:
    stack = new_stack()
    quick_connects = _phone_quick_connects(stack, 2)
    queue = Queue.from_queue_arn(stack, "BasicQueue", QUEUE_ARN)
    QueueQuickConnectAssociation(stack, "OnBasic", queue=queue, quick_connects=quick_connects)

    template = Template.from_stack(stack)
    template.resource_count_is("Custom::ConnectQueueQuickConnects", 1)
    template.has_resource_properties(
        "Custom::ConnectQueueQuickConnects",
        {
            "ServiceToken": Match.any_value(),
            "QueueArn": QUEUE_ARN,
            "QuickConnectArns": [_get_att(stack, qc) for qc in quick_connects],
        },
    )


def test_add_to_queue_shares_one_resource_per_queue() -> None:
    stack = new_stack()
    first, second, third = _phone_quick_connects(stack, 3)
    queue = Queue.from_queue_arn(stack, "BasicQueue", QUEUE_ARN)

    association = QueueQuickConnectAssociation.add_to_queue(queue, first)
    assert QueueQuickConnectAssociation.add_to_queue(queue, second, third) is association

    template = Template.from_stack(stack)
    template.resource_count_is("Custom::ConnectQueueQuickConnects", 1)
    template.has_resource_properties(
        "Custom::ConnectQueueQuickConnects",
        {"QuickConnectArns": [_get_att(stack, qc) for qc in (first, second, third)]},
    )


def test_add_to_queue_extends_an_explicit_association() -> None:
    stack = new_stack()
    first, second = _phone_quick_connects(stack, 2)
    queue = Queue.from_queue_arn(stack, "BasicQueue", QUEUE_ARN)
    association = QueueQuickConnectAssociation(stack, "OnBasic", queue=queue, quick_connects=[first])

    assert QueueQuickConnectAssociation.add_to_queue(queue, second) is association
    assert association.quick_connects == (first, second)


def test_associates_with_a_queue_of_the_same_stack() -> None:
    stack = new_stack()
    (quick_connect,) = _phone_quick_connects(stack, 1)
    cfn_queue = owned_cfn_queue(stack)
    QueueQuickConnectAssociation.add_to_queue(Queue.from_cfn_queue(cfn_queue), quick_connect)

    queue_arn = {"Fn::GetAtt": [stack.get_logical_id(cfn_queue), "QueueArn"]}
    Template.from_stack(stack).has_resource_properties(
        "Custom::ConnectQueueQuickConnects",
        {"QueueArn": queue_arn, "QuickConnectArns": [_get_att(stack, quick_connect)]},
    )


def test_one_provider_serves_every_association_of_a_stack() -> None:
    stack = new_stack()
    quick_connects = _phone_quick_connects(stack, 4)
    for index, queue_arn in enumerate((QUEUE_ARN, SECOND_QUEUE_ARN)):
        queue = Queue.from_queue_arn(stack, f"Queue{index}", queue_arn)
        QueueQuickConnectAssociation(stack, f"On{index}", queue=queue, quick_connects=quick_connects[index::2])

    template = Template.from_stack(stack)
    template.resource_count_is("Custom::ConnectQueueQuickConnects", 2)
    template.resource_count_is("AWS::Lambda::Function", 1)  # answers CloudFormation itself: no framework function
    template.resource_count_is("AWS::IAM::Role", 1)
    template.resource_count_is("AWS::IAM::Policy", 1)
    template.resource_count_is("AWS::Logs::LogGroup", 1)
    template.has_resource_properties(
        "AWS::Lambda::Function", {"Runtime": "python3.14", "Handler": "_handlers.index.handler", "Timeout": 300}
    )
    template.all_resources_properties("Custom::ConnectQueueQuickConnects", {"ServiceTimeout": "600"})


def test_handler_may_only_touch_the_queue_and_the_instances_quick_connects() -> None:
    stack = new_stack()
    queue = Queue.from_queue_arn(stack, "BasicQueue", QUEUE_ARN)
    QueueQuickConnectAssociation(stack, "OnBasic", queue=queue, quick_connects=_phone_quick_connects(stack, 1))
    QueueQuickConnectAssociation(
        stack,
        "OnSecond",
        queue=Queue.from_queue_arn(stack, "Second", SECOND_QUEUE_ARN),
        quick_connects=_phone_quick_connects(stack, 2, prefix="More"),
    )

    connect_statements = [s for s in _policy_statements(template_of(stack)) if "connect:" in json.dumps(s["Action"])]
    assert connect_statements == [
        {
            "Action": ["connect:AssociateQueueQuickConnects", "connect:DisassociateQueueQuickConnects"],
            "Effect": "Allow",
            "Resource": [f"{INSTANCE_ARN}/queue/*", f"{INSTANCE_ARN}/transfer-destination/*"],
        },
        {"Action": "connect:ListQueueQuickConnects", "Effect": "Allow", "Resource": f"{INSTANCE_ARN}/queue/*"},
    ]


def test_associations_depend_on_the_policy_that_lets_the_handler_act() -> None:
    stack = new_stack()
    queue = Queue.from_queue_arn(stack, "BasicQueue", QUEUE_ARN)
    QueueQuickConnectAssociation(stack, "OnBasic", queue=queue, quick_connects=_phone_quick_connects(stack, 1))
    template = template_of(stack)
    (policy,) = [
        name
        for name, r in template["Resources"].items()
        if r["Type"] == "AWS::IAM::Policy" and "connect:" in json.dumps(r["Properties"]["PolicyDocument"])
    ]
    (association,) = [r for r in template["Resources"].values() if r["Type"] == "Custom::ConnectQueueQuickConnects"]
    assert policy in association["DependsOn"]


def test_handler_runs_on_the_newest_python_runtime_aws_cdk_lib_offers() -> None:
    newest = max(
        (name for name in dir(lambda_.Runtime) if re.fullmatch(r"PYTHON_3_\d+", name)),
        key=lambda name: int(name.rsplit("_", 1)[1]),
    )
    stack = new_stack()
    queue = Queue.from_queue_arn(stack, "BasicQueue", QUEUE_ARN)
    QueueQuickConnectAssociation(stack, "OnBasic", queue=queue, quick_connects=_phone_quick_connects(stack, 1))
    Template.from_stack(stack).has_resource_properties(
        "AWS::Lambda::Function",
        {"Handler": "_handlers.index.handler", "Runtime": getattr(lambda_.Runtime, newest).name},
    )


def test_handler_asset_holds_only_handler_sources(tmp_path: Path) -> None:
    app = cdk.App(outdir=str(tmp_path))
    stack = cdk.Stack(app, "Stack")
    queue = Queue.from_queue_arn(stack, "BasicQueue", QUEUE_ARN)
    QueueQuickConnectAssociation(stack, "OnBasic", queue=queue, quick_connects=_phone_quick_connects(stack, 1))
    app.synth()

    handler_assets = [p for p in tmp_path.glob("asset.*") if (p / "_handlers").is_dir()]
    assert len(handler_assets) == 1
    files = sorted(str(p.relative_to(handler_assets[0])) for p in handler_assets[0].rglob("*") if p.is_file())
    assert files, "the asset is empty"
    assert all(f.startswith("_handlers/") and f.endswith(".py") for f in files), files
    assert "_handlers/index.py" in files


def test_fails_when_no_quick_connect_is_listed() -> None:
    stack = new_stack()
    queue = Queue.from_queue_arn(stack, "BasicQueue", QUEUE_ARN)
    with pytest.raises(ConnectValidationError) as raised:
        QueueQuickConnectAssociation(stack, "OnBasic", queue=queue, quick_connects=[])
    assert str(raised.value) == "'quick_connects' must list at least one quick connect, got [] (at Stack/OnBasic)"


def test_fails_when_a_quick_connect_is_listed_twice() -> None:
    stack = new_stack()
    first, second = _phone_quick_connects(stack, 2)
    queue = Queue.from_queue_arn(stack, "BasicQueue", QUEUE_ARN)
    with pytest.raises(ConnectValidationError) as raised:
        QueueQuickConnectAssociation(stack, "OnBasic", queue=queue, quick_connects=[first, second, first])
    assert str(raised.value) == (
        f"'quick_connects' must list each quick connect once, got '{first.node.path} twice' (at Stack/OnBasic)"
    )


def test_fails_when_an_imported_quick_connect_is_listed_twice() -> None:
    stack = new_stack()
    arn = f"{INSTANCE_ARN}/transfer-destination/qc-1"
    one = QuickConnect.from_quick_connect_arn(stack, "One", arn)
    same = QuickConnect.from_quick_connect_arn(stack, "Same", arn)
    queue = Queue.from_queue_arn(stack, "BasicQueue", QUEUE_ARN)
    with pytest.raises(ConnectValidationError, match="must list each quick connect once, got 'Stack/Same twice'"):
        QueueQuickConnectAssociation(stack, "OnBasic", queue=queue, quick_connects=[one, same])


def test_fails_when_a_quick_connect_belongs_to_another_instance() -> None:
    stack = new_stack()
    (foreign,) = _phone_quick_connects(stack, 1, instance_arn=OTHER_INSTANCE_ARN, prefix="Foreign")
    queue = Queue.from_queue_arn(stack, "BasicQueue", QUEUE_ARN)
    with pytest.raises(ConnectValidationError) as raised:
        QueueQuickConnectAssociation(stack, "OnBasic", queue=queue, quick_connects=[foreign])
    assert str(raised.value) == (
        f"'quick_connects' must belong to the queue's instance {INSTANCE_ARN}, "
        f"got '{foreign.node.path} of instance {OTHER_INSTANCE_ARN}' (at Stack/OnBasic)"
    )


def test_fails_when_a_second_association_targets_the_same_queue() -> None:
    stack = new_stack()
    first, second = _phone_quick_connects(stack, 2)
    queue = Queue.from_queue_arn(stack, "BasicQueue", QUEUE_ARN)
    QueueQuickConnectAssociation(stack, "First", queue=queue, quick_connects=[first])
    with pytest.raises(ConnectValidationError) as raised:
        QueueQuickConnectAssociation(stack, "Second", queue=queue, quick_connects=[second])
    assert str(raised.value) == (
        "'queue' must have one association per stack (already at Stack/First; add to that one with its "
        "add_quick_connects(...), or use QueueQuickConnectAssociation.add_to_queue(queue, ...)), "
        "got 'Stack/BasicQueue' (at Stack/Second)"
    )


@pytest.mark.parametrize(
    ("arn", "part", "expected"),
    [
        (QUEUE_ARN.replace("us-east-1", "eu-west-2"), "Region", "us-east-1"),
        (QUEUE_ARN.replace("111122223333", "444455556666"), "account", "111122223333"),
    ],
)
def test_fails_when_the_queue_is_outside_the_stacks_environment(arn: str, part: str, expected: str) -> None:
    stack = new_stack()
    queue = Queue.from_queue_arn(stack, "Elsewhere", arn)
    with pytest.raises(ConnectValidationError) as raised:
        QueueQuickConnectAssociation(stack, "OnQueue", queue=queue, quick_connects=_phone_quick_connects(stack, 1))
    assert str(raised.value) == (
        f"'queue' must be in the stack's {part} {expected} (the handler calls Connect in its own account and Region), "
        f"got {arn!r} (at Stack/OnQueue)"
    )


def test_environment_agnostic_stacks_take_any_queue() -> None:
    stack = cdk.Stack(cdk.App(), "Agnostic")
    queue = Queue.from_queue_arn(stack, "Queue", QUEUE_ARN.replace("us-east-1", "eu-west-2"))
    quick_connects = _phone_quick_connects(stack, 1, instance_arn=INSTANCE_ARN.replace("us-east-1", "eu-west-2"))
    QueueQuickConnectAssociation(stack, "OnQueue", queue=queue, quick_connects=quick_connects)
    Template.from_stack(stack).resource_count_is("Custom::ConnectQueueQuickConnects", 1)


def test_association_template_passes_cfn_lint_and_matches_snapshot(snapshot_json: SnapshotAssertion) -> None:
    stack = new_stack()
    queue = Queue.from_queue_arn(stack, "BasicQueue", QUEUE_ARN)
    QueueQuickConnectAssociation(stack, "OnBasic", queue=queue, quick_connects=_phone_quick_connects(stack, 2))
    template = template_of(stack)
    assert cfn_lint_findings(template) == []
    assert normalise(template) == snapshot_json
