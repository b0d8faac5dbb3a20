"""Customer satisfaction (CSAT): the customer rates a resolved conversation once, 1 to 5, with an
optional comment. Also the widget's page context: where the customer was when they started."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import TYPE_CHECKING, Any

from relaydesk.domain.desk_records import AlreadyRated, CsatRating, CsatRecords
from relaydesk.domain.errors import Conflict, InvalidInput
from relaydesk.domain.models import Conversation, ConversationStatus, utcnow

if TYPE_CHECKING:
    from sqlalchemy import Engine

MIN_SCORE, MAX_SCORE = 1, 5
MAX_COMMENT_CHARS = 2000
MAX_PAGE_CONTEXT_BYTES = 4096
"""The page context as stored (JSON, UTF-8) may not be larger than this."""
MAX_ATTRIBUTES = 32
MAX_ATTRIBUTE_KEY_CHARS = 64


class NotResolvedYet(Conflict):
    """Ratings are for resolved conversations."""

    def __init__(self, conversation_id: str, status: str) -> None:
        super().__init__(
            f'Conversation "{conversation_id}" is {status}; it can be rated once it is resolved',
            conversation_id=conversation_id,
            status=status,
        )


def checked_score(score: object) -> int:
    if isinstance(score, bool) or not isinstance(score, int) or not MIN_SCORE <= score <= MAX_SCORE:
        raise InvalidInput(f"score must be a whole number from {MIN_SCORE} to {MAX_SCORE}, not {score!r}")
    return score


def checked_comment(comment: object) -> str | None:
    if comment is None:
        return None
    if not isinstance(comment, str):
        raise InvalidInput(f"comment must be text, not {type(comment).__name__}")
    if "\x00" in comment:
        raise InvalidInput("comment must not contain NUL characters")
    comment = comment.strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise InvalidInput(f"comment is {len(comment)} characters; at most {MAX_COMMENT_CHARS} are kept")
    return comment or None


def attributes_signature(attributes: dict[str, str], secret: str) -> str:
    """What a site sends as ``signature``: hex HMAC-SHA256, keyed with the shared secret, of the
    attributes as canonical JSON (keys sorted, no spaces, UTF-8)."""
    canonical = json.dumps(attributes, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(secret.encode("utf-8"), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def checked_page_context(raw: object, secret: str | None = None) -> dict[str, Any]:
    """The page context as stored: ``page_url``, ``page_title`` and flat string ``attributes``,
    at most ``MAX_PAGE_CONTEXT_BYTES`` as JSON. ``verified`` is true only when a signing secret is
    configured and ``signature`` matches the attributes; a signature that does not match is refused
    (nothing is started), so a customer cannot pass off attributes as the site's."""
    if not isinstance(raw, dict):
        raise InvalidInput("page_context must be an object")
    unknown = sorted(set(raw) - {"page_url", "page_title", "attributes", "signature"})
    if unknown:
        raise InvalidInput(
            f"page_context has unknown field(s) {', '.join(unknown)}; "
            "expected page_url, page_title, attributes and signature"
        )
    context: dict[str, Any] = {}
    for field in ("page_url", "page_title"):
        value = raw.get(field)
        if value is None:
            continue
        if not isinstance(value, str):
            raise InvalidInput(f"page_context.{field} must be text, not {type(value).__name__}")
        context[field] = value
    attributes = raw.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise InvalidInput("page_context.attributes must be an object of text values")
    if len(attributes) > MAX_ATTRIBUTES:
        raise InvalidInput(f"page_context.attributes has {len(attributes)} entries; at most {MAX_ATTRIBUTES}")
    for key, value in attributes.items():
        if len(key) > MAX_ATTRIBUTE_KEY_CHARS:
            raise InvalidInput(
                f'page_context.attributes key "{key[:MAX_ATTRIBUTE_KEY_CHARS]}..." is longer than '
                f"{MAX_ATTRIBUTE_KEY_CHARS} characters"
            )
        if not isinstance(value, str):
            raise InvalidInput(
                f'page_context.attributes["{key}"] must be text (flat string values only), '
                f"not {type(value).__name__}"
            )
    context["attributes"] = dict(attributes)
    signature = raw.get("signature")
    if signature is not None and not isinstance(signature, str):
        raise InvalidInput("page_context.signature must be text (hex HMAC-SHA256)")
    context["verified"] = False  # unsigned, or no secret to check with: taken as told
    if signature and secret:
        if not hmac.compare_digest(signature.lower(), attributes_signature(context["attributes"], secret)):
            raise InvalidInput("page_context.signature does not match the attributes")
        context["verified"] = True
    for text in _texts(context):
        if "\x00" in text:
            raise InvalidInput("page_context must not contain NUL characters")
    size = len(json.dumps(context, ensure_ascii=False).encode("utf-8"))
    if size > MAX_PAGE_CONTEXT_BYTES:
        raise InvalidInput(f"page_context is {size} bytes as JSON; at most {MAX_PAGE_CONTEXT_BYTES} are kept")
    return context


def _texts(context: dict[str, Any]) -> list[str]:
    found = [str(k) for k in context]
    for value in context.values():
        if isinstance(value, dict):
            found += [str(k) for k in value] + [v for v in value.values() if isinstance(v, str)]
        elif isinstance(value, str):
            found.append(value)
    return found


class CsatService:
    """Ratings and page contexts of conversations (the customer side; the caller authorised them)."""

    def __init__(self, records: CsatRecords) -> None:
        self.records = records

    @classmethod
    def on(cls, engine: Engine) -> CsatService:
        from relaydesk.storage.csat_store import SqlCsatStore

        return cls(SqlCsatStore(engine))

    def rate(self, conversation: Conversation, score: object, comment: object = None) -> CsatRating:
        rating = CsatRating(
            conversation_id=conversation.id,
            workspace_id=conversation.workspace_id,
            score=checked_score(score),
            comment=checked_comment(comment),
            created_at=utcnow(),
        )
        existing = self.records.rating(conversation.id)
        if existing is not None:
            raise AlreadyRated(conversation.id, existing.score)
        if conversation.status != ConversationStatus.RESOLVED:
            raise NotResolvedYet(conversation.id, str(conversation.status))
        self.records.add_rating(rating)
        return rating

    def rating(self, conversation: Conversation) -> CsatRating | None:
        return self.records.rating(conversation.id)

    def set_page_context(self, conversation_id: str, context: dict[str, Any]) -> None:
        self.records.set_page_context(conversation_id, context)

    def page_context(self, conversation_id: str) -> dict[str, Any] | None:
        return self.records.page_context(conversation_id)
