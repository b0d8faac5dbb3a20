"""Ports of the optional language model: chat completion, and chat with tool calls (OpenAI
function calling). Implemented by ``llm/openai_compat.py`` and, in tests, ``testing.ScriptedLLM``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One turn of a chat-completion request."""

    role: str
    """``system``, ``user`` or ``assistant``."""
    content: str


class LLM(Protocol):
    """A chat-completion language model (an OpenAI-compatible endpoint, or ``ScriptedLLM`` in tests).

    Implementations raise a ``RelaydeskError`` (``LLMUnavailable``) when the model cannot be reached
    or answers badly; callers fall back to what works without a model.
    """

    model: str

    def complete(
        self, messages: Sequence[ChatMessage], *, max_tokens: int = 512, temperature: float = 0.0
    ) -> str: ...


@dataclass(frozen=True, slots=True)
class ToolCallRequest:
    """A tool call a language model asks for. Only a plan: the flow engine passes every call
    through governance, which may allow, hold for approval or refuse it."""

    name: str
    arguments: dict[str, Any]
    """The call's arguments, a JSON object (parsed)."""


@dataclass(frozen=True, slots=True)
class ChatTurn:
    """A language model's answer to a chat with tools: text, tool calls, or both."""

    text: str | None
    """None when the model only called tools."""
    tool_calls: tuple[ToolCallRequest, ...] = ()


class ToolCallingLLM(LLM, Protocol):
    """An ``LLM`` that can also plan tool calls (OpenAI function calling)."""

    def chat(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[dict[str, Any]] = (),
        max_tokens: int = 512,
        temperature: float = 0.0,
    ) -> ChatTurn:
        """``tools`` are OpenAI function schemas:
        ``{"type": "function", "function": {"name": ..., "description": ..., "parameters": {...}}}``.
        Raises ``LLMUnavailable`` when the model cannot be reached or its answer cannot be read."""
        ...
