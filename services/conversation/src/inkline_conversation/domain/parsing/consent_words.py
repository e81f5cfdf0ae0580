"""How clients say "stop messaging me" (and "start again") in each language they write in.

A consent phrase counts only when it is essentially the whole message: "stop" opts out, "stop by the
studio" and "não paro de pensar nessa tattoo" do not. Phrases are written without accents; messages are
compared after folding theirs away, so "arrête" and "arrete" are the same word.
"""

from __future__ import annotations

OPT_OUT_PHRASES: tuple[str, ...] = (
    # en
    "stop", "stop all", "unsubscribe", "opt out", "opt-out", "optout", "cancel messages",
    "leave me alone", "remove me", "remove me from your list", "remove me from the list",
    "remove me from your mailing list", "take me off your list", "take me off the list",
    "don't message me", "dont message me", "don't text me", "dont text me", "don't contact me",
    "no more messages",
    # de
    "stopp", "abmelden", "abbestellen", "austragen", "trag mich aus", "keine nachrichten mehr",
    "schreib mir nicht mehr", "schreibt mir nicht mehr", "lass mich in ruhe", "lasst mich in ruhe",
    # es
    "baja", "darme de baja", "dame de baja", "dadme de baja", "no me escribas mas", "no me escriban mas",
    "no me escribais mas", "dejame en paz", "dejadme en paz", "para ya", "no quiero mas mensajes",
    # pt
    "parar", "pare", "sair", "descadastrar", "me descadastra", "me tira da lista", "me tirem da lista",
    "nao me mande mais mensagens", "nao quero mais mensagens", "me deixa em paz", "me deixem em paz",
    "para de me mandar mensagem", "parem de me mandar mensagem",
    # fr
    "arrete", "arretez", "arrete de m'ecrire", "arretez de m'ecrire", "desinscrire", "me desinscrire",
    "desinscrivez-moi", "desabonner", "me desabonner", "desabonnez-moi", "laisse-moi tranquille",
    "laissez-moi tranquille", "ne m'ecrivez plus", "ne m'ecris plus",
    # "stop" verbs of every language: with the fillers below, "pare de me mandar mensagem", "arrêtez les
    # messages svp", "hört auf mir zu schreiben" and "basta messaggi" all come down to one of these.
    "quit", "para", "parem", "deja", "dejad", "dejen", "hort auf", "hoert auf", "hor auf", "horen sie auf",
    "aufhoren", "smettila", "smettetela", "smetti", "smettete",
    # it
    "basta", "cancellami", "disiscrivimi", "non scrivermi piu", "non scrivetemi piu", "lasciami in pace",
    "lasciatemi in pace", "toglimi dalla lista", "rimuovimi", "rimuovimi dalla lista",
)  # fmt: skip

OPT_IN_PHRASES: tuple[str, ...] = (
    "start", "unstop", "opt in", "opt-in", "optin", "subscribe", "resubscribe",
    "anmelden", "darme de alta", "reabonner", "me reabonner", "iscrivimi",
)  # fmt: skip

# Padding around a consent phrase that does not change it ("STOP sending me these", "abmelden bitte").
CONSENT_FILLER: frozenset[str] = frozenset(
    {
        "me", "you", "messaging", "messages", "msgs", "texting", "texts", "contacting", "sending", "again",
        "all", "it", "this", "these", "those", "them", "now", "thanks", "please", "pls", "plz",
        "bitte", "danke", "jetzt", "sofort",
        "por", "favor", "porfa", "porfavor", "gracias", "ya",
        "obrigado", "obrigada", "pf", "pfv", "agora",
        "merci", "stp", "svp", "s'il", "vous", "te", "plait", "maintenant",
        "per", "favore", "grazie", "subito",
        # what is being stopped: messages and writing, in each language
        "writing", "de", "del", "di", "d'", "les", "i", "con", "com", "mit",
        "mensajes", "mensaje", "escribir", "escribirme", "mandarme", "enviarme", "mandar", "enviar",
        "mensagens", "mensagem", "msg", "sms", "escrever", "mais",
        "nachrichten", "nachricht", "mir", "zu", "schreiben", "schicken", "senden", "mehr",
        "m'ecrire", "ecrire", "m'envoyer", "envoyer", "des",
        "messaggi", "messaggio", "scrivermi", "scrivere", "mandarmi", "inviarmi",
    }
)  # fmt: skip
