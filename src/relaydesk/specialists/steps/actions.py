"""Steps that fill what an action needs (payment method, reason, address), confirm it with the
exact action and amounts, and make the governed call."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from relaydesk.governance.governed import ALREADY_WAITING, ToolStatus
from relaydesk.specialists import extract as ex
from relaydesk.specialists.steps.base import (
    DEFAULT_ADDRESS,
    ORIGINAL,
    Outcome,
    StepInput,
    ask,
    finish,
    next_,
    render,
    template_values,
    tool_args,
)


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
    kinds = {"paypal": "PayPal", "gift_card": "gift card", "credit_card": "card"}
    missing = ex.named_source(s.current)
    if s.texts and missing and not any(m.get("source") == missing for m in methods):
        # "refund it to my PayPal" with no PayPal account: say so, never fall back on an older answer
        kind = {"paypal": "PayPal account", "gift_card": "gift card", "credit_card": "card"}[missing]
        if s.language != "en":
            kind = kinds[missing]
        listing = ", ".join(ex.describe_method(m) for m in eligible) or s.say("none")
        return ask(s.say("payment.none_of_kind", kind=kind, listing=listing), "payment", specific=True)
    for text in s.texts:
        chosen: str | None = None
        if ORIGINAL.search(text) and original:
            chosen = original
        else:
            chosen, ambiguous = ex.payment_method(text, methods)
            if ambiguous:
                listing = ", ".join(ex.describe_method(m) for m in eligible)
                return ask(s.say("payment.ambiguous", listing=listing), "payment", specific=True)
        if chosen is not None:
            if chosen not in {m["id"] for m in eligible}:
                why = s.say("payment.refund_rule" if rule == "original_or_gift_card" else "payment.current")
                listing = ", ".join(ex.describe_method(m) for m in eligible) or s.say("none")
                return ask(s.say("payment.choose", why=why, listing=listing), "payment", specific=True)
            return _set_payment(s, methods, chosen)
    if len(eligible) == 1 and rule != "other_than_current":
        return _set_payment(s, methods, str(eligible[0]["id"]))
    listing = "\n".join(f"- {ex.describe_method(m)}" for m in eligible)
    question = s.setting("ask") or s.say("payment.which", purpose=purpose)
    return ask(s.say("payment.you_have", question=question, listing=listing), "payment")


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
    return ask(s.setting("ask") or s.say("reason.ask"), "reason")


def address(s: StepInput) -> Outcome:
    for text in s.texts:
        found = ex.address(text)
        if found:
            s.slots["address"] = found
            return next_()
        if DEFAULT_ADDRESS.search(text) and s.box.user():
            s.slots["address"] = dict((s.box.user() or {})["address"])
            return next_()
    question = s.setting("ask") or s.say("address.ask")
    if s.frame.asked == "address" and s.texts and re.search(r"\d", s.current):
        question = s.say("address.unreadable")
    return ask(question, "address")


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
            return finish(s.say("confirm.declined"), "declined")
        if said == "change":
            return ask(s.say("confirm.what_change"), "confirm")
        if said == "unsure":
            s.frame.attempts += 0
            return _ask_confirmation(s, tool, unsure=True)
    return _ask_confirmation(s, tool, changed=bool(s.slots.pop("_changed", False)))


def _ask_confirmation(s: StepInput, tool: str, *, changed: bool = False, unsure: bool = False) -> Outcome:
    args = tool_args(s.spec, s.slots)
    values = template_values(s, s.box.preview(tool, args))
    action = render(s.setting("say") or "", values)
    note = render(s.setting("note") or "", values)
    lead = s.say("confirm.lead_unsure" if unsure else "confirm.lead_changed" if changed else "confirm.lead")
    held = s.box.needs_approval(tool, args)
    if held:
        note = (note + " " if note else "") + s.say("confirm.held", held=held)
    text = s.say("confirm.ask", lead=lead, action=action, note=(" " + note) if note else "")
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
        done = render(s.setting("done") or s.say("act.done"), values)
        s.slots["result"] = "done"
        return finish(f"{done} {s.say('anything_else')}", "done", resolved=True)
    if outcome.status == ToolStatus.PENDING_APPROVAL:
        s.frame.approval_id = outcome.approval_id
        if outcome.reason == ALREADY_WAITING:  # asked before, from another conversation
            return finish(s.say("act.already_waiting"), "awaiting_approval")
        return finish(s.say("act.awaiting", reason=outcome.reason), "awaiting_approval")
    return finish(s.say("act.refused", reason=outcome.reason), "refused")
