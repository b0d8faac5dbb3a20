"""The core: pure types, ids, events, errors and ports. Imports no framework, ORM or SDK."""
