"""``relaydesk report`` on a small known history (tests/analytics/history.py): every figure as
text, the CSV, the JSON, the HTML file; precise errors for a bad workspace, period, grouping,
format or output path."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from relaydesk.cli.main import app
from relaydesk.storage.database import make_engine
from relaydesk.storage.store import SqlStore
from relaydesk.testing import make_agent, make_workspace
from tests.analytics.history import build_history

runner = CliRunner()
PERIOD = ["--since", "2026-11-01", "--until", "2026-11-08"]


@pytest.fixture
def desk_db(tmp_path: Path, sqlite_template: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database holding the history in the workspace ``northwind`` (the demo's slug)."""
    path = tmp_path / "desk.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        store = SqlStore(engine)
        workspace = make_workspace(store, slug="northwind", name="Northwind")
        agent = make_agent(store, workspace, name="Rita")
        build_history(store, workspace, make_workspace(store, slug="other"), agent.agent.id)
    finally:
        engine.dispose()
    monkeypatch.setenv("RELAYDESK_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("RELAYDESK_COST_CURRENCY", "EUR")
    monkeypatch.chdir(tmp_path)
    return path


def _run(*args: str) -> str:
    result = runner.invoke(app, ["report", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_text_report_shows_every_figure_of_the_demo_workspace(desk_db: Path) -> None:
    text = _run(*PERIOD)
    assert text.startswith("Northwind: how the desk did, 2026-11-01 to 2026-11-07\n")
    lines = text.splitlines()
    assert "  Conversations                               9" in lines
    for expected in (
        "Containment                                 55.6% (5 of 9)",
        "AI resolution rate                          22.2% (2 of 9)",
        "Abandonment                                 11.1% (1 of 9)",
        "CSAT                                        3.50 of 5, 50.0% satisfied (4 rated)",
        "Post-escalation CSAT                        3.00 of 5, 50.0% satisfied (2 rated)",
        "Reopen rate                                 16.7% (1 of 6)",
        "Median time to escalation                   6m 00s",
        "Handoff friction: handed over again (72 h)  25.0% (1 of 4)",
        "Still open                                  3",
        "explicit_request                            22.2% (2)",
        "Total                                       18.73 EUR",
        "AI replies rated accurate by agents         50.0% (1 of 2)",
    ):
        assert f"  {expected}" in lines, expected
    assert "By " not in text


def test_an_empty_period_says_no_data(desk_db: Path) -> None:
    text = _run("--since", "2025-01-01", "--until", "2025-01-08")
    assert "  Containment                                 no data" in text.splitlines()
    assert "0.0%" not in text


def test_the_text_report_adds_a_line_per_group(desk_db: Path) -> None:
    lines = _run(*PERIOD, "--by", "intent").splitlines()
    start = lines.index("By intent")
    assert lines[start + 1].split()[:3] == ["Intent", "Conversations", "Containment"]
    assert [line.split()[:2] for line in lines[start + 2 : start + 6]] == [
        ["unknown", "4"],
        ["order_status", "2"],
        ["refund", "2"],
        ["password_reset", "1"],
    ]
    assert "no data" in lines[start + 5]


def test_csv_and_json_go_to_standard_output(desk_db: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(_run(*PERIOD, "--format", "csv", "--by", "channel"), newline="")))
    overall = {r["figure"]: r for r in rows if r["group"] == "all"}
    assert (overall["conversations"]["value"], overall["abandonment"]["count"]) == ("9", "1")
    assert {r["group"] for r in rows} == {"all", "web"}
    body = json.loads(_run(*PERIOD, "-f", "json", "--by", "intent"))
    assert body["conversations"] == 9 and body["cost"]["total"]["currency"] == "EUR"
    assert [g["group"]["value"] for g in body["groups"]] == [
        "unknown",
        "order_status",
        "refund",
        "password_reset",
    ]
    assert json.loads(_run(*PERIOD, "-f", "json"))["groups"] is None


def test_html_is_written_to_a_file(desk_db: Path, tmp_path: Path) -> None:
    out = _run(*PERIOD, "--format", "html")
    default = tmp_path / "relaydesk-report.html"
    assert str(default) in out.replace("\n", "")
    page = default.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "Chart.js v4.4.7" in page
    _run(*PERIOD, "-f", "html", "--by", "channel", "--out", "mine.html")
    assert "By channel" in (tmp_path / "mine.html").read_text(encoding="utf-8")
    _run(*PERIOD, "-f", "csv", "-o", "figures.csv")
    assert (tmp_path / "figures.csv").read_text(encoding="utf-8").startswith("since,until,group_by")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--workspace", "nope"], 'No workspace with slug "nope"; this database has: northwind, other'),
        (["--since", "yesterday"], 'since="yesterday" is not a date (YYYY-MM-DD)'),
        (["--since", "2026-11-08", "--until", "2026-11-01"], "The period is empty"),
        (["--since", "2024-01-01", "--until", "2026-01-01"], "is longer than 366 days"),
        (["--by", "planet"], 'by="planet" is not a grouping of the KPIs; choose channel or intent'),
        (["--format", "pdf"], '--format "pdf" is not a report format; choose text, csv, html, json'),
        (["-f", "csv", "--out", "missing/dir/x.csv"], "Cannot write missing/dir/x.csv"),
    ],
)
def test_bad_inputs_are_named_without_a_traceback(desk_db: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["report", *args])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split()), result.output
    assert "Traceback" not in result.output
