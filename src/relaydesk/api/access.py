"""Who may call what: the rule of every route, in one table, written into the OpenAPI document.

Each operation carries ``x-role`` in ``/openapi.json``: ``public`` (anyone), ``customer`` (the
conversation's own token), ``agent`` (any agent's key), ``supervisor`` (supervisor or admin) or
``admin``. The rule is enforced by the route's dependencies (``api.deps``, ``api.roles``); this
table says what they must enforce, and ``tests/api/test_authorization_matrix.py`` calls every
operation of the OpenAPI document (and every WebSocket) with every role and another workspace's
credentials, so a route whose dependencies disagree with its rule, or a route without a rule,
fails the suite.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIWebSocketRoute
from starlette.routing import BaseRoute, WebSocketRoute


class Access(StrEnum):
    PUBLIC = "public"
    CUSTOMER = "customer"
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


ROLE_EXTENSION = "x-role"

_PREFIX_RULES: tuple[tuple[str, str, Access], ...] = (
    # (method or "*", path prefix, rule): the longest matching prefix wins, the method first.
    ("POST", "/v1/conversations", Access.PUBLIC),
    ("*", "/v1/conversations/", Access.CUSTOMER),
    ("*", "/v1/agent/", Access.AGENT),
    ("*", "/v1/governance/", Access.AGENT),
    ("*", "/v1/reports/", Access.SUPERVISOR),
    ("GET", "/v1/knowledge/", Access.AGENT),
    ("POST", "/v1/knowledge/sources", Access.SUPERVISOR),
    ("DELETE", "/v1/knowledge/sources/", Access.SUPERVISOR),
    ("*", "/v1/admin/", Access.ADMIN),
    ("WS", "/v1/conversations/", Access.CUSTOMER),
    ("WS", "/v1/agent/", Access.AGENT),
)


def rule_for(method: str, path: str) -> Access | None:
    """The rule of ``method`` (GET, POST, ..., or WS for a WebSocket) on ``path``; None if none."""
    best: tuple[int, int, Access] | None = None
    for rule_method, prefix, access in _PREFIX_RULES:
        exact_method = rule_method == method
        if not (exact_method or (rule_method == "*" and method != "WS")):
            continue
        if not (path == prefix or (prefix.endswith("/") and path.startswith(prefix))):
            continue
        rank = (len(prefix), int(exact_method))
        if best is None or rank > best[:2]:
            best = (*rank, access)
    return best[2] if best else None


def annotate(app: FastAPI) -> None:
    """Write each operation's rule into the OpenAPI document (``x-role``); none if it has none."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            for path, operations in schema.get("paths", {}).items():
                for method, operation in operations.items():
                    rule = rule_for(method.upper(), path)
                    if rule is not None and isinstance(operation, dict):
                        operation[ROLE_EXTENSION] = str(rule)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _routes(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    for route in routes:
        inner = getattr(route, "original_router", None)  # FastAPI's included routers
        if inner is not None:
            yield from _routes(inner.routes)
        else:
            yield route


def websocket_rules(app: FastAPI) -> dict[str, Access | None]:
    """Every WebSocket path with its rule (None: no rule, which the matrix test refuses)."""
    return {
        r.path: rule_for("WS", r.path)
        for r in _routes(app.routes)
        if isinstance(r, APIWebSocketRoute | WebSocketRoute)
    }
