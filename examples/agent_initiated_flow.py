"""A FLOW quick connect: an agent sends a payment form during a chat, by running an inbound flow.

Agent-initiated flows run on chat contacts only (web chat, SMS, WhatsApp Business, Apple Messages for
Business), and Connect accepts only inbound flows (``CONTACT_FLOW``) for them. The flow, typically built
in the console around a *Show view* block, is looked up by name; the quick connect is offered to agents
working ``BasicQueue``.
"""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct
from instance_context import instance_from_context

from cdk_connect_quickconnect import (
    ContactFlow,
    ContactFlowType,
    Queue,
    QueueQuickConnectAssociation,
    QuickConnect,
    QuickConnectDestination,
)


class AgentInitiatedFlowStack(cdk.Stack):
    """A FLOW quick connect running the inbound flow "Collect payment details", offered on BasicQueue."""

    def __init__(self, scope: Construct, id: str, **kwargs: object) -> None:
        super().__init__(scope, id, **kwargs)  # type: ignore[arg-type]
        instance = instance_from_context(self)
        payment_flow = ContactFlow.from_contact_flow_name(
            self, "PaymentFlow", instance, "Collect payment details", ContactFlowType.CONTACT_FLOW
        )
        send_payment_form = QuickConnect(
            self,
            "SendPaymentForm",
            instance=instance,
            name="Send payment form",
            description="Agent-initiated: collect card details in the chat",
            destination=QuickConnectDestination.flow(payment_flow),
        )
        basic_queue = Queue.from_queue_name(self, "BasicQueue", instance, "BasicQueue")
        QueueQuickConnectAssociation.add_to_queue(basic_queue, send_payment_form)
