"""Specialists: AI experts with one area each (orders, returns, billing, account, knowledge)."""
