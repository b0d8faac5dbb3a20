"""Optional language-model help for specialists: phrasing a drafted reply and planning tool calls.

Used only when an LLM is configured, and both fall back on any failure: the phraser keeps the
draft, the planner plans nothing (the flow goes on as it would without a model). The planner only
proposes: the flow engine passes every call through governance, which may refuse it.

Personal data is masked before it leaves (unless ``mask=False``): the same detector as
``knowledge.compose.mask_personal_data`` (emails, phones, card numbers, street addresses), but each
value becomes a numbered placeholder (``⟦1⟧``) so that what the model writes back can be restored.
Depends on the domain ports only, never on an adapter.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from relaydesk.domain.errors import RelaydeskError
from relaydesk.domain.llm_ports import LLM, ChatMessage, ToolCallingLLM, ToolCallRequest
from relaydesk.triage.pii import EMAIL, find_pii, mask_pii

log = logging.getLogger(__name__)

PLACEHOLDER = re.compile(r"⟦\d+⟧")

FACT = re.compile(
    rf"{EMAIL.pattern}"  # an e-mail address
    r"|[$€£¥]\s?\d+(?:[.,]\d+)*"  # an amount with its currency sign
    r"|#?[A-Za-z]*\d+(?:[.,:/-]\d+)*[A-Za-z0-9]*"  # a number, an id (#W1234567), a date or time
)
"""What a rephrasing must keep exactly and may not add to."""

MAX_GROWTH = 3
"""A rephrasing longer than this many times the draft is not a rephrasing."""

MAX_HISTORY_TURNS = 10
"""The planner sends at most this many earlier turns of the conversation."""

PHRASER_PROMPT = (
    "You rewrite a customer-support reply so that it reads warm, natural and brief. Keep its meaning. "
    "Do not add facts, promises, prices, dates, steps or numbers that are not in the draft, and do not "
    "leave any out. Copy every number, order id (like #W1234567), amount, date, e-mail address and "
    "placeholder (like ⟦1⟧) exactly as written. Answer with the rewritten reply only."
)

PLANNER_PROMPT = (
    "You plan the next step of a customer-support assistant. Read the conversation and the "
    "customer's latest message, and call the tools needed to serve it, with arguments taken from "
    "what the customer or the conversation said; never guess an id or a value. If no tool is "
    "needed, call none. Each call will be checked by governance and may be refused or held for a "
    "person's approval, so do not assume it succeeds. Values like ⟦1⟧ stand for personal data "
    "hidden from you: where an argument needs that value, copy the placeholder exactly."
)


def facts(text: str) -> list[str]:
    """The numbers, ids, amounts and e-mail addresses in ``text``, in order."""
    return FACT.findall(text)


def phrasing_problem(draft: str, phrased: str) -> str | None:
    """Why ``phrased`` may not be sent instead of ``draft`` (None: it may)."""
    if not phrased.strip():
        return "the model sent no text"
    if len(phrased) > MAX_GROWTH * len(draft):
        return f"the model's text has {len(phrased)} characters, over {MAX_GROWTH}x the draft's {len(draft)}"
    kept, written = set(facts(draft)), set(facts(phrased))
    if missing := sorted(kept - written):
        return f"the model's text leaves out {', '.join(missing)}"
    if added := sorted(written - kept):
        return f"the model's text adds {', '.join(added)}"
    return None


class UnknownPlaceholder(RelaydeskError):
    """The model wrote a placeholder that stands for nothing it was sent."""


class Placeholders:
    """Personal data swapped for numbered placeholders (``⟦1⟧``) and back; one value keeps one
    placeholder across every text masked with the same instance."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        """Placeholder -> the value it hides."""
        self._by_value: dict[str, str] = {}

    def mask(self, text: str) -> str:
        spans = []
        for span in find_pii(text):
            value = text[span.start : span.end]
            if value not in self._by_value:
                placeholder = f"⟦{len(self.values) + 1}⟧"
                self._by_value[value] = placeholder
                self.values[placeholder] = value
            spans.append(replace(span, mask=self._by_value[value]))
        return mask_pii(text, tuple(spans)).text

    def restore(self, text: str) -> str:
        """``text`` with each placeholder put back; ``UnknownPlaceholder`` for one never handed out."""

        def value(match: re.Match[str]) -> str:
            if match.group() not in self.values:
                raise UnknownPlaceholder(
                    f'the model wrote the placeholder "{match.group()}", which hides nothing'
                )
            return self.values[match.group()]

        return PLACEHOLDER.sub(value, text)

    def restore_in(self, value: Any) -> Any:
        """``value`` (parsed JSON) with placeholders restored in every string inside it."""
        if isinstance(value, str):
            return self.restore(value)
        if isinstance(value, list):
            return [self.restore_in(v) for v in value]
        if isinstance(value, dict):
            return {k: self.restore_in(v) for k, v in value.items()}
        return value


class LLMPhraser:
    """Rephrases a drafted reply warmly and briefly, in the customer's language, adding no fact.

    The draft is kept whenever the model fails, leaves out or adds a number, id, amount or e-mail
    address (``phrasing_problem``), drops a placeholder, or writes something empty or far longer.
    ``fallbacks`` counts those, ``last_problem`` says the latest reason.
    """

    def __init__(self, llm: LLM, *, mask: bool = True) -> None:
        self.llm = llm
        self.mask = mask
        self.fallbacks = 0
        self.last_problem: str | None = None

    def phrase(self, draft: str, *, language: str | None) -> str:
        if not draft.strip():
            return draft
        placeholders = Placeholders()
        sent = placeholders.mask(draft) if self.mask else draft
        system = PHRASER_PROMPT + (f" Write the reply in this language: {language}." if language else "")
        try:
            answer = self.llm.complete(
                [ChatMessage("system", system), ChatMessage("user", sent)],
                max_tokens=max(128, len(draft)),
            ).strip()
            if not answer:
                return self._keep(draft, "the model sent no text")
            if missing := [p for p in placeholders.values if p not in answer]:
                return self._keep(draft, f"the model's text leaves out the placeholders {', '.join(missing)}")
            phrased = placeholders.restore(answer) if self.mask else answer
        except UnknownPlaceholder as exc:
            return self._keep(draft, exc.detail)
        except RelaydeskError as exc:
            return self._keep(draft, f"the model failed: {exc.detail}")
        if problem := phrasing_problem(draft, phrased):
            return self._keep(draft, problem)
        self.last_problem = None
        return phrased

    def _keep(self, draft: str, problem: str) -> str:
        self.fallbacks += 1
        self.last_problem = problem
        log.info("kept the drafted reply: %s", problem)
        return draft


class LLMPlanner:
    """Asks the model which of the offered tools to call for the customer's message.

    Returns the calls it proposes, or [] when the model fails, asks for a tool that was not offered,
    or writes a placeholder that hides nothing. ``fallbacks`` counts those, ``last_problem`` says
    the latest reason.
    """

    def __init__(self, llm: ToolCallingLLM, *, mask: bool = True) -> None:
        self.llm = llm
        self.mask = mask
        self.fallbacks = 0
        self.last_problem: str | None = None

    def plan(
        self, text: str, history: Sequence[tuple[str, str]], tools: Sequence[dict[str, Any]]
    ) -> list[ToolCallRequest]:
        """``history``: earlier turns as (role, text), oldest first; a role of ``user`` or
        ``customer`` is the customer, any other the support side. ``tools``: OpenAI function
        schemas."""
        offered = {name for tool in tools if (name := _tool_name(tool))}
        if not offered:
            return []
        placeholders = Placeholders()

        def conceal(t: str) -> str:
            return placeholders.mask(t) if self.mask else t

        messages = [ChatMessage("system", PLANNER_PROMPT)]
        messages += [
            ChatMessage(_chat_role(role), conceal(said)) for role, said in history[-MAX_HISTORY_TURNS:]
        ]
        messages.append(ChatMessage("user", conceal(text)))
        try:
            turn = self.llm.chat(messages, tools=tools)
            calls = []
            for call in turn.tool_calls:
                if call.name not in offered:
                    return self._none(f'the model asked for the tool "{call.name}", which was not offered')
                if not isinstance(call.arguments, dict):
                    return self._none(
                        f'the model gave the tool "{call.name}" arguments that are not an object'
                    )
                arguments = placeholders.restore_in(call.arguments) if self.mask else call.arguments
                calls.append(ToolCallRequest(call.name, arguments))
        except UnknownPlaceholder as exc:
            return self._none(exc.detail)
        except RelaydeskError as exc:
            return self._none(f"the model failed: {exc.detail}")
        self.last_problem = None
        return calls

    def _none(self, problem: str) -> list[ToolCallRequest]:
        self.fallbacks += 1
        self.last_problem = problem
        log.info("planned no tool call: %s", problem)
        return []


def _tool_name(tool: dict[str, Any]) -> str | None:
    function = tool.get("function")
    name = function.get("name") if isinstance(function, dict) else None
    return name if isinstance(name, str) and name else None


def _chat_role(role: str) -> str:
    return "user" if role in ("user", "customer") else "assistant"
