"""Citation verification and the text-format parser, on hand-made passages."""

from __future__ import annotations

from assistant.answers.models import DraftCitation, Passage
from assistant.answers.parse import answer_part, parse_answer_text
from assistant.answers.verify import verify
from assistant.store.records import StoredChunk

TEXTS = {
    1: "En spendanalys är en systematisk analys av kostnader. Den visar vad organisationen köper.",
    2: "Kategoristrategier, ibland kallade kategoriplaner,\när en viktig komponent i kategoristyrning.",
    3: "Inköpscentraler är ett viktigt verktyg för att skapa en mer enhetlig kravställning.",
}


def _passages() -> list[Passage]:
    out = []
    for n, text in TEXTS.items():
        chunk = StoredChunk(
            chunk_id=f"doc:{n}", doc_id="doc", doc_title="Rapport", publisher="Myndigheten", year=2022,
            document_type="rapport", source="seed", chunk_index=n, text=text, char_start=100 * n,
            char_end=100 * n + len(text), page_start=n, page_end=n, section_path=["1 Kapitel", f"1.{n} Avsnitt"],
        )  # fmt: skip
        out.append(Passage(n=n, chunk=chunk))
    return out


def test_verified_quote_with_offsets_and_whitespace_tolerance():
    result = verify(
        "Kategoristrategier är viktiga [2].",
        [DraftCitation(n=2, quote="ibland kallade kategoriplaner, är en viktig komponent")],
        _passages(),
    )
    [c] = result.citations
    assert c.verified and c.n == 1 and c.chunk_id == "doc:2" and c.page == 2
    assert c.chunk_text[c.quote_start : c.quote_end] == c.quote
    assert result.text == "Kategoristrategier är viktiga [1]."


def test_hallucinated_quote_is_kept_but_unverified():
    result = verify(
        "Spendanalys kartlägger kostnader [1]. Den sparar alltid 20 procent [3].",
        [DraftCitation(n=1, quote="En spendanalys är en systematisk analys av kostnader."),
         DraftCitation(n=3, quote="Inköpscentraler sparar alltid 20 procent.")],
        _passages(),
    )
    assert [c.verified for c in result.citations] == [True, False]
    assert result.unverified == 1
    assert result.citations[1].quote == "Inköpscentraler sparar alltid 20 procent."


def test_citation_to_a_passage_not_retrieved_is_removed_and_so_is_its_marker():
    result = verify(
        "Påstående [1]. Annat påstående [7].",
        [DraftCitation(n=1, quote="Den visar vad organisationen köper."), DraftCitation(n=7, quote="något")],
        _passages(),
    )
    assert [c.chunk_id for c in result.citations] == ["doc:1"]
    assert "[7]" not in result.text and "[2]" not in result.text
    assert any("[7]" in note and "inte hämtades" in note for note in result.notes)


def test_marker_without_citation_is_removed_and_numbers_follow_first_use():
    result = verify(
        "Först tre [3], sedan ett [1, 3] och ett löst [2].",
        [DraftCitation(n=1, quote="Den visar vad organisationen köper."),
         DraftCitation(n=3, quote="Inköpscentraler är ett viktigt verktyg")],
        _passages(),
    )
    assert result.text == "Först tre [1], sedan ett [2][1] och ett löst."
    assert [c.chunk_id for c in result.citations] == ["doc:3", "doc:1"]
    assert any("[2]" in note and "saknade" in note for note in result.notes)


def test_quote_in_another_retrieved_passage_is_re_pointed():
    result = verify("Påstående [1].", [DraftCitation(n=1, quote="Inköpscentraler är ett viktigt verktyg")], _passages())
    [c] = result.citations
    assert c.verified and c.chunk_id == "doc:3"
    assert any("rättats" in note for note in result.notes)


def test_parser_reads_the_text_format_and_its_variations():
    parsed = parse_answer_text(
        "Svaret står här [1] och här [2].\n\n**Källor:**\n- [1] »Första citatet«\n[2]: \"Andra citatet\"\n"
    )
    assert parsed.answered and parsed.answer == "Svaret står här [1] och här [2]."
    assert [(c.n, c.quote) for c in parsed.citations] == [(1, "Första citatet"), (2, "Andra citatet")]
    # Provenance before the quote is dropped; only the quoted words are the quote.
    parsed = parse_answer_text("Text [1].\n\nKÄLLOR:\n[1] Rapport X, s. 39: »Exakt citat här.«")
    assert parsed.citations[0].quote == "Exakt citat här."


def test_parser_inline_quotes_json_and_refusal():
    inline = parse_answer_text("Enligt rapporten: »En spendanalys är en analys« [1].")
    assert inline.citations[0].n == 1 and inline.citations[0].quote == "En spendanalys är en analys"
    as_json = parse_answer_text('```json\n{"answered": true, "answer": "A [1]", "citations": [{"n": 1, "quote": "q"}]}\n```')
    assert as_json.answer == "A [1]" and as_json.citations[0].quote == "q"
    refused = parse_answer_text("Underlaget besvarar inte frågan.")
    assert not refused.answered


def test_streamed_text_shows_only_the_answer_part():
    assert answer_part("Svar [1].\n\nKÄLLOR:\n[1] »x«").strip() == "Svar [1]."
    assert answer_part("Svar utan källor ännu") == "Svar utan källor ännu"
