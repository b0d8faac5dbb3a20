"""The step library: each step reads what it needs from the customer's words (this message first,
then what they said earlier in the flow), checks it against the real records through the governed
tools, and either fills its slots (``Next``) or asks for what is missing (``Ask``). ``confirm``
restates the exact action and amounts and waits for a clear yes; ``act`` makes the governed call
and says what the tool returned; nothing is ever done on a guess.

``base`` holds what every step shares; ``orders``, ``variants``, ``actions`` and ``info`` the
steps by concern.
"""

from relaydesk.specialists.steps.actions import Refill, act, address, confirm, payment, reason
from relaydesk.specialists.steps.base import (
    ANYTHING_ELSE,
    Outcome,
    StepInput,
    ask,
    finish,
    format_address,
    next_,
    render,
    template_values,
    tool_args,
)
from relaydesk.specialists.steps.info import (
    GATHERERS,
    gather,
    handoff,
    order_status,
    product_info,
    refund_status,
    say,
)
from relaydesk.specialists.steps.orders import identify, items, order
from relaydesk.specialists.steps.variants import new_items

__all__ = [
    "GATHERERS",
    "ANYTHING_ELSE",
    "Outcome",
    "Refill",
    "StepInput",
    "act",
    "address",
    "ask",
    "confirm",
    "finish",
    "format_address",
    "gather",
    "handoff",
    "identify",
    "items",
    "new_items",
    "next_",
    "order",
    "order_status",
    "payment",
    "product_info",
    "refund_status",
    "reason",
    "render",
    "say",
    "template_values",
    "tool_args",
]
