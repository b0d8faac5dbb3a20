"""``relaydesk report``: how the desk did over a period, from the database's own history (the same
figures as the API and the dashboard), as text, CSV, JSON or a standalone HTML report."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from relaydesk.cli.errors import friendly_errors
from relaydesk.domain.errors import InvalidInput
from relaydesk.settings import Settings

if TYPE_CHECKING:
    from relaydesk.services.reports import KpiReport

FORMATS = ("text", "csv", "html", "json")
DEFAULT_HTML = Path("relaydesk-report.html")


@friendly_errors
def report(
    workspace: str = typer.Option(
        "northwind", "--workspace", "-w", help="Workspace slug (default: the demo's)"
    ),
    since: str | None = typer.Option(
        None,
        help="Start: YYYY-MM-DD (midnight UTC) or an ISO 8601 datetime with a time zone; "
        "default 7 days before --until",
    ),
    until: str | None = typer.Option(None, help="End, exclusive, in the same forms; default now"),
    by: str | None = typer.Option(None, "--by", help="Also break the figures down by channel or intent"),
    output_format: str = typer.Option("text", "--format", "-f", help="text, csv, json or html"),
    out: Path | None = typer.Option(
        None, "--out", "-o", help=f"Write to this file (default: standard output; html: {DEFAULT_HTML})"
    ),
) -> None:
    """Every KPI of a period: containment, AI resolution, escalation, abandonment, CSAT, FCR,
    repeat contacts, reopens, handoff friction, times and cost (definitions: docs/outcomes.md)."""
    from relaydesk.services.reports import parse_grouping, parse_period, workspace_report

    if output_format not in FORMATS:
        raise InvalidInput(
            f'--format "{output_format[:40]}" is not a report format; choose {", ".join(FORMATS)}'
        )
    parse_grouping(by)
    period = parse_period(since, until)
    found = workspace_report(Settings(), workspace, period, by)
    if output_format == "html":
        path = out or DEFAULT_HTML
        _write(path, found.html())
        typer.echo(f"Wrote the HTML report to {path.resolve()} (it opens offline in any browser).")
        return
    text = {"text": render_text, "csv": lambda r: r.csv(), "json": render_json}[output_format](found)
    if out is None:
        typer.echo(text, nl=not text.endswith("\n"))
    else:
        _write(out, text)
        typer.echo(f"Wrote the {output_format} report to {out.resolve()}.")


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise InvalidInput(f"Cannot write {path}: {exc.strerror or exc}") from None


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("T", " ").replace("+00:00", " UTC")


def render_json(found: KpiReport) -> str:
    """The API's ``/v1/reports/kpis`` body: the period's figures, with ``groups`` when asked for."""
    from relaydesk.analytics.export import kpis_dict

    body = kpis_dict(found.overall)
    body["groups"] = [kpis_dict(g) for g in found.groups] if found.groups else None
    return json.dumps(body, indent=2) + "\n"


def render_text(found: KpiReport) -> str:
    """Every figure, aligned, with "no data" where there was nothing to count; then one line per
    group when the report has groups."""
    from relaydesk.analytics.export import sections
    from relaydesk.analytics.report_html import GROUP_COLUMNS

    k = found.overall
    lines = [
        found.title,
        f"Conversations started from {_when(k.since)} up to (not including) {_when(k.until)}",
    ]
    parts = sections(k)
    width = max(len(label) for _, rows in parts for label, _ in rows)
    for title, rows in parts:
        lines += ["", title]
        lines += [f"  {label.ljust(width)}  {value}" for label, value in rows]
    if found.groups:
        by = found.groups[0].group[0] if found.groups[0].group else "group"
        header = [by.capitalize(), *(name for name, _ in GROUP_COLUMNS)]
        table = [header] + [
            [g.group[1] if g.group else "", *(cell(g) for _, cell in GROUP_COLUMNS)] for g in found.groups
        ]
        widths = [max(len(row[i]) for row in table) for i in range(len(header))]
        lines += ["", f"By {by}"]
        lines += [
            "  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in table
        ]
    lines += ["", 'Definitions: docs/outcomes.md. "no data": nothing to count in the period (not 0).']
    return "\n".join(lines) + "\n"
