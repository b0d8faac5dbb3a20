"""Items and variants as customers name them, resolved against an order's items and the catalogue."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


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
