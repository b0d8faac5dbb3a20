"""relaydesk.testing.ScriptedLLM, the test double of the LLM ports."""

from __future__ import annotations

import pytest

from relaydesk.domain.errors import LLMUnavailable
from relaydesk.domain.llm_ports import ChatMessage, ChatTurn, ToolCallRequest
from relaydesk.testing import ScriptedLLM

TOOLS = [{"type": "function", "function": {"name": "get_order", "parameters": {}}}]


def test_scripted_answers_come_in_order_and_requests_are_kept() -> None:
    call = ToolCallRequest("get_order", {"order_id": "#W1"})
    llm = ScriptedLLM(["text", ChatTurn("both", (call,))]).enqueue(LLMUnavailable("down"))
    assert llm.chat([ChatMessage("user", "a")], tools=TOOLS) == ChatTurn("text")
    assert llm.complete([ChatMessage("user", "b")]) == "both"
    with pytest.raises(LLMUnavailable, match="down"):
        llm.chat([ChatMessage("user", "c")])
    assert [c.messages[0].content for c in llm.calls] == ["a", "b", "c"]
    assert [c.tools for c in llm.calls] == [TOOLS, [], []]
    with pytest.raises(AssertionError, match="no scripted reply left"):
        llm.complete([])


def test_complete_refuses_a_turn_without_text() -> None:
    llm = ScriptedLLM([ChatTurn(None, (ToolCallRequest("get_order", {}),))])
    with pytest.raises(AssertionError, match="without text"):
        llm.complete([ChatMessage("user", "a")])
