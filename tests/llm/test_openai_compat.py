from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from relaydesk.domain.errors import ConfigurationError
from relaydesk.domain.ports import ChatMessage
from relaydesk.llm import LLMUnavailable, OpenAICompatibleLLM, build_llm
from relaydesk.settings import Settings


class FakeEndpoint:
    """A local OpenAI-compatible /chat/completions server that records what it was sent."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], dict[str, Any]]] = []
        self.status = 200
        self.body: dict[str, Any] = {"choices": [{"message": {"role": "assistant", "content": "Hello [1]."}}]}
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("content-length", "0"))
                endpoint.requests.append((self.path, dict(self.headers), json.loads(self.rfile.read(length))))
                payload = json.dumps(endpoint.body).encode()
                self.send_response(endpoint.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"


@pytest.fixture
def endpoint() -> Iterator[FakeEndpoint]:
    fake = FakeEndpoint()
    thread = threading.Thread(target=fake.server.serve_forever, daemon=True)
    thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def test_chat_completion_is_posted_with_model_messages_and_key(endpoint: FakeEndpoint) -> None:
    llm = OpenAICompatibleLLM(endpoint.url, "tiny-model", "sk-test")
    reply = llm.complete([ChatMessage("system", "Be brief."), ChatMessage("user", "Hi")], max_tokens=64)
    assert reply == "Hello [1]."
    path, headers, body = endpoint.requests[0]
    assert path == "/v1/chat/completions"
    assert headers["Authorization"] == "Bearer sk-test"
    assert body == {
        "model": "tiny-model",
        "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
        "max_tokens": 64,
        "temperature": 0.0,
    }


def test_http_errors_and_odd_replies_are_llm_unavailable(endpoint: FakeEndpoint) -> None:
    llm = OpenAICompatibleLLM(endpoint.url, "m")
    endpoint.status = 503
    with pytest.raises(LLMUnavailable, match="answered HTTP 503"):
        llm.complete([ChatMessage("user", "Hi")])
    endpoint.status, endpoint.body = 200, {"error": "nope"}
    with pytest.raises(LLMUnavailable, match="without choices"):
        llm.complete([ChatMessage("user", "Hi")])
    with pytest.raises(LLMUnavailable, match="could not be reached"):
        OpenAICompatibleLLM("http://127.0.0.1:9/v1", "m").complete([ChatMessage("user", "Hi")])


def test_build_llm_follows_settings() -> None:
    assert build_llm(Settings(_env_file=None)) is None  # type: ignore[call-arg]
    llm = build_llm(Settings(llm_base_url="http://127.0.0.1:1/v1", llm_model="m", _env_file=None))  # type: ignore[call-arg]
    assert llm is not None and llm.model == "m"
    with pytest.raises(ConfigurationError, match="llm_model"):
        build_llm(Settings(llm_base_url="http://127.0.0.1:1/v1", _env_file=None))  # type: ignore[call-arg]
