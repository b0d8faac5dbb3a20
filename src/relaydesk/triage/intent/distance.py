"""How far a sentence vector lies from every trained intent: the distance term of out-of-scope
detection.

Each intent is a Gaussian over sentence vectors with its own mean and one covariance shared by all
intents (shrunk towards a multiple of the identity, as a few thousand examples in 384 dimensions
estimate it poorly). The distance of a message is its Mahalanobis distance to the closest intent
less its distance to one Gaussian over all in-scope examples ("relative" Mahalanobis distance, which
discounts what is merely unusual about the sentence rather than foreign to the intents). It is
returned as a z-score against the training examples, so a weight can blend it with a probability.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from relaydesk.domain.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class ScopeDistance:
    """A fitted distance; call it on sentence vectors to get one z-score per row."""

    precision: np.ndarray
    """Inverse of the shared (shrunk) within-intent covariance."""
    projected_means: np.ndarray
    """Intent means times ``precision``, one row per intent."""
    mean_terms: np.ndarray
    """``mean @ precision @ mean`` per intent."""
    centre: np.ndarray
    """Mean of all in-scope training vectors."""
    background_precision: np.ndarray
    """Inverse of the (shrunk) covariance of all in-scope training vectors."""
    location: float = 0.0
    scale: float = 1.0
    """Mean and standard deviation of the raw distance over the training vectors."""

    def raw(self, vectors: np.ndarray) -> np.ndarray:
        vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float64))
        projected = vectors @ self.precision
        own = np.einsum("ij,ij->i", projected, vectors)
        closest = (own[:, None] - 2.0 * vectors @ self.projected_means.T + self.mean_terms[None, :]).min(
            axis=1
        )
        centred = vectors - self.centre
        background = np.einsum("ij,ij->i", centred @ self.background_precision, centred)
        return closest - background

    def __call__(self, vectors: np.ndarray) -> np.ndarray:
        return (self.raw(vectors) - self.location) / self.scale


def _shrunk_inverse(scatter: np.ndarray, shrinkage: float) -> np.ndarray:
    dims = scatter.shape[0]
    shrunk = (1.0 - shrinkage) * scatter + shrinkage * (np.trace(scatter) / dims) * np.eye(dims)
    return np.linalg.pinv(shrunk, hermitian=True)


def fit_scope_distance(vectors: np.ndarray, labels: Sequence[str], shrinkage: float = 0.5) -> ScopeDistance:
    """Fit the intent Gaussians on in-scope training vectors (``labels`` name their intents)."""
    if not 0.0 <= shrinkage <= 1.0:
        raise InvalidInput(f"Covariance shrinkage {shrinkage!r} must lie between 0 and 1")
    vectors = np.asarray(vectors, dtype=np.float64)
    names = np.asarray(labels)
    if len(vectors) != len(names) or len(vectors) < 2:
        raise InvalidInput(
            f"{len(vectors)} vectors and {len(names)} labels: need at least 2 of each, matching"
        )
    intents, index = np.unique(names, return_inverse=True)
    counts = np.bincount(index, minlength=len(intents)).astype(np.float64)
    means = np.zeros((len(intents), vectors.shape[1]))
    np.add.at(means, index, vectors)
    means /= counts[:, None]
    within = vectors - means[index]
    precision = _shrunk_inverse(within.T @ within / len(vectors), shrinkage)
    centre = vectors.mean(axis=0)
    spread = vectors - centre
    background = _shrunk_inverse(spread.T @ spread / len(vectors), shrinkage)
    projected = means @ precision
    fitted = ScopeDistance(
        precision=precision,
        projected_means=projected,
        mean_terms=np.einsum("ij,ij->i", projected, means),
        centre=centre,
        background_precision=background,
    )
    raw = fitted.raw(vectors)
    scale = float(raw.std())
    return ScopeDistance(
        precision=precision,
        projected_means=projected,
        mean_terms=fitted.mean_terms,
        centre=centre,
        background_precision=background,
        location=float(raw.mean()),
        scale=scale if scale > 1e-9 else 1.0,
    )
