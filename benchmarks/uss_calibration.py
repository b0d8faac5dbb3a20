"""The shipped frustration score as a probability: calibration, the offer threshold, and its figures.

Used by ``benchmarks/uss.py``. The detector's combined evidence (model and plain-word signals) is
mapped to a probability of *dissatisfied* (USS: mean rating below 3) with
``sigmoid(a * logit(raw) + b)``, ``(a, b)`` fitted on the val dialogues scored by a model trained
on train only. The policy's offer threshold (rule ``mildly_frustrated``) is chosen on the same val
scores by ``THRESHOLD_RULE``; test dialogues are never used for either.

On test, per corpus: AUROC, expected calibration error over ``BINS`` equal-width bins with the
reliability diagram's bins (mean predicted, observed rate, count), and precision, recall and F1 at
the thresholds the shipped policy file holds.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from relaydesk.triage.frustration.detector import (
    RAW_CLIP,
    FrustrationModel,
    combined_evidence,
    load_frustration_detector,
)
from relaydesk.triage.frustration.features import Turn, conversation_features, frustration_signals

BINS = 10
PRECISION_TARGET = 0.5
THRESHOLD_GRID = tuple(round(0.05 + 0.01 * i, 2) for i in range(86))  # 0.05 .. 0.90
THRESHOLD_RULE = (
    f"the lowest threshold on a 0.01 grid whose precision on the val dialogues (both corpora, "
    f"calibrated score of the train-only model) is at least {PRECISION_TARGET}: at least half of "
    "the customers offered a person are dissatisfied"
)
OFFER_RULE = "mildly_frustrated"
HANDOVER_RULE = "frustrated_customer"


class ScoredTurn(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def earlier(self) -> tuple[Turn, ...]: ...


def raw_evidence(model: FrustrationModel, turns: Sequence[ScoredTurn]) -> np.ndarray:
    """The detector's combined evidence before calibration, for a model that is not the shipped one."""
    out = []
    for turn in turns:
        earlier = list(turn.earlier)
        p_model = model.probability(conversation_features(turn.text, earlier))
        out.append(combined_evidence(p_model, [s.strength for s in frustration_signals(turn.text, earlier)]))
    return np.asarray(out)


def _logit(raw: np.ndarray) -> np.ndarray:
    clipped = np.clip(raw, *RAW_CLIP)
    return np.log(clipped / (1.0 - clipped))


def fit_score_calibration(raw: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """``(a, b)`` of ``sigmoid(a * logit(raw) + b)`` by maximum likelihood (Platt on the logit)."""
    from sklearn.linear_model import LogisticRegression

    fitted = LogisticRegression(C=1e6, max_iter=1000).fit(_logit(raw).reshape(-1, 1), y)
    return float(fitted.coef_[0][0]), float(fitted.intercept_[0])


def apply_calibration(raw: np.ndarray, calibration: tuple[float, float]) -> np.ndarray:
    a, b = calibration
    return 1.0 / (1.0 + np.exp(-(a * _logit(raw) + b)))


def at_threshold(y: np.ndarray, p: np.ndarray, threshold: float) -> dict[str, float]:
    flagged = p >= threshold
    hits = int((flagged & (y == 1)).sum())
    precision = hits / flagged.sum() if flagged.any() else 0.0
    recall = hits / y.sum() if y.any() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "threshold": threshold,
        "precision": round(float(precision), 4),
        "recall": round(float(recall), 4),
        "f1": round(float(f1), 4),
        "flagged_share": round(float(flagged.mean()), 4),
    }


def choose_threshold(y_val: np.ndarray, p_val: np.ndarray) -> float:
    """``THRESHOLD_RULE`` on the val scores (the highest grid point when none reaches the target)."""
    for threshold in THRESHOLD_GRID:
        if (p_val >= threshold).sum() and at_threshold(y_val, p_val, threshold)[
            "precision"
        ] >= PRECISION_TARGET:
            return threshold
    return THRESHOLD_GRID[-1]


def reliability(y: np.ndarray, p: np.ndarray, bins: int = BINS) -> tuple[float, list[dict[str, Any]]]:
    """Expected calibration error over equal-width bins, and the reliability diagram's bins."""
    index = np.minimum((p * bins).astype(int), bins - 1)
    rows: list[dict[str, Any]] = []
    ece = 0.0
    for b in range(bins):
        inside = index == b
        count = int(inside.sum())
        row: dict[str, Any] = {"bin": [round(b / bins, 2), round((b + 1) / bins, 2)], "count": count}
        if count:
            mean_p, rate = float(p[inside].mean()), float(y[inside].mean())
            ece += count / len(p) * abs(mean_p - rate)
            row |= {"mean_predicted": round(mean_p, 4), "observed_rate": round(rate, 4)}
        rows.append(row)
    return round(ece, 4), rows


def policy_thresholds() -> dict[str, float]:
    """The frustration thresholds of the shipped default policy file."""
    from relaydesk.governance.policy import load_policy

    rules = load_policy().escalation.rules
    return {r.id: float(r.params["threshold"]) for r in rules if r.id in (OFFER_RULE, HANDOVER_RULE)}


def shipped_detector(tests: dict[str, list[Any]], label_of: Any) -> dict[str, Any]:
    """The packaged detector on each corpus's test dialogues: ranking, calibration, the policy's
    thresholds, and its speed. ``label_of(turns)`` gives the 0/1 dissatisfied labels."""
    from sklearn.metrics import roc_auc_score

    detector = load_frustration_detector()
    thresholds = policy_thresholds()
    out: dict[str, Any] = {}
    timings: list[float] = []
    for name, turns in tests.items():
        found = []
        for turn in turns:
            started = time.perf_counter()
            found.append(detector.assess_turns(turn.text, list(turn.earlier)).score)
            timings.append((time.perf_counter() - started) * 1000)
        y, p = np.asarray(label_of(turns)), np.asarray(found)
        ece, bins = reliability(y, p)
        out[name] = {
            "auroc": round(float(roc_auc_score(y, p)), 4),
            "ece": ece,
            "mean_predicted": round(float(p.mean()), 4),
            "observed_rate": round(float(y.mean()), 4),
            "offer": at_threshold(y, p, thresholds[OFFER_RULE]),
            "handover": at_threshold(y, p, thresholds[HANDOVER_RULE]),
            "reliability": bins,
        }
        out[f"auroc_{name}"] = out[name]["auroc"]
    manifest = detector.model.manifest
    out["thresholds"] = {
        OFFER_RULE: thresholds[OFFER_RULE],
        HANDOVER_RULE: thresholds[HANDOVER_RULE],
        "offer_threshold_chosen_on_val": manifest.get("offer_threshold"),
        "rule": manifest.get("threshold_rule", THRESHOLD_RULE),
        "val_at_offer_threshold": manifest.get("val_at_offer_threshold"),
        "val_ece": manifest.get("val_ece"),
    }
    out["median_ms"] = round(float(np.median(timings)), 3)
    out["p99_ms"] = round(float(np.percentile(timings, 99)), 3)
    out["version"] = detector.version
    if not math.isclose(thresholds[OFFER_RULE], manifest.get("offer_threshold", -1.0)):
        out["notes"] = "the policy's offer threshold differs from the one the model's manifest chose on val"
    return out
