"""Steps that look something up (order status, product questions) or gather details for a person."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from relaydesk.specialists import extract as ex
from relaydesk.specialists import flow_texts as ft
from relaydesk.specialists.steps.base import (
    Outcome,
    StepInput,
    ask,
    finish,
    next_,
    render,
    template_values,
)
from relaydesk.specialists.steps.variants import _option_summary

COLOURS = re.compile(
    r"\b(black|white|grey|gray|silver|gold|red|orange|yellow|green|blue|navy|purple|violet|pink|brown|"
    r"beige|teal|turquoise|maroon|burgundy|cream|ivory|khaki|olive|magenta|cyan|lilac|lavender)\b"
)
IN_TRANSIT_FOLLOW_UP_S = 3 * 86400
"""When the order-status flow asks whether an order on its way has arrived."""
STATUS_SAID = {"processed": "on its way"}
"""How a status reads to a customer where the store's word does not."""
STATUS_MEANING = {
    "processed": " (it has left our warehouse)",
    "delivered": " (the carrier has marked it as delivered)",
    "return requested": " (we are waiting for the items to come back)",
    "exchange requested": " (we are waiting for the items to come back before sending the new ones)",
}


def order_status(s: StepInput) -> Outcome:
    found = s.box.order(s.slots["order_id"])
    if found is None:
        return finish(s.say("status.unreadable", order_id=s.slots["order_id"]), "refused")
    names = ", ".join(f"{i['name']} ({ex.describe_options(i['options'])})" for i in found["items"])
    if s.language == "en":
        meaning = STATUS_MEANING.get(found["status"], "")
        said = STATUS_SAID.get(found["status"], found["status"])
        text = f"Order {found['order_id']} is {said}{meaning}. It has: {names}."
    else:
        key = f"status.meaning.{found['status']}"
        meaning = s.say(key) if key in ft.TEXTS else ""
        said = ft.status_word(found["status"], s.language)
        text = s.say("status.order", order_id=found["order_id"], status=said, meaning=meaning, names=names)
    tracking = [t for f in found.get("fulfillments", []) for t in f.get("tracking_id", [])]
    if tracking and s.language == "en":
        text += f" Tracking number{'s' if len(tracking) > 1 else ''}: {', '.join(tracking)}."
    elif tracking:
        text += s.say("status.tracking", tracking=", ".join(tracking))
    elif found["status"].startswith("pending"):
        text += s.say("status.not_shipped")
    follow_up = None
    if found["status"] == "processed":  # on its way: ask later whether it came
        follow_up = (s.say("status.follow_up", order_id=found["order_id"]), IN_TRANSIT_FOLLOW_UP_S)
    return finish(f"{text} {s.say('anything_else')}", "done", resolved=True, follow_up=follow_up)


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
            if ex.option_score(text, {k: v})[0]
        }
        if asked:
            fits = [v for v in available if all(str(v["options"].get(k)) == val for k, val in asked)]
            wanted = ", ".join(val for _, val in sorted(asked))
            if fits:
                prices = sorted(float(v["price"]) for v in fits)
                listing = "\n".join(
                    f"- {ex.describe_options(v['options'])}: {ex.money(float(v['price']))}" for v in fits[:6]
                )
                price = (
                    s.say("product.price_range", low=ex.money(prices[0]), high=ex.money(prices[-1]))
                    if prices[-1] != prices[0]
                    else ex.money(prices[0])
                )
                return finish(
                    s.say("product.available", name=name, wanted=wanted, price=price, listing=listing),
                    "done",
                    resolved=True,
                )
            return finish(
                s.say("product.not_in", name=name, wanted=wanted, options=_option_summary(available)),
                "done",
                resolved=True,
            )
        known = {str(v).lower() for var in variants for v in var["options"].values()}
        other = [c for c in COLOURS.findall(text.lower()) if c not in known]
        if other and available:
            return finish(
                s.say(
                    "product.no_such_colour", name=name, colour=other[0], options=_option_summary(available)
                ),
                "done",
                resolved=True,
            )
        if not available:
            return finish(s.say("product.out_of_stock", name=name), "done", resolved=True)
        prices = sorted(float(v["price"]) for v in available)
        return finish(
            s.say(
                "product.options",
                name=name,
                count=len(available),
                low=ex.money(prices[0]),
                high=ex.money(prices[-1]),
                options=_option_summary(available),
            ),
            "done",
            resolved=True,
        )
    return ask(s.say("product.which"), "product")


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
    return ask(s.setting("ask") or "", slot)


def say(s: StepInput) -> Outcome:
    return finish(render(s.setting("text") or "", template_values(s, {})), "done")


def handoff(s: StepInput, intake: dict[str, Any], label: str) -> Outcome:
    """The flow gathered what a person needs (who, which order, which item) for something only a
    person can do: its slots and the customer's first words go where intake keeps its answers, so
    the brief shows them and intake does not ask for them again, and a person takes over."""
    values = template_values(s, {})
    said = list(s.slots.get("_said", []))
    intake.update(
        {k: v for k, v in s.slots.items() if not k.startswith("_") and k not in ("user_id", "item_ids")},
        _name=s.frame.name,
        _flow=label,
        _done=True,
    )
    if said:
        intake["customer_said"] = said[0]
    intake.pop("_asked", None)
    return Outcome(
        "exit", render(str(s.spec.get("why")), values), said=render(s.setting("say") or "", values)
    )


def refund_status(s: StepInput) -> Outcome:
    """Where the refund for an order stands, from the order's record: refunded (and when it shows),
    waiting for the returned items, or nothing on record, which a person looks into."""
    found = s.box.order(s.slots["order_id"])
    if found is None:
        return finish(s.say("status.unreadable", order_id=s.slots["order_id"]), "refused")
    order_id = found["order_id"]
    refunds = [p for p in found.get("payment_history", []) if p.get("transaction_type") == "refund"]
    if refunds:
        user = s.box.user() or {}
        methods = user.get("payment_methods") or {}
        parts = []
        for p in refunds:
            method = methods.get(p["payment_method_id"], {"id": p["payment_method_id"]})
            parts.append(
                s.say("refund.to", amount=ex.money(float(p["amount"])), method=ex.describe_method(method))
            )
        return finish(
            s.say("refund.done", order_id=order_id, refunds="; ".join(parts)), "done", resolved=True
        )
    if found["status"] == "return requested":
        return finish(s.say("refund.waiting_for_items", order_id=order_id), "done", resolved=True)
    return Outcome(
        "exit",
        f"the customer expects a refund for order {order_id} ({found['status']}), and the order shows "
        "no refund and no return",
        said=s.say("refund.nothing_on_record", order_id=order_id),
    )
