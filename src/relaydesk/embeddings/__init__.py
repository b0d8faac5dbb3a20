"""Sentence embeddings behind the ``Embedder`` port (domain/ports.py).

``local``: the bundled all-MiniLM-L6-v2 (int8 ONNX, offline) or a local sentence-transformers
directory exported to ONNX. ``openai_compat``: an OpenAI-compatible ``/embeddings`` endpoint.
``builder``: the one place that turns ``Settings.embedder`` into an embedder, shared by triage,
knowledge search and the ``nlu`` commands.
"""
