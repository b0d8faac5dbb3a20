"""The optional language model choosing a flow when the customer's words choose none, played
through the whole runtime against a real HTTP model server. The model picks a flow, never an action:
the flow still asks who the customer is and waits for a yes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from relaydesk.demo import __path__ as demo_path
from relaydesk.services.runtime import Runtime, build_runtime
from relaydesk.settings import Settings
from relaydesk.storage.commerce_store import SqlCommerceStore
from tests.llm.openai_server import ChatCompletionsServer

DEMO_STORE = Path(list(demo_path)[0]) / "tau_retail"
UNCLEAR = "the notebook I got isn't really for me, can you take it off my hands?"


@pytest.fixture(scope="module")
def model() -> Iterator[ChatCompletionsServer]:
    server = ChatCompletionsServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory, model: ChatCompletionsServer) -> Iterator[Runtime]:
    work = tmp_path_factory.mktemp("planner")
    settings = Settings(  # type: ignore[call-arg]
        database_url=f"sqlite:///{work}/shop.db",
        data_dir=work,
        llm_base_url=model.url,
        llm_model="test-model",
        recovery_interval_s=0,
        routing_sweep_s=0,
        _env_file=None,
    )
    built = build_runtime(settings)
    SqlCommerceStore(built.store.engine).load_json(DEMO_STORE)
    built.store.create_workspace("shop", "Shop")
    try:
        yield built
    finally:
        built.close()


def _planner_requests(model: ChatCompletionsServer) -> list[dict]:
    return [r.body for r in model.requests if r.body.get("tools")]


def test_the_flow_the_model_calls_starts_and_asks_who_the_customer_is(
    runtime: Runtime, model: ChatCompletionsServer
) -> None:
    model.requests.clear()
    model.reply_tool_calls(("start_return_items", {}))
    conversation = runtime.desk.start_conversation("shop").conversation
    posted = runtime.desk.post_customer_message(conversation.id, UNCLEAR)
    reply = next(r for r in posted.replies if r.metadata.get("flow"))
    assert reply.metadata["flow"] == "return_items@1" and reply.metadata["asks"] == "identity"
    (sent,) = _planner_requests(model)
    offered = {t["function"]["name"] for t in sent["tools"]}
    assert {"start_return_items", "start_cancel_order", "start_order_status"} <= offered
    assert not any(name.startswith("start_intake") for name in offered)  # intake is not the customer's
    decisions = runtime.store.decisions(conversation.id)
    assert any("chosen by the language model" in str(d.reasons) for d in decisions)


def test_a_tool_that_is_not_a_flow_starts_nothing(runtime: Runtime, model: ChatCompletionsServer) -> None:
    model.requests.clear()
    model.reply_tool_calls(("refund_everything", {"amount": 5000}))
    conversation = runtime.desk.start_conversation("shop").conversation
    posted = runtime.desk.post_customer_message(conversation.id, UNCLEAR)
    assert not [r for r in posted.replies if r.metadata.get("flow")]
    assert runtime.store.get_conversation(conversation.id).flow in (None, {})


def test_a_model_that_fails_leaves_the_turn_to_the_other_responders(
    runtime: Runtime, model: ChatCompletionsServer
) -> None:
    model.requests.clear()
    model.reply_raw(500, {"error": {"message": "overloaded"}})
    conversation = runtime.desk.start_conversation("shop").conversation
    posted = runtime.desk.post_customer_message(conversation.id, UNCLEAR)
    assert posted.replies  # someone answered
    assert not [r for r in posted.replies if r.metadata.get("flow")]
