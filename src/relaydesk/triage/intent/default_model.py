"""The intent model the product uses when nobody trained one: built from the shipped store intents.

It is trained on first use (a few seconds on a laptop) and cached under
``<data_dir>/models/intents/<digest>/``; the digest covers the examples, the embedder and the
scikit-learn version, so a change to any of them trains a fresh one instead of loading a stale or
unreadable pickle. An artifact made with ``relaydesk nlu train`` (written to
``<data_dir>/models/intents/current``) takes its place.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from relaydesk.domain.errors import ConfigurationError
from relaydesk.domain.ports import Embedder
from relaydesk.triage.intent.artifact import load_model, save_model, train_from_examples
from relaydesk.triage.intent.data import load_examples
from relaydesk.triage.intent.model import IntentModel

DEFAULT_INTENTS = Path(__file__).with_name("intents.yaml")
_lock = threading.Lock()
_MEMO: dict[str, IntentModel] = {}
"""Models already trained or loaded in this process, by cache key (tests build many runtimes)."""


def current_artifact(data_dir: Path | str) -> Path:
    """Where ``relaydesk nlu train`` writes, and where the product looks first."""
    return Path(data_dir) / "models" / "intents" / "current"


def cache_key(examples_digest: str, embedder: Embedder) -> str:
    import sklearn

    from relaydesk.triage.intent.artifact import ARTIFACT_VERSION
    from relaydesk.triage.intent.vectors import richest_view

    raw = f"{examples_digest}|{richest_view(embedder)}|{sklearn.__version__}|{ARTIFACT_VERSION}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def trained_model(
    data_dir: Path | str, embedder: Embedder, intents_path: Path | str = DEFAULT_INTENTS
) -> IntentModel:
    """The model for ``intents_path``, loaded from the cache or trained and cached now."""
    examples = load_examples(intents_path)
    key = cache_key(examples.digest(), embedder)
    directory = Path(data_dir) / "models" / "intents" / key
    with _lock:
        if (directory / "manifest.json").is_file():
            try:
                return _MEMO.setdefault(key, load_model(directory, embedder))
            except ConfigurationError:
                pass  # unreadable (a crash mid-write, a foreign file): train again below
        model = _MEMO.get(key) or train_from_examples(examples, embedder)
        _MEMO[key] = model
        save_model(model, directory)
        return model


def intent_model_for(spec: str | None, data_dir: Path | str, embedder: Embedder) -> IntentModel:
    """``spec``: None or ``default``, an artifact directory, or a YAML/CSV file.

    By default the artifact that ``relaydesk nlu train`` wrote to ``<data_dir>/models/intents/current``
    is used when there is one, and the shipped store intents otherwise.
    """
    if spec in (None, "", "default"):
        current = current_artifact(data_dir)
        if (current / "manifest.json").is_file():
            return load_model(current, embedder)
        return trained_model(data_dir, embedder)
    path = Path(spec)
    if path.is_dir():
        return load_model(path, embedder)
    if path.is_file():
        return trained_model(data_dir, embedder, path)
    raise ConfigurationError(
        f'Intent model "{spec}" is neither "default", an artifact directory nor an intents file'
    )
