"""Escalation triggers as data: the rule types, and reading them from a policy file section.

Four families, each a list of rules in the ``escalation`` section of a policy file:

- ``explicit``: the customer asks for a person. Always on; only its priority, skill and mode can be set.
- ``implicit``: frustration, the same question twice, repeated failed answers, a long session.
- ``policy``: topics and intents, amounts, customer tier, out-of-scope or low-confidence messages.
- ``time_turns``: still unresolved after N AI turns or T minutes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from relaydesk.domain.capability_types import EscalationMode
from relaydesk.domain.models import CustomerTier
from relaydesk.rules_files.reader import PolicyDocument, Reader
from relaydesk.triage.urgency import REASONS as SIGNAL_REASONS

RULE_ID = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
MAX_PRIORITY = 10


class TriggerFamily(StrEnum):
    EXPLICIT = "explicit"
    """The customer asked for a person."""
    IMPLICIT = "implicit"
    """Signals read from how the conversation goes (frustration, repetition, failures, length)."""
    POLICY = "policy"
    """What the request is about or who asks: topics, amounts, tier, scope, confidence."""
    TIME_TURNS = "time_turns"
    """How long the AI has had without resolving it."""


@dataclass(frozen=True, slots=True)
class ExplicitTrigger:
    """How an explicit request for a person is escalated (it always is)."""

    priority: int = 1
    mode: EscalationMode = EscalationMode.HARD
    skill: str | None = None


@dataclass(frozen=True, slots=True)
class TriggerRule:
    id: str
    family: TriggerFamily
    kind: str
    params: dict[str, Any]
    priority: int = 0
    mode: EscalationMode = EscalationMode.HARD
    skill: str | None = None
    offer: bool = False
    """Offer a person instead of handing over at once; offered at most once per conversation."""
    enabled: bool = True
    line: int | None = None
    """Where the rule starts in its policy file."""


@dataclass(frozen=True, slots=True)
class EscalationRules:
    explicit: ExplicitTrigger = field(default_factory=ExplicitTrigger)
    rules: tuple[TriggerRule, ...] = ()

    def active(self) -> tuple[TriggerRule, ...]:
        return tuple(r for r in self.rules if r.enabled)

    def with_turn_limit(self, max_turns: int) -> EscalationRules:
        """The same rules with every ``ai_turns`` rule set to ``max_turns`` (one added if none)."""
        rules = [
            TriggerRule(
                r.id,
                r.family,
                r.kind,
                {**r.params, "max_turns": max_turns},
                r.priority,
                r.mode,
                r.skill,
                r.offer,
                r.enabled,
                r.line,
            )
            if r.kind == "ai_turns"
            else r
            for r in self.rules
        ]
        if not any(r.kind == "ai_turns" for r in rules):
            rules.append(
                TriggerRule("ai_turns", TriggerFamily.TIME_TURNS, "ai_turns", {"max_turns": max_turns})
            )
        return EscalationRules(self.explicit, tuple(rules))


# -- the parameters of each kind ------------------------------------------------------------------
ParamReader = Callable[[Reader], dict[str, Any]]


def _fraction(r: Reader, key: str, *, never_above: bool, default: Any = ...) -> float:
    value = r.number(key, default)
    if value is None:
        return value
    if value < 0:
        raise r.error(key, f'bad threshold: "{key}" is {value}, it must be between 0 and 1')
    if value > 1:
        if never_above:
            raise r.error(key, f'rule can never fire: "{key}" is {value}, and the score never exceeds 1')
        raise r.error(key, f'bad threshold: "{key}" is {value}, it must be between 0 and 1')
    return value


def _count(r: Reader, key: str, default: Any = ...) -> int:
    value = r.integer(key, default)
    if value < 1:
        raise r.error(key, f'bad threshold: "{key}" is {value}, it must be at least 1')
    return value


def _frustration(r: Reader) -> dict[str, Any]:
    """``needs``: the rule fires only when triage gave one of these reasons too (the customer's
    own anger or shouting, not only a conversation that went round in circles)."""
    return {
        "threshold": _fraction(r, "threshold", never_above=True, default=0.7),
        "needs": tuple(r.texts("needs", [])),
    }


def _repeated_question(r: Reader) -> dict[str, Any]:
    similarity = _fraction(r, "similarity", never_above=True, default=0.8)
    if similarity == 0:
        raise r.error("similarity", 'bad threshold: "similarity" of 0 would call any two messages the same')
    return {"similarity": similarity, "min_words": _count(r, "min_words", 3)}


def _failed_attempts(r: Reader) -> dict[str, Any]:
    responders = r.texts("responders", ["fallback"])
    if not responders:
        raise r.error("responders", "rule can never fire: no responder counts as a failed attempt")
    return {"max_failures": _count(r, "max_failures", 2), "responders": responders}


def _long_session(r: Reader) -> dict[str, Any]:
    return {"max_customer_messages": _count(r, "max_customer_messages", 20)}


def _topic(r: Reader) -> dict[str, Any]:
    intents = r.texts("intents", [])
    keywords = r.texts("keywords", [])
    signals = r.texts("signals", [])
    if not intents and not keywords and not signals:
        raise r.error("kind", "rule can never fire: a topic rule needs intents, keywords or signals")
    known = set(SIGNAL_REASONS)
    for signal in signals:
        if signal not in known:
            raise r.error("signals", f'unknown signal "{signal}"; known: {", ".join(sorted(known))}')
    return {"intents": intents, "keywords": tuple(k.lower() for k in keywords), "signals": signals}


def _amount(r: Reader) -> dict[str, Any]:
    over = r.number("over", required=True)
    if over < 0:
        raise r.error("over", f'bad threshold: "over" is {over}, an amount limit cannot be negative')
    kinds = r.texts("entity_kinds", ["amount", "money"])
    if not kinds:
        raise r.error("entity_kinds", "rule can never fire: no entity kind is read as an amount")
    return {"over": over, "entity_kinds": kinds}


def _customer_tier(r: Reader) -> dict[str, Any]:
    tiers = r.texts("tiers", [])
    if not tiers:
        raise r.error("tiers", "rule can never fire: no customer tier is listed")
    known = {t.value for t in CustomerTier}
    for tier in tiers:
        if tier not in known:
            raise r.error("tiers", f'unknown customer tier "{tier}"; known: {", ".join(sorted(known))}')
    return {"tiers": tiers}


def _page(r: Reader) -> dict[str, Any]:
    pages = r.texts("pages", [])
    attributes = r.get(
        "attributes",
        lambda v: isinstance(v, dict) and all(isinstance(x, str | int | float) for x in v.values()),
        "a mapping of attribute names to values",
        {},
    )
    if not pages and not attributes:
        raise r.error("pages", "rule can never fire: no page pattern and no attribute is listed")
    for pattern in pages:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise r.error("pages", f'bad pattern "{pattern}": {exc}') from None
    minimum = r.integer("min_customer_messages", 1)
    if minimum < 1:
        raise r.error("min_customer_messages", "min_customer_messages must be 1 or more")
    return {
        "pages": pages,
        "attributes": {str(k): str(v) for k, v in attributes.items()},
        "min_customer_messages": minimum,
        "verified_only": r.boolean("verified_only", False),
    }


def _no_params(r: Reader) -> dict[str, Any]:
    return {}


def _out_of_scope(r: Reader) -> dict[str, Any]:
    return {}


def _low_confidence(r: Reader) -> dict[str, Any]:
    below = r.number("below", required=True)
    if below <= 0:
        raise r.error("below", f"rule can never fire: confidence is never below {below}")
    if below > 1:
        raise r.error("below", f'bad threshold: "below" is {below}, it must be between 0 and 1')
    return {"below": below}


def _ai_turns(r: Reader) -> dict[str, Any]:
    return {"max_turns": _count(r, "max_turns", 6)}


def _elapsed_minutes(r: Reader) -> dict[str, Any]:
    minutes = r.number("max_minutes", required=True)
    if minutes <= 0:
        raise r.error("max_minutes", f'bad threshold: "max_minutes" is {minutes}, it must be above 0')
    return {"max_minutes": minutes}


KINDS: dict[TriggerFamily, dict[str, tuple[ParamReader, tuple[str, ...]]]] = {
    TriggerFamily.IMPLICIT: {
        "frustration": (_frustration, ("threshold", "needs")),
        "repeated_question": (_repeated_question, ("similarity", "min_words")),
        "failed_attempts": (_failed_attempts, ("max_failures", "responders")),
        "long_session": (_long_session, ("max_customer_messages",)),
    },
    TriggerFamily.POLICY: {
        "topic": (_topic, ("intents", "keywords", "signals")),
        "amount": (_amount, ("over", "entity_kinds")),
        "customer_tier": (_customer_tier, ("tiers",)),
        "page": (_page, ("pages", "attributes", "min_customer_messages", "verified_only")),
        "out_of_scope": (_out_of_scope, ()),
        "opportunity": (_no_params, ()),
        "reopened": (_no_params, ()),
        "low_confidence": (_low_confidence, ("below",)),
    },
    TriggerFamily.TIME_TURNS: {
        "ai_turns": (_ai_turns, ("max_turns",)),
        "elapsed_minutes": (_elapsed_minutes, ("max_minutes",)),
    },
}
COMMON_FIELDS = ("id", "kind", "priority", "mode", "skill", "offer", "enabled")


def read_escalation(doc: PolicyDocument, value: Any) -> EscalationRules:
    """The ``escalation`` section of a policy document, validated."""
    path = ("escalation",)
    section = Reader(doc, path, value, "the escalation section")
    section.refuse_unknown(["explicit", *[f.value for f in KINDS]])
    explicit = _read_explicit(doc, section.value.get("explicit", {}))
    rules: list[TriggerRule] = []
    seen: dict[str, int | None] = {}
    for family in KINDS:
        for index, item in enumerate(section.sequence(family.value)):
            rule = _read_rule(doc, (*path, family.value, index), item, family)
            if rule.id in seen:
                raise doc.error(
                    (*path, family.value, index, "id"),
                    f'the rule id "{rule.id}" is used twice (first on line {seen[rule.id]})',
                )
            seen[rule.id] = rule.line
            rules.append(rule)
    return EscalationRules(explicit, tuple(rules))


def _read_explicit(doc: PolicyDocument, value: Any) -> ExplicitTrigger:
    r = Reader(doc, ("escalation", "explicit"), value, "the explicit trigger")
    r.refuse_unknown(
        ["priority", "mode", "skill"],
        hint=" (an explicit request for a person is always honored and cannot be switched off)",
    )
    return ExplicitTrigger(priority=_priority(r, 1), mode=_mode(r), skill=r.optional_text("skill"))


def _priority(r: Reader, default: int) -> int:
    value = r.integer("priority", default)
    if not 0 <= value <= MAX_PRIORITY:
        raise r.error("priority", f'"priority" is {value}, it must be from 0 to {MAX_PRIORITY}')
    return value


def _mode(r: Reader) -> EscalationMode:
    value = r.text("mode", "hard")
    try:
        return EscalationMode(value)
    except ValueError:
        raise r.error("mode", f'"mode" is "{value}", it must be hard or soft') from None


def _read_rule(
    doc: PolicyDocument, path: tuple[str | int, ...], value: Any, family: TriggerFamily
) -> TriggerRule:
    r = Reader(doc, path, value, f"a {family.value} rule")
    rule_id = r.text("id", required=True)
    if not RULE_ID.match(rule_id):
        raise r.error("id", f'rule id "{rule_id}" must be lower case letters, digits and _')
    r.what = f'rule "{rule_id}"'
    kind = r.text("kind", required=True)
    kinds = KINDS[family]
    if kind not in kinds:
        raise r.error("kind", f'unknown kind "{kind}" for a {family.value} rule; known: {", ".join(kinds)}')
    read_params, param_names = kinds[kind]
    r.refuse_unknown([*COMMON_FIELDS, *param_names])
    params = read_params(r)
    return TriggerRule(
        id=rule_id,
        family=family,
        kind=kind,
        params=params,
        priority=_priority(r, 0),
        mode=_mode(r),
        skill=r.optional_text("skill"),
        offer=r.boolean("offer", False),
        enabled=r.boolean("enabled", True),
        line=doc.line(path),
    )
