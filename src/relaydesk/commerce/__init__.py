"""The demo commerce back end (tau-bench retail data): records, store rules and governed tools."""
