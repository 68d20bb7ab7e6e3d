"""Swedish number formats for the draft: 1 234 567 kr, 34,5 %, 2025-03-31."""

from __future__ import annotations

import datetime as dt

NBSP = "\u00a0"  # keeps "1 234 567 kr" and "34,5 %" on one line in Word and PDF


def sek(amount: float) -> str:
    whole = abs(amount - round(amount)) < 0.005
    text = f"{abs(amount):,.0f}" if whole else f"{abs(amount):,.2f}"
    text = text.replace(",", NBSP).replace(".", ",")
    return f"{'−' if amount <= -0.005 else ''}{text}{NBSP}kr"


def pct(share: float, decimals: int = 1) -> str:
    return f"{100 * share:.{decimals}f}".replace(".", ",").replace("-", "−") + f"{NBSP}%"


def integer(n: float) -> str:
    return f"{round(n):,}".replace(",", NBSP)


def mkr(amount: float) -> str:
    """850 000 000 → '850 miljoner kronor' (as ESV writes its thresholds)."""
    millions = amount / 1e6
    text = f"{millions:,.0f}" if millions >= 10 or millions == round(millions) else f"{millions:,.1f}"
    return text.replace(",", NBSP).replace(".", ",") + f"{NBSP}miljoner kronor"


def day(date: dt.date | None) -> str:
    return date.isoformat() if date else ""
