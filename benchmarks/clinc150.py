"""CLINC150 (data_full): in-scope accuracy and out-of-scope recall at one threshold.

The model trains on ``train`` plus ``oos_train`` (out-of-scope as an extra class). The softmax
temperature and the out-of-scope threshold are chosen on ``val`` + ``oos_val`` (the threshold that
maximises the mean of in-scope accuracy and out-of-scope recall there), together with the weight of
the distance term (how far a message lies from every intent, see
``relaydesk.triage.intent_distance``), then applied once to ``test`` + ``oos_test``.

    .venv/bin/python benchmarks/clinc150.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

from benchmarks._common import progress, report  # noqa: E402
from benchmarks._triage_data import clinc150, embed  # noqa: E402
from relaydesk.triage.intent_data import OOS_LABEL  # noqa: E402
from relaydesk.triage.intent_model import IntentTrainingConfig, calibrate, fit_model  # noqa: E402

CONFIG = IntentTrainingConfig(c=20.0, embedding_weight=2.0, knn_weight=0.3)


def rows(data: dict[str, list[tuple[str, str]]], *splits: str) -> tuple[list[str], list[str], np.ndarray]:
    texts, labels, vectors = [], [], []
    for split in splits:
        part = data[split]
        texts += [t for t, _ in part]
        labels += [OOS_LABEL if split.startswith("oos") else label for _, label in part]
        vectors.append(embed([t for t, _ in part], f"clinc150 {split}"))
    return texts, labels, np.concatenate(vectors)


def score(model, texts: list[str], labels: list[str], vectors: np.ndarray) -> dict[str, float]:
    predictions = model.predict(texts, vectors, top_k=1)
    truth = np.asarray(labels)
    oos = truth == OOS_LABEL
    in_scope_right = np.asarray(
        [p.in_scope and p.intent == t for p, t in zip(predictions, labels, strict=True)]
    )
    rejected = np.asarray([not p.in_scope for p in predictions])
    scope = np.asarray([model.scope_score(p.confidence, p.distance) for p in predictions])
    confidence = np.asarray([p.confidence for p in predictions])
    return {
        "in_scope_accuracy": float(in_scope_right[~oos].mean()),
        "oos_recall": float(rejected[oos].mean()),
        "oos_precision": float(rejected[oos].sum() / max(1, rejected.sum())),
        "oos_auroc": float(roc_auc_score(oos, -scope)),
        "oos_auroc_confidence_only": float(roc_auc_score(oos, -confidence)),
        "in_scope_accuracy_no_threshold": float(
            np.asarray([p.best_guess == t for p, t in zip(predictions, labels, strict=True)])[~oos].mean()
        ),
    }


TARGET_RECALL = 0.85


def main() -> None:
    data = clinc150()
    train = rows(data, "train", "oos_train")
    val = rows(data, "val", "oos_val")
    test = rows(data, "test", "oos_test")
    started = time.perf_counter()
    model = fit_model(train[0], train[1], train[2], CONFIG)
    fit_s = time.perf_counter() - started
    progress(f"trained on {len(train[0])} examples in {fit_s:.0f}s")
    # The issue states the operating requirement (reject >= 85% of out-of-scope queries), so the
    # threshold is the one with the best in-scope accuracy on val whose oos_val recall meets it.
    # The mean rule is reported beside it (field "mean_rule"). Both are chosen on val + oos_val only.
    mean_model, mean_choice = calibrate(model, *val)
    mean_figures = score(mean_model, *test)
    model, choice = calibrate(model, *val, min_recall=TARGET_RECALL)
    progress(
        f"distance weight {choice.distance_weight}, threshold {choice.threshold:.3f} on validation: "
        f"in-scope {choice.in_scope_accuracy:.4f}, "
        f"oos recall {choice.oos_recall:.4f}"
    )
    figures = score(model, *test)
    report(
        "clinc150",
        {
            "in_scope_accuracy": round(figures["in_scope_accuracy"], 4),
            "oos_recall": round(figures["oos_recall"], 4),
            "threshold": round(model.threshold, 4),
            "distance_weight": model.distance_weight,
            "targets": {"in_scope_accuracy": 0.95, "oos_recall": 0.85},
            "met": figures["in_scope_accuracy"] >= 0.95 and figures["oos_recall"] >= 0.85,
            "oos_precision": round(figures["oos_precision"], 4),
            "in_scope_accuracy_no_threshold": round(figures["in_scope_accuracy_no_threshold"], 4),
            "oos_auroc": {
                "scope_score": round(figures["oos_auroc"], 4),
                "confidence_only": round(figures["oos_auroc_confidence_only"], 4),
                "note": "threshold-free: how well each score ranks oos_test below test",
            },
            "validation": {
                "in_scope_accuracy": round(choice.in_scope_accuracy, 4),
                "oos_recall": round(choice.oos_recall or 0.0, 4),
                "rule": (
                    "distance weight and threshold with the best in-scope accuracy on val among those "
                    f"whose oos_val recall >= {TARGET_RECALL}; in scope when "
                    "confidence - weight * distance >= threshold"
                ),
            },
            "mean_rule": {
                "rule": "maximise mean(in-scope accuracy, oos recall) on val + oos_val",
                "in_scope_accuracy": round(mean_figures["in_scope_accuracy"], 4),
                "oos_recall": round(mean_figures["oos_recall"], 4),
                "threshold": round(mean_model.threshold, 4),
                "distance_weight": mean_model.distance_weight,
                "validation_in_scope_accuracy": round(mean_choice.in_scope_accuracy, 4),
                "validation_oos_recall": round(mean_choice.oos_recall or 0.0, 4),
            },
            "temperature": round(model.temperature, 4),
            "config": CONFIG.to_dict(),
            "classifier_fit_s": round(fit_s, 2),
        },
    )


if __name__ == "__main__":
    main()
