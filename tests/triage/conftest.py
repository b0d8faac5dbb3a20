"""Fixtures for the triage tests: the shared embedder and the model trained on the shipped intents."""

from __future__ import annotations

import pytest

from relaydesk.embeddings.local import OnnxSentenceEmbedder, load_embedder
from relaydesk.triage.intent.default_model import trained_model
from relaydesk.triage.intent.model import IntentModel
from relaydesk.triage.message_triage import MessageTriage


@pytest.fixture(scope="session")
def embedder() -> OnnxSentenceEmbedder:
    return load_embedder()


@pytest.fixture(scope="session")
def store_intents(tmp_path_factory: pytest.TempPathFactory, embedder: OnnxSentenceEmbedder) -> IntentModel:
    return trained_model(tmp_path_factory.mktemp("data"), embedder)


@pytest.fixture(scope="session")
def triage(store_intents: IntentModel, embedder: OnnxSentenceEmbedder) -> MessageTriage:
    return MessageTriage(store_intents, embedder)
