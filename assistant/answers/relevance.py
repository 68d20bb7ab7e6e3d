"""Does the corpus answer this question at all? Decided before an answer is written, and checked again
for the answer's figure once the sentences are chosen.

1. Before answering, two absolute signals (the fused retrieval score is normalised within each query
   and so says nothing about whether the best passage is any good):

   - the best cosine similarity between the question and a retrieved passage's sentence (e5), and
   - the question's words that the documents do not know. A word counts as known when the corpus has
     its stem, a word sharing its first six letters, all its compound parts, the verb or noun it
     derives from, or one of its synonyms. What is left is sorted: an everyday Swedish word
     (»igång«, »siffror«, »borde«; Zipf frequency ≥ 3 in the lexicon) says nothing about scope and
     never refuses on its own, while a name (capitalised inside the question: »Malmö«), a rare or
     foreign word (»udbudsloven«, »avtalsspärren«) or the object of »av/om/för …« (»upphandling av
     kaffe«: the thing asked about) means the question is likely about something else.

   A question is answered when the best cosine reaches `answer_min_cosine`, and the stricter
   `answer_min_cosine_unknown_terms` when it holds a name or rare word the corpus does not know. Only
   the question sentences count: the asker's own situation told around them (question.split_context,
   »Vi är fyra små kommuner i norra Dalarna.«) says nothing about scope. A long word one typing slip
   from a word of the documents is known. A question asking whether one may do something (»Får vi
   förlänga …«) is refused when the documents never name that act, however close the passages are.

2. After the sentences are chosen (`missing_specific`): a question that asks for a specific figure,
   amount, date or duration is answered only if a chosen sentence gives one of that kind about what
   the question asks for (a cost question: a sentence about a cost). A question of what the law allows
   (»Är det lagligt att dela upp ett inköp …?«) needs a sentence that speaks of what is allowed and of
   that act. The same holds for a figure of a year the documents never name (»… andelen för 2023«), money
   someone got (a grant or a budget of the one named), what came of something the documents only plan
   (»Vilka resultat kom workshopen fram till?«) and named things (»Vilket e-handelssystem …?« needs a sentence
   that names one). Otherwise the answer says what the documents do not state (»Underlaget anger inte
   direktupphandlingsgränsen.«, »… vad det kostar.«) and shows the closest passages.

Thresholds are calibrated on in-scope and out-of-scope questions together (benchmarks/answer_quality.py).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from pydantic import BaseModel

from assistant.answers.abbreviations import expansion, is_abbreviation
from assistant.answers.amounts import asks_with_amount, states_bound
from assistant.answers.countries import HOME, countries_in, is_country_name, named_by_adjective
from assistant.answers.paraphrases import explained
from assistant.answers.question import (
    BUDGET_Q,
    CHARGE_Q,
    EARN_Q,
    EXAMPLES_TEXT,
    FREQUENCY_TEXT,
    PAID_Q,
    PRICE_Q,
    SOURCE_WORDS,
    TIME_OF_YEAR,
    analyse,
    focus_word,
    is_yes_no,
    split_context,
)
from assistant.config import Settings
from assistant.search import ScoredChunk
from assistant.store.index import ActiveIndex
from assistant.store.swedish import (
    STOPWORDS,
    base_zipf,
    compound_parts,
    derived_stems,
    passive_verb,
    past_verb,
    present_verb,
    short_head,
    stem,
    stems,
    supine_base,
    synonyms,
    typo_of,
    verb_form_zipf,
    zipf,
)
from assistant.store.swedish import words as content_words

# Words that say how to answer, not what about: an unknown one is no sign of an out-of-scope question.
_FILLER_WORDS = (
    "ungefär cirka ca egentligen exakt precis snälla tack hej berätta förklara beskriv sammanfatta lista "
    "nämn typ alltså liksom kortfattat utförligt enligt "
    # the kind of answer wanted (»slutdatum?«): the figure checks below decide whether it is given
    "datum slutdatum startdatum årtal årtalet tidpunkt deadline "
    # spoken forms written in chat
    "nåt nån nåra nånting sånt sån såna dom mej dej sej asså ba okej"
)
_WORD = re.compile(r"\w+", re.UNICODE)
_KNOWN_PREFIX = 6
_TOPIC_PREPOSITION = re.compile(r"\b(av|om|för|inom|kring|angående|gällande|rörande)\s+$", re.I)
# A word at least this common in Swedish (Zipf; 2.0 is about one in 10 million words: »fallgropar«, »offerter«,
# »hyresavtal«) is everyday: not knowing it, the documents may still answer. Rarer ones are names, terms and foreign
# words. (2.5 refused such questions; the near-domain ones in the 2.0–2.5 band, »tröskelvärdet«, »visma«, are refused
# by the figure and name checks all the same: no out-of-scope question of any set was answered at 2.0.)
EVERYDAY_ZIPF = 2.0
_EVERYDAY_VERB_ZIPF = 3.5
# »Är det tillåtet att …«, »Får vi …«, »Måste vi …«: what follows is the act the question is about.
_WHETHER = re.compile(r"^\s*(kommer|blir|är|måste|ska|skall|bör|kan|får|borde)\b", re.I)
_PREDICATE = re.compile(r"\w{5,}(isk|iskt|iska|ig|igt|iga|lig|ligt|liga|bar|bart|bara)$")
_PERMISSION = re.compile(
    # Only a clause that opens with the verb asks whether: »Hur kan vi skriva in …« and »hur mycket kan man räkna
    # med att spara« ask how and how much.
    r"(\b(är det (tillåtet|lagligt|ok|okej|förbjudet)|är (vi|man|ni) skyldiga)|"
    r"(^|[.?!,;:–]\s*|\b(och|eller|men|alltså|så)\s+)(får|kan|måste) (vi|man|jag|ni))"
    r"\s+(att\s+)?((verkligen|alltid|ens|faktiskt|inte|också)\s+)?$",
    re.I,
)


_ACT_ADVERBS = frozenset("verkligen alltid ens faktiskt inte också".split())


class RelevanceDecision(BaseModel):
    answerable: bool
    max_cosine: float
    unknown_terms: list[str]  # names and rare words the documents do not know
    everyday_unknown: list[str] = []  # everyday words the documents do not use (no reason to refuse)
    reason: str


@lru_cache(maxsize=4)
def _known_vocabulary(fingerprint: str, index: ActiveIndex) -> tuple[frozenset[str], tuple[str, ...]]:
    terms = {t for t in index.bm25.vocabulary() if "|" not in t}
    for doc in index.documents().values():
        m = doc.manifest
        terms.update(stems(f"{m.title} {m.publisher} {m.document_type}"))
    terms.update(stems(_FILLER_WORDS))
    return frozenset(terms), tuple(sorted(terms))


_WHOLE_STEM = 8


def _stem_known(term: str, vocab: frozenset[str], sorted_vocab: tuple[str, ...]) -> bool:
    """Known if the stem itself, or a word sharing its first six letters, occurs in the corpus: the
    Snowball stemmer leaves "föreslås"/"föreslår" apart, which a shared prefix brings together."""
    if term in vocab:
        return True
    prefix = term[:_KNOWN_PREFIX]
    # Only for short words: in a long word the first six letters are usually another word's ("avtals…").
    if len(prefix) < _KNOWN_PREFIX or len(term) > _KNOWN_PREFIX + 3:
        # … but a long stem whole, with an ending the stemmer left on (»svarsfrekv« – the documents'
        # »svarsfrekvensen«, stemmed »svarsfrekvens«), is the same word.
        if len(term) < _WHOLE_STEM:
            return False
        i = bisect_left(sorted_vocab, term)
        return i < len(sorted_vocab) and sorted_vocab[i].startswith(term) and len(sorted_vocab[i]) - len(term) <= 3
    # All but the last letter must be shared: »sekretess« is not »sekreterare« (seven letters in common).
    prefix = term[: max(_KNOWN_PREFIX, len(term) - 1)]
    i = bisect_left(sorted_vocab, prefix)
    return i < len(sorted_vocab) and sorted_vocab[i].startswith(prefix)


def _one_edit_apart(a: str, b: str) -> bool:
    """One letter changed, added, dropped, or two neighbours swapped (»organsiation« – »organisation«)."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:] or (a[i + 2:] == b[i + 2:] and a[i:i + 2] == b[i:i + 2][::-1])
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1:] == shorter[i:]


_TYPO_MIN_LENGTH = 8  # in a shorter word one letter makes another word (»avtal« – »antal«)


def _misspelt_known(term: str, sorted_vocab: tuple[str, ...]) -> bool:
    """A long stem one typing slip away from a stem of the documents: a typo, not another subject."""
    if len(term) < _TYPO_MIN_LENGTH:
        return False
    return any(_one_edit_apart(term, v) for v in sorted_vocab if abs(len(v) - len(term)) <= 1 and v[:1] == term[:1])


# A named law, ordinance or directive (»säkerhetsskyddslagen«, »upphandlingsdirektivet«): known only as a whole.
_NAMED_LAW = re.compile(r"^\w{4,}(lagen|förordningen|direktivet)$")
# A particle or »själv« before a word of the documents: »utannonserade« is »annonserade«, »självskattning«
# the documents' »skattning«.
# Only these: most particles make another verb (»avbryta« is not »bryta«).
_PARTICLE = re.compile(r"^(ut|själv|egen)(?=\w{5,}$)")
# The last part of a compound that is an everyday word in its own right (»avdelningen«, Zipf ≥ 4): with a
# first part of the documents' (»inköps…«) the compound names the asker's own unit, not another subject.
_EVERYDAY_HEAD_ZIPF = 4.0
_EVERYDAY_MODIFIER_ZIPF = 3.5
_MIN_SHORT_MODIFIED = 8


def _word_known(word: str, vocab: frozenset[str], sorted_vocab: tuple[str, ...], by_synonym: bool = True) -> bool:
    known = lambda t: _stem_known(t, vocab, sorted_vocab)  # noqa: E731
    if known(stem(word)):
        return True
    if len(word) > 5 and word.endswith("ers") and known(stem(word[:-1])):
        return True  # a genitive the stemmer leaves: »(Offentliga) affärers«
    if _NAMED_LAW.match(word):
        return False  # »säkerhetsskyddslagen« is a law of its own, not »säkerhet« + »skydd« + »lag«
    parts = compound_parts(word)
    if parts and all(known(stem(p)) for p in parts):
        return True
    if word.startswith("köp") and len(word) >= _MIN_SHORT_MODIFIED and known(stem(word[3:])):
        # »köpbesluten«: the documents' own subject as a first part the splitter leaves (its parts have four
        # letters). Only »köp«: other short first parts make terms of their own (»lagkrav«, »takpris«).
        return True
    head = short_head(word)  # »strategidel«: »strategi« and »del«
    # (Not »-tid«: »anbudstid«, »avtalstid«, »ledtid« name a specific time the documents would have to give.)
    if head and head != "tid" and known(stem(word[: -len(head)])) and known(stem(head)):
        return True
    particle = _PARTICLE.match(word)
    if particle and by_synonym and known(stem(word[particle.end():])):
        return True
    if any(known(s) for s in derived_stems(word)):
        return True
    if by_synonym and any(all(known(s) for s in stems(syn)) and stems(syn) for syn in synonyms(word)):
        return True
    return zipf(word) == 0 and _misspelt_known(stem(word), sorted_vocab)


def _everyday_compound(word: str, vocab: frozenset[str], sorted_vocab: tuple[str, ...]) -> bool:
    if _NAMED_LAW.match(word):
        return False  # »säkerhetsskyddslagen« names a law, whatever its parts
    parts = compound_parts(word)
    if len(parts) < 2:
        return False
    known = lambda p: _stem_known(stem(p), vocab, sorted_vocab)  # noqa: E731
    # »uppföljningsmötena«, »lightversion«: everyday or known parts throughout, an everyday head.
    if base_zipf(parts[-1]) >= _EVERYDAY_HEAD_ZIPF and all(known(p) or zipf(p) >= _EVERYDAY_HEAD_ZIPF for p in parts[:-1]):
        return True
    # »beloppsgränser«: a known head specified by everyday words is a kind of what the documents speak of.
    return known(parts[-1]) and all(known(p) or zipf(p) >= _EVERYDAY_MODIFIER_ZIPF for p in parts[:-1])


# The asker's own category or agreement (»fordonsavtalet«, »livsmedelsupphandlingen«, »städkategorin«): an
# everyday thing bought + a word of the documents' process. The question is about the process, which the
# documents describe for every category; the thing bought only names which one.
_PROCESS_HEADS = frozenset(stems(
    "avtal ramavtal upphandling kategori kategoristrategi kategoriplan kategoriteam leverantör inköp kontrakt "
    "marknadsanalys spendanalys behovsanalys"
))
_THING_BOUGHT_ZIPF = 3.0


def _category_compound(word: str) -> bool:
    parts = compound_parts(word)
    if len(parts) < 2 or stem(parts[-1]) not in _PROCESS_HEADS:
        return False
    # »fordons«: the linking s is not part of the word (»fordon«)
    return all(max(zipf(p), zipf(p[:-1]) if p.endswith("s") else 0.0) >= _THING_BOUGHT_ZIPF for p in parts[:-1])


class UnknownWords(BaseModel):
    strong: list[str]  # names, rare and foreign words
    everyday: list[str]
    acts: list[str] = []  # of the strong: the act a question asks permission for (»får vi förlänga …«)


def unknown_words(question: str, index: ActiveIndex) -> UnknownWords:
    vocab, sorted_vocab = _known_vocabulary(index.state.fingerprint, index)
    strong: list[str] = []
    everyday: list[str] = []
    acts: list[str] = []
    for m in _WORD.finditer(question):
        raw = m.group()
        word = raw.lower()
        if word in STOPWORDS or (len(word) < 2 and not word.isdigit()) or word in strong or word in everyday:
            continue
        # "upphandling av kaffe": an unknown word after such a preposition is what the question is about;
        # so is the act a question asks permission for (»Är det tillåtet att förlänga …«), and whether the
        # documents speak of that act takes its own word: a loose synonym (»dra ut«) is not enough.
        before = question[: m.start()]
        # »Kommer regeringen att göra kategoristyrning obligatoriskt?«: what a yes/no question asks whether it is
        # (its predicate) must be the documents' word, or they cannot say yes or no.
        act = bool(_PERMISSION.search(before)) or (bool(_WHETHER.match(question)) and bool(_PREDICATE.search(word)))
        if word in _ACT_ADVERBS:
            continue  # »måste vi ens ha …«: the act is the verb after the adverb
        if word.isdigit() or is_abbreviation(raw) or _word_known(word, vocab, sorted_vocab, by_synonym=not act):
            continue
        if explained(question, m.end()):
            continue  # »upphandlingsskedet (zon 2 upphandla, upphandlingsfasen)«
        # A name: capitalised inside a sentence, or (as chat writes, in lower case) a place before »kommun«,
        # »region« …, or a country.
        name = (raw[0].isupper() and not _sentence_start(question, m.start())) or bool(_PLACE_AFTER.match(question[m.end():]))
        name = name or is_country_name(word)
        topic = act or bool(_TOPIC_PREPOSITION.search(before))
        if not name and not topic and (
            base_zipf(word) >= EVERYDAY_ZIPF or _everyday_compound(word, vocab, sorted_vocab) or _category_compound(word)
            # a slip of the keyboard in an everyday word (»egentlgen«, »dne«)
            or typo_of(word) is not None
            # a rarer form of an everyday verb (»lutat sig mot« – »luta«)
            or verb_form_zipf(word) >= _EVERYDAY_VERB_ZIPF
        ):
            everyday.append(word)
        else:
            strong.append(word)
            if act:
                acts.append(word)
    return UnknownWords(strong=strong, everyday=everyday, acts=acts)


def unknown_terms(question: str, index: ActiveIndex) -> list[str]:
    """The question's words (as written) that point outside the corpus: names and rare words it lacks."""
    return unknown_words(question, index).strong


# »Nacka kommun …« opening a sentence is still a name, and so is »uppsala kommun« written in lower case.
_PLACE_AFTER = re.compile(r"\s+(kommun|kommuns|stad|stads|region|regions|län|läns|landsting)\b", re.I)
def _another_country(question: str, text: str) -> bool:
    """The question names a country and the sentence is about another one."""
    # The last sentence is what is asked now (a follow-up after its topic: »… från Finland …? Och … i Sverige?«).
    last = [x for x in re.split(r"[?.!]\s+", question.strip()) if x.strip()]
    asked = (countries_in(last[-1]) if last else set()) or countries_in(question)
    return bool(asked) and bool(countries_in(text) - asked - {HOME})


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in ".?!:–-\"»(\n"


def decide(
    question: str, hits: list[ScoredChunk], index: ActiveIndex, settings: Settings, tolerated: frozenset[str] = frozenset()
) -> RelevanceDecision:
    """`tolerated`: unknown words already judged (a follow-up's earlier question, answered on its own)."""
    best = max((h.dense_score for h in hits if h.dense_score is not None), default=0.0)
    words = unknown_words(question, index)
    # A name or rare word in the asker's own situation (»Vi är fyra kommuner i norra Dalarna …«) is not
    # what the question is about: only the question sentence's unknown words point outside the corpus.
    asked = split_context(question)
    # (A yes/no question before the comma, »Kan vi använda CPV-koder för det, och hur …?«, asks too: its words count.)
    situation = asked.context and not asked.context_about_others and not is_yes_no(asked.context)
    asked_words = unknown_words(asked.question, index) if situation else words
    unknown = [w for w in words.strong if w in asked_words.strong and w not in tolerated]
    everyday = words.everyday + [w for w in words.strong if w not in unknown]

    def decision(ok: bool, reason: str) -> RelevanceDecision:
        return RelevanceDecision(answerable=ok, max_cosine=best, unknown_terms=unknown, everyday_unknown=everyday, reason=reason)

    if not hits:
        return decision(False, "inga träffar")
    if best < settings.answer_min_cosine:
        return decision(False, f"bästa likhet {best:.3f} < {settings.answer_min_cosine}")
    if asked_words.acts:
        # Whether one may »förlänga« an agreement: documents that never speak of the act cannot say,
        # however close their passages are.
        return decision(False, f"handlingen ({', '.join(asked_words.acts)}) förekommer inte i dokumenten")
    if unknown and best < settings.answer_min_cosine_unknown_terms:
        return decision(
            False,
            f"okända ord ({', '.join(unknown)}) och bästa likhet {best:.3f} < {settings.answer_min_cosine_unknown_terms}",
        )
    return decision(True, "ok")


# ---- the figure a question asks for -----------------------------------------------------------------

_MONEY_Q = re.compile(
    # »hur mycket köper det offentliga för«: a sum of money
    r"\bköp(er|te|s)? (\w+ ){0,3}för (\w+ )?(per år|om året|årligen)|\bhandlar (\w+ ){0,3}för (\w+ )?(per år|om året|årligen)|"
    r"\bhur mycket (\w+ ){0,4}(köper|köpte|handlar|handlade|upphandlar) (\w+ ){0,3}för\b|"
    r"\bi kronor\b|\bhur många (kronor|miljoner|miljarder|euro)\b|\bkr\b|\bkostar\b|\bkosta\b|belopp|\bsumm(a|an|or|orna)\b|gräns(en|er|erna|värde)?\b(?! för hur)|tröskelvärde|avgift|" + PRICE_Q + r"|\bpris\w{3,}|\bbetala\b|\bpengar\b|"
    r"anslag\w*\b|\bbudget(en|ar)?\b|" + CHARGE_Q
    + "|" + BUDGET_Q,
    re.I,
)
_PERCENT_Q = re.compile(r"\bprocent\b|\bandel(en|ar|arna)?\b|\bhur stor del\b|\bhur vanligt\b", re.I)
# (»5 000 000 konor« is how the roadmap spells one amount.)
_MONEY_T = re.compile(r"\d[\d\s,.]*\s*(kronor|konor|kr\b|miljoner|miljarder|mnkr|mkr|tkr|euro)|\b(miljoner|miljarder) kronor", re.I)
_PERCENT_T = re.compile(r"\d+\s*(procent|%)|\b(hälften|tredjedel|fjärdedel|femtedel|sjättedel)", re.I)
_DATE_T = re.compile(
    r"\b(19|20)\d\d\b|\b(januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)\b|"
    + TIME_OF_YEAR, re.I
)
_DURATION_T = re.compile(
    r"\b\d+\s*(år|månader|veckor|dagar|timmar)\b|\b(ett|två|tre|fyra|fem|sex|tio|tolv)\s+(till\s+\w+\s+)?(års?|månader|veckor|dagar)\b|"
    r"\bårs sikt\b|\b\d{4}[–-]\d{4}\b|"
    # »Hur lång tid tar det att bli …?«: »ett långsiktigt arbete« is the documents' answer, without a number
    r"\blångsiktig(t|a)? (arbete|process|förändringsarbete|utvecklingsarbete|projekt)\b|"
    # »Uppdraget pågår till och med den 15 december 2025«: how long, by when it ends
    r"\b(till och med|t\.o\.m\.|fram till|pågår till|löper till)\b[^.]{0,30}\b(19|20)\d\d\b",
    re.I,
)
_COUNT_T = re.compile(
    r"\d|\b(två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|tjugo|hundra|tusen|hälften|"
    r"\w*(tio|tjugo|trettio|femtio|hundra|tusen)tal)\b",  # »ett hundratal«, not »ramavtal«
    re.I,
)
# How much of the question a sentence with the figure must share (money is where near-domain questions
# ask for amounts the documents never give: thresholds, fees, prices).
# Figures specific enough to lead an answer with: an amount or a share (»tre exempel« is no answer to »hur mycket«).
AMOUNT_KINDS = ("money", "percent", "saving")
_FIGURE_COVERAGE = {"money": 0.15, "percent": 0.1, "saving": 0.1, "count": 0.1, "date": 0.1, "duration": 0.1, "frequency": 0.1}
# »Hur mycket kan man spara …?«: a saving is given as a share (»sänkt … med 5–10 procent«) or as an amount.
_SAVING_T = re.compile(r"\b(\w*spar\w*|\w*besparing\w*|sänk\w*|minsk\w*|lägre|billigare|effektivis\w*)\b", re.I)
_SAVING_Q = re.compile(r"\bspar(a|ar|as|at|ade)\b|\bbesparing\w*|\bsänka (\w+ )?kostnader\w*", re.I)
# … and the words that name a document (»färdplanen«): they say where, not what about.
_GENERIC = SOURCE_WORDS | frozenset(
    "kronor år procent antal andel del stor stora många mycket länge lång hög siffra siffran siffror belopp nu "
    "just idag dag gäller finns ungefär totalt totala kostar kosta kostade pengar betala betalar årligen per "
    "säger säga står skriver skrev två båda bägge "
    # the kind of figure asked for names no subject (»Vilket datum fick UHM uppdraget?«)
    "datum datumet årtal årtalet årtalen tidpunkt tidpunkten beloppet beloppen summa summan summor procenten "
    "andelen antalet siffrorna månad månaden dagen året åren "
    # what gathers the subject (»hela paketet av förslag«) is not it
    "paket paketet paketen helhet helheten "
    # … nor does the identifier asked for (»Diarienummer vore toppen.«)
    "diarienummer diarienumret diarienumren dnr "
    # … nor the verb that asks for a sum (»vad brukar det landa på?«)
    "landa landar".split()
)


_GENERIC_STEMS = frozenset(stems(" ".join(_GENERIC)))


def names_subject(word: str) -> bool:
    """May the word say what a question is about? Not the commonest words (»gäller«, »nya«) nor the kind of
    figure asked for (»Vilka belopp står i vilket?« asks about what the sentence before it names)."""
    return zipf(word.lower()) < COMMON_WORD_ZIPF and (word.lower() not in _GENERIC or word.lower() in SOURCE_WORDS)


def figure_kind(question: str, kind: str) -> str | None:
    """What sort of figure the question wants: money, percent, date, duration, count, or None."""
    if kind == "date":
        return "date"
    if kind in ("duration", "frequency"):
        return kind
    if kind != "figure":
        return None
    # (»Vad sparar det i kronor eller procent?« asks for a saving, which either gives.)
    if _SAVING_Q.search(question):
        return "saving"
    if _PERCENT_Q.search(question):
        return "percent"
    if _MONEY_Q.search(question):
        return "money"
    return "count"


FIGURE_TEXT = {
    "money": _MONEY_T, "percent": _PERCENT_T, "saving": re.compile(f"{_PERCENT_T.pattern}|{_MONEY_T.pattern}", re.I), "date": _DATE_T, "duration": _DURATION_T, "count": _COUNT_T,
    "frequency": FREQUENCY_TEXT,
}


# (»betalade ut till leverantörer« is a payout, which »utbetalningar på drygt 650 miljarder« gives, not a cost.)
_COST_Q = re.compile(r"\bkost(ar|a|ade|nad\w*)\b|\bbetala\w*\b(?!(\s+\w+){0,3}\s+ut\b)", re.I)
# »Hur mycket pengar fick Upphandlingsmyndigheten för uppdraget?«: money given, which only a sentence about a grant,
# an appropriation or a budget states (»ökades Konkurrensverkets anslag med …«) – not a sum bought for.
_FUNDING_Q = re.compile(r"\b(fick|får|fått|ges|gavs|tilldelats?|avsatt\w*|anslag\w*|finansier\w*)\b(?=.*\bpengar\b)|\bpengar\b(?=.*\b(fick|får|fått|tilldela\w*|avsatt\w*)\b)", re.I)
_FUNDING_T = re.compile(r"\banslag\w*|\bmedel\b|\bbudget\w*|\bfinansi\w*|\btilldela\w*|\bsatsning\w*|\bbidrag\w*|\bkost\w*|\w+kostnad\w*", re.I)
# A year the question names (»… gick till små företag 2023«): the figure must be of that year.
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_COST_T = re.compile(r"\bkost\w*|\w+kostnad\w*|\w*avgift\w*|\bpris\w*|\bbudget\w*|\bsatsning\w*", re.I)
_CHARGE = re.compile(r"\b(avgift\w*|pris(et|er|erna)?|kostnad\w*|arvode\w*|lön(en|er|erna)?)\b", re.I)


COMMON_WORD_ZIPF = 5.0


def _noun_like(word: str) -> bool:
    """A lower-case word that may name what a question is about: no stopword or generic word, and no adjective
    (»fleråriga« says which) or verb (»handlar«, »räknade« say how) – the noun says what."""
    return (
        len(word) >= 4 and word not in STOPWORDS and word not in _GENERIC
        and not _ADJECTIVE.search(word) and not present_verb(word) and not past_verb(word) and word not in _STRONG_PAST
        and not passive_verb(word)
    )  # fmt: skip
# Past forms of the strong verbs questions use (»när uppdraget gavs«).
_STRONG_PAST = frozenset("gav gavs fick gick gjorde gjordes kom sade skrev skrevs tog togs beslöt beslutades".split())
_ADJECTIVE = re.compile(r"(ig|iga|igt|lig|liga|ligt|isk|iska|iskt|ell|ella|ellt|ösa|iva)$")


_POSSESSED = re.compile(r"\b([A-ZÅÄÖ][\wÅÄÖåäö]*:s|[A-ZÅÄÖ][\wåäö]+s)\s+(?:\([^)]*\)\s+)?([a-zåäö]\w+)")


def _law_named(question: str) -> str | None:
    """»När trädde LOU i kraft?«: the law a question names by its abbreviation, written out."""
    for m in _WORD.finditer(question):
        law = expansion(m.group()) if m.group().isupper() and is_abbreviation(m.group()) else None
        if law and law.lower().startswith("lagen "):
            return law
    return None


# »Det där systemet …«, »Den där satsningen …«: the thing a chat question opens with and then asks about by »det«.
POINTED_TOPIC = re.compile(r"^\s*(?:det|den|de|dom) där (\w{4,})\b(?=.*[–,-]\s*(?:\w+\s+){0,3}(?:det|den|de|dom)\b)", re.I)


def figure_subject(question: str, idf) -> str | None:
    """The word (as written) the figure is about: the word after "hur många …", else the question's
    rarest content word in everyday Swedish (verbs such as »lägger« or »beräknas« are common; the
    subject, »direktupphandlingsgränsen«, rarely is), ties broken by rarity in the documents."""
    focus = focus_word(question)
    if focus and focus.lower() not in STOPWORDS and focus.lower() not in _GENERIC:
        return focus
    pointed = POINTED_TOPIC.match(question)
    if pointed:
        return pointed.group(1)  # »Det där systemet där man … – när ska det vara igång?«: the system
    charge = _CHARGE.search(question)  # »Vad tar Adda i avgift …«: the fee, not the rarest word (»avropa«)
    if charge:
        return charge.group()
    if re.search(PAID_Q, question, re.I):
        return "avgift"  # »vad Kammarkollegiet tar betalt för att avropa«
    if re.search(EARN_Q, question, re.I):
        return "lönen"  # »vad tjänar en kategoriansvarig«
    # »UHM:s workshop«, »Konkurrensverkets anslag«: what a named owner has is what the figure is of.
    for m in _POSSESSED.finditer(question):
        if not _sentence_start(question, m.start()) and _noun_like(m.group(2).lower()):
            return m.group(2)
    best, best_key = None, None
    # Whose figure (»UHM:s (Upphandlingsmyndigheten) handlingsplan«) is not what it is of: the owner is
    # checked on its own (names_in).
    plain = re.sub(r"\s*\([^)]*\)", "", question)
    names = set(names_in(plain))
    for m in _WORD.finditer(plain):
        raw = m.group()
        word = raw.lower()
        if not _noun_like(word) or word.isdigit():
            continue
        # (A short form, »UHM«, says whose; a word the table explains, »upphandlingslagen«, may be what.)
        shorthand = is_abbreviation(raw) and (raw.isupper() or len(raw) <= 6)
        if raw in names or shorthand:
            continue
        if zipf(word) >= COMMON_WORD_ZIPF:
            continue  # »När kan vi börja använda det?«: the commonest words (»använda«, »gjort«) name no subject
        key = (zipf(word), -idf(stem(word)))
        if best_key is None or key < best_key:
            best, best_key = raw, key
    return best


def _terms(text: str) -> set[str]:
    terms = set(stems(text)) | set(derived_stems(text))
    if "köp" in terms:
        terms.add("inköp")  # »vad det offentliga köper för« is what the documents call »inköp«
    for w in _WORD.findall(text.lower()):
        base = supine_base(w)
        if base:
            terms.add(base)  # »kategoristyrt« is the documents' »kategoristyrning« (→ kategoristyr)
        parts = " ".join(compound_parts(w))
        terms.update(stems(parts))
        terms.update(derived_stems(parts))
        head = short_head(w)
        if head:
            terms.add(stem(head))
    # The stemmer takes an s off »gräns« but not off »gränsen« (→ gräns): stemmed twice, both are »grän«.
    return terms | {stem(t) for t in terms}


def whole_words(text: str) -> set[str]:
    """The stems of the text's words as they stand (stemmed twice, as _terms), without their compound parts."""
    found = {stem(w) for w in _WORD.findall(text.lower())}
    return found | {stem(t) for t in found}


def _mentions(word: str, terms: set[str]) -> bool:
    if " " in word.strip():  # »lagen om offentlig upphandling«: each of its words
        return all(_mentions(w, terms) for w in content_words(word))
    parts = set(stems(" ".join(compound_parts(word.lower()))))
    return stem(word) in terms or stem(stem(word.lower())) in terms or (len(parts) > 1 and parts <= terms)


def names_in(question: str) -> list[str]:
    """Capitalised words inside the question (not at its start, unless a kommun or region follows): organisations,
    places, tools. An abbreviation counts through its expansion, which follows it in the expanded question."""
    return [
        m.group() for m in _WORD.finditer(question)
        if m.group()[0].isupper() and m.group().lower() not in STOPWORDS and not is_abbreviation(m.group())
        and (not _sentence_start(question, m.start()) or _PLACE_AFTER.match(question[m.end():]))
        # »IT-kategorin«, »HR-avdelningen«: a short capital abbreviation joined to a common noun names the asker's
        # own category or unit, not an organisation.
        and not (m.group().isupper() and len(m.group()) <= 3 and _JOINED_NOUN.match(question, m.end()))
    ]  # fmt: skip


_JOINED_NOUN = re.compile(r"-[a-zåäö]{3,}")


# idf of a stem found in at most two passages: a name the documents mention only in passing.
_PASSING_NAME_IDF = 4.5


def _opening_name(context: str, idf) -> list[str]:
    """»Nacka var ju med i sändningen – hur mycket har de sparat?«: what is told of others opens with whom it is
    about. A capitalised word there is a name when the documents write it only so (»Nacka«, never »nacka«), and
    one they mention only in passing is no setting of theirs: the answer must name it. (»Strategikollen«, which
    the documents discuss, and »Ekonomichefen« are not.)"""
    m = _WORD.match(context.strip())
    if not m or not m.group()[0].isupper() or is_abbreviation(m.group()) or m.group().lower() in STOPWORDS:
        return []
    word = m.group()
    known_name = getattr(idf, "is_name", None)
    return [word] if known_name and known_name(word) and idf(stem(word.lower())) >= _PASSING_NAME_IDF else []


class Evidence(BaseModel):
    """A chosen unit's text and its surroundings (passage text, document title and publisher)."""

    text: str
    context: str
    heading: str = ""  # the unit's section path: »8.2 Sammanfattning av förslagen och en generell kostnadsberäkning«


def _content_terms(question: str) -> set[str]:
    common = {stem(w) for w in _WORD.findall(question.lower()) if zipf(w) >= COMMON_WORD_ZIPF}
    return {t for t in _terms(question) if t not in _GENERIC_STEMS and t not in common}


def coverage(question: str, text: str, idf) -> float:
    """Share of the question's content words (weighted by rarity, compound parts counted) in `text`."""
    # The commonest words (»går«, »gör«) say nothing of what a figure is about; a heading that shares one
    # (»… går för långsamt«) is no sign that the figure under it answers.
    q_terms = _content_terms(question)
    total = sum(idf(t) for t in q_terms)
    if not total:
        return 0.0
    have = _terms(text)
    return sum(idf(t) for t in q_terms if t in have) / total


_BACKGROUND_NAME_IDF = 2.5  # idf of a stem found in about one passage in ten


def _owner(question: str, name: str) -> bool:
    # »Hur många anställda har UHM?«, »Vilken budget fick Upphandlingsmyndigheten …?«
    return bool(re.search(rf"\b(har|hos|fick|får|fått)\s+{re.escape(name)}\b", question, re.I))


# »hur många blir/finns/krävs det«: a verb after »hur många« counts nothing (»mål«, »steg«, »personer«, common as
# they are, are counted).
_COUNT_VERBS = frozenset("blir blev finns fanns är var ska skall kan får har hade behövs krävs brukar".split())
_COUNTED_NOUN = re.compile(r"\bhur många\s+(?:nya\s+|olika\s+|\w+(?:ande|ende)\s+)?([a-zåäö]\w{2,})", re.I)
_LABEL_NUMBER = re.compile(
    r"\b(nivå|zon|fokusområde|inriktningsmål|mål|område|steg|figur|tabell|bilaga|kapitel|avsnitt|fas|fråga)\s+\d+\b|"
    r"^\s*\d+(\.\d+)*[.)]?\s+|\b\d+\.\d+(\.\d+)*\s+(?=[A-ZÅÄÖ])",
    re.I | re.M,
)
_LISTED = re.compile(r"\w+, \w+(?: \w+)? (och|samt) \w+")
def _lists_after(noun: str, text: str) -> bool:
    """The text names the `noun`s right after saying the word (»delprocesser (zoner); att förbereda, upphandla och
    realisera«), not as examples (»kategorier, såsom livsmedel, transporter och it« count nothing)."""
    if EXAMPLES_TEXT.search(text):
        return False
    target = stem(noun.lower())
    for m in _WORD.finditer(text):
        if stem(m.group().lower()) == target and _LISTED.search(text[m.end() : m.end() + 60]):
            return True
    return False


# (»beloppsgränserna« too: an amount's bounds; not »direktupphandlingsgränsen«, which names one bound of its own.)
_BOUND_WORD = re.compile(r"(belopps|storleks|volym|inköpsvolyms)?gräns(en|er|erna)?|nivå(n|er|erna)?|intervall(et|en)?")


def _needed_coverage(wanted: str, question: str, text: str) -> float:
    """How much of the question a sentence with the figure must share. A cost asked for is given by a sentence
    that names a cost itself (»Kostnadsuppskattningen … bedöms ligga på cirka 10 miljoner kronor årligen«), whose
    other words need not be the asker's (»Vad räknade UHM med att förslagen skulle kosta?«); its subject is
    still checked."""
    if wanted == "money" and _COST_Q.search(question) and _COST_T.search(text):
        return _FIGURE_COVERAGE["percent"]
    return _FIGURE_COVERAGE[wanted]


def _money_about(subject: str, terms: set[str], heading: str, text: str = "") -> bool:
    """The amount's sentence names the subject, or its section does by the subject's last part (»… kosta
    handlingsplanen« under »Förslag till en flerårig plan … kostnadsberäkning«)."""
    if _mentions(subject, terms):
        return True
    if _BOUND_WORD.fullmatch(subject.lower()) and states_bound(text):
        return True  # »var går gränsen (för liten)?« is answered by the bound: »under 200 miljoner kronor«
    if not heading:
        return False
    parts = compound_parts(subject.lower())
    head = stem(parts[-1]) if parts else stem(subject.lower())
    return head in _terms(heading)


def _head_mentioned(word: str, terms: set[str]) -> bool:
    parts = compound_parts(word.lower())
    return stem(parts[-1] if parts else word.lower()) in terms


def _figure_part(question: str, kind: str) -> tuple[str, str]:
    if figure_kind(question, kind) is None:
        return question, kind  # a figure asked for in a later part does not decide whether to answer
    analysis = analyse(question)
    if not analysis.multi_part:
        return question, kind
    # The part that asks what is asked (a follow-up's »hur långt fram …« after its earlier »hur mycket …«) before
    # any part that asks for another kind of figure.
    same = [p for p in analysis.parts if p.kind == kind and kind != "figure"]
    for part in same or analysis.parts:
        if figure_kind(part.text, part.kind) is not None:
            return part.text, part.kind
    return question, kind


# »Är det lagligt att dela upp ett inköp …?«: a question of what the law allows. The documents are
# strategies and reports; they answer it only where a chosen sentence speaks of what is allowed and of
# that act.
_LEGALITY_Q = re.compile(
    r"\b(?:är|vore|blir) det (?:lagligt|olagligt|tillåtet|otillåtet|förbjudet|förenligt med \w+)\s+(?:att\s+)?(?P<act>[^,?;]+)|"
    r"\bstrider det mot \w+ att\s+(?P<act2>[^,?;]+)",
    re.I,
)
_LEGAL_T = re.compile(r"\b(o?tillåt\w*|lag(en|ar|arna|stiftning\w*|lig\w*)?|förbjud\w*|rätt att|regelverk\w*|bestämmelse\w*|får)\b", re.I)
_ACT_PREPOSITIONS = frozenset("i på till med från för av hos under över inom".split())
_ACT_END = re.compile(r"\s+(så att|för att|eller|om|när|utan att)\b.*$", re.I)


def _missing_legality(question: str, evidence: list[Evidence]) -> str | None:
    m = _LEGALITY_Q.search(question)
    if not m:
        return None
    words = _ACT_END.sub("", (m.group("act") or m.group("act2") or "").strip()).split()
    # »dela upp ett inköp i flera mindre …« → »dela upp ett inköp«: the act and its object.
    cut = next((i for i, w in enumerate(words) if i >= 3 and w.lower() in _ACT_PREPOSITIONS), len(words))
    act = " ".join(words[: min(cut, 6)])
    verbs = [w for w in _WORD.findall(act) if w.lower() not in STOPWORDS][:1]
    for ev in evidence:
        if _LEGAL_T.search(ev.text) and all(_mentions(v, _terms(ev.text)) for v in verbs):
            return None
    return f"om det är tillåtet att {act}" if act else "vad lagen tillåter i frågan"


# »Vilka kommuner deltog i workshopen?«, »Vilka lärdomar kom fram där?«: what came of something. Where the
# documents speak of it only as planned (»Inledningsvis ska Upphandlingsmyndigheten genomföra en workshop …«),
# they do not say what came of it.
_OUTCOME_Q = re.compile(
    r"\b(deltog|medverkade|var med|kom ([\w:()]+ ){0,7}fram|blev (det|resultatet|utfallet)|visade|resulterade|ledde \w+ till|hände|gick det|"
    r"spreds|har (\w+ ){0,2}gått|hittills|lyckats (bäst|sämst|bättre))\b", re.I
)
# (»det föreslagna coachprogrammet«: a proposal is not yet an outcome.)
_PLANNED = re.compile(r"\b(ska|skall|kommer att|planeras|avses|är tänkt|föreslag\w*|föreslå\w*|förslag\w*)\b", re.I)


def _missing_outcome(question: str, evidence: list[Evidence], idf, context: str = "") -> str | None:
    if not _OUTCOME_Q.search(question):
        return None
    question = f"{context} {question}".strip()
    # What it is the outcome of: the question's rarest noun (»workshopen«), not what is asked of it (»kommuner«).
    nouns = [
        w for m in _WORD.finditer(question)
        if _noun_like((w := m.group()).lower()) and not _OUTCOME_Q.search(w) and not is_abbreviation(w)
        and not (w[0].isupper() and not _sentence_start(question, m.start()))
        # »har lyckats bäst«: a supine says what is asked, not of what
        and not re.search(r"\b(har|hade|har inte|hade inte)\s+$", question[: m.start()], re.I)
    ]  # fmt: skip
    # Rarest in the documents: the event (»workshop«) is named in one passage, its setting (»kategoristyrning«) in many.
    for subject in sorted(dict.fromkeys(nouns), key=lambda w: (-idf(stem(w.lower())), zipf(w.lower())))[:3]:
        about = [ev for ev in evidence if _mentions(subject, _terms(ev.text))]
        if about and all(_PLANNED.search(ev.text) for ev in about):
            return f"något utfall av det frågan gäller (»{subject.lower()}«); där beskrivs det bara som planerat"
    return None


# »Vilket e-handelssystem ska vi välja?«, »Vilka kommuner har infört kategoristyrning?«: a question for named
# things (products, tools, suppliers, kommuner) is answered only by a sentence that names one – a rare
# capitalised word beside what is asked for – not by sentences about such things in general.
_NAMED_Q = re.compile(
    r"\bvilk(?:a|en|et)\s+(?:av\s+(?:\w+s\s+|de\s+|dessa\s+))?(?:(?:två|tre|fyra|fem|sex|tio|\d+)\s+)?"
    r"(?P<noun>(?:\w+-)?(?:kommun(?:er|erna)?|region(?:er|erna)?|leverantör(?:er|erna)?|företag(?:en)?|"
    r"\w*system(?:et|en)?|\w*verktyg(?:et|en)?|produkt(?:er|en)?|app(?:ar|en)?|plattform(?:ar|en)?|"
    r"\w*ramavtal(?:et|en)?|systemstöd(?:et|en)?|\w*domstol(?:en|ar|arna)?))\b",
    re.I,
)
# A framework agreement is named by its name after the word (»ramavtalet Livsmedel 2021«), not by its owner: »Statens
# inköpscentral … får avropa från ramavtal som rör it« names none.
_AGREEMENT_NAMED = re.compile(r"\bramavtal(?:et|en)?\s+(?:»|\"|[A-ZÅÄÖ])")
# »Vilken paragraf i LOU …?«: a provision of a law, which only a sentence that cites one (»4 kap. 2 §«) gives.
_PROVISION_Q = re.compile(r"\b(vilken|vilka|vilket|vad säger)\s+(paragraf\w*|lagrum\w*|bestämmelse\w*)|§", re.I)
_PROVISION_T = re.compile(r"§|\bkap\.|\bparagraf\w*", re.I)


def _openers_lowered(part: str, whole: str) -> str:
    """A part of a question as analyse() gives it carries the question's topic at its end (»hur länge … pågå
    Coachprogrammet«): a word capitalised only because it opened the question is no name there."""
    openers = {m.group() for m in _WORD.finditer(whole) if m.group()[0].isupper() and _sentence_start(whole, m.start())}
    openers -= set(names_in(whole))
    return _WORD.sub(lambda m: m.group().lower() if m.group() in openers else m.group(), part) if openers else part


# »Vad tror du UHM kommer att landa i …?«, »Tror du att det kommer bli lag?«: the asker wants a forecast; the
# documents say what is planned (»ska«), not what will come of it, and the answer quotes only them.
_PREDICTION_Q = re.compile(
    r"\b(?:tror|gissar|spår|bedömer)\s+(?:du|ni)\b[^?.!]*\b(?:kommer|blir|får)\b|\bkommer\b[^?.!]*\b(?:tror|gissar)\s+(?:du|ni)\b|"
    r"\b(?:vad|hur)\b[^?.!]*\bkommer\b[^?.!]*\batt landa\b",
    re.I,
)


def _missing_prediction(question: str) -> str | None:
    return "några förutsägelser om hur det kommer att gå – bara vad som är planerat" if _PREDICTION_Q.search(question) else None


def _missing_provision(question: str, evidence: list[Evidence]) -> str | None:
    if not _PROVISION_Q.search(question) or any(_PROVISION_T.search(ev.text) for ev in evidence):
        return None
    return "vilken paragraf som gäller"


# »Vilka verktyg tar färdplanen upp?«: what a document brings up is asked for, named or not.
_DOCUMENT_LISTS = re.compile(r"\b(tar|tas) (\w+ ){0,2}upp\b|\b(nämner|nämns|lyfter|lyfts|tipsar|föreslår|föreslås|beskriver|beskrivs)\b", re.I)
# »Har Adda nåt ramavtal för livsmedel …?«: a framework agreement asked for is a named one.
_SOME_AGREEMENT_Q = re.compile(
    r"\b(nåt|något|några|ett|nån|någon)\s+(\w+\s+)?(?P<noun>\w*ramavtal(?:et|en)?)\b|"
    r"(?:\b\w+:s|\b[A-ZÅÄÖ]\w+s)\s+(?P<owned>(?:\w+-)?ramavtal(?:et|en)?)\b",  # »adda:s it-ramavtal«, »Addas ramavtal«
    re.I,
)


def _missing_named(question: str, evidence: list[Evidence], idf) -> str | None:
    """Each named thing the question asks for (»Vilket systemstöd …, vilken leverantör alltså?«) must be named."""
    asked = [*_SOME_AGREEMENT_Q.finditer(question), *_NAMED_Q.finditer(question)]
    lists = _DOCUMENT_LISTS.search(question) and any(w in SOURCE_WORDS for w in _WORD.findall(question.lower()))
    for m in asked:
        noun = m.group("noun") or m.group("owned")
        if "ramavtal" not in noun.lower() and lists:
            continue
        if not any(_names_one(noun, ev, idf) for ev in evidence):
            if m.groupdict().get("owned"):
                return f"något om {m.group().strip()} – inga ramavtal nämns vid namn"  # »… något om Addas ramavtal …«
            which = m.group().split()[0].lower()
            which = which if which in ("vilken", "vilket", "vilka") else "vilka"
            # »Underlaget anger inte vilka kommuner det gäller …«, »… vilken leverantör det gäller …«
            return f"{which} {noun.lower()} det gäller – inga nämns vid namn"
    return None


def _names_one(noun: str, ev: Evidence, idf) -> bool:
    if "ramavtal" in noun.lower() and not _AGREEMENT_NAMED.search(ev.text):
        return False
    names = [n for n in names_in(ev.text) if idf(stem(n.lower())) >= _BACKGROUND_NAME_IDF]
    # The thing asked for in its own words, not inside a name (»Sveriges Kommuner och Regioner«), and as a word of
    # its own (»kommunkontext« does not speak of kommuner).
    plain = re.sub(r"\b[A-ZÅÄÖ]\w*", " ", ev.text)
    return bool(names) and _mentions(noun, whole_words(plain) | _terms(ev.heading))


# »hur ska vi vikta pris mot kvalitet, är 60/40 eller 70/30 bäst?«: a split the asker names (two shares that make a
# hundred) is answered only by a sentence that gives it; shares of other things (»som lägst 70 procent«) are not it.
_SPLIT = re.compile(r"\b(\d{1,2})\s*/\s*(\d{1,2})\b")


def _missing_split(question: str, evidence: list[Evidence]) -> str | None:
    splits = [m.group() for m in _SPLIT.finditer(question) if int(m.group(1)) + int(m.group(2)) == 100]
    if not splits:
        return None
    if any(re.sub(r"\s", "", split) in re.sub(r"\s", "", ev.text) for split in splits for ev in evidence):
        return None
    return f"någon fördelning som {' eller '.join(splits)}"


# »UHM:s rapport från 2022 och Offentliga affärers artikel 2019«: years that say which document, not of when the
# figure is.
_DOCUMENT_YEAR = re.compile(
    r"\b(?:rapport|artikel|artikeln|färdplan|pressmeddelande|skrivelse|text|utredning|strategi)\w*\s+(?:[\w:]+\s+){0,2}?"
    r"(?:från\s+|i\s+|år\s+)?\(?(19[5-9]\d|20[0-4]\d)\b|\b(19[5-9]\d|20[0-4]\d)(?::s|s)?\s+(?:års\s+)?(?:rapport|artikel|färdplan|pressmeddelande)",
    re.I,
)


def _document_years(question: str) -> set[str]:
    return {m.group(1) or m.group(2) for m in _DOCUMENT_YEAR.finditer(question)}


def _years_of(ev: Evidence) -> set[str]:
    """The years a sentence's figure is of: those it names itself (»vår mätning 2020 … 37 procent«, whatever
    else its passage mentions), else those of its passage and heading (»Resultat 2022« over the figure)."""
    own = set(YEAR.findall(ev.text))
    return own or set(YEAR.findall(f"{ev.context} {ev.heading}"))


# What to call a figure the question names nothing for: »Underlaget anger inte hur många det gäller.«
_WHAT_IS_ASKED = {
    "money": "beloppet", "percent": "andelen", "saving": "hur mycket som kan sparas", "count": "hur många det gäller", "date": "när det sker",
    "duration": "hur länge det pågår", "frequency": "hur ofta det ska ske",
}


def missing_specific(
    question: str, kind: str, evidence: list[Evidence], idf, context: str = "", years: bool = True, own: str = ""
) -> str | None:
    """What the question asks for that the chosen sentences do not give, or None.

    - A figure, amount, date or duration: some chosen sentence must give one of that kind and be
      about the question: name the word it asks for ("hur många anställda") or share enough of its
      content words (`_FIGURE_COVERAGE`).
    - A question about something named (»Addas ramavtal«): the sentence that gives the asked-for
      thing (»leverantörer«) must come from a passage or document that names it.
    """
    # A name the documents use throughout (»Sverige«, »Upphandlingsmyndigheten«) is their setting, not a
    # restriction; a rare one (»Adda«, a kommun) must be named where the answer comes from.
    legality = (
        _missing_legality(question, evidence) or _missing_outcome(question, evidence, idf, context)
        or _missing_named(question, evidence, idf) or _missing_split(question, evidence)
        or _missing_provision(question, evidence) or _missing_prediction(question)
    )
    if legality:
        return legality
    # `context`: what the asker tells about others before asking (»Nacka kommun verkar ha kommit långt.«) names
    # what the question is about as much as the question does.
    # `own`: a follow-up's own words, when `question` carries its earlier question too. Naming things of its own
    # (»Och UHM:s rapport från 2022 …?«), it asks about those, not about what the earlier one named (»BNP«).
    named = names_in(own) if own and names_in(own) else names_in(question)
    names = [
        n for n in dict.fromkeys(named + names_in(context) + _opening_name(context, idf))
        if idf(stem(n.lower())) >= _BACKGROUND_NAME_IDF
    ]
    # In a question of several parts the figure's subject is in the part that asks for it: »Hur länge ska
    # programmet pågå, och vilken förebild har UHM tittat på?« wants a duration of the programme, not of
    # »förebild«.
    whole = question
    context_text = context
    question, kind = _figure_part(question, kind)
    wanted = figure_kind(question, kind)
    if wanted in ("money", "count") and asks_with_amount(question) and not _COST_Q.search(question):
        # »Vi köper för 120 mkr … hur mycket måste vi satsa?«, »Och om vi växer till 500 mkr?«: the asker gives
        # the amount; what applies at it is asked for, not a figure (amounts.py finds its class).
        wanted = None
    # Whose figure it is (»Hur många anställda har Upphandlingsmyndigheten?«): the sentence that gives it
    # must name the owner itself; a passage from the owner's own report does not.
    owners = [n for n in names_in(question) if wanted and _owner(question, n)]
    focus = focus_word(question)
    if focus and (focus.lower() in _GENERIC or zipf(focus.lower()) >= COMMON_WORD_ZIPF):
        focus = None  # (»hur många blir det totalt?«: a common verb counts nothing)
    if focus is None and wanted == "count":
        # »Hur många kategoriansvariga behöver …?«: the sentence must count those.
        counted = _COUNTED_NOUN.search(question)
        # (»kategoriansvariga« is a noun here, though it ends like an adjective.)
        noun = counted.group(1).lower() if counted else ""
        focus = (
            counted.group(1)
            if counted and noun not in STOPWORDS and noun not in _GENERIC and not present_verb(noun) and noun not in _COUNT_VERBS
            else None
        )  # fmt: skip
    if wanted is None and not names:
        return None
    pattern = FIGURE_TEXT[wanted] if wanted else None
    # `years=False` while choosing sentences (no document context at hand): the year decides only the answer.
    # (»Vad fick Konkurrensverket …? Och 2026 då?«: a follow-up's year belongs to the figure its topic asks for.)
    years = ((set(YEAR.findall(question)) or set(YEAR.findall(whole))) - _document_years(whole)) if years else set()
    # What an amount or a date is of (»direktupphandlingsgränsen«, »upphandlingslagen … träda i kraft«).
    # … and what a duration is of (»överprövning«: »på flera års sikt« about planning says nothing of it).
    money_subject = None
    if wanted in ("money", "date", "duration", "frequency") and not focus:
        # (A date of a law named by its abbreviation is the law's: »När trädde LOU i kraft?«)
        money_subject = (_law_named(question) if wanted == "date" else None) or figure_subject(_openers_lowered(question, whole), idf)
    # A follow-up that names what it asks the time of (»Och kategoriplanerna, hur långt fram …?«) may ask about
    # that rather than about the rarest word of its earlier question (»kommundirektör«): either will do.
    own_subject = figure_subject(_openers_lowered(own, own), idf) if own and money_subject and wanted != "money" else None
    for ev in evidence:
        # »Nivå 3«, »zon 1«, »8.2 Sammanfattning«: numbers that name things count nothing.
        # … nor do years (»Alla frågor ställdes inte 2018« counts no organisations).
        figure_text = YEAR.sub("", _LABEL_NUMBER.sub("", ev.text)) if wanted == "count" else ev.text
        # (»Hur många zoner …?« is answered by naming them: »delprocesser (zoner); att förbereda, upphandla och
        # realisera«.)
        listed = wanted == "count" and focus is not None and _lists_after(focus, ev.text)
        if pattern is not None and not pattern.search(figure_text) and not listed:
            continue
        terms = _terms(ev.text)
        if focus:
            # »Vilka gränser i kronor …?« is answered by the bounds themselves (»över 800 miljoner kronor«).
            if not (_mentions(focus, terms) or (_BOUND_WORD.fullmatch(focus.lower()) and states_bound(ev.text))):
                continue
        elif money_subject and _BOUND_WORD.fullmatch(money_subject.lower()) and states_bound(ev.text):
            pass  # »Var går (belopps)gränserna …?«: the bounds themselves answer (»under 200 miljoner kronor«)
        elif wanted == "saving" and not _content_terms(_SAVING_Q.sub(" ", question)):
            pass  # »Vad sparar det i kronor eller procent?« asks nothing of a saving but its size (_SAVING_T above)
        elif wanted and max(coverage(q, f"{ev.text} {ev.heading}", idf) for q in {question, whole}) < _needed_coverage(wanted, question, ev.text):
            # The section's heading often names what the sentence's figure is about; the part that asks for
            # the figure may leave its subject to the rest (»Vad rekommenderar ESV för små myndigheter? och
            # var går gränsen för liten?«).
            continue
        elif wanted in ("money", "date", "duration", "frequency") and money_subject and not (
            _money_about(money_subject, terms, ev.heading, ev.text)
            or (own_subject and _money_about(own_subject, terms, ev.heading, ev.text))
            # »hur länge pågår regeringsuppdraget?«: »Uppdraget pågår till …« names its last part. (Not for an
            # amount: »gränsen« is not »direktupphandlingsgränsen«.)
            or (wanted == "duration" and _head_mentioned(money_subject, terms))
        ):
            continue  # an amount about something else (»879 miljarder« for »direktupphandlingsgränsen«)
        if wanted == "money" and _COST_Q.search(question) and not _COST_T.search(f"{ev.text} {ev.heading}"):
            continue  # »Vad kostar det per kommun att vara med?«: an amount that is no cost (»utbetalningar på …«)
        if wanted == "money" and _FUNDING_Q.search(question) and not _FUNDING_T.search(f"{ev.text} {ev.heading}"):
            continue
        if wanted == "saving" and not _SAVING_T.search(ev.text):
            continue  # »879 miljarder kronor« is what is bought for, not what is saved
        if wanted in (*AMOUNT_KINDS, "count") and years and not years <= _years_of(ev):
            continue  # »andelen … 2023«: a share the documents give for 2019 is not it
        if _another_country(f"{whole} {context_text}", ev.text):
            continue  # »… i Sverige?« is not answered by »i finska myndigheter …«
        context = _terms(ev.text + " " + ev.context)
        if all(_mentions(n, context) or named_by_adjective(n, context) for n in names) and all(_mentions(n, terms) for n in owners):
            return None
    if wanted is None and not focus:
        # »Vad gjorde Nacka kommun …?«: no chosen passage names what the question is about.
        return f"något om {', '.join(names)} i de textavsnitt som passar frågan"
    subject = focus or money_subject or figure_subject(question, idf) or _WHAT_IS_ASKED.get(wanted, "det som efterfrågas")
    if wanted == "money" and _COST_Q.search(question) and not focus:
        subject = "vad det kostar"  # »Underlaget anger inte vad det kostar.«, not »… anger inte kommun.«
    elif wanted == "money" and _FUNDING_Q.search(question) and not focus:
        subject = "hur mycket pengar som har getts"
    elif wanted == "duration" and money_subject and subject == money_subject and not re.search(r"(frist|tid|spärr)\w*$", subject, re.I):
        subject = f"någon tidsrymd för {subject.lower()}"  # »Underlaget anger inte någon tidsrymd för förvaltningsrätten.«
    elif wanted == "date" and money_subject and subject == money_subject:
        subject = f"något datum för {subject}"  # »Underlaget anger inte något datum för lagen om offentlig upphandling.«
    elif wanted == "saving" and not focus:
        # »Underlaget anger inte hur mycket som har sparats för Nacka.«
        subject = "hur mycket som har sparats" if re.search(r"\bsparat|\bsparade\b", question, re.I) else _WHAT_IS_ASKED[wanted]
    elif wanted == "percent" and not focus:
        subject = "andelen"  # »Underlaget anger inte andelen för 2023.«, not a verb of the question
    elif wanted == "count" and not focus and subject != _WHAT_IS_ASKED[wanted]:
        subject = f"någon siffra om {subject}"  # »… anger inte någon siffra om spendanalys för 2018.«
    if years and wanted in (*AMOUNT_KINDS, "count"):
        subject = f"{subject} för {', '.join(sorted(years))}"
    others = [n for n in names if n.lower() != subject.lower()]
    if wanted == "frequency":
        # »Underlaget anger inte någon frekvens för leverantörsbedömningar.«
        named = focus or figure_subject(question, idf)
        subject = f"någon frekvens för {named}" if named else _WHAT_IS_ASKED[wanted]
    if wanted == "count" and focus:
        subject = f"antalet {focus}"  # »Underlaget anger inte antalet anställda hos Upphandlingsmyndigheten.«
    if owners:
        return f"{subject} hos {', '.join(owners)}"
    return f"{subject} för {', '.join(others)}" if others and wanted in (None, "money", "saving") else subject

