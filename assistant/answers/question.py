"""What a question asks for: its kind (list, figure, comparison …) and its parts.

Professionals ask several things at once ("Hur långt fram ska en kategoriplan sträcka sig, och vad ska
stå i den?"). Each part is answered with its own best sentence, so the parts are split here; a part
that only points back ("vad ska stå i den") borrows the topic words of the part before it.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

from assistant.store.swedish import STOPWORDS, present_verb

Kind = Literal["list", "figure", "date", "duration", "frequency", "comparison", "definition", "howto", "why", "who", "general"]

_INTERROGATIVE = (
    r"vad|vem|vems|vilka|vilken|vilket|hur|när|var|varför|varifrån|finns|fanns|kan|ska|skall|bör|går|får|måste|"
    r"skiljer|gäller|behöver|brukar|är|har|ger"
)
# A new part starts after ",", " och", " samt", " –", ";" or "?" when a question word follows.
_PART_BREAK = re.compile(rf"(?:\s*[,;–—-]\s*(?:och|samt|men)?\s+|\s+(?:och|samt)\s+|\?\s*)(?=(?:{_INTERROGATIVE})\b)", re.I)
# »I vilka branscher …«, »Inom vilka områden …«: a preposition may come before the question word.
_LIST = re.compile(r"(^|[:–—]\s*)((i|inom|på|för|från|hos|med|av|bland|till|under|mot) vilka|vilka|lista|nämn|räkna upp|ge (mig )?(en lista|exempel|topp))\b|\btopp\s*(tre|fem|\d)\b|\bvilka (är|finns)\b|\bi punktform\b|\bpunkta upp\b|\bsom (en )?(punktlista|lista)\b", re.I)
# A fee or a salary asked for in other words than »avgift«; relevance.py reads them as money questions too.
PAID_Q = r"\btar (\w+ )?betalt\b"
# »Vad brukar en kategoriansvarig tjäna i månaden?«; »Vad tjänar vi på att …« asks what is gained.
EARN_Q = r"\b(?:vad|hur mycket)\b[^?.]{0,40}?\btjäna(?:r|de)?\b(?!\s+(?:vi|man|ni|jag|de|det|den|organisationen|kommunen)\s+på)"
CHARGE_Q = PAID_Q + "|" + EARN_Q + r"|\blön(en|er|erna)?\b|\barvode"
# A time of the year without a date (»När på året?« – »i samband med tertial- och årsbokslut«).
# Words that introduce examples (»såsom livsmedel, transporter och it«): what follows is not the whole list.
EXAMPLES_TEXT = re.compile(r"\b(såsom|t\.ex\.|till exempel|exempel på|exempelvis|bland annat|bl\.a\.)", re.I)
TIME_OF_YEAR = r"\b(tertial\w*|delårs\w*|årsbokslut\w*|bokslut\w*|kvartal\w*|årsskifte\w*|budgetprocess\w*)"
# »priset«, but not price as one side of a trade-off (»säkerhet mot pris«, »väga pris mot miljö«, »pris och kvalitet«),
# which asks how to weigh, not what something costs.
PRICE_Q = r"(?<!\bmot )(?<!\boch )(?<!\beller )(?<!\bväga )\bpris(et|er|erna)?\b(?!\s+(mot|och|eller|i förhållande)\b)"
# »Vad kan man räkna med att spara …?«: an amount or a share saved, like »hur mycket kan vi spara«.
SAVING_AMOUNT_Q = (
    r"\bvad (kan|kommer|skulle|brukar|går att) (man|vi|ni|en kommun|en organisation) (\w+ ){0,3}spara\b|"
    r"\bvad har (\w+ ){1,3}sparat\b"  # »vad har Luleå kommun sparat på …?«
)
# »Vilken budget fick …?«, »vad brukar det landa på?«: a sum of money.
BUDGET_Q = r"\bvilken budget\b|\bbudget(en)? (för|på|till)\b|\blanda(r)? på\b"
_FIGURE = re.compile(
    r"\bhur (många|mycket|stor|stora|stort|hög|högt|låg|lång|långt(?! (ner|ned|ut|in|bak)\b)|ofta)\b|\bhur stor (del|andel)\b|\bandel(en)?\b|"
    r"\bprocent\b|\bhur vanlig(t|a)?\b|\b(är|var) (det|de|den|detta) (\w+ )?vanlig(t|a)?\b|\bantal(et)?\b|\bbelopp(et)?\b|\bvilken summa\b|\bi (kronor|kr|mkr|mnkr|tkr|miljoner|miljarder|euro)\b|\bvilk(a|en|et) (\w+ )?\w*gräns\w*|\bkostar\b|\bkosta\b|\bsiffr|\bgräns(en)? för\b(?! hur)|\bvar går (\w+ )?\w*gräns\w*|"
    # »Vad är direktupphandlingsgränsen?« asks for an amount, not a definition.
    r"^\s*vad är (den |det )?\w*(gräns(en)?|tröskelvärdet|beloppet)\b|"
    # »… att offentlig sektor köper för per år?«: a sum of money, without »hur mycket«.
    r"\b(köp(er|te|s)?|handlar) (\w+ ){0,3}för (\w+ )?(per år|om året|årligen)\b|"
    r"\btröskelvärde|\bavgift\w*|" + PRICE_Q + r"|\bvad tar \w+ (för|i)\b|" + CHARGE_Q + "|" + BUDGET_Q + "|" + SAVING_AMOUNT_Q,
    re.I,
)
_DATE = re.compile(r"^\s*(och\s+|men\s+)?när\b(?!\s+(kan|ska|bör|får) (man|vi|det|en) (säga|anse|räkna|kalla)\b)|\bvilket år\b|\bvilket datum\b|\bsedan när\b|\bdatum\b|\bi drift\b", re.I)
_DURATION = re.compile(r"\bhur (länge|lång tid|långt fram|många år|många månader|många dagar|många veckor)\b|\bhur lång (är|var|blir) (\w+ )?\w*(frist|tid|spärr)\w*\b|\bunder hur lång\b|\b(fram )?till när\b(?=\s*(\?|$)|\s+(gäller|pågår|löper|varar|räcker|håller|ska|är)\b)|\bsträcka sig\b", re.I)
# »Hur ofta ska vi följa upp …?«: how often, which only a sentence that says how often answers.
_FREQUENCY = re.compile(r"\bhur (ofta|regelbundet|många gånger (per|om|i|varje))\b|\bmed vilken (frekvens|regelbundenhet)\b", re.I)
# … and the words of a sentence that says how often (»vartannat år«, »årligen«, »två gånger per år«).
FREQUENCY_TEXT = re.compile(
    r"\b(varje|var|vart|vartannat|vart (annat|tredje|fjärde|femte))\s+(\w+\s+)?(år|månad|vecka|kvartal|dag|tertial|halvår)\b|"
    r"\b(en|två|tre|fyra|\d+)\s+gånge?r?\s+(per|om|i)\s+(året|år|månaden|månad|veckan|vecka|kvartalet)\b|"
    r"\b(årlig|årligen|årliga|årligt|månatlig\w*|kvartalsvis|månadsvis|veckovis|halvårsvis|löpande|regelbundet|"
    r"regelbundna|kontinuerlig\w*|återkommande|fortlöpande)\b|\b(per|om) (år|året|månad|kvartal|tertial|halvår)\b",
    re.I,
)
# … of which these say only that it recurs, not how often (»återrapporteras löpande«).
VAGUE_FREQUENCY_TEXT = re.compile(r"\b(löpande|regelbund\w*|kontinuerlig\w*|återkommande|fortlöpande)\b", re.I)
_COMPARISON = re.compile(
    r"\bskiljer (sig|de)\b|\bskillnad(en|er)?\b|\bjämfört med\b|\bjämför\b|\bmellan dokumenten\b|\bi dokumenten\b|"
    r"\bolika dokument\b|\bdokumenten\b|\b(anger|ger|säger|har) olika\b|\bolika (siffror|uppgifter|besked|svar)\b",
    re.I,
)
# The documents by what they are (»färdplanen«, »pressmeddelandet«): a question naming two of them compares them.
SOURCE_WORDS = frozenset(
    "rapport rapporten rapporterna färdplan färdplanen pressmeddelande pressmeddelandet artikel artikeln "
    "artiklarna dokument dokumenten dokumentet underlag underlaget källa källan källor källorna webbartikeln".split()
)
# »Hur definieras inköpsorganisation?«, »hur definierar UHM-rapporten ordet inköpsorganisation?«: a definition
# asked for by the verb; the term follows (extractive.defined_term).
DEFINED_HOW = (
    r"^\s*hur\s+(?:definieras|definierar\s+(?:[\w:-]+\s+){1,5}?(?:ordet|begreppet|termen|uttrycket))\s+"
    r"|^\s*hur\s+definierar\s+(?!(?:man|vi|ni|jag|de|dom)\b)(?:[\w:-]+\s+){1,5}?(?=\w+\s*\?\s*$)"
)
_DEFINITION = re.compile(
    r"^\s*(vad|vilka)\s+(är|innebär|betyder|menas med|menar \w+ med|avses med|räknas som|klassas som|utmärker|kännetecknar)\b|"
    + DEFINED_HOW,
    re.I,
)
_HOWTO = re.compile(r"\bhur (gör|ska|kan|bör|får|kommer) (vi|man|jag|ni|en|de)\b|\bhur går (man|vi) till\b|\bpraktiskt\b", re.I)
_WHY = re.compile(
    r"\bvarför\b|\bvad beror\b|\borsak|\banvändas till\b|\banvänds till\b|\bvad är nyttan\b|\bvad vinner\b|"
    r"\btill vad\b|\bsyftet med\b|\bvad är poängen\b|\blönar det sig\b|"
    # »Vad har vi för nytta av den?«, »Vad ger det oss?«: what it is good for
    r"\bför nytta\b|\bnyttan med\b|\bnytta av\b|\bfördelar(na)? med\b|\bvad ger (det|den|de) (oss|er|mig)\b|\bvad får (vi|man|jag) ut av\b",
    re.I,
)
_WHO = re.compile(r"^\s*(vem|vilka)\b.*\b(ansvar|ingå|sitta|delta|vara med|leda|leder|svara|riktar)|^\s*vem\b", re.I)
_POINTER = re.compile(r"\b(den|det|dem|dessa|detta|denna|sådan|sådana|sådant|där)\b", re.I)
_WORD = re.compile(r"\w+", re.UNICODE)


_FOCUS = re.compile(
    r"\b(vilka|vilken|vilket|hur många|hur stor|vad för|vilka typer av|vilken typ av|"
    r"vilka exempel på|vilket exempel på)\s+"
    # Words before the noun that describe it (»vilka nationella inköpscentraler«) are not what is asked for.
    r"(?:(?:de|den|det|olika|nya|andra|stora|små|största|viktigaste|vanligaste|tre|två|fyra|fem|\w+ande|\w+ende|"
    r"\w+(?:ella|iska|liga|iga|ösa|ära|iva|da|ta))\s+){0,2}"
    r"(\w{4,})",
    re.I,
)


def focus_word(text: str) -> str | None:
    """The word a question asks for, as written: "Vilka branscher …" → »branscher«."""
    m = _FOCUS.search(text)
    if not m:
        return None
    # »hur många jobbar så?« counts those who do, it does not ask for »jobbar«; after »vilka« the word is
    # a noun (»vilka delar«).
    if m.group(1).lower().startswith("hur") and present_verb(m.group(2)):
        return None
    return m.group(2)


NUMBER_WORDS = {
    "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9, "tio": 10, "elva": 11, "tolv": 12,
}


def count_value(word: str) -> int:
    """»tre« → 3, »5« → 5."""
    return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]


class QuestionPart(BaseModel):
    text: str  # what to search sentences for: the part, plus borrowed topic words when it points back
    kind: Kind
    situation: str = ""  # the asker's own situation told around the question (split_context)


class QuestionAnalysis(BaseModel):
    text: str
    kind: Kind
    parts: list[QuestionPart]
    situation: str = ""

    def told(self, situation: str) -> QuestionAnalysis:
        """The analysis with the asker's situation (»Vi köper för 150 miljoner om året.«) attached."""
        if not situation:
            return self
        parts = [p.model_copy(update={"situation": situation}) for p in self.parts]
        return self.model_copy(update={"situation": situation, "parts": parts})

    @property
    def multi_part(self) -> bool:
        return len(self.parts) > 1


def named_sources(text: str) -> list[str]:
    """The kinds of document a question names, as the first six letters of the word (»färdplanen« →
    »färdpl«), to be found in a document's type or title; »rapporten … rapporterna« is one."""
    out: list[str] = []
    for w in _WORD.findall(text):
        word = _SOURCE_ALIASES.get(w.lower(), w.lower())
        if word in SOURCE_WORDS and word[:4] not in ("doku", "unde", "käll") and word[:6] not in out:
            out.append(word[:6])
    # A publication named by its name: »Offentliga affärer skrev 2019 …« is the trade-press article.
    if _PUBLICATION.search(text) and "fackpr" not in out:
        # »artikeln i Offentliga affärer« is one document, not two
        out = [o for o in out if o != "artike"] + ["fackpr"]
    return out


# The trade journal by its name, not »offentliga affärer« the documents' own phrase: capitalised inside a
# sentence or as the one who wrote (»Offentliga affärer skrev …«, »Offentliga affärer-artikeln«).
_PUBLICATION = re.compile(r"(?<=[\wåäö,] )Offentliga affärer\b|\bOffentliga affärer(?=\s*(?:skrev|-?artikeln|s artikel))")
# Other words for the kinds of document (»slutrapporten« is the report).
_SOURCE_ALIASES = {"slutrapport": "rapport", "slutrapporten": "rapporten", "slutredovisningen": "rapporten"}


# »enligt UHM:s rapport från 2022«, »artikeln från 2019«, »i Offentliga affärer 2019«: where to look, with its owner
# and year – none of them words the answer says.
_SOURCE_REFERENCE = re.compile(
    r"(?:\b(?:enligt|i|från)\s+)?(?:\b[\wåäöÅÄÖ-]+(?::s|s)\s+(?:\([^)]*\)\s+)?)?"
    r"\b(?:" + "|".join(sorted(SOURCE_WORDS - {"underlag", "underlaget", "källa", "källan", "källor", "källorna"}, key=len, reverse=True))
    + r")\b(?:\s+(?:från\s+|i\s+|år\s+)?\(?(?:19|20)\d\d\)?)?"
    # The trade journal by its name as named_sources finds it (capitalised: »offentliga affärer« is the documents'
    # own phrase), with its year.
    r"|(?-i:" + _PUBLICATION.pattern + r")s?(?:\s+(?:skrev\s+)?(?:från\s+|i\s+)?(?:19|20)\d\d)?\b",
    re.I,
)


def without_source_references(text: str) -> str:
    """The question without the documents it names as where to look (»enligt UHM:s rapport från 2022«)."""
    return _SOURCE_REFERENCE.sub(" ", text)


def _names_two_sources(text: str) -> bool:
    return len(named_sources(text)) >= 2


# »När avtalet väl är påskrivet – vad ska hända sen?«: a »när« clause followed by its own question is a
# condition; the question after it says what is asked.
_WHEN_CLAUSE = re.compile(
    r"^\s*(?:(?:och|men)\s+)?när\b[^?.!]*?(?:,|\s[–—-])\s*(?=(?:vad|hur|vilka|vilken|vilket|vem|varför|ska|bör|måste|behöver)\b)", re.I
)


# »nya inriktningsmålen 8 9 10 – vad säger de«, »zon 1 och 2«: numbered items asked for together.
NUMBERED_ITEMS = re.compile(r"(?<![\d,.])\b\d{1,2}\b(?:\s*(?:,|och|samt|–|-)?\s*\b\d{1,2}\b){1,}(?![\d,.%])(?!\s*(procent|miljon|miljard|kr))", re.I)


def kind_of(text: str) -> Kind:
    clause = _WHEN_CLAUSE.match(text)
    if clause:
        return kind_of(text[clause.end():])
    if _COMPARISON.search(text) or _names_two_sources(text):
        return "comparison"
    if _FREQUENCY.search(text):
        return "frequency"
    if _DURATION.search(text):
        return "duration"
    if _DATE.search(text) and not re.match(r"^\s*när det gäller\b", text, re.I):
        return "date"
    if _FIGURE.search(text):
        return "figure"
    if _LIST.search(text) or NUMBERED_ITEMS.search(text):
        return "list"
    if _DEFINITION.match(text):
        return "definition"
    if _WHY.search(text):
        return "why"
    if _HOWTO.search(text):
        return "howto"
    if _WHO.search(text):
        return "who"
    return "general"


# Words about the documents or the question itself, not its topic ("skiljer sig siffran mellan dokumenten").
_META = SOURCE_WORDS | frozenset(
    "siffran siffrorna siffra skiljer säger står olika egentligen praktiskt rent exempel".split()
)


def _topic_words(text: str) -> list[str]:
    return [
        w for w in _WORD.findall(text)
        if w.lower() not in STOPWORDS and w.lower() not in _META and len(w) > 3 and not w[0].isdigit()
    ]  # fmt: skip


# Requests that ask as a question does (»Berätta …«, »Lista …«).
_REQUESTS = "ge|lista|nämn|räkna|berätta|beskriv|förklara|sammanfatta|jämför|visa|säg|hjälp|tipsa|ange"
# A part of a question opens with a question word, a verb that asks (»Har UHM föreslagit …«) or a request.
_ASKS = re.compile(rf"^\s*(?:(?:och|men|så)\s+)?(?:{_INTERROGATIVE}|vems|vart|borde|kunde|stämmer|{_REQUESTS})\b", re.I)


# »Hur ser det ut med kategoristrategier då?«: the earlier question asked again of something else.
_SAME_AGAIN = re.compile(
    r"^\s*(?:(?:och|men|så)\s+)?(?:hur ser det ut|hur är det|hur blir det|hur står det till)(?:\s+(?:med|för|i|hos)\b|\s*(?:då)?\s*\??\s*$)",
    re.I,
)


def asks_of_its_own(text: str) -> bool:
    """»Vad gör de först?« and »Och de små då, vad räcker det att de gör?« ask their own question; »Och för LUF
    då?« and »Hur ser det ut med X då?« borrow the earlier one."""
    clauses = [c for c in re.split(r"[,;:–—]\s*", text) if c.strip()]
    return any(_ASKS.match(c) and not _SAME_AGAIN.match(c) for c in clauses)


_TOPIC_FIRST = re.compile(r"^\s*(?!(?:hej|hejsan|hallå|tjena|okej|ok|tack)\b)[\w:]+\s*[–—:-]\s+\w", re.I)


# »… ambitionsgrafen som Upphandlingsmyndigheten tagit fram«: a clause that says who made or speaks of the thing
# asked about identifies it; its words (»Upphandlingsmyndigheten«, »tagit fram«) are not what is asked.
WHOSE_CLAUSE = (r"\s+som\s+(?:(?-i:[A-ZÅÄÖ])\w*|vi|man|de|dom|ni|jag|du|regeringen|rapporten|färdplanen|myndigheten)\b"
                r"[^?.!]*")
_WHOSE_CLAUSE_END = re.compile(WHOSE_CLAUSE + r"(?=[?.!]?\s*$)", re.I)


def _without_whose_clause(piece: str) -> str:
    """A definition question's part without the clause that says whose the term is."""
    return _WHOSE_CLAUSE_END.sub("", piece) if kind_of(piece) == "definition" else piece


def analyse(question: str) -> QuestionAnalysis:
    text = question.strip()
    clause = _WHEN_CLAUSE.match(text)
    if clause:
        # »När avtalet väl är påskrivet – vad ska hända sen?«: the condition is no part of its own; its words
        # go with the question's first part.
        rest = analyse(text[clause.end():])
        first = rest.parts[0].model_copy(update={"text": f"{text[:clause.end()].strip(' ,–—-')} {rest.parts[0].text}"})
        return QuestionAnalysis(text=text, kind=rest.kind, parts=[first, *rest.parts[1:]])
    pieces = [_without_whose_clause(p.strip(" ,;–—-?")) for p in _PART_BREAK.split(text)]
    # A part has two words at least; a one-word topic set before a dash (»kategoriplan – hur långt fram …«) too.
    pieces = [p for i, p in enumerate(pieces) if len(_WORD.findall(p)) >= 2 or (i == 0 and _TOPIC_FIRST.match(text))]
    if len(pieces) > 1 and not _ASKS.match(pieces[0]) and _ASKS.match(pieces[1]):
        # »UHM:s kategoristyrningsuppdrag – vad görs först?«: the topic first, then the one question about it.
        topic, pieces = pieces[0], [f"{pieces[1]} {pieces[0]}", *pieces[2:]]
        if len(pieces) == 1:
            kind = kind_of(pieces[0][: -len(topic)])  # the question's kind, not the topic's (»… – vem är den till för«)
            if kind == "general" and "?" not in topic and len(_WORD.findall(topic)) <= 12:
                # »nya inriktningsmålen 8 9 10 – vad säger de«: a short topic names a list (an earlier question
                # before a follow-up is no topic of this kind)
                kind = kind_of(topic)
            if _COMPARISON.search(text) or _names_two_sources(text):
                kind = "comparison"  # »pressmeddelandet säger 879 miljarder men färdplanen …? vilken siffra gäller«
            return QuestionAnalysis(text=text, kind=kind, parts=[QuestionPart(text=text, kind=kind)])
    if len(pieces) <= 1:
        return QuestionAnalysis(text=text, kind=kind_of(text), parts=[QuestionPart(text=text, kind=kind_of(text))])
    parts: list[QuestionPart] = []
    for i, piece in enumerate(pieces):
        own = _topic_words(piece)
        search = piece
        if i and (len(own) <= 1 or _POINTER.search(piece)):
            # "…, och vad ska stå i den?": the part is about the previous part's topic.
            borrowed = [w for w in _topic_words(pieces[i - 1]) if w.lower() not in {o.lower() for o in own}]
            search = f"{piece} {' '.join(borrowed)}".strip()
        parts.append(QuestionPart(text=search, kind=kind_of(piece)))
    kinds = [p.kind for p in parts]
    overall: Kind = "comparison" if "comparison" in kinds else parts[0].kind
    return QuestionAnalysis(text=text, kind=overall, parts=parts)


# ---- the asker's situation around the question ------------------------------------------------------

# A sentence asks when it ends with »?«, opens with a question word or a request (»Berätta …«, »Lista …«)
# or says so (»jag undrar …«). One that opens with a verb (»Behöver förstå det inför …«) asks only with »?«.
_ASKING = re.compile(
    rf"^\s*(?:(?:och|men|så)\s+)?(?:vad|vem|vems|vilka|vilken|vilket|hur|när|var|varför|vart|{_REQUESTS})\b|"
    r"\b(undrar|vill veta|vill ha hjälp|skulle vilja veta)\b",
    re.I,
)
# (Chat writes on in lower case after a question mark: »… pekar den ut? ska in i vår roadmap«.)
_SENTENCE_BREAK = re.compile(r"(?<=[.!])\s+(?=[A-ZÅÄÖ0-9»\"])|(?<=\?)\s+(?=\w|»|\")")
# »Vi har precis gjort en spendanalys, vad ska vi göra nu?«: the question may follow the situation after a comma.
_CLAUSE_QUESTION = re.compile(
    r"[,;:–—-]\s+(?=(?:och\s+|men\s+|så\s+)?(?:vad|hur|vilka|vilken|vilket|vem|när|varför|finns|kan|ska|bör)\b)", re.I
)


_ABOUT_ASKER = re.compile(
    r"\b(jag|vi|oss|vår|vårt|våra|min|mitt|mina|mig|mej)\b|^\s*(behöver|ska|har|vill|tänker|funderar|undrar|jobbar|"
    r"sitter|håller|skulle|måste|tack)\b",
    re.I,
)


_CLAUSE_BREAK = re.compile(r"\s[–—-]\s|(?<=[.!?])\s+")


_DENIAL = re.compile(r"\b(inget|ingen|inga|inte|saknar|saknas|aldrig)\b", re.I)


def without_denials(text: str) -> str:
    """`text` without the statements that say what is not there (»Pressmeddelandet har inget datum – går det att se
    nånstans när …?« → »går det att se nånstans när …?«): a document named there is not where to look."""
    clauses = [c for c in _CLAUSE_BREAK.split(text) if c.strip()]
    kept = [c for c in clauses if c.rstrip().endswith("?") or _ASKING.search(c) or not _DENIAL.search(c)]
    return " ".join(kept) or text


class Asked(BaseModel):
    question: str  # what is asked
    context: str = ""  # the asker's situation told before or after it: »Vi är en mellanstor kommun …«

    @property
    def context_about_others(self) -> bool:
        """»Nacka kommun verkar ha kommit långt. Hur har de organiserat …?«: a context that says nothing
        of the asker tells what the question is about, not who asks."""
        return bool(self.context) and not _ABOUT_ASKER.search(self.context)


_YES_NO = re.compile(
    r"^\s*(kan|får|ska|skall|måste|bör|borde|behöver|är|finns|går|gäller|har|kommer|blir)\s+(vi|man|jag|ni|det|den|de|dom)\b",
    re.I,
)


def is_yes_no(text: str) -> bool:
    """»Kan vi använda CPV-koder för det …«: a yes/no question (a verb, then who)."""
    return bool(_YES_NO.match(text))


def split_context(text: str) -> Asked:
    """The question apart from the situation the asker describes around it. The situation's words are not
    what is asked about: an unknown place name there (»norra Dalarna«) says nothing about scope, and the
    answer should lead with what the question sentence asks for."""
    text = text.strip()
    sentences = [s for s in _SENTENCE_BREAK.split(text) if s.strip()]
    asking = [s.rstrip().endswith("?") or bool(_ASKING.search(s)) for s in sentences]
    if any(asking) and not all(asking):
        # »Vad är en spendanalys? Behöver förstå det inför en diskussion om KPI:er.«: the situation may
        # come after the question too.
        first = asking.index(True)
        last = len(asking) - asking[::-1].index(True)
        # After the question only what the asker says of themselves is situation (»Behöver förstå det
        # inför …«); »Pressmeddelandet och färdplanen verkar ange olika siffror.« is part of what is asked.
        while last < len(sentences) and not all(_ABOUT_ASKER.search(s) for s in sentences[last:]):
            last += 1
        if first or last < len(sentences):
            context = " ".join(sentences[:first] + sentences[last:]).strip()
            return Asked(question=" ".join(sentences[first:last]).strip(), context=context)
    if not sentences or not asking or not asking[0]:
        return Asked(question=text)
    first = sentences[0]
    # One sentence: a statement, then a comma and a question word.
    if first.rstrip().endswith("?") and not _ASKING.match(first):
        m = _CLAUSE_QUESTION.search(first)
        if m and len(_WORD.findall(first[: m.start()])) >= 5:
            rest = " ".join(sentences[1:])
            asked = first[m.end():]
            return Asked(question=f"{asked[0].upper()}{asked[1:]} {rest}".strip(), context=first[: m.start()].strip())
    return Asked(question=text)
