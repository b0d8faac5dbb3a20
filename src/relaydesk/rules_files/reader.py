"""Reading a policy file: YAML with the line of every value kept, so errors can point at it."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from relaydesk.domain.errors import ConfigurationError


class PolicyFileError(ConfigurationError):
    """A policy file that cannot be used; the message names the file, the line and the reason."""

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        where = f"{file}, line {line}" if line else file
        super().__init__(f"{where}: {reason}", file=file, line=line, reason=reason)
        self.file = file
        self.line = line
        self.reason = reason


Path_ = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class PolicyDocument:
    """The parsed file and the line where each value (by its path of keys and indexes) starts."""

    file: str
    data: Any
    lines: dict[Path_, int]

    def line(self, path: Path_) -> int | None:
        """The line of ``path``, or of its nearest parent that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def error(self, path: Path_, reason: str) -> PolicyFileError:
        return PolicyFileError(self.file, self.line(path), reason)


MAX_FILE_BYTES = 1024 * 1024
"""Largest rules file read (the bundled ones are a few kilobytes)."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists."""
MAX_ALIASES = 100
"""Most aliases (``*name``) in one file."""
MAX_VALUES = 100_000
"""Most values once every alias is expanded (a "billion laughs" file expands to 10**9)."""


class _BoundedLoader(yaml.SafeLoader):
    """Composes the document no deeper than ``MAX_DEPTH`` and with at most ``MAX_ALIASES`` aliases,
    so a hostile file fails fast with a line instead of a RecursionError."""

    def __init__(self, text: str, file: str) -> None:
        super().__init__(text)
        self._file = file
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise PolicyFileError(
                    self._file, line, f"more than {MAX_ALIASES} aliases (*name); write the values out"
                )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise PolicyFileError(self._file, line, f"nested more than {MAX_DEPTH} levels deep")
            return super().compose_node(parent, index)  # type: ignore[no-untyped-call, no-any-return]
        finally:
            self._depth -= 1


def parse_policy_text(text: str, file: str = "<policy>") -> PolicyDocument:
    """Parse YAML text, keeping lines; duplicate keys and non-mapping documents are errors, and so
    are files over ``MAX_FILE_BYTES``, nested over ``MAX_DEPTH``, or expanding (through aliases) to
    more than ``MAX_VALUES`` values."""
    node, data, lines = _compose(text, file, MAX_FILE_BYTES, MAX_VALUES, mapping_only=True)
    if node is None or not isinstance(node, yaml.MappingNode):
        raise PolicyFileError(file, 1, "a policy file must be a mapping with version, escalation and actions")
    return PolicyDocument(file, data, lines)


def load_bounded_yaml(text: str, file: str, *, max_bytes: int, max_values: int) -> Any:
    """Any YAML document as plain data, within ``max_bytes``, ``MAX_DEPTH``, ``MAX_ALIASES`` and
    ``max_values``; a :class:`PolicyFileError` naming the file, the line and the reason otherwise."""
    return _compose(text, file, max_bytes, max_values, mapping_only=False)[1]


def _compose(
    text: str, file: str, max_bytes: int, max_values: int, *, mapping_only: bool
) -> tuple[yaml.Node | None, Any, dict[Path_, int]]:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise PolicyFileError(file, None, f"the file is {size:,} bytes; the limit is {max_bytes:,} bytes")
    lines: dict[Path_, int] = {}
    try:
        loader = _BoundedLoader(text, file)
        try:
            node = loader.get_single_node()
            data = None
            if node is not None and (isinstance(node, yaml.MappingNode) or not mapping_only):
                lines[()] = node.start_mark.line + 1
                _walk(node, (), lines, file, _Budget(max_values))
                data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise PolicyFileError(
            file, mark.line + 1 if mark else None, f"not valid YAML: {exc.problem}"
        ) from exc
    except yaml.YAMLError as exc:
        raise PolicyFileError(file, None, f"not valid YAML: {exc}") from exc
    return node, data, lines


def read_policy_file(path: str | Path) -> PolicyDocument:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyFileError(str(path), None, f"cannot be read ({exc.strerror or exc})") from exc
    return parse_policy_text(text, str(path))


class _Budget:
    """How many values a walk may still visit."""

    def __init__(self, values: int) -> None:
        self.limit = values
        self.seen = 0


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int], file: str, budget: _Budget) -> None:
    budget.seen += 1
    if budget.seen > budget.limit or len(path) > MAX_DEPTH:
        reason = (
            f"expands to more than {budget.limit:,} values (each alias *name counted as often as it is used)"
            if budget.seen > budget.limit
            else f"nested more than {MAX_DEPTH} levels deep once its aliases (*name) are expanded"
        )
        raise PolicyFileError(file, node.start_mark.line + 1, reason)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                raise PolicyFileError(file, key_node.start_mark.line + 1, f'the key "{key}" appears twice')
            seen.add(key)
            lines[(*path, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*path, key), lines, file, budget)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1
            _walk(item, (*path, index), lines, file, budget)


# -- typed reading with precise errors ------------------------------------------------------------
class Reader:
    """Reads one mapping of a policy document, refusing unknown fields and values of a wrong type."""

    def __init__(self, doc: PolicyDocument, path: Path_, value: Any, what: str) -> None:
        if not isinstance(value, dict):
            raise doc.error(path, f"{what} must be a mapping of fields, got {type_name(value)}")
        self.doc = doc
        self.path = path
        self.value = value
        self.what = what

    def refuse_unknown(self, known: Iterable[str], hint: str = "") -> None:
        allowed = sorted(known)
        for key in self.value:
            if key not in allowed:
                raise self.doc.error(
                    (*self.path, str(key)),
                    f'unknown field "{key}" in {self.what}; allowed: {", ".join(allowed)}' + hint,
                )

    def has(self, key: str) -> bool:
        return key in self.value

    def at(self, key: str) -> Path_:
        return (*self.path, key)

    def error(self, key: str, reason: str) -> PolicyFileError:
        return self.doc.error(self.at(key), reason)

    def get(
        self,
        key: str,
        check: Callable[[Any], bool],
        expected: str,
        default: Any = ...,
        *,
        required: bool = False,
    ) -> Any:
        if key not in self.value:
            if required or default is ...:
                raise self.doc.error(self.path, f'{self.what} needs the field "{key}" ({expected})')
            return default
        value = self.value[key]
        if not check(value):
            raise self.error(key, f'"{key}" in {self.what} must be {expected}, got {value!r}')
        return value

    def number(self, key: str, default: Any = ..., *, required: bool = False) -> float:
        value = self.get(key, is_number, "a number", default, required=required)
        if value is None:
            return value  # type: ignore[return-value]
        if not is_finite(value):
            raise self.error(key, f'"{key}" in {self.what} must be a finite number, got {value!r}')
        return float(value)

    def integer(self, key: str, default: Any = ..., *, required: bool = False) -> int:
        return self.get(key, is_integer, "a whole number", default, required=required)  # type: ignore[no-any-return]

    def boolean(self, key: str, default: Any = ...) -> bool:
        return self.get(key, lambda v: isinstance(v, bool), "true or false", default)  # type: ignore[no-any-return]

    def text(self, key: str, default: Any = ..., *, required: bool = False) -> str:
        return self.get(
            key,
            lambda v: isinstance(v, str) and v.strip() != "",
            "a non-empty text",
            default,
            required=required,
        )  # type: ignore[no-any-return]

    def optional_text(self, key: str) -> str | None:
        return self.get(
            key,
            lambda v: v is None or (isinstance(v, str) and v.strip() != ""),
            "a non-empty text or null",
            None,
        )  # type: ignore[no-any-return]

    def texts(self, key: str, default: Any = ...) -> tuple[str, ...]:
        value = self.get(
            key,
            lambda v: isinstance(v, list) and all(isinstance(x, str) and x for x in v),
            "a list of texts",
            default,
        )
        return tuple(value)

    def sequence(self, key: str) -> list[Any]:
        return self.get(key, lambda v: isinstance(v, list), "a list", [])  # type: ignore[no-any-return]


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def is_finite(value: Any) -> bool:
    """A number that converts to a finite float (not inf, not nan, not a 400-digit integer)."""
    try:
        return is_number(value) and math.isfinite(float(value))
    except OverflowError:
        return False


def is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "a text", bool: "true/false"}.get(
        type(value), type(value).__name__
    )
