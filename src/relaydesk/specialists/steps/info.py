"""Steps that look something up (order status, product questions) or gather details for a person."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from relaydesk.specialists import extract as ex
from relaydesk.specialists.steps.base import (
    ANYTHING_ELSE,
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
        return finish(f"I couldn't read order {s.slots['order_id']}. {ANYTHING_ELSE}", "refused")
    names = ", ".join(f"{i['name']} ({ex.describe_options(i['options'])})" for i in found["items"])
    meaning = STATUS_MEANING.get(found["status"], "")
    said = STATUS_SAID.get(found["status"], found["status"])
    text = f"Order {found['order_id']} is {said}{meaning}. It has: {names}."
    tracking = [t for f in found.get("fulfillments", []) for t in f.get("tracking_id", [])]
    if tracking:
        text += f" Tracking number{'s' if len(tracking) > 1 else ''}: {', '.join(tracking)}."
    elif found["status"].startswith("pending"):
        text += " It has not shipped yet, so there is no tracking number yet."
    follow_up = None
    if found["status"] == "processed":  # on its way: ask later whether it came
        follow_up = (
            f"Hello again! Has order {found['order_id']} arrived? If anything is missing or wrong with it, "
            "just reply here.",
            IN_TRANSIT_FOLLOW_UP_S,
        )
    return finish(f"{text} {ANYTHING_ELSE}", "done", resolved=True, follow_up=follow_up)


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
        other = [c for c in COLOURS.findall(text.lower()) if c not in known]
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
