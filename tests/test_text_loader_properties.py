"""Property tests for the text loader: any bytes give a cleaned document or a Swedish `InputError` naming
the file — never a traceback — and no word of a plain text is lost on the way to chunks."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.errors import InputError
from ingest.chunking import chunk_document
from ingest.documents import load_user_file
from ingest.loaders import Limits

LIMITS = Limits(max_bytes=200_000, max_pages=50, max_characters=100_000)
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _load(name: str, data: bytes):
    try:
        loaded = load_user_file(name, data, LIMITS)
    except InputError as err:
        assert str(err).startswith(name), str(err)
        return None
    doc = loaded.document
    chunks = chunk_document(doc, 300, 50)
    for c in chunks:
        assert doc.text[c.char_start : c.char_end] == c.text
    assert doc.pages[0].start == 0 and doc.pages[-1].end == len(doc.text)
    return loaded


@FAST
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_document_or_a_clear_error(data):
    _load("indata.txt", data)


@FAST
@given(st.text(max_size=2000))
def test_any_text_gives_a_document_or_a_clear_error(text):
    _load("indata.md", text.encode("utf-8"))
    _load("indata-utf16.txt", text.encode("utf-16"))


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖé", min_size=1, max_size=12)
_LINE = st.lists(_WORD, min_size=1, max_size=12).map(" ".join)
_PAGE = st.lists(st.one_of(_LINE, st.just("")), min_size=1, max_size=15).map("\n".join)


@FAST
@given(st.lists(_PAGE, min_size=1, max_size=4).map("\f".join))
def test_no_word_of_a_plain_text_is_lost(text):
    loaded = _load("anteckning.txt", text.encode("utf-8"))
    if loaded is None:  # only a text without any word can be refused
        assert not re.search(r"\w", text)
        return
    words = re.findall(r"\w+", text)
    chunked = " ".join(c.text for c in chunk_document(loaded.document, 300, 50))
    for word in words:
        assert word in chunked, word
