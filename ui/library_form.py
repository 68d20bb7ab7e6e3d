"""The Källor page's forms without Streamlit: what each chosen file will become, the title, publisher and
year a user types (checked, with the file and the field named), what changed when a document is edited,
and what happened to every file of a batch, in Swedish."""

from __future__ import annotations

import hashlib

from assistant.errors import InputError
from ingest.api_models import DocumentEdit, DocumentFields, FileCheck, FileOutcome
from ingest.documents import UNKNOWN_PUBLISHER
from ingest.models import DocumentManifest
from ui.text import count


def file_key(name: str, data: bytes) -> str:
    """The same file chosen again keeps its form fields; another file with the same name does not."""
    return hashlib.sha256(name.encode() + b"\0" + data).hexdigest()[:16]


def check_line(check: FileCheck) -> str:
    """What adding the file will do: "12 sidor · ca 20 s · ny version av »inkopspolicy«"."""
    parts = []
    if check.pages:
        parts.append(count(check.pages, "sida", "sidor"))
    elif check.characters is not None:
        parts.append(f"{count(check.characters, 'tecken', 'tecken')}, utan sidnummer")
    if check.estimated_seconds is not None:
        seconds = max(1, round(check.estimated_seconds))
        parts.append(f"ca {seconds} s" if seconds < 90 else f"ca {round(seconds / 60)} min")
    if check.replaces:
        parts.append(f"ny version av det egna dokumentet {check.replaces}")
    elif check.id_note:
        parts.append(check.id_note)
    return " · ".join(parts)


def metadata_hint(check: FileCheck) -> str | None:
    """What the file itself claims, offered as a hint only: a file's metadata proves nothing."""
    meta = check.file_metadata
    said = [f"titel »{meta.title}«" if meta.title and meta.title != check.suggested.title else "",
            f"författare »{meta.publisher}«" if meta.publisher else "", f"år {meta.year}" if meta.year else ""]
    said = [s for s in said if s]
    return f"Filen själv anger {', '.join(said)} (inte kontrollerat)." if said else None


def prefill(check: FileCheck, documents: dict[str, DocumentManifest]) -> tuple[str, str, str]:
    """Title, publisher and year to start the form with: a new version of a user's document keeps what
    was set on it (the form's values replace it); a new file gets the title suggested from the file."""
    old = documents.get(check.replaces) if check.replaces else None
    if old is not None:
        return edit_values(old)
    return check.suggested.title or "", "", ""


def upload_fields(name: str, title: str, publisher: str, year: str) -> DocumentFields:
    """The fields of one file's form; `InputError` names the file and the field."""
    return DocumentFields.parse(title, publisher, year, name=name)


def edit_values(m: DocumentManifest) -> tuple[str, str, str]:
    """Title, publisher and year as the edit form shows them ("Okänd utgivare" as an empty field)."""
    return m.title, "" if m.publisher == UNKNOWN_PUBLISHER else m.publisher, str(m.year or "")


def document_edit(m: DocumentManifest, title: str, publisher: str, year: str) -> DocumentEdit | None:
    """Only what the user changed; None when nothing was. An emptied year removes the year; an emptied
    title is refused (a document needs one), an emptied publisher is refused as well: the form cannot
    tell "unknown" from "forgot"."""
    old_title, old_publisher, old_year = edit_values(m)
    fields = DocumentFields.parse(title, publisher, year, name=m.title)
    if fields.title is None:
        raise InputError(f"{m.title}: titeln kan inte vara tom.")
    if fields.publisher is None and old_publisher:
        raise InputError(f"{m.title}: utgivaren kan inte tas bort, bara ändras.")
    edit = DocumentEdit(
        title=fields.title if fields.title != old_title else None,
        publisher=fields.publisher if fields.publisher and fields.publisher != old_publisher else None,
        year=fields.year if fields.year is not None and str(fields.year) != old_year else None,
        clear_year=fields.year is None and bool(old_year),
    )
    return None if edit.is_empty() else edit


def outcome_lines(files: list[FileOutcome]) -> tuple[str, list[tuple[str, str]]]:
    """A one-line summary and one (kind, text) line per file; kind is "ok", "info" or "error"."""
    lines: list[tuple[str, str]] = []
    for f in files:
        title = f"»{f.title}«" if f.title else f.name
        if f.status == "added":
            note = f" ({f.id_note})" if f.id_note else ""
            lines.append(("ok", f"{f.name}: tillagt som {title}, id {f.doc_id}{note}."))
        elif f.status == "replaced":
            lines.append(("ok", f"{f.name}: ny version av {title} (id {f.doc_id}); den tidigare versionen är ersatt."))
        elif f.status == "unchanged":
            lines.append(("info", f"{f.name}: {title} finns redan i exakt den här versionen – inget ändrat."))
        else:
            lines.append(("error", f.problem or f"{f.name}: kunde inte läggas till."))
    added = sum(1 for f in files if f.status in ("added", "replaced"))
    refused = sum(1 for f in files if f.status == "refused")
    if added:
        summary = f"{count(added, 'dokument', 'dokument')} {'tillagt' if added == 1 else 'tillagda'}"
    else:
        summary = "Inget nytt dokument lades till"
    if refused:
        summary += f", {count(refused, 'fil', 'filer')} kunde inte läggas till"
    return summary + ".", lines
