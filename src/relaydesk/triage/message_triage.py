"""``MessageTriage``: the full triage of one customer message, offline, in a few milliseconds.

It embeds the message once (the vector is returned for knowledge retrieval and similar-case
search), reads the intent with the trained intent model, and adds language, urgency, entities,
personal data, frustration and an explicit request for a human. Any input, however malformed,
gets a valid :class:`TriageResult`; nothing here raises on bad text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from relaydesk.dialogue.feedback import feedback_reasons
from relaydesk.dialogue.topics import INJECTION
from relaydesk.domain.capability_types import ConversationContext, TriageResult
from relaydesk.domain.models import MessageRole
from relaydesk.domain.ports import Embedder
from relaydesk.triage.entities import extract_entities
from relaydesk.triage.glossary import GLOSSARY, to_english
from relaydesk.triage.intent.artifact import model_version
from relaydesk.triage.intent.model import IntentModel, IntentPrediction
from relaydesk.triage.intent.vectors import model_vectors
from relaydesk.triage.language import LanguageIdentifier, LanguageReading, load_language_identifier
from relaydesk.triage.person_request import REQUEST as PERSON_REQUEST
from relaydesk.triage.person_request import asks_for_person, request_guard
from relaydesk.triage.pii import find_pii
from relaydesk.triage.urgency import assess_urgency

VERSION = "message-triage-1"
MAX_CHARS = 8000
"""Longer messages are cut to this before anything reads them."""
MODEL_CHARS = 1000
"""The intent model reads at most this many characters (the embedder stops at 128 tokens anyway)."""
MODEL_LANGUAGES = frozenset({"en"})
"""Languages the bundled intent model was trained on; others get a damped confidence."""
MIN_GLOSS_COVERAGE = 0.6
"""Share of a non-English message's words the glossary must know for the models to read the gloss."""
HUMAN_INTENT = "human_handoff"
CARRIES_DATA = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|#?\b[Ww]\d{7}\b|\b\d{5}\b")
"""An e-mail, an order id or a zip code: what a customer gives when answering a question."""
EXPLICIT_HUMAN = PERSON_REQUEST
"""Words that ask for a person outright (five languages, common slips; triage/person_request.py):
honoured whatever the intent model reads."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ufeff]")
_LETTER = re.compile(r"[^\W\d_]")

FrustrationReader = Callable[[str, ConversationContext], tuple[float, tuple[str, ...]]]
"""``(text, context) -> (score 0..1, reasons)``: how frustrated the customer sounds."""


def clean_message(text: object, limit: int = MAX_CHARS) -> tuple[str, bool, float]:
    """``(printable text, truncated?, share of unreadable characters)`` for anything a channel
    may hand over: bytes, None, lone surrogates, control characters, megabytes of text."""
    if isinstance(text, bytes | bytearray):
        text = bytes(text[: limit * 4]).decode("utf-8", errors="replace")
    elif not isinstance(text, str):
        text = "" if text is None else str(text)
    truncated = len(text) > limit
    text = text[:limit].encode("utf-8", errors="replace").decode("utf-8")  # lone surrogates
    junk = len(_CONTROL.findall(text))
    junk_share = junk / len(text) if text else 0.0
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", text))
    return " ".join(text.split()), truncated, junk_share


@dataclass(frozen=True, slots=True)
class _Reading:
    """What the model-free readers found, before the intent is combined in."""

    text: str
    truncated: bool
    junk_share: float
    letters: int
    language_reading: LanguageReading
    gloss: str | None = None
    """A rough English gloss of a message in another language (triage/glossary.py), which the
    English models read instead; never shown to anyone."""

    @property
    def model_text(self) -> str:
        return (self.gloss or self.text)[:MODEL_CHARS]

    @property
    def language(self) -> str | None:
        """None when the identifier is unsure: the conversation keeps the language it had."""
        return self.language_reading.language


class MessageTriage:
    """Implements the :class:`~relaydesk.domain.ports.Triage` port."""

    def __init__(
        self,
        intents: IntentModel,
        embedder: Embedder,
        *,
        language: LanguageIdentifier | None = None,
        frustration: FrustrationReader | None = None,
        human_confidence: float = 0.6,
    ) -> None:
        self.intents = intents
        self.embedder = embedder
        self.language = language or load_language_identifier()
        self.frustration = frustration or conversation_frustration
        self.human_confidence = human_confidence
        self.version = f"{VERSION}/{model_version(intents)}"

    def analyze(self, text: str, context: ConversationContext) -> TriageResult:
        return self.analyze_many([text], [context])[0]

    def analyze_many(
        self, texts: Sequence[object], contexts: Sequence[ConversationContext | None]
    ) -> list[TriageResult]:
        """Triage several messages with one batched embedding call (imports, replays, benchmarks)."""
        readings = [self._read(text) for text in texts]
        model_texts = [r.model_text for r in readings]
        wide = model_vectors(self.intents, self.embedder, model_texts)
        predictions = self.intents.predict(model_texts, wide)
        vectors = wide[:, : self.embedder.dimension]  # the sentence vectors, shared with search
        return [
            self._result(reading, prediction, vector, context)
            for reading, prediction, vector, context in zip(
                readings, predictions, vectors, contexts, strict=True
            )
        ]

    def _read(self, raw: object) -> _Reading:
        text, truncated, junk_share = clean_message(raw)
        reading = self.language.read(text[:MODEL_CHARS])
        letters = len(_LETTER.findall(text[:MODEL_CHARS]))
        gloss = None
        if reading.language in GLOSSARY:
            english, coverage = to_english(text[:MODEL_CHARS], reading.language)
            gloss = english if coverage >= MIN_GLOSS_COVERAGE else None
        return _Reading(text, truncated, junk_share, letters, reading, gloss)

    def _result(
        self,
        reading: _Reading,
        prediction: IntentPrediction,
        vector: np.ndarray,
        context: ConversationContext | None,
    ) -> TriageResult:
        text = reading.text
        reasons: list[str] = []
        intent, confidence, in_scope = prediction.intent, prediction.confidence, prediction.in_scope
        if reading.letters < 2:
            intent, confidence, in_scope = None, min(confidence, 0.05), False
            reasons.append("no words to read")
        elif reading.junk_share > 0.2:
            intent, confidence, in_scope = None, min(confidence, 0.1), False
            reasons.append("unreadable characters")
        elif reading.gloss is not None:
            reasons.append(f"written in {reading.language}; the models read an English gloss")
        elif reading.language is not None and reading.language not in MODEL_LANGUAGES:
            # only a sure reading damps: an unsure one has no language (``reading.language`` None)
            confidence *= 0.5
            in_scope = in_scope and self.intents.accepts(prediction, confidence)
            intent = intent if in_scope else None
            reasons.append(
                f"written in {reading.language}; the intent model reads {', '.join(sorted(MODEL_LANGUAGES))}"
            )
        elif not in_scope:
            reasons.append("out of scope" if confidence >= 0.2 else "intent unclear")
        if reading.truncated:
            reasons.append(f"message cut to {MAX_CHARS} characters")

        explicit = asks_for_person(text)
        # The intent model alone is not enough when the message carries data a flow asked for
        # ("sure, mia@example.com" read as human_handoff 0.67): an answer is not a request.
        guessed = (
            intent == HUMAN_INTENT
            and confidence >= self.human_confidence
            and not CARRIES_DATA.search(text)
            and request_guard(text)
        )
        wants_human = explicit or guessed
        if wants_human:
            reasons.append("asked for a human")

        urgency = assess_urgency(text)
        reasons.extend(urgency.reasons)
        read = self.frustration if context is not None else conversation_frustration
        frustration, why = read(text, context)  # type: ignore[arg-type]
        if reading.gloss is not None:
            # the reader learnt English cues: "llevo 20 minutos esperando, esto es ridículo" reads
            # 0.05 as written and as its gloss what "… this is ridiculous" reads in English; the
            # original keeps its own cues (capitals, "!!!"), so the higher of the two counts
            glossed, glossed_why = read(reading.gloss, context)  # type: ignore[arg-type]
            if glossed > frustration:
                frustration, why = glossed, glossed_why
        reasons.extend(r for r in why if r not in reasons)
        if not INJECTION.search(text):  # "finish this sentence: Northwind is the worst..." is a trick
            reasons.extend(r for r in feedback_reasons(text) if r not in reasons)

        return TriageResult(
            intent=intent,
            confidence=float(round(confidence, 6)),
            in_scope=in_scope,
            frustration=float(frustration),
            urgency=float(urgency.score),
            language=reading.language,
            entities=extract_entities(text),
            pii=find_pii(text),
            wants_human=wants_human,
            reasons=tuple(reasons),
            embedding=tuple(float(x) for x in vector),
            version=self.version,
            extra={
                "intent_guess": prediction.best_guess,
                "alternatives": [[name, round(p, 4)] for name, p in prediction.alternatives],
                "language_confidence": round(reading.language_reading.confidence, 4),
                **_unsure_language(reading.language_reading),
                **({"gloss": reading.gloss} if reading.gloss else {}),
            },
        )


def _unsure_language(reading: LanguageReading) -> dict[str, object]:
    """``language_unsure`` (why no language was named) and lingua's ``language_guess``, for logs."""
    if reading.unsure is None:
        return {}
    return {"language_unsure": reading.unsure.value, "language_guess": reading.guess}


# --- a small rules reader, used until a trained frustration detector is plugged in ------------

_ANGRY = re.compile(
    r"\b(ridiculous|useless|terrible|awful|worst|unacceptable|pathetic|incompetent|furious|angry|"
    r"fed up|sick of|waste of (my )?time|joke|scam|rip ?off|disappointed|frustrat\w*|annoy\w*|"
    r"hate|wtf|never again)\b",
    re.IGNORECASE,
)
_ALREADY = re.compile(
    r"\b(already (tried|did|done|told|said|asked|sent)|i('ve| have) tried|(didn'?t|doesn'?t|did not|"
    r"does not) (work|help)|still (not|no|waiting|broken)|as i (said|told you)|again and again|"
    r"(second|third|fourth) time)\b",
    re.IGNORECASE,
)
_AI_FAILED = re.compile(
    r"\b(i('m| am) (sorry|afraid|not sure)|i (can'?t|cannot|couldn'?t) (find|help)|unable to|"
    r"could you rephrase|i don'?t (know|understand))\b",
    re.IGNORECASE,
)


def conversation_frustration(text: str, context: ConversationContext | None) -> tuple[float, tuple[str, ...]]:
    """Frustration from plain cues in the message and the turns before it (0..1, reasons)."""
    cues: list[tuple[str, float]] = []
    if _ANGRY.search(text):
        cues.append(("negative language", 0.45))
    if _ALREADY.search(text):
        cues.append(("already tried that", 0.4))
    letters = _LETTER.findall(text)
    upper = sum(ch.isupper() for ch in letters)
    if len(letters) >= 8 and upper / len(letters) > 0.7:
        cues.append(("shouting", 0.35))
    if text.count("!") >= 3 or "?!" in text:
        cues.append(("exclamation marks", 0.15))
    if asks_for_person(text):
        cues.append(("asked for a human", 0.25))
    if context is not None:
        history = context.history[-12:]
        ai_turns = [m.text for m in history if m.role in (MessageRole.AI, MessageRole.AGENT)]
        customer_turns = [m.text.lower() for m in history if m.role == MessageRole.CUSTOMER]
        if ai_turns and _AI_FAILED.search(ai_turns[-1]):
            cues.append(("the assistant could not help", 0.25))
        if _repeats(text.lower(), customer_turns):
            cues.append(("repeated question", 0.35))
    remaining = 1.0
    for _, weight in cues:
        remaining *= 1.0 - weight
    return round(1.0 - remaining, 4), tuple(reason for reason, _ in cues)


def _repeats(text: str, earlier: list[str]) -> bool:
    words = {w for w in re.findall(r"[a-z0-9']+", text) if len(w) > 2}
    if len(words) < 3:
        return False
    for previous in earlier:
        other = {w for w in re.findall(r"[a-z0-9']+", previous) if len(w) > 2}
        if other and len(words & other) / len(words | other) >= 0.6:
            return True
    return False
