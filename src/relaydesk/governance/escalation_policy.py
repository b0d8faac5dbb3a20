"""The rule-based escalation policy: evaluates a policy file's triggers on every customer message."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from relaydesk.domain.capability_types import (
    ConversationContext,
    EscalationDecision,
    EscalationMode,
    FiredRule,
    ReplyAction,
    ReplyVerdict,
    ResponderReply,
    TriageResult,
)
from relaydesk.domain.models import Message
from relaydesk.governance import conversation_signals as signals
from relaydesk.governance.escalation_rules import EscalationRules, TriggerRule
from relaydesk.governance.policy import GovernancePolicy, load_policy
from relaydesk.governance.trigger_checks import CHECKS

MISSING_KNOWLEDGE = "missing knowledge"
"""The abstain reason of a specialist whose knowledge has no answer."""
ALREADY_SENT = "answer already sent"
"""The abstain reason of the knowledge responder when its best passage was sent before."""
FALLBACK = "fallback"
"""The responder of last resort ("I'm not sure I understood...")."""
KNOWLEDGE = "knowledge"
CLARIFY = "clarify"
"""The act of a reply that asks what a vague message is about (specialists/clarify.py)."""


POLITE_ENDINGS = frozenset({"offer_declined", "farewell"})
"""Social replies to a "no thanks" or a goodbye (catalogue keys, ``farewell.nothing_done`` included)
after which no person is offered, whatever the frustration score read. Not a thank-you: "great
policy, really helpful, thanks a lot" is sarcasm the phrase lists may read as thanks."""


class RulesEscalationPolicy:
    """Implements the ``EscalationPolicy`` port from a governance policy file.

    An explicit request for a person always escalates at once, whatever the file says. Rules marked
    ``offer`` make the AI offer a person (``offer_only``) instead of handing over; a person is
    offered at most once per conversation, so a customer who declines is never asked again.
    """

    def __init__(
        self,
        policy: GovernancePolicy,
        *,
        path: str | Path | None = None,
        max_ai_turns: int | None = None,
        escalate_on_missing_knowledge: bool = True,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.max_ai_turns = max_ai_turns
        self.escalate_on_missing_knowledge = escalate_on_missing_knowledge
        self._install(policy)

    @classmethod
    def from_file(
        cls, path: str | Path | None = None, *, max_ai_turns: int | None = None
    ) -> RulesEscalationPolicy:
        return cls(load_policy(path), path=path, max_ai_turns=max_ai_turns)

    def _install(self, policy: GovernancePolicy) -> None:
        rules = policy.escalation
        if self.max_ai_turns is not None:
            rules = rules.with_turn_limit(self.max_ai_turns)
        self.policy = policy
        self.rules: EscalationRules = rules
        self.version = policy.label + (f"+max_ai_turns={self.max_ai_turns}" if self.max_ai_turns else "")

    def reload(self) -> GovernancePolicy:
        """Read the file again; a bad file raises ``PolicyFileError`` and the current rules stay."""
        policy = load_policy(self.path)
        self._install(policy)
        return policy

    def evaluate(
        self, message: Message, triage: TriageResult, context: ConversationContext
    ) -> EscalationDecision:
        decision = self._evaluate(message, triage, context)
        if not decision.escalate and (
            signals.answer_to_offer(message.text, context.history) == "declined"
            or signals.declined_before(context.history)
        ):
            decision = replace(decision, declined_person=True)
        return decision

    def _evaluate(
        self, message: Message, triage: TriageResult, context: ConversationContext
    ) -> EscalationDecision:
        history = context.history
        answer = signals.answer_to_offer(message.text, history)
        explicit: list[FiredRule] = []
        if triage.wants_human:
            values: dict[str, Any] = {"wants_human": True, "triage_reasons": list(triage.reasons)}
            if signals.last_ai_offered(history):  # "yes, have someone from sales call me"
                values["offered_for"] = signals.last_offer_rules(history)
            explicit.append(
                FiredRule("explicit_request", "explicit", "the customer asked for a person", values)
            )
        elif answer == "accepted":
            offered_for = signals.last_offer_rules(history)
            explicit.append(
                FiredRule(
                    "accepted_offer",
                    "explicit",
                    "the customer accepted the offer of a person",
                    {"answer": message.text[:200], "offered_for": offered_for},
                )
            )
        direct: list[tuple[TriggerRule, FiredRule]] = []
        offers: list[tuple[TriggerRule, FiredRule]] = []
        for rule in self.rules.active():
            hit = CHECKS[rule.kind](rule, message, triage, context)
            if hit is not None:
                fired = FiredRule(rule.id, str(rule.family), hit[0], hit[1])
                (offers if rule.offer else direct).append((rule, fired))
        if explicit:
            return self._escalate(explicit, direct + offers, offer_only=False)
        if direct:
            return self._escalate([], direct + offers, offer_only=False)
        if offers:
            already = signals.offers_made(history)
            if already or answer == "declined":
                quiet = tuple(
                    FiredRule(f.rule, f.family, f.reason, {**f.values, "offer_suppressed": True})
                    for _, f in offers
                )
                why = (
                    "the customer declined it"
                    if answer == "declined" or signals.declined_before(history)
                    else "it was already offered"
                )
                return EscalationDecision(
                    False,
                    f"A person is not offered again because {why} ({_reasons(quiet)}).",
                    quiet,
                    version=self.version,
                )
            return self._escalate([], offers, offer_only=True)
        if answer == "declined":
            return EscalationDecision(
                False,
                "The customer declined the offer of a person; the AI carries on and will not offer again.",
                version=self.version,
            )
        return EscalationDecision(False, "No escalation trigger fired.", version=self.version)

    def review_reply(
        self, decision: EscalationDecision, reply: ResponderReply, abstained: Sequence[ResponderReply]
    ) -> ReplyVerdict:
        """The second half of the policy, once the AI has a reply in hand. A soft trigger (an offer)
        still lets the AI try: a good answer is sent with the offer, a knowledge gap escalates, and a
        reply of last resort (the fallback) is replaced by the offer itself. An answer from
        knowledge or tools settles a doubt that was only triage's, so that offer is withdrawn."""
        offer = decision if decision.escalate else None
        if (
            abstained
            and self.escalate_on_missing_knowledge
            and not reply.resolved
            and reply.responder == FALLBACK  # a flow or another responder took it up
        ):
            gaps = [a for a in abstained if a.abstain_reason == MISSING_KNOWLEDGE]
            if gaps and decision.declined_person:
                # They said no to a person: the AI says what it can instead of queuing them.
                return ReplyVerdict(ReplyAction.SEND)
            if gaps and offer is not None and offer.offer_only and reply.responder == FALLBACK:
                # The customer is being offered a person anyway (the answer did not help, a key
                # account): they choose, rather than being queued unasked.
                return ReplyVerdict(ReplyAction.OFFER_INSTEAD, offer=offer)
            if gaps:
                rule = FiredRule(
                    "missing_knowledge",
                    "policy",
                    "the knowledge base does not cover this",
                    {
                        "responders": [a.responder for a in gaps],
                        "confidence": max(a.confidence for a in gaps),
                    },
                )
                return ReplyVerdict(
                    ReplyAction.ESCALATE,
                    escalation=EscalationDecision(
                        True,
                        "The AI has no knowledge that answers this.",
                        (rule, *(offer.fired if offer else ())),
                        priority=offer.priority if offer else 0,
                        required_skills=offer.required_skills if offer else (),
                        version=self.version,
                    ),
                )
        if offer is not None and reply.responder == FALLBACK:
            return ReplyVerdict(ReplyAction.OFFER_INSTEAD, offer=offer)
        if (
            reply.responder == FALLBACK
            and not decision.declined_person  # they said no to a person: it is not offered again
            and any(a.abstain_reason == ALREADY_SENT for a in abstained)
        ):
            # The customer asks again what the help center already answered: it did not help.
            # Another try with the same passage would not either, so a person is offered.
            rule = FiredRule(
                "answer_already_given",
                "implicit",
                "the customer asked again what the help center's answer already covered",
                {"responder": "knowledge"},
            )
            again = EscalationDecision(
                True,
                f"Offer the customer a person: {rule.reason} (rule {rule.rule}).",
                (rule,),
                mode=EscalationMode.SOFT,
                offer_only=True,
                version=self.version,
            )
            return ReplyVerdict(ReplyAction.OFFER_INSTEAD, offer=again)
        if offer is not None and (
            reply.act == "off_topic"  # a trick or a question outside the business: declined, no offer
            # "no thanks", "bye": nothing but polite words (any harsh word makes the message more
            # than a social act), so a frustration reading there is the tone of a short line ("no
            # gracias" read 0.56), and a person offered right after a "no" contradicts it
            or (reply.act or "").split(".")[0] in POLITE_ENDINGS
            or reply.act == CLARIFY
            and _only_triage_doubt(offer)  # the question it asks is the answer to that doubt
            or reply.act not in (None, CLARIFY)
            and not any("frustration" in f.values for f in offer.fired)
            and not _for_opportunity(offer)
        ):
            # A social reply (a hello, thanks, a "no thanks", a question outside the business
            # declined) is no moment to offer a person: the offer waits for a real request.
            return ReplyVerdict(ReplyAction.SEND, withdrawn=offer)
        if offer is not None and reply.resolved and _only_triage_doubt(offer):
            return ReplyVerdict(ReplyAction.SEND, withdrawn=offer)
        if offer is not None and _for_opportunity(offer):
            # Someone to sell to is offered the sales team, not a flow's question about a product;
            # a help-center answer (their question answered) is sent with the offer.
            if reply.responder == KNOWLEDGE:
                return ReplyVerdict(ReplyAction.SEND, offer=offer)
            return ReplyVerdict(ReplyAction.OFFER_INSTEAD, offer=offer)
        in_flow = reply.progressed or bool(reply.asks)
        if offer is not None and in_flow and (offer.offer_only or _only_doubt_or_repeat(offer)):
            # A flow that moves on (asked for the order, took the confirmation) is not a customer
            # going round in circles, and an offer after a flow's question (even one asked again)
            # would turn the customer's next "yes" (meant for that question) into a request for a
            # person. A flow that stays stuck hands over by itself after its last try.
            return ReplyVerdict(ReplyAction.SEND, withdrawn=offer)
        return ReplyVerdict(ReplyAction.SEND, offer=offer)

    def _escalate(
        self, explicit: list[FiredRule], hits: list[tuple[TriggerRule, FiredRule]], *, offer_only: bool
    ) -> EscalationDecision:
        trigger = self.rules.explicit
        priorities = [trigger.priority] if explicit else []
        skills = [trigger.skill] if explicit and trigger.skill else []
        for accepted in explicit:  # a yes to an offer goes to whoever the offer was for (sales...)
            for rule in self.rules.active():
                if rule.id in accepted.values.get("offered_for", ()):
                    priorities.append(rule.priority)
                    skills.extend([rule.skill] if rule.skill else [])
        modes = [trigger.mode] if explicit else []
        for rule, _ in hits:
            priorities.append(rule.priority)
            modes.append(rule.mode)
            if rule.skill:
                skills.append(rule.skill)
        fired = tuple(explicit) + tuple(f for _, f in hits)
        mode = EscalationMode.HARD if EscalationMode.HARD in modes else EscalationMode.SOFT
        if explicit:
            reason = "The customer asked for a person, which is always honored at once."
            if hits:
                reason += f" Also: {_reasons(tuple(f for _, f in hits))}."
        elif offer_only:
            reason = f"Offer the customer a person: {_reasons(fired)}."
        else:
            reason = f"A person takes over: {_reasons(fired)}."
        return EscalationDecision(
            True,
            reason,
            fired,
            priority=max(priorities, default=0),
            required_skills=tuple(dict.fromkeys(skills)),
            mode=mode,
            offer_only=offer_only,
            version=self.version,
        )


def _reasons(fired: tuple[FiredRule, ...]) -> str:
    return "; ".join(f"{f.reason} (rule {f.rule})" for f in fired)


def _only_doubt_or_repeat(decision: EscalationDecision) -> bool:
    """True when every rule behind an offer doubted triage or saw a repeated message."""
    return bool(decision.fired) and all(
        rule.values.get("triage_doubt") or rule.family == "implicit" and "similarity" in rule.values
        for rule in decision.fired
    )


def _for_opportunity(decision: EscalationDecision) -> bool:
    """True when the offer is made for a sales opportunity (a rule of kind ``opportunity``)."""
    return any("cue" in rule.values for rule in decision.fired)


def _only_triage_doubt(decision: EscalationDecision) -> bool:
    """True when every rule behind an offer only doubted triage (out of scope, low confidence)."""
    return bool(decision.fired) and all(rule.values.get("triage_doubt") for rule in decision.fired)
