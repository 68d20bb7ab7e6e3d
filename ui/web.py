"""ASGI middleware in front of Streamlit: the app's HTML page, made ready for direct links.

Opened at a page's own address (/kallor), Streamlit's page script guesses that the server might live
under /kallor/ and first asks /kallor/_stcore/health and /kallor/_stcore/host-config – two 404s in the
browser's console on every direct link or reload. Telling the page script where the server is
(`window.__streamlit.BACKEND_BASE_URL`, read by Streamlit's frontend) removes the guess. The page also
says it is Swedish (`lang="sv"`), so browsers neither offer to translate it nor spell-check it as English.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit import config


def boot_script(base_url_path: str) -> bytes:
    base = "/".join(p for p in base_url_path.split("/") if p)
    path = f"/{base}/" if base else "/"
    return f"<script>window.__streamlit={{BACKEND_BASE_URL:window.location.origin+'{path}'}};</script>".encode()


def edit_page(html: bytes, base_url_path: str) -> bytes:
    html = html.replace(b"<head>", b"<head>" + boot_script(base_url_path), 1)
    html = html.replace(b'<html lang="en">', b'<html lang="sv">', 1)
    return html.replace(b"<title>Streamlit</title>", b"<title>Kategoriassistenten</title>", 1)


class IndexPageMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers", [])) if scope["type"] == "http" else {}
        if scope["type"] != "http" or scope.get("method") != "GET" or b"text/html" not in headers.get(b"accept", b""):
            await self.app(scope, receive, send)
            return
        # Uncompressed, so the page can be edited on its way out (it is 3 kB).
        scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k != b"accept-encoding"]}
        start: Message | None = None
        body = b""

        async def edit(message: Message) -> None:
            nonlocal start, body
            if message["type"] == "http.response.start":
                content_type = dict(message.get("headers", [])).get(b"content-type", b"")
                if message.get("status") == 200 and content_type.startswith(b"text/html"):
                    start = message  # held until the body is complete
                    return
                await send(message)
            elif start is not None:
                body += message.get("body", b"")
                if not message.get("more_body"):
                    page = edit_page(body, config.get_option("server.baseUrlPath") or "")
                    headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
                    await send({**start, "headers": [*headers, (b"content-length", str(len(page)).encode())]})
                    await send({"type": "http.response.body", "body": page})
            else:
                await send(message)

        await self.app(scope, receive, edit)
