"""Transfers that never dead-end: after hours to the on-call phone, overflow to another queue.

A Billing queue open Monday to Friday, 9:00-17:00 (New York). Its transfer flow sends a caller transferred
outside those hours to the on-call specialist's phone, presenting the number the customer called as caller ID;
when nobody is staffed or the queue is full, to ``BasicQueue`` (open all the time on a new instance) instead. An
agent transfer flow queues the call for Billing when the agent cannot take it. Without fallbacks, each of
these callers would hear a goodbye and be hung up on.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_connect as connect
from constructs import Construct
from instance_context import instance_from_context

from cdk_connect_quickconnect import (
    AgentTransferFlow,
    Queue,
    QueueQuickConnectAssociation,
    QueueTransferFlow,
    QuickConnect,
    QuickConnectDestination,
    TransferFallback,
    User,
)

#: The on-call specialist's phone (a documentation number).
ON_CALL_NUMBER = "+18005550142"


class AfterHoursStack(cdk.Stack):
    """A Billing queue whose transfers fall back to an on-call number after hours and to an overflow queue."""

    def __init__(self, scope: Construct, id: str, **kwargs: object) -> None:
        super().__init__(scope, id, **kwargs)  # type: ignore[arg-type]
        instance = instance_from_context(self)
        billing = Queue.from_cfn_queue(
            connect.CfnQueue(
                self,
                "BillingQueue",
                instance_arn=instance.instance_arn,
                name="Billing",
                hours_of_operation_arn=self.billing_hours(instance.instance_arn).attr_hours_of_operation_arn,
            )
        )
        overflow = Queue.from_queue_name(self, "Overflow", instance, "BasicQueue")

        to_billing_flow = QueueTransferFlow(
            self,
            "BillingTransfer",
            instance=instance,
            name="Transfer to Billing (after hours: on-call)",
            when_closed=TransferFallback.to_phone_number(
                ON_CALL_NUMBER,
                caller_id_number="$.SystemEndpoint.Address",
                caller_id_name="Billing after hours",
                prompt="Billing is closed. Connecting you to the on-call specialist.",
            ),
            when_unstaffed=TransferFallback.to_queue(overflow, prompt="Connecting you to the next available agent."),
            when_at_capacity=TransferFallback.to_queue(overflow),
        )
        to_agent_flow = AgentTransferFlow(
            self,
            "AgentTransfer",
            instance=instance,
            name="Transfer to agent (busy: Billing)",
            when_at_capacity=TransferFallback.to_queue(
                billing, prompt="Your agent is busy. Transferring you to Billing."
            ),
        )
        to_billing = QuickConnect(
            self,
            "ToBilling",
            instance=instance,
            name="Billing",
            destination=QuickConnectDestination.queue(billing, to_billing_flow),
        )
        to_mav2 = QuickConnect(
            self,
            "ToMav2",
            instance=instance,
            name="mav2 (or Billing)",
            destination=QuickConnectDestination.user(User.from_username(self, "Mav2", instance, "mav2"), to_agent_flow),
        )
        QueueQuickConnectAssociation(self, "OnOverflow", queue=overflow, quick_connects=[to_billing, to_mav2])

    def billing_hours(self, instance_arn: str) -> connect.CfnHoursOfOperation:
        """Monday to Friday, 9:00-17:00, New York time."""
        return connect.CfnHoursOfOperation(
            self,
            "BillingHours",
            instance_arn=instance_arn,
            name="Billing hours",
            time_zone="America/New_York",
            config=[
                connect.CfnHoursOfOperation.HoursOfOperationConfigProperty(
                    day=day,
                    start_time=connect.CfnHoursOfOperation.HoursOfOperationTimeSliceProperty(hours=9, minutes=0),
                    end_time=connect.CfnHoursOfOperation.HoursOfOperationTimeSliceProperty(hours=17, minutes=0),
                )
                for day in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")
            ],
        )
