"""Spend analysis → actions, checked against numbers computed by hand from the two-year example file
assistant/drafts/examples/spend-it-konsult-2ar.csv (IT-konsulttjänster, Exempelkommun, 2024–2025):

    supplier                        contract      2024          2025          without avtals-id
    Systemhuset Norr AB             AV-2022-101   4 200 000     4 600 000     –   (also »SYSTEMHUSET NORR AB«,
                                                                                   »Systemhuset  Norr AB«)
    Molnbyrån Sverige AB            –             2 940 000     3 150 000     6 090 000
    Kodkraft Konsult AB             AV-2022-102   3 100 000     2 700 000     –   (2025 includes a −100 000 credit)
    Arkitekturgruppen AB            AV-2023-015   1 800 000     2 250 000     150 000 (one 2025 invoice)
    Konsultmäklaren AB              AV-2023-016   1 200 000     1 500 000     –
    Digitalbolaget i Mälardalen AB  –               950 000       620 000     1 570 000
    Testa Säkert AB                 –               380 000       410 000       790 000 (+ line 40: »ca 50 000«)
    Projektledarna Öst AB           –                     0       680 000       680 000
    Säkerhetskonsult Syd HB         –                     0       240 000       240 000
    Lilla Kodverkstaden AB          –                90 000        60 000       150 000
    total                                        14 660 000    16 210 000     9 670 000 of 30 870 000

With the kommun's direktupphandlingsgräns of 700 000 kr, Molnbyrån (both years) and Digitalbolaget (2024) are
over it; Projektledarna (680 000) is not."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.drafts.actions import spend_actions
from assistant.drafts.spend import analyse_spend, supplier_key

from .draft_fixtures import EXAMPLES, example, section_texts

SPEND = EXAMPLES / "spend-it-konsult-2ar.csv"


@pytest.fixture(scope="module")
def analysis():
    return analyse_spend(SPEND, category="IT-konsulttjänster")


def test_the_two_year_file_matches_the_hand_computed_numbers(analysis):
    a = analysis
    assert (a.rows_read, a.rows_used, a.rows_other_categories) == (41, 39, 1)
    assert [(b.line, b.reason) for b in a.bad_rows] == [(40, "beloppet »ca 50 000« är inte ett tal")]
    assert a.total == 30_870_000 and a.supplier_count == 10
    assert [(s.supplier, s.amount) for s in a.suppliers] == [
        ("Systemhuset Norr AB", 8_800_000), ("Molnbyrån Sverige AB", 6_090_000), ("Kodkraft Konsult AB", 5_800_000),
        ("Arkitekturgruppen AB", 4_050_000), ("Konsultmäklaren AB", 2_700_000),
        ("Digitalbolaget i Mälardalen AB", 1_570_000), ("Testa Säkert AB", 790_000),
        ("Projektledarna Öst AB", 680_000), ("Säkerhetskonsult Syd HB", 240_000), ("Lilla Kodverkstaden AB", 150_000),
    ]
    assert [(y.year, y.amount, y.suppliers, y.without_contract, y.full) for y in a.years] == [
        (2024, 14_660_000, 8, 4_360_000, True), (2025, 16_210_000, 10, 5_310_000, True)]
    assert a.without_contract_amount == 9_670_000
    assert a.without_contract_share == pytest.approx(9_670_000 / 30_870_000)  # 31,3 %
    kodkraft = next(s for s in a.suppliers if s.supplier == "Kodkraft Konsult AB")
    assert kodkraft.by_year == {2024: 3_100_000, 2025: 2_700_000}
    assert (a.date_first, a.date_last) == (dt.date(2024, 1, 31), dt.date(2025, 12, 19))


def test_supplier_names_are_grouped_and_shown_as_written_most_often(analysis):
    systemhuset = analysis.suppliers[0]
    assert systemhuset.rows == 8 and systemhuset.variants == ["SYSTEMHUSET NORR AB"]  # double space collapsed
    assert supplier_key("ATEA Sverige  AB") == supplier_key("Atea Sverige Aktiebolag") == supplier_key("atea sverige ab (publ)")
    assert supplier_key("Atea AB") != supplier_key("Atea Sverige AB")
    assert supplier_key("AB") == "ab"  # a name that is only a legal form is still a name


def test_every_supplier_without_avtals_id_is_flagged_with_its_share(analysis):
    act = spend_actions(analysis, 700_000)
    assert [(s.supplier, s.amount) for s in act.without_contract] == [
        ("Molnbyrån Sverige AB", 6_090_000), ("Digitalbolaget i Mälardalen AB", 1_570_000),
        ("Testa Säkert AB", 790_000), ("Projektledarna Öst AB", 680_000), ("Säkerhetskonsult Syd HB", 240_000),
        ("Arkitekturgruppen AB", 150_000), ("Lilla Kodverkstaden AB", 150_000),  # a tie: by name
    ]
    assert act.without_contract[0].share == pytest.approx(6_090_000 / 30_870_000)
    assert act.without_contract_amount == 9_670_000
    assert act.without_contract[5].contracts == ["AV-2023-015"]  # has a contract too: check the invoices


def test_suppliers_over_the_threshold_per_calendar_year(analysis):
    act = spend_actions(analysis, 700_000)
    assert [(s.supplier, s.over) for s in act.over_threshold] == [
        ("Molnbyrån Sverige AB", {2024: 2_940_000, 2025: 3_150_000}),
        ("Digitalbolaget i Mälardalen AB", {2024: 950_000}),
    ]
    assert act.category_over == {2024: 4_360_000, 2025: 5_310_000}
    assert spend_actions(analysis, 679_999).over_threshold[-1].supplier == "Projektledarna Öst AB"
    # Without a threshold nothing is compared: the tool never invents one.
    none = spend_actions(analysis, None)
    assert none.over_threshold == [] and none.category_over == {} and len(none.without_contract) == 7


def test_contracts_carry_their_spend(analysis):
    act = spend_actions(analysis, None)
    assert [(c.contract, c.amount, c.suppliers) for c in act.contracts] == [
        ("AV-2022-101", 8_800_000, ["Systemhuset Norr AB"]), ("AV-2022-102", 5_800_000, ["Kodkraft Konsult AB"]),
        ("AV-2023-015", 3_900_000, ["Arkitekturgruppen AB"]), ("AV-2023-016", 2_700_000, ["Konsultmäklaren AB"]),
    ]


def test_undated_file_and_file_without_contract_column():
    undated = analyse_spend("Leverantör;Belopp;Avtal\nAlfa AB;500 000;\nAlfa AB;400 000;\nBeta AB;800 000;A-1\n".encode(),
                            "spend.csv")
    act = spend_actions(undated, 700_000)
    assert [(s.supplier, s.over) for s in act.over_threshold] == [("Alfa AB", {0: 900_000})]  # the whole file
    no_column = analyse_spend("Leverantör;Belopp;Datum\nAlfa AB;800 000;2025-01-01\nBeta AB;100;2025-01-02\n".encode(),
                              "spend.csv")
    act = spend_actions(no_column, 700_000)
    assert act.without_contract == [] and not act.contract_column
    assert [s.supplier for s in act.over_threshold] == ["Alfa AB"]  # all spend compared, contract unknown


@pytest.mark.slow
def test_the_draft_turns_the_analysis_into_actions(seed_settings, seed_index):
    from assistant.drafts.builder import build_draft
    from assistant.drafts.format import NBSP

    draft = build_draft(example("it-konsult-kommun.yaml"), seed_settings, index=seed_index)
    s = NBSP
    nulage = "\n".join(section_texts(draft, 2))
    assert f"7 leverantörer inköp utan avtals-id, sammanlagt 9{s}670{s}000{s}kr (31,3{s}% av kategorin)" in nulage
    assert "markeras »kontrollera upphandlingsplikt«: Molnbyrån Sverige AB och Digitalbolaget i Mälardalen AB" in nulage
    assert f"(2024: 4{s}360{s}000{s}kr och 2025: 5{s}310{s}000{s}kr)" in nulage
    assert f"+10,6{s}%" in nulage  # 16 210 000 / 14 660 000
    table = next(b.table for sec in draft.sections if sec.key == "nulage" for b in sec.blocks
                 if b.table and b.table.columns[0] == "Leverantör" and "Åtgärd" in b.table.columns)
    assert [r[0] for r in table.rows] == [s.supplier for s in draft.actions.without_contract]
    assert [r[-1] for r in table.rows][:2] == ["Kontrollera upphandlingsplikt"] * 2
    plan = next(b.table for sec in draft.sections if sec.key == "upphandlingsplan" for b in sec.blocks if b.table)
    own = [r for r in plan.rows if "kontrollera upphandlingsplikt" in r[0]]
    assert [r[2] for r in own] == ["Molnbyrån Sverige AB", "Digitalbolaget i Mälardalen AB"]
    rest = next(r for r in plan.rows if r[0].startswith("Övriga inköp utan avtal"))
    assert rest[2] == ("Testa Säkert AB, Projektledarna Öst AB, Säkerhetskonsult Syd HB, Arkitekturgruppen AB och "
                       "Lilla Kodverkstaden AB") and rest[1] == f"2{s}010{s}000{s}kr"
    activities = next(b.table for sec in draft.sections if sec.key == "aktivitetsplan" for b in sec.blocks if b.table)
    assert "Molnbyrån Sverige AB och Digitalbolaget i Mälardalen AB" in activities.rows[0][1]
    assert activities.rows[0][0] == "2026 kv. 1"
