"""Chat spellings (»vad e det för nåt«, »dom«, »orgs«, »vs«) in their written forms, so that what kind of
question it is and which words are unknown are read as if it had been written out. Only whole words,
and only forms that mean one thing in a question about purchasing: »e« before a hyphen is »e-handel«."""

from __future__ import annotations

import re

_FORMS = {
    "e": "är",
    "va": "vad",
    "nåt": "något",
    "nån": "någon",
    "nåra": "några",
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
}
_WORD = re.compile(r"(?<![\w-])(" + "|".join(sorted(_FORMS, key=len, reverse=True)) + r")\.?(?![\w-])", re.I)


def written_out(text: str) -> str:
    def repl(m: re.Match) -> str:
        word = m.group(1)
        written = _FORMS[word.lower()]
        return written.capitalize() if word[0].isupper() else written

    return _WORD.sub(repl, text)
