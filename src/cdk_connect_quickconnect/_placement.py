"""App-wide checks of where resources go: one name per instance, the stack's own account and Region.

Connect refuses a second quick connect (or flow) with the same name in an instance
(``DuplicateResourceException``), and CloudFormation creates resources only in the stack's account and
Region. Both fail in the middle of a deploy; these checks fail at synth instead. Names are claimed in one
registry on the app (the root of the construct tree), so two stacks of one app are checked against each other.
The registry and each stack's facts are found once per stack (``_tree``), not once per resource.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar
from weakref import WeakSet

from aws_cdk import Annotations, Stack
from constructs import Construct, IConstruct

from ._arn import ConnectArn, parse_arn
from ._tree import facts_of, only_child, stack_of
from ._validation import fail, is_token

#: The construct id of the registry under the app root.
REGISTRY_ID = "CdkConnectQuickConnectRegistry"
_T = TypeVar("_T")

#: The id of the warning on an environment-agnostic stack (``Annotations.of(stack).acknowledge_warning(...)``).
ENVIRONMENT_AGNOSTIC_WARNING = "cdk-connect-quickconnect:environmentAgnosticStack"
#: Where the CDK CLI puts the account and Region of the AWS profile it runs with, for apps to read.
CLI_DEFAULTS = {"account": "CDK_DEFAULT_ACCOUNT", "Region": "CDK_DEFAULT_REGION"}


class _AppRegistry(Construct):
    """What the constructs of one app have claimed; a child of the app root with no resources."""

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        #: (kind, instance key, name) -> the construct that claimed it.
        self.names: dict[tuple[str, str, str], IConstruct] = {}
        #: An instance ARN token of an instance looked up by alias -> a key naming that alias.
        self.instance_aliases: dict[str, str] = {}
        #: Anything another module keeps per app (e.g. the registry of associations), by name.
        self.extensions: dict[str, Any] = {}

    @classmethod
    def of(cls, scope: IConstruct) -> _AppRegistry:
        root = facts_of(scope).root
        return only_child(root, REGISTRY_ID, cls, lambda: cls(root, REGISTRY_ID))  # type: ignore[arg-type]

    def extension(self, kind: type[_T], create: Callable[[_AppRegistry], _T]) -> _T:
        """The one ``kind`` this app keeps (e.g. the registry of associations), made by ``create`` on first use."""
        found = self.extensions.get(kind.__name__)
        if not isinstance(found, kind):
            found = self.extensions[kind.__name__] = create(self)
        return found


def register_instance_alias(scope: IConstruct, instance_arn: str, alias: str) -> None:
    """Remember that ``instance_arn`` (a deploy-time token) is the instance with ``alias`` in ``scope``'s stack.

    Aliases are unique per account and Region, so two lookups of one alias are one instance and lookups of
    two aliases are two instances.
    """
    facts = facts_of(scope)
    _AppRegistry.of(scope).instance_aliases[instance_arn] = f"alias:{facts.account}:{facts.region}:{alias}"


def instance_key(scope: IConstruct, instance_arn: str) -> str | None:
    """What identifies the instance, if synth can tell: its concrete ARN or its looked-up alias; else None."""
    if not is_token(instance_arn):
        return instance_arn
    return _AppRegistry.of(scope).instance_aliases.get(instance_arn)


def same_instance(scope: IConstruct, first_instance_arn: str, second_instance_arn: str) -> bool:
    """False only when synth can tell the two ARNs name different instances."""
    first, second = instance_key(scope, first_instance_arn), instance_key(scope, second_instance_arn)
    return first is None or second is None or first == second


def claim_name(scope: IConstruct, kind: str, instance_arn: str, name: str) -> None:
    """Fail if another ``kind`` (``quick connect``, ``flow``) of the app has ``name`` in the same instance.

    Names that are tokens are skipped. An instance given as a token the registry cannot identify is keyed
    by what it resolves to in its stack, so such names are compared within that stack only.
    """
    if is_token(name):
        return
    registry = _AppRegistry.of(scope)
    key = _name_key(scope, kind, instance_arn, name)
    other = registry.names.get(key)
    if other is not None and other is not scope:
        fail(
            scope,
            "name",
            f"be unique among the {kind}s of one instance across the app (Connect refuses a second one with "
            f"DuplicateResourceException); {other.node.path} already has it",
            name,
        )
    registry.names[key] = scope


def claimed_name(scope: IConstruct, kind: str, instance_arn: str, name: str) -> IConstruct | None:
    """The construct of the app that claimed ``name`` for a ``kind`` on the instance, as seen from ``scope``."""
    if is_token(name):
        return None
    return _AppRegistry.of(scope).names.get(_name_key(scope, kind, instance_arn, name))


def _name_key(scope: IConstruct, kind: str, instance_arn: str, name: str) -> tuple[str, str, str]:
    """What a name is claimed under: an instance the registry cannot identify is keyed within ``scope``'s stack."""
    known = instance_key(scope, instance_arn)
    if known is None:
        known = f"{facts_of(scope).path}:{stack_of(scope).resolve(instance_arn)!r}"
    return (kind, known, name)


#: Why a resource of the stack must be in the stack's environment.
_CLOUDFORMATION_PLACES = (
    "CloudFormation creates resources only where the stack is; deploy this part in a stack of that environment"
)


def check_stack_environment(
    scope: IConstruct, prop: str, arn: str, kind: str | None = None, *, why: str = _CLOUDFORMATION_PLACES
) -> None:
    """Fail when a concrete ARN (of an instance, or of a ``kind``) names another account or Region than the stack's.

    An environment-agnostic stack cannot be checked: it gets one warning saying so (:func:`warn_environment_agnostic`).
    A stack value that is what the CDK CLI set ``CDK_DEFAULT_ACCOUNT`` / ``CDK_DEFAULT_REGION`` to is named as such.

    :param why: the reason the message gives (default: CloudFormation creates resources only where the stack is).
    """
    parsed = parse_arn(scope, prop, arn, kind)
    if parsed is None:
        return
    facts = facts_of(scope)
    compared = (("account", parsed.account, facts.account), ("Region", parsed.region, facts.region))
    unknown = [part for part, _, stack_value in compared if is_token(stack_value)]
    if unknown:
        warn_environment_agnostic(scope, unknown, parsed)
    for part, arn_value, stack_value in compared:
        if not is_token(stack_value) and arn_value != stack_value:
            fail(scope, prop, f"be in the stack's {part} {stack_value}{_where_from(part, stack_value)} ({why})", arn)


def _where_from(part: str, stack_value: str) -> str:
    """Says so when the stack's value is the CDK CLI's default (the same value given explicitly reads the same)."""
    variable = CLI_DEFAULTS[part]
    if os.environ.get(variable) != stack_value:
        return ""
    return f", taken from {variable} (the CDK CLI sets it from your AWS profile; give the stack's env to choose)"


#: The stacks already warned, so that each gets one warning however many resources it has.
_WARNED: WeakSet[Stack] = WeakSet()


def warn_environment_agnostic(scope: IConstruct, unknown: list[str], example: ConnectArn) -> None:
    """Warn, once per stack, that the account and Region checks cannot run; acknowledgeable by its id."""
    stack = stack_of(scope)
    if stack in _WARNED:
        return
    _WARNED.add(stack)
    parts = f"{' and '.join(unknown)} {'are' if len(unknown) > 1 else 'is'}"
    message = (
        f"This stack is environment-agnostic (its {parts} unknown at synth), so cdk-connect-quickconnect cannot check "
        "that the Connect resources it uses are in the stack's account and Region: the instance of each quick "
        "connect and flow, and the queue of each association (a mismatch would fail during cdk deploy instead). "
        f'Give the stack env=cdk.Environment(account="{example.account}", region="{example.region}") (the '
        'instance\'s), or env=cdk.Environment(account=os.environ["CDK_DEFAULT_ACCOUNT"], '
        'region=os.environ["CDK_DEFAULT_REGION"]) for the AWS profile the CDK CLI runs with.'
    )
    Annotations.of(stack).add_warning_v2(ENVIRONMENT_AGNOSTIC_WARNING, message)
