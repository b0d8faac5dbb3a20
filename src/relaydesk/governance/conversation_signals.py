"""What the implicit and time triggers read from a conversation's history."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from relaydesk.dialogue.acts import social_act
from relaydesk.domain.capability_types import ConversationContext
from relaydesk.domain.models import Message, MessageRole

OFFER_METADATA_KEY = "escalation_offer"
"""An AI message that offered a person carries ``{"escalation_offer": true}`` in its metadata."""

WORD = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "i",
        "me",
        "my",
        "we",
        "our",
        "you",
        "your",
        "it",
        "its",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "am",
        "do",
        "does",
        "did",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "and",
        "or",
        "but",
        "so",
        "with",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "what",
        "how",
        "can",
        "could",
        "would",
        "should",
        "will",
        "please",
        "hi",
        "hello",
        "hey",
        "just",
        "still",
        "again",
        "already",
    ]
)
DECLINE = re.compile(
    r"^\W*(no|nope|nah|not now|not yet|not needed|no need|i'?m (fine|ok|okay|good)|"
    r"(i )?don'?t|do not|let'?s (continue|keep going)|keep going|continue|"
    # Spanish, French, German, Portuguese
    r"ahora no|non|pas maintenant|pas besoin|nein|jetzt nicht|nicht n[öo]tig|n[ãa]o|agora n[ãa]o)\b",
    re.IGNORECASE,
)
ACCEPT = re.compile(
    r"^\W*(?:(?:hmm+|um+|well|oh|ah|alright|fine)\W+)*"
    r"(yes|yeah|yep|yup|sure|ok|okay|please|go ahead|connect me|do it|"
    # Spanish, French, German, Portuguese
    r"s[ií]|claro|vale|adelante|por favor|oui|volontiers|d'accord|allez-y|ja|gerne|bitte|sim|pode ser)\b",
    re.IGNORECASE,
)
PERSON = re.compile(
    r"\b(person|people|human|agent|someone|somebody|representative|rep|team|staff)\b", re.IGNORECASE
)
CONNECT = re.compile(
    r"\b(connect|transfer|put) (me|us)\b|"
    r"\bbring (in |on )?(someone|somebody|a person|a human|an agent|them)\b|"
    r"\b(talk|speak|chat) (to|with) (someone|somebody|a person|a human|an agent|them|your team)\b",
    re.IGNORECASE,
)
NEGATION = re.compile(
    r"\b(no|not|never|don'?t|do not|doesn'?t|won'?t|no need|nobody|no one)\b", re.IGNORECASE
)
QUESTION_START = re.compile(
    r"^\W*(?:(?:and|but|so|also|then|first|wait)\W+)*"
    r"(what|where|when|why|how|which|who|is|are|can|could|do|does|did|will|would|should)\b",
    re.IGNORECASE,
)
CHANGED_MIND = re.compile(r"\b(actually|on second thought|wait|hmm+),? (no|nah|not)\b", re.IGNORECASE)
"""A yes taken back in the same breath ("hmm yes... actually no, not this term")."""
YES_PLEASE = re.compile(r"^\W*(please|pls|plz)\b", re.IGNORECASE)
ORDER_REF = re.compile(r"#?\b[Ww]\d{7}\b|[\w.+-]+@[\w-]+\.[\w.]+")
JUST_YES = re.compile(
    r"^\W*((do it|go ahead|please( do)?|do|sure|ok(ay)?|why not|yes|yeah|thanks?|thank you|that would be "
    r"(great|good|nice)|sounds good|let'?s (do it|talk)|lets (do it|talk))\W*)*$",
    re.IGNORECASE,
)
"""What may follow a yes and still be nothing but a yes."""
MAX_ACCEPT_TAIL_WORDS = 3
"""Content words a "yes" may carry and still be an answer to the offer ("yes, the order is late")."""


def accepts_offer(text: str) -> bool:
    """True when ``text`` says yes to an offer of a person.

    A "yes" counts when it asks to be connected, names a person without turning it down, or adds
    a few words of detail. One followed by a question or a longer new request ("ok, and where is
    my refund?") is the customer carrying on, not an answer to the offer; so is one that turns the
    person down ("sure, I don't need anyone").
    """
    match = ACCEPT.search(text)
    if match is None:
        return False
    rest = text[match.end() :]
    if JUST_YES.match(rest):  # "ok do it", "please do", "hmm ok, why not"
        return True
    if (YES_PLEASE.match(rest) or ORDER_REF.search(rest)) and not (
        NEGATION.search(rest) or "?" in rest
    ):  # "yes please, mine stopped working", "yes. it was from order W2468135"
        return True
    connect = CONNECT.search(rest)
    if connect is not None and not NEGATION.search(rest[: connect.start()]):
        return True
    if NEGATION.search(rest):
        return False
    if "?" in rest or QUESTION_START.search(rest):
        return False
    return bool(PERSON.search(rest)) or len(content_words(rest)) <= MAX_ACCEPT_TAIL_WORDS


def content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in WORD.findall(text.lower()) if w not in STOPWORDS)


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the shorter message's words that the other one also has (0..1)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


@dataclass(frozen=True, slots=True)
class RepeatedQuestion:
    earlier: str
    similarity: float


def repeated_question(
    text: str, history: Sequence[Message], *, similarity: float, min_words: int
) -> RepeatedQuestion | None:
    """The most similar earlier customer message, when it says the same as ``text``."""
    words = content_words(text)
    if len(words) < min_words:
        return None
    best: RepeatedQuestion | None = None
    for message in history:
        if message.role != MessageRole.CUSTOMER:
            continue
        other = content_words(message.text)
        if len(other) < min_words:
            continue
        score = overlap(words, other)
        if score >= similarity and (best is None or score > best.similarity):
            best = RepeatedQuestion(message.text[:200], round(score, 3))
    return best


def since_last_agent(history: Sequence[Message]) -> Sequence[Message]:
    """The messages after a human agent last wrote (the AI's current stretch)."""
    for index in range(len(history) - 1, -1, -1):
        if history[index].role == MessageRole.AGENT:
            return history[index + 1 :]
    return history


def reopened_after_person(history: Sequence[Message]) -> str | None:
    """Who resolved the conversation when a person closed it last and the customer has written
    nothing since but thanks or goodbyes (the message being read is their first real one after
    it): the agent's name, or "a member of the team"; None otherwise (an AI resolution, a request
    since, or no resolution at all)."""
    for index in range(len(history) - 1, -1, -1):
        message = history[index]
        if message.role == MessageRole.CUSTOMER:
            if social_act(message.text) is None:
                return None
            continue  # "thanks!" after the resolution: still the person's resolution that counts
        meta = message.metadata or {}
        if message.role == MessageRole.SYSTEM and meta.get("event") == "resolved":
            if meta.get("resolution") not in (None, "agent"):
                return None  # the AI's own resolution: the AI picks it up again
            for earlier in reversed(history[:index]):
                earlier_meta = earlier.metadata or {}
                if earlier.role == MessageRole.SYSTEM and earlier_meta.get("event") == "assigned":
                    return str(earlier_meta.get("agent_name") or "a member of the team")
            return "a member of the team"
    return None


def failed_attempts(history: Sequence[Message], responders: Sequence[str]) -> int:
    """AI replies in the current stretch that failed: from a listed responder, or marked failed."""
    count = 0
    for message in since_last_agent(history):
        if message.role != MessageRole.AI:
            continue
        meta = message.metadata or {}
        if (
            meta.get("responder") in responders
            or message.author_id in responders
            or meta.get("resolution_failed")
        ):
            count += 1
    return count


def customer_messages(history: Sequence[Message]) -> int:
    return sum(1 for m in history if m.role == MessageRole.CUSTOMER)


def offers_made(history: Sequence[Message]) -> int:
    return sum(1 for m in history if m.role == MessageRole.AI and (m.metadata or {}).get(OFFER_METADATA_KEY))


def last_ai_offered(history: Sequence[Message]) -> bool:
    """True when the last thing said to the customer was the AI's offer of a person."""
    last = next((m for m in reversed(history) if m.role != MessageRole.CUSTOMER), None)
    if last is None or last.role != MessageRole.AI:
        return False
    return bool((last.metadata or {}).get(OFFER_METADATA_KEY))


def last_offer_rules(history: Sequence[Message]) -> list[str]:
    """The rules behind the AI's latest offer of a person (``sales_opportunity``...)."""
    for message in reversed(history):
        if message.role == MessageRole.AI and (message.metadata or {}).get(OFFER_METADATA_KEY):
            return [str(rule) for rule in (message.metadata or {}).get("rules") or ()]
    return []


def answer_to_offer(text: str, history: Sequence[Message]) -> str | None:
    """``accepted`` or ``declined`` when the AI's last message offered a person, else None."""
    if not last_ai_offered(history):
        return None
    if DECLINE.search(text) or CHANGED_MIND.search(text):
        return "declined"
    if accepts_offer(text):
        return "accepted"
    return None


def declined_before(history: Sequence[Message]) -> bool:
    """True when the customer turned down an earlier offer of a person."""
    offered = False
    for message in history:
        if message.role == MessageRole.AI and (message.metadata or {}).get(OFFER_METADATA_KEY):
            offered = True
        elif offered and message.role == MessageRole.CUSTOMER:
            if DECLINE.search(message.text):
                return True
            offered = False
    return False


def minutes_with_ai(context: ConversationContext) -> float:
    """Minutes since the AI's current stretch began (conversation start, or an agent's last word)."""
    now = datetime.fromtimestamp(context.now_ts, UTC) if context.now_ts else datetime.now(UTC)
    start = context.conversation.created_at
    for message in reversed(context.history):
        if message.role == MessageRole.AGENT:
            start = max(start, message.created_at)
            break
    return max(0.0, (now - start).total_seconds() / 60.0)
