"""Routing rules as data: service levels, seniority, relaxation, intent skills and scoring weights.

A rules file is YAML (the bundled one is ``routing/data/default.yaml``). It is read once, checked
field by field, and refused with the file, the line and the reason when anything is wrong; a route
decision records the file's ``version``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from relaydesk.domain.models import CustomerTier
from relaydesk.rules_files.reader import (
    PolicyDocument,
    PolicyFileError,
    Reader,
    is_finite,
    parse_policy_text,
)

DEFAULT_RULES = Path(__file__).with_name("data") / "default.yaml"
TIERS = tuple(str(t) for t in CustomerTier)
RELAXABLE = ("seniority", "skills", "language")
MAX_STRICT_SKILLS = 50
MAX_SECONDS = 30 * 24 * 3600
"""Longest service level or handle time a rules file may set (30 days)."""
MAX_WEIGHT = 1000.0
WEIGHTS = ("skill", "free_capacity", "idle")


@dataclass(frozen=True, slots=True)
class RoutingRules:
    version: str
    service_levels_s: MappingProxyType[str, float]
    """Target seconds from queued to assigned, by customer tier."""
    priority_factor: float = 0.5
    min_agent_tier: MappingProxyType[str, int] = field(default_factory=lambda: MappingProxyType({}))
    relax_after: MappingProxyType[str, float] = field(default_factory=lambda: MappingProxyType({}))
    """Share of the service level after which a requirement is widened (absent: never)."""
    intent_skills: MappingProxyType[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    weights: MappingProxyType[str, float] = field(
        default_factory=lambda: MappingProxyType({"skill": 1.0, "free_capacity": 0.5, "idle": 0.25})
    )
    strict_skills: frozenset[str] = frozenset()
    """Required skills never widened within the service level while someone on the team has them
    (a legal, security or fraud case waits for a person qualified for it)."""
    auto_assign: bool = True
    handle_time_s: float = 480.0
    description: str = ""
    digest: str = ""

    def service_level_s(self, tier: str, priority: int) -> float:
        """Seconds within which a person should take a queued conversation of this tier/priority."""
        base = self.service_levels_s.get(str(tier), self.service_levels_s.get("standard", 900.0))
        return float(base) * (self.priority_factor ** max(0, min(int(priority), 3)))

    def relaxes(self, requirement: str, waited_s: float, service_level_s: float) -> bool:
        """Whether ``requirement`` is widened for a conversation that has waited ``waited_s``."""
        share = self.relax_after.get(requirement)
        return share is not None and waited_s >= share * service_level_s

    def preferred_skills(self, intent: str | None) -> tuple[str, ...]:
        return self.intent_skills.get(intent or "", ())


def load_routing_rules(path: str | Path | None = None) -> RoutingRules:
    """The rules in ``path`` (None: the bundled default)."""
    path = Path(path) if path is not None else DEFAULT_RULES
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyFileError(str(path), None, f"cannot be read ({exc.strerror or exc})") from exc
    return parse_routing_rules(text, str(path))


def parse_routing_rules(text: str, file: str = "<routing rules>") -> RoutingRules:
    try:
        doc = parse_policy_text(text, file)
    except PolicyFileError as exc:
        if exc.reason.startswith("a policy file must be a mapping"):
            raise PolicyFileError(
                file, exc.line, "a routing rules file must be a mapping with version and service_levels"
            ) from exc
        raise
    top = Reader(doc, (), doc.data, "the routing rules")
    top.refuse_unknown(
        (
            "version",
            "description",
            "service_levels",
            "priority_factor",
            "min_agent_tier",
            "relax_after",
            "intent_skills",
            "strict_skills",
            "weights",
            "auto_assign",
            "handle_time_s",
        )
    )
    version = str(
        top.get(
            "version",
            lambda v: isinstance(v, str | int | float) and not isinstance(v, bool) and str(v).strip() != "",
            "a non-empty text",
            required=True,
        )
    )
    top.get("description", lambda v: isinstance(v, str), "a text", "")
    levels = _tier_map(
        doc,
        top,
        "service_levels",
        lambda v: is_finite(v) and 0 < v <= MAX_SECONDS,
        f"a number of seconds above 0 and at most {MAX_SECONDS:,} (30 days)",
        float,
    )
    if "standard" not in levels:
        raise top.error(
            "service_levels", 'service_levels needs "standard" (the level of every customer without another)'
        )
    factor = top.number("priority_factor", 0.5)
    if not 0 < factor <= 1:
        raise top.error("priority_factor", f'"priority_factor" must be above 0 and at most 1, got {factor!r}')
    min_tier = (
        _tier_map(
            doc,
            top,
            "min_agent_tier",
            lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 3,
            "an agent tier from 1 to 3",
            int,
        )
        if top.has("min_agent_tier")
        else {}
    )
    relax: dict[str, float] = {}
    if top.has("relax_after"):
        reader = Reader(doc, top.at("relax_after"), top.value["relax_after"], "relax_after")
        reader.refuse_unknown(RELAXABLE)
        for key in RELAXABLE:
            if reader.has(key):
                value = reader.number(key)
                if not 0 <= value <= 10:
                    raise reader.error(
                        key,
                        f'"{key}" in relax_after is a share of the service level from 0 to 10, got {value!r}',
                    )
                relax[key] = value
    skills: dict[str, tuple[str, ...]] = {}
    if top.has("intent_skills"):
        value = top.value["intent_skills"]
        if not isinstance(value, dict):
            raise top.error("intent_skills", "intent_skills must map intents to lists of skills")
        for intent, names in value.items():
            names = [names] if isinstance(names, str) else names
            if (
                not isinstance(names, list)
                or not names
                or not all(isinstance(n, str) and n.strip() for n in names)
            ):
                raise doc.error(
                    ("intent_skills", str(intent)),
                    f'the skills of intent "{intent}" must be a skill name or a list of them',
                )
            skills[str(intent)] = tuple(dict.fromkeys(n.strip() for n in names))
    strict: frozenset[str] = frozenset()
    if top.has("strict_skills"):
        names = top.value["strict_skills"]
        if (
            not isinstance(names, list)
            or len(names) > MAX_STRICT_SKILLS
            or not all(isinstance(n, str) and n.strip() for n in names)
        ):
            raise top.error(
                "strict_skills", f"strict_skills must be a list of at most {MAX_STRICT_SKILLS} skill names"
            )
        strict = frozenset(n.strip() for n in names)
    weights = {"skill": 1.0, "free_capacity": 0.5, "idle": 0.25}
    if top.has("weights"):
        reader = Reader(doc, top.at("weights"), top.value["weights"], "weights")
        reader.refuse_unknown(WEIGHTS)
        for key in WEIGHTS:
            if reader.has(key):
                value = reader.number(key)
                if not 0 <= value <= MAX_WEIGHT:
                    raise reader.error(key, f'weight "{key}" must be from 0 to {MAX_WEIGHT:g}, got {value!r}')
                weights[key] = value
    handle = top.number("handle_time_s", 480.0)
    if not 0 < handle <= MAX_SECONDS:
        raise top.error(
            "handle_time_s",
            f'"handle_time_s" must be above 0 and at most {MAX_SECONDS:,} seconds, got {handle!r}',
        )
    return RoutingRules(
        version=version,
        service_levels_s=MappingProxyType(levels),
        priority_factor=factor,
        min_agent_tier=MappingProxyType(min_tier),
        relax_after=MappingProxyType(relax),
        intent_skills=MappingProxyType(skills),
        strict_skills=strict,
        weights=MappingProxyType(weights),
        auto_assign=top.boolean("auto_assign", True),
        handle_time_s=handle,
        description=str(doc.data.get("description") or ""),
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest()[:12],
    )


def _tier_map(
    doc: PolicyDocument, top: Reader, key: str, check: Any, expected: str, cast: Any
) -> dict[str, Any]:
    value = top.value.get(key)
    if not isinstance(value, dict) or not value:
        raise (
            top.error(key, f"{key} must map customer tiers ({', '.join(TIERS)}) to values")
            if top.has(key)
            else doc.error((), f'the routing rules need the field "{key}"')
        )
    out: dict[str, Any] = {}
    for tier, item in value.items():
        if str(tier) not in TIERS:
            raise doc.error(
                (key, str(tier)), f'unknown customer tier "{tier}" in {key}; allowed: {", ".join(TIERS)}'
            )
        if not check(item):
            raise doc.error((key, str(tier)), f'"{tier}" in {key} must be {expected}, got {item!r}')
        out[str(tier)] = cast(item)
    return out
