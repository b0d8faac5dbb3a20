"""How urgent a message is: deadlines, safety, money or access at risk. A score and its reasons."""

from __future__ import annotations

import re
from dataclasses import dataclass

# (reason, weight, pattern). Weights combine as independent evidence: 1 - prod(1 - w).
CUES: tuple[tuple[str, float, re.Pattern[str]], ...] = tuple(
    (reason, weight, re.compile(pattern, re.IGNORECASE))
    for reason, weight, pattern in (
        (
            "safety risk",
            0.9,
            r"\b(fire|smok(e|ing)|sparks?|burn(ed|t|ing)?|electric shock|shocked|explod\w*|injur\w*|hurt|"
            r"bleeding|choking|allergic reaction|poison\w*|unsafe|dangerous|gas leak|overheat\w*)\b",
        ),
        (
            "possible fraud",
            0.8,
            r"\b(fraud\w*|scam\w*|unauthori[sz]ed|stolen|identity theft|charged twice|double[- ]charged|"
            r"didn'?t make (this|that|these) (purchase|order|charge)s?|not my (purchase|order|charge)|"
            r"without (my )?(permission|consent|authori[sz]ation|knowledge)|"
            r"(did ?n'?t|did not|never) (authori[sz]ed?|approved?) (this |that |these |the |a |any )?"
            r"(charge|payment|transaction|purchase|withdrawal|transfer|debit)s?|"
            r"someone (else )?(used|took|stole|charged|withdrew|emptied|accessed) "
            r"([\w$€£,.]+ ){0,3}(from |on |in )?(my|our) (card|account|money|funds|bank))\b",
        ),
        (
            "account compromised",
            0.8,
            r"\b(hacked|compromised|"
            r"(someone|somebody|a stranger) (else )?((must|might|may) have |has |had )?"
            r"((logged|signed) ?in(to)?( (to )?(my|our) (account|profile))?|"
            r"(got|gotten|broken|hacked) into (my|our) (account|profile))|"
            r"(orders?|purchases?|payments?) (on|from|in) (my|our) account (that |which )?(i|we) "
            r"(did ?n'?t|did not|never) (place|make|made|order|buy|authori[sz]e)|"
            r"(i|we) (did ?n'?t|did not|never) (place|make|order) (this|that|these|those) orders?|"
            r"(password|e-?mail( address)?|phone number|login details?) (was|were|has been|have been|got) "
            r"changed,? (but |and |though |even though )?((i|we) (did ?n'?t|did not|never) "
            r"(do|change|request|ask for|authori[sz]e) (it|that|this|them)|"
            r"without (my|our) (permission|knowledge|consent)|without (me|us) (knowing|asking))|"
            r"(i|we) (did ?n'?t|did not|never) change (my|our|the) (password|e-?mail)( address)?,? (but|yet) "
            r"(it|someone|somebody))\b",
        ),
        (
            "locked out",
            0.5,
            r"\b(locked out|account (is |was |got |has been )?locked|"
            r"(can'?t|cannot|unable to) (log|sign) ?in(to)?)\b",
        ),
        (
            "explicitly urgent",
            0.6,
            r"\b(urgent\w*|emergency|asap|a\.s\.a\.p|immediately|right (now|away)|critical)\b",
        ),
        (
            "deadline",
            0.45,
            r"\b(today|tonight|tomorrow|by (monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
            r"noon|tonight|the weekend|end of (the )?day)|before (my|the) (flight|trip|wedding|event|"
            r"birthday|deadline)|deadline|running out of time|last day)\b",
        ),
        (
            "money at risk",
            0.4,
            r"\b(overdraft|overdrawn|late fee|penalt(y|ies)|charged (again|wrong|incorrectly)|"
            r"refund (still )?(missing|not received)|lost (my )?money)\b",
        ),
        ("legal threat", 0.5, r"\b(lawyer|attorney|sue|lawsuit|legal action|small claims|chargeback)\b"),
    )
)
EXCLAIM = re.compile(r"!{2,}")
REASONS = tuple(reason for reason, _, _ in CUES)
"""Every reason :func:`assess_urgency` can give; governance rules may name them as ``signals``."""


@dataclass(frozen=True, slots=True)
class UrgencyAssessment:
    score: float
    reasons: tuple[str, ...]


def assess_urgency(text: str) -> UrgencyAssessment:
    sample = (text or "")[:4000].replace("\u2019", "'")  # a typographic apostrophe reads as "'"
    remaining = 1.0
    reasons: list[str] = []
    for reason, weight, pattern in CUES:
        if pattern.search(sample):
            remaining *= 1.0 - weight
            reasons.append(reason)
    if reasons and EXCLAIM.search(sample):
        remaining *= 0.85
    return UrgencyAssessment(round(1.0 - remaining, 4), tuple(reasons))
