"""The benchmark's own arithmetic and verdicts, on hand-made numbers (no worker, no timing); figure 6's count of
Lambda runs per event on the release's fixture and this tree's seed app, deployed through the lifecycle driver."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from benchmarks.common import TemplateStats
from benchmarks.cpu_cost import CpuRuns, cpu_table
from benchmarks.deploy_cost import (
    CURRENT,
    RELEASE,
    RELEASE_DIR,
    AssetSize,
    DeployFigure,
    DeployRun,
    SeedTemplate,
    count_resources,
    cpu_ratio_table,
    deploy_run,
    function_chain,
    functions_per_event,
    invocations_table,
    one_quick_connect_fewer,
    resource_row,
    template_bytes,
    zipped_bytes,
)
from benchmarks.handler_cost import CallCount, call_count_table
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


# ---- figure 5: handler cost ------------------------------------------------------------------------------------


def call_count(stack_counted: dict[str, int], stack_expected: dict[str, int]) -> CallCount:
    connect = Counter({"ListQueueQuickConnects": 1, "AssociateQueueQuickConnects": 1})
    return CallCount("Create", 1, connect, Counter(connect), True, 0, Counter(stack_counted), Counter(stack_expected))


def test_a_cloudformation_call_more_than_expected_misses_and_fails_the_run() -> None:
    report = Report()
    call_count_table(
        report,
        [
            call_count({"DescribeStackResource": 1}, {"DescribeStackResource": 1}),
            call_count({"DescribeStackResource": 1, "ListStackResources": 2}, {"DescribeStackResource": 1}),
        ],
    )

    assert report.count_misses == ["handler calls: Create k=1"]
    assert report.lines[2].endswith("| 2 (2) | DescribeStackResource 1 (1) | yes | PASS |")
    assert report.lines[3].endswith("| DescribeStackResource 1 (1), ListStackResources 2 (0) | yes | MISS |")


# ---- figure 6: deploy cost --------------------------------------------------------------------------------------

SERVICE_TOKEN_OF = {"Fn::GetAtt": ["Handler", "Arn"]}


def plumbing(*, framework: bool = False) -> dict[str, dict[str, Any]]:
    """The plumbing of a stack: one function, role, policy and log group; with ``framework``, release 0.1.0's
    Provider framework in front (a second of each, and a policy more)."""
    resources: dict[str, dict[str, Any]] = {
        "Handler": {"Type": "AWS::Lambda::Function", "Properties": {"Handler": "_handlers.index.handler"}},
        "Role": {"Type": "AWS::IAM::Role", "Properties": {}},
        "Access": {"Type": "AWS::IAM::Policy", "Properties": {}},
        "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {}},
    }
    if framework:
        relay = {"Variables": {"USER_ON_EVENT_FUNCTION_ARN": {"Fn::GetAtt": ["Handler", "Arn"]}}}
        resources.update(
            {
                "Framework": {
                    "Type": "AWS::Lambda::Function",
                    "Properties": {"Handler": "framework.onEvent", "Environment": relay},
                },
                "FrameworkRole": {"Type": "AWS::IAM::Role", "Properties": {}},
                "FrameworkPolicy": {"Type": "AWS::IAM::Policy", "Properties": {}},
                "RolePolicy": {"Type": "AWS::IAM::Policy", "Properties": {}},
                "FrameworkLogs": {"Type": "AWS::Logs::LogGroup", "Properties": {}},
            }
        )
    return resources


def seed_template(*, lookups: int, framework: bool = False, extra_plumbing: int = 0) -> dict[str, Any]:
    token = {"Fn::GetAtt": ["Framework" if framework else "Handler", "Arn"]}
    resources = plumbing(framework=framework)
    resources["QuickConnect"] = {"Type": "AWS::Connect::QuickConnect", "Properties": {"Name": "mav2"}}
    resources["OnBasicQueue"] = {
        "Type": "Custom::ConnectQueueQuickConnects",
        "Properties": {"ServiceToken": token, "QuickConnectArns": ["a", "b"]},
        "Metadata": {"cdk-connect-quickconnect:association": {"QuickConnectArns": ["a", "b"]}},
    }
    for index in range(lookups):
        resources[f"Lookup{index}"] = {"Type": "Custom::ConnectLookup", "Properties": {"ServiceToken": token}}
    for index in range(extra_plumbing):
        resources[f"Extra{index}"] = {"Type": "AWS::IAM::Policy", "Properties": {}}
    return {"Resources": resources}


def test_resources_are_counted_by_role_an_aws_custom_resource_by_the_call_it_makes() -> None:
    aws_call = '{"action":"SearchQueues","service":"Connect","parameters":{"InstanceId":"i"}}'
    association = {"Fn::Join": ["", ['{"action":"AssociateQueueQuickConnects","parameters":{"QueueId":"', "x", '"}}']]}
    template = seed_template(lookups=2)
    template["Resources"].update(
        {
            "Search": {"Type": "Custom::AWS", "Properties": {"ServiceToken": SERVICE_TOKEN_OF, "Create": aws_call}},
            "Associate": {
                "Type": "Custom::AWS",
                "Properties": {"ServiceToken": SERVICE_TOKEN_OF, "Create": association},
            },
            "CDKMetadata": {"Type": "AWS::CDK::Metadata", "Properties": {}},
        }
    )

    counts = count_resources(template)

    assert (counts.quick_connects, counts.associations, counts.lookups, counts.other) == (1, 2, 3, 1)
    assert counts.plumbing == {
        "AWS::IAM::Role": 1,
        "AWS::IAM::Policy": 1,
        "AWS::Lambda::Function": 1,
        "AWS::Logs::LogGroup": 1,
    }
    assert counts.total == len(template["Resources"])


def test_a_release_marker_counts_as_the_asset_hash_it_replaced() -> None:
    with_hash = {"Resources": {"F": {"Properties": {"Code": {"S3Key": f"{'a' * 64}.zip"}}}}}
    with_marker = {"Resources": {"F": {"Properties": {"Code": {"S3Key": "release-0.1.0.zip"}}}}}

    assert template_bytes(with_marker, "release-0.1.0") == template_bytes(with_hash)
    assert template_bytes(with_marker) == template_bytes(with_hash) - (64 - len("release-0.1.0"))
    assert template_bytes(with_hash) == len(json.dumps(with_hash, indent=1))


def test_the_template_says_how_many_functions_an_event_runs() -> None:
    release, current = seed_template(lookups=1, framework=True), seed_template(lookups=1)

    assert function_chain(release, release["Resources"]["OnBasicQueue"]) == ["Framework", "Handler"]
    assert functions_per_event(release) == {2}
    assert functions_per_event(current) == {1}


def test_a_zip_depends_only_on_the_files() -> None:
    files = {"_handlers/index.py": b"import json\n" * 40, "_handlers/__init__.py": b""}
    reordered = dict(reversed(list(files.items())))

    assert zipped_bytes(files) == zipped_bytes(reordered)
    assert AssetSize.of(files) == AssetSize(2, 480, zipped_bytes(files))
    assert zipped_bytes(files) < 480 + 2 * 100  # compressed: the headers are ~100 bytes a file


def test_the_update_drops_the_last_quick_connect_from_properties_and_metadata_alike() -> None:
    changed = one_quick_connect_fewer(seed_template(lookups=0))["Resources"]["OnBasicQueue"]

    assert changed["Properties"]["QuickConnectArns"] == ["a"]
    assert changed["Metadata"]["cdk-connect-quickconnect:association"]["QuickConnectArns"] == ["a"]


def seed_of(template: dict[str, Any], *, variant: str = CURRENT, pinned: bool = False, flags: str = "bare") -> Any:
    return SeedTemplate(variant, flags, pinned, template, {})


def test_plumbing_over_four_or_a_lookup_left_in_the_pinned_app_fails_the_run() -> None:
    report = Report()
    rows = [
        resource_row(report, seed_of(seed_template(lookups=4))),
        resource_row(report, seed_of(seed_template(lookups=4, extra_plumbing=1), flags="recommended-flags")),
        resource_row(report, seed_of(seed_template(lookups=1), pinned=True)),
        resource_row(report, seed_of(seed_template(lookups=4, framework=True), variant=RELEASE)),
    ]

    assert [row[-1] for row in rows] == ["PASS", "MISS", "MISS", "-"]
    assert rows[1][3:8] == [1, 1, 4, 5, 11]
    assert report.count_misses == [
        "seed app plumbing (recommended-flags) <= 4",
        "pinned seed app (bare): no lookup custom resource, plumbing <= 4",
    ]


def deploy_figure(per_event_current: int, *, completed: bool = True) -> DeployFigure:
    def run(functions: tuple[str, ...]) -> DeployRun:
        outcomes = ("CREATE_COMPLETE", "UPDATE_COMPLETE", "DELETE_COMPLETE" if completed else "DELETE_FAILED")
        return DeployRun(
            events=Counter({"Create": 5, "Update": 1, "Delete": 5}),
            chains=Counter({functions: 11}),
            codes=Counter({"current": 11}),
            outcomes=outcomes,
            queue_right=True,
        )

    current = ("Framework", "Handler")[2 - per_event_current :]
    seeds = [
        seed_of(seed_template(lookups=4, framework=True), variant=RELEASE, flags="recommended-flags"),
        seed_of(seed_template(lookups=4), flags="recommended-flags"),
    ]
    return DeployFigure(seeds, {RELEASE: run(("Framework", "Handler")), CURRENT: run(current)})


def test_lambda_runs_per_event_are_the_functions_run_over_the_events() -> None:
    report = Report()
    invocations_table(report, deploy_figure(1))

    assert report.count_misses == []
    release, current = (line for line in report.lines if line.startswith(("| release", "| this tree")))
    assert "| 2 | Create 5, Update 1, Delete 5 (11) | 22 | 2 | Framework -> Handler (current x11) |" in release
    assert current.endswith(
        "| 11 | 1 | Handler (current x11) | all complete, queue right | == 1, run completes | PASS |"
    )


def test_two_lambda_runs_per_event_or_a_failed_stack_operation_fail_the_run() -> None:
    twice, failed = Report(), Report()
    invocations_table(twice, deploy_figure(2))
    invocations_table(failed, deploy_figure(1, completed=False))

    assert twice.count_misses == ["Lambda runs per custom-resource event"]
    assert failed.count_misses == [
        "release 0.1.0 seed app deployed through the driver",
        "Lambda runs per custom-resource event",
    ]


def test_the_cpu_ratio_at_ten_is_held_to_the_last_readme_figure_without_failing_the_run() -> None:
    measured = CpuRuns()
    for validation, library in ((False, 1.3), (True, 1.0)):
        measured.add(validation, 10, "library", result(library))
        measured.add(validation, 10, "hand-written", result(1.0))
    report = Report()
    cpu_ratio_table(report, measured)

    assert report.lines[-3] == "| off | 1.30 | 1.00 | 1.19 | <= 1.19 | MISS |"
    assert report.lines[-2] == "| on | 1.00 | 1.00 | 1.06 | <= 1.06 | PASS |"
    assert report.count_misses == []


def test_the_release_seed_fixture_runs_two_functions_per_event_through_the_driver() -> None:
    template = json.loads((RELEASE_DIR / "templates" / "example-SeedWalkthrough-recommended-flags.json").read_text())

    run = deploy_run(template)

    assert run.completed and run.queue_right
    assert run.events == Counter({"Create": 5, "Update": 1, "Delete": 5})
    assert run.codes == Counter({"framework+release-0.1.0": 11})
    assert run.lambda_runs == 22
    assert run.per_event == 2


def test_this_trees_seed_app_runs_one_function_per_event_through_the_driver() -> None:
    from tests.upgrade.test_upgrade import current_template

    run = deploy_run(current_template("example-SeedWalkthrough-recommended-flags"))

    assert run.completed and run.queue_right
    assert run.codes == Counter({"current": 11})
    assert run.chains == Counter({("ConnectQuickConnectProviderframeworkonEvent55BC4595",): 11})
    assert run.per_event == 1
