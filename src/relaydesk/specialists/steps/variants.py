"""The new option an item should have (a change or an exchange), chosen so that nothing the
customer did not name changes silently."""

from __future__ import annotations

from typing import Any

from relaydesk.specialists import extract as ex
from relaydesk.specialists.steps.base import (
    Outcome,
    StepInput,
    ask,
    next_,
)


def new_items(s: StepInput) -> Outcome:
    found = s.box.order(s.slots["order_id"]) or {"items": []}
    by_id = {str(i["item_id"]): i for i in found["items"]}
    chosen: dict[str, str] = dict(s.slots.get("_new") or {})
    # the options chosen before a "yes, but make it the red one": unnamed options stay as chosen
    before_ids: dict[str, str] = dict(s.slots.get("_new_before") or {})
    item_ids = list(s.slots["item_ids"])
    problems: list[str] = []
    named_something = False
    several = len({by_id[i]["name"] for i in item_ids if i in by_id}) > 1
    # option values of the products involved: a product name that is also one ("laptop", a
    # backpack's compartment) is a mention of that product only when it reads like one
    values = {
        str(v).lower()
        for i in item_ids
        if i in by_id
        for variant in (s.box.product(str(by_id[i]["product_id"])) or {"variants": {}})["variants"].values()
        for v in variant.get("options", {}).values()
    }
    proposed: dict[str, list[str]] = dict(s.slots.pop("_proposed", None) or {})
    if s.frame.asked == "new_items" and len(proposed) == 1 and s.texts:
        # "yes" to the one variant proposed, or "the second one" of those listed
        ((key, ids),) = proposed.items()
        pick = ex.ordinal(s.current, len(ids))
        if pick is None and len(ids) == 1 and ex.answer(s.current) == "yes":
            pick = 0
        if pick is None:
            pick = _pick_by_options(s, by_id.get(key.split(":", 1)[1]), ids)
        if pick is not None:
            chosen[key] = ids[pick]
    for n, item_id in enumerate(item_ids):
        key = f"{n}:{item_id}"
        if key in chosen:
            continue
        item = by_id.get(item_id)
        if item is None:
            continue
        product = s.box.product(str(item["product_id"])) or {"variants": {}}
        variants = list(product["variants"].values())
        result: ex.VariantChoice | None = None
        names = [str(i["name"]) for i in found["items"]]
        # the k-th item of a product takes the k-th mention of it ("the kettle should be ceramic;
        # the other kettle should be glass")
        rank = sum(1 for earlier in item_ids[:n] if by_id.get(earlier, {}).get("name") == item["name"])
        earlier_choice = product["variants"].get(before_ids.get(key, ""), {}).get("options")
        for text in s.texts:
            windows = [text[a:b] for name, a, b in ex.mentions(text, names, values) if name == item["name"]]
            if not windows and not several:
                windows = [text]
            if len(windows) > 1 and rank < len(windows):
                windows = [windows[rank]]
            for window in windows:
                attempt = ex.resolve_variant(window, item, variants, earlier_choice)
                if attempt.problem != "not_said":
                    result = attempt
                    break
            if result is not None:
                break
        if result is not None and result.new_item_id:
            chosen[key] = result.new_item_id
            continue
        named_something = named_something or (result is not None and result.problem != "not_said")
        if result is not None and result.problem in ("compromise", "ambiguous") and result.candidates:
            proposed[key] = [str(v["item_id"]) for v in result.candidates]
        problems.append(_variant_problem(item, result, variants))
    s.slots["_new"] = chosen
    s.slots["_proposed"] = {k: v for k, v in proposed.items() if k not in chosen}
    if problems:
        return ask(" ".join(problems), "new_items", specific=named_something)
    s.slots["new_item_ids"] = [chosen[f"{n}:{i}"] for n, i in enumerate(item_ids)]
    descriptions = []
    for n, item_id in enumerate(item_ids):
        item = by_id[item_id]
        product = s.box.product(str(item["product_id"])) or {"variants": {}}
        new = product["variants"].get(chosen[f"{n}:{item_id}"], {})
        descriptions.append(
            f"{item['name']} ({ex.describe_options(new.get('options', {}))}) "
            f"at {ex.money(float(new.get('price', 0)))}"
        )
    s.slots["new_items"] = "; ".join(descriptions)
    return next_()


def _pick_by_options(s: StepInput, item: dict[str, Any] | None, ids: list[str]) -> int | None:
    """Of the variants offered, the one this message's options point to ("size S please")."""
    if item is None:
        return None
    product = s.box.product(str(item["product_id"])) or {"variants": {}}
    scores = [ex.option_score(s.current, product["variants"].get(i, {}).get("options", {})) for i in ids]
    best = max((hit - 2 * miss for hit, miss in scores), default=0)
    if best <= 0:
        return None
    top = [n for n, (hit, miss) in enumerate(scores) if hit - 2 * miss == best]
    return top[0] if len(top) == 1 else None


def _variant_problem(
    item: dict[str, Any], result: ex.VariantChoice | None, variants: list[dict[str, Any]]
) -> str:
    name = item["name"]
    available = [v for v in variants if v.get("available") and str(v["item_id"]) != str(item["item_id"])]
    choices = _option_summary(available)
    if result is None or result.problem == "not_said":
        return (
            f"What would you like instead of the {name} ({ex.describe_options(item['options'])})? "
            f"Available options: {choices}."
        )
    if result.problem == "same":
        return (
            f"That is the same {name} you have now. What would you like to change about it? "
            f"Available options: {choices}."
        )
    if result.problem == "compromise":
        if len(result.candidates) == 1:
            only = result.candidates[0]
            return (
                f"The {name} isn't available that way with its other options as they are. The closest "
                f"I have is {ex.describe_options(only['options'])} ({ex.money(float(only.get('price', 0)))})"
                ". Shall I use that one, or would you like something else?"
            )
        return (
            f"The {name} isn't available that way with its other options as they are. The closest "
            f"I have: {_numbered(result.candidates)}. Which one would you like?"
        )
    if result.problem == "unavailable":
        return f"That {name} is not available right now. Available options: {choices}. Which would you like?"
    return f"More than one {name} fits that: {_numbered(result.candidates)}. Which one would you like?"


def _numbered(variants: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{n}) {ex.describe_options(v['options'])} ({ex.money(float(v.get('price', 0)))})"
        for n, v in enumerate(variants[:5], start=1)
    )


def _option_summary(variants: list[dict[str, Any]]) -> str:
    values: dict[str, list[str]] = {}
    for v in variants:
        for key, value in v.get("options", {}).items():
            if str(value) not in values.setdefault(key, []):
                values[key].append(str(value))
    summary = "; ".join(f"{k}: {', '.join(vs)}" for k, vs in values.items())
    if not summary:
        return "none"
    combinations = 1
    for vs in values.values():
        combinations *= len(vs)
    return summary + (" (not every combination exists)" if combinations > len(variants) else "")
