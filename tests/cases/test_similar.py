"""Similar-case search: conversations are placed by what the customer asked, searches find resolved
cases of the same workspace with their resolution, and personal data never leaves unmasked."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from relaydesk.cases.similar import SimilarCaseFinder, counts_as_request
from relaydesk.cli.main import app
from relaydesk.domain.errors import InvalidInput
from relaydesk.services.runtime import Runtime, build_runtime
from relaydesk.settings import Settings
from relaydesk.storage.case_store import SqlCaseStore
from relaydesk.testing import AgentWithKey, make_agent, make_workspace

PARCEL = "My parcel says it was delivered but nothing ever arrived at my door"
PARCEL_AGAIN = "The tracking shows delivered, yet I never received the package"
PASSWORD = "How do I change the password on my account"


@pytest.fixture
def desk(runtime: Runtime) -> tuple[Runtime, AgentWithKey]:
    workspace = make_workspace(runtime.store, slug="cases")
    return runtime, make_agent(runtime.store, workspace, name="Rita")


def _conversation(runtime: Runtime, *texts: str, slug: str = "cases", external_id: str | None = None) -> str:
    conv_id = runtime.desk.start_conversation(slug, external_id=external_id).conversation.id
    for text in texts:
        runtime.desk.post_customer_message(conv_id, text)
    return conv_id


def _resolved(runtime: Runtime, agent: AgentWithKey, *texts: str, note: str, **kwargs: str) -> str:
    conv_id = _conversation(runtime, *texts, **kwargs)
    runtime.desk.claim(agent.agent, conv_id)  # an agent resolves what they own
    runtime.desk.resolve(agent.agent, conv_id, note)
    return conv_id


def test_a_resolved_case_about_the_same_problem_is_found_with_its_resolution_masked(desk) -> None:  # type: ignore[no-untyped-def]
    runtime, agent = desk
    parcel = _resolved(
        runtime,
        agent,
        PARCEL,
        note="Reshipped by express; confirmed with jane.doe@example.com",
        external_id="jane",
    )
    _resolved(runtime, agent, PASSWORD, note="Sent the reset link")
    still_open = _conversation(runtime, PARCEL)
    current = _conversation(runtime, PARCEL_AGAIN, external_id="jane")

    found = runtime.desk.similar_cases(agent.agent, current)

    assert [c.conversation_id for c in found] == [parcel]  # not the open one, not the password case
    case = found[0]
    assert case.similarity >= runtime.settings.similar_case_min_similarity
    assert case.resolved_by == "Rita" and case.status == "resolved"
    assert case.resolution_note == "Reshipped by express; confirmed with [email]"
    assert case.request == PARCEL
    assert case.same_customer is True
    assert still_open not in {c.conversation_id for c in runtime.desk.search_cases(agent.agent, PARCEL_AGAIN)}


def test_the_conversation_itself_and_other_workspaces_are_never_shown(desk) -> None:  # type: ignore[no-untyped-def]
    runtime, agent = desk
    other_ws = make_workspace(runtime.store, slug="elsewhere")
    other_agent = make_agent(runtime.store, other_ws)
    _resolved(runtime, other_agent, PARCEL, note="their case", slug="elsewhere")
    mine = _resolved(runtime, agent, PARCEL_AGAIN, note="reshipped")

    assert runtime.desk.similar_cases(agent.agent, mine) == []
    assert [c.conversation_id for c in runtime.desk.search_cases(agent.agent, PARCEL)] == [mine]


def test_greetings_and_short_answers_do_not_place_a_conversation(desk) -> None:  # type: ignore[no-untyped-def]
    runtime, agent = desk
    _resolved(runtime, agent, PARCEL, note="reshipped")
    greeting = _conversation(runtime, "hi", "yes")
    assert not counts_as_request("hi there") and counts_as_request("hi, my parcel is late")
    assert runtime.desk.similar_cases(agent.agent, greeting) == []


def _bare_conversation(store):  # type: ignore[no-untyped-def]
    from relaydesk.domain.models import Channel

    workspace = make_workspace(store)
    customer = store.upsert_customer(workspace.id, external_id="c")
    return workspace, store.create_conversation(workspace.id, customer.id, token="t", channel=Channel.WEB)


def test_only_the_first_requests_count_and_each_message_once(store) -> None:  # type: ignore[no-untyped-def]
    cases = SqlCaseStore(store.engine)
    workspace, conv = _bare_conversation(store)
    unit = np.eye(4, dtype=np.float32)
    assert cases.add_to_case(conv.id, workspace.id, "m1", unit[0], seq=1, intent="a", max_messages=2)
    # The same message handled again (a restart recovering it) does not count twice.
    assert not cases.add_to_case(conv.id, workspace.id, "m1", unit[0], seq=1, intent="a", max_messages=2)
    assert cases.add_to_case(conv.id, workspace.id, "m1", unit[1], seq=3, intent="b", max_messages=2)
    assert not cases.add_to_case(conv.id, workspace.id, "m1", unit[2], seq=5, intent=None, max_messages=2)
    [row] = cases.case_vectors(workspace.id, "m1", 4)
    assert row.messages == 2 and row.intent == "a"
    assert np.allclose(row.vector, unit[0] + unit[1])
    # Another embedding model, or the same name at another width, starts the sum again.
    assert cases.add_to_case(conv.id, workspace.id, "m2", unit[3], seq=7, intent=None, max_messages=2)
    assert cases.case_vectors(workspace.id, "m1", 4) == []
    [row] = cases.case_vectors(workspace.id, "m2", 4)
    assert row.messages == 1 and np.allclose(row.vector, unit[3])
    assert cases.add_to_case(conv.id, workspace.id, "m2", np.ones(3), seq=9, intent=None, max_messages=2)
    assert (
        cases.case_vectors(workspace.id, "m2", 4) == []
        and len(cases.case_vectors(workspace.id, "m2", 3)) == 1
    )
    assert cases.conversations_without_vector("m2", 4) == [(conv.id, workspace.id)]
    with pytest.raises(InvalidInput, match="not finite"):
        cases.add_to_case(
            conv.id, workspace.id, "m2", np.array([np.nan] * 4), seq=11, intent=None, max_messages=2
        )


def test_a_row_committed_late_with_an_earlier_stamp_is_still_picked_up(desk) -> None:  # type: ignore[no-untyped-def]
    """Two workers: one stamps a row, another stamps and commits a later one first, and a search
    runs in between. The overlap of the refresh still reads the first row when it lands."""
    from datetime import timedelta

    from sqlalchemy import update

    from relaydesk.storage.tables import CaseVectorRow

    runtime, agent = desk
    first = _resolved(runtime, agent, PARCEL, note="reshipped")
    second = _resolved(runtime, agent, PARCEL_AGAIN, note="refunded")
    finder = runtime.orchestrator.cases
    assert finder is not None
    stamps = {
        c.conversation_id: c.updated_at
        for c in finder.store.case_vectors(
            agent.agent.workspace_id, finder.model_id or "", finder.dimension or 0
        )
    }
    hidden = SqlCaseStore(runtime.engine)

    class LateCommit:  # the store as this worker sees it before "first" is committed
        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return getattr(hidden, name)

        def case_vectors(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return [c for c in hidden.case_vectors(*args, **kwargs) if c.conversation_id != first]

    worker = SimilarCaseFinder(LateCommit(), finder.embedder)  # type: ignore[arg-type]
    assert [c.conversation_id for c in worker.for_text(agent.agent.workspace_id, PARCEL)] == [second]
    worker.store = hidden  # "first" is committed now, stamped 5 s before the row already read
    with runtime.engine.begin() as conn:
        conn.execute(
            update(CaseVectorRow)
            .where(CaseVectorRow.conversation_id == first)
            .values(updated_at=stamps[second] - timedelta(seconds=5))
        )
    found = {c.conversation_id for c in worker.for_text(agent.agent.workspace_id, PARCEL)}
    assert found == {first, second}


def test_openers_do_not_place_a_conversation_and_the_request_shown_is_the_real_one(desk) -> None:  # type: ignore[no-untyped-def]
    runtime, agent = desk
    opened = _resolved(
        runtime,
        agent,
        "Hi, can you help me with something?",
        "I have a quick question",
        PARCEL,
        note="reshipped",
    )
    other = _conversation(runtime, "Hi, can you help me with something?", "I have a quick question", PASSWORD)
    [case] = runtime.desk.search_cases(agent.agent, PARCEL_AGAIN)
    assert case.conversation_id == opened and case.request == PARCEL
    conv = runtime.store.get_conversation(other)
    assert all(c.conversation_id != opened for c in runtime.desk.similar_cases(agent.agent, conv.id))


def test_many_similar_open_conversations_do_not_hide_the_resolved_one(desk) -> None:  # type: ignore[no-untyped-def]
    runtime, agent = desk
    finder = runtime.orchestrator.cases
    assert finder is not None and finder.model_id and finder.dimension
    resolved = _resolved(runtime, agent, PARCEL, note="reshipped")
    assert finder.embedder is not None
    [vector] = finder.embedder.embed([PARCEL_AGAIN])
    from relaydesk.domain.models import Channel

    workspace_id = agent.agent.workspace_id
    customer = runtime.store.upsert_customer(workspace_id, external_id="many")
    for _ in range(450):  # open conversations closer to the query than the resolved case
        conv = runtime.store.create_conversation(workspace_id, customer.id, token="t", channel=Channel.WEB)
        finder.store.add_to_case(
            conv.id, workspace_id, finder.model_id, vector, seq=1, intent=None, max_messages=3
        )
    found = runtime.desk.search_cases(agent.agent, PARCEL_AGAIN, limit=1)
    assert [c.conversation_id for c in found] == [resolved]


def test_a_second_worker_sees_cases_resolved_after_its_first_search(desk, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    runtime, agent = desk
    other = build_runtime(settings)  # another process on the same database
    try:
        other_agent = other.store.get_agent(agent.agent.id)
        assert other.desk.search_cases(other_agent, PARCEL) == []
        first = _resolved(runtime, agent, PARCEL_AGAIN, note="reshipped")
        assert [c.conversation_id for c in other.desk.search_cases(other_agent, PARCEL)] == [first]
        second = _resolved(
            runtime, agent, "My package was marked as delivered but I do not have it", note="refunded"
        )
        assert {c.conversation_id for c in other.desk.search_cases(other_agent, PARCEL)} == {first, second}
    finally:
        other.close()


def test_bad_searches_name_the_problem(desk) -> None:  # type: ignore[no-untyped-def]
    runtime, agent = desk
    with pytest.raises(InvalidInput, match="empty"):
        runtime.desk.search_cases(agent.agent, "   ")
    with pytest.raises(InvalidInput, match="limit"):
        runtime.desk.search_cases(agent.agent, PARCEL, limit=0)
    with pytest.raises(InvalidInput, match="min_similarity"):
        SimilarCaseFinder(SqlCaseStore(runtime.engine), None, min_similarity=2.0)


def test_reindex_places_conversations_stored_without_a_vector(desk) -> None:  # type: ignore[no-untyped-def]
    runtime, agent = desk
    finder = runtime.orchestrator.cases
    runtime.orchestrator.cases = None  # as if these conversations predate similar-case search
    old = _resolved(runtime, agent, "hello", PARCEL, note="reshipped")
    greeting_only = _resolved(runtime, agent, "hello", note="nothing asked")
    runtime.orchestrator.cases = finder
    assert runtime.desk.search_cases(agent.agent, PARCEL_AGAIN) == []

    assert finder is not None
    cases = SqlCaseStore(runtime.engine)
    placed, seen = finder.reindex(cases)
    assert (placed, seen) == (1, 2)
    assert [c.conversation_id for c in runtime.desk.search_cases(agent.agent, PARCEL_AGAIN)] == [old]
    assert [
        c for c, _ in cases.conversations_without_vector(finder.model_id or "", finder.dimension or 0)
    ] == [greeting_only]
    assert finder.reindex(cases) == (0, 1)  # only the greeting-only conversation is left to look at


def test_the_agent_api_lists_similar_cases_and_hides_other_workspaces(desk) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from relaydesk.api.app import create_app

    runtime, agent = desk
    parcel = _resolved(runtime, agent, PARCEL, note="Reshipped; called +1 415 555 0100")
    current = _conversation(runtime, PARCEL_AGAIN)
    outsider = make_agent(runtime.store, make_workspace(runtime.store, slug="outside"))
    with TestClient(create_app(runtime=runtime), raise_server_exceptions=False) as client:
        r = client.get(f"/v1/agent/conversations/{current}/similar?limit=3", headers=agent.headers)
        assert r.status_code == 200, r.text
        [case] = r.json()
        assert case["conversation_id"] == parcel and "[phone]" in case["resolution_note"]
        r = client.post("/v1/agent/cases/search", headers=agent.headers, json={"text": PARCEL_AGAIN})
        assert [c["conversation_id"] for c in r.json()] == [parcel]
        assert (
            client.get(f"/v1/agent/conversations/{current}/similar", headers=outsider.headers).status_code
            == 404
        )
        assert (
            client.post("/v1/agent/cases/search", headers=outsider.headers, json={"text": PARCEL}).json()
            == []
        )
        bad = client.get(f"/v1/agent/conversations/{current}/similar?limit=500", headers=agent.headers)
        assert bad.status_code == 422 and "limit" in bad.text
        bad = client.post("/v1/agent/cases/search", headers=agent.headers, json={"text": ""})
        assert bad.status_code == 422 and "text" in bad.text


def test_the_cli_searches_and_reindexes(desk, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    runtime, agent = desk
    parcel = _resolved(runtime, agent, PARCEL, note="reshipped")
    monkeypatch.setenv("RELAYDESK_DATABASE_URL", runtime.settings.database_url)
    monkeypatch.setenv("RELAYDESK_DATA_DIR", str(runtime.settings.data_dir))
    runner = CliRunner()
    result = runner.invoke(app, ["cases", "search", PARCEL_AGAIN, "-w", "cases", "--json"])
    assert result.exit_code == 0, result.output
    assert parcel in result.output
    result = runner.invoke(app, ["cases", "reindex"])
    assert result.exit_code == 0 and "Placed 0 conversations" in result.output, result.output
    result = runner.invoke(app, ["cases", "similar", "conv_missing"])
    assert result.exit_code != 0 and "conv_missing" in result.output


def test_the_agents_last_substantial_reply_is_shown_masked(desk) -> None:  # type: ignore[no-untyped-def]
    runtime, agent = desk
    conv_id = _conversation(runtime, PARCEL)
    runtime.desk.claim(agent.agent, conv_id)
    runtime.desk.agent_reply(
        agent.agent, conv_id, "I sent a free replacement by express; tracking goes to a@b.example"
    )
    runtime.desk.agent_reply(agent.agent, conv_id, "anything else?")
    runtime.desk.resolve(agent.agent, conv_id, "reshipped")
    [case] = runtime.desk.search_cases(agent.agent, PARCEL_AGAIN)
    assert case.agent_reply == "I sent a free replacement by express; tracking goes to [email]"


def test_another_customers_order_numbers_and_greeted_name_are_masked() -> None:
    from relaydesk.cases.similar import _masked

    shown = _masked("Hi Chen, your order #W3381155 left on Monday; write to chen.brown4062@example.com")
    assert shown is not None
    assert "Chen" not in shown and "W3381155" not in shown and "example.com" not in shown
    assert shown.startswith("Hi [name], your order [order] left on Monday")
