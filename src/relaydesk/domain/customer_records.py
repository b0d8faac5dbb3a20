"""Bounds on what a customer record may hold: attributes are the company's free-form facts about a
customer (plan, account manager, order count), shown in the agent's brief and read by the policy.

They are bounded so that one record cannot make every brief of that customer fail or slow: at most
``MAX_ATTRIBUTE_DEPTH`` levels of nesting, ``MAX_ATTRIBUTE_BYTES`` as JSON, keys of at most
``MAX_KEY_CHARS`` characters. The check walks the value without recursion, so a value nested a
thousand levels deep is refused with a precise error instead of a RecursionError.
"""

from __future__ import annotations

import json
from typing import Any

from relaydesk.domain.errors import InvalidInput, PayloadTooLarge

MAX_ATTRIBUTE_DEPTH = 4
"""``{"plan": {"name": "pro"}}`` is depth 2."""
MAX_ATTRIBUTE_BYTES = 16 * 1024
MAX_KEY_CHARS = 100


def checked_attributes(attributes: Any, what: str = "attributes") -> dict[str, Any]:
    """``attributes`` if it is a JSON object within the bounds; InvalidInput / PayloadTooLarge naming
    the problem (and where it is) otherwise."""
    if not isinstance(attributes, dict):
        raise InvalidInput(f"{what} must be a JSON object, not {type(attributes).__name__}")
    stack: list[tuple[Any, int, str]] = [(attributes, 1, what)]
    while stack:
        value, depth, where = stack.pop()
        children: list[tuple[Any, str]] = []
        if isinstance(value, dict):
            for key, child in value.items():
                if not isinstance(key, str):
                    raise InvalidInput(f"{where}: keys must be text")
                if len(key) > MAX_KEY_CHARS:
                    raise InvalidInput(
                        f'{where}: the key "{key[:40]}..." is longer than {MAX_KEY_CHARS} characters'
                    )
                children.append((child, f"{where}.{key}"))
        elif isinstance(value, list):
            children = [(child, f"{where}[{i}]") for i, child in enumerate(value)]
        elif not (value is None or isinstance(value, str | int | float | bool)):
            raise InvalidInput(f"{where}: {type(value).__name__} is not a JSON value")
        if children and depth >= MAX_ATTRIBUTE_DEPTH:
            raise InvalidInput(f"{where} is nested deeper than {MAX_ATTRIBUTE_DEPTH} levels; flatten it")
        stack.extend((child, depth + 1, path) for child, path in children)
    size = len(json.dumps(attributes, ensure_ascii=False).encode("utf-8"))
    if size > MAX_ATTRIBUTE_BYTES:
        raise PayloadTooLarge(f"{what} are {size} bytes as JSON; the limit is {MAX_ATTRIBUTE_BYTES}")
    return attributes
