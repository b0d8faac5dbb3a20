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

from relaydesk.specialists.order_texts import ORDER_TEXTS, STATUSES
from relaydesk.specialists.standing_texts import STANDING_TEXTS

LANGUAGES = ("en", "es", "fr", "de", "pt")

GENERAL_TEXTS: dict[str, dict[str, str]] = {
    "anything_else": {
        "en": "Is there anything else I can help you with?",
        "es": "¿Puedo ayudarte con algo más?",
        "fr": "Puis-je vous aider pour autre chose ?",
        "de": "Kann ich Ihnen sonst noch helfen?",
        "pt": "Posso ajudar com mais alguma coisa?",
    },
    "none": {"en": "none", "es": "ninguno", "fr": "aucune", "de": "keine", "pt": "nenhuma"},
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
    "act.already_waiting": {
        "en": "This is already waiting for a member of our team to approve it, so I haven't asked a second "
        "time. I'll tell you here as soon as they decide.",
        "es": "Esto ya está esperando la aprobación de alguien del equipo, así que no lo he pedido otra vez. "
        "Te lo diré aquí en cuanto decidan.",
        "fr": "Cette demande attend déjà l'approbation d'un membre de l'équipe, je ne l'ai donc pas "
        "redemandée. Je vous le dirai ici dès qu'il aura décidé.",
        "de": "Das wartet bereits auf die Freigabe durch jemanden aus dem Team, daher habe ich nicht noch "
        "einmal gefragt. Ich sage Ihnen hier Bescheid, sobald entschieden ist.",
        "pt": "Isto já está à espera da aprovação de alguém da equipa, por isso não voltei a pedir. Digo-lhe "
        "aqui assim que decidirem.",
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

TEXTS: dict[str, dict[str, str]] = {**GENERAL_TEXTS, **ORDER_TEXTS, **STANDING_TEXTS}


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
