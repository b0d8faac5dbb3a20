"""The distance of a sentence vector from the trained intents, and its part in the scope decision."""

from __future__ import annotations

import numpy as np
import pytest

from relaydesk.domain.errors import InvalidInput
from relaydesk.triage.intent.calibration import choose_threshold
from relaydesk.triage.intent.distance import fit_scope_distance
from relaydesk.triage.intent.model import IntentTrainingConfig, fit_model


def clusters(rng: np.random.Generator, centres: np.ndarray, per: int, spread: float) -> np.ndarray:
    rows = np.repeat(centres, per, axis=0) + spread * rng.standard_normal(
        (len(centres) * per, centres.shape[1])
    )
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_vector_far_from_every_intent_scores_higher_than_one_near_an_intent() -> None:
    rng = np.random.default_rng(3)
    centres = np.eye(16)[:3]
    vectors = clusters(rng, centres, 20, 0.05)
    distance = fit_scope_distance(vectors, ["a"] * 20 + ["b"] * 20 + ["c"] * 20)
    near = clusters(rng, centres[:1], 1, 0.05)
    far = clusters(rng, np.eye(16)[10:11], 1, 0.05)
    assert distance(far)[0] > distance(near)[0] + 1.0
    assert abs(float(distance(vectors).mean())) < 1e-6


def test_shrinkage_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(InvalidInput, match="1.5"):
        fit_scope_distance(np.eye(4), ["a", "a", "b", "b"], shrinkage=1.5)


def test_threshold_choice_weighs_the_distance_when_it_separates_out_of_scope_rows(embedder) -> None:  # type: ignore[no-untyped-def]
    texts = ["refund please", "money back", "reset password", "forgot password"] * 3
    labels = ["refund", "refund", "password", "password"] * 3
    model = fit_model(texts, labels, embedder.embed(texts), IntentTrainingConfig(knn_weight=0.0))
    probabilities = np.tile([0.9, 0.1], (6, 1))  # confident everywhere: only the distance tells apart
    held = ["password"] * 3 + ["oos"] * 3
    distances = np.asarray([-1.0, -0.5, 0.0, 3.0, 4.0, 5.0])
    choice = choose_threshold(model, probabilities, held, distances)
    assert choice.distance_weight > 0
    assert choice.in_scope_accuracy == 1.0 and choice.oos_recall == 1.0
    without = choose_threshold(model, probabilities, held)
    assert without.distance_weight == 0.0 and without.in_scope_accuracy + (without.oos_recall or 0) == 1.0
