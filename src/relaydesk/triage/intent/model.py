"""The intent model: lexical (TF-IDF words + characters) and semantic (MiniLM) features, a
multinomial logistic regression with temperature calibration, and an out-of-scope threshold.

Train with :func:`train_intent_model`, save and load with :mod:`relaydesk.triage.intent.artifact`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from relaydesk.domain.errors import InvalidInput
from relaydesk.triage.intent.data import OOS_LABEL
from relaydesk.triage.intent.distance import ScopeDistance, fit_scope_distance
from relaydesk.triage.intent.scope import ScopeHead, scope_readings

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
    scope: float = 0.0
    """The score compared with the model's threshold (higher: more clearly in scope)."""
    readings: tuple[float, ...] = ()
    """What the scope head read (see :mod:`relaydesk.triage.intent.scope`); empty without a head."""


class IntentFeaturizer:
    """Turns texts and their sentence vectors into one sparse feature matrix.

    The vectors may be a wide view (the sentence vector followed by other unit-length blocks, see
    :mod:`relaydesk.triage.intent.vectors`); they are scaled so the whole vector has the length
    ``embedding_weight``, whatever the number of blocks.
    """

    def __init__(self, config: IntentTrainingConfig, blocks: int = 1) -> None:
        self.config = config
        self.vector_scale = config.embedding_weight / math.sqrt(blocks)
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
            np.asarray(vector, dtype=np.float64) * self._vector_scale()
        )
        if len(word_cols):
            scores = scores + coef[:, word_cols] @ word_vals
        if len(char_cols):
            scores = scores + coef[:, char_cols + offset] @ char_vals
        return scores

    def _stack(self, words: Any, chars: Any, vectors: np.ndarray) -> sp.csr_matrix:
        dense = sp.csr_matrix(np.asarray(vectors, dtype=np.float32) * self._vector_scale())
        return sp.hstack([words, chars, dense], format="csr", dtype=np.float32)

    def _vector_scale(self) -> float:
        # Featurizers pickled before wide views existed have no vector_scale.
        return float(getattr(self, "vector_scale", self.config.embedding_weight))


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
    confidence_floor: float = 0.0
    """Below this calibrated confidence a message is out of scope whatever its scope score (set with
    a scope head fitted on pretend out-of-scope rows, which does not transfer to every domain)."""
    temperature: float = 1.0
    """Logits are divided by this before the softmax (fitted on held-out data)."""
    prototypes: np.ndarray | None = None
    """Training sentence vectors for the nearest-neighbour vote."""
    sentence_width: int | None = None
    """Leading columns of the model's vectors that are the sentence vector (the rest are extra
    blocks only the classifier reads); None: all of them."""
    members: np.ndarray | None = None
    """Row ``c`` lists the prototype rows of label ``c``, padded with -1."""
    distance: ScopeDistance | None = None
    """Distance of a sentence vector from the trained intents (see :mod:`.distance`)."""
    distance_weight: float = 0.0
    """Without a scope head, the scope score is ``confidence - distance_weight * distance``."""
    scope_head: ScopeHead | None = None
    """Combines confidence, energy, distance and the out-of-scope probability (fitted on held-out
    rows when they include out-of-scope examples)."""
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(str(c) for c in self.classifier.classes_)

    @property
    def vector_width(self) -> int:
        """Columns of the vectors the model reads (the sentence vector and any extra blocks)."""
        words, chars = self.featurizer.words.vocabulary_, self.featurizer.chars.vocabulary_
        return int(self.classifier.coef_.shape[1] - len(words) - len(chars))

    @property
    def intents(self) -> tuple[str, ...]:
        return tuple(label for label in self.labels if label != OOS_LABEL)

    def logits(self, texts: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        width = self.vector_width
        if np.ndim(vectors) != 2 or np.shape(vectors)[1] != width or len(vectors) != len(texts):
            raise InvalidInput(
                f"The intent model reads {len(texts)} texts with vectors of {width} columns, not "
                f"an array of shape {np.shape(vectors)}; embed them with "
                "relaydesk.triage.intent.vectors.model_vectors(model, embedder, texts)"
            )
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
        vectors = self.sentence_part(np.asarray(vectors, dtype=np.float32))
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
        return None if self.distance is None else self.distance(self.sentence_part(vectors))

    def sentence_part(self, vectors: np.ndarray) -> np.ndarray:
        """The sentence-vector columns of ``vectors``."""
        vectors = np.atleast_2d(vectors)
        return vectors if self.sentence_width is None else vectors[:, : self.sentence_width]

    @property
    def oos_column(self) -> int | None:
        labels = self.labels
        return labels.index(OOS_LABEL) if OOS_LABEL in labels else None

    def scope_scores(
        self, logits: np.ndarray, probabilities: np.ndarray, distances: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Per row, what the threshold compares, and the readings the scope head saw (or None).

        With a scope head: its log-odds over confidence, energy, distance and the out-of-scope
        probability. Without: the confidence, lowered by ``distance_weight`` times the distance.
        """
        if self.scope_head is not None:
            _, readings = scope_readings(probabilities, logits / self.temperature, distances, self.oos_column)
            return self.scope_head(readings), readings
        confidence = np.where(self._in_scope_mask(), probabilities, -np.inf).max(axis=1)
        if distances is None or self.distance_weight <= 0:
            return confidence, None
        return confidence - self.distance_weight * np.asarray(distances), None

    def _in_scope_mask(self) -> np.ndarray:
        mask = np.ones(len(self.labels), dtype=bool)
        if self.oos_column is not None:
            mask[self.oos_column] = False
        return mask

    def scope_score(self, confidence: float, distance: float | None) -> float:
        """The score of a model without a scope head: the confidence, lowered for messages far from
        every intent."""
        if distance is None or self.distance_weight <= 0:
            return confidence
        return confidence - self.distance_weight * distance

    def accepts(self, prediction: IntentPrediction, confidence: float | None = None) -> bool:
        """Whether ``prediction`` clears the threshold when its confidence is ``confidence`` instead
        (used to damp the confidence of a message in a language the model was not trained on)."""
        confidence = prediction.confidence if confidence is None else confidence
        if self.scope_head is not None and prediction.readings:
            readings = np.asarray(prediction.readings, dtype=np.float64)
            readings[self.scope_head.readings.index("confidence")] = confidence
            score = float(self.scope_head(readings)[0])
        else:
            score = self.scope_score(confidence, prediction.distance)
        return score >= self.threshold and confidence >= self.confidence_floor

    def needs_distances(self) -> bool:
        if self.distance is None:
            return False
        if self.scope_head is not None:
            return "distance" in self.scope_head.readings
        return self.distance_weight > 0

    def predict(self, texts: Sequence[str], vectors: np.ndarray, top_k: int = 3) -> list[IntentPrediction]:
        logits = self.logits(texts, vectors)
        probabilities = self.mix(logits, self.neighbour_scores(vectors))
        distances = self.distances(vectors) if self.needs_distances() else None
        scores, readings = self.scope_scores(logits, probabilities, distances)
        return [
            self.read(
                row,
                top_k,
                None if distances is None else float(distances[i]),
                scope=float(scores[i]),
                readings=() if readings is None else tuple(float(v) for v in readings[i]),
            )
            for i, row in enumerate(probabilities)
        ]

    def read(
        self,
        probabilities: np.ndarray,
        top_k: int = 3,
        distance: float | None = None,
        *,
        scope: float | None = None,
        readings: tuple[float, ...] = (),
    ) -> IntentPrediction:
        """Turn one row of probabilities into a prediction, applying the threshold to ``scope``
        (by default the confidence-and-distance score of a model without a scope head)."""
        labels = self.labels
        order = np.argsort(-probabilities)
        top = labels[int(order[0])]
        in_scope_order = [int(i) for i in order if labels[int(i)] != OOS_LABEL]
        best = in_scope_order[0]
        confidence = float(probabilities[best])
        if scope is None:
            scope = self.scope_score(confidence, distance)
        # Without a head, a message whose most likely class is "out of scope" is out of scope;
        # a head weighs that probability together with the other readings.
        vetoed = self.scope_head is None and top == OOS_LABEL
        in_scope = not vetoed and scope >= self.threshold and confidence >= self.confidence_floor
        alternatives = tuple((labels[i], float(probabilities[i])) for i in in_scope_order[1:top_k])
        return IntentPrediction(
            intent=labels[best] if in_scope else None,
            best_guess=labels[best],
            confidence=confidence,
            in_scope=in_scope,
            alternatives=alternatives,
            distance=distance,
            scope=float(scope),
            readings=readings,
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
    sentence_width: int | None = None,
) -> IntentModel:
    """Fit features and classifier on all rows (no calibration, threshold 0).

    ``sentence_width``: with a wide view, how many leading columns of ``vectors`` are the sentence
    vector (the nearest-neighbour vote and the scope distance read only those).
    """
    if len(texts) != len(labels) or len(texts) != len(vectors):
        raise InvalidInput(
            f"{len(texts)} texts, {len(labels)} labels and {len(vectors)} vectors: the counts must match"
        )
    width = np.asarray(vectors).shape[1] if len(vectors) else 0
    if sentence_width is not None and (sentence_width < 1 or width % sentence_width):
        raise InvalidInput(
            f"Vectors of {width} columns are not whole blocks of the sentence width {sentence_width}"
        )
    if sentence_width == width:
        sentence_width = None
    if len({label for label in labels if label != OOS_LABEL}) < 2:
        raise InvalidInput("An intent model needs examples of at least 2 intents")
    featurizer = IntentFeaturizer(config, blocks=width // sentence_width if sentence_width else 1)
    features = featurizer.fit_transform(texts, vectors)
    sentences = np.asarray(vectors) if sentence_width is None else np.asarray(vectors)[:, :sentence_width]
    classifier = LogisticRegression(
        C=config.c, max_iter=config.max_iter, class_weight=config.class_weight, tol=1e-4
    )
    classifier.fit(features, np.asarray(labels))
    prototypes, members = None, None
    if config.knn_weight > 0:
        prototypes = np.ascontiguousarray(sentences, dtype=np.float32)
        members = member_index(labels, tuple(str(c) for c in classifier.classes_))
    distance = None
    if config.scope_distance:
        in_scope = [i for i, label in enumerate(labels) if label != OOS_LABEL]
        distance = fit_scope_distance(
            sentences[in_scope], [labels[i] for i in in_scope], config.distance_shrinkage
        )
    return IntentModel(
        featurizer=featurizer,
        classifier=classifier,
        config=config,
        prototypes=prototypes,
        sentence_width=sentence_width,
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
