"""Rewrites the README's benchmark table from benchmarks/results/*.json (figures are never typed in).

Run: .venv/bin/python benchmarks/table.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
README = ROOT / "README.md"

# benchmark, field, how to show it, target (text, test), anchor
ROWS: list[tuple[str, str, str, tuple[str, str], str]] = [
    ("banking77", "accuracy", "pct", (">= 94.5%", ">=0.945"), "BERT-large fine-tuned 93.66%"),
    ("clinc150", "in_scope_accuracy", "pct", (">= 95%", ">=0.95"), "BERT 96.2%"),
    ("clinc150", "oos_recall", "pct", (">= 85%", ">=0.85"), "BERT 52.3%"),
    (
        "clinc150_no_oos",
        "overall_accuracy",
        "pct",
        (">= 92%", ">=0.92"),
        "no out-of-scope row in training; oracle threshold on confidence 0.918 (issue)",
    ),
    ("clinc150_no_oos", "in_scope_accuracy", "pct", ("reported", ""), ""),
    ("clinc150_no_oos", "oos_recall", "pct", ("reported", ""), ""),
    (
        "banking77_unseen",
        "unseen_recall_gain",
        "pct",
        (">= +25 points", ">=0.25"),
        "vs the previous rule, 5 splits",
    ),
    ("banking77_unseen", "in_scope_accuracy_loss", "pct", ("<= 3 points", "<=0.03"), ""),
    ("banking77_unseen", "unseen_recall.mean", "pct", ("reported", ""), "25% of intents never trained"),
    ("banking77_unseen", "in_scope_accuracy.mean", "pct", ("reported", ""), ""),
    ("uss", "auroc_mwoz", "num", (">= 0.82", ">=0.82"), "TF-IDF logistic 0.77 (issue); 0.716 on our split"),
    ("uss", "auroc_sgd", "num", (">= 0.90", ">=0.90"), "TF-IDF logistic 0.87 (issue); 0.796 on our split"),
    ("uss", "f1_mwoz_shipped", "num", (">= 0.45", ">=0.45"), "shipped detector at the offer threshold 0.3"),
    ("uss", "f1_sgd_shipped", "num", (">= 0.45", ">=0.45"), "threshold chosen on val for precision >= 0.5"),
    ("uss", "ece_mwoz", "num", ("reported", ""), "expected calibration error, 10 bins, test"),
    ("uss", "ece_sgd", "num", ("reported", ""), ""),
    ("triage_speed", "median_ms_single", "ms", ("<= 10 ms", "<=10"), ""),
    ("triage_speed", "batch_per_s", "num", ("reported", ""), ""),
    ("triage_speed", "train_s_banking77", "s", ("<= 180 s", "<=180"), ""),
    ("triage_speed", "peak_rss_mb", "mb", ("reported", ""), ""),
    ("stackfaq", "map", "num", (">= 0.85", ">=0.85"), "Elasticsearch BM25 0.637; BERT re-ranker 0.978"),
    ("stackfaq", "mrr", "num", ("reported", ""), ""),
    ("stackfaq", "ndcg10", "num", ("reported", ""), ""),
    ("stackfaq", "recall1", "num", ("reported", ""), ""),
    ("stackfaq", "recall5", "num", ("reported", ""), ""),
    ("stackfaq", "abstain_oos", "pct", (">= 90%", ">=0.90"), ""),
    ("stackfaq", "answer_rate", "pct", (">= 90%", ">=0.90"), ""),
    ("kb_speed", "median_ms_search", "ms", ("<= 15 ms", "<=15"), ""),
    ("kb_speed", "ingest_chunks_per_s", "num", ("reported", ""), ""),
    ("kb_speed", "load_s", "s", ("<= 2 s", "<=2"), ""),
    ("routine_answers", "right", "pct", (">= 85%", ">=0.85"), "held-out, 42 messages; 10 have no article"),
    ("routine_answers", "right_of_answerable", "pct", ("reported", ""), "the 32 the help center answers"),
    ("routine_answers", "wrong", "pct", ("<= 2%", "<=0.02"), ""),
    ("routine_answers", "gap", "pct", ("reported", ""), ""),
    ("routine_answers", "right_or_acted_of_answerable", "pct", ("reported", ""), "or the flow that does it"),
    ("routine_answers", "did_right", "pct", ("reported", ""), "all 42: answered/acted, or left to a person"),
    ("similar_cases", "precision_at_1", "pct", ("reported", ""), ""),
    ("similar_cases", "precision_at_5", "pct", ("reported", ""), ""),
    ("similar_cases", "abstain_unrelated", "pct", ("reported", ""), ""),
    ("similar_cases", "median_ms_search", "ms", ("reported", ""), ""),
    ("routing_speed", "assign_p50_ms", "ms", ("reported", ""), "200 agents, ~9,300 waiting, SQLite"),
    ("routing_speed", "route_into_backlog_p50_ms", "ms", ("reported", ""), "every agent full"),
    ("routing_speed", "route_p50_ms", "ms", ("reported", ""), "queue empty, assigned at once"),
    ("routing_concurrency", "double_assignments", "num", ("0", "<=0"), "4 processes, PostgreSQL"),
    ("routing_concurrency", "lost", "num", ("0", "<=0"), ""),
    ("routing_concurrency", "over_capacity_exact", "num", ("0", "<=0"), ""),
    ("routing_concurrency", "stranded", "num", ("0", "<=0"), ""),
    ("routing_sim", "sla_share_skill", "pct", ("reported", ""), "FIFO on the same traffic: see next rows"),
    ("routing_sim", "sla_share_fifo", "pct", ("reported", ""), "simulated work times (docs/routing.md)"),
    ("routing_sim", "mean_wait_s_skill", "s", ("reported", ""), ""),
    ("routing_sim", "mean_wait_s_fifo", "s", ("reported", ""), ""),
    ("tau_replay", "outcome_agreement", "pct", ("100%", ">=1.0"), ""),
    ("tau_replay", "state_match", "pct", ("100%", ">=1.0"), ""),
    ("tau_replay", "violations_refused", "pct", ("100%", ">=1.0"), ""),
    (
        "tau_conversations",
        "covered",
        "pct",
        (">= 80%", ">=0.8"),
        "635 tasks played as chats, scripted customer",
    ),
    (
        "tau_conversations",
        "resolved_exact",
        "pct",
        (">= 90% of covered", ">=0.9"),
        "no person, exact records",
    ),
    ("tau_conversations", "wrong_writes", "num", ("0", "<=0"), "a record no prefix of the task explains"),
    ("tau_conversations", "median_ai_turns", "num", ("reported", ""), ""),
    ("tau_conversations", "ms_per_turn", "ms", ("reported", ""), "median, whole path, SQLite"),
    (
        "ui_speed",
        "first_paint_ms",
        "ms",
        ("<= 1000 ms", "<=1000"),
        "console, 1,000 queued, 50 agents, Chromium",
    ),
    ("ui_speed", "delivery_p50_ms", "ms", ("reported", ""), "customer message to agent's console"),
    ("ui_speed", "delivery_p95_ms", "ms", ("<= 300 ms", "<=300"), "200 messages, SQLite"),
    ("kpi_speed", "pg_seconds", "s", ("<= 2 s", "<=2"), "every KPI, 1,000,000 messages, PostgreSQL"),
    ("kpi_speed", "sqlite_seconds", "s", ("reported", ""), "the same history on SQLite"),
    ("load_e2e", "msg_per_s_sqlite", "num", (">= 150", ">=150"), "msg/s, one process, loopback, 2 cores"),
    ("load_e2e", "msg_per_s_pg_2w", "num", ("reported", ""), "PostgreSQL (fsync on) + Redis, 2 workers"),
    ("load_e2e", "msg_per_s_pg_4w", "num", ("reported", ""), "4 workers"),
    ("load_e2e", "ratio_to_triage_bound", "num", (">= 0.8", ">=0.8"), "the triage alone, same run"),
    ("load_e2e", "p99_ms_at_50", "ms", ("<= 100 ms", "<=100"), "open loop 50 msg/s, answered ones"),
    ("load_e2e", "websocket_rss_mb", "num", ("<= 1024", "<=1024"), "MB, 10,000 idle sockets, whole process"),
    ("crash_recovery", "acked_not_stored", "num", ("0", "<=0"), "kill -9 x5 SQLite, x5 PostgreSQL 2 workers"),
    ("crash_recovery", "stored_twice", "num", ("0", "<=0"), "+ a second server, + Redis down 30 s"),
    ("crash_recovery", "multi_reply_messages", "num", ("0", "<=0"), ""),
    ("crash_recovery", "replays_without_replies", "num", ("0", "<=0"), ""),
    ("crash_recovery", "ai_after_claim", "num", ("0", "<=0"), ""),
    ("crash_recovery", "duplicate_positions", "num", ("0", "<=0"), ""),
    ("crash_recovery", "max_answer_delay_s", "s", ("<= 30 s", "<=30"), "after the fault ends, no restart"),
    ("message_path_cost", "transactions_answered", "num", ("<= 3", "<=3"), "15 before the rebuild"),
    ("message_path_cost", "statements_answered", "num", ("reported", ""), "20 before"),
    ("message_path_cost", "transactions_escalated", "num", ("reported", ""), "28 before"),
    ("message_path_cost", "statements_escalated", "num", ("reported", ""), "43 before"),
    ("startup", "first_answer_s", "s", ("<= 3 s", "<=3"), "12.6 s before (empty SQLite)"),
    ("startup", "ready_s", "s", ("reported", ""), "models loaded in the background"),
    ("human_requests", "recall", "pct", (">= 99%", ">=0.99"), "420 sentences, development set (tuned on)"),
    ("human_requests", "false_positive_rate", "pct", ("<= 1%", "<=0.01"), ""),
    ("human_requests", "held_out.recall", "pct", ("reported", ""), "120 written after; first run 56.67%"),
    ("human_requests", "held_out.false_positive_rate", "pct", ("reported", ""), "first run 3.33%"),
    ("human_requests", "held_out_3.recall", "pct", ("reported", ""), "240 written blind; first run 86.67%"),
    ("human_requests", "held_out_3.false_positive_rate", "pct", ("reported", ""), "first run 4.17%"),
    (
        "human_requests",
        "held_out_4.recall",
        "pct",
        (">= 99%", ">=0.99"),
        "200 written blind after; first run",
    ),
    ("human_requests", "held_out_4.false_positive_rate", "pct", ("<= 1%", "<=0.01"), "first run"),
    ("dialogue_quality", "right_turns", "pct", (">= 95%", ">=0.95"), "development set, 335 conversations"),
    ("dialogue_quality", "needless_handoffs", "num", ("0", "<=0"), ""),
    ("dialogue_quality", "missed_requests_for_person", "num", ("0", "<=0"), ""),
    ("dialogue_quality", "wrong_answers", "pct", ("<= 2%", "<=0.02"), ""),
    (
        "dialogue_quality",
        "held_out.right_turns",
        "pct",
        ("reported", ""),
        "80 conversations written after; first run 80.89%",
    ),
]


def _show(value: float, kind: str) -> str:
    if kind == "pct":
        return f"{value * 100:.2f}%"
    if kind == "ms":
        return f"{value:.2f} ms"
    if kind == "s":
        return f"{value:.2f} s"
    if kind == "mb":
        return f"{value:.0f} MB"
    return f"{value:.4g}"


def _verdict(value: float, test: str) -> str:
    if not test:
        return ""
    op, bound = test[:2], float(test[2:])
    met = value >= bound if op == ">=" else value <= bound
    return "met" if met else "**missed**"


def table() -> str:
    lines = ["| benchmark | figure | measured | target | verdict | anchor |", "|---|---|---|---|---|---|"]
    for name, field, kind, (target, test), anchor in ROWS:
        path = RESULTS / f"{name}.json"
        if not path.exists():
            lines.append(f"| `{name}` | {field} | not run yet | {target} | | {anchor} |")
            continue
        result = json.loads(path.read_text())
        value: object = result
        for part in field.split("."):  # "held_out.right_turns": a figure of a nested block
            value = value.get(part) if isinstance(value, dict) else None
        if not isinstance(value, int | float):
            lines.append(f"| `{name}` | {field} | missing | {target} | | {anchor} |")
            continue
        lines.append(
            f"| `{name}` | {field} | {_show(value, kind)} | {target} | {_verdict(value, test)} | {anchor} |"
        )
    lines.append("")
    lines.append(
        "Reproduce any row with `.venv/bin/python benchmarks/NAME.py` (machine details are in its JSON)."
    )
    return "\n".join(lines)


def main() -> None:
    text = README.read_text()
    new = re.sub(
        r"(<!-- benchmarks-table -->\n).*?(\n<!-- /benchmarks-table -->)",
        lambda m: m.group(1) + table() + m.group(2),
        text,
        flags=re.S,
    )
    README.write_text(new)
    print(table())


if __name__ == "__main__":
    main()
