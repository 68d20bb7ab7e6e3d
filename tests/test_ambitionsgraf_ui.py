"""The Ambitionsgrafen page: the questionnaire state (respondents keep their identity and their answers
whatever happens to the others), the Swedish texts, and the page itself through Streamlit's AppTest."""

from __future__ import annotations

import json
from datetime import date

import pytest

from assistant.ambitionsgraf import Problem, evaluate, load_rubric
from assistant.ambitionsgraf.rubric import FREQUENCY_KEY, SCOPE_KEY
from assistant.config import REPO_ROOT, Settings, get_settings
from assistant.errors import InputError
from ui import ambitionsgraf_form as agf

from .ambitionsgraf_fixtures import EXAMPLE_2025, answers, example

RUBRIC = load_rubric()
APP = str(REPO_ROOT / "ui" / "app.py")


def _fill(state: dict, rid: int, values: dict) -> None:
    for field, value in values.items():
        state[agf.Form.key(rid, field)] = value


# ---- the form state, without Streamlit ---------------------------------------------------------------


def test_respondents_keep_their_answers_when_others_are_added_renamed_or_removed():
    state: dict = {}
    form = agf.Form(state, RUBRIC)
    assert form.ids == [1] and form.role(1) == "politisk ledning"
    _fill(state, 1, answers(4))
    two = form.add()
    assert form.active == two and form.role(two) == "förvaltningsledning"  # the new one is open
    _fill(state, two, answers(2, goals=False, scope="delar"))
    state[form.key(two, "role")] = "verksamhetsföreträdare"
    assert form.labels() == ["1. politisk ledning", "2. verksamhetsföreträdare"]
    assert form.open_tab() == "2. verksamhetsföreträdare" and state[agf.TABS_KEY] == "2. verksamhetsföreträdare"
    three = form.add()
    state[form.key(three, "role")] = agf.OTHER_ROLE
    state[form.key(three, "role_other")] = " ekonomichef "
    assert form.role(three) == "ekonomichef"

    form.remove(1)  # the first respondent goes; the others keep id, role and answers
    assert form.ids == [two, three] and form.labels() == ["1. verksamhetsföreträdare", "2. ekonomichef"]
    assert form.answers(two) == answers(2, goals=False, scope="delar")
    assert not any(k.startswith("ag_r1_") for k in state)
    form.remove(three)
    form.remove(two)  # the last respondent stays
    assert form.ids == [two] and form.active == two


def test_tab_callback_follows_the_users_choice():
    state: dict = {}
    form = agf.Form(state, RUBRIC)
    second = form.add()
    state[agf.TABS_KEY] = "1. politisk ledning"
    form.tab_selected()
    assert form.active == 1
    state[agf.TABS_KEY] = "2. förvaltningsledning"
    form.tab_selected()
    assert form.active == second


def test_import_fills_valid_answers_and_names_what_was_left_out():
    data = example()
    data["respondents"][1]["answers"]["V1.2"] = 7
    data["respondents"][1]["answers"]["V1.1"] = 1  # 1 is not true: type-aware
    data["respondents"][2]["answers"]["V9.9"] = 3
    data["datum"] = "31/3"
    raw = b"\xef\xbb\xbf" + json.dumps(data, ensure_ascii=False).encode("utf-8")
    loaded, notes = agf.read_import(raw, RUBRIC)
    assert notes == [
        'Datumet "31/3" kunde inte läsas – dagens datum används.',
        "Svarande 2 (inköpschef): svaret på V1.1 (1) finns inte bland svarsalternativen och lämnades obesvarat.",
        "Svarande 2 (inköpschef): svaret på V1.2 (7) finns inte bland svarsalternativen och lämnades obesvarat.",
        "Svarande 3 (verksamhetsföreträdare): V9.9 är ingen fråga i enkäten och lästes inte in.",
    ]
    state: dict = {}
    form = agf.Form(state, RUBRIC)
    form.load(loaded)
    assert [form.role(r) for r in form.ids] == ["politisk ledning", "inköpschef", "verksamhetsföreträdare"]
    assert form.answers(form.ids[0]) == example()["respondents"][0]["answers"]
    assert "V1.2" not in form.answers(form.ids[1]) and state["ag_date"] == date.today()
    count, missing = agf.missing_answers("Exempelkommun", form.respondents(), RUBRIC)
    assert count == 2 and missing == ["Svarande 2 (inköpschef): V1.1, V1.2"]


@pytest.mark.parametrize(("raw", "message"), [
    (b"{inte json", "Ogiltig JSON på rad 1"),
    (b'{"organisation": "x"}', "inte en exporterad bedömning"),
    ("[1]".encode("utf-16"), "UTF-16"),
])
def test_import_errors_are_swedish(raw, message):
    with pytest.raises(InputError, match=message):
        agf.read_import(raw, RUBRIC)


def test_missing_answers_name_fields_as_the_form_does_with_correct_plural():
    partial = {k: v for k, v in answers().items() if k not in ("H5", SCOPE_KEY)}
    count, lines = agf.missing_answers("", [{"role": "", "answers": partial}], RUBRIC)
    assert count == 4
    assert lines == ["Organisationens namn", "Svarande 1 (roll saknas): roll, H5, omfattning för V3.4"]
    assert agf.plural(1, "uppgift", "uppgifter") == "1 uppgift" and agf.plural(3, "uppgift", "uppgifter") == "3 uppgifter"
    count, _ = agf.missing_answers("X", [{"role": "inköpschef", "answers": answers()}], RUBRIC)
    assert count == 0


def test_answer_options_show_no_points():
    v11 = RUBRIC.question("V1.1")
    assert [agf.answer_label(v11, v, RUBRIC) for v in (True, False)] == ["Ja", "Nej"]
    assert agf.answer_label(RUBRIC.question("V1.2"), 3, RUBRIC) == "3 – Instämmer delvis"
    assert agf.SCOPE_LABELS == {"delar": "Delar av inköpsportföljen", "hela": "Hela inköpsportföljen"}


def test_problems_name_fields_as_the_form_does():
    p = Problem(respondent=2, role="inköpschef", field=SCOPE_KEY, message="saknas.")
    assert agf.problem_text(p) == "Svarande 2 (inköpschef), omfattning för V3.4: saknas."
    assert agf.problem_text(Problem(field="organisation", message="saknas.")) == "organisationens namn: saknas."
    assert agf.field_label(FREQUENCY_KEY) == "hur ofta (V3.5)"


def test_form_state_to_the_cli_json():
    data = agf.assessment_dict(" Exempelkommun ", date(2026, 3, 1), [{"role": "inköpschef", "answers": answers()}])
    assert data["organisation"] == "Exempelkommun" and data["datum"] == "2026-03-01"
    assert evaluate(data).vertical == pytest.approx(evaluate({"organisation": "X", "respondents": [
        {"role": "inköpschef", "answers": answers()}]}).vertical)


def test_spread_rows_list_only_flagged_questions():
    rows = agf.spread_rows(evaluate(example()).to_json_dict())
    assert [r["Fråga"].split()[0] for r in rows] == ["V1.1", "V1.3", "V3.2", "V3.4", "V3.5", "H5"]
    assert "verksamhetsföreträdare: nej" in rows[0]["Svar"]


def test_export_file_name_is_safe():
    assert agf.export_file_name(" Ö/stra  kommun ", date(2026, 1, 2), "pdf") == "ambitionsgraf-Östra-kommun-2026-01-02.pdf"


# ---- the page, through AppTest -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def index_copy(seed_settings, tmp_path_factory):
    """The seed index in a data directory of this module's own, so its history is not shared."""
    import shutil

    data = tmp_path_factory.mktemp("ambitionsgraf-ui") / "data"
    shutil.copytree(seed_settings.data_dir, data, ignore=shutil.ignore_patterns("ambitionsgraf.sqlite"))
    return data


@pytest.fixture
def page(index_copy, seed_settings, monkeypatch):
    """The app on the Ambitionsgrafen page, with the seed index and an empty history."""
    from streamlit.testing.v1 import AppTest

    (index_copy / "ambitionsgraf.sqlite").unlink(missing_ok=True)
    monkeypatch.setenv("KATEGORI_DATA_DIR", str(index_copy))
    monkeypatch.setenv("KATEGORI_CORPUS_DIR", str(seed_settings.corpus_dir))
    get_settings.cache_clear()
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("views/ambitionsgrafen.py").run()
    assert not at.exception, at.exception
    return at


def _set_answers(at, rid: int, values: dict) -> None:
    for field, value in values.items():
        if field == FREQUENCY_KEY:
            at.selectbox(key=f"ag_r{rid}_{field}").set_value(value)
        else:
            at.radio(key=f"ag_r{rid}_{field}").set_value(value)


def _button(at, label: str):
    return next(b for b in at.button if b.label == label)


def _texts(at) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "success", "warning", "error", "header",
                                  "subheader", "title") for e in at.get(kind) if isinstance(getattr(e, "value", None), str)]
    parts += [e.label for e in at.expander] + [r.label for r in at.radio] + [o for r in at.radio for o in r.options]
    return "\n".join(parts)


@pytest.mark.slow
def test_two_respondents_role_changes_and_both_answer_sets_survive(page):
    at = page
    at.text_input(key="ag_org").set_value("Rollkommun")
    first = answers(4, scope="hela")
    _set_answers(at, 1, first)
    at.run()
    _button(at, "Lägg till svarande").click().run()  # the button above the tabs
    assert at.session_state["ag_ids"] == [1, 2] and at.session_state["ag_active"] == 2
    assert at.session_state[agf.TABS_KEY] == "2. förvaltningsledning"  # the new respondent is open …
    assert any("scrollIntoView" in h.proto.body for h in at.get("html"))  # … and brought into view
    second = answers(2, goals=False, scope="delar", overrides={"H5": 1})
    _set_answers(at, 2, second)
    at.run()
    at.selectbox(key="ag_r2_role").set_value("verksamhetsföreträdare").run()
    assert at.session_state[agf.TABS_KEY] == "2. verksamhetsföreträdare" and at.session_state["ag_active"] == 2
    at.selectbox(key="ag_r1_role").set_value("inköpschef").run()
    assert not at.exception, at.exception

    form = agf.Form(at.session_state, RUBRIC)
    assert form.answers(1) == first and form.answers(2) == second
    assert [form.role(r) for r in form.ids] == ["inköpschef", "verksamhetsföreträdare"]
    expected = evaluate({"organisation": "Rollkommun", "respondents": [
        {"role": "inköpschef", "answers": first}, {"role": "verksamhetsföreträdare", "answers": second}]})
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Vertikal axel (ledningen)"] == agf.format_score(expected.vertical)
    assert metrics["Svarande"] == "2"

    # Removing the first respondent leaves the second one's answers where they were.
    at.button(key="ag_r1_remove").click().run()
    assert at.session_state["ag_ids"] == [2] and agf.Form(at.session_state, RUBRIC).answers(2) == second
    assert at.session_state[agf.TABS_KEY] == "1. verksamhetsföreträdare"


@pytest.mark.slow
def test_result_history_duplicates_delete_and_swedish_texts(page):
    at = page
    data = example(EXAMPLE_2025)
    at.session_state["ag_pending_import"] = agf.read_import(json.dumps(data).encode(), RUBRIC)[0]
    at.session_state["ag_import_notes"] = ("exempel.json", [])
    at.run()
    assert not at.exception, at.exception
    first = at.session_state["ag_ids"][0]
    assert at.radio(key=f"ag_r{first}_V1.1").options == ["Ja", "Nej"]
    assert at.radio(key=f"ag_r{first}_{SCOPE_KEY}").options == ["Delar av inköpsportföljen", "Hela inköpsportföljen"]
    assert "Alla frågor är besvarade" in _texts(at)
    # V3.4 is weak for some and partial for most: one expander for it, with both pieces of advice.
    v34 = [e for e in at.expander if e.label.startswith("V3.4")]
    assert [e.label for e in v34] == ["V3.4 Uppföljning av måluppfyllelse (minst hälften följer bara upp delar av "
                                      "portföljen)"]
    texts = _texts(at)
    for developer_word in ("vertical", "horizontal", "rubric.yaml", "kategori score", SCOPE_KEY, FREQUENCY_KEY,
                           "poäng)", "(bilaga)", "(tolkning)"):
        assert developer_word not in texts, developer_word

    _button(at, "Spara bedömningen i historiken").click().run()
    assert any("Sparad som bedömning 1" in s.value for s in at.success)
    _button(at, "Spara bedömningen i historiken").click().run()
    assert any("redan sparad som nummer 1" in w.value for w in at.warning)  # asked before a duplicate
    _button(at, "Avbryt").click().run()
    assert len(_history(at)) == 1
    _button(at, "Spara bedömningen i historiken").click().run()
    _button(at, "Spara ändå").click().run()
    rows = _history(at)
    assert list(rows["Nr"]) == [1, 2] and list(rows["Anmärkning"]) == ["", "dubblett av nr 1"]
    assert not any("+0,00" in str(df.value) for df in at.dataframe)
    assert "Ingen tidigare sparad bedömning med andra svar att jämföra med." in _texts(at)

    at.selectbox(key="ag_delete_choice").set_value(2)
    _button(at, "Ta bort den valda bedömningen").click().run()
    assert any("Bedömning 2 (Exempelkommun, 2025-03-31) är borttagen" in s.value for s in at.success)
    assert list(_history(at)["Nr"]) == [1]
    assert any(b.label == "Ladda ner rapporten (PDF)" for b in at.get("download_button"))


def _history(at):
    return next(df.value for df in at.dataframe if "Anmärkning" in df.value.columns)


@pytest.mark.slow
def test_damaged_history_is_shown_and_can_be_cleaned_up(page):
    import sqlite3
    from contextlib import closing

    from assistant.ambitionsgraf import HistoryStore

    store = HistoryStore.default(Settings())
    good = store.save(evaluate(example()))
    bad = store.save(evaluate(example()))
    with closing(sqlite3.connect(store.path)) as conn, conn:
        conn.execute("UPDATE assessments SET result_json = '{' WHERE id = ?", (bad.id,))
    at = page
    at.session_state["ag_pending_import"] = agf.read_import(json.dumps(example()).encode(), RUBRIC)[0]
    at.run()
    assert not at.exception, at.exception
    assert any(f"Bedömning {bad.id} (Exempelkommun)" in e.value and "skadad" in e.value for e in at.error)
    assert list(_history(at)["Nr"]) == [good.id]
    at.selectbox(key="ag_delete_choice").set_value(bad.id)
    _button(at, "Ta bort den valda bedömningen").click().run()
    assert not at.error and [e.id for e in store.list()] == [good.id]
