"""Start-up: the server answers at once and says "starting" until the models (and any start-up
task) are in, then "ready"; a message sent meanwhile is stored at once and answered when ready."""

from __future__ import annotations

import threading
from typing import Any

from fastapi.testclient import TestClient

from relaydesk.api.app import create_app
from relaydesk.services.context import CapabilitySlot
from relaydesk.services.runtime import build_runtime
from relaydesk.settings import Settings
from relaydesk.testing import make_workspace


def test_healthz_says_starting_until_the_models_and_start_up_tasks_are_in(settings: Settings) -> None:
    runtime = build_runtime(settings, background=True)
    try:
        runtime.hold_ready("demo data")
        make_workspace(runtime.store, slug="early")
        with TestClient(create_app(runtime=runtime)) as client:
            starting = client.get("/healthz")
            assert starting.status_code == 200 and starting.json()["status"] == "starting"
            assert "demo data" in starting.json()["waiting_for"]
            started = client.post("/v1/conversations", json={"workspace": "early"}).json()
            posted: list[Any] = []

            def post() -> None:  # a customer who writes before the demo's data is in
                posted.append(
                    client.post(
                        f"/v1/conversations/{started['conversation']['id']}/messages",
                        headers={"X-Conversation-Token": started["token"]},
                        json={"text": "hello there"},
                    )
                )

            writer = threading.Thread(target=post)
            writer.start()
            runtime.loaded_capabilities()  # the models are in; the start-up task still holds
            assert client.get("/healthz").json()["waiting_for"] == ["demo data"]
            assert writer.is_alive()  # the message waits for readiness, not answered half-ready
            runtime.release_ready("demo data")
            writer.join(60)
            assert posted[0].status_code == 201 and posted[0].json()["replies"]
            assert client.get("/healthz").json() == {"status": "ready", "database": "ok"}
    finally:
        runtime.close()


def test_a_server_whose_models_failed_to_load_says_so(settings: Settings) -> None:
    runtime = build_runtime(settings, background=True)
    try:
        runtime.loaded_capabilities()
        failed = CapabilitySlot(timeout_s=5)  # as when loading the models failed
        failed.fail(RuntimeError("model file is corrupt"))
        runtime.context.slot = failed
        make_workspace(runtime.store, slug="broken")
        with TestClient(create_app(runtime=runtime), raise_server_exceptions=False) as client:
            health = client.get("/healthz")
            assert health.status_code == 503 and health.json()["status"] == "failed"
            started = client.post("/v1/conversations", json={"workspace": "broken"}).json()
            posted = client.post(
                f"/v1/conversations/{started['conversation']['id']}/messages",
                headers={"X-Conversation-Token": started["token"]},
                json={"text": "where is my order?"},
            )
            # Stored and acknowledged; the answer follows once the server can give one.
            assert posted.status_code == 201 and posted.json()["answer_pending"] is True
    finally:
        runtime.close()
