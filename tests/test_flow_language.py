from __future__ import annotations

import json

import pytest

from cdk_connect_quickconnect.flow_language import (
    MAX_ACTIONS,
    MAX_CONTENT_LENGTH,
    CheckAgentsStaffed,
    CheckHoursOfOperation,
    DisconnectParticipant,
    FlowDocument,
    MessageParticipant,
    Prompt,
    TransferContactToQueue,
    UpdateContactTargetQueue,
)


def _chain(count: int, text: str = "hello") -> FlowDocument:
    actions = [MessageParticipant(f"say-{i}", Prompt.text(text), then=f"say-{i + 1}") for i in range(count - 1)]
    actions.append(DisconnectParticipant(f"say-{count - 1}"))
    return FlowDocument(start_action="say-0", actions=actions)


def test_renders_version_start_and_actions_in_order() -> None:
    content = json.loads(_chain(3).render())

    assert content["Version"] == "2019-10-30"
    assert content["StartAction"] == "say-0"
    assert [a["Identifier"] for a in content["Actions"]] == ["say-0", "say-1", "say-2"]
    assert content["Actions"][0] == {
        "Identifier": "say-0",
        "Type": "MessageParticipant",
        "Parameters": {"Text": "hello"},
        "Transitions": {"NextAction": "say-1"},
    }
    assert content["Actions"][2]["Transitions"] == {}


def test_fails_when_start_action_is_missing() -> None:
    document = FlowDocument(start_action="nowhere", actions=[DisconnectParticipant("end")])
    assert "start action 'nowhere' is not an action of the flow" in document.problems()


def test_fails_when_a_transition_names_a_missing_action() -> None:
    document = FlowDocument(start_action="say", actions=[MessageParticipant("say", Prompt.text("hi"), then="gone")])
    assert document.problems() == ["action 'say' transitions to 'gone', which does not exist"]


def test_fails_when_an_action_is_unreachable() -> None:
    document = FlowDocument(start_action="end", actions=[DisconnectParticipant("end"), DisconnectParticipant("orphan")])
    assert document.problems() == ["action 'orphan' cannot be reached from the start action"]


def test_fails_when_identifiers_repeat_or_break_connect_rules() -> None:
    document = FlowDocument(
        start_action="a",
        actions=[
            MessageParticipant("a", Prompt.text("x"), then="a:b"),
            DisconnectParticipant("a:b"),
            DisconnectParticipant("a"),
        ],
    )
    problems = document.problems()
    assert "action identifier 'a' is used more than once" in problems
    assert "action identifier 'a:b' uses a character or word Connect forbids" in problems


def test_accepts_exactly_the_action_limit_and_rejects_one_more() -> None:
    assert _chain(MAX_ACTIONS).problems() == []
    assert (
        f"a flow holds at most {MAX_ACTIONS} actions, this one has {MAX_ACTIONS + 1}"
        in _chain(MAX_ACTIONS + 1).problems()
    )


def test_fails_when_content_exceeds_the_character_limit() -> None:
    with pytest.raises(ValueError, match=r"content is \d+ characters, more than 256000"):
        _chain(3, text="x" * (MAX_CONTENT_LENGTH // 2)).render()


def test_update_target_queue_takes_exactly_one_target() -> None:
    with pytest.raises(ValueError, match="exactly one of 'agent_id' or 'queue_id'"):
        UpdateContactTargetQueue("set", then="t", on_error="e")
    with pytest.raises(ValueError, match="exactly one of 'agent_id' or 'queue_id'"):
        UpdateContactTargetQueue("set", then="t", on_error="e", agent_id="a", queue_id="q")


@pytest.mark.parametrize(
    ("prompt", "parameters"),
    [
        (Prompt.text("Hi"), {"Text": "Hi"}),
        (Prompt.ssml("<speak>Hi</speak>"), {"SSML": "<speak>Hi</speak>"}),
        (Prompt.from_prompt_arn("arn:p"), {"PromptId": "arn:p"}),
    ],
)
def test_prompt_renders_exactly_one_message_parameter(prompt: Prompt, parameters: dict[str, str]) -> None:
    assert prompt.to_parameters() == parameters


# ---- layout metadata for the flow designer -------------------------------------------------------


def _positions(document: FlowDocument) -> dict[str, tuple[int, int]]:
    metadata = json.loads(document.render())["Metadata"]
    return {key: (value["position"]["x"], value["position"]["y"]) for key, value in metadata["ActionMetadata"].items()}


def _queue_transfer_like() -> FlowDocument:
    return FlowDocument(
        start_action="check-hours",
        actions=[
            CheckHoursOfOperation("check-hours", when_open="check-staff", when_closed="closed", on_error="failure"),
            CheckAgentsStaffed("check-staff", when_staffed="say", when_unstaffed="unstaffed", on_error="failure"),
            MessageParticipant("say", Prompt.text("Now transferring."), then="transfer"),
            TransferContactToQueue("transfer", then="failure", on_at_capacity="failure", on_error="failure"),
            MessageParticipant("closed", Prompt.text("Closed."), then="bye"),
            MessageParticipant("unstaffed", Prompt.text("Nobody."), then="bye"),
            MessageParticipant("failure", Prompt.text("Failed."), then="bye"),
            DisconnectParticipant("bye"),
        ],
    )


def test_renders_the_designers_metadata_shape_with_a_position_per_action() -> None:
    document = _queue_transfer_like()
    content = json.loads(document.render())

    assert list(content) == ["Version", "StartAction", "Metadata", "Actions"]
    assert content["Metadata"]["entryPointPosition"] == {"x": 40, "y": 40}
    assert content["Metadata"]["snapToGrid"] is False
    assert set(content["Metadata"]["ActionMetadata"]) == {action["Identifier"] for action in content["Actions"]}


def test_lays_a_chain_out_left_to_right_on_one_row() -> None:
    positions = _positions(_chain(4))
    assert [positions[f"say-{i}"] for i in range(4)] == [(240, 40), (540, 40), (840, 40), (1140, 40)]


def test_every_transition_points_right_and_no_two_blocks_overlap() -> None:
    document = _queue_transfer_like()
    positions = _positions(document)

    for action in document.actions:
        for target in action.targets():
            assert positions[target][0] > positions[action.identifier][0], (action.identifier, target)
    assert len(set(positions.values())) == len(positions)
    assert positions["check-hours"] == (240, 40)
    assert positions["closed"][1] > positions["check-staff"][1]  # a branch is stacked below the main line


def test_layout_is_the_same_every_time() -> None:
    assert _queue_transfer_like().render() == _queue_transfer_like().render()


def test_a_flow_with_a_loop_still_gets_a_position_per_action() -> None:
    document = FlowDocument(
        start_action="ask",
        actions=[
            MessageParticipant("ask", Prompt.text("Again?"), then="again"),
            MessageParticipant("again", Prompt.text("Once more."), then="ask", on_error="bye"),
            DisconnectParticipant("bye"),
        ],
    )
    positions = _positions(document)
    assert positions == {"ask": (240, 40), "again": (540, 40), "bye": (840, 40)}
    assert document.problems() == []


def test_layout_metadata_is_not_part_of_the_graph_checks() -> None:
    document = FlowDocument(start_action="nowhere", actions=[DisconnectParticipant("end")])
    assert document.problems() == [
        "start action 'nowhere' is not an action of the flow",
    ]
    assert set(document.layout().cells) == {"end"}
