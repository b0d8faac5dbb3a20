"""Runs the flows: starts the one a message asks for, feeds each message to the flow in progress,
sets a flow aside when the customer asks something else and comes back to it, and hands a flow to
another (with its slots) when the records show another fits (a change of items on a delivered
order is an exchange).

``FlowEngine.turn(text, state, box, intent=...)`` returns a ``FlowReply`` (what to say, what it
asks, whether the need is settled or a person should take over) and leaves the new state in
``state``; it writes nothing itself except through the governed tools.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from relaydesk.dialogue.acts import social_act
from relaydesk.dialogue.catalogue import say
from relaydesk.dialogue.questions import general_question
from relaydesk.specialists import extract as ex
from relaydesk.specialists import flow_texts as ft
from relaydesk.specialists import steps as st
from relaydesk.specialists.flow_spec import FlowLibrary, FlowSpec, StepSpec
from relaydesk.specialists.state import FlowFrame, FlowState
from relaydesk.specialists.switching import answers, says_more
from relaydesk.specialists.toolbox import Toolbox

MAX_ATTEMPTS = 3
"""Times a step may ask for the same thing before a person is brought in."""
NUDGE_ACTS = frozenset({"thanks", "ack", "emoji", "farewell", "greeting"})
"""Replies that answer nothing: the same question comes back with a short "no rush" first."""
MAX_STEPS_PER_TURN = 40
MIN_INTENT_CONFIDENCE = 0.6
SAID_KEPT = 8
PERSON = "person"
"""What a reply asks for when it offers a person: the customer's yes (or the same request again)
brings one in."""
PERSON_OFFER = "person_offer"
"""``FlowState.shared`` key: the flow that offered a person and why, for the brief."""


@dataclass
class FlowReply:
    text: str
    flow: str
    """``name@version`` of the flow that spoke."""
    step: str = ""
    asks: str | None = None
    resolved: bool = False
    progressed: bool = True
    """Whether the flow moved on (filled something, acted or answered); a re-ask is not progress."""
    handoff: str | None = None
    """Set when a person should take over: why, in words for the brief."""
    outcome: str = ""
    follow_up: tuple[str, int] | None = None
    """A follow-up the finished step asks for: (text, seconds from now)."""


@dataclass
class _Turn:
    parts: list[str] = field(default_factory=list)
    progressed: bool = False
    resolved: bool = False
    language: str = "en"
    """The conversation's language: what the flows say this turn is said in it."""


class FlowEngine:
    def __init__(self, library: FlowLibrary) -> None:
        self.library = library

    # -- choosing a flow ------------------------------------------------------------------------------
    def dispatch(
        self,
        text: str,
        intent: str | None = None,
        confidence: float = 0.0,
        exclude: str | None = None,
        gloss: str | None = None,
    ) -> FlowSpec | None:
        """The task flow this message starts, or None. Words decide first (several matches: the
        flow's priority, then the most words); a confident intent alone starts its flow when the
        message names an order. ``gloss``: the message's English rendering (triage's, for one in
        another language), whose words start a flow where the message's own choose none; only a
        request does: a question in it ("how much does it cost the express shipping", "i can
        return a oreiller that i have already open" from a question) is the help center's."""
        scored = []
        texts = [text]
        how = ex.asks_how(text) or bool(gloss and ex.asks_how(gloss))
        if gloss and gloss != text and not how and not general_question(gloss):
            texts.append(gloss)
        asked = "?" in text
        for flow in self.library.tasks():
            if flow.name == exclude or any(w.search(t) for w in flow.unless for t in texts):
                continue
            if how and flow.kind == "task":
                continue  # "how do I return an item?" is a question for the knowledge base
            hits = sum(1 for w in flow.words if w.search(text))
            if not hits and len(texts) > 1 and not (asked and flow.kind == "task"):
                hits = sum(1 for w in flow.words if w.search(texts[1]))
            # an intent alone starts a flow only about a named order: a general question with the
            # same intent ("my parcel says delivered but is not here") is the knowledge base's
            by_intent = (
                intent in flow.intents and confidence >= MIN_INTENT_CONFIDENCE and bool(ex.order_ids(text))
            )
            if hits or by_intent:
                # a request to do something comes before a look-up its words also match ("can I
                # change the t-shirt on my order? it hasn't shipped")
                scored.append(
                    (hits > 0, flow.kind == "task", flow.priority, hits, by_intent, flow.name, flow)
                )
        if not scored:
            return None
        scored.sort(key=lambda s: s[:6], reverse=True)
        return scored[0][-1]

    def intake_for(self, topics: set[str]) -> FlowSpec | None:
        for flow in sorted(self.library.intakes(), key=lambda f: -f.priority):
            if topics & set(flow.topics):
                return flow
        return None

    # -- one customer message -------------------------------------------------------------------------
    def turn(
        self,
        text: str,
        state: FlowState,
        box: Toolbox,
        *,
        intent: str | None = None,
        confidence: float = 0.0,
        start: FlowSpec | None = None,
        language: str = "en",
        gloss: str | None = None,
    ) -> FlowReply | None:
        """None when no flow is in progress and none fits the message (another responder answers).
        ``start``: the flow to begin when none is in progress and the words choose none (one a
        language model picked). ``language``: the conversation's, which the flow speaks.
        ``gloss``: the message in English (triage's rendering of another language), which starts
        a flow as the words do and is read for a question on the side."""
        active = state.active
        # In the middle of a flow only the words of another request set it aside: triage's intent
        # for an answer ("linear, RGB backlight") is no request.
        started = self.dispatch(text, None if active else intent, confidence, gloss=None if active else gloss)
        if started is None and active is None:
            started = start
        if active is not None and self.library.get(active.name) is None:
            state.active = active = None  # its flow was removed since
        if (
            active is not None
            and any(ex.asks_how(t) or ex.side_question(t) for t in (text, gloss) if t)
            and not answers(active, text, box)
            and (started is None or started.name == active.name)
        ):
            return None  # a question on the side: knowledge answers it, the flow waits
        if active is not None and ex.wants_to_stop(text):
            name = active.name
            state.finished.append({"flow": name, "outcome": "dropped"})
            state.active = None
            turn = _Turn([ft.text("engine.dropped", language)], progressed=True, language=language)
            started = self.dispatch(text, exclude=name)
            if started is not None:
                # "no, I don't want to exchange anything, I just want to know where it is"
                state.active = FlowFrame(started.name, started.version)
                _remember_said(state.active, text)
                return self._run(state, box, turn, fresh_text=text)
            return self._resume_or_close(state, box, turn, name)
        current = self.library.get(active.name) if active is not None else None
        if (
            active is not None
            and current is not None
            and started is not None
            and started.name != active.name
            and not answers(active, text, box)
            and not says_more(active, current, started, text)
        ):
            state.suspended.append(active)
            state.active = None
            active = None
        turn = _Turn(language=language)
        if active is None:
            if started is None:
                return None
            state.active = FlowFrame(started.name, started.version)
            self._queue_second_request(text, started, state)
            turn.parts = started.remarks_for(text, language)  # "I'm sorry the box arrived crushed."
        frame = state.active
        assert frame is not None
        _remember_said(frame, text)
        return self._run(state, box, turn, fresh_text=text)

    def _queue_second_request(self, text: str, first: FlowSpec, state: FlowState) -> None:
        """ "where is #W1 and also pls cancel #W2": two requests about two orders. The first flow
        runs now; the other waits its turn, set aside like a flow interrupted, and comes back when
        the first ends."""
        ids = ex.order_ids(text)
        if len(ids) < 2:
            return
        second = self.dispatch(text, exclude=first.name)
        if second is None or not any(w.search(text) for w in second.words):
            return
        if ex.order_near(text, ids, second.words) == ex.order_near(text, ids, first.words):
            return
        state.suspended.append(
            FlowFrame(second.name, second.version, slots={"_said": [text[:500]], "_queued": True})
        )

    def resume_text(self, state: FlowState, box: Toolbox, language: str = "en") -> FlowReply | None:
        """The question the flow in progress is waiting on (after an approval, or to come back)."""
        if state.active is None:
            return None
        return self._run(state, box, _Turn(language=language), fresh_text=None)

    def while_approval_waits(
        self, text: str, state: FlowState, box: Toolbox, language: str = "en"
    ) -> FlowReply | None:
        """A message while an action waits for a person's approval: "never mind, don't return it"
        withdraws it (if nobody has decided yet), "how long will that take?" is answered. None:
        the message is about something else."""
        if state.active is not None:
            return None
        record = state.awaiting_approval()
        if record is None:
            return None
        approval_id = str(record["approval_id"])
        flow = self.library.get(str(record.get("flow")))
        label = flow.label if flow else str(record.get("flow"))
        if ex.wants_to_stop(text) or WITHDRAW.search(text):
            status = box.withdraw(approval_id)
            record["outcome"] = "withdrawn" if status == "withdrawn" else str(status)
            if status == "withdrawn":
                text_out = ft.text("approval.withdrawn", language)
            elif status == "approved":
                text_out = ft.text("approval.already_done", language)
            elif status in ("denied", "failed"):
                text_out = ft.text("approval.not_done", language)
            else:
                return None
            return FlowReply(text_out, label, "approval", progressed=True, resolved=status == "withdrawn")
        if box.approval_status(approval_id) == "pending" and WAIT_QUESTION.search(text):
            return FlowReply(
                ft.text("approval.waiting", language),
                label,
                "approval",
                asks=None,
                progressed=True,
            )
        return None

    # -- running ---------------------------------------------------------------------------------------
    def _run(self, state: FlowState, box: Toolbox, turn: _Turn, fresh_text: str | None) -> FlowReply:
        frame = state.active
        assert frame is not None
        flow = self.library.get(frame.name)
        assert flow is not None
        box.flow = flow.label
        said = list(frame.slots.get("_said", []))
        for _ in range(MAX_STEPS_PER_TURN):
            if frame.step >= len(flow.steps):
                state.finished.append({"flow": flow.name, "outcome": "done"})
                state.active = None
                return self._resume_or_close(state, box, turn, flow.name)
            spec = flow.steps[frame.step]
            texts = ([fresh_text] if fresh_text is not None else []) + [
                t for t in reversed(said) if t != fresh_text
            ]
            step_input = st.StepInput(
                box, spec, frame, texts, flow.title_in(turn.language), flow.words, turn.language
            )
            outcome = self._step(step_input, state, flow)
            if outcome.kind == "next":
                frame.step += 1
                frame.asked = None
                frame.attempts = 0
                turn.progressed = True
                continue
            if outcome.kind == "again":
                frame.asked = None
                frame.attempts = 0
                turn.progressed = True
                continue
            if outcome.kind == "ask":
                act = social_act(fresh_text) if fresh_text is not None else None
                if frame.asked == outcome.asks and fresh_text is not None and act is None:
                    frame.attempts += 1  # "ok thanx" or a 👍 is not a failed try at the answer
                else:
                    frame.attempts = 0
                    turn.progressed = turn.progressed or fresh_text is None
                if frame.asked == outcome.asks and act is not None and act.act in NUDGE_ACTS:
                    # "ok thanks" to the same question: not the question again word for word
                    turn.parts.append(say("flow.whenever_ready", act.language or turn.language))
                frame.asked = outcome.asks
                if frame.attempts >= MAX_ATTEMPTS:
                    return self._exit(
                        state,
                        flow,
                        frame,
                        turn,
                        f"the customer could not give what the flow '{flow.title}' needs "
                        f"({outcome.asks}) "
                        f"after {MAX_ATTEMPTS} tries",
                    )
                turn.parts.append(outcome.text)
                return FlowReply(
                    _joined(turn.parts), flow.label, spec.kind, outcome.asks, turn.resolved, turn.progressed
                )
            if outcome.kind == "handover":
                target = self.library.get(outcome.target or "")
                if target is None:
                    return self._exit(state, flow, frame, turn, f"flow {outcome.target} is not installed")
                slots = {k: v for k, v in frame.slots.items() if not k.startswith("_") or k == "_said"}
                state.finished.append({"flow": flow.name, "outcome": f"handed to {target.name}"})
                state.active = frame = FlowFrame(target.name, target.version, slots=slots)
                if outcome.text:  # "Order #W... is pending. So I'll handle this as: Cancel an order."
                    turn.parts.append(
                        ft.text(
                            "engine.handover",
                            turn.language,
                            text=outcome.text,
                            title=target.title_in(turn.language),
                        )
                    )
                flow = target
                box.flow = flow.label
                turn.progressed = True
                continue
            if outcome.kind == "finish":
                turn.parts.append(outcome.text)
                turn.progressed = True
                turn.resolved = turn.resolved or outcome.resolved
                record: dict[str, Any] = {"flow": flow.name, "outcome": outcome.label}
                if frame.approval_id:
                    record["approval_id"] = frame.approval_id
                state.finished.append(record)
                state.active = None
                reply = self._resume_or_close(state, box, turn, flow.name)
                reply.outcome = outcome.label
                reply.follow_up = outcome.follow_up
                if outcome.person_offer and state.active is None:
                    # "if you still want something done about it, just say so": a yes brings a person
                    reply.asks = PERSON
                    state.shared[PERSON_OFFER] = {"flow": flow.label, "why": outcome.person_offer}
                return reply
            return self._exit(state, flow, frame, turn, outcome.text, said=outcome.said)
        return self._exit(state, flow, frame, turn, "the flow went round in circles")

    def _step(self, s: st.StepInput, state: FlowState, flow: FlowSpec) -> st.Outcome:
        kind = s.spec.kind
        if kind == "confirm":
            return st.confirm(s, self._refiller(s, flow))
        if kind == "gather":
            return st.gather(s, state.intake)
        if kind == "handoff":
            return st.handoff(s, state.intake, flow.label)
        handler: Callable[[st.StepInput], st.Outcome] = STEP_HANDLERS[kind]
        return handler(s)

    def _refiller(self, s: st.StepInput, flow: FlowSpec) -> st.Refill:
        """For a confirmation answered with a change ("yes but make it the red one"): re-read the
        earlier steps from that message alone; go back to the first one that changes."""

        def refill(text: str) -> bool:
            frame = s.frame
            for index, spec in enumerate(flow.steps[: frame.step]):
                if spec.kind not in REFILLABLE:
                    continue
                saved = dict(frame.slots)
                _clear(frame, [spec])
                trial = st.StepInput(s.box, spec, frame, [text], s.title, flow.words, s.language)
                outcome = STEP_HANDLERS[spec.kind](trial)
                changed = outcome.kind == "next" and any(
                    frame.slots.get(k) != saved.get(k) for k in REFILLABLE[spec.kind]
                )
                later = flow.steps[index + 1 : frame.step]
                if changed:
                    if any(sp.kind in REFILLABLE for sp in later):
                        _clear(frame, later)
                        frame.step = index + 1
                    return True
                if outcome.kind == "ask" and outcome.specific:
                    # they named something this step cannot take as it is ("make it the red one"
                    # where red comes only in another size, a refund to a method the rules do not
                    # allow): go back to that step, which says why and offers what can be done
                    _clear(frame, later)
                    frame.step = index
                    return True
                frame.slots.clear()
                frame.slots.update(saved)
            return False

        return refill

    def _resume_or_close(self, state: FlowState, box: Toolbox, turn: _Turn, ended: str) -> FlowReply:
        flow = self.library.get(ended)
        label = flow.label if flow else ended
        if state.suspended:
            frame = state.suspended.pop()
            resumed = self.library.get(frame.name)
            if resumed is not None:
                state.active = frame
                turn.parts = [_without_anything_else(p) for p in turn.parts]
                lead = "engine.other_request" if frame.slots.pop("_queued", False) else "engine.back"
                turn.parts.append(
                    "\n\n" + ft.text(lead, turn.language, title=resumed.title_in(turn.language))
                )
                return self._run(state, box, turn, fresh_text=None)
        return FlowReply(_joined(turn.parts), label, "end", None, turn.resolved, turn.progressed)

    def _exit(
        self,
        state: FlowState,
        flow: FlowSpec,
        frame: FlowFrame,
        turn: _Turn,
        why: str,
        said: str | None = None,
    ) -> FlowReply:
        """A person takes over: ``why`` goes to the brief; ``said`` (a flow's own handoff step) is
        what the customer is told instead of the general line."""
        state.finished.append({"flow": flow.name, "outcome": "escalated", "step": frame.step, "why": why})
        if said is not None and state.active is frame:
            state.active = None  # the flow's own handoff: it is done, a person takes it from here
        turn.parts.append(said or ft.text("engine.exit", turn.language))
        reply = FlowReply(
            _joined(turn.parts), flow.label, flow.steps[min(frame.step, len(flow.steps) - 1)].kind
        )
        reply.handoff = f"The flow '{flow.title}' stopped at step {frame.step + 1}: {why}."
        reply.progressed = False
        return reply


def _clear(frame: FlowFrame, specs: Sequence[StepSpec]) -> None:
    """Empty the slots these steps fill (the items chosen before are kept aside as a reference)."""
    for spec in specs:
        for slot in REFILLABLE.get(spec.kind, ()):
            frame.slots.pop(slot, None)
        if spec.kind == "new_items":
            frame.slots["_new_before"] = frame.slots.pop("_new", None) or frame.slots.get("_new_before") or {}


def _joined(parts: list[str]) -> str:
    return " ".join(parts).replace(" \n", "\n").strip()


def _without_anything_else(part: str) -> str:
    """A reply part without its closing question: the flow set aside comes back instead."""
    for closing in ft.TEXTS["anything_else"].values():
        part = re.sub(r"\s*" + re.escape(closing), "", part)
    return part.rstrip()


def _remember_said(frame: FlowFrame, text: str) -> None:
    said = list(frame.slots.get("_said", []))
    said.append(text[:500])
    frame.slots["_said"] = said[-SAID_KEPT:]


WITHDRAW = re.compile(
    r"\b(withdraw|take back|cancel) (the |my |that |this )?(request|approval)\b|"
    r"\b(don'?t|do not|dont) (return|cancel|exchange|change|refund|do) (it|that|them|anything)\b",
    re.IGNORECASE,
)
WAIT_QUESTION = re.compile(
    r"\b(how long|when will|when do|any news|any update|still waiting|how much longer|is it done|"
    r"has (it|anyone) (been )?(approved|decided))\b",
    re.IGNORECASE,
)


STEP_HANDLERS: dict[str, Callable[[st.StepInput], st.Outcome]] = {
    "identify": st.identify,
    "order": st.order,
    "items": st.items,
    "new_items": st.new_items,
    "payment": st.payment,
    "reason": st.reason,
    "address": st.address,
    "act": st.act,
    "order_status": st.order_status,
    "product_info": st.product_info,
    "refund_status": st.refund_status,
    "say": st.say,
}
"""Steps that need only their input; ``confirm``, ``gather`` and ``handoff`` are run by ``_step``."""
REFILLABLE: dict[str, tuple[str, ...]] = {
    "items": ("item_ids", "items"),
    "new_items": ("new_item_ids", "new_items"),
    "payment": ("payment_method_id", "payment"),
    "reason": ("reason",),
    "address": ("address",),
}
