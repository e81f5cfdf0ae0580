"""The client's description of their tattoo idea: any real description, but not a greeting or a shrug."""

from __future__ import annotations

import re

from inkline_conversation.domain.parsing.failure import ParseFailure
from inkline_conversation.domain.parsing.text import core_words, without_accents

HINT = "repair.idea"
# Words that say "I want a tattoo" (or greet, or ask about price and dates) without saying what of,
# in each language clients write in; compared without accents.
_GENERIC_BY_LANGUAGE: dict[str, str] = {
    "en": (
        "i i'd id i'm im would like love want wanna to book booking get getting a an the tattoo tattoos tat tatt "
        "tatoo tattooed ink inked appointment consultation session some new piece enquire enquiry inquire inquiry "
        "about interested in looking for do you have any availability available space free can could me my first "
        "one yes yeah sure hi hello hey there good morning afternoon evening please pls plz thanks thank u got "
        "is it what's whats info information question quick price prices pricing cost costs quote how much "
        "when next this month week weekend soon slot slots open small little tiny medium big large "
        "does do did will be roughly approximately approx around more or less charge charges rate rates"
    ),
    "es": (
        "hola buenas buenos dias tardes quiero quisiera queria me gustaria hacer hacerme un una tatuaje tatuajes "
        "tatu precio cuanto cuesta sale pequeno pequena chiquito chiquita info informacion para mas o menos aprox aproximadamente "
        "holi holis holaa noches que tal saludos como estas estais consultar consulta pregunta preguntar"
    ),
    "pt": (
        "ola oi bom dia boa tarde quero queria gostaria fazer uma um tatuagem tatuagens preco quanto qnto custa ta "
        "fica pequena pequeno mais ou menos informacao informacoes para "
        "oie boa noite tudo bem bom td blz beleza como vai vc voce"
    ),
    "de": (
        "hallo servus moin ich mochte moechte wurde wuerde gern gerne ein eine einen tattoo tatowierung "
        "termin habt ihr hast du noch was frei kostet bei euch so kleines kleine preis ungefahr etwa circa mehr oder weniger "
        "guten tag morgen abend gruss grussdich dich zusammen gruezi hi hey na wie gehts geht's hatte gern frage anfrage "
        "info infos liebe grusse"
    ),
    "fr": (
        "bonjour bonsoir salut slt bjr cc coucou je voudrais veux aimerais faire un une tatouage tatouages "
        "combien c'est c est pr pour petit petite prix rdv dispo disponible environ plus ou moins infos informations "
        "ca va cava bonne journee soiree"
    ),
    "it": (
        "ciao salve buongiorno buonasera vorrei voglio fare un una tatuaggio tatuaggi quanto costa prezzo "
        "piccolo piccola disponibilita posto piu meno circa informazioni informazione per "
        "come stai va tutto bene buona sera giornata a tutti"
    ),
}
_GENERIC = frozenset(word for words in _GENERIC_BY_LANGUAGE.values() for word in words.split())
# Stretched greetings ("hiii", "heyyy", "helloo") are as empty as the plain ones.
_GREETING = re.compile(r"h+i+y*a*|h+e+y+|h+e+l+o+|yo+|hiya+")
_SHRUGS = frozenset(
    {
        "idk",
        "dunno",
        "not sure",
        "no idea",
        "i don't know",
        "don't know",
        "dont know",
        "not sure yet",
        "unsure",
        "anything",
        "whatever",
        "surprise me",
        "?",
        # es, pt, de, fr, it (compared without accents, ß as ss)
        "ni idea", "no se", "no lo se", "no tengo idea", "nao sei", "sei la", "nao faco ideia", "keine ahnung",
        "weiss nicht", "ich weiss nicht", "weiss ich nicht", "je sais pas", "je ne sais pas", "j'sais pas",
        "aucune idee", "non lo so", "non so", "boh", "nessuna idea",
    }
)  # fmt: skip


def parse_idea(text: str) -> str | ParseFailure:
    """The idea as the client wrote it, unless it is empty, generic or undecided."""
    words = core_words(without_accents(text).replace("ß", "ss"))
    if not words:
        return ParseFailure(reason="empty", hint_key=HINT)
    if " ".join(words) in _SHRUGS:
        return ParseFailure(reason="undecided", hint_key=HINT)
    if all(word in _GENERIC or _GREETING.fullmatch(word) for word in words):
        return ParseFailure(reason="generic", hint_key=HINT)
    return text.strip()
