"""The social side of a customer's message, in English, Spanish, French, German and Portuguese:
a hello, "how's it going?", thanks, an acknowledgement ("ok", "👍"), a goodbye ("that's all"), a
question about the assistant ("are you a bot?"), a yes or a no.

``social_act(text)`` returns the act and, when its words say so, the language they are written in
("hola" is Spanish however short); None when the message carries anything else ("thanks, but my
parcel never came" is a request and goes to the responders that can answer it). Matching is by
whole phrases over the lower-cased text, so "hi" does not match inside "this" and a request that
merely starts with a greeting is not small talk.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Acts, strongest first: a message with several ("hi, thanks, bye") is the first that appears here.
ACTS = ("bot_question", "how_are_you", "decline", "accept", "farewell", "thanks", "greeting", "ack")

PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "bot_question": {
        "en": (
            "are you a (ro)?bot",
            "are you an? (ai|a\\.i\\.|machine|computer|program|chatbot)",
            "are you (a )?(real person|actual person|live person|real human|real|human|person)",
            "are u a (ro)?bot",
            "r u a (ro)?bot",
            "are you real",
            "am i (talking|chatting|speaking) (to|with) an? (ro)?bot",
            "am i (talking|chatting|speaking) (to|with) an? (real )?(person|human)",
            "is this an? (ro)?bot",
            "is this (automated|ai|a real person|a human)",
            "is this a chatbot",
            "you'?re an? (ro)?bot",
            "who am i (talking|speaking|chatting) (to|with)",
            "what are you",
        ),
        "es": (
            "eres (un )?(ro)?bot",
            "eres (una )?(ia|persona real|persona|humano|máquina)",
            "es un bot",
            "hablo con (un )?(ro)?bot",
            "hablo con una persona",
            "(hablo|estoy hablando|estoy chateando) con (un |una )?((ro)?bot|ia|máquina)",
            "(hablo|estoy hablando|estoy chateando) con (una )?(persona( real)?|humano) o (con )?(un |una )?"
            "((ro)?bot|ia|máquina)",
        ),
        "fr": (
            "(êtes-vous|es-tu|etes vous|tu es|vous êtes) (un )?(ro)?bot",
            "(êtes-vous|es-tu|tu es|vous êtes) (une )?(ia|vraie personne|personne réelle|humain)",
            "c'est un (ro)?bot",
            "je parle à un (ro)?bot",
            "(je parle|je discute|je suis en train de parler) (à|avec) (un |une )?((ro)?bot|ia|machine)",
            "(je parle|je discute) (à|avec) (un |une )?(humain|vraie personne|personne) ou (à |avec )?"
            "(un |une )?((ro)?bot|ia|machine)",
        ),
        "de": (
            "bist du (eigentlich |wirklich |echt )?(ein )?(ro)?bot(er)?",
            "sind sie (eigentlich |wirklich |echt )?(ein )?(ro)?bot(er)?",
            "bist du (eigentlich |wirklich |echt )?(eine |ein )?(ki|mensch)",
            "sind sie (eigentlich |wirklich |echt )?(eine |ein )?(ki|mensch|echte person)",
            "ist das ein bot",
            "rede ich mit einem (ro)?bot(er)?",
            "(schreibe|rede|spreche|chatte) ich (hier )?mit (einem |einer )?((ro)?bot(er)?|ki|maschine)",
            "(schreibe|rede|spreche|chatte) ich (hier )?mit (einem |einer )?"
            "(mensch(en)?|echten person|person) oder (mit )?(einem |einer )?((ro)?bot(er)?|ki|maschine)",
        ),
        "pt": (
            "(você é|voce e|és|es) (um )?(ro)?b[oô]",
            "(você é|voce e|és) (uma )?(ia|pessoa real|humano)",
            "é um bot",
            "estou a falar com um (ro)?b[oô]",
            "(falo|estou a falar|estou falando) com (um |uma )?((ro)?b[oô]t?|ia|máquina)",
            "(falo|estou a falar|estou falando) com (uma )?(pessoa( real)?|humano) ou (com )?(um |uma )?"
            "((ro)?b[oô]t?|ia|máquina)",
        ),
    },
    "how_are_you": {
        "en": (
            "how are you( doing)?( today)?",
            "how('?s| is) it going",
            "how r u",
            "how are u",
            "how you doing",
            "how('?s| is) your day",
            "what'?s up",
            "sup",
            "how are things",
            "how'?s everything",
            "hope you('?re| are) (well|good|doing well|keeping well)",
        ),
        "es": ("qué tal", "que tal", "cómo estás", "como estas", "cómo está", "cómo va", "como va"),
        "fr": (
            "ça va",
            "ca va",
            "comment allez-vous",
            "comment allez vous",
            "comment vas-tu",
            "comment ça va",
        ),
        "de": ("wie geht'?s", "wie geht es (dir|ihnen)", "alles gut bei (dir|ihnen)"),
        "pt": ("tudo bem", "tudo bom", "como está", "como estás", "como vai"),
    },
    "decline": {
        "en": (
            "no thanks?( you)?",
            "no thx",
            "nah( i'?m good)?",
            "nope",
            "no",
            "not now",
            "not yet",
            "no need",
            "not needed",
            "no,? (that'?s|it'?s) (fine|ok|okay|alright)",
            "i'?m (fine|good|ok|okay)",
            "that'?s (fine|ok|okay)",
            "it'?s (fine|ok|okay)",
            "maybe later",
            "all good",
        ),
        "es": ("no gracias", "no, gracias", "no", "ahora no", "no hace falta", "estoy bien", "todavía no"),
        "fr": ("non merci", "non", "pas maintenant", "pas besoin", "ça ira", "ca ira", "ça va aller"),
        "de": ("nein danke", "nein", "jetzt nicht", "nicht nötig", "passt schon", "schon gut"),
        "pt": ("não obrigad[oa]", "nao obrigad[oa]", "não", "nao", "agora não", "não é preciso", "estou bem"),
    },
    "accept": {
        "en": (
            "yes( please)?",
            "yeah",
            "yep",
            "yup",
            "sure( thing)?",
            "please do",
            "go ahead",
            "ok do it",
            "do it",
            "yes,? connect me",
            "connect me",
        ),
        "es": ("sí( por favor)?", "si( por favor)?", "claro", "vale, sí", "adelante"),
        "fr": ("oui( s'il vous plaît| svp| merci)?", "d'accord, oui", "volontiers", "allez-y"),
        "de": ("ja( bitte| gern(e)?)?", "gerne", "okay, ja"),
        "pt": ("sim( por favor)?", "pode ser", "claro que sim"),
    },
    "thanks": {
        "en": (
            "thanks?( you)?( so much| very much| a lot| a bunch| again)?",
            "thx",
            "thnx",
            "thanx",
            "ty",
            "tysm",
            "tyvm",
            "cheers",
            "many thanks",
            "much appreciated",
            "(i )?appreciate (it|that|the help)",
            "thank u",
            "ta",
        ),
        "es": ("(muchas )?gracias( de nuevo)?", "mil gracias", "te lo agradezco"),
        "fr": ("merci( beaucoup| bien)?", "je vous remercie", "merci pour (votre|ton) aide"),
        "de": ("danke( schön| sehr)?", "vielen dank", "dankeschön", "besten dank"),
        "pt": ("obrigad[oa]", "muito obrigad[oa]", "valeu", "agradeço"),
    },
    "farewell": {
        "en": (
            "bye( bye)?",
            "goodbye",
            "good bye",
            "see (you|ya)( later)?",
            "cya",
            "later",
            "take care",
            "have a (good|nice|great) (day|one|evening|weekend)",
            "that'?s (all|it|everything)( for now)?",
            "nothing else",
            "i'?m all set",
            "all set",
            "that was all",
            "that'?ll be all",
            "all good( now)?",
            "found it",
            "figured it out",
            "(all )?sorted( now)?",
            "never ?mind",
            "nvm",
            "i'?m done",
        ),
        "es": (
            "adiós",
            "adios",
            "hasta luego",
            "hasta pronto",
            "chao",
            "eso (es|era) todo",
            "es todo",
            "nada más",
            "nada mas",
            "buen fin de semana",
            "que (tengas?|pases?|pasen) (un )?(buen|feliz|lindo|bonito) (día|dia|fin de semana)",
            "feliz (día|dia|tarde|noche|fin de semana)",
        ),
        "fr": (
            "au revoir",
            "à bientôt",
            "a bientot",
            "bonne journée",
            "bonne soirée",
            "bonne soiree",
            "bonne fin de journée",
            "bon week-end",
            "c'est tout",
            "rien d'autre",
        ),
        "de": (
            "tschüss",
            "tschüs",
            "auf wiedersehen",
            "bis dann",
            "das war'?s",
            "das wär'?s",
            "nichts weiter",
            "schönen (tag|abend|sonntag|feierabend)( noch)?",
            "schönes wochenende( noch)?",
        ),
        "pt": (
            "tchau",
            "adeus",
            "até logo",
            "ate logo",
            "é tudo",
            "e tudo",
            "mais nada",
            "bom dia para si",
            "bom fim de semana",
            "tenha um (bom|ótimo|otimo) (dia|fim de semana)",
            "tenha uma (boa|ótima|otima) (tarde|noite)",
        ),
    },
    "greeting": {
        "en": (
            "hi+",
            "hello+",
            "hey+",
            "heya",
            "hiya",
            "howdy",
            "yo",
            "greetings",
            "good (morning|afternoon|evening|day)",
            "morning",
            "hi there",
            "hello there",
            "hey there",
            "(is )?any(one|body) (there|here|around|home)",
            "you there",
        ),
        "es": ("hola", "buenas", "buenos días", "buenos dias", "buenas tardes", "buenas noches"),
        "fr": ("bonjour", "salut", "bonsoir", "coucou"),
        "de": ("hallo", "guten (tag|morgen|abend)", "moin", "servus", "grüß gott", "hi zusammen"),
        "pt": ("olá", "ola", "oi", "bom dia", "boa tarde", "boa noite"),
    },
    "ack": {
        "en": (
            "ok(ie|ey|ay)? dok(ie|ey|y)",
            "ok+(ay)?",
            "k+",
            "kk",
            "cool",
            "great",
            "perfect",
            "awesome",
            "nice",
            "got it",
            "gotcha",
            "understood",
            "alright",
            "all right",
            "sounds good",
            "good to know",
            "makes sense",
            "fine",
            "noted",
            "lol",
            "haha+",
            "will do",
            "i see",
            "ah ok",
            "oh ok",
            "oh",
            "ah",
            "right",
            "brilliant",
            "excellent",
            "lovely",
            "fab",
            "sweet",
            "good",
            "super",
            "amazing",
            "wonderful",
            "that helps",
            "that helped",
            "(that was|very|super|really) helpful",
        ),
        "es": (
            "vale",
            "perfecto",
            "genial",
            "entendido",
            "de acuerdo",
            "muy bien",
            "estupendo",
            "ok",
            "listo",
        ),
        "fr": ("d'accord", "parfait", "super", "compris", "très bien", "entendu", "génial", "ok"),
        "de": ("alles klar", "super", "perfekt", "verstanden", "gut", "prima", "okay", "ok", "klasse"),
        "pt": ("certo", "perfeito", "ótimo", "otimo", "entendi", "beleza", "combinado", "está bem", "ok"),
    },
}

_FILLER = """
sorry oops
from aí ahí por here
wait hmm um uh zusammen todos pessoal tout monde
my me i just question
quick fast speedy kind prompt support service assistance patience time answer answers reply info
so very much a lot just again and also please pls plz guys all everyone folks team there you your
for the this that it it's that's is was really help of ok oh ah well well then mate dear sir madam
hey por favor equipo todos a todos merci à vous tous de nouveau bitte euch alle por favor equipa
"""
FILLER = frozenset(_FILLER.split())
"""Words that may sit around social phrases without carrying a request."""

EMOJI_ONLY = re.compile(r"^[\W_]*$", re.UNICODE)
LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
POSITIVE_EMOJI = frozenset("👍👌🙂😊😀😃😄😁🙏✅👏💯❤️♥🥰😍🤝✨🎉🙌😉☺")
NEGATIVE_EMOJI = frozenset("👎😡😠🤬😤😞😢😭💩🙄")
LANGUAGE_NEUTRAL = frozenset(["ok", "okay", "super", "no", "hi", "hallo", "ola", "oi"])
"""Words shared by several languages: they do not say which language the customer writes in."""


@dataclass(frozen=True, slots=True)
class SocialAct:
    act: str
    """One of ``ACTS``; ``emoji`` for a message of emoji alone."""
    language: str | None
    """The language of the words that made it (None when they are shared, or emoji)."""


def _compile() -> list[tuple[str, str, re.Pattern[str]]]:
    compiled = []
    for act in ACTS:
        for language, phrases in PHRASES[act].items():
            for phrase in sorted(phrases, key=len, reverse=True):  # "buenas tardes" before "buenas"
                pattern = re.compile(rf"(?<![\w']){phrase}(?![\w'])", re.IGNORECASE)
                compiled.append((act, language, pattern))
    return compiled


_PATTERNS = _compile()
_WORD = re.compile(r"[\w']+", re.UNICODE)


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower().replace("\u2019", "'")
    return " ".join(text.split())


@lru_cache(maxsize=4096)
def social_act(text: str) -> SocialAct | None:
    """The message's social act when it is nothing but that, else None (a pure function of the
    text, asked several times per turn about the same messages: kept for the latest few thousand)."""
    raw = (text or "").strip()
    if not raw:
        return None
    if EMOJI_ONLY.match(raw) and not LETTER.search(raw):
        if any(ch in NEGATIVE_EMOJI for ch in raw):
            return None  # a thumbs-down or an angry face is not an acknowledgement
        return SocialAct("ack", None) if any(ch in POSITIVE_EMOJI for ch in raw) or "?" not in raw else None
    if _sarcastic(raw):  # "thanks for ignoring all my messages" is a complaint, not a thank-you
        return None
    rest = _normal(raw)
    found: list[tuple[int, str, str, str]] = []
    for act, language, pattern in _PATTERNS:
        for match in pattern.finditer(rest):
            found.append((match.start(), act, language, match.group(0)))
        rest = pattern.sub(" ", rest)
    names = {w.lower() for w in _NAME.findall(raw)}  # "Hi Northwind", "thanks Sarah"
    leftover = [w for w in _WORD.findall(rest) if w not in FILLER and w not in names]
    if any(act == "bot_question" for _, act, _, _ in found):  # "is this a real person or an AI?"
        leftover = [w for w in leftover if w not in ABOUT_BOT_WORDS]
    if not found:
        return None
    if leftover and not _closing(raw, found, leftover):
        return None
    acts = {act for _, act, _, _ in found}
    act = next(a for a in ACTS if a in acts)
    languages = {lang for _, _, lang, words in found if words.strip() not in LANGUAGE_NEUTRAL}
    return SocialAct(act, languages.pop() if len(languages) == 1 else None)


def _sarcastic(text: str) -> bool:
    from relaydesk.triage.frustration.features import SARCASM

    return SARCASM.search(text) is not None


_ABOUT_BOT = """
eigentlich really realmente vraiment wirklich en realidad
or an a ai bot robot chatbot human person real actual live talking speaking chatting to with im i'm
am i curious actually this is are you u o una un persona de verdad humano ou une personne vraie
humain oder ein eine mensch echter echte pessoa humano robô um
mit einer einem menschen ki hier ia con com avec à est ce que maschine máquina machine uma une
"""
ABOUT_BOT_WORDS = frozenset(_ABOUT_BOT.split())
"""Words a question about the assistant may carry ("or an AI", "I'm talking to", "o una persona")."""
_NAME = re.compile(r"(?<=[\w,!.] )[A-Z][a-z]+\b")
"""A capitalised word after the first: a name ("Hi Northwind", "thanks Sarah"), not a request."""
_KEEPS_ASKING = re.compile(
    r"\?|\b(but|however|though|although|still|yet|not|never|no longer|n't|cannot|where|when|how|what|"
    r"why|which|who|can you|could you|would you|will you|want|wanted|need|needs|like to|please|pls|"
    r"pero|todavía|todavia|dónde|donde|cuándo|cuando|cómo|quiero|necesito|mais|toujours|où|quand|"
    r"comment|je veux|aber|noch|nicht|wo|wann|wie|ich will|mas|ainda|onde|quando|como|quero|preciso|"
    r"quanto|cuánto|cuanto|combien|wieviel|wie viel|qual|cual|cuál|quel|quelle|diz|dime|dis-moi|sag|"
    r"tell me|let me know)\b",
    re.IGNORECASE,
)
MAX_CLOSING_WORDS = 10


def _closing(raw: str, found: list[tuple[int, str, str, str]], leftover: list[str]) -> bool:
    """A thank-you or goodbye with a few words about how it went ("the reset link worked,
    thanks!", "ok thanks thats all i needed"), asking for nothing more."""
    if not any(act in ("thanks", "farewell") for _, act, _, _ in found):
        return False
    return len(leftover) <= MAX_CLOSING_WORDS and not _KEEPS_ASKING.search(raw)


LEAD_INS = re.compile(
    r"^\W*(nvm|never ?mind|different (q|question)|quick (q|question)|another (q|question)|one more (thing|q)|"
    r"also|btw|by the way|ok(ay)?|so|anyway|right|cool|thx|thanks|hiya|hi|hey|hello|nah,? i'?m good|fine|"
    r"alright|well|great|"
    r"no,? thanks?|no,? i'?m good|nah,? that'?s ok|nope)\b\W*",
    re.IGNORECASE,
)


def strip_social_prefix(text: str) -> str:
    """``text`` without the social lead-in before the question ("thx. different q: how long do I
    have to return a jacket?" reads "how long do I have to return a jacket?"), for a search."""
    rest = text
    for _ in range(6):
        match = LEAD_INS.match(rest)
        if match is None or not match.group(0).strip():
            break
        rest = rest[match.end() :]
    return rest if len(_WORD.findall(rest)) >= 2 else text
