"""ui_speed: the agent console in a real browser with a full desk.

With 1,000 conversations waiting in the queue and 50 agents online (each busy with one
conversation), on SQLite, served by the real app under uvicorn and opened in Debian's Chromium
through Playwright:

- ``first_paint_ms``: from the console's navigation start to the queue list showing its first
  conversation (the first meaningful paint for an agent), with the agent's key already given; the
  median of 5 loads.
- ``delivery_p50_ms`` / ``delivery_p95_ms``: from a customer's message being posted (HTTP, the
  customer API) to its text appearing in the agent's open conversation in the console, over 200
  messages posted one after another; measured in the browser (a MutationObserver stamps the time
  each text appears; page and script share the machine's clock).

Targets (issue 17): first paint <= 1,000 ms, delivery p95 <= 300 ms.
Run: ``.venv/bin/python benchmarks/ui_speed.py`` (about 3 minutes).
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import progress, report  # noqa: E402

WORKSPACE = "uispeed"
OBSERVER = """
() => {
  window.__seen = {};
  const list = document.getElementById("transcript");
  new MutationObserver(() => {
    for (const node of list.querySelectorAll("li")) {
      const match = (node.textContent || "").match(/bench-(\\d+)-end/);
      if (match && !(match[1] in window.__seen)) window.__seen[match[1]] = Date.now();
    }
  }).observe(list, { childList: true, subtree: true, characterData: true });
}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queued", type=int, default=1000)
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("chromium is not installed (scripts/install-system-deps.sh installs it)")

    import httpx
    import uvicorn
    from playwright.sync_api import sync_playwright

    from relaydesk.api.app import create_app
    from relaydesk.domain.models import AgentStatus
    from relaydesk.services.runtime import build_runtime
    from relaydesk.settings import Settings
    from relaydesk.testing import make_agent

    work = Path(tempfile.mkdtemp(prefix="ui_speed-"))
    settings = Settings(  # type: ignore[call-arg]
        database_url=f"sqlite:///{work}/ui.db",
        data_dir=work,
        recovery_interval_s=0,
        routing_sweep_s=0,
        _env_file=None,
    )
    runtime = build_runtime(settings)
    store = runtime.store
    workspace = store.create_workspace(WORKSPACE, "UI speed")
    agents = [
        make_agent(store, workspace, name=f"Agent {n:02d}", capacity=1, status=AgentStatus.AWAY)
        for n in range(args.agents)
    ]
    progress(f"escalating {args.queued + args.agents} conversations (nobody online yet)")
    started = time.perf_counter()
    conversations = []
    tokens = {}
    for n in range(args.queued + args.agents):
        begun = runtime.desk.start_conversation(WORKSPACE, external_id=f"cust-{n}", name=f"Customer {n}")
        runtime.desk.post_customer_message(begun.conversation.id, "I want to talk to a person about my order")
        conversations.append(begun.conversation.id)
        tokens[begun.conversation.id] = begun.token
        if n % 200 == 199:
            progress(f"  {n + 1} escalated ({time.perf_counter() - started:.0f} s)")
    for agent, conversation_id in zip(agents, conversations[: args.agents], strict=True):
        runtime.desk.claim(agent.agent, conversation_id)  # each agent busy with one
        store.set_agent_status(agent.agent.id, AgentStatus.ONLINE)
    bench = agents[0]
    open_conversation = conversations[0]
    queued = len(store.queue(workspace.id, limit=10 * args.queued))
    progress(f"queue holds {queued} conversations, {args.agents} agents online")

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(runtime=runtime), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    base = f"http://127.0.0.1:{port}"
    token = tokens[open_conversation]
    with httpx.Client(base_url=base, timeout=120) as http:
        for path in ("/v1/agent/queue", "/v1/agent/conversations", "/v1/governance/approvals?mine=true"):
            begun = time.perf_counter()
            answer = http.get(path, headers=bench.headers)
            progress(f"  GET {path}: {answer.status_code}, {(time.perf_counter() - begun) * 1000:.0f} ms")

    result: dict[str, Any] = {"queued": queued, "agents_online": args.agents, "messages": args.messages}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.add_init_script(f"sessionStorage.setItem('relaydesk.agentKey', {bench.api_key!r})")
        page = context.new_page()
        paints = []
        logs: list[str] = []
        page.on("console", lambda m: logs.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: logs.append(f"error: {e}"))
        for n in range(args.loads):
            page.goto(f"{base}/console")
            try:
                page.wait_for_selector("#queue li", timeout=30000)
            except Exception:
                page.screenshot(path="/tmp/ui_speed_failure.png")
                progress("the queue never showed; browser log:\n" + "\n".join(logs[-20:]))
                raise
            paints.append(float(page.evaluate("() => performance.now()")))
            progress(f"  load {n + 1}: queue shown after {paints[-1]:.0f} ms")
        result["first_paint_ms"] = round(statistics.median(paints), 1)

        page.click(f"#mine [data-id='{open_conversation}']")
        page.wait_for_selector("#transcript li", timeout=30000)
        page.evaluate(OBSERVER)
        delays = []
        with httpx.Client(base_url=base) as http:
            headers = {"X-Conversation-Token": token}
            for n in range(args.messages):
                sent = time.time() * 1000.0
                r = http.post(
                    f"/v1/conversations/{open_conversation}/messages",
                    headers=headers,
                    json={"text": f"bench-{n}-end"},
                )
                r.raise_for_status()
                page.wait_for_function(f"() => '{n}' in window.__seen", timeout=30000)
                delays.append(float(page.evaluate(f"() => window.__seen['{n}']")) - sent)
        delays.sort()
        result["delivery_p50_ms"] = round(statistics.median(delays), 1)
        result["delivery_p95_ms"] = round(delays[int(0.95 * (len(delays) - 1))], 1)
        result["targets"] = {"first_paint_ms": "<= 1000", "delivery_p95_ms": "<= 300"}
        result["met"] = result["first_paint_ms"] <= 1000 and result["delivery_p95_ms"] <= 300
        browser.close()
    server.should_exit = True
    thread.join(timeout=10)
    runtime.close()
    shutil.rmtree(work, ignore_errors=True)
    report("ui_speed", result)


if __name__ == "__main__":
    main()
