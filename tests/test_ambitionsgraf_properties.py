"""Property-based tests of the score input (hypothesis): whatever comes in – random bytes, random JSON,
a valid assessment with one thing broken – the result is a score or a clear Swedish error, never a
traceback, and an input that is accepted is scored exactly as written (no answer silently changed)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assistant.ambitionsgraf import evaluate, parse_assessment
from assistant.ambitionsgraf.inputs import AssessmentInputError
from assistant.ambitionsgraf.rubric import FREQUENCY_KEY, SCOPE_KEY

from .ambitionsgraf_fixtures import ALL_IDS, EXAMPLE_2025, assessment, respondent, run_main
from .ambitionsgraf_fixtures import example as example_input

# No example database in the repository; each run explores afresh (a failure prints its reproduction).
PROPERTY = settings(max_examples=100, deadline=None, database=None)
ENGLISH = re.compile(r"Traceback|Expecting|Error\b|object has no|not subscriptable|unhashable|line \d+ column")

json_scalars = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=True) | \
    st.text(max_size=20)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4) |
                           st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=20)
answer_keys = st.sampled_from([*ALL_IDS, SCOPE_KEY, FREQUENCY_KEY, "v1.1", "V9.9", "", "role"])


def _outcome(data: Any) -> None:
    """The contract: an Assessment, or an AssessmentInputError whose message is Swedish and printable."""
    try:
        parse_assessment(data)
    except AssessmentInputError as err:
        message = str(err)
        message.encode("utf-8")
        assert message.startswith("Bedömningen") and err.problems
        assert not ENGLISH.search(message), message


@PROPERTY
@given(st.binary(max_size=300))
@example(b"\xef\xbb\xbf")
@example(b"\xff\xfe{\x00}\x00")
@example(b"[" * 5000)
def test_any_bytes(raw):
    _outcome(raw)


@PROPERTY
@given(json_values)
def test_any_json_value(value):
    _outcome(json.dumps(value))
    _outcome(value)


@st.composite
def broken_assessments(draw) -> dict[str, Any]:
    """A valid assessment with one to three things changed: a value replaced, a key removed or added."""
    data = assessment(respondent("inköpschef"), respondent("politisk ledning", value=2, scope="delar"))
    for _ in range(draw(st.integers(1, 3))):
        target = draw(st.sampled_from(["top", "respondent", "answers"]))
        if target == "top":
            obj = data
            key = draw(st.sampled_from(["organisation", "respondents", "datum", "extra"]))
        else:
            respondents = data.get("respondents")
            if not isinstance(respondents, list) or len(respondents) < 2:
                continue
            resp = respondents[draw(st.integers(0, 1))]
            if not isinstance(resp, dict):
                continue
            obj = resp if target == "respondent" else resp.get("answers")
            if not isinstance(obj, dict):
                continue
            key = draw(st.sampled_from(["role", "answers", "x"])) if target == "respondent" else draw(answer_keys)
        if draw(st.booleans()):
            obj.pop(key, None)
        else:
            obj[key] = draw(json_values)
    return data


@PROPERTY
@given(broken_assessments())
def test_broken_assessment_is_scored_as_written_or_refused(data):
    try:
        parsed = parse_assessment(json.dumps(data))
    except AssessmentInputError as err:
        assert not ENGLISH.search(str(err)), str(err)
        return
    # Accepted: every answer is the one in the input (a null frequency means "not given").
    for given_resp, parsed_resp in zip(data["respondents"], parsed.respondents, strict=True):
        expected = {k: v for k, v in given_resp["answers"].items() if not (k == FREQUENCY_KEY and v is None)}
        assert parsed_resp.answers == expected and parsed_resp.role == given_resp["role"].strip()


@settings(max_examples=25, deadline=None, database=None)
@given(st.lists(st.tuples(st.sampled_from(["inköpschef", "politisk ledning", "verksamhetsföreträdare"]),
                          st.fixed_dictionaries({q: st.integers(1, 4) for q in ALL_IDS if q != "V1.1"}),
                          st.booleans(), st.sampled_from(["delar", "hela"])), min_size=1, max_size=5))
def test_valid_answers_always_score_within_the_scale(rows):
    data = {"organisation": "Egenskapskommun",
            "respondents": [{"role": role, "answers": {**answers, "V1.1": goals, SCOPE_KEY: scope}}
                            for role, answers, goals, scope in rows]}
    result = evaluate(data)
    assert 0.9 - 1e-9 <= result.vertical <= 4 and 1 <= result.horizontal <= 4
    assert result.n_respondents == len(rows)
    duplicates = len(rows) - len({json.dumps(r["answers"], sort_keys=True) for r in data["respondents"]})
    assert bool(result.warnings) == (duplicates > 0)


@settings(max_examples=20, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.binary(max_size=200), broken_assessments().map(lambda d: json.dumps(d).encode())))
def test_the_score_command_never_shows_a_traceback(monkeypatch, capsys, tmp_path, content):
    path = tmp_path / "bedomning.json"
    path.write_bytes(content)
    code, out, err = run_main(monkeypatch, capsys, "score", str(path), "--json")
    assert code in (0, 2), err
    assert "Traceback" not in err
    if code == 0:
        assert json.loads(out)["organisation"]
    else:
        assert err.startswith("Fel: Bedömningen i ") and out == ""


def test_the_valid_example_is_not_refused_by_the_mutation_harness():
    # The property above would pass vacuously if the base assessment itself were invalid.
    assert parse_assessment(json.dumps(assessment(respondent("inköpschef"),
                                                  respondent("politisk ledning", value=2, scope="delar"))))
    assert evaluate(example_input(EXAMPLE_2025)).n_respondents == 3


@pytest.fixture(autouse=True)
def _history_in_tmp(tmp_path, monkeypatch):
    from assistant.config import get_settings

    monkeypatch.setenv("KATEGORI_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
