"""In the middle of a flow, whether a message that also fits another flow's words answers the
question asked or starts another request. The flow in progress keeps the message when it answers
the question ("the security camera, the lens is cracked" to "which item?"), or when it says more
of what started this flow (the same words, without naming another order): a customer describing
the damage of a refund for a damaged item does not start a report of a damaged item about another
order. A request about another order names that order."""

from __future__ import annotations

import re

from relaydesk.specialists import extract as ex
from relaydesk.specialists.flow_spec import FlowSpec
from relaydesk.specialists.state import FlowFrame
from relaydesk.specialists.toolbox import Toolbox

PAYMENT_WORDS = re.compile(r"\b(card|paypal|gift|visa|mastercard|ending)\b", re.IGNORECASE)


def answers(frame: FlowFrame, text: str, box: Toolbox) -> bool:
    """Whether ``text`` looks like an answer to the question the flow asked (so a flow is not set
    aside for a message that merely mentions another request's word)."""
    asked = frame.asked
    if asked == "identity":
        return bool(ex.email(text) or ex.name_and_zip(text))
    if asked == "confirm":
        # "wait, does the backpack come in black?" is a question of its own, not a no
        return ex.answer(text) is not None and not ex.side_question(text)
    if asked == "order_id":
        return bool(ex.order_ids(text))
    if asked == "reason":
        return ex.cancel_reason(text) is not None
    if asked == "address":
        return ex.address(text) is not None
    if asked == "payment":
        return bool(PAYMENT_WORDS.search(text))
    if asked == "items":
        return not _other_order(frame, text) and _names_an_item(frame, text, box)
    return False


def says_more(frame: FlowFrame, active: FlowSpec, started: FlowSpec, text: str) -> bool:
    """Whether ``text`` adds to what started this flow rather than starting ``started``: the
    customer's earlier words in this flow fit ``started`` too, and this flow, of a higher
    priority, was chosen over it (a refund for a damaged item over a report of one); the message
    names no other order. Two requests of the same rank ("exchange the shirt and return the
    lamp") stay two requests."""
    if _other_order(frame, text) or started.priority >= active.priority:
        return False
    said = [t for t in frame.slots.get("_said", []) if t != text]
    return any(w.search(t) for w in started.words for t in said)


def _other_order(frame: FlowFrame, text: str) -> bool:
    current = frame.slots.get("order_id")
    return any(o != current for o in ex.order_ids(text))


def _names_an_item(frame: FlowFrame, text: str, box: Toolbox) -> bool:
    order_id = frame.slots.get("order_id")
    found = box.order(str(order_id)) if order_id else None
    if not found:
        return False
    order_items = found["items"]
    named = ex.resolve_items(text, order_items)
    if named.item_ids or named.ambiguous:
        return True
    return ex.loose_items(text, order_items, by_options=True) is not None
