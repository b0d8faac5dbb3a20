"""``relaydesk flows check`` and ``relaydesk flows list``, run as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from relaydesk.cli.main import app
from relaydesk.specialists.flow_spec import BUNDLED

runner = CliRunner()

GOOD = """\
flow: cancel_politely
version: "2"
title: Cancel an order, politely
start:
  words: ['\\bplease cancel\\b']
steps:
  - step: identify
  - step: order
    statuses: [pending]
  - step: reason
  - step: confirm
    tool: cancel_pending_order
    say: "cancel order {order_id} because it is {reason}"
  - step: act
    tool: cancel_pending_order
    done: "Order {order_id} is cancelled."
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_flow_prints_its_name_version_kind_and_steps(tmp_path: Path) -> None:
    path = write(tmp_path, "good.yaml", GOOD)
    result = runner.invoke(app, ["flows", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert "cancel_politely@2" in result.output
    assert "task" in result.output
    assert "identify, order, reason, confirm, act" in result.output


def test_every_bundled_flow_passes_the_check() -> None:
    files = sorted(str(p) for p in BUNDLED.glob("*.yaml"))
    result = runner.invoke(app, ["flows", "check", *files])
    assert result.exit_code == 0, result.output
    assert "cancel_order@1" in result.output and "return_items@1" in result.output


def test_an_unknown_step_is_named_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad_step.yaml", GOOD.replace("  - step: reason", "  - step: reasons"))
    result = runner.invoke(app, ["flows", "check", str(path)])
    assert result.exit_code == 1
    line = GOOD.splitlines().index("  - step: reason") + 1
    assert f'{path}, line {line}: unknown step "reasons"' in result.output
    assert "Traceback" not in result.output


def test_an_unknown_tool_is_refused(tmp_path: Path) -> None:
    text = GOOD.replace("    tool: cancel_pending_order\n    done", "    tool: refund_everything\n    done")
    path = write(tmp_path, "bad_tool.yaml", text)
    result = runner.invoke(app, ["flows", "check", str(path)])
    assert result.exit_code == 1
    line = text.splitlines().index("    tool: refund_everything") + 1
    assert f'{path}, line {line}: unknown tool "refund_everything"' in result.output
    assert "cancel_pending_order" in result.output  # the known tools are listed


def test_a_template_naming_a_slot_no_earlier_step_fills_is_refused(tmp_path: Path) -> None:
    text = GOOD.replace('say: "cancel order {order_id}', 'say: "cancel order {order_id} for {nickname}')
    path = write(tmp_path, "bad_slot.yaml", text)
    result = runner.invoke(app, ["flows", "check", str(path)])
    assert result.exit_code == 1
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "{nickname}" in t)
    assert f"{path}, line {line}:" in result.output
    assert '"{nickname}", which no earlier step fills' in result.output


def test_a_tool_argument_from_a_later_slot_is_refused(tmp_path: Path) -> None:
    # the reason is asked for after the confirmation that needs it
    text = GOOD.replace("  - step: reason\n", "").replace(" because it is {reason}", "")
    text = text.replace("    done:", "    args: {order_id: order_id, reason: reason}\n    done:")
    path = write(tmp_path, "late_slot.yaml", text)
    result = runner.invoke(app, ["flows", "check", str(path)])
    assert result.exit_code == 1
    assert 'from slot "reason", which no earlier step fills' in result.output


def test_a_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    text = GOOD.replace("  - step: reason", "  - step: [reason")
    path = write(tmp_path, "broken.yaml", text)
    result = runner.invoke(app, ["flows", "check", str(path)])
    assert result.exit_code == 1
    assert f"{path}, line " in result.output and "not valid YAML" in result.output
    assert "Traceback" not in result.output


def test_one_bad_file_fails_the_check_but_the_others_are_still_checked(tmp_path: Path) -> None:
    good = write(tmp_path, "good.yaml", GOOD)
    bad = write(tmp_path, "bad.yaml", GOOD.replace('version: "2"\n', ""))
    missing = tmp_path / "missing.yaml"
    result = runner.invoke(app, ["flows", "check", str(bad), str(good), str(missing)])
    assert result.exit_code == 1
    assert "cancel_politely@2" in result.output
    assert f"{bad}, line 1:" in result.output and "version" in result.output
    assert f"{missing}: cannot be read" in result.output


def test_list_shows_the_bundled_flows_with_how_they_start_and_their_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("RELAYDESK_FLOWS_DIR", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env from the working copy
    result = runner.invoke(app, ["flows", "list"])
    assert result.exit_code == 0, result.output
    for name in ("cancel_order@1", "return_items@1", "order_status@1", "product_question@1"):
        assert name in result.output
    assert "intents: cancel_order" in result.output
    assert str(BUNDLED / "cancel_order.yaml") in result.output
    assert "gathers for:" in result.output  # intake flows show their topics
    assert "override" not in result.output.split("flows installed")[0]


def test_list_marks_a_flow_that_flows_dir_overrides_and_one_it_adds(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    flows = tmp_path / "flows"
    (flows / "acme").mkdir(parents=True)
    cancel = (BUNDLED / "cancel_order.yaml").read_text(encoding="utf-8")
    ours = write(flows, "cancel_order.yaml", cancel.replace('version: "1"', 'version: "7"'))
    added = write(flows, "cancel_politely.yaml", GOOD)
    acme = write(flows / "acme", "cancel_order.yaml", cancel.replace('version: "1"', 'version: "acme-1"'))
    monkeypatch.setenv("RELAYDESK_FLOWS_DIR", str(flows))
    monkeypatch.chdir(tmp_path)

    result = runner.invoke(app, ["flows", "list"])
    assert result.exit_code == 0, result.output
    block = _block(result.output, "cancel_order@7")
    assert "[override]" in block and str(ours) in block
    assert f"overrides: {BUNDLED / 'cancel_order.yaml'}" in block
    added_block = _block(result.output, "cancel_politely@2")
    assert str(added) in added_block and "override" not in added_block
    assert "cancel_order@1" not in result.output

    # the workspace's own folder overrides again, for that workspace only
    result = runner.invoke(app, ["flows", "list", "--workspace", "acme"])
    assert result.exit_code == 0, result.output
    block = _block(result.output, "cancel_order@acme-1")
    assert str(acme) in block and f"overrides: {ours}" in block


def test_list_reports_a_bad_installed_flow_as_an_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    bad = write(flows, "bad.yaml", GOOD.replace("step: identify", "step: identity"))
    monkeypatch.setenv("RELAYDESK_FLOWS_DIR", str(flows))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["flows", "list"])
    assert result.exit_code == 2
    assert str(bad) in result.output.replace("\n", "") and "Traceback" not in result.output


def _block(output: str, label: str) -> str:
    """The lines ``flows list`` prints for one flow."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(label + " "))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines))
    return "\n".join(lines[start:end])
