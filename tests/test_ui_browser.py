"""End to end in a real browser: the app served headless on 127.0.0.1, driven with Debian's Chromium
through Playwright. Screenshots go to test-artifacts/screenshots/ for a person to look at."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.config import REPO_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]
SHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(seed_settings, tmp_path_factory):
    port = _free_port()
    env = dict(os.environ, KATEGORI_DATA_DIR=str(seed_settings.data_dir), KATEGORI_CORPUS_DIR=str(seed_settings.corpus_dir))
    log = (tmp_path_factory.mktemp("streamlit") / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "ui" / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO_ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while True:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            pass
        if time.time() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.fail("Streamlit-appen startade inte")
        time.sleep(0.5)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def page(app_url):
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium must be installed (apt-get install chromium); .ci/run does it"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="sv-SE")
        page = context.new_page()
        page.set_default_timeout(90_000)
        yield page
        browser.close()


def _settle(page) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000)
    page.wait_for_timeout(300)


def test_chat_question_and_citation(page, app_url):
    page.goto(app_url)  # the chat is the default page
    page.get_by_test_id("stChatInput").locator("textarea").fill("Vad är en spendanalys?")
    page.keyboard.press("Enter")
    page.get_by_text("Enligt Upphandlingsmyndighetens rapport", exact=False).first.wait_for()
    _settle(page)
    page.screenshot(path=str(SHOTS / "1-chatt.png"), full_page=True)
    page.get_by_test_id("stPopover").first.locator("button").click()
    mark = page.locator("mark").first
    mark.wait_for()
    assert "spendanalys" in mark.inner_text()
    page.get_by_text("Verifierat: citatet står ordagrant").first.wait_for()
    page.screenshot(path=str(SHOTS / "2-chatt-kalla.png"), full_page=True)
    page.keyboard.press("Escape")


def test_refusal_is_shown(page, app_url):
    page.get_by_test_id("stChatInput").locator("textarea").fill("Hur bakar man surdegsbröd?")
    page.keyboard.press("Enter")
    page.get_by_text("Underlaget besvarar inte frågan").first.wait_for()
    _settle(page)
    page.screenshot(path=str(SHOTS / "3-chatt-utanfor.png"), full_page=True)


def test_sources_page(page, app_url):
    page.goto(f"{app_url}/kallor")
    page.get_by_text("Läs ett textavsnitt i sitt sammanhang").wait_for()
    _settle(page)
    page.locator("mark").first.wait_for()
    page.screenshot(path=str(SHOTS / "4-kallor.png"), full_page=True)


def test_ambitionsgraf_import_and_result(page, app_url):
    page.goto(f"{app_url}/ambitionsgrafen")
    page.get_by_text("Importera tidigare svar (JSON)").click()
    example = REPO_ROOT / "assistant" / "ambitionsgraf" / "examples" / "exempelkommun-2025.json"
    page.locator("input[type=file]").first.set_input_files(str(example))
    page.get_by_role("button", name="Läs in svaren").click()
    page.get_by_text("Alla frågor är besvarade – resultatet finns").wait_for()
    _settle(page)
    page.screenshot(path=str(SHOTS / "5-ambitionsgrafen-enkat.png"))
    page.get_by_role("tab", name="Resultat och råd").click()
    page.get_by_text("Resultat för Exempelkommun").wait_for()
    page.get_by_test_id("stMetricValue").first.wait_for()
    values = page.get_by_test_id("stMetricValue").all_inner_texts()
    assert values[0] == "2,38" and values[1] == "2,40"
    page.get_by_test_id("stImage").first.wait_for()
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "6-ambitionsgrafen-resultat.png"))
    page.get_by_text("Spridning mellan de svarande").scroll_into_view_if_needed()
    page.get_by_text("V1.4 Organisationsövergripande spendanalys").first.click()
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "7-ambitionsgrafen-rad.png"))


def test_strategy_draft(page, app_url):
    page.goto(f"{app_url}/kategoristrategi")
    page.get_by_role("textbox", name="Organisation", exact=True).fill("Exempelkommun")
    page.get_by_role("textbox", name="Kategori", exact=True).fill("IT")
    page.locator("input[type=file]").first.set_input_files(
        str(REPO_ROOT / "assistant" / "drafts" / "examples" / "spend-exempelkommun.csv"))
    page.get_by_role("button", name="Ta fram utkast").click()
    page.get_by_text("källhänvisningar, varav").wait_for()
    _settle(page)
    page.get_by_text("1. Syfte, omfattning och mandat").first.wait_for()
    page.screenshot(path=str(SHOTS / "8-kategoristrategi.png"))
    page.get_by_text("2. Nuläge och inköpsanalys").first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "9-kategoristrategi-inkopsanalys.png"))
