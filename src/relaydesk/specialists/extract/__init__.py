"""Reading what a flow needs out of a customer's free text: order ids, e-mails, a name and zip code,
yes or no, a reason, an address, a payment method, and items named the way people name them.

Every reader returns None (or nothing) when the text does not say it clearly: a flow then asks,
it never guesses. Items are resolved against the real order and catalogue (``resolve_items``,
``resolve_variant``); a mention that fits two things is reported as ambiguous, not picked.
``answers`` reads replies, ``records`` record keys, ``items`` items and variants, ``item_words``
items named loosely.
"""

from relaydesk.specialists.extract.answers import *  # noqa: F403
from relaydesk.specialists.extract.item_words import *  # noqa: F403
from relaydesk.specialists.extract.items import *  # noqa: F403
from relaydesk.specialists.extract.records import *  # noqa: F403
