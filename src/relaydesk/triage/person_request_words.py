"""The words a request for a person is built from: what each language's lexicon holds (who can
be asked for, the verbs that reach or hand over to them, what marks a request, what turns the same
words into another sense) and the words all five share. ``person_request.py`` combines them
clause by clause; nothing here is a whole sentence. The lexicons themselves are in
``person_request_words_en_es.py`` and ``person_request_words_fr_de_pt.py``.

Entries are lower-case without accents (the reader strips them), words separated by spaces; a
word ending in ``*`` matches any word it begins (``transf*``). French elisions are split by the
reader (``l'agent`` is ``l'`` ``agent``), hyphens separate words (``passez-moi``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def word_list(text: str) -> list[str]:
    """The words of ``text``: lexicons are written as lines of words."""
    return text.split()


@dataclass(frozen=True)
class Lexicon:
    """One language's words for asking for a person (each field a sequence of entries)."""

    persons: Sequence[str]
    """Someone who can be asked for: "agent", "a human", "quelqu'un", "Mitarbeiter"."""
    services: Sequence[str]
    """A team or service a customer can be put through to; counts only with a contact verb."""
    contact: Sequence[str]
    """Verbs of talking to or being dealt with by someone, in forms a request uses (no past)."""
    handover: Sequence[str]
    """Verbs of passing the customer or the case on: transfer, connect, weiterleiten."""
    bare_handover: Sequence[str]
    """Hand-over verbs that ask for a person with only "me" as object ("transfer me")."""
    escalate: Sequence[str]
    """Escalating the case, a request on its own ("escalate my case", "eskalieren Sie")."""
    callback: Sequence[str]
    """Being called or contacted back, addressed to the shop ("call me back", "rappelez-moi")."""
    wants: Sequence[str]
    """Request markers that take a person as object: want, need, would like, get me."""
    exists: Sequence[str]
    """Asking whether someone is there: "is there", "hay", "y a-t-il", "gibt es", "tem"."""
    me: Sequence[str]
    """The customer as object of a hand-over: me, mich, moi, my case."""
    negators: Sequence[str]
    """Words that turn the rest of a clause down: not, no need, ne, kein, nao."""
    resets: Sequence[str]
    """Conjunctions after which a negation no longer holds: but, pero, mais, aber, mas."""
    self_words: Sequence[str]
    """The customer describing themself: "I am", "soy", "je suis", "ich bin", "sou"."""
    own: Sequence[str]
    """The customer's own people: my, mi, mon, mein, meu (my manager approved it)."""
    other_before: Sequence[str]
    """Words before a person noun that make it another sense: travel (agent), cleaning (agent)."""
    other_after: Sequence[str]
    """Words after a person noun that make it another sense: (human) hair, (agente) de viajes."""
    reported: Sequence[str]
    """A past or third-person report: yesterday, last week, told me, falei, m'a dit."""
    fillers: Sequence[str]
    """Words a bare "agent please" may carry besides the person."""


BOTS = frozenset(
    word_list(
        "bot bots robot robots robo chatbot machine maquina machines ai ia ki script faq automated "
        "automatic automatico automatica automatique automatische automatischen automatisch "
        "automaticas automaticos assistant assistente asistente computer ordinateur"
    )
)
"""What a customer contrasts a person with: "not a bot", "pas un robot", "kein Bot"."""

ADJECTIVES = frozenset(
    word_list(
        "a an the one of your ur some real actual live living human proper single "
        "un una uno el la los las le l' les du des d' de del al vrai vraie vrais vraies reel reelle "
        "verdadera verdadero autentico real humano humana humain humaine directement direct directly "
        "ein eine einen einem einer nen nem ne der die den dem des echten echte echter echtes richtigen "
        "richtige menschlichen menschlicher um uma o a os as do da algum alguma algun alguna algunos "
        "ihr ihren ihrem ihrer votre vos su sus seu sua vosso vossa vuestro vuestra tu"
    )
)
"""Determiners and adjectives a person noun may carry ("a real human", "un vrai conseiller")."""

INTERROGATIVES = frozenset(
    word_list(
        "which what whose quel quelle quels quelles que qual quais welche welcher welches welchen "
        "welchem cual cuales"
    )
)
"""Which (agent do you recommend), quel (opérateur), welches, qual: asking about a thing."""

OTHERS = frozenset(
    word_list(
        "another other others else otra otro otras otros autre autres andere anderen anderer anderes "
        "outra outro outras outros"
    )
)
"""Another person (picks up the order), otra persona, eine andere Person: not staff."""

AVAILABLE = frozenset(
    word_list(
        "available around online disponible disponibles disponibilite verfugbar erreichbar "
        "disponivel disponiveis"
    )
)
"""Whether someone is there, after the person or before: "is an agent available?", "verfügbar"."""

ORIGINS = frozenset(word_list("from of at in on de del da do dos das von vom aus bei du des d' chez"))
"""Where a named person comes from: "someone from your team", "alguien del equipo"."""

OTHER_WORDS = frozenset(
    word_list(
        "personal personally personalised personalized personality personalizado personalizada personales "
        "personalizar personnalise personnalisee personnel personnelle personnelles personnels pessoal "
        "pessoais personalizado personalizada personenbezogen personenbezogenen personenbezogene"
    )
)
"""Words made from a person noun that name no one: "a personal message", "datos personales"."""

PRONOUNS = frozenset(
    word_list(
        "someone somebody anyone anybody somone sombody some1 any1 smb alguien algien algn alguin "
        "quelqu'un qqn qqun qq1 quelquun quelqu1 jemand jemanden jemandem jmd jmdn jmdm alguem algm alguen"
    )
)
"""Someone: after "que" a conjunction ("que alguien me llame"), never "which"."""

PRAISE = frozenset(
    word_list(
        "thank thanks thx thanked grateful helpful lovely great kind friendly nice "
        "gracias agradecer agradezco amable amables merci remercier remercie gentil gentille sympa "
        "aimable danke bedanken freundlich nett obrigado obrigada agradeco atencioso atenciosa "
        "educado educada"
    )
)
"""Thanks and praise: "thanks to the agent who helped", "la persona fue muy amable" is no request."""

BENEFICIARY = frozenset(word_list("for para pour fur pra"))
"""For someone (a gift for a person, a tent for one person): the person is not asked for."""

SEEKING = frozenset(
    word_list("ask asking look looking wait waiting call calling pedir preguntar demander attendre")
)
"""Verbs before "for a person" that do seek one: "ask for a human", "wait for an agent"."""

QUANTITIES = frozenset(word_list("many how combien cuantas cuantos quantas quantos wie viele few several"))
"""How many people (the tent fits)."""

NOT_TYPOS = frozenset(
    word_list(
        "stuff stuffed employer employers personal personally persona personas personne personnes "
        "personen pessoas agenda agency "
        "manage managed managing humane humanity humor humour speck steak specs operate operation "
        "represent represents supervise staffed helper agents' talks chats spoken coleta coletas colete"
    )
)
"""Real words one letter away from a person noun or a verb: never read as a slip."""


HIRING = frozenset(
    word_list(
        "hiring recruiting recruit recruitment vacancy vacancies careers cv internship "
        "contratando contratan contratais contratam vacante vacantes curriculum "
        "curriculo empleo emprego vaga vagas embauchez embauche embaucher recrutez recrute recruter "
        "recrutement candidature recrutando recrutam recrutar bewerbung bewerben stellenangebot "
        "stellenangebote stellenanzeige"
    )
)
"""Hiring and applying for a job: "are you hiring agents?", "¿contratan asesores?", "vagas para
atendente": the person noun names a job, not someone to talk to."""

ASSIGNED = frozenset(
    word_list(
        "account cuenta compte conta clientele kundenbetreuer kundenbetreuerin betreuer betreuerin "
        "sachbearbeiter sachbearbeiterin ansprechpartner ansprechpartnerin interlocuteur interlocutrice "
        "gestionnaire caseworker case"
    )
)
"""Words of someone the shop assigns to the customer: "my account manager", "mi gestor de cuenta",
"ma chargée de clientèle", "mein Kundenbetreuer" are staff, not the customer's own people."""

NOBODY = frozenset(word_list("nobody noone niemand niemanden niemandem nadie ninguem personne"))
"""Nobody, after "is there": "gibts da niemanden, mit dem man reden kann?", "no hay nadie con
quien hablar?" asks for a person by complaining there is none."""


def with_human_help(lexicon: Lexicon, nouns: str, adjectives: str) -> Lexicon:
    """``lexicon`` with help from a human as persons, each noun with each adjective:
    "asistencia humana", "menschliche Hilfe" (the order is the language's)."""
    pairs = [f"{a} {b}" for a in nouns.split() for b in adjectives.split()]
    return Lexicon(**{**lexicon.__dict__, "persons": (*lexicon.persons, *pairs)})
