"""Amounts the asker gives (»vi köper för runt 300 mille om året«) and the ranges and bounds documents
state (»en inköpsvolym på 200–800 miljoner kronor«, »under 200 miljoner kronor«): the class an amount
falls in is what applies to the asker.
"""

from __future__ import annotations

import re
from functools import lru_cache

_UNITS = {"tusen": 1e3, "miljon": 1e6, "miljoner": 1e6, "mille": 1e6, "milj": 1e6, "mnkr": 1e6, "mkr": 1e6,
          "miljard": 1e9, "miljarder": 1e9, "mdkr": 1e9, "mdr": 1e9}
_UNIT = r"(tusen|miljon|miljoner|mille|milj|mnkr|mkr|miljard|miljarder|mdkr|mdr)\b"
_AMOUNT_Q = re.compile(r"(\d+(?:[ \u00a0]\d{3})*(?:,\d+)?)\s*" + _UNIT, re.I)
_RANGE = re.compile(r"(\d+(?:[ \u00a0]\d{3})*)\s*[–-]\s*(\d+(?:[ \u00a0]\d{3})*)\s*" + _UNIT, re.I)
_BOUND = re.compile(
    r"\b(under|mindre än|lägre än|högst|upp till|över|mer än|högre än|minst|överstiger)\s+(\d+(?:[ \u00a0]\d{3})*)\s*" + _UNIT, re.I
)


def _number(text: str) -> float:
    return float(re.sub(r"[ \u00a0]", "", text).replace(",", "."))


_ASKED_BELOW = re.compile(r"\b(under|mindre än|lägre än|knappt|inte ens)\s+$", re.I)
_ASKED_ABOVE = re.compile(r"\b(över|mer än|högre än|drygt|uppemot)\s+$", re.I)


@lru_cache(maxsize=256)
def _asked(question: str) -> tuple[float, ...]:
    # Parsed once per question: every unit of every passage is checked against it.
    out = []
    for m in _AMOUNT_Q.finditer(question):
        amount = _number(m.group(1)) * _UNITS[m.group(2).lower()]
        before = question[max(0, m.start() - 12) : m.start()]
        # »Om vi låg under 200 miljoner?« is below the class that starts at 200, not in it.
        if _ASKED_BELOW.search(before):
            amount *= 0.99
        elif _ASKED_ABOVE.search(before):
            amount *= 1.01
        out.append(amount)
    return tuple(out)


def amount_in_range(unit_text: str, question: str) -> bool:
    """An amount of the question (»300 mille«) lies in a range or bound the unit states (»200–800 miljoner
    kronor«, »under 200 miljoner kronor«)."""
    asked = _asked(question)
    if not asked:
        return False
    for m in _RANGE.finditer(unit_text):
        scale = _UNITS[m.group(3).lower()]
        if any(_number(m.group(1)) * scale <= a <= _number(m.group(2)) * scale for a in asked):
            return True
    for m in _BOUND.finditer(unit_text):
        limit = _number(m.group(2)) * _UNITS[m.group(3).lower()]
        below = m.group(1).lower() in ("under", "mindre än", "lägre än", "högst", "upp till")
        if any((a < limit) if below else (a > limit) for a in asked):
            return True
    return False


def asks_with_amount(question: str) -> bool:
    return bool(_asked(question))



def amount_source(question: str, situation: str) -> str:
    """Where the asker's amount is: the question itself, else the situation told before it (»Jag är
    ekonomichef på en myndighet med 150 miljoner kronor i inköpsvolym. Hur ambitiöst …?«)."""
    return question if asks_with_amount(question) or not situation else situation


def states_bound(text: str) -> bool:
    """The text gives a range or a bound in money (»under 200 miljoner kronor«, »200–800 miljoner kronor«)."""
    return bool(_RANGE.search(text) or _BOUND.search(text))
