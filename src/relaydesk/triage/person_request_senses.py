"""The lexicons compiled for reading (``LexiconReader``, one per language) and whether a person
word in a clause names someone a customer can ask for (``other_sense``): not "human hair", "my
travel agent", "the person I sent money to", "someone has stolen my card", "Zollagent"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from relaydesk.triage.person_request_phrases import Phrases, tokens
from relaydesk.triage.person_request_words import (
    ADJECTIVES,
    ASSIGNED,
    BENEFICIARY,
    HIRING,
    INTERROGATIVES,
    ORIGINS,
    OTHERS,
    PRONOUNS,
    QUANTITIES,
    SEEKING,
    Lexicon,
    word_list,
)
from relaydesk.triage.person_request_words_en_es import EN, ES
from relaydesk.triage.person_request_words_fr_de_pt import DE, FR, PT

LEXICONS: dict[str, Lexicon] = {"en": EN, "es": ES, "fr": FR, "de": DE, "pt": PT}
"""The languages a request for a person is read in."""

_NUMBERS = frozenset(
    word_list(
        "two three four five six seven eight ten dos tres cuatro cinco seis deux trois quatre cinq "
        "zwei drei vier funf sechs dois duas quatro"
    )
)
_ROMANCE_HUMAN = frozenset(word_list("humano humana humanos humanas humain humaine humains humaines"))
PREPOSITIONS = frozenset(word_list("to with con com avec a de d' para pra pro por par zu mit an for from"))
_IN = frozenset(word_list("in en em"))
_FRENCH_DETERMINERS = frozenset(word_list("une la cette vraie chaque"))
"""Before "personne" these make it someone; without one it is nobody ("ne ... personne")."""
_STATEMENTS = frozenset(word_list("is are was were has had did stole took sent left got made keeps kept"))
"""After a person in English, a statement about them ("someone has stolen my card"), no request."""
_PAST = frozenset(word_list("sent spoke told paid gave bought met saw had got sold was were"))
"""Past verbs after "the person I ...": a description ("the person I sent money to")."""
PRONOUN_SUBJECTS = frozenset(word_list("i we you he she they"))
BARE_PLURALS = frozenset(word_list("people ppl folks"))
"""English plurals that name staff only with a word before them ("ur support ppl", "real people")."""
_STAFF_MODIFIERS = frozenset(word_list("real actual live your ur human some any"))


@dataclass(frozen=True)
class LexiconReader:
    """One language's lexicon, compiled."""

    language: str
    lexicon: Lexicon
    persons: Phrases
    services: Phrases
    contact: Phrases
    handover: Phrases
    bare_handover: Phrases
    escalate: Phrases
    callback: Phrases
    wants: Phrases
    exists: Phrases
    me: Phrases
    negators: Phrases
    resets: Phrases
    reported: Phrases
    self_words: Phrases
    vocabulary: frozenset[str]
    suffixes: tuple[str, ...]
    """Person nouns long enough to end a compound ("mitarbeiter" in "Vertriebsmitarbeiter")."""

    @classmethod
    def build(
        cls, language: str, lexicon: Lexicon, typos: tuple[str, ...], known: frozenset[str]
    ) -> LexiconReader:
        fields = {
            name: Phrases(getattr(lexicon, name), typos=name in typos, known=known)
            for name in word_list(
                "persons services contact handover bare_handover escalate callback wants exists me "
                "negators resets reported self_words"
            )
        }
        vocabulary = frozenset().union(*(p.words for p in fields.values()), lexicon.fillers)
        suffixes = tuple(w for w in fields["persons"].single if len(w) >= 5)
        return cls(language=language, lexicon=lexicon, vocabulary=vocabulary, suffixes=suffixes, **fields)


_KNOWN = frozenset(
    words[0]
    for lexicon in LEXICONS.values()
    for entries in lexicon.__dict__.values()
    for entry in entries
    if (words := tokens(entry.rstrip("*")))
)
READERS = {
    language: LexiconReader.build(
        language, lexicon, ("persons", "contact", "handover") if language == "en" else ("persons",), _KNOWN
    )
    for language, lexicon in LEXICONS.items()
}
"""Slips are read in person nouns, and in English verbs too ("tlak", "speek"; "lugar" is no "ligar")."""
OTHER_BEFORE = frozenset(w for lexicon in LEXICONS.values() for w in lexicon.other_before)
"""Trades and things in any of the languages: (travel) agent, (tour) operator."""
OTHER_AFTER = frozenset(w for lexicon in LEXICONS.values() for w in lexicon.other_after)
"""Things after the noun in any of the languages: (human) hair, (agente de) viajes."""
_HOMOGRAPHS = frozenset({"hier"})
"""Report words that are plain words elsewhere: French "hier" (yesterday) is German "hier" (here)."""
REPORTED = Phrases(e for lexicon in LEXICONS.values() for e in lexicon.reported if e not in _HOMOGRAPHS)
"""Past or third-person reports in any of the languages: "ayer", "last week", "m'a dit"."""


def other_sense(words: Sequence[str], start: int, end: int, reader: LexiconReader) -> str | None:
    """Why the person noun at ``words[start:end]`` is not someone to ask for (None: it is)."""
    lex = reader.lexicon
    before = words[start - 1] if start else ""
    before2 = words[start - 2] if start > 1 else ""
    after = words[end] if end < len(words) else ""
    after2 = words[end + 1] if end + 1 < len(words) else ""
    noun = words[start]
    if noun == "personne" and end == start + 1 and before not in _FRENCH_DETERMINERS:
        return "nobody"
    if HIRING & set(words):
        return "a job"  # "are you hiring agents?", "vocês estão contratando atendentes?"
    own = before in lex.own or (before2 in lex.own and before in ADJECTIVES | set(lex.other_before))
    if own and not ASSIGNED & set(words[start : end + 2]):  # "my account manager" is staff
        return "the customer's own"
    if (before in INTERROGATIVES and noun not in PRONOUNS) or before in _IN:
        return "another sense"
    governing = next((w for w in reversed(words[:start]) if w not in ADJECTIVES), "")
    if governing in BENEFICIARY:
        at = max(i for i in range(start) if words[i] == governing)
        directed = governing in ("para", "pra") and (
            reader.handover.find(words[:at]) or reader.contact.find(words[:at])
        )  # "passa para um humano" hands over; "for a person" is a beneficiary
        if not directed and (not at or words[at - 1] not in SEEKING):
            return "for someone"
    if (OTHERS & {before, before2, after} or after.startswith("else")) and not reader.contact.find(
        words[:start]
    ):
        return "someone else"
    if (
        before[:1].isdigit()
        or before in _NUMBERS
        or before in QUANTITIES
        or before2 in QUANTITIES
        or after.isdigit()
    ):
        return "a number of people"
    if before in OTHER_BEFORE or before2 in OTHER_BEFORE:
        return "another sense"
    if after in OTHER_AFTER or (after in ("de", "d'", "da", "do") and after2 in OTHER_AFTER):
        return "another sense"
    if (
        noun in _ROMANCE_HUMAN
        and end == start + 1
        and start
        and before not in ADJECTIVES | PREPOSITIONS
        and before not in reader.vocabulary
    ):
        return "another sense"  # cabello humano, qualité humaine
    if _english_other_sense(words, start, end, reader):
        return "another sense"
    if any(start - e <= 2 for _, e in reader.self_words.find(words[:start])):
        return "the customer themself"  # "I'm a sales rep", "soy representante", not "I'm asking for one"
    return None


def _english_other_sense(words: Sequence[str], start: int, end: int, reader: LexiconReader) -> bool:
    """Readings of English words: a statement about the person ("someone has stolen", "someone
    transferred"), a description ("the person I sent money to"), a compound ("dog person",
    "delivery person"), bare "people" ("people call me Brad")."""
    before = words[start - 1] if start else ""
    after = words[end] if end < len(words) else ""
    after2 = words[end + 1] if end + 1 < len(words) else ""
    if not words[start].startswith("who") and (
        after in _STATEMENTS or (after.endswith("ed") and len(after) > 4)
    ):
        return True
    if after == "have" and (after2 == "been" or after2.endswith("ed")):
        return True  # "employees have been rude", not "can someone have a look"
    if after in PRONOUN_SUBJECTS and (after2 in _PAST or (after2.endswith("ed") and len(after2) > 4)):
        return True
    noun = words[start]
    plain = (
        ADJECTIVES
        | PREPOSITIONS
        | ORIGINS
        | reader.vocabulary
        | {"any", "every", "each", "no", "one", "that", "this", "those", "these"}
    )
    if reader.language != "en":
        return False
    if noun in BARE_PLURALS:
        return before not in _STAFF_MODIFIERS and before not in reader.services.words
    return noun.startswith(("person", "persn")) and before.isalpha() and before not in plain


_SERVICE_PREFIXES = ("kunden", "service", "support", "hotline", "team", "sach", "fach", "customer", "support")
_SERVICE_ENDINGS = ("abteilung", "service", "kundendienst", "support", "hotline", "buchhaltung", "team")
"""German services a compound ends with: "Rechnungsabteilung", "Technikteam", "Reklamationsservice"."""


def compound(word: str, reader: LexiconReader) -> str | None:
    """A word built on a person noun: "Kundenservicemitarbeiter" is staff ("person"), "Zollagent",
    "Vertriebsmitarbeiter" or "salesperson" another trade ("trade"); a German word built on a
    service ("Rechnungsabteilung") is a service ("service"); None for any other word."""
    if len(word) < 8 or word in reader.persons.single:
        return None
    if reader.language == "de" and any(
        word.endswith(e) and len(word) >= len(e) + 4 for e in _SERVICE_ENDINGS
    ):
        return "service"
    if not any(word.endswith(p) and len(word) >= len(p) + 3 for p in reader.suffixes):
        return None
    return "person" if word.startswith(_SERVICE_PREFIXES) else "trade"
