"""Every agent sees every waiting conversation in the queue list, marked when it does not fit
them ("German — not your language"), and Take next says why it found nothing for them."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from relaydesk.api.app import create_app
from relaydesk.domain.errors import NotFound
from relaydesk.domain.models import AgentStatus, ConversationStatus, CustomerTier, utcnow
from relaydesk.services.desk import desk_service_for
from relaydesk.services.runtime import Runtime
from relaydesk.testing import AgentWithKey, make_agent, make_workspace

GERMAN_FRAUD = "Jemand hat meine Karte ohne meine Erlaubnis benutzt, ich möchte mit einem Menschen sprechen"


def _queued(runtime: Runtime, slug: str, *, language: str, tier: CustomerTier = CustomerTier.STANDARD) -> str:
    ws = runtime.store.workspace_by_slug(slug)
    customer = runtime.store.upsert_customer(
        ws.id, external_id=f"c-{language}-{tier}", name="C", language=language, tier=tier
    )
    c = runtime.store.create_conversation(ws.id, customer.id, token="t", channel="web", language=language)  # type: ignore[arg-type]
    runtime.store.transition(
        c.id, expected=[ConversationStatus.WITH_AI], to=ConversationStatus.QUEUED, queued_at=utcnow()
    )
    return c.id


def _team(runtime: Runtime, slug: str) -> tuple[AgentWithKey, AgentWithKey]:
    """Theo (escalations, German; away) and Maya (English and French only; online)."""
    ws = make_workspace(runtime.store, slug=slug)
    theo = make_agent(
        runtime.store,
        ws,
        name="Theo",
        skills={"escalations": 1.0},
        languages=("en", "de"),
        tier=3,
        status=AgentStatus.AWAY,
    )
    maya = make_agent(runtime.store, ws, name="Maya", skills={"orders": 0.9}, languages=("en", "fr"))
    return theo, maya


def test_the_german_fraud_case_is_in_every_queue_list_marked_where_it_does_not_fit(
    runtime: Runtime,
) -> None:
    theo, maya = _team(runtime, "fraud-list")
    started = runtime.desk.start_conversation("fraud-list", external_id="jonas", name="Jonas Berg")
    posted = runtime.desk.post_customer_message(started.conversation.id, GERMAN_FRAUD)
    fraud = posted.conversation
    assert fraud.status == ConversationStatus.QUEUED and fraud.language == "de"
    assert fraud.required_skills == ("escalations",)
    english = _queued(runtime, "fraud-list", language="en")

    with TestClient(create_app(runtime=runtime), raise_server_exceptions=False) as client:
        listed = client.get("/v1/agent/queue", headers=maya.headers).json()
        by_id = {item["id"]: item for item in listed}
        assert set(by_id) == {fraud.id, english}  # she sees the whole queue
        assert by_id[fraud.id]["fits_you"] is False
        assert by_id[fraud.id]["not_for_you"] == (
            "German — not your language; needs escalations — not one of your skills"
        )
        assert by_id[english]["fits_you"] is True and by_id[english]["not_for_you"] is None

        for_theo = {i["id"]: i for i in client.get("/v1/agent/queue", headers=theo.headers).json()}
        assert for_theo[fraud.id]["fits_you"] is True  # away, yet it is his kind of case

        taken = client.post("/v1/agent/next", headers=maya.headers)
        assert taken.status_code == 200 and taken.json()["id"] == english
        nothing = client.post("/v1/agent/next", headers=maya.headers)
        assert nothing.status_code == 404
        problem = nothing.json()
        assert problem["detail"] == "1 conversation is waiting, not in a language you speak (German)."
        assert problem["reason"] == "none_fits" and problem["waiting"] == 1


def test_take_next_names_the_languages_nobody_here_speaks(runtime: Runtime) -> None:
    _, maya = _team(runtime, "next-why")
    console = desk_service_for(runtime)
    with pytest.raises(NotFound, match=r"^Nothing is waiting in the queue\.$") as empty:
        console.take_next(maya.agent)
    assert empty.value.info == {"reason": "queue_empty", "waiting": 0}
    _queued(runtime, "next-why", language="de")
    _queued(runtime, "next-why", language="de")
    with pytest.raises(NotFound) as german:
        console.take_next(maya.agent)
    assert german.value.detail == "2 conversations are waiting, none in a language you speak (German)."
    _queued(runtime, "next-why", language="ko")
    _queued(runtime, "next-why", language="en", tier=CustomerTier.VIP)
    with pytest.raises(NotFound) as mixed:
        console.take_next(maya.agent)
    assert mixed.value.detail == (
        "4 conversations are waiting, none you can take now: 3 not in a language you speak "
        "(German, Korean), 1 for a customer who needs a more senior agent."
    )
    listed = {item.conversation.language: item for item in console.queue_items(maya.agent)}
    assert listed["en"].not_for_you == "VIP customer — for a more senior agent"
    assert runtime.store.get_agent(maya.agent.id).status == AgentStatus.ONLINE


def test_take_next_says_when_the_only_case_needs_a_skill_kept_for_a_colleague(runtime: Runtime) -> None:
    _, maya = _team(runtime, "next-skill")
    started = runtime.desk.start_conversation("next-skill", external_id="amira", name="Amira")
    runtime.desk.post_customer_message(
        started.conversation.id, "someone used my card without my permission, I want to talk to a person"
    )
    with pytest.raises(NotFound) as skill:
        desk_service_for(runtime).take_next(maya.agent)
    assert skill.value.detail == "1 conversation is waiting; it needs a skill you don't have (escalations)."
