"""Which language a message is written in (lingua, offline), or an explicit "unsure".

Short support messages say little about their language: lingua reads "Ok thanx" as Dutch and
"thx" as French. A wrong language costs more than none (the intent model damps what it cannot read),
so :meth:`LanguageIdentifier.read` says unsure for few words, a low or close call and text that
mixes languages, and the caller keeps the language it already had (the conversation's, the
customer's profile). When lingua is unsure, the support glossary of the product languages may
still recognise a greeting or a thanks ("hola", "obrigado") and name its language.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Any

from relaydesk.triage.glossary import GLOSSARY, to_english

# The languages relaydesk tells apart by default: the common ones of online support.
DEFAULT_LANGUAGES = (
    "en",
    "es",
    "fr",
    "de",
    "it",
    "pt",
    "nl",
    "sv",
    "pl",
    "tr",
    "ru",
    "ar",
    "hi",
    "ja",
    "ko",
    "zh",
)
LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
WORDS = re.compile(r"\b[^\W\d_]+\b", re.UNICODE)
"""Runs of letters alone: "W9549057", "m8" and "65" are not words."""
NOT_WORDS = re.compile(r"\S+@\S+|(?:https?://|www\.)\S+|[^\s]*\d[^\s]*", re.UNICODE)
"""What says nothing about a language: e-mail addresses, links, and anything with a digit (order
numbers, "W3632959", "#123"). "james.li4495@example.com" read as English turned a Spanish
conversation English."""


def language_text(text: str) -> str:
    """``text`` without what says nothing about its language (``NOT_WORDS``)."""
    return " ".join(NOT_WORDS.sub(" ", text).split())


CLAUSES = re.compile(r"[,.;:!?¿¡()\n]+|\s[-–—]\s")
MIN_LETTERS = 3
MAX_CHARS = 1000
SHORT_WORDS = 3
"""Fewer words than this is a short message ("Ok thanx", "thx", "merci beaucoup")."""
SHORT_MIN_CONFIDENCE = 0.6
"""lingua's confidence a short message needs ("Ok thanx" reads Dutch at 0.34, "hii" Polish at 0.53;
"muchas gracias" reads Spanish at 0.86)."""
FEW_WORDS = 6
FEW_WORDS_MIN_CONFIDENCE = 0.4
"""... and one of fewer than ``FEW_WORDS`` words ("ok thanx alot" reads Dutch at 0.32)."""
MIXED_SHARE = 1 / 3
"""Share of a message's words in clauses of another language that make it mixed."""
GLOSSARY_GUESS_COVERAGE = 0.75
GLOSSARY_GUESS_MARGIN = 0.25


class Unsure(Enum):
    """Why the identifier names no language."""

    NO_WORDS = "no words"
    """Digits, emoji, an order id or two letters ("65", "ok"): nothing to read a language from."""
    SHORT = "too few words"
    """A few words lingua reads without enough confidence ("Ok thanx", "thx")."""
    LOW_CONFIDENCE = "low confidence"
    """lingua's best guess is below its minimum confidence."""
    CLOSE_CALL = "close call"
    """Two languages are about as likely (Portuguese and Spanish in a short question)."""
    MIXED = "mixed languages"
    """Clauses written in different languages ("I want to cancel, merci beaucoup")."""


@dataclass(frozen=True, slots=True)
class LanguageReading:
    """What the identifier made of one message."""

    language: str | None
    """ISO 639-1 code; None when unsure."""
    confidence: float
    """Confidence in the best guess, 0..1 (lingua's, or the glossary's coverage)."""
    unsure: Unsure | None = None
    """Why no language is named; None when one is."""
    guess: str | None = None
    """lingua's best guess when unsure, for logs only: never a language to act on."""


class LanguageIdentifier:
    """Wraps a lingua detector built once for a fixed set of ISO 639-1 codes."""

    def __init__(
        self,
        languages: tuple[str, ...] = DEFAULT_LANGUAGES,
        *,
        min_confidence: float = 0.3,
        min_ratio: float = 2.0,
    ) -> None:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        chosen = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in languages]
        # High-accuracy mode with preloaded models: ~1.5 s once, then well under a millisecond per
        # message, and it reads short support messages ("where is my order") far better.
        builder = LanguageDetectorBuilder.from_languages(*chosen).with_preloaded_language_models()
        self._detector: Any = builder.build()
        self.min_ratio = min_ratio
        self._lock = threading.Lock()
        self.languages = languages
        self.min_confidence = min_confidence

    def identify(self, text: str) -> tuple[str | None, float]:
        """``(iso_code, confidence)``; ``(None, confidence)`` when :meth:`read` is unsure."""
        reading = self.read(text)
        return reading.language, reading.confidence

    def read(self, text: str) -> LanguageReading:
        """The message's language, or why the identifier is unsure of it. Never raises."""
        sample = language_text((text or "")[:MAX_CHARS])
        if len(LETTERS.findall(sample)) < MIN_LETTERS:
            return LanguageReading(None, 0.0, Unsure.NO_WORDS)
        reading = self._lingua(sample)
        if reading.language is not None and self._mixed(sample, reading.language):
            return LanguageReading(None, reading.confidence, Unsure.MIXED, reading.language)
        if reading.unsure in (Unsure.SHORT, Unsure.LOW_CONFIDENCE, Unsure.CLOSE_CALL):
            code, coverage = glossary_language(sample)
            if code is not None:
                return LanguageReading(code, coverage)
        return reading

    def _values(self, sample: str) -> list[tuple[str, float]]:
        with self._lock:
            values = self._detector.compute_language_confidence_values(sample)
        return [(v.language.iso_code_639_1.name.lower(), float(v.value)) for v in values]

    def _lingua(self, sample: str) -> LanguageReading:
        values = self._values(sample)
        if not values or values[0][1] <= 0.0:
            return LanguageReading(None, 0.0, Unsure.LOW_CONFIDENCE)
        code, confidence = values[0]
        runner_up = values[1][1] if len(values) > 1 else 0.0
        words = len(WORDS.findall(sample))
        if confidence < self.min_confidence:
            return LanguageReading(None, confidence, Unsure.LOW_CONFIDENCE, code)
        if confidence < self.min_ratio * runner_up:  # a two-word message, a product name
            return LanguageReading(None, confidence, Unsure.CLOSE_CALL, code)
        if words < SHORT_WORDS and confidence < SHORT_MIN_CONFIDENCE:
            return LanguageReading(None, confidence, Unsure.SHORT, code)
        if words < FEW_WORDS and confidence < FEW_WORDS_MIN_CONFIDENCE:
            return LanguageReading(None, confidence, Unsure.SHORT, code)
        return LanguageReading(code, confidence)

    def _mixed(self, sample: str, language: str) -> bool:
        """True when clauses clearly in another language than ``language`` (the whole message's)
        hold at least ``MIXED_SHARE`` of its words: "I want to cancel, merci beaucoup", "Where is
        my order? Ich warte seit zwei Wochen". A clause counts from two words, from three unless its
        language is sure; one that the glossary of ``language`` knows is in that language."""
        clauses = CLAUSES.split(sample)
        if len(clauses) < 2:
            return False
        total = len(WORDS.findall(sample))
        foreign = 0
        for clause in clauses:
            words = len(WORDS.findall(clause))
            if words < 2:
                continue
            values = self._values(clause)
            if not values or values[0][0] == language:
                continue
            confidence, own = values[0][1], dict(values).get(language, 0.0)
            if confidence < self.min_ratio * own:
                continue
            if words < SHORT_WORDS and confidence < SHORT_MIN_CONFIDENCE:
                continue
            if language in GLOSSARY and to_english(clause, language)[1] >= GLOSSARY_GUESS_COVERAGE:
                continue
            foreign += words
        return foreign >= MIXED_SHARE * total


def glossary_language(text: str) -> tuple[str | None, float]:
    """The product language whose support glossary knows most of the words ("hola", "sim",
    "Quero falar com um atendente humano"), if one clearly does; else ``(None, 0.0)``. A gloss
    that only repeats the words ("hi" is German too) is no sign of a language."""
    scores = sorted(((to_english(text, code), code) for code in GLOSSARY), key=lambda s: -s[0][1])
    (english, best), code = scores[0]
    runner_up = scores[1][0][1] if len(scores) > 1 else 0.0
    if best < GLOSSARY_GUESS_COVERAGE or best - runner_up < GLOSSARY_GUESS_MARGIN:
        return None, 0.0
    if re.findall(r"\w+", english.lower()) == re.findall(r"\w+", text.lower()):
        return None, 0.0
    return code, round(best, 4)


@lru_cache(maxsize=2)
def load_language_identifier(languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> LanguageIdentifier:
    return LanguageIdentifier(languages)
