"""WebSocket streams: a customer follows (and writes to) one conversation; an agent follows the workspace."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Query, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from relaydesk.api.deps import agent_from_key
from relaydesk.api.errors import status_for
from relaydesk.api.schemas import ConversationOut, HandoffBriefOut, MessageOut
from relaydesk.domain.errors import RelaydeskError
from relaydesk.domain.events import ConversationEvent, EventType
from relaydesk.services.runtime import Runtime

router = APIRouter(tags=["streams"])


def _close_code(exc: RelaydeskError) -> int:
    return 4000 + status_for(exc)  # 4401, 4403, 4404, ...


async def _refuse(websocket: WebSocket, exc: RelaydeskError) -> None:
    await websocket.accept()
    await websocket.send_json(
        {"type": "error", "status": status_for(exc), "title": exc.title, "detail": exc.detail}
    )
    await websocket.close(code=_close_code(exc))


class _Subscription:
    """Bridges bus events (any thread) into this connection's asyncio queue."""

    def __init__(self, runtime: Runtime, accept: Callable[[ConversationEvent], bool]) -> None:
        self.queue: asyncio.Queue[ConversationEvent] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        def handler(event: ConversationEvent) -> None:
            if accept(event):
                loop.call_soon_threadsafe(self.queue.put_nowait, event)

        self._unsubscribe = runtime.bus.subscribe(handler)

    async def pump(
        self, websocket: WebSocket, extra: Callable[[ConversationEvent], dict[str, Any]] | None = None
    ) -> None:
        """Send each event; ``extra`` (run in a worker thread) adds fields to an event's frame."""
        while True:
            event = await self.queue.get()
            payload = event.to_dict()
            added = await run_in_threadpool(extra, event) if extra is not None else {}
            await websocket.send_json({**payload, **added, "type": "event", "event": payload["type"]})

    def close(self) -> None:
        self._unsubscribe()


@router.websocket("/v1/conversations/{conversation_id}/stream")
async def customer_stream(
    websocket: WebSocket,
    conversation_id: str,
    token: str | None = Query(None),
    after: int = Query(0, ge=0),
) -> None:
    """Events of one conversation; send ``{"type": "message", "text": ...}`` frames to write.
    The first frame is a snapshot: the conversation and its messages after position ``after`` (a
    client reconnecting passes the last ``seq`` it has; events may repeat a message the snapshot
    has, so clients keep messages by id)."""
    runtime: Runtime = websocket.app.state.runtime
    desk = runtime.desk
    try:
        conversation = await run_in_threadpool(desk.authorize_customer, conversation_id, token)
    except RelaydeskError as exc:
        await _refuse(websocket, exc)
        return
    await websocket.accept()
    subscription = _Subscription(runtime, lambda e: e.conversation_id == conversation_id)
    pump = asyncio.create_task(subscription.pump(websocket))
    try:
        history = await run_in_threadpool(lambda: desk.history(conversation_id, after_seq=after))
        await websocket.send_json(
            {
                "type": "snapshot",
                "conversation": ConversationOut.of(conversation).model_dump(mode="json"),
                "messages": [MessageOut.of(m).model_dump(mode="json") for m in history],
            }
        )
        while True:
            frame = await _next_frame(websocket)
            await _handle_customer_frame(websocket, runtime, conversation_id, frame)
    except WebSocketDisconnect:
        pass
    finally:
        subscription.close()
        pump.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await pump


async def _next_frame(websocket: WebSocket) -> Any:
    """The next frame as JSON; a frame that is not JSON text (binary, malformed) is answered with
    an error frame and skipped, and the socket stays open."""
    while True:
        message = await websocket.receive()
        if message.get("type") == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000))
        text = message.get("text")
        if text is None:
            await _frame_error(websocket, "Frames must be JSON text, not binary")
            continue
        try:
            return json.loads(text)
        except ValueError as exc:
            await _frame_error(websocket, f"The frame is not valid JSON: {exc}")


async def _frame_error(websocket: WebSocket, detail: str) -> None:
    await websocket.send_json({"type": "error", "status": 422, "title": "Invalid input", "detail": detail})


async def _handle_customer_frame(
    websocket: WebSocket, runtime: Runtime, conversation_id: str, frame: Any
) -> None:
    if not isinstance(frame, dict) or frame.get("type") != "message":
        await websocket.send_json(
            {
                "type": "error",
                "status": 422,
                "title": "Invalid input",
                "detail": 'Frames must be {"type": "message", "text": "..."}',
            }
        )
        return
    try:
        posted = await run_in_threadpool(
            runtime.desk.post_customer_message,
            conversation_id,
            frame.get("text"),
            idempotency_key=frame.get("idempotency_key"),
        )
    except RelaydeskError as exc:
        await websocket.send_json(
            {"type": "error", "status": status_for(exc), "title": exc.title, "detail": exc.detail}
        )
        return
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


@router.websocket("/v1/agent/stream")
async def agent_stream(websocket: WebSocket, api_key: str | None = Query(None)) -> None:
    """Every event of the agent's workspace: new conversations, queue changes, messages; and the
    approval tasks offered to this agent (``approval.assigned``). A ``conversation.assigned`` event
    for this agent carries the handoff brief (``brief``, as GET .../brief gives it)."""
    runtime: Runtime = websocket.app.state.runtime
    try:
        agent = await run_in_threadpool(agent_from_key, runtime, api_key)
    except RelaydeskError as exc:
        await _refuse(websocket, exc)
        return
    await websocket.accept()
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
        while True:  # the agent side writes over REST; frames are read only to see the socket close
            if (await websocket.receive()).get("type") == "websocket.disconnect":
                break
    except WebSocketDisconnect:
        pass
    finally:
        subscription.close()
        pump.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await pump
