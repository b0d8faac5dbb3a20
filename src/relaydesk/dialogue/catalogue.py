"""Everything the AI and the desk say on their own (not from the help center, not from an agent),
in English, Spanish, French, German and Portuguese.

``say(key, language, **values)`` returns the text for ``key`` in ``language``, in English when
that language has no text for it (a language the catalogue does not cover, a key only English
has). The texts are written for each language, not translated word by word; ``{name}`` fields
are filled from ``values``. ``tests/dialogue/test_reading_messages.py`` checks every key has every
language and the same fields in each.
"""

from __future__ import annotations

from typing import Any

from relaydesk.dialogue.catalogue_queue import QUEUE_TEXTS

LANGUAGES = ("en", "es", "fr", "de", "pt")
DEFAULT = "en"

TEXTS: dict[str, dict[str, str]] = {
    **QUEUE_TEXTS,  # the queue: dialogue/catalogue_queue.py
    # -- social turns -----------------------------------------------------------------------------
    "greeting": {
        "en": "Hi! I can help with orders, deliveries, returns and refunds, payments and your account. "
        "What can I do for you?",
        "es": "¡Hola! Puedo ayudarte con pedidos, envíos, devoluciones y reembolsos, pagos y tu cuenta. "
        "¿En qué puedo ayudarte?",
        "fr": "Bonjour ! Je peux vous aider pour vos commandes, livraisons, retours et remboursements, "
        "paiements et votre compte. Que puis-je faire pour vous ?",
        "de": "Hallo! Ich helfe Ihnen gern bei Bestellungen, Lieferungen, Rücksendungen und Erstattungen, "
        "Zahlungen und Ihrem Konto. Was kann ich für Sie tun?",
        "pt": "Olá! Posso ajudar com encomendas, entregas, devoluções e reembolsos, pagamentos e a sua "
        "conta. Em que posso ajudar?",
    },
    "how_are_you": {
        "en": "I'm doing well, thanks for asking! I can help with orders, deliveries, returns and refunds, "
        "payments and your account. What can I do for you?",
        "es": "¡Muy bien, gracias por preguntar! Puedo ayudarte con pedidos, envíos, devoluciones y "
        "reembolsos, pagos y tu cuenta. ¿Qué necesitas?",
        "fr": "Très bien, merci de demander ! Je peux vous aider pour vos commandes, livraisons, retours "
        "et remboursements, paiements et votre compte. De quoi avez-vous besoin ?",
        "de": "Gut, danke der Nachfrage! Ich helfe Ihnen bei Bestellungen, Lieferungen, Rücksendungen "
        "und Erstattungen, Zahlungen und Ihrem Konto. Was brauchen Sie?",
        "pt": "Estou bem, obrigado por perguntar! Posso ajudar com encomendas, entregas, devoluções e "
        "reembolsos, pagamentos e a sua conta. Do que precisa?",
    },
    "thanks": {
        "en": "You're welcome! Is there anything else I can help you with?",
        "es": "¡De nada! ¿Hay algo más en lo que pueda ayudarte?",
        "fr": "Avec plaisir ! Puis-je vous aider pour autre chose ?",
        "de": "Gern geschehen! Kann ich Ihnen sonst noch helfen?",
        "pt": "De nada! Posso ajudar com mais alguma coisa?",
    },
    "thanks.closing": {
        "en": "You're welcome, glad I could help!",
        "es": "¡De nada, me alegra haber ayudado!",
        "fr": "Avec plaisir, ravi d'avoir pu vous aider !",
        "de": "Gern geschehen, schön, dass ich helfen konnte!",
        "pt": "De nada, ainda bem que pude ajudar!",
    },
    "ack": {
        "en": "Great! If anything else comes up, just write here.",
        "es": "¡Perfecto! Si necesitas algo más, escríbeme aquí.",
        "fr": "Parfait ! Si vous avez besoin d'autre chose, écrivez-moi ici.",
        "de": "Prima! Wenn noch etwas ist, schreiben Sie einfach hier.",
        "pt": "Ótimo! Se precisar de mais alguma coisa, é só escrever aqui.",
    },
    "farewell": {
        "en": "Glad I could help. Have a great day!",
        "es": "Me alegro de haberte ayudado. ¡Que tengas un buen día!",
        "fr": "Ravi d'avoir pu vous aider. Bonne journée !",
        "de": "Schön, dass ich helfen konnte. Einen schönen Tag noch!",
        "pt": "Fico contente por ter ajudado. Tenha um ótimo dia!",
    },
    "farewell.nothing_done": {
        "en": "No problem. If you need anything later, just write here.",
        "es": "Sin problema. Si más adelante necesitas algo, escríbeme aquí.",
        "fr": "Pas de souci. Si vous avez besoin de quelque chose plus tard, écrivez-moi ici.",
        "de": "Kein Problem. Wenn Sie später etwas brauchen, schreiben Sie einfach hier.",
        "pt": "Sem problema. Se precisar de alguma coisa mais tarde, é só escrever aqui.",
    },
    "bot": {
        "en": "I'm Northwind's virtual assistant, an AI. I can sort out most order, delivery, return and "
        "account questions right away, and bring in someone from our team whenever you ask.",
        "es": "Soy el asistente virtual de Northwind, una IA. Resuelvo al momento la mayoría de dudas sobre "
        "pedidos, envíos, devoluciones y cuentas, y te paso con alguien del equipo cuando lo pidas.",
        "fr": "Je suis l'assistant virtuel de Northwind, une IA. Je règle tout de suite la plupart des "
        "questions sur les commandes, livraisons, retours et comptes, et je fais venir quelqu'un de "
        "l'équipe dès que vous le demandez.",
        "de": "Ich bin der virtuelle Assistent von Northwind, eine KI. Die meisten Fragen zu Bestellungen, "
        "Lieferungen, Rücksendungen und Konten kläre ich sofort, und auf Wunsch hole ich jemanden aus "
        "unserem Team dazu.",
        "pt": "Sou o assistente virtual da Northwind, uma IA. Resolvo na hora a maioria das dúvidas sobre "
        "encomendas, entregas, devoluções e contas, e chamo alguém da equipa sempre que pedir.",
    },
    "opener": {
        "en": "Of course. What do you need help with? I can help with orders, deliveries, returns and "
        "refunds, payments and your account, and bring in someone from our team when needed.",
        "es": "Claro. ¿Con qué necesitas ayuda? Puedo ayudarte con pedidos, envíos, devoluciones y "
        "reembolsos, pagos y tu cuenta, y pasarte con el equipo si hace falta.",
        "fr": "Bien sûr. Sur quoi avez-vous besoin d'aide ? Je peux vous aider pour vos commandes, "
        "livraisons, retours et remboursements, paiements et votre compte, et faire venir quelqu'un de "
        "l'équipe si besoin.",
        "de": "Natürlich. Wobei brauchen Sie Hilfe? Ich helfe bei Bestellungen, Lieferungen, Rücksendungen "
        "und Erstattungen, Zahlungen und Ihrem Konto und hole bei Bedarf jemanden aus dem Team dazu.",
        "pt": "Claro. Em que precisa de ajuda? Posso ajudar com encomendas, entregas, devoluções e "
        "reembolsos, pagamentos e a sua conta, e chamar alguém da equipa se for preciso.",
    },
    "off_topic": {
        "en": "That's not something I can help with here, sorry. I'm Northwind's support assistant: I can "
        "help with orders, deliveries, returns and refunds, payments and your account.",
        "es": "Con eso no puedo ayudarte aquí, lo siento. Soy el asistente de soporte de Northwind: puedo "
        "ayudarte con pedidos, envíos, devoluciones y reembolsos, pagos y tu cuenta.",
        "fr": "Je ne peux pas vous aider pour cela ici, désolé. Je suis l'assistant du support Northwind : "
        "je peux vous aider pour vos commandes, livraisons, retours et remboursements, paiements et "
        "votre compte.",
        "de": "Dabei kann ich Ihnen hier leider nicht helfen. Ich bin der Support-Assistent von Northwind "
        "und helfe bei Bestellungen, Lieferungen, Rücksendungen und Erstattungen, Zahlungen und Ihrem "
        "Konto.",
        "pt": "Com isso não consigo ajudar aqui, desculpe. Sou o assistente de apoio da Northwind: posso "
        "ajudar com encomendas, entregas, devoluções e reembolsos, pagamentos e a sua conta.",
    },
    "clarify": {
        "en": "I'm sorry to hear that. Could you tell me a bit more? Is it about an order, a delivery, a "
        "return or refund, a payment or your account? An order number helps too.",
        "es": "Siento oír eso. ¿Me cuentas un poco más? ¿Es sobre un pedido, un envío, una devolución o "
        "reembolso, un pago o tu cuenta? Un número de pedido también ayuda.",
        "fr": "Désolé d'apprendre cela. Pouvez-vous m'en dire un peu plus ? Est-ce au sujet d'une "
        "commande, d'une livraison, d'un retour ou remboursement, d'un paiement ou de votre compte ? Un "
        "numéro de commande aide aussi.",
        "de": "Das tut mir leid. Können Sie mir etwas mehr erzählen? Geht es um eine Bestellung, eine "
        "Lieferung, eine Rücksendung oder Erstattung, eine Zahlung oder Ihr Konto? Eine Bestellnummer "
        "hilft auch.",
        "pt": "Lamento ouvir isso. Pode contar-me um pouco mais? É sobre uma encomenda, uma entrega, uma "
        "devolução ou reembolso, um pagamento ou a sua conta? Um número de encomenda também ajuda.",
    },
    "offer_declined": {
        "en": "No problem, I'll keep helping you myself. What else can I do for you?",
        "es": "Sin problema, sigo ayudándote yo. ¿Qué más puedo hacer por ti?",
        "fr": "Pas de souci, je continue à vous aider moi-même. Que puis-je faire d'autre pour vous ?",
        "de": "Kein Problem, ich helfe Ihnen weiter. Was kann ich sonst für Sie tun?",
        "pt": "Sem problema, continuo a ajudar. Que mais posso fazer por si?",
    },
    # -- offers of a person -----------------------------------------------------------------------
    "offer.dragged_on": {
        "en": "I'm sorry this is taking a while. Would you like me to bring in someone from our support "
        "team? Just say yes, or tell me more and I'll keep trying.",
        "es": "Siento que esto se esté alargando. ¿Quieres que te pase con alguien de nuestro equipo de "
        "soporte? Dime que sí, o cuéntame más y lo sigo intentando.",
        "fr": "Je suis désolé que cela prenne du temps. Voulez-vous que je fasse venir quelqu'un de notre "
        "équipe ? Répondez oui, ou dites-m'en plus et je continue.",
        "de": "Es tut mir leid, dass das so lange dauert. Soll ich jemanden aus unserem Support-Team "
        "dazuholen? Sagen Sie einfach ja, oder erzählen Sie mir mehr und ich versuche es weiter.",
        "pt": "Lamento que isto esteja a demorar. Quer que chame alguém da nossa equipa de apoio? Diga "
        "que sim, ou conte-me mais e eu continuo a tentar.",
    },
    "offer.not_helped": {
        "en": "Sorry that didn't help. Would you like me to bring in someone from our support team? Just "
        "say yes, or tell me more and I'll try another way.",
        "es": "Siento que eso no te haya servido. ¿Quieres que te pase con alguien de nuestro equipo? "
        "Dime que sí, o cuéntame más y lo intento de otra manera.",
        "fr": "Désolé, cela ne vous a pas aidé. Voulez-vous que je fasse venir quelqu'un de notre équipe ? "
        "Répondez oui, ou dites-m'en plus et j'essaie autrement.",
        "de": "Das tut mir leid, dass Ihnen das nicht geholfen hat. Soll ich jemanden aus unserem Team "
        "dazuholen? Sagen Sie einfach ja, oder erzählen Sie mir mehr und ich versuche es anders.",
        "pt": "Lamento que isso não tenha ajudado. Quer que chame alguém da nossa equipa? Diga que sim, ou "
        "conte-me mais e eu tento de outra forma.",
    },
    "offer.out_of_scope": {
        "en": "That is outside what I can help with on my own. Would you like me to bring in someone from "
        "our support team? Just say yes, or ask me something else.",
        "es": "Eso queda fuera de lo que puedo resolver yo solo. ¿Quieres que te pase con alguien de "
        "nuestro equipo? Dime que sí, o pregúntame otra cosa.",
        "fr": "Cela dépasse ce que je peux faire seul. Voulez-vous que je fasse venir quelqu'un de notre "
        "équipe ? Répondez oui, ou posez-moi une autre question.",
        "de": "Das kann ich allein nicht klären. Soll ich jemanden aus unserem Team dazuholen? Sagen Sie "
        "einfach ja, oder fragen Sie mich etwas anderes.",
        "pt": "Isso está fora do que consigo resolver sozinho. Quer que chame alguém da nossa equipa? "
        "Diga que sim, ou pergunte-me outra coisa.",
    },
    "offer.key_account": {
        "en": "You can talk to someone from our team at any time. Would you like me to bring someone in "
        "now? Just say yes, or tell me more and I'll help you myself.",
        "es": "Puedes hablar con alguien de nuestro equipo en cualquier momento. ¿Quieres que lo llame "
        "ahora? Dime que sí, o cuéntame más y te ayudo yo.",
        "fr": "Vous pouvez parler à quelqu'un de notre équipe à tout moment. Voulez-vous que je le fasse "
        "venir maintenant ? Répondez oui, ou dites-m'en plus et je vous aide moi-même.",
        "de": "Sie können jederzeit mit jemandem aus unserem Team sprechen. Soll ich jetzt jemanden "
        "dazuholen? Sagen Sie einfach ja, oder erzählen Sie mir mehr und ich helfe Ihnen selbst.",
        "pt": "Pode falar com alguém da nossa equipa a qualquer momento. Quer que chame alguém agora? "
        "Diga que sim, ou conte-me mais e eu ajudo.",
    },
    "offer.billing": {
        "en": "Would you like someone from our billing team to look at this with you? Just say yes, or "
        "tell me more and I'll keep helping.",
        "es": "¿Quieres que alguien de nuestro equipo de facturación lo revise contigo? Dime que sí, o "
        "cuéntame más y sigo ayudándote.",
        "fr": "Voulez-vous que quelqu'un de notre service facturation regarde cela avec vous ? Répondez "
        "oui, ou dites-m'en plus et je continue à vous aider.",
        "de": "Soll sich jemand aus unserem Abrechnungsteam das mit Ihnen ansehen? Sagen Sie einfach ja, "
        "oder erzählen Sie mir mehr und ich helfe weiter.",
        "pt": "Quer que alguém da nossa equipa de faturação veja isto consigo? Diga que sim, ou conte-me "
        "mais e eu continuo a ajudar.",
    },
    "offer.sales": {
        "en": "That sounds like something our sales team would love to help with: they can talk volumes, "
        "business pricing and the right products for you. Would you like me to bring someone in? Just "
        "say yes, or ask me anything else.",
        "es": "Eso es justo en lo que puede ayudarte nuestro equipo comercial: volúmenes, precios para "
        "empresas y los productos adecuados. ¿Quieres que te pase con alguien? Dime que sí, o "
        "pregúntame otra cosa.",
        "fr": "Notre équipe commerciale sera ravie de vous aider : volumes, tarifs professionnels et "
        "produits adaptés. Voulez-vous que je fasse venir quelqu'un ? Répondez oui, ou posez-moi une "
        "autre question.",
        "de": "Dabei hilft Ihnen unser Vertriebsteam gern: Mengen, Geschäftskundenpreise und die "
        "passenden Produkte. Soll ich jemanden dazuholen? Sagen Sie einfach ja, oder fragen Sie mich "
        "etwas anderes.",
        "pt": "A nossa equipa comercial terá todo o gosto em ajudar: volumes, preços para empresas e os "
        "produtos certos. Quer que chame alguém? Diga que sim, ou pergunte-me outra coisa.",
    },
    "offer.unsure": {
        "en": "I'm not sure I understood. Could you tell me a bit more, or would you like me to bring in "
        "someone from our support team?",
        "es": "No estoy seguro de haberte entendido. ¿Me cuentas un poco más, o prefieres que te pase con "
        "alguien de nuestro equipo?",
        "fr": "Je ne suis pas sûr d'avoir compris. Pouvez-vous m'en dire un peu plus, ou préférez-vous que "
        "je fasse venir quelqu'un de notre équipe ?",
        "de": "Ich bin nicht sicher, ob ich Sie richtig verstanden habe. Können Sie mir etwas mehr "
        "erzählen, oder soll ich jemanden aus unserem Team dazuholen?",
        "pt": "Não tenho a certeza de ter percebido. Pode contar-me um pouco mais, ou prefere que chame "
        "alguém da nossa equipa?",
    },
    "offer.neutral": {
        "en": "Would you like me to bring in someone from our support team? Just say yes, or tell me more "
        "and I'll keep helping.",
        "es": "¿Quieres que te pase con alguien de nuestro equipo de soporte? Dime que sí, o cuéntame más "
        "y sigo ayudándote.",
        "fr": "Voulez-vous que je fasse venir quelqu'un de notre équipe ? Répondez oui, ou dites-m'en plus "
        "et je continue à vous aider.",
        "de": "Soll ich jemanden aus unserem Support-Team dazuholen? Sagen Sie einfach ja, oder erzählen "
        "Sie mir mehr und ich helfe weiter.",
        "pt": "Quer que chame alguém da nossa equipa de apoio? Diga que sim, ou conte-me mais e eu "
        "continuo a ajudar.",
    },
    # -- the team ------------------------------------------------------------------------------------
    "agent.joined": {
        "en": "{name} from our team has joined the conversation.",
        "es": "{name}, de nuestro equipo, se ha unido a la conversación.",
        "fr": "{name}, de notre équipe, a rejoint la conversation.",
        "de": "{name} aus unserem Team ist dem Gespräch beigetreten.",
        "pt": "{name}, da nossa equipa, juntou-se à conversa.",
    },
    "card_notice": {
        "en": "For your security, the card number in your message was hidden and only its last four digits "
        "were kept. Please never send a full card number in chat: we do not need it to help you.",
        "es": "Por tu seguridad, hemos ocultado el número de tarjeta de tu mensaje y solo guardamos los "
        "últimos cuatro dígitos. No envíes nunca un número de tarjeta completo por chat: no lo necesitamos.",
        "fr": "Pour votre sécurité, le numéro de carte de votre message a été masqué et seuls ses quatre "
        "derniers chiffres ont été gardés. N'envoyez jamais un numéro de carte complet par chat.",
        "de": "Zu Ihrer Sicherheit wurde die Kartennummer in Ihrer Nachricht verborgen; nur die letzten vier "
        "Ziffern wurden behalten. Bitte senden Sie nie eine vollständige Kartennummer im Chat.",
        "pt": "Para sua segurança, o número do cartão na sua mensagem foi ocultado e só guardámos os "
        "últimos quatro dígitos. Nunca envie um número de cartão completo no chat: não precisamos dele.",
    },
    "closed": {
        "en": "This conversation is marked as solved. Thanks for contacting us! If you need anything else, "
        "just write here.",
        "es": "Esta conversación está marcada como resuelta. ¡Gracias por contactarnos! Si necesitas algo "
        "más, escribe aquí.",
        "fr": "Cette conversation est marquée comme résolue. Merci de nous avoir contactés ! Si vous avez "
        "besoin d'autre chose, écrivez ici.",
        "de": "Dieses Gespräch ist als gelöst markiert. Danke für Ihre Nachricht! Wenn Sie noch etwas "
        "brauchen, schreiben Sie einfach hier.",
        "pt": "Esta conversa está marcada como resolvida. Obrigado por nos contactar! Se precisar de mais "
        "alguma coisa, escreva aqui.",
    },
    "resolved.confirmed": {
        "en": "I've marked this conversation as solved. If anything else comes up, just write here and "
        "it opens again.",
        "es": "He marcado esta conversación como resuelta. Si surge algo más, escribe aquí y se vuelve "
        "a abrir.",
        "fr": "J'ai marqué cette conversation comme résolue. Si autre chose se présente, écrivez ici et "
        "elle sera rouverte.",
        "de": "Ich habe dieses Gespräch als gelöst markiert. Wenn noch etwas ist, schreiben Sie einfach "
        "hier, dann geht es wieder auf.",
        "pt": "Marquei esta conversa como resolvida. Se surgir mais alguma coisa, escreva aqui e ela "
        "volta a abrir.",
    },
    "resolved.quiet": {
        "en": "As I haven't heard back, I've marked this conversation as solved. If you still need help, "
        "just reply here.",
        "es": "Como no he vuelto a saber de ti, he marcado esta conversación como resuelta. Si aún "
        "necesitas ayuda, responde aquí.",
        "fr": "Sans nouvelles de votre part, j'ai marqué cette conversation comme résolue. Si vous avez "
        "encore besoin d'aide, répondez ici.",
        "de": "Da ich nichts mehr von Ihnen gehört habe, habe ich dieses Gespräch als gelöst markiert. "
        "Wenn Sie noch Hilfe brauchen, antworten Sie einfach hier.",
        "pt": "Como não voltei a ter notícias suas, marquei esta conversa como resolvida. Se ainda "
        "precisar de ajuda, responda aqui.",
    },
    "closed.idle": {
        "en": "I'm closing this conversation for now as it has gone quiet. Reply here any time and we'll "
        "pick up where we left off.",
        "es": "Cierro esta conversación por ahora, ya que no ha habido respuesta. Escribe aquí cuando "
        "quieras y seguimos donde lo dejamos.",
        "fr": "Je ferme cette conversation pour le moment, faute de réponse. Répondez ici quand vous "
        "voulez et nous reprendrons là où nous en étions.",
        "de": "Ich schließe dieses Gespräch vorerst, da keine Antwort mehr kam. Antworten Sie jederzeit "
        "hier, dann machen wir dort weiter, wo wir aufgehört haben.",
        "pt": "Vou fechar esta conversa por agora, já que não houve resposta. Responda aqui quando quiser "
        "e continuamos de onde ficámos.",
    },
    "handed_back": {
        "en": "You're back with our virtual assistant. Everything you discussed with the team is still here.",
        "es": "Vuelves a estar con nuestro asistente virtual. Todo lo que hablaste con el equipo sigue aquí.",
        "fr": "Vous êtes de retour avec notre assistant virtuel. Tout ce que vous avez échangé avec "
        "l'équipe est toujours là.",
        "de": "Sie sind wieder bei unserem virtuellen Assistenten. Alles, was Sie mit dem Team besprochen "
        "haben, ist noch da.",
        "pt": "Voltou ao nosso assistente virtual. Tudo o que falou com a equipa continua aqui.",
    },
    "intake.done": {
        "en": "Thank you, that's everything the team needs; it is at the top of their notes.",
        "es": "Gracias, eso es todo lo que necesita el equipo; lo tendrán a la vista en sus notas.",
        "fr": "Merci, l'équipe a tout ce qu'il lui faut ; c'est en haut de ses notes.",
        "de": "Danke, damit hat das Team alles, was es braucht; es steht ganz oben in seinen Notizen.",
        "pt": "Obrigado, é tudo o que a equipa precisa; está no topo das notas dela.",
    },
    "flow.whenever_ready": {
        "en": "No problem, there's no rush: whenever you're ready.",
        "es": "Sin problema, no hay prisa: cuando quiera.",
        "fr": "Pas de souci, rien ne presse : quand vous voulez.",
        "de": "Kein Problem, keine Eile: wann immer Sie so weit sind.",
        "pt": "Sem problema, não há pressa: quando quiser.",
    },
    # -- the co-pilot's first reply for an agent (handoff/brief.py), in the customer's language ------
    "suggest.hi_name": {
        "en": "Hi {name},",
        "es": "Hola, {name}:",
        "fr": "Bonjour {name},",
        "de": "Hallo {name},",
        "pt": "Olá, {name}!",
    },
    "suggest.hi": {"en": "Hi there,", "es": "Hola:", "fr": "Bonjour,", "de": "Hallo,", "pt": "Olá!"},
    "suggest.me": {
        "en": "I'm {name} from the support team, and I've read everything you've written so far.",
        "es": "Soy {name}, del equipo de soporte, y he leído todo lo que has escrito hasta ahora.",
        "fr": "Je suis {name}, de l'équipe support, et j'ai lu tout ce que vous avez écrit jusqu'ici.",
        "de": "Ich bin {name} aus dem Support-Team und habe alles gelesen, was Sie bisher geschrieben haben.",
        "pt": "Sou {name}, da equipa de apoio, e li tudo o que escreveu até agora.",
    },
    "suggest.anon": {
        "en": "I'm from the support team, and I've read everything you've written so far.",
        "es": "Soy del equipo de soporte y he leído todo lo que has escrito hasta ahora.",
        "fr": "Je fais partie de l'équipe support et j'ai lu tout ce que vous avez écrit jusqu'ici.",
        "de": "Ich bin aus dem Support-Team und habe alles gelesen, was Sie bisher geschrieben haben.",
        "pt": "Sou da equipa de apoio e li tudo o que escreveu até agora.",
    },
    "suggest.sorry": {
        "en": "I'm sorry this has been frustrating.",
        "es": "Siento que esto haya sido tan frustrante.",
        "fr": "Je suis désolé que cela ait été si pénible.",
        "de": "Es tut mir leid, dass das so ärgerlich war.",
        "pt": "Lamento que isto tenha sido tão frustrante.",
    },
    "suggest.order": {
        "en": "I can see this is about order {order}.",
        "es": "Veo que se trata del pedido {order}.",
        "fr": "Je vois qu'il s'agit de la commande {order}.",
        "de": "Ich sehe, es geht um die Bestellung {order}.",
        "pt": "Vejo que se trata da encomenda {order}.",
    },
    "suggest.looking": {
        "en": "I'm looking into it now and will come back to you shortly.",
        "es": "Lo estoy revisando ahora y te respondo enseguida.",
        "fr": "Je regarde cela tout de suite et je reviens vers vous rapidement.",
        "de": "Ich sehe mir das jetzt an und melde mich gleich wieder.",
        "pt": "Estou a ver isso agora e volto a falar consigo em breve.",
    },
    # -- knowledge --------------------------------------------------------------------------------
    "knowledge.english_only": {
        "en": "",
        "es": "Este artículo de nuestro centro de ayuda solo está disponible en inglés:",
        "fr": "Cet article de notre centre d'aide n'existe qu'en anglais :",
        "de": "Dieser Artikel aus unserem Hilfe-Center ist nur auf Englisch verfügbar:",
        "pt": "Este artigo do nosso centro de ajuda só está disponível em inglês:",
    },
    "knowledge.source": {
        "en": "Source",
        "es": "Fuente",
        "fr": "Source",
        "de": "Quelle",
        "pt": "Fonte",
    },
    "knowledge.sources": {
        "en": "Sources",
        "es": "Fuentes",
        "fr": "Sources",
        "de": "Quellen",
        "pt": "Fontes",
    },
}


def supported(language: str | None) -> bool:
    return language in LANGUAGES


def say(key: str, language: str | None = None, **values: Any) -> str:
    """The text for ``key`` in ``language`` (English when it has none), with ``values`` filled in."""
    texts = TEXTS[key]
    text = texts.get(language or DEFAULT) or texts[DEFAULT]
    return text.format(**values) if values else text
