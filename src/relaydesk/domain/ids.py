"""Typed identifiers. All ids are opaque strings (uuid4 hex with a readable prefix)."""

from __future__ import annotations

import uuid
from typing import NewType

WorkspaceId = NewType("WorkspaceId", str)
CustomerId = NewType("CustomerId", str)
ConversationId = NewType("ConversationId", str)
MessageId = NewType("MessageId", str)
AgentId = NewType("AgentId", str)
DecisionId = NewType("DecisionId", str)


def new_id(prefix: str) -> str:
    """A new id such as ``conv_3f2a...``: the prefix says what it names."""
    return f"{prefix}_{uuid.uuid4().hex}"
