"""Whether a message asks for a person: "can i tlak to a humna pls", "Quiero hablar con una
persona", "agent!!", "get me a manager", in English (with the common slips), Spanish, French,
German and Portuguese; and not the same words used in another sense ("is this wig made of human
hair?", "the tour operator cancelled my trip", "I am a sales representative", "are you a real
person?", which asks about the assistant).

``asks_for_person(text)`` reads the words; ``request_guard(text)`` says whether a guess of the
intent model ("human_handoff") may stand: a message that only describes someone ("I'm a sales
rep") or asks about the assistant is not a request, however the model reads it.
"""

from __future__ import annotations

import re

_PERSON = (
    r"(a |an |the |some |one of the |your |real |live |actual )*"
    r"(human|humna|huamn|hooman|humen|person|persn|pesron|preson|people|agent|agnet|agetn|"
    r"someone|somebody|some one|representative|rep|operator|manager|supervisor|team ?lead|staff|"
    r"support staff|customer service|human being|real person|live agent|employee|advisor|adviser|"
    r"specialist|somone|sombody|perosn|peron|prson|persom|agant|humam|member of (staff|your team|the team))"
)
_TALK = r"(talk|tlak|tak|talkk|speak|speek|spek|spaek|chat|cht|speack|speakk)"
_REQUEST_EN = (
    rf"{_TALK} (to|too|with|wiht|w) {_PERSON}\b",
    rf"(get|give|put|transfer|connect|pass|send|escalate) (me|us|this|it)? ?"
    rf"(to|through to|thru to|with)? ?{_PERSON}\b",
    rf"(want|need|wanna|would like|i'd like|like|require|request|demand|asking for|ask for) (to )?"
    rf"({_TALK} (to|with) )?{_PERSON}\b",
    rf"(can|could|may) i (get|have) {_PERSON}\b",
    rf"(help|assistance|support|answer) from {_PERSON}\b",
    r"(can|could) (someone|somebody|a person|a human|an agent) (help|call|contact|look)",
    rf"{_PERSON} (please|pls|plz|now|asap)\b",
    r"^\W*(human|agent|operator|representative|person|a person|a human|real person|live agent|manager|"
    r"supervisor|someone real)\W*(please|pls|plz)?\W*$",
    r"\b(not|no more|stop talking to|done with|sick of|tired of) (a |the |this |your )?"
    r"(bot|robot|machine|ai)\b",
    r"\b(real|actual|live) (human|person|people|agent)\b",
    r"\b(someone|somebody|a person|a human|an agent|a rep|one of you) (from|on|at|in) (your|the) "
    r"(team|staff|support|store|shop|company)\b.{0,40}\b(look|help|check|call|contact|handle|sort)",
    r"\brather .{0,60}\b(with|to|by) (someone|somebody|a person|a human|your team|an agent|"
    r"a real person|a human being|one of your (staff|team))\b",
    r"\bthan (with |to )?(a |the |this )?(bot|robot|machine|ai|chatbot)\b",
    r"\b(is there|could i|can i|may i) .{0,30}\b(a member of (staff|your team|the team)|someone|somebody|"
    r"a person|a human|an agent)\b.{0,40}\b(deal|talk|speak|chat|work) (with|to)\b",
    r"\bhuman (please|pls|plz|agent|support|help|being)\b",
    r"\bany (humans?|persons?|people|real (person|people|humans?)) (around|there|here|available)\b",
    r"\bany(one|body) (real|human)\b",
    r"\b(have|had) a word with (someone|somebody|a person|a human|an agent|a manager|your)\b",
    r"\b(someone|somebody|a person) from (billing|your team|the team|support|customer service|returns|"
    r"refunds|accounts?|the \w+ (team|department))\b"
    r"(?! (told|said|called|sent|was|emailed|helped|wrote|promised|already))",
    r"\b(complaint|complain) (with|to) (a |the |your )?(manager|supervisor|person|human)\b",
    r"\btransferr?(ed|ing)? (me )?to (the |a |your )?\w+ (department|team)\b",
    r"\b(done|tired|sick|fed up) (explaining|talking|chatting|typing)\b.{0,30}\b(machine|bot|robot|ai)\b",
    r"\b(stop|quit) (the )?(bot|robot|machine|automated)\b",
    r"\bescalat\w* (it |this )?(to|with) (a |the |your )?(manager|supervisor|team ?lead|person|human|"
    r"someone|senior)",
    r"\b(someone|somebody) (from|on|at) (your|the) (team|staff|support|store|shop) to (look|check|call|help|"
    r"handle|sort|contact|review)",
)
_REQUEST_OTHER = (
    # Spanish
    r"hablar con (una persona|un humano|un agente|alguien|un asesor|un operador|un responsable|un encargado|"
    r"un supervisor|una persona real)",
    r"(quiero|necesito|quisiera|pásame|pasame|paseme) (con )?"
    r"(una persona|un humano|un agente|alguien|un asesor|un operador|un supervisor)",
    r"persona real|atención humana|atencion humana",
    r"\b(comunicar|comunicas|comunican|transfieres|transfiere|transferir|pasas|pasa|pasar|pásame|pasame|"
    r"derivar|deriva) (me )?(con|a) (un|una|el|la|alguien|algún|algun)\b.{0,25}\b(persona|humano|agente|"
    r"asesor|operador|ejecutivo|gerente|encargado|supervisor|responsable|equipo|alguien)",
    r"\bque me atienda (una persona|un humano|alguien|un agente|un asesor|un ejecutivo|un operador)",
    r"\b(alguna persona|algún humano|alguien) (disponible|que me (atienda|ayude))|\batenderme\b",
    r"\b(hablar|ablar) con (el|la) (gerente|encargad[oa]|supervisor|responsable)|\bablar con una persona",
    r"\b(un|una) (agente|persona) (que )?revise",
    r"\balguien del equipo (de|que)\b",
    # French
    r"parler (à|a|avec) (quelqu'un|quelqu’un|une personne|un humain|un agent|un conseiller|un responsable|"
    r"un opérateur|un operateur|une vraie personne)",
    r"(je veux|je voudrais|j'aimerais|passez-moi|mettez-moi en relation avec) (parler à )?"
    r"(quelqu'un|une personne|un humain|un agent|un conseiller|un responsable)",
    r"(une )?(vraie personne|personne réelle|personne physique)|un conseiller humain",
    r"\bconseiller\b\W*$|^\W*conseiller|mett(ez|re|s)[- ]moi en (relation|contact)|"
    r"en (relation|contact) avec (un|une|quelqu'un|qqn|un de vos)|\bqqn de r[ée]el|"
    r"\bparl[ée]r? a (un|une|qqn|quelqu'un)\b|"
    r"(échanger|echanger|discuter) avec un (conseiller|agent|humain)|une personne de votre service|"
    r"^\W*un humain\b|\bje veux un humain|\bun de vos collègues",
    # German
    r"(mit )?(einem|einer) (menschen|mitarbeiter|mitarbeiterin|berater|beraterin|person|kundenberater|"
    r"kundenberaterin|vorgesetzten|echten person) (sprechen|reden)",
    r"(echten|echte|richtigen) (menschen|mensch|mitarbeiter|person)",
    r"(verbinden sie mich|stellen sie mich durch) (mit|zu) ",
    r"\bvorgesetzte[nr]?\b|\bmit jemandem (aus|von) ihrem (team|support|kundenservice)|\bweiterleiten\b|"
    r"\b(echten|richtigen) ansprechpartner|\bpersönlich (bei mir )?melden|\beinen kollegen\b|"
    r"\b(mensch|menschen) (bitte|sprechen|reden)|\bmit (einem|einer) (mensch|menschen) (redn|reden|sprechen)",
    # Portuguese
    r"falar com (uma pessoa|um humano|um atendente|um agente|alguém|alguem|um assistente|um responsável|"
    r"um supervisor|uma pessoa real)",
    r"(quero|preciso|queria) (de )?(uma pessoa|um humano|um atendente|um agente|alguém|alguem)",
    r"pessoa real|atendimento humano|atendente humano",
    r"\b(chama|chame|chamar) (o|a|um|uma) (supervisor|gerente|responsável|responsavel|atendente)|"
    r"\b(kero|qro|quero) falar c(om)? (um|uma|alguém|alguem) ?\w*|"
    r"\bme (transfere|transfira|passa|passe) (pr[oa]|para|pra)\b|\bquero gente\b|\bhumano,? por favor|"
    r"\btem (algum|alguém|alguem) (humano|atendente|pessoa)|\b(alguém|alguem) disponível para me atender|"
    r"\bme atender agora|\bfalar com um consultor|\b(algum|um) colega seu|\batendemte\b",
)
_HAND_ME_OVER = (
    # "pass / transfer / put me through / escalate to" + a person or the service, in four languages
    r"\b(deriv|transf[ie]r|pas[ae]|p[áa]seme|comuni[cq]u?|escal)\w* .{0,40}\b(atenci[óo]n al cliente|"
    r"servicio al cliente|supervisor|encargad[oa]|compañer[oa]s?|emplead[oa]|gerente|ejecutivo|alguien|"
    r"una persona|un humano|un agente|un asesor)",
    r"\bque me (llame|atienda|contacte) (alguien|una persona|un empleado|un agente|un asesor)|"
    r"\bme (atendiera|atienda) un (empleado|agente|asesor|humano)|"
    r"\balguien de(l| su| tu| vuestro) equipo (revise|mire|me (llame|contacte|atienda|ayude))",
    r"\b(transf[ée]r|pass|mett|escalad|remont)\w* .{0,30}\b(service client|conseiller|responsable|"
    r"interlocuteur|collègue|quelqu'un|une personne|un humain|un agent|un opérateur|un operateur)",
    r"\b(échanger|echanger|parler|discuter) (directement )?avec (quelqu'un|une personne|un membre)|"
    r"\bvrai interlocuteur|\bqu'un (opérateur|operateur|conseiller|agent) prenne le relais|"
    r"\b(un membre|quelqu'un) de (votre|chez vous)\b.{0,40}\b(contacter|rappeler|appeler|échanger|parler)",
    r"\b(weiterleit|verbind|durchstell|eskalier)\w* .{0,40}\b(kundenservice|teamleiter|kollege\w*|"
    r"mitarbeiter\w*|jemand\w*|menschen|vorgesetzt\w*|berater\w*)|\b(teamleiter|kundenberater)\b.{0,40}"
    r"\b(kümmern|melden|zurückrufen|sprechen)|\bjemand aus ihrem team\b|\bzu jemandem\b",
    r"\b(transfer|pass|encaminh|escal|cham)\w* .{0,30}\b(atendimento|colaborador|funcion[áa]rio|colega|"
    r"gerente|supervisor|algu[ée]m|uma pessoa|um humano|um atendente)|"
    r"\bque uma pessoa me (ligue|atenda|contacte)|\bum funcion[áa]rio me atend|"
    r"\batendido .{0,20}por um (colaborador|funcion[áa]rio|atendente)",
)
REQUEST = re.compile(
    "|".join(f"(?:{p})" for p in (*_REQUEST_EN, *_REQUEST_OTHER, *_HAND_ME_OVER)), re.IGNORECASE
)

ABOUT_THE_ASSISTANT = re.compile(
    r"\b(are|r) (you|u) (a |an )?(real|human|person|bot|robot|ai)\b|"
    r"\bam i (talking|speaking|chatting) (to|with) (a |an )?(real )?(person|human|bot|robot)\b|"
    r"\bis this (a |an )?(real )?(person|human|bot|robot)\b|"
    r"\b(schreibe|spreche|chatte|rede) ich (hier )?mit (einem|einer) (echten )?"
    r"(menschen|mensch|person|bot|ki|maschine)|"
    r"\bestoy (hablando|escribiendo|chateando) con (un|una) (persona|humano|bot|robot|máquina|ia)|"
    r"\bje (parle|discute|écris) (à|a|avec) (un|une) (humain|personne|robot|bot|ia|machine)|"
    r"\bestou (a falar|falando|conversando) com (um|uma) (pessoa|humano|robô|robo|bot|ia|máquina)|"
    r"\b(eres|es usted) (una |un )?(persona|humano|bot|robot|ia|máquina)|"
    r"\b(êtes-vous|es-tu|tu es|vous êtes) (une |un )?(vraie )?(personne|humain|bot|robot|ia)|"
    r"\b(bist du|sind sie) (ein |eine )?(echter |echte )?(mensch|person|bot|roboter|ki)|"
    r"\bbin ich (hier )?mit (einem|einer) (menschen|mensch|person|bot|ki|maschine)|"
    r"\b(você é|voce e|és) (uma |um )?(pessoa|humano|bot|robô|robo|ia)",
    re.IGNORECASE,
)
"""A question about what the assistant is: answered, not taken as a request."""
SELF_DESCRIPTION = re.compile(
    r"^\W*(i am|i'm|im|we are|we're|my (name|job|role) is|i work as)\b", re.IGNORECASE
)
OTHER_SENSES = re.compile(
    r"\bhuman(-| )(hair|body|skin|error|rights|resources|size|use|consumption|made|grade)\b|"
    r"\brepresentative (sample|example|selection|photo|picture)s?\b|\b(cleaning|chemical|customs|zoll)agent|"
    r"\b(cleaning|chemical|customs) agents?\b|\bagent orange\b|"
    r"\b(tour|phone|network|mobile|machine|crane|forklift|smooth|camera|travel) operators?\b|"
    r"\b(sales|travel|insurance|union) (rep|representative|agent)s?\b|"
    r"\b(real estate|travel|shipping|customs|booking) agents?\b|"
    r"\bperson(al|ally|alised|alized|ality)\b|"
    r"\b(the|your|an?) (agent|person|rep|representative|guy|lady|woman|man) (i|we) (spoke|talked|chatted|"
    r"dealt) (to|with)\b",
    re.IGNORECASE,
)
"""The request words in another sense: products, other trades, oneself."""
_STRONG = re.compile(
    rf"{_TALK} (to|too|with|wiht|w) {_PERSON}|(want|need|get|give|transfer|connect) (me )?(to )?(a |an )?"
    r"(human|person|agent|manager|someone|somebody|representative)\b",
    re.IGNORECASE,
)


NO_PERSON_NEEDED = re.compile(
    r"\b(don'?t|do not|no|never) (need|want) (a |to (talk|speak) to (a |an )?)?(human|person|agent|"
    r"someone|anyone|transfer)|\bno need to (transfer|get|bring|involve|pass)|"
    r"\bno (human|person) (needed|necessary)|"
    r"\b(pas besoin de|inutile de) (me )?(passer|transférer|parler)|\bno (hace falta|necesito) (pasarme|"
    r"hablar con|una persona|un humano|que me pases)|\b(ich )?brauche? kein(e|en)? (mitarbeiter|"
    r"ansprechpartner|person|menschen)|\bn[ãa]o (preciso|[ée] preciso|precisa) (de )?(falar|uma pessoa|"
    r"um humano|me passar|transferir)",
    re.IGNORECASE,
)
"""Turning a person down in so many words: "I don't need a human, just tell me when…"."""


def asks_for_person(text: str) -> bool:
    """True when the words ask for a person (not about the assistant, not the words in another sense)."""
    if not text or NO_PERSON_NEEDED.search(text):
        return False
    match = REQUEST.search(text)
    if match is None:
        return False
    if ABOUT_THE_ASSISTANT.search(text) and not _STRONG.search(text):
        return False
    if OTHER_SENSES.search(text) and not _STRONG.search(text):
        return False
    return not (SELF_DESCRIPTION.search(text) and not _STRONG.search(text))


def request_guard(text: str) -> bool:
    """Whether an intent model's "asks for a person" reading may stand for ``text``."""
    if NO_PERSON_NEEDED.search(text):
        return False
    if ABOUT_THE_ASSISTANT.search(text) or SELF_DESCRIPTION.search(text):
        return bool(_STRONG.search(text))
    return not OTHER_SENSES.search(text) or bool(_STRONG.search(text))
