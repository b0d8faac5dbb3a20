from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from tests.llm.openai_server import ChatCompletionsServer


@pytest.fixture
def chat_server() -> Iterator[ChatCompletionsServer]:
    server = ChatCompletionsServer().start()
    yield server
    server.stop()


@pytest.fixture
def closed_url() -> str:
    """An endpoint on a local port nothing listens on (a model server that is down)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"
