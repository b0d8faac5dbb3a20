"""Reading words the way a request for a person is matched: a message cut into clauses
(``clauses``), lower-case, accents stripped, French elisions split (``tokens``), and a lexicon
field's entries found in a clause, with one-letter slips (``Phrases``)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from relaydesk.triage.person_request_words import NOT_TYPOS, word_list

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)*'?", re.IGNORECASE)
_ELISION = re.compile(r"^(l|d|j|m|t|s|n|c|qu|jusqu|lorsqu|puisqu)'(.+)$", re.IGNORECASE)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_CLAUSE = re.compile(r"([.!?;:,()\[\]\n\"“”«»¿¡…]+|\s[-–—]+\s|[–—])")
"""What ends a clause (kept by ``split``, to tell a comma from a full stop)."""
_CONTINUED = frozenset(word_list("dass damit sodass"))
"""A clause these begin goes on the one before it: "Ich möchte, dass jemand das bearbeitet"."""
_RELATIVE_PREPOSITIONS = frozenset(word_list("mit bei von an zu fur uber with to con a avec com de"))
_RELATIVES = frozenset(
    word_list("dem der den denen wem wen whom which quien quienes qui lequel laquelle quem qual")
)
"""A relative clause after a comma goes on the clause before it: "Der Mitarbeiter, mit dem ich
gestern gesprochen habe, ...", "gibts niemanden, mit dem man reden kann?"."""
_BARE_RELATIVES = frozenset(word_list("der die das dem den who whom that qui que quien quienes quem dont"))
"""Relatives that need a person right before the comma: "Gibt es niemanden, der mir hilft?"."""


def tokens(text: str, *, keep_case: bool = False) -> list[str]:
    """Lower-case words without accents; French elisions split (``l'agent`` -> ``l'``, ``agent``).
    With ``keep_case`` the same words as written ("Agent", "Provocateur"), one for one."""
    plain = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    words: list[str] = []
    for word in _TOKEN.findall(plain if keep_case else plain.lower()):
        elided = _ELISION.match(word)
        if elided and not word.lower().startswith("quelqu"):
            words.extend((elided.group(1) + "'", elided.group(2)))
        else:
            words.append(word)
    return words


def clauses(text: str, persons: frozenset[str]) -> list[tuple[str, list[str]]]:
    """The clauses of ``text``, each as written and as ``tokens``; one begun by "dass" or by a
    relative ("mit dem", "with whom", or "der", "who" right after one of ``persons``) after a
    comma is read with the clause before it."""
    pieces = _CLAUSE.split(text)
    found: list[tuple[str, list[str]]] = []
    for i in range(0, len(pieces), 2):
        part, after_comma = pieces[i], i > 0 and pieces[i - 1].strip() == ","
        if not (words := tokens(part)):
            continue
        relative = words[0] in _RELATIVE_PREPOSITIONS and words[1:2] and words[1] in _RELATIVES
        described = bool(found) and found[-1][1][-1] in persons and words[0] in _BARE_RELATIVES
        if found and after_comma and (words[0] in _CONTINUED or relative or described):
            before, before_words = found[-1]
            found[-1] = (f"{before} {part}", [*before_words, *words])
        else:
            found.append((part, words))
    return found


def _damerau_one(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are one edit (or one swap of neighbours) apart."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return (len(diff) == 1 and len(a) >= 6 and diff[0] < len(a) - 1) or (  # not "stuff", "employer"
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


class Phrases:
    """Entries of a lexicon field, matched against a clause's words (``word*`` is a prefix)."""

    def __init__(
        self, entries: Iterable[str], *, typos: bool = False, known: frozenset[str] = frozenset()
    ) -> None:
        self.known = known
        """Words of any lexicon: never read as a slip of another ("agente" is no "agent")."""
        self._exact: dict[str, list[tuple[str, ...]]] = {}
        self._prefixed: list[tuple[str, ...]] = []
        self._typos: dict[str, str] = {}
        for entry in entries:
            words = tuple(
                w for part in entry.split() for w in ([part] if part.endswith("*") else tokens(part))
            )
            if not words:
                continue
            if words[0].endswith("*"):
                self._prefixed.append(words)
            else:
                self._exact.setdefault(words[0], []).append(words)
            if typos and len(words) == 1 and len(words[0]) >= 5 and not words[0].endswith("*"):
                self._typos[words[0]] = words[0]
        self.entries = tuple(e for group in self._exact.values() for e in group)
        """The entries, each as its words."""
        self.words = frozenset(self._exact)
        """The first words of the entries."""
        self.single = frozenset(w for w, entries in self._exact.items() if (w,) in entries)
        """The entries that are one word."""
        self._deletions: dict[str, list[str]] = {}
        for word in self._typos:
            for variant in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
                self._deletions.setdefault(variant, []).append(word)

    @staticmethod
    def _fits(pattern: str, word: str) -> bool:
        return word.startswith(pattern[:-1]) if pattern.endswith("*") else word == pattern

    def _slip(self, word: str) -> bool:
        """Whether ``word`` is a one-letter slip of an entry ("humna", "agnet", "persn"): same first
        letter, not a word of any lexicon, not the entry with an ending added or cut ("associated",
        "advise" are words of their own)."""
        if len(word) < 5 or word in NOT_TYPOS or word in self.known or not self._deletions:
            return False
        variants = {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}
        return any(
            entry[0] == word[0]
            and not (word.startswith(entry) or entry.startswith(word))
            and _damerau_one(word, entry)
            for variant in variants
            for entry in self._deletions.get(variant, ())
        )

    def at(self, words: Sequence[str], i: int) -> int:
        """How many words from ``i`` on the longest entry covers (0: none)."""
        best = 0
        for entry in (*self._exact.get(words[i], ()), *self._prefixed):
            n = len(entry)
            if (
                n > best
                and i + n <= len(words)
                and all(self._fits(p, w) for p, w in zip(entry, words[i : i + n], strict=True))
            ):
                best = n
        if not best and self._slip(words[i]):
            best = 1
        return best

    def find(self, words: Sequence[str]) -> list[tuple[int, int]]:
        """The spans (start, end) the entries cover, left to right, not overlapping."""
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(words):
            n = self.at(words, i)
            if n:
                spans.append((i, i + n))
                i += n
            else:
                i += 1
        return spans
