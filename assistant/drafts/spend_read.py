"""Reading a spend file into numbered rows: CSV (any common delimiter, UTF-8, UTF-16/32 with or without
a byte order mark, cp1252) and Excel (.xlsx).

A CSV line that cannot be read as written – a quote that is never closed, text after a closing quote –
becomes a `RowProblem` for that line and reading goes on with the next line, so one bad quote never
merges the rows after it into one fake record. An Excel cell whose formula has no saved value becomes a
`Formula`, so the analysis can say "spara om filen i Excel" instead of "beloppet saknas".
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import InputError

# A quoted value that runs over more lines than this is taken for a quote that is never closed: a real
# multi-line value (an address, a comment) is a few lines, and stopping here keeps a bad quote from
# making the reader scan the rest of a large file once per line.
MAX_RECORD_LINES = 20
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


@dataclass(frozen=True)
class RowProblem:
    """A line that could not be split into fields; `reason` is Swedish and names what to fix."""

    reason: str


@dataclass(frozen=True)
class Formula:
    """An Excel cell with a formula but no value saved with it (the file was written by a program that
    does not calculate, or saved without recalculation)."""

    formula: str

    def __str__(self) -> str:
        return self.formula


Row = list[Any] | RowProblem


def read_bytes(source: Path | str | bytes, filename: str | None) -> tuple[bytes, str]:
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


# ---- text --------------------------------------------------------------------------------------------

# UTF-32 first: its little-endian mark begins with UTF-16's.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when every other byte is zero, as in UTF-16 text of Latin letters."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _controls(text: str) -> int:
    return sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r")


def _binary_error(name: str) -> InputError:
    return InputError(f"Spendfilen {name} är ingen textfil (den innehåller binära data). Spara den som CSV "
                      "(semikolon- eller kommaseparerad) eller Excel (.xlsx).")


def decode(data: bytes, name: str) -> str:
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None) or _utf16_without_bom(data)
    if encoding and encoding != "utf-8-sig":
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            raise InputError(f"Spendfilen {name} ser ut att vara {encoding.upper()}-kodad men går inte att "
                             "avkoda – spara den på nytt som CSV (UTF-8) eller Excel (.xlsx).") from None
        if "\x00" in text or _controls(text[:8192]) > max(2, len(text[:8192]) // 100):
            raise _binary_error(name)
        return text.lstrip("\ufeff")
    sample = data[:8192]
    if b"\x00" in data or sum(1 for b in sample if b < 32 and b not in (9, 10, 13)) > max(2, len(sample) // 100):
        raise _binary_error(name)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def sniff_delimiter(text: str) -> str:
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


def _quote_problem(err: csv.Error | None) -> RowProblem:
    if err is not None and "expected after" in str(err):
        what = "text står direkt efter ett avslutande citattecken (t.ex. »\"Alfa\" AB«)"
    else:
        what = "ett citattecken i början av ett fält stängs aldrig"
    return RowProblem(f"raden kunde inte läsas: {what}. Rätta citattecknen på raden; raderna efter den har "
                      "lästs var för sig")


def csv_rows(data: bytes, name: str) -> tuple[str, Iterator[tuple[int, Row]]]:
    """The delimiter and the file's records with the line each starts on (the header is line 1)."""
    text = decode(data, name)
    if not text.strip():
        raise InputError(f"Spendfilen {name} är tom.")
    delimiter = sniff_delimiter(text)
    return delimiter, _records(_LINE.findall(text), delimiter)


def _records(lines: list[str], delimiter: str) -> Iterator[tuple[int, Row]]:
    i, n = 0, len(lines)
    while i < n:
        if not lines[i].strip():
            i += 1
            continue
        source = (lines[k] for k in range(i, min(n, i + MAX_RECORD_LINES)))
        reader = csv.reader(source, delimiter=delimiter, strict=True)
        try:
            row = next(reader)
        except csv.Error as err:
            yield i + 1, _quote_problem(err)
            i += 1
            continue
        except StopIteration:  # pragma: no cover - the line is not blank, so there is a record
            break
        used = reader.line_num
        # A value over several lines that holds the delimiter is rows swallowed by an unclosed quote.
        if used > 1 and any(("\n" in f or "\r" in f) and delimiter in f for f in row):
            yield i + 1, _quote_problem(None)
            i += 1
            continue
        yield i + 1, row
        i += used


# ---- Excel ---------------------------------------------------------------------------------------------


def excel_rows(data: bytes, name: str, is_header) -> tuple[str | None, list[tuple[int, Row]], int]:
    """The sheet with the data (the first whose header `is_header` accepts), its rows, and how many of
    its cells hold a formula without a saved value."""
    import zipfile

    from openpyxl import load_workbook

    def load(data_only: bool):
        try:
            return load_workbook(io.BytesIO(data), data_only=data_only)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as err:
            raise InputError(f"Spendfilen {name} kunde inte läsas som Excel-fil (.xlsx): filen är skadad eller "
                             f"inte en Excel-fil ({type(err).__name__}).") from None
        except Exception as err:  # openpyxl raises its own exception types for malformed parts
            raise InputError(f"Spendfilen {name} kunde inte läsas som Excel-fil (.xlsx) "
                             f"({type(err).__name__}).") from None

    workbook = load(data_only=True)
    # The first sheet with a recognisable header row is the data; a cover sheet before it is skipped.
    chosen = next((ws for ws in workbook.worksheets
                   if is_header([(i, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True), 1)])),
                  workbook.worksheets[0])
    rows: list[tuple[int, Row]] = [(i, list(r)) for i, r in enumerate(chosen.iter_rows(values_only=True), 1)]
    missing = 0
    if any(c is None for _, r in rows for c in r) and _has_formulas(data):
        formulas = load(data_only=False)[chosen.title]
        for i, row in enumerate(formulas.iter_rows(values_only=True), 1):
            values = rows[i - 1][1] if i <= len(rows) else []
            for j, cell in enumerate(row):
                text = getattr(cell, "text", cell)  # array formulas are objects with the formula as .text
                if j < len(values) and values[j] is None and isinstance(text, str) and text.startswith("="):
                    values[j] = Formula(text)
                    missing += 1
    return chosen.title, rows, missing


def _has_formulas(data: bytes) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return any(re.search(rb"<f[ >/]", z.read(n)) for n in z.namelist() if n.startswith("xl/worksheets/"))
    except (zipfile.BadZipFile, KeyError, OSError):
        return False
