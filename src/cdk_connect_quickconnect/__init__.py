"""Typed AWS CDK constructs for Amazon Connect call transfer.

Quick connects to an agent, a queue, an external number or an agent-initiated flow; the transfer flows they run;
their association with any queue, including ones your stack does not own; and deploy-time lookups by name of the
queues, agents and flows every instance already has.

## The seed walk-through

Quick connects to the agent `mav2`, to the queue `BasicQueue` and to a support hotline, run by the instance's
built-in "Default agent transfer" and "Default queue transfer" flows, and offered to every agent working
`BasicQueue`, a queue this stack does not own. Only the instance is given; the queue, the agent and the two flows
are looked up by name when the stack deploys:

.. code-block:: python

    import aws_cdk as cdk

    from cdk_connect_quickconnect import (
        AgentTransferFlow,
        ConnectInstance,
        Queue,
        QueueQuickConnectAssociation,
        QueueTransferFlow,
        QuickConnect,
        QuickConnectDestination,
        User,
    )

    app = cdk.App()
    # The instance's account and Region: the library checks at synth that everything is where the stack deploys.
    stack = cdk.Stack(app, "SeedWalkthrough", env=cdk.Environment(account="111122223333", region="us-east-1"))
    instance = ConnectInstance.from_instance_arn(
        stack, "Instance", "arn:aws:connect:us-east-1:111122223333:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
    )
    basic_queue = Queue.from_queue_name(stack, "BasicQueue", instance, "BasicQueue")
    mav2 = User.from_username(stack, "Mav2", instance, "mav2")
    agent_flow = AgentTransferFlow.from_default(stack, "DefaultAgentTransfer", instance)
    queue_flow = QueueTransferFlow.from_default(stack, "DefaultQueueTransfer", instance)

    to_mav2 = QuickConnect(
        stack, "ToMav2", instance=instance, name="mav2",
        destination=QuickConnectDestination.user(mav2, agent_flow),
    )
    to_basic = QuickConnect(
        stack, "ToBasic", instance=instance, name="BasicQueue",
        destination=QuickConnectDestination.queue(basic_queue, queue_flow),
    )
    hotline = QuickConnect(
        stack, "Hotline", instance=instance, name="Support hotline", description="External support line",
        destination=QuickConnectDestination.phone_number("+18005550100"),
    )
    QueueQuickConnectAssociation(
        stack, "OnBasicQueue", queue=basic_queue, quick_connects=[to_mav2, to_basic, hotline]
    )
    app.synth()

`cdk synth` needs no AWS account: the lookups and the association are custom resources that run at deploy time.

## Where to go from here

- Resources the instance has: `ConnectInstance`, `Queue`, `User` and `ContactFlow` import them by ARN
  (`from_queue_arn`, ...), look them up by name (`from_queue_name`, `from_username`, `from_contact_flow_name`,
  `AgentTransferFlow.from_default`, `QueueTransferFlow.from_default`) or wrap an L1 of your app
  (`Queue.from_cfn_queue`, `User.from_cfn_user`).
- `QuickConnect`, with a `QuickConnectDestination`: `user`, `queue`, `phone_number` or `flow`.
- New transfer flows with your own prompts: `AgentTransferFlow` and `QueueTransferFlow`, played as text, SSML or
  a stored `Prompt`; the flow-language objects they are rendered from are in `cdk_connect_quickconnect.flow_language`.
- Offering quick connects on a queue: `QueueQuickConnectAssociation`, `QueueQuickConnectAssociation.add_to_queue`
  and `QueueQuickConnectAssociation.add_quick_connects`.
- Mistakes: every invalid argument raises `ConnectValidationError` at synth, naming the property, the value and the
  construct path.

The command line `cdk-connect-quickconnect` (`map`, `adopt`) and the custom resources' permissions and failure
modes are described in the project's README.
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

# Every public name is imported from its module on first use (PEP 562), so that the command line
# (``cdk-connect-quickconnect``), which needs none of them, starts without loading aws-cdk-lib and its jsii kernel.
# ``from cdk_connect_quickconnect import QuickConnect`` works as with any package.

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


__version__: str
"""The version of this package, as installed (read from its metadata on first use)."""


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
