"""A governance policy: one versioned file with escalation triggers and action rules."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from relaydesk.governance.action_rules import ActionRules, read_actions
from relaydesk.governance.escalation_rules import EscalationRules, read_escalation
from relaydesk.rules_files.reader import PolicyDocument, Reader, parse_policy_text, read_policy_file

DEFAULT_POLICY = Path(__file__).parent / "policies" / "default.yaml"


@dataclass(frozen=True, slots=True)
class GovernancePolicy:
    version: str
    """Set in the file and recorded in every decision made under it (with a digest of the text)."""
    escalation: EscalationRules
    actions: ActionRules
    source: str = "<policy>"
    digest: str = ""
    """First 12 hex digits of the SHA-256 of the file's text: two files with one version still differ."""

    @property
    def label(self) -> str:
        return f"{self.version}#{self.digest}" if self.digest else self.version

    def with_actions(self, actions: ActionRules) -> GovernancePolicy:
        return replace(self, actions=actions)


def policy_from_document(doc: PolicyDocument, text: str) -> GovernancePolicy:
    r = Reader(doc, (), doc.data, "the policy file")
    r.refuse_unknown(["version", "description", "escalation", "actions"])
    version = r.get(
        "version",
        lambda v: isinstance(v, str | int | float) and not isinstance(v, bool) and str(v).strip() != "",
        'a version text such as "2025-06-01"',
        required=True,
    )
    r.optional_text("description")
    escalation = read_escalation(doc, doc.data.get("escalation", {}))
    actions = read_actions(doc, doc.data.get("actions", {}))
    return GovernancePolicy(
        version=str(version),
        escalation=escalation,
        actions=actions,
        source=doc.file,
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest()[:12],
    )


def parse_policy(text: str, file: str = "<policy>") -> GovernancePolicy:
    """A policy from YAML text; raises :class:`PolicyFileError` naming file, line and reason."""
    return policy_from_document(parse_policy_text(text, file), text)


def load_policy(path: str | Path | None = None) -> GovernancePolicy:
    """The policy in ``path`` (the bundled default when None)."""
    path = Path(path) if path is not None else DEFAULT_POLICY
    doc = read_policy_file(path)
    return policy_from_document(doc, path.read_text(encoding="utf-8"))
