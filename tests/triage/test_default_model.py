"""The product's intent model: shipped store intents by default, a trained artifact when there is one."""

from __future__ import annotations

from pathlib import Path

import pytest

from relaydesk.domain.errors import ConfigurationError
from relaydesk.triage.intent.artifact import save_model, train_from_examples
from relaydesk.triage.intent.data import parse_yaml
from relaydesk.triage.intent.default_model import current_artifact, intent_model_for, trained_model

TINY = """
version: tiny-shop
intents:
  hello: [hi, hello, hey there, good morning]
  bye: [bye, goodbye, see you later, have a nice day]
"""


def test_default_is_the_shipped_store_model_cached_on_disk(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    model = intent_model_for(None, tmp_path, embedder)
    assert "order_status" in model.intents
    assert list((tmp_path / "models" / "intents").glob("*/manifest.json"))
    assert trained_model(tmp_path, embedder).labels == model.labels


def test_a_trained_current_artifact_replaces_the_store_model(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    save_model(train_from_examples(parse_yaml(TINY), embedder, folds=2), current_artifact(tmp_path))
    assert intent_model_for("default", tmp_path, embedder).intents == ("bye", "hello")


def test_an_intents_file_can_be_named_directly(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY)
    assert intent_model_for(str(path), tmp_path, embedder).intents == ("bye", "hello")


def test_an_unknown_spec_is_a_configuration_error(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigurationError, match="nowhere"):
        intent_model_for(str(tmp_path / "nowhere"), tmp_path, embedder)
