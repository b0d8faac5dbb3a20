"""The authorization matrix, generated from the OpenAPI document: every operation (and every
WebSocket) x every role x another workspace's credentials.

Each operation carries its rule (``x-role``, ``relaydesk.api.access``); an operation without one
fails here, so a new endpoint cannot ship without saying who may call it. A call is *let in* when
it answers anything but 401 or a role refusal (403 "Role required"): a 404 for a made-up id or a
422 for an empty body is the route's own answer after authorization. No call in the matrix may
answer 500.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from relaydesk.api.access import ROLE_EXTENSION, Access, websocket_rules
from relaydesk.api.app import create_app
from relaydesk.domain.models import AgentRole, AgentStatus
from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_agent, make_workspace

LET_IN = {
    Access.PUBLIC: {"none", "customer", "agent", "supervisor", "admin", "other_customer", "other_admin"},
    Access.CUSTOMER: {"customer"},
    Access.AGENT: {"agent", "supervisor", "admin", "other_admin"},
    Access.SUPERVISOR: {"supervisor", "admin", "other_admin"},
    Access.ADMIN: {"admin", "other_admin"},
}
"""Who is let in by each rule. Another workspace's admin is let in to the route itself (its own
workspace's queue, say) but never to this workspace's conversations: see ``_other_workspace``."""


BODIES = {"/v1/agent/conversations/{conversation_id}/follow-ups": {"text": "Arrived?", "due_in_s": 3600}}
"""Bodies whose rule is more than the schema says (exactly one of two optional fields)."""


@dataclass
class World:
    client: TestClient
    conversation_id: str
    credentials: dict[str, dict[str, str]]


@pytest.fixture
def world(runtime: Runtime) -> Iterator[World]:
    settings = runtime.settings.model_copy(update={"rate_limits_enabled": False})
    acme = make_workspace(runtime.store, slug="acme")
    other = make_workspace(runtime.store, slug="other")
    keys = {
        role: make_agent(runtime.store, acme, name=role.title(), status=AgentStatus.AWAY, role=role)
        for role in (AgentRole.AGENT, AgentRole.SUPERVISOR, AgentRole.ADMIN)
    }
    other_admin = make_agent(runtime.store, other, name="Otto", status=AgentStatus.AWAY, role=AgentRole.ADMIN)
    with TestClient(create_app(settings, runtime=runtime), raise_server_exceptions=False) as client:
        mine = client.post("/v1/conversations", json={"workspace": "acme"}).json()
        theirs = client.post("/v1/conversations", json={"workspace": "other"}).json()
        cid = mine["conversation"]["id"]
        client.post(
            f"/v1/conversations/{cid}/messages",
            headers={"X-Conversation-Token": mine["token"]},
            json={"text": "I want to talk to a person please"},
        )
        yield World(
            client,
            cid,
            {
                "none": {},
                "customer": {"X-Conversation-Token": mine["token"]},
                **{str(role): {"X-API-Key": a.api_key} for role, a in keys.items()},
                "other_customer": {"X-Conversation-Token": theirs["token"]},
                "other_admin": {"X-API-Key": other_admin.api_key},
            },
        )


def _operations(client: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    document = client.get("/openapi.json").json()
    return [
        (method.upper(), path, {**operation, "_example": BODIES.get(path) or _body(operation, document)})
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def _body(operation: dict[str, Any], document: dict[str, Any]) -> Any:
    """A body with every required field filled from its schema, so a call passes validation and
    reaches the route's own checks (the workspace of the conversation, say)."""
    if "requestBody" not in operation:
        return None
    schema = operation["requestBody"]["content"].get("application/json", {}).get("schema", {})
    return _example(schema, document)


def _example(schema: dict[str, Any], document: dict[str, Any], depth: int = 0) -> Any:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _example(document["components"]["schemas"][name], document, depth + 1)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"]
            return _example(options[0], document, depth + 1) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {k: _example(props[k], document, depth + 1) for k in schema.get("required", []) if depth < 6}
    if kind == "array":
        return []
    if kind in ("integer", "number"):
        return max(schema.get("minimum", 1), 1)
    if kind == "boolean":
        return False
    return "x" * max(schema.get("minLength", 1), 1)


def _url(path: str, conversation_id: str) -> str:
    return re.sub(
        r"\{(\w+)\}",
        lambda m: conversation_id if m.group(1) == "conversation_id" else f"{m.group(1)}_none",
        path,
    )


def _query(operation: dict[str, Any]) -> dict[str, Any]:
    values = {"integer": 1, "number": 1, "boolean": "true"}
    return {
        p["name"]: values.get(p.get("schema", {}).get("type"), "x")
        for p in operation.get("parameters", [])
        if p["in"] == "query" and p.get("required")
    }


def _let_in(status: int, body: Any) -> bool:
    role_refusal = status == 403 and isinstance(body, dict) and body.get("title") == "Role required"
    return status != 401 and not role_refusal and status != 429


def _other_workspace(who: str, path: str) -> bool:
    return who.startswith("other_") and "{conversation_id}" in path


def test_every_operation_has_a_rule(world: World) -> None:
    missing = [f"{m} {p}" for m, p, op in _operations(world.client) if ROLE_EXTENSION not in op]
    assert len(_operations(world.client)) >= 45  # the document is read whole
    assert not missing, f"operations without an access rule in relaydesk.api.access: {missing}"
    ws_missing = [p for p, rule in websocket_rules(world.client.app).items() if rule is None]  # type: ignore[arg-type]
    assert not ws_missing, f"WebSockets without an access rule: {ws_missing}"


def test_every_operation_lets_in_exactly_the_roles_its_rule_names(world: World) -> None:
    wrong: list[str] = []
    for method, path, operation in _operations(world.client):
        rule = Access(operation.get(ROLE_EXTENSION, "public"))
        url = _url(path, world.conversation_id)
        body = operation["_example"]
        for who, headers in world.credentials.items():
            r = world.client.request(method, url, headers=headers, params=_query(operation), json=body)
            try:
                payload = r.json()
            except ValueError:
                payload = None
            let_in = _let_in(r.status_code, payload)
            expected = who in LET_IN[rule] and not _other_workspace(who, path)
            if r.status_code >= 500:
                wrong.append(f"{method} {path} as {who}: {r.status_code} {r.text[:200]}")
            elif _other_workspace(who, path) and r.status_code < 400:
                wrong.append(f"{method} {path} as {who} (another workspace): {r.status_code}")
            elif let_in != expected and not (_other_workspace(who, path) and r.status_code in (403, 404)):
                wrong.append(f"{method} {path} [{rule}] as {who}: {r.status_code} {r.text[:160]}")
    assert not wrong, "\n".join(wrong)


def _stream(client: TestClient, path: str, headers: dict[str, str]) -> dict[str, Any]:
    """The first frame a socket gets after authenticating with ``headers``' credential."""
    credential = next(iter(headers.values()), "")
    with client.websocket_connect(path) as ws:
        ws.send_json({"type": "auth", "token": credential})
        frame: dict[str, Any] = ws.receive_json()
        return frame


def test_every_websocket_lets_in_exactly_the_roles_its_rule_names(world: World) -> None:
    wrong: list[str] = []
    for path, rule in websocket_rules(world.client.app).items():  # type: ignore[arg-type]
        assert rule is not None
        url = _url(path, world.conversation_id)
        for who, headers in world.credentials.items():
            frame = _stream(world.client, url, headers)
            let_in = frame.get("type") != "error" or frame.get("status") not in (401, 403, 404)
            expected = who in LET_IN[rule] and not _other_workspace(who, path)
            if let_in != expected:
                wrong.append(f"WS {path} [{rule}] as {who}: {frame}")
    assert not wrong, "\n".join(wrong)


def test_docs_security_lists_every_operation_with_its_rule(world: World) -> None:
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "security.md").read_text()
    table = text.split("<!-- generated from relaydesk.api.access")[1].split(
        "<!-- end of the generated table -->"
    )[0]
    documented = set(re.findall(r"\| `(\w+ [^`]+)` \| (\w+) \|", table))
    actual = {(f"{m} {p}", op[ROLE_EXTENSION]) for m, p, op in _operations(world.client)}
    actual |= {(f"WS {p}", str(rule)) for p, rule in websocket_rules(world.client.app).items()}  # type: ignore[arg-type]
    assert documented == actual, {"undocumented": actual - documented, "stale": documented - actual}
