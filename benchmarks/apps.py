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
    ROOT,
    SEED_LOOKUPS,
    SEED_STACK,
    STACK_NAME,
    AppSpec,
    SeedLookup,
    TemplateStats,
    kind_of,
    phone_number,
    pinned_arn,
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

    if spec.variant in SEED_VARIANTS:
        return synthesize_seed(spec, outdir)
    build = {"library": build_library, "raw": build_raw, "hand-written": build_hand_written}[spec.variant]
    context = {**CLI_CONTEXT, RESOURCE_LIMIT_CONTEXT: 0} if spec.count_past_limit else CLI_CONTEXT
    app = cdk.App(outdir=outdir, context=context)
    stack = cdk.Stack(app, STACK_NAME, env=cdk.Environment(account=ACCOUNT, region=REGION))
    build(stack, spec)
    assembly = app.synth()
    return Path(assembly.get_stack_artifact(stack.artifact_id).template_full_path)


# ---- the seed app (figure 6) --------------------------------------------------------------------------------

SEED_VARIANTS = ("seed", "seed-hand-written", "provider-framework")


def synthesize_seed(spec: AppSpec, outdir: str) -> Path:
    """The seed app (``examples/app.py``'s ``SeedWalkthroughStack``, or its hand-written equivalent), with the
    examples' context and the feature flags of ``spec.flag_set``, as release 0.1.0's fixtures were synthesized
    (no CLI metadata); ``provider-framework``: aws-cdk-lib's Provider framework around a one-line function."""
    import aws_cdk as cdk

    from tests.support import context_with_flags

    context = context_with_flags(spec.flag_set or "bare")
    instance_arn = str(context["instanceArn"])
    if spec.pinned:
        context.update(pinned_lookups_context(instance_arn))
    app = cdk.App(outdir=outdir, context=context)
    region, account = instance_arn.split(":")[3:5]
    env = cdk.Environment(account=account, region=region)
    stack: cdk.Stack
    if spec.variant == "seed":
        stack = seed_app_module().SeedWalkthroughStack(app, SEED_STACK, env=env)
    else:
        stack = cdk.Stack(app, SEED_STACK, env=env)
        build = build_seed_hand_written if spec.variant == "seed-hand-written" else build_provider_framework
        build(stack, instance_arn, pinned=spec.pinned)
    assembly = app.synth()
    return Path(assembly.get_stack_artifact(stack.artifact_id).template_full_path)


def pinned_lookups_context(instance_arn: str) -> dict[str, dict[str, str]]:
    """CDK context pinning every lookup of the seed app, keyed by the library's own key function: the pins
    follow whatever the key format is (and figure 6's target "no lookup custom resource" misses if they do not)."""
    from cdk_connect_quickconnect.lookups import CONTEXT_KEY, context_key

    instance_id = instance_arn.rsplit("/", 1)[-1]  # the seed app's instance is given by ARN: its keys name its id
    pins = {
        context_key(
            lookup.kind, lookup.name, lookup.flow_type, instance=None if lookup.kind == "instance" else instance_id
        ): pinned_arn(instance_arn, lookup.kind, lookup.name)
        for lookup in SEED_LOOKUPS
    }
    return {CONTEXT_KEY: pins}


def seed_app_module() -> Any:
    """``examples/app.py``, loaded as the tests load it (its folder on ``sys.path`` for its sibling modules)."""
    import importlib.util
    import sys

    examples = ROOT / "examples"
    if str(examples) not in sys.path:
        sys.path.insert(0, str(examples))
    spec = importlib.util.spec_from_file_location("bench_example_app", examples / "app.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_seed_hand_written(stack: cdk.Stack, instance_arn: str, *, pinned: bool) -> None:
    """The seed app without this library: its three quick connects as ``CfnQuickConnect``, offered on BasicQueue
    by one ``AwsCustomResource``, and (unless ``pinned``, when the ARNs are written in) an ``AwsCustomResource``
    per lookup by name (``SearchQueues``, ``SearchUsers``, ``SearchContactFlows``: ``EXACT`` name, first match),
    each allowed only the call it makes. Like ``build_hand_written``, the smallest honest equivalent: it neither
    pages, retries nor checks, and a lookup that matches nothing fails on a missing response field.
    """
    from aws_cdk import Fn
    from aws_cdk import aws_connect as connect
    from aws_cdk import custom_resources as cr

    instance_id = instance_arn.rsplit("/", 1)[-1]
    searches = {
        "queue": ("SearchQueues", "name", "Queues.0.QueueArn", [instance_arn, f"{instance_arn}/queue/*"]),
        "user": ("SearchUsers", "Username", "Users.0.Arn", [instance_arn]),
        "contact-flow": (
            "SearchContactFlows",
            "name",
            "ContactFlows.0.Arn",
            [instance_arn, f"{instance_arn}/contact-flow/*"],
        ),
    }

    def by_name(lookup: SeedLookup) -> str:
        if pinned:
            return pinned_arn(instance_arn, lookup.kind, lookup.name)
        action, field_name, output, resources = searches[lookup.kind]
        criteria: dict[str, object] = {
            "StringCondition": {"FieldName": field_name, "Value": lookup.name, "ComparisonType": "EXACT"}
        }
        if lookup.flow_type:
            criteria["TypeCondition"] = lookup.flow_type
        sdk_call = cr.AwsSdkCall(
            service="Connect",
            action=action,
            parameters={"InstanceId": instance_id, "SearchCriteria": criteria},
            physical_resource_id=cr.PhysicalResourceId.of(f"{lookup.kind}:{lookup.name}"),
            output_paths=[output],
        )
        found = cr.AwsCustomResource(
            stack,
            lookup.construct_id,
            on_create=sdk_call,
            on_update=sdk_call,
            policy=cr.AwsCustomResourcePolicy.from_sdk_calls(resources=resources),
            install_latest_aws_sdk=False,
        )
        return found.get_response_field(output)

    basic_queue_arn, user_arn, agent_flow, queue_flow = (by_name(lookup) for lookup in SEED_LOOKUPS)
    qc = connect.CfnQuickConnect
    to_mav2 = qc.QuickConnectConfigProperty(
        quick_connect_type="USER",
        user_config=qc.UserQuickConnectConfigProperty(contact_flow_arn=agent_flow, user_arn=user_arn),
    )
    to_basic = qc.QuickConnectConfigProperty(
        quick_connect_type="QUEUE",
        queue_config=qc.QueueQuickConnectConfigProperty(contact_flow_arn=queue_flow, queue_arn=basic_queue_arn),
    )
    hotline = qc.QuickConnectConfigProperty(
        quick_connect_type="PHONE_NUMBER",
        phone_config=qc.PhoneNumberQuickConnectConfigProperty(phone_number="+18005550100"),
    )
    made = [
        qc(stack, "ToMav2", instance_arn=instance_arn, name="mav2", quick_connect_config=to_mav2),
        qc(stack, "ToBasic", instance_arn=instance_arn, name="BasicQueue", quick_connect_config=to_basic),
        qc(
            stack,
            "Hotline",
            instance_arn=instance_arn,
            name="Support hotline",
            description="External support line",
            quick_connect_config=hotline,
        ),
    ]
    parameters = {
        "InstanceId": instance_id,
        "QueueId": Fn.select(3, Fn.split("/", basic_queue_arn)),
        "QuickConnectIds": [
            Fn.select(3, Fn.split("/", quick_connect.attr_quick_connect_arn)) for quick_connect in made
        ],
    }

    def call(action: str) -> cr.AwsSdkCall:
        return cr.AwsSdkCall(
            service="Connect",
            action=action,
            parameters=parameters,
            physical_resource_id=cr.PhysicalResourceId.of("BasicQueue-quick-connects"),
        )

    cr.AwsCustomResource(
        stack,
        "OnBasicQueue",
        on_create=call("AssociateQueueQuickConnects"),
        on_update=call("AssociateQueueQuickConnects"),
        on_delete=call("DisassociateQueueQuickConnects"),
        policy=cr.AwsCustomResourcePolicy.from_sdk_calls(
            resources=[f"{instance_arn}/queue/*", f"{instance_arn}/transfer-destination/*"]
        ),
        install_latest_aws_sdk=False,
    )


def build_provider_framework(stack: cdk.Stack, instance_arn: str, *, pinned: bool) -> None:
    """aws-cdk-lib's ``custom_resources.Provider`` around a one-line function: the framework release 0.1.0 put in
    every stack, synthesized here only for its function's asset (the release's fixtures name no asset)."""
    from aws_cdk import aws_lambda as lambda_
    from aws_cdk import custom_resources as cr

    on_event = lambda_.Function(
        stack,
        "OnEvent",
        code=lambda_.Code.from_inline("def on_event(event, context):\n    return {}\n"),
        handler="index.on_event",
        runtime=lambda_.Runtime.PYTHON_3_12,
    )
    cr.Provider(stack, "Provider", on_event_handler=on_event)


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
