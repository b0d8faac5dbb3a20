"""Start-up: seconds from launching ``relaydesk serve`` to its first HTTP answer, to ready, and to
the first customer message answered.

Each run launches ``relaydesk serve`` (the installed command, a new process) in a new temporary
directory with ``RELAYDESK_DATABASE_URL`` on a SQLite file there and ``RELAYDESK_DATA_DIR`` in it
(so no model cache from an earlier run), and polls ``GET /healthz`` every 50 ms:

* ``first_answer_s``: launch to the first HTTP response of any status;
* ``ready_s``: launch to the first ``/healthz`` whose JSON says ``"status": "ready"`` (the code
  before issue 13 answers ``"ok"`` once it answers at all; that counts as ready).

Both are medians of ``--runs`` launches on an empty SQLite file (a file of 0 bytes). A customer
message needs a workspace, so ``answered_s`` comes from a second set of ``--runs`` launches on a
SQLite file where ``relaydesk workspace create`` made one before launch (untimed): from launch, a
client tries every 50 ms to start a conversation and post "where is my order"; ``answered_s`` is
the moment that message has a reply (in the POST's answer, or read back from the conversation's
history when the answer follows the acknowledgement). Those launches also give
``first_answer_s_with_workspace`` and ``ready_s_with_workspace``.

Every launch above has its own empty data directory, so the intent model that triage trains on
first use (and caches under the data directory) is trained during start-up, as on a newcomer's
first ``serve``. ``first_answer_s_warm`` and ``ready_s_warm`` are the same as the headline figures
with a data directory that one earlier, uncounted launch filled: the start of a server that has run
before. Every run's figures (and the /healthz statuses it saw) are kept in ``runs``.

    .venv/bin/python benchmarks/startup.py [--runs 5] [--no-answered] [--no-warm]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import progress, report  # noqa: E402

POLL_S = 0.05
LIMIT_S = 240.0
WORKSPACE = "startup"


def relaydesk_command() -> list[str]:
    return [sys.executable, "-m", "relaydesk"]


def server_env(url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELAYDESK_")}
    env.update(
        RELAYDESK_DATABASE_URL=url,
        RELAYDESK_DATA_DIR=str(data_dir),
        COLUMNS="400",
        PYTHONPATH=os.pathsep.join(p for p in sys.path if p and Path(p, "relaydesk").is_dir()),
    )
    return env


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def health_poller(base: str, launched: float, out: dict[str, Any], done: threading.Event) -> None:
    import httpx

    with httpx.Client(base_url=base, timeout=2.0) as client:
        while not done.is_set() and time.perf_counter() - launched < LIMIT_S:
            try:
                response = client.get("/healthz")
            except httpx.HTTPError:
                time.sleep(POLL_S)
                continue
            now = time.perf_counter() - launched
            out.setdefault("first_answer_s", now)
            status = None
            try:
                body = response.json()
                status = body.get("status") if isinstance(body, dict) else None
            except ValueError:
                pass
            out.setdefault("statuses", [])
            if not out["statuses"] or out["statuses"][-1] != f"{response.status_code} {status}":
                out["statuses"].append(f"{response.status_code} {status}")
            if response.status_code == 200 and status in ("ready", "ok"):
                out["ready_s"] = now
                return
            time.sleep(POLL_S)


def answer_poller(base: str, launched: float, out: dict[str, Any], done: threading.Event) -> None:
    import httpx

    with httpx.Client(base_url=base, timeout=30.0) as client:
        conversation: tuple[str, str] | None = None
        posted = False
        while not done.is_set() and time.perf_counter() - launched < LIMIT_S:
            try:
                if conversation is None:
                    r = client.post("/v1/conversations", json={"workspace": WORKSPACE})
                    if r.status_code // 100 != 2:
                        out.setdefault("answer_errors", []).append(r.status_code)
                        time.sleep(POLL_S)
                        continue
                    body = r.json()
                    conversation = (body["conversation"]["id"], body["token"])
                cid, token = conversation
                headers = {"X-Conversation-Token": token, "Idempotency-Key": "startup-1"}
                if not posted:
                    r = client.post(
                        f"/v1/conversations/{cid}/messages",
                        json={"text": "where is my order"},
                        headers=headers,
                    )
                    if r.status_code // 100 != 2:
                        out.setdefault("answer_errors", []).append(r.status_code)
                        time.sleep(POLL_S)
                        continue
                    posted = True
                    if r.json().get("replies"):
                        out["answered_s"] = time.perf_counter() - launched
                        return
                r = client.get(f"/v1/conversations/{cid}/messages", headers=headers)
                if r.status_code == 200 and any(m.get("role") in ("ai", "system") for m in r.json()):
                    out["answered_s"] = time.perf_counter() - launched
                    return
            except httpx.HTTPError:
                pass
            time.sleep(POLL_S)


def one_run(with_workspace: bool, data_dir: Path | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="relaydesk-startup-") as tmp:
        work = Path(tmp)
        db = work / "relaydesk.db"
        url = f"sqlite:///{db}"
        env = server_env(url, data_dir or work / "var")
        if with_workspace:
            subprocess.run(
                [*relaydesk_command(), "workspace", "create", WORKSPACE, "Start-up"],
                env=env,
                cwd=work,
                check=True,
                capture_output=True,
            )
        else:
            db.touch()  # an empty SQLite file
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        out: dict[str, Any] = {}
        done = threading.Event()
        log = (work / "serve.log").open("wb")
        launched = time.perf_counter()
        process = subprocess.Popen(
            [*relaydesk_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=work,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        threads = [threading.Thread(target=health_poller, args=(base, launched, out, done))]
        if with_workspace:
            threads.append(threading.Thread(target=answer_poller, args=(base, launched, out, done)))
        for t in threads:
            t.start()
        try:
            for t in threads:
                while t.is_alive():
                    t.join(timeout=0.5)
                    if process.poll() is not None:
                        done.set()
        finally:
            done.set()
            stop(process)
            log.close()
        if "ready_s" not in out or (with_workspace and "answered_s" not in out):
            tail = (work / "serve.log").read_text(errors="replace")[-2000:]
            progress(f"  the server did not get there (exit {process.returncode}); log tail:\n{tail}")
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in out.items()}


def median(runs: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return round(statistics.median(values), 3) if len(values) == len(runs) and values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-answered", action="store_true", help="skip the launches with a workspace")
    parser.add_argument("--no-warm", action="store_true", help="skip the launches with a warm model cache")
    args = parser.parse_args()

    empty: list[dict[str, Any]] = []
    for i in range(args.runs):
        empty.append(one_run(with_workspace=False))
        progress(f"empty SQLite file, run {i + 1}/{args.runs}: {empty[-1]}")
    prepared: list[dict[str, Any]] = []
    if not args.no_answered:
        for i in range(args.runs):
            prepared.append(one_run(with_workspace=True))
            progress(f"with a workspace, run {i + 1}/{args.runs}: {prepared[-1]}")
    warm: list[dict[str, Any]] = []
    if not args.no_warm:
        with tempfile.TemporaryDirectory(prefix="relaydesk-startup-cache-") as cache:
            progress("filling a model cache (one launch, not counted)")
            one_run(with_workspace=False, data_dir=Path(cache))
            for i in range(args.runs):
                warm.append(one_run(with_workspace=False, data_dir=Path(cache)))
                progress(f"empty SQLite file, warm model cache, run {i + 1}/{args.runs}: {warm[-1]}")

    result: dict[str, Any] = {
        "first_answer_s": median(empty, "first_answer_s"),
        "ready_s": median(empty, "ready_s"),
        "answered_s": median(prepared, "answered_s") if prepared else None,
        "first_answer_s_with_workspace": median(prepared, "first_answer_s") if prepared else None,
        "ready_s_with_workspace": median(prepared, "ready_s") if prepared else None,
        "first_answer_s_warm": median(warm, "first_answer_s") if warm else None,
        "ready_s_warm": median(warm, "ready_s") if warm else None,
        "runs": {"empty_sqlite_file": empty, "with_workspace": prepared, "warm_model_cache": warm},
        "targets": "first_answer_s <= 3 (issue 13); healthz says starting, then ready",
    }
    notes = []
    if any("ready_s" not in r for r in empty + prepared + warm):
        notes.append(f"some launches never became ready within {LIMIT_S:.0f} s; their medians are null")
    if not prepared:
        notes.append("answered_s not measured (--no-answered)")
    if notes:
        result["notes"] = notes
    report("startup", result)


if __name__ == "__main__":
    main()
