"""Removal policies on associations and lookups, set every way an aws-cdk L2 allows: one answer in the template.

The handler keeps the associations on a Delete when its ``RemovalPolicy`` property says ``retain``; CloudFormation
makes no Delete call at all when ``DeletionPolicy`` (or, on a replacement, ``UpdateReplacePolicy``) is ``Retain``.
Whoever sets the policy, the two must say the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import jsii
import pytest
from aws_cdk.assertions import Template
from constructs import IConstruct

from cdk_connect_quickconnect import (
    ConnectInstance,
    ConnectValidationError,
    Queue,
    QueueQuickConnectAssociation,
    QuickConnect,
)
from cdk_connect_quickconnect.lookups import ConnectLookup
from tests.support import ACCOUNT, INSTANCE_ARN, QUEUE_ARN, REGION

QUICK_CONNECT_ARN = f"{INSTANCE_ARN}/transfer-destination/abcdefab-1111-4222-8333-444444444444"

RETAINED = {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}
DESTROYED = {"DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete"}


def _stack() -> cdk.Stack:
    return cdk.Stack(cdk.App(), "Stack", env=cdk.Environment(account=ACCOUNT, region=REGION))


def _association(stack: cdk.Stack, **options: Any) -> QueueQuickConnectAssociation:
    return QueueQuickConnectAssociation(
        stack,
        "OnBasic",
        queue=Queue.from_queue_arn(stack, "Basic", QUEUE_ARN),
        quick_connects=[QuickConnect.from_quick_connect_arn(stack, "Qc", QUICK_CONNECT_ARN)],
        **options,
    )


def _resource(stack: cdk.Stack) -> dict[str, Any]:
    [resource] = Template.from_stack(stack).find_resources("Custom::ConnectQueueQuickConnects").values()
    return dict(resource)


def _policy_of(resource: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The template's two policy attributes and the handler's property."""
    attributes = {key: resource.get(key) for key in ("DeletionPolicy", "UpdateReplacePolicy")}
    return attributes, resource["Properties"].get("RemovalPolicy")


@jsii.implements(cdk.IAspect)
class _RetainEveryCfnResource:
    """A user's own Aspect: it sets the policy on every L1 it visits, as aws-cdk's own RemovalPolicies does."""

    def visit(self, node: IConstruct) -> None:
        if isinstance(node, cdk.CfnResource):
            node.apply_removal_policy(cdk.RemovalPolicy.RETAIN)


def _cfn_of(association: QueueQuickConnectAssociation) -> cdk.CfnResource:
    cfn_resource = association.resource.node.default_child
    assert isinstance(cfn_resource, cdk.CfnResource)
    return cfn_resource


def _set_on_the_l1(association: QueueQuickConnectAssociation) -> None:
    options = _cfn_of(association).cfn_options
    options.deletion_policy = options.update_replace_policy = cdk.CfnDeletionPolicy.RETAIN


def _by_prop(stack: cdk.Stack) -> None:
    _association(stack, removal_policy=cdk.RemovalPolicy.RETAIN)


def _by_apply_removal_policy(stack: cdk.Stack) -> None:
    _association(stack).apply_removal_policy(cdk.RemovalPolicy.RETAIN)


def _by_removal_policies(stack: cdk.Stack) -> None:
    _association(stack)
    cdk.RemovalPolicies.of(stack).retain()


def _by_an_aspect(stack: cdk.Stack) -> None:
    _association(stack)
    cdk.Aspects.of(stack).add(_RetainEveryCfnResource())


def _by_the_l1(stack: cdk.Stack) -> None:
    _set_on_the_l1(_association(stack))


RETAIN_WAYS: dict[str, Callable[[cdk.Stack], None]] = {
    "constructor prop": _by_prop,
    "apply_removal_policy": _by_apply_removal_policy,
    "RemovalPolicies.of(stack)": _by_removal_policies,
    "an Aspect": _by_an_aspect,
    "the L1's cfn_options": _by_the_l1,
}


@pytest.mark.parametrize("way", list(RETAIN_WAYS))
def test_retain_set_any_way_retains_in_the_template_and_tells_the_handler(way: str) -> None:
    stack = _stack()
    RETAIN_WAYS[way](stack)

    assert _policy_of(_resource(stack)) == (RETAINED, "retain")


def test_every_way_of_retaining_gives_the_template_the_constructor_prop_gives() -> None:
    templates = []
    for set_retain in RETAIN_WAYS.values():
        stack = _stack()
        set_retain(stack)
        templates.append(_resource(stack))
    assert all(template == templates[0] for template in templates)


@pytest.mark.parametrize(
    "destroy",
    [
        lambda stack, association: association.apply_removal_policy(cdk.RemovalPolicy.DESTROY),
        lambda stack, association: cdk.RemovalPolicies.of(stack).destroy(),
        lambda stack, association: _cfn_of(association).apply_removal_policy(cdk.RemovalPolicy.DESTROY),
    ],
    ids=["apply_removal_policy", "RemovalPolicies.of(stack)", "the L1"],
)
def test_destroy_set_later_over_retain_removes_the_handler_property_too(destroy: Callable[..., None]) -> None:
    """The issue's case: RemovalPolicies.of(stack).destroy() gave DeletionPolicy Delete and a handler told to retain."""
    stack = _stack()
    association = _association(stack, removal_policy=cdk.RemovalPolicy.RETAIN)
    destroy(stack, association)

    assert _policy_of(_resource(stack)) == (DESTROYED, None)


def test_the_default_adds_no_property_as_before() -> None:
    stack = _stack()
    _association(stack)
    resource = _resource(stack)
    assert _policy_of(resource) == (DESTROYED, None)
    assert "RemovalPolicy" not in resource["Properties"]


@pytest.mark.parametrize("policy", [cdk.RemovalPolicy.SNAPSHOT, cdk.RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE])
def test_fails_when_apply_removal_policy_is_given_a_policy_with_no_meaning_for_an_association(
    policy: cdk.RemovalPolicy,
) -> None:
    stack = _stack()
    association = _association(stack)
    with pytest.raises(ConnectValidationError) as raised:
        association.apply_removal_policy(policy)
    assert str(raised.value) == (
        "'policy' must be RemovalPolicy.DESTROY or RemovalPolicy.RETAIN (an association has no snapshot, "
        f"and the handler cannot tell a rollback's Delete from another), got {policy!r} (at Stack/OnBasic)"
    )


@pytest.mark.parametrize(
    ("apply", "got"),
    [
        (
            lambda stack, association: cdk.RemovalPolicies.of(stack).snapshot(),
            "'DeletionPolicy Snapshot and UpdateReplacePolicy Snapshot'",
        ),
        (
            lambda stack, association: cdk.RemovalPolicies.of(stack).retain_on_update_or_delete(),
            "'DeletionPolicy RetainExceptOnCreate and UpdateReplacePolicy Retain'",
        ),
        (
            lambda stack, association: setattr(
                _cfn_of(association).cfn_options, "deletion_policy", cdk.CfnDeletionPolicy.RETAIN
            ),
            "'DeletionPolicy Retain and UpdateReplacePolicy Delete'",
        ),
    ],
    ids=["RemovalPolicies snapshot", "RemovalPolicies retain_on_update_or_delete", "L1 half retained"],
)
def test_fails_at_synth_when_a_policy_set_from_outside_has_no_meaning_for_an_association(
    apply: Callable[..., None], got: str
) -> None:
    stack = _stack()
    association = _association(stack)
    apply(stack, association)
    with pytest.raises(Exception, match="Validation failed") as raised:
        cdk.App.of(stack).synth()  # type: ignore[union-attr]
    assert (
        "'removal_policy' must be RemovalPolicy.DESTROY or RemovalPolicy.RETAIN (an association has no snapshot, "
        f"and the handler cannot tell a rollback's Delete from another), got {got} (at Stack/OnBasic)"
    ) in str(raised.value)


def test_a_lookup_takes_any_removal_policy_on_its_resource() -> None:
    """A lookup deletes nothing, so every policy is harmless; apply_removal_policy works as on any L2."""
    stack = _stack()
    instance = ConnectInstance.from_instance_alias(stack, "Instance", "my-contact-center")
    queue: Any = Queue.from_queue_name(stack, "Basic", instance, "BasicQueue")
    lookup = queue.owner
    assert isinstance(lookup, ConnectLookup)
    lookup.apply_removal_policy(cdk.RemovalPolicy.RETAIN)

    resources = Template.from_stack(stack).find_resources("Custom::ConnectLookup", {"Properties": {"Kind": "queue"}})
    [resource] = resources.values()
    assert (resource["DeletionPolicy"], resource["UpdateReplacePolicy"]) == ("Retain", "Retain")
