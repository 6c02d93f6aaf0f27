"""A stack that owns a queue, a routing profile on it, an agent on that profile, and a quick connect to the agent.

With CloudFormation alone this is a cycle: the queue's ``QuickConnectArns`` needs the quick connect, which
needs the user, who needs the routing profile, which needs the queue. ``QueueQuickConnectAssociation`` is a
separate resource that depends on the queue and the quick connect, so the graph has no cycle.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_connect as connect
from constructs import Construct

from cdk_connect_quickconnect import (
    AgentTransferFlow,
    ConnectInstance,
    Queue,
    QueueQuickConnectAssociation,
    QuickConnect,
    QuickConnectDestination,
    User,
)


class OwnedQueueStack(cdk.Stack):
    """Queue + routing profile + agent + USER quick connect, made available on the queue without a cycle."""

    def __init__(self, scope: Construct, id: str, **kwargs: object) -> None:
        super().__init__(scope, id, **kwargs)  # type: ignore[arg-type]
        instance_arn = self.node.try_get_context("instanceArn")
        instance = ConnectInstance.from_instance_arn(self, "Instance", instance_arn)

        hours = connect.CfnHoursOfOperation(
            self,
            "Hours",
            instance_arn=instance.instance_arn,
            name="Support hours",
            time_zone="UTC",
            config=[
                connect.CfnHoursOfOperation.HoursOfOperationConfigProperty(
                    day=day,
                    start_time=connect.CfnHoursOfOperation.HoursOfOperationTimeSliceProperty(hours=8, minutes=0),
                    end_time=connect.CfnHoursOfOperation.HoursOfOperationTimeSliceProperty(hours=18, minutes=0),
                )
                for day in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")
            ],
        )
        cfn_queue = connect.CfnQueue(
            self,
            "SupportQueue",
            instance_arn=instance.instance_arn,
            name="Support",
            hours_of_operation_arn=hours.attr_hours_of_operation_arn,
        )
        routing_profile = connect.CfnRoutingProfile(
            self,
            "SupportProfile",
            instance_arn=instance.instance_arn,
            name="Support agents",
            description="Agents answering the Support queue",
            default_outbound_queue_arn=cfn_queue.attr_queue_arn,
            media_concurrencies=[connect.CfnRoutingProfile.MediaConcurrencyProperty(channel="VOICE", concurrency=1)],
            queue_configs=[
                connect.CfnRoutingProfile.RoutingProfileQueueConfigProperty(
                    delay=0,
                    priority=1,
                    queue_reference=connect.CfnRoutingProfile.RoutingProfileQueueReferenceProperty(
                        channel="VOICE", queue_arn=cfn_queue.attr_queue_arn
                    ),
                )
            ],
        )
        cfn_user = connect.CfnUser(
            self,
            "Agent",
            instance_arn=instance.instance_arn,
            username="support.agent",
            routing_profile_arn=routing_profile.attr_routing_profile_arn,
            security_profile_arns=[self.node.try_get_context("agentSecurityProfileArn")],
            phone_config=connect.CfnUser.UserPhoneConfigProperty(phone_type="SOFT_PHONE"),
            identity_info=connect.CfnUser.UserIdentityInfoProperty(first_name="Support", last_name="Agent"),
        )

        agent_flow = AgentTransferFlow(self, "AgentFlow", instance=instance, name="Transfer to support agent")
        to_agent = QuickConnect(
            self,
            "ToSupportAgent",
            instance=instance,
            name="Support agent",
            destination=QuickConnectDestination.user(User.from_cfn_user(cfn_user), agent_flow),
        )
        QueueQuickConnectAssociation(
            self, "OnSupportQueue", queue=Queue.from_cfn_queue(cfn_queue), quick_connects=[to_agent]
        )
