"""Reading intent training examples from YAML or CSV files.

YAML::

    version: store-intents-3          # optional; recorded in the model manifest
    threshold: 0.4                    # optional; otherwise chosen by cross-validation
    intents:
      order_status:
        description: Where is my order?   # optional
        examples:
          - where is my order
          - has my package shipped yet
    out_of_scope:                     # optional; messages the assistant should not handle
      - what's the weather tomorrow

CSV: a header with ``intent`` (or ``label``) and ``example`` (or ``text``) columns; rows labelled ``oos``
are out-of-scope examples.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from relaydesk.domain.errors import InvalidInput
from relaydesk.rules_files.reader import PolicyFileError, load_bounded_yaml

OOS_LABEL = "oos"
"""The label of out-of-scope training examples."""
MAX_INTENT_FILE_BYTES = 64 * 1024 * 1024
"""Largest intents YAML file read (a large training set is a few megabytes)."""
MAX_INTENT_VALUES = 2_000_000
"""Most values in it, each alias (``*name``) counted as often as it is used."""


@dataclass(frozen=True, slots=True)
class IntentExamples:
    """Labelled training examples, plus the optional settings a YAML file carries."""

    texts: tuple[str, ...]
    labels: tuple[str, ...]
    name: str = "intents"
    threshold: float | None = None
    descriptions: dict[str, str] = field(default_factory=dict)

    @property
    def intents(self) -> tuple[str, ...]:
        """The in-scope intents, sorted."""
        return tuple(sorted({label for label in self.labels if label != OOS_LABEL}))

    def digest(self) -> str:
        """SHA-256 of the examples, recorded in the model manifest."""
        hasher = hashlib.sha256()
        for text, label in zip(self.texts, self.labels, strict=True):
            hasher.update(f"{label}\t{text}\n".encode("utf-8", "surrogatepass"))
        return hasher.hexdigest()


def _clean(text: Any, where: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(f"Intent example {text!r} in {where} is not a non-empty string")
    return " ".join(text.split())


def parse_yaml(source: str, name: str = "intents") -> IntentExamples:
    """Examples from the YAML text described in this module's docstring."""
    try:  # bounded: a deeply nested or "billion laughs" file is refused at once, with its line
        raw = load_bounded_yaml(source, name, max_bytes=MAX_INTENT_FILE_BYTES, max_values=MAX_INTENT_VALUES)
    except PolicyFileError as exc:
        where = f"line {exc.line}: " if exc.line else ""
        raise InvalidInput(f'Intent file "{name}" cannot be used: {where}{exc.reason}') from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("intents"), dict):
        raise InvalidInput(f'Intent file "{name}" needs a mapping "intents: {{name: {{examples: [...]}}}}"')
    texts: list[str] = []
    labels: list[str] = []
    descriptions: dict[str, str] = {}
    for intent, body in raw["intents"].items():
        examples = body.get("examples") if isinstance(body, dict) else body
        if not isinstance(examples, list) or not examples:
            raise InvalidInput(f'Intent "{intent}" in "{name}" has no list of examples')
        if intent == OOS_LABEL:
            raise InvalidInput(f'Intent name "{OOS_LABEL}" is reserved; list those under out_of_scope')
        if isinstance(body, dict) and body.get("description"):
            descriptions[str(intent)] = str(body["description"])
        for example in examples:
            texts.append(_clean(example, f'intent "{intent}" of "{name}"'))
            labels.append(str(intent))
    for example in raw.get("out_of_scope") or ():
        texts.append(_clean(example, f'out_of_scope of "{name}"'))
        labels.append(OOS_LABEL)
    threshold = raw.get("threshold")
    if threshold is not None and not (isinstance(threshold, int | float) and 0 <= threshold <= 1):
        raise InvalidInput(f'threshold {threshold!r} in "{name}" must be a number from 0 to 1')
    return _checked(
        IntentExamples(
            texts=tuple(texts),
            labels=tuple(labels),
            name=str(raw.get("version") or name),
            threshold=None if threshold is None else float(threshold),
            descriptions=descriptions,
        )
    )


def parse_csv(source: str, name: str = "intents") -> IntentExamples:
    """Examples from CSV text with ``intent`` (or ``label``, ``category``) and ``example`` (or
    ``text``) columns."""
    reader = csv.DictReader(io.StringIO(source))
    columns = set(reader.fieldnames or ())
    text_column = "example" if "example" in columns else "text" if "text" in columns else None
    label_column = next((c for c in ("intent", "label", "category") if c in columns), None)
    if text_column is None or label_column is None:
        raise InvalidInput(
            f'CSV "{name}" has columns {sorted(columns)}; it needs "intent" (or "label") and "example" '
            '(or "text")'
        )
    texts, labels = [], []
    for number, row in enumerate(reader, start=2):
        texts.append(_clean(row.get(text_column), f'line {number} of "{name}"'))
        label = (row.get(label_column) or "").strip()
        if not label:
            raise InvalidInput(f'Line {number} of "{name}" has an empty intent')
        labels.append(label)
    return _checked(IntentExamples(texts=tuple(texts), labels=tuple(labels), name=name))


def load_examples(path: Path | str) -> IntentExamples:
    """Examples from a ``.yaml``/``.yml`` or ``.csv`` file."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f'Intent file "{path}" does not exist')
    source = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".yaml", ".yml"):
        return parse_yaml(source, name=path.stem)
    if path.suffix.lower() == ".csv":
        return parse_csv(source, name=path.stem)
    raise InvalidInput(f'Intent file "{path}" must end in .yaml, .yml or .csv')


def _checked(examples: IntentExamples) -> IntentExamples:
    if len(examples.intents) < 2:
        raise InvalidInput(
            f'Intent data "{examples.name}" has {len(examples.intents)} intent(s); at least 2 are needed'
        )
    return examples
