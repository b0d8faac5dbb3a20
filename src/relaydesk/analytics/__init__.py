"""Hybrid KPIs and the live desk, computed from stored records (never typed in).

One query path: ``storage/report_queries.py`` reads the facts of a period's conversations
(``facts.ConversationFacts``) through the ``ReportSource`` port, and ``kpis.compute_kpis`` turns
them into every figure; the API, the dashboard and (later) the CLI and HTML reports all call it.
Definitions are in ``kpis.py``; ``docs/web.md`` repeats them for readers of the dashboard.
"""
