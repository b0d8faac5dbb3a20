"""What the customer reads when a person decides an action the AI held for approval: in their
language, in plain words, and saying what happens next (a return approved is not money back yet).

``decision_text(outcome, tool, args, amount, language, detail)``: ``outcome`` is ``approved``,
``failed`` or ``denied``; ``detail`` the failure's reason or the approver's note (sent as written).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from relaydesk.governance.actions import money

WHAT: dict[str, dict[str, str]] = {  # the request, in words: "{order}" and "{amount}" filled in
    "return_delivered_order_items": {
        "en": "the return and refund for order {order}{amount}",
        "es": "la devolución y el reembolso del pedido {order}{amount}",
        "fr": "le retour et le remboursement de la commande {order}{amount}",
        "de": "die Rücksendung und Erstattung für die Bestellung {order}{amount}",
        "pt": "a devolução e o reembolso da encomenda {order}{amount}",
    },
    "cancel_pending_order": {
        "en": "cancelling order {order}{amount}",
        "es": "la cancelación del pedido {order}{amount}",
        "fr": "l'annulation de la commande {order}{amount}",
        "de": "die Stornierung der Bestellung {order}{amount}",
        "pt": "o cancelamento da encomenda {order}{amount}",
    },
    "exchange_delivered_order_items": {
        "en": "the exchange for order {order}{amount}",
        "es": "el cambio del pedido {order}{amount}",
        "fr": "l'échange pour la commande {order}{amount}",
        "de": "den Umtausch für die Bestellung {order}{amount}",
        "pt": "a troca da encomenda {order}{amount}",
    },
    "": {
        "en": "your request for order {order}{amount}",
        "es": "tu solicitud para el pedido {order}{amount}",
        "fr": "votre demande pour la commande {order}{amount}",
        "de": "Ihre Anfrage zur Bestellung {order}{amount}",
        "pt": "o seu pedido para a encomenda {order}{amount}",
    },
}

NEXT: dict[str, dict[str, str]] = {  # what happens now that it is approved and done
    "return_delivered_order_items": {
        "en": "You'll get a prepaid return label by e-mail; the refund is made once the item reaches us.",
        "es": "Recibirás por correo una etiqueta de devolución prepagada; el reembolso se hace cuando el "
        "artículo nos llegue.",
        "fr": "Vous recevrez par e-mail une étiquette de retour prépayée ; le remboursement est fait dès que "
        "l'article nous parvient.",
        "de": "Sie erhalten per E-Mail ein vorausbezahltes Rücksendeetikett; die Erstattung erfolgt, sobald "
        "der Artikel bei uns ankommt.",
        "pt": "Vai receber por e-mail uma etiqueta de devolução pré-paga; o reembolso é feito quando o "
        "artigo chegar até nós.",
    },
    "cancel_pending_order": {
        "en": "The order is cancelled and the money goes back to how you paid.",
        "es": "El pedido está cancelado y el dinero vuelve a tu forma de pago.",
        "fr": "La commande est annulée et l'argent revient sur votre moyen de paiement.",
        "de": "Die Bestellung ist storniert, und das Geld geht auf Ihr Zahlungsmittel zurück.",
        "pt": "A encomenda está cancelada e o dinheiro volta para o seu meio de pagamento.",
    },
    "exchange_delivered_order_items": {
        "en": "You'll get a prepaid label by e-mail; the new item is sent once yours reaches us.",
        "es": "Recibirás por correo una etiqueta prepagada; el artículo nuevo se envía cuando el tuyo nos "
        "llegue.",
        "fr": "Vous recevrez par e-mail une étiquette prépayée ; le nouvel article part dès que le vôtre "
        "nous parvient.",
        "de": "Sie erhalten per E-Mail ein vorausbezahltes Etikett; der neue Artikel wird verschickt, sobald "
        "Ihrer bei uns ankommt.",
        "pt": "Vai receber por e-mail uma etiqueta pré-paga; o artigo novo é enviado quando o seu chegar "
        "até nós.",
    },
    "": {
        "en": "It's done.",
        "es": "Ya está hecho.",
        "fr": "C'est fait.",
        "de": "Es ist erledigt.",
        "pt": "Está feito.",
    },
}

SAID: dict[str, dict[str, str]] = {
    "approved": {
        "en": "Good news: a member of our team approved {what}. {next}",
        "es": "Buenas noticias: una persona de nuestro equipo aprobó {what}. {next}",
        "fr": "Bonne nouvelle : un membre de notre équipe a approuvé {what}. {next}",
        "de": "Gute Nachricht: Ein Mitglied unseres Teams hat {what} genehmigt. {next}",
        "pt": "Boas notícias: uma pessoa da nossa equipa aprovou {what}. {next}",
    },
    "failed": {
        "en": "A member of our team approved {what}, but it could not be done: {detail} A person will "
        "follow up with you here.",
        "es": "Una persona de nuestro equipo aprobó {what}, pero no se pudo hacer: {detail} Una persona te "
        "responderá aquí.",
        "fr": "Un membre de notre équipe a approuvé {what}, mais cela n'a pas pu être fait : {detail} Une "
        "personne vous répondra ici.",
        "de": "Ein Mitglied unseres Teams hat {what} genehmigt, aber es konnte nicht ausgeführt werden: "
        "{detail} Eine Person meldet sich hier bei Ihnen.",
        "pt": "Uma pessoa da nossa equipa aprovou {what}, mas não foi possível concluir: {detail} Uma pessoa "
        "vai responder-lhe aqui.",
    },
    "denied": {
        "en": "A member of our team reviewed {what} and could not approve it.",
        "es": "Una persona de nuestro equipo revisó {what} y no pudo aprobarlo.",
        "fr": "Un membre de notre équipe a examiné {what} et n'a pas pu l'approuver.",
        "de": "Ein Mitglied unseres Teams hat {what} geprüft und konnte es nicht genehmigen.",
        "pt": "Uma pessoa da nossa equipa analisou {what} e não pôde aprová-lo.",
    },
}
REQUEST = {
    "en": "your request",
    "es": "tu solicitud",
    "fr": "votre demande",
    "de": "Ihre Anfrage",
    "pt": "o seu pedido",
}
REASON_LABEL = {"en": "Their note:", "es": "Su nota:", "fr": "Sa note :", "de": "Die Notiz:", "pt": "A nota:"}


def decision_text(
    outcome: str,
    tool: str,
    args: Mapping[str, Any],
    amount: float | None,
    language: str,
    detail: str | None = None,
) -> str:
    """The customer's message for a decision on a held action (see the module)."""
    language = language if language in SAID["approved"] else "en"
    order = str(args.get("order_id") or "").strip()
    cost = f" ({money(amount)})" if amount is not None else ""
    if order:
        what = (WHAT.get(tool) or WHAT[""])[language].format(order=order, amount=cost)
    else:  # an action on no order (an account's address): the request, not an order with no number
        what = REQUEST[language] + cost
    next_step = (NEXT.get(tool) or NEXT[""])[language]
    text = SAID[outcome][language].format(what=what, next=next_step, detail=(detail or "").strip())
    if outcome == "denied" and detail and detail.strip():
        text += f" {REASON_LABEL[language]} {detail.strip()}"
    return text.strip()
