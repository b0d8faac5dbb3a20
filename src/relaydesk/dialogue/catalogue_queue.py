"""What the AI tells a customer about the queue: a person is coming, the place in line, the wait, and
what it says to a customer who writes while waiting (``services/escalation.py``,
``services/waiting_turns.py``). Part of the catalogue (``dialogue/catalogue.py``), in the same five
languages.
"""

from __future__ import annotations

QUEUE_TEXTS: dict[str, dict[str, str]] = {
    "queue.sorry": {
        "en": "I'm sorry this has been frustrating.",
        "es": "Siento mucho que esto te esté causando molestias.",
        "fr": "Je suis désolé que ce soit si pénible.",
        "de": "Es tut mir leid, dass das so ärgerlich ist.",
        "pt": "Lamento muito que isto esteja a ser tão frustrante.",
    },
    "queue.bringing": {
        "en": "I'm bringing in a member of our support team, who will see everything we've discussed so far.",
        "es": "Voy a pasarte con una persona de nuestro equipo de soporte, que verá todo lo que hemos "
        "hablado hasta ahora.",
        "fr": "Je fais venir une personne de notre équipe, qui verra tout ce que nous avons échangé "
        "jusqu'ici.",
        "de": "Ich hole eine Person aus unserem Support-Team dazu, die alles sieht, was wir bisher "
        "besprochen haben.",
        "pt": "Vou chamar uma pessoa da nossa equipa de apoio, que vai ver tudo o que falámos até agora.",
    },
    "queue.no_answer": {
        "en": "I don't have an answer to that in our help center.",
        "es": "No tengo una respuesta a eso en nuestro centro de ayuda.",
        "fr": "Je n'ai pas de réponse à cela dans notre centre d'aide.",
        "de": "Dazu habe ich in unserem Hilfe-Center keine Antwort.",
        "pt": "Não tenho uma resposta para isso no nosso centro de ajuda.",
    },
    "queue.next": {
        "en": "You're next in line.",
        "es": "Eres el siguiente en la cola.",
        "fr": "Vous êtes le prochain dans la file.",
        "de": "Sie sind als Nächstes dran.",
        "pt": "É o próximo na fila.",
    },
    "queue.position": {
        "en": "You're number {position} in line.",
        "es": "Estás en el puesto {position} de la cola.",
        "fr": "Vous êtes en position {position} dans la file.",
        "de": "Sie sind an Position {position} in der Warteschlange.",
        "pt": "Está na posição {position} da fila.",
    },
    "queue.wait_one": {
        "en": "The wait should be about 1 minute.",
        "es": "La espera debería ser de 1 minuto aproximadamente.",
        "fr": "L'attente devrait être d'environ 1 minute.",
        "de": "Die Wartezeit beträgt etwa 1 Minute.",
        "pt": "A espera deve ser de cerca de 1 minuto.",
    },
    "queue.wait": {
        "en": "The wait should be about {minutes} minutes.",
        "es": "La espera debería ser de unos {minutes} minutos.",
        "fr": "L'attente devrait être d'environ {minutes} minutes.",
        "de": "Die Wartezeit beträgt etwa {minutes} Minuten.",
        "pt": "A espera deve ser de cerca de {minutes} minutos.",
    },
    "queue.busy": {
        "en": "Everyone who can help with this is busy for the moment.",
        "es": "Todas las personas que pueden ayudarte con esto están ocupadas en este momento.",
        "fr": "Toutes les personnes qui peuvent vous aider sont occupées pour le moment.",
        "de": "Alle, die Ihnen dabei helfen können, sind gerade beschäftigt.",
        "pt": "Todas as pessoas que podem ajudar com isto estão ocupadas de momento.",
    },
    "queue.noted": {
        "en": "Thanks, I've added that for the person who will help you, so you won't need to repeat it.",
        "es": "Gracias, lo he añadido para la persona que te atenderá, así no tendrás que repetirlo.",
        "fr": "Merci, je l'ai transmis à la personne qui va vous aider : vous n'aurez pas à le répéter.",
        "de": "Danke, ich habe das für die Person notiert, die Ihnen hilft, damit Sie es nicht "
        "wiederholen müssen.",
        "pt": "Obrigado, acrescentei isso para a pessoa que o vai ajudar, assim não terá de repetir.",
    },
    "queue.still_here": {
        "en": "I'm here, and you haven't been forgotten.",
        "es": "Sigo aquí y no nos hemos olvidado de ti.",
        "fr": "Je suis là, et nous ne vous oublions pas.",
        "de": "Ich bin da, und Sie sind nicht vergessen.",
        "pt": "Estou aqui e não nos esquecemos de si.",
    },
    "queue.moved_up": {
        "en": "Good news: you've moved up.",
        "es": "Buenas noticias: has avanzado en la cola.",
        "fr": "Bonne nouvelle : vous avez avancé dans la file.",
        "de": "Gute Nachricht: Sie sind weiter nach vorne gerückt.",
        "pt": "Boas notícias: avançou na fila.",
    },
    "queue.patience": {
        "en": "Thanks for your patience.",
        "es": "Gracias por tu paciencia.",
        "fr": "Merci de votre patience.",
        "de": "Danke für Ihre Geduld.",
        "pt": "Obrigado pela sua paciência.",
    },
    "queue.no_estimate": {
        "en": "I can't promise an exact time, but the first person free will take your conversation.",
        "es": "No puedo prometerte una hora exacta, pero la primera persona que quede libre atenderá tu "
        "conversación.",
        "fr": "Je ne peux pas vous promettre d'heure précise, mais la première personne disponible prendra "
        "votre conversation.",
        "de": "Eine genaue Zeit kann ich nicht versprechen, aber die erste Person, die frei wird, übernimmt "
        "Ihr Gespräch.",
        "pt": "Não posso prometer uma hora exata, mas a primeira pessoa que ficar livre vai pegar na sua "
        "conversa.",
    },
    "queue.longer": {
        "en": "I'm sorry this is taking longer than we expected.",
        "es": "Siento que esté tardando más de lo previsto.",
        "fr": "Je suis désolé que cela prenne plus de temps que prévu.",
        "de": "Es tut mir leid, dass es länger dauert als erwartet.",
        "pt": "Lamento que esteja a demorar mais do que o previsto.",
    },
    "queue.added": {
        "en": "I've added that to your case, so the person who helps you can answer it too.",
        "es": "Lo he añadido a tu caso, para que la persona que te atienda también pueda responderlo.",
        "fr": "Je l'ai ajouté à votre dossier, pour que la personne qui vous aidera puisse aussi y répondre.",
        "de": "Ich habe das zu Ihrem Anliegen hinzugefügt, damit die Person, die Ihnen hilft, auch darauf "
        "eingehen kann.",
        "pt": "Acrescentei isso ao seu caso, para que a pessoa que o vai ajudar também possa responder.",
    },
    "queue.answered": {
        "en": "That's from our help center. A person is still coming for the rest, and sees this too.",
        "es": "Esto es de nuestro centro de ayuda. Una persona sigue en camino para lo demás, y también "
        "lo verá.",
        "fr": "Ceci vient de notre centre d'aide. Une personne arrive toujours pour le reste, et le verra "
        "aussi.",
        "de": "Das stammt aus unserem Hilfe-Center. Eine Person kümmert sich gleich um den Rest und sieht "
        "das ebenfalls.",
        "pt": "Isto vem do nosso centro de ajuda. Uma pessoa continua a caminho para o resto, e também vai "
        "ver isto.",
    },
    "queue.raised": {
        "en": "I'm sorry about the wait. I've let the team know this is urgent for you.",
        "es": "Siento la espera. He avisado al equipo de que esto es urgente para ti.",
        "fr": "Je suis désolé pour l'attente. J'ai signalé à l'équipe que c'est urgent pour vous.",
        "de": "Entschuldigen Sie die Wartezeit. Ich habe dem Team gesagt, dass es für Sie dringend ist.",
        "pt": "Lamento a espera. Avisei a equipa de que isto é urgente para si.",
    },
    "queue.bringing_sales": {
        "en": "I'm bringing in a member of our sales team, who will see everything we've discussed so far.",
        "es": "Voy a pasarte con una persona de nuestro equipo comercial, que verá todo lo que hemos hablado "
        "hasta ahora.",
        "fr": "Je fais venir une personne de notre équipe commerciale, qui verra tout ce que nous avons "
        "échangé jusqu'ici.",
        "de": "Ich hole eine Person aus unserem Vertriebsteam dazu, die alles sieht, was wir bisher "
        "besprochen haben.",
        "pt": "Vou chamar uma pessoa da nossa equipa comercial, que vai ver tudo o que falámos até agora.",
    },
}
