"""Secrets never reach a message or a log: API keys from the settings and credentials written into a
URL (`https://user:KEY@host/v1`, `…?api-key=KEY`) are replaced by `***` wherever text is shown.

`redact(text)` is the one helper every user-facing message and log record goes through: the error
classes in `assistant.errors` apply it to their text, and `register_secrets(settings)` (called when a
language model is configured) adds the configured key and the URL's credentials to the known secrets
and redacts every log record from then on, including the tracebacks attached to it. URLs are redacted
by their shape as well, so a secret in a URL the settings never saw (a redirect, an error body) is
hidden too.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote, urlsplit

if TYPE_CHECKING:
    from assistant.config import Settings

MASK = "***"
# Query parameters that carry credentials in the APIs people put behind KATEGORI_LLM_BASE_URL
# (Azure OpenAI `api-key`, Google `key`, signed URLs `sig`, OAuth `access_token` …).
_SECRET_PARAM = re.compile(
    r"(?i)^(?:api[-_]?key|apikey|key|token|access[-_]?token|auth|authorization|secret|client[-_]?secret|"
    r"password|passwd|pwd|sig|signature|code|x[-_]api[-_]key|subscription[-_]key)$"
)
_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s\"'<>`]+")
# Up to the last "@" before the path: an unencoded "@" inside a password must not leave its tail visible.
_USERINFO = re.compile(r"^(?P<scheme>[^:/]+://)(?P<userinfo>[^/?#]*)@")
_QUERY_PAIR = re.compile(r"(?P<sep>[?&;])(?P<name>[^=&;#\s]+)=(?P<value>[^&;#\s]*)")
_BEARER = re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]{8,}")
# Secrets shorter than this are not replaced as plain text: "a" or "test" would mangle every message.
_MIN_LITERAL = 6

_secrets: set[str] = set()
_lock = threading.Lock()
_installed = False


def redact_url(url: str | None) -> str:
    """`url` with its password/token userinfo and secret query values replaced by `***`."""
    if not url:
        return ""

    def userinfo(m: re.Match) -> str:
        info = m.group("userinfo")
        user, sep, _password = info.partition(":")
        # "user:KEY@" keeps the user name; a bare "KEY@" is itself the credential.
        return f"{m.group('scheme')}{user}:{MASK}@" if sep else f"{m.group('scheme')}{MASK}@"

    out = _USERINFO.sub(userinfo, url, count=1)

    def pair(m: re.Match) -> str:
        if _SECRET_PARAM.match(unquote(m.group("name"))) and m.group("value"):
            return f"{m.group('sep')}{m.group('name')}={MASK}"
        return m.group(0)

    return _QUERY_PAIR.sub(pair, out)


def url_secrets(url: str | None) -> set[str]:
    """The credentials inside `url` (userinfo password or bare token, secret query values), as written
    and percent-decoded, so they can be found again in any text."""
    if not url:
        return set()
    found: set[str] = set()
    try:
        parts = urlsplit(url)
    except ValueError:
        return found
    netloc = parts.netloc
    if "@" in netloc:
        info = netloc.rsplit("@", 1)[0]
        user, sep, password = info.partition(":")
        found.add(password if sep else user)
    for name, value in parse_qsl(parts.query, keep_blank_values=False):
        if _SECRET_PARAM.match(name):
            found.add(value)
    return {s for v in found if v for s in (v, unquote(v))}


def register_secrets(settings: Settings) -> None:
    """Remember the configured API key and the base URL's credentials, and redact all logging."""
    new = set(url_secrets(settings.llm_base_url))
    key = settings.api_key()
    if key:
        new.add(key)
    with _lock:
        _secrets.update(s for s in new if len(s) >= _MIN_LITERAL)
    _install_log_redaction()


def redact(text: str) -> str:
    """`text` with every known secret, every URL credential and every bearer token replaced by `***`."""
    if not text:
        return text
    for secret in sorted(_secrets, key=len, reverse=True):  # longest first: one key may contain another
        if secret in text:
            text = text.replace(secret, MASK)
    text = _URL.sub(lambda m: redact_url(m.group(0)), text)
    return _BEARER.sub(lambda m: f"{m.group(1)} {MASK}", text)


def _install_log_redaction() -> None:
    """Redact every log record when it is created (before any handler formats it), whoever logs it:
    our modules, httpx, openai, langchain, Streamlit."""
    global _installed
    with _lock:
        if _installed:
            return
        _installed = True
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call must still be logged, and never crash the caller
            message = str(record.msg)
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return record

    logging.setLogRecordFactory(factory)
