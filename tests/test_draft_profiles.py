"""Category profiles and organisation types as reviewed data: names and synonyms find the right family,
an unknown name says so instead of guessing, every family says something in every building block, a
riskbransch only where the roadmap names the industry, and every citation in the profiles exists."""

from __future__ import annotations

import pytest

from assistant.drafts.profiles import (
    CONTRACT_FORMS,
    UNKNOWN,
    anchors_used,
    load_categories,
    load_org_types,
    profile_for,
)
from assistant.drafts.sections import load_spec, priority_goals, suggested_goals


@pytest.mark.parametrize(("name", "families"), [
    ("IT-konsulttjänster", ["it_tjanster"]), ("it-konsulter", ["it_tjanster"]), ("Konsulttjänster inom IT", ["it_tjanster"]),
    ("IT", ["it_varor", "it_tjanster"]), ("Datorer och kringutrustning", ["it_varor"]),
    ("Livsmedel", ["livsmedel"]), ("Livsmedel och drycker till skolor", ["livsmedel"]),
    ("Fordon och drivmedel", ["fordon"]), ("Drivmedel", ["fordon"]), ("Specialfordon", ["fordon"]),
    ("Transporttjänster", ["transport"]), ("Skolskjuts", ["transport"]), ("Sjuktransporter", ["transport"]),
    ("Lokalvård", ["lokalvard"]), ("Städtjänster", ["lokalvard"]), ("Städmaterial", ["varor"]),
    ("Konsulttjänster", ["konsult"]), ("Bygg- och anläggningsentreprenader", ["bygg"]), ("Energi", ["energi"]),
    ("Medicintekniska produkter", ["sjukvard"]), ("Kontorsmaterial", ["kontorsmaterial"]),
    ("Hemtjänst", ["valfard"]), ("Bevakning", ["personalintensiva"]), ("Möbler", ["varor"]),
])
def test_names_and_synonyms_find_their_family(name, families):
    assert profile_for(name).families == families


@pytest.mark.parametrize("name", ["Konstverk", "Kvalitetssäkring", "Elevresor till Grekland"])
def test_an_unknown_name_is_an_unknown_category_type(name):
    p = profile_for(name)
    assert p.families == [UNKNOWN] and p.unknown and p.name == "okänd kategorityp – teamet fyller i"
    assert p.drivers == p.market == p.seriousness == p.risk_sectors == []


def test_every_family_fills_every_building_block():
    spec = load_categories()
    for key, fam in spec.families.items():
        if fam.unknown:
            continue
        assert len(fam.tree) == 2 and fam.includes and fam.excludes and fam.subcategories, key
        for field in ("drivers", "market", "levers", "conflicts", "seriousness", "beredskap", "hallbarhet", "srm",
                      "measures", "roles", "activities", "requirements"):
            assert getattr(fam, field), f"{key}: {field}"
        assert set(fam.contract_forms) == set(CONTRACT_FORMS), key
        assert sorted(fam.route) == sorted(CONTRACT_FORMS), key  # every form, in the order the tool suggests
        assert fam.goals and set(fam.goals) <= set(range(3, 11)), key  # 1 and 2 hold for every category
        assert fam.analysis and fam.omvarld and fam.yearly, key
        assert fam.guidance, key
        if key not in ("varor", "tjanster"):  # the catch-all types have no volume unit and little to say
            assert fam.unit, key
            assert {"behov", "marknad", "portfolj", "avtalsform", "malkonflikter", "upphandlingsplan",
                    "organisation"} <= set(fam.guidance), key


def test_a_riskbransch_only_where_the_roadmap_names_it():
    quote = load_spec().anchors["ak_branscher"].quote.lower()
    named = {key: fam.risk_sector for key, fam in load_categories().families.items() if fam.risk_sector}
    assert named == {"transport": "transport", "lokalvard": "lokalvård", "bygg": "bygg- och anläggning"}
    assert all(sector in quote for sector in named.values())
    # Fordon och drivmedel is goods, not the transport industry; IT consulting is not a named industry.
    assert profile_for("Fordon och drivmedel").risk_sectors == profile_for("IT-konsulttjänster").risk_sectors == []


def test_every_citation_in_the_profiles_exists_in_the_template():
    used = anchors_used(load_categories(), load_org_types())
    assert used and used <= set(load_spec().anchors)


def test_organisation_types_differ_where_it_matters():
    orgs = load_org_types().types
    assert set(orgs) == {"kommun", "region", "statlig myndighet", "bolag"}
    assert "mål- och budgetprocessen" in orgs["kommun"].planering
    assert "Adda" in " ".join(orgs["kommun"].routes) and "Adda" in " ".join(orgs["region"].routes)
    assert "regleringsbrevet" in orgs["statlig myndighet"].styrdokument
    assert "Statens inköpscentral" in orgs["statlig myndighet"].route_rows["inkopscentral"]
    assert "Statens servicecenters" in " ".join(orgs["statlig myndighet"].routes)
    assert "LUF" in " ".join(orgs["bolag"].questions) and "HBV" in " ".join(orgs["bolag"].routes)
    for org in orgs.values():  # the routes sit on their contract form's row, not in a row of their own
        assert "inkopscentral" in org.route_rows and set(org.route_rows) <= {"samordnad", "inkopscentral"}
    assert "nämnd" not in orgs["statlig myndighet"].beslutande + orgs["statlig myndighet"].enheter


def test_goals_are_the_profiles_suggestion():
    assert list(suggested_goals(profile_for("Livsmedel"))) == [1, 2, 6, 7, 8, 10]
    assert 9 in suggested_goals(profile_for("Lokalvård")) and 9 not in suggested_goals(profile_for("Fordon och drivmedel"))
    assert list(suggested_goals(profile_for("Konstverk"))) == [1, 2]
    assert priority_goals("Minskad klimatpåverkan") == [6]
    assert priority_goals("Inga oseriösa underkonsulter") == [9]
