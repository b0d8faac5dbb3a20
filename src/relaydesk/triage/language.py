"""Which language a message is written in (lingua, offline), or None when it cannot tell."""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

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
MIN_LETTERS = 3
MAX_CHARS = 1000


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
        """``(iso_code, confidence)``; ``(None, 0.0)`` for emoji, digits, junk or very short text."""
        sample = (text or "")[:MAX_CHARS]
        if len(LETTERS.findall(sample)) < MIN_LETTERS:
            return None, 0.0
        with self._lock:
            values = self._detector.compute_language_confidence_values(sample)
        if not values:
            return None, 0.0
        best = values[0]
        runner_up = values[1].value if len(values) > 1 else 0.0
        # Too close to call (a two-word message, a product name): say so rather than guess.
        if best.value < self.min_confidence or best.value < self.min_ratio * runner_up:
            return None, float(best.value)
        return best.language.iso_code_639_1.name.lower(), float(best.value)


@lru_cache(maxsize=2)
def load_language_identifier(languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> LanguageIdentifier:
    return LanguageIdentifier(languages)
