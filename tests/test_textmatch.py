"""Quote matching tolerates whitespace and line-break hyphenation, nothing else."""

from assistant.textmatch import find_quote

TEXT = "Kategoristrategier, ibland kallade kategoriplaner,\när en viktig  komponent i kategoristyrning."


def test_exact_and_whitespace_insensitive():
    start, end = find_quote(TEXT, "ibland kallade kategoriplaner, är en viktig komponent")
    assert TEXT[start:end] == "ibland kallade kategoriplaner,\när en viktig  komponent"


def test_hyphenation_across_line_break_in_the_quote_or_the_text():
    assert find_quote(TEXT, "kallade kategori-\nplaner") is not None
    assert find_quote("en upp-\nhandling här", "upphandling") == (3, 16)


def test_changed_words_do_not_match():
    assert find_quote(TEXT, "kallade kategoriplanerna") is None
    assert find_quote(TEXT, "Kategoristrategier kallas ibland") is None
    assert find_quote(TEXT, "   ") is None
    assert find_quote(TEXT, "kategori- planer") is None  # a hyphen without a line break is a real hyphen
