"""What a customer says about the help they are getting, in the five languages the AI speaks:
that the last answer did not help ("this isn't helping", "still not working", "not what I asked",
"thanks for nothing"), and harsh words about the service ("useless", "a joke", "worst support
ever", "¡esto es una vergüenza!").

Triage adds them to its reasons (``NOT_HELPED`` and ``HARSH``), so the escalation policy can tell
a customer the answer missed (offered a person, politely) from one who is angry with the service
(brought to a person at once), instead of reading both as one frustration score.
"""

from __future__ import annotations

import re

NOT_HELPED = "says the answer did not help"
HARSH = "harsh words"
CAPITALS = "writes in capitals"
"""Most of the message in capital letters: shouting in writing (question marks alone are not)."""
MIN_CAPITAL_LETTERS = 8
CAPITAL_SHARE = 0.7

_NOT_HELPED = re.compile(
    r"\b(((this|that|it|you)( is|'s|s| are|'re)? )?(not|n'?t|isn'?t|wasn'?t|aren'?t|doesn'?t|didn'?t|"
    r"does not|did not|is not|was not) (help(ing|ful)?|answer(ing)?|useful|"
    r"what i (asked|wanted|meant|need(ed)?))|"
    r"no help|not helpful|unhelpful|doesn'?t help|does not help|didn'?t help|did not help|"
    r"thanks for nothing|still (not|doesn'?t|won'?t|isn'?t) (work|help|show|load|go|accept)\w*|"
    r"still (says|shows|getting|get|the same|broken|nothing|no luck)|(it|that|this) (does ?n'?t|did ?n'?t|"
    r"does not|did not) (work|answer)|not what i (asked|wanted|meant|need(ed)?)|"
    r"you('re| are) not (listening|reading)|doesn'?t answer|did ?n'?t answer my|that'?s not (it|right)|"
    r"i (already|just) (tried|did) (that|this|it)|tried that already|same (answer|thing) again|"
    # Spanish
    r"no me (sirve|ayuda|ayudó|ayudo|ha ayudado|funciona)|no sirve|sigue sin (funcionar|llegar|aparecer)|"
    r"no es lo que (pregunté|pregunte|pedí|pedi)|no ayuda|"
    # French
    r"(ça|ca|cela) ne (m'aide|marche|fonctionne|répond) (pas|toujours pas)|ne m'aide pas|"
    r"(marche|fonctionne) toujours pas|ce n'est pas ce que j'ai demandé|pas utile|"
    # German
    r"hilft (mir )?(nicht|null|kein bisschen|gar nicht)|hilft mir .{0,30}\bnicht\b|"
    r"(nicht|kein bisschen) (wirklich )?weiter|(klappt|funktioniert|geht) (immer )?noch nicht|"
    r"nicht (hilfreich|meine frage)|bringt mir nichts|"
    # Portuguese
    r"n[ãa]o (me )?(ajud(a|ou)|serve|resolve(u)?|funciona)|continua sem (funcionar|chegar)|"
    r"n[ãa]o foi (isso|o) que (perguntei|pedi))\b",
    re.IGNORECASE,
)
_HARSH = re.compile(
    r"\b(ridiculous|useless|pathetic|incompetent|stupid|idiot\w*|dumb|joke|garbage|crap|rubbish|"
    r"nonsense|wtf|damn\w*|scam\w*|rip ?off|disgrace\w*|shameful|unacceptable|outrageous|"
    r"worst (\w+ )?(service|support|company|shop|store|experience|bot)|worst \w* ?ever|"
    r"waste of (my )?time|wasting my time|wasted \w+ (minutes|hours)|are you (even )?(reading|listening)|"
    r"(fed up|sick and tired|sick of)|never (shop|buy|order)\w* (here|from you) again|"
    # Spanish
    r"vergüenza|verguenza|inútil\w*|inutil\w*|ridícul\w*|ridicul\w*|basura|pésim\w*|pesim\w*|estafa|"
    r"una broma|hart[oa]s?|"
    # French
    r"nul(le)?|catastrophe|honteux|honte|inadmissible|inacceptable|ridicule|j'en ai marre|arnaque|"
    r"n'importe quoi|"
    # German
    r"unverschämt|unverschaemt|frechheit|schlechteste\w*|lächerlich|laecherlich|katastrophe|nutzlos|"
    r"betrug|unglaublich|zumutung|"
    # Portuguese
    r"piada|vergonha|péssimo|pessimo|absurdo|lixo|palhaçada|palhacada)\b",
    re.IGNORECASE,
)


def feedback_reasons(text: str) -> tuple[str, ...]:
    """The reasons ``text`` gives: ``NOT_HELPED``, ``HARSH``, ``CAPITALS``, or none."""
    found = []
    letters = [c for c in text or "" if c.isalpha() and c.lower() != c.upper()]
    if (
        len(letters) >= MIN_CAPITAL_LETTERS
        and sum(c.isupper() for c in letters) / len(letters) >= CAPITAL_SHARE
    ):
        found.append(CAPITALS)
    if _NOT_HELPED.search(text or ""):
        found.append(NOT_HELPED)
    if _HARSH.search(text or ""):
        found.append(HARSH)
    return tuple(found)
