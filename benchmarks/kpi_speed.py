"""KPI speed: every KPI of a period over a generated history of 1,000,000 stored messages, on
PostgreSQL (target: 2 s or less) and on SQLite (reported).

The history (``benchmarks/_history_gen.py``, seeded) is a desk's 90 days: ~100,000 conversations
of one workspace from ~30,000 customers (so repeat contacts exist) plus two small workspaces as
noise, ~40 agents, customer / AI / system / agent messages and the decision log the live desk
writes (triage, escalation, response or delivery per customer message; route, assignment,
handback, recovery, resolution, reopen, repeat, follow-up), CSAT ratings, agent feedback and
follow-ups. The schema is the project's own (``storage.database.upgrade``: the Alembic migrations);
the rows go in with bulk loads (PostgreSQL: ``COPY``, foreign-key triggers off during the load,
then ``VACUUM ANALYZE`` as autovacuum would; SQLite: ``executemany`` in one transaction with
``PRAGMA synchronous=OFF`` on the loading connection only, no ``ANALYZE``, as the project ships).

What is timed: ``relaydesk.analytics.kpis.compute_kpis(SqlReportQueries(SqlStore(engine)),
workspace_id, since, until)`` over the whole generated period of the main workspace, the one
query path for every KPI: one warm-up run, then the median of ``--runs`` (5) runs, on each
database. On PostgreSQL the other entry points of ``analytics.kpis`` that read the same source
over the same period (``kpis_by``, per channel and per intent) are timed once each
(``pg.variants_s``). A SQLite run is interrupted after ``--sqlite-limit-s`` (120 s): the figure is
then null with a note, and SQLite is measured again after ``ANALYZE``
(``sqlite_seconds_after_analyze``). On PostgreSQL each SQL statement of one more run is timed
(``pg.statements``: execution on the server and transfer; ``pg.python_s`` is the rest of that run:
decoding rows and building the facts and figures; null when the statements ran on the raw cursor,
which SQLAlchemy's events do not see); ``--explain`` prints ``EXPLAIN (ANALYZE,
BUFFERS)`` of each statement to stderr, ``--profile`` a cProfile of one more run.

    .venv/bin/python benchmarks/kpi_speed.py [--messages 1000000] [--databases pg,sqlite]
        [--runs 5] [--sqlite-limit-s 120] [--explain] [--profile]
"""

from __future__ import annotations

import argparse
import functools
import inspect
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import progress, report  # noqa: E402
from benchmarks._history_gen import History, generate, since_until  # noqa: E402

TARGET_PG_S = 2.0
SEED = 18


# -- loading --------------------------------------------------------------------------------------
def load_postgres(url: str, history: History) -> None:
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        # the rows are consistent by construction: no per-row foreign-key trigger during the load
        conn.execute("SET session_replication_role = replica")
        with conn.cursor() as cur:
            for table, columns, rows in history.tables():
                names = ", ".join(f'"{c}"' for c in columns)
                with cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        conn.commit()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def load_sqlite(path: Path, history: History) -> None:
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA synchronous=OFF")
        con.execute("PRAGMA cache_size=-1000000")
        con.execute("BEGIN")
        for table, columns, rows in history.tables():
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" for _ in columns)
            con.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        con.execute("COMMIT")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


# -- timing ---------------------------------------------------------------------------------------
class StatementClock:
    """Times each SQL statement an engine runs while ``active`` (execute and fetch on the server
    side; psycopg buffers the whole result in ``execute``)."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self.active = False
        self.statements: list[tuple[str, Any, float]] = []
        self._started: dict[int, float] = {}

        @event.listens_for(engine, "before_cursor_execute")
        def _before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            if self.active:
                self._started[id(cursor)] = time.perf_counter()

        @event.listens_for(engine, "after_cursor_execute")
        def _after(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            began = self._started.pop(id(cursor), None)
            if self.active and began is not None:
                self.statements.append((statement, parameters, time.perf_counter() - began))


class Deadline:
    """Interrupts a SQLite statement once a run has taken ``limit_s`` (a progress handler on every
    connection of the engine): a query plan that scans for hours ends the run, not the benchmark."""

    def __init__(self, engine: Any, limit_s: float) -> None:
        from sqlalchemy import event

        self.limit_s = limit_s
        self.at = float("inf")

        @event.listens_for(engine, "connect")
        def _handler(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            dbapi_conn.set_progress_handler(lambda: 1 if time.monotonic() > self.at else 0, 10_000)

    def start(self) -> None:
        self.at = time.monotonic() + self.limit_s


def timed(
    fn: Callable[[], Any], runs: int, deadline: Deadline | None = None
) -> tuple[float, list[float], Any]:
    """One warm-up call, then ``runs`` timed calls: (median, each, last result)."""
    if deadline:
        deadline.start()
    result = fn()
    each = []
    for _ in range(runs):
        if deadline:
            deadline.start()
        began = time.perf_counter()
        result = fn()
        each.append(round(time.perf_counter() - began, 4))
    return round(statistics.median(each), 4), each, result


def figures(kpis: Any) -> dict[str, Any]:
    """A few of the computed figures, to show the history reads like a desk's."""
    out: dict[str, Any] = {}
    for name in ("conversations", "resolved"):
        if isinstance(getattr(kpis, name, None), int):
            out[name] = getattr(kpis, name)
    for name in ("containment", "escalation", "first_contact_resolution"):
        rate = getattr(getattr(kpis, name, None), "rate", None)
        if isinstance(rate, float):
            out[name] = round(rate, 4)
    tte = getattr(kpis, "time_to_escalation", None)
    if getattr(tte, "median_s", None) is not None:
        out["time_to_escalation_median_s"] = round(tte.median_s, 1)  # type: ignore[union-attr]
    return out


def variants(source: Any, workspace_id: str, since: Any, until: Any) -> dict[str, Callable[[], Any]]:
    """The other KPI entry points of ``analytics.kpis`` that read the same source over the same
    period (``kpis_by`` per channel and per intent, ...), each grouping for those that group."""
    from relaydesk.analytics import kpis as module

    groupings = tuple(getattr(module, "GROUPINGS", ("channel", "intent")))
    found: dict[str, Callable[[], Any]] = {}
    for name, fn in vars(module).items():
        if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
            continue
        params = inspect.signature(fn).parameters
        if list(params)[:4] != ["source", "workspace_id", "since", "until"]:
            continue
        key = next((k for k in ("by", "group_by") if k in params), None)
        if key is not None:
            for grouping in groupings:
                found[f"{name}({key}={grouping})"] = functools.partial(
                    fn, source, workspace_id, since, until, **{key: grouping}
                )
        elif name != "compute_kpis":
            found[name] = functools.partial(fn, source, workspace_id, since, until)
    return found


def measure(
    engine: Any,
    workspace_id: str,
    runs: int,
    *,
    per_statement: bool = False,
    explain: bool = False,
    profile: bool = False,
    with_variants: bool = False,
    deadline: Deadline | None = None,
) -> dict[str, Any]:
    from relaydesk.analytics.kpis import compute_kpis
    from relaydesk.storage.report_queries import SqlReportQueries
    from relaydesk.storage.store import SqlStore

    since, until = since_until()
    source = SqlReportQueries(SqlStore(engine))
    clock = StatementClock(engine)
    median, each, kpis = timed(lambda: compute_kpis(source, workspace_id, since, until), runs, deadline)
    out: dict[str, Any] = {"seconds": median, "runs_s": each, "figures": figures(kpis), "kpis": kpis}
    if profile:
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        compute_kpis(source, workspace_id, since, until)
        profiler.disable()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(40)
        progress("profile of one run (cProfile, cumulative)\n" + text.getvalue())
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(25)
        progress("profile of one run (cProfile, own time)\n" + text.getvalue())
    if per_statement:
        clock.active = True
        began = time.perf_counter()
        compute_kpis(source, workspace_id, since, until)
        total = time.perf_counter() - began
        clock.active = False
        statements = [
            {"sql": " ".join(sql.split())[:160], "seconds": round(seconds, 4)}
            for sql, _, seconds in clock.statements
        ]
        out["statements"] = statements
        # on PostgreSQL the report reads its rows straight from psycopg's cursor, past SQLAlchemy's
        # statement events: only the SET LOCALs show here, so the rest is not Python alone
        seen = [s for s in statements if s["sql"].lstrip().upper().startswith("SELECT")]
        out["python_s"] = round(total - sum(s["seconds"] for s in statements), 4) if seen else None
        if explain:
            explain_all(engine, clock.statements)
    group: dict[str, Any] = {}
    for name, fn in variants(source, workspace_id, since, until).items() if with_variants else ():
        try:  # one run each: the caches are warm from the runs above
            began = time.perf_counter()
            fn()
            group[name] = round(time.perf_counter() - began, 4)
        except Exception as error:  # an entry point with other arguments: noted, not fatal
            group[name] = f"failed: {type(error).__name__}: {error}"[:200]
    if group:
        out["variants_s"] = group
    return out


def explain_all(engine: Any, statements: list[tuple[str, Any, float]]) -> None:
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        with raw.cursor() as cur:
            for sql, params, seconds in statements:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                plan = "\n".join(row[0] for row in cur.fetchall())
                progress(f"EXPLAIN ({seconds:.3f} s in the run)\n{sql}\n{plan}\n")
        raw.rollback()


# -- the databases --------------------------------------------------------------------------------
def run_postgres(history: History, runs: int, explain: bool, profile: bool) -> dict[str, Any]:
    from sqlalchemy import text
    from tests.pg_cluster import PostgresCluster, find_pg_bin

    from relaydesk.storage.database import make_engine, upgrade

    bin_dir = find_pg_bin()
    if bin_dir is None:
        return {"error": "PostgreSQL is not installed (make test installs it)"}
    cluster = PostgresCluster(bin_dir)
    progress("starting PostgreSQL")
    cluster.start()
    try:
        admin = make_engine(cluster.url())
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("CREATE DATABASE kpi"))
        admin.dispose()
        url = cluster.url("kpi")
        engine = make_engine(url)
        began = time.perf_counter()
        upgrade(engine)
        schema_s = time.perf_counter() - began
        progress("PostgreSQL: loading the history (COPY)")
        began = time.perf_counter()
        load_postgres(url, history)
        load_s = time.perf_counter() - began
        progress(f"PostgreSQL: loaded in {load_s:.1f} s (with VACUUM ANALYZE); timing the KPIs")
        with engine.connect() as conn:
            size = conn.execute(text("SELECT pg_database_size('kpi')")).scalar_one()
            settings = {
                name: conn.execute(text(f"SHOW {name}")).scalar_one()
                for name in ("server_version", "shared_buffers", "work_mem")
            }
        out = measure(
            engine,
            history.main_workspace_id,
            runs,
            per_statement=True,
            explain=explain,
            profile=profile,
            with_variants=True,
        )
        out.update(
            schema_s=round(schema_s, 2),
            load_s=round(load_s, 1),
            size_mb=round(size / 2**20),
            settings=settings,
        )
        engine.dispose()
        progress(f"PostgreSQL: median {out['seconds']} s of {out['runs_s']}")
        return out
    finally:
        cluster.stop()


def run_sqlite(history: History, runs: int, limit_s: float) -> dict[str, Any]:
    from relaydesk.storage.database import make_engine, upgrade

    with tempfile.TemporaryDirectory(prefix="kpi-speed-") as tmp:
        path = Path(tmp) / "kpi.db"
        engine = make_engine(f"sqlite:///{path}")
        began = time.perf_counter()
        upgrade(engine)
        schema_s = time.perf_counter() - began
        engine.dispose()
        progress("SQLite: loading the history (executemany, one transaction)")
        began = time.perf_counter()
        load_sqlite(path, history)
        load_s = time.perf_counter() - began
        progress(f"SQLite: loaded in {load_s:.1f} s; timing the KPIs")
        out: dict[str, Any] = {
            "schema_s": round(schema_s, 2),
            "load_s": round(load_s, 1),
            "size_mb": round(path.stat().st_size / 2**20),
            "sqlite_version": sqlite3.sqlite_version,
            "run_limit_s": limit_s,
        }
        engine = make_engine(f"sqlite:///{path}")
        try:
            out.update(measure(engine, history.main_workspace_id, runs, deadline=Deadline(engine, limit_s)))
            progress(f"SQLite: median {out['seconds']} s of {out['runs_s']}")
        except Exception as error:  # sqlalchemy's OperationalError around sqlite3's
            if "interrupted" not in str(error):
                raise
            out["seconds"] = None
            out["over_limit"] = True
            progress(f"SQLite: a run took over {limit_s:.0f} s and was interrupted")
        finally:
            engine.dispose()
        # the same after ANALYZE (statistics for the planner; the project does not gather them)
        con = sqlite3.connect(path)
        began = time.perf_counter()
        con.execute("ANALYZE")
        con.commit()
        con.close()
        out["analyze_s"] = round(time.perf_counter() - began, 1)
        engine = make_engine(f"sqlite:///{path}")
        try:
            analyzed = measure(engine, history.main_workspace_id, runs, deadline=Deadline(engine, limit_s))
            out["after_analyze"] = {k: analyzed[k] for k in ("seconds", "runs_s") if k in analyzed}
            out["kpis_after_analyze"] = analyzed["kpis"]
            progress(f"SQLite after ANALYZE: median {analyzed['seconds']} s of {analyzed['runs_s']}")
        except Exception as error:
            if "interrupted" not in str(error):
                raise
            out["after_analyze"] = {"seconds": None, "over_limit": True}
        finally:
            engine.dispose()
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--databases", default="pg,sqlite", help="comma-separated: pg, sqlite")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE each statement (stderr)")
    parser.add_argument("--profile", action="store_true", help="cProfile one more PostgreSQL run (stderr)")
    parser.add_argument(
        "--sqlite-limit-s", type=float, default=120.0, help="interrupt a SQLite run after this long"
    )
    args = parser.parse_args()
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    # other work on the machine slows every figure: the load averages say how busy it was
    load = {"start": round(os.getloadavg()[0], 2)}

    progress(f"generating a history of about {args.messages:,} messages")
    began = time.perf_counter()
    history = generate(args.messages, seed=args.seed)
    generate_s = time.perf_counter() - began
    sizes = history.sizes()
    progress(f"generated in {generate_s:.1f} s: {sizes}")
    main_conversations = sum(1 for c in history.conversations if c[1] == history.main_workspace_id)

    results: dict[str, dict[str, Any]] = {}
    notes = []
    for database in databases:
        try:
            if database == "pg":
                results["pg"] = run_postgres(history, args.runs, args.explain, args.profile)
            elif database == "sqlite":
                results["sqlite"] = run_sqlite(history, args.runs, args.sqlite_limit_s)
            else:
                notes.append(f"unknown database {database!r}")
            load[f"after_{database}"] = round(os.getloadavg()[0], 2)
        except Exception as error:
            progress(f"{database} failed: {type(error).__name__}: {error}")
            results[database] = {"error": f"{type(error).__name__}: {error}"[:300]}
    pg, lite = results.get("pg", {}), results.get("sqlite", {})
    for name, got in results.items():
        if "error" in got:
            notes.append(f"{name}: {got['error']}")
    if "pg" not in results:
        notes.append("PostgreSQL not measured (--databases)")
    if "sqlite" not in results:
        notes.append("SQLite not measured (--databases)")
    same = None
    lite_kpis = lite.get("kpis", lite.get("kpis_after_analyze"))
    if pg.get("kpis") is not None and lite_kpis is not None:
        same = pg["kpis"] == lite_kpis
    if lite.get("over_limit"):
        notes.append(
            f"SQLite as the project ships it (no ANALYZE) did not finish one run within "
            f"{lite['run_limit_s']:.0f} s (interrupted): sqlite_seconds is null; "
            "sqlite_seconds_after_analyze is the same after ANALYZE"
        )
    pg_s = pg.get("seconds")

    def public(got: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in got.items() if k not in ("kpis", "kpis_after_analyze", "seconds")}

    result: dict[str, Any] = {
        "messages": sizes["messages"],
        "pg_seconds": pg_s,
        "sqlite_seconds": lite.get("seconds"),
        "sqlite_seconds_after_analyze": lite.get("after_analyze", {}).get("seconds"),
        "target_pg_seconds": TARGET_PG_S,
        "pg_target_met": (pg_s <= TARGET_PG_S) if pg_s is not None else None,
        "conversations": sizes["conversations"],
        "conversations_main_workspace": main_conversations,
        "decisions": sizes["decisions"],
        "customers": sizes["customers"],
        "rows": sizes,
        "runs": args.runs,
        "generate_s": round(generate_s, 1),
        "pg": public(pg),
        "sqlite": public(lite),
        "same_figures_pg_sqlite": same,
        "seed": args.seed,
        "load_average_1m": load,
    }
    if notes:
        result["notes"] = "; ".join(notes)
    report("kpi_speed", result)


if __name__ == "__main__":
    main()
