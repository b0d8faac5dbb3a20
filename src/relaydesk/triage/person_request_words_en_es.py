"""The words of a request for a person in English and Spanish (see ``person_request_words.py``)."""

from __future__ import annotations

from relaydesk.triage.person_request_words import Lexicon, with_human_help, word_list

EN = Lexicon(
    persons=word_list(
        "human humans humna huamn hooman humen humam humnan person persn pesron preson perosn peron "
        "prson persom persoon agent agnet agetn agant agents someone somebody somone sombody smbdy "
        "smone anyone anybody representative representatives rep reps representive operator manager "
        "mgr supervisor supervisors boss staff employee employees advisor adviser advisors advisers "
        "consultant consultants specialists managers operators clerks associates "
        "colleague colleagues coworker specialist people ppl folks clerk associate attendant "
        "teamlead callback whoever some1 any1 caseworker"
    )
    + [
        "some one",
        "some body",
        "team lead",
        "team leader",
        "human being",
        "human beings",
        "real one",
        "human support",
        "human help",
        "human assistance",
        "human option",
        "human contact",
        "human service",
        "who can i",
        "who could i",
        "who should i",
        "who do i",
        "whom can i",
        "who can help",
        "member of staff",
        "members of staff",
        "staff member",
        "staff members",
        "team member",
        "team members",
        "member of your team",
        "member of the team",
        "member of your staff",
        "account manager",
        "account rep",
        "case handler",
        "case manager",
        "case worker",
    ],
    services=(
        "customer service*",
        "customer care",
        "customer support",
        "support",
        "helpdesk",
        "help desk",
        "team",
        "department",
        "dept",
        "billing",
        "call center",
        "call centre",
        "live chat",
        "live support",
        "cs",
    ),
    contact=word_list(
        "talk talking talkk tlak tak speak speaking speek spek spaek speack speakk chat chatting cht "
        "call ring contact reach respond reply answer discuss deal handle look review check help assist "
        "serve attend callback"
    )
    + [
        "sort out",
        "sort it",
        "sort this",
        "take over",
        "get back to",
        "have a word",
        "in touch",
        "on the phone",
        "on the line",
        "phone me",
        "phone us",
        "work with",
        "take a look",
        "have a look",
        "take a peek",
        "look into",
        "look over",
    ],
    handover=word_list(
        "transfer transferred transfering transferring tranfer trasnfer connect conect connected "
        "pass hand forward forwarded escalate escalated put get give bring route patch ask"
    ),
    bare_handover=word_list("transfer transferred tranfer trasnfer connect conect forward")
    + ["put me through", "put me thru", "put through", "put thru", "hand over", "pass me over", "pass me on"],
    escalate=word_list("escalate escalated escalating escalation"),
    callback=(
        "call me back",
        "call me",
        "call back",
        "give me a call",
        "contact me",
        "phone me",
        "ring me",
        "get back to me",
        "a callback",
        "be called back",
        "be contacted",
        "get a call",
        "a call back",
        "ring me back",
        "call us back",
    ),
    wants=word_list(
        "want wanna wamt wanting need needing require request requesting demand prefer rather wish gimme"
    )
    + [
        "would like",
        "i'd like",
        "id like",
        "i'd love",
        "ask for",
        "asking for",
        "get me",
        "give me",
        "let me",
        "can i get",
        "can i have",
        "could i get",
        "could i have",
        "may i have",
        "can we get",
        "find me",
        "wait for",
        "waiting for",
        "hoping for",
        "hope to",
        "hoping to",
    ],
    exists=(
        "is there",
        "are there",
        "is anyone",
        "is anybody",
        "is someone",
        "is somebody",
        "isn't there",
        "any",
        "where's",
        "wheres",
        "where is",
        "where are",
    ),
    me=("me", "us", "my case", "my complaint", "this conversation", "this chat", "my call"),
    negators=word_list("not no never without dont don't doesnt doesn't didnt didn't wont won't nobody")
    + ["do not", "does not", "no need", "not necessary"],
    resets=("but", "so", "because", "though", "although", "i", "i'd", "i'm", "im", "we"),
    self_words=(
        "i am",
        "i'm",
        "im",
        "we are",
        "we're",
        "i work as",
        "my name is",
        "my job",
        "i'm the",
        "as a",
    ),
    own=word_list("my our mine"),
    other_before=word_list(
        "cleaning chemical bleaching raising leavening customs shipping travel estate booking secret "
        "insurance sales property tour phone network mobile machine crane forklift local logistics "
        "delivery courier's union free press"
    )
    + ["real estate"],
    other_after=word_list(
        "hair body grade size version voice error errors rights resources anatomy consumption skin "
        "figure nature use made orange sample samples example examples selection photo photos picture "
        "pictures edition pro remains race fee fees commission code number id login portal app tent "
        "costume toy doll mode series game book film movie kit discount discounts program programme league "
        "meeting meetings reward rewards benefit benefits perk perks handbook badge uniform uniforms scheme"
    ),
    reported=word_list(
        "yesterday ago spoke talked chatted told said says promised mentioned explained claimed emailed did"
    )
    + ["last week", "last time", "last month", "the other day", "earlier today", "this morning"],
    fillers=word_list(
        "please pls plz pleae pleas plse now asap immediately right real actual live human a an "
        "one thanks thx urgent"
    )
    + ["right now", "thank you"],
)

_ES = Lexicon(
    persons=word_list(
        "persona humano humanos humana agente agentes asesor asesora asesores alguien algien "
        "empleado empleada empleados encargado encargada responsable companero companera companeros "
        "ejecutivo ejecutiva operador operadora representante supervisor supervisora gerente jefe "
        "gente trabajador gestor gestora gestores especialista coordinador coordinadora dependiente "
        "dependienta interlocutor algn alguin"
    )
    + [
        "ser humano",
        "atencion humana",
        "atencion personal",
        "persona fisica",
        "con quien puedo",
        "con quien pueda",
        "quien me puede",
        "quien puede",
        "ejecutivo de cuenta",
        "ejecutiva de cuenta",
        "gestor de cuenta",
        "gestora de cuenta",
    ],
    services=(
        "atencion al cliente",
        "servicio al cliente",
        "servicio de atencion",
        "soporte",
        "equipo",
        "departamento",
        "tienda",
        "atencion",
        "facturacion",
        "contabilidad",
        "servicio tecnico",
    ),
    contact=word_list(
        "hablar ablar habla hablarlo atiende atienden atiendes charlar chatear tratar tratarlo "
        "resolver resolverlo ver verlo "
        "llamar llame llamen llamenme llamarme contacte contacten contactar contactarme atienda atender "
        "atenderme atiendan atendiera revise revisar revisen mire mirar ayude ayudar ayudarme gestione "
        "gestionar encargue encarguen encargarse ocupe ocupen ocuparse tramite tramitar contestar conteste "
        "responder responda llamarme"
    )
    + ["un vistazo", "echar un vistazo"]
    + ["devuelvan la llamada", "me llame"],
    handover=word_list(
        "transferir transfiere transfieres transfieran transfierame transferirme transfiera pasar pasa "
        "pasas pasan pasais pasame paseme pasen pasarme pase poner ponme ponerme pongan pongame "
        "comunicar comunicas "
        "comunica comunican comuniquen comuniqueme comunicame comunicarme derivar derive deriva derivame "
        "derivarme derivarlo conectar conecte conectame escalar escalen escale escalarlo trasladar "
        "trasladen traslade"
    )
    + ["transfi*", "transfer*", "deriv*", "comuniqu*", "pasenme", "ponganme", "conectenme"],
    bare_handover=word_list(
        "transfiere transfieres transfieran transfierame transferirme transfiera comunicame comuniqueme "
        "derivame derivarme conectame"
    )
    + ["transfieranme", "derivenme", "comuniquenme", "pasenme", "ponganme", "conectenme"],
    escalate=word_list("escalar escalen escale escalarlo escalad escalado escalada"),
    callback=(
        "llamenme",
        "me llamen",
        "me llamais",
        "devuelvan la llamada",
        "contactenme",
        "me contacten",
        "ser contactado",
        "ser contactada",
        "ser llamado",
        "ser llamada",
        "devolucion de llamada",
        "llamada de vuelta",
        "me contacte",
        "me contacten",
        "me llamaran",
        "me contactaran",
    ),
    wants=word_list(
        "kiero qiero quisiera necesitamos nesecito exijo pido prefiero deseo queremos quier* necesit*"
    )
    + ["me gustaria", "me gustaria que", "nos gustaria", "quisieramos", "queriamos"],
    exists=("hay", "ay", "existe", "esta alguien", "donde esta", "donde hay"),
    me=("me", "mi caso", "mi reclamacion", "esta conversacion", "esto"),
    negators=word_list("no ni nunca sin nadie ningun ninguna ninguno") + ["no hace falta"],
    resets=word_list("pero porque asi sino aunque yo"),
    self_words=("soy", "somos", "trabajo como", "yo soy"),
    own=word_list("mi mis nuestro nuestra"),
    other_before=word_list("otra otro"),
    other_after=word_list(
        "limpiador limpiadora viajes viaje aduanas aduana mudanzas limpieza seguros inmobiliario "
        "inmobiliaria logistico logistica ventas bolsa"
    ),
    reported=word_list(
        "ayer dijo dijeron comento explico prometio atendio atendieron soluciono resolvio solucionado "
        "resuelto hablamos"
    )
    + [
        "hable con",
        "ya hable",
        "he hablado",
        "hemos hablado",
        "estuve hablando",
        "me llamaron",
        "me atendio",
        "la semana pasada",
        "la ultima vez",
        "el otro dia",
        "el mes pasado",
        "esta manana",
        "me dijo",
    ],
    fillers=word_list("por favor porfa porfavor pf plis ya ahora urgente real de verdad gracias un una"),
)
ES = with_human_help(_ES, "asistencia ayuda soporte atencion contacto trato interaccion", "humana humano")
