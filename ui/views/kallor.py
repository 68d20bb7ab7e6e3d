"""Källor: the documents and their passages; library admins add and remove their own documents."""

from __future__ import annotations

import math

import streamlit as st

from assistant.errors import KategoriError
from ingest.api_models import UploadedFile, UploadRequest
from ingest.library import add_documents
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.pipeline import remove_user_document
from ui import auth, state
from ui import citations as cv
from ui import viewmodels as vm
from ui.text import count, progress_label

settings = state.settings()
index = state.index()
identity = auth.current_identity()
may_manage = identity is not None and identity.can_manage_library

st.title("Källor")
st.caption("Dokumenten som svaren bygger på. Grundkorpusen följer med; egna dokument kan läggas till och tas bort.")

for kind, text in st.session_state.pop("kallor_messages", []):
    (st.success if kind == "ok" else st.error)(vm.md_escape(text))

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


def manage_library() -> None:
    """Removing and adding documents: only for library admins (everyone with login off)."""
    if m.source == "user":
        with st.expander("Ta bort dokumentet"):
            sure = st.checkbox(f"Jag vill ta bort »{vm.md_escape(m.title)}« ur underlaget", key=f"kallor_sure_{doc_id}")
            if st.button("Ta bort", type="primary", disabled=not sure, key=f"kallor_remove_{doc_id}"):
                try:
                    with st.spinner("Tar bort och uppdaterar sökindexet …"):
                        remove_user_document(settings, doc_id)
                    st.session_state["kallor_messages"] = [("ok", f"»{m.title}« är borttaget ur underlaget.")]
                except KategoriError as err:
                    st.session_state["kallor_messages"] = [("error", str(err))]
                st.rerun()
    else:
        st.caption("Dokument i grundkorpusen kan inte tas bort.")

    st.subheader("Lägg till egna dokument")
    upload_round = st.session_state.setdefault("kallor_upload_round", 0)  # a new key empties the uploader
    kinds = ", ".join(sorted(s.removeprefix(".").upper() for s in SUPPORTED_SUFFIXES))
    # No `type=`: Streamlit would refuse other files with an English message; the ingest names the problem.
    # The uploader refuses what the ingest would refuse anyway (KATEGORI_MAX_FILE_MB), before the upload.
    files = st.file_uploader(f"Filer att lägga till ({kinds})", accept_multiple_files=True,
                             key=f"kallor_upload_{upload_round}", max_upload_size=math.ceil(settings.max_file_mb))
    if st.button("Lägg till i underlaget", type="primary", disabled=not files):
        bar = st.progress(0.0, text="Läser filerna …")

        def progress(stage: str, done: int, total: int) -> None:
            bar.progress(done / max(total, 1), text=progress_label(stage, done, total))

        # From the uploaded bytes: two files with the same name (from different folders) stay two files.
        uploads = [UploadRequest(file=UploadedFile(name=f.name, data=f.getvalue())) for f in files]
        try:
            result = add_documents(settings, uploads, progress=progress)
        except KategoriError as err:
            bar.empty()
            st.error(vm.md_escape(str(err)), icon=":material/error:")
            return
        refused = result.refused_message()
        if result.index is None:  # nothing could be added: keep the files in the uploader
            bar.empty()
            st.error(vm.md_escape(refused or "Inga filer lades till."), icon=":material/error:")
            return
        report = result.index
        added = ", ".join(report.added + report.replaced) or "inga nya dokument"
        # Each file on its own line with the document it became, and why its id is not simply its name.
        files_done = "\n\n".join(f.summary() for f in result.accepted)
        messages = [("ok", f"Klart: {added}. Underlaget har nu {count(report.documents, 'dokument', 'dokument')} "
                           f"och {count(report.chunks, 'textavsnitt', 'textavsnitt')}.\n\n{files_done}")]
        if refused:
            messages.append(("error", refused))
        st.session_state["kallor_messages"] = messages
        st.session_state["kallor_upload_round"] = upload_round + 1
        st.rerun()


if may_manage:
    manage_library()
else:
    st.info("Bara biblioteksansvariga kan lägga till och ta bort dokument. Alla kan läsa dem och ställa frågor.",
            icon=":material/lock:")
