"""Similar-case search: past conversations like the one in front of an agent, and how they ended.

Triage embeds every customer message once (:attr:`TriageResult.embedding`); the same vector feeds
knowledge retrieval and, through :meth:`SimilarCaseFinder.record`, this index. A conversation's
place is the sum of the unit vectors of its first few requests (greetings, "yes" and "thanks" do not
count), so the case is found by what the customer came for, not by how the chat ended.

A search ranks every stored case of the workspace by cosine similarity, keeps those at or above
``min_similarity``, and returns the best resolved ones with their resolution note, who resolved
them, and the customer's first request. Personal data (emails, phones, cards, addresses) is masked
in everything returned: an agent looking at another customer's case does not need it.

The vectors of a workspace stay in memory as one matrix per embedding model. Each search first
reads the rows changed since the last one (an indexed query), so several processes sharing one
database all see new cases. Brute-force search over 10,000 cases takes a few milliseconds; see
``benchmarks/similar_cases.py``.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import numpy as np

from relaydesk.domain.errors import InvalidInput
from relaydesk.domain.models import Conversation, ConversationStatus
from relaydesk.domain.ports import CaseRecord, CaseVector, CaseVectors, Embedder
from relaydesk.domain.signals import TriageResult
from relaydesk.triage.pii import mask_pii

log = logging.getLogger(__name__)

MIN_SIMILARITY = 0.5
"""Cosine similarity below which a past case is not shown (see docs/similar-cases.md)."""
MAX_MESSAGES = 3
"""Customer requests summed into a conversation's vector: the problem is stated early."""
MIN_WORDS = 3
MAX_LIMIT = 50
EXCERPT_CHARS = 300
INTENT_CONFIDENCE = 0.5
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True, slots=True)
class SimilarCase:
    """One past conversation found by a search, with personal data masked."""

    conversation_id: str
    similarity: float
    status: str
    subject: str | None
    intent: str | None
    request: str
    """The customer's first message (masked, cut to 300 characters)."""
    escalation_reason: str | None
    resolved_at: datetime | None
    resolved_by: str | None
    resolution_note: str | None
    same_customer: bool
    """The case belongs to the customer of the conversation searched from."""


def counts_as_request(text: str) -> bool:
    """Whether a customer message says enough to place the conversation (three words or more)."""
    return len(_WORD.findall(text or "")) >= MIN_WORDS


class _WorkspaceIndex:
    """The unit vectors of one workspace's cases for one model, refreshed incrementally."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._reset(0)

    def _reset(self, width: int) -> None:
        self.ids: list[str] = []
        self.rows: dict[str, int] = {}
        self.intents: list[str | None] = []
        self._store = np.zeros((0, width), dtype=np.float32)
        self.watermark: datetime | None = None

    @property
    def matrix(self) -> np.ndarray:
        """One unit row per case, in ``ids`` order."""
        return self._store[: len(self.ids)]

    def merge(self, changed: list[CaseVector]) -> None:
        if not changed:
            return
        width = changed[0].vector.shape[0]
        if self._store.shape[1] != width:
            self._reset(width)  # first load, or the model changed width
        new = sum(1 for c in dict.fromkeys(c.conversation_id for c in changed) if c not in self.rows)
        needed = len(self.ids) + new
        if needed > len(self._store):  # grow by doubling, so adding cases one by one stays cheap
            grown = np.zeros((max(needed, 2 * len(self._store), 64), width), dtype=np.float32)
            grown[: len(self.ids)] = self.matrix
            self._store = grown
        for case in changed:
            if case.vector.shape[0] != width:
                continue
            row = self.rows.get(case.conversation_id)
            if row is None:
                row = self.rows[case.conversation_id] = len(self.ids)
                self.ids.append(case.conversation_id)
                self.intents.append(None)
            norm = float(np.linalg.norm(case.vector))
            self._store[row] = case.vector / norm if norm > 0 else 0.0
            self.intents[row] = case.intent
        self.watermark = max(c.updated_at for c in changed)


class SimilarCaseFinder:
    """Records conversations' vectors as triage makes them, and finds similar resolved cases."""

    def __init__(
        self,
        store: CaseVectors,
        embedder: Embedder | None,
        *,
        min_similarity: float = MIN_SIMILARITY,
        max_messages: int = MAX_MESSAGES,
    ) -> None:
        if not -1.0 <= min_similarity <= 1.0:
            raise InvalidInput(f"min_similarity must be between -1 and 1, not {min_similarity}")
        self.store = store
        self.embedder = embedder
        self.min_similarity = min_similarity
        self.max_messages = max_messages
        self._indexes: dict[tuple[str, str], _WorkspaceIndex] = {}
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str | None:
        return getattr(self.embedder, "model_id", None)

    # -- recording --------------------------------------------------------------------------------
    def record(self, conversation: Conversation, text: str, triage: TriageResult) -> bool:
        """Add a triaged customer message to its conversation's vector. Returns whether it counted."""
        if triage.embedding is None or self.model_id is None or not counts_as_request(text):
            return False
        intent = triage.intent if triage.in_scope and triage.confidence >= INTENT_CONFIDENCE else None
        return self.store.add_to_case(
            conversation.id,
            conversation.workspace_id,
            self.model_id,
            np.asarray(triage.embedding, dtype=np.float32),
            intent=intent,
            max_messages=self.max_messages,
        )

    def reindex(
        self,
        store: _Reindexable,
        *,
        workspace_id: str | None = None,
        batch: int = 256,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> tuple[int, int]:
        """Give every conversation without a vector from the current model one, from its stored
        customer messages (after changing the embedder, or for conversations imported from
        elsewhere). Returns ``(conversations placed, conversations looked at)``."""
        if self.embedder is None or self.model_id is None:
            raise InvalidInput("Similar-case search needs an embedder; none is configured")
        placed = seen = 0
        after = ""
        while True:
            pending = store.conversations_without_vector(
                self.model_id, after_id=after, limit=batch, workspace_id=workspace_id
            )
            if not pending:
                return placed, seen
            after = pending[-1][0]
            texts = store.customer_texts([c for c, _ in pending], per_conversation=self.max_messages)
            chosen = {
                c: [t for t in texts[c] if counts_as_request(t)][: self.max_messages] for c, _ in pending
            }
            flat = [t for c, _ in pending for t in chosen[c]]
            vectors = self.embedder.embed(flat) if flat else np.zeros((0, 0), dtype=np.float32)
            at = 0
            for conversation_id, workspace in pending:
                count = len(chosen[conversation_id])
                for vector in vectors[at : at + count]:
                    self.store.add_to_case(
                        conversation_id,
                        workspace,
                        self.model_id,
                        vector,
                        intent=None,
                        max_messages=self.max_messages,
                    )
                placed += 1 if count else 0
                at += count
            seen += len(pending)
            if on_progress:
                on_progress(placed, seen)

    # -- searching --------------------------------------------------------------------------------
    def for_conversation(self, conversation: Conversation, *, limit: int = 5) -> list[SimilarCase]:
        """Resolved cases like ``conversation`` (never itself), most similar first. Empty until the
        customer has written a request of three words or more."""
        model_id = self.model_id
        if model_id is None:
            return []
        index = self._index(conversation.workspace_id, model_id)
        with index.lock:
            row = index.rows.get(conversation.id)
            query = None if row is None else index.matrix[row].copy()
        if query is None or not np.any(query):
            return []
        return self._search(
            conversation.workspace_id,
            model_id,
            query,
            limit=limit,
            exclude=conversation.id,
            customer_id=conversation.customer_id,
        )

    def for_text(self, workspace_id: str, text: str, *, limit: int = 5) -> list[SimilarCase]:
        """Resolved cases about ``text`` (an agent's own search)."""
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput("Search text is empty")
        if self.embedder is None or self.model_id is None:
            return []
        vector = np.asarray(self.embedder.embed([text[:2000]])[0], dtype=np.float32)
        return self._search(workspace_id, self.model_id, vector, limit=limit)

    def _search(
        self,
        workspace_id: str,
        model_id: str,
        query: np.ndarray,
        *,
        limit: int,
        exclude: str | None = None,
        customer_id: str | None = None,
    ) -> list[SimilarCase]:
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
        norm = float(np.linalg.norm(query))
        if norm == 0:
            return []
        query = query / norm
        index = self._index(workspace_id, model_id)
        with index.lock:
            if not index.ids or index.matrix.shape[1] != query.shape[0]:
                return []
            scores = index.matrix @ query
            ids, intents = list(index.ids), list(index.intents)
        above = np.flatnonzero(scores >= self.min_similarity)
        order = above[np.argsort(-scores[above], kind="stable")]
        found: list[SimilarCase] = []
        batch = max(4 * limit, 20)
        for start in range(0, len(order), batch):
            candidates = [int(i) for i in order[start : start + batch] if ids[i] != exclude]
            records = self.store.case_records([ids[i] for i in candidates])
            for i in candidates:
                record = records.get(ids[i])
                if record is None or record.status != ConversationStatus.RESOLVED.value:
                    continue
                found.append(_shown(record, float(scores[i]), intents[i], customer_id))
                if len(found) == limit:
                    return found
        return found

    def _index(self, workspace_id: str, model_id: str) -> _WorkspaceIndex:
        with self._lock:
            index = self._indexes.setdefault((workspace_id, model_id), _WorkspaceIndex())
        with index.lock:
            changed = self.store.case_vectors(workspace_id, model_id, updated_since=index.watermark)
            index.merge(changed)
        return index


class _Reindexable(CaseVectors, Protocol):
    """What :meth:`SimilarCaseFinder.reindex` needs beyond the port (``SqlCaseStore`` has it)."""

    def conversations_without_vector(
        self, model_id: str, *, after_id: str = "", limit: int = 500, workspace_id: str | None = None
    ) -> list[tuple[str, str]]: ...

    def customer_texts(
        self, conversation_ids: Sequence[str], *, per_conversation: int
    ) -> dict[str, list[str]]: ...


def _shown(record: CaseRecord, similarity: float, intent: str | None, customer_id: str | None) -> SimilarCase:
    request = _masked(record.request) or ""
    if len(request) > EXCERPT_CHARS:
        request = request[: EXCERPT_CHARS - 1].rstrip() + "…"
    return SimilarCase(
        conversation_id=record.conversation_id,
        similarity=round(similarity, 4),
        status=record.status,
        subject=_masked(record.subject),
        intent=intent,
        request=request,
        escalation_reason=record.escalation_reason,
        resolved_at=record.resolved_at,
        resolved_by=record.resolved_by,
        resolution_note=_masked(record.resolution_note),
        same_customer=customer_id is not None and record.customer_id == customer_id,
    )


def _masked(text: str | None) -> str | None:
    return None if text is None else mask_pii(text).text
