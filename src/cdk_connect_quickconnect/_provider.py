"""The one function per stack that answers every association and lookup of this library, and what it needs.

Four resources per stack, however many custom resources it serves: the function (Python, standard library and
boto3 only), its role, the ``ConnectAccess`` policy the custom resources depend on, and its log group. The
function speaks CloudFormation's custom-resource protocol itself (``_handlers.index.handler``): CloudFormation
invokes it directly, with no Provider framework function, role, policy and log group in between.

Upgrade contract: the function keeps the logical id release 0.1.0 gave the Provider framework's entry function
(``ServiceToken`` of every custom resource a stack already has): CloudFormation refuses a changed
``ServiceToken``, and a new function would leave the old resources' Deletes to code that is gone. The role,
the policy and the log group keep their logical ids too. ``tests/upgrade`` holds the contract.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsii
from aws_cdk import Aws, CustomResource, Duration, IStableAnyProducer, Lazy, RemovalPolicy
from constructs import Construct

from ._nag import acknowledge_wildcard_resources
from ._tree import only_child, stack_of
from ._validation import comparable, fail

if TYPE_CHECKING:
    from aws_cdk import aws_lambda as lambda_

_INSTANCE_SCOPED_REASON = (
    "Scoped to one Amazon Connect instance's queues, quick connects, agents or flows: the resources are only "
    "known at deploy time (lookups, new quick connects) and the policy must exist before them"
)
_UNSCOPABLE_REASON = "connect:ListInstances and ds:DescribeDirectories support no resource-level permission in IAM"

#: The construct id of the singleton under its stack.
PROVIDER_ID = "ConnectQuickConnectProvider"
#: The construct id, under the provider, of the policy holding the grants of its custom resources.
ACCESS_POLICY_ID = "ConnectAccess"
#: Logical ids, a contract with every stack deployed with an earlier release (see the module's docstring).
FUNCTION_LOGICAL_ID = "ConnectQuickConnectProviderframeworkonEvent55BC4595"
ROLE_LOGICAL_ID = "ConnectQuickConnectProviderHandlerRoleD27F4709"
ACCESS_POLICY_LOGICAL_ID = "ConnectQuickConnectProviderConnectAccess0BD1E05D"
LOG_GROUP_LOGICAL_ID = "ConnectQuickConnectProviderHandlerLogsCB022A79"
#: The function's entry point in its asset.
HANDLER = "_handlers.index.handler"
#: Where the handler code lives; the asset keeps only ``_handlers/*.py``.
_PACKAGE_DIR = Path(__file__).resolve().parent
_ASSET_EXCLUDES = ["*", "!_handlers", "!_handlers/*.py"]
#: The handler's Lambda timeout; ``_handlers._connect`` bounds its retrying well inside it.
HANDLER_TIMEOUT_MINUTES = 5
#: How long CloudFormation waits for an answer before it fails the resource (its own default is an hour): the
#: Lambda timeout, and as long again for the invocation to wait in Lambda's asynchronous queue.
SERVICE_TIMEOUT_SECONDS = 2 * 60 * HANDLER_TIMEOUT_MINUTES

#: CDK context key: how many days the functions' logs are kept (default 30); set it in ``cdk.json``, with
#: ``-c`` or on one stack (``stack.node.set_context``) before the first construct of this library is added.
LOG_RETENTION_CONTEXT_KEY = "connectLogRetentionDays"
#: CDK context key: ``destroy`` (default: the logs go with the stack) or ``retain`` (kept after it is deleted).
LOG_REMOVAL_CONTEXT_KEY = "connectLogRemovalPolicy"
DEFAULT_LOG_RETENTION_DAYS = 30
#: The retention periods CloudWatch Logs accepts, in days.
RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)
_REMOVAL_POLICIES = {"destroy": RemovalPolicy.DESTROY, "retain": RemovalPolicy.RETAIN}


class ConnectHandlerProvider(Construct):
    """The function, role, policy and log group shared by every custom resource of a stack.

    Use :meth:`of`. The role may write the function's own logs; each construct grants what its custom resources
    need with :meth:`grant_for` (into ``ConnectAccess``, which those resources depend on) and creates them with
    :meth:`custom_resource`.
    """

    @classmethod
    def of(cls, scope: Construct) -> ConnectHandlerProvider:
        """The provider of ``scope``'s stack, created on first use."""
        stack = stack_of(scope)
        return only_child(stack, PROVIDER_ID, cls, lambda: cls(stack, PROVIDER_ID))

    def __init__(self, scope: Construct, id: str) -> None:
        # Imported on first use only: an app that creates no association and no lookup never needs them.
        from aws_cdk import aws_iam as iam
        from aws_cdk import aws_logs as logs

        super().__init__(scope, id)
        self._granted: set[tuple[str, tuple[str, ...], tuple[str, ...]]] = set()
        self._role_statements = _Statements()
        self._access_statements = _Statements()
        retention, removal_policy = _log_settings(self)
        # The function logs to a group of the template, whatever the feature flags: without one, Lambda makes a
        # group at run time that never expires and outlives the stack.
        self.log_group = logs.CfnLogGroup(self, "HandlerLogs", retention_in_days=retention)
        self.log_group.apply_removal_policy(removal_policy)
        self.log_group.override_logical_id(LOG_GROUP_LOGICAL_ID)
        self.role = iam.CfnRole(
            self,
            "HandlerRole",
            assume_role_policy_document=_document(
                [{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}]
            ),
            description="Associates Amazon Connect quick connects with queues and looks up Connect resources",
            policies=[
                iam.CfnRole.PolicyProperty(policy_name="Handler", policy_document=self._role_statements.document())
            ],
        )
        self.role.override_logical_id(ROLE_LOGICAL_ID)
        self.handler = self._function()
        self.grant_to_handler(["logs:CreateLogStream", "logs:PutLogEvents"], [self.log_group.attr_arn])
        self.access_policy = iam.CfnPolicy(
            self,
            ACCESS_POLICY_ID,
            policy_name=ACCESS_POLICY_LOGICAL_ID,
            policy_document=self._access_statements.document(),
            roles=[self.role.ref],
        )
        self.access_policy.override_logical_id(ACCESS_POLICY_LOGICAL_ID)

    def _function(self) -> lambda_.CfnFunction:
        from aws_cdk import aws_lambda as lambda_

        code = lambda_.Code.from_asset(str(_PACKAGE_DIR), exclude=_ASSET_EXCLUDES)
        location = code.bind(self).s3_location
        assert location is not None, "an asset is code in S3"
        function = lambda_.CfnFunction(
            self,
            "Handler",
            code=lambda_.CfnFunction.CodeProperty(s3_bucket=location.bucket_name, s3_key=location.object_key),
            role=self.role.attr_arn,
            handler=HANDLER,
            runtime="python3.14",
            architectures=["arm64"],
            timeout=60 * HANDLER_TIMEOUT_MINUTES,
            memory_size=256,
            logging_config=lambda_.CfnFunction.LoggingConfigProperty(log_group=self.log_group.ref),
            description="cdk-connect-quickconnect: queue quick-connect associations and lookups",
        )
        function.override_logical_id(FUNCTION_LOGICAL_ID)
        code.bind_to_resource(function)
        return function

    @property
    def service_token(self) -> str:
        """The ``ServiceToken`` of custom resources served by this provider: the function's ARN."""
        return self.handler.attr_arn

    def custom_resource(
        self, scope: Construct, id: str, *, resource_type: str, properties: dict[str, Any]
    ) -> CustomResource:
        """A custom resource served by this function, failed by CloudFormation if no answer comes in time."""
        return CustomResource(
            scope,
            id,
            service_token=self.service_token,
            resource_type=resource_type,
            properties=properties,
            service_timeout=Duration.seconds(SERVICE_TIMEOUT_SECONDS),
        )

    def grant_to_handler(self, actions: Sequence[str], resources: Sequence[str]) -> None:
        """Allow ``actions`` in the role's own policy, which the function itself depends on.

        Only for resources known before any custom resource of this provider runs (never a lookup's token).
        """
        if self._first_grant("handler", actions, resources):
            self._role_statements.add(actions, resources)
            acknowledge_wildcard_resources(self.role, list(resources), _UNSCOPABLE_REASON)

    def grant_for(self, consumer: Construct, actions: Sequence[str], resources: Sequence[str]) -> None:
        """Allow ``actions`` on ``resources`` for ``consumer``, a custom resource served by this provider.

        The statement goes into ``ConnectAccess``, which ``consumer`` depends on. The function does not depend
        on it, so resources may name tokens of other lookups (an instance found by alias) without a cycle.
        """
        if self._first_grant("access", actions, resources):
            self._access_statements.add(actions, resources)
            acknowledge_wildcard_resources(self.access_policy, list(resources), _INSTANCE_SCOPED_REASON)
        consumer.node.add_dependency(self.access_policy)

    def grant_stack_reads(self, consumer: Construct) -> None:
        """Let ``consumer`` read its own stack's resources (a renamed association asks who lists what)."""
        reads = ("cloudformation:DescribeStackResource", "cloudformation:ListStackResources")
        self.grant_for(consumer, reads, [Aws.STACK_ID])

    def _first_grant(self, policy: str, actions: Sequence[str], resources: Sequence[str]) -> bool:
        """Whether this grant is new to ``policy`` (and remember it): the same grant twice adds one statement."""
        key = (policy, tuple(actions), tuple(comparable(self, resource) for resource in resources))
        if key in self._granted:
            return False
        self._granted.add(key)
        return True


class _Statements:
    """The statements of one policy document, rendered at synth: one statement per set of resources."""

    def __init__(self) -> None:
        self._actions: dict[tuple[str, ...], set[str]] = {}

    def add(self, actions: Sequence[str], resources: Sequence[str]) -> None:
        self._actions.setdefault(tuple(resources), set()).update(actions)

    def document(self) -> Any:
        return Lazy.any(_DocumentProducer(self))

    def render(self) -> list[dict[str, Any]]:
        statements = []
        for resources, actions in self._actions.items():
            ordered = sorted(actions)
            statements.append(
                {
                    "Action": ordered[0] if len(ordered) == 1 else ordered,
                    "Effect": "Allow",
                    "Resource": resources[0] if len(resources) == 1 else list(resources),
                }
            )
        return statements


@jsii.implements(IStableAnyProducer)
class _DocumentProducer:
    def __init__(self, statements: _Statements) -> None:
        self._statements = statements

    def produce(self) -> Any:
        return _document(self._statements.render())


def _document(statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": statements}


def _log_settings(scope: Construct) -> tuple[int, RemovalPolicy]:
    """The retention (days) and removal policy of the function's log group, from CDK context (see the keys above)."""
    days = scope.node.try_get_context(LOG_RETENTION_CONTEXT_KEY)
    days = DEFAULT_LOG_RETENTION_DAYS if days is None else days
    retention = int(days) if str(days).isdigit() and int(days) in RETENTION_DAYS else None
    if retention is None:
        allowed = ", ".join(str(known) for known in RETENTION_DAYS)
        fail(
            scope,
            f"context {LOG_RETENTION_CONTEXT_KEY}",
            f"be a number of days CloudWatch Logs keeps ({allowed})",
            days,
        )
    removal = scope.node.try_get_context(LOG_REMOVAL_CONTEXT_KEY) or "destroy"
    removal_policy = _REMOVAL_POLICIES.get(str(removal).lower())
    if removal_policy is None:
        fail(scope, f"context {LOG_REMOVAL_CONTEXT_KEY}", "be 'destroy' or 'retain'", removal)
    return retention, removal_policy
