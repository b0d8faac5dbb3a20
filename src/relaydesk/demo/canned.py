"""The demo workspace's canned replies, for agents to insert from the console."""

from __future__ import annotations

from typing import TYPE_CHECKING

from relaydesk.services.desk import desk_service_for

if TYPE_CHECKING:
    from relaydesk.services.runtime import Runtime

DEMO_CANNED_REPLIES = (
    ("Greeting", "Hi, thanks for your patience. I'm looking at your conversation now."),
    ("Order lookup", "Could you give me the e-mail address on your account so I can find the order?"),
    (
        "Cancellation done",
        "Your order is cancelled and the refund is on its way to the original payment method; "
        "it usually shows within 5 to 7 business days.",
    ),
    ("Anything else", "Is there anything else I can help you with today?"),
    ("Closing", "Thanks for contacting Northwind. Have a great day!"),
)


def seed_canned_replies(runtime: Runtime, workspace_id: str) -> int:
    """Add the demo's canned replies the workspace does not have yet (by title); how many were added."""
    records = desk_service_for(runtime).records
    have = {r.title for r in records.canned_replies(workspace_id)}
    added = 0
    for title, text in DEMO_CANNED_REPLIES:
        if title not in have:
            records.add_canned_reply(workspace_id, title, text)
            added += 1
    return added
