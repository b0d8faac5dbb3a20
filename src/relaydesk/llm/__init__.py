"""Language-model adapters behind the ``LLM`` port (domain/ports.py). Optional everywhere."""

from __future__ import annotations

from relaydesk.llm.openai_compat import LLMUnavailable, OpenAICompatibleLLM, build_llm

__all__ = ["LLMUnavailable", "OpenAICompatibleLLM", "build_llm"]
