"""Governance: when a human must take over (escalation triggers) and what the AI may do (action policies)."""
