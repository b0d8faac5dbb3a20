"""Routing: which human takes an escalated conversation, and when."""
