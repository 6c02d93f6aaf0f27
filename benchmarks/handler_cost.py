"""Figure 5: handler cost: Connect and CloudFormation calls per change, and the handler's cold import time."""

from __future__ import annotations

import contextlib
import importlib
import importlib.metadata
import io
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from benchmarks.common import (
    ASSOCIATE,
    ASSOCIATION_TYPE,
    CONNECT_BATCH_LIMIT,
    DISASSOCIATE,
    EXISTING_ASSOCIATIONS,
    HANDLER_KS,
    IMPORT_RUNS,
    IMPORT_TARGET_MS,
    LIST,
    LIST_PAGE_MAX,
    PACKAGE_DIR,
    ROOT,
    SERVICE_TOKEN,
    STACK_ID,
)
from benchmarks.report import Report

LOGICAL_ID = "QueueQuickConnects"
DESCRIBE_STACK_RESOURCE = "DescribeStackResource"
LIST_STACK_RESOURCES = "ListStackResources"


@dataclass(frozen=True)
class Handlers:
    """The handler modules as the Lambda imports them, and the fakes of the Connect and CloudFormation APIs."""

    index: ModuleType
    fake: ModuleType
    fake_cloudformation: ModuleType
    record_in_progress: Callable[[Any, dict[str, Any]], None]
    """Puts the event's resource in its stack as CloudFormation records it while it waits for the request."""


@contextlib.contextmanager
def lambda_asset() -> Iterator[Path]:
    """A directory laid out like the Lambda asset: ``_handlers/*.py`` at the top level, nothing else."""
    with tempfile.TemporaryDirectory(prefix="qc-bench-asset-") as root:
        handlers = Path(root, "_handlers")
        handlers.mkdir()
        for source in sorted((PACKAGE_DIR / "_handlers").glob("*.py")):
            shutil.copy2(source, handlers / source.name)
        yield Path(root)


def load_handlers(asset_root: Path) -> Handlers:
    """Import the handlers from the asset copy (not through the package, whose ``__init__`` loads aws_cdk)."""
    sys.path.insert(0, str(asset_root))
    sys.path.insert(0, str(ROOT))
    index = importlib.import_module("_handlers.index")
    connect: Any = importlib.import_module("_handlers._connect")
    fake = importlib.import_module("tests.handlers.fake_connect")
    fake_cloudformation = importlib.import_module("tests.handlers.fake_cloudformation")
    conftest: Any = importlib.import_module("tests.handlers.conftest")
    # As the handler tests do: the retry policy never sleeps (no fault is injected, so none is expected).
    clock = fake.FakeClock()
    connect.BACKOFF = connect.Backoff(sleep=clock.sleep, random=lambda: 0.5, clock=clock.monotonic)
    return Handlers(index, fake, fake_cloudformation, conftest.record_in_progress)


def cfn_event(
    request_type: str, properties: dict[str, Any], old: dict[str, Any] | None = None, *, created: bool = False
) -> dict[str, Any]:
    """A request as CloudFormation sends it to the function; ``created``: the resource exists (Update, Delete)."""
    event: dict[str, Any] = {
        "RequestType": request_type,
        "ServiceToken": SERVICE_TOKEN,
        "ResponseURL": "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x?sig=1",
        "StackId": STACK_ID,
        "RequestId": str(uuid.uuid4()),
        "LogicalResourceId": LOGICAL_ID,
        "ResourceType": ASSOCIATION_TYPE,
        "ResourceProperties": {"ServiceToken": SERVICE_TOKEN, **properties},
    }
    if old is not None:
        event["OldResourceProperties"] = {"ServiceToken": SERVICE_TOKEN, **old}
    if created:
        event["PhysicalResourceId"] = f"{properties['QueueArn']}/quick-connects/{LOGICAL_ID}"
    return event


@dataclass(frozen=True)
class CallCount:
    """Connect and CloudFormation calls one request made, and what the targets allow."""

    request: str
    k: int
    counted: Counter[str]
    expected: Counter[str]
    state_ok: bool
    failed_calls: int
    stack_counted: Counter[str] = field(default_factory=Counter)
    """CloudFormation calls: the request's own stack (its status on Create and Update, its associations on Delete)."""
    stack_expected: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return (
            self.counted == self.expected
            and self.stack_counted == self.stack_expected
            and self.state_ok
            and self.failed_calls == 0
        )


def pages(associated: int) -> int:
    return max(1, math.ceil(associated / LIST_PAGE_MAX))


def batches(ids: int) -> int:
    return math.ceil(ids / CONNECT_BATCH_LIMIT)


def handler_calls(handlers: Handlers, k: int) -> list[CallCount]:
    """Create an association of ``k`` quick connects on a queue with 30 others, swap half of them, delete it."""
    fake = handlers.fake.FakeConnect()
    client = fake.client()
    cloudformation = handlers.fake_cloudformation.FakeCloudFormation()
    stack_client = cloudformation.client()
    instance = fake.add_instance("bench")
    queue = fake.add_queue(instance, "BasicQueue")
    existing = fake.add_quick_connects(instance, EXISTING_ASSOCIATIONS)
    fake.console_associate(queue, [quick_connect.id for quick_connect in existing])
    listed = fake.add_quick_connects(instance, k)
    half = k // 2
    swapped = listed[half:] + fake.add_quick_connects(instance, half)

    def send(event: dict[str, Any]) -> tuple[Counter[str], Counter[str], int]:
        fake.calls.clear()
        cloudformation.calls.clear()
        handlers.record_in_progress(cloudformation, event)
        with contextlib.redirect_stdout(io.StringIO()):  # the handler logs one JSON line per call
            handlers.index.on_event(event, object(), client=client, stack_client=stack_client)
        failed = sum(call.outcome != "ok" for call in [*fake.calls, *cloudformation.calls])
        return (
            Counter(call.operation for call in fake.calls),
            Counter(call.operation for call in cloudformation.calls),
            failed,
        )

    created, created_stack, create_failures = send(cfn_event("Create", properties(queue, listed)))
    create_ok = fake.associations(queue) == ids(existing + listed)
    update = cfn_event("Update", properties(queue, swapped), properties(queue, listed), created=True)
    updated, updated_stack, update_failures = send(update)
    update_ok = fake.associations(queue) == ids(existing + swapped)
    deleted, deleted_stack, delete_failures = send(cfn_event("Delete", properties(queue, swapped), created=True))
    delete_ok = fake.associations(queue) == ids(existing)
    own_status = Counter({DESCRIBE_STACK_RESOURCE: 1})
    return [
        CallCount(
            "Create",
            k,
            created,
            Counter({LIST: pages(EXISTING_ASSOCIATIONS), ASSOCIATE: batches(k)}),
            create_ok,
            create_failures,
            created_stack,
            own_status,
        ),
        CallCount(
            "Update (swap k//2)",
            k,
            updated,
            Counter({LIST: pages(EXISTING_ASSOCIATIONS + k), ASSOCIATE: batches(half), DISASSOCIATE: batches(half)}),
            update_ok,
            update_failures,
            updated_stack,
            own_status,
        ),
        CallCount(
            "Delete",
            k,
            deleted,
            Counter({LIST: pages(EXISTING_ASSOCIATIONS + k), DISASSOCIATE: batches(k)}),
            delete_ok,
            delete_failures,
            deleted_stack,
            # One page of the stack's resources (it holds only this one, no neighbour to ask for its listing).
            Counter({LIST_STACK_RESOURCES: 1}),
        ),
    ]


def properties(queue: Any, quick_connects: list[Any]) -> dict[str, Any]:
    return {"QueueArn": queue.arn, "QuickConnectArns": [quick_connect.arn for quick_connect in quick_connects]}


def ids(quick_connects: list[Any]) -> frozenset[str]:
    return frozenset(quick_connect.id for quick_connect in quick_connects)


def cold_import_ms(root: Path) -> list[float]:
    """``import _handlers.index`` in fresh interpreters with ``root`` first on sys.path, in milliseconds."""
    code = (
        "import sys, time\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "started = time.perf_counter()\n"
        "import _handlers.index\n"
        "print((time.perf_counter() - started) * 1000)\n"
    )
    return [
        float(
            subprocess.run(
                [sys.executable, "-I", "-B", "-c", code, str(root)], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(IMPORT_RUNS)
    ]


def handler_section(report: Report) -> None:
    report.add(
        "## 5. Handler cost (real `index.on_event`, real boto3 clients, stateful fakes of Connect and CloudFormation)",
        "",
        f"Queue with {EXISTING_ASSOCIATIONS} quick connects already associated (out of band). Create associates k "
        "new ones; Update then drops k//2 of them and adds k//2 new ones; Delete removes the k it lists. Target: "
        f"ListQueueQuickConnects pages (MaxResults {LIST_PAGE_MAX}) + ceil(ids/{CONNECT_BATCH_LIMIT}) per mutating "
        "operation, nothing more; the queue must end with exactly the expected quick connects and no call may fail. "
        "CloudFormation calls (the request's own stack, answered by the fake with the resource in progress) are "
        "counted apart: a Create or Update reads its own status once (`DescribeStackResource`: a late copy of a "
        "request must change nothing); a Delete lists the stack's resources (`ListStackResources`, one page here) "
        "to keep what another association on the queue lists.",
        "",
    )
    with lambda_asset() as asset_root:
        handlers = load_handlers(asset_root)
        counts = [count for k in HANDLER_KS for count in handler_calls(handlers, k)]
        call_count_table(report, counts)
        import_table(report, asset_root)


def call_count_table(report: Report, counts: Sequence[CallCount]) -> None:
    rows = []
    for count in counts:
        stack_calls = ", ".join(
            f"{operation} {count.stack_counted[operation]} ({expected})"
            for operation, expected in sorted(count.stack_expected.items())
        )
        unexpected = sorted(set(count.stack_counted) - set(count.stack_expected))
        stack_calls += "".join(f", {operation} {count.stack_counted[operation]} (0)" for operation in unexpected)
        rows.append(
            [
                count.k,
                count.request,
                *(
                    f"{count.counted[operation]} ({count.expected[operation]})"
                    for operation in (LIST, ASSOCIATE, DISASSOCIATE)
                ),
                f"{count.counted.total()} ({count.expected.total()})",
                stack_calls,
                "yes" if count.state_ok else "NO",
                report.verdict(count.ok, f"handler calls: {count.request} k={count.k}", counts=True),
            ]
        )
    report.table(
        [
            "k",
            "request",
            "List pages (expected)",
            "Associate (expected)",
            "Disassociate (expected)",
            "Connect total (expected)",
            "CloudFormation calls (expected)",
            "queue state right",
            "result",
        ],
        rows,
    )


def import_table(report: Report, asset_root: Path) -> None:
    roots = (
        ("package directory `src/cdk_connect_quickconnect`", PACKAGE_DIR),
        ("copy of the Lambda asset (`_handlers/*.py` only, no bytecode)", asset_root),
    )
    rows = []
    for label, root in roots:
        times = cold_import_ms(root)
        median = statistics.median(times)
        rows.append(
            [
                label,
                f"{median:.1f}",
                f"{min(times):.1f}-{max(times):.1f}",
                f"< {IMPORT_TARGET_MS:.0f}",
                report.verdict(median < IMPORT_TARGET_MS, f"cold import ({label})", counts=False),
            ]
        )
    report.add(f"Cold `import _handlers.index` (fresh interpreter each, median of {IMPORT_RUNS}):", "")
    report.table(["sys.path root", "median (ms)", "min-max (ms)", "target", "result"], rows)
