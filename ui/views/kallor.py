"""Källor: the documents and their passages; library admins add their own documents (with title,
publisher and year), edit and remove them. Results are shown where the user acted."""

from __future__ import annotations

import math

import streamlit as st

from assistant.errors import InputError, KategoriError
from ingest.api_models import MAX_PUBLISHER, MAX_TITLE
from ingest.library import (
    DocumentFields,
    FileCheck,
    UploadedFile,
    UploadRequest,
    add_documents,
    check_file,
    edit_document,
    remove_document,
)
from ingest.loaders import SUPPORTED_SUFFIXES
from ui import auth, state
from ui import citations as cv
from ui import library_form as lf
from ui import viewmodels as vm
from ui.text import progress_label

settings = state.settings()
index = state.index()
identity = auth.current_identity()
may_manage = identity is not None and identity.can_manage_library
ss = st.session_state

st.title("Källor")
st.caption("Dokumenten som svaren bygger på. Grundkorpusen följer med; egna dokument kan läggas till och tas bort.")

rows = vm.document_rows(index)
st.html(vm.documents_table_html(rows))

st.subheader("Läs ett textavsnitt i sitt sammanhang")
documents = index.documents()
doc_ids = [r["Id"] for r in rows]
doc_id = st.selectbox("Dokument", doc_ids, format_func=lambda d: vm.document_option(documents[d].manifest),
                      key="kallor_doc")
doc = documents[doc_id]
m = doc.manifest
st.html(vm.document_details_html(m))

options = vm.passage_options(index, doc_id)
labels = dict(options)
chunk_id = st.selectbox("Textavsnitt", [o[0] for o in options],
                        format_func=labels.get, key=f"kallor_passage_{doc_id}")
chunk = index.get_chunks([chunk_id])[0]
st.html(f"<div class='kalla'><p class='var'>{cv.esc(chunk.pages)} · {cv.esc(chunk.section or '(utan rubrik)')}</p>"
        f"{cv.context_html(doc, chunk.char_start, chunk.char_end, mark_class='avsnitt')}</div>")


def _edit_document() -> None:
    title, publisher, year = lf.edit_values(m)
    with st.expander("Ändra titel, utgivare eller år"), st.form(f"kallor_edit_{doc_id}", border=False):
        st.caption("Så som dokumentet ska heta i svar och källhänvisningar. Inga sökvektorer beräknas om.")
        new_title = st.text_input("Titel", value=title, max_chars=MAX_TITLE)
        c1, c2 = st.columns([2, 1])
        new_publisher = c1.text_input("Utgivare", value=publisher, max_chars=MAX_PUBLISHER,
                                      placeholder="t.ex. Exempelkommun, kommunstyrelsen")
        new_year = c2.text_input("År", value=year, placeholder="t.ex. 2024")
        if not st.form_submit_button("Spara ändringarna", type="primary"):
            return
    try:
        edit = lf.document_edit(m, new_title, new_publisher, new_year)
        if edit is None:
            ss["kallor_doc_messages"] = [("info", "Inget är ändrat.")]
        else:
            with st.spinner("Sparar …"):
                edit_document(settings, doc_id, edit)
            ss["kallor_doc_messages"] = [("ok", f"»{edit.title or m.title}« är uppdaterat.")]
    except KategoriError as err:
        ss["kallor_doc_messages"] = [("error", str(err))]
    st.rerun()


def _remove_document() -> None:
    with st.expander("Ta bort dokumentet"):
        sure = st.checkbox(f"Jag vill ta bort »{vm.md_escape(m.title)}« ur underlaget", key=f"kallor_sure_{doc_id}")
        if st.button("Ta bort", type="primary", disabled=not sure, key=f"kallor_remove_{doc_id}"):
            try:
                with st.spinner("Tar bort och uppdaterar sökindexet …"):
                    remove_document(settings, doc_id)
                ss["kallor_doc_messages"] = [("ok", f"»{m.title}« är borttaget ur underlaget.")]
            except KategoriError as err:
                ss["kallor_doc_messages"] = [("error", str(err))]
            st.rerun()


def _checked(name: str, data: bytes) -> FileCheck:
    """What adding the file will do, worked out once per file (reading a long PDF takes a moment)."""
    checks = ss.setdefault("kallor_checks", {})
    key = lf.file_key(name, data)
    if key not in checks:
        checks[key] = check_file(settings, UploadedFile(name=name, data=data))
    return checks[key]


def _add_documents() -> None:
    st.subheader("Lägg till egna dokument")
    # The result is shown here, where the user pressed the button, not at the top of the page.
    result = ss.pop("kallor_added", None)
    if result is not None:
        summary, lines = result
        ok = all(kind != "error" for kind, _ in lines)
        (st.success if ok else st.warning)(
            vm.md_escape(summary) + "\n" + "\n".join(f"- {vm.md_escape(text)}" for _, text in lines),
            icon=":material/check_circle:" if ok else ":material/warning:")
    upload_round = ss.setdefault("kallor_upload_round", 0)  # a new key empties the uploader
    kinds = ", ".join(sorted(s.removeprefix(".").upper() for s in SUPPORTED_SUFFIXES))
    # No `type=`: Streamlit would refuse other files with an English message; the ingest names the problem.
    # The uploader refuses what the ingest would refuse anyway (KATEGORI_MAX_FILE_MB), before the upload.
    files = st.file_uploader(f"Filer att lägga till ({kinds})", accept_multiple_files=True,
                             key=f"kallor_upload_{upload_round}", max_upload_size=math.ceil(settings.max_file_mb))
    if not files:
        st.button("Lägg till i underlaget", type="primary", disabled=True)
        return
    manifests = {d: x.manifest for d, x in documents.items()}
    with st.form(f"kallor_add_{upload_round}", border=False):
        fields: dict[str, tuple[str, str, str]] = {}
        for f in files:
            data = f.getvalue()
            check = _checked(f.name, data)
            key = lf.file_key(f.name, data)
            with st.container(border=True):
                st.markdown(f"**{vm.md_escape(check.name)}**")
                if not check.ok:
                    st.error(vm.md_escape(check.problem or "Filen kan inte läsas."), icon=":material/error:")
                    continue
                st.caption(vm.md_escape(lf.check_line(check)))
                title, publisher, year = lf.prefill(check, manifests)
                help_text = ("Som på den tidigare versionen." if check.replaces
                             else "Förifylld från filen eller filnamnet.")
                title = st.text_input("Titel", value=title, max_chars=MAX_TITLE, key=f"kallor_title_{key}",
                                      help=help_text)
                c1, c2 = st.columns([2, 1])
                publisher = c1.text_input("Utgivare", value=publisher, max_chars=MAX_PUBLISHER,
                                          key=f"kallor_publisher_{key}",
                                          placeholder="t.ex. Exempelkommun, kommunstyrelsen")
                year = c2.text_input("År", value=year, key=f"kallor_year_{key}", placeholder="t.ex. 2024")
                hint = lf.metadata_hint(check)
                if hint:
                    st.caption(vm.md_escape(hint))
                fields[key] = (title, publisher, year)
        submitted = st.form_submit_button("Lägg till i underlaget", type="primary", disabled=not fields)
    if not submitted:
        return
    uploads, problems = [], []
    for f in files:
        data = f.getvalue()
        key = lf.file_key(f.name, data)
        try:
            doc_fields = lf.upload_fields(f.name, *fields[key]) if key in fields else None
        except InputError as err:
            problems.append(str(err))
            continue
        uploads.append(UploadRequest(file=UploadedFile(name=f.name, data=data), fields=doc_fields or DocumentFields()))
    if problems:
        st.error("Rätta det här först – inget är tillagt:\n" + "\n".join(f"- {vm.md_escape(p)}" for p in problems),
                 icon=":material/error:")
        return
    bar = st.progress(0.0, text="Läser filerna …")

    def progress(stage: str, done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=progress_label(stage, done, total))

    try:
        report = add_documents(settings, uploads, progress=progress)
    except KategoriError as err:
        bar.empty()
        st.error(vm.md_escape(str(err)), icon=":material/error:")
        return
    ss["kallor_added"] = lf.outcome_lines(report.files)
    ss["kallor_upload_round"] = upload_round + 1
    ss.pop("kallor_checks", None)
    st.rerun()


if may_manage:
    for kind, text in ss.pop("kallor_doc_messages", []):
        {"ok": st.success, "info": st.info}.get(kind, st.error)(vm.md_escape(text))
    if m.source == "user":
        _edit_document()
        _remove_document()
    else:
        st.caption("Dokument i grundkorpusen kan inte ändras eller tas bort.")
    _add_documents()
else:
    st.info("Bara biblioteksansvariga kan lägga till och ta bort dokument. Alla kan läsa dem och ställa frågor.",
            icon=":material/lock:")
