"""Property-based fuzzing of every documented operation: whatever is sent, the answer is never a 500."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from relaydesk.api.app import create_app
from relaydesk.services.runtime import Runtime
from relaydesk.testing import make_agent, make_workspace


def test_no_operation_answers_with_a_server_error(runtime: Runtime) -> None:
    workspace = make_workspace(runtime.store, slug="fuzz")
    agent = make_agent(runtime.store, workspace)
    started = runtime.desk.start_conversation("fuzz")
    headers = {**agent.headers, "X-Conversation-Token": started.token}
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(runtime=runtime))
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        )
        def never_a_server_error(case) -> None:  # type: ignore[no-untyped-def]
            response = case.call(headers=headers)
            assert response.status_code < 500, (case.method, case.path, response.text[:300])
            if response.status_code >= 400:
                content_type = response.headers["content-type"]
                content_type = content_type[0] if isinstance(content_type, list) else content_type
                assert content_type.startswith("application/problem+json"), (case.path, response.status_code)

        never_a_server_error()
        checked.append(operation.label)
    assert len(checked) >= 12
