"""`kategori score` through the real entry point: JSON and Swedish output, exit code 2 with a Swedish
message for every kind of bad input, saving and comparing history, and the chart."""

from __future__ import annotations

import json

import pytest

from assistant.config import get_settings

from .ambitionsgraf_fixtures import EXAMPLE_2025, EXAMPLE_2026, assessment, respondent, run_main
from .conftest import run_cli


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    path = tmp_path / "data"
    monkeypatch.setenv("KATEGORI_DATA_DIR", str(path))
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


def write(tmp_path, data, name="bedomning.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_json_output(monkeypatch, capsys, data_dir):
    code, out, err = run_main(monkeypatch, capsys, "score", str(EXAMPLE_2025), "--json")
    assert code == 0, err
    result = json.loads(out)
    for key in ("organisation", "vertical", "horizontal", "areas", "respondents", "spread", "interpretations",
                "recommendations"):
        assert key in result
    assert result["organisation"] == "Exempelkommun"
    assert result["vertical"] == pytest.approx(21.4 / 9, abs=1e-9)  # unrounded
    assert result["horizontal"] == pytest.approx(2.4, abs=1e-9)
    assert set(result["areas"]) == {"V1", "V2", "V3"}
    assert [r["role"] for r in result["respondents"]] == ["politisk ledning", "inköpschef", "verksamhetsföreträdare"]
    assert {"vertical", "horizontal", "areas"} <= set(result["respondents"][0])
    h5 = result["spread"]["questions"]["H5"]
    assert (h5["min"], h5["max"], h5["flagged"]) == (1, 3, True)
    rec = next(r for r in result["recommendations"] if r["question_id"] == "V1.4")
    assert rec["citations"][0]["page"] == 39 and "spendanalys" in rec["citations"][0]["quote"]
    assert not data_dir.exists()  # nothing saved without --save


def test_text_summary_is_swedish(monkeypatch, capsys, data_dir):
    code, out, err = run_main(monkeypatch, capsys, "score", str(EXAMPLE_2025))
    assert code == 0, err
    assert "Ambitionsgrafen – Exempelkommun" in out
    assert "Vertikal axel – Samspel mellan inköpsfunktionen och ledningen: 2,38" in out
    assert "Horisontell axel – Samspel mellan inköpsfunktionen och verksamheten: 2,40" in out
    assert "Stor spridning" in out and "H5 Verksamhetens nöjdhet med stödet" in out
    assert "Rekommendationer" in out and "s. 39, avsnitt 6.4.1 Orientering" in out
    assert "verktygets egen läsning" in out and "T1 (verktygets tolkning)" in out


@pytest.mark.parametrize(("data", "expected"), [
    (assessment(respondent(overrides={"V1.2": 5})), ["svarande 1 (inköpschef), V1.2", "utanför skalan", "1–4"]),
    (assessment(respondent(overrides={"H3": "3"})), ["H3", "fel typ"]),
    (assessment(respondent(overrides={"X9": 3})), ["X9", "okänt id"]),
    ({"organisation": "X", "respondents": []}, ["respondents", "listan är tom"]),
    ("{not json", ["Ogiltig JSON på rad 1"]),
])
def test_bad_input_exits_2_with_swedish_message(monkeypatch, capsys, tmp_path, data_dir, data, expected):
    path = write(tmp_path, data)
    code, out, err = run_main(monkeypatch, capsys, "score", str(path), "--json", "--save")
    assert code == 2
    assert out == ""  # nothing half-computed, nothing printed
    assert err.startswith("Fel: Bedömningen i ")
    for text in expected:
        assert text in err
    assert "Traceback" not in err
    assert not data_dir.exists()  # and nothing saved


def test_missing_scope_names_each_respondent(monkeypatch, capsys, tmp_path, data_dir):
    data = assessment(respondent("politisk ledning"), respondent("inköpschef"))
    for r in data["respondents"]:
        del r["answers"]["V3.4_omfattning"]
    code, _, err = run_main(monkeypatch, capsys, "score", str(write(tmp_path, data)))
    assert code == 2
    assert "svarande 1 (politisk ledning), V3.4_omfattning: saknas" in err
    assert "svarande 2 (inköpschef), V3.4_omfattning: saknas" in err


def test_missing_file_and_no_arguments(monkeypatch, capsys, tmp_path, data_dir):
    code, _, err = run_main(monkeypatch, capsys, "score", str(tmp_path / "finns-inte.json"))
    assert code == 2 and "finns inte" in err
    code, _, err = run_main(monkeypatch, capsys, "score")
    assert code == 2 and "--history" in err


def test_save_twice_then_history(monkeypatch, capsys, data_dir):
    code, out, err = run_main(monkeypatch, capsys, "score", str(EXAMPLE_2025), "--save")
    assert code == 0, err
    assert "Sparad i historiken som bedömning 1 (2025-03-31)" in out
    assert (data_dir / "ambitionsgraf.sqlite").is_file()
    code, out, err = run_main(monkeypatch, capsys, "score", str(EXAMPLE_2026), "--save", "--json")
    assert code == 0, err
    assert json.loads(out)["saved"]["id"] == 2  # stdout stays pure JSON …
    assert "Sparad i historiken som bedömning 2" in err  # … the status goes to stderr

    code, out, err = run_main(monkeypatch, capsys, "score", "--history", "exempelkommun")
    assert code == 0, err
    assert "Sparade bedömningar – Exempelkommun" in out
    assert "2025-03-31" in out and "2026-03-31" in out
    assert "Förändring sedan förra bedömningen (2025-03-31 → 2026-03-31)" in out
    assert "Vertikal axel (Samspel mellan inköpsfunktionen och ledningen): 2,38 → 3,15 (+0,77)" in out
    assert "V1 Strategi och planering: 2,27 → 3,33 (+1,07)" in out

    code, out, err = run_main(monkeypatch, capsys, "score", "--history", "Exempelkommun", "--json")
    assert code == 0, err
    hist = json.loads(out)
    assert [a["datum"] for a in hist["assessments"]] == ["2025-03-31", "2026-03-31"]
    delta = hist["comparison"]["axes"]["vertical"]
    assert delta["change"] == pytest.approx(delta["current"] - delta["previous"], abs=1e-12)
    assert delta["previous"] == pytest.approx(21.4 / 9, abs=1e-9)


def test_history_of_unknown_organisation(monkeypatch, capsys, data_dir):
    code, _, err = run_main(monkeypatch, capsys, "score", "--history", "Ingenstans")
    assert code == 2
    assert 'Det finns ingen sparad bedömning för "Ingenstans"' in err and "--save" in err


def test_png_with_trail(monkeypatch, capsys, tmp_path, data_dir):
    run_main(monkeypatch, capsys, "score", str(EXAMPLE_2025), "--save")
    png = tmp_path / "graf.png"
    code, out, err = run_main(monkeypatch, capsys, "score", str(EXAMPLE_2026), "--png", str(png))
    assert code == 0, err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"Diagrammet är sparat i {png}" in out
    latest = tmp_path / "senaste.png"
    code, out, err = run_main(monkeypatch, capsys, "score", "--history", "Exempelkommun", "--png", str(latest))
    assert code == 0, err
    assert latest.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(("name", "message"), [("graf.jpg", "ska sluta på .png"),
                                               ("saknad-mapp/graf.png", "saknad-mapp finns inte")])
def test_bad_png_path_fails_before_saving(monkeypatch, capsys, tmp_path, data_dir, name, message):
    code, out, err = run_main(monkeypatch, capsys, "score", str(EXAMPLE_2025), "--save", "--png", str(tmp_path / name))
    assert code == 2 and message in err and out == ""
    assert not data_dir.exists()


def test_help_is_swedish(monkeypatch, capsys):
    code, out, _ = run_main(monkeypatch, capsys, "score", "--help")
    assert code == 0
    for text in ("ambitionsgrafen", "Spara bedömningen i historiken", "ORGANISATION", "Spara ambitionsgrafen som PNG"):
        assert text in out


def test_real_process_has_no_traceback(tmp_path):
    """As a user runs it: a separate process, bad input, exit code 2 and one Swedish error."""
    from assistant.config import Settings

    settings = Settings(data_dir=tmp_path / "data")
    bad = write(tmp_path, assessment(respondent(overrides={"V2.2": 0})))
    proc = run_cli(["score", str(bad)], settings, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "V2.2: värdet 0 ligger utanför skalan" in proc.stderr
    ok = run_cli(["score", str(EXAMPLE_2025), "--json"], settings, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["organisation"] == "Exempelkommun"


# ---- failure paths: a Swedish message and a non-zero exit, never a traceback ----------------------------


def test_deeply_nested_json_is_refused_in_swedish(monkeypatch, capsys, tmp_path, data_dir):
    deep = write(tmp_path, "[" * 100_000 + "]" * 100_000)
    code, out, err = run_main(monkeypatch, capsys, "score", str(deep))
    assert code == 2 and out == ""
    assert "för djupt nästlad" in err and "RecursionError" not in err


def test_utf8_bom_is_accepted(monkeypatch, capsys, tmp_path, data_dir):
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + EXAMPLE_2025.read_bytes())
    code, out, err = run_main(monkeypatch, capsys, "score", str(bom), "--json")
    assert code == 0, err
    assert json.loads(out)["vertical"] == pytest.approx(21.4 / 9)


def test_duplicate_respondents_are_warned_about_but_counted(monkeypatch, capsys, tmp_path, data_dir):
    twice = write(tmp_path, assessment(respondent("inköpschef", value=2), respondent("politisk ledning"),
                                       respondent("inköpschef", value=2)))
    code, out, err = run_main(monkeypatch, capsys, "score", str(twice), "--json")
    assert code == 0, err
    assert "Varning: Svarande 1 (inköpschef) och 3 (inköpschef) har exakt samma svar" in err
    result = json.loads(out)
    assert result["n_respondents"] == 3 and len(result["warnings"]) == 1


@pytest.fixture
def corrupt_history(data_dir):
    data_dir.mkdir(parents=True)
    path = data_dir / "ambitionsgraf.sqlite"
    path.write_bytes(b"skadad fil " * 50)
    return path


def test_corrupt_history_does_not_break_plain_score(monkeypatch, capsys, tmp_path, corrupt_history):
    code, out, err = run_main(monkeypatch, capsys, "score", str(EXAMPLE_2025))
    assert code == 0, err
    assert out.startswith("Ambitionsgrafen – Exempelkommun") and err == ""
    # The chart only loses its trail, and says why.
    code, out, err = run_main(monkeypatch, capsys, "score", str(EXAMPLE_2025), "--png", str(tmp_path / "g.png"))
    assert code == 0, err
    assert "Varning: Historikdatabasen" in err and "ritas utan tidigare bedömningar" in err
    assert (tmp_path / "g.png").is_file()


@pytest.mark.parametrize("args", [["--save"], ["--history", "Exempelkommun"], ["--delete", "1"]])
def test_corrupt_history_is_a_swedish_error_when_it_is_needed(monkeypatch, capsys, corrupt_history, args):
    before = corrupt_history.read_bytes()
    file_args = [str(EXAMPLE_2025)] if args == ["--save"] else []
    code, out, err = run_main(monkeypatch, capsys, "score", *file_args, *args)
    assert code == 1
    assert "kunde inte läsas: filen är ingen SQLite-databas" in err and "Traceback" not in err
    assert corrupt_history.read_bytes() == before


def test_bad_history_row_is_not_a_configuration_error(monkeypatch, capsys, data_dir):
    import sqlite3
    from contextlib import closing

    run_main(monkeypatch, capsys, "score", str(EXAMPLE_2025), "--save")
    run_main(monkeypatch, capsys, "score", str(EXAMPLE_2026), "--save")
    with closing(sqlite3.connect(data_dir / "ambitionsgraf.sqlite")) as conn, conn:
        conn.execute("UPDATE assessments SET result_json = '{inte json' WHERE id = 1")
    code, out, err = run_main(monkeypatch, capsys, "score", "--history", "Exempelkommun")
    assert code == 1
    assert "Bedömning 1 (Exempelkommun)" in err and "inte giltig JSON" in err and "--delete 1" in err
    assert "konfigurationen" not in err and "Traceback" not in err
    code, out, err = run_main(monkeypatch, capsys, "score", "--delete", "1", "--history", "Exempelkommun")
    assert code == 0, err
    assert "Bedömning 1 (Exempelkommun, 2025-03-31) är borttagen" in out and "2026-03-31" in out


def test_second_save_of_the_same_assessment_is_skipped(monkeypatch, capsys, data_dir):
    run_main(monkeypatch, capsys, "score", str(EXAMPLE_2025), "--save")
    code, out, err = run_main(monkeypatch, capsys, "score", str(EXAMPLE_2025), "--save", "--json")
    assert code == 0, err
    assert json.loads(out)["already_saved"] == {"id": 1, "datum": "2025-03-31"} and "saved" not in json.loads(out)
    assert "Inte sparad: samma bedömning (samma datum och samma svar) finns redan i historiken som nummer 1" in err
    code, out, _ = run_main(monkeypatch, capsys, "score", "--history", "Exempelkommun")
    assert out.count("2025-03-31") == 1


def test_pdf_report_from_file_and_from_history(monkeypatch, capsys, tmp_path, data_dir):
    from pypdf import PdfReader

    run_main(monkeypatch, capsys, "score", str(EXAMPLE_2025), "--save")
    report = tmp_path / "rapport.pdf"
    code, out, err = run_main(monkeypatch, capsys, "score", str(EXAMPLE_2026), "--pdf", str(report))
    assert code == 0, err
    assert f"Rapporten är sparad i {report}" in out
    text = " ".join(PdfReader(report).pages[0].extract_text().split())
    assert "Sedan bedömningen 2025-03-31: vertikalt +0,77" in text
    latest = tmp_path / "senaste.pdf"
    code, out, err = run_main(monkeypatch, capsys, "score", "--history", "Exempelkommun", "--pdf", str(latest))
    assert code == 0, err
    assert "Självskattning 2025-03-31" in PdfReader(latest).pages[0].extract_text()
    code, _, err = run_main(monkeypatch, capsys, "score", str(EXAMPLE_2025), "--pdf", str(tmp_path / "x.txt"))
    assert code == 2 and "ska sluta på .pdf" in err
