"""What an intent model reads from an embedder: a *view*.

The plain view is the sentence vector every capability shares (``embedder.embed``). An embedder that
can also pool earlier encoder layers in the same run (the bundled MiniLM, see
``OnnxSentenceEmbedder.embed_layers``) offers a wider view: the sentence vector followed by one
unit-length block per extra layer. A linear classifier gains a little from the wider view (see
docs/triage.md for the figures), while the nearest-neighbour vote, the scope
distance, knowledge search and similar-case search keep using the sentence vector, which is the
first block of every view.

A view is named after the embedder (``all-MiniLM-L6-v2-int8`` or
``all-MiniLM-L6-v2-int8+layers-4-2``); an intent artifact records the name it was trained on and
is read with the same view, so an older artifact trained on the plain view keeps working.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from relaydesk.domain.errors import ConfigurationError
from relaydesk.domain.ports import Embedder


def richest_view(embedder: Embedder) -> str:
    """The widest view ``embedder`` offers: what a new intent model is trained on."""
    layers = tuple(getattr(embedder, "intent_layers", ()) or ())
    if not layers:
        return embedder.model_id
    return f"{embedder.model_id}+layers-{'-'.join(str(k) for k in layers)}"


def view_width(embedder: Embedder, view: str) -> int:
    """Columns of ``view``'s vectors."""
    _check(embedder, view)
    if view == embedder.model_id:
        return embedder.dimension
    return embedder.dimension * (1 + len(getattr(embedder, "intent_layers", ())))


def embed_view(embedder: Embedder, texts: Sequence[str], view: str) -> np.ndarray:
    """Vectors of ``texts`` in ``view``; the first ``embedder.dimension`` columns are always the
    sentence vectors ``embedder.embed`` returns."""
    _check(embedder, view)
    if view == embedder.model_id:
        return embedder.embed(list(texts))
    return np.asarray(embedder.embed_layers(list(texts)), dtype=np.float32)  # type: ignore[attr-defined]


def model_view(model: object, embedder: Embedder) -> str:
    """The view intent ``model`` was trained on (recorded as its ``info["embedder"]``); a model
    without that record reads the plain sentence vectors."""
    info = getattr(model, "info", {}) or {}
    return str(info.get("embedder") or embedder.model_id)


def model_vectors(model: object, embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """Vectors of ``texts`` in the view intent ``model`` was trained on."""
    return embed_view(embedder, texts, model_view(model, embedder))


def _check(embedder: Embedder, view: str) -> None:
    if view not in (embedder.model_id, richest_view(embedder)):
        raise ConfigurationError(
            f'The intent model reads vectors "{view}", which embedder "{embedder.model_id}" does not '
            f'give (it gives "{embedder.model_id}"'
            + (f' and "{richest_view(embedder)}"' if richest_view(embedder) != embedder.model_id else "")
            + "); retrain the intent model with `relaydesk nlu train`"
        )
