"""Ambitionsgrafen: the computation against hand-computed values, the rubric against the report text,
and the advice against the passages it must cite."""

from __future__ import annotations

import json

import pytest

from assistant.ambitionsgraf import (
    Assessment,
    evaluate,
    load_rubric,
    parse_assessment,
    rubric_quote_problems,
    score,
)
from assistant.ambitionsgraf.advice import section_label
from assistant.ambitionsgraf.inputs import AssessmentInputError
from assistant.ambitionsgraf.models import Respondent
from assistant.ambitionsgraf.rubric import Rubric
from assistant.config import Settings
from assistant.errors import KategoriError

from .ambitionsgraf_fixtures import ALL_IDS, EXAMPLE_2025, answers, assessment, example, respondent

TOL = 1e-9


def approx(x: float):
    return pytest.approx(x, abs=TOL, rel=0)


def _score(data: dict):
    return score(parse_assessment(data))


# ---------------------------------------------------------------------------------------- hand-computed


def test_all_top_answers():
    # V1 = (3 [ja] + 4*4) / 5 = 3.8; V2 = 16/4 = 4; V3 = (4+4+4+1*4+4)/5 = 4; H = 20/5 = 4
    r = _score(assessment(respondent(value=4, goals=True, scope="hela")))
    assert r.areas == {"V1": approx(3.8), "V2": approx(4.0), "V3": approx(4.0)}
    assert r.vertical == approx(11.8 / 3)  # 3.9333…: the Bilaga's ja = 3 keeps the axis below 4
    assert r.horizontal == approx(4.0)
    assert r.weak_items == []
    assert r.levels.vertical == "Systematiskt" and r.levels.horizontal == "Systematiskt"


def test_all_bottom_answers():
    # V1 = (0 [nej] + 4*1)/5 = 0.8; V2 = 4/4 = 1; V3 = (1+1+1+0.5*1+1)/5 = 0.9; H = 5/5 = 1
    r = _score(assessment(respondent(value=1, goals=False, scope="delar")))
    assert r.areas == {"V1": approx(0.8), "V2": approx(1.0), "V3": approx(0.9)}
    assert r.vertical == approx(0.9)
    assert r.horizontal == approx(1.0)
    weak = {(w.question_id, w.trigger) for w in r.weak_items}
    assert weak == {(qid, "svag") for qid in ALL_IDS} | {("V3.4", "delar")}
    assert r.levels.vertical == "Inte systematiskt"


MIXED = {"V1.1": True, "V1.2": 2, "V1.3": 4, "V1.4": 1, "V1.5": 3,
         "V2.1": 3, "V2.2": 2, "V2.3": 4, "V2.4": 1,
         "V3.1": 4, "V3.2": 2, "V3.3": 3, "V3.4": 4, "V3.5": 1,
         "H1": 4, "H2": 3, "H3": 2, "H4": 1, "H5": 4}


def test_mixed_answers_with_part_portfolio_follow_up():
    # V1 = (3+2+4+1+3)/5 = 2.6; V2 = (3+2+4+1)/4 = 2.5
    # V3 = (4+2+3+0.5*4+1)/5 = 12/5 = 2.4 ("delar" halves V3.4); vertical = (2.6+2.5+2.4)/3 = 2.5
    # H = (4+3+2+1+4)/5 = 2.8
    r = _score(assessment(respondent(overrides={**MIXED, "V3.4_omfattning": "delar"})))
    assert r.areas == {"V1": approx(2.6), "V2": approx(2.5), "V3": approx(2.4)}
    assert r.vertical == approx(2.5)
    assert r.horizontal == approx(2.8)
    v34 = r.spread.questions["V3.4"].answers[0]
    assert (v34.points, v34.weight, v34.scope) == (4.0, 0.5, "delar")


def test_whole_portfolio_weighs_fully():
    # Same answers with "hela": V3 = (4+2+3+4+1)/5 = 2.8; vertical = (2.6+2.5+2.8)/3 = 7.9/3
    r = _score(assessment(respondent(overrides={**MIXED, "V3.4_omfattning": "hela"})))
    assert r.areas["V3"] == approx(2.8)
    assert r.vertical == approx(7.9 / 3)


def test_reporting_frequency_is_recorded_but_does_not_score():
    base = _score(assessment(respondent(overrides=MIXED)))
    for freq in ("månad", "kvartal", "år"):
        r = _score(assessment(respondent(overrides={**MIXED, "V3.5_frekvens": freq})))
        assert (r.vertical, r.horizontal, r.areas) == (base.vertical, base.horizontal, base.areas)
        assert r.spread.questions["V3.5"].answers[0].frequency == freq


def test_several_respondents_example_file():
    # Hand-computed per respondent (see examples/exempelkommun-2025.json):
    #   politisk ledning:       V1 13/5=2.6, V2 8/4=2, V3 (4+3+3+1.5+3)/5=2.9, vert 7.5/3=2.5,  H 14/5=2.8
    #   inköpschef:             V1 14/5=2.8, V2 8/4=2, V3 (4+4+3+1.5+4)/5=3.3, vert 8.1/3=2.7,  H 13/5=2.6
    #   verksamhetsföreträdare: V1 7/5=1.4,  V2 8/4=2, V3 (4+2+2+2+2)/5=2.4,    vert 5.8/3,      H 9/5=1.8
    r = score(parse_assessment(example()))
    by_role = {x.role: x for x in r.respondents}
    assert by_role["politisk ledning"].areas == {"V1": approx(2.6), "V2": approx(2.0), "V3": approx(2.9)}
    assert by_role["politisk ledning"].vertical == approx(2.5)
    assert by_role["inköpschef"].vertical == approx(2.7)
    assert by_role["inköpschef"].horizontal == approx(2.6)
    assert by_role["verksamhetsföreträdare"].vertical == approx(5.8 / 3)
    assert by_role["verksamhetsföreträdare"].horizontal == approx(1.8)
    # The organisation's point is the mean of the respondents' points (and areas).
    assert r.vertical == approx((7.5 + 8.1 + 5.8) / 9)
    assert r.horizontal == approx((2.8 + 2.6 + 1.8) / 3)
    assert r.areas == {"V1": approx(6.8 / 3), "V2": approx(2.0), "V3": approx(8.6 / 3)}
    assert r.n_respondents == 3


def test_two_extreme_respondents_average():
    r = _score(assessment(respondent("politisk ledning", value=4, goals=True, scope="hela"),
                          respondent("verksamhetsföreträdare", value=1, goals=False, scope="delar")))
    assert r.vertical == approx((11.8 / 3 + 0.9) / 2)
    assert r.horizontal == approx(2.5)
    assert r.areas == {"V1": approx(2.3), "V2": approx(2.5), "V3": approx(2.45)}
    assert r.spread.axes["vertical"].min == approx(0.9)
    assert r.spread.axes["vertical"].max == approx(11.8 / 3)
    assert r.spread.axes["horizontal"].range == approx(3.0)
    # Every question differs by 3 steps (or ja/nej, or delar/hela) and is flagged.
    assert r.spread.flagged == ALL_IDS
    assert any("omfattning" in reason for reason in r.spread.questions["V3.4"].reasons)
    assert r.spread.questions["V1.1"].min == 0 and r.spread.questions["V1.1"].max == 3


def test_order_of_respondents_does_not_change_the_point():
    data = example()
    forward = _score(data)
    data["respondents"].reverse()
    backward = _score(data)
    assert (forward.vertical, forward.horizontal, forward.areas) == \
        (backward.vertical, backward.horizontal, backward.areas)


def test_evaluation_is_deterministic():
    a = evaluate(example()).to_json_dict()
    b = evaluate(json.dumps(example())).to_json_dict()
    assert a == b


# ----------------------------------------------------------------------------- weak items and spread


@pytest.mark.parametrize(("values", "weak"), [((2, 2), True), ((1, 3), True), ((2, 3), False), ((1, 2, 4), False)])
def test_weak_when_organisation_mean_at_most_two(values, weak):
    r = _score(assessment(*[respondent(overrides={"V1.4": v}) for v in values]))
    items = [w for w in r.weak_items if w.question_id == "V1.4"]
    assert bool(items) is weak
    if weak:
        assert items[0].mean == approx(sum(values) / len(values))
        assert items[0].roles == ["inköpschef"] * sum(v <= 2 for v in values)


@pytest.mark.parametrize(("goals", "weak"), [((False, True), True), ((False, True, True), False), ((True,), False)])
def test_goals_weak_when_at_least_half_say_no(goals, weak):
    r = _score(assessment(*[respondent(goals=g) for g in goals]))
    assert any(w.question_id == "V1.1" for w in r.weak_items) is weak


@pytest.mark.parametrize(("scopes", "advised"), [(("delar", "hela"), True), (("delar", "hela", "hela"), False)])
def test_part_portfolio_advice_when_at_least_half_say_delar(scopes, advised):
    r = _score(assessment(*[respondent(scope=s) for s in scopes]))
    assert any(w.question_id == "V3.4" and w.trigger == "delar" for w in r.weak_items) is advised


@pytest.mark.parametrize(("a", "b", "flagged"), [(2, 3, False), (2, 4, True), (1, 4, True), (3, 3, False)])
def test_spread_flags_two_scale_steps(a, b, flagged):
    r = _score(assessment(respondent("inköpschef", overrides={"H5": a}),
                          respondent("verksamhetsföreträdare", overrides={"H5": b})))
    st = r.spread.questions["H5"]
    assert (st.min, st.max, st.difference) == (min(a, b), max(a, b), abs(a - b))
    assert st.flagged is flagged
    assert ("H5" in r.spread.flagged) is flagged
    assert [x.role for x in st.answers] == ["inköpschef", "verksamhetsföreträdare"]


def test_levels_follow_rubric_bands():
    levels = load_rubric().levels
    assert [levels.name_for(x) for x in (0.9, 2.49, 2.5, 3.49, 3.5, 4.0)] == [
        "Inte systematiskt", "Inte systematiskt", "Delvis systematiskt", "Delvis systematiskt",
        "Systematiskt", "Systematiskt"]


def test_hand_built_assessment_is_validated_before_scoring():
    bad = Assessment(organisation="X", respondents=[Respondent(role="inköpschef", answers={"V1.1": True})])
    with pytest.raises(AssessmentInputError) as info:
        score(bad)
    assert "V1.2" in str(info.value) and "V3.4_omfattning" in str(info.value)


# ----------------------------------------------------------------------------------------- the rubric


def test_rubric_ids_are_the_contract():
    rubric = load_rubric()
    assert rubric.question_ids == ALL_IDS
    assert [a.id for a in rubric.areas] == ["V1", "V2", "V3", "H"]
    assert [a.divisor for a in rubric.areas] == [5, 4, 5, 5]
    assert [a.divisor_basis for a in rubric.areas] == ["tolkning", "tolkning", "bilaga", "bilaga"]
    v11 = rubric.question("V1.1")
    assert (v11.answer_type, v11.points) == ("ja_nej", {"ja": 3, "nej": 0})
    assert rubric.question("V3.4").weight_by_scope == {"delar": 0.5, "hela": 1.0}
    assert rubric.question("V3.5").weight == 1 and rubric.question("V3.5").frequencies == ["månad", "kvartal", "år"]
    assert [(o.value, o.label) for o in rubric.scale.options] == [
        (4, "Instämmer i hög grad"), (3, "Instämmer delvis"), (2, "Instämmer inte helt"), (1, "Instämmer inte alls")]


def test_ui_roles_are_the_reports_roles():
    from assistant.ambitionsgraf import ROLES

    assert list(ROLES) == load_rubric().roles.names
    assert cite_text(load_rubric().roles.quote).startswith("Verktyget testades på den politiska ledningen")


def cite_text(quote: str) -> str:
    from assistant.ambitionsgraf import cite

    return cite(quote).quote


def test_every_rubric_quote_is_verbatim_in_the_report_and_in_its_section():
    assert rubric_quote_problems() == []


def test_quote_check_catches_invented_and_misplaced_quotes():
    rubric = load_rubric()
    raw = rubric.model_dump(by_alias=True)
    advice = raw["areas"][0]["questions"][3]["advice"][0]  # V1.4
    advice["quotes"] = [
        {"section": "6.4.1", "quote": "En spendanalys ska alltid göras varje kvartal av en extern konsult."},
        {"section": "6.4.3", "quote": "För de flesta organisationer behövs en inledande orientering"},
    ]
    problems = rubric_quote_problems(Rubric.model_validate(raw))
    assert len(problems) == 2
    assert "finns inte ordagrant" in problems[0]
    assert "6.4.1 Orientering" in problems[1] and "inte i 6.4.3" in problems[1]


def test_question_texts_come_from_the_bilaga():
    from assistant.ambitionsgraf import cite

    for q in load_rubric().questions:
        passage = cite(q.bilaga_line or q.text)
        assert passage.section.startswith("Bilaga Enkätfrågor"), q.id
        assert passage.page in (60, 61), q.id


def test_interpretations_are_documented_in_output():
    ev = evaluate(example())
    ids = [i.id for i in ev.interpretations]
    assert ids == [f"T{n}" for n in range(1, 10)]
    t1 = ev.interpretations[0]
    assert t1.basis == "tolkning" and "område 1 och 2" in t1.text.lower()
    assert t1.citation is not None and t1.citation.section.startswith("Bilaga Enkätfrågor")
    assert "verktygets egen läsning" in ev.levels.basis


# ------------------------------------------------------------------------------------------ the advice


EXPECTED_SECTIONS = {
    "V1.1": "6.4.2", "V1.2": "6.4.2", "V1.3": "6.4.2", "V1.4": "6.4.1", "V1.5": "6.4.3",
    "V2.1": "6.4.4", "V2.2": "6.4.4", "V2.3": "6.4.1", "V2.4": "6.4.4",
    "V3.1": "2.4.2", "V3.2": "6.4.2", "V3.3": "6.4.3", "V3.4": "6.4.4", "V3.5": "6.4.4",
    "H1": "2.4.1", "H2": "2.4.2", "H3": "2.4.3", "H4": "6.4.3", "H5": "2.3",
}


def test_every_weak_item_gets_advice_citing_the_right_passage():
    ev = evaluate(assessment(respondent(value=1, goals=False, scope="delar")))
    recs = {(r.question_id, r.trigger): r for r in ev.recommendations}
    assert set(recs) == {(qid, "svag") for qid in ALL_IDS} | {("V3.4", "delar")}
    for qid, section in EXPECTED_SECTIONS.items():
        rec = recs[(qid, "svag")]
        first = rec.citations[0]
        assert section_label(first).startswith(section), (qid, first.section)
        assert first.doc_id == "uhm-andamalsenliga-inkopsorganisationer"
        assert first.publisher == "Upphandlingsmyndigheten" and first.year == 2022 and first.page > 0
        assert rec.advice and rec.question == load_rubric().question(qid).text
    assert section_label(recs[("V3.4", "delar")].citations[0]).startswith("6.4.4")
    # Ordered as the rubric: V1 → V2 → V3 → H.
    assert [r.question_id for r in ev.recommendations][:3] == ["V1.1", "V1.2", "V1.3"]


def test_citation_quote_is_the_document_text(tmp_path):
    ev = evaluate(assessment(respondent(overrides={"V1.4": 1})))
    (rec,) = ev.recommendations
    assert rec.question_id == "V1.4" and rec.mean == 1
    spend = rec.citations[0]
    assert spend.quote.startswith("För de flesta organisationer behövs en inledande orientering")
    assert spend.section.endswith("6.4.1 Orientering") and spend.page == 39
    assert spend.char_end > spend.char_start


def test_no_advice_when_nothing_is_weak():
    ev = evaluate(assessment(respondent(value=3), respondent("politisk ledning", value=4)))
    assert ev.recommendations == [] and ev.weak_items == []


def test_missing_corpus_is_a_user_facing_error(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "tom-korpus")
    (tmp_path / "tom-korpus").mkdir()
    with pytest.raises(KategoriError, match="finns inte i korpusen"):
        evaluate(assessment(respondent(value=1)), settings=settings)


@pytest.mark.slow
def test_index_gives_chunk_ids(seed_index, seed_settings):
    ev = evaluate(EXAMPLE_2025.read_text(encoding="utf-8"), settings=seed_settings, index=seed_index)
    for rec in ev.recommendations:
        for c in rec.citations:
            assert c.chunk_id, (rec.question_id, c.quote[:40])
            assert " ".join(c.quote.split()) in " ".join((c.chunk_text or "").split())


def test_answers_helper_is_complete():
    # Guards the fixtures the tests above rely on.
    assert set(answers()) == {*ALL_IDS, "V3.4_omfattning"}
