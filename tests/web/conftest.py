"""Pages tested in a real browser: Debian's Chromium driven by Playwright (launched with Chromium's
own executable, so Playwright downloads nothing), against the real app on a live server with the
demo store. Shared here: the browser, a demo-seeded live server, accessibility checks with axe-core
(from npm, web/node_modules) and screenshots saved under ``var/screenshots`` for people to look at."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from relaydesk.services.runtime import Runtime
from tests.conftest import LiveServer

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        if os.environ.get("RELAYDESK_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is not installed; scripts/install-system-deps.sh installs it")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def demo_server(runtime: Runtime, live_server: LiveServer) -> LiveServer:
    """A live server whose runtime holds the demo team, store and help center."""
    from relaydesk.demo.seed import seed_demo

    seed_demo(runtime)
    return live_server


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    opened = context.new_page()
    yield opened
    context.close()


def watch_dialogs(page: Any) -> list[str]:
    """The messages of every alert, confirm or prompt the page opens (each is dismissed): an
    injected script that ran would show up here."""
    dialogs: list[str] = []

    def seen(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", seen)
    return dialogs


def check_accessibility(page: Any, *, skip: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """axe-core on the page as it is now; the serious and critical violations (empty is good).
    ``skip``: axe rule ids not to run, each with its reason at the call."""
    page.add_script_tag(path=str(AXE))
    rules = {rule: {"enabled": False} for rule in skip}
    result = page.evaluate(
        "async (rules) => await axe.run(document, {resultTypes: ['violations'], rules})", rules
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def screenshot(page: Any, name: str) -> None:
    """Save the page at both viewports as ``var/screenshots/NAME-desktop.png`` and ``-phone.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for label, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    if size:
        page.set_viewport_size(size)
