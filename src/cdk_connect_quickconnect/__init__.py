"""Typed AWS CDK constructs for Amazon Connect quick connects and call transfer.

Every public name is imported from its module on first use, so that the command line
(``cdk-connect-quickconnect``), which needs none of them, starts without loading aws-cdk-lib and its jsii
kernel. ``from cdk_connect_quickconnect import QuickConnect`` works as with any package.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._validation import ConnectValidationError
    from .association import QueueQuickConnectAssociation
    from .flow_language import FlowDocument, Prompt
    from .flows import (
        AgentTransferFlow,
        ContactFlow,
        ContactFlowType,
        IContactFlow,
        QueueTransferFlow,
        TransferFallback,
    )
    from .instance import ConnectInstance, IConnectInstance
    from .lookups import ConnectLookup
    from .queue import IQueue, Queue
    from .quick_connect import IQuickConnect, QuickConnect, QuickConnectDestination, QuickConnectType
    from .transfer_routes import TransferCondition, TransferOutcome, TransferOutcomeKind, TransferRoutes
    from .user import IUser, User

#: The module each public name is defined in.
_MODULES = {
    "AgentTransferFlow": ".flows",
    "ConnectInstance": ".instance",
    "ConnectLookup": ".lookups",
    "ConnectValidationError": "._validation",
    "ContactFlow": ".flows",
    "ContactFlowType": ".flows",
    "FlowDocument": ".flow_language",
    "IConnectInstance": ".instance",
    "IContactFlow": ".flows",
    "IQueue": ".queue",
    "IQuickConnect": ".quick_connect",
    "IUser": ".user",
    "Prompt": ".flow_language",
    "Queue": ".queue",
    "QueueQuickConnectAssociation": ".association",
    "QueueTransferFlow": ".flows",
    "QuickConnect": ".quick_connect",
    "QuickConnectDestination": ".quick_connect",
    "QuickConnectType": ".quick_connect",
    "TransferCondition": ".transfer_routes",
    "TransferFallback": ".flows",
    "TransferOutcome": ".transfer_routes",
    "TransferOutcomeKind": ".transfer_routes",
    "TransferRoutes": ".transfer_routes",
    "User": ".user",
}

__all__ = [
    "AgentTransferFlow",
    "ConnectInstance",
    "ConnectLookup",
    "ConnectValidationError",
    "ContactFlow",
    "ContactFlowType",
    "FlowDocument",
    "IConnectInstance",
    "IContactFlow",
    "IQueue",
    "IQuickConnect",
    "IUser",
    "Prompt",
    "Queue",
    "QueueQuickConnectAssociation",
    "QueueTransferFlow",
    "QuickConnect",
    "QuickConnectDestination",
    "QuickConnectType",
    "TransferCondition",
    "TransferFallback",
    "TransferOutcome",
    "TransferOutcomeKind",
    "TransferRoutes",
    "User",
    "__version__",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use (PEP 562); ``__version__`` from the package metadata."""
    if name == "__version__":
        from importlib.metadata import version

        value: Any = version("cdk-connect-quickconnect")
    elif name in _MODULES:
        value = getattr(import_module(_MODULES[name], __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
