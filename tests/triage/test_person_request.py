"""Requests for a person, read by structure: a person (or a service) joined to a verb of contact or
hand-over or to a request marker, in five languages with slips; and the same words turned down,
reported from the past, about the assistant or in another sense."""

from __future__ import annotations

import pytest

from relaydesk.triage.person_request import (
    ABOUT_THE_ASSISTANT,
    asks_for_person,
    read_person_request,
    request_guard,
    tokens,
)


def test_words_are_lower_case_without_accents_and_french_elisions_are_split() -> None:
    assert tokens("Pásame con l'agent, s’il vous plaît") == [
        "pasame",
        "con",
        "l'",
        "agent",
        "s'",
        "il",
        "vous",
        "plait",
    ]
    assert tokens("quelqu'un, I'd like") == ["quelqu'un", "i'd", "like"]


@pytest.mark.parametrize(
    "text",
    [
        "could a real persn look at my refund",  # a slip in the person noun
        "i want to spek to an agnet",
        "Please put me through to your billing department",  # a service, with a hand-over
        "is there anybody around who can sort this out",
        "Is an agent available right now?",
        "escalate my ticket please",
        "Could you arrange a callback?",
        "Representative.",
        "no, I want a human",  # "no" answers the bot; it does not turn the person down
        "I'd rather chat with one of your colleagues than a machine",
    ],
)
def test_english_requests_are_read_from_a_person_and_a_verb_or_marker(text: str) -> None:
    assert asks_for_person(text), read_person_request(text)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("¿Me podrían derivar con un asesor?", "es"),
        ("que alguien me llame, porfa", "es"),
        ("necesito asistencia humana", "es"),
        ("Vous pouvez me passer un conseiller ?", "fr"),
        ("j'aimerais être rappelée par quelqu'un de chez vous", "fr"),
        ("Kann ich bitte einen Kundenservicemitarbeiter sprechen?", "de"),
        ("bitte um Rückruf", "de"),
        ("ist hier irgendjemand, der kein Bot ist?", "de"),
        ("dá pra falar com alguém do suporte?", "pt"),
        ("tô precisando de um atendente", "pt"),
    ],
)
def test_requests_in_four_more_languages(text: str, language: str) -> None:
    reading = read_person_request(text)
    assert reading.asked, reading


@pytest.mark.parametrize(
    "text",
    [
        "I don't want to talk to anyone, just tell me the delivery date",
        "no need for an agent, all sorted",
        "Je ne veux parler à personne",  # "ne ... personne" is nobody
        "Personne n'a répondu à mon mail",
        "Ich will mit keinem Berater sprechen",
        "Kein Mensch war da, als der Bote kam",
        "não precisa chamar ninguém",
        "no hace falta ninguna persona, gracias",
    ],
)
def test_a_negated_request_is_no_request(text: str) -> None:
    assert not asks_for_person(text), read_person_request(text)


@pytest.mark.parametrize(
    "text",
    [
        "the agent I spoke to last week promised a refund",
        "A colleague of yours told me it shipped",
        "falei com um atendente semana passada",
        "J'ai eu un agent au téléphone hier",
        "Gestern hat mich ein Mitarbeiter angerufen",
        "La agente que me atendió ayer fue muy amable",
        "thanks to the agent who helped me yesterday",
    ],
)
def test_a_past_or_third_person_report_is_no_request(text: str) -> None:
    assert not asks_for_person(text), read_person_request(text)


@pytest.mark.parametrize(
    "text",
    [
        "do you sell wigs of human hair",
        "which cleaning agent works on suede?",
        "my travel agent booked the flights",
        "the tour operator cancelled, can I return the backpack?",
        "I'm a sales representative, do you sell wholesale?",
        "Soy representante de ventas de una tienda",
        "my manager wants the invoice in our company name",
        "can another person pick up my order?",
        "is the tent for four people?",
        "I want a gift for a person who loves tea",
        "Can I pick it up in person?",
        "Ist das Futter für den menschlichen Verzehr?",
        "Mensch, das dauert ja ewig",
        "Der Zollagent will eine Rechnung",
        "Tem o jogo Persona 5?",
        "¿es apto para consumo humano?",
        "Avec quel opérateur livrez-vous ?",
    ],
)
def test_the_words_in_another_sense_are_no_request(text: str) -> None:
    assert not asks_for_person(text), read_person_request(text)


@pytest.mark.parametrize(
    "text",
    ["are you a real person?", "am I talking to a human?", "¿eres un bot?", "Bist du ein echter Mensch?"],
)
def test_a_question_about_the_assistant_is_answered_not_taken_as_a_request(text: str) -> None:
    assert not asks_for_person(text)
    assert ABOUT_THE_ASSISTANT.search(text)


def test_a_question_about_the_assistant_with_a_request_is_a_request() -> None:
    assert asks_for_person("are you a bot? I want a human")


def test_the_reading_says_which_rule_found_the_request() -> None:
    reading = read_person_request("pásame con un supervisor")
    assert reading.asked and reading.reason == "a hand-over to a person (es)"
    refused = read_person_request("Ich will keinen Berater sprechen")
    assert not refused.asked and "negated (de)" in refused.refused


@pytest.mark.parametrize(
    ("text", "stands"),
    [
        ("I need to speak to a human", True),
        ("can you sort my order out", True),  # no person words at all: the model may read it
        ("I am a sales representative", False),
        ("hola, ¿eres una persona de verdad o un bot?", False),
        ("No quiero hablar con nadie", False),
        ("I need the personal shopper service", False),
        ("der Zollagent will eine Handelsrechnung", False),
    ],
)
def test_a_guessed_request_stands_only_where_the_words_do_not_refuse_it(text: str, stands: bool) -> None:
    assert request_guard(text) is stands


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("Can I speak to someone else? This one doesn't get it", True),  # else, after a contact verb
        ("can another person collect it for me?", False),
        ("Can I get transferred to the fraud department?", True),  # a service after "to"
        ("what are your customer service hours?", False),  # a service, nobody to reach
        ("please call me back", True),
        ("you can call me Jim", False),  # naming, no callback
        ("transfer me", True),
        ("how do I transfer money to my partner?", False),
        ("someone has stolen my card", False),  # a statement about someone
        ("the person I sent money to never got it", False),  # a description
        ("Ich möchte mit einem Kundenservicemitarbeiter sprechen", True),  # a compound on a person
        ("Der Vertriebsmitarbeiter hat Ihre Stühle empfohlen", False),  # another trade
        ("is this hoodie available with the Agent 47 print?", False),
    ],
)
def test_the_structure_decides_not_the_word(text: str, asks: bool) -> None:
    assert asks_for_person(text) is asks, read_person_request(text)


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("I need the Agent Provocateur perfume in 50ml", False),  # a product's name
        ("Can I speak to a Customer Service Representative?", True),  # a role in capitals
        ("Ich möchte mit Ihrem Vorgesetzten sprechen", True),  # German capitalises every noun
    ],
)
def test_a_person_word_inside_a_proper_name_is_no_person(text: str, asks: bool) -> None:
    assert asks_for_person(text) is asks, read_person_request(text)


@pytest.mark.parametrize(
    "text",
    [
        "Could a staff member check this order manually?",
        "I'd like to speak to my account manager at your company",  # assigned by the shop: staff
        "¿Me pueden pasar con un ejecutivo de cuenta?",
        "Quiero hablar con mi gestor de cuenta",
        "Je voudrais parler à ma chargée de clientèle",
        "Pouvez-vous transmettre mon dossier à un gestionnaire ?",
        "Ich möchte mit meinem Kundenbetreuer sprechen",
        "Gostaria de falar com o meu gestor de conta",
        "Queria que um analista olhasse meu caso",
    ],
)
def test_account_managers_and_case_handlers_are_people_to_ask_for(text: str) -> None:
    assert asks_for_person(text), read_person_request(text)


@pytest.mark.parametrize(
    "text",
    [
        "kann jmd von euch mal drüberschauen und mich anrufen?",
        "can some1 call me back",
        "qqun peut me rappeler ?",
        "algn me puede llamar?",
    ],
)
def test_abbreviated_someone_is_someone(text: str) -> None:
    assert asks_for_person(text), read_person_request(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ich hätte gerne, dass mich jemand zurückruft",
        "Bitte sorgen Sie dafür, dass sich ein Sachbearbeiter bei mir meldet.",
        "Ich möchte, dass sich jemand von Ihnen um meine Reklamation kümmert.",
        "Quisiera que alguien del departamento de facturación me llame",
        "Je souhaite que quelqu'un de la facturation me rappelle",
        "Quero que alguém do financeiro me ligue",
    ],
)
def test_a_person_wanted_to_take_the_case_on_is_a_request(text: str) -> None:
    assert asks_for_person(text), read_person_request(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ich bitte um Rückruf durch einen zuständigen Mitarbeiter",
        "¿Podrían pedir una devolución de llamada de un asesor?",
        "Je fais une demande de rappel téléphonique",
        "Peço retorno telefônico, por favor",
        "Können Sie mich an die Reklamationsabteilung weiterleiten?",  # a compound on a service
        "Pásenme con el servicio técnico",
        "Pouvez-vous me rediriger vers le service client ?",
        "Podem encaminhar para o setor de faturamento?",
    ],
)
def test_callbacks_and_services_are_requests(text: str) -> None:
    assert asks_for_person(text), read_person_request(text)


@pytest.mark.parametrize(
    "text",
    [
        "Gibt es niemanden, der mir helfen kann?",
        "¿No hay nadie con quien pueda hablar?",
        "Il n'y a personne à qui parler ?",
        "Não tem ninguém pra falar comigo?",
        "Is there no one I can talk to?",
        "con un asesor por favor",
        "avec un conseiller svp",
        "mit einem Mitarbeiter bitte",
        "com um atendente por favor",
    ],
)
def test_nobody_to_talk_to_and_a_bare_with_a_person_are_requests(text: str) -> None:
    assert asks_for_person(text), read_person_request(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hablé con el gestor ayer y ya está resuelto",
        "El ejecutivo de cuenta me dijo que ya estaba solucionado",
        "Ich habe mit einem Mitarbeiter gesprochen, alles erledigt",
        "Der Kundenbetreuer, mit dem ich telefoniert habe, war sehr nett",  # a relative clause
        "The agent, who I spoke to yesterday, promised me a refund",
        "J'ai parlé avec un conseiller, c'est réglé",
        "Are you hiring team members for Christmas?",
        "¿Están contratando asesores comerciales?",
        "Vous recrutez des conseillers pour les fêtes ?",
        "Vocês têm vagas para atendente?",
        "Suchen Sie noch Mitarbeiter? Ich möchte mich bewerben",
        "passe-moi pas de conseiller, réponds juste",  # spoken French drops "ne"
        "There is nobody at home to receive the parcel",
        "Não tem ninguém em casa para receber o pedido",
        "Outra pessoa pode receber a entrega no ponto de coleta?",  # "coleta" is no slip of "colega"
        "Soy gestor de una tienda, ¿tienen precios al por mayor?",
        "my manager wants the invoice in our company name",  # still the customer's own
    ],
)
def test_reports_hiring_spoken_negation_and_descriptions_are_no_request(text: str) -> None:
    assert not asks_for_person(text), read_person_request(text)
