"""WebSocket streams: a customer follows (and writes to) one conversation; an agent follows the
workspace. Each authenticates by a first frame or a single-use ticket (``api/stream_auth.py``)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Query, Request, WebSocket, WebSocketDisconnect, status
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from relaydesk.api.backpressure import TurnGate
from relaydesk.api.deps import CurrentAgent, CustomerConversation, agent_from_key
from relaydesk.api.errors import status_for
from relaydesk.api.rate_limits import token_key
from relaydesk.api.schemas import (
    ConversationOut,
    CustomerConversationOut,
    CustomerMessageOut,
    HandoffBriefOut,
)
from relaydesk.api.stream_auth import (
    TICKET_TTL_S,
    StreamRefused,
    error_frame,
    first_auth_frame,
    limiter_of,
    refuse,
    refuse_url_credentials,
)
from relaydesk.domain.errors import RelaydeskError, Unauthenticated
from relaydesk.domain.events import ConversationEvent, EventType
from relaydesk.domain.models import Agent, Conversation
from relaydesk.services.payloads import place_in_line, public_event_data
from relaydesk.services.runtime import Runtime

CUSTOMER_EVENTS = frozenset(
    {
        EventType.MESSAGE_CREATED,
        EventType.CONVERSATION_STARTED,
        EventType.CONVERSATION_QUEUED,
        EventType.CONVERSATION_ASSIGNED,
        EventType.CONVERSATION_HANDED_BACK,
        EventType.CONVERSATION_STATUS,
        EventType.CONVERSATION_RESOLVED,
        EventType.AGENT_TYPING,
    }
)
"""What a customer's stream carries (not, say, approval offers to agents)."""

router = APIRouter(tags=["streams"])


class _Subscription:
    """Bridges bus events (any thread) into this connection's asyncio queue."""

    def __init__(
        self,
        runtime: Runtime,
        accept: Callable[[ConversationEvent], bool],
        *,
        conversation_id: str | None = None,
    ) -> None:
        """``conversation_id``: follow that conversation only (the bus calls the handler for its
        events alone); ``accept`` filters further."""
        self.queue: asyncio.Queue[ConversationEvent] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        def handler(event: ConversationEvent) -> None:
            if accept(event):
                loop.call_soon_threadsafe(self.queue.put_nowait, event)

        self._unsubscribe = runtime.bus.subscribe(handler, conversation_id=conversation_id)

    async def pump(
        self,
        websocket: WebSocket,
        extra: Callable[[ConversationEvent], dict[str, Any]] | None = None,
        *,
        public: bool = False,
    ) -> None:
        """Send each event; ``extra`` (run in a worker thread) adds fields to an event's frame;
        ``public`` sends what a customer may see of it (services/payloads.py)."""
        while True:
            event = await self.queue.get()
            payload = event.to_dict()
            if public:
                payload["data"] = public_event_data(payload["type"], payload["data"])
            added = await run_in_threadpool(extra, event) if extra is not None else {}
            await websocket.send_json({**payload, **added, "type": "event", "event": payload["type"]})

    def close(self) -> None:
        self._unsubscribe()


class StreamTicketOut(BaseModel):
    ticket: str
    """Connect with ``?ticket=`` within ``expires_in_s`` seconds; it works once."""
    expires_in_s: float


CUSTOMER_AUTH = (
    'Send {"type": "auth", "token": "<conversation token>"} as the first frame, or connect with '
    "?ticket= from POST /v1/conversations/{id}/stream-ticket."
)
AGENT_AUTH = (
    'Send {"type": "auth", "token": "<API key>"} as the first frame, or connect with ?ticket= from '
    "POST /v1/agent/stream-ticket."
)
MAX_SEQ = 2**63 - 1


@router.post(
    "/v1/conversations/{conversation_id}/stream-ticket",
    response_model=StreamTicketOut,
    status_code=status.HTTP_201_CREATED,
)
def customer_stream_ticket(conversation: CustomerConversation, request: Request) -> StreamTicketOut:
    """A single-use ticket for this conversation's stream (``?ticket=``), valid 30 seconds: for
    clients that cannot send a first auth frame."""
    token = request.headers.get("x-conversation-token") or request.headers.get("authorization", "")
    token = token.removeprefix("Bearer ").removeprefix("bearer ").strip()
    ticket = limiter_of(request).buckets.issue(f"customer:{conversation.id}:{token_key(token)}", TICKET_TTL_S)
    return StreamTicketOut(ticket=ticket, expires_in_s=TICKET_TTL_S)


@router.post("/v1/agent/stream-ticket", response_model=StreamTicketOut, status_code=status.HTTP_201_CREATED)
def agent_stream_ticket(agent: CurrentAgent, request: Request) -> StreamTicketOut:
    """A single-use ticket for the agent stream (``?ticket=``), valid 30 seconds."""
    ticket = limiter_of(request).buckets.issue(f"agent:{agent.id}", TICKET_TTL_S)
    return StreamTicketOut(ticket=ticket, expires_in_s=TICKET_TTL_S)


async def _redeem(websocket: WebSocket, ticket: str, kind: str) -> list[str]:
    limiter = limiter_of(websocket)
    value = await limiter.run(limiter.buckets.redeem, ticket)
    parts = value.split(":") if value else []
    if not parts or parts[0] != kind:
        raise StreamRefused(401, "Unauthenticated", "The ticket is unknown, already used or expired")
    return parts[1:]


async def _authenticate_customer(
    websocket: WebSocket, runtime: Runtime, conversation_id: str, ticket: str | None
) -> tuple[Conversation, str]:
    """The conversation and the key of its token's post bucket."""
    if ticket is not None:
        granted = await _redeem(websocket, ticket, "customer")
        if granted[0] != conversation_id:
            raise StreamRefused(
                403, "Forbidden", f'The ticket does not grant access to conversation "{conversation_id}"'
            )
        return await run_in_threadpool(runtime.store.get_conversation, conversation_id), granted[1]
    token = await first_auth_frame(websocket, runtime.settings.max_body_bytes)
    conversation = await run_in_threadpool(runtime.desk.authorize_customer, conversation_id, token)
    return conversation, token_key(token)


@router.websocket("/v1/conversations/{conversation_id}/stream")
async def customer_stream(
    websocket: WebSocket,
    conversation_id: str,
    after: int = Query(0, ge=0, le=MAX_SEQ),
    ticket: str | None = Query(None, max_length=200),
) -> None:
    """Events of one conversation. Authenticate with a first frame ``{"type": "auth", "token":
    "..."}`` (or ``?ticket=``); then send ``{"type": "message", "text": ...}`` frames to write.
    The first frame sent back is a snapshot: the conversation and its messages after position
    ``after`` (a client reconnecting passes the last ``seq`` it has; events may repeat a message
    the snapshot has, so clients keep messages by id)."""
    runtime: Runtime = websocket.app.state.runtime
    desk = runtime.desk
    try:
        refuse_url_credentials(websocket, CUSTOMER_AUTH)
        await websocket.accept()
        conversation, post_key = await _authenticate_customer(websocket, runtime, conversation_id, ticket)
    except StreamRefused as refused:
        await refuse(websocket, refused)
        return
    except RelaydeskError as exc:
        await refuse(websocket, _refused(exc))
        return
    except WebSocketDisconnect:
        return
    subscription = _Subscription(
        runtime, lambda e: e.type in CUSTOMER_EVENTS, conversation_id=conversation_id
    )
    pump = asyncio.create_task(subscription.pump(websocket, public=True))
    try:
        history, position = await run_in_threadpool(
            lambda: (
                desk.history(conversation_id, after_seq=after),
                place_in_line(runtime.store, conversation),
            )
        )
        await websocket.send_json(
            {
                "type": "snapshot",
                "conversation": CustomerConversationOut.of(conversation, position).model_dump(mode="json"),
                "messages": [CustomerMessageOut.of(m).model_dump(mode="json") for m in history],
            }
        )
        while True:
            frame = await _next_frame(websocket, runtime.settings.max_body_bytes)
            await _handle_customer_frame(websocket, runtime, conversation_id, frame, post_key)
    except WebSocketDisconnect:
        pass
    finally:
        subscription.close()
        pump.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await pump


def _refused(exc: RelaydeskError) -> StreamRefused:
    return StreamRefused(status_for(exc), exc.title, exc.detail)


async def _next_frame(websocket: WebSocket, max_bytes: int) -> dict[str, Any]:
    """The next frame, a JSON object with a ``type``. A frame that is not (binary, malformed, not an
    object) is answered with an error frame and skipped, and the socket stays open; a frame over
    ``max_bytes`` closes it with 1009."""
    while True:
        message = await websocket.receive()
        if message.get("type") == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000))
        text, data = message.get("text"), message.get("bytes")
        size = len(data or b"") if text is None else len(text.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            await websocket.close(
                code=1009, reason=f"The frame is {size} bytes; the limit is {max_bytes} bytes"
            )
            raise WebSocketDisconnect(1009)
        if text is None:
            await _frame_error(websocket, "Frames must be JSON text, not binary")
            continue
        try:
            frame = json.loads(text)
        except ValueError as exc:
            await _frame_error(websocket, f"The frame is not valid JSON: {exc}")
            continue
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            await _frame_error(websocket, f'A frame must be a JSON object with a "type", got {_kind(frame)}')
            continue
        return frame


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return 'an object without a text "type"'
    return {list: "a list", str: "a text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number"
    )


async def _frame_error(websocket: WebSocket, detail: str, status_code: int = 422, **extra: Any) -> None:
    title = {429: "Too many requests", 409: "Conflict", 503: "Busy"}.get(status_code, "Invalid input")
    await websocket.send_json(error_frame(status_code, title, detail, **extra))


async def _handle_customer_frame(
    websocket: WebSocket, runtime: Runtime, conversation_id: str, frame: dict[str, Any], post_key: str
) -> None:
    if frame["type"] == "auth":
        await _frame_error(websocket, "This socket is already authenticated", 409)
        return
    if frame["type"] != "message":
        await _frame_error(
            websocket,
            f'Unknown frame type "{frame["type"][:40]}"; '
            'this stream takes {"type": "message", "text": "..."}',
        )
        return
    limiter = limiter_of(websocket)
    refusal = await limiter.run(limiter.post_refusal, post_key)
    if refusal is not None:
        await _frame_error(websocket, refusal.detail, 429, retry_after_s=refusal.retry_after_s)
        return
    gate: TurnGate | None = getattr(websocket.app.state, "turn_gate", None)
    if gate is not None and not gate.enter():  # the same limit as the HTTP post: nothing stored
        await _frame_error(websocket, gate.detail, 503, retry_after_s=gate.retry_after_s)
        return
    try:
        posted = await run_in_threadpool(
            runtime.desk.post_customer_message,
            conversation_id,
            frame.get("text"),
            idempotency_key=frame.get("idempotency_key"),
        )
    except RelaydeskError as exc:
        await _frame_error(websocket, exc.detail, status_for(exc))
        return
    finally:
        if gate is not None:
            gate.leave()
    await websocket.send_json(
        {
            "type": "ack",
            "message_id": posted.message.id,
            "replayed": not posted.created,
            "answer_pending": posted.answer_pending,
            "idempotency_key": posted.message.idempotency_key,
        }
    )


def _for_agent(event: ConversationEvent, workspace_id: str, agent_id: str) -> bool:
    """Every event of the agent's workspace, except approval offers made to someone else."""
    if event.workspace_id != workspace_id:
        return False
    return event.type != EventType.APPROVAL_ASSIGNED or event.data.get("agent_id") == agent_id


async def _authenticate_agent(websocket: WebSocket, runtime: Runtime, ticket: str | None) -> Agent:
    if ticket is not None:
        (agent_id,) = await _redeem(websocket, ticket, "agent")
        return await run_in_threadpool(runtime.store.get_agent, agent_id)
    key = await first_auth_frame(websocket, runtime.settings.max_body_bytes)
    limiter = limiter_of(websocket)
    address = limiter.client_address(websocket.scope)
    refusal = await limiter.run(limiter.agent_key_refusal, address, key) if key else None
    if refusal is not None:
        raise StreamRefused(429, "Too many requests", refusal.detail, retry_after_s=refusal.retry_after_s)
    try:
        return await run_in_threadpool(agent_from_key, runtime, key)
    except Unauthenticated:
        await limiter.run(limiter.wrong_key, address)
        raise


@router.websocket("/v1/agent/stream")
async def agent_stream(websocket: WebSocket, ticket: str | None = Query(None, max_length=200)) -> None:
    """Every event of the agent's workspace: new conversations, queue changes, messages; and the
    approval tasks offered to this agent (``approval.assigned``). A ``conversation.assigned`` event
    for this agent carries the handoff brief (``brief``, as GET .../brief gives it). Authenticate
    with a first frame ``{"type": "auth", "token": "<API key>"}`` (or ``?ticket=``)."""
    runtime: Runtime = websocket.app.state.runtime
    try:
        refuse_url_credentials(websocket, AGENT_AUTH)
        await websocket.accept()
        agent = await _authenticate_agent(websocket, runtime, ticket)
    except StreamRefused as refused:
        await refuse(websocket, refused)
        return
    except RelaydeskError as exc:
        await refuse(websocket, _refused(exc))
        return
    except WebSocketDisconnect:
        return
    subscription = _Subscription(runtime, lambda e: _for_agent(e, agent.workspace_id, agent.id))

    def brief_of_assignment(event: ConversationEvent) -> dict[str, Any]:
        """A conversation assigned to this agent arrives with its handoff brief (``brief``)."""
        if event.type != EventType.CONVERSATION_ASSIGNED or event.data.get("assigned_agent_id") != agent.id:
            return {}
        try:
            brief = runtime.desk.brief(agent, event.conversation_id)
        except RelaydeskError:  # gone or moved meanwhile: the console fetches it when opened
            return {}
        return {"brief": HandoffBriefOut.of(brief).model_dump(mode="json")}

    pump = asyncio.create_task(subscription.pump(websocket, brief_of_assignment))
    try:
        queue = await run_in_threadpool(runtime.desk.queue, agent)
        await websocket.send_json(
            {"type": "snapshot", "queue": [ConversationOut.of(c).model_dump(mode="json") for c in queue]}
        )
        while True:  # the agent side writes over REST: every frame is answered with an error frame
            frame = await _next_frame(websocket, runtime.settings.max_body_bytes)
            await _frame_error(
                websocket,
                f'The agent stream takes no "{frame["type"][:40]}" frames; act through the REST API',
            )
    except WebSocketDisconnect:
        pass
    finally:
        subscription.close()
        pump.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await pump
