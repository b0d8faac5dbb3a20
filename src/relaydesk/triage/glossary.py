"""Rough word-for-word English glosses of Spanish, French, German and Portuguese messages.

The intent model and the help-center search use an English sentence-embedding model, so a
question such as "¿Cuánto tarda el envío a Canadá?" is poorly understood as written.  Before
those models read a non-English customer message we gloss it into rough English with
:func:`to_english` ("how long does it take the shipping to canada").

The gloss is only model input: it is never shown to customers, who keep getting replies in
their own language.  It is deliberately simple -- a phrase table with longest-match-first
replacement, accent-insensitive lookup, a little plural stripping and German compound
splitting -- so it is fast, deterministic and easy to extend: add phrases to ``GLOSSARY``.
The returned coverage (share of words the glossary knew) tells callers how much to trust it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# fmt: off
# Brand names and loanwords that read the same in every language (counted as covered).
_SHARED: dict[str, str] = {
    "paypal": "paypal", "amex": "amex", "american express": "american express", "visa": "visa",
    "mastercard": "mastercard", "maestro": "maestro", "klarna": "klarna", "apple pay": "apple pay",
    "google pay": "google pay", "northwind": "northwind", "northwind plus": "northwind plus", "ok": "ok",
    "okay": "okay", "bot": "bot", "chatbot": "chatbot", "email": "email", "e-mail": "email",
    "online": "online", "app": "app", "login": "login", "link": "link", "chat": "chat", "status": "status",
    "dhl": "dhl", "ups": "ups", "fedex": "fedex", "usps": "usps", "iphone": "iphone", "web": "website",
    "hm": "hm", "uf": "ugh", "ugh": "ugh", "super": "great", "premium": "premium", "spam": "spam",
}

_ES: dict[str, str] = {
    # phrases
    "cuánto tarda": "how long does it take", "cuánto tardan": "how long do they take",
    "cuánto tarda en llegar": "how long does it take to arrive", "tarda en llegar": "take to arrive",
    "cuánto tiempo": "how long",
    "cuánto cuesta": "how much does it cost", "cuánto cuestan": "how much do they cost",
    "cuánto es": "how much is", "cuántos días": "how many days", "cuántas semanas": "how many weeks",
    "tarjeta regalo": "gift card", "tarjetas regalo": "gift cards", "tarjeta de regalo": "gift card",
    "tarjetas de regalo": "gift cards", "cheque regalo": "gift card", "tarjeta de crédito": "credit card",
    "tarjetas de crédito": "credit cards", "tarjeta de débito": "debit card", "dos veces": "twice",
    "código de descuento": "discount code", "código promocional": "promo code", "cupón de descuento":
    "discount coupon", "fecha de caducidad": "expiration date", "fecha de vencimiento": "expiration date",
    "atención al cliente": "customer service", "servicio al cliente": "customer service",
    "servicio de atención al cliente": "customer service", "número de pedido": "order number",
    "número de seguimiento": "tracking number", "dirección de envío": "shipping address",
    "dirección de entrega": "delivery address", "método de pago": "payment method",
    "métodos de pago": "payment methods", "forma de pago": "payment method", "formas de pago":
    "payment methods", "envío exprés": "express shipping", "envío express": "express shipping",
    "envío urgente": "express shipping", "envío gratis": "free shipping", "envío gratuito": "free shipping",
    "gastos de envío": "shipping costs", "costo de envío": "shipping cost", "coste de envío": "shipping cost",
    "apartado de correos": "po box", "apartado postal": "po box", "casilla postal": "po box",
    "verificación en dos pasos": "two-step verification", "verificación en dos etapas":
    "two-step verification", "autenticación de dos factores": "two-factor authentication",
    "doble factor": "two-factor", "iniciar sesión": "sign in", "inicio de sesión": "sign-in",
    "cerrar sesión": "sign out", "no puedo": "i cannot", "no puedo entrar": "i cannot sign in",
    "no funciona": "is not working", "no me funciona": "is not working for me",
    "sigue sin funcionar": "still not working", "no me sirve": "does not help me",
    "no me ayuda": "does not help me", "no me llegó": "i did not receive it", "no ha llegado":
    "has not arrived", "no llegó": "did not arrive", "todavía no": "not yet", "aún no": "not yet",
    "por favor": "please", "muchas gracias": "thank you very much", "no gracias": "no thanks",
    "sí gracias": "yes thanks", "si gracias": "yes thanks", "sí por favor": "yes please",
    "si por favor": "yes please", "de verdad": "real", "la verdad": "honestly", "otra vez": "again",
    "más tarde": "later", "hablar con": "talk to", "pásame con": "transfer me to", "ponme con":
    "put me through to", "agente humano": "human agent", "persona real": "real person",
    "buenas tardes": "good afternoon", "buenos días": "good morning", "buenas noches": "good evening",
    "qué hago": "what do i do", "qué puedo hacer": "what can i do", "cómo puedo": "how can i",
    "se puede": "can i", "me cobraron": "i was charged", "me han cobrado": "i was charged",
    "cobro no autorizado": "unauthorized charge", "cargo no autorizado": "unauthorized charge",
    "no autoricé": "i did not authorize", "yo no fui": "it was not me", "hay alguien ahí":
    "is anyone there", "hacéis envíos": "do you ship", "hacen envíos": "do you ship",
    "hacer un pedido": "place an order", "estados unidos": "united states", "reino unido": "united kingdom",
    "una vergüenza": "a disgrace", "de mucho": "much", "lo intento": "i will try",
    "entró en mi cuenta": "got into my account", "no me deja": "it does not let me",
    "en espera": "on hold", "está retenido": "is on hold", "saldo de la tarjeta": "card balance",
    "código postal": "postal code", "qué significa": "what does it mean", "a domicilio": "to my home",
    "inició sesión": "signed in", "inició sesión en": "signed into", "tienen": "have",
    "ustedes tienen": "do you have", "tienen ustedes": "do you have", "inicié sesión": "i signed in",
    "me hackearon": "i was hacked",
    "hace": "ago", "pedí": "i ordered", "pedimos": "we ordered", "cambiarlo": "change it", "devolverlo":
    "return it", "cancelarlo": "cancel it", "recibirlo": "receive it", "usarlo": "use it",
    "pagarlo": "pay it",
    "compraron": "bought", "recibido todavía": "received yet", "llegaron": "arrived", "viene": "comes",
    "vino": "came", "enviará": "will ship", "enviado ya": "already shipped", "salió": "left",
    "perdido": "lost",
    "perdió": "lost", "robaron": "stole", "robado": "stolen", "bloqueada": "blocked", "bloqueado": "blocked",
    "quieren": "want", "necesitamos": "we need", "podría": "could", "podrían": "could", "podéis": "can you",
    "dijeron": "told", "escribí": "i wrote", "contestan": "answer", "responden": "answer",
    "reembolsaron": "refunded", "devolví": "i returned", "devuelto": "returned", "devuelven": "refund",
    "cancelé": "i cancelled", "cancelado": "cancelled", "cancelada": "cancelled", "pagado": "paid",
    "cobran": "charge", "cobrar": "charge", "aplicar": "apply", "canjear": "redeem", "válido": "valid",
    "expirado": "expired", "expiró": "expired", "expira": "expires", "caducado": "expired",
    "caducada": "expired", "equivocada": "wrong",
    "incorrecta": "wrong", "mojado": "wet", "abierto": "opened", "vacío": "empty", "falta una pieza":
    "a part is missing", "no es mío": "is not mine", "no reconozco": "i do not recognize",
    "dónde está": "where is", "está mi": "is my", "código de verificación": "verification code",
    "me mandaron": "they sent me", "me enviaron": "they sent me", "voy a": "i am going to",
    "voy": "i am going",
    "incluye": "includes", "aparece": "appears", "cubre": "covers", "poner": "put", "poner una queja":
    "file a complaint", "reconozco": "recognize", "doble cobro": "double charge", "retención": "hold",
    "carrito": "cart", "caja": "checkout", "plazo": "deadline", "plazo de devolución": "return period",
    "plazo de entrega": "delivery time", "contactar": "contact", "denuncia": "legal complaint",
    "legal": "legal", "derechos": "rights", "consumidor": "consumer", "tribunal": "court",
    "en cuotas": "in installments", "cuotas": "installments", "punto de recogida": "pickup point",
    # words
    "hola": "hello", "gracias": "thanks", "sí": "yes", "si": "if", "no": "not", "vale": "ok",
    "bueno": "well", "claro": "sure", "perfecto": "perfect", "genial": "great", "adiós": "bye",
    "pedido": "order", "pedidos": "orders", "compra": "purchase", "compras": "purchases",
    "comprar": "buy", "compré": "i bought", "envío": "shipping", "envíos": "shipping", "enviar": "send",
    "enviado": "shipped", "enviaron": "sent", "envían": "ship", "envían a": "ship to",
    "entrega": "delivery", "entregas": "deliveries", "entregar": "deliver", "entregado": "delivered",
    "llegar": "arrive", "llega": "arrives", "llegan": "arrive", "llegó": "arrived", "llegado": "arrived",
    "llegará": "will arrive", "paquete": "package", "paquetes": "packages", "seguimiento": "tracking",
    "rastrear": "track", "rastreo": "tracking", "transportista": "carrier", "correo": "email",
    "correos": "post office", "devolver": "return", "devolución": "return", "devoluciones": "returns",
    "devuelvo": "return", "reembolso": "refund", "reembolsos": "refunds", "reembolsar": "refund",
    "cambio": "exchange", "cambios": "exchanges", "cambiar": "change", "cambié": "i changed",
    "cambió": "changed", "cancelar": "cancel", "cancelación": "cancellation", "anular": "cancel",
    "dirección": "address", "pago": "payment", "pagos": "payments", "pagar": "pay", "pagué": "i paid",
    "tarjeta": "card", "tarjetas": "cards", "crédito": "credit", "débito": "debit",
    "transferencia": "bank transfer", "efectivo": "cash", "aceptan": "accept", "aceptáis": "accept",
    "acepta": "accepts", "aceptar": "accept", "rechazada": "declined", "rechazado": "declined",
    "rechazan": "decline", "cobro": "charge", "cobros": "charges", "cobrado": "charged",
    "cobraron": "charged", "cargo": "charge", "cargos": "charges", "factura": "invoice",
    "facturas": "invoices", "saldo": "balance", "caducan": "expire", "caduca": "expires",
    "caducar": "expire", "caducidad": "expiration", "vencen": "expire", "vence": "expires",
    "descuento": "discount", "código": "code", "cupón": "coupon", "promoción": "promotion",
    "oferta": "offer", "membresía": "membership", "suscripción": "subscription",
    "contraseña": "password", "clave": "password", "cuenta": "account", "sesión": "session",
    "entrar": "sign in", "acceder": "access", "hackeado": "hacked", "hackearon": "hacked",
    "seguridad": "security", "verificación": "verification", "dañado": "damaged", "dañada": "damaged",
    "roto": "broken", "rota": "broken", "defectuoso": "defective", "equivocado": "wrong",
    "incorrecto": "wrong", "garantía": "warranty", "reparación": "repair", "persona": "person",
    "agente": "agent", "humano": "human", "robot": "robot", "alguien": "someone", "queja": "complaint",
    "reclamación": "claim", "reclamo": "claim", "abogado": "lawyer", "demanda": "lawsuit",
    "denunciar": "report", "fraude": "fraud", "estafa": "scam", "autorizado": "authorized",
    "cuánto": "how much", "cuántos": "how many", "cuándo": "when", "cuando": "when", "dónde": "where",
    "donde": "where", "por qué": "why", "porque": "because", "qué": "what", "que": "that",
    "cómo": "how", "como": "like", "cuál": "which", "quién": "who", "quiero": "i want",
    "quisiera": "i would like", "necesito": "i need", "tengo": "i have", "tiene": "has",
    "tienes": "you have", "hay": "there is", "recibí": "i received",
    "recibir": "receive", "recibido": "received", "puedo": "can i", "puede": "can", "pueden": "can",
    "puedes": "can you", "hacer": "do", "hago": "i do", "hacen": "do", "usar": "use", "uso": "use",
    "utilizar": "use", "funciona": "works", "funcionar": "work", "sirve": "helps", "ayuda": "help",
    "ayudar": "help", "ayudarme": "help me", "hablar": "talk", "esperar": "wait",
    "tardar": "take", "cuesta": "costs", "cuestan": "cost", "es": "is", "son": "are",
    "está": "is", "están": "are", "estoy": "i am", "eres": "are you", "soy": "i am", "fue": "was",
    "fui": "was", "ha": "has", "tengo que": "i have to", "tienes que": "you have to",
    "hay que": "you have to", "quiero hablar": "i want to talk", "necesito hablar": "i need to talk",
    "entrar en": "sign into", "no puedo entrar en": "i cannot sign into", "cómo uso": "how do i use",
    "persona de verdad": "real person",
    "buenas": "hello", "uno": "one", "dos": "two", "tres": "three", "cuatro": "four", "cinco": "five",
    "diez": "ten", "quince": "fifteen", "treinta": "thirty", "tarda": "does it take",
    "tardan": "do they take", "he": "i have", "han": "have", "sigue": "still", "mandé": "i sent",
    "mandar": "send", "olvidé": "i forgot", "entró": "got in", "prefiero": "i prefer",
    "intento": "try", "pasaron": "passed", "atienda": "serve", "saber": "know", "días": "days",
    "día": "day", "semana": "week", "semanas": "weeks", "mes": "month", "meses": "months",
    "hoy": "today", "ayer": "yesterday", "mañana": "tomorrow", "ya": "already", "todavía": "still",
    "aún": "still", "siempre": "always", "nunca": "never", "ahora": "now", "entonces": "then",
    "tarde": "late", "horas": "hours", "hora": "hour", "el": "the", "la": "the", "los": "the",
    "las": "the", "un": "a", "una": "a", "unos": "some", "de": "of", "del": "of the", "a": "to",
    "al": "to the", "en": "in", "con": "with", "sin": "without", "por": "for", "para": "for",
    "y": "and", "o": "or", "pero": "but", "mi": "my", "mis": "my", "tu": "your", "su": "your",
    "me": "me", "te": "you", "se": "", "lo": "it", "le": "", "yo": "i", "usted": "you",
    "ustedes": "you", "esto": "this", "este": "this", "esta": "this", "eso": "that", "muy": "very",
    "mucho": "a lot", "muchas": "many", "muchos": "many", "más": "more", "menos": "less",
    "solo": "only", "también": "also", "otro": "another", "otra": "another", "mismo": "same",
    "nada": "nothing", "algo": "something", "todo": "everything", "ahí": "there", "aquí": "here",
    "mal": "bad", "bien": "well", "nuevo": "new", "canadá": "canada", "méxico": "mexico",
    "españa": "spain", "eeuu": "usa", "extranjero": "abroad", "internacional": "international",
    "país": "country", "países": "countries", "precio": "price", "costo": "cost", "gratis": "free",
    "producto": "product", "productos": "products", "artículo": "item", "artículos": "items",
    "talla": "size", "tamaño": "size", "foto": "photo", "fotos": "photos", "respuesta": "reply",
    "problema": "problem", "tema": "issue", "vergüenza": "disgrace", "pésimo": "terrible",
    "horrible": "terrible", "harto": "fed up", "lámpara": "lamp", "exprés": "express",
    "urgente": "urgent", "estado": "status", "procesando": "processing", "regalo": "gift",
    "socio": "member", "plus": "plus", "correo electrónico": "email", "teléfono": "phone",
    "llamar": "call", "ayer me": "yesterday i", "mandaron": "sent", "falta": "missing",
    "faltan": "missing", "dinero": "money", "vuelta": "back", "tienda": "store", "web": "website",
}

_FR: dict[str, str] = {
    # phrases
    "combien de temps": "how long", "combien coûte": "how much does it cost", "combien ça coûte":
    "how much does it cost", "combien de jours": "how many days", "en combien de jours": "in how many days",
    "carte cadeau": "gift card", "cartes cadeaux": "gift cards", "carte-cadeau": "gift card",
    "bon d'achat": "voucher", "avoir": "store credit", "carte de crédit": "credit card",
    "carte bancaire": "bank card", "carte bleue": "bank card", "deux fois": "twice",
    "code promo": "promo code", "code de réduction": "discount code", "service client": "customer service",
    "numéro de commande": "order number", "numéro de suivi": "tracking number",
    "adresse de livraison": "delivery address", "moyens de paiement": "payment methods",
    "moyen de paiement": "payment method", "modes de paiement": "payment methods",
    "livraison express": "express delivery", "livraison gratuite": "free delivery",
    "frais de port": "shipping costs", "frais de livraison": "delivery costs", "boîte postale": "po box",
    "vérification en deux étapes": "two-step verification", "double authentification":
    "two-factor authentication", "mot de passe": "password", "se connecter": "sign in",
    "me connecter": "sign in", "est-ce que je peux": "can i", "est-ce que vous": "do you",
    "est-ce que": "", "est ce que": "", "s'il vous plaît": "please", "s'il te plaît": "please",
    "ne marche pas": "does not work", "ne marche toujours pas": "still does not work",
    "ne fonctionne pas": "does not work", "ne fonctionne toujours pas": "still does not work",
    "ne marche plus": "no longer works", "pas encore": "not yet", "toujours pas": "still not",
    "j'en ai marre": "i am fed up", "en a marre": "is fed up", "c'est nul": "this is terrible",
    "c'est bon": "it's fine", "c'est": "it is", "d'accord": "ok", "merci beaucoup": "thank you very much",
    "non merci": "no thanks", "oui merci": "yes thanks", "bonne journée": "have a nice day",
    "bonne soirée": "have a nice evening", "ça va": "how are you", "quelqu'un": "someone",
    "parler à": "talk to", "parler a": "talk to", "passez moi": "put me through to",
    "passez-moi": "put me through to", "une vraie personne": "a real person", "vraie personne":
    "real person", "que faire": "what to do", "porter plainte": "file a complaint", "mon avocat":
    "my lawyer", "débité deux fois": "charged twice", "prélevé deux fois": "charged twice",
    "pas autorisé": "not authorized", "non autorisé": "unauthorized", "pourquoi": "why",
    "il y a": "there is", "y a-t-il": "is there", "à quelle heure": "at what time",
    "réclamation sous garantie": "warranty claim", "sous garantie": "under warranty",
    "qu'est-ce que": "what", "j'ai": "i have", "je n'ai pas": "i have not", "n'est pas": "is not",
    "etats-unis": "united states", "royaume-uni": "united kingdom", "en attente": "on hold",
    "livrez-vous": "do you deliver", "quel est": "what is", "a été": "was", "ai été": "was", "été": "been",
    "être": "be", "pense": "think", "s'est connecté": "signed in", "connecté": "signed in", "jamais reçu":
    "never received", "pas reçu": "not received", "reçue": "received", "perdue": "lost", "volé": "stolen",
    "bloqué mon compte": "blocked my account", "remboursée": "refunded", "annulée": "cancelled",
    "annulé": "cancelled", "peut-on": "can i", "puis-je": "can i", "pouvez-vous": "can you",
    "voulais": "wanted", "souhaite": "would like", "souhaiterais": "would like", "attends": "am waiting for",
    "attend": "waits", "depuis": "since", "il y a deux semaines": "two weeks ago", "utilisé": "used",
    "valable": "valid", "appliquer": "apply", "rien": "nothing", "mauvaise": "wrong", "erreur": "mistake",
    "abîmée": "damaged", "endommagée": "damaged", "manque": "missing", "vide": "empty", "moi": "me",
    "toi": "you",
    "réponse": "reply", "répondez": "reply", "répond": "replies", "écrit": "wrote", "contacter": "contact",
    "fidélité": "loyalty", "frais": "fees", "taxes": "taxes", "douane": "customs", "suivre": "track",
    "code de vérification": "verification code", "délai": "time limit", "délai de retour": "return period",
    "délai de livraison": "delivery time", "oublié": "forgot", "en plusieurs fois": "in installments",
    "plusieurs": "several", "fois": "times", "retenue": "hold", "préautorisation": "authorization hold",
    "panier": "cart", "juridique": "legal", "tribunal": "court", "point relais": "pickup point",
    "authentification à deux facteurs": "two-factor authentication", "changer d'adresse": "change address",
    "inscrire": "sign up", "compte piraté": "hacked account", "rembourse": "refund", "remboursez": "refund",
    # words
    "bonjour": "hello", "salut": "hi", "bonsoir": "good evening", "merci": "thanks", "oui": "yes",
    "non": "no", "volontiers": "gladly", "ok": "ok", "parfait": "perfect", "génial": "great",
    "commande": "order", "commandes": "orders", "commandé": "ordered", "commander": "order",
    "achat": "purchase", "acheter": "buy", "acheté": "bought", "livraison": "delivery",
    "livraisons": "deliveries", "livrez": "deliver", "livrer": "deliver", "livré": "delivered",
    "livrée": "delivered", "expédition": "shipping", "expédier": "ship", "expédié": "shipped",
    "expédiée": "shipped", "envoi": "shipment", "envoyer": "send", "envoyé": "sent", "envoie": "sends",
    "colis": "package", "suivi": "tracking", "transporteur": "carrier", "arriver": "arrive",
    "arrive": "arrives", "arrivé": "arrived", "arrivée": "arrived", "reçu": "received",
    "recevoir": "receive", "retour": "return", "retours": "returns", "retourner": "return",
    "renvoyer": "send back", "rembourser": "refund", "remboursement": "refund",
    "remboursements": "refunds", "remboursé": "refunded", "échange": "exchange", "échanger": "exchange",
    "annuler": "cancel", "annulation": "cancellation", "changer": "change", "modifier": "change",
    "adresse": "address", "paiement": "payment", "paiements": "payments", "payer": "pay",
    "paie": "pay", "payé": "paid", "carte": "card", "cartes": "cards", "virement": "bank transfer",
    "acceptez": "accept", "acceptez-vous": "do you accept", "acceptez vous": "do you accept",
    "acceptée": "accepted", "refusée": "declined", "refusé": "declined", "débité": "charged",
    "prélevé": "charged", "prélèvement": "charge", "facture": "invoice", "factures": "invoices",
    "solde": "balance", "expire": "expires", "expirent": "expire", "expiré": "expired",
    "réduction": "discount", "remise": "discount", "promo": "promo", "code": "code", "promotion":
    "promotion", "abonnement": "subscription", "adhésion": "membership", "compte": "account",
    "connexion": "sign-in", "piraté": "hacked", "sécurité": "security", "vérification": "verification",
    "activer": "enable", "réinitialise": "reset", "réinitialiser": "reset", "endommagé": "damaged",
    "cassé": "broken", "cassée": "broken", "abîmé": "damaged", "défectueux": "defective",
    "mauvais": "wrong", "garantie": "warranty", "réparation": "repair", "personne": "person",
    "agent": "agent", "conseiller": "advisor", "conseillère": "advisor", "humain": "human",
    "robot": "robot", "équipe": "team", "plainte": "complaint", "réclamation": "claim",
    "avocat": "lawyer", "fraude": "fraud", "arnaque": "scam", "combien": "how much", "quand": "when",
    "où": "where", "comment": "how to", "comment je": "how do i", "comment puis-je": "how can i",
    "quel": "which", "quelle": "which", "quels": "which",
    "quelles": "which", "qui": "who", "que": "that", "quoi": "what", "avez-vous": "do you have",
    "avez vous": "do you have", "veux": "want",
    "voudrais": "would like", "voulez": "want", "besoin": "need", "ai": "have", "avez": "have",
    "a": "has", "peux": "can", "pouvez": "can you", "peut": "can", "fais": "do", "faire": "do",
    "fait": "does", "utiliser": "use", "utilise": "use", "marche": "works", "fonctionne": "works",
    "aider": "help", "aide": "help", "parler": "talk", "attendre": "wait", "dure": "lasts",
    "durée": "duration", "coûte": "costs", "coûtent": "cost", "prix": "price", "est": "is",
    "sont": "are", "suis": "am", "êtes": "are", "contactera": "will contact", "vais": "am going to",
    "préfère": "prefer", "jours": "days", "jour": "day", "semaine": "week", "semaines": "weeks",
    "mois": "month", "aujourd'hui": "today", "hier": "yesterday", "demain": "tomorrow",
    "déjà": "already", "toujours": "still", "encore": "still", "jamais": "never",
    "maintenant": "now", "avant": "before", "après": "after", "heures": "hours", "le": "the",
    "la": "the", "les": "the", "l": "the", "un": "a", "une": "a", "des": "some", "de": "of",
    "d": "of", "du": "of the", "à": "to", "au": "to", "aux": "to the", "en": "in", "dans": "in",
    "avec": "with", "sans": "without", "pour": "for", "par": "by", "sur": "on", "et": "and",
    "ou": "or", "mais": "but", "si": "if", "mon": "my", "ma": "my", "mes": "my", "votre": "your",
    "vos": "your", "je": "i", "j": "i", "vous": "you", "tu": "you", "il": "it", "elle": "it",
    "on": "someone", "m": "me", "me": "me", "ne": "", "n": "", "pas": "not", "plus": "more",
    "se": "", "s": "", "ça": "it", "ce": "this", "cette": "this", "c": "it", "qu": "that", "t": "you",
    "très": "very", "vraiment": "really", "vraie": "real", "vrai": "real", "article": "item",
    "articles": "items", "produit": "product", "produits": "products", "taille": "size",
    "photo": "photo", "canada": "canada", "france": "france", "belgique": "belgium",
    "suisse": "switzerland", "étranger": "abroad", "pays": "country", "gratuit": "free",
    "bouilloire": "kettle", "pénible": "annoying", "agaçant": "annoying", "nul": "terrible",
    "catastrophe": "disaster", "honte": "disgrace", "inadmissible": "unacceptable",
    "urgent": "urgent", "svp": "please", "stp": "please", "express": "express", "super": "great",
    "trois": "three", "quatre": "four",
    "cinq": "five", "dix": "ten", "quinze": "fifteen", "trente": "thirty", "vous livrez": "do you deliver",
    "vous acceptez": "do you accept",
    "voudrais parler": "would like to talk", "veux parler": "want to talk",
    "vous contactera": "will contact you",
    "mot": "word", "deux": "two", "étapes": "steps", "problème": "problem", "cette semaine":
    "this week", "client": "customer", "clients": "customers", "service": "service",
    "site": "website", "email": "email", "mail": "email", "courriel": "email", "téléphone": "phone",
    "appeler": "call", "argent": "money", "membre": "member", "fermé": "closed", "ouvert": "open",
    "bloqué": "blocked", "bloquée": "blocked", "encore changer": "still change", "perdu": "lost",
}

_DE: dict[str, str] = {
    # phrases
    "wie lange": "how long", "wie lange dauert": "how long does it take", "wie viel": "how much",
    "wieviel": "how much", "wie viele": "how many", "was kostet": "how much is", "wie teuer":
    "how expensive", "zweimal": "twice", "doppelt": "twice", "doppelt belastet": "charged twice",
    "zwei-faktor-anmeldung": "two-factor sign-in", "zwei-faktor-authentifizierung":
    "two-factor authentication", "zwei-schritt-verifizierung": "two-step verification",
    "danke schön": "thank you", "vielen dank": "thank you very much", "nein danke": "no thanks",
    "ja bitte": "yes please", "ja gerne": "yes gladly", "alles klar": "all right",
    "passt schon": "that's fine", "guten tag": "good day", "guten morgen": "good morning",
    "guten abend": "good evening", "wie geht's": "how are you", "wie gehts": "how are you",
    "funktioniert nicht": "does not work", "klappt nicht": "does not work",
    "immer noch nicht": "still not", "noch nicht": "not yet", "hilft mir nicht": "does not help me",
    "hilft mir null weiter": "does not help me at all", "nicht wirklich": "not really",
    "ehrlich gesagt": "honestly", "ist da jemand": "is anyone there", "per überweisung":
    "by bank transfer", "auf rechnung": "on invoice", "echten person": "real person",
    "echte person": "real person", "mit einem menschen": "with a human", "zurück": "back",
    "nicht autorisiert": "not authorized", "was bekomme ich dafür": "what do i get for it",
    "was sind": "what are", "wie aktiviere ich": "how do i enable", "wie kann ich": "how can i",
    "kann ich": "can i", "können sie": "can you", "bei der bestellung": "when ordering",
    "beim versand": "at shipping", "vereinigte staaten": "united states", "dauert das": "does it take",
    "wie lange dauert das noch": "how much longer will it take", "das lieber": "that rather",
    "hilft mir nicht weiter": "does not help me", "nicht weiter": "not",
    "nicht wirklich weiter": "not really",
    "habe ich": "do i have", "wie lange habe ich zeit": "how long do i have",
    "akzeptieren sie": "do you accept",
    "akzeptiert ihr": "do you accept", "bist du": "are you", "verbinden sie mich": "connect me",
    "klappt immer noch nicht": "still does not work", "funktioniert immer noch nicht": "still does not work",
    "nicht autorisiert habe": "did not authorize", "mit einem mitarbeiter sprechen": "speak with an agent",
    "mit einem menschen sprechen": "speak with a human", "mit jemandem sprechen": "speak with someone",
    "zurückzuschicken": "send back", "zurückzugeben": "return", "zurückzusenden": "send back",
    "drei": "three", "vier": "four", "fünf": "five", "zehn": "ten", "vierzehn": "fourteen",
    "dreißig": "thirty",
    "wie hoch": "how much", "haben sie": "do you have", "gibt es": "is there", "hoch": "high", "sich": "",
    "eingeloggt": "logged in", "angemeldet": "signed in",
    "geändert": "changed", "nutzen": "use", "genutzt": "used", "einlöse": "redeem", "eingelöst": "redeemed",
    "gesendet": "sent", "geschickt": "sent", "zurückgeschickt": "sent back", "erhalte": "receive",
    "bekommen habe": "received", "verloren gegangen": "lost", "gestohlen": "stolen",
    "gesperrt": "locked", "bestätigt": "confirmed", "storniert habe": "cancelled", "gebucht": "charged",
    "abgebucht worden": "been charged", "falsch geliefert": "delivered wrong", "leer": "empty",
    "nass": "wet", "zerbrochen": "broken", "gebrochen": "broken", "zerkratzt": "scratched",
    "antwort": "reply", "antwortet": "replies", "geschrieben": "wrote", "kontaktieren": "contact",
    "zoll": "customs", "gebühren": "fees", "gebühr": "fee", "steuer": "tax", "treuepunkte": "loyalty points",
    "code": "code", "bestätigungscode": "confirmation code", "vergessen": "forgot",
    "kann mich nicht anmelden": "cannot sign in", "mich nicht anmelden": "not sign in", "frist": "deadline",
    "rückgabefrist": "return period", "ins": "to the", "kündigen": "cancel", "kündige": "cancel",
    "wie kündige ich": "how do i cancel",
    "kündigung": "cancellation", "einreichen": "file", "meldet sich": "will get in touch",
    "warenkorb": "cart", "kasse": "checkout", "liefern sie": "do you deliver", "vormerkung": "hold",
    "reserviert": "reserved", "vorgemerkt": "on hold", "widerruf": "withdrawal", "rechtlich": "legal",
    "gericht": "court", "verbraucherzentrale": "consumer protection", "zustellung": "delivery",
    "zugestellt": "delivered", "zusteller": "courier", "postfiliale": "post office", "paketshop":
    "parcel shop", "ratenzahlung": "installments", "raten": "installments",
    # compound parts, so unknown compounds such as "Lieferstatus" can be split
    "liefer": "delivery", "bestell": "order", "rücksende": "return", "geschenk": "gift", "dienst": "service",
    "nummer": "number", "nr": "number", "etikett": "label", "sperrung": "lock", "handy": "mobile phone",
    "mail": "email", "fehler": "error", "über": "over", "ausgezeichnet": "excellent", "dank": "thanks",
    # compounds and words
    "hallo": "hello", "hi": "hi", "zusammen": "everyone", "danke": "thanks", "bitte": "please",
    "ja": "yes", "nein": "no", "gerne": "gladly", "gern": "gladly", "klar": "sure", "ok": "ok",
    "prima": "great", "bestellung": "order", "bestellungen": "orders", "bestellt": "ordered",
    "bestellen": "order", "bestellnummer": "order number", "auftrag": "order", "kauf": "purchase",
    "kaufen": "buy", "gekauft": "bought", "versand": "shipping", "versandkosten": "shipping costs",
    "versendet": "shipped", "versenden": "ship", "verschickt": "shipped", "standardversand":
    "standard shipping", "expressversand": "express shipping", "lieferung": "delivery",
    "lieferungen": "deliveries", "liefern": "deliver", "liefert": "delivers", "geliefert": "delivered",
    "lieferzeit": "delivery time", "lieferzeiten": "delivery times", "lieferadresse":
    "delivery address", "lieferanschrift": "delivery address", "paket": "package", "pakete": "packages",
    "sendungsverfolgung": "tracking", "sendungsnummer": "tracking number", "tracking": "tracking",
    "postfach": "po box", "packstation": "parcel locker", "ankommen": "arrive", "angekommen": "arrived",
    "kommt": "comes", "erhalten": "received", "bekommen": "get", "bekomme": "get",
    "rücksendung": "return", "rücksendungen": "returns", "retoure": "return", "zurückschicken":
    "send back", "zurückgeben": "return", "zurücksenden": "send back", "rückgabe": "return",
    "umtausch": "exchange", "umtauschen": "exchange", "rückerstattung": "refund", "erstattung": "refund",
    "erstatten": "refund", "erstattet": "refunded", "geld zurück": "money back",
    "stornieren": "cancel", "stornierung": "cancellation", "storniert": "cancelled",
    "ändern": "change", "adresse": "address", "anschrift": "address", "zahlung": "payment",
    "zahlungen": "payments", "zahlungsarten": "payment methods", "zahlungsart": "payment method",
    "zahlungsmethoden": "payment methods", "bezahlen": "pay", "zahlen": "pay", "bezahlt": "paid",
    "karte": "card", "karten": "cards", "kreditkarte": "credit card", "kreditkarten": "credit cards",
    "ec-karte": "debit card", "girokarte": "debit card", "debitkarte": "debit card",
    "überweisung": "bank transfer", "akzeptieren": "accept", "akzeptiert": "accepts",
    "abgelehnt": "declined", "belastet": "charged", "abbuchung": "charge", "abgebucht": "charged",
    "rechnung": "invoice", "rechnungen": "invoices", "guthaben": "balance",
    "geschenkkarte": "gift card", "geschenkkarten": "gift cards", "gutschein": "gift card",
    "gutscheine": "gift cards", "gutscheinkarte": "gift card", "gutscheincode": "voucher code",
    "rabattcode": "discount code", "rabatt": "discount", "aktionscode": "promo code",
    "aktion": "promotion", "angebot": "offer", "verfällt": "expires", "verfallen": "expire",
    "abgelaufen": "expired", "gültig": "valid", "gilt": "applies", "mitgliedschaft": "membership",
    "abo": "subscription", "abonnement": "subscription", "passwort": "password",
    "kennwort": "password", "konto": "account", "kundenkonto": "customer account",
    "anmelden": "sign in", "anmeldung": "sign-in", "einloggen": "log in", "gehackt": "hacked",
    "sicherheit": "security", "aktivieren": "enable", "aktiviere": "enable", "zurücksetzen": "reset",
    "beschädigt": "damaged", "kaputt": "broken", "defekt": "defective", "falsch": "wrong",
    "falschen": "wrong", "falsche": "wrong", "garantie": "warranty", "gewährleistung": "warranty",
    "reparatur": "repair", "person": "person", "mensch": "human", "menschen": "human",
    "mitarbeiter": "agent", "mitarbeiterin": "agent", "kundenberater": "customer advisor",
    "berater": "advisor", "agent": "agent", "bot": "bot", "jemand": "someone", "jemandem": "someone",
    "beschwerde": "complaint", "anwalt": "lawyer", "klage": "lawsuit", "betrug": "fraud",
    "autorisiert": "authorized", "kundenservice": "customer service", "kundendienst":
    "customer service", "öffnungszeiten": "opening hours", "erreichbar": "reachable",
    "wie": "how", "wann": "when", "wo": "where", "warum": "why", "was": "what", "welche": "which",
    "welcher": "which", "welches": "which", "wer": "who", "möchte": "would like", "will": "want",
    "brauche": "need", "habe": "have", "hast": "have", "hat": "has", "haben": "have",
    "kann": "can", "können": "can", "kannst": "can", "muss": "must", "mache": "do", "machen": "do",
    "benutzen": "use", "verwenden": "use", "einlösen": "redeem", "funktioniert": "works",
    "klappt": "works", "hilft": "helps", "helfen": "help", "hilfe": "help", "sprechen": "speak",
    "reden": "talk", "besprechen": "discuss", "verbinden": "connect", "warten": "wait",
    "dauert": "takes", "dauern": "take", "kostet": "costs", "kosten": "costs", "preis": "price",
    "ist": "is", "sind": "are", "bin": "am", "bist": "are you", "war": "was", "wird": "is",
    "werden": "will be", "würde": "would", "erlebt": "experienced", "tage": "days", "tagen": "days",
    "tag": "day", "woche": "week", "wochen": "weeks", "monat": "month", "monate": "months",
    "heute": "today", "gestern": "yesterday", "morgen": "tomorrow", "schon": "already",
    "noch": "still", "immer": "always", "nie": "never", "je": "ever", "jetzt": "now", "sofort":
    "immediately", "stunden": "hours", "zeit": "time", "der": "the", "die": "the", "das": "the",
    "das ist": "that is", "das klappt": "that works", "das hilft": "that helps",
    "das war": "that was", "ist das": "is that", "wurde": "was", "wurden": "were", "worden": "been",
    "den": "the", "dem": "the", "des": "of the", "ein": "a", "eine": "a", "einen": "a",
    "einem": "a", "einer": "a", "von": "from", "zu": "to", "zur": "to the", "zum": "to the",
    "nach": "to", "in": "in", "im": "in the", "auf": "on", "an": "to", "am": "on the", "mit": "with",
    "ohne": "without", "für": "for", "per": "by", "und": "and", "oder": "or", "aber": "but",
    "wenn": "if", "ob": "whether", "dass": "that", "mein": "my", "meine": "my", "meiner": "my",
    "meinem": "my", "meinen": "my", "ihr": "your", "ihre": "your", "ihren": "your", "ihrer": "your",
    "ihrem": "your", "ich": "i", "sie": "you", "du": "you", "wir": "we", "mir": "me", "mich": "me",
    "es": "it", "da": "there", "nicht": "not", "kein": "no", "keine": "no", "nichts": "nothing",
    "sehr": "very", "auch": "also", "nur": "only", "mehr": "more", "lieber": "rather",
    "trotzdem": "anyway", "eigentlich": "actually", "wirklich": "really", "ehrlich": "honestly",
    "null": "zero", "weiter": "further", "artikel": "item", "produkt": "product",
    "produkte": "products", "größe": "size", "foto": "photo", "fotos": "photos", "frage": "question",
    "problem": "problem", "kanada": "canada", "deutschland": "germany", "österreich": "austria",
    "schweiz": "switzerland", "ausland": "abroad", "land": "country", "kostenlos": "free",
    "gratis": "free", "express": "express", "standard": "standard", "nervig": "annoying",
    "ärgerlich": "annoying", "unglaublich": "unbelievable", "schlechteste": "worst",
    "schlecht": "bad", "frechheit": "outrage", "unverschämt": "outrageous", "dringend": "urgent",
    "mitglied": "member", "plus": "plus", "kunde": "customer", "kunden": "customer",
    "service": "service", "telefon": "phone", "anrufen": "call", "geld": "money", "hm": "hm",
    "gesagt": "said", "wirklich weiter": "really further", "dafür": "for it", "mal": "",
    "denn": "", "doch": "", "ja schon": "yes already", "zwei": "two", "faktor": "factor",
    "verifizierung": "verification", "bestätigung": "confirmation", "status": "status",
    "bearbeitung": "processing", "unterwegs": "in transit", "verloren": "lost", "fehlt": "missing",
}

_PT: dict[str, str] = {
    # phrases
    "quanto tempo": "how long", "quanto tempo demora": "how long does it take", "quanto custa":
    "how much does it cost", "quanto é": "how much is", "quantos dias": "how many days",
    "cartão presente": "gift card", "cartão-presente": "gift card", "vale-presente": "gift card",
    "vale presente": "gift card", "cartões presente": "gift cards", "cartão de crédito": "credit card",
    "cartão de débito": "debit card", "duas vezes": "twice", "cupom de desconto": "discount coupon",
    "código de desconto": "discount code", "código promocional": "promo code",
    "atendimento ao cliente": "customer service", "serviço de atendimento": "customer service",
    "número do pedido": "order number", "código de rastreio": "tracking code",
    "código de rastreamento": "tracking code", "endereço de entrega": "delivery address",
    "formas de pagamento": "payment methods", "forma de pagamento": "payment method",
    "meios de pagamento": "payment methods", "frete grátis": "free shipping", "frete expresso":
    "express shipping", "caixa postal": "po box", "verificação em duas etapas": "two-step verification",
    "autenticação de dois fatores": "two-factor authentication", "nota fiscal": "invoice",
    "fazer login": "sign in", "por favor": "please", "muito obrigado": "thank you very much",
    "muito obrigada": "thank you very much", "não obrigado": "no thanks", "não obrigada": "no thanks",
    "boa tarde": "good afternoon", "bom dia": "good morning", "boa noite": "good evening",
    "de verdade": "real", "pessoa de verdade": "real person", "dá pra": "can i", "dá para": "can i",
    "tem como": "is it possible to", "como faço para": "how do i", "como faço pra": "how do i",
    "como faço": "how do i", "não funciona": "does not work", "continua sem funcionar":
    "still not working", "não ajuda": "does not help", "não recebi": "i did not receive",
    "não chegou": "has not arrived", "ainda não": "not yet", "fui cobrado": "i was charged",
    "fui cobrada": "i was charged", "cobrança indevida": "unauthorized charge",
    "não autorizei": "i did not authorize", "o que": "what", "que chato": "how annoying",
    "só me diz": "just tell me", "me diz": "tell me", "falar com": "talk to", "faz uma semana":
    "a week ago", "estados unidos": "united states", "em espera": "on hold", "o meu": "my",
    "no canadá": "to canada", "o que significa": "what does it mean", "a minha": "my",
    "do meu": "of my", "da minha": "of my",
    "no meu": "in my", "na minha": "in my", "vocês aceitam": "do you accept",
    "vocês entregam": "do you deliver",
    "atendente humano": "human agent", "quero falar": "i want to talk", "preciso falar": "i need to talk",
    "dois": "two", "duas": "two", "três": "three", "quatro": "four", "cinco": "five", "dez": "ten",
    "quinze": "fifteen", "trinta": "thirty",
    "na fatura": "on the statement", "de novo": "again", "outra vez": "again",
    "frete de devolução": "return shipping cost",
    "faz": "it has been", "entrou na": "got into", "tenho que": "i have to", "vocês têm": "do you have",
    "veio": "came", "entrou": "got in", "mudou": "changed", "leva": "takes",
    "quanto tempo leva": "how long does it take", "mudaram": "changed", "recebido": "received",
    "chegaram": "arrived", "chegue": "arrive", "enviaram": "sent", "mandei": "i sent", "mandar": "send",
    "paguei duas vezes": "i paid twice", "cobraram": "charged", "estornado": "refunded",
    "estornar": "refund", "devolvi": "i returned", "cancelei": "i cancelled", "cancelado": "cancelled",
    "usei": "i used", "aplicar": "apply", "válido": "valid", "expirou": "expired", "vencido": "expired",
    "esqueci": "i forgot", "consigo": "i can", "não consigo": "i cannot", "entrar na conta":
    "sign in to the account", "invadida": "hacked", "roubado": "stolen", "danificada": "damaged",
    "errada": "wrong", "faltando": "missing", "vazio": "empty", "resposta": "reply",
    "respondem": "answer", "escrevi": "i wrote", "contato": "contact", "taxa": "fee", "taxas": "fees",
    "alfândega": "customs", "imposto": "tax", "comprovante": "receipt", "recibo": "receipt",
    "código de verificação": "verification code", "cobre": "covers", "reconheço": "recognize",
    "fazem": "do", "vocês fazem": "do you do", "no paypal": "to paypal", "carrinho": "cart",
    "prazo": "deadline", "prazo de entrega": "delivery time", "prazo de devolução": "return period",
    "parcelar": "pay in installments", "parcelado": "in installments", "parcelas": "installments",
    "pré-autorização": "authorization hold", "bloqueio": "hold", "procon": "consumer protection",
    "justiça": "court", "reclamar": "complain", "esqueci minha senha": "i forgot my password",
    "ponto de retirada": "pickup point", "autenticação em dois fatores": "two-factor authentication",
    # words
    "olá": "hello", "oi": "hi", "obrigado": "thanks", "obrigada": "thanks", "valeu": "thanks",
    "sim": "yes", "não": "not", "beleza": "ok", "ok": "ok", "pedido": "order", "pedidos": "orders",
    "encomenda": "order", "compra": "purchase", "comprar": "buy", "comprei": "i bought",
    "envio": "shipping", "enviar": "send", "enviado": "shipped", "enviam": "ship", "entrega": "delivery",
    "entregar": "deliver", "entregam": "deliver", "entregue": "delivered", "frete": "shipping",
    "chegar": "arrive", "chega": "arrives", "chegou": "arrived", "pacote": "package",
    "rastreio": "tracking", "rastreamento": "tracking", "rastrear": "track", "transportadora":
    "carrier", "correios": "post office", "devolver": "return", "devolução": "return",
    "devoluções": "returns", "reembolso": "refund", "reembolsos": "refunds", "estorno": "refund",
    "troca": "exchange", "trocar": "exchange", "cancelar": "cancel", "cancelamento": "cancellation",
    "mudar": "change", "alterar": "change", "endereço": "address", "pagamento": "payment",
    "pagamentos": "payments", "pagar": "pay", "paguei": "i paid", "cartão": "card",
    "cartões": "cards", "crédito": "credit", "débito": "debit", "pix": "pix", "boleto": "bank slip",
    "transferência": "bank transfer", "aceitam": "accept", "aceita": "accepts", "recusado": "declined",
    "recusada": "declined", "negado": "declined", "cobrado": "charged", "cobrada": "charged",
    "cobrança": "charge", "cobranças": "charges", "fatura": "invoice", "saldo": "balance",
    "expira": "expires", "expiram": "expire", "vence": "expires", "validade": "expiration",
    "desconto": "discount", "cupom": "coupon", "código": "code", "promoção": "promotion",
    "assinatura": "subscription", "adesão": "membership", "senha": "password", "conta": "account",
    "login": "login", "entrar": "sign in", "acessar": "access", "hackeada": "hacked",
    "hackearam": "hacked", "invadiram": "broke into", "segurança": "security", "redefinir": "reset",
    "danificado": "damaged", "quebrado": "broken", "quebrada": "broken", "defeito": "defect",
    "errado": "wrong", "garantia": "warranty", "conserto": "repair", "pessoa": "person",
    "atendente": "agent", "humano": "human", "robô": "robot", "alguém": "someone",
    "suporte": "support", "reclamação": "complaint", "advogado": "lawyer", "processo": "lawsuit",
    "fraude": "fraud", "golpe": "scam", "quanto": "how much", "quantos": "how many", "quando":
    "when", "onde": "where", "por que": "why", "porque": "because", "como": "how", "qual": "which",
    "quais": "which", "quem": "who", "que": "that", "quero": "i want", "queria": "i would like",
    "preciso": "i need", "tenho": "i have", "tem": "has", "têm": "have", "recebi": "i received",
    "receber": "receive", "posso": "can i", "pode": "can", "podem": "can", "faço": "do",
    "fazer": "do", "usar": "use", "utilizar": "use", "funciona": "works", "funcionar": "work",
    "ajuda": "help", "ajudar": "help", "falar": "talk", "esperar": "wait", "demora": "takes",
    "demoram": "take", "custa": "costs", "custam": "cost", "é": "is", "são": "are", "está": "is",
    "estão": "are", "sou": "am", "foi": "was", "fui": "was", "resolver": "resolve",
    "significa": "mean", "parou": "stopped", "caíram": "posted", "cair": "post", "diz": "tell",
    "dias": "days", "dia": "day", "semana": "week", "semanas": "weeks", "mês": "month",
    "meses": "months", "hoje": "today", "ontem": "yesterday", "amanhã": "tomorrow", "já": "already",
    "ainda": "still", "sempre": "always", "nunca": "never", "agora": "now", "horas": "hours",
    "o": "the", "a": "the", "os": "the", "as": "the", "um": "a", "uma": "a", "de": "of", "do": "of the",
    "da": "of the", "dos": "of the", "das": "of the", "no": "in the", "na": "in the", "em": "in",
    "para": "for", "pra": "for", "por": "for", "pelo": "for the", "pela": "for the", "com": "with",
    "sem": "without", "e": "and", "ou": "or", "mas": "but", "se": "if", "meu": "my", "minha": "my",
    "meus": "my", "minhas": "my", "seu": "your", "sua": "your", "eu": "i", "você": "you",
    "vocês": "you", "me": "me", "isso": "this", "isto": "this", "esse": "this", "essa": "this",
    "mesmo": "same", "muito": "much", "mais": "more", "só": "only", "também": "also",
    "outro": "another", "outra": "another", "nada": "nothing", "tudo": "everything",
    "produto": "product", "produtos": "products", "item": "item", "tamanho": "size",
    "tênis": "sneakers", "foto": "photo", "problema": "problem", "canadá": "canada",
    "brasil": "brazil", "portugal": "portugal", "exterior": "abroad", "país": "country",
    "grátis": "free", "preço": "price", "valor": "amount", "piada": "joke", "chato": "annoying",
    "absurdo": "outrageous", "vergonha": "disgrace", "urgente": "urgent", "expresso": "express",
    "processando": "processing", "status": "status", "sinceramente": "honestly",
    "plus": "plus", "cliente": "customer", "telefone": "phone", "dinheiro": "money",
    "membro": "member", "bloqueada": "blocked", "bloqueado": "blocked", "perdido": "lost",
}
# fmt: on

GLOSSARY: dict[str, dict[str, str]] = {
    "es": {**_SHARED, **_ES},
    "fr": {**_SHARED, **_FR},
    "de": {**_SHARED, **_DE},
    "pt": {**_SHARED, **_PT},
}

_PUNCT = re.compile(r"[¿¡?!;:\"()\[\]{}«»“”„…*<>|~^_=+]")
_EDGE = "'-/.,#&%"
_FR_ELISION = re.compile(r"^(qu|jusqu|lorsqu|puisqu|[ldjmtsnc])'(.+)$")
_PLURAL_SUFFIXES = {"es": ("es", "s"), "fr": ("s", "x"), "pt": ("es", "s"), "de": ("en", "n", "e", "s")}
_DE_LINKS = ("", "s", "n", "en", "es")


def _fold(word: str) -> str:
    """Strip accents (``é`` -> ``e``, ``ü`` -> ``u``, ``ß`` -> ``ss``)."""
    decomposed = unicodedata.normalize("NFKD", word.replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _fold_umlauts(word: str) -> str:
    """German-style transliteration (``ü`` -> ``ue``) before stripping accents."""
    for src, dst in (("ä", "ae"), ("ö", "oe"), ("ü", "ue")):
        word = word.replace(src, dst)
    return _fold(word)


def _tokens(text: str, language: str) -> list[str]:
    """Lower-case and split ``text``; keep emails, urls, numbers and order ids whole (and in their case)."""
    out: list[str] = []
    for raw in text.replace("’", "'").replace("‘", "'").split():
        if "@" in raw or raw.lower().startswith(("http", "www.")):
            out.append(raw.strip(_EDGE + '?!¿¡()"<>'))
            continue
        for piece in _PUNCT.sub(" ", raw).split():
            piece = piece.strip(_EDGE)
            if not piece:
                continue
            if any(ch.isdigit() for ch in piece):
                out.append(piece)
                continue
            piece = piece.lower()
            for part in re.split(r"[-/]|(?<=\w)[.,](?=\w)", piece):
                part = part.strip(_EDGE)
                if not part:
                    continue
                match = _FR_ELISION.match(part) if language == "fr" else None
                if match:
                    out.extend((match.group(1), match.group(2)))
                else:
                    out.append(part)
    return out


@lru_cache(maxsize=8)
def _index(language: str) -> tuple[dict[tuple[str, ...], str], int]:
    """Phrase table keyed by token tuples: exact keys first, then accent-folded variants."""
    table: dict[tuple[str, ...], str] = {}
    entries = [(tuple(_tokens(key, language)), value) for key, value in GLOSSARY[language].items()]
    for key, value in entries:
        if key:
            table.setdefault(key, value)
    for key, value in entries:
        if key:
            table.setdefault(tuple(_fold(t) for t in key), value)
            if language == "de":
                table.setdefault(tuple(_fold_umlauts(t) for t in key), value)
    return table, max((len(k) for k in table), default=1)


def _lookup(words: tuple[str, ...], table: dict[tuple[str, ...], str]) -> str | None:
    found = table.get(words)
    return found if found is not None else table.get(tuple(_fold(w) for w in words))


def _single(word: str, language: str, table: dict[tuple[str, ...], str], depth: int = 0) -> str | None:
    """Gloss one word not in the table: plural/inflection stripping and German compounds."""
    for suffix in _PLURAL_SUFFIXES.get(language, ()):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            found = _lookup((word[: -len(suffix)],), table)
            if found is not None:
                return found
    if language != "de" or depth > 2 or len(word) < 7:
        return None
    for cut in range(len(word) - 3, 2, -1):  # longest known head first
        tail = word[cut:]
        tail_gloss = _lookup((tail,), table) or _single(tail, language, table, depth + 1)
        if tail_gloss is None:
            continue
        for link in _DE_LINKS:
            head = word[:cut]
            if link and not head.endswith(link):
                continue
            head = head[: len(head) - len(link)]
            if len(head) < 3:
                continue
            head_gloss = _lookup((head,), table)
            if head_gloss is not None:
                return f"{head_gloss} {tail_gloss}".strip()
    return None


def _is_word(token: str) -> bool:
    return any(ch.isalpha() for ch in token) and not any(ch.isdigit() for ch in token) and "@" not in token


def to_english(text: str, language: str) -> tuple[str, float]:
    """Return ``(gloss, coverage)`` for ``text`` written in ``language`` (es, fr, de, pt).

    The gloss is lower-case rough English; unknown words, numbers, order ids and emails are kept
    as they are.  Coverage is the share of the words (tokens with letters, not ids or emails) that
    the glossary recognised.  Languages without a glossary come back unchanged with coverage 0.0.
    """
    language = language.lower().replace("_", "-").split("-")[0] if language else ""
    if language not in GLOSSARY:
        return text, 0.0
    table, longest = _index(language)
    tokens = _tokens(text, language)
    # Phrase matches anywhere in the message, longest first (then leftmost), never overlapping.
    spans = [
        (size, i, found)
        for i in range(len(tokens))
        for size in range(2, min(longest, len(tokens) - i) + 1)
        if (found := _lookup(tuple(tokens[i : i + size]), table)) is not None
    ]
    gloss: list[str | None] = [None] * len(tokens)  # gloss for the first token of a matched span
    taken = [False] * len(tokens)
    for size, i, found in sorted(spans, key=lambda span: (-span[0], span[1])):
        if not any(taken[i : i + size]):
            taken[i : i + size] = [True] * size
            gloss[i] = found
    out: list[str] = []
    words = covered = 0
    for i, token in enumerate(tokens):
        is_word = _is_word(token)
        words += is_word
        found = gloss[i]
        if not taken[i]:
            found = _lookup((token,), table)
            if found is None and is_word:
                found = _single(token, language, table)
            if found is None:
                out.append(token)
                continue
        covered += is_word
        if found:
            out.append(found)
    return " ".join(out), (covered / words if words else 0.0)
