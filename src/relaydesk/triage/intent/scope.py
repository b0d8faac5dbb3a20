"""The out-of-scope head: one score that says how much a message looks like a trained intent.

No single reading separates in-scope from out-of-scope messages well on its own. The calibrated
confidence of the best intent drops for messages between two intents as much as for foreign ones;
the distance from every intent (:mod:`relaydesk.triage.intent.distance`) misses foreign messages
that happen to use an intent's words; the classifier's "energy" (the log-sum-exp of its in-scope
logits) and the probability of the explicit out-of-scope class see other things again. The head is
a small logistic regression over these readings, fitted on held-out (cross-validated) rows where
out-of-scope examples are known, so each reading gets the weight the data supports.

The head returns a log-odds score: higher means more in scope. The threshold that turns it into a
decision is chosen separately (:mod:`relaydesk.triage.intent.calibration`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from relaydesk.domain.errors import InvalidInput

CONFIDENCE = "confidence"
"""Calibrated probability of the best in-scope intent (after the nearest-neighbour blend)."""
DISTANCE = "distance"
"""Distance z-score of the sentence vector from the closest intent."""
ENERGY = "energy"
"""Log-sum-exp of the temperature-scaled in-scope logits: low when no intent claims the message."""
OOS_PROBABILITY = "oos_probability"
"""Probability of the explicit out-of-scope class (only when the training data has one)."""

MIN_OUT_OF_SCOPE_ROWS = 10
"""Fewer held-out out-of-scope rows than this are too few to fit a head on."""


def scope_readings(
    probabilities: np.ndarray,
    scaled_logits: np.ndarray,
    distances: np.ndarray | None,
    oos_column: int | None,
) -> tuple[tuple[str, ...], np.ndarray]:
    """The names and the ``rows x readings`` matrix the head reads.

    ``probabilities`` are the model's final class probabilities, ``scaled_logits`` the classifier
    logits already divided by the temperature, ``oos_column`` the column of the out-of-scope class.
    """
    probabilities = np.atleast_2d(probabilities)
    scaled_logits = np.atleast_2d(scaled_logits)
    in_scope = np.ones(probabilities.shape[1], dtype=bool)
    if oos_column is not None:
        in_scope[oos_column] = False
    inner = scaled_logits[:, in_scope]
    peak = inner.max(axis=1)
    energy = peak + np.log(np.exp(inner - peak[:, None]).sum(axis=1))
    names = [CONFIDENCE, ENERGY]
    columns = [probabilities[:, in_scope].max(axis=1), energy]
    if distances is not None:
        names.append(DISTANCE)
        columns.append(np.asarray(distances, dtype=np.float64))
    if oos_column is not None:
        names.append(OOS_PROBABILITY)
        columns.append(probabilities[:, oos_column])
    return tuple(names), np.column_stack(columns).astype(np.float64)


@dataclass(frozen=True, slots=True)
class ScopeHead:
    """A fitted logistic regression over standardised scope readings."""

    readings: tuple[str, ...]
    """Names of the readings, in column order (see :func:`scope_readings`)."""
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def __call__(self, matrix: np.ndarray) -> np.ndarray:
        """Log-odds that each row is in scope."""
        matrix = np.atleast_2d(np.asarray(matrix, dtype=np.float64))
        if matrix.shape[1] != len(self.readings):
            raise InvalidInput(
                f"The scope head reads {len(self.readings)} values ({', '.join(self.readings)}), "
                f"got {matrix.shape[1]}"
            )
        return ((matrix - self.mean) / self.scale) @ self.weights + self.bias

    def describe(self) -> dict[str, float]:
        """Weight per reading (on standardised values), for manifests and reports."""
        return {name: round(float(w), 4) for name, w in zip(self.readings, self.weights, strict=True)}


def fit_scope_head(readings: tuple[str, ...], matrix: np.ndarray, in_scope: np.ndarray) -> ScopeHead:
    """Fit the head on held-out rows; ``in_scope`` is True for rows of a trained intent."""
    from sklearn.linear_model import LogisticRegression

    matrix = np.asarray(matrix, dtype=np.float64)
    in_scope = np.asarray(in_scope, dtype=bool)
    if matrix.ndim != 2 or matrix.shape != (len(in_scope), len(readings)):
        raise InvalidInput(
            f"Scope readings of shape {matrix.shape} do not match "
            f"{len(in_scope)} rows of {len(readings)} values"
        )
    outside = int((~in_scope).sum())
    if outside < MIN_OUT_OF_SCOPE_ROWS or in_scope.sum() < MIN_OUT_OF_SCOPE_ROWS:
        raise InvalidInput(
            f"A scope head needs at least {MIN_OUT_OF_SCOPE_ROWS} held-out rows of each kind; "
            f"got {int(in_scope.sum())} in scope and {outside} out of scope"
        )
    mean = matrix.mean(axis=0)
    scale = matrix.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    head = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000)
    head.fit((matrix - mean) / scale, in_scope)
    return ScopeHead(
        readings=tuple(readings),
        mean=mean,
        scale=scale,
        weights=head.coef_[0].astype(np.float64),
        bias=float(head.intercept_[0]),
    )
