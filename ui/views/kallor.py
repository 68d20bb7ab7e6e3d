"""Källor: the documents and their passages, uploading and removing the user's own documents."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from assistant.errors import KategoriError
from ingest.pipeline import add_user_documents, remove_user_document
from ui import state
from ui import viewmodels as vm

settings = state.settings()
index = state.index()

st.title("Källor")
st.caption("Dokumenten som svaren bygger på. Grundkorpusen följer med; egna dokument kan läggas till och tas bort.")

for message in st.session_state.pop("kallor_messages", []):
    (st.success if message[0] == "ok" else st.error)(message[1])

rows = vm.document_rows(index)
st.dataframe(
    rows, hide_index=True, width="stretch", column_order=["Dokument", "Utgivare", "År", "Källa", "Sidor", "Textavsnitt"],
    column_config={"Dokument": st.column_config.TextColumn(width="medium"), "År": st.column_config.TextColumn(width="small"),
                   "Sidor": st.column_config.TextColumn(width="small")},
)

st.subheader("Läs ett textavsnitt i sitt sammanhang")
documents = index.documents()
doc_ids = [r["Id"] for r in rows]
doc_id = st.selectbox("Dokument", doc_ids, format_func=lambda d: documents[d].manifest.title, key="kallor_doc")
doc = documents[doc_id]
m = doc.manifest
details = [f"**Utgivare:** {vm.md_escape(m.publisher)}", f"**År:** {m.year or 'okänt'}", f"**Typ:** {m.document_type}",
           f"**Publicerad:** {vm.md_escape(m.published_at)}"]
if m.reference:
    details.append(f"**Diarienummer:** {m.reference}")
st.markdown(" · ".join(details))

options = vm.passage_options(index, doc_id)
labels = dict(options)
chunk_id = st.selectbox("Textavsnitt", [o[0] for o in options], format_func=labels.get, key=f"kallor_passage_{doc_id}")
chunk = index.get_chunks([chunk_id])[0]
st.caption(f"{chunk.pages} · {chunk.section or '(utan rubrik)'}")
st.html(f"<div class='kalla'>{vm.context_html(doc, chunk.char_start, chunk.char_end)}</div>")

if m.source == "user":
    with st.expander("Ta bort dokumentet"):
        sure = st.checkbox(f"Jag vill ta bort »{m.title}« ur underlaget", key=f"kallor_sure_{doc_id}")
        if st.button("Ta bort", type="primary", disabled=not sure, key=f"kallor_remove_{doc_id}"):
            try:
                with st.spinner("Tar bort och uppdaterar indexet …"):
                    remove_user_document(settings, doc_id)
                st.session_state["kallor_messages"] = [("ok", f"»{m.title}« är borttaget ur underlaget.")]
            except KategoriError as err:
                st.session_state["kallor_messages"] = [("error", str(err))]
            st.rerun()
else:
    st.caption("Dokument i grundkorpusen kan inte tas bort.")

st.subheader("Lägg till egna dokument")
upload_round = st.session_state.setdefault("kallor_upload_round", 0)  # a new key empties the uploader
files = st.file_uploader(
    "PDF-, text- eller Markdown-filer", type=["pdf", "txt", "md"], accept_multiple_files=True,
    key=f"kallor_upload_{upload_round}",
)
if st.button("Lägg till i underlaget", type="primary", disabled=not files):
    bar = st.progress(0.0, text="Läser filerna …")

    def progress(stage: str, done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=f"{stage}: {done} av {total}")

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for f in files:
            path = Path(tmp) / Path(f.name).name
            path.write_bytes(f.getvalue())
            paths.append(path)
        try:
            report = add_user_documents(settings, paths, progress=progress)
        except KategoriError as err:
            bar.empty()
            st.error(str(err), icon=":material/error:")
        else:
            added = ", ".join(report.added + report.replaced) or "inga nya dokument"
            st.session_state["kallor_messages"] = [
                ("ok", f"Klart: {added}. Underlaget har nu {report.documents} dokument och {report.chunks} textavsnitt.")
            ]
            st.session_state["kallor_upload_round"] = upload_round + 1
            st.rerun()
