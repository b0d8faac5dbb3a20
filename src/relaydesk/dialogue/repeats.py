"""Whether a customer is saying again what they already said: the handoff-friction signal.

A later message *repeats* an earlier one when

- they share an identifier (a word of four or more characters with a digit in it: an order id, a
  tracking or phone number, a card's last digits written out), or
- they share at least ``MIN_SHARED_WORDS`` content words and those are at least
  ``MIN_OVERLAP`` of the shorter message's content words.

Content words are the words of three or more letters that are not in ``STOPWORDS`` (English,
Spanish, French, German and Portuguese function words), lower-cased, with a trailing plural "s"
dropped. The rule is lexical on purpose: it is cheap enough to run on every message after a
handover, it says *which* words were repeated (the agent sees them), and a customer who has to
repeat themselves usually repeats the facts (the order, the product, the problem) in the same words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MIN_SHARED_WORDS = 3
MIN_OVERLAP = 0.6

STOPWORDS = frozenset(
    """
    the and for you your yours are was were has have had not but can could would should will with
    this that these those there their they them then than what when where which who whom why how
    all any some our ours from into onto about just also very really still yet again been being
    did does doing done got get gets getting its it's i'm i've i'd ive dont don't didn't can't
    cant won't wont please thanks thank hello hey okay yes like want need know said told tell say
    one two more most much many such only own same other here now out off too over under
    que para por con los las una uno del más pero como este esta esto ese esa eso mis tus sus
    les des est pas pour dans avec une sur vous nous mais qui ont été sont mon mes ton ses
    und der die das den dem ein eine einen ist nicht mit ich sie wir ihr auf für von bitte
    não uma com por para dos das meu minha seu sua mas foi são está
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Repeat:
    """What a later message repeated of an earlier one."""

    earlier_index: int
    """Index of the earlier message (in the order given)."""
    shared: tuple[str, ...]
    """The identifiers or content words both say, sorted."""
    overlap: float
    """Shared content words / the shorter message's content words (1.0 for a shared identifier)."""


def _words(text: str) -> tuple[set[str], set[str]]:
    """(identifiers, content words) of a message."""
    identifiers: set[str] = set()
    content: set[str] = set()
    for raw in _WORD.findall(text.lower()):
        word = raw.replace("’", "'")
        if any(ch.isdigit() for ch in word):
            if len(word) >= 4:
                identifiers.add(word.lstrip("#"))
            continue
        if len(word) < 3 or word in STOPWORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        content.add(word)
    return identifiers, content


def repeats(text: str, earlier: Iterable[str]) -> Repeat | None:
    """The first earlier message ``text`` repeats (see the module), or None."""
    ids, words = _words(text)
    best: Repeat | None = None
    for index, before in enumerate(earlier):
        before_ids, before_words = _words(before)
        shared_ids = ids & before_ids
        if shared_ids:
            return Repeat(index, tuple(sorted(shared_ids)), 1.0)
        shared = words & before_words
        shorter = min(len(words), len(before_words))
        if len(shared) < MIN_SHARED_WORDS or not shorter:
            continue
        overlap = len(shared) / shorter
        if overlap >= MIN_OVERLAP and (best is None or overlap > best.overlap):
            best = Repeat(index, tuple(sorted(shared)), overlap)
    return best
