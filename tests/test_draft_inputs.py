"""Input validation with Swedish messages, the input file and flags, the output file name, and the
section template as data: every quote in it verbatim in the corpus, ESV's levels, the goal mapping."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from assistant.config import Settings
from assistant.drafts.inputs import check_output_path, collect_input
from assistant.drafts.models import StrategyInput, parse_input
from assistant.drafts.sections import keyword_in, load_spec
from assistant.errors import InputError
from assistant.passages import locate_quote

BASE = {"organisation": "Exempelkommun", "typ": "kommun", "kategori": "IT"}


def test_valid_input_and_aliases():
    inp = parse_input(BASE | {"typ": "Statlig_myndighet", "volym": "45 mnkr", "total_inkopsvolym": "1 200 000 000",
                              "period": "4", "startar": 2027, "prioriteringar": "Klimat\n\nKonkurrens\n",
                              "datum": "2026-01-15"})
    assert inp.typ == "statlig myndighet"
    assert (inp.volym, inp.total_inkopsvolym, inp.period) == (45e6, 1.2e9, 4)
    assert inp.prioriteringar == ["Klimat", "Konkurrens"]
    assert inp.period_text == "2027–2030 (4 år)"
    assert parse_input(BASE | {"typ": "Landsting"}).typ == "region"
    assert parse_input(BASE).period == 3 and parse_input(BASE).first_year == dt.date.today().year
    levels = parse_input(BASE | {"affarspaverkan": "Hog", "forsorjningsrisk": "låg", "direktupphandlingsgrans": "700 tkr"})
    assert (levels.affarspaverkan, levels.forsorjningsrisk, levels.direktupphandlingsgrans) == ("hög", "låg", 700e3)


@pytest.mark.parametrize(("change", "message"), [
    ({"typ": "förening"}, "typ: okänd organisationstyp »förening« – tillåtna typer är »kommun«, »region«, "
                          "»statlig myndighet« och »bolag«"),
    ({"volym": -5}, "volym: beloppet får inte vara negativt (angavs -5)"),
    ({"volym": "mycket"}, "volym: »mycket« är inget belopp"),
    ({"total_inkopsvolym": "-1 mnkr"}, "total_inkopsvolym: beloppet får inte vara negativt"),
    ({"period": 1}, "period: perioden ska vara 2–5 år, som färdplanens kategoristrategier (angavs 1)"),
    ({"period": 6}, "period: perioden ska vara 2–5 år"),
    ({"period": "fem"}, "period: perioden ska vara ett helt antal år"),
    ({"organisation": "  "}, "organisation: får inte vara tom"),
    ({"datum": "15/1"}, "datum: ska vara ett datum (ÅÅÅÅ-MM-DD)"),
    ({"volume": 5}, "volume: okänt fält (tillåtna fält är organisation, typ, kategori"),
    ({"startar": 26}, "startar: startåret ska vara ett årtal"),
    ({"direktupphandlingsgrans": "sjuhundra"}, "direktupphandlingsgrans: »sjuhundra« är inget belopp"),
    ({"affarspaverkan": "medel"}, "affarspaverkan: ange »hög« eller »låg« (angavs 'medel')"),
])
def test_bad_input_gives_one_swedish_line_per_problem(change, message):
    with pytest.raises(InputError) as err:
        parse_input(BASE | change)
    assert message in str(err.value)
    assert err.value.exit_code == 2
    assert "Input should" not in str(err.value) and "Value error" not in str(err.value)


def test_several_problems_are_listed_together():
    with pytest.raises(InputError) as err:
        parse_input({"typ": "förening", "volym": -1, "period": 9}, source="indata.yaml")
    text = str(err.value)
    assert text.startswith("Indata i indata.yaml har 5 fel:")
    for field in ("organisation: saknas", "kategori: saknas", "typ: okänd", "volym: beloppet", "period: perioden"):
        assert field in text


def test_file_and_flags(tmp_path):
    (tmp_path / "spend.csv").write_text("Leverantör;Belopp\nA;1\n", encoding="utf-8")
    yaml_file = tmp_path / "in.yaml"
    yaml_file.write_text("organisation: Från filen\ntyp: region\nkategori: Livsmedel\nperiod: 2\nspend: spend.csv\n",
                         encoding="utf-8")
    inp = collect_input({"organisation": "Från flaggan", "period": None}, yaml_file)
    assert (inp.organisation, inp.typ, inp.kategori, inp.period) == ("Från flaggan", "region", "Livsmedel", 2)
    assert inp.spend == tmp_path / "spend.csv"  # relative to the input file
    json_file = tmp_path / "in.json"
    json_file.write_text(json.dumps({"organisation": "X", "kategori": "IT"}), encoding="utf-8")
    assert collect_input({}, json_file).typ == "kommun"  # the documented default


@pytest.mark.parametrize(("name", "text", "message"), [
    ("in.yaml", "organisation: [oavslutad\n", "är inte giltig YAML (rad"),
    ("in.json", "{\"organisation\": }", "är inte giltig JSON (rad 1"),
    ("in.yaml", "- en lista\n", "inte en lista eller ett enskilt värde"),
    ("in.txt", "organisation: X", "ska vara YAML (.yaml/.yml) eller JSON (.json)"),
])
def test_bad_input_files(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        collect_input({"kategori": "IT", "organisation": "X"}, path)
    assert message in str(err.value)


def test_missing_category_and_organisation():
    with pytest.raises(InputError, match="Ange --kategori och --organisation"):
        collect_input({})


def test_output_names(tmp_path):
    assert check_output_path(tmp_path / "a.DOCX") == "docx"
    assert check_output_path(tmp_path / "a.md") == "md"
    with pytest.raises(InputError, match="inte »\\.pdf«: ange t.ex. --out a.docx"):
        check_output_path(tmp_path / "a.pdf")
    with pytest.raises(InputError, match="ingen filändelse"):
        check_output_path(tmp_path / "a")
    with pytest.raises(InputError, match="Mappen .* finns inte"):
        check_output_path(tmp_path / "saknas" / "a.md")


# ---- the template as data ---------------------------------------------------------------------------------


def test_every_template_quote_is_verbatim_in_the_corpus():
    spec = load_spec()
    settings = Settings()
    for key, anchor in spec.anchors.items():
        found = locate_quote(spec.doc_id(key), anchor.quote, settings)
        assert " ".join(found.quote.split()) == " ".join(anchor.quote.split()), key
    for goal in spec.goals:  # the goals table quotes the roadmap's own short names
        locate_quote(spec.docs["fardplan"], goal.name, settings)


def test_every_section_has_a_heading_queries_and_citations():
    spec = load_spec()
    assert [s.heading for s in spec.sections] == [
        "Syfte, omfattning och mandat", "Nuläge och inköpsanalys", "Behov och volym under perioden",
        "Leverantörsmarknad och marknadsdialog", "Portföljposition: affärspåverkan och försörjningsrisk",
        "Mål och prioriteringar", "Målkonflikter och proportionerlig kravställning", "Avtalsform och avropsväg",
        "Seriösa leverantörer och risker i leverantörskedjan", "Försörjningstrygghet och beredskap", "Hållbarhet",
        "Upphandlingsplan för perioden", "Leverantörsuppföljning", "Kategoriteam, roller och ansvar",
        "Aktivitetsplan", "Uppföljning: mått och rapportering till ledningen",
    ]
    # Computed parts that cite for every category and organisation type (generated.py, planning.py).
    always_citing = {"savings", "routes", "seriousness"}
    for section in spec.sections:
        assert section.queries
        cited = [a for p in section.parts if p.when is None and p.unless is None for a in p.anchors()]
        # A `when` and an `unless` on the same condition: one of the two always applies.
        when = {p.when.model_dump_json() for p in section.parts if p.when and p.anchors()}
        unless = {p.unless.model_dump_json() for p in section.parts if p.unless and p.anchors()}
        computed = {p.name for p in section.parts if p.kind == "generated"} & always_citing
        assert cited or when & unless or computed, f"{section.key} har inget citat som alltid följer med"
    assert len(spec.goals) == 10


def test_every_quote_in_the_template_is_used():
    """A quote nobody cites is dead weight in a reviewed file."""
    import re
    from pathlib import Path

    from assistant.drafts.profiles import anchors_used, load_categories, load_org_types

    spec = load_spec()
    code = "\n".join(p.read_text(encoding="utf-8") for p in Path("assistant/drafts").glob("*.py"))
    yaml_text = Path("assistant/drafts/sections.yaml").read_text(encoding="utf-8").split("\nanchors:", 1)
    used = anchors_used(load_categories(), load_org_types())
    used |= set(re.findall(r"\[\[([a-z0-9_]+)\]\]", yaml_text[0] + yaml_text[1].split("\n# ESV", 1)[1] + code))
    assert set(spec.anchors) - used == set()


@pytest.mark.parametrize(("total", "level"), [
    (900e6, "Mycket stora myndigheter"), (800_000_001, "Mycket stora myndigheter"),
    (800e6, "Stora myndigheter"), (200e6, "Stora myndigheter"), (199_999_999, "Små myndigheter"),
    (0, "Små myndigheter"),
])
def test_esv_levels_follow_the_roadmaps_thresholds(total, level):
    assert load_spec().esv.level_for(total).name == level


def test_keywords_match_whole_words():
    assert keyword_in("små företag", "Fler små företag ska delta") and not keyword_in("it", "kvalitet")
    assert keyword_in("beredskap", "Livsmedelsberedskap vid kris")


def test_input_model_is_json_serialisable_for_the_ui():
    inp = StrategyInput(organisation="X", typ="bolag", kategori="IT", datum=dt.date(2026, 1, 1))
    assert StrategyInput.model_validate_json(inp.model_dump_json()) == inp
