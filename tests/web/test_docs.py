"""/docs renders the API reference from the app's own assets: no request leaves the machine."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import LiveServer
from tests.web.conftest import check_accessibility, screenshot


def test_the_api_reference_renders_offline(page: Any, live_server: LiveServer) -> None:
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith(live_server.base_url) and not r.url.startswith("data:")
            else None
        ),
    )
    page.goto(f"{live_server.base_url}/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15000)
    assert "relaydesk" in page.inner_text(".swagger-ui .info .title")
    assert page.locator(".opblock").count() > 10  # the operations are listed
    assert outside == []
    screenshot(page, "docs")
    # Swagger UI (third-party markup) puts a copy button inside each operation's summary button;
    # that one rule is not checked here. Contrast is fixed by static/docs.css.
    problems = check_accessibility(page, skip=("nested-interactive",))
    assert problems == [], json.dumps(problems, indent=1)
