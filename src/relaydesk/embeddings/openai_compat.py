"""Sentence vectors from an OpenAI-compatible ``/embeddings`` endpoint (OpenAI, vLLM, Ollama,
llama.cpp server, text-embeddings-inference) over httpx.

The adapter satisfies the ``Embedder`` port: vectors come back float32, unit length, one row per
input text in input order. Nothing is sent until the first ``embed`` call (or the first read of
``dimension`` when no dimension was configured).
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import httpx
import numpy as np

from relaydesk.domain.errors import ConfigurationError, RelaydeskError

if TYPE_CHECKING:
    from relaydesk.settings import Settings

OPENAI_PREFIX = "openai:"
"""An embedder spec ``openai:<model>`` selects this adapter (see ``Settings.embedder``)."""
_PROBE_TEXT = "dimension probe"
_ERROR_EXCERPT = 200


class EmbeddingsUnavailable(RelaydeskError):
    """The embeddings endpoint could not be reached or its answer could not be read."""

    title = "Embeddings endpoint unavailable"


class OpenAICompatibleEmbedder:
    """``POST {base_url}/embeddings`` with ``{"model", "input"}``; implements the ``Embedder`` port.

    ``dimension``: when given, every response is checked against it and reading
    ``embedder.dimension`` costs nothing; when None, it is learned from the first response (reading
    it before any ``embed`` call sends one short probe text). Inputs go out ``batch_size`` at a
    time; empty texts are sent as a single space, which every server accepts.
    """

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        *,
        dimension: int | None = None,
        batch_size: int = 64,
        timeout_s: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ConfigurationError(f'embeddings base URL "{base_url}" must start with http:// or https://')
        if not model.strip():
            raise ConfigurationError("The embeddings model name is empty; use openai:<model-name>")
        if batch_size < 1:
            raise ConfigurationError(f"embeddings batch size {batch_size} must be at least 1")
        if dimension is not None and dimension < 1:
            raise ConfigurationError(f"embeddings dimension {dimension} must be at least 1")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.model_id = f"{OPENAI_PREFIX}{model}"
        """Names the vector space (artifacts and caches are keyed by it), not the server."""
        self.batch_size = batch_size
        self._configured_dimension = dimension
        self._dimension = dimension
        self._dimension_lock = threading.Lock()
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(timeout=timeout_s, headers=headers, transport=transport)

    @property
    def url(self) -> str:
        return f"{self.base_url}/embeddings"

    @property
    def dimension(self) -> int:
        """Length of every vector; learned from the endpoint when it was not configured."""
        if self._dimension is None:
            self.embed([_PROBE_TEXT])
        assert self._dimension is not None
        return self._dimension

    @dimension.setter
    def dimension(self, value: int) -> None:
        self._configured_dimension = self._dimension = value

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for ``texts`` (shape ``len(texts) x dimension``, float32, unit length)."""
        if len(texts) == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        parts = [
            self._embed_batch([text or " " for text in texts[start : start + self.batch_size]])
            for start in range(0, len(texts), self.batch_size)
        ]
        return np.concatenate(parts, axis=0)

    def close(self) -> None:
        self._client.close()

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        rows = self._post(texts)
        width = {len(row) for row in rows}
        if len(width) != 1:
            raise EmbeddingsUnavailable(
                f'Embeddings endpoint "{self.url}" sent vectors of different lengths {sorted(width)} '
                "in one response"
            )
        matrix = np.asarray(rows, dtype=np.float32)
        self._check_dimension(matrix.shape[1])
        if not np.isfinite(matrix).all():
            raise EmbeddingsUnavailable(f'Embeddings endpoint "{self.url}" sent a non-finite number')
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        if (norms == 0).any():
            index = int(np.flatnonzero(norms[:, 0] == 0)[0])
            raise EmbeddingsUnavailable(
                f'Embeddings endpoint "{self.url}" sent an all-zero vector for input {index}'
            )
        return matrix / norms

    def _check_dimension(self, width: int) -> None:
        with self._dimension_lock:
            if self._dimension is None:
                self._dimension = width
            known = self._dimension
        if width == known:
            return
        if self._configured_dimension is not None:
            raise ConfigurationError(
                f"embeddings_dimension is {self._configured_dimension} but model "
                f'"{self.model}" at "{self.url}" returns {width}-d vectors'
            )
        raise EmbeddingsUnavailable(
            f'Embeddings endpoint "{self.url}" sent {width}-d vectors after {known}-d ones'
        )

    def _post(self, texts: list[str]) -> list[list[float]]:
        """The vectors of one batch, in input order (the response's ``index`` says which is which)."""
        url = self.url
        try:
            response = self._client.post(url, json={"model": self.model, "input": texts})
        except httpx.HTTPError as exc:
            raise EmbeddingsUnavailable(
                f'Embeddings endpoint "{url}" could not be reached ({type(exc).__name__})'
            ) from exc
        if response.status_code >= 400:
            self._raise_for_status(response)
        try:
            data = response.json()["data"]
        except (ValueError, KeyError, TypeError) as exc:
            raise EmbeddingsUnavailable(
                f'Embeddings endpoint "{url}" sent a reply that is not JSON with a "data" list'
            ) from exc
        if not isinstance(data, list):
            raise EmbeddingsUnavailable(f'Embeddings endpoint "{url}" sent a "data" that is not a list')
        if len(data) != len(texts):
            raise EmbeddingsUnavailable(
                f'Embeddings endpoint "{url}" sent {len(data)} vectors for {len(texts)} inputs'
            )
        rows: list[list[float] | None] = [None] * len(texts)
        for position, item in enumerate(data):
            index, vector = _read_item(item, position, url)
            if not 0 <= index < len(texts) or rows[index] is not None:
                raise EmbeddingsUnavailable(
                    f'Embeddings endpoint "{url}" sent index {index} for a batch of {len(texts)} '
                    "inputs (out of range or repeated)"
                )
            rows[index] = vector
        return [row for row in rows if row is not None]

    def _raise_for_status(self, response: httpx.Response) -> None:
        status = response.status_code
        said = _error_excerpt(response)
        where = f'Embeddings endpoint "{self.url}" answered HTTP {status}{said}'
        if status in (401, 403):
            raise ConfigurationError(
                f"{where}: the API key was refused; check embeddings_api_key (or llm_api_key)"
            )
        if status == 404:
            raise ConfigurationError(f'{where}: check embeddings_base_url and the model name "{self.model}"')
        raise EmbeddingsUnavailable(where)


def _read_item(item: Any, position: int, url: str) -> tuple[int, list[float]]:
    """``(index, vector)`` of one ``data`` item; ``embedding`` may be floats or base64 float32."""
    if not isinstance(item, dict) or "embedding" not in item:
        raise EmbeddingsUnavailable(
            f'Embeddings endpoint "{url}" sent data[{position}] without an "embedding"'
        )
    index = item.get("index", position)
    if not isinstance(index, int) or isinstance(index, bool):
        raise EmbeddingsUnavailable(
            f'Embeddings endpoint "{url}" sent data[{position}] with a non-integer index {index!r}'
        )
    embedding = item["embedding"]
    if isinstance(embedding, str):
        try:
            return index, np.frombuffer(base64.b64decode(embedding), dtype="<f4").tolist()
        except ValueError as exc:
            raise EmbeddingsUnavailable(
                f'Embeddings endpoint "{url}" sent data[{position}] with unreadable base64'
            ) from exc
    if (
        not isinstance(embedding, list)
        or not embedding
        or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in embedding)
    ):
        raise EmbeddingsUnavailable(
            f'Embeddings endpoint "{url}" sent data[{position}] whose embedding is not a list of numbers'
        )
    return index, embedding


def _error_excerpt(response: httpx.Response) -> str:
    """The server's own error message, shortened, to put after the status code."""
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip()
    else:
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict):
            error = error.get("message")
        text = error if isinstance(error, str) else ""
    text = " ".join(text.split())[:_ERROR_EXCERPT]
    return f" ({text})" if text else ""


def embeddings_model(spec: str) -> str | None:
    """The model name of an ``openai:<model>`` spec, or None for any other spec."""
    if not spec.startswith(OPENAI_PREFIX):
        return None
    return spec.removeprefix(OPENAI_PREFIX).strip()


def build_embeddings_client(settings: Settings) -> OpenAICompatibleEmbedder:
    """The remote embedder named by ``settings.embedder`` (``openai:<model>``).

    The endpoint is ``embeddings_base_url`` with ``embeddings_api_key``; when no embeddings URL is
    set, the LLM's ``llm_base_url`` and ``llm_api_key`` (one server for both). A key configured
    for the LLM is never sent to a different embeddings server.
    """
    model = embeddings_model(settings.embedder)
    if not model:
        raise ConfigurationError(f'Embedder "{settings.embedder}" is not of the form openai:<model>')
    if settings.embeddings_base_url:
        base_url, api_key = settings.embeddings_base_url, settings.embeddings_api_key
    elif settings.llm_base_url:
        base_url = settings.llm_base_url
        api_key = settings.embeddings_api_key or settings.llm_api_key
    else:
        raise ConfigurationError(
            f'Embedder "{settings.embedder}" needs an endpoint; set RELAYDESK_EMBEDDINGS_BASE_URL'
        )
    return OpenAICompatibleEmbedder(
        base_url,
        model,
        api_key,
        dimension=settings.embeddings_dimension,
        batch_size=settings.embeddings_batch_size,
        timeout_s=settings.embeddings_timeout_s,
    )
