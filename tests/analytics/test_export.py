"""The KPI exports: the CSV holds every figure with the very numbers of the Kpis (and keeps
spreadsheet formulas out), the JSON dict has every field, and the HTML report is one standalone
file with Chart.js inline, data escaped and nothing fetched from elsewhere."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from datetime import UTC, datetime

import pytest

from relaydesk.analytics.export import CSV_COLUMNS, figures, kpis_csv, kpis_dict, outcomes, sections
from relaydesk.analytics.kpis import Kpis, ReasonCount, compute_kpis, kpis_by, kpis_of
from relaydesk.analytics.report_html import kpis_html, script_json
from relaydesk.services.reports import chart_js
from relaydesk.storage.report_queries import SqlReportQueries
from relaydesk.storage.store import SqlStore
from relaydesk.testing import make_agent, make_workspace
from tests.analytics.history import SINCE, UNTIL, History, build_history

META = {"workspace_id", "since", "until", "group"}
EVIL = "</script><script>alert('x')</script><!--"


@pytest.fixture
def history(kpi_store: SqlStore) -> History:
    workspace = make_workspace(kpi_store, slug="desk")
    other = make_workspace(kpi_store, slug="other")
    agent = make_agent(kpi_store, workspace, name="Rita")
    return build_history(kpi_store, workspace, other, agent.agent.id)


@pytest.fixture
def kpis(history: History) -> tuple[Kpis, list[Kpis]]:
    source = SqlReportQueries(history.store)
    return (
        compute_kpis(source, history.workspace.id, SINCE, UNTIL),
        kpis_by(source, history.workspace.id, SINCE, UNTIL, "intent"),
    )


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _number(cell: str) -> float | None:
    return None if cell == "" else float(cell)


def _empty() -> Kpis:
    return kpis_of([], "ws", datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 8, tzinfo=UTC))


def test_the_csv_holds_every_figure_with_the_same_numbers(kpis: tuple[Kpis, list[Kpis]]) -> None:
    overall, groups = kpis
    text = kpis_csv(overall, groups)
    assert text.startswith(",".join(CSV_COLUMNS) + "\r\n")
    rows = _rows(text)

    # every field of Kpis shows up as a figure, for the whole period and for each group
    fields = {f.name for f in dataclasses.fields(Kpis)} - META
    # (a group with no handover has no reason to list)
    for k, group in [(overall, "all")] + [(g, g.group[1]) for g in groups if g.group]:
        named = {r["figure"].split(".")[0] for r in rows if r["group"] == group}
        no_reasons = set() if k.reasons_by_rule else {"reasons_by_rule", "reasons_by_family"}
        assert named == fields - no_reasons, group
    assert {r["group_by"] for r in rows} == {"all", "intent"}

    # the numbers read back equal the Kpis', exactly (repr round-trips floats)
    everything = [(overall, "all")] + [(g, g.group[1]) for g in groups if g.group]
    for k, group in everything:
        got = {r["figure"]: r for r in rows if r["group"] == group}
        expected = figures(k)
        assert len(got) == len(expected)
        for f in expected:
            row = got[f.name]
            assert _number(row["value"]) == f.value, f.name
            assert _number(row["count"]) == f.count and _number(row["total"]) == f.total, f.name
            assert row["since"] == SINCE.isoformat() and row["until"] == UNTIL.isoformat()

    all_rows = {r["figure"]: r for r in rows if r["group"] == "all"}
    containment = all_rows["containment"]
    assert (containment["count"], containment["total"]) == (str(overall.containment.count), "9")
    assert float(containment["value"]) == overall.containment.rate
    assert float(all_rows["cost.per_resolution"]["value"]) == overall.cost.per_resolution.amount
    assert all_rows["cost.per_resolution"]["unit"] == overall.cost.total.currency
    assert all_rows["time_to_escalation.median_s"]["value"] == repr(overall.time_to_escalation.median_s)
    assert all_rows["reasons_by_rule.explicit_request"]["count"] == "2"


def test_a_figure_with_nothing_to_count_is_an_empty_cell_not_zero() -> None:
    rows = {r["figure"]: r for r in _rows(kpis_csv(_empty(), []))}
    assert rows["conversations"]["value"] == "0"
    assert rows["containment"]["value"] == "" and rows["containment"]["total"] == "0"
    assert rows["csat.mean_score"]["value"] == ""
    assert rows["cost.per_resolution"]["value"] == ""


def test_text_cells_cannot_start_a_spreadsheet_formula() -> None:
    for cell in ("=1+1", "+cmd", "-2+3", "@SUM(A1:A9)", "\tx"):
        group = dataclasses.replace(
            _empty(), reasons_by_rule=(ReasonCount(cell, 1, 0.5),), group=("intent", cell)
        )
        rows = [r for r in _rows(kpis_csv(_empty(), [group])) if r["group_by"] == "intent"]
        assert rows and {r["group"] for r in rows} == {f"'{cell}"}
        assert f"reasons_by_rule.{cell}" in {r["figure"] for r in rows}  # not at the start: kept
    safe = _rows(kpis_csv(dataclasses.replace(_empty(), group=("channel", "web")), []))
    assert {r["group"] for r in safe} == {"web"}


def test_the_dict_has_every_field_as_plain_json(kpis: tuple[Kpis, list[Kpis]]) -> None:
    overall, groups = kpis
    d = kpis_dict(overall)
    assert set(d) == {f.name for f in dataclasses.fields(Kpis)}
    assert json.loads(json.dumps(d)) == d
    assert d["since"] == SINCE.isoformat() and d["group"] is None
    assert d["ai_resolution"] == {
        "count": overall.ai_resolution.count,
        "total": overall.ai_resolution.total,
        "rate": overall.ai_resolution.rate,
    }
    assert d["time_to_escalation"]["buckets"][0] == {"label": "under 1 min", "count": 1}
    assert d["cost"]["per_resolution"]["currency"] == overall.cost.total.currency
    assert {t["resolution_type"] for t in d["cost"]["per_resolution_by_type"]} == {
        "ai_only",
        "ai_then_person",
        "person_only",
    }
    assert kpis_dict(groups[0])["group"] == {
        "by": "intent",
        "value": groups[0].group[1] if groups[0].group else "",
    }


def test_the_outcomes_add_up_and_the_text_sections_say_no_data(kpis: tuple[Kpis, list[Kpis]]) -> None:
    overall, _ = kpis
    assert sum(n for _, n in outcomes(overall)) == overall.conversations
    assert all(n >= 0 for _, n in outcomes(overall))
    texts = dict(sections(_empty())[0][1])
    assert texts["Containment"] == "no data" and texts["CSAT"] == "no data"
    assert texts["Cost per resolution"] == "no data"


def _html(overall: Kpis, groups: list[Kpis]) -> str:
    return kpis_html(overall, groups, title=f"Desk {EVIL}", chart_js=chart_js())


def test_the_html_report_is_one_standalone_file(kpis: tuple[Kpis, list[Kpis]]) -> None:
    overall, groups = kpis
    page = _html(overall, groups)
    assert page.startswith("<!doctype html>")
    assert "Chart.js v4.4.7" in page and "Released under the MIT License" in page  # licence kept
    assert chart_js().strip()[-40:] in page  # the whole library, inline
    assert re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page, re.IGNORECASE) is None
    assert "@import" not in page and "url(" not in page
    for shown in (
        "Containment",
        "AI resolution rate",
        "Abandonment",
        "Post-escalation CSAT",
        "Repeat contact",
        "Reopen rate",
        "Handoff friction",
        "Cost per resolution",
    ):
        assert shown in page
    assert page.count("<canvas") == 6 and page.count('<th scope="col">') >= 14
    assert "<caption>" in page and "docs/outcomes.md" in page
    assert "By intent" in page and "password_reset" in page


def test_the_html_report_escapes_every_text_from_data() -> None:
    k = dataclasses.replace(
        _empty(), conversations=1, reasons_by_rule=(ReasonCount(EVIL, 1, 1.0),), group=None
    )
    group = dataclasses.replace(k, group=("intent", "<img src=x onerror=alert(1)>"))
    page = _html(k, [group])
    assert EVIL not in page and "<img" not in page and "alert('x')</script>" not in page
    assert "&lt;/script&gt;&lt;script&gt;" in page and "&lt;img src=x" in page
    assert page.count("<script") == 3 and page.count("</script>") == 3
    data = re.search(r'<script type="application/json" id="kpi-data">(.*?)</script>', page, re.DOTALL)
    assert data is not None and "<" not in data.group(1)
    assert json.loads(data.group(1))["reasons"]["labels"] == [EVIL]


def test_the_html_report_shows_no_data_rather_than_zero() -> None:
    page = _html(_empty(), [])
    assert "no data" in page
    dl = page[page.index('<dl class="headline">') : page.index("</dl>")]
    assert "<dt>Containment</dt><dd>no data</dd>" in dl
    assert "<dt>Cost per resolution</dt><dd>no data</dd>" in dl
    assert "0.0%" not in dl
    data = re.search(r'id="kpi-data">(.*?)</script>', page, re.DOTALL)
    assert data is not None and json.loads(data.group(1))["csat"]["values"] == [None, None, None]


def test_script_json_cannot_close_its_element() -> None:
    text = script_json({"a": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}
