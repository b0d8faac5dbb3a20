"""An OpenAI-compatible chat-completions client (OpenAI, vLLM, Ollama, llama.cpp server) over httpx.

``complete`` returns the first choice's text; ``chat`` also offers tools (OpenAI function calling)
and returns the text and the tool calls the model asked for. Every failure (unreachable, too slow,
an HTTP error, an answer that cannot be read) raises ``LLMUnavailable`` naming the problem.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import httpx

from relaydesk.domain.errors import ConfigurationError, LLMUnavailable
from relaydesk.domain.llm_ports import ChatMessage, ChatTurn, ToolCallRequest

if TYPE_CHECKING:
    from relaydesk.settings import Settings

__all__ = ["LLMUnavailable", "OpenAICompatibleLLM", "build_llm"]


class OpenAICompatibleLLM:
    """``POST {base_url}/chat/completions`` with a bearer key (implements ``ToolCallingLLM``)."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        *,
        timeout_s: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ConfigurationError(f'llm_base_url "{base_url}" must start with http:// or https://')
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.timeout_s = timeout_s
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(timeout=timeout_s, headers=headers, transport=transport)

    @property
    def url(self) -> str:
        return f"{self.base_url}/chat/completions"

    def complete(
        self, messages: Sequence[ChatMessage], *, max_tokens: int = 512, temperature: float = 0.0
    ) -> str:
        content = self._message(self._body(messages, (), max_tokens, temperature)).get("content")
        if not isinstance(content, str):
            raise LLMUnavailable(f'LLM endpoint "{self.url}" sent a non-text message content')
        return content

    def chat(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[dict[str, Any]] = (),
        max_tokens: int = 512,
        temperature: float = 0.0,
    ) -> ChatTurn:
        message = self._message(self._body(messages, tools, max_tokens, temperature))
        content = message.get("content")
        if content is not None and not isinstance(content, str):
            raise LLMUnavailable(f'LLM endpoint "{self.url}" sent a non-text message content')
        raw_calls = message.get("tool_calls") or []
        if not isinstance(raw_calls, list):
            raise LLMUnavailable(f'LLM endpoint "{self.url}" sent tool_calls that are not a list')
        calls = tuple(self._tool_call(i, raw) for i, raw in enumerate(raw_calls))
        return ChatTurn(text=content, tool_calls=calls)

    def close(self) -> None:
        self._client.close()

    def _body(
        self,
        messages: Sequence[ChatMessage],
        tools: Sequence[dict[str, Any]],
        max_tokens: int,
        temperature: float,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": max_tokens,
            "temperature": temperature,
        }
        if tools:
            body["tools"] = list(tools)
            body["tool_choice"] = "auto"
        return body

    def _message(self, body: dict[str, Any]) -> dict[str, Any]:
        """POST ``body`` and return ``choices[0].message`` of the answer."""
        url = self.url
        try:
            response = self._client.post(url, json=body)
        except httpx.TimeoutException as exc:
            raise LLMUnavailable(
                f'LLM endpoint "{url}" did not answer within {self.timeout_s:g} s ({type(exc).__name__})'
            ) from exc
        except httpx.HTTPError as exc:
            raise LLMUnavailable(f'LLM endpoint "{url}" could not be reached ({type(exc).__name__})') from exc
        if response.status_code >= 400:
            raise LLMUnavailable(f'LLM endpoint "{url}" answered HTTP {response.status_code}')
        try:
            payload = response.json()
        except ValueError as exc:
            raise LLMUnavailable(f'LLM endpoint "{url}" sent a reply that is not JSON') from exc
        try:
            message = payload["choices"][0]["message"]
        except (KeyError, IndexError, TypeError) as exc:
            raise LLMUnavailable(f'LLM endpoint "{url}" sent a reply without choices[0].message') from exc
        if not isinstance(message, dict):
            raise LLMUnavailable(f'LLM endpoint "{url}" sent a choices[0].message that is not an object')
        return message

    def _tool_call(self, index: int, raw: Any) -> ToolCallRequest:
        function = raw.get("function") if isinstance(raw, dict) else None
        if (
            not isinstance(function, dict)
            or not isinstance(function.get("name"), str)
            or not function["name"]
        ):
            raise LLMUnavailable(f'LLM endpoint "{self.url}" sent tool call {index} without function.name')
        name: str = function["name"]
        arguments = function.get("arguments")
        if arguments is None or (isinstance(arguments, str) and not arguments.strip()):
            arguments = {}  # some servers send "" (or nothing) for a call without arguments
        elif isinstance(arguments, str):
            try:
                arguments = json.loads(arguments)
            except ValueError as exc:
                raise LLMUnavailable(
                    f'LLM endpoint "{self.url}" sent tool call "{name}" with arguments that are not '
                    f"valid JSON ({exc})"
                ) from exc
        if not isinstance(arguments, dict):
            raise LLMUnavailable(
                f'LLM endpoint "{self.url}" sent tool call "{name}" with arguments that are a JSON '
                f"{_json_type(arguments)}, not an object"
            )
        return ToolCallRequest(name=name, arguments=arguments)


def _json_type(value: Any) -> str:
    names = {list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def build_llm(settings: Settings) -> OpenAICompatibleLLM | None:
    """The configured LLM, or None when ``llm_base_url`` is not set."""
    if not settings.llm_base_url:
        return None
    if not settings.llm_model:
        raise ConfigurationError("llm_base_url is set but llm_model is not; set RELAYDESK_LLM_MODEL")
    return OpenAICompatibleLLM(settings.llm_base_url, settings.llm_model, settings.llm_api_key)
