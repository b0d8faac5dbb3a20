"""Steps that find the customer, the order and the items a request is about."""

from __future__ import annotations

import re
from typing import Any

from relaydesk.specialists import extract as ex
from relaydesk.specialists import flow_texts as ft
from relaydesk.specialists.steps.base import (
    ALL_ITEMS,
    SAME_ORDER,
    Outcome,
    StepInput,
    ask,
    next_,
)
from relaydesk.specialists.steps.standing import awaiting_request, not_possible, wrong_status


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
            failure = s.say("identify.no_email", email=found_email)
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
            failure = s.say("identify.no_person", first=first, last=last, zip=zip_code)
            break
    if failure:
        return ask(failure, "identity")
    for given in s.box.given_emails:  # written earlier in the conversation: tried, never said back
        if given not in tried:
            tried.append(given)
            if s.box.call("find_user_id_by_email", {"email": given}).accepted:
                return _verified(s)
    return ask(s.setting("ask") or s.say("identify.ask"), "identity")


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
            return _take_order(s, slot, ex.order_near(text, ids, s.words), statuses, handover)
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
        else:  # "my security camera arrived cracked": the orders with an item it names loosely
            with_product = [o for o in fitting if ex.loose_items(text, o["items"]) is not None]
        if len(with_product) == 1:
            return _take_order(s, slot, with_product[0]["order_id"], statuses, handover)
        if with_product:
            fitting = with_product
        if named or with_product:
            break
    if not fitting:
        listing = "; ".join(
            f"{o['order_id']} ({ft.status_word(o['status'], s.language)})" for o in orders
        ) or s.say("none")
        joiner = " or " if s.language == "en" else " / "
        kind = joiner.join(ft.status_word(x, s.language) for x in statuses) if statuses else ""
        said = s.say("order.none_fitting", kind=kind, listing=listing, anything_else="")
        why = f"the customer wanted '{s.title}', and none of their orders is {' or '.join(statuses)}"
        return not_possible(s, said.replace("  ", " ").rstrip(), why)
    if len(fitting) == 1:
        s.slots["_offered"] = fitting[0]["order_id"]
        return ask(s.say("order.is_it", order=_describe_order(fitting[0], s.language)), slot)
    s.slots.pop("_offered", None)
    listing = "\n".join(f"- {_describe_order(o, s.language)}" for o in fitting[:8])
    question = s.setting("ask") or s.say("order.which")
    return ask(s.say("order.listing", question=question, listing=listing), slot)


def _describe_order(o: dict[str, Any], language: str = "en") -> str:
    names = ", ".join(i["name"] for i in o["items"][:4]) + (", ..." if len(o["items"]) > 4 else "")
    return f"{o['order_id']} ({ft.status_word(o['status'], language)}: {names})"


def _take_order(
    s: StepInput, slot: str, order_id: str, statuses: list[str], handover: dict[str, str]
) -> Outcome:
    found = s.box.order(order_id)
    if found is None:
        s.slots.pop("_offered", None)
        if s.slots.get("_not_found") == order_id:  # they insist: the number is right, so say more
            mine = "; ".join(
                f"{o['order_id']} ({ft.status_word(o['status'], s.language)})" for o in s.box.orders_of_user()
            ) or s.say("none")
            return ask(s.say("order.still_not_found", order_id=order_id, mine=mine), slot)
        s.slots["_not_found"] = order_id
        return ask(s.say("order.not_found", order_id=order_id), slot)
    s.box.state.remember_order(order_id)
    if statuses and found["status"] not in statuses:
        target = handover.get(found["status"])
        status_said = ft.status_word(found["status"], s.language)
        if target:
            s.slots[slot] = order_id
            return Outcome(
                "handover", s.say("order.status_is", order_id=order_id, status=status_said), target=target
            )
        return wrong_status(s, found, statuses)
    if statuses:  # a flow that acts on the order: not a second request beside one still waiting
        waiting = awaiting_request(s, found)
        if waiting is not None:
            return waiting
    s.slots[slot] = order_id
    return next_()


# -- items ------------------------------------------------------------------------------------------
def items(s: StepInput) -> Outcome:
    found = s.box.order(s.slots["order_id"]) or {"items": []}
    order_items = found["items"]
    catalogue = list(s.box.catalogue())
    match: ex.ItemMatch | None = None
    pending = s.slots.pop("_which", None)
    if pending and s.frame.asked == "items" and s.texts:
        # the answer to "which one do you mean (or both)?"
        same = [i for i in order_items if i["name"] == pending["name"]]
        chosen = _which_of(s.current, same)
        if chosen:
            return _set_items(s, order_items, list(pending["matched"]) + chosen)
    for n, text in enumerate(s.texts):
        if ALL_ITEMS.search(text):
            return _set_items(s, order_items, [str(i["item_id"]) for i in order_items])
        candidate = ex.resolve_items(text, order_items, catalogue)
        if candidate.item_ids or candidate.ambiguous or candidate.unknown:
            match = candidate
            break
        # "the security camera", "the shoes", or (answering "which item?") "the red one"
        loose = ex.loose_items(text, order_items, by_options=n == 0 and s.frame.asked == "items")
        if loose is not None:
            match = loose
            break
    listing = "\n".join(f"- {i['name']} ({ex.describe_options(i['options'])})" for i in order_items)
    if match is not None and match.ambiguous:
        name = match.ambiguous[0]
        same = [i for i in order_items if i["name"] == name]
        options = "; ".join(f"{n}) {ex.describe_options(i['options'])}" for n, i in enumerate(same, start=1))
        s.slots["_which"] = {"name": name, "matched": list(match.item_ids)}
        return ask(s.say("items.more_than_one", name=name, options=options), "items")
    if match is not None and match.unknown:
        # never drop an item the customer named: "the grill and the notebook" where the notebook
        # is in another order is asked about, not turned into "the grill"
        found_too = _describe_ids(order_items, match.item_ids) if match.item_ids else ""
        also = s.say("items.found_too", found=found_too) if found_too else ""
        return ask(
            s.say(
                "items.unknown",
                order_id=s.slots["order_id"],
                unknown=match.unknown[0],
                also=also,
                listing=listing,
            ),
            "items",
        )
    if match is not None and match.item_ids:
        return _set_items(s, order_items, match.item_ids)
    if len(order_items) == 1 and s.spec.get("all_if_one", False):
        return _set_items(s, order_items, [str(order_items[0]["item_id"])])
    question = s.setting("ask") or s.say("items.which")
    return ask(
        s.say("items.listing", question=question, order_id=s.slots["order_id"], listing=listing), "items"
    )


BOTH = re.compile(r"\b(both|all of them|the two|each of them|all \w+ of them)\b", re.I)


def _which_of(text: str, same: list[dict[str, Any]]) -> list[str]:
    """Which of several items of one product the answer picks: "both", "the second one", or the
    one whose options it names ("the large one", "the hydration one"); none when unclear."""
    if BOTH.search(text):
        return [str(i["item_id"]) for i in same]
    pick = ex.ordinal(text, len(same))
    if pick is not None:
        return [str(same[pick]["item_id"])]
    words = re.sub(r"\bone\b", " ", text)
    scores = [ex.option_score(words, i.get("options", {}))[0] for i in same]
    best = max(scores, default=0)
    if best > 0 and scores.count(best) == 1:
        return [str(same[scores.index(best)]["item_id"])]
    return []


def _set_items(s: StepInput, order_items: list[dict[str, Any]], ids: list[str]) -> Outcome:
    s.slots["item_ids"] = ids
    s.slots["items"] = _describe_ids(order_items, ids)
    return next_()


def _describe_ids(order_items: list[dict[str, Any]], ids: list[str]) -> str:
    by_id = {str(i["item_id"]): i for i in order_items}
    return "; ".join(
        f"{by_id[i]['name']} ({ex.describe_options(by_id[i]['options'])})" for i in ids if i in by_id
    )
