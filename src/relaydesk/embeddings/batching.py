"""Micro-batching: sentences from concurrent turns embedded together, one model call per batch.

The bundled model embeds a batch of sentences about four times faster per sentence than one at a
time (docs/performance.md). A server handles many customers' messages at once, each turn in its
own thread, each asking for one sentence. ``BatchingEmbedder`` wraps an embedder so that those
threads hand their sentences over and one of them runs the model for all:

* a caller that finds the model idle runs its own sentences at once (nothing added when alone);
* callers that arrive while a batch runs wait for it, then the first of them runs the next batch
  with every sentence that queued meanwhile (group commit: the window is the previous batch's
  run, so it adapts to the load and needs no timer or thread of its own);
* a large call (an import, a re-index) bypasses the queue and runs on its own.

Vectors are the same as the wrapped embedder gives for the same batch; a sentence's vector can
differ in the last digits with the sentences it is batched with (the int8 model quantises
activations per batch), as it already does in any batched call (``embed`` of many texts).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from relaydesk.domain.ports import Embedder

MAX_BATCH = 64
"""Sentences per model call at most."""
DIRECT = 16
"""Calls with more sentences than this run on their own (they are a batch already)."""


@dataclass(eq=False)
class _Request:
    texts: list[str]
    layers: bool
    result: np.ndarray | None = None
    error: BaseException | None = None
    done: bool = False


class BatchingEmbedder:
    """An ``Embedder`` (with ``embed_layers`` when the wrapped one has it) that batches concurrent
    callers' sentences into one model call."""

    def __init__(self, inner: Embedder, *, max_batch: int = MAX_BATCH, direct: int = DIRECT) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dimension = inner.dimension
        self.intent_layers: tuple[int, ...] = tuple(getattr(inner, "intent_layers", ()) or ())
        self.max_batch = max_batch
        self.direct = direct
        self._cond = threading.Condition()
        self._queue: list[_Request] = []
        self._running = False
        self.batches = 0
        """Model calls made for queued callers."""
        self.batched_sentences = 0
        """Sentences those calls embedded (``batched_sentences / batches``: the mean batch)."""

    @property
    def queued(self) -> int:
        """Callers waiting for the next model call."""
        with self._cond:
            return len(self._queue)

    def __getattr__(self, name: str) -> object:  # pooled_in_graph, pooling, ... of the model
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    def embed(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Sentence vectors, as the wrapped embedder's ``embed`` gives them."""
        return self._submit(list(texts), layers=False)

    def embed_layers(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """The sentence vectors and the pooled ``intent_layers`` (see ``OnnxSentenceEmbedder``)."""
        return self._submit(list(texts), layers=bool(self.intent_layers))

    def _submit(self, texts: list[str], *, layers: bool) -> np.ndarray:
        if not texts or len(texts) > self.direct:
            return self._direct(texts, layers)
        request = _Request(texts, layers)
        with self._cond:
            self._queue.append(request)
        while True:
            with self._cond:
                while self._running and not request.done:
                    self._cond.wait()
                if request.done:
                    return self._result(request)
                self._running = True  # this caller runs the next batch: the queued sentences
                batch = [self._queue.pop(0)]
                size = len(batch[0].texts)
                while self._queue and size + len(self._queue[0].texts) <= self.max_batch:
                    size += len(self._queue[0].texts)
                    batch.append(self._queue.pop(0))
            try:
                self._run(batch)
            finally:
                with self._cond:
                    self._running = False
                    self._cond.notify_all()

    def _run(self, batch: list[_Request]) -> None:
        texts = [t for request in batch for t in request.texts]
        layers = any(request.layers for request in batch)
        try:
            vectors = self._direct(texts, layers)
        except BaseException as exc:  # every waiting caller gets the error, as if alone
            for request in batch:
                request.error, request.done = exc, True
            return
        start = 0
        for request in batch:
            block = vectors[start : start + len(request.texts)]
            request.result = block if request.layers or not layers else block[:, : self.dimension]
            request.done = True
            start += len(request.texts)
        self.batches += 1
        self.batched_sentences += len(texts)

    def _direct(self, texts: list[str], layers: bool) -> np.ndarray:
        if layers:
            return np.asarray(self.inner.embed_layers(texts), dtype=np.float32)  # type: ignore[attr-defined]
        return np.asarray(self.inner.embed(texts), dtype=np.float32)

    @staticmethod
    def _result(request: _Request) -> np.ndarray:
        if request.error is not None:
            raise request.error
        assert request.result is not None
        return request.result
