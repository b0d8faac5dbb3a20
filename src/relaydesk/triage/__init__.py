"""Triage: what a customer message is, how the customer feels, how urgent it is, what it names."""
