from __future__ import annotations

import json

import pytest

from relaydesk.domain.errors import ConfigurationError
from relaydesk.domain.llm_ports import ChatMessage, ChatTurn, ToolCallRequest
from relaydesk.llm import LLMUnavailable, OpenAICompatibleLLM, build_llm
from relaydesk.settings import Settings
from tests.llm.openai_server import ChatCompletionsServer, completion

ORDER_TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_order",
            "description": "Look up an order by its id.",
            "parameters": {
                "type": "object",
                "properties": {"order_id": {"type": "string"}},
                "required": ["order_id"],
            },
        },
    },
    {
        "type": "function",
        "function": {"name": "list_orders", "description": "The customer's recent orders.", "parameters": {}},
    },
]
HI = [ChatMessage("user", "Hi")]


def test_chat_completion_is_posted_with_model_messages_and_key(chat_server: ChatCompletionsServer) -> None:
    chat_server.reply_text("Hello [1].")
    llm = OpenAICompatibleLLM(chat_server.url, "tiny-model", "sk-test")
    reply = llm.complete([ChatMessage("system", "Be brief."), ChatMessage("user", "Hi")], max_tokens=64)
    assert reply == "Hello [1]."
    request = chat_server.requests[0]
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-test"
    assert request.body == {
        "model": "tiny-model",
        "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
        "max_tokens": 64,
        "temperature": 0.0,
    }


def test_chat_offers_the_tools_and_reads_the_tool_calls(chat_server: ChatCompletionsServer) -> None:
    chat_server.reply_tool_calls(("get_order", {"order_id": "#W1234567"}), ("list_orders", "{}"))
    llm = OpenAICompatibleLLM(chat_server.url, "m")
    turn = llm.chat([ChatMessage("user", "Where is #W1234567?")], tools=ORDER_TOOLS, max_tokens=99)
    assert turn == ChatTurn(
        text=None,
        tool_calls=(
            ToolCallRequest("get_order", {"order_id": "#W1234567"}),
            ToolCallRequest("list_orders", {}),
        ),
    )
    body = chat_server.requests[0].body
    assert body["tools"] == ORDER_TOOLS
    assert body["tool_choice"] == "auto"
    assert body["max_tokens"] == 99
    assert body["messages"] == [{"role": "user", "content": "Where is #W1234567?"}]


def test_chat_reads_text_with_tool_calls_and_empty_arguments(chat_server: ChatCompletionsServer) -> None:
    chat_server.reply_tool_calls(("list_orders", ""), text="Let me look.")
    turn = OpenAICompatibleLLM(chat_server.url, "m").chat(HI, tools=ORDER_TOOLS)
    assert turn == ChatTurn("Let me look.", (ToolCallRequest("list_orders", {}),))


def test_chat_without_tools_is_a_plain_completion(chat_server: ChatCompletionsServer) -> None:
    chat_server.reply_text("Hi there.")
    assert OpenAICompatibleLLM(chat_server.url, "m").chat(HI) == ChatTurn("Hi there.")
    assert "tools" not in chat_server.requests[0].body
    assert "tool_choice" not in chat_server.requests[0].body


def _tool_call_message(function: object) -> dict[str, object]:
    return {
        "role": "assistant",
        "content": None,
        "tool_calls": [{"id": "c", "type": "function", "function": function}],
    }


@pytest.mark.parametrize(
    ("status", "body", "problem"),
    [
        (500, {"error": {"message": "boom"}}, "answered HTTP 500"),
        (503, b"Service Unavailable", "answered HTTP 503"),
        (200, b"<html>not json</html>", "sent a reply that is not JSON"),
        (200, {"error": "nope"}, r"sent a reply without choices\[0\]\.message"),
        (200, {"choices": []}, r"sent a reply without choices\[0\]\.message"),
        (200, {"choices": [{"message": "hi"}]}, r"choices\[0\]\.message that is not an object"),
        (200, completion({"role": "assistant", "content": ["a", "b"]}), "non-text message content"),
        (200, completion({"role": "assistant", "content": None, "tool_calls": {"x": 1}}), "not a list"),
        (
            200,
            completion(_tool_call_message({"name": "get_order", "arguments": '{"order_id": "#W1'})),
            'tool call "get_order" with arguments that are not valid JSON',
        ),
        (
            200,
            completion(_tool_call_message({"name": "get_order", "arguments": '["#W1"]'})),
            'tool call "get_order" with arguments that are a JSON array, not an object',
        ),
        (
            200,
            completion(_tool_call_message({"name": "get_order", "arguments": "42"})),
            'tool call "get_order" with arguments that are a JSON number, not an object',
        ),
        (200, completion(_tool_call_message({"arguments": "{}"})), "sent tool call 0 without function.name"),
    ],
)
def test_every_bad_answer_is_llm_unavailable_naming_the_problem(
    chat_server: ChatCompletionsServer, status: int, body: object, problem: str
) -> None:
    chat_server.reply_raw(status, body)
    llm = OpenAICompatibleLLM(chat_server.url, "m")
    with pytest.raises(LLMUnavailable, match=problem) as caught:
        llm.chat(HI, tools=ORDER_TOOLS)
    assert chat_server.url in caught.value.detail


def test_complete_still_needs_text(chat_server: ChatCompletionsServer) -> None:
    chat_server.reply_tool_calls(("list_orders", "{}"))
    with pytest.raises(LLMUnavailable, match="non-text message content"):
        OpenAICompatibleLLM(chat_server.url, "m").complete(HI)


def test_a_model_slower_than_the_timeout_is_unavailable(chat_server: ChatCompletionsServer) -> None:
    chat_server.reply_slow()
    llm = OpenAICompatibleLLM(chat_server.url, "m", timeout_s=0.2)
    with pytest.raises(LLMUnavailable, match=r"did not answer within 0\.2 s \(ReadTimeout\)"):
        llm.chat(HI, tools=ORDER_TOOLS)


def test_a_server_that_is_down_is_unavailable(closed_url: str) -> None:
    with pytest.raises(LLMUnavailable, match=r"could not be reached \(ConnectError\)"):
        OpenAICompatibleLLM(closed_url, "m").chat(HI)
    with pytest.raises(LLMUnavailable, match="could not be reached"):
        OpenAICompatibleLLM(closed_url, "m").complete(HI)


def test_the_request_is_valid_json_with_unicode_kept(chat_server: ChatCompletionsServer) -> None:
    OpenAICompatibleLLM(chat_server.url, "m").complete([ChatMessage("user", "Où est ⟦1⟧ ?")])
    assert json.loads(chat_server.requests[0].raw)["messages"][0]["content"] == "Où est ⟦1⟧ ?"


def test_build_llm_follows_settings() -> None:
    assert build_llm(Settings(_env_file=None)) is None  # type: ignore[call-arg]
    llm = build_llm(Settings(llm_base_url="http://127.0.0.1:1/v1", llm_model="m", _env_file=None))  # type: ignore[call-arg]
    assert llm is not None and llm.model == "m"
    with pytest.raises(ConfigurationError, match="llm_model"):
        build_llm(Settings(llm_base_url="http://127.0.0.1:1/v1", _env_file=None))  # type: ignore[call-arg]
    with pytest.raises(ConfigurationError, match='"ftp://x" must start with http'):
        OpenAICompatibleLLM("ftp://x", "m")
