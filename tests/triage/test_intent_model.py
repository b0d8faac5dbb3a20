"""Training, calibrating, saving and loading intent models."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from relaydesk.domain.errors import ConfigurationError, InvalidInput
from relaydesk.triage.intent.artifact import load_model, read_manifest, save_model, train_from_examples
from relaydesk.triage.intent.data import IntentExamples, parse_yaml
from relaydesk.triage.intent.model import IntentTrainingConfig, fit_model
from relaydesk.triage.intent.vectors import model_vectors, richest_view

SMALL = """
version: small-shop
intents:
  track:
    examples: [where is my parcel, track my package, has my order shipped, when will my box arrive,
               my delivery is late, where is my stuff, status of my shipment, is my order on the way]
  refund:
    examples: [I want my money back, refund please, when do I get my refund, refund my purchase,
               I need a refund, give me a refund for the shoes, money back for my order, refund status]
  password:
    examples: [I forgot my password, reset my password, can't log in, my login fails,
               locked out of my account, password reset link, change my password, sign in problem]
out_of_scope: [what's the weather, tell me a joke, who won the game, capital of France,
               write a poem, how do I bake bread, play some music, what time is it]
"""


@pytest.fixture(scope="module")
def small_model(embedder):  # type: ignore[no-untyped-def]
    return train_from_examples(parse_yaml(SMALL), embedder, folds=3)


def predict(model, embedder, text: str):  # type: ignore[no-untyped-def]
    return model.predict([text], model_vectors(model, embedder, [text]))[0]


def test_trained_model_reads_unseen_phrasings(small_model, embedder) -> None:  # type: ignore[no-untyped-def]
    assert predict(small_model, embedder, "where's my package?").intent == "track"
    assert predict(small_model, embedder, "please refund me").intent == "refund"
    assert predict(small_model, embedder, "I cannot sign into my account").intent == "password"


def test_off_topic_message_is_out_of_scope(small_model, embedder) -> None:  # type: ignore[no-untyped-def]
    result = predict(small_model, embedder, "who painted the mona lisa")
    assert not result.in_scope
    assert result.intent is None
    assert result.best_guess in small_model.intents


def test_probabilities_sum_to_one_and_confidence_is_one_of_them(small_model, embedder) -> None:  # type: ignore[no-untyped-def]
    texts = ["refund please", "hello?"]
    probabilities = small_model.probabilities(texts, model_vectors(small_model, embedder, texts))
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert predict(small_model, embedder, "refund please").confidence == pytest.approx(
        probabilities[0].max(), abs=1e-6
    )


def test_artifact_round_trip_keeps_predictions_and_manifest(small_model, embedder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    save_model(small_model, tmp_path)
    manifest = read_manifest(tmp_path)
    assert manifest["model_version"].startswith("small-shop-")
    assert manifest["labels"] == ["oos", "password", "refund", "track"]
    assert manifest["embedder"] == richest_view(embedder) == f"{embedder.model_id}+layers-4-2"
    assert manifest["sentence_width"] == embedder.dimension
    assert len(manifest["training_data_sha256"]) == 64
    assert np.isfinite(manifest["threshold"])
    assert manifest["distance_weight"] == small_model.distance_weight >= 0
    loaded = load_model(tmp_path, embedder)
    texts = ["where is my parcel", "reset it"]
    vectors = model_vectors(small_model, embedder, texts)
    assert np.allclose(
        loaded.probabilities(texts, vectors), small_model.probabilities(texts, vectors), atol=1e-3
    )
    assert loaded.threshold == small_model.threshold
    assert np.allclose(loaded.distances(vectors), small_model.distances(vectors))
    assert [p.in_scope for p in loaded.predict(texts, vectors)] == [
        p.in_scope for p in small_model.predict(texts, vectors)
    ]


def test_artifact_of_another_version_is_refused(small_model, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    save_model(small_model, tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    manifest["artifact_version"] = 99
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ConfigurationError, match="artifact version 99"):
        load_model(tmp_path)


def test_missing_artifact_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="has no manifest.json"):
        load_model(tmp_path)


def test_threshold_from_the_examples_file_wins(embedder) -> None:  # type: ignore[no-untyped-def]
    data = parse_yaml(SMALL + "\nthreshold: 0.9\n")
    model = train_from_examples(data, embedder, folds=2, config=IntentTrainingConfig(knn_weight=0.0))
    assert model.threshold == 0.9
    assert model.distance_weight == 0.0  # a fixed threshold is a probability, not a blended score
    assert model.prototypes is None


def test_mismatched_rows_are_refused() -> None:
    with pytest.raises(InvalidInput, match="counts must match"):
        fit_model(["a", "b"], ["x"], np.zeros((2, 4), dtype=np.float32))


def test_one_intent_is_not_enough(embedder) -> None:  # type: ignore[no-untyped-def]
    data = IntentExamples(texts=("a", "b"), labels=("x", "oos"))
    with pytest.raises(InvalidInput, match="at least 2 intents"):
        fit_model(list(data.texts), list(data.labels), embedder.embed(list(data.texts)))


def test_one_message_path_scores_exactly_like_the_batch_path(small_model, embedder) -> None:  # type: ignore[no-untyped-def]
    texts = ["where's my parcel??", "refund my shoes please", "zzz qqq", "", "PASSWORD reset pls"]
    vectors = model_vectors(small_model, embedder, texts)
    batch = small_model.probabilities(texts, vectors)
    one_by_one = np.vstack([small_model.probabilities([t], vectors[i : i + 1]) for i, t in enumerate(texts)])
    assert np.allclose(batch, one_by_one, atol=1e-5)
    assert np.allclose(
        small_model.neighbour_scores(vectors),
        np.vstack([small_model.neighbour_scores(vectors[i : i + 1]) for i in range(len(texts))]),
        atol=1e-6,
    )


def test_wide_view_puts_the_sentence_vector_first_and_search_still_gets_it(small_model, embedder) -> None:  # type: ignore[no-untyped-def]
    texts = ["where's my parcel??", "refund my shoes please"]
    wide = model_vectors(small_model, embedder, texts)
    assert wide.shape == (2, 3 * embedder.dimension)
    np.testing.assert_allclose(wide[:, : embedder.dimension], embedder.embed(texts), atol=1e-6)
    blocks = wide.reshape(2, 3, embedder.dimension)
    np.testing.assert_allclose(np.linalg.norm(blocks, axis=2), 1.0, atol=1e-5)
    assert small_model.sentence_width == embedder.dimension
    assert small_model.prototypes is not None and small_model.prototypes.shape[1] == embedder.dimension


def test_vectors_of_the_wrong_view_are_refused_by_name(small_model, embedder) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="1152 columns, not an array of shape \\(1, 384\\)"):
        small_model.predict(["refund please"], embedder.embed(["refund please"]))


def test_model_trained_on_the_plain_view_still_reads_its_own_vectors(embedder) -> None:  # type: ignore[no-untyped-def]
    examples = parse_yaml(SMALL)
    texts, labels = list(examples.texts), list(examples.labels)
    plain = fit_model(texts, labels, embedder.embed(texts), IntentTrainingConfig(knn_weight=0.2))
    from dataclasses import replace

    plain = replace(plain, info={"embedder": embedder.model_id})
    vectors = model_vectors(plain, embedder, ["where is my parcel"])
    assert vectors.shape == (1, embedder.dimension)
    assert plain.predict(["where is my parcel"], vectors)[0].best_guess == "track"


def test_a_view_the_embedder_cannot_give_is_a_configuration_error(small_model, embedder) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    foreign = replace(small_model, info={"embedder": "some-other-model+layers-9"})
    with pytest.raises(ConfigurationError, match='reads vectors "some-other-model\\+layers-9"'):
        model_vectors(foreign, embedder, ["hi"])


def test_parallel_cross_validation_gives_the_same_scores(embedder) -> None:  # type: ignore[no-untyped-def]
    from relaydesk.triage.intent.artifact import cross_validated_scores

    examples = parse_yaml(SMALL)
    texts, labels = list(examples.texts), list(examples.labels)
    vectors = embedder.embed_layers(texts)
    config = IntentTrainingConfig(knn_weight=0.2)
    width = embedder.dimension
    serial = cross_validated_scores(texts, labels, vectors, config, folds=3, workers=1, sentence_width=width)
    parallel = cross_validated_scores(
        texts, labels, vectors, config, folds=3, workers=2, sentence_width=width
    )
    np.testing.assert_allclose(serial.logits, parallel.logits)
    np.testing.assert_allclose(serial.votes, parallel.votes)
    np.testing.assert_allclose(serial.distances, parallel.distances)
