"""Ambitionsgrafen in a real browser (Debian's Chromium through Playwright), as a person uses it: two
respondents filled in, roles changed, both answer sets kept; saving twice is questioned, an entry is
deleted, and the PDF report is downloaded and rendered. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from . import test_ui_browser as ui_browser
from .ambitionsgraf_fixtures import EXAMPLE_2025
from .test_ui_browser import SHOTS, _settle

# The app on 127.0.0.1 and the Chromium page with its network and console checks, as in the other browser
# tests (one server for this module).
app_settings = ui_browser.app_settings
app_url = ui_browser.app_url
browser = ui_browser.browser
traffic = ui_browser.traffic
page = ui_browser.page
_network_and_console_clean = ui_browser._network_and_console_clean

pytestmark = [pytest.mark.slow, pytest.mark.browser]
DEVELOPER_WORDS = ("vertical", "horizontal", "rubric.yaml", "kategori score", "V3.4_omfattning", "V3.5_frekvens",
                   "Choose an option",
                   "poäng)", "1 uppgifter", "Traceback")


@pytest.fixture(scope="module", autouse=True)
def empty_history(app_settings):
    """These tests start from an empty ambitionsgraf history in the app's data directory."""
    (app_settings.data_dir / "ambitionsgraf.sqlite").unlink(missing_ok=True)


def _panel(page):
    """The open respondent's tab."""
    return page.locator(".st-key-ag_respondents [role=tabpanel]:visible").first


def _open_respondent(page) -> str:
    return page.locator(".st-key-ag_respondents [role=tab][aria-selected=true]").inner_text()


def _answer_all(page, option: int) -> None:
    """Click option number `option` (0 = first) of every question of the open respondent."""
    radios = _panel(page).locator("[data-testid=stRadio]")
    for i in range(radios.count()):
        options = radios.nth(i).locator("label:has(input[type=radio])")
        options.nth(min(option, options.count() - 1)).click()
        page.wait_for_timeout(150)  # as fast as a person clicks; the export below checks nothing was lost
    _settle(page)


def _choose_role(page, role: str) -> None:
    _panel(page).locator("[data-testid=stSelectbox]").first.click()
    page.get_by_role("option", name=role, exact=True).click()
    _settle(page)


def _export(page) -> dict:
    with page.expect_download() as download:
        page.get_by_role("button", name="Exportera svaren (JSON)").click()
    return json.loads(Path(download.value.path()).read_text(encoding="utf-8"))


def _visible_text(page) -> str:
    return page.get_by_test_id("stMain").inner_text()


def test_two_respondents_keep_their_answers_through_role_changes(page, app_url):
    url = app_url
    page.goto(f"{url}/ambitionsgrafen")
    page.get_by_text("en flik per person").wait_for()
    _settle(page)
    page.get_by_role("textbox", name="Organisation").fill("Rollkommun")
    page.keyboard.press("Tab")
    _settle(page)
    _answer_all(page, 0)  # respondent 1: Ja, 4 and "delar" everywhere
    _panel(page).get_by_role("button", name="Lägg till svarande").click()  # the button below the questions
    _settle(page)
    page.get_by_text("Svarande 2 är tillagd").wait_for()
    page.wait_for_timeout(1500)
    assert _open_respondent(page) == "2. förvaltningsledning"
    assert 0 <= page.locator(".st-key-ag_respondents").bounding_box()["y"] < 200  # scrolled into view
    page.screenshot(path=str(SHOTS / "ag-1-ny-svarande.png"))

    _choose_role(page, "verksamhetsföreträdare")
    assert _open_respondent(page) == "2. verksamhetsföreträdare"  # still respondent 2, not back to 1
    _answer_all(page, 2)  # respondent 2: Nej, 2 and "hela"
    page.screenshot(path=str(SHOTS / "ag-2-rollbyte.png"))
    page.get_by_role("tab", name="1. politisk ledning").click()
    _settle(page)
    _choose_role(page, "inköpschef")
    assert _open_respondent(page) == "1. inköpschef"

    data = _export(page)
    first, second = data["respondents"]
    assert first["role"] == "inköpschef" and second["role"] == "verksamhetsföreträdare"
    assert len(first["answers"]) == len(second["answers"]) == 20
    assert {v for k, v in first["answers"].items() if k not in ("V1.1", "V3.4_omfattning")} == {4}
    assert first["answers"]["V1.1"] is True and first["answers"]["V3.4_omfattning"] == "delar"
    assert {v for k, v in second["answers"].items() if k not in ("V1.1", "V3.4_omfattning")} == {2}
    assert second["answers"]["V1.1"] is False and second["answers"]["V3.4_omfattning"] == "hela"
    text = _visible_text(page)
    assert "Alla frågor är besvarade" in text
    for word in DEVELOPER_WORDS:
        assert word not in text, word


def test_history_duplicate_warning_delete_and_pdf_report(page, app_url, tmp_path):
    url = app_url
    page.goto(f"{url}/ambitionsgrafen")
    page.get_by_text("Importera tidigare svar (JSON)").click()
    page.locator("input[type=file]").first.set_input_files(str(EXAMPLE_2025))
    page.get_by_role("button", name="Läs in svaren").click()
    page.get_by_text("Alla frågor är besvarade –").wait_for()
    _settle(page)
    page.get_by_role("tab", name="Resultat och råd").click()
    page.get_by_text("Resultat för Exempelkommun").wait_for()
    _settle(page)
    assert page.get_by_test_id("stMetricValue").all_inner_texts()[:2] == ["2,38", "2,40"]
    save = page.get_by_role("button", name="Spara bedömningen i historiken")
    save.click()
    page.get_by_text("Sparad som bedömning 1").wait_for()
    _settle(page)
    save.click()
    page.get_by_text("redan sparad som nummer 1").first.wait_for()
    _settle(page)
    page.get_by_text("Spara och jämför").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "ag-3-dubblett.png"))
    page.get_by_role("button", name="Spara ändå").click()
    page.get_by_text("Sparad som bedömning 2").wait_for()
    _settle(page)
    page.get_by_role("button", name="Ta bort en sparad bedömning").click()
    page.get_by_test_id("stPopoverBody").get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name="Nr 2", exact=False).click()
    page.get_by_role("button", name="Ta bort den valda bedömningen").click()
    page.get_by_text("Bedömning 2 (Exempelkommun, 2025-03-31) är borttagen").wait_for()
    _settle(page)
    page.get_by_text("Spara och jämför").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "ag-4-historik.png"))
    text = _visible_text(page)
    assert "+0,00" not in text
    for word in DEVELOPER_WORDS:
        assert word not in text, word

    with page.expect_download() as download:
        page.get_by_role("button", name="Ladda ner rapporten (PDF)").click()
    pdf = tmp_path / download.value.suggested_filename
    download.value.save_as(pdf)
    assert pdf.name == "ambitionsgraf-Exempelkommun-2025-03-31.pdf"
    from pypdf import PdfReader

    first_page = " ".join(PdfReader(pdf).pages[0].extract_text().split())
    assert "Ambitionsgrafen – Exempelkommun" in first_page and "Råd med stöd i rapporten" in first_page
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(SHOTS / "ag-5-rapport")], check=True, timeout=60)
