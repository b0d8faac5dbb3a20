"""Erasing a customer on request: no trace of who they were or what they wrote is left in any
table, the append-only decision log included; the KPIs count the same; another customer is
untouched; running it again changes nothing. On SQLite and on a real PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import MetaData, func, select

from relaydesk.domain.errors import NotFound
from relaydesk.domain.models import utcnow
from relaydesk.services.csat import CsatService
from relaydesk.services.customer_erasure import erase_customer
from relaydesk.services.desk import desk_service_for
from relaydesk.services.reports import Period, desk_reports
from relaydesk.services.runtime import Runtime
from relaydesk.storage.erasure_store import SqlErasureStore
from relaydesk.storage.tables import DecisionRow
from relaydesk.testing import make_agent, make_workspace

NAME, EMAIL, PHONE, EXTERNAL_ID = "Jane Roe", "jane.roe@example.com", "+1 (415) 555-2671", "crm-7731"
SAID = "my email is jane.roe@example.com and my phone +1 (415) 555-2671, order #W7731002 never came"
TRACES = (NAME, "Roe", EMAIL, "jane.roe", "555-2671", EXTERNAL_ID, "never came", "Seattle")
"""(The order number may stay: triage's decisions keep the entities they read, a shop's reference.)"""
OTHER = ("Max Other", "max@other.example", "the other customer's words")


def _everything_stored(runtime: Runtime) -> str:
    meta = MetaData()
    meta.reflect(runtime.store.engine)
    with runtime.store.engine.connect() as conn:
        return "\n".join(repr(conn.execute(select(table)).all()) for table in meta.sorted_tables)


def _decision_count(runtime: Runtime) -> int:
    with runtime.store.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(DecisionRow)) or 0)


@pytest.fixture
def desk(runtime: Runtime) -> dict[str, str]:
    """Jane with two conversations full of her data (one escalated, noted, resolved and rated),
    and Max with one of his own."""
    ws = make_workspace(runtime.store, slug="shop")
    agent = make_agent(runtime.store, ws, name="Dana Agent").agent
    first = runtime.desk.start_conversation(
        "shop",
        external_id=EXTERNAL_ID,
        name=NAME,
        email=EMAIL,
        subject=f"order #W7731002 for {NAME}",
        attributes={"city": "Seattle", "plan": "pro"},
    ).conversation
    runtime.desk.post_customer_message(first.id, SAID)
    runtime.desk.post_customer_message(first.id, "I want to talk to a human please")
    # what a governed tool call logs: the e-mail the customer gave, the shop's user id (her name)
    runtime.store.add_decision(
        workspace_id=ws.id,
        conversation_id=first.id,
        kind="tool_call",
        outcome="executed",
        summary="AI verified the customer as jane_roe_7731 with find_user_id_by_email.",
        inputs={
            "tool": "find_user_id_by_email",
            "args": {"email": EMAIL},
            "authenticated_user_id": "jane_roe_7731",
        },
        reasons=[{"rule": "verified", "passed": True, "reason": f"{EMAIL} matched"}],
    )
    desk_ = desk_service_for(runtime)
    conversation = runtime.store.get_conversation(first.id)
    if conversation.assigned_agent_id != agent.id:
        runtime.desk.claim(agent, first.id)
    runtime.desk.agent_reply(agent, first.id, f"Hi {NAME}, I see order #W7731002, I'll call {PHONE}")
    desk_.add_note(agent, first.id, f"{NAME} ({EMAIL}) is upset about #W7731002")
    runtime.desk.resolve(agent, first.id, note=f"refunded {NAME}")
    CsatService.on(runtime.engine).rate(
        runtime.store.get_conversation(first.id), 2, f"{NAME} says never came"
    )
    second = runtime.desk.start_conversation("shop", external_id=EXTERNAL_ID).conversation
    runtime.desk.post_customer_message(second.id, f"still waiting, {EMAIL}")
    other = runtime.desk.start_conversation("shop", external_id="crm-max", name=OTHER[0], email=OTHER[1])
    runtime.desk.post_customer_message(other.conversation.id, OTHER[2])
    return {"workspace": ws.id, "customer": first.customer_id, "first": first.id, "other": other.customer.id}


PERIOD = Period(utcnow() - timedelta(days=1), utcnow() + timedelta(days=1))


def _kpis(runtime: Runtime, workspace_id: str) -> object:
    return desk_reports(runtime).workspace_report(workspace_id, PERIOD)


def test_no_trace_of_the_customer_is_left_and_the_kpis_count_the_same(
    runtime: Runtime, desk: dict[str, str]
) -> None:
    before = _everything_stored(runtime)
    assert all(trace in before for trace in TRACES)  # the data was there to erase
    kpis, decisions = _kpis(runtime, desk["workspace"]), _decision_count(runtime)

    done = erase_customer(SqlErasureStore(runtime.engine), desk["workspace"], EXTERNAL_ID)

    assert done.customer_id == desk["customer"] and done.conversations == 2
    assert done.profile == 1 and done.messages >= 4 and done.decision_values >= 2
    assert done.notes == 1 and done.ratings_and_feedback == 1
    after = _everything_stored(runtime)
    assert [after[max(0, after.index(t) - 300) : after.index(t) + 50] for t in TRACES if t in after] == []
    assert all(trace in after for trace in OTHER)  # the other customer keeps everything
    assert _kpis(runtime, desk["workspace"]) == kpis
    assert _decision_count(runtime) == decisions + 2  # nothing deleted; one erasure per conversation
    log = runtime.store.decisions(desk["first"])
    calls = [d for d in log if d.kind == "tool_call"]  # the AI's own look-up, and the logged one
    assert len(calls) >= 2 and all(d.inputs["args"] == {"email": "[email erased]"} for d in calls)
    call = next(d for d in calls if d.outcome == "executed")
    assert call.summary == "AI verified the customer as [customer erased] with find_user_id_by_email."
    assert log[-1].kind == "erasure" and log[-1].inputs == {"customer_id": desk["customer"]}
    assert {m.text for m in runtime.store.messages(desk["first"])} == {"[erased]"}
    customer = runtime.store.get_customer(desk["customer"])
    assert (customer.name, customer.email, set(customer.attributes)) == (None, None, {"erased_at"})


def test_erasing_again_by_external_id_or_id_changes_nothing(runtime: Runtime, desk: dict[str, str]) -> None:
    records = SqlErasureStore(runtime.engine)
    erase_customer(records, desk["workspace"], EXTERNAL_ID)
    stored, decisions = _everything_stored(runtime), _decision_count(runtime)
    for reference in (EXTERNAL_ID, desk["customer"]):
        again = erase_customer(records, desk["workspace"], reference)
        assert again.customer_id == desk["customer"] and again.changed == 0
    assert _everything_stored(runtime) == stored and _decision_count(runtime) == decisions


def test_a_new_chat_with_the_erased_external_id_is_a_new_customer(
    runtime: Runtime, desk: dict[str, str]
) -> None:
    erase_customer(SqlErasureStore(runtime.engine), desk["workspace"], EXTERNAL_ID)
    again = runtime.desk.start_conversation("shop", external_id=EXTERNAL_ID, name=NAME)
    assert again.customer.id != desk["customer"] and again.customer.name == NAME


def test_an_unknown_customer_or_another_workspaces_customer_is_not_found(
    runtime: Runtime, desk: dict[str, str]
) -> None:
    other_ws = make_workspace(runtime.store, slug="elsewhere")
    records = SqlErasureStore(runtime.engine)
    with pytest.raises(NotFound, match="nobody-42"):
        erase_customer(records, desk["workspace"], "nobody-42")
    with pytest.raises(NotFound):
        erase_customer(records, other_ws.id, desk["customer"])
    assert NAME in _everything_stored(runtime)


def test_decisions_keep_references_not_personal_data_and_read_back_whole(runtime: Runtime) -> None:
    ws = make_workspace(runtime.store, slug="refs")
    conv = runtime.desk.start_conversation("refs").conversation
    written = runtime.store.add_decision(
        workspace_id=ws.id,
        conversation_id=conv.id,
        kind="tool_call",
        outcome="executed",
        summary="AI ran modify_user_address.",
        inputs={"args": {"first_name": "Jane", "zip": "98101", "address1": "12 Pine Street"}, "count": 3},
        reasons=[{"reason": f"card 4111 1111 1111 1111, call {PHONE}"}],
    )
    with runtime.store.engine.connect() as conn:
        row = conn.execute(select(DecisionRow).where(DecisionRow.id == written.id)).one()
    assert "Jane" not in repr(row) and "98101" not in repr(row) and "Pine" not in repr(row)
    assert "555-2671" not in repr(row) and "4111 1111" not in repr(row)
    read = next(d for d in runtime.store.decisions(conv.id) if d.id == written.id)
    assert read.inputs == {
        "args": {"first_name": "Jane", "zip": "98101", "address1": "12 Pine Street"},
        "count": 3,
    }
    assert read.reasons == [{"reason": f"card [card ending 1111], call {PHONE}"}]
