"""The widget's page context: a site that shares a signing secret can vouch for the attributes it
passes; anything else is kept as told, marked unverified, and a wrong signature is refused."""

from __future__ import annotations

import pytest

from relaydesk.domain.errors import InvalidInput
from relaydesk.services.csat import attributes_signature, checked_page_context

SECRET = "shared-with-the-site"
ATTRIBUTES = {"plan": "pro", "page": "billing"}


def test_signed_attributes_are_verified_with_the_secret() -> None:
    signature = attributes_signature(ATTRIBUTES, SECRET)
    context = checked_page_context({"attributes": dict(ATTRIBUTES), "signature": signature}, SECRET)
    assert context["verified"] is True and context["attributes"] == ATTRIBUTES
    assert "signature" not in context  # the proof is checked, not kept


def test_a_signature_that_does_not_match_is_refused() -> None:
    forged = attributes_signature({"plan": "enterprise", "page": "billing"}, SECRET)
    with pytest.raises(InvalidInput, match="signature does not match"):
        checked_page_context({"attributes": dict(ATTRIBUTES), "signature": forged}, SECRET)


def test_without_a_secret_or_a_signature_attributes_are_kept_unverified() -> None:
    signature = attributes_signature(ATTRIBUTES, SECRET)
    assert checked_page_context({"attributes": dict(ATTRIBUTES), "signature": signature})["verified"] is False
    assert checked_page_context({"attributes": dict(ATTRIBUTES)}, SECRET)["verified"] is False
