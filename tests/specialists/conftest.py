"""The demo-store runtime the conversation tests share (defined with its helpers in
test_flow_dialogues.py), available to every module here."""

from tests.specialists.test_flow_dialogues import shop  # noqa: F401  (a fixture)
