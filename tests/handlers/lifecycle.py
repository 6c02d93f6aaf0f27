"""A CloudFormation lifecycle driver for the custom resources of a synthesized template.

`CloudFormation` deploys, updates and deletes stacks made of real synthesized templates against the
in-process fake of Connect, with the semantics that matter to the handlers:

- resources are walked in dependency order (``DependsOn`` and every ``Ref`` / ``Fn::GetAtt``); properties
  are resolved against what is live and stringified, as CloudFormation sends them;
- custom resources go through the aws-cdk Provider framework's rules: the handler (`index.on_event`) answers
  or raises; a failed Create gets the placeholder physical id, and the Delete CloudFormation sends for it
  when rolling back is answered by the framework without calling the handler;
- each invocation gets a Lambda context with a hard timeout on the virtual clock; a handler that returns
  after it is recorded as killed (`CloudFormation.killed`) and counts as failed;
- Update sends old and new properties; a changed physical id has the old one deleted in the cleanup phase
  (unless ``UpdateReplacePolicy`` is ``Retain``); resources removed from the template are deleted in the
  cleanup phase (unless ``DeletionPolicy`` is ``Retain``); a failed Update is rolled back by sending every
  updated resource an Update with old and new properties swapped (in reverse order) and deleting every
  created one; a failed stack Create deletes what was created;
- ``AWS::Connect::QuickConnect`` / ``AWS::Connect::Queue`` are created in the fake; every other type
  (roles, policies, functions, log groups) only gets a physical id.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from cdk_connect_quickconnect._handlers import index
from tests.handlers.fake_connect import FakeClock, FakeConnect, FakeLambdaContext

CREATE_FAILED_MARKER = "AWSCDK::CustomResourceProviderFramework::CREATE_FAILED"
ASSOCIATION_TYPE = "Custom::ConnectQueueQuickConnects"
LOOKUP_TYPE = "Custom::ConnectLookup"
STACK_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/{name}/5b8a1e90-8c11-11ef-9b39-0e8e6b1f5d9d"


class ResourceFailedError(Exception):
    """One resource operation failed (the handler raised, or was killed at its timeout)."""


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


@dataclass
class Invocation:
    """One call of the handler Lambda."""

    request_type: str
    logical_id: str
    physical_id: str | None
    started: float
    deadline: float
    ended: float
    error: str | None


@dataclass
class Outcome:
    status: str
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.status in {"CREATE_COMPLETE", "UPDATE_COMPLETE", "DELETE_COMPLETE"}


@dataclass
class CloudFormation:
    """Stacks of one account and Region, deployed against `fake` on `clock`."""

    fake: FakeConnect
    clock: FakeClock
    lambda_timeout: float = 300.0
    stacks: dict[str, dict[str, Live]] = field(default_factory=dict)
    invocations: list[Invocation] = field(default_factory=list)
    killed: list[Invocation] = field(default_factory=list)
    retained: list[Live] = field(default_factory=list)
    """Resources CloudFormation stopped tracking without a Delete call (DeletionPolicy Retain)."""
    cleanup_failures: list[str] = field(default_factory=list)
    """Deletes CloudFormation only logs when they fail (cleanup and rollback phases)."""
    ever_listed: set[str] = field(default_factory=set)
    """Every quick connect id any association's properties listed, in any request."""
    _request_ids: Iterator[int] = field(default_factory=lambda: iter(range(1, 10**9)))

    # ---- stack operations ---------------------------------------------------------------------------

    def deploy(self, name: str, template: Mapping[str, Any]) -> Outcome:
        """Create or update stack `name` to `template`."""
        if name not in self.stacks:
            return self._create_stack(name, template)
        return self._update_stack(name, template)

    def delete(self, name: str) -> Outcome:
        """Delete stack `name`: every resource in reverse dependency order, DeletionPolicy respected."""
        live = self.stacks[name]
        for logical_id in reversed(_order({key: _as_template(res) for key, res in live.items()})):
            resource = live[logical_id]
            if resource.deletion_policy == "Retain":
                self.retained.append(resource)
            else:
                try:
                    self._delete_resource(name, resource)
                except ResourceFailedError as error:
                    return Outcome("DELETE_FAILED", f"{logical_id}: {error}")
            del live[logical_id]
        del self.stacks[name]
        return Outcome("DELETE_COMPLETE")

    def _create_stack(self, name: str, template: Mapping[str, Any]) -> Outcome:
        live: dict[str, Live] = {}
        self.stacks[name] = live
        resources = template["Resources"]
        for logical_id in _order(resources):
            try:
                live[logical_id] = self._create_resource(name, logical_id, resources[logical_id], live)
            except ResourceFailedError as error:
                self._roll_back_creates(name, live, list(live))
                del self.stacks[name]  # ROLLBACK_COMPLETE holds nothing; the next deploy creates it anew
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
                    live[logical_id] = self._create_resource(name, logical_id, definition, live)
                    created.append(logical_id)
                    continue
                old = live[logical_id]
                properties = self._resolve_properties(definition, live)
                if properties == old.properties:
                    _set_policies(old, definition)
                    continue
                new = self._update_resource(name, old, properties, definition)
                updated.append(logical_id)
                if new.physical_id != old.physical_id:
                    replaced.append(old)
                live[logical_id] = new
            except ResourceFailedError as error:
                reason = f"{logical_id}: {error}"
                return self._roll_back_update(name, live, before, created, updated, reason)
        # Cleanup phase: replaced physical ids, then resources no longer in the template.
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
                self._delete_quietly(name, resource)
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
            if restored.physical_id != current.physical_id:
                self._delete_quietly(name, current)
            live[logical_id] = restored
        self._roll_back_creates(name, live, created)
        # The resource whose Update failed is still recorded with its old state.
        for logical_id, original in before.items():
            live.setdefault(logical_id, original)
        return Outcome(status, reason)

    def _roll_back_creates(self, name: str, live: dict[str, Live], created: list[str]) -> None:
        for logical_id in reversed(created):
            resource = live.pop(logical_id)
            if resource.deletion_policy == "Retain":
                self.retained.append(resource)
            else:
                self._delete_quietly(name, resource)

    # ---- resource operations ------------------------------------------------------------------------

    def _create_resource(
        self, stack: str, logical_id: str, definition: Mapping[str, Any], live: dict[str, Live]
    ) -> Live:
        properties = self._resolve_properties(definition, live)
        resource_type = definition["Type"]
        if resource_type.startswith("Custom::"):
            response = self._invoke(stack, "Create", logical_id, resource_type, properties, None, None)
            resource = Live(logical_id, resource_type, properties, response["PhysicalResourceId"], response["Data"])
        else:
            resource = self._native_create(logical_id, resource_type, properties)
        _set_policies(resource, definition)
        return resource

    def _update_resource(
        self, stack: str, old: Live, properties: dict[str, Any], definition: Mapping[str, Any]
    ) -> Live:
        if old.type.startswith("Custom::"):
            response = self._invoke(
                stack, "Update", old.logical_id, old.type, properties, old.properties, old.physical_id
            )
            resource = Live(old.logical_id, old.type, properties, response["PhysicalResourceId"], response["Data"])
        else:
            resource = Live(old.logical_id, old.type, properties, old.physical_id, old.attributes)
        _set_policies(resource, definition)
        return resource

    def _delete_resource(self, stack: str, resource: Live) -> None:
        if resource.type.startswith("Custom::"):
            if resource.physical_id == CREATE_FAILED_MARKER:
                return  # the Provider framework answers this Delete itself
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

    def _native_create(self, logical_id: str, resource_type: str, properties: dict[str, Any]) -> Live:
        if resource_type == "AWS::Connect::QuickConnect":
            instance = self.fake.instances[properties["InstanceArn"].rsplit("/", 1)[-1]]
            quick_connect = self.fake.add_quick_connect(instance, name=properties["Name"])
            attributes = {"QuickConnectArn": quick_connect.arn}
            return Live(logical_id, resource_type, properties, quick_connect.arn, attributes)
        arn = f"arn:aws:fake:us-east-1:123456789012:{logical_id}"
        return Live(logical_id, resource_type, properties, f"{logical_id}-physical", {"Arn": arn})

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
        """Call the handler as the Provider framework does, under a Lambda timeout on the virtual clock."""
        event: dict[str, Any] = {
            "RequestType": request_type,
            "ServiceToken": properties.get("ServiceToken", ""),
            "ResponseURL": "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x",
            "StackId": STACK_ID.format(name=stack),
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
        context = FakeLambdaContext(self.clock, timeout=self.lambda_timeout)
        error: str | None = None
        try:
            response = index.on_event(event, context, client=self.fake.client())
        except Exception as raised:  # the framework reports any exception as FAILED, with its message
            error = f"{type(raised).__name__}: {raised}"
        invocation = Invocation(
            request_type, logical_id, physical_id, context.started_at, context.deadline, self.clock.now, error
        )
        self.invocations.append(invocation)
        if self.clock.now > context.deadline:
            self.killed.append(invocation)
            raise ResourceFailedError(f"Task timed out after {self.lambda_timeout:.0f} seconds")
        if error is not None:
            raise ResourceFailedError(error)
        return {"PhysicalResourceId": response.get("PhysicalResourceId", physical_id), "Data": response.get("Data", {})}

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
        depends[logical_id] = (set(explicit) | _references(definition.get("Properties", {}))) & set(resources)
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
            if resource.type == ASSOCIATION_TYPE and resource.physical_id != CREATE_FAILED_MARKER:
                queue_id = resource.properties["QueueArn"].rsplit("/", 1)[-1]
                arns = resource.properties.get("QuickConnectArns", [])
                listed.setdefault(queue_id, set()).update(arn.rsplit("/", 1)[-1] for arn in arns)
    return listed


def dumps(template: Mapping[str, Any]) -> str:
    return json.dumps(template, sort_keys=True)
