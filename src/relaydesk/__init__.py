"""relaydesk: hybrid AI-human customer support."""

__version__ = "0.1.0"
