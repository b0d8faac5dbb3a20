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


def test_eval_without_a_trained_model_scores_the_shipped_store_model(workdir: Path) -> None:
    store = workdir / "store.csv"
    store.write_text(
        "intent,example\norder_status,where is my parcel\ncancel_order,please cancel my order\n"
        "oos,what's the capital of Peru\n"
    )
    result = CliRunner().invoke(app, ["eval", str(store)])
    assert result.exit_code == 0, result.output
    assert "in-scope accuracy" in result.output and "out-of-scope recall" in result.output


def test_eval_without_a_model_says_which_directory_is_missing(workdir: Path) -> None:
    result = CliRunner().invoke(
        app, ["eval", str(workdir / "examples.csv"), "--model", str(workdir / "none")]
    )
    assert result.exit_code == 2
    assert "manifest.json" in result.output


@pytest.fixture(scope="module")
def trained_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One model trained on EXAMPLES (track, refund, out of scope) for the eval tests."""
    root = tmp_path_factory.mktemp("nlu")
    (root / "examples.csv").write_text(EXAMPLES)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RELAYDESK_DATA_DIR", str(root / "var"))
        args = ["train", str(root / "examples.csv"), "--folds", "2", "--output", str(root / "model")]
        trained = CliRunner().invoke(app, args)
    assert trained.exit_code == 0, trained.output
    return root / "model"


UNKNOWN_LABELS = """intent,example
track,where is my parcel
refund,I want my money back
cancel,cancel my order
cancel,stop the order please
billing,why was I charged twice
oos,tell me a joke
"""


def _eval(workdir: Path, model: Path, source: str, *options: str) -> tuple[int, str]:
    (workdir / "eval.csv").write_text(source)
    result = CliRunner().invoke(app, ["eval", str(workdir / "eval.csv"), "--model", str(model), *options])
    return result.exit_code, " ".join(result.output.split())  # rich wraps long lines


def test_eval_refuses_labels_the_model_does_not_know_naming_them(workdir: Path, trained_model: Path) -> None:
    code, output = _eval(workdir, trained_model, UNKNOWN_LABELS)
    assert code == 2
    assert "3 rows of" in output and "carry 2 labels the model does not know" in output
    assert '"cancel" (2 rows), "billing" (1 row)' in output
    assert "--unknown-as-oos" in output and "in-scope accuracy" not in output


def test_eval_counts_unknown_labels_as_out_of_scope_when_asked(workdir: Path, trained_model: Path) -> None:
    code, output = _eval(workdir, trained_model, UNKNOWN_LABELS, "--unknown-as-oos")
    assert code == 0, output
    assert "out-of-scope recall" in output and "on 4 rows" in output
    assert "in-scope accuracy" in output and "overall accuracy" in output
    assert "3 rows scored under another label" in output


def test_eval_maps_labels_to_intents_or_out_of_scope(workdir: Path, trained_model: Path) -> None:
    maps = ("--map", "cancel=refund", "--map", "billing=oos")
    code, output = _eval(workdir, trained_model, UNKNOWN_LABELS, *maps)
    assert code == 0, output
    assert "in-scope accuracy" in output and "on 4 rows" in output  # track, refund and the 2 cancels
    assert "out-of-scope recall" in output


def test_eval_refuses_a_map_to_an_intent_the_model_does_not_know(workdir: Path, trained_model: Path) -> None:
    code, output = _eval(workdir, trained_model, UNKNOWN_LABELS, "--map", "cancel=cancel_order")
    assert code == 2
    assert 'the model has no intent "cancel_order"' in output


def test_eval_prints_out_of_scope_recall_only_when_out_of_scope_rows_are_present(
    workdir: Path, trained_model: Path
) -> None:
    in_scope = "\n".join(line for line in EXAMPLES.splitlines() if not line.startswith("oos,")) + "\n"
    code, output = _eval(workdir, trained_model, in_scope)
    assert code == 0, output
    assert "in-scope accuracy" in output and "out-of-scope recall" not in output
    code, output = _eval(workdir, trained_model, EXAMPLES)
    assert code == 0, output
    assert "out-of-scope recall" in output and "on 4 rows" in output
