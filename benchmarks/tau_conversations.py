"""tau_conversations: every tau-bench retail task played as a chat through the real orchestrator.

For each of the 635 tasks in ../shared/data/tau-retail/tasks.json a scripted customer, built from
the task's ground truth, talks to relaydesk through ``runtime.desk.post_customer_message`` (triage,
the escalation policy, the specialist flows, the governed tools and the SQLite database, as in
``relaydesk serve``):

- it states one goal at a time in words (the task's consequential actions, in order: cancel,
  change an order's address / payment / items, return, exchange, change the default address),
  naming items by product and options as a person would, never by item id;
- it answers what the AI asks: who they are (e-mail, or name and zip code as the task's first
  look-up does), the order, the items, what they want instead, the payment method, the reason,
  the address; it says yes to a confirmation; when the AI asks whether there is anything else, it
  states its next goal or says goodbye. What the AI asks for is read from the reply's ``asks``
  (the flow step's slot, stored in the message's metadata, as a form-filling client would);
- every kind of step has at least three phrasings (chosen by the task's index), all written here.

Then the store's records are compared with the task's ``expected_changes`` (money to the cent), as
``tau_replay`` does. The store's own policy sets no amount limit, so the default policy without
its refund approval limit is used (``approval_limit: null``).

Fields: ``covered`` (tasks whose every consequential action has a flow), ``resolved_exact``
(covered tasks ending with exactly the expected records and no person), ``wrong_writes`` (tasks
where a record changed that the task did not expect to change, or changed differently: any task
whose changed records are not a subset of the expected ones), ``escalated`` with reasons,
``median_ai_turns`` and ``ms_per_turn`` (median time of one ``post_customer_message``, whole path).

Run: .venv/bin/python benchmarks/tau_conversations.py [--limit N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select, update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import data_path, progress, report  # noqa: E402
from benchmarks.tau_replay import same  # noqa: E402
from relaydesk.commerce.records import order_from_json, user_from_json  # noqa: E402
from relaydesk.governance.policies import __path__ as _policies  # type: ignore[attr-defined]  # noqa: E402
from relaydesk.services.runtime import build_runtime  # noqa: E402
from relaydesk.settings import Settings  # noqa: E402
from relaydesk.storage.commerce_store import SqlCommerceStore, _order_values, _user_values  # noqa: E402
from relaydesk.storage.commerce_tables import CommerceOrderRow, CommerceUserRow  # noqa: E402

CONSEQUENTIAL = {
    "cancel_pending_order",
    "modify_pending_order_address",
    "modify_pending_order_payment",
    "modify_pending_order_items",
    "exchange_delivered_order_items",
    "return_delivered_order_items",
    "modify_user_address",
}
MAX_TURNS = 40
SHORT = {"yes", "no", "men", "women"}


def pick(options: list[str], n: int) -> str:
    return options[n % len(options)]


class Customer:
    """A scripted customer for one task: goals from its ground-truth actions, answers to questions."""

    def __init__(
        self, task: dict[str, Any], users: dict[str, Any], orders: dict[str, Any], products: dict[str, Any]
    ) -> None:
        self.task = task
        self.n = int(task["index"])
        self.user = users[task["user_id"]]
        self.orders = orders
        self.products = products
        self.item_product = {iid: p for p in products.values() for iid in p["variants"]}
        self.goals = [a for a in task["actions"] if a["name"] in CONSEQUENTIAL]
        self.by_zip = bool(task["actions"]) and task["actions"][0]["name"] == "find_user_id_by_name_zip"
        self.current: dict[str, Any] | None = None
        self.said_goodbye = False

    # -- phrasing ---------------------------------------------------------------------------------
    def identity(self) -> str:
        u = self.user
        if self.by_zip:
            first, last, zip_code = u["name"]["first_name"], u["name"]["last_name"], u["address"]["zip"]
            return pick(
                [
                    f"I'm {first} {last}, zip code {zip_code}.",
                    f"My name is {first} {last} and my zip is {zip_code}",
                    f"{first} {last}, {zip_code}",
                ],
                self.n,
            )
        return pick([f"My email is {u['email']}", f"It's {u['email']}.", f"sure, {u['email']}"], self.n)

    def options(self, options: dict[str, Any], only: set[str] | None = None) -> str:
        parts = []
        for key, value in options.items():
            if only is not None and key not in only:
                continue
            v = str(value)
            parts.append(f"{key} {v}" if len(v) <= 3 or v.lower() in SHORT or v[0].isdigit() else v)
        return ", ".join(parts)

    def item_words(self, order_id: str, item_ids: list[str]) -> str:
        items = {i["item_id"]: i for i in self.orders[order_id]["items"]}
        names = [f"the {items[i]['name']} ({self.options(items[i]['options'])})" for i in item_ids]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def new_item_words(self, order_id: str, item_ids: list[str], new_ids: list[str]) -> str:
        items = {i["item_id"]: i for i in self.orders[order_id]["items"]}
        parts = []
        for old, new in zip(item_ids, new_ids, strict=True):
            product = self.item_product[new]
            new_options = product["variants"][new]["options"]
            changed = {k for k, v in new_options.items() if items[old]["options"].get(k) != v}
            name = items[old]["name"]
            style = self.n % 3
            if not changed:
                parts.append(f"for the {name}, I'd like a replacement, exactly the same one")
                continue
            if style == 0:
                parts.append(f"for the {name}, I'd like {self.options(new_options, changed)} instead")
            elif style == 1:
                parts.append(f"the {name} should be {self.options(new_options)}")
            else:
                parts.append(f"{name}: {self.options(new_options, changed)}")
        return "; ".join(parts)

    def method_words(self, method_id: str) -> str:
        method = self.user["payment_methods"][method_id]
        source = method["source"]
        if source == "credit_card":
            return pick(
                [
                    f"my {method['brand']} card ending in {method['last_four']}",
                    f"the credit card ending {method['last_four']}",
                    f"use the {method['brand']} ending with {method['last_four']}",
                ],
                self.n,
            )
        if source == "paypal":
            return pick(["PayPal please", "my paypal account", "use paypal"], self.n)
        return pick(["my gift card", "put it on the gift card", "the gift card please"], self.n)

    def address_words(self, args: dict[str, Any]) -> str:
        a = args
        line = f"{a['address1']}, {a['address2']}, {a['city']}, {a['state']} {a['zip']}, {a['country']}"
        if not a.get("address2"):
            line = f"{a['address1']}, {a['city']}, {a['state']} {a['zip']}, {a['country']}"
        return pick([line, f"The new address is {line}", f"sure: {line}"], self.n)

    def reason_words(self, reason: str) -> str:
        if reason == "ordered by mistake":
            return pick(
                [
                    "I ordered it by mistake.",
                    "it was a mistake, I ordered the wrong thing by accident",
                    "ordered by mistake",
                ],
                self.n,
            )
        return pick(["I no longer need it.", "I don't need it anymore", "no longer needed"], self.n)

    def goal_words(self, action: dict[str, Any]) -> str:
        name, a = action["name"], action["kwargs"]
        oid = a.get("order_id", "")
        if name == "cancel_pending_order":
            return pick(
                [
                    f"I'd like to cancel my order {oid}.",
                    f"Please cancel order {oid}, {self.reason_words(a['reason']).rstrip('.').lower()}.",
                    f"can you cancel {oid} for me?",
                ],
                self.n,
            )
        if name == "modify_pending_order_address":
            return pick(
                [
                    f"I need to change the shipping address on my order {oid}.",
                    f"Could you update the delivery address for order {oid}?",
                    f"Please ship order {oid} to a different address.",
                ],
                self.n,
            )
        if name == "modify_pending_order_payment":
            return pick(
                [
                    f"I want to change the payment method for order {oid}.",
                    f"For order {oid}, can I pay with {self.method_words(a['payment_method_id'])} instead?",
                    f"Please change the payment on order {oid}.",
                ],
                self.n,
            )
        items = self.item_words(oid, a["item_ids"]) if a.get("item_ids") else ""
        if name == "modify_pending_order_items":
            return pick(
                [
                    f"I want to change {items} in my pending order {oid}.",
                    f"Can I modify my order {oid}? I'd like to swap {items} for a different option.",
                    f"Please change {items} in order {oid} to another option.",
                ],
                self.n,
            )
        if name == "exchange_delivered_order_items":
            return pick(
                [
                    f"I'd like to exchange {items} from order {oid}.",
                    f"I received order {oid} and want to exchange {items}.",
                    f"Can I exchange {items}? It was in order {oid}.",
                ],
                self.n,
            )
        if name == "return_delivered_order_items":
            return pick(
                [
                    f"I want to return {items} from order {oid}.",
                    f"I'd like to send back {items} from my order {oid} for a refund. I want to return them.",
                    f"Please help me return {items} (order {oid}).",
                ],
                self.n,
            )
        return pick(
            [
                "I moved and need to update my default address.",
                "Please change the default address on my account.",
                "Can you update the address on my profile?",
            ],
            self.n,
        )

    def restates(self, text: str, a: dict[str, Any]) -> bool:
        """A careful customer checks the confirmation before saying yes: the order, the address,
        the new options and the payment method it restates must be theirs."""
        bits: list[str] = []
        if a.get("order_id"):
            bits.append(a["order_id"])
        if a.get("address1"):
            bits.append(a["address1"])
        for new in a.get("new_item_ids", []):
            options = self.item_product[new]["variants"][new]["options"]
            bits.extend(f"{k} {v}" for k, v in options.items())
        method = self.user["payment_methods"].get(a.get("payment_method_id", ""), {})
        if method.get("source") == "credit_card":
            bits.append(str(method["last_four"]))
        elif method.get("source") == "paypal":
            bits.append("PayPal")
        elif method.get("source") == "gift_card":
            bits.append("gift card")
        return all(b in text for b in bits)

    # -- the conversation -------------------------------------------------------------------------
    def opening(self) -> str:
        self.current = self.goals.pop(0)
        return self.goal_words(self.current)

    def answer(self, asks: str | None, text: str) -> str | None:
        try:
            return self._answer(asks, text)
        except KeyError:  # asked for something this goal does not have: the customer says so
            return "That's not what I need. " + self.goal_words(self.current or {"name": "", "kwargs": {}})

    def _answer(self, asks: str | None, text: str) -> str | None:
        a = self.current["kwargs"] if self.current else {}
        if asks == "identity":
            return self.identity()
        if asks == "confirm":
            if not self.restates(text, a):
                return pick(["No, that's not right.", "no, that is not what I asked for", "No."], self.n)
            return pick(["yes", "Yes, please go ahead.", "yes that's right"], self.n)
        if asks == "order_id" or asks == "order":
            oid = a.get("order_id")
            if oid and f"Is it order {oid}" in text:
                return "yes"
            return pick([f"It's {oid}", f"order {oid}", f"{oid}"], self.n) if oid else "I don't know"
        if asks == "items":
            return self.item_words(a["order_id"], a["item_ids"])
        if asks == "new_items":
            return self.new_item_words(a["order_id"], a["item_ids"], a["new_item_ids"])
        if asks == "payment":
            return self.method_words(a["payment_method_id"])
        if asks == "reason":
            return self.reason_words(a.get("reason", "no longer needed"))
        if asks == "address":
            return self.address_words(a)
        if asks is None:
            if self.goals:
                return self.opening()
            if not self.said_goodbye:
                self.said_goodbye = True
                return pick(["No, that's all. Thanks!", "that's it, thank you", "Nothing else, bye"], self.n)
            return None
        return None


def reset_store(engine: Any, users: dict[str, Any], orders: dict[str, Any]) -> None:
    with engine.begin() as c:
        for oid in (
            c.execute(select(CommerceOrderRow.id).where(CommerceOrderRow.revision > 0)).scalars().all()
        ):
            c.execute(
                update(CommerceOrderRow)
                .where(CommerceOrderRow.id == oid)
                .values(**_order_values(order_from_json(orders[oid])), revision=0)
            )
        for uid in c.execute(select(CommerceUserRow.id).where(CommerceUserRow.revision > 0)).scalars().all():
            c.execute(
                update(CommerceUserRow)
                .where(CommerceUserRow.id == uid)
                .values(**_user_values(user_from_json(uid, users[uid])), revision=0)
            )


class Prefixes:
    """Each record's state after every prefix of a task's ground-truth actions (run straight on a
    scratch copy of the store), so a changed record can be told apart: a step the task takes
    (possibly not all of them) or a write the task never makes."""

    def __init__(self, folder: Path) -> None:
        from benchmarks.tau_replay import build_template

        self.template, _, _ = build_template(folder)

    def states(self, task: dict[str, Any]) -> dict[str, list[Any]]:
        from benchmarks.tau_replay import engine_on, fresh_copy
        from relaydesk.commerce.tools import commerce_tools
        from relaydesk.domain.errors import RelaydeskError

        conn = fresh_copy(self.template)
        engine = engine_on(conn)
        repo = SqlCommerceStore(engine)
        tools = {t.spec.name: t for t in commerce_tools(repo)}
        states: dict[str, list[Any]] = {}
        for action in [a for a in task["actions"] if a["name"] in CONSEQUENTIAL]:
            try:
                tools[action["name"]].run(dict(action["kwargs"]))
            except RelaydeskError:
                continue
            for key, record in _changed_records(engine, repo).items():
                states.setdefault(key, []).append(record)
        engine.dispose()
        conn.close()
        return states


def _changed_records(engine: Any, repo: SqlCommerceStore) -> dict[str, Any]:
    with engine.connect() as c:
        orders = list(c.execute(select(CommerceOrderRow.id).where(CommerceOrderRow.revision > 0)).scalars())
        users = list(c.execute(select(CommerceUserRow.id).where(CommerceUserRow.revision > 0)).scalars())
    found: dict[str, Any] = {}
    for oid in orders:
        order = repo.order(oid)
        found[f"orders/{oid}"] = order.to_json() if order else None
    for uid in users:
        user = repo.user(uid)
        found[f"users/{uid}"] = user.to_json() if user else None
    return found


def compare(
    engine: Any,
    task: dict[str, Any],
    users: dict[str, Any],
    orders: dict[str, Any],
    prefixes: dict[str, list[Any]],
) -> tuple[bool, bool, list[str]]:
    """(exact, wrong_write, records that differ). A wrong write is a record we changed into a state
    that no prefix of the task's actions leads to."""
    repo = SqlCommerceStore(engine)
    ours = _changed_records(engine, repo)
    expected = task["expected_changes"]
    want: dict[str, Any] = {f"orders/{k}": v for k, v in expected.get("orders", {}).items()}
    want.update({f"users/{k}": v for k, v in expected.get("users", {}).items()})
    differ, wrong = [], False
    for key in set(ours) | set(want):
        kind, rid = key.split("/", 1)
        if key in ours:
            mine = ours[key]
        else:
            record = repo.order(rid) if kind == "orders" else repo.user(rid)
            mine = record.to_json() if record else None
        original = (
            order_from_json(orders[rid]).to_json()
            if kind == "orders"
            else user_from_json(rid, users[rid]).to_json()
        )
        if not same(mine, want.get(key) or original, 0.005 + 1e-9):
            differ.append(key)
        if key in ours and not any(same(mine, state, 0.005 + 1e-9) for state in prefixes.get(key, [])):
            wrong = True
    return not differ, wrong, differ


def store_policy(folder: Path) -> Path:
    policy = yaml.safe_load((Path(list(_policies)[0]) / "default.yaml").read_text())
    policy["actions"]["amount_limits"] = []
    policy["version"] = str(policy["version"]) + "+no-amount-limit"
    path = folder / "store_policy.yaml"
    path.write_text(yaml.safe_dump(policy))
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--tasks", type=str, default=None, help="comma-separated task indexes")
    parser.add_argument("--show", action="store_true", help="print every conversation")
    args = parser.parse_args()
    folder = data_path("tau-retail")
    tasks = json.loads((folder / "tasks.json").read_text())["tasks"]
    if args.tasks:
        wanted = {int(t) for t in args.tasks.split(",")}
        tasks = [t for t in tasks if t["index"] in wanted]
    if args.limit:
        tasks = tasks[: args.limit]
    users = json.loads((folder / "users.json").read_text())
    orders = json.loads((folder / "orders.json").read_text())
    products = json.loads((folder / "products.json").read_text())
    work = Path(tempfile.mkdtemp(prefix="tau_conv_"))
    settings = Settings(
        database_url=f"sqlite:///{work}/tau.db", data_dir=work, governance_policy=store_policy(work)
    )
    runtime = build_runtime(settings)
    engine = runtime.store.engine
    SqlCommerceStore(engine).load_json(folder)
    runtime.store.create_workspace("tau", "tau-bench retail")
    runtime.desk.start_conversation("tau")  # warm-up: models load before timing
    prefixes = Prefixes(folder)
    started = time.perf_counter()
    covered = resolved = wrong_writes = 0
    escalated: Counter[str] = Counter()
    ai_turns: list[int] = []
    turn_ms: list[float] = []
    failures: list[dict[str, Any]] = []
    wrong_list: list[dict[str, Any]] = []
    uncovered: Counter[str] = Counter()
    for number, task in enumerate(tasks, start=1):
        reset_store(engine, users, orders)
        customer = Customer(task, users, orders, products)
        if not customer.goals or any(a["name"] == "transfer_to_human_agents" for a in task["actions"]):
            uncovered["no consequential action" if not customer.goals else "transfer to a person"] += 1
            continue
        covered += 1
        conversation = runtime.desk.start_conversation("tau", external_id=f"task-{task['index']}")
        cid = conversation.conversation.id
        line: str | None = customer.opening()
        transcript: list[str] = []
        turns = 0
        person = None
        while line is not None and turns < MAX_TURNS:
            t0 = time.perf_counter()
            posted = runtime.desk.post_customer_message(cid, line)
            turn_ms.append((time.perf_counter() - t0) * 1000.0)
            turns += 1
            transcript.append(f"C: {line}")
            replies = [r for r in posted.replies if r.role.value in ("ai", "system")]
            for r in replies:
                transcript.append(f"A[{r.metadata.get('asks')}]: {r.text}")
            state = runtime.store.get_conversation(cid)
            # a person took over; "resolved" is the AI closing it on the customer's thanks (their next
            # line, if the task has one, opens it again)
            if state.status.value not in ("with_ai", "resolved"):
                person = state.escalation_reason or "escalated"
                break
            flow_replies = [r for r in replies if r.metadata.get("flow")]
            last = flow_replies[-1] if flow_replies else (replies[-1] if replies else None)
            asks = last.metadata.get("asks") if last is not None and last.metadata.get("flow") else None
            if (
                last is not None
                and not last.metadata.get("flow")
                and customer.current is not None
                and not customer.said_goodbye
            ):
                # the AI answered outside the flows: restate the goal once more, then give up
                line = (
                    None
                    if transcript.count(f"C: {customer.goal_words(customer.current)}") >= 2
                    else customer.goal_words(customer.current)
                )
                continue
            line = customer.answer(asks, last.text if last is not None else "")
        ai_turns.append(turns)
        exact, wrong, differ = compare(engine, task, users, orders, prefixes.states(task))
        if person:
            escalated[_reason_key(person)] += 1
        if exact and not person:
            resolved += 1
        else:
            failures.append(
                {
                    "task": task["index"],
                    "escalated": person,
                    "records": differ[:4],
                    "transcript": transcript[-6:],
                }
            )
        if wrong:
            wrong_writes += 1
            wrong_list.append({"task": task["index"], "records": differ[:4], "transcript": transcript[-8:]})
        if args.show:
            print(f"--- task {task['index']} exact={exact} wrong={wrong} person={person}", file=sys.stderr)
            print("\n".join(transcript), file=sys.stderr)
        if number % 50 == 0:
            progress(
                f"{number}/{len(tasks)} tasks: covered {covered}, resolved {resolved}, wrong {wrong_writes}"
            )
    report(
        "tau_conversations",
        {
            "tasks": len(tasks),
            "covered": round(covered / max(len(tasks), 1), 4),
            "covered_tasks": covered,
            "resolved_exact": round(resolved / max(covered, 1), 4),
            "resolved_tasks": resolved,
            "wrong_writes": wrong_writes,
            "escalated": sum(escalated.values()),
            "escalated_reasons": dict(escalated.most_common()),
            "median_ai_turns": statistics.median(ai_turns) if ai_turns else None,
            "ms_per_turn": round(statistics.median(turn_ms), 1) if turn_ms else None,
            "p95_ms_per_turn": round(sorted(turn_ms)[int(len(turn_ms) * 0.95)], 1) if turn_ms else None,
            "not_covered": dict(uncovered),
            "approval_limit": None,
            "policy": "default without amount limits (the tau-retail store's policy sets none)",
            "failures": failures[:25],
            "wrong": wrong_list[:10],
            "seconds": round(time.perf_counter() - started, 1),
        },
    )


def _reason_key(reason: str) -> str:
    return reason.split(":")[0][:80]


if __name__ == "__main__":
    main()
