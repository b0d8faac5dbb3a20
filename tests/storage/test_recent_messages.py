"""A conversation past 1,000 messages: what a turn, a brief or a timer reads is its latest part,
not the oldest 1,000 (the customer's history and the agent's transcript page through the rest)."""

from __future__ import annotations

from relaydesk.domain.models import Channel, MessageRole
from relaydesk.storage.store import SqlStore
from relaydesk.testing import make_workspace


def test_the_latest_messages_are_read_however_long_the_conversation(store: SqlStore) -> None:
    ws = make_workspace(store)
    customer = store.upsert_customer(ws.id)
    conversation = store.create_conversation(ws.id, customer.id, token="t", channel=Channel.WEB)
    with store.transaction():
        for n in range(1, 1011):
            store.add_message(conversation.id, role=MessageRole.CUSTOMER, text=f"m{n}", channel=Channel.WEB)
    recent = store.recent_messages(conversation.id)
    assert len(recent) == 1000
    assert (recent[0].seq, recent[-1].seq, recent[-1].text) == (11, 1010, "m1010")
    assert [m.seq for m in recent] == sorted(m.seq for m in recent)
    assert [m.text for m in store.recent_messages(conversation.id, limit=2)] == ["m1009", "m1010"]
    assert store.messages(conversation.id)[0].text == "m1"  # forward paging is unchanged
