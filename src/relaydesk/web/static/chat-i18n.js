/* relaydesk customer chat: the page's own words in English, Spanish, French, German and Portuguese.
 *
 * The language is the conversation's (set by the server from what the customer writes), else the
 * browser's, else English. ``relaydeskI18n.t(lang, key, values)`` gives one text ({name} filled in);
 * ``relaydeskI18n.apply(lang)`` rewrites the elements marked ``data-i18n`` (their text),
 * ``data-i18n-placeholder`` and ``data-i18n-label`` (aria-label), and the page's lang attribute. */
window.relaydeskI18n = (function () {
  "use strict";

  var TEXTS = {
    en: {
      connecting: "Connecting…", reconnecting: "Reconnecting…", connected: "Connected", lost: "Connection lost. Reconnecting…", gone: "This conversation is no longer available.", loading: "Loading…", loadingConversation: "Loading your conversation…",
      title: "Chat with us", idle: "Our assistant answers at once; a person joins when you need one.",
      intro: "Hi! Ask about an order, a return, or your account. Our virtual assistant answers right away, and a member of our team can join whenever you need one.",
      you: "You", ai: "Virtual assistant (AI)", system: "Update", team: "Support team",
      typingAgent: "{name} is typing…", waitingReply: "Waiting for a reply…", typingAi: "The assistant is typing…",
      offerYes: "Yes, a person please", offerNo: "No thanks", confirmYes: "Yes, go ahead", confirmNo: "No",
      queuedTitle: "A person from our team will be with you soon", position: "You're number {n} in line.",
      next: "You're next in line.", inLine: "You're in line.", waitOne: "The wait should be about 1 minute.",
      wait: "The wait should be about {n} minutes.", soon: "We'll be with you as soon as someone is free.",
      withYou: "{name} is with you", someone: "A member of our team",
      person: "You're talking with a person now. They can see everything discussed so far.",
      closedTitle: "Solved", closed: "Glad we could help. Need anything else? Write below and this conversation opens again.", pausedTitle: "Closed for now", paused: "Write below any time to pick up where you left off.",
      rate: "How did we do? Rate this conversation", s1: "Very poor", s2: "Poor", s3: "Okay", s4: "Good", s5: "Excellent",
      comment: "Anything you'd like to add? (optional)", sendRating: "Send rating", placeholder: "Type your message…",
      yourMessage: "Your message", send: "Send", startNew: "Start a new conversation", close: "Close the chat",
      rated: "Thank you! You rated this conversation {n} out of 5.", source: "Source",
      unavailable: "Not available", unknownWorkspace: "This chat is not available: there is no workspace called \"{name}\". If you run this site, check the workspace the chat is set up with."
    },
    es: {
      connecting: "Conectando…", reconnecting: "Reconectando…", connected: "Conectado", lost: "Se perdió la conexión. Reconectando…", gone: "Esta conversación ya no está disponible.", loading: "Cargando…", loadingConversation: "Cargando tu conversación…",
      title: "Chatea con nosotros", idle: "Nuestro asistente responde al momento; una persona se une cuando lo necesites.",
      intro: "¡Hola! Pregunta por un pedido, una devolución o tu cuenta. Nuestro asistente virtual responde al momento y alguien de nuestro equipo puede unirse cuando lo necesites.",
      you: "Tú", ai: "Asistente virtual (IA)", system: "Aviso", team: "Equipo de soporte",
      typingAgent: "{name} está escribiendo…", waitingReply: "Esperando respuesta…", typingAi: "El asistente está escribiendo…",
      offerYes: "Sí, con una persona", offerNo: "No, gracias", confirmYes: "Sí, adelante", confirmNo: "No",
      queuedTitle: "Una persona de nuestro equipo te atenderá pronto", position: "Estás en el puesto {n} de la cola.",
      next: "Eres el siguiente en la cola.", inLine: "Estás en la cola.", waitOne: "La espera debería ser de 1 minuto aproximadamente.",
      wait: "La espera debería ser de unos {n} minutos.", soon: "Te atenderemos en cuanto alguien esté libre.",
      withYou: "{name} está contigo", someone: "Una persona de nuestro equipo",
      person: "Ahora hablas con una persona, que ve todo lo que se ha hablado.",
      closedTitle: "Resuelto", closed: "Nos alegra haber ayudado. ¿Necesitas algo más? Escribe abajo y esta conversación se vuelve a abrir.", pausedTitle: "Cerrada por ahora", paused: "Escribe abajo cuando quieras para seguir donde lo dejaste.",
      rate: "¿Qué tal lo hicimos? Valora esta conversación", s1: "Muy mal", s2: "Mal", s3: "Regular", s4: "Bien", s5: "Excelente",
      comment: "¿Quieres añadir algo? (opcional)", sendRating: "Enviar valoración", placeholder: "Escribe tu mensaje…",
      yourMessage: "Tu mensaje", send: "Enviar", startNew: "Empezar una conversación nueva", close: "Cerrar el chat",
      rated: "¡Gracias! Has valorado esta conversación con {n} de 5.", source: "Fuente",
      unavailable: "No disponible", unknownWorkspace: "Este chat no está disponible: no hay ningún espacio de trabajo llamado «{name}». Si administras este sitio, revisa el espacio de trabajo configurado en el chat."
    },
    fr: {
      connecting: "Connexion…", reconnecting: "Reconnexion…", connected: "Connecté", lost: "Connexion perdue. Reconnexion…", gone: "Cette conversation n'est plus disponible.", loading: "Chargement…", loadingConversation: "Chargement de votre conversation…",
      title: "Discutez avec nous", idle: "Notre assistant répond tout de suite ; une personne vous rejoint si besoin.",
      intro: "Bonjour ! Posez vos questions sur une commande, un retour ou votre compte. Notre assistant virtuel répond tout de suite, et une personne de notre équipe peut vous rejoindre à tout moment.",
      you: "Vous", ai: "Assistant virtuel (IA)", system: "Information", team: "Équipe support",
      typingAgent: "{name} écrit…", waitingReply: "En attente d'une réponse…", typingAi: "L'assistant écrit…",
      offerYes: "Oui, une personne", offerNo: "Non merci", confirmYes: "Oui, allez-y", confirmNo: "Non",
      queuedTitle: "Une personne de notre équipe va bientôt vous répondre", position: "Vous êtes en position {n} dans la file.",
      next: "Vous êtes le prochain dans la file.", inLine: "Vous êtes dans la file.", waitOne: "L'attente devrait être d'environ 1 minute.",
      wait: "L'attente devrait être d'environ {n} minutes.", soon: "Nous serons avec vous dès que quelqu'un sera libre.",
      withYou: "{name} est avec vous", someone: "Une personne de notre équipe",
      person: "Vous parlez maintenant avec une personne, qui voit tout ce qui a été échangé.",
      closedTitle: "Résolu", closed: "Ravis d'avoir pu aider. Besoin d'autre chose ? Écrivez ci-dessous et cette conversation sera rouverte.", pausedTitle: "Fermée pour le moment", paused: "Écrivez ci-dessous quand vous voulez pour reprendre là où vous en étiez.",
      rate: "Comment nous sommes-nous débrouillés ? Notez cette conversation", s1: "Très mauvais", s2: "Mauvais", s3: "Correct", s4: "Bien", s5: "Excellent",
      comment: "Quelque chose à ajouter ? (facultatif)", sendRating: "Envoyer la note", placeholder: "Écrivez votre message…",
      yourMessage: "Votre message", send: "Envoyer", startNew: "Commencer une nouvelle conversation", close: "Fermer le chat",
      rated: "Merci ! Vous avez noté cette conversation {n} sur 5.", source: "Source",
      unavailable: "Indisponible", unknownWorkspace: "Ce chat n'est pas disponible : aucun espace de travail ne s'appelle « {name} ». Si vous gérez ce site, vérifiez l'espace de travail configuré pour le chat."
    },
    de: {
      connecting: "Verbinden…", reconnecting: "Neu verbinden…", connected: "Verbunden", lost: "Verbindung verloren. Neu verbinden…", gone: "Dieses Gespräch ist nicht mehr verfügbar.", loading: "Laden…", loadingConversation: "Ihr Gespräch wird geladen…",
      title: "Chatten Sie mit uns", idle: "Unser Assistent antwortet sofort; bei Bedarf kommt eine Person dazu.",
      intro: "Hallo! Fragen Sie zu einer Bestellung, einer Rücksendung oder Ihrem Konto. Unser virtueller Assistent antwortet sofort, und jemand aus unserem Team kann jederzeit dazukommen.",
      you: "Sie", ai: "Virtueller Assistent (KI)", system: "Hinweis", team: "Support-Team",
      typingAgent: "{name} schreibt…", waitingReply: "Warten auf eine Antwort…", typingAi: "Der Assistent schreibt…",
      offerYes: "Ja, bitte eine Person", offerNo: "Nein danke", confirmYes: "Ja, bitte", confirmNo: "Nein",
      queuedTitle: "Gleich hilft Ihnen eine Person aus unserem Team", position: "Sie sind an Position {n} in der Warteschlange.",
      next: "Sie sind als Nächstes dran.", inLine: "Sie sind in der Warteschlange.", waitOne: "Die Wartezeit beträgt etwa 1 Minute.",
      wait: "Die Wartezeit beträgt etwa {n} Minuten.", soon: "Wir sind für Sie da, sobald jemand frei ist.",
      withYou: "{name} ist für Sie da", someone: "Jemand aus unserem Team",
      person: "Sie sprechen jetzt mit einer Person, die alles Bisherige sieht.",
      closedTitle: "Gelöst", closed: "Schön, dass wir helfen konnten. Noch etwas? Schreiben Sie unten, dann wird dieses Gespräch wieder geöffnet.", pausedTitle: "Vorerst geschlossen", paused: "Schreiben Sie jederzeit unten, um dort weiterzumachen, wo Sie aufgehört haben.",
      rate: "Wie war es? Bewerten Sie dieses Gespräch", s1: "Sehr schlecht", s2: "Schlecht", s3: "Okay", s4: "Gut", s5: "Ausgezeichnet",
      comment: "Möchten Sie noch etwas sagen? (optional)", sendRating: "Bewertung senden", placeholder: "Ihre Nachricht…",
      yourMessage: "Ihre Nachricht", send: "Senden", startNew: "Neues Gespräch beginnen", close: "Chat schließen",
      rated: "Danke! Sie haben dieses Gespräch mit {n} von 5 bewertet.", source: "Quelle",
      unavailable: "Nicht verfügbar", unknownWorkspace: "Dieser Chat ist nicht verfügbar: Es gibt keinen Workspace namens „{name}“. Wenn Sie diese Website betreiben, prüfen Sie den im Chat eingestellten Workspace."
    },
    pt: {
      connecting: "A ligar…", reconnecting: "A religar…", connected: "Ligado", lost: "Ligação perdida. A religar…", gone: "Esta conversa já não está disponível.", loading: "A carregar…", loadingConversation: "A carregar a sua conversa…",
      title: "Fale connosco", idle: "O nosso assistente responde de imediato; uma pessoa junta-se quando precisar.",
      intro: "Olá! Pergunte sobre uma encomenda, uma devolução ou a sua conta. O nosso assistente virtual responde de imediato e alguém da nossa equipa pode juntar-se quando precisar.",
      you: "Você", ai: "Assistente virtual (IA)", system: "Aviso", team: "Equipa de apoio",
      typingAgent: "{name} está a escrever…", waitingReply: "À espera de resposta…", typingAi: "O assistente está a escrever…",
      offerYes: "Sim, uma pessoa", offerNo: "Não, obrigado", confirmYes: "Sim, avance", confirmNo: "Não",
      queuedTitle: "Uma pessoa da nossa equipa vai atendê-lo em breve", position: "Está na posição {n} da fila.",
      next: "É o próximo na fila.", inLine: "Está na fila.", waitOne: "A espera deve ser de cerca de 1 minuto.",
      wait: "A espera deve ser de cerca de {n} minutos.", soon: "Vamos atendê-lo assim que alguém estiver livre.",
      withYou: "{name} está consigo", someone: "Alguém da nossa equipa",
      person: "Está agora a falar com uma pessoa, que vê tudo o que foi dito.",
      closedTitle: "Resolvido", closed: "Ainda bem que pudemos ajudar. Precisa de mais alguma coisa? Escreva abaixo e esta conversa volta a abrir.", pausedTitle: "Fechada por agora", paused: "Escreva abaixo quando quiser para continuar de onde ficou.",
      rate: "Como correu? Avalie esta conversa", s1: "Muito mau", s2: "Mau", s3: "Razoável", s4: "Bom", s5: "Excelente",
      comment: "Quer acrescentar algo? (opcional)", sendRating: "Enviar avaliação", placeholder: "Escreva a sua mensagem…",
      yourMessage: "A sua mensagem", send: "Enviar", startNew: "Começar uma nova conversa", close: "Fechar o chat",
      rated: "Obrigado! Avaliou esta conversa com {n} em 5.", source: "Fonte",
      unavailable: "Indisponível", unknownWorkspace: "Este chat não está disponível: não existe nenhum espaço de trabalho chamado «{name}». Se gere este site, verifique o espaço de trabalho configurado no chat."
    }
  };

  function pick(lang) {
    var code = String(lang || "").slice(0, 2).toLowerCase();
    return TEXTS[code] ? code : "en";
  }

  function t(lang, key, values) {
    var text = TEXTS[pick(lang)][key] || TEXTS.en[key] || key;
    return text.replace(/\{(\w+)\}/g, function (_, name) {
      return values && values[name] !== undefined ? String(values[name]) : "";
    });
  }

  function apply(lang) {
    var code = pick(lang);
    document.documentElement.lang = code;
    document.querySelectorAll("[data-i18n]").forEach(function (node) { node.textContent = t(code, node.dataset.i18n); });
    document.querySelectorAll("[data-i18n-placeholder]").forEach(function (node) {
      node.placeholder = t(code, node.dataset.i18nPlaceholder);
    });
    document.querySelectorAll("[data-i18n-label]").forEach(function (node) {
      node.setAttribute("aria-label", t(code, node.dataset.i18nLabel));
    });
    return code;
  }

  return { t: t, apply: apply, pick: pick, languages: Object.keys(TEXTS) };
})();
