"""Similar-case search: past conversations like the one in front of an agent, and how they ended.

Triage embeds every customer message once (:attr:`TriageResult.embedding`); the same vector feeds
knowledge retrieval and, through :meth:`SimilarCaseFinder.record`, this index. A conversation's
place is the sum of the unit vectors of its first few requests (greetings, openers such as "I have
a question", "yes" and "thanks" do not count), so the case is found by what the customer came for,
not by how the chat ended.

A search ranks every stored case of the workspace by cosine similarity, keeps those at or above
``min_similarity``, and returns the best resolved ones with their resolution note, who resolved
them, and the first request counted. Personal data (emails, phones, cards, addresses) is masked
in everything returned: an agent looking at another customer's case does not need it.

The vectors of a workspace stay in memory as one matrix per embedding model and width. Each search
first reads the rows changed since shortly before the newest one it has seen (an indexed query, see
``OVERLAP_S``), so several processes sharing one database see new cases at their next search;
the whole matrix is read again every ``FULL_RELOAD_S``. Ranking 10,000 cases takes a few
milliseconds; see ``benchmarks/similar_cases.py``.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import numpy as np

from relaydesk.domain.capability_types import TriageResult
from relaydesk.domain.errors import InvalidInput
from relaydesk.domain.models import Conversation, ConversationStatus, Message, utcnow
from relaydesk.domain.ports import CaseRecord, CaseVector, CaseVectors, Embedder
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
NOT_A_REQUEST = frozenset({"greeting", "thanks", "human_handoff"})
"""Intents that say nothing about the customer's problem ("hi, I have a question", "a person
please"): such messages do not place a conversation."""
OVERLAP_S = 10.0
"""Each refresh re-reads rows stamped up to this long before the previous refresh began, so a row
stamped earlier but committed later by another worker (a slower transaction) is still picked up.
Clocks further apart than this are caught by the full reload."""
FULL_RELOAD_S = 900.0
"""A workspace's matrix is read again in full this often, whatever the clocks did."""
_WORD = re.compile(r"[^\W\d_]{2,}")
_SOCIAL_WORD = re.compile(r"[a-z']+")
_STATUS_BATCH = 200


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
    agent_reply: str | None
    """The last substantial reply a person wrote to that customer (masked, cut to 300 characters):
    how a colleague put it."""
    same_customer: bool
    """The case belongs to the customer of the conversation searched from."""


_DATA = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|https?://\S+|#?\b[A-Za-z]{0,3}\d{4,}\b")


def counts_as_request(text: str) -> bool:
    """Whether a customer message says enough to place the conversation: three words or more, not
    all of them social ("hi, can you help me with something?" says nothing about the problem)."""
    from relaydesk.specialists.smalltalk import OPENER_WORDS

    text = _DATA.sub(" ", text or "")  # an e-mail or an order id alone answers a question, asks nothing
    if len(_WORD.findall(text)) < MIN_WORDS:
        return False
    words = _SOCIAL_WORD.findall(text.lower().replace("\u2019", "'"))
    return not all(word in OPENER_WORDS for word in words)


class _WorkspaceIndex:
    """The unit vectors of one workspace's cases for one model and width, refreshed incrementally."""

    def __init__(self, width: int) -> None:
        self.lock = threading.Lock()
        self.width = width
        self._reset()

    def _reset(self) -> None:
        self.ids: list[str] = []
        self.rows: dict[str, int] = {}
        self.intents: list[str | None] = []
        self._store = np.zeros((0, self.width), dtype=np.float32)
        self.since: datetime | None = None
        """Rows stamped before this were all committed, and read, by an earlier refresh."""
        self.loaded_at = time.monotonic()

    @property
    def matrix(self) -> np.ndarray:
        """One unit row per case, in ``ids`` order."""
        return self._store[: len(self.ids)]

    def refresh(self, read: Callable[[datetime | None], list[CaseVector]]) -> None:
        """Merge the rows stamped since ``OVERLAP_S`` before the previous refresh began, or all rows
        when the index was never loaded or is due a full reload.

        A row is stamped before its transaction commits, so a slow transaction of another worker
        can land a row stamped earlier than rows already read. Any transaction shorter than
        ``OVERLAP_S`` that stamped a row before ``start - OVERLAP_S`` had committed when this read
        began, so the next read may start there."""
        if self.since is not None and time.monotonic() - self.loaded_at > FULL_RELOAD_S:
            self._reset()
        started = utcnow()
        self.merge(read(self.since))
        bound = started - timedelta(seconds=OVERLAP_S)
        self.since = bound if self.since is None else max(self.since, bound)

    def merge(self, changed: list[CaseVector]) -> None:
        changed = [c for c in changed if c.vector.shape == (self.width,)]
        if not changed:
            return
        new = sum(1 for c in dict.fromkeys(c.conversation_id for c in changed) if c not in self.rows)
        needed = len(self.ids) + new
        if needed > len(self._store):  # grow by doubling, so adding cases one by one stays cheap
            grown = np.zeros((max(needed, 2 * len(self._store), 64), self.width), dtype=np.float32)
            grown[: len(self.ids)] = self.matrix
            self._store = grown
        for case in changed:
            row = self.rows.get(case.conversation_id)
            if row is None:
                row = self.rows[case.conversation_id] = len(self.ids)
                self.ids.append(case.conversation_id)
                self.intents.append(None)
            norm = float(np.linalg.norm(case.vector))
            self._store[row] = case.vector / norm if norm > 0 else 0.0
            self.intents[row] = case.intent


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
        self._indexes: dict[tuple[str, str, int], _WorkspaceIndex] = {}
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str | None:
        return getattr(self.embedder, "model_id", None)

    @property
    def dimension(self) -> int | None:
        width = getattr(self.embedder, "dimension", None)
        return int(width) if isinstance(width, int) and width > 0 else None

    # -- recording --------------------------------------------------------------------------------
    def record(self, conversation: Conversation, message: Message, triage: TriageResult) -> bool:
        """Add a triaged customer message to its conversation's vector. Returns whether it counted:
        greetings, thanks, asks for a person and messages of fewer than three words do not."""
        if triage.embedding is None or self.model_id is None or not counts_as_request(message.text):
            return False
        if triage.wants_human or (triage.intent in NOT_A_REQUEST and triage.confidence >= INTENT_CONFIDENCE):
            return False
        intent = triage.intent if triage.in_scope and triage.confidence >= INTENT_CONFIDENCE else None
        return self.store.add_to_case(
            conversation.id,
            conversation.workspace_id,
            self.model_id,
            np.asarray(triage.embedding, dtype=np.float32),
            seq=message.seq,
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
        elsewhere). Returns ``(conversations placed, conversations looked at)``. Messages are
        cleaned and cut as triage does, so the vectors match the ones triage would have made."""
        from relaydesk.triage.message_triage import MODEL_CHARS, clean_message

        if self.embedder is None or self.model_id is None or self.dimension is None:
            raise InvalidInput("Similar-case search needs an embedder; none is configured")
        placed = seen = 0
        after = ""
        while True:
            pending = store.conversations_without_vector(
                self.model_id, self.dimension, after_id=after, limit=batch, workspace_id=workspace_id
            )
            if not pending:
                return placed, seen
            after = pending[-1][0]
            texts = store.customer_texts([c for c, _ in pending], per_conversation=self.max_messages)
            chosen = {
                c: [(q, t) for q, t in texts[c] if counts_as_request(t)][: self.max_messages]
                for c, _ in pending
            }
            flat = [clean_message(t)[0][:MODEL_CHARS] or " " for c, _ in pending for _, t in chosen[c]]
            vectors = self.embedder.embed(flat) if flat else np.zeros((0, self.dimension), dtype=np.float32)
            at = 0
            for conversation_id, workspace in pending:
                for (seq, _), vector in zip(chosen[conversation_id], vectors[at:], strict=False):
                    self.store.add_to_case(
                        conversation_id,
                        workspace,
                        self.model_id,
                        vector,
                        seq=seq,
                        intent=None,
                        max_messages=self.max_messages,
                    )
                placed += 1 if chosen[conversation_id] else 0
                at += len(chosen[conversation_id])
            seen += len(pending)
            if on_progress:
                on_progress(placed, seen)

    # -- searching --------------------------------------------------------------------------------
    def for_conversation(self, conversation: Conversation, *, limit: int = 5) -> list[SimilarCase]:
        """Resolved cases like ``conversation`` (never itself), most similar first. Empty until the
        customer has written a request of three words or more."""
        model_id, dimension = self.model_id, self.dimension
        if model_id is None or dimension is None:
            return []
        index = self._index(conversation.workspace_id, model_id, dimension)
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
        if self.embedder is None or self.model_id is None or self.dimension is None:
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
        index = self._index(workspace_id, model_id, query.shape[0])
        with index.lock:
            if not index.ids:
                return []
            scores = index.matrix @ query
            ids, intents = list(index.ids), list(index.intents)
        above = np.flatnonzero(scores >= self.min_similarity)
        order = [int(i) for i in above[np.argsort(-scores[above], kind="stable")] if ids[int(i)] != exclude]
        # Only resolved conversations are shown, and most similar ones may still be open: check
        # status for a slice of the ranking at a time, in one query each.
        chosen: list[int] = []
        for start in range(0, len(order), _STATUS_BATCH):
            part = order[start : start + _STATUS_BATCH]
            resolved = self.store.resolved_among([ids[i] for i in part])
            chosen.extend(i for i in part if ids[i] in resolved)
            if len(chosen) >= limit:
                break
        chosen = chosen[:limit]
        records = self.store.case_records([ids[i] for i in chosen]) if chosen else {}
        return [
            _shown(records[ids[i]], float(scores[i]), intents[i], customer_id)
            for i in chosen
            if ids[i] in records and records[ids[i]].status == ConversationStatus.RESOLVED.value
        ]

    def _index(self, workspace_id: str, model_id: str, dimension: int) -> _WorkspaceIndex:
        with self._lock:
            index = self._indexes.get((workspace_id, model_id, dimension))
            if index is None:
                index = self._indexes[(workspace_id, model_id, dimension)] = _WorkspaceIndex(dimension)
        with index.lock:
            index.refresh(
                lambda since: self.store.case_vectors(workspace_id, model_id, dimension, updated_since=since)
            )
        return index


class _Reindexable(CaseVectors, Protocol):
    """What :meth:`SimilarCaseFinder.reindex` needs beyond the port (``SqlCaseStore`` has it)."""

    def conversations_without_vector(
        self,
        model_id: str,
        dimension: int,
        *,
        after_id: str = "",
        limit: int = 500,
        workspace_id: str | None = None,
    ) -> list[tuple[str, str]]: ...

    def customer_texts(
        self, conversation_ids: Sequence[str], *, per_conversation: int
    ) -> dict[str, list[tuple[int, str]]]: ...


def _shown(record: CaseRecord, similarity: float, intent: str | None, customer_id: str | None) -> SimilarCase:
    request = _excerpt(_masked(record.request)) or ""
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
        agent_reply=_excerpt(_masked(record.agent_reply)),
        same_customer=customer_id is not None and record.customer_id == customer_id,
    )


def _excerpt(text: str | None) -> str | None:
    if text is None or len(text) <= EXCERPT_CHARS:
        return text
    return text[: EXCERPT_CHARS - 1].rstrip() + "…"


ORDER_NUMBER = re.compile(r"#?\b[Ww]\d{7}\b")
GREETING_NAME = re.compile(r"\b(Hi|Hello|Hey|Dear|Thanks|Thank you)\s+[A-Z][a-z'-]+")


def _masked(text: str | None) -> str | None:
    """Personal data masked, and what would tie another customer's words to them if an agent
    inserted them in a reply: their order numbers and the name they were greeted by."""
    if text is None:
        return None
    masked = mask_pii(text).text
    masked = ORDER_NUMBER.sub("[order]", masked)
    return GREETING_NAME.sub(lambda m: f"{m.group(1)} [name]", masked)
