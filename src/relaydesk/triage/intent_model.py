"""The intent model: lexical (TF-IDF words + characters) and semantic (MiniLM) features, a
multinomial logistic regression with temperature calibration, and an out-of-scope threshold.

Train with :func:`train_intent_model`, save and load with :mod:`relaydesk.triage.intent_artifact`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from relaydesk.domain.errors import InvalidInput
from relaydesk.triage.intent_data import OOS_LABEL
from relaydesk.triage.intent_distance import ScopeDistance, fit_scope_distance

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class IntentTrainingConfig:
    """Hyper-parameters of the intent model; recorded in the artifact manifest."""

    c: float = 20.0
    """Inverse regularisation strength of the logistic regression."""
    embedding_weight: float = 2.0
    """Scale of the (unit-length) sentence vector next to the two unit-length TF-IDF blocks."""
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)
    char_min_df: int = 1
    max_iter: int = 500
    class_weight: str | None = None
    """``balanced`` weighs rare classes (such as a small out-of-scope set) up."""
    knn_weight: float = 0.3
    """Share of the nearest-neighbour vote in the final probabilities (0 turns it off)."""
    knn_k: int = 3
    """The vote of an intent is the mean cosine of its ``knn_k`` closest training examples."""
    knn_temperature: float = 0.03
    scope_distance: bool = True
    """Fit the intent Gaussians whose distance can join the out-of-scope decision."""
    distance_shrinkage: float = 0.5
    """Shrinkage of their covariance towards the identity (0 to 1)."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> IntentTrainingConfig:
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        for key in ("word_ngrams", "char_ngrams"):
            if key in known:
                known[key] = tuple(known[key])
        return cls(**known)


@dataclass(frozen=True, slots=True)
class IntentPrediction:
    """The model's reading of one message."""

    intent: str | None
    """The intent, or None when the message is out of scope."""
    best_guess: str
    """The most likely in-scope intent, even when the message is out of scope."""
    confidence: float
    """Calibrated probability of ``best_guess``."""
    in_scope: bool
    alternatives: tuple[tuple[str, float], ...] = ()
    """The next most likely intents with their probabilities."""
    distance: float | None = None
    """How far the message lies from every trained intent (a z-score; None without the term)."""


class IntentFeaturizer:
    """Turns texts and their sentence vectors into one sparse feature matrix."""

    def __init__(self, config: IntentTrainingConfig) -> None:
        self.config = config
        self.words = TfidfVectorizer(
            ngram_range=config.word_ngrams, sublinear_tf=True, strip_accents="unicode", dtype=np.float32
        )
        self.chars = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=config.char_ngrams,
            sublinear_tf=True,
            min_df=config.char_min_df,
            dtype=np.float32,
        )

    def fit_transform(self, texts: Sequence[str], vectors: np.ndarray) -> sp.csr_matrix:
        words = self.words.fit_transform(texts)
        chars = self.chars.fit_transform(texts)
        return self._stack(words, chars, vectors)

    def transform(self, texts: Sequence[str], vectors: np.ndarray) -> sp.csr_matrix:
        if len(texts) <= 16:  # the per-message path: skip scikit-learn's per-call overhead
            return self._stack(_tfidf_rows(self.words, texts), _tfidf_rows(self.chars, texts), vectors)
        return self._stack(self.words.transform(texts), self.chars.transform(texts), vectors)

    def row_logits(
        self, text: str, vector: np.ndarray, coef: np.ndarray, intercept: np.ndarray
    ) -> np.ndarray:
        """``transform([text], [vector]) @ coef.T + intercept`` for one message, by gathering only the
        classifier columns its non-zero features touch (the per-message hot path)."""
        word_cols, word_vals = _tfidf_row(self.words, text)
        char_cols, char_vals = _tfidf_row(self.chars, text)
        offset = len(self.words.vocabulary_)
        dense_start = offset + len(self.chars.vocabulary_)
        scores = intercept + coef[:, dense_start:] @ (
            np.asarray(vector, dtype=np.float64) * self.config.embedding_weight
        )
        if len(word_cols):
            scores = scores + coef[:, word_cols] @ word_vals
        if len(char_cols):
            scores = scores + coef[:, char_cols + offset] @ char_vals
        return scores

    def _stack(self, words: Any, chars: Any, vectors: np.ndarray) -> sp.csr_matrix:
        dense = sp.csr_matrix(np.asarray(vectors, dtype=np.float32) * self.config.embedding_weight)
        return sp.hstack([words, chars, dense], format="csr", dtype=np.float32)


_ANALYZERS: dict[int, Callable[[str], list[str]]] = {}


def _tfidf_row(vectorizer: TfidfVectorizer, text: str) -> tuple[np.ndarray, np.ndarray]:
    """The non-zero ``(columns, values)`` of ``vectorizer.transform([text])`` (sublinear tf, idf,
    L2 norm), computed without scikit-learn's per-call overhead; columns sorted."""
    analyzer = _ANALYZERS.get(id(vectorizer))
    if analyzer is None:
        analyzer = _ANALYZERS[id(vectorizer)] = vectorizer.build_analyzer()
    vocabulary, idf = vectorizer.vocabulary_, vectorizer.idf_
    counts: dict[int, int] = {}
    for token in analyzer(text):
        column = vocabulary.get(token)
        if column is not None:
            counts[column] = counts.get(column, 0) + 1
    columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    weights = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * idf[columns]
    norm = np.sqrt((weights**2).sum())
    order = np.argsort(columns)
    return columns[order], (weights / norm if norm > 0 else weights)[order]


def _tfidf_rows(vectorizer: TfidfVectorizer, texts: Sequence[str]) -> sp.csr_matrix:
    """What ``vectorizer.transform`` returns, for a few texts, faster."""
    indptr, indices, values = [0], [], []
    for text in texts:
        columns, weights = _tfidf_row(vectorizer, text)
        indices.append(columns)
        values.append(weights)
        indptr.append(indptr[-1] + len(columns))
    return sp.csr_matrix(
        (
            np.concatenate(values).astype(np.float32) if values else np.zeros(0, np.float32),
            np.concatenate(indices) if indices else np.zeros(0, np.int64),
            np.asarray(indptr),
        ),
        shape=(len(texts), len(vectorizer.vocabulary_)),
    )


@dataclass(frozen=True)
class IntentModel:
    """A trained intent classifier with its calibration and out-of-scope threshold."""

    featurizer: IntentFeaturizer
    classifier: LogisticRegression
    config: IntentTrainingConfig
    threshold: float = 0.0
    """Below this confidence a message is out of scope."""
    temperature: float = 1.0
    """Logits are divided by this before the softmax (fitted on held-out data)."""
    prototypes: np.ndarray | None = None
    """Training sentence vectors for the nearest-neighbour vote."""
    members: np.ndarray | None = None
    """Row ``c`` lists the prototype rows of label ``c``, padded with -1."""
    distance: ScopeDistance | None = None
    """Distance of a sentence vector from the trained intents (see :mod:`intent_distance`)."""
    distance_weight: float = 0.0
    """The scope score is ``confidence - distance_weight * distance`` (chosen on held-out rows)."""
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(str(c) for c in self.classifier.classes_)

    @property
    def intents(self) -> tuple[str, ...]:
        return tuple(label for label in self.labels if label != OOS_LABEL)

    def logits(self, texts: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        if len(texts) == 1:
            row = self.featurizer.row_logits(
                texts[0], np.asarray(vectors)[0], self.classifier.coef_, self.classifier.intercept_
            )
            return np.asarray(row, dtype=np.float64).reshape(1, -1)
        features = self.featurizer.transform(texts, vectors)
        scores = features @ self.classifier.coef_.T + self.classifier.intercept_
        return np.asarray(scores, dtype=np.float64).reshape(len(texts), -1)

    def neighbour_scores(self, vectors: np.ndarray) -> np.ndarray | None:
        """Per label, the mean cosine of the ``knn_k`` closest training vectors of that label."""
        if self.prototypes is None or self.members is None or self.config.knn_weight <= 0:
            return None
        vectors = np.asarray(vectors, dtype=np.float32)
        k = min(self.config.knn_k, self.members.shape[1])
        if len(vectors) == 1:  # one message: a matrix-vector product and a 2-d partition
            row = np.append(self.prototypes @ vectors[0], np.float32(-1.0))[self.members]
            top_row = np.partition(row, row.shape[1] - k, axis=1)[:, -k:]
            return top_row.mean(axis=1).astype(np.float64)[None, :]
        sims = vectors @ self.prototypes.T
        padded = np.concatenate([sims, np.full((len(sims), 1), -1.0, dtype=np.float32)], axis=1)
        gathered = padded[:, self.members]  # rows x labels x members
        top = np.partition(gathered, gathered.shape[2] - k, axis=2)[:, :, -k:]
        return top.mean(axis=2).astype(np.float64)

    def mix(
        self, logits: np.ndarray, neighbours: np.ndarray | None, temperature: float | None = None
    ) -> np.ndarray:
        """Blend the calibrated classifier with the nearest-neighbour vote."""
        probabilities = softmax(logits / (temperature or self.temperature))
        if neighbours is None:
            return probabilities
        weight = self.config.knn_weight
        vote = softmax(neighbours / self.config.knn_temperature)
        return (1 - weight) * probabilities + weight * vote

    def probabilities(self, texts: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        """Calibrated class probabilities, one row per text, columns in ``labels`` order."""
        return self.mix(self.logits(texts, vectors), self.neighbour_scores(vectors))

    def distances(self, vectors: np.ndarray) -> np.ndarray | None:
        """Per row, the distance z-score from the trained intents; None without the term."""
        return None if self.distance is None else self.distance(vectors)

    def scope_score(self, confidence: float, distance: float | None) -> float:
        """What the threshold compares: the confidence, lowered for messages far from every intent."""
        if distance is None or self.distance_weight <= 0:
            return confidence
        return confidence - self.distance_weight * distance

    def accepts(self, confidence: float, distance: float | None) -> bool:
        """Whether a best guess with this confidence and distance is in scope."""
        return self.scope_score(confidence, distance) >= self.threshold

    def predict(self, texts: Sequence[str], vectors: np.ndarray, top_k: int = 3) -> list[IntentPrediction]:
        distances = self.distances(vectors) if self.distance_weight > 0 else None
        return [
            self.read(row, top_k, None if distances is None else float(distances[i]))
            for i, row in enumerate(self.probabilities(texts, vectors))
        ]

    def read(
        self, probabilities: np.ndarray, top_k: int = 3, distance: float | None = None
    ) -> IntentPrediction:
        """Turn one row of probabilities (and its distance) into a prediction, applying the threshold."""
        labels = self.labels
        order = np.argsort(-probabilities)
        top = labels[int(order[0])]
        in_scope_order = [int(i) for i in order if labels[int(i)] != OOS_LABEL]
        best = in_scope_order[0]
        confidence = float(probabilities[best])
        in_scope = top != OOS_LABEL and self.accepts(confidence, distance)
        alternatives = tuple((labels[i], float(probabilities[i])) for i in in_scope_order[1:top_k])
        return IntentPrediction(
            intent=labels[best] if in_scope else None,
            best_guess=labels[best],
            confidence=confidence,
            in_scope=in_scope,
            alternatives=alternatives,
            distance=distance,
        )


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def fit_model(
    texts: Sequence[str],
    labels: Sequence[str],
    vectors: np.ndarray,
    config: IntentTrainingConfig = IntentTrainingConfig(),
) -> IntentModel:
    """Fit features and classifier on all rows (no calibration, threshold 0)."""
    if len(texts) != len(labels) or len(texts) != len(vectors):
        raise InvalidInput(
            f"{len(texts)} texts, {len(labels)} labels and {len(vectors)} vectors: the counts must match"
        )
    if len({label for label in labels if label != OOS_LABEL}) < 2:
        raise InvalidInput("An intent model needs examples of at least 2 intents")
    featurizer = IntentFeaturizer(config)
    features = featurizer.fit_transform(texts, vectors)
    classifier = LogisticRegression(
        C=config.c, max_iter=config.max_iter, class_weight=config.class_weight, tol=1e-4
    )
    classifier.fit(features, np.asarray(labels))
    prototypes, members = None, None
    if config.knn_weight > 0:
        prototypes = np.asarray(vectors, dtype=np.float32)
        members = member_index(labels, tuple(str(c) for c in classifier.classes_))
    distance = None
    if config.scope_distance:
        in_scope = [i for i, label in enumerate(labels) if label != OOS_LABEL]
        distance = fit_scope_distance(
            np.asarray(vectors)[in_scope], [labels[i] for i in in_scope], config.distance_shrinkage
        )
    return IntentModel(
        featurizer=featurizer,
        classifier=classifier,
        config=config,
        prototypes=prototypes,
        members=members,
        distance=distance,
    )


def member_index(labels: Sequence[str], order: Sequence[str]) -> np.ndarray:
    """A labels x members matrix of row numbers per label, padded with -1."""
    rows: dict[str, list[int]] = {label: [] for label in order}
    for i, label in enumerate(labels):
        rows[label].append(i)
    width = max(len(r) for r in rows.values())
    matrix = np.full((len(order), width), -1, dtype=np.int64)
    for c, label in enumerate(order):
        matrix[c, : len(rows[label])] = rows[label]
    return matrix


def fit_temperature(logits: np.ndarray, true_index: np.ndarray) -> float:
    """The softmax temperature that minimises the negative log-likelihood of held-out rows."""
    from scipy.optimize import minimize_scalar

    def nll(log_t: float) -> float:
        probs = softmax(logits / np.exp(log_t))
        return float(-np.log(np.clip(probs[np.arange(len(true_index)), true_index], 1e-12, None)).mean())

    found = minimize_scalar(nll, bounds=(np.log(0.05), np.log(20.0)), method="bounded")
    return float(np.exp(found.x))


DISTANCE_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2, 2.0)
"""Weights of the distance term tried on held-out rows (only when they include out-of-scope rows)."""


@dataclass(frozen=True, slots=True)
class ThresholdChoice:
    """The out-of-scope threshold (and distance weight) picked on held-out rows, with their figures."""

    threshold: float
    in_scope_accuracy: float
    oos_recall: float | None
    distance_weight: float = 0.0


def choose_threshold(
    model: IntentModel,
    probabilities: np.ndarray,
    true_labels: Sequence[str],
    distances: np.ndarray | None = None,
    *,
    min_recall: float | None = None,
) -> ThresholdChoice:
    """Pick the distance weight and threshold that maximise mean(in-scope accuracy, oos recall).

    With ``min_recall`` (an operating requirement such as "reject 85% of out-of-scope messages"),
    pick instead the highest in-scope accuracy among the choices whose oos recall on these held-out
    rows reaches it; when none does, fall back to the mean rule.

    In-scope rows count as right when the intent is right and the scope score clears the threshold;
    out-of-scope rows when the message is rejected. Without out-of-scope rows the distance term stays
    off and the threshold keeps 98% of the correctly classified in-scope rows.
    """
    predictions = [model.read(row, top_k=1) for row in probabilities]
    truth = np.asarray(true_labels)
    oos = truth == OOS_LABEL
    confidence = np.asarray([p.confidence for p in predictions])
    top_is_oos = np.asarray([_top_label(model, row) == OOS_LABEL for row in probabilities], dtype=bool)
    right = np.asarray([p.best_guess == t for p, t in zip(predictions, truth, strict=True)])

    def scores(score: np.ndarray, threshold: float) -> tuple[float, float | None]:
        accepted = (score >= threshold) & ~top_is_oos
        in_acc = float((right & accepted)[~oos].mean()) if (~oos).any() else 0.0
        recall = float((~accepted)[oos].mean()) if oos.any() else None
        return in_acc, recall

    if not oos.any():
        kept = np.sort(confidence[right & ~oos])
        threshold = float(kept[int(0.02 * len(kept))]) if len(kept) else 0.0
        in_acc, recall = scores(confidence, threshold)
        return ThresholdChoice(threshold, in_acc, recall)
    weights = DISTANCE_WEIGHTS if distances is not None else (0.0,)
    best: ThresholdChoice | None = None
    best_score = -1.0
    constrained: ThresholdChoice | None = None
    for weight in weights:
        score = confidence if weight == 0 else confidence - weight * np.asarray(distances)
        if weight == 0:
            candidates = np.round(np.arange(0.0, 1.0, 0.005), 3)
        else:
            candidates = np.unique(np.round(np.quantile(score, np.linspace(0.0, 1.0, 2001)), 4))
        for threshold in candidates:
            in_acc, recall = scores(score, float(threshold))
            mean = (in_acc + (recall or 0.0)) / 2
            if mean > best_score + 1e-9:
                best_score, best = mean, ThresholdChoice(float(threshold), in_acc, recall, float(weight))
            if (
                min_recall is not None
                and (recall or 0.0) >= min_recall
                and (constrained is None or in_acc > constrained.in_scope_accuracy + 1e-9)
            ):
                constrained = ThresholdChoice(float(threshold), in_acc, recall, float(weight))
    assert best is not None
    return constrained or best


def _top_label(model: IntentModel, row: np.ndarray) -> str:
    return model.labels[int(np.argmax(row))]


def calibrate(
    model: IntentModel,
    texts: Sequence[str],
    labels: Sequence[str],
    vectors: np.ndarray,
    *,
    min_recall: float | None = None,
) -> tuple[IntentModel, ThresholdChoice]:
    """Fit the temperature, distance weight and threshold on held-out rows; returns the updated model."""
    return calibrate_scores(
        model,
        model.logits(texts, vectors),
        model.neighbour_scores(vectors),
        labels,
        model.distances(vectors),
        min_recall=min_recall,
    )


def calibrate_scores(
    model: IntentModel,
    logits: np.ndarray,
    neighbours: np.ndarray | None,
    labels: Sequence[str],
    distances: np.ndarray | None = None,
    *,
    min_recall: float | None = None,
) -> tuple[IntentModel, ThresholdChoice]:
    """:func:`calibrate` from held-out classifier logits, neighbour scores and distances."""
    index = {label: i for i, label in enumerate(model.labels)}
    known = [i for i, label in enumerate(labels) if label in index]
    temperature = model.temperature
    if known:
        temperature = fit_temperature(logits[known], np.asarray([index[labels[i]] for i in known]))
    calibrated = replace(model, temperature=temperature)
    choice = choose_threshold(
        calibrated, calibrated.mix(logits, neighbours), labels, distances, min_recall=min_recall
    )
    return replace(calibrated, threshold=choice.threshold, distance_weight=choice.distance_weight), choice
