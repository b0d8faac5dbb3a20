"""Out-of-scope detection for a team with no out-of-scope examples: intents hidden inside the
cross-validation stand in for what the model was never taught."""

from __future__ import annotations

import numpy as np
import pytest

from relaydesk.triage.intent.artifact import (
    MIN_INTENTS_TO_HIDE,
    cross_validated_scores,
    intent_groups,
    train_from_examples,
)
from relaydesk.triage.intent.calibration import stratified_folds
from relaydesk.triage.intent.data import OOS_LABEL, IntentExamples
from relaydesk.triage.intent.model import IntentTrainingConfig
from relaydesk.triage.intent.vectors import model_vectors

INTENTS = {
    "track": [
        "where is my parcel",
        "track my package",
        "has my order shipped",
        "when will my box arrive",
        "my delivery is late",
        "status of my shipment",
    ],
    "refund": [
        "I want my money back",
        "refund please",
        "when do I get my refund",
        "refund my purchase",
        "I need a refund",
        "money back for my order",
    ],
    "password": [
        "I forgot my password",
        "reset my password",
        "can't log in",
        "my login fails",
        "locked out of my account",
        "password reset link",
    ],
    "cancel": [
        "cancel my order",
        "I changed my mind, cancel it",
        "don't send it",
        "stop my order",
        "please cancel the purchase",
        "cancel order before it ships",
    ],
    "address": [
        "change my delivery address",
        "wrong address on my order",
        "ship it somewhere else",
        "update the shipping address",
        "I moved, new address",
        "edit my address",
    ],
    "invoice": [
        "send me an invoice",
        "I need a receipt",
        "where is my invoice",
        "VAT invoice please",
        "download my receipt",
        "invoice for my company",
    ],
    "size": [
        "what size should I take",
        "size guide",
        "do the shoes run small",
        "which size fits me",
        "is medium too big",
        "size chart for jeans",
    ],
    "gift": [
        "can you gift wrap it",
        "add a gift message",
        "send as a present",
        "gift card balance",
        "buy a gift card",
        "gift wrapping options",
    ],
    "coupon": [
        "my discount code doesn't work",
        "apply a coupon",
        "promo code invalid",
        "do you have a voucher",
        "coupon expired",
        "where do I enter the code",
    ],
    "warranty": [
        "is it under warranty",
        "warranty claim",
        "broken after a month",
        "how long is the guarantee",
        "repair under warranty",
        "the zipper broke",
    ],
}


def examples(intents: dict[str, list[str]]) -> IntentExamples:
    texts = [text for rows in intents.values() for text in rows]
    labels = [label for label, rows in intents.items() for _ in rows]
    return IntentExamples(texts=tuple(texts), labels=tuple(labels), name="pretend")


def test_every_intent_is_hidden_in_exactly_one_fold() -> None:
    labels = list(examples(INTENTS).labels) + [OOS_LABEL] * 4
    groups = intent_groups(labels, 4, seed=13)
    assert set(groups) == set(INTENTS)  # out-of-scope rows are never hidden
    assert sorted(np.bincount(list(groups.values()))) == [2, 2, 3, 3]


def test_hidden_rows_are_scored_by_a_model_that_never_saw_their_intent(embedder) -> None:  # type: ignore[no-untyped-def]
    data = examples(INTENTS)
    texts, labels = list(data.texts), list(data.labels)
    vectors = model_vectors(None, embedder, texts)
    held = cross_validated_scores(texts, labels, vectors, IntentTrainingConfig(), folds=3, hide_intents=True)
    assert held.hidden is not None
    groups, folds = intent_groups(labels, 3, 13), stratified_folds(labels, 3, 13)
    assert held.hidden.tolist() == [groups[label] == fold for label, fold in zip(labels, folds, strict=True)]
    ordered = sorted(set(labels))
    for row in np.flatnonzero(held.hidden):  # its own intent's column was never fitted
        assert held.logits[row, ordered.index(labels[row])] == -1e3
    relabelled = held.calibration_labels(labels)
    assert relabelled.count(OOS_LABEL) == int(held.hidden.sum()) > 0
    assert [a for a, h in zip(relabelled, held.hidden, strict=True) if not h] == [
        b for b, h in zip(labels, held.hidden, strict=True) if not h
    ]


def test_model_without_out_of_scope_examples_learns_a_scope_head(embedder) -> None:  # type: ignore[no-untyped-def]
    model = train_from_examples(examples(INTENTS), embedder, folds=3)
    assert model.scope_head is not None
    assert "oos_probability" not in model.scope_head.readings
    assert model.info["held_out"]["out_of_scope_rows"].startswith("pretend")
    assert model.info["held_out"]["oos_recall"] is not None
    texts = ["where's my package?", "please refund me", "what's the capital of Australia", "tell me a joke"]
    track, refund, *foreign = model.predict(texts, model_vectors(model, embedder, texts))
    assert (track.intent, refund.intent) == ("track", "refund")
    # Sixty examples are too few for the 98% rule to turn much away (it keeps all but the lowest
    # right row); the head's score still puts foreign messages far below the shop's own.
    assert max(p.scope for p in foreign) < min(track.scope, refund.scope) - 2.0


def test_confidence_floor_turns_away_what_the_head_would_keep(embedder, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from relaydesk.triage.intent.artifact import load_model, read_manifest, save_model

    model = train_from_examples(examples(INTENTS), embedder, folds=3)
    assert 0.0 < model.confidence_floor < 1.0
    assert read_manifest(save_model(model, tmp_path))["confidence_floor"] == model.confidence_floor
    assert load_model(tmp_path, embedder).confidence_floor == model.confidence_floor
    text = ["where's my package?"]
    prediction = model.predict(text, model_vectors(model, embedder, text))[0]
    assert prediction.in_scope and model.accepts(prediction)
    strict = replace(model, confidence_floor=prediction.confidence + 1e-6)
    assert not strict.predict(text, model_vectors(model, embedder, text))[0].in_scope
    assert not strict.accepts(prediction)


def test_too_few_intents_keep_the_confidence_rule(embedder) -> None:  # type: ignore[no-untyped-def]
    few = {label: INTENTS[label] for label in list(INTENTS)[: MIN_INTENTS_TO_HIDE - 1]}
    model = train_from_examples(examples(few), embedder, folds=3)
    assert model.scope_head is None
    assert model.info["held_out"]["out_of_scope_rows"] == "none"
    assert 0.0 < model.threshold < 1.0


@pytest.mark.parametrize("keep", [0.0, 1.5])
def test_keep_share_outside_the_unit_interval_is_refused(embedder, keep: float) -> None:  # type: ignore[no-untyped-def]
    from relaydesk.domain.errors import InvalidInput
    from relaydesk.triage.intent.calibration import choose_threshold
    from relaydesk.triage.intent.model import fit_model

    data = examples(INTENTS)
    vectors = model_vectors(None, embedder, list(data.texts))
    model = fit_model(list(data.texts), list(data.labels), vectors, sentence_width=embedder.dimension)
    probabilities = model.probabilities(list(data.texts), vectors)
    with pytest.raises(InvalidInput, match="share of right rows to keep"):
        choose_threshold(model, probabilities, list(data.labels), keep=keep)
