"""A CloudFormation lifecycle driver for the custom resources of a synthesized template.

`CloudFormation` deploys, updates and deletes stacks made of real synthesized templates against the
in-process fake of Connect, with the semantics that matter to the handlers:

- resources are walked in dependency order (``DependsOn`` and every ``Ref`` / ``Fn::GetAtt``); properties
  and Metadata are resolved against what is live, properties stringified as CloudFormation sends them;
- the code that answers a custom resource is the code its ``ServiceToken`` leads to *now*: the function
  resource the token names, as last deployed. A function whose ``Handler`` is ``framework.onEvent`` is the
  aws-cdk Provider framework of release 0.1.0, relaying to the function in its ``USER_ON_EVENT_FUNCTION_ARN``
  (a failed Create gets the framework's placeholder physical id, and the Delete CloudFormation sends for it is
  answered by the framework without calling the handler); a function whose code is ``release-<version>.zip``
  runs that release's handler package (``tests/upgrade/release_*/handlers``); any other runs this tree's
  handler through its Lambda entry (``_handlers.index.handler``), which uploads its own answer by HTTP PUT to
  a real local server standing in for the presigned S3 URL;
- each invocation gets a Lambda context with a hard timeout on the virtual clock (the function's ``Timeout``
  or `lambda_timeout`): reaching it raises `LambdaKilled` wherever the handler is, as Lambda kills the run.
  CloudFormation takes the first answer uploaded (the watchdog's, if any); with none it fails the resource
  once the resource's ``ServiceTimeout`` (default an hour) has passed. Lambda then delivers the same event
  again, up to twice (after 60 and 120 s), once the stack operation is over; late answers are ignored;
- `api` is a fake of the CloudFormation API the handler reads (``ListStackResources``,
  ``DescribeStackResource``), kept in step with the operations: resource statuses move as CloudFormation's do;
- Update sends old and new properties; a changed ``ServiceToken`` or resource type is refused as
  CloudFormation refuses it; a changed physical id has the old one deleted in the cleanup phase (unless
  ``UpdateReplacePolicy`` is ``Retain``), with the old properties; resources removed from the template are
  deleted in the cleanup phase (unless ``DeletionPolicy`` is ``Retain``); a failed Update is rolled back by
  sending every updated resource an Update with old and new properties swapped (in reverse order), then
  deleting every created one; a failed stack Create deletes what was created;
- ``AWS::Connect::QuickConnect`` / ``AWS::Connect::Queue`` are created in the fake; every other type
  (roles, policies, functions, log groups) only gets a physical id.
"""

from __future__ import annotations

import contextlib
import copy
import importlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from cdk_connect_quickconnect._handlers import index
from tests.handlers.fake_cloudformation import FakeCloudFormation, StackResourceRecord
from tests.handlers.fake_connect import ACCOUNT, REGION, FakeClock, FakeConnect, FakeLambdaContext, LambdaKilled
from tests.handlers.response_server import ResponseServer, response_server

CREATE_FAILED_MARKER = "AWSCDK::CustomResourceProviderFramework::CREATE_FAILED"
ASSOCIATION_TYPE = "Custom::ConnectQueueQuickConnects"
LOOKUP_TYPE = "Custom::ConnectLookup"
FUNCTION_TYPE = "AWS::Lambda::Function"
FRAMEWORK_HANDLER = "framework.onEvent"
STACK_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/{name}/5b8a1e90-8c11-11ef-9b39-0e8e6b1f5d9d"
DEFAULT_SERVICE_TIMEOUT = 3600.0
LAMBDA_RETRY_DELAYS = (60.0, 120.0)
"""Lambda delivers an asynchronous event again after a failed run: twice, after about one and two minutes."""


class ResourceFailedError(Exception):
    """One resource operation failed (the handler failed, was killed, or CloudFormation refused it).

    `physical_id` is the one a FAILED answer gave, if any: CloudFormation sends a failed Create's resource a
    Delete with it when it rolls back.
    """

    def __init__(self, reason: str, physical_id: str | None = None) -> None:
        super().__init__(reason)
        self.physical_id = physical_id


@dataclass
class Live:
    """A resource as CloudFormation records it once an operation on it succeeded."""

    logical_id: str
    type: str
    properties: dict[str, Any]
    physical_id: str
    attributes: dict[str, str]
    deletion_policy: str = "Delete"
    update_replace_policy: str = "Delete"
    definition: dict[str, Any] = field(default_factory=dict)
    """The template entry it was last deployed from (for dependency order)."""
    metadata: dict[str, Any] | None = None
    """Its Metadata, resolved."""


@dataclass
class Invocation:
    """One run of the code that answers a custom resource."""

    request_type: str
    logical_id: str
    physical_id: str | None
    started: float
    deadline: float
    ended: float
    error: str | None
    code: str = "current"
    """Which code answered: ``current``, or ``framework+release-<version>``."""
    killed: bool = False
    delivery: int = 1
    """1 for CloudFormation's own invocation, 2 and 3 for Lambda's deliveries again after a killed run."""


@dataclass
class Outcome:
    status: str
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.status in {"CREATE_COMPLETE", "UPDATE_COMPLETE", "DELETE_COMPLETE"}


@dataclass
class _Retry:
    stack: str
    event: dict[str, Any]
    function: Live
    delivery: int


def release_handlers(version: str) -> ModuleType:
    """The ``index`` module of a release's handler package kept in ``tests/upgrade``."""
    return importlib.import_module(f"tests.upgrade.release_{version.replace('.', '_')}.handlers.index")


@dataclass
class CloudFormation:
    """Stacks of one account and Region, deployed against `fake` on `clock`."""

    fake: FakeConnect
    clock: FakeClock
    lambda_timeout: float | None = None
    """Overrides every function's ``Timeout`` (seconds) when set."""
    stacks: dict[str, dict[str, Live]] = field(default_factory=dict)
    invocations: list[Invocation] = field(default_factory=list)
    killed: list[Invocation] = field(default_factory=list)
    retained: list[Live] = field(default_factory=list)
    """Resources CloudFormation stopped tracking without a Delete call (DeletionPolicy Retain)."""
    cleanup_failures: list[str] = field(default_factory=list)
    """Deletes CloudFormation only logs when they fail (cleanup and rollback phases)."""
    ever_listed: set[str] = field(default_factory=set)
    """Every quick connect id any association's properties listed, in any request."""
    api: FakeCloudFormation = field(init=False)
    responses: ResponseServer = field(default_factory=response_server)
    _request_ids: Iterator[int] = field(default_factory=lambda: iter(range(1, 10**9)))
    _retries: list[_Retry] = field(default_factory=list)
    _operating_on: str = ""

    def __post_init__(self) -> None:
        self.api = FakeCloudFormation(clock=self.clock)

    # ---- stack operations ---------------------------------------------------------------------------

    def deploy(self, name: str, template: Mapping[str, Any]) -> Outcome:
        """Create or update stack `name` to `template`; Lambda's late deliveries arrive once it is over."""
        self._operating_on = name
        outcome = self._create_stack(name, template) if name not in self.stacks else self._update_stack(name, template)
        self._deliver_retries()
        return outcome

    def delete(self, name: str) -> Outcome:
        """Delete stack `name`: every resource in reverse dependency order, DeletionPolicy respected."""
        self._operating_on = name
        outcome = self._delete_stack(name)
        self._deliver_retries()
        return outcome

    def import_resource(self, stack: str, logical_id: str, definition: Mapping[str, Any], physical_id: str) -> None:
        """What ``cdk import`` has CloudFormation do for one resource: it joins the stack as it is, no handler runs."""
        self._operating_on = stack
        live = self.stacks.setdefault(stack, {})
        properties = self._resolve_properties(definition, live)
        attributes = {"QuickConnectArn": physical_id} if definition["Type"] == "AWS::Connect::QuickConnect" else {}
        resource = Live(logical_id, definition["Type"], properties, physical_id, attributes)
        _set_policies(resource, definition)
        live[logical_id] = resource
        self._record(stack, resource, "IMPORT_COMPLETE")

    def _delete_stack(self, name: str) -> Outcome:
        live = self.stacks[name]
        for logical_id in reversed(_order({key: _as_template(res) for key, res in live.items()})):
            resource = live[logical_id]
            if resource.deletion_policy == "Retain":
                self.retained.append(resource)
            else:
                self._record(name, resource, "DELETE_IN_PROGRESS")
                try:
                    self._delete_resource(name, resource)
                except ResourceFailedError as error:
                    self._record(name, resource, "DELETE_FAILED")
                    return Outcome("DELETE_FAILED", f"{logical_id}: {error}")
            del live[logical_id]
            self._forget(name, logical_id)
        del self.stacks[name]
        self.api.stacks.pop(_stack_id(name), None)
        return Outcome("DELETE_COMPLETE")

    def _create_stack(self, name: str, template: Mapping[str, Any]) -> Outcome:
        live: dict[str, Live] = {}
        self.stacks[name] = live
        self.api.stack(_stack_id(name))
        resources = template["Resources"]
        for logical_id in _order(resources):
            try:
                self._create_resource(name, logical_id, resources[logical_id], live)
            except ResourceFailedError as error:
                self._roll_back_creates(name, live, list(live))
                del self.stacks[name]  # ROLLBACK_COMPLETE holds nothing; the next deploy creates it anew
                self.api.stacks.pop(_stack_id(name), None)
                return Outcome("ROLLBACK_COMPLETE", f"{logical_id}: {error}")
        return Outcome("CREATE_COMPLETE")

    def _update_stack(self, name: str, template: Mapping[str, Any]) -> Outcome:
        live = self.stacks[name]
        before = {key: copy.deepcopy(res) for key, res in live.items()}
        resources = template["Resources"]
        created: list[str] = []
        updated: list[str] = []
        replaced: list[Live] = []
        for logical_id in _order(resources):
            definition = resources[logical_id]
            try:
                if logical_id not in live:
                    created.append(logical_id)
                    self._create_resource(name, logical_id, definition, live)
                    continue
                old = live[logical_id]
                properties = self._resolve_properties(definition, live)
                metadata = self._resolve(definition.get("Metadata"), live)
                if properties == old.properties and definition["Type"] == old.type:
                    _set_policies(old, definition)
                    old.metadata = metadata
                    self._record(name, old, self.api.stack(_stack_id(name))[logical_id].status)
                    continue
                new = self._update_resource(name, old, properties, definition)
                updated.append(logical_id)
                if new.physical_id != old.physical_id:
                    replaced.append(old)
                live[logical_id] = new
            except ResourceFailedError as error:
                reason = f"{logical_id}: {error}"
                return self._roll_back_update(name, live, before, created, updated, reason)
        # Cleanup phase: replaced physical ids (their Delete carries the old properties), then removed resources.
        for old in replaced:
            if old.update_replace_policy == "Retain":
                self.retained.append(old)
            else:
                self._delete_quietly(name, old)
        removed = [key for key in live if key not in resources]
        for logical_id in reversed(_order({key: _as_template(before[key]) for key in removed})):
            resource = live.pop(logical_id)
            if resource.deletion_policy == "Retain":
                self.retained.append(resource)
            else:
                self._record(name, resource, "DELETE_IN_PROGRESS")
                self._delete_quietly(name, resource)
            self._forget(name, logical_id)
        return Outcome("UPDATE_COMPLETE")

    def _roll_back_update(
        self,
        name: str,
        live: dict[str, Live],
        before: dict[str, Live],
        created: list[str],
        updated: list[str],
        reason: str,
    ) -> Outcome:
        status = "UPDATE_ROLLBACK_COMPLETE"
        for logical_id in reversed(updated):
            current = live[logical_id]
            original = before[logical_id]
            try:
                restored = self._update_resource(name, current, original.properties, _as_template(original))
            except ResourceFailedError as error:
                status, reason = "UPDATE_ROLLBACK_FAILED", f"{reason}; rollback of {logical_id}: {error}"
                continue
            restored.metadata = original.metadata
            self._record(name, restored, "UPDATE_COMPLETE")
            if restored.physical_id != current.physical_id:
                self._delete_quietly(name, current)
            live[logical_id] = restored
        # The resource whose Update failed is still recorded with its old state.
        for logical_id, original in before.items():
            if logical_id not in updated:
                live[logical_id] = original
                self._record(name, original, "UPDATE_COMPLETE")
        self._roll_back_creates(name, live, created)
        return Outcome(status, reason)

    def _roll_back_creates(self, name: str, live: dict[str, Live], created: list[str]) -> None:
        for logical_id in reversed(created):
            if logical_id not in live:
                continue  # failed without a physical id: CloudFormation has nothing to delete
            resource = live.pop(logical_id)
            if resource.deletion_policy == "Retain":
                self.retained.append(resource)
            else:
                self._record(name, resource, "DELETE_IN_PROGRESS")
                self._delete_quietly(name, resource)
            self._forget(name, logical_id)

    # ---- resource operations ------------------------------------------------------------------------

    def _create_resource(
        self, stack: str, logical_id: str, definition: Mapping[str, Any], live: dict[str, Live]
    ) -> Live:
        """Create the resource and record it in `live`; a failed Create that answered a physical id is recorded
        too (CloudFormation's rollback sends it a Delete), then the failure is raised."""
        properties = self._resolve_properties(definition, live)
        metadata = self._resolve(definition.get("Metadata"), live)
        resource_type = definition["Type"]
        pending = Live(logical_id, resource_type, properties, "", {}, metadata=metadata)
        _set_policies(pending, definition)
        self._record(stack, pending, "CREATE_IN_PROGRESS")
        if resource_type.startswith("Custom::"):
            try:
                response = self._invoke(stack, "Create", logical_id, resource_type, properties, None, None)
            except ResourceFailedError as error:
                if error.physical_id:
                    pending.physical_id = error.physical_id
                    live[logical_id] = pending
                    self._record(stack, pending, "CREATE_FAILED")
                else:
                    self._forget(stack, logical_id)
                raise
            resource = Live(logical_id, resource_type, properties, response["PhysicalResourceId"], response["Data"])
        else:
            resource = self._native_create(stack, logical_id, resource_type, properties)
        resource.metadata = metadata
        _set_policies(resource, definition)
        live[logical_id] = resource
        self._record(stack, resource, "CREATE_COMPLETE")
        return resource

    def _update_resource(
        self, stack: str, old: Live, properties: dict[str, Any], definition: Mapping[str, Any]
    ) -> Live:
        if definition["Type"] != old.type:
            raise ResourceFailedError(f"Update of resource type is not permitted ({old.type} to {definition['Type']})")
        metadata = self._resolve(definition.get("Metadata"), self.stacks[stack])
        in_progress = Live(old.logical_id, old.type, properties, old.physical_id, {}, metadata=metadata)
        self._record(stack, in_progress, "UPDATE_IN_PROGRESS")
        if old.type.startswith("Custom::"):
            if properties.get("ServiceToken") != old.properties.get("ServiceToken"):
                self._record(stack, old, "UPDATE_FAILED")
                raise ResourceFailedError("Modifying service token is not allowed.")
            try:
                response = self._invoke(
                    stack, "Update", old.logical_id, old.type, properties, old.properties, old.physical_id
                )
            except ResourceFailedError:
                self._record(stack, old, "UPDATE_FAILED")
                raise
            resource = Live(old.logical_id, old.type, properties, response["PhysicalResourceId"], response["Data"])
        else:
            resource = Live(old.logical_id, old.type, properties, old.physical_id, old.attributes)
        resource.metadata = metadata
        _set_policies(resource, definition)
        self._record(stack, resource, "UPDATE_COMPLETE")
        return resource

    def _delete_resource(self, stack: str, resource: Live) -> None:
        if resource.type.startswith("Custom::"):
            self._invoke(
                stack, "Delete", resource.logical_id, resource.type, resource.properties, None, resource.physical_id
            )
        elif resource.type == "AWS::Connect::QuickConnect":
            quick_connect = self.fake.quick_connects.get(resource.physical_id.rsplit("/", 1)[-1])
            if quick_connect is not None:
                self.fake.delete_quick_connect(quick_connect)

    def _delete_quietly(self, stack: str, resource: Live) -> None:
        """A Delete whose failure CloudFormation only logs (cleanup and rollback)."""
        try:
            self._delete_resource(stack, resource)
        except ResourceFailedError as error:
            self.cleanup_failures.append(f"{resource.logical_id}: {error}")

    def _native_create(self, stack: str, logical_id: str, resource_type: str, properties: dict[str, Any]) -> Live:
        if resource_type == "AWS::Connect::QuickConnect":
            instance = self.fake.instances[properties["InstanceArn"].rsplit("/", 1)[-1]]
            quick_connect = self.fake.add_quick_connect(instance, name=properties["Name"])
            attributes = {"QuickConnectArn": quick_connect.arn}
            return Live(logical_id, resource_type, properties, quick_connect.arn, attributes)
        if resource_type == "AWS::Connect::Queue":
            instance = self.fake.instances[properties["InstanceArn"].rsplit("/", 1)[-1]]
            queue = self.fake.add_queue(instance, name=properties["Name"])
            return Live(logical_id, resource_type, properties, queue.arn, {"QueueArn": queue.arn})
        if resource_type == "AWS::Connect::ContactFlow":
            instance = self.fake.instances[properties["InstanceArn"].rsplit("/", 1)[-1]]
            flow = self.fake.add_contact_flow(instance, properties["Name"], properties["Type"])
            return Live(logical_id, resource_type, properties, flow.arn, {"ContactFlowArn": flow.arn})
        if resource_type.startswith("AWS::Connect::"):
            kind = resource_type.removeprefix("AWS::Connect::")
            arn = f"{properties['InstanceArn']}/{kind.lower()}/{logical_id}"
            return Live(logical_id, resource_type, properties, arn, {f"{kind}Arn": arn})
        if resource_type == FUNCTION_TYPE:
            name = f"{stack}-{logical_id}"
            arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"
            return Live(logical_id, resource_type, properties, name, {"Arn": arn})
        arn = f"arn:aws:fake:{REGION}:{ACCOUNT}:{logical_id}"
        return Live(logical_id, resource_type, properties, f"{logical_id}-physical", {"Arn": arn})

    # ---- the code a ServiceToken leads to ---------------------------------------------------------------

    def _function(self, stack: str, arn: str) -> Live:
        for resource in self.stacks[stack].values():
            if resource.type == FUNCTION_TYPE and resource.attributes.get("Arn") == arn:
                return resource
        raise ResourceFailedError(f"The service token {arn} names no function of the stack")

    def _invoke(
        self,
        stack: str,
        request_type: str,
        logical_id: str,
        resource_type: str,
        properties: dict[str, Any],
        old_properties: dict[str, Any] | None,
        physical_id: str | None,
    ) -> dict[str, Any]:
        """Send the request to whatever the resource's ServiceToken leads to now; return CloudFormation's answer."""
        event: dict[str, Any] = {
            "RequestType": request_type,
            "ServiceToken": properties.get("ServiceToken", ""),
            "ResponseURL": self.responses.new_url(),
            "StackId": _stack_id(stack),
            "RequestId": f"request-{next(self._request_ids)}",
            "LogicalResourceId": logical_id,
            "ResourceType": resource_type,
            "ResourceProperties": properties,
        }
        if old_properties is not None:
            event["OldResourceProperties"] = old_properties
        if physical_id is not None:
            event["PhysicalResourceId"] = physical_id
        if resource_type == ASSOCIATION_TYPE:
            for listed in (properties, old_properties or {}):
                arns = listed.get("QuickConnectArns", [])
                self.ever_listed |= {arn.rsplit("/", 1)[-1] for arn in arns if isinstance(arn, str)}
        function = self._function(stack, str(event["ServiceToken"]))
        if function.properties.get("Handler") == FRAMEWORK_HANDLER:
            return self._through_the_provider_framework(stack, event, function)
        return self._direct(stack, event, function, delivery=1)

    def _through_the_provider_framework(self, stack: str, event: dict[str, Any], framework: Live) -> dict[str, Any]:
        """Release 0.1.0's aws-cdk Provider framework: it calls the user function and reports for it."""
        physical_id = event.get("PhysicalResourceId")
        if event["RequestType"] == "Delete" and physical_id == CREATE_FAILED_MARKER:
            return {"PhysicalResourceId": physical_id, "Data": {}}  # the framework answers this Delete itself
        target = framework.properties["Environment"]["Variables"]["USER_ON_EVENT_FUNCTION_ARN"]
        user_function = self._function(stack, target)
        code = str(user_function.properties["Code"]["S3Key"])
        assert code.startswith("release-"), f"release 0.1.0's framework relays to release code, not {code}"
        handlers = release_handlers(code.removeprefix("release-").removesuffix(".zip"))
        context = FakeLambdaContext(self.clock, timeout=self._timeout(user_function))
        error: str | None = None
        response: dict[str, Any] = {}
        try:
            response = handlers.on_event(event, context, client=self.fake.client())
        except Exception as raised:  # the framework reports any exception as FAILED, with its message
            error = f"{type(raised).__name__}: {raised}"
        invocation = Invocation(
            event["RequestType"],
            event["LogicalResourceId"],
            physical_id,
            context.started_at,
            context.deadline,
            self.clock.now,
            error,
            code=f"framework+{code.removesuffix('.zip')}",
        )
        self.invocations.append(invocation)
        if self.clock.now > context.deadline:
            invocation.killed = True
            self.killed.append(invocation)
            error = error or "Task timed out"
        if error is not None:
            # The framework reports a failed Create with its placeholder physical id.
            raise ResourceFailedError(error, CREATE_FAILED_MARKER if event["RequestType"] == "Create" else physical_id)
        return {"PhysicalResourceId": response.get("PhysicalResourceId", physical_id), "Data": response.get("Data", {})}

    def _direct(self, stack: str, event: dict[str, Any], function: Live, *, delivery: int) -> dict[str, Any]:
        """This tree's handler, invoked by CloudFormation (or Lambda again), answering by its own upload."""
        code = str(function.properties.get("Code", {}).get("S3Key", ""))
        assert not code.startswith("release-"), "release code never answered CloudFormation directly"
        context = FakeLambdaContext(self.clock, timeout=self._timeout(function))
        error: str | None = None
        killed = False
        self.clock.kill_at = context.deadline
        try:
            with self._handler_clients():
                index.handler(event, context)
        except LambdaKilled as kill:
            killed, error = True, str(kill)
        finally:
            self.clock.kill_at = None
        answer = self.responses.answer(event["ResponseURL"])
        invocation = Invocation(
            event["RequestType"],
            event["LogicalResourceId"],
            event.get("PhysicalResourceId"),
            context.started_at,
            context.deadline,
            self.clock.now,
            error if answer is None or answer["Status"] == "SUCCESS" else answer["Reason"],
            killed=killed,
            delivery=delivery,
        )
        self.invocations.append(invocation)
        if killed:
            self.killed.append(invocation)
            if delivery <= len(LAMBDA_RETRY_DELAYS):
                self._retries.append(_Retry(stack, event, function, delivery + 1))
        if delivery > 1:
            return {}
        if answer is None:
            timeout = float(event["ResourceProperties"].get("ServiceTimeout", DEFAULT_SERVICE_TIMEOUT))
            self.clock.advance(max(0.0, context.started_at + timeout - self.clock.now))
            raise ResourceFailedError(
                f"CloudFormation did not receive a response from your Custom Resource within {timeout:.0f} seconds"
            )
        if answer["Status"] != "SUCCESS":
            raise ResourceFailedError(answer["Reason"], answer.get("PhysicalResourceId"))
        return {"PhysicalResourceId": answer["PhysicalResourceId"], "Data": answer.get("Data", {})}

    def _deliver_retries(self) -> None:
        """Lambda's deliveries again of killed runs; CloudFormation has moved on and ignores their answers."""
        while self._retries:
            retry = self._retries.pop(0)
            self.clock.advance(LAMBDA_RETRY_DELAYS[retry.delivery - 2])
            self._direct(retry.stack, retry.event, retry.function, delivery=retry.delivery)

    @contextlib.contextmanager
    def _handler_clients(self) -> Iterator[None]:
        """The handler's clients, wired to the fakes (it makes its own in Lambda)."""
        clients = {"connect": self.fake.client(), "cloudformation": self.api.client()}
        original = index.aws_client
        index.aws_client = clients.__getitem__  # type: ignore[assignment]
        try:
            yield
        finally:
            index.aws_client = original  # type: ignore[assignment]

    def _timeout(self, function: Live) -> float:
        if self.lambda_timeout is not None:
            return self.lambda_timeout
        return float(function.properties.get("Timeout", 3))

    # ---- the stack as the CloudFormation API shows it ---------------------------------------------------

    def _record(self, stack: str, resource: Live, status: str) -> None:
        self.api.put(
            _stack_id(stack),
            StackResourceRecord(
                resource.logical_id, resource.type, resource.physical_id or None, status, resource.metadata
            ),
        )

    def _forget(self, stack: str, logical_id: str) -> None:
        self.api.stack(_stack_id(stack)).pop(logical_id, None)

    # ---- intrinsic functions ------------------------------------------------------------------------

    def _resolve_properties(self, definition: Mapping[str, Any], live: dict[str, Live]) -> dict[str, Any]:
        resolved = _stringify(self._resolve(definition.get("Properties", {}), live))
        assert isinstance(resolved, dict)
        return resolved

    def _resolve(self, value: Any, live: dict[str, Live]) -> Any:
        if isinstance(value, list):
            return [self._resolve(item, live) for item in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            [(key, argument)] = value.items()
            if key == "Ref":
                if argument == "AWS::StackId":
                    return _stack_id(self._operating_on)
                return _PSEUDO.get(argument) or live[argument].physical_id
            if key == "Fn::GetAtt":
                logical_id, attribute = argument if isinstance(argument, list) else argument.split(".", 1)
                return live[logical_id].attributes[attribute]
            if key == "Fn::Join":
                separator, items = argument
                return separator.join(self._resolve(items, live))
            if key == "Fn::Split":
                separator, text = argument
                return self._resolve(text, live).split(separator)
            if key == "Fn::Select":
                position, items = argument
                return self._resolve(items, live)[int(position)]
        return {key: self._resolve(item, live) for key, item in value.items()}


def _stack_id(name: str) -> str:
    return STACK_ID.format(name=name)


_PSEUDO = {
    "AWS::Region": "us-east-1",
    "AWS::AccountId": "123456789012",
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
}


def _stringify(value: Any) -> Any:
    """Properties as CloudFormation hands them to a custom resource: every scalar a string."""
    if isinstance(value, dict):
        return {key: _stringify(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_stringify(item) for item in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


def _set_policies(resource: Live, definition: Mapping[str, Any]) -> None:
    resource.definition = dict(definition)
    resource.deletion_policy = definition.get("DeletionPolicy", "Delete")
    resource.update_replace_policy = definition.get("UpdateReplacePolicy", "Delete")


def _as_template(resource: Live) -> dict[str, Any]:
    return resource.definition


def _references(value: Any) -> set[str]:
    """Logical ids `value` refers to with Ref or Fn::GetAtt."""
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= _references(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "Ref" and isinstance(item, str) and not item.startswith("AWS::"):
                found.add(item)
            elif key == "Fn::GetAtt":
                found.add(item[0] if isinstance(item, list) else item.split(".", 1)[0])
            else:
                found |= _references(item)
    return found


def _order(resources: Mapping[str, Any]) -> list[str]:
    """Logical ids in an order where each comes after everything it depends on."""
    depends: dict[str, set[str]] = {}
    for logical_id, definition in resources.items():
        explicit = definition.get("DependsOn", [])
        explicit = [explicit] if isinstance(explicit, str) else explicit
        referenced = _references(definition.get("Properties", {})) | _references(definition.get("Metadata", {}))
        depends[logical_id] = (set(explicit) | referenced) & set(resources)
        depends[logical_id].discard(logical_id)
    ordered: list[str] = []
    done: set[str] = set()
    while len(ordered) < len(resources):
        ready = sorted(key for key in resources if key not in done and depends[key] <= done)
        assert ready, f"dependency cycle among {sorted(set(resources) - done)}"
        ordered.extend(ready)
        done.update(ready)
    return ordered


def association_state(cloudformation: CloudFormation) -> dict[str, set[str]]:
    """Queue id -> quick connect ids the live association resources of every stack list."""
    listed: dict[str, set[str]] = {}
    for live in cloudformation.stacks.values():
        for resource in live.values():
            if resource.type == ASSOCIATION_TYPE and resource.physical_id not in _FAILED_IDS:
                queue_id = resource.properties["QueueArn"].rsplit("/", 1)[-1]
                arns = resource.properties.get("QuickConnectArns", [])
                listed.setdefault(queue_id, set()).update(arn.rsplit("/", 1)[-1] for arn in arns)
    return listed


_FAILED_IDS = {CREATE_FAILED_MARKER, "cdk-connect-quickconnect:create-failed"}


def dumps(template: Mapping[str, Any]) -> str:
    return json.dumps(template, sort_keys=True)
