"""Public test doubles and factories for relaydesk's own tests and for integrators' tests.

Only for what cannot run here for real (a remote LLM, a remote embeddings service); everything
else in tests is real.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Any

import numpy as np

from relaydesk.domain.capability_types import ConversationContext
from relaydesk.domain.ids import ConversationId, CustomerId, MessageId, WorkspaceId
from relaydesk.domain.llm_ports import ChatMessage, ChatTurn
from relaydesk.domain.models import (
    Agent,
    AgentRole,
    AgentStatus,
    Channel,
    Conversation,
    ConversationStatus,
    Customer,
    CustomerTier,
    Message,
    MessageRole,
    Workspace,
)

if TYPE_CHECKING:
    from relaydesk.storage.store import SqlStore


@dataclass(frozen=True)
class AgentWithKey:
    """An agent created for a test, with the plain API key (only its digest is stored)."""

    agent: Agent
    api_key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}


def make_workspace(store: SqlStore, slug: str | None = None, name: str = "Test Store") -> Workspace:
    return store.create_workspace(slug or f"ws-{secrets.token_hex(4)}", name)


def make_agent(
    store: SqlStore,
    workspace: Workspace,
    *,
    name: str | None = None,
    skills: dict[str, float] | None = None,
    languages: tuple[str, ...] = ("en",),
    tier: int = 1,
    capacity: int = 5,
    status: AgentStatus = AgentStatus.ONLINE,
    role: AgentRole | str = AgentRole.AGENT,
) -> AgentWithKey:
    key = f"key-{secrets.token_hex(12)}"
    suffix = secrets.token_hex(3)
    agent = store.create_agent(
        workspace.id,
        name=name or f"Agent {suffix}",
        email=f"agent-{suffix}@example.test",
        api_key=key,
        skills=skills or {"orders": 0.8},
        languages=languages,
        tier=tier,
        capacity=capacity,
        status=status,
        # only when asked for: the in-memory store (tests/services/test_in_memory.py) has no roles
        **({"role": AgentRole(role)} if AgentRole(role) != AgentRole.AGENT else {}),
    )
    return AgentWithKey(agent, key)


@dataclass(frozen=True)
class ScriptedCall:
    """One request a ``ScriptedLLM`` was given."""

    messages: list[ChatMessage]
    tools: list[dict[str, Any]]
    """The tool schemas offered (empty for ``complete``)."""

    @property
    def sent_text(self) -> str:
        """Everything that would have left for the model, as one string (to assert masking)."""
        return "\n".join(m.content for m in self.messages) + "\n" + json.dumps(self.tools)


class ScriptedLLM:
    """A ``ToolCallingLLM`` that answers from a script, in order, and records every request.

    ``ScriptedLLM(["first reply", ChatTurn(None, (ToolCallRequest("lookup", {}),))])`` or
    ``llm.enqueue("reply")``. A string is a text answer, a ``ChatTurn`` an answer with tool calls
    (``complete`` returns its text), an exception is raised instead of answering (to test
    fallbacks). Running out of answers raises ``AssertionError``. ``calls`` keeps what each request
    sent (``ScriptedCall``: messages and tools).
    """

    def __init__(
        self, replies: list[str | ChatTurn | Exception] | None = None, model: str = "scripted"
    ) -> None:
        self.model = model
        self._replies: list[str | ChatTurn | Exception] = list(replies or [])
        self.calls: list[ScriptedCall] = []

    def enqueue(self, reply: str | ChatTurn | Exception) -> ScriptedLLM:
        self._replies.append(reply)
        return self

    def complete(
        self, messages: Sequence[ChatMessage], *, max_tokens: int = 512, temperature: float = 0.0
    ) -> str:
        turn = self._next(messages, ())
        if turn.text is None:
            raise AssertionError("ScriptedLLM.complete was scripted a turn without text")
        return turn.text

    def chat(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[dict[str, Any]] = (),
        max_tokens: int = 512,
        temperature: float = 0.0,
    ) -> ChatTurn:
        return self._next(messages, tools)

    def _next(self, messages: Sequence[ChatMessage], tools: Sequence[dict[str, Any]]) -> ChatTurn:
        self.calls.append(ScriptedCall(list(messages), list(tools)))
        if not self._replies:
            raise AssertionError("ScriptedLLM has no scripted reply left")
        reply = self._replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return ChatTurn(reply) if isinstance(reply, str) else reply


def make_context(
    *turns: tuple[MessageRole, str],
    workspace_id: str = "ws_1",
    customer_name: str | None = None,
    tier: CustomerTier = CustomerTier.STANDARD,
) -> ConversationContext:
    """A conversation context built in memory (no database): a customer and earlier ``turns``."""
    now = datetime.now(UTC)
    conversation = Conversation(
        id=ConversationId("conv_1"),
        workspace_id=WorkspaceId(workspace_id),
        customer_id=CustomerId("cus_1"),
        channel=Channel.WEB,
        status=ConversationStatus.WITH_AI,
        subject=None,
        language="en",
        assigned_agent_id=None,
        priority=0,
        required_skills=(),
        escalation_reason=None,
        ai_turns=0,
        created_at=now,
        updated_at=now,
    )
    customer = Customer(
        id=CustomerId("cus_1"),
        workspace_id=WorkspaceId(workspace_id),
        external_id=None,
        name=customer_name,
        email=None,
        tier=tier,
        language="en",
        attributes={},
        created_at=now,
    )
    history = tuple(
        Message(MessageId(f"msg_{i}"), conversation.id, role, text, Channel.WEB, now)
        for i, (role, text) in enumerate(turns)
    )
    return ConversationContext(conversation=conversation, customer=customer, history=history)


@dataclass(frozen=True)
class RecordedRequest:
    """One request an ``EmbeddingsServer`` received."""

    path: str
    headers: dict[str, str]
    """Header names in lower case."""
    body: Any
    """The parsed JSON body, or None when it was not JSON."""


_WORD = re.compile(r"\w+")


class EmbeddingsServer:
    """A real HTTP server on 127.0.0.1 (a free port) speaking the OpenAI ``/embeddings`` API.

    ``with EmbeddingsServer(dimension=32) as server:`` then point an embedder at ``server.url``.
    Vectors are deterministic and not unit length: the sum of one pseudo-random vector per
    lower-cased word (seeded by the word's SHA-256) plus a small one for the whole text, so texts
    sharing words are close, like real sentence vectors (see ``vector_for``).

    ``api_key``: requests without ``Authorization: Bearer <api_key>`` get HTTP 401.
    ``max_batch``: requests with more inputs get HTTP 400, like a real server's limit.
    ``reverse``: the ``data`` items come back in reverse order (each keeps its ``index``).
    ``enqueue(status, body)`` answers the next request with that status and body instead (a dict
    is sent as JSON, bytes as they are). Every request is kept in ``requests``.
    """

    def __init__(
        self,
        dimension: int = 32,
        *,
        api_key: str | None = None,
        max_batch: int | None = None,
        reverse: bool = False,
    ) -> None:
        self.dimension = dimension
        self.api_key = api_key
        self.max_batch = max_batch
        self.reverse = reverse
        self.requests: list[RecordedRequest] = []
        self._canned: list[tuple[int, object]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread: threading.Thread | None = None
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def enqueue(self, status: int, body: object) -> EmbeddingsServer:
        with self._lock:
            self._canned.append((status, body))
        return self

    @staticmethod
    def vector_for(text: str, dimension: int) -> np.ndarray:
        """The vector the server returns for ``text`` (float64, not normalised)."""

        def seeded(token: str) -> np.ndarray:
            seed = int.from_bytes(hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()[:8])
            return np.random.default_rng(seed).standard_normal(dimension)

        vector = 0.25 * seeded("\x00text:" + text)
        for word in _WORD.findall(text.lower()):
            vector += seeded(word)
        return vector * 3.0

    def __enter__(self) -> EmbeddingsServer:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def _answer(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, object]:
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        with self._lock:
            self.requests.append(RecordedRequest(path, headers, body))
            if self._canned:
                return self._canned.pop(0)
        if self.api_key is not None and headers.get("authorization") != f"Bearer {self.api_key}":
            return 401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}
        if not path.endswith("/embeddings"):
            return 404, {"error": {"message": f"No route {path}"}}
        inputs = body.get("input") if isinstance(body, dict) else None
        if isinstance(inputs, str):
            inputs = [inputs]
        if not isinstance(inputs, list) or not inputs or not all(isinstance(t, str) and t for t in inputs):
            return 400, {"error": {"message": "input must be a non-empty string or list of them"}}
        if self.max_batch is not None and len(inputs) > self.max_batch:
            return 400, {"error": {"message": f"at most {self.max_batch} inputs per request"}}
        data = [
            {"object": "embedding", "index": i, "embedding": self.vector_for(t, self.dimension).tolist()}
            for i, t in enumerate(inputs)
        ]
        if self.reverse:
            data.reverse()
        usage = {"prompt_tokens": 0, "total_tokens": 0}
        return 200, {"object": "list", "data": data, "model": body["model"], "usage": usage}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("content-length", "0")))
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, body = server._answer(self.path, headers, raw)
                payload = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        return Handler


class FlakyBus:
    """An event bus that is down while ``down`` is True (as Redis is when it stops): ``publish``
    raises ``ConnectionError``; otherwise it records the event and hands it to the wrapped bus."""

    def __init__(self, inner: Any | None = None) -> None:
        self.inner = inner
        self.down = False
        self.published: list[Any] = []

    def publish(self, event: Any) -> None:
        if self.down:
            raise ConnectionError("the event bus is down")
        self.published.append(event)
        if self.inner is not None:
            self.inner.publish(event)

    def subscribe(self, handler: Any, *, conversation_id: str | None = None) -> Any:
        if self.inner is None:
            return lambda: None
        return self.inner.subscribe(handler, conversation_id=conversation_id)

    def close(self) -> None:
        if self.inner is not None:
            self.inner.close()


class HookedResponder:
    """A specialist that runs ``hook(message)`` and then abstains, so the responders after it
    answer as usual: lets a test act at the moment the AI is working out its reply (a person
    claiming the conversation meanwhile), or fail there (``hook`` raising, as a broken model)."""

    name = "hooked"

    def __init__(self, hook: Any) -> None:
        self.hook = hook
        self.calls = 0

    def respond(self, message: Message, triage: Any, context: ConversationContext) -> Any:
        from relaydesk.domain.capability_types import ResponderReply

        self.calls += 1
        self.hook(message)
        return ResponderReply(None, self.name, abstain_reason="test hook")


from relaydesk.testing.memory_store import MemoryStore  # noqa: E402

__all__ = [
    "AgentWithKey",
    "EmbeddingsServer",
    "FlakyBus",
    "HookedResponder",
    "MemoryStore",
    "ScriptedCall",
    "ScriptedLLM",
    "make_agent",
    "make_context",
    "make_workspace",
]
