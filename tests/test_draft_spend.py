"""The inköpsanalys from a spend file, checked against numbers computed by hand from the example CSV
(assistant/drafts/examples/spend-exempelkommun.csv), bad rows with their line numbers, Excel files,
column names in Swedish and English, Swedish number formats and files that cannot be read."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from assistant.config import REPO_ROOT
from assistant.drafts.models import parse_amount
from assistant.drafts.spend import analyse_spend, category_matches, parse_date
from assistant.errors import InputError

EXAMPLES = REPO_ROOT / "assistant" / "drafts" / "examples"
SPEND = EXAMPLES / "spend-exempelkommun.csv"
BAD = EXAMPLES / "spend-felaktiga-rader.csv"


def test_it_analysis_matches_the_hand_computed_numbers():
    a = analyse_spend(SPEND, category="IT")
    # 18 IT rows (one of them »IT-tjänster«), 5 rows in other categories, no bad rows.
    assert (a.rows_read, a.rows_used, a.rows_other_categories, a.bad_rows) == (23, 18, 5, [])
    assert a.category_values == ["IT", "IT-tjänster"]
    # Atea 600 000 + Tieto 400 000 + Dustin 150 000 + Telia 120 000 + Microsoft 64 000 + Kod & Moln 40 000
    # + Lokala Datahjälpen 20 000 + Inet (8 000 − 2 000 credit) 6 000 = 1 400 000.
    assert a.total == 1_400_000
    assert a.supplier_count == 8
    assert [(s.supplier, s.amount, s.rows) for s in a.suppliers] == [
        ("Atea Sverige AB", 600_000, 4),  # »ATEA Sverige AB« on one row is the same supplier
        ("Tieto Evry Sverige AB", 400_000, 3),
        ("Dustin Sverige AB", 150_000, 3),
        ("Telia Sverige AB", 120_000, 2),
        ("Microsoft Ireland Operations Ltd", 64_000, 1),
        ("Kod & Moln AB", 40_000, 1),
        ("Lokala Datahjälpen AB", 20_000, 2),
        ("Inet AB", 6_000, 2),
    ]
    assert a.suppliers[0].share == pytest.approx(600 / 1400)
    assert a.top3_share == pytest.approx(1_150_000 / 1_400_000)  # 82,14 %
    # HHI = Σ (100·share)² = (600² + 400² + 150² + 120² + 64² + 40² + 20² + 6²) / 14² = 563 032 / 196.
    assert a.hhi == pytest.approx(563_032 / 196)
    assert a.concentration == "hög"
    # Without contract id: Dustin 30 000 + Kod & Moln 40 000 + Lokala 20 000 + Inet 6 000 = 96 000.
    assert a.has_contract_column
    assert a.without_contract_amount == 96_000
    assert a.without_contract_share == pytest.approx(96_000 / 1_400_000)
    assert a.suppliers[2].without_contract == 30_000 and a.suppliers[2].contracts == ["AV-2024-003"]
    assert [(u.unit, u.amount, u.suppliers, u.without_contract) for u in a.units] == [
        ("Kommunledningskontoret", 594_000, 5, 40_000),
        ("Utbildningsförvaltningen", 418_500, 4, 43_500),
        ("Socialförvaltningen", 387_500, 4, 12_500),
    ]
    assert (a.date_first, a.date_last) == (dt.date(2025, 1, 15), dt.date(2025, 12, 1))
    assert a.columns == {"leverantör": "Leverantör", "belopp": "Belopp (kr)", "datum": "Fakturadatum",
                         "kategori": "Kategori", "förvaltning/enhet": "Förvaltning", "avtals-id": "Avtals-id"}


def test_it_consultants_are_the_files_it_rows_not_its_other_consultants():
    # »IT« and »IT-tjänster« rows, as for »IT« above; Sweco's »Konsulttjänster« row (a planning consultant
    # for Samhällsbyggnadsförvaltningen) is another category.
    a = analyse_spend(SPEND, category="IT-konsulttjänster")
    assert a.category_values == ["IT", "IT-tjänster"]
    assert (a.total, a.supplier_count, a.rows_used, a.rows_other_categories) == (1_400_000, 8, 18, 5)
    assert "Sweco Sverige AB" not in {s.supplier for s in a.suppliers}


def test_other_category_in_the_same_file():
    a = analyse_spend(SPEND, category="Livsmedel")
    assert (a.total, a.supplier_count, a.rows_used, a.rows_other_categories) == (127_000, 2, 2, 21)
    assert a.without_contract_amount == 0 and a.without_contract_share == 0


def test_bad_rows_are_reported_with_their_line_numbers():
    a = analyse_spend(BAD, category="IT")
    assert [(b.line, b.reason) for b in a.bad_rows] == [
        (3, "beloppet saknas"),
        (4, "beloppet »tolv tusen« är inte ett tal"),
        (5, "datumet »2025-13-45« går inte att tolka (använd t.ex. 2025-03-31)"),
        (8, "leverantören saknas"),
        (11, "datumet saknas"),
        (15, "beloppet »-« är inte ett tal"),  # after a record that spans lines 13–14
    ]
    # Line 9 is another category: not used, and not a bad row of this analysis.
    assert (a.rows_read, a.rows_used, a.rows_other_categories) == (12, 5, 1)
    assert a.total == pytest.approx(1000.50 + 2000.00 + 3499.50 + 1234.56 + 100)
    assert {s.supplier for s in a.suppliers} == {"Atea Sverige AB", "Dustin Sverige AB", "Lokal IT, Väst AB",
                                                 "Kontorsservice Norr AB"}
    assert a.columns["leverantör"] == "Supplier" and a.columns["avtals-id"] == "Contract ID"
    assert a.date_first == dt.date(2025, 1, 10)  # 15/02/2025 was read as a day-first date
    assert a.without_contract_amount == pytest.approx(3499.50)


def _xlsx(rows: list[list], title_rows: int = 0, sheets_before: int = 0) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for i in range(sheets_before):
        ws.title = f"Info {i}"
        ws.append(["Detta blad innehåller ingen data"])
        ws = wb.create_sheet("Inköp")
    for i in range(title_rows):
        ws.append([f"Rapport över inköp {i}"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_excel_with_title_rows_a_cover_sheet_and_real_dates():
    rows = [
        ["Leverantörsnamn", "Leverantörsnummer", "Belopp exkl. moms", "Belopp inkl. moms", "Bokföringsdatum",
         "Enhet"],
        ["Atea Sverige AB", "100234", 1000, 1250, dt.datetime(2025, 3, 1), "IT-enheten"],
        ["Dustin Sverige AB", "100235", "2 500,00", "3 125,00", dt.datetime(2025, 4, 1), "IT-enheten"],
        ["Inet AB", "100236", None, 100, dt.datetime(2025, 5, 1), "Skolan"],
        [None, None, None, None, None, None],  # an empty row is not a data row
        ["Inet AB", "100236", 300, 375, "inte ett datum", "Skolan"],
    ]
    a = analyse_spend(_xlsx(rows, title_rows=2, sheets_before=1), "inkop.xlsx", category="IT")
    assert a.sheet == "Inköp"
    # The supplier-number column is not the supplier, and net amounts win over amounts incl. VAT.
    assert a.columns["leverantör"] == "Leverantörsnamn" and a.columns["belopp"] == "Belopp exkl. moms"
    assert a.category is None  # no category column: every row is the category's
    assert a.total == 3500 and a.supplier_count == 2
    assert [(b.line, b.reason) for b in a.bad_rows] == [
        (6, "beloppet saknas"),
        (8, "datumet »inte ett datum« går inte att tolka (använd t.ex. 2025-03-31)"),
    ]
    assert [u.unit for u in a.units] == ["IT-enheten"]
    assert a.without_contract_share is None  # no contract column, so no share without contract


@pytest.mark.parametrize(("raw", "value"), [
    ("1 234,50", 1234.5), ("1\u00a0234,50", 1234.5), ("1.234,50", 1234.5), ("1,234.50", 1234.5),
    ("1234.5", 1234.5), ("12 345 kr", 12345), ("SEK 500", 500), ("−500", -500), ("(500)", -500),
    ("45 mnkr", 45e6), ("1,5 Mkr", 1.5e6), ("250 tkr", 250e3), ("1.234.567", 1234567), (0, 0.0), (12.5, 12.5),
    ("tolv", None), ("", None), ("-", None), ("1,2,3,4", 1234), ("12e6", None), (True, None),
])
def test_amount_formats(raw, value):
    assert parse_amount(raw) == value


@pytest.mark.parametrize(("raw", "value"), [
    ("2025-03-31", dt.date(2025, 3, 31)), ("2025-03-31 00:00:00", dt.date(2025, 3, 31)),
    ("20250331", dt.date(2025, 3, 31)), ("31/03/2025", dt.date(2025, 3, 31)), ("31.3.2025", dt.date(2025, 3, 31)),
    ("2025-03", dt.date(2025, 3, 1)), ("2025-02-30", None), ("mars", None),
])
def test_date_formats(raw, value):
    assert parse_date(raw) == value


@pytest.mark.parametrize(("wanted", "value", "match"), [
    ("IT", "IT", True), ("IT", "IT-tjänster", True), ("IT", "Kvalitet", False), ("it", "Digital IT", True),
    ("Livsmedel", "Livsmedelsprodukter", True), ("Bygg- och anläggning", "Bygg & anläggning", True),
    ("Konsulttjänster", "Konsulttjänster, IT", True), ("Konsulttjänster", "IT", False),
    ("Livsmedel", "Kontorsmaterial", False),
    # A hyphenated name's first part is its field: IT consultants are IT, not the file's other consultants.
    ("IT-konsulttjänster", "IT", True), ("IT-konsulttjänster", "IT-tjänster", True),
    ("IT-konsulttjänster", "IT-konsulttjänster", True), ("IT-tjänster", "IT-konsulttjänster", True),
    ("IT-konsulttjänster", "Konsulttjänster", False), ("Konsulttjänster", "IT-konsulttjänster", False),
    ("IT-konsulttjänster", "IT-utrustning", False), ("Transporttjänster", "Tjänster", False),
])
def test_category_matching(wanted, value, match):
    assert category_matches(wanted, value) is match


def test_a_category_name_the_file_does_not_use_lists_the_files_categories():
    with pytest.raises(InputError) as err:
        analyse_spend(SPEND, category="Möbler")
    text = str(err.value)
    assert "Ingen rad i spendfilen spend-exempelkommun.csv har kategorin »Möbler«" in text
    assert "»Bygg- och anläggning«" in text and "»Livsmedel«" in text and "--spend-kategori" in text
    # … and naming the file's own category fixes it.
    assert analyse_spend(SPEND, category="Möbler", category_value="Kontorsmaterial").total == 9800


@pytest.mark.parametrize(("name", "data", "message"), [
    ("spend.csv", b"\x00\x01\x02\x89PNG\r\n\x1a\n" * 50, "ingen textfil"),
    ("spend.csv", b"", "är tom"),
    ("spend.csv", b"namn;pris\nAtea;100\n", "saknar kolumner för leverantör och belopp"),
    ("spend.xlsx", b"det har ar ingen excelfil", "kunde inte läsas som Excel-fil"),
    ("spend.xls", b"\xd0\xcf\x11\xe0", "äldre Excel-formatet .xls"),
    ("spend.pdf", b"%PDF-1.4", "format som inte stöds"),
    ("spend.csv", "Leverantör;Belopp\nAtea;tolv\n".encode(), "Ingen rad i spendfilen spend.csv gick att använda. rad 2"),
])
def test_unreadable_files_give_a_swedish_error(name, data, message):
    with pytest.raises(InputError) as err:
        analyse_spend(data, name, category="IT")
    assert message in str(err.value)
    assert err.value.exit_code == 2


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="finns inte"):
        analyse_spend(tmp_path / "saknas.csv", category="IT")


def test_cp1252_and_tab_separated_files_are_read():
    text = "Leverantör\tBelopp\tDatum\nÅkerlunds Data AB\t1 000\t2025-01-01\nÖrebro IT AB\t500,5\t2025-01-02\n"
    a = analyse_spend(text.encode("cp1252"), "export.txt", category="IT")
    assert [s.supplier for s in a.suppliers] == ["Åkerlunds Data AB", "Örebro IT AB"] and a.total == 1500.5
