"""BANKING77 intent accuracy.

Hyper-parameters are chosen on a validation split carved from train (10% per intent, seed 13); the
chosen configuration is then calibrated on that split and retrained on the full train set, and
scored once on test.

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
from benchmarks._triage_data import banking77, embed, split_validation  # noqa: E402
from relaydesk.triage.intent_calibration import calibrate  # noqa: E402
from relaydesk.triage.intent_model import IntentTrainingConfig, fit_model  # noqa: E402

GRID = [
    IntentTrainingConfig(c=20.0, embedding_weight=1.0, knn_weight=0.0),
    IntentTrainingConfig(c=20.0, embedding_weight=1.0, knn_weight=0.3),
    IntentTrainingConfig(c=20.0, embedding_weight=2.0, knn_weight=0.3),
    IntentTrainingConfig(c=20.0, embedding_weight=2.0, knn_weight=0.4),
    IntentTrainingConfig(c=10.0, embedding_weight=2.0, knn_weight=0.3),
]


def main() -> None:
    train, test = banking77()
    train_vectors = embed([t for t, _ in train], "banking77 train")
    test_vectors = embed([t for t, _ in test], "banking77 test")
    position = {id(row): i for i, row in enumerate(train)}
    fit_rows, val_rows = split_validation(train)
    fit_idx = [position[id(r)] for r in fit_rows]
    val_idx = [position[id(r)] for r in val_rows]
    val_truth = np.asarray([label for _, label in val_rows])

    scores = []
    for config in GRID:
        started = time.perf_counter()
        model = fit_model(
            [t for t, _ in fit_rows], [lbl for _, lbl in fit_rows], train_vectors[fit_idx], config
        )
        predicted = [p.best_guess for p in model.predict([t for t, _ in val_rows], train_vectors[val_idx])]
        accuracy = float((np.asarray(predicted) == val_truth).mean())
        scores.append((accuracy, config, model))
        progress(f"validation accuracy {accuracy:.4f} for {config} ({time.perf_counter() - started:.0f}s)")
    val_accuracy, best, best_fit = max(scores, key=lambda s: s[0])
    calibrated, _ = calibrate(
        best_fit, [t for t, _ in val_rows], [lbl for _, lbl in val_rows], train_vectors[val_idx]
    )

    started = time.perf_counter()
    final = fit_model([t for t, _ in train], [lbl for _, lbl in train], train_vectors, best)
    train_s = time.perf_counter() - started
    final = replace(final, temperature=calibrated.temperature)  # fitted on the validation split
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
            "validation_accuracy": round(val_accuracy, 4),
            "validation": "10% of train per intent, seed 13",
            "config": best.to_dict(),
            "grid": [{"config": c.to_dict(), "validation_accuracy": round(a, 4)} for a, c, _ in scores],
            "temperature": round(calibrated.temperature, 4),
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
