"""Secrets never reach a message or a log: the API key from the settings and credentials inside
KATEGORI_LLM_BASE_URL (userinfo `user:KEY@host`, query parameters like `?api-key=KEY`)."""

from __future__ import annotations

import json
import logging

import pytest

from assistant.answers.llm import LLMError, chat_model, describe_error
from assistant.config import Settings
from assistant.errors import InputError, KategoriError
from assistant.redact import redact, redact_url, register_secrets, url_secrets

from .conftest import run_cli

KEY = "sk-hemlig-nyckel-4711"
URL_PASSWORD = "urlhemlis-0815"
URL_TOKEN = "frågetoken-5150"
BASE_URL = f"https://kommun:{URL_PASSWORD}@llm.example.se/v1?api-version=2024-06&api-key={URL_TOKEN}"
SECRETS = (KEY, URL_PASSWORD, URL_TOKEN)


@pytest.mark.parametrize(("url", "expected"), [
    ("https://user:pa55word@host:8443/v1", "https://user:***@host:8443/v1"),
    ("https://ab12cd34ef@host/v1", "https://***@host/v1"),
    ("https://user:p@ss@host/v1", "https://user:***@host/v1"),  # an unencoded @ inside the password
    ("https://host/v1?api-key=abc&api-version=2024", "https://host/v1?api-key=***&api-version=2024"),
    ("https://host/v1?key=abc#top", "https://host/v1?key=***#top"),
    ("http://host/v1?access_token=abc&sig=def&x=1", "http://host/v1?access_token=***&sig=***&x=1"),
    ("http://localhost:11434", "http://localhost:11434"),
    ("https://api.openai.com/v1?keyword=allowed", "https://api.openai.com/v1?keyword=allowed"),
    (None, ""),
])
def test_redact_url(url, expected):
    assert redact_url(url) == expected


def test_url_secrets_are_found_as_written_and_decoded():
    assert url_secrets("https://u:p%40ss@h/v1?token=a%2Bb") == {"p%40ss", "p@ss", "a+b"}
    assert url_secrets("http://localhost:11434/v1") == set()


def test_redact_finds_urls_keys_and_bearer_tokens_in_any_text():
    register_secrets(Settings(llm="openai", llm_model="m", llm_base_url=BASE_URL, llm_api_key=KEY))
    text = (f"POST {BASE_URL} failed; headers Authorization: Bearer {KEY}; body echoed "
            f"'{KEY}' and {URL_TOKEN}; see also http://other:pw123456@h2/x?token=zzz9999.")
    clean = redact(text)
    for secret in (*SECRETS, "pw123456", "zzz9999"):
        assert secret not in clean
    assert "POST https://kommun:***@llm.example.se/v1?api-version=2024-06&api-key=*** failed" in clean
    assert "Bearer ***" in clean and "http://other:***@h2/x?token=***" in clean
    assert redact("Svaret kom från http://localhost:11434 på 2 s.") == "Svaret kom från http://localhost:11434 på 2 s."


def test_every_user_error_is_redacted_whoever_raises_it():
    register_secrets(Settings(llm="openai", llm_model="m", llm_api_key=KEY))
    assert KEY not in str(KategoriError(f"Något gick fel med nyckeln {KEY}."))
    assert str(InputError(f"Adressen {BASE_URL} gick inte att nå.")).count("***") == 2


class _Failure(Exception):
    def __init__(self, message: str = "", status_code: int | None = None):
        super().__init__(message)
        self.status_code = status_code


class APIConnectionError(_Failure):
    pass


class AuthenticationError(_Failure):
    pass


class NotFoundError(_Failure):
    pass


class RateLimitError(_Failure):
    pass


class TimeoutError_(_Failure):  # noqa: N801 – the name must contain "timeout" like httpx's
    pass


@pytest.mark.parametrize(("err", "kind"), [
    (APIConnectionError(f"Connection error to {BASE_URL}"), "connection"),
    (TimeoutError_("timed out"), "timeout"),
    (AuthenticationError(f"Incorrect API key provided: {KEY}", 401), "auth"),
    (NotFoundError("no such model", 404), "not_found"),
    (RateLimitError("slow down", 429), "rate_limit"),
    (_Failure("boom", 503), "server"),
    (ValueError("odd"), "bad_response"),
])
def test_model_errors_name_the_endpoint_without_its_credentials(err, kind):
    settings = Settings(llm="openai", llm_model="gpt-test", llm_base_url=BASE_URL, llm_api_key=KEY)
    message = str(describe_error(err, settings))
    assert describe_error(err, settings).kind == kind
    for secret in SECRETS:
        assert secret not in message
    if kind not in ("not_found",):
        assert "llm.example.se" in message


def test_creating_the_model_registers_the_secrets_and_logs_are_redacted(caplog):
    settings = Settings(llm="openai", llm_model="gpt-test", llm_base_url=BASE_URL.replace("4711", "0"),
                        llm_api_key=KEY + "-logg")
    chat_model(settings)
    log = logging.getLogger("httpx")
    with caplog.at_level(logging.INFO):
        log.info("HTTP Request: POST %s \"HTTP/1.1 401\" with key %s", BASE_URL, KEY + "-logg")
        try:
            raise ConnectionError(f"kunde inte ansluta till {BASE_URL}")
        except ConnectionError:
            log.exception("anropet misslyckades")
    text = caplog.text
    assert "HTTP Request: POST https://kommun:***@llm.example.se/v1?api-version=2024-06&api-key=***" in text
    assert "ConnectionError: kunde inte ansluta till https://kommun:***@" in text  # the traceback too
    for secret in (*SECRETS, KEY + "-logg"):
        assert secret not in text


def test_llm_error_keeps_its_kind_and_offline_offer():
    err = LLMError(f"Språkmodellen på {BASE_URL} svarade inte.", "timeout")
    assert err.kind == "timeout" and err.offline_fallback and URL_TOKEN not in str(err)


@pytest.mark.slow
def test_cli_never_prints_the_key_or_url_credentials(seed_settings):
    """As a user runs it: credentials in KATEGORI_LLM_BASE_URL and the key, an endpoint that cannot be reached."""
    url = f"http://kommun:{URL_PASSWORD}@127.0.0.1:9/v1?api-key={URL_TOKEN}"
    result = run_cli(["ask", "Vad är en spendanalys?", "--json"], seed_settings, KATEGORI_LLM="openai",
                     KATEGORI_LLM_MODEL="testmodell", KATEGORI_LLM_BASE_URL=url, OPENAI_API_KEY=KEY,
                     KATEGORI_LLM_TIMEOUT="2")
    assert result.returncode == 1
    assert "Kunde inte nå språkmodellen på http://kommun:***@127.0.0.1:9/v1?api-key=***" in result.stderr
    for secret in SECRETS:
        assert secret not in result.stderr and secret not in result.stdout
    fallback = run_cli(["ask", "Vad är en spendanalys?", "--json", "--fallback"], seed_settings,
                       KATEGORI_LLM="openai", KATEGORI_LLM_MODEL="testmodell", KATEGORI_LLM_BASE_URL=url,
                       OPENAI_API_KEY=KEY, KATEGORI_LLM_TIMEOUT="2")
    assert fallback.returncode == 0 and json.loads(fallback.stdout)["mode"] == "none"
    for secret in SECRETS:
        assert secret not in fallback.stderr and secret not in fallback.stdout
