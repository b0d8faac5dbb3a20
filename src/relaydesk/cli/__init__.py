"""Command line interface (Typer + Rich). Commands parse, call one use case, and render."""
