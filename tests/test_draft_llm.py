"""The language-model path with a scripted chat model: what the model is shown (the category profile and the
organisation type too), that its citations go through the answers' verifier (a made-up quote comes out
unverified and marked), that a section whose citations all fail – or whose text claims more than its
verbatim quote says – falls back to the template, that the profile's suggestions, the spend actions and the
building blocks stay as they are, and that the same input gives the same draft."""

from __future__ import annotations

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.answers.prompts import load_prompt
from assistant.config import Settings
from assistant.drafts.builder import DraftBuilder, build_draft
from assistant.drafts.claims import check_claims
from assistant.drafts.render_markdown import render_markdown
from assistant.drafts.sections import load_spec

from .draft_fixtures import assert_fully_cited, example, section_texts
from .fake_llm import ScriptedChatModel, first_sentence, passage_text

pytestmark = pytest.mark.slow

SECTIONS = len(load_spec().sections)
FAKE = "Kategoristrategier minskar alltid kostnaderna med exakt 40 procent."


def _llm_settings(base: Settings) -> Settings:
    return Settings(data_dir=base.data_dir, corpus_dir=base.corpus_dir, llm="openai", llm_model="testmodell",
                    llm_base_url="http://127.0.0.1:9/v1")


def _heading(messages) -> str:
    return str(messages[-1].content).split("»", 1)[1].split("«", 1)[0]


def good_reply(messages) -> str:
    """A model that writes two short paragraphs citing passages 1 and 2 verbatim and keeps a placeholder."""
    one, two = first_sentence(passage_text(messages, 1)), first_sentence(passage_text(messages, 2))
    return (f"Avsnittet {_heading(messages)} bygger på underlaget [1]. [Att fylla i: teamets bedömning]\n\n"
            f"- Första punkten [2]\n- Andra punkten [1]\n\nKÄLLOR:\n[1] »{one}«\n[2] »{two}«")


def hallucinating_reply(messages) -> str:
    one = first_sentence(passage_text(messages, 1))
    return f"Verifierbart påstående [1]. Påhittat påstående [2].\n\nKÄLLOR:\n[1] »{one}«\n[2] »{FAKE}«"


def only_fake_reply(messages) -> str:
    return f"Bara påhitt [1].\n\nKÄLLOR:\n[1] »{FAKE}«"


def false_example_reply(messages) -> str:
    """A verbatim quote, but a sentence around it that claims what the quote does not say."""
    one = first_sentence(passage_text(messages, 1))
    return (f"Fordon och drivmedel är ett av de exempel på inköpskategorier som Upphandlingsmyndigheten ger [1]."
            f"\n\nKÄLLOR:\n[1] »{one}«")


_SEARCHES: dict = {}  # one search per query for the whole module: the index does not change


def _build(seed_settings, seed_index, script, inp=None):
    model = ScriptedChatModel(script=list(script))
    builder = DraftBuilder(_llm_settings(seed_settings), index=seed_index, model=model, searches=_SEARCHES)
    return builder.build(inp or example("it-konsult-kommun.yaml")), model


def test_model_writes_every_section_and_every_citation_is_verified(seed_settings, seed_index):
    draft, model = _build(seed_settings, seed_index, [good_reply] * SECTIONS)
    assert draft.mode == "openai" and len(model.received) == SECTIONS
    assert all(s.mode == "språkmodell" for s in draft.sections)
    assert_fully_cited(draft)
    one = "\n".join(section_texts(draft, 1))
    assert "Avsnittet Syfte, omfattning och mandat bygger på underlaget" in one
    assert "[Att fylla i: teamets bedömning]" in one and "Första punkten" in one
    # Lists, tables and computed parts are not the model's: they stay as the template has them.
    assert "[Att fylla i: vilka förvaltningar, nämnder och kommunala bolag strategin omfattar]" in one
    md = render_markdown(draft, seed_settings)
    assert "| Totalt belopp |" in md
    assert "Ambitionsnivå för inköpsanalysen enligt ESV" in "\n".join(section_texts(draft, 2))
    # The same structure and profile as offline: the tool's suggestions, the spend actions, the building blocks.
    assert "#### Frågor om leverantörsmarknaden – verktygets förslag för IT-tjänster och IT-konsulter" in md
    assert "Kontrollera upphandlingsplikt" in md and "| 2026 kv. 1 |" in md
    assert "Hävstång – här placerar verktyget IT-konsulttjänster" in md
    assert [s.heading for s in draft.sections] == [s.heading for s in load_spec().sections]
    assert check_claims(draft) == []


def test_what_the_model_is_shown(seed_settings, seed_index):
    _, model = _build(seed_settings, seed_index, [good_reply] * SECTIONS)
    system, user = model.received[0]
    assert isinstance(system, SystemMessage) and isinstance(user, HumanMessage)
    assert system.content == load_prompt(str(seed_settings.prompts_dir), "draft_section_system")
    text = str(user.content)
    assert text.startswith("Skriv avsnittet »Syfte, omfattning och mandat« i kategoristrategin.")
    for fact in ("Organisation: Exempelkommun (kommun; beslutande: kommunstyrelsen eller ansvarig nämnd",
                 "Kategori: IT-konsulttjänster (kategorityp enligt verktygets profil: IT-tjänster och IT-konsulter)",
                 "Planeringsperiod: 2026–2028 (3 år)", "Direktupphandlingsgräns som organisationen tillämpar: "
                 "700\u00a0000\u00a0kr", "Kategorin hör inte till någon av de riskbranscher som färdplanen nämner",
                 "Spendanalys: 30\u00a0870\u00a0000\u00a0kr hos 10 leverantörer"):
        assert fact in text
    # The template's own citations are renumbered to the passages the model sees.
    assert "två till fem års sikt [1]" in text and "[[" not in text
    assert "<källa nr=\"1\"" in text and "De innehåller prioriterade målsättningar" in text
    headings = [_heading(m) for m in model.received]
    assert headings[1] == "Nuläge och inköpsanalys" and headings[-1].startswith("Uppföljning")


def test_a_made_up_quote_comes_out_unverified_and_marked(seed_settings, seed_index):
    draft, _ = _build(seed_settings, seed_index, [hallucinating_reply] + [good_reply] * (SECTIONS - 1))
    first = draft.sections[0]
    assert first.mode == "språkmodell"
    cited = [draft.sources[n - 1] for n in first.citations]
    assert [c.verified for c in cited[:2]] == [True, False] and cited[1].quote == FAKE
    assert draft.unverified == 1 and "1 av" in draft.notes[0]
    note = first.blocks[-1]
    assert note.kind == "note" and f"[{first.citations[1]}]" in note.text and "kunde inte verifieras" in note.text
    md = render_markdown(draft, seed_settings)
    assert f"»{FAKE}« (EJ VERIFIERAT: citatet finns inte i källtexten)" in md


def test_a_section_without_any_verifiable_citation_keeps_the_template(seed_settings, seed_index):
    draft, _ = _build(seed_settings, seed_index, [good_reply, only_fake_reply] + [good_reply] * (SECTIONS - 2))
    second = draft.sections[1]
    assert second.mode == "mall"
    assert any("mallens text används" in n for n in second.notes)
    assert "En spendanalys visar vad som köps" in "\n".join(section_texts(draft, 2))
    assert draft.unverified == 0 and FAKE not in render_markdown(draft, seed_settings)


def test_a_verbatim_quote_under_a_false_claim_keeps_the_template(seed_settings, seed_index):
    draft, _ = _build(seed_settings, seed_index, [false_example_reply] + [good_reply] * (SECTIONS - 1),
                      inp=example("fordon-myndighet.yaml"))
    first = draft.sections[0]
    assert first.mode == "mall" and any("påstod något som inte står i citatet" in n for n in first.notes)
    assert "ett av de exempel" not in "\n".join(section_texts(draft, 1))
    assert check_claims(draft) == [] and draft.unverified == 0
    assert_fully_cited(draft)


def test_same_input_and_model_replies_give_the_same_draft(seed_settings, seed_index):
    first, model_a = _build(seed_settings, seed_index, [good_reply] * SECTIONS)
    second, model_b = _build(seed_settings, seed_index, [good_reply] * SECTIONS)
    assert [[m.content for m in call] for call in model_a.received] == \
        [[m.content for m in call] for call in model_b.received]
    assert first.model_dump() == second.model_dump()


def test_offline_flag_skips_the_model(seed_settings, seed_index):
    model = ScriptedChatModel(script=[])
    draft = build_draft(example("livsmedel-region.yaml"), _llm_settings(seed_settings), index=seed_index,
                        model=model, offline=True)
    assert draft.mode == "none" and model.received == []
    assert_fully_cited(draft)
