"""The one place where errors become CLI messages and exit codes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console

from relaydesk.domain.errors import RelaydeskError

F = TypeVar("F", bound=Callable[..., Any])
err = Console(stderr=True)


def friendly_errors(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except RelaydeskError as exc:
            err.print(f"[bold red]{exc.title}:[/] {exc.detail}")
            raise typer.Exit(2) from None
        except ValidationError as exc:
            for e in exc.errors():
                where = ".".join(str(p) for p in e["loc"]) or "settings"
                err.print(f"[bold red]Invalid setting[/] {where}: {e['msg']}")
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]
