"""The demo workspace: a small online store with agents, customers and a help center."""
