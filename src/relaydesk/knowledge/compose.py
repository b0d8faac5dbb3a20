"""Answer composers: turn retrieved passages into a reply with citations, or refuse.

``ExtractiveComposer`` needs no model: it quotes the best passage, trimmed to the sentences that
match the question. ``GroundedLLMComposer`` asks an LLM to answer only from the numbered passages
and to cite them; a reply that cites nothing, or says it cannot answer, becomes an abstention.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Protocol

from relaydesk.domain.errors import RelaydeskError
from relaydesk.domain.llm_ports import LLM, ChatMessage
from relaydesk.knowledge.chunking import split_sentences
from relaydesk.knowledge.index import tokenize
from relaydesk.knowledge.types import KnowledgeAnswer, Passage

log = logging.getLogger(__name__)

MISSING_KNOWLEDGE = "missing knowledge"
MAX_ANSWER_CHARS = 600
MAX_JOINED_ANSWER_CHARS = 800
"""Two passages quoted together (paragraphs apart) may run to this."""
NO_ANSWER = "NO_ANSWER"

GROUNDED_SYSTEM_PROMPT = (
    "You are a customer support assistant. Answer the customer's question using ONLY the numbered "
    "passages you are given. After every statement, cite the passage it comes from in square "
    "brackets, like [1]. Do not add facts, policies, prices or promises that are not in the "
    f"passages. If the passages do not answer the question, reply with exactly {NO_ANSWER} and "
    "nothing else. Keep the answer short and friendly."
)


class AnswerComposer(Protocol):
    """Writes the reply from passages that already passed the confidence threshold."""

    name: str

    def compose(
        self, question: str, passages: Sequence[Passage], *, confidence: float, threshold: float
    ) -> KnowledgeAnswer: ...


def cite_line(passage: Passage) -> str:
    return f"{passage.title} ({passage.url})" if passage.url else passage.title


def trim_passage(question: str, text: str, max_chars: int = MAX_ANSWER_CHARS) -> str:
    """The run of consecutive sentences that best covers the question's words, within ``max_chars``."""
    if len(text) <= max_chars:
        return text
    sentences = split_sentences(text.replace("\n", " "))
    wanted = set(tokenize(question))
    scores = [len(wanted & set(tokenize(s))) for s in sentences]
    best: tuple[float, int, int] = (-1.0, 0, 1)
    for start in range(len(sentences)):
        length, covered = 0, set()
        for end in range(start, len(sentences)):
            length += len(sentences[end]) + 1
            if length > max_chars and end > start:
                break
            covered |= wanted & set(tokenize(sentences[end]))
            # Prefer coverage, then earlier text (articles usually lead with the answer).
            score = len(covered) + 0.01 * sum(scores[start : end + 1]) - 0.001 * start
            if score > best[0]:
                best = (score, start, end + 1)
    _, start, end = best
    trimmed = " ".join(sentences[start:end])
    if len(trimmed) > max_chars:
        trimmed = trimmed[: max_chars - 1].rsplit(" ", 1)[0] + "…"
    return trimmed


class ExtractiveComposer:
    """Quotes the best passage (trimmed) and names its article; no model needed."""

    name = "extractive"

    def compose(
        self, question: str, passages: Sequence[Passage], *, confidence: float, threshold: float
    ) -> KnowledgeAnswer:
        if not passages:
            return abstain(confidence, threshold, "no passage to quote", composer=self.name)
        best = passages[0]
        limit = MAX_JOINED_ANSWER_CHARS if "\n\n" in best.text else MAX_ANSWER_CHARS
        quoted = trim_passage(question, best.text, limit)
        text = f"{quoted}\n\nSource: {cite_line(best)}"
        return KnowledgeAnswer(
            text=text,
            confidence=confidence,
            threshold=threshold,
            citations=(Passage(best.title, best.url, quoted),),
            reasons=(f'quoted "{best.title}" (score {confidence:.2f} >= threshold {threshold:.2f})',),
            composer=self.name,
        )


def mask_personal_data(text: str) -> str:
    """``text`` with emails, phone numbers, card numbers and street addresses replaced by masks."""
    from relaydesk.triage.pii import mask_pii

    return mask_pii(text).text


class GroundedLLMComposer:
    """Asks an LLM to answer only from the passages, with [n] citations; falls back to quoting.

    The customer's question is passed through ``redact`` before it leaves for the model (by
    default personal data is masked: an answer from the help center never needs the customer's card
    number or address). The passages are sent as they are, so a support phone number or address
    written in an article can still be quoted.
    """

    def __init__(
        self,
        llm: LLM,
        fallback: AnswerComposer | None = None,
        *,
        redact: Callable[[str], str] | None = mask_personal_data,
    ) -> None:
        self.llm = llm
        self.fallback = fallback or ExtractiveComposer()
        self.redact = redact
        self.name = f"llm:{llm.model}"

    def compose(
        self, question: str, passages: Sequence[Passage], *, confidence: float, threshold: float
    ) -> KnowledgeAnswer:
        if not passages:
            return abstain(confidence, threshold, "no passage to answer from", composer=self.name)
        try:
            asked = self.redact(question) if self.redact is not None else question
            reply = self.llm.complete(grounded_messages(asked, passages)).strip()
        except RelaydeskError as exc:
            log.warning("LLM failed, quoting the best passage instead: %s", exc.detail)
            answer = self.fallback.compose(question, passages, confidence=confidence, threshold=threshold)
            return _with_reason(answer, f"LLM unavailable ({exc.detail}); quoted instead")
        if not reply or NO_ANSWER in reply.upper().replace(" ", "_"):
            return abstain(confidence, threshold, "the LLM found no answer in the passages", self.name)
        cited = sorted({int(n) for n in re.findall(r"\[(\d+)\]", reply) if 1 <= int(n) <= len(passages)})
        if not cited:
            return abstain(confidence, threshold, "the LLM reply cited no passage", self.name)
        sources = "\n".join(f"[{n}] {cite_line(passages[n - 1])}" for n in cited)
        return KnowledgeAnswer(
            text=f"{reply}\n\nSources:\n{sources}",
            confidence=confidence,
            threshold=threshold,
            citations=tuple(passages[n - 1] for n in cited),
            reasons=(f"LLM answer citing passages {cited} (score {confidence:.2f} >= {threshold:.2f})",),
            composer=self.name,
        )


def grounded_messages(question: str, passages: Sequence[Passage]) -> list[ChatMessage]:
    blocks = "\n\n".join(f"[{i}] {p.title}\n{p.text}" for i, p in enumerate(passages, start=1))
    return [
        ChatMessage("system", GROUNDED_SYSTEM_PROMPT),
        ChatMessage("user", f"Passages:\n\n{blocks}\n\nCustomer question: {question}"),
    ]


def abstain(
    confidence: float, threshold: float, reason: str, composer: str = "extractive"
) -> KnowledgeAnswer:
    return KnowledgeAnswer(
        text=None,
        confidence=confidence,
        threshold=threshold,
        abstain_reason=MISSING_KNOWLEDGE,
        reasons=(reason,),
        composer=composer,
    )


def _with_reason(answer: KnowledgeAnswer, reason: str) -> KnowledgeAnswer:
    return replace(answer, reasons=(*answer.reasons, reason))
