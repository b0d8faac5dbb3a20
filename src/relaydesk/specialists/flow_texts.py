"""What the step library says on its own (the questions and lines a flow's YAML does not write), in
English, Spanish, French, German and Portuguese.

A flow's own texts (its questions, confirmations, what it says when done) are in its YAML file,
each as ``{en: ..., es: ..., fr: ..., de: ..., pt: ...}``; these are the library's defaults and the
lines around them. ``text(key, language, **values)`` gives the text in the conversation's language,
English where a language has none; ``localized(value, language)`` picks a YAML text.
``tests/specialists/test_flow_languages.py`` checks every key has every language and the same
fields in each. Values from the records (product names, options, tool messages) stay as the
records have them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LANGUAGES = ("en", "es", "fr", "de", "pt")

TEXTS: dict[str, dict[str, str]] = {
    "anything_else": {
        "en": "Is there anything else I can help you with?",
        "es": "¿Puedo ayudarte con algo más?",
        "fr": "Puis-je vous aider pour autre chose ?",
        "de": "Kann ich Ihnen sonst noch helfen?",
        "pt": "Posso ajudar com mais alguma coisa?",
    },
    "none": {"en": "none", "es": "ninguno", "fr": "aucune", "de": "keine", "pt": "nenhuma"},
    # -- who the customer is ------------------------------------------------------------------------
    "identify.ask": {
        "en": "First I need to confirm who you are: what is the e-mail address on your account? "
        "(Or your full name and zip code.)",
        "es": "Primero necesito confirmar quién eres: ¿cuál es el correo electrónico de tu cuenta? "
        "(O tu nombre completo y código postal.)",
        "fr": "Je dois d'abord confirmer votre identité : quelle est l'adresse e-mail de votre compte ? "
        "(Ou votre nom complet et votre code postal.)",
        "de": "Zuerst muss ich bestätigen, wer Sie sind: Welche E-Mail-Adresse hat Ihr Konto? "
        "(Oder Ihr vollständiger Name und Ihre Postleitzahl.)",
        "pt": "Primeiro preciso de confirmar quem é: qual é o e-mail da sua conta? "
        "(Ou o seu nome completo e código postal.)",
    },
    "identify.no_email": {
        "en": "I couldn't find an account with the e-mail {email}. Could you check it, or give me your "
        "full name and zip code instead?",
        "es": "No encuentro ninguna cuenta con el correo {email}. ¿Puedes comprobarlo, o darme tu nombre "
        "completo y código postal?",
        "fr": "Je ne trouve aucun compte avec l'e-mail {email}. Pouvez-vous le vérifier, ou me donner "
        "plutôt votre nom complet et votre code postal ?",
        "de": "Ich finde kein Konto mit der E-Mail-Adresse {email}. Können Sie sie prüfen oder mir "
        "stattdessen Ihren vollständigen Namen und Ihre Postleitzahl nennen?",
        "pt": "Não encontro nenhuma conta com o e-mail {email}. Pode verificá-lo, ou dar-me antes o seu "
        "nome completo e código postal?",
    },
    "identify.no_person": {
        "en": "I couldn't find an account for {first} {last} with zip code {zip}. Could you check it, or "
        "give me the e-mail address on your account instead?",
        "es": "No encuentro ninguna cuenta de {first} {last} con el código postal {zip}. ¿Puedes "
        "comprobarlo, o darme el correo electrónico de tu cuenta?",
        "fr": "Je ne trouve aucun compte au nom de {first} {last} avec le code postal {zip}. Pouvez-vous "
        "vérifier, ou me donner plutôt l'adresse e-mail de votre compte ?",
        "de": "Ich finde kein Konto für {first} {last} mit der Postleitzahl {zip}. Können Sie das prüfen "
        "oder mir stattdessen die E-Mail-Adresse Ihres Kontos nennen?",
        "pt": "Não encontro nenhuma conta de {first} {last} com o código postal {zip}. Pode verificar, "
        "ou dar-me antes o e-mail da sua conta?",
    },
    # -- which order --------------------------------------------------------------------------------
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
    # -- which items --------------------------------------------------------------------------------
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
    # -- payment, reason, address -------------------------------------------------------------------
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
    "reason.ask": {
        "en": "Could you tell me why you'd like to cancel: is it no longer needed, or was it ordered by "
        "mistake?",
        "es": "¿Me dices por qué quieres cancelarlo: ya no lo necesitas, o lo pediste por error?",
        "fr": "Pouvez-vous me dire pourquoi vous voulez l'annuler : vous n'en avez plus besoin, ou "
        "l'avez-vous commandé par erreur ?",
        "de": "Warum möchten Sie stornieren: Brauchen Sie es nicht mehr, oder haben Sie es "
        "versehentlich bestellt?",
        "pt": "Pode dizer-me porque quer cancelar: já não precisa, ou encomendou por engano?",
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
    # -- confirming and acting ----------------------------------------------------------------------
    "confirm.ask": {
        "en": "{lead}I will {action}.{note} Shall I go ahead? (yes / no)",
        "es": "{lead}Voy a {action}.{note} ¿Sigo adelante? (sí / no)",
        "fr": "{lead}Je vais {action}.{note} Je continue ? (oui / non)",
        "de": "{lead}Ich werde {action}.{note} Soll ich fortfahren? (ja / nein)",
        "pt": "{lead}Vou {action}.{note} Posso avançar? (sim / não)",
    },
    "confirm.lead": {
        "en": "Before I do anything: ",
        "es": "Antes de hacer nada, te lo confirmo. ",
        "fr": "Avant toute chose, je vérifie avec vous. ",
        "de": "Bevor ich etwas tue, zur Sicherheit: ",
        "pt": "Antes de avançar, confirmo consigo. ",
    },
    "confirm.lead_changed": {
        "en": "Updated. ",
        "es": "Actualizado. ",
        "fr": "C'est modifié. ",
        "de": "Geändert. ",
        "pt": "Atualizado. ",
    },
    "confirm.lead_unsure": {
        "en": "I can only go ahead with a clear yes. ",
        "es": "Solo puedo seguir con un sí claro. ",
        "fr": "Je ne peux continuer qu'avec un oui clair. ",
        "de": "Ich kann nur mit einem klaren Ja fortfahren. ",
        "pt": "Só posso avançar com um sim claro. ",
    },
    "confirm.held": {
        "en": "{held} So once you say yes, a member of our team will check it before it happens.",
        "es": "Esto necesita la aprobación de alguien del equipo: cuando digas que sí, lo revisarán "
        "antes de hacerlo.",
        "fr": "Cela demande l'accord d'un membre de l'équipe : dès que vous dites oui, il le vérifiera "
        "avant que ce soit fait.",
        "de": "Dafür braucht es die Freigabe durch jemanden aus dem Team: Sobald Sie Ja sagen, wird es "
        "vorher geprüft.",
        "pt": "Isto precisa da aprovação de alguém da equipa: assim que disser que sim, será verificado "
        "antes de ser feito.",
    },
    "confirm.declined": {
        "en": "All right, I haven't changed anything. {anything_else}",
        "es": "De acuerdo, no he cambiado nada. {anything_else}",
        "fr": "D'accord, je n'ai rien changé. {anything_else}",
        "de": "In Ordnung, ich habe nichts geändert. {anything_else}",
        "pt": "Muito bem, não alterei nada. {anything_else}",
    },
    "confirm.what_change": {
        "en": "What would you like to change?",
        "es": "¿Qué quieres cambiar?",
        "fr": "Que voulez-vous changer ?",
        "de": "Was möchten Sie ändern?",
        "pt": "O que quer alterar?",
    },
    "act.done": {
        "en": "Done.",
        "es": "Hecho.",
        "fr": "C'est fait.",
        "de": "Erledigt.",
        "pt": "Feito.",
    },
    "act.awaiting": {
        "en": "{reason} You don't need to do anything: I'll tell you here as soon as they decide.",
        "es": "He pedido a alguien del equipo que lo apruebe. No tienes que hacer nada: te lo diré aquí "
        "en cuanto decidan.",
        "fr": "J'ai demandé à un membre de l'équipe de l'approuver. Vous n'avez rien à faire : je vous "
        "le dirai ici dès qu'il aura décidé.",
        "de": "Ich habe jemanden aus dem Team um die Freigabe gebeten. Sie müssen nichts tun: Ich sage "
        "Ihnen hier Bescheid, sobald entschieden ist.",
        "pt": "Pedi a alguém da equipa que o aprove. Não precisa de fazer nada: digo-lhe aqui assim que "
        "decidirem.",
    },
    "act.refused": {
        "en": "I couldn't do that: {reason} {anything_else}",
        "es": "No he podido hacerlo: {reason} {anything_else}",
        "fr": "Je n'ai pas pu le faire : {reason} {anything_else}",
        "de": "Das ging leider nicht: {reason} {anything_else}",
        "pt": "Não consegui fazê-lo: {reason} {anything_else}",
    },
    "difference.more": {
        "en": "you pay {amount} more",
        "es": "pagas {amount} más",
        "fr": "vous payez {amount} de plus",
        "de": "Sie zahlen {amount} mehr",
        "pt": "paga mais {amount}",
    },
    "difference.back": {
        "en": "you get {amount} back",
        "es": "se te devuelven {amount}",
        "fr": "on vous rembourse {amount}",
        "de": "Sie bekommen {amount} zurück",
        "pt": "recebe {amount} de volta",
    },
    "difference.same": {
        "en": "the price is the same",
        "es": "el precio es el mismo",
        "fr": "le prix est le même",
        "de": "der Preis bleibt gleich",
        "pt": "o preço é o mesmo",
    },
    # -- the engine: setting aside, coming back, handing over ---------------------------------------
    "engine.dropped": {
        "en": "No problem, I've left that as it was.",
        "es": "Sin problema, lo he dejado como estaba.",
        "fr": "Pas de souci, j'ai laissé les choses en l'état.",
        "de": "Kein Problem, ich habe alles so gelassen.",
        "pt": "Sem problema, deixei tudo como estava.",
    },
    "engine.handover": {
        "en": "{text} So I'll handle this as: {title}.",
        "es": "{text} Así que lo gestiono como: {title}.",
        "fr": "{text} Je m'en occupe donc ainsi : {title}.",
        "de": "{text} Ich kümmere mich also darum als: {title}.",
        "pt": "{text} Por isso trato disto como: {title}.",
    },
    "engine.other_request": {
        "en": "Now, your other request ({title}):",
        "es": "Ahora, tu otra petición ({title}):",
        "fr": "Maintenant, votre autre demande ({title}) :",
        "de": "Nun zu Ihrem anderen Anliegen ({title}):",
        "pt": "Agora, o seu outro pedido ({title}):",
    },
    "engine.back": {
        "en": "Now, back to where we were ({title}):",
        "es": "Ahora, volvamos a lo de antes ({title}):",
        "fr": "Revenons maintenant à ce que nous faisions ({title}) :",
        "de": "Nun zurück zu unserem Thema ({title}):",
        "pt": "Agora, voltemos ao que estávamos a fazer ({title}):",
    },
    "engine.exit": {
        "en": "I'll bring in a member of our team to finish this with you; they will see everything so far.",
        "es": "Voy a pasarte con alguien del equipo para terminar esto contigo; verá todo lo hablado.",
        "fr": "Je fais venir un membre de l'équipe pour terminer cela avec vous ; il verra tout ce qui "
        "précède.",
        "de": "Ich hole jemanden aus unserem Team dazu, der das mit Ihnen abschließt und alles "
        "Bisherige sieht.",
        "pt": "Vou chamar alguém da equipa para terminar isto consigo; vai ver tudo o que foi dito.",
    },
    # -- looking things up --------------------------------------------------------------------------
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
    # -- closing, and an action waiting for approval -------------------------------------------------
    "close.more": {
        "en": "Sure, what else can I help you with?",
        "es": "Claro, ¿en qué más puedo ayudarte?",
        "fr": "Bien sûr, que puis-je faire d'autre pour vous ?",
        "de": "Gern, wobei kann ich sonst noch helfen?",
        "pt": "Claro, em que mais posso ajudar?",
    },
    "close.done": {
        "en": "You're welcome! I'm glad that's sorted. If anything else comes up, just write here.",
        "es": "¡De nada! Me alegro de que esté resuelto. Si surge algo más, escríbeme aquí.",
        "fr": "Avec plaisir ! Ravi que ce soit réglé. Si autre chose se présente, écrivez-moi ici.",
        "de": "Gern geschehen! Schön, dass es erledigt ist. Wenn noch etwas ist, schreiben Sie einfach hier.",
        "pt": "De nada! Ainda bem que ficou resolvido. Se surgir mais alguma coisa, escreva aqui.",
    },
    "approval.withdrawn": {
        "en": "Done: I've withdrawn that request before anyone decided on it, so nothing will change. "
        "{anything_else}",
        "es": "Hecho: he retirado la petición antes de que nadie decidiera, así que no cambiará nada. "
        "{anything_else}",
        "fr": "C'est fait : j'ai retiré la demande avant toute décision, rien ne changera donc. "
        "{anything_else}",
        "de": "Erledigt: Ich habe die Anfrage zurückgezogen, bevor jemand entschieden hat; es ändert sich "
        "also nichts. {anything_else}",
        "pt": "Feito: retirei o pedido antes de alguém decidir, por isso nada vai mudar. {anything_else}",
    },
    "approval.already_done": {
        "en": "That request was already approved and carried out, so I can't withdraw it any more. If you "
        "want it undone, tell me what you'd like and I'll see what can be done.",
        "es": "Esa petición ya se aprobó y se llevó a cabo, así que ya no puedo retirarla. Si quieres "
        "deshacerla, dime qué necesitas y veré qué se puede hacer.",
        "fr": "Cette demande a déjà été approuvée et exécutée, je ne peux donc plus la retirer. Si vous "
        "voulez l'annuler, dites-moi ce que vous souhaitez et je verrai ce qui est possible.",
        "de": "Diese Anfrage wurde schon genehmigt und ausgeführt, ich kann sie nicht mehr zurückziehen. "
        "Wenn Sie sie rückgängig machen möchten, sagen Sie mir, was Sie brauchen.",
        "pt": "Esse pedido já foi aprovado e executado, por isso já não o posso retirar. Se quiser "
        "anulá-lo, diga-me o que pretende e vejo o que se pode fazer.",
    },
    "approval.not_done": {
        "en": "That request was not carried out, so nothing changed. {anything_else}",
        "es": "Esa petición no se llevó a cabo, así que no cambió nada. {anything_else}",
        "fr": "Cette demande n'a pas été exécutée, rien n'a donc changé. {anything_else}",
        "de": "Diese Anfrage wurde nicht ausgeführt, es hat sich also nichts geändert. {anything_else}",
        "pt": "Esse pedido não foi executado, por isso nada mudou. {anything_else}",
    },
    "approval.waiting": {
        "en": "It's with a member of our team now, and I'll tell you here as soon as they decide. If you'd "
        "rather not go ahead, just say so and I'll withdraw the request.",
        "es": "Ahora lo tiene alguien del equipo y te lo diré aquí en cuanto decida. Si prefieres no "
        "seguir, dímelo y retiro la petición.",
        "fr": "Un membre de l'équipe l'examine maintenant, et je vous le dirai ici dès qu'il aura décidé. "
        "Si vous préférez ne pas continuer, dites-le et je retire la demande.",
        "de": "Es liegt jetzt bei jemandem aus dem Team, und ich sage Ihnen hier Bescheid, sobald "
        "entschieden ist. Wenn Sie doch nicht möchten, sagen Sie es, dann ziehe ich die Anfrage zurück.",
        "pt": "Está agora com alguém da equipa, e digo-lhe aqui assim que decidir. Se preferir não "
        "avançar, diga-me e retiro o pedido.",
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


def supported(language: str | None) -> str:
    """``language`` when the flows speak it, else English."""
    return language if language in LANGUAGES else "en"


def text(key: str, language: str | None, **values: Any) -> str:
    """The text for ``key`` in ``language`` (English when that language has none), filled."""
    texts = TEXTS[key]
    template = texts.get(supported(language)) or texts["en"]
    if "{anything_else}" in template and "anything_else" not in values:
        values["anything_else"] = text("anything_else", language)
    return template.format(**values)


def localized(value: Any, language: str | None) -> str:
    """A flow's text from its YAML: one text, or ``{en: ..., es: ...}`` read in ``language``."""
    if isinstance(value, Mapping):
        return str(value.get(supported(language)) or value["en"])
    return str(value)


def status_word(status: str, language: str | None) -> str:
    return STATUSES.get(supported(language), {}).get(status, status)
