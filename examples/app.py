"""The seed walk-through as a CDK app: transfer to the agent mav2, to BasicQueue, and to an external number.

Only the instance is given, by ARN (``instanceArn``) or alias (``instanceAlias``) in CDK context;
``BasicQueue``, the user ``mav2`` and the built-in transfer flows are looked up by name at deploy time.
Synthesize with ``make example``; deploy to a real instance with, for example::

    cdk deploy --all -c instanceArn=arn:aws:connect:us-west-2:123456789012:instance/<instanceId>
    cdk deploy --all -c instanceAlias=my-contact-center
"""

from __future__ import annotations

import os

import aws_cdk as cdk
from after_hours import AfterHoursStack
from agent_initiated_flow import AgentInitiatedFlowStack
from constructs import Construct
from dependency_cycle import OwnedQueueStack
from instance_context import instance_from_context

from cdk_connect_quickconnect import (
    AgentTransferFlow,
    IContactFlow,
    Queue,
    QueueQuickConnectAssociation,
    QueueTransferFlow,
    QuickConnect,
    QuickConnectDestination,
    User,
)


class SeedWalkthroughStack(cdk.Stack):
    """Quick connects to mav2, to BasicQueue and to a hotline, run by the built-in transfer flows.

    All three are offered to agents working BasicQueue, a queue this stack does not own.
    """

    def __init__(self, scope: Construct, id: str, *, name_suffix: str = "", **kwargs: object) -> None:
        super().__init__(scope, id, **kwargs)  # type: ignore[arg-type]
        self.instance = instance_from_context(self)
        basic_queue = Queue.from_queue_name(self, "BasicQueue", self.instance, "BasicQueue")
        mav2 = User.from_username(self, "Mav2", self.instance, "mav2")
        agent_flow, queue_flow = self.transfer_flows()

        to_mav2 = QuickConnect(
            self,
            "ToMav2",
            instance=self.instance,
            name=f"mav2{name_suffix}",
            destination=QuickConnectDestination.user(mav2, agent_flow),
        )
        to_basic = QuickConnect(
            self,
            "ToBasic",
            instance=self.instance,
            name=f"BasicQueue{name_suffix}",
            destination=QuickConnectDestination.queue(basic_queue, queue_flow),
        )
        hotline = QuickConnect(
            self,
            "Hotline",
            instance=self.instance,
            name=f"Support hotline{name_suffix}",
            description="External support line",
            destination=QuickConnectDestination.phone_number("+18005550100"),
        )
        QueueQuickConnectAssociation(
            self, "OnBasicQueue", queue=basic_queue, quick_connects=[to_mav2, to_basic, hotline]
        )

    def transfer_flows(self) -> tuple[IContactFlow, IContactFlow]:
        """The built-in "Default agent transfer" and "Default queue transfer", looked up by name."""
        return (
            AgentTransferFlow.from_default(self, "DefaultAgentTransfer", self.instance),
            QueueTransferFlow.from_default(self, "DefaultQueueTransfer", self.instance),
        )


class CustomPromptsStack(SeedWalkthroughStack):
    """The walk-through's variant: the same quick connects, run by new transfer flows with their own prompts."""

    def __init__(self, scope: Construct, id: str, **kwargs: object) -> None:
        super().__init__(scope, id, name_suffix=" (custom prompts)", **kwargs)

    def transfer_flows(self) -> tuple[IContactFlow, IContactFlow]:
        """New AGENT_TRANSFER and QUEUE_TRANSFER flows built by this library."""
        agent_flow = AgentTransferFlow(
            self, "AgentFlow", instance=self.instance, name="Transfer to agent", prompt="Transferring now..."
        )
        queue_flow = QueueTransferFlow(
            self, "QueueFlow", instance=self.instance, name="Transfer to queue", prompt="Transferring you to the queue."
        )
        return agent_flow, queue_flow


def environment_of_arn(arn: str) -> cdk.Environment:
    """The account and Region of a Connect ARN: stacks deploy where their instance is."""
    region, account = arn.split(":")[3:5]
    return cdk.Environment(account=account, region=region)


def cli_environment() -> cdk.Environment:
    """The account and Region ``cdk`` takes from your credentials (``CDK_DEFAULT_ACCOUNT`` / ``CDK_DEFAULT_REGION``)."""
    return cdk.Environment(account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=os.environ.get("CDK_DEFAULT_REGION"))


def create_app(context: dict[str, object] | None = None) -> cdk.App:
    """The example app; ``context`` overrides ``cdk.json`` (the tests pass it).

    Every stack gets an environment, so the synth-time checks of accounts and Regions run: the instance's
    when it is given by ARN, the CLI's when it is looked up by alias.
    """
    app = cdk.App(context=context)
    by_arn = environment_of_arn(str(app.node.try_get_context("instanceArn")))
    env = cli_environment() if app.node.try_get_context("instanceAlias") else by_arn
    SeedWalkthroughStack(app, "SeedWalkthrough", env=env)
    CustomPromptsStack(app, "CustomPrompts", env=env)
    OwnedQueueStack(app, "OwnedQueue", env=by_arn)  # creates a queue, a routing profile and a user: ARNs only
    AgentInitiatedFlowStack(app, "AgentInitiatedFlow", env=env)
    AfterHoursStack(app, "AfterHours", env=env)
    return app


if __name__ == "__main__":
    create_app().synth()
