"""Typed AWS CDK constructs for Amazon Connect quick connects and call transfer."""

from importlib.metadata import version as _version

from ._validation import ConnectValidationError
from .association import QueueQuickConnectAssociation
from .flow_language import FlowDocument, Prompt
from .flows import AgentTransferFlow, ContactFlow, ContactFlowType, IContactFlow, QueueTransferFlow
from .instance import ConnectInstance, IConnectInstance
from .lookups import ConnectLookup
from .queue import IQueue, Queue
from .quick_connect import IQuickConnect, QuickConnect, QuickConnectDestination, QuickConnectType
from .user import IUser, User

#: The installed version, as ``pyproject.toml`` gives it.
__version__ = _version("cdk-connect-quickconnect")

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
    "User",
    "__version__",
]
