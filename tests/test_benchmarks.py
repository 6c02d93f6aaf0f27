"""The benchmark's own arithmetic and verdicts, on hand-made numbers (no worker, no jsii, no timing)."""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.common import TemplateStats
from benchmarks.cpu_cost import CpuRuns, cpu_table
from benchmarks.report import Report
from benchmarks.round_trip_cost import Counted, RoundTripFigure, round_trip_section
from benchmarks.round_trips import RequestKey, RoundTrips, _request_key
from benchmarks.worker import WorkerResult, child_environment

CREATE: RequestKey = ("CreateRequest", "aws-cdk-lib.aws_connect.CfnQuickConnect")
GET: RequestKey = ("GetRequest", "attrQuickConnectArn")
RESOLVE: RequestKey = ("InvokeRequest", "resolve")
APP: RequestKey = ("CreateRequest", "aws-cdk-lib.App")


def trips(
    per_quick_connect: dict[RequestKey, int], fixed: dict[RequestKey, int], low: int = 50, high: int = 450
) -> RoundTrips:
    """What an app sends at ``low`` and ``high`` quick connects, built from its slope and fixed part by kind."""

    def at(n: int) -> Counter[RequestKey]:
        counts = Counter({key: slope * n for key, slope in per_quick_connect.items()})
        counts.update(fixed)
        return counts

    return RoundTrips(low, high, at(low), at(high))


def test_round_trips_split_a_count_into_slope_fixed_part_and_slope_by_kind() -> None:
    measured = trips({CREATE: 1, GET: 2, RESOLVE: 3}, {APP: 1, GET: 5})

    assert measured.per_quick_connect == 6
    assert measured.fixed == 6
    assert measured.per_quick_connect_by_kind() == {RESOLVE: 3, GET: 2, CREATE: 1}
    assert list(measured.per_quick_connect_by_kind()) == [RESOLVE, GET, CREATE]


def test_round_trips_leave_out_requests_that_do_not_grow_and_keep_fractional_slopes() -> None:
    # Hand-written: one AwsCustomResource (2 requests) per 50 ids: 1 batch at N=50, 9 at N=450.
    low = Counter({CREATE: 50, APP: 1, RESOLVE: 2})
    high = Counter({CREATE: 450, APP: 1, RESOLVE: 18})
    measured = RoundTrips(50, 450, low, high)

    assert measured.per_quick_connect == pytest.approx(1.04)
    assert measured.fixed == pytest.approx(1)
    assert measured.per_quick_connect_by_kind() == pytest.approx({CREATE: 1, RESOLVE: 0.04})


def figure(library: RoundTrips, hand_written: RoundTrips, *, same: bool = True) -> RoundTripFigure:
    bare = trips({CREATE: 1}, {APP: 1})
    return RoundTripFigure(
        scenario=Counted(library, hand_written, same_resources=same),
        mix=Counted(bare, bare, same_resources=True),
        without_association=bare,
        lookups=40,
        same_with_validation=True,
    )


def test_the_round_trip_target_misses_and_fails_the_run_when_the_library_sends_more_per_quick_connect() -> None:
    report = Report()
    round_trip_section(report, figure(trips({CREATE: 1, RESOLVE: 4}, {APP: 1}), trips({CREATE: 1, GET: 3}, {APP: 1})))

    assert report.count_misses == ["round trips per quick connect"]
    library_row = next(line for line in report.lines if line.startswith("| (a) N USER"))
    assert library_row.endswith("| 5 | 1 | <= 4 (hand-written's) | MISS |")


def test_the_round_trip_target_passes_at_parity_and_the_kinds_add_up_to_the_totals() -> None:
    report = Report()
    library = trips({CREATE: 1, GET: 1, RESOLVE: 2}, {APP: 7})
    round_trip_section(report, figure(library, trips({CREATE: 1, GET: 3}, {APP: 1})))

    assert report.count_misses == []
    assert "| CreateRequest | `aws-cdk-lib.aws_connect.CfnQuickConnect` | 1 | 1 |" in report.lines
    assert "| InvokeRequest | `resolve` | 2 | 0 |" in report.lines
    assert "| total |  | 4 | 4 |" in report.lines
    assert "| the provider and one association (fixed part: (a)'s fixed less the row above) | 6 |" in report.lines


def test_templates_with_other_connect_resources_fail_the_run() -> None:
    report = Report()
    same = trips({CREATE: 1}, {APP: 1})
    round_trip_section(report, figure(same, same, same=False))

    assert report.count_misses == ["library and L1 templates hold the same Connect resources"]


def result(cpu_s: float, wall_s: float = 1.0) -> WorkerResult:
    template = TemplateStats({}, 0, "digest", {})
    return WorkerResult(template, Counter(), cpu_s=cpu_s, node_cpu_s=cpu_s / 2, wall_s=wall_s)


def test_cpu_ratio_is_of_the_medians_and_a_timing_miss_is_reported_without_failing_the_run() -> None:
    measured = CpuRuns()
    for library, hand_written in ((2.0, 1.0), (1.3, 1.1), (1.2, 0.9)):
        measured.add(False, 100, "library", result(library))
        measured.add(False, 100, "hand-written", result(hand_written))
    report = Report()
    cpu_table(report, measured, [100], validation=False)

    assert measured.ratio(lambda r: r.cpu_s, False, 100) == pytest.approx(1.3 / 1.0)
    assert report.lines[-2] == "| 100 | 1.300 | 1.200-2.000 | 1.000 | 0.900-1.100 | 1.30 | 1.00 | <= 1.15 | MISS |"
    assert report.count_misses == []


def test_validation_is_switched_off_only_when_asked() -> None:
    assert "CDK_VALIDATION" not in child_environment(validation=True)
    assert child_environment(validation=False)["CDK_VALIDATION"] == "false"


def test_requests_are_counted_by_kind_and_name_static_ones_with_their_class() -> None:
    from jsii._kernel.types import CreateRequest, GetRequest, ObjRef, StaticInvokeRequest

    stack = ObjRef("aws-cdk-lib.Stack@10001")
    assert _request_key(StaticInvokeRequest("aws-cdk-lib.Stack", "of", [])) == (
        "StaticInvokeRequest",
        "aws-cdk-lib.Stack.of",
    )
    assert _request_key(GetRequest(stack, "node")) == ("GetRequest", "node")
    assert _request_key(CreateRequest("aws-cdk-lib.App")) == APP
