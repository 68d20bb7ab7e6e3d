"""No claim without support, and drafts that differ by category: every example draft is scanned for
sentences like "X är ett av exemplen", "X hör till branschen …" and "Upphandlingsmyndigheten anger …",
which must match the quote they cite; two drafts of different category types share at most 40 % of their
body lines (Källor, headings and placeholders excluded, names swapped) – among the examples, and among drafts
for one organisation's identical input with only the category changed, for a kommun, a region and a statlig
myndighet."""

from __future__ import annotations

import itertools

import pytest

from assistant.drafts.audit import (
    CATCH_ALL_CATEGORIES,
    SAME_INPUT_CATEGORIES,
    SAME_INPUT_ORGS,
    TARGET,
    body_lines,
    different_families,
    example_inputs,
    overlap,
    overlaps,
    same_input_sets,
    sentences,
)
from assistant.drafts.builder import DraftBuilder
from assistant.drafts.claims import check_claims
from assistant.drafts.models import Block, StrategyDraft, StrategyInput
from assistant.drafts.profiles import UNKNOWN, load_categories, profile_for
from assistant.drafts.render_markdown import render_markdown

from .draft_fixtures import DATE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def builder(seed_settings, seed_index):
    return DraftBuilder(seed_settings, index=seed_index)


@pytest.fixture(scope="module")
def examples(builder):
    return {name: builder.build(inp, offline=True) for name, inp in example_inputs().items()}


def test_no_unsupported_claim_in_any_example(examples):
    for name, draft in examples.items():
        assert check_claims(draft) == [], name


def _with_sentence(draft: StrategyDraft, sentence: str) -> StrategyDraft:
    first = draft.sections[0]
    changed = first.model_copy(update={"blocks": [*first.blocks, Block(kind="paragraph", text=sentence)]})
    return draft.model_copy(update={"sections": [changed, *draft.sections[1:]]})


def test_the_check_finds_what_the_issue_found(examples):
    """The sentence an earlier template wrote for Fordon och drivmedel: the examples are Finansdepartementet's,
    and they are livsmedel, transporter och it."""
    draft = examples["it-konsult-kommun"]
    n = next(c.n for c in draft.sources if "livsmedel, transporter och it" in c.quote)
    bad = _with_sentence(draft, "Kategorin fordon och drivmedel är ett av de exempel på inköpskategorier som "
                                f"Upphandlingsmyndigheten ger när den beskriver kategoristyrning [{n}].")
    problems = check_claims(bad)
    assert len(problems) == 2
    assert problems[0].problem == "står inte i citatet: fordon, drivmedel"
    assert problems[1].problem.startswith("tillskrivs Upphandlingsmyndigheten men citerar Regeringskansliet, "
                                          "Finansdepartementet")
    # A risk industry the roadmap does not name, and a claim without any citation.
    branscher = next(c.n for c in draft.sources if "bygg- och anläggning, lokalvård och transport" in c.quote) \
        if any("lokalvård och transport" in c.quote for c in draft.sources) else None
    assert check_claims(_with_sentence(draft, "IT-konsulttjänster är en riskbransch.")) != []
    if branscher:
        assert check_claims(_with_sentence(draft, f"Kategorin hör till branschen »it« [{branscher}].")) != []
    # The same sentence with what the quote says passes.
    good = _with_sentence(draft, f"Finansdepartementet nämner livsmedel, transporter och it som exempel [{n}].")
    assert check_claims(good) == []


def test_drafts_of_different_category_types_share_at_most_40_percent(examples, seed_settings):
    lines = {name: body_lines(render_markdown(d, seed_settings), d) for name, d in examples.items()}
    pairs = [(a, b) for a, b in itertools.combinations(examples, 2) if different_families(examples[a], examples[b])]
    assert len(pairs) >= 15
    shares = {(a, b): overlap(lines[a], lines[b]) for a, b in pairs}
    assert max(shares.values()) <= 0.40, max(shares.items(), key=lambda kv: kv[1])


def test_the_same_input_matrix_covers_every_specific_category_type():
    covered = {f for c in SAME_INPUT_CATEGORIES for f in profile_for(c).families}
    catch_all = {f for c in CATCH_ALL_CATEGORIES for f in profile_for(c).families}
    assert covered | catch_all | {UNKNOWN} == set(load_categories().families)
    assert not covered & catch_all and len(SAME_INPUT_CATEGORIES) == len(covered)


@pytest.mark.parametrize("typ", sorted(SAME_INPUT_ORGS))
def test_with_the_same_organisation_input_drafts_of_different_types_share_at_most_40_percent(builder, seed_settings,
                                                                                              typ):
    """The strict reading of the target: one organisation's input held identical (no spend file, the same
    volumes), only the category changed, every pair of different category types – for a kommun, a region and a
    statlig myndighet. Before the category profiles decided the text, a kommun's pairs shared up to 57.8 %."""
    inputs = same_input_sets()[typ]
    drafts = {c: builder.build(inp, offline=True) for c, inp in inputs.items()}
    lines = {c: body_lines(render_markdown(d, seed_settings), d) for c, d in drafts.items()}
    shares = overlaps(drafts, lines)
    assert len(shares) == len(list(itertools.combinations(inputs, 2)))  # every family differs from every other
    assert max(shares.values()) <= TARGET, max(shares.items(), key=lambda kv: kv[1])
    for draft in drafts.values():
        assert check_claims(draft) == [] and draft.unverified == 0


def test_body_lines_leave_out_headings_sources_and_placeholders():
    draft = StrategyDraft(input=StrategyInput(organisation="Orten", typ="kommun", kategori="Livsmedel", datum=DATE),
                          kategorityp="Livsmedel", title="t", datum=DATE, mode="none", sections=[], sources=[])
    md = "\n".join([
        "# Kategoristrategi: Livsmedel – Orten", "| Uppgift | Värde |", "|---|---|", "| Organisation | Orten |",
        "## 1. Syfte", "Orten köper livsmedel [1] [2].", "### Underrubrik", "- Fastställs av: [Att fylla i: nämnd]",
        "| Kolumn | Annan |", "|---|---|", "| En rad med text om vad som köps i kategorin | [Att fylla i] |", "| [Att fylla i] | [Att fylla i] |",
        "## Källor", "[1] Något",
    ])
    assert body_lines(md, draft) == ["{namn} köper {namn}.",
                                     "| En rad med text om vad som köps i kategorin | [Att fylla i] |"]
    assert overlap(["a", "b", "b"], ["b", "b", "c", "d"]) == pytest.approx(2 / 3)
    # Counted in sentences, a line that repeats a shared sentence next to a new one still shares that sentence.
    assert sentences(["{namn} köper {namn}. Det görs varje år i kommunen.", "- En punkt med tre ord",
                      "| Kolumnens text med fyra ord | [Att fylla i] | kort |"]) == [
        "{namn} köper {namn}.", "Det görs varje år i kommunen.", "En punkt med tre ord", "Kolumnens text med fyra ord"]
