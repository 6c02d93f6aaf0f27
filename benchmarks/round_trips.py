"""jsii round trips: the requests Python sends to the jsii kernel (Node) while an app is built and synthesized.

Every property read, method call and construct creation on an aws-cdk-lib object from Python is one request
written to the kernel process and one answer read back; a callback from Node into Python (a ``Lazy`` producer,
an ``IValidation``) ends with one more request. The count does not depend on the machine, on Node's JIT or on
aws-cdk-lib's template validation, so it is the figure to optimise and to guard (``tests/test_round_trips.py``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from benchmarks.apps import synthesize
from benchmarks.common import AppSpec

#: A request as counted: its kind (``CreateRequest``, ``GetRequest``, ``InvokeRequest``, ...) and what it names
#: (the class created, the property read, the method called; a static one with its class, ``aws-cdk-lib.Stack.of``).
RequestKey = tuple[str, str]


def _request_key(request: Any) -> RequestKey:
    member = getattr(request, "property", None) or getattr(request, "method", None)
    fqn = getattr(request, "fqn", None)
    named = f"{fqn}.{member}" if fqn and member else member or fqn or ""
    return type(request).__name__, str(named)


@contextmanager
def counting_requests() -> Iterator[Counter[RequestKey]]:
    """Count every request sent to the jsii kernel inside the ``with`` block, by :data:`RequestKey`."""
    from jsii._kernel.providers import process

    counts: Counter[RequestKey] = Counter()
    original = process._NodeProcess.send

    def send(self: Any, request: Any, response_type: Any) -> Any:
        counts[_request_key(request)] += 1
        return original(self, request, response_type)

    process._NodeProcess.send = send  # type: ignore[method-assign]
    try:
        yield counts
    finally:
        process._NodeProcess.send = original  # type: ignore[method-assign]


def count_app(spec: AppSpec, outdir: str) -> Counter[RequestKey]:
    """The requests building and synthesizing the app of ``spec`` (into ``outdir``) sends, by kind."""
    with counting_requests() as counts:
        synthesize(spec, outdir)
    return counts


@dataclass(frozen=True)
class RoundTrips:
    """Requests of one variant at two sizes: the cost per added quick connect and the fixed rest."""

    low_n: int
    high_n: int
    low: Counter[RequestKey]
    high: Counter[RequestKey]

    @property
    def per_quick_connect(self) -> float:
        return (sum(self.high.values()) - sum(self.low.values())) / (self.high_n - self.low_n)

    @property
    def fixed(self) -> float:
        """What the app costs besides its quick connects: the count at ``low_n`` less ``low_n`` times the slope."""
        return sum(self.low.values()) - self.per_quick_connect * self.low_n

    def per_quick_connect_by_kind(self) -> dict[RequestKey, float]:
        """The slope split by request, largest first (what to look at when the total grows)."""
        keys = set(self.low) | set(self.high)
        slopes = {key: (self.high[key] - self.low[key]) / (self.high_n - self.low_n) for key in keys}
        return dict(sorted(((key, slope) for key, slope in slopes.items() if slope), key=lambda item: -item[1]))
