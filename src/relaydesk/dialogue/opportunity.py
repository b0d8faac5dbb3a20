"""Opportunity signals: a customer who wants to buy in bulk, for a business, to resell, or to
upgrade is worth a person with the sales skill, offered as such (not treated as a complaint).

``opportunity(text)`` returns the words that make a message an opportunity, or None. The policy's
``opportunity`` rule kind (governance/escalation_policy.py) reads it, so the offer is a rule like
any other: logged, routed by its skill, switched off or re-worded in the policy file.
"""

from __future__ import annotations

import re

_CUES = re.compile(
    r"\b(bulk|wholesale|volume (pricing|price|discount|deal|order)s?|business (pricing|price|rate|"
    r"account|customer|discount|deal)s?|corporate (deal|rate|pricing|account|gift|order|discount)s?|"
    r"trade (program|programme|account|pricing|price|discount)|resell\w*|reseller|distribut(or|ors|ion)|"
    r"b2b|net[- ]?30|purchase order|for (my|our) (company|business|office|staff|employees|team|hotel|"
    r"restaurant|cafe|café|school|shop|store|stores|buildings|clients|customers)|"
    r"(my|our) (company|business|hotel|restaurant|cafe|school|office|chain)\b.{0,60}\b(buy|order|"
    r"pric\w*|deal|discount|account)\b|(sell|selling) to (companies|businesses)|"
    r"(buy|order|need|get|purchase)\w* (like |about |around |some )?\d{2,} (\w+ )?(units|pieces|pcs|"
    r"kettles|blenders|heaters|chairs|lamps|bottles|items|gift cards|of (them|these|those))|"
    r"(any|a) deal for (that|this) many|upgrade (all|every|our|my whole)|(want|like) to upgrade|"
    # Spanish, French, German, Portuguese
    r"al por mayor|mayorista|precio(s)? para empresas|en gros|grossiste|tarif(s)? (professionnel|"
    r"entreprise)s?|großhandel|grosshandel|mengenrabatt|firmenkunde\w*|atacado|revend\w*|revenda|"
    r"pre[çc]o(s)? para empresas)",
    re.IGNORECASE,
)


def opportunity(text: str) -> str | None:
    """The words that make ``text`` a sales opportunity, or None."""
    found = _CUES.search(text or "")
    return found.group(0) if found else None
