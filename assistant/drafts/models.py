"""The data of a category strategy draft: what the team puts in (`StrategyInput`), what the spend file
says (`SpendAnalysis`) and the one document model (`StrategyDraft`) that both renderers read.

Everything a user types is validated here, with Swedish messages: `parse_input` turns any validation
failure into an `InputError` (exit code 2) listing every problem at once.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.answers.models import Citation
from assistant.errors import InputError

OrgType = Literal["kommun", "region", "statlig myndighet", "bolag"]
Level = Literal["hög", "låg"]
ORG_TYPES: tuple[str, ...] = ("kommun", "region", "statlig myndighet", "bolag")

# Spellings people actually type on a command line or in a form; all map to the four canonical types.
_ORG_ALIASES = {
    "kommun": "kommun",
    "kommuner": "kommun",
    "region": "region",
    "regioner": "region",
    "landsting": "region",
    "statlig myndighet": "statlig myndighet",
    "statlig_myndighet": "statlig myndighet",
    "statlig-myndighet": "statlig myndighet",
    "myndighet": "statlig myndighet",
    "statliga myndigheter": "statlig myndighet",
    "bolag": "bolag",
    "kommunalt bolag": "bolag",
    "kommunala bolag": "bolag",
    "regionalt bolag": "bolag",
    "offentligt ägt bolag": "bolag",
}

MIN_PERIOD, MAX_PERIOD = 2, 5
# 10 000 miljarder kronor: about ten times the whole public sector's yearly purchases. A larger amount is
# a unit or decimal mistake, not a category.
MAX_AMOUNT = 1e13

# Labels used when a field is named in an error message.
FIELD_LABELS = {
    "organisation": "organisation",
    "typ": "typ",
    "kategori": "kategori",
    "volym": "volym",
    "total_inkopsvolym": "total_inkopsvolym",
    "direktupphandlingsgrans": "direktupphandlingsgrans",
    "affarspaverkan": "affarspaverkan",
    "forsorjningsrisk": "forsorjningsrisk",
    "period": "period",
    "startar": "startar",
    "prioriteringar": "prioriteringar",
    "spend": "spend",
    "spend_kategori": "spend_kategori",
    "datum": "datum",
}


# ---- numbers ------------------------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_UNIT = re.compile(r"(?i)\s*(mnkr|mkr|msek|miljoner\s*kronor|miljoner|tkr|tsek|kkr|sek|kr|:-)\.?\s*$")
_UNIT_FACTOR = {"mnkr": 1e6, "mkr": 1e6, "msek": 1e6, "miljoner": 1e6, "tkr": 1e3, "tsek": 1e3, "kkr": 1e3}


def parse_amount(raw: Any) -> float | None:
    """A money amount as Swedish and English files write it, or None when it is not a number.

    "1 234,50", "1.234,50", "1,234.50", "1234.5", "12 345 kr", "−500", "(500)" (a credit) and
    "45 mnkr" are all understood. A lone comma is a decimal comma (Swedish usage); repeated commas
    or dots are thousands separators.
    """
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return float(raw) if raw == raw else None  # NaN is no amount (infinity is refused by the callers)
    text = str(raw).strip()
    if not text:
        return None
    factor = 1.0
    m = _UNIT.search(text)
    if m:
        unit = re.sub(r"\s+", "", m.group(1).lower()).replace("kronor", "")
        factor = _UNIT_FACTOR.get(unit, 1.0)
        text = text[: m.start()]
    text = re.sub(r"^(?i:sek|kr)\s*", "", text.strip())
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    text = _SPACES.sub("", text).replace("\u2212", "-").replace("\u2013", "-")
    if text.startswith("-"):
        negative, text = not negative, text[1:]
    elif text.startswith("+"):
        text = text[1:]
    if not text or not re.fullmatch(r"[\d.,]+", text) or not re.search(r"\d", text):
        return None
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        if text.count(decimal) > 1:
            return None
        text = text.replace(thousands, "").replace(decimal, ".")
    elif commas:
        text = text.replace(",", "") if commas > 1 else text.replace(",", ".")
    elif dots > 1:
        text = text.replace(".", "")
    try:
        value = float(text)
    except ValueError:
        return None
    return (-value if negative else value) * factor


# ---- input ----------------------------------------------------------------------------------------------


class StrategyInput(BaseModel):
    """What the category team knows when it starts: from CLI flags, a YAML/JSON file or the UI form."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    organisation: str = Field(min_length=1, max_length=200, description="Organisationens namn")
    typ: OrgType = Field(description="kommun, region, statlig myndighet eller bolag")
    kategori: str = Field(min_length=1, max_length=120, description="Inköpskategorin, t.ex. IT eller livsmedel")
    volym: float | None = Field(default=None, description="Kategorins årliga inköpsvolym i kronor")
    total_inkopsvolym: float | None = Field(
        default=None, description="Organisationens totala årliga inköpsvolym i kronor (styr ESV:s nivå)"
    )
    direktupphandlingsgrans: float | None = Field(
        default=None, description="Den direktupphandlingsgräns i kronor som organisationen tillämpar; verktyget "
        "hittar aldrig på beloppet")
    affarspaverkan: Level | None = Field(
        default=None, description="Teamets bedömning av kategorins påverkan på verksamheten och ekonomin: hög eller låg")
    forsorjningsrisk: Level | None = Field(
        default=None, description="Teamets bedömning av försörjningsrisken i kategorin: hög eller låg")
    period: int = Field(default=3, description="Planeringsperiod i år (2–5)")
    startar: int | None = Field(default=None, description="Första året i perioden (standard: datumets år)")
    prioriteringar: list[str] = Field(default_factory=list, description="Kända prioriteringar, en per rad")
    spend: Path | None = Field(default=None, description="Spendfil (CSV eller Excel)")
    spend_kategori: str | None = Field(
        default=None, description="Kategorins namn i spendfilens kategorikolumn, om det skiljer sig"
    )
    datum: dt.date = Field(default_factory=dt.date.today, description="Utkastets datum")

    @field_validator("typ", mode="before")
    @classmethod
    def _typ(cls, value: Any) -> Any:
        if isinstance(value, str):
            key = " ".join(value.strip().lower().split())
            if key in _ORG_ALIASES:
                return _ORG_ALIASES[key]
            raise ValueError(
                f"okänd organisationstyp »{value.strip()}« – tillåtna typer är {_or_list(ORG_TYPES)}"
            )
        return value

    @field_validator("volym", "total_inkopsvolym", "direktupphandlingsgrans", mode="before")
    @classmethod
    def _sek(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        amount = parse_amount(value)
        if amount is None:
            raise ValueError(f"»{value}« är inget belopp – ange kronor, t.ex. 12 000 000 eller 12 mnkr")
        if amount < 0:
            raise ValueError(f"beloppet får inte vara negativt (angavs {value})")
        if amount != amount or amount > MAX_AMOUNT:
            raise ValueError(f"beloppet {value} är orimligt stort – högst 10 000 miljarder kronor; kontrollera "
                             "enheten (kr, tkr, mnkr)")
        return amount

    @field_validator("affarspaverkan", "forsorjningsrisk", mode="before")
    @classmethod
    def _level(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str) and value.strip().lower() in ("hög", "hog", "låg", "lag"):
            return {"hog": "hög", "lag": "låg"}.get(value.strip().lower(), value.strip().lower())
        raise ValueError(f"ange »hög« eller »låg« (angavs {value!r})")

    @field_validator("period", mode="before")
    @classmethod
    def _period(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"perioden ska vara ett helt antal år, {MIN_PERIOD}–{MAX_PERIOD} (angavs {value!r})")
        if not MIN_PERIOD <= value <= MAX_PERIOD:
            raise ValueError(
                f"perioden ska vara {MIN_PERIOD}–{MAX_PERIOD} år, som färdplanens kategoristrategier (angavs {value})"
            )
        return value

    @field_validator("startar")
    @classmethod
    def _startar(cls, value: int | None) -> int | None:
        if value is not None and not 2000 <= value <= 2100:
            raise ValueError(f"startåret ska vara ett årtal, t.ex. 2026 (angavs {value})")
        return value

    @field_validator("prioriteringar", mode="before")
    @classmethod
    def _priorities(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            value = value.splitlines()
        if isinstance(value, list):
            return [str(v).strip() for v in value if v is not None and str(v).strip()]
        return value

    @field_validator("spend_kategori", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def first_year(self) -> int:
        return self.startar or self.datum.year

    @property
    def last_year(self) -> int:
        return self.first_year + self.period - 1

    @property
    def period_text(self) -> str:
        return f"{self.first_year}–{self.last_year} ({self.period} år)"


def _or_list(items: tuple[str, ...] | list[str]) -> str:
    quoted = [f"»{i}«" for i in items]
    return ", ".join(quoted[:-1]) + " och " + quoted[-1] if len(quoted) > 1 else quoted[0]


_TYPE_MESSAGES = {
    "missing": "saknas",
    "string_type": "ska vara text",
    "string_too_short": "får inte vara tom",
    "string_too_long": "är för lång",
    "int_type": "ska vara ett heltal",
    "int_parsing": "ska vara ett heltal",
    "int_from_float": "ska vara ett heltal",
    "float_type": "ska vara ett tal",
    "float_parsing": "ska vara ett tal",
    "list_type": "ska vara en lista",
    "date_type": "ska vara ett datum (ÅÅÅÅ-MM-DD)",
    "date_parsing": "ska vara ett datum (ÅÅÅÅ-MM-DD)",
    "date_from_datetime_parsing": "ska vara ett datum (ÅÅÅÅ-MM-DD)",
    "date_from_datetime_inexact": "ska vara ett datum utan klockslag (ÅÅÅÅ-MM-DD)",
    "path_type": "ska vara en sökväg till en fil",
    "literal_error": "har ett värde som inte är tillåtet",
}


def describe_validation_error(err: ValidationError) -> list[str]:
    """One Swedish line per problem, naming the field."""
    problems = []
    allowed = ", ".join(FIELD_LABELS)
    for e in err.errors():
        field = ".".join(str(p) for p in e["loc"]) or "indata"
        kind = e["type"]
        if kind == "extra_forbidden":
            problems.append(f"{field}: okänt fält (tillåtna fält är {allowed})")
            continue
        if kind == "value_error":
            message = str(e.get("ctx", {}).get("error") or e["msg"]).removeprefix("Value error, ")
        else:
            message = _TYPE_MESSAGES.get(kind, e["msg"])
        problems.append(f"{field}: {message}")
    return problems


def parse_input(data: dict[str, Any], source: str | None = None) -> StrategyInput:
    """Validate input from any front end; every problem at once in one Swedish `InputError`."""
    if not isinstance(data, dict):
        where = f" i {source}" if source else ""
        raise InputError(f"Indata{where} ska vara ett objekt med fält som organisation, typ och kategori.")
    try:
        return StrategyInput.model_validate(data)
    except ValidationError as err:
        problems = describe_validation_error(err)
        where = f" i {source}" if source else ""
        if len(problems) == 1:
            # main() prints "Fel: " before the message, so it starts with the field itself.
            raise InputError(f"{source + ': ' if source else ''}{problems[0]}.") from None
        raise InputError("\n".join([f"Indata{where} har {len(problems)} fel:", *(f"  • {p}" for p in problems)])) from None


# ---- spend analysis ------------------------------------------------------------------------------------


class BadRow(BaseModel):
    line: int  # line in the CSV file, or row in the Excel sheet; the header is line 1
    reason: str


class SupplierSpend(BaseModel):
    supplier: str  # the spelling used on most rows
    amount: float
    share: float  # of the category total, 0–1
    rows: int
    contracts: list[str] = Field(default_factory=list)
    contract_amounts: dict[str, float] = Field(default_factory=dict)  # spend per contract id
    without_contract: float = 0.0  # amount on rows without a contract id (0 when there is no such column)
    by_year: dict[int, float] = Field(default_factory=dict)
    without_contract_by_year: dict[int, float] = Field(default_factory=dict)
    variants: list[str] = Field(default_factory=list)  # other spellings in the file grouped under this name
    size: str | None = None  # size class (små, medel, stor, okänd) when the file has a size column


class YearSpend(BaseModel):
    year: int
    amount: float
    rows: int
    suppliers: int
    without_contract: float | None
    first: dt.date
    last: dt.date

    @property
    def full(self) -> bool:
        """Whether the file has purchases from the year's first and last month."""
        return self.first.month == 1 and self.last.month == 12


class SizeSpend(BaseModel):
    size: str
    amount: float
    share: float
    suppliers: int


class UnitSpend(BaseModel):
    unit: str
    amount: float
    share: float
    suppliers: int
    without_contract: float = 0.0


class SpendAnalysis(BaseModel):
    """The inköpsanalys of one category in a spend file. Amounts in kronor as they stand in the file."""

    source: str  # the file name, as shown in the draft
    sheet: str | None = None
    columns: dict[str, str]  # role (leverantör, belopp, …) -> the file's column heading
    category: str | None = None  # the category the rows were filtered on, when the file has a category column
    category_values: list[str] = Field(default_factory=list)  # the file's values that matched
    rows_read: int  # data rows in the file (excluding empty lines)
    rows_used: int
    rows_other_categories: int = 0
    bad_rows: list[BadRow] = Field(default_factory=list)
    total: float
    supplier_count: int
    suppliers: list[SupplierSpend]  # all suppliers, largest first
    top3_share: float
    hhi: float  # Herfindahl–Hirschman index on supplier shares, 0–10 000
    units: list[UnitSpend] | None = None  # when the file has a unit column
    has_contract_column: bool = False
    without_contract_amount: float | None = None
    without_contract_share: float | None = None
    date_first: dt.date | None = None
    date_last: dt.date | None = None
    years: list[YearSpend] = Field(default_factory=list)  # calendar years with dated purchases
    sizes: list[SizeSpend] | None = None  # spend by company size, when the file has such a column
    notes: list[str] = Field(default_factory=list)  # about the file as a whole (e.g. formulas without values)

    @property
    def top_suppliers(self) -> list[SupplierSpend]:
        return self.suppliers[:5]

    @property
    def concentration(self) -> str:
        """The tool's own reading of the HHI (the thresholds competition authorities commonly use)."""
        if self.hhi < 1500:
            return "låg"
        if self.hhi <= 2500:
            return "måttlig"
        return "hög"


# ---- actions from the spend analysis (computed in actions.py) --------------------------------------------


class SupplierAction(BaseModel):
    supplier: str
    amount: float  # the spend that is compared: without a contract id, or all of it when the file has no such column
    share: float  # of the category's total in the file
    by_year: dict[int, float] = Field(default_factory=dict)  # the same spend per calendar year
    over: dict[int, float] = Field(default_factory=dict)  # years above the threshold (0 = the whole, undated file)
    contracts: list[str] = Field(default_factory=list)  # contract ids the supplier also has in the file

    @property
    def over_threshold(self) -> bool:
        return bool(self.over)


class ContractSpend(BaseModel):
    contract: str
    amount: float
    suppliers: list[str]


class SpendActions(BaseModel):
    threshold: float | None
    contract_column: bool  # False: the file cannot tell purchases with and without a contract apart
    dated: bool  # True: amounts are compared per calendar year
    without_contract: list[SupplierAction]  # every supplier with spend without a contract id, largest first
    over_threshold: list[SupplierAction]  # the suppliers to check for upphandlingsplikt, largest first
    category_over: dict[int, float] = Field(default_factory=dict)  # the category's spend w/o contract above it
    contracts: list[ContractSpend] = Field(default_factory=list)  # largest first

    @property
    def without_contract_amount(self) -> float:
        return sum(a.amount for a in self.without_contract)


# ---- the draft -------------------------------------------------------------------------------------------


class Table(BaseModel):
    columns: list[str]
    rows: list[list[str]]
    caption: str | None = None


class Block(BaseModel):
    """A piece of a section. Text may hold citation markers [n] (numbers in the draft's Källor list)
    and `[Att fylla i: …]` placeholders."""

    # label: a small heading over a list (e.g. the tool's suggestions), below a subheading.
    kind: Literal["paragraph", "bullets", "table", "subheading", "label", "note"]
    text: str = ""
    items: list[str] = Field(default_factory=list)
    table: Table | None = None


class DraftSection(BaseModel):
    number: int
    key: str
    heading: str
    blocks: list[Block]
    citations: list[int]  # the Källor numbers this section cites, in order of first use
    mode: Literal["mall", "språkmodell"] = "mall"
    notes: list[str] = Field(default_factory=list)  # what verification removed or corrected


class StrategyDraft(BaseModel):
    input: StrategyInput
    kategorityp: str = ""  # the category profile's name (the tool's suggestion, from categories.yaml)
    title: str
    datum: dt.date
    mode: Literal["none", "openai", "ollama"]
    sections: list[DraftSection]
    sources: list[Citation]  # numbered 1…N in order of first use across the draft
    spend: SpendAnalysis | None = None
    actions: SpendActions | None = None
    notes: list[str] = Field(default_factory=list)

    @property
    def unverified(self) -> int:
        return sum(not c.verified for c in self.sources)
