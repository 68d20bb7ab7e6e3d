"""The Kategoristrategi form read into the drafts' input model, with errors in the form's own words.
Plain Python, no Streamlit."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from assistant.drafts import StrategyInput
from assistant.errors import InputError
from ui.text import form_problems, parse_amount_sv

# The form's labels, by the input model's field names.
LABELS = {
    "organisation": "Organisation",
    "typ": "Typ av organisation",
    "kategori": "Kategori",
    "period": "Planeringsperiod",
    "startar": "Första år",
    "volym": "Kategorins årliga volym",
    "total_inkopsvolym": "Organisationens totala inköpsvolym",
    "prioriteringar": "Kända prioriteringar",
    "spend_kategori": "Kategorins namn i spendfilen",
}
AMOUNT_HINT = "skriv t.ex. 45 mnkr, 1,2 miljarder, ca 25 miljoner eller 45 000 000 kr"


def read_form(values: dict[str, Any]) -> StrategyInput:
    """`values` as the form gives them (amounts as typed). Every problem at once, each naming its field."""
    data = dict(values)
    problems = []
    for name in ("volym", "total_inkopsvolym"):
        raw = str(data.get(name) or "").strip()
        if not raw:
            data[name] = None
            continue
        amount = parse_amount_sv(raw)
        if amount is None:
            problems.append(f"{LABELS[name]}: »{raw}« är inget belopp – {AMOUNT_HINT}")
            data[name] = None
        else:
            data[name] = amount
    try:
        result = StrategyInput.model_validate(data)
    except ValidationError as err:
        problems += form_problems(err, LABELS)
        result = None
    if problems:
        if len(problems) == 1:
            raise InputError(f"{problems[0]}.")
        raise InputError("Formuläret har " + str(len(problems)) + " fel:\n" + "\n".join(f"- {p}" for p in problems))
    assert result is not None
    return result
