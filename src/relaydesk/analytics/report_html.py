"""The KPI report as one standalone HTML file: it opens offline, with its CSS, Chart.js (the
dashboard's vendored copy, licence comment kept) and its data inline, and links nothing outside.

Each chart is followed by a table with the same numbers. Every text that comes from data is
HTML-escaped, and the charts' data is embedded as JSON that cannot end its script element.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any

from relaydesk.analytics.export import (
    NO_DATA,
    TYPE_LABELS,
    format_duration,
    format_money,
    format_score,
    format_share,
    headline,
    outcomes,
)
from relaydesk.analytics.kpis import Duration, Kpis
from relaydesk.analytics.labels import family_label, reason_label
from relaydesk.analytics.script_json import script_json

__all__ = ["kpis_html", "script_json"]

COLORS = ("#1f5fa8", "#b3261e", "#1a7a4c", "#9a5300", "#6a3fa0", "#0d6e62", "#555b66")
OUTCOME_COLORS = ("#1a7a4c", "#5fae86", "#1f5fa8", "#b3261e", "#8a8f99")

CSS = """
:root { color-scheme: light; --ink: #1b1f24; --muted: #555b66; --line: #d5d9e0; --accent: #1f5fa8; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #f6f7f9; }
main { max-width: 1100px; margin: 0 auto; padding: 1.5rem; }
h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
h2 { margin: 2rem 0 .75rem; font-size: 1.2rem; }
.period, .note { color: var(--muted); margin: 0 0 1rem; }
.headline { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: .75rem;
  margin: 0; }
.headline div { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: .6rem .8rem; }
.headline dt { color: var(--muted); font-size: .85rem; }
.headline dd { margin: 0; font-size: 1.05rem; font-weight: 600; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 1rem; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem; }
figcaption { font-weight: 600; margin-bottom: .5rem; }
.canvas-box { position: relative; height: 240px; }
table { border-collapse: collapse; width: 100%; margin-top: .75rem; font-size: .9rem; background: #fff; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.wide { overflow-x: auto; }
dl.definitions dt { font-weight: 600; margin-top: .5rem; }
dl.definitions dd { margin: 0 0 0 1rem; }
code { font-size: .9em; }
@media print { body { background: #fff; } .charts { display: block; }
  figure { break-inside: avoid; margin-bottom: 1rem; } }
"""

DRAW = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kpi-data").textContent);
  if (typeof Chart === "undefined") return;
  var base = { animation: false, responsive: true, maintainAspectRatio: false };
  function options(extra) { return Object.assign({}, base, extra || {}); }
  function bars(id, series, label, extra) {
    new Chart(document.getElementById(id), {
      type: "bar",
      data: { labels: series.labels,
        datasets: [{ label: label, data: series.values, backgroundColor: data.colors[0] }] },
      options: options(Object.assign({ plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true } } }, extra || {}))
    });
  }
  new Chart(document.getElementById("chart-outcomes"), {
    type: "doughnut",
    data: { labels: data.outcomes.labels,
      datasets: [{ data: data.outcomes.values, backgroundColor: data.outcome_colors }] },
    options: options({ plugins: { legend: { position: "bottom" } } })
  });
  bars("chart-reasons", data.reasons, "% of conversations", { indexAxis: "y",
    scales: { x: { beginAtZero: true, title: { display: true, text: "% of conversations" } } } });
  bars("chart-csat", data.csat, "Mean score", { scales: { y: { beginAtZero: true, max: 5 } } });
  var counts = { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } };
  bars("chart-tte", data.tte, "Conversations", counts);
  bars("chart-handle", data.handle, "Conversations", counts);
  bars("chart-cost", data.cost, "Cost per resolution (" + data.currency + ")");
})();
"""

DEFINITIONS = (
    (
        "Cohort",
        "Conversations started in the period with at least one customer message; every figure "
        "is over this one cohort.",
    ),
    ("Containment", "Conversations never handed to a person / conversations. Escalation rate is the rest."),
    (
        "AI resolution rate",
        "Conversations the AI resolved (the customer confirmed its answer, or asked for "
        "nothing more within the settle time) / conversations.",
    ),
    (
        "Abandonment",
        "Conversations closed because the customer went quiet before anything was settled / "
        "conversations; never counted as resolved.",
    ),
    (
        "CSAT",
        "Over resolved conversations with a rating: the mean score (1 to 5) and the share rating 4 or "
        "5. Post-escalation CSAT counts only those handed to a person.",
    ),
    (
        "First-contact resolution",
        "Resolved conversations never reopened and with no repeat contact / resolved conversations.",
    ),
    (
        "Repeat contact",
        "Resolved conversations whose customer came back on the same topic within 7 days / "
        "resolved conversations.",
    ),
    ("Reopen rate", "Conversations reopened at least once / conversations closed at least once."),
    ("Time to escalation", "From the first customer message to the first handover."),
    (
        "Handle time",
        "The time people owned a resolved conversation (assignment to handback, resolution or transfer).",
    ),
    (
        "Handoff friction",
        "Of the conversations handed to a person: the customer had to say again what they "
        "had said before; or the conversation was handed over again within 72 hours.",
    ),
    (
        "Cost per resolution",
        "AI replies and the hours people owned the cohort's conversations, at the "
        "configured prices, / resolved conversations.",
    ),
)


def kpis_html(overall: Kpis, groups: list[Kpis], *, title: str, chart_js: str) -> str:
    """The report of ``overall`` (and one row per group of ``groups``, when given) as one HTML page;
    ``chart_js`` is the text of Chart.js (``web/static/vendor/chart.umd.js``)."""
    k = overall
    data = _chart_data(k)
    parts = [
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        f"<h1>{_e(title)}</h1>\n",
        f'<p class="period">Conversations started from {_e(_when(k.since))} up to (not including) '
        f"{_e(_when(k.until))}: {k.conversations} conversations, {k.resolved} resolved.</p>\n",
        '<section aria-labelledby="headline-title">\n<h2 id="headline-title">Headline figures</h2>\n',
        '<dl class="headline">\n',
        *(f"<div><dt>{_e(label)}</dt><dd>{_e(text)}</dd></div>\n" for label, text in headline(k)),
        "</dl>\n</section>\n",
        '<section aria-labelledby="charts-title">\n<h2 id="charts-title">Charts</h2>\n<div class="charts">\n',
        _figure(
            "outcomes",
            "Where conversations ended up",
            ("Outcome", "Conversations", "Share"),
            _outcome_rows(k),
        ),
        _figure(
            "reasons",
            "Escalation reasons (rules of the first handover)",
            ("Reason", "Conversations", "Share of conversations"),
            *_reason_groups(k),
        ),
        _figure(
            "csat",
            "CSAT by resolution type (mean score, 1 to 5)",
            ("Resolution type", "Resolved", "Rated", "Mean score", "Satisfied (4-5)"),
            _csat_rows(k),
        ),
        _figure("tte", "Time to escalation", ("Time", "Conversations"), _duration_rows(k.time_to_escalation)),
        _figure("handle", "Handle time", ("Time", "Conversations"), _duration_rows(k.handle_time)),
        _figure(
            "cost",
            f"Cost per resolution by resolution type ({k.cost.total.currency})",
            ("Resolution type", "Cost per resolution"),
            _cost_rows(k),
        ),
        "</div>\n</section>\n",
        _groups_table(groups),
        _definitions(),
        "</main>\n",
        f'<script type="application/json" id="kpi-data">{script_json(data)}</script>\n',
        f"<script>\n{_script_text(chart_js)}\n</script>\n",
        f"<script>{DRAW}</script>\n</body>\n</html>\n",
    ]
    return "".join(parts)


# -- pieces ---------------------------------------------------------------------------------------------
def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("T", " ").replace("+00:00", " UTC")


def _type_label(kind: object) -> str:
    return TYPE_LABELS.get(str(kind), str(kind))


def _figure(
    key: str,
    caption: str,
    columns: tuple[str, ...],
    rows: list[list[str]],
    ids: list[str | None] | None = None,
    groups: list[tuple[str, int]] | None = None,
    total: list[str] | None = None,
) -> str:
    """A chart and its table; ``ids``: each row's id, kept as its header's ``title`` (the row shows
    its label); ``groups``: the rows in titled groups (each title with its number of rows), never
    added together; ``total``: a last row under all of them."""
    head = "".join(f'<th scope="col">{_e(c)}</th>' for c in columns)
    titles = [f' title="{_e(i)}"' if i else "" for i in ids] if ids else [""] * len(rows)
    lines = [
        "<tr>"
        + f'<th scope="row"{title}>{_e(cells[0])}</th>'
        + "".join(f'<td class="n">{_e(c)}</td>' for c in cells[1:])
        + "</tr>\n"
        for cells, title in zip(rows, titles, strict=True)
    ]
    body, start = "", 0
    for name, count in groups or [("", len(lines))]:
        heading = f'<tr><th scope="rowgroup" colspan="{len(columns)}">{_e(name)}</th></tr>\n' if name else ""
        body += "<tbody>\n" + heading + "".join(lines[start : start + count]) + "</tbody>\n"
        start += count
    if total:
        cells = f'<th scope="row">{_e(total[0])}</th>' + "".join(
            f'<td class="n">{_e(c)}</td>' for c in total[1:]
        )
        body += f"<tfoot>\n<tr>{cells}</tr>\n</tfoot>\n"
    return (
        f'<figure id="fig-{key}">\n<figcaption>{_e(caption)}</figcaption>\n'
        f'<div class="canvas-box"><canvas id="chart-{key}" role="img" '
        f'aria-label="{_e(caption)}; the table below has the numbers"></canvas></div>\n'
        f"<table><caption>{_e(caption)}: the numbers</caption>\n<thead><tr>{head}</tr></thead>\n"
        f"{body}</table>\n</figure>\n"
    )


def _outcome_rows(k: Kpis) -> list[list[str]]:
    return [
        [label, str(n), format_share(n / k.conversations if k.conversations else None)]
        for label, n in outcomes(k)
    ]


def _reason_groups(
    k: Kpis,
) -> tuple[list[list[str]], list[str | None], list[tuple[str, int]] | None, list[str] | None]:
    """The reasons' rows, ids, groups and total: the rules, then their kinds (families) as a group
    of their own (the two never add together); each adds up to the conversations handed to a person,
    unless some had more than one reason."""
    if not k.reasons_by_rule and not k.reasons_by_family:
        return [["No handovers", "0", NO_DATA]], [None], None, None
    rows = [[reason_label(r.name), str(r.count), format_share(r.rate)] for r in k.reasons_by_rule]
    rows += [[family_label(r.name), str(r.count), format_share(r.rate)] for r in k.reasons_by_family]
    ids: list[str | None] = [r.name for r in k.reasons_by_rule]
    ids += [f"family: {r.name}" for r in k.reasons_by_family]
    groups = [(RULES_GROUP, len(k.reasons_by_rule)), (KINDS_GROUP, len(k.reasons_by_family))]
    total = [
        "Handed to a person (each group adds up to this)",
        str(k.escalation.count),
        format_share(k.escalation.rate),
    ]
    return rows, ids, groups, total


RULES_GROUP = "Why a person was brought in"
KINDS_GROUP = "Kind of reason"
"""The two groups of the reasons table (a conversation counts once in each, per reason it had)."""


def _csat_rows(k: Kpis) -> list[list[str]]:
    rows = [
        [
            _type_label(c.resolution_type),
            str(c.resolved),
            str(c.rated),
            format_score(c.mean_score),
            format_share(c.satisfied_share),
        ]
        for c in k.csat_by_resolution_type
    ]
    for label, s in (
        ("All resolved", k.csat),
        ("Handed to a person (post-escalation)", k.post_escalation_csat),
    ):
        rows.append([label, "", str(s.rated), format_score(s.mean_score), format_share(s.satisfied_share)])
    return rows


def _duration_rows(d: Duration) -> list[list[str]]:
    rows = [[label, str(n)] for label, n in d.buckets]
    return rows + [["Median", format_duration(d.median_s)], ["Mean", format_duration(d.mean_s)]]


def _cost_rows(k: Kpis) -> list[list[str]]:
    rows = [[_type_label(kind), format_money(m)] for kind, m in k.cost.per_resolution_by_type]
    return rows + [
        ["All resolutions", format_money(k.cost.per_resolution)],
        ["Total for the period", format_money(k.cost.total)],
        ["AI replies", str(k.cost.ai_replies)],
        ["Hours people owned conversations", f"{k.cost.agent_hours:.2f}"],
    ]


GROUP_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("Conversations", lambda k: str(k.conversations)),
    ("Containment", lambda k: format_share(k.containment.rate)),
    ("AI resolution", lambda k: format_share(k.ai_resolution.rate)),
    ("Escalation", lambda k: format_share(k.escalation.rate)),
    ("Abandonment", lambda k: format_share(k.abandonment.rate)),
    ("CSAT (mean)", lambda k: format_score(k.csat.mean_score)),
    ("FCR", lambda k: format_share(k.first_contact_resolution.rate)),
    ("Repeat contact", lambda k: format_share(k.repeat_contact.rate)),
    ("Reopen", lambda k: format_share(k.reopen.rate)),
    ("Median time to escalation", lambda k: format_duration(k.time_to_escalation.median_s)),
    ("Median handle time", lambda k: format_duration(k.handle_time.median_s)),
    ("Cost per resolution", lambda k: format_money(k.cost.per_resolution)),
)


def _groups_table(groups: list[Kpis]) -> str:
    if not groups:
        return ""
    by = groups[0].group[0] if groups[0].group else "group"
    head = f'<th scope="col">{_e(by.capitalize())}</th>' + "".join(
        f'<th scope="col">{_e(name)}</th>' for name, _ in GROUP_COLUMNS
    )
    rows = "".join(
        f'<tr><th scope="row">{_e(g.group[1] if g.group else "")}</th>'
        + "".join(f'<td class="n">{_e(cell(g))}</td>' for _, cell in GROUP_COLUMNS)
        + "</tr>\n"
        for g in groups
    )
    return (
        '<section aria-labelledby="groups-title">\n'
        f'<h2 id="groups-title">By {_e(by)}</h2>\n<div class="wide"><table>'
        f"<caption>The period's figures for each {_e(by)}, most conversations first</caption>\n"
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody></table></div>\n</section>\n"
    )


def _definitions() -> str:
    items = "".join(f"<dt>{_e(term)}</dt><dd>{_e(text)}</dd>\n" for term, text in DEFINITIONS)
    return (
        '<section aria-labelledby="definitions-title">\n<h2 id="definitions-title">Definitions</h2>\n'
        '<p class="note">In short; <code>docs/outcomes.md</code> in relaydesk has every definition in '
        'full. "no data" means there was nothing to count, which is not 0.</p>\n'
        f'<dl class="definitions">\n{items}</dl>\n</section>\n'
    )


def _chart_data(k: Kpis) -> dict[str, Any]:
    def series(labels: list[str], values: list[Any]) -> dict[str, Any]:
        return {"labels": labels, "values": values}

    rules = k.reasons_by_rule
    found = outcomes(k)
    return {
        "colors": list(COLORS),
        "outcome_colors": list(OUTCOME_COLORS),
        "currency": k.cost.total.currency,
        "outcomes": series([label for label, _ in found], [n for _, n in found]),
        "reasons": series(
            [reason_label(r.name) for r in rules],
            [None if r.rate is None else round(r.rate * 100, 1) for r in rules],
        ),
        "csat": series(
            [_type_label(c.resolution_type) for c in k.csat_by_resolution_type],
            [c.mean_score for c in k.csat_by_resolution_type],
        ),
        "tte": series(
            [label for label, _ in k.time_to_escalation.buckets], [n for _, n in k.time_to_escalation.buckets]
        ),
        "handle": series(
            [label for label, _ in k.handle_time.buckets], [n for _, n in k.handle_time.buckets]
        ),
        "cost": series(
            [_type_label(kind) for kind, _ in k.cost.per_resolution_by_type],
            [m.amount for _, m in k.cost.per_resolution_by_type],
        ),
    }


def _script_text(js: str) -> str:
    """Inline script text that cannot end its element early (``</script`` or ``<!--`` in a string)."""
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE).replace("<!--", "<\\!--")
