"""What customers and agents send, checked before anything is stored: message text, idempotency
keys, free text (subjects, notes). Every refusal names the problem; a card number never reaches
storage whole."""

from __future__ import annotations

from relaydesk.domain.errors import InvalidInput, PayloadTooLarge
from relaydesk.triage.pii import card_number_in_identifier, redact_card_numbers

MAX_IDEMPOTENCY_KEY = 200


def require_unicode(value: object, what: str) -> None:
    """Refuse text that cannot be stored: a lone surrogate (``"\\ud800"`` in JSON) is valid JSON
    but not Unicode text. Walks lists and mappings."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InvalidInput(
                f"{what} is not valid Unicode text: a lone surrogate at character {exc.start}"
            ) from None
    elif isinstance(value, dict):
        for key, item in value.items():
            require_unicode(key, what)
            require_unicode(item, what)
    elif isinstance(value, list | tuple):
        for item in value:
            require_unicode(item, what)


def message_text(text: object, max_chars: int) -> str:
    """A message's text, stripped; refused when not text, empty, too long, or not storable."""
    if not isinstance(text, str):
        raise InvalidInput(f"A message must be text, got {type(text).__name__}")
    if "\x00" in text:
        raise InvalidInput("A message must not contain NUL characters")
    require_unicode(text, "A message")
    stripped = text.strip()
    if not stripped:
        raise InvalidInput("A message must not be empty")
    if len(stripped) > max_chars:
        raise PayloadTooLarge(f"A message may have at most {max_chars} characters, got {len(stripped)}")
    return stripped


def checked_idempotency_key(key: object) -> str | None:
    """The key as it is stored and echoed in acks: the client's own id for one message.

    A key with a card number in it is refused rather than stored or rewritten: it is stored as
    sent (a retry finds its message by it, and the chat widget matches acks by it), so a card in
    it would sit in the database in clear; hashing it instead would need a server secret and would
    change the key every client is echoed. The refusal names only the card's last four digits."""
    if key is None:
        return None
    if not (isinstance(key, str) and 0 < len(key) <= MAX_IDEMPOTENCY_KEY and "\x00" not in key):
        raise InvalidInput(f"The idempotency key must be text of 1 to {MAX_IDEMPOTENCY_KEY} characters")
    require_unicode(key, "The idempotency key")
    last_four = card_number_in_identifier(key)
    if last_four is not None:
        raise InvalidInput(
            f"The idempotency key contains a card number (ending {last_four}); a key is stored as "
            "sent, so use a random id such as a UUID"
        )
    return key


def stored_free_text(text: str | None, *, redact_cards: bool) -> str | None:
    """Free text that is stored (a subject, a note): storable, and no full card number either."""
    require_unicode(text, "The text")
    if text is None or not redact_cards:
        return text
    return redact_card_numbers(text).text
