"""The step library: each step reads what it needs from the customer's words (this message first,
then what they said earlier in the flow), checks it against the real records through the governed
tools, and either fills its slots (``Next``) or asks for what is missing (``Ask``). ``confirm``
restates the exact action and amounts and waits for a clear yes; ``act`` makes the governed call
and says what the tool returned; nothing is ever done on a guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from relaydesk.governance.governed import ToolStatus
from relaydesk.specialists import extract as ex
from relaydesk.specialists.flow_spec import TOOL_ARGS, StepSpec
from relaydesk.specialists.state import FlowFrame
from relaydesk.specialists.toolbox import Toolbox

ANYTHING_ELSE = "Is there anything else I can help you with?"
ORIGINAL = re.compile(
    r"\b(original|same (card|method|payment|account)|the one i (paid|used|bought)|paid with|used to pay)\b",
    re.I,
)
ALL_ITEMS = re.compile(
    r"\b(all (the |of the )?(items|of it|of them)|everything|the whole order|entire order)\b", re.I
)
SAME_ORDER = re.compile(r"\b(same|that|this) order\b", re.I)
DEFAULT_ADDRESS = re.compile(
    r"\b(to|use|same as|ship (it )?to|send (it )?to)\s+(my |the )?"
    r"(default|usual|profile|account|saved) address\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: str
    """``next`` (slots filled, go on), ``again`` (run the flow on from the step it now stands at),
    ``ask`` (wait for the customer), ``finish`` (the flow ended), ``exit`` (a person should take
    it), ``handover`` (another flow fits better)."""
    text: str = ""
    asks: str | None = None
    label: str = ""
    """For finish/exit: how it ended (done, refused, declined, not_possible, awaiting_approval)."""
    target: str | None = None
    resolved: bool = False
    specific: bool = False
    """For ask: the customer named something this step cannot take as it is (an option that is
    not available, a refund method the rules do not allow), and the question says why."""


def next_() -> Outcome:
    return Outcome("next")


def ask(text: str, slot: str, *, specific: bool = False) -> Outcome:
    return Outcome("ask", text, asks=slot, specific=specific)


def finish(text: str, label: str, *, resolved: bool = False) -> Outcome:
    return Outcome("finish", text, label=label, resolved=resolved)


@dataclass
class StepInput:
    box: Toolbox
    spec: StepSpec
    frame: FlowFrame
    texts: Sequence[str]
    """This message first (when there is one), then the customer's earlier messages in the flow."""
    title: str

    @property
    def slots(self) -> dict[str, Any]:
        return self.frame.slots

    @property
    def current(self) -> str:
        return self.texts[0] if self.texts else ""

    @property
    def answering(self) -> bool:
        """Whether this message answers the question this step asked."""
        return bool(self.texts) and self.frame.asked is not None


# -- identity ---------------------------------------------------------------------------------------
def identify(s: StepInput) -> Outcome:
    if s.box.user_id:
        s.box.state.shared["user_id"] = s.box.user_id
        s.slots["user_id"] = s.box.user_id
        return next_()
    tried = s.slots.setdefault("_tried", [])
    failure = None
    for text in s.texts:
        found_email = ex.email(text)
        if found_email and found_email not in tried:
            tried.append(found_email)
            outcome = s.box.call("find_user_id_by_email", {"email": found_email})
            if outcome.accepted:
                return _verified(s)
            failure = f"I couldn't find an account with the e-mail {found_email}."
            break
        person = ex.name_and_zip(text)
        key = " ".join(person) if person else None
        if person and key not in tried:
            tried.append(key)
            first, last, zip_code = person
            outcome = s.box.call(
                "find_user_id_by_name_zip", {"first_name": first, "last_name": last, "zip": zip_code}
            )
            if outcome.accepted:
                return _verified(s)
            failure = f"I couldn't find an account for {first} {last} with zip code {zip_code}."
            break
    question = s.spec.get("ask") or (
        "First I need to confirm who you are: what is the e-mail address on your account? "
        "(Or your full name and zip code.)"
    )
    if failure:
        other = (
            "the e-mail address on your account"
            if failure.startswith("I couldn't find an account for")
            else "your full name and zip code"
        )
        return ask(f"{failure} Could you check it, or give me {other} instead?", "identity")
    return ask(question, "identity")


def _verified(s: StepInput) -> Outcome:
    s.box.state.shared["user_id"] = s.box.user_id
    s.slots["user_id"] = s.box.user_id
    user = s.box.user() or {}
    name = (user.get("name") or {}).get("first_name")
    if name:
        s.box.state.shared["first_name"] = name
    return next_()


# -- orders -----------------------------------------------------------------------------------------
def order(s: StepInput) -> Outcome:
    slot = str(s.spec.get("slot", "order_id"))
    statuses = list(s.spec.get("statuses", []))
    handover = dict(s.spec.get("handover", {}))
    if s.frame.asked == slot and s.slots.get("_offered") and ex.answer(s.current) == "yes":
        return _take_order(s, slot, str(s.slots.pop("_offered")), statuses, handover)
    for text in s.texts:
        ids = ex.order_ids(text)
        if not ids and SAME_ORDER.search(text) and s.box.state.shared.get("orders"):
            ids = [s.box.state.shared["orders"][-1]]
        if ids:
            return _take_order(s, slot, ids[0], statuses, handover)
    orders = s.box.orders_of_user()
    fitting = [o for o in orders if not statuses or o["status"] in statuses]
    # "where is my other order?" in the middle of a return: not the order being returned
    busy = {f.slots.get("order_id") for f in s.box.state.suspended}
    fitting = [o for o in fitting if o["order_id"] not in busy] or fitting
    catalogue = list(s.box.catalogue())
    for text in s.texts:
        named = ex.named_products(text, list(catalogue))
        if named:
            with_product = [o for o in fitting if any(i["name"] in named for i in o["items"])]
            if len(with_product) == 1:
                return _take_order(s, slot, with_product[0]["order_id"], statuses, handover)
            if with_product:
                fitting = with_product
            break
    if not fitting:
        listing = "; ".join(f"{o['order_id']} ({o['status']})" for o in orders) or "none"
        kind = " or ".join(statuses) if statuses else ""
        return finish(
            f"I don't see any {kind} order on your account that I could use for this. Your orders: "
            f"{listing}. {ANYTHING_ELSE}",
            "not_possible",
        )
    if len(fitting) == 1:
        s.slots["_offered"] = fitting[0]["order_id"]
        return ask(f"Is it order {_describe_order(fitting[0])}?", slot)
    s.slots.pop("_offered", None)
    listing = "\n".join(f"- {_describe_order(o)}" for o in fitting[:8])
    question = s.spec.get("ask") or "Which order is it?"
    return ask(f"{question} These are the ones I can see:\n{listing}", slot)


def _describe_order(o: dict[str, Any]) -> str:
    names = ", ".join(i["name"] for i in o["items"][:4]) + (", ..." if len(o["items"]) > 4 else "")
    return f"{o['order_id']} ({o['status']}: {names})"


def _take_order(
    s: StepInput, slot: str, order_id: str, statuses: list[str], handover: dict[str, str]
) -> Outcome:
    found = s.box.order(order_id)
    if found is None:
        s.slots.pop("_offered", None)
        return ask(
            f"I couldn't find order {order_id} on your account. Could you check the number? "
            "It starts with #W and has seven digits.",
            slot,
        )
    s.box.state.remember_order(order_id)
    if statuses and found["status"] not in statuses:
        target = handover.get(found["status"])
        if target:
            s.slots[slot] = order_id
            return Outcome("handover", target=target)
        return finish(
            f"Order {order_id} is {found['status']}, and to {s.title.lower()} the order has to be "
            f"{' or '.join(statuses)}, so I can't do it for this one. {ANYTHING_ELSE}",
            "not_possible",
        )
    s.slots[slot] = order_id
    return next_()


# -- items ------------------------------------------------------------------------------------------
def items(s: StepInput) -> Outcome:
    found = s.box.order(s.slots["order_id"]) or {"items": []}
    order_items = found["items"]
    catalogue = list(s.box.catalogue())
    match: ex.ItemMatch | None = None
    for text in s.texts:
        if ALL_ITEMS.search(text):
            return _set_items(s, order_items, [str(i["item_id"]) for i in order_items])
        candidate = ex.resolve_items(text, order_items, catalogue)
        if candidate.item_ids or candidate.ambiguous or candidate.unknown:
            match = candidate
            break
    listing = "\n".join(f"- {i['name']} ({ex.describe_options(i['options'])})" for i in order_items)
    if match is not None and match.ambiguous:
        name = match.ambiguous[0]
        same = [i for i in order_items if i["name"] == name]
        options = "; ".join(ex.describe_options(i["options"]) for i in same)
        return ask(
            f"Your order has more than one {name}: {options}. Which one do you mean (or both)?", "items"
        )
    if match is not None and match.unknown:
        # never drop an item the customer named: "the grill and the notebook" where the notebook
        # is in another order is asked about, not turned into "the grill"
        found_too = _describe_ids(order_items, match.item_ids) if match.item_ids else ""
        also = f" (I did find the {found_too})" if found_too else ""
        return ask(
            f"Order {s.slots['order_id']} has no {match.unknown[0]}{also}. It has:\n{listing}\n"
            "Which item(s) do you mean?",
            "items",
        )
    if match is not None and match.item_ids:
        return _set_items(s, order_items, match.item_ids)
    if len(order_items) == 1 and s.spec.get("all_if_one", False):
        return _set_items(s, order_items, [str(order_items[0]["item_id"])])
    question = s.spec.get("ask") or "Which item(s) is it about?"
    return ask(f"{question} Order {s.slots['order_id']} has:\n{listing}", "items")


def _set_items(s: StepInput, order_items: list[dict[str, Any]], ids: list[str]) -> Outcome:
    s.slots["item_ids"] = ids
    s.slots["items"] = _describe_ids(order_items, ids)
    return next_()


def _describe_ids(order_items: list[dict[str, Any]], ids: list[str]) -> str:
    by_id = {str(i["item_id"]): i for i in order_items}
    return "; ".join(
        f"{by_id[i]['name']} ({ex.describe_options(by_id[i]['options'])})" for i in ids if i in by_id
    )


def new_items(s: StepInput) -> Outcome:
    found = s.box.order(s.slots["order_id"]) or {"items": []}
    by_id = {str(i["item_id"]): i for i in found["items"]}
    chosen: dict[str, str] = dict(s.slots.get("_new") or {})
    # the options chosen before a "yes, but make it the red one": unnamed options stay as chosen
    before_ids: dict[str, str] = dict(s.slots.get("_new_before") or {})
    item_ids = list(s.slots["item_ids"])
    problems: list[str] = []
    named_something = False
    several = len({by_id[i]["name"] for i in item_ids if i in by_id}) > 1
    # option values of the products involved: a product name that is also one ("laptop", a
    # backpack's compartment) is a mention of that product only when it reads like one
    values = {
        str(v).lower()
        for i in item_ids
        if i in by_id
        for variant in (s.box.product(str(by_id[i]["product_id"])) or {"variants": {}})["variants"].values()
        for v in variant.get("options", {}).values()
    }
    proposed: dict[str, list[str]] = dict(s.slots.pop("_proposed", None) or {})
    if s.frame.asked == "new_items" and len(proposed) == 1 and s.texts:
        # "yes" to the one variant proposed, or "the second one" of those listed
        ((key, ids),) = proposed.items()
        pick = ex.ordinal(s.current, len(ids))
        if pick is None and len(ids) == 1 and ex.answer(s.current) == "yes":
            pick = 0
        if pick is None:
            pick = _pick_by_options(s, by_id.get(key.split(":", 1)[1]), ids)
        if pick is not None:
            chosen[key] = ids[pick]
    for n, item_id in enumerate(item_ids):
        key = f"{n}:{item_id}"
        if key in chosen:
            continue
        item = by_id.get(item_id)
        if item is None:
            continue
        product = s.box.product(str(item["product_id"])) or {"variants": {}}
        variants = list(product["variants"].values())
        result: ex.VariantChoice | None = None
        names = [str(i["name"]) for i in found["items"]]
        # the k-th item of a product takes the k-th mention of it ("the kettle should be ceramic;
        # the other kettle should be glass")
        rank = sum(1 for earlier in item_ids[:n] if by_id.get(earlier, {}).get("name") == item["name"])
        earlier_choice = product["variants"].get(before_ids.get(key, ""), {}).get("options")
        for text in s.texts:
            windows = [text[a:b] for name, a, b in ex.mentions(text, names, values) if name == item["name"]]
            if not windows and not several:
                windows = [text]
            if len(windows) > 1 and rank < len(windows):
                windows = [windows[rank]]
            for window in windows:
                attempt = ex.resolve_variant(window, item, variants, earlier_choice)
                if attempt.problem != "not_said":
                    result = attempt
                    break
            if result is not None:
                break
        if result is not None and result.new_item_id:
            chosen[key] = result.new_item_id
            continue
        named_something = named_something or (result is not None and result.problem != "not_said")
        if result is not None and result.problem in ("compromise", "ambiguous") and result.candidates:
            proposed[key] = [str(v["item_id"]) for v in result.candidates]
        problems.append(_variant_problem(item, result, variants))
    s.slots["_new"] = chosen
    s.slots["_proposed"] = {k: v for k, v in proposed.items() if k not in chosen}
    if problems:
        return ask(" ".join(problems), "new_items", specific=named_something)
    s.slots["new_item_ids"] = [chosen[f"{n}:{i}"] for n, i in enumerate(item_ids)]
    descriptions = []
    for n, item_id in enumerate(item_ids):
        item = by_id[item_id]
        product = s.box.product(str(item["product_id"])) or {"variants": {}}
        new = product["variants"].get(chosen[f"{n}:{item_id}"], {})
        descriptions.append(
            f"{item['name']} ({ex.describe_options(new.get('options', {}))}) "
            f"at {ex.money(float(new.get('price', 0)))}"
        )
    s.slots["new_items"] = "; ".join(descriptions)
    return next_()


def _pick_by_options(s: StepInput, item: dict[str, Any] | None, ids: list[str]) -> int | None:
    """Of the variants offered, the one this message's options point to ("size S please")."""
    if item is None:
        return None
    product = s.box.product(str(item["product_id"])) or {"variants": {}}
    scores = [ex.option_score(s.current, product["variants"].get(i, {}).get("options", {})) for i in ids]
    best = max((hit - 2 * miss for hit, miss in scores), default=0)
    if best <= 0:
        return None
    top = [n for n, (hit, miss) in enumerate(scores) if hit - 2 * miss == best]
    return top[0] if len(top) == 1 else None


def _variant_problem(
    item: dict[str, Any], result: ex.VariantChoice | None, variants: list[dict[str, Any]]
) -> str:
    name = item["name"]
    available = [v for v in variants if v.get("available") and str(v["item_id"]) != str(item["item_id"])]
    choices = _option_summary(available)
    if result is None or result.problem == "not_said":
        return (
            f"What would you like instead of the {name} ({ex.describe_options(item['options'])})? "
            f"Available options: {choices}."
        )
    if result.problem == "same":
        return (
            f"That is the same {name} you have now. What would you like to change about it? "
            f"Available options: {choices}."
        )
    if result.problem == "compromise":
        if len(result.candidates) == 1:
            only = result.candidates[0]
            return (
                f"The {name} isn't available that way with its other options as they are. The closest "
                f"I have is {ex.describe_options(only['options'])} ({ex.money(float(only.get('price', 0)))})"
                ". Shall I use that one, or would you like something else?"
            )
        return (
            f"The {name} isn't available that way with its other options as they are. The closest "
            f"I have: {_numbered(result.candidates)}. Which one would you like?"
        )
    if result.problem == "unavailable":
        return f"That {name} is not available right now. Available options: {choices}. Which would you like?"
    return f"More than one {name} fits that: {_numbered(result.candidates)}. Which one would you like?"


def _numbered(variants: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{n}) {ex.describe_options(v['options'])} ({ex.money(float(v.get('price', 0)))})"
        for n, v in enumerate(variants[:5], start=1)
    )


def _option_summary(variants: list[dict[str, Any]]) -> str:
    values: dict[str, list[str]] = {}
    for v in variants:
        for key, value in v.get("options", {}).items():
            if str(value) not in values.setdefault(key, []):
                values[key].append(str(value))
    summary = "; ".join(f"{k}: {', '.join(vs)}" for k, vs in values.items())
    if not summary:
        return "none"
    combinations = 1
    for vs in values.values():
        combinations *= len(vs)
    return summary + (" (not every combination exists)" if combinations > len(variants) else "")


# -- payment, reason, address -----------------------------------------------------------------------
def payment(s: StepInput) -> Outcome:
    user = s.box.user() or {}
    methods = list((user.get("payment_methods") or {}).values())
    found = s.box.order(s.slots["order_id"]) if s.slots.get("order_id") else None
    history = (found or {}).get("payment_history", [])
    original = next((p["payment_method_id"] for p in history if p.get("transaction_type") == "payment"), None)
    rule = s.spec.get("allow", "any")
    if rule == "original_or_gift_card":
        paid = {p["payment_method_id"] for p in history}
        eligible = [m for m in methods if m["id"] in paid or m.get("source") == "gift_card"]
    elif rule == "other_than_current":
        eligible = [m for m in methods if m["id"] != original]
    else:
        eligible = methods
    purpose = s.spec.get("purpose") or "use"
    missing = ex.named_source(s.current)
    if s.texts and missing and not any(m.get("source") == missing for m in methods):
        # "refund it to my PayPal" with no PayPal account: say so, never fall back on an older answer
        kind = {"paypal": "PayPal account", "gift_card": "gift card", "credit_card": "card"}[missing]
        listing = ", ".join(ex.describe_method(m) for m in eligible) or "none"
        return ask(
            f"I don't see a {kind} on your account, so I can't use one here. You can choose: {listing}.",
            "payment",
            specific=True,
        )
    for text in s.texts:
        chosen: str | None = None
        if ORIGINAL.search(text) and original:
            chosen = original
        else:
            chosen, ambiguous = ex.payment_method(text, methods)
            if ambiguous:
                listing = ", ".join(ex.describe_method(m) for m in eligible)
                return ask(
                    f"You have more than one of those. Which one: {listing}?", "payment", specific=True
                )
        if chosen is not None:
            if chosen not in {m["id"] for m in eligible}:
                why = (
                    "A refund can only go to the original payment method or a gift card."
                    if rule == "original_or_gift_card"
                    else "That is the method the order uses now."
                )
                listing = ", ".join(ex.describe_method(m) for m in eligible) or "none"
                return ask(f"{why} You can choose: {listing}.", "payment", specific=True)
            return _set_payment(s, methods, chosen)
    if len(eligible) == 1 and rule != "other_than_current":
        return _set_payment(s, methods, str(eligible[0]["id"]))
    listing = "\n".join(f"- {ex.describe_method(m)}" for m in eligible)
    question = s.spec.get("ask") or f"Which payment method should I {purpose}?"
    return ask(f"{question} You have:\n{listing}", "payment")


def _set_payment(s: StepInput, methods: list[dict[str, Any]], method_id: str) -> Outcome:
    s.slots["payment_method_id"] = method_id
    method = next((m for m in methods if m["id"] == method_id), {"id": method_id})
    s.slots["payment"] = ex.describe_method(method)
    return next_()


def reason(s: StepInput) -> Outcome:
    for text in s.texts:
        found = ex.cancel_reason(text)
        if found:
            s.slots["reason"] = found
            return next_()
    if s.answering and s.frame.asked == "reason" and ex.answer(s.current) == "no":
        pass
    return ask(
        s.spec.get("ask")
        or "Could you tell me why you'd like to cancel: is it no longer needed, "
        "or was it ordered by mistake?",
        "reason",
    )


def address(s: StepInput) -> Outcome:
    for text in s.texts:
        found = ex.address(text)
        if found:
            s.slots["address"] = found
            return next_()
        if DEFAULT_ADDRESS.search(text) and s.box.user():
            s.slots["address"] = dict((s.box.user() or {})["address"])
            return next_()
    question = (
        s.spec.get("ask")
        or "What is the new address? Please write it on one line: "
        "street, apartment or suite, city, state, zip code."
    )
    if s.frame.asked == "address" and s.texts and re.search(r"\d", s.current):
        question = (
            "I couldn't read a complete address there. I need the street with its number, the city, "
            "the state as two capital letters (like TX) and the 5-digit zip code, separated by commas: "
            "for example 12 Oak Street, Apt 3, Austin, TX 78701."
        )
    return ask(question, "address")


def format_address(a: dict[str, Any]) -> str:
    parts = [
        a.get("address1"),
        a.get("address2"),
        a.get("city"),
        f"{a.get('state', '')} {a.get('zip', '')}".strip(),
        a.get("country"),
    ]
    return ", ".join(str(p) for p in parts if p)


# -- confirming and acting --------------------------------------------------------------------------
def tool_args(spec: StepSpec, slots: dict[str, Any]) -> dict[str, Any]:
    mapping = spec.get("args") or TOOL_ARGS[str(spec.get("tool"))]
    args: dict[str, Any] = {}
    for arg, slot in mapping.items():
        if str(slot).startswith("="):
            args[arg] = str(slot)[1:]
        elif arg == "address":
            args.update({k: str(v) for k, v in dict(slots[slot]).items()})
        else:
            args[arg] = slots[slot]
    return args


def template_values(s: StepInput, facts: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {k: v for k, v in s.slots.items() if not k.startswith("_")}
    if isinstance(values.get("address"), dict):
        values["address"] = format_address(values["address"])
    found = s.box.order(s.slots["order_id"]) if s.slots.get("order_id") else None
    if found:
        values.setdefault("items", "; ".join(i["name"] for i in found["items"]))
        values["order_items"] = ", ".join(i["name"] for i in found["items"])
        values["status"] = found["status"]
        paid = sum(
            p["amount"] for p in found.get("payment_history", []) if p["transaction_type"] == "payment"
        )
        values["total"] = ex.money(paid)
        history = found.get("payment_history", [])
        user = s.box.user() or {}
        methods = user.get("payment_methods") or {}
        if history:
            method = methods.get(history[0]["payment_method_id"], {"id": history[0]["payment_method_id"]})
            values["refund_to"] = ex.describe_method(method)
    for key in ("refund_amount", "charge_amount"):
        if isinstance(facts.get(key), int | float):
            values[key] = ex.money(float(facts[key]))
    difference = facts.get("price_difference")
    if isinstance(difference, int | float):
        values["price_difference"] = ex.money(abs(float(difference)))
        values["difference"] = (
            f"you pay {ex.money(difference)} more"
            if difference > 0.005
            else f"you get {ex.money(-difference)} back"
            if difference < -0.005
            else "the price is the same"
        )
    values.setdefault("first_name", s.box.state.shared.get("first_name", ""))
    return values


def render(template: str, values: dict[str, Any]) -> str:
    class Missing(dict[str, Any]):
        def __missing__(self, key: str) -> str:
            return "?"

    return template.format_map(Missing(values))


Refill = Callable[[str], bool]
"""Re-reads the earlier steps from a reply to the confirmation: True when one changed (the flow
may have gone back to an earlier step)."""


def confirm(s: StepInput, refill: Refill) -> Outcome:
    tool = str(s.spec.get("tool"))
    if s.frame.asked == "confirm" and s.texts:
        said = ex.answer(s.current)
        if said == "yes":
            s.box.confirm(tool, tool_args(s.spec, s.slots))
            return next_()
        at = s.frame.step
        if said in ("no", "change", None) and refill(s.current):
            if s.frame.step != at:
                # an earlier step's answer changed and the steps after it must be read again
                s.slots["_changed"] = True
                return Outcome("again")
            return _ask_confirmation(s, tool, changed=True)
        if said == "no":
            return finish(f"All right, I haven't changed anything. {ANYTHING_ELSE}", "declined")
        if said == "change":
            return ask("What would you like to change?", "confirm")
        if said == "unsure":
            s.frame.attempts += 0
            return _ask_confirmation(s, tool, unsure=True)
    return _ask_confirmation(s, tool, changed=bool(s.slots.pop("_changed", False)))


def _ask_confirmation(s: StepInput, tool: str, *, changed: bool = False, unsure: bool = False) -> Outcome:
    args = tool_args(s.spec, s.slots)
    values = template_values(s, s.box.preview(tool, args))
    action = render(str(s.spec.get("say")), values)
    note = render(str(s.spec.get("note")), values) if s.spec.get("note") else ""
    lead = (
        "I can only go ahead with a clear yes. "
        if unsure
        else "Updated. "
        if changed
        else "Before I do anything: "
    )
    held = s.box.needs_approval(tool, args)
    if held:
        note = (note + " " if note else "") + (
            f"{held} So once you say yes, a member of our team will check it before it happens."
        )
    text = f"{lead}I will {action}.{(' ' + note) if note else ''} Shall I go ahead? (yes / no)"
    return ask(text, "confirm")


def act(s: StepInput) -> Outcome:
    tool = str(s.spec.get("tool"))
    args = tool_args(s.spec, s.slots)
    outcome = s.box.call(tool, args)
    if s.slots.get("order_id"):
        s.box.forget_order(str(s.slots["order_id"]))
    if outcome.status == ToolStatus.EXECUTED:
        values = template_values(s, s.box.preview(tool, args) if tool != "cancel_pending_order" else {})
        if isinstance(outcome.result, dict) and outcome.result.get("status"):
            values["status"] = outcome.result["status"]
        done = render(str(s.spec.get("done") or "Done."), values)
        s.slots["result"] = "done"
        return finish(f"{done} {ANYTHING_ELSE}", "done", resolved=True)
    if outcome.status == ToolStatus.PENDING_APPROVAL:
        s.frame.approval_id = outcome.approval_id
        return finish(
            f"{outcome.reason} You don't need to do anything: I'll tell you here as soon as they decide.",
            "awaiting_approval",
        )
    return finish(f"I couldn't do that: {outcome.reason} {ANYTHING_ELSE}", "refused")


# -- information --------------------------------------------------------------------------------------
COLOURS = re.compile(
    r"\b(black|white|grey|gray|silver|gold|red|orange|yellow|green|blue|navy|purple|violet|pink|brown|"
    r"beige|teal|turquoise|maroon|burgundy|cream|ivory|khaki|olive|magenta|cyan|lilac|lavender)\b"
)
STATUS_MEANING = {
    "processed": " (it has left our warehouse)",
    "delivered": " (the carrier has marked it as delivered)",
    "return requested": " (we are waiting for the items to come back)",
    "exchange requested": " (we are waiting for the items to come back before sending the new ones)",
}


def order_status(s: StepInput) -> Outcome:
    found = s.box.order(s.slots["order_id"])
    if found is None:
        return finish(f"I couldn't read order {s.slots['order_id']}. {ANYTHING_ELSE}", "refused")
    names = ", ".join(f"{i['name']} ({ex.describe_options(i['options'])})" for i in found["items"])
    meaning = STATUS_MEANING.get(found["status"], "")
    text = f"Order {found['order_id']} is {found['status']}{meaning}. It has: {names}."
    tracking = [t for f in found.get("fulfillments", []) for t in f.get("tracking_id", [])]
    if tracking:
        text += f" Tracking number{'s' if len(tracking) > 1 else ''}: {', '.join(tracking)}."
    elif found["status"].startswith("pending"):
        text += " It has not shipped yet, so there is no tracking number yet."
    return finish(f"{text} {ANYTHING_ELSE}", "done", resolved=True)


def product_info(s: StepInput) -> Outcome:
    catalogue = s.box.catalogue()
    for text in s.texts:
        found_names = ex.mentions(text, list(catalogue))
        if not found_names:
            continue
        name, at, _ = max(found_names, key=lambda m: len(m[0]))
        product = s.box.product(catalogue[name])
        if product is None:
            break
        variants = list(product["variants"].values())
        available = [v for v in variants if v.get("available")]
        asked = {
            (k, str(v))
            for var in variants
            for k, v in var["options"].items()
            if ex.option_score(text[at:], {k: v})[0]
        }
        if asked:
            fits = [v for v in available if all(str(v["options"].get(k)) == val for k, val in asked)]
            wanted = ", ".join(val for _, val in sorted(asked))
            if fits:
                prices = sorted(float(v["price"]) for v in fits)
                listing = "\n".join(
                    f"- {ex.describe_options(v['options'])}: {ex.money(float(v['price']))}" for v in fits[:6]
                )
                price = ex.money(prices[0]) + (
                    f" to {ex.money(prices[-1])}" if prices[-1] != prices[0] else ""
                )
                return finish(
                    f"Yes, the {name} is available in {wanted} ({price}):\n{listing}\n{ANYTHING_ELSE}",
                    "done",
                    resolved=True,
                )
            return finish(
                f"Sorry, the {name} is not available in {wanted} right now. Available options: "
                f"{_option_summary(available)}. {ANYTHING_ELSE}",
                "done",
                resolved=True,
            )
        known = {str(v).lower() for var in variants for v in var["options"].values()}
        other = [c for c in COLOURS.findall(text[at:].lower()) if c not in known]
        if other and available:
            return finish(
                f"Sorry, the {name} doesn't come in {other[0]}. Available options: "
                f"{_option_summary(available)}. {ANYTHING_ELSE}",
                "done",
                resolved=True,
            )
        if not available:
            return finish(
                f"The {name} is out of stock in every option right now. {ANYTHING_ELSE}",
                "done",
                resolved=True,
            )
        prices = sorted(float(v["price"]) for v in available)
        return finish(
            f"The {name} is available in {len(available)} options, from {ex.money(prices[0])} to "
            f"{ex.money(prices[-1])}. Options: {_option_summary(available)}. {ANYTHING_ELSE}",
            "done",
            resolved=True,
        )
    return ask("Which product would you like to know about?", "product")


# -- intake and plain text ----------------------------------------------------------------------------
GATHERERS: dict[str, Callable[[str], Any]] = {
    "order_id": lambda t: next(iter(ex.order_ids(t)), None),
    "email": ex.email,
    "amount": lambda t: m.group(1) if (m := re.search(r"\$?\s?(\d+(?:[.,]\d{1,2})?)", t)) else None,
    "yes_no": lambda t: ex.answer(t) if ex.answer(t) in ("yes", "no") else None,
    "text": lambda t: t.strip() if len(t.split()) >= 3 else None,
    "item": lambda t: t.strip() if len(t.split()) >= 1 else None,
}


def gather(s: StepInput, known: dict[str, Any]) -> Outcome:
    slot = str(s.spec.get("slot"))
    if slot in known and known[slot]:
        s.slots[slot] = known[slot]
        return next_()
    reader = GATHERERS[str(s.spec.get("kind"))]
    texts = s.texts if s.spec.get("kind") != "text" else s.texts[:1] if s.frame.asked == slot else ()
    for text in texts:
        value = reader(text)
        if value:
            s.slots[slot] = value
            return next_()
    return ask(str(s.spec.get("ask")), slot)


def say(s: StepInput) -> Outcome:
    return finish(render(str(s.spec.get("text")), template_values(s, {})), "done")
