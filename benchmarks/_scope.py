"""Shared by the out-of-scope benchmarks: scoring a model on in-scope and out-of-scope rows, and the
rule the product shipped before pretend out-of-scope rows (for comparison)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score

from relaydesk.triage.intent.data import OOS_LABEL


def scope_figures(model: Any, texts: list[str], labels: list[str], vectors: np.ndarray) -> dict[str, float]:
    """In-scope accuracy (right intent and accepted), out-of-scope recall (turned away), overall
    accuracy (every row right) and the AUROC of the scope score; labels ``oos`` are out of scope."""
    predictions = model.predict(texts, vectors, top_k=1)
    oos = np.asarray([label == OOS_LABEL for label in labels])
    right = np.asarray(
        [
            (not p.in_scope) if label == OOS_LABEL else (p.in_scope and p.intent == label)
            for p, label in zip(predictions, labels, strict=True)
        ]
    )
    scope = np.asarray([p.scope for p in predictions])
    guess_right = np.asarray([p.best_guess == label for p, label in zip(predictions, labels, strict=True)])
    return {
        "in_scope_accuracy": round(float(right[~oos].mean()), 4),
        "oos_recall": round(float(right[oos].mean()), 4),
        "overall_accuracy": round(float(right.mean()), 4),
        "oos_auroc": round(float(roc_auc_score(oos, -scope)), 4),
        "in_scope_accuracy_no_threshold": round(float(guess_right[~oos].mean()), 4),
    }


def previous_rule(
    model: Any, texts: list[str], labels: list[str], vectors: np.ndarray, sentence_width: int
) -> Any:
    """``model``'s classifier under the rule shipped before: plain 4-fold cross-validation (every
    fold knows every intent), temperature fitted there, no scope head, and a threshold on the
    calibrated confidence that keeps 98% of the held-out rows read right."""
    from relaydesk.triage.intent.artifact import cross_validated_scores
    from relaydesk.triage.intent.calibration import calibrate_scores

    held = cross_validated_scores(
        texts, labels, vectors, model.config, folds=4, seed=13, sentence_width=sentence_width
    )
    plain = replace(model, scope_head=None, distance_weight=0.0)
    previous, _ = calibrate_scores(plain, held.logits, held.votes, labels, held.distances)
    return previous
