"""A slice of the tau-bench retail ground truth replayed through governance (the full run is a benchmark)."""

from __future__ import annotations

import json

import pytest
from benchmarks._common import DATA

TAU = DATA / "tau-retail"


@pytest.mark.data
def test_the_first_tau_retail_tasks_replay_with_the_recorded_outcomes_and_end_state() -> None:
    if not (TAU / "tasks.json").exists():
        pytest.skip(f"tau-retail data not found at {TAU} (../shared/data is optional)")
    from benchmarks.tau_replay import Replay, Tally

    tasks = json.loads((TAU / "tasks.json").read_text())["tasks"][:40]
    replay = Replay(TAU)
    tally = Tally()
    for task in tasks:
        replay.run_task(task, tally)
    assert tally.mismatches == [] and tally.agreed == tally.actions > 40
    assert tally.state_failures == [] and tally.state_cent == len(tasks)
    assert tally.escaped == [] and sum(tally.caught.values()) == sum(tally.violations.values()) > 100
