"""Who is using the app, and what they may do.

Login is optional (KATEGORI_LOGIN, OpenID Connect through Streamlit's `st.login`). With login off the
app serves this computer only (127.0.0.1) and its one user may do everything. With login on, everyone
may ask, score and draft; only library admins (KATEGORI_ADMINS, or KATEGORI_ADMIN_ROLE in the
KATEGORI_ROLE_CLAIM claim) add and remove documents.

Other pages use `current_identity()`: conversations belong to `identity.user_id`, organisation-wide
things (ambitionsgraf history) to `identity.organisation`.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.config import Settings

LOCAL_USER = "lokal"


@dataclass(frozen=True)
class Identity:
    user_id: str  # stable: "lokal" with login off, else "oidc:<issuer>|<sub>"
    name: str
    email: str | None = None
    organisation: str = ""  # "" when unknown (login off)
    roles: frozenset[str] = field(default_factory=frozenset)
    is_admin: bool = False
    signed_in: bool = False

    @property
    def can_manage_library(self) -> bool:
        return self.is_admin


def local_identity() -> Identity:
    """Login off: the app serves only this computer, and the person at it owns the library."""
    return Identity(user_id=LOCAL_USER, name="Lokal användare", is_admin=True)


def _claim_values(value: Any) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, str):
        return {v for v in value.replace(",", " ").split() if v}
    if isinstance(value, list | tuple | set | frozenset):
        return {str(v) for v in value}
    return {str(value)}


def identity_from_claims(claims: Mapping[str, Any], settings: Settings) -> Identity:
    """The signed-in user from the ID token's claims (what Streamlit puts in `st.user`)."""
    sub = str(claims.get("sub") or "")
    email = claims.get("email") or None
    issuer = str(claims.get("iss") or "")
    name = str(claims.get("name") or claims.get("preferred_username") or email or sub)
    roles = frozenset(_claim_values(claims.get(settings.role_claim)))
    admins = {a.lower() for a in settings.admins}
    is_admin = settings.admin_role in roles or bool({sub.lower(), str(email or "").lower()} & admins - {""})
    if settings.org_claim:
        org = " ".join(sorted(_claim_values(claims.get(settings.org_claim))))
    else:
        org = str(email).rsplit("@", 1)[1].lower() if email and "@" in str(email) else ""
    return Identity(user_id=f"oidc:{issuer}|{sub}", name=name, email=email, organisation=org, roles=roles,
                    is_admin=is_admin, signed_in=True)


def is_loopback(address: str | None) -> bool:
    if not address:
        return False  # Streamlit without an address listens on every interface
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def cookie_secret(settings: Settings) -> str:
    """The key that signs the login cookie: from the configuration, or made once and kept in the data
    directory, so a restart does not sign everyone out."""
    if settings.oidc_cookie_secret is not None:
        return settings.oidc_cookie_secret.get_secret_value()
    path: Path = settings.data_dir / "inloggning-nyckel"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(value)
    return value


def streamlit_secrets(settings: Settings) -> dict[str, Any]:
    """The `[auth]` section Streamlit's `st.login` reads, built from KATEGORI_* settings."""
    if not settings.login:
        return {}
    assert settings.oidc_client_secret is not None  # checked by Settings
    return {
        "auth": {
            "redirect_uri": settings.oidc_redirect_uri,
            "cookie_secret": cookie_secret(settings),
            "client_id": settings.oidc_client_id,
            "client_secret": settings.oidc_client_secret.get_secret_value(),
            "server_metadata_url": settings.oidc_metadata_url,
            "client_kwargs": {"scope": settings.oidc_scope},
        }
    }


# ---- Streamlit glue -------------------------------------------------------------------------------------


def current_identity() -> Identity | None:
    """The user of this session: the local user with login off, the signed-in user with login on,
    None when login is on and nobody is signed in yet."""
    import streamlit as st

    from ui import state

    settings = state.settings()
    if not settings.login:
        return local_identity()
    if not st.user.is_logged_in:
        return None
    return identity_from_claims(st.user.to_dict(), settings)
