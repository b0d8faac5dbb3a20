"""Whether a message is about the business at all: what tells "what's the capital of Australia"
(declined politely) from "is the blender dishwasher safe" (a shop question the help center may not
cover, for a person).

A message is *off-topic* when nothing in it touches shopping or support: no word of the shop's
vocabulary (orders, deliveries, money, accounts, products; in the five languages the AI speaks),
no order id, e-mail or amount, and the intent model does not place it among the desk's requests
with confidence. The vocabulary is a list of word stems, matched at the start of words, so
"refunded" and "deliveries" count. A team adds its own words (product lines, brand names) with
``extra_words`` (a stem ending in ``$`` matches only the whole word: ``fee$`` is not in "feel").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from relaydesk.dialogue.opportunity import opportunity
from relaydesk.domain.capability_types import TriageResult

_STEMS = """
order pedid command bestell encomend purchas buy bought sell sold shop store tienda boutique laden
loja deliver ship parcel package packag track courier carrier postage postal mail envío envio entreg
livr lieferung paket versand colis sendung arriv dispatch refund reembols rembours erstatt devol
return retour rücksend rucksend exchang swap replac cambi échang umtausch troc pay paid charg bill
invoice pricing receipt card credit debit paypal bank money price cost discount coupon promo voucher gift
sale$ sales$ tax$ taxes$ fee$ fees$ pago pag cobr tarjeta factur precio descuento paiement payé
carte prix remise zahl rechnung karte preis rabatt gutschein pagamento cartão cartao preço desconto
fatura account password login logged logging signin sign-in email e-mail address profile subscri
member plus$ cuenta contraseña compte mot konto passwort conta senha product item size color colour
stock warrant guarante broken damag defect faulty wrong missing stuck dañ roto defectu abîm cassé
kaputt beschädig defekt danific partid avari cancel cancell anul annul stornier storn kettle blender
heater chair lamp bottle backpack keyboard headphone speaker smartwatch camera phone tablet laptop
shoe shirt jacket hoodie tshirt t-shirt jeans bag$ bags$ wallet sofa desk$ mattress bed$ beds$
vacuum cleaner grill tent bike bicycle skate puzzle book garden hose drill tool thermostat agent$
agents$ person human manager$ complaint complain northwind nwg garant réclamation reclamaci reklamation
verif vérif secur sécur sicher segur anmeld two-factor two-step 2fa opening hours horario öffnungszeit
invoice
"""
SHOP_STEMS = tuple(_STEMS.split())
MONEY_OR_ID = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+|\b[Ww][- ]?\d{3}[- ]?\d{4}\b|#\s?\w+|"
    r"[$€£]\s?\d|\d\s?(usd|eur|gbp|dollars?|euros?)\b",
    re.IGNORECASE,
)
WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)
INJECTION = re.compile(
    r"\b(ignore|disregard|forget|override|bypass) (all |any |your |the |my |previous |prior |earlier |above |"
    r"these |those )*(instructions|rules|prompt|guidelines|policies|polic(y|ies)|restrictions|guardrails)|"
    r"system prompt|developer mode|dev mode|jailbreak|\bdan\b|you are now|from now on you|new instructions|"
    r"pretend (to be|you are|you're)|act as (a|an|my)|role ?play|admin(istrator)? override|"
    r"\[(system|admin)\]|"
    r"^\W*system\s*:|i'?m (the|your) (ceo|owner|admin|administrator|developer|boss)|this is the ceo|"
    r"(i'?m|i am|we are|this is) (from )?(the )?\w* ?(security|it|audit|compliance|fraud) team|for an audit|"
    r"(list|show|print|give me|send me|dump) (all|every|the) .{0,40}(of|for) (another|other|all) customers?|"
    r"(print|list|dump) (all|every) (customer|user|email)|"
    r"(olvida|ignora) (tus|las|todas las) (instrucciones|reglas)|(oublie|ignore) (tes|vos|les|toutes les) "
    r"(instructions|règles)|(vergiss|ignoriere) (deine|alle|die) (anweisungen|regeln)|"
    r"(esqueça|esqueca|ignore) (suas|as|todas as) (instruções|instrucoes|regras)|"
    r"(finish|complete) (this|the|my) sentence|"
    r"say something (really )?(rude|mean|bad|offensive|nasty)|\{\{|\}\}",
    re.IGNORECASE,
)
"""Attempts to steer the assistant instead of asking it something: declined like a question
outside the business, unless the rest of the message asks something real."""
_CLAUSES = re.compile(r"(?<=[.!?\n,;])\s+|\s+(?:also|and also|btw|plus)\s+", re.IGNORECASE)
MIN_WORDS = 3
"""Shorter messages ("65", "Hy", "the blue one") are too little to call off-topic: they are asked."""
CONFIDENT_INTENT = 0.75


class TopicReader:
    def __init__(self, extra_words: Iterable[str] = ()) -> None:
        stems = sorted({*SHOP_STEMS, *(w.lower() for w in extra_words)}, key=len, reverse=True)
        parts = [re.escape(s[:-1]) + r"\b" if s.endswith("$") else re.escape(s) for s in stems]
        self._shop = re.compile(r"\b(" + "|".join(parts) + ")", re.IGNORECASE)

    def without_injection(self, text: str) -> str:
        """``text`` without the clauses that try to steer the assistant (what a search should read)."""
        if not INJECTION.search(text):
            return text
        kept = " ".join(c for c in _CLAUSES.split(text) if c and not INJECTION.search(c))
        return re.sub(r"\{\{.*?\}\}", " ", kept).strip() or text

    def about_the_business(self, text: str) -> bool:
        return bool(self._shop.search(text) or MONEY_OR_ID.search(text) or opportunity(text))

    def off_topic(self, text: str, triage: TriageResult | None) -> bool:
        """True when the message is plainly not about shopping or support (an attempt to steer the
        assistant counts as not about it)."""
        if INJECTION.search(text):
            rest = " ".join(c for c in _CLAUSES.split(text) if c and not INJECTION.search(c))
            return not self.about_the_business(rest)
        if len(WORD.findall(text)) < MIN_WORDS or self.about_the_business(text):
            return False
        if triage is not None and triage.wants_human:
            return False
        return not (triage is not None and triage.in_scope and triage.confidence >= CONFIDENT_INTENT)


DEFAULT_READER = TopicReader()
