"""Input → draft. Per section: resolve the template's citations to indexed passages, retrieve more
passages for the category, write the text (template offline, or the language model), and verify every
citation with the same code as answers (`assistant.answers.verify.verify`). Citations are then
numbered across the whole draft for one Källor list.

Deterministic: the same input, index and model settings give the same draft (retrieval and sentence
selection are deterministic; the model is called with the configured temperature, 0 by default).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from assistant.answers.extractive import Idf, select_sentences
from assistant.answers.llm import chat_model, generate_text
from assistant.answers.models import Citation, DraftCitation, Passage
from assistant.answers.parse import parse_answer_text
from assistant.answers.prompts import load_prompt, render_passages
from assistant.answers.verify import verify
from assistant.config import Settings
from assistant.drafts.actions import spend_actions
from assistant.drafts.claims import claim_problems
from assistant.drafts.context import Context, substitute
from assistant.drafts.format import pct, sek
from assistant.drafts.generated import generate
from assistant.drafts.models import Block, DraftSection, SpendAnalysis, StrategyDraft, StrategyInput, Table
from assistant.drafts.profiles import org_type, profile_for
from assistant.drafts.sections import (
    ANCHOR_MARKER,
    DraftSpec,
    Part,
    SectionSpec,
    applies,
    keyword_in,
    load_spec,
)
from assistant.errors import KategoriError
from assistant.retrieval import HybridRetriever, build_retriever
from assistant.store.index import ActiveIndex
from assistant.store.records import StoredChunk
from assistant.textmatch import normalise

_MARKER = re.compile(r"\[(\d{1,3})\]")
_SEPARATOR = "\n\u241e\n"  # between the texts of one verification unit; no rule in verify() touches it
_HITS_PER_QUERY = 3
_MAX_EXTRA_QUOTES = 2
_MAX_PROMPT_PASSAGES = 10


class AnchorResolver:
    """Turns a template citation (document + verbatim quote) into the indexed chunk that contains it."""

    def __init__(self, index: ActiveIndex, spec: DraftSpec):
        self.index = index
        self.spec = spec
        self._chunks: dict[str, list[tuple[StoredChunk, str]]] = {}
        self._resolved: dict[str, StoredChunk] = {}

    def chunk(self, anchor: str) -> StoredChunk:
        if anchor not in self._resolved:
            doc_id = self.spec.doc_id(anchor)
            quote = normalise(self.spec.anchors[anchor].quote)
            if doc_id not in self._chunks:
                self._chunks[doc_id] = [(c, normalise(c.text)) for c in self.index.chunks_of(doc_id)]
            found = next((c for c, text in self._chunks[doc_id] if quote in text), None)
            if found is None:
                raise KategoriError(
                    f"Mallen för kategoristrategin citerar »{self.spec.anchors[anchor].quote[:60]}…« ur {doc_id}, "
                    "men citatet finns inte i något textavsnitt i indexet. Bygg om indexet (kategori ingest "
                    "--rebuild) eller rätta assistant/drafts/sections.yaml."
                )
            self._resolved[anchor] = found
        return self._resolved[anchor]


@dataclass
class _Unit:
    """Texts verified together: their markers [n] number `passages`, one passage per cited quote."""

    blocks: list[Block] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    drafts: list[DraftCitation] = field(default_factory=list)
    _by_anchor: dict[str, int] = field(default_factory=dict)

    def cite_anchor(self, anchor: str, chunk: StoredChunk, quote: str) -> int:
        # Each quote gets its own passage number, so two quotes from one chunk stay two citations.
        if anchor not in self._by_anchor:
            n = len(self.passages) + 1
            self.passages.append(Passage(n=n, chunk=chunk))
            self.drafts.append(DraftCitation(n=n, quote=quote))
            self._by_anchor[anchor] = n
        return self._by_anchor[anchor]

    def cite_quote(self, chunk: StoredChunk, quote: str) -> int:
        n = len(self.passages) + 1
        self.passages.append(Passage(n=n, chunk=chunk))
        self.drafts.append(DraftCitation(n=n, quote=quote))
        return n


class _Sources:
    """The draft's Källor list: one number per distinct quote, in order of first use."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._keys: dict[tuple, int] = {}

    def number(self, c: Citation) -> int:
        key = (c.chunk_id, c.quote_start, c.quote_end) if c.verified else (c.chunk_id, normalise(c.quote))
        if key not in self._keys:
            n = len(self.citations) + 1
            self.citations.append(c.model_copy(update={"n": n}))
            self._keys[key] = n
        return self._keys[key]


class DraftBuilder:
    def __init__(self, settings: Settings, index: ActiveIndex | None = None, model: BaseChatModel | None = None,
                 retriever: HybridRetriever | None = None, spec: DraftSpec | None = None,
                 searches: dict[str, list[StoredChunk]] | None = None):
        """`searches` may be shared by builders over the same retriever (query text -> passages)."""
        if index is None and retriever is None:
            from ingest.ensure import ensure_index

            index = ensure_index(settings)
        self.settings = settings
        self.retriever = retriever or build_retriever(settings, index=index)
        self.index = self.retriever.index
        self.spec = spec or load_spec()
        self.anchors = AnchorResolver(self.index, self.spec)
        self._model = model
        self._idf: Idf | None = None
        self._category_words: list[str] = []
        self._quoted: list[str] = []
        self._has_user_documents: bool | None = None
        self._searches = searches if searches is not None else {}

    @property
    def model(self) -> BaseChatModel:
        if self._model is None:
            self._model = chat_model(self.settings)
        return self._model

    # ---- public -------------------------------------------------------------------------------------

    def build(self, inp: StrategyInput, spend: SpendAnalysis | None = None, offline: bool = False) -> StrategyDraft:
        if spend is None and inp.spend is not None:
            from assistant.drafts.spend import analyse_spend

            spend = analyse_spend(inp.spend, category=inp.kategori, category_value=inp.spend_kategori)
        use_llm = self.settings.llm != "none" and not offline
        profile = profile_for(inp.kategori)
        actions = spend_actions(spend, inp.direktupphandlingsgrans) if spend is not None else None
        ctx = Context(inp=inp, spend=spend, spec=self.spec, profile=profile, org=org_type(inp.typ), actions=actions)
        # Words that name this category: its own name and its profile's synonyms, never a whole family's
        # vocabulary (a loose keyword match is how unrelated passages got quoted before).
        self._category_words = sorted({*(s.lower() for s in profile.synonyms),
                                       *(w for w in re.findall(r"[\wåäö-]+", inp.kategori.lower()) if len(w) >= 3)})
        self._quoted = [normalise(a.quote) for a in self.spec.anchors.values()]
        sources = _Sources()
        sections = []
        for number, spec in enumerate(self.spec.sections, 1):
            sections.append(self._section(number, spec, ctx, sources, use_llm))
        notes = []
        unverified = sum(not c.verified for c in sources.citations)
        if unverified:
            notes.append(f"{unverified} av {len(sources.citations)} källhänvisningar kunde inte verifieras mot "
                         "källtexten och är markerade i källförteckningen.")
        return StrategyDraft(
            input=inp,
            kategorityp=profile.name,
            title=f"Kategoristrategi: {inp.kategori}",
            datum=inp.datum,
            mode="none" if not use_llm else self.settings.llm,
            sections=sections,
            sources=sources.citations,
            spend=spend,
            actions=actions,
            notes=notes,
        )

    # ---- one section --------------------------------------------------------------------------------

    def _section(self, number: int, spec: SectionSpec, ctx: Context, sources: _Sources, use_llm: bool) -> DraftSection:
        parts = [p for p in spec.parts if applies(p, ctx.profile, ctx.inp.typ)]
        variables = ctx.variables
        # Offline, retrieved passages are only used for quotes from the user's own documents.
        retrieved = self._retrieve(spec, variables) if use_llm or self._user_documents() else []
        notes: list[str] = []
        template = _Unit()
        slots: list[list[Block]] = []  # per part, so the model's text can replace the prose parts
        for part in parts:
            blocks = self._blocks(part, ctx)
            slots.append([self._cite_anchors(b, template, variables) for b in blocks])
        template.blocks = [b for slot in slots for b in slot]

        if use_llm and any(p.prose for p in parts):
            written = self._write(spec, parts, ctx, retrieved, notes)
            if written is not None:
                # The model's text takes the place of the template's prose; lists, tables and computed parts
                # stay. The units are verified in reading order, so Källor numbers follow first use.
                first = next(i for i, p in enumerate(parts) if p.prose)
                before = _Unit(passages=template.passages, drafts=template.drafts)
                after = _Unit(passages=template.passages, drafts=template.drafts)
                before.blocks = [b for slot in slots[:first] for b in slot]
                after.blocks = [b for i, slot in enumerate(slots) if i > first and not parts[i].prose for b in slot]
                return self._finish(number, spec, [before, written, after], sources, notes, "språkmodell")
        else:
            extra = self._extra_quotes(spec, variables, retrieved, template, self._category_words, self._quoted)
            if extra is not None:
                template.blocks += extra
        return self._finish(number, spec, [template], sources, notes, "mall")

    def _finish(self, number: int, spec: SectionSpec, units: list[_Unit], sources: _Sources, notes: list[str],
                mode: str) -> DraftSection:
        blocks = [b for unit in units for b in self._verify(unit, sources, notes)]
        cited: list[int] = []
        for b in blocks:
            for text in _texts(b):
                for m in _MARKER.finditer(text):
                    if int(m.group(1)) not in cited:
                        cited.append(int(m.group(1)))
        bad = [n for n in cited if not sources.citations[n - 1].verified]
        if bad:
            listed = ", ".join(f"[{n}]" for n in bad)
            blocks.append(Block(kind="note", text=(
                f"Obs: källhänvisning {listed} kunde inte verifieras mot källtexten – kontrollera påståendet.")))
        return DraftSection(number=number, key=spec.key, heading=spec.heading, blocks=blocks, citations=cited,
                            mode=mode, notes=notes)

    def _blocks(self, part: Part, ctx: Context) -> list[Block]:
        if part.kind == "generated":
            return generate(part.name or "", ctx, part.arg)
        if part.kind == "table":
            return [Block(kind="table", table=Table(columns=part.columns, rows=[list(r) for r in part.rows],
                                                    caption=part.caption))]
        return [Block(kind=part.kind, text=part.text, items=list(part.items))]

    def _cite_anchors(self, block: Block, unit: _Unit, variables: dict[str, str]) -> Block:
        def resolve(text: str) -> str:
            def marker(m: re.Match) -> str:
                anchor = m.group(1)
                return f"[{unit.cite_anchor(anchor, self.anchors.chunk(anchor), self.spec.anchors[anchor].quote)}]"

            return ANCHOR_MARKER.sub(marker, substitute(" ".join(text.split()) if "\n" in text else text, variables))

        return _map_texts(block, resolve)

    # ---- retrieval ----------------------------------------------------------------------------------

    def _retrieve(self, spec: SectionSpec, variables: dict[str, str]) -> list[StoredChunk]:
        chunks: dict[str, StoredChunk] = {}
        # The same query on the same index gives the same passages; sixteen sections times two queries is
        # most of a draft's time with a model, so each query is searched once per cache.
        cache = self._searches
        for query in spec.queries:
            text = substitute(query, variables)
            if text not in cache:
                cache[text] = [hit.chunk for hit in self.retriever.search(text, k=_HITS_PER_QUERY)]
            for chunk in cache[text]:
                chunks.setdefault(chunk.chunk_id, chunk)
        return list(chunks.values())

    def _extra_quotes(self, spec: SectionSpec, variables: dict[str, str], retrieved: list[StoredChunk],
                      unit: _Unit, category_words: list[str], quoted: list[str]) -> list[Block] | None:
        """Offline: sentences from documents the user has added (kategori ingest) that name the category
        by its name or a synonym and are not quoted elsewhere in the draft. The seed documents are already
        cited where they say something about a category profile (categories.yaml, reviewed by hand); a
        keyword match on them put unrelated passages into drafts, so they are not searched here."""
        retrieved = [c for c in retrieved if c.source != "seed"]
        if not retrieved:
            return None
        if self._idf is None:
            self._idf = Idf(self.index)
        passages = [Passage(n=i, chunk=c) for i, c in enumerate(retrieved, 1)]
        question = " ".join(substitute(q, variables) for q in spec.queries)
        items = []
        for cand in select_sentences(question, passages, self._idf, 2 * _MAX_EXTRA_QUOTES):
            quote = cand.sentence.text.lstrip("•- ").strip()
            text = normalise(quote)
            if quote.endswith(":") or any(text in q or q in text for q in quoted):
                continue
            if not any(keyword_in(w, quote) for w in category_words):
                continue
            quoted.append(text)
            n = unit.cite_quote(cand.passage.chunk, quote)
            items.append(f"»{quote}« [{n}]")
            if len(items) >= _MAX_EXTRA_QUOTES:
                break
        if not items:
            return None
        return [Block(kind="paragraph", text=f"Mer om {variables['kategori']} i underlaget:"),
                Block(kind="bullets", items=items)]

    # ---- the language model -------------------------------------------------------------------------

    def _write(self, spec: SectionSpec, parts: list[Part], ctx: Context, retrieved: list[StoredChunk],
               notes: list[str]) -> _Unit | None:
        """The section's guidance in the model's words, from the template and the passages. None when no
        citation in it can be verified (the template's text is used instead)."""
        chunks: dict[str, StoredChunk] = {}
        for part in parts:
            if part.prose:
                for anchor in part.anchors():
                    chunk = self.anchors.chunk(anchor)
                    chunks.setdefault(chunk.chunk_id, chunk)
        for chunk in retrieved:
            if len(chunks) >= _MAX_PROMPT_PASSAGES:
                break
            chunks.setdefault(chunk.chunk_id, chunk)
        passages = [Passage(n=i, chunk=c) for i, c in enumerate(chunks.values(), 1)]
        number_of = {p.chunk.chunk_id: p.n for p in passages}

        def skeleton_marker(m: re.Match) -> str:
            return f"[{number_of[self.anchors.chunk(m.group(1)).chunk_id]}]"

        skeleton = []
        for part in parts:
            if not part.prose:
                continue
            text = ANCHOR_MARKER.sub(skeleton_marker, substitute(" ".join(part.text.split()), ctx.variables))
            skeleton.append(f"### {text}" if part.kind == "subheading" else text)
        messages = self._messages(spec, ctx, "\n\n".join(skeleton), passages)
        reply = generate_text(self.model, messages, self.settings)
        draft = parse_answer_text(reply)
        if not draft.answered or not draft.citations:
            notes.append("Språkmodellen gav ingen text med källhänvisningar; mallens text används.")
            return None
        checked = verify(draft.answer, draft.citations, passages, self._page_of)
        if not any(c.verified for c in checked.citations):
            notes.append("Inget av språkmodellens citat gick att verifiera mot källtexten; mallens text används.")
            return None
        unit = _Unit(passages=passages, drafts=list(draft.citations))
        unit.blocks = _prose_blocks(draft.answer)
        by_n = {c.n: c for c in checked.citations}
        problems = claim_problems([(spec.heading, [t for b in unit.blocks for t in _texts(b)])], by_n.get)
        if problems:
            # A verbatim quote is not enough when the sentence around it claims more than the quote says
            # ("X är ett av exemplen", the wrong publisher): the template's reviewed text is used instead.
            notes.append("Språkmodellens text påstod något som inte står i citatet (»"
                         + problems[0].sentence.strip()[:120] + "«); mallens text används.")
            return None
        return unit

    def _messages(self, spec: SectionSpec, ctx: Context, skeleton: str, passages: list[Passage]) -> list[BaseMessage]:
        prompts_dir = str(self.settings.prompts_dir)
        user = load_prompt(prompts_dir, "draft_section_user").format(
            heading=spec.heading,
            facts=_facts_for_prompt(ctx),
            template=skeleton,
            passages=render_passages(passages),
        )
        return [SystemMessage(content=load_prompt(prompts_dir, "draft_section_system")), HumanMessage(content=user)]

    # ---- verification -------------------------------------------------------------------------------

    def _verify(self, unit: _Unit, sources: _Sources, notes: list[str]) -> list[Block]:
        """Verify the unit's citations with the answers' verifier, then give them their Källor numbers."""
        if not unit.blocks:
            return []
        texts = [t for b in unit.blocks for t in _texts(b)]
        checked = verify(_SEPARATOR.join(texts), unit.drafts, unit.passages, self._page_of)
        notes += checked.notes
        # Only citations the text refers to go into Källor (a model may list sources it never uses).
        referenced = {int(m.group(1)) for m in _MARKER.finditer(checked.text)}
        global_number = {c.n: sources.number(c) for c in checked.citations if c.n in referenced}
        renumbered = _MARKER.sub(
            lambda m: f"[{global_number[int(m.group(1))]}]" if int(m.group(1)) in global_number else "",
            checked.text,
        )
        pieces = iter(renumbered.split(_SEPARATOR.strip("\n")))
        out = []
        for block in unit.blocks:
            out.append(_map_texts(block, lambda _t: next(pieces).strip("\n")))
        return out

    def _user_documents(self) -> bool:
        if self._has_user_documents is None:
            self._has_user_documents = any(d.manifest.source != "seed" for d in self.index.documents().values())
        return self._has_user_documents

    def _page_of(self, doc_id: str, offset: int) -> int:
        doc = self.index.documents().get(doc_id)
        return doc.page_at(offset).page if doc else 1


# ---- helpers --------------------------------------------------------------------------------------------


def _texts(block: Block) -> list[str]:
    if block.kind == "table" and block.table is not None:
        t = block.table
        return [t.caption or "", *t.columns, *(c for row in t.rows for c in row)]
    if block.kind == "bullets":
        return list(block.items)
    return [block.text]


def _map_texts(block: Block, fn) -> Block:
    if block.kind == "table" and block.table is not None:
        t = block.table
        caption = fn(t.caption or "")
        columns = [fn(c) for c in t.columns]
        rows = [[fn(c) for c in row] for row in t.rows]
        return block.model_copy(update={"table": Table(columns=columns, rows=rows, caption=caption or None)})
    if block.kind == "bullets":
        return block.model_copy(update={"items": [fn(i) for i in block.items]})
    return block.model_copy(update={"text": fn(block.text)})


def _prose_blocks(text: str) -> list[Block]:
    """The model's text as paragraphs, lists and sub-headings (### …)."""
    blocks = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        if len(lines) == 1 and lines[0].startswith("#"):
            blocks.append(Block(kind="subheading", text=lines[0].lstrip("#").strip()))
        elif all(re.match(r"^[-*•]\s+", line) for line in lines):
            blocks.append(Block(kind="bullets", items=[re.sub(r"^[-*•]\s+", "", line) for line in lines]))
        else:
            if lines[0].startswith("#"):
                blocks.append(Block(kind="subheading", text=lines[0].lstrip("#").strip()))
                lines = lines[1:]
            blocks.append(Block(kind="paragraph", text=" ".join(lines)))
    return blocks


def _facts_for_prompt(ctx: Context) -> str:
    inp, a, p = ctx.inp, ctx.spend, ctx.profile
    lines = [
        f"- Organisation: {inp.organisation} ({inp.typ}; beslutande: {ctx.org.beslutande}; enheter: {ctx.org.enheter}; "
        f"planering i {ctx.org.planering})",
        f"- Kategori: {inp.kategori} (kategorityp enligt verktygets profil: {p.name})",
        f"- Planeringsperiod: {inp.period_text}",
        f"- Kategorins årliga volym: {sek(inp.volym) if inp.volym is not None else 'okänd'}",
        f"- Organisationens totala inköpsvolym: "
        f"{sek(inp.total_inkopsvolym) if inp.total_inkopsvolym is not None else 'okänd'}",
        f"- Direktupphandlingsgräns som organisationen tillämpar: "
        f"{sek(inp.direktupphandlingsgrans) if inp.direktupphandlingsgrans is not None else 'okänd (hitta inte på en)'}",
    ]
    if inp.prioriteringar:
        lines.append("- Prioriteringar: " + "; ".join(inp.prioriteringar))
    if p.route:
        lines.append(f"- Avtalsform som verktyget föreslår i första hand: {ctx.spec.contract_forms[p.route[0]].lower()}")
    if p.risk_sectors:
        lines.append(f"- Kategorin hör enligt profilen till riskbranschen {', '.join(p.risk_sectors)}")
    elif not p.unknown:
        lines.append("- Kategorin hör inte till någon av de riskbranscher som färdplanen nämner")
    if a is not None:
        lines.append(f"- Spendanalys: {sek(a.total)} hos {a.supplier_count} leverantörer; de tre största står för "
                     f"{pct(a.top3_share)}" + (f"; {pct(a.without_contract_share)} utan avtals-id"
                                               if a.without_contract_share is not None else ""))
    return "\n".join(lines)


def build_draft(inp: StrategyInput, settings: Settings, index: ActiveIndex | None = None,
                model: BaseChatModel | None = None, spend: SpendAnalysis | None = None,
                offline: bool = False) -> StrategyDraft:
    """The draft for `inp`. With KATEGORI_LLM set (and not `offline`) the guidance is written by the
    language model; otherwise it is the template's. `spend` is a ready analysis (e.g. of an uploaded
    file); without it `inp.spend` is read when given."""
    return DraftBuilder(settings, index=index, model=model).build(inp, spend=spend, offline=offline)
