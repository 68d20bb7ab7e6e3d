"""Typed boundaries of ingestion: manifests, cleaned documents, sections and chunks."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

DOC_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,79}$"


class HeadingPattern(BaseModel):
    """A document-specific heading style, e.g. `^Inriktningsmål \\d+$` at level 2."""

    regex: str
    level: int = Field(ge=1, le=6)
    # Titles like "Fokusområde 1:" continue on the following lines until a blank line.
    continues: bool = False


class SubheadingRule(BaseModel):
    """Short unnumbered headings (imperatives in the roadmap, subtitles in web articles)."""

    max_line_length: int = 50
    max_lines: int = 3
    min_body_line_length: int = 35
    # Web articles put a blank line between a subtitle and its paragraph; PDF columns do not.
    body_may_follow_blank: bool = False
    # Only look for them below a heading of at least this level: in the report, unnumbered headings
    # are the steps inside 6.4.2–6.4.4, while short lines under "1.1 Definitioner" are defined terms.
    min_parent_level: int = 0


class SectionRules(BaseModel):
    """How headings are typeset in one document. Defaults suit an unknown PDF or text file."""

    numbered: bool = True
    # In reports, a single-number chapter heading ("2. Målet …") only ever opens a page; this keeps
    # numbered list items ("3. Upphandlingen ska …") from being read as chapters.
    chapters_start_on_new_page: bool = False
    page_titles: bool = False
    first_line_title: bool = False
    subheadings: SubheadingRule | None = None
    patterns: list[HeadingPattern] = Field(default_factory=list)


class DocumentManifest(BaseModel):
    doc_id: str = Field(pattern=DOC_ID_PATTERN)
    title: str = Field(min_length=1)
    # How answers refer to the document in running Swedish text ("Enligt <short_title>, s. 12: …").
    short_title: str | None = None
    publisher: str = Field(min_length=1)
    year: int | None = Field(default=None, ge=1900, le=2100)
    document_type: str = Field(min_length=1)
    language: str = "sv"
    published_at: str = Field(min_length=1, description="Var originalet publiceras, i ord")
    reference: str | None = None
    file: str = Field(min_length=1)
    # "user": added by a user of this installation, shown as "eget dokument" with the publisher the user gave.
    source: Literal["seed", "user"] = "seed"
    added_at: str | None = None
    paged: bool = True
    # How the source marks page starts: seed extractions start each page's first line with a single
    # space; other text files may use form feeds; PDFs have real pages.
    page_breaks: Literal["leading-space", "form-feed"] = "form-feed"
    sections: SectionRules = Field(default_factory=SectionRules)
    # Lines to drop wherever they occur: running footers, web-page chrome.
    drop_lines: list[str] = Field(default_factory=list)


class PageSpan(BaseModel):
    start: int
    end: int
    page: int
    label: str | None = None


class Heading(BaseModel):
    start: int
    end: int
    level: int
    title: str
    number: str | None = None


class Section(BaseModel):
    start: int
    end: int
    path: list[str]
    level: int

    @property
    def title(self) -> str:
        return self.path[-1] if self.path else ""


class CleanDocument(BaseModel):
    """A document's cleaned text with exact page and heading positions in it."""

    manifest: DocumentManifest
    text: str
    pages: list[PageSpan]
    headings: list[Heading]
    content_sha256: str

    def page_at(self, offset: int) -> PageSpan:
        for span in self.pages:
            if span.start <= offset < span.end:
                return span
        return self.pages[-1]


class Chunk(BaseModel):
    chunk_id: str
    doc_id: str
    chunk_index: int
    text: str
    char_start: int
    char_end: int
    page_start: int
    page_end: int
    page_label: str | None = None
    section_path: list[str]

    @property
    def section(self) -> str:
        return " > ".join(self.section_path)
