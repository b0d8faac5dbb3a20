"""The words of a request for a person in French, German and Portuguese (see ``person_request_words.py``)."""

from __future__ import annotations

from relaydesk.triage.person_request_words import Lexicon, with_human_help, word_list

_FR = Lexicon(
    persons=word_list(
        "personne humain humains humaine conseiller conseillere conseillers consieller conseiler "
        "agent agents quelqu'un qqn quelquun responsable collegue collegues interlocuteur "
        "interlocutrice operateur operatrice superviseur manager employe employee gerant membre chef "
        "representant representante representants gestionnaire gestionnaires specialiste referent "
        "referente coordinateur coordinatrice qqun qq1 quelqu1"
    )
    + [
        "quelqu un",
        "etre humain",
        "vraie personne",
        "personne reelle",
        "personne physique",
        "a qui puis",
        "a qui je peux",
        "avec qui je peux",
        "qui peut",
        "charge de clientele",
        "chargee de clientele",
        "charge clientele",
        "charge de compte",
        "chargee de compte",
        "charge de relation client",
        "charge d'affaires",
    ],
    services=(
        "service client",
        "service clients",
        "sav",
        "service",
        "equipe",
        "support",
        "service apres vente",
        "facturation",
        "comptabilite",
    ),
    contact=word_list(
        "parler parle parlez discuter echanger joindre appeler rappeler rappelle contacter "
        "contacte voir regler traiter aider occupe occuper repondre reponde regarder regarde examiner "
        "examine gerer gere joigne"
    )
    + [
        "au bout du fil",
        "au telephone",
        "prenne le relais",
        "prendre le relais",
        "en parler",
        "prenne en charge",
        "prendre en charge",
    ],
    handover=word_list(
        "transferer transferez transfere transferes passer passez passe passes mettre mettez "
        "mets mis mise remonter remonte remontee escalader connecter aiguiller aiguillez orienter "
        "orientez rediriger redirigez transmettre transmettez transmette"
    )
    + ["mettre en relation", "en relation", "en contact", "faire rappeler"],
    bare_handover=word_list("transferer transferez transfere")
    + [
        "mettez moi en relation",
        "mettre en relation",
        "mis en relation",
        "mise en relation",
        "en contact avec",
    ],
    escalate=word_list("remonter remonte remontee escalader"),
    callback=(
        "rappelez moi",
        "rappelez-moi",
        "me rappeler",
        "me faire rappeler",
        "me recontacter",
        "recontactez moi",
        "contactez moi",
        "me contacter",
        "etre rappele",
        "etre rappelee",
        "etre contacte",
        "etre contactee",
        "rappelle moi",
        "me rappeliez",
        "me recontactiez",
        "me contactiez",
        "me joindre",
        "etre recontacte",
        "etre recontactee",
        "rappel telephonique",
        "demande de rappel",
    ),
    wants=word_list(
        "veux veut voudrais voudrai aimerais aimerait aimerions aimeriez souhait* besoin exige demande "
        "prefere jveux jveu veu prie "
        "avoir voudr*"
    )
    + ["il me faut"],
    exists=("y a t il", "y a", "ya", "il y a", "est ce qu'il y a", "y a t'il", "y'a", "ou est", "ou sont"),
    me=("m'", "moi", "me", "ma demande", "mon dossier", "ma reclamation", "cette conversation"),
    negators=("ne", "n'", "pas", "jamais", "sans", "aucun", "aucune", "inutile", "pas besoin"),
    resets=("mais", "car", "donc", "je", "j'"),
    self_words=("je suis", "nous sommes", "je travaille comme"),
    own=word_list("mon ma mes notre nos"),
    other_before=word_list("autre autres"),
    other_after=word_list(
        "nettoyant nettoyants immobilier voyage voyages douane douanes assurance assurances ventes"
    )
    + ["de la marque"],
    reported=(
        "hier",
        "dit",
        "disait",
        "explique",
        "promis",
        "la semaine derniere",
        "la derniere fois",
        "l'autre jour",
        "ce matin",
        "j'ai eu",
        "avait dit",
        "m'a dit",
        "ai parle",
        "avons parle",
        "ai discute",
        "ai appele",
        "ai echange",
    ),
    fillers=word_list("svp stp s'il vous plait merci vite maintenant urgent c urgence un une reel vrai"),
)

_DE = Lexicon(
    persons=word_list(
        "mensch menschen mitarbeiter mitarbeiterin mitarbeitern berater beraterin kundenberater "
        "kundenberaterin sachbearbeiter sachbearbeiterin kollege kollegen kollegin jemand jemanden "
        "jemandem person vorgesetzten vorgesetzter vorgesetzte teamleiter teamleiterin ansprechpartner "
        "ansprechpartnerin agenten agent manager chef chefin betreuer leute supervisor ruckruf irgendjemand "
        "irgendjemanden irgendwen irgendwer jmd jmdn jmdm kundenbetreuer kundenbetreuerin betreuerin "
        "zustandige zustandigen zustandiger verantwortliche verantwortlichen abteilungsleiter "
        "abteilungsleiterin filialleiter filialleiterin ansprechperson"
    )
    + ["mit wem kann", "mit wem", "wer kann"],
    services=(
        "kundenservice",
        "kundendienst",
        "support",
        "buchhaltung",
        "team",
        "service",
        "abteilung",
        "hotline",
        "laden",
        "kundenbetreuung",
        "rechnungsabteilung",
    ),
    contact=word_list(
        "sprechen reden redn chatten schreiben telefonieren anrufen ruft rufen zuruckrufen zuruckruft "
        "melden kontaktieren klaren kummern anschauen ansehen prufen helfen ubernehmen antworten"
    )
    + ["am telefon", "in kontakt"],
    handover=word_list(
        "verbinden verbinde verbindet weiterleiten weiterzuleiten leiten leite durchstellen "
        "durchgestellt stellen stelle ubergeben geben gib gebt weitergeben nennen holen eskalieren"
    ),
    bare_handover=word_list(
        "verbinden verbinde verbindet weiterleiten weiterzuleiten durchstellen durchgestellt"
    )
    + ["leiten sie mich", "stellen sie mich"],
    escalate=word_list("eskalieren eskaliert eskalation"),
    callback=(
        "rufen sie mich",
        "ruft mich",
        "mich zuruckrufen",
        "melden sie sich",
        "rufen sie zuruck",
        "zuruckgerufen werden",
        "kontaktiert werden",
        "angerufen werden",
    ),
    wants=word_list("will wil mocht* brauch* verlange verlangen wunsche wunschen lieber")
    + [
        "hatte gern",
        "hatte gerne",
        "hatten gern",
        "hatten gerne",
        "wurde gern",
        "wurde gerne",
        "wurden gern",
        "wurden gerne",
        "wurde lieber",
        "bitte um",
        "bitten um",
        "ersuche um",
        "sorgen sie dafur",
    ],
    exists=(
        "gibt es",
        "gibts",
        "gibt's",
        "ist da",
        "is da",
        "ist hier",
        "jemand da",
        "wo ist",
        "wo sind",
        "ist jemand",
        "is jemand",
        "ist irgendjemand",
        "ist einer",
    ),
    me=("mich", "mir", "meinen fall", "das gesprach", "meine anfrage"),
    negators=word_list("nicht kein keine keinen keinem keiner nie niemand ohne") + ["nicht notig"],
    resets=word_list("aber sondern denn also weil ich"),
    self_words=("ich bin", "wir sind", "ich arbeite als"),
    own=word_list("mein meine meinen meinem meiner unser unsere"),
    other_before=word_list("andere anderen anderer"),
    other_after=("reisebuero",),
    reported=word_list(
        "gestern gesagt meinte sagte erzahlt versprochen telefoniert neulich gesprochen geredet"
    )
    + ["letzte woche", "letztes mal", "beim letzten mal", "heute morgen", "hatte ich", "ich hatte"],
    fillers=word_list("bitte sofort dringend jetzt schnell danke einen einem echten echte ne nen mal um"),
)

_PT = Lexicon(
    persons=word_list(
        "pessoa humano humanos humana atendente atendentes atendemte agente agentes alguem algm "
        "colaborador colaboradora funcionario funcionaria gerente responsavel supervisor supervisora "
        "consultor consultora representante colega colegas gente operador assistente gestor gestora "
        "analista especialista encarregado encarregada coordenador coordenadora assessor assessora alguen"
    )
    + ["ser humano", "atendimento humano", "atendimento pessoal", "com quem posso", "com quem", "quem pode"],
    services=(
        "atendimento",
        "atendimento ao cliente",
        "sac",
        "suporte",
        "equipe",
        "equipa",
        "setor",
        "departamento",
        "loja",
        "servico de atendimento",
        "faturamento",
        "financeiro",
        "cobranca",
        "contabilidade",
    ),
    contact=word_list(
        "falar fala conversar tratar resolver ligar ligue liguem ligarem ligacao retornar contactar "
        "contatar contactado contatado atender atenda atendesse atendido analisasse analisar analise "
        "ver olhar ajudar cuidar verificar responder responda"
    )
    + ["uma olhada", "dar uma olhada"],
    handover=word_list(
        "transferir transfere transfira transferido transferida passar passa passe passem encaminhar "
        "encaminhe encaminhem encaminha colocar coloca coloque chamar chama chame escalar escalado "
        "conectar conecta repassar repassa repasse repassem"
    )
    + ["em contato", "em contacto", "transfir*", "transfer*", "encaminh*"],
    bare_handover=word_list("transferir transfere transfira transferido transferida")
    + ["em contato", "em contacto"],
    escalate=word_list("escalar escalado escalem escale escalada"),
    callback=(
        "me liguem",
        "me ligue",
        "liguem me",
        "me retornem",
        "retornar minha ligacao",
        "me contactem",
        "me contatem",
        "me liga",
        "ser contactado",
        "ser contatado",
        "ser contactada",
        "ser contatada",
        "me ligar",
        "me contatar",
        "me contactar",
        "me retornar",
        "retorno por telefone",
        "retorno telefonico",
    ),
    wants=word_list(
        "qro kero gostaria gostariamos gostava gostavamos desejo desejamos prefiro peco exijo quer* precis*"
    ),
    exists=("tem", "ha", "existe", "tem alguem", "cade", "onde esta", "onde tem"),
    me=("me", "meu caso", "o meu caso", "esta conversa", "isso"),
    negators=word_list("nao nem nunca sem ninguem nenhum nenhuma"),
    resets=word_list("mas porque entao porem eu"),
    self_words=("sou", "somos", "eu sou", "trabalho como"),
    own=word_list("meu minha meus minhas nosso nossa"),
    other_before=word_list("outra outro"),
    other_after=word_list("viagens viagem limpeza aduaneiro imobiliario vendas seguros"),
    reported=word_list("ontem falei disse disseram falou prometeu explicou atendeu resolveu")
    + ["semana passada", "da ultima vez", "outro dia", "mes passado", "hoje de manha"],
    fillers=word_list(
        "por favor pfv pfvr pf porfa agora ja urgente real de verdade obrigado obrigada um uma"
    ),
)
FR = with_human_help(
    _FR, "assistance aide support contact interlocuteur service accompagnement", "humain humaine"
)
DE = with_human_help(
    _DE, "menschliche menschlicher menschlichen", "hilfe kontakt unterstutzung ansprechpartner beratung"
)
PT = with_human_help(_PT, "assistencia ajuda suporte atendimento contato contacto interacao", "humana humano")
