"""The Kategoristrategi page's new field: the team's direktupphandlingsgräns reaches the draft, and the
preview shows the suppliers to check (AppTest, the real app)."""

from __future__ import annotations

import html
import json

import pytest
from streamlit.testing.v1 import AppTest

from assistant.config import REPO_ROOT, get_settings

from .draft_fixtures import EXAMPLES

pytestmark = pytest.mark.slow


def test_threshold_from_the_form_flags_suppliers(seed_settings, monkeypatch):
    monkeypatch.setenv("KATEGORI_DATA_DIR", str(seed_settings.data_dir))
    monkeypatch.setenv("KATEGORI_CORPUS_DIR", str(seed_settings.corpus_dir))
    get_settings.cache_clear()
    at = AppTest.from_file(str(REPO_ROOT / "ui" / "app.py"), default_timeout=120).run()
    at.switch_page("views/kategoristrategi.py").run()
    assert not at.exception, at.exception
    form = {t.label: t for t in at.text_input}
    form["Organisation"].set_value("Exempelkommun")
    form["Kategori"].set_value("IT-konsulttjänster")
    form["Direktupphandlingsgräns som organisationen tillämpar (kr) – valfri"].set_value("700 000")
    spend = (EXAMPLES / "spend-it-konsult-2ar.csv").read_bytes()
    at.get("file_uploader")[0].set_value(("spend.csv", spend, "text/csv"))
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    # The preview is the citations component: the draft as HTML with clickable [n] markers.
    blocks = [json.loads(e.proto.json) for e in at.get("bidi_component") if e.proto.component_name == "kategori_citations"]
    preview = html.unescape(" ".join(b["html"] for b in blocks))
    assert "Direktupphandlingsgränsen som Exempelkommun angav är 700\u00a0000\u00a0kr" in preview
    assert "»kontrollera upphandlingsplikt«: Molnbyrån Sverige AB och Digitalbolaget i Mälardalen AB" in preview
