"""An OpenAI-compatible chat-completions client (OpenAI, vLLM, Ollama, llama.cpp server) over httpx."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import httpx

from relaydesk.domain.errors import ConfigurationError, RelaydeskError
from relaydesk.domain.ports import ChatMessage

if TYPE_CHECKING:
    from relaydesk.settings import Settings


class LLMUnavailable(RelaydeskError):
    """The language model could not be reached or its answer could not be read."""

    title = "Language model unavailable"


class OpenAICompatibleLLM:
    """``POST {base_url}/chat/completions`` with a bearer key; returns the first choice's text."""

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
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(timeout=timeout_s, headers=headers, transport=transport)

    def complete(
        self, messages: Sequence[ChatMessage], *, max_tokens: int = 512, temperature: float = 0.0
    ) -> str:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": max_tokens,
            "temperature": temperature,
        }
        url = f"{self.base_url}/chat/completions"
        try:
            response = self._client.post(url, json=body)
        except httpx.HTTPError as exc:
            raise LLMUnavailable(f'LLM endpoint "{url}" could not be reached ({type(exc).__name__})') from exc
        if response.status_code >= 400:
            raise LLMUnavailable(f'LLM endpoint "{url}" answered HTTP {response.status_code}')
        try:
            content = response.json()["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise LLMUnavailable(f'LLM endpoint "{url}" sent a reply without choices[0].message') from exc
        if not isinstance(content, str):
            raise LLMUnavailable(f'LLM endpoint "{url}" sent a non-text message content')
        return content

    def close(self) -> None:
        self._client.close()


def build_llm(settings: Settings) -> OpenAICompatibleLLM | None:
    """The configured LLM, or None when ``llm_base_url`` is not set."""
    if not settings.llm_base_url:
        return None
    if not settings.llm_model:
        raise ConfigurationError("llm_base_url is set but llm_model is not; set RELAYDESK_LLM_MODEL")
    return OpenAICompatibleLLM(settings.llm_base_url, settings.llm_model, settings.llm_api_key)
