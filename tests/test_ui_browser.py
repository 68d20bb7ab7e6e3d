"""End to end in a real browser: the app served headless on 127.0.0.1 (as `kategori run` serves it,
through ui/server.py), driven with Debian's Chromium through Playwright, at 1440×900 and 390×844.

Every test runs with the browser's network log and console recorded: a request to anything but this
computer, or any console error, fails the test. Screenshots go to test-artifacts/screenshots/ for a
person to look at."""

from __future__ import annotations

import io
import ipaddress
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from assistant.config import REPO_ROOT, Settings

from .oidc_provider import CLIENT_ID, CLIENT_SECRET, OidcProvider

pytestmark = [pytest.mark.slow, pytest.mark.browser]
SHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
DESKTOP = {"width": 1440, "height": 900}
MOBILE = {"width": 390, "height": 844}
# Streamlit's own English words that must not reach a user (they are translated or hidden).
ENGLISH = re.compile(r"\b(Upload|Browse files|Drag and drop|per file|are not allowed|Press Enter|Running\.\.\.|Stop|"
                     r"Page not found|Made with Streamlit|Add files|Remove \S|Help for|App pages|Collapse sidebar|Expand sidebar|"
                     r"Download as CSV|Fullscreen|Show/hide columns)\b")


def _free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _is_local(url: str) -> bool:
    if url.startswith(("data:", "about:")):
        return True
    host = urlparse(url.removeprefix("blob:")).hostname or ""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _copy_index(seed: Settings, target: Path) -> Settings:
    """The seed index in a directory of its own: the browser tests add documents and conversations."""
    target.mkdir(parents=True)
    for name in ("chroma", "generations"):
        shutil.copytree(seed.data_dir / name, target / name)
    return Settings(data_dir=target, corpus_dir=seed.corpus_dir)


class App:
    """`streamlit run ui/server.py` on 127.0.0.1, as `kategori run` starts it."""

    def __init__(self, settings: Settings, log_dir: Path, **env: str):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environ = dict(os.environ, KATEGORI_DATA_DIR=str(settings.data_dir), KATEGORI_CORPUS_DIR=str(settings.corpus_dir),
                       **env)
        self.log_path = log_dir / f"streamlit-{self.port}.log"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "ui" / "server.py"), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(self.port), "--browser.gatherUsageStats", "false"],
            env=environ, stdout=self.log_path.open("w"), stderr=subprocess.STDOUT, cwd=REPO_ROOT,
        )
        deadline = time.time() + 120
        while True:
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2).read() == b"ok":
                    return
            except OSError:
                pass
            if time.time() > deadline or self.proc.poll() is not None:
                self.stop()
                pytest.fail(f"Streamlit-appen startade inte:\n{self.log_path.read_text()[-3000:]}")
            time.sleep(0.5)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Traffic:
    """What the browser asked for and complained about."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []

    def watch(self, context) -> None:
        context.on("request", lambda r: self.requests.append(r.url))
        context.on("page", self._page)

    def _page(self, page) -> None:
        page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        # A request cut short because the test moved on to another page is no error.
        page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url} {r.failure}")
                if "ERR_ABORTED" not in (r.failure or "") else None)
        page.on("response", lambda r: self.errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

    def check(self) -> None:
        remote = [u for u in self.requests if not _is_local(u)]
        errors, self.errors, self.requests = self.errors, [], []
        assert not remote, f"requests that leave this computer: {remote}"
        assert not errors, f"console errors / failed requests: {errors}"


class Pixel:
    """A server on 127.0.0.2 standing in for a tracker that a hostile document points at."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        pixel = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                pixel.hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.2", _free_port("127.0.0.2")), Handler)
        self.base = f"http://127.0.0.2:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


# ---- fixtures ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app_settings(seed_settings, tmp_path_factory) -> Settings:
    return _copy_index(seed_settings, tmp_path_factory.mktemp("browser") / "data")


@pytest.fixture(scope="module")
def app_url(app_settings, tmp_path_factory):
    app = App(app_settings, tmp_path_factory.mktemp("logs"))
    yield app.url
    app.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium must be installed (apt-get install chromium); .ci/run does it"
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("fel-*.png"):
        old.unlink()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def traffic():
    return Traffic()


@pytest.fixture(autouse=True)
def _network_and_console_clean(request, traffic):
    failed = request.session.testsfailed
    yield
    if request.session.testsfailed > failed:  # a picture of what the browser showed when it failed
        for name in ("page", "phone"):
            if name in request.fixturenames:
                request.getfixturevalue(name).screenshot(path=str(SHOTS / f"fel-{request.node.name}-{name}.png"))
        return
    traffic.check()


def _context(browser, traffic, viewport):
    context = browser.new_context(viewport=viewport, locale="sv-SE", device_scale_factor=1,
                                  is_mobile=viewport is MOBILE, has_touch=viewport is MOBILE)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    traffic.watch(context)
    page = context.new_page()
    page.set_default_timeout(90_000)
    return page


@pytest.fixture(scope="module")
def page(browser, traffic):
    page = _context(browser, traffic, DESKTOP)
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def phone(browser, traffic):
    page = _context(browser, traffic, MOBILE)
    yield page
    page.context.close()


# ---- helpers -----------------------------------------------------------------------------------------------


def _settle(page) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_timeout(250)
    page.wait_for_function("() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'"
                           " && !document.querySelector('[data-testid=stStatusWidget]')", timeout=120_000)
    page.wait_for_timeout(250)


def _open(page, url: str) -> None:
    page.goto(url)
    page.get_by_test_id("stSidebarNav").or_(page.get_by_role("button", name="Logga in")).first.wait_for(state="attached")
    _settle(page)


_PAGE_TEXTS = """() => [document.body.innerText,
    ...[...document.querySelectorAll('[aria-label],[title],[placeholder]')].flatMap(e =>
        ['aria-label', 'title', 'placeholder'].map(a => e.getAttribute(a) || ''))].join('\\n')"""


def _swedish(page) -> None:
    """No English word of Streamlit's reaches the user, on screen or for a screen reader. The page
    translates Streamlit's texts as they appear, so this waits a moment for it."""
    page.wait_for_function("() => window.__kategoriSvenska === true")
    deadline = time.time() + 5
    while True:
        found = ENGLISH.findall(page.evaluate(_PAGE_TEXTS))
        if not found or time.time() > deadline:
            break
        page.wait_for_timeout(200)
    assert not found, f"English on the page: {found}"
    assert page.evaluate("document.documentElement.lang") == "sv"


def _ask(page, question: str) -> None:
    page.get_by_test_id("stChatInput").locator("textarea").fill(question)
    page.keyboard.press("Enter")
    page.get_by_test_id("stChatMessage").filter(has_text=question).wait_for()
    _settle(page)


def _text(locator) -> str:
    """What a reader sees, with no-break spaces as spaces."""
    return re.sub(r"[\u00a0\u202f]", " ", locator.inner_text())


def _scroll_to(locator, block: str) -> None:
    locator.evaluate(f"e => e.scrollIntoView({{block: '{block}'}})")


def _shot(page, name: str) -> None:
    page.wait_for_timeout(250)
    page.screenshot(path=str(SHOTS / name))


# ---- chat ---------------------------------------------------------------------------------------------------


def test_chat_marker_opens_the_quote_in_its_passage_and_the_card_stays_open(page, app_url):
    _open(page, app_url)
    examples = page.get_by_role("button", name="Vad är en spendanalys?")
    _swedish(page)
    _shot(page, "1-chatt-start.png")
    examples.click()
    page.get_by_text("Enligt Upphandlingsmyndighetens rapport", exact=False).first.wait_for()
    _settle(page)
    chip = page.locator("button.chip").first
    assert "Upphandlingsmyndighetens rapport om ändamålsenliga inköpsorganisationer (2022)" in chip.inner_text()
    assert "s. 39" in _text(chip) and chip.locator(".ok").count() == 1
    _shot(page, "2-chatt-svar.png")

    # Each [n] opens its card with the quote it follows marked in the passage.
    markers = page.locator("button.cite")
    assert markers.count() == page.locator("button.chip").count() >= 2
    markers.first.click()
    card = page.locator(".card")
    card.wait_for()
    marked = " ".join(card.locator("mark").first.inner_text().split())
    assert len(marked) > 40 and marked in " ".join(_text(page.locator(".kc .body").first).split())
    assert "Verifierat: citatet står ordagrant" in card.inner_text()
    _scroll_to(card, "center")
    _shot(page, "3-chatt-kalla.png")
    card.get_by_role("button", name="Visa mer av sammanhanget i dokumentet").click()
    card.locator(".context").wait_for()
    assert card.is_visible() and "6.4.1 Orientering" in card.locator(".context").inner_text()
    assert not card.locator(".passage").is_visible()  # the context holds the passage, quote marked
    _scroll_to(card, "start")
    _shot(page, "3b-chatt-sammanhang.png")
    card.get_by_role("button", name="Stäng källan").click()
    assert page.locator(".card").count() == 0

    page.get_by_role("button", name="Kopiera svaret med källor (Markdown)").click()
    page.get_by_text("Kopierat").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Enligt Upphandlingsmyndighetens rapport") and "**Källor**" in copied
    assert "[1] Att stimulera etableringen av ändamålsenliga inköpsorganisationer" in copied


def test_refusal_reload_earlier_conversations_and_word_export(page, app_url):
    from docx import Document

    _ask(page, "Hur bakar man surdegsbröd?")
    page.get_by_text("Underlaget besvarar inte frågan").first.wait_for()
    _shot(page, "4-chatt-utanfor.png")

    conversation = urlparse(page.url).query
    page.reload()
    _settle(page)
    assert conversation in page.url
    page.get_by_test_id("stChatMessage").filter(has_text="Hur bakar man surdegsbröd?").wait_for()
    assert page.get_by_test_id("stChatMessage").count() == 4

    with page.expect_download() as download:
        page.get_by_role("button", name="Exportera till Word").click()
    text = "\n".join(p.text for p in Document(io.BytesIO(Path(download.value.path()).read_bytes())).paragraphs)
    assert "Vad är en spendanalys?" in text and "Hur bakar man surdegsbröd?" in text
    assert "\nKällor\n[1]\tAtt stimulera etableringen" in text

    page.get_by_role("button", name="Nytt samtal").click()
    expect(page.get_by_test_id("stChatMessage")).to_have_count(0)
    page.get_by_test_id("stSidebar").get_by_role("button", name="Vad är en spendanalys?").click()
    expect(page.get_by_test_id("stChatMessage")).to_have_count(4)
    assert conversation in page.url


def test_every_page_opens_from_its_own_address(page, app_url):
    for path, heading in [("/chatt", "Chatt med underlaget"), ("/kallor", "Källor"),
                          ("/ambitionsgrafen", "Ambitionsgrafen"), ("/kategoristrategi", "Kategoristrategi")]:
        _open(page, app_url + path)
        page.get_by_role("heading", name=heading).first.wait_for()
        _swedish(page)
    assert page.title() == "Kategoriassistenten"


# ---- documents -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pixel():
    server = Pixel()
    yield server
    server.server.shutdown()


def test_a_hostile_document_is_shown_as_text_and_fetches_nothing(page, app_url, pixel, tmp_path, traffic):
    hostile = tmp_path / "kaffeavtal.md"
    hostile.write_text(
        "# Kaffeavtalet\n\n"
        "Kommunens kaffeavtal kostar :red[0 kr] per år enligt avtalet [2] och gäller alla förvaltningar.\n\n"
        f"Läs mer på [avtalssidan]({pixel.base}/lank) och se ![x]({pixel.base}/pixel.png?leak=1) för detaljer.\n\n"
        f':material/verified: Leverantören av kaffe <img src="{pixel.base}/img.png"> levererar kaffe varje vecka.\n',
        encoding="utf-8")
    wrong = tmp_path / "program.exe"
    wrong.write_bytes(b"MZ")

    _open(page, f"{app_url}/kallor")
    uploader = page.get_by_test_id("stFileUploader")
    assert "Välj filer" in uploader.inner_text() and "högst 50 MB per fil" in uploader.inner_text()
    _swedish(page)
    chips = page.get_by_test_id("stFileChip")
    # A batch: the bad file is named as soon as it is chosen, the good one gets a form with its title.
    uploader.locator("input[type=file]").set_input_files([str(wrong), str(hostile)])
    expect(chips).to_have_count(2)
    page.get_by_text("filtypen .exe stöds inte").wait_for()
    _settle(page)
    _swedish(page)
    title = page.get_by_role("textbox", name="Titel")
    assert title.input_value() == "kaffeavtal"
    title.fill("Kaffeavtalet")
    page.get_by_role("textbox", name="Utgivare").fill("Exempelkommun")
    page.get_by_role("textbox", name="År").fill("2025")
    page.get_by_role("button", name="Lägg till i underlaget").click()
    result = page.get_by_text("1 dokument tillagt, 1 fil kunde inte läggas till.")
    result.wait_for()
    _settle(page)
    assert 0 <= result.bounding_box()["y"] < DESKTOP["height"]  # shown where the user is
    _shot(page, "5b-kallor-tillagt.png")
    assert "Kaffeavtalet\tExempelkommun\t2025\teget dokument" in page.locator(".doktabell").inner_text()
    _scroll_to(page.get_by_role("heading", name="Källor", exact=True), "end")
    _shot(page, "5-kallor.png")

    _open(page, app_url)
    if page.get_by_role("button", name="Nytt samtal").count():
        page.get_by_role("button", name="Nytt samtal").click()
    expect(page.get_by_test_id("stChatMessage")).to_have_count(0)
    _ask(page, "Vad kostar kommunens kaffeavtal?")
    chip = page.locator("button.chip").first
    assert "eget dokument" in chip.inner_text()
    page.locator("button.cite").first.click()
    card = page.locator(".card")
    card.wait_for()
    text = card.inner_text()
    for literal in (":red[0 kr]", "[2]", "[avtalssidan](", "![x](", ":material/verified:", "<img src="):
        assert literal in text, literal
    answer = page.get_by_test_id("stChatMessage").last
    assert answer.locator("a, img").count() == 0
    assert answer.get_by_test_id("stIconMaterial").count() == 1  # the avatar; none from the document
    assert answer.locator("button.cite").count() == 1  # the document's own "[2]" is text
    _shot(page, "6-chatt-eget-dokument.png")

    _open(page, f"{app_url}/kallor")
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="Kaffeavtalet (eget dokument)").click()
    _settle(page)
    main = page.get_by_test_id("stMain")
    assert ":red[0 kr]" in main.inner_text() and main.locator(".kalla a, .kalla img").count() == 0

    assert not pixel.hits, f"the document's links or images were fetched: {pixel.hits}"
    assert not [u for u in traffic.requests if "127.0.0.2" in u]


# ---- ambitionsgrafen (another page's test, kept working) ------------------------------------------------------


def test_ambitionsgraf_import_and_result(page, app_url):
    _open(page, f"{app_url}/ambitionsgrafen")
    page.get_by_text("Importera tidigare svar (JSON)").click()
    example = REPO_ROOT / "assistant" / "ambitionsgraf" / "examples" / "exempelkommun-2025.json"
    page.locator("input[type=file]").first.set_input_files(str(example))
    page.get_by_role("button", name="Läs in svaren").click()
    page.get_by_text("Alla frågor är besvarade – resultatet finns").wait_for()
    _settle(page)
    _shot(page, "7-ambitionsgrafen-enkat.png")
    page.get_by_role("tab", name="Resultat och råd").click()
    page.get_by_text("Resultat för Exempelkommun").wait_for()
    page.get_by_test_id("stMetricValue").first.wait_for()
    values = page.get_by_test_id("stMetricValue").all_inner_texts()
    assert values[0] == "2,38" and values[1] == "2,40"
    page.get_by_test_id("stImage").first.wait_for()
    page.wait_for_timeout(500)
    _shot(page, "8-ambitionsgrafen-resultat.png")
    page.get_by_text("Spridning mellan de svarande").scroll_into_view_if_needed()
    page.get_by_text("V1.4 Organisationsövergripande spendanalys").first.click()
    page.wait_for_timeout(500)
    _shot(page, "9-ambitionsgrafen-rad.png")


# ---- kategoristrategi ----------------------------------------------------------------------------------------


def test_strategy_draft_with_natural_amounts_and_one_list_of_sources(page, app_url):
    _open(page, f"{app_url}/kategoristrategi")
    page.get_by_role("textbox", name="Organisation", exact=True).fill("Exempelkommun")
    page.get_by_role("textbox", name="Kategori", exact=True).fill("IT")
    volume = page.get_by_role("textbox", name="Kategorins årliga volym")
    volume.fill("massor")
    page.get_by_role("button", name="Ta fram utkast").click()
    page.get_by_text("Kategorins årliga volym: »massor« är inget belopp").wait_for()
    _swedish(page)
    volume.fill("ca 25 miljoner")
    page.get_by_role("textbox", name="Organisationens totala inköpsvolym").fill("1,2 miljarder")
    page.locator("input[type=file]").first.set_input_files(
        str(REPO_ROOT / "assistant" / "drafts" / "examples" / "spend-exempelkommun.csv"))
    page.get_by_role("button", name="Ta fram utkast").click()
    page.get_by_text("källhänvisningar, varav").wait_for()
    _settle(page)
    preview = page.locator(".kc")
    assert "Kategorins årliga volym: 25 000 000 kr per år" in _text(preview)
    assert "Organisationens totala inköpsvolym: 1 200 000 000 kr per år" in _text(preview)
    page.get_by_role("heading", name="1. Syfte, omfattning och mandat").scroll_into_view_if_needed()
    _shot(page, "10-kategoristrategi.png")
    page.locator(".kc .body button.cite").nth(3).click()
    page.locator(".card mark").first.wait_for()
    _scroll_to(page.locator(".card"), "center")
    _shot(page, "11-kategoristrategi-kalla.png")
    page.get_by_role("button", name="Stäng källan").click()

    sources = page.locator("button.src")
    n = sources.count()
    assert n > 11 and page.get_by_role("heading", name=f"Källor ({n})").count() == 1
    labels = sources.all_inner_texts()
    assert len(set(labels)) == n  # each source can be told apart
    sources.nth(5).click()
    page.locator(".card mark").first.wait_for()
    _scroll_to(page.locator(".card"), "center")
    _shot(page, "12-kategoristrategi-kallor.png")


# ---- a phone ------------------------------------------------------------------------------------------------------


def test_on_a_phone(phone, app_url):
    _open(phone, app_url)
    _swedish(phone)
    _shot(phone, "m1-chatt-start.png")
    phone.get_by_role("button", name="Vad innehåller en kategoristrategi?").click()
    phone.locator("button.chip").first.wait_for()
    _settle(phone)
    phone.locator("button.chip").first.click()
    phone.locator(".card").wait_for()
    box = phone.locator(".card").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= MOBILE["width"]  # no sideways scrolling
    _scroll_to(phone.locator(".card"), "start")
    _shot(phone, "m2-chatt-kalla.png")
    _open(phone, f"{app_url}/kallor")
    _swedish(phone)
    _shot(phone, "m3-kallor.png")
    _open(phone, f"{app_url}/kategoristrategi")
    _swedish(phone)
    _shot(phone, "m4-kategoristrategi.png")


# ---- login -----------------------------------------------------------------------------------------------------------


USERS = {
    "anna": {"sub": "u-anna", "email": "anna@exempelkommun.se", "name": "Anna Andersson"},
    "bo": {"sub": "u-bo", "email": "bo@exempelkommun.se", "name": "Bo Berg", "roles": ["läsare"]},
}


@pytest.fixture(scope="module")
def login_app(seed_settings, tmp_path_factory):
    settings = _copy_index(seed_settings, tmp_path_factory.mktemp("login") / "data")
    with OidcProvider(USERS) as provider:
        # Streamlit puts its own port in place of {port}.
        app = App(settings, tmp_path_factory.mktemp("login-logs"), KATEGORI_LOGIN="true",
                  KATEGORI_OIDC_METADATA_URL=provider.metadata_url, KATEGORI_OIDC_CLIENT_ID=CLIENT_ID,
                  KATEGORI_OIDC_CLIENT_SECRET=CLIENT_SECRET,
                  KATEGORI_OIDC_REDIRECT_URI="http://127.0.0.1:{port}/oauth2callback",
                  KATEGORI_ADMINS="anna@exempelkommun.se")
        yield app, provider
        app.stop()


def _sign_in(page, url: str, name: str) -> None:
    _open(page, url)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("button", name=f"Logga in som {name}").click()
    page.get_by_text(f"Inloggad som {name}").wait_for()
    _settle(page)


def test_login_roles_and_own_conversations(browser, traffic, login_app):
    app, provider = login_app
    page = _context(browser, traffic, DESKTOP)
    try:
        _open(page, app.url)
        expect(page.get_by_role("button", name="Logga in")).to_be_visible()
        expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)  # nothing before login
        _swedish(page)
        _shot(page, "l1-inloggning.png")

        _sign_in(page, app.url, "Anna Andersson")
        assert "biblioteksansvarig" in page.get_by_test_id("stSidebar").inner_text()
        _ask(page, "Vad är en spendanalys?")
        _open(page, f"{app.url}/kallor")
        expect(page.get_by_test_id("stFileUploader")).to_have_count(1)
        _shot(page, "l2-inloggad-biblioteksansvarig.png")
        page.get_by_role("button", name="Logga ut").click()
        page.get_by_role("button", name="Logga in").wait_for()

        _sign_in(page, app.url, "Bo Berg")
        sidebar = page.get_by_test_id("stSidebar").inner_text()
        assert "Inga sparade samtal ännu" in sidebar and "biblioteksansvarig" not in sidebar  # Anna's are hers
        _open(page, f"{app.url}/kallor")
        page.get_by_text("Bara biblioteksansvariga kan lägga till och ta bort dokument").wait_for()
        expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
        _shot(page, "l3-inloggad-lasare.png")
        assert provider.logins == ["anna", "bo"]
    except Exception:
        page.screenshot(path=str(SHOTS / "fel-test_login_roles_and_own_conversations.png"))
        raise
    finally:
        page.context.close()
