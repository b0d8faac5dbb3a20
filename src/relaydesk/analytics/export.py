"""KPIs for other programs and for reading: a JSON-ready dict, a long-format CSV, and the headline
figures as short texts (the CLI and the HTML report show the same words).

The CSV has one row per figure: ``since, until, group_by, group, figure, value, unit, count,
total``. The whole period's rows have ``group_by`` and ``group`` "all"; ``kpis_by`` groups follow
with their grouping and value. ``value`` is the figure (a share from 0 to 1, seconds, a score, an
amount); ``count`` and ``total`` are what a share was computed from, or how many conversations a
median or mean is over. An empty cell is a figure with nothing to count ("no data"), never 0.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from relaydesk.analytics.kpis import Csat, CsatScore, Duration, Kpis, Money, Rate, ReasonCount
from relaydesk.analytics.labels import family_label, reason_label

__all__ = [
    "CSV_COLUMNS",
    "NO_DATA",
    "TYPE_LABELS",
    "Figure",
    "figures",
    "format_csat",
    "format_duration",
    "format_money",
    "format_rate",
    "format_share",
    "headline",
    "kpis_csv",
    "kpis_dict",
    "outcomes",
    "sections",
]

CSV_COLUMNS = ("since", "until", "group_by", "group", "figure", "value", "unit", "count", "total")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these could run as a formula in a spreadsheet."""
TYPE_LABELS = {"ai_only": "AI only", "ai_then_person": "AI then person", "person_only": "Person only"}
NO_DATA = "no data"


# -- JSON-ready ---------------------------------------------------------------------------------------
def kpis_dict(k: Kpis) -> dict[str, Any]:
    """Every figure of ``k`` as plain JSON values (the API's ``KpisOut`` has the same shape)."""
    return {
        "workspace_id": k.workspace_id,
        "since": k.since.isoformat(),
        "until": k.until.isoformat(),
        "group": {"by": k.group[0], "value": k.group[1]} if k.group else None,
        "conversations": k.conversations,
        "containment": _rate(k.containment),
        "escalation": _rate(k.escalation),
        "reasons_by_rule": [_reason(r, reason_label(r.name)) for r in k.reasons_by_rule],
        "reasons_by_family": [_reason(r, family_label(r.name)) for r in k.reasons_by_family],
        "time_to_escalation": _duration(k.time_to_escalation),
        "resolved": k.resolved,
        "csat_by_resolution_type": [_csat(c) for c in k.csat_by_resolution_type],
        "handle_time": _duration(k.handle_time),
        "first_contact_resolution": _rate(k.first_contact_resolution),
        "ai_resolution": _rate(k.ai_resolution),
        "ai_confirmed": k.ai_confirmed,
        "ai_quiet": k.ai_quiet,
        "abandonment": _rate(k.abandonment),
        "csat": _score(k.csat),
        "post_escalation_csat": _score(k.post_escalation_csat),
        "repeat_contact": _rate(k.repeat_contact),
        "reopen": _rate(k.reopen),
        "friction_repeated": _rate(k.friction_repeated),
        "friction_handed_again": _rate(k.friction_handed_again),
        "cost": {
            "ai_replies": k.cost.ai_replies,
            "agent_hours": k.cost.agent_hours,
            "total": _money(k.cost.total),
            "per_resolution": _money(k.cost.per_resolution),
            "per_resolution_by_type": [
                {"resolution_type": str(kind), **_money(money)}
                for kind, money in k.cost.per_resolution_by_type
            ],
        },
        "confidence": {
            "confirmed": _rate(k.confidence.confirmed),
            "follow_up_rate": _rate(k.confidence.follow_up_rate),
            "ai_replies_accurate": _rate(k.confidence.ai_replies_accurate),
            "suggestions_helpful": _rate(k.confidence.suggestions_helpful),
        },
    }


def _rate(r: Rate) -> dict[str, Any]:
    return {"count": r.count, "total": r.total, "rate": r.rate}


def _reason(r: ReasonCount, label: str) -> dict[str, Any]:
    return {"name": r.name, "label": label, "count": r.count, "rate": r.rate}


def _duration(d: Duration) -> dict[str, Any]:
    return {
        "count": d.count,
        "median_s": d.median_s,
        "mean_s": d.mean_s,
        "buckets": [{"label": label, "count": n} for label, n in d.buckets],
    }


def _csat(c: Csat) -> dict[str, Any]:
    return {
        "resolution_type": str(c.resolution_type),
        "resolved": c.resolved,
        "rated": c.rated,
        "mean_score": c.mean_score,
        "satisfied_share": c.satisfied_share,
    }


def _score(s: CsatScore) -> dict[str, Any]:
    return {"rated": s.rated, "mean_score": s.mean_score, "satisfied_share": s.satisfied_share}


def _money(m: Money) -> dict[str, Any]:
    return {"amount": m.amount, "currency": m.currency}


# -- one row per figure -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Figure:
    """One number of the report: its name (``field`` or ``field.part``), value, unit and what it was
    computed from."""

    name: str
    value: float | int | None
    unit: str
    count: int | None = None
    total: int | None = None


def figures(k: Kpis) -> list[Figure]:
    """Every figure of ``k``, in the order of the ``Kpis`` fields."""
    out = [Figure("conversations", k.conversations, "conversations")]
    out += [_share("containment", k.containment), _share("escalation", k.escalation)]
    for field, reasons in (
        ("reasons_by_rule", k.reasons_by_rule),
        ("reasons_by_family", k.reasons_by_family),
    ):
        out += [Figure(f"{field}.{r.name}", r.rate, "share", r.count, k.conversations) for r in reasons]
    out += _durations("time_to_escalation", k.time_to_escalation)
    out.append(Figure("resolved", k.resolved, "conversations"))
    for c in k.csat_by_resolution_type:
        name = f"csat_by_resolution_type.{c.resolution_type}"
        out += [
            Figure(f"{name}.resolved", c.resolved, "conversations"),
            Figure(f"{name}.mean_score", c.mean_score, "score 1-5", c.rated),
            Figure(
                f"{name}.satisfied_share",
                c.satisfied_share,
                "share",
                _satisfied(c.satisfied_share, c.rated),
                c.rated,
            ),
        ]
    out += _durations("handle_time", k.handle_time)
    out += [
        _share("first_contact_resolution", k.first_contact_resolution),
        _share("ai_resolution", k.ai_resolution),
        Figure("ai_confirmed", k.ai_confirmed, "conversations"),
        Figure("ai_quiet", k.ai_quiet, "conversations"),
        _share("abandonment", k.abandonment),
    ]
    out += _scores("csat", k.csat) + _scores("post_escalation_csat", k.post_escalation_csat)
    out += [
        _share("repeat_contact", k.repeat_contact),
        _share("reopen", k.reopen),
        _share("friction_repeated", k.friction_repeated),
        _share("friction_handed_again", k.friction_handed_again),
        Figure("cost.ai_replies", k.cost.ai_replies, "replies"),
        Figure("cost.agent_hours", k.cost.agent_hours, "hours"),
        Figure("cost.total", k.cost.total.amount, k.cost.total.currency),
        Figure(
            "cost.per_resolution",
            k.cost.per_resolution.amount,
            k.cost.per_resolution.currency,
            None,
            k.resolved,
        ),
    ]
    out += [
        Figure(f"cost.per_resolution_by_type.{kind}", m.amount, m.currency)
        for kind, m in k.cost.per_resolution_by_type
    ]
    conf = k.confidence
    out += [
        _share("confidence.confirmed", conf.confirmed),
        _share("confidence.follow_up_rate", conf.follow_up_rate),
        _share("confidence.ai_replies_accurate", conf.ai_replies_accurate),
        _share("confidence.suggestions_helpful", conf.suggestions_helpful),
    ]
    return out


def _share(name: str, r: Rate) -> Figure:
    return Figure(name, r.rate, "share", r.count, r.total)


def _durations(name: str, d: Duration) -> list[Figure]:
    out = [
        Figure(f"{name}.median_s", d.median_s, "seconds", d.count),
        Figure(f"{name}.mean_s", d.mean_s, "seconds", d.count),
    ]
    return out + [Figure(f"{name}.bucket.{label}", n, "conversations", n, d.count) for label, n in d.buckets]


def _scores(name: str, s: CsatScore) -> list[Figure]:
    return [
        Figure(f"{name}.mean_score", s.mean_score, "score 1-5", s.rated),
        Figure(
            f"{name}.satisfied_share",
            s.satisfied_share,
            "share",
            _satisfied(s.satisfied_share, s.rated),
            s.rated,
        ),
    ]


def _satisfied(share: float | None, rated: int) -> int | None:
    return None if share is None else round(share * rated)


def kpis_csv(overall: Kpis, groups: list[Kpis]) -> str:
    """The period's figures, then each group's, one row per figure (RFC 4180, CRLF line ends)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for k in (overall, *groups):
        by, value = k.group or ("all", "all")
        for f in figures(k):
            writer.writerow(
                [
                    k.since.isoformat(),
                    k.until.isoformat(),
                    _text(by),
                    _text(value),
                    _text(f.name),
                    _number(f.value),
                    _text(f.unit),
                    _number(f.count),
                    _number(f.total),
                ]
            )
    return out.getvalue()


def _text(cell: str) -> str:
    """A text cell a spreadsheet shows as text: one that could start a formula gets a leading '."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def _number(value: float | int | None) -> str:
    if value is None:
        return ""
    return repr(float(value)) if isinstance(value, float) else str(value)


# -- short texts ----------------------------------------------------------------------------------------
def format_rate(r: Rate) -> str:
    """``33.3% (2 of 6)``, or "no data"."""
    return NO_DATA if r.rate is None else f"{r.rate * 100:.1f}% ({r.count} of {r.total})"


def format_share(share: float | None) -> str:
    return NO_DATA if share is None else f"{share * 100:.1f}%"


def format_duration(seconds: float | None) -> str:
    """``45s``, ``6m 00s``, ``2h 05m``, or "no data"."""
    if seconds is None:
        return NO_DATA
    sign = "-" if seconds < 0 else ""
    s = round(abs(seconds))
    if s < 60:
        return f"{sign}{s}s"
    m = s // 60
    if m < 60:
        return f"{sign}{m}m {s % 60:02d}s"
    return f"{sign}{m // 60}h {m % 60:02d}m"


def format_money(m: Money) -> str:
    return NO_DATA if m.amount is None else f"{m.amount:,.2f} {m.currency}"


def format_score(score: float | None) -> str:
    return NO_DATA if score is None else f"{score:.2f}"


def format_csat(s: CsatScore) -> str:
    """``4.33 of 5, 67% satisfied (3 rated)``, or "no data"."""
    if s.mean_score is None:
        return NO_DATA
    return f"{s.mean_score:.2f} of 5, {format_share(s.satisfied_share)} satisfied ({s.rated} rated)"


def headline(k: Kpis) -> list[tuple[str, str]]:
    """The headline figures as (label, text): what the CLI prints and the HTML report leads with."""
    return [
        ("Conversations", str(k.conversations)),
        ("Resolved", str(k.resolved)),
        ("Containment", format_rate(k.containment)),
        ("AI resolution rate", format_rate(k.ai_resolution)),
        ("Escalation rate", format_rate(k.escalation)),
        ("Abandonment", format_rate(k.abandonment)),
        ("CSAT", format_csat(k.csat)),
        ("Post-escalation CSAT", format_csat(k.post_escalation_csat)),
        ("First-contact resolution", format_rate(k.first_contact_resolution)),
        ("Repeat contact (7 days)", format_rate(k.repeat_contact)),
        ("Reopen rate", format_rate(k.reopen)),
        ("Median time to escalation", format_duration(k.time_to_escalation.median_s)),
        ("Median handle time", format_duration(k.handle_time.median_s)),
        ("Handoff friction: customer repeated", format_rate(k.friction_repeated)),
        ("Handoff friction: handed over again (72 h)", format_rate(k.friction_handed_again)),
        ("Cost per resolution", format_money(k.cost.per_resolution)),
    ]


def outcomes(k: Kpis) -> list[tuple[str, int]]:
    """Where the cohort's conversations ended up; the five add up to ``conversations``."""
    by_person = k.resolved - k.ai_confirmed - k.ai_quiet
    still_open = k.conversations - k.resolved - k.abandonment.count
    return [
        ("Resolved by the AI, confirmed", k.ai_confirmed),
        ("Resolved by the AI, customer went quiet", k.ai_quiet),
        ("Resolved by a person", by_person),
        ("Abandoned", k.abandonment.count),
        ("Still open", still_open),
    ]


def sections(k: Kpis) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every figure of ``k`` as (section title, [(label, text)]): the CLI's text report."""
    reasons = [(f"{r.name}", f"{format_share(r.rate)} ({r.count})") for r in k.reasons_by_rule]
    families = [(f"family {r.name}", f"{format_share(r.rate)} ({r.count})") for r in k.reasons_by_family]
    csat_types = [
        (
            TYPE_LABELS.get(str(c.resolution_type), str(c.resolution_type)),
            f"{c.resolved} resolved, {c.rated} rated, mean {format_score(c.mean_score)}, "
            f"{format_share(c.satisfied_share)} satisfied",
        )
        for c in k.csat_by_resolution_type
    ]
    cost_types = [
        (f"Per resolution, {TYPE_LABELS.get(str(kind), str(kind))}", format_money(m))
        for kind, m in k.cost.per_resolution_by_type
    ]
    c = k.confidence
    return [
        ("Headline", headline(k)),
        ("Outcomes", [(label, str(n)) for label, n in outcomes(k)]),
        ("Escalation reasons (first handover)", reasons + families or [("No handovers", NO_DATA)]),
        ("Time to escalation", _distribution(k.time_to_escalation)),
        ("CSAT by resolution type", csat_types),
        ("Handle time", _distribution(k.handle_time)),
        (
            "Cost",
            [
                ("AI replies", str(k.cost.ai_replies)),
                ("Hours people owned conversations", f"{k.cost.agent_hours:.2f}"),
                ("Total", format_money(k.cost.total)),
                ("Per resolution", format_money(k.cost.per_resolution)),
                *cost_types,
            ],
        ),
        (
            "Resolution confidence",
            [
                ("AI resolutions the customer confirmed", format_rate(c.confirmed)),
                ("Resolved with a follow-up scheduled", format_rate(c.follow_up_rate)),
                ("AI replies rated accurate by agents", format_rate(c.ai_replies_accurate)),
                ("Suggested replies rated helpful", format_rate(c.suggestions_helpful)),
            ],
        ),
    ]


def _distribution(d: Duration) -> list[tuple[str, str]]:
    return [
        ("Median", format_duration(d.median_s)),
        ("Mean", format_duration(d.mean_s)),
        ("Conversations", str(d.count)),
        *((label, str(n)) for label, n in d.buckets),
    ]
