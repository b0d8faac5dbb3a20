"""Who a customer starting a chat is: an external id only with the site's signature, a known
customer's record never rewritten from the chat, tier and attributes only from the company."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from relaydesk.domain.models import CustomerTier
from relaydesk.services.customer_identity import external_id_signature, workspace_signing_key
from relaydesk.services.runtime import Runtime
from tests.api.test_bad_input import assert_problem

SECRET = "site-and-desk-share-this"


@pytest.fixture
def signed(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> str:
    """The key the shop's site signs with (derived from the desk's secret for this workspace)."""
    monkeypatch.setattr(runtime.settings, "widget_signing_secret", SECRET)
    return workspace_signing_key(SECRET, "shop")


@pytest.fixture
def known(runtime: Runtime, shop):  # type: ignore[no-untyped-def]
    """A customer the company recorded, with an earlier conversation."""
    earlier = runtime.desk.start_conversation(
        shop.slug,
        external_id="cust-42",
        name="Amira Haddad",
        email="amira@example.com",
        tier=CustomerTier.VIP,
        attributes={"plan": "business"},
    )
    return earlier.customer


def _start(client: TestClient, customer: dict) -> object:  # type: ignore[type-arg]
    return client.post("/v1/conversations", json={"workspace": "shop", "customer": customer})


def test_an_unsigned_external_id_is_refused_and_touches_nothing(
    client: TestClient, runtime: Runtime, known, signed: str
) -> None:  # type: ignore[no-untyped-def]
    r = _start(client, {"external_id": "cust-42", "name": "Mallory", "email": "m@evil.example"})
    assert_problem(r, 403, "customer.external_id needs customer.signature")
    wrong = _start(client, {"external_id": "cust-42", "signature": "00" * 32, "name": "Mallory"})
    assert_problem(wrong, 403, "does not match")
    customer = runtime.store.get_customer(known.id)
    assert (customer.name, customer.email, customer.tier) == ("Amira Haddad", "amira@example.com", "vip")
    assert len(runtime.store.customer_conversations(known.id)) == 1  # nothing attached to them


def test_without_a_signing_secret_the_chat_takes_no_external_id(client: TestClient, known) -> None:  # type: ignore[no-untyped-def]
    r = _start(client, {"external_id": "cust-42", "signature": external_id_signature("cust-42", "guess")})
    assert_problem(r, 403, "this desk has no signing secret")


def test_a_signed_customer_is_linked_to_their_record_which_the_chat_does_not_rewrite(
    client: TestClient, runtime: Runtime, known, signed: str
) -> None:  # type: ignore[no-untyped-def]
    signature = external_id_signature("cust-42", signed)
    r = _start(client, {"external_id": "cust-42", "signature": signature, "name": "Someone Else"})
    assert r.status_code == 201, r.text
    assert r.json()["conversation"]["customer_id"] == known.id
    customer = runtime.store.get_customer(known.id)
    assert (customer.name, customer.tier, customer.attributes) == (
        "Amira Haddad",
        "vip",
        {"plan": "business"},
    )
    assert len(runtime.store.customer_conversations(known.id)) == 2

    new = external_id_signature("cust-77", signed)
    fresh = _start(client, {"external_id": "cust-77", "signature": new, "name": "Jonas"}).json()
    created = runtime.store.get_customer(fresh["conversation"]["customer_id"])
    assert (created.external_id, created.name, created.tier) == ("cust-77", "Jonas", "standard")


@pytest.mark.parametrize(
    ("customer", "message"),
    [
        ({"name": "Vera", "tier": "vip"}, "customer.tier is set by the company"),
        ({"attributes": {"plan": "enterprise"}}, "customer.attributes is set by the company"),
        ({"signature": "ab" * 32}, "customer.signature came without customer.external_id"),
    ],
)
def test_what_only_the_company_may_say_is_refused_from_the_chat(
    client: TestClient, shop, customer: dict, message: str
) -> None:  # type: ignore[no-untyped-def,type-arg]
    assert_problem(_start(client, customer), 422, message)


def test_an_anonymous_chat_gets_its_own_customer_every_time(
    client: TestClient, runtime: Runtime, shop
) -> None:  # type: ignore[no-untyped-def]
    first = _start(client, {"name": "Ada"}).json()["conversation"]["customer_id"]
    second = _start(client, {"name": "Ada"}).json()["conversation"]["customer_id"]
    assert first != second


def test_a_signature_made_with_the_desk_secret_or_another_workspaces_key_is_refused(
    client: TestClient, runtime: Runtime, known, signed: str
) -> None:  # type: ignore[no-untyped-def]
    for key in (SECRET, workspace_signing_key(SECRET, "other-shop")):
        r = _start(client, {"external_id": "cust-42", "signature": external_id_signature("cust-42", key)})
        assert_problem(r, 403, "does not match")
    assert len(runtime.store.customer_conversations(known.id)) == 1
