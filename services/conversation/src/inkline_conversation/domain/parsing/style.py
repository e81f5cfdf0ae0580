"""Tattoo style answers ("fine line", "blackwork", "neo trad"), an optional question."""

from __future__ import annotations

import re
from dataclasses import dataclass

from inkline_conversation.domain.parsing.text import core_text, is_skip
from inkline_conversation.domain.parsing.vocabulary import find_all, find_close, fold

# Canonical style → phrases clients use for it (en, es, pt, de, fr, it; written without accents).
STYLES: dict[str, tuple[str, ...]] = {
    "fine line": ("fine line", "fineline", "single needle", "fine-line", "linea fina", "linha fina",
                  "traco fino", "feine linie", "feine linien", "ligne fine", "trait fin", "linea sottile"),
    "blackwork": ("blackwork", "black work", "blackout"),
    "traditional": ("traditional", "old school", "american traditional", "trad", "tradicional",
                    "traditionell", "traditionnel", "tradizionale"),
    "neo-traditional": ("neo traditional", "neotraditional", "neo trad", "neo-trad", "neo tradicional",
                        "neotradicional", "neo traditionnel", "neo tradizionale"),
    "realism": ("realism", "realistic", "photorealism", "photo realism", "hyperrealism", "hyper realism",
                "realismo", "realista", "realistico", "realistisch", "realismus", "realiste", "realisme"),
    "micro realism": ("micro realism", "microrealism", "micro realismo", "microrealismo"),
    "portrait": ("portrait", "portraits", "retrato", "portrat", "ritratto"),
    "black and grey": ("black and grey", "black and gray", "black & grey", "b&g", "black n grey",
                       "negro y gris", "blanco y negro", "preto e cinza", "preto e branco", "schwarz grau",
                       "schwarz-grau", "schwarz und grau", "noir et gris", "nero e grigio", "bianco e nero"),
    "colour": ("colour", "color", "coloured", "colored", "full colour", "full color", "a color", "colores",
               "colorido", "colorida", "a cores", "colorido", "farbig", "bunt", "in farbe", "couleur",
               "couleurs", "en couleur", "colori", "a colori", "colorato"),
    "watercolour": ("watercolour", "watercolor", "acuarela", "aquarela", "aguarela", "aquarell",
                    "aquarelle", "acquerello"),
    "dotwork": ("dotwork", "dot work", "stippling", "stipple", "puntillismo", "pontilhismo", "punktierung"),
    "geometric": ("geometric", "geometry", "sacred geometry", "geometrico", "geometrica", "geometrisch",
                  "geometrique", "geometria"),
    "japanese": ("japanese", "irezumi", "japones", "japonesa", "japanisch", "japonais", "giapponese"),
    "illustrative": ("illustrative", "illustration", "sketchy", "sketch", "ilustrativo", "ilustracion",
                     "ilustracao", "illustrativ", "illustratif", "illustrativo"),
    "script": ("script", "lettering", "calligraphy", "letras", "caligrafia", "schriftzug", "schrift",
               "lettrage", "calligraphie", "scritta", "calligrafia"),
    "minimalist": ("minimalist", "minimal", "simple", "minimalista", "minimalistisch", "minimaliste",
                   "minimale", "sencillo", "simples", "schlicht", "semplice"),
    "tribal": ("tribal", "polynesian", "maori", "polinesio", "polynesisch", "polynesien", "polinesiano"),
    "ornamental": ("ornamental", "mandala", "filigree", "ornamentale", "ornamentos"),
    "surrealism": ("surrealism", "surreal", "surrealista", "surrealistisch", "surrealiste"),
    "new school": ("new school",),
    "trash polka": ("trash polka",),
    "anime": ("anime", "manga"),
}  # fmt: skip
# Leaving the style to the artist, anywhere in the answer (only when no style is named).
_UNDECIDED = re.compile(
    r"(?<![a-z])(?:not sure|unsure|idk|dunno|don't know|no idea|up to you|you decide|whatever you think"
    r"|whatever (?:she|he|they) thinks?|(?:she|he|they) knows? best|thinks? is best|your style|your call"
    r"|open to suggestions|whatever|no se|lo que (?:el tatuador |la tatuadora |tu )?(?:vea|veas|quieras|creas)"
    r"|como (?:tu |usted |el |ella )?(?:veas|vea|quieras|quiera|creas|prefieras|te parezca)"
    r"|come (?:vuoi|preferisci|credi|ti pare)|comme (?:tu preferes|tu le sens)|wie (?:du magst|es dir gefallt)"
    r"|lo q (?:el tatuador |tu )?(?:vea|veas|quieras)|confio en|como quieras|tu decides|nao sei"
    r"|o que (?:voce|tu) (?:achar|quiser)|como (?:voce|tu) quiser|confio em|weiss nicht|keine ahnung"
    r"|wie du (?:willst|meinst)|du entscheidest|ich vertraue|je sais pas|je ne sais pas|comme tu veux"
    r"|comme vous voulez|je te fais confiance|je vous fais confiance|non so|come vuoi|decidi tu|mi fido)"
    r"(?![a-z])"
)


@dataclass(frozen=True, slots=True)
class Style:
    """Recognised style names plus the client's own words."""

    styles: tuple[str, ...]
    description: str


@dataclass(frozen=True, slots=True)
class StyleSkipped:
    """The client left the style to the artist."""


def find_styles(text: str) -> tuple[str, ...]:
    """Canonical style names mentioned anywhere in the text, in vocabulary order."""
    found = [term.name for term in find_all(text, STYLES)]
    if "micro realism" in found and "realism" in found:
        found.remove("realism")
    if "neo-traditional" in found and "traditional" in found:
        found.remove("traditional")
    return tuple(found)


def parse_style(text: str) -> Style | StyleSkipped:
    """Any answer is accepted: skip words and "up to you" leave it to the artist."""
    core = core_text(text)
    if not core or is_skip(text):
        return StyleSkipped()
    styles = find_styles(text)
    if not styles and _UNDECIDED.search(fold(text)):
        return StyleSkipped()
    if not styles:
        close = find_close(text, STYLES)
        styles = (close,) if close else ()
    return Style(styles=styles, description=text.strip())
