"""``relaydesk nlu train / eval / predict`` on a small examples file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from relaydesk.cli.nlu import app

EXAMPLES = """intent,example
track,where is my parcel
track,track my package
track,has my order shipped
track,when will my box arrive
track,my delivery is late
track,status of my shipment
refund,I want my money back
refund,refund please
refund,when do I get my refund
refund,I need a refund
refund,give me a refund for the shoes
refund,money back for my order
oos,what's the weather
oos,tell me a joke
oos,who won the game
oos,capital of France
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RELAYDESK_DATA_DIR", str(tmp_path / "var"))
    (tmp_path / "examples.csv").write_text(EXAMPLES)
    return tmp_path


def test_train_then_predict_then_eval(workdir: Path) -> None:
    runner = CliRunner()
    trained = runner.invoke(app, ["train", str(workdir / "examples.csv"), "--folds", "2"])
    assert trained.exit_code == 0, trained.output
    assert "Saved" in trained.output
    artifact = workdir / "var" / "models" / "intents" / "current"
    assert (artifact / "manifest.json").is_file()

    predicted = runner.invoke(app, ["predict", "--json", "where is my package"])
    assert predicted.exit_code == 0, predicted.output
    assert json.loads(predicted.output)["intent"] == "track"

    evaluated = runner.invoke(app, ["eval", str(workdir / "examples.csv")])
    assert evaluated.exit_code == 0, evaluated.output
    assert "in-scope accuracy" in evaluated.output


def test_train_names_a_missing_file(workdir: Path) -> None:
    result = CliRunner().invoke(app, ["train", str(workdir / "nope.yaml")])
    assert result.exit_code == 2
    assert "nope.yaml" in result.output


def test_eval_without_a_model_says_which_directory_is_missing(workdir: Path) -> None:
    result = CliRunner().invoke(
        app, ["eval", str(workdir / "examples.csv"), "--model", str(workdir / "none")]
    )
    assert result.exit_code == 2
    assert "manifest.json" in result.output
