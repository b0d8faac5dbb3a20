"""A real OpenAI-compatible ``/chat/completions`` server for the tests, on 127.0.0.1 (a free port).

It records every request and answers from a script: ``reply_text``, ``reply_tool_calls``,
``reply_raw`` (any status and body, JSON or not) and ``reply_slow`` (holds the answer until the
test ends, past any client timeout). With nothing scripted it answers "Hello."
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class ChatRequest:
    path: str
    headers: dict[str, str]
    """Header names in lower case."""
    raw: str
    """The body as sent (to check what left for the model, byte for byte)."""
    body: Any
    """The parsed JSON body."""


@dataclass(frozen=True)
class _Answer:
    status: int
    payload: bytes
    slow: bool = False


class ChatCompletionsServer:
    def __init__(self) -> None:
        self.requests: list[ChatRequest] = []
        self._answers: list[_Answer] = []
        self._lock = threading.Lock()
        self.released = threading.Event()
        """Set when the test ends: a slow answer is held until then."""
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.01,), daemon=True)

    def start(self) -> ChatCompletionsServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.released.set()
        self._server.shutdown()
        self._server.server_close()

    # -- the script --------------------------------------------------------------------------

    def reply_raw(self, status: int, body: Any, *, slow: bool = False) -> None:
        """Answer the next request with ``status`` and ``body`` (bytes as they are, else JSON)."""
        payload = body if isinstance(body, bytes) else json.dumps(body).encode()
        with self._lock:
            self._answers.append(_Answer(status, payload, slow))

    def reply_message(self, message: dict[str, Any]) -> None:
        self.reply_raw(200, completion(message))

    def reply_text(self, text: str) -> None:
        self.reply_message({"role": "assistant", "content": text})

    def reply_tool_calls(self, *calls: tuple[str, Any], text: str | None = None) -> None:
        """Tool calls as (name, arguments); arguments that are not a string are sent as JSON text."""
        self.reply_message(
            {
                "role": "assistant",
                "content": text,
                "tool_calls": [
                    {
                        "id": f"call_{i}",
                        "type": "function",
                        "function": {
                            "name": name,
                            "arguments": args if isinstance(args, str) else json.dumps(args),
                        },
                    }
                    for i, (name, args) in enumerate(calls)
                ],
            }
        )

    def reply_slow(self) -> None:
        """Hold the next answer until the test ends (a model that does not answer in time)."""
        self.reply_raw(200, completion({"role": "assistant", "content": "too late"}), slow=True)

    # -- the server ----------------------------------------------------------------------------

    def _next_answer(self) -> _Answer:
        with self._lock:
            if self._answers:
                return self._answers.pop(0)
        return _Answer(200, json.dumps(completion({"role": "assistant", "content": "Hello."})).encode())

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("content-length", "0"))).decode()
                headers = {k.lower(): v for k, v in self.headers.items()}
                server.requests.append(ChatRequest(self.path, headers, raw, json.loads(raw)))
                answer = server._next_answer()
                if answer.slow:
                    server.released.wait(timeout=30)
                try:
                    self.send_response(answer.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(answer.payload)))
                    self.end_headers()
                    self.wfile.write(answer.payload)
                except OSError:
                    pass  # the client gave up (a slow answer)

        return Handler


def completion(message: dict[str, Any]) -> dict[str, Any]:
    """A chat-completion response body with ``message`` as its one choice."""
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": "test-model",
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
