from __future__ import annotations

import json

import pytest

from cdk_connect_quickconnect.flow_language import (
    MAX_ACTIONS,
    MAX_CONTENT_LENGTH,
    DisconnectParticipant,
    FlowDocument,
    MessageParticipant,
    Prompt,
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
