"""ASGI entry point for multi-worker servers: ``uvicorn relaydesk.api.asgi:app``."""

from relaydesk.api.app import create_app

app = create_app()
