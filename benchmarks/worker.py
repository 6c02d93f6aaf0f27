"""Worker subprocesses: each builds and synthesizes one app in a fresh interpreter with its own jsii kernel.

The parent writes the spec to a file and starts ``python -m benchmarks.run --worker SPEC RESULT``; the worker
imports what the app needs, synthesizes it once into the parent's scratch directory and writes a small JSON
answer. The parent reaps the worker with ``os.wait4``, whose resource usage holds the worker's CPU and that of
every child the worker reaped: the worker stops and waits for its jsii kernel (Node) itself before it exits, so
Node's CPU is in the figure (the answer says how much of it was Node's, and the parent checks it is there).
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from benchmarks.apps import synthesize, template_stats
from benchmarks.common import ROOT, AppSpec, TemplateStats
from benchmarks.round_trips import RequestKey, counting_requests

T = TypeVar("T")


@dataclass(frozen=True)
class WorkerResult:
    """What one worker process cost and made."""

    template: TemplateStats
    requests: Counter[RequestKey]
    """Requests sent to the jsii kernel while building and synthesizing (only when counted)."""
    cpu_s: float
    """User + system CPU of the whole worker process and its reaped children (the jsii kernel), from wait4."""
    node_cpu_s: float
    """The part of ``cpu_s`` spent in the worker's children: the jsii kernel (Node)."""
    wall_s: float
    """Wall time from starting the worker to reaping it."""

    @property
    def total_requests(self) -> int:
        return self.requests.total()


# ---- worker side ---------------------------------------------------------------------------------------------


def worker_main(spec_path: Path, result_path: Path) -> None:
    """Synthesize the app of the spec in ``spec_path`` once; write the template's path and the counts as JSON."""
    request = json.loads(spec_path.read_text())
    spec = AppSpec(**request["spec"])
    import aws_cdk  # noqa: F401  (starts the jsii kernel; its start-up requests are not counted)

    counting = counting_requests() if request["count"] else contextlib.nullcontext(Counter[RequestKey]())
    with counting as counts:
        template_path = synthesize(spec, request["outdir"])
    node_cpu_s = stop_kernel()
    answer = {
        "template_path": str(template_path),
        "requests": [[kind, name, count] for (kind, name), count in counts.items()],
        "node_cpu_s": node_cpu_s,
    }
    result_path.write_text(json.dumps(answer))


def stop_kernel() -> float:
    """Stop the jsii kernel and reap it (as jsii's own exit hook does, but waiting for it whatever it takes), so
    that its CPU counts among this process's children; the children's CPU so far, in seconds."""
    from jsii._runtime import kernel

    node: Any = kernel.provider._process  # type: ignore[attr-defined]
    node.stop()
    node._process.wait()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# ---- parent side -----------------------------------------------------------------------------------------------


def child_environment(*, validation: bool) -> dict[str, str]:
    """The worker's environment: the Makefile's jsii settings, and aws-cdk-lib's template validation on (its
    default) or off (``CDK_VALIDATION=false``)."""
    environment = dict(os.environ)
    environment.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    environment.setdefault("JSII_RUNTIME_PACKAGE_CACHE_ROOT", str(ROOT / ".cache" / "jsii"))
    environment.setdefault("CDK_DISABLE_VERSION_CHECK", "1")
    environment.pop("CDK_VALIDATION", None)
    if not validation:
        environment["CDK_VALIDATION"] = "false"
    return environment


def run_worker(spec: AppSpec, *, count: bool = False, validation: bool = True) -> WorkerResult:
    """Build and synthesize ``spec`` once in a fresh worker process; what it cost, what it sent, what it made."""
    worker = _run(spec, count=count, validation=validation, read=template_stats)
    answer = worker.answer
    cpu_s = worker.usage.ru_utime + worker.usage.ru_stime
    if not 0 < answer["node_cpu_s"] < cpu_s:
        raise RuntimeError(f"Node's CPU ({answer['node_cpu_s']:.3f} s) is not within the worker's ({cpu_s:.3f} s)")
    requests: Counter[RequestKey] = Counter({(kind, name): number for kind, name, number in answer["requests"]})
    return WorkerResult(worker.read, requests, cpu_s, answer["node_cpu_s"], worker.wall_s)


def synthesized(spec: AppSpec, read: Callable[[Path], T]) -> T:
    """Synthesize ``spec`` in a fresh worker and hand its template file to ``read`` while the cloud assembly
    (``read``'s template's folder, assets staged beside it) still exists; what ``read`` returns."""
    return _run(spec, count=False, validation=False, read=read).read


@dataclass(frozen=True)
class _Finished(Generic[T]):
    answer: dict[str, Any]
    read: T
    usage: resource.struct_rusage
    wall_s: float


def _run(spec: AppSpec, *, count: bool, validation: bool, read: Callable[[Path], T]) -> _Finished[T]:
    with tempfile.TemporaryDirectory(prefix="qc-bench-worker-") as scratch:
        spec_path, result_path, outdir = Path(scratch, "spec.json"), Path(scratch, "result.json"), Path(scratch, "out")
        spec_path.write_text(json.dumps({"spec": asdict(spec), "count": count, "outdir": str(outdir)}))
        with Path(scratch, "stderr").open("w+") as stderr:
            started = time.perf_counter()
            worker = subprocess.Popen(
                [sys.executable, "-m", "benchmarks.run", "--worker", str(spec_path), str(result_path)],
                cwd=ROOT,
                env=child_environment(validation=validation),
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
            _, status, usage = os.wait4(worker.pid, 0)
            wall_s = time.perf_counter() - started
            worker.returncode = os.waitstatus_to_exitcode(status)
            if worker.returncode != 0:
                stderr.seek(0)
                raise RuntimeError(f"worker for {spec.variant} N={spec.n} failed:\n{stderr.read()}")
        answer = json.loads(result_path.read_text())
        return _Finished(answer, read(Path(answer["template_path"])), usage, wall_s)
