"""Message path cost: database transactions, SQL statements and store calls for one customer
message, answered by the AI or escalated to a person.

In-process, through the public entry points only: a workspace with the bundled help center
(``relaydesk kb add``) and one online agent (``relaydesk agent add``) is set up with the CLI on a
fresh SQLite file, then ``relaydesk.services.runtime.build_runtime(Settings(...))`` builds the
runtime and ``runtime.desk.start_conversation`` opens conversations. What is counted is one
``runtime.desk.post_customer_message(...)`` call, from its start to its return, the storing of
the customer message included:

* ``answered``: a routine question (order status, password reset, returns, ...) that the AI
  answers from the help center; three per conversation, every one counted;
* ``escalated``: "I want to speak to a person" after one routine question: the conversation is
  queued and handed to the online agent.

Counting uses SQLAlchemy's events on every ``Engine`` (so a second engine on the same database is
counted too), restricted to the calling thread (statements other threads ran meanwhile are
reported apart as ``background_statements``):

* ``transactions``: ``commit`` plus ``rollback`` events (every transaction ends in one of them;
  a read that is closed without commit is a rollback); ``write_transactions`` are those in which an
  INSERT, UPDATE or DELETE ran;
* ``statements``: ``before_cursor_execute`` events, without BEGIN / COMMIT / ROLLBACK / SAVEPOINT
  (on SQLite the engine issues ``BEGIN IMMEDIATE`` itself through ``exec_driver_sql``);
* ``store_calls``: calls to public methods of ``runtime.store`` (when the runtime has one).

Figures are medians over ``--samples`` messages (after one untimed warm-up of each kind, so lazy
loading is not counted), with min and max beside them. With PostgreSQL installed the same is
measured on a throwaway cluster (``*_pg`` fields). When ``benchmarks/results/
message_path_cost_before.json`` exists (the same script run on the code before the message path
was rebuilt, ``--as-before``) it is included as ``before``.

    .venv/bin/python benchmarks/message_path_cost.py [--samples 7] [--no-postgres]
    .venv/bin/python benchmarks/message_path_cost.py --as-before   # writes message_path_cost_before.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import RESULTS, progress, report  # noqa: E402

HELPCENTER = ROOT / "src" / "relaydesk" / "demo" / "helpcenter"
WORKSPACE = "cost"
ROUTINE = (
    "where is my order",
    "how do I reset my password",
    "how long does shipping take",
    "can I return an item",
    "do you accept paypal",
    "how do I use a discount code",
    "what is your warranty",
    "how do I change my shipping address",
)
ESCALATE = "I want to speak to a person"
CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|END)\b", re.IGNORECASE)
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def cli(env: dict[str, str], cwd: Path, *args: str) -> str:
    """Run ``relaydesk ARGS`` (the project's own CLI) and return its output; raise on failure."""
    done = subprocess.run(
        [sys.executable, "-m", "relaydesk", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"relaydesk {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def cli_env(url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELAYDESK_")}
    env.update(
        RELAYDESK_DATABASE_URL=url,
        RELAYDESK_DATA_DIR=str(data_dir),
        COLUMNS="400",
        PYTHONPATH=os.pathsep.join(p for p in sys.path if p and Path(p, "relaydesk").is_dir()),
    )
    return env


class Counters:
    """Engine events of the measuring thread between ``start()`` and ``stop()``."""

    def __init__(self) -> None:
        self.active = False
        self.thread = 0
        self.counts: Counter[str] = Counter()
        self.open_writes: dict[int, bool] = {}
        self.background = 0

    def install(self) -> None:
        from sqlalchemy import Engine, event

        event.listen(Engine, "before_cursor_execute", self._statement)
        event.listen(Engine, "commit", self._commit)
        event.listen(Engine, "rollback", self._rollback)

    def start(self) -> None:
        self.counts = Counter()
        self.open_writes = {}
        self.background = 0
        self.thread = threading.get_ident()
        self.active = True

    def stop(self) -> Counter[str]:
        self.active = False
        return self.counts

    def _mine(self) -> bool:
        return self.active and threading.get_ident() == self.thread

    def _statement(self, conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if not self.active:
            return
        if threading.get_ident() != self.thread:
            self.background += 1
            return
        if CONTROL.match(statement):
            self.counts["control_statements"] += 1
            return
        self.counts["statements"] += 1
        if WRITE.match(statement):
            self.counts["write_statements"] += 1
            self.open_writes[id(conn)] = True

    def _end(self, conn, kind: str) -> None:  # type: ignore[no-untyped-def]
        if not self._mine():
            return
        self.counts["transactions"] += 1
        self.counts[kind] += 1
        if self.open_writes.pop(id(conn), False):
            self.counts["write_transactions"] += 1

    def _commit(self, conn) -> None:  # type: ignore[no-untyped-def]
        self._end(conn, "commits")

    def _rollback(self, conn) -> None:  # type: ignore[no-untyped-def]
        self._end(conn, "rollbacks")


def count_store_calls(store: Any) -> Counter[str]:
    """Wrap every public method of ``store`` (on the instance) with a counter of calls made from
    the measuring thread; returns the counter (cleared by the caller)."""
    calls: Counter[str] = Counter()
    if store is None:
        return calls
    for name in dir(type(store)):
        if name.startswith("_"):
            continue
        attr = getattr(type(store), name, None)
        if not callable(attr) or isinstance(attr, type):
            continue
        bound = getattr(store, name)

        def wrapper(*args: Any, __bound: Any = bound, __name: str = name, **kwargs: Any) -> Any:
            calls[__name] += 1
            return __bound(*args, **kwargs)

        with contextlib.suppress(AttributeError, TypeError):
            setattr(store, name, wrapper)
    return calls


def setup_workspace(url: str, data_dir: Path, cwd: Path) -> None:
    env = cli_env(url, data_dir)
    cli(env, cwd, "workspace", "create", WORKSPACE, "Message path cost")
    cli(
        env,
        cwd,
        "agent",
        "add",
        "--workspace",
        WORKSPACE,
        "--name",
        "Ada",
        "--email",
        "ada@cost.example",
        "--skills",
        "orders,returns,billing,account,shipping,escalations",
        "--capacity",
        "50",
    )
    cli(env, cwd, "kb", "add", str(HELPCENTER), "--workspace", WORKSPACE)


def measure(url: str, data_dir: Path, samples: int) -> dict[str, Any]:
    from relaydesk.services.runtime import build_runtime
    from relaydesk.settings import Settings

    settings = Settings(  # type: ignore[call-arg]
        database_url=url, data_dir=data_dir, routing_sweep_s=0, _env_file=None
    )
    runtime = build_runtime(settings)
    desk = runtime.desk
    counters = Counters()
    counters.install()
    calls = count_store_calls(getattr(runtime, "store", None))
    results: dict[str, list[dict[str, int]]] = {"answered": [], "escalated": []}
    responders: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    background = 0

    def post(conversation_id: str, text: str, key: str, kind: str | None) -> Any:
        nonlocal background
        calls.clear()
        counters.start()
        posted = desk.post_customer_message(conversation_id, text, idempotency_key=key)
        counts = counters.stop()
        background += counters.background
        if kind is not None:
            row = {k: counts.get(k, 0) for k in FIELDS}
            row["store_calls"] = sum(calls.values())
            results[kind].append(row)
        return posted

    try:
        for i in range(samples + 1):  # the first round warms up and is not counted
            counted = i > 0
            started = desk.start_conversation(WORKSPACE, external_id=f"answered-{i}")
            cid = started.conversation.id
            for j in range(3):
                text = ROUTINE[(i * 3 + j) % len(ROUTINE)]
                posted = post(cid, text, f"a{i}-{j}", "answered" if counted else None)
                ai = [m for m in posted.replies if str(m.role) == "ai"]
                responders[str((ai[0].metadata or {}).get("responder")) if ai else "no AI reply"] += 1
            started = desk.start_conversation(WORKSPACE, external_id=f"escalated-{i}")
            cid = started.conversation.id
            post(cid, ROUTINE[i % len(ROUTINE)], f"e{i}-0", None)
            posted = post(cid, ESCALATE, f"e{i}-1", "escalated" if counted else None)
            outcomes[str(posted.conversation.status)] += 1
            progress(f"  sample {i}/{samples}")
    finally:
        runtime.close()

    out: dict[str, Any] = {}
    for kind, rows in results.items():
        for field in (*FIELDS, "store_calls"):
            values = [r[field] for r in rows]
            out[f"{field}_{kind}"] = statistics.median(values) if values else None
            out[f"{field}_{kind}_min"] = min(values) if values else None
            out[f"{field}_{kind}_max"] = max(values) if values else None
    out["answered_by"] = dict(responders)
    out["escalated_status_after"] = dict(outcomes)
    out["background_statements"] = background
    out["messages_counted"] = {k: len(v) for k, v in results.items()}
    return out


FIELDS = (
    "transactions",
    "write_transactions",
    "commits",
    "rollbacks",
    "statements",
    "write_statements",
    "control_statements",
)


def code_label() -> dict[str, Any]:
    """Where the measured relaydesk came from: this checkout (its commit, and whether src/ had
    uncommitted changes) or another folder (then ``--code`` says what it holds)."""
    import relaydesk

    where = Path(relaydesk.__file__).resolve().parent
    label: dict[str, Any] = {"relaydesk_path": str(where)}
    if where.is_relative_to(ROOT):
        try:
            label["git_head"] = subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
            ).stdout.strip()
            dirty = subprocess.run(
                ["git", "status", "--porcelain", "src"], cwd=ROOT, capture_output=True, text=True
            ).stdout.strip()
            label["src_uncommitted_changes"] = bool(dirty)
        except OSError:
            pass
    return label


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=7)
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument(
        "--as-before",
        action="store_true",
        help="write benchmarks/results/message_path_cost_before.json (the figures to compare with)",
    )
    parser.add_argument("--code", default=None, help="a label for the code measured (e.g. a commit)")
    args = parser.parse_args()

    started = time.perf_counter()
    result: dict[str, Any] = {}
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="relaydesk-cost-") as tmp:
        work = Path(tmp)
        url = f"sqlite:///{work / 'cost.db'}"
        progress("SQLite: setting up a workspace, an agent and the help center (CLI)")
        setup_workspace(url, work / "var", work)
        progress(f"SQLite: measuring {args.samples} answered and escalated messages")
        sqlite = measure(url, work / "var", args.samples)
        result.update(sqlite)
        result["database"] = "sqlite"

        if not args.no_postgres:
            try:
                from tests.pg_cluster import PostgresCluster, find_pg_bin
            except ImportError:
                find_pg_bin = None  # type: ignore[assignment]
            bin_dir = find_pg_bin() if find_pg_bin else None
            if bin_dir is None:
                notes.append("PostgreSQL is not installed: the *_pg fields are null")
            else:
                from sqlalchemy import create_engine, text

                cluster = PostgresCluster(bin_dir)
                progress("starting PostgreSQL")
                cluster.start()
                try:
                    admin = create_engine(cluster.url())
                    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                        conn.execute(text("CREATE DATABASE cost"))
                    admin.dispose()
                    pg_url = cluster.url("cost")
                    progress("PostgreSQL: setting up (CLI)")
                    setup_workspace(pg_url, work / "var-pg", work)
                    progress(f"PostgreSQL: measuring {args.samples} answered and escalated messages")
                    pg = measure(pg_url, work / "var-pg", args.samples)
                    for key, value in pg.items():
                        result[f"{key}_pg"] = value
                finally:
                    cluster.stop()

    result["samples"] = args.samples
    result["code"] = {**code_label(), **({"label": args.code} if args.code else {})}
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["target"] = "transactions_answered <= 3 (issue 13)"
    if notes:
        result["notes"] = notes
    name = "message_path_cost"
    if args.as_before:
        name = "message_path_cost_before"
    else:
        before_file = RESULTS / "message_path_cost_before.json"
        if before_file.exists():
            result["before"] = json.loads(before_file.read_text())
    report(name, result)


if __name__ == "__main__":
    main()
