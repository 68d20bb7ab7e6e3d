"""The language model, chosen by configuration: any OpenAI-compatible endpoint or Ollama.

Every failure of the endpoint becomes an `LLMError` with a Swedish message saying what to check;
the CLI and UI use `offline_fallback` to offer an offline answer instead. The API key is read from
configuration and passed to the client only; it is never logged or shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from assistant.answers.models import DraftAnswer
from assistant.config import Settings
from assistant.errors import KategoriError
from assistant.redact import redact_url, register_secrets

# LangChain's chat models take a second to import; only the model-backed modes do (chat_model()).
if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import AIMessage, BaseMessage

ErrorKind = Literal["connection", "timeout", "auth", "not_found", "tools_unsupported", "rate_limit", "bad_response", "server"]


class LLMError(KategoriError):
    def __init__(self, message: str, kind: ErrorKind):
        super().__init__(message)
        self.kind = kind
        self.offline_fallback = True


class StructuredOutputUnsupported(Exception):
    """The endpoint or model could not produce the structured answer; use the text format."""


def chat_model(settings: Settings) -> BaseChatModel:
    register_secrets(settings)
    key = settings.api_key()
    if key is not None and not key.isascii():
        # HTTP headers are ASCII; a pasted key with a stray "ä" or a typographic dash would fail later
        # with an encoding error that says nothing about the key.
        raise LLMError("API-nyckeln innehåller tecken som inte kan skickas (bara ASCII är tillåtet). "
                       f"Kontrollera KATEGORI_LLM_API_KEY eller {settings.llm_api_key_env}.", "auth")
    if settings.llm == "openai":
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=settings.llm_model,
            base_url=settings.llm_base_url,
            # Local OpenAI-compatible servers need no key, but the client insists on one.
            api_key=key or "ingen-nyckel",
            timeout=settings.llm_timeout,
            max_retries=1,
            temperature=settings.llm_temperature,
            max_tokens=settings.llm_max_tokens,
        )
    if settings.llm == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(
            model=settings.llm_model,
            base_url=settings.llm_base_url,
            temperature=settings.llm_temperature,
            num_predict=settings.llm_max_tokens,
            seed=0,
            client_kwargs={"timeout": settings.llm_timeout},
        )
    raise KategoriError("Ingen språkmodell är konfigurerad (KATEGORI_LLM=none).")


def describe_error(err: Exception, settings: Settings) -> LLMError:
    """A Swedish explanation of what went wrong when talking to the model."""
    url = redact_url(settings.llm_base_url)
    where = f"{url} (modell {settings.llm_model})"
    name = type(err).__name__
    text = str(err).lower()
    status = getattr(err, "status_code", None) or getattr(getattr(err, "response", None), "status_code", None)
    if "timeout" in name.lower() or "timed out" in text:
        return LLMError(f"Språkmodellen på {where} svarade inte inom {settings.llm_timeout:.0f} sekunder.", "timeout")
    if name in ("APIConnectionError", "ConnectError", "ConnectionError", "RequestError") or "connection" in text:
        return LLMError(
            f"Kunde inte nå språkmodellen på {url}. Kontrollera KATEGORI_LLM_BASE_URL och att tjänsten är igång.",
            "connection",
        )
    if status in (401, 403) or name in ("AuthenticationError", "PermissionDeniedError"):
        return LLMError(
            f"Språkmodellen på {url} avvisade API-nyckeln (HTTP {status or 401}). Kontrollera "
            f"KATEGORI_LLM_API_KEY eller miljövariabeln {settings.llm_api_key_env}.",
            "auth",
        )
    if "tool" in text and (status in (400, 422, 500, 501) or "support" in text):
        return LLMError(
            f"Modellen {settings.llm_model} stöder inte verktygsanrop (tool calling), som agenten behöver. "
            "Sätt KATEGORI_LLM_AGENT=false (eller använd --no-agent) för att använda modellen utan agent.",
            "tools_unsupported",
        )
    if status == 404 or name == "NotFoundError":
        return LLMError(f"Modellen {settings.llm_model} eller adressen {url} finns inte (HTTP 404).", "not_found")
    if status == 429 or name == "RateLimitError":
        return LLMError(f"Språkmodellen på {where} begränsar antalet anrop (HTTP 429). Försök igen om en stund.", "rate_limit")
    if status is not None and status >= 500:
        return LLMError(f"Språkmodellen på {where} svarade med ett serverfel (HTTP {status}).", "server")
    return LLMError(f"Språkmodellen på {where} gav ett oväntat fel ({name}).", "bad_response")


def _structured_error(err: Exception) -> bool:
    text = str(err).lower()
    return any(k in text for k in ("response_format", "json_schema", "json schema", "structured", "format"))


def generate_structured(model: BaseChatModel, messages: list[BaseMessage], settings: Settings) -> DraftAnswer:
    method = "json_schema"
    try:
        runnable = model.with_structured_output(DraftAnswer, method=method)
        result = runnable.invoke(messages)
    except NotImplementedError as err:
        raise StructuredOutputUnsupported(str(err)) from err
    except Exception as err:
        if _is_transport_error(err) and not _structured_error(err):
            raise describe_error(err, settings) from err
        raise StructuredOutputUnsupported(str(err)) from err
    if not isinstance(result, DraftAnswer):
        raise StructuredOutputUnsupported("svaret gick inte att tolka som ett strukturerat svar")
    return result


def generate_text(model: BaseChatModel, messages: list[BaseMessage], settings: Settings) -> str:
    try:
        reply = model.invoke(messages)
    except Exception as err:
        raise describe_error(err, settings) from err
    return _content(reply)


def stream_text(model: BaseChatModel, messages: list[BaseMessage], settings: Settings) -> Iterator[str]:
    try:
        for chunk in model.stream(messages):
            piece = _content(chunk)
            if piece:
                yield piece
    except Exception as err:
        raise describe_error(err, settings) from err


def _content(message: AIMessage | BaseMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)


def _is_transport_error(err: Exception) -> bool:
    name = type(err).__name__
    return name.endswith(("ConnectionError", "TimeoutError", "AuthenticationError", "PermissionDeniedError",
                          "RateLimitError", "NotFoundError", "ConnectError", "InternalServerError")) or (
        getattr(err, "status_code", None) in (401, 403, 404, 429)
    )

