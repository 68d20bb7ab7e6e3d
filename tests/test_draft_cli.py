"""`kategori draft` as a user runs it: Markdown and Word for the example inputs, the Word file opened in
LibreOffice and converted to PDF, a language model that cannot be reached, and bad input that must give
a Swedish message and exit code 2, never a traceback."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from .conftest import run_cli
from .draft_fixtures import DATE, EXAMPLES, write

HEADINGS = ["1. Syfte, omfattning och mandat", "2. Nuläge och inköpsanalys", "3. Behov och volym under perioden",
            "5. Portföljposition: affärspåverkan och försörjningsrisk", "8. Avtalsform och avropsväg",
            "12. Upphandlingsplan för perioden", "13. Leverantörsuppföljning", "15. Aktivitetsplan",
            "16. Uppföljning: mått och rapportering till ledningen"]


def _draft(settings, *args, **env) -> subprocess.CompletedProcess:
    return run_cli(["draft", "--datum", DATE.isoformat(), *args], settings, **env)


@pytest.mark.slow
def test_markdown_and_word_for_three_categories(seed_settings, tmp_path):
    runs = [
        (["--fil", str(EXAMPLES / "it-konsult-kommun.yaml")], "it.md"),
        (["--fil", str(EXAMPLES / "livsmedel-region.yaml")], "livsmedel.docx"),
        (["--kategori", "Konsulttjänster", "--organisation", "Exempelmyndigheten", "--typ", "statlig myndighet",
          "--volym", "30 000 000", "--total-volym", "450 mnkr", "--period", "2", "--affarspaverkan", "låg",
          "--forsorjningsrisk", "hög", "--spend", str(EXAMPLES / "spend-exempelkommun.csv"),
          "--direktupphandlingsgrans", "300 000",
          "--prioriteringar", "Fler avrop med konkurrens", "--prioriteringar", "Minskat beroende av enskilda konsulter"],
         "konsult.md"),
    ]
    for args, name in runs:
        out = tmp_path / name
        result = _draft(seed_settings, *args, "--out", str(out))
        assert result.returncode == 0, result.stderr
        assert f"Utkastet är sparat i {out}: 16 avsnitt" in result.stdout
        assert "(alla verifierade)" in result.stdout
        assert out.stat().st_size > 5000
    md = (tmp_path / "it.md").read_text(encoding="utf-8")
    assert md.startswith("# Kategoristrategi: IT-konsulttjänster – Exempelkommun\n")
    assert all(f"## {h}" in md for h in HEADINGS) and "\n## Källor\n" in md
    it = _draft(seed_settings, "--fil", str(EXAMPLES / "it-konsult-kommun.yaml"), "--out", str(tmp_path / "b.md"))
    assert "Inköp utan avtals-id: 7 leverantörer, varav 2 över direktupphandlingsgränsen" in it.stdout
    assert "Kategorityp: IT-tjänster och IT-konsulter (verktygets förslag)" in it.stdout
    konsult = (tmp_path / "konsult.md").read_text(encoding="utf-8")
    assert "- Fler avrop med konkurrens – kan kopplas till inriktningsmål" in konsult
    assert "2026–2027 (2 år)" in konsult and "»Stora myndigheter«" in konsult
    # The team's own portfolio reading and threshold from the flags.
    assert "Flaskhals – här placerar verktyget konsulttjänster" in konsult
    assert "Affärspåverkan: låg – teamets bedömning i indata" in konsult
    assert "Direktupphandlingsgränsen som Exempelmyndigheten angav är 300\u00a0000\u00a0kr" in konsult
    # The same command twice writes the same bytes (the date is given; no timestamps elsewhere).
    again = tmp_path / "livsmedel2.docx"
    assert _draft(seed_settings, "--fil", str(EXAMPLES / "livsmedel-region.yaml"), "--out", str(again)).returncode == 0
    assert again.read_bytes() == (tmp_path / "livsmedel.docx").read_bytes()


@pytest.mark.slow
def test_word_draft_opens_in_libreoffice(seed_settings, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    # CI installs LibreOffice (libreoffice-writer-nogui) and poppler-utils: a missing one is a failure.
    assert soffice, "LibreOffice saknas: apt-get install -y --no-install-recommends libreoffice-writer-nogui"
    assert shutil.which("pdftotext"), "pdftotext saknas: apt-get install -y --no-install-recommends poppler-utils"
    # The example with the widest tables: six columns of amounts and names in the spend actions.
    docx = tmp_path / "it-strategi.docx"
    result = _draft(seed_settings, "--fil", str(EXAMPLES / "it-konsult-kommun.yaml"), "--out", str(docx))
    assert result.returncode == 0, result.stderr
    profile = tmp_path / "lo-profile"
    conversion = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(docx)],
        capture_output=True, text=True, timeout=180,
    )
    pdf = tmp_path / "it-strategi.pdf"
    assert conversion.returncode == 0 and pdf.exists(), conversion.stderr
    from pypdf import PdfReader

    pages = len(PdfReader(str(pdf)).pages)
    assert pages > 1
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    assert "Kategoristrategi: IT-" in flat and "Exempelkommun" in flat
    for heading in [*HEADINGS, "Källor"]:
        assert heading in flat, heading
    assert "Molnbyrån Sverige AB" in flat and "[Att fylla i" in flat and "[1]" in flat
    assert f"sida {pages}" in flat  # the footer's page field was rendered
    # No amount, percentage or date breaks inside in a table: each stands whole on one printed line.
    lines = [" ".join(line.replace("\u00a0", " ").split()) for line in text.splitlines()]
    for value in ("6 090 000 kr", "2 940 000 kr", "3 150 000 kr", "30 870 000 kr", "16 380 000 kr", "31,3 %", "19,7 %",
                  "2025-12-19", "Kontrollera upphandlingsplikt", "Kodverkstaden AB", "AV-2022-101"):
        assert any(value in line for line in lines), value


@pytest.mark.slow
def test_unreachable_model_fails_clearly_or_falls_back(seed_settings, tmp_path):
    env = {"KATEGORI_LLM": "openai", "KATEGORI_LLM_MODEL": "testmodell",
           "KATEGORI_LLM_BASE_URL": "http://127.0.0.1:9/v1", "KATEGORI_LLM_TIMEOUT": "5"}
    out = tmp_path / "x.md"
    failed = _draft(seed_settings, "--fil", str(EXAMPLES / "konsult-myndighet.yaml"), "--out", str(out), **env)
    assert failed.returncode == 1 and "Kunde inte nå språkmodellen" in failed.stderr and "--offline" in failed.stderr
    assert not out.exists() and "Traceback" not in failed.stderr
    fell_back = _draft(seed_settings, "--fil", str(EXAMPLES / "konsult-myndighet.yaml"), "--out", str(out),
                       "--fallback", **env)
    assert fell_back.returncode == 0, fell_back.stderr
    assert "offlineläge" in fell_back.stderr and "(offline, utan språkmodell)" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (["--kategori", "IT", "--organisation", "X", "--typ", "förening"], "okänd organisationstyp »förening«"),
    (["--kategori", "IT", "--organisation", "X", "--volym", "-5"], "beloppet får inte vara negativt"),
    (["--kategori", "IT", "--organisation", "X", "--period", "7"], "perioden ska vara 2–5 år"),
    (["--kategori", "IT", "--organisation", "X", "--volym", "10 000 000 000 000 000"], "orimligt stort"),
    (["--kategori", "IT", "--organisation", "X", "--direktupphandlingsgrans", "sjuhundra"], "är inget belopp"),
    (["--kategori", "IT", "--organisation", "X", "--affarspaverkan", "medel"], "ange »hög« eller »låg«"),
    (["--kategori", "IT", "--organisation", "X", "--period", "fem"], "Ogiltigt värde för '--period'"),
    (["--kategori", "IT", "--organisation", "X", "--spend", "saknas.csv"], "Spendfilen saknas.csv finns inte"),
    (["--organisation", "X"], "Ange --kategori"),
    (["--fil", "saknas.yaml"], "Indatafilen saknas.yaml finns inte"),
])
def test_bad_input_exits_2_with_a_swedish_message(small_settings, tmp_path, args, message):
    result = _draft(small_settings, *args, "--out", str(tmp_path / "x.md"))
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("Fel: ") and message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.md").exists()
    assert not (small_settings.data_dir / "chroma").exists()  # failed before the index was touched


def test_garbage_spend_file_and_wrong_output_suffix(small_settings, tmp_path):
    garbage = tmp_path / "spend.csv"
    garbage.write_bytes(bytes(range(256)) * 40)
    result = _draft(small_settings, "--kategori", "IT", "--organisation", "X", "--spend", str(garbage),
                    "--out", str(tmp_path / "x.docx"))
    assert result.returncode == 2 and "är ingen textfil" in result.stderr and "Traceback" not in result.stderr
    fake_excel = write(tmp_path / "spend.xlsx", "inte en excelfil")
    result = _draft(small_settings, "--kategori", "IT", "--organisation", "X", "--spend", str(fake_excel),
                    "--out", str(tmp_path / "x.docx"))
    assert result.returncode == 2 and "kunde inte läsas som Excel-fil" in result.stderr
    result = _draft(small_settings, "--kategori", "IT", "--organisation", "X", "--out", str(tmp_path / "x.pdf"))
    assert result.returncode == 2
    assert "Utkastet kan sparas som Word (.docx) eller Markdown (.md), inte ».pdf«" in result.stderr


def test_help_is_swedish(small_settings):
    result = run_cli(["draft", "--help"], small_settings)
    assert result.returncode == 0
    for text in ("kategoristrategi", "--spend", "Spendfil", "--prioriteringar", "--fil", "2–5",
                 "--direktupphandlingsgrans", "--affarspaverkan"):
        assert text in result.stdout
