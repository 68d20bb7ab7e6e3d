"""Countries by name and by adjective, in one table: the unknown-word check takes a country written in lower case
for a name (»danmark, hur jobbar de …«), the figure check tells one country's figure from another's (»i finska
myndigheter« is not »i Sverige«), and the paraphrases add the country's name after its adjective (»det norska
programmet« searches »Norge« too)."""

from __future__ import annotations

import re

# name (lower case) → (name as written, adjective stem)
_TABLE: dict[str, tuple[str, str]] = {
    "sverige": ("Sverige", "svensk"),
    "norge": ("Norge", "norsk"),
    "danmark": ("Danmark", "dansk"),
    "finland": ("Finland", "finsk"),
    "island": ("Island", "isländsk"),
    "tyskland": ("Tyskland", "tysk"),
    "frankrike": ("Frankrike", "fransk"),
    "nederländerna": ("Nederländerna", "nederländsk"),
    "holland": ("Holland", "holländsk"),
    "belgien": ("Belgien", "belgisk"),
    "spanien": ("Spanien", "spansk"),
    "italien": ("Italien", "italiensk"),
    "polen": ("Polen", "polsk"),
    "estland": ("Estland", "estnisk"),
    "lettland": ("Lettland", "lettisk"),
    "litauen": ("Litauen", "litauisk"),
    "österrike": ("Österrike", "österrikisk"),
    "schweiz": ("Schweiz", "schweizisk"),
    "storbritannien": ("Storbritannien", "brittisk"),
    "england": ("England", "engelsk"),
    "skottland": ("Skottland", "skotsk"),
    "irland": ("Irland", "irländsk"),
    "usa": ("USA", "amerikansk"),
    "kanada": ("Kanada", "kanadensisk"),
}
# The adjectives that also name a language (»på engelska«) or are this country's own (»svenska myndigheter«) add no
# country's name to a search.
_NO_PARAPHRASE = frozenset("sverige england storbritannien usa".split())
_WORD = re.compile(r"\w+", re.UNICODE)

HOME = "sverige"


def is_country_name(word: str) -> bool:
    """»norge«, »norges«: a country's name in any case, or its genitive (Sweden, the documents' own, excluded)."""
    w = word.lower()
    return (w in _TABLE or (w.endswith("s") and w[:-1] in _TABLE)) and w.rstrip("s") != HOME and w != HOME


def countries_in(text: str) -> set[str]:
    """The countries a text names, by name, genitive or adjective (»finska« → finland)."""
    found = set()
    for w in _WORD.findall(text.lower()):
        for name, (_, adjective) in _TABLE.items():
            if w in (name, f"{name}s") or (w.startswith(adjective) and len(w) - len(adjective) <= 3):
                found.add(name)
    return found


def named_by_adjective(name: str, terms: set[str]) -> bool:
    """A text's stems (`terms`) name the country by its adjective (»finska myndigheter« for »Finland«)."""
    entry = _TABLE.get(name.lower())
    return bool(entry) and any(t.startswith(entry[1]) for t in terms)


def adjective_rules() -> list[tuple[str, str]]:
    """(pattern, name) for the paraphrases: a country's adjective adds its name to a search."""
    return [(rf"{adjective}(a|t)?", written) for name, (written, adjective) in _TABLE.items() if name not in _NO_PARAPHRASE]
