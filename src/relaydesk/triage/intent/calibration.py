"""Calibrating a trained intent model on held-out rows: the softmax temperature, the out-of-scope
head (or, without out-of-scope examples, the weight of the distance term), and the threshold.

Held-out rows are either cross-validated predictions on the training data
(:func:`relaydesk.triage.intent.artifact.cross_validated_scores`) or a separate validation split.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from relaydesk.domain.errors import InvalidInput
from relaydesk.triage.intent.data import OOS_LABEL
from relaydesk.triage.intent.model import IntentModel, softmax
from relaydesk.triage.intent.scope import MIN_OUT_OF_SCOPE_ROWS, fit_scope_head, scope_readings


def fit_temperature(logits: np.ndarray, true_index: np.ndarray) -> float:
    """The softmax temperature that minimises the negative log-likelihood of held-out rows."""
    from scipy.optimize import minimize_scalar

    def nll(log_t: float) -> float:
        probs = softmax(logits / np.exp(log_t))
        return float(-np.log(np.clip(probs[np.arange(len(true_index)), true_index], 1e-12, None)).mean())

    found = minimize_scalar(nll, bounds=(np.log(0.05), np.log(20.0)), method="bounded")
    return float(np.exp(found.x))


KEEP_RIGHT = 0.98
"""The default rule keeps this share of the held-out in-scope rows the model reads right."""
FLOOR_KEEP = 0.99
"""With pretend out-of-scope rows, the confidence floor alone keeps this share of the rows read right
(and the scope head's threshold is set so both together keep ``KEEP_RIGHT``)."""

DISTANCE_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2, 2.0)
"""Weights of the distance term tried on held-out rows by a model without a scope head."""


@dataclass(frozen=True, slots=True)
class ThresholdChoice:
    """The out-of-scope threshold (and distance weight) picked on held-out rows, with their figures."""

    threshold: float
    in_scope_accuracy: float
    oos_recall: float | None
    distance_weight: float = 0.0
    confidence_floor: float = 0.0


@dataclass(frozen=True, slots=True)
class OperatingTargets:
    """What a team asks of the out-of-scope decision: the share of in-scope messages answered with
    the right intent, and the share of out-of-scope messages turned away."""

    in_scope_accuracy: float
    oos_recall: float

    def __post_init__(self) -> None:
        for name in ("in_scope_accuracy", "oos_recall"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise InvalidInput(f"Operating target {name}={value!r} must lie in (0, 1]")

    def slack(self, in_scope_accuracy: float, oos_recall: float) -> float:
        """How far the tighter of the two figures clears its target (negative: a miss)."""
        return min(in_scope_accuracy - self.in_scope_accuracy, oos_recall - self.oos_recall)


@dataclass(frozen=True, slots=True)
class _HeldOutRows:
    """What the threshold rules count on held-out rows: in-scope rows are right when the intent
    is right and the message is accepted, out-of-scope rows when it is rejected."""

    right: np.ndarray
    oos: np.ndarray
    vetoed: np.ndarray
    """Rows the ``oos`` class wins; without a scope head they are rejected at any threshold."""
    confidence: np.ndarray

    @classmethod
    def of(cls, model: IntentModel, probabilities: np.ndarray, truth: np.ndarray) -> _HeldOutRows:
        labels = np.asarray(model.labels)
        best = np.where((labels != OOS_LABEL)[None, :], probabilities, -np.inf).argmax(axis=1)
        vetoed = np.zeros(len(truth), dtype=bool)
        if model.scope_head is None:
            vetoed = labels[probabilities.argmax(axis=1)] == OOS_LABEL
        return cls(
            right=labels[best] == truth,
            oos=truth == OOS_LABEL,
            vetoed=vetoed,
            confidence=probabilities[np.arange(len(probabilities)), best],
        )

    def figures(self, score: np.ndarray, threshold: float, floor: float = 0.0) -> tuple[float, float | None]:
        """In-scope accuracy and out-of-scope recall (None without out-of-scope rows)."""
        accepted = (score >= threshold) & ~self.vetoed & (self.confidence >= floor)
        oos = self.oos
        in_acc = float((self.right & accepted)[~oos].mean()) if (~oos).any() else 0.0
        recall = float((~accepted)[oos].mean()) if oos.any() else None
        return in_acc, recall


def choose_threshold(
    model: IntentModel,
    probabilities: np.ndarray,
    true_labels: Sequence[str],
    distances: np.ndarray | None = None,
    *,
    logits: np.ndarray | None = None,
    min_recall: float | None = None,
    targets: OperatingTargets | None = None,
    keep: float | None = None,
) -> ThresholdChoice:
    """Pick the threshold (and, without a scope head, the distance weight) on held-out rows.

    Rules, by what the caller gives:

    * ``keep``: the highest threshold that still accepts this share of the in-scope rows the model
      reads right (for pretend out-of-scope rows, whose share says nothing of real traffic);
    * ``targets``: the threshold whose tighter figure clears its target by the widest margin
      (equal slack on both sides; ties go to the higher in-scope accuracy);
    * ``min_recall``: the highest in-scope accuracy among thresholds whose oos recall reaches it;
    * neither: the threshold that maximises mean(in-scope accuracy, oos recall).

    In-scope rows count as right when the intent is right and the message is accepted;
    out-of-scope rows when the message is rejected. Without out-of-scope rows the threshold keeps
    98% of the correctly classified in-scope rows.
    """
    truth = np.asarray(true_labels)
    if len(truth) != len(probabilities):
        raise InvalidInput(f"{len(probabilities)} probability rows but {len(truth)} labels")
    rows = _HeldOutRows.of(model, probabilities, truth)
    oos, confidence, figures = rows.oos, rows.confidence, rows.figures

    if model.scope_head is not None:
        if logits is None:
            raise InvalidInput("A model with a scope head needs the held-out logits to choose a threshold")
        head_score, _ = model.scope_scores(logits, probabilities, distances)
        if keep is not None:
            return _keeping_with_floor(head_score, rows, keep)
        candidates: list[tuple[float, np.ndarray]] = [(model.distance_weight, head_score)]
    elif not oos.any() or keep is not None:
        return _keeping(confidence, rows, KEEP_RIGHT if keep is None else keep)
    else:
        weights = DISTANCE_WEIGHTS if distances is not None else (0.0,)
        candidates = [(w, confidence if w == 0 else confidence - w * np.asarray(distances)) for w in weights]

    best: tuple[tuple[float, float], ThresholdChoice] | None = None
    for weight, score in candidates:
        for threshold in np.unique(np.round(np.quantile(score, np.linspace(0.0, 1.0, 4001)), 6)):
            in_acc, recall = figures(score, float(threshold))
            rec = recall or 0.0
            if targets is not None:
                key = (targets.slack(in_acc, rec), in_acc)
            elif min_recall is not None:
                key = (1.0 if rec >= min_recall else 0.0, in_acc if rec >= min_recall else (in_acc + rec) / 2)
            else:
                key = ((in_acc + rec) / 2, in_acc)
            if best is None or key > best[0]:
                best = (key, ThresholdChoice(float(threshold), in_acc, recall, float(weight)))
    assert best is not None
    return best[1]


def _check_keep(keep: float) -> None:
    if not 0.0 < keep <= 1.0:
        raise InvalidInput(f"The share of right rows to keep must lie in (0, 1], not {keep!r}")


def _keeping(score: np.ndarray, rows: _HeldOutRows, keep: float) -> ThresholdChoice:
    """The threshold that accepts ``keep`` of the rightly read in-scope rows."""
    _check_keep(keep)
    kept = np.sort(score[rows.right & ~rows.oos & ~rows.vetoed])
    threshold = float(kept[min(len(kept) - 1, int((1.0 - keep) * len(kept)))]) if len(kept) else 0.0
    in_acc, recall = rows.figures(score, threshold)
    return ThresholdChoice(threshold, in_acc, recall)


def _keeping_with_floor(score: np.ndarray, rows: _HeldOutRows, keep: float) -> ThresholdChoice:
    """A confidence floor keeping ``FLOOR_KEEP`` of the rows read right, and the highest threshold on
    ``score`` with which both together still keep ``keep`` of them.

    A head fitted on pretend out-of-scope rows ranks foreign messages well where the hidden intents
    were unlike the rest (CLINC150's domains) and can rank them worse than the plain confidence
    where they were close cousins (BANKING77's); the floor keeps the confidence's say in both.
    """
    _check_keep(keep)
    good = rows.right & ~rows.oos & ~rows.vetoed
    if not good.any():
        return ThresholdChoice(0.0, *rows.figures(score, 0.0))
    confidences = np.sort(rows.confidence[good])
    floor_at = int((1.0 - max(keep, FLOOR_KEEP)) * len(confidences))
    floor = float(confidences[min(len(confidences) - 1, floor_at)])
    above = good & (rows.confidence >= floor)
    needed = int(np.ceil(keep * good.sum()))
    scores = np.sort(score[above])[::-1]
    threshold = float(scores[min(len(scores), needed) - 1])
    in_acc, recall = rows.figures(score, threshold, floor)
    return ThresholdChoice(threshold, in_acc, recall, confidence_floor=floor)


def figures_at_threshold(
    model: IntentModel,
    logits: np.ndarray,
    neighbours: np.ndarray | None,
    labels: Sequence[str],
    distances: np.ndarray | None = None,
) -> tuple[float, float | None]:
    """In-scope accuracy and out-of-scope recall of ``model`` (its own threshold) on held-out rows.

    Counted as :func:`choose_threshold` counts them: an in-scope row is right when its intent is
    right and it is accepted, an out-of-scope row when it is rejected. Recall is None without
    out-of-scope rows.
    """
    probabilities = model.mix(logits, neighbours)
    score, _ = model.scope_scores(logits, probabilities, distances)
    return _HeldOutRows.of(model, probabilities, np.asarray(labels)).figures(
        score, model.threshold, model.confidence_floor
    )


def cross_fitted_figures(
    model: IntentModel,
    logits: np.ndarray,
    neighbours: np.ndarray | None,
    labels: Sequence[str],
    distances: np.ndarray | None = None,
    *,
    seed: int = 13,
    keep: float | None = None,
) -> tuple[float, float | None]:
    """Held-out figures that do not grade the calibration on the rows it was fitted on.

    The held-out rows are split in two halves (stratified by label); the temperature, scope head and
    threshold are fitted on one half and measured on the other, both ways, and the two are averaged.
    Calibrating and measuring on the same rows reads optimistic, most of all for small sets.
    """
    truth = np.asarray(labels)
    first_half = stratified_folds(list(labels), 2, seed) == 0
    results: list[tuple[float, float | None]] = []
    for fit_rows in (first_half, ~first_half):
        fit, held = np.flatnonzero(fit_rows), np.flatnonzero(~fit_rows)
        if len(fit) == 0 or len(held) == 0:
            continue
        calibrated, _ = calibrate_scores(
            model, logits[fit], _rows(neighbours, fit), list(truth[fit]), _rows(distances, fit), keep=keep
        )
        results.append(
            figures_at_threshold(
                calibrated, logits[held], _rows(neighbours, held), list(truth[held]), _rows(distances, held)
            )
        )
    if not results:
        return 0.0, None
    recalls = [r[1] for r in results if r[1] is not None]
    return float(np.mean([r[0] for r in results])), (float(np.mean(recalls)) if recalls else None)


def _rows(values: np.ndarray | None, index: np.ndarray) -> np.ndarray | None:
    return None if values is None else np.asarray(values)[index]


def stratified_folds(labels: list[str], folds: int, seed: int) -> np.ndarray:
    """The fold (0 .. folds-1) of each row, every label spread evenly over the folds."""
    rng = np.random.default_rng(seed)
    fold_of = np.zeros(len(labels), dtype=int)
    by_label: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, []).append(i)
    for label in sorted(by_label):
        members = np.asarray(by_label[label])
        rng.shuffle(members)
        fold_of[members] = np.arange(len(members)) % folds
    return fold_of


def calibrate(
    model: IntentModel,
    texts: Sequence[str],
    labels: Sequence[str],
    vectors: np.ndarray,
    *,
    min_recall: float | None = None,
    targets: OperatingTargets | None = None,
    keep: float | None = None,
    refit: bool = True,
) -> tuple[IntentModel, ThresholdChoice]:
    """Calibrate on held-out rows given as texts; returns the updated model and its figures.

    With ``refit=False`` the temperature and scope head stay as they are and only the threshold is
    chosen here (for a model calibrated on cross-validated rows that keeps a validation split for
    the threshold).
    """
    return calibrate_scores(
        model,
        model.logits(texts, vectors),
        model.neighbour_scores(vectors),
        labels,
        model.distances(vectors),
        min_recall=min_recall,
        targets=targets,
        keep=keep,
        refit=refit,
    )


def calibrate_scores(
    model: IntentModel,
    logits: np.ndarray,
    neighbours: np.ndarray | None,
    labels: Sequence[str],
    distances: np.ndarray | None = None,
    *,
    min_recall: float | None = None,
    targets: OperatingTargets | None = None,
    keep: float | None = None,
    refit: bool = True,
) -> tuple[IntentModel, ThresholdChoice]:
    """:func:`calibrate` from held-out classifier logits, neighbour scores and distances.

    With ``refit``: fit the temperature; then, when the rows hold enough out-of-scope examples, fit
    the scope head; then choose the threshold on the same rows.
    """
    calibrated = model
    if refit:
        index = {label: i for i, label in enumerate(model.labels)}
        known = [i for i, label in enumerate(labels) if label in index]
        temperature = model.temperature
        if known:
            temperature = fit_temperature(logits[known], np.asarray([index[labels[i]] for i in known]))
        calibrated = replace(model, temperature=temperature, scope_head=None, confidence_floor=0.0)
        outside = sum(1 for label in labels if label == OOS_LABEL)
        if outside >= MIN_OUT_OF_SCOPE_ROWS and len(labels) - outside >= MIN_OUT_OF_SCOPE_ROWS:
            probabilities = calibrated.mix(logits, neighbours)
            names, readings = scope_readings(
                probabilities, logits / temperature, distances, calibrated.oos_column
            )
            in_scope = np.asarray([label != OOS_LABEL for label in labels])
            calibrated = replace(calibrated, scope_head=fit_scope_head(names, readings, in_scope))
    choice = choose_threshold(
        calibrated,
        calibrated.mix(logits, neighbours),
        labels,
        distances,
        logits=logits,
        min_recall=min_recall,
        targets=targets,
        keep=keep,
    )
    return (
        replace(
            calibrated,
            threshold=choice.threshold,
            distance_weight=choice.distance_weight,
            confidence_floor=choice.confidence_floor,
        ),
        choice,
    )


__all__ = [
    "DISTANCE_WEIGHTS",
    "FLOOR_KEEP",
    "KEEP_RIGHT",
    "OperatingTargets",
    "ThresholdChoice",
    "calibrate",
    "calibrate_scores",
    "choose_threshold",
    "cross_fitted_figures",
    "figures_at_threshold",
    "stratified_folds",
    "fit_temperature",
]
