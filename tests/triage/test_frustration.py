"""The frustration detector reads the conversation, names its reasons and never fails on odd input."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from relaydesk.domain.capability_types import ConversationContext
from relaydesk.domain.models import (
    MessageRole,
)
from relaydesk.testing import make_context
from relaydesk.triage.frustration.detector import FrustrationAssessment, load_frustration_detector
from relaydesk.triage.frustration.features import Speaker, Turn, frustration_signals

NOW = datetime(2025, 1, 1, tzinfo=UTC)
DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def context(*turns: tuple[MessageRole, str]) -> ConversationContext:
    return make_context(*turns, customer_name="Sam")


C, AI = MessageRole.CUSTOMER, MessageRole.AI


def test_a_calm_conversation_scores_low_without_reasons() -> None:
    detector = load_frustration_detector()
    ctx = context(
        (C, "Hi, where is my order 48213?"),
        (AI, "It left our warehouse yesterday and should arrive on Thursday."),
    )
    result = detector.assess("Great, thank you for checking!", ctx)
    assert isinstance(result, FrustrationAssessment)
    assert result.score < 0.3
    assert result.reasons == ()


def test_an_angry_customer_who_already_tried_and_wants_a_person_scores_high() -> None:
    detector = load_frustration_detector()
    ctx = context(
        (C, "My card was charged twice for order 48213"),
        (AI, "Please try logging out and back in."),
    )
    result = detector.assess("I ALREADY TRIED THAT!!! This is useless, get me a real person", ctx)
    assert result.score > 0.8
    for reason in (
        "shouting",
        "says they already tried that",
        "asked for a human",
        "angry or negative language",
    ):
        assert reason in result.reasons


def test_a_repeated_question_after_an_unhelpful_assistant_is_noticed() -> None:
    detector = load_frustration_detector()
    refusal = "I'm sorry, I can't help with that. Could you rephrase your question?"
    ctx = context(
        (C, "Why was my card charged twice for order 48213?"),
        (AI, refusal),
        (C, "my card got charged twice, order 48213"),
        (AI, refusal),
    )
    result = detector.assess("Why was my card charged twice for order 48213?", ctx)
    assert result.score > 0.7
    assert "repeated an earlier question" in result.reasons
    assert "the assistant repeated itself" in result.reasons
    assert "the assistant could not help" in result.reasons


def test_the_same_message_scores_higher_after_a_reply_that_let_the_customer_down() -> None:
    detector = load_frustration_detector()
    helped = context((C, "Can you change my delivery address?"), (AI, "Done, the address is updated."))
    failed = context(
        (C, "Can you change my delivery address?"),
        (AI, "Unfortunately I am unable to change the address on that order."),
    )
    message = "Ok."
    assert detector.assess(message, failed).score > detector.assess(message, helped).score


def test_frustration_earlier_in_the_conversation_still_counts() -> None:
    detector = load_frustration_detector()
    angry_before = context(
        (C, "This is ridiculous, the parcel is late AGAIN!!"), (AI, "I am sorry to hear that.")
    )
    calm_before = context(
        (C, "Hello, a question about my parcel"), (AI, "Sure, what would you like to know?")
    )
    message = "When will it arrive?"
    assert "frustrated earlier on" in detector.assess(message, angry_before).reasons
    assert detector.assess(message, angry_before).score > detector.assess(message, calm_before).score


def test_system_notices_are_not_read_as_replies() -> None:
    detector = load_frustration_detector()
    notice = context(
        (C, "where is my refund"),
        (MessageRole.SYSTEM, "Unfortunately no agent is available. You are number 3 in the queue."),
    )
    assert "the assistant could not help" not in detector.assess("ok", notice).reasons


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😡" * 3,
        "🙂",
        "x" * 200_000,
        "\x00\x01\x02\xff\ufffd" * 1000,
        "Bonjour, où est ma commande ?",
    ],
    ids=["empty", "blank", "angry-emoji", "smile", "huge", "binary", "french"],
)
def test_odd_input_gives_a_valid_score(text: str) -> None:
    detector = load_frustration_detector()
    result = detector.assess(text, context((C, text), (AI, text)))
    assert 0.0 <= result.score <= 1.0
    assert all(isinstance(r, str) and r for r in result.reasons)


def test_input_that_is_not_text_scores_as_empty() -> None:
    detector = load_frustration_detector()
    empty = detector.assess("", context())
    assert detector.assess(None, None) == empty  # type: ignore[arg-type]
    assert detector.assess(b"\x00\xff", None) == empty  # type: ignore[arg-type]


def test_angry_emoji_count_as_negative_language() -> None:
    assert "angry or negative language" in load_frustration_detector().assess("😡😡", context()).reasons


def test_an_embedding_may_be_passed_and_changes_nothing() -> None:
    import numpy as np

    detector = load_frustration_detector()
    ctx = context((C, "hi"), (AI, "Hello! How can I help?"))
    with_vector = detector.assess("where is my parcel", ctx, embedding=np.ones(384, dtype=np.float32))
    assert with_vector == detector.assess("where is my parcel", ctx)


def test_the_shipped_model_is_versioned_and_loaded_once() -> None:
    detector = load_frustration_detector()
    assert detector is load_frustration_detector()
    assert detector.version.startswith("frustration-")
    manifest = detector.model.manifest
    assert "USS" in manifest["trained_on"] and manifest["created"]
    assert len(detector.model.weights) > 1000


def test_signals_are_rules_that_need_no_model() -> None:
    earlier = [Turn(Speaker.CUSTOMER, "reset my password please"), Turn(Speaker.ASSISTANT, "Done!")]
    names = {s.name for s in frustration_signals("That's not what I asked. Let me talk to a human.", earlier)}
    assert names == {"missed_point", "wants_human"}
    assert frustration_signals("thanks, all good", earlier) == ()


@pytest.mark.parametrize(
    "text",
    [
        "This is the THIRD time I'm asking. Where is my refund???",
        "fourth time writing to you about the same parcel",
        "How many times do I have to explain this",
        "I have asked twice already and nobody answered",
        "we've emailed you three times about this order",
    ],
)
def test_saying_they_asked_before_is_noticed(text: str) -> None:
    earlier = [
        Turn(Speaker.CUSTOMER, "where is my refund"),
        Turn(Speaker.ASSISTANT, "Refunds take 5-7 days."),
    ]
    assert "asked_before" in {s.name for s in frustration_signals(text, earlier)}
    assert load_frustration_detector().assess_turns(text, earlier).score >= 0.5


@pytest.mark.parametrize(
    "text",
    [
        "this is my second time ordering from you, love the shoes",
        "the first time I ordered it came fast",
        "second time coming to your store this week",
        "second time trying your shoes, love them",
        "this is the 1st time I am contacting you",
    ],
)
def test_a_second_purchase_is_not_a_repeated_request(text: str) -> None:
    assert "asked_before" not in {s.name for s in frustration_signals(text, [])}


def test_mixed_case_is_not_shouting() -> None:
    names = {s.name for s in frustration_signals("My order from IKEA via UPS is late", [])}
    assert "shouting" not in names


def offer_threshold() -> float:
    """The threshold from which the shipped policy offers a person (rule ``mildly_frustrated``)."""
    from relaydesk.governance.policy import load_policy

    return next(r for r in load_policy().escalation.rules if r.id == "mildly_frustrated").params["threshold"]


@pytest.mark.parametrize(
    "text", ["HUGE props to the crew!!!", "Love it!!! Best shop ever!!!", "hello!! quick one"]
)
def test_capitals_and_exclamation_marks_of_praise_do_not_raise_the_score(text: str) -> None:
    result = load_frustration_detector().assess(text, context())
    assert result.score < 0.1
    assert "shouting" not in result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "thanks for ignoring all my messages",
        "thanks for nothing",
        "wow, only one. great policy, really helpful, thanks a lot",
    ],
)
def test_sarcastic_thanks_reach_the_offer_threshold(text: str) -> None:
    ctx = context((C, "can I use two discount codes?"), (AI, "Only one code can be used per order."))
    result = load_frustration_detector().assess(text, ctx)
    assert result.score >= offer_threshold()
    assert "sarcastic thanks or praise" in result.reasons


def test_thanks_that_mean_thanks_are_not_sarcasm() -> None:
    assert frustration_signals("Thanks so much for your help, that sorted it", []) == ()


def test_saying_the_answer_is_wrong_is_noticed() -> None:
    ctx = context((C, "when does my parcel arrive?"), (AI, "Your parcel arrives on Monday."))
    result = load_frustration_detector().assess("no, you got it wrong, I ordered express", ctx)
    assert "says the answer is wrong" in result.reasons
    assert result.score >= offer_threshold()


@pytest.mark.parametrize("text", ["no thanks, that's all", "nope that's everything, have a good one"])
def test_a_polite_no_at_the_end_is_not_dissatisfaction(text: str) -> None:
    ctx = context(
        (C, "how do I use a discount code?"),
        (AI, "Enter it in the Discount code box at checkout."),
        (C, "ok cool"),
        (AI, "Great! If anything else comes up, just write here."),
    )
    assert load_frustration_detector().assess(text, ctx).score < offer_threshold()


def test_a_declined_off_topic_question_is_not_read_as_a_failed_answer() -> None:
    from dataclasses import replace

    asked = context(
        (C, "do u think the lakers win tonight"), (AI, "That's not something I can help with, sorry.")
    )
    declined = replace(asked.history[1], metadata={"act": "off_topic"})
    ctx = replace(asked, history=(asked.history[0], declined))
    text = "haha ok. the password reset email never came, what do i do"
    assert load_frustration_detector().assess(text, ctx).score < offer_threshold()


def test_the_score_is_a_probability_with_its_calibration_and_threshold_in_the_manifest() -> None:
    manifest = load_frustration_detector().model.manifest
    assert "dissatisfied" in manifest["score_means"]
    assert manifest["offer_threshold"] == offer_threshold()
    assert manifest["val_at_offer_threshold"]["precision"] >= 0.5


@pytest.mark.data
@pytest.mark.parametrize("corpus", ["MWOZ", "SGD"])
def test_shipped_score_is_calibrated_on_held_out_uss_dialogues(corpus: str) -> None:
    path = DATA / "uss" / f"{corpus}.txt"
    if not path.exists():
        pytest.skip(f"public data not found at {path} (../shared/data beside the project)")
    import numpy as np
    from benchmarks.uss import labels, read_corpus, split
    from benchmarks.uss_calibration import at_threshold, reliability

    test_turns = split(read_corpus(corpus))["test"]
    detector = load_frustration_detector()
    scores = np.array([detector.assess_turns(t.text, list(t.earlier)).score for t in test_turns])
    ece, _ = reliability(labels(test_turns), scores)
    assert ece < 0.1
    assert at_threshold(labels(test_turns), scores, offer_threshold())["f1"] >= 0.45


@pytest.mark.data
def test_shipped_model_ranks_held_out_uss_dialogues() -> None:
    path = DATA / "uss" / "SGD.txt"
    if not path.exists():
        pytest.skip(f"public data not found at {path} (../shared/data beside the project)")
    from benchmarks.uss import labels, read_corpus, split
    from sklearn.metrics import roc_auc_score

    test_turns = split(read_corpus("SGD"))["test"]
    detector = load_frustration_detector()
    scores = [detector.assess_turns(t.text, list(t.earlier)).score for t in test_turns]
    assert roc_auc_score(labels(test_turns), scores) > 0.75
