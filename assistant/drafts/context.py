"""What every computed part of a draft reads: the input, the spend analysis and its actions, the template,
the category profile and the organisation type – and the small text helpers they share."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.drafts.models import Block, SpendActions, SpendAnalysis, StrategyInput
from assistant.drafts.profiles import OrgType, Profile
from assistant.drafts.sections import DraftSpec

FILL = "[Att fylla i]"
# Separates lines inside one table cell (a quarter's activities). A line separator, not "\n": the
# template's folded text has its newlines joined, and a cell's lines must survive that.
CELL_BREAK = "\u2028"
SUGGESTION = "verktygets förslag"


def running_text(name: str) -> str:
    """A category name as it reads inside a sentence: "Livsmedel" → "livsmedel", while "IT" and
    "IT-tjänster" keep their capitals."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def and_list(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " och " + items[-1] if len(items) > 1 else "".join(items)


def fill(what: str) -> str:
    return f"[Att fylla i: {what}]"


def substitute(text: str, variables: dict[str, str]) -> str:
    """Fill {name} for known names only; any other braces in a text stay as they are."""
    return re.sub(r"\{([a-z_]+)\}", lambda m: variables.get(m.group(1), m.group(0)), text)


@dataclass
class Context:
    inp: StrategyInput
    spend: SpendAnalysis | None
    spec: DraftSpec
    profile: Profile
    org: OrgType
    actions: SpendActions | None = None

    @property
    def kategori(self) -> str:
        return running_text(self.inp.kategori)

    @property
    def variables(self) -> dict[str, str]:
        return {
            "organisation": self.inp.organisation,
            "kategori": self.kategori,
            "typ": self.inp.typ,
            "typ_en": self.org.en,
            "period": self.inp.period_text,
            "forsta_ar": str(self.inp.first_year),
            "sista_ar": str(self.inp.last_year),
            "kategorityp": self.profile.name,
            "enheter": self.org.enheter,
            "beslutande": self.org.beslutande,
            "planering": self.org.planering,
            "rapportering": self.org.rapportering,
            "styrdokument": self.org.styrdokument,
        }

    def annual_volume(self) -> tuple[float, str] | None:
        """The category's yearly volume and where it comes from: the input, else the latest full calendar
        year in the spend file. A part year is not scaled up – that would be a guess."""
        if self.inp.volym is not None:
            return self.inp.volym, "kategorins årliga volym enligt indata"
        full = [y for y in (self.spend.years if self.spend else []) if y.full]
        if full:
            return full[-1].amount, f"spendfilens belopp för {full[-1].year}"
        return None

    def suggestions(self, what: str, items: list[str], unknown_fill: str) -> list[Block]:
        """A list from the category profile, introduced as the tool's suggestion for the category type.
        Items ending in [[anchor]] are cited; the others are suggestions or questions."""
        if self.profile.unknown or not items:
            return [Block(kind="paragraph", text=fill(f"okänd kategorityp – teamet fyller i {unknown_fill}"))]
        lead = f"{what} – {SUGGESTION} för {running_text(self.profile.name)}"
        return [Block(kind="label", text=lead), Block(kind="bullets", items=list(items))]
