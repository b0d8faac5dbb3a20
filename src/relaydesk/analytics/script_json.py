"""JSON to put inside a page's ``<script>`` element (the KPI report's data, the labels script)."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["script_json"]


def script_json(data: Any) -> str:
    """``data`` as JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` (so no
    ``</script>`` or ``<!--``), and no line separators that older parsers choke on."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text
