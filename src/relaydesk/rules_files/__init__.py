"""Reading the versioned YAML files that hold policy as data (governance policies, routing rules):
values checked by type and range, unknown keys refused, and every error naming the file, the line
and the reason. Shared by governance and routing, so both report bad files the same way."""

from relaydesk.rules_files.reader import (
    PolicyDocument,
    PolicyFileError,
    Reader,
    is_finite,
    is_integer,
    is_number,
    parse_policy_text,
    read_policy_file,
    type_name,
)

__all__ = [
    "PolicyDocument",
    "PolicyFileError",
    "Reader",
    "is_finite",
    "is_integer",
    "is_number",
    "parse_policy_text",
    "read_policy_file",
    "type_name",
]
