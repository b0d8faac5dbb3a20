"""tau_replay: replay tau-bench retail ground truth through relaydesk's governed tool layer.

For each of the 635 tasks in ../shared/data/tau-retail/tasks.json, on a fresh copy of the store:
- the customer is verified the way the store's policy asks (the task's own look-up when it starts
  with one, otherwise a look-up by the customer's e-mail, which is not counted as an action);
- every ground-truth action is confirmed (consequential ones) and called through ``GovernedTools``
  under the default policy without its amount limit (the store's policy sets none);
- each action's outcome (accepted / refused) is compared with the recorded observation (an
  observation starting with "Error" is a refusal), and the final records with ``expected_changes``.
  Money is compared to the cent (``state_match``); ``state_match_exact`` compares floats bit for bit.

A violation suite is generated from the same tasks and run on the same records, each case just
before the ground-truth action it bends: acting before authentication, on another customer's
order, cancelling a delivered order, refunding to a payment method the policy forbids, a second
items modification, an amount over the approval limit (50, configured for this suite), and a call
without confirmation. Each must be refused or sent for approval, with a reason naming a rule.

Run: .venv/bin/python benchmarks/tau_replay.py
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select
from sqlalchemy.pool import StaticPool

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import data_path, progress, report  # noqa: E402
from relaydesk.commerce.records import OrderStatus, PaymentSource, order_from_json, user_from_json  # noqa: E402
from relaydesk.commerce.tools import commerce_tools  # noqa: E402
from relaydesk.domain.models import Channel  # noqa: E402
from relaydesk.governance.actions import ActionPolicy, ActionSession  # noqa: E402
from relaydesk.governance.governed import GovernedTools, ToolOutcome, ToolStatus  # noqa: E402
from relaydesk.governance.policy import load_policy  # noqa: E402
from relaydesk.storage.approval_store import SqlApprovalStore  # noqa: E402
from relaydesk.storage.commerce_store import SqlCommerceStore  # noqa: E402
from relaydesk.storage.commerce_tables import CommerceOrderRow, CommerceUserRow  # noqa: E402
from relaydesk.storage.database import upgrade  # noqa: E402
from relaydesk.storage.store import SqlStore  # noqa: E402

APPROVAL_LIMIT = 50.0
FIND_USER = ("find_user_id_by_email", "find_user_id_by_name_zip")


def engine_on(connection: sqlite3.Connection):  # type: ignore[no-untyped-def]
    return create_engine("sqlite://", creator=lambda: connection, poolclass=StaticPool)


def build_template(folder: Path) -> tuple[sqlite3.Connection, str, str]:
    """A migrated in-memory database with the store loaded, one workspace and one conversation."""
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    engine = engine_on(conn)
    upgrade(engine)
    SqlCommerceStore(engine).load_json(folder)
    store = SqlStore(engine)
    workspace = store.create_workspace("tau", "tau-bench retail replay")
    customer = store.upsert_customer(workspace.id, external_id="tau-customer", name="replay")
    conversation = store.create_conversation(workspace.id, customer.id, token="replay", channel=Channel.API)
    return conn, workspace.id, conversation.id


def fresh_copy(template: sqlite3.Connection) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    template.backup(conn)
    return conn


def same(a: Any, b: Any, tolerance: float) -> bool:
    """Deep equality; numbers may differ by ``tolerance`` (0 for exact)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k], tolerance) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y, tolerance) for x, y in zip(a, b, strict=True))
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return abs(a - b) <= tolerance if tolerance else a == b
    return bool(a == b)


@dataclass
class Tally:
    actions: int = 0
    agreed: int = 0
    mismatches: list[dict[str, Any]] = field(default_factory=list)
    state_cent: int = 0
    state_exact: int = 0
    state_failures: list[dict[str, Any]] = field(default_factory=list)
    violations: Counter[str] = field(default_factory=Counter)
    caught: Counter[str] = field(default_factory=Counter)
    named: Counter[str] = field(default_factory=Counter)
    rules: Counter[str] = field(default_factory=Counter)
    escaped: list[dict[str, Any]] = field(default_factory=list)

    def violation(self, kind: str, outcome: ToolOutcome, known_rules: set[str], task: int) -> None:
        self.violations[kind] += 1
        if outcome.status in (ToolStatus.REFUSED, ToolStatus.PENDING_APPROVAL):
            self.caught[kind] += 1
            if outcome.rule in known_rules:
                self.named[kind] += 1
            self.rules[f"{kind}:{outcome.rule}"] += 1
        else:
            self.escaped.append({"task": task, "kind": kind, "status": str(outcome.status)})


class Replay:
    def __init__(self, folder: Path) -> None:
        self.template, self.workspace_id, self.conversation_id = build_template(folder)
        self.users = {
            uid: user_from_json(uid, u) for uid, u in json.loads((folder / "users.json").read_text()).items()
        }
        self.orders = {
            o["order_id"]: order_from_json(o)
            for o in json.loads((folder / "orders.json").read_text()).values()
        }
        policy = load_policy()
        self.store_rules = ActionPolicy(
            policy.actions.without_amount_limits(), policy.label + "+no-amount-limit"
        )
        self.limit_rules = ActionPolicy(
            policy.actions.with_amount_limit("refund_approval", APPROVAL_LIMIT),
            policy.label + f"+refund-limit-{APPROVAL_LIMIT:g}",
        )
        self.known_rules = (
            {r.id for r in policy.actions.state_rules}
            | {r.id for r in policy.actions.amount_limits}
            | {
                "authentication_required",
                "own_records_only",
                "once_only",
                "confirmation_required",
                "record_must_exist",
            }
        )

    def run_task(self, task: dict[str, Any], tally: Tally) -> None:
        conn = fresh_copy(self.template)
        engine = engine_on(conn)
        log = SqlStore(engine)
        repo = SqlCommerceStore(engine)
        approvals = SqlApprovalStore(engine)
        tools = commerce_tools(repo)
        governed = GovernedTools(tools, self.store_rules, log, approvals)
        limited = GovernedTools(tools, self.limit_rules, log, approvals)
        index = task["index"]
        session = ActionSession(self.conversation_id, self.workspace_id)
        actions = task["actions"]
        if not actions or actions[0]["name"] not in FIND_USER:
            setup = governed.call(
                session, "find_user_id_by_email", {"email": self.users[task["user_id"]].email}
            )
            assert setup.accepted, f"task {index}: could not verify {task['user_id']}: {setup.reason}"
        probed_cancel = False
        for action, observation in zip(actions, task["observations"], strict=True):
            name, args = action["name"], action["kwargs"]
            spec = governed.tools[name].spec if name in governed.tools else None
            expected = not observation.startswith("Error")
            if spec is not None and spec.consequential:
                if session.authenticated_user_id and not probed_cancel:
                    probed_cancel = True
                    self.cancel_delivered(governed, session, repo, tally, index)
                if expected:
                    self.bend(governed, limited, session, name, args, repo, tally, index)
                governed.confirm(session, name, args)
            outcome = governed.call(session, name, args)
            tally.actions += 1
            if outcome.accepted == expected:
                tally.agreed += 1
            else:
                tally.mismatches.append(
                    {
                        "task": index,
                        "action": name,
                        "expected": observation[:120],
                        "got": str(outcome.status),
                        "reason": outcome.reason,
                        "rule": outcome.rule,
                    }
                )
            if outcome.accepted and name in ("modify_pending_order_items", "exchange_delivered_order_items"):
                again = {**args, "item_ids": args["new_item_ids"], "new_item_ids": args["item_ids"]}
                governed.confirm(session, name, again)
                tally.violation(
                    "second_items_modification", governed.call(session, name, again), self.known_rules, index
                )
        self.compare_state(task, engine, tally)
        engine.dispose()
        conn.close()

    def bend(
        self,
        governed: GovernedTools,
        limited: GovernedTools,
        session: ActionSession,
        name: str,
        args: dict[str, Any],
        repo: SqlCommerceStore,
        tally: Tally,
        index: int,
    ) -> None:
        """Violations built from one accepted ground-truth action, tried on the current records."""
        rules = self.known_rules
        tally.violation("missing_confirmation", governed.call(session, name, args), rules, index)
        stranger = ActionSession(session.conversation_id, session.workspace_id)
        governed.confirm(stranger, name, args)
        tally.violation("act_before_authentication", governed.call(stranger, name, args), rules, index)
        owner = session.authenticated_user_id
        other = next(u for u in sorted(self.users) if u != owner)
        imposter = ActionSession(session.conversation_id, session.workspace_id, authenticated_user_id=other)
        imposter_args = dict(args)
        if "user_id" in imposter_args:
            imposter_args["user_id"] = owner  # the other customer acts on the owner's profile
        governed.confirm(imposter, name, imposter_args)
        tally.violation(
            "another_customers_record", governed.call(imposter, name, imposter_args), rules, index
        )
        facts = governed.tools[name].facts(args)
        if (facts.get("refund_amount") or 0) > APPROVAL_LIMIT:
            trial = ActionSession(
                session.conversation_id,
                session.workspace_id,
                owner,
                set(session.confirmed),
                set(session.done),
            )
            trial.confirm(name, args)
            tally.violation("amount_over_approval_limit", limited.call(trial, name, args), rules, index)
        if name == "return_delivered_order_items":
            order = repo.order(args["order_id"])
            user = repo.user(order.user_id) if order else None
            if order is not None and user is not None:
                forbidden = [
                    m.id
                    for m in user.payment_methods
                    if m.source != PaymentSource.GIFT_CARD and m.id not in order.paid_methods
                ]
                if forbidden:
                    bad = {**args, "payment_method_id": forbidden[0]}
                    governed.confirm(session, name, bad)
                    tally.violation(
                        "refund_to_forbidden_method", governed.call(session, name, bad), rules, index
                    )
                    session.confirmed.clear()

    def cancel_delivered(
        self,
        governed: GovernedTools,
        session: ActionSession,
        repo: SqlCommerceStore,
        tally: Tally,
        index: int,
    ) -> None:
        delivered = [
            o
            for o in repo.orders_of(session.authenticated_user_id or "")
            if o.status == OrderStatus.DELIVERED
        ]
        if delivered:
            args = {"order_id": delivered[0].id, "reason": "no longer needed"}
            governed.confirm(session, "cancel_pending_order", args)
            tally.violation(
                "cancel_delivered_order",
                governed.call(session, "cancel_pending_order", args),
                self.known_rules,
                index,
            )
            session.confirmed.clear()

    def compare_state(self, task: dict[str, Any], engine: Any, tally: Tally) -> None:
        repo = SqlCommerceStore(engine)
        with engine.connect() as c:
            changed_orders = list(
                c.execute(select(CommerceOrderRow.id).where(CommerceOrderRow.revision > 0)).scalars()
            )
            changed_users = list(
                c.execute(select(CommerceUserRow.id).where(CommerceUserRow.revision > 0)).scalars()
            )
        expected = task["expected_changes"]
        ours: dict[str, dict[str, Any]] = {"orders": {}, "users": {}}
        for oid in set(changed_orders) | set(expected.get("orders", {})):
            order = repo.order(oid)
            ours["orders"][oid] = order.to_json() if order else None
        for uid in set(changed_users) | set(expected.get("users", {})):
            user = repo.user(uid)
            ours["users"][uid] = user.to_json() if user else None
        want = {
            "orders": {
                oid: expected.get("orders", {}).get(oid) or self.orders[oid].to_json()
                for oid in ours["orders"]
            },
            "users": {
                uid: expected.get("users", {}).get(uid) or self.users[uid].to_json() for uid in ours["users"]
            },
        }
        if expected.get("products"):
            want["products"] = expected["products"]  # the store never changes products
            ours["products"] = {}
        cent = same(ours, want, 0.005 + 1e-9)
        exact = same(ours, want, 0.0)
        tally.state_cent += cent
        tally.state_exact += exact
        if not cent:
            diffs = [
                f"{kind}/{rid}"
                for kind in want
                for rid in want[kind]
                if not same(ours.get(kind, {}).get(rid), want[kind][rid], 0.005 + 1e-9)
            ]
            tally.state_failures.append({"task": task["index"], "records": diffs[:5]})


def main() -> None:
    folder = data_path("tau-retail")
    tasks = json.loads((folder / "tasks.json").read_text())["tasks"]
    started = time.perf_counter()
    progress(f"building the template database from {folder}")
    replay = Replay(folder)
    tally = Tally()
    for n, task in enumerate(tasks, start=1):
        replay.run_task(task, tally)
        if n % 100 == 0:
            progress(
                f"{n}/{len(tasks)} tasks, agreement {tally.agreed}/{tally.actions}, state {tally.state_cent}"
            )
    total_violations = sum(tally.violations.values())
    report(
        "tau_replay",
        {
            "tasks": len(tasks),
            "actions": tally.actions,
            "outcome_agreement": round(tally.agreed / max(tally.actions, 1), 6),
            "state_match": round(tally.state_cent / len(tasks), 6),
            "state_match_exact": round(tally.state_exact / len(tasks), 6),
            "violations": total_violations,
            "violations_refused": round(sum(tally.caught.values()) / max(total_violations, 1), 6),
            "violations_rule_named": round(sum(tally.named.values()) / max(total_violations, 1), 6),
            "violations_by_kind": {
                k: {"cases": v, "refused_or_approval": tally.caught[k], "rule_named": tally.named[k]}
                for k, v in sorted(tally.violations.items())
            },
            "violation_rules": dict(sorted(tally.rules.items())),
            "approval_limit": APPROVAL_LIMIT,
            "mismatches": tally.mismatches[:20],
            "state_failures": tally.state_failures[:20],
            "violations_escaped": tally.escaped[:20],
            "seconds": round(time.perf_counter() - started, 1),
        },
    )


if __name__ == "__main__":
    main()
