"""Bad ambitionsgraf input: every problem is reported at once, in Swedish, naming the respondent, the
id and what is allowed – and nothing is computed."""

from __future__ import annotations

import json

import pytest

from assistant.ambitionsgraf import parse_assessment, read_assessment_file
from assistant.ambitionsgraf.inputs import AssessmentInputError, duplicate_respondents
from assistant.errors import InputError

from .ambitionsgraf_fixtures import EXAMPLE_2025, assessment, example, respondent


def problems_of(data) -> AssessmentInputError:
    with pytest.raises(AssessmentInputError) as info:
        parse_assessment(data)
    err = info.value
    assert isinstance(err, InputError) and err.exit_code == 2
    return err


def test_valid_input_parses():
    a = parse_assessment(example())
    assert a.organisation == "Exempelkommun" and a.datum.isoformat() == "2025-03-31"
    assert [r.role for r in a.respondents] == ["politisk ledning", "inköpschef", "verksamhetsföreträdare"]
    assert parse_assessment(json.dumps(example())) == a
    assert read_assessment_file(EXAMPLE_2025) == a


@pytest.mark.parametrize("value", [0, 5, -1, 40])
def test_value_outside_scale(value):
    err = problems_of(assessment(respondent(overrides={"V2.3": value})))
    (p,) = err.problems
    assert (p.respondent, p.role, p.field) == (1, "inköpschef", "V2.3")
    assert f"värdet {value} ligger utanför skalan" in str(err)
    assert "heltal 1–4" in str(err) and "4 = Instämmer i hög grad" in str(err)


@pytest.mark.parametrize(("qid", "value", "shown"), [
    ("V1.2", "3", 'text "3"'),
    ("V1.2", 3.0, "decimaltal 3.0"),
    ("V1.2", 2.5, "decimaltal 2.5"),
    ("H1", True, "true/false true"),  # a bool is not a scale answer (True == 1 in Python)
    ("H1", None, "null"),
    ("V1.1", 1, "heltal 1"),
    ("V1.1", "ja", 'text "ja"'),
])
def test_wrong_type(qid, value, shown):
    err = problems_of(assessment(respondent(overrides={qid: value})))
    (p,) = err.problems
    assert p.field == qid
    assert f"fel typ ({shown})" in p.message
    if qid == "V1.1":
        assert "true (ja, 3 poäng) eller false (nej, 0 poäng)" in p.message
    else:
        assert "heltal 1–4" in p.message


def test_missing_id():
    data = assessment(respondent())
    del data["respondents"][0]["answers"]["H4"]
    err = problems_of(data)
    (p,) = err.problems
    assert p.field == "H4" and "svar saknas" in p.message and "heltal 1–4" in p.message


def test_unknown_id_lists_allowed_ids_and_suggests():
    err = problems_of(assessment(respondent(overrides={"V1.6": 3, "h2": 3})))
    fields = {p.field: p.message for p in err.problems}
    assert set(fields) == {"V1.6", "h2"}
    assert "okänt id" in fields["V1.6"]
    assert "V1.1–V1.5, V2.1–V2.4, V3.1–V3.5, H1–H5 samt V3.4_omfattning och V3.5_frekvens" in fields["V1.6"]
    assert "Menade du H2?" in fields["h2"]


def test_missing_scope_for_v34():
    data = assessment(respondent())
    del data["respondents"][0]["answers"]["V3.4_omfattning"]
    err = problems_of(data)
    (p,) = err.problems
    assert p.field == "V3.4_omfattning"
    assert "saknas (krävs för V3.4)" in p.message
    assert '"delar" (delar av inköpsportföljen, vikt 0,5) eller "hela" (hela inköpsportföljen, vikt 1)' in p.message


def test_bad_scope_and_frequency():
    err = problems_of(assessment(respondent(overrides={"V3.4_omfattning": "allt", "V3.5_frekvens": "vecka"})))
    fields = {p.field: p.message for p in err.problems}
    assert '"allt" är inte tillåtet' in fields["V3.4_omfattning"]
    assert '"vecka" är inte tillåtet' in fields["V3.5_frekvens"]
    assert '"månad", "kvartal", "år"' in fields["V3.5_frekvens"]


def test_frequency_is_optional_and_may_be_null():
    a = parse_assessment(assessment(respondent(overrides={"V3.5_frekvens": None})))
    assert "V3.5_frekvens" not in a.respondents[0].answers


def test_empty_respondent_list():
    err = problems_of({"organisation": "X", "respondents": []})
    assert [p.field for p in err.problems] == ["respondents"]
    assert "listan är tom" in str(err)


@pytest.mark.parametrize(("data", "field", "text"), [
    ({"respondents": [respondent()]}, "organisation", "saknas"),
    ({"organisation": "  ", "respondents": [respondent()]}, "organisation", "icke-tom text"),
    ({"organisation": 12, "respondents": [respondent()]}, "organisation", "inte 12"),
    ({"organisation": "X"}, "respondents", "saknas"),
    ({"organisation": "X", "respondents": {"role": "a"}}, "respondents", "ska vara en lista"),
    ({"organisation": "X", "respondents": [respondent()], "kommun": "Y"}, "kommun", "okänd nyckel"),
    ({"organisation": "X", "respondents": [respondent()], "datum": "31/3 2025"}, "datum", "ÅÅÅÅ-MM-DD"),
])
def test_top_level_problems(data, field, text):
    err = problems_of(data)
    (p,) = err.problems
    assert p.field == field and text in p.message


@pytest.mark.parametrize(("resp", "field", "text"), [
    ("inköpschef", None, "ska vara ett objekt med role och answers"),
    ({"answers": {}}, "role", "saknas – ange den svarandes roll, t.ex. politisk ledning"),
    ({"role": "inköpschef"}, "answers", "saknas"),
    ({"role": "inköpschef", "answers": [3, 3]}, "answers", "ska vara ett objekt"),
])
def test_respondent_structure(resp, field, text):
    err = problems_of({"organisation": "X", "respondents": [resp]})
    p = err.problems[0]
    assert p.respondent == 1 and p.field == field and text in p.message


def test_top_level_must_be_object():
    err = problems_of("[1, 2, 3]")
    assert "JSON-objekt" in str(err)


def test_every_problem_is_named_with_its_respondent():
    data = assessment(
        respondent("politisk ledning", overrides={"V1.2": 7}),
        respondent("inköpschef"),
        respondent("verksamhetsföreträdare", overrides={"H5": "bra", "V1.1": "nej"}),
    )
    del data["respondents"][1]["answers"]["V3.4_omfattning"]
    err = problems_of(data)
    where = [(p.respondent, p.role, p.field) for p in err.problems]
    assert where == [
        (1, "politisk ledning", "V1.2"),
        (2, "inköpschef", "V3.4_omfattning"),
        (3, "verksamhetsföreträdare", "V1.1"),
        (3, "verksamhetsföreträdare", "H5"),
    ]
    text = str(err)
    assert text.startswith("Bedömningen har 4 fel, så ingenting har räknats ut:")
    assert "svarande 1 (politisk ledning), V1.2:" in text
    assert "svarande 3 (verksamhetsföreträdare), H5:" in text


def test_duplicate_keys_are_rejected_not_silently_overwritten():
    text = json.dumps(assessment(respondent())).replace('"V1.3": 3', '"V1.3": 3, "V1.3": 1')
    err = problems_of(text)
    (p,) = err.problems
    assert p.field == "V1.3" and "flera gånger" in p.message


@pytest.mark.parametrize(("text", "expected"), [
    ('{"organisation": "X", "respondents": [}', "rad 1, kolumn"),
    ('{"organisation": "X",\n "respondents": []', "rad 2"),
    ("", "tom"),
    ('{"organisation": "X", "respondents": [],}', "dubbla citattecken"),
])
def test_malformed_json(text, expected):
    err = problems_of(text)
    assert expected in str(err)
    assert "Traceback" not in str(err)


def test_missing_file(tmp_path):
    with pytest.raises(AssessmentInputError, match="finns inte"):
        read_assessment_file(tmp_path / "saknas.json")


def test_directory_and_non_utf8(tmp_path):
    with pytest.raises(AssessmentInputError, match="är en mapp"):
        read_assessment_file(tmp_path)
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"organisation": "Växjö"}'.encode("latin-1"))
    with pytest.raises(AssessmentInputError, match="UTF-8"):
        read_assessment_file(latin1)


def test_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "bedomning.json"
    bad.write_text(json.dumps(assessment(respondent(overrides={"H1": 9}))), encoding="utf-8")
    with pytest.raises(AssessmentInputError) as info:
        read_assessment_file(bad)
    assert str(bad) in str(info.value) and "H1" in str(info.value)


def test_whitespace_is_trimmed():
    a = parse_assessment(assessment(respondent(" inköpschef "), organisation="  Testkommun "))
    assert a.organisation == "Testkommun" and a.respondents[0].role == "inköpschef"


def test_utf8_bom_is_accepted_in_bytes_text_and_files(tmp_path):
    text = json.dumps(example(), ensure_ascii=False)
    expected = parse_assessment(text)
    assert parse_assessment(b"\xef\xbb\xbf" + text.encode("utf-8")) == expected
    assert parse_assessment("\ufeff" + text) == expected
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert read_assessment_file(path) == expected


def test_utf16_is_named(tmp_path):
    path = tmp_path / "utf16.json"
    path.write_text(json.dumps(example(), ensure_ascii=False), encoding="utf-16")
    err = problems_of_file(path)
    assert "UTF-16" in str(err) and "UTF-8" in str(err)


def problems_of_file(path) -> AssessmentInputError:
    with pytest.raises(AssessmentInputError) as info:
        read_assessment_file(path)
    return info.value


@pytest.mark.parametrize(("text", "expected"), [
    ("[" * 100_000 + "]" * 100_000, "för djupt nästlad"),
    ('{"organisation": ' + "[" * 50_000 + "]" * 50_000 + "}", "för djupt nästlad"),
    ('{"organisation": "X", "respondents": ' + "9" * 5000 + "}", "heltal har fler siffror"),
    ('{"organisation": "\\ud800", "respondents": []}', "ensamt surrogattecken"),
    ('{"organisation": "X\\q"}', "ogiltig \\-kod"),
])
def test_hostile_json_gets_a_swedish_message(text, expected):
    err = problems_of(text)
    assert expected in str(err)
    str(err).encode("utf-8")  # printable as it stands


def test_deeply_nested_python_input_is_refused():
    nested: list = []
    for _ in range(100_000):
        nested = [nested]
    err = problems_of({"organisation": "X", "respondents": [{"role": "inköpschef", "answers": {"V1.1": nested}}]})
    assert "för djupt nästlad" in str(err)


def test_size_limit_for_files(tmp_path, monkeypatch):
    from assistant.ambitionsgraf import inputs

    monkeypatch.setattr(inputs, "MAX_FILE_BYTES", 500)
    path = tmp_path / "stor.json"
    path.write_text(json.dumps(example()), encoding="utf-8")
    assert "största tillåtna storlek" in str(problems_of_file(path))


def test_duplicate_respondents_are_listed_but_not_rejected():
    a = parse_assessment(assessment(respondent("inköpschef"), respondent("politisk ledning", value=2),
                                    respondent("inköpschef"), respondent("verksamhetsföreträdare", value=2)))
    warnings = duplicate_respondents(a)
    assert warnings == [
        "Svarande 1 (inköpschef) och 3 (inköpschef) har exakt samma svar på alla frågor. Kontrollera att ingen har "
        "matats in två gånger – alla räknas med i organisationens punkt.",
        "Svarande 2 (politisk ledning) och 4 (verksamhetsföreträdare) har exakt samma svar på alla frågor. "
        "Kontrollera att ingen har matats in två gånger – alla räknas med i organisationens punkt.",
    ]
    assert duplicate_respondents(parse_assessment(example())) == []
