"""End-to-end load: customers on loopback through the full AI path, their WebSockets open.

A real client (httpx + websockets, asyncio) drives a real ``relaydesk serve`` process. Each
customer starts a conversation (``POST /v1/conversations``), opens its WebSocket and asks three
routine questions that the AI answers from the bundled help center (the workspace is set up with
the CLI, as in message_path_cost.py); an answer counts when the POST returns 201 with an AI reply.
The server runs with rate limits off (every customer comes from one loopback address) and its
default in-flight limit: a message refused with 503 is sent again after ``Retry-After`` by the
closed-loop customers (its latency counts from the first try) and counted, not timed, in the open
loop. ``open_customer_stream`` is the one place that knows how a stream authenticates.

* ``msg_per_s_sqlite``: closed loop, increasing concurrency, embedded SQLite (one process): the
  best level's median rate over three windows; ``msg_per_s_pg_2w`` / ``_4w``: the same on
  PostgreSQL (fsync on, a throwaway cluster) + Redis with 2 and 4 worker processes.
* ``p50/p95/p99_ms_at_50``: open loop on SQLite, 50 messages/s arriving on schedule, latency from
  the scheduled time to the response (so a slow server cannot hide queueing).
* ``triage_bound_per_s``: the same message texts through the triage in this process, at the
  concurrency of the best SQLite level, with the server's batching embedder; ``ratio_to_triage_bound``.
* ``idle_websockets`` / ``websocket_rss_mb``: one fresh server process holding 10,000 customer
  WebSockets, its resident memory from /proc; a sample of them must each receive their events.
* ``overload_*`` / ``burst_*``: backpressure. Closed loop far above capacity for ``--overload-s``
  (RSS sampled), and 500 messages at once (201 vs 503, time to the first answer), from httpx and
  again from a raw-socket client that writes all 500 in a few milliseconds (``burst_500_raw``:
  how soon the server's 503s come back, without the client's own cost).

    .venv/bin/python benchmarks/load_e2e.py [--quick] [--no-postgres] [--sockets 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import progress, report  # noqa: E402
from benchmarks.message_path_cost import WORKSPACE, cli_env, code_label, setup_workspace  # noqa: E402

QUESTIONS = (  # routine questions the knowledge responder answers from the bundled help center
    "how do I reset my password",
    "how long does shipping take",
    "how do I use a discount code",
    "what is your warranty",
    "how do I change my shipping address",
)
TARGETS = {
    "msg_per_s_sqlite": 150,
    "ratio_to_triage_bound": 0.8,
    "p99_ms_at_50": 100,
    "websocket_rss_mb": 1024,
}


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def is_ai_answer(frame: dict[str, Any]) -> bool:
    """A stream frame announcing an AI reply."""
    return frame.get("event") == "message.created" and frame.get("data", {}).get("role") == "ai"


# -- the server ------------------------------------------------------------------------------------
class Server:
    """``relaydesk serve`` in a subprocess (its log in a file), ready when /healthz says so."""

    def __init__(self, env: dict[str, str], cwd: Path, workers: int = 1, extra: dict[str, str] | None = None):
        from tests.pg_cluster import free_port

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(cwd / f"serve-{self.port}.log", "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "relaydesk", "serve", "--port", str(self.port), "--workers", str(workers)],
            env={**env, **(extra or {})},
            cwd=cwd,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 180.0) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"relaydesk serve exited with {self.process.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.base}/healthz", timeout=2).json().get("status") == "ready":
                    return
            time.sleep(0.3)
        raise RuntimeError("relaydesk serve did not get ready")

    def rss_mb(self) -> float:
        """Resident memory of the serving process (VmRSS from /proc)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024.0, 1)
        return float("nan")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


# -- the client ------------------------------------------------------------------------------------
async def open_customer_stream(base: str, conversation_id: str, token: str) -> Any:
    """The customer's WebSocket, authenticated (the one place that knows how: a first frame
    ``{"type": "auth", "token": ...}``, as the widget sends it; no credential in the URL)."""
    from websockets.asyncio.client import connect

    url = f"{base.replace('http', 'ws', 1)}/v1/conversations/{conversation_id}/stream"
    ws = await connect(url, ping_interval=None, max_queue=None, open_timeout=60)
    await ws.send(json.dumps({"type": "auth", "token": token}))
    first = json.loads(await ws.recv())
    if first.get("type") != "snapshot":
        await ws.close()
        raise RuntimeError(f"the stream answered {first}")
    return ws


@dataclass
class Customer:
    id: str
    token: str
    ws: Any = None
    events: list[dict[str, Any]] = field(default_factory=list)
    reader: asyncio.Task[None] | None = None
    sent: int = 0
    answered: int = 0

    async def follow(self, base: str) -> None:
        self.ws = await open_customer_stream(base, self.id, self.token)
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        with contextlib.suppress(Exception):
            async for frame in self.ws:
                self.events.append(json.loads(frame))

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()
        if self.reader is not None:
            self.reader.cancel()


class Client:
    def __init__(self, base: str, connections: int) -> None:
        import httpx

        self.base = base
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        self.http = httpx.AsyncClient(base_url=base, limits=limits, timeout=60)
        self.retried = 0

    async def _post(self, url: str, **kwargs: Any) -> Any:
        """A POST, sent again when the connection broke (a kept-alive connection the server
        closed meanwhile): starts are harmless twice, and messages carry an idempotency key."""
        import httpx

        for attempt in range(3):
            try:
                return await self.http.post(url, **kwargs)
            except (httpx.NetworkError, httpx.RemoteProtocolError):
                if attempt == 2:
                    raise
                self.retried += 1
        raise AssertionError("unreachable")

    async def customer(self, follow: bool = True) -> Customer:
        r = await self._post("/v1/conversations", json={"workspace": WORKSPACE})
        r.raise_for_status()
        body = r.json()
        customer = Customer(body["conversation"]["id"], body["token"])
        if follow:
            await customer.follow(self.base)
        return customer

    async def ask(self, customer: Customer, text: str, timeout: float = 60) -> tuple[int, bool]:
        """POST one message; (status, answered by the AI in the response)."""
        customer.sent += 1
        r = await self._post(
            f"/v1/conversations/{customer.id}/messages",
            json={"text": text, "idempotency_key": f"{customer.id}-{customer.sent}"},
            headers={"X-Conversation-Token": customer.token},
            timeout=timeout,
        )
        if r.status_code != 201:
            return r.status_code, False
        return 201, any(m["role"] == "ai" for m in r.json()["replies"])


# -- phases ------------------------------------------------------------------------------------------
async def closed_loop(base: str, concurrency: int, windows: int, window_s: float) -> dict[str, Any]:
    """``concurrency`` customers, each: start, open the stream, ask three questions, again."""
    client = Client(base, concurrency + 8)
    done: list[tuple[float, float, bool]] = []  # (finished at, latency ms, answered)
    stop = asyncio.Event()

    errors: list[str] = []
    refused = [0]

    async def customer_loop(n: int) -> None:
        rng = random.Random(n)
        while not stop.is_set():
            try:
                customer = await client.customer()
                for text in rng.sample(QUESTIONS, 3):
                    if stop.is_set():
                        break
                    started = time.perf_counter()
                    status, answered = await client.ask(customer, text)
                    while status == 503 and not stop.is_set():  # refused, nothing stored: as told
                        refused[0] += 1
                        customer.sent -= 1  # the same message, with its key, after Retry-After
                        await asyncio.sleep(1.0)
                        status, answered = await client.ask(customer, text)
                    done.append((time.perf_counter(), (time.perf_counter() - started) * 1000, answered))
                await customer.close()
            except Exception as exc:  # counted and reported; the customer starts again
                errors.append(f"{type(exc).__name__}: {exc}"[:200])
                await asyncio.sleep(0.1)

    warm = 2.0
    tasks = [asyncio.create_task(customer_loop(n)) for n in range(concurrency)]
    start = time.perf_counter() + warm
    await asyncio.sleep(warm + windows * window_s)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    await client.http.aclose()
    rates = []
    for w in range(windows):
        lo, hi = start + w * window_s, start + (w + 1) * window_s
        rates.append(sum(1 for t, _, ok in done if lo <= t < hi and ok) / window_s)
    measured = [(ms, ok) for t, ms, ok in done if t >= start]
    latencies = [ms for ms, _ in measured]
    return {
        "concurrency": concurrency,
        "msg_per_s": round(statistics.median(rates), 1),
        "window_rates": [round(r, 1) for r in rates],
        "p50_ms": percentile(latencies, 0.5),
        "p99_ms": percentile(latencies, 0.99),
        "not_answered": sum(1 for _, ok in measured if not ok),
        "refused_503": refused[0],
        "client_errors": len(errors),
        **({"first_error": errors[0]} if errors else {}),
    }


async def saturation(
    base: str, levels: list[int], windows: int, window_s: float, label: str
) -> dict[str, Any]:
    rows = []
    for level in levels:
        row = await closed_loop(base, level, windows, window_s)
        progress(f"  {label} concurrency {level}: {row['msg_per_s']} msg/s (p99 {row['p99_ms']} ms)")
        rows.append(row)
    best = max(rows, key=lambda r: r["msg_per_s"])
    return {"best": best["msg_per_s"], "best_concurrency": best["concurrency"], "levels": rows}


async def open_loop(base: str, rate: float, seconds: float) -> dict[str, Any]:
    """Messages arriving on a fixed schedule, each from a customer with an open stream."""
    count = int(rate * seconds)
    client = Client(base, 256)
    pool = [await client.customer() for _ in range(count // 3 + 40)]
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    stream_missing = 0
    idle = collections.deque(pool)

    async def one(at: float, customer: Customer, text: str) -> None:
        status, answered = await client.ask(customer, text)
        if answered:  # a 503 (refused at once, past the in-flight limit) is counted, not timed
            latencies.append((time.perf_counter() - at) * 1000)
            customer.answered += 1
        key = "answered" if answered else str(status)
        statuses[key] = statuses.get(key, 0) + 1
        if customer.sent < 3:
            idle.append(customer)

    t0 = time.perf_counter() + 0.5
    tasks = []
    for i in range(count):
        at = t0 + i / rate
        await asyncio.sleep(max(0.0, at - time.perf_counter()))
        if not idle:  # every customer has a question out: a new one arrives (its start counts)
            pool.append(await client.customer())
            idle.append(pool[-1])
        tasks.append(asyncio.create_task(one(at, idle.popleft(), QUESTIONS[i % len(QUESTIONS)])))
    await asyncio.gather(*tasks)
    await asyncio.sleep(0.5)
    for customer in pool:  # every AI answer also reached the customer's open stream
        ai_events = sum(1 for e in customer.events if is_ai_answer(e))
        stream_missing += max(0, customer.answered - ai_events)
        await customer.close()
    await client.http.aclose()
    return {
        "rate": rate,
        "messages": count,
        "statuses": statuses,
        "p50_ms": percentile(latencies, 0.5),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "ai_answers_missing_on_stream": stream_missing,
    }


def triage_bound(settings_env: dict[str, str], concurrency: int, seconds: float) -> dict[str, Any]:
    """The same texts through the server's triage (its batching embedder) in this process."""
    from relaydesk.services.wiring import build_triage
    from relaydesk.settings import Settings

    triage = build_triage(Settings(data_dir=Path(settings_env["RELAYDESK_DATA_DIR"]), _env_file=None))  # type: ignore[call-arg]
    for text in QUESTIONS * 4:
        triage.analyze(text, None)  # type: ignore[arg-type]
    counts = [0] * concurrency
    stop = threading.Event()

    def worker(n: int) -> None:
        while not stop.is_set():
            triage.analyze(QUESTIONS[(n + counts[n]) % len(QUESTIONS)], None)  # type: ignore[arg-type]
            counts[n] += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    before, started = sum(counts), time.perf_counter()
    time.sleep(seconds)
    rate = (sum(counts) - before) / (time.perf_counter() - started)
    stop.set()
    for t in threads:
        t.join()
    return {"per_s": round(rate, 1), "concurrency": concurrency}


async def idle_sockets(server: Server, sockets: int, sample: int) -> dict[str, Any]:
    client = Client(server.base, 64)
    progress(f"  starting {sockets} conversations")
    customers: list[Customer] = []
    for start in range(0, sockets, 64):
        customers += await asyncio.gather(
            *(client.customer(follow=False) for _ in range(min(64, sockets - start)))
        )
    rss_before = server.rss_mb()
    progress(f"  opening {sockets} customer WebSockets (server RSS before: {rss_before} MB)")
    for start in range(0, sockets, 200):
        await asyncio.gather(*(c.follow(server.base) for c in customers[start : start + 200]))
    await asyncio.sleep(5)
    samples = [server.rss_mb()]
    for _ in range(4):
        await asyncio.sleep(2)
        samples.append(server.rss_mb())
    progress(f"  {sockets} sockets open: server RSS {samples[-1]} MB; asking on {sample} of them")
    chosen = random.Random(7).sample(customers, sample)
    admitted = asyncio.Semaphore(8)

    async def ask(i: int, customer: Customer) -> None:
        async with admitted:
            while (await client.ask(customer, QUESTIONS[i % len(QUESTIONS)]))[0] == 503:
                customer.sent -= 1  # refused, nothing stored: the same message again after a while
                await asyncio.sleep(1.0)

    await asyncio.gather(*(ask(i, c) for i, c in enumerate(chosen)))
    deadline = time.monotonic() + 15
    received = 0
    while time.monotonic() < deadline:
        received = sum(1 for c in chosen if any(is_ai_answer(e) for e in c.events))
        if received == sample:
            break
        await asyncio.sleep(0.2)
    still_open = sum(1 for c in customers if c.reader is not None and not c.reader.done())
    for c in customers:
        await c.close()
    await client.http.aclose()
    return {
        "opened": len(customers),
        "still_open": still_open,
        "rss_mb_before_sockets": rss_before,
        "rss_mb": statistics.median(samples),
        "per_socket_kb": round((statistics.median(samples) - rss_before) * 1024 / max(1, sockets), 1),
        "sample": sample,
        "sample_received_event": received,
    }


async def overload(server: Server, concurrency: int, seconds: float) -> dict[str, Any]:
    """Far above capacity, retrying 50 ms after a 503 (ignoring Retry-After): memory must stay flat."""
    client = Client(server.base, concurrency + 8)
    counts = {"201": 0, "503": 0, "other": 0}
    reject_ms: list[float] = []
    rss: list[tuple[float, float]] = []
    stop = asyncio.Event()
    t0 = time.perf_counter()

    async def customer_loop(n: int) -> None:
        while not stop.is_set():
            customer = await client.customer(follow=False)
            for text in random.Random(n).sample(QUESTIONS, 3):
                while not stop.is_set():
                    started = time.perf_counter()
                    status, _ = await client.ask(customer, text)
                    counts[str(status) if status in (201, 503) else "other"] += 1
                    if status != 503:
                        break
                    reject_ms.append((time.perf_counter() - started) * 1000)
                    customer.sent -= 1  # the same message again, with its key
                    await asyncio.sleep(0.05)

    async def sampler() -> None:
        while not stop.is_set():
            rss.append((round(time.perf_counter() - t0, 1), server.rss_mb()))
            await asyncio.sleep(5)

    tasks = [asyncio.create_task(customer_loop(n)) for n in range(concurrency)] + [
        asyncio.create_task(sampler())
    ]
    await asyncio.sleep(seconds)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    await client.http.aclose()
    return {
        "concurrency": concurrency,
        "seconds": seconds,
        "statuses": counts,
        "answered_per_s": round(counts["201"] / seconds, 1),
        "rejected_p99_ms": percentile(reject_ms, 0.99),
        "rss_mb_samples": rss,
        "rss_mb_start": rss[1][1] if len(rss) > 1 else None,
        "rss_mb_end": rss[-1][1] if rss else None,
    }


async def burst(server: Server, size: int, timeout: float) -> dict[str, Any]:
    client = Client(server.base, size + 8)
    customers = []
    for start in range(0, size, 50):
        customers += await asyncio.gather(*(client.customer() for _ in range(min(50, size - start))))
    # every request of the burst on a connection already open, so the burst times the server
    await asyncio.gather(*(client.http.get("/openapi.json") for _ in range(size)))
    t0 = time.perf_counter()
    answered_at: list[float] = []
    rejected_at: list[float] = []
    rejected_ms: list[float] = []
    counts = {"201": 0, "503": 0, "other": 0}

    async def one(c: Customer, text: str) -> None:
        started = time.perf_counter()
        try:
            status, answered = await client.ask(c, text, timeout=timeout)
        except Exception:
            status, answered = 0, False
        at = (time.perf_counter() - t0) * 1000
        counts[str(status) if status in (201, 503) else "other"] += 1
        (answered_at if answered else rejected_at if status == 503 else []).append(at)
        if status == 503:
            rejected_ms.append((time.perf_counter() - started) * 1000)

    await asyncio.gather(*(one(c, QUESTIONS[i % len(QUESTIONS)]) for i, c in enumerate(customers)))
    for c in customers:
        await c.close()
    await client.http.aclose()
    return {
        "size": size,
        "client_timeout_s": timeout,
        "statuses": counts,
        "first_answer_ms": round(min(answered_at), 1) if answered_at else None,
        "last_answer_ms": round(max(answered_at), 1) if answered_at else None,
        "last_503_ms": round(max(rejected_at), 1) if rejected_at else None,
        "p50_ms_503": percentile(rejected_ms, 0.5),
        "connections_reopened": client.retried,
    }


async def burst_raw(server: Server, size: int) -> dict[str, Any]:
    """The same burst from a client that costs next to nothing: every request written ready-made
    on its own open connection in one go, each status line timed as it arrives. With httpx the
    client itself took about 1.5 s to send 500 requests on the same two cores (a server that let
    one message in at a time answered the 503s no sooner), so ``burst_500`` times the client as
    much as the server; this one times the server."""
    client = Client(server.base, 64)
    customers: list[Customer] = []
    for start in range(0, size, 50):
        customers += await asyncio.gather(
            *(client.customer(follow=False) for _ in range(min(50, size - start)))
        )
    await client.http.aclose()
    requests = []
    for i, c in enumerate(customers):
        body = json.dumps({"text": QUESTIONS[i % len(QUESTIONS)], "idempotency_key": f"{c.id}-raw"}).encode()
        head = (
            f"POST /v1/conversations/{c.id}/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/json\r\nX-Conversation-Token: {c.token}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        requests.append(head + body)
    connections = await asyncio.gather(
        *(asyncio.open_connection("127.0.0.1", server.port) for _ in customers)
    )
    t0 = time.perf_counter()
    for (_, writer), request in zip(connections, requests, strict=True):
        writer.write(request)
    written_ms = (time.perf_counter() - t0) * 1000

    async def status(reader: asyncio.StreamReader) -> tuple[int, float]:
        line = await reader.readline()
        return int(line.split()[1]), (time.perf_counter() - t0) * 1000

    answers = await asyncio.gather(*(status(reader) for reader, _ in connections))
    for _, writer in connections:
        writer.close()
    refused = sorted(at for code, at in answers if code == 503)
    answered = sorted(at for code, at in answers if code == 201)
    return {
        "size": size,
        "written_ms": round(written_ms, 1),
        "statuses": dict(collections.Counter(str(code) for code, _ in answers)),
        "p50_ms_503": percentile(refused, 0.5),
        "last_503_ms": round(refused[-1], 1) if refused else None,
        "first_answer_ms": round(answered[0], 1) if answered else None,
    }


# -- the run ---------------------------------------------------------------------------------------
def start_postgres(work: Path) -> tuple[Any, str] | None:
    """A throwaway cluster as tests/pg_cluster.py starts one, but durable: fsync and synchronous
    commit on (the tests turn them off for speed; a deployment would not)."""
    try:
        from tests.pg_cluster import PostgresCluster, find_pg_bin
    except ImportError:
        return None
    bin_dir = find_pg_bin()
    if bin_dir is None:
        return None

    class DurablePostgres(PostgresCluster):
        def start(self) -> None:
            import shutil
            import socket

            if self._as_postgres:
                shutil.chown(self.root, "postgres", "postgres")
            self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
            options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=300"
            log = str(self.root / "log.txt")
            self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")
            socket.create_connection(("127.0.0.1", self.port), timeout=5).close()

    cluster = DurablePostgres(bin_dir)
    cluster.start()
    from sqlalchemy import create_engine, text

    admin = create_engine(cluster.url())
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("CREATE DATABASE load"))
        fsync = conn.execute(text("SHOW fsync")).scalar()
        sync = conn.execute(text("SHOW synchronous_commit")).scalar()
    admin.dispose()
    progress(f"PostgreSQL on port {cluster.port} (fsync {fsync}, synchronous_commit {sync})")
    return cluster, cluster.url("load")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter phases (about 4 minutes)")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--sockets", type=int, default=10_000)
    parser.add_argument("--overload-s", type=float, default=None, help="default 120 (30 with --quick)")
    parser.add_argument("--levels", default=None, help="closed-loop concurrency levels, e.g. 1,8,32")
    args = parser.parse_args()
    quick = args.quick
    window_s, windows = (3.0, 3) if quick else (4.0, 3)
    levels = (
        [int(x) for x in args.levels.split(",")] if args.levels else ([1, 8, 32] if quick else [1, 8, 16, 32])
    )
    overload_s = args.overload_s if args.overload_s is not None else (30.0 if quick else 120.0)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = (
        min(hard, max(soft, 2 * args.sockets + 2000))
        if hard != resource.RLIM_INFINITY
        else 2 * args.sockets + 2000
    )
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))  # the server inherits it too
    result: dict[str, Any] = {}
    notes: list[str] = []
    began = time.perf_counter()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="relaydesk-load-") as tmp:
        work = Path(tmp)
        env = cli_env(f"sqlite:///{work / 'load.db'}", work / "var")
        # one client address drives every customer: the per-address limits would refuse it
        env.update(RELAYDESK_RATE_LIMITS_ENABLED="false", RELAYDESK_ROUTING_SWEEP_S="0")
        progress("SQLite: a workspace, an agent and the help center (CLI)")
        setup_workspace(env["RELAYDESK_DATABASE_URL"], work / "var", work)
        server = Server(env, work)
        try:
            server.wait_ready()
            progress(f"SQLite, one process: closed loop at {levels}")
            sqlite = asyncio.run(saturation(server.base, levels, windows, window_s, "sqlite"))
            progress("SQLite: open loop at 50 msg/s")
            at50 = asyncio.run(open_loop(server.base, 50.0, 12.0 if quick else 20.0))
            progress(f"  p50 {at50['p50_ms']} ms, p99 {at50['p99_ms']} ms")
            progress(f"  overload: {4 * max(levels)} customers for {overload_s:.0f} s")
            over = asyncio.run(overload(server, 4 * max(levels), overload_s))
            progress(f"  overload {over['statuses']}, RSS {over['rss_mb_start']} -> {over['rss_mb_end']} MB")
            burst500 = asyncio.run(burst(server, 500, 5.0))
            progress(f"  burst of 500: {burst500}")
            raw500 = asyncio.run(burst_raw(server, 500))
            progress(f"  burst of 500, raw client: {raw500}")
        finally:
            server.stop()
        progress(f"triage alone at concurrency {sqlite['best_concurrency']}")
        bound = triage_bound(env, sqlite["best_concurrency"], 5.0 if quick else 8.0)
        progress(f"  {bound['per_s']} /s")
        server = Server(env, work)
        try:
            server.wait_ready()
            progress(f"idle WebSockets: {args.sockets} on one fresh server process")
            idle = asyncio.run(idle_sockets(server, args.sockets, 100))
        finally:
            server.stop()
        pg: dict[int, Any] = {}
        if args.no_postgres:
            notes.append("--no-postgres: the PostgreSQL fields are null")
        else:
            started_pg = start_postgres(work)
            from tests.redis_server import RedisServer

            if started_pg is None:
                notes.append("PostgreSQL is not installed: the PostgreSQL fields are null")
            else:
                cluster, pg_url = started_pg
                redis = RedisServer()
                redis.start()
                try:
                    pg_env = {**cli_env(pg_url, work / "var-pg"), "RELAYDESK_REDIS_URL": redis.url}
                    pg_env.update(RELAYDESK_RATE_LIMITS_ENABLED="false", RELAYDESK_ROUTING_SWEEP_S="0")
                    progress("PostgreSQL: setting up (CLI)")
                    setup_workspace(pg_url, work / "var-pg", work)
                    pg_levels = [lv for lv in levels if lv >= 8] or levels  # 1 customer: one worker's figure
                    for workers in (2, 4):
                        server = Server(pg_env, work, workers=workers)
                        try:
                            server.wait_ready()
                            asyncio.run(closed_loop(server.base, 4 * workers, 1, 4.0))  # every worker warm
                            pg[workers] = asyncio.run(
                                saturation(server.base, pg_levels, windows, window_s, f"pg {workers}w")
                            )
                        finally:
                            server.stop()
                finally:
                    redis.stop()
                    cluster.stop()
    ratio = round(sqlite["best"] / bound["per_s"], 3) if bound["per_s"] else None
    result.update(
        msg_per_s_sqlite=sqlite["best"],
        msg_per_s_pg_2w=pg[2]["best"] if 2 in pg else None,
        msg_per_s_pg_4w=pg[4]["best"] if 4 in pg else None,
        triage_bound_per_s=bound["per_s"],
        ratio_to_triage_bound=ratio,
        p50_ms_at_50=at50["p50_ms"],
        p95_ms_at_50=at50["p95_ms"],
        p99_ms_at_50=at50["p99_ms"],
        idle_websockets=idle["still_open"] if idle["sample_received_event"] == idle["sample"] else None,
        websocket_rss_mb=idle["rss_mb"],
        overload_rss_mb_start=over["rss_mb_start"],
        overload_rss_mb_end=over["rss_mb_end"],
        burst_500_answered=burst500["statuses"]["201"],
        burst_500_rejected_503=burst500["statuses"]["503"],
        burst_500_first_answer_ms=burst500["first_answer_ms"],
        burst_500_raw_p50_ms_503=raw500["p50_ms_503"],
        burst_500_raw_last_503_ms=raw500["last_503_ms"],
        sqlite=sqlite,
        open_loop_50=at50,
        triage_bound=bound,
        idle=idle,
        overload=over,
        burst_500=burst500,
        burst_500_raw=raw500,
        postgres={f"{w}_workers": v for w, v in pg.items()},
    )
    checks = {
        "msg_per_s_sqlite": (result["msg_per_s_sqlite"], ">="),
        "ratio_to_triage_bound": (ratio, ">="),
        "p99_ms_at_50": (result["p99_ms_at_50"], "<="),
        "websocket_rss_mb": (result["websocket_rss_mb"], "<="),
    }
    missed = []
    for name, (value, how) in checks.items():
        target = TARGETS[name]
        if value is None or (value < target if how == ">=" else value > target):
            missed.append(f"{name} {value} misses the target {how} {target}")
    if idle["sample_received_event"] != idle["sample"] or idle["still_open"] < args.sockets:
        missed.append(
            f"idle sockets: {idle['still_open']} of {args.sockets} open, {idle['sample_received_event']} of "
            f"{idle['sample']} sampled received their events"
        )
    notes.extend(missed or ["every target met"])
    refused_at_50 = at50["statuses"].get("503", 0)
    if refused_at_50:
        notes.append(
            f"at 50 msg/s {refused_at_50} of {at50['messages']} messages were refused with 503 (past the "
            "in-flight limit): the percentiles are of the answered ones"
        )
    notes.append(
        "client and server share the machine's cores (loopback); the PostgreSQL cluster runs with fsync on"
    )
    result["targets"] = TARGETS
    result["notes"] = notes
    result["load_average_before"] = [round(x, 2) for x in load_before]
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    result["quick"] = quick
    result["code"] = code_label()
    result["seconds"] = round(time.perf_counter() - began, 1)
    report("load_e2e", result)


if __name__ == "__main__":
    main()
