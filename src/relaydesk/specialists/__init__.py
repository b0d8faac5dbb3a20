"""The AI's responders, tried in order on a message the AI keeps (the chain is built in ``services/``):
``smalltalk`` answers a bare hello or thank-you, ``knowledge`` answers from the workspace's knowledge
base with citations or abstains, and ``fallback`` says honestly that the AI cannot answer and offers
a person. No specialist (an AI expert for orders, returns, billing or account; see
docs/architecture.md) lives here yet; specialists will join this package."""
