"""A demo desk (the demo workspace and customers, its store and help center; agents away) to play
conversations on, as a customer would."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from relaydesk.demo.seed import DEMO_CUSTOMERS, WORKSPACE_SLUG, seed_demo_team
from relaydesk.domain.models import Message
from relaydesk.services.demo_data import ingest_demo_help_center, load_demo_store
from relaydesk.services.runtime import Runtime


@pytest.fixture
def desk(runtime: Runtime) -> Runtime:
    workspace, _ = seed_demo_team(runtime)
    load_demo_store(runtime)
    assert not ingest_demo_help_center(runtime, workspace.id).failed
    return runtime


@dataclass
class Chat:
    """One customer's conversation on the demo desk."""

    runtime: Runtime
    customer: str | None = None
    conversation_id: str = ""
    replies: list[Message] = field(default_factory=list)

    def __post_init__(self) -> None:
        kwargs = {}
        if self.customer:  # who they are comes from the company's records
            known = next(c for c in DEMO_CUSTOMERS if c["external_id"] == self.customer)
            kwargs = {k: known[k] for k in ("external_id", "name", "email", "tier", "language")}
        self.conversation_id = self.runtime.desk.start_conversation(WORKSPACE_SLUG, **kwargs).conversation.id

    def say(self, text: str) -> list[Message]:
        self.replies = self.runtime.desk.post_customer_message(self.conversation_id, text).replies
        return self.replies

    @property
    def text(self) -> str:
        return "\n".join(m.text for m in self.replies)

    @property
    def status(self) -> str:
        return str(self.runtime.store.get_conversation(self.conversation_id).status)

    @property
    def conversation(self):  # type: ignore[no-untyped-def]
        return self.runtime.store.get_conversation(self.conversation_id)

    def decisions(self, kind: str) -> list:  # type: ignore[type-arg]
        return [d for d in self.runtime.store.decisions(self.conversation_id) if d.kind == kind]

    def offers(self) -> int:
        return sum(
            1 for m in self.runtime.store.messages(self.conversation_id) if m.metadata.get("escalation_offer")
        )
