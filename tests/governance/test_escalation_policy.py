"""Escalation triggers from the policy file: every family, offers made once, explicit always honored."""

from __future__ import annotations

from pathlib import Path

import pytest

from relaydesk.domain.capability_types import EscalationMode
from relaydesk.domain.models import CustomerTier, MessageRole
from relaydesk.governance.conversation_signals import OFFER_METADATA_KEY
from relaydesk.governance.escalation_policy import RulesEscalationPolicy
from relaydesk.governance.policy import load_policy, parse_policy
from relaydesk.rules_files.reader import PolicyFileError
from relaydesk.services.wiring import build_escalation
from relaydesk.settings import Settings
from tests.governance.conftest import ai, amount, context, msg, triage

OFFER = {OFFER_METADATA_KEY: True}


@pytest.fixture
def policy() -> RulesEscalationPolicy:
    return RulesEscalationPolicy(load_policy())


def fired(decision) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.rule for f in decision.fired]


def test_a_calm_in_scope_question_stays_with_the_ai(policy: RulesEscalationPolicy) -> None:
    decision = policy.evaluate(msg("Where is my order?"), triage(), context())
    assert not decision.escalate and decision.fired == ()
    assert decision.version == policy.version and policy.version.startswith("default-2025.2#")


def test_an_explicit_request_escalates_at_once_even_with_no_rules_at_all() -> None:
    empty = RulesEscalationPolicy(parse_policy("version: empty\n"))
    decision = empty.evaluate(msg("let me talk to a human"), triage(wants_human=True), context())
    assert decision.escalate and not decision.offer_only
    assert decision.fired[0].family == "explicit" and decision.mode == EscalationMode.HARD


def test_an_explicit_request_is_honored_even_after_the_customer_declined_an_offer(
    policy: RulesEscalationPolicy,
) -> None:
    history = [msg("this is taking forever"), ai("Would you like a person?", **OFFER), msg("no thanks")]
    decision = policy.evaluate(msg("actually get me a human"), triage(wants_human=True), context(history))
    assert decision.escalate and fired(decision)[0] == "explicit_request" and decision.priority == 2


def test_high_frustration_hands_over_with_the_values_it_saw(policy: RulesEscalationPolicy) -> None:
    decision = policy.evaluate(
        msg("this is useless!!"), triage(frustration=0.9, reasons=("shouting", "harsh words")), context()
    )
    assert decision.escalate and not decision.offer_only
    rule = next(f for f in decision.fired if f.rule == "frustrated_customer")
    assert rule.family == "implicit" and rule.values == {"frustration": 0.9, "threshold": 0.75}
    assert "frustration 0.90" in decision.reason


def test_a_frustration_score_alone_without_anger_or_shouting_only_offers(
    policy: RulesEscalationPolicy,
) -> None:
    """ "That's not what I asked" scores high on frustration from the conversation's shape, but the
    customer is neither angry nor shouting: a person is offered, not forced on them."""
    decision = policy.evaluate(
        msg("that's not what I asked"),
        triage(frustration=0.9, reasons=("says the answer missed the point", "says the answer did not help")),
        context(),
    )
    assert decision.escalate and decision.offer_only
    assert "frustrated_customer" not in fired(decision) and "answer_did_not_help" in fired(decision)


def test_harsh_words_bring_a_person_at_once_even_at_a_low_score(policy: RulesEscalationPolicy) -> None:
    decision = policy.evaluate(
        msg("you're useless"), triage(frustration=0.2, reasons=("harsh words",)), context()
    )
    assert decision.escalate and not decision.offer_only and fired(decision) == ["harsh_words"]
    assert decision.fired[0].reason == "the customer's words: harsh words (frustration 0.20)"


def test_mild_frustration_only_offers_a_person_and_only_once(policy: RulesEscalationPolicy) -> None:
    first = policy.evaluate(msg("hmm, not great"), triage(frustration=0.6), context())
    assert first.escalate and first.offer_only and first.mode == EscalationMode.SOFT
    history = [msg("hmm, not great"), ai("Would you like me to bring in a person?", **OFFER)]
    declined = policy.evaluate(msg("no, let's keep going"), triage(frustration=0.6), context(history))
    assert not declined.escalate and "declined" in declined.reason
    history += [msg("no, let's keep going"), ai("Sure.")]
    later = policy.evaluate(msg("still annoyed"), triage(frustration=0.6), context(history))
    assert not later.escalate and later.fired[0].values["offer_suppressed"] is True


def test_accepting_an_offer_escalates_as_an_explicit_request(policy: RulesEscalationPolicy) -> None:
    history = [msg("hmm"), ai("Shall I bring in a person?", **OFFER)]
    decision = policy.evaluate(msg("yes please"), triage(), context(history))
    assert decision.escalate and not decision.offer_only and fired(decision) == ["accepted_offer"]


@pytest.mark.parametrize(
    ("answer", "accepted"),
    [
        ("yes please", True),
        ("Yes, the parcel is still missing", True),
        ("ok", True),
        ("sure, connect me to someone who can check the refund", True),
        ("ok and who won the world cup in 2010?", False),
        ("okay, but first tell me how long a refund takes to reach my card", False),
        ("sure, what can you tell me about the return window?", False),
        ("sure, what does your team say about refunds?", False),
        ("ok, is someone from your team available on sundays?", False),
        ("ok and where is my refund", False),
        ("sure, I don't need a person", False),
        ("ok, no need", False),
        ("yes, can you connect me to someone?", True),
        ("sure, I don't need you to connect me", False),
        ("yes please connect me, I don't want to wait", True),
        ("yes please, a person from your team", True),
    ],
)
def test_a_yes_followed_by_a_new_question_is_not_an_answer_to_the_offer(
    policy: RulesEscalationPolicy, answer: str, accepted: bool
) -> None:
    history = [msg("what is the capital of peru"), ai("Shall I bring in a person?", **OFFER)]
    decision = policy.evaluate(msg(answer), triage(), context(history))
    assert ("accepted_offer" in fired(decision)) is accepted


def test_the_same_question_twice_is_noticed(policy: RulesEscalationPolicy) -> None:
    history = [msg("How do I reset my account password?"), ai()]
    decision = policy.evaluate(msg("how do i reset my password for my account??"), triage(), context(history))
    assert decision.offer_only and "same_question_twice" in fired(decision)
    different = policy.evaluate(msg("Which colours does the mug come in?"), triage(), context(history))
    assert not different.escalate


def test_repeated_failed_answers_escalate(policy: RulesEscalationPolicy) -> None:
    history = [
        msg("q1 about shipping"),
        ai("no idea", responder="fallback"),
        msg("q2 about billing"),
        ai("no idea", responder="fallback"),
    ]
    decision = policy.evaluate(msg("q3 about returns"), triage(), context(history))
    assert decision.escalate and not decision.offer_only
    assert decision.fired[0].values == {"failed_attempts": 2, "max_failures": 2}


def test_failures_before_an_agent_last_spoke_do_not_count(policy: RulesEscalationPolicy) -> None:
    history = [
        ai("no idea", responder="fallback"),
        ai("no idea", responder="fallback"),
        msg("ok, handing you back", MessageRole.AGENT),
    ]
    assert not policy.evaluate(msg("new question on delivery"), triage(), context(history)).escalate


def test_a_long_session_offers_a_person(policy: RulesEscalationPolicy) -> None:
    history = [msg(f"message number {i} with words") for i in range(24)]
    decision = policy.evaluate(msg("one more thing here"), triage(), context(history))
    assert "long_session" in fired(decision)


@pytest.mark.parametrize(
    ("text", "intent", "rule", "skill"),
    [
        ("I will contact my lawyer about this", None, "legal_or_security", "escalations"),
        ("Someone hacked my account", None, "legal_or_security", "escalations"),
        ("please check this", "billing_dispute", "billing_dispute", "billing"),
        ("I want to cancel my account today", None, "cancellation_threat", "retention"),
    ],
)
def test_sensitive_topics_go_to_the_right_skill(
    policy: RulesEscalationPolicy, text: str, intent: str | None, rule: str, skill: str
) -> None:
    decision = policy.evaluate(msg(text), triage(intent=intent), context())
    assert decision.escalate and rule in fired(decision) and skill in decision.required_skills


def test_a_large_amount_escalates_and_a_small_one_does_not(policy: RulesEscalationPolicy) -> None:
    big = policy.evaluate(msg("refund $1500"), triage(entities=(amount(1500.0),)), context())
    assert big.escalate and big.fired[0].values == {"amount": 1500.0, "over": 1000.0}
    assert not policy.evaluate(msg("refund $15"), triage(entities=(amount(15.0),)), context()).escalate


def test_key_accounts_are_offered_a_person(policy: RulesEscalationPolicy) -> None:
    decision = policy.evaluate(msg("hello there friend"), triage(), context(tier=CustomerTier.VIP))
    assert decision.offer_only and fired(decision) == ["key_account"] and decision.priority == 2


def test_out_of_scope_and_low_confidence_are_offered_a_person(policy: RulesEscalationPolicy) -> None:
    assert fired(policy.evaluate(msg("what is the meaning of life"), triage(in_scope=False), context())) == [
        "out_of_scope"
    ]
    unsure = policy.evaluate(msg("blorp the thing"), triage(confidence=0.1), context())
    assert fired(unsure) == ["unsure_what_is_asked"] and unsure.fired[0].values["confidence"] == 0.1
    no_intent = triage(intent=None, confidence=0.0)
    assert not policy.evaluate(msg("thanks a lot"), no_intent, context()).escalate


def test_turns_and_minutes_without_resolution_escalate(policy: RulesEscalationPolicy) -> None:
    assert fired(policy.evaluate(msg("and now?"), triage(), context(ai_turns=6))) == ["too_many_ai_turns"]
    assert not policy.evaluate(msg("and now?"), triage(), context(ai_turns=5)).escalate
    assert fired(policy.evaluate(msg("and now?"), triage(), context(now_minutes=45))) == ["too_long_with_ai"]


def test_settings_max_ai_turns_overrides_the_policy_turn_rule_when_set() -> None:
    policy = build_escalation(Settings(max_ai_turns=2, _env_file=None))  # type: ignore[call-arg]
    assert policy.evaluate(msg("and now?"), triage(), context(ai_turns=2)).escalate
    assert "max_ai_turns=2" in policy.version
    default = build_escalation(Settings(_env_file=None))  # type: ignore[call-arg]
    assert not default.evaluate(msg("and now?"), triage(), context(ai_turns=2)).escalate


def test_hard_wins_over_soft_and_the_highest_priority_is_kept(policy: RulesEscalationPolicy) -> None:
    decision = policy.evaluate(
        msg("my lawyer will hear about this"),
        triage(frustration=0.9, reasons=("harsh words",)),
        context(tier=CustomerTier.VIP),
    )
    assert decision.mode == EscalationMode.HARD and decision.priority == 3
    assert set(fired(decision)) >= {"legal_or_security", "frustrated_customer", "key_account"}


def test_a_bad_reload_keeps_the_previous_policy(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(
        "version: v1\nescalation:\n  time_turns:\n    - {id: turns, kind: ai_turns, max_turns: 3}\n"
    )
    policy = RulesEscalationPolicy.from_file(path)
    path.write_text(
        "version: v2\nescalation:\n  time_turns:\n    - {id: turns, kind: ai_turns, max_turns: 0}\n"
    )
    with pytest.raises(PolicyFileError) as caught:
        policy.reload()
    assert caught.value.line == 4 and caught.value.file == str(path)
    assert policy.version.startswith("v1#")
    assert policy.evaluate(msg("hi"), triage(), context(ai_turns=3)).escalate
    path.write_text(
        "version: v3\nescalation:\n  time_turns:\n    - {id: turns, kind: ai_turns, max_turns: 9}\n"
    )
    policy.reload()
    assert policy.version.startswith("v3#")
    decision = policy.evaluate(msg("hi"), triage(), context(ai_turns=3))
    assert not decision.escalate and decision.version.startswith("v3#")


def test_a_triage_signal_fires_a_topic_rule_and_an_unknown_signal_is_refused(
    policy: RulesEscalationPolicy,
) -> None:
    text = "There is an order on my account that I did not place"
    decision = policy.evaluate(msg(text), triage(reasons=("account compromised",)), context())
    assert decision.escalate and not decision.offer_only and "escalations" in decision.required_skills
    rule = next(f for f in decision.fired if f.rule == "legal_or_security")
    assert rule.values == {"signal": "account compromised"}
    locked = policy.evaluate(msg("I can't log in"), triage(reasons=("locked out",)), context())
    assert "legal_or_security" not in fired(locked)
    with pytest.raises(PolicyFileError, match='unknown signal "hackd"'):
        parse_policy("version: x\nescalation:\n  policy:\n    - {id: s, kind: topic, signals: [hackd]}\n")


def _reply(
    responder: str, *, text: str | None = "Here is how.", resolved: bool = False, why: str | None = None
):  # type: ignore[no-untyped-def]
    from relaydesk.domain.capability_types import ResponderReply

    return ResponderReply(text, responder, resolved=resolved, confidence=0.4, abstain_reason=why)


def test_a_knowledge_gap_escalates_with_the_policy_version(policy: RulesEscalationPolicy) -> None:
    from relaydesk.domain.capability_types import ReplyAction

    calm = policy.evaluate(msg("Where is my order?"), triage(), context())
    gap = _reply("knowledge", text=None, why="missing knowledge")
    verdict = policy.review_reply(calm, _reply("fallback"), [gap])
    assert verdict.action == ReplyAction.ESCALATE and verdict.escalation is not None
    assert [f.rule for f in verdict.escalation.fired] == ["missing_knowledge"]
    assert verdict.escalation.version == policy.version
    off = RulesEscalationPolicy(load_policy(), escalate_on_missing_knowledge=False)
    assert off.review_reply(calm, _reply("fallback"), [gap]).action == ReplyAction.SEND


def test_an_offer_replaces_a_reply_of_last_resort_and_follows_a_real_answer(
    policy: RulesEscalationPolicy,
) -> None:
    from relaydesk.domain.capability_types import EscalationDecision, FiredRule, ReplyAction

    offer = EscalationDecision(
        True, "offer", (FiredRule("frustration", "implicit", "upset", {}),), offer_only=True
    )
    assert policy.review_reply(offer, _reply("fallback"), []).action == ReplyAction.OFFER_INSTEAD
    sent = policy.review_reply(offer, _reply("knowledge", resolved=True), [])
    assert sent.action == ReplyAction.SEND and sent.offer is offer and sent.withdrawn is None
    doubt = EscalationDecision(
        True, "doubt", (FiredRule("out_of_scope", "policy", "odd", {"triage_doubt": True}),), offer_only=True
    )
    settled = policy.review_reply(doubt, _reply("knowledge", resolved=True), [])
    assert settled.action == ReplyAction.SEND and settled.offer is None and settled.withdrawn is doubt
