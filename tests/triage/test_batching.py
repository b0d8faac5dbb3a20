"""Micro-batching of concurrent turns' sentences (embeddings/batching.py) on the bundled model."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
import pytest

from relaydesk.embeddings.batching import BatchingEmbedder
from relaydesk.embeddings.local import OnnxSentenceEmbedder

TEXTS = [
    "where is my order",
    "how do I reset my password",
    "how long does shipping take",
    "can I return an item",
    "do you accept paypal",
    "what is your warranty",
    "I want to speak to a person",
]


class HeldModel:
    """The real model, with its first call held until ``release`` is set, and every call's size kept."""

    def __init__(self, inner: OnnxSentenceEmbedder, *, fail: bool = False) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dimension = inner.dimension
        self.intent_layers = inner.intent_layers
        self.calls: list[int] = []
        self.entered = threading.Event()
        self.release = threading.Event()
        self.fail = fail

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self._call(texts, layers=False)

    def embed_layers(self, texts: Sequence[str]) -> np.ndarray:
        return self._call(texts, layers=True)

    def _call(self, texts: Sequence[str], *, layers: bool) -> np.ndarray:
        self.calls.append(len(texts))
        if len(self.calls) == 1:
            self.entered.set()
            assert self.release.wait(30)
        if self.fail:
            raise RuntimeError("the model failed")
        return self.inner.embed_layers(texts) if layers else self.inner.embed(texts)


def wait_until(condition: object, timeout: float = 30.0) -> None:
    tick = threading.Event()
    for _ in range(int(timeout * 1000)):
        if condition():  # type: ignore[operator]
            return
        tick.wait(0.001)
    raise AssertionError("condition not reached")


def test_a_lone_sentence_runs_at_once_in_its_own_call(embedder: OnnxSentenceEmbedder) -> None:
    model = HeldModel(embedder)
    model.release.set()
    batching = BatchingEmbedder(model)  # type: ignore[arg-type]
    vector = batching.embed_layers([TEXTS[0]])
    assert model.calls == [1]
    np.testing.assert_allclose(vector, embedder.embed_layers([TEXTS[0]]), atol=1e-5)


def test_sentences_that_arrive_during_a_model_call_share_the_next_one(
    embedder: OnnxSentenceEmbedder,
) -> None:
    model = HeldModel(embedder)
    batching = BatchingEmbedder(model)  # type: ignore[arg-type]
    results: dict[int, np.ndarray] = {}

    def ask(i: int) -> None:
        results[i] = batching.embed_layers([TEXTS[i]]) if i % 2 else batching.embed([TEXTS[i]])

    first = threading.Thread(target=ask, args=(0,))
    first.start()
    assert model.entered.wait(30)
    others = [threading.Thread(target=ask, args=(i,)) for i in range(1, len(TEXTS))]
    for thread in others:
        thread.start()
    wait_until(lambda: batching.queued == len(TEXTS) - 1)
    model.release.set()
    for thread in [first, *others]:
        thread.join(30)
    assert model.calls == [1, len(TEXTS) - 1]  # the six that waited: one model call
    for i, text in enumerate(TEXTS):
        alone = embedder.embed_layers([text]) if i % 2 else embedder.embed([text])
        assert results[i].shape == alone.shape
        np.testing.assert_allclose(results[i], alone, atol=2e-2)
        assert float(results[i][0, : embedder.dimension] @ alone[0, : embedder.dimension]) > 0.999


def test_a_failed_model_call_fails_every_sentence_in_it(embedder: OnnxSentenceEmbedder) -> None:
    model = HeldModel(embedder, fail=True)
    batching = BatchingEmbedder(model)  # type: ignore[arg-type]
    errors: list[BaseException] = []

    def ask(text: str) -> None:
        try:
            batching.embed([text])
        except RuntimeError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=ask, args=(t,)) for t in TEXTS[:3]]
    threads[0].start()
    assert model.entered.wait(30)
    for thread in threads[1:]:
        thread.start()
    wait_until(lambda: batching.queued == 2)
    model.release.set()
    for thread in threads:
        thread.join(30)
    assert len(errors) == 3 and model.calls == [1, 2]
    with pytest.raises(RuntimeError, match="the model failed"):
        batching.embed(["and the next caller runs again"])


def test_a_large_call_runs_on_its_own(embedder: OnnxSentenceEmbedder) -> None:
    model = HeldModel(embedder)
    model.release.set()
    batching = BatchingEmbedder(model, direct=4)  # type: ignore[arg-type]
    vectors = batching.embed(TEXTS)
    assert model.calls == [len(TEXTS)] and vectors.shape == (len(TEXTS), embedder.dimension)
    assert batching.batches == 0
