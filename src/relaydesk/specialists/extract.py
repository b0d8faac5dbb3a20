"""Reading what a flow needs out of a customer's free text: order ids, e-mails, a name and zip code,
yes or no, a reason, an address, a payment method, and items named the way people name them.

Every reader returns None (or nothing) when the text does not say it clearly: a flow then asks,
it never guesses. Items are resolved against the real order and catalogue (``resolve_items``,
``resolve_variants``); a mention that fits two things is reported as ambiguous, not picked.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ORDER_ID = re.compile(r"(?<![A-Za-z0-9])#?\s?([Ww]\d{7})(?!\d)")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
ZIP = re.compile(r"(?<!\d)(\d{5})(?:-\d{4})?(?!\d)")
NAME_LEAD = re.compile(
    r"(?:my name is|name's|name is|i am|i'm|im|this is|it's|it is|name:)\s+"
    r"([A-Z][a-zA-Z'-]+)\s+([A-Z][a-zA-Z'-]+)",
    re.IGNORECASE,
)
CAPITALISED_PAIR = re.compile(r"\b([A-Z][a-z'-]+)\s+([A-Z][a-z'-]+)\b")
NOT_NAMES = {
    "Hi",
    "Hello",
    "Hey",
    "Thanks",
    "Thank",
    "Yes",
    "No",
    "Please",
    "My",
    "The",
    "I",
    "Zip",
    "Code",
    "Order",
    "Dear",
    "Good",
    "Sure",
    "Okay",
    "Ok",
    "Great",
    "Sorry",
    "Could",
    "Can",
    "Would",
}

YES = re.compile(
    r"^\s*(y|yes+|yeah|yea|yeh|ya|yah|yep|yup|sure|ok|okay|k|correct|right|confirm(ed)?|absolutely|definitely|"
    r"of course|please do|go ahead|do it|sounds good|that's right|that is right|that's correct|"
    r"affirmative|si|sí|oui|ja)\b"
    r"|\b(yes|please go ahead|go ahead|proceed|confirm|that's correct|that is correct|sounds good|"
    r"do it|please do)\b",
    re.IGNORECASE,
)
NO = re.compile(
    r"^\s*(n|no|nope|nah|not really|don't|do not|negative|non|nein)\b"
    r"|\b(don't do|do not do|don't go ahead|do not proceed|don't proceed|hold on|wait|stop)\b",
    re.IGNORECASE,
)
UNSURE = re.compile(
    r"\b(maybe|not sure|unsure|i guess|perhaps|possibly|i don't know|idk|let me think|hmm+)\b", re.IGNORECASE
)
CHANGE = re.compile(r"\b(but|instead|rather|actually|make it|change it|except)\b", re.IGNORECASE)
ABANDON = re.compile(
    r"\b(never ?mind|forget (it|about it|that)|changed my mind|don't bother|leave it|scratch that|"
    r"no longer want to|i'll do it later|not anymore|cancel (that|this) request|stop (this|it|that)|"
    r"(don'?t|do not|dont) want (to )?(an? )?(exchange|return|cancel|change|modify|refund)\w* "
    r"(anything|it|that)|"
    r"(don'?t|do not|dont) want (an? )?(exchange|return|refund)\b(?! for))\b",
    re.IGNORECASE,
)
NO_MORE = re.compile(
    r"^\s*(no|nope|nothing|that's all|that is all|that's it|that is it|all good|i'm good|im good|"
    r"no thanks|no thank you|nothing else|i'm done|bye|goodbye)\b",
    re.IGNORECASE,
)

REASON_PATTERNS = (
    (
        "ordered by mistake",
        re.compile(
            r"\b(by mistake|mistaken|accident(al(ly)?)?|ordered (it )?wrong|wrong (item|order)|"
            r"didn't mean to|did not mean to|mis-?order(ed)?|in error)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "no longer needed",
        re.compile(
            r"\b(no longer need(ed)?|don'?t need|do not need|not needed|no need|no use|"
            r"don'?t want|do not want|no longer want(ed)?|not required|changed my mind)\b",
            re.IGNORECASE,
        ),
    ),
)

STATES = {
    "AL",
    "AK",
    "AZ",
    "AR",
    "CA",
    "CO",
    "CT",
    "DE",
    "FL",
    "GA",
    "HI",
    "ID",
    "IL",
    "IN",
    "IA",
    "KS",
    "KY",
    "LA",
    "ME",
    "MD",
    "MA",
    "MI",
    "MN",
    "MS",
    "MO",
    "MT",
    "NE",
    "NV",
    "NH",
    "NJ",
    "NM",
    "NY",
    "NC",
    "ND",
    "OH",
    "OK",
    "OR",
    "PA",
    "RI",
    "SC",
    "SD",
    "TN",
    "TX",
    "UT",
    "VT",
    "VA",
    "WA",
    "WV",
    "WI",
    "WY",
    "DC",
}
COUNTRIES = {"usa": "USA", "us": "USA", "united states": "USA", "united states of america": "USA"}
INLINE_UNIT = re.compile(r"\s(suite|ste\.?|apt\.?|apartment|unit|#)\s*\S+$", re.I)
UNIT = re.compile(r"^(suite|ste\.?|apt\.?|apartment|unit|floor|fl\.?|room|building|bldg\.?|#)\s*\S+", re.I)


def order_ids(text: str) -> list[str]:
    """Order ids in the text, as the store writes them (``#W1234567``), in order, once each."""
    found: list[str] = []
    for m in ORDER_ID.finditer(text):
        value = "#" + m.group(1).upper()
        if value not in found:
            found.append(value)
    return found


def email(text: str) -> str | None:
    m = EMAIL.search(text)
    return m.group().lower() if m else None


def name_and_zip(text: str) -> tuple[str, str, str] | None:
    """``(first, last, zip)`` when the text gives a person's name and a five-digit zip code."""
    zip_match = ZIP.search(text)
    if not zip_match:
        return None
    lead = NAME_LEAD.search(text)
    if lead:
        first, last = lead.group(1), lead.group(2)
    else:
        pairs = [p for p in CAPITALISED_PAIR.findall(text) if p[0] not in NOT_NAMES and p[1] not in NOT_NAMES]
        if not pairs:
            return None
        first, last = pairs[0]
    return first.capitalize(), last.capitalize(), zip_match.group(1)


def answer(text: str) -> str | None:
    """``yes``, ``no``, ``unsure`` or ``change`` (a yes or no with a change: "yes but make it red")."""
    unsure = bool(UNSURE.search(text))
    yes = bool(YES.search(text))
    no = bool(NO.search(text))
    if (yes or no) and CHANGE.search(text) and len(text.split()) > 2:
        return "change"
    if unsure and not (yes and not no and not re.search(r"\bmaybe\b", text, re.I)):
        return "unsure"
    if yes and not no:
        return "yes"
    if no and not yes:
        return "no"
    if yes and no:
        first_yes = YES.search(text)
        first_no = NO.search(text)
        assert first_yes and first_no
        return "yes" if first_yes.start() < first_no.start() else "no"
    return None


HOW_TO = re.compile(
    r"^\s*(how (do|can|would|should|long|much|many|does)|what (is|are|does|do|if)|when (will|do|does|is|can)|"
    r"why|is there|are there|can you (tell|explain)|do i (need|have)|what's)\b",
    re.IGNORECASE,
)


def asks_how(text: str) -> bool:
    """A question about how things work ("How do I return an item?"), not a request to act: the
    knowledge base answers it, no task flow starts (unless it names an order)."""
    return bool(HOW_TO.search(text)) and not order_ids(text)


ORDINALS = {
    "first": 0,
    "1st": 0,
    "one": 0,
    "second": 1,
    "2nd": 1,
    "two": 1,
    "third": 2,
    "3rd": 2,
    "three": 2,
    "fourth": 3,
    "4th": 3,
    "four": 3,
    "fifth": 4,
    "5th": 4,
    "five": 4,
}


def ordinal(text: str, count: int) -> int | None:
    """Which of ``count`` listed choices the text picks ("the second one", "2", "number 3", "the
    last"), from 0; None when it picks none."""
    lowered = text.lower().strip()
    if re.search(r"\b(last|final) one\b|^\W*(the )?last\W*$", lowered):
        return count - 1
    number = re.fullmatch(r"\W*(?:number |option |no\.? |#)?(\d)\W*(?:please)?\W*", lowered)
    if number:
        index = int(number.group(1)) - 1
        return index if 0 <= index < count else None
    found = re.search(
        r"\b(?:the |option |number )?(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th)\b", lowered
    )
    if found is None and len(lowered.split()) <= 4:
        found = re.search(r"\b(?:option|number) (one|two|three|four|five)\b", lowered)
    if found:
        index = ORDINALS[found.group(1)]
        return index if index < count else None
    return None


def side_question(text: str) -> bool:
    """A question of its own ("wait, does the backpack come in black?"), not a yes or no with a
    question mark ("yes?", "ok, go ahead?")."""
    words = re.sub(
        r"^\W*(wait|hold on|hang on|sorry|hmm+|oh|ok(ay)?|actually|but|and|so)\W+", "", text, flags=re.I
    )
    return "?" in text and len(words.split()) >= 3 and bool(QUESTION_START.search(words))


QUESTION_START = re.compile(
    r"^\s*(do|does|did|is|are|can|could|will|would|how|what|when|where|which|why|who|have|has)\b", re.I
)


def wants_to_stop(text: str) -> bool:
    return bool(ABANDON.search(text))


def nothing_more(text: str) -> bool:
    return bool(NO_MORE.search(text)) and len(text.split()) <= 8


def cancel_reason(text: str) -> str | None:
    for reason, pattern in REASON_PATTERNS:
        if pattern.search(text):
            return reason
    return None


def address(text: str) -> dict[str, str] | None:
    """An address written on one line with commas: street, [suite], city, state zip, [country]."""
    parts = [p.strip(" .") for p in re.split(r"[,\n;]", text) if p.strip(" .")]
    if len(parts) < 2:
        return None
    zip_code = state = country = ""
    rest: list[str] = []
    for part in parts:
        words = part.split()
        lowered = part.lower()
        if lowered in COUNTRIES:
            country = COUNTRIES[lowered]
            continue
        consumed = []
        for word in words:
            if not zip_code and re.fullmatch(r"\d{5}(-\d{4})?", word) and rest:
                zip_code = word[:5]
                consumed.append(word)
            elif not state and word.upper() in STATES and word.isupper() and rest:
                state = word.upper()
                consumed.append(word)
        remaining = " ".join(w for w in words if w not in consumed)
        if remaining:
            rest.append(remaining)
    if not (zip_code and state) or not rest:
        return None
    # drop a lead-in such as "the new address is" before the street number
    first = re.sub(r"^.*?(?=\d)", "", rest[0], count=1) if re.search(r"\d", rest[0]) else rest[0]
    rest[0] = first.strip()
    unit = INLINE_UNIT.search(rest[0])
    if len(rest) == 2 and unit:  # "123 Maple St Apt 4, Austin TX 78701": the unit is the second line
        rest = [rest[0][: unit.start()].strip(), unit.group(0).strip(), rest[1]]
    if len(rest) >= 3:
        address1, address2, city = rest[0], rest[1], rest[2]
    elif len(rest) == 2:
        address1, address2, city = rest[0], "", rest[1]
    else:
        return None
    if address2 and not UNIT.match(address2) and len(rest) == 3:
        pass  # a second line that is not a unit is still the customer's second line
    return {
        "address1": address1,
        "address2": address2,
        "city": city,
        "state": state,
        "country": country or "USA",
        "zip": zip_code,
    }


# -- payment methods ------------------------------------------------------------------------------
NOT_PAYMENT_CARD = re.compile(
    r"\b(sd|cf|micro ?sd|sdxc|sdhc|memory|storage|sim|graphics|video|sound|network|key)[\s-]*cards?\b"
)


def payment_method(text: str, methods: Sequence[Mapping[str, Any]]) -> tuple[str | None, bool]:
    """The id of the payment method the text names among ``methods`` (the customer's, as
    ``get_user_details`` returns them), and whether the text named one that is ambiguous."""
    # an SD or CF card is a product option ("Digital Camera, 24MP, SD card"), not a way to pay
    lowered = NOT_PAYMENT_CARD.sub(" ", text.lower())
    wanted: list[Mapping[str, Any]] = []
    digits = set(re.findall(r"(?<!\d)(\d{4})(?!\d)", text))
    for method in methods:
        if method.get("id") and str(method["id"]).lower() in lowered:
            return str(method["id"]), False
    if "gift" in lowered:
        wanted = [m for m in methods if m.get("source") == "gift_card"]
    elif "paypal" in lowered or "pay pal" in lowered:
        wanted = [m for m in methods if m.get("source") == "paypal"]
    elif re.search(r"\b(card|credit|debit|visa|mastercard|amex|american express|discover)\b", lowered):
        wanted = [m for m in methods if m.get("source") == "credit_card"]
        brands = [m for m in wanted if str(m.get("brand", "")).lower() in lowered]
        if brands:
            wanted = brands
    if digits:
        by_digits = [m for m in (wanted or methods) if str(m.get("last_four")) in digits]
        if by_digits:
            wanted = by_digits
    if len(wanted) == 1:
        return str(wanted[0]["id"]), False
    return None, len(wanted) > 1


def named_source(text: str) -> str | None:
    """The kind of payment method the text names (``paypal``, ``gift_card``, ``credit_card``)."""
    lowered = NOT_PAYMENT_CARD.sub(" ", text.lower())
    if "paypal" in lowered or "pay pal" in lowered:
        return "paypal"
    if "gift card" in lowered or "giftcard" in lowered:
        return "gift_card"
    if re.search(r"\b(credit|debit) card\b|\b(visa|mastercard|amex|american express|discover)\b", lowered):
        return "credit_card"
    return None


def describe_method(method: Mapping[str, Any]) -> str:
    source = method.get("source")
    if source == "credit_card":
        return f"{str(method.get('brand', 'credit')).title()} card ending in {method.get('last_four')}"
    if source == "gift_card":
        balance = method.get("balance")
        return "gift card" + (f" (balance {money(float(balance))})" if balance is not None else "")
    if source == "paypal":
        return "PayPal"
    return str(method.get("id"))


def money(amount: float) -> str:
    return f"${amount:,.2f}"


# -- items ----------------------------------------------------------------------------------------
@dataclass
class ItemMatch:
    item_ids: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    """Product names mentioned that fit more than one item, so the flow asks which."""
    unknown: list[str] = field(default_factory=list)
    """Products mentioned that are not in the order."""


REPLACEMENT = re.compile(
    r"\b(same (one|item|thing|options?|model)|identical|replacement|exactly the same|"
    r"another one just like)\b",
    re.I,
)
QUANTITY_ALL = re.compile(r"\b(both|all|every|each|two|three|2|3)\b", re.IGNORECASE)


def named_products(text: str, names: Sequence[str]) -> list[str]:
    """The product names the text mentions, by full name ("T-Shirt", "tshirt") or by a last word
    no other name shares ("the keyboard" for the Mechanical Keyboard, "shirt" for the T-Shirt)."""
    return sorted({name for name, _, _ in mentions(text, names)})


def _name_pattern(name: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in name.lower().replace("-", " ").split()]
    body = r"[\s-]*".join(words)
    return re.compile(rf"\b{body}(e?s)?\b", re.IGNORECASE)


def option_score(window: str, options: Mapping[str, Any]) -> tuple[int, int]:
    """How many of the options a piece of text names (key and value, or a distinctive value), and
    how many it contradicts (names the option's key with another value next to it)."""
    text = window.lower()
    hits = 0
    for key, value in options.items():
        v = str(value).lower()
        k = str(key).lower()
        plain = len(v) >= 3 and v not in {"yes", "no", "men", "women", "art"}
        escaped = re.escape(v)
        if re.search(rf"(?<![\w.]){escaped}(?![\w])", text if plain else "") or re.search(
            rf"\b{re.escape(k)}\s*(?:is|of|:|=)?\s*{escaped}(?![\w])|(?<![\w.]){escaped}\s*{re.escape(k)}\b",
            text,
        ):
            hits += 1
        elif k == "size" and v in SIZE_WORDS and SIZE_WORDS[v].search(text):
            hits += 1  # "in small" for size S
    return hits, 0


SIZE_WORDS = {
    "s": re.compile(r"\bsmall\b"),
    "m": re.compile(r"\bmedium\b"),
    "l": re.compile(r"(?<!extra )(?<!extra-)(?<!x-)\blarge\b"),
    "xl": re.compile(r"\b(extra[ -]large|x-large)\b"),
    "xxl": re.compile(r"\b(xx-large|2xl|double extra[ -]large)\b"),
}


ARTICLE_BEFORE = re.compile(r"\b(the|my|a|an|for|of|and)\s+$", re.IGNORECASE)


def mentions(text: str, names: Sequence[str], values: Collection[str] = ()) -> list[tuple[str, int, int]]:
    """Where each product name is mentioned: ``(name, start, end of its window)``; a window runs to
    the next mention, so "the blue lamp and the large t-shirt" gives each its own options. A
    product may be named by its last word alone ("the keyboard") when no other name shares it.
    A name that is also an option value (``values``, lower case: a backpack's "laptop"
    compartment) counts as a mention only after "the", "my", "for"... ("green, laptop" is the
    backpack's option; "for the laptop" is the laptop)."""
    distinct = sorted(set(names))
    heads: dict[str, list[str]] = {}
    for name in distinct:
        heads.setdefault(name.lower().replace("-", " ").split()[-1], []).append(name)
    found: list[tuple[str, int, int]] = []
    for name in distinct:
        spans = [(m.start(), m.end()) for m in _name_pattern(name).finditer(text)]
        head = name.lower().replace("-", " ").split()[-1]
        if len(name.replace("-", " ").split()) > 1 and len(heads[head]) == 1 and len(head) >= 4:
            for m in _name_pattern(head).finditer(text):
                if not any(a <= m.start() < b for a, b in spans):
                    spans.append((m.start(), m.end()))
        if values and name.lower() in values:
            spans = [(a, b) for a, b in spans if ARTICLE_BEFORE.search(text[:a])]
        found.extend((name, a, b) for a, b in spans)
    found.sort(key=lambda f: f[1])
    windows = []
    for i, (name, start, _) in enumerate(found):
        end = found[i + 1][1] if i + 1 < len(found) else len(text)
        windows.append((name, start, end))
    return windows


def resolve_items(
    text: str, items: Sequence[Mapping[str, Any]], catalogue_names: Sequence[str] = ()
) -> ItemMatch:
    """The order's items the text names. ``items``: the order's items (name, item_id, options).

    A product named once fits the item of that product whose options the text names best; "both
    lamps" or "all the t-shirts" takes every item of the product; a name that fits several items
    equally is ambiguous; a catalogue product that is not in the order is unknown."""
    result = ItemMatch()
    names = [str(i["name"]) for i in items]
    windows = mentions(text, names)
    taken: set[int] = set()
    for name, start, end in windows:
        window = text[max(0, start - 40) : end] if start > 0 else text[start:end]
        candidates = [(n, i) for n, i in enumerate(items) if i["name"] == name and n not in taken]
        if not candidates:
            continue
        lead = text[max(0, start - 25) : start + len(name) + 3]
        if QUANTITY_ALL.search(lead) and len(candidates) > 1:
            for n, item in candidates:
                taken.add(n)
                result.item_ids.append(str(item["item_id"]))
            continue
        scored = sorted(
            ((option_score(text[start:end], i.get("options", {}))[0], n, i) for n, i in candidates),
            key=lambda s: -s[0],
        )
        best = scored[0]
        if len(scored) > 1 and scored[1][0] == best[0]:
            tied = [i for score, _, i in scored if score == best[0]]
            same = {str(i["item_id"]) for i in tied}
            alike = all(dict(i.get("options", {})) == dict(tied[0].get("options", {})) for i in tied)
            if len(same) == 1 or alike:  # the same item twice in the order: take one
                taken.add(best[1])
                result.item_ids.append(str(best[2]["item_id"]))
                continue
            del window
            result.ambiguous.append(name)
            continue
        taken.add(best[1])
        result.item_ids.append(str(best[2]["item_id"]))
    mentioned = {w[0] for w in windows}
    # "the backpack (navy, laptop)": the backpack's laptop compartment, not the Laptop product
    values = {str(v).lower() for i in items for v in dict(i.get("options", {})).values()}
    for product in catalogue_names:
        if product in mentioned:
            continue
        hits = list(_name_pattern(product).finditer(text))
        if product.lower() in values:
            hits = [m for m in hits if ARTICLE_BEFORE.search(text[: m.start()])]
        if hits:
            result.unknown.append(product)
    return result


@dataclass
class VariantChoice:
    item_id: str
    new_item_id: str | None
    problem: str | None = None
    """Why no variant was chosen: ``not_said``, ``ambiguous``, ``unavailable``, ``same``, or
    ``compromise`` (what was asked for exists only with other options changed too)."""
    candidates: list[dict[str, Any]] = field(default_factory=list)


def resolve_variant(
    text: str,
    current: Mapping[str, Any],
    variants: Sequence[Mapping[str, Any]],
    base: Mapping[str, Any] | None = None,
) -> VariantChoice:
    """The variant of the same product the text asks for instead of ``current`` (an order item).

    Every option value the text names that differs from the item's must hold in the new variant (a
    bare value such as "black" may belong to any option that has it); among the available variants
    that satisfy that, the one that changes the fewest other options wins, and a tie is ambiguous.
    Options the customer did not name are never changed silently: when no variant keeps them as
    they are (or as in ``base``, the options of the variant chosen before, for "make it the red
    one"), the answer is a ``compromise`` with the closest variants to choose from."""
    item_id = str(current["item_id"])
    options = {k: str(v) for k, v in dict(current.get("options", {})).items()}
    reference = {k: str(v) for k, v in dict(base or options).items()}
    named: dict[str, set[str]] = {}
    pairs = {(str(k), str(v)) for variant in variants for k, v in variant.get("options", {}).items()}
    work = text
    # longest values first, each blanked once found, so "Wi-Fi" inside "Wi-Fi + Cellular" (the
    # item's current option, named to say which item) is not read as a wish for plain Wi-Fi
    times: dict[str, int] = {}
    for value in sorted({v for _, v in pairs}, key=len, reverse=True):
        keys = {k for k, v in pairs if v == value and option_score(work, {k: v})[0]}
        if keys:
            named[value] = keys
            times[value] = len(re.findall(rf"(?<!\w){re.escape(value)}(?!\w)", work, flags=re.IGNORECASE))
            work = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " " * len(value), work, flags=re.IGNORECASE)
    changes: dict[str, set[str]] = {}
    for value, keys in named.items():
        held = {k for k in keys if options.get(k) == value}
        if not held:
            changes[value] = keys
        elif times.get(value, 0) > len(held) and keys - held:
            # named more often than the item has it ("brown frame, brown lenses" on black-framed
            # brown lenses): the other option(s) that can be brown change to it
            changes[value] = keys - held
    if REPLACEMENT.search(text) and not changes:
        same = [v for v in variants if str(v["item_id"]) == item_id]
        if same and same[0].get("available", False):
            return VariantChoice(item_id, item_id)  # a replacement of the very same item
        return VariantChoice(item_id, None, "unavailable", [dict(v) for v in same])
    if not changes:
        return VariantChoice(item_id, None, "not_said")  # it named only what the item is now
    # a value that is part of a longer one named too ("1" in "1.5 liters") is not asked for itself
    changes = {
        v: k
        for v, k in changes.items()
        if not any(v != o and re.search(rf"(?<!\w){re.escape(v)}(?!\w)", o, re.I) for o in changes)
    }

    def fits(variant: Mapping[str, Any]) -> bool:
        opts = {k: str(x) for k, x in variant.get("options", {}).items()}
        return all(any(opts.get(k) == value for k in keys) for value, keys in changes.items())

    def distance(variant: Mapping[str, Any]) -> int:
        opts = {k: str(x) for k, x in variant.get("options", {}).items()}
        return sum(1 for k, v in opts.items() if reference.get(k) != v)

    asked_keys = {k for keys in changes.values() for k in keys}

    def unasked(variant: Mapping[str, Any]) -> bool:
        opts = {k: str(x) for k, x in variant.get("options", {}).items()}
        return any(reference.get(k) != v and k not in asked_keys for k, v in opts.items())

    matching = [v for v in variants if fits(v) and str(v["item_id"]) != item_id]
    available = [v for v in matching if v.get("available", False)]
    if not available:
        return VariantChoice(item_id, None, "unavailable", [dict(v) for v in matching[:5]])
    clean = [v for v in available if not unasked(v)]
    pool = clean or available
    best = min(distance(v) for v in pool)
    closest = [v for v in pool if distance(v) == best]
    if not clean:
        return VariantChoice(item_id, None, "compromise", [dict(v) for v in closest[:5]])
    if len(closest) == 1:
        return VariantChoice(item_id, str(closest[0]["item_id"]))
    return VariantChoice(item_id, None, "ambiguous", [dict(v) for v in closest[:5]])


def describe_options(options: Mapping[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in options.items())
