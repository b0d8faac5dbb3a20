"""What the queue holds for one agent: which waiting conversations fit them and, in plain words,
why the others do not (the console marks them in the queue list), and why *Take next* found
nothing for them.

Every agent sees every waiting conversation: a support team watches the whole queue (a German
fraud case nobody on shift can take is something the lead must see, and a colleague may claim it
by hand). The routing rules decide only what *Take next* and the automatic hand-out give them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from relaydesk.analytics.plain_words import language_name
from relaydesk.domain.capability_types import QueuedCase
from relaydesk.domain.models import Agent, AgentStatus, utcnow
from relaydesk.routing.skills import Blocker, Fit, Unmet
from relaydesk.services.assignment import MAX_SCAN, router_for_team

if TYPE_CHECKING:
    from relaydesk.domain.ports import Router
    from relaydesk.services.context import ServiceContext


WORD_ORDER = (Unmet.LANGUAGE, Unmet.SKILLS, Unmet.SENIORITY)
"""The order the reasons are said in: the language first (the one an agent reads at a glance)."""


@dataclass(frozen=True, slots=True)
class CaseFit:
    """How one waiting conversation fits one agent."""

    fits: bool
    """The routing rules would give it to them now (were they online with a free seat)."""
    blockers: tuple[Blocker, ...] = ()
    """What keeps them from it, in WORD_ORDER."""
    words: str | None = None
    """Why it does not fit, short, for the queue list: "German — not your language"."""

    @property
    def main(self) -> Blocker | None:
        return self.blockers[0] if self.blockers else None


FITS = CaseFit(True)


def case_fits(ctx: ServiceContext, agent: Agent, cases: Sequence[QueuedCase]) -> dict[str, CaseFit]:
    """By conversation id: how each waiting conversation fits ``agent``, judged as if they were
    online with a free seat (whether they are is their presence and load, not the conversation's)."""
    router = router_for_team(ctx, agent.workspace_id)
    now = utcnow()
    return {case.conversation.id: _case_fit(router, agent, case, now) for case in cases}


def _case_fit(router: Router, agent: Agent, case: QueuedCase, now: datetime) -> CaseFit:
    explain = getattr(router, "explain", None)
    if explain is None:  # a router without requirements (fifo): anyone takes anything
        return FITS
    fit: Fit = explain(replace(agent, status=AgentStatus.ONLINE), case, now)
    blockers = tuple(sorted((b for b in fit.blockers if b.unmet in WORD_ORDER), key=_said_order))
    if fit.eligible or not blockers:
        return FITS
    return CaseFit(False, blockers, "; ".join(_words(b, case) for b in blockers))


def _said_order(blocker: Blocker) -> int:
    return WORD_ORDER.index(blocker.unmet)


def _words(blocker: Blocker, case: QueuedCase) -> str:
    if blocker.unmet == Unmet.LANGUAGE:
        return f"{_languages(blocker.missing)} — not your language"
    if blocker.unmet == Unmet.SKILLS:
        return f"needs {', '.join(blocker.missing)} — not one of your skills"
    return f"{_tier(str(case.customer_tier))} customer — for a more senior agent"


def _languages(codes: Sequence[str]) -> str:
    return ", ".join(dict.fromkeys(language_name(c) for c in codes))


def _tier(tier: str) -> str:
    return tier.upper() if tier == "vip" else tier.capitalize()


def nothing_to_take(ctx: ServiceContext, agent: Agent) -> tuple[str, int]:
    """Why *Take next* found nothing for ``agent`` (who has a free seat), in one sentence, and how
    many conversations are waiting: "2 conversations are waiting, none in a language you speak
    (German)"."""
    cases = ctx.store.queued_cases(agent.workspace_id, limit=MAX_SCAN)
    if not cases:
        return "Nothing is waiting in the queue.", 0
    fits = case_fits(ctx, agent, cases)
    waiting = _waiting(len(cases), more=len(cases) >= MAX_SCAN)
    unfit = [f for f in fits.values() if not f.fits]
    if len(unfit) < len(cases):
        # Some fit, yet none was given: colleagues took them first (a race), or they are past
        # the conversations it reads.
        return f"{waiting}; colleagues took the ones you can take first. Try again.", len(cases)
    kinds = Counter(f.main.unmet for f in unfit if f.main)
    missing = {kind: _missing(unfit, kind) for kind in kinds}
    one = len(cases) == 1
    if len(kinds) == 1:
        [kind] = kinds
        if kind == Unmet.LANGUAGE:
            names = _languages(missing[kind])
            return f"{waiting}, {'not' if one else 'none'} in a language you speak ({names}).", len(cases)
        if kind == Unmet.SKILLS:
            skills = ", ".join(missing[kind])
            need = "it needs" if one else "each needs"
            return f"{waiting}; {need} a skill you don't have ({skills}).", len(cases)
        whose = "it is" if one else "each is"
        return f"{waiting}; {whose} for a customer who needs a more senior agent.", len(cases)
    parts = []
    for kind, count in kinds.most_common():
        if kind == Unmet.LANGUAGE:
            parts.append(f"{count} not in a language you speak ({_languages(missing[kind])})")
        elif kind == Unmet.SKILLS:
            parts.append(f"{count} needing a skill you don't have ({', '.join(missing[kind])})")
        else:
            parts.append(f"{count} for a customer who needs a more senior agent")
    return f"{waiting}, none you can take now: {', '.join(parts)}.", len(cases)


def _missing(unfit: Sequence[CaseFit], kind: Unmet) -> list[str]:
    """What the agent lacks for the conversations whose main reason is ``kind``."""
    return list(dict.fromkeys(m for f in unfit if f.main and f.main.unmet == kind for m in f.main.missing))


def _waiting(count: int, *, more: bool) -> str:
    if count == 1:
        return "1 conversation is waiting"
    return f"{count}{' or more' if more else ''} conversations are waiting"
