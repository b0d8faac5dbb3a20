"""The specialist flows a team can check and see: a flow file checked against the demo store's
tools, and the flows installed for a workspace (bundled, then ``Settings.flows_dir``, then its
subfolder named after the workspace's slug), each with where it comes from and what it replaces.

Used by ``relaydesk flows check`` and ``relaydesk flows list``; reads files only, no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from relaydesk.rules_files import PolicyFileError
from relaydesk.settings import Settings
from relaydesk.specialists.flow_spec import BUNDLED, FlowLibrary, FlowSpec, check_flow_file


def store_tool_names() -> list[str]:
    """The governed tools a flow may call: the demo store's."""
    from relaydesk.commerce.tools import TOOL_TYPES

    return [t.spec.name for t in TOOL_TYPES]


@dataclass(frozen=True, slots=True)
class FlowCheck:
    """One file's verdict: the flow it defines, or why it cannot be used (file, line, reason)."""

    file: Path
    flow: FlowSpec | None = None
    error: PolicyFileError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def check_flow_files(paths: Iterable[Path], tools: Sequence[str] | None = None) -> list[FlowCheck]:
    """Check every file; a bad one does not stop the others."""
    known = list(tools) if tools is not None else store_tool_names()
    checks = []
    for path in paths:
        try:
            checks.append(FlowCheck(path, flow=check_flow_file(path, known)))
        except PolicyFileError as exc:
            checks.append(FlowCheck(path, error=exc))
    return checks


@dataclass(frozen=True, slots=True)
class InstalledFlow:
    """A flow as the workspace gets it; ``replaces`` is the file of the flow of the same name it
    overrides (None when it adds a flow or is the bundled one)."""

    flow: FlowSpec
    layer: str
    """``bundled``, ``flows_dir`` or ``workspace``."""
    replaces: str | None = None


def flow_folders(settings: Settings, workspace: str | None = None) -> list[tuple[str, Path]]:
    """The folders flows come from, later ones replacing earlier flows of the same name."""
    folders = [("bundled", BUNDLED)]
    if settings.flows_dir is not None:
        if settings.flows_dir.is_dir():
            folders.append(("flows_dir", settings.flows_dir))
        if workspace and (settings.flows_dir / workspace).is_dir():
            folders.append(("workspace", settings.flows_dir / workspace))
    return folders


def installed_flows(
    settings: Settings, workspace: str | None = None, tools: Sequence[str] | None = None
) -> list[InstalledFlow]:
    """The flows a workspace runs, sorted by name. Raises ``PolicyFileError`` for a bad file, as
    the running service would refuse it."""
    known = list(tools) if tools is not None else store_tool_names()
    installed: dict[str, InstalledFlow] = {}
    for layer, folder in flow_folders(settings, workspace):
        for flow in FlowLibrary.load([folder], known).flows.values():
            earlier = installed.get(flow.name)
            installed[flow.name] = InstalledFlow(flow, layer, earlier.flow.source if earlier else None)
    return [installed[name] for name in sorted(installed)]
