"""The ambitionsgraf chart (what is drawn, in Swedish) and the SQLite history (save, list, compare)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date

import pytest
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from pydantic import ValidationError

from assistant.ambitionsgraf import (
    HistoryStore,
    evaluate,
    format_history,
    load_rubric,
    make_figure,
    parse_assessment,
    save_png,
)
from assistant.ambitionsgraf.history import HistoryError, compare, earlier, snapshot
from assistant.config import Settings, get_settings
from assistant.errors import InputError

from .ambitionsgraf_fixtures import EXAMPLE_2025, EXAMPLE_2026, assessment, example, respondent


@pytest.fixture
def store(tmp_path):
    return HistoryStore(tmp_path / "hist" / "ambitionsgraf.sqlite")


def _texts(fig: Figure) -> list[str]:
    ax = fig.axes[0]
    out = [t.get_text() for t in fig.texts] + [t.get_text() for t in ax.texts]
    out += [ax.get_title(loc="left"), ax.get_xlabel(), ax.get_ylabel()]
    out += [t.get_text() for leg in fig.legends for t in leg.get_texts()]
    return out


# ------------------------------------------------------------------------------------------------ chart


def test_figure_shows_axes_respondents_and_mean():
    ev = evaluate(example())
    fig = make_figure(ev)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    rubric = load_rubric()
    assert rubric.axes.horizontal.name in ax.get_xlabel()
    assert rubric.axes.vertical.name in ax.get_ylabel()
    assert ax.get_xlim() == ax.get_ylim() == (0.75, 4.25)
    assert [t for t in ax.get_xticks()] == [1, 2, 3, 4]
    text = "\n".join(_texts(fig))
    assert "Ambitionsgrafen – Exempelkommun" in text
    for role in ("politisk ledning", "inköpschef", "verksamhetsföreträdare"):
        assert role in [t.get_text() for t in ax.texts]
    assert "Organisationens punkt (medelvärde av de svarande)" in text
    assert "Medelvärde\n(h 2,40 · v 2,38)" in text
    assert "Instämmer i hög grad" in text and "verktygets egen läsning" in text
    # Respondents and the mean are plotted at their computed coordinates.
    points = {c.get_gid(): tuple(c.get_offsets()[0]) for c in ax.collections}
    for r in ev.respondents:
        assert points[f"respondent-{r.index}"] == pytest.approx((r.horizontal, r.vertical), abs=1e-12)
    assert points["mean"] == pytest.approx((ev.horizontal, ev.vertical), abs=1e-12)
    assert not any(ln.get_gid() == "trail" for ln in ax.lines)  # no history, no trail


def test_figure_draws_history_as_trail(store):
    first = evaluate(EXAMPLE_2025.read_text(encoding="utf-8"))
    store.save(first)
    second = evaluate(EXAMPLE_2026.read_text(encoding="utf-8"))
    fig = make_figure(second, store.list("Exempelkommun"))
    ax = fig.axes[0]
    trail = [ln for ln in ax.lines if isinstance(ln, Line2D) and ln.get_gid() == "trail"]
    assert len(trail) == 1, "expected one trail line from the earlier assessment to the current one"
    xs, ys = list(trail[0].get_xdata()), list(trail[0].get_ydata())
    assert xs == pytest.approx([first.horizontal, second.horizontal], abs=1e-9)
    assert ys == pytest.approx([first.vertical, second.vertical], abs=1e-9)
    texts = _texts(fig)
    assert "2025-03-31" in [t.get_text() for t in ax.texts]
    assert "Tidigare bedömningar" in texts
    assert any("1 tidigare bedömning" in t for t in texts)


def test_identical_respondents_share_one_label():
    ev = evaluate(assessment(respondent("inköpschef"), respondent("inköpschef"), respondent("politisk ledning")))
    labels = [t.get_text() for t in make_figure(ev).axes[0].texts]
    assert "inköpschef (2), politisk ledning" in labels


def test_save_png(tmp_path):
    path = save_png(evaluate(example()), tmp_path / "graf.png", dpi=80)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (720, 800)  # 9 × 10 inches at 80 dpi
    with pytest.raises(InputError, match=r"\.png"):
        save_png(evaluate(example()), tmp_path / "graf.svg")


# ---------------------------------------------------------------------------------------------- history


def test_history_save_list_compare(store):
    assert store.list() == [] and not store.path.exists()  # reading never creates the database
    later = evaluate(EXAMPLE_2026.read_text(encoding="utf-8"))
    earlier_assessment = parse_assessment(example())
    earlier = evaluate(earlier_assessment)
    # Saved out of order: the list is ordered by assessment date, not by save time.
    s2 = store.save(later)
    s1 = store.save(earlier, earlier_assessment)
    assert store.path.is_file()
    entries = store.list("  EXEMPELKOMMUN ")
    assert [e.id for e in entries] == [s1.id, s2.id]
    assert [e.datum for e in entries] == [date(2025, 3, 31), date(2026, 3, 31)]
    assert entries[0].roles == ["politisk ledning", "inköpschef", "verksamhetsföreträdare"]

    cmp = store.compare("exempelkommun")
    assert (cmp.previous.id, cmp.current.id) == (s1.id, s2.id)
    assert cmp.axes["vertical"].change == pytest.approx(later.vertical - earlier.vertical, abs=1e-12)
    assert cmp.axes["horizontal"].change == pytest.approx(later.horizontal - earlier.horizontal, abs=1e-12)
    for area in ("V1", "V2", "V3"):
        assert cmp.areas[area].change == pytest.approx(later.areas[area] - earlier.areas[area], abs=1e-12)
    assert cmp.questions["V1.4"].previous == pytest.approx(5 / 3, abs=1e-12)
    assert cmp.questions["V1.4"].current == pytest.approx(11 / 3, abs=1e-12)
    assert cmp.rubric_changed is False

    stored = store.get(s1.id)
    assert stored.vertical == earlier.vertical and stored.respondents == earlier.respondents


def test_single_assessment_has_nothing_to_compare(store):
    store.save(evaluate(example()))
    cmp = store.compare("Exempelkommun")
    assert cmp.previous is None and cmp.axes == {}


def test_organisations_are_kept_apart(store):
    store.save(evaluate(assessment(respondent(), organisation="Norrby kommun")))
    store.save(evaluate(assessment(respondent(value=2), organisation="Söderby kommun")))
    assert store.organisations() == ["Norrby kommun", "Söderby kommun"]
    assert [e.organisation for e in store.list("söderby kommun")] == ["Söderby kommun"]
    with pytest.raises(InputError, match="Sparade organisationer: Norrby kommun, Söderby kommun"):
        store.compare("Mellanby")


def test_undated_assessment_gets_todays_date(store):
    saved = store.save(evaluate(assessment(respondent())))
    assert saved.datum == date.today()


def test_default_store_lives_in_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KATEGORI_DATA_DIR", str(tmp_path / "nydata"))
    get_settings.cache_clear()
    store = HistoryStore.default()
    assert store.path == tmp_path / "nydata" / "ambitionsgraf.sqlite"
    store.save(evaluate(example()))
    assert store.path.is_file()
    assert HistoryStore.default(Settings(data_dir=tmp_path / "annan")).path.parent == tmp_path / "annan"


def test_corrupt_database_is_a_user_error_and_is_left_as_it_was(tmp_path):
    path = tmp_path / "ambitionsgraf.sqlite"
    path.write_bytes(b"inte en databas" * 100)
    store = HistoryStore(path)
    for action in (store.list, lambda: store.save(evaluate(example())), lambda: store.delete(1),
                   lambda: store.duplicates(evaluate(example()))):
        with pytest.raises(HistoryError, match="kunde inte läsas: filen är ingen SQLite-databas") as info:
            action()
        assert "Flytta den åt sidan" in str(info.value) and info.value.exit_code == 1
    assert path.read_bytes() == b"inte en databas" * 100


def _damage(store: HistoryStore, entry_id: int, column: str, value: str) -> None:
    with closing(sqlite3.connect(store.path)) as conn, conn:
        conn.execute(f"UPDATE assessments SET {column} = ? WHERE id = ?", (value, entry_id))


@pytest.mark.parametrize(("column", "value", "reason"), [
    ("datum", "inte-datum", "datumet är inget giltigt datum"),
    ("result_json", "{trasig", "det sparade resultatet är inte giltig JSON"),
    ("result_json", '{"organisation": 3}', "fältet organisation i det sparade resultatet är fel"),
    ("saved_at", "igår", "datumet är inget giltigt datum"),
])
def test_damaged_row_is_named_and_the_others_stay_readable(store, column, value, reason):
    first = store.save(evaluate(example()))
    second = store.save(evaluate(EXAMPLE_2026.read_text(encoding="utf-8")))
    _damage(store, first.id, column, value)
    with pytest.raises(HistoryError) as info:
        store.list("Exempelkommun")
    message = str(info.value)
    assert f"Bedömning {first.id} (Exempelkommun)" in message and reason in message
    assert f"--delete {first.id}" in message and not isinstance(info.value, ValidationError)
    entries, damaged = store.scan("Exempelkommun")
    assert [e.id for e in entries] == [second.id] and [d.entry_id for d in damaged] == [first.id]
    assert "borttagen" in store.delete(first.id)
    assert [e.id for e in store.list("Exempelkommun")] == [second.id]


def test_several_damaged_rows_are_listed_together(store):
    ids = [store.save(evaluate(example())).id for _ in range(3)]
    _damage(store, ids[0], "datum", "x")
    _damage(store, ids[2], "result_json", "[]")
    with pytest.raises(HistoryError, match=f"2 sparade bedömningar .*\\(nummer {ids[0]}: .*; nummer {ids[2]}: "):
        store.list()


def test_a_table_in_another_format_is_reported_not_changed(tmp_path):
    path = tmp_path / "ambitionsgraf.sqlite"
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE assessments (id INTEGER, namn TEXT)")
    with pytest.raises(HistoryError, match="tabellen har inte det format som verktyget använder"):
        HistoryStore(path).list()


def test_delete(store):
    a = store.save(evaluate(example()))
    b = store.save(evaluate(EXAMPLE_2026.read_text(encoding="utf-8")))
    assert store.delete(a.id) == f"Bedömning {a.id} (Exempelkommun, 2025-03-31) är borttagen ur historiken."
    assert [e.id for e in store.list()] == [b.id]
    with pytest.raises(InputError, match=f"ingen sparad bedömning med nummer {a.id}"):
        store.delete(a.id)
    with pytest.raises(InputError, match="ingen sparad bedömning med nummer 5"):
        HistoryStore(store.path.parent / "saknas.sqlite").delete(5)


def test_duplicates_are_found_and_never_compared_with_each_other(store):
    ev_2025, ev_2026 = evaluate(example()), evaluate(EXAMPLE_2026.read_text(encoding="utf-8"))
    assert store.duplicates(ev_2025) == []
    first = store.save(ev_2025)
    assert [e.id for e in store.duplicates(ev_2025)] == [first.id]
    # Same answers in another order, and another respondent order: still the same assessment.
    shuffled = example()
    shuffled["respondents"].reverse()
    assert [e.id for e in store.duplicates(evaluate(shuffled))] == [first.id]
    # Same answers on another date, or one answer changed: not a duplicate.
    assert store.duplicates(evaluate({**example(), "datum": "2025-04-01"})) == []
    changed = example()
    changed["respondents"][0]["answers"]["H1"] = 1
    assert store.duplicates(evaluate(changed)) == []

    store.save(ev_2025)  # a duplicate saved anyway
    cmp = store.compare("Exempelkommun")
    assert cmp.previous is None  # not "±0,00 everywhere" against its own copy
    text = format_history(store.list("Exempelkommun"), cmp)
    assert f"(dubblett av nr {first.id})" in text and "inget att jämföra" in text and "+0,00" not in text

    second = store.save(ev_2026)
    third = store.save(ev_2026)
    cmp = store.compare("Exempelkommun")
    assert (cmp.previous.datum, cmp.current.id) == (date(2025, 3, 31), third.id) and second.id != third.id
    assert cmp.axes["vertical"].change == pytest.approx(ev_2026.vertical - ev_2025.vertical)


def test_unchanged_assessment_on_a_later_date_says_so(store):
    store.save(evaluate(example()))
    store.save(evaluate({**example(), "datum": "2026-03-31"}))
    cmp = store.compare("Exempelkommun")
    assert cmp.previous is not None and cmp.unchanged
    text = format_history(store.list("Exempelkommun"), cmp)
    assert "Inga förändringar sedan förra bedömningen (2025-03-31)" in text and "0,00" not in text


def test_comparing_a_result_that_is_not_saved(store):
    ev_2025, ev_2026 = evaluate(example()), evaluate(EXAMPLE_2026.read_text(encoding="utf-8"))
    saved_2026 = store.save(ev_2026)
    assert earlier(ev_2025, store.list()) == []  # a later assessment is no trail for an earlier one
    assert compare(snapshot(ev_2025), store.list()).previous is None
    first = store.save(ev_2025)
    assert [e.id for e in earlier(ev_2026, store.list())] == [first.id]
    cmp = compare(snapshot(ev_2026), store.list())
    assert cmp.previous.id == first.id and cmp.current.fingerprint == saved_2026.fingerprint


def test_schema_stores_input_for_recomputation(store):
    a = parse_assessment(example())
    store.save(evaluate(a), a)
    with sqlite3.connect(store.path) as conn:
        (input_json,) = conn.execute("SELECT input_json FROM assessments").fetchone()
    assert parse_assessment(input_json) == a


def test_get_returns_saved_advice(store):
    saved = store.save(evaluate(example()))
    again = store.get(saved.id)
    assert [r.question_id for r in again.recommendations] == [r.question_id for r in evaluate(example()).recommendations]
    with pytest.raises(InputError, match="ingen sparad bedömning med nummer 999"):
        store.get(999)
