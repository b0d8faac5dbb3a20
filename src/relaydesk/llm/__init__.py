"""Language-model adapters behind the ``LLM`` and ``ToolCallingLLM`` ports (domain/llm_ports.py).
Optional everywhere."""

from __future__ import annotations

from relaydesk.domain.errors import LLMUnavailable
from relaydesk.llm.openai_compat import OpenAICompatibleLLM, build_llm

__all__ = ["LLMUnavailable", "OpenAICompatibleLLM", "build_llm"]
