"""Scoring a trained intent model on labelled examples."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from relaydesk.domain.ports import Embedder
from relaydesk.triage.intent.data import OOS_LABEL, IntentExamples
from relaydesk.triage.intent.model import IntentModel
from relaydesk.triage.intent.vector_cache import embed_cached
from relaydesk.triage.intent.vectors import model_view


@dataclass(frozen=True, slots=True)
class IntentScore:
    intent: str
    support: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    in_scope_accuracy: float
    """Share of in-scope examples read as the right intent and accepted by the threshold."""
    oos_recall: float | None
    """Share of out-of-scope examples rejected; None when there were none."""
    per_intent: tuple[IntentScore, ...]
    errors: tuple[tuple[str, str, str | None], ...]
    """(text, true intent, predicted intent or None for out of scope), most confident first."""


def evaluate_model(
    model: IntentModel,
    embedder: Embedder,
    examples: IntentExamples,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> EvaluationReport:
    texts = list(examples.texts)
    vectors = embed_cached(
        embedder,
        texts,
        None,
        on_progress=(lambda d, t: on_progress("embedding", d, t)) if on_progress else None,
        view=model_view(model, embedder),
    )
    predictions = model.predict(texts, vectors, top_k=1)
    truth = list(examples.labels)
    predicted: list[str] = [p.intent if p.in_scope and p.intent else OOS_LABEL for p in predictions]
    oos = np.asarray([t == OOS_LABEL for t in truth])
    right = np.asarray([p == t for p, t in zip(predicted, truth, strict=True)])
    per_intent = []
    for intent in sorted(set(truth) | set(predicted)):
        tp = sum(1 for p, t in zip(predicted, truth, strict=True) if p == t == intent)
        support = sum(1 for t in truth if t == intent)
        claimed = sum(1 for p in predicted if p == intent)
        precision = tp / claimed if claimed else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_intent.append(IntentScore(intent, support, precision, recall, f1))
    errors = sorted(
        (
            (text, t, None if p == OOS_LABEL else p, pred.confidence)
            for text, t, p, pred in zip(texts, truth, predicted, predictions, strict=True)
            if p != t
        ),
        key=lambda row: -row[3],
    )
    return EvaluationReport(
        in_scope_accuracy=float(right[~oos].mean()) if (~oos).any() else 0.0,
        oos_recall=float(right[oos].mean()) if oos.any() else None,
        per_intent=tuple(per_intent),
        errors=tuple((text, t, p) for text, t, p, _ in errors),
    )
