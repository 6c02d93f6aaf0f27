"""The seed walk-through as one CDK app: transfer to an agent, to a queue, and to an external number.

Synthesize with ``make example``; deploy against a real instance with real ARNs, for example::

    cdk deploy -c instanceArn=arn:aws:connect:eu-west-1:123456789012:instance/<id> \\
               -c basicQueueArn=arn:aws:connect:eu-west-1:123456789012:instance/<id>/queue/<id> \\
               -c mav2UserArn=arn:aws:connect:eu-west-1:123456789012:instance/<id>/agent/<id>
"""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from cdk_connect_quickconnect import (
    AgentTransferFlow,
    ConnectInstance,
    Queue,
    QueueTransferFlow,
    QuickConnect,
    QuickConnectDestination,
    User,
)


class SeedWalkthroughStack(cdk.Stack):
    """Quick connects to the agent mav2, to BasicQueue and to a support hotline, with their transfer flows."""

    def __init__(self, scope: Construct, id: str, **kwargs: object) -> None:
        super().__init__(scope, id, **kwargs)  # type: ignore[arg-type]
        context = self.node.try_get_context
        instance = ConnectInstance.from_instance_arn(self, "Instance", context("instanceArn"))
        basic_queue = Queue.from_queue_arn(self, "BasicQueue", context("basicQueueArn"))
        mav2 = User.from_user_arn(self, "Mav2", context("mav2UserArn"))

        agent_flow = AgentTransferFlow(
            self, "AgentFlow", instance=instance, name="Transfer to agent", prompt="Transferring now..."
        )
        queue_flow = QueueTransferFlow(self, "QueueFlow", instance=instance, name="Transfer to queue")

        QuickConnect(
            self,
            "ToMav2",
            instance=instance,
            name="mav2",
            destination=QuickConnectDestination.user(mav2, agent_flow),
        )
        QuickConnect(
            self,
            "ToBasic",
            instance=instance,
            name="BasicQueue",
            destination=QuickConnectDestination.queue(basic_queue, queue_flow),
        )
        QuickConnect(
            self,
            "Hotline",
            instance=instance,
            name="Support hotline",
            description="External support line",
            destination=QuickConnectDestination.phone_number("+18005550100"),
        )


def create_app(context: dict[str, object] | None = None) -> cdk.App:
    """The example app; ``context`` overrides ``cdk.json`` (the tests pass it)."""
    app = cdk.App(context=context)
    SeedWalkthroughStack(app, "SeedWalkthrough")
    return app


if __name__ == "__main__":
    create_app().synth()
