"""What the step library says about orders, items, payments, products, addresses, refunds and an
order's status, in English, Spanish, French, German and Portuguese (``flow_texts.py`` reads them,
with the library's other lines)."""

from __future__ import annotations

ORDER_TEXTS: dict[str, dict[str, str]] = {
    "order.which": {
        "en": "Which order is it?",
        "es": "¿De qué pedido se trata?",
        "fr": "De quelle commande s'agit-il ?",
        "de": "Um welche Bestellung geht es?",
        "pt": "De que encomenda se trata?",
    },
    "order.is_it": {
        "en": "Is it order {order}?",
        "es": "¿Es el pedido {order}?",
        "fr": "S'agit-il de la commande {order} ?",
        "de": "Geht es um die Bestellung {order}?",
        "pt": "É a encomenda {order}?",
    },
    "order.listing": {
        "en": "{question} These are the ones I can see:\n{listing}",
        "es": "{question} Estos son los que veo:\n{listing}",
        "fr": "{question} Voici celles que je vois :\n{listing}",
        "de": "{question} Diese sehe ich:\n{listing}",
        "pt": "{question} Estas são as que vejo:\n{listing}",
    },
    "order.none_fitting": {
        "en": "I don't see any {kind} order on your account that I could use for this. Your orders: "
        "{listing}. {anything_else}",
        "es": "No veo en tu cuenta ningún pedido {kind} con el que pueda hacer esto. Tus pedidos: "
        "{listing}. {anything_else}",
        "fr": "Je ne vois sur votre compte aucune commande {kind} pour laquelle je puisse le faire. Vos "
        "commandes : {listing}. {anything_else}",
        "de": "Ich sehe auf Ihrem Konto keine Bestellung mit dem Status {kind}, bei der das möglich ist. "
        "Ihre Bestellungen: {listing}. {anything_else}",
        "pt": "Não vejo na sua conta nenhuma encomenda {kind} com que possa fazer isto. As suas "
        "encomendas: {listing}. {anything_else}",
    },
    "order.not_found": {
        "en": "I couldn't find order {order_id} on your account. Could you check the number? It starts "
        "with #W and has seven digits.",
        "es": "No encuentro el pedido {order_id} en tu cuenta. ¿Puedes comprobar el número? Empieza por "
        "#W y tiene siete cifras.",
        "fr": "Je ne trouve pas la commande {order_id} sur votre compte. Pouvez-vous vérifier le numéro ? "
        "Il commence par #W et compte sept chiffres.",
        "de": "Ich finde die Bestellung {order_id} nicht auf Ihrem Konto. Können Sie die Nummer prüfen? "
        "Sie beginnt mit #W und hat sieben Ziffern.",
        "pt": "Não encontro a encomenda {order_id} na sua conta. Pode verificar o número? Começa por #W "
        "e tem sete algarismos.",
    },
    "order.still_not_found": {
        "en": "{order_id} is still not on the account you confirmed; the orders I can see there are: "
        '{mine}. If it was placed with another e-mail address, tell me that address, or say "a person" '
        "and someone from our team will look into it.",
        "es": "{order_id} sigue sin estar en la cuenta que confirmaste; los pedidos que veo allí son: "
        '{mine}. Si se hizo con otro correo, dime cuál, o escribe "una persona" y alguien del equipo '
        "lo revisará.",
        "fr": "{order_id} n'est toujours pas sur le compte que vous avez confirmé ; les commandes que j'y "
        "vois sont : {mine}. Si elle a été passée avec une autre adresse e-mail, donnez-la-moi, ou "
        "écrivez « une personne » et quelqu'un de l'équipe s'en occupera.",
        "de": "{order_id} ist weiterhin nicht auf dem bestätigten Konto; dort sehe ich diese "
        "Bestellungen: {mine}. Wurde sie mit einer anderen E-Mail-Adresse aufgegeben, nennen Sie mir "
        'diese, oder schreiben Sie „ein Mensch", dann kümmert sich jemand aus dem Team darum.',
        "pt": "{order_id} continua a não estar na conta que confirmou; as encomendas que vejo lá são: "
        '{mine}. Se foi feita com outro e-mail, diga-me qual, ou escreva "uma pessoa" e alguém da '
        "equipa vai analisar.",
    },
    "order.wrong_status": {
        "en": "Order {order_id} is {status}, and to {title} the order has to be {statuses}, so I can't do "
        "it for this one. {anything_else}",
        "es": "El pedido {order_id} está {status}, y para esto (\u201c{title}\u201d) tiene que estar "
        "{statuses}, así que no puedo hacerlo con este. {anything_else}",
        "fr": "La commande {order_id} est {status}, et pour cela (« {title} ») elle doit être "
        "{statuses} ; je ne peux donc pas le faire pour celle-ci. {anything_else}",
        "de": "Die Bestellung {order_id} ist {status}, und dafür („{title}\u201c) muss sie {statuses} "
        "sein, deshalb geht das bei dieser nicht. {anything_else}",
        "pt": "A encomenda {order_id} está {status}, e para isto (\u201c{title}\u201d) tem de estar "
        "{statuses}, por isso não o posso fazer nesta. {anything_else}",
    },
    "order.status_is": {
        "en": "Order {order_id} is {status}.",
        "es": "El pedido {order_id} está {status}.",
        "fr": "La commande {order_id} est {status}.",
        "de": "Die Bestellung {order_id} ist {status}.",
        "pt": "A encomenda {order_id} está {status}.",
    },
    "items.which": {
        "en": "Which item(s) is it about?",
        "es": "¿De qué artículo(s) se trata?",
        "fr": "De quel(s) article(s) s'agit-il ?",
        "de": "Um welche(n) Artikel geht es?",
        "pt": "De que artigo(s) se trata?",
    },
    "items.listing": {
        "en": "{question} Order {order_id} has:\n{listing}",
        "es": "{question} El pedido {order_id} tiene:\n{listing}",
        "fr": "{question} La commande {order_id} contient :\n{listing}",
        "de": "{question} Die Bestellung {order_id} enthält:\n{listing}",
        "pt": "{question} A encomenda {order_id} tem:\n{listing}",
    },
    "items.more_than_one": {
        "en": "Your order has more than one {name}: {options}. Which one do you mean (or both)?",
        "es": "Tu pedido tiene más de un {name}: {options}. ¿Cuál quieres decir (o los dos)?",
        "fr": "Votre commande contient plusieurs {name} : {options}. Lequel voulez-vous dire (ou les deux) ?",
        "de": "Ihre Bestellung enthält mehr als ein {name}: {options}. Welches meinen Sie (oder beide)?",
        "pt": "A sua encomenda tem mais de um {name}: {options}. Qual quer dizer (ou os dois)?",
    },
    "items.unknown": {
        "en": "Order {order_id} has no {unknown}{also}. It has:\n{listing}\nWhich item(s) do you mean?",
        "es": "El pedido {order_id} no tiene ningún {unknown}{also}. Tiene:\n{listing}\n¿Qué artículo(s) "
        "quieres decir?",
        "fr": "La commande {order_id} ne contient pas de {unknown}{also}. Elle contient :\n{listing}\n"
        "De quel(s) article(s) parlez-vous ?",
        "de": "Die Bestellung {order_id} enthält kein {unknown}{also}. Sie enthält:\n{listing}\n"
        "Welche(n) Artikel meinen Sie?",
        "pt": "A encomenda {order_id} não tem nenhum {unknown}{also}. Tem:\n{listing}\nQue artigo(s) "
        "quer dizer?",
    },
    "items.found_too": {
        "en": " (I did find the {found})",
        "es": " (el {found} sí lo he encontrado)",
        "fr": " (j'ai bien trouvé : {found})",
        "de": " (gefunden habe ich: {found})",
        "pt": " (o {found} encontrei)",
    },
    "payment.which": {
        "en": "Which payment method should I {purpose}?",
        "es": "¿Qué método de pago uso?",
        "fr": "Quel moyen de paiement dois-je utiliser ?",
        "de": "Welche Zahlungsart soll ich verwenden?",
        "pt": "Que método de pagamento devo usar?",
    },
    "payment.you_have": {
        "en": "{question} You have:\n{listing}",
        "es": "{question} Tienes:\n{listing}",
        "fr": "{question} Vous avez :\n{listing}",
        "de": "{question} Sie haben:\n{listing}",
        "pt": "{question} Tem:\n{listing}",
    },
    "payment.none_of_kind": {
        "en": "I don't see a {kind} on your account, so I can't use one here. You can choose: {listing}.",
        "es": "No veo ningún método de ese tipo ({kind}) en tu cuenta, así que no puedo usarlo. Puedes "
        "elegir: {listing}.",
        "fr": "Je ne vois pas de moyen de ce type ({kind}) sur votre compte, je ne peux donc pas "
        "l'utiliser. Vous pouvez choisir : {listing}.",
        "de": "Ich sehe keine solche Zahlungsart ({kind}) auf Ihrem Konto und kann sie daher nicht "
        "verwenden. Zur Auswahl: {listing}.",
        "pt": "Não vejo nenhum método desse tipo ({kind}) na sua conta, por isso não o posso usar. Pode "
        "escolher: {listing}.",
    },
    "payment.ambiguous": {
        "en": "You have more than one of those. Which one: {listing}?",
        "es": "Tienes más de uno de esos. ¿Cuál: {listing}?",
        "fr": "Vous en avez plusieurs. Lequel : {listing} ?",
        "de": "Davon haben Sie mehrere. Welche: {listing}?",
        "pt": "Tem mais do que um desses. Qual: {listing}?",
    },
    "payment.refund_rule": {
        "en": "A refund can only go to the original payment method or a gift card.",
        "es": "Un reembolso solo puede ir al método de pago original o a una tarjeta regalo.",
        "fr": "Un remboursement ne peut aller que sur le moyen de paiement d'origine ou sur une carte "
        "cadeau.",
        "de": "Eine Erstattung kann nur auf die ursprüngliche Zahlungsart oder eine Geschenkkarte gehen.",
        "pt": "Um reembolso só pode ir para o método de pagamento original ou para um cartão-oferta.",
    },
    "payment.current": {
        "en": "That is the method the order uses now.",
        "es": "Ese es el método que usa el pedido ahora.",
        "fr": "C'est le moyen que la commande utilise déjà.",
        "de": "Diese Zahlungsart nutzt die Bestellung bereits.",
        "pt": "Esse é o método que a encomenda já usa.",
    },
    "payment.choose": {
        "en": "{why} You can choose: {listing}.",
        "es": "{why} Puedes elegir: {listing}.",
        "fr": "{why} Vous pouvez choisir : {listing}.",
        "de": "{why} Zur Auswahl: {listing}.",
        "pt": "{why} Pode escolher: {listing}.",
    },
    "address.ask": {
        "en": "What is the new address? Please write it on one line: street, apartment or suite, city, "
        "state, zip code.",
        "es": "¿Cuál es la nueva dirección? Escríbela en una línea: calle, piso o apartamento, ciudad, "
        "estado, código postal.",
        "fr": "Quelle est la nouvelle adresse ? Écrivez-la sur une ligne : rue, appartement, ville, "
        "État, code postal.",
        "de": "Wie lautet die neue Adresse? Bitte in einer Zeile: Straße, Wohnung, Stadt, Bundesstaat, "
        "Postleitzahl.",
        "pt": "Qual é a nova morada? Escreva-a numa linha: rua, apartamento, cidade, estado, código postal.",
    },
    "address.unreadable": {
        "en": "I couldn't read a complete address there. I need the street with its number, the city, "
        "the state as two capital letters (like TX) and the 5-digit zip code, separated by commas: for "
        "example 12 Oak Street, Apt 3, Austin, TX 78701.",
        "es": "No he podido leer una dirección completa. Necesito la calle con el número, la ciudad, el "
        "estado en dos mayúsculas (como TX) y el código postal de 5 cifras, separados por comas: por "
        "ejemplo 12 Oak Street, Apt 3, Austin, TX 78701.",
        "fr": "Je n'ai pas pu lire une adresse complète. Il me faut la rue avec son numéro, la ville, "
        "l'État en deux majuscules (comme TX) et le code postal à 5 chiffres, séparés par des virgules : "
        "par exemple 12 Oak Street, Apt 3, Austin, TX 78701.",
        "de": "Ich konnte keine vollständige Adresse lesen. Ich brauche Straße mit Hausnummer, Stadt, "
        "den Bundesstaat in zwei Großbuchstaben (wie TX) und die 5-stellige Postleitzahl, durch Kommas "
        "getrennt: zum Beispiel 12 Oak Street, Apt 3, Austin, TX 78701.",
        "pt": "Não consegui ler uma morada completa. Preciso da rua com o número, da cidade, do estado "
        "em duas maiúsculas (como TX) e do código postal de 5 algarismos, separados por vírgulas: por "
        "exemplo 12 Oak Street, Apt 3, Austin, TX 78701.",
    },
    "status.order": {
        "en": "Order {order_id} is {status}{meaning}. It has: {names}.",
        "es": "El pedido {order_id} está {status}{meaning}. Contiene: {names}.",
        "fr": "La commande {order_id} est {status}{meaning}. Elle contient : {names}.",
        "de": "Die Bestellung {order_id} ist {status}{meaning}. Sie enthält: {names}.",
        "pt": "A encomenda {order_id} está {status}{meaning}. Contém: {names}.",
    },
    "status.meaning.processed": {
        "en": " (it has left our warehouse)",
        "es": " (ya ha salido de nuestro almacén)",
        "fr": " (elle a quitté notre entrepôt)",
        "de": " (sie hat unser Lager verlassen)",
        "pt": " (já saiu do nosso armazém)",
    },
    "status.meaning.delivered": {
        "en": " (the carrier has marked it as delivered)",
        "es": " (el transportista lo ha marcado como entregado)",
        "fr": " (le transporteur l'a marquée comme livrée)",
        "de": " (der Zusteller hat sie als zugestellt gemeldet)",
        "pt": " (a transportadora marcou-a como entregue)",
    },
    "status.meaning.return requested": {
        "en": " (we are waiting for the items to come back)",
        "es": " (estamos esperando a que nos lleguen los artículos)",
        "fr": " (nous attendons le retour des articles)",
        "de": " (wir warten darauf, dass die Artikel zurückkommen)",
        "pt": " (estamos à espera de que os artigos cheguem)",
    },
    "status.meaning.exchange requested": {
        "en": " (we are waiting for the items to come back before sending the new ones)",
        "es": " (esperamos a que nos lleguen los artículos para enviar los nuevos)",
        "fr": " (nous attendons le retour des articles avant d'envoyer les nouveaux)",
        "de": " (wir warten auf die Rücksendung, bevor wir die neuen Artikel schicken)",
        "pt": " (esperamos que os artigos cheguem para enviar os novos)",
    },
    "status.tracking": {
        "en": " Tracking number(s): {tracking}.",
        "es": " Número(s) de seguimiento: {tracking}.",
        "fr": " Numéro(s) de suivi : {tracking}.",
        "de": " Sendungsnummer(n): {tracking}.",
        "pt": " Número(s) de seguimento: {tracking}.",
    },
    "status.not_shipped": {
        "en": " It has not shipped yet, so there is no tracking number yet.",
        "es": " Aún no se ha enviado, así que todavía no hay número de seguimiento.",
        "fr": " Elle n'est pas encore expédiée, il n'y a donc pas encore de numéro de suivi.",
        "de": " Sie wurde noch nicht versandt, daher gibt es noch keine Sendungsnummer.",
        "pt": " Ainda não foi enviada, por isso ainda não há número de seguimento.",
    },
    "status.follow_up": {
        "en": "Hello again! Has order {order_id} arrived? If anything is missing or wrong with it, just "
        "reply here.",
        "es": "¡Hola de nuevo! ¿Ha llegado el pedido {order_id}? Si falta algo o algo no está bien, "
        "responde aquí.",
        "fr": "Re-bonjour ! La commande {order_id} est-elle arrivée ? S'il manque quelque chose ou si "
        "quelque chose ne va pas, répondez ici.",
        "de": "Hallo noch einmal! Ist die Bestellung {order_id} angekommen? Wenn etwas fehlt oder nicht "
        "stimmt, antworten Sie einfach hier.",
        "pt": "Olá de novo! A encomenda {order_id} já chegou? Se faltar alguma coisa ou algo estiver "
        "errado, responda aqui.",
    },
    "status.unreadable": {
        "en": "I couldn't read order {order_id}. {anything_else}",
        "es": "No he podido consultar el pedido {order_id}. {anything_else}",
        "fr": "Je n'ai pas pu consulter la commande {order_id}. {anything_else}",
        "de": "Ich konnte die Bestellung {order_id} nicht abrufen. {anything_else}",
        "pt": "Não consegui consultar a encomenda {order_id}. {anything_else}",
    },
    "refund.done": {
        "en": "Order {order_id} has been refunded: {refunds}. A refund to a gift card is there at once; to a "
        "card or PayPal it takes 5 to 7 business days to show on your statement. {anything_else}",
        "es": "El pedido {order_id} ya está reembolsado: {refunds}. Un reembolso a una tarjeta regalo llega "
        "al momento; a una tarjeta o PayPal tarda de 5 a 7 días hábiles en aparecer. {anything_else}",
        "fr": "La commande {order_id} a été remboursée : {refunds}. Un remboursement sur carte cadeau est "
        "immédiat ; sur une carte bancaire ou PayPal, il apparaît sous 5 à 7 jours ouvrés. {anything_else}",
        "de": "Die Bestellung {order_id} wurde erstattet: {refunds}. Auf einer Geschenkkarte ist das Geld "
        "sofort da; auf einer Karte oder bei PayPal dauert es 5 bis 7 Werktage. {anything_else}",
        "pt": "A encomenda {order_id} já foi reembolsada: {refunds}. Um reembolso para cartão-oferta chega "
        "de imediato; para um cartão ou PayPal demora 5 a 7 dias úteis a aparecer. {anything_else}",
    },
    "refund.to": {
        "en": "{amount} to your {method}",
        "es": "{amount} a tu {method}",
        "fr": "{amount} sur votre {method}",
        "de": "{amount} auf {method}",
        "pt": "{amount} para o seu {method}",
    },
    "refund.waiting_for_items": {
        "en": "The return of order {order_id} is registered, and we are waiting for the items to reach us. "
        "The refund goes out as soon as they arrive; a refund to a card or PayPal then takes 5 to 7 "
        "business days to show. {anything_else}",
        "es": "La devolución del pedido {order_id} está registrada y esperamos a que nos lleguen los "
        "artículos. El reembolso sale en cuanto lleguen; a una tarjeta o PayPal tarda luego de 5 a 7 días "
        "hábiles en aparecer. {anything_else}",
        "fr": "Le retour de la commande {order_id} est enregistré et nous attendons les articles. Le "
        "remboursement part dès leur arrivée ; sur une carte ou PayPal, il apparaît ensuite sous 5 à 7 "
        "jours ouvrés. {anything_else}",
        "de": "Die Rücksendung der Bestellung {order_id} ist registriert, wir warten auf die Artikel. Die "
        "Erstattung geht raus, sobald sie ankommen; auf einer Karte oder bei PayPal dauert es dann 5 bis 7 "
        "Werktage. {anything_else}",
        "pt": "A devolução da encomenda {order_id} está registada e aguardamos que os artigos cheguem. O "
        "reembolso sai assim que chegarem; para um cartão ou PayPal demora depois 5 a 7 dias úteis a "
        "aparecer. {anything_else}",
    },
    "refund.nothing_on_record": {
        "en": "I don't see a return or a refund on order {order_id} yet, so a member of our team will look "
        "into it with you; they will see everything so far.",
        "es": "Todavía no veo ninguna devolución ni reembolso en el pedido {order_id}, así que alguien del "
        "equipo lo revisará contigo; verá todo lo hablado.",
        "fr": "Je ne vois encore ni retour ni remboursement sur la commande {order_id} ; un membre de "
        "l'équipe va donc s'en occuper avec vous, et il verra tout ce qui précède.",
        "de": "Ich sehe bei der Bestellung {order_id} noch keine Rücksendung und keine Erstattung; jemand "
        "aus dem Team kümmert sich darum und sieht alles Bisherige.",
        "pt": "Ainda não vejo nenhuma devolução nem reembolso na encomenda {order_id}, por isso alguém da "
        "equipa vai analisar consigo; vai ver tudo o que foi dito.",
    },
    "product.available": {
        "en": "Yes, the {name} is available in {wanted} ({price}):\n{listing}\n{anything_else}",
        "es": "Sí, el {name} está disponible en {wanted} ({price}):\n{listing}\n{anything_else}",
        "fr": "Oui, le {name} est disponible en {wanted} ({price}) :\n{listing}\n{anything_else}",
        "de": "Ja, {name} gibt es in {wanted} ({price}):\n{listing}\n{anything_else}",
        "pt": "Sim, o {name} está disponível em {wanted} ({price}):\n{listing}\n{anything_else}",
    },
    "product.price_range": {
        "en": "{low} to {high}",
        "es": "de {low} a {high}",
        "fr": "de {low} à {high}",
        "de": "{low} bis {high}",
        "pt": "de {low} a {high}",
    },
    "product.not_in": {
        "en": "Sorry, the {name} is not available in {wanted} right now. Available options: {options}. "
        "{anything_else}",
        "es": "Lo siento, el {name} no está disponible en {wanted} ahora mismo. Opciones disponibles: "
        "{options}. {anything_else}",
        "fr": "Désolé, le {name} n'est pas disponible en {wanted} pour le moment. Options disponibles : "
        "{options}. {anything_else}",
        "de": "{name} gibt es in {wanted} leider gerade nicht. Verfügbare Optionen: {options}. "
        "{anything_else}",
        "pt": "Lamento, o {name} não está disponível em {wanted} neste momento. Opções disponíveis: "
        "{options}. {anything_else}",
    },
    "product.no_such_colour": {
        "en": "Sorry, the {name} doesn't come in {colour}. Available options: {options}. {anything_else}",
        "es": "Lo siento, el {name} no viene en {colour}. Opciones disponibles: {options}. {anything_else}",
        "fr": "Désolé, le {name} n'existe pas en {colour}. Options disponibles : {options}. {anything_else}",
        "de": "{name} gibt es leider nicht in {colour}. Verfügbare Optionen: {options}. {anything_else}",
        "pt": "Lamento, o {name} não existe em {colour}. Opções disponíveis: {options}. {anything_else}",
    },
    "product.out_of_stock": {
        "en": "The {name} is out of stock in every option right now. {anything_else}",
        "es": "El {name} está agotado en todas sus opciones ahora mismo. {anything_else}",
        "fr": "Le {name} est en rupture de stock dans toutes ses options pour le moment. {anything_else}",
        "de": "{name} ist gerade in allen Optionen ausverkauft. {anything_else}",
        "pt": "O {name} está esgotado em todas as opções neste momento. {anything_else}",
    },
    "product.options": {
        "en": "The {name} is available in {count} options, from {low} to {high}. Options: {options}. "
        "{anything_else}",
        "es": "El {name} está disponible en {count} opciones, de {low} a {high}. Opciones: {options}. "
        "{anything_else}",
        "fr": "Le {name} existe en {count} options, de {low} à {high}. Options : {options}. {anything_else}",
        "de": "{name} gibt es in {count} Optionen, von {low} bis {high}. Optionen: {options}. "
        "{anything_else}",
        "pt": "O {name} está disponível em {count} opções, de {low} a {high}. Opções: {options}. "
        "{anything_else}",
    },
    "product.which": {
        "en": "Which product would you like to know about?",
        "es": "¿Sobre qué producto quieres saber?",
        "fr": "Sur quel produit souhaitez-vous des informations ?",
        "de": "Zu welchem Produkt möchten Sie etwas wissen?",
        "pt": "Sobre que produto quer saber?",
    },
}

STATUSES: dict[str, dict[str, str]] = {
    "es": {
        "pending": "pendiente",
        "processed": "en camino",
        "delivered": "entregado",
        "cancelled": "cancelado",
        "return requested": "con devolución solicitada",
        "exchange requested": "con cambio solicitado",
    },
    "fr": {
        "pending": "en attente",
        "processed": "en route",
        "delivered": "livrée",
        "cancelled": "annulée",
        "return requested": "en cours de retour",
        "exchange requested": "en cours d'échange",
    },
    "de": {
        "pending": "offen",
        "processed": "unterwegs",
        "delivered": "zugestellt",
        "cancelled": "storniert",
        "return requested": "zur Rücksendung angemeldet",
        "exchange requested": "zum Umtausch angemeldet",
    },
    "pt": {
        "pending": "pendente",
        "processed": "a caminho",
        "delivered": "entregue",
        "cancelled": "cancelada",
        "return requested": "com devolução pedida",
        "exchange requested": "com troca pedida",
    },
}
"""An order's status as it reads in a sentence of each language (English: the store's word)."""
