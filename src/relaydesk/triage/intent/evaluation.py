"""Scoring a trained intent model on labelled examples.

Every label of the examples must be one the model knows, or out of scope: a label it does not know
would be scored as a miss however the model reads it. :func:`align_labels` refuses such labels by
name, or maps them (to an intent, or to out of scope) when asked to.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from relaydesk.domain.errors import InvalidInput
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
    in_scope_rows: int = 0
    oos_rows: int = 0
    accuracy: float = 0.0
    """Share of all examples scored right (in-scope read right, out-of-scope rejected)."""


class UnknownLabels(InvalidInput):
    """The examples carry labels the model was not trained on."""

    def __init__(self, source: str, counts: Mapping[str, int], known: tuple[str, ...]) -> None:
        self.counts = dict(counts)
        self.known = known
        rows = sum(counts.values())
        named = ", ".join(f'"{label}" ({_count(n, "row")})' for label, n in counts.items())
        verb = "carries" if rows == 1 else "carry"
        super().__init__(
            f'{_count(rows, "row")} of "{source}" {verb} {_count(len(counts), "label")} the model does '
            f'not know: {named}. It knows {len(known)} intents ({_sample(known)}) and "{OOS_LABEL}" '
            "for out of scope. Map each label to one of them (--map LABEL=INTENT) or count them as "
            "out of scope (--unknown-as-oos).",
            labels=sorted(counts),
            rows=rows,
        )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _sample(names: tuple[str, ...], limit: int = 8) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f", ... {len(names) - limit} more" if len(names) > limit else "")


def align_labels(
    examples: IntentExamples,
    known: tuple[str, ...],
    *,
    mapping: Mapping[str, str] | None = None,
    unknown_as_oos: bool = False,
    source: str | None = None,
) -> IntentExamples:
    """The examples with their labels renamed by ``mapping`` (``{label: intent}``) and, with
    ``unknown_as_oos``, any other label the model does not know counted as out of scope.

    Raises :class:`UnknownLabels` naming the labels left that the model does not know (and how many
    rows carry them), and :class:`InvalidInput` for a mapping to an intent the model does not know
    or from a label the examples do not have. ``source`` names the examples in messages."""
    mapping = dict(mapping or {})
    targets = set(known) | {OOS_LABEL}
    wrong_target = {label: intent for label, intent in mapping.items() if intent not in targets}
    if wrong_target:
        label, intent = next(iter(wrong_target.items()))
        raise InvalidInput(
            f'--map {label}={intent}: the model has no intent "{intent}"; it knows {_sample(known)} '
            f'and "{OOS_LABEL}"',
            intent=intent,
        )
    absent = sorted(set(mapping) - set(examples.labels))
    if absent:
        raise InvalidInput(
            f"--map names {'a label' if len(absent) == 1 else 'labels'} {', '.join(repr(a) for a in absent)} "
            f'that no row of "{source or examples.name}" carries',
            labels=absent,
        )
    labels = [mapping.get(label, label) for label in examples.labels]
    unknown = Counter(label for label in labels if label not in targets)
    if unknown and not unknown_as_oos:
        counts = dict(sorted(unknown.items(), key=lambda kv: (-kv[1], kv[0])))  # most rows first
        raise UnknownLabels(source or examples.name, counts, known)
    labels = [label if label in targets else OOS_LABEL for label in labels]
    return replace(examples, labels=tuple(labels))


def parse_label_map(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["LABEL=INTENT", ...]`` as a dict; refuses a pair without ``=`` or with an empty side."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        label, sep, intent = pair.partition("=")
        if not sep or not label.strip() or not intent.strip():
            raise InvalidInput(f'--map "{pair}" is not LABEL=INTENT', value=pair)
        mapping[label.strip()] = intent.strip()
    return mapping


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
        in_scope_rows=int((~oos).sum()),
        oos_rows=int(oos.sum()),
        accuracy=float(right.mean()) if len(right) else 0.0,
    )
