"""A card number sent in chat is cut to its last four digits before anything is stored."""

from __future__ import annotations

from sqlalchemy import MetaData, select

from relaydesk.domain.models import MessageRole
from relaydesk.services.runtime import Runtime, build_runtime
from relaydesk.settings import Settings
from relaydesk.testing import make_agent, make_workspace

CARD = "4111 1111 1111 1111"  # a Luhn-valid test number
NOT_A_CARD = "4111 1111 1111 1112"  # same shape, fails the Luhn check: an order or tracking number


def _start(runtime: Runtime, subject: str | None = None) -> str:
    ws = make_workspace(runtime.store, slug="cards")
    make_agent(runtime.store, ws)
    return runtime.desk.start_conversation("cards", subject=subject).conversation.id


def _agent(runtime: Runtime, conv_id: str):  # type: ignore[no-untyped-def]
    return runtime.store.list_agents(runtime.store.get_conversation(conv_id).workspace_id)[0]


def _everything_stored(runtime: Runtime) -> str:
    """Every row of every table, as text."""
    meta = MetaData()
    meta.reflect(runtime.store.engine)
    with runtime.store.engine.connect() as conn:
        return "\n".join(repr(conn.execute(select(table)).all()) for table in meta.sorted_tables)


def test_the_full_number_is_never_stored_and_the_customer_is_told(runtime: Runtime) -> None:
    conv_id = _start(runtime)
    text = f"my card {CARD} was charged twice for order #W2378156"
    posted = runtime.desk.post_customer_message(conv_id, text)
    assert posted.message.text == "my card [card ending 1111] was charged twice for order #W2378156"
    assert posted.message.metadata["redacted"] == {"card": 1}
    notice = posted.replies[0]
    assert notice.role == MessageRole.SYSTEM and notice.metadata["event"] == "card_number_redacted"
    assert "last four digits" in notice.text
    stored = _everything_stored(runtime)
    assert CARD not in stored and CARD.replace(" ", "") not in stored
    assert "[card ending 1111]" in stored


def test_numbers_that_fail_the_luhn_check_are_kept_and_no_notice_is_sent(runtime: Runtime) -> None:
    conv_id = _start(runtime)
    posted = runtime.desk.post_customer_message(conv_id, f"tracking number {NOT_A_CARD}")
    assert NOT_A_CARD in posted.message.text
    assert "redacted" not in posted.message.metadata
    assert all(m.metadata.get("event") != "card_number_redacted" for m in posted.replies)


def test_a_retry_with_the_same_idempotency_key_is_a_replay_with_the_notice(runtime: Runtime) -> None:
    conv_id = _start(runtime)
    first = runtime.desk.post_customer_message(conv_id, f"card {CARD}", idempotency_key="k1")
    again = runtime.desk.post_customer_message(conv_id, f"card {CARD}", idempotency_key="k1")
    assert again.created is False and again.message.id == first.message.id
    assert [m.id for m in again.replies] == [m.id for m in first.replies]
    assert again.replies[0].metadata["event"] == "card_number_redacted"


def test_subjects_and_agent_notes_are_redacted(runtime: Runtime) -> None:
    conv_id = _start(runtime, subject=f"charge on {CARD}")
    assert runtime.store.get_conversation(conv_id).subject == "charge on [card ending 1111]"
    runtime.desk.post_customer_message(conv_id, "I want to talk to a human")
    agent = _agent(runtime, conv_id)
    if runtime.store.get_conversation(conv_id).assigned_agent_id != agent.id:
        runtime.desk.claim(agent, conv_id)
    runtime.desk.resolve(agent, conv_id, note=f"refunded the charge on {CARD}")
    stored = _everything_stored(runtime)
    assert CARD not in stored and "refunded the charge on [card ending 1111]" in stored


def test_an_agent_reply_is_redacted_too(runtime: Runtime) -> None:
    conv_id = _start(runtime)
    runtime.desk.post_customer_message(conv_id, "I want to talk to a human")
    agent = _agent(runtime, conv_id)
    if runtime.store.get_conversation(conv_id).assigned_agent_id != agent.id:
        runtime.desk.claim(agent, conv_id)
    reply = runtime.desk.agent_reply(agent, conv_id, f"I see the card {CARD.replace(' ', '-')} on file")
    assert reply.text == "I see the card [card ending 1111] on file"


def test_redaction_can_be_turned_off(settings: Settings) -> None:
    runtime = build_runtime(settings.model_copy(update={"redact_card_numbers": False}))
    try:
        conv_id = _start(runtime)
        posted = runtime.desk.post_customer_message(conv_id, f"my card {CARD}")
        assert CARD in posted.message.text
        assert all(m.role != MessageRole.SYSTEM for m in posted.replies)
    finally:
        runtime.close()
