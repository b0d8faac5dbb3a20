"""The one place that turns ``Settings.embedder`` into an embedder, shared by triage, knowledge
search and the ``nlu`` commands so that one process loads one model per configuration."""

from __future__ import annotations

import threading

from relaydesk.domain.ports import Embedder
from relaydesk.settings import Settings

_remote_embedders: dict[tuple[object, ...], Embedder] = {}
_remote_embedders_lock = threading.Lock()


def build_embedder(settings: Settings) -> Embedder:
    """The embedder ``settings.embedder`` names: the bundled model, a local model directory, or
    ``openai:<model>`` at ``embeddings_base_url`` (else ``llm_base_url``).

    One per configuration and process: every part that embeds (triage, knowledge search, the nlu
    commands) should get its embedder here, so that they share it.
    """
    if not settings.embedder.startswith("openai:"):
        from relaydesk.embeddings.local import load_embedder

        return load_embedder(settings.embedder)
    from relaydesk.embeddings.openai_compat import build_embeddings_client

    key = (
        settings.embedder,
        settings.embeddings_base_url,
        settings.embeddings_api_key,
        settings.embeddings_dimension,
        settings.embeddings_batch_size,
        settings.embeddings_timeout_s,
        settings.llm_base_url,
        settings.llm_api_key,
    )
    with _remote_embedders_lock:
        embedder = _remote_embedders.get(key)
        if embedder is None:
            embedder = _remote_embedders[key] = build_embeddings_client(settings)
        return embedder
