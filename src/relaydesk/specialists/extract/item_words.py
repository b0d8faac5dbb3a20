"""Items of one order named the way customers name them: part of the name ("the security camera",
"the jigsaw"), a word for the kind of product ("the shoes" for the Hiking Boots, "la cámara"), or
an option when the name says nothing ("the red one", "the 4K one").

Only the items of the order being discussed are candidates, so a loose word is safe: "the camera"
in an order with one camera is that camera. A word that fits two products of the order decides
nothing, and the flow asks again with the order's items listed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from relaydesk.specialists.extract.items import ItemMatch, option_score

KIND_WORDS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "camera cam webcam cámara camara caméra kamera câmara câmera",
        "boot shoe sneaker trainer footwear bota zapato zapatilla chaussure botte basket stiefel schuh "
        "sapato sapatilha ténis",
        "bottle flask botella bouteille gourde flasche garrafa",
        "puzzle jigsaw rompecabeza quebra-cabeça",
        "headphone headset earphone auricular casque kopfhörer",
        "earbud bud airpod earphone",
        "watch smartwatch wristwatch reloj montre uhr relógio",
        "phone smartphone cellphone mobile teléfono móvil téléphone handy telemóvel celular",
        "laptop computer portátil ordinateur notebook",
        "tablet ipad tableta tablette",
        "shirt tshirt tee camiseta camisa chemise hemd",
        "jacket fleece coat chaqueta veste jacke casaco",
        "kettle hervidor bouilloire wasserkocher chaleira",
        "lamp lámpara lampe lampe candeeiro",
        "bulb bombilla ampoule glühbirne lâmpada",
        "bike bicycle bicicleta vélo fahrrad",
        "helmet casco casque helm capacete",
        "grill bbq barbecue parrilla barbacoa churrasqueira",
        "suitcase luggage maleta valise koffer",
        "backpack bag rucksack mochila sac",
        "speaker altavoz enceinte lautsprecher coluna",
        "charger powerbank cargador chargeur ladegerät carregador",
        "vacuum hoover aspiradora aspirateur staubsauger aspirador",
        "clock reloj horloge",
        "chair seat silla chaise stuhl cadeira",
        "shelf bookshelf bookcase estantería étagère regal estante",
        "sunglass shade gafa lunette sonnenbrille óculo",
        "reader ereader kindle",
        "purifier purificador purificateur luftreiniger",
        "toothbrush cepillo brosse zahnbürste",
        "dumbbell weight mancuerna haltère hantel haltere",
        "perfume fragrance cologne parfum",
        "makeup cosmetic maquillaje maquillage",
        "mat esterilla tapis matte tapete",
        "umbrella parasol sombrilla",
        "hose manguera tuyau schlauch mangueira",
        "thermostat termostato thermostat",
        "keyboard teclado clavier tastatur",
        "mouse ratón souris maus rato",
        "skateboard skate",
        "coffee espresso café cafetera cafetière kaffeemaschine",
        "bed cama",
    )
)
"""Words for the same kind of product, in English, Spanish, French, German and Portuguese: a word
of a group names an item whose name has any word of that group."""
WEAK = frozenset(
    {
        "set", "smart", "air", "water", "light", "led", "pet", "wall", "running", "action",
        "office", "electric", "digital", "portable", "wireless", "mechanical", "gaming", "indoor",
    }
)  # fmt: skip
"""Words of product names too common to name an item alone ("water got into the camera")."""
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?", re.UNICODE)


def singular(word: str) -> str:
    word = word.lower()
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


def _name_words(name: str) -> set[str]:
    """The words of a product name, singular, with a hyphenated one also joined ("tshirt")."""
    words = {singular(w) for w in re.split(r"[\s-]+", name.lower()) if len(w) >= 3}
    joined = singular(re.sub(r"[\s-]+", "", name.lower()))
    if "-" in name:
        words.add(joined)
    return words


def _vocabulary(name: str) -> tuple[set[str], set[str]]:
    """(strong words, weak words) that name an item of this product."""
    words = _name_words(name)
    strong = {w for w in words if w not in WEAK}
    for group in KIND_WORDS:
        if {singular(g) for g in group} & strong:
            strong |= {singular(g) for g in group}
    return strong, words & WEAK


def loose_items(
    text: str, items: Sequence[Mapping[str, Any]], *, by_options: bool = False
) -> ItemMatch | None:
    """The order's items ``text`` names loosely; None when it names none or is unclear (a word that
    fits two products and nothing to tell them apart). ``by_options``: the text answers "which
    item?", so an option alone ("the red one") may name it."""
    tokens = {singular(w) for w in WORD.findall(text)}
    tokens |= {t.replace("-", "") for t in tokens if "-" in t}
    names = list(dict.fromkeys(str(i["name"]) for i in items))
    vocab = {name: _vocabulary(name) for name in names}
    for strength in (0, 1):
        hits = {name: tokens & vocab[name][strength] for name in names}
        hits = {name: words for name, words in hits.items() if words}
        if hits:
            return _by_words(text, items, hits)
    if not by_options:
        return None
    scores = [option_score(text, i.get("options", {}))[0] for i in items]
    best = max(scores, default=0)
    top = [i for i, score in zip(items, scores, strict=True) if best > 0 and score == best]
    if len({str(i["name"]) for i in top}) != 1:
        return None
    return _one_product(text, top)


def _by_words(text: str, items: Sequence[Mapping[str, Any]], hits: dict[str, set[str]]) -> ItemMatch | None:
    # a product is named when a word fits it alone; "camera" in an order with two cameras names
    # neither, unless another word ("security") tells which
    named = {name for name, words in hits.items() if any(_only(word, hits) for word in words)}
    shared = {word for words in hits.values() for word in words if not _only(word, hits)}
    if any(not any(word in hits[name] for name in named) for word in shared):
        return None
    match = ItemMatch()
    for name in sorted(named, key=lambda n: text.lower().find(next(iter(hits[n])))):
        one = _one_product(text, [i for i in items if str(i["name"]) == name])
        if one is None:
            return None
        match.item_ids += one.item_ids
        match.ambiguous += one.ambiguous
    return match


def _only(word: str, hits: dict[str, set[str]]) -> bool:
    return sum(1 for words in hits.values() if word in words) == 1


def _one_product(text: str, same: Sequence[Mapping[str, Any]]) -> ItemMatch | None:
    """The item of one product the text means: the only one, the one its options point to, or one
    of several alike; items that differ and nothing telling them apart are ambiguous."""
    if not same:
        return None
    scores = [option_score(text, i.get("options", {}))[0] for i in same]
    best = max(scores)
    top = [i for i, score in zip(same, scores, strict=True) if score == best]
    if len(top) == 1 or all(dict(i.get("options", {})) == dict(top[0].get("options", {})) for i in top):
        return ItemMatch(item_ids=[str(top[0]["item_id"])])
    return ItemMatch(ambiguous=[str(same[0]["name"])])
