"""Who a customer starting a chat is, as far as the chat may say.

The chat (``POST /v1/conversations``) is open to anyone, so what it says about the customer is a
claim. A claim may name the customer and their e-mail for the agent, but:

- an ``external_id`` (the company's own id for the customer, which links the conversation to their
  record and earlier conversations) is taken only with ``signature``: the hex HMAC-SHA256 of the id,
  keyed with the workspace's signing key (``workspace_signing_key``: derived from the desk's
  ``RELAYDESK_WIDGET_SIGNING_SECRET``, printed by ``relaydesk workspace signing-key SLUG``). The
  site computes it server-side for a signed-in customer; without it anyone could read another
  customer's context by typing their id.
- a known customer's record is never rewritten from the chat (``keep_existing``): name, e-mail,
  tier and attributes stay what the company recorded.
- ``tier`` and ``attributes`` come from the company only (the admin API, an import, or the desk's
  own code), never from the chat: a self-declared VIP would jump the queue.
"""

from __future__ import annotations

import hashlib
import hmac

from relaydesk.domain.errors import Forbidden, InvalidInput


def workspace_signing_key(secret: str, workspace_slug: str) -> str:
    """The key one workspace's site signs with: hex HMAC-SHA256 of ``relaydesk-widget:SLUG`` keyed
    with the desk's signing secret (``relaydesk workspace signing-key SLUG`` prints it). Each site
    holds only its own workspace's key, so a key that leaks from one site signs for no other
    workspace, and the desk keeps one secret."""
    message = f"relaydesk-widget:{workspace_slug}".encode()
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def site_key(secret: str | None, workspace_slug: str) -> str | None:
    """The workspace's signing key, or None when the desk has no signing secret."""
    return workspace_signing_key(secret, workspace_slug) if secret else None


def external_id_signature(external_id: str, secret: str) -> str:
    """What a site sends as ``customer.signature``: hex HMAC-SHA256 of the external id (UTF-8)."""
    return hmac.new(secret.encode("utf-8"), external_id.encode("utf-8"), hashlib.sha256).hexdigest()


def checked_external_id(external_id: str | None, signature: str | None, secret: str | None) -> str | None:
    """The external id the chat may use, or None for an anonymous customer; refused when unsigned."""
    if external_id is None:
        if signature is not None:
            raise InvalidInput("customer.signature came without customer.external_id; send both or none")
        return None
    if not secret:
        raise Forbidden(
            "customer.external_id is only taken from a site that signs it, and this desk has no signing "
            "secret (RELAYDESK_WIDGET_SIGNING_SECRET); start the chat without external_id"
        )
    if not signature:
        raise Forbidden(
            "customer.external_id needs customer.signature: the hex HMAC-SHA256 of the id, keyed with the "
            "workspace's signing key (relaydesk workspace signing-key), computed by your site's server"
        )
    if not hmac.compare_digest(signature.strip().lower(), external_id_signature(external_id, secret)):
        raise Forbidden("customer.signature does not match customer.external_id")
    return external_id


def refuse_company_fields(fields_set: set[str]) -> None:
    """``tier`` and ``attributes`` are the company's to set, not the chat's."""
    for name in ("tier", "attributes"):
        if name in fields_set:
            raise InvalidInput(
                f"customer.{name} is set by the company (the admin API or an import), not by the chat; "
                "leave it out"
            )
