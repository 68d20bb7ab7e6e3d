"""The inköpsanalys for one category from a spend file (CSV or Excel): total, suppliers, concentration,
spend per unit and the share without a contract id.

Spend files come from many finance systems, so the reader is tolerant where it can be and explicit
where it cannot: column names are matched in Swedish and English, Swedish number formats are read,
and every row that cannot be used is reported with its line number instead of being dropped silently.
An unreadable file is an `InputError` with a Swedish message (exit code 2).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from assistant.drafts.models import BadRow, SpendAnalysis, SupplierSpend, UnitSpend, parse_amount
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
}
ROLE_NAMES = {"leverantör": "leverantör", "belopp": "belopp", "datum": "datum", "kategori": "kategori",
              "enhet": "förvaltning/enhet", "avtal": "avtals-id"}
# A heading like "Leverantörs-id" or "Supplier no" names a code, not the thing itself.
_ID_WORDS = {"id", "nr", "nummer", "number", "no", "kod", "code", "orgnr", "organisationsnummer"}
_NO_CONTRACT = {"", "-", "–", "—", "saknas", "ingen", "inget", "nej", "n/a", "na", "none", "null",
                "n a", "ej avtal", "utan avtal", "inget avtal", "saknar avtal", "avtal saknas"}
_STOPWORDS = {"och", "samt", "&"}
_HEADER_SEARCH_ROWS = 10
NO_UNIT = "(enhet saknas)"


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
    data, name = _read_bytes(source, filename)
    suffix = Path(name).suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        sheet, rows = _excel_rows(data, name)
    elif suffix in CSV_SUFFIXES:
        sheet, rows = None, _csv_rows(data, name)
    elif suffix == ".xls":
        raise InputError(f"Spendfilen {name} är i det äldre Excel-formatet .xls, som inte stöds. "
                         "Spara den som .xlsx eller CSV och försök igen.")
    else:
        raise InputError(f"Spendfilen {name} har ett format som inte stöds ({suffix or 'ingen filändelse'}). "
                         "Använd CSV (.csv) eller Excel (.xlsx).")
    return _analyse(rows, name, sheet, category_value or category)


# ---- reading ------------------------------------------------------------------------------------------


def _read_bytes(source: Path | str | bytes, filename: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        return source, filename or "spendfil.csv"
    path = Path(source)
    name = filename or path.name
    try:
        return path.read_bytes(), name
    except FileNotFoundError:
        raise InputError(f"Spendfilen {path} finns inte.") from None
    except IsADirectoryError:
        raise InputError(f"{path} är en mapp – ange spendfilen (CSV eller Excel).") from None
    except OSError as err:
        raise InputError(f"Spendfilen {path} kunde inte läsas ({err.strerror or err}).") from None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return controls > max(2, len(sample) // 100)


def _decode(data: bytes, name: str) -> str:
    if _looks_binary(data):
        raise InputError(f"Spendfilen {name} är ingen textfil (den innehåller binära data). Spara den som CSV "
                         "(semikolon- eller kommaseparerad) eller Excel (.xlsx).")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number (> 1) of fields most often.
    csv.Sniffer is easily fooled by decimal commas in semicolon files, so this counts instead."""
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_score = ";", (-1.0, 0)
    for delimiter in (";", "\t", ",", "|"):
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        if not counts:
            continue
        mode = max(set(counts), key=lambda c: (counts.count(c), c))
        if mode < 2:
            continue
        score = (counts.count(mode) / len(counts), mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(data: bytes, name: str) -> Iterator[tuple[int, list[Any]]]:
    text = _decode(data, name)
    if not text.strip():
        raise InputError(f"Spendfilen {name} är tom.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    start = 1
    try:
        for row in reader:
            yield start, row
            start = reader.line_num + 1
    except csv.Error as err:
        raise InputError(f"Spendfilen {name} kunde inte läsas som CSV på rad {reader.line_num} ({err}).") from None


def _excel_rows(data: bytes, name: str) -> tuple[str | None, Iterator[tuple[int, list[Any]]]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as err:
        raise InputError(f"Spendfilen {name} kunde inte läsas som Excel-fil (.xlsx): filen är skadad eller "
                         f"inte en Excel-fil ({type(err).__name__}).") from None
    except Exception as err:  # openpyxl raises its own exception types for malformed parts
        raise InputError(f"Spendfilen {name} kunde inte läsas som Excel-fil (.xlsx) ({type(err).__name__}).") from None
    # The first sheet with a recognisable header row is the data; a cover sheet before it is skipped.
    for ws in workbook.worksheets:
        rows = [(i, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True), 1)]
        if _find_header(rows) is not None:
            return ws.title, iter(rows)
    first = workbook.worksheets[0]
    return first.title, iter([(i, list(r)) for i, r in enumerate(first.iter_rows(values_only=True), 1)])


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


def _find_header(rows: list[tuple[int, list[Any]]]) -> tuple[int, dict[str, int]] | None:
    for position, (_, row) in enumerate(rows[:_HEADER_SEARCH_ROWS]):
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


def category_matches(wanted: str, value: str) -> bool:
    """Whether the file's category `value` is the category the team named. Whole words decide ("IT"
    is not "kvalitet"); a longer word may be the start of the file's word ("livsmedel" matches
    "Livsmedelsprodukter")."""
    want, have = _category_words(wanted), _category_words(value)
    if not want or not have:
        return False
    if want <= have or have <= want:
        return True
    return all(any(h == w or (len(w) >= 4 and h.startswith(w)) for h in have) for w in want)


# ---- analysis -----------------------------------------------------------------------------------------


def _analyse(rows_iter: Iterable[tuple[int, list[Any]]], name: str, sheet: str | None,
             category: str | None) -> SpendAnalysis:
    rows = list(rows_iter)
    if not any(any(not _blank(c) for c in row) for _, row in rows):
        raise InputError(f"Spendfilen {name} är tom.")
    found = _find_header(rows)
    if found is None:
        first = next(row for _, row in rows if any(not _blank(c) for c in row))
        headings = ", ".join(f"»{_show(c)}«" for c in first if not _blank(c)) or "inga"
        raise InputError(
            f"Spendfilen {name} saknar kolumner för leverantör och belopp (t.ex. »Leverantör« och »Belopp«, "
            f"eller »Supplier« och »Amount«). Första raden innehåller: {headings}."
        )
    position, cols = found
    header = rows[position][1]
    columns = {ROLE_NAMES[role]: str(header[i]).strip() for role, i in sorted(cols.items(), key=lambda x: x[1])}
    filter_on = category if "kategori" in cols and category else None

    bad: list[BadRow] = []
    used: list[tuple[str, float, dt.date | None, str | None, str | None]] = []
    matched_values: set[str] = set()
    seen_values: set[str] = set()
    other = read = 0
    for line, row in rows[position + 1:]:
        if all(_blank(c) for c in row):
            continue
        read += 1
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
        used.append((" ".join(str(supplier).split()), float(amount), date,
                     None if _blank(unit) else " ".join(str(unit).split()),
                     None if _blank(contract) or _norm(contract) in _NO_CONTRACT else str(contract).strip()))

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
                      other, bad, has_contract="avtal" in cols, has_unit="enhet" in cols)


def _summarise(used, name, sheet, columns, category, matched, read, other, bad, *, has_contract: bool,
               has_unit: bool) -> SpendAnalysis:
    total = sum(r[1] for r in used)

    def share(x: float) -> float:
        return x / total if total > 0 else 0.0

    suppliers: dict[str, dict[str, Any]] = {}
    units: dict[str, dict[str, Any]] = {}
    for supplier, amount, _, unit, contract in used:
        key = supplier.casefold()
        s = suppliers.setdefault(key, {"name": supplier, "amount": 0.0, "rows": 0, "contracts": set(), "without": 0.0})
        s["amount"] += amount
        s["rows"] += 1
        if contract:
            s["contracts"].add(contract)
        elif has_contract:
            s["without"] += amount
        if has_unit:
            u = units.setdefault((unit or NO_UNIT).casefold(),
                                 {"name": unit or NO_UNIT, "amount": 0.0, "suppliers": set(), "without": 0.0})
            u["amount"] += amount
            u["suppliers"].add(key)
            if has_contract and not contract:
                u["without"] += amount

    supplier_list = sorted(
        (SupplierSpend(supplier=s["name"], amount=round(s["amount"], 2), share=share(s["amount"]), rows=s["rows"],
                       contracts=sorted(s["contracts"]), without_contract=round(s["without"], 2))
         for s in suppliers.values()),
        key=lambda s: (-s.amount, s.supplier.casefold()),
    )
    positive = [max(s.amount, 0.0) for s in supplier_list]
    pos_total = sum(positive)
    hhi = sum((100 * a / pos_total) ** 2 for a in positive) if pos_total > 0 else 0.0
    unit_list = None
    if has_unit:
        unit_list = sorted(
            (UnitSpend(unit=u["name"], amount=round(u["amount"], 2), share=share(u["amount"]),
                       suppliers=len(u["suppliers"]), without_contract=round(u["without"], 2))
             for u in units.values()),
            key=lambda u: (-u.amount, u.unit.casefold()),
        )
    without = round(sum(r[1] for r in used if not r[4]), 2) if has_contract else None
    dates = [r[2] for r in used if r[2] is not None]
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
    )
