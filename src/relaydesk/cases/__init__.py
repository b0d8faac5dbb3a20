"""Case memory: every turn places the customer's message in it (with triage's own vector), and
agents and the handoff brief search it for similar past cases and how they were resolved."""
