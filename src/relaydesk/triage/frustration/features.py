"""What the frustration detector reads in a conversation: sparse text features and plain-word signals.

Two kinds of evidence come out of here, both pure Python and cheap (well under a millisecond for
an ordinary conversation):

* ``conversation_features`` turns the current customer message and the turns before it into a
  sparse ``{name: value}`` map for a linear model (words and character n-grams of the message,
  words of the assistant's previous reply, how much the customer repeats themselves, ...). The
  same function builds the training rows in ``benchmarks/uss.py`` and the rows scored at run time,
  so the shipped weights always match what the product computes.
* ``frustration_signals`` finds the things a person would name: angry words, shouting, "I already
  tried that", a repeated question, a request for a human, an assistant that could not help or
  repeated itself. Each comes with a strength and a short reason.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from relaydesk.triage.person_request import asks_for_person

MAX_TURN_CHARS = 2000
"""Longer turns are cut to this many characters before anything reads them."""
MAX_EARLIER_TURNS = 16
"""Only this many earlier turns of a conversation are read."""

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[!?]")
_DIGITS = re.compile(r"[0-9]")
_LETTER = re.compile(r"[^\W\d_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_STOP_WORDS = (
    "a an the i me my we our you your it its is are was were be been am to of in on at for and or "
    "but so do does did can could would will should please just this that there here with have has "
    "had what which how when where who any some 's i'm i'd i'll i've"
)
_STOP = frozenset(_STOP_WORDS.split(" "))


class Speaker(StrEnum):
    """Who wrote a turn, as far as frustration is concerned."""

    CUSTOMER = "customer"
    """The person asking for help."""
    ASSISTANT = "assistant"
    """Whoever answered: relaydesk's AI or a human agent."""


@dataclass(frozen=True, slots=True)
class Turn:
    """One earlier turn of a conversation."""

    speaker: Speaker
    text: str
    act: str = ""
    """A dialogue-act label when the data has one (only the USS benchmark does)."""


def clean_text(text: object) -> str:
    """``text`` as a bounded, printable string; anything that is not text becomes empty."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if not isinstance(text, str):
        return ""
    return _CONTROL.sub(" ", text[:MAX_TURN_CHARS])


def words(text: str) -> list[str]:
    """Lower-cased word tokens with digits folded to ``0`` (``!`` and ``?`` kept as tokens)."""
    return _WORD.findall(_DIGITS.sub("0", text.lower().replace("\u2019", "'")))


def content_words(tokens: Iterable[str]) -> set[str]:
    return {t for t in tokens if t not in _STOP and t not in {"!", "?"} and len(t) > 1}


def _bag(tokens: Sequence[str], prefix: str, bigrams: bool = True) -> dict[str, float]:
    counts: Counter[str] = Counter(f"{prefix}{t}" for t in tokens)
    if bigrams:
        padded = ["<s>", *tokens]
        counts.update(f"{prefix}{a}_{b}" for a, b in zip(padded, padded[1:], strict=False))
    return _normalised(counts)


def _chars(text: str, prefix: str, sizes: tuple[int, ...] = (3, 4, 5)) -> dict[str, float]:
    counts: Counter[str] = Counter()
    for token in words(text):
        padded = f" {token} "
        for n in sizes:
            counts.update(f"{prefix}{padded[i : i + n]}" for i in range(max(1, len(padded) - n + 1)))
    return _normalised(counts)


def _normalised(counts: Counter[str]) -> dict[str, float]:
    weights = {k: 1.0 + math.log(v) for k, v in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {k: w / norm for k, w in weights.items()}


def cosine(a: set[str], b: set[str]) -> float:
    """Overlap of two sets of content words (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


# --- lexicons ---------------------------------------------------------------------------------

ANGER = re.compile(
    r"\b(ridiculous|useless|terrible|awful|horrible|worst|unacceptable|pathetic|incompetent|"
    r"stupid|idiot\w*|dumb|frustrat\w*|annoy\w*|angry|furious|livid|outrag\w*|disgust\w*|hopeless|"
    r"fed up|sick (of|and tired)|waste of (my )?time|wasting my time|joke|nonsense|rubbish|"
    r"garbage|crap|hate|wtf|damn\w*|hell|scam\w*|rip ?off|disappoint\w*|fuming|"
    r"not (happy|acceptable|good enough)|no help|unhelpful|doesn'?t help|not helpful|"
    r"give me a break|seriously\?|are you (kidding|serious|even listening)|"
    r"(cancel|close) my account|never again|report you|lawyer|complain\w*)\b",
    re.IGNORECASE,
)
ALREADY_TRIED = re.compile(
    r"\b(already (tried|did|done|checked|restarted|reset|sent|told|said|asked|gave|explained|"
    r"provided|answered)|i('ve| have) (tried|done|checked) (that|this|it|everything)|"
    r"tried (that|this|it|everything)|did that already|(that|it|this) (did ?n'?t|does ?n'?t|"
    r"did not|does not) (work|help)|still (not|does ?n'?t|do ?n'?t|broken|waiting|no|nothing|"
    r"have ?n'?t|the same)|(as|like) i (said|told you|mentioned)|for the (second|third|\w+th) time|"
    r"i just (told|said|asked)|you (already|just) (said|asked|told)|again and again|keep (asking|"
    r"saying|telling|getting))\b",
    re.IGNORECASE,
)
ASKED_BEFORE = re.compile(
    r"\b((second|third|fourth|fifth|sixth|([2-9]|\d{2,})(st|nd|rd|th)|umpteenth|hundredth|nth) time (now )?"
    r"(that )?(i'?m |i am |i'?ve |i have |we'?re |we'?ve )?"
    r"(ask|writ|contact|call|messag|chat|explain|tell|told|reach|email|complain|send|sent)\w*|"
    r"how many (more )?times (do|have|must|should|will|did) (i|we)|"
    r"(i|we)('ve| have)? (already )?(asked|written|called|emailed|contacted you|told you|explained)"
    r"( (this|that|about this|about it|you))? (twice|three times|\w+ times|several times|"
    r"multiple times|many times|before|already|repeatedly))\b",
    re.IGNORECASE,
)
WANTS_HUMAN = re.compile(
    r"\b(human( being)?|real person|a person|live (agent|person|chat)|an agent|your agent|"
    r"(a|your) (supervisor|manager)|representative|operator|someone real|"
    r"(speak|talk|chat) (to|with) (someone|somebody|a person|a human|an agent|staff|support))\b",
    re.IGNORECASE,
)
ASSISTANT_FAILED = re.compile(
    r"\b(i (ca ?n'?t|cannot|am unable to|'m unable to|am not able to|'m not able to|"
    r"do ?n'?t (know|understand|have)|did ?n'?t (understand|get|catch))|unable to|"
    r"(could|can) ?n'?t (find|locate|help|do|complete|process|book)|(could|can) not (find|help|"
    r"do|complete|process|book)|no (results|matches|availability|options|records?)|"
    r"(is|are) not available|(is|are)n'?t any|there (is|are) no|not sure (i|what)|"
    r"(could|can) you (rephrase|repeat|clarify)|something went wrong|an error occurred|"
    r"failed|unsuccessful|unfortunately|i'?m (sorry|afraid))\b",
    re.IGNORECASE,
)
ANGRY_EMOJI = re.compile("[\U0001f620\U0001f621\U0001f624\U0001f92c\U0001f4a2\U0001f44e\U0001f612\U0001f644]")
MISSED_POINT = re.compile(
    r"\b(not what i (asked|wanted|meant|said|need(ed)?)|(that'?s|that is|this is) (wrong|incorrect)|"
    r"you('re| are) (wrong|not listening)|you (do ?n'?t|did ?n'?t|do not|did not) (understand|listen|get it|"
    r"answer)|(does ?n'?t|did ?n'?t|does not|did not) answer|makes no sense|read my (message|question))\b",
    re.IGNORECASE,
)
NEGATES_ANSWER = re.compile(
    r"^\W*(no+|nope|nah|wrong)\b\W+(that'?s|that is|it'?s|it is|this is|you'?re|you are) "
    r"(not|wrong|incorrect)|\b(that'?s|that is|this is) not (right|correct|true|it|the case)\b|"
    r"\byou (got|have|'ve got) (it|that|this) wrong\b|"
    r"\b(nothing|none) of (that|this) (is|was) (true|right)\b",
    re.IGNORECASE,
)
"""The customer says the AI's answer is wrong: "no, that's wrong", "that's not right"."""
SARCASM = re.compile(
    r"\bthank(s| you)( so much| a lot| very much)? for (absolutely )?(nothing|ignoring|wasting|"
    r"the runaround|not (help|answer|repl|listen|read)\w*|never (help|answer|repl)\w*)|"
    r"\b(so|very|really|super) helpful\W*(not\b|/s|\.\.\.)|\bwow,? only\b|"
    r"\blove (how|it when) (you|nobody|no ?one)\b|(?<!thanks )(?<!thank you )\bso much for (the|your)\b",
    re.IGNORECASE,
)
"""Praise that means the opposite: "thanks for ignoring all my messages", "so much for your help",
"wow, only one"."""
PRAISE = re.compile(
    r"\b(thanks?|thank you|thx|ty|great|awesome|amazing|excellent|perfect|wonderful|brilliant|"
    r"fantastic|love|loved|lovely|best|props|kudos|appreciate\w*|well done|good job|happy|glad|"
    r"cool|nice|superb|impressed|hi|hello|hey|hiya|howdy|yay|woo+hoo+)\b",
    re.IGNORECASE,
)
"""Thanks, praise and greetings: with no complaint beside them, capitals and "!!!" are enthusiasm."""
_NEGATIVE_START = re.compile(r"^\W*(no|nope|not|nah|wrong|that's not|that is not|that isn't)\b", re.I)
POLITE_NO = re.compile(
    r"^\W*(no+|nope|nah|not (now|today|yet))\b[\s,.!]*(thanks?|thank you|thx|ty|need|worries|problem|"
    r"that'?s (all|it|everything|fine|ok(ay)?)|that is (all|it|everything|fine)|"
    r"i'?m (good|fine|ok(ay)?|all set)|"
    r"i am (good|fine|all set)|all good|i'?ll pass|never ?mind|nothing else)\b",
    re.IGNORECASE,
)
"""A polite no to an offer or to "anything else?": "no thanks, that's all", "nope, I'm good"."""


def negative_start(text: str) -> bool:
    """The message opens by turning something down ("no, ...", "that's not ..."), not politely."""
    return bool(_NEGATIVE_START.search(text)) and not POLITE_NO.search(text)


APOLOGY = re.compile(r"\b(sorry|apolog\w*|unfortunately|afraid)\b", re.IGNORECASE)


def shouting(text: str) -> float:
    """0..1: how much of the message is written in capitals (0 below eight letters)."""
    letters = _LETTER.findall(text)
    cased = [c for c in letters if c.lower() != c.upper()]
    if len(cased) < 8:
        return 0.0
    share = sum(1 for c in cased if c.isupper()) / len(cased)
    return max(0.0, (share - 0.5) / 0.5)


def exclamations(text: str) -> int:
    return text.count("!") + text.count("\uff01")


def praise_only(text: str) -> bool:
    """Thanks or praise with no complaint, sarcasm or denial beside it ("HUGE props to the crew!!!")."""
    return bool(
        PRAISE.search(text)
        and not (
            ANGER.search(text)
            or SARCASM.search(text)
            or MISSED_POINT.search(text)
            or NEGATES_ANSWER.search(text)
            or ALREADY_TRIED.search(text)
            or ASKED_BEFORE.search(text)
            or negative_start(text)
            or ANGRY_EMOJI.search(text)
        )
    )


# --- model features ---------------------------------------------------------------------------


def conversation_features(text: str, earlier: Sequence[Turn], *, use_acts: bool = False) -> dict[str, float]:
    """The sparse feature row of a customer message read with the turns before it."""
    text = clean_text(text)
    earlier = list(earlier)[-MAX_EARLIER_TURNS:]
    tokens = words(text)
    mine = content_words(tokens)
    last_reply = next((t for t in reversed(earlier) if t.speaker is Speaker.ASSISTANT), None)
    replies = [t for t in earlier if t.speaker is Speaker.ASSISTANT]
    asked = [t for t in earlier if t.speaker is Speaker.CUSTOMER]
    prev_ask = asked[-1] if asked else None

    row: dict[str, float] = {}
    row.update(_bag(tokens, "u:"))
    row.update({k: 0.5 * v for k, v in _chars(text, "c:").items()})
    if last_reply is not None:
        reply_tokens = words(clean_text(last_reply.text))
        row.update(_bag(reply_tokens, "s:"))
        if use_acts and last_reply.act:
            row.update(_bag(words(last_reply.act.replace("-", " ").replace("_", " ")), "a:", False))
    else:
        row["s:<none>"] = 1.0
    if len(replies) >= 2:
        row.update({k: 0.5 * v for k, v in _bag(words(clean_text(replies[-2].text)), "s2:", False).items()})
    if prev_ask is not None:
        row.update({k: 0.5 * v for k, v in _bag(words(clean_text(prev_ask.text)), "p:", False).items()})
    first = "<polite_no>" if POLITE_NO.search(text) else tokens[0] if tokens else "<empty>"
    if last_reply is not None:
        reply_text = clean_text(last_reply.text)
        reply_kind = "q" if reply_text.rstrip().endswith("?") else "s"
        if ASSISTANT_FAILED.search(reply_text):
            reply_kind = "fail"
        row[f"x:{reply_kind}>{first}"] = 1.0
    row.update(_dense(text, tokens, mine, earlier, last_reply, replies, asked))
    return row


def _dense(
    text: str,
    tokens: list[str],
    mine: set[str],
    earlier: list[Turn],
    last_reply: Turn | None,
    replies: list[Turn],
    asked: list[Turn],
) -> dict[str, float]:
    reply_text = clean_text(last_reply.text) if last_reply else ""
    reply_words = content_words(words(reply_text))
    earlier_asks = [content_words(words(clean_text(t.text))) for t in asked]
    failures = sum(1 for t in replies if ASSISTANT_FAILED.search(clean_text(t.text)))
    reply_repeat = max(
        (cosine(reply_words, content_words(words(clean_text(t.text)))) for t in replies[:-1]),
        default=0.0,
    )
    return {
        f"f:turn={min(len(asked), 4)}": 1.0,
        "f:turn": min(len(asked), 12) / 12.0,
        "f:length": min(len(tokens), 60) / 60.0,
        "f:short": 1.0 if len(tokens) <= 3 else 0.0,
        "f:shouting": shouting(text),
        "f:exclaim": min(exclamations(text), 3) / 3.0,
        "f:question": 1.0 if "?" in text else 0.0,
        "f:repeat_user": max((cosine(mine, past) for past in earlier_asks), default=0.0),
        "f:echo_reply": cosine(mine, reply_words),
        "f:reply_repeat": reply_repeat,
        "f:reply_failed": 1.0 if ASSISTANT_FAILED.search(reply_text) else 0.0,
        "f:reply_apology": 1.0 if APOLOGY.search(reply_text) else 0.0,
        "f:failures": min(failures, 4) / 4.0,
        "f:failed_before": 1.0 if failures - (1 if ASSISTANT_FAILED.search(reply_text) else 0) else 0.0,
        "f:denials": min(sum(1 for t in asked if negative_start(clean_text(t.text))), 3) / 3.0,
        "f:negative_start": 1.0 if negative_start(text) else 0.0,
        "f:polite_no": 1.0 if POLITE_NO.search(text) else 0.0,
        "f:anger": min(len(ANGER.findall(text)), 3) / 3.0,
        "f:missed": 1.0 if MISSED_POINT.search(text) else 0.0,
        "f:negates": 1.0 if NEGATES_ANSWER.search(text) else 0.0,
        "f:sarcasm": 1.0 if SARCASM.search(text) else 0.0,
        "f:praise_only": 1.0 if praise_only(text) else 0.0,
        "f:already": 1.0 if ALREADY_TRIED.search(text) else 0.0,
        "f:human": 1.0 if WANTS_HUMAN.search(text) else 0.0,
        "f:bias": 1.0,
    }


# --- plain-word signals -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FrustrationSignal:
    """One thing in the conversation that a person would call a sign of frustration."""

    name: str
    strength: float
    """How much this alone should raise the score (0..1); signals combine as independent evidence."""
    reason: str


PUNCTUATION_ONLY = 0.2
"""Strength of "??" or "!!" without capitals: impatience more than anger ("where's my order??")."""
REPEAT_THRESHOLD = 0.6
"""Content-word overlap with an earlier customer turn from which a message counts as repeated."""
REPLY_REPEAT_THRESHOLD = 0.8


def _message_signals(text: str) -> list[FrustrationSignal]:
    found: list[FrustrationSignal] = []
    anger = len(ANGER.findall(text)) + min(len(ANGRY_EMOJI.findall(text)), 2)
    if anger:
        found.append(FrustrationSignal("anger", min(0.8, 0.45 + 0.15 * anger), "angry or negative language"))
    caps, marks = shouting(text), exclamations(text)
    if caps >= 0.6 or marks >= 3:
        strength = 0.25 + 0.25 * max(caps, min(marks, 4) / 4)
    elif "!!" in text or "?!" in text or "??" in text:
        strength = PUNCTUATION_ONLY
    else:
        strength = 0.0
    enthusiasm = praise_only(text) and "??" not in text  # "HUGE props to the crew!!!", "hello!!"
    if strength and not enthusiasm:
        found.append(FrustrationSignal("shouting", strength, "shouting"))
    if SARCASM.search(text):
        found.append(FrustrationSignal("sarcasm", 0.45, "sarcastic thanks or praise"))
    if NEGATES_ANSWER.search(text) and not MISSED_POINT.search(text):
        found.append(FrustrationSignal("negates_answer", 0.35, "says the answer is wrong"))
    if ALREADY_TRIED.search(text):
        found.append(FrustrationSignal("already_tried", 0.45, "says they already tried that"))
    if ASKED_BEFORE.search(text):
        found.append(FrustrationSignal("asked_before", 0.45, "says they have asked before"))
    if MISSED_POINT.search(text):
        found.append(FrustrationSignal("missed_point", 0.35, "says the answer missed the point"))
    if WANTS_HUMAN.search(text) and asks_for_person(text):  # not "are you a real person?"
        # A request for a person is honoured by its own rule; alone it is not dissatisfaction.
        found.append(FrustrationSignal("wants_human", 0.2, "asked for a human"))
    return found


def frustration_signals(text: str, earlier: Sequence[Turn]) -> tuple[FrustrationSignal, ...]:
    """The named signs of frustration in a customer message, read with the turns before it."""
    text = clean_text(text)
    earlier = list(earlier)[-MAX_EARLIER_TURNS:]
    found = _message_signals(text)
    mine = content_words(words(text))
    asked = [t for t in earlier if t.speaker is Speaker.CUSTOMER]
    if len(mine) >= 3 and any(
        cosine(mine, content_words(words(clean_text(t.text)))) >= REPEAT_THRESHOLD for t in asked
    ):
        found.append(FrustrationSignal("repeated_question", 0.45, "repeated an earlier question"))
    replies = [clean_text(t.text) for t in earlier if t.speaker is Speaker.ASSISTANT]
    if replies:
        last = replies[-1]
        if ASSISTANT_FAILED.search(last):
            found.append(FrustrationSignal("assistant_failed", 0.25, "the assistant could not help"))
        last_words = content_words(words(last))
        if len(last_words) >= 4 and any(
            cosine(last_words, content_words(words(r))) >= REPLY_REPEAT_THRESHOLD for r in replies[:-1]
        ):
            found.append(FrustrationSignal("assistant_repeated", 0.35, "the assistant repeated itself"))
    before = [s for t in asked[-4:] for s in _message_signals(clean_text(t.text)) if s.name != "wants_human"]
    if before:
        strongest = max(s.strength for s in before)
        found.append(FrustrationSignal("frustrated_before", 0.5 * strongest, "frustrated earlier on"))
    return tuple(found)
