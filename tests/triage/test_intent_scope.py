"""The out-of-scope head and the operating-target threshold rule."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from relaydesk.domain.errors import InvalidInput
from relaydesk.triage.intent.artifact import load_model, manifest_of, save_model
from relaydesk.triage.intent.calibration import (
    OperatingTargets,
    calibrate_scores,
    choose_threshold,
    figures_at_threshold,
)
from relaydesk.triage.intent.model import IntentModel, IntentTrainingConfig, fit_model
from relaydesk.triage.intent.scope import ScopeHead, fit_scope_head, scope_readings
from relaydesk.triage.intent.vectors import model_vectors


def test_head_weighs_up_the_reading_that_separates_the_rows() -> None:
    rng = np.random.default_rng(0)
    in_scope = np.r_[np.ones(200, bool), np.zeros(40, bool)]
    useful = np.where(in_scope, 1.0, -1.0) + rng.normal(0, 0.3, len(in_scope))
    noise = rng.normal(0, 1, len(in_scope))
    head = fit_scope_head(("useful", "noise"), np.column_stack([useful, noise]), in_scope)
    weights = head.describe()
    assert weights["useful"] > 1.0 > abs(weights["noise"])
    scores = head(np.column_stack([useful, noise]))
    assert scores[in_scope].min() > scores[~in_scope].max() - 1.0


def test_head_needs_enough_out_of_scope_rows_and_says_how_many_it_got() -> None:
    matrix = np.zeros((30, 2))
    with pytest.raises(InvalidInput, match="25 in scope and 5 out of scope"):
        fit_scope_head(("a", "b"), matrix, np.r_[np.ones(25, bool), np.zeros(5, bool)])
    with pytest.raises(InvalidInput, match="do not match"):
        fit_scope_head(("a", "b", "c"), matrix, np.ones(30, bool))


def test_a_head_refuses_a_row_with_the_wrong_number_of_readings() -> None:
    head = ScopeHead(("a", "b"), np.zeros(2), np.ones(2), np.ones(2), 0.0)
    with pytest.raises(InvalidInput, match="reads 2 values"):
        head(np.zeros((1, 3)))


def test_readings_leave_out_what_the_model_does_not_have() -> None:
    probabilities = np.asarray([[0.7, 0.2, 0.1]])
    logits = np.log(probabilities)
    names, matrix = scope_readings(probabilities, logits, None, None)
    assert names == ("confidence", "energy") and matrix.shape == (1, 2)
    names, matrix = scope_readings(probabilities, logits, np.asarray([1.5]), 2)
    assert names == ("confidence", "energy", "distance", "oos_probability")
    assert matrix[0, 0] == pytest.approx(0.7) and matrix[0, 3] == pytest.approx(0.1)
    assert matrix[0, 1] == pytest.approx(np.log(0.9))


def test_operating_targets_put_equal_slack_on_both_requirements(embedder) -> None:  # type: ignore[no-untyped-def]
    texts = ["refund please", "money back", "reset password", "forgot password"] * 3
    labels = ["refund", "refund", "password", "password"] * 3
    model = fit_model(texts, labels, embedder.embed(texts), IntentTrainingConfig(knn_weight=0.0))
    # 10 in-scope rows, right, with rising confidence; 10 out-of-scope rows below and among them.
    confidence = np.r_[np.linspace(0.55, 0.95, 10), np.linspace(0.5, 0.8, 10)]
    probabilities = np.column_stack([confidence, 1 - confidence])  # columns: password, refund
    held = ["password"] * 10 + ["oos"] * 10
    choice = choose_threshold(model, probabilities, held, targets=OperatingTargets(0.6, 0.6))
    slack = OperatingTargets(0.6, 0.6).slack(choice.in_scope_accuracy, choice.oos_recall or 0.0)
    for threshold in np.unique(confidence):
        accepted = confidence >= threshold
        other = OperatingTargets(0.6, 0.6).slack(accepted[:10].mean(), (~accepted[10:]).mean())
        assert slack >= other - 1e-9


def test_targets_outside_zero_to_one_are_refused() -> None:
    with pytest.raises(InvalidInput, match="oos_recall=1.5"):
        OperatingTargets(0.9, 1.5)


def test_store_model_has_a_head_that_turns_away_off_topic_messages(
    store_intents: IntentModel, embedder
) -> None:  # type: ignore[no-untyped-def]
    assert store_intents.scope_head is not None
    off_topic = ["what is the capital of peru", "recommend me a good novel", "how tall is mount everest"]
    on_topic = ["where is my order", "I want to return these shoes", "I forgot my password"]
    for text, prediction in zip(
        off_topic + on_topic,
        store_intents.predict(
            off_topic + on_topic, model_vectors(store_intents, embedder, off_topic + on_topic)
        ),
        strict=True,
    ):
        assert prediction.in_scope is (text in on_topic), (text, prediction)
        assert prediction.readings and prediction.scope >= store_intents.threshold or not prediction.in_scope


def test_head_survives_save_and_load(tmp_path: Path, store_intents: IntentModel, embedder) -> None:  # type: ignore[no-untyped-def]
    texts = ["where is my parcel", "write me a poem about the sea"]
    vectors = model_vectors(store_intents, embedder, texts)
    loaded = load_model(save_model(store_intents, tmp_path / "m"), embedder)
    before, after = store_intents.predict(texts, vectors), loaded.predict(texts, vectors)
    assert [p.in_scope for p in before] == [p.in_scope for p in after]
    assert [p.scope for p in before] == pytest.approx([p.scope for p in after], abs=1e-3)
    assert set(manifest_of(loaded)["scope_head"]) >= {"confidence", "energy", "oos_probability"}


def test_held_out_figures_do_not_grade_the_calibration_on_its_own_rows(
    store_intents: IntentModel,
) -> None:
    held = manifest_of(store_intents)["held_out"]
    assert "one half" in held["method"]
    same_rows = held["calibration_rows"]
    assert 0.5 < held["in_scope_accuracy"] <= 1.0 and 0.5 < held["oos_recall"] <= 1.0
    assert (held["in_scope_accuracy"], held["oos_recall"]) != (
        same_rows["in_scope_accuracy"],
        same_rows["oos_recall"],
    )


def test_figures_at_a_threshold_count_as_the_threshold_choice_does(embedder) -> None:  # type: ignore[no-untyped-def]
    texts = ["refund please", "money back", "reset password", "forgot password", "weather", "a poem"] * 3
    labels = ["refund", "refund", "password", "password", "oos", "oos"] * 3
    model = fit_model(texts, labels, embedder.embed(texts), IntentTrainingConfig(knn_weight=0.0))
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(40, len(model.labels)))
    held = [str(rng.choice(model.labels)) for _ in range(40)]
    calibrated, choice = calibrate_scores(model, logits, None, held)
    assert figures_at_threshold(calibrated, logits, None, held) == (
        choice.in_scope_accuracy,
        choice.oos_recall,
    )
