"""The one custom-resource provider per stack that serves every association and lookup of this library."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from aws_cdk import Duration, RemovalPolicy
from constructs import Construct

from ._nag import LAMBDA_BASIC_EXECUTION, acknowledge, acknowledge_wildcard_resources
from ._tree import only_child, stack_of
from ._validation import comparable, fail

if TYPE_CHECKING:
    from aws_cdk import aws_iam as iam
    from aws_cdk import aws_logs as logs

_INSTANCE_SCOPED_REASON = (
    "Scoped to one Amazon Connect instance's queues, quick connects, agents or flows: the resources are only "
    "known at deploy time (lookups, new quick connects) and the policy must exist before them"
)
_UNSCOPABLE_REASON = "connect:ListInstances and ds:DescribeDirectories support no resource-level permission in IAM"

#: The construct id of the singleton under its stack.
PROVIDER_ID = "ConnectQuickConnectProvider"
#: The construct id, under the provider, of the policy holding the Connect grants of its custom resources.
ACCESS_POLICY_ID = "ConnectAccess"
#: Where the handler code lives; the asset keeps only ``_handlers/*.py``.
_PACKAGE_DIR = Path(__file__).resolve().parent
_ASSET_EXCLUDES = ["*", "!_handlers", "!_handlers/*.py"]
#: The handler's Lambda timeout; ``_handlers._connect`` bounds its retrying well inside it.
HANDLER_TIMEOUT_MINUTES = 5

#: CDK context key: how many days the functions' logs are kept (default 30); set it in ``cdk.json``, with
#: ``-c`` or on one stack (``stack.node.set_context``) before the first construct of this library is added.
LOG_RETENTION_CONTEXT_KEY = "connectLogRetentionDays"
#: CDK context key: ``destroy`` (default: the logs go with the stack) or ``retain`` (kept after it is deleted).
LOG_REMOVAL_CONTEXT_KEY = "connectLogRemovalPolicy"
DEFAULT_LOG_RETENTION_DAYS = 30
#: The retention periods CloudWatch Logs accepts, in days, and their ``logs.RetentionDays`` names (less INFINITE).
_RETENTION_BY_DAYS = {
    1: "ONE_DAY",
    3: "THREE_DAYS",
    5: "FIVE_DAYS",
    7: "ONE_WEEK",
    14: "TWO_WEEKS",
    30: "ONE_MONTH",
    60: "TWO_MONTHS",
    90: "THREE_MONTHS",
    120: "FOUR_MONTHS",
    150: "FIVE_MONTHS",
    180: "SIX_MONTHS",
    365: "ONE_YEAR",
    400: "THIRTEEN_MONTHS",
    545: "EIGHTEEN_MONTHS",
    731: "TWO_YEARS",
    1096: "THREE_YEARS",
    1827: "FIVE_YEARS",
    2192: "SIX_YEARS",
    2557: "SEVEN_YEARS",
    2922: "EIGHT_YEARS",
    3288: "NINE_YEARS",
    3653: "TEN_YEARS",
}
_REMOVAL_POLICIES = {"destroy": RemovalPolicy.DESTROY, "retain": RemovalPolicy.RETAIN}


class ConnectHandlerProvider(Construct):
    """The Lambda handler and ``custom_resources.Provider`` shared by every custom resource of a stack.

    Use :meth:`of`; the handler's role starts with permission to write its own logs only, and each
    construct grants the Connect actions it needs, scoped to its instance (:meth:`grant_for`).
    """

    @classmethod
    def of(cls, scope: Construct) -> ConnectHandlerProvider:
        """The provider of ``scope``'s stack, created on first use."""
        stack = stack_of(scope)
        return only_child(stack, PROVIDER_ID, cls, lambda: cls(stack, PROVIDER_ID))

    def __init__(self, scope: Construct, id: str) -> None:
        # Imported on first use only: the Python bindings of these modules take ~0.4 s to import, and an app
        # that creates no association and no lookup never needs them.
        from aws_cdk import aws_iam as iam
        from aws_cdk import aws_lambda as lambda_
        from aws_cdk import aws_logs as logs
        from aws_cdk import custom_resources as cr

        super().__init__(scope, id)
        self._granted: set[tuple[str, tuple[str, ...], tuple[str, ...]]] = set()
        #: Constructs registered per key (e.g. the one association per queue), see :meth:`register`.
        self._registered: dict[str, Construct] = {}
        retention, removal_policy = _log_settings(self)
        # Both functions log to groups of the template, whatever the feature flags: without one, Lambda makes
        # a group at run time that never expires and outlives the stack.
        log_group = logs.LogGroup(self, "HandlerLogs", retention=retention, removal_policy=removal_policy)
        framework_log_group = logs.LogGroup(self, "ProviderLogs", retention=retention, removal_policy=removal_policy)
        self.role = iam.Role(
            self,
            "HandlerRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Associates Amazon Connect quick connects with queues and looks up Connect resources",
        )
        self.handler = lambda_.Function(
            self,
            "Handler",
            runtime=lambda_.Runtime.PYTHON_3_14,
            architecture=lambda_.Architecture.ARM_64,
            handler="_handlers.index.on_event",
            code=lambda_.Code.from_asset(str(_PACKAGE_DIR), exclude=_ASSET_EXCLUDES),
            timeout=Duration.minutes(HANDLER_TIMEOUT_MINUTES),
            memory_size=256,
            role=self.role,
            log_group=log_group,
            description="cdk-connect-quickconnect: queue quick-connect associations and lookups",
        )
        self.grant_to_handler(["logs:CreateLogStream", "logs:PutLogEvents"], [log_group.log_group_arn])
        self.provider = cr.Provider(self, "Provider", on_event_handler=self.handler, log_group=framework_log_group)
        self._acknowledge_provider_framework()

    @property
    def service_token(self) -> str:
        """The ``ServiceToken`` of custom resources served by this provider."""
        return self.provider.service_token

    def registered(self, key: str) -> Construct | None:
        """The construct registered under ``key`` in this stack, if any."""
        return self._registered.get(key)

    def register(self, key: str, construct: Construct) -> None:
        """Remember ``construct`` as the one for ``key`` in this stack."""
        self._registered[key] = construct

    def grant_to_handler(self, actions: Sequence[str], resources: Sequence[str]) -> None:
        """Allow ``actions`` in the role's default policy, which the handler function itself depends on.

        Only for resources known before any custom resource of this provider runs (never a lookup's token).
        """
        from aws_cdk import aws_iam as iam

        if self._first_grant("handler", actions, resources):
            self.role.add_to_principal_policy(iam.PolicyStatement(actions=list(actions), resources=list(resources)))
            acknowledge_wildcard_resources(self.role, list(resources), _UNSCOPABLE_REASON)

    def grant_for(self, consumer: Construct, actions: Sequence[str], resources: Sequence[str]) -> None:
        """Allow ``actions`` on ``resources`` for ``consumer``, a custom resource served by this provider.

        The statement goes into one extra policy of the stack that ``consumer`` depends on. The function does
        not depend on it, so resources may name tokens of other lookups (an instance found by alias) without
        a dependency cycle.
        """
        from aws_cdk import aws_iam as iam

        if self._first_grant("access", actions, resources):
            self._access_policy().add_statements(iam.PolicyStatement(actions=list(actions), resources=list(resources)))
            acknowledge_wildcard_resources(self._access_policy(), list(resources), _INSTANCE_SCOPED_REASON)
        consumer.node.add_dependency(self._access_policy())

    def _acknowledge_provider_framework(self) -> None:
        """The Provider framework's own function and role are aws-cdk's, not this library's to change."""
        reason = "aws-cdk custom_resources.Provider framework function and role, not controlled by this library"
        acknowledge(self.provider, f"AwsSolutions-IAM4[Policy::{LAMBDA_BASIC_EXECUTION}]", reason)
        acknowledge_wildcard_resources(self.provider, [f"{self.handler.function_arn}:*"], reason)

    def _access_policy(self) -> iam.Policy:
        from aws_cdk import aws_iam as iam

        def create() -> iam.Policy:
            return iam.Policy(self, ACCESS_POLICY_ID, roles=[self.role])

        return only_child(self, ACCESS_POLICY_ID, iam.Policy, create)

    def _first_grant(self, policy: str, actions: Sequence[str], resources: Sequence[str]) -> bool:
        """Whether this grant is new to ``policy`` (and remember it): the same grant twice adds one statement."""
        key = (policy, tuple(actions), tuple(comparable(self, resource) for resource in resources))
        if key in self._granted:
            return False
        self._granted.add(key)
        return True


def _log_settings(scope: Construct) -> tuple[logs.RetentionDays, RemovalPolicy]:
    """The retention and removal policy of the functions' log groups, from CDK context (see the keys above)."""
    from aws_cdk import aws_logs as logs

    days = scope.node.try_get_context(LOG_RETENTION_CONTEXT_KEY)
    days = DEFAULT_LOG_RETENTION_DAYS if days is None else days
    retention_name = _RETENTION_BY_DAYS.get(int(days)) if str(days).isdigit() else None
    if retention_name is None:
        allowed = ", ".join(str(known) for known in _RETENTION_BY_DAYS)
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
    return logs.RetentionDays[retention_name], removal_policy
