"""Saved conversations, the Word export, who the user is, and the page the server sends – without
Streamlit's script runner."""

from __future__ import annotations

import io
import os
import sqlite3
import stat
from datetime import UTC, datetime, timedelta

import pytest
from docx import Document

from assistant.answers.models import Answer, Citation
from assistant.config import Settings
from ui import chat
from ui import citations as cv
from ui.auth import cookie_secret, identity_from_claims, is_loopback, local_identity, streamlit_secrets
from ui.conversations import ConversationStore, StoreError, Turn, conversation_title
from ui.export import ExportTurn, conversation_docx
from ui.web import edit_page


def _answer(text: str, quotes: list[str]) -> Answer:
    chunk = " ".join(quotes) + " Mer text."
    cites = [Citation(n=i, doc_id="dok", title=f"Titel {q[:5]}", publisher="Myndigheten", year=2022, page=len(q),
                      section="1 Inledning", chunk_id=f"dok-{i}", chunk_text=chunk, quote=q,
                      quote_start=chunk.index(q), quote_end=chunk.index(q) + len(q), verified=True)
             for i, q in enumerate(quotes, 1)]
    return Answer(question="q", answered=True, answer=text, citations=cites, mode="none")


# ---- conversations ----------------------------------------------------------------------------------------


def test_conversations_are_saved_per_owner_and_survive_a_new_store(tmp_path):
    path = tmp_path / "samtal.sqlite3"
    store = ConversationStore(path)
    conv = store.create("webbläsare:a", "Vad är en spendanalys?")
    answer = _answer("Så här: »En analys av inköpen.« [1]", ["En analys av inköpen."])
    store.append("webbläsare:a", conv, Turn(role="user", content="Vad är en spendanalys?"))
    store.append("webbläsare:a", conv, Turn(role="assistant", content=answer.answer, answer=answer))
    other = store.create("webbläsare:b", "Annan fråga")

    reopened = ConversationStore(path).get("webbläsare:a", conv)
    assert reopened is not None and [t.role for t in reopened.turns] == ["user", "assistant"]
    assert reopened.turns[1].answer == answer  # citations, offsets and all
    assert ConversationStore(path).get("webbläsare:b", conv) is None  # someone else's
    assert [s.id for s in store.list("webbläsare:a")] == [conv]
    assert store.list("webbläsare:a")[0].turns == 2
    with pytest.raises(StoreError, match="finns inte längre"):
        store.append("webbläsare:a", other, Turn(role="user", content="intrång"))
    assert not store.delete("webbläsare:a", other)
    assert store.delete("webbläsare:a", conv) and store.get("webbläsare:a", conv) is None
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM turns WHERE conversation_id = ?", (conv,)).fetchone() == (0,)


def test_a_damaged_database_gives_a_swedish_error_and_is_left_alone(tmp_path):
    path = tmp_path / "samtal.sqlite3"
    path.write_bytes(b"inte en databas" * 100)
    with pytest.raises(StoreError, match="Samtalsdatabasen .* kan inte läsas"):
        ConversationStore(path).list("x")
    assert path.read_bytes() == b"inte en databas" * 100


def test_titles_and_the_list_entry():
    assert conversation_title("  Vad   är en spendanalys? ") == "Vad är en spendanalys?"
    long = conversation_title("ord " * 40)
    assert len(long) <= 70 and long.endswith(" …")
    now = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
    assert chat.when_text(now - timedelta(hours=1), now) == "i dag 14:00"
    assert chat.when_text(now - timedelta(days=1), now) == "i går 15:00"
    assert chat.when_text(datetime(2026, 3, 4, tzinfo=UTC), now) == "4 mars"
    assert chat.when_text(datetime(2025, 3, 4, tzinfo=UTC), now) == "4 mars 2025"


# ---- the Word export ---------------------------------------------------------------------------------------


def test_word_export_has_every_question_and_one_renumbered_sources_list():
    first = _answer("Ett: »Alfa säger så.« [1] Två: »Beta säger så.« [2]", ["Alfa säger så.", "Beta säger så."])
    second = _answer("Igen: »Beta säger så.« [1]", ["Beta säger så."])
    turns = [Turn(role="user", content="Fråga ett?"), Turn(role="assistant", content=first.answer, answer=first),
             Turn(role="user", content="Fråga två?"), Turn(role="assistant", content=second.answer, answer=second),
             Turn(role="user", content="Fråga tre?"), Turn(role="assistant", content="Språkmodellen svarade inte.")]

    def views(i: int) -> list[cv.SourceView]:
        answer = turns[i].answer
        return [cv.source_view(c, None, None) for c in answer.citations]

    exported = chat.export_turns(turns, views)
    assert [e.question for e in exported] == ["Fråga ett?", "Fråga två?", "Fråga tre?"]
    data = conversation_docx("Fråga ett?", exported, "Offline", when=datetime(2026, 11, 22, 14, 3))
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "Fråga två?" in text and "Exporterat 2026-11-22 14:03" in text
    assert "Igen: »Beta säger så.« [2]" in text  # the second answer's [1] is the conversation's [2]
    assert "Språkmodellen svarade inte." in text
    sources = text.split("Källor\n", 1)[1]
    assert sources.count("[1]\t") == 1 and sources.count("[2]\t") == 1 and "[3]" not in sources
    assert "»Beta säger så.« – verifierat" in sources


def test_export_turns_keep_a_question_left_without_answer():
    turns = [Turn(role="user", content="Ställd men aldrig besvarad?")]
    assert chat.export_turns(turns, lambda i: []) == [
        ExportTurn(question="Ställd men aldrig besvarad?", answer=None, text="(Inget svar sparades.)", sources=[])]


# ---- who is asking -------------------------------------------------------------------------------------------


def test_roles_and_organisation_from_claims_or_configuration():
    settings = Settings(admins=["Anna@Kommun.se"], admin_role="kategori-admin", role_claim="roles")
    admin_by_list = identity_from_claims({"sub": "1", "iss": "https://idp", "email": "anna@kommun.se",
                                          "name": "Anna"}, settings)
    assert admin_by_list.is_admin and admin_by_list.organisation == "kommun.se"
    assert admin_by_list.user_id == "oidc:https://idp|1"
    admin_by_role = identity_from_claims({"sub": "2", "email": "bo@region.se", "roles": ["läsare", "kategori-admin"]},
                                         settings)
    assert admin_by_role.is_admin
    reader = identity_from_claims({"sub": "3", "email": "cia@region.se", "roles": "läsare"}, settings)
    assert not reader.can_manage_library and reader.signed_in
    by_claim = identity_from_claims({"sub": "4", "org": ["Region Exempel"]}, Settings(org_claim="org"))
    assert by_claim.organisation == "Region Exempel" and not by_claim.is_admin
    assert local_identity().can_manage_library and not local_identity().signed_in


def test_only_loopback_addresses_count_as_this_computer():
    assert all(is_loopback(a) for a in ("127.0.0.1", "127.0.0.2", "::1", "localhost"))
    assert not any(is_loopback(a) for a in ("0.0.0.0", "", None, "192.168.1.10", "server.kommun.se"))


def test_login_settings_become_streamlits_auth_section(tmp_path, monkeypatch):
    assert streamlit_secrets(Settings(data_dir=tmp_path)) == {}
    with pytest.raises(ValueError, match="KATEGORI_OIDC_METADATA_URL, KATEGORI_OIDC_CLIENT_ID"):
        Settings(login=True)
    monkeypatch.setenv("KATEGORI_ADMINS", "a@x.se, b@x.se")
    settings = Settings(data_dir=tmp_path, login=True, oidc_metadata_url="http://127.0.0.1:9/.well-known/openid-configuration",
                        oidc_client_id="kategori", oidc_client_secret="hemligt")
    assert settings.admins == ["a@x.se", "b@x.se"]
    auth = streamlit_secrets(settings)["auth"]
    assert auth["client_secret"] == "hemligt" and auth["redirect_uri"] == "http://localhost:{port}/oauth2callback"
    # The cookie key is made once, kept private, and reused after a restart.
    key_file = tmp_path / "inloggning-nyckel"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert cookie_secret(settings) == auth["cookie_secret"] and len(auth["cookie_secret"]) >= 32


# ---- the page the server sends -------------------------------------------------------------------------------


def test_the_page_knows_where_the_server_is_and_that_it_is_swedish():
    html = b'<!DOCTYPE html>\n<html lang="en">\n  <head>\n<title>Streamlit</title></head>'
    out = edit_page(html, "")
    assert b"window.__streamlit={BACKEND_BASE_URL:window.location.origin+'/'}" in out
    assert b'<html lang="sv">' in out and b"<title>Kategoriassistenten</title>" in out
    assert b"origin+'/app/'" in edit_page(html, "/app/")
