"""Figure 3: handler cost: Connect calls per change, and the handler's cold import time."""

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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    pass


# ---- 5. handler cost ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Handlers:
    """The handler modules as the Lambda imports them, and the fake Connect API."""

    index: ModuleType
    fake: ModuleType


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
    # As the handler tests do: the retry policy never sleeps (no fault is injected, so none is expected).
    clock = fake.FakeClock()
    connect.BACKOFF = connect.Backoff(sleep=clock.sleep, random=lambda: 0.5, clock=clock.monotonic)
    return Handlers(index, fake)


def cfn_event(request_type: str, properties: dict[str, Any], old: dict[str, Any] | None = None) -> dict[str, Any]:
    """An onEvent payload as CloudFormation, relayed by the Provider framework, sends it."""
    event: dict[str, Any] = {
        "RequestType": request_type,
        "ServiceToken": SERVICE_TOKEN,
        "ResponseURL": "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x?sig=1",
        "StackId": STACK_ID,
        "RequestId": str(uuid.uuid4()),
        "LogicalResourceId": "QueueQuickConnects",
        "ResourceType": ASSOCIATION_TYPE,
        "ResourceProperties": {"ServiceToken": SERVICE_TOKEN, **properties},
    }
    if old is not None:
        event["OldResourceProperties"] = {"ServiceToken": SERVICE_TOKEN, **old}
        event["PhysicalResourceId"] = f"{properties['QueueArn']}/quick-connects"
    return event


@dataclass(frozen=True)
class CallCount:
    """Connect calls one request made, and what the target allows."""

    request: str
    k: int
    counted: Counter[str]
    expected: Counter[str]
    state_ok: bool
    failed_calls: int


def pages(associated: int) -> int:
    return max(1, math.ceil(associated / LIST_PAGE_MAX))


def batches(ids: int) -> int:
    return math.ceil(ids / CONNECT_BATCH_LIMIT)


def handler_calls(handlers: Handlers, k: int) -> list[CallCount]:
    """Create an association of ``k`` quick connects on a queue with 30 others, then swap half of them."""
    fake = handlers.fake.FakeConnect()
    client = fake.client()
    instance = fake.add_instance("bench")
    queue = fake.add_queue(instance, "BasicQueue")
    existing = fake.add_quick_connects(instance, EXISTING_ASSOCIATIONS)
    fake.console_associate(queue, [quick_connect.id for quick_connect in existing])
    listed = fake.add_quick_connects(instance, k)
    half = k // 2
    swapped = listed[half:] + fake.add_quick_connects(instance, half)

    def send(request_type: str, wanted: list[Any], old: list[Any] | None) -> tuple[Counter[str], int]:
        fake.calls.clear()
        event = cfn_event(request_type, properties(queue, wanted), None if old is None else properties(queue, old))
        with contextlib.redirect_stdout(io.StringIO()):  # the handler logs one JSON line per call
            handlers.index.on_event(event, object(), client=client)
        return Counter(call.operation for call in fake.calls), sum(call.outcome != "ok" for call in fake.calls)

    created, create_failures = send("Create", listed, None)
    create_ok = fake.associations(queue) == ids(existing + listed)
    updated, update_failures = send("Update", swapped, listed)
    update_ok = fake.associations(queue) == ids(existing + swapped)
    return [
        CallCount(
            "Create",
            k,
            created,
            Counter({LIST: pages(EXISTING_ASSOCIATIONS), ASSOCIATE: batches(k)}),
            create_ok,
            create_failures,
        ),
        CallCount(
            "Update (swap k//2)",
            k,
            updated,
            Counter({LIST: pages(EXISTING_ASSOCIATIONS + k), ASSOCIATE: batches(half), DISASSOCIATE: batches(half)}),
            update_ok,
            update_failures,
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
        "## 5. Handler cost (real `index.on_event`, real boto3 client, stateful fake Connect API)",
        "",
        f"Queue with {EXISTING_ASSOCIATIONS} quick connects already associated (out of band). Create associates k "
        "new ones; Update then drops k//2 of them and adds k//2 new ones. Target: ListQueueQuickConnects pages "
        f"(MaxResults {LIST_PAGE_MAX}) + ceil(ids/{CONNECT_BATCH_LIMIT}) per mutating operation, nothing more; "
        "the queue must end with exactly the expected quick connects and no call may fail.",
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
        ok = count.counted == count.expected and count.state_ok and count.failed_calls == 0
        rows.append(
            [
                count.k,
                count.request,
                *(
                    f"{count.counted[operation]} ({count.expected[operation]})"
                    for operation in (LIST, ASSOCIATE, DISASSOCIATE)
                ),
                f"{count.counted.total()} ({count.expected.total()})",
                "yes" if count.state_ok else "NO",
                report.verdict(ok, f"handler calls: {count.request} k={count.k}", counts=True),
            ]
        )
    report.table(
        [
            "k",
            "request",
            "List pages (expected)",
            "Associate (expected)",
            "Disassociate (expected)",
            "total (expected)",
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
