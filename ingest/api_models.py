"""Typed boundary of the document library (see ingest/library.py): what callers hand in and get back."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assistant.errors import InputError

MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_TITLE, MAX_PUBLISHER = 300, 200


class UploadedFile(BaseModel):
    """A file as the user gave it: its name (only the last path part counts) and its bytes."""

    name: str = Field(min_length=1)
    data: bytes


class DocumentFields(BaseModel):
    """Title, publisher and year as the user gives them. None = not given (keep or suggest)."""

    title: str | None = None
    publisher: str | None = None
    year: int | None = None

    @classmethod
    def parse(cls, title: str | None = None, publisher: str | None = None, year: int | str | None = None,
              *, name: str = "") -> DocumentFields:
        """From form or command-line values, with Swedish messages naming the field: blank text is "not
        given", the year must be a whole number between 1900 and 2100."""
        where = f"{name}: " if name else ""
        title = " ".join(title.split()) if title and title.strip() else None
        publisher = " ".join(publisher.split()) if publisher and publisher.strip() else None
        if title is not None and len(title) > MAX_TITLE:
            raise InputError(f"{where}titeln är {len(title)} tecken lång; högst {MAX_TITLE} tecken går.")
        if publisher is not None and len(publisher) > MAX_PUBLISHER:
            raise InputError(f"{where}utgivaren är {len(publisher)} tecken lång; högst {MAX_PUBLISHER} tecken går.")
        parsed_year = None
        if year is not None and str(year).strip():
            text = str(year).strip()
            if not text.isdigit() or not MIN_YEAR <= int(text) <= MAX_YEAR:
                raise InputError(f"{where}året måste vara ett årtal mellan {MIN_YEAR} och {MAX_YEAR}, inte »{text}«.")
            parsed_year = int(text)
        return cls(title=title, publisher=publisher, year=parsed_year)


class DocumentEdit(DocumentFields):
    """Changes to an existing user document; `clear_year` removes a year that was set."""

    clear_year: bool = False

    def is_empty(self) -> bool:
        return self.title is None and self.publisher is None and self.year is None and not self.clear_year


class UploadRequest(BaseModel):
    file: UploadedFile
    fields: DocumentFields = Field(default_factory=DocumentFields)


class FileCheck(BaseModel):
    """What adding a file would do, without adding it: for prefilling an upload form."""

    name: str
    ok: bool
    problem: str | None = None  # Swedish, why the file would be refused
    suggested: DocumentFields = Field(default_factory=DocumentFields)  # title from the file (or its name)
    file_metadata: DocumentFields = Field(default_factory=DocumentFields)  # what the file claims; unverified
    doc_id: str | None = None
    replaces: str | None = None  # doc_id of the document this file would be a new version of
    id_note: str | None = None
    pages: int | None = None
    characters: int | None = None
    estimated_seconds: float | None = None


class FileOutcome(BaseModel):
    name: str
    status: Literal["added", "replaced", "unchanged", "refused"]
    doc_id: str | None = None
    title: str | None = None
    id_note: str | None = None  # why the id is what it is, when that is not obvious
    problem: str | None = None  # Swedish, why the file was refused

    def summary(self) -> str:
        """One line for the user: which document the file became, and why its id is what it is."""
        if self.status == "refused":
            return self.problem or self.name
        why = f"; {self.id_note}" if self.id_note else ""
        return f"{self.name} → {self.doc_id} ({_STATUS[self.status]}{why})"


_STATUS = {
    "added": "nytt dokument",
    "replaced": "ny version av samma fil",
    "unchanged": "samma fil som förut, oförändrad",
}


class DocumentInfo(BaseModel):
    doc_id: str
    title: str
    publisher: str
    year: int | None
    document_type: str
    language: str
    published_at: str
    source: Literal["seed", "user"]
    file: str
    added_at: str | None
    pages: int
    paged: bool  # False: the document has no page numbers (plain text, Word without page marks)
    chunks: int
