"""Whether a message asks how things work in general ("how long do I have to return a jacket?",
"is it possible to change the address before it ships?", "how much is Northwind Plus?") rather
than asking for something to be done about one order ("cancel my order", "where is my parcel?").

A general question is answered from the help center first; the specialist flows (which begin by
asking who the customer is) take it only when the help center has nothing. A message that names
an order, or speaks of the customer's own order or item without an "if" or "after", is a request.
"""

from __future__ import annotations

import re

from relaydesk.domain.capability_types import ConversationContext
from relaydesk.domain.ports import Responder

GENERAL = re.compile(
    r"\b(how (much|long|many|fast|soon|quickly) (is|are|does|do|will|can|would|should)|"
    r"how (much|long) (for|to)|how many \w+ (do|does|can|will|have|is|are)|"
    r"which (\w+ )?(option|options|method|methods|carrier|carriers|cards|countries|payment|shipping)|"
    r"how (do|can|would|should) (i|you|we|one)|do (i|we) (have|need) to|what (is|are|'s) (your|the)|"
    r"what happens (if|when)|what (do|should|can) (i|you|we) do (if|when)|what if|"
    r"(do|does|can|will|would) (you|u|northwind)|is (it|there) (possible|a|any)|are there|"
    r"can (i|we|you) .{0,60}\b(after|before|once|if|when|without|within)\b|"
    r"^\W*(can|could|may) (i|we) (return|exchange|send|get|pay|use|change|cancel|buy|order|ship|combine|"
    r"track|have|swap)\b|is \w+( \w+)? (included|free|refundable|allowed|"
    r"possible|available|taxed)|"
    r"is northwind plus|what does .{0,40} (cover|include)|which (cards|payment|countries|carriers)|"
    r"policy|in general|usually|normally|how does)",
    re.IGNORECASE,
)
ORDER_ID = re.compile(r"#?\b[Ww]\d{7}\b")
MY_THING = re.compile(
    r"\b(my|mine|our) (order|orders|parcel|package|delivery|refund|return|item|items|purchase|"
    r"shipment|stuff|\w+ (order|item))\b",
    re.IGNORECASE,
)
HYPOTHETICAL = re.compile(r"\b(if|after|before|once|when|in case)\b", re.IGNORECASE)


def general_question(text: str) -> bool:
    """True for a question about how things work in general, not about one order."""
    if not text or ORDER_ID.search(text) or not GENERAL.search(text):
        return False
    return not (MY_THING.search(text) and not HYPOTHETICAL.search(text))


NEW_TOPIC = re.compile(
    r"^\W*(\w+\W+)?(different|another|other|separate|unrelated|new) (q|question|thing|topic)\b|"
    r"^\W*(also|btw|by the way|one more thing|unrelated)\b",
    re.IGNORECASE,
)
"""A message that says it changes the subject: a general question in it is answered even mid-flow."""


def responders_in_order(
    text: str, context: ConversationContext, responders: list[Responder]
) -> list[Responder]:
    """The responders in the order they get the message: a general question ("how long do I have
    to return a jacket?") goes to the help center before the flows, unless a flow is under way."""
    names = [getattr(r, "name", "") for r in responders]
    in_flow = bool((context.conversation.flow or {}).get("active"))
    if (
        "knowledge" not in names
        or "specialist" not in names
        or (in_flow and not NEW_TOPIC.search(text))  # mid-flow, only "different q: ..."
        or not general_question(text)
    ):
        return responders
    knowledge = responders[names.index("knowledge")]
    rest = [r for r in responders if r is not knowledge]
    at = names.index("specialist")
    return [*rest[:at], knowledge, *rest[at:]]
