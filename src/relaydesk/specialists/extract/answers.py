"""How customers answer: yes, no, not sure, a change, never mind, which of a list, a question of
their own, a reason."""

from __future__ import annotations

import re

from relaydesk.specialists.extract.records import order_ids

YES = re.compile(
    r"^\s*(y|yes+|yeah|yea|yeh|ya|yah|yep|yup|sure|ok|okay|k|correct|right|confirm(ed)?|absolutely|definitely|"
    r"of course|please do|go ahead|do it|sounds good|that's right|that is right|that's correct|"
    r"affirmative|si|sí|oui|ja)\b"
    r"|\b(yes|please go ahead|go ahead|proceed|confirm|that's correct|that is correct|sounds good|"
    r"do it|please do)\b",
    re.IGNORECASE,
)
NO = re.compile(
    r"^\s*(n|no|nope|nah|not really|don't|do not|negative|non|nein|não|nao)\b"
    r"|\b(don't do|do not do|don't go ahead|do not proceed|don't proceed|hold on|wait|stop)\b",
    re.IGNORECASE,
)
UNSURE = re.compile(
    r"\b(maybe|not sure|unsure|i guess|perhaps|possibly|i don't know|idk|let me think|hmm+)\b", re.IGNORECASE
)
CHANGE = re.compile(r"\b(but|instead|rather|actually|make it|change it|except)\b", re.IGNORECASE)
ABANDON = re.compile(
    r"\b(never ?mind|forget (it|about it|that)|changed my mind|don't bother|leave it|scratch that|"
    r"no longer want to|i'll do it later|not anymore|cancel (that|this) request|stop (this|it|that)|"
    r"(don'?t|do not|dont) want (to )?(an? )?(exchange|return|cancel|change|modify|refund)\w* "
    r"(anything|it|that)|"
    r"(don'?t|do not|dont) want (an? )?(exchange|return|refund)\b(?! for))\b",
    re.IGNORECASE,
)
NO_MORE = re.compile(
    r"^\s*(no|nope|nothing|that's all|that is all|that's it|that is it|all good|i'm good|im good|"
    r"no thanks|no thank you|nothing else|i'm done|bye|goodbye)\b",
    re.IGNORECASE,
)

REASON_PATTERNS = (
    (
        "ordered by mistake",
        re.compile(
            r"\b(by mistake|mistaken|accident(al(ly)?)?|ordered (it )?wrong|wrong (item|order)|"
            r"didn't mean to|did not mean to|mis-?order(ed)?|in error|"
            r"por error|por equivocaci[oó]n|sin querer|par erreur|par accident|aus versehen|versehentlich|"
            r"irrt[uü]mlich|por engano|por erro|sem querer)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "no longer needed",
        re.compile(
            r"\b(no longer need(ed)?|don'?t need|do not need|not needed|no need|no use|"
            r"don'?t want|do not want|no longer want(ed)?|not required|changed my mind|"
            r"ya no (lo |la )?(necesito|quiero)|no (lo |la )?necesito|cambi[eé] de opini[oó]n|"
            r"plus besoin|n'en ai plus besoin|n'en veux plus|chang[eé] d'avis|"
            r"(brauche|ben[oö]tige) (es |sie |ihn |das )?nicht mehr|nicht mehr (n[oö]tig|gebraucht)|"
            r"meinung ge[aä]ndert|j[aá] n[aã]o (o |a )?(preciso|quero)|n[aã]o preciso|mudei de ideia)\b",
            re.IGNORECASE,
        ),
    ),
)


def answer(text: str) -> str | None:
    """``yes``, ``no``, ``unsure`` or ``change`` (a yes or no with a change: "yes but make it red")."""
    unsure = bool(UNSURE.search(text))
    yes = bool(YES.search(text))
    no = bool(NO.search(text))
    if (yes or no) and CHANGE.search(text) and len(text.split()) > 2:
        return "change"
    if unsure and not (yes and not no and not re.search(r"\bmaybe\b", text, re.I)):
        return "unsure"
    if yes and not no:
        return "yes"
    if no and not yes:
        return "no"
    if yes and no:
        first_yes = YES.search(text)
        first_no = NO.search(text)
        assert first_yes and first_no
        return "yes" if first_yes.start() < first_no.start() else "no"
    return None


HOW_TO = re.compile(
    r"^\s*(how (do|can|would|should|long|much|many|does)|what (is|are|does|do|if)|when (will|do|does|is|can)|"
    r"why|is there|are there|can you (tell|explain)|do i (need|have)|what's)\b",
    re.IGNORECASE,
)


def asks_how(text: str) -> bool:
    """A question about how things work ("How do I return an item?"), not a request to act: the
    knowledge base answers it, no task flow starts (unless it names an order)."""
    return bool(HOW_TO.search(text)) and not order_ids(text)


ORDINALS = {
    "first": 0,
    "1st": 0,
    "one": 0,
    "second": 1,
    "2nd": 1,
    "two": 1,
    "third": 2,
    "3rd": 2,
    "three": 2,
    "fourth": 3,
    "4th": 3,
    "four": 3,
    "fifth": 4,
    "5th": 4,
    "five": 4,
}


def ordinal(text: str, count: int) -> int | None:
    """Which of ``count`` listed choices the text picks ("the second one", "2", "number 3", "the
    last"), from 0; None when it picks none."""
    lowered = text.lower().strip()
    if re.search(r"\b(last|final) one\b|^\W*(the )?last\W*$", lowered):
        return count - 1
    number = re.fullmatch(r"\W*(?:number |option |no\.? |#)?(\d)\W*(?:please)?\W*", lowered)
    if number:
        index = int(number.group(1)) - 1
        return index if 0 <= index < count else None
    found = re.search(
        r"\b(?:the |option |number )?(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th)\b", lowered
    )
    if found is None and len(lowered.split()) <= 4:
        found = re.search(r"\b(?:option|number) (one|two|three|four|five)\b", lowered)
    if found:
        index = ORDINALS[found.group(1)]
        return index if index < count else None
    return None


def side_question(text: str) -> bool:
    """A question of its own ("wait, does the backpack come in black?"), not a yes or no with a
    question mark ("yes?", "ok, go ahead?")."""
    words = re.sub(
        r"^\W*(wait|hold on|hang on|sorry|hmm+|oh|ok(ay)?|actually|but|and|so)\W+", "", text, flags=re.I
    )
    return "?" in text and len(words.split()) >= 3 and bool(QUESTION_START.search(words))


QUESTION_START = re.compile(
    r"^\s*(do|does|did|is|are|can|could|will|would|how|what|when|where|which|why|who|have|has)\b", re.I
)


def wants_to_stop(text: str) -> bool:
    return bool(ABANDON.search(text))


def nothing_more(text: str) -> bool:
    return bool(NO_MORE.search(text)) and len(text.split()) <= 8


def cancel_reason(text: str) -> str | None:
    for reason, pattern in REASON_PATTERNS:
        if pattern.search(text):
            return reason
    return None
