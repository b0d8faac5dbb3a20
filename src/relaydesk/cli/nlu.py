"""``relaydesk nlu``: train, evaluate and try intent models."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from relaydesk.cli.errors import friendly_errors
from relaydesk.settings import Settings

app = typer.Typer(help="Intent models: train from examples, evaluate, predict.", no_args_is_help=True)
console = Console()

ModelOption = typer.Option(
    None,
    "--model",
    "-m",
    help="Artifact directory (default: <data_dir>/models/intents/current, else the shipped store model)",
)


def _model_in_use(settings: Settings, embedder: Any, model_dir: Path | None) -> Any:
    """The artifact given, else the one ``nlu train`` wrote, else the product's default store model
    (trained on first use), the same one the desk reads with."""
    from relaydesk.triage.intent.artifact import load_model
    from relaydesk.triage.intent.default_model import trained_model

    directory = model_dir or _default_artifact(settings)
    if model_dir is None and not (directory / "manifest.json").is_file():
        return trained_model(settings.data_dir, embedder)
    return load_model(directory, embedder)


def _default_artifact(settings: Settings) -> Path:
    from relaydesk.triage.intent.default_model import current_artifact

    return current_artifact(settings.data_dir)


@contextmanager
def _bars() -> Iterator[Callable[[str, int, int], None]]:
    columns = (
        TextColumn("[progress.description]{task.description:<18}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def advance(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield advance


@app.command("train")
@friendly_errors
def train(
    examples: Path = typer.Argument(
        ..., help="YAML (intents: {name: {examples: [...]}}) or CSV (intent,example)"
    ),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        help="Artifact directory (default: <data_dir>/models/intents/current, which the product then uses)",
    ),
    c: float = typer.Option(20.0, help="Inverse regularisation strength"),
    knn_weight: float = typer.Option(0.3, help="Share of the nearest-neighbour vote (0 turns it off)"),
    folds: int = typer.Option(4, min=2, max=10, help="Cross-validation folds for calibration"),
) -> None:
    """Train an intent model and save it as a versioned artifact (manifest.json + model.joblib)."""
    from relaydesk.embeddings.builder import build_embedder
    from relaydesk.triage.intent.artifact import manifest_of, save_model, train_from_examples
    from relaydesk.triage.intent.data import load_examples
    from relaydesk.triage.intent.model import IntentTrainingConfig

    settings = Settings()
    data = load_examples(examples)
    console.print(f"{len(data.texts)} examples of {len(data.intents)} intents from {examples}")
    config = IntentTrainingConfig(c=c, knn_weight=knn_weight)
    cache = Path(settings.data_dir) / "cache"
    with _bars() as advance:
        model = train_from_examples(
            data,
            build_embedder(settings),
            config=config,
            cache_dir=cache,
            folds=folds,
            on_progress=advance,
        )
    target = save_model(model, output or _default_artifact(settings))
    manifest = manifest_of(model)
    held = manifest["held_out"]
    scope = (
        "on the out-of-scope head's log-odds"
        if model.scope_head is not None
        else f"(distance weight {model.distance_weight})"
    )
    console.print(
        f"Saved [bold]{manifest['model_version']}[/] to {target} in {manifest['train_s']}s: "
        f"threshold {model.threshold:.3f} {scope}"
        + (f" and confidence floor {model.confidence_floor:.3f}" if model.confidence_floor else "")
        + ", "
        f"cross-validated in-scope accuracy {held['in_scope_accuracy']:.3f}"
        + (f", out-of-scope recall {held['oos_recall']:.3f}" if held["oos_recall"] is not None else "")
    )
    if str(held.get("out_of_scope_rows", "")).startswith("pretend"):
        console.print(
            "No out-of-scope examples: the out-of-scope line was drawn with intents hidden from each "
            "cross-validation fold standing in for them (the recall above is theirs). Add real "
            "out-of-scope examples under out_of_scope: to measure it on the messages you turn away."
        )


@app.command("eval")
@friendly_errors
def evaluate(
    examples: Path = typer.Argument(..., help="Labelled YAML or CSV to score the model on"),
    model_dir: Path | None = ModelOption,
    show_errors: int = typer.Option(10, help="How many misread examples to list"),
    label_map: list[str] | None = typer.Option(
        None,
        "--map",
        help="Score rows labelled LABEL as INTENT (one of the model's intents, or oos); repeatable",
        metavar="LABEL=INTENT",
    ),
    unknown_as_oos: bool = typer.Option(
        False, "--unknown-as-oos", help="Count rows whose label the model does not know as out of scope"
    ),
) -> None:
    """Score a trained model on labelled examples: accuracy, out-of-scope recall, per-intent F1.

    Labels must be the model's intents or oos; --map or --unknown-as-oos scores any other label."""
    from relaydesk.embeddings.builder import build_embedder
    from relaydesk.triage.intent.data import OOS_LABEL, load_examples
    from relaydesk.triage.intent.evaluation import align_labels, evaluate_model, parse_label_map

    settings = Settings()
    mapping = parse_label_map(label_map or [])
    data = load_examples(examples)
    embedder = build_embedder(settings)
    model = _model_in_use(settings, embedder, model_dir)
    before = data.labels
    data = align_labels(
        data, model.intents, mapping=mapping, unknown_as_oos=unknown_as_oos, source=str(examples)
    )
    changed = sum(1 for a, b in zip(before, data.labels, strict=True) if a != b)
    if changed:
        console.print(f"{changed} rows scored under another label (--map / --unknown-as-oos)")
    with _bars() as advance:
        report = evaluate_model(model, embedder, data, on_progress=advance)
    table = Table("intent", "support", "precision", "recall", "f1", title=f"{len(data.texts)} examples")
    for row in report.per_intent:
        table.add_row(
            row.intent, str(row.support), f"{row.precision:.3f}", f"{row.recall:.3f}", f"{row.f1:.3f}"
        )
    console.print(table)
    console.print(
        f"in-scope accuracy {report.in_scope_accuracy:.4f} on {report.in_scope_rows} rows "
        f"(threshold {model.threshold:.3f})"
    )
    if report.oos_recall is not None:
        console.print(f"out-of-scope recall {report.oos_recall:.4f} on {report.oos_rows} rows")
        console.print(f"overall accuracy {report.accuracy:.4f} on {len(data.texts)} rows")
    for text, truth, predicted in report.errors[:show_errors]:
        console.print(f"  [red]{predicted or OOS_LABEL}[/] for [bold]{truth}[/]: {text}")


@app.command("predict")
@friendly_errors
def predict(
    texts: list[str] = typer.Argument(..., help="Messages to read"),
    model_dir: Path | None = ModelOption,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object per message"),
) -> None:
    """Read messages with a trained model (or the default store model when none was trained)."""
    from relaydesk.embeddings.builder import build_embedder
    from relaydesk.triage.intent.vectors import model_vectors

    settings = Settings()
    embedder = build_embedder(settings)
    model = _model_in_use(settings, embedder, model_dir)
    predictions = model.predict(texts, model_vectors(model, embedder, texts))
    table = Table("message", "intent", "confidence", "in scope", "next best")
    for text, p in zip(texts, predictions, strict=True):
        if as_json:
            record = {
                "text": text,
                "intent": p.intent,
                "best_guess": p.best_guess,
                "confidence": round(p.confidence, 4),
                "in_scope": p.in_scope,
                "alternatives": [[name, round(prob, 4)] for name, prob in p.alternatives],
            }
            console.print_json(json.dumps(record))
            continue
        nxt = ", ".join(f"{name} {prob:.2f}" for name, prob in p.alternatives)
        table.add_row(
            text,
            p.intent or f"[dim]out of scope ({p.best_guess})[/]",
            f"{p.confidence:.3f}",
            "yes" if p.in_scope else "no",
            nxt,
        )
    if not as_json:
        console.print(table)
