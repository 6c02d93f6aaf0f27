"""Write the CDK code that adopts an instance's quick connects: the stack module, app.py, cdk.json, the mapping.

Pure functions of an :class:`AdoptionPlan`: the same plan always gives byte-identical files. The module
is laid out the way ``ruff format`` lays it out at its default line length (88), with a magic trailing
comma in every call split over lines, so formatting it changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import keyword
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

#: The line length the generated module is laid out for (ruff's and black's default).
LINE_LENGTH = 88
#: The generated files' names, relative to the output directory.
MODULE_FILE = "quick_connects_stack.py"
APP_FILE = "app.py"
CDK_JSON_FILE = "cdk.json"
MAPPING_FILE = "resource-mapping.json"
STACK_CLASS = "QuickConnectsStack"
#: The names of this library the generated module may import.
LIBRARY_NAMES = frozenset(
    {
        "AgentTransferFlow",
        "ConnectInstance",
        "ContactFlow",
        "ContactFlowType",
        "Queue",
        "QueueQuickConnectAssociation",
        "QueueTransferFlow",
        "QuickConnect",
        "QuickConnectDestination",
        "User",
    }
)
#: Longest construct id or variable name made from a Connect name (longer names are cut at a word).
MAX_NAME_LENGTH = 40
#: The names of Connect's built-in transfer flows, and the library class whose ``from_default`` finds each.
DEFAULT_FLOWS = {
    ("AGENT_TRANSFER", "Default agent transfer"): "AgentTransferFlow",
    ("QUEUE_TRANSFER", "Default queue transfer"): "QueueTransferFlow",
}


# ---- the plan -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """A queue, user or flow the generated code points at (it is not adopted itself)."""

    kind: str
    """``queue``, ``user`` or ``flow``."""
    connect_id: str
    arn: str
    name: str
    """The queue or flow name, or the username."""
    flow_type: str | None = None


@dataclass(frozen=True)
class AdoptedQuickConnect:
    """One quick connect as the instance has it, with its destination resolved."""

    connect_id: str
    arn: str
    name: str
    description: str | None
    quick_connect_type: str
    target: Reference | None = None
    """The queue (QUEUE) or user (USER) transferred to."""
    flow: Reference | None = None
    """The flow run (USER, QUEUE and FLOW)."""
    phone_number: str | None = None


@dataclass(frozen=True)
class AdoptedAssociation:
    """A queue and the adopted quick connects the instance offers on it."""

    queue: Reference
    quick_connect_ids: tuple[str, ...]


@dataclass(frozen=True)
class AdoptionPlan:
    """Everything the files are written from."""

    instance_arn: str
    instance_alias: str | None
    """The alias, when known (``--instance-alias``); it names the stack."""
    quick_connects: tuple[AdoptedQuickConnect, ...]
    associations: tuple[AdoptedAssociation, ...] = ()

    @property
    def region(self) -> str:
        """The instance's Region, from its ARN."""
        return self.instance_arn.split(":")[3]

    @property
    def account(self) -> str:
        """The instance's account, from its ARN."""
        return self.instance_arn.split(":")[4]


@dataclass(frozen=True)
class GeneratedFiles:
    """The files of one adoption, by name relative to the output directory, and what they hold."""

    files: Mapping[str, str]
    stack_id: str
    mapping: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Logical id of each ``AWS::Connect::QuickConnect`` -> ``{"QuickConnectArn": arn}``."""


# ---- names --------------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Z]+(?![a-z])\d*|[A-Z]?[a-z]+\d*|\d+")
_RESERVED_VARIABLES = frozenset({"self", "scope", "id", "kwargs", "instance", "super"})


def name_tokens(text: str) -> list[str]:
    """The words of a Connect name, ASCII only: ``"Sales desk (EU)"`` -> ``["Sales", "desk", "EU"]``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return [word for run in re.findall(r"[A-Za-z0-9]+", ascii_text) for word in _WORD.findall(run)]


def _pascal(tokens: Iterable[str]) -> str:
    return "".join(token[:1].upper() + token[1:].lower() for token in tokens)


def _snake(pascal_id: str) -> str:
    return "_".join(word.lower() for word in _WORD.findall(pascal_id))


def _cut(tokens: list[str], limit: int) -> list[str]:
    """The leading tokens whose Pascal form fits in ``limit`` characters (at least one, itself cut)."""
    kept: list[str] = []
    for token in tokens:
        if len(_pascal([*kept, token])) > limit:
            break
        kept.append(token)
    return kept or [tokens[0][:limit]]


@dataclass
class _Wanted:
    key: tuple[str, str]
    preferred: str
    suffix_source: str


class NameAllocator:
    """Construct ids (Pascal) and variable names (snake) for the objects of one stack, unique and stable.

    Each object asks for an id made from its Connect name. Ids asked for by more than one object
    (``"Sales desk"`` and ``"sales-desk"``), or that would shadow a keyword or a name of the generated
    code, all get the last 8 characters of their Connect id appended, so an object's id depends only on
    the names in the instance, never on the order they were read in.
    """

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._taken = {_snake(name) for name in reserved} | _RESERVED_VARIABLES | set(keyword.kwlist)
        self._wanted: list[_Wanted] = []
        self._given: dict[tuple[str, str], tuple[str, str]] | None = None

    def want(self, kind: str, connect_id: str, tokens: Sequence[str], prefix: str = "", suffix: str = "") -> None:
        """Ask for an id ``prefix + Name + suffix`` for the object ``(kind, connect_id)``."""
        body = _cut(list(tokens), MAX_NAME_LENGTH) if tokens else [kind.capitalize()]
        preferred = prefix + _pascal(body)
        if suffix and not preferred.lower().endswith(suffix.lower()):
            preferred += suffix
        self._wanted.append(_Wanted((kind, connect_id), preferred, connect_id))

    def construct_id(self, kind: str, connect_id: str) -> str:
        """The construct id given to ``(kind, connect_id)``."""
        return self._allocate()[(kind, connect_id)][0]

    def variable(self, kind: str, connect_id: str) -> str:
        """The Python variable holding ``(kind, connect_id)``: the snake_case of its construct id."""
        return self._allocate()[(kind, connect_id)][1]

    def _allocate(self) -> dict[tuple[str, str], tuple[str, str]]:
        if self._given is not None:
            return self._given
        claims: dict[str, list[_Wanted]] = defaultdict(list)
        for wanted in self._wanted:
            claims[_variable(wanted.preferred)].append(wanted)
        given: dict[tuple[str, str], tuple[str, str]] = {}
        taken = set(self._taken)
        clashing: list[_Wanted] = []
        for variable, claimants in sorted(claims.items()):
            if len(claimants) == 1 and variable not in taken:
                given[claimants[0].key] = (claimants[0].preferred, variable)
                taken.add(variable)
            else:
                clashing += sorted(claimants, key=lambda claimant: claimant.suffix_source)
        for claimant in clashing:
            given[claimant.key] = self._disambiguated(claimant, taken)
            taken.add(given[claimant.key][1])
        self._given = given
        return given

    @staticmethod
    def _disambiguated(claimant: _Wanted, taken: set[str]) -> tuple[str, str]:
        source = re.sub(r"[^A-Za-z0-9]", "", claimant.suffix_source) or "x"
        for length in (8, len(source)):
            tail = source[-length:]
            candidate = (
                claimant.preferred + tail[:1].upper() + tail[1:],
                f"{_variable(claimant.preferred)}_{tail.lower()}",
            )
            if candidate[1] not in taken:
                return candidate
        raise AssertionError(f"two objects share the Connect id {claimant.suffix_source}")


def _variable(construct_id: str) -> str:
    """The snake_case variable of a construct id, never starting with a digit."""
    name = _snake(construct_id)
    return name if not name[:1].isdigit() else f"n{name}"


# ---- CloudFormation logical ids -----------------------------------------------------------------


def logical_id(*path: str) -> str:
    """The logical id aws-cdk-lib gives a resource at ``path`` below its stack (``makeUniqueId``).

    One alphanumeric component is used as is; otherwise the components without "Default", then the
    human part (consecutive duplicates and "Resource" dropped, non-alphanumerics removed, at most 240
    characters) followed by the first 8 hex digits of the MD5 of the joined path, upper-cased.
    """
    components = [component for component in path if component != "Default"]
    if len(components) == 1:
        candidate = _alphanumeric(components[0])
        if len(candidate) <= 255:
            return candidate
    digest = hashlib.md5("/".join(components).encode(), usedforsecurity=False).hexdigest()[:8].upper()
    deduplicated = [part for index, part in enumerate(components) if index == 0 or components[index - 1] != part]
    human = "".join(_alphanumeric(part) for part in deduplicated if part != "Resource")[:240]
    return human + digest


def _alphanumeric(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", text)


# ---- Python source ------------------------------------------------------------------------------


def py_string(value: str) -> str:
    """A Python literal of ``value`` as ``ruff format`` writes it; non-ASCII characters escaped."""
    quote = "'" if value.count('"') > value.count("'") else '"'
    escaped: list[str] = []
    for char in value:
        if char == "\\":
            escaped.append("\\\\")
        elif char == quote:
            escaped.append("\\" + char)
        elif char == "\n":
            escaped.append("\\n")
        elif char == "\t":
            escaped.append("\\t")
        elif char == "\r":
            escaped.append("\\r")
        elif not char.isascii() or not char.isprintable():
            escaped.append(_escape(ord(char)))
        else:
            escaped.append(char)
    return quote + "".join(escaped) + quote


def _escape(code: int) -> str:
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


@dataclass(frozen=True)
class Call:
    """A call expression: rendered on one line when it fits, else one argument a line with a trailing comma."""

    function: str
    args: tuple[Expression, ...] = ()
    kwargs: tuple[tuple[str, Expression], ...] = ()


@dataclass(frozen=True)
class Literal:
    """A string literal, split into parenthesised pieces when it does not fit its line."""

    value: str


@dataclass(frozen=True)
class ListOf:
    """A list display."""

    items: tuple[Expression, ...]


Expression = Call | Literal | ListOf | str
"""A string is source code used as is (a name, ``RemovalPolicy.RETAIN``)."""


def render_expression(expression: Expression, indent: int, prefix: str, suffix: str) -> list[str]:
    """Lines of ``prefix + expression + suffix`` at ``indent`` spaces, laid out as ``ruff format`` would."""
    pad = " " * indent
    inline = _inline(expression)
    if inline is not None and len(pad) + len(prefix) + len(inline) + len(suffix) <= LINE_LENGTH:
        return [f"{pad}{prefix}{inline}{suffix}"]
    if isinstance(expression, Call):
        items = [(None, arg) for arg in expression.args] + [(key, value) for key, value in expression.kwargs]
        lines = [f"{pad}{prefix}{expression.function}("]
        for key, value in items:
            lines += render_expression(value, indent + 4, f"{key}=" if key else "", ",")
        return [*lines, f"{pad}){suffix}"]
    if isinstance(expression, ListOf):
        lines = [f"{pad}{prefix}["]
        for item in expression.items:
            lines += render_expression(item, indent + 4, "", ",")
        return [*lines, f"{pad}]{suffix}"]
    if isinstance(expression, Literal):
        return _split_literal(expression.value, indent, prefix, suffix)
    return [f"{pad}{prefix}{expression}{suffix}"]


def _inline(expression: Expression) -> str | None:
    if isinstance(expression, str):
        return expression
    if isinstance(expression, Literal):
        return py_string(expression.value)
    if isinstance(expression, ListOf):
        parts = [_inline(item) for item in expression.items]
        return None if None in parts else "[" + ", ".join(part for part in parts if part is not None) + "]"
    parts = [_inline(arg) for arg in expression.args]
    parts += [None if (text := _inline(value)) is None else f"{key}={text}" for key, value in expression.kwargs]
    if None in parts:
        return None
    return f"{expression.function}(" + ", ".join(part for part in parts if part is not None) + ")"


def _split_literal(value: str, indent: int, prefix: str, suffix: str) -> list[str]:
    """A long string as ``(`` one piece a line ``)``, broken after spaces only.

    A string without spaces (an ARN) stays whole: a line of one word is exempt from the length rule
    (E501), and breaking inside an ARN would only make it harder to search for.
    """
    pad = " " * indent
    inner = " " * (indent + 4)
    width = LINE_LENGTH - len(inner)
    pieces: list[str] = []
    for word in re.findall(r"\S+\s*|\s+", value):
        if pieces and len(py_string(pieces[-1] + word)) <= width:
            pieces[-1] += word
        else:
            pieces.append(word)
    if len(pieces) == 1:
        return [f"{pad}{prefix}{py_string(value)}{suffix}"]
    return [f"{pad}{prefix}(", *(f"{inner}{py_string(piece)}" for piece in pieces), f"{pad}){suffix}"]


# ---- the stack module ---------------------------------------------------------------------------


@dataclass
class _Module:
    body: list[str] = field(default_factory=list)

    def assign(self, variable: str | None, expression: Call) -> None:
        prefix = f"{variable} = " if variable else ""
        self.body += render_expression(expression, 8, prefix, "")

    def comment(self, text: str) -> None:
        self.body += ["", f"        # {text}"]


class _Writer:
    """Renders one plan; ``by_name`` picks name lookups pinned by context over ARNs."""

    def __init__(self, plan: AdoptionPlan, *, by_name: bool, stack_id: str | None) -> None:
        self.plan = plan
        self.by_name = by_name
        self._stack_id = stack_id
        self.checked_flow_types = _checkable_flow_types(plan)
        self.names = NameAllocator(reserved=["Instance"])
        self.references = _used_references(plan)
        self.context: dict[str, str] = {}
        for reference in self.references:
            tokens = name_tokens(reference.name)
            self.names.want(reference.kind, reference.connect_id, tokens, suffix=_SUFFIX[reference.kind])
        for quick_connect in plan.quick_connects:
            self.names.want("quick connect", quick_connect.connect_id, name_tokens(quick_connect.name), prefix="To")
        for association in plan.associations:
            tokens = name_tokens(association.queue.name)
            self.names.want("association", association.queue.connect_id, tokens, suffix="QuickConnects")

    def module(self) -> str:
        module = _Module()
        module.body += render_expression(
            Call("ConnectInstance.from_instance_arn", ("self", Literal("Instance"), Literal(self.plan.instance_arn))),
            8,
            "instance = ",
            "",
        )
        for kind, title in (("flow", "Transfer flows"), ("queue", "Queues"), ("user", "Agents")):
            chosen = sorted(
                (reference for reference in self.references if reference.kind == kind),
                key=lambda reference: self.names.construct_id(reference.kind, reference.connect_id),
            )
            if chosen:
                module.comment(title + self._reference_note())
            for reference in chosen:
                module.assign(self.names.variable(kind, reference.connect_id), self._reference(reference))
        module.comment("Quick connects (Retain: an import needs a deletion policy)")
        for quick_connect in self._sorted_quick_connects():
            variable = self.names.variable("quick connect", quick_connect.connect_id)
            module.assign(variable, self._quick_connect(quick_connect))
            module.assign(None, Call(f"{variable}.apply_removal_policy", ("RemovalPolicy.RETAIN",)))
        if self.plan.associations:
            module.comment("What each queue offers: made by the first deploy, kept if the stack goes")
        for association in sorted(
            self.plan.associations,
            key=lambda association: self.names.construct_id("association", association.queue.connect_id),
        ):
            module.assign(None, self._association(association))
        return self._module_text(module)

    def _reference_note(self) -> str:
        return ": by name, pinned to an ARN in cdk.json" if self.by_name else ": by ARN"

    def _reference(self, reference: Reference) -> Call:
        construct_id = Literal(self.names.construct_id(reference.kind, reference.connect_id))
        checked = reference.flow_type if reference.connect_id in self.checked_flow_types else None
        if reference.kind == "flow" and checked is None:
            # Its type is not the one every quick connect using it needs: import it unchecked, by ARN,
            # so the stack synthesizes as the instance is.
            return Call("ContactFlow.from_contact_flow_arn", ("self", construct_id, Literal(reference.arn)))
        if not self.by_name:
            if reference.kind == "queue":
                return Call("Queue.from_queue_arn", ("self", construct_id, Literal(reference.arn)))
            if reference.kind == "user":
                return Call("User.from_user_arn", ("self", construct_id, Literal(reference.arn)))
            return Call(
                "ContactFlow.from_contact_flow_arn",
                ("self", construct_id, Literal(reference.arn)),
                (("flow_type", f"ContactFlowType.{reference.flow_type}"),),
            )
        name = Literal(reference.name)
        # Pins name the instance the generated code imports by ARN: its id (lookups.context_key).
        pinned = f"{self.plan.instance_arn.rsplit('/', 1)[-1]}/"
        if reference.kind == "queue":
            self.context[f"{pinned}queue:{reference.name}"] = reference.arn
            return Call("Queue.from_queue_name", ("self", construct_id, "instance", name))
        if reference.kind == "user":
            self.context[f"{pinned}user:{reference.name}"] = reference.arn
            return Call("User.from_username", ("self", construct_id, "instance", name))
        self.context[f"{pinned}contact-flow:{reference.flow_type}:{reference.name}"] = reference.arn
        default_class = DEFAULT_FLOWS.get((reference.flow_type or "", reference.name))
        if default_class is not None:
            return Call(f"{default_class}.from_default", ("self", construct_id, "instance"))
        return Call(
            "ContactFlow.from_contact_flow_name",
            ("self", construct_id, "instance", name, f"ContactFlowType.{reference.flow_type}"),
        )

    def _sorted_quick_connects(self) -> list[AdoptedQuickConnect]:
        return sorted(
            self.plan.quick_connects,
            key=lambda quick_connect: self.names.construct_id("quick connect", quick_connect.connect_id),
        )

    def _quick_connect(self, quick_connect: AdoptedQuickConnect) -> Call:
        kwargs: list[tuple[str, Expression]] = [("instance", "instance"), ("name", Literal(quick_connect.name))]
        if quick_connect.description:
            kwargs.append(("description", Literal(quick_connect.description)))
        kwargs.append(("destination", self._destination(quick_connect)))
        construct_id = self.names.construct_id("quick connect", quick_connect.connect_id)
        return Call("QuickConnect", ("self", Literal(construct_id)), tuple(kwargs))

    def _destination(self, quick_connect: AdoptedQuickConnect) -> Call:
        kind = quick_connect.quick_connect_type
        if kind == "PHONE_NUMBER":
            return Call("QuickConnectDestination.phone_number", (Literal(quick_connect.phone_number or ""),))
        flow = self._variable_of(quick_connect.flow)
        if kind == "FLOW":
            return Call("QuickConnectDestination.flow", (flow,))
        target = self._variable_of(quick_connect.target)
        return Call(f"QuickConnectDestination.{kind.lower()}", (target, flow))

    def _variable_of(self, reference: Reference | None) -> str:
        assert reference is not None, "the plan resolves every destination of an adopted quick connect"
        return self.names.variable(reference.kind, reference.connect_id)

    def _association(self, association: AdoptedAssociation) -> Call:
        construct_id = self.names.construct_id("association", association.queue.connect_id)
        listed = sorted(
            self.names.variable("quick connect", quick_connect_id) for quick_connect_id in association.quick_connect_ids
        )
        return Call(
            "QueueQuickConnectAssociation",
            ("self", Literal(construct_id)),
            (
                ("queue", self.names.variable("queue", association.queue.connect_id)),
                ("quick_connects", ListOf(tuple(listed))),
                ("removal_policy", "RemovalPolicy.RETAIN"),
            ),
        )

    def _module_text(self, module: _Module) -> str:
        used = set(re.findall(r"\b([A-Z][A-Za-z]+)\.|\b([A-Z][A-Za-z]+)\(", "\n".join(module.body)))
        library_names = sorted(name for pair in used for name in pair if name in LIBRARY_NAMES)
        count = len(self.plan.quick_connects)
        queues = len(self.plan.associations)
        header = [
            '"""Quick connects adopted into CDK from an Amazon Connect instance, as they were read.',
            "",
            f"Instance: {self.plan.instance_alias or self.plan.instance_arn.rsplit('/', 1)[-1]}",
            "Generated by ``cdk-connect-quickconnect adopt``. Bring the quick connects under this",
            "stack once, without recreating them, then create the queue associations:",
            "",
            f"    cdk import --resource-mapping {MAPPING_FILE}",
            "    cdk deploy",
            '"""',
            "",
            "from __future__ import annotations",
            "",
            "from typing import Any",
            "",
            "from aws_cdk import RemovalPolicy, Stack",
            *_import_lines("cdk_connect_quickconnect", library_names),
            "from constructs import Construct",
        ]
        class_doc = f"{_plural(count, 'quick connect')} and their associations with {_plural(queues, 'queue')}."
        lines = [
            *header,
            "",
            "",
            f"class {STACK_CLASS}(Stack):",
            f'    """{class_doc}"""',
            "",
            "    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:",
            '        """Declare the quick connects as the instance has them."""',
            "        super().__init__(scope, id, **kwargs)",
            *module.body,
        ]
        return "\n".join(lines) + "\n"

    def stack_id(self) -> str:
        if self._stack_id:
            return self._stack_id
        alias = _pascal(name_tokens(self.plan.instance_alias or ""))
        return f"{alias if alias[:1].isalpha() else 'Connect'}QuickConnects"

    def app(self) -> str:
        where = (("account", Literal(self.plan.account)), ("region", Literal(self.plan.region)))
        env = Call("cdk.Environment", (), where)
        stack = Call(STACK_CLASS, ("app", Literal(self.stack_id())), (("env", env),))
        lines = [
            f'"""The CDK app of {STACK_CLASS}: ``cdk import``, then ``cdk deploy``, from here."""',
            "",
            "import aws_cdk as cdk",
            "",
            f"from {MODULE_FILE.removesuffix('.py')} import {STACK_CLASS}",
            "",
            "app = cdk.App()",
            *render_expression(stack, 0, "", ""),
            "app.synth()",
        ]
        return "\n".join(lines) + "\n"

    def mapping(self) -> dict[str, dict[str, str]]:
        return {
            logical_id(self.names.construct_id("quick connect", quick_connect.connect_id), "Resource"): {
                "QuickConnectArn": quick_connect.arn
            }
            for quick_connect in self.plan.quick_connects
        }


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _import_lines(module: str, names: Sequence[str]) -> list[str]:
    """``from module import names``: on one line when it fits, else one name a line (as isort writes it)."""
    inline = f"from {module} import {', '.join(names)}"
    if len(inline) <= LINE_LENGTH:
        return [inline]
    return [f"from {module} import (", *(f"    {name}," for name in names), ")"]


_SUFFIX = {"queue": "Queue", "user": "User", "flow": "Flow"}
#: The flow type the library requires of the flow each kind of quick connect runs.
REQUIRED_FLOW_TYPES = {"USER": "AGENT_TRANSFER", "QUEUE": "QUEUE_TRANSFER", "FLOW": "CONTACT_FLOW"}


def _checkable_flow_types(plan: AdoptionPlan) -> set[str]:
    """Ids of the flows whose type is the one every quick connect running them requires."""
    required: dict[str, set[str]] = defaultdict(set)
    actual: dict[str, str | None] = {}
    for quick_connect in plan.quick_connects:
        if quick_connect.flow is not None:
            required[quick_connect.flow.connect_id].add(REQUIRED_FLOW_TYPES.get(quick_connect.quick_connect_type, ""))
            actual[quick_connect.flow.connect_id] = quick_connect.flow.flow_type
    return {flow_id for flow_id, types in required.items() if types == {actual[flow_id]}}


def _used_references(plan: AdoptionPlan) -> list[Reference]:
    found: dict[tuple[str, str], Reference] = {}
    for quick_connect in plan.quick_connects:
        for reference in (quick_connect.target, quick_connect.flow):
            if reference is not None:
                found[(reference.kind, reference.connect_id)] = reference
    for association in plan.associations:
        found[("queue", association.queue.connect_id)] = association.queue
    return [found[key] for key in sorted(found)]


def _json(value: object) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generate(plan: AdoptionPlan, *, by_name: bool = False, stack_id: str | None = None) -> GeneratedFiles:
    """The files adopting ``plan``'s quick connects: the stack module, app.py, cdk.json and the mapping.

    :param by_name: reference queues, users and flows by name (``Queue.from_queue_name``, ...), each pinned to
        its current ARN under ``connectLookups`` in cdk.json so that the import needs no lookup
        (default: by ARN).
    :param stack_id: the stack's construct id in app.py (default: the instance alias and ``QuickConnects``).
    """
    writer = _Writer(plan, by_name=by_name, stack_id=stack_id)
    module = writer.module()
    mapping = writer.mapping()
    cdk_json: dict[str, object] = {"app": f"python3 {APP_FILE}"}
    if writer.context:
        cdk_json["context"] = {"connectLookups": writer.context}
    files = {
        MODULE_FILE: module,
        APP_FILE: writer.app(),
        CDK_JSON_FILE: _json(cdk_json),
        MAPPING_FILE: _json(mapping),
    }
    return GeneratedFiles(files=files, stack_id=writer.stack_id(), mapping=mapping)
