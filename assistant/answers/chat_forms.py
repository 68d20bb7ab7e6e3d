"""Chat spellings (»vad e det för nåt«, »dom«, »orgs«, »vs«) in their written forms, so that what kind of
question it is and which words are unknown are read as if it had been written out. Only whole words,
and only forms that mean one thing in a question about purchasing: »e« before a hyphen is »e-handel«."""

from __future__ import annotations

import re

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
