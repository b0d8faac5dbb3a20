"""How the AI talks: what it says on its own in each language (catalogue), which language it
answers in (language), and the social turns of a conversation (acts)."""
