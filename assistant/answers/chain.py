"""The retrieval chain: condense → retrieve → relevance gate → answer (extractive or LLM) → verify.

`AnswerService.answer()` returns a verified `Answer`; `AnswerService.stream()` yields the answer text
as the model writes it and ends with the same verified `Answer`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from assistant.answers import relevance
from assistant.answers.abbreviations import expand
from assistant.answers.amounts import amount_in_range, asks_with_amount
from assistant.answers.chat_forms import with_diacritics, written_out
from assistant.answers.conversation import ResolvedQuestion, own_topics, resolve
from assistant.answers.extractive import (
    Idf,
    defined_term,
    defined_term_text,
    defines,
    documents_of_kind,
    extractive_answer,
    select_sentences,
)
from assistant.answers.llm import (
    StructuredOutputUnsupported,
    chat_model,
    generate_structured,
    generate_text,
    stream_text,
)
from assistant.answers.models import Answer, Citation, DraftAnswer, Mode, Passage
from assistant.answers.paraphrases import with_compounds, with_document_words
from assistant.answers.parse import parse_answer_text
from assistant.answers.prompts import load_prompt, system_prompt, user_prompt
from assistant.answers.question import Asked, analyse, asks_of_its_own, named_sources, split_context
from assistant.answers.verify import UNVERIFIABLE, verify
from assistant.config import Settings
from assistant.errors import InputError
from assistant.search import HybridSearch, ScoredChunk, build_search
from assistant.store.index import ActiveIndex
from assistant.store.records import StoredChunk
from ingest.sentences import split_sentences

# LangChain's chat models and messages are imported by the model-backed modes only: offline answers
# (and `kategori ask --offline`) do without them.
if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import BaseMessage

    from assistant.retrieval import HybridRetriever

NOT_ANSWERED = "Underlaget besvarar inte frågan."
# How much deeper a figure is looked for (_with_figure_passage): 30 × 8 passages is nearly the whole seed corpus
# (252 passages). At 3 the passage with »cirka 10 miljoner kronor årligen« (rank 59 for »vad trodde UHM att
# handlingsplanen skulle kosta per år?«) was never seen; a shallow search's fused ranking also differs from a deep one's.
_FIGURE_DEPTH = 30
# A date or duration is as specific as an amount; »tre« or »2019« in any passage would pass for a count.
_DEEPER_FIGURES = ("money", "percent", "saving", "date", "duration", "frequency")


def _heading_only(text: str) -> bool:
    return len(text) < _HEADING_ONLY_CHARS and not re.search(r"[.?!:]", text)


_HEADING_ONLY_CHARS = 150


class ChatTurn(BaseModel):
    role: Literal["user", "assistant"]
    content: str


class StreamEvent(BaseModel):
    kind: Literal["status", "token", "final"]
    text: str = ""
    answer: Answer | None = None


def _what_is_asked(asked: str) -> Asked:
    """The question apart from the asker's situation (question.split_context), unless the question sentence
    only points back at its subject. »Det pratas om ett gemensamt system för att kolla leverantörer … När kan
    vi börja använda det?«: what is told of others is what is asked about. »Min chef vill att vi ska använda
    ambitionsgrafen. Vad är det för något?«: the asker's situation names the subject; the question goes first,
    as it says what kind of answer is wanted."""
    own = split_context(asked)
    # (»Hur många gäller nu, och vad handlar de nya om?«: the commonest words, »gäller«, »nya«, name no subject.)
    # (»Det där coachprogrammet – hur länge skulle det hålla på, och varifrån …?«: »det« is the programme.)
    if own.context and (
        not [w for w in own_topics(own.question) if relevance.names_subject(w)]
        or relevance.POINTED_TOPIC.match(asked)
    ):
        merged = asked if own.context_about_others else f"{own.question} {own.context}"
        return own.model_copy(update={"question": merged, "context": ""})
    return own


_BORROWED_KINDS = ("figure", "date", "duration", "frequency")


def _borrowed_figure(resolved: ResolvedQuestion, question: str) -> str | None:
    """»Och för regionerna?«, »Hur ser det ut med kategoristrategier då?«: a follow-up without a question of
    its own asks for the figure its earlier question asked for (a share, a date …), and the sentences are
    chosen for it too."""
    if not resolved.follow_up or analyse(question).kind != "general" or asks_of_its_own(question):
        return None
    kind = analyse(split_context(resolved.topic or resolved.search_query).question).kind
    return kind if kind in _BORROWED_KINDS else None


def _undefined(question: str, evidence: list[relevance.Evidence]) -> str | None:
    """»Vad menas med ett upphandlingsdokument?«: a one-word term that no chosen sentence uses is not explained by
    them, however near their other words are (»styrdokument«, »upphandlingar«)."""
    term = defined_term_text(question)
    forms = defined_term(question)
    if not term or " " in term or len(forms) != 1:
        return None  # (»Vad är det den mäter?« asks what it measures, not what »mäter« is)
    for ev in evidence:
        if any(f in relevance.whole_words(f"{ev.text} {ev.heading}") for f in forms[0]):
            return None
    return f"någon förklaring av »{term}«"


class AnswerService:
    def __init__(
        self,
        settings: Settings,
        index: ActiveIndex | None = None,
        retriever: HybridSearch | HybridRetriever | None = None,
        model: BaseChatModel | None = None,
    ):
        self.settings = settings
        # The LangChain retriever or its plain core: both rank the same way.
        self.retriever = retriever or build_search(settings, index=index)
        self.index = self.retriever.index
        self._model = model
        self._structured_ok = settings.llm_structured != "off"
        self._idf: Idf | None = None
        self._idf_fingerprint = ""
        self._doc_years: dict[tuple[str, str], str] = {}

    # ---- public -------------------------------------------------------------------------------------

    @property
    def mode(self) -> Mode:
        return self.settings.llm

    @property
    def model(self) -> BaseChatModel:
        if self._model is None:
            self._model = chat_model(self.settings)
        return self._model

    def answer(self, question: str, history: list[ChatTurn] | None = None, offline: bool = False) -> Answer:
        final = None
        for event in self._run(question, history or [], offline=offline, streaming=False):
            if event.kind == "final":
                final = event.answer
        assert final is not None
        return final

    def stream(self, question: str, history: list[ChatTurn] | None = None, offline: bool = False) -> Iterator[StreamEvent]:
        yield from self._run(question, history or [], offline=offline, streaming=True)

    # ---- steps --------------------------------------------------------------------------------------

    def _run(self, question: str, history: list[ChatTurn], offline: bool, streaming: bool) -> Iterator[StreamEvent]:
        question = question.strip()
        if not question:
            raise InputError("Frågan är tom.")
        mode: Mode = "none" if offline else self.mode
        resolved = self.resolve(question, history, mode)
        search_query = resolved.search_query
        asked = resolved.question  # with abbreviations expanded (»UHM (Upphandlingsmyndigheten)«)
        if search_query != question:
            yield StreamEvent(kind="status", text=f"Söker efter: {search_query}")
        k = max(self.settings.k, self.settings.answer_passages) if mode == "none" else self.settings.k
        # Offline, the sentences are chosen from the fused ranking: the answer step scores every sentence of
        # those passages itself, with their fused rank as a prior (reranking them first measured no better,
        # and let passages that merely share the question's words win the first quote).
        hits = self.retrieve(resolved, k, rerank=mode != "none")
        passages = [Passage(n=i, chunk=h.chunk, score=h.score) for i, h in enumerate(hits, 1)]
        decision = relevance.decide(search_query, hits, self.index, self.settings)
        if not decision.answerable and resolved.follow_up and resolved.topic and decision.unknown_terms:
            decision = self._with_topic_judged(resolved, hits, decision)
        if not decision.answerable:
            yield self._final(self._refusal(question, search_query, mode, hits, decision.unknown_terms))
            return

        # The same query-focused selection answers offline and, as hints, guides a model. The asker's
        # situation (»Vi är fyra små kommuner …«) helps like a follow-up's earlier question: its words
        # count, the question sentence's words decide.
        own = _what_is_asked(asked)
        borrowed = _borrowed_figure(resolved, own.question)
        extract = extractive_answer(
            own.question, passages, self.index, self.settings.answer_max_sentences,
            question_vector=self.retriever.query_vector(search_query), embed=self.retriever.query_vector,
            topic=resolved.topic, idf=self.idf, situation=own.context, kind=borrowed,
        )  # fmt: skip
        passages += extract.added
        evidence = [(c.unit.passage.n, c.unit.text) for c in extract.chosen]
        if mode == "none":
            evidence = [
                relevance.Evidence(
                    text=c.unit.text,
                    context=f"{c.unit.passage.chunk.text} {self._document_context(c.unit.passage.chunk)}",
                    heading=" ".join(c.unit.passage.chunk.section_path),
                )
                for c in extract.chosen
            ]
            # A follow-up ("Och för varor?") asks about its topic's subject.
            subject = search_query if resolved.follow_up else own.question
            # … of the kind the follow-up itself asks: »Vad kostar det att vara med i en sån?« wants an amount
            # even when the question it leans on did not.
            kind = analyse(own.question).kind
            if kind == "general" and not asks_of_its_own(own.question):
                # »Och för LUF då?« asks what its topic asked; »Vad gör de först?« asks its own question.
                kind = borrowed or analyse(subject).kind
            # What the asker tells of others (»Nacka kommun verkar ha kommit långt.«) names what is asked about.
            others = own.context if own.context_about_others and not resolved.follow_up else ""
            missing = (
                relevance.missing_specific(subject, kind, evidence, self.idf, context=others, own=asked if resolved.follow_up else "")
                if evidence else None
            )  # fmt: skip
            if missing is None and kind == "definition" and not resolved.follow_up:
                missing = _undefined(own.question, evidence)
            if missing is not None:
                yield self._final(self._refusal(question, search_query, mode, hits, [], missing=missing))
                return
            draft = DraftAnswer(answered=bool(extract.citations), answer=extract.text, citations=extract.citations)
        elif streaming:
            messages = self._messages(asked, passages, structured=False, evidence=evidence)
            buffer = ""
            for piece in stream_text(self.model, messages, self.settings):
                buffer += piece
                yield StreamEvent(kind="token", text=piece)
            draft = parse_answer_text(buffer)
        else:
            draft = self._generate(asked, passages, evidence)

        if not draft.answered or not draft.citations:
            yield self._final(self._refusal(question, search_query, mode, hits, [], model_declined=mode != "none"))
            return
        checked = verify(draft.answer, draft.citations, passages, self._page_of)
        if not checked.any_verified:
            refusal = self._refusal(question, search_query, mode, hits, [], unverifiable=True)
            refusal.notes = checked.notes
            yield self._final(refusal)
            return
        yield self._final(
            Answer(
                question=question,
                answered=True,
                answer=checked.text_with_warning(),
                citations=checked.citations,
                mode=mode,
                search_query=search_query,
                unverified=checked.unverified,
                notes=checked.notes,
                unknown_terms=decision.unknown_terms,
            )
        )

    def _with_topic_judged(
        self, resolved: ResolvedQuestion, hits: list[ScoredChunk], decision: relevance.RelevanceDecision
    ) -> relevance.RelevanceDecision:
        """»Kostnaden?« after »Vilka åtgärder föreslog UHM i sin flerårsplan?«: the earlier question's unknown
        word (»flerårsplan«) was judged when it was asked. If that question is answerable on its own, its
        words do not refuse the follow-up; the follow-up's own unknown words still do."""
        own = {w.lower() for w in re.findall(r"\w+", resolved.question)}
        if any(w in own for w in decision.unknown_terms):
            return decision
        topic = ResolvedQuestion(question=resolved.topic, follow_up=False)
        topic_hits = self.retrieve(topic, len(hits) or self.settings.k, rerank=False)
        if not relevance.decide(resolved.topic, topic_hits, self.index, self.settings).answerable:
            return decision
        return relevance.decide(
            resolved.search_query, hits, self.index, self.settings, tolerated=frozenset(decision.unknown_terms)
        )

    def _document_context(self, chunk: StoredChunk) -> str:
        """What a chunk's document says of itself for the figure checks: title, publisher, year, and the years it
        speaks of anywhere (a figure asked for »2020« may stand in a passage that names only the survey,
        »enkäten från 2020«, elsewhere; a document that never names the year cannot give it)."""
        key = (self.index.state.fingerprint, chunk.doc_id)
        if key not in self._doc_years:
            text = " ".join(c.text for c in self.index.chunks_of(chunk.doc_id))
            self._doc_years[key] = " ".join(sorted(set(relevance.YEAR.findall(text))))
        return f"{chunk.doc_title} {chunk.publisher} {chunk.year or ''} {self._doc_years[key]}"

    @property
    def idf(self) -> Idf:
        if self._idf is None or self._idf_fingerprint != self.index.state.fingerprint:
            self._idf, self._idf_fingerprint = Idf(self.index), self.index.state.fingerprint
        return self._idf

    def resolve(self, question: str, history: list[ChatTurn], mode: Mode) -> ResolvedQuestion:
        """The question and, for an elliptic follow-up, the topic it leans on (conversation.py). Only a
        follow-up is rewritten: a self-contained question is never mixed with the previous one."""
        # Chat spellings first (»vad e det«, »orgs«), then abbreviations with what they stand for.
        def rewritten(text: str) -> str:
            # (Marks first, while the text still shows whether the asker's keyboard has them.)
            return with_compounds(with_document_words(expand(written_out(with_diacritics(text, self.idf.known)))), self.idf.known)

        previous = [rewritten(t.content) for t in history if t.role == "user"]
        resolved = resolve(rewritten(question), previous)
        if mode == "none" or not resolved.follow_up:
            return resolved
        from langchain_core.messages import HumanMessage

        rendered = "\n".join(f"{'Användare' if t.role == 'user' else 'Assistent'}: {t.content}" for t in history[-6:])
        prompt = load_prompt(str(self.settings.prompts_dir), "condense_question").format(history=rendered, question=question)
        rewritten = generate_text(self.model, [HumanMessage(content=prompt)], self.settings).strip().strip('"')
        rewritten = rewritten.splitlines()[0].strip() if rewritten else ""
        if not rewritten or rewritten == question:
            return resolved
        return ResolvedQuestion(question=rewritten, follow_up=False)

    def retrieve(self, resolved: ResolvedQuestion, k: int, rerank: bool = True) -> list[ScoredChunk]:
        """A follow-up that names a topic of its own ("Och realiseringsfasen?") is searched both on
        its own and with its earlier question, and the two rankings are merged (reciprocal rank): the
        earlier question alone would bring back the earlier topic's passages."""
        found = self.retriever.search(
            resolved.search_query, k=k, question=resolved.question, topic=resolved.topic, rerank=rerank
        )
        hits = self._with_named_sources(resolved.search_query, found, k)
        hits = self._with_heading_content(hits)
        hits = self._with_amount_class(resolved.search_query, hits, k)
        hits = self._with_figure_passage(resolved.question, hits, k, rerank, resolved.topic if resolved.follow_up else None)
        if not resolved.follow_up:
            hits = self._with_definition_passage(resolved.question, hits, k, rerank)
        if not (resolved.follow_up and resolved.own_topics):
            return hits
        own = self.retriever.search(resolved.question, k=k, rerank=rerank)
        score: dict[str, float] = {}
        by_id = {}
        for ranking in (own, hits):
            for h in ranking:
                score[h.chunk.chunk_id] = score.get(h.chunk.chunk_id, 0.0) + 1.0 / (10 + h.rank)
                by_id.setdefault(h.chunk.chunk_id, h)
        order = sorted(score, key=lambda cid: (-score[cid], cid))[:k]
        return [by_id[cid].model_copy(update={"rank": i}) for i, cid in enumerate(order, 1)]

    def _with_amount_class(self, query: str, hits: list[ScoredChunk], k: int) -> list[ScoredChunk]:
        """»Vi köper för 120 miljoner kronor om året …«: the passage of the found documents that states the
        range the amount falls in (»under 200 miljoner kronor«) comes second, even when the words of the
        question found the passages about the other classes first."""
        if not hits or not asks_with_amount(query) or any(amount_in_range(h.chunk.text, query) for h in hits[:3]):
            return hits
        # The classes are sections side by side (»Mycket stora myndigheter«, »Stora …«, »Små …«): the one
        # wanted stands beside a passage found for the question, not anywhere an amount does.
        parents = {(h.chunk.doc_id, tuple(h.chunk.section_path[:-1])) for h in hits[:3]}
        for doc_id in dict.fromkeys(h.chunk.doc_id for h in hits[:3]):
            for chunk in self.index.chunks_of(doc_id):
                if (doc_id, tuple(chunk.section_path[:-1])) in parents and amount_in_range(chunk.text, query):
                    found = [h for h in hits if h.chunk.chunk_id == chunk.chunk_id]
                    extra = found[0] if found else ScoredChunk(chunk=chunk, rank=0, score=0.0)
                    rest = [h for h in hits[1:] if h.chunk.chunk_id != chunk.chunk_id]
                    merged = [hits[0], extra, *rest][:k]
                    return [h.model_copy(update={"rank": i}) for i, h in enumerate(merged, 1)]
        return hits

    def _with_heading_content(self, hits: list[ScoredChunk]) -> list[ScoredChunk]:
        """A passage that is only a heading (»Första steget mot en ändamålsenlig inköpsorganisation«) matches
        a question well and answers nothing: what stands under it takes its place."""
        if not any(_heading_only(h.chunk.text) for h in hits):
            return hits
        ids = {h.chunk.chunk_id for h in hits}
        out = []
        for h in hits:
            if _heading_only(h.chunk.text):
                chunks = self.index.chunks_of(h.chunk.doc_id)
                following = [c for c in chunks if c.chunk_index > h.chunk.chunk_index][:1]
                if following and following[0].chunk_id not in ids and not _heading_only(following[0].text):
                    ids.add(following[0].chunk_id)
                    h = h.model_copy(update={"chunk": following[0]})
            out.append(h)
        return out

    def _with_figure_passage(
        self, question: str, hits: list[ScoredChunk], k: int, rerank: bool = True, topic: str | None = None
    ) -> list[ScoredChunk]:
        """»Vad beräknas förslagen kosta per år?«: when no found passage gives an amount (a share, a date, a
        duration) about the question, the best passage a deeper search finds that does comes third. The words of such a
        question (»kosta«) are seldom those of the sentence with the figure (»Kostnadsuppskattningen …
        bedöms ligga på cirka 10 miljoner kronor årligen«). A follow-up's figure (»Och vad beräknas helheten kosta?«
        after »Hur länge är coachprogrammet tänkt att pågå?«) is looked for, and checked, with its earlier question, as
        the answer step does."""
        asked = split_context(question).question
        kind = analyse(asked).kind
        if not hits or relevance.figure_kind(asked, kind) not in _DEEPER_FIGURES:
            return hits
        if topic:
            question = asked = f"{topic} {asked}"

        def gives(h: ScoredChunk) -> bool:
            # The check the answer's figure must pass (relevance.missing_specific), on the whole passage.
            c = h.chunk
            # Sentence by sentence, as the answer's units are checked: a passage whose figure and subject stand in
            # different sentences (»879 miljarder kronor« … »stora besparingar«) gives no figure of the subject.
            context = f"{c.text} {self._document_context(c)}"
            heading = " ".join(c.section_path)
            evidence = [relevance.Evidence(text=t.text, context=context, heading=heading) for t in split_sentences(c.text)]
            return relevance.missing_specific(asked, kind, evidence, self.idf) is None

        # A comparison of named documents (»Vad säger de två om hur mycket …«) wants each one's figure.
        named = self._named_documents(question)
        groups = named if len(named) >= 2 else [None]
        for doc_ids in groups:
            if not any(gives(h) for h in hits if doc_ids is None or h.chunk.doc_id in doc_ids):
                hits = self._third_from_deeper(question, hits, k, rerank, gives, doc_ids) or hits
        return [h.model_copy(update={"rank": i}) for i, h in enumerate(hits, 1)]

    def _third_from_deeper(
        self, question: str, hits: list[ScoredChunk], k: int, rerank: bool, accept, doc_ids: list[str] | None = None
    ) -> list[ScoredChunk] | None:
        """`hits` with the best passage that a search `_FIGURE_DEPTH` times deeper finds and `accept`s put third;
        None when there is none."""
        seen = {h.chunk.chunk_id for h in hits}
        deeper = self.retriever.search(question, k=_FIGURE_DEPTH * k, doc_ids=doc_ids, rerank=rerank)
        extra = next((h for h in deeper if h.chunk.chunk_id not in seen and accept(h)), None)
        return None if extra is None else [*hits[:2], extra, *hits[2:]][:k]

    def _with_definition_passage(self, question: str, hits: list[ScoredChunk], k: int, rerank: bool = True) -> list[ScoredChunk]:
        """»Vad är Strategikollen?«: when no found passage says what the term is, the best passage a deeper
        search finds that does (»… lanserar Upphandlingsmyndigheten nu Strategikollen. Det är en digital tjänst
        där …«) comes third. A name used in many passages ranks them by its mentions, not by what defines it."""
        term = defined_term(split_context(question).question)
        if not hits or not term or any(defines(h.chunk.text, term) for h in hits):
            return hits
        found = self._third_from_deeper(question, hits, k, rerank, lambda h: defines(h.chunk.text, term))
        written = defined_term_text(split_context(question).question)
        if found is None and written:
            # The question's other words (»hur definierar UHM-rapporten från 2022 ordet …«) may lead elsewhere: the
            # term alone finds where it is defined (a table of terms: »Inköpsorganisation En upphandlande …«).
            found = self._third_from_deeper(written, hits, k, rerank, lambda h: defines(h.chunk.text, term))
        if found is None:
            return hits
        return [h.model_copy(update={"rank": i}) for i, h in enumerate(found, 1)]

    def _with_named_sources(self, query: str, hits: list[ScoredChunk], k: int) -> list[ScoredChunk]:
        """»Pressmeddelandet och färdplanen anger olika siffror«: a question that compares documents it names
        gets the best passage of each of them among the first, even when one of them uses other words."""
        named = self._named_documents(query)
        if len(named) < 2:
            # One named document is not restricted to: users call any of them »rapporten« (measured: the
            # answers got worse on questions written without the code in view).
            return hits
        first = hits[:3]
        extra: list[ScoredChunk] = []
        # »Hur mycket köper offentlig sektor för, enligt vilken källa?«: each document's amount, which its passage
        # on the question's words (»Strategikollen … ett långsiktigt projekt«) need not give.
        amount = relevance.figure_kind(query, "figure") == "money"
        gives = (lambda h: bool(relevance.FIGURE_TEXT["money"].search(h.chunk.text))) if amount else (lambda h: True)
        for doc_ids in named:
            if not doc_ids or any(h.chunk.doc_id in doc_ids and gives(h) for h in first + extra):
                continue
            # The one passage taken from each document is the one whose sentence answers best (reranked):
            # the document's best-matching words are often in a passage about something else.
            found = self.retriever.search(query, k=5 if amount else 1, doc_ids=doc_ids)
            pick = next((h for h in found if gives(h)), None)
            if pick is None and not any(h.chunk.doc_id in doc_ids for h in first + extra):
                pick = found[0] if found else None
            if pick is not None:
                extra.append(pick)
        if not extra:
            return hits
        ids = {h.chunk.chunk_id for h in extra}
        merged = hits[:1] + extra + [h for h in hits[1:] if h.chunk.chunk_id not in ids]
        return [h.model_copy(update={"rank": i}) for i, h in enumerate(merged[:k], 1)]

    def _named_documents(self, query: str) -> list[list[str]]:
        """For each kind of document the question names (»färdplanen«, »pressmeddelandet«), the ids of the
        documents of that kind; a search limited to some documents (HybridSearch.doc_ids) stays within them."""
        allowed = getattr(getattr(self.retriever, "core", self.retriever), "doc_ids", None)
        return [
            [d for d in documents_of_kind(self.index, source) if allowed is None or d in allowed]
            for source in named_sources(query)
        ]

    def condense(self, question: str, history: list[ChatTurn], mode: Mode) -> str:
        """A stand-alone search query for a follow-up question."""
        return self.resolve(question, history, mode).search_query

    def _messages(self, question: str, passages: list[Passage], structured: bool,
                  evidence: list[tuple[int, str]] = ()) -> list[BaseMessage]:
        from langchain_core.messages import HumanMessage, SystemMessage

        prompts_dir = str(self.settings.prompts_dir)
        return [
            SystemMessage(content=system_prompt(prompts_dir, structured)),
            HumanMessage(content=user_prompt(prompts_dir, question, passages, evidence)),
        ]

    def _generate(self, question: str, passages: list[Passage], evidence: list[tuple[int, str]] = ()) -> DraftAnswer:
        if self._structured_ok:
            try:
                messages = self._messages(question, passages, structured=True, evidence=evidence)
                return generate_structured(self.model, messages, self.settings)
            except StructuredOutputUnsupported:
                # Remember for this session: the model or server cannot do it, the text format can.
                self._structured_ok = False
        text = generate_text(self.model, self._messages(question, passages, structured=False, evidence=evidence),
                             self.settings)
        return parse_answer_text(text)

    def _page_of(self, doc_id: str, offset: int) -> int:
        doc = self.index.documents().get(doc_id)
        return doc.page_at(offset).page if doc else 1

    def _final(self, answer: Answer) -> StreamEvent:
        return StreamEvent(kind="final", text=answer.answer, answer=answer)

    def _refusal(
        self,
        question: str,
        search_query: str,
        mode: Mode,
        hits: list[ScoredChunk],
        unknown: list[str],
        model_declined: bool = False,
        unverifiable: bool = False,
        missing: str | None = None,
    ) -> Answer:
        if missing:
            why = f"Underlaget anger inte {missing}."
        elif unverifiable:
            why = UNVERIFIABLE
        elif model_declined:
            why = "De hämtade textavsnitten innehåller inget som besvarar frågan."
        elif unknown:
            words = ", ".join(f"»{w}«" for w in unknown)
            why = f"{'Ordet' if len(unknown) == 1 else 'Orden'} {words} förekommer inte i något av dokumenten."
        else:
            why = "Inget textavsnitt i dokumenten ligger tillräckligt nära frågan."
        closest = self._closest(question, hits[:3])
        tail = " Här är de textavsnitt som ligger närmast, så att du själv kan bedöma dem." if closest else ""
        return Answer(
            question=question,
            answered=False,
            answer=f"{why}{tail}" if missing else f"{NOT_ANSWERED} {why}{tail}",
            mode=mode,
            search_query=search_query,
            closest=closest,
            unknown_terms=unknown,
        )

    def _closest(self, question: str, hits: list[ScoredChunk]) -> list[Citation]:
        passages = [Passage(n=i, chunk=h.chunk) for i, h in enumerate(hits, 1)]
        idf = self.idf
        out = []
        for p in passages:
            best = select_sentences(question, [p], idf, 1)
            start, end = (best[0].sentence.start, best[0].sentence.end) if best else (0, min(len(p.chunk.text), 300))
            c = p.chunk
            out.append(
                Citation(
                    n=p.n, doc_id=c.doc_id, title=c.doc_title, publisher=c.publisher, year=c.year,
                    page=self._page_of(c.doc_id, c.char_start + start), section=c.section, chunk_id=c.chunk_id,
                    chunk_text=c.text, quote=c.text[start:end], quote_start=start, quote_end=end, verified=True,
                )
            )  # fmt: skip
        return out
