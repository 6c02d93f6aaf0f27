"""Figure 1: jsii round trips per quick connect (deterministic), library against the same app without it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from benchmarks.common import AppSpec, scenario
from benchmarks.report import Report
from benchmarks.round_trips import RequestKey, RoundTrips
from benchmarks.worker import WorkerResult, run_worker

TOP_KINDS = 12
"""Rows of the library's per-quick-connect requests shown by kind; the rest are summed in one row."""


@dataclass(frozen=True)
class Counted:
    """Round trips of the library and of the app it is compared with, at the same two N."""

    library: RoundTrips
    reference: RoundTrips
    same_resources: bool
    """Both templates hold the same Connect resources (types and properties, logical ids aside) at both N."""


@dataclass(frozen=True)
class RoundTripFigure:
    scenario: Counted
    """(a) the issue's app: library with one association against hand-written L1 + ``AwsCustomResource``."""
    mix: Counted
    """(b) a quarter of each kind, no association: library against raw L1."""
    without_association: RoundTrips
    """The library's app of (a) without its association (so without the provider)."""
    lookups: int
    """Requests three lookups add to (a)'s library app at the lower N."""
    same_with_validation: bool
    """(a)'s library app at the lower N sends the same requests with aws-cdk-lib's template validation on."""


def count(spec: AppSpec, *, validation: bool = False) -> WorkerResult:
    """The requests of ``spec`` in a fresh worker; aws-cdk-lib's validation (in Node, seconds) off unless asked."""
    return run_worker(spec, count=True, validation=validation)


def count_pair(
    library_spec: Callable[[int], AppSpec],
    reference_spec: Callable[[int, dict[str, str]], AppSpec],
    ns: tuple[int, int],
) -> Counted:
    """Count both apps at both N, each in its own worker; the reference gets the library's flow contents."""
    library: dict[int, Counter[RequestKey]] = {}
    reference: dict[int, Counter[RequestKey]] = {}
    same = True
    for n in ns:
        ours = count(library_spec(n))
        theirs = count(reference_spec(n, ours.template.flow_contents))
        library[n], reference[n] = ours.requests, theirs.requests
        same = same and ours.template.connect_digest == theirs.template.connect_digest
    low, high = ns
    return Counted(RoundTrips(low, high, library[low], library[high]), RoundTrips(low, high, *reference.values()), same)


def measure_round_trips(ns: tuple[int, int]) -> RoundTripFigure:
    counted = count_pair(lambda n: scenario("library", n), lambda n, flows: scenario("hand-written", n, flows), ns)
    mix = count_pair(lambda n: AppSpec("library", n), lambda n, flows: AppSpec("raw", n, flow_contents=flows), ns)
    bare = [count(replace(scenario("library", n), associations="none")).requests for n in ns]
    with_lookups = count(replace(scenario("library", ns[0]), lookups=True)).requests
    validated = count(scenario("library", ns[0]), validation=True).requests
    return RoundTripFigure(
        scenario=counted,
        mix=mix,
        without_association=RoundTrips(*ns, *bare),
        lookups=with_lookups.total() - counted.library.low.total(),
        same_with_validation=validated == counted.library.low,
    )


def number(value: float) -> str:
    """A count or a slope: whole numbers without decimals, the rest to two."""
    value = round(value, 2)
    return f"{value:.0f}" if value == round(value) else f"{value:.2f}"


def round_trip_section(report: Report, figure: RoundTripFigure) -> None:
    library, hand_written = figure.scenario.library, figure.scenario.reference
    low, high = library.low_n, library.high_n
    report.add(
        "## 1. jsii round trips (deterministic: the figure to optimise and to guard)",
        "",
        "Requests Python sends to the jsii kernel (Node) while one app is built and synthesized: every construct "
        "created, property read, method called and callback answered is one request and one answer. Counted by "
        "wrapping jsii's `_NodeProcess.send`, in a fresh worker process per app and N, after `import aws_cdk` "
        "(not counted; the imports the app's code does itself are), with aws-cdk-lib's template validation off "
        "(it runs in Node and sends no request; checked below). The count does not depend on the machine or on "
        "timing. *Per quick connect* is the slope between "
        f"N = {low} and {high} (multiples of 50, so that the hand-written app's batches of 50 ids fall evenly); "
        "*fixed* is the count at the lower N less N times the slope.",
        "",
    )
    rows = [
        trip_row(
            report,
            "(a) N USER quick connects, one agent-transfer flow, all on one imported queue",
            "library (one `QueueQuickConnectAssociation`)",
            library,
            hand_written.per_quick_connect,
        ),
        trip_row(report, "(a)", "hand-written L1 (+ one `AwsCustomResource` per 50 ids)", hand_written, None),
        trip_row(
            report,
            "(b) a quarter each of USER, QUEUE, PHONE_NUMBER, FLOW; no association",
            "library",
            figure.mix.library,
            None,
        ),
        trip_row(report, "(b)", "raw L1", figure.mix.reference, None),
    ]
    headers = ["app", "variant", f"requests at N={low}", f"requests at N={high}", "per quick connect", "fixed"]
    report.table([*headers, "target", "result"], rows)
    same = figure.scenario.same_resources and figure.mix.same_resources
    verdict = report.verdict(same, "library and L1 templates hold the same Connect resources", counts=True)
    unvalidated = report.verdict(figure.same_with_validation, "round trips independent of validation", counts=True)
    report.add(
        "Library and L1 apps synthesize the same Connect resources (types and properties, logical ids aside) at "
        f"both N, in (a) and (b): {verdict}. (a)'s library app at N={low} sends the same requests with "
        f"aws-cdk-lib's template validation on: {unvalidated}.",
        "",
    )
    fixed_table(report, figure)
    by_kind_table(report, library, hand_written)


def trip_row(report: Report, app: str, variant: str, trips: RoundTrips, target: float | None) -> list[object]:
    row: list[object] = [
        app,
        variant,
        trips.low.total(),
        trips.high.total(),
        number(trips.per_quick_connect),
        number(trips.fixed),
    ]
    if target is None:
        return [*row, "-", "-"]
    ok = trips.per_quick_connect <= target
    return [
        *row,
        f"<= {number(target)} (hand-written's)",
        report.verdict(ok, "round trips per quick connect", counts=True),
    ]


def fixed_table(report: Report, figure: RoundTripFigure) -> None:
    with_association, without = figure.scenario.library, figure.without_association
    rows: list[list[object]] = [
        [
            "the app of (a) without its association: app, stack, two transfer flows, imports, synth",
            number(without.fixed),
        ],
        [
            "the provider and one association (fixed part: (a)'s fixed less the row above)",
            number(with_association.fixed - without.fixed),
        ],
        [
            "the association, per quick connect on it (already in (a)'s slope)",
            number(with_association.per_quick_connect - without.per_quick_connect),
        ],
        [
            "three lookups (a queue, a user, the default agent-transfer flow), added to (a) at "
            f"N={with_association.low_n}",
            figure.lookups,
        ],
    ]
    report.add("The library's fixed cost per stack, in requests:", "")
    report.table(["what", "requests"], rows)


def by_kind_table(report: Report, library: RoundTrips, hand_written: RoundTrips) -> None:
    """The library's slope by request, largest first, beside hand-written's for the same request."""
    ours, theirs = library.per_quick_connect_by_kind(), hand_written.per_quick_connect_by_kind()
    top = list(ours.items())[:TOP_KINDS]
    rows: list[list[object]] = [
        [kind, f"`{name}`", number(slope), number(theirs.get((kind, name), 0.0))] for (kind, name), slope in top
    ]
    shown = {key for key, _ in top}
    rest_ours = library.per_quick_connect - sum(slope for _, slope in top)
    rest_theirs = sum(slope for key, slope in theirs.items() if key not in shown)
    rows.append(["all other requests", "", number(rest_ours), number(rest_theirs)])
    rows.append(["total", "", number(library.per_quick_connect), number(hand_written.per_quick_connect)])
    report.add("(a) per quick connect by request, the library's largest first (where a regression shows):", "")
    report.table(["request", "names", "library", "hand-written"], rows)
