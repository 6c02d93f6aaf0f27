"""The apps measured (built and synthesized in worker subprocesses: the only code that loads jsii) and the
statistics read from their templates."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.common import (
    ACCOUNT,
    AGENT_FLOW,
    CLI_CONTEXT,
    CONNECT_BATCH_LIMIT,
    CONNECT_PREFIX,
    INBOUND_FLOW_ARN,
    INSTANCE_ARN,
    QUEUE_FLOW,
    REGION,
    RESOURCE_LIMIT_CONTEXT,
    STACK_NAME,
    AppSpec,
    TemplateStats,
    kind_of,
    phone_number,
    queue_arn,
    queue_count,
    quick_connect_name,
    user_arn,
)

if TYPE_CHECKING:
    import aws_cdk as cdk


def build_library(stack: cdk.Stack, spec: AppSpec) -> None:
    """Quick connects and flows with this library; associations and lookups as the spec says."""
    from cdk_connect_quickconnect import (
        AgentTransferFlow,
        ConnectInstance,
        ContactFlow,
        ContactFlowType,
        Queue,
        QueueQuickConnectAssociation,
        QueueTransferFlow,
        QuickConnect,
        QuickConnectDestination,
        User,
    )

    instance = ConnectInstance.from_instance_arn(stack, "Instance", INSTANCE_ARN)
    agent_flow = AgentTransferFlow(stack, AGENT_FLOW[0], instance=instance, name=AGENT_FLOW[1])
    queue_flow = QueueTransferFlow(stack, QUEUE_FLOW[0], instance=instance, name=QUEUE_FLOW[1])
    inbound_flow = ContactFlow.from_contact_flow_arn(
        stack, "InboundFlow", INBOUND_FLOW_ARN, flow_type=ContactFlowType.CONTACT_FLOW
    )
    # USER quick connects need no queue but the one they are offered on: as many imports as hand-written has.
    queues = [Queue.from_queue_arn(stack, f"Queue{q}", queue_arn(q)) for q in range(queue_count(spec.n, spec.kinds))]
    quick_connects = []
    for i in range(spec.n):
        kind = kind_of(i, spec.kinds)
        if kind == "USER":
            user = User.from_user_arn(stack, f"User{i}", user_arn(i))
            destination = QuickConnectDestination.user(user, agent_flow)
        elif kind == "QUEUE":
            destination = QuickConnectDestination.queue(queues[i % len(queues)], queue_flow)
        elif kind == "FLOW":
            destination = QuickConnectDestination.flow(inbound_flow)
        else:
            destination = QuickConnectDestination.phone_number(phone_number(i))
        quick_connect = QuickConnect(
            stack, f"QuickConnect{i}", instance=instance, name=quick_connect_name(i), destination=destination
        )
        quick_connects.append(quick_connect)
        if spec.associations == "per-queue":
            QueueQuickConnectAssociation.add_to_queue(queues[i % len(queues)], quick_connect)
    if spec.associations == "one":
        QueueQuickConnectAssociation(stack, "OnQueue0", queue=queues[0], quick_connects=quick_connects)
    if spec.lookups:
        Queue.from_queue_name(stack, "BasicQueue", instance, "BasicQueue")
        User.from_username(stack, "Mav2", instance, "mav2")
        AgentTransferFlow.from_default(stack, "DefaultAgentTransfer", instance)


def build_raw(stack: cdk.Stack, spec: AppSpec) -> list[str]:
    """The same quick connects and flows written with the L1 classes of aws_cdk.aws_connect; their ARNs."""
    from aws_cdk import aws_connect as connect

    flow_arns = {
        flow_type: connect.CfnContactFlow(
            stack,
            construct_id,
            instance_arn=INSTANCE_ARN,
            name=name,
            type=flow_type,
            content=spec.flow_contents[flow_type],
        ).attr_contact_flow_arn
        for construct_id, name, flow_type in (AGENT_FLOW, QUEUE_FLOW)
    }
    queues = [queue_arn(q) for q in range(queue_count(spec.n, spec.kinds))]
    config = connect.CfnQuickConnect.QuickConnectConfigProperty
    arns: list[str] = []
    for i in range(spec.n):
        kind = kind_of(i, spec.kinds)
        if kind == "USER":
            quick_connect_config = config(
                quick_connect_type=kind,
                user_config=connect.CfnQuickConnect.UserQuickConnectConfigProperty(
                    contact_flow_arn=flow_arns[AGENT_FLOW[2]], user_arn=user_arn(i)
                ),
            )
        elif kind == "QUEUE":
            quick_connect_config = config(
                quick_connect_type=kind,
                queue_config=connect.CfnQuickConnect.QueueQuickConnectConfigProperty(
                    contact_flow_arn=flow_arns[QUEUE_FLOW[2]], queue_arn=queues[i % len(queues)]
                ),
            )
        elif kind == "FLOW":
            quick_connect_config = config(
                quick_connect_type=kind,
                flow_config=connect.CfnQuickConnect.FlowQuickConnectConfigProperty(contact_flow_arn=INBOUND_FLOW_ARN),
            )
        else:
            quick_connect_config = config(
                quick_connect_type=kind,
                phone_config=connect.CfnQuickConnect.PhoneNumberQuickConnectConfigProperty(
                    phone_number=phone_number(i)
                ),
            )
        quick_connect = connect.CfnQuickConnect(
            stack,
            f"QuickConnect{i}",
            instance_arn=INSTANCE_ARN,
            name=quick_connect_name(i),
            quick_connect_config=quick_connect_config,
        )
        arns.append(quick_connect.attr_quick_connect_arn)
    return arns


def build_hand_written(stack: cdk.Stack, spec: AppSpec) -> None:
    """What a user writes without this library: the L1s of ``raw``, every quick connect offered on one queue the
    stack does not own with an ``AwsCustomResource`` per 50 ids (Connect's batch limit), as ``library`` with
    ``associations="one"`` does with one ``Custom::ConnectQueueQuickConnects``. (It would not remove what it
    added on update, nor page, retry or check anything: the smallest honest hand-written equivalent.)
    """
    from aws_cdk import Fn
    from aws_cdk import custom_resources as cr

    arns = build_raw(stack, spec)
    queue = queue_arn(0)
    instance_id, queue_id = INSTANCE_ARN.rsplit("/", 1)[-1], queue.rsplit("/", 1)[-1]
    policy = cr.AwsCustomResourcePolicy.from_sdk_calls(resources=[queue, f"{INSTANCE_ARN}/transfer-destination/*"])
    for batch, start in enumerate(range(0, len(arns), CONNECT_BATCH_LIMIT)):
        ids = [Fn.select(3, Fn.split("/", arn)) for arn in arns[start : start + CONNECT_BATCH_LIMIT]]
        parameters: dict[str, object] = {"InstanceId": instance_id, "QueueId": queue_id, "QuickConnectIds": ids}

        def call(action: str, parameters: dict[str, object] = parameters, batch: int = batch) -> cr.AwsSdkCall:
            return cr.AwsSdkCall(
                service="Connect",
                action=action,
                parameters=parameters,
                physical_resource_id=cr.PhysicalResourceId.of(f"{queue_id}-quick-connects-{batch}"),
            )

        cr.AwsCustomResource(
            stack,
            f"AssociateBatch{batch}",
            on_create=call("AssociateQueueQuickConnects"),
            on_update=call("AssociateQueueQuickConnects"),
            on_delete=call("DisassociateQueueQuickConnects"),
            policy=policy,
            install_latest_aws_sdk=False,
        )


def synthesize(spec: AppSpec, outdir: str) -> Path:
    """Build the app of ``spec`` (one stack) and synthesize it into ``outdir``; the stack's template file."""
    import aws_cdk as cdk

    build = {"library": build_library, "raw": build_raw, "hand-written": build_hand_written}[spec.variant]
    context = {**CLI_CONTEXT, RESOURCE_LIMIT_CONTEXT: 0} if spec.count_past_limit else CLI_CONTEXT
    app = cdk.App(outdir=outdir, context=context)
    stack = cdk.Stack(app, STACK_NAME, env=cdk.Environment(account=ACCOUNT, region=REGION))
    build(stack, spec)
    assembly = app.synth()
    return Path(assembly.get_stack_artifact(stack.artifact_id).template_full_path)


def template_stats(template_path: Path) -> TemplateStats:
    template: dict[str, Any] = json.loads(template_path.read_text())
    resources: dict[str, dict[str, Any]] = template["Resources"]
    flows = (
        resource["Properties"] for resource in resources.values() if resource["Type"] == "AWS::Connect::ContactFlow"
    )
    return TemplateStats(
        resource_types=dict(Counter(resource["Type"] for resource in resources.values())),
        template_bytes=template_path.stat().st_size,
        connect_digest=connect_digest(resources),
        flow_contents={flow["Type"]: flow["Content"] for flow in flows},
    )


def connect_digest(resources: dict[str, dict[str, Any]]) -> str:
    """Hash the Connect resources, so that two templates with the same resources under other logical ids match."""
    names = {
        logical_id: f"{resource['Type']}:{resource.get('Properties', {}).get('Name', logical_id)}"
        for logical_id, resource in resources.items()
    }

    def canonical(value: Any) -> Any:
        if isinstance(value, dict):
            if set(value) == {"Fn::GetAtt"}:
                logical_id, attribute = value["Fn::GetAtt"]
                return {"Fn::GetAtt": [names.get(logical_id, logical_id), attribute]}
            if set(value) == {"Ref"}:
                return {"Ref": names.get(value["Ref"], value["Ref"])}
            return {key: canonical(item) for key, item in value.items()}
        if isinstance(value, list):
            return [canonical(item) for item in value]
        return value

    connect = sorted(
        json.dumps(canonical({"Type": resource["Type"], "Properties": resource.get("Properties")}), sort_keys=True)
        for resource in resources.values()
        if resource["Type"].startswith(CONNECT_PREFIX)
    )
    return hashlib.sha256("\n".join(connect).encode()).hexdigest()
