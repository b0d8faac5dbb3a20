"""BANKING77 intent accuracy.

Hyper-parameters are chosen by 5-fold stratified cross-validation on train (seed 13): each
configuration of the grid scores every training row with a model that did not see it, the softmax
temperature is fitted on those held-out logits, and the configuration with the best held-out
accuracy wins. It is then retrained on the full train set and scored once on test.

    .venv/bin/python benchmarks/banking77.py
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from benchmarks._common import progress, report  # noqa: E402
from benchmarks._triage_data import banking77, embed, sentence_width  # noqa: E402
from relaydesk.triage.intent.artifact import cross_validated_scores  # noqa: E402
from relaydesk.triage.intent.calibration import fit_temperature  # noqa: E402
from relaydesk.triage.intent.model import IntentTrainingConfig, fit_model, softmax  # noqa: E402

GRID = [
    IntentTrainingConfig(c=20.0, embedding_weight=2.0, knn_weight=0.3),
    IntentTrainingConfig(c=20.0, embedding_weight=2.0, knn_weight=0.3, knn_k=5, knn_temperature=0.05),
    IntentTrainingConfig(c=20.0, embedding_weight=2.0, knn_weight=0.2, knn_k=5, knn_temperature=0.05),
    IntentTrainingConfig(c=20.0, embedding_weight=1.0, knn_weight=0.3),
    IntentTrainingConfig(c=50.0, embedding_weight=2.0, knn_weight=0.3),
    IntentTrainingConfig(c=10.0, embedding_weight=2.0, knn_weight=0.3),
]
FOLDS = 5


def cross_validated_accuracy(
    texts: list[str], labels: list[str], vectors: np.ndarray, config: IntentTrainingConfig
) -> tuple[float, float]:
    """Held-out accuracy of ``config`` over all training rows, and the temperature fitted there."""
    held = cross_validated_scores(
        texts,
        labels,
        vectors,
        replace(config, scope_distance=False),
        folds=FOLDS,
        sentence_width=sentence_width(),
    )
    order = sorted(set(labels))
    truth = np.asarray([order.index(label) for label in labels])
    temperature = fit_temperature(held.logits, truth)
    weight = config.knn_weight
    probabilities = softmax(held.logits / temperature)
    if weight > 0:
        probabilities = (1 - weight) * probabilities + weight * softmax(held.votes / config.knn_temperature)
    return float((probabilities.argmax(axis=1) == truth).mean()), temperature


def main() -> None:
    train, test = banking77()
    texts, labels = [t for t, _ in train], [lbl for _, lbl in train]
    vectors = embed(texts, "banking77 train")
    test_vectors = embed([t for t, _ in test], "banking77 test")

    scores = []
    for config in GRID:
        started = time.perf_counter()
        accuracy, temperature = cross_validated_accuracy(texts, labels, vectors, config)
        scores.append((accuracy, temperature, config))
        progress(
            f"cross-validated accuracy {accuracy:.4f} for {config} ({time.perf_counter() - started:.0f}s)"
        )
    cv_accuracy, temperature, best = max(scores, key=lambda s: s[0])

    started = time.perf_counter()
    final = fit_model(texts, labels, vectors, best, sentence_width=sentence_width())
    train_s = time.perf_counter() - started
    final = replace(final, temperature=temperature)  # fitted on the cross-validated logits
    progress(f"trained on full train in {train_s:.1f}s (embeddings cached)")
    started = time.perf_counter()
    probabilities = final.probabilities([t for t, _ in test], test_vectors)
    predict_s = time.perf_counter() - started
    predicted = np.asarray(final.labels)[probabilities.argmax(axis=1)]
    truth = np.asarray([label for _, label in test])
    accuracy = float((predicted == truth).mean())
    confidence = probabilities.max(axis=1)
    ece = expected_calibration_error(confidence, predicted == truth)
    report(
        "banking77",
        {
            "accuracy": round(accuracy, 4),
            "target": 0.945,
            "met": accuracy >= 0.945,
            "cross_validated_accuracy": round(cv_accuracy, 4),
            "selection": f"{FOLDS}-fold stratified cross-validation on train, seed 13",
            "config": best.to_dict(),
            "grid": [
                {"config": c.to_dict(), "cross_validated_accuracy": round(a, 4), "temperature": round(t, 4)}
                for a, t, c in scores
            ],
            "temperature": round(temperature, 4),
            "expected_calibration_error": round(ece, 4),
            "classifier_fit_s": round(train_s, 2),
            "test_predict_ms_per_text": round(1000 * predict_s / len(test), 3),
            "train_examples": len(train),
            "test_examples": len(test),
        },
    )


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        inside = (confidence > low) & (confidence <= high)
        if inside.any():
            total += inside.mean() * abs(confidence[inside].mean() - correct[inside].mean())
    return float(total)


if __name__ == "__main__":
    main()
