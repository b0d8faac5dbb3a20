"""The agent console, in a real browser: the queue lists every waiting conversation, marking the
ones that do not fit the agent ("German — not your language"), and Take next says why it found
nothing instead of "nothing in the queue"."""

from __future__ import annotations

from typing import Any

from relaydesk.domain.models import AgentStatus, ConversationStatus, utcnow
from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_agent, make_workspace
from tests.conftest import LiveServer
from tests.web.test_console import _sign_in


def test_the_queue_marks_what_does_not_fit_and_take_next_says_why(
    runtime: Runtime, page: Any, live_server: LiveServer
) -> None:
    ws = make_workspace(runtime.store, slug="queue-fit")
    make_agent(runtime.store, ws, name="Theo", languages=("en", "de"), status=AgentStatus.AWAY)
    maya = make_agent(runtime.store, ws, name="Maya", languages=("en", "fr"), status=AgentStatus.AWAY)
    customer = runtime.store.upsert_customer(ws.id, external_id="jonas", name="Jonas Berg", language="de")
    german = runtime.store.create_conversation(ws.id, customer.id, token="t", channel="web", language="de")  # type: ignore[arg-type]
    runtime.store.transition(
        german.id, expected=[ConversationStatus.WITH_AI], to=ConversationStatus.QUEUED, queued_at=utcnow()
    )

    _sign_in(page, live_server, maya)
    item = f"#queue button.item.not-yours[data-id='{german.id}']"
    page.wait_for_selector(f"{item} .not-for-you:has-text('German — not your language')")
    label = page.get_attribute(item, "aria-label") or ""
    assert label.endswith("(German — not your language)")
    assert "writes in German" not in page.inner_text(item)  # said once

    page.click("#take-next")
    page.wait_for_selector(
        "#notice:has-text('1 conversation is waiting, not in a language you speak (German).')"
    )
    assert runtime.store.get_conversation(german.id).status == ConversationStatus.QUEUED
    assert page.input_value("#presence") == "away"  # took nothing: still away


def test_take_next_says_when_the_customer_writes_a_language_the_agent_does_not(
    runtime: Runtime, page: Any, live_server: LiveServer
) -> None:
    # walkthrough: after waiting past the routing rules' relax time a Spanish case went to an agent
    # who reads English and French, who was told only "You took the next conversation."
    from datetime import timedelta

    ws = make_workspace(runtime.store, slug="queue-relaxed")
    maya = make_agent(runtime.store, ws, name="Maya", languages=("en", "fr"), status=AgentStatus.AWAY)
    customer = runtime.store.upsert_customer(ws.id, external_id="ana", name="Ana Ruiz", language="es")
    spanish = runtime.store.create_conversation(ws.id, customer.id, token="t", channel="web", language="es")  # type: ignore[arg-type]
    runtime.store.transition(
        spanish.id,
        expected=[ConversationStatus.WITH_AI],
        to=ConversationStatus.QUEUED,
        queued_at=utcnow() - timedelta(hours=1),  # long past any relax time
    )
    _sign_in(page, live_server, maya)
    page.click("#take-next")
    page.wait_for_selector("#notice:has-text('The customer writes Spanish, not one of your languages')")
    assert runtime.store.get_conversation(spanish.id).assigned_agent_id == maya.agent.id
