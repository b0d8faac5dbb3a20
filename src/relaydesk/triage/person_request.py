"""Whether a message asks for a person: "can i tlak to a humna pls", "Quiero hablar con una
persona", "agent!!", "get me a manager", "rappelez-moi", "eskalieren Sie meinen Fall", in English,
Spanish, French, German and Portuguese; and not the same words in another sense ("is this wig made
of human hair?", "the tour operator cancelled my trip", "I am a sales representative", "the agent
I spoke to last week", "Je ne veux parler à personne", "are you a real person?").

The reader is structural, not a list of sentences. A message is cut into clauses and words
(lower-case, accents stripped, French elisions split: ``person_request_phrases.py``); each
language's lexicon (``person_request_words*.py``) marks who can be asked for, the verbs that reach
or hand over to them and what marks a request; ``person_request_senses.py`` says whether a person
word names someone to ask for at all. A clause asks for a person when it joins a person (or a service)
to a contact or hand-over verb or to a request marker, or is only a person and a "please", or
escalates the case or asks to be called back, or asks whether there is nobody to talk to — unless
the request is negated (spoken French "me transfère pas" too), reported from the past, about the
assistant, or the person noun is used in another sense (a product, another trade, a job opening,
the customer's own manager, the customer themself). A German "dass" clause or a relative after a
comma is read with the clause before it ("Ich möchte, dass jemand ...", "Der Mitarbeiter, mit dem
ich gesprochen habe, ...").

``asks_for_person(text)`` reads the words; ``request_guard(text)`` says whether a guess of the
intent model ("human_handoff") may stand: not where the reader found the words turned down,
reported or in another sense.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from relaydesk.triage.person_request_phrases import Phrases, clauses, tokens
from relaydesk.triage.person_request_senses import (
    BARE_PLURALS,
    OTHER_AFTER,
    PREPOSITIONS,
    PRONOUN_SUBJECTS,
    READERS,
    REPORTED,
    LexiconReader,
    compound,
    other_sense,
)
from relaydesk.triage.person_request_words import (
    ADJECTIVES,
    AVAILABLE,
    BOTS,
    NOBODY,
    ORIGINS,
    OTHER_WORDS,
    PRAISE,
    word_list,
)

_ENGLISH = frozenset(
    word_list(
        "the and is you my of with this that your just i for by our are have has be been what when where "
        "why how who which would could should can there their they he she we not don't it's i'm"
    )
)
"""English words no other of the five languages writes: two of them make a clause English."""
_ROLE_WORDS = (
    frozenset(
        word
        for reader in READERS.values()
        for phrases in (reader.persons, reader.services)
        for entry in phrases.entries
        for word in entry
    )
    | ADJECTIVES
)
"""Words of a role written in capitals ("Customer Service Representative"): no proper name."""
_PERSON_WORDS = frozenset(w for reader in READERS.values() for w in reader.persons.single) | NOBODY
"""Person words a relative clause after a comma may describe ("Der Mitarbeiter, der ...")."""
_BARE_NOT_ENOUGH = frozenset(word_list("people ppl folks gente leute humans"))
"""Person words that are no request on their own ("people!")."""
_INTERJECTIONS = frozenset(word_list("mensch menschen"))
"""Person words that are also an interjection ("Mensch, das dauert!"): alone they need a please."""
_DETERMINERS = frozenset(word_list("my the this your our his her their that a an"))
"""Before "chat", "call", "help" these make it a noun ("my chat"), not a verb of contact."""
_TARGETS = frozenset(
    word_list("to with w 2 a au aux vers al ao aos con com avec mit an zu zum zur para pra thru through")
)
"""Prepositions before whom a customer is put through to: "to billing", "au service client"."""
_HERE = frozenset(
    word_list("da auch hier here there ahi ai aqui alli la actually really even maybe still gerade")
)
"""Words that may stand between "is there" and the person ("gibts da auch nen echten Menschen")."""
_DETACHING = frozenset(
    word_list("know name number email address details whether if why how what you more extra new better")
)
"""Between "want" and a person, these make the person part of something else ("the name of...")."""
_ADDRESSEES = frozenset(word_list("you u ya euch ihnen vous ustedes voces vcs"))
"""The shop, addressed: "gibt es bei euch jemanden", "is there anyone with you"."""
_ME_BETWEEN = frozenset(word_list("sie vous u you ihr"))
"""Words between a hand-over verb and "me": "verbinden Sie mich", "pouvez-vous me"."""
_NAMING = frozenset(word_list("what name"))
_CALLBACK_FOLLOWERS = frozenset(
    word_list("back asap please pls plz now today tomorrow later at on about when as right soon urgently re")
)
"""What may follow "call me" in a callback ("call me back", "call me asap"), not a name ("call me Jim")."""
_SUBJECTS = frozenset(word_list("i yo je j' ich eu"))
"""A negation before a subject is an answer, not the request's ("no I want a human")."""
_OTHER_WANTERS = frozenset(word_list("you u ya he she they it"))
"""Someone else's want: "do you need a person to sign?"."""
_WITH = frozenset(word_list("with to con com avec mit zu zum a au"))
"""Before a bare person: "con un operador porfa", "mit einem Mitarbeiter bitte"."""
_SPOKEN_NEGATORS = frozenset(word_list("pas jamais"))
"""Spoken French drops "ne": "me transfère pas", "je veux pas"; the negation follows the verb."""
_NEGATION_LANGUAGE = {"pas": "fr", "nicht": "de", "nao": "pt"}
"""A negation only one language writes claims the clause: "me transfère pas" is French, not the
Portuguese "me transfere"."""


@dataclass(frozen=True)
class PersonRequest:
    """What the reader made of a message: whether it asks for a person, and why (or why not)."""

    asked: bool
    reason: str = ""
    """The rule that found the request ("a person and a contact verb (en)")."""
    refused: tuple[str, ...] = ()
    """Why person words were not taken as a request: "negated (fr)", "another sense (en)"."""


def _negated_from(words: Sequence[str], reader: LexiconReader) -> list[tuple[int, int]]:
    """The stretches of a clause a negation covers (a "not a bot" contrast covers nothing)."""
    stretches = []
    spoken = reader.language == "fr" and not {"ne", "n'"} & set(words)
    for start, end in reader.negators.find(words):
        if BOTS & set(words[end : end + 4]) or (end < len(words) and words[end] in _SUBJECTS):
            continue
        stop = next((i for i in range(end, len(words)) if reader.resets.at(words, i)), len(words))
        if spoken and words[start] in _SPOKEN_NEGATORS:  # "me transfère pas": the verb before
            start = max(
                [i for i in range(max(0, start - 3), start) if reader.resets.at(words, i)] or [start - 3, 0]
            )
        stretches.append((start, stop))
    return stretches


def _read_clause(
    text: str, words: Sequence[str], reader: LexiconReader, names: frozenset[int] = frozenset()
) -> tuple[str | None, str | None]:
    """(the rule that makes this clause a request, or why its person words are not one)."""
    persons, other = [], None
    for start, end in reader.persons.find(words):
        named = start in names and reader.language != "de"  # German writes every noun capitalised
        why = "a name" if named else other_sense(words, start, end, reader)
        if why is None:
            persons.append(start)
        elif why != "nobody":
            other = why
    for i, word in enumerate(words):
        kind = compound(word, reader)
        if kind == "person":
            why = other_sense(words, i, i + 1, reader)
            persons.extend([i] if why is None else [])
            other = other or (why if why != "nobody" else None)
        elif kind == "service":
            continue
        elif kind:
            other = other or "another trade"
        elif word in OTHER_WORDS:
            other = other or "another sense"
    negated = _negated_from(words, reader)

    def live(spans: Iterable[tuple[int, int]]) -> list[int]:
        return [s for s, _ in spans if not any(a <= s < b for a, b in negated)]

    wants = [w for w in live(reader.wants.find(words)) if not _OTHER_WANTERS & set(words[max(0, w - 2) : w])]
    exists = live(reader.exists.find(words))
    if ABOUT_THE_ASSISTANT.search(text) and not wants:
        return None, "asks about the assistant"
    if (REPORTED.find(words) or reader.reported.find(words)) and not wants:
        return None, "reported" if persons or other else None
    praise = [i for i, w in enumerate(words) if w in PRAISE and words[i + 1 : i + 2] not in (["de"], ["d'"])]
    if praise and any(p > praise[0] for p in persons) and not any(w > praise[0] for w in wants):
        return None, "thanks or praise"
    people = live((p, p + 1) for p in persons)
    contact = _verbs(words, reader.contact, live)
    handover = _verbs(words, reader.handover, live)
    me = [m for m, _ in reader.me.find(words)]
    services = _services(words, reader, live, contact, handover, bool(me))
    found = None
    if people and contact:
        found = "a person and a contact verb"
    elif people and handover:
        found = "a hand-over to a person"
    elif any(_wants_person(words, w, p, reader) for w in wants for p in people):
        found = "asks for a person"
    elif any(_plain_between(words, e, p, reader) for e in exists for p in people) or any(
        _available(words, p, reader) for p in people
    ):
        found = "asks whether a person is there"
    elif _nobody_to_talk_to(words, reader):
        found = "asks why nobody is there"
    elif services:
        found = "a hand-over to the service"
    elif live(reader.escalate.find(words)):
        found = "escalates the case"
    elif _callbacks(words, reader, live):
        found = "asks to be called back"
    elif (bare := _verbs(words, reader.bare_handover, live)) and (
        any(
            _hands_me_over(words, b, m, reader) and _target_fits(words, m, people, services)
            for b in bare
            for m in me
        )
        or _only_a_please(words, reader)
    ):
        found = "asks to be handed over"
    elif _turns_the_bot_down(words, reader, negated, contact + wants):
        found = "turns the bot down"
    elif people and _only_a_person(words, reader):
        found = "names a person, nothing else"
    if found:
        return found, None
    if negated and (persons or reader.persons.find(words) or _under(negated, reader, words)):
        return None, "negated"
    return None, other


Live = Callable[[Iterable[tuple[int, int]]], list[int]]


def _verbs(words: Sequence[str], phrases: Phrases, live: Live) -> list[int]:
    """Where the verbs of ``phrases`` stand, not negated and not nouns ("my chat", "a transfer")."""
    return [v for v in live(phrases.find(words)) if not (v and words[v - 1] in _DETERMINERS)]


def _services(
    words: Sequence[str], reader: LexiconReader, live: Live, contact: list[int], handover: list[int], me: bool
) -> list[int]:
    """Services the customer asks to be put through to: after a preposition with a verb of contact
    or hand-over in the clause ("talk to the fraud department", "an die Buchhaltung weiterleiten"),
    right after a contact verb ("contact support"), or after a hand-over of "me" ("passez-moi le
    SAV"); not in another sense ("customer service number", "using the SWIFT service")."""
    found = []
    compounds = [(i, i + 1) for i, w in enumerate(words) if compound(w, reader) == "service"]
    for start in sorted(live([*reader.services.find(words), *compounds])):
        end = start + (reader.services.at(words, start) or 1)
        if end < len(words) and words[end] in OTHER_AFTER:
            continue
        at = _governor(words, start)
        if at >= 1 and words[at] not in _TARGETS and at not in contact and at not in handover:
            before = _governor(words, at)  # one word describing the service: "to the fraud department"
            at = before if before >= 0 and words[before] in _TARGETS else at
        by_preposition = at >= 0 and words[at] in _TARGETS and bool(contact or handover)
        if by_preposition or at in contact or (at in handover and me):
            found.append(start)
    return found


def _governor(words: Sequence[str], start: int) -> int:
    """The word a noun at ``start`` hangs on, past its determiners ("to" in "to the billing team")."""
    return next(
        (i for i in range(start - 1, -1, -1) if words[i] in _TARGETS or words[i] not in ADJECTIVES), -1
    )


def _wants_person(words: Sequence[str], want: int, person: int, reader: LexiconReader) -> bool:
    """ "I want a human", "quiero que lo revise una persona": the person soon after the want, in
    the same stretch ("so this person can't" is not), not part of something else ("the name of")."""
    return (
        want < person <= want + 8
        and not _DETACHING & set(words[want:person])
        and not any(reader.resets.at(words, i) for i in range(want + reader.wants.at(words, want), person))
    )


def _available(words: Sequence[str], person: int, reader: LexiconReader) -> bool:
    """ "is an agent available?", "jemand vom Support erreichbar?": the person, then being there."""
    plain = ADJECTIVES | ORIGINS | _HERE | reader.services.words
    for i in range(person + 1, min(len(words), person + 5)):
        if words[i] in AVAILABLE:
            return True
        if words[i] not in plain:
            return False
    return False


def _plain_between(words: Sequence[str], exists: int, person: int, reader: LexiconReader) -> bool:
    """ "is there a person", "hay algún humano": only determiners between the marker and the person."""
    between = words[exists + reader.exists.at(words, exists) : person]
    loose = ADJECTIVES | _HERE | ORIGINS | _ADDRESSEES | set(reader.lexicon.fillers)
    return exists < person and len(between) <= 4 and all(w in loose for w in between)


def _nobody_to_talk_to(words: Sequence[str], reader: LexiconReader) -> bool:
    """ "gibts da niemanden, mit dem man reden kann?", "no hay nadie con quien hablar?", "il n'y a
    personne à qui parler ?": asking whether someone is there, and a verb of contact after."""
    loose = _HERE | {"n'", "no", "t", "il", "one"}
    for _, end in reader.exists.find(words):
        after = [i for i in range(end, min(len(words), end + 3)) if words[i] not in loose or words[i] == "no"]
        nobody = next((i for i in after if words[i] in NOBODY or words[i : i + 2] == ["no", "one"]), None)
        if nobody is not None and any(c > nobody for c, _ in reader.contact.find(words)):
            return True
    return False


def _callbacks(words: Sequence[str], reader: LexiconReader, live: Live) -> bool:
    """ "call me back", "rappelez-moi", "me liguem"; not "call me Jim", not "can the seller be contacted"."""
    for start in live(reader.callback.find(words)):
        end = start + reader.callback.at(words, start)
        if words[end - 1] == "me" and end < len(words) and words[end] not in _CALLBACK_FOLLOWERS:
            continue  # "call me Jim"
        if _NAMING & set(words) or (start and words[start - 1] in PRONOUN_SUBJECTS | BARE_PLURALS):
            continue  # "what do you call me", "what name people call me"
        if words[start] == "be" and (not start or words[start - 1] not in ("to", "please", "i")):
            continue
        return True
    return False


def _hands_me_over(words: Sequence[str], verb: int, me: int, reader: LexiconReader) -> bool:
    """ "transfer me", "verbinden Sie mich", "me transfere" (a clitic before the verb, not in English)."""
    after = verb + reader.bare_handover.at(words, verb)
    return (
        me == after
        or (me == after + 1 and words[after] in _ME_BETWEEN)
        or (me == verb - 1 and reader.language != "en")
        or verb <= me < after  # "put me through"
    )


def _target_fits(words: Sequence[str], me: int, people: list[int], services: list[int]) -> bool:
    """ "transfer me" or "transfer me to a human", not "connect me with an uber"."""
    after = words[me + 1] if me + 1 < len(words) else ""
    return after not in PREPOSITIONS or bool(people or services)


def _only_a_please(words: Sequence[str], reader: LexiconReader) -> bool:
    """A verb and a please at most: "bitte weiterleiten", "transfer please", "dann bitte verbinden"."""
    plain = ADJECTIVES | _HERE | {"dann", "then", "ok", "okay", "now"}
    polite = [w for w in words if w in reader.lexicon.fillers and w not in ADJECTIVES]
    covered = {i for s, e in reader.bare_handover.find(words) for i in range(s, e)}
    rest = [w for i, w in enumerate(words) if i not in covered]
    return len(words) <= 4 and bool(polite) and all(w in plain or w in reader.lexicon.fillers for w in rest)


def _under(negated: list[tuple[int, int]], reader: LexiconReader, words: Sequence[str]) -> bool:
    """Whether a negation covers a verb of asking or reaching: "no quiero hablar con nadie"."""
    verbs = (*reader.contact.find(words), *reader.wants.find(words), *reader.handover.find(words))
    return any(a <= s < b for s, _ in verbs for a, b in negated)


def _turns_the_bot_down(
    words: Sequence[str], reader: LexiconReader, negated: list[tuple[int, int]], verbs: list[int]
) -> bool:
    """ "I don't want to chat with a robot", "no quiero hablar con una máquina"."""
    bots = [i for i, w in enumerate(words) if w in BOTS]
    negators = [s for s, _ in reader.negators.find(words)]
    every_verb = [s for s, _ in (*reader.contact.find(words), *reader.wants.find(words))]
    return not verbs and any(
        n < v <= n + 3 and v < b <= v + 5 for n in negators for v in every_verb for b in bots
    )


def _only_a_person(words: Sequence[str], reader: LexiconReader) -> bool:
    """A clause that is a person and a please at most: "agent!!", "conseiller svp", "Mensch bitte"."""
    if len(words) > 6:
        return False
    covered = {i for s, e in (*reader.persons.find(words), *reader.services.find(words)) for i in range(s, e)}
    rest = [w for i, w in enumerate(words) if i not in covered]
    nouns = [w for s, e in reader.persons.find(words) for w in words[s:e]]
    if rest[:1] and rest[0] in _WITH:
        rest = rest[1:]  # "con un operador porfa"
    if not all(w in reader.lexicon.fillers or w in ADJECTIVES or w in ORIGINS for w in rest):
        return False
    if all(n in _BARE_NOT_ENOUGH for n in nouns):
        return False
    politeness = [w for w in rest if w not in ADJECTIVES and w not in ORIGINS]
    return not (set(nouns) <= _INTERJECTIONS and not politeness)


def _names(part: str, words: Sequence[str]) -> frozenset[int]:
    """Words inside a proper name written mid-clause: "the Agent Provocateur perfume", "Human
    League"; a run of capitalised words with one that is no role word ("Customer Service
    Representative" is a role, not a name)."""
    written = tokens(part, keep_case=True)
    if len(written) != len(words):
        return frozenset()
    capital = [i > 0 and w[:1].isupper() and not w.isupper() for i, w in enumerate(written)]
    found: set[int] = set()
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and capital[j]:
            j += 1
        if j - i >= 2 and any(w not in _ROLE_WORDS for w in words[i:j]):
            found.update(range(i, j))
        i = max(j, i + 1)
    return frozenset(found)


@lru_cache(maxsize=2048)  # triage and the frustration reader read the same message
def read_person_request(text: str) -> PersonRequest:
    """Whether ``text`` asks for a person, clause by clause, in the five languages."""
    if not text or NO_PERSON_NEEDED.search(text):
        return PersonRequest(False, refused=("turned down",) if text else ())
    refused: list[str] = []
    for part, words in clauses(text, _PERSON_WORDS):
        english = len(_ENGLISH & set(words)) >= 2
        claimed = {_NEGATION_LANGUAGE[w] for w in words if w in _NEGATION_LANGUAGE}
        names = _names(part, words)
        for language, reader in READERS.items():
            if english and language != "en":
                continue  # "boarding passes" is no French "passes", "will" no German "will"
            if claimed and language not in claimed:
                continue
            found, why = _read_clause(part, words, reader, names)
            if found:
                return PersonRequest(True, reason=f"{found} ({language})")
            if why:
                refused.append(f"{why} ({language})")
    return PersonRequest(False, refused=tuple(dict.fromkeys(refused)))


def asks_for_person(text: str) -> bool:
    """True when the words ask for a person (not about the assistant, not the words in another sense)."""
    return read_person_request(text).asked


def request_guard(text: str) -> bool:
    """Whether an intent model's "asks for a person" reading may stand for ``text``."""
    reading = read_person_request(text)
    return reading.asked or not reading.refused


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
    r"\b(bist du|sind sie) (eigentlich |wirklich |echt )?(ein |eine )?(echter |echte )?"
    r"(mensch|person|bot|roboter|ki)|"
    r"\bbin ich (hier )?mit (einem|einer) (menschen|mensch|person|bot|ki|maschine)|"
    r"\b(você é|voce e|és) (uma |um )?(pessoa|humano|bot|robô|robo|ia)|"
    r"\bhablo con (un|una) (ia|bot|robot|máquina)\b|"
    r"\bhablo con (una persona|un humano) o (con )?(un|una) (ia|bot|robot|máquina)\b|"
    r"\bfalo com (um|uma) (ia|bot|robô|robo|máquina)\b|"
    r"\bfalo com (uma pessoa|um humano) ou (com )?(um|uma) (ia|bot|robô|robo|máquina)\b",
    re.IGNORECASE,
)
"""A question about what the assistant is: answered, not taken as a request."""

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

REQUEST = re.compile(
    r"\b("
    + "|".join(sorted({w for r in READERS.values() for w in r.persons.single}, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
"""A person word in any of the five languages: where a request may be; ``asks_for_person`` decides."""
