"""Flows as data: a YAML file names the flow, what starts it, and its steps from the step library.

    flow: cancel_order
    version: "1"
    title: Cancel a pending order
    start:
      intents: [cancel_order]
      words: ['\\bcancel\\b']
      unless: ['\\bcancel(led)? my account\\b']
    steps:
      - step: identify
      - step: order
        statuses: [pending]
      - step: reason
      - step: confirm
        tool: cancel_pending_order
        say: "cancel order {order_id} ({items}) and refund {refund_amount} to {refund_to}"
      - step: act
        tool: cancel_pending_order
        done: "Order {order_id} is cancelled."

``check_flow_text`` rejects a bad file with its name, the line and the reason; ``FlowLibrary``
holds the bundled flows (``specialists/flows/``) and a workspace's own, which add to them or
replace one of the same name. Every decision a flow takes records its name and version.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from relaydesk.rules_files.reader import PolicyDocument, PolicyFileError, parse_policy_text

BUNDLED = Path(__file__).parent / "flows"
SLOT_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class StepKind:
    """A step of the library: the settings it takes (required ones first) and the slots it fills."""

    name: str
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    fills: tuple[str, ...] = ()
    templates: tuple[str, ...] = ()
    """Settings that are text templates: ``{slot}`` names must be filled by then."""


STEP_KINDS: dict[str, StepKind] = {
    k.name: k
    for k in (
        StepKind("identify", optional=("ask",), fills=("user_id",), templates=("ask",)),
        StepKind(
            "order",
            optional=("statuses", "handover", "ask", "slot"),
            fills=("order_id",),
            templates=("ask",),
        ),
        StepKind("items", optional=("ask", "all_if_one"), fills=("item_ids", "items"), templates=("ask",)),
        StepKind("new_items", optional=("ask",), fills=("new_item_ids", "new_items"), templates=("ask",)),
        StepKind(
            "payment",
            optional=("allow", "ask", "purpose"),
            fills=("payment_method_id", "payment"),
            templates=("ask",),
        ),
        StepKind("reason", optional=("ask", "choices"), fills=("reason",), templates=("ask",)),
        StepKind("address", optional=("ask",), fills=("address",), templates=("ask",)),
        StepKind("confirm", required=("tool", "say"), optional=("args", "note"), templates=("say", "note")),
        StepKind(
            "act", required=("tool",), optional=("args", "done"), fills=("result",), templates=("done",)
        ),
        StepKind("order_status", optional=("say",), templates=()),
        StepKind("product_info", optional=(), fills=()),
        StepKind("refund_status"),
        StepKind("gather", required=("slot", "kind", "ask"), optional=("note",), templates=("ask",)),
        StepKind("say", required=("text",), templates=("text",)),
        StepKind("handoff", required=("why", "say"), templates=("why", "say")),
    )
}
GATHER_KINDS = ("order_id", "email", "text", "amount", "yes_no", "item")
PAYMENT_RULES = ("any", "original_or_gift_card", "other_than_current")
DERIVED = {
    "items",
    "new_items",
    "payment",
    "refund_amount",
    "charge_amount",
    "price_difference",
    "refund_to",
    "total",
    "order_items",
    "status",
    "first_name",
    "difference",
}
"""Values a template may name besides slots: worked out from the records at that step."""
TOOL_ARGS = {
    "cancel_pending_order": {"order_id": "order_id", "reason": "reason"},
    "modify_pending_order_address": {"order_id": "order_id", "address": "address"},
    "modify_pending_order_payment": {"order_id": "order_id", "payment_method_id": "payment_method_id"},
    "modify_pending_order_items": {
        "order_id": "order_id",
        "item_ids": "item_ids",
        "new_item_ids": "new_item_ids",
        "payment_method_id": "payment_method_id",
    },
    "exchange_delivered_order_items": {
        "order_id": "order_id",
        "item_ids": "item_ids",
        "new_item_ids": "new_item_ids",
        "payment_method_id": "payment_method_id",
    },
    "return_delivered_order_items": {
        "order_id": "order_id",
        "item_ids": "item_ids",
        "payment_method_id": "payment_method_id",
    },
    "modify_user_address": {"user_id": "user_id", "address": "address"},
}
"""Default argument mapping (tool argument -> slot) when a step gives no ``args``; an ``address``
slot spreads into the six address fields."""


@dataclass(frozen=True, slots=True)
class StepSpec:
    kind: str
    settings: Mapping[str, Any]
    line: int | None = None

    def get(self, key: str, default: Any = None) -> Any:
        return self.settings.get(key, default)


@dataclass(frozen=True, slots=True)
class FlowSpec:
    name: str
    version: str
    title: str
    steps: tuple[StepSpec, ...]
    intents: tuple[str, ...] = ()
    words: tuple[re.Pattern[str], ...] = ()
    unless: tuple[re.Pattern[str], ...] = ()
    """Words that keep the flow from starting though its words match ("I returned it and the refund
    never came" is no new return)."""
    kind: str = "task"
    """``task`` (the AI does it), ``info`` (it looks something up) or ``intake`` (gathers what a
    person will need while the customer waits)."""
    topics: tuple[str, ...] = ()
    """For intake flows: the intents or escalation skills they gather for."""
    priority: int = 0
    """Among flows whose words match, the higher priority starts."""
    source: str = ""
    digest: str = ""

    titles: Mapping[str, str] = field(default_factory=dict)
    """The title in other languages (``title: {en: ..., es: ...}``), as a customer may read it."""
    remarks: tuple[tuple[re.Pattern[str], Mapping[str, str]], ...] = ()
    """Said once, before the first question, when the message that starts the flow matches the
    pattern ("the box was crushed" starting an exchange: the damage is acknowledged, not ignored)."""

    def remarks_for(self, text: str, language: str | None) -> list[str]:
        return [says.get(language or "en") or says["en"] for when, says in self.remarks if when.search(text)]

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"

    def title_in(self, language: str | None) -> str:
        return self.titles.get(language or "en") or self.title


@dataclass
class FlowLibrary:
    flows: dict[str, FlowSpec] = field(default_factory=dict)

    @classmethod
    def load(cls, folders: Iterable[Path], tools: Iterable[str]) -> FlowLibrary:
        """Every ``*.yaml`` flow in ``folders``, later folders replacing flows of the same name."""
        library = cls()
        known = set(tools)
        for folder in folders:
            for path in sorted(Path(folder).glob("*.y*ml")):
                spec = check_flow_text(path.read_text(encoding="utf-8"), str(path), known)
                library.flows[spec.name] = spec
        return library

    def get(self, name: str) -> FlowSpec | None:
        return self.flows.get(name)

    def tasks(self) -> list[FlowSpec]:
        return [f for f in self.flows.values() if f.kind != "intake"]

    def intakes(self) -> list[FlowSpec]:
        return [f for f in self.flows.values() if f.kind == "intake"]


def bundled_library(tools: Iterable[str], extra: Sequence[Path] = ()) -> FlowLibrary:
    return FlowLibrary.load([BUNDLED, *extra], tools)


def check_flow_file(path: Path, tools: Iterable[str]) -> FlowSpec:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyFileError(str(path), None, f"cannot be read ({exc.strerror})") from None
    return check_flow_text(text, str(path), set(tools))


def check_flow_text(text: str, file: str, tools: set[str]) -> FlowSpec:
    """Parse and check a flow; raises ``PolicyFileError`` naming the file, line and reason."""
    import hashlib

    doc = parse_policy_text(text, file)
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error((), "a flow file must be a mapping with flow, version and steps")
    allowed = {
        "flow",
        "version",
        "title",
        "description",
        "start",
        "steps",
        "kind",
        "topics",
        "priority",
        "remarks",
    }
    for key in data:
        if key not in allowed:
            raise doc.error((key,), f'unknown key "{key}"; a flow has {", ".join(sorted(allowed))}')
    name = _text(doc, data, ("flow",))
    if not SLOT_NAME.match(name):
        raise doc.error(("flow",), f'flow name "{name}" must be lower case letters, digits and _')
    version = data.get("version")
    if not isinstance(version, str | int | float) or isinstance(version, bool) or str(version) == "":
        raise doc.error(("version",), 'a flow needs a "version" (text or number), recorded on every decision')
    kind = data.get("kind", "task")
    if kind not in ("task", "info", "intake"):
        raise doc.error(("kind",), f'kind must be task, info or intake, not "{kind}"')
    start = data.get("start") or {}
    if not isinstance(start, dict):
        raise doc.error(("start",), "start must be a mapping with intents and words")
    for key in start:
        if key not in ("intents", "words", "unless"):
            raise doc.error(
                ("start", key), f'unknown key "{key}" in start; it takes intents, words and unless'
            )
    intents = _strings(doc, start, ("start", "intents"))
    words = _patterns(doc, start, "words")
    unless = _patterns(doc, start, "unless")
    topics = _strings(doc, data, ("topics",))
    if kind == "intake" and not topics:
        raise doc.error(("kind",), "an intake flow needs topics (the intents or skills it gathers for)")
    steps_data = data.get("steps")
    if not isinstance(steps_data, list) or not steps_data:
        raise doc.error(("steps",), "a flow needs a non-empty list of steps")
    filled: set[str] = set()
    steps = []
    for i, raw in enumerate(steps_data):
        steps.append(_step(doc, raw, i, filled, tools))
    priority = data.get("priority", 0)
    if not isinstance(priority, int) or isinstance(priority, bool):
        raise doc.error(("priority",), "priority must be a whole number")
    title = data.get("title") or name.replace("_", " ")
    titles: dict[str, str] = {}
    if isinstance(title, dict):
        _check_template(doc, ("title",), title, set())
        titles = {str(k): str(v) for k, v in title.items()}
        title = titles["en"]
    return FlowSpec(
        remarks=_remarks(doc, data),
        name=name,
        version=str(version),
        title=str(title),
        titles=titles,
        steps=tuple(steps),
        intents=tuple(intents),
        words=tuple(words),
        unless=tuple(unless),
        kind=kind,
        topics=tuple(topics),
        priority=priority,
        source=file,
        digest=hashlib.sha256(text.encode()).hexdigest()[:12],
    )


def _step(doc: PolicyDocument, raw: Any, i: int, filled: set[str], tools: set[str]) -> StepSpec:
    path: tuple[str | int, ...] = ("steps", i)
    if not isinstance(raw, dict) or "step" not in raw:
        raise doc.error(path, 'each step is a mapping with "step: <kind>"')
    kind_name = raw["step"]
    kind = STEP_KINDS.get(kind_name) if isinstance(kind_name, str) else None
    if kind is None:
        raise doc.error(
            (*path, "step"), f'unknown step "{kind_name}"; the library has {", ".join(sorted(STEP_KINDS))}'
        )
    settings = {k: v for k, v in raw.items() if k != "step"}
    for key in kind.required:
        if key not in settings:
            raise doc.error(path, f'step "{kind.name}" needs "{key}"')
    for key in settings:
        if key not in kind.required + kind.optional:
            takes = ", ".join(kind.required + kind.optional) or "nothing"
            raise doc.error((*path, key), f'step "{kind.name}" does not take "{key}"; it takes {takes}')
    tool = settings.get("tool")
    if tool is not None and tool not in tools:
        raise doc.error((*path, "tool"), f'unknown tool "{tool}"; known tools: {", ".join(sorted(tools))}')
    if kind.name in ("confirm", "act"):
        args = settings.get("args") or TOOL_ARGS.get(str(tool))
        if not isinstance(args, dict):
            raise doc.error(
                (*path, "tool"), f'step "{kind.name}" on {tool} needs "args" (tool argument: slot)'
            )
        for arg, slot in args.items():
            if str(slot).startswith("="):
                continue  # a literal value
            if slot not in filled:
                raise doc.error(
                    (*path, "args", arg) if "args" in settings else (*path, "tool"),
                    f'{tool} takes {arg} from slot "{slot}", which no earlier step fills',
                )
    if kind.name == "payment" and settings.get("allow", "any") not in PAYMENT_RULES:
        raise doc.error((*path, "allow"), f"allow must be one of {', '.join(PAYMENT_RULES)}")
    if kind.name == "order":
        statuses = settings.get("statuses", [])
        if not isinstance(statuses, list) or not all(isinstance(s, str) for s in statuses):
            raise doc.error((*path, "statuses"), "statuses must be a list of order statuses")
        handover = settings.get("handover", {})
        if not isinstance(handover, dict):
            raise doc.error((*path, "handover"), "handover maps an order status to another flow's name")
    if kind.name == "gather":
        if settings["kind"] not in GATHER_KINDS:
            raise doc.error((*path, "kind"), f"kind must be one of {', '.join(GATHER_KINDS)}")
        if not SLOT_NAME.match(str(settings["slot"])):
            raise doc.error((*path, "slot"), "a slot name is lower case letters, digits and _")
    for key in kind.templates:
        if key in settings:
            _check_template(doc, (*path, key), settings[key], filled)
    filled.update(kind.fills)
    if kind.name == "order" and settings.get("slot"):
        filled.add(str(settings["slot"]))
    if kind.name == "gather":
        filled.add(str(settings["slot"]))
    return StepSpec(kind.name, settings, doc.line(path))


def _check_template(doc: PolicyDocument, path: tuple[str | int, ...], value: Any, filled: set[str]) -> None:
    if isinstance(value, dict):  # the same text in several languages: {en: ..., es: ...}
        if "en" not in value:
            raise doc.error(path, "a text in several languages needs its English version (en)")
        for language, text in value.items():
            if not isinstance(language, str) or not re.fullmatch(r"[a-z]{2}", language):
                raise doc.error(path, f'"{language}" is not a two-letter language code')
            _check_template(doc, (*path, language), text, filled)
        return
    if not isinstance(value, str) or not value.strip():
        raise doc.error(path, "must be a non-empty text")
    try:
        names = [f for _, f, _, _ in string.Formatter().parse(value) if f]
    except ValueError as exc:
        raise doc.error(path, f"is not a valid template: {exc}") from None
    for field_name in names:
        if field_name not in filled and field_name not in DERIVED:
            raise doc.error(
                path,
                f'names "{{{field_name}}}", which no earlier step fills (filled so far: '
                f"{', '.join(sorted(filled)) or 'none'})",
            )


def _patterns(doc: PolicyDocument, start: dict[str, Any], key: str) -> list[re.Pattern[str]]:
    out = []
    for i, pattern in enumerate(_strings(doc, start, ("start", key))):
        try:
            out.append(re.compile(pattern, re.IGNORECASE))
        except re.error as exc:
            raise doc.error(("start", key, i), f'"{pattern}" is not a valid pattern: {exc}') from None
    return out


def _remarks(doc: PolicyDocument, data: dict[str, Any]) -> tuple[tuple[re.Pattern[str], dict[str, str]], ...]:
    raw = data.get("remarks") or []
    if not isinstance(raw, list):
        raise doc.error(("remarks",), "remarks must be a list of {when: pattern, say: text}")
    out = []
    for i, remark in enumerate(raw):
        if not isinstance(remark, dict) or set(remark) != {"when", "say"}:
            raise doc.error(("remarks", i), "a remark is a mapping with exactly when (a pattern) and say")
        try:
            when = re.compile(str(remark["when"]), re.IGNORECASE)
        except re.error as exc:
            raise doc.error(
                ("remarks", i, "when"), f'"{remark["when"]}" is not a valid pattern: {exc}'
            ) from None
        _check_template(doc, ("remarks", i, "say"), remark["say"], set())
        says = remark["say"] if isinstance(remark["say"], dict) else {"en": remark["say"]}
        out.append((when, {str(k): str(v) for k, v in says.items()}))
    return tuple(out)


def _text(doc: PolicyDocument, data: dict[str, Any], path: tuple[str, ...]) -> str:
    value = data.get(path[-1])
    if not isinstance(value, str) or not value.strip():
        raise doc.error(path, f'"{path[-1]}" must be a non-empty text')
    return value.strip()


def _strings(doc: PolicyDocument, data: dict[str, Any], path: tuple[str, ...]) -> list[str]:
    value = data.get(path[-1], [])
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise doc.error(path, f'"{path[-1]}" must be a list of texts')
    return list(value)
