"""The one benchmark interface (see docs/benchmarks.md): progress on stderr, JSON last on stdout."""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DATA = Path(os.environ.get("RELAYDESK_SHARED_DATA", ROOT.parent / "shared" / "data"))


def data_path(*parts: str) -> Path:
    """A file under the public evaluation data; exits with a clear message when it is absent."""
    path = DATA.joinpath(*parts)
    if not path.exists():
        sys.exit(f"benchmark data not found: {path} (expected ../shared/data beside the project)")
    return path


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": cpu, "python": platform.python_version()}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def report(name: str, result: dict[str, Any]) -> dict[str, Any]:
    """Write ``benchmarks/results/NAME.json`` and print the object as the last stdout line."""
    payload = {
        "benchmark": name,
        **result,
        "machine": machine(),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(payload, indent=2) + "\n")
    print(json.dumps(payload), flush=True)
    return payload


@contextmanager
def scratch_runtime(name: str, models: Path | None = None) -> Iterator[Any]:
    """A runtime on a fresh SQLite file in a temporary directory, closed afterwards. ``models``: a
    data directory to share between runs (its cached models); a temporary one by default."""
    from relaydesk.services.runtime import build_runtime
    from relaydesk.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            environment="test",
            database_url=f"sqlite:///{tmp}/{name}.db",
            data_dir=models or Path(tmp) / "models",
            _env_file=None,  # type: ignore[call-arg]
        )
        runtime = build_runtime(settings)
        try:
            yield runtime
        finally:
            runtime.close()
