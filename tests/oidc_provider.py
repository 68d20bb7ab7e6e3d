"""A small OpenID Connect provider on 127.0.0.1 for the login tests: discovery, an authorization page
where the tester picks a user, the code exchange (with PKCE), and ID tokens signed with a fresh RSA key
(joserfc, the JOSE library behind Authlib). Enough for Streamlit's `st.login`, nothing more."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "kategoriassistenten"
CLIENT_SECRET = "test-hemlighet"


class OidcProvider:
    """`users` maps a login name to its claims (sub, email, name, roles …)."""

    def __init__(self, users: dict[str, dict[str, Any]]):
        self.users = users
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-nyckel", "use": "sig", "alg": "RS256"},
                                       private=True)
        self.codes: dict[str, dict[str, Any]] = {}
        self.logins: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def __enter__(self) -> OidcProvider:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ---- protocol ----------------------------------------------------------------------------------------

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "profile", "email"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        }

    def login_page(self, query: dict[str, str]) -> str:
        if query.get("client_id") != CLIENT_ID:
            raise ValueError("okänd klient")
        buttons = "".join(
            f'<form method="post" action="/authorize"><input type="hidden" name="user" value="{html.escape(name)}">'
            + "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in query.items())
            + f'<button type="submit">Logga in som {html.escape(claims["name"])}</button></form>'
            for name, claims in self.users.items()
        )
        return (f'<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Testinloggning</title>'
                f'<link rel="icon" href="data:,"></head><body><h1>Testinloggning</h1>{buttons}</body></html>')

    def approve(self, form: dict[str, str]) -> str:
        user = self.users[form["user"]]
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"user": user, "nonce": form.get("nonce"), "redirect_uri": form["redirect_uri"],
                            "challenge": form.get("code_challenge")}
        self.logins.append(form["user"])
        return f"{form['redirect_uri']}?{urlencode({'code': code, 'state': form.get('state', '')})}"

    def token(self, form: dict[str, str], authorization: str | None) -> dict[str, Any]:
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(authorization[6:]).decode().partition(":")
        if (client_id, client_secret) != (CLIENT_ID, CLIENT_SECRET):
            raise PermissionError("fel klienthemlighet")
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
            raise PermissionError("okänd kod")
        if grant["challenge"]:
            verifier = form.get("code_verifier", "").encode()
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
            if digest != grant["challenge"]:
                raise PermissionError("fel PKCE-verifierare")
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "iat": now, "exp": now + 600, **grant["user"]}
        if grant["nonce"]:
            claims["nonce"] = grant["nonce"]
        id_token = jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key)
        return {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 600,
                "id_token": id_token}

    # ---- HTTP ---------------------------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: str | dict, content_type: str = "application/json",
                      location: str | None = None) -> None:
                data = (json.dumps(body) if isinstance(body, dict) else body).encode()
                self.send_response(status)
                self.send_header("Content-Type", f"{content_type}; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-store")
                if location:
                    self.send_header("Location", location)
                self.end_headers()
                self.wfile.write(data)

            def _form(self) -> dict[str, str]:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                return {k: v[0] for k, v in parse_qs(raw).items()}

            def do_GET(self) -> None:  # noqa: N802
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self._send(200, provider.metadata())
                elif url.path == "/jwks":
                    self._send(200, {"keys": [provider.key.as_dict(private=False)]})
                elif url.path == "/authorize":
                    try:
                        self._send(200, provider.login_page(query), "text/html")
                    except ValueError as err:
                        self._send(400, {"error": str(err)})
                else:
                    self._send(404, {"error": "not_found"})

            def do_POST(self) -> None:  # noqa: N802
                url = urlparse(self.path)
                form = self._form()
                if url.path == "/authorize":
                    self._send(302, "", "text/plain", location=provider.approve(form))
                elif url.path == "/token":
                    try:
                        self._send(200, provider.token(form, self.headers.get("Authorization")))
                    except PermissionError as err:
                        self._send(400, {"error": "invalid_grant", "error_description": str(err)})
                else:
                    self._send(404, {"error": "not_found"})

        return Handler
