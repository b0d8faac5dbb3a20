"""A disk cache for the vectors of a fixed list of texts (training sets, benchmark sets).

Embedding ten thousand examples takes tens of seconds on a laptop CPU; retraining with other
hyper-parameters should not pay that again. The cache key is the model id plus a hash of the texts,
so a different model or a changed data set never reads stale vectors.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from relaydesk.domain.ports import Embedder


def texts_digest(texts: Sequence[str]) -> str:
    """A short, stable hash of an ordered list of texts."""
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()[:24]


def embed_cached(
    embedder: Embedder,
    texts: Sequence[str],
    cache_dir: Path | None,
    *,
    on_progress: Callable[[int, int], None] | None = None,
    chunk: int = 512,
    view: str | None = None,
) -> np.ndarray:
    """Vectors for ``texts``, read from ``cache_dir`` when this exact list was embedded before.

    ``view`` (see :mod:`relaydesk.triage.intent.vectors`) defaults to the plain sentence vectors.
    ``on_progress(done, total)`` is called after each chunk, for progress bars.
    """
    from relaydesk.triage.intent.vectors import embed_view, view_width

    view = view or embedder.model_id
    width = view_width(embedder, view)
    path = None
    if cache_dir is not None:
        safe_model = "".join(c if c.isalnum() or c in "-_." else "_" for c in view)
        path = Path(cache_dir) / f"emb-{safe_model}-{texts_digest(texts)}.npy"
        if path.is_file():
            vectors = np.load(path)
            if vectors.shape == (len(texts), width):
                if on_progress:
                    on_progress(len(texts), len(texts))
                return vectors
    parts = []
    for start in range(0, len(texts), chunk):
        parts.append(embed_view(embedder, list(texts[start : start + chunk]), view))
        if on_progress:
            on_progress(min(start + chunk, len(texts)), len(texts))
    vectors = np.concatenate(parts).astype(np.float32) if parts else np.zeros((0, width), dtype=np.float32)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, vectors)
        tmp.replace(path)
    return vectors
