"""The inköpsanalys for one category from a spend file (CSV or Excel): total, suppliers, concentration,
spend per unit and per year, the share without a contract id and, where the file says, the small
suppliers' share.

Spend files come from many finance systems, so the reader is tolerant where it can be and explicit
where it cannot: column names are matched in Swedish and English, Swedish number formats are read,
supplier names that differ only in case, spacing or "AB" are one supplier, and every row that cannot
be used is reported with its line number instead of being dropped or changed silently (see
spend_read.py for lines that cannot be split into fields). An unreadable file is an `InputError` with
a Swedish message (exit code 2).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.drafts.format import integer
from assistant.drafts.models import (
    MAX_AMOUNT,
    BadRow,
    SizeSpend,
    SpendAnalysis,
    SupplierSpend,
    UnitSpend,
    YearSpend,
    parse_amount,
)
from assistant.drafts.spend_read import Formula, Row, RowProblem, csv_rows, excel_rows, read_bytes
from assistant.errors import InputError

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
REQUIRED = ("leverantör", "belopp")

# Column headings per role, normalised (lower case, punctuation as spaces). A heading matches when it
# equals a synonym, or starts with the synonym's words ("Belopp exkl. moms (kr)" → belopp).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "leverantör": ("leverantör", "leverantörsnamn", "leverantörens namn", "leverantör namn", "supplier",
                   "supplier name", "vendor", "vendor name", "motpart", "företag", "företagsnamn"),
    "belopp": ("belopp", "summa", "amount", "spend", "kostnad", "utfall", "fakturabelopp", "nettobelopp",
               "värde", "total", "totalt", "inköpsvolym", "sek", "kronor", "kr"),
    "datum": ("datum", "fakturadatum", "bokföringsdatum", "verifikationsdatum", "betaldatum",
              "transaktionsdatum", "date", "invoice date", "posting date"),
    "kategori": ("kategori", "inköpskategori", "kategorinamn", "huvudkategori", "varugrupp", "inköpsområde",
                 "category", "spend category"),
    "enhet": ("förvaltning", "enhet", "organisationsenhet", "org enhet", "avdelning", "nämnd", "verksamhet",
              "verksamhetsområde", "kostnadsställe", "resultatenhet", "unit", "business unit", "department",
              "division"),
    "avtal": ("avtal", "avtals id", "avtalsid", "avtal id", "avtalsnummer", "avtalsnr", "avtalsreferens",
              "kontrakt", "kontraktsnummer", "contract", "contract id", "contract number", "agreement",
              "agreement id"),
    "storlek": ("företagsstorlek", "leverantörsstorlek", "storlek", "storleksklass", "storlek leverantör",
                "company size", "supplier size", "size"),
}
ROLE_NAMES = {"leverantör": "leverantör", "belopp": "belopp", "datum": "datum", "kategori": "kategori",
              "enhet": "förvaltning/enhet", "avtal": "avtals-id", "storlek": "företagsstorlek"}
# A heading like "Leverantörs-id" or "Supplier no" names a code, not the thing itself.
_ID_WORDS = {"id", "nr", "nummer", "number", "no", "kod", "code", "orgnr", "organisationsnummer"}
_NO_CONTRACT = {"", "-", "–", "—", "saknas", "ingen", "inget", "nej", "n/a", "na", "none", "null",
                "n a", "ej avtal", "utan avtal", "inget avtal", "saknar avtal", "avtal saknas"}
_STOPWORDS = {"och", "samt", "&"}
# The first part of a hyphenated name ("IT-" in "IT-konsulttjänster"); "Bygg- och" is not one.
_DOMAIN = re.compile(r"(\w+)-(?=\w)")
_HEADER_SEARCH_ROWS = 10
NO_UNIT = "(enhet saknas)"
# Company size as finance systems and supplier registers write it; the classes are the small firms the
# national strategy's goal 8 speaks of, and the rest.
SIZE_CLASSES = {"små": "Små företag (inkl. mikroföretag)", "medel": "Medelstora företag", "stor": "Stora företag",
                "okänd": "Storlek okänd eller ej angiven"}
_SIZE_WORDS = {
    "små": {"mikro", "mikroföretag", "micro", "liten", "litet", "små", "småföretag", "litet företag", "small",
            "small enterprise", "micro enterprise"},
    "medel": {"medel", "medelstor", "medelstort", "medelstora", "medium", "medium sized", "medelstort företag"},
    "stor": {"stor", "stort", "stora", "storföretag", "stort företag", "large", "large enterprise"},
}
# Legal-form words that do not tell two suppliers apart: "Atea Sverige AB" is "ATEA Sverige  AB".
_LEGAL_FORMS = {"ab", "aktiebolag", "publ", "hb", "handelsbolag", "kb", "kommanditbolag"}


# ---- public -------------------------------------------------------------------------------------------


def analyse_spend(
    source: Path | str | bytes,
    filename: str | None = None,
    category: str | None = None,
    category_value: str | None = None,
) -> SpendAnalysis:
    """Read a spend file (a path, or the bytes of an uploaded file with its `filename`) and analyse the
    rows of `category`. When the file has a category column only rows whose category matches are
    used – `category_value` names the category as the file spells it when that differs."""
    data, name = read_bytes(source, filename)
    suffix = Path(name).suffix.lower()
    notes: list[str] = []
    if suffix in EXCEL_SUFFIXES:
        sheet, rows, formulas = excel_rows(data, name, lambda rows: _find_header(rows) is not None)
        if formulas:
            notes.append(f"{integer(formulas)} {'cell' if formulas == 1 else 'celler'} i bladet {sheet} har "
                         "formler utan sparade värden; raderna med dem står bland raderna som inte kunde "
                         "användas. Öppna filen och spara om filen i Excel (eller exportera den som CSV), "
                         "så följer värdena med.")
        return _analyse(rows, name, sheet, category_value or category, check_fields=False, notes=notes)
    if suffix in CSV_SUFFIXES:
        _, records = csv_rows(data, name)
        return _analyse(records, name, None, category_value or category, check_fields=True, notes=notes)
    if suffix == ".xls":
        raise InputError(f"Spendfilen {name} är i det äldre Excel-formatet .xls, som inte stöds. "
                         "Spara den som .xlsx eller CSV och försök igen.")
    raise InputError(f"Spendfilen {name} har ett format som inte stöds ({suffix or 'ingen filändelse'}). "
                     "Använd CSV (.csv) eller Excel (.xlsx).")


def supplier_key(name: str) -> str:
    """What two spellings of one supplier have in common: case, spacing, punctuation and the legal form
    (AB, Aktiebolag, (publ)) do not count."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    words = [w for w in re.sub(r"[.,()]", " ", folded).split() if w not in _LEGAL_FORMS]
    return " ".join(words) or " ".join(folded.split())


def size_class(value: Any) -> str:
    text = _norm(value)
    return next((cls for cls, words in _SIZE_WORDS.items() if text in words), "okänd")


# ---- columns ------------------------------------------------------------------------------------------


def _norm(text: Any) -> str:
    s = unicodedata.normalize("NFC", str(text or "")).lower()
    return " ".join(re.sub(r"[^\w&]+", " ", s).split())


def _fold(text: str) -> str:
    """Also accept headings written without å, ä, ö (leverantor, forvaltning)."""
    return text.translate(str.maketrans("åäöé", "aaoe"))


def _match_role(heading: str, role: str) -> int | None:
    """0 for an exact match, 1 for a match on the leading words, None for no match."""
    words = _norm(heading).split()
    if not words:
        return None
    folded = [_fold(w) for w in words]
    best = None
    for synonym in SYNONYMS[role]:
        syn = [_fold(w) for w in synonym.split()]
        if folded == syn:
            return 0
        if folded[: len(syn)] == syn:
            rest = set(folded[len(syn):])
            if role != "avtal" and rest & _ID_WORDS:
                continue
            best = 1
    return best


def _map_columns(header: list[Any]) -> dict[str, int]:
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for role in SYNONYMS:
        candidates = []
        for i, heading in enumerate(header):
            if i in used or heading is None or not str(heading).strip():
                continue
            quality = _match_role(str(heading), role)
            if quality is None:
                continue
            # Net amounts are the spend; "inkl. moms" columns only when nothing else is there.
            words = set(_norm(heading).split())
            vat = 0 if role != "belopp" or not words & {"inkl", "inklusive", "incl", "brutto"} else 1
            candidates.append((quality, vat, i))
        if candidates:
            index = min(candidates)[2]
            mapping[role] = index
            used.add(index)
    return mapping


def _find_header(rows: list[tuple[int, Row]]) -> tuple[int, dict[str, int]] | None:
    for position, (_, row) in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        if not isinstance(row, list):
            continue
        mapping = _map_columns(row)
        if all(role in mapping for role in REQUIRED):
            return position, mapping
    return None


# ---- values -------------------------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y-%m", "%Y.%m.%d")


def parse_date(raw: Any) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if raw is None:
        return None
    text = str(raw).strip()
    text = re.sub(r"[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$", "", text)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _cell(row: list[Any], index: int | None) -> Any:
    if index is None or index >= len(row):
        return None
    value = row[index]
    return value.strip() if isinstance(value, str) else value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _show(value: Any) -> str:
    text = str(value).strip()
    return text if len(text) <= 40 else text[:37] + "…"


def _category_words(text: str) -> set[str]:
    return {w for w in _norm(text).split() if w not in _STOPWORDS}


def _domains(text: str) -> set[str]:
    return set(_DOMAIN.findall(unicodedata.normalize("NFC", str(text or "")).lower()))


def _compound_head(a: str, b: str) -> bool:
    """One word is the other with something in front ("konsulttjänster" is a kind of "tjänster")."""
    short, long = sorted((a, b), key=len)
    return short == long or (len(short) >= 4 and long.endswith(short))


def category_matches(wanted: str, value: str) -> bool:
    """Whether the file's category `value` is the category the team named. Whole words decide ("IT"
    is not "kvalitet"); a longer word may be the start of the file's word ("livsmedel" matches
    "Livsmedelsprodukter"). The first part of a hyphenated name says which field it belongs to:
    "IT-konsulttjänster" are IT services, and a file's »Konsulttjänster« is the neighbouring category of
    other consultants (the profiles exclude each from the other), while »IT« and »IT-tjänster« include it."""
    want, have = _category_words(wanted), _category_words(value)
    if not want or not have:
        return False
    want_domains, have_domains = _domains(wanted), _domains(value)
    if want_domains - have or have_domains - want:
        return False
    if want <= have or have <= want:
        return True
    if shared := want_domains & have_domains:
        rest_want, rest_have = want - shared, have - shared
        if rest_want and rest_have and all(any(_compound_head(w, h) for h in rest_have) for w in rest_want) \
                and all(any(_compound_head(w, h) for w in rest_want) for h in rest_have):
            return True
    return all(any(h == w or (len(w) >= 4 and h.startswith(w)) for h in have) for w in want)


# ---- analysis -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Used:
    supplier: str  # as written, spacing collapsed
    amount: float
    date: dt.date | None
    unit: str | None
    contract: str | None
    size: str | None


def _analyse(rows_iter: Iterable[tuple[int, Row]], name: str, sheet: str | None, category: str | None,
             check_fields: bool, notes: list[str]) -> SpendAnalysis:
    rows = list(rows_iter)
    if not any(isinstance(row, list) and any(not _blank(c) for c in row) for _, row in rows):
        if any(isinstance(row, RowProblem) for _, row in rows):
            first = next((line, row) for line, row in rows if isinstance(row, RowProblem))
            raise InputError(f"Ingen rad i spendfilen {name} gick att läsa. rad {first[0]}: {first[1].reason}.")
        raise InputError(f"Spendfilen {name} är tom.")
    found = _find_header(rows)
    if found is None:
        first = next(row for _, row in rows if isinstance(row, list) and any(not _blank(c) for c in row))
        headings = ", ".join(f"»{_show(c)}«" for c in first if not _blank(c)) or "inga"
        raise InputError(
            f"Spendfilen {name} saknar kolumner för leverantör och belopp (t.ex. »Leverantör« och »Belopp«, "
            f"eller »Supplier« och »Amount«). Första raden innehåller: {headings}."
        )
    position, cols = found
    header = rows[position][1]
    assert isinstance(header, list)
    columns = {ROLE_NAMES[role]: str(header[i]).strip() for role, i in sorted(cols.items(), key=lambda x: x[1])}
    headings = {role: str(header[i]).strip() for role, i in cols.items()}
    filter_on = category if "kategori" in cols and category else None
    # Trailing empty header cells are allowed to be missing on a row (some exports drop them).
    needed = max((i + 1 for i, c in enumerate(header) if not _blank(c)), default=0)

    bad: list[BadRow] = []
    used: list[_Used] = []
    matched_values: set[str] = set()
    seen_values: set[str] = set()
    other = read = 0
    for line, row in rows[position + 1:]:
        if isinstance(row, RowProblem):
            read += 1
            bad.append(BadRow(line=line, reason=row.reason))
            continue
        if all(_blank(c) for c in row):
            continue
        read += 1
        if check_fields and (len(row) < needed or any(not _blank(c) for c in row[len(header):])):
            bad.append(BadRow(line=line, reason=(
                f"raden har {len(row)} fält men rubrikraden har {len(header)} – kontrollera avgränsarna och "
                "citattecknen på raden (t.ex. ett decimalkomma i ett kommaseparerat belopp utan citattecken)")))
            continue
        formulas = [f"kolumnen »{headings[role]}« har formeln {_show(row[i])} utan sparat värde"
                    for role, i in sorted(cols.items(), key=lambda x: x[1])
                    if i < len(row) and isinstance(row[i], Formula)]
        if formulas:
            bad.append(BadRow(line=line, reason="; ".join(formulas) + " – spara om filen i Excel så att "
                              "värdena sparas, eller exportera den som CSV"))
            continue
        problems = []
        if filter_on:
            value = _cell(row, cols["kategori"])
            if _blank(value):
                problems.append("kategorin saknas")
            else:
                seen_values.add(str(value).strip())
                if not category_matches(filter_on, str(value)):
                    other += 1
                    continue
                matched_values.add(str(value).strip())
        supplier = _cell(row, cols["leverantör"])
        if _blank(supplier):
            problems.append("leverantören saknas")
        raw_amount = _cell(row, cols["belopp"])
        amount = None
        if _blank(raw_amount):
            problems.append("beloppet saknas")
        else:
            amount = parse_amount(raw_amount)
            if amount is None:
                problems.append(f"beloppet »{_show(raw_amount)}« är inte ett tal")
            elif not math.isfinite(amount) or abs(amount) > MAX_AMOUNT:
                problems.append(f"beloppet »{_show(raw_amount)}« är orimligt stort (över 10 000 miljarder "
                                "kronor) – kontrollera enheten och decimaltecknet")
        date = None
        if "datum" in cols:
            raw_date = _cell(row, cols["datum"])
            if _blank(raw_date):
                problems.append("datumet saknas")
            else:
                date = parse_date(raw_date)
                if date is None:
                    problems.append(f"datumet »{_show(raw_date)}« går inte att tolka (använd t.ex. 2025-03-31)")
        if problems:
            bad.append(BadRow(line=line, reason="; ".join(problems)))
            continue
        unit = _cell(row, cols.get("enhet")) if "enhet" in cols else None
        contract = _cell(row, cols.get("avtal")) if "avtal" in cols else None
        size = _cell(row, cols.get("storlek")) if "storlek" in cols else None
        used.append(_Used(
            supplier=" ".join(str(supplier).split()), amount=float(amount), date=date,
            unit=None if _blank(unit) else " ".join(str(unit).split()),
            contract=None if _blank(contract) or _norm(contract) in _NO_CONTRACT else str(contract).strip(),
            size=size_class(size) if "storlek" in cols else None))

    if filter_on and not matched_values and not used:
        listed = ", ".join(f"»{v}«" for v in sorted(seen_values, key=str.casefold)[:15]) or "inga"
        raise InputError(
            f"Ingen rad i spendfilen {name} har kategorin »{filter_on}«. Kategorierna i filen är: {listed}. "
            "Ange filens namn på kategorin med --spend-kategori (spend_kategori i indatafilen)."
        )
    if not used:
        shown = "; ".join(f"rad {b.line}: {b.reason}" for b in bad[:10])
        raise InputError(f"Ingen rad i spendfilen {name} gick att använda. {shown}")
    return _summarise(used, name, sheet, columns, filter_on, sorted(matched_values, key=str.casefold), read,
                      other, bad, notes, has_contract="avtal" in cols, has_unit="enhet" in cols,
                      has_size="storlek" in cols)


def _most_common(names: list[str]) -> str:
    """The spelling used on most rows; on a tie, the one that came first in the file."""
    counts = Counter(names)
    return max(counts, key=lambda n: (counts[n], -names.index(n)))


def _summarise(used: list[_Used], name, sheet, columns, category, matched, read, other, bad, notes, *,
               has_contract: bool, has_unit: bool, has_size: bool) -> SpendAnalysis:
    total = sum(r.amount for r in used)

    def share(x: float) -> float:
        return x / total if total > 0 else 0.0

    by_key: dict[str, list[_Used]] = {}
    for r in used:
        by_key.setdefault(supplier_key(r.supplier), []).append(r)
    suppliers = []
    for rs in by_key.values():
        spellings = [r.supplier for r in rs]
        shown = _most_common(spellings)
        amount = sum(r.amount for r in rs)
        by_year: dict[int, float] = {}
        without_by_year: dict[int, float] = {}
        for r in rs:
            if r.date is not None:
                by_year[r.date.year] = by_year.get(r.date.year, 0.0) + r.amount
                if has_contract and not r.contract:
                    without_by_year[r.date.year] = without_by_year.get(r.date.year, 0.0) + r.amount
        per_contract: dict[str, float] = {}
        for r in rs:
            if r.contract:
                per_contract[r.contract] = per_contract.get(r.contract, 0.0) + r.amount
        sizes = [r.size for r in rs if r.size]
        suppliers.append(SupplierSpend(
            supplier=shown, amount=round(amount, 2), share=share(amount), rows=len(rs),
            contracts=sorted(per_contract),
            contract_amounts={c: round(v, 2) for c, v in sorted(per_contract.items())},
            without_contract=round(sum(r.amount for r in rs if has_contract and not r.contract), 2),
            by_year={y: round(v, 2) for y, v in sorted(by_year.items())},
            without_contract_by_year={y: round(v, 2) for y, v in sorted(without_by_year.items())},
            variants=sorted(set(spellings) - {shown}, key=spellings.index),
            size=Counter(sizes).most_common(1)[0][0] if sizes else None,
        ))
    supplier_list = sorted(suppliers, key=lambda s: (-s.amount, s.supplier.casefold()))

    positive = [max(s.amount, 0.0) for s in supplier_list]
    pos_total = sum(positive)
    hhi = sum((100 * a / pos_total) ** 2 for a in positive) if pos_total > 0 else 0.0

    unit_list = None
    if has_unit:
        units: dict[str, dict[str, Any]] = {}
        for r in used:
            u = units.setdefault((r.unit or NO_UNIT).casefold(),
                                 {"name": r.unit or NO_UNIT, "amount": 0.0, "suppliers": set(), "without": 0.0})
            u["amount"] += r.amount
            u["suppliers"].add(supplier_key(r.supplier))
            if has_contract and not r.contract:
                u["without"] += r.amount
        unit_list = sorted(
            (UnitSpend(unit=u["name"], amount=round(u["amount"], 2), share=share(u["amount"]),
                       suppliers=len(u["suppliers"]), without_contract=round(u["without"], 2))
             for u in units.values()),
            key=lambda u: (-u.amount, u.unit.casefold()),
        )

    years = []
    for year in sorted({r.date.year for r in used if r.date is not None}):
        rs = [r for r in used if r.date is not None and r.date.year == year]
        years.append(YearSpend(
            year=year, amount=round(sum(r.amount for r in rs), 2), rows=len(rs),
            suppliers=len({supplier_key(r.supplier) for r in rs}),
            without_contract=round(sum(r.amount for r in rs if not r.contract), 2) if has_contract else None,
            first=min(r.date for r in rs), last=max(r.date for r in rs)))

    size_list = None
    if has_size:
        size_list = []
        for cls, label in SIZE_CLASSES.items():
            rs = [r for r in used if r.size == cls]
            if rs:
                amount = sum(r.amount for r in rs)
                size_list.append(SizeSpend(size=label, amount=round(amount, 2), share=share(amount),
                                           suppliers=len({supplier_key(r.supplier) for r in rs})))

    without = round(sum(r.amount for r in used if not r.contract), 2) if has_contract else None
    dates = [r.date for r in used if r.date is not None]
    return SpendAnalysis(
        source=name,
        sheet=sheet,
        columns=columns,
        category=category,
        category_values=matched,
        rows_read=read,
        rows_used=len(used),
        rows_other_categories=other,
        bad_rows=bad,
        total=round(total, 2),
        supplier_count=len(supplier_list),
        suppliers=supplier_list,
        top3_share=sum(s.share for s in supplier_list[:3]),
        hhi=hhi,
        units=unit_list,
        has_contract_column=has_contract,
        without_contract_amount=without,
        without_contract_share=share(without) if without is not None else None,
        date_first=min(dates) if dates else None,
        date_last=max(dates) if dates else None,
        years=years,
        sizes=size_list,
        notes=notes,
    )
