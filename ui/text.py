"""Swedish for the pages: counts with the right number, progress labels in users' words, amounts as
people write them, and form errors that name the field as the form does. Plain Python, no Streamlit."""

from __future__ import annotations

import re
import unicodedata

from pydantic import ValidationError

from assistant.drafts import parse_amount
from assistant.drafts.models import describe_validation_error


def number(n: int) -> str:
    """1 234 (thin space between thousands, as Swedish print does)."""
    return f"{n:,}".replace(",", "\u00a0")


def count(n: int, singular: str, plural: str) -> str:
    """"1 dokument", "2 textavsnitt", "1 källhänvisning", "3 källhänvisningar"."""
    return f"{number(n)} {singular if n == 1 else plural}"


def file_slug(title: str, fallback: str = "dokument") -> str:
    """A file name from a title: "Exempelkommun – IT" → "exempelkommun-it" (å, ä, ö as a, a, o)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:60].rstrip("-") or fallback


# ---- progress ---------------------------------------------------------------------------------------------

# Stage names come from ingest/ and assistant/store/, written for developers.
_STAGES = {
    "Beräknar embeddings": "Beräknar sökvektorer",
    "Sparar i Chroma": "Sparar i sökindexet",
}


def progress_label(stage: str, done: int, total: int) -> str:
    return f"{_STAGES.get(stage, stage)}: {number(done)} av {number(total)}"


# ---- amounts ------------------------------------------------------------------------------------------------

_APPROX = re.compile(r"^(?:ca\.?|c:a|cirka|ungefär|omkring|runt|drygt|knappt|nästan)\s+", re.IGNORECASE)
_CURRENCY = re.compile(r"\s*(?:kronor|kr\.?|sek|:-)$", re.IGNORECASE)
_SCALE = re.compile(
    r"\s*(?P<unit>miljarder|miljard|mdkr|mdr|md|mdsek|miljoner|miljon|milj\.?|mnkr|mkr|mn|msek|tusen|tkr|tsek|kkr)"
    r"(?:\s+(?:kronor|kr\.?|sek))?$",
    re.IGNORECASE,
)
_FACTORS = {"md": 1e9, "mi": 1e6, "mn": 1e6, "mk": 1e6, "ms": 1e6, "tu": 1e3, "tk": 1e3, "ts": 1e3, "kk": 1e3}


def parse_amount_sv(text: str) -> float | None:
    """An amount in kronor as people write it in a form: "45 mnkr", "1,2 miljarder", "ca 25 miljoner",
    "2 100 000 kr", "300 tkr". None when it is not an amount. The digits themselves are read by the
    drafts' parser, so the form and the command line agree on "1 234,50" and "1.234,50"."""
    s = " ".join(text.split())
    s = _APPROX.sub("", s)
    factor = 1.0
    m = _SCALE.search(s)
    if m:
        unit = m.group("unit").lower()
        factor = 1e9 if unit.startswith(("miljard", "md")) else _FACTORS[unit[:2]]
        s = s[: m.start()]
    else:
        s = _CURRENCY.sub("", s)
    value = parse_amount(s.strip()) if s.strip() else None
    return None if value is None else value * factor


# ---- form errors ----------------------------------------------------------------------------------------------


def form_problems(err: ValidationError, labels: dict[str, str]) -> list[str]:
    """One line per problem, starting with the field's label in the form instead of its internal name."""
    out = []
    for line in describe_validation_error(err):
        field, _, message = line.partition(": ")
        label = labels.get(field)
        out.append(f"{label}: {message}" if label else line)
    return out


# ---- Streamlit's own words -----------------------------------------------------------------------------------

# Streamlit's widgets carry English texts (visible, and for screen readers) that no API changes. The
# page translates them as they appear (ui/static/svenska.js). Patterns are JavaScript regular expressions
# matched against a whole text or attribute; "$1" refers to their first group.
STREAMLIT_SWEDISH: dict[str, list[tuple[str, str]]] = {
    "text": [
        (r"^Upload$", "Välj filer"),
        (r"^Browse files$", "Välj filer"),
        (r"^Drag and drop files? here$", "Dra filer hit"),
        (r"^(\d+(?:\.\d+)?)\s?([KMG])B per file$", "högst $1 $2B per fil"),
        (r"^(.+) files are not allowed\.$", "Filtypen $1 kan inte läggas till här."),
        (r"^This type of files are not allowed\.$", "Filtypen kan inte läggas till här."),
        (r"^File must be (.+) or smaller\.$", "Filen får vara högst $1."),
        (r"^Press Enter to submit form$", "Tryck Enter för att skicka formuläret"),
        (r"^Press Enter to apply$", "Tryck Enter för att använda"),
        (r"^Press ⌘\+Enter to submit form$", "Tryck ⌘+Enter för att skicka formuläret"),
        (r"^Press Ctrl\+Enter to submit form$", "Tryck Ctrl+Enter för att skicka formuläret"),
        (r"^Press ⌘\+Enter to apply$", "Tryck ⌘+Enter för att använda"),
        (r"^Press Ctrl\+Enter to apply$", "Tryck Ctrl+Enter för att använda"),
        (r"^Stop$", "Avbryt"),
        (r"^Running\.\.\.$", "Arbetar …"),
        (r"^Connecting$", "Ansluter"),
        (r"^Please wait\.\.\.$", "Vänta …"),
        (r"^Choose an option$", "Välj"),
        (r"^Choose options$", "Välj"),
        (r"^No results$", "Inga träffar"),
        (r"^Uploading\.\.\.$", "Laddar upp …"),
    ],
    "attr": [
        (r"^Add files$", "Lägg till filer"),
        (r"^Remove (.+)$", "Ta bort $1"),
        (r"^Help for (.+)$", "Hjälp om $1"),
        (r"^file upload$", "Välj filer"),
        (r"^Running\.\.\.$", "Arbetar …"),
        (r"^Close$", "Stäng"),
        (r"^Clear all$", "Töm"),
        (r"^Clear value$", "Töm"),
        (r"^Open$", "Öppna"),
        (r"^Copy to clipboard$", "Kopiera"),
        (r"^Send message$", "Skicka"),
        (r"^Show password$", "Visa lösenordet"),
        (r"^Hide password$", "Dölj lösenordet"),
        (r"^Increment$", "Öka"),
        (r"^Decrement$", "Minska"),
        (r"^Collapse sidebar$", "Dölj sidomenyn"),
        (r"^Expand sidebar$", "Visa sidomenyn"),
        (r"^Main menu$", "Meny"),
        (r"^App pages$", "Sidor"),
        (r"^Download as CSV$", "Ladda ned som CSV"),
        (r"^Search$", "Sök"),
        (r"^Fullscreen$", "Helskärm"),
        (r"^Close fullscreen$", "Stäng helskärm"),
        (r"^Exit fullscreen$", "Stäng helskärm"),
        (r"^Show/hide columns$", "Visa eller dölj kolumner"),
    ],
}
