"""Use cases: handle a message, escalate, claim, reply, hand back, resolve."""
