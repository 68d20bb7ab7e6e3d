"""The answer object and its parts: what every mode (offline, LLM chain, agent) returns."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assistant.store.records import StoredChunk

Mode = Literal["none", "openai", "ollama"]


class Passage(BaseModel):
    """A retrieved chunk as shown to the answer step, numbered for citation markers."""

    n: int
    chunk: StoredChunk
    score: float | None = None


class Citation(BaseModel):
    n: int
    doc_id: str
    title: str
    publisher: str
    year: int | None
    page: int  # the page the quote starts on (the chunk's first page when the quote is not found)
    section: str
    chunk_id: str
    chunk_text: str
    quote: str
    quote_start: int | None = None  # offsets of the quote in chunk_text, when verified
    quote_end: int | None = None
    verified: bool


class Answer(BaseModel):
    question: str
    answered: bool
    answer: str  # Swedish, with [n] markers that match `citations`
    citations: list[Citation] = Field(default_factory=list)
    mode: Mode
    search_query: str | None = None  # the question as rewritten for retrieval (follow-ups)
    unverified: int = 0
    notes: list[str] = Field(default_factory=list)  # what verification removed or corrected
    closest: list[Citation] = Field(default_factory=list)  # nearest passages when not answered
    unknown_terms: list[str] = Field(default_factory=list)

    def to_contract(self) -> dict:
        """The `kategori ask --json` object."""
        data = {
            "question": self.question,
            "answered": self.answered,
            "answer": self.answer,
            "citations": [
                {k: getattr(c, k) for k in ("n", "doc_id", "title", "page", "section", "chunk_id", "chunk_text", "quote", "verified")}
                for c in self.citations
            ],
            "mode": self.mode,
        }
        data["unverified"] = self.unverified
        data["notes"] = self.notes
        data["closest"] = [
            {k: getattr(c, k) for k in ("doc_id", "title", "page", "section", "chunk_id", "chunk_text", "quote")}
            for c in self.closest
        ]
        if self.search_query and self.search_query != self.question:
            data["search_query"] = self.search_query
        return data


class DraftCitation(BaseModel):
    """A citation as a model (or the extractive builder) proposes it, before verification."""

    n: int = Field(description="Numret på textavsnittet som citeras, samma som markören [n] i svaret")
    quote: str = Field(description="Ett kort ordagrant citat ur textavsnittet som stöder påståendet")


class QuoteCitation(DraftCitation):
    """The extractive builder's citation: several quotes of one passage each get their own marker `n`,
    and `passage` says which passage they quote. (Not part of the model's output schema.)"""

    passage: int


class DraftAnswer(BaseModel):
    """Structured output schema for the language model."""

    answered: bool = Field(description="false om textavsnitten inte besvarar frågan")
    answer: str = Field(description="Svaret på svenska med källmarkörer [n] efter varje påstående")
    citations: list[DraftCitation] = Field(default_factory=list)
