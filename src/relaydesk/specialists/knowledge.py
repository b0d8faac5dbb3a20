"""The knowledge responder: answers from the workspace's knowledge base with citations, or abstains
with ``missing knowledge`` so the orchestrator can escalate.

A workspace with no sources at all abstains with ``no knowledge base`` instead (the fallback replies
and nothing escalates for that alone); a failing store abstains with ``knowledge base unavailable``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from relaydesk.domain.capability_types import Citation, ConversationContext, ResponderReply, TriageResult
from relaydesk.domain.errors import RelaydeskError
from relaydesk.domain.models import Message
from relaydesk.knowledge.base import KnowledgeBases
from relaydesk.knowledge.compose import MISSING_KNOWLEDGE

log = logging.getLogger(__name__)

NO_KNOWLEDGE_BASE = "no knowledge base"
UNAVAILABLE = "knowledge base unavailable"


class KnowledgeResponder:
    """A ``Responder`` that answers from knowledge; its confidence and threshold go into ``reasons``."""

    name = "knowledge"
    version = "knowledge-1"

    def __init__(self, bases: KnowledgeBases | Callable[[], KnowledgeBases]) -> None:
        self._bases = bases

    def _knowledge_bases(self) -> KnowledgeBases:
        if isinstance(self._bases, KnowledgeBases):
            return self._bases
        self._bases = self._bases()
        return self._bases

    def respond(self, message: Message, triage: TriageResult, context: ConversationContext) -> ResponderReply:
        try:
            base = self._knowledge_bases().get(context.conversation.workspace_id)
            if base.is_empty():
                # A workspace without content has not set knowledge up: not a gap to escalate.
                return self._abstain(
                    0.0, ("the workspace has no knowledge base yet",), reason=NO_KNOWLEDGE_BASE
                )
            answer = base.answer(message.text, query_vector=triage.embedding)
        except RelaydeskError as exc:
            log.warning("knowledge base unavailable: %s", exc.detail)
            return self._abstain(0.0, (f"knowledge base unavailable: {exc.detail}",), reason=UNAVAILABLE)
        except Exception as exc:  # e.g. tables not migrated yet: never break the conversation
            log.exception("knowledge base failed")
            return self._abstain(0.0, (f"knowledge base failed ({type(exc).__name__})",), reason=UNAVAILABLE)
        decision = (
            f"knowledge {'answer' if answer.answered else 'abstain'}: confidence {answer.confidence:.3f}, "
            f"threshold {answer.threshold:.2f}, composer {answer.composer}"
        )
        if not answer.answered:
            return self._abstain(answer.confidence, (decision, *answer.reasons))
        return ResponderReply(
            text=answer.text,
            responder=self.name,
            resolved=True,
            confidence=answer.confidence,
            citations=tuple(Citation(c.title, c.url, c.text) for c in answer.citations),
            reasons=(decision, *answer.reasons),
            version=self.version,
        )

    def _abstain(
        self, confidence: float, reasons: tuple[str, ...], reason: str = MISSING_KNOWLEDGE
    ) -> ResponderReply:
        return ResponderReply(
            text=None,
            responder=self.name,
            confidence=confidence,
            abstain_reason=reason,
            reasons=reasons,
            version=self.version,
        )
