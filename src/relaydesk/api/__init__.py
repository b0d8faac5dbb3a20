"""HTTP and WebSocket interface (FastAPI). Routes parse, call one use case, and render."""
