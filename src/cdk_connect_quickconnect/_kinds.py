"""Checks that a property got the kind of object it takes, with a message saying how to convert what was given.

Python does not check annotations at run time: a plain ARN string given as ``instance=`` or a ``CfnQueue``
given as ``queue=`` would otherwise fail later with an ``AttributeError``, or only at deploy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn

from aws_cdk import aws_connect as connect
from constructs import IConstruct

from ._validation import ConnectValidationError, describe


@dataclass(frozen=True)
class Kind:
    """One kind of object a property takes, and how to get one from what people commonly pass instead."""

    #: How the expected kind reads in a message, e.g. ``an IQueue``.
    expected: str
    #: How to turn an ARN string into one.
    from_string: str
    #: How to turn an L1 resource of this app into one, by L1 class name.
    from_l1: Mapping[str, str] = field(default_factory=dict)
    #: What to say for anything else.
    otherwise: str = ""

    def how_to_convert(self, value: Any) -> str:
        """The conversion that fits ``value``."""
        if isinstance(value, str):
            return self.from_string
        for l1_name, conversion in self.from_l1.items():
            l1_class = getattr(connect, l1_name)
            if isinstance(value, l1_class):
                return conversion
        return self.otherwise or self.from_string


INSTANCE = Kind(
    "an IConnectInstance",
    "import an ARN with ConnectInstance.from_instance_arn(scope, id, arn)",
    {"CfnInstance": "import a CfnInstance with ConnectInstance.from_instance_arn(scope, id, cfn_instance.attr_arn)"},
    "use ConnectInstance.from_instance_arn(...) or ConnectInstance.from_instance_alias(...)",
)
QUEUE = Kind(
    "an IQueue",
    "import an ARN with Queue.from_queue_arn(scope, id, arn)",
    {"CfnQueue": "wrap a CfnQueue with Queue.from_cfn_queue(cfn_queue)"},
    "use Queue.from_queue_arn(...), Queue.from_queue_name(...) or Queue.from_cfn_queue(...)",
)
USER = Kind(
    "an IUser",
    "import an ARN with User.from_user_arn(scope, id, arn)",
    {"CfnUser": "wrap a CfnUser with User.from_cfn_user(cfn_user)"},
    "use User.from_user_arn(...), User.from_username(...) or User.from_cfn_user(...)",
)
CONTACT_FLOW = Kind(
    "an IContactFlow",
    "import an ARN with ContactFlow.from_contact_flow_arn(scope, id, arn, flow_type=...)",
    {
        "CfnContactFlow": "import a CfnContactFlow with ContactFlow.from_contact_flow_arn(scope, id, "
        "cfn_flow.attr_contact_flow_arn, flow_type=...)"
    },
    "use AgentTransferFlow / QueueTransferFlow, ContactFlow.from_contact_flow_arn(...) or "
    "ContactFlow.from_contact_flow_name(...)",
)
QUICK_CONNECT = Kind(
    "an IQuickConnect",
    "import an ARN with QuickConnect.from_quick_connect_arn(scope, id, arn)",
    {
        "CfnQuickConnect": "import a CfnQuickConnect with QuickConnect.from_quick_connect_arn(scope, id, "
        "cfn_quick_connect.attr_quick_connect_arn)"
    },
    "create a QuickConnect or import one with QuickConnect.from_quick_connect_arn(...)",
)
DESTINATION = Kind(
    "a QuickConnectDestination",
    "build one with QuickConnectDestination.phone_number(number) (or .user, .queue, .flow)",
    otherwise="build one with QuickConnectDestination.user(...), .queue(...), .phone_number(...) or .flow(...)",
)

FALLBACK = Kind(
    "a TransferFallback",
    "build one with TransferFallback.to_phone_number(number)",
    otherwise="build one with TransferFallback.to_queue(...), .to_phone_number(...), .to_flow(...) or .disconnect()",
)


def implements(value: Any, protocol: type) -> bool:
    """Whether ``value`` has every public member of ``protocol``, checked without reading properties.

    ``isinstance`` against a runtime-checkable Protocol would read each property (building tokens that
    most apps never use); looking the names up on the class does not.
    """
    value_type = type(value)
    instance_names = getattr(value, "__dict__", {})
    for name in protocol_members(protocol):
        if not hasattr(value_type, name) and name not in instance_names:
            return False
    return True


_MEMBERS: dict[type, frozenset[str]] = {}


def protocol_members(protocol: type) -> frozenset[str]:
    """The public names a Protocol (and the Protocols it extends) declares."""
    if protocol not in _MEMBERS:
        names = {
            name
            for klass in protocol.__mro__
            if getattr(klass, "_is_protocol", False) and klass.__module__ != "typing"
            for name in vars(klass)
            if not name.startswith("_")
        }
        _MEMBERS[protocol] = frozenset(names)
    return _MEMBERS[protocol]


def what(value: Any) -> str:
    """``value`` as a message shows it.

    A string quoted, None and plain data (numbers, lists, dicts) as written, a construct by class and path, anything
    else by class.
    """
    if isinstance(value, str):
        return f"the string {describe(value)}"
    if value is None or isinstance(value, (bool, int, float, dict, list, tuple)):
        return describe(value)
    node = getattr(value, "node", None)
    path = getattr(node, "path", None)
    if isinstance(path, str):
        return f"a {type(value).__name__} ({path or '<root>'})"
    return f"a {type(value).__name__}"


def check_kind(scope: IConstruct, prop: str, value: Any, protocol: type, kind: Kind, *, child: str = "") -> None:
    """Fail unless ``value`` implements ``protocol``; the message says what was expected, given, and the fix.

    :param child: the id of the construct a factory is about to create under ``scope``, for the message's path.
    """
    if not implements(value, protocol):
        _fail_kind(scope, prop, value, kind, child)


def check_instance_of(scope: IConstruct, prop: str, value: Any, cls: type, kind: Kind) -> None:
    """Fail unless ``value`` is a ``cls`` (for plain classes, not Protocols)."""
    if not isinstance(value, cls):
        _fail_kind(scope, prop, value, kind)


def _fail_kind(scope: IConstruct, prop: str, value: Any, kind: Kind, child: str = "") -> NoReturn:
    expected = f"{kind.expected} ({kind.how_to_convert(value)})"
    path = f"{scope.node.path}/{child}" if child else scope.node.path
    raise ConnectValidationError(f"'{prop}' must be {expected}, got {what(value)} (at {path})")
