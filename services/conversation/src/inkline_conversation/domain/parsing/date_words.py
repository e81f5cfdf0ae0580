"""Availability said in Spanish, Portuguese, German, French or Italian, rewritten in the English the
windows parser reads ("nächsten Monat" → "next month", "só a partir de julho" → "from july").

Month and weekday names come from CLDR through babel; the phrases around them (next, from, except,
weekends, evenings) are listed here per language. The rewrite works on text folded to lower case without
accents, so "próxima" and "proxima", "août" and "aout" are the same.
"""

from __future__ import annotations

import re
from functools import cache

from babel import Locale

from inkline_contracts.languages import DEFAULT_LANGUAGE, LANGUAGES
from inkline_conversation.domain.parsing.text import normalise, without_accents

# English months are spelt out below; the other languages' come from CLDR.
_LANGUAGES = tuple(language for language in LANGUAGES if language != DEFAULT_LANGUAGE)
_ENGLISH_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
)  # fmt: skip
_ENGLISH_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Abbreviations that are not everyday words in another of the languages ("mar", "set", "out" are).
_SAFE_MONTH_ABBREVIATIONS = {
    "ene": "january", "janv": "january", "gen": "january", "fev": "february", "fevr": "february",
    "abr": "april", "avr": "april", "mag": "may", "giu": "june", "juil": "july", "lug": "july",
    "ago": "august", "okt": "october", "ott": "october", "dic": "december", "dez": "december",
    "dec": "december",
}  # fmt: skip
# Short weekday names people write: Portuguese drops "-feira", German adds "-s" for "on Saturdays".
_EXTRA_WEEKDAYS = {
    "terca": "tuesday", "quarta": "wednesday", "quinta": "thursday", "sexta": "friday",
    "segunda-feira": "monday", "segunda feira": "monday",
}  # fmt: skip

# Phrases, longest first within each language; every key is folded (no accents, lower case).
_PHRASES: dict[str, str] = {
    # es
    "la semana que viene": "next week", "semana que viene": "next week", "proxima semana": "next week",
    "la proxima semana": "next week", "el mes que viene": "next month", "mes que viene": "next month",
    "el proximo mes": "next month", "proximo mes": "next month", "fines de semana": "weekends",
    "fin de semana": "weekend", "findes": "weekends", "finde": "weekend", "entre semana": "weekdays",
    "dias de semana": "weekdays", "de lunes a viernes": "mon-fri", "a partir de las": "from",
    "a partir de": "from", "despues de las": "after", "desde las": "from", "a las": "at",
    "despues de": "after", "antes de": "before", "hasta": "until", "por la manana": "morning",
    "por las mananas": "mornings", "de la tarde": "pm", "por la tarde": "afternoon", "por las tardes": "afternoons",
    "de la noche": "pm", "por la noche": "evening", "manana": "tomorrow", "cuando quieras": "anytime",
    "cuando querais": "anytime", "cuando sea": "anytime", "cualquier dia": "any day", "lo antes posible": "asap",
    "cuanto antes": "asap", "excepto": "except", "salvo": "except", "menos": "except", "verano": "summer",
    "principios de": "early", "mediados de": "mid", "finales de": "late", "dentro de": "in",
    "lo demas": "otherwise", "de vacaciones": "away", "de vacas": "away",
    # pt
    "semana que vem": "next week", "mes que vem": "next month", "fins de semana": "weekends",
    "fim de semana": "weekend", "durante a semana": "weekdays",
    "so a partir de": "from", "depois das": "after", "depois de": "after", "antes das": "before", "ate": "until",
    "qualquer dia": "any day", "qlqr dia": "any day", "qq dia": "any day", "quando quiser": "anytime",
    "o quanto antes": "asap", "exceto": "except", "fora isso": "otherwise", "de ferias": "away",
    "verao": "summer", "inicio de": "early", "comeco de": "early", "meados de": "mid", "final de": "late",
    "daqui a": "in",
    # de
    "nachste woche": "next week", "nachsten woche": "next week", "kommende woche": "next week",
    "nachsten monat": "next month", "nachster monat": "next month", "kommenden monat": "next month",
    "am wochenende": "weekend", "an wochenenden": "weekends", "wochenenden": "weekends",
    "wochenende": "weekend", "unter der woche": "weekdays", "werktags": "weekdays", "wochentags": "weekdays",
    "ab": "from", "nach": "after", "vor": "before", "bis": "until", "jederzeit": "anytime",
    "wann immer": "anytime", "so schnell wie moglich": "asap", "ausser": "except", "im sommer": "summer",
    "sommer": "summer", "anfang": "early", "mitte": "mid", "ende": "late", "abends": "evenings",
    "abend": "evening", "vormittags": "mornings", "vormittag": "morning", "morgens": "mornings",
    "nachmittags": "afternoons", "nachmittag": "afternoon", "morgen": "tomorrow", "im urlaub": "away",
    "in urlaub": "away",
    # fr
    "la semaine prochaine": "next week", "semaine prochaine": "next week", "le mois prochain": "next month",
    "mois prochain": "next month", "le week-end prochain": "next weekend", "le we prochain": "next weekend",
    "le weekend prochain": "next weekend", "les week-ends": "weekends", "le week-end": "weekend",
    "week-end": "weekend", "en semaine": "weekdays", "a partir du": "from", "des le": "from",
    "apres": "after", "avant": "before", "jusqu'au": "until", "jusqu'a": "until", "n'importe quand": "anytime",
    "quand tu veux": "anytime", "quand vous voulez": "anytime", "des que possible": "asap", "sauf": "except",
    "cet ete": "summer", "l'ete": "summer", "debut": "early", "mi-": "mid ", "fin": "late", "le soir": "evening",
    "soirs": "evenings", "soir": "evening", "le matin": "morning", "matin": "morning",
    "apres-midi": "afternoon", "aprem": "afternoon", "demain": "tomorrow", "dans": "in",
    "en vacances": "away",
    # it
    "la prossima settimana": "next week", "prossima settimana": "next week", "settimana prossima": "next week",
    "il mese prossimo": "next month", "mese prossimo": "next month", "prossimo mese": "next month",
    "fine settimana": "weekend", "finesettimana": "weekend", "in settimana": "weekdays",
    "durante la settimana": "weekdays", "giorni feriali": "weekdays", "a partire da": "from", "dopo": "after",
    "prima di": "before", "fino a": "until", "fino al": "until", "quando vuoi": "anytime",
    "qualsiasi giorno": "any day", "qualunque giorno": "any day", "il prima possibile": "asap",
    "tranne": "except", "eccetto": "except", "d'estate": "summer", "estate": "summer", "inizio": "early",
    "meta": "mid", "sera": "evening", "mattina": "morning", "pomeriggio": "afternoon", "domani": "tomorrow",
    "tra": "in", "fra": "in", "in vacanza": "away", "in ferie": "away",
    # "as soon as possible", however each language says it
    "lo mas pronto posible": "asap", "lo antes que se pueda": "asap", "assim que possivel": "asap",
    "o mais rapido possivel": "asap", "o mais cedo possivel": "asap", "so bald wie moglich": "asap",
    "sobald wie moglich": "asap", "so bald als moglich": "asap", "so fruh wie moglich": "asap",
    "baldmoglichst": "asap", "moglichst bald": "asap", "le plus tot possible": "asap", "au plus vite": "asap",
    "au plus tot": "asap", "prima possibile": "asap", "al piu presto": "asap", "quanto prima": "asap",
    "appena possibile": "asap",
    # "next" on its own, once the longer phrases above have had their turn ("próximo fim de semana")
    "proximo": "next", "proxima": "next", "proximos": "next", "prossimo": "next", "prossima": "next",
    "nachste": "next", "nachsten": "next", "nachstes": "next", "nachster": "next", "prochain": "next",
    "prochaine": "next",
    # words used all round: weeks and months, "any", "the first week"
    "semanas": "weeks", "semana": "week", "wochen": "weeks", "woche": "week", "semaines": "weeks",
    "semaine": "week", "settimane": "weeks", "settimana": "week", "qualsiasi": "any", "cualquier": "any",
    "qualquer": "any", "la prima": "the first", "la primera": "the first", "a primeira": "the first",
    "die erste": "the first", "la premiere": "the first", "en dos": "in two", "dentro de dos": "in two",
    "tra due": "in two", "fra due": "in two", "tra tre": "in three", "duas": "two", "zwei": "two",
    "deux": "two", "drei": "three", "trois": "three",
}  # fmt: skip
# "18h", "18h30": the French and Portuguese clock, as the English parser writes it.
_H_CLOCK = re.compile(r"(?<![\d:])(\d{1,2})\s?h(\d{2})?(?![a-z\d])")


@cache
def _rewrites() -> tuple[tuple[re.Pattern[str], str], ...]:
    names: dict[str, str] = {}
    for language in _LANGUAGES:
        locale = Locale.parse(language)
        for index, english in enumerate(_ENGLISH_MONTHS, start=1):
            names[_fold(locale.months["format"]["wide"][index])] = english
        for index, english in enumerate(_ENGLISH_WEEKDAYS):
            names[_fold(locale.days["format"]["wide"][index])] = english
    names.update(_SAFE_MONTH_ABBREVIATIONS)
    names.update(_EXTRA_WEEKDAYS)
    names.pop("mai", None)  # "mai" is the German and French May, but the Italian "never": see below
    rewrites: list[tuple[re.Pattern[str], str]] = []
    for phrase, english in sorted(_PHRASES.items(), key=lambda item: len(item[0]), reverse=True):
        rewrites.append((re.compile(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])"), english))
    # Plural weekdays ("sábados", "samstags", "lundis") read as the English plural the parser knows.
    for name, english in sorted(names.items(), key=lambda item: len(item[0]), reverse=True):
        suffix = "s" if english in _ENGLISH_WEEKDAYS else ""
        rewrites.append(
            (re.compile(rf"(?<![a-z]){re.escape(name)}(s?)(?![a-z])"), english + (suffix and r"\1"))
        )
    # The German and French May only next to a date word or a number: the parser's own "may" guard decides.
    rewrites.append(
        (re.compile(r"(?<![a-z])(im|en|au|debut|fin|mitte|anfang|ende)\s+mai(?![a-z])"), r"\1 may")
    )
    rewrites.append((re.compile(r"(?<=\d)\.?\s+mai(?![a-z])"), " may"))
    return tuple(rewrites)


def _fold(text: str) -> str:
    return without_accents(text.casefold()).rstrip(".")


def in_english(text: str) -> str:
    """The text normalised and folded, with availability words of the other languages in English."""
    rewritten = without_accents(normalise(text))
    rewritten = _H_CLOCK.sub(lambda match: f"{match.group(1)}:{match.group(2) or '00'}", rewritten)
    for pattern, english in _rewrites():
        rewritten = pattern.sub(english, rewritten)
    return rewritten
