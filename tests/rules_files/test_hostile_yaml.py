"""Rules files from someone hostile or careless: a billion laughs, deep nesting, a huge document.
Each is refused at once with the file, the line and the reason, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from relaydesk.cli.main import app
from relaydesk.rules_files import PolicyFileError, parse_policy_text
from relaydesk.rules_files.reader import MAX_DEPTH, MAX_FILE_BYTES

runner = CliRunner()


def billion_laughs(levels: int = 9) -> str:
    lines = ["version: 1", 'a0: &a0 "lol"']
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 10)}]")
    return "\n".join(lines) + "\n"


def test_a_billion_laughs_is_refused_by_its_expansion() -> None:
    with pytest.raises(PolicyFileError) as refused:
        parse_policy_text(billion_laughs(), "laughs.yaml")
    assert "expands to more than 100,000 values" in refused.value.reason
    assert refused.value.file == "laughs.yaml" and refused.value.line is not None


def test_a_few_aliases_are_still_read() -> None:
    doc = parse_policy_text("version: 1\nbase: &base {x: 1}\nother: *base\n", "ok.yaml")
    assert doc.data["other"] == {"x": 1}


def test_too_many_aliases_are_refused() -> None:
    text = "version: 1\nv: &v 1\nmany: [" + ", ".join(["*v"] * 101) + "]\n"
    with pytest.raises(PolicyFileError) as refused:
        parse_policy_text(text, "aliases.yaml")
    assert "more than 100 aliases" in refused.value.reason and refused.value.line == 3


def test_an_alias_that_contains_itself_is_refused() -> None:
    with pytest.raises(PolicyFileError) as refused:
        parse_policy_text("version: 1\nloop: &loop [1, *loop]\n", "loop.yaml")
    assert "nested more than" in refused.value.reason


@pytest.mark.parametrize("opening, closing", [("[", "]"), ("{a: ", "}")])
def test_deep_nesting_is_refused_with_its_line(opening: str, closing: str) -> None:
    text = "version: 1\ndeep: " + opening * 10_000 + "1" + closing * 10_000 + "\n"
    with pytest.raises(PolicyFileError) as refused:
        parse_policy_text(text, "deep.yaml")
    assert refused.value.reason == f"nested more than {MAX_DEPTH} levels deep" and refused.value.line == 2


def test_a_huge_document_is_refused_by_its_size() -> None:
    text = "version: 1\nnotes: [" + ", ".join(["word"] * (MAX_FILE_BYTES // 5)) + "]\n"
    with pytest.raises(PolicyFileError) as refused:
        parse_policy_text(text, "huge.yaml")
    assert (
        refused.value.reason.startswith("the file is ")
        and f"the limit is {MAX_FILE_BYTES:,} bytes" in refused.value.reason
    )


@pytest.mark.parametrize("command", ["check-policy", "check-routing"])
def test_check_commands_report_a_billion_laughs_without_a_traceback(tmp_path: Path, command: str) -> None:
    hostile = tmp_path / "laughs.yaml"
    hostile.write_text(billion_laughs())
    result = runner.invoke(app, ["audit", command, str(hostile)])
    assert result.exit_code == 2, result.output
    flat = " ".join(result.output.split())
    assert "laughs.yaml, line" in flat and "expands to more than 100,000 values" in flat
    assert "Traceback" not in result.output


def test_an_intents_file_is_read_with_the_same_bounds() -> None:
    from relaydesk.domain.errors import InvalidInput
    from relaydesk.triage.intent.data import parse_yaml

    deep = "intents:\n  greet: " + "[" * 10_000 + "hi" + "]" * 10_000 + "\n"
    with pytest.raises(InvalidInput) as refused:
        parse_yaml(deep, "deep")
    assert f'Intent file "deep" cannot be used: line 2: nested more than {MAX_DEPTH} levels deep' in str(
        refused.value
    )
    laughs = billion_laughs().replace("version: 1\n", "intents: {greet: [hi, hello]}\n")
    with pytest.raises(InvalidInput, match="expands to more than 2,000,000 values"):
        parse_yaml(laughs, "laughs")
    fine = parse_yaml("intents:\n  greet: [hi, hello]\n  bye: [see you]\n", "fine")
    assert fine.labels == ("greet", "greet", "bye")
