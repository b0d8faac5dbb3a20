"""Where an order stands, said plainly when a flow cannot go on because of it (a request already
made on the order, a cancelled order, one already on its way or delivered), and the offer of a
person that follows, in English, Spanish, French, German and Portuguese (``flow_texts.py`` reads
them with the library's other lines; ``steps/standing.py`` says them)."""

from __future__ import annotations

STANDING_TEXTS: dict[str, dict[str, str]] = {
    "standing.awaiting": {
        "en": "You already asked for {request} of {items} on order {order_id}{when}; it is waiting for "
        "a team member's approval, and I'll tell you here as soon as they decide.",
        "es": "Ya existe una solicitud de {request} para {items} del pedido {order_id}{when}; está "
        "esperando la aprobación de alguien del equipo, y te lo diré aquí en cuanto decida.",
        "fr": "Une demande de {request} pour {items} de la commande {order_id} a déjà été faite{when} ; "
        "elle attend l'accord d'un membre de l'équipe, et je vous le dirai ici dès qu'il aura décidé.",
        "de": "Für {items} aus der Bestellung {order_id} wurde{when} bereits ein Antrag auf {request} "
        "gestellt; er wartet auf die Freigabe durch jemanden aus dem Team, und ich sage Ihnen hier "
        "Bescheid, sobald entschieden ist.",
        "pt": "Já foi feito{when} um pedido de {request} para {items} da encomenda {order_id}; está à "
        "espera da aprovação de alguém da equipa, e digo-lhe aqui assim que decidir.",
    },
    "standing.return_requested": {
        "en": "A return of {items} from order {order_id} is already registered{when}: we are waiting "
        "for it to come back to us, and then {amount} is refunded to your {method}.",
        "es": "Ya hay registrada una devolución de {items} del pedido {order_id}{when}: esperamos a que "
        "nos llegue, y entonces se reembolsarán {amount} a tu {method}.",
        "fr": "Un retour de {items} de la commande {order_id} est déjà enregistré{when} : nous attendons "
        "qu'il nous revienne, puis {amount} seront remboursés sur votre {method}.",
        "de": "Für {items} aus der Bestellung {order_id} ist{when} bereits eine Rücksendung angemeldet: "
        "Wir warten darauf, dass sie bei uns ankommt, dann werden {amount} auf Ihr Zahlungsmittel "
        "({method}) erstattet.",
        "pt": "Já está registada{when} uma devolução de {items} da encomenda {order_id}: estamos à espera "
        "que nos chegue, e depois {amount} serão reembolsados no seu {method}.",
    },
    "standing.exchange_requested": {
        "en": "An exchange of {items} from order {order_id} is already registered{when}: we are waiting "
        "for it to come back to us, and then the new one is sent.",
        "es": "Ya hay registrado un cambio de {items} del pedido {order_id}{when}: esperamos a que nos "
        "llegue, y entonces se envía el nuevo.",
        "fr": "Un échange de {items} de la commande {order_id} est déjà enregistré{when} : nous attendons "
        "qu'il nous revienne, puis le nouvel article est envoyé.",
        "de": "Für {items} aus der Bestellung {order_id} ist{when} bereits ein Umtausch angemeldet: Wir "
        "warten darauf, dass der Artikel bei uns ankommt, dann wird der neue verschickt.",
        "pt": "Já está registada{when} uma troca de {items} da encomenda {order_id}: estamos à espera que "
        "nos chegue, e depois o novo é enviado.",
    },
    "standing.cancelled": {
        "en": "Order {order_id} is already cancelled{when}.",
        "es": "El pedido {order_id} ya está cancelado{when}.",
        "fr": "La commande {order_id} est déjà annulée{when}.",
        "de": "Die Bestellung {order_id} ist bereits storniert{when}.",
        "pt": "A encomenda {order_id} já está cancelada{when}.",
    },
    "standing.refunded": {
        "en": "{amount} has been refunded to your {method}.",
        "es": "Se han reembolsado {amount} a tu {method}.",
        "fr": "{amount} ont été remboursés sur votre {method}.",
        "de": "{amount} wurden auf Ihr Zahlungsmittel ({method}) erstattet.",
        "pt": "Foram reembolsados {amount} no seu {method}.",
    },
    "standing.shipped": {
        "en": "Order {order_id} has already left our warehouse and is on its way, so it can no longer be "
        "cancelled or changed. Once it arrives, you can return or exchange what you don't want.",
        "es": "El pedido {order_id} ya ha salido de nuestro almacén y está en camino, así que ya no se "
        "puede cancelar ni cambiar. Cuando llegue, puedes devolver o cambiar lo que no quieras.",
        "fr": "La commande {order_id} a déjà quitté notre entrepôt et est en route ; elle ne peut donc "
        "plus être annulée ni modifiée. Une fois arrivée, vous pourrez retourner ou échanger ce que vous "
        "ne voulez pas.",
        "de": "Die Bestellung {order_id} hat unser Lager bereits verlassen und ist unterwegs, deshalb kann "
        "sie nicht mehr storniert oder geändert werden. Wenn sie angekommen ist, können Sie "
        "zurücksenden oder umtauschen, was Sie nicht möchten.",
        "pt": "A encomenda {order_id} já saiu do nosso armazém e está a caminho, por isso já não pode ser "
        "cancelada nem alterada. Quando chegar, pode devolver ou trocar o que não quiser.",
    },
    "standing.delivered": {
        "en": "Order {order_id} has already been delivered, so it can no longer be cancelled or changed; "
        "you can return or exchange items from it instead.",
        "es": "El pedido {order_id} ya se ha entregado, así que ya no se puede cancelar ni cambiar; en su "
        "lugar puedes devolver o cambiar artículos.",
        "fr": "La commande {order_id} a déjà été livrée ; elle ne peut donc plus être annulée ni modifiée, "
        "mais vous pouvez en retourner ou échanger des articles.",
        "de": "Die Bestellung {order_id} wurde bereits zugestellt, deshalb kann sie nicht mehr storniert "
        "oder geändert werden; Sie können stattdessen Artikel daraus zurücksenden oder umtauschen.",
        "pt": "A encomenda {order_id} já foi entregue, por isso já não pode ser cancelada nem alterada; "
        "em vez disso, pode devolver ou trocar artigos dela.",
    },
    "standing.not_delivered": {
        "en": "Order {order_id} hasn't reached you yet (it is {status}), so there is nothing to return, "
        "exchange or refund on it yet.",
        "es": "El pedido {order_id} aún no te ha llegado (está {status}), así que todavía no hay nada que "
        "devolver, cambiar o reembolsar.",
        "fr": "La commande {order_id} ne vous est pas encore parvenue (elle est {status}) ; il n'y a donc "
        "encore rien à retourner, échanger ou rembourser.",
        "de": "Die Bestellung {order_id} ist noch nicht bei Ihnen angekommen (sie ist {status}), deshalb "
        "gibt es noch nichts zurückzusenden, umzutauschen oder zu erstatten.",
        "pt": "A encomenda {order_id} ainda não lhe chegou (está {status}), por isso ainda não há nada "
        "para devolver, trocar ou reembolsar.",
    },
    "standing.offer_person": {
        "en": "If you still want something done about it, just say so and I'll bring in a person from our "
        "team.",
        "es": "Si aun así quieres que se haga algo, dímelo y te paso con una persona del equipo.",
        "fr": "Si vous souhaitez tout de même que quelque chose soit fait, dites-le et je fais venir une "
        "personne de l'équipe.",
        "de": "Wenn Sie trotzdem möchten, dass etwas unternommen wird, sagen Sie es einfach, dann hole ich "
        "jemanden aus unserem Team dazu.",
        "pt": "Se ainda assim quiser que se faça alguma coisa, diga-me e chamo uma pessoa da equipa.",
    },
    "standing.no_person": {
        "en": "All right. {anything_else}",
        "es": "De acuerdo. {anything_else}",
        "fr": "Très bien. {anything_else}",
        "de": "In Ordnung. {anything_else}",
        "pt": "Combinado. {anything_else}",
    },
    "standing.today": {"en": " today", "es": " (hoy)", "fr": " aujourd'hui", "de": " heute", "pt": " hoje"},
    "standing.on_date": {
        "en": " on {date}",
        "es": " (el {date})",
        "fr": " le {date}",
        "de": " am {date}",
        "pt": " em {date}",
    },
    "request.return": {
        "en": "a return and refund",
        "es": "devolución con reembolso",
        "fr": "retour avec remboursement",
        "de": "Rücksendung mit Erstattung",
        "pt": "devolução com reembolso",
    },
    "request.exchange": {
        "en": "an exchange",
        "es": "cambio",
        "fr": "échange",
        "de": "Umtausch",
        "pt": "troca",
    },
    "request.cancellation": {
        "en": "a cancellation",
        "es": "cancelación",
        "fr": "annulation",
        "de": "Stornierung",
        "pt": "cancelamento",
    },
    "request.change": {
        "en": "a change",
        "es": "modificación",
        "fr": "modification",
        "de": "Änderung",
        "pt": "alteração",
    },
}
