"""Rough word-for-word English glosses of Spanish, French, German and Portuguese messages.

The intent model and the help-center search use an English sentence-embedding model, so a
question such as "¿Cuánto tarda el envío a Canadá?" is poorly understood as written.  Before
those models read a non-English customer message we gloss it into rough English with
:func:`to_english` ("how long does it take the shipping to canada").

The gloss is only model input: it is never shown to customers, who keep getting replies in
their own language.  It is deliberately simple -- a phrase table with longest-match-first
replacement, accent-insensitive lookup, a little plural stripping and German compound
splitting -- so it is fast, deterministic and easy to extend: add phrases to ``GLOSSARY``.
The returned coverage (share of words the glossary knew) tells callers how much to trust it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from relaydesk.triage.glossary_de_pt import DE as _DE
from relaydesk.triage.glossary_de_pt import PT as _PT
from relaydesk.triage.glossary_es_fr import ES as _ES
from relaydesk.triage.glossary_es_fr import FR as _FR
from relaydesk.triage.glossary_es_fr import SHARED as _SHARED

GLOSSARY: dict[str, dict[str, str]] = {
    "es": {**_SHARED, **_ES},
    "fr": {**_SHARED, **_FR},
    "de": {**_SHARED, **_DE},
    "pt": {**_SHARED, **_PT},
}

_PUNCT = re.compile(r"[¿¡?!;:\"()\[\]{}«»“”„…*<>|~^_=+]")
_EDGE = "'-/.,#&%"
_FR_ELISION = re.compile(r"^(qu|jusqu|lorsqu|puisqu|[ldjmtsnc])'(.+)$")
_PLURAL_SUFFIXES = {"es": ("es", "s"), "fr": ("s", "x"), "pt": ("es", "s"), "de": ("en", "n", "e", "s")}
_DE_LINKS = ("", "s", "n", "en", "es")
_DE_LONGEST = 32
"""Longer "words" are not split as German compounds: splitting is cubic in the length."""


def _fold(word: str) -> str:
    """Strip accents (``é`` -> ``e``, ``ü`` -> ``u``, ``ß`` -> ``ss``)."""
    decomposed = unicodedata.normalize("NFKD", word.replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _fold_umlauts(word: str) -> str:
    """German-style transliteration (``ü`` -> ``ue``) before stripping accents."""
    for src, dst in (("ä", "ae"), ("ö", "oe"), ("ü", "ue")):
        word = word.replace(src, dst)
    return _fold(word)


def _tokens(text: str, language: str) -> list[str]:
    """Lower-case and split ``text``; keep emails, urls, numbers and order ids whole (and in their case)."""
    out: list[str] = []
    for raw in text.replace("’", "'").replace("‘", "'").split():
        if "@" in raw or raw.lower().startswith(("http", "www.")):
            out.append(raw.strip(_EDGE + '?!¿¡()"<>'))
            continue
        for piece in _PUNCT.sub(" ", raw).split():
            piece = piece.strip(_EDGE)
            if not piece:
                continue
            if any(ch.isdigit() for ch in piece):
                out.append(piece)
                continue
            piece = piece.lower()
            for part in re.split(r"[-/]|(?<=\w)[.,](?=\w)", piece):
                part = part.strip(_EDGE)
                if not part:
                    continue
                match = _FR_ELISION.match(part) if language == "fr" else None
                if match:
                    out.extend((match.group(1), match.group(2)))
                else:
                    out.append(part)
    return out


@lru_cache(maxsize=8)
def _index(language: str) -> tuple[dict[tuple[str, ...], str], int]:
    """Phrase table keyed by token tuples: exact keys first, then accent-folded variants."""
    table: dict[tuple[str, ...], str] = {}
    entries = [(tuple(_tokens(key, language)), value) for key, value in GLOSSARY[language].items()]
    for key, value in entries:
        if key:
            table.setdefault(key, value)
    for key, value in entries:
        if key:
            table.setdefault(tuple(_fold(t) for t in key), value)
            if language == "de":
                table.setdefault(tuple(_fold_umlauts(t) for t in key), value)
    return table, max((len(k) for k in table), default=1)


def _lookup(words: tuple[str, ...], table: dict[tuple[str, ...], str]) -> str | None:
    found = table.get(words)
    return found if found is not None else table.get(tuple(_fold(w) for w in words))


def _single(word: str, language: str, table: dict[tuple[str, ...], str], depth: int = 0) -> str | None:
    """Gloss one word not in the table: plural/inflection stripping and German compounds."""
    for suffix in _PLURAL_SUFFIXES.get(language, ()):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            found = _lookup((word[: -len(suffix)],), table)
            if found is not None:
                return found
    if language != "de" or depth > 2 or not 7 <= len(word) <= _DE_LONGEST:
        return None
    for cut in range(len(word) - 3, 2, -1):  # longest known head first
        tail = word[cut:]
        tail_gloss = _lookup((tail,), table) or _single(tail, language, table, depth + 1)
        if tail_gloss is None:
            continue
        for link in _DE_LINKS:
            head = word[:cut]
            if link and not head.endswith(link):
                continue
            head = head[: len(head) - len(link)]
            if len(head) < 3:
                continue
            head_gloss = _lookup((head,), table)
            if head_gloss is not None:
                return f"{head_gloss} {tail_gloss}".strip()
    return None


def _is_word(token: str) -> bool:
    return any(ch.isalpha() for ch in token) and not any(ch.isdigit() for ch in token) and "@" not in token


def to_english(text: str, language: str) -> tuple[str, float]:
    """Return ``(gloss, coverage)`` for ``text`` written in ``language`` (es, fr, de, pt).

    The gloss is lower-case rough English; unknown words, numbers, order ids and emails are kept
    as they are.  Coverage is the share of the words (tokens with letters, not ids or emails) that
    the glossary recognised.  Languages without a glossary come back unchanged with coverage 0.0.
    """
    language = language.lower().replace("_", "-").split("-")[0] if language else ""
    if language not in GLOSSARY:
        return text, 0.0
    table, longest = _index(language)
    tokens = _tokens(text, language)
    # Phrase matches anywhere in the message, longest first (then leftmost), never overlapping.
    spans = [
        (size, i, found)
        for i in range(len(tokens))
        for size in range(2, min(longest, len(tokens) - i) + 1)
        if (found := _lookup(tuple(tokens[i : i + size]), table)) is not None
    ]
    gloss: list[str | None] = [None] * len(tokens)  # gloss for the first token of a matched span
    taken = [False] * len(tokens)
    for size, i, found in sorted(spans, key=lambda span: (-span[0], span[1])):
        if not any(taken[i : i + size]):
            taken[i : i + size] = [True] * size
            gloss[i] = found
    out: list[str] = []
    words = covered = 0
    for i, token in enumerate(tokens):
        is_word = _is_word(token)
        words += is_word
        found = gloss[i]
        if not taken[i]:
            found = _lookup((token,), table)
            if found is None and is_word:
                found = _single(token, language, table)
            if found is None:
                out.append(token)
                continue
        covered += is_word
        if found:
            out.append(found)
    return " ".join(out), (covered / words if words else 0.0)
