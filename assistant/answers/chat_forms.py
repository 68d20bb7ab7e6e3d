"""Chat spellings (»vad e det för nåt«, »dom«, »orgs«, »vs«) in their written forms, so that what kind of
question it is and which words are unknown are read as if it had been written out. Only whole words,
and only forms that mean one thing in a question about purchasing: »e« before a hyphen is »e-handel«."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from itertools import product

from assistant.store.swedish import stem, zipf

_FORMS = {
    "e": "är",
    "nåt": "något",
    "nån": "någon",
    "nåra": "några",
    "nånstans": "någonstans",
    "nånting": "någonting",
    "nånsin": "någonsin",
    "dom": "de",
    "mej": "mig",
    "dej": "dig",
    "mkt": "mycket",
    "ngt": "något",
    "ngn": "någon",
    "ngr": "några",
    "enl": "enligt",
    "bla": "bland annat",
    "vs": "jämfört med",
    "org": "organisation",
    "orgs": "organisationer",
    "orgar": "organisationer",
    "orgen": "organisationen",
    "inköpsorg": "inköpsorganisation",
    "kat": "kategori",
    "upph": "upphandling",
    "uppf": "uppföljning",
    "avtalsuppf": "avtalsuppföljning",
    "ledn": "ledningen",
    "pers": "personer",
    "ppt": "presentation",
    "fi": "Finansdepartementet",
    "pga": "på grund av",
    "osv": "och så vidare",
    "mm": "med mera",
    "ev": "eventuellt",
    "resp": "respektive",
    "inkl": "inklusive",
    "exkl": "exklusive",
    "iaf": "i alla fall",
    "iofs": "i och för sig",
    "lr": "eller",
    "btw": "förresten",
    "asap": "så snart som möjligt",
    "fyi": "för kännedom",
    "tbh": "ärligt talat",
    "kategoriansv": "kategoriansvarig",
    "strat": "strategi",
}
_WITH = re.compile(r"(?<![\w-])m(?![\w-])")
# A cut first part of a compound (»kat.styrning«, »ledn.gruppen«, »upph.planeringen«): the part written out, joined.
_FIRST_PARTS = {"kat": "kategori", "upph": "upphandlings", "ledn": "lednings", "org": "organisations", "uppf": "uppföljnings"}
_CUT = re.compile(r"(?<![\w-])(" + "|".join(_FIRST_PARTS) + r")\.(?=[a-zåäö]{3,})", re.I)
_WORD = re.compile(r"(?<![\w-])(" + "|".join(sorted(_FORMS, key=len, reverse=True)) + r")\.?(?![\w-])", re.I)
# »va« is »vad« before the rest of its clause; ending a clause (»… två axlar va?«) it asks for agreement, »eller hur«.
_WHAT = re.compile(r"(?<![\w-])(va)(?![\w-])(?!\s*(?:[?!.,]|$))", re.I)


# A keyboard without å, ä, ö (»vad sager fardplanen om malkonflikter«): a word is read as the form with them that is
# far commoner (Zipf at least this much higher), or that is a word at all where the bare form is none.
_DIACRITIC_GAIN = 1.0
_MIXED_GAIN = 2.0  # … in a question that has them elsewhere
_VARIANTS = {"a": "aåä", "o": "oö"}
_MAX_MARKABLE = 6


# Two-letter words the lexicon leaves out.
_SHORT_MARKED = {"ar": "är", "pa": "på", "sa": "så", "da": "då", "fa": "få", "ga": "gå"}


def _marked_forms(word: str) -> list[str]:
    slots = [_VARIANTS.get(c, c) for c in word]
    if sum(len(s) > 1 for s in slots) > _MAX_MARKABLE:
        return []
    return ["".join(letters) for letters in product(*slots) if "".join(letters) != word]


@lru_cache(maxsize=4096)
def _with_marks(word: str, gain: float = _DIACRITIC_GAIN) -> str:
    lower = word.lower()
    best = _SHORT_MARKED.get(lower)
    if best is None:
        own = zipf(lower)
        scored = [(zipf(c), c) for c in _marked_forms(lower)]
        best_zipf, best = max(scored, default=(0.0, lower))
        if best_zipf == 0 or (own > 0 and best_zipf < own + gain):
            return word
    return best.capitalize() if word[0].isupper() else best


def with_diacritics(text: str, known: Callable[[str], bool] | None = None) -> str:
    """A word written without å, ä or ö, with them: in a question without any of them, where the marked form is far
    commoner (»for« → »för«); in any question, where the bare form is no word at all (»forvaltningen«). With
    `known` (a stem the index has), a word the index lacks becomes the marked form it has (»inkopsorganisation« →
    »inköpsorganisation«, which everyday Swedish seldom writes)."""
    bare = not re.search(r"[åäöÅÄÖ]", text)

    def marked(m: re.Match) -> str:
        word = m.group()
        if not bare and (word.lower() in _SHORT_MARKED or (known is not None and known(stem(word)))):
            return word
        if not bare and zipf(word.lower()) > 0:
            # (»nagon« beside »för«: only a form far commoner than the bare one, which is a word too)
            return _with_marks(word, _MIXED_GAIN)
        if known is not None and len(word) >= 4 and not known(stem(word)):
            found = next((c for c in _marked_forms(word.lower()) if known(stem(c))), None)
            if found is not None:
                return found.capitalize() if word[0].isupper() else found
        return _with_marks(word)

    return re.sub(r"\b[a-zA-Z]{2,}\b", marked, text)


def written_out(text: str) -> str:
    def repl(m: re.Match) -> str:
        word = m.group(1)
        written = _FORMS[word.lower()]
        return written.capitalize() if word[0].isupper() else written

    def joined(m: re.Match) -> str:
        written = _FIRST_PARTS[m.group(1).lower()]
        return written.capitalize() if m.group(1)[0].isupper() else written

    # (»m« is »med« only in lower case: »(M)« after a name is a party.)
    return _WITH.sub("med", _WHAT.sub(lambda m: "Vad" if m.group(1)[0].isupper() else "vad", _WORD.sub(repl, _CUT.sub(joined, text))))
