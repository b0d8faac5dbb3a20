"""Training an intent model end to end, and saving / loading it as a versioned artifact.

An artifact is a directory with two files:

- ``manifest.json``: format and artifact version, the model version string, the embedder it needs,
  the labels, the threshold, distance weight and temperature, the SHA-256 of the training data, the
  hyper-parameters, and the held-out figures measured when it was trained;
- ``model.joblib``: the fitted featurizer, classifier, neighbour prototypes and intent Gaussians
  (a pickle: load only artifacts you trust).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import joblib
import numpy as np

from relaydesk.domain.errors import ConfigurationError
from relaydesk.domain.ports import Embedder
from relaydesk.triage.intent.calibration import (
    KEEP_RIGHT,
    calibrate,
    calibrate_scores,
    cross_fitted_figures,
    stratified_folds,
)
from relaydesk.triage.intent.data import OOS_LABEL, IntentExamples
from relaydesk.triage.intent.model import IntentModel, IntentTrainingConfig, fit_model
from relaydesk.triage.intent.vector_cache import embed_cached
from relaydesk.triage.intent.vectors import richest_view

ARTIFACT_FORMAT = "relaydesk-intent-model"
ARTIFACT_VERSION = 2
"""2 adds the out-of-scope head (its threshold is on the head's log-odds); 1 is still read.
Either may name a wide vector view as its ``embedder`` (with ``sentence_width``)."""
READABLE_VERSIONS = (1, 2)
MANIFEST = "manifest.json"
WEIGHTS = "model.joblib"

Progress = Callable[[str, int, int], None]
"""``(stage, done, total)``: called during long work so a CLI can draw progress bars."""


def _noop(stage: str, done: int, total: int) -> None:
    return None


def train_from_examples(
    examples: IntentExamples,
    embedder: Embedder,
    *,
    config: IntentTrainingConfig = IntentTrainingConfig(),
    cache_dir: Path | None = None,
    folds: int = 4,
    seed: int = 13,
    on_progress: Progress = _noop,
) -> IntentModel:
    """Train on every example; calibrate and pick the threshold from cross-validated predictions.

    When the examples carry a threshold (YAML ``threshold:``), it is used as given.
    """
    texts, labels = list(examples.texts), list(examples.labels)
    started = time.perf_counter()
    view = richest_view(embedder)
    vectors = embed_cached(
        embedder, texts, cache_dir, on_progress=lambda d, t: on_progress("embedding", d, t), view=view
    )
    width = embedder.dimension
    pretend = OOS_LABEL not in labels
    held = cross_validated_scores(
        texts,
        labels,
        vectors,
        config,
        folds=folds,
        seed=seed,
        on_progress=on_progress,
        sentence_width=width,
        hide_intents=pretend,
    )
    model = fit_model(texts, labels, vectors, config, sentence_width=width)
    on_progress("cross-validation", folds + 1, folds + 1)
    neighbours = held.votes if model.prototypes is not None else None
    distances = held.distances if model.distance is not None else None
    calibration_labels = held.calibration_labels(labels)
    keep = KEEP_RIGHT if held.hidden is not None else None
    honest = cross_fitted_figures(
        model, held.logits, neighbours, calibration_labels, distances, seed=seed, keep=keep
    )
    model, choice = calibrate_scores(model, held.logits, neighbours, calibration_labels, distances, keep=keep)
    if examples.threshold is not None:
        model = replace(
            model, threshold=examples.threshold, distance_weight=0.0, scope_head=None, confidence_floor=0.0
        )  # a probability
    info = {
        "name": examples.name,
        "examples": len(texts),
        "training_data_sha256": examples.digest(),
        "embedder": view,
        "train_s": round(time.perf_counter() - started, 2),
        "held_out": {
            "method": (
                f"{folds}-fold cross-validation, seed {seed}; calibration (temperature, scope head, "
                "threshold) fitted on one half of the held-out rows and measured on the other, both ways"
            ),
            "out_of_scope_rows": (
                "pretend: each fold's model never saw one group of intents (about 1/"
                f"{folds} of them), whose held-out rows stand in for out-of-scope messages; the "
                f"scope threshold and a confidence floor together keep {KEEP_RIGHT:.0%} of the "
                "in-scope rows read right"
                if held.hidden is not None
                else ("the examples' own out-of-scope rows" if not pretend else "none")
            ),
            "in_scope_accuracy": round(honest[0], 4),
            "oos_recall": None if honest[1] is None else round(honest[1], 4),
            "calibration_rows": {
                "note": "measured on the same rows the calibration was fitted on (optimistic)",
                "in_scope_accuracy": round(choice.in_scope_accuracy, 4),
                "oos_recall": None if choice.oos_recall is None else round(choice.oos_recall, 4),
            },
        },
    }
    return replace(model, info=info)


@dataclass(frozen=True)
class HeldOutScores:
    """Cross-validated classifier logits, neighbour votes and distances of every training row,
    columns in sorted label order (the order of a model trained on all rows)."""

    logits: np.ndarray
    votes: np.ndarray
    distances: np.ndarray
    hidden: np.ndarray | None = None
    """With hidden intents: True for rows whose intent the model that scored them never saw (they
    stand in for out-of-scope messages); None when every fold knew every intent."""

    def calibration_labels(self, labels: list[str]) -> list[str]:
        """``labels`` with the rows of hidden intents relabelled out of scope."""
        if self.hidden is None:
            return list(labels)
        return [OOS_LABEL if hidden else label for label, hidden in zip(labels, self.hidden, strict=True)]


MIN_INTENTS_TO_HIDE = 8
"""Fewer intents than this are too few to hide a share of them in every fold."""


def intent_groups(labels: list[str], folds: int, seed: int) -> dict[str, int]:
    """Each in-scope intent's group (0 .. folds-1): fold ``k`` hides group ``k`` from its model.

    Groups are a seeded shuffle of the intents dealt round, so every intent is hidden exactly once
    and each fold hides about ``1 / folds`` of them.
    """
    intents = sorted({label for label in labels if label != OOS_LABEL})
    order = np.random.default_rng(seed).permutation(len(intents))
    return {intents[i]: position % folds for position, i in enumerate(order)}


PARALLEL_FROM = 2000
"""Training sets at least this large fit their cross-validation folds in parallel processes (one
per core, at most one per fold); smaller ones are done before a process would have started."""


def cross_validated_scores(
    texts: list[str],
    labels: list[str],
    vectors: np.ndarray,
    config: IntentTrainingConfig,
    *,
    folds: int = 4,
    seed: int = 13,
    on_progress: Progress = _noop,
    sentence_width: int | None = None,
    workers: int | None = None,
    hide_intents: bool = False,
) -> HeldOutScores:
    """Score every row with a model that did not see it (stratified ``folds``-fold).

    ``sentence_width``: see :func:`~relaydesk.triage.intent.model.fit_model`. ``workers``: processes
    fitting folds at once (default: the machine's cores for sets of ``PARALLEL_FROM`` rows or more,
    else 1). The result does not depend on it.

    ``hide_intents``: each fold's model also leaves out every training row of one group of intents
    (:func:`intent_groups`), so the held-out rows of that group are messages about something the
    model was never taught: pretend out-of-scope rows, marked in ``hidden``. This is how a model
    trained without out-of-scope examples learns where to draw its line. Ignored with fewer than
    ``MIN_INTENTS_TO_HIDE`` intents.
    """
    ordered = sorted(set(labels))
    held_logits = np.full((len(texts), len(ordered)), -1e3)
    held_votes = np.full((len(texts), len(ordered)), -1.0)
    held_distances = np.zeros(len(texts))
    fold_of = stratified_folds(labels, folds, seed)
    hidden: np.ndarray | None = None
    kept = np.ones((folds, len(texts)), dtype=bool)
    if hide_intents and len({label for label in labels if label != OOS_LABEL}) >= MIN_INTENTS_TO_HIDE:
        groups = intent_groups(labels, folds, seed)
        group_of = np.asarray([groups.get(label, -1) for label in labels])
        kept = group_of[None, :] != np.arange(folds)[:, None]
        hidden = group_of == fold_of
    jobs = [
        (np.flatnonzero((fold_of != fold) & kept[fold]), np.flatnonzero(fold_of == fold))
        for fold in range(folds)
        if np.any(fold_of == fold)
    ]
    if workers is None:
        workers = min(len(jobs), os.cpu_count() or 1) if len(texts) >= PARALLEL_FROM else 1
    on_progress("cross-validation", 0, folds + 1)
    if workers > 1:
        from joblib import Parallel, delayed

        # joblib's worker processes need no __main__ guard in the caller's script, and they exit
        # soon after training instead of holding memory in a long-lived server.
        run = Parallel(n_jobs=workers, return_as="generator", idle_worker_timeout=10)
        scored: Iterator[_FoldScores] = run(
            delayed(_score_fold)(texts, labels, vectors, config, sentence_width, train_idx, held_idx)
            for train_idx, held_idx in jobs
        )
    else:
        scored = (
            _score_fold(texts, labels, vectors, config, sentence_width, train_idx, held_idx)
            for train_idx, held_idx in jobs
        )
    for done, ((_, held_idx), (part_labels, logits, votes, distances)) in enumerate(
        zip(jobs, scored, strict=True), start=1
    ):
        columns = np.asarray([ordered.index(label) for label in part_labels])
        held_logits[np.ix_(held_idx, columns)] = logits
        if votes is not None:
            held_votes[np.ix_(held_idx, columns)] = votes
        if distances is not None:
            held_distances[held_idx] = distances
        on_progress("cross-validation", done, folds + 1)
    on_progress("cross-validation", folds, folds + 1)
    return HeldOutScores(held_logits, held_votes, held_distances, hidden)


_FoldScores = tuple[tuple[str, ...], np.ndarray, np.ndarray | None, np.ndarray | None]


def _score_fold(
    texts: list[str],
    labels: list[str],
    vectors: np.ndarray,
    config: IntentTrainingConfig,
    sentence_width: int | None,
    train_idx: np.ndarray,
    held_idx: np.ndarray,
) -> _FoldScores:
    """Fit on ``train_idx`` and score ``held_idx``: labels, logits, votes and distances."""
    part = fit_model(
        [texts[i] for i in train_idx],
        [labels[i] for i in train_idx],
        vectors[train_idx],
        config,
        sentence_width=sentence_width,
    )
    held_texts = [texts[i] for i in held_idx]
    return (
        part.labels,
        part.logits(held_texts, vectors[held_idx]),
        part.neighbour_scores(vectors[held_idx]),
        part.distances(vectors[held_idx]),
    )


def model_version(model: IntentModel) -> str:
    """A short version string: the data set name and the first digits of its hash."""
    name = str(model.info.get("name", "intents"))
    digest = str(model.info.get("training_data_sha256", ""))[:10]
    return f"{name}-{digest}" if digest else name


def manifest_of(model: IntentModel) -> dict[str, Any]:
    import sklearn

    return {
        "format": ARTIFACT_FORMAT,
        "artifact_version": ARTIFACT_VERSION,
        "model_version": model_version(model),
        "embedder": model.info.get("embedder"),
        "sentence_width": model.sentence_width,
        "labels": list(model.labels),
        "intents": list(model.intents),
        "oos_label": OOS_LABEL if OOS_LABEL in model.labels else None,
        "threshold": model.threshold,
        "temperature": model.temperature,
        "distance_weight": model.distance_weight,
        "confidence_floor": model.confidence_floor,
        "scope_head": None if model.scope_head is None else model.scope_head.describe(),
        "config": model.config.to_dict(),
        "sklearn": sklearn.__version__,
        "saved_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        **{k: v for k, v in model.info.items() if k != "embedder"},
    }


def save_model(model: IntentModel, directory: Path | str) -> Path:
    """Write the artifact to ``directory`` (created if needed); returns the directory."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / (WEIGHTS + ".tmp")
    parts = {
        "featurizer": model.featurizer,
        "classifier": model.classifier,
        "prototypes": None if model.prototypes is None else model.prototypes.astype(np.float16),
        "members": model.members,
        "distance": model.distance,
        "scope_head": model.scope_head,
    }
    joblib.dump(parts, tmp, compress=3)
    tmp.replace(directory / WEIGHTS)
    (directory / MANIFEST).write_text(json.dumps(manifest_of(model), indent=2) + "\n", encoding="utf-8")
    return directory


def read_manifest(directory: Path | str) -> dict[str, Any]:
    path = Path(directory) / MANIFEST
    if not path.is_file():
        raise ConfigurationError(f'Intent model "{directory}" has no {MANIFEST}')
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ConfigurationError(f'Intent model manifest "{path}" is not valid JSON') from exc
    if manifest.get("format") != ARTIFACT_FORMAT:
        raise ConfigurationError(f'"{path}" is not a relaydesk intent model manifest')
    if manifest.get("artifact_version") not in READABLE_VERSIONS:
        raise ConfigurationError(
            f'Intent model "{directory}" has artifact version {manifest.get("artifact_version")!r}; '
            f"this relaydesk reads versions {READABLE_VERSIONS}. Retrain it with `relaydesk nlu train`."
        )
    return manifest


def load_model(directory: Path | str, embedder: Embedder | None = None) -> IntentModel:
    """Load an artifact; refuses one trained on vectors ``embedder`` cannot give."""
    manifest = read_manifest(directory)
    if embedder is not None and manifest.get("embedder") not in (
        None,
        embedder.model_id,
        richest_view(embedder),
    ):
        raise ConfigurationError(
            f'Intent model "{directory}" was trained with embedder "{manifest["embedder"]}", '
            f'not "{embedder.model_id}"; retrain it'
        )
    try:
        parts = joblib.load(Path(directory) / WEIGHTS)
    except Exception as exc:  # a truncated or foreign pickle
        raise ConfigurationError(f'Intent model weights in "{directory}" cannot be read: {exc}') from exc
    config = IntentTrainingConfig.from_dict(manifest.get("config", {}))
    info: dict[str, Any] = {
        k: manifest[k]
        for k in ("examples", "training_data_sha256", "train_s", "held_out", "embedder", "metrics")
        if k in manifest
    }
    info["name"] = manifest.get("name", "intents")
    model = IntentModel(
        featurizer=parts["featurizer"],
        classifier=parts["classifier"],
        config=config,
        threshold=float(manifest.get("threshold", 0.0)),
        temperature=float(manifest.get("temperature", 1.0)),
        prototypes=None if parts.get("prototypes") is None else parts["prototypes"].astype(np.float32),
        sentence_width=manifest.get("sentence_width"),
        members=parts.get("members"),
        distance=parts.get("distance"),
        distance_weight=float(manifest.get("distance_weight", 0.0)),
        confidence_floor=float(manifest.get("confidence_floor", 0.0)),
        scope_head=parts.get("scope_head"),
        info=info,
    )
    if list(model.labels) != manifest.get("labels"):
        raise ConfigurationError(f'Intent model "{directory}": weights and manifest disagree on labels')
    return model


__all__ = [
    "HeldOutScores",
    "calibrate",
    "cross_validated_scores",
    "load_model",
    "model_version",
    "read_manifest",
    "save_model",
    "train_from_examples",
]
