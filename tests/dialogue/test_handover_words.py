"""What a customer reads when a person is brought in: an upset customer hears an apology first, in
their language; a calm request for a person does not get one it has no reason for."""

from __future__ import annotations

import pytest

from relaydesk.services.runtime import Runtime
from tests.dialogue.conftest import Chat


@pytest.mark.parametrize(
    ("text", "sorry"),
    [
        ("this is ridiculous, I already gave you the order number. I want a real person NOW", "I'm sorry"),
        ("ESTO ES UNA VERGÜENZA, llevo una semana esperando, quiero hablar con alguien YA", "Siento mucho"),
    ],
)
def test_an_upset_customer_handed_to_a_person_hears_an_apology_first(
    desk: Runtime, text: str, sorry: str
) -> None:
    chat = Chat(desk)
    chat.say(text)
    assert chat.status == "queued" and chat.replies[0].text.startswith(sorry)


def test_a_calm_request_for_a_person_gets_no_apology(desk: Runtime) -> None:
    chat = Chat(desk)
    chat.say("I'd like to talk to a person please")
    assert chat.status == "queued" and "sorry" not in chat.text.lower()
